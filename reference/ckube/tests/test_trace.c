/* test_trace.c: `ckube trace` against a hand-written audit log
 * (testdata/trace_audit.log, audit.k8s.io/v1 Events as the apiserver writes
 * them): which lines belong to an object, who wrote them, what changed. */
#include <stdlib.h>
#include <string.h>
#include "ckube/trace.h"
#include "util/cktest.h"

/* Runs the fixture through a trace of `what` in `ns`; returns the output
 * (caller frees) and the step count in *steps. */
static char *trace_fixture(const char *what, const char *ns, bool events, size_t *steps, int *garbage)
{
    char path[1024], err[256];
    const char *file = __FILE__; /* reference/ckube/tests/test_trace.c, relative to the repo root */
    snprintf(path, sizeof path, "%.*stestdata/trace_audit.log", (int)(strrchr(file, '/') + 1 - file), file);
    FILE *in = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    ck_trace_target t;
    CU_ASSERT_EQUAL_FATAL(ck_trace_parse_target(what, ns, &t, err, sizeof err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_trace *tr = ck_trace_new(&t, out, events);
    char *line = NULL;
    size_t cap = 0;
    *garbage = 0;
    while (getline(&line, &cap, in) > 0)
        if (ck_trace_feed(tr, line) < 0) (*garbage)++;
    ck_trace_finish(tr);
    *steps = ck_trace_steps(tr);
    ck_trace_free(tr);
    free(line);
    fclose(in);
    fclose(out);
    return buf;
}

/* Each needle appears, in this order. */
static void assert_in_order(const char *hay, const char *const *needles)
{
    const char *at = hay;
    for (; *needles; needles++) {
        const char *p = strstr(at, *needles);
        if (!p) fprintf(stderr, "\nmissing (in order): %s\n---\n%s---\n", *needles, hay);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        at = p + strlen(*needles);
    }
}

static void test_targets(void)
{
    ck_trace_target t;
    char err[256];
    CU_ASSERT_EQUAL(ck_trace_parse_target("po/web-1", NULL, &t, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(t.resource, "pods");
    CU_ASSERT_STRING_EQUAL(t.kind, "Pod");
    CU_ASSERT_STRING_EQUAL(t.ns, "default");
    CU_ASSERT_STRING_EQUAL(t.name, "web-1");
    CU_ASSERT_EQUAL(ck_trace_parse_target("Pod/x", "kube-system", &t, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(t.ns, "kube-system");
    CU_ASSERT_EQUAL(ck_trace_parse_target("deploy/web", NULL, &t, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(t.group, "apps");
    CU_ASSERT_STRING_EQUAL(t.resource, "deployments");
    CU_ASSERT_EQUAL(ck_trace_parse_target("deployments.v1.apps/web", NULL, &t, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(t.kind, "Deployment");
    CU_ASSERT_EQUAL(ck_trace_parse_target("rs/web-7d9f", NULL, &t, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(t.kind, "ReplicaSet");
    CU_ASSERT_EQUAL(ck_trace_parse_target("replicasets.apps/web-7d9f", NULL, &t, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(t.group, "apps");
    CU_ASSERT_EQUAL(ck_trace_parse_target("node/n1", "ignored", &t, err, sizeof err), 0);
    CU_ASSERT_FALSE(t.namespaced);
    CU_ASSERT_STRING_EQUAL(t.ns, "");
    CU_ASSERT_EQUAL(ck_trace_parse_target("pod", NULL, &t, err, sizeof err), -1);
    CU_ASSERT_EQUAL(ck_trace_parse_target("pod/", NULL, &t, err, sizeof err), -1);
    CU_ASSERT_EQUAL(ck_trace_parse_target("pod/a/b", NULL, &t, err, sizeof err), -1);
    CU_ASSERT_EQUAL(ck_trace_parse_target("widgets/x", NULL, &t, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "widgets"));
    CU_ASSERT_EQUAL(ck_trace_parse_target("pods.apps/x", NULL, &t, err, sizeof err), -1);
}

static void test_formatters(void)
{
    char b[32];
    CU_ASSERT_STRING_EQUAL(ck_trace_duration(250, b, sizeof b), "250us");
    CU_ASSERT_STRING_EQUAL(ck_trace_duration(1800, b, sizeof b), "1.8ms");
    CU_ASSERT_STRING_EQUAL(ck_trace_duration(120000, b, sizeof b), "120ms");
    CU_ASSERT_STRING_EQUAL(ck_trace_duration(1234000, b, sizeof b), "1.234s");
    CU_ASSERT_STRING_EQUAL(ck_trace_duration(123400000, b, sizeof b), "2m03.4s");
    CU_ASSERT_STRING_EQUAL(ck_trace_duration(-1800, b, sizeof b), "-1.8ms");
    CU_ASSERT_EQUAL(ck_trace_parse_microtime("2025-01-01T10:00:00.000250Z") -
                        ck_trace_parse_microtime("2025-01-01T10:00:00Z"), 250);
    CU_ASSERT_EQUAL(ck_trace_parse_microtime("2025-01-01T10:00:01.5Z") - ck_trace_parse_microtime("2025-01-01T10:00:00Z"),
                    1500000);
    CU_ASSERT_EQUAL(ck_trace_parse_microtime("yesterday"), -1);
    ck_trace_writer("kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07", b, sizeof b);
    CU_ASSERT_STRING_EQUAL(b, "kubectl");
    ck_trace_writer("kube-scheduler/ckube", b, sizeof b);
    CU_ASSERT_STRING_EQUAL(b, "kube-scheduler");
    ck_trace_writer("", b, sizeof b);
    CU_ASSERT_STRING_EQUAL(b, "(no user agent)");
}

static bool has_line(const json_t *lines, const char *want)
{
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) if (strcmp(json_string_value(l), want) == 0) return true;
    return false;
}

static void test_changes(void)
{
    json_t *a = json_pack("{s:{s:s,s:s},s:{},s:{s:s,s:[{s:s,s:s,s:s}]}}", "metadata", "name", "p", "resourceVersion",
                          "1", "spec", "status", "phase", "Pending", "conditions", "type", "PodScheduled", "status",
                          "False", "lastTransitionTime", "2025-01-01T00:00:00Z");
    json_t *b = json_deep_copy(a);
    json_t *l = ck_trace_changes(a, b, 10);
    CU_ASSERT_EQUAL(json_array_size(l), 0);
    json_decref(l);
    /* resourceVersion and condition timestamps are bookkeeping, not changes. */
    json_object_set_new(json_object_get(b, "metadata"), "resourceVersion", json_string("2"));
    json_object_set_new(json_array_get(json_object_get(json_object_get(b, "status"), "conditions"), 0),
                        "lastTransitionTime", json_string("2025-01-01T00:00:09Z"));
    l = ck_trace_changes(a, b, 10);
    CU_ASSERT_EQUAL(json_array_size(l), 0);
    json_decref(l);
    json_object_set_new(json_object_get(b, "spec"), "nodeName", json_string("node-1"));
    json_object_set_new(json_object_get(b, "status"), "phase", json_string("Running"));
    json_object_set_new(json_array_get(json_object_get(json_object_get(b, "status"), "conditions"), 0), "status",
                        json_string("True"));
    json_array_append_new(json_object_get(json_object_get(b, "status"), "conditions"),
                          json_pack("{s:s,s:s}", "type", "Ready", "status", "True"));
    l = ck_trace_changes(a, b, 10);
    CU_ASSERT_EQUAL(json_array_size(l), 4);
    CU_ASSERT_TRUE(has_line(l, "spec.nodeName: set to node-1"));
    CU_ASSERT_TRUE(has_line(l, "status.phase: Pending -> Running"));
    CU_ASSERT_TRUE(has_line(l, "condition PodScheduled: False -> True"));
    CU_ASSERT_TRUE(has_line(l, "condition Ready: True"));
    json_decref(l);
    /* Capped: max lines, the last one counting what was left out. */
    l = ck_trace_changes(a, b, 3);
    CU_ASSERT_EQUAL(json_array_size(l), 3);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(l, 2)), "... 2 more changes");
    json_decref(l);
    /* Removal, and a create summary. */
    l = ck_trace_changes(b, a, 10);
    CU_ASSERT_TRUE(has_line(l, "spec.nodeName: removed (was node-1)"));
    CU_ASSERT_TRUE(has_line(l, "condition Ready: removed"));
    json_decref(l);
    l = ck_trace_changes(NULL, b, 10);
    CU_ASSERT_TRUE(has_line(l, "spec.nodeName: node-1"));
    CU_ASSERT_TRUE(has_line(l, "status.phase: Running"));
    json_decref(l);
    json_decref(a);
    json_decref(b);
}

static void test_pod_life(void)
{
    size_t steps;
    int garbage;
    char *out = trace_fixture("pod/web-1", NULL, true, &steps, &garbage);
    CU_ASSERT_EQUAL(garbage, 1);
    /* create, binding, Scheduled, status, Started, failed update, status,
     * graceful delete, final delete: the get, web-2 and the other
     * namespace's web-1 are not ours. */
    CU_ASSERT_EQUAL(steps, 9);
    static const char *const want[] = {
        "Pod default/web-1",
        "1    10:00:00.002 -        0us      kubectl                  create pods (201)",
        "metadata.uid: u-1",
        "container c: image busybox",
        "2    10:00:00.012 10ms     10ms     kube-scheduler           create pods/binding (201)",
        "spec.nodeName: set to node-1 (scheduled)",
        "default-scheduler        Event Normal Scheduled",
        "Successfully assigned default/web-1 to node-1",
        "kubelet                  patch pods/status (200)",
        "condition PodScheduled: True",
        "condition Ready: False (ContainersNotReady)",
        "status.containerStatuses[c].state: <none> -> waiting (ContainerCreating)",
        "kubelet                  Event Normal Started",
        "Started container c",
        "kubelet                  update pods/status (409)",
        "failed: Conflict",
        "2.000s   kubelet                  patch pods/status (200)",
        "status.phase: Pending -> Running",
        "status.podIP: set to 10.244.1.5",
        "condition Ready: False -> True",
        "status.containerStatuses[c].state: waiting (ContainerCreating) -> running",
        "kubectl                  delete pods (200)",
        "deletion requested (grace period 30s)",
        "metadata.deletionTimestamp: set to 2025-01-01T10:00:40Z",
        "kubelet                  delete pods (200)",
        "deleted: removed from storage",
        "9 steps over 11.000s (the object no longer exists)",
        NULL,
    };
    assert_in_order(out, want);
    CU_ASSERT_PTR_NULL(strstr(out, "Killing"));
    CU_ASSERT_PTR_NULL(strstr(out, "resourceVersion"));
    free(out);
    out = trace_fixture("pod/web-1", NULL, false, &steps, &garbage);
    CU_ASSERT_EQUAL(steps, 7);
    CU_ASSERT_PTR_NULL(strstr(out, "Event"));
    free(out);
    /* The other namespace has only an Event for its web-1. */
    out = trace_fixture("pod/web-1", "other", true, &steps, &garbage);
    CU_ASSERT_EQUAL(steps, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Event Normal Killing"));
    free(out);
}

static void test_deployment_and_rs(void)
{
    size_t steps;
    int garbage;
    char *out = trace_fixture("deploy/web", NULL, true, &steps, &garbage);
    CU_ASSERT_EQUAL(steps, 4);
    static const char *const want[] = {
        "Deployment default/web",
        "kubectl                  create deployments (201)",
        "spec.replicas: 2",
        "deployment-controller    Event Normal ScalingReplicaSet",
        "Scaled up replica set web-7d9f to 2",
        "kube-controller-manager  update deployments/status (200)",
        "status.observedGeneration: set to 1",
        "Event Normal ScalingReplicaSet (x3)",
        "4 steps over 5.000s",
        NULL,
    };
    assert_in_order(out, want);
    free(out);
    out = trace_fixture("rs/web-7d9f", NULL, true, &steps, &garbage);
    CU_ASSERT_EQUAL(steps, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "owned by Deployment/web (controller)"));
    free(out);
    out = trace_fixture("pod/nobody", NULL, true, &steps, &garbage);
    CU_ASSERT_EQUAL(steps, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "no writes or events for Pod default/nobody"));
    free(out);
}

int main(void)
{
    static const ck_test tests[] = {
        {"KIND/NAME against the kinds table", test_targets},
        {"durations, microtimes, writers", test_formatters},
        {"what changed between versions", test_changes},
        {"a pod's life from the audit log", test_pod_life},
        {"a deployment and its replicaset", test_deployment_and_rs},
        {NULL, NULL},
    };
    return ck_test_main("trace", tests, NULL, NULL);
}
