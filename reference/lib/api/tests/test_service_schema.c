/* test_service_schema.c: Service defaulting (SetDefaults_Service + IP family
 * defaults), validation messages and paths (ValidateService), the cluster IP
 * update rule (validateUpgradeDowngradeClusterIPs), printService's cells and
 * the service fixtures. */
#include <stdlib.h>
#include <string.h>
#include "api/schemas/schemas.h"
#include "fixture_runner.h"
#include "util/ckjson.h"

static json_t *svc(const char *spec)
{
    json_error_t e;
    json_t *s = json_loads(spec, 0, &e);
    if (!s) { fprintf(stderr, "bad JSON %s\n", e.text); return NULL; }
    return json_pack("{s:s,s:s,s:{s:s},s:o}", "apiVersion", "v1", "kind", "Service",
                     "metadata", "name", "s", "spec", s);
}

static void test_defaults(void)
{
    json_t *o = svc("{\"selector\":{\"app\":\"web\"},\"ports\":[{\"name\":\"web\",\"port\":80},{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\",\"targetPort\":5353}]}");
    ck_defaults_service(o);
    json_t *spec = json_object_get(o, "spec");
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "type", ""), "ClusterIP");
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "sessionAffinity", ""), "None");
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "internalTrafficPolicy", ""), "Cluster");
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "ipFamilyPolicy", ""), "SingleStack");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(spec, "ipFamilies"), 0)), "IPv4");
    CU_ASSERT_PTR_NULL(json_object_get(spec, "externalTrafficPolicy"));
    json_t *p0 = json_array_get(json_object_get(spec, "ports"), 0), *p1 = json_array_get(json_object_get(spec, "ports"), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p0, "protocol", ""), "TCP");
    CU_ASSERT_EQUAL(ck_json_int(p0, "targetPort", 0), 80);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p1, "protocol", ""), "UDP");
    CU_ASSERT_EQUAL(ck_json_int(p1, "targetPort", 0), 5353);
    CU_ASSERT_TRUE(json_is_object(ck_json_path(o, "status.loadBalancer")));
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_service(o, NULL, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    if (ck_errs_count(&errs)) fx_dump("defaulted service", &errs);
    ck_errs_free(&errs);
    json_decref(o);

    o = svc("{\"type\":\"LoadBalancer\",\"sessionAffinity\":\"ClientIP\",\"ports\":[{\"port\":443,\"targetPort\":\"https\"}]}");
    ck_defaults_service(o);
    spec = json_object_get(o, "spec");
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "externalTrafficPolicy", ""), "Cluster");
    CU_ASSERT_TRUE(json_is_true(json_object_get(spec, "allocateLoadBalancerNodePorts")));
    CU_ASSERT_EQUAL(ck_json_int(spec, "sessionAffinityConfig.clientIP.timeoutSeconds", 0), 10800);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(json_object_get(spec, "ports"), 0), "targetPort", ""), "https");
    json_decref(o);

    o = svc("{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}");
    ck_defaults_service(o);
    spec = json_object_get(o, "spec");
    CU_ASSERT_PTR_NULL(json_object_get(spec, "ipFamilies"));
    CU_ASSERT_PTR_NULL(json_object_get(spec, "internalTrafficPolicy"));
    json_decref(o);

    o = svc("{\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}");
    ck_defaults_service(o);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.ipFamilyPolicy", ""), "RequireDualStack");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(ck_json_path(o, "spec.clusterIPs"), 0)), "None");
    json_decref(o);
}

static const struct vcase {
    const char *spec, *field, *message;
} vcases[] = {
    {"{\"ports\":[{\"port\":80,\"name\":\"http\"},{\"port\":81,\"name\":\"http\"}]}",
     "spec.ports[1].name", "Duplicate value: \"http\""},
    {"{\"ports\":[{\"port\":80,\"protocol\":\"ICMP\"}]}",
     "spec.ports[0].protocol", "Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""},
    {"{\"ports\":[{\"port\":80,\"targetPort\":\"very-long-port-name\"}]}",
     "spec.ports[0].targetPort", "Invalid value: \"very-long-port-name\": must be no more than 15 characters"},
    {"{\"ports\":[{\"port\":80,\"name\":\"a\"},{\"port\":80,\"name\":\"b\"}]}",
     "spec.ports[1]", "Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), "
     "Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"},
    {"{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"name\":\"a\",\"nodePort\":30001},{\"port\":81,\"name\":\"b\",\"nodePort\":30001}]}",
     "spec.ports[1].nodePort", "Duplicate value: 30001"},
    {"{\"sessionAffinity\":\"Sticky\",\"ports\":[{\"port\":80}]}",
     "spec.sessionAffinity", "Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\""},
    {"{\"type\":\"ExternalName\"}", "spec.externalName", "Required value"},
    {"{\"clusterIP\":\"10.0.0.300\",\"ports\":[{\"port\":80}]}",
     "spec.clusterIPs[0]", "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"},
    {"{\"type\":\"NodePort\",\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}",
     "spec.clusterIPs[0]", "Invalid value: \"None\": may not be set to 'None' for NodePort services"},
    {NULL, NULL, NULL}};

static void test_validation_table(void)
{
    for (const struct vcase *v = vcases; v->spec; v++) {
        json_t *o = svc(v->spec);
        ck_defaults_service(o);
        ck_errs errs = CK_ERRS_INIT;
        ck_validate_service(o, NULL, &errs);
        bool ok = fx_has(&errs, v->field, v->message);
        CU_ASSERT_TRUE(ok);
        if (!ok) { fprintf(stderr, "want %s: %s\n", v->field, v->message); fx_dump("got", &errs); }
        ck_errs_free(&errs);
        json_decref(o);
    }
    /* a headless service and an ExternalName service need no ports */
    static const char *const fine[] = {"{\"clusterIP\":\"None\",\"selector\":{\"a\":\"b\"}}",
                                       "{\"type\":\"ExternalName\",\"externalName\":\"db.example.com.\"}", NULL};
    for (int i = 0; fine[i]; i++) {
        json_t *o = svc(fine[i]);
        ck_defaults_service(o);
        ck_errs errs = CK_ERRS_INIT;
        ck_validate_service(o, NULL, &errs);
        CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
        if (ck_errs_count(&errs)) fx_dump(fine[i], &errs);
        ck_errs_free(&errs);
        json_decref(o);
    }
}

static void test_cluster_ip_update(void)
{
    json_t *old = svc("{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"port\":80}]}");
    ck_defaults_service(old);
    struct { const char *spec; size_t want; } cases[] = {
        {"{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"port\":8080}]}", 0},
        {"{\"ports\":[{\"port\":80}]}", 0}, /* omitted: the allocated IP is kept */
        {"{\"clusterIP\":\"10.96.0.11\",\"ports\":[{\"port\":80}]}", 1},
        {"{\"clusterIP\":\"10.96.0.11\",\"clusterIPs\":[\"10.96.0.11\"],\"ports\":[{\"port\":80}]}", 1},
        {NULL, 0}};
    for (int i = 0; cases[i].spec; i++) {
        json_t *nw = svc(cases[i].spec);
        ck_defaults_service(nw);
        ck_errs errs = CK_ERRS_INIT;
        ck_validate_service(nw, old, &errs);
        CU_ASSERT_EQUAL(ck_errs_count(&errs), cases[i].want);
        if (cases[i].want)
            CU_ASSERT_TRUE(fx_has(&errs, "spec.clusterIPs[0]",
                                  "Invalid value: []string{\"10.96.0.11\"}: may not change once set"));
        if (ck_errs_count(&errs) != cases[i].want) fx_dump(cases[i].spec, &errs);
        ck_errs_free(&errs);
        json_decref(nw);
    }
    json_decref(old);
}

static char *cell(const char *name, const json_t *o)
{
    for (const ck_column *c = ck_columns_service; c->name; c++) {
        if (strcmp(c->name, name) != 0) continue;
        json_t *v = c->cell ? c->cell(o) : json_incref(ck_json_path(o, c->json_path));
        char *out = strdup(json_string_value(v) ? json_string_value(v) : "?");
        json_decref(v);
        return out;
    }
    return strdup("(no column)");
}

static void expect_cell(const char *col, const char *json, const char *want)
{
    json_t *o = json_loads(json, 0, NULL);
    char *got = cell(col, o);
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want)) fprintf(stderr, "%s: got %s want %s\n", col, got, want);
    free(got);
    json_decref(o);
}

static void test_columns(void)
{
    static const char *const names[] = {"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector", NULL};
    int i = 0;
    for (const ck_column *c = ck_columns_service; c->name; c++, i++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(names[i]);
        CU_ASSERT_STRING_EQUAL(c->name, names[i]);
        CU_ASSERT_EQUAL(c->priority, strcmp(c->name, "Selector") == 0);
    }
    CU_ASSERT_EQUAL(i, 6 + 1);
    const char *np = "{\"spec\":{\"type\":\"NodePort\",\"clusterIPs\":[\"10.96.1.2\"],\"selector\":{\"b\":\"2\",\"a\":\"1\"},"
                     "\"ports\":[{\"port\":80,\"protocol\":\"TCP\",\"nodePort\":30080},{\"port\":53,\"protocol\":\"UDP\"}]}}";
    expect_cell("Type", np, "NodePort");
    expect_cell("Cluster-IP", np, "10.96.1.2");
    expect_cell("External-IP", np, "<none>");
    expect_cell("Port(s)", np, "80:30080/TCP,53/UDP");
    expect_cell("Selector", np, "a=1,b=2");
    const char *lb = "{\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[]}}";
    expect_cell("External-IP", lb, "<pending>");
    expect_cell("Port(s)", lb, "<none>");
    expect_cell("Cluster-IP", lb, "<none>");
    expect_cell("Selector", lb, "<none>");
    const char *lb2 = "{\"spec\":{\"type\":\"LoadBalancer\",\"externalIPs\":[\"1.2.3.4\"]},"
                      "\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"5.6.7.8\"},{\"hostname\":\"lb.example.com\"}]}}}";
    expect_cell("External-IP", lb2, "5.6.7.8,lb.example.com,1.2.3.4");
    expect_cell("External-IP", "{\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}}", "db.example.com");
}

static void test_fixtures(void)
{
    fx_kind kinds[] = {
        {"Service", {.root = &ck_schema_service, .defaults = ck_defaults_service, .validate = ck_validate_service}},
        {NULL, {0}}};
    static const char *const prefixes[] = {"service", NULL};
    int failures = 0;
    CU_ASSERT_TRUE(fx_run_all(prefixes, kinds, &failures) >= 6);
    CU_ASSERT_EQUAL(failures, 0);
}

int main(void)
{
    static const ck_test tests[] = {
        {"service defaults", test_defaults},
        {"service validation messages", test_validation_table},
        {"clusterIP may not change once set", test_cluster_ip_update},
        {"service printer columns", test_columns},
        {"service fixtures", test_fixtures},
        {NULL, NULL},
    };
    return ck_test_main("service schema", tests, NULL, NULL);
}
