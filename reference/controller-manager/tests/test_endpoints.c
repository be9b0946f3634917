/* test_endpoints.c: Endpoints from a Service and its pods, as upstream's
 * endpoints_controller_test.go expects: ready vs notReady addresses,
 * named targetPorts, headless services without ports, repacking. */
#include <string.h>
#include "controller-manager/endpoints_subsets.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *pod(const char *name, const char *ip, bool ready, const char *phase, int http_port)
{
    json_t *p = json_pack("{s:{s:s,s:s,s:s},s:{s:s,s:[{s:s,s:[{s:s,s:i}]}]},s:{s:s,s:s,s:[{s:s,s:s}]}}", "metadata",
                          "name", name, "namespace", "ns", "uid", name, "spec", "nodeName", "node1", "containers",
                          "name", "c", "ports", "name", "http", "containerPort", http_port, "status", "phase", phase,
                          "podIP", ip, "conditions", "type", "Ready", "status", ready ? "True" : "False");
    return p;
}

static json_t *svc(const char *ports_json)
{
    char buf[512];
    snprintf(buf, sizeof buf,
             "{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\",\"labels\":{\"a\":\"b\"}},"
             "\"spec\":{\"clusterIP\":\"10.0.0.1\",\"selector\":{\"app\":\"x\"},\"ports\":%s}}", ports_json);
    return json_loads(buf, 0, NULL);
}

static void test_find_port(void)
{
    json_t *p = pod("p", "1.1.1.1", true, "Running", 8080);
    long port = 0;
    json_t *named = json_pack("{s:s,s:i,s:s}", "name", "web", "port", 80, "targetPort", "http");
    json_t *num = json_pack("{s:i,s:i}", "port", 80, "targetPort", 9000);
    json_t *none = json_pack("{s:i}", "port", 81);
    json_t *missing = json_pack("{s:i,s:s}", "port", 80, "targetPort", "metrics");
    json_t *udp = json_pack("{s:i,s:s,s:s}", "port", 80, "targetPort", "http", "protocol", "UDP");
    CU_ASSERT_EQUAL(ck_endpoints_find_port(p, named, &port), 0);
    CU_ASSERT_EQUAL(port, 8080);
    CU_ASSERT_EQUAL(ck_endpoints_find_port(p, num, &port), 0);
    CU_ASSERT_EQUAL(port, 9000);
    CU_ASSERT_EQUAL(ck_endpoints_find_port(p, none, &port), 0);
    CU_ASSERT_EQUAL(port, 81);
    CU_ASSERT_EQUAL(ck_endpoints_find_port(p, missing, &port), -1);
    CU_ASSERT_EQUAL(ck_endpoints_find_port(p, udp, &port), -1);  /* protocol must match */
    json_decref(p), json_decref(named), json_decref(num), json_decref(none), json_decref(missing), json_decref(udp);
}

static void test_ready_and_not_ready(void)
{
    json_t *s = svc("[{\"name\":\"web\",\"port\":80,\"targetPort\":\"http\",\"protocol\":\"TCP\"}]");
    json_t *pods = json_pack("[o,o,o,o]", pod("b", "10.0.0.2", true, "Running", 8080),
                             pod("a", "10.0.0.1", true, "Running", 8080), pod("c", "10.0.0.3", false, "Pending", 8080),
                             pod("d", "", true, "Running", 8080));  /* no IP yet: left out */
    json_t *ep = ck_endpoints_desired(s, pods);
    CU_ASSERT_STRING_EQUAL(ck_json_str(ep, "metadata.name", ""), "s");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ep, "metadata.labels.a", ""), "b");
    json_t *subsets = json_object_get(ep, "subsets");
    CU_ASSERT_EQUAL_FATAL(json_array_size(subsets), 1);
    json_t *ss = json_array_get(subsets, 0);
    json_t *ready = json_object_get(ss, "addresses"), *notready = json_object_get(ss, "notReadyAddresses");
    CU_ASSERT_EQUAL_FATAL(json_array_size(ready), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ready, 0), "ip", ""), "10.0.0.1");  /* sorted by IP */
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ready, 0), "nodeName", ""), "node1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ready, 0), "targetRef.kind", ""), "Pod");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ready, 0), "targetRef.name", ""), "a");
    CU_ASSERT_EQUAL_FATAL(json_array_size(notready), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(notready, 0), "ip", ""), "10.0.0.3");
    json_t *port = json_array_get(json_object_get(ss, "ports"), 0);
    CU_ASSERT_EQUAL(ck_json_int(port, "port", 0), 8080);
    CU_ASSERT_STRING_EQUAL(ck_json_str(port, "name", ""), "web");
    CU_ASSERT_TRUE(ck_endpoints_up_to_date(ep, ep));
    /* publishNotReadyAddresses: everyone is ready */
    ck_json_set(s, "spec.publishNotReadyAddresses", json_true());
    json_t *ep2 = ck_endpoints_desired(s, pods);
    CU_ASSERT_EQUAL(json_array_size(ck_json_path(json_array_get(json_object_get(ep2, "subsets"), 0), "addresses")), 3);
    CU_ASSERT_FALSE(ck_endpoints_up_to_date(ep, ep2));
    /* a failed pod is in neither list */
    ck_json_set(json_array_get(pods, 2), "status.phase", json_string("Failed"));
    ck_json_set(s, "spec.publishNotReadyAddresses", json_false());
    json_t *ep3 = ck_endpoints_desired(s, pods);
    CU_ASSERT_PTR_NULL(ck_json_path(json_array_get(json_object_get(ep3, "subsets"), 0), "notReadyAddresses"));
    json_decref(ep), json_decref(ep2), json_decref(ep3), json_decref(pods), json_decref(s);
}

static void test_repack_by_ports(void)
{
    /* pod a has the named port, pod b does not: two subsets with different port sets */
    json_t *s = svc("[{\"name\":\"web\",\"port\":80,\"targetPort\":\"http\"},{\"name\":\"m\",\"port\":90,\"targetPort\":91}]");
    json_t *b = pod("b", "10.0.0.2", true, "Running", 8080);
    json_object_set_new(json_array_get(ck_json_path(b, "spec.containers"), 0), "ports", json_array());
    json_t *pods = json_pack("[o,o]", pod("a", "10.0.0.1", true, "Running", 8080), b);
    json_t *subsets = ck_endpoints_subsets(s, pods);
    CU_ASSERT_EQUAL_FATAL(json_array_size(subsets), 2);
    /* {a, b} share port 91; only a has 8080 */
    size_t with_two = 0;
    for (size_t i = 0; i < 2; i++) {
        json_t *ss = json_array_get(subsets, i);
        if (json_array_size(json_object_get(ss, "addresses")) == 2) {
            with_two++;
            CU_ASSERT_EQUAL(ck_json_int(json_array_get(json_object_get(ss, "ports"), 0), "port", 0), 91);
        } else {
            CU_ASSERT_EQUAL(ck_json_int(json_array_get(json_object_get(ss, "ports"), 0), "port", 0), 8080);
        }
    }
    CU_ASSERT_EQUAL(with_two, 1);
    json_decref(subsets), json_decref(pods), json_decref(s);
}

static void test_headless(void)
{
    json_t *s = svc("[]");
    ck_json_set(s, "spec.clusterIP", json_string("None"));
    json_t *pods = json_pack("[o]", pod("a", "10.0.0.1", true, "Running", 8080));
    json_t *ep = ck_endpoints_desired(s, pods);
    json_t *ss = json_array_get(json_object_get(ep, "subsets"), 0);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(ss, "addresses")), 1);
    CU_ASSERT_PTR_NULL(json_object_get(ss, "ports"));
    CU_ASSERT_PTR_NOT_NULL(json_object_get(ck_json_path(ep, "metadata.labels"), "service.kubernetes.io/headless"));
    json_decref(ep);
    ck_json_set(s, "spec.clusterIP", json_string("10.0.0.1"));  /* not headless, no ports: nothing */
    ep = ck_endpoints_desired(s, pods);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(ep, "subsets")), 0);
    json_decref(ep), json_decref(pods), json_decref(s);
}

int main(void)
{
    static const ck_test tests[] = {
        {"FindPort: named, numeric, default, protocol", test_find_port},
        {"ready and notReady addresses", test_ready_and_not_ready},
        {"repack subsets by address sets", test_repack_by_ports},
        {"headless services", test_headless},
        {NULL, NULL},
    };
    return ck_test_main("endpoints", tests, NULL, NULL);
}
