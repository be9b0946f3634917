/* test_disruption.c: PodDisruptionBudget status as upstream's
 * disruption_test.go expects: minAvailable int / percent, maxUnavailable
 * int / percent against the controllers' scale, disrupted pods, the
 * DisruptionAllowed condition and the failSafe. */
#include <string.h>
#include "controller-manager/disruption_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/timeutil.h"

static json_t *pod(const char *name, bool ready, const char *owner_uid)
{
    json_t *p = json_pack("{s:{s:s,s:s},s:{s:s,s:[{s:s,s:s}]}}", "metadata", "name", name, "namespace", "ns",
                          "status", "phase", "Running", "conditions", "type", "Ready", "status",
                          ready ? "True" : "False");
    if (owner_uid)
        ck_json_set(p, "metadata.ownerReferences",
                    json_pack("[{s:s,s:s,s:s,s:b}]", "kind", "ReplicaSet", "name", "rs", "uid", owner_uid,
                              "controller", true));
    return p;
}

static json_t *pdb(const char *field, json_t *value)
{
    json_t *p = json_pack("{s:{s:s,s:s,s:i},s:{s:{}}}", "metadata", "name", "b", "namespace", "ns", "generation", 3,
                          "spec", "selector");
    ck_json_set(p, field, value);
    return p;
}

static json_t *pods3(void)
{
    return json_pack("[o,o,o]", pod("a", true, "rs1"), pod("b", true, "rs1"), pod("c", false, "rs1"));
}

static void test_min_available_int(void)
{
    json_t *p = pdb("spec.minAvailable", json_integer(1)), *pods = pods3(), *sc = json_object();
    long exp, des;
    CU_ASSERT_FALSE(ck_pdb_needs_scale(p));
    CU_ASSERT_EQUAL(ck_pdb_expected(p, pods, sc, &exp, &des, NULL, 0), 0);
    CU_ASSERT_EQUAL(exp, 3);
    CU_ASSERT_EQUAL(des, 1);
    json_t *dis = json_object();
    long cur = ck_pdb_current_healthy(pods, dis, time(NULL));
    CU_ASSERT_EQUAL(cur, 2);
    json_t *st = ck_pdb_status(p, cur, des, exp, dis, time(NULL));
    CU_ASSERT_EQUAL(ck_json_int(st, "disruptionsAllowed", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(st, "currentHealthy", -1), 2);
    CU_ASSERT_EQUAL(ck_json_int(st, "desiredHealthy", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(st, "expectedPods", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(st, "observedGeneration", -1), 3);
    json_t *c = json_array_get(json_object_get(st, "conditions"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "type", ""), "DisruptionAllowed");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "status", ""), "True");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "reason", ""), "SufficientPods");
    json_decref(st);
    st = ck_pdb_status(p, 1, 1, 3, dis, time(NULL));
    c = json_array_get(json_object_get(st, "conditions"), 0);
    CU_ASSERT_EQUAL(ck_json_int(st, "disruptionsAllowed", -1), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "reason", ""), "InsufficientPods");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "status", ""), "False");
    json_decref(st);
    st = ck_pdb_status(p, 2, 0, 0, dis, time(NULL));  /* no expected pods: never allowed */
    CU_ASSERT_EQUAL(ck_json_int(st, "disruptionsAllowed", -1), 0);
    json_decref(st), json_decref(dis), json_decref(sc), json_decref(pods), json_decref(p);
}

static void test_percent_and_max_unavailable(void)
{
    json_t *pods = pods3(), *sc = json_pack("{s:{s:s,s:i}}", "rs1", "uid", "dep1", "replicas", 4);
    long exp, des;
    json_t *p = pdb("spec.minAvailable", json_string("50%"));
    CU_ASSERT_TRUE(ck_pdb_needs_scale(p));
    CU_ASSERT_EQUAL(ck_pdb_expected(p, pods, sc, &exp, &des, NULL, 0), 0);
    CU_ASSERT_EQUAL(exp, 4);  /* the controller's scale, not the pod count */
    CU_ASSERT_EQUAL(des, 2);
    json_decref(p);
    p = pdb("spec.maxUnavailable", json_integer(1));
    CU_ASSERT_EQUAL(ck_pdb_expected(p, pods, sc, &exp, &des, NULL, 0), 0);
    CU_ASSERT_EQUAL(des, 3);
    json_decref(p);
    p = pdb("spec.maxUnavailable", json_string("30%"));  /* rounded up: 2 */
    CU_ASSERT_EQUAL(ck_pdb_expected(p, pods, sc, &exp, &des, NULL, 0), 0);
    CU_ASSERT_EQUAL(des, 2);
    json_decref(p);
    p = pdb("spec.maxUnavailable", json_integer(9));
    CU_ASSERT_EQUAL(ck_pdb_expected(p, pods, sc, &exp, &des, NULL, 0), 0);
    CU_ASSERT_EQUAL(des, 0);
    /* a pod without a controller fails */
    json_array_append_new(pods, pod("orphan", true, NULL));
    char err[256] = "";
    CU_ASSERT_EQUAL(ck_pdb_expected(p, pods, sc, &exp, &des, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "found no controller ref for pod \"orphan\"");
    json_array_remove(pods, 3);
    json_array_append_new(pods, pod("x", true, "rs-unknown"));
    CU_ASSERT_EQUAL(ck_pdb_expected(p, pods, sc, &exp, &des, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "found no controllers for pod \"x\"");
    json_t *fs = ck_pdb_failsafe_status(p, err, time(NULL));
    CU_ASSERT_EQUAL(ck_json_int(fs, "disruptionsAllowed", -1), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(json_object_get(fs, "conditions"), 0), "reason", ""), "SyncFailed");
    json_decref(fs), json_decref(p), json_decref(sc), json_decref(pods);
}

static void test_disrupted_pods(void)
{
    time_t now = time(NULL);
    char recent[32], old[32];
    ck_time_format(now - 10, recent);
    ck_time_format(now - 600, old);
    json_t *pods = pods3();
    json_t *p = pdb("status.disruptedPods", json_pack("{s:s,s:s,s:s}", "a", recent, "b", old, "gone", recent));
    time_t recheck;
    json_t *d = ck_pdb_disrupted(p, pods, now, &recheck);
    CU_ASSERT_EQUAL(json_object_size(d), 1);  /* b expired, gone absent */
    CU_ASSERT_PTR_NOT_NULL(json_object_get(d, "a"));
    CU_ASSERT_EQUAL(recheck, now - 10 + CK_PDB_DELETION_TIMEOUT_S);
    CU_ASSERT_EQUAL(ck_pdb_current_healthy(pods, d, now), 1);  /* a is being evicted, c not ready */
    ck_json_set(json_array_get(pods, 1), "metadata.deletionTimestamp", json_string(recent));
    CU_ASSERT_EQUAL(ck_pdb_current_healthy(pods, d, now), 0);
    json_t *st = ck_pdb_status(p, 0, 0, 3, d, now);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(st, "disruptedPods"), "a"));
    json_decref(st), json_decref(d), json_decref(p), json_decref(pods);
}

static void test_condition_transition(void)
{
    time_t now = time(NULL);
    json_t *p = pdb("spec.minAvailable", json_integer(1)), *d = json_object();
    json_t *st = ck_pdb_status(p, 2, 1, 2, d, now - 100);
    json_object_set(p, "status", st);
    CU_ASSERT_TRUE(ck_pdb_status_equal(p, st));
    json_t *st2 = ck_pdb_status(p, 2, 1, 2, d, now);  /* unchanged: same time */
    CU_ASSERT_TRUE(ck_pdb_status_equal(p, st2));
    json_t *st3 = ck_pdb_status(p, 1, 1, 2, d, now);  /* flips: new time */
    CU_ASSERT_FALSE(ck_pdb_status_equal(p, st3));
    CU_ASSERT_STRING_NOT_EQUAL(ck_json_str(json_array_get(json_object_get(st3, "conditions"), 0), "lastTransitionTime", ""),
                               ck_json_str(json_array_get(json_object_get(st, "conditions"), 0), "lastTransitionTime", ""));
    json_decref(st), json_decref(st2), json_decref(st3), json_decref(d), json_decref(p);
}

int main(void)
{
    static const ck_test tests[] = {
        {"minAvailable int", test_min_available_int},
        {"minAvailable percent, maxUnavailable, scale errors", test_percent_and_max_unavailable},
        {"disruptedPods and currentHealthy", test_disrupted_pods},
        {"DisruptionAllowed lastTransitionTime", test_condition_transition},
        {NULL, NULL},
    };
    return ck_test_main("disruption", tests, NULL, NULL);
}
