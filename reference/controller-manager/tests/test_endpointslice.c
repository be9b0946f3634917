/* test_endpointslice.c: EndpointSlices from a Service and its pods, and
 * mirrored from Endpoints, as upstream's endpointslice and
 * endpointslicemirroring reconciler tests expect: conditions, named ports,
 * 100 endpoints per slice, placeholder, updates in place, deletes. */
#include <stdio.h>
#include <string.h>
#include "controller-manager/endpointslice_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *pod(const char *name, const char *ip, bool ready, int http_port)
{
    return json_pack("{s:{s:s,s:s,s:s,s:{s:s}},s:{s:s,s:[{s:s,s:[{s:s,s:i}]}]},s:{s:s,s:s,s:[{s:s,s:s}]}}",
                     "metadata", "name", name, "namespace", "ns", "uid", name, "labels", "app", "x", "spec",
                     "nodeName", "node1", "containers", "name", "c", "ports", "name", "http", "containerPort",
                     http_port, "status", "phase", "Running", "podIP", ip, "conditions", "type", "Ready", "status",
                     ready ? "True" : "False");
}

static json_t *svc(void)
{
    return json_loads("{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\",\"uid\":\"su\",\"labels\":{\"a\":\"b\"}},"
                      "\"spec\":{\"clusterIP\":\"10.0.0.1\",\"selector\":{\"app\":\"x\"},"
                      "\"ports\":[{\"name\":\"web\",\"port\":80,\"targetPort\":\"http\",\"protocol\":\"TCP\"}]}}",
                      0, NULL);
}

static json_t *tmpl(void)
{
    return json_pack("{s:s,s:s,s:{s:s,s:s}}", "namespace", "ns", "generateName", "s-", "labels",
                     CK_EPSLICE_LABEL_SERVICE, "s", CK_EPSLICE_LABEL_MANAGED_BY, CK_EPSLICE_CONTROLLER);
}

static void test_pod_endpoint(void)
{
    json_t *s = svc(), *p = pod("a", "10.1.0.5", true, 8080);
    json_t *ep = ck_epslice_pod_endpoint(s, p);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(ep, "addresses"), 0)), "10.1.0.5");
    CU_ASSERT_TRUE(ck_json_bool(ep, "conditions.ready", false));
    CU_ASSERT_TRUE(ck_json_bool(ep, "conditions.serving", false));
    CU_ASSERT_FALSE(ck_json_bool(ep, "conditions.terminating", true));
    CU_ASSERT_STRING_EQUAL(ck_json_str(ep, "nodeName", ""), "node1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ep, "targetRef.kind", ""), "Pod");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ep, "targetRef.name", ""), "a");
    json_decref(ep);
    /* terminating: still listed, serving, not ready */
    ck_json_set(p, "metadata.deletionTimestamp", json_string("2024-01-01T00:00:00Z"));
    ep = ck_epslice_pod_endpoint(s, p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ep);
    CU_ASSERT_FALSE(ck_json_bool(ep, "conditions.ready", true));
    CU_ASSERT_TRUE(ck_json_bool(ep, "conditions.serving", false));
    CU_ASSERT_TRUE(ck_json_bool(ep, "conditions.terminating", false));
    json_decref(ep);
    /* no IP, or finished: not included */
    ck_json_set(p, "status.podIP", json_string(""));
    CU_ASSERT_PTR_NULL(ck_epslice_pod_endpoint(s, p));
    json_decref(p), json_decref(s);
}

static void test_ports_and_groups(void)
{
    json_t *s = svc();
    json_t *pods = json_pack("[o,o,o]", pod("a", "10.1.0.1", true, 8080), pod("b", "10.1.0.2", false, 8080),
                             pod("c", "10.1.0.3", true, 9090));
    json_t *ports = ck_epslice_pod_ports(s, json_array_get(pods, 2));
    CU_ASSERT_EQUAL(ck_json_int(json_array_get(ports, 0), "port", 0), 9090);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ports, 0), "name", "?"), "web");
    json_decref(ports);
    json_t *g = ck_epslice_service_groups(s, pods);
    CU_ASSERT_EQUAL(json_array_size(g), 2);  /* 8080 and 9090 */
    CU_ASSERT_EQUAL(json_array_size(json_object_get(json_array_get(g, 0), "endpoints")), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(g, 0), "addressType", ""), "IPv4");
    json_decref(g);
    json_t *none = json_array();
    g = ck_epslice_service_groups(s, none);  /* placeholder */
    CU_ASSERT_EQUAL(json_array_size(g), 1);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(json_array_get(g, 0), "endpoints")), 0);
    json_decref(g), json_decref(none), json_decref(pods), json_decref(s);
}

static void test_labels(void)
{
    json_t *s = svc();
    ck_json_set(s, "spec.clusterIP", json_string("None"));
    json_t *l = ck_epslice_service_labels(s, CK_EPSLICE_CONTROLLER);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "kubernetes.io/service-name")), "s");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "endpointslice.kubernetes.io/managed-by")),
                           "endpointslice-controller.k8s.io");
    CU_ASSERT_PTR_NOT_NULL(json_object_get(l, "service.kubernetes.io/headless"));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "a")), "b");
    json_decref(l), json_decref(s);
}

/* 250 pods -> 3 new slices of 100, 100, 50 */
static void test_max_per_slice(void)
{
    json_t *s = svc(), *pods = json_array(), *t = tmpl(), *none = json_array();
    char name[16], ip[32];
    for (int i = 0; i < 250; i++) {
        snprintf(name, sizeof name, "p%d", i);
        snprintf(ip, sizeof ip, "10.1.%d.%d", i / 200, i % 200);
        json_array_append_new(pods, pod(name, ip, true, 8080));
    }
    json_t *g = ck_epslice_service_groups(s, pods);
    ck_epslice_plan plan;
    CU_ASSERT_EQUAL_FATAL(ck_epslice_reconcile(g, none, t, CK_EPSLICE_MAX_ENDPOINTS, &plan), 0);
    CU_ASSERT_EQUAL(json_array_size(plan.create), 3);
    CU_ASSERT_EQUAL(json_array_size(plan.update) + json_array_size(plan.remove), 0);
    size_t total = 0;
    for (size_t i = 0; i < json_array_size(plan.create); i++) {
        json_t *sl = json_array_get(plan.create, i);
        size_t n = json_array_size(json_object_get(sl, "endpoints"));
        CU_ASSERT_TRUE(n <= 100);
        total += n;
        CU_ASSERT_STRING_EQUAL(ck_json_str(sl, "apiVersion", ""), "discovery.k8s.io/v1");
        CU_ASSERT_STRING_EQUAL(ck_json_str(sl, "metadata.generateName", ""), "s-");
        CU_ASSERT_EQUAL(ck_json_int(json_array_get(json_object_get(sl, "ports"), 0), "port", 0), 8080);
    }
    CU_ASSERT_EQUAL(total, 250);
    ck_epslice_plan_clear(&plan);
    json_decref(g), json_decref(none), json_decref(t), json_decref(pods), json_decref(s);
}

/* An existing slice: unchanged -> no writes; a pod gone -> update in
 * place; all pods gone -> the slice stays as placeholder; ports changed ->
 * new slice, old one deleted. */
static void test_reconcile_existing(void)
{
    json_t *s = svc(), *t = tmpl(), *none = json_array();
    json_t *pods = json_pack("[o,o]", pod("a", "10.1.0.1", true, 8080), pod("b", "10.1.0.2", true, 8080));
    json_t *g = ck_epslice_service_groups(s, pods);
    ck_epslice_plan plan;
    ck_epslice_reconcile(g, none, t, 100, &plan);
    json_t *cur = json_deep_copy(json_array_get(plan.create, 0));
    ck_json_set(cur, "metadata.name", json_string("s-abcde"));
    json_t *existing = json_pack("[O]", cur);
    ck_epslice_plan_clear(&plan);
    ck_epslice_reconcile(g, existing, t, 100, &plan);
    CU_ASSERT_TRUE(ck_epslice_plan_empty(&plan));
    ck_epslice_plan_clear(&plan);
    json_decref(g);

    json_array_remove(pods, 1);
    g = ck_epslice_service_groups(s, pods);
    ck_epslice_reconcile(g, existing, t, 100, &plan);
    CU_ASSERT_EQUAL(json_array_size(plan.update), 1);
    CU_ASSERT_EQUAL(json_array_size(plan.create) + json_array_size(plan.remove), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(plan.update, 0), "metadata.name", ""), "s-abcde");
    CU_ASSERT_EQUAL(json_array_size(json_object_get(json_array_get(plan.update, 0), "endpoints")), 1);
    ck_epslice_plan_clear(&plan);
    json_decref(g);

    g = ck_epslice_service_groups(s, none);
    ck_epslice_reconcile(g, existing, t, 100, &plan);
    /* reconciler.go: a new placeholder replaces the old slice (create + delete) */
    CU_ASSERT_EQUAL(json_array_size(plan.create), 1);
    CU_ASSERT_EQUAL(json_array_size(plan.remove), 1);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(json_array_get(plan.create, 0), "endpoints")), 0);
    ck_epslice_plan_clear(&plan);
    json_decref(g);

    json_t *p9 = json_pack("[o]", pod("a", "10.1.0.1", true, 9090));
    g = ck_epslice_service_groups(s, p9);
    ck_epslice_reconcile(g, existing, t, 100, &plan);
    CU_ASSERT_EQUAL(json_array_size(plan.create), 1);
    CU_ASSERT_EQUAL(json_array_size(plan.remove), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(plan.remove, 0), "metadata.name", ""), "s-abcde");
    ck_epslice_plan_clear(&plan);
    json_t *empty = json_array();
    ck_epslice_reconcile(empty, existing, t, 100, &plan);  /* service gone */
    CU_ASSERT_EQUAL(json_array_size(plan.remove), 1);
    CU_ASSERT_EQUAL(json_array_size(plan.create), 0);
    ck_epslice_plan_clear(&plan);
    json_decref(empty), json_decref(p9), json_decref(g), json_decref(existing), json_decref(cur);
    json_decref(pods), json_decref(none), json_decref(t), json_decref(s);
}

static void test_mirror(void)
{
    json_t *ep = json_loads("{\"metadata\":{\"name\":\"m\",\"namespace\":\"ns\",\"labels\":{\"x\":\"y\"}},"
                            "\"subsets\":[{\"addresses\":[{\"ip\":\"10.9.0.1\"},{\"ip\":\"10.9.0.2\"}],"
                            "\"notReadyAddresses\":[{\"ip\":\"10.9.0.3\"}],\"ports\":[{\"name\":\"p\",\"port\":80}]},"
                            "{\"addresses\":[{\"ip\":\"fd00::1\"}],\"ports\":[{\"name\":\"p\",\"port\":80}]}]}",
                            0, NULL);
    json_t *g = ck_epslice_mirror_groups(ep);
    CU_ASSERT_EQUAL_FATAL(json_array_size(g), 2);
    json_t *v4 = json_array_get(g, 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(v4, "addressType", ""), "IPv4");
    CU_ASSERT_EQUAL(json_array_size(json_object_get(v4, "endpoints")), 3);
    CU_ASSERT_FALSE(ck_json_bool(json_array_get(json_object_get(v4, "endpoints"), 2), "conditions.ready", true));
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(g, 1), "addressType", ""), "IPv6");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(json_object_get(v4, "ports"), 0), "protocol", ""), "TCP");
    json_decref(g);
    json_t *sel = json_loads("{\"spec\":{\"selector\":{\"a\":\"b\"}}}", 0, NULL);
    json_t *nosel = json_loads("{\"spec\":{}}", 0, NULL);
    CU_ASSERT_TRUE(ck_epslice_should_mirror(ep, nosel));
    CU_ASSERT_FALSE(ck_epslice_should_mirror(ep, sel));
    CU_ASSERT_FALSE(ck_epslice_should_mirror(ep, NULL));
    ck_json_set(ep, "metadata.labels", json_pack("{s:s}", CK_EPSLICE_LABEL_SKIP_MIRROR, "true"));
    CU_ASSERT_FALSE(ck_epslice_should_mirror(ep, nosel));
    json_object_del(ep, "subsets");
    g = ck_epslice_mirror_groups(ep);
    CU_ASSERT_EQUAL(json_array_size(g), 0);
    json_decref(g), json_decref(sel), json_decref(nosel), json_decref(ep);
}

static void test_tracker(void)
{
    json_t *pending = json_pack("{s:i,s:n}", "s-aaaaa", 10, "s-bbbbb");
    json_t *cached = json_pack("[{s:{s:s,s:s}},{s:{s:s,s:s}}]", "metadata", "name", "s-aaaaa", "resourceVersion", "9",
                               "metadata", "name", "s-bbbbb", "resourceVersion", "3");
    CU_ASSERT_TRUE(ck_epslice_tracker_stale(pending, cached));  /* old rv, deleted one still there */
    ck_json_set(json_array_get(cached, 0), "metadata.resourceVersion", json_string("10"));
    CU_ASSERT_TRUE(ck_epslice_tracker_stale(pending, cached));
    json_array_remove(cached, 1);
    CU_ASSERT_FALSE(ck_epslice_tracker_stale(pending, cached));
    json_decref(pending), json_decref(cached);
}

int main(void)
{
    static const ck_test tests[] = {
        {"podToEndpoint conditions", test_pod_endpoint},
        {"ports resolved per pod, groups, placeholder", test_ports_and_groups},
        {"slice labels", test_labels},
        {"at most 100 endpoints per slice", test_max_per_slice},
        {"reconcile against existing slices", test_reconcile_existing},
        {"mirroring Endpoints", test_mirror},
        {"tracker waits for the informer", test_tracker},
        {NULL, NULL},
    };
    return ck_test_main("endpointslice", tests, NULL, NULL);
}
