/* test_replicaset.c: ReplicaSet decisions from upstream's behaviour:
 * ActivePodsWithRanks ordering, pods from templates, status counting,
 * slow-start batches, expectations (pkg/controller/replicaset and
 * pkg/controller/controller_utils{,_test}.go). */
#include <stdlib.h>
#include <string.h>
#include "controller-manager/expectations.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/timeutil.h"

static const time_t NOW = 1795605727;

/* A pod: node ("" unscheduled), phase, ready (with ready since `ready_ago`
 * seconds), created `age` seconds ago, restarts. */
static json_t *pod(const char *name, const char *node, const char *phase, bool ready, long ready_ago, long age,
                   int restarts)
{
    char created[CK_TIME_LEN], since[CK_TIME_LEN];
    ck_time_format(NOW - age, created);
    ck_time_format(NOW - ready_ago, since);
    return json_pack("{s:{s:s,s:s,s:s,s:s,s:{s:s}},s:{s:s},s:{s:s,s:[{s:s,s:s,s:s}],s:[{s:i}]}}", "metadata", "name",
                     name, "namespace", "ns", "uid", name, "creationTimestamp", created, "labels", "app", "web",
                     "spec", "nodeName", node, "status", "phase", phase, "conditions", "type", "Ready", "status",
                     ready ? "True" : "False", "lastTransitionTime", since, "containerStatuses", "restartCount",
                     restarts);
}

static void assert_first(json_t *a, json_t *b, int ra, int rb)
{
    CU_ASSERT_TRUE(ck_pod_delete_before(a, ra, b, rb, NOW));
    CU_ASSERT_FALSE(ck_pod_delete_before(b, rb, a, ra, NOW));
}

static void test_ranking(void)
{
    json_t *unsched = pod("u", "", "Pending", false, 0, 100, 0);
    json_t *pending = pod("p", "n1", "Pending", false, 0, 100, 0);
    json_t *unknown = pod("k", "n1", "Unknown", false, 0, 100, 0);
    json_t *notready = pod("nr", "n1", "Running", false, 0, 100, 0);
    json_t *ready = pod("r", "n1", "Running", true, 100, 100, 0);
    json_t *ready_new = pod("rn", "n1", "Running", true, 1, 100, 0);
    json_t *restarted = pod("rs", "n1", "Running", true, 100, 100, 5);
    json_t *young = pod("y", "n1", "Running", true, 100, 2, 0);
    assert_first(unsched, pending, 0, 0);   /* 1 */
    assert_first(pending, unknown, 0, 0);   /* 2 */
    assert_first(unknown, notready, 0, 0);
    assert_first(notready, ready, 0, 0);    /* 3 */
    assert_first(ready, ready, 3, 1);       /* 5: doubled-up first (same pod, different ranks) */
    assert_first(ready_new, ready, 0, 0);   /* 6: ready for less time */
    assert_first(restarted, ready, 0, 0);   /* 7 */
    assert_first(young, ready, 0, 0);       /* 8: newer first (same ready time) */
    /* 4: pod-deletion-cost beats everything after readiness */
    json_t *cheap = json_deep_copy(ready);
    ck_json_set(cheap, "metadata.annotations", json_pack("{s:s}", "controller.kubernetes.io/pod-deletion-cost", "-5"));
    assert_first(cheap, ready_new, 0, 3);
    /* getPodsToDelete picks the right two out of four */
    json_t *all = json_pack("[O,O,O,O]", ready, unsched, restarted, notready);
    json_t *del = ck_rs_pods_to_delete(all, NULL, 2, NOW);
    CU_ASSERT_EQUAL_FATAL(json_array_size(del), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(del, 0), "metadata.name", ""), "u");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(del, 1), "metadata.name", ""), "nr");
    json_decref(del);
    /* rank by related pods on the node: the pod sharing n1 with two others goes first */
    json_t *a = pod("a", "n1", "Running", true, 100, 100, 0), *b = pod("b", "n2", "Running", true, 100, 100, 0);
    json_t *two = json_pack("[O,O]", b, a), *related = json_pack("[O,O,O]", a, b, ready);
    del = ck_rs_pods_to_delete(two, related, 1, NOW);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(del, 0), "metadata.name", ""), "a");
    json_decref(del);
    json_t *objs[] = {unsched, pending, unknown, notready, ready, ready_new, restarted, young, cheap, all, a, b,
                      two, related};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) json_decref(objs[i]);
}

static json_t *rs_obj(void)
{
    return json_loads("{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\",\"uid\":\"u1\",\"generation\":4},"
                      "\"spec\":{\"replicas\":3,\"minReadySeconds\":10,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                      "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"fe\"},"
                      "\"annotations\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}",
                      0, NULL);
}

static void test_pod_from_template(void)
{
    json_t *rs = rs_obj();
    json_t *p = ck_rs_pod_from_template(rs, &CK_RS_KIND_REPLICASET);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.generateName", ""), "web-");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.namespace", ""), "ns");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.labels.tier", ""), "fe");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "metadata.annotations.a", ""), "b");
    CU_ASSERT_EQUAL(json_array_size(ck_json_path(p, "spec.containers")), 1);
    json_t *ref = ck_controller_ref(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    CU_ASSERT_STRING_EQUAL(ck_json_str(ref, "kind", ""), "ReplicaSet");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ref, "apiVersion", ""), "apps/v1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ref, "uid", ""), "u1");
    CU_ASSERT_TRUE(ck_json_bool(ref, "blockOwnerDeletion", false));
    json_decref(p);
    p = ck_rs_pod_from_template(rs, &CK_RS_KIND_RC);
    CU_ASSERT_STRING_EQUAL(ck_json_str(ck_controller_ref(p), "apiVersion", ""), "v1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ck_controller_ref(p), "kind", ""), "ReplicationController");
    json_decref(p);
    json_decref(rs);
}

static void test_status(void)
{
    json_t *rs = rs_obj();
    json_t *full = pod("a", "n1", "Running", true, 100, 100, 0);  /* ready 100s: available */
    json_t *fresh = pod("b", "n1", "Running", true, 5, 100, 0);   /* ready 5s < minReadySeconds 10 */
    json_t *notready = pod("c", "n1", "Running", false, 0, 100, 0);
    ck_json_set(full, "metadata.labels.tier", json_string("fe"));
    json_t *pods = json_pack("[o,o,o]", full, fresh, notready);
    json_t *st = ck_rs_calculate_status(rs, pods, NULL, NOW);
    CU_ASSERT_EQUAL(ck_json_int(st, "replicas", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(st, "fullyLabeledReplicas", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(st, "readyReplicas", -1), 2);
    CU_ASSERT_EQUAL(ck_json_int(st, "availableReplicas", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(st, "observedGeneration", -1), 4);
    CU_ASSERT_TRUE(ck_rs_status_changed(json_object_get(rs, "status"), st));
    json_t *same = json_deep_copy(st);
    CU_ASSERT_FALSE(ck_rs_status_changed(same, st));
    json_decref(same);
    json_decref(st);
    /* a failed create adds ReplicaFailure/FailedCreate (3 pods < 5 wanted); success removes it */
    ck_json_set(rs, "spec.replicas", json_integer(5));
    st = ck_rs_calculate_status(rs, pods, "pods \"x\" is forbidden", NOW);
    json_t *c = json_array_get(json_object_get(st, "conditions"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "type", ""), "ReplicaFailure");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "reason", ""), "FailedCreate");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "message", ""), "pods \"x\" is forbidden");
    json_object_set(rs, "status", st);
    json_decref(st);
    /* while creation keeps failing (403 exceeded quota) the one condition stays, time unchanged */
    st = ck_rs_calculate_status(rs, pods, "pods \"y\" is forbidden: exceeded quota: condition-test", NOW);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(st, "conditions")), 1);
    CU_ASSERT_FALSE(ck_rs_status_changed(json_object_get(rs, "status"), st));
    json_decref(st);
    st = ck_rs_calculate_status(rs, pods, NULL, NOW);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(st, "conditions")), 0);
    CU_ASSERT_TRUE(ck_rs_status_changed(json_object_get(rs, "status"), st));
    json_decref(st);
    json_decref(pods);
    json_decref(rs);
}

static int calls, fail_at;
static int counting(void *ud) { (void)ud; return ++calls == fail_at ? -1 : 0; }

static void test_slow_start(void)
{
    calls = 0, fail_at = -1;
    CU_ASSERT_EQUAL(ck_slow_start_batch(10, 1, counting, NULL), 10);
    CU_ASSERT_EQUAL(calls, 10);
    /* batches 1,2,4,3: a failure in the third batch (calls 4..7) stops after it */
    calls = 0, fail_at = 5;
    CU_ASSERT_EQUAL(ck_slow_start_batch(10, 1, counting, NULL), 6);
    CU_ASSERT_EQUAL(calls, 7);
    calls = 0, fail_at = 1;
    CU_ASSERT_EQUAL(ck_slow_start_batch(10, 1, counting, NULL), 0);
    CU_ASSERT_EQUAL(calls, 1);
    calls = 0;
    CU_ASSERT_EQUAL(ck_slow_start_batch(0, 1, counting, NULL), 0);
    CU_ASSERT_EQUAL(calls, 0);
}

static void test_expectations(void)
{
    ck_expectations *e = ck_expectations_new();
    CU_ASSERT_TRUE(ck_expectations_satisfied(e, "ns/a", NOW));
    ck_expectations_expect_creations(e, "ns/a", 2, NOW);
    CU_ASSERT_FALSE(ck_expectations_satisfied(e, "ns/a", NOW));
    ck_expectations_creation_observed(e, "ns/a");
    CU_ASSERT_FALSE(ck_expectations_satisfied(e, "ns/a", NOW));
    ck_expectations_creation_observed(e, "ns/a");
    CU_ASSERT_TRUE(ck_expectations_satisfied(e, "ns/a", NOW));
    const char *pods[] = {"ns/p1", "ns/p2"};
    ck_expectations_expect_deletions(e, "ns/a", pods, 2, NOW);
    ck_expectations_deletion_observed(e, "ns/a", "ns/p1");
    ck_expectations_deletion_observed(e, "ns/a", "ns/p1"); /* repeats don't count */
    ck_expectations_deletion_observed(e, "ns/a", "ns/zz");
    CU_ASSERT_FALSE(ck_expectations_satisfied(e, "ns/a", NOW));
    CU_ASSERT_TRUE(ck_expectations_satisfied(e, "ns/a", NOW + CK_EXPECTATIONS_TIMEOUT_S + 1)); /* expired */
    ck_expectations_deletion_observed(e, "ns/a", "ns/p2");
    CU_ASSERT_TRUE(ck_expectations_satisfied(e, "ns/a", NOW));
    ck_expectations_expect_creations(e, "ns/a", 3, NOW);
    ck_expectations_lower(e, "ns/a", 3, 0);
    CU_ASSERT_TRUE(ck_expectations_satisfied(e, "ns/a", NOW));
    ck_expectations_expect_creations(e, "ns/a", 3, NOW);
    ck_expectations_delete(e, "ns/a");
    CU_ASSERT_TRUE(ck_expectations_satisfied(e, "ns/a", NOW));
    ck_expectations_free(e);
}

static void test_selectors(void)
{
    json_t *rc = json_loads("{\"spec\":{\"selector\":{\"app\":\"web\"}}}", 0, NULL);
    ck_label_selector *s = ck_rs_selector(rc, &CK_RS_KIND_RC);
    json_t *yes = json_pack("{s:s,s:s}", "app", "web", "x", "y"), *no = json_pack("{s:s}", "app", "db");
    CU_ASSERT_TRUE(ck_label_selector_matches(s, yes));
    CU_ASSERT_FALSE(ck_label_selector_matches(s, no));
    ck_label_selector_free(s);
    /* an RC without a selector selects its template's labels */
    json_t *bare = json_loads("{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"db\"}}}}}", 0, NULL);
    s = ck_rs_selector(bare, &CK_RS_KIND_RC);
    CU_ASSERT_FALSE(ck_label_selector_empty(s));
    CU_ASSERT_TRUE(ck_label_selector_matches(s, no));
    CU_ASSERT_FALSE(ck_label_selector_matches(s, yes));
    ck_label_selector_free(s);
    json_decref(bare);
    json_t *rs = rs_obj();
    s = ck_rs_selector(rs, &CK_RS_KIND_REPLICASET);
    CU_ASSERT_TRUE(ck_label_selector_matches(s, yes));
    CU_ASSERT_FALSE(ck_label_selector_matches(s, no));
    ck_label_selector_free(s);
    json_t *p = pod("x", "", "Running", true, 1, 1, 0);
    CU_ASSERT_TRUE(ck_pod_is_active(p));
    ck_json_set(p, "metadata.deletionTimestamp", json_string("2026-01-01T00:00:00Z"));
    CU_ASSERT_FALSE(ck_pod_is_active(p));
    json_object_del(json_object_get(p, "metadata"), "deletionTimestamp");
    ck_json_set(p, "status.phase", json_string("Succeeded"));
    CU_ASSERT_FALSE(ck_pod_is_active(p));
    json_decref(p);
    json_decref(rs);
    json_decref(rc);
    json_decref(yes);
    json_decref(no);
}

int main(void)
{
    static const ck_test tests[] = {
        {"delete ranking as ActivePodsWithRanks", test_ranking},
        {"pod from template with controller ref", test_pod_from_template},
        {"status counts", test_status},
        {"slow start batches", test_slow_start},
        {"expectations", test_expectations},
        {"selectors and active pods", test_selectors},
        {NULL, NULL},
    };
    return ck_test_main("replicaset", tests, NULL, NULL);
}
