/* test_service.c: the service controller's decisions (wantsLoadBalancer,
 * needsCleanup, needsUpdate, node predicates) and LB status from the fake
 * provider's ensure/update/delete. */
#include <string.h>
#include "cloud-controller-manager/controllers.h"
#include "cloud-controller-manager/providers/fake.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    if (!v) fprintf(stderr, "bad json: %s\n", e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    return v;
}

#define LB_SVC "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"11111111-2222-3333-4444-555555555555\"}," \
               "\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[{\"port\":80,\"nodePort\":30080}]}}"

static void test_wants_and_cleanup(void)
{
    static const struct { const char *json; bool wants, cleanup; } CASES[] = {
        {LB_SVC, true, false},
        {"{\"spec\":{\"type\":\"ClusterIP\"}}", false, false},
        {"{\"spec\":{\"type\":\"LoadBalancer\",\"loadBalancerClass\":\"example.com/lb\"}}", false, false},
        /* no longer a LoadBalancer but still holding the finalizer */
        {"{\"metadata\":{\"finalizers\":[\"service.kubernetes.io/load-balancer-cleanup\"]},\"spec\":{\"type\":\"NodePort\"}}",
         false, true},
        /* being deleted */
        {"{\"metadata\":{\"deletionTimestamp\":\"2024-01-01T00:00:00Z\",\"finalizers\":[\"service.kubernetes.io/"
         "load-balancer-cleanup\"]},\"spec\":{\"type\":\"LoadBalancer\"}}", true, true},
        /* deleted without our finalizer: nothing to clean */
        {"{\"metadata\":{\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"},\"spec\":{\"type\":\"LoadBalancer\"}}", true, false},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        json_t *s = J(CASES[i].json);
        CU_ASSERT_EQUAL(ck_ccm_svc_wants_lb(s), CASES[i].wants);
        CU_ASSERT_EQUAL(ck_ccm_svc_needs_cleanup(s), CASES[i].cleanup);
        json_decref(s);
    }
}

static void test_needs_update(void)
{
    json_t *a = J(LB_SVC), *b = json_deep_copy(a);
    CU_ASSERT_FALSE(ck_ccm_svc_needs_update(a, b));
    ck_json_set(b, "status.loadBalancer", J("{\"ingress\":[{\"ip\":\"192.0.2.1\"}]}"));
    CU_ASSERT_FALSE(ck_ccm_svc_needs_update(a, b));  /* our own status write */
    ck_json_set(b, "spec.ports", J("[{\"port\":81,\"nodePort\":30081}]"));
    CU_ASSERT_TRUE(ck_ccm_svc_needs_update(a, b));
    json_t *c = J("{\"spec\":{\"type\":\"ClusterIP\"}}"), *d = J("{\"spec\":{\"type\":\"ClusterIP\",\"ports\":[]}}");
    CU_ASSERT_FALSE(ck_ccm_svc_needs_update(c, d));
    CU_ASSERT_TRUE(ck_ccm_svc_needs_update(c, a));
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(d);
}

static void test_lb_nodes(void)
{
    json_t *nodes = J("["
        "{\"metadata\":{\"name\":\"ok\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
        "{\"metadata\":{\"name\":\"notready\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}},"
        "{\"metadata\":{\"name\":\"excluded\",\"labels\":{\"node.kubernetes.io/exclude-from-external-load-balancers\":\"\"}},"
        "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
        "{\"metadata\":{\"name\":\"uninit\"},\"spec\":{\"taints\":[{\"key\":\"node.cloudprovider.kubernetes.io/uninitialized\"}]},"
        "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}]");
    json_t *out = ck_ccm_lb_nodes(nodes);
    CU_ASSERT_EQUAL(json_array_size(out), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(out, 0), "metadata.name", ""), "ok");
    json_decref(out);
    json_decref(nodes);
}

static void test_lb_status_from_fake(void)
{
    ck_cloud cloud;
    char err[256], name[64];
    ck_cloud_config cfg = {0};
    CU_ASSERT_FATAL(ck_cloud_open("fake", &cfg, &cloud, err, sizeof err) == 0);
    ck_fake_cloud *f = cloud.self;
    json_t *svc = J(LB_SVC), *nodes = J("[{\"metadata\":{\"name\":\"a\"}},{\"metadata\":{\"name\":\"b\"}}]");
    const ck_cloud_load_balancer *lb = cloud.ops->load_balancer;
    ck_lb_status st = {0};
    CU_ASSERT_EQUAL(lb->ensure(cloud.self, "kubernetes", svc, nodes, &st, err, sizeof err), 0);
    json_t *js = ck_ccm_lb_status_json(&st), *want = J("{\"ingress\":[{\"ip\":\"192.0.2.1\"}]}");
    CU_ASSERT_TRUE(ck_json_equal(js, want));
    json_decref(js);
    json_decref(want);
    /* idempotent: same address, one balancer */
    memset(&st, 0, sizeof st);
    CU_ASSERT_EQUAL(lb->ensure(cloud.self, "kubernetes", svc, nodes, &st, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(st.ingress[0].ip, "192.0.2.1");
    CU_ASSERT_EQUAL(ck_fake_lb_count(f), 1);
    ck_cloud_lb_name(&cloud, "kubernetes", svc, name, sizeof name);
    CU_ASSERT_EQUAL(ck_fake_lb_nodes(f, name), 2);
    json_array_remove(nodes, 0);
    CU_ASSERT_EQUAL(lb->update(cloud.self, "kubernetes", svc, nodes, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_fake_lb_nodes(f, name), 1);
    CU_ASSERT_EQUAL(lb->ensure_deleted(cloud.self, "kubernetes", svc, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_fake_lb_count(f), 0);
    CU_ASSERT_EQUAL(lb->ensure_deleted(cloud.self, "kubernetes", svc, err, sizeof err), 0);  /* already gone */
    /* an empty status clears ingress */
    ck_lb_status none = {0};
    js = ck_ccm_lb_status_json(&none);
    CU_ASSERT_EQUAL(json_object_size(js), 0);
    json_decref(js);
    json_decref(svc);
    json_decref(nodes);
    ck_cloud_close(&cloud);
}

int main(void)
{
    static const ck_test tests[] = {
        {"wantsLoadBalancer and needsCleanup", test_wants_and_cleanup},
        {"needsUpdate", test_needs_update},
        {"load balancer node predicates", test_lb_nodes},
        {"LB status from the fake provider", test_lb_status_from_fake},
        {NULL, NULL}};
    return ck_test_main("service", tests, NULL, NULL);
}
