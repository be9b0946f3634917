/* job_logic.c: Job decisions (pkg/controller/job/job_controller.go and
 * indexed_job_utils.go) as of Kubernetes 1.31, where JobPodReplacementPolicy
 * is on: the terminal conditions are preceded by SuccessCriteriaMet /
 * FailureTarget and written only once no pod is active or terminating. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/job_logic.h"
#include "controller-manager/replicaset_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define MSG_COMPLETIONS "Reached expected number of succeeded pods"
#define MSG_BACKOFF "Job has reached the specified backoff limit"
#define MSG_DEADLINE "Job was active longer than specified deadline"

/* Pods counted by phase (upstream's jobCtx). */
typedef struct job_counts {
    long active, ready, terminating, succeeded, failed, restarts;
    bool *done_idx;  /* Indexed: succeeded indexes */
    bool *active_idx;
    char failjob[256]; /* a FailJob podFailurePolicy rule matched: its message */
} job_counts;

const json_t *ck_job_condition(const json_t *status, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(status, "conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), type) && !strcmp(ck_json_str(c, "status", ""), "True")) return c;
    return NULL;
}

bool ck_job_finished(const json_t *job)
{
    const json_t *st = json_object_get(job, "status");
    return ck_job_condition(st, "Complete") || ck_job_condition(st, "Failed");
}

int ck_job_pod_index(const json_t *pod, long completions)
{
    const char *v = json_string_value(json_object_get(ck_json_path(pod, "metadata.annotations"), CK_JOB_INDEX_KEY));
    if (!v || !*v) return -1;
    char *end;
    long i = strtol(v, &end, 10);
    return (*end || i < 0 || i >= completions) ? -1 : (int)i;
}

void ck_job_format_indexes(const bool *flags, long n, char *out, size_t outlen)
{
    size_t len = 0;
    out[0] = 0;
    for (long i = 0; i < n; i++) {
        if (!flags[i]) continue;
        long j = i;
        while (j + 1 < n && flags[j + 1]) j++;
        int w = j > i ? snprintf(out + len, outlen - len, "%s%ld-%ld", len ? "," : "", i, j)
                      : snprintf(out + len, outlen - len, "%s%ld", len ? "," : "", i);
        if (w < 0 || (size_t)w >= outlen - len) return;
        len += (size_t)w;
        i = j;
    }
}

static bool indexed(const json_t *job)
{
    return !strcmp(ck_json_str(job, "spec.completionMode", "NonIndexed"), "Indexed");
}

static long restart_count(const json_t *pod)
{
    static const char *const LISTS[] = {"status.containerStatuses", "status.initContainerStatuses"};
    long n = 0;
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *s;
        json_array_foreach(ck_json_path(pod, LISTS[l]), i, s) n += (long)ck_json_int(s, "restartCount", 0);
    }
    return n;
}

static bool int_in(const json_t *values, json_int_t v)
{
    size_t i;
    json_t *x;
    json_array_foreach(values, i, x) if (json_integer_value(x) == v) return true;
    return false;
}

/* onExitCodes: the first terminated (init) container with a non-zero exit
 * code matching the operator (upstream getMatchingContainerFromList). */
static const json_t *exit_code_match(const json_t *pod, const json_t *req)
{
    static const char *const LISTS[] = {"status.initContainerStatuses", "status.containerStatuses"};
    const char *ctr = ck_json_str(req, "containerName", NULL);
    bool in = !strcmp(ck_json_str(req, "operator", "In"), "In");
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *cs;
        json_array_foreach(ck_json_path(pod, LISTS[l]), i, cs) {
            const json_t *term = ck_json_path(cs, "state.terminated");
            if (!term || (ctr && strcmp(ctr, ck_json_str(cs, "name", "")))) continue;
            json_int_t code = (json_int_t)ck_json_int(term, "exitCode", 0);
            if (code != 0 && int_in(json_object_get(req, "values"), code) == in) return cs;
        }
    }
    return NULL;
}

static const json_t *condition_match(const json_t *pod, const json_t *patterns)
{
    size_t i, j;
    json_t *pat, *c;
    json_array_foreach(patterns, i, pat)
        json_array_foreach(ck_json_path(pod, "status.conditions"), j, c)
            if (!strcmp(ck_json_str(c, "type", ""), ck_json_str(pat, "type", "?")) &&
                !strcmp(ck_json_str(c, "status", ""), ck_json_str(pat, "status", "True")))
                return c;
    return NULL;
}

/* matchPodFailurePolicy (pod_failure_policy.go): the action of the first
 * rule matching a failed pod, or NULL; msg gets FailJob's message. */
const char *ck_job_pod_failure_action(const json_t *job, const json_t *pod, char *msg, size_t msglen)
{
    size_t i;
    json_t *rule;
    json_array_foreach(ck_json_path(job, "spec.podFailurePolicy.rules"), i, rule) {
        const char *action = ck_json_str(rule, "action", "");
        const json_t *req = json_object_get(rule, "onExitCodes"), *m;
        const char *ns = ck_json_str(pod, "metadata.namespace", ""), *name = ck_json_str(pod, "metadata.name", "");
        if (req && (m = exit_code_match(pod, req))) {
            snprintf(msg, msglen, "Container %s for pod %s/%s failed with exit code %lld matching %s rule at index %zu",
                     ck_json_str(m, "name", ""), ns, name, (long long)ck_json_int(m, "state.terminated.exitCode", 0),
                     action, i);
            return action;
        }
        if (!req && (m = condition_match(pod, json_object_get(rule, "onPodConditions")))) {
            snprintf(msg, msglen, "Pod %s/%s has condition %s matching %s rule at index %zu", ns, name,
                     ck_json_str(m, "type", ""), action, i);
            return action;
        }
    }
    return NULL;
}

static void count_pods(const json_t *job, const json_t *pods, long completions, job_counts *c)
{
    size_t i;
    json_t *p;
    bool idx = indexed(job);
    json_array_foreach(pods, i, p) {
        const char *phase = ck_json_str(p, "status.phase", "");
        bool terminal = !strcmp(phase, "Succeeded") || !strcmp(phase, "Failed");
        int ix = idx ? ck_job_pod_index(p, completions) : -1;
        if (!strcmp(phase, "Succeeded")) {
            if (!idx) c->succeeded++;
            else if (ix >= 0) c->done_idx[ix] = true;
        } else if (!strcmp(phase, "Failed")) {
            char msg[256];
            const char *action = ck_job_pod_failure_action(job, p, msg, sizeof msg);
            if (action && !strcmp(action, "Ignore")) continue; /* not counted towards backoffLimit */
            if (action && !strcmp(action, "FailJob") && !c->failjob[0]) snprintf(c->failjob, sizeof c->failjob, "%s", msg);
            c->failed++;
        } else if (ck_json_path(p, "metadata.deletionTimestamp")) {
            c->terminating++;
        } else {
            c->active++;
            if (ck_pod_is_ready(p)) c->ready++;
            if (ix >= 0) c->active_idx[ix] = true;
            /* pastBackoffLimitOnFailure counts restarts of Pending/Running pods */
            if (!terminal) c->restarts += restart_count(p);
        }
    }
    if (idx)
        for (long k = 0; k < completions; k++) c->succeeded += c->done_idx[k];
}

static json_t *new_condition(const char *type, const char *status, const char *reason, const char *msg, time_t now)
{
    char ts[CK_TIME_LEN];
    ck_time_format(now, ts);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", type, "status", status, "lastProbeTime", ts,
                     "lastTransitionTime", ts, "reason", reason, "message", msg);
}

/* Sets (or replaces, keeping lastTransitionTime when status is unchanged)
 * the condition of cond's type in status.conditions; steals cond. */
static void set_condition(json_t *status, json_t *cond)
{
    json_t *conds = json_object_get(status, "conditions");
    if (!json_is_array(conds)) {
        conds = json_array();
        json_object_set_new(status, "conditions", conds);
    }
    size_t i;
    json_t *c;
    json_array_foreach(conds, i, c) {
        if (strcmp(ck_json_str(c, "type", ""), ck_json_str(cond, "type", ""))) continue;
        if (!strcmp(ck_json_str(c, "status", ""), ck_json_str(cond, "status", "")) &&
            !strcmp(ck_json_str(c, "reason", ""), ck_json_str(cond, "reason", ""))) {
            json_decref(cond);  /* unchanged: keep the old times */
            return;
        }
        json_array_set_new(conds, i, cond);
        return;
    }
    json_array_append_new(conds, cond);
}

/* The pods still running, to be deleted when the job is suspended or done. */
static json_t *active_pods(const json_t *pods)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) if (ck_pod_is_active(p)) json_array_append(out, p);
    return out;
}

/* Failure (FailureTarget) and success (SuccessCriteriaMet) targets first,
 * then the terminal condition once nothing runs. true when the job is
 * finishing and no pods may be created. */
static bool finish(const json_t *job, const json_t *pods, json_t *st, const job_counts *c, long completions,
                   time_t now, ck_job_plan *plan)
{
    const json_t *ft = ck_job_condition(st, "FailureTarget");
    const json_t *sc = ck_job_condition(st, "SuccessCriteriaMet");
    long backoff = (long)ck_json_int(job, "spec.backoffLimit", 6);
    bool on_failure = !strcmp(ck_json_str(job, "spec.template.spec.restartPolicy", ""), "OnFailure");
    long deadline = (long)ck_json_int(job, "spec.activeDeadlineSeconds", -1);
    time_t start = ck_time_parse(ck_json_str(st, "startTime", ""));
    if (!ft && !sc) {
        const char *reason = NULL, *msg = NULL;
        if (c->failjob[0]) {
            reason = "PodFailurePolicy";
            msg = c->failjob;
        } else if (c->failed > backoff || (on_failure && (backoff == 0 ? c->restarts > 0 : c->restarts >= backoff))) {
            reason = "BackoffLimitExceeded";
            msg = MSG_BACKOFF;
        } else if (deadline >= 0 && start > 0 && now - start >= deadline) {
            reason = "DeadlineExceeded";
            msg = MSG_DEADLINE;
        }
        if (reason) {
            set_condition(st, new_condition("FailureTarget", "True", reason, msg, now));
            ft = ck_job_condition(st, "FailureTarget");
        } else if (completions >= 0 ? c->succeeded >= completions : (c->succeeded > 0 && c->active == 0)) {
            set_condition(st, new_condition("SuccessCriteriaMet", "True", "CompletionsReached", MSG_COMPLETIONS, now));
            sc = ck_job_condition(st, "SuccessCriteriaMet");
        } else {
            if (deadline >= 0 && start > 0) plan->requeue_ms = (long)(start + deadline - now) * 1000 + 100;
            return false;
        }
    }
    json_decref(plan->to_delete);
    plan->to_delete = active_pods(pods);
    if (c->active || c->terminating) return true;
    const json_t *target = ft ? ft : sc;
    const char *reason = ck_json_str(target, "reason", ""), *msg = ck_json_str(target, "message", "");
    if (ft) {
        set_condition(st, new_condition("Failed", "True", reason, msg, now));
        plan->ev_type = "Warning";
        plan->ev_reason = !strcmp(reason, "DeadlineExceeded") || !strcmp(reason, "PodFailurePolicy") ? reason
                                                                                                     : "BackoffLimitExceeded";
        snprintf(plan->ev_msg, sizeof plan->ev_msg, "%s", msg);
    } else {
        char ts[CK_TIME_LEN];
        set_condition(st, new_condition("Complete", "True", reason, msg, now));
        json_object_set_new(st, "completionTime", json_string(ck_time_format(now, ts)));
        plan->ev_type = "Normal";
        plan->ev_reason = "Completed";
        snprintf(plan->ev_msg, sizeof plan->ev_msg, "Job completed");
    }
    return true;
}

/* Suspend and resume (JobSuspended / JobResumed); true while suspended. */
static bool suspend(const json_t *job, const json_t *pods, json_t *st, time_t now, ck_job_plan *plan)
{
    bool suspended = ck_json_bool(job, "spec.suspend", false);
    bool was = ck_job_condition(st, "Suspended") != NULL;
    char ts[CK_TIME_LEN];
    if (suspended) {
        if (!was) {
            set_condition(st, new_condition("Suspended", "True", "JobSuspended", "Job suspended", now));
            plan->ev_type = "Normal";
            plan->ev_reason = "Suspended";
            snprintf(plan->ev_msg, sizeof plan->ev_msg, "Job suspended");
        }
        json_decref(plan->to_delete);
        plan->to_delete = active_pods(pods);
        return true;
    }
    if (was) {
        set_condition(st, new_condition("Suspended", "False", "JobResumed", "Job resumed", now));
        json_object_set_new(st, "startTime", json_string(ck_time_format(now, ts)));  /* reset on resume */
        plan->ev_type = "Normal";
        plan->ev_reason = "Resumed";
        snprintf(plan->ev_msg, sizeof plan->ev_msg, "Job resumed");
    }
    if (!json_object_get(st, "startTime")) json_object_set_new(st, "startTime", json_string(ck_time_format(now, ts)));
    return false;
}

/* manageJob: how many pods (which indexes) to add, which to remove. */
static void manage(const json_t *job, const json_t *pods, const job_counts *c, long completions, ck_job_plan *plan,
                   time_t now)
{
    long parallelism = (long)ck_json_int(job, "spec.parallelism", 1);
    long want;
    if (completions < 0) want = c->succeeded > 0 ? 0 : parallelism;
    else want = completions - c->succeeded < parallelism ? completions - c->succeeded : parallelism;
    if (want < 0) want = 0;
    if (c->active > want) {
        json_t *act = active_pods(pods);
        json_decref(plan->to_delete);
        plan->to_delete = ck_rs_pods_to_delete(act, NULL, (int)(c->active - want), now);
        json_decref(act);
        return;
    }
    long n = want - c->active;
    if (!indexed(job)) { plan->create = (int)n; return; }
    for (long i = 0; i < completions && n > 0; i++)
        if (!c->done_idx[i] && !c->active_idx[i]) { json_array_append_new(plan->indexes, json_integer(i)); n--; }
}

/* The status fields upstream always writes (ready/terminating are pointers,
 * active/succeeded/failed omitempty). */
static void set_counts(json_t *st, const json_t *old, const job_counts *c, bool idx, long completions)
{
    /* no pod finalizers in ckube: never let a count go down when pods vanish */
    long succeeded = c->succeeded, failed = c->failed;
    if (!idx && ck_json_int(old, "succeeded", 0) > succeeded) succeeded = (long)ck_json_int(old, "succeeded", 0);
    if (ck_json_int(old, "failed", 0) > failed) failed = (long)ck_json_int(old, "failed", 0);
    static const char *const KEYS[] = {"active", "succeeded", "failed"};
    long vals[] = {c->active, succeeded, failed};
    for (size_t i = 0; i < 3; i++) {
        if (vals[i]) json_object_set_new(st, KEYS[i], json_integer(vals[i]));
        else json_object_del(st, KEYS[i]);
    }
    json_object_set_new(st, "ready", json_integer(c->ready));
    json_object_set_new(st, "terminating", json_integer(c->terminating));
    json_object_set_new(st, "uncountedTerminatedPods", json_object());
    if (idx) {
        char buf[4096];
        ck_job_format_indexes(c->done_idx, completions, buf, sizeof buf);
        if (*buf) json_object_set_new(st, "completedIndexes", json_string(buf));
        else json_object_set_new(st, "completedIndexes", json_string(""));
    }
}

int ck_job_plan_compute(const json_t *job, const json_t *pods, time_t now, ck_job_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    const json_t *old = json_object_get(job, "status");
    plan->status = old ? json_deep_copy(old) : json_object();
    plan->to_delete = json_array();
    plan->indexes = json_array();
    long completions = (long)ck_json_int(job, "spec.completions", -1);
    bool idx = indexed(job) && completions >= 0;
    job_counts c = {0};
    if (idx) {
        c.done_idx = calloc((size_t)completions + 1, 1);
        c.active_idx = calloc((size_t)completions + 1, 1);
    }
    if (!plan->status || !plan->to_delete || !plan->indexes || (idx && (!c.done_idx || !c.active_idx))) {
        free(c.done_idx);
        free(c.active_idx);
        ck_job_plan_clear(plan);
        return -1;
    }
    count_pods(job, pods, completions, &c);
    /* failures counted so far include ones whose pods are gone */
    if (ck_json_int(old, "failed", 0) > c.failed) c.failed = (long)ck_json_int(old, "failed", 0);
    if (!idx && ck_json_int(old, "succeeded", 0) > c.succeeded) c.succeeded = (long)ck_json_int(old, "succeeded", 0);
    if (!ck_job_finished(job) && !suspend(job, pods, plan->status, now, plan) &&
        !finish(job, pods, plan->status, &c, completions, now, plan))
        manage(job, pods, &c, completions, plan, now);
    set_counts(plan->status, old, &c, idx, completions);
    free(c.done_idx);
    free(c.active_idx);
    return 0;
}

void ck_job_plan_clear(ck_job_plan *plan)
{
    json_decref(plan->status);
    json_decref(plan->to_delete);
    json_decref(plan->indexes);
    plan->status = plan->to_delete = plan->indexes = NULL;
}

/* env JOB_COMPLETION_INDEX from the annotation, in every (init) container. */
static void add_index_env(json_t *spec)
{
    static const char *const LISTS[] = {"containers", "initContainers"};
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *ctr;
        json_array_foreach(json_object_get(spec, LISTS[l]), i, ctr) {
            json_t *env = json_object_get(ctr, "env");
            if (!json_is_array(env)) {
                env = json_array();
                json_object_set_new(ctr, "env", env);
            }
            json_array_append_new(env, json_pack("{s:s,s:{s:{s:s}}}", "name", CK_JOB_INDEX_ENV, "valueFrom",
                                                 "fieldRef", "fieldPath",
                                                 "metadata.annotations['" CK_JOB_INDEX_KEY "']"));
        }
    }
}

json_t *ck_job_new_pod(const json_t *job, int idx)
{
    json_t *pod = ck_rs_pod_from_template(job, &CK_WL_JOB);
    if (!pod) return NULL;
    const char *name = ck_json_str(job, "metadata.name", "");
    json_t *labels = ck_json_ensure_object(pod, "metadata.labels");
    if (!labels) { json_decref(pod); return NULL; }
    /* the apiserver puts these in the template (generateSelector); be sure */
    const char *uid = ck_json_str(job, "metadata.uid", "");
    static const char *const NAME_KEYS[] = {"batch.kubernetes.io/job-name", "job-name"};
    static const char *const UID_KEYS[] = {"batch.kubernetes.io/controller-uid", "controller-uid"};
    for (size_t i = 0; i < 2; i++) {
        if (!json_object_get(labels, NAME_KEYS[i])) json_object_set_new(labels, NAME_KEYS[i], json_string(name));
        if (!json_object_get(labels, UID_KEYS[i])) json_object_set_new(labels, UID_KEYS[i], json_string(uid));
    }
    if (idx < 0) return pod;
    char s[16], buf[300];
    snprintf(s, sizeof s, "%d", idx);
    json_object_set_new(labels, CK_JOB_INDEX_KEY, json_string(s));
    json_t *ann = ck_json_ensure_object(pod, "metadata.annotations");
    if (ann) json_object_set_new(ann, CK_JOB_INDEX_KEY, json_string(s));
    snprintf(buf, sizeof buf, "%s-%d-", name, idx);
    ck_json_set(pod, "metadata.generateName", json_string(buf));
    json_t *spec = json_object_get(pod, "spec");
    if (!*ck_json_str(spec, "hostname", "")) {
        snprintf(buf, sizeof buf, "%s-%d", name, idx);
        json_object_set_new(spec, "hostname", json_string(buf));
    }
    add_index_env(spec);
    return pod;
}
