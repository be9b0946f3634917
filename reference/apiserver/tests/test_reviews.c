/* test_reviews.c: the h20 registry strategies driven in-process: reviews are
 * answered and never stored (no name needed, 406 for as=Table), Jobs get a
 * generated selector, status starts empty on create, the system
 * PriorityClasses bootstrap. */
#include "apiserver/bootstrap_priorityclasses.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* apitest.h helpers this file does not use */
#include "apitest.h"
#pragma GCC diagnostic pop
#include "util/cktest.h"

static const char *TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

static void test_self_subject_access_review(void)
{
    json_t *out = NULL;
    int code = call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                    "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                    "\"spec\":{\"resourceAttributes\":{\"verb\":\"create\",\"resource\":\"pods\"}}}", &out);
    CU_ASSERT_EQUAL(code, 201);
    CU_ASSERT_TRUE(json_is_true(ck_json_path(out, "status.allowed")));
    CU_ASSERT_PTR_NULL(ck_json_path(out, "metadata.uid"));
    json_decref(out);
    /* never stored: nothing to list */
    code = call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "{\"spec\":{}}", &out);
    CU_ASSERT_EQUAL(code, 422);
    json_decref(out);
    code = call_ex("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json", TABLE,
                   "{\"spec\":{\"nonResourceAttributes\":{\"path\":\"/\",\"verb\":\"get\"}}}", &out, NULL);
    CU_ASSERT_EQUAL(code, 406);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "reason", ""), "NotAcceptable");
    json_decref(out);
}

static void test_rules_and_whoami(void)
{
    json_t *out = NULL;
    int code = call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                    "{\"spec\":{\"namespace\":\"default\"}}", &out);
    CU_ASSERT_EQUAL(code, 201);
    json_t *rule = json_array_get(ck_json_path(out, "status.resourceRules"), 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(rule, "verbs"), 0)) ?: "", "*");
    CU_ASSERT_TRUE(json_is_false(ck_json_path(out, "status.incomplete")));
    json_decref(out);
    code = call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}", &out);
    CU_ASSERT_EQUAL(code, 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "status.userInfo.username", ""), "system:anonymous");
    json_decref(out);
    code = call("POST", "/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews",
                "{\"spec\":{\"user\":\"u\",\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\"}}}", &out);
    CU_ASSERT_EQUAL(code, 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "metadata.namespace", ""), "default");
    json_decref(out);
}

static void test_job_selector_and_status(void)
{
    json_t *out = NULL;
    int code = call("POST", "/apis/batch/v1/namespaces/default/jobs",
                    "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"pi\"},\"spec\":{\"template\":"
                    "{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}},"
                    "\"status\":{\"active\":3}}", &out);
    CU_ASSERT_EQUAL_FATAL(code, 201);
    const char *uid = ck_json_str(out, "metadata.uid", "?");
    const char *sel = json_string_value(json_object_get(ck_json_path(out, "spec.selector.matchLabels"),
                                                        "batch.kubernetes.io/controller-uid"));
    CU_ASSERT_TRUE(sel && !strcmp(sel, uid));
    json_t *labels = ck_json_path(out, "spec.template.metadata.labels");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, "batch.kubernetes.io/job-name")), "pi");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, "controller-uid")), uid);
    CU_ASSERT_EQUAL(json_object_size(json_object_get(out, "status")), 0); /* status reset on create */
    json_decref(out);
    code = call("POST", "/apis/apps/v1/namespaces/default/daemonsets",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"selector\":"
                "{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":"
                "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}},\"status\":{\"numberReady\":7}}", &out);
    CU_ASSERT_EQUAL(code, 201);
    CU_ASSERT_EQUAL(ck_json_int(out, "status.numberReady", -1), 0);
    CU_ASSERT_EQUAL(ck_json_int(out, "metadata.generation", -1), 1);
    json_decref(out);
}

static void test_priority_class_bootstrap(void)
{
    char err[256] = "";
    CU_ASSERT_EQUAL(ck_bootstrap_priority_classes(&apitest_srv, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_bootstrap_priority_classes(&apitest_srv, err, sizeof err), 0); /* idempotent */
    json_t *out = NULL;
    CU_ASSERT_EQUAL(call("GET", "/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical", NULL, &out), 200);
    CU_ASSERT_EQUAL(ck_json_int(out, "value", 0), 2000001000);
    json_decref(out);
    CU_ASSERT_EQUAL(call("GET", "/apis/scheduling.k8s.io/v1/priorityclasses/system-cluster-critical", NULL, &out), 200);
    CU_ASSERT_EQUAL(ck_json_int(out, "value", 0), 2000000000);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "preemptionPolicy", ""), "PreemptLowerPriority");
    json_decref(out);
    /* a user may not take the system- prefix */
    CU_ASSERT_EQUAL(call("POST", "/apis/scheduling.k8s.io/v1/priorityclasses",
                         "{\"metadata\":{\"name\":\"system-mine\"},\"value\":5}", &out), 422);
    json_decref(out);
}

int main(void)
{
    static const ck_test tests[] = {
        {"SelfSubjectAccessReview answered, 422, 406", test_self_subject_access_review},
        {"rules review, whoami, local review", test_rules_and_whoami},
        {"Job selector, status reset", test_job_selector_and_status},
        {"system PriorityClasses", test_priority_class_bootstrap},
        {NULL, NULL},
    };
    return ck_test_main("reviews", tests, apitest_start, apitest_stop);
}
