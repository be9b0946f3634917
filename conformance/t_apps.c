/* t_apps.c: the remaining [sig-apps] conformance tests on a cluster, after
 * test/e2e/apps/ (deployment.go, disruption.go, replica_set.go, rc.go; the
 * CronJob/Job and DaemonSet/StatefulSet ones are in t_apps_batch.c and
 * t_apps_sets.c), plus GC with two owners (garbage_collector.go), list
 * continuation after expiry (chunking.go) and service-account token mounts
 * (auth/service_accounts.go); the shared helpers of t_apps.h; the table. */
#include "t_apps.h"
#include <regex.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers ---- */
const char *ap_coll(ckc_t *t, const char *gv, const char *res, const char *ns)
{
    return ckc_fmt(t, "%s/%s/namespaces/%s/%s", strchr(gv, '/') ? "/apis" : "/api", gv, ns, res);
}

json_t *ap_post(ckc_t *t, const char *path, json_t *obj)
{
    ckc_resp *r = ckc_post(t, path, obj);
    CKC_CODE(t, r, 201);
    return r->json;
}
json_t *ap_get(ckc_t *t, const char *path)
{
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    return r->json;
}
json_t *ap_patch(ckc_t *t, const char *path, const char *type, const char *body)
{
    ckc_resp *r = ckc_patch(t, path, type, body);
    CKC_CODE(t, r, 200);
    return r->json;
}
json_int_t ap_ival(json_t *o, const char *path) { return json_integer_value(ckc_at(o, path)); }
void ap_sleep_s(ckc_t *t, double base) { ckc_sleep_ms((int)(ckc_timeout(t, base) * 1000)); }

json_t *ap_wait_obj(ckc_t *t, const char *path, obj_pred pred, void *arg, double base, const char *what)
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
json_t *ap_tmpl(ckc_t *t, const char *key, const char *val, const char *restart, const char *script)
{
    json_t *pod = cl_pod(t, "x", restart, script);
    return ckc_ownj(t, json_pack("{s:{s:{s:s}}, s:O}", "metadata", "labels", key, val, "spec",
                                 json_object_get(pod, "spec")));
}
json_t *ap_tspec(json_t *tpl) { return json_object_get(tpl, "spec"); }
json_t *ap_tc0(json_t *tpl) { return json_array_get(ckc_at(tpl, "spec.containers"), 0); }

/* A workload {apiVersion, kind, metadata.name, spec{selector key=val, template}}. */
json_t *ap_workload(ckc_t *t, const char *gv, const char *kind, const char *name, const char *key,
                        const char *val, json_t *tpl)
{
    json_t *sel = json_pack("{s:s}", key, val);
    return ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:o, s:O}}", "apiVersion", gv, "kind", kind, "metadata",
                                 "name", name, "spec", "selector",
                                 strcmp(kind, "ReplicationController") ? json_pack("{s:o}", "matchLabels", sel) : sel,
                                 "template", tpl));
}
json_t *ap_wspec(json_t *w) { return json_object_get(w, "spec"); }

const char *ap_sel_q(ckc_t *t, const char *key, const char *val)
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
void ap_at_end(ckc_t *t, const char *method, const char *path, const char *ctype, const char *body)
{
    later *l = calloc(1, sizeof *l);
    if (!l || !(l->path = strdup(path)) || (body && !(l->body = strdup(body)))) {
        if (l) { free(l->path); free(l); }
        CKC_FAIL(t, "out of memory");
    }
    l->run = t->run; l->method = method; l->ctype = ctype;
    ckc_own(t, l, later_fn);
}

/* ---- deployment.go ---- */
static json_t *deployment(ckc_t *t, const char *name, int replicas, const char *key, const char *val)
{
    json_t *d = ap_workload(t, "apps/v1", "Deployment", name, key, val, ap_tmpl(t, key, val, "Always", NULL));
    json_object_set_new(ap_wspec(d), "replicas", json_integer(replicas));
    return d;
}
static int deploy_complete(ckc_t *t, json_t *d, void *unused)
{
    json_int_t want = ap_ival(d, "spec.replicas");
    return ap_ival(d, "status.observedGeneration") >= ap_ival(d, "metadata.generation") &&
           ap_ival(d, "status.updatedReplicas") == want && ap_ival(d, "status.availableReplicas") == want &&
           ap_ival(d, "status.replicas") == want;
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
        if (rs && (w->spec < 0 || ap_ival(rs, "spec.replicas") == w->spec) &&
            (w->avail < 0 || ap_ival(rs, "status.availableReplicas") == w->avail))
            return rs;
        if (ckc_now() > deadline) {
            char *ex = ckc_own(t, rs ? ckc_excerpt(json_dumps(rs, 0), 400) : NULL, free);
            CKC_FAIL(t, "ReplicaSet with image %s: %s; last: %s", w->image, what, ex ? ex : "(none)");
        }
        ckc_sleep_ms(1000);
    }
}

static void t_deploy_proportional(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "webserver-deployment");
    json_t *d = deployment(t, "webserver-deployment", 10, "name", "httpd");
    json_object_set_new(ap_wspec(d), "strategy", json_pack("{s:s, s:{s:i, s:i}}", "type", "RollingUpdate", "rollingUpdate",
                                                        "maxSurge", 3, "maxUnavailable", 2));
    const char *uid = ckc_str(ckc_create(t, "deployments", ns, "webserver-deployment", d), "metadata.uid");
    ap_wait_obj(t, item, deploy_complete, NULL, 180, "the first rollout must complete");
    ap_patch(t, item, CKC_SMP, SET_IMAGE("webserver:404"));
    rs_want first = {uid, CKC_BUSYBOX, 8, 8}, second = {uid, "webserver:404", 5, 0};
    wait_rs(t, ns, &first, "the first rollout's ReplicaSet must keep minAvailable = 8 (spec and available)");
    wait_rs(t, ns, &second, "the second rollout's ReplicaSet must have .spec.replicas = 10 + 3 - 8 = 5, none available");
    ap_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":30}}");
    /* 8 + round(20 * 8/13) = 20 and 5 + round(20 * 5/13) = 13 (deployment.go) */
    first.spec = 20; first.avail = -1; second.spec = 13;
    wait_rs(t, ns, &first, "scaling to 30 must give the first ReplicaSet 20 replicas");
    wait_rs(t, ns, &second, "scaling to 30 must give the second ReplicaSet 13 replicas");
}

static void t_deploy_rollover(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "test-rollover-deployment");
    json_t *rs = ap_workload(t, "apps/v1", "ReplicaSet", "test-rollover-controller", "name", "rollover-pod",
                          ap_tmpl(t, "name", "rollover-pod", "Always", NULL));
    json_object_set_new(ap_wspec(rs), "replicas", json_integer(1));
    cl_set_label(ckc_at(rs, "spec.template"), "pod", "httpd");
    json_object_set_new(json_object_get(rs, "metadata"), "labels", json_pack("{s:s, s:s}", "name", "rollover-pod", "pod", "httpd"));
    json_object_set_new(ckc_at(rs, "spec.selector.matchLabels"), "pod", json_string("httpd"));
    ckc_create(t, "replicasets", ns, "test-rollover-controller", rs);
    cl_wait_pod_count(t, ns, "name=rollover-pod", 1, 1, 120);
    const char *bad = "gcr.io/google_samples/gb-redisslave:nonexistent";
    json_t *d = deployment(t, "test-rollover-deployment", 1, "name", "rollover-pod");
    json_object_set_new(ap_tc0(ckc_at(d, "spec.template")), "image", json_string(bad));
    json_object_set_new(ap_wspec(d), "minReadySeconds", json_integer(10));
    json_object_set_new(ap_wspec(d), "strategy", json_pack("{s:s, s:{s:i, s:i}}", "type", "RollingUpdate", "rollingUpdate",
                                                        "maxUnavailable", 0, "maxSurge", 1));
    const char *uid = ckc_str(ckc_create(t, "deployments", ns, "test-rollover-deployment", d), "metadata.uid");
    rs_want stuck = {uid, bad, 1, -1};
    json_t *newrs = wait_rs(t, ns, &stuck, "the deployment must create a ReplicaSet with 1 replica");
    const char *newrs_item = ckc_item(t, "replicasets", ns, ckc_str(newrs, "metadata.name"));
    const char *oldrs_item = ckc_item(t, "replicasets", ns, "test-rollover-controller");
    json_t *old = ap_get(t, oldrs_item);
    CKC_CHECK(t, NULL, ap_ival(old, "spec.replicas") == 1, "maxUnavailable 0: the old ReplicaSet keeps its 1 replica");
    ap_patch(t, item, CKC_SMP, SET_IMAGE("busybox:1.37"));
    json_t *done = ap_wait_obj(t, item, deploy_complete, NULL, 180, "the rollover must complete");
    const char *rev = json_string_value(json_object_get(ckc_at(done, "metadata.annotations"), "deployment.kubernetes.io/revision"));
    CKC_CHECK(t, NULL, cl_same(rev, "2"), "the rollover is revision 2, got %s", rev ? rev : "(none)");
    json_t *rss[2] = {ap_get(t, oldrs_item), ap_get(t, newrs_item)};
    for (int i = 0; i < 2; i++)
        CKC_CHECK(t, NULL, ap_ival(rss[i], "spec.replicas") == 0, "old ReplicaSet %s must be scaled to 0, has %lld",
                  ckc_str(rss[i], "metadata.name"), (long long)ap_ival(rss[i], "spec.replicas"));
    rs_want fin = {uid, "busybox:1.37", 1, 1};
    wait_rs(t, ns, &fin, "the new ReplicaSet has 1 available replica");
}

int ap_has_cond(json_t *o, const char *type)
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
    return ap_ival(o, "status.readyReplicas") == w->ready && (!w->key || cl_same(ckc_label(o, w->key), w->val));
}
void ap_add_status_cond(ckc_t *t, json_t *o, void *type)
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
    json_object_set_new(ap_tc0(ckc_at(d, "spec.template")), "image", json_string(CKC_BUSYBOX));
}

static void t_deploy_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "test-deployment");
    json_t *d = deployment(t, "test-deployment", 1, "test-deployment-static", "true");
    json_object_set_new(json_object_get(d, "metadata"), "labels", json_pack("{s:s}", "test-deployment-static", "true"));
    ckc_create(t, "deployments", ns, "test-deployment", d);
    ready_lbl w = {1, NULL, NULL};
    ap_wait_obj(t, item, ready_with_label, &w, 120, "1 ready replica");
    ap_patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-deployment\":\"patched\"}},\"spec\":{\"replicas\":2,"
                            "\"template\":{\"spec\":{\"terminationGracePeriodSeconds\":1,"
                            "\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.37\"}]}}}}");
    w = (ready_lbl){2, "test-deployment", "patched"};
    ap_wait_obj(t, item, ready_with_label, &w, 120, "patched label and 2 ready replicas");
    json_t *l = cl_list(t, ckc_fmt(t, "%s?labelSelector=test-deployment-static%%3Dtrue", ckc_coll(t, "deployments", ns)));
    CKC_CHECK(t, NULL, json_array_size(l) == 1 && cl_same(ckc_str(json_array_get(l, 0), "spec.template.spec.containers.0.image"),
                                                         "busybox:1.37"),
              "the list by label must return the patched deployment");
    CKC_CODE(t, ckc_update(t, item, update_deploy, NULL), 200);
    w = (ready_lbl){2, "test-deployment", "updated"};
    ap_wait_obj(t, item, ready_with_label, &w, 120, "updated label and 2 ready replicas");
    const char *st = ckc_fmt(t, "%s/status", item);
    CKC_CHECK(t, NULL, cl_same(ckc_str(ap_get(t, st), "kind"), "Deployment"), "GET /status returns the Deployment");
    CKC_CODE(t, ckc_update(t, st, ap_add_status_cond, "StatusUpdate"), 200);
    CKC_CHECK(t, NULL, ap_has_cond(ap_get(t, st), "StatusUpdate"), "the StatusUpdate condition must be stored");
    json_t *p = ap_patch(t, st, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"test-deployment\":\"patched-status\"}},"
                                              "\"status\":{\"readyReplicas\":0}}");
    (void)p;
    /* the status strategy keeps labels and spec: GET /status still shows the update (deployment.go) */
    json_t *g = ap_get(t, st);
    CKC_CHECK(t, NULL, cl_same(ckc_label(g, "test-deployment"), "updated"), "a /status patch must not change labels");
    CKC_CHECK(t, NULL, cl_same(ckc_str(g, "spec.template.spec.containers.0.image"), CKC_BUSYBOX), "the image stays the updated one");
    w = (ready_lbl){2, "test-deployment", "updated"};
    ap_wait_obj(t, item, ready_with_label, &w, 120, "the controller must restore readyReplicas 2");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=test-deployment-static%%3Dtrue", ckc_coll(t, "deployments", ns)),
                           NULL), 200);
    ckc_wait_gone(t, item, 60);
}

/* ---- disruption.go ---- */
static void pdb(ckc_t *t, const char *ns, const char *field, int v)
{
    ap_post(t, PDBS(t, ns), ckc_parse(t, "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":"
                                      "{\"name\":\"foo\"},\"spec\":{\"%s\":%d,\"selector\":{\"matchLabels\":{\"foo\":\"bar\"}}}}",
                                   field, v));
}
static int pdb_allowed_pos(ckc_t *t, json_t *o, void *u) { return ap_ival(o, "status.disruptionsAllowed") > 0; }
typedef struct pdb_want { json_int_t healthy, allowed; } pdb_want;
static int pdb_observed(ckc_t *t, json_t *o, void *arg)
{
    pdb_want *w = arg;
    return ap_ival(o, "status.observedGeneration") >= ap_ival(o, "metadata.generation") &&
           ap_ival(o, "status.currentHealthy") == w->healthy && ap_ival(o, "status.disruptionsAllowed") == w->allowed;
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
    ap_wait_obj(t, ckc_fmt(t, "%s/foo", PDBS(t, ns)), pdb_allowed_pos, NULL, 60, "status.disruptionsAllowed must become > 0");
}

ckc_resp *ap_evict(ckc_t *t, const char *ns, const char *pod)
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
    json_t *rs = ap_workload(t, "apps/v1", "ReplicaSet", "rs", "foo", "bar", ap_tmpl(t, "foo", "bar", "Always", NULL));
    json_object_set_new(ap_wspec(rs), "replicas", json_integer(3));
    ckc_create(t, "replicasets", ns, "rs", rs);
    json_t *pods = cl_wait_pod_count(t, ns, "foo=bar", 3, 1, 120);
    const char *pod = ckc_str(json_array_get(pods, 0), "metadata.name");
    expect_blocked(t, ap_evict(t, ns, pod));
    ap_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"maxUnavailable\":1}}");
    pdb_want w = {3, 1};
    ap_wait_obj(t, item, pdb_observed, &w, 60, "currentHealthy 3, disruptionsAllowed 1");
    CKC_CODE(t, ap_evict(t, ns, pod), 201);
    pods = cl_wait_pod_count(t, ns, "foo=bar", 3, 1, 120);
    w.allowed = 0;
    ap_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"maxUnavailable\":0}}");
    ap_wait_obj(t, item, pdb_observed, &w, 60, "currentHealthy 3, disruptionsAllowed 0");
    pod = ckc_str(json_array_get(pods, 0), "metadata.name");
    expect_blocked(t, ap_evict(t, ns, pod));
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
    ckc_wait_gone(t, item, 30);
    CKC_CODE(t, ap_evict(t, ns, pod), 201);
}

/* ---- replica_set.go / rc.go ---- */
static void t_rs_replace_patch(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicasets", ns, "test-rs");
    json_t *rs = ap_workload(t, "apps/v1", "ReplicaSet", "test-rs", "name", "sample-pod", ap_tmpl(t, "name", "sample-pod", "Always", NULL));
    json_object_set_new(ap_wspec(rs), "replicas", json_integer(1));
    ckc_create(t, "replicasets", ns, "test-rs", rs);
    cl_wait_pod_count(t, ns, "name=sample-pod", 1, 1, 120);
    json_t *cur = json_deep_copy(ap_get(t, item));
    ckc_ownj(t, cur);
    json_object_set_new(ap_wspec(cur), "replicas", json_integer(2));
    CKC_CODE(t, ckc_put(t, item, cur), 200);
    ap_patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-rs\":\"patched\"}},\"spec\":{\"replicas\":3,\"template\":"
                            "{\"spec\":{\"terminationGracePeriodSeconds\":1,\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.37\"}]}}}}");
    ready_lbl w = {3, "test-rs", "patched"};
    ap_wait_obj(t, item, ready_with_label, &w, 120, "label test-rs=patched and 3 ready replicas");
}

static int rc_avail(ckc_t *t, json_t *o, void *n)
{
    return ap_ival(o, "status.readyReplicas") == *(int *)n && ap_ival(o, "status.availableReplicas") == *(int *)n;
}
static void zero_status(ckc_t *t, json_t *o, void *u)
{
    json_object_set_new(json_object_get(o, "status"), "readyReplicas", json_integer(0));
    json_object_set_new(json_object_get(o, "status"), "availableReplicas", json_integer(0));
}

static void t_rc_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicationcontrollers", ns, "rc-test");
    json_t *rc = ap_workload(t, "v1", "ReplicationController", "rc-test", "test-rc-static", "true",
                          ap_tmpl(t, "test-rc-static", "true", "Always", NULL));
    json_object_set_new(ap_wspec(rc), "replicas", json_integer(1));
    json_object_set_new(json_object_get(rc, "metadata"), "labels", json_pack("{s:s}", "test-rc-static", "true"));
    ckc_create(t, "replicationcontrollers", ns, "rc-test", rc);
    int one = 1, two = 2;
    ap_wait_obj(t, item, rc_avail, &one, 120, "1 ready and available replica");
    ap_patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-rc\":\"patched\"}},\"spec\":{\"replicas\":1,\"template\":"
                            "{\"spec\":{\"terminationGracePeriodSeconds\":1}}}}");
    const char *st = ckc_fmt(t, "%s/status", item), *scale = ckc_fmt(t, "%s/scale", item);
    json_t *p = ap_patch(t, st, CKC_SMP, "{\"status\":{\"readyReplicas\":0,\"availableReplicas\":0}}");
    CKC_CHECK(t, NULL, ap_ival(p, "status.readyReplicas") == 0, "the status patch must apply");
    ap_wait_obj(t, item, rc_avail, &one, 60, "the controller must restore 1 ready replica");
    CKC_CHECK(t, NULL, ap_ival(ap_get(t, st), "spec.replicas") == 1, "GET /status returns the rc");
    ap_patch(t, scale, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":2}}");
    ap_wait_obj(t, item, rc_avail, &two, 120, "2 ready and available replicas after the scale patch");
    CKC_CHECK(t, NULL, cl_same(ckc_label(ap_get(t, item), "test-rc"), "patched"), "the rc keeps its patched label");
    CKC_CODE(t, ckc_update(t, st, zero_status, NULL), 200);
    json_t *l = cl_list(t, "/api/v1/replicationcontrollers?labelSelector=test-rc-static%3Dtrue");
    size_t i; json_t *o; int found = 0;
    json_array_foreach(l, i, o)
        found |= cl_same(ckc_str(o, "metadata.namespace"), ns) && ap_ival(o, "spec.replicas") == 2;
    CKC_CHECK(t, NULL, found, "listing all namespaces must find rc-test with 2 replicas");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=test-rc-static%%3Dtrue", ckc_coll(t, "replicationcontrollers", ns)),
                           NULL), 200);
    ckc_wait_gone(t, item, 60);
}

/* ---- garbage_collector.go: two owners, one deleting in the foreground ---- */
static void t_gc_two_owners(ckc_t *t)
{
    const char *ns = ckc_ns(t), *rc1 = "simpletest-rc-to-be-deleted", *rc2 = "simpletest-rc-to-stay";
    const int replicas = 10; /* upstream uses 100; 10 shows the same on a small node */
    json_t *o1 = ap_workload(t, "v1", "ReplicationController", rc1, "gcpod", "to-be-deleted",
                          ap_tmpl(t, "gcpod", "to-be-deleted", "Always", NULL));
    json_object_set_new(ap_wspec(o1), "replicas", json_integer(replicas));
    o1 = ckc_create(t, "replicationcontrollers", ns, rc1, o1);
    json_t *o2 = ap_workload(t, "v1", "ReplicationController", rc2, "gcpod", "to-stay", ap_tmpl(t, "gcpod", "to-stay", "Always", NULL));
    json_object_set_new(ap_wspec(o2), "replicas", json_integer(0));
    o2 = ckc_create(t, "replicationcontrollers", ns, rc2, o2);
    json_t *pods = cl_wait_pod_count(t, ns, "gcpod=to-be-deleted", replicas, 0, 120);
    const char *own2 = ckc_fmt(t, "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\","
                                  "\"name\":\"%s\",\"uid\":\"%s\"}]}}", rc2, ckc_str(o2, "metadata.uid"));
    json_t *kept = ckc_ownj(t, json_array());
    for (int i = 0; i < replicas / 2; i++) { /* strategic merge: ownerReferences merge by uid */
        const char *name = ckc_str(json_array_get(pods, i), "metadata.name");
        json_t *p = ap_patch(t, ckc_item(t, "pods", ns, name), CKC_SMP, own2);
        CKC_CHECK(t, NULL, json_array_size(ckc_at(p, "metadata.ownerReferences")) == 2, "pod %s must have both owners", name);
        json_array_append_new(kept, json_string(name));
    }
    json_t *opts = ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Foreground\","
                                "\"preconditions\":{\"uid\":\"%s\"}}", ckc_str(o1, "metadata.uid"));
    CKC_CODE(t, ckc_delete(t, ckc_item(t, "replicationcontrollers", ns, rc1), opts), 200);
    ckc_wait_gone(t, ckc_item(t, "replicationcontrollers", ns, rc1), 120);
    ap_sleep_s(t, 3);
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
        ap_post(t, c, ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":\"template-%04d\"},"
                                "\"template\":{\"spec\":{\"containers\":[{\"name\":\"test\",\"image\":\"" CKC_BUSYBOX "\"}]}}}",
                             i));
    json_t *first = ap_get(t, ckc_fmt(t, "%s?limit=%d", c, tenth));
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
    json_t *l = ap_get(t, ckc_fmt(t, "%s?limit=%d&continue=%s", c, tenth, incons));
    CKC_CHECK(t, NULL, !cl_same(ckc_str(l, "metadata.resourceVersion"), first_rv),
              "the inconsistent list's resourceVersion must differ from the first page's");
    CKC_CHECK(t, NULL, (int)json_array_size(ckc_at(l, "items")) == tenth, "the page must hold %d items", tenth);
    int found = 2 * tenth;
    const char *last_rv = ckc_fmt(t, "%s", ckc_str(l, "metadata.resourceVersion"));
    for (const char *next = ckc_str(l, "metadata.continue"); next && *next; next = ckc_str(l, "metadata.continue")) {
        l = ap_get(t, ckc_fmt(t, "%s?limit=%d&continue=%s", c, tenth, next));
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
    ap_post(t, ckc_coll(t, "serviceaccounts", ns),
         ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"mount-test\"}}"));
    /* the harness has no exec: the container prints what upstream reads with kubectl exec cat */
    json_t *pod = cl_pod(t, "pod-service-account", "Never",
                         "echo '<T>'; cat " SA_DIR "/token; echo '</T><C>'; cat " SA_DIR "/ca.crt; echo '</C><N>'; cat "
                         SA_DIR "/namespace; echo '</N>'");
    json_object_set_new(json_object_get(pod, "spec"), "serviceAccountName", json_string("mount-test"));
    cl_create_pod(t, ns, pod);
    cl_wait_pod(t, ns, "pod-service-account", cl_pred_phase, "Succeeded", 120, "the pod must succeed");
    const char *log = cl_logs(t, ns, "pod-service-account", NULL);
    /* token and namespace files end without a newline: the marker follows on the same line */
    const char *tok = between(t, log, "<T>\n", "</T>"), *ca = between(t, log, "<C>\n", "</C>"),
               *nsv = between(t, log, "<N>\n", "</N>");
    CKC_CHECK(t, NULL, tok && *tok && ca && nsv, "token, ca.crt and namespace must be mounted; log: %.300s", log);
    CKC_CHECK(t, NULL, cl_same(nsv, ns), "mounted namespace %s must be %s", nsv, ns);
    json_t *root = ap_get(t, ckc_item(t, "configmaps", ns, "kube-root-ca.crt"));
    const char *want = json_string_value(json_object_get(ckc_at(root, "data"), "ca.crt"));
    CKC_CHECK(t, NULL, want && (cl_same(ca, want) || !strncmp(ca, want, strlen(want))),
              "mounted ca.crt must equal kube-root-ca.crt's ca.crt");
    json_t *tr = ap_post(t, "/apis/authentication.k8s.io/v1/tokenreviews",
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
