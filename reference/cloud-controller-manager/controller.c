/* controller.c: taint/condition lookups and a periodic ticker shared by the
 * cloud controllers (wait.Until). */
#include "cloud-controller-manager/controller.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/ckjson.h"

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
