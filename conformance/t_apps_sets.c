/* t_apps_sets.c: the DaemonSet and StatefulSet conformance tests on a
 * cluster, after test/e2e/apps/daemon_set.go and statefulset.go (per-node
 * pods, rolling updates and rollbacks, ordered and burst scaling, partitions). */
#include "t_apps.h"
#include <stdlib.h>
#include <string.h>

/* ---- daemon_set.go ---- */
#define DS_LABEL "daemonset-name"
static json_t *daemonset(ckc_t *t, const char *name)
{
    return ap_workload(t, "apps/v1", "DaemonSet", name, DS_LABEL, name, ap_tmpl(t, DS_LABEL, name, "Always", NULL));
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
    json_int_t d = ap_ival(ds, "status.desiredNumberScheduled");
    return ap_ival(ds, "status.currentNumberScheduled") == d && ap_ival(ds, "status.numberReady") == d &&
           ap_ival(ds, "status.updatedNumberScheduled") == d && ap_ival(ds, "status.numberAvailable") == d;
}

void t_ds_simple(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns));
    ap_post(t, DSETS(t, ns), daemonset(t, "daemon-set"));
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "one Running pod per node");
    ap_wait_obj(t, item, ds_status_ok, NULL, 60, "status: current = ready = updated = available = desired");
    json_t *pods = cl_live_pods(t, ns, DS_LABEL "=daemon-set");
    const char *victim = ckc_str(json_array_get(pods, 0), "metadata.name");
    CKC_CODE(t, ckc_delete(t, ckc_item(t, "pods", ns, victim), NULL), 200);
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "the stopped daemon pod must be revived");
}

#define COLOR "daemonset-color"
void t_ds_complex(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns));
    json_t *ds = daemonset(t, "daemon-set");
    json_object_set_new(ap_tspec(ckc_at(ds, "spec.template")), "nodeSelector", json_pack("{s:s}", COLOR, "blue"));
    ap_post(t, DSETS(t, ns), ds);
    ap_sleep_s(t, 3);
    CKC_CHECK(t, NULL, json_array_size(cl_live_pods(t, ns, DS_LABEL "=daemon-set")) == 0,
              "no node is blue: no daemon pod may be launched");
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    const char *npath = ckc_fmt(t, "/api/v1/nodes/%s", node);
    ap_at_end(t, "PATCH", npath, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"" COLOR "\":null}}}");
    ap_patch(t, npath, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"" COLOR "\":\"blue\"}}}");
    wait_ds_nodes(t, ns, "daemon-set", COLOR, "blue", "a daemon pod must run on the blue node");
    ap_wait_obj(t, item, ds_status_ok, NULL, 60, "status must count the blue node");
    ap_patch(t, npath, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"" COLOR "\":\"green\"}}}");
    cl_wait_pod_count(t, ns, DS_LABEL "=daemon-set", 0, 0, 120);
    ap_patch(t, item, CKC_SMP, "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"" COLOR "\":\"green\"}}},"
                            "\"updateStrategy\":{\"type\":\"RollingUpdate\"}}}");
    wait_ds_nodes(t, ns, "daemon-set", COLOR, "green", "a daemon pod must run on the green node");
    ap_wait_obj(t, item, ds_status_ok, NULL, 60, "status must count the green node");
}

static int uid_gone(ckc_t *t, const char *ns, const char *name, const char *uid)
{
    ckc_resp *r = ckc_get(t, ckc_item(t, "pods", ns, name));
    return r->code == 404 || !cl_same(ckc_str(r->json, "metadata.uid"), uid);
}

void t_ds_retry_failed(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ap_post(t, DSETS(t, ns), daemonset(t, "daemon-set"));
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

void t_ds_rolling(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns));
    json_t *ds = daemonset(t, "daemon-set");
    json_object_set_new(ap_wspec(ds), "updateStrategy", json_pack("{s:s}", "type", "RollingUpdate"));
    ap_post(t, DSETS(t, ns), ds);
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "one Running pod per node");
    const char *old_hash = ckc_fmt(t, "%s", ckc_label(json_array_get(cl_live_pods(t, ns, DS_LABEL "=daemon-set"), 0),
                                                      "controller-revision-hash") ?: "");
    ap_patch(t, item, CKC_SMP, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.37\"}]}}}}");
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
    ap_wait_obj(t, item, ds_status_ok, NULL, 60, "status: every pod updated and available");
}

void t_ds_rollback(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/daemon-set", DSETS(t, ns)), *sel = DS_LABEL "=daemon-set";
    json_t *ds = daemonset(t, "daemon-set");
    json_object_set_new(ap_wspec(ds), "updateStrategy", json_pack("{s:s}", "type", "RollingUpdate"));
    ap_post(t, DSETS(t, ns), ds);
    wait_ds_nodes(t, ns, "daemon-set", NULL, NULL, "one Running pod per node");
    const char *bad = "foo:non-existent"; /* upstream's image that cannot be pulled */
    ap_patch(t, item, CKC_SMP, ckc_fmt(t, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"%s\"}]}}}}", bad));
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
    ap_patch(t, item, CKC_SMP, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" CKC_BUSYBOX "\"}]}}}}");
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

/* ---- statefulset.go: ss "ss" behind headless service "test", labels foo=bar ---- */
static json_t *statefulset(ckc_t *t, const char *ns, const char *name, int replicas, const char *script)
{
    ckc_post(t, ckc_coll(t, "services", ns),
             ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"test\"},\"spec\":"
                          "{\"clusterIP\":\"None\",\"selector\":{\"foo\":\"bar\"},\"ports\":[{\"port\":80}]}}"));
    json_t *ss = ap_workload(t, "apps/v1", "StatefulSet", name, "foo", "bar", ap_tmpl(t, "foo", "bar", "Always", script));
    json_object_set_new(ap_wspec(ss), "replicas", json_integer(replicas));
    json_object_set_new(ap_wspec(ss), "serviceName", json_string("test"));
    return ss;
}
/* Readiness by marker file (the harness has no exec to break an HTTP probe
 * as upstream does; a probe on a file the container creates late stands in). */
static void ready_on_file(json_t *ss)
{
    json_object_set_new(ap_tc0(ckc_at(ss, "spec.template")), "readinessProbe",
                        json_pack("{s:{s:[s,s]}, s:i, s:i}", "exec", "command", "cat", "/tmp/ready", "periodSeconds", 1,
                                  "failureThreshold", 1));
}
static int ss_ready(ckc_t *t, json_t *o, void *n)
{
    return ap_ival(o, "status.observedGeneration") >= ap_ival(o, "metadata.generation") &&
           ap_ival(o, "status.replicas") == *(int *)n && ap_ival(o, "status.readyReplicas") == *(int *)n;
}
static void wait_ss(ckc_t *t, const char *ns, const char *name, int n)
{
    ap_wait_obj(t, ckc_fmt(t, "%s/%s", SSETS(t, ns), name), ss_ready, &n, 180, ckc_fmt(t, "%d ready replicas", n));
}
static void set_replicas(ckc_t *t, const char *ns, const char *name, int n)
{
    ap_patch(t, ckc_fmt(t, "%s/%s", SSETS(t, ns), name), CKC_MERGE_PATCH, ckc_fmt(t, "{\"spec\":{\"replicas\":%d}}", n));
}

void t_ss_burst(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *ss = statefulset(t, ns, "ss", 1, "sleep 3600");
    json_object_set_new(ap_wspec(ss), "podManagementPolicy", json_string("Parallel"));
    ready_on_file(ss); /* never created: every pod stays unhealthy */
    ap_post(t, SSETS(t, ns), ss);
    cl_wait_pod(t, ns, "ss-0", cl_pred_phase, "Running", 120, "ss-0 must run (unready)");
    set_replicas(t, ns, "ss", 3);
    for (int i = 0; i < 3; i++)
        cl_wait_pod(t, ns, ckc_fmt(t, "ss-%d", i), cl_pred_phase, "Running", 120,
                    "Parallel: scale-up must not halt on unhealthy pods");
    set_replicas(t, ns, "ss", 0);
    int zero = 0;
    ap_wait_obj(t, ckc_fmt(t, "%s/ss", SSETS(t, ns)), ss_ready, &zero, 120, "Parallel: scale-down to 0 must not halt");
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

void t_ss_ordered(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    /* each pod is unhealthy for its first 8 seconds */
    json_t *ss = statefulset(t, ns, "ss", 1, "sleep 8; touch /tmp/ready; sleep 3600");
    ready_on_file(ss);
    ap_post(t, SSETS(t, ns), ss);
    wait_ss(t, ns, "ss", 1);
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1&labelSelector=foo%%3Dbar&resourceVersion=%s", PODS(t, ns),
                                             ckc_str(ap_get(t, PODS(t, ns)), "metadata.resourceVersion")));
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

void t_ss_recreate_evicted(ckc_t *t)
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
    json_object_set_new(ap_tspec(ckc_at(ss, "spec.template")), "nodeName", json_string(node));
    json_object_set(ap_tc0(ckc_at(ss, "spec.template")), "ports", port);
    ap_post(t, SSETS(t, ns), ss);
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
static void check_revisions(ckc_t *t, const char *step, const char *ns, int n, int partition, const char *newrev,
                            const char *newimg, const char *oldrev, const char *oldimg)
{
    for (int i = 0; i < n; i++) {
        json_t *p = ap_get(t, ckc_item(t, "pods", ns, ckc_fmt(t, "ss-%d", i)));
        const char *rev = ckc_label(p, "controller-revision-hash"), *img = ckc_str(p, "spec.containers.0.image");
        const char *wr = i >= partition ? newrev : oldrev, *wi = i >= partition ? newimg : oldimg;
        CKC_CHECK(t, NULL, cl_same(rev, wr) && cl_same(img, wi), "%s: ss-%d (partition %d): want revision %s image %s, got %s %s",
                  step, i, partition, wr, wi, rev ? rev : "(none)", img ? img : "(none)");
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

void t_ss_canary(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/ss", SSETS(t, ns));
    json_t *ss = statefulset(t, ns, "ss", 3, NULL);
    json_object_set_new(ap_wspec(ss), "updateStrategy",
                        json_pack("{s:s, s:{s:i}}", "type", "RollingUpdate", "rollingUpdate", "partition", 3));
    ap_post(t, SSETS(t, ns), ss);
    wait_ss(t, ns, "ss", 3);
    json_t *cur = ap_get(t, item);
    const char *oldrev = ckc_fmt(t, "%s", ckc_str(cur, "status.currentRevision"));
    CKC_CHECK(t, NULL, cl_same(oldrev, ckc_str(cur, "status.updateRevision")), "current = update revision at first");
    json_t *up = ap_patch(t, item, CKC_SMP, SET_IMAGE("busybox:1.37"));
    (void)up;
    ss_upd u = {3, 3, NULL, "busybox:1.37"};
    double deadline = ckc_now() + ckc_timeout(t, 30);
    while (!(u.rev = ckc_str(ap_get(t, item), "status.updateRevision")) || cl_same(u.rev, oldrev)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "status.updateRevision must change after the template update");
        ckc_sleep_ms(500);
    }
    u.rev = ckc_fmt(t, "%s", u.rev);
    ap_sleep_s(t, 5); /* "Not applying an update when the partition is greater than the number of replicas" */
    check_revisions(t, "partition above replicas", ns, 3, 3, u.rev, u.img, oldrev, CKC_BUSYBOX);
    /* canary: partition 2 updates ss-2 only */
    ap_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}}}}");
    u.partition = 2;
    ap_wait_obj(t, item, ss_rolled, &u, 180, "the canary ss-2 must be updated");
    check_revisions(t, "canary", ns, 3, 2, u.rev, u.img, oldrev, CKC_BUSYBOX);
    /* deleted pods come back at their partition's revision */
    cl_delete_now(t, ckc_item(t, "pods", ns, "ss-0"));
    cl_delete_now(t, ckc_item(t, "pods", ns, "ss-2"));
    ap_sleep_s(t, 2);
    ap_wait_obj(t, item, ss_rolled, &u, 180, "deleted pods must be restored");
    check_revisions(t, "restored after delete", ns, 3, 2, u.rev, u.img, oldrev, CKC_BUSYBOX);
    for (u.partition = 1; u.partition >= 0; u.partition--) { /* phased rolling update */
        ap_patch(t, item, CKC_MERGE_PATCH,
              ckc_fmt(t, "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":%d}}}}", u.partition));
        ap_wait_obj(t, item, ss_rolled, &u, 180, ckc_fmt(t, "pods from ordinal %d must be updated", u.partition));
        check_revisions(t, "phased", ns, 3, u.partition, u.rev, u.img, oldrev, CKC_BUSYBOX);
    }
}

static int ss_revs_equal(ckc_t *t, json_t *ss, void *rev)
{
    return cl_same(ckc_str(ss, "status.currentRevision"), rev) && cl_same(ckc_str(ss, "status.updateRevision"), rev);
}

void t_ss_rollback(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/ss", SSETS(t, ns));
    ap_post(t, SSETS(t, ns), statefulset(t, ns, "ss", 3, NULL));
    wait_ss(t, ns, "ss", 3);
    const char *prior = ckc_fmt(t, "%s", ckc_str(ap_get(t, item), "status.currentRevision"));
    ap_patch(t, item, CKC_SMP, SET_IMAGE("busybox:1.37"));
    ss_upd u = {3, 0, NULL, "busybox:1.37"};
    double deadline = ckc_now() + ckc_timeout(t, 30);
    while (!(u.rev = ckc_str(ap_get(t, item), "status.updateRevision")) || cl_same(u.rev, prior)) {
        if (ckc_now() > deadline) CKC_FAIL(t, "status.updateRevision must change after the template update");
        ckc_sleep_ms(500);
    }
    u.rev = ckc_fmt(t, "%s", u.rev);
    ap_wait_obj(t, item, ss_rolled, &u, 240, "the rolling update must reach every pod");
    ap_wait_obj(t, item, ss_revs_equal, (void *)u.rev, 60, "currentRevision must become the update revision");
    check_revisions(t, "rolled", ns, 3, 0, u.rev, u.img, NULL, NULL);
    ap_patch(t, item, CKC_SMP, SET_IMAGE(CKC_BUSYBOX)); /* roll back */
    u.rev = prior; u.img = CKC_BUSYBOX;
    ap_wait_obj(t, item, ss_rolled, &u, 240, "the rollback must reach every pod with the prior revision");
    ap_wait_obj(t, item, ss_revs_equal, (void *)prior, 60, "the rollback must return to the prior revision");
    check_revisions(t, "rolled back", ns, 3, 0, prior, CKC_BUSYBOX, NULL, NULL);
}

void t_ss_status(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "%s/test-ss", SSETS(t, ns)), *st = ckc_fmt(t, "%s/status", item);
    ap_post(t, SSETS(t, ns), statefulset(t, ns, "test-ss", 1, NULL));
    wait_ss(t, ns, "test-ss", 1);
    json_t *p = ap_patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"statefulset\":\"patched\"}}}");
    CKC_CHECK(t, NULL, cl_same(ckc_label(p, "statefulset"), "patched"), "the label patch must apply");
    json_t *s = ap_get(t, st);
    CKC_CHECK(t, NULL, cl_same(ckc_str(s, "kind"), "StatefulSet") && cl_same(ckc_str(s, "metadata.uid"), ckc_str(p, "metadata.uid")),
              "GET /status returns the StatefulSet");
    CKC_CODE(t, ckc_update(t, st, ap_add_status_cond, "StatusUpdate"), 200);
    CKC_CHECK(t, NULL, ap_has_cond(ap_get(t, item), "StatusUpdate"), "the StatusUpdate condition must be stored");
    p = ap_patch(t, st, CKC_MERGE_PATCH, "{\"status\":{\"conditions\":[{\"type\":\"StatusPatched\",\"status\":\"True\"}]}}");
    CKC_CHECK(t, NULL, ap_has_cond(ap_get(t, item), "StatusPatched"), "the StatusPatched condition must be stored");
}

