/* t_nodes.c: nodes and scheduling on a cluster: node status and Lease
 * heartbeats, a silent node turning NotReady (node lifecycle controller),
 * the node lifecycle API (test/e2e/node/node_lifecycle.go), and the
 * scheduler: Scheduled / FailedScheduling, nodeSelector, resources and host
 * ports (test/e2e/scheduling/predicates.go). Cluster profile. */
#define _GNU_SOURCE
#include "cluster.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cleanup that survives a failing check ---- */
typedef struct deferred_req { ckc_run *run; char *method, *path, *body, *ctype; } deferred_req;
static void run_deferred(void *p)
{
    deferred_req *d = p;
    ckc_reqspec rq = {.method = d->method, .path = d->path, .body = d->body, .content_type = d->ctype};
    ckc_resp_free(ckc_request_run(d->run, &rq));
    free(d->method); free(d->path); free(d->body); free(d->ctype); free(d);
}

/* Sends method path body (content type ctype) when the test ends. */
static void defer_request(ckc_t *t, const char *method, const char *path, const char *body, const char *ctype)
{
    deferred_req *d = calloc(1, sizeof *d);
    if (!d) CKC_FAIL(t, "out of memory");
    d->run = t->run;
    d->method = strdup(method);
    d->path = strdup(path);
    d->body = body ? strdup(body) : NULL;
    d->ctype = ctype ? strdup(ctype) : NULL;
    ckc_own(t, d, run_deferred);
}

static void defer_delete_now(ckc_t *t, const char *path)
{
    defer_request(t, "DELETE", path, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}", NULL);
}

/* ---- node status and heartbeats ---- */
static const char *node_path(ckc_t *t, const char *name) { return ckc_fmt(t, "/api/v1/nodes/%s", name); }
static json_t *get_node(ckc_t *t, const char *name)
{
    ckc_resp *r = ckc_get(t, node_path(t, name));
    CKC_CODE(t, r, 200);
    return r->json;
}

static json_t *condition(json_t *node, const char *type)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(node, "status.conditions"), i, c)
        if (cl_same(ckc_str(c, "type"), type)) return c;
    return NULL;
}

static void t_node_status(ckc_t *t)
{
    json_t *nodes = cl_ready_nodes(t);
    size_t i; json_t *n;
    json_array_foreach(nodes, i, n) {
        const char *name = ckc_str(n, "metadata.name");
        static const char *const fields[] = {"status.nodeInfo.kubeletVersion", "status.nodeInfo.operatingSystem",
                                             "status.nodeInfo.architecture", "status.capacity.cpu",
                                             "status.capacity.memory", "status.capacity.pods",
                                             "status.allocatable.cpu", "status.allocatable.pods", NULL};
        for (const char *const *f = fields; *f; f++)
            CKC_CHECK(t, NULL, ckc_str(n, *f) && *ckc_str(n, *f), "node %s must report %s", name, *f);
        CKC_CHECK(t, NULL, cl_node_ip(n), "node %s must report status.addresses", name);
        CKC_CHECK(t, NULL, ckc_str(condition(n, "Ready"), "lastHeartbeatTime"), "node %s: Ready needs lastHeartbeatTime", name);
        CKC_CHECK(t, NULL, ckc_label(n, "kubernetes.io/hostname") != NULL,
                  "node %s must carry label kubernetes.io/hostname", name);
    }
}

static void t_lease_heartbeat(ckc_t *t)
{
    json_t *node = json_array_get(cl_ready_nodes(t), 0);
    const char *name = ckc_str(node, "metadata.name");
    const char *path = ckc_fmt(t, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/%s", name);
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, cl_same(ckc_str(r->json, "spec.holderIdentity"), name), "the node Lease's holderIdentity is the node");
    const char *first = ckc_fmt(t, "%s", ckc_str(r->json, "spec.renewTime") ? ckc_str(r->json, "spec.renewTime") : "");
    /* The kubelet renews every leaseDurationSeconds/4 (10s for the default 40s). */
    double deadline = ckc_now() + ckc_timeout(t, 30);
    for (;;) {
        ckc_sleep_ms(1000);
        r = ckc_get(t, path);
        const char *now = ckc_str(r->json, "spec.renewTime");
        if (r->code == 200 && now && strcmp(now, first)) break;
        if (ckc_now() > deadline) break;
    }
    CKC_CHECK(t, r, r->code == 200 && ckc_str(r->json, "spec.renewTime") && strcmp(ckc_str(r->json, "spec.renewTime"), first),
              "Lease %s: spec.renewTime must advance within %.0fs (stayed %s)", name, ckc_timeout(t, 30), first);
    /* upstream kubelet: the Lease has an ownerReference to its Node */
    CKC_CHECK(t, r, cl_same(ckc_str(r->json, "metadata.ownerReferences.0.kind"), "Node") &&
                        cl_same(ckc_str(r->json, "metadata.ownerReferences.0.uid"), ckc_str(node, "metadata.uid")),
              "the node Lease is owned by its Node");
}

static json_t *fake_node(ckc_t *t, const char *name)
{
    json_t *n = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"%s\",\"labels\":"
                             "{\"kubernetes.io/hostname\":\"%s\",\"ckube-conformance/fake\":\"true\"}},"
                             "\"spec\":{\"taints\":[{\"key\":\"ckube-conformance/fake\",\"effect\":\"NoSchedule\"}]},"
                             "\"status\":{\"capacity\":{\"cpu\":\"2\",\"memory\":\"2Gi\",\"pods\":\"10\"},"
                             "\"allocatable\":{\"cpu\":\"2\",\"memory\":\"2Gi\",\"pods\":\"10\"},"
                             "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}]}}",
                          name, name);
    ckc_resp *r = ckc_post(t, "/api/v1/nodes", n);
    CKC_CODE(t, r, 201);
    defer_delete_now(t, node_path(t, name));
    return r->json;
}

static void t_node_not_ready(ckc_t *t)
{
    cl_ready_nodes(t);
    const char *name = ckc_rand_name(t, "ckc-silent-node-"), *item = node_path(t, name);
    fake_node(t, name);
    ckc_resp *r = ckc_patch(t, ckc_fmt(t, "%s/status", item), CKC_SMP,
                            "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}]}}");
    CKC_CODE(t, r, 200);
    /* No kubelet renews its Lease: after node-monitor-grace-period (40s) the
     * node lifecycle controller sets Ready=Unknown and taints it unreachable. */
    double deadline = ckc_now() + ckc_timeout(t, 120);
    json_t *n;
    for (;;) {
        n = get_node(t, name);
        if (cl_same(ckc_str(condition(n, "Ready"), "status"), "Unknown")) break;
        if (ckc_now() > deadline)
            CKC_FAIL(t, "node %s without heartbeats must turn Ready=Unknown within %.0fs, Ready is %s", name,
                     ckc_timeout(t, 120), ckc_str(condition(n, "Ready"), "status"));
        ckc_sleep_ms(2000);
    }
    CKC_CHECK(t, NULL, cl_same(ckc_str(condition(n, "Ready"), "reason"), "NodeStatusUnknown"),
              "Ready=Unknown must have reason NodeStatusUnknown");
    deadline = ckc_now() + ckc_timeout(t, 30);
    for (;;) {
        size_t i; json_t *taint;
        json_array_foreach(ckc_at(n, "spec.taints"), i, taint)
            if (cl_same(ckc_str(taint, "key"), "node.kubernetes.io/unreachable")) return;
        if (ckc_now() > deadline) CKC_FAIL(t, "node %s must be tainted node.kubernetes.io/unreachable", name);
        ckc_sleep_ms(1000);
        n = get_node(t, name);
    }
}

static void add_condition(ckc_t *t, json_t *n, void *unused)
{
    json_t *conds = ckc_at(n, "status.conditions");
    if (json_is_array(conds))
        json_array_append_new(conds, json_pack("{s:s, s:s, s:s, s:s}", "type", "ConformanceTest", "status", "True",
                                               "reason", "E2E", "message", "Set from ckube-conformance"));
}

static void t_node_lifecycle(ckc_t *t)
{
    const char *name = ckc_rand_name(t, "e2e-fake-node-"), *item = node_path(t, name);
    fake_node(t, name);
    ckc_resp *r = ckc_patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"e2e-node-patched\":\"true\"}}}");
    CKC_CODE(t, r, 200);
    json_t *items = cl_list(t, "/api/v1/nodes?labelSelector=e2e-node-patched%3Dtrue");
    int found = 0;
    size_t i; json_t *n;
    json_array_foreach(items, i, n) found |= cl_same(ckc_str(n, "metadata.name"), name);
    CKC_CHECK(t, NULL, found, "listing by the patched label must find node %s", name);
    r = ckc_update(t, ckc_fmt(t, "%s/status", item), add_condition, NULL);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, condition(r->json, "ConformanceTest") != NULL, "PUT /status must store the new condition");
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
    ckc_wait_gone(t, item, 30);
}

/* ---- scheduler ---- */
static void t_scheduled(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_ready_nodes(t);
    cl_create_pod(t, ns, cl_pod(t, "scheduled-pod", "Always", NULL));
    json_t *p = cl_wait_running(t, ns, "scheduled-pod");
    const char *node = ckc_str(p, "spec.nodeName");
    CKC_CHECK(t, NULL, cl_same(cl_condition(p, "PodScheduled"), "True"), "condition PodScheduled must be True");
    json_t *e = cl_wait_event(t, ns, "scheduled-pod", "Scheduled", 30);
    CKC_CHECK(t, NULL, cl_has(ckc_str(e, "message"), ckc_fmt(t, "Successfully assigned %s/scheduled-pod to %s", ns, node)),
              "the Scheduled event says \"Successfully assigned %s/scheduled-pod to %s\", got \"%s\"", ns, node,
              ckc_str(e, "message"));
    e = cl_wait_event(t, ns, "scheduled-pod", "Started", 30);
    CKC_CHECK(t, NULL, cl_same(ckc_str(e, "type"), "Normal"), "the kubelet's Started event is Normal");
}

static int unschedulable(json_t *pod, void *unused)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(pod, "status.conditions"), i, c)
        if (cl_same(ckc_str(c, "type"), "PodScheduled") && cl_same(ckc_str(c, "status"), "False") &&
            cl_same(ckc_str(c, "reason"), "Unschedulable"))
            return 1;
    return 0;
}

/* The pod stays Pending, PodScheduled=False/Unschedulable, with a FailedScheduling event. */
static void expect_unschedulable(ckc_t *t, const char *ns, const char *name)
{
    cl_wait_pod(t, ns, name, unschedulable, NULL, 60, "must get PodScheduled=False with reason Unschedulable");
    json_t *e = cl_wait_event(t, ns, name, "FailedScheduling", 30);
    CKC_CHECK(t, NULL, cl_same(ckc_str(e, "type"), "Warning"), "FailedScheduling is a Warning event");
    json_t *p = ckc_fetch(t, "pods", ns, name);
    CKC_CHECK(t, NULL, !ckc_str(p, "spec.nodeName") && cl_same(ckc_str(p, "status.phase"), "Pending"),
              "the pod must stay Pending and unbound");
}

static void t_failed_scheduling(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_ready_nodes(t);
    json_t *pod = cl_pod(t, "too-big", "Always", NULL);
    json_object_set(cl_container(pod, 0, 0), "resources", ckc_parse(t, "{\"requests\":{\"cpu\":\"100000\"}}"));
    cl_create_pod(t, ns, pod);
    expect_unschedulable(t, ns, "too-big");
    json_t *e = cl_wait_event(t, ns, "too-big", "FailedScheduling", 5);
    CKC_CHECK(t, NULL, cl_has(ckc_str(e, "message"), "Insufficient cpu"),
              "the FailedScheduling message names \"Insufficient cpu\", got \"%s\"", ckc_str(e, "message"));
}

/* Labels node with a random key=42 for the test; returns the key. */
static const char *label_node(ckc_t *t, const char *node)
{
    const char *key = ckc_rand_name(t, "kubernetes.io/e2e-");
    const char *item = node_path(t, node);
    CKC_CODE(t, ckc_patch(t, item, CKC_MERGE_PATCH, ckc_fmt(t, "{\"metadata\":{\"labels\":{\"%s\":\"42\"}}}", key)), 200);
    defer_request(t, "PATCH", item, ckc_fmt(t, "{\"metadata\":{\"labels\":{\"%s\":null}}}", key), CKC_MERGE_PATCH);
    return key;
}

static void t_node_selector_match(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *nodes = cl_ready_nodes(t);
    const char *node = ckc_str(json_array_get(nodes, json_array_size(nodes) - 1), "metadata.name");
    const char *key = label_node(t, node);
    json_t *pod = cl_pod(t, "with-labels", "Always", NULL);
    json_object_set_new(json_object_get(pod, "spec"), "nodeSelector", json_pack("{s:s}", key, "42"));
    cl_create_pod(t, ns, pod);
    json_t *p = cl_wait_running(t, ns, "with-labels");
    CKC_CHECK(t, NULL, cl_same(ckc_str(p, "spec.nodeName"), node), "the pod must run on the labelled node %s, got %s", node,
              ckc_str(p, "spec.nodeName"));
}

static void t_node_selector_nomatch(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_ready_nodes(t);
    json_t *pod = cl_pod(t, "restricted-pod", "Always", NULL);
    json_object_set_new(json_object_get(pod, "spec"), "nodeSelector", json_pack("{s:s}", "label", "nonempty"));
    cl_create_pod(t, ns, pod);
    expect_unschedulable(t, ns, "restricted-pod");
}

/* CPU in millicores from a quantity ("2", "500m", "1.5"). */
static long long millicpu(const char *q)
{
    if (!q || !*q) return 0;
    size_t n = strlen(q);
    if (q[n - 1] == 'm') return atoll(q);
    return (long long)(atof(q) * 1000.0 + 0.5);
}

/* CPU requested by the non-terminated pods bound to node. */
static long long requested_cpu(ckc_t *t, const char *node)
{
    long long sum = 0;
    size_t i, k; json_t *p, *c;
    json_array_foreach(cl_list(t, ckc_fmt(t, "/api/v1/pods?fieldSelector=spec.nodeName%%3D%s", node)), i, p) {
        if (cl_pred_done(p, NULL)) continue;
        json_array_foreach(ckc_at(p, "spec.containers"), k, c) sum += millicpu(ckc_str(c, "resources.requests.cpu"));
    }
    return sum;
}

/* predicates.go: fill each node to 70% of its free CPU; one more pod asking
 * half of the largest free CPU cannot fit anywhere. */
static void t_resource_limits(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *nodes = cl_ready_nodes(t);
    long long max_free = 0;
    size_t i; json_t *n;
    json_array_foreach(nodes, i, n) {
        const char *node = ckc_str(n, "metadata.name");
        long long free_cpu = millicpu(ckc_str(n, "status.allocatable.cpu")) - requested_cpu(t, node);
        if (free_cpu > max_free) max_free = free_cpu;
        const char *fname = ckc_fmt(t, "filler-pod-%zu", i);
        json_t *pod = cl_pod(t, fname, "Always", NULL);
        json_object_set_new(json_object_get(pod, "spec"), "nodeName", json_string(node));
        json_object_set(cl_container(pod, 0, 0), "resources",
                        ckc_parse(t, "{\"requests\":{\"cpu\":\"%lldm\"},\"limits\":{\"cpu\":\"%lldm\"}}", free_cpu * 7 / 10,
                                  free_cpu * 7 / 10));
        cl_create_pod(t, ns, pod);
        defer_delete_now(t, ckc_item(t, "pods", ns, fname));
    }
    for (i = 0; i < json_array_size(nodes); i++) cl_wait_running(t, ns, ckc_fmt(t, "filler-pod-%zu", i));
    json_t *extra = cl_pod(t, "additional-pod", "Always", NULL);
    json_object_set(cl_container(extra, 0, 0), "resources",
                    ckc_parse(t, "{\"requests\":{\"cpu\":\"%lldm\"},\"limits\":{\"cpu\":\"%lldm\"}}", max_free / 2, max_free / 2));
    cl_create_pod(t, ns, extra);
    defer_delete_now(t, ckc_item(t, "pods", ns, "additional-pod"));
    expect_unschedulable(t, ns, "additional-pod");
}

static void t_host_port_conflict(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    const char *key = label_node(t, node);
    const char *ips[2] = {"0.0.0.0", "127.0.0.1"}, *names[2] = {"pod4", "pod5"};
    for (int i = 0; i < 2; i++) {
        json_t *pod = cl_pod(t, names[i], "Always", NULL);
        json_object_set_new(json_object_get(pod, "spec"), "nodeSelector", json_pack("{s:s}", key, "42"));
        json_object_set_new(cl_container(pod, 0, 0), "ports",
                            json_pack("[{s:i, s:i, s:s, s:s}]", "containerPort", 8080, "hostPort", 54322, "hostIP", ips[i],
                                      "protocol", "TCP"));
        cl_create_pod(t, ns, pod);
        if (i == 0) cl_wait_pod(t, ns, "pod4", cl_pred_scheduled, NULL, 60, "must be scheduled on the labelled node");
    }
    expect_unschedulable(t, ns, "pod5");
}

static void t_qos_class(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "qos-pod", "Always", NULL);
    json_object_set(cl_container(pod, 0, 0), "resources",
                    ckc_parse(t, "{\"requests\":{\"cpu\":\"100m\",\"memory\":\"100Mi\"},"
                                 "\"limits\":{\"cpu\":\"100m\",\"memory\":\"100Mi\"}}"));
    json_t *o = cl_create_pod(t, ns, pod);
    CKC_CHECK(t, NULL, cl_same(ckc_str(o, "status.qosClass"), "Guaranteed"), "equal requests and limits: qosClass Guaranteed, got %s",
              ckc_str(o, "status.qosClass"));
}

#define SCHED "[sig-scheduling] SchedulerPredicates [Serial] "
#define NODES_DOC "https://kubernetes.io/docs/concepts/architecture/nodes/"
#define SCHED_DOC "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/"
const ckc_test ckc_tests_nodes[] = {
    {"cluster.node.status", "Ready nodes report nodeInfo, addresses, capacity, allocatable and heartbeats",
     CKC_PROFILE_CLUSTER, NULL, "https://kubernetes.io/docs/reference/node/node-status/", "v1/nodes", t_node_status},
    {"cluster.node.lease-heartbeat", "each node's Lease in kube-node-lease is renewed", CKC_PROFILE_CLUSTER, NULL,
     NODES_DOC "#heartbeats", "v1/nodes coordination.k8s.io/v1/leases", t_lease_heartbeat},
    {"cluster.node.not-ready", "a node without heartbeats turns Ready=Unknown and is tainted unreachable",
     CKC_PROFILE_CLUSTER, NULL, NODES_DOC "#condition", "v1/nodes serial", t_node_not_ready},
    {"cluster.node.lifecycle", "a Node is created, patched, listed by label, its status updated, deleted",
     CKC_PROFILE_CLUSTER, "[sig-node] Node Lifecycle should run through the lifecycle of a node [Conformance]", NULL,
     "v1/nodes v1/nodes/status serial", t_node_lifecycle},
    {"cluster.scheduler.scheduled", "a pod is bound, Running, with Scheduled and Started events", CKC_PROFILE_CLUSTER,
     NULL, SCHED_DOC, "v1/pods v1/events", t_scheduled},
    {"cluster.scheduler.failed-scheduling", "a pod no node can hold stays Pending with a FailedScheduling event",
     CKC_PROFILE_CLUSTER, NULL, SCHED_DOC "#kube-scheduler-implementation", "v1/pods v1/events", t_failed_scheduling},
    {"cluster.scheduler.node-selector-match", "a pod with a nodeSelector runs on the labelled node",
     CKC_PROFILE_CLUSTER, SCHED "validates that NodeSelector is respected if matching [Conformance]", NULL, "v1/pods v1/nodes",
     t_node_selector_match},
    {"cluster.scheduler.node-selector-nomatch", "a pod whose nodeSelector matches no node is not scheduled",
     CKC_PROFILE_CLUSTER, SCHED "validates that NodeSelector is respected if not matching [Conformance]", NULL, "v1/pods",
     t_node_selector_nomatch},
    {"cluster.scheduler.resource-limits", "CPU requests beyond what is free are not scheduled", CKC_PROFILE_CLUSTER,
     SCHED "validates resource limits of pods that are allowed to run [Conformance]", NULL, "v1/pods v1/nodes",
     t_resource_limits},
    {"cluster.scheduler.host-port-conflict", "hostPort on 0.0.0.0 conflicts with the same port on 127.0.0.1",
     CKC_PROFILE_CLUSTER,
     SCHED "validates that there exists conflict between pods with same hostPort and protocol but one using 0.0.0.0 hostIP [Conformance]",
     NULL, "v1/pods v1/nodes", t_host_port_conflict},
    {"cluster.pods.qos-class", "equal requests and limits give qosClass Guaranteed", CKC_PROFILE_CLUSTER,
     "[sig-node] Pods Extended Pods Set QOS Class should be set on Pods with matching resource requests and limits for memory and cpu [Conformance]",
     NULL, "v1/pods", t_qos_class},
    {0},
};
