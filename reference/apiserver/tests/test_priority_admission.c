/* test_priority_admission.c: the Priority admission plugin driven in-process
 * (plugin/pkg/admission/priority/admission_test.go's cases): a class's value
 * and preemptionPolicy land on the pod, a missing class is 403, no class gives
 * the globalDefault's value or 0, a conflicting spec.priority is refused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* apitest.h helpers this file does not use */
#include "apitest.h"
#pragma GCC diagnostic pop
#include "util/cktest.h"

static int mkpod(const char *name, const char *extra, json_t **out)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"metadata\":{\"name\":\"%s\"},\"spec\":{%s%s\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}",
             name, extra, *extra ? "," : "");
    return call("POST", "/api/v1/namespaces/default/pods", body, out);
}

static int mkclass(const char *name, long value, const char *extra)
{
    char body[512];
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"%s\"},\"value\":%ld%s%s}", name, value,
             *extra ? "," : "", extra);
    return call("POST", "/apis/scheduling.k8s.io/v1/priorityclasses", body, NULL);
}

static void test_system_class(void)
{
    json_t *out = NULL;
    CU_ASSERT_EQUAL_FATAL(mkpod("sys", "\"priorityClassName\":\"system-node-critical\"", &out), 201);
    CU_ASSERT_EQUAL(ck_json_int(out, "spec.priority", -1), 2000001000);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "spec.preemptionPolicy", ""), "PreemptLowerPriority");
    json_decref(out);
}

static void test_user_class_never(void)
{
    CU_ASSERT_EQUAL(mkclass("batch-low", 50, "\"preemptionPolicy\":\"Never\""), 201);
    json_t *out = NULL;
    CU_ASSERT_EQUAL_FATAL(mkpod("b", "\"priorityClassName\":\"batch-low\"", &out), 201);
    CU_ASSERT_EQUAL(ck_json_int(out, "spec.priority", -1), 50);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "spec.preemptionPolicy", ""), "Never");
    json_decref(out);
    /* a pod may repeat the computed values, not contradict them */
    CU_ASSERT_EQUAL(mkpod("b2", "\"priorityClassName\":\"batch-low\",\"priority\":50", NULL), 201);
    CU_ASSERT_EQUAL(mkpod("b3", "\"priorityClassName\":\"batch-low\",\"preemptionPolicy\":\"PreemptLowerPriority\"",
                          &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"b3\" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) "
                           "must not be provided in pod spec; priority admission controller computed Never from "
                           "the given PriorityClass name");
    json_decref(out);
}

static void test_missing_class(void)
{
    json_t *out = NULL;
    CU_ASSERT_EQUAL(mkpod("x", "\"priorityClassName\":\"nope\"", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "reason", ""), "Forbidden");
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"x\" is forbidden: no PriorityClass with name nope was found");
    json_decref(out);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/pods/x", NULL, NULL), 404);
}

static void test_priority_without_class(void)
{
    json_t *out = NULL;
    CU_ASSERT_EQUAL(mkpod("p", "\"priority\":1000", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"p\" is forbidden: the integer value of priority (1000) must not be provided "
                           "in pod spec; priority admission controller computed 0 from the given PriorityClass name");
    json_decref(out);
}

/* Runs before a globalDefault class exists (table order). */
static void test_no_class_is_zero(void)
{
    json_t *out = NULL;
    CU_ASSERT_EQUAL_FATAL(mkpod("zero", "", &out), 201);
    CU_ASSERT_EQUAL(ck_json_int(out, "spec.priority", -1), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "spec.preemptionPolicy", ""), "PreemptLowerPriority");
    CU_ASSERT_PTR_NULL(ck_json_path(out, "spec.priorityClassName"));
    json_decref(out);
    /* an update that omits priority keeps it */
    CU_ASSERT_EQUAL_FATAL(call("GET", "/api/v1/namespaces/default/pods/zero", NULL, &out), 200);
    json_object_del(json_object_get(out, "spec"), "priority");
    json_object_del(json_object_get(out, "spec"), "preemptionPolicy");
    char *body = json_dumps(out, 0);
    json_decref(out);
    CU_ASSERT_EQUAL(call("PUT", "/api/v1/namespaces/default/pods/zero", body, &out), 200);
    CU_ASSERT_EQUAL(ck_json_int(out, "spec.priority", -1), 0);
    free(body);
    json_decref(out);
}

static void test_global_default(void)
{
    CU_ASSERT_EQUAL(mkclass("dflt", 1000, "\"globalDefault\":true"), 201);
    json_t *out = NULL;
    CU_ASSERT_EQUAL_FATAL(mkpod("d", "", &out), 201);
    CU_ASSERT_EQUAL(ck_json_int(out, "spec.priority", -1), 1000);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "spec.priorityClassName", ""), "dflt");
    json_decref(out);
    /* only one default */
    CU_ASSERT_EQUAL(call("POST", "/apis/scheduling.k8s.io/v1/priorityclasses",
                         "{\"metadata\":{\"name\":\"dflt2\"},\"value\":5,\"globalDefault\":true}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "priorityclasses.scheduling.k8s.io \"dflt2\" is forbidden: PriorityClass dflt is "
                           "already marked as default. Only one default can exist");
    json_decref(out);
}

int main(void)
{
    static const ck_test tests[] = {
        {"system class sets priority", test_system_class},
        {"user class with preemptionPolicy Never", test_user_class_never},
        {"missing class is Forbidden", test_missing_class},
        {"spec.priority without a class is refused", test_priority_without_class},
        {"no class and no default gives 0", test_no_class_is_zero},
        {"globalDefault class applies, only one", test_global_default},
        {NULL, NULL},
    };
    return ck_test_main("priority_admission", tests, apitest_start, apitest_stop);
}
