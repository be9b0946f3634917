/* test_quota_admission.c: the LimitRanger and ResourceQuota admission
 * plugins driven in-process: defaults applied from a LimitRange, max/min
 * refused with upstream's messages, quota charged on create, the last slot
 * refused with "exceeded quota", missing compute requests with "failed quota". */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* apitest.h helpers this file does not use */
#include "apitest.h"
#pragma GCC diagnostic pop
#include "util/cktest.h"

static int mkns(const char *ns)
{
    char body[256];
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"%s\"}}", ns);
    return call("POST", "/api/v1/namespaces", body, NULL);
}

static int mkpod(const char *ns, const char *name, const char *resources, json_t **out)
{
    char url[256], body[1024];
    snprintf(url, sizeof url, "/api/v1/namespaces/%s/pods", ns);
    snprintf(body, sizeof body,
             "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\""
             ",\"resources\":%s}]}}", name, resources);
    return call("POST", url, body, out);
}

static void test_limitrange_defaults(void)
{
    CU_ASSERT_EQUAL(mkns("lr1"), 201);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/lr1/limitranges",
                         "{\"metadata\":{\"name\":\"lr\"},\"spec\":{\"limits\":[{\"type\":\"Container\","
                         "\"default\":{\"cpu\":\"500m\",\"memory\":\"500Mi\"},"
                         "\"defaultRequest\":{\"cpu\":\"100m\",\"memory\":\"200Mi\"},"
                         "\"max\":{\"cpu\":\"1\"}}]}}", NULL), 201);
    json_t *out = NULL;
    CU_ASSERT_EQUAL_FATAL(mkpod("lr1", "p", "{}", &out), 201);
    json_t *c = json_array_get(ck_json_path(out, "spec.containers"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.requests.cpu", ""), "100m");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.requests.memory", ""), "200Mi");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.limits.cpu", ""), "500m");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.limits.memory", ""), "500Mi");
    const char *ann = json_string_value(json_object_get(ck_json_path(out, "metadata.annotations"),
                                                        "kubernetes.io/limit-ranger"));
    CU_ASSERT_STRING_EQUAL(ann ? ann : "", "LimitRanger plugin set: cpu, memory request for container c; "
                                            "cpu, memory limit for container c");
    json_decref(out);
    /* a declared limit keeps its value; the request follows the limit (SetDefaults_Pod) */
    CU_ASSERT_EQUAL_FATAL(mkpod("lr1", "p2", "{\"limits\":{\"cpu\":\"300m\"}}", &out), 201);
    c = json_array_get(ck_json_path(out, "spec.containers"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.limits.cpu", ""), "300m");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.requests.cpu", ""), "300m");
    json_decref(out);
    /* over the max */
    CU_ASSERT_EQUAL(mkpod("lr1", "x", "{\"limits\":{\"cpu\":\"1500m\"}}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"x\" is forbidden: maximum cpu usage per Container is 1, but limit is 1500m");
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "reason", ""), "Forbidden");
    json_decref(out);
}

static void test_limitrange_min_and_pod(void)
{
    CU_ASSERT_EQUAL(mkns("lr2"), 201);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/lr2/limitranges",
                         "{\"metadata\":{\"name\":\"lr\"},\"spec\":{\"limits\":[{\"type\":\"Pod\","
                         "\"max\":{\"memory\":\"1Gi\"}},{\"type\":\"Container\",\"min\":{\"cpu\":\"200m\"}}]}}",
                         NULL), 201);
    json_t *out = NULL;
    CU_ASSERT_EQUAL(mkpod("lr2", "y", "{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"memory\":\"2Gi\"}}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"y\" is forbidden: [maximum memory usage per Pod is 1Gi, but limit is 2Gi, "
                           "minimum cpu usage per Container is 200m, but request is 100m]");
    json_decref(out);
    CU_ASSERT_EQUAL(mkpod("lr2", "z", "{\"requests\":{\"cpu\":\"300m\"},\"limits\":{\"memory\":\"1Gi\"}}", NULL), 201);
}

static void set_quota_status(const char *ns, const char *name, const char *status)
{
    char url[256], body[1024];
    json_t *q = NULL;
    snprintf(url, sizeof url, "/api/v1/namespaces/%s/resourcequotas/%s", ns, name);
    CU_ASSERT_EQUAL_FATAL(call("GET", url, NULL, &q), 200);
    char *spec = json_dumps(json_object_get(q, "spec"), 0);
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"resourceVersion\":\"%s\"},"
             "\"spec\":%s,\"status\":%s}", name, ns, ck_json_str(q, "metadata.resourceVersion", ""),
             spec ? spec : "{}", status);
    free(spec);
    json_decref(q);
    strncat(url, "/status", sizeof url - strlen(url) - 1);
    CU_ASSERT_EQUAL(call("PUT", url, body, NULL), 200);
}

static void test_quota_pods(void)
{
    CU_ASSERT_EQUAL(mkns("rq1"), 201);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/rq1/resourcequotas",
                         "{\"metadata\":{\"name\":\"q\"},\"spec\":{\"hard\":{\"pods\":\"1\"}}}", NULL), 201);
    json_t *out = NULL;
    /* no status.hard yet: the quota constrains nothing until the controller ran */
    CU_ASSERT_EQUAL(mkpod("rq1", "early", "{}", NULL), 201);
    /* hard known but usage not measured: refused (hasUsageStats) */
    set_quota_status("rq1", "q", "{\"hard\":{\"pods\":\"1\"}}");
    CU_ASSERT_EQUAL(mkpod("rq1", "a", "{}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"a\" is forbidden: status unknown for quota: q, resources: pods");
    json_decref(out);
    set_quota_status("rq1", "q", "{\"hard\":{\"pods\":\"1\"},\"used\":{\"pods\":\"0\"}}");
    CU_ASSERT_EQUAL(mkpod("rq1", "a", "{}", NULL), 201);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/rq1/resourcequotas/q", NULL, &out), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "status.used.pods", ""), "1");
    json_decref(out);
    CU_ASSERT_EQUAL(mkpod("rq1", "b", "{}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"b\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "reason", ""), "Forbidden");
    json_decref(out);
    /* configmaps are not limited by this quota */
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/rq1/configmaps", "{\"metadata\":{\"name\":\"cm\"}}", NULL), 201);
}

static void test_quota_compute_and_counts(void)
{
    CU_ASSERT_EQUAL(mkns("rq2"), 201);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/rq2/resourcequotas",
                         "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"hard\":{\"requests.cpu\":\"1\",\"limits.cpu\":\"2\","
                         "\"configmaps\":\"1\",\"count/replicasets.apps\":\"0\"}}}", NULL), 201);
    set_quota_status("rq2", "c", "{\"hard\":{\"requests.cpu\":\"1\",\"limits.cpu\":\"2\",\"configmaps\":\"1\","
                     "\"count/replicasets.apps\":\"0\"},\"used\":{\"requests.cpu\":\"0\",\"limits.cpu\":\"0\","
                     "\"configmaps\":\"0\",\"count/replicasets.apps\":\"0\"}}");
    json_t *out = NULL;
    CU_ASSERT_EQUAL(mkpod("rq2", "n", "{}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"n\" is forbidden: failed quota: c: must specify limits.cpu for: c; requests.cpu for: c");
    json_decref(out);
    CU_ASSERT_EQUAL(mkpod("rq2", "m", "{\"requests\":{\"cpu\":\"600m\"},\"limits\":{\"cpu\":\"1\"}}", NULL), 201);
    CU_ASSERT_EQUAL(mkpod("rq2", "o", "{\"requests\":{\"cpu\":\"500m\"},\"limits\":{\"cpu\":\"1\"}}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "pods \"o\" is forbidden: exceeded quota: c, requested: requests.cpu=500m, "
                           "used: requests.cpu=600m, limited: requests.cpu=1");
    json_decref(out);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/rq2/resourcequotas/c", NULL, &out), 200);
    json_t *used = ck_json_path(out, "status.used");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(used, "requests.cpu")) ?: "", "600m");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(used, "limits.cpu")) ?: "", "1");
    json_decref(out);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/rq2/configmaps", "{\"metadata\":{\"name\":\"a\"}}", NULL), 201);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/rq2/configmaps", "{\"metadata\":{\"name\":\"b\"}}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "configmaps \"b\" is forbidden: exceeded quota: c, requested: configmaps=1, "
                           "used: configmaps=1, limited: configmaps=1");
    json_decref(out);
    CU_ASSERT_EQUAL(call("POST", "/apis/apps/v1/namespaces/rq2/replicasets",
                         "{\"metadata\":{\"name\":\"rs\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},"
                         "\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":"
                         "[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}", &out), 403);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "replicasets.apps \"rs\" is forbidden: exceeded quota: c, requested: count/replicasets.apps=1, "
                           "used: count/replicasets.apps=0, limited: count/replicasets.apps=0");
    json_decref(out);
}

static void test_quota_scopes(void)
{
    CU_ASSERT_EQUAL(mkns("rq3"), 201);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/rq3/resourcequotas",
                         "{\"metadata\":{\"name\":\"be\"},\"spec\":{\"hard\":{\"pods\":\"0\"},\"scopes\":[\"BestEffort\"]}}",
                         NULL), 201);
    set_quota_status("rq3", "be", "{\"hard\":{\"pods\":\"0\"},\"used\":{\"pods\":\"0\"}}");
    json_t *out = NULL;
    CU_ASSERT_EQUAL(mkpod("rq3", "be", "{}", &out), 403);
    json_decref(out);
    /* NotBestEffort pods are outside the quota's scope */
    CU_ASSERT_EQUAL(mkpod("rq3", "nbe", "{\"requests\":{\"cpu\":\"100m\"}}", NULL), 201);
}

int main(void)
{
    static const ck_test tests[] = {
        {"LimitRange defaults and max", test_limitrange_defaults},
        {"LimitRange min and Pod max", test_limitrange_min_and_pod},
        {"ResourceQuota pods charged, last slot refused", test_quota_pods},
        {"ResourceQuota compute, constraints, object counts", test_quota_compute_and_counts},
        {"ResourceQuota BestEffort scope", test_quota_scopes},
        {NULL, NULL},
    };
    return ck_test_main("quota_admission", tests, apitest_start, apitest_stop);
}
