/* watchcache.c: the cacher. One store watch on /registry/ feeds per-resource
 * caches (a tsearch tree of immutable object snapshots, ordered by key) and
 * per-resource rings of recent events; watchers get their own bounded
 * queues, filled under the cacher's lock, as upstream's cacheWatcher. */
#define _GNU_SOURCE
#include "apiserver/watchcache.h"
#include <pthread.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api/kinds.h"
#include "util/ckjson.h"
#include "util/log.h"

const char *const ck_wtype_names[] = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"};

#define WATCH_QUEUE_MIN 1024 /* events a watcher may lag before it is terminated */

typedef struct res_cache {
    char name[64];
    void *tree;          /* tsearch tree of ck_cobj*, by key */
    size_t count;
    ck_wevent *ring;     /* recent events, oldest at ring[start] */
    size_t start, len;
    int64_t window_start;/* watches from a revision >= this can be served */
    struct ck_cwatch *watchers;
    struct res_cache *next;
} res_cache;

struct ck_cwatch {
    ck_cacher *c;
    res_cache *rc;
    char prefix[640];
    ck_wevent *q;
    size_t cap, head, len;
    pthread_cond_t cv;
    bool terminated;
    int64_t rev;
    struct ck_cwatch *next;
};

struct ck_cacher {
    ck_store *store;
    ck_store_watch *sw;
    size_t window;
    pthread_mutex_t mu;
    pthread_cond_t applied_cv;
    int64_t applied; /* highest revision applied */
    int64_t noted;   /* highest revision written through this apiserver */
    bool stopped;
    res_cache *caches;
};

/* ---- snapshots ------------------------------------------------------------ */

ck_cobj *ck_cobj_ref(ck_cobj *o)
{
    if (o) __atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED);
    return o;
}

void ck_cobj_unref(ck_cobj *o)
{
    if (!o || __atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    json_decref(o->obj);
    free(o->json);
    free(o);
}

void ck_cobjs_free(ck_cobj **objs, size_t n)
{
    for (size_t i = 0; i < n; i++) ck_cobj_unref(objs[i]);
    free(objs);
}

/* Takes `obj` (stolen), stamps resourceVersion = rev, serialises it once. */
ck_cobj *ck_cobj_new(const char *key, json_t *obj, int64_t rev)
{
    size_t klen = strlen(key);
    ck_cobj *o = calloc(1, sizeof *o + klen + 1);
    if (!o) { json_decref(obj); return NULL; }
    char rv[24];
    snprintf(rv, sizeof rv, "%lld", (long long)rev);
    json_t *meta = ck_json_ensure_object(obj, "metadata");
    if (meta) json_object_set_new(meta, "resourceVersion", json_string(rv));
    o->refs = 1;
    o->rev = rev;
    o->obj = obj;
    o->json = ck_json_dump(obj);
    o->len = o->json ? strlen(o->json) : 0;
    memcpy(o->key, key, klen + 1);
    if (!o->json) { ck_cobj_unref(o); return NULL; }
    return o;
}

static int cobj_cmp(const void *a, const void *b)
{
    return strcmp(((const ck_cobj *)a)->key, ((const ck_cobj *)b)->key);
}

void ck_wevent_release(ck_wevent *ev)
{
    ck_cobj_unref(ev->cur);
    ck_cobj_unref(ev->prev);
    memset(ev, 0, sizeof *ev);
}

static ck_wevent wevent_copy(const ck_wevent *ev)
{
    ck_wevent e = *ev;
    ck_cobj_ref(e.cur);
    ck_cobj_ref(e.prev);
    return e;
}

/* ---- per-resource caches (cacher lock held) ------------------------------- */

static res_cache *res_get(ck_cacher *c, const char *name, bool create)
{
    for (res_cache *r = c->caches; r; r = r->next)
        if (strcmp(r->name, name) == 0) return r;
    if (!create || strlen(name) >= sizeof ((res_cache *)0)->name) return NULL;
    res_cache *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->ring = calloc(c->window, sizeof *r->ring);
    if (!r->ring) { free(r); return NULL; }
    snprintf(r->name, sizeof r->name, "%s", name);
    r->window_start = c->applied;
    r->next = c->caches;
    c->caches = r;
    return r;
}

static void watcher_push(ck_cwatch *w, const ck_wevent *ev)
{
    if (w->terminated) return;
    if (w->len == w->cap) { /* too slow: terminate as upstream's cacheWatcher does */
        w->terminated = true;
        pthread_cond_signal(&w->cv);
        return;
    }
    w->q[(w->head + w->len) % w->cap] = wevent_copy(ev);
    w->len++;
    pthread_cond_signal(&w->cv);
}

static bool key_in(const ck_cwatch *w, const char *key)
{
    return strncmp(key, w->prefix, strlen(w->prefix)) == 0;
}

static void res_record(ck_cacher *c, res_cache *r, ck_wevent *ev)
{
    if (r->len == c->window) {
        r->window_start = r->ring[r->start].rev;
        ck_wevent_release(&r->ring[r->start]);
        r->start = (r->start + 1) % c->window;
        r->len--;
    }
    r->ring[(r->start + r->len) % c->window] = *ev; /* the ring owns ev's refs */
    r->len++;
    for (ck_cwatch *w = r->watchers; w; w = w->next)
        if (key_in(w, ev->cur->key)) {
            watcher_push(w, ev);
            w->rev = ev->rev;
        }
}

/* Length of the storage segment a /registry/ key starts with: the longest
 * storage name of the kinds table ("services/specs" as upstream lays
 * Services out), else the first path segment. */
static size_t storage_prefix(const char *path)
{
    size_t best = 0;
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const char *st = ck_kinds[i].storage ? ck_kinds[i].storage : ck_kinds[i].resource;
        size_t n = strlen(st);
        if (n > best && strncmp(path, st, n) == 0 && path[n] == '/') best = n;
    }
    if (best) return best;
    const char *slash = strchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

/* Applies one store event: tree update + ring + watchers. */
static void apply_event(ck_cacher *c, const ck_store_event *sev)
{
    const char *path = sev->kv.key;
    if (strncmp(path, "/registry/", 10) != 0) return;
    path += 10;
    char name[64];
    size_t n = storage_prefix(path);
    if (n == 0 || n >= sizeof name || path[n] != '/') return;
    memcpy(name, path, n);
    name[n] = 0;
    const char *key = path + n + 1;
    res_cache *r = res_get(c, name, true);
    if (!r) return;

    size_t klen = strlen(key);
    ck_cobj *pk = calloc(1, sizeof *pk + klen + 1);
    if (!pk) return;
    memcpy(pk->key, key, klen + 1);
    void *found = tfind(pk, &r->tree, cobj_cmp);
    ck_cobj *old = found ? *(ck_cobj **)found : NULL;
    ck_wevent ev = {.rev = sev->kv.mod_rev};

    if (sev->type == CK_STORE_DELETE) {
        free(pk);
        if (!old) return;
        json_t *last = json_deep_copy(old->obj);
        ck_cobj *cur = last ? ck_cobj_new(key, last, sev->kv.mod_rev) : NULL;
        if (!cur) return;
        tdelete(old, &r->tree, cobj_cmp);
        r->count--;
        ev.type = CK_W_DELETED;
        ev.cur = cur;
        ev.prev = old; /* the tree's reference moves to the event */
    } else {
        free(pk);
        json_error_t jerr;
        json_t *obj = json_loadb(sev->kv.value, sev->kv.value_len, 0, &jerr);
        if (!json_is_object(obj)) {
            ck_warn("watch cache: undecodable value at %s: %s", sev->kv.key, jerr.text);
            json_decref(obj);
            return;
        }
        ck_cobj *cur = ck_cobj_new(key, obj, sev->kv.mod_rev);
        if (!cur) return;
        if (old) {
            tdelete(old, &r->tree, cobj_cmp);
            ev.type = CK_W_MODIFIED;
            ev.prev = old;
        } else {
            ev.type = CK_W_ADDED;
            r->count++;
        }
        if (!tsearch(cur, &r->tree, cobj_cmp)) {
            ck_cobj_unref(cur);
            ck_cobj_unref(old);
            return;
        }
        ev.cur = ck_cobj_ref(cur); /* one reference for the tree, one for the event */
    }
    res_record(c, r, &ev);
}

static void on_store_event(void *ctx, const ck_store_event *ev, ck_store_rc rc)
{
    ck_cacher *c = ctx;
    pthread_mutex_lock(&c->mu);
    if (!ev) {
        /* The etcd watch ended (etcd down or compacted past us): stop serving
         * watches; readiness reports it. Restarting needs a relist. */
        ck_error("watch cache: store watch ended: %s", ck_store_rc_string(rc));
        c->stopped = true;
        for (res_cache *r = c->caches; r; r = r->next)
            for (ck_cwatch *w = r->watchers; w; w = w->next) {
                w->terminated = true;
                pthread_cond_signal(&w->cv);
            }
    } else {
        apply_event(c, ev);
        if (ev->kv.mod_rev > c->applied) c->applied = ev->kv.mod_rev;
        pthread_cond_broadcast(&c->applied_cv);
    }
    pthread_mutex_unlock(&c->mu);
}

/* ---- lifecycle ----------------------------------------------------------- */

ck_cacher *ck_cacher_new(ck_store *store, size_t window, char *err, size_t errlen)
{
    ck_cacher *c = calloc(1, sizeof *c);
    if (!c) { snprintf(err, errlen, "out of memory"); return NULL; }
    c->store = store;
    c->window = window ? window : 1000;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->applied_cv, NULL);
    ck_kv *kvs = NULL;
    size_t n = 0;
    int64_t rev = 0;
    ck_store_rc rc = store->ops->list(store, "/registry/", &kvs, &n, &rev, err, errlen);
    if (rc != CK_STORE_OK) { ck_cacher_free(c); return NULL; }
    c->applied = rev;
    for (size_t i = 0; i < n; i++) {
        ck_store_event ev = {.type = CK_STORE_PUT, .kv = kvs[i]};
        apply_event(c, &ev);
    }
    ck_kvs_free(kvs, n);
    /* The initial objects are state, not events: empty the rings. */
    for (res_cache *r = c->caches; r; r = r->next) {
        for (size_t i = 0; i < r->len; i++) ck_wevent_release(&r->ring[(r->start + i) % c->window]);
        r->start = r->len = 0;
        r->window_start = rev;
    }
    c->sw = store->ops->watch(store, "/registry/", rev, on_store_event, c, &rc, err, errlen);
    if (!c->sw) { ck_cacher_free(c); return NULL; }
    return c;
}

static void res_free_tree(void *node) { ck_cobj_unref(node); }

void ck_cacher_free(ck_cacher *c)
{
    if (!c) return;
    if (c->sw) c->store->ops->watch_stop(c->sw);
    while (c->caches) {
        res_cache *r = c->caches;
        c->caches = r->next;
        for (size_t i = 0; i < r->len; i++) ck_wevent_release(&r->ring[(r->start + i) % c->window]);
        free(r->ring);
        tdestroy(r->tree, res_free_tree);
        free(r);
    }
    pthread_cond_destroy(&c->applied_cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

int64_t ck_cacher_rev(ck_cacher *c)
{
    pthread_mutex_lock(&c->mu);
    int64_t r = c->applied;
    pthread_mutex_unlock(&c->mu);
    return r;
}

void ck_cacher_note_write(ck_cacher *c, int64_t rev)
{
    pthread_mutex_lock(&c->mu);
    if (rev > c->noted) c->noted = rev;
    pthread_mutex_unlock(&c->mu);
}

static struct timespec deadline_in(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    return ts;
}

bool ck_cacher_sync(ck_cacher *c, int64_t rev, int timeout_ms)
{
    pthread_mutex_lock(&c->mu);
    int64_t noted = c->noted;
    pthread_mutex_unlock(&c->mu);
    return ck_cacher_wait_rev(c, rev > noted ? rev : noted, timeout_ms);
}

bool ck_cacher_wait_rev(ck_cacher *c, int64_t want, int timeout_ms)
{
    struct timespec dl = deadline_in(timeout_ms);
    pthread_mutex_lock(&c->mu);
    int rc = 0;
    while (c->applied < want && !c->stopped && rc == 0)
        rc = pthread_cond_timedwait(&c->applied_cv, &c->mu, &dl);
    bool ok = c->applied >= want;
    pthread_mutex_unlock(&c->mu);
    return ok;
}

static void res_free_tree(void *node);

/* ---- reads ----------------------------------------------------------------- */

ck_cobj *ck_cacher_get(ck_cacher *c, const char *storage, const char *key)
{
    size_t klen = strlen(key);
    ck_cobj *pk = calloc(1, sizeof *pk + klen + 1);
    if (!pk) return NULL;
    memcpy(pk->key, key, klen + 1);
    pthread_mutex_lock(&c->mu);
    res_cache *r = res_get(c, storage, false);
    void *found = r ? tfind(pk, &r->tree, cobj_cmp) : NULL;
    ck_cobj *o = found ? ck_cobj_ref(*(ck_cobj **)found) : NULL;
    pthread_mutex_unlock(&c->mu);
    free(pk);
    return o;
}

typedef struct list_walk {
    const char *prefix;
    size_t plen;
    ck_cobj **out;
    size_t n, cap;
    bool oom;
} list_walk;

static void list_visit(const void *node, VISIT which, void *closure)
{
    if (which != postorder && which != leaf) return;
    list_walk *lw = closure;
    ck_cobj *o = *(ck_cobj *const *)node;
    if (strncmp(o->key, lw->prefix, lw->plen) != 0 || lw->oom) return;
    if (lw->n == lw->cap) {
        size_t cap = lw->cap ? lw->cap * 2 : 64;
        ck_cobj **grown = realloc(lw->out, cap * sizeof *grown);
        if (!grown) { lw->oom = true; return; }
        lw->out = grown;
        lw->cap = cap;
    }
    lw->out[lw->n++] = ck_cobj_ref(o);
}

size_t ck_cacher_list(ck_cacher *c, const char *storage, const char *key_prefix, ck_cobj ***out,
                      int64_t *rev)
{
    list_walk lw = {.prefix = key_prefix ? key_prefix : "", .plen = key_prefix ? strlen(key_prefix) : 0};
    pthread_mutex_lock(&c->mu);
    res_cache *r = res_get(c, storage, false);
    if (r) twalk_r(r->tree, list_visit, &lw);
    *rev = c->applied;
    pthread_mutex_unlock(&c->mu);
    if (lw.oom) {
        ck_cobjs_free(lw.out, lw.n);
        lw.out = NULL;
        lw.n = 0;
    }
    *out = lw.out;
    return lw.n;
}

/* Undo one event on a snapshot tree (state before ev). */
static void undo(void **tree, const ck_wevent *ev, const char *prefix)
{
    if (strncmp(ev->cur->key, prefix, strlen(prefix)) != 0) return;
    void *found = tfind(ev->cur, tree, cobj_cmp);
    if (found) {
        ck_cobj *o = *(ck_cobj **)found;
        tdelete(o, tree, cobj_cmp);
        ck_cobj_unref(o);
    }
    if (ev->type != CK_W_ADDED && ev->prev) tsearch(ck_cobj_ref(ev->prev), tree, cobj_cmp);
}

int ck_cacher_list_at(ck_cacher *c, const char *storage, const char *key_prefix, int64_t rev, ck_cobj ***out,
                      size_t *n, ck_status *st)
{
    const char *prefix = key_prefix ? key_prefix : "";
    *out = NULL;
    *n = 0;
    if (!ck_cacher_sync(c, rev, 3000)) {
        ck_status_set(st, 504, "Timeout", "Too large resource version: %lld, current: %lld", (long long)rev,
                      (long long)ck_cacher_rev(c));
        return -1;
    }
    pthread_mutex_lock(&c->mu);
    res_cache *r = res_get(c, storage, false);
    if (r && rev < r->window_start) {
        ck_status_expired(st, "too old resource version: %lld (%lld)", (long long)rev, (long long)r->window_start);
        pthread_mutex_unlock(&c->mu);
        return -1;
    }
    list_walk lw = {.prefix = prefix, .plen = strlen(prefix)};
    if (r) {
        void *snap = NULL;
        list_walk all = {.prefix = prefix, .plen = strlen(prefix)};
        twalk_r(r->tree, list_visit, &all);
        for (size_t i = 0; i < all.n; i++) tsearch(all.out[i], &snap, cobj_cmp); /* the tree owns the refs */
        free(all.out);
        for (size_t i = r->len; i-- > 0;) {
            const ck_wevent *ev = &r->ring[(r->start + i) % c->window];
            if (ev->rev <= rev) break;
            undo(&snap, ev, prefix);
        }
        twalk_r(snap, list_visit, &lw);
        tdestroy(snap, res_free_tree);
    }
    pthread_mutex_unlock(&c->mu);
    if (lw.oom) { ck_cobjs_free(lw.out, lw.n); ck_status_internal(st, "out of memory"); return -1; }
    *out = lw.out;
    *n = lw.n;
    return 0;
}

size_t ck_cacher_count(ck_cacher *c, const char *storage)
{
    pthread_mutex_lock(&c->mu);
    res_cache *r = res_get(c, storage, false);
    size_t n = r ? r->count : 0;
    pthread_mutex_unlock(&c->mu);
    return n;
}

/* ---- watches ------------------------------------------------------------ */

typedef struct init_walk {
    ck_cwatch *w;
    int64_t rev;
} init_walk;

static void init_visit(const void *node, VISIT which, void *closure)
{
    if (which != postorder && which != leaf) return;
    init_walk *iw = closure;
    ck_cobj *o = *(ck_cobj *const *)node;
    if (!key_in(iw->w, o->key)) return;
    ck_wevent ev = {.type = CK_W_ADDED, .cur = o, .rev = o->rev};
    watcher_push(iw->w, &ev);
}

ck_cwatch *ck_cacher_watch(ck_cacher *c, const char *storage, const char *key_prefix,
                           int64_t from_rev, ck_status *st)
{
    ck_cwatch *w = calloc(1, sizeof *w);
    if (!w) { ck_status_internal(st, "out of memory"); return NULL; }
    w->c = c;
    snprintf(w->prefix, sizeof w->prefix, "%s", key_prefix ? key_prefix : "");
    pthread_cond_init(&w->cv, NULL);
    pthread_mutex_lock(&c->mu);
    /* A resourceVersion ahead of the cache: wait briefly for it, as upstream's
     * waitUntilFreshAndBlock, then give up with 504 "Too large resource version". */
    if (from_rev > c->applied) {
        struct timespec dl = deadline_in(3000);
        int rc = 0;
        while (from_rev > c->applied && !c->stopped && rc == 0)
            rc = pthread_cond_timedwait(&c->applied_cv, &c->mu, &dl);
        if (from_rev > c->applied) {
            ck_status_set(st, 504, "Timeout", "Too large resource version: %lld, current: %lld",
                          (long long)from_rev, (long long)c->applied);
            goto fail;
        }
    }
    if (c->stopped) {
        ck_status_set(st, 503, "ServiceUnavailable", "the watch cache is not ready");
        goto fail;
    }
    res_cache *r = res_get(c, storage, true);
    if (!r) { ck_status_internal(st, "out of memory"); goto fail; }
    if (from_rev >= 0 && from_rev < r->window_start) {
        /* k8s.io/apiserver/pkg/storage/cacher/watch_cache.go: "too old resource version" */
        ck_status_expired(st, "too old resource version: %lld (%lld)", (long long)from_rev,
                          (long long)r->window_start);
        goto fail;
    }
    w->rc = r;
    w->cap = WATCH_QUEUE_MIN + (from_rev < 0 ? r->count : r->len);
    w->q = calloc(w->cap, sizeof *w->q);
    if (!w->q) { ck_status_internal(st, "out of memory"); goto fail; }
    if (from_rev < 0) {
        init_walk iw = {.w = w};
        twalk_r(r->tree, init_visit, &iw);
        w->rev = c->applied;
    } else {
        for (size_t i = 0; i < r->len; i++) {
            ck_wevent *ev = &r->ring[(r->start + i) % c->window];
            if (ev->rev > from_rev && key_in(w, ev->cur->key)) watcher_push(w, ev);
        }
        w->rev = c->applied > from_rev ? c->applied : from_rev;
    }
    w->next = r->watchers;
    r->watchers = w;
    pthread_mutex_unlock(&c->mu);
    return w;
fail:
    pthread_mutex_unlock(&c->mu);
    pthread_cond_destroy(&w->cv);
    free(w->q);
    free(w);
    return NULL;
}

int ck_cwatch_next(ck_cwatch *w, int timeout_ms, ck_wevent *ev)
{
    ck_cacher *c = w->c;
    struct timespec dl = deadline_in(timeout_ms);
    pthread_mutex_lock(&c->mu);
    int rc = 0;
    while (w->len == 0 && !w->terminated && rc == 0)
        rc = pthread_cond_timedwait(&w->cv, &c->mu, &dl);
    int out;
    if (w->len > 0) {
        *ev = w->q[w->head];
        w->head = (w->head + 1) % w->cap;
        w->len--;
        out = 1;
    } else {
        out = w->terminated ? -1 : 0;
        if (out == 0 && c->applied > w->rev) w->rev = c->applied;
    }
    pthread_mutex_unlock(&c->mu);
    return out;
}

int64_t ck_cwatch_rev(ck_cwatch *w)
{
    pthread_mutex_lock(&w->c->mu);
    int64_t r = w->rev;
    pthread_mutex_unlock(&w->c->mu);
    return r;
}

void ck_cwatch_stop(ck_cwatch *w)
{
    if (!w) return;
    ck_cacher *c = w->c;
    pthread_mutex_lock(&c->mu);
    if (w->rc)
        for (ck_cwatch **pp = &w->rc->watchers; *pp; pp = &(*pp)->next)
            if (*pp == w) { *pp = w->next; break; }
    while (w->len > 0) {
        ck_wevent_release(&w->q[w->head]);
        w->head = (w->head + 1) % w->cap;
        w->len--;
    }
    pthread_mutex_unlock(&c->mu);
    pthread_cond_destroy(&w->cv);
    free(w->q);
    free(w);
}
