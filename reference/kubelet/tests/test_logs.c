/* test_logs.c: the CRI log format (parse, format, the writer's F/P split)
 * and ReadLogs with each PodLogOptions field, as upstream's
 * pkg/kubelet/kuberuntime/logs/logs_test.go and containerd's logger_test.go. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kubelet/logs.h"
#include "util/cktest.h"

#define NS 1000000000LL
static char dir[] = "/tmp/ckube-test-logs-XXXXXX";
static char path[256];

static int setup(void)
{
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/0.log", dir);
    return 0;
}

static int teardown(void)
{
    unlink(path);
    rmdir(dir);
    return 0;
}

static void write_file(const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void append_file(const char *text)
{
    FILE *f = fopen(path, "a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* Reads everything the reader gives, in small pieces (exercises partial copies). */
static char *read_all(const ck_log_options *o, ck_log_wait_fn wait, void *cls)
{
    char err[256], chunk[7];
    ck_log_reader *r = ck_log_reader_open(path, o, wait, cls, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(r);
    if (!r) return strdup("");
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    ssize_t got;
    while ((got = ck_log_reader_read(r, chunk, sizeof chunk)) > 0) fwrite(chunk, 1, (size_t)got, m);
    CU_ASSERT_EQUAL(got, 0);
    fclose(m);
    ck_log_reader_close(r);
    return out;
}

static ck_log_options defaults(void)
{
    return (ck_log_options){.tail_lines = -1, .limit_bytes = -1};
}

#define EXPECT_OUT(opts, want)                                 \
    do {                                                       \
        char *got_ = read_all(&(opts), NULL, NULL);            \
        CU_ASSERT_STRING_EQUAL(got_, want);                    \
        if (strcmp(got_, want)) fprintf(stderr, "got [%s]\n", got_); \
        free(got_);                                            \
    } while (0)

static void test_time(void)
{
    struct tm tm = {.tm_year = 2016 - 1900, .tm_mon = 9, .tm_mday = 6, .tm_min = 17, .tm_sec = 9};
    int64_t want = (int64_t)timegm(&tm) * NS + 669794202;
    int64_t ts = 0;
    CU_ASSERT_EQUAL(ck_log_time_parse("2016-10-06T00:17:09.669794202Z", 30, &ts), 0);
    CU_ASSERT_EQUAL(ts, want);
    char buf[CK_LOG_TIME_LEN];
    CU_ASSERT_EQUAL(ck_log_time_format(buf, want), 30);
    CU_ASSERT_STRING_EQUAL(buf, "2016-10-06T00:17:09.669794202Z");
    /* fixed width: trailing zeros stay (RFC3339NanoFixed) */
    ck_log_time_format(buf, (int64_t)timegm(&tm) * NS + 500000000);
    CU_ASSERT_STRING_EQUAL(buf, "2016-10-06T00:17:09.500000000Z");
    /* RFC3339 with no fraction and with an offset, as sinceTime may come */
    CU_ASSERT_EQUAL(ck_log_time_parse("2016-10-06T02:17:09+02:00", 25, &ts), 0);
    CU_ASSERT_EQUAL(ts, (int64_t)timegm(&tm) * NS);
    CU_ASSERT_EQUAL(ck_log_time_parse("2016-10-06 00:17:09Z", 20, &ts), -1);
    CU_ASSERT_EQUAL(ck_log_time_parse("2016-13-06T00:17:09Z", 20, &ts), -1);
    CU_ASSERT_EQUAL(ck_log_time_parse("2016-10-06T00:17:09.Z", 21, &ts), -1);
    /* leap day and a late date */
    struct tm leap = {.tm_year = 2024 - 1900, .tm_mon = 1, .tm_mday = 29, .tm_hour = 23, .tm_min = 59, .tm_sec = 59};
    ck_log_time_format(buf, (int64_t)timegm(&leap) * NS + 1);
    CU_ASSERT_STRING_EQUAL(buf, "2024-02-29T23:59:59.000000001Z");
}

static void test_parse(void)
{
    ck_log_line m;
    const char *f = "2016-10-06T00:17:09.669794202Z stdout F log content 1\n";
    CU_ASSERT_EQUAL(ck_log_parse(f, strlen(f), &m), 0);
    CU_ASSERT_FALSE(m.is_stderr);
    CU_ASSERT_FALSE(m.partial);
    CU_ASSERT_EQUAL(m.len, strlen("log content 1\n")); /* a full line keeps its newline */
    CU_ASSERT_EQUAL(memcmp(m.msg, "log content 1\n", m.len), 0);
    const char *p = "2016-10-06T00:17:09.669794203Z stderr P log content 2\n";
    CU_ASSERT_EQUAL(ck_log_parse(p, strlen(p), &m), 0);
    CU_ASSERT_TRUE(m.is_stderr);
    CU_ASSERT_TRUE(m.partial);
    CU_ASSERT_EQUAL(m.len, strlen("log content 2")); /* a partial one loses it */
    const char *tags = "2016-10-06T00:17:09.669794203Z stdout F:x spaces  kept \n";
    CU_ASSERT_EQUAL(ck_log_parse(tags, strlen(tags), &m), 0);
    CU_ASSERT_FALSE(m.partial);
    CU_ASSERT_EQUAL(memcmp(m.msg, "spaces  kept \n", m.len), 0);
    const char *empty = "2016-10-06T00:17:09.669794203Z stdout F\n";
    CU_ASSERT_EQUAL(ck_log_parse(empty, strlen(empty), &m), 0);
    CU_ASSERT_EQUAL(m.len, 1);
    const char *bad[] = {"plain text\n", "2016-10-06T00:17:09.669794203Z stdin F x\n",
                         "2016-10-06T00:17:09.669794203Z stdout\n", "yesterday stdout F x\n", NULL};
    for (int i = 0; bad[i]; i++) CU_ASSERT_EQUAL(ck_log_parse(bad[i], strlen(bad[i]), &m), -1);
    char hdr[CK_LOG_HDR_LEN];
    CU_ASSERT_EQUAL(ck_log_header(hdr, 0, true, true), 40);
    CU_ASSERT_STRING_EQUAL(hdr, "1970-01-01T00:00:00.000000000Z stderr P ");
}

/* containerd's logger: F per newline, P at 16 KiB and for an unterminated end. */
static void test_writer(void)
{
    static ck_log_writer w;
    write_file("");
    w.log_fd = open(path, O_WRONLY | O_APPEND);
    CU_ASSERT_TRUE_FATAL(w.log_fd >= 0);
    ck_log_writer_feed(&w, 0, "one\ntw", 6, 1 * NS);
    ck_log_writer_feed(&w, 1, "err\n", 4, 2 * NS);
    ck_log_writer_feed(&w, 0, "o\n\nthr", 6, 3 * NS);
    ck_log_writer_flush(&w, 0, 4 * NS);
    ck_log_writer_flush(&w, 1, 4 * NS); /* nothing left: no line */
    char *big = malloc(CK_LOG_MAX_LINE * 2 + 10);
    memset(big, 'x', CK_LOG_MAX_LINE * 2 + 10);
    big[CK_LOG_MAX_LINE * 2 + 9] = '\n';
    ck_log_writer_feed(&w, 0, big, CK_LOG_MAX_LINE * 2 + 10, 5 * NS);
    memset(big, 'y', CK_LOG_MAX_LINE);
    big[CK_LOG_MAX_LINE] = '\n';
    ck_log_writer_feed(&w, 0, big, CK_LOG_MAX_LINE + 1, 6 * NS); /* exactly the maximum: still F */
    close(w.log_fd);
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    const char *want[] = {"1970-01-01T00:00:01.000000000Z stdout F one\n",
                          "1970-01-01T00:00:02.000000000Z stderr F err\n",
                          "1970-01-01T00:00:03.000000000Z stdout F two\n",
                          "1970-01-01T00:00:03.000000000Z stdout F \n",
                          "1970-01-01T00:00:04.000000000Z stdout P thr\n"};
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_TRUE(getline(&line, &cap, f) > 0);
        CU_ASSERT_STRING_EQUAL(line, want[i]);
    }
    const char tags[] = {'P', 'P', 'F', 'F'};
    const size_t lens[] = {CK_LOG_MAX_LINE, CK_LOG_MAX_LINE, 9, CK_LOG_MAX_LINE};
    for (int i = 0; i < 4; i++) {
        ssize_t n = getline(&line, &cap, f);
        ck_log_line m;
        CU_ASSERT_EQUAL_FATAL(ck_log_parse(line, (size_t)n, &m), 0);
        CU_ASSERT_EQUAL(line[38], tags[i]);
        CU_ASSERT_EQUAL(m.len - !m.partial, lens[i]);
    }
    CU_ASSERT_EQUAL(getline(&line, &cap, f), -1);
    fclose(f);
    free(line);
    /* read back: the long line is whole again */
    ck_log_options o = defaults();
    o.tail_lines = 6;
    char *out = read_all(&o, NULL, NULL);
    CU_ASSERT_EQUAL(strlen(out), strlen("\nthr") + CK_LOG_MAX_LINE * 2 + 10 + CK_LOG_MAX_LINE + 1);
    CU_ASSERT_EQUAL(strncmp(out, "\nthrxxx", 7), 0);
    free(out);
    free(big);
}

static const char *sample =
    "2016-10-06T00:17:09.000000001Z stdout F first\n"
    "2016-10-06T00:17:10.000000002Z stderr F second\n"
    "2016-10-06T00:17:11.000000003Z stdout P par\n"
    "2016-10-06T00:17:12.000000004Z stdout F tial\n"
    "not a cri line\n"
    "2016-10-06T00:17:13.000000005Z stdout F last\n";

static void test_all_and_tail(void)
{
    write_file(sample);
    ck_log_options o = defaults();
    EXPECT_OUT(o, "first\nsecond\npartial\nlast\n");
    o.tail_lines = 2; /* file lines, as FindTailLineStartIndex: the bad one counts */
    EXPECT_OUT(o, "last\n");
    o.tail_lines = 3;
    EXPECT_OUT(o, "tial\nlast\n");
    o.tail_lines = 0;
    EXPECT_OUT(o, "");
    o.tail_lines = 100;
    EXPECT_OUT(o, "first\nsecond\npartial\nlast\n");
    /* an unterminated last line is not counted, but is written */
    append_file("2016-10-06T00:17:14.000000006Z stdout F cut");
    o.tail_lines = 1;
    EXPECT_OUT(o, "last\ncut");
    /* more than one 1 KiB block back */
    write_file("");
    for (int i = 0; i < 200; i++) {
        char l[96];
        snprintf(l, sizeof l, "2016-10-06T00:17:09.000000001Z stdout F line %03d\n", i);
        append_file(l);
    }
    o.tail_lines = 150;
    char *out = read_all(&o, NULL, NULL);
    CU_ASSERT_EQUAL(strncmp(out, "line 050\n", 9), 0);
    CU_ASSERT_EQUAL(strlen(out), 150 * 9);
    free(out);
}

static void test_timestamps_since_limit(void)
{
    write_file(sample);
    ck_log_options o = defaults();
    o.timestamps = true; /* the prefix once per line: not before the rest of a P line */
    EXPECT_OUT(o, "2016-10-06T00:17:09.000000001Z first\n2016-10-06T00:17:10.000000002Z second\n"
                  "2016-10-06T00:17:11.000000003Z partial\n2016-10-06T00:17:13.000000005Z last\n");
    o = defaults();
    CU_ASSERT_EQUAL(ck_log_time_parse("2016-10-06T00:17:10.000000002Z", 30, &o.since_ns), 0);
    EXPECT_OUT(o, "second\npartial\nlast\n"); /* since is inclusive */
    o.since_ns += 1;
    EXPECT_OUT(o, "partial\nlast\n");
    o = defaults();
    o.limit_bytes = 5;
    EXPECT_OUT(o, "first");
    o.limit_bytes = 8;
    EXPECT_OUT(o, "first\nse");
    o.limit_bytes = 13;
    EXPECT_OUT(o, "first\nsecond\n");
    o.timestamps = true;
    o.limit_bytes = 10; /* the prefix counts */
    EXPECT_OUT(o, "2016-10-06");
}

/* ---- follow ------------------------------------------------------------- */

typedef struct follower {
    int waits;
    int running_until;  /* wait() reports running for this many calls */
    int cancel_at;      /* > 0: wait() returns -1 at this call */
} follower;

static int fake_wait(void *cls)
{
    follower *f = cls;
    f->waits++;
    usleep(10000);
    /* the container writes while running, and once more just before it ends */
    if (f->waits == 2) append_file("2016-10-06T00:17:20.000000000Z stdout F new line\n");
    if (f->waits == 3) append_file("2016-10-06T00:17:21.000000000Z stdout P ha"); /* a line written in two */
    if (f->waits == 4) append_file("lf \n");
    if (f->waits == 5) append_file("2016-10-06T00:17:21.000000000Z stdout F done\n");
    if (f->cancel_at && f->waits >= f->cancel_at) return -1;
    if (f->waits == f->running_until) append_file("2016-10-06T00:17:22.000000000Z stderr F bye\n");
    return f->waits < f->running_until ? 1 : 0;
}

static void test_follow(void)
{
    write_file("2016-10-06T00:17:09.000000001Z stdout F old\n");
    ck_log_options o = defaults();
    o.follow = true;
    follower f = {.running_until = 8};
    char *out = read_all(&o, fake_wait, &f);
    CU_ASSERT_STRING_EQUAL(out, "old\nnew line\nhalf done\nbye\n");
    CU_ASSERT_EQUAL(f.waits, 8);
    free(out);
    /* the client went away: the stream ends without waiting for the container */
    write_file("2016-10-06T00:17:09.000000001Z stdout F old\n");
    follower g = {.running_until = 1000, .cancel_at = 3};
    out = read_all(&o, fake_wait, &g);
    CU_ASSERT_STRING_EQUAL(out, "old\nnew line\n");
    CU_ASSERT_EQUAL(g.waits, 3);
    free(out);
    /* follow + limitBytes ends at the limit without waiting */
    write_file("2016-10-06T00:17:09.000000001Z stdout F old\n");
    follower h = {.running_until = 1000};
    o.limit_bytes = 6;
    out = read_all(&o, fake_wait, &h);
    CU_ASSERT_STRING_EQUAL(out, "old\nne");
    free(out);
}

/* ---- options --------------------------------------------------------------- */

static const char *const *query;
static const char *get(void *cls, const char *key)
{
    for (const char *const *q = query; q[0]; q += 2)
        if (strcmp(q[0], key) == 0) return q[1];
    return NULL;
}

static int parse(const char *const *q, ck_log_options *o, char *err, size_t n)
{
    query = q;
    return ck_log_options_parse(get, NULL, 1000 * NS, o, err, n);
}

static void test_options(void)
{
    ck_log_options o;
    char err[256];
    const char *none[] = {NULL};
    CU_ASSERT_EQUAL(parse(none, &o, err, sizeof err), 0);
    CU_ASSERT_EQUAL(o.tail_lines, -1);
    CU_ASSERT_EQUAL(o.limit_bytes, -1);
    CU_ASSERT_EQUAL(o.since_ns, 0);
    CU_ASSERT_FALSE(o.follow || o.previous || o.timestamps);
    const char *all[] = {"follow", "true", "previous", "1", "timestamps", "True", "tailLines", "2",
                         "limitBytes", "5", "sinceSeconds", "10", NULL};
    CU_ASSERT_EQUAL(parse(all, &o, err, sizeof err), 0);
    CU_ASSERT_TRUE(o.follow && o.previous && o.timestamps);
    CU_ASSERT_EQUAL(o.tail_lines, 2);
    CU_ASSERT_EQUAL(o.limit_bytes, 5);
    CU_ASSERT_EQUAL(o.since_ns, 990 * NS);
    const char *falsy[] = {"follow", "false", "timestamps", "0", NULL};
    CU_ASSERT_EQUAL(parse(falsy, &o, err, sizeof err), 0);
    CU_ASSERT_FALSE(o.follow || o.timestamps);
    const char *since_time[] = {"sinceTime", "1970-01-01T00:16:00Z", NULL};
    CU_ASSERT_EQUAL(parse(since_time, &o, err, sizeof err), 0);
    CU_ASSERT_EQUAL(o.since_ns, 960 * NS);
    const char *tail_all[] = {"tail", "all", NULL}, *tail_old[] = {"tail", "3", NULL};
    CU_ASSERT_EQUAL(parse(tail_all, &o, err, sizeof err), 0);
    CU_ASSERT_EQUAL(o.tail_lines, -1);
    CU_ASSERT_EQUAL(parse(tail_old, &o, err, sizeof err), 0);
    CU_ASSERT_EQUAL(o.tail_lines, 3);
    /* ValidatePodLogOptions: -2 (422) */
    const char *const *invalid[] = {
        (const char *[]){"tailLines", "-1", NULL}, (const char *[]){"limitBytes", "0", NULL},
        (const char *[]){"sinceSeconds", "0", NULL},
        (const char *[]){"sinceSeconds", "5", "sinceTime", "1970-01-01T00:16:00Z", NULL}, NULL};
    const char *msgs[] = {"tailLines: Invalid value: -1: must be greater than or equal to 0",
                          "limitBytes: Invalid value: 0: must be greater than 0",
                          "sinceSeconds: Invalid value: 0: must be greater than 0",
                          ": Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"};
    for (int i = 0; invalid[i]; i++) {
        CU_ASSERT_EQUAL(parse(invalid[i], &o, err, sizeof err), -2);
        CU_ASSERT_STRING_EQUAL(err, msgs[i]);
    }
    /* not a number / not a time: -1 (400) */
    const char *const *bad[] = {(const char *[]){"tailLines", "two", NULL},
                                (const char *[]){"limitBytes", "5x", NULL},
                                (const char *[]){"sinceTime", "yesterday", NULL}, NULL};
    for (int i = 0; bad[i]; i++) CU_ASSERT_EQUAL(parse(bad[i], &o, err, sizeof err), -1);
}

/* FallbackToLogsOnError: the last lines' messages, the last bytes kept. */
static void test_tail_text(void)
{
    write_file(sample);
    char out[64];
    CU_ASSERT_EQUAL(ck_log_tail_text(path, 80, 2048, out, sizeof out), strlen("first\nsecond\npartial\nlast\n"));
    CU_ASSERT_STRING_EQUAL(out, "first\nsecond\npartial\nlast\n");
    CU_ASSERT_EQUAL(ck_log_tail_text(path, 80, 9, out, sizeof out), 9);
    CU_ASSERT_STRING_EQUAL(out, "ial\nlast\n");
    CU_ASSERT_EQUAL(ck_log_tail_text(path, 3, 2048, out, sizeof out), 10);
    CU_ASSERT_STRING_EQUAL(out, "tial\nlast\n");
    char small[6];
    CU_ASSERT_EQUAL(ck_log_tail_text(path, 80, 2048, small, sizeof small), 5);
    CU_ASSERT_STRING_EQUAL(small, "last\n");
    CU_ASSERT_EQUAL(ck_log_tail_text("/nonexistent/0.log", 80, 2048, out, sizeof out), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
}

int main(void)
{
    static const ck_test tests[] = {
        {"RFC3339Nano fixed-width times, parse and format", test_time},
        {"parseCRILog: F keeps the newline, P loses it, bad lines rejected", test_parse},
        {"writer: F per line, P at 16 KiB and at EOF, one write per line", test_writer},
        {"all lines, tailLines (FindTailLineStartIndex)", test_all_and_tail},
        {"timestamps once per line, sinceTime, limitBytes", test_timestamps_since_limit},
        {"follow until the container stops, or the client leaves", test_follow},
        {"PodLogOptions from the query, ValidatePodLogOptions", test_options},
        {"termination message from the log tail", test_tail_text},
        {NULL, NULL},
    };
    return ck_test_main("kubelet logs", tests, setup, teardown);
}
