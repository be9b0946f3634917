/* controller.c: worker loop, informer start-up and resync shared by every
 * controller (client-go's processNextWorkItem / handleErr, shared informer
 * resync, cache.SplitMetaNamespaceKey). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/controller.h"
#include "util/ckjson.h"
#include "util/log.h"

int ck_workers_init(ck_workers *w, const char *name, ck_sync_fn sync, void *self)
{
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", name);
    w->sync = sync;
    w->self = self;
    w->queue = ck_workqueue_new(name);
    return w->queue ? 0 : -1;
}

/* processNextWorkItem: get, sync, forget or requeue rate-limited, done. */
static void *worker_main(void *arg)
{
    ck_workers *w = arg;
    for (;;) {
        char *key = ck_workqueue_get(w->queue, NULL);
        if (!key) break;
        long rc = w->sync(w->self, key);
        if (rc == CK_SYNC_OK) {
            ck_workqueue_forget(w->queue, key);
        } else if (rc > 0) {
            ck_workqueue_forget(w->queue, key);
            ck_workqueue_add_after(w->queue, key, rc);
        } else {
            long d = ck_workqueue_add_rate_limited(w->queue, key);
            ck_debug("%s: error syncing %s, retrying in %ld ms", w->name, key, d);
        }
        ck_workqueue_done(w->queue, key);
        free(key);
    }
    return NULL;
}

int ck_workers_run(ck_workers *w, int n)
{
    if (n <= 0) n = 1;
    w->threads = calloc((size_t)n, sizeof *w->threads);
    if (!w->threads) return -1;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&w->threads[i], NULL, worker_main, w)) {
            w->n = i;
            return -1;
        }
    }
    w->n = n;
    return 0;
}

void ck_workers_stop(ck_workers *w)
{
    if (!w->queue) return;
    ck_workqueue_shutdown(w->queue);
    for (int i = 0; i < w->n; i++) pthread_join(w->threads[i], NULL);
    free(w->threads);
    w->threads = NULL;
    w->n = 0;
    ck_workqueue_free(w->queue);
    w->queue = NULL;
}

void ck_workers_enqueue(ck_workers *w, const json_t *obj)
{
    char key[512];
    if (obj && w->queue && ck_informer_key(obj, key, sizeof key) > 0) ck_workqueue_add(w->queue, key);
}

ck_informer *ck_controller_informer(ck_rest *rest, const char *group, const char *version, const char *resource,
                                    const ck_informer_handlers *h, char *err, size_t errlen)
{
    ck_informer_opts o = {.group = group, .version = version, .resource = resource};
    ck_informer *inf = ck_informer_new(rest, &o, h, err, errlen);
    if (!inf) return NULL;
    if (ck_informer_start(inf) < 0) {
        snprintf(err, errlen, "cannot start %s informer", resource);
        ck_informer_free(inf);
        return NULL;
    }
    if (!ck_informer_wait_synced(inf, 30000))
        ck_warn("%s informer not synced after 30s; continuing", resource);
    return inf;
}

static void *stop_one(void *arg)
{
    ck_informer_stop(arg);
    return NULL;
}

void ck_informers_free(ck_informer **v, size_t n)
{
    pthread_t *t = calloc(n ? n : 1, sizeof *t);
    bool *started = calloc(n ? n : 1, sizeof *started);
    for (size_t i = 0; t && started && i < n; i++)
        if (v[i]) started[i] = pthread_create(&t[i], NULL, stop_one, v[i]) == 0;
    for (size_t i = 0; i < n; i++) {
        if (started && started[i]) pthread_join(t[i], NULL);
        ck_informer_free(v[i]);  /* stops first when the thread could not */
    }
    free(t);
    free(started);
}

static void *resync_main(void *arg)
{
    ck_resync *r = arg;
    for (;;) {
        for (long slept = 0; slept < r->period_ms; slept += 100) {
            if (atomic_load(&r->stop)) return NULL;
            usleep(100 * 1000);
        }
        json_t *all = ck_informer_list(r->inf, NULL, NULL);
        size_t i;
        json_t *o;
        json_array_foreach(all, i, o) ck_workers_enqueue(r->w, o);
        json_decref(all);
    }
}

int ck_resync_start(ck_resync *r, ck_informer *inf, ck_workers *w, long period_ms)
{
    memset(r, 0, sizeof *r);
    if (period_ms <= 0) return 0;
    r->inf = inf, r->w = w, r->period_ms = period_ms;
    if (pthread_create(&r->thread, NULL, resync_main, r)) return -1;
    r->running = true;
    return 0;
}

void ck_resync_stop(ck_resync *r)
{
    if (!r->running) return;
    atomic_store(&r->stop, 1);
    pthread_join(r->thread, NULL);
    r->running = false;
}

int ck_split_key(const char *key, char *ns, size_t nslen, char *name, size_t namelen)
{
    const char *slash = strchr(key, '/');
    if (!slash) {
        if (nslen) ns[0] = 0;
        return snprintf(name, namelen, "%s", key) < (int)namelen ? 0 : -1;
    }
    if ((size_t)(slash - key) >= nslen) return -1;
    memcpy(ns, key, (size_t)(slash - key));
    ns[slash - key] = 0;
    return snprintf(name, namelen, "%s", slash + 1) < (int)namelen ? 0 : -1;
}

bool ck_in_namespace(const json_t *obj, void *ud)
{
    return !strcmp(ck_json_str(obj, "metadata.namespace", ""), (const char *)ud);
}
