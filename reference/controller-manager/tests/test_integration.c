/* test_integration.c: real controllers against the real ckube apiserver
 * (<build>/bin/apiserver --storage-backend memory --port 0), started in a
 * child process: default ServiceAccount and root CA ConfigMap, ReplicaSet
 * scale up/down with owner references, a Deployment's first ReplicaSet,
 * Endpoints, and garbage collection of an RS's pods. Skipped (with a
 * message) when no apiserver binary has been built. */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "controller-manager/controllers.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/log.h"
#include "util/testserver.h"
#include "util/timeutil.h"

static ck_testserver server;
static ck_rest *rest;
static const ck_cm_controller *const RUN[] = {
    &ck_cm_serviceaccount_controller, &ck_cm_rootcacertpublisher_controller, &ck_cm_replicaset_controller,
    &ck_cm_deployment_controller,     &ck_cm_endpoints_controller,           &ck_cm_garbagecollector_controller,
};
#define NRUN (sizeof RUN / sizeof RUN[0])
static void *handles[NRUN];

static int setup(void)
{
    char bin[PATH_MAX], err[256];
    if (!ck_testserver_find(bin, sizeof bin)) {
        fprintf(stderr, "test_integration: no apiserver binary; skipping the integration tests\n");
        return 0;
    }
    if (ck_testserver_start(&server, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "test_integration: %s\n", err);
        return 1;
    }
    rest = ck_testserver_client(&server);
    if (!rest) return 1;
    ck_log_level = CK_LOG_ERROR;
    ck_cm_ctx ctx = {.rest = rest, .workers = 2};
    for (size_t i = 0; i < NRUN; i++) {
        int64_t t0 = ck_mono_ms();
        handles[i] = RUN[i]->start(&ctx, err, sizeof err);
        if (getenv("CK_ITEST_TRACE")) fprintf(stderr, "start %s: %lld ms\n", RUN[i]->name, (long long)(ck_mono_ms() - t0));
        if (!handles[i]) { fprintf(stderr, "start %s: %s\n", RUN[i]->name, err); return 1; }
    }
    return 0;
}

static void *stop_one(void *arg)
{
    size_t i = (size_t)arg;
    RUN[i]->stop(handles[i]);
    return NULL;
}

static int teardown(void)
{
    /* controllers stop in parallel: each waits for its watches to end */
    pthread_t t[NRUN];
    bool started[NRUN] = {0};
    int64_t t0 = ck_mono_ms();
    for (size_t i = 0; i < NRUN; i++)
        if (handles[i]) started[i] = pthread_create(&t[i], NULL, stop_one, (void *)i) == 0;
    for (size_t i = 0; i < NRUN; i++) {
        if (started[i]) pthread_join(t[i], NULL);
        else if (handles[i]) RUN[i]->stop(handles[i]);
    }
    if (getenv("CK_ITEST_TRACE")) fprintf(stderr, "stop: %lld ms\n", (long long)(ck_mono_ms() - t0));
    ck_rest_free(rest);
    ck_testserver_stop(&server);
    return 0;
}

/* GET path into a new reference (NULL when not 2xx). */
static json_t *get(const char *path)
{
    ck_response r = {0};
    json_t *o = ck_rest_do(rest, "GET", path, NULL, NULL, &r) == 0 ? json_incref(r.body) : NULL;
    ck_response_clear(&r);
    return o;
}

static int send(const char *method, const char *path, const char *ctype, const char *body)
{
    json_t *b = body ? json_loads(body, 0, NULL) : NULL;
    ck_response r = {0};
    int rc = ck_rest_do(rest, method, path, ctype, b, &r);
    ck_response_clear(&r);
    json_decref(b);
    return rc;
}

/* Polls until the list at path has n items matching pred (NULL = any), up to 10 s. */
static size_t wait_items(const char *path, size_t n, bool (*pred)(const json_t *))
{
    size_t got = (size_t)-1;
    for (int64_t end = ck_mono_ms() + 10000; ck_mono_ms() < end; usleep(100 * 1000)) {
        json_t *l = get(path);
        got = 0;
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(l, "items"), i, it) if (!pred || pred(it)) got++;
        json_decref(l);
        if (got == n) break;
        if (getenv("CK_ITEST_TRACE")) fprintf(stderr, "%s: %zu/%zu\n", path, got, n);
    }
    return got;
}

static bool alive(const json_t *o) { return !ck_json_path(o, "metadata.deletionTimestamp"); }
static bool owned(const json_t *o) { return alive(o) && json_array_size(ck_json_path(o, "metadata.ownerReferences")) == 1; }

#define SKIP_IF_NO_APISERVER() do { if (server.pid <= 0) return; } while (0)

static void test_namespace_defaults(void)
{
    SKIP_IF_NO_APISERVER();
    CU_ASSERT_EQUAL(send("POST", "/api/v1/namespaces", NULL, "{\"metadata\":{\"name\":\"it\"}}"), 0);
    CU_ASSERT_EQUAL(wait_items("/api/v1/namespaces/it/serviceaccounts?fieldSelector=metadata.name%3Ddefault", 1, NULL), 1);
    CU_ASSERT_EQUAL(wait_items("/api/v1/namespaces/it/configmaps?fieldSelector=metadata.name%3Dkube-root-ca.crt", 1, NULL), 1);
    json_t *cm = get("/api/v1/namespaces/it/configmaps/kube-root-ca.crt");
    const char *ca = json_string_value(json_object_get(json_object_get(cm, "data"), "ca.crt"));
    CU_ASSERT_PTR_NOT_NULL(ca && strstr(ca, "BEGIN CERTIFICATE"));
    json_decref(cm);
}

static void test_replicaset(void)
{
    SKIP_IF_NO_APISERVER();
    CU_ASSERT_EQUAL_FATAL(send("POST", "/apis/apps/v1/namespaces/it/replicasets", NULL,
                               "{\"metadata\":{\"name\":\"rs\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":"
                               "{\"app\":\"rs\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"rs\"}},\"spec\":"
                               "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}"), 0);
    CU_ASSERT_EQUAL(wait_items("/api/v1/namespaces/it/pods?labelSelector=app%3Drs", 3, owned), 3);
    CU_ASSERT_EQUAL(send("PATCH", "/apis/apps/v1/namespaces/it/replicasets/rs", "application/merge-patch+json",
                         "{\"spec\":{\"replicas\":1}}"), 0);
    CU_ASSERT_EQUAL(wait_items("/api/v1/namespaces/it/pods?labelSelector=app%3Drs", 1, alive), 1);
    int64_t end = ck_mono_ms() + 5000;
    long long replicas = -1;
    while (ck_mono_ms() < end && replicas != 1) {
        json_t *rs = get("/apis/apps/v1/namespaces/it/replicasets/rs");
        replicas = ck_json_int(rs, "status.replicas", -1);
        json_decref(rs);
        usleep(100 * 1000);
    }
    CU_ASSERT_EQUAL(replicas, 1);
    /* garbage collection: deleting the RS (background) takes its pod */
    CU_ASSERT_EQUAL(send("DELETE", "/apis/apps/v1/namespaces/it/replicasets/rs", NULL, NULL), 0);
    CU_ASSERT_EQUAL(wait_items("/api/v1/namespaces/it/pods?labelSelector=app%3Drs", 0, alive), 0);
}

static void test_deployment(void)
{
    SKIP_IF_NO_APISERVER();
    CU_ASSERT_EQUAL_FATAL(send("POST", "/apis/apps/v1/namespaces/it/deployments", NULL,
                               "{\"metadata\":{\"name\":\"dp\"},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":"
                               "{\"app\":\"dp\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"dp\"}},\"spec\":"
                               "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}"), 0);
    CU_ASSERT_EQUAL(wait_items("/apis/apps/v1/namespaces/it/replicasets?labelSelector=app%3Ddp", 1, owned), 1);
    json_t *l = get("/apis/apps/v1/namespaces/it/replicasets?labelSelector=app%3Ddp");
    json_t *rs = json_array_get(json_object_get(l, "items"), 0);
    const char *hash = json_string_value(json_object_get(ck_json_path(rs, "metadata.labels"), "pod-template-hash"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(hash);
    char name[64];
    snprintf(name, sizeof name, "dp-%s", hash);
    CU_ASSERT_STRING_EQUAL(ck_json_str(rs, "metadata.name", ""), name);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ck_json_path(rs, "metadata.annotations"),
                                                             "deployment.kubernetes.io/revision")), "1");
    json_decref(l);
    CU_ASSERT_EQUAL(wait_items("/api/v1/namespaces/it/pods?labelSelector=app%3Ddp", 2, owned), 2);
}

static void test_endpoints(void)
{
    SKIP_IF_NO_APISERVER();
    CU_ASSERT_EQUAL_FATAL(send("POST", "/api/v1/namespaces/it/services", NULL,
                               "{\"metadata\":{\"name\":\"svc\"},\"spec\":{\"selector\":{\"app\":\"ep\"},"
                               "\"ports\":[{\"port\":80,\"targetPort\":8080}]}}"), 0);
    CU_ASSERT_EQUAL(send("POST", "/api/v1/namespaces/it/pods", NULL,
                         "{\"metadata\":{\"name\":\"ep1\",\"labels\":{\"app\":\"ep\"}},\"spec\":{\"containers\":"
                         "[{\"name\":\"c\",\"image\":\"busybox\"}]}}"), 0);
    CU_ASSERT_EQUAL(send("PATCH", "/api/v1/namespaces/it/pods/ep1/status", "application/merge-patch+json",
                         "{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.2.3\",\"conditions\":"
                         "[{\"type\":\"Ready\",\"status\":\"True\"}]}}"), 0);
    const char *ip = "";
    json_t *ep = NULL;
    for (int64_t end = ck_mono_ms() + 10000; ck_mono_ms() < end && strcmp(ip, "10.1.2.3"); usleep(100 * 1000)) {
        json_decref(ep);
        ep = get("/api/v1/namespaces/it/endpoints/svc");
        ip = ck_json_str(json_array_get(json_object_get(json_array_get(json_object_get(ep, "subsets"), 0), "addresses"), 0),
                         "ip", "");
    }
    CU_ASSERT_STRING_EQUAL(ip, "10.1.2.3");
    json_t *port = json_array_get(json_object_get(json_array_get(json_object_get(ep, "subsets"), 0), "ports"), 0);
    CU_ASSERT_EQUAL(ck_json_int(port, "port", 0), 8080);
    json_decref(ep);
}

int main(void)
{
    static const ck_test tests[] = {
        {"default ServiceAccount and kube-root-ca.crt", test_namespace_defaults},
        {"ReplicaSet scale up/down, status, garbage collection", test_replicaset},
        {"Deployment creates <name>-<hash> ReplicaSet and pods", test_deployment},
        {"Endpoints for a Service", test_endpoints},
        {NULL, NULL},
    };
    return ck_test_main("controller-manager integration", tests, setup, teardown);
}
