/* test_metrics.c: the Prometheus exposition of apiserver metrics: names,
 * label sets, verb reporting, histogram buckets, concurrency. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "util/cktest.h"
#include "apiserver/metrics.h"

/* The value of the sample line starting with `prefix` in text, or -1. */
static double sample(const char *text, const char *prefix)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (*p == '#' || strncmp(p, prefix, strlen(prefix))) continue;
        const char *sp = strchr(p, ' ');
        if (sp && sp < strchr(p, '\n')) return strtod(sp + 1, NULL);
    }
    return -1;
}

static void test_request_counter_and_histogram(void)
{
    ck_metrics_reset();
    ck_metrics_request("create", "", "v1", "pods", "", "resource", 201, 0.03);
    ck_metrics_request("create", "", "v1", "pods", "", "resource", 201, 0.3);
    ck_metrics_request("list", "apps", "v1", "deployments", "", "namespace", 200, 0.001);
    ck_metrics_request("patch", "", "v1", "pods", "status", "resource", 422, 2.5);
    char *t = ck_metrics_render();
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "# TYPE apiserver_request_total counter\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "# TYPE apiserver_request_duration_seconds histogram\n"));
    CU_ASSERT_EQUAL(sample(t, "apiserver_request_total{code=\"201\",component=\"apiserver\",dry_run=\"\","
                              "group=\"\",resource=\"pods\",scope=\"resource\",subresource=\"\",verb=\"POST\","
                              "version=\"v1\"}"), 2);
    CU_ASSERT_EQUAL(sample(t, "apiserver_request_total{code=\"200\",component=\"apiserver\",dry_run=\"\","
                              "group=\"apps\",resource=\"deployments\",scope=\"namespace\",subresource=\"\","
                              "verb=\"LIST\""), 1);
    CU_ASSERT_EQUAL(sample(t, "apiserver_request_total{code=\"422\",component=\"apiserver\",dry_run=\"\","
                              "group=\"\",resource=\"pods\",scope=\"resource\",subresource=\"status\","
                              "verb=\"PATCH\""), 1);
    const char *h = "apiserver_request_duration_seconds_bucket{component=\"apiserver\",dry_run=\"\",group=\"\","
                    "resource=\"pods\",scope=\"resource\",subresource=\"\",verb=\"POST\",version=\"v1\",";
    char line[512];
    snprintf(line, sizeof line, "%sle=\"0.025\"}", h);
    CU_ASSERT_EQUAL(sample(t, line), 0);
    snprintf(line, sizeof line, "%sle=\"0.05\"}", h);
    CU_ASSERT_EQUAL(sample(t, line), 1);
    snprintf(line, sizeof line, "%sle=\"0.4\"}", h);
    CU_ASSERT_EQUAL(sample(t, line), 2);
    snprintf(line, sizeof line, "%sle=\"+Inf\"}", h);
    CU_ASSERT_EQUAL(sample(t, line), 2);
    double sum = sample(t, "apiserver_request_duration_seconds_sum{component=\"apiserver\",dry_run=\"\",group=\"\","
                           "resource=\"pods\",scope=\"resource\",subresource=\"\",verb=\"POST\"");
    CU_ASSERT_DOUBLE_EQUAL(sum, 0.33, 1e-9);
    free(t);
}

static void test_gauges_and_etcd(void)
{
    ck_metrics_reset();
    ck_metrics_inflight(+1, true);
    ck_metrics_inflight(+1, true);
    ck_metrics_inflight(-1, true);
    ck_metrics_inflight(+1, false);
    ck_metrics_storage_objects("pods", 7);
    ck_metrics_storage_objects("pods", 5);
    ck_metrics_storage_objects("deployments.apps", 1);
    ck_metrics_etcd("get", "pods", 0.002);
    ck_metrics_request("weird\"verb", NULL, NULL, NULL, NULL, NULL, 404, 0);
    char *t = ck_metrics_render();
    CU_ASSERT_EQUAL(sample(t, "apiserver_current_inflight_requests{request_kind=\"mutating\"}"), 1);
    CU_ASSERT_EQUAL(sample(t, "apiserver_current_inflight_requests{request_kind=\"readOnly\"}"), 1);
    CU_ASSERT_EQUAL(sample(t, "apiserver_storage_objects{resource=\"pods\"}"), 5);
    CU_ASSERT_EQUAL(sample(t, "apiserver_storage_objects{resource=\"deployments.apps\"}"), 1);
    CU_ASSERT_EQUAL(sample(t, "etcd_request_duration_seconds_count{operation=\"get\",type=\"pods\"}"), 1);
    CU_ASSERT_EQUAL(sample(t, "etcd_request_duration_seconds_bucket{operation=\"get\",type=\"pods\",le=\"0.005\"}"), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "verb=\"WEIRD\\\"VERB\""));
    free(t);
    ck_metrics_reset();
    t = ck_metrics_render();
    CU_ASSERT_EQUAL(sample(t, "apiserver_storage_objects{"), -1);
    free(t);
}

static void *hammer(void *arg)
{
    for (int i = 0; i < 2000; i++) {
        ck_metrics_request("get", "", "v1", "pods", "", "resource", 200, 0.001);
        ck_metrics_inflight(+1, false);
        ck_metrics_inflight(-1, false);
    }
    return arg;
}

static void test_concurrent(void)
{
    ck_metrics_reset();
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, hammer, NULL);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    char *t = ck_metrics_render();
    CU_ASSERT_EQUAL(sample(t, "apiserver_request_total{code=\"200\""), 8000);
    CU_ASSERT_EQUAL(sample(t, "apiserver_current_inflight_requests{request_kind=\"readOnly\"}"), 0);
    free(t);
    ck_metrics_reset();
}

int main(void)
{
    static const ck_test tests[] = {
        {"request counter and latency histogram", test_request_counter_and_histogram},
        {"gauges and etcd latency", test_gauges_and_etcd},
        {"concurrent recording", test_concurrent},
        {NULL, NULL},
    };
    return ck_test_main("metrics", tests, NULL, NULL);
}
