/* watch.c: the watch stream. The apiserver writes one metav1.WatchEvent JSON
 * object per line ({"type":"ADDED","object":{...}}); curl hands us arbitrary
 * chunks, so the decoder buffers until a newline and decodes whole events. */
#define _GNU_SOURCE
#include "client/watch.h"
#include "client/rest_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVENT_MAX (64u << 20)

static const char *const type_names[] = {
    [CK_WATCH_ADDED] = "ADDED",       [CK_WATCH_MODIFIED] = "MODIFIED",
    [CK_WATCH_DELETED] = "DELETED",   [CK_WATCH_BOOKMARK] = "BOOKMARK",
    [CK_WATCH_ERROR] = "ERROR",
};

int ck_watch_type_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof type_names / sizeof *type_names; i++)
        if (!strcmp(s, type_names[i])) return (int)i;
    return -1;
}

const char *ck_watch_type_name(ck_watch_type t)
{
    return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "";
}

struct ck_watch_decoder {
    ck_watch_fn fn;
    void *ud;
    char *buf;       /* the incomplete tail of the stream */
    size_t n, cap;
    char err[256];
};

ck_watch_decoder *ck_watch_decoder_new(ck_watch_fn fn, void *ud)
{
    ck_watch_decoder *d = calloc(1, sizeof *d);
    if (d) d->fn = fn, d->ud = ud;
    return d;
}

void ck_watch_decoder_free(ck_watch_decoder *d)
{
    if (!d) return;
    free(d->buf);
    free(d);
}

const char *ck_watch_decoder_error(const ck_watch_decoder *d) { return d->err; }

/* Decodes one complete event line; blank lines (keep-alives) are skipped. */
static int decode_line(ck_watch_decoder *d, const char *line, size_t len)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ')) len--;
    if (!len) return 0;
    json_error_t je;
    json_t *ev = json_loadb(line, len, 0, &je);
    if (!ev) {
        snprintf(d->err, sizeof d->err, "malformed watch event: %s", je.text);
        return -1;
    }
    int type = ck_watch_type_parse(json_string_value(json_object_get(ev, "type")));
    json_t *obj = json_object_get(ev, "object");
    int rc = 0;
    if (type < 0 || !json_is_object(obj)) {
        snprintf(d->err, sizeof d->err, "invalid watch event: type %s",
                 json_string_value(json_object_get(ev, "type")) ?: "(none)");
        rc = -1;
    } else if (d->fn(type, obj, d->ud)) {
        rc = 1;
    }
    json_decref(ev);
    return rc;
}

int ck_watch_decoder_feed(ck_watch_decoder *d, const char *data, size_t len)
{
    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) : len;
        if (d->n + take + 1 > EVENT_MAX) {
            snprintf(d->err, sizeof d->err, "watch event larger than %u bytes", EVENT_MAX);
            return -1;
        }
        int rc = 0;
        if (nl && !d->n) {
            rc = decode_line(d, data, take); /* whole line in this chunk: no copy */
        } else {
            if (d->n + take + 1 > d->cap) {
                size_t cap = d->cap ? d->cap : 4096;
                while (cap < d->n + take + 1) cap *= 2;
                char *p = realloc(d->buf, cap);
                if (!p) return snprintf(d->err, sizeof d->err, "out of memory"), -1;
                d->buf = p, d->cap = cap;
            }
            memcpy(d->buf + d->n, data, take);
            d->n += take;
            if (nl) {
                rc = decode_line(d, d->buf, d->n);
                d->n = 0;
            }
        }
        if (rc) return rc;
        data += take + (nl ? 1 : 0);
        len -= take + (nl ? 1 : 0);
    }
    return 0;
}

int ck_watch_decoder_finish(ck_watch_decoder *d)
{
    size_t i = 0;
    while (i < d->n && (d->buf[i] == ' ' || d->buf[i] == '\r' || d->buf[i] == '\t')) i++;
    if (i == d->n) return 0;
    snprintf(d->err, sizeof d->err, "watch stream ended inside an event (%zu bytes)", d->n);
    return -1;
}

/* ---- the request ------------------------------------------------------- */

typedef struct wctx {
    ck_watch_decoder *dec;
    CURL *h;
    long code;          /* known once the first body byte arrives */
    int rc;             /* decoder verdict: 0, 1 stop, -1 error */
    char *errbody;      /* non-200 body, for the Status */
    size_t errn;
    const atomic_int *cancel;
} wctx;

static size_t on_data(char *data, size_t sz, size_t nm, void *ud)
{
    wctx *w = ud;
    size_t len = sz * nm;
    if (!w->code) curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &w->code);
    if (w->code != 200) { /* an error Status: keep it (bounded) */
        if (w->errn + len > 1u << 20) return 0;
        char *p = realloc(w->errbody, w->errn + len + 1);
        if (!p) return 0;
        memcpy(p + w->errn, data, len);
        w->errbody = p, w->errn += len;
        return len;
    }
    w->rc = ck_watch_decoder_feed(w->dec, data, len);
    return w->rc ? 0 : len; /* 0 aborts the transfer */
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    wctx *w = ud;
    return w->cancel && atomic_load(w->cancel) ? 1 : 0;
}

int ck_rest_watch(ck_rest *c, const ck_resource_ref *ref, const ck_list_opts *opts, ck_watch_fn fn,
                  void *ud, const atomic_int *cancel, ck_response *resp)
{
    char q[1536], path[2048];
    memset(resp, 0, sizeof *resp);
    ck_resource_ref coll = *ref;
    coll.name = coll.subresource = NULL;
    if (ck_list_query(opts, true, q, sizeof q) < 0 || ck_rest_path(&coll, q, path, sizeof path) < 0) {
        snprintf(resp->message, sizeof resp->message, "invalid watch request");
        return -1;
    }
    wctx w = {.dec = ck_watch_decoder_new(fn, ud), .cancel = cancel};
    char *url = ck_rest_url(c, path);
    struct curl_slist *hdrs = ck_rest_headers(c, NULL);
    w.h = ck_rest_handle_acquire(c);
    int rc = -1;
    if (!w.dec || !url || !hdrs || !w.h) {
        snprintf(resp->message, sizeof resp->message, "out of memory");
        goto out;
    }
    curl_easy_setopt(w.h, CURLOPT_URL, url);
    curl_easy_setopt(w.h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(w.h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(w.h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(w.h, CURLOPT_WRITEDATA, &w);
    curl_easy_setopt(w.h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(w.h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(w.h, CURLOPT_XFERINFODATA, &w);
    /* No whole-request timeout: the server ends the stream (timeoutSeconds);
     * a silent dead peer is caught by TCP keep-alive. */
    curl_easy_setopt(w.h, CURLOPT_TCP_KEEPIDLE, 30L);
    CURLcode cc = curl_easy_perform(w.h);
    if (!w.code) curl_easy_getinfo(w.h, CURLINFO_RESPONSE_CODE, &w.code);
    if (w.code && w.code != 200) {
        ck_rest_fill_response(resp, w.code, w.errbody, w.errn);
        goto out;
    }
    resp->code = w.code;
    if (w.rc == 1 || cc == CURLE_ABORTED_BY_CALLBACK) {
        rc = 1;
    } else if (w.rc < 0) {
        snprintf(resp->message, sizeof resp->message, "%s", ck_watch_decoder_error(w.dec));
    } else if (cc != CURLE_OK) {
        snprintf(resp->message, sizeof resp->message, "watch %.300s: %s", path, curl_easy_strerror(cc));
    } else if (ck_watch_decoder_finish(w.dec)) {
        snprintf(resp->message, sizeof resp->message, "%s", ck_watch_decoder_error(w.dec));
    } else {
        rc = 0;
    }
out:
    /* A handle whose transfer was cut off mid-stream is not worth pooling. */
    if (rc == 0) ck_rest_handle_release(c, w.h);
    else if (w.h) curl_easy_cleanup(w.h);
    curl_slist_free_all(hdrs);
    free(url);
    free(w.errbody);
    ck_watch_decoder_free(w.dec);
    return rc;
}
