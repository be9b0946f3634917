/* test_route.c: route reconciliation: one route per node podCIDR, stale and
 * blackhole routes removed, --cluster-cidr responsibility, convergence on
 * the fake provider. */
#include <string.h>
#include "cloud-controller-manager/controllers.h"
#include "cloud-controller-manager/providers/fake.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *nodes3(void)
{
    json_error_t e;
    json_t *n = json_loads("["
        "{\"metadata\":{\"name\":\"n0\",\"uid\":\"u0\"},\"spec\":{\"podCIDR\":\"10.244.0.0/24\"},"
        "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"172.31.0.2\"}]}},"
        "{\"metadata\":{\"name\":\"n1\",\"uid\":\"u1\"},\"spec\":{\"podCIDRs\":[\"10.244.1.0/24\"]},"
        "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"172.31.0.3\"}]}},"
        "{\"metadata\":{\"name\":\"n2\",\"uid\":\"u2\"},\"spec\":{}}]", 0, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    return n;
}

static ck_route R(const char *node, const char *cidr, const char *via, bool blackhole)
{
    ck_route r = {0};
    snprintf(r.target_node, sizeof r.target_node, "%s", node);
    snprintf(r.destination_cidr, sizeof r.destination_cidr, "%s", cidr);
    if (via) {
        strcpy(r.target_addresses[0].type, "InternalIP");
        snprintf(r.target_addresses[0].address, sizeof r.target_addresses[0].address, "%s", via);
        r.n_target_addresses = 1;
    }
    r.blackhole = blackhole;
    return r;
}

static void test_plan_from_empty(void)
{
    json_t *nodes = nodes3();
    ck_route_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_ccm_route_plan(nodes, NULL, 0, NULL, &p), 0);
    CU_ASSERT_EQUAL(p.n_create, 2);  /* n2 has no podCIDR */
    CU_ASSERT_EQUAL(p.n_remove, 0);
    CU_ASSERT_STRING_EQUAL(p.create[0].target_node, "n0");
    CU_ASSERT_STRING_EQUAL(p.create[0].destination_cidr, "10.244.0.0/24");
    CU_ASSERT_STRING_EQUAL(p.create[0].name, "u0");  /* nameHint = node UID */
    CU_ASSERT_STRING_EQUAL(p.create[1].destination_cidr, "10.244.1.0/24");
    CU_ASSERT_STRING_EQUAL(p.create[1].target_addresses[0].address, "172.31.0.3");
    ck_route_plan_clear(&p);
    json_decref(nodes);
}

static void test_plan_stale_and_blackhole(void)
{
    json_t *nodes = nodes3();
    ck_route routes[] = {
        R("n0", "10.244.0.0/24", NULL, false),          /* good */
        R("", "10.244.1.0/24", "172.31.0.3", false),    /* good: matched by address */
        R("gone", "10.244.7.0/24", NULL, false),        /* node gone */
        R("n0", "10.244.9.0/24", NULL, true),           /* blackhole */
        R("gone", "192.168.5.0/24", NULL, false),       /* outside --cluster-cidr: not ours */
    };
    ck_route_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_ccm_route_plan(nodes, routes, 5, "10.244.0.0/16", &p), 0);
    CU_ASSERT_EQUAL(p.n_create, 0);
    CU_ASSERT_EQUAL(p.n_remove, 2);
    CU_ASSERT_STRING_EQUAL(p.remove[0].destination_cidr, "10.244.7.0/24");
    CU_ASSERT_STRING_EQUAL(p.remove[1].destination_cidr, "10.244.9.0/24");
    ck_route_plan_clear(&p);
    /* without --cluster-cidr every listed route is ours */
    CU_ASSERT_EQUAL_FATAL(ck_ccm_route_plan(nodes, routes, 5, NULL, &p), 0);
    CU_ASSERT_EQUAL(p.n_remove, 3);
    ck_route_plan_clear(&p);
    /* a route to the wrong node is replaced */
    ck_route wrong[] = {R("n1", "10.244.0.0/24", NULL, false)};
    CU_ASSERT_EQUAL_FATAL(ck_ccm_route_plan(nodes, wrong, 1, NULL, &p), 0);
    CU_ASSERT_EQUAL(p.n_remove, 1);
    CU_ASSERT_EQUAL(p.n_create, 2);
    ck_route_plan_clear(&p);
    json_decref(nodes);
}

/* Applying plans to the fake provider converges: the second plan is empty. */
static void test_converges_on_fake(void)
{
    ck_cloud cloud;
    char err[256];
    ck_cloud_config cfg = {0};
    CU_ASSERT_FATAL(ck_cloud_open("fake", &cfg, &cloud, err, sizeof err) == 0);
    ck_fake_cloud *f = cloud.self;
    ck_route stale = R("old", "10.244.5.0/24", NULL, false);
    ck_fake_add_route(f, &stale);
    json_t *nodes = nodes3();
    for (int round = 0; round < 2; round++) {
        ck_route *routes = NULL;
        size_t n = 0;
        CU_ASSERT_EQUAL(cloud.ops->routes->list(cloud.self, "k", &routes, &n, err, sizeof err), 0);
        ck_route_plan p;
        CU_ASSERT_EQUAL_FATAL(ck_ccm_route_plan(nodes, routes, n, NULL, &p), 0);
        CU_ASSERT_EQUAL(p.n_create + p.n_remove, round == 0 ? 3 : 0);
        for (size_t i = 0; i < p.n_remove; i++) cloud.ops->routes->remove(cloud.self, "k", &p.remove[i], err, sizeof err);
        for (size_t i = 0; i < p.n_create; i++)
            cloud.ops->routes->create(cloud.self, "k", p.create[i].name, &p.create[i], err, sizeof err);
        ck_route_plan_clear(&p);
        free(routes);
    }
    ck_route now[8];
    CU_ASSERT_EQUAL(ck_fake_routes(f, now, 8), 2);
    CU_ASSERT_EQUAL(ck_fake_calls(f, "create_route"), 2);
    CU_ASSERT_EQUAL(ck_fake_calls(f, "delete_route"), 1);
    json_decref(nodes);
    ck_cloud_close(&cloud);
}

int main(void)
{
    static const ck_test tests[] = {
        {"a route per node podCIDR", test_plan_from_empty},
        {"stale, blackhole and foreign routes", test_plan_stale_and_blackhole},
        {"reconciliation converges on the fake provider", test_converges_on_fake},
        {NULL, NULL}};
    return ck_test_main("route", tests, NULL, NULL);
}
