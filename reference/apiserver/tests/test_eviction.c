/* test_eviction.c: pods/eviction against PodDisruptionBudgets, as upstream's
 * pkg/registry/core/pod/storage/eviction_test.go expects: 429 with a
 * DisruptionBudget cause when no disruption is allowed or the budget is not
 * yet observed, a decrement with disruptedPods on success, Pending pods
 * evicted freely, two budgets a 500. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* apitest.h helpers this file does not use */
#include "apitest.h"
#pragma GCC diagnostic pop
#include "util/cktest.h"

#define NS "/api/v1/namespaces/default"
#define PDBS "/apis/policy/v1/namespaces/default/poddisruptionbudgets"

/* A pod in phase, Ready; keep adds a finalizer so that it outlives its delete. */
static int running_pod(const char *name, const char *phase, bool keep)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\",\"labels\":{\"app\":\"ev\"}%s},"
             "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", name,
             keep ? ",\"finalizers\":[\"example.com/keep\"]" : "");
    json_t *out = NULL;
    int code = call("POST", NS "/pods", body, &out);
    if (code != 201) { json_decref(out); return code; }
    json_object_set_new(out, "status", json_pack("{s:s,s:[{s:s,s:s}]}", "phase", phase, "conditions", "type", "Ready",
                                                  "status", "True"));
    char *s = json_dumps(out, 0), path[256];
    snprintf(path, sizeof path, NS "/pods/%s/status", name);
    json_decref(out);
    code = call("PUT", path, s, NULL);
    free(s);
    return code;
}

/* PUTs the PDB's status with observedGeneration = generation. */
static int set_pdb_status(const char *name, int allowed, int current, int desired)
{
    char path[256];
    snprintf(path, sizeof path, PDBS "/%s", name);
    json_t *pdb = NULL;
    if (call("GET", path, NULL, &pdb) != 200) { json_decref(pdb); return -1; }
    json_object_set_new(pdb, "status",
                        json_pack("{s:I,s:i,s:i,s:i,s:i}", "observedGeneration",
                                  (json_int_t)ck_json_int(pdb, "metadata.generation", 1), "disruptionsAllowed", allowed,
                                  "currentHealthy", current, "desiredHealthy", desired, "expectedPods", current));
    char *s = json_dumps(pdb, 0);
    strcat(path, "/status");
    int code = call("PUT", path, s, NULL);
    free(s);
    json_decref(pdb);
    return code;
}

static int evict(const char *pod, json_t **out)
{
    char path[256], body[256];
    snprintf(path, sizeof path, NS "/pods/%s/eviction", pod);
    snprintf(body, sizeof body, "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"%s\"}}", pod);
    return call("POST", path, body, out);
}

static void test_budget(void)
{
    CU_ASSERT_EQUAL_FATAL(running_pod("p1", "Running", true), 200);
    CU_ASSERT_EQUAL_FATAL(call("POST", PDBS, "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\","
                                             "\"metadata\":{\"name\":\"b\"},\"spec\":{\"minAvailable\":1,"
                                             "\"selector\":{\"matchLabels\":{\"app\":\"ev\"}}}}", NULL), 201);
    json_t *out = NULL;
    /* not yet observed by the controller */
    CU_ASSERT_EQUAL(evict("p1", &out), 429);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "reason", ""), "TooManyRequests");
    CU_ASSERT_EQUAL(ck_json_int(out, "details.retryAfterSeconds", 0), 10);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ck_json_path(out, "details.causes"), 0), "message", ""),
                           "The disruption budget b is still being processed by the server.");
    json_decref(out);
    /* no disruption allowed */
    CU_ASSERT_EQUAL_FATAL(set_pdb_status("b", 0, 1, 1), 200);
    CU_ASSERT_EQUAL(evict("p1", &out), 429);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "Cannot evict pod as it would violate the pod's disruption budget.");
    json_t *cause = json_array_get(ck_json_path(out, "details.causes"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(cause, "reason", ""), "DisruptionBudget");
    CU_ASSERT_STRING_EQUAL(ck_json_str(cause, "message", ""),
                           "The disruption budget b needs 1 healthy pods and has 1 currently");
    json_decref(out);
    CU_ASSERT_EQUAL(call("GET", NS "/pods/p1", NULL, NULL), 200);
    /* one allowed: evicted, budget decremented, pod recorded */
    CU_ASSERT_EQUAL_FATAL(set_pdb_status("b", 1, 2, 1), 200);
    CU_ASSERT_EQUAL(evict("p1", &out), 201);
    json_decref(out);
    CU_ASSERT_EQUAL(call("GET", PDBS "/b", NULL, &out), 200);
    CU_ASSERT_EQUAL(ck_json_int(out, "status.disruptionsAllowed", -1), 0);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(ck_json_path(out, "status.disruptedPods"), "p1"));
    json_decref(out);
    out = NULL;
    /* kept by its finalizer: terminating, with the DisruptionTarget condition */
    CU_ASSERT_EQUAL(call("GET", NS "/pods/p1", NULL, &out), 200);
    CU_ASSERT_PTR_NOT_NULL(ck_json_path(out, "metadata.deletionTimestamp"));
    {
        json_t *c, *dt = NULL;
        size_t i;
        json_array_foreach(ck_json_path(out, "status.conditions"), i, c)
            if (!strcmp(ck_json_str(c, "type", ""), "DisruptionTarget")) dt = c;
        CU_ASSERT_STRING_EQUAL(ck_json_str(dt, "reason", ""), "EvictionByEvictionAPI");
    }
    json_decref(out);
}

static void test_pending_and_two_budgets(void)
{
    json_t *out = NULL;
    /* Pending pods ignore the budget (canIgnorePDB), b still allows 0 */
    CU_ASSERT_EQUAL_FATAL(running_pod("p2", "Pending", false), 200);
    CU_ASSERT_EQUAL(evict("p2", &out), 201);
    json_decref(out);
    CU_ASSERT_EQUAL_FATAL(running_pod("p3", "Running", false), 200);
    CU_ASSERT_EQUAL_FATAL(call("POST", PDBS, "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\","
                                             "\"metadata\":{\"name\":\"b2\"},\"spec\":{\"maxUnavailable\":1,"
                                             "\"selector\":{\"matchLabels\":{\"app\":\"ev\"}}}}", NULL), 201);
    CU_ASSERT_EQUAL(evict("p3", &out), 500);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "message", ""),
                           "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    json_decref(out);
    CU_ASSERT_EQUAL(call("DELETE", PDBS "/b2", NULL, NULL), 200);
    /* dry-run: allowed but nothing written */
    CU_ASSERT_EQUAL_FATAL(set_pdb_status("b", 1, 2, 1), 200);
    CU_ASSERT_EQUAL(call("POST", NS "/pods/p3/eviction?dryRun=All",
                         "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"p3\"}}", NULL), 201);
    CU_ASSERT_EQUAL(call("GET", PDBS "/b", NULL, &out), 200);
    CU_ASSERT_EQUAL(ck_json_int(out, "status.disruptionsAllowed", -1), 1);
    json_decref(out);
    CU_ASSERT_EQUAL(call("GET", NS "/pods/p3", NULL, NULL), 200);
}

int main(void)
{
    static const ck_test tests[] = {
        {"eviction respects the disruption budget", test_budget},
        {"Pending pods, two budgets, dry-run", test_pending_and_two_budgets},
        {NULL, NULL},
    };
    return ck_test_main("eviction", tests, apitest_start, apitest_stop);
}
