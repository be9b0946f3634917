/* informer.c: the reflector loop (list, watch from the list's
 * resourceVersion, re-watch on a clean stream end, re-list on 410 Expired or
 * on failure after backoff) and the cache it feeds, as in client-go's
 * tools/cache/reflector.go and shared_informer.go. */
#define _GNU_SOURCE
#include "client/informer.h"
#include "client/watch.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/uid.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ck_informer {
    ck_rest *rest;
    char *group, *version, *resource, *ns, *label, *field;
    int watch_timeout;
    long page, backoff0, backoff_max;
    ck_informer_handlers h;
    pthread_rwlock_t lock;   /* guards cache and rv */
    json_t *cache;           /* key -> object (shared, read-only) */
    char rv[64];
    pthread_mutex_t mu;      /* guards synced/stopping/running; cond wakes waiters */
    pthread_cond_t cond;
    bool synced, stopping, running;
    atomic_int cancel;       /* aborts an open watch */
    pthread_t thread;
};

int ck_informer_key(const json_t *obj, char *out, size_t outlen)
{
    json_t *md = json_object_get(obj, "metadata");
    const char *ns = json_string_value(json_object_get(md, "namespace"));
    const char *name = json_string_value(json_object_get(md, "name"));
    if (!name || !*name) return -1;
    int n = ns && *ns ? snprintf(out, outlen, "%s/%s", ns, name) : snprintf(out, outlen, "%s", name);
    return n < 0 || (size_t)n >= outlen ? -1 : n;
}

static char *dup_opt(const char *s, bool *oom)
{
    if (!s || !*s) return NULL;
    char *d = strdup(s);
    if (!d) *oom = true;
    return d;
}

ck_informer *ck_informer_new(ck_rest *rest, const ck_informer_opts *o, const ck_informer_handlers *h,
                             char *err, size_t errlen)
{
    if (!rest || !o || !o->version || !o->resource) {
        snprintf(err, errlen, "informer needs a client, a version and a resource");
        return NULL;
    }
    ck_informer *inf = calloc(1, sizeof *inf);
    if (!inf) return snprintf(err, errlen, "out of memory"), NULL;
    bool oom = false;
    inf->rest = rest;
    inf->group = dup_opt(o->group, &oom), inf->version = dup_opt(o->version, &oom);
    inf->resource = dup_opt(o->resource, &oom), inf->ns = dup_opt(o->namespace, &oom);
    inf->label = dup_opt(o->label_selector, &oom), inf->field = dup_opt(o->field_selector, &oom);
    inf->watch_timeout = o->watch_timeout_seconds;
    inf->page = o->page_size ? o->page_size : 500;
    inf->backoff0 = o->backoff_initial_ms ? o->backoff_initial_ms : 800;
    inf->backoff_max = o->backoff_max_ms ? o->backoff_max_ms : 30000;
    if (h) inf->h = *h;
    inf->cache = json_object();
    pthread_rwlock_init(&inf->lock, NULL);
    pthread_mutex_init(&inf->mu, NULL);
    pthread_cond_init(&inf->cond, NULL);
    if (oom || !inf->cache) {
        snprintf(err, errlen, "out of memory");
        ck_informer_free(inf);
        return NULL;
    }
    return inf;
}

void ck_informer_free(ck_informer *inf)
{
    if (!inf) return;
    ck_informer_stop(inf);
    json_decref(inf->cache);
    pthread_rwlock_destroy(&inf->lock);
    pthread_mutex_destroy(&inf->mu);
    pthread_cond_destroy(&inf->cond);
    free(inf->group), free(inf->version), free(inf->resource);
    free(inf->ns), free(inf->label), free(inf->field);
    free(inf);
}

static bool stopping(ck_informer *inf)
{
    pthread_mutex_lock(&inf->mu);
    bool s = inf->stopping;
    pthread_mutex_unlock(&inf->mu);
    return s;
}

/* Sleeps for *backoff (jittered up to 2x, as wait.Jitter(d, 1.0)) unless
 * stopped first, then doubles it up to the cap. True when stopping. */
static bool backoff_sleep(ck_informer *inf, long *backoff)
{
    unsigned r = 0;
    ck_random_bytes(&r, sizeof r);
    long ms = *backoff + (long)(r % (unsigned)(*backoff + 1));
    *backoff = *backoff * 2 > inf->backoff_max ? inf->backoff_max : *backoff * 2;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&inf->mu);
    while (!inf->stopping && pthread_cond_timedwait(&inf->cond, &inf->mu, &ts) == 0) {}
    bool s = inf->stopping;
    pthread_mutex_unlock(&inf->mu);
    return s;
}

static ck_resource_ref collection(const ck_informer *inf)
{
    return (ck_resource_ref){.group = inf->group, .version = inf->version,
                             .resource = inf->resource, .namespace = inf->ns};
}

/* ---- list and replace -------------------------------------------------- */

/* Lists every page into a new key -> object map; rv gets the list's RV. */
static json_t *list_all(ck_informer *inf, char *rv, size_t rvlen)
{
    ck_resource_ref ref = collection(inf);
    json_t *items = json_object();
    char cont[1024] = "";
    while (items) {
        ck_list_opts lo = {.label_selector = inf->label, .field_selector = inf->field,
                           .limit = inf->page, .continue_token = cont};
        ck_response resp;
        if (ck_rest_list(inf->rest, &ref, &lo, &resp) < 0) {
            ck_warn("list %s: %ld %s", inf->resource, resp.code, resp.message);
            ck_response_clear(&resp);
            json_decref(items);
            return NULL;
        }
        size_t i;
        json_t *it;
        char key[512];
        json_array_foreach(json_object_get(resp.body, "items"), i, it)
            if (ck_informer_key(it, key, sizeof key) >= 0) json_object_set(items, key, it);
        snprintf(rv, rvlen, "%s", ck_json_str(resp.body, "metadata.resourceVersion", ""));
        snprintf(cont, sizeof cont, "%s",
                 json_string_value(json_object_get(json_object_get(resp.body, "metadata"), "continue")) ?: "");
        ck_response_clear(&resp);
        if (!cont[0]) break;
    }
    return items;
}

/* Swaps in a fresh list and reports the differences (DeltaFIFO.Replace:
 * listed objects are adds or updates, the ones that vanished deletes). */
static void replace(ck_informer *inf, json_t *items, const char *rv)
{
    pthread_rwlock_wrlock(&inf->lock);
    json_t *old = inf->cache;
    inf->cache = items;
    snprintf(inf->rv, sizeof inf->rv, "%s", rv);
    pthread_rwlock_unlock(&inf->lock);
    const char *key;
    json_t *obj;
    json_object_foreach(items, key, obj) {
        json_t *prev = json_object_get(old, key);
        if (prev && inf->h.on_update) inf->h.on_update(prev, obj, inf->h.ud);
        else if (!prev && inf->h.on_add) inf->h.on_add(obj, inf->h.ud);
    }
    json_object_foreach(old, key, obj)
        if (!json_object_get(items, key) && inf->h.on_delete) inf->h.on_delete(obj, inf->h.ud);
    json_decref(old);
}

/* ---- watch ------------------------------------------------------------- */

typedef struct wstate {
    ck_informer *inf;
    int events;
    bool gone;          /* ERROR 410 / Expired: the RV left the watch cache */
    char error[256];
} wstate;

static int on_event(ck_watch_type type, json_t *obj, void *ud)
{
    wstate *w = ud;
    ck_informer *inf = w->inf;
    w->events++;
    if (type == CK_WATCH_ERROR) {
        w->gone = ck_json_int(obj, "code", 0) == 410 ||
                  !strcmp(ck_json_str(obj, "reason", ""), "Expired") ||
                  !strcmp(ck_json_str(obj, "reason", ""), "Gone");
        snprintf(w->error, sizeof w->error, "%s", ck_json_str(obj, "message", "watch error"));
        return 1;
    }
    const char *rv = ck_json_str(obj, "metadata.resourceVersion", "");
    char key[512];
    if (type == CK_WATCH_BOOKMARK || ck_informer_key(obj, key, sizeof key) < 0) {
        pthread_rwlock_wrlock(&inf->lock);
        if (*rv) snprintf(inf->rv, sizeof inf->rv, "%s", rv);
        pthread_rwlock_unlock(&inf->lock);
        return 0;
    }
    pthread_rwlock_wrlock(&inf->lock);
    json_t *prev = json_incref(json_object_get(inf->cache, key));
    if (type == CK_WATCH_DELETED) json_object_del(inf->cache, key);
    else json_object_set(inf->cache, key, obj);
    if (*rv) snprintf(inf->rv, sizeof inf->rv, "%s", rv);
    pthread_rwlock_unlock(&inf->lock);
    if (type == CK_WATCH_DELETED) {
        if (inf->h.on_delete) inf->h.on_delete(obj, inf->h.ud);
    } else if (prev) {
        if (inf->h.on_update) inf->h.on_update(prev, obj, inf->h.ud);
    } else if (inf->h.on_add) {
        inf->h.on_add(obj, inf->h.ud);
    }
    json_decref(prev);
    return 0;
}

/* Watches until the stream must be replaced by a re-list: returns 0 for an
 * immediate re-list (410), 1 for a re-list after backoff, -1 when stopping. */
static int watch_loop(ck_informer *inf)
{
    ck_resource_ref ref = collection(inf);
    for (;;) {
        char rv[64];
        unsigned r = 0;
        ck_random_bytes(&r, sizeof r);
        ck_informer_last_rv(inf, rv, sizeof rv);
        ck_list_opts lo = {.label_selector = inf->label, .field_selector = inf->field,
                           .resource_version = rv,
                           .timeout_seconds = inf->watch_timeout ? inf->watch_timeout : 300 + (int)(r % 300)};
        wstate w = {.inf = inf};
        ck_response resp;
        int64_t t0 = ck_mono_ms();
        int rc = ck_rest_watch(inf->rest, &ref, &lo, on_event, &w, &inf->cancel, &resp);
        long code = resp.code;
        char msg[sizeof resp.message];
        memcpy(msg, resp.message, sizeof msg);
        ck_response_clear(&resp);
        if (stopping(inf)) return -1;
        if (w.gone || code == 410) {
            ck_info("watch %s: %s; re-listing", inf->resource, w.gone ? w.error : "410 Gone");
            return 0;
        }
        if (rc == 1) { /* an ERROR event other than 410 */
            ck_warn("watch %s: %s", inf->resource, w.error);
            return 1;
        }
        if (rc < 0) {
            ck_warn("watch %s: %ld %s", inf->resource, code, msg);
            return 1;
        }
        /* reflector.go: a watch that closes within a second with no events
         * is an error ("very short watch"), not a reason to spin. */
        if (ck_mono_ms() - t0 < 1000 && w.events == 0) return 1;
    }
}

static void *run(void *arg)
{
    ck_informer *inf = arg;
    long backoff = inf->backoff0;
    while (!stopping(inf)) {
        char rv[64] = "";
        json_t *items = list_all(inf, rv, sizeof rv);
        if (!items) {
            if (backoff_sleep(inf, &backoff)) break;
            continue;
        }
        replace(inf, items, rv);
        pthread_mutex_lock(&inf->mu);
        inf->synced = true;
        pthread_cond_broadcast(&inf->cond);
        pthread_mutex_unlock(&inf->mu);
        backoff = inf->backoff0;
        int w = watch_loop(inf);
        if (w < 0 || (w == 1 && backoff_sleep(inf, &backoff))) break;
    }
    return NULL;
}

int ck_informer_start(ck_informer *inf)
{
    pthread_mutex_lock(&inf->mu);
    int rc = -1;
    if (!inf->running) {
        inf->stopping = false;
        atomic_store(&inf->cancel, 0);
        rc = pthread_create(&inf->thread, NULL, run, inf) ? -1 : 0;
        inf->running = rc == 0;
    }
    pthread_mutex_unlock(&inf->mu);
    return rc;
}

void ck_informer_stop(ck_informer *inf)
{
    pthread_mutex_lock(&inf->mu);
    bool running = inf->running;
    inf->stopping = true;
    inf->running = false;
    atomic_store(&inf->cancel, 1);
    pthread_cond_broadcast(&inf->cond);
    pthread_mutex_unlock(&inf->mu);
    if (running) pthread_join(inf->thread, NULL);
}

bool ck_informer_has_synced(ck_informer *inf)
{
    pthread_mutex_lock(&inf->mu);
    bool s = inf->synced;
    pthread_mutex_unlock(&inf->mu);
    return s;
}

bool ck_informer_wait_synced(ck_informer *inf, long timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&inf->mu);
    while (!inf->synced && !inf->stopping && pthread_cond_timedwait(&inf->cond, &inf->mu, &ts) == 0) {}
    bool s = inf->synced;
    pthread_mutex_unlock(&inf->mu);
    return s;
}

/* ---- cache reads ------------------------------------------------------- */

json_t *ck_informer_get(ck_informer *inf, const char *key)
{
    pthread_rwlock_rdlock(&inf->lock);
    json_t *o = json_incref(json_object_get(inf->cache, key));
    pthread_rwlock_unlock(&inf->lock);
    return o;
}

json_t *ck_informer_list(ck_informer *inf, bool (*filter)(const json_t *, void *), void *ud)
{
    json_t *out = json_array();
    if (!out) return NULL;
    const char *key;
    json_t *obj;
    pthread_rwlock_rdlock(&inf->lock);
    json_object_foreach(inf->cache, key, obj)
        if (!filter || filter(obj, ud)) json_array_append(out, obj);
    pthread_rwlock_unlock(&inf->lock);
    return out;
}

size_t ck_informer_len(ck_informer *inf)
{
    pthread_rwlock_rdlock(&inf->lock);
    size_t n = json_object_size(inf->cache);
    pthread_rwlock_unlock(&inf->lock);
    return n;
}

void ck_informer_last_rv(ck_informer *inf, char *out, size_t outlen)
{
    pthread_rwlock_rdlock(&inf->lock);
    snprintf(out, outlen, "%s", inf->rv);
    pthread_rwlock_unlock(&inf->lock);
}
