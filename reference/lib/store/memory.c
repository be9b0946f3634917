/* memory.c: the in-memory storage backend, with etcd's semantics (one global
 * revision, mod_revision preconditions, ordered watches with history) for
 * unit tests and fuzzing. Its bounded event history plays etcd's compaction:
 * a watch from a revision that has left it fails with CK_STORE_COMPACTED. */
#include "store/store.h"
#include "util/log.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEM_DEFAULT_HISTORY 10000

/* An event shared by the history ring and every watcher queue it is in. */
typedef struct mem_event {
    int refs; /* atomic */
    ck_store_event ev;
} mem_event;

typedef struct mem_qnode {
    mem_event *e;
    struct mem_qnode *next;
} mem_qnode;

typedef struct mem_store mem_store;

typedef struct mem_watch {
    mem_store *s;
    char *prefix;
    size_t plen;
    int64_t after_rev;
    ck_watch_fn fn;
    void *ctx;
    pthread_t th;
    pthread_mutex_t mu; /* guards the queue, stop, failed */
    pthread_cond_t cv;
    bool stop;
    ck_store_rc failed; /* != OK: the watch ends with this (queue allocation failed) */
    mem_qnode *head, *tail;
    struct mem_watch *next; /* in s->watchers, under s->mu */
} mem_watch;

struct mem_store {
    ck_store base;
    pthread_mutex_t mu;
    ck_kv *kvs; /* sorted by key */
    size_t n, cap;
    int64_t rev; /* current revision; etcd starts at 1 */
    mem_event **ring;
    size_t hist_cap, hist_head, hist_count;
    int64_t first_rev; /* lowest revision a watch may start at (etcd's compact revision) */
    mem_watch *watchers;
};

#define OOM(err, errlen) (snprintf(err, errlen, "memory store: out of memory"), CK_STORE_ERROR)

static void event_unref(mem_event *e)
{
    if (e && __atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        ck_kv_free(&e->ev.kv);
        ck_kv_free(&e->ev.prev);
        free(e);
    }
}

static int kv_copy(ck_kv *dst, const ck_kv *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->key) return 0;
    dst->key = strdup(src->key);
    dst->value = malloc(src->value_len + 1);
    if (!dst->key || !dst->value) { ck_kv_free(dst); return -1; }
    if (src->value_len) memcpy(dst->value, src->value, src->value_len);
    dst->value[src->value_len] = '\0';
    dst->value_len = src->value_len;
    dst->create_rev = src->create_rev;
    dst->mod_rev = src->mod_rev;
    return 0;
}

/* Index of key, or of where it would be inserted; *found says which. */
static size_t find(const mem_store *s, const char *key, bool *found)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->kvs[mid].key, key);
        if (c == 0) { *found = true; return mid; }
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    *found = false;
    return lo;
}

/* ---- history and watcher fan-out (all under s->mu) ---- */

static mem_event *event_new(ck_store_event_type type, const ck_kv *kv, const ck_kv *prev)
{
    mem_event *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->refs = 1;
    e->ev.type = type;
    if (kv_copy(&e->ev.kv, kv) || (prev && kv_copy(&e->ev.prev, prev))) {
        event_unref(e);
        return NULL;
    }
    return e;
}

static void watch_enqueue(mem_watch *w, mem_event *e)
{
    pthread_mutex_lock(&w->mu);
    mem_qnode *q = w->failed ? NULL : malloc(sizeof *q);
    if (q) {
        __atomic_add_fetch(&e->refs, 1, __ATOMIC_RELAXED);
        q->e = e;
        q->next = NULL;
        if (w->tail) w->tail->next = q; else w->head = q;
        w->tail = q;
    } else if (!w->failed) {
        w->failed = CK_STORE_ERROR; /* a gap would break the watch contract: end it */
    }
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static bool watch_matches(const mem_watch *w, const mem_event *e)
{
    return e->ev.kv.mod_rev > w->after_rev && !strncmp(e->ev.kv.key, w->prefix, w->plen);
}

/* Appends e (taking its reference) to the ring and hands it to watchers. */
static void record(mem_store *s, mem_event *e)
{
    if (s->hist_count == s->hist_cap) {
        mem_event *old = s->ring[s->hist_head];
        s->first_rev = old->ev.kv.mod_rev + 1;
        event_unref(old);
        s->hist_head = (s->hist_head + 1) % s->hist_cap;
        s->hist_count--;
    }
    s->ring[(s->hist_head + s->hist_count) % s->hist_cap] = e;
    s->hist_count++;
    for (mem_watch *w = s->watchers; w; w = w->next)
        if (watch_matches(w, e)) watch_enqueue(w, e);
}

/* ---- key-value operations ---- */

static ck_store_rc mem_get(ck_store *st, const char *key, ck_kv *out, char *err, size_t errlen)
{
    mem_store *s = (mem_store *)st;
    bool found;
    ck_store_rc rc = CK_STORE_OK;
    pthread_mutex_lock(&s->mu);
    size_t i = find(s, key, &found);
    if (!found) rc = CK_STORE_NOT_FOUND;
    else if (kv_copy(out, &s->kvs[i])) rc = OOM(err, errlen);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static ck_store_rc mem_list(ck_store *st, const char *prefix, ck_kv **out, size_t *n,
                            int64_t *rev, char *err, size_t errlen)
{
    mem_store *s = (mem_store *)st;
    size_t plen = strlen(prefix), cnt = 0;
    bool found;
    ck_store_rc rc = CK_STORE_OK;
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&s->mu);
    size_t first = find(s, prefix, &found), end = first;
    while (end < s->n && !strncmp(s->kvs[end].key, prefix, plen)) end++;
    ck_kv *kvs = calloc(end - first + 1, sizeof *kvs);
    if (!kvs) rc = OOM(err, errlen);
    for (size_t i = first; kvs && i < end; i++, cnt++)
        if (kv_copy(&kvs[cnt], &s->kvs[i])) { rc = OOM(err, errlen); break; }
    if (rev) *rev = s->rev;
    pthread_mutex_unlock(&s->mu);
    if (rc != CK_STORE_OK) { ck_kvs_free(kvs, cnt); return rc; }
    *out = kvs;
    *n = cnt;
    return rc;
}

static ck_store_rc mem_create(ck_store *st, const char *key, const char *value, size_t len,
                              int64_t *rev, char *err, size_t errlen)
{
    mem_store *s = (mem_store *)st;
    bool found;
    ck_store_rc rc = CK_STORE_OK;
    pthread_mutex_lock(&s->mu);
    size_t i = find(s, key, &found);
    if (found) {
        rc = CK_STORE_EXISTS;
        goto out;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        ck_kv *kvs = realloc(s->kvs, cap * sizeof *kvs);
        if (!kvs) { rc = OOM(err, errlen); goto out; }
        s->kvs = kvs;
        s->cap = cap;
    }
    ck_kv kv = {(char *)key, (char *)value, len, s->rev + 1, s->rev + 1}, owned;
    mem_event *e = event_new(CK_STORE_PUT, &kv, NULL);
    if (!e || kv_copy(&owned, &kv)) {
        event_unref(e);
        rc = OOM(err, errlen);
        goto out;
    }
    memmove(&s->kvs[i + 1], &s->kvs[i], (s->n - i) * sizeof *s->kvs);
    s->kvs[i] = owned;
    s->n++;
    s->rev++;
    record(s, e);
    if (rev) *rev = s->rev;
out:
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* The shared precondition check of update and delete (under s->mu). */
static ck_store_rc precondition(mem_store *s, const char *key, int64_t expected_rev, size_t *idx,
                                ck_kv *cur, char *err, size_t errlen)
{
    bool found;
    *idx = find(s, key, &found);
    if (!found) return CK_STORE_NOT_FOUND;
    if (expected_rev > 0 && s->kvs[*idx].mod_rev != expected_rev) {
        if (cur && kv_copy(cur, &s->kvs[*idx])) return OOM(err, errlen);
        return CK_STORE_CONFLICT;
    }
    return CK_STORE_OK;
}

static ck_store_rc mem_update(ck_store *st, const char *key, const char *value, size_t len,
                              int64_t expected_rev, int64_t *rev, ck_kv *cur, char *err,
                              size_t errlen)
{
    mem_store *s = (mem_store *)st;
    size_t i;
    pthread_mutex_lock(&s->mu);
    ck_store_rc rc = precondition(s, key, expected_rev, &i, cur, err, errlen);
    if (rc != CK_STORE_OK) goto out;
    ck_kv *old = &s->kvs[i];
    ck_kv kv = {old->key, (char *)value, len, old->create_rev, s->rev + 1};
    char *nv = malloc(len + 1);
    mem_event *e = nv ? event_new(CK_STORE_PUT, &kv, old) : NULL;
    if (!e) {
        free(nv);
        rc = OOM(err, errlen);
        goto out;
    }
    if (len) memcpy(nv, value, len);
    nv[len] = '\0';
    free(old->value);
    old->value = nv;
    old->value_len = len;
    old->mod_rev = ++s->rev;
    record(s, e);
    if (rev) *rev = s->rev;
out:
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static ck_store_rc mem_del(ck_store *st, const char *key, int64_t expected_rev, int64_t *rev,
                           ck_kv *prev, char *err, size_t errlen)
{
    mem_store *s = (mem_store *)st;
    size_t i;
    if (prev) memset(prev, 0, sizeof *prev);
    pthread_mutex_lock(&s->mu);
    ck_store_rc rc = precondition(s, key, expected_rev, &i, prev, err, errlen);
    if (rc != CK_STORE_OK) goto out; /* on CONFLICT *prev holds the current kv */
    ck_kv *old = &s->kvs[i];
    /* etcd's DELETE event: the key and the delete's revision, no value. */
    ck_kv tomb = {old->key, "", 0, 0, s->rev + 1};
    mem_event *e = event_new(CK_STORE_DELETE, &tomb, old);
    if (!e) { rc = OOM(err, errlen); goto out; }
    if (prev) {
        *prev = *old; /* hand over ownership */
    } else {
        ck_kv_free(old);
    }
    memmove(&s->kvs[i], &s->kvs[i + 1], (s->n - i - 1) * sizeof *s->kvs);
    s->n--;
    s->rev++;
    record(s, e);
    if (rev) *rev = s->rev;
out:
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static ck_store_rc mem_revision(ck_store *st, int64_t *rev, char *err, size_t errlen)
{
    mem_store *s = (mem_store *)st;
    pthread_mutex_lock(&s->mu);
    *rev = s->rev;
    pthread_mutex_unlock(&s->mu);
    return CK_STORE_OK;
}

/* Like etcd's Compact: drops history below rev; errors mirror mvcc's
 * ErrCompacted / ErrFutureRev (go.etcd.io/etcd/mvcc/kvstore.go). */
static ck_store_rc mem_compact(ck_store *st, int64_t rev, char *err, size_t errlen)
{
    mem_store *s = (mem_store *)st;
    ck_store_rc rc = CK_STORE_OK;
    pthread_mutex_lock(&s->mu);
    if (rev > s->rev) {
        snprintf(err, errlen, "mvcc: required revision is a future revision");
        rc = CK_STORE_ERROR;
    } else if (rev < s->first_rev) {
        snprintf(err, errlen, "mvcc: required revision has been compacted");
        rc = CK_STORE_COMPACTED;
    } else {
        while (s->hist_count && s->ring[s->hist_head]->ev.kv.mod_rev < rev) {
            event_unref(s->ring[s->hist_head]);
            s->hist_head = (s->hist_head + 1) % s->hist_cap;
            s->hist_count--;
        }
        s->first_rev = rev;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* ---- watches ---- */

static void *watch_main(void *arg)
{
    mem_watch *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && !w->head && !w->failed) pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop) break;
        if (w->head) {
            mem_qnode *q = w->head;
            w->head = q->next;
            if (!w->head) w->tail = NULL;
            pthread_mutex_unlock(&w->mu);
            w->fn(w->ctx, &q->e->ev, CK_STORE_OK);
            event_unref(q->e);
            free(q);
            pthread_mutex_lock(&w->mu);
            continue;
        }
        ck_store_rc rc = w->failed; /* queue drained and the watch has failed */
        pthread_mutex_unlock(&w->mu);
        w->fn(w->ctx, NULL, rc);
        return NULL;
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void watch_free(mem_watch *w)
{
    while (w->head) {
        mem_qnode *q = w->head;
        w->head = q->next;
        event_unref(q->e);
        free(q);
    }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w->prefix);
    free(w);
}

static ck_store_watch *mem_watch_start(ck_store *st, const char *prefix, int64_t after_rev,
                                       ck_watch_fn fn, void *ctx, ck_store_rc *rc, char *err,
                                       size_t errlen)
{
    mem_store *s = (mem_store *)st;
    mem_watch *w = calloc(1, sizeof *w);
    if (!w || !(w->prefix = strdup(prefix))) {
        free(w);
        *rc = OOM(err, errlen);
        return NULL;
    }
    w->s = s;
    w->plen = strlen(prefix);
    w->fn = fn;
    w->ctx = ctx;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    pthread_mutex_lock(&s->mu);
    /* after_rev 0 means "from now", as etcd's start_revision 0. */
    w->after_rev = after_rev > 0 ? after_rev : s->rev;
    if (w->after_rev + 1 < s->first_rev) {
        snprintf(err, errlen, "mvcc: required revision has been compacted (compact revision %lld)",
                 (long long)s->first_rev);
        *rc = CK_STORE_COMPACTED;
        goto fail;
    }
    if (pthread_create(&w->th, NULL, watch_main, w)) {
        snprintf(err, errlen, "memory store: cannot start watch thread");
        *rc = CK_STORE_ERROR;
        goto fail;
    }
    for (size_t i = 0; i < s->hist_count; i++) {
        mem_event *e = s->ring[(s->hist_head + i) % s->hist_cap];
        if (watch_matches(w, e)) watch_enqueue(w, e);
    }
    w->next = s->watchers;
    s->watchers = w;
    pthread_mutex_unlock(&s->mu);
    *rc = CK_STORE_OK;
    return (ck_store_watch *)w;
fail:
    pthread_mutex_unlock(&s->mu);
    watch_free(w);
    return NULL;
}

static void mem_watch_stop(ck_store_watch *wh)
{
    mem_watch *w = (mem_watch *)wh;
    if (!w) return;
    mem_store *s = w->s;
    pthread_mutex_lock(&s->mu);
    for (mem_watch **p = &s->watchers; *p; p = &(*p)->next)
        if (*p == w) { *p = w->next; break; }
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    watch_free(w);
}

static void mem_destroy(ck_store *st)
{
    mem_store *s = (mem_store *)st;
    if (s->watchers) ck_error("memory store destroyed with watches running; stopping them");
    while (s->watchers) mem_watch_stop((ck_store_watch *)s->watchers);
    for (size_t i = 0; i < s->hist_count; i++)
        event_unref(s->ring[(s->hist_head + i) % s->hist_cap]);
    for (size_t i = 0; i < s->n; i++) ck_kv_free(&s->kvs[i]);
    free(s->kvs);
    free(s->ring);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static const ck_store_ops mem_ops = {
    .name = "memory",
    .get = mem_get,
    .list = mem_list,
    .create = mem_create,
    .update = mem_update,
    .del = mem_del,
    .watch = mem_watch_start,
    .watch_stop = mem_watch_stop,
    .revision = mem_revision,
    .compact = mem_compact,
    .destroy = mem_destroy,
};

ck_store *ck_store_memory_new(size_t history)
{
    mem_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->hist_cap = history ? history : MEM_DEFAULT_HISTORY;
    s->ring = calloc(s->hist_cap, sizeof *s->ring);
    if (!s->ring) { free(s); return NULL; }
    s->base.ops = &mem_ops;
    s->rev = 1;
    s->first_rev = 1;
    pthread_mutex_init(&s->mu, NULL);
    return &s->base;
}
