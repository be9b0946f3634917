/* etcd3_watch.c: the etcd3 backend's watches, the counterpart of
 * k8s.io/apiserver/pkg/storage/etcd3/watcher.go. Each watch owns a thread
 * that holds one streaming POST /v3/watch (newline-delimited JSON messages
 * from the gateway) and calls the callback with no store lock held. */
#include "store/etcd3_internal.h"
#include "util/log.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WATCH_CREATE_TIMEOUT_S 15

struct etcd3_watch {
    ck_etcd3 *s;
    ck_watch_fn fn;
    void *ctx;
    char *body; /* the create_request, alive while curl may send it */
    CURL *easy;
    CURLM *multi;
    pthread_t th;
    int stop; /* atomic; set by watch_stop */
    pthread_mutex_t mu; /* guards state/rc/err for the creation handshake */
    pthread_cond_t cv;
    enum { W_STARTING, W_CREATED, W_FAILED } state;
    ck_store_rc rc;
    char err[256];
    bool finished; /* ended by the stream (cancel, error): no more callbacks */
    char *buf; /* bytes of the message being received */
    size_t len, cap;
    etcd3_watch *next; /* in s->watches */
};

static bool stopping(etcd3_watch *w) { return __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE); }

/* Ends the watch: before "created" the failure goes back to ck_etcd3_watch's
 * caller; after it, the callback hears it once (header contract). */
static void watch_end(etcd3_watch *w, ck_store_rc rc, const char *msg)
{
    if (w->finished) return;
    w->finished = true;
    pthread_mutex_lock(&w->mu);
    bool created = w->state == W_CREATED;
    if (!created) {
        w->state = W_FAILED;
        w->rc = rc;
        snprintf(w->err, sizeof w->err, "%s", msg);
        pthread_cond_signal(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    if (created && !stopping(w)) {
        ck_warn("etcd3 watch ended: %s", msg);
        w->fn(w->ctx, NULL, rc);
    }
}

static int deliver(etcd3_watch *w, const json_t *events)
{
    size_t i;
    const json_t *je;
    json_array_foreach(events, i, je) {
        ck_store_event ev = {0};
        char err[128];
        const char *type = json_string_value(json_object_get(je, "type"));
        ev.type = type && !strcmp(type, "DELETE") ? CK_STORE_DELETE : CK_STORE_PUT;
        const json_t *prev = json_object_get(je, "prev_kv");
        if (ck_etcd3_kv_decode(json_object_get(je, "kv"), &ev.kv, err, sizeof err) ||
            (prev && ck_etcd3_kv_decode(prev, &ev.prev, err, sizeof err))) {
            ck_kv_free(&ev.kv);
            watch_end(w, CK_STORE_ERROR, err);
            return -1;
        }
        if (!stopping(w)) w->fn(w->ctx, &ev, CK_STORE_OK);
        ck_kv_free(&ev.kv);
        ck_kv_free(&ev.prev);
    }
    return 0;
}

/* One gateway message: {"result": WatchResponse} or {"error": Status}.
 * Returns -1 when the watch is over. */
static int handle_message(etcd3_watch *w, const json_t *m)
{
    char msg[256];
    const json_t *e = json_object_get(m, "error");
    if (e) {
        int code = (int)json_integer_value(json_object_get(e, "grpc_code"));
        const char *text = json_string_value(json_object_get(e, "message"));
        snprintf(msg, sizeof msg, "etcd3 %s/v3/watch: %s", w->s->endpoint, text ? text : "error");
        watch_end(w, code == 14 || code == 4 ? CK_STORE_UNAVAILABLE : CK_STORE_ERROR, msg);
        return -1;
    }
    const json_t *r = json_object_get(m, "result");
    if (!r) return 0;
    int64_t compact = ck_etcd3_int(r, "compact_revision");
    if (compact || json_is_true(json_object_get(r, "canceled"))) {
        /* watcher.go turns this into 410 Gone ("too old resource version"). */
        const char *why = json_string_value(json_object_get(r, "cancel_reason"));
        if (compact)
            snprintf(msg, sizeof msg, "mvcc: required revision has been compacted "
                     "(compact revision %lld)", (long long)compact);
        else
            snprintf(msg, sizeof msg, "watch canceled: %s", why ? why : "no reason given");
        watch_end(w, compact ? CK_STORE_COMPACTED : CK_STORE_ERROR, msg);
        return -1;
    }
    if (json_is_true(json_object_get(r, "created"))) {
        pthread_mutex_lock(&w->mu);
        w->state = W_CREATED;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
    /* Progress notifications carry only a header; nothing to deliver. */
    return deliver(w, json_object_get(r, "events"));
}

static size_t on_stream(char *data, size_t size, size_t nmemb, void *ud)
{
    etcd3_watch *w = ud;
    size_t n = size * nmemb;
    if (w->finished || stopping(w)) return 0;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n) cap *= 2;
        char *p = realloc(w->buf, cap);
        if (!p) { watch_end(w, CK_STORE_ERROR, "etcd3 watch: out of memory"); return 0; }
        w->buf = p;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, data, n);
    w->len += n;
    char *nl;
    while (!w->finished && (nl = memchr(w->buf, '\n', w->len))) {
        size_t line = (size_t)(nl - w->buf) + 1;
        json_error_t je;
        json_t *m = json_loadb(w->buf, line - 1, 0, &je);
        memmove(w->buf, w->buf + line, w->len - line);
        w->len -= line;
        if (!m) {
            if (line > 1) watch_end(w, CK_STORE_ERROR, "etcd3 watch: unreadable message");
            continue;
        }
        handle_message(w, m);
        json_decref(m);
    }
    return w->finished ? 0 : n;
}

static void *watch_main(void *arg)
{
    etcd3_watch *w = arg;
    int running = 1;
    curl_multi_add_handle(w->multi, w->easy);
    while (!stopping(w) && !w->finished && running) {
        curl_multi_perform(w->multi, &running);
        if (running && !w->finished && !stopping(w))
            curl_multi_poll(w->multi, NULL, 0, 1000, NULL); /* woken by watch_stop */
    }
    CURLcode res = CURLE_OK;
    CURLMsg *cm;
    int q;
    while ((cm = curl_multi_info_read(w->multi, &q)))
        if (cm->msg == CURLMSG_DONE) res = cm->data.result;
    if (!stopping(w) && !w->finished) {
        char msg[256];
        snprintf(msg, sizeof msg, "etcd3 %s/v3/watch: stream ended: %s", w->s->endpoint,
                 res == CURLE_OK ? "closed by server" : curl_easy_strerror(res));
        watch_end(w, CK_STORE_UNAVAILABLE, msg);
    }
    curl_multi_remove_handle(w->multi, w->easy);
    return NULL;
}

static void watch_free(etcd3_watch *w)
{
    if (w->multi) curl_multi_cleanup(w->multi);
    if (w->easy) curl_easy_cleanup(w->easy);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w->body);
    free(w->buf);
    free(w);
}

static void watch_join(etcd3_watch *w)
{
    __atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
    curl_multi_wakeup(w->multi);
    pthread_join(w->th, NULL);
}

/* etcd sends the compaction cancel asynchronously (mvcc's syncWatchers runs
 * every 100ms), so a range at after_rev+1 tells COMPACTED synchronously, as
 * the header promises. A future revision is fine: the watch waits for it. */
static ck_store_rc precheck(ck_etcd3 *s, json_t *key, json_t *end,
                            int64_t after_rev, char *err, size_t errlen)
{
    char r[24];
    json_t *resp = NULL;
    snprintf(r, sizeof r, "%lld", (long long)after_rev + 1);
    json_t *req = json_pack("{s:O,s:O,s:s,s:s,s:b}", "key", key, "range_end", end, "revision", r,
                            "limit", "1", "keys_only", 1);
    ck_store_rc rc = ck_etcd3_call(s, "/v3/kv/range", req, &resp, err, errlen);
    json_decref(resp);
    if (rc == CK_STORE_ERROR && strstr(err, "future revision")) rc = CK_STORE_OK;
    return rc;
}

static etcd3_watch *watch_new(ck_etcd3 *s, json_t *req, ck_watch_fn fn, void *ctx)
{
    etcd3_watch *w = calloc(1, sizeof *w);
    if (!w) { json_decref(req); return NULL; }
    w->s = s;
    w->fn = fn;
    w->ctx = ctx;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    char url[1024];
    snprintf(url, sizeof url, "%s/v3/watch", s->endpoint);
    if (!w->body || !(w->easy = ck_etcd3_easy_new()) || !(w->multi = curl_multi_init())) {
        watch_free(w);
        return NULL;
    }
    curl_easy_setopt(w->easy, CURLOPT_URL, url);
    curl_easy_setopt(w->easy, CURLOPT_POSTFIELDS, w->body);
    curl_easy_setopt(w->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(w->body));
    curl_easy_setopt(w->easy, CURLOPT_WRITEFUNCTION, on_stream);
    curl_easy_setopt(w->easy, CURLOPT_WRITEDATA, w);
    return w;
}

/* Waits for the "created" message (or a failure) from the watch thread. */
static ck_store_rc wait_created(etcd3_watch *w, char *err, size_t errlen)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WATCH_CREATE_TIMEOUT_S;
    ck_store_rc rc = CK_STORE_OK;
    pthread_mutex_lock(&w->mu);
    while (w->state == W_STARTING)
        if (pthread_cond_timedwait(&w->cv, &w->mu, &deadline) == ETIMEDOUT) break;
    if (w->state == W_FAILED) {
        rc = w->rc;
        snprintf(err, errlen, "%s", w->err);
    } else if (w->state == W_STARTING) {
        rc = CK_STORE_UNAVAILABLE;
        snprintf(err, errlen, "etcd3 %s/v3/watch: no \"created\" response in %ds",
                 w->s->endpoint, WATCH_CREATE_TIMEOUT_S);
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

ck_store_watch *ck_etcd3_watch(ck_store *st, const char *prefix, int64_t after_rev,
                               ck_watch_fn fn, void *ctx, ck_store_rc *rc, char *err,
                               size_t errlen)
{
    ck_etcd3 *s = (ck_etcd3 *)st;
    json_t *key = *prefix ? ck_etcd3_b64(prefix, strlen(prefix)) : ck_etcd3_b64("", 1);
    json_t *end = ck_etcd3_prefix_end(prefix);
    etcd3_watch *w = NULL;
    *rc = key && end ? CK_STORE_OK : CK_STORE_ERROR;
    if (*rc == CK_STORE_OK && after_rev > 0)
        *rc = precheck(s, key, end, after_rev, err, errlen);
    if (*rc == CK_STORE_OK) {
        /* start_revision 0 is etcd's "from now"; after_rev 0 means the same. */
        char r[24];
        snprintf(r, sizeof r, "%lld", after_rev > 0 ? (long long)after_rev + 1 : 0LL);
        w = watch_new(s, json_pack("{s:{s:O,s:O,s:s,s:b}}", "create_request", "key", key,
                                   "range_end", end, "start_revision", r, "prev_kv", 1),
                      fn, ctx);
        if (!w) {
            *rc = CK_STORE_ERROR;
            snprintf(err, errlen, "etcd3: out of memory");
        }
    } else if (!key || !end) {
        snprintf(err, errlen, "etcd3: out of memory");
    }
    json_decref(key);
    json_decref(end);
    if (!w) return NULL;
    if (pthread_create(&w->th, NULL, watch_main, w)) {
        watch_free(w);
        *rc = CK_STORE_ERROR;
        snprintf(err, errlen, "etcd3: cannot start watch thread");
        return NULL;
    }
    if ((*rc = wait_created(w, err, errlen)) != CK_STORE_OK) {
        watch_join(w);
        watch_free(w);
        return NULL;
    }
    pthread_mutex_lock(&s->mu);
    w->next = s->watches;
    s->watches = w;
    pthread_mutex_unlock(&s->mu);
    return (ck_store_watch *)w;
}

void ck_etcd3_watch_stop(ck_store_watch *wh)
{
    etcd3_watch *w = (etcd3_watch *)wh;
    if (!w) return;
    ck_etcd3 *s = w->s;
    pthread_mutex_lock(&s->mu);
    for (etcd3_watch **p = &s->watches; *p; p = &(*p)->next)
        if (*p == w) { *p = w->next; break; }
    pthread_mutex_unlock(&s->mu);
    watch_join(w);
    watch_free(w);
}
