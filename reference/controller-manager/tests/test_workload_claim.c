/* test_workload_claim.c: ControllerRefManager.ClaimPods decisions
 * (controller_ref_manager_test.go), the Job's podFailurePolicy matching
 * (pod_failure_policy_test.go) and StatefulSet partition revisions
 * (newVersionedStatefulSetPod, ApplyRevision). */
#include <string.h>
#include "controller-manager/job_logic.h"
#include "controller-manager/statefulset_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *job(void)
{
    json_t *j = json_pack("{s:{s:s,s:s,s:s},s:{s:{s:{s:s}}}}", "metadata", "name", "j", "namespace", "ns", "uid",
                          "J1", "spec", "selector", "matchLabels", "job", "j");
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

static json_t *pod(const char *label, const char *owner_uid)
{
    json_t *p = json_pack("{s:{s:s,s:s,s:o}}", "metadata", "name", "p", "namespace", "ns", "labels",
                          label ? json_pack("{s:s}", "job", label) : json_object());
    if (owner_uid)
        ck_json_set(p, "metadata.ownerReferences",
                    json_pack("[{s:s,s:s,s:s,s:b}]", "kind", "Job", "name", "x", "uid", owner_uid, "controller", 1));
    return p;
}

static void test_claim(void)
{
    json_t *j = job();
    char err[64];
    ck_label_selector *sel = ck_label_selector_from_json(ck_json_path(j, "spec.selector"), err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sel);
    static const struct { const char *label, *owner; bool deleting_pod, deleting_owner; ck_wl_claim_action want; } C[] = {
        {"j", NULL, false, false, CK_CLAIM_ADOPT},      /* matching orphan */
        {"other", NULL, false, false, CK_CLAIM_IGNORE}, /* non-matching orphan */
        {"j", NULL, true, false, CK_CLAIM_IGNORE},      /* orphan being deleted */
        {"j", NULL, false, true, CK_CLAIM_IGNORE},      /* owner being deleted: no adoption */
        {"j", "J1", false, false, CK_CLAIM_KEEP},
        {NULL, "J1", false, false, CK_CLAIM_RELEASE},   /* ours, labels gone */
        {NULL, "J1", false, true, CK_CLAIM_IGNORE},     /* owner being deleted: no release */
        {"j", "OTHER", false, false, CK_CLAIM_IGNORE},  /* someone else's */
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        json_t *p = pod(C[i].label, C[i].owner), *o = json_deep_copy(j);
        if (C[i].deleting_pod) ck_json_set(p, "metadata.deletionTimestamp", json_string("2024-01-01T00:00:00Z"));
        if (C[i].deleting_owner) ck_json_set(o, "metadata.deletionTimestamp", json_string("2024-01-01T00:00:00Z"));
        CU_ASSERT_EQUAL(ck_wl_claim_decide(o, sel, p), C[i].want);
        json_decref(p);
        json_decref(o);
    }
    ck_label_selector_free(sel);
    json_decref(j);
}

static json_t *failed_pod(int exit_code, const char *cond)
{
    json_t *p = json_pack("{s:{s:s,s:s},s:{s:s,s:[{s:s,s:{s:{s:i}}}],s:[]}}", "metadata", "name", "p", "namespace",
                          "ns", "status", "phase", "Failed", "containerStatuses", "name", "c", "state", "terminated",
                          "exitCode", exit_code, "conditions");
    if (cond)
        json_array_append_new(ck_json_path(p, "status.conditions"), json_pack("{s:s,s:s}", "type", cond, "status", "True"));
    return p;
}

static void test_pod_failure_policy(void)
{
    json_t *j = job();
    ck_json_set(j, "spec.podFailurePolicy",
                json_pack("{s:[{s:s,s:[{s:s,s:s}]},{s:s,s:{s:s,s:[i,i]}}]}", "rules", "action", "Ignore",
                          "onPodConditions", "type", "DisruptionTarget", "status", "True", "action", "FailJob",
                          "onExitCodes", "operator", "In", "values", 1, 42));
    char msg[256];
    json_t *evicted = failed_pod(137, "DisruptionTarget"), *one = failed_pod(1, NULL), *two = failed_pod(2, NULL);
    const char *a = ck_job_pod_failure_action(j, evicted, msg, sizeof msg);
    CU_ASSERT(a && !strcmp(a, "Ignore"));
    a = ck_job_pod_failure_action(j, one, msg, sizeof msg);
    CU_ASSERT(a && !strcmp(a, "FailJob"));
    CU_ASSERT_STRING_EQUAL(msg, "Container c for pod ns/p failed with exit code 1 matching FailJob rule at index 1");
    CU_ASSERT_PTR_NULL(ck_job_pod_failure_action(j, two, msg, sizeof msg));

    /* Ignore: the evicted pods do not count towards backoffLimit 0 */
    ck_json_set(j, "spec.backoffLimit", json_integer(0));
    ck_json_set(j, "spec.completions", json_integer(3));
    ck_json_set(j, "spec.parallelism", json_integer(3));
    ck_json_set(j, "spec.template", json_pack("{s:{s:s}}", "spec", "restartPolicy", "Never"));
    json_t *pods = json_pack("[O,O]", evicted, evicted);
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, 1000, &p), 0);
    CU_ASSERT_PTR_NULL(ck_job_condition(p.status, "FailureTarget"));
    CU_ASSERT_EQUAL(ck_json_int(p.status, "failed", 0), 0);
    CU_ASSERT_EQUAL(p.create, 3);
    ck_job_plan_clear(&p);
    /* FailJob: the job fails with reason PodFailurePolicy */
    json_array_append(pods, one);
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, 1000, &p), 0);
    const json_t *ft = ck_job_condition(p.status, "FailureTarget");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ft, "reason", ""), "PodFailurePolicy");
    ck_job_plan_clear(&p);
    json_decref(pods);
    json_decref(evicted);
    json_decref(one);
    json_decref(two);
    json_decref(j);
}

static const char *image(const json_t *spec_holder, const char *containers_path)
{
    return ck_json_str(json_array_get(ck_json_path(spec_holder, containers_path), 0), "image", "");
}

static void test_sts_partition_revision(void)
{
    json_t *s = json_pack("{s:{s:s},s:{s:{s:s,s:{s:i}},s:{s:{s:[{s:s,s:s}]}}},s:{s:i}}", "metadata", "name", "ss",
                          "spec", "updateStrategy", "type", "RollingUpdate", "rollingUpdate", "partition", 2,
                          "template", "spec", "containers", "name", "c", "image", "new", "status", "currentReplicas", 3);
    CU_ASSERT_STRING_EQUAL(ck_sts_pod_revision(s, 0, "cur", "upd"), "cur");
    CU_ASSERT_STRING_EQUAL(ck_sts_pod_revision(s, 1, "cur", "upd"), "cur");
    CU_ASSERT_STRING_EQUAL(ck_sts_pod_revision(s, 2, "cur", "upd"), "upd");
    CU_ASSERT_STRING_EQUAL(ck_sts_pod_revision(s, 0, "", "upd"), "upd");
    /* no rollingUpdate: below status.currentReplicas */
    json_object_del(ck_json_path(s, "spec.updateStrategy"), "rollingUpdate");
    CU_ASSERT_STRING_EQUAL(ck_sts_pod_revision(s, 2, "cur", "upd"), "cur");
    CU_ASSERT_STRING_EQUAL(ck_sts_pod_revision(s, 3, "cur", "upd"), "upd");
    /* OnDelete: always the update revision */
    ck_json_set(s, "spec.updateStrategy.type", json_string("OnDelete"));
    CU_ASSERT_STRING_EQUAL(ck_sts_pod_revision(s, 0, "cur", "upd"), "upd");
    /* ApplyRevision: the revision's template replaces the set's */
    json_t *rev = json_pack("{s:{s:{s:{s:{s:[{s:s,s:s}]},s:s}}}}", "data", "spec", "template", "spec", "containers",
                            "name", "c", "image", "old", "$patch", "replace");
    json_t *old = ck_sts_apply_revision(s, rev);
    CU_ASSERT_STRING_EQUAL(image(old, "spec.template.spec.containers"), "old");
    CU_ASSERT_PTR_NULL(ck_json_path(old, "spec.template.$patch"));
    CU_ASSERT_STRING_EQUAL(image(s, "spec.template.spec.containers"), "new");
    json_t *pod = ck_sts_new_pod(old, 0, "cur");
    CU_ASSERT_STRING_EQUAL(image(pod, "spec.containers"), "old");
    json_decref(pod);
    json_decref(old);
    json_decref(rev);
    json_decref(s);
}

int main(void)
{
    static const ck_test tests[] = {
        {"claim decisions", test_claim},
        {"pod failure policy", test_pod_failure_policy},
        {"statefulset partition revision", test_sts_partition_revision},
        {NULL, NULL},
    };
    return ck_test_main("workload_claim", tests, NULL, NULL);
}
