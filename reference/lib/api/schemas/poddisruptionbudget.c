/* poddisruptionbudget.c: policy/v1 PodDisruptionBudget: schema
 * (k8s.io/api/policy/v1/types.go), ValidatePodDisruptionBudget
 * (pkg/apis/policy/validation) and printPodDisruptionBudget's columns. */
#include <string.h>
#include "api/schemas/common.h"
#include "api/schemas/controller_template.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field condition_fields[] = {
    F_STR("type", PB(1)), F_STR("status", PB(2)), F_INT("observedGeneration", PB(3)),
    F_TIME("lastTransitionTime", PB(4)), F_STR("reason", PB(5)), F_STR("message", PB(6)), F_END};
static const ck_field condition = {.name = "", .type = CK_OBJECT, .fields = condition_fields};
static const ck_field time_value = {.name = "", .type = CK_TIME};
static const ck_field pdb_spec[] = {
    {.name = "minAvailable", .type = CK_INT_OR_STRING, .tag = 1, .flags = CK_F_POINTER},
    {.name = "selector", .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, .tag = 2, .flags = CK_F_POINTER,
     .patch_strategy = "replace"},
    {.name = "maxUnavailable", .type = CK_INT_OR_STRING, .tag = 3, .flags = CK_F_POINTER},
    F_STR("unhealthyPodEvictionPolicy", PBP(4)), F_END};
static const ck_field pdb_status[] = {
    F_INT("observedGeneration", PB(1)), {.name = "disruptedPods", .type = CK_MAP, .items = &time_value, .tag = 2},
    F_INT("disruptionsAllowed", PB(3)), F_INT("currentHealthy", PB(4)), F_INT("desiredHealthy", PB(5)),
    F_INT("expectedPods", PB(6)), F_MLIST("conditions", &condition, "type", PB(7)), F_END};
static const ck_field pdb_root[] = {
    F_TYPEMETA, F_OBJ("spec", pdb_spec, PB(2)), F_OBJ("status", pdb_status, PB(3), .flags = CK_F_READONLY), F_END};
const ck_field ck_schema_poddisruptionbudget = {
    .name = "", .type = CK_OBJECT, .fields = pdb_root,
    .description = "PodDisruptionBudget is an object to define the max disruption that can be caused to a collection "
                   "of pods"};

void ck_defaults_poddisruptionbudget(json_t *obj) {}

/* ValidatePodDisruptionBudgetSpec. */
void ck_validate_poddisruptionbudget(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const policies[] = {"AlwaysAllow", "IfHealthyBudget", NULL};
    const json_t *spec = json_object_get(obj, "spec");
    const json_t *min = json_object_get(spec, "minAvailable"), *max = json_object_get(spec, "maxUnavailable");
    if (min && !json_is_null(min) && max && !json_is_null(max))
        ck_errs_add(errs, "FieldValueInvalid", "spec", "Invalid value: \"object\": minAvailable and maxUnavailable "
                    "cannot be both set");
    ck_ct_validate_int_or_percent(min, "spec.minAvailable", true, errs);
    ck_ct_validate_int_or_percent(max, "spec.maxUnavailable", true, errs);
    const json_t *sel = json_object_get(spec, "selector");
    if (json_is_object(sel)) ck_ct_validate_selector(sel, "spec.selector", errs);
    const char *p = ck_str(spec, "unhealthyPodEvictionPolicy");
    if (*p && strcmp(p, "AlwaysAllow") && strcmp(p, "IfHealthyBudget"))
        ck_errs_not_supported(errs, "spec.unhealthyPodEvictionPolicy", p, policies);
    const json_t *st = json_object_get(obj, "status");
    static const char *const counts[] = {"disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods", NULL};
    for (const char *const *k = counts; *k && json_is_object(st); k++) ck_validate_nonneg(st, *k, "status", errs);
}

/* The intstr as kubectl prints it, "N/A" when unset. */
static json_t *intstr_cell(const json_t *v)
{
    if (json_is_integer(v)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        return json_string(buf);
    }
    if (json_is_string(v)) return json_string(json_string_value(v));
    return json_string("N/A");
}
static json_t *cell_min(const json_t *o) { return intstr_cell(ck_json_path(o, "spec.minAvailable")); }
static json_t *cell_max(const json_t *o) { return intstr_cell(ck_json_path(o, "spec.maxUnavailable")); }
static json_t *cell_allowed(const json_t *o) { return json_integer(ck_json_int(o, "status.disruptionsAllowed", 0)); }

const ck_column ck_columns_poddisruptionbudget[] = {
    COL_NAME,
    {.name = "Min Available", .type = "string", .format = "",
     .description = "The minimum number of pods that must be available simultaneously.  This can be either an integer "
                    "or a string specifying a percentage, e.g. \"28%\".",
     .cell = cell_min},
    {.name = "Max Unavailable", .type = "string", .format = "",
     .description = "The maximum number of pods that may be unavailable simultaneously.  This can be either an "
                    "integer or a string specifying a percentage, e.g. \"28%\".",
     .cell = cell_max},
    {.name = "Allowed Disruptions", .type = "integer", .format = "",
     .description = "Calculated number of pods that may be disrupted at this time.", .cell = cell_allowed},
    COL_AGE, {0}};
