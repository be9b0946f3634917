/* events.h: what the scheduler writes besides bindings: core/v1 Events
 * (Scheduled / FailedScheduling, reporting controller "default-scheduler")
 * and the pod's PodScheduled=False condition (schedule_one.go handleSchedulingFailure). */
#ifndef CK_SCHED_EVENTS_H
#define CK_SCHED_EVENTS_H
#include <jansson.h>
#include "client/rest.h"

/* POSTs an Event about pod (borrowed). type "Normal"/"Warning"; action
 * "Binding"/"Scheduling". 0 or -1 (logged). */
int ck_sched_record_event(ck_rest *rest, const json_t *pod, const char *type, const char *reason,
                          const char *action, const char *message);
/* POST pods/<name>/binding with target Node `node`. 0, or -1 with resp filled. */
int ck_sched_bind(ck_rest *rest, const json_t *pod, const char *node, ck_response *resp);
/* Sets PodScheduled False / Unschedulable / message on pods/status with a
 * strategic merge patch (falls back to read-modify-PUT). 0 or -1. */
int ck_sched_set_unschedulable(ck_rest *rest, const json_t *pod, const char *message);
#endif
