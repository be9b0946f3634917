/* t_apps_batch.c: the CronJob and Job conformance tests on a cluster, after
 * test/e2e/apps/cronjob.go and job.go (scheduling policies, adoption,
 * deletion, restarts, Indexed jobs, pod failure policies). */
#include "t_apps.h"
#include <stdlib.h>
#include <string.h>

/* ---- cronjob.go ---- */
static json_t *cronjob(ckc_t *t, const char *name, const char *policy, int suspend, const char *script)
{
    json_t *tpl = ap_tmpl(t, "cj", name, "OnFailure", script);
    return ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s, s:b, s:{s:{s:i, s:i, s:i, s:O}}}}", "apiVersion",
                                 "batch/v1", "kind", "CronJob", "metadata", "name", name, "spec", "schedule",
                                 "*/1 * * * ?", "concurrencyPolicy", policy, "suspend", suspend, "jobTemplate",
                                 "spec", "parallelism", 1, "completions", 1, "backoffLimit", 1, "template", tpl));
}
static json_t *cj_jobs(ckc_t *t, const char *ns, const char *uid)
{
    json_t *out = ckc_ownj(t, json_array());
    size_t i; json_t *j;
    json_array_foreach(cl_list(t, JOBS(t, ns)), i, j)
        if (cl_same(cl_controller_uid(j), uid)) json_array_append(out, j);
    return out;
}
static size_t n_active_jobs(json_t *jobs)
{
    size_t i, n = 0; json_t *j;
    json_array_foreach(jobs, i, j) n += ap_ival(j, "status.active") > 0 && !ckc_at(j, "metadata.deletionTimestamp");
    return n;
}
static json_t *wait_active_jobs(ckc_t *t, const char *ns, const char *uid, size_t n, double base)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    json_t *jobs;
    while (n_active_jobs(jobs = cj_jobs(t, ns, uid)) < n) {
        if (ckc_now() > deadline) CKC_FAIL(t, "the cronjob must have %zu active jobs within %.0fs; has %zu", n,
                                           ckc_timeout(t, base), n_active_jobs(jobs));
        ckc_sleep_ms(2000);
    }
    return jobs;
}

/* Upstream waits cronJobTimeout (5 min) for no job; one schedule period and
 * a margin (scaled) shows the same: a due schedule created nothing. */
void t_cj_suspended(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *cj = ap_post(t, CRONJOBS(t, ns), cronjob(t, "suspended", "Allow", 1, "sleep 300"));
    ap_sleep_s(t, 75);
    CKC_CHECK(t, NULL, json_array_size(cj_jobs(t, ns, ckc_str(cj, "metadata.uid"))) == 0,
              "a suspended cronjob must not schedule jobs");
    CKC_CHECK(t, NULL, json_array_size(cl_list(t, JOBS(t, ns))) == 0, "no job may exist");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s/suspended", CRONJOBS(t, ns)), NULL), 200);
}

void t_cj_forbid(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/forbid", CRONJOBS(t, ns));
    json_t *cj = ap_post(t, CRONJOBS(t, ns), cronjob(t, "forbid", "Forbid", 0, "sleep 300"));
    const char *uid = ckc_str(cj, "metadata.uid");
    wait_active_jobs(t, ns, uid, 1, 150);
    CKC_CHECK(t, NULL, json_array_size(cj_jobs(t, ns, uid)) == 1, "exactly one job must exist");
    ap_sleep_s(t, 75); /* upstream: "Ensuring no more jobs are scheduled" (cronJobTimeout) */
    json_t *jobs = cj_jobs(t, ns, uid);
    CKC_CHECK(t, NULL, json_array_size(jobs) == 1, "Forbid: no second job while one runs; found %zu",
              json_array_size(jobs));
    json_t *got = ap_get(t, item);
    CKC_CHECK(t, NULL, json_array_size(ckc_at(got, "status.active")) == 1, "status.active must list 1 job");
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
}

void t_cj_replace(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *cj = ap_post(t, CRONJOBS(t, ns), cronjob(t, "replace", "Replace", 0, "sleep 300"));
    const char *uid = ckc_str(cj, "metadata.uid");
    json_t *jobs = wait_active_jobs(t, ns, uid, 1, 150);
    CKC_CHECK(t, NULL, json_array_size(jobs) == 1, "exactly one job at first, found %zu", json_array_size(jobs));
    const char *first = ckc_fmt(t, "%s", ckc_str(json_array_get(jobs, 0), "metadata.name"));
    /* upstream waitForJobReplaced: one job left and it is not the first */
    double deadline = ckc_now() + ckc_timeout(t, 150);
    for (;;) {
        jobs = cj_jobs(t, ns, uid);
        size_t i, live = 0, old = 0; json_t *j;
        json_array_foreach(jobs, i, j) {
            if (ckc_at(j, "metadata.deletionTimestamp")) continue;
            live++;
            old += cl_same(ckc_str(j, "metadata.name"), first);
        }
        if (live == 1 && !old) break;
        if (ckc_now() > deadline) CKC_FAIL(t, "job %s must be replaced by a new one (live %zu)", first, live);
        ckc_sleep_ms(2000);
    }
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s/replace", CRONJOBS(t, ns)), NULL), 200);
}

void t_cj_concurrent(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/concurrent", CRONJOBS(t, ns));
    json_t *cj = ap_post(t, CRONJOBS(t, ns), cronjob(t, "concurrent", "Allow", 0, "sleep 300"));
    json_t *jobs = wait_active_jobs(t, ns, ckc_str(cj, "metadata.uid"), 2, 210);
    CKC_CHECK(t, NULL, n_active_jobs(jobs) >= 2, "at least two active jobs");
    json_t *got = ap_get(t, item);
    CKC_CHECK(t, NULL, json_array_size(ckc_at(got, "status.active")) >= 2, "status.active must list >= 2 jobs");
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
}

/* ---- job.go: e2ejob.NewTestJob (label job=<name>, emptyDir "data" at /data;
 * parallelism 2, completions 4, backoffLimit 6) ---- */
static const struct { const char *behavior, *script; } job_scripts[] = {
    {"notTerminate", "sleep 1000000"},
    {"succeed", "exit 0"},
    {"failOnce", "if [ -r /data/foo ]; then exit 0; else touch /data/foo; exit 1; fi"},
    {"notTerminateOncePerIndex",
     "if [ -r /data/foo-$JOB_COMPLETION_INDEX ]; then exit 0; else touch /data/foo-$JOB_COMPLETION_INDEX; sleep 1000000; fi"},
};
static json_t *job(ckc_t *t, const char *behavior, const char *name, const char *restart, int backoff)
{
    const char *script = NULL;
    for (size_t i = 0; i < sizeof job_scripts / sizeof job_scripts[0]; i++)
        if (!strcmp(job_scripts[i].behavior, behavior)) script = job_scripts[i].script;
    json_t *tpl = ap_tmpl(t, "job", name, restart, script);
    cl_add_volume(tpl, json_pack("{s:s, s:{}}", "name", "data", "emptyDir"), "/data");
    return ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:i, s:i, s:i, s:O}}", "apiVersion", "batch/v1", "kind", "Job",
                                 "metadata", "name", name, "spec", "parallelism", 2, "completions", 4, "backoffLimit",
                                 backoff, "template", tpl));
}
static int job_ready(ckc_t *t, json_t *j, void *n) { return ap_ival(j, "status.ready") == *(int *)n; }
static int job_complete(ckc_t *t, json_t *j, void *n) { return ap_ival(j, "status.succeeded") == *(int *)n; }
static void wait_job_pods_running(ckc_t *t, const char *ns, const char *name, size_t n)
{
    double deadline = ckc_now() + ckc_timeout(t, 120);
    for (;;) {
        size_t i, running = 0; json_t *p;
        json_array_foreach(cl_live_pods(t, ns, ckc_fmt(t, "job=%s", name)), i, p) running += cl_pred_phase(p, "Running");
        if (running == n) return;
        if (ckc_now() > deadline) CKC_FAIL(t, "job %s: %zu pods must be Running, found %zu", name, n, running);
        ckc_sleep_ms(1000);
    }
}

static int owned_by(json_t *pod, void *uid) { return cl_same(cl_controller_uid(pod), uid); }
static int no_controller(json_t *pod, void *unused) { return cl_controller_uid(pod) == NULL; }

void t_job_adopt_release(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *j = ap_post(t, JOBS(t, ns), job(t, "notTerminate", "adopt-release", "Never", 6));
    const char *uid = ckc_str(j, "metadata.uid");
    wait_job_pods_running(t, ns, "adopt-release", 2);
    json_t *pods = cl_live_pods(t, ns, "job=adopt-release");
    CKC_CHECK(t, NULL, json_array_size(pods) == 2, "pods == parallelism");
    const char *pod = ckc_str(json_array_get(pods, 0), "metadata.name");
    const char *pitem = ckc_item(t, "pods", ns, pod);
    CKC_CODE(t, ckc_patch(t, pitem, CKC_MERGE_PATCH, "{\"metadata\":{\"ownerReferences\":null}}"), 200);
    cl_wait_pod(t, ns, pod, owned_by, (void *)uid, 60, "the Job must re-adopt the orphaned pod");
    CKC_CODE(t, ckc_patch(t, pitem, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":null}}"), 200);
    cl_wait_pod(t, ns, pod, no_controller, NULL, 60, "the Job must release the pod without labels");
}

void t_job_delete(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/foo", JOBS(t, ns));
    ap_post(t, JOBS(t, ns), job(t, "notTerminate", "foo", "Never", 6));
    wait_job_pods_running(t, ns, "foo", 2);
    /* DeleteResourceAndWaitForGC: background deletion, then the pods go */
    CKC_CODE(t, ckc_delete(t, item, ckc_parse(t, "{\"propagationPolicy\":\"Background\"}")), 200);
    ckc_wait_gone(t, item, 60);
    cl_wait_pod_count(t, ns, "job=foo", 0, 0, 90);
    CKC_STATUS(t, ckc_get(t, item), 404, "NotFound");
}

void t_job_local_restart(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ap_post(t, JOBS(t, ns), job(t, "failOnce", "fail-once-local", "OnFailure", 6));
    int four = 4;
    ap_wait_obj(t, ckc_fmt(t, "%s/fail-once-local", JOBS(t, ns)), job_complete, &four, 240, "status.succeeded must reach 4");
}

void t_job_indexed(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *j = job(t, "succeed", "indexed-job", "Never", 6);
    json_object_set_new(ap_wspec(j), "completionMode", json_string("Indexed"));
    ap_post(t, JOBS(t, ns), j);
    int four = 4;
    ap_wait_obj(t, ckc_fmt(t, "%s/indexed-job", JOBS(t, ns)), job_complete, &four, 180, "status.succeeded must reach 4");
    int seen[4] = {0};
    size_t i; json_t *p;
    json_array_foreach(cl_list(t, ckc_fmt(t, "%s%s", PODS(t, ns), ap_sel_q(t, "job", "indexed-job"))), i, p) {
        if (!cl_pred_phase(p, "Succeeded")) continue;
        const char *ix = json_string_value(json_object_get(ckc_at(p, "metadata.annotations"),
                                                           "batch.kubernetes.io/job-completion-index"));
        CKC_CHECK(t, NULL, ix && atoi(ix) >= 0 && atoi(ix) < 4, "pod %s must carry a completion index annotation",
                  ckc_str(p, "metadata.name"));
        seen[atoi(ix)] = 1;
        const char *want = ckc_fmt(t, "indexed-job-%d", atoi(ix)), *host = ckc_str(p, "spec.hostname");
        CKC_CHECK(t, NULL, cl_same(host, want), "expected completed pod with hostname %s, but got %s", want,
                  host ? host : "(none)");
    }
    for (int k = 0; k < 4; k++) CKC_CHECK(t, NULL, seen[k], "index %d must have a Succeeded pod", k);
}

static int job_failed(ckc_t *t, json_t *j, void *reason)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(j, "status.conditions"), i, c)
        if (cl_same(ckc_str(c, "type"), "Failed") && cl_same(ckc_str(c, "status"), "True"))
            return !reason || cl_same(ckc_str(c, "reason"), reason);
    return 0;
}

/* NewTestJobOnNode + setupHostPathDirectory: pods pinned by nodeSelector to
 * one Ready node, "data" a hostPath DirectoryOrCreate under /tmp/job-e2e/,
 * the container privileged (for SELinux hosts). */
static void on_node(ckc_t *t, json_t *j)
{
    json_t *spec = ckc_at(j, "spec.template.spec"), *vol = json_array_get(json_object_get(spec, "volumes"), 0);
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    json_object_set_new(spec, "nodeSelector", json_pack("{s:s}", "kubernetes.io/hostname", node));
    json_object_del(vol, "emptyDir");
    json_object_set_new(vol, "hostPath", json_pack("{s:s, s:s}", "path", ckc_rand_name(t, "/tmp/job-e2e/"), "type",
                                                   "DirectoryOrCreate"));
    json_object_set_new(ap_tc0(ckc_at(j, "spec.template")), "securityContext", json_pack("{s:b}", "privileged", 1));
}

void t_job_pfp_exit_code(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *j = job(t, "failOnce", "pod-failure-failjob", "Never", 6);
    on_node(t, j);
    json_object_set_new(ap_wspec(j), "podFailurePolicy",
                        json_pack("{s:[{s:s, s:{s:s, s:[i]}}]}", "rules", "action", "FailJob", "onExitCodes", "operator",
                                  "In", "values", 1));
    ap_post(t, JOBS(t, ns), j);
    ap_wait_obj(t, ckc_fmt(t, "%s/pod-failure-failjob", JOBS(t, ns)), job_failed, NULL, 120,
                "the Job must fail (FailJob on exit code 1)");
}

/* job.go (v1.32): 3 pods, parallelism = completions = 3, backoffLimit 2. */
void t_job_pfp_disruption(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "evicted-pod-ignore-on-disruption-condition";
    json_t *j = job(t, "notTerminateOncePerIndex", name, "Never", 2);
    on_node(t, j);
    json_object_set_new(ap_wspec(j), "parallelism", json_integer(3));
    json_object_set_new(ap_wspec(j), "completions", json_integer(3));
    json_object_set_new(ap_wspec(j), "completionMode", json_string("Indexed"));
    json_object_set_new(ap_wspec(j), "podFailurePolicy",
                        json_pack("{s:[{s:s, s:[{s:s, s:s}]}]}", "rules", "action", "Ignore", "onPodConditions", "type",
                                  "DisruptionTarget", "status", "True"));
    ap_post(t, JOBS(t, ns), j);
    int three = 3;
    ap_wait_obj(t, ckc_fmt(t, "%s/%s", JOBS(t, ns), name), job_ready, &three, 120, "status.ready must reach 3");
    wait_job_pods_running(t, ns, name, 3);
    json_t *pods = cl_live_pods(t, ns, ckc_fmt(t, "job=%s", name));
    size_t i; json_t *p;
    json_array_foreach(pods, i, p) CKC_CODE(t, ap_evict(t, ns, ckc_str(p, "metadata.name")), 201);
    json_array_foreach(pods, i, p) ckc_wait_gone(t, ckc_item(t, "pods", ns, ckc_str(p, "metadata.name")), 60);
    ap_wait_obj(t, ckc_fmt(t, "%s/%s", JOBS(t, ns), name), job_complete, &three, 180,
                "evictions are ignored (DisruptionTarget): the Job must still complete");
}
