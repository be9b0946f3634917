/* test_workloads.c: PodTemplate, ReplicationController, ReplicaSet and
 * Deployment defaulting (pkg/apis/{core,apps}/v1/defaults.go), validation
 * (selector/template rules, strategy, update immutability), printer cells
 * and the workload fixtures. */
#include <stdlib.h>
#include <string.h>
#include "api/schemas/schemas.h"
#include "fixture_runner.h"
#include "util/ckjson.h"

#define TEMPLATE(labels) "\"template\":{\"metadata\":{\"labels\":" labels "}," \
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.25\"," \
    "\"resources\":{\"limits\":{\"cpu\":\"1\"}}}]}}"

static json_t *obj(const char *api, const char *kind, const char *spec)
{
    json_t *s = json_loads(spec, 0, NULL);
    if (!s) fprintf(stderr, "bad JSON: %s\n", spec);
    return json_pack("{s:s,s:s,s:{s:s},s:o}", "apiVersion", api, "kind", kind, "metadata", "name", "w", "spec", s);
}

static void test_deployment_defaults(void)
{
    json_t *d = obj("apps/v1", "Deployment", "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}}," TEMPLATE("{\"app\":\"x\"}") "}");
    ck_defaults_deployment(d);
    json_t *spec = json_object_get(d, "spec");
    CU_ASSERT_EQUAL(ck_json_int(spec, "replicas", -1), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "strategy.type", ""), "RollingUpdate");
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "strategy.rollingUpdate.maxUnavailable", ""), "25%");
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "strategy.rollingUpdate.maxSurge", ""), "25%");
    CU_ASSERT_EQUAL(ck_json_int(spec, "revisionHistoryLimit", -1), 10);
    CU_ASSERT_EQUAL(ck_json_int(spec, "progressDeadlineSeconds", -1), 600);
    json_t *c = json_array_get(ck_json_path(spec, "template.spec.containers"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(spec, "template.spec.restartPolicy", ""), "Always");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "imagePullPolicy", ""), "IfNotPresent");
    /* templates get PodSpec defaults but not the Pod-only ones */
    CU_ASSERT_PTR_NULL(ck_json_path(c, "resources.requests"));
    CU_ASSERT_PTR_NULL(ck_json_path(spec, "template.spec.enableServiceLinks"));
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_deployment(d, NULL, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    if (ck_errs_count(&errs)) fx_dump("deployment", &errs);
    ck_errs_free(&errs);
    json_decref(d);

    d = obj("apps/v1", "Deployment", "{\"replicas\":0,\"strategy\":{\"type\":\"Recreate\"},"
            "\"selector\":{\"matchLabels\":{\"app\":\"x\"}}," TEMPLATE("{\"app\":\"x\"}") "}");
    ck_defaults_deployment(d);
    CU_ASSERT_EQUAL(ck_json_int(d, "spec.replicas", -1), 0);
    CU_ASSERT_PTR_NULL(ck_json_path(d, "spec.strategy.rollingUpdate"));
    json_decref(d);
}

static void test_rc_rs_defaults(void)
{
    json_t *rc = obj("v1", "ReplicationController", "{" TEMPLATE("{\"app\":\"x\",\"tier\":\"web\"}") "}");
    ck_defaults_replicationcontroller(rc);
    CU_ASSERT_EQUAL(ck_json_int(rc, "spec.replicas", -1), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(rc, "spec.selector.tier", ""), "web");
    CU_ASSERT_STRING_EQUAL(ck_json_str(rc, "metadata.labels.app", ""), "x");
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_replicationcontroller(rc, NULL, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    if (ck_errs_count(&errs)) fx_dump("rc", &errs);
    ck_errs_free(&errs);
    json_decref(rc);

    json_t *rs = obj("apps/v1", "ReplicaSet", "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}}," TEMPLATE("{\"app\":\"x\"}") "}");
    ck_defaults_replicaset(rs);
    CU_ASSERT_EQUAL(ck_json_int(rs, "spec.replicas", -1), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(rs, "spec.template.spec.dnsPolicy", ""), "ClusterFirst");
    json_decref(rs);

    json_t *pt = json_pack("{s:s,s:s,s:{s:s},s:{s:{s:[{s:s,s:s}]}}}", "apiVersion", "v1", "kind", "PodTemplate",
                           "metadata", "name", "t", "template", "spec", "containers", "name", "c", "image", "busybox");
    ck_defaults_podtemplate(pt);
    CU_ASSERT_EQUAL(ck_json_int(pt, "template.spec.terminationGracePeriodSeconds", -1), 30);
    errs = (ck_errs)CK_ERRS_INIT;
    ck_validate_podtemplate(pt, NULL, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    ck_errs_free(&errs);
    json_decref(pt);
}

static const struct vcase {
    void (*validate)(const json_t *, const json_t *, ck_errs *);
    void (*defaults)(json_t *);
    const char *api, *kind, *spec, *field, *message;
} vcases[] = {
    {ck_validate_deployment, ck_defaults_deployment, "apps/v1", "Deployment",
     "{\"selector\":{}," TEMPLATE("{\"app\":\"x\"}") "}", "spec.selector",
     "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
     "empty selector is invalid for deployment"},
    {ck_validate_deployment, ck_defaults_deployment, "apps/v1", "Deployment",
     "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":{}}," TEMPLATE("{\"app\":\"x\"}") "}",
     "spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is 'Recreate'"},
    {ck_validate_deployment, ck_defaults_deployment, "apps/v1", "Deployment",
     "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"strategy\":{\"rollingUpdate\":{\"maxUnavailable\":\"110%\"}}," TEMPLATE("{\"app\":\"x\"}") "}",
     "spec.strategy.rollingUpdate.maxUnavailable", "Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"110%\"}: must not be greater than 100%"},
    {ck_validate_deployment, ck_defaults_deployment, "apps/v1", "Deployment",
     "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"strategy\":{\"type\":\"BlueGreen\"}," TEMPLATE("{\"app\":\"x\"}") "}",
     "spec.strategy", "Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: "
     "supported values: \"Recreate\", \"RollingUpdate\""},
    {ck_validate_deployment, ck_defaults_deployment, "apps/v1", "Deployment",
     "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"minReadySeconds\":700," TEMPLATE("{\"app\":\"x\"}") "}",
     "spec.progressDeadlineSeconds", "Invalid value: 600: must be greater than minReadySeconds"},
    {ck_validate_deployment, ck_defaults_deployment, "apps/v1", "Deployment",
     "{\"selector\":{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\"}]}," TEMPLATE("{\"app\":\"x\"}") "}",
     "spec.selector.matchExpressions[0].values", "Required value: must be specified when `operator` is 'In' or 'NotIn'"},
    {ck_validate_replicaset, ck_defaults_replicaset, "apps/v1", "ReplicaSet",
     "{\"selector\":{\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"web\"]}]}," TEMPLATE("{\"tier\":\"web\"}") "}",
     "spec.template.metadata.labels", "Invalid value: map[string]string{\"tier\":\"web\"}: `selector` does not match template `labels`"},
    {ck_validate_replicaset, ck_defaults_replicaset, "apps/v1", "ReplicaSet",
     "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"x\"}},"
     "\"spec\":{\"activeDeadlineSeconds\":5,\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}",
     "spec.template.spec.activeDeadlineSeconds", "Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"},
    {ck_validate_replicationcontroller, ck_defaults_replicationcontroller, "v1", "ReplicationController",
     "{\"selector\":{\"app\":\"y\"}," TEMPLATE("{\"app\":\"x\"}") "}",
     "spec.template.metadata.labels", "Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`"},
    {ck_validate_replicationcontroller, ck_defaults_replicationcontroller, "v1", "ReplicationController",
     "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}", "spec.selector", "Required value"},
    {ck_validate_replicationcontroller, ck_defaults_replicationcontroller, "v1", "ReplicationController",
     "{\"selector\":{\"app\":\"x\"}}", "spec.template", "Required value"},
    {ck_validate_replicaset, ck_defaults_replicaset, "apps/v1", "ReplicaSet",
     "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}}," TEMPLATE("{\"app\":\"x\"}") ",\"minReadySeconds\":-5}",
     "spec.minReadySeconds", "Invalid value: -5: must be greater than or equal to 0"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL}};

static void test_validation_table(void)
{
    for (const struct vcase *v = vcases; v->validate; v++) {
        json_t *o = obj(v->api, v->kind, v->spec);
        v->defaults(o);
        ck_errs errs = CK_ERRS_INIT;
        v->validate(o, NULL, &errs);
        bool ok = fx_has(&errs, v->field, v->message);
        CU_ASSERT_TRUE(ok);
        if (!ok) { fprintf(stderr, "want %s: %s\n", v->field, v->message); fx_dump("got", &errs); }
        ck_errs_free(&errs);
        json_decref(o);
    }
}

static void test_selector_immutable(void)
{
    json_t *old = obj("apps/v1", "Deployment", "{\"selector\":{\"matchLabels\":{\"app\":\"x\"}}," TEMPLATE("{\"app\":\"x\",\"v\":\"2\"}") "}");
    json_t *same = json_deep_copy(old);
    json_t *moved = obj("apps/v1", "Deployment", "{\"selector\":{\"matchLabels\":{\"app\":\"x\",\"v\":\"2\"}}," TEMPLATE("{\"app\":\"x\",\"v\":\"2\"}") "}");
    ck_defaults_deployment(old);
    ck_defaults_deployment(same);
    ck_defaults_deployment(moved);
    json_object_set_new(json_object_get(same, "spec"), "replicas", json_integer(5));
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_deployment(same, old, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    ck_errs_free(&errs);
    ck_validate_deployment(moved, old, &errs);
    CU_ASSERT_TRUE(fx_has(&errs, "spec.selector",
        "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\", \"v\":\"2\"}, "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"));
    if (ck_errs_count(&errs) != 1) fx_dump("selector update", &errs);
    ck_errs_free(&errs);
    /* a ReplicationController's selector may change */
    json_t *rc_old = obj("v1", "ReplicationController", "{" TEMPLATE("{\"app\":\"x\",\"v\":\"2\"}") "}");
    json_t *rc_new = obj("v1", "ReplicationController", "{\"selector\":{\"v\":\"2\"}," TEMPLATE("{\"app\":\"x\",\"v\":\"2\"}") "}");
    ck_defaults_replicationcontroller(rc_old);
    ck_defaults_replicationcontroller(rc_new);
    ck_validate_replicationcontroller(rc_new, rc_old, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    ck_errs_free(&errs);
    json_decref(rc_old);
    json_decref(rc_new);
    json_decref(old);
    json_decref(same);
    json_decref(moved);
}

/* The cell of column `name` as text (integers printed). New string. */
static char *cell(const ck_column *cols, const char *name, const json_t *o)
{
    for (const ck_column *c = cols; c->name; c++) {
        if (strcmp(c->name, name) != 0) continue;
        json_t *v = c->cell ? c->cell(o) : json_incref(ck_json_path(o, c->json_path));
        char *out = json_is_string(v) ? strdup(json_string_value(v)) : ck_json_dump(v);
        json_decref(v);
        return out;
    }
    return strdup("(no column)");
}

static void expect(const ck_column *cols, const char *name, const json_t *o, const char *want)
{
    char *got = cell(cols, name, o);
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want)) fprintf(stderr, "%s: got %s want %s\n", name, got, want);
    free(got);
}

static void column_names(const ck_column *cols, const char *const *names, int wide_from)
{
    int i = 0;
    for (const ck_column *c = cols; c->name; c++, i++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(names[i]);
        CU_ASSERT_STRING_EQUAL(c->name, names[i]);
        CU_ASSERT_EQUAL(c->priority, wide_from >= 0 && i >= wide_from);
    }
    CU_ASSERT_PTR_NULL(names[i]);
}

static void test_columns(void)
{
    static const char *const dnames[] = {"Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector", NULL};
    static const char *const rsnames[] = {"Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector", NULL};
    static const char *const ptnames[] = {"Name", "Containers", "Images", "Pod Labels", NULL};
    column_names(ck_columns_deployment, dnames, 5);
    column_names(ck_columns_replicaset, rsnames, 5);
    column_names(ck_columns_replicationcontroller, rsnames, 5);
    column_names(ck_columns_podtemplate, ptnames, -1);
    json_t *d = json_loads("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":3,"
        "\"selector\":{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"b\",\"a\"]}]},"
        "\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1\"},{\"name\":\"log\",\"image\":\"busybox\"}]}}},"
        "\"status\":{\"replicas\":3,\"readyReplicas\":2,\"updatedReplicas\":3,\"availableReplicas\":2}}", 0, NULL);
    expect(ck_columns_deployment, "Name", d, "web");
    expect(ck_columns_deployment, "Ready", d, "2/3");
    expect(ck_columns_deployment, "Up-to-date", d, "3");
    expect(ck_columns_deployment, "Available", d, "2");
    expect(ck_columns_deployment, "Containers", d, "nginx,log");
    expect(ck_columns_deployment, "Images", d, "nginx:1,busybox");
    expect(ck_columns_deployment, "Selector", d, "app=web,tier in (a,b)");
    expect(ck_columns_replicaset, "Desired", d, "3");
    expect(ck_columns_replicaset, "Current", d, "3");
    expect(ck_columns_replicaset, "Ready", d, "2");
    json_decref(d);
    json_t *fresh = json_loads("{\"spec\":{\"replicas\":2,\"selector\":{\"app\":\"x\"}}}", 0, NULL);
    expect(ck_columns_deployment, "Ready", fresh, "0/2");
    expect(ck_columns_replicationcontroller, "Current", fresh, "0");
    expect(ck_columns_replicationcontroller, "Selector", fresh, "app=x");
    json_decref(fresh);
    json_t *pt = json_loads("{\"template\":{\"metadata\":{\"labels\":{\"b\":\"2\",\"a\":\"1\"}},"
                            "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}", 0, NULL);
    expect(ck_columns_podtemplate, "Containers", pt, "c");
    expect(ck_columns_podtemplate, "Images", pt, "i");
    expect(ck_columns_podtemplate, "Pod Labels", pt, "a=1,b=2");
    json_decref(pt);
}

static void test_fixtures(void)
{
    fx_kind kinds[] = {
        {"Deployment", {.root = &ck_schema_deployment, .defaults = ck_defaults_deployment,
                        .validate = ck_validate_deployment}},
        {"ReplicaSet", {.root = &ck_schema_replicaset, .defaults = ck_defaults_replicaset,
                        .validate = ck_validate_replicaset}},
        {"ReplicationController", {.root = &ck_schema_replicationcontroller,
                                   .defaults = ck_defaults_replicationcontroller,
                                   .validate = ck_validate_replicationcontroller}},
        {NULL, {0}}};
    static const char *const prefixes[] = {"deployment", "replicaset", "replicationcontroller", NULL};
    int failures = 0;
    CU_ASSERT_TRUE(fx_run_all(prefixes, kinds, &failures) >= 8);
    CU_ASSERT_EQUAL(failures, 0);
}

int main(void)
{
    static const ck_test tests[] = {
        {"deployment defaults", test_deployment_defaults},
        {"rc, replicaset and podtemplate defaults", test_rc_rs_defaults},
        {"workload validation messages", test_validation_table},
        {"apps/v1 selector is immutable", test_selector_immutable},
        {"workload printer columns", test_columns},
        {"workload fixtures", test_fixtures},
        {NULL, NULL},
    };
    return ck_test_main("workloads", tests, NULL, NULL);
}
