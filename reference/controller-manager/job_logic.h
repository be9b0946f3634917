/* job_logic.h: the pure decisions of the Job controller
 * (pkg/controller/job/job_controller.go syncJob, indexed_job_utils.go):
 * counting pods, success and failure (backoffLimit, activeDeadlineSeconds),
 * suspend, how many pods (or which indexes) to create or delete, status
 * and conditions. No I/O: callers pass the job, its pods and the time. */
#ifndef CK_CM_JOB_LOGIC_H
#define CK_CM_JOB_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#define CK_JOB_INDEX_KEY "batch.kubernetes.io/job-completion-index" /* annotation and label */
#define CK_JOB_INDEX_ENV "JOB_COMPLETION_INDEX"

/* What one sync of a Job should do. */
typedef struct ck_job_plan {
    json_t *status;     /* the new status (new reference) */
    json_t *to_delete;  /* pods to delete (new array) */
    int create;         /* NonIndexed: number of pods to create */
    json_t *indexes;    /* Indexed: completion indexes to create pods for (new array of ints) */
    /* an event to record this sync (type NULL = none) */
    const char *ev_type, *ev_reason;
    char ev_msg[128];
    long requeue_ms;    /* > 0: sync again after this long (active deadline) */
} ck_job_plan;

/* Computes the plan for `job` with its owned `pods` (any phase) at `now`.
 * 0, or -1 on OOM. Clear with ck_job_plan_clear. */
int ck_job_plan_compute(const json_t *job, const json_t *pods, time_t now, ck_job_plan *plan);
void ck_job_plan_clear(ck_job_plan *plan);

/* True when the job has a Complete or Failed condition with status True. */
bool ck_job_finished(const json_t *job);
/* The condition of `type` with status "True" in status.conditions, or NULL. Borrowed. */
const json_t *ck_job_condition(const json_t *status, const char *type);

/* The pod for completion index idx (-1 = NonIndexed): template, generateName
 * "<job>-" or "<job>-<idx>-", job-name/controller-uid labels, and for
 * Indexed the completion-index annotation and label, hostname
 * "<job>-<idx>" and env JOB_COMPLETION_INDEX in every container. New ref. */
json_t *ck_job_new_pod(const json_t *job, int idx);

/* matchPodFailurePolicy: the action ("Ignore", "FailJob", "Count", ...) of
 * the first spec.podFailurePolicy rule matching the failed pod (onExitCodes
 * or onPodConditions), NULL when none; FailJob's condition message in msg.
 * Static string from the job (borrowed). */
const char *ck_job_pod_failure_action(const json_t *job, const json_t *pod, char *msg, size_t msglen);

/* The completion index of a pod (annotation), -1 when absent or invalid
 * for `completions`. */
int ck_job_pod_index(const json_t *pod, long completions);
/* Formats a sorted set of indexes (flags[i] true) as "1,3-5,7" into out. */
void ck_job_format_indexes(const bool *flags, long n, char *out, size_t outlen);
#endif
