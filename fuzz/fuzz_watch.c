/* fuzz_watch.c: libFuzzer target for the client's watch event stream
 * decoder (metav1.WatchEvent lines, as curl delivers them). The first byte
 * sets the chunk size the stream is cut into; the decoded events must not
 * depend on where the cuts fall, so the whole stream is decoded a second
 * time in one piece and the two event logs compared. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "client/watch.h"

typedef struct events {
    unsigned long hash; /* order-sensitive hash of (type, object) */
    size_t n;
    int stop_after;     /* ask the decoder to stop after this many (0 = never) */
} events;

static int on_event(ck_watch_type type, json_t *object, void *ud)
{
    events *e = ud;
    char *s = json_dumps(object, JSON_ENCODE_ANY | JSON_SORT_KEYS | JSON_COMPACT);
    unsigned long h = e->hash * 31 + (unsigned long)type + 1;
    for (const char *p = s ? s : ""; *p; p++) h = h * 131 + (unsigned char)*p;
    free(s);
    e->hash = h;
    e->n++;
    /* ERROR carries a Status; its own name round-trips */
    if (ck_watch_type_parse(ck_watch_type_name(type)) != (int)type) abort();
    return e->stop_after && (int)e->n >= e->stop_after;
}

static int decode(const char *p, size_t len, size_t chunk, events *e, int *finished)
{
    ck_watch_decoder *d = ck_watch_decoder_new(on_event, e);
    if (!d) return -2;
    int rc = 0;
    for (size_t off = 0; off < len && rc == 0; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        rc = ck_watch_decoder_feed(d, p + off, n);
    }
    if (rc != 0) (void)ck_watch_decoder_error(d);
    *finished = rc == 0 ? ck_watch_decoder_finish(d) : rc;
    ck_watch_decoder_free(d);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t chunk = (size_t)(data[0] & 0x3f) + 1;
    const char *p = (const char *)data + 1;
    size_t len = size - 1;
    events a = {0}, b = {0};
    int fa, fb;
    int ra = decode(p, len, chunk, &a, &fa);
    int rb = decode(p, len, len ? len : 1, &b, &fb);
    if (ra != -2 && rb != -2 && (ra != rb || a.n != b.n || a.hash != b.hash || fa != fb)) abort();
    if (data[0] & 0x40) {
        events c = {.stop_after = 1};
        int fc;
        (void)decode(p, len, chunk, &c, &fc);
    }
    return 0;
}
