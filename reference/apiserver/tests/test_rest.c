/* test_rest.c: the apiserver's REST semantics end to end in-process on the
 * memory backend: CRUD, Status shapes, optimistic concurrency, generateName,
 * dryRun, strict field validation, patches, status/scale isolation,
 * finalizers, namespace lifecycle, paging, selectors and ClusterIP/NodePort
 * allocation. Expected values come from Kubernetes' documented behaviour. */
#include "apiserver/tests/apitest.h"
#include <microhttpd.h>
#include "util/cktest.h"

#define CM "/api/v1/namespaces/default/configmaps"

static const char *reason(json_t *st) { return ck_json_str(st, "reason", ""); }

static void test_create_get_conflict(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c1\"},\"data\":{\"a\":\"1\"}}", &o), 201);
    const char *rv = ck_json_str(o, "metadata.resourceVersion", "");
    CU_ASSERT(strlen(rv) > 0);
    CU_ASSERT_EQUAL(strlen(ck_json_str(o, "metadata.uid", "")), 36);
    char body[512];
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"c1\",\"resourceVersion\":\"%s\"},\"data\":{\"a\":\"2\"}}", rv);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"c1\"}}", &o), 409);
    CU_ASSERT_STRING_EQUAL(reason(o), "AlreadyExists");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "message", ""), "configmaps \"c1\" already exists");
    json_decref(o);
    CU_ASSERT_EQUAL(call("PUT", CM "/c1", body, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "data.a", ""), "2");
    json_decref(o);
    /* the same stale resourceVersion again: 409 Conflict */
    CU_ASSERT_EQUAL(call("PUT", CM "/c1", body, &o), 409);
    CU_ASSERT_STRING_EQUAL(reason(o), "Conflict");
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(o, "message", ""), "the object has been modified"));
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", CM "/nope", NULL, &o), 404);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "message", ""), "configmaps \"nope\" not found");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "details.kind", ""), "configmaps");
    json_decref(o);
}

static void test_generate_name_dry_run(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"generateName\":\"gen-\"}}", &o), 201);
    const char *name = ck_json_str(o, "metadata.name", "");
    CU_ASSERT_EQUAL(strlen(name), 9);
    CU_ASSERT_EQUAL(strncmp(name, "gen-", 4), 0);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", CM "?dryRun=All", "{\"metadata\":{\"name\":\"dry\"}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", CM "/dry", NULL, &o), 404);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", CM "?dryRun=Some", "{\"metadata\":{\"name\":\"dry\"}}", &o), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(o, "message", ""), "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value"));
    json_decref(o);
    /* no new finalizers on an object being deleted */
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"nf\",\"finalizers\":[\"a.io/x\"]}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", CM "/nf", NULL, &o), 200);
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/nf", "application/merge-patch+json", NULL,
                            "{\"metadata\":{\"finalizers\":[\"a.io/x\",\"a.io/y\"]}}", &o, NULL), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(o, "message", ""), "no new finalizers can be added if the object is being deleted"));
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/nf", "application/merge-patch+json", NULL, "{\"metadata\":{\"finalizers\":null}}", &o, NULL), 200);
    json_decref(o);
    /* metadata-only clients */
    CU_ASSERT_EQUAL(call_ex("GET", CM, NULL, "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", NULL, &o, NULL), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "kind", ""), "PartialObjectMetadataList");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(json_object_get(o, "items"), 0), "kind", ""), "PartialObjectMetadata");
    CU_ASSERT_PTR_NULL(ck_json_path(json_array_get(json_object_get(o, "items"), 0), "data"));
    json_decref(o);
}

static void test_invalid_and_bad_request(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"Bad_Name\"}}", &o), 422);
    CU_ASSERT_STRING_EQUAL(reason(o), "Invalid");
    json_t *cause = json_array_get(ck_json_path(o, "details.causes"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(cause, "field", ""), "metadata.name");
    CU_ASSERT_STRING_EQUAL(ck_json_str(cause, "reason", ""), "FieldValueInvalid");
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":", &o), 400);
    CU_ASSERT_STRING_EQUAL(reason(o), "BadRequest");
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", CM "?fieldValidation=Strict", "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"x\":1}}", &o), 400);
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(o, "message", ""), "strict decoding error: unknown field \"spec\""));
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("POST", CM, "text/plain", NULL, "x", &o, NULL), 415);
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("GET", CM, NULL, "text/html", NULL, &o, NULL), 406);
    CU_ASSERT_STRING_EQUAL(reason(o), "NotAcceptable");
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/nothings", NULL, &o), 404);
    json_decref(o);
    CU_ASSERT_EQUAL(call("PUT", CM, "{}", &o), 405);
    CU_ASSERT_STRING_EQUAL(reason(o), "MethodNotAllowed");
    json_decref(o);
}

static void test_patches(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"p\"},\"data\":{\"a\":\"1\"}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/p", "application/merge-patch+json", NULL, "{\"data\":{\"b\":\"2\",\"a\":null}}", &o, NULL), 200);
    CU_ASSERT_PTR_NULL(ck_json_path(o, "data.a"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "data.b", ""), "2");
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/p", "application/json-patch+json", NULL,
                            "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]", &o, NULL), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "data.c", ""), "3");
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/p", "application/json-patch+json", NULL,
                            "[{\"op\":\"test\",\"path\":\"/data/c\",\"value\":\"9\"}]", &o, NULL), 422);
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/p", "application/strategic-merge-patch+json", NULL,
                            "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", &o, NULL), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.labels.x", ""), "y");
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/p", "application/xml", NULL, "<x/>", &o, NULL), 415);
    CU_ASSERT_STRING_EQUAL(reason(o), "UnsupportedMediaType");
    json_decref(o);
    /* a patch pinning a stale resourceVersion conflicts */
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/p", "application/merge-patch+json", NULL,
                            "{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"d\":\"4\"}}", &o, NULL), 409);
    json_decref(o);
}

#define DEP "/apis/apps/v1/namespaces/default/deployments"
static const char *dep_body =
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":2,"
    "\"selector\":{\"matchLabels\":{\"app\":\"d\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"d\"}},"
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}";

static void test_status_scale_generation(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", DEP, dep_body, &o), 201);
    CU_ASSERT_EQUAL(ck_json_int(o, "metadata.generation", 0), 1);
    json_decref(o);
    /* status via the main resource is ignored */
    CU_ASSERT_EQUAL(call_ex("PATCH", DEP "/d", "application/merge-patch+json", NULL, "{\"status\":{\"replicas\":7}}", &o, NULL), 200);
    CU_ASSERT_EQUAL(ck_json_int(o, "status.replicas", 0), 0);
    CU_ASSERT_EQUAL(ck_json_int(o, "metadata.generation", 0), 1);
    json_decref(o);
    /* status via /status is kept, spec changes there are ignored */
    CU_ASSERT_EQUAL(call_ex("PATCH", DEP "/d/status", "application/merge-patch+json", NULL,
                            "{\"status\":{\"replicas\":7},\"spec\":{\"replicas\":9}}", &o, NULL), 200);
    CU_ASSERT_EQUAL(ck_json_int(o, "status.replicas", 0), 7);
    CU_ASSERT_EQUAL(ck_json_int(o, "spec.replicas", 0), 2);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", DEP "/d/scale", NULL, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "kind", ""), "Scale");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "apiVersion", ""), "autoscaling/v1");
    CU_ASSERT_EQUAL(ck_json_int(o, "spec.replicas", 0), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status.selector", ""), "app=d");
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", DEP "/d/scale", "application/merge-patch+json", NULL, "{\"spec\":{\"replicas\":5}}", &o, NULL), 200);
    CU_ASSERT_EQUAL(ck_json_int(o, "spec.replicas", 0), 5);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", DEP "/d", NULL, &o), 200);
    CU_ASSERT_EQUAL(ck_json_int(o, "spec.replicas", 0), 5);
    CU_ASSERT_EQUAL(ck_json_int(o, "metadata.generation", 0), 2);
    json_decref(o);
}

static void test_finalizers(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"f\",\"finalizers\":[\"example.com/x\"]}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", CM "/f", NULL, &o), 200);
    CU_ASSERT_PTR_NOT_NULL(ck_json_path(o, "metadata.deletionTimestamp"));
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", CM "/f", NULL, &o), 200);
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", CM "/f", "application/merge-patch+json", NULL, "{\"metadata\":{\"finalizers\":null}}", &o, NULL), 200);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", CM "/f", NULL, &o), 404);
    json_decref(o);
    /* preconditions */
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"g\"}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", CM "/g", "{\"preconditions\":{\"uid\":\"not-it\"}}", &o), 409);
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(o, "message", ""), "Precondition failed: UID in precondition: not-it"));
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", CM "/g", NULL, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status", ""), "Success");
    json_decref(o);
    /* propagationPolicy=Orphan is recorded as the orphan finalizer */
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"h\"}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", CM "/h?propagationPolicy=Orphan", NULL, &o), 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(ck_json_path(o, "metadata.finalizers"), 0)), "orphan");
    json_decref(o);
}

static void test_namespace_lifecycle(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"t1\"}}", &o), 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status.phase", ""), "Active");
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/missing/configmaps", "{\"metadata\":{\"name\":\"x\"}}", &o), 404);
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", "/api/v1/namespaces/t1", NULL, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status.phase", ""), "Terminating");
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/t1/configmaps", "{\"metadata\":{\"name\":\"x\"}}", &o), 403);
    CU_ASSERT_STRING_EQUAL(reason(o), "Forbidden");
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(o, "message", ""), "because it is being terminated"));
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", "/api/v1/namespaces/kube-system", NULL, &o), 403);
    json_decref(o);
    /* finalize emptying spec.finalizers of a terminating namespace removes it
     * (registry/core/namespace ShouldDeleteNamespaceDuringUpdate) */
    CU_ASSERT_EQUAL(call("PUT", "/api/v1/namespaces/t1/finalize", "{\"metadata\":{\"name\":\"t1\"},\"spec\":{\"finalizers\":[]}}", &o), 200);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/t1", NULL, &o), 404);
    json_decref(o);
}

static void test_paging_and_selectors(void)
{
    json_t *o = NULL;
    char body[256];
    for (int i = 0; i < 7; i++) {
        snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"page-%d\",\"labels\":{\"set\":\"%s\"}}}", i, i % 2 ? "odd" : "even");
        CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/kube-public/configmaps", body, &o), 201);
        json_decref(o);
    }
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?limit=3", NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 3);
    CU_ASSERT_EQUAL(ck_json_int(o, "metadata.remainingItemCount", -1), 4);
    char rv[32], url[1024];
    snprintf(rv, sizeof rv, "%s", ck_json_str(o, "metadata.resourceVersion", ""));
    snprintf(url, sizeof url, "/api/v1/namespaces/kube-public/configmaps?limit=3&continue=%s", ck_json_str(o, "metadata.continue", ""));
    json_decref(o);
    /* a write between pages does not show up: one snapshot */
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/kube-public/configmaps", "{\"metadata\":{\"name\":\"page-9\"}}", &o), 201);
    json_decref(o);
    int seen = 3;
    while (1) {
        CU_ASSERT_EQUAL(call("GET", url, NULL, &o), 200);
        CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.resourceVersion", ""), rv);
        seen += (int)json_array_size(json_object_get(o, "items"));
        const char *cont = ck_json_str(o, "metadata.continue", "");
        if (!*cont) { json_decref(o); break; }
        snprintf(url, sizeof url, "/api/v1/namespaces/kube-public/configmaps?limit=3&continue=%s", cont);
        json_decref(o);
    }
    CU_ASSERT_EQUAL(seen, 7);
    /* an expired snapshot (here: pushed out by 256 newer paged lists) is 410
     * Expired with a fresh token that continues after the same key */
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?limit=2", NULL, &o), 200);
    char old_url[1024];
    snprintf(old_url, sizeof old_url, "/api/v1/namespaces/kube-public/configmaps?limit=2&continue=%s",
             ck_json_str(o, "metadata.continue", ""));
    json_decref(o);
    for (int i = 0; i < 256; i++) {
        CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?limit=1", NULL, &o), 200);
        json_decref(o);
    }
    CU_ASSERT_EQUAL(call("GET", old_url, NULL, &o), 410);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "reason", ""), "Expired");
    const char *fresh = ck_json_str(o, "metadata.continue", "");
    CU_ASSERT(strlen(fresh) > 0);
    snprintf(url, sizeof url, "/api/v1/namespaces/kube-public/configmaps?limit=100&continue=%s", fresh);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", url, NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 6); /* all after page-1, page-9 included */
    json_decref(o);
    /* resourceVersionMatch=Exact: the list as it was, without page-9 */
    snprintf(url, sizeof url, "/api/v1/namespaces/kube-public/configmaps?resourceVersion=%s&resourceVersionMatch=Exact", rv);
    CU_ASSERT_EQUAL(call("GET", url, NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 7);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.resourceVersion", ""), rv);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?resourceVersionMatch=Exact", NULL, &o), 422);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps", NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 8);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?labelSelector=set%3Dodd", NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 3);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?labelSelector=set%20notin%20(odd)", NULL, &o), 200);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?fieldSelector=metadata.name%3Dpage-2", NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?fieldSelector=spec.x%3Dy", NULL, &o), 400);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "message", ""), "field label not supported: spec.x");
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps?labelSelector=a%3D%3D%3Db", NULL, &o), 400);
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", "/api/v1/namespaces/kube-public/configmaps?labelSelector=set%3Deven", NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 4);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/kube-public/configmaps", NULL, &o), 200);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "items")), 4); /* 3 odd + page-9 */
    json_decref(o);
}

static void test_watch(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w\"}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/w/configmaps", "{\"metadata\":{\"name\":\"a\",\"labels\":{\"k\":\"v\"}}}", &o), 201);
    char rv[32];
    snprintf(rv, sizeof rv, "%s", ck_json_str(o, "metadata.resourceVersion", ""));
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", "/api/v1/namespaces/w/configmaps/a", "application/merge-patch+json", NULL,
                            "{\"metadata\":{\"labels\":{\"k\":\"other\"}}}", &o, NULL), 200);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/w/configmaps", "{\"metadata\":{\"name\":\"b\",\"labels\":{\"k\":\"v\"}}}", &o), 201);
    json_decref(o);
    /* from rv: exactly the later events, selector leave = DELETED, enter = ADDED */
    char url[256];
    snprintf(url, sizeof url, "/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=%s&labelSelector=k%%3Dv&timeoutSeconds=2", rv);
    ck_stream *s = NULL;
    CU_ASSERT_EQUAL(call_ex("GET", url, NULL, NULL, NULL, NULL, &s), 200);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    json_t *evs = read_events(s, 2, 50);
    s->free(s);
    CU_ASSERT_EQUAL(json_array_size(evs), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(evs, 0), "type", ""), "DELETED");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(evs, 0), "object.metadata.name", ""), "a");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(evs, 1), "type", ""), "ADDED");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(evs, 1), "object.metadata.name", ""), "b");
    json_decref(evs);
    /* push the window (20 events) past rv: a watch from rv is now Expired (410 in an ERROR event) */
    for (int i = 0; i < 25; i++) {
        CU_ASSERT_EQUAL(call_ex("PATCH", "/api/v1/namespaces/w/configmaps/b", "application/merge-patch+json", NULL,
                                i % 2 ? "{\"data\":{\"x\":\"1\"}}" : "{\"data\":{\"x\":\"2\"}}", &o, NULL), 200);
        json_decref(o);
    }
    CU_ASSERT_EQUAL(call_ex("GET", url, NULL, NULL, NULL, &o, &s), 200);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "type", ""), "ERROR");
    CU_ASSERT_EQUAL(ck_json_int(o, "object.code", 0), 410);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "object.reason", ""), "Expired");
    json_decref(o);
}

static void test_services_allocation(void)
{
    json_t *o = NULL;
    const char *svc = "{\"metadata\":{\"name\":\"np\"},\"spec\":{\"type\":\"NodePort\",\"selector\":{\"a\":\"b\"},"
                      "\"ports\":[{\"port\":80,\"nodePort\":30080}]}}";
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/services", svc, &o), 201);
    const char *ip = ck_json_str(o, "spec.clusterIP", "");
    CU_ASSERT_EQUAL(strncmp(ip, "10.", 3), 0);
    CU_ASSERT_EQUAL(ck_json_int(json_array_get(ck_json_path(o, "spec.ports"), 0), "nodePort", 0), 30080);
    json_decref(o);
    const char *clash = "{\"metadata\":{\"name\":\"np2\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30080}]}}";
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/services", clash, &o), 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(o, "message", ""), "provided port is already allocated"));
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", "/api/v1/namespaces/default/services/np", NULL, &o), 200);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/services", clash, &o), 201);
    json_decref(o);
}

/* service.go "should be able to change the type from ClusterIP to
 * ExternalName": the client PUTs what it read with type and externalName
 * changed; the cluster IP goes (dropTypeDependentFields), the rest stays. */
static void test_service_to_external_name(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/services",
                         "{\"metadata\":{\"name\":\"to-ext\"},\"spec\":{\"ports\":[{\"port\":80}]}}", &o), 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.sessionAffinity", ""), "None");
    json_t *spec = json_object_get(o, "spec");
    json_object_set_new(spec, "type", json_string("ExternalName"));
    json_object_set_new(spec, "externalName", json_string("foo.example.com"));
    char *body = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    CU_ASSERT_EQUAL(call("PUT", "/api/v1/namespaces/default/services/to-ext", body, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.clusterIP", ""), "");
    CU_ASSERT_PTR_NULL(ck_json_path(o, "spec.clusterIPs"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.sessionAffinity", ""), "None");
    free(body);
    json_decref(o);
}

static void test_pod_binding(void)
{
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods",
                         "{\"metadata\":{\"name\":\"pb\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", &o), 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status.phase", ""), "Pending");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.serviceAccountName", ""), "default");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.restartPolicy", ""), "Always");
    json_decref(o);
    const char *b = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"pb\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}";
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods/pb/binding", b, &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/pods/pb", NULL, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.nodeName", ""), "n1");
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods/pb/binding", b, &o), 409);
    json_decref(o);
    /* bound pod: graceful deletion keeps it with a deletionTimestamp */
    CU_ASSERT_EQUAL(call("DELETE", "/api/v1/namespaces/default/pods/pb", NULL, &o), 200);
    CU_ASSERT_EQUAL(ck_json_int(o, "metadata.deletionGracePeriodSeconds", -1), 30);
    json_decref(o);
    CU_ASSERT_EQUAL(call("DELETE", "/api/v1/namespaces/default/pods/pb?gracePeriodSeconds=0", NULL, &o), 200);
    json_decref(o);
    /* eviction deletes with the Eviction's deleteOptions */
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods",
                         "{\"metadata\":{\"name\":\"ev\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods/ev/eviction",
                         "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"other\"}}", &o), 400);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods/ev/eviction",
                         "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"ev\"},"
                         "\"deleteOptions\":{\"gracePeriodSeconds\":0}}", &o), 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status", ""), "Success");
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/pods/ev", NULL, &o), 404);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/pods/pb", NULL, &o), 404);
    json_decref(o);
}

static void test_broken_conflicts_mode(void)
{
    /* The self-test mode really breaks optimistic concurrency. */
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", CM, "{\"metadata\":{\"name\":\"bc\"}}", &o), 201);
    char body[256];
    snprintf(body, sizeof body, "{\"metadata\":{\"name\":\"bc\",\"resourceVersion\":\"%s\"},\"data\":{\"v\":\"1\"}}",
             ck_json_str(o, "metadata.resourceVersion", ""));
    json_decref(o);
    CU_ASSERT_EQUAL(call("PUT", CM "/bc", body, &o), 200);
    json_decref(o);
    apitest_srv.cfg.broken_conflicts = true;
    CU_ASSERT_EQUAL(call("PUT", CM "/bc", body, &o), 200);
    json_decref(o);
    apitest_srv.cfg.broken_conflicts = false;
    CU_ASSERT_EQUAL(call("PUT", CM "/bc", body, &o), 409);
    json_decref(o);
}

static void test_events_two_versions(void)
{
    /* events.k8s.io/v1 and core/v1 Events are one stored object in two shapes. */
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", "/apis/events.k8s.io/v1/namespaces/default/events",
                         "{\"metadata\":{\"name\":\"e1\"},\"eventTime\":\"2026-11-25T10:00:00.000000Z\","
                         "\"reportingController\":\"example.com/x\",\"reportingInstance\":\"i\",\"action\":\"Test\","
                         "\"reason\":\"Testing\",\"type\":\"Normal\",\"note\":\"hello\","
                         "\"regarding\":{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"}}", &o), 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "note", ""), "hello");
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/events/e1", NULL, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "apiVersion", ""), "v1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "message", ""), "hello");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "involvedObject.name", ""), "p");
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/apis/events.k8s.io/v1/namespaces/default/events", NULL, &o), 200);
    json_t *item = json_array_get(json_object_get(o, "items"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(item, "apiVersion", ""), "events.k8s.io/v1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(item, "regarding.name", ""), "p");
    json_decref(o);
    CU_ASSERT_EQUAL(call_ex("PATCH", "/apis/events.k8s.io/v1/namespaces/default/events/e1", "application/merge-patch+json",
                            NULL, "{\"note\":\"patched\"}", &o, NULL), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "note", ""), "patched");
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/events/e1", NULL, &o), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "message", ""), "patched");
    json_decref(o);
}

/* A stand-in kubelet: answers /containerLogs/... with the path it saw. */
static enum MHD_Result fake_kubelet(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                    const char *version, const char *data, size_t *size, void **ptr)
{
    char body[512];
    const char *follow = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "tailLines");
    snprintf(body, sizeof body, "log of %s tail=%s\n", url, follow ? follow : "-");
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "text/plain");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static void test_pod_log_through_kubelet(void)
{
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, fake_kubelet, NULL,
                                            MHD_OPTION_END);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
    char node[512];
    snprintf(node, sizeof node, "{\"metadata\":{\"name\":\"kn\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\","
             "\"address\":\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":%d}}}}", port);
    json_t *o = NULL;
    CU_ASSERT_EQUAL(call("POST", "/api/v1/nodes", node, &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods",
                         "{\"metadata\":{\"name\":\"lp\"},\"spec\":{\"nodeName\":\"kn\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", &o), 201);
    json_decref(o);
    ck_stream *s = NULL;
    CU_ASSERT_EQUAL(call_ex("GET", "/api/v1/namespaces/default/pods/lp/log?tailLines=5", NULL, NULL, NULL, NULL, &s), 200);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    char buf[512];
    size_t have = 0;
    ssize_t n;
    while ((n = s->read(s, buf + have, sizeof buf - have - 1)) > 0) have += (size_t)n;
    buf[have] = 0;
    s->free(s);
    CU_ASSERT_STRING_EQUAL(buf, "log of /containerLogs/default/lp/c tail=5\n");
    /* an unbound pod has no kubelet to ask */
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/pods",
                         "{\"metadata\":{\"name\":\"lq\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", &o), 201);
    json_decref(o);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/pods/lq/log", NULL, &o), 400);
    json_decref(o);
    MHD_stop_daemon(d);
}

int main(void)
{
    static const ck_test tests[] = {
        {"create, get, update conflict, not found", test_create_get_conflict},
        {"generateName and dryRun", test_generate_name_dry_run},
        {"422 Invalid, 400, strict fields, 415, 406, 404, 405", test_invalid_and_bad_request},
        {"merge, json and strategic patches", test_patches},
        {"status and scale subresources, generation", test_status_scale_generation},
        {"finalizers, preconditions, propagationPolicy", test_finalizers},
        {"namespace lifecycle", test_namespace_lifecycle},
        {"paging with continue, selectors, deletecollection", test_paging_and_selectors},
        {"watch from resourceVersion, selector enter/leave, 410", test_watch},
        {"ClusterIP and NodePort allocation", test_services_allocation},
        {"a ClusterIP Service updated to ExternalName", test_service_to_external_name},
        {"pods: defaults, binding, graceful deletion", test_pod_binding},
        {"self-test mode breaks conflicts", test_broken_conflicts_mode},
        {"events.k8s.io/v1 and core/v1 Events share storage", test_events_two_versions},
        {"pods/log streams from the node's kubelet", test_pod_log_through_kubelet},
        {NULL, NULL},
    };
    return ck_test_main("apiserver REST", tests, apitest_start, apitest_stop);
}
