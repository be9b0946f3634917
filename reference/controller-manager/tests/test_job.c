/* test_job.c: Job decisions from upstream's behaviour (pkg/controller/job
 * job_controller_test.go): parallelism/completions, Indexed pods and
 * completedIndexes, backoffLimit, activeDeadlineSeconds, suspend, and the
 * 1.31 condition sequence SuccessCriteriaMet/FailureTarget -> Complete/Failed. */
#include <stdlib.h>
#include <string.h>
#include "controller-manager/job_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/timeutil.h"

static const time_t NOW = 1795605727;

static json_t *job(const char *extra_spec)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"metadata\":{\"name\":\"pi\",\"namespace\":\"ns\",\"uid\":\"j1\"},\"spec\":{%s%s"
             "\"template\":{\"metadata\":{\"labels\":{\"app\":\"pi\"}},\"spec\":{\"restartPolicy\":\"Never\","
             "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}",
             extra_spec, *extra_spec ? "," : "");
    json_t *j = json_loads(buf, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

static json_t *pod(const char *name, const char *phase, bool ready, int index)
{
    json_t *p = json_pack("{s:{s:s,s:s,s:{}},s:{s:s,s:[{s:s,s:s}]}}", "metadata", "name", name, "namespace", "ns",
                          "annotations", "status", "phase", phase, "conditions", "type", "Ready", "status",
                          ready ? "True" : "False");
    if (index >= 0) {
        char s[16];
        snprintf(s, sizeof s, "%d", index);
        json_object_set_new(ck_json_path(p, "metadata.annotations"), CK_JOB_INDEX_KEY, json_string(s));
    }
    return p;
}

static const char *cond_reason(const json_t *st, const char *type)
{
    const json_t *c = ck_job_condition(st, type);
    return c ? ck_json_str(c, "reason", "") : NULL;
}

static void test_parallelism_completions(void)
{
    json_t *j = job("\"completions\":3,\"parallelism\":2"), *pods = json_array();
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_EQUAL(p.create, 2);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(p.status, "startTime"));
    CU_ASSERT_EQUAL(ck_json_int(p.status, "ready", -1), 0);
    ck_job_plan_clear(&p);
    /* two succeeded: only one more is needed */
    json_array_append_new(pods, pod("a", "Succeeded", false, -1));
    json_array_append_new(pods, pod("b", "Succeeded", false, -1));
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_EQUAL(p.create, 1);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "succeeded", 0), 2);
    ck_job_plan_clear(&p);
    /* one running and ready: nothing to do, active 1 ready 1 */
    json_array_append_new(pods, pod("c", "Running", true, -1));
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_EQUAL(p.create, 0);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "active", 0), 1);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "ready", 0), 1);
    CU_ASSERT_PTR_NULL(p.ev_type);
    ck_job_plan_clear(&p);
    /* third succeeds: SuccessCriteriaMet and Complete in the same sync (nothing active) */
    json_object_set_new(ck_json_path(json_array_get(pods, 2), "status"), "phase", json_string("Succeeded"));
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_STRING_EQUAL(cond_reason(p.status, "SuccessCriteriaMet"), "CompletionsReached");
    CU_ASSERT_STRING_EQUAL(cond_reason(p.status, "Complete"), "CompletionsReached");
    CU_ASSERT_PTR_NOT_NULL(json_object_get(p.status, "completionTime"));
    CU_ASSERT_STRING_EQUAL(p.ev_reason, "Completed");
    CU_ASSERT_STRING_EQUAL(p.ev_msg, "Job completed");
    CU_ASSERT_EQUAL(ck_json_int(p.status, "succeeded", 0), 3);
    CU_ASSERT_FALSE(json_object_get(p.status, "active") != NULL);
    ck_job_plan_clear(&p);
    json_decref(pods);
    json_decref(j);
}

static void test_work_queue(void)
{
    /* completions unset: parallelism pods; once one succeeded no new pods,
     * and complete when none is active */
    json_t *j = job("\"parallelism\":3"), *pods = json_pack("[o,o]", pod("a", "Succeeded", false, -1),
                                                           pod("b", "Running", false, -1));
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_EQUAL(p.create, 0);
    CU_ASSERT_PTR_NULL(ck_job_condition(p.status, "Complete"));
    ck_job_plan_clear(&p);
    json_array_remove(pods, 1);
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_PTR_NOT_NULL(ck_job_condition(p.status, "Complete"));
    ck_job_plan_clear(&p);
    json_decref(pods);
    json_decref(j);
}

static void test_backoff_limit(void)
{
    json_t *j = job("\"backoffLimit\":1"), *pods = json_pack("[o]", pod("a", "Failed", false, -1));
    ck_job_plan p;
    /* failed 1 is not > backoffLimit 1: replace the pod */
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_EQUAL(p.create, 1);
    CU_ASSERT_EQUAL(ck_json_int(p.status, "failed", 0), 1);
    ck_job_plan_clear(&p);
    /* second failure while another pod still runs: FailureTarget, delete the running pod, no Failed yet */
    json_array_append_new(pods, pod("b", "Failed", false, -1));
    json_array_append_new(pods, pod("c", "Running", false, -1));
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_STRING_EQUAL(cond_reason(p.status, "FailureTarget"), "BackoffLimitExceeded");
    CU_ASSERT_PTR_NULL(ck_job_condition(p.status, "Failed"));
    CU_ASSERT_EQUAL(json_array_size(p.to_delete), 1);
    CU_ASSERT_EQUAL(p.create, 0);
    /* next sync, the pod is gone: Failed with the target's reason and the event */
    json_t *j2 = json_deep_copy(j);
    json_object_set(j2, "status", p.status);
    ck_job_plan_clear(&p);
    json_array_remove(pods, 2);
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j2, pods, NOW, &p), 0);
    CU_ASSERT_STRING_EQUAL(cond_reason(p.status, "Failed"), "BackoffLimitExceeded");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ck_job_condition(p.status, "Failed"), "message", ""),
                           "Job has reached the specified backoff limit");
    CU_ASSERT_STRING_EQUAL(p.ev_type, "Warning");
    CU_ASSERT_STRING_EQUAL(p.ev_reason, "BackoffLimitExceeded");
    CU_ASSERT_PTR_NULL(json_object_get(p.status, "completionTime"));
    ck_job_plan_clear(&p);
    json_decref(j2);
    json_decref(pods);
    json_decref(j);
}

static void test_on_failure_restarts(void)
{
    json_t *j = job("\"backoffLimit\":2"), *pods = json_pack("[o]", pod("a", "Running", false, -1));
    ck_json_set(j, "spec.template.spec.restartPolicy", json_string("OnFailure"));
    ck_json_set(json_array_get(pods, 0), "status.containerStatuses", json_pack("[{s:i}]", "restartCount", 2));
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_STRING_EQUAL(cond_reason(p.status, "FailureTarget"), "BackoffLimitExceeded");
    ck_job_plan_clear(&p);
    json_decref(pods);
    json_decref(j);
}

static void test_active_deadline(void)
{
    json_t *j = job("\"activeDeadlineSeconds\":10"), *pods = json_array();
    char ts[CK_TIME_LEN];
    ck_json_set(j, "status", json_pack("{s:s}", "startTime", ck_time_format(NOW - 4, ts)));
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_EQUAL(p.create, 1);
    CU_ASSERT(p.requeue_ms > 5000 && p.requeue_ms <= 6100);
    ck_job_plan_clear(&p);
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW + 6, &p), 0);
    CU_ASSERT_STRING_EQUAL(cond_reason(p.status, "Failed"), "DeadlineExceeded");
    CU_ASSERT_STRING_EQUAL(p.ev_reason, "DeadlineExceeded");
    CU_ASSERT_STRING_EQUAL(p.ev_msg, "Job was active longer than specified deadline");
    CU_ASSERT_EQUAL(p.create, 0);
    ck_job_plan_clear(&p);
    json_decref(pods);
    json_decref(j);
}

static void test_suspend(void)
{
    json_t *j = job("\"suspend\":true,\"parallelism\":2"), *pods = json_pack("[o]", pod("a", "Running", true, -1));
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_STRING_EQUAL(cond_reason(p.status, "Suspended"), "JobSuspended");
    CU_ASSERT_EQUAL(json_array_size(p.to_delete), 1);
    CU_ASSERT_EQUAL(p.create, 0);
    CU_ASSERT_STRING_EQUAL(p.ev_reason, "Suspended");
    /* resumed: condition False JobResumed, startTime reset, pods created */
    json_t *j2 = json_deep_copy(j);
    json_object_set(j2, "status", p.status);
    ck_job_plan_clear(&p);
    ck_json_set(j2, "spec.suspend", json_false());
    json_array_clear(pods);
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j2, pods, NOW + 60, &p), 0);
    CU_ASSERT_PTR_NULL(ck_job_condition(p.status, "Suspended"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(json_object_get(p.status, "conditions"), 0), "reason", ""),
                           "JobResumed");
    CU_ASSERT_EQUAL(ck_time_parse(ck_json_str(p.status, "startTime", "")), NOW + 60);
    CU_ASSERT_EQUAL(p.create, 2);
    ck_job_plan_clear(&p);
    json_decref(j2);
    json_decref(pods);
    json_decref(j);
}

static void test_indexed(void)
{
    json_t *j = job("\"completions\":5,\"parallelism\":3,\"completionMode\":\"Indexed\"");
    json_t *pods = json_pack("[o,o,o]", pod("p0", "Succeeded", false, 0), pod("p2", "Running", false, 2),
                             pod("p3", "Succeeded", false, 3));
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    /* 3 remaining (1,2,4), parallelism 3, one active (2): create 1 and 4 */
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.indexes), 2);
    CU_ASSERT_EQUAL(json_integer_value(json_array_get(p.indexes, 0)), 1);
    CU_ASSERT_EQUAL(json_integer_value(json_array_get(p.indexes, 1)), 4);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "completedIndexes", ""), "0,3");
    CU_ASSERT_EQUAL(ck_json_int(p.status, "succeeded", 0), 2);
    ck_job_plan_clear(&p);
    bool f[] = {true, true, true, false, true, false, true, true};
    char buf[64];
    ck_job_format_indexes(f, 8, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0-2,4,6-7");
    /* the pod of index 4 */
    json_t *pd = ck_job_new_pod(j, 4);
    CU_ASSERT_STRING_EQUAL(ck_json_str(pd, "metadata.generateName", ""), "pi-4-");
    CU_ASSERT_STRING_EQUAL(ck_json_str(pd, "spec.hostname", ""), "pi-4");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ck_json_path(pd, "metadata.annotations"), CK_JOB_INDEX_KEY)), "4");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ck_json_path(pd, "metadata.labels"), "job-name")), "pi");
    json_t *env = json_array_get(ck_json_path(json_array_get(ck_json_path(pd, "spec.containers"), 0), "env"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(env, "name", ""), "JOB_COMPLETION_INDEX");
    CU_ASSERT_STRING_EQUAL(ck_json_str(env, "valueFrom.fieldRef.fieldPath", ""),
                           "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ck_json_path(pd, "metadata.ownerReferences"), 0), "kind", ""), "Job");
    json_decref(pd);
    pd = ck_job_new_pod(j, -1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(pd, "metadata.generateName", ""), "pi-");
    CU_ASSERT_PTR_NULL(ck_json_path(pd, "spec.hostname"));
    json_decref(pd);
    json_decref(pods);
    json_decref(j);
}

static void test_scale_down(void)
{
    /* parallelism lowered to 1 with 3 running: delete 2, the not-ready first */
    json_t *j = job("\"parallelism\":1,\"completions\":5");
    json_t *pods = json_pack("[o,o,o]", pod("a", "Running", true, -1), pod("b", "Pending", false, -1),
                             pod("c", "Running", true, -1));
    ck_job_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_job_plan_compute(j, pods, NOW, &p), 0);
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.to_delete), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 0), "metadata.name", ""), "b");
    ck_job_plan_clear(&p);
    json_decref(pods);
    json_decref(j);
}

int main(void)
{
    static const ck_test tests[] = {{"parallelism and completions", test_parallelism_completions},
                                    {"work queue (no completions)", test_work_queue},
                                    {"backoffLimit and FailureTarget", test_backoff_limit},
                                    {"OnFailure restarts count", test_on_failure_restarts},
                                    {"activeDeadlineSeconds", test_active_deadline},
                                    {"suspend and resume", test_suspend},
                                    {"Indexed", test_indexed},
                                    {"scale down", test_scale_down},
                                    {NULL, NULL}};
    return ck_test_main("job", tests, NULL, NULL);
}
