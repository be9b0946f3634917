/* queue.h: the scheduling queue (upstream pkg/scheduler/internal/queue
 * PriorityQueue): activeQ (a heap by priority, then queue timestamp),
 * backoffQ (a heap by backoff expiry, 1s doubling to 10s per attempt) and
 * unschedulablePods (parked until a cluster event moves them, or 5 min). */
#ifndef CK_SCHED_QUEUE_H
#define CK_SCHED_QUEUE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* framework.QueuedPodInfo. */
typedef struct ck_queued_pod {
    char key[320];          /* "namespace/name" */
    json_t *pod;            /* owned reference to the latest Pod object */
    int32_t priority;
    int64_t creation;       /* creationTimestamp, seconds (tie-breaker) */
    int64_t timestamp_ms;   /* when it was last added to the queue */
    int attempts;           /* scheduling attempts so far (Pop increments) */
    int where;              /* private: which sub-queue holds it */
    size_t hidx;            /* private: heap index */
} ck_queued_pod;
void ck_queued_pod_free(ck_queued_pod *qp);

typedef struct ck_sched_queue ck_sched_queue; /* opaque; thread-safe */

typedef struct ck_sched_queue_opts {
    long initial_backoff_ms;            /* 0 = 1000 (podInitialBackoffSeconds) */
    long max_backoff_ms;                /* 0 = 10000 (podMaxBackoffSeconds) */
    long max_unschedulable_ms;          /* 0 = 300000 (podMaxInUnschedulablePodsDuration) */
    int64_t (*clock_ms)(void *ud);      /* NULL = monotonic clock; tests inject a fake */
    void *clock_ud;
} ck_sched_queue_opts;

/* NULL on OOM. opts may be NULL. Free with ck_sched_queue_free. */
ck_sched_queue *ck_sched_queue_new(const ck_sched_queue_opts *opts);
void ck_sched_queue_free(ck_sched_queue *q);

/* Add: a new pending pod goes to activeQ (replacing a queued copy). 0 or -1 (OOM). */
int ck_sched_queue_add(ck_sched_queue *q, json_t *pod);
/* Update: refreshes a queued pod; an unschedulable pod whose spec or labels
 * changed moves to activeQ/backoffQ; an unknown pod is added. 0 or -1. */
int ck_sched_queue_update(ck_sched_queue *q, json_t *old_pod, json_t *new_pod);
/* Delete: forgets key in every sub-queue. */
void ck_sched_queue_delete(ck_sched_queue *q, const char *key);

/* Pop: the head of activeQ (flushing expired backoffs first), waiting up to
 * timeout_ms (< 0 forever). Increments the scheduling cycle and the pod's
 * attempts. The caller owns the result: hand it back with
 * ck_sched_queue_add_unschedulable or free it. NULL on timeout or close. */
ck_queued_pod *ck_sched_queue_pop(ck_sched_queue *q, long timeout_ms);
/* AddUnschedulableIfNotPresent: takes qp back after a failed attempt in
 * `cycle`. When a move request happened since that cycle it goes to
 * backoffQ, else to unschedulablePods. Dropped (freed) when the pod was
 * re-added meanwhile. */
void ck_sched_queue_add_unschedulable(ck_sched_queue *q, ck_queued_pod *qp, int64_t cycle);
/* Like add_unschedulable for errors (binding failed...): straight to backoffQ. */
void ck_sched_queue_add_backoff(ck_sched_queue *q, ck_queued_pod *qp);
/* MoveAllToActiveOrBackoffQueue: on node add/update or assigned-pod delete. */
void ck_sched_queue_move_all(ck_sched_queue *q);
/* flushBackoffQCompleted + flushUnschedulablePodsLeftover (Pop calls it). */
void ck_sched_queue_flush(ck_sched_queue *q);
int64_t ck_sched_queue_cycle(ck_sched_queue *q);
/* Backoff for a pod with `attempts` attempts: initial * 2^(attempts-1), capped. */
long ck_sched_queue_backoff_ms(const ck_sched_queue *q, int attempts);
void ck_sched_queue_close(ck_sched_queue *q);  /* wakes Pop, which returns NULL */
void ck_sched_queue_lens(ck_sched_queue *q, size_t *active, size_t *backoff, size_t *unschedulable);
#endif
