/* cronjob_logic.h: the pure parts of the CronJob controller
 * (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go): standard cron
 * schedules as robfig/cron/v3 ParseStandard reads them, the most recent
 * missed schedule time, and one sync's decisions (active list, history
 * cleanup, concurrencyPolicy, startingDeadlineSeconds, the Job to create).
 * Times are UTC (ckube ignores spec.timeZone). No I/O. */
#ifndef CK_CM_CRONJOB_LOGIC_H
#define CK_CM_CRONJOB_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define CK_CRON_STAR_BIT (UINT64_C(1) << 63)  /* the field was "*" or "?" (robfig starBit) */
#define CK_CJ_SCHEDULED_ANN "batch.kubernetes.io/cronjob-scheduled-timestamp"

/* A parsed schedule: one bit per allowed value, or a constant delay (@every). */
typedef struct ck_cron {
    uint64_t minute, hour, dom, month, dow;
    long every_s;  /* > 0 for "@every <duration>" */
} ck_cron;

/* Parses a 5-field spec (minute hour day-of-month month day-of-week; ranges
 * a-b, steps a-b/n a/n and star-slash-n, lists, JAN-DEC and SUN-SAT names, "?") or a
 * descriptor (@yearly @annually @monthly @weekly @daily @midnight @hourly
 * @every D). 0, or -1 with robfig's message in err. */
int ck_cron_parse(const char *spec, ck_cron *out, char *err, size_t errlen);
/* The first activation strictly after t (whole minutes), or 0 when none
 * within five years (robfig returns the zero time). */
time_t ck_cron_next(const ck_cron *c, time_t t);
/* mostRecentScheduleTime: the latest activation in (earliest, now], 0 if
 * none; *missed = how many activations were missed (capped). */
time_t ck_cron_most_recent(const ck_cron *c, time_t earliest, time_t now, long *missed);

/* One sync of a CronJob. */
typedef struct ck_cj_plan {
    json_t *status;     /* new status (new ref); lastScheduleTime set when job != NULL */
    json_t *to_delete;  /* jobs to delete (history limits, Replace); new array */
    json_t *job;        /* the Job to create, or NULL; new ref */
    json_t *events;     /* [{type, reason, message}] to record; new array */
    long requeue_ms;    /* > 0: sync again after this long (next schedule time) */
} ck_cj_plan;

/* Decides for cronjob `cj` with its owned `jobs` at `now`. 0, or -1 on OOM. */
int ck_cj_plan_compute(const json_t *cj, const json_t *jobs, time_t now, ck_cj_plan *plan);
void ck_cj_plan_clear(ck_cj_plan *plan);
/* getJobFromTemplate2: Job "<cj>-<scheduled unix minutes>" from
 * spec.jobTemplate with the scheduled-timestamp annotation and a controller
 * ref. New ref. */
json_t *ck_cj_new_job(const json_t *cj, time_t scheduled);
/* The ObjectReference status.active holds for a job. New ref. */
json_t *ck_cj_job_ref(const json_t *job);
/* "Complete" or "Failed" when the job has that condition True, else NULL. */
const char *ck_cj_job_finished(const json_t *job);
#endif
