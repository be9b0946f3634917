/* workloads.c: PodTemplate, ReplicationController (core/v1), ReplicaSet and
 * Deployment (apps/v1): schemas with status, defaults
 * (pkg/apis/{core,apps}/v1/defaults.go), validation
 * (pkg/apis/core/validation, pkg/apis/apps/validation) and the printer
 * columns of pkg/printers/internalversion/printers.go. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "api/selector.h"
#include "util/ckjson.h"

/* ---- schemas --------------------------------------------------------------- */
/* protobuf: template is 2 in PodTemplate, 3 in the controllers' specs; a
 * *LabelSelector selector is 2; status is 3 (k8s.io/api generated.proto). */
#define TEMPLATE(t) {.name = "template", .type = CK_OBJECT, .fields = ck_pod_template_spec_fields, .tag = (t)}
#define SELECTOR {.name = "selector", .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, \
                  .tag = 2, .flags = CK_F_POINTER}
#define STATUS(fl) {.name = "status", .type = CK_OBJECT, .fields = fl, .flags = CK_F_READONLY, .tag = 3}

static const ck_field podtemplate_fields[] = {F_TYPEMETA, TEMPLATE(2), F_END};
const ck_field ck_schema_podtemplate = {.name = "", .type = CK_OBJECT, .fields = podtemplate_fields,
                                        .description = "PodTemplate describes a template for creating copies of a predefined pod."};

/* ReplicaSetCondition / ReplicationControllerCondition (no lastUpdateTime on
 * the wire) and DeploymentCondition number their fields differently. */
static const ck_field condition_fields[] = {
    F_STR("type", PB(1)), F_STR("status", PB(2)), F_TIME("lastUpdateTime"), F_TIME("lastTransitionTime", PB(3)),
    F_STR("reason", PB(4)), F_STR("message", PB(5)), F_END};
static const ck_field condition = {.name = "", .type = CK_OBJECT, .fields = condition_fields};
static const ck_field deploy_condition_fields[] = {
    F_STR("type", PB(1)), F_STR("status", PB(2)), F_TIME("lastUpdateTime", PB(6)),
    F_TIME("lastTransitionTime", PB(7)), F_STR("reason", PB(4)), F_STR("message", PB(5)), F_END};
static const ck_field deploy_condition = {.name = "", .type = CK_OBJECT, .fields = deploy_condition_fields};

static const ck_field rc_spec_fields[] = {
    F_INT("replicas", PBP(1)), F_INT("minReadySeconds", PB(4)), F_STRMAP("selector", PB(2)),
    {.name = "template", .type = CK_OBJECT, .fields = ck_pod_template_spec_fields, .tag = 3,
     .flags = CK_F_POINTER},
    F_END};
static const ck_field rs_status_fields[] = {
    F_INT("replicas", PB(1)), F_INT("fullyLabeledReplicas", PB(2)), F_INT("readyReplicas", PB(4)),
    F_INT("availableReplicas", PB(5)), F_INT("terminatingReplicas", PBP(7)), F_INT("observedGeneration", PB(3)),
    F_MLIST("conditions", &condition, "type", PB(6)), F_END};
static const ck_field rc_fields[] = {F_TYPEMETA, F_OBJ("spec", rc_spec_fields, PB(2)), STATUS(rs_status_fields), F_END};
const ck_field ck_schema_replicationcontroller = {
    .name = "", .type = CK_OBJECT, .fields = rc_fields,
    .description = "ReplicationController represents the configuration of a replication controller."};

static const ck_field rs_spec_fields[] = {
    {.name = "replicas", .type = CK_INT, .dflt = "1", .tag = 1, .flags = CK_F_POINTER},
    F_INT("minReadySeconds", PB(4)), SELECTOR, TEMPLATE(3), F_END};
static const ck_field rs_fields[] = {F_TYPEMETA, F_OBJ("spec", rs_spec_fields, PB(2)), STATUS(rs_status_fields), F_END};
const ck_field ck_schema_replicaset = {
    .name = "", .type = CK_OBJECT, .fields = rs_fields,
    .description = "ReplicaSet ensures that a specified number of pod replicas are running at any given time."};

static const ck_field rolling_fields[] = {
    {.name = "maxUnavailable", .type = CK_INT_OR_STRING, .tag = 1, .flags = CK_F_POINTER},
    {.name = "maxSurge", .type = CK_INT_OR_STRING, .tag = 2, .flags = CK_F_POINTER},
    F_END};
static const ck_field strategy_fields[] = {F_STR("type", PB(1)), F_OBJ("rollingUpdate", rolling_fields, PBP(2)), F_END};
static const ck_field deploy_spec_fields[] = {
    {.name = "replicas", .type = CK_INT, .dflt = "1", .tag = 1, .flags = CK_F_POINTER}, SELECTOR, TEMPLATE(3),
    {.name = "strategy", .type = CK_OBJECT, .fields = strategy_fields, .patch_strategy = "retainKeys", .tag = 4},
    F_INT("minReadySeconds", PB(5)),
    {.name = "revisionHistoryLimit", .type = CK_INT, .dflt = "10", .tag = 6, .flags = CK_F_POINTER},
    F_BOOL("paused", PB(7)),
    {.name = "progressDeadlineSeconds", .type = CK_INT, .dflt = "600", .tag = 9, .flags = CK_F_POINTER}, F_END};
static const ck_field deploy_status_fields[] = {
    F_INT("observedGeneration", PB(1)), F_INT("replicas", PB(2)), F_INT("updatedReplicas", PB(3)),
    F_INT("readyReplicas", PB(7)), F_INT("availableReplicas", PB(4)), F_INT("unavailableReplicas", PB(5)),
    F_INT("terminatingReplicas", PBP(9)), F_MLIST("conditions", &deploy_condition, "type", PB(6)),
    F_INT("collisionCount", PBP(8)), F_END};
static const ck_field deploy_fields[] = {
    F_TYPEMETA, F_OBJ("spec", deploy_spec_fields, PB(2)), STATUS(deploy_status_fields), F_END};
const ck_field ck_schema_deployment = {
    .name = "", .type = CK_OBJECT, .fields = deploy_fields,
    .description = "Deployment enables declarative updates for Pods and ReplicaSets."};

/* ---- defaults ---------------------------------------------------------- */

static void defaults_template(json_t *tmpl) { ck_defaults_pod_spec(json_object_get(tmpl, "spec")); }

void ck_defaults_podtemplate(json_t *obj) { defaults_template(json_object_get(obj, "template")); }

/* SetDefaults_ReplicationController: selector and labels from the template. */
void ck_defaults_replicationcontroller(json_t *obj)
{
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return;
    json_t *labels = ck_json_path(spec, "template.metadata.labels");
    if (json_is_object(labels)) {
        if (json_object_size(json_object_get(spec, "selector")) == 0)
            json_object_set_new(spec, "selector", json_deep_copy(labels));
        json_t *meta = ck_json_ensure_object(obj, "metadata");
        if (meta && json_object_size(json_object_get(meta, "labels")) == 0)
            json_object_set_new(meta, "labels", json_deep_copy(labels));
    }
    if (!json_object_get(spec, "replicas")) json_object_set_new(spec, "replicas", json_integer(1));
    defaults_template(json_object_get(spec, "template"));
}

void ck_defaults_replicaset(json_t *obj)
{
    ck_schema_defaults(&ck_schema_replicaset, obj);
    defaults_template(ck_json_path(obj, "spec.template"));
}

/* SetDefaults_Deployment: RollingUpdate 25%/25% unless Recreate. */
void ck_defaults_deployment(json_t *obj)
{
    ck_schema_defaults(&ck_schema_deployment, obj);
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return;
    json_t *st = ck_json_ensure_object(spec, "strategy");
    if (st && !*ck_str(st, "type")) json_object_set_new(st, "type", json_string("RollingUpdate"));
    if (st && strcmp(ck_str(st, "type"), "RollingUpdate") == 0) {
        json_t *ru = ck_json_ensure_object(st, "rollingUpdate");
        if (ru && !json_object_get(ru, "maxUnavailable")) json_object_set_new(ru, "maxUnavailable", json_string("25%"));
        if (ru && !json_object_get(ru, "maxSurge")) json_object_set_new(ru, "maxSurge", json_string("25%"));
    }
    defaults_template(json_object_get(spec, "template"));
}

/* ---- validation -------------------------------------------------------- */

static const char *const only_always[] = {"Always", NULL};

/* Invalid(<path>, template.Labels, "`selector` does not match template `labels`"). */
static void selector_mismatch(const json_t *tmpl, const char *tpath, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    char *v = ck_go_string_map(ck_json_path(tmpl, "metadata.labels"));
    ck_errs_add(errs, "FieldValueInvalid", ck_pathf(f, sizeof f, "%s.metadata.labels", tpath),
                "Invalid value: %s: `selector` does not match template `labels`", v ? v : "");
    free(v);
}

/* ValidatePodTemplateSpec: template labels/annotations, no ephemeral
 * containers, then the PodSpec. */
static void validate_template(const json_t *tmpl, const char *tpath, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    const json_t *meta = json_object_get(tmpl, "metadata");
    if (json_object_get(meta, "labels"))
        ck_validate_labels(json_object_get(meta, "labels"), ck_pathf(f, sizeof f, "%s.metadata.labels", tpath), errs);
    if (json_object_get(meta, "annotations"))
        ck_validate_annotations(json_object_get(meta, "annotations"),
                                ck_pathf(f, sizeof f, "%s.metadata.annotations", tpath), errs);
    const json_t *spec = json_object_get(tmpl, "spec");
    ck_validate_pod_spec(spec, ck_pathf(f, sizeof f, "%s.spec", tpath), errs);
    if (json_array_size(json_object_get(spec, "ephemeralContainers")))
        ck_errs_forbidden(errs, ck_pathf(f, sizeof f, "%s.spec.ephemeralContainers", tpath),
                          "ephemeral containers not allowed in pod template");
}

/* The part of ValidatePodTemplateSpecFor{RC,ReplicaSet} after the selector
 * check: restartPolicy Always, no activeDeadlineSeconds. */
static void validate_controller_template(const json_t *tmpl, const char *tpath, const char *owner, ck_errs *errs)
{
    char f[CK_PATH_MAX], d[96];
    validate_template(tmpl, tpath, errs);
    const char *rp = ck_json_str(tmpl, "spec.restartPolicy", "");
    if (strcmp(rp, "Always") != 0)
        ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "%s.spec.restartPolicy", tpath), rp, only_always);
    if (ck_json_path(tmpl, "spec.activeDeadlineSeconds")) {
        snprintf(d, sizeof d, "activeDeadlineSeconds in %s is not Supported", owner);
        ck_errs_forbidden(errs, ck_pathf(f, sizeof f, "%s.spec.activeDeadlineSeconds", tpath), d);
    }
}

void ck_validate_podtemplate(const json_t *obj, const json_t *old, ck_errs *errs)
{
    validate_template(json_object_get(obj, "template"), "template", errs);
}

void ck_validate_replicationcontroller(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    ck_validate_nonneg(spec, "minReadySeconds", "spec", errs);
    const json_t *sel = json_object_get(spec, "selector");
    if (json_object_size(sel) == 0) ck_errs_required(errs, "spec.selector", NULL);
    else ck_validate_labels(sel, "spec.selector", errs);
    ck_validate_nonneg(spec, "replicas", "spec", errs);
    const json_t *tmpl = json_object_get(spec, "template");
    if (!tmpl) { ck_errs_required(errs, "spec.template", NULL); return; }
    const json_t *labels = ck_json_path(tmpl, "metadata.labels");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)sel, k, v)
        if (!ck_json_equal(json_object_get(labels, k), v)) {
            selector_mismatch(tmpl, "spec.template", errs);
            break;
        }
    validate_controller_template(tmpl, "spec.template", "ReplicationController", errs);
}

/* ValidateLabelSelector's requirement checks (metav1 validation). */
static void validate_label_selector(const json_t *sel, ck_errs *errs)
{
    static const char *const ops[] = {"In", "NotIn", "Exists", "DoesNotExist", NULL};
    char f[CK_PATH_MAX];
    if (json_object_get(sel, "matchLabels"))
        ck_validate_labels(json_object_get(sel, "matchLabels"), "spec.selector.matchLabels", errs);
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(sel, "matchExpressions"), i, r) {
        const char *op = ck_str(r, "operator");
        size_t nvals = json_array_size(json_object_get(r, "values"));
        bool set_op = strcmp(op, "In") == 0 || strcmp(op, "NotIn") == 0;
        bool exist_op = strcmp(op, "Exists") == 0 || strcmp(op, "DoesNotExist") == 0;
        ck_pathf(f, sizeof f, "spec.selector.matchExpressions[%zu].values", i);
        if (set_op && nvals == 0)
            ck_errs_required(errs, f, "must be specified when `operator` is 'In' or 'NotIn'");
        if (exist_op && nvals)
            ck_errs_forbidden(errs, f, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        bool known = false;
        for (const char *const *o = ops; *o; o++) known |= strcmp(op, *o) == 0;
        if (!known)
            ck_errs_invalid_str(errs, ck_pathf(f, sizeof f, "spec.selector.matchExpressions[%zu].operator", i),
                                op, "not a valid selector operator");
    }
}

static void add_selector_invalid(const json_t *sel, const char *detail, ck_errs *errs)
{
    char *v = ck_go_label_selector(sel);
    ck_errs_add(errs, "FieldValueInvalid", "spec.selector", "Invalid value: %s: %s", v ? v : "", detail);
    free(v);
}

/* ValidateReplicaSetSpec / ValidateDeploymentSpec's shared head: replicas,
 * selector presence and validity, template vs selector. */
static void validate_apps_spec(const json_t *spec, const char *owner, ck_errs *errs)
{
    ck_validate_nonneg(spec, "replicas", "spec", errs);
    const json_t *sel = json_object_get(spec, "selector");
    if (!json_is_object(sel)) ck_errs_required(errs, "spec.selector", NULL);
    else {
        validate_label_selector(sel, errs);
        if (json_object_size(json_object_get(sel, "matchLabels")) +
            json_array_size(json_object_get(sel, "matchExpressions")) == 0)
            add_selector_invalid(sel, "empty selector is invalid for deployment", errs);
    }
    char err[256];
    ck_label_selector *ls = ck_label_selector_from_json(sel, err, sizeof err);
    if (!ls) { add_selector_invalid(sel, "invalid label selector", errs); return; }
    const json_t *tmpl = json_object_get(spec, "template");
    if (!tmpl) ck_errs_required(errs, "spec.template", NULL);
    else {
        if (!ck_label_selector_empty(ls) && !ck_label_selector_matches(ls, ck_json_path(tmpl, "metadata.labels")))
            selector_mismatch(tmpl, "spec.template", errs);
        validate_controller_template(tmpl, "spec.template", owner, errs);
    }
    ck_label_selector_free(ls);
}

/* ValidateImmutableField(spec.selector) for apps/v1 updates. */
static void selector_immutable(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *ns = ck_json_path(obj, "spec.selector"), *os = ck_json_path(old, "spec.selector");
    if (ck_json_equal(ns, os)) return;
    add_selector_invalid(ns, "field is immutable", errs);
}

void ck_validate_replicaset(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    validate_apps_spec(spec, "ReplicaSet", errs);
    ck_validate_nonneg(spec, "minReadySeconds", "spec", errs);
    if (old) selector_immutable(obj, old, errs);
}

/* Go's %#v of an intstr.IntOrString (its String() has a pointer receiver, so
 * field errors print the struct). */
static void go_intstr(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v)) snprintf(out, n, "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"%s\"}", json_string_value(v));
    else snprintf(out, n, "intstr.IntOrString{Type:0, IntVal:%lld, StrVal:\"\"}", (long long)json_integer_value(v));
}

/* validation.IsValidPercent: [0-9]+% */
static bool is_percent(const char *s, int *value)
{
    size_t n = strlen(s), digits = strspn(s, "0123456789");
    if (n < 2 || digits != n - 1 || s[n - 1] != '%') return false;
    if (value) *value = atoi(s);
    return true;
}

static int intstr_value(const json_t *v)
{
    int pct = 0;
    if (json_is_string(v)) return is_percent(json_string_value(v), &pct) ? pct : atoi(json_string_value(v));
    return (int)json_integer_value(v);
}

/* ValidatePositiveIntOrPercent + IsNotMoreThan100Percent. */
static void validate_int_or_percent(const json_t *v, const char *f, bool max100, ck_errs *errs)
{
    char go[128];
    go_intstr(v, go, sizeof go);
    int pct = 0;
    if (json_is_string(v) && !is_percent(json_string_value(v), NULL))
        ck_errs_add(errs, "FieldValueInvalid", f, "Invalid value: %s: a valid percent string must be a numeric "
                    "string followed by an ending '%%' (e.g. '1%%',  or '93%%', regex used for validation is "
                    "'[0-9]+%%')", go);
    else if (json_is_integer(v) && json_integer_value(v) < 0)
        ck_errs_add(errs, "FieldValueInvalid", f, "Invalid value: %lld: must be greater than or equal to 0",
                    (long long)json_integer_value(v));
    if (max100 && json_is_string(v) && is_percent(json_string_value(v), &pct) && pct > 100)
        ck_errs_add(errs, "FieldValueInvalid", f, "Invalid value: %s: must not be greater than 100%%", go);
}

/* ValidateDeploymentStrategy. */
static void validate_strategy(const json_t *st, ck_errs *errs)
{
    const char *type = ck_str(st, "type");
    const json_t *ru = json_object_get(st, "rollingUpdate");
    if (strcmp(type, "Recreate") == 0) {
        if (ru) ck_errs_forbidden(errs, "spec.strategy.rollingUpdate",
                                  "may not be specified when strategy `type` is 'Recreate'");
    } else if (strcmp(type, "RollingUpdate") == 0) {
        if (!ru) {
            ck_errs_required(errs, "spec.strategy.rollingUpdate", "this should be defaulted and never be nil");
            return;
        }
        const json_t *mu = json_object_get(ru, "maxUnavailable"), *ms = json_object_get(ru, "maxSurge");
        validate_int_or_percent(mu, "spec.strategy.rollingUpdate.maxUnavailable", false, errs);
        validate_int_or_percent(ms, "spec.strategy.rollingUpdate.maxSurge", false, errs);
        if (intstr_value(mu) == 0 && intstr_value(ms) == 0) {
            char go[128];
            go_intstr(mu, go, sizeof go);
            ck_errs_add(errs, "FieldValueInvalid", "spec.strategy.rollingUpdate.maxUnavailable",
                        "Invalid value: %s: may not be 0 when `maxSurge` is 0", go);
        }
        validate_int_or_percent(mu, "spec.strategy.rollingUpdate.maxUnavailable", true, errs);
    } else {
        ck_errs_add(errs, "FieldValueNotSupported", "spec.strategy",
                    "Unsupported value: apps.DeploymentStrategy{Type:\"%s\", RollingUpdate:(*apps.RollingUpdateDeployment)(%s)}: "
                    "supported values: \"Recreate\", \"RollingUpdate\"", type, ru ? "0xc000000000" : "nil");
    }
}

void ck_validate_deployment(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    validate_apps_spec(spec, "ReplicaSet", errs);
    validate_strategy(json_object_get(spec, "strategy"), errs);
    ck_validate_nonneg(spec, "minReadySeconds", "spec", errs);
    ck_validate_nonneg(spec, "revisionHistoryLimit", "spec", errs);
    const json_t *pds = json_object_get(spec, "progressDeadlineSeconds");
    if (json_is_integer(pds)) {
        ck_validate_nonneg(spec, "progressDeadlineSeconds", "spec", errs);
        if (json_integer_value(pds) <= json_integer_value(json_object_get(spec, "minReadySeconds")))
            ck_errs_invalid(errs, "spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds");
    }
    if (old) selector_immutable(obj, old, errs);
}

/* ---- printers ---------------------------------------------------------- */

/* Comma-joined `key` of each container of the template at `tmpl`. */
static json_t *join_containers(const json_t *tmpl, const char *key)
{
    char buf[1024] = "";
    size_t i;
    const json_t *c;
    json_array_foreach(ck_json_path(tmpl, "spec.containers"), i, c) {
        size_t off = strlen(buf);
        snprintf(buf + off, sizeof buf - off, "%s%s", i ? "," : "", ck_str(c, key));
    }
    return json_string(buf);
}

static json_t *int_at(const json_t *o, const char *path) { return json_integer(ck_json_int(o, path, 0)); }

static json_t *cell_containers(const json_t *o) { return join_containers(ck_json_path(o, "spec.template"), "name"); }
static json_t *cell_images(const json_t *o) { return join_containers(ck_json_path(o, "spec.template"), "image"); }
static json_t *cell_pt_containers(const json_t *o) { return join_containers(json_object_get(o, "template"), "name"); }
static json_t *cell_pt_images(const json_t *o) { return join_containers(json_object_get(o, "template"), "image"); }
static json_t *cell_pt_labels(const json_t *o) { return ck_cell_labels(ck_json_path(o, "template.metadata.labels")); }
static json_t *cell_desired(const json_t *o) { return int_at(o, "spec.replicas"); }
static json_t *cell_current(const json_t *o) { return int_at(o, "status.replicas"); }
static json_t *cell_ready_count(const json_t *o) { return int_at(o, "status.readyReplicas"); }
static json_t *cell_updated(const json_t *o) { return int_at(o, "status.updatedReplicas"); }
static json_t *cell_available(const json_t *o) { return int_at(o, "status.availableReplicas"); }
static json_t *cell_rc_selector(const json_t *o) { return ck_cell_labels(ck_json_path(o, "spec.selector")); }

static json_t *cell_ready_ratio(const json_t *o)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%lld/%lld", ck_json_int(o, "status.readyReplicas", 0), ck_json_int(o, "spec.replicas", 0));
    return json_string(buf);
}

/* metav1.FormatLabelSelector: "<error>", "<none>" or the selector string. */
static json_t *cell_label_selector(const json_t *o)
{
    char err[128];
    ck_label_selector *s = ck_label_selector_from_json(ck_json_path(o, "spec.selector"), err, sizeof err);
    if (!s) return json_string("<error>");
    char *str = ck_label_selector_string(s);
    json_t *out = json_string(str && *str ? str : "<none>");
    free(str);
    ck_label_selector_free(s);
    return out;
}

#define COL_INT(n, d, fn) {.name = n, .type = "integer", .format = "", .description = d, .cell = fn}
#define COL_WIDE(n, d, fn) {.name = n, .type = "string", .format = "", .priority = 1, .description = d, .cell = fn}
#define COLS_TEMPLATE_WIDE(selector_cell)                                                      \
    COL_WIDE("Containers", "Names of each container in the template.", cell_containers),      \
    COL_WIDE("Images", "Images referenced by each container in the template.", cell_images),  \
    COL_WIDE("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by " \
             "this will be the ones affected by this deployment.", selector_cell)
#define COLS_REPLICAS                                                                          \
    COL_INT("Desired", "Replicas is the number of desired replicas.", cell_desired),          \
    COL_INT("Current", "Replicas is the most recently observed number of replicas.", cell_current), \
    COL_INT("Ready", "The number of ready replicas for this replica set.", cell_ready_count)

const ck_column ck_columns_podtemplate[] = {
    COL_NAME,
    {.name = "Containers", .type = "string", .format = "", .description = "Names of each container in the template.",
     .cell = cell_pt_containers},
    {.name = "Images", .type = "string", .format = "", .description = "Images referenced by each container in the template.",
     .cell = cell_pt_images},
    {.name = "Pod Labels", .type = "string", .format = "", .description = "The labels for the pod template.",
     .cell = cell_pt_labels},
    {0}};

const ck_column ck_columns_replicationcontroller[] = {
    COL_NAME, COLS_REPLICAS, COL_AGE, COLS_TEMPLATE_WIDE(cell_rc_selector), {0}};

const ck_column ck_columns_replicaset[] = {
    COL_NAME, COLS_REPLICAS, COL_AGE, COLS_TEMPLATE_WIDE(cell_label_selector), {0}};

const ck_column ck_columns_deployment[] = {
    COL_NAME,
    {.name = "Ready", .type = "string", .format = "",
     .description = "Number of the pod with ready state", .cell = cell_ready_ratio},
    COL_INT("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have "
            "the desired template spec.", cell_updated),
    COL_INT("Available", "Total number of available pods (ready for at least minReadySeconds) targeted "
            "by this deployment.", cell_available),
    COL_AGE, COLS_TEMPLATE_WIDE(cell_label_selector), {0}};
