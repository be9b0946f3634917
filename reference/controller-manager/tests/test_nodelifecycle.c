/* test_nodelifecycle.c: node conditions after missed heartbeats, taints
 * from conditions, and NoExecute toleration arithmetic, as upstream's
 * node_lifecycle_controller_test.go and tainteviction tests expect. */
#include <string.h>
#include "controller-manager/nodelifecycle_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/timeutil.h"

static const time_t NOW = 1795605727; /* 2026-11-25T11:22:07Z */

static json_t *node(const char *ready)
{
    return json_pack("{s:{s:s,s:s},s:{},s:{s:[{s:s,s:s,s:s,s:s}]}}", "metadata", "name", "n", "creationTimestamp",
                     "2026-01-01T00:00:00Z", "spec", "status", "conditions", "type", "Ready", "status", ready,
                     "lastHeartbeatTime", "2026-01-01T00:00:00Z", "reason", "KubeletReady");
}

static json_t *cond(const json_t *n, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(n, "status.conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), type)) return c;
    return NULL;
}

static void test_mark_unknown(void)
{
    json_t *n = node("True");
    CU_ASSERT_TRUE(ck_nl_mark_unknown(n, "2026-11-25T11:22:07Z"));
    json_t *r = cond(n, "Ready");
    CU_ASSERT_STRING_EQUAL(ck_json_str(r, "status", ""), "Unknown");
    CU_ASSERT_STRING_EQUAL(ck_json_str(r, "reason", ""), "NodeStatusUnknown");
    CU_ASSERT_STRING_EQUAL(ck_json_str(r, "message", ""), "Kubelet stopped posting node status.");
    CU_ASSERT_STRING_EQUAL(ck_json_str(r, "lastHeartbeatTime", ""), "2026-01-01T00:00:00Z"); /* kept */
    CU_ASSERT_STRING_EQUAL(ck_json_str(r, "lastTransitionTime", ""), "2026-11-25T11:22:07Z");
    json_t *m = cond(n, "MemoryPressure");
    CU_ASSERT_STRING_EQUAL(ck_json_str(m, "reason", ""), "NodeStatusNeverUpdated");
    CU_ASSERT_PTR_NOT_NULL(cond(n, "DiskPressure"));
    CU_ASSERT_PTR_NOT_NULL(cond(n, "PIDPressure"));
    CU_ASSERT_FALSE(ck_nl_mark_unknown(n, "2026-11-25T11:23:07Z"));  /* already Unknown */
    json_decref(n);
}

static bool has(const json_t *taints, const char *key, const char *effect)
{
    size_t i;
    json_t *t;
    json_array_foreach(taints, i, t)
        if (!strcmp(ck_json_str(t, "key", ""), key) && !strcmp(ck_json_str(t, "effect", ""), effect)) return true;
    return false;
}

static void test_taints(void)
{
    json_t *n = node("Unknown");
    ck_json_set(n, "spec.taints", json_pack("[{s:s,s:s}]", "key", "user", "effect", "NoSchedule"));
    json_t *t = ck_nl_desired_taints(n, "2026-11-25T11:22:07Z");
    CU_ASSERT_EQUAL(json_array_size(t), 3);
    CU_ASSERT_TRUE(has(t, "user", "NoSchedule"));
    CU_ASSERT_TRUE(has(t, CK_TAINT_UNREACHABLE, "NoExecute"));
    CU_ASSERT_TRUE(has(t, CK_TAINT_UNREACHABLE, "NoSchedule"));
    CU_ASSERT_FALSE(ck_nl_taints_equal(ck_json_path(n, "spec.taints"), t));
    /* applied, then Ready=False: unreachable swaps for not-ready */
    ck_json_set(n, "spec.taints", t);
    ck_json_set(json_array_get(ck_json_path(n, "status.conditions"), 0), "status", json_string("False"));
    t = ck_nl_desired_taints(n, "2026-11-25T11:30:00Z");
    CU_ASSERT_TRUE(has(t, CK_TAINT_NOT_READY, "NoExecute"));
    CU_ASSERT_FALSE(has(t, CK_TAINT_UNREACHABLE, "NoExecute"));
    json_decref(t);
    /* ready again, cordoned, memory pressure */
    ck_json_set(json_array_get(ck_json_path(n, "status.conditions"), 0), "status", json_string("True"));
    json_array_append_new(ck_json_path(n, "status.conditions"), json_pack("{s:s,s:s}", "type", "MemoryPressure", "status", "True"));
    ck_json_set(n, "spec.unschedulable", json_true());
    t = ck_nl_desired_taints(n, "2026-11-25T11:30:00Z");
    CU_ASSERT_FALSE(has(t, CK_TAINT_NOT_READY, "NoExecute"));
    CU_ASSERT_TRUE(has(t, "node.kubernetes.io/memory-pressure", "NoSchedule"));
    CU_ASSERT_TRUE(has(t, "node.kubernetes.io/unschedulable", "NoSchedule"));
    CU_ASSERT_TRUE(has(t, "user", "NoSchedule"));
    json_decref(t);
    /* an existing NoExecute taint keeps its timeAdded */
    ck_json_set(json_array_get(ck_json_path(n, "status.conditions"), 0), "status", json_string("Unknown"));
    ck_json_set(n, "spec.taints", json_pack("[{s:s,s:s,s:s}]", "key", CK_TAINT_UNREACHABLE, "effect", "NoExecute",
                                            "timeAdded", "2026-11-25T10:00:00Z"));
    t = ck_nl_desired_taints(n, "2026-11-25T11:30:00Z");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(t, 0), "timeAdded", ""), "2026-11-25T10:00:00Z");
    json_decref(t);
    json_decref(n);
}

static void test_eviction(void)
{
    char added[CK_TIME_LEN];
    ck_time_format(NOW - 100, added);
    json_t *taints = json_pack("[{s:s,s:s,s:s}]", "key", CK_TAINT_UNREACHABLE, "effect", "NoExecute", "timeAdded", added);
    json_t *none = json_pack("{s:{}}", "spec");
    json_t *t300 = json_loads("{\"spec\":{\"tolerations\":[{\"key\":\"node.kubernetes.io/unreachable\","
                              "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]}}", 0, NULL);
    json_t *t60 = json_loads("{\"spec\":{\"tolerations\":[{\"key\":\"node.kubernetes.io/unreachable\","
                             "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":60}]}}", 0, NULL);
    json_t *forever = json_loads("{\"spec\":{\"tolerations\":[{\"operator\":\"Exists\"}]}}", 0, NULL);
    json_t *other = json_loads("{\"spec\":{\"tolerations\":[{\"key\":\"x\",\"operator\":\"Exists\"}]}}", 0, NULL);
    CU_ASSERT_EQUAL(ck_nl_min_toleration(none, taints), 0);     /* not tolerated */
    CU_ASSERT_EQUAL(ck_nl_min_toleration(other, taints), 0);
    /* counted by the caller from when it sees the taint, not from timeAdded */
    CU_ASSERT_EQUAL(ck_nl_min_toleration(t300, taints), 300);
    CU_ASSERT_EQUAL(ck_nl_min_toleration(t60, taints), 60);
    CU_ASSERT_EQUAL(ck_nl_min_toleration(forever, taints), -1);
    json_t *noexec_none = json_array();
    CU_ASSERT_EQUAL(ck_nl_min_toleration(none, noexec_none), -1);
    /* GetMatchingTolerations uses the first toleration matching each taint:
     * a tolerate-forever one listed first hides a later tolerationSeconds */
    json_t *first = json_loads("{\"spec\":{\"tolerations\":[{\"operator\":\"Exists\"},{\"key\":"
                               "\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"tolerationSeconds\":5}]}}",
                               0, NULL);
    CU_ASSERT_EQUAL(ck_nl_min_toleration(first, taints), -1);
    /* two NoExecute taints: the smallest tolerationSeconds of the ones used */
    json_array_append_new(taints, json_pack("{s:s,s:s,s:s}", "key", "e2e", "value", "v", "effect", "NoExecute"));
    json_t *two = json_loads("{\"spec\":{\"tolerations\":[{\"key\":\"e2e\",\"value\":\"v\",\"effect\":\"NoExecute\","
                             "\"tolerationSeconds\":25},{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
                             "\"tolerationSeconds\":300}]}}", 0, NULL);
    CU_ASSERT_EQUAL(ck_nl_min_toleration(two, taints), 25);
    CU_ASSERT_EQUAL(ck_nl_min_toleration(t300, taints), 0);     /* e2e taint untolerated */
    json_decref(first);
    json_decref(two);
    /* ToleratesTaint: Equal needs value; effect must match when set */
    json_t *taint = json_pack("{s:s,s:s,s:s}", "key", "k", "value", "v", "effect", "NoExecute");
    json_t *eq = json_pack("{s:s,s:s,s:s}", "key", "k", "operator", "Equal", "value", "v");
    json_t *ne = json_pack("{s:s,s:s,s:s}", "key", "k", "operator", "Equal", "value", "w");
    json_t *eff = json_pack("{s:s,s:s,s:s}", "key", "k", "operator", "Exists", "effect", "NoSchedule");
    CU_ASSERT_TRUE(ck_nl_tolerates(eq, taint));
    CU_ASSERT_FALSE(ck_nl_tolerates(ne, taint));
    CU_ASSERT_FALSE(ck_nl_tolerates(eff, taint));
    json_t *objs[] = {taints, none, t300, t60, forever, other, noexec_none, taint, eq, ne, eff};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) json_decref(objs[i]);
}

int main(void)
{
    static const ck_test tests[] = {
        {"conditions Unknown after the grace period", test_mark_unknown},
        {"taints follow conditions", test_taints},
        {"NoExecute toleration arithmetic", test_eviction},
        {NULL, NULL},
    };
    return ck_test_main("nodelifecycle", tests, NULL, NULL);
}
