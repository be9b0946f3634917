/* test_node.c: the cloud node controller's initialisation decisions and the
 * lifecycle controller's per-node verdicts, against the fake provider. */
#include <string.h>
#include "cloud-controller-manager/controllers.h"
#include "cloud-controller-manager/providers/fake.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *node_json(const char *text)
{
    json_error_t e;
    json_t *n = json_loads(text, 0, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    return n;
}

static ck_instance_metadata md_example(void)
{
    ck_instance_metadata md = {0};
    strcpy(md.provider_id, "fake://n1");
    strcpy(md.instance_type, "m.large");
    strcpy(md.zone, "zone-b");
    strcpy(md.region, "region-2");
    ck_instance_add_address(&md, "InternalIP", "10.0.0.5");
    ck_instance_add_address(&md, "ExternalIP", "192.0.2.5");
    ck_instance_add_address(&md, "Hostname", "n1");
    return md;
}

static void test_initialize_sets_labels_and_removes_taint(void)
{
    json_t *n = node_json("{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"taints\":["
                          "{\"key\":\"node.cloudprovider.kubernetes.io/uninitialized\",\"value\":\"true\",\"effect\":\"NoSchedule\"},"
                          "{\"key\":\"dedicated\",\"effect\":\"NoSchedule\"}]}}");
    ck_instance_metadata md = md_example();
    json_t *out = ck_ccm_node_initialized(n, &md);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "spec.providerID", ""), "fake://n1");
    json_t *labels = ck_json_path(out, "metadata.labels");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, CK_LABEL_ZONE)), "zone-b");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, CK_LABEL_REGION)), "region-2");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, CK_LABEL_INSTANCE_TYPE)), "m.large");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, CK_LABEL_ZONE_BETA)), "zone-b");
    CU_ASSERT_EQUAL(ck_ccm_taint_index(out, CK_TAINT_UNINITIALIZED), -1);
    CU_ASSERT_EQUAL(ck_ccm_taint_index(out, "dedicated"), 0);  /* other taints stay */
    CU_ASSERT(ck_ccm_taint_index(n, CK_TAINT_UNINITIALIZED) == 0);  /* input untouched */
    json_decref(out);
    json_decref(n);
}

static void test_initialize_keeps_existing_provider_id(void)
{
    json_t *n = node_json("{\"metadata\":{\"name\":\"n1\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"providerID\":\"aws:///x\"}}");
    ck_instance_metadata md = md_example();
    md.zone[0] = 0;  /* unknown zone: no zone label */
    json_t *out = ck_ccm_node_initialized(n, &md);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "spec.providerID", ""), "aws:///x");
    json_t *labels = ck_json_path(out, "metadata.labels");
    CU_ASSERT_PTR_NULL(json_object_get(labels, CK_LABEL_ZONE));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(labels, "a")), "b");
    json_decref(out);
    json_decref(n);
}

static void test_addresses(void)
{
    ck_instance_metadata md = md_example();
    json_t *n = node_json("{\"metadata\":{\"name\":\"n1\"},\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"n1\"}]}}");
    int rc;
    json_t *a = ck_ccm_node_addresses(n, &md, &rc);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(json_array_size(a), 3);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(a, 1), "address", ""), "192.0.2.5");
    /* once applied, no further change */
    ck_json_set(n, "status.addresses", a);
    CU_ASSERT_PTR_NULL(ck_ccm_node_addresses(n, &md, &rc));
    /* provided-node-ip keeps only the matching address (and the hostname) */
    json_object_set_new(ck_json_ensure_object(n, "metadata.annotations"), "alpha.kubernetes.io/provided-node-ip",
                        json_string("10.0.0.5"));
    a = ck_ccm_node_addresses(n, &md, &rc);
    CU_ASSERT_EQUAL(json_array_size(a), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(a, 0), "address", ""), "10.0.0.5");
    json_decref(a);
    json_object_set_new(ck_json_path(n, "metadata.annotations"), "alpha.kubernetes.io/provided-node-ip",
                        json_string("10.9.9.9"));
    CU_ASSERT_PTR_NULL(ck_ccm_node_addresses(n, &md, &rc));
    CU_ASSERT_EQUAL(rc, -1);
    /* a cloud without addresses leaves the kubelet's */
    ck_instance_metadata empty = {0};
    CU_ASSERT_PTR_NULL(ck_ccm_node_addresses(n, &empty, &rc));
    CU_ASSERT_EQUAL(rc, 0);
    json_decref(n);
}

static void test_lifecycle_decisions(void)
{
    ck_cloud cloud;
    char err[256];
    ck_cloud_config cfg = {0};
    CU_ASSERT_FATAL(ck_cloud_open("fake", &cfg, &cloud, err, sizeof err) == 0);
    ck_fake_cloud *f = cloud.self;
    ck_fake_add_instance(f, "gone", NULL, false, false);
    ck_fake_add_instance(f, "off", NULL, true, true);
    ck_fake_add_instance(f, "up", NULL, true, false);
    static const struct { const char *json; ck_lifecycle_action want; } CASES[] = {
        {"{\"metadata\":{\"name\":\"gone\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}",
         CK_LIFECYCLE_DELETE_NODE},
        {"{\"metadata\":{\"name\":\"gone\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}",
         CK_LIFECYCLE_NONE},  /* Ready nodes are never deleted */
        {"{\"metadata\":{\"name\":\"off\"}}", CK_LIFECYCLE_ADD_SHUTDOWN_TAINT},  /* no Ready: Unknown */
        {"{\"metadata\":{\"name\":\"off\"},\"spec\":{\"taints\":[{\"key\":\"node.cloudprovider.kubernetes.io/shutdown\","
         "\"effect\":\"NoSchedule\"}]}}", CK_LIFECYCLE_NONE},
        {"{\"metadata\":{\"name\":\"up\"},\"spec\":{\"taints\":[{\"key\":\"node.cloudprovider.kubernetes.io/shutdown\","
         "\"effect\":\"NoSchedule\"}]},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}",
         CK_LIFECYCLE_REMOVE_SHUTDOWN_TAINT},
        {"{\"metadata\":{\"name\":\"up\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}",
         CK_LIFECYCLE_NONE},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        json_t *n = node_json(CASES[i].json);
        ck_lifecycle_action a;
        CU_ASSERT_EQUAL(ck_ccm_lifecycle_decide(&cloud, n, &a, err, sizeof err), 0);
        if (a != CASES[i].want) fprintf(stderr, "case %zu: got %d want %d\n", i, a, CASES[i].want);
        CU_ASSERT_EQUAL(a, CASES[i].want);
        json_decref(n);
    }
    /* a cloud error is an error, not a deletion */
    ck_fake_fail_next(f, "instance_exists");
    json_t *n = node_json("{\"metadata\":{\"name\":\"gone\"}}");
    ck_lifecycle_action a = CK_LIFECYCLE_NONE;
    CU_ASSERT_EQUAL(ck_ccm_lifecycle_decide(&cloud, n, &a, err, sizeof err), -1);
    CU_ASSERT_EQUAL(a, CK_LIFECYCLE_NONE);
    json_decref(n);
    ck_cloud_close(&cloud);
}

static void test_registry(void)
{
    ck_cloud c;
    char err[256], names[128];
    ck_cloud_config cfg = {0};
    CU_ASSERT_EQUAL(ck_cloud_open("nope", &cfg, &c, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "unknown cloud provider \"nope\"");
    CU_ASSERT_EQUAL(ck_cloud_register(&ck_cloud_fake_ops), -1);  /* registered twice */
    ck_cloud_names(names, sizeof names);
    CU_ASSERT_PTR_NOT_NULL(strstr(names, "local"));
    CU_ASSERT_PTR_NOT_NULL(strstr(names, "fake"));
    json_t *svc = json_pack("{s:{s:s}}", "metadata", "uid", "6b1d7f8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    char lb[64];
    ck_cloud_default_lb_name(svc, lb, sizeof lb);
    CU_ASSERT_STRING_EQUAL(lb, "a6b1d7f8e1c2d4e5f8a9b0c1d2e3f4a5");  /* "a" + 31 of the UID */
    json_decref(svc);
}

int main(void)
{
    static const ck_test tests[] = {
        {"initialize sets labels, providerID, removes taint", test_initialize_sets_labels_and_removes_taint},
        {"initialize keeps an existing providerID", test_initialize_keeps_existing_provider_id},
        {"node addresses from the cloud", test_addresses},
        {"lifecycle decisions", test_lifecycle_decisions},
        {"provider registry and LB names", test_registry},
        {NULL, NULL}};
    return ck_test_main("cloud-node", tests, NULL, NULL);
}
