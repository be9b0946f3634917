/* t_apps.c: the remaining [sig-apps] conformance tests on a cluster (CronJob,
 * DaemonSet, Deployment, DisruptionController, Job, ReplicaSet, RC, StatefulSet),
 * after test/e2e/apps/ (cronjob, daemon_set, deployment, ...), plus GC with two owners, list continuation after
 * expiry (chunking.go) and service-account token mounts (auth/service_accounts.go). */
#include "cluster.h"
#include <regex.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers ---- */
static const char *coll(ckc_t *t, const char *gv, const char *res, const char *ns)
{
    return ckc_fmt(t, "%s/%s/namespaces/%s/%s", strchr(gv, '/') ? "/apis" : "/api", gv, ns, res);
}
#define JOBS(t, ns) coll((t), "batch/v1", "jobs", (ns))
#define CRONJOBS(t, ns) coll((t), "batch/v1", "cronjobs", (ns))
#define DSETS(t, ns) coll((t), "apps/v1", "daemonsets", (ns))
#define SSETS(t, ns) coll((t), "apps/v1", "statefulsets", (ns))
#define PDBS(t, ns) coll((t), "policy/v1", "poddisruptionbudgets", (ns))
#define PODS(t, ns) coll((t), "v1", "pods", (ns))

static json_t *post(ckc_t *t, const char *path, json_t *obj)
{
    ckc_resp *r = ckc_post(t, path, obj);
    CKC_CODE(t, r, 201);
    return r->json;
}
static json_t *get(ckc_t *t, const char *path)
{
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    return r->json;
}
static json_t *patch(ckc_t *t, const char *path, const char *type, const char *body)
{
    ckc_resp *r = ckc_patch(t, path, type, body);
    CKC_CODE(t, r, 200);
    return r->json;
}
static json_int_t ival(json_t *o, const char *path) { return json_integer_value(ckc_at(o, path)); }
static void sleep_s(ckc_t *t, double base) { ckc_sleep_ms((int)(ckc_timeout(t, base) * 1000)); }

typedef int (*obj_pred)(ckc_t *t, json_t *obj, void *arg);
static json_t *wait_obj(ckc_t *t, const char *path, obj_pred pred, void *arg, double base, const char *what)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    ckc_resp *r;
    for (;;) {
        r = ckc_get(t, path);
        if (r->code == 200 && pred(t, r->json, arg)) return r->json;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    char *ex = ckc_own(t, ckc_excerpt(r->body, 600), free);
    CKC_FAIL(t, "%s: %s within %.0fs; last (%ld): %s", path, what, ckc_timeout(t, base), r->code, ex);
}

/* A pod template {labels, busybox container "c" running script}. */
static json_t *tmpl(ckc_t *t, const char *key, const char *val, const char *restart, const char *script)
{
    json_t *pod = cl_pod(t, "x", restart, script);
    return ckc_ownj(t, json_pack("{s:{s:{s:s}}, s:O}", "metadata", "labels", key, val, "spec",
                                 json_object_get(pod, "spec")));
}
static json_t *tspec(json_t *tpl) { return json_object_get(tpl, "spec"); }
static json_t *tc0(json_t *tpl) { return json_array_get(ckc_at(tpl, "spec.containers"), 0); }

/* A workload {apiVersion, kind, metadata.name, spec{selector key=val, template}}. */
static json_t *workload(ckc_t *t, const char *gv, const char *kind, const char *name, const char *key,
                        const char *val, json_t *tpl)
{
    json_t *sel = json_pack("{s:s}", key, val);
    return ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:o, s:O}}", "apiVersion", gv, "kind", kind, "metadata",
                                 "name", name, "spec", "selector",
                                 strcmp(kind, "ReplicationController") ? json_pack("{s:o}", "matchLabels", sel) : sel,
                                 "template", tpl));
}
static json_t *wspec(json_t *w) { return json_object_get(w, "spec"); }

static const char *sel_q(ckc_t *t, const char *key, const char *val)
{
    return ckc_fmt(t, "?labelSelector=%s%%3D%s", key, val);
}

/* Cleanup run at test end even when it fails: a raw request. */
typedef struct later { ckc_run *run; char *path, *body; const char *method, *ctype; } later;
static void later_fn(void *p)
{
    later *l = p;
    ckc_reqspec rq = {.method = l->method, .path = l->path, .body = l->body, .content_type = l->ctype};
    ckc_resp_free(ckc_request_run(l->run, &rq));
    free(l->path); free(l->body); free(l);
}
static void at_end(ckc_t *t, const char *method, const char *path, const char *ctype, const char *body)
{
    later *l = calloc(1, sizeof *l);
    if (!l || !(l->path = strdup(path)) || (body && !(l->body = strdup(body)))) {
        if (l) { free(l->path); free(l); }
        CKC_FAIL(t, "out of memory");
    }
    l->run = t->run; l->method = method; l->ctype = ctype;
    ckc_own(t, l, later_fn);
}

/* ---- cronjob.go ---- */
static json_t *cronjob(ckc_t *t, const char *name, const char *policy, int suspend, const char *script)
{
    json_t *tpl = tmpl(t, "cj", name, "OnFailure", script);
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
    json_array_foreach(jobs, i, j) n += ival(j, "status.active") > 0 && !ckc_at(j, "metadata.deletionTimestamp");
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
static void t_cj_suspended(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *cj = post(t, CRONJOBS(t, ns), cronjob(t, "suspended", "Allow", 1, "sleep 300"));
    sleep_s(t, 75);
    CKC_CHECK(t, NULL, json_array_size(cj_jobs(t, ns, ckc_str(cj, "metadata.uid"))) == 0,
              "a suspended cronjob must not schedule jobs");
    CKC_CHECK(t, NULL, json_array_size(cl_list(t, JOBS(t, ns))) == 0, "no job may exist");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s/suspended", CRONJOBS(t, ns)), NULL), 200);
}

static void t_cj_forbid(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/forbid", CRONJOBS(t, ns));
    json_t *cj = post(t, CRONJOBS(t, ns), cronjob(t, "forbid", "Forbid", 0, "sleep 300"));
    const char *uid = ckc_str(cj, "metadata.uid");
    wait_active_jobs(t, ns, uid, 1, 150);
    CKC_CHECK(t, NULL, json_array_size(cj_jobs(t, ns, uid)) == 1, "exactly one job must exist");
    sleep_s(t, 75); /* upstream: "Ensuring no more jobs are scheduled" (cronJobTimeout) */
    json_t *jobs = cj_jobs(t, ns, uid);
    CKC_CHECK(t, NULL, json_array_size(jobs) == 1, "Forbid: no second job while one runs; found %zu",
              json_array_size(jobs));
    json_t *got = get(t, item);
    CKC_CHECK(t, NULL, json_array_size(ckc_at(got, "status.active")) == 1, "status.active must list 1 job");
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
}

static void t_cj_replace(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *cj = post(t, CRONJOBS(t, ns), cronjob(t, "replace", "Replace", 0, "sleep 300"));
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

static void t_cj_concurrent(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/concurrent", CRONJOBS(t, ns));
    json_t *cj = post(t, CRONJOBS(t, ns), cronjob(t, "concurrent", "Allow", 0, "sleep 300"));
    json_t *jobs = wait_active_jobs(t, ns, ckc_str(cj, "metadata.uid"), 2, 210);
    CKC_CHECK(t, NULL, n_active_jobs(jobs) >= 2, "at least two active jobs");
    json_t *got = get(t, item);
    CKC_CHECK(t, NULL, json_array_size(ckc_at(got, "status.active")) >= 2, "status.active must list >= 2 jobs");
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
}

/* ---- daemon_set.go ---- */
#define DS_LABEL "daemonset-name"
static json_t *daemonset(ckc_t *t, const char *name)
{
    return workload(t, "apps/v1", "DaemonSet", name, DS_LABEL, name, tmpl(t, DS_LABEL, name, "Always", NULL));
}
/* Every Ready node (matching key=val when key set) runs one Running, Ready daemon pod. */
static int ds_on_nodes(ckc_t *t, const char *ns, const char *name, const char *key, const char *val, size_t *nodes_out)
{
    json_t *nodes = cl_ready_nodes(t), *pods = cl_live_pods(t, ns, ckc_fmt(t, DS_LABEL "=%s", name));
    size_t i, j, want = 0; json_t *n, *p;
    json_array_foreach(nodes, i, n) {
        if (key && !cl_same(ckc_label(n, key), val)) continue;
        want++;
        int ok = 0;
        json_array_foreach(pods, j, p)
            ok |= cl_same(ckc_str(p, "spec.nodeName"), ckc_str(n, "metadata.name")) && cl_pred_running_ready(p, NULL);
        if (!ok) return 0;
    }
    if (nodes_out) *nodes_out = want;
    return json_array_size(pods) == want;
}
static void wait_ds_nodes(ckc_t *t, const char *ns, const char *name, const char *key, const char *val, const char *what)
{
    double deadline = ckc_now() + ckc_timeout(t, 120);
    while (!ds_on_nodes(t, ns, name, key, val, NULL)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "daemonset %s: %s within %.0fs", name, what, ckc_timeout(t, 120));
        ckc_sleep_ms(1000);
    }
}
static int ds_status_ok(ckc_t *t, json_t *ds, void *unused)
{
    json_int_t d = ival(ds, "status.desiredNumberScheduled");
    return ival(ds, "status.currentNumberScheduled") == d && ival(ds, "status.numberReady") == d &&
           ival(ds, "status.updatedNumberScheduled") == d && ival(ds, "status.numberAvailable") == d;
}

static void t_ds_simple(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns));
    post(t, DSETS(t, ns), daemonset(t, "daemon-set"));
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "one Running pod per node");
    wait_obj(t, item, ds_status_ok, NULL, 60, "status: current = ready = updated = available = desired");
    json_t *pods = cl_live_pods(t, ns, DS_LABEL "=daemon-set");
    const char *victim = ckc_str(json_array_get(pods, 0), "metadata.name");
    CKC_CODE(t, ckc_delete(t, ckc_item(t, "pods", ns, victim), NULL), 200);
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "the stopped daemon pod must be revived");
}

#define COLOR "daemonset-color"
static void t_ds_complex(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns));
    json_t *ds = daemonset(t, "daemon-set");
    json_object_set_new(tspec(ckc_at(ds, "spec.template")), "nodeSelector", json_pack("{s:s}", COLOR, "blue"));
    post(t, DSETS(t, ns), ds);
    sleep_s(t, 3);
    CKC_CHECK(t, NULL, json_array_size(cl_live_pods(t, ns, DS_LABEL "=daemon-set")) == 0,
              "no node is blue: no daemon pod may be launched");
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    const char *npath = ckc_fmt(t, "/api/v1/nodes/%s", node);
    at_end(t, "PATCH", npath, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"" COLOR "\":null}}}");
    patch(t, npath, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"" COLOR "\":\"blue\"}}}");
    wait_ds_nodes(t, ns, "daemon-set", COLOR, "blue", "a daemon pod must run on the blue node");
    wait_obj(t, item, ds_status_ok, NULL, 60, "status must count the blue node");
    patch(t, npath, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"" COLOR "\":\"green\"}}}");
    cl_wait_pod_count(t, ns, DS_LABEL "=daemon-set", 0, 0, 120);
    patch(t, item, CKC_SMP, "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"" COLOR "\":\"green\"}}},"
                            "\"updateStrategy\":{\"type\":\"RollingUpdate\"}}}");
    wait_ds_nodes(t, ns, "daemon-set", COLOR, "green", "a daemon pod must run on the green node");
    wait_obj(t, item, ds_status_ok, NULL, 60, "status must count the green node");
}

static int uid_gone(ckc_t *t, const char *ns, const char *name, const char *uid)
{
    ckc_resp *r = ckc_get(t, ckc_item(t, "pods", ns, name));
    return r->code == 404 || !cl_same(ckc_str(r->json, "metadata.uid"), uid);
}

static void t_ds_retry_failed(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    post(t, DSETS(t, ns), daemonset(t, "daemon-set"));
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "one Running pod per node");
    json_t *pod = json_deep_copy(json_array_get(cl_live_pods(t, ns, DS_LABEL "=daemon-set"), 0));
    ckc_ownj(t, pod);
    const char *name = ckc_str(pod, "metadata.name"), *uid = ckc_str(pod, "metadata.uid");
    json_object_set_new(json_object_get(pod, "status"), "phase", json_string("Failed"));
    CKC_CODE(t, ckc_put(t, ckc_fmt(t, "%s/status", ckc_item(t, "pods", ns, name)), pod), 200);
    double deadline = ckc_now() + ckc_timeout(t, 60);
    while (!uid_gone(t, ns, name, uid)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "the Failed daemon pod %s must be deleted", name);
        ckc_sleep_ms(500);
    }
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "the failed daemon pod must be replaced");
}

static int all_image(ckc_t *t, const char *ns, const char *sel, const char *image, int need_ready)
{
    json_t *pods = cl_live_pods(t, ns, sel);
    size_t i; json_t *p;
    json_array_foreach(pods, i, p)
        if (!cl_same(ckc_str(p, "spec.containers.0.image"), image) || (need_ready && !cl_pred_running_ready(p, NULL)))
            return 0;
    return json_array_size(pods) > 0;
}

static void t_ds_rolling(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns));
    json_t *ds = daemonset(t, "daemon-set");
    json_object_set_new(wspec(ds), "updateStrategy", json_pack("{s:s}", "type", "RollingUpdate"));
    post(t, DSETS(t, ns), ds);
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "one Running pod per node");
    const char *old_hash = ckc_fmt(t, "%s", ckc_label(json_array_get(cl_live_pods(t, ns, DS_LABEL "=daemon-set"), 0),
                                                      "controller-revision-hash") ?: "");
    patch(t, item, CKC_SMP, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.37\"}]}}}}");
    double deadline = ckc_now() + ckc_timeout(t, 120);
    while (!all_image(t, ns, DS_LABEL "=daemon-set", "busybox:1.37", 1) || !ds_on_nodes(t, ns, "daemon-set", 0, 0, 0)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "every daemon pod must be replaced by one with image busybox:1.37");
        ckc_sleep_ms(1000);
    }
    json_t *pods = cl_live_pods(t, ns, DS_LABEL "=daemon-set");
    size_t i; json_t *p;
    json_array_foreach(pods, i, p) {
        const char *h = ckc_label(p, "controller-revision-hash");
        CKC_CHECK(t, NULL, h && !cl_same(h, old_hash), "pod %s must carry the new controller-revision-hash (old %s, got %s)",
                  ckc_str(p, "metadata.name"), old_hash, h ? h : "(none)");
    }
    wait_obj(t, item, ds_status_ok, NULL, 60, "status: every pod updated and available");
}

static void t_ds_rollback(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns)), *sel = DS_LABEL "=daemon-set";
    json_t *ds = daemonset(t, "daemon-set");
    json_object_set_new(wspec(ds), "updateStrategy", json_pack("{s:s}", "type", "RollingUpdate"));
    post(t, DSETS(t, ns), ds);
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "one Running pod per node");
    const char *bad = "foo:non-existent"; /* upstream's image that cannot be pulled */
    patch(t, item, CKC_SMP, ckc_fmt(t, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"%s\"}]}}}}", bad));
    double deadline = ckc_now() + ckc_timeout(t, 60);
    json_t *pods;
    size_t i, n_new, n_nodes = json_array_size(cl_ready_nodes(t)); json_t *p;
    json_t *existing = ckc_ownj(t, json_array());
    for (;;) { /* "Make sure we're in the middle of a rollout" */
        pods = cl_live_pods(t, ns, sel);
        n_new = 0;
        json_array_foreach(pods, i, p) n_new += cl_same(ckc_str(p, "spec.containers.0.image"), bad);
        if (n_new) break;
        if (ckc_now() > deadline) CKC_FAIL(t, "at least one pod must get the new image %s", bad);
        ckc_sleep_ms(500);
    }
    json_array_foreach(pods, i, p) {
        const char *img = ckc_str(p, "spec.containers.0.image");
        if (cl_same(img, CKC_BUSYBOX)) json_array_append_new(existing, json_string(ckc_str(p, "metadata.name")));
        else CKC_CHECK(t, NULL, cl_same(img, bad), "unexpected image %s", img ? img : "(none)");
    }
    if (n_nodes < 2)
        CKC_CHECK(t, NULL, json_array_size(existing) == 0, "one node: the only old pod must have been replaced");
    patch(t, item, CKC_SMP, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" CKC_BUSYBOX "\"}]}}}}");
    deadline = ckc_now() + ckc_timeout(t, 120);
    while (!all_image(t, ns, sel, CKC_BUSYBOX, 1) || !ds_on_nodes(t, ns, "daemon-set", 0, 0, 0)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "the rollback must complete (every pod %s and Ready)", CKC_BUSYBOX);
        ckc_sleep_ms(1000);
    }
    pods = cl_live_pods(t, ns, sel);
    json_t *e;
    json_array_foreach(existing, i, e) {
        int found = 0; size_t j;
        json_array_foreach(pods, j, p) found |= cl_same(ckc_str(p, "metadata.name"), json_string_value(e));
        CKC_CHECK(t, NULL, found, "pod %s with the old image must not be restarted by the rollback", json_string_value(e));
    }
}

/* ---- deployment.go ---- */
static json_t *deployment(ckc_t *t, const char *name, int replicas, const char *key, const char *val)
{
    json_t *d = workload(t, "apps/v1", "Deployment", name, key, val, tmpl(t, key, val, "Always", NULL));
    json_object_set_new(wspec(d), "replicas", json_integer(replicas));
    return d;
}
static int deploy_complete(ckc_t *t, json_t *d, void *unused)
{
    json_int_t want = ival(d, "spec.replicas");
    return ival(d, "status.observedGeneration") >= ival(d, "metadata.generation") &&
           ival(d, "status.updatedReplicas") == want && ival(d, "status.availableReplicas") == want &&
           ival(d, "status.replicas") == want;
}
/* The ReplicaSet of the deployment whose template has image (NULL when none). */
static json_t *rs_with_image(ckc_t *t, const char *ns, const char *uid, const char *image)
{
    size_t i; json_t *rs;
    json_array_foreach(cl_list(t, ckc_coll(t, "replicasets", ns)), i, rs)
        if (cl_same(cl_controller_uid(rs), uid) && cl_same(ckc_str(rs, "spec.template.spec.containers.0.image"), image))
            return rs;
    return NULL;
}
typedef struct rs_want { const char *uid, *image; json_int_t spec, avail; } rs_want; /* -1: any */
static json_t *wait_rs(ckc_t *t, const char *ns, rs_want *w, const char *what)
{
    double deadline = ckc_now() + ckc_timeout(t, 150);
    for (;;) {
        json_t *rs = rs_with_image(t, ns, w->uid, w->image);
        if (rs && (w->spec < 0 || ival(rs, "spec.replicas") == w->spec) &&
            (w->avail < 0 || ival(rs, "status.availableReplicas") == w->avail))
            return rs;
        if (ckc_now() > deadline) {
            char *ex = ckc_own(t, rs ? ckc_excerpt(json_dumps(rs, 0), 400) : NULL, free);
            CKC_FAIL(t, "ReplicaSet with image %s: %s; last: %s", w->image, what, ex ? ex : "(none)");
        }
        ckc_sleep_ms(1000);
    }
}
#define SET_IMAGE(img) "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" img "\"}]}}}}"

static void t_deploy_proportional(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "webserver-deployment");
    json_t *d = deployment(t, "webserver-deployment", 10, "name", "httpd");
    json_object_set_new(wspec(d), "strategy", json_pack("{s:s, s:{s:i, s:i}}", "type", "RollingUpdate", "rollingUpdate",
                                                        "maxSurge", 3, "maxUnavailable", 2));
    const char *uid = ckc_str(ckc_create(t, "deployments", ns, "webserver-deployment", d), "metadata.uid");
    wait_obj(t, item, deploy_complete, NULL, 180, "the first rollout must complete");
    patch(t, item, CKC_SMP, SET_IMAGE("webserver:404"));
    rs_want first = {uid, CKC_BUSYBOX, 8, 8}, second = {uid, "webserver:404", 5, 0};
    wait_rs(t, ns, &first, "the first rollout's ReplicaSet must keep minAvailable = 8 (spec and available)");
    wait_rs(t, ns, &second, "the second rollout's ReplicaSet must have .spec.replicas = 10 + 3 - 8 = 5, none available");
    patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":30}}");
    /* 8 + round(20 * 8/13) = 20 and 5 + round(20 * 5/13) = 13 (deployment.go) */
    first.spec = 20; first.avail = -1; second.spec = 13;
    wait_rs(t, ns, &first, "scaling to 30 must give the first ReplicaSet 20 replicas");
    wait_rs(t, ns, &second, "scaling to 30 must give the second ReplicaSet 13 replicas");
}

static void t_deploy_rollover(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "test-rollover-deployment");
    json_t *rs = workload(t, "apps/v1", "ReplicaSet", "test-rollover-controller", "name", "rollover-pod",
                          tmpl(t, "name", "rollover-pod", "Always", NULL));
    json_object_set_new(wspec(rs), "replicas", json_integer(1));
    cl_set_label(ckc_at(rs, "spec.template"), "pod", "httpd");
    json_object_set_new(ckc_at(rs, "spec.selector.matchLabels"), "pod", json_string("httpd"));
    ckc_create(t, "replicasets", ns, "test-rollover-controller", rs);
    cl_wait_pod_count(t, ns, "name=rollover-pod", 1, 1, 120);
    const char *bad = "gcr.io/google_samples/gb-redisslave:nonexistent";
    json_t *d = deployment(t, "test-rollover-deployment", 1, "name", "rollover-pod");
    json_object_set_new(tc0(ckc_at(d, "spec.template")), "image", json_string(bad));
    json_object_set_new(wspec(d), "minReadySeconds", json_integer(10));
    json_object_set_new(wspec(d), "strategy", json_pack("{s:s, s:{s:i, s:i}}", "type", "RollingUpdate", "rollingUpdate",
                                                        "maxUnavailable", 0, "maxSurge", 1));
    const char *uid = ckc_str(ckc_create(t, "deployments", ns, "test-rollover-deployment", d), "metadata.uid");
    rs_want stuck = {uid, bad, 1, -1};
    json_t *newrs = wait_rs(t, ns, &stuck, "the deployment must create a ReplicaSet with 1 replica");
    const char *newrs_item = ckc_item(t, "replicasets", ns, ckc_str(newrs, "metadata.name"));
    const char *oldrs_item = ckc_item(t, "replicasets", ns, "test-rollover-controller");
    json_t *old = get(t, oldrs_item);
    CKC_CHECK(t, NULL, ival(old, "spec.replicas") == 1, "maxUnavailable 0: the old ReplicaSet keeps its 1 replica");
    patch(t, item, CKC_SMP, SET_IMAGE("busybox:1.37"));
    json_t *done = wait_obj(t, item, deploy_complete, NULL, 180, "the rollover must complete");
    const char *rev = json_string_value(json_object_get(ckc_at(done, "metadata.annotations"), "deployment.kubernetes.io/revision"));
    CKC_CHECK(t, NULL, cl_same(rev, "2"), "the rollover is revision 2, got %s", rev ? rev : "(none)");
    json_t *rss[2] = {get(t, oldrs_item), get(t, newrs_item)};
    for (int i = 0; i < 2; i++)
        CKC_CHECK(t, NULL, ival(rss[i], "spec.replicas") == 0, "old ReplicaSet %s must be scaled to 0, has %lld",
                  ckc_str(rss[i], "metadata.name"), (long long)ival(rss[i], "spec.replicas"));
    rs_want fin = {uid, "busybox:1.37", 1, 1};
    wait_rs(t, ns, &fin, "the new ReplicaSet has 1 available replica");
}

static int has_cond(json_t *o, const char *type)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(o, "status.conditions"), i, c)
        if (cl_same(ckc_str(c, "type"), type)) return 1;
    return 0;
}
typedef struct ready_lbl { json_int_t ready; const char *key, *val; } ready_lbl;
static int ready_with_label(ckc_t *t, json_t *o, void *arg)
{
    ready_lbl *w = arg;
    return ival(o, "status.readyReplicas") == w->ready && (!w->key || cl_same(ckc_label(o, w->key), w->val));
}
static void add_status_cond(ckc_t *t, json_t *o, void *type)
{
    json_t *st = json_object_get(o, "status");
    if (!json_is_array(json_object_get(st, "conditions"))) json_object_set_new(st, "conditions", json_array());
    json_array_append_new(json_object_get(st, "conditions"),
                          json_pack("{s:s, s:s, s:s, s:s}", "type", (const char *)type, "status", "True", "reason",
                                    "E2E", "message", "Set from e2e test"));
}

static void update_deploy(ckc_t *t, json_t *d, void *unused)
{
    cl_set_label(d, "test-deployment", "updated");
    json_object_set_new(tc0(ckc_at(d, "spec.template")), "image", json_string(CKC_BUSYBOX));
}

static void t_deploy_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "test-deployment");
    json_t *d = deployment(t, "test-deployment", 1, "test-deployment-static", "true");
    json_object_set_new(json_object_get(d, "metadata"), "labels", json_pack("{s:s}", "test-deployment-static", "true"));
    ckc_create(t, "deployments", ns, "test-deployment", d);
    ready_lbl w = {1, NULL, NULL};
    wait_obj(t, item, ready_with_label, &w, 120, "1 ready replica");
    patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-deployment\":\"patched\"}},\"spec\":{\"replicas\":2,"
                            "\"template\":{\"spec\":{\"terminationGracePeriodSeconds\":1,"
                            "\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.37\"}]}}}}");
    w = (ready_lbl){2, "test-deployment", "patched"};
    wait_obj(t, item, ready_with_label, &w, 120, "patched label and 2 ready replicas");
    json_t *l = cl_list(t, ckc_fmt(t, "%s?labelSelector=test-deployment-static%%3Dtrue", ckc_coll(t, "deployments", ns)));
    CKC_CHECK(t, NULL, json_array_size(l) == 1 && cl_same(ckc_str(json_array_get(l, 0), "spec.template.spec.containers.0.image"),
                                                         "busybox:1.37"),
              "the list by label must return the patched deployment");
    CKC_CODE(t, ckc_update(t, item, update_deploy, NULL), 200);
    w = (ready_lbl){2, "test-deployment", "updated"};
    wait_obj(t, item, ready_with_label, &w, 120, "updated label and 2 ready replicas");
    const char *st = ckc_fmt(t, "%s/status", item);
    CKC_CHECK(t, NULL, cl_same(ckc_str(get(t, st), "kind"), "Deployment"), "GET /status returns the Deployment");
    CKC_CODE(t, ckc_update(t, st, add_status_cond, "StatusUpdate"), 200);
    CKC_CHECK(t, NULL, has_cond(get(t, st), "StatusUpdate"), "the StatusUpdate condition must be stored");
    json_t *p = patch(t, st, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"test-deployment\":\"patched-status\"}},"
                                              "\"status\":{\"readyReplicas\":0}}");
    CKC_CHECK(t, NULL, cl_same(ckc_label(p, "test-deployment"), "patched-status"), "status patch applies labels");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=test-deployment-static%%3Dtrue", ckc_coll(t, "deployments", ns)),
                           NULL), 200);
    ckc_wait_gone(t, item, 60);
}

/* ---- disruption.go ---- */
static void pdb(ckc_t *t, const char *ns, const char *field, int v)
{
    post(t, PDBS(t, ns), ckc_parse(t, "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":"
                                      "{\"name\":\"foo\"},\"spec\":{\"%s\":%d,\"selector\":{\"matchLabels\":{\"foo\":\"bar\"}}}}",
                                   field, v));
}
static int pdb_allowed_pos(ckc_t *t, json_t *o, void *u) { return ival(o, "status.disruptionsAllowed") > 0; }
typedef struct pdb_want { json_int_t healthy, allowed; } pdb_want;
static int pdb_observed(ckc_t *t, json_t *o, void *arg)
{
    pdb_want *w = arg;
    return ival(o, "status.observedGeneration") >= ival(o, "metadata.generation") &&
           ival(o, "status.currentHealthy") == w->healthy && ival(o, "status.disruptionsAllowed") == w->allowed;
}

static void t_pdb_observe(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    pdb(t, ns, "minAvailable", 1);
    for (int i = 0; i < 3; i++) {
        json_t *p = cl_pod(t, ckc_fmt(t, "pod-%d", i), "Always", NULL);
        cl_set_label(p, "foo", "bar");
        cl_create_pod(t, ns, p);
    }
    cl_wait_pod_count(t, ns, "foo=bar", 3, 1, 120);
    wait_obj(t, ckc_fmt(t, "%s/foo", PDBS(t, ns)), pdb_allowed_pos, NULL, 60, "status.disruptionsAllowed must become > 0");
}

static ckc_resp *evict(ckc_t *t, const char *ns, const char *pod)
{
    json_t *e = ckc_parse(t, "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\"}}",
                          pod, ns);
    return ckc_post(t, ckc_fmt(t, "%s/eviction", ckc_item(t, "pods", ns, pod)), e);
}
static void expect_blocked(ckc_t *t, ckc_resp *r)
{
    CKC_CODE(t, r, 429);
    CKC_CHECK(t, r, cl_has(ckc_str(r->json, "message"), "Cannot evict pod as it would violate the pod's disruption budget"),
              "the eviction must be refused by the disruption budget");
}

static void t_pdb_block_eviction(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/foo", PDBS(t, ns));
    pdb(t, ns, "maxUnavailable", 0);
    json_t *rs = workload(t, "apps/v1", "ReplicaSet", "rs", "foo", "bar", tmpl(t, "foo", "bar", "Always", NULL));
    json_object_set_new(wspec(rs), "replicas", json_integer(3));
    ckc_create(t, "replicasets", ns, "rs", rs);
    json_t *pods = cl_wait_pod_count(t, ns, "foo=bar", 3, 1, 120);
    const char *pod = ckc_str(json_array_get(pods, 0), "metadata.name");
    expect_blocked(t, evict(t, ns, pod));
    patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"maxUnavailable\":1}}");
    pdb_want w = {3, 1};
    wait_obj(t, item, pdb_observed, &w, 60, "currentHealthy 3, disruptionsAllowed 1");
    CKC_CODE(t, evict(t, ns, pod), 201);
    pods = cl_wait_pod_count(t, ns, "foo=bar", 3, 1, 120);
    w.allowed = 0;
    patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"maxUnavailable\":0}}");
    wait_obj(t, item, pdb_observed, &w, 60, "currentHealthy 3, disruptionsAllowed 0");
    pod = ckc_str(json_array_get(pods, 0), "metadata.name");
    expect_blocked(t, evict(t, ns, pod));
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
    ckc_wait_gone(t, item, 30);
    CKC_CODE(t, evict(t, ns, pod), 201);
}

/* ---- job.go: e2ejob.NewTestJob (label job=<name>, emptyDir "data" at /data;
 * parallelism 2, completions 4, backoffLimit 6) ---- */
static const struct { const char *behavior, *script; } job_scripts[] = {
    {"notTerminate", "sleep 1000000"},
    {"succeed", "exit 0"},
    {"failOnce", "if [ -r /data/foo ]; then exit 0; else touch /data/foo; exit 1; fi"},
    {"failOddSucceedEven", "if [ $(expr ${JOB_COMPLETION_INDEX} % 2) -ne 0 ]; then exit 1; else exit 0; fi"},
    {"notTerminateOncePerIndex",
     "if [ -r /data/foo-$JOB_COMPLETION_INDEX ]; then exit 0; else touch /data/foo-$JOB_COMPLETION_INDEX; sleep 1000000; fi"},
};
static json_t *job(ckc_t *t, const char *behavior, const char *name, const char *restart, int backoff)
{
    const char *script = NULL;
    for (size_t i = 0; i < sizeof job_scripts / sizeof job_scripts[0]; i++)
        if (!strcmp(job_scripts[i].behavior, behavior)) script = job_scripts[i].script;
    json_t *tpl = tmpl(t, "job", name, restart, script);
    cl_add_volume(tpl, json_pack("{s:s, s:{}}", "name", "data", "emptyDir"), "/data");
    return ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:i, s:i, s:i, s:O}}", "apiVersion", "batch/v1", "kind", "Job",
                                 "metadata", "name", name, "spec", "parallelism", 2, "completions", 4, "backoffLimit",
                                 backoff, "template", tpl));
}
static int job_complete(ckc_t *t, json_t *j, void *n) { return ival(j, "status.succeeded") == *(int *)n; }
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

static void t_job_adopt_release(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *j = post(t, JOBS(t, ns), job(t, "notTerminate", "adopt-release", "Never", 6));
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

static void t_job_delete(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/foo", JOBS(t, ns));
    post(t, JOBS(t, ns), job(t, "notTerminate", "foo", "Never", 6));
    wait_job_pods_running(t, ns, "foo", 2);
    /* DeleteResourceAndWaitForGC: background deletion, then the pods go */
    CKC_CODE(t, ckc_delete(t, item, ckc_parse(t, "{\"propagationPolicy\":\"Background\"}")), 200);
    ckc_wait_gone(t, item, 60);
    cl_wait_pod_count(t, ns, "job=foo", 0, 0, 90);
    CKC_STATUS(t, ckc_get(t, item), 404, "NotFound");
}

static void t_job_local_restart(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    post(t, JOBS(t, ns), job(t, "failOnce", "fail-once-local", "OnFailure", 6));
    int four = 4;
    wait_obj(t, ckc_fmt(t, "%s/fail-once-local", JOBS(t, ns)), job_complete, &four, 240, "status.succeeded must reach 4");
}

static void t_job_indexed(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *j = job(t, "succeed", "indexed-job", "Never", 6);
    json_object_set_new(wspec(j), "completionMode", json_string("Indexed"));
    post(t, JOBS(t, ns), j);
    int four = 4;
    wait_obj(t, ckc_fmt(t, "%s/indexed-job", JOBS(t, ns)), job_complete, &four, 180, "status.succeeded must reach 4");
    int seen[4] = {0};
    size_t i; json_t *p;
    json_array_foreach(cl_list(t, ckc_fmt(t, "%s%s", PODS(t, ns), sel_q(t, "job", "indexed-job"))), i, p) {
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

static void t_job_pfp_exit_code(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *j = job(t, "failOddSucceedEven", "pod-failure-failjob", "Never", 6);
    json_object_set_new(wspec(j), "completionMode", json_string("Indexed"));
    json_object_set_new(wspec(j), "podFailurePolicy",
                        json_pack("{s:[{s:s, s:{s:s, s:[i]}}]}", "rules", "action", "FailJob", "onExitCodes", "operator",
                                  "In", "values", 1));
    post(t, JOBS(t, ns), j);
    wait_obj(t, ckc_fmt(t, "%s/pod-failure-failjob", JOBS(t, ns)), job_failed, "PodFailurePolicy", 120,
             "the Job must fail with reason PodFailurePolicy");
}

static void t_job_pfp_disruption(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "evicted-pod-ignore-on-disruption-condition";
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    json_t *j = job(t, "notTerminateOncePerIndex", name, "Never", 0);
    json_t *spec = ckc_at(j, "spec.template.spec");
    /* NewTestJobOnNode: pinned to a node, /data is a hostPath so a new pod sees the marker */
    json_object_set_new(spec, "nodeName", json_string(node));
    json_object_set_new(json_array_get(json_object_get(spec, "volumes"), 0), "hostPath",
                        json_pack("{s:s, s:s}", "path", ckc_fmt(t, "/tmp/ckc-job-%s", ns), "type", "DirectoryOrCreate"));
    json_object_del(json_array_get(json_object_get(spec, "volumes"), 0), "emptyDir");
    json_object_set_new(wspec(j), "completionMode", json_string("Indexed"));
    json_object_set_new(wspec(j), "podFailurePolicy",
                        json_pack("{s:[{s:s, s:[{s:s, s:s}]}]}", "rules", "action", "Ignore", "onPodConditions", "type",
                                  "DisruptionTarget", "status", "True"));
    post(t, JOBS(t, ns), j);
    wait_job_pods_running(t, ns, name, 2);
    json_t *pods = cl_live_pods(t, ns, ckc_fmt(t, "job=%s", name));
    size_t i; json_t *p;
    json_array_foreach(pods, i, p) CKC_CODE(t, evict(t, ns, ckc_str(p, "metadata.name")), 201);
    json_array_foreach(pods, i, p) ckc_wait_gone(t, ckc_item(t, "pods", ns, ckc_str(p, "metadata.name")), 60);
    int four = 4;
    wait_obj(t, ckc_fmt(t, "%s/%s", JOBS(t, ns), name), job_complete, &four, 180,
             "evictions are ignored (DisruptionTarget): the Job must still complete");
}

/* ---- replica_set.go / rc.go ---- */
static void t_rs_replace_patch(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicasets", ns, "test-rs");
    json_t *rs = workload(t, "apps/v1", "ReplicaSet", "test-rs", "name", "sample-pod", tmpl(t, "name", "sample-pod", "Always", NULL));
    json_object_set_new(wspec(rs), "replicas", json_integer(1));
    ckc_create(t, "replicasets", ns, "test-rs", rs);
    cl_wait_pod_count(t, ns, "name=sample-pod", 1, 1, 120);
    json_t *cur = json_deep_copy(get(t, item));
    ckc_ownj(t, cur);
    json_object_set_new(wspec(cur), "replicas", json_integer(2));
    CKC_CODE(t, ckc_put(t, item, cur), 200);
    patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-rs\":\"patched\"}},\"spec\":{\"replicas\":3,\"template\":"
                            "{\"spec\":{\"terminationGracePeriodSeconds\":1,\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.37\"}]}}}}");
    ready_lbl w = {3, "test-rs", "patched"};
    wait_obj(t, item, ready_with_label, &w, 120, "label test-rs=patched and 3 ready replicas");
}

static int rc_avail(ckc_t *t, json_t *o, void *n)
{
    return ival(o, "status.readyReplicas") == *(int *)n && ival(o, "status.availableReplicas") == *(int *)n;
}
static void zero_status(ckc_t *t, json_t *o, void *u)
{
    json_object_set_new(json_object_get(o, "status"), "readyReplicas", json_integer(0));
    json_object_set_new(json_object_get(o, "status"), "availableReplicas", json_integer(0));
}

static void t_rc_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicationcontrollers", ns, "rc-test");
    json_t *rc = workload(t, "v1", "ReplicationController", "rc-test", "test-rc-static", "true",
                          tmpl(t, "test-rc-static", "true", "Always", NULL));
    json_object_set_new(wspec(rc), "replicas", json_integer(1));
    json_object_set_new(json_object_get(rc, "metadata"), "labels", json_pack("{s:s}", "test-rc-static", "true"));
    ckc_create(t, "replicationcontrollers", ns, "rc-test", rc);
    int one = 1, two = 2;
    wait_obj(t, item, rc_avail, &one, 120, "1 ready and available replica");
    patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-rc\":\"patched\"}},\"spec\":{\"replicas\":1,\"template\":"
                            "{\"spec\":{\"terminationGracePeriodSeconds\":1}}}}");
    const char *st = ckc_fmt(t, "%s/status", item), *scale = ckc_fmt(t, "%s/scale", item);
    json_t *p = patch(t, st, CKC_SMP, "{\"status\":{\"readyReplicas\":0,\"availableReplicas\":0}}");
    CKC_CHECK(t, NULL, ival(p, "status.readyReplicas") == 0, "the status patch must apply");
    wait_obj(t, item, rc_avail, &one, 60, "the controller must restore 1 ready replica");
    CKC_CHECK(t, NULL, ival(get(t, st), "spec.replicas") == 1, "GET /status returns the rc");
    patch(t, scale, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":2}}");
    wait_obj(t, item, rc_avail, &two, 120, "2 ready and available replicas after the scale patch");
    CKC_CHECK(t, NULL, cl_same(ckc_label(get(t, item), "test-rc"), "patched"), "the rc keeps its patched label");
    CKC_CODE(t, ckc_update(t, st, zero_status, NULL), 200);
    json_t *l = cl_list(t, "/api/v1/replicationcontrollers?labelSelector=test-rc-static%3Dtrue");
    size_t i; json_t *o; int found = 0;
    json_array_foreach(l, i, o)
        found |= cl_same(ckc_str(o, "metadata.namespace"), ns) && ival(o, "spec.replicas") == 2;
    CKC_CHECK(t, NULL, found, "listing all namespaces must find rc-test with 2 replicas");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=test-rc-static%%3Dtrue", ckc_coll(t, "replicationcontrollers", ns)),
                           NULL), 200);
    ckc_wait_gone(t, item, 60);
}

/* ---- statefulset.go: ss "ss" behind headless service "test", labels foo=bar ---- */
static json_t *statefulset(ckc_t *t, const char *ns, const char *name, int replicas, const char *script)
{
    ckc_post(t, ckc_coll(t, "services", ns),
             ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"test\"},\"spec\":"
                          "{\"clusterIP\":\"None\",\"selector\":{\"foo\":\"bar\"},\"ports\":[{\"port\":80}]}}"));
    json_t *ss = workload(t, "apps/v1", "StatefulSet", name, "foo", "bar", tmpl(t, "foo", "bar", "Always", script));
    json_object_set_new(wspec(ss), "replicas", json_integer(replicas));
    json_object_set_new(wspec(ss), "serviceName", json_string("test"));
    return ss;
}
/* Readiness by marker file (the harness has no exec to break an HTTP probe
 * as upstream does; a probe on a file the container creates late stands in). */
static void ready_on_file(json_t *ss)
{
    json_object_set_new(tc0(ckc_at(ss, "spec.template")), "readinessProbe",
                        json_pack("{s:{s:[s,s]}, s:i, s:i}", "exec", "command", "cat", "/tmp/ready", "periodSeconds", 1,
                                  "failureThreshold", 1));
}
static int ss_ready(ckc_t *t, json_t *o, void *n)
{
    return ival(o, "status.observedGeneration") >= ival(o, "metadata.generation") &&
           ival(o, "status.replicas") == *(int *)n && ival(o, "status.readyReplicas") == *(int *)n;
}
static void wait_ss(ckc_t *t, const char *ns, const char *name, int n)
{
    wait_obj(t, ckc_fmt(t, "%s/%s", SSETS(t, ns), name), ss_ready, &n, 180, ckc_fmt(t, "%d ready replicas", n));
}
static void set_replicas(ckc_t *t, const char *ns, const char *name, int n)
{
    patch(t, ckc_fmt(t, "%s/%s", SSETS(t, ns), name), CKC_MERGE_PATCH, ckc_fmt(t, "{\"spec\":{\"replicas\":%d}}", n));
}

static void t_ss_burst(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *ss = statefulset(t, ns, "ss", 1, "sleep 3600");
    json_object_set_new(wspec(ss), "podManagementPolicy", json_string("Parallel"));
    ready_on_file(ss); /* never created: every pod stays unhealthy */
    post(t, SSETS(t, ns), ss);
    cl_wait_pod(t, ns, "ss-0", cl_pred_phase, "Running", 120, "ss-0 must run (unready)");
    set_replicas(t, ns, "ss", 3);
    for (int i = 0; i < 3; i++)
        cl_wait_pod(t, ns, ckc_fmt(t, "ss-%d", i), cl_pred_phase, "Running", 120,
                    "Parallel: scale-up must not halt on unhealthy pods");
    set_replicas(t, ns, "ss", 0);
    int zero = 0;
    wait_obj(t, ckc_fmt(t, "%s/ss", SSETS(t, ns)), ss_ready, &zero, 120, "Parallel: scale-down to 0 must not halt");
    cl_wait_pod_count(t, ns, "foo=bar", 0, 0, 90);
}

/* Pod names in the order of watch events of type on pods foo=bar. */
static void watch_order(ckc_t *t, ckc_watch *w, const char *type, const char *const *want, size_t n, double base)
{
    size_t got = 0;
    double deadline = ckc_now() + ckc_timeout(t, base);
    while (got < n && ckc_now() < deadline) {
        json_t *ev = ckc_watch_next(w, deadline - ckc_now());
        if (!ev) break;
        if (!cl_same(ckc_str(ev, "type"), type)) continue;
        const char *name = ckc_str(ev, "object.metadata.name");
        CKC_CHECK(t, NULL, cl_same(name, want[got]), "%s events must come in order: expected %s, got %s", type, want[got],
                  name ? name : "(none)");
        got++;
    }
    CKC_CHECK(t, NULL, got == n, "expected %zu %s events in order, saw %zu", n, type, got);
}

static void t_ss_ordered(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    /* each pod is unhealthy for its first 8 seconds */
    json_t *ss = statefulset(t, ns, "ss", 1, "sleep 8; touch /tmp/ready; sleep 3600");
    ready_on_file(ss);
    post(t, SSETS(t, ns), ss);
    wait_ss(t, ns, "ss", 1);
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1&labelSelector=foo%%3Dbar&resourceVersion=%s", PODS(t, ns),
                                             ckc_str(get(t, PODS(t, ns)), "metadata.resourceVersion")));
    set_replicas(t, ns, "ss", 3);
    /* while ss-1 is unhealthy, ss-2 must not be created (OrderedReady halts) */
    cl_wait_pod(t, ns, "ss-1", cl_pred_phase, "Running", 60, "ss-1 must be created");
    double until = ckc_now() + 4;
    while (ckc_now() < until) {
        json_t *p = ckc_get(t, ckc_item(t, "pods", ns, "ss-1"))->json;
        if (cl_pred_running_ready(p, NULL)) break;
        CKC_CHECK(t, NULL, ckc_get(t, ckc_item(t, "pods", ns, "ss-2"))->code == 404,
                  "ss-2 must not exist while ss-1 is unhealthy");
        ckc_sleep_ms(300);
    }
    const char *up[] = {"ss-1", "ss-2"}, *down[] = {"ss-2", "ss-1", "ss-0"};
    watch_order(t, w, "ADDED", up, 2, 90);
    wait_ss(t, ns, "ss", 3);
    set_replicas(t, ns, "ss", 0);
    watch_order(t, w, "DELETED", down, 3, 120);
}

static int failed_or_gone(ckc_t *t, const char *ns, const char *name, const char **uid)
{
    ckc_resp *r = ckc_get(t, ckc_item(t, "pods", ns, name));
    if (r->code == 200 && !*uid) *uid = ckc_fmt(t, "%s", ckc_str(r->json, "metadata.uid"));
    return *uid && (r->code == 404 || cl_pred_phase(r->json, "Failed") || !cl_same(ckc_str(r->json, "metadata.uid"), *uid));
}

static void t_ss_recreate_evicted(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    json_t *port = json_pack("[{s:i, s:i, s:s}]", "hostPort", 21017, "containerPort", 21017, "name", "conflict");
    ckc_ownj(t, port);
    json_t *pod = cl_pod(t, "test-pod", "Always", NULL);
    json_object_set_new(json_object_get(pod, "spec"), "nodeName", json_string(node));
    json_object_set(cl_container(pod, 0, 0), "ports", port);
    cl_create_pod(t, ns, pod);
    cl_wait_running(t, ns, "test-pod");
    json_t *ss = statefulset(t, ns, "ss", 1, NULL);
    json_object_set_new(tspec(ckc_at(ss, "spec.template")), "nodeName", json_string(node));
    json_object_set(tc0(ckc_at(ss, "spec.template")), "ports", port);
    post(t, SSETS(t, ns), ss);
    const char *uid = NULL;
    double deadline = ckc_now() + ckc_timeout(t, 120);
    while (!failed_or_gone(t, ns, "ss-0", &uid)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "ss-0 must be rejected by the node (hostPort conflict) and deleted");
        ckc_sleep_ms(300);
    }
    CKC_CODE(t, ckc_delete(t, ckc_item(t, "pods", ns, "test-pod"), NULL), 200);
    ckc_wait_gone(t, ckc_item(t, "pods", ns, "test-pod"), 60);
    deadline = ckc_now() + ckc_timeout(t, 120);
    for (;;) {
        json_t *p = ckc_get(t, ckc_item(t, "pods", ns, "ss-0"))->json;
        if (cl_pred_phase(p, "Running") && !cl_same(ckc_str(p, "metadata.uid"), uid)) break;
        if (ckc_now() > deadline) CKC_FAIL(t, "ss-0 must be recreated and Running once the conflicting pod is gone");
        ckc_sleep_ms(500);
    }
}

/* Pods ss-0..n-1: revision label and image per pod. */
static void check_revisions(ckc_t *t, const char *ns, int n, int partition, const char *newrev, const char *newimg,
                            const char *oldrev, const char *oldimg)
{
    for (int i = 0; i < n; i++) {
        json_t *p = get(t, ckc_item(t, "pods", ns, ckc_fmt(t, "ss-%d", i)));
        const char *rev = ckc_label(p, "controller-revision-hash"), *img = ckc_str(p, "spec.containers.0.image");
        const char *wr = i >= partition ? newrev : oldrev, *wi = i >= partition ? newimg : oldimg;
        CKC_CHECK(t, NULL, cl_same(rev, wr) && cl_same(img, wi), "ss-%d (partition %d): want revision %s image %s, got %s %s",
                  i, partition, wr, wi, rev ? rev : "(none)", img ? img : "(none)");
    }
}
typedef struct ss_upd { int n, partition; const char *rev, *img; } ss_upd;
static int ss_rolled(ckc_t *t, json_t *ss, void *arg)
{
    ss_upd *u = arg;
    const char *ns = ckc_str(ss, "metadata.namespace");
    if (!ss_ready(t, ss, &u->n)) return 0;
    for (int i = u->partition; i < u->n; i++) {
        ckc_resp *r = ckc_get(t, ckc_item(t, "pods", ns, ckc_fmt(t, "ss-%d", i)));
        if (r->code != 200 || !cl_same(ckc_label(r->json, "controller-revision-hash"), u->rev) ||
            !cl_pred_running_ready(r->json, NULL))
            return 0;
    }
    return 1;
}

static void t_ss_canary(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/ss", SSETS(t, ns));
    json_t *ss = statefulset(t, ns, "ss", 3, NULL);
    json_object_set_new(wspec(ss), "updateStrategy",
                        json_pack("{s:s, s:{s:i}}", "type", "RollingUpdate", "rollingUpdate", "partition", 3));
    post(t, SSETS(t, ns), ss);
    wait_ss(t, ns, "ss", 3);
    json_t *cur = get(t, item);
    const char *oldrev = ckc_fmt(t, "%s", ckc_str(cur, "status.currentRevision"));
    CKC_CHECK(t, NULL, cl_same(oldrev, ckc_str(cur, "status.updateRevision")), "current = update revision at first");
    json_t *up = patch(t, item, CKC_SMP, SET_IMAGE("busybox:1.37"));
    (void)up;
    ss_upd u = {3, 3, NULL, "busybox:1.37"};
    double deadline = ckc_now() + ckc_timeout(t, 30);
    while (!(u.rev = ckc_str(get(t, item), "status.updateRevision")) || cl_same(u.rev, oldrev)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "status.updateRevision must change after the template update");
        ckc_sleep_ms(500);
    }
    u.rev = ckc_fmt(t, "%s", u.rev);
    sleep_s(t, 5); /* "Not applying an update when the partition is greater than the number of replicas" */
    check_revisions(t, ns, 3, 3, u.rev, u.img, oldrev, CKC_BUSYBOX);
    /* canary: partition 2 updates ss-2 only */
    patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}}}}");
    u.partition = 2;
    wait_obj(t, item, ss_rolled, &u, 180, "the canary ss-2 must be updated");
    check_revisions(t, ns, 3, 2, u.rev, u.img, oldrev, CKC_BUSYBOX);
    /* deleted pods come back at their partition's revision */
    cl_delete_now(t, ckc_item(t, "pods", ns, "ss-0"));
    cl_delete_now(t, ckc_item(t, "pods", ns, "ss-2"));
    sleep_s(t, 2);
    wait_obj(t, item, ss_rolled, &u, 180, "deleted pods must be restored");
    check_revisions(t, ns, 3, 2, u.rev, u.img, oldrev, CKC_BUSYBOX);
    for (u.partition = 1; u.partition >= 0; u.partition--) { /* phased rolling update */
        patch(t, item, CKC_MERGE_PATCH,
              ckc_fmt(t, "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":%d}}}}", u.partition));
        wait_obj(t, item, ss_rolled, &u, 180, ckc_fmt(t, "pods from ordinal %d must be updated", u.partition));
        check_revisions(t, ns, 3, u.partition, u.rev, u.img, oldrev, CKC_BUSYBOX);
    }
}

static int ss_revs_equal(ckc_t *t, json_t *ss, void *rev)
{
    return cl_same(ckc_str(ss, "status.currentRevision"), rev) && cl_same(ckc_str(ss, "status.updateRevision"), rev);
}

static void t_ss_rollback(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/ss", SSETS(t, ns));
    post(t, SSETS(t, ns), statefulset(t, ns, "ss", 3, NULL));
    wait_ss(t, ns, "ss", 3);
    const char *prior = ckc_fmt(t, "%s", ckc_str(get(t, item), "status.currentRevision"));
    patch(t, item, CKC_SMP, SET_IMAGE("busybox:1.37"));
    ss_upd u = {3, 0, NULL, "busybox:1.37"};
    double deadline = ckc_now() + ckc_timeout(t, 30);
    while (!(u.rev = ckc_str(get(t, item), "status.updateRevision")) || cl_same(u.rev, prior)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "status.updateRevision must change after the template update");
        ckc_sleep_ms(500);
    }
    u.rev = ckc_fmt(t, "%s", u.rev);
    wait_obj(t, item, ss_rolled, &u, 240, "the rolling update must reach every pod");
    wait_obj(t, item, ss_revs_equal, (void *)u.rev, 60, "currentRevision must become the update revision");
    check_revisions(t, ns, 3, 0, u.rev, u.img, NULL, NULL);
    patch(t, item, CKC_SMP, SET_IMAGE(CKC_BUSYBOX)); /* roll back */
    u.rev = prior; u.img = CKC_BUSYBOX;
    wait_obj(t, item, ss_rolled, &u, 240, "the rollback must reach every pod with the prior revision");
    wait_obj(t, item, ss_revs_equal, (void *)prior, 60, "the rollback must return to the prior revision");
    check_revisions(t, ns, 3, 0, prior, CKC_BUSYBOX, NULL, NULL);
}

static void t_ss_status(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/test-ss", SSETS(t, ns)), *st = ckc_fmt(t, "%s/status", item);
    post(t, SSETS(t, ns), statefulset(t, ns, "test-ss", 1, NULL));
    wait_ss(t, ns, "test-ss", 1);
    json_t *p = patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"statefulset\":\"patched\"}}}");
    CKC_CHECK(t, NULL, cl_same(ckc_label(p, "statefulset"), "patched"), "the label patch must apply");
    json_t *s = get(t, st);
    CKC_CHECK(t, NULL, cl_same(ckc_str(s, "kind"), "StatefulSet") && cl_same(ckc_str(s, "metadata.uid"), ckc_str(p, "metadata.uid")),
              "GET /status returns the StatefulSet");
    CKC_CODE(t, ckc_update(t, st, add_status_cond, "StatusUpdate"), 200);
    CKC_CHECK(t, NULL, has_cond(get(t, item), "StatusUpdate"), "the StatusUpdate condition must be stored");
    p = patch(t, st, CKC_MERGE_PATCH, "{\"status\":{\"conditions\":[{\"type\":\"StatusPatched\",\"status\":\"True\"}]}}");
    CKC_CHECK(t, NULL, has_cond(get(t, item), "StatusPatched"), "the StatusPatched condition must be stored");
}

/* ---- garbage_collector.go: two owners, one deleting in the foreground ---- */
static void t_gc_two_owners(ckc_t *t)
{
    const char *ns = ckc_ns(t), *rc1 = "simpletest-rc-to-be-deleted", *rc2 = "simpletest-rc-to-stay";
    const int replicas = 10; /* upstream uses 100; 10 shows the same on a small node */
    json_t *o1 = workload(t, "v1", "ReplicationController", rc1, "gcpod", "to-be-deleted",
                          tmpl(t, "gcpod", "to-be-deleted", "Always", NULL));
    json_object_set_new(wspec(o1), "replicas", json_integer(replicas));
    o1 = ckc_create(t, "replicationcontrollers", ns, rc1, o1);
    json_t *o2 = workload(t, "v1", "ReplicationController", rc2, "gcpod", "to-stay", tmpl(t, "gcpod", "to-stay", "Always", NULL));
    json_object_set_new(wspec(o2), "replicas", json_integer(0));
    o2 = ckc_create(t, "replicationcontrollers", ns, rc2, o2);
    json_t *pods = cl_wait_pod_count(t, ns, "gcpod=to-be-deleted", replicas, 0, 120);
    const char *own2 = ckc_fmt(t, "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\","
                                  "\"name\":\"%s\",\"uid\":\"%s\"}]}}", rc2, ckc_str(o2, "metadata.uid"));
    json_t *kept = ckc_ownj(t, json_array());
    for (int i = 0; i < replicas / 2; i++) { /* strategic merge: ownerReferences merge by uid */
        const char *name = ckc_str(json_array_get(pods, i), "metadata.name");
        json_t *p = patch(t, ckc_item(t, "pods", ns, name), CKC_SMP, own2);
        CKC_CHECK(t, NULL, json_array_size(ckc_at(p, "metadata.ownerReferences")) == 2, "pod %s must have both owners", name);
        json_array_append_new(kept, json_string(name));
    }
    json_t *opts = ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Foreground\","
                                "\"preconditions\":{\"uid\":\"%s\"}}", ckc_str(o1, "metadata.uid"));
    CKC_CODE(t, ckc_delete(t, ckc_item(t, "replicationcontrollers", ns, rc1), opts), 200);
    ckc_wait_gone(t, ckc_item(t, "replicationcontrollers", ns, rc1), 120);
    sleep_s(t, 3);
    json_t *left = cl_live_pods(t, ns, "gcpod=to-be-deleted");
    CKC_CHECK(t, NULL, json_array_size(left) == (size_t)replicas / 2, "the %d pods with a valid second owner must remain, found %zu",
              replicas / 2, json_array_size(left));
    size_t i; json_t *p;
    json_array_foreach(left, i, p) {
        json_t *refs = ckc_at(p, "metadata.ownerReferences");
        CKC_CHECK(t, NULL, json_array_size(refs) == 1 && cl_same(ckc_str(json_array_get(refs, 0), "name"), rc2),
                  "pod %s must keep only the owner %s", ckc_str(p, "metadata.name"), rc2);
    }
    (void)kept;
}

/* ---- chunking.go: continue after the token expired (410), inconsistent list ---- */
static void t_chunk_expired(ckc_t *t)
{
    const char *ns = ckc_ns(t), *c = ckc_coll(t, "podtemplates", ns);
    const int total = 400, tenth = total / 10;
    for (int i = 0; i < total; i++)
        post(t, c, ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":\"template-%04d\"},"
                                "\"template\":{\"spec\":{\"containers\":[{\"name\":\"test\",\"image\":\"" CKC_BUSYBOX "\"}]}}}",
                             i));
    json_t *first = get(t, ckc_fmt(t, "%s?limit=%d", c, tenth));
    const char *tok = ckc_str(first, "metadata.continue"), *first_rv = ckc_str(first, "metadata.resourceVersion");
    CKC_CHECK(t, NULL, tok && *tok, "the first page must carry metadata.continue");
    tok = ckc_fmt(t, "%s", tok);
    /* upstream polls every 20s for up to 10 minutes until the token expires */
    double deadline = ckc_now() + ckc_timeout(t, 600);
    const char *incons = NULL;
    for (;;) {
        ckc_resp *r = ckc_get(t, ckc_fmt(t, "%s?limit=%d&continue=%s", c, tenth, tok));
        if (r->code == 410) {
            CKC_STATUS(t, r, 410, "Expired");
            incons = ckc_str(r->json, "metadata.continue");
            CKC_CHECK(t, r, incons && *incons, "410 expired error did not include a continue token");
            incons = ckc_fmt(t, "%s", incons);
            break;
        }
        CKC_CODE(t, r, 200);
        if (ckc_now() > deadline) ckc_skip(t, "the continue token did not expire within %.0fs", ckc_timeout(t, 600));
        ckc_sleep_ms(20000);
    }
    json_t *l = get(t, ckc_fmt(t, "%s?limit=%d&continue=%s", c, tenth, incons));
    CKC_CHECK(t, NULL, !cl_same(ckc_str(l, "metadata.resourceVersion"), first_rv),
              "the inconsistent list's resourceVersion must differ from the first page's");
    CKC_CHECK(t, NULL, (int)json_array_size(ckc_at(l, "items")) == tenth, "the page must hold %d items", tenth);
    int found = 2 * tenth;
    const char *last_rv = ckc_fmt(t, "%s", ckc_str(l, "metadata.resourceVersion"));
    for (const char *next = ckc_str(l, "metadata.continue"); next && *next; next = ckc_str(l, "metadata.continue")) {
        l = get(t, ckc_fmt(t, "%s?limit=%d&continue=%s", c, tenth, next));
        CKC_CHECK(t, NULL, cl_same(ckc_str(l, "metadata.resourceVersion"), last_rv), "later pages keep resourceVersion %s", last_rv);
        found += (int)json_array_size(ckc_at(l, "items"));
    }
    CKC_CHECK(t, NULL, found == total, "all %d podtemplates must be listed, got %d", total, found);
}

/* ---- auth/service_accounts.go ---- */
#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
static const char *between(ckc_t *t, const char *log, const char *begin, const char *end)
{
    const char *a = strstr(log, begin);
    if (!a) return NULL;
    a += strlen(begin);
    const char *b = strstr(a, end);
    return b ? ckc_fmt(t, "%.*s", (int)(b - a), a) : NULL;
}

static void t_sa_mount_token(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    post(t, ckc_coll(t, "serviceaccounts", ns),
         ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"mount-test\"}}"));
    /* the harness has no exec: the container prints what upstream reads with kubectl exec cat */
    json_t *pod = cl_pod(t, "pod-service-account", "Never",
                         "echo '<T>'; cat " SA_DIR "/token; echo '</T><C>'; cat " SA_DIR "/ca.crt; echo '</C><N>'; cat "
                         SA_DIR "/namespace; echo '</N>'");
    json_object_set_new(json_object_get(pod, "spec"), "serviceAccountName", json_string("mount-test"));
    cl_create_pod(t, ns, pod);
    cl_wait_pod(t, ns, "pod-service-account", cl_pred_phase, "Succeeded", 120, "the pod must succeed");
    const char *log = cl_logs(t, ns, "pod-service-account", NULL);
    const char *tok = between(t, log, "<T>\n", "\n</T>"), *ca = between(t, log, "<C>\n", "</C>"),
               *nsv = between(t, log, "<N>\n", "</N>");
    CKC_CHECK(t, NULL, tok && *tok && ca && nsv, "token, ca.crt and namespace must be mounted; log: %.300s", log);
    CKC_CHECK(t, NULL, cl_same(nsv, ns) || (strlen(nsv) == strlen(ns) + 1 && !strncmp(nsv, ns, strlen(ns))),
              "mounted namespace %s must be %s", nsv, ns);
    json_t *root = get(t, ckc_item(t, "configmaps", ns, "kube-root-ca.crt"));
    const char *want = json_string_value(json_object_get(ckc_at(root, "data"), "ca.crt"));
    CKC_CHECK(t, NULL, want && (cl_same(ca, want) || !strncmp(ca, want, strlen(want))),
              "mounted ca.crt must equal kube-root-ca.crt's ca.crt");
    json_t *tr = post(t, "/apis/authentication.k8s.io/v1/tokenreviews",
                      ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}}", "apiVersion", "authentication.k8s.io/v1", "kind",
                                            "TokenReview", "spec", "token", tok)));
    CKC_CHECK(t, NULL, json_is_true(ckc_at(tr, "status.authenticated")), "the mounted token must authenticate");
    const char *err = ckc_str(tr, "status.error");
    CKC_CHECK(t, NULL, !err || !*err, "TokenReview status.error must be empty, got %s", err);
    const char *user = ckc_fmt(t, "system:serviceaccount:%s:mount-test", ns);
    CKC_CHECK(t, NULL, cl_same(ckc_str(tr, "status.user.username"), user), "username must be %s", user);
    const char *groups[] = {"system:authenticated", "system:serviceaccounts", ckc_fmt(t, "system:serviceaccounts:%s", ns)};
    for (int g = 0; g < 3; g++) {
        size_t i; json_t *v; int found = 0;
        json_array_foreach(ckc_at(tr, "status.user.groups"), i, v) found |= cl_same(json_string_value(v), groups[g]);
        CKC_CHECK(t, NULL, found, "the token's groups must include %s", groups[g]);
    }
}

static void t_sa_projected(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "test-pod", "Never",
                         "printf 'content of file \"%s\": %s\\n' /test-volume/token \"$(cat /test-volume/token)\"");
    cl_add_volume(pod, json_pack("{s:s, s:{s:[{s:{s:s, s:i}}]}}", "name", "test-volume", "projected", "sources",
                                 "serviceAccountToken", "path", "token", "expirationSeconds", 3600),
                  "/test-volume");
    cl_create_pod(t, ns, pod);
    cl_wait_pod(t, ns, "test-pod", cl_pred_phase, "Succeeded", 120, "the pod must succeed");
    const char *log = cl_logs(t, ns, "test-pod", NULL);
    regex_t re;
    const char *pat = "content of file \"/test-volume/token\": [A-Za-z0-9_=-]+\\.[A-Za-z0-9_=-]+\\.?[A-Za-z0-9_.+/=-]*";
    if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB)) CKC_FAIL(t, "bad regex");
    int m = regexec(&re, log, 0, NULL, 0);
    regfree(&re);
    CKC_CHECK(t, NULL, m == 0, "the log must match %s; got %.300s", pat, log);
}

#define A "[sig-apps] "
#define CL CKC_PROFILE_CLUSTER
#define SSB A "StatefulSet Basic StatefulSet functionality [StatefulSetBasic] "
const ckc_test ckc_tests_apps[] = {
    {"cluster.cronjob.suspended", "a suspended CronJob schedules no job", CL, A "CronJob should not schedule jobs when suspended [Slow] [Conformance]", NULL, "batch/v1/cronjobs", t_cj_suspended},
    {"cluster.cronjob.forbid", "Forbid: no second job while one runs", CL, A "CronJob should not schedule new jobs when ForbidConcurrent [Slow] [Conformance]", NULL, "batch/v1/cronjobs", t_cj_forbid},
    {"cluster.cronjob.replace", "Replace: the running job is replaced", CL, A "CronJob should replace jobs when ReplaceConcurrent [Conformance]", NULL, "batch/v1/cronjobs", t_cj_replace},
    {"cluster.cronjob.concurrent", "Allow: jobs run concurrently", CL, A "CronJob should schedule multiple jobs concurrently [Conformance]", NULL, "batch/v1/cronjobs", t_cj_concurrent},
    {"cluster.daemonset.simple", "a DaemonSet runs a pod per node and revives a stopped one", CL, A "Daemon set [Serial] should run and stop simple daemon [Conformance]", NULL, "apps/v1/daemonsets", t_ds_simple},
    {"cluster.daemonset.complex", "nodeSelector follows node labels; template update moves pods", CL, A "Daemon set [Serial] should run and stop complex daemon [Conformance]", NULL, "apps/v1/daemonsets", t_ds_complex},
    {"cluster.daemonset.retry-failed", "a Failed daemon pod is deleted and recreated", CL, A "Daemon set [Serial] should retry creating failed daemon pods [Conformance]", NULL, "apps/v1/daemonsets", t_ds_retry_failed},
    {"cluster.daemonset.rolling-update", "RollingUpdate replaces every pod with the new template", CL, A "Daemon set [Serial] should update pod when spec was updated and update strategy is RollingUpdate [Conformance]", NULL, "apps/v1/daemonsets", t_ds_rolling},
    {"cluster.daemonset.rollback", "rolling back mid-rollout restarts no old pod", CL, A "Daemon set [Serial] should rollback without unnecessary restarts [Conformance]", NULL, "apps/v1/daemonsets", t_ds_rollback},
    {"cluster.deployment.proportional", "scaling mid-rollout splits replicas proportionally", CL, A "Deployment deployment should support proportional scaling [Conformance]", NULL, "apps/v1/deployments", t_deploy_proportional},
    {"cluster.deployment.rollover", "a stuck rollout is rolled over; old ReplicaSets go to 0", CL, A "Deployment deployment should support rollover [Conformance]", NULL, "apps/v1/deployments", t_deploy_rollover},
    {"cluster.deployment.lifecycle", "Deployment create, patch, list, update, status, deletecollection", CL, A "Deployment should run the lifecycle of a Deployment [Conformance]", NULL, "apps/v1/deployments", t_deploy_lifecycle},
    {"cluster.pdb.observe-status", "the disruption controller makes disruptionsAllowed positive", CL, A "DisruptionController should observe PodDisruptionBudget status updated [Conformance]", NULL, "policy/v1/poddisruptionbudgets", t_pdb_observe},
    {"cluster.pdb.block-eviction", "an eviction is refused (429) until the PDB allows it", CL, A "DisruptionController should block an eviction until the PDB is updated to allow it [Conformance]", NULL, "policy/v1/poddisruptionbudgets", t_pdb_block_eviction},
    {"cluster.job.adopt-release", "a Job re-adopts an orphan and releases an unlabelled pod", CL, A "Job should adopt matching orphans and release non-matching pods [Conformance]", NULL, "batch/v1/jobs", t_job_adopt_release},
    {"cluster.job.pfp-disruption", "evictions matching Ignore on DisruptionTarget do not fail the Job", CL, A "Job should allow to use a pod failure policy to ignore failure matching on DisruptionTarget condition [Conformance]", NULL, "batch/v1/jobs", t_job_pfp_disruption},
    {"cluster.job.pfp-exit-code", "FailJob on exit code 1 fails the Job early", CL, A "Job should allow to use the pod failure policy on exit code to fail the job early [Conformance]", NULL, "batch/v1/jobs", t_job_pfp_exit_code},
    {"cluster.job.indexed-hostname", "Indexed Job pods carry their index and hostname <job>-<index>", CL, A "Job should create pods for an Indexed job with completion indexes and specified hostname [Conformance]", NULL, "batch/v1/jobs", t_job_indexed},
    {"cluster.job.delete", "deleting a Job deletes its pods", CL, A "Job should delete a job [Conformance]", NULL, "batch/v1/jobs", t_job_delete},
    {"cluster.job.local-restart", "OnFailure restarts failing containers until the Job completes", CL, A "Job should run a job to completion when tasks sometimes fail and are locally restarted [Conformance]", NULL, "batch/v1/jobs", t_job_local_restart},
    {"cluster.rs.replace-patch", "ReplicaSet replace (scale 2) and strategic patch (3, label)", CL, A "ReplicaSet Replace and Patch tests [Conformance]", NULL, "apps/v1/replicasets", t_rs_replace_patch},
    {"cluster.rc.lifecycle", "RC patch, status, scale, list, deletecollection", CL, A "ReplicationController should test the lifecycle of a ReplicationController [Conformance]", NULL, "v1/replicationcontrollers", t_rc_lifecycle},
    {"cluster.statefulset.burst", "Parallel scaling does not halt on unhealthy pods", CL, SSB "Burst scaling should run to completion even with unhealthy pods [Slow] [Conformance]", NULL, "apps/v1/statefulsets", t_ss_burst},
    {"cluster.statefulset.ordered", "OrderedReady scales in order and halts on an unhealthy pod", CL, SSB "Scaling should happen in predictable order and halt if any stateful pod is unhealthy [Slow] [Conformance]", NULL, "apps/v1/statefulsets", t_ss_ordered},
    {"cluster.statefulset.recreate-evicted", "a pod rejected by the node is recreated", CL, SSB "Should recreate evicted statefulset [Conformance]", NULL, "apps/v1/statefulsets", t_ss_recreate_evicted},
    {"cluster.statefulset.canary", "partitioned canary and phased rolling updates", CL, SSB "should perform canary updates and phased rolling updates of template modifications [Conformance]", NULL, "apps/v1/statefulsets", t_ss_canary},
    {"cluster.statefulset.rollback", "rolling update and roll back to the prior revision", CL, SSB "should perform rolling updates and roll backs of template modifications [Conformance]", NULL, "apps/v1/statefulsets", t_ss_rollback},
    {"cluster.statefulset.status", "StatefulSet /status get, update, patch", CL, SSB "should validate Statefulset Status endpoints [Conformance]", NULL, "apps/v1/statefulsets", t_ss_status},
    {"cluster.gc.two-owners", "dependents with a valid second owner survive a foreground delete", CL, "[sig-api-machinery] Garbage collector should not delete dependents that have both valid owner and owner that's waiting for dependents to be deleted [Conformance]", NULL, "v1/replicationcontrollers", t_gc_two_owners},
    {"api.list.continue-expired", "an expired continue token gives 410 with an inconsistent token that continues", CKC_PROFILE_API, "[sig-api-machinery] Servers with support for API chunking should support continue listing from the last key if the original version has been compacted away, though the list is inconsistent [Slow] [Conformance]", NULL, "v1/podtemplates", t_chunk_expired},
    {"cluster.serviceaccounts.mount-token", "the pod's token, ca.crt and namespace are mounted; the token authenticates", CL, "[sig-auth] ServiceAccounts should mount an API token into pods [Conformance]", NULL, "v1/serviceaccounts", t_sa_mount_token},
    {"cluster.serviceaccounts.projected-token", "a projected serviceAccountToken volume holds a JWT", CL, "[sig-auth] ServiceAccounts should mount projected service account token [Conformance]", NULL, "v1/serviceaccounts", t_sa_projected},
    {0},
};
