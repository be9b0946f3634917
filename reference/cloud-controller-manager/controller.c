/* controller.c: worker pools, informers, events, taint/condition lookups and
 * a periodic ticker shared by the cloud controllers (client-go's
 * processNextWorkItem, record.EventRecorder, wait.Until). */
#include "cloud-controller-manager/controller.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

int ck_ccm_workers_init(ck_ccm_workers *w, const char *name, ck_ccm_sync_fn sync, void *self)
{
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", name);
    w->sync = sync;
    w->self = self;
    w->queue = ck_workqueue_new(name);
    return w->queue ? 0 : -1;
}

static void *worker_main(void *arg)
{
    ck_ccm_workers *w = arg;
    char *key;
    while ((key = ck_workqueue_get(w->queue, NULL))) {
        long rc = w->sync(w->self, key);
        if (rc >= CK_CCM_OK) ck_workqueue_forget(w->queue, key);
        if (rc > 0) {
            ck_workqueue_add_after(w->queue, key, rc);
        } else if (rc < 0) {
            long d = ck_workqueue_add_rate_limited(w->queue, key);
            ck_debug("%s: error syncing %s, retrying in %ld ms", w->name, key, d);
        }
        ck_workqueue_done(w->queue, key);
        free(key);
    }
    return NULL;
}

int ck_ccm_workers_run(ck_ccm_workers *w, int n)
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

void ck_ccm_workers_stop(ck_ccm_workers *w)
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

void ck_ccm_workers_enqueue(ck_ccm_workers *w, const json_t *obj)
{
    char key[512];
    if (obj && w->queue && ck_informer_key(obj, key, sizeof key) > 0) ck_workqueue_add(w->queue, key);
}

ck_informer *ck_ccm_informer(const ck_ccm_ctx *ctx, const char *resource, const ck_informer_handlers *h,
                             char *err, size_t errlen)
{
    ck_informer_opts o = {.group = "", .version = "v1", .resource = resource};
    ck_informer *inf = ck_informer_new(ctx->rest, &o, h, err, errlen);
    if (!inf) return NULL;
    if (ck_informer_start(inf) < 0) {
        snprintf(err, errlen, "cannot start %s informer", resource);
        ck_informer_free(inf);
        return NULL;
    }
    if (!ck_informer_wait_synced(inf, 30000)) ck_warn("%s informer not synced after 30s; continuing", resource);
    return inf;
}

void ck_ccm_event(ck_rest *rest, const char *component, const json_t *obj, const char *kind,
                  const char *type, const char *reason, const char *fmt, ...)
{
    char msg[1024], name[512], now[CK_TIME_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *ns = ck_json_str(obj, "metadata.namespace", "");
    const char *oname = ck_json_str(obj, "metadata.name", "");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* client-go names events "<object>.<unix nanoseconds in hex>" */
    snprintf(name, sizeof name, "%s.%llx", oname,
             (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec);
    ck_time_now(now);
    const char *evns = *ns ? ns : "default";
    json_t *ev = json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s,s:s,s:s,s:s,s:s},s:s,s:s,s:s,s:{s:s},"
                           "s:s,s:s,s:i,s:s}",
                           "apiVersion", "v1", "kind", "Event", "metadata", "name", name, "namespace", evns,
                           "involvedObject", "kind", kind, "namespace", ns, "name", oname, "uid",
                           ck_json_str(obj, "metadata.uid", ""), "apiVersion", "v1", "resourceVersion",
                           ck_json_str(obj, "metadata.resourceVersion", ""), "reason", reason, "message", msg,
                           "type", type, "source", "component", component, "firstTimestamp", now,
                           "lastTimestamp", now, "count", 1, "reportingComponent", component);
    if (!ev) return;
    ck_response r = {0};
    if (ck_rest_create(rest, &(ck_resource_ref){"", "v1", "events", evns, NULL, NULL}, ev, &r) < 0)
        ck_debug("event %s/%s not recorded: %s", reason, oname, r.message);
    ck_response_clear(&r);
    json_decref(ev);
}

int ck_ccm_taint_index(const json_t *node, const char *key)
{
    json_t *taints = ck_json_path(node, "spec.taints"), *t;
    size_t i;
    json_array_foreach(taints, i, t)
        if (!strcmp(ck_json_str(t, "key", ""), key)) return (int)i;
    return -1;
}

const char *ck_ccm_condition_status(const json_t *obj, const char *type)
{
    json_t *conds = ck_json_path(obj, "status.conditions"), *c;
    size_t i;
    json_array_foreach(conds, i, c)
        if (!strcmp(ck_json_str(c, "type", ""), type)) return ck_json_str(c, "status", "Unknown");
    return "Unknown";
}

static void *ticker_main(void *arg)
{
    ck_ccm_ticker *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        pthread_mutex_unlock(&t->mu);
        t->fn(t->self);
        pthread_mutex_lock(&t->mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += t->period_ms / 1000;
        ts.tv_nsec += (t->period_ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
        while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &ts) != ETIMEDOUT) {}
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int ck_ccm_ticker_start(ck_ccm_ticker *t, long period_ms, void (*fn)(void *), void *self)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->period_ms = period_ms > 0 ? period_ms : 1000;
    t->fn = fn;
    t->self = self;
    if (pthread_create(&t->thread, NULL, ticker_main, t)) return -1;
    t->running = true;
    return 0;
}

void ck_ccm_ticker_stop(ck_ccm_ticker *t)
{
    if (!t->running) return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    t->running = false;
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
}
