/* daemonset.c: apps/v1 DaemonSet: schema (k8s.io/api/apps/v1/types.go),
 * SetDefaults_DaemonSet (pkg/apis/apps/v1/defaults.go), ValidateDaemonSet
 * (pkg/apis/apps/validation) and printDaemonSet's columns. */
#include <string.h>
#include "api/schemas/common.h"
#include "api/schemas/controller_template.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field condition_fields[] = {
    F_STR("type", PB(1)), F_STR("status", PB(2)), F_TIME("lastTransitionTime", PB(3)), F_STR("reason", PB(4)),
    F_STR("message", PB(5)), F_END};
static const ck_field condition = {.name = "", .type = CK_OBJECT, .fields = condition_fields};
static const ck_field rolling_fields[] = {
    {.name = "maxUnavailable", .type = CK_INT_OR_STRING, .tag = 1, .flags = CK_F_POINTER},
    {.name = "maxSurge", .type = CK_INT_OR_STRING, .tag = 2, .flags = CK_F_POINTER}, F_END};
static const ck_field strategy_fields[] = {F_STR("type", PB(1)), F_OBJ("rollingUpdate", rolling_fields, PBP(2)), F_END};
static const ck_field ds_spec[] = {
    {.name = "selector", .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, .tag = 1, .flags = CK_F_POINTER},
    {.name = "template", .type = CK_OBJECT, .fields = ck_pod_template_spec_fields, .tag = 2},
    F_OBJ("updateStrategy", strategy_fields, PB(3)), F_INT("minReadySeconds", PB(4)),
    {.name = "revisionHistoryLimit", .type = CK_INT, .dflt = "10", .tag = 6, .flags = CK_F_POINTER}, F_END};
static const ck_field ds_status[] = {
    F_INT("currentNumberScheduled", PB(1)), F_INT("numberMisscheduled", PB(2)), F_INT("desiredNumberScheduled", PB(3)),
    F_INT("numberReady", PB(4)), F_INT("observedGeneration", PB(5)), F_INT("updatedNumberScheduled", PB(6)),
    F_INT("numberAvailable", PB(7)), F_INT("numberUnavailable", PB(8)), F_INT("collisionCount", PBP(9)),
    F_MLIST("conditions", &condition, "type", PB(10)), F_END};
static const ck_field ds_root[] = {
    F_TYPEMETA, F_OBJ("spec", ds_spec, PB(2)), F_OBJ("status", ds_status, PB(3), .flags = CK_F_READONLY), F_END};
const ck_field ck_schema_daemonset = {
    .name = "", .type = CK_OBJECT, .fields = ds_root,
    .description = "DaemonSet represents the configuration of a daemon set."};

/* SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1, maxSurge 0. */
void ck_defaults_daemonset(json_t *obj)
{
    ck_schema_defaults(&ck_schema_daemonset, obj);
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return;
    json_t *st = ck_json_ensure_object(spec, "updateStrategy");
    if (st && !*ck_str(st, "type")) json_object_set_new(st, "type", json_string("RollingUpdate"));
    if (st && !strcmp(ck_str(st, "type"), "RollingUpdate")) {
        json_t *ru = ck_json_ensure_object(st, "rollingUpdate");
        if (ru && !json_object_get(ru, "maxUnavailable")) json_object_set_new(ru, "maxUnavailable", json_integer(1));
        if (ru && !json_object_get(ru, "maxSurge")) json_object_set_new(ru, "maxSurge", json_integer(0));
    }
    ck_defaults_pod_spec(ck_json_path(spec, "template.spec"));
}

static const char *const only_always[] = {"Always", NULL};

/* ValidateDaemonSetUpdateStrategy. */
static void validate_strategy(const json_t *st, ck_errs *errs)
{
    static const char *const types[] = {"OnDelete", "RollingUpdate", NULL};
    const char *type = ck_str(st, "type");
    if (!strcmp(type, "OnDelete")) return;
    if (strcmp(type, "RollingUpdate")) {
        ck_errs_not_supported(errs, "spec.updateStrategy", type, types);
        return;
    }
    const json_t *ru = json_object_get(st, "rollingUpdate");
    if (!json_is_object(ru)) {
        ck_errs_required(errs, "spec.updateStrategy.rollingUpdate", NULL);
        return;
    }
    const json_t *mu = json_object_get(ru, "maxUnavailable"), *ms = json_object_get(ru, "maxSurge");
    ck_ct_validate_int_or_percent(mu, "spec.updateStrategy.rollingUpdate.maxUnavailable", true, errs);
    ck_ct_validate_int_or_percent(ms, "spec.updateStrategy.rollingUpdate.maxSurge", true, errs);
    bool mu0 = !mu || (json_is_integer(mu) && !json_integer_value(mu)) ||
               (json_is_string(mu) && !strcmp(json_string_value(mu), "0%"));
    bool ms0 = !ms || (json_is_integer(ms) && !json_integer_value(ms)) ||
               (json_is_string(ms) && !strcmp(json_string_value(ms), "0%"));
    if (mu0 && ms0)
        ck_errs_invalid(errs, "spec.updateStrategy.rollingUpdate.maxUnavailable", mu,
                        "may not be 0 when `maxSurge` is 0");
}

void ck_validate_daemonset(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    const json_t *tmpl = json_object_get(spec, "template");
    ck_ct_validate_selector_template(json_object_get(spec, "selector"), tmpl, "spec.selector", "spec.template", errs);
    ck_ct_validate_template(tmpl, "spec.template", only_always, false, errs);
    ck_validate_nonneg(spec, "minReadySeconds", "spec", errs);
    ck_validate_nonneg(spec, "revisionHistoryLimit", "spec", errs);
    validate_strategy(json_object_get(spec, "updateStrategy"), errs);
    if (old) ck_ct_selector_immutable(obj, old, errs);
}

static json_t *ival(const json_t *o, const char *p) { return json_integer(ck_json_int(o, p, 0)); }
static json_t *cell_desired(const json_t *o) { return ival(o, "status.desiredNumberScheduled"); }
static json_t *cell_current(const json_t *o) { return ival(o, "status.currentNumberScheduled"); }
static json_t *cell_ready(const json_t *o) { return ival(o, "status.numberReady"); }
static json_t *cell_updated(const json_t *o) { return ival(o, "status.updatedNumberScheduled"); }
static json_t *cell_available(const json_t *o) { return ival(o, "status.numberAvailable"); }
static json_t *cell_node_selector(const json_t *o) { return ck_cell_labels(ck_json_path(o, "spec.template.spec.nodeSelector")); }
static json_t *cell_containers(const json_t *o) { return ck_ct_cell_containers(ck_json_path(o, "spec.template")); }
static json_t *cell_images(const json_t *o) { return ck_ct_cell_images(ck_json_path(o, "spec.template")); }
static json_t *cell_selector(const json_t *o) { return ck_ct_cell_selector(ck_json_path(o, "spec.selector")); }

#define COL_I(n, d, fn) {.name = n, .type = "integer", .format = "", .description = d, .cell = fn}
#define COL_W(n, d, fn) {.name = n, .type = "string", .format = "", .priority = 1, .description = d, .cell = fn}
const ck_column ck_columns_daemonset[] = {
    COL_NAME,
    COL_I("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly "
          "running the daemon pod).", cell_desired),
    COL_I("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon "
          "pod.", cell_current),
    COL_I("Ready", "numberReady is the number of nodes that should be running the daemon pod and have one or more of "
          "the daemon pod running with a Ready Condition.", cell_ready),
    COL_I("Up-to-date", "The total number of nodes that are running updated daemon pod", cell_updated),
    COL_I("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon "
          "pod running and available (ready for at least spec.minReadySeconds)", cell_available),
    {.name = "Node Selector", .type = "string", .format = "",
     .description = "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must "
                    "match a node's labels for the pod to be scheduled on that node. More info: "
                    "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
     .cell = cell_node_selector},
    COL_AGE,
    COL_W("Containers", "Names of each container in the template.", cell_containers),
    COL_W("Images", "Images referenced by each container in the template.", cell_images),
    COL_W("Selector", "A label query over pods that are managed by the daemon set.", cell_selector),
    {0}};
