/* t_workloads.c: ReplicationControllers, ReplicaSets, Deployments and
 * garbage collection on a cluster, after test/e2e/apps/rc.go,
 * replica_set.go, deployment.go and test/e2e/apimachinery/garbage_collector.go:
 * replicas reached, adoption/release by label, rollouts, cascading deletes. */
#include "cluster.h"
#include <stdlib.h>
#include <string.h>

/* A workload of kind resource (replicationcontrollers, replicasets,
 * deployments) selecting key=val with replicas busybox pods running script. */
static json_t *workload(ckc_t *t, const char *resource, const char *name, int replicas, const char *key,
                        const char *val, const char *script)
{
    const ckc_resource *res = ckc_resource_find(resource);
    json_t *pod = cl_pod(t, name, "Always", script);
    json_t *spec = json_object_get(pod, "spec");
    json_t *sel = json_pack("{s:s}", key, val);
    json_t *o = json_pack("{s:s, s:s, s:{s:s}, s:{s:i, s:o, s:{s:{s:{s:s}}, s:O}}}", "apiVersion", res->group_version,
                          "kind", res->kind, "metadata", "name", name, "spec", "replicas", replicas, "selector",
                          strcmp(resource, "replicationcontrollers") ? json_pack("{s:o}", "matchLabels", sel) : sel,
                          "template", "metadata", "labels", key, val, "spec", spec);
    return ckc_ownj(t, o);
}

typedef int (*obj_pred)(json_t *obj, void *arg);
static json_t *wait_obj(ckc_t *t, const char *path, obj_pred pred, void *arg, double base, const char *what)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    ckc_resp *r;
    for (;;) {
        r = ckc_get(t, path);
        if (r->code == 200 && pred(r->json, arg)) return r->json;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    char *ex = ckc_own(t, ckc_excerpt(r->body, 600), free);
    CKC_FAIL(t, "%s: %s within %.0fs; last (%ld): %s", path, what, ckc_timeout(t, base), r->code, ex);
}

static int ready_replicas(json_t *o, void *n)
{
    return json_integer_value(ckc_at(o, "status.readyReplicas")) == *(int *)n &&
           json_integer_value(ckc_at(o, "status.replicas")) == *(int *)n;
}

static void check_owned(ckc_t *t, json_t *pods, const char *uid)
{
    size_t i; json_t *p;
    json_array_foreach(pods, i, p)
        CKC_CHECK(t, NULL, cl_same(cl_controller_uid(p), uid), "pod %s must have a controller ownerReference to uid %s",
                  ckc_str(p, "metadata.name"), uid);
}

/* ---- rc.go / replica_set.go ---- */
static void basic_image(ckc_t *t, const char *resource)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "my-hostname-basic-");
    json_t *o = ckc_create(t, resource, ns, name, workload(t, resource, name, 2, "name", name, NULL));
    json_t *pods = cl_wait_pod_count(t, ns, ckc_fmt(t, "name=%s", name), 2, 1, 120);
    check_owned(t, pods, ckc_str(o, "metadata.uid"));
    int two = 2;
    wait_obj(t, ckc_item(t, resource, ns, name), ready_replicas, &two, 60, "status.replicas and readyReplicas must be 2");
}
static void t_rc_basic(ckc_t *t) { basic_image(t, "replicationcontrollers"); }
static void t_rs_basic(ckc_t *t) { basic_image(t, "replicasets"); }

static int owned_by(json_t *pod, void *uid) { return cl_same(cl_controller_uid(pod), uid); }
static int not_owned(json_t *pod, void *unused) { return cl_controller_uid(pod) == NULL; }

static void relabel(ckc_t *t, json_t *obj, void *arg) { cl_set_label(obj, "name", arg); }

/* A running orphan pod is adopted by a new controller selecting it; when
 * relabeled out of the selector it is released and replaced. */
static void adopt_release(ckc_t *t, const char *resource, int adopt, int release)
{
    const char *ns = ckc_ns(t), *name = adopt ? "pod-adoption" : "pod-release";
    json_t *o;
    if (adopt) {
        json_t *pod = cl_pod(t, name, "Always", NULL);
        cl_set_label(pod, "name", name);
        cl_create_pod(t, ns, pod);
        cl_wait_running(t, ns, name);
        o = ckc_create(t, resource, ns, name, workload(t, resource, name, 1, "name", name, NULL));
        cl_wait_pod(t, ns, name, owned_by, (void *)ckc_str(o, "metadata.uid"), 60,
                    "must be adopted (controller ownerReference to the new controller)");
        CKC_CHECK(t, NULL, json_array_size(cl_live_pods(t, ns, ckc_fmt(t, "name=%s", name))) == 1,
                  "the adopted pod counts as the one replica: no second pod");
    } else {
        o = ckc_create(t, resource, ns, name, workload(t, resource, name, 1, "name", name, NULL));
    }
    if (!release) return;
    json_t *pods = cl_wait_pod_count(t, ns, ckc_fmt(t, "name=%s", name), 1, 0, 60);
    const char *pname = ckc_str(json_array_get(pods, 0), "metadata.name");
    CKC_CODE(t, ckc_update(t, ckc_item(t, "pods", ns, pname), relabel, "not-matching-name"), 200);
    cl_wait_pod(t, ns, pname, not_owned, NULL, 60, "must be released (no controller ownerReference)");
    pods = cl_wait_pod_count(t, ns, ckc_fmt(t, "name=%s", name), 1, 0, 60);
    CKC_CHECK(t, NULL, !cl_same(ckc_str(json_array_get(pods, 0), "metadata.name"), pname),
              "a new pod must replace the released one");
    check_owned(t, pods, ckc_str(o, "metadata.uid"));
}
static void t_rc_adopt(ckc_t *t) { adopt_release(t, "replicationcontrollers", 1, 0); }
static void t_rc_release(ckc_t *t) { adopt_release(t, "replicationcontrollers", 0, 1); }
static void t_rs_adopt_release(ckc_t *t) { adopt_release(t, "replicasets", 1, 1); }

static int has_failure(json_t *o, void *want)
{
    return (cl_same(cl_condition(o, "ReplicaFailure"), "True")) == (want != NULL);
}

static int quota_hard(json_t *q, void *unused)
{
    return cl_same(json_string_value(ckc_at(q, "status.hard.pods")), "2");
}

static void t_rc_quota(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicationcontrollers", ns, "condition-test");
    ckc_create(t, "resourcequotas", ns, "condition-test",
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"condition-test\"},"
                            "\"spec\":{\"hard\":{\"pods\":\"2\"}}}"));
    wait_obj(t, ckc_item(t, "resourcequotas", ns, "condition-test"), quota_hard, NULL, 60, "status.hard.pods 2");
    ckc_create(t, "replicationcontrollers", ns, "condition-test",
               workload(t, "replicationcontrollers", "condition-test", 3, "name", "condition-test", NULL));
    wait_obj(t, item, has_failure, "yes", 60, "status.conditions must hold ReplicaFailure=True (quota exceeded)");
    CKC_CODE(t, ckc_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":2}}"), 200);
    wait_obj(t, item, has_failure, NULL, 60, "ReplicaFailure must be cleared after scaling to the quota");
}

/* ---- deployment.go ---- */
#define REV "deployment.kubernetes.io/revision"
static int deploy_complete(json_t *d, void *unused)
{
    json_int_t want = json_integer_value(ckc_at(d, "spec.replicas"));
    return json_integer_value(ckc_at(d, "status.observedGeneration")) >= json_integer_value(ckc_at(d, "metadata.generation")) &&
           json_integer_value(ckc_at(d, "status.updatedReplicas")) == want &&
           json_integer_value(ckc_at(d, "status.availableReplicas")) == want &&
           json_integer_value(ckc_at(d, "status.replicas")) == want;
}

static json_t *wait_deploy(ckc_t *t, const char *ns, const char *name)
{
    return wait_obj(t, ckc_item(t, "deployments", ns, name), deploy_complete, NULL, 150,
                    "the rollout must complete (updated = available = replicas = spec.replicas)");
}

/* ReplicaSets of ns whose controller is uid. */
static json_t *owned_rs(ckc_t *t, const char *ns, const char *uid)
{
    json_t *out = ckc_ownj(t, json_array());
    size_t i; json_t *rs;
    json_array_foreach(cl_list(t, ckc_coll(t, "replicasets", ns)), i, rs)
        if (cl_same(cl_controller_uid(rs), uid)) json_array_append(out, rs);
    return out;
}

static void t_deploy_replicas(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *d = ckc_create(t, "deployments", ns, "test-deployment", workload(t, "deployments", "test-deployment", 3,
                                                                            "name", "test-deployment", NULL));
    wait_deploy(t, ns, "test-deployment");
    json_t *rss = owned_rs(t, ns, ckc_str(d, "metadata.uid"));
    CKC_CHECK(t, NULL, json_array_size(rss) == 1, "one ReplicaSet owned by the deployment, found %zu", json_array_size(rss));
    json_t *pods = cl_wait_pod_count(t, ns, "name=test-deployment", 3, 1, 60);
    check_owned(t, pods, ckc_str(json_array_get(rss, 0), "metadata.uid"));
}

/* An existing ReplicaSet (revision 3546343826724305832) whose pods the new deployment selects. */
static json_t *old_rs(ckc_t *t, const char *ns, const char *name, const char *label)
{
    json_t *rs = workload(t, "replicasets", name, 1, "name", label, NULL);
    json_object_set_new(json_object_get(rs, "metadata"), "annotations", json_pack("{s:s}", REV, "3546343826724305832"));
    json_object_set_new(json_object_get(rs, "metadata"), "labels", json_pack("{s:s}", "name", label));
    json_t *o = ckc_create(t, "replicasets", ns, name, rs);
    cl_wait_pod_count(t, ns, ckc_fmt(t, "name=%s", label), 1, 1, 120);
    return o;
}

static int rs_zero(json_t *rs, void *uid)
{
    return json_integer_value(ckc_at(rs, "spec.replicas")) == 0 && cl_same(cl_controller_uid(rs), uid);
}

static void t_deploy_rolling(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    old_rs(t, ns, "test-rolling-update-controller", "sample-pod");
    json_t *d = workload(t, "deployments", "test-rolling-update-deployment", 1, "name", "sample-pod", "sleep 3601");
    json_object_set_new(json_object_get(d, "spec"), "strategy", json_pack("{s:s}", "type", "RollingUpdate"));
    d = ckc_create(t, "deployments", ns, "test-rolling-update-deployment", d);
    json_t *done = wait_deploy(t, ns, "test-rolling-update-deployment");
    const char *rev = json_string_value(json_object_get(ckc_at(done, "metadata.annotations"), REV));
    CKC_CHECK(t, NULL, cl_same(rev, "3546343826724305833"),
              "the deployment's revision must follow the adopted ReplicaSet's: want 3546343826724305833, got %s",
              rev ? rev : "(none)");
    wait_obj(t, ckc_item(t, "replicasets", ns, "test-rolling-update-controller"), rs_zero,
             (void *)ckc_str(d, "metadata.uid"), 60, "the old ReplicaSet must be adopted and scaled to 0");
    CKC_CHECK(t, NULL, json_array_size(owned_rs(t, ns, ckc_str(d, "metadata.uid"))) == 2,
              "the deployment must own the old and the new ReplicaSet");
    cl_wait_pod_count(t, ns, "name=sample-pod", 1, 1, 60);
}

static void t_deploy_cleanup(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    old_rs(t, ns, "test-cleanup-controller", "cleanup-pod");
    json_t *d = workload(t, "deployments", "test-cleanup-deployment", 1, "name", "cleanup-pod", "sleep 3601");
    json_object_set_new(json_object_get(d, "spec"), "revisionHistoryLimit", json_integer(0));
    ckc_create(t, "deployments", ns, "test-cleanup-deployment", d);
    wait_deploy(t, ns, "test-cleanup-deployment");
    ckc_wait_gone(t, ckc_item(t, "replicasets", ns, "test-cleanup-controller"), 60);
}

static void set_script(ckc_t *t, json_t *d, void *script)
{
    json_t *c = json_array_get(ckc_at(d, "spec.template.spec.containers"), 0);
    json_object_set_new(c, "command", json_pack("[s,s,s]", "sh", "-c", (const char *)script));
}

static void t_deploy_recreate(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "test-recreate-deployment");
    json_t *d = workload(t, "deployments", "test-recreate-deployment", 2, "name", "sample-pod-3", NULL);
    json_object_set_new(json_object_get(d, "spec"), "strategy", json_pack("{s:s}", "type", "Recreate"));
    ckc_create(t, "deployments", ns, "test-recreate-deployment", d);
    wait_deploy(t, ns, "test-recreate-deployment");
    json_t *pods = cl_wait_pod_count(t, ns, "name=sample-pod-3", 2, 1, 60);
    const char *old_hash = ckc_label(json_array_get(pods, 0), "pod-template-hash");
    CKC_CHECK(t, NULL, old_hash != NULL, "deployment pods carry a pod-template-hash label");
    old_hash = ckc_fmt(t, "%s", old_hash);
    CKC_CODE(t, ckc_update(t, item, set_script, "sleep 3601"), 200);
    /* Recreate: no new pod may exist while an old one is still Running (deployment.go). */
    double deadline = ckc_now() + ckc_timeout(t, 150);
    for (;;) {
        json_t *all = cl_list(t, ckc_fmt(t, "%s?labelSelector=name%%3Dsample-pod-3", ckc_coll(t, "pods", ns)));
        size_t i; json_t *p; int old_running = 0, new_pods = 0;
        json_array_foreach(all, i, p) {
            if (cl_same(ckc_label(p, "pod-template-hash"), old_hash)) old_running += cl_pred_phase(p, "Running");
            else new_pods++;
        }
        if (new_pods && old_running)
            CKC_FAIL(t, "Recreate: %d new pods exist while %d old pods are Running", new_pods, old_running);
        if (new_pods && deploy_complete(ckc_fetch(t, "deployments", ns, "test-recreate-deployment"), NULL)) break;
        if (ckc_now() > deadline) CKC_FAIL(t, "the Recreate rollout must complete within %.0fs", ckc_timeout(t, 150));
        ckc_sleep_ms(250);
    }
}

/* ---- garbage_collector.go ---- */
static json_t *delete_opts(ckc_t *t, const char *policy)
{
    return ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"%s\"}", policy);
}

static void gc_rc(ckc_t *t, const char *policy)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicationcontrollers", ns, "simpletest.rc");
    ckc_create(t, "replicationcontrollers", ns, "simpletest.rc",
               workload(t, "replicationcontrollers", "simpletest.rc", 2, "gcpod", "simpletest", NULL));
    cl_wait_pod_count(t, ns, "gcpod=simpletest", 2, 0, 60);
    CKC_CODE(t, ckc_delete(t, item, delete_opts(t, policy)), 200);
    ckc_wait_gone(t, item, 60);
    if (!strcmp(policy, "Orphan")) {
        ckc_sleep_ms((int)(ckc_timeout(t, 5) * 1000));
        json_t *pods = cl_wait_pod_count(t, ns, "gcpod=simpletest", 2, 0, 30);
        size_t i; json_t *p;
        json_array_foreach(pods, i, p)
            CKC_CHECK(t, NULL, !cl_controller_uid(p), "orphaned pod %s must lose its ownerReference",
                      ckc_str(p, "metadata.name"));
    } else {
        cl_wait_pod_count(t, ns, "gcpod=simpletest", 0, 0, 90);
    }
}
static void t_gc_rc_background(ckc_t *t) { gc_rc(t, "Background"); }
static void t_gc_rc_orphan(ckc_t *t) { gc_rc(t, "Orphan"); }

static void add_finalizer(ckc_t *t, json_t *o, void *f)
{
    json_object_set_new(json_object_get(o, "metadata"), "finalizers", f ? json_pack("[s]", (const char *)f) : json_array());
}

static int has_fg(json_t *o, void *unused)
{
    size_t i; json_t *f;
    json_array_foreach(ckc_at(o, "metadata.finalizers"), i, f)
        if (cl_same(json_string_value(f), "foregroundDeletion")) return ckc_at(o, "metadata.deletionTimestamp") != NULL;
    return 0;
}

/* Foreground: the owner stays (deletionTimestamp, finalizer foregroundDeletion)
 * until its dependents are gone; a finalizer on one pod holds it. */
static void t_gc_rc_foreground(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicationcontrollers", ns, "simpletest.rc");
    ckc_create(t, "replicationcontrollers", ns, "simpletest.rc",
               workload(t, "replicationcontrollers", "simpletest.rc", 2, "gcpod", "simpletest", NULL));
    json_t *pods = cl_wait_pod_count(t, ns, "gcpod=simpletest", 2, 0, 60);
    const char *held = ckc_item(t, "pods", ns, ckc_str(json_array_get(pods, 0), "metadata.name"));
    CKC_CODE(t, ckc_update(t, held, add_finalizer, "ckube-conformance.io/hold"), 200);
    CKC_CODE(t, ckc_delete(t, item, delete_opts(t, "Foreground")), 200);
    wait_obj(t, item, has_fg, NULL, 30, "the rc must stay with deletionTimestamp and finalizer foregroundDeletion");
    ckc_sleep_ms((int)(ckc_timeout(t, 3) * 1000));
    CKC_CHECK(t, NULL, ckc_get(t, item)->code == 200, "the rc must stay while a dependent pod exists");
    CKC_CODE(t, ckc_update(t, held, add_finalizer, NULL), 200);
    ckc_wait_gone(t, item, 90);
    cl_wait_pod_count(t, ns, "gcpod=simpletest", 0, 0, 60);
}

static void gc_deploy(ckc_t *t, const char *policy)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "simpletest-deployment");
    json_t *d = ckc_create(t, "deployments", ns, "simpletest-deployment",
                           workload(t, "deployments", "simpletest-deployment", 2, "gcpod", "simpletest", NULL));
    const char *uid = ckc_str(d, "metadata.uid");
    double deadline = ckc_now() + ckc_timeout(t, 60);
    json_t *rss;
    while (json_array_size(rss = owned_rs(t, ns, uid)) != 1) {
        if (ckc_now() > deadline) CKC_FAIL(t, "the deployment must create one ReplicaSet");
        ckc_sleep_ms(500);
    }
    const char *rs_item = ckc_item(t, "replicasets", ns, ckc_str(json_array_get(rss, 0), "metadata.name"));
    CKC_CODE(t, ckc_delete(t, item, delete_opts(t, policy)), 200);
    ckc_wait_gone(t, item, 60);
    if (!strcmp(policy, "Orphan")) {
        ckc_sleep_ms((int)(ckc_timeout(t, 5) * 1000));
        ckc_resp *r = ckc_get(t, rs_item);
        CKC_CHECK(t, r, r->code == 200, "the orphaned ReplicaSet must remain");
        CKC_CHECK(t, r, !cl_controller_uid(r->json), "the orphaned ReplicaSet must lose its ownerReference");
    } else {
        ckc_wait_gone(t, rs_item, 60);
        cl_wait_pod_count(t, ns, "gcpod=simpletest", 0, 0, 90);
    }
}
static void t_gc_deploy_background(ckc_t *t) { gc_deploy(t, "Background"); }
static void t_gc_deploy_orphan(ckc_t *t) { gc_deploy(t, "Orphan"); }

/* Three unscheduled pods owning each other in a circle: deleting one
 * must not deadlock the garbage collector; all three go. */
static void t_gc_circle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *names[3] = {"pod1", "pod2", "pod3"}, *uids[3];
    for (int i = 0; i < 3; i++) uids[i] = ckc_str(ckc_create(t, "pods", ns, names[i], NULL), "metadata.uid");
    for (int i = 0; i < 3; i++) {
        int owner = (i + 2) % 3; /* pod1 <- pod3, pod2 <- pod1, pod3 <- pod2 */
        const char *patch = ckc_fmt(t, "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                                       "\"name\":\"%s\",\"uid\":\"%s\",\"controller\":true,\"blockOwnerDeletion\":true}]}}",
                                    names[owner], uids[owner]);
        CKC_CODE(t, ckc_patch(t, ckc_item(t, "pods", ns, names[i]), CKC_MERGE_PATCH, patch), 200);
    }
    /* default options (Background), as upstream: the GC then deletes pod2 and
     * pod3 in the foreground or background as their blockers require */
    CKC_CODE(t, ckc_delete(t, ckc_item(t, "pods", ns, "pod1"), NULL), 200);
    for (int i = 0; i < 3; i++) ckc_wait_gone(t, ckc_item(t, "pods", ns, names[i]), 60);
}

#define APPS "[sig-apps] "
#define GC "[sig-api-machinery] Garbage collector "
const ckc_test ckc_tests_workloads[] = {
    {"cluster.rc.basic", "a ReplicationController runs its replicas and reports them ready", CKC_PROFILE_CLUSTER,
     APPS "ReplicationController should serve a basic image on each replica with a public image [Conformance]", NULL,
     "v1/replicationcontrollers v1/pods", t_rc_basic},
    {"cluster.rc.adopt", "a ReplicationController adopts a matching orphan pod", CKC_PROFILE_CLUSTER,
     APPS "ReplicationController should adopt matching pods on creation [Conformance]", NULL,
     "v1/replicationcontrollers v1/pods", t_rc_adopt},
    {"cluster.rc.release", "a relabeled pod is released and replaced", CKC_PROFILE_CLUSTER,
     APPS "ReplicationController should release no longer matching pods [Conformance]", NULL,
     "v1/replicationcontrollers v1/pods", t_rc_release},
    {"cluster.rc.quota-condition", "ReplicaFailure is set while the quota forbids pods, cleared when it fits",
     CKC_PROFILE_CLUSTER,
     APPS "ReplicationController should surface a failure condition on a common issue like exceeded quota [Conformance]",
     NULL, "v1/replicationcontrollers v1/resourcequotas", t_rc_quota},
    {"cluster.rs.basic", "a ReplicaSet runs its replicas and reports them ready", CKC_PROFILE_CLUSTER,
     APPS "ReplicaSet should serve a basic image on each replica with a public image [Conformance]", NULL,
     "apps/v1/replicasets v1/pods", t_rs_basic},
    {"cluster.rs.adopt-release", "a ReplicaSet adopts a matching pod and releases it when relabeled",
     CKC_PROFILE_CLUSTER, APPS "ReplicaSet should adopt matching pods on creation and release no longer matching pods [Conformance]",
     NULL, "apps/v1/replicasets v1/pods", t_rs_adopt_release},
    {"cluster.deployment.replicas", "a Deployment creates one ReplicaSet and reaches its replicas", CKC_PROFILE_CLUSTER,
     NULL, "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#creating-a-deployment",
     "apps/v1/deployments apps/v1/replicasets", t_deploy_replicas},
    {"cluster.deployment.rolling-update", "RollingUpdate adopts the old ReplicaSet, scales it to 0, bumps the revision",
     CKC_PROFILE_CLUSTER, APPS "Deployment RollingUpdateDeployment should delete old pods and create new ones [Conformance]",
     NULL, "apps/v1/deployments apps/v1/replicasets", t_deploy_rolling},
    {"cluster.deployment.recreate", "Recreate never runs new pods next to old ones", CKC_PROFILE_CLUSTER,
     APPS "Deployment RecreateDeployment should delete old pods and create new ones [Conformance]", NULL,
     "apps/v1/deployments apps/v1/replicasets", t_deploy_recreate},
    {"cluster.deployment.cleanup", "revisionHistoryLimit 0 deletes the old ReplicaSet", CKC_PROFILE_CLUSTER,
     APPS "Deployment deployment should delete old replica sets [Conformance]", NULL,
     "apps/v1/deployments apps/v1/replicasets", t_deploy_cleanup},
    {"cluster.gc.rc-background", "deleting an rc (Background) deletes its pods", CKC_PROFILE_CLUSTER,
     GC "should delete pods created by rc when not orphaning [Conformance]", NULL, "v1/replicationcontrollers",
     t_gc_rc_background},
    {"cluster.gc.rc-orphan", "deleting an rc with Orphan keeps its pods, without ownerReferences", CKC_PROFILE_CLUSTER,
     GC "should orphan pods created by rc if delete options say so [Conformance]", NULL, "v1/replicationcontrollers",
     t_gc_rc_orphan},
    {"cluster.gc.rc-foreground", "Foreground keeps the rc until its pods are gone", CKC_PROFILE_CLUSTER,
     GC "should keep the rc around until all its pods are deleted if the deleteOptions says so [Conformance]", NULL,
     "v1/replicationcontrollers", t_gc_rc_foreground},
    {"cluster.gc.deployment-background", "deleting a Deployment deletes its ReplicaSet and pods", CKC_PROFILE_CLUSTER,
     GC "should delete RS created by deployment when not orphaning [Conformance]", NULL, "apps/v1/deployments",
     t_gc_deploy_background},
    {"cluster.gc.deployment-orphan", "deleting a Deployment with Orphan keeps its ReplicaSet", CKC_PROFILE_CLUSTER,
     GC "should orphan RS created by deployment when deleteOptions.PropagationPolicy is Orphan [Conformance]", NULL,
     "apps/v1/deployments", t_gc_deploy_orphan},
    {"cluster.gc.circle", "owners in a circle do not block the garbage collector", CKC_PROFILE_CLUSTER,
     GC "should not be blocked by dependency circle [Conformance]", NULL, "v1/pods", t_gc_circle},
    {0},
};
