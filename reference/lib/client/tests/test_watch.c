/* test_watch.c: the watch-event decoder fed a metav1.WatchEvent stream cut
 * at every possible boundary, plus malformed input and early stop. */
#include <stdlib.h>
#include <string.h>
#include "client/watch.h"
#include "util/cktest.h"
#include "util/uid.h"

/* The stream as the apiserver writes it: one event per line, with a blank
 * keep-alive line and a CRLF line mixed in. */
static const char *stream =
    "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"5\"}}}\n"
    "\n"
    "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"6\"},"
    "\"spec\":{\"note\":\"line\\nbreak inside a string is escaped\"}}}\r\n"
    "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"9\"}}}\n"
    "{\"type\":\"DELETED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"10\"}}}\n"
    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\","
    "\"message\":\"too old resource version: 1 (10)\"}}\n";

typedef struct seen { char log[512]; int stop_after; int n; } seen;

static int record(ck_watch_type t, json_t *obj, void *ud)
{
    seen *s = ud;
    const char *rv = json_string_value(json_object_get(json_object_get(obj, "metadata"), "resourceVersion"));
    char item[64];
    snprintf(item, sizeof item, "%s:%s;", ck_watch_type_name(t),
             t == CK_WATCH_ERROR ? json_string_value(json_object_get(obj, "reason")) : rv);
    strncat(s->log, item, sizeof s->log - strlen(s->log) - 1);
    return ++s->n == s->stop_after;
}

static const char *want = "ADDED:5;MODIFIED:6;BOOKMARK:9;DELETED:10;ERROR:Expired;";

static void test_whole(void)
{
    seen s = {0};
    ck_watch_decoder *d = ck_watch_decoder_new(record, &s);
    CU_ASSERT_EQUAL(ck_watch_decoder_feed(d, stream, strlen(stream)), 0);
    CU_ASSERT_EQUAL(ck_watch_decoder_finish(d), 0);
    CU_ASSERT_STRING_EQUAL(s.log, want);
    ck_watch_decoder_free(d);
}

/* Every split point of two chunks, then every fixed chunk size. */
static void test_every_boundary(void)
{
    size_t len = strlen(stream);
    int bad = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        seen s = {0};
        ck_watch_decoder *d = ck_watch_decoder_new(record, &s);
        if (ck_watch_decoder_feed(d, stream, cut) || ck_watch_decoder_feed(d, stream + cut, len - cut) ||
            ck_watch_decoder_finish(d) || strcmp(s.log, want))
            bad++;
        ck_watch_decoder_free(d);
    }
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        seen s = {0};
        ck_watch_decoder *d = ck_watch_decoder_new(record, &s);
        for (size_t off = 0; off < len; off += chunk)
            if (ck_watch_decoder_feed(d, stream + off, off + chunk > len ? len - off : chunk)) bad++;
        if (ck_watch_decoder_finish(d) || strcmp(s.log, want)) bad++;
        ck_watch_decoder_free(d);
    }
    CU_ASSERT_EQUAL(bad, 0);
}

static void test_random_chunks(void)
{
    size_t len = strlen(stream);
    int bad = 0;
    for (int round = 0; round < 200; round++) {
        seen s = {0};
        ck_watch_decoder *d = ck_watch_decoder_new(record, &s);
        for (size_t off = 0; off < len;) {
            unsigned char r = 0;
            ck_random_bytes(&r, 1);
            size_t n = 1 + r % 40;
            if (off + n > len) n = len - off;
            if (ck_watch_decoder_feed(d, stream + off, n)) bad++;
            off += n;
        }
        if (strcmp(s.log, want)) bad++;
        ck_watch_decoder_free(d);
    }
    CU_ASSERT_EQUAL(bad, 0);
}

static void test_stop_and_errors(void)
{
    seen s = {.stop_after = 2};
    ck_watch_decoder *d = ck_watch_decoder_new(record, &s);
    CU_ASSERT_EQUAL(ck_watch_decoder_feed(d, stream, strlen(stream)), 1);
    CU_ASSERT_STRING_EQUAL(s.log, "ADDED:5;MODIFIED:6;");
    ck_watch_decoder_free(d);

    const char *bad[] = {
        "{\"type\":\"ADDED\",\"object\":{\"x\":\n",        /* truncated JSON */
        "{\"type\":\"RENAMED\",\"object\":{}}\n",          /* unknown type */
        "{\"type\":\"ADDED\",\"object\":\"not an object\"}\n",
        "[1,2]\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        seen z = {0};
        d = ck_watch_decoder_new(record, &z);
        CU_ASSERT_EQUAL(ck_watch_decoder_feed(d, bad[i], strlen(bad[i])), -1);
        CU_ASSERT(strlen(ck_watch_decoder_error(d)) > 0);
        CU_ASSERT_EQUAL(z.n, 0);
        ck_watch_decoder_free(d);
    }
    /* A stream that ends mid-event is reported by finish(). */
    seen z = {0};
    d = ck_watch_decoder_new(record, &z);
    CU_ASSERT_EQUAL(ck_watch_decoder_feed(d, stream, 30), 0);
    CU_ASSERT_EQUAL(ck_watch_decoder_finish(d), -1);
    ck_watch_decoder_free(d);
}

static void test_type_names(void)
{
    static const char *names[] = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"};
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(ck_watch_type_parse(names[i]), i);
        CU_ASSERT_STRING_EQUAL(ck_watch_type_name(i), names[i]);
    }
    CU_ASSERT_EQUAL(ck_watch_type_parse("added"), -1);
    CU_ASSERT_EQUAL(ck_watch_type_parse(NULL), -1);
}

int main(void)
{
    static const ck_test tests[] = {
        {"whole stream", test_whole},
        {"every chunk boundary", test_every_boundary},
        {"random chunking", test_random_chunks},
        {"early stop and malformed events", test_stop_and_errors},
        {"event type names", test_type_names},
        {NULL, NULL},
    };
    return ck_test_main("watch", tests, NULL, NULL);
}
