/* scheduler.c: event handlers (eventhandlers.go) and scheduleOne
 * (schedule_one.go); the binding cycle runs on binder threads, as upstream
 * runs it in a goroutine, so the next pod is scheduled while one binds. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "client/informer.h"
#include "scheduler/events.h"
#include "scheduler/fiterror.h"
#include "scheduler/preemption.h"
#include "scheduler/scheduler.h"
#include "util/ckjson.h"
#include "util/log.h"

/* Binding cycles in flight at once (upstream: one goroutine each, unbounded). */
#define BINDERS 4

/* A pod assumed on `node`, waiting for its binding cycle. */
typedef struct bind_job {
    struct bind_job *next;
    ck_queued_pod *qp;  /* owned */
    json_t *pod;        /* owned reference */
    char node[256];
} bind_job;

struct ck_scheduler {
    ck_rest *rest;
    char name[256];
    ck_informer *pods, *nodes;
    ck_sched_cache *cache;
    ck_sched_queue *queue;
    ck_framework fw;
    pthread_t thread;
    bool running;
    atomic_int stop;
    pthread_mutex_t bmu;      /* guards the bind jobs */
    pthread_cond_t bcv;
    bind_job *head, *tail;
    pthread_t binders[BINDERS];
    int nbinders;
};

bool ck_scheduler_responsible(const json_t *pod, const char *name)
{
    const json_t *del = ck_json_path(pod, "metadata.deletionTimestamp");
    return !*ck_json_str(pod, "spec.nodeName", "") && (!del || json_is_null(del)) &&
           !strcmp(ck_json_str(pod, "spec.schedulerName", "default-scheduler"), name);
}

static bool assigned(const json_t *pod) { return *ck_json_str(pod, "spec.nodeName", "") != 0; }

static void pod_key(const json_t *pod, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", ck_json_str(pod, "metadata.namespace", "default"),
             ck_json_str(pod, "metadata.name", ""));
}

static void cache_pod(ck_scheduler *s, json_t *pod)
{
    char err[256];
    if (ck_sched_cache_add_pod(s->cache, pod, err, sizeof err) < 0) ck_warn("cache pod: %s", err);
}

static void on_pod_add(json_t *pod, void *ud)
{
    ck_scheduler *s = ud;
    if (assigned(pod)) cache_pod(s, pod);
    else if (ck_scheduler_responsible(pod, s->name) && ck_sched_queue_add(s->queue, pod) < 0)
        ck_error("queue: out of memory");
}

static void on_pod_update(json_t *old, json_t *pod, void *ud)
{
    ck_scheduler *s = ud;
    char key[320];
    pod_key(pod, key, sizeof key);
    if (assigned(pod)) {
        ck_sched_queue_delete(s->queue, key);  /* bound by us or someone else */
        cache_pod(s, pod);
    } else if (ck_scheduler_responsible(pod, s->name)) {
        ck_sched_queue_update(s->queue, old, pod);
    } else {
        ck_sched_queue_delete(s->queue, key);  /* now terminating or handed over */
    }
}

static void on_pod_delete(json_t *pod, void *ud)
{
    ck_scheduler *s = ud;
    char key[320];
    pod_key(pod, key, sizeof key);
    if (assigned(pod) || ck_sched_cache_is_assumed(s->cache, key)) {
        ck_sched_cache_remove_pod(s->cache, key);
        ck_sched_queue_move_all(s->queue);  /* AssignedPodDelete frees room */
    }
    ck_sched_queue_delete(s->queue, key);
}

static void on_node_add(json_t *node, void *ud)
{
    ck_scheduler *s = ud;
    char err[256];
    if (ck_sched_cache_set_node(s->cache, node, err, sizeof err) < 0) ck_warn("cache node: %s", err);
    ck_sched_queue_move_all(s->queue);
}

static void on_node_update(json_t *old, json_t *node, void *ud) { on_node_add(node, ud); }

static void on_node_delete(json_t *node, void *ud)
{
    ck_scheduler *s = ud;
    ck_sched_cache_remove_node(s->cache, ck_json_str(node, "metadata.name", ""));
}

ck_scheduler *ck_scheduler_new(ck_rest *rest, const ck_scheduler_opts *o, char *err, size_t errlen)
{
    ck_scheduler *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return NULL; }
    pthread_mutex_init(&s->bmu, NULL);
    pthread_cond_init(&s->bcv, NULL);
    s->rest = rest;
    snprintf(s->name, sizeof s->name, "%s", o && o->scheduler_name ? o->scheduler_name : "default-scheduler");
    ck_framework_init(&s->fw, NULL, (unsigned)time(NULL) ^ (unsigned)getpid());
    if (o) s->fw.percentage_of_nodes_to_score = o->percentage_of_nodes_to_score;
    /* NewInformerFactory's pod informer: terminal pods hold no resources, so
     * a pod turning Succeeded/Failed leaves the selector and arrives as a
     * delete (pkg/scheduler/scheduler.go newPodInformer). */
    ck_informer_opts po = {.version = "v1", .resource = "pods",
                           .field_selector = "status.phase!=Succeeded,status.phase!=Failed"};
    ck_informer_opts no = {.version = "v1", .resource = "nodes"};
    ck_informer_handlers ph = {on_pod_add, on_pod_update, on_pod_delete, s};
    ck_informer_handlers nh = {on_node_add, on_node_update, on_node_delete, s};
    if (!(s->cache = ck_sched_cache_new()) || !(s->queue = ck_sched_queue_new(NULL))) {
        snprintf(err, errlen, "out of memory");
        ck_scheduler_free(s);
        return NULL;
    }
    if (!(s->nodes = ck_informer_new(rest, &no, &nh, err, errlen)) ||
        !(s->pods = ck_informer_new(rest, &po, &ph, err, errlen))) {
        ck_scheduler_free(s);
        return NULL;
    }
    return s;
}

int ck_scheduler_start_informers(ck_scheduler *s, long timeout_ms, char *err, size_t errlen)
{
    /* Nodes first, so that pods listed afterwards find their nodes. */
    if (ck_informer_start(s->nodes) < 0 || ck_informer_start(s->pods) < 0) {
        snprintf(err, errlen, "cannot start informers");
        return -1;
    }
    if (!ck_informer_wait_synced(s->nodes, timeout_ms) || !ck_informer_wait_synced(s->pods, timeout_ms)) {
        snprintf(err, errlen, "timed out waiting for caches to sync");
        return -1;
    }
    return 0;
}

/* handleSchedulingFailure for a FitError: event, PodScheduled condition, requeue. */
static void fail_unschedulable(ck_scheduler *s, ck_queued_pod *qp, const json_t *pod, const char *msg,
                               int64_t cycle)
{
    ck_info("Unable to schedule pod %s: %s", qp->key, msg);
    ck_sched_record_event(s->rest, pod, "Warning", "FailedScheduling", "Scheduling", msg);
    ck_sched_set_unschedulable(s->rest, pod, msg);
    ck_sched_queue_add_unschedulable(s->queue, qp, cycle);
}

/* The binding cycle (run inline): bind, then Scheduled; on error forget + backoff. */
static void bind_pod(ck_scheduler *s, ck_queued_pod *qp, const json_t *pod, const char *node)
{
    ck_response r = {0};
    if (ck_sched_bind(s->rest, pod, node, &r) == 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "Successfully assigned %s to %s", qp->key, node);
        ck_info("%s", msg);
        ck_sched_record_event(s->rest, pod, "Normal", "Scheduled", "Binding", msg);
        ck_queued_pod_free(qp);
    } else {
        char msg[1024];
        snprintf(msg, sizeof msg, "binding rejected: %s", r.message);
        ck_warn("bind %s to %s: %ld %s", qp->key, node, r.code, r.message);
        ck_sched_cache_forget(s->cache, qp->key);
        ck_sched_record_event(s->rest, pod, "Warning", "FailedScheduling", "Scheduling", msg);
        if (r.code == 404) ck_queued_pod_free(qp);  /* the pod is gone */
        else ck_sched_queue_add_backoff(s->queue, qp);
    }
    ck_response_clear(&r);
}

static void *binder(void *arg)
{
    ck_scheduler *s = arg;
    pthread_mutex_lock(&s->bmu);
    for (;;) {
        while (!s->head && !atomic_load(&s->stop)) pthread_cond_wait(&s->bcv, &s->bmu);
        bind_job *j = s->head;
        if (!j) break; /* stopping and nothing left */
        s->head = j->next;
        if (!s->head) s->tail = NULL;
        pthread_mutex_unlock(&s->bmu);
        if (atomic_load(&s->stop)) { /* not bound: the assumed pod is forgotten */
            ck_sched_cache_forget(s->cache, j->qp->key);
            ck_queued_pod_free(j->qp);
        } else bind_pod(s, j->qp, j->pod, j->node);
        json_decref(j->pod);
        free(j);
        pthread_mutex_lock(&s->bmu);
    }
    pthread_mutex_unlock(&s->bmu);
    return NULL;
}

/* Hands the assumed pod to a binder; inline when none runs (schedule_one
 * driven directly) or on allocation failure. */
static void bind_async(ck_scheduler *s, ck_queued_pod *qp, json_t *pod, const char *node)
{
    bind_job *j = s->nbinders ? calloc(1, sizeof *j) : NULL;
    if (!j) {
        bind_pod(s, qp, pod, node);
        return;
    }
    j->qp = qp;
    j->pod = json_incref(pod);
    snprintf(j->node, sizeof j->node, "%s", node);
    pthread_mutex_lock(&s->bmu);
    if (s->tail) s->tail->next = j;
    else s->head = j;
    s->tail = j;
    pthread_cond_signal(&s->bcv);
    pthread_mutex_unlock(&s->bmu);
}

/* schedulePod + assume under the cache lock; returns the failure message
 * (malloc'd) or NULL with *node set on success. *oom on allocation failure.
 * On failure the DefaultPreemption PostFilter runs (preemption.h): *cand gets
 * the chosen node and victims when preemption helps. */
static char *schedule_locked(ck_scheduler *s, const ck_pod_info *pi, const json_t *pdbs, char *node,
                             size_t nodelen, bool *oom, ck_preemption_candidate *cand)
{
    size_t n;
    ck_schedule_result res;
    ck_diagnosis d = {0};
    char *msg = NULL, pm[2048] = "";
    ck_sched_cache_lock(s->cache);
    ck_node_info *const *nodes = ck_sched_cache_nodes(s->cache, &n);
    int rc = n ? ck_schedule_pod(&s->fw, nodes, n, pi, &res, &d) : 1;
    if (rc == 0) {
        snprintf(node, nodelen, "%s", res.node->name);
        if (ck_sched_cache_assume(s->cache, pi, node) < 0) rc = -1;
    } else if (rc == 1 && n == 0) {
        msg = strdup("no nodes available to schedule pods");  /* ErrNoNodesAvailable */
    } else if (rc == 1) {
        /* a chosen candidate leaves pm empty: FitError without a PostFilter part */
        if (ck_preempt_select(&s->fw, nodes, n, pi, &d, pdbs, cand, pm, sizeof pm) < 0) rc = -1;
        else msg = ck_fit_error_message(&d, pm);
    }
    ck_sched_cache_unlock(s->cache);
    ck_diagnosis_clear(&d);
    *oom = rc < 0 || (rc == 1 && !msg);
    return msg;
}

/* A pod that fits nowhere: PostFilter (with the PodDisruptionBudgets, listed
 * only once a candidate exists), then evict and nominate, or park it. */
static char *schedule_or_preempt(ck_scheduler *s, const ck_pod_info *pi, char *node, size_t nodelen,
                                 bool *oom, ck_preemption_candidate *cand)
{
    char *msg = schedule_locked(s, pi, NULL, node, nodelen, oom, cand);
    if (!msg || !cand->node[0]) return msg;
    json_t *pdbs = ck_preemption_list_pdbs(s->rest);
    if (!pdbs) return msg;
    free(msg);
    ck_preemption_candidate_clear(cand);
    msg = schedule_locked(s, pi, pdbs, node, nodelen, oom, cand);
    json_decref(pdbs);
    return msg;
}

bool ck_scheduler_schedule_one(ck_scheduler *s, long timeout_ms)
{
    ck_queued_pod *qp = ck_sched_queue_pop(s->queue, timeout_ms);
    if (!qp) return false;
    int64_t cycle = ck_sched_queue_cycle(s->queue);
    char err[256], node[256];
    /* skipPodSchedule: deleted, bound or assumed since it was queued. */
    json_t *pod = ck_informer_get(s->pods, qp->key);
    if (!pod || !ck_scheduler_responsible(pod, s->name) || ck_sched_cache_is_assumed(s->cache, qp->key)) {
        json_decref(pod);
        ck_queued_pod_free(qp);
        return true;
    }
    ck_pod_info *pi = ck_pod_info_new(pod, err, sizeof err);
    if (!pi) {
        fail_unschedulable(s, qp, pod, err, cycle);
        json_decref(pod);
        return true;
    }
    bool oom;
    ck_preemption_candidate cand = {0};
    char *msg = schedule_or_preempt(s, pi, node, sizeof node, &oom, &cand);
    if (oom) {
        ck_sched_queue_add_backoff(s->queue, qp);
    } else if (msg && cand.node[0]) {
        /* preempted: evict, nominate, report, and retry once the victims are gone */
        ck_preemption_execute(s->rest, s->name, pod, &cand);
        ck_info("Unable to schedule pod %s: %s (nominated %s)", qp->key, msg, cand.node);
        ck_sched_record_event(s->rest, pod, "Warning", "FailedScheduling", "Scheduling", msg);
        ck_sched_set_unschedulable(s->rest, pod, msg);
        ck_sched_queue_add_backoff(s->queue, qp);
    } else if (msg) {
        fail_unschedulable(s, qp, pod, msg, cycle);
    } else {
        bind_async(s, qp, pod, node);
    }
    ck_preemption_candidate_clear(&cand);
    free(msg);
    ck_pod_info_free(pi);
    json_decref(pod);
    return true;
}

static void *loop(void *arg)
{
    ck_scheduler *s = arg;
    while (!atomic_load(&s->stop)) ck_scheduler_schedule_one(s, 500);
    return NULL;
}

int ck_scheduler_run(ck_scheduler *s)
{
    if (s->running) return -1;
    for (s->nbinders = 0; s->nbinders < BINDERS; s->nbinders++)
        if (pthread_create(&s->binders[s->nbinders], NULL, binder, s) != 0) break;
    if (pthread_create(&s->thread, NULL, loop, s) != 0) return -1;
    s->running = true;
    return 0;
}

void ck_scheduler_stop(ck_scheduler *s)
{
    atomic_store(&s->stop, 1);
    if (s->queue) ck_sched_queue_close(s->queue);
    if (s->running) { pthread_join(s->thread, NULL); s->running = false; }
    pthread_mutex_lock(&s->bmu);
    pthread_cond_broadcast(&s->bcv);
    pthread_mutex_unlock(&s->bmu);
    for (int i = 0; i < s->nbinders; i++) pthread_join(s->binders[i], NULL);
    s->nbinders = 0;
    if (s->pods) ck_informer_stop(s->pods);
    if (s->nodes) ck_informer_stop(s->nodes);
}

void ck_scheduler_free(ck_scheduler *s)
{
    if (!s) return;
    ck_scheduler_stop(s);
    ck_informer_free(s->pods);
    ck_informer_free(s->nodes);
    ck_sched_queue_free(s->queue);
    ck_sched_cache_free(s->cache);
    pthread_mutex_destroy(&s->bmu);
    pthread_cond_destroy(&s->bcv);
    free(s);
}
