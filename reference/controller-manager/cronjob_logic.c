/* cronjob_logic.c: one sync of a CronJob (pkg/controller/cronjob/
 * cronjob_controllerv2.go syncCronJob + cleanupFinishedJobs, utils.go):
 * reconcile status.active with the owned jobs, trim history, then decide
 * whether the most recent schedule time gets a Job. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/cronjob_logic.h"
#include "controller-manager/job_logic.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

static void event(ck_cj_plan *p, const char *type, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void event(ck_cj_plan *p, const char *type, const char *reason, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(p->events, json_pack("{s:s,s:s,s:s}", "type", type, "reason", reason, "message", msg));
}

const char *ck_cj_job_finished(const json_t *job)
{
    const json_t *st = json_object_get(job, "status");
    if (ck_job_condition(st, "Complete")) return "Complete";
    if (ck_job_condition(st, "Failed")) return "Failed";
    return NULL;
}

json_t *ck_cj_job_ref(const json_t *job)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "kind", "Job", "namespace",
                     ck_json_str(job, "metadata.namespace", ""), "name", ck_json_str(job, "metadata.name", ""), "uid",
                     ck_json_str(job, "metadata.uid", ""), "apiVersion", "batch/v1", "resourceVersion",
                     ck_json_str(job, "metadata.resourceVersion", ""));
}

json_t *ck_cj_new_job(const json_t *cj, time_t scheduled)
{
    const json_t *tmpl = ck_json_path(cj, "spec.jobTemplate");
    json_t *spec = json_deep_copy(ck_json_path(tmpl, "spec"));
    json_t *labels = json_deep_copy(ck_json_path(tmpl, "metadata.labels"));
    json_t *ann = json_deep_copy(ck_json_path(tmpl, "metadata.annotations"));
    char name[300], ts[CK_TIME_LEN];
    snprintf(name, sizeof name, "%s-%lld", ck_json_str(cj, "metadata.name", ""), (long long)(scheduled / 60));
    if (!ann) ann = json_object();
    json_object_set_new(ann, CK_CJ_SCHEDULED_ANN, json_string(ck_time_format(scheduled, ts)));
    json_t *ref = ck_new_controller_ref(cj, "batch/v1", "CronJob");
    json_t *job = json_pack("{s:s,s:s,s:{s:s,s:s,s:o,s:[o]},s:o}", "apiVersion", "batch/v1", "kind", "Job", "metadata",
                            "name", name, "namespace", ck_json_str(cj, "metadata.namespace", ""), "annotations", ann,
                            "ownerReferences", ref, "spec", spec ? spec : json_object());
    if (job && labels) json_object_set_new(json_object_get(job, "metadata"), "labels", labels);
    else json_decref(labels);
    return job;
}

static json_t *find_job(const json_t *jobs, const json_t *ref)
{
    size_t i;
    json_t *j;
    json_array_foreach(jobs, i, j)
        if (!strcmp(ck_json_str(j, "metadata.name", ""), ck_json_str(ref, "name", "?")) &&
            (!json_object_get(ref, "uid") || !strcmp(ck_json_str(j, "metadata.uid", ""), ck_json_str(ref, "uid", ""))))
            return j;
    return NULL;
}

static bool in_active(const json_t *active, const char *name)
{
    size_t i;
    json_t *r;
    json_array_foreach(active, i, r) if (!strcmp(ck_json_str(r, "name", ""), name)) return true;
    return false;
}

/* The active list kept in step with the jobs; SawCompletedJob / MissingJob
 * events and lastSuccessfulTime as syncCronJob's first loop. */
static void reconcile_active(const json_t *jobs, json_t *st, ck_cj_plan *p)
{
    json_t *old = json_object_get(st, "active"), *active = json_array();
    size_t i;
    json_t *r, *j;
    json_array_foreach(old, i, r) {
        json_t *job = find_job(jobs, r);
        if (!job) { event(p, "Normal", "MissingJob", "Active job went missing: %s", ck_json_str(r, "name", "")); continue; }
        const char *fin = ck_cj_job_finished(job);
        if (!fin) { json_array_append(active, r); continue; }
        event(p, "Normal", "SawCompletedJob", "Saw completed job: %s, condition: %s",
              ck_json_str(job, "metadata.name", ""), fin);
        time_t done = ck_time_parse(ck_json_str(job, "status.completionTime", ""));
        time_t last = ck_time_parse(ck_json_str(st, "lastSuccessfulTime", ""));
        char ts[CK_TIME_LEN];
        if (!strcmp(fin, "Complete") && done > 0 && done > last)
            json_object_set_new(st, "lastSuccessfulTime", json_string(ck_time_format(done, ts)));
    }
    /* a running job of ours missing from the list (crash before the status write) */
    json_array_foreach(jobs, i, j)
        if (!ck_cj_job_finished(j) && !in_active(active, ck_json_str(j, "metadata.name", "")))
            json_array_append_new(active, ck_cj_job_ref(j));
    if (json_array_size(active)) json_object_set_new(st, "active", active);
    else { json_object_del(st, "active"); json_decref(active); }
}

static time_t job_start(const json_t *j)
{
    time_t t = ck_time_parse(ck_json_str(j, "status.startTime", ""));
    return t > 0 ? t : ck_time_parse(ck_json_str(j, "metadata.creationTimestamp", ""));
}

static int by_start(const void *a, const void *b)
{
    time_t x = job_start(*(json_t *const *)a), y = job_start(*(json_t *const *)b);
    return x < y ? -1 : x > y;
}

/* removeOldestJobs: finished jobs of one kind beyond the limit, oldest first. */
static void trim_history(const json_t *jobs, const char *cond, long limit, ck_cj_plan *p)
{
    size_t n = 0, i;
    json_t *j, *v[1024];
    json_array_foreach(jobs, i, j) {
        const char *f = ck_cj_job_finished(j);
        if (f && !strcmp(f, cond) && n < 1024 && !ck_json_path(j, "metadata.deletionTimestamp")) v[n++] = j;
    }
    if ((long)n <= limit) return;
    qsort(v, n, sizeof v[0], by_start);
    for (size_t k = 0; k < n - (size_t)limit; k++) json_array_append(p->to_delete, v[k]);
}

/* The schedule part of syncCronJob; may set p->job. */
static void schedule(const json_t *cj, json_t *st, time_t now, ck_cj_plan *p)
{
    ck_cron c;
    char err[256], ts[CK_TIME_LEN];
    const char *spec = ck_json_str(cj, "spec.schedule", "");
    if (ck_cron_parse(spec, &c, err, sizeof err) < 0) {
        event(p, "Warning", "UnparseableSchedule", "unparseable schedule: \"%s\" : %s", spec, err);
        return;
    }
    time_t earliest = ck_time_parse(ck_json_str(st, "lastScheduleTime", ""));
    if (earliest <= 0) earliest = ck_time_parse(ck_json_str(cj, "metadata.creationTimestamp", ""));
    long sds = (long)ck_json_int(cj, "spec.startingDeadlineSeconds", -1);
    if (sds >= 0 && now - sds > earliest) earliest = now - sds;
    long missed;
    time_t t = ck_cron_most_recent(&c, earliest, now, &missed);
    time_t next = ck_cron_next(&c, t ? t : now);
    while (next && next <= now) next = ck_cron_next(&c, next);
    if (next) p->requeue_ms = (long)(next - now) * 1000 + 100;  /* nextScheduleTimeDuration */
    if (!t) return;
    if (missed > 100)
        event(p, "Warning", "TooManyMissedTimes",
              "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    if (sds >= 0 && t + sds < now) {
        char when[64];
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S +0000", &tm);  /* time.RFC1123Z */
        event(p, "Warning", "MissSchedule", "Missed scheduled time to start a job: %s", when);
        return;
    }
    char name[300];
    snprintf(name, sizeof name, "%s-%lld", ck_json_str(cj, "metadata.name", ""), (long long)(t / 60));
    json_t *active = json_object_get(st, "active");
    if (in_active(active, name)) return;
    const char *policy = ck_json_str(cj, "spec.concurrencyPolicy", "Allow");
    if (!strcmp(policy, "Forbid") && json_array_size(active)) {
        event(p, "Normal", "JobAlreadyActive",
              "Not starting job because prior execution is running and concurrency policy is Forbid");
        return;
    }
    if (!strcmp(policy, "Replace")) {
        size_t i;
        json_t *r;
        json_array_foreach(active, i, r) json_array_append_new(p->to_delete, json_pack("{s:{s:s,s:s}}", "metadata",
            "name", ck_json_str(r, "name", ""), "namespace", ck_json_str(r, "namespace", "")));
        json_object_del(st, "active");
    }
    p->job = ck_cj_new_job(cj, t);
    json_object_set_new(st, "lastScheduleTime", json_string(ck_time_format(t, ts)));
}

int ck_cj_plan_compute(const json_t *cj, const json_t *jobs, time_t now, ck_cj_plan *p)
{
    memset(p, 0, sizeof *p);
    const json_t *old = json_object_get(cj, "status");
    p->status = old ? json_deep_copy(old) : json_object();
    p->to_delete = json_array();
    p->events = json_array();
    if (!p->status || !p->to_delete || !p->events) { ck_cj_plan_clear(p); return -1; }
    reconcile_active(jobs, p->status, p);
    if (ck_json_path(cj, "metadata.deletionTimestamp")) return 0;
    trim_history(jobs, "Complete", (long)ck_json_int(cj, "spec.successfulJobsHistoryLimit", 3), p);
    trim_history(jobs, "Failed", (long)ck_json_int(cj, "spec.failedJobsHistoryLimit", 1), p);
    if (ck_json_bool(cj, "spec.suspend", false)) return 0;
    schedule(cj, p->status, now, p);
    return 0;
}

void ck_cj_plan_clear(ck_cj_plan *p)
{
    json_decref(p->status);
    json_decref(p->to_delete);
    json_decref(p->job);
    json_decref(p->events);
    p->status = p->to_delete = p->job = p->events = NULL;
}
