/* t_api2.c: API operations of the wider API surface, after the upstream
 * conformance tests that drive them through the API alone (RuntimeClass,
 * EndpointSlice, IngressClass, Ingress, CronJob "API operations"; the API
 * parts of PodDisruptionBudget, ResourceQuota, LimitRange, ControllerRevision,
 * PriorityClass, Job, DaemonSet and StatefulSet tests; SubjectAccessReview and
 * Table 406 for a backend without metadata). No controller or node needed. */
#include "harness.h"
#include "objects.h"
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* A resource as these tests address it. */
typedef struct api2_res {
    const char *gv;        /* "node.k8s.io/v1" or "v1" */
    const char *resource;
    const char *kind;
    int namespaced;
    const char *spec;      /* the rest of a minimal manifest after metadata, e.g. "\"handler\":\"runc\"" */
} api2_res;

static const char *root_of(const api2_res *r) { return strchr(r->gv, '/') ? "/apis" : "/api"; }

static const char *coll(ckc_t *t, const api2_res *r, const char *ns)
{
    if (r->namespaced && ns) return ckc_fmt(t, "%s/%s/namespaces/%s/%s", root_of(r), r->gv, ns, r->resource);
    return ckc_fmt(t, "%s/%s/%s", root_of(r), r->gv, r->resource);
}

static const char *item(ckc_t *t, const api2_res *r, const char *ns, const char *name)
{
    return ckc_fmt(t, "%s/%s", coll(t, r, ns), name);
}

/* The manifest of r named name, labelled key=val. */
static json_t *manifest(ckc_t *t, const api2_res *r, const char *name, const char *key, const char *val)
{
    return ckc_parse(t, "{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\",\"labels\":{\"%s\":\"%s\"}}%s%s}",
                     r->gv, r->kind, name, key, val, r->spec && *r->spec ? "," : "", r->spec ? r->spec : "");
}

static json_t *create(ckc_t *t, const api2_res *r, const char *ns, json_t *obj)
{
    ckc_resp *resp = ckc_post(t, coll(t, r, ns), obj);
    CKC_CODE(t, resp, 201);
    return resp->json;
}

/* Cluster-scoped objects outlive the test's namespace: delete them at the end. */
typedef struct api2_cleanup { ckc_run *run; char *path; } api2_cleanup;
static void cleanup_fn(void *p)
{
    api2_cleanup *c = p;
    ckc_reqspec rq = {.method = "DELETE", .path = c->path};
    ckc_resp_free(ckc_request_run(c->run, &rq));
    free(c->path);
    free(c);
}
static void delete_at_end(ckc_t *t, const char *path)
{
    api2_cleanup *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) { free(c); CKC_FAIL(t, "out of memory"); }
    c->run = t->run;
    ckc_own(t, c, cleanup_fn);
}

static json_t *list_sel(ckc_t *t, const char *path, const char *sel)
{
    ckc_resp *r = ckc_get(t, ckc_fmt(t, "%s?labelSelector=%s", path, sel));
    CKC_CODE(t, r, 200);
    return r->json;
}

static size_t n_items(json_t *l) { return json_array_size(ckc_at(l, "items")); }

/* Waits on w for an event of type on name whose annotation key is "true". */
static void expect_event(ckc_t *t, ckc_watch *w, const char *type, const char *name, const char *annotation)
{
    double deadline = ckc_now() + ckc_timeout(t, 10);
    while (ckc_now() < deadline) {
        json_t *ev = ckc_watch_next(w, deadline - ckc_now());
        if (!ev) break;
        json_t *o = ckc_at(ev, "object");
        if (!same(ckc_str(ev, "type"), type) || !same(ckc_str(o, "metadata.name"), name)) continue;
        json_t *ann = ckc_at(o, "metadata.annotations");
        if (!annotation || same(json_string_value(json_object_get(ann, annotation)), "true")) return;
    }
    CKC_FAIL(t, "watch (HTTP %ld): no %s event for %s%s%s within %.0fs", ckc_watch_code(w), type, name,
             annotation ? " with annotation " : "", annotation ? annotation : "", ckc_timeout(t, 10));
}

/* The group version's discovery document lists resource (and resource/status). */
static void expect_discovery(ckc_t *t, const api2_res *r, int with_status)
{
    ckc_resp *d = ckc_get(t, ckc_fmt(t, "%s/%s", root_of(r), r->gv));
    CKC_CODE(t, d, 200);
    int found = 0, status = 0;
    size_t i;
    json_t *res;
    json_array_foreach(ckc_at(d->json, "resources"), i, res) {
        found |= same(ckc_str(res, "name"), r->resource);
        status |= same(ckc_str(res, "name"), ckc_fmt(t, "%s/status", r->resource));
    }
    CKC_CHECK(t, d, found, "%s discovery must list %s", r->gv, r->resource);
    CKC_CHECK(t, d, !with_status || status, "%s discovery must list %s/status", r->gv, r->resource);
}

/* ckc_update mutator: sets annotation (const char *arg) to "true". */
static void annotate(ckc_t *t, json_t *obj, void *arg)
{
    json_t *md = json_object_get(obj, "metadata");
    if (!json_is_object(json_object_get(md, "annotations"))) json_object_set_new(md, "annotations", json_object());
    json_object_set_new(json_object_get(md, "annotations"), (const char *)arg, json_string("true"));
}

/* The shape of upstream's "should support ... API operations" tests:
 * discovery, create 3, get, list (namespace and cluster), watch, patch,
 * update, optionally /status get/patch/update, delete, deletecollection.
 * status_patch: a merge-patch "status" value, or NULL for kinds without. */
static void api_operations(ckc_t *t, const api2_res *r, const char *status_patch)
{
    const char *ns = r->namespaced ? ckc_ns(t) : NULL;
    char *val = ckc_rand_name(t, "v");
    const char *key = "ckc-api2", *sel = ckc_fmt(t, "%s%%3D%s", key, val);
    expect_discovery(t, r, status_patch != NULL);
    const char *names[3];
    for (int i = 0; i < 3; i++) {
        names[i] = ckc_fmt(t, "%s-%d", val, i + 1);
        create(t, r, ns, manifest(t, r, names[i], key, val));
        if (!ns) delete_at_end(t, item(t, r, NULL, names[i]));
    }
    ckc_resp *g = ckc_get(t, item(t, r, ns, names[0]));
    CKC_CODE(t, g, 200);
    CKC_CHECK(t, g, same(ckc_str(g->json, "metadata.name"), names[0]), "GET must return %s", names[0]);
    json_t *l = list_sel(t, coll(t, r, ns), sel);
    CKC_CHECK(t, NULL, n_items(l) == 3, "list by label must return the 3 objects created, got %zu", n_items(l));
    if (ns) {
        json_t *all = list_sel(t, coll(t, r, NULL), sel);
        CKC_CHECK(t, NULL, n_items(all) == 3, "cluster-wide list must return 3, got %zu", n_items(all));
    }
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1&labelSelector=%s&resourceVersion=%s", coll(t, r, ns), sel,
                                             ckc_str(l, "metadata.resourceVersion")));
    ckc_resp *p = ckc_patch(t, item(t, r, ns, names[0]), CKC_MERGE_PATCH,
                            "{\"metadata\":{\"annotations\":{\"patched\":\"true\"}}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, same(ckc_str(p->json, "metadata.annotations.patched"), "true"), "patched annotation missing");
    expect_event(t, w, "MODIFIED", names[0], "patched");
    json_t *cur = ckc_get(t, item(t, r, ns, names[0]))->json;
    /* GET + PUT under retry.RetryOnConflict, as upstream: a live controller
     * (the Job controller) may write the object in between. */
    ckc_resp *u = ckc_update(t, item(t, r, ns, names[0]), annotate, (void *)"updated");
    CKC_CODE(t, u, 200);
    CKC_CHECK(t, u, same(ckc_str(u->json, "metadata.annotations.updated"), "true"), "updated annotation missing");
    expect_event(t, w, "MODIFIED", names[0], "updated");
    if (status_patch) {
        const char *st = ckc_fmt(t, "%s/status", item(t, r, ns, names[0]));
        ckc_resp *s = ckc_get(t, st);
        CKC_CODE(t, s, 200);
        CKC_CHECK(t, s, same(ckc_str(s->json, "metadata.uid"), ckc_str(cur, "metadata.uid")),
                  "GET /status must return the object (same uid)");
        s = ckc_patch(t, st, CKC_MERGE_PATCH,
                      ckc_fmt(t, "{\"metadata\":{\"annotations\":{\"patchedstatus\":\"true\"}},\"status\":%s}",
                              status_patch));
        CKC_CODE(t, s, 200);
        CKC_CHECK(t, s, same(ckc_str(s->json, "metadata.annotations.patchedstatus"), "true"),
                  "a /status patch must apply the metadata change");
        s = ckc_update(t, st, annotate, (void *)"updatedstatus");
        CKC_CODE(t, s, 200);
    }
    ckc_resp *d = ckc_delete(t, item(t, r, ns, names[0]), NULL);
    CKC_CHECK(t, d, d->code == 200 || d->code == 202, "DELETE must answer 200 or 202 (got %ld)", d->code);
    expect_event(t, w, "DELETED", names[0], NULL);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, r, ns), sel)) == 2, "2 objects must remain after the delete");
    d = ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll(t, r, ns), sel), NULL);
    CKC_CODE(t, d, 200);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, r, ns), sel)) == 0, "deletecollection must leave none");
}

/* ---- resources ------------------------------------------------------------- */
#define POD_TEMPLATE(labels, restart)                                                                  \
    "\"template\":{\"metadata\":{\"labels\":" labels "},\"spec\":{\"restartPolicy\":\"" restart "\"," \
    "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"command\":[\"sleep\",\"3600\"]}]}}"

static const api2_res runtimeclasses = {"node.k8s.io/v1", "runtimeclasses", "RuntimeClass", 0,
                                        "\"handler\":\"ckc-handler\""};
static const api2_res endpointslices = {
    "discovery.k8s.io/v1", "endpointslices", "EndpointSlice", 1,
    "\"addressType\":\"IPv4\",\"endpoints\":[{\"addresses\":[\"1.2.3.4\",\"5.6.7.8\"]}],"
    "\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"}]"};
static const api2_res ingressclasses = {"networking.k8s.io/v1", "ingressclasses", "IngressClass", 0,
                                        "\"spec\":{\"controller\":\"example.com/controller\"}"};
static const api2_res ingresses = {
    "networking.k8s.io/v1", "ingresses", "Ingress", 1,
    "\"spec\":{\"defaultBackend\":{\"service\":{\"name\":\"default-backend\",\"port\":{\"number\":8080}}},"
    "\"rules\":[{\"host\":\"foo.bar.com\",\"http\":{\"paths\":[{\"path\":\"/\",\"pathType\":\"Prefix\","
    "\"backend\":{\"service\":{\"name\":\"test-backend\",\"port\":{\"number\":8080}}}}]}}]}"};
static const api2_res cronjobs = {
    "batch/v1", "cronjobs", "CronJob", 1,
    "\"spec\":{\"schedule\":\"* */1 * * ?\",\"concurrencyPolicy\":\"Allow\",\"successfulJobsHistoryLimit\":1,"
    "\"failedJobsHistoryLimit\":0,\"jobTemplate\":{\"spec\":{" POD_TEMPLATE("{\"app\":\"ckc\"}", "OnFailure") "}}}"};
static const api2_res pdbs = {"policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", 1,
                              "\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"foo\":\"bar\"}}}"};
static const api2_res quotas = {"v1", "resourcequotas", "ResourceQuota", 1,
                                "\"spec\":{\"hard\":{\"cpu\":\"1\",\"memory\":\"500Mi\"}}"};
static const api2_res limitranges = {
    "v1", "limitranges", "LimitRange", 1,
    "\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\"},\"defaultRequest\":{\"cpu\":\"100m\"},"
    "\"min\":{\"cpu\":\"50m\"},\"max\":{\"cpu\":\"1\"}}]}"};
static const api2_res revisions = {"apps/v1", "controllerrevisions", "ControllerRevision", 1,
                                   "\"data\":{\"spec\":{\"template\":{}}},\"revision\":1"};
static const api2_res priorityclasses = {"scheduling.k8s.io/v1", "priorityclasses", "PriorityClass", 0,
                                         "\"value\":1000,\"description\":\"ckc test\""};
static const api2_res jobs = {"batch/v1", "jobs", "Job", 1,
                              "\"spec\":{\"parallelism\":1,\"completions\":1,\"backoffLimit\":6," POD_TEMPLATE(
                                  "{\"app\":\"ckc-job\"}", "Never") "}"};
static const api2_res daemonsets = {
    "apps/v1", "daemonsets", "DaemonSet", 1,
    "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"ckc-ds\"}}," POD_TEMPLATE("{\"app\":\"ckc-ds\"}", "Always") "}"};
static const api2_res statefulsets = {
    "apps/v1", "statefulsets", "StatefulSet", 1,
    "\"spec\":{\"replicas\":0,\"serviceName\":\"test\",\"selector\":{\"matchLabels\":{\"app\":\"ckc-sts\"}},"
    POD_TEMPLATE("{\"app\":\"ckc-sts\"}", "Always") "}"};

/* ---- the tests ------------------------------------------------------------- */
static void t_runtimeclass_ops(ckc_t *t) { api_operations(t, &runtimeclasses, NULL); }
static void t_endpointslice_ops(ckc_t *t) { api_operations(t, &endpointslices, NULL); }
static void t_ingressclass_ops(ckc_t *t) { api_operations(t, &ingressclasses, NULL); }
static void t_ingress_ops(ckc_t *t)
{
    api_operations(t, &ingresses, "{\"loadBalancer\":{\"ingress\":[{\"ip\":\"169.1.1.1\"}]}}");
}
static void t_cronjob_ops(ckc_t *t) { api_operations(t, &cronjobs, "{\"lastScheduleTime\":\"2024-01-01T00:00:00Z\"}"); }

static void set_min_available_2(ckc_t *t, json_t *obj, void *arg)
{
    json_object_set_new(json_object_get(obj, "spec"), "minAvailable", json_integer(2));
}

/* disruption.go "should create a PodDisruptionBudget": create, update, patch, delete. */
static void t_pdb_create(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = create(t, &pdbs, ns, manifest(t, &pdbs, "foo", "foo", "bar"));
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(o, "spec.minAvailable")) == 1, "spec.minAvailable must be 1");
    (void)o;
    /* updatePDBOrDie: GET, change, PUT, again on a Conflict (the disruption
     * controller writes status meanwhile) */
    ckc_resp *u = ckc_update(t, item(t, &pdbs, ns, "foo"), set_min_available_2, NULL);
    CKC_CODE(t, u, 200);
    CKC_CHECK(t, u, json_integer_value(ckc_at(u->json, "spec.minAvailable")) == 2, "update must set minAvailable 2");
    CKC_CHECK(t, u, json_integer_value(ckc_at(u->json, "metadata.generation")) == 2,
              "a spec change must bump metadata.generation to 2");
    ckc_resp *p = ckc_patch(t, item(t, &pdbs, ns, "foo"), CKC_MERGE_PATCH, "{\"spec\":{\"minAvailable\":3}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, json_integer_value(ckc_at(p->json, "spec.minAvailable")) == 3, "patch must set minAvailable 3");
    ckc_resp *d = ckc_delete(t, item(t, &pdbs, ns, "foo"), NULL);
    CKC_CODE(t, d, 200);
    CKC_CODE(t, ckc_get(t, item(t, &pdbs, ns, "foo")), 404);
}

/* "should update/patch PodDisruptionBudget status": /status update and patch. */
static void t_pdb_status(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = create(t, &pdbs, ns, manifest(t, &pdbs, "pdb-status", "foo", "bar"));
    json_t *upd = ckc_ownj(t, json_deep_copy(o));
    json_object_set_new(upd, "status", json_pack("{s:i,s:i,s:i,s:i,s:[{s:s,s:s,s:s,s:s,s:s}]}", "disruptionsAllowed", 0,
                                                 "currentHealthy", 0, "desiredHealthy", 1, "expectedPods", 1,
                                                 "conditions", "type", "StatusUpdate", "status", "True", "reason",
                                                 "E2E", "message", "Set from an e2e test", "lastTransitionTime",
                                                 "2024-01-01T00:00:00Z"));
    const char *st = ckc_fmt(t, "%s/status", item(t, &pdbs, ns, "pdb-status"));
    ckc_resp *u = ckc_put(t, st, upd);
    CKC_CODE(t, u, 200);
    CKC_CHECK(t, u, same(ckc_str(u->json, "status.conditions.0.type"), "StatusUpdate"),
              "the status update must keep the condition");
    ckc_resp *p = ckc_patch(t, st, CKC_MERGE_PATCH, "{\"status\":{\"disruptedPods\":{\"pod-1\":\"2024-01-01T00:00:00Z\"}}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, same(ckc_str(p->json, "status.disruptedPods.pod-1"), "2024-01-01T00:00:00Z"),
              "the status patch must set disruptedPods");
    json_t *got = ckc_get(t, item(t, &pdbs, ns, "pdb-status"))->json;
    CKC_CHECK(t, NULL, same(ckc_str(got, "status.conditions.0.type"), "StatusUpdate"), "GET must show the new status");
}

/* "Listing PodDisruptionBudgets for all namespaces": two namespaces, list
 * all, deletecollection in one. */
static void t_pdb_collection(ckc_t *t)
{
    const char *ns1 = ckc_ns(t), *ns2 = ckc_new_ns(t);
    char *val = ckc_rand_name(t, "pdb");
    const char *sel = ckc_fmt(t, "ckc-pdb%%3D%s", val);
    create(t, &pdbs, ns1, manifest(t, &pdbs, "foo", "ckc-pdb", val));
    create(t, &pdbs, ns1, manifest(t, &pdbs, "foo2", "ckc-pdb", val));
    create(t, &pdbs, ns2, manifest(t, &pdbs, "foo3", "ckc-pdb", val));
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &pdbs, NULL), sel)) == 3, "all namespaces must list 3 PDBs");
    ckc_resp *d = ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll(t, &pdbs, ns1), sel), NULL);
    CKC_CODE(t, d, 200);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &pdbs, ns1), sel)) == 0, "deletecollection must empty %s", ns1);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &pdbs, NULL), sel)) == 1, "the other namespace keeps its PDB");
}

/* resource_quota.go "should manage the lifecycle of a ResourceQuota" (API part). */
static void t_quota_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    char *val = ckc_rand_name(t, "rq");
    json_t *o = create(t, &quotas, ns, manifest(t, &quotas, "e2e-quota", "e2e-rq-label", val));
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.hard.cpu"), "1"), "spec.hard.cpu must be 1");
    json_t *l = list_sel(t, coll(t, &quotas, ns), ckc_fmt(t, "e2e-rq-label%%3D%s", val));
    CKC_CHECK(t, NULL, n_items(l) == 1, "list by label must find the quota");
    ckc_resp *p = ckc_patch(t, item(t, &quotas, ns, "e2e-quota"), CKC_SMP,
                            "{\"metadata\":{\"labels\":{\"e2e-rq-label\":\"patched\"}},\"spec\":{\"hard\":{\"memory\":\"750Mi\"}}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, same(ckc_str(p->json, "spec.hard.memory"), "750Mi") && same(ckc_str(p->json, "spec.hard.cpu"), "1"),
              "the patch must merge spec.hard (memory 750Mi, cpu kept)");
    ckc_resp *d = ckc_delete(t, ckc_fmt(t, "%s?labelSelector=e2e-rq-label%%3Dpatched", coll(t, &quotas, ns)), NULL);
    CKC_CODE(t, d, 200);
    CKC_CODE(t, ckc_get(t, item(t, &quotas, ns, "e2e-quota")), 404);
}

/* "should apply changes to a resourcequota status" (API part). */
static void set_quota_status(ckc_t *t, json_t *q, void *arg)
{
    json_object_set_new(q, "status", json_pack("{s:{s:s,s:s},s:{s:s,s:s}}", "hard", "cpu", "1", "memory", "500Mi",
                                               "used", "cpu", "0", "memory", "0"));
}

static void t_quota_status(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = create(t, &quotas, ns, manifest(t, &quotas, "e2e-rq-status", "e2e", "status"));
    CKC_CHECK(t, NULL, !ckc_at(o, "status.hard"), "a created quota has no status.hard until reconciled");
    const char *st = ckc_fmt(t, "%s/status", item(t, &quotas, ns, "e2e-rq-status"));
    /* GET + UpdateStatus under retry.RetryOnConflict, as upstream: the live
     * quota controller may write the status in between */
    ckc_resp *u = ckc_update(t, st, set_quota_status, NULL);
    CKC_CODE(t, u, 200);
    CKC_CHECK(t, u, same(ckc_str(u->json, "status.hard.memory"), "500Mi"), "status.hard.memory must be 500Mi");
    ckc_resp *p = ckc_patch(t, st, CKC_MERGE_PATCH, "{\"status\":{\"hard\":{\"memory\":\"1Gi\"}}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, same(ckc_str(p->json, "status.hard.memory"), "1Gi"), "the status patch must set memory 1Gi");
    ckc_resp *g = ckc_get(t, st);
    CKC_CODE(t, g, 200);
    CKC_CHECK(t, g, same(ckc_str(g->json, "spec.hard.memory"), "500Mi"), "/status must not change spec");
}

/* limit_range.go "should list, patch and delete a LimitRange by collection". */
static void t_limitrange_collection(ckc_t *t)
{
    const char *ns1 = ckc_ns(t), *ns2 = ckc_new_ns(t);
    char *val = ckc_rand_name(t, "lr");
    const char *sel = ckc_fmt(t, "e2e-limitrange%%3D%s", val);
    create(t, &limitranges, ns1, manifest(t, &limitranges, "e2e-limitrange-1", "e2e-limitrange", val));
    create(t, &limitranges, ns2, manifest(t, &limitranges, "e2e-limitrange-2", "e2e-limitrange", val));
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &limitranges, NULL), sel)) == 2, "all namespaces must list 2");
    ckc_resp *p = ckc_patch(t, item(t, &limitranges, ns1, "e2e-limitrange-1"), CKC_SMP,
                            "{\"metadata\":{\"labels\":{\"e2e-test\":\"patched\"}},"
                            "\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"600m\"}}]}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, same(ckc_str(p->json, "metadata.labels.e2e-test"), "patched") &&
                        same(ckc_str(p->json, "spec.limits.0.default.cpu"), "600m"),
              "the patch must set the label and the default cpu");
    ckc_resp *d = ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll(t, &limitranges, ns1), sel), NULL);
    CKC_CODE(t, d, 200);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &limitranges, NULL), sel)) == 1,
              "deletecollection in one namespace must leave the other's LimitRange");
}

/* controller_revision.go "should manage the lifecycle of a ControllerRevision" (API part). */
static void t_controllerrevision(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    char *val = ckc_rand_name(t, "cr");
    const char *sel = ckc_fmt(t, "ckc-cr%%3D%s", val);
    create(t, &revisions, ns, manifest(t, &revisions, "e2e-revision-1", "ckc-cr", val));
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &revisions, ns), sel)) == 1, "list by label must find it");
    ckc_resp *p = ckc_patch(t, item(t, &revisions, ns, "e2e-revision-1"), CKC_MERGE_PATCH,
                            "{\"metadata\":{\"labels\":{\"e2e\":\"patched\"}}}");
    CKC_CODE(t, p, 200);
    json_t *upd = ckc_ownj(t, json_deep_copy(p->json));
    json_object_set_new(upd, "revision", json_integer(2));
    ckc_resp *u = ckc_put(t, item(t, &revisions, ns, "e2e-revision-1"), upd);
    CKC_CODE(t, u, 200);
    CKC_CHECK(t, u, json_integer_value(ckc_at(u->json, "revision")) == 2, "revision must be updatable to 2");
    json_t *bad = ckc_ownj(t, json_deep_copy(u->json));
    json_object_set_new(bad, "data", json_pack("{s:s}", "changed", "yes"));
    CKC_STATUS(t, ckc_put(t, item(t, &revisions, ns, "e2e-revision-1"), bad), 422, "Invalid");
    create(t, &revisions, ns, manifest(t, &revisions, "e2e-revision-2", "ckc-cr", val));
    ckc_resp *d = ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll(t, &revisions, ns), sel), NULL);
    CKC_CODE(t, d, 200);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &revisions, ns), sel)) == 0, "deletecollection must leave none");
}

/* preemption.go "PriorityClass endpoints": immutable value, mutable
 * description by patch and update, list, verify. */
static void t_priorityclass_endpoints(ckc_t *t)
{
    char *base = ckc_rand_name(t, "ckc-pc-");
    const char *names[4];
    for (int i = 0; i < 4; i++) {
        names[i] = ckc_fmt(t, "%s-p%d", base, i + 1);
        json_t *o = ckc_parse(t, "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":"
                                 "{\"name\":\"%s\"},\"value\":%d}", names[i], i + 1);
        json_t *c = create(t, &priorityclasses, NULL, o);
        delete_at_end(t, item(t, &priorityclasses, NULL, names[i]));
        CKC_CHECK(t, NULL, same(ckc_str(c, "preemptionPolicy"), "PreemptLowerPriority"),
                  "preemptionPolicy must default to PreemptLowerPriority");
    }
    const char *p1 = item(t, &priorityclasses, NULL, names[0]);
    CKC_STATUS(t, ckc_patch(t, p1, CKC_SMP, "{\"value\":10}"), 422, "Invalid");
    json_t *cur = ckc_get(t, p1)->json;
    json_t *upd = ckc_ownj(t, json_deep_copy(cur));
    json_object_set_new(upd, "value", json_integer(100));
    CKC_STATUS(t, ckc_put(t, p1, upd), 422, "Invalid");
    for (int i = 0; i < 4; i++) {
        const char *path = item(t, &priorityclasses, NULL, names[i]);
        if (i % 2 == 0) {
            CKC_CODE(t, ckc_patch(t, path, CKC_SMP, "{\"description\":\"updated description\"}"), 200);
        } else {
            json_t *o = ckc_ownj(t, json_deep_copy(ckc_get(t, path)->json));
            json_object_set_new(o, "description", json_string("updated description"));
            CKC_CODE(t, ckc_put(t, path, o), 200);
        }
    }
    ckc_resp *l = ckc_get(t, "/apis/scheduling.k8s.io/v1/priorityclasses");
    CKC_CODE(t, l, 200);
    for (int i = 0; i < 4; i++) {
        json_t *o = ckc_get(t, item(t, &priorityclasses, NULL, names[i]))->json;
        CKC_CHECK(t, NULL, json_integer_value(ckc_at(o, "value")) == i + 1 &&
                               same(ckc_str(o, "description"), "updated description"),
                  "%s must keep value %d and have the new description", names[i], i + 1);
    }
}

/* table_conversion.go: a SelfSubjectAccessReview asked for as a Table is 406. */
static void t_table_406(ckc_t *t)
{
    ckc_reqspec rq = {.method = "POST", .path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      .accept = "application/json;as=Table;v=v1;g=meta.k8s.io",
                      .body = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                              "\"spec\":{\"nonResourceAttributes\":{\"path\":\"/\",\"verb\":\"get\"}}}"};
    ckc_resp *r = ckc_request(t, &rq);
    CKC_STATUS(t, r, 406, "NotAcceptable");
}

/* subjectreviews.go: a SubjectAccessReview and a LocalSubjectAccessReview
 * for a ServiceAccount agree with each other and with what the server does. */
static void t_subject_review(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_resp *sa = ckc_post(t, ckc_fmt(t, "/api/v1/namespaces/%s/serviceaccounts", ns),
                            ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"e2e\"}}"));
    CKC_CODE(t, sa, 201);
    const char *user = ckc_fmt(t, "system:serviceaccount:%s:e2e", ns);
    const char *attrs = ckc_fmt(t, "{\"namespace\":\"%s\",\"verb\":\"list\",\"version\":\"v1\",\"resource\":\"configmaps\"}", ns);
    json_t *sar = ckc_parse(t, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":"
                               "{\"resourceAttributes\":%s,\"user\":\"%s\",\"uid\":\"%s\",\"groups\":"
                               "[\"system:serviceaccounts\",\"system:serviceaccounts:%s\"]}}",
                            attrs, user, ckc_str(sa->json, "metadata.uid"), ns);
    ckc_resp *r = ckc_post(t, "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar);
    CKC_CODE(t, r, 201);
    json_t *allowed = ckc_at(r->json, "status.allowed");
    CKC_CHECK(t, r, json_is_boolean(allowed), "the review must answer status.allowed");
    /* As upstream: a review that allows must match a list that succeeds. */
    ckc_reqspec lq = {.method = "GET", .path = ckc_fmt(t, "/api/v1/namespaces/%s/configmaps", ns)};
    ckc_resp *l = ckc_request(t, &lq);
    CKC_CHECK(t, l, (l->code == 200) == json_is_true(allowed),
              "SubjectAccessReview allowed=%s but listing configmaps answered %ld",
              json_is_true(allowed) ? "true" : "false", l->code);
    json_t *lsar = ckc_parse(t, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"LocalSubjectAccessReview\","
                                "\"metadata\":{\"namespace\":\"%s\"},\"spec\":{\"resourceAttributes\":%s,\"user\":\"%s\","
                                "\"groups\":[\"system:serviceaccounts\"]}}", ns, attrs, user);
    ckc_resp *lr = ckc_post(t, ckc_fmt(t, "/apis/authorization.k8s.io/v1/namespaces/%s/localsubjectaccessreviews", ns),
                            lsar);
    CKC_CODE(t, lr, 201);
    CKC_CHECK(t, lr, json_equal(ckc_at(lr->json, "status.allowed"), allowed),
              "LocalSubjectAccessReview must agree with SubjectAccessReview");
    json_t *bad = ckc_parse(t, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":"
                               "{\"resourceAttributes\":%s}}", attrs);
    CKC_STATUS(t, ckc_post(t, "/apis/authorization.k8s.io/v1/subjectaccessreviews", bad), 422, "Invalid");
}

/* `kubectl auth can-i` and `kubectl auth whoami`: self reviews. */
static void t_self_reviews(ckc_t *t)
{
    ckc_resp *r = ckc_post(t, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                           ckc_parse(t, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                                        "\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"create\","
                                        "\"resource\":\"pods\"}}}"));
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, json_is_boolean(ckc_at(r->json, "status.allowed")), "status.allowed must be answered");
    r = ckc_post(t, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                 ckc_parse(t, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                              "\"spec\":{\"namespace\":\"default\"}}"));
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, json_is_boolean(ckc_at(r->json, "status.incomplete")), "status.incomplete must be answered");
    r = ckc_post(t, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                 ckc_parse(t, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"));
    CKC_CODE(t, r, 201);
    const char *u = ckc_str(r->json, "status.userInfo.username");
    CKC_CHECK(t, r, u && *u, "status.userInfo.username must be answered");
    json_t *neither = ckc_parse(t, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                                   "\"spec\":{}}");
    CKC_STATUS(t, ckc_post(t, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", neither), 422, "Invalid");
}

/* job.go "should apply changes to a job status". */
static void t_job_status(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = create(t, &jobs, ns, manifest(t, &jobs, "suspend-false-to-true", "ckc", "job"));
    CKC_CHECK(t, NULL, ckc_at(o, "spec.selector.matchLabels") != NULL,
              "the server must generate spec.selector for a Job without manualSelector");
    const char *st = ckc_fmt(t, "%s/status", item(t, &jobs, ns, "suspend-false-to-true"));
    ckc_resp *p = ckc_patch(t, st, CKC_MERGE_PATCH,
                            "{\"metadata\":{\"annotations\":{\"patchedstatus\":\"true\"}},"
                            "\"status\":{\"startTime\":\"2024-01-01T00:00:00Z\"}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, same(ckc_str(p->json, "status.startTime"), "2024-01-01T00:00:00Z") &&
                        same(ckc_str(p->json, "metadata.annotations.patchedstatus"), "true"),
              "the /status patch must set startTime and the annotation");
    json_t *upd = ckc_ownj(t, json_deep_copy(p->json));
    json_object_set_new(json_object_get(upd, "status"), "startTime", json_string("2024-01-02T00:00:00Z"));
    ckc_resp *u = ckc_put(t, st, upd);
    CKC_CODE(t, u, 200);
    CKC_CHECK(t, u, same(ckc_str(u->json, "status.startTime"), "2024-01-02T00:00:00Z"), "update must set startTime");
    ckc_resp *g = ckc_get(t, st);
    CKC_CODE(t, g, 200);
    CKC_CHECK(t, g, same(ckc_str(g->json, "metadata.uid"), ckc_str(o, "metadata.uid")), "GET /status: same uid");
    ckc_delete(t, ckc_fmt(t, "%s?propagationPolicy=Background", item(t, &jobs, ns, "suspend-false-to-true")), NULL);
}

/* job.go "should manage the lifecycle of a job" (API part). */
static void t_job_lifecycle(ckc_t *t) { api_operations(t, &jobs, "{\"startTime\":\"2024-01-01T00:00:00Z\"}"); }

/* daemon_set.go "should list and delete a collection of DaemonSets" (API part). */
static void t_ds_collection(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    char *val = ckc_rand_name(t, "ds");
    const char *sel = ckc_fmt(t, "daemonset-name%%3D%s", val);
    json_t *o = create(t, &daemonsets, ns, manifest(t, &daemonsets, "daemon-set", "daemonset-name", val));
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.updateStrategy.type"), "RollingUpdate") &&
                           json_integer_value(ckc_at(o, "spec.revisionHistoryLimit")) == 10,
              "updateStrategy must default to RollingUpdate and revisionHistoryLimit to 10");
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &daemonsets, NULL), sel)) == 1, "all namespaces must list it");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll(t, &daemonsets, ns), sel), NULL), 200);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &daemonsets, ns), sel)) == 0, "deletecollection must leave none");
}

/* daemon_set.go "should verify changes to a daemon set status" (API part). */
static void t_ds_status(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = create(t, &daemonsets, ns, manifest(t, &daemonsets, "daemon-set", "ckc", "ds"));
    const char *st = ckc_fmt(t, "%s/status", item(t, &daemonsets, ns, "daemon-set"));
    json_t *upd = ckc_ownj(t, json_deep_copy(o));
    json_object_set_new(json_object_get(upd, "status"), "conditions",
                        json_pack("[{s:s,s:s,s:s,s:s,s:s}]", "type", "StatusUpdate", "status", "True", "reason", "E2E",
                                  "message", "Set from e2e test", "lastTransitionTime", "2024-01-01T00:00:00Z"));
    ckc_resp *u = ckc_put(t, st, upd);
    CKC_CODE(t, u, 200);
    CKC_CHECK(t, u, same(ckc_str(u->json, "status.conditions.0.type"), "StatusUpdate"), "status update kept");
    ckc_resp *p = ckc_patch(t, st, CKC_MERGE_PATCH,
                            "{\"status\":{\"conditions\":[{\"type\":\"StatusPatched\",\"status\":\"True\"}]}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, same(ckc_str(p->json, "status.conditions.0.type"), "StatusPatched"), "status patch applied");
}

/* statefulset.go "should list, patch and delete a collection of StatefulSets" (API part). */
static void t_sts_collection(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    char *val = ckc_rand_name(t, "ss");
    const char *sel = ckc_fmt(t, "e2e%%3D%s", val);
    json_t *o = create(t, &statefulsets, ns, manifest(t, &statefulsets, "ss", "e2e", val));
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.podManagementPolicy"), "OrderedReady") &&
                           json_integer_value(ckc_at(o, "spec.updateStrategy.rollingUpdate.partition")) == 0,
              "podManagementPolicy must default to OrderedReady, partition to 0");
    ckc_resp *p = ckc_patch(t, item(t, &statefulsets, ns, "ss"), CKC_SMP,
                            "{\"metadata\":{\"labels\":{\"ckc-patched\":\"true\"}},\"spec\":{\"replicas\":1}}");
    CKC_CODE(t, p, 200);
    CKC_CHECK(t, p, json_integer_value(ckc_at(p->json, "spec.replicas")) == 1, "replicas must be patched to 1");
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &statefulsets, NULL), sel)) == 1, "all namespaces must list it");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll(t, &statefulsets, ns), sel), NULL), 200);
    CKC_CHECK(t, NULL, n_items(list_sel(t, coll(t, &statefulsets, ns), sel)) == 0, "deletecollection must leave none");
}

/* statefulset.go "should have a working scale subresource" (API part). */
static void t_sts_scale(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    create(t, &statefulsets, ns, manifest(t, &statefulsets, "ss", "ckc", "scale"));
    const char *sc = ckc_fmt(t, "%s/scale", item(t, &statefulsets, ns, "ss"));
    ckc_resp *g = ckc_get(t, sc);
    CKC_CODE(t, g, 200);
    CKC_CHECK(t, g, same(ckc_str(g->json, "kind"), "Scale") && json_integer_value(ckc_at(g->json, "spec.replicas")) == 0,
              "GET scale must be a Scale with spec.replicas 0");
    json_t *s = ckc_ownj(t, json_deep_copy(g->json));
    json_object_set_new(json_object_get(s, "spec"), "replicas", json_integer(2));
    /* scale.ResourceVersion = "": an unconditional update, as upstream (the
     * live StatefulSet controller may have written the object meanwhile) */
    json_object_set_new(json_object_get(s, "metadata"), "resourceVersion", json_string(""));
    CKC_CODE(t, ckc_put(t, sc, s), 200);
    json_t *o = ckc_get(t, item(t, &statefulsets, ns, "ss"))->json;
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(o, "spec.replicas")) == 2, "the scale update must set spec.replicas 2");
    ckc_resp *p = ckc_patch(t, sc, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":4}}");
    CKC_CODE(t, p, 200);
    o = ckc_get(t, item(t, &statefulsets, ns, "ss"))->json;
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(o, "spec.replicas")) == 4, "the scale patch must set spec.replicas 4");
}

#define UP_APPS "[sig-apps] "
const ckc_test ckc_tests_api2[] = {
    {"api2.runtimeclasses.operations", "RuntimeClass: create, get, list, watch, patch, update, delete, deletecollection",
     CKC_PROFILE_API, "[sig-node] RuntimeClass should support RuntimeClasses API operations [Conformance]", NULL,
     "node.k8s.io/v1/runtimeclasses", t_runtimeclass_ops},
    {"api2.endpointslices.operations", "EndpointSlice: the API operations", CKC_PROFILE_API,
     "[sig-network] EndpointSlice should support creating EndpointSlice API operations [Conformance]", NULL,
     "discovery.k8s.io/v1/endpointslices", t_endpointslice_ops},
    {"api2.ingressclasses.operations", "IngressClass: the API operations", CKC_PROFILE_API,
     "[sig-network] IngressClass API should support creating IngressClass API operations [Conformance]", NULL,
     "networking.k8s.io/v1/ingressclasses", t_ingressclass_ops},
    {"api2.ingresses.operations", "Ingress: the API operations with /status", CKC_PROFILE_API,
     "[sig-network] Ingress API should support creating Ingress API operations [Conformance]", NULL,
     "networking.k8s.io/v1/ingresses", t_ingress_ops},
    {"api2.cronjobs.operations", "CronJob: the API operations with /status", CKC_PROFILE_API,
     UP_APPS "CronJob should support CronJob API operations [Conformance]", NULL, "batch/v1/cronjobs", t_cronjob_ops},
    {"api2.pdb.create", "PodDisruptionBudget: create, update (generation), patch, delete", CKC_PROFILE_API,
     UP_APPS "DisruptionController should create a PodDisruptionBudget [Conformance]", NULL,
     "policy/v1/poddisruptionbudgets", t_pdb_create},
    {"api2.pdb.status", "PodDisruptionBudget: /status update and patch", CKC_PROFILE_API,
     UP_APPS "DisruptionController should update/patch PodDisruptionBudget status [Conformance]", NULL,
     "policy/v1/poddisruptionbudgets", t_pdb_status},
    {"api2.pdb.collection", "PodDisruptionBudget: list all namespaces, deletecollection", CKC_PROFILE_API,
     UP_APPS "DisruptionController Listing PodDisruptionBudgets for all namespaces should list and delete a "
             "collection of PodDisruptionBudgets [Conformance]",
     NULL, "policy/v1/poddisruptionbudgets", t_pdb_collection},
    {"api2.resourcequotas.lifecycle", "ResourceQuota: create, list by label, patch, deletecollection", CKC_PROFILE_API,
     "[sig-api-machinery] ResourceQuota should manage the lifecycle of a ResourceQuota [Conformance]", NULL,
     "v1/resourcequotas", t_quota_lifecycle},
    {"api2.resourcequotas.status", "ResourceQuota: /status update and patch leave spec", CKC_PROFILE_API,
     "[sig-api-machinery] ResourceQuota should apply changes to a resourcequota status [Conformance]", NULL,
     "v1/resourcequotas", t_quota_status},
    {"api2.limitranges.collection", "LimitRange: list all namespaces, patch, deletecollection", CKC_PROFILE_API,
     "[sig-scheduling] LimitRange should list, patch and delete a LimitRange by collection [Conformance]", NULL,
     "v1/limitranges", t_limitrange_collection},
    {"api2.controllerrevisions.lifecycle", "ControllerRevision: create, patch, update, data immutable, deletecollection",
     CKC_PROFILE_API, UP_APPS "ControllerRevision [Serial] should manage the lifecycle of a ControllerRevision [Conformance]",
     NULL, "apps/v1/controllerrevisions", t_controllerrevision},
    {"api2.priorityclasses.endpoints", "PriorityClass: value immutable, description patch/update, list",
     CKC_PROFILE_API,
     "[sig-scheduling] SchedulerPreemption [Serial] PriorityClass endpoints verify PriorityClass endpoints can be "
     "operated with different HTTP methods [Conformance]",
     NULL, "scheduling.k8s.io/v1/priorityclasses", t_priorityclass_endpoints},
    {"api2.table.406-without-metadata", "Table of a SelfSubjectAccessReview (no metadata) is 406", CKC_PROFILE_API,
     "[sig-api-machinery] Servers with support for Table transformation should return a 406 for a backend which does "
     "not implement metadata [Conformance]",
     NULL, "authorization.k8s.io/v1/selfsubjectaccessreviews", t_table_406},
    {"api2.subjectreviews.operations", "SubjectAccessReview and LocalSubjectAccessReview agree with the server",
     CKC_PROFILE_API, "[sig-auth] SubjectReview should support SubjectReview API operations [Conformance]", NULL,
     "authorization.k8s.io/v1/subjectaccessreviews authorization.k8s.io/v1/localsubjectaccessreviews",
     t_subject_review},
    {"api2.selfreviews.answered", "SelfSubjectAccessReview, SelfSubjectRulesReview, SelfSubjectReview are answered",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access",
     "authorization.k8s.io/v1/selfsubjectaccessreviews authentication.k8s.io/v1/selfsubjectreviews", t_self_reviews},
    {"api2.jobs.status", "Job: generated selector; /status patch, update, get", CKC_PROFILE_API,
     UP_APPS "Job should apply changes to a job status [Conformance]", NULL, "batch/v1/jobs", t_job_status},
    {"api2.jobs.lifecycle", "Job: the API operations with /status", CKC_PROFILE_API,
     UP_APPS "Job should manage the lifecycle of a job [Conformance]", NULL, "batch/v1/jobs", t_job_lifecycle},
    {"api2.daemonsets.collection", "DaemonSet: defaults, list all namespaces, deletecollection", CKC_PROFILE_API,
     UP_APPS "Daemon set [Serial] should list and delete a collection of DaemonSets [Conformance]", NULL,
     "apps/v1/daemonsets", t_ds_collection},
    {"api2.daemonsets.status", "DaemonSet: /status update and patch", CKC_PROFILE_API,
     UP_APPS "Daemon set [Serial] should verify changes to a daemon set status [Conformance]", NULL,
     "apps/v1/daemonsets", t_ds_status},
    {"api2.statefulsets.collection", "StatefulSet: defaults, patch, list all namespaces, deletecollection",
     CKC_PROFILE_API,
     UP_APPS "StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should list, patch and delete a collection "
             "of StatefulSets [Conformance]",
     NULL, "apps/v1/statefulsets", t_sts_collection},
    {"api2.statefulsets.scale", "StatefulSet: /scale get, update, patch", CKC_PROFILE_API,
     UP_APPS "StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should have a working scale subresource "
             "[Conformance]",
     NULL, "apps/v1/statefulsets", t_sts_scale},
    {0},
};
