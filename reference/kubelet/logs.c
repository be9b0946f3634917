/* logs.c: the CRI log format (containerd's cri/io/logger.go writes it, the
 * kubelet's kuberuntime/logs/logs.go reads it) and ReadLogs with
 * PodLogOptions: tailLines, sinceSeconds/sinceTime, timestamps, limitBytes,
 * follow; and the kubelet's /containerLogs handler that streams it. */
#define _GNU_SOURCE
#include "kubelet/logs.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"

#define NS_PER_S 1000000000LL
#define TAIL_BLOCK 1024          /* logs.go blockSize */
#define MAX_PENDING (1 << 20)    /* a "line" longer than this is cut (not CRI anyway) */

/* ---- time: days <-> civil dates (H. Hinnant's algorithms), no libc ------ */

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static char *digits(char *p, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10) p[i] = (char)('0' + v % 10);
    return p + width;
}

/* "2006-01-02T15:04:05.000000000Z07:00" in UTC (RFC3339NanoFixed, which
 * both containerd's writer and the kubelet's timestamps=true output use). */
size_t ck_log_time_format(char *out, int64_t ts_ns)
{
    int64_t secs = ts_ns / NS_PER_S, ns = ts_ns % NS_PER_S;
    if (ns < 0) ns += NS_PER_S, secs--;
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) rem += 86400, days--;
    int64_t y;
    unsigned mo, d;
    civil_from_days(days, &y, &mo, &d);
    char *p = out;
    p = digits(p, (uint64_t)(y < 0 ? 0 : y), 4);
    *p++ = '-';
    p = digits(p, mo, 2);
    *p++ = '-';
    p = digits(p, d, 2);
    *p++ = 'T';
    p = digits(p, (uint64_t)rem / 3600, 2);
    *p++ = ':';
    p = digits(p, (uint64_t)rem / 60 % 60, 2);
    *p++ = ':';
    p = digits(p, (uint64_t)rem % 60, 2);
    *p++ = '.';
    p = digits(p, (uint64_t)ns, 9);
    *p++ = 'Z';
    *p = 0;
    return (size_t)(p - out);
}

static int num(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int ck_log_time_parse(const char *s, size_t n, int64_t *ts_ns)
{
    int y, mo, d, h, mi, se;
    if (n < 20 || num(s, 4, &y) || s[4] != '-' || num(s + 5, 2, &mo) || s[7] != '-' || num(s + 8, 2, &d) ||
        s[10] != 'T' || num(s + 11, 2, &h) || s[13] != ':' || num(s + 14, 2, &mi) || s[16] != ':' ||
        num(s + 17, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return -1;
    size_t i = 19;
    int64_t frac = 0;
    if (s[i] == '.') {
        int nd = 0;
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++)
            if (nd < 9) frac = frac * 10 + (s[i] - '0');
        if (nd == 0) return -1;
        for (; nd < 9; nd++) frac *= 10;
    }
    int64_t off = 0;
    if (i < n && s[i] == 'Z') i++;
    else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh, om;
        if (num(s + i + 1, 2, &oh) || num(s + i + 4, 2, &om)) return -1;
        off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else
        return -1;
    if (i != n) return -1;
    int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
    *ts_ns = secs * NS_PER_S + frac;
    return 0;
}

size_t ck_log_header(char *out, int64_t ts_ns, bool is_stderr, bool partial)
{
    size_t n = ck_log_time_format(out, ts_ns);
    const char *rest = is_stderr ? (partial ? " stderr P " : " stderr F ") : (partial ? " stdout P " : " stdout F ");
    for (size_t i = 0; rest[i]; i++) out[n++] = rest[i];
    out[n] = 0;
    return n;
}

/* parseCRILog: "<time> <stream> <tag>[:<more tags>] <message>". */
int ck_log_parse(const char *line, size_t n, ck_log_line *out)
{
    const char *end = line + n, *sp = memchr(line, ' ', n);
    if (!sp || ck_log_time_parse(line, (size_t)(sp - line), &out->ts_ns) < 0) return -1;
    const char *st = sp + 1;
    sp = memchr(st, ' ', (size_t)(end - st));
    if (!sp) return -1;
    size_t sl = (size_t)(sp - st);
    if (sl == 6 && memcmp(st, "stdout", 6) == 0) out->is_stderr = false;
    else if (sl == 6 && memcmp(st, "stderr", 6) == 0) out->is_stderr = true;
    else return -1;
    const char *tag = sp + 1;
    sp = memchr(tag, ' ', (size_t)(end - tag));
    /* an empty line may come as "<time> stdout F\n" (containerd joins no
     * message part): the tag ends at the newline */
    const char *tag_end = sp ? sp : memchr(tag, '\n', (size_t)(end - tag));
    if (!tag_end) return -1;
    const char *colon = memchr(tag, ':', (size_t)(tag_end - tag));
    size_t tl = (size_t)((colon ? colon : tag_end) - tag);
    out->partial = tl == 1 && tag[0] == 'P';
    out->msg = sp ? sp + 1 : tag_end;
    out->len = (size_t)(end - out->msg);
    if (out->partial && out->len && out->msg[out->len - 1] == '\n') out->len--;
    return 0;
}

/* ---- the writer -------------------------------------------------------- */

static void write_line(ck_log_writer *w, int stream, const char *msg, size_t n, bool partial, int64_t now_ns)
{
    size_t h = ck_log_header(w->line, now_ns, stream == 1, partial);
    memcpy(w->line + h, msg, n);
    w->line[h + n] = '\n';
    size_t len = h + n + 1, off = 0;
    while (off < len) {
        ssize_t got = write(w->log_fd, w->line + off, len - off);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return; /* a full disk loses the line, as containerd's would */
        off += (size_t)got;
    }
}

void ck_log_writer_feed(ck_log_writer *w, int stream, const char *data, size_t n, int64_t now_ns)
{
    char *b = w->buf[stream];
    while (n) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n, room = CK_LOG_MAX_LINE - w->len[stream];
        if (take > room || (take == room && !nl)) { /* longer than the maximum: a P chunk */
            memcpy(b + w->len[stream], data, room);
            write_line(w, stream, b, CK_LOG_MAX_LINE, true, now_ns);
            w->len[stream] = 0;
            data += room, n -= room;
            continue;
        }
        memcpy(b + w->len[stream], data, take);
        w->len[stream] += take;
        data += take, n -= take;
        if (nl) {
            write_line(w, stream, b, w->len[stream], false, now_ns);
            w->len[stream] = 0;
            data++, n--;
        }
    }
}

void ck_log_writer_flush(ck_log_writer *w, int stream, int64_t now_ns)
{
    if (w->len[stream]) write_line(w, stream, w->buf[stream], w->len[stream], true, now_ns);
    w->len[stream] = 0;
}

/* ---- options (NewLogOptions + ValidatePodLogOptions) --------------------- */

/* apimachinery's query conversion: "0", "f", "false", "n", "no" are false. */
static bool query_bool(const char *v)
{
    if (!v) return false;
    static const char *const no[] = {"0", "f", "false", "n", "no", NULL};
    for (int i = 0; no[i]; i++)
        if (strcasecmp(v, no[i]) == 0) return false;
    return true;
}

static int query_int(const char *key, const char *v, bool *set, int64_t *out, char *err, size_t errlen)
{
    *set = false;
    if (!v || !*v) return 0;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (*end || errno) return snprintf(err, errlen, "strconv.ParseInt: parsing \"%s\": invalid syntax", v), -1;
    (void)key;
    *set = true;
    *out = x;
    return 0;
}

int ck_log_options_parse(ck_log_query_fn get, void *cls, int64_t now_ns, ck_log_options *o, char *err,
                         size_t errlen)
{
    *o = (ck_log_options){.tail_lines = -1, .limit_bytes = -1};
    o->follow = query_bool(get(cls, "follow"));
    o->previous = query_bool(get(cls, "previous"));
    o->timestamps = query_bool(get(cls, "timestamps"));
    bool has_tail, has_limit, has_since;
    int64_t tail = 0, limit = 0, since_s = 0, since_t = 0;
    const char *tail_q = get(cls, "tailLines");
    if (!tail_q || !*tail_q) tail_q = get(cls, "tail"); /* the kubelet's backwards-compatible "tail" */
    if (tail_q && strcmp(tail_q, "all") == 0) tail_q = NULL;
    if (query_int("tailLines", tail_q, &has_tail, &tail, err, errlen) < 0 ||
        query_int("limitBytes", get(cls, "limitBytes"), &has_limit, &limit, err, errlen) < 0 ||
        query_int("sinceSeconds", get(cls, "sinceSeconds"), &has_since, &since_s, err, errlen) < 0)
        return -1;
    const char *st = get(cls, "sinceTime");
    bool has_time = st && *st;
    if (has_time && ck_log_time_parse(st, strlen(st), &since_t) < 0)
        return snprintf(err, errlen, "parsing time \"%s\" as \"2006-01-02T15:04:05Z07:00\": cannot parse", st), -1;
    if (has_tail && tail < 0)
        return snprintf(err, errlen, "tailLines: Invalid value: %" PRId64 ": must be greater than or equal to 0", tail), -2;
    if (has_limit && limit < 1)
        return snprintf(err, errlen, "limitBytes: Invalid value: %" PRId64 ": must be greater than 0", limit), -2;
    if (has_since && has_time)
        return snprintf(err, errlen, ": Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"), -2;
    if (has_since && since_s < 1)
        return snprintf(err, errlen, "sinceSeconds: Invalid value: %" PRId64 ": must be greater than 0", since_s), -2;
    if (has_tail) o->tail_lines = tail;
    if (has_limit) o->limit_bytes = limit;
    if (has_since) o->since_ns = now_ns - since_s * NS_PER_S;
    if (has_time && since_t > o->since_ns) o->since_ns = since_t;
    return 0;
}

/* ---- the reader ------------------------------------------------------------ */

struct ck_log_reader {
    int fd;
    ck_log_options o;
    ck_log_wait_fn wait;
    void *cls;
    char *in;                    /* file bytes not yet parsed: in[pos..len) */
    size_t in_len, in_pos, in_cap;
    char *out;                   /* formatted output not yet returned */
    size_t out_len, out_pos, out_cap;
    int64_t remain;              /* limitBytes left */
    bool new_line;               /* the next message starts a line: it gets the timestamp */
    bool final;                  /* following ended: read to EOF once more, then stop */
    bool done;
};

/* FindTailLineStartIndex: the offset of the n-th line from the end; an
 * unterminated last line does not count. */
static off_t tail_start(int fd, int64_t n)
{
    if (n < 0) return 0;
    off_t size = lseek(fd, 0, SEEK_END), left = 0;
    if (size <= 0) return 0;
    char buf[TAIL_BLOCK];
    size_t blen = 0;
    int64_t cnt = 0;
    for (off_t right = size; right > 0 && cnt <= n; right -= TAIL_BLOCK) {
        left = right > TAIL_BLOCK ? right - TAIL_BLOCK : 0;
        ssize_t got = pread(fd, buf, (size_t)(right - left), left);
        if (got < 0) return 0;
        blen = (size_t)got;
        for (size_t i = 0; i < blen; i++) cnt += buf[i] == '\n';
    }
    size_t p = 0;
    for (; cnt > n; cnt--) {
        char *nl = memchr(buf + p, '\n', blen - p);
        if (!nl) break;
        size_t idx = (size_t)(nl - (buf + p)) + 1;
        p += idx;
        left += (off_t)idx;
    }
    return left;
}

ck_log_reader *ck_log_reader_open(const char *path, const ck_log_options *o, ck_log_wait_fn wait, void *cls,
                                  char *err, size_t errlen)
{
    ck_log_reader *r = calloc(1, sizeof *r);
    if (!r) return snprintf(err, errlen, "out of memory"), NULL;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        snprintf(err, errlen, "failed to open log file \"%s\": %s", path, strerror(errno));
        free(r);
        return NULL;
    }
    r->o = *o;
    r->wait = wait;
    r->cls = cls;
    r->remain = o->limit_bytes >= 0 ? o->limit_bytes : INT64_MAX;
    r->new_line = true;
    r->done = o->limit_bytes == 0;
    r->in_cap = 64 * 1024;
    r->in = malloc(r->in_cap);
    if (!r->in || lseek(r->fd, tail_start(r->fd, o->tail_lines), SEEK_SET) < 0) {
        snprintf(err, errlen, "failed to tail log file \"%s\"", path);
        ck_log_reader_close(r);
        return NULL;
    }
    return r;
}

void ck_log_reader_close(ck_log_reader *r)
{
    if (!r) return;
    if (r->fd >= 0) close(r->fd);
    free(r->in);
    free(r->out);
    free(r);
}

/* logWriter.write: since, the timestamp prefix, the byte limit. */
static int emit(ck_log_reader *r, const char *line, size_t n)
{
    ck_log_line m;
    if (ck_log_parse(line, n, &m) < 0) return 0; /* skipped, as ReadLogs does */
    bool starts = r->new_line;
    r->new_line = m.len == 0 || m.msg[m.len - 1] == '\n';
    if (r->o.since_ns && m.ts_ns < r->o.since_ns) return 0;
    size_t need = m.len + CK_LOG_HDR_LEN;
    if (need > r->out_cap) {
        char *b = realloc(r->out, need);
        if (!b) return -1;
        r->out = b;
        r->out_cap = need;
    }
    size_t len = 0;
    if (r->o.timestamps && starts) {
        len = ck_log_time_format(r->out, m.ts_ns);
        r->out[len++] = ' ';
    }
    memcpy(r->out + len, m.msg, m.len);
    len += m.len;
    if ((int64_t)len > r->remain) len = (size_t)r->remain;
    r->remain -= (int64_t)len;
    if (r->remain <= 0) r->done = true;
    r->out_len = len;
    r->out_pos = 0;
    return 0;
}

/* Reads more of the file into r->in; 1 got bytes, 0 at EOF, 2 when r->in
 * is full without a newline, -1 on error. */
static int fill(ck_log_reader *r)
{
    if (r->in_pos) {
        memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
        r->in_len -= r->in_pos;
        r->in_pos = 0;
    }
    if (r->in_len == r->in_cap) {
        if (r->in_cap >= MAX_PENDING) return 2;
        char *b = realloc(r->in, r->in_cap * 2);
        if (!b) return -1;
        r->in = b;
        r->in_cap *= 2;
    }
    for (;;) {
        ssize_t got = read(r->fd, r->in + r->in_len, r->in_cap - r->in_len);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return -1;
        r->in_len += (size_t)got;
        return got > 0;
    }
}

ssize_t ck_log_reader_read(ck_log_reader *r, char *buf, size_t max)
{
    for (;;) {
        if (r->out_pos < r->out_len) {
            size_t n = r->out_len - r->out_pos < max ? r->out_len - r->out_pos : max;
            memcpy(buf, r->out + r->out_pos, n);
            r->out_pos += n;
            return (ssize_t)n;
        }
        r->out_len = r->out_pos = 0;
        if (r->done) return 0;
        char *nl = memchr(r->in + r->in_pos, '\n', r->in_len - r->in_pos);
        if (nl) {
            size_t n = (size_t)(nl - (r->in + r->in_pos)) + 1;
            if (emit(r, r->in + r->in_pos, n) < 0) return -1;
            r->in_pos += n;
            continue;
        }
        int got = fill(r);
        if (got < 0) return -1;
        if (got == 2) { /* no newline in MAX_PENDING bytes: not CRI; out as one line */
            if (emit(r, r->in, r->in_len) < 0) return -1;
            r->in_pos = r->in_len = 0;
            continue;
        }
        if (got > 0) continue;
        if (r->o.follow && !r->final && r->wait) {
            /* an incomplete line stays in r->in: it is read again once whole */
            int w = r->wait(r->cls);
            if (w < 0) r->done = true;
            else if (w == 0) r->final = true;
            continue;
        }
        /* the end: an unterminated last line is still written (ReadLogs) */
        if (r->in_len > r->in_pos && emit(r, r->in + r->in_pos, r->in_len - r->in_pos) < 0) return -1;
        r->in_pos = r->in_len = 0;
        r->done = true; /* what emit left in r->out is returned first */
    }
}

size_t ck_log_tail_text(const char *path, int64_t lines, int64_t max_bytes, char *out, size_t outlen)
{
    if (!outlen) return 0;
    out[0] = 0;
    ck_log_options o = {.tail_lines = lines, .limit_bytes = -1};
    char err[256];
    ck_log_reader *r = ck_log_reader_open(path, &o, NULL, NULL, err, sizeof err);
    if (!r) return 0;
    /* upstream writes into a circbuf of max_bytes: the last bytes win */
    size_t keep = outlen - 1;
    if (max_bytes >= 0 && (uint64_t)max_bytes < keep) keep = (size_t)max_bytes;
    size_t len = 0;
    char chunk[4096];
    ssize_t got;
    while ((got = ck_log_reader_read(r, chunk, sizeof chunk)) > 0) {
        size_t g = (size_t)got;
        if (g >= keep) {
            memcpy(out, chunk + g - keep, keep);
            len = keep;
            continue;
        }
        if (len + g > keep) {
            size_t drop = len + g - keep;
            memmove(out, out + drop, len - drop);
            len -= drop;
        }
        memcpy(out + len, chunk, g);
        len += g;
    }
    ck_log_reader_close(r);
    out[len] = 0;
    return len;
}

/* ---- serving /containerLogs (pkg/kubelet/server getContainerLogs) ------- */

typedef struct log_stream {
    ck_kubelet *k;
    int sock;                 /* the client's socket: its hang-up ends a follow */
    char id[CK_CRI_ID_LEN];   /* the container followed; "" = not running */
    ck_log_reader *r;
} log_stream;

/* waitLogs: new lines, the container's end, or the client's. */
static int follow_wait(void *cls)
{
    log_stream *s = cls;
    struct pollfd p = {s->sock, POLLRDHUP, 0};
    if (s->sock < 0) usleep(100000);
    else if (poll(&p, 1, 100) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))) return -1;
    ck_cri_container_status st;
    char err[256];
    if (!s->id[0] || s->k->rt->ops->container_status(s->k->rt, s->id, &st, err, sizeof err) < 0) return 0;
    return st.state == CK_CONTAINER_RUNNING;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    log_stream *s = cls;
    ssize_t n = ck_log_reader_read(s->r, buf, max);
    return n > 0 ? n : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
    log_stream *s = cls;
    ck_log_reader_close(s->r);
    free(s);
}

static int reply_text(struct MHD_Connection *c, unsigned code, const char *msg)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain");
    int rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

static const char *query_get(void *cls, const char *key)
{
    return MHD_lookup_connection_value(cls, MHD_GET_ARGUMENT_KIND, key);
}

static ck_ctr_record *find_record(ck_pod_worker *w, const char *name)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->ctrs[i].name, name) == 0) return &w->ctrs[i];
    for (size_t i = 0; i < w->n_eph; i++) /* kubectl logs -c <ephemeral container> */
        if (strcmp(w->eph[i].name, name) == 0) return &w->eph[i];
    return NULL;
}

/* Which log to read (validateContainerLogStatus): the path and, for the
 * running attempt, the container id to follow. 0, or an HTTP code with msg. */
static int pick_log(ck_kubelet *k, const char *ns, const char *pod, const char *ctr, bool previous, char *path,
                    size_t pathlen, char id[CK_CRI_ID_LEN], char *msg, size_t msglen)
{
    ck_pod_worker *w = ck_kubelet_lock_pod(k, ns, pod);
    ck_ctr_record *r = w ? find_record(w, ctr) : NULL;
    int code = 0;
    id[0] = 0;
    if (!w) {
        snprintf(msg, msglen, "pod \"%s\" does not exist", pod);
        code = 404;
    } else if (!r) {
        snprintf(msg, msglen, "container \"%s\" not found in pod \"%s\"", ctr, pod);
        code = 404;
    } else if (previous && r->restart_count < 1) {
        snprintf(msg, msglen, "previous terminated container \"%s\" in pod \"%s\" not found", ctr, pod);
        code = 400;
    } else if (!previous && !r->id[0]) {
        const char *why = r->waiting_reason[0] ? r->waiting_reason : "ContainerCreating";
        if (strcmp(why, "ErrImagePull") == 0) why = "image can't be pulled";
        else if (strcmp(why, "ImagePullBackOff") == 0) why = "trying and failing to pull image";
        snprintf(msg, msglen, "container \"%s\" in pod \"%s\" is waiting to start: %s", ctr, pod, why);
        code = 400;
    } else {
        if (!previous) snprintf(id, CK_CRI_ID_LEN, "%s", r->id);
        if (ck_log_path(k, w, ctr, previous ? r->restart_count - 1 : r->restart_count, path, pathlen) < 0) {
            snprintf(msg, msglen, "log path of container \"%s\" too long", ctr);
            code = 500;
        }
    }
    if (w) pthread_mutex_unlock(&w->mu);
    return code;
}

int ck_logs_serve(ck_kubelet *k, struct MHD_Connection *c, const char *ns, const char *pod, const char *ctr)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    ck_log_options o;
    char msg[1024], path[1200];
    int rc = ck_log_options_parse(query_get, c, (int64_t)now.tv_sec * NS_PER_S + now.tv_nsec, &o, msg, sizeof msg);
    if (rc < 0) return reply_text(c, rc == -1 ? 400 : 422, msg);
    log_stream *s = calloc(1, sizeof *s);
    if (!s) return MHD_NO;
    s->k = k;
    int code = pick_log(k, ns, pod, ctr, o.previous, path, sizeof path, s->id, msg, sizeof msg);
    if (code) {
        free(s);
        return reply_text(c, (unsigned)code, msg);
    }
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    s->sock = ci ? ci->connect_fd : -1;
    s->r = ck_log_reader_open(path, &o, follow_wait, s, msg, sizeof msg);
    if (!s->r) { /* no output yet: nothing to show */
        free(s);
        return reply_text(c, 200, "");
    }
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_read, s,
                                                                  stream_free);
    if (!resp) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "text/plain");
    rc = MHD_queue_response(c, 200, resp);
    MHD_destroy_response(resp);
    return rc;
}
