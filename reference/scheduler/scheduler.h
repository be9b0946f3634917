/* scheduler.h: the kube-scheduler process core (upstream pkg/scheduler
 * scheduler.go, eventhandlers.go, schedule_one.go): informers on pods and
 * nodes feed the cache and the scheduling queue; one scheduling loop pops a
 * pod, runs the framework, assumes, binds, and records events. */
#ifndef CK_SCHED_SCHEDULER_H
#define CK_SCHED_SCHEDULER_H
#include <stdbool.h>
#include <stddef.h>
#include "client/rest.h"
#include "scheduler/cache.h"
#include "scheduler/framework.h"
#include "scheduler/queue.h"

typedef struct ck_scheduler_opts {
    const char *scheduler_name;          /* NULL = "default-scheduler" */
    int percentage_of_nodes_to_score;    /* 0 = adaptive */
} ck_scheduler_opts;

typedef struct ck_scheduler ck_scheduler; /* opaque */

/* `rest` is borrowed and must outlive the scheduler. NULL with err on failure. */
ck_scheduler *ck_scheduler_new(ck_rest *rest, const ck_scheduler_opts *o, char *err, size_t errlen);
/* Starts the pod and node informers and waits up to timeout_ms for their
 * first lists. 0, or -1 with err. */
int ck_scheduler_start_informers(ck_scheduler *s, long timeout_ms, char *err, size_t errlen);
/* Starts the scheduling loop thread (call when leading). 0 or -1. */
int ck_scheduler_run(ck_scheduler *s);
/* One iteration: pop (waiting up to timeout_ms) and schedule. True if a pod was handled. */
bool ck_scheduler_schedule_one(ck_scheduler *s, long timeout_ms);
/* Stops the loop and the informers (joins). Idempotent. */
void ck_scheduler_stop(ck_scheduler *s);
void ck_scheduler_free(ck_scheduler *s);

/* Does the scheduler named `name` own this unassigned pod?
 * (spec.schedulerName matches, spec.nodeName empty, not being deleted). */
bool ck_scheduler_responsible(const json_t *pod, const char *name);
#endif
