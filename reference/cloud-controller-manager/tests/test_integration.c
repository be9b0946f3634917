/* test_integration.c: the cloud controllers in-process with the fake
 * provider against the real apiserver (memory storage): a tainted Node is
 * initialised, its podCIDR routed, a vanished instance's Node deleted; a
 * LoadBalancer Service gets ingress and the cleanup finalizer, and deleting
 * it releases the balancer and the finalizer (with upstream's Events). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cloud-controller-manager/controllers.h"
#include "cloud-controller-manager/providers/fake.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/testserver.h"

static ck_testserver server;
static ck_rest *rest;
static ck_cloud cloud;
static ck_ccm_ctx ctx;
static const ck_ccm_controller *const CTRLS[] = {&ck_ccm_cloud_node_controller,
                                                 &ck_ccm_cloud_node_lifecycle_controller,
                                                 &ck_ccm_service_controller, &ck_ccm_route_controller};
static void *handles[4];

static int setup(void)
{
    char err[256];
    if (ck_testserver_start(&server, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    rest = ck_testserver_client(&server);
    ck_cloud_config cc = {.cluster_name = "kubernetes"};
    if (!rest || ck_cloud_open("fake", &cc, &cloud, err, sizeof err) < 0) return 1;
    ctx = (ck_ccm_ctx){.rest = rest, .cloud = &cloud, .cluster_name = "kubernetes", .node_monitor_period_ms = 200,
                       .node_status_update_ms = 60000, .route_period_ms = 300};
    for (size_t i = 0; i < 4; i++) {
        if (!(handles[i] = CTRLS[i]->start(&ctx, err, sizeof err))) {
            fprintf(stderr, "%s: %s\n", CTRLS[i]->name, err);
            return 1;
        }
    }
    return 0;
}

static int cleanup(void)
{
    for (size_t i = 4; i-- > 0;)
        if (handles[i]) CTRLS[i]->stop(handles[i]);
    if (cloud.ops) ck_cloud_close(&cloud);
    ck_rest_free(rest);
    ck_testserver_stop(&server);
    return 0;
}

/* Polls GET until pred(obj) holds (or 404 when obj must be gone); the last body is returned (caller decrefs). */
static json_t *wait_for(const ck_resource_ref *ref, bool (*pred)(const json_t *), long *code)
{
    json_t *last = NULL;
    for (int i = 0; i < 100; i++) {
        ck_response r = {0};
        ck_rest_get(rest, ref, &r);
        *code = r.code;
        json_decref(last);
        last = json_incref(r.body);
        ck_response_clear(&r);
        if (pred ? (*code == 200 && pred(last)) : *code == 404) break;
        usleep(100000);
    }
    return last;
}

static bool initialized(const json_t *n)
{
    return ck_ccm_taint_index(n, CK_TAINT_UNINITIALIZED) < 0 && *ck_json_str(n, "spec.providerID", "");
}
static bool network_up(const json_t *n) { return !strcmp(ck_ccm_condition_status(n, "NetworkUnavailable"), "False"); }
static bool has_ingress(const json_t *s) { return json_array_size(ck_json_path(s, "status.loadBalancer.ingress")) > 0; }

static json_t *create(const char *resource, const char *ns, const char *text)
{
    json_error_t e;
    json_t *body = json_loads(text, 0, &e), *out = NULL;
    ck_response r = {0};
    if (ck_rest_create(rest, &(ck_resource_ref){"", "v1", resource, ns, NULL, NULL}, body, &r) == 0)
        out = json_incref(r.body);
    else
        fprintf(stderr, "create %s: %ld %s\n", resource, r.code, r.message);
    ck_response_clear(&r);
    json_decref(body);
    return out;
}

static void test_node_initialized(void)
{
    json_t *n = create("nodes", NULL,
                       "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"},\"spec\":{\"podCIDR\":"
                       "\"10.244.1.0/24\",\"taints\":[{\"key\":\"node.cloudprovider.kubernetes.io/uninitialized\","
                       "\"value\":\"true\",\"effect\":\"NoSchedule\"}]}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    json_decref(n);
    long code;
    n = wait_for(&(ck_resource_ref){"", "v1", "nodes", NULL, "n1", NULL}, initialized, &code);
    CU_ASSERT_TRUE(initialized(n));
    CU_ASSERT_STRING_EQUAL(ck_json_str(n, "spec.providerID", ""), "fake://n1");
    json_t *labels = ck_json_path(n, "metadata.labels");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, CK_LABEL_ZONE)) ?: "", "zone-a");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, CK_LABEL_REGION)) ?: "", "region-1");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, CK_LABEL_INSTANCE_TYPE)) ?: "", "fake.small");
    json_decref(n);
}

static void test_route_created(void)
{
    long code;
    json_t *n = wait_for(&(ck_resource_ref){"", "v1", "nodes", NULL, "n1", NULL}, network_up, &code);
    CU_ASSERT_TRUE(network_up(n));
    json_decref(n);
    ck_route routes[4];
    size_t nr = ck_fake_routes(cloud.self, routes, 4);
    CU_ASSERT_EQUAL_FATAL(nr, 1);
    CU_ASSERT_STRING_EQUAL(routes[0].target_node, "n1");
    CU_ASSERT_STRING_EQUAL(routes[0].destination_cidr, "10.244.1.0/24");
}

static bool event_seen(const char *reason)
{
    ck_response r = {0};
    bool found = false;
    ck_rest_list(rest, &(ck_resource_ref){"", "v1", "events", "default", NULL, NULL}, NULL, &r);
    json_t *items = ck_json_path(r.body, "items"), *e;
    size_t i;
    json_array_foreach(items, i, e)
        found |= !strcmp(ck_json_str(e, "reason", ""), reason) &&
                 !strcmp(ck_json_str(e, "involvedObject.name", ""), "web");
    ck_response_clear(&r);
    return found;
}

static void test_service_lb(void)
{
    json_t *s = create("services", "default",
                       "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"type\":"
                       "\"LoadBalancer\",\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    json_decref(s);
    long code;
    ck_resource_ref ref = {"", "v1", "services", "default", "web", NULL};
    s = wait_for(&ref, has_ingress, &code);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ck_json_path(s, "status.loadBalancer.ingress"), 0), "ip", ""),
                           "192.0.2.1");
    CU_ASSERT_TRUE(ck_ccm_svc_has_finalizer(s));
    CU_ASSERT_EQUAL(ck_fake_lb_count(cloud.self), 1);
    CU_ASSERT_TRUE(event_seen("EnsuringLoadBalancer"));
    CU_ASSERT_TRUE(event_seen("EnsuredLoadBalancer"));
    json_decref(s);
    /* delete: the finalizer holds the object until the balancer is gone */
    ck_response r = {0};
    CU_ASSERT_EQUAL(ck_rest_delete(rest, &ref, NULL, &r), 0);
    ck_response_clear(&r);
    s = wait_for(&ref, NULL, &code);
    CU_ASSERT_EQUAL(code, 404);
    json_decref(s);
    CU_ASSERT_EQUAL(ck_fake_lb_count(cloud.self), 0);
    CU_ASSERT_TRUE(ck_fake_calls(cloud.self, "ensure_deleted") >= 1);
    CU_ASSERT_TRUE(event_seen("DeletingLoadBalancer"));
    CU_ASSERT_TRUE(event_seen("DeletedLoadBalancer"));
}

static void test_vanished_instance_deleted(void)
{
    ck_fake_add_instance(cloud.self, "n2", NULL, false, false);
    json_t *n = create("nodes", NULL, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n2\"}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    json_decref(n);
    long code;
    n = wait_for(&(ck_resource_ref){"", "v1", "nodes", NULL, "n2", NULL}, NULL, &code);
    CU_ASSERT_EQUAL(code, 404);
    json_decref(n);
    /* n1 (instance exists) is kept */
    ck_response r = {0};
    CU_ASSERT_EQUAL(ck_rest_get(rest, &(ck_resource_ref){"", "v1", "nodes", NULL, "n1", NULL}, &r), 0);
    ck_response_clear(&r);
}

int main(void)
{
    static const ck_test tests[] = {
        {"tainted node initialised from the cloud", test_node_initialized},
        {"route per podCIDR, NetworkUnavailable False", test_route_created},
        {"LoadBalancer service: ingress, finalizer, release on delete", test_service_lb},
        {"node of a vanished instance deleted", test_vanished_instance_deleted},
        {NULL, NULL}};
    return ck_test_main("cloud-controller-manager integration", tests, setup, cleanup);
}
