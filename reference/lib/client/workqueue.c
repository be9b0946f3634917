/* workqueue.c: the queue (workqueue.Type), its delaying layer (no extra
 * thread: getters sleep until the earliest ready time) and the rate limiters
 * of client-go's default_rate_limiters.go. Sets are jansson objects. */
#define _GNU_SOURCE
#include "client/workqueue.h"
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ck_workqueue {
    char *name;
    pthread_mutex_t mu;
    pthread_cond_t cond;     /* CLOCK_MONOTONIC */
    char **queue;            /* FIFO: queue[head..tail) */
    size_t head, tail, cap;
    json_t *dirty;           /* key -> true: needs processing */
    json_t *processing;      /* key -> true: handed to a worker */
    json_t *waiting;         /* key -> ready time (monotonic ms) */
    json_t *failures;        /* key -> count, for the exponential limiter */
    ck_rate_limiter_cfg rl;
    double tokens;           /* token bucket state */
    int64_t tokens_at_ms;
    bool shutting_down;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ck_workqueue *ck_workqueue_new(const char *name)
{
    /* DefaultControllerRateLimiter: ItemExponentialFailureRateLimiter(5ms,
     * 1000s) and BucketRateLimiter(rate.NewLimiter(10, 100)). */
    static const ck_rate_limiter_cfg dflt = {5, 1000 * 1000, 10.0, 100};
    return ck_workqueue_new_with(name, &dflt);
}

ck_workqueue *ck_workqueue_new_with(const char *name, const ck_rate_limiter_cfg *rl)
{
    ck_workqueue *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->name = strdup(name ? name : "");
    q->dirty = json_object(), q->processing = json_object();
    q->waiting = json_object(), q->failures = json_object();
    q->rl = *rl;
    q->tokens = rl->burst;
    q->tokens_at_ms = now_ms();
    if (!q->name || !q->dirty || !q->processing || !q->waiting || !q->failures) {
        json_decref(q->dirty), json_decref(q->processing);
        json_decref(q->waiting), json_decref(q->failures);
        free(q->name), free(q);
        return NULL;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&q->mu, NULL);
    return q;
}

void ck_workqueue_free(ck_workqueue *q)
{
    if (!q) return;
    for (size_t i = q->head; i < q->tail; i++) free(q->queue[i]);
    free(q->queue);
    json_decref(q->dirty), json_decref(q->processing);
    json_decref(q->waiting), json_decref(q->failures);
    pthread_cond_destroy(&q->cond);
    pthread_mutex_destroy(&q->mu);
    free(q->name);
    free(q);
}

/* Appends to the FIFO; on OOM the key stays dirty and is re-tried by done(). */
static void push(ck_workqueue *q, const char *key)
{
    if (q->tail == q->cap) {
        if (q->head) { /* slide down before growing */
            memmove(q->queue, q->queue + q->head, (q->tail - q->head) * sizeof *q->queue);
            q->tail -= q->head, q->head = 0;
        }
        if (q->tail == q->cap) {
            size_t cap = q->cap ? q->cap * 2 : 64;
            char **p = realloc(q->queue, cap * sizeof *p);
            if (!p) return;
            q->queue = p, q->cap = cap;
        }
    }
    char *k = strdup(key);
    if (!k) return;
    q->queue[q->tail++] = k;
    pthread_cond_signal(&q->cond);
}

/* workqueue.Type.Add, with the lock held. */
static void add_locked(ck_workqueue *q, const char *key)
{
    if (q->shutting_down || json_object_get(q->dirty, key)) return;
    json_object_set_new(q->dirty, key, json_true());
    if (json_object_get(q->processing, key)) return; /* done() re-queues it */
    push(q, key);
}

void ck_workqueue_add(ck_workqueue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    add_locked(q, key);
    pthread_mutex_unlock(&q->mu);
}

void ck_workqueue_add_after(ck_workqueue *q, const char *key, long delay_ms)
{
    pthread_mutex_lock(&q->mu);
    if (q->shutting_down) goto out;
    if (delay_ms <= 0) {
        add_locked(q, key);
        goto out;
    }
    int64_t ready = now_ms() + delay_ms;
    json_t *cur = json_object_get(q->waiting, key);
    if (!cur || json_integer_value(cur) > ready) {
        json_object_set_new(q->waiting, key, json_integer(ready));
        pthread_cond_broadcast(&q->cond); /* a sleeper may need an earlier wake-up */
    }
out:
    pthread_mutex_unlock(&q->mu);
}

/* Moves due waiting keys into the queue; returns the next ready time or -1. */
static int64_t promote_due(ck_workqueue *q)
{
    int64_t now = now_ms(), next = -1;
    const char *key;
    json_t *v, *tmp;
    json_object_foreach_safe(q->waiting, tmp, key, v) {
        int64_t ready = json_integer_value(v);
        if (ready <= now) {
            add_locked(q, key);
            json_object_del(q->waiting, key);
        } else if (next < 0 || ready < next) {
            next = ready;
        }
    }
    return next;
}

/* The item part (5ms * 2^failures, capped) and the bucket part; the max wins. */
static long next_delay(ck_workqueue *q, const char *key)
{
    json_int_t fails = json_integer_value(json_object_get(q->failures, key));
    json_object_set_new(q->failures, key, json_integer(fails + 1));
    double d = (double)q->rl.base_ms;
    for (json_int_t i = 0; i < fails && d < (double)q->rl.max_ms; i++) d *= 2;
    long item = d > (double)q->rl.max_ms ? q->rl.max_ms : (long)d;
    long bucket = 0;
    if (q->rl.qps > 0) { /* rate.Limiter.Reserve(): tokens may go negative */
        int64_t now = now_ms();
        q->tokens += (double)(now - q->tokens_at_ms) / 1000.0 * q->rl.qps;
        if (q->tokens > q->rl.burst) q->tokens = q->rl.burst;
        q->tokens_at_ms = now;
        q->tokens -= 1;
        if (q->tokens < 0) bucket = (long)(-q->tokens / q->rl.qps * 1000.0);
    }
    return item > bucket ? item : bucket;
}

long ck_workqueue_add_rate_limited(ck_workqueue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    long d = q->shutting_down ? 0 : next_delay(q, key);
    pthread_mutex_unlock(&q->mu);
    ck_workqueue_add_after(q, key, d);
    return d;
}

void ck_workqueue_forget(ck_workqueue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    json_object_del(q->failures, key);
    pthread_mutex_unlock(&q->mu);
}

int ck_workqueue_num_requeues(ck_workqueue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    int n = (int)json_integer_value(json_object_get(q->failures, key));
    pthread_mutex_unlock(&q->mu);
    return n;
}

static void abs_deadline(struct timespec *ts, int64_t at_ms)
{
    ts->tv_sec = at_ms / 1000;
    ts->tv_nsec = (at_ms % 1000) * 1000000;
}

char *ck_workqueue_get_timed(ck_workqueue *q, long timeout_ms, bool *shutdown)
{
    int64_t give_up = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;
    char *key = NULL;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        int64_t next = q->shutting_down ? -1 : promote_due(q);
        if (q->head < q->tail || q->shutting_down) break;
        if (give_up >= 0 && now_ms() >= give_up) break;
        if (give_up >= 0 && (next < 0 || give_up < next)) next = give_up;
        if (next < 0) {
            pthread_cond_wait(&q->cond, &q->mu);
        } else {
            struct timespec ts;
            abs_deadline(&ts, next);
            pthread_cond_timedwait(&q->cond, &q->mu, &ts);
        }
    }
    if (shutdown) *shutdown = q->shutting_down && q->head == q->tail;
    if (q->head < q->tail) {
        key = q->queue[q->head++];
        json_object_set_new(q->processing, key, json_true());
        json_object_del(q->dirty, key);
    }
    pthread_mutex_unlock(&q->mu);
    return key;
}

char *ck_workqueue_get(ck_workqueue *q, bool *shutdown)
{
    return ck_workqueue_get_timed(q, -1, shutdown);
}

void ck_workqueue_done(ck_workqueue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    json_object_del(q->processing, key);
    if (json_object_get(q->dirty, key)) push(q, key);
    pthread_mutex_unlock(&q->mu);
}

size_t ck_workqueue_len(ck_workqueue *q)
{
    pthread_mutex_lock(&q->mu);
    if (!q->shutting_down) promote_due(q);
    size_t n = q->tail - q->head;
    pthread_mutex_unlock(&q->mu);
    return n;
}

void ck_workqueue_shutdown(ck_workqueue *q)
{
    pthread_mutex_lock(&q->mu);
    q->shutting_down = true;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->mu);
}

bool ck_workqueue_shutting_down(ck_workqueue *q)
{
    pthread_mutex_lock(&q->mu);
    bool s = q->shutting_down;
    pthread_mutex_unlock(&q->mu);
    return s;
}
