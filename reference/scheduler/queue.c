/* queue.c: PriorityQueue with activeQ/backoffQ heaps and unschedulablePods
 * (pkg/scheduler/internal/queue/scheduling_queue.go). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scheduler/queue.h"
#include "scheduler/strmap.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

enum { IN_NONE, IN_ACTIVE, IN_BACKOFF, IN_UNSCHED };

typedef struct heap {
    ck_queued_pod **a;
    size_t n, cap;
    bool (*less)(const ck_sched_queue *q, const ck_queued_pod *, const ck_queued_pod *);
} heap;

struct ck_sched_queue {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    ck_sched_queue_opts o;
    ck_strmap *pods;          /* key -> ck_queued_pod (queued, not in flight) */
    heap active, backoff;
    size_t nunsched;
    int64_t cycle, move_request_cycle;
    bool closed;
};

static int64_t now_ms(const ck_sched_queue *q) { return q->o.clock_ms ? q->o.clock_ms(q->o.clock_ud) : ck_mono_ms(); }

long ck_sched_queue_backoff_ms(const ck_sched_queue *q, int attempts)
{
    long d = q->o.initial_backoff_ms;
    for (int i = 1; i < attempts; i++) {
        if (d >= q->o.max_backoff_ms / 2) return q->o.max_backoff_ms;
        d *= 2;
    }
    return d > q->o.max_backoff_ms ? q->o.max_backoff_ms : d;
}

static int64_t backoff_expiry(const ck_sched_queue *q, const ck_queued_pod *p)
{
    return p->timestamp_ms + ck_sched_queue_backoff_ms(q, p->attempts);
}

/* queuesort.PrioritySort: higher priority first, then earlier timestamp. */
static bool active_less(const ck_sched_queue *q, const ck_queued_pod *a, const ck_queued_pod *b)
{
    if (a->priority != b->priority) return a->priority > b->priority;
    if (a->timestamp_ms != b->timestamp_ms) return a->timestamp_ms < b->timestamp_ms;
    if (a->creation != b->creation) return a->creation < b->creation;
    return strcmp(a->key, b->key) < 0;
}

static bool backoff_less(const ck_sched_queue *q, const ck_queued_pod *a, const ck_queued_pod *b)
{
    return backoff_expiry(q, a) < backoff_expiry(q, b);
}

static void heap_swap(heap *h, size_t i, size_t j)
{
    ck_queued_pod *t = h->a[i];
    h->a[i] = h->a[j];
    h->a[j] = t;
    h->a[i]->hidx = i;
    h->a[j]->hidx = j;
}

static void heap_fix(const ck_sched_queue *q, heap *h, size_t i)
{
    while (i > 0 && h->less(q, h->a[i], h->a[(i - 1) / 2])) { heap_swap(h, i, (i - 1) / 2); i = (i - 1) / 2; }
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && h->less(q, h->a[l], h->a[m])) m = l;
        if (r < h->n && h->less(q, h->a[r], h->a[m])) m = r;
        if (m == i) return;
        heap_swap(h, i, m);
        i = m;
    }
}

static int heap_push(const ck_sched_queue *q, heap *h, ck_queued_pod *p)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        ck_queued_pod **a = realloc(h->a, cap * sizeof *a);
        if (!a) return -1;
        h->a = a;
        h->cap = cap;
    }
    p->hidx = h->n;
    h->a[h->n++] = p;
    heap_fix(q, h, p->hidx);
    return 0;
}

static void heap_remove(const ck_sched_queue *q, heap *h, size_t i)
{
    if (i != --h->n) {
        h->a[i] = h->a[h->n];
        h->a[i]->hidx = i;
        heap_fix(q, h, i);
    }
}

ck_sched_queue *ck_sched_queue_new(const ck_sched_queue_opts *opts)
{
    ck_sched_queue *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    if (opts) q->o = *opts;
    if (q->o.initial_backoff_ms <= 0) q->o.initial_backoff_ms = 1000;
    if (q->o.max_backoff_ms <= 0) q->o.max_backoff_ms = 10000;
    if (q->o.max_unschedulable_ms <= 0) q->o.max_unschedulable_ms = 300000;
    q->active.less = active_less;
    q->backoff.less = backoff_less;
    if (!(q->pods = ck_strmap_new())) { free(q); return NULL; }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cond, NULL);
    return q;
}

void ck_queued_pod_free(ck_queued_pod *qp)
{
    if (!qp) return;
    json_decref(qp->pod);
    free(qp);
}

static void free_entry(const char *k, void *v, void *ud) { ck_queued_pod_free(v); }

void ck_sched_queue_free(ck_sched_queue *q)
{
    if (!q) return;
    ck_strmap_each(q->pods, free_entry, NULL);
    ck_strmap_free(q->pods);
    free(q->active.a);
    free(q->backoff.a);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cond);
    free(q);
}

/* Detaches p from whichever sub-queue holds it (it stays in the map). */
static void unlink_pod(ck_sched_queue *q, ck_queued_pod *p)
{
    if (p->where == IN_ACTIVE) heap_remove(q, &q->active, p->hidx);
    else if (p->where == IN_BACKOFF) heap_remove(q, &q->backoff, p->hidx);
    else if (p->where == IN_UNSCHED) q->nunsched--;
    p->where = IN_NONE;
}

static int place(ck_sched_queue *q, ck_queued_pod *p, int where)
{
    int rc = 0;
    p->where = where;
    if (where == IN_ACTIVE) rc = heap_push(q, &q->active, p);
    else if (where == IN_BACKOFF) rc = heap_push(q, &q->backoff, p);
    else q->nunsched++;
    if (rc < 0) { p->where = IN_NONE; return -1; }
    if (where == IN_ACTIVE) pthread_cond_broadcast(&q->cond);
    return 0;
}

static void set_pod(ck_queued_pod *p, json_t *pod)
{
    json_incref(pod);
    json_decref(p->pod);
    p->pod = pod;
    const char *ns = ck_json_str(pod, "metadata.namespace", "default");
    snprintf(p->key, sizeof p->key, "%s/%s", ns, ck_json_str(pod, "metadata.name", ""));
    p->priority = (int32_t)ck_json_int(pod, "spec.priority", 0);
    time_t ct = ck_time_parse(ck_json_str(pod, "metadata.creationTimestamp", ""));
    p->creation = ct < 0 ? 0 : ct;
}

int ck_sched_queue_add(ck_sched_queue *q, json_t *pod)
{
    ck_queued_pod *n = calloc(1, sizeof *n);
    if (!n) return -1;
    set_pod(n, pod);
    pthread_mutex_lock(&q->mu);
    n->timestamp_ms = now_ms(q);
    ck_queued_pod *old = ck_strmap_get(q->pods, n->key);
    if (old) { unlink_pod(q, old); ck_strmap_del(q->pods, old->key); ck_queued_pod_free(old); }
    int rc = ck_strmap_put(q->pods, n->key, n);
    if (rc == 0 && (rc = place(q, n, IN_ACTIVE)) < 0) ck_strmap_del(q->pods, n->key);
    pthread_mutex_unlock(&q->mu);
    if (rc < 0) ck_queued_pod_free(n);
    return rc;
}

/* isPodUpdated: anything beyond status, resourceVersion, generation and
 * managedFields changed (i.e. something a plugin could react to). */
static bool pod_updated(json_t *a, json_t *b)
{
    json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
    bool changed = true;
    if (x && y) {
        json_t *objs[2] = {x, y};
        for (int i = 0; i < 2; i++) {
            json_object_del(objs[i], "status");
            json_t *md = json_object_get(objs[i], "metadata");
            json_object_del(md, "resourceVersion");
            json_object_del(md, "generation");
            json_object_del(md, "managedFields");
        }
        changed = !json_equal(x, y);
    }
    json_decref(x);
    json_decref(y);
    return changed;
}

int ck_sched_queue_update(ck_sched_queue *q, json_t *old_pod, json_t *new_pod)
{
    char key[320];
    snprintf(key, sizeof key, "%s/%s", ck_json_str(new_pod, "metadata.namespace", "default"),
             ck_json_str(new_pod, "metadata.name", ""));
    pthread_mutex_lock(&q->mu);
    ck_queued_pod *p = ck_strmap_get(q->pods, key);
    if (!p) { pthread_mutex_unlock(&q->mu); return ck_sched_queue_add(q, new_pod); }
    int where = p->where, rc = 0;
    bool moved = where == IN_UNSCHED && (!old_pod || pod_updated(old_pod, new_pod));
    unlink_pod(q, p);
    set_pod(p, new_pod);
    if (moved) where = backoff_expiry(q, p) > now_ms(q) ? IN_BACKOFF : IN_ACTIVE;
    if (place(q, p, where) < 0) { ck_strmap_del(q->pods, key); ck_queued_pod_free(p); rc = -1; }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

void ck_sched_queue_delete(ck_sched_queue *q, const char *key)
{
    pthread_mutex_lock(&q->mu);
    ck_queued_pod *p = ck_strmap_del(q->pods, key);
    if (p) { unlink_pod(q, p); ck_queued_pod_free(p); }
    pthread_mutex_unlock(&q->mu);
}

/* Collects unschedulable pods: all of them, or those parked too long. */
typedef struct collect_ctx {
    const ck_sched_queue *q;
    ck_queued_pod **out;
    size_t n;
    int64_t now;
    bool all;
} collect_ctx;

static void collect(const char *key, void *v, void *ud)
{
    collect_ctx *c = ud;
    ck_queued_pod *p = v;
    if (p->where != IN_UNSCHED) return;
    if (c->all || c->now - p->timestamp_ms > c->q->o.max_unschedulable_ms) c->out[c->n++] = p;
}

/* Moves unschedulable pods (all, or the stale ones) to backoffQ or activeQ. */
static void move_unschedulable(ck_sched_queue *q, bool all)
{
    if (!q->nunsched) return;
    collect_ctx c = {q, malloc(q->nunsched * sizeof(ck_queued_pod *)), 0, now_ms(q), all};
    if (!c.out) return;
    ck_strmap_each(q->pods, collect, &c);
    for (size_t i = 0; i < c.n; i++) {
        ck_queued_pod *p = c.out[i];
        unlink_pod(q, p);
        if (place(q, p, backoff_expiry(q, p) > c.now ? IN_BACKOFF : IN_ACTIVE) < 0) {
            ck_strmap_del(q->pods, p->key);
            ck_queued_pod_free(p);
        }
    }
    free(c.out);
}

static void flush_locked(ck_sched_queue *q)
{
    int64_t now = now_ms(q);
    while (q->backoff.n && backoff_expiry(q, q->backoff.a[0]) <= now) {
        ck_queued_pod *p = q->backoff.a[0];
        heap_remove(q, &q->backoff, 0);
        p->where = IN_NONE;
        if (place(q, p, IN_ACTIVE) < 0) { ck_strmap_del(q->pods, p->key); ck_queued_pod_free(p); }
    }
    move_unschedulable(q, false);
}

void ck_sched_queue_flush(ck_sched_queue *q)
{
    pthread_mutex_lock(&q->mu);
    flush_locked(q);
    pthread_mutex_unlock(&q->mu);
}

void ck_sched_queue_move_all(ck_sched_queue *q)
{
    pthread_mutex_lock(&q->mu);
    move_unschedulable(q, true);
    q->move_request_cycle = q->cycle;
    pthread_mutex_unlock(&q->mu);
}

static void wait_for(ck_sched_queue *q, long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_cond_timedwait(&q->cond, &q->mu, &ts);
}

ck_queued_pod *ck_sched_queue_pop(ck_sched_queue *q, long timeout_ms)
{
    int64_t deadline = ck_mono_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
    ck_queued_pod *p = NULL;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        flush_locked(q);
        if (q->closed) break;
        if (q->active.n) {
            p = q->active.a[0];
            heap_remove(q, &q->active, 0);
            p->where = IN_NONE;
            ck_strmap_del(q->pods, p->key);
            p->attempts++;
            q->cycle++;
            break;
        }
        long left = timeout_ms < 0 ? 1000 : (long)(deadline - ck_mono_ms());
        if (left <= 0) break;
        wait_for(q, left < 200 ? left : 200);  /* wake to flush backoffQ */
    }
    pthread_mutex_unlock(&q->mu);
    return p;
}

/* Re-inserts a popped pod unless a newer copy was added meanwhile. */
static void requeue(ck_sched_queue *q, ck_queued_pod *qp, int where)
{
    if (ck_strmap_get(q->pods, qp->key) || q->closed) { ck_queued_pod_free(qp); return; }
    qp->timestamp_ms = now_ms(q);
    if (ck_strmap_put(q->pods, qp->key, qp) < 0) { ck_queued_pod_free(qp); return; }
    if (place(q, qp, where) < 0) { ck_strmap_del(q->pods, qp->key); ck_queued_pod_free(qp); }
}

void ck_sched_queue_add_unschedulable(ck_sched_queue *q, ck_queued_pod *qp, int64_t cycle)
{
    pthread_mutex_lock(&q->mu);
    requeue(q, qp, q->move_request_cycle >= cycle ? IN_BACKOFF : IN_UNSCHED);
    pthread_mutex_unlock(&q->mu);
}

void ck_sched_queue_add_backoff(ck_sched_queue *q, ck_queued_pod *qp)
{
    pthread_mutex_lock(&q->mu);
    requeue(q, qp, IN_BACKOFF);
    pthread_mutex_unlock(&q->mu);
}

int64_t ck_sched_queue_cycle(ck_sched_queue *q)
{
    pthread_mutex_lock(&q->mu);
    int64_t c = q->cycle;
    pthread_mutex_unlock(&q->mu);
    return c;
}

void ck_sched_queue_close(ck_sched_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->mu);
}

void ck_sched_queue_lens(ck_sched_queue *q, size_t *active, size_t *backoff, size_t *unschedulable)
{
    pthread_mutex_lock(&q->mu);
    if (active) *active = q->active.n;
    if (backoff) *backoff = q->backoff.n;
    if (unschedulable) *unschedulable = q->nunsched;
    pthread_mutex_unlock(&q->mu);
}
