/* test_namespace.c: the namespace deleter's pure parts (discovery filter,
 * deletion conditions, remaining-content messages, finalize body) and the
 * controller-manager's flag helpers. Expected values follow upstream
 * pkg/controller/namespace/deletion and cmd/kube-controller-manager. */
#include <stdlib.h>
#include <string.h>
#include "controller-manager/namespace_deleter.h"
#include "controller-manager/options.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static void test_discovery_filter(void)
{
    json_t *list = json_loads(
        "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
        "{\"name\":\"pods\",\"namespaced\":true,\"verbs\":[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\"]},"
        "{\"name\":\"pods/status\",\"namespaced\":true,\"verbs\":[\"get\",\"patch\",\"update\"]},"
        "{\"name\":\"nodes\",\"namespaced\":false,\"verbs\":[\"delete\",\"list\"]},"
        "{\"name\":\"bindings\",\"namespaced\":true,\"verbs\":[\"create\"]},"
        "{\"name\":\"services\",\"namespaced\":true,\"verbs\":[\"delete\",\"get\",\"list\"]}]}",
        0, NULL);
    ck_ns_gvrs g = {0};
    CU_ASSERT_EQUAL(ck_ns_gvrs_add(&g, list, "", "v1"), 0);
    CU_ASSERT_EQUAL_FATAL(g.n, 2);
    CU_ASSERT_STRING_EQUAL(g.v[0].resource, "pods");
    CU_ASSERT_TRUE(g.v[0].deletecollection);
    CU_ASSERT_STRING_EQUAL(g.v[1].resource, "services");
    CU_ASSERT_FALSE(g.v[1].deletecollection);
    CU_ASSERT_EQUAL(ck_ns_gvrs_add(&g, json_object_get(list, "kind"), "", "v1"), -1);
    ck_ns_gvrs_clear(&g);
    json_decref(list);
}

static void test_conditions(void)
{
    json_t *ns = json_pack("{s:{s:s},s:{s:s}}", "metadata", "name", "x", "status", "phase", "Terminating");
    const char *fail[CK_NS_COND_N] = {0};
    fail[CK_NS_COND_CONTENT_REMAINING] = "Some resources are remaining: pods. has 1 resource instances";
    CU_ASSERT_TRUE(ck_ns_update_conditions(ns, fail, "2026-01-01T00:00:00Z"));
    json_t *conds = ck_json_path(ns, "status.conditions");
    CU_ASSERT_EQUAL_FATAL(json_array_size(conds), 5);
    json_t *c0 = json_array_get(conds, 0), *c3 = json_array_get(conds, 3);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c0, "type", ""), "NamespaceDeletionDiscoveryFailure");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c0, "status", ""), "False");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c0, "reason", ""), "ResourcesDiscovered");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c3, "type", ""), "NamespaceContentRemaining");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c3, "status", ""), "True");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c3, "reason", ""), "SomeResourcesRemain");
    /* same input: nothing changes; fixed content: only that one moves */
    CU_ASSERT_FALSE(ck_ns_update_conditions(ns, fail, "2026-01-01T00:00:09Z"));
    fail[CK_NS_COND_CONTENT_REMAINING] = NULL;
    CU_ASSERT_TRUE(ck_ns_update_conditions(ns, fail, "2026-01-01T00:00:09Z"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(c3, "reason", ""), "ContentRemoved");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c3, "lastTransitionTime", ""), "2026-01-01T00:00:09Z");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c0, "lastTransitionTime", ""), "2026-01-01T00:00:00Z");
    json_decref(ns);
}

static void test_remaining_messages(void)
{
    ck_ns_remaining r;
    CU_ASSERT_EQUAL_FATAL(ck_ns_remaining_init(&r), 0);
    CU_ASSERT_PTR_NULL(ck_ns_remaining_resources_msg(&r));
    json_t *pods = json_loads("[{\"metadata\":{\"name\":\"a\",\"finalizers\":[\"example/test\"]}},"
                              "{\"metadata\":{\"name\":\"b\"}}]", 0, NULL);
    json_t *cms = json_loads("[{\"metadata\":{\"name\":\"c\",\"finalizers\":[\"example/test\"]}}]", 0, NULL);
    ck_ns_remaining_add(&r, "", "pods", pods);
    ck_ns_remaining_add(&r, "", "configmaps", cms);
    char *m = ck_ns_remaining_resources_msg(&r);
    CU_ASSERT_STRING_EQUAL(m, "Some resources are remaining: configmaps. has 1 resource instances, "
                              "pods. has 2 resource instances");
    free(m);
    m = ck_ns_remaining_finalizers_msg(&r);
    CU_ASSERT_STRING_EQUAL(m, "Some content in the namespace has finalizers remaining: example/test in 2 "
                              "resource instances");
    free(m);
    ck_ns_remaining_clear(&r);
    json_decref(pods);
    json_decref(cms);
}

static void test_finalize_body(void)
{
    json_t *ns = json_loads("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"finalizers\":[\"kubernetes\",\"other\"]}}",
                            0, NULL);
    CU_ASSERT_TRUE(ck_ns_has_finalizer(ns, "kubernetes"));
    json_t *b = ck_ns_finalize_body(ns, "kubernetes");
    CU_ASSERT_FALSE(ck_ns_has_finalizer(b, "kubernetes"));
    CU_ASSERT_TRUE(ck_ns_has_finalizer(b, "other"));
    CU_ASSERT_TRUE(ck_ns_has_finalizer(ns, "kubernetes")); /* input untouched */
    json_decref(b);
    json_decref(ns);
}

static void test_flags(void)
{
    CU_ASSERT_EQUAL(ck_cm_parse_duration("5s"), 5000);
    CU_ASSERT_EQUAL(ck_cm_parse_duration("1m30s"), 90000);
    CU_ASSERT_EQUAL(ck_cm_parse_duration("250ms"), 250);
    CU_ASSERT_EQUAL(ck_cm_parse_duration("5"), -1);
    CU_ASSERT_TRUE(ck_cm_controller_enabled(NULL, "namespace"));
    CU_ASSERT_TRUE(ck_cm_controller_enabled("*,-replicaset", "namespace"));
    CU_ASSERT_FALSE(ck_cm_controller_enabled("*,-replicaset", "replicaset"));
    CU_ASSERT_FALSE(ck_cm_controller_enabled("namespace", "replicaset"));
    CU_ASSERT_TRUE(ck_cm_controller_enabled("namespace,replicaset", "replicaset"));
    char *argv[] = {"cm", "--master", "http://x:1", "--leader-elect=false", "--node-monitor-grace-period",
                    "40s", "--controllers", "namespace", "--concurrent-gc-syncs", "7", "--concurrent-syncs", "3", NULL};
    ck_cm_options o;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(ck_cm_options_parse(&o, 12, argv, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_cm_options_workers(&o, "garbagecollector"), 7);
    CU_ASSERT_EQUAL(ck_cm_options_workers(&o, "deployment"), 3);
    CU_ASSERT_EQUAL(o.node_startup_grace_ms, 60000);
    CU_ASSERT_STRING_EQUAL(o.master, "http://x:1");
    CU_ASSERT_FALSE(o.leader_elect);
    CU_ASSERT_EQUAL(o.node_monitor_grace_ms, 40000);
    CU_ASSERT_EQUAL(o.node_monitor_period_ms, 5000);
    ck_cm_options_clear(&o);
    char *bad[] = {"cm", "--node-monitor-period", "soon", NULL};
    CU_ASSERT_EQUAL(ck_cm_options_parse(&o, 3, bad, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "node-monitor-period"));
}

int main(void)
{
    static const ck_test tests[] = {
        {"discovery keeps namespaced list+delete resources", test_discovery_filter},
        {"deletion conditions as upstream", test_conditions},
        {"remaining content messages", test_remaining_messages},
        {"finalize body drops kubernetes", test_finalize_body},
        {"flags and --controllers", test_flags},
        {NULL, NULL},
    };
    return ck_test_main("namespace", tests, NULL, NULL);
}
