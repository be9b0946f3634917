/* runner.c: the bounded-frequency runner: a condition variable on the
 * monotonic clock; "due" is the earliest of a request (not before
 * last + min), a retry, and last + max. */
#include "kube-proxy/runner.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct ck_runner {
    int (*fn)(void *);
    void *ud;
    long min_ms, max_ms, retry_ms;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool started, stop, requested;
    long long last_ms, retry_at_ms;
    long runs;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ck_runner *ck_runner_new(int (*fn)(void *ud), void *ud, long min_interval_ms,
                         long max_interval_ms, long retry_ms)
{
    ck_runner *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->fn = fn, r->ud = ud;
    r->min_ms = min_interval_ms, r->max_ms = max_interval_ms, r->retry_ms = retry_ms;
    pthread_mutex_init(&r->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cv, &ca);
    pthread_condattr_destroy(&ca);
    r->last_ms = now_ms() - min_interval_ms;  /* a first request runs at once */
    return r;
}

static long long due_ms(ck_runner *r)
{
    long long due = r->last_ms + r->max_ms;
    long long earliest = r->last_ms + r->min_ms;
    if (r->requested && earliest < due) due = earliest;
    if (r->retry_at_ms && r->retry_at_ms < due) due = r->retry_at_ms < earliest ? earliest : r->retry_at_ms;
    return due;
}

static void *loop(void *arg)
{
    ck_runner *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        long long due = due_ms(r), now = now_ms();
        if (now < due) {
            struct timespec ts = {(time_t)(due / 1000), (long)(due % 1000) * 1000000};
            pthread_cond_timedwait(&r->cv, &r->mu, &ts);
            continue;
        }
        r->requested = false;
        r->retry_at_ms = 0;
        pthread_mutex_unlock(&r->mu);
        int rc = r->fn(r->ud);
        pthread_mutex_lock(&r->mu);
        r->last_ms = now_ms();
        r->runs++;
        if (rc < 0) r->retry_at_ms = r->last_ms + r->retry_ms;
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

int ck_runner_start(ck_runner *r)
{
    if (r->started || pthread_create(&r->th, NULL, loop, r) != 0) return -1;
    r->started = true;
    return 0;
}

void ck_runner_run(ck_runner *r)
{
    pthread_mutex_lock(&r->mu);
    r->requested = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

long ck_runner_runs(ck_runner *r)
{
    pthread_mutex_lock(&r->mu);
    long n = r->runs;
    pthread_mutex_unlock(&r->mu);
    return n;
}

void ck_runner_free(ck_runner *r)
{
    if (!r) return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->stop = true;
        pthread_cond_signal(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->th, NULL);
    }
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}
