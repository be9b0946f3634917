/* test_resourcequota.c: the resource quota controller's decisions
 * (resourcequota_logic.c) and the shared evaluators (api/quota_eval.c):
 * usage of pods (terminal pods free compute, init containers as a floor),
 * services by type, object counts, scopes, and when status is dirty. */
#include <string.h>
#include "api/quota_eval.h"
#include "controller-manager/resourcequota_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"

/* A fake namespace: objects per resource, in a JSON object {resource: [...]}. */
static json_t *fake_list(void *ud, const char *group, const char *resource, const char *ns)
{
    char key[300];
    snprintf(key, sizeof key, "%s%s%s", resource, *group ? "." : "", group);
    json_t *l = json_object_get(ud, key);
    if (json_is_null(l)) return NULL; /* simulate a list failure */
    return l ? json_incref(l) : json_array();
}

static const char *used(const json_t *status, const char *name)
{
    const char *s = json_string_value(json_object_get(json_object_get(status, "used"), name));
    return s ? s : "<none>";
}

static json_t *objs(const char *text)
{
    json_t *o = json_loads(text, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    return o;
}

static void test_pod_usage(void)
{
    json_t *q = objs("{\"metadata\":{\"name\":\"q\",\"namespace\":\"n\"},\"spec\":{\"hard\":{\"pods\":\"5\","
                     "\"requests.cpu\":\"2\",\"limits.memory\":\"1Gi\",\"count/pods\":\"9\",\"memory\":\"1Gi\"}}}");
    json_t *ns = objs("{\"pods\":["
        "{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"100Mi\"},"
        "\"limits\":{\"memory\":\"200Mi\"}}},{\"name\":\"b\",\"resources\":{\"limits\":{\"cpu\":\"200m\"}}}],"
        "\"initContainers\":[{\"name\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]},\"status\":{\"phase\":\"Running\"}},"
        "{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"500m\"}}}]},"
        "\"status\":{\"phase\":\"Succeeded\"}}]}");
    bool failed = true;
    json_t *st = ck_rq_desired_status(q, fake_list, ns, time(NULL), &failed);
    CU_ASSERT_FALSE(failed);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(used(st, "pods"), "1");        /* the Succeeded pod no longer counts */
    CU_ASSERT_STRING_EQUAL(used(st, "count/pods"), "2");  /* ... but is still stored */
    CU_ASSERT_STRING_EQUAL(used(st, "requests.cpu"), "1"); /* max(100m + 200m, init 1) */
    CU_ASSERT_EQUAL(ck_quota_milli(json_object_get(st, "used"), "memory"), 100LL * 1024 * 1024 * 1000);
    CU_ASSERT_EQUAL(ck_quota_milli(json_object_get(st, "used"), "limits.memory"), 200LL * 1024 * 1024 * 1000);
    CU_ASSERT_TRUE(ck_json_equal(json_object_get(st, "hard"), ck_json_path(q, "spec.hard")));
    json_decref(st);
    json_decref(q);
    json_decref(ns);
}

static void test_counts_services_and_zero(void)
{
    json_t *q = objs("{\"metadata\":{\"name\":\"q\",\"namespace\":\"n\"},\"spec\":{\"hard\":{\"services\":\"5\","
                     "\"services.nodeports\":\"5\",\"services.loadbalancers\":\"1\",\"configmaps\":\"3\","
                     "\"count/replicasets.apps\":\"5\",\"persistentvolumeclaims\":\"2\",\"requests.storage\":\"1Gi\","
                     "\"example.com/unknown\":\"1\"}},\"status\":{\"used\":{\"example.com/unknown\":\"7\"}}}");
    json_t *ns = objs("{\"services\":[{\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":1},{\"port\":2}]}},"
                      "{\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[{\"port\":1}]}},{\"spec\":{}}],"
                      "\"configmaps\":[{},{}],\"replicasets.apps\":[{}]}");
    bool failed = true;
    json_t *st = ck_rq_desired_status(q, fake_list, ns, time(NULL), &failed);
    CU_ASSERT_FALSE(failed);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(used(st, "services"), "3");
    CU_ASSERT_STRING_EQUAL(used(st, "services.nodeports"), "3");
    CU_ASSERT_STRING_EQUAL(used(st, "services.loadbalancers"), "1");
    CU_ASSERT_STRING_EQUAL(used(st, "configmaps"), "2");
    CU_ASSERT_STRING_EQUAL(used(st, "count/replicasets.apps"), "1");
    CU_ASSERT_STRING_EQUAL(used(st, "persistentvolumeclaims"), "0"); /* measured, nothing there */
    CU_ASSERT_STRING_EQUAL(used(st, "requests.storage"), "0");
    CU_ASSERT_STRING_EQUAL(used(st, "example.com/unknown"), "7");    /* untracked: previous value kept */
    /* a second sync from the written status changes nothing */
    json_object_set(q, "status", st);
    json_t *again = ck_rq_desired_status(q, fake_list, ns, time(NULL), &failed);
    CU_ASSERT_PTR_NULL(again);
    json_decref(again);
    /* a list failure keeps the old value and asks for a retry */
    json_object_set_new(ns, "configmaps", json_null());
    json_array_append_new(json_object_get(ns, "services"), json_object());
    json_t *third = ck_rq_desired_status(q, fake_list, ns, time(NULL), &failed);
    CU_ASSERT_TRUE(failed);
    CU_ASSERT_PTR_NOT_NULL_FATAL(third);
    CU_ASSERT_STRING_EQUAL(used(third, "configmaps"), "2");
    CU_ASSERT_STRING_EQUAL(used(third, "services"), "4");
    json_decref(third);
    json_decref(st);
    json_decref(q);
    json_decref(ns);
}

static void test_scopes(void)
{
    json_t *be = objs("{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}");
    json_t *burst = objs("{\"spec\":{\"activeDeadlineSeconds\":30,\"containers\":[{\"name\":\"a\","
                         "\"resources\":{\"requests\":{\"memory\":\"1Mi\"}}}]}}");
    json_t *qt = objs("{\"spec\":{\"scopes\":[\"Terminating\"]}}");
    json_t *qbe = objs("{\"spec\":{\"scopes\":[\"BestEffort\",\"NotTerminating\"]}}");
    json_t *qpc = objs("{\"spec\":{\"scopeSelector\":{\"matchExpressions\":[{\"scopeName\":\"PriorityClass\","
                       "\"operator\":\"In\",\"values\":[\"high\"]}]}}}");
    CU_ASSERT_FALSE(ck_quota_scopes_match(qt, "", "pods", be));
    CU_ASSERT_TRUE(ck_quota_scopes_match(qt, "", "pods", burst));
    CU_ASSERT_TRUE(ck_quota_scopes_match(qbe, "", "pods", be));
    CU_ASSERT_FALSE(ck_quota_scopes_match(qbe, "", "pods", burst));
    CU_ASSERT_FALSE(ck_quota_scopes_match(qt, "", "configmaps", be)); /* only pods satisfy scopes */
    CU_ASSERT_FALSE(ck_quota_scopes_match(qpc, "", "pods", be));
    json_object_set_new(json_object_get(be, "spec"), "priorityClassName", json_string("high"));
    CU_ASSERT_TRUE(ck_quota_scopes_match(qpc, "", "pods", be));
    json_decref(be); json_decref(burst); json_decref(qt); json_decref(qbe); json_decref(qpc);
}

static void test_constraints_and_pretty(void)
{
    json_t *pod = objs("{\"spec\":{\"containers\":[{\"name\":\"b\",\"resources\":{\"limits\":{\"cpu\":\"1\"}}},"
                       "{\"name\":\"a\"}]}}");
    json_t *hard = objs("{\"requests.cpu\":\"1\",\"limits.memory\":\"1Gi\",\"pods\":\"3\"}");
    char msg[512];
    CU_ASSERT_EQUAL(ck_quota_pod_constraints(pod, hard, msg, sizeof msg), -1);
    CU_ASSERT_STRING_EQUAL(msg, "must specify limits.memory for: a,b; requests.cpu for: a");
    json_t *h2 = objs("{\"pods\":\"3\"}");
    CU_ASSERT_EQUAL(ck_quota_pod_constraints(pod, h2, msg, sizeof msg), 0);
    ck_quota_pretty(hard, NULL, msg, sizeof msg);
    CU_ASSERT_STRING_EQUAL(msg, "limits.memory=1Gi,pods=3,requests.cpu=1");
    json_t *a = objs("{\"pods\":\"4\",\"requests.cpu\":\"1\"}");
    json_t *ex = ck_quota_exceeded(a, hard);
    CU_ASSERT_EQUAL(json_array_size(ex), 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(ex, 0)), "pods");
    CU_ASSERT_TRUE(ck_quota_tracks("", "pods", "requests.example.com/dongle"));
    CU_ASSERT_FALSE(ck_quota_tracks("", "pods", "services"));
    CU_ASSERT_TRUE(ck_quota_tracks("apps", "replicasets", "count/replicasets.apps"));
    json_decref(ex); json_decref(a); json_decref(h2); json_decref(hard); json_decref(pod);
}

int main(void)
{
    static const ck_test tests[] = {
        {"pod usage: terminal pods, init floor, limits", test_pod_usage},
        {"object counts, services by type, zeros, dirty", test_counts_services_and_zero},
        {"scopes", test_scopes},
        {"constraints, pretty print, exceeded", test_constraints_and_pretty},
        {NULL, NULL},
    };
    return ck_test_main("resourcequota", tests, NULL, NULL);
}
