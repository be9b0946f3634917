/* test_daemonset.c: DaemonSet decisions from upstream's behaviour
 * (pkg/controller/daemon/daemon_controller_test.go, update_test.go,
 * util/daemonset_util_test.go): node eligibility by selector, affinity and
 * taints, default tolerations, the daemon pod's node affinity, one pod per
 * node, failed and surplus pods, RollingUpdate maxUnavailable, status. */
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllerrevision.h"
#include "controller-manager/daemonset_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/timeutil.h"

static const time_t NOW = 1795605727;

static json_t *ds(void)
{
    json_t *d = json_loads("{\"metadata\":{\"name\":\"fluentd\",\"namespace\":\"kube-system\",\"uid\":\"d1\","
                           "\"generation\":2},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"f\"}},"
                           "\"template\":{\"metadata\":{\"labels\":{\"app\":\"f\"}},\"spec\":{\"containers\":"
                           "[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}", 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return d;
}

static json_t *node(const char *name, const char *zone)
{
    return json_pack("{s:{s:s,s:{s:s}},s:{}}", "metadata", "name", name, "labels", "zone", zone, "spec");
}

static json_t *pod(const char *name, const char *node, const char *hash, const char *phase, bool ready, long age)
{
    char ts[CK_TIME_LEN];
    ck_time_format(NOW - age, ts);
    return json_pack("{s:{s:s,s:s,s:s,s:{s:s,s:s}},s:{s:s},s:{s:s,s:[{s:s,s:s,s:s}]}}", "metadata", "name", name,
                     "namespace", "kube-system", "creationTimestamp", ts, "labels", "app", "f", CK_CR_HASH_LABEL, hash,
                     "spec", "nodeName", node, "status", "phase", phase, "conditions", "type", "Ready", "status",
                     ready ? "True" : "False", "lastTransitionTime", ts);
}

static void test_eligibility(void)
{
    json_t *d = ds(), *n = node("n1", "a");
    bool run, keep;
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_TRUE(run && keep);
    /* nodeSelector */
    ck_json_set(d, "spec.template.spec.nodeSelector", json_pack("{s:s}", "zone", "b"));
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_FALSE(run || keep);
    json_object_del(ck_json_path(d, "spec.template.spec"), "nodeSelector");
    /* required affinity: In zone [a, c] */
    ck_json_set(d, "spec.template.spec.affinity", json_pack("{s:{s:{s:[{s:[{s:s,s:s,s:[s,s]}]}]}}}", "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "matchExpressions", "key", "zone",
        "operator", "In", "values", "a", "c"));
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_TRUE(run);
    ck_json_set(n, "metadata.labels.zone", json_string("b"));
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_FALSE(run);
    json_object_del(ck_json_path(d, "spec.template.spec"), "affinity");
    /* NoSchedule taint: no new pod but an existing one stays; NoExecute: both no */
    ck_json_set(n, "spec.taints", json_pack("[{s:s,s:s}]", "key", "dedicated", "effect", "NoSchedule"));
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_FALSE(run);
    CU_ASSERT_TRUE(keep);
    ck_json_set(n, "spec.taints", json_pack("[{s:s,s:s}]", "key", "dedicated", "effect", "NoExecute"));
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_FALSE(run || keep);
    /* tolerated by the template */
    ck_json_set(d, "spec.template.spec.tolerations", json_pack("[{s:s,s:s}]", "key", "dedicated", "operator", "Exists"));
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_TRUE(run && keep);
    /* default tolerations: unschedulable and not-ready nodes still run daemons */
    json_object_del(ck_json_path(d, "spec.template.spec"), "tolerations");
    ck_json_set(n, "spec.taints", json_pack("[{s:s,s:s},{s:s,s:s}]", "key", "node.kubernetes.io/unschedulable",
                                            "effect", "NoSchedule", "key", "node.kubernetes.io/not-ready", "effect",
                                            "NoExecute"));
    ck_ds_node_should_run(d, n, &run, &keep);
    CU_ASSERT_TRUE(run && keep);
    json_decref(n);
    json_decref(d);
}

static void test_new_pod(void)
{
    json_t *d = ds();
    json_t *p = ck_ds_new_pod(d, "n2", "abc");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.generateName", ""), "fluentd-");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.labels.controller-revision-hash", ""), "abc");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.labels.pod-template-generation", ""), "2");
    CU_ASSERT_PTR_NULL(ck_json_path(p, "spec.nodeName"));
    CU_ASSERT_STRING_EQUAL(ck_ds_target_node(p), "n2");
    json_t *f = json_array_get(json_object_get(json_array_get(ck_json_path(p,
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"), 0), "matchFields"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(f, "key", ""), "metadata.name");
    CU_ASSERT_STRING_EQUAL(ck_json_str(f, "operator", ""), "In");
    /* six default tolerations, upstream's keys and effects */
    json_t *tols = ck_json_path(p, "spec.tolerations");
    CU_ASSERT_EQUAL(json_array_size(tols), 6);
    json_t *taint = json_pack("{s:s,s:s}", "key", "node.kubernetes.io/unreachable", "effect", "NoExecute");
    CU_ASSERT_TRUE(ck_toleration_tolerates(tols, taint));
    ck_json_set(taint, "key", json_string("node.kubernetes.io/network-unavailable"));
    ck_json_set(taint, "effect", json_string("NoSchedule"));
    CU_ASSERT_FALSE(ck_toleration_tolerates(tols, taint));  /* only for hostNetwork */
    json_decref(taint);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ck_json_path(p, "metadata.ownerReferences"), 0), "kind", ""),
                           "DaemonSet");
    json_decref(p);
    json_decref(d);
}

static void test_manage_and_status(void)
{
    json_t *d = ds();
    json_t *nodes = json_pack("[o,o,o,o]", node("n1", "a"), node("n2", "a"), node("n3", "a"), node("n4", "a"));
    ck_json_set(json_array_get(nodes, 3), "spec.taints", json_pack("[{s:s,s:s}]", "key", "x", "effect", "NoSchedule"));
    /* n1: one ready pod; n2: two pods (newer is surplus); n3: a failed pod; n4: not eligible */
    json_t *pods = json_pack("[o,o,o,o]", pod("a", "n1", "h1", "Running", true, 100), pod("b", "n2", "h1", "Running", true, 100),
                             pod("c", "n2", "h1", "Running", true, 10), pod("d", "n3", "h1", "Failed", false, 100));
    ck_ds_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_ds_plan_compute(d, nodes, pods, "h1", NOW, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.create_nodes), 0);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.to_delete), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 0), "metadata.name", ""), "c");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 1), "metadata.name", ""), "d");
    CU_ASSERT_EQUAL(json_array_size(p.failed), 1);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "desiredNumberScheduled", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "currentNumberScheduled", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "numberReady", -1), 2);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "numberAvailable", -1), 2);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "numberUnavailable", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "updatedNumberScheduled", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "observedGeneration", -1), 2);
    ck_ds_plan_clear(&p);
    /* no pods: one per eligible node, a pod that is only targeted (unscheduled) counts */
    json_array_clear(pods);
    json_array_append_new(pods, ck_ds_new_pod(d, "n1", "h1"));
    CU_ASSERT_EQUAL_FATAL(ck_ds_plan_compute(d, nodes, pods, "h1", NOW, &p), 0);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.create_nodes), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(p.create_nodes, 0)), "n2");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(p.create_nodes, 1)), "n3");
    ck_ds_plan_clear(&p);
    json_decref(pods);
    json_decref(nodes);
    json_decref(d);
}

static void test_rolling_update(void)
{
    json_t *d = ds();
    json_t *nodes = json_pack("[o,o,o,o]", node("n1", "a"), node("n2", "a"), node("n3", "a"), node("n4", "a"));
    json_t *pods = json_pack("[o,o,o,o]", pod("a", "n1", "old", "Running", true, 100), pod("b", "n2", "old", "Running", true, 100),
                             pod("c", "n3", "old", "Running", false, 100), pod("e", "n4", "new", "Running", true, 100));
    ck_ds_plan p;
    /* maxUnavailable 1 (default): c is unavailable so it is replaced, and that uses the budget */
    CU_ASSERT_EQUAL_FATAL(ck_ds_plan_compute(d, nodes, pods, "new", NOW, &p), 0);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.to_delete), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 0), "metadata.name", ""), "c");
    CU_ASSERT_EQUAL(ck_json_int(p.status, "updatedNumberScheduled", -1), 1);
    ck_ds_plan_clear(&p);
    /* maxUnavailable 50% of 4 = 2: c plus one available old pod */
    ck_json_set(d, "spec.updateStrategy", json_pack("{s:s,s:{s:s}}", "type", "RollingUpdate", "rollingUpdate",
                                                    "maxUnavailable", "50%"));
    CU_ASSERT_EQUAL_FATAL(ck_ds_plan_compute(d, nodes, pods, "new", NOW, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.to_delete), 2);
    ck_ds_plan_clear(&p);
    /* OnDelete: old pods stay */
    ck_json_set(d, "spec.updateStrategy", json_pack("{s:s}", "type", "OnDelete"));
    CU_ASSERT_EQUAL_FATAL(ck_ds_plan_compute(d, nodes, pods, "new", NOW, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.to_delete), 0);
    ck_ds_plan_clear(&p);
    json_decref(pods);
    json_decref(nodes);
    json_decref(d);
}

static void test_revision(void)
{
    json_t *d = ds(), *data = ck_cr_data(d);
    CU_ASSERT_STRING_EQUAL(ck_json_str(data, "spec.template.$patch", ""), "replace");
    char h1[16], h2[16], h3[16];
    ck_cr_hash(data, 0, h1);
    ck_cr_hash(data, 1, h2);
    ck_json_set(d, "spec.template.spec.containers", json_pack("[{s:s,s:s}]", "name", "c", "image", "nginx"));
    json_t *data2 = ck_cr_data(d);
    ck_cr_hash(data2, 0, h3);
    CU_ASSERT_STRING_NOT_EQUAL(h1, h2);
    CU_ASSERT_STRING_NOT_EQUAL(h1, h3);
    json_t *cr = ck_cr_new(d, "apps/v1", "DaemonSet", data, h1, 3);
    char want[64];
    snprintf(want, sizeof want, "fluentd-%s", h1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(cr, "metadata.name", ""), want);
    CU_ASSERT_STRING_EQUAL(ck_json_str(cr, "metadata.labels.controller-revision-hash", ""), h1);
    CU_ASSERT_EQUAL(ck_json_int(cr, "revision", 0), 3);
    json_t *list = json_pack("[O]", cr);
    CU_ASSERT_EQUAL(ck_cr_max_revision(list), 3);
    json_decref(list);
    json_decref(cr);
    json_decref(data2);
    json_decref(data);
    json_decref(d);
}

int main(void)
{
    static const ck_test tests[] = {{"node eligibility", test_eligibility},
                                    {"daemon pod", test_new_pod},
                                    {"manage and status", test_manage_and_status},
                                    {"rolling update", test_rolling_update},
                                    {"controller revisions", test_revision},
                                    {NULL, NULL}};
    return ck_test_main("daemonset", tests, NULL, NULL);
}
