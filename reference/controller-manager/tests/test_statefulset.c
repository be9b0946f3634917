/* test_statefulset.c: StatefulSet decisions from upstream's behaviour
 * (pkg/controller/statefulset/stateful_set_control_test.go): ordinals,
 * pod identity, OrderedReady creation one at a time, Parallel, scale down
 * highest first, RollingUpdate partition, status revisions. */
#include <stdlib.h>
#include <string.h>
#include "controller-manager/statefulset_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *sts(int replicas, const char *policy)
{
    json_t *s = json_pack("{s:{s:s,s:s,s:s,s:i},s:{s:i,s:s,s:s,s:{s:{s:s}},s:{s:{s:{s:s}},s:{s:[{s:s}]}}}}",
                          "metadata", "name", "web", "namespace", "ns", "uid", "s1", "generation", 3, "spec",
                          "replicas", replicas, "serviceName", "nginx", "podManagementPolicy", policy, "selector",
                          "matchLabels", "app", "web", "template", "metadata", "labels", "app", "web", "spec",
                          "containers", "name", "c");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    return s;
}

static json_t *pod(const char *name, const char *rev, bool ready)
{
    return json_pack("{s:{s:s,s:{s:s}},s:{s:s,s:[{s:s,s:s}]}}", "metadata", "name", name, "labels",
                     "controller-revision-hash", rev, "status", "phase", ready ? "Running" : "Pending", "conditions",
                     "type", "Ready", "status", ready ? "True" : "False");
}

static long first_create(const ck_sts_plan *p) { return (long)json_integer_value(json_array_get(p->create, 0)); }

static void test_identity(void)
{
    CU_ASSERT_EQUAL(ck_sts_ordinal("web", "web-0"), 0);
    CU_ASSERT_EQUAL(ck_sts_ordinal("web", "web-12"), 12);
    CU_ASSERT_EQUAL(ck_sts_ordinal("web", "web-x"), -1);
    CU_ASSERT_EQUAL(ck_sts_ordinal("web", "webby-1"), -1);
    CU_ASSERT_EQUAL(ck_sts_ordinal("web", "web-01"), -1);
    json_t *s = sts(3, "OrderedReady"), *p = ck_sts_new_pod(s, 2, "web-abc");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.name", ""), "web-2");
    CU_ASSERT_PTR_NULL(ck_json_path(p, "metadata.generateName"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "spec.hostname", ""), "web-2");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "spec.subdomain", ""), "nginx");
    json_t *l = ck_json_path(p, "metadata.labels");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "controller-revision-hash")), "web-abc");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "statefulset.kubernetes.io/pod-name")), "web-2");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "apps.kubernetes.io/pod-index")), "2");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ck_json_path(p, "metadata.ownerReferences"), 0), "kind", ""),
                           "StatefulSet");
    json_decref(p);
    json_decref(s);
}

static void test_ordered_ready(void)
{
    json_t *s = sts(3, "OrderedReady"), *pods = json_array();
    ck_sts_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "web-r1", 0, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.create), 1);
    CU_ASSERT_EQUAL(first_create(&p), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "currentRevision", ""), "web-r1");
    ck_sts_plan_clear(&p);
    /* web-0 exists but is not ready: wait */
    json_array_append_new(pods, pod("web-0", "web-r1", false));
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "web-r1", 0, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.create), 0);
    ck_sts_plan_clear(&p);
    /* ready: web-1 next */
    json_array_set_new(pods, 0, pod("web-0", "web-r1", true));
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "web-r1", 0, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.create), 1);
    CU_ASSERT_EQUAL(first_create(&p), 1);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "readyReplicas", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "replicas", -1), 1);
    ck_sts_plan_clear(&p);
    /* Parallel: all missing at once */
    ck_json_set(s, "spec.podManagementPolicy", json_string("Parallel"));
    json_array_set_new(pods, 0, pod("web-0", "web-r1", false));
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "web-r1", 0, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.create), 2);
    ck_sts_plan_clear(&p);
    json_decref(pods);
    json_decref(s);
}

static void test_scale_down(void)
{
    json_t *s = sts(1, "OrderedReady");
    json_t *pods = json_pack("[o,o,o]", pod("web-0", "r", true), pod("web-2", "r", true), pod("web-1", "r", true));
    ck_sts_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "r", 0, &p), 0);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.to_delete), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 0), "metadata.name", ""), "web-2");
    ck_sts_plan_clear(&p);
    ck_json_set(s, "spec.podManagementPolicy", json_string("Parallel"));
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "r", 0, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.to_delete), 2);
    ck_sts_plan_clear(&p);
    json_decref(pods);
    json_decref(s);
}

static void test_rolling_update(void)
{
    json_t *s = sts(3, "OrderedReady");
    ck_json_set(s, "status", json_pack("{s:s}", "currentRevision", "old"));
    json_t *pods = json_pack("[o,o,o]", pod("web-0", "old", true), pod("web-1", "old", true), pod("web-2", "old", true));
    ck_sts_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "new", 0, &p), 0);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.to_delete), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 0), "metadata.name", ""), "web-2");
    CU_ASSERT_EQUAL(ck_json_int(p.status, "currentReplicas", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "updatedReplicas", -1), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "updateRevision", ""), "new");
    ck_sts_plan_clear(&p);
    /* partition 2 with web-2 updated: nothing more */
    ck_json_set(s, "spec.updateStrategy", json_pack("{s:s,s:{s:i}}", "type", "RollingUpdate", "rollingUpdate", "partition", 2));
    json_array_set_new(pods, 2, pod("web-2", "new", true));
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "new", 0, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.to_delete), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "currentRevision", ""), "old");
    ck_sts_plan_clear(&p);
    /* all updated and ready: the update revision becomes current */
    json_array_set_new(pods, 0, pod("web-0", "new", true));
    json_array_set_new(pods, 1, pod("web-1", "new", true));
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "new", 0, &p), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "currentRevision", ""), "new");
    CU_ASSERT_EQUAL(ck_json_int(p.status, "currentReplicas", -1), 3);
    ck_sts_plan_clear(&p);
    /* OnDelete: old pods are left alone */
    ck_json_set(s, "spec.updateStrategy", json_pack("{s:s}", "type", "OnDelete"));
    json_array_set_new(pods, 2, pod("web-2", "old", true));
    CU_ASSERT_EQUAL_FATAL(ck_sts_plan_compute(s, pods, "new", 0, &p), 0);
    CU_ASSERT_EQUAL(json_array_size(p.to_delete), 0);
    ck_sts_plan_clear(&p);
    json_decref(pods);
    json_decref(s);
}

int main(void)
{
    static const ck_test tests[] = {{"identity", test_identity},
                                    {"OrderedReady and Parallel", test_ordered_ready},
                                    {"scale down", test_scale_down},
                                    {"rolling update", test_rolling_update},
                                    {NULL, NULL}};
    return ck_test_main("statefulset", tests, NULL, NULL);
}
