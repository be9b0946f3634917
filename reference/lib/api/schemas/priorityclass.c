/* priorityclass.c: scheduling.k8s.io/v1 PriorityClass (cluster-scoped):
 * schema, SetDefaults_PriorityClass, ValidatePriorityClass(Update)
 * (pkg/apis/scheduling/validation) and printPriorityClass's columns. */
#include <stdio.h>
#include <string.h>
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

/* pkg/apis/scheduling/types.go */
#define HIGHEST_USER_DEFINABLE_PRIORITY 1000000000LL
#define SYSTEM_PREFIX "system-"

static const ck_field pc_root[] = {
    F_TYPEMETA, F_INT("value", PB(2)), F_BOOL("globalDefault", PB(3)), F_STR("description", PB(4)),
    {.name = "preemptionPolicy", .type = CK_STRING, .dflt = "\"PreemptLowerPriority\"", .tag = 5,
     .flags = CK_F_POINTER},
    F_END};
const ck_field ck_schema_priorityclass = {
    .name = "", .type = CK_OBJECT, .fields = pc_root,
    .description = "PriorityClass defines mapping from a priority class name to the priority integer value."};

void ck_defaults_priorityclass(json_t *obj) { ck_schema_defaults(&ck_schema_priorityclass, obj); }

/* scheduling.SystemPriorityClasses(): the two classes the apiserver creates. */
static const struct { const char *name; long long value; } system_classes[] = {
    {"system-node-critical", 2000001000LL}, {"system-cluster-critical", 2000000000LL}};

/* IsKnownSystemPriorityClass: NULL, or the error text. */
static const char *known_system_class(const char *name, long long value, bool global, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof system_classes / sizeof system_classes[0]; i++) {
        if (strcmp(system_classes[i].name, name)) continue;
        if (system_classes[i].value != value) {
            snprintf(buf, n, "value of %s PriorityClass must be %lld", name, system_classes[i].value);
            return buf;
        }
        if (global) {
            snprintf(buf, n, "globalDefault of %s PriorityClass must be false", name);
            return buf;
        }
        return NULL;
    }
    snprintf(buf, n, "%s is not a known system priority class", name);
    return buf;
}

void ck_validate_priorityclass(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const policies[] = {"Never", "PreemptLowerPriority", NULL};
    const char *name = ck_json_str(obj, "metadata.name", "");
    long long value = ck_json_int(obj, "value", 0);
    char buf[256], msg[512];
    if (!strncmp(name, SYSTEM_PREFIX, strlen(SYSTEM_PREFIX))) {
        const char *e = known_system_class(name, value, ck_json_bool(obj, "globalDefault", false), buf, sizeof buf);
        if (e) {
            snprintf(msg, sizeof msg, "priority class names with '" SYSTEM_PREFIX
                     "' prefix are reserved for system use only. error: %s", e);
            ck_errs_forbidden(errs, "metadata.name", msg);
        }
    } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
        snprintf(msg, sizeof msg, "maximum allowed value of a user defined priority is %lld",
                 HIGHEST_USER_DEFINABLE_PRIORITY);
        ck_errs_forbidden(errs, "value", msg);
    }
    const char *pp = ck_json_str(obj, "preemptionPolicy", NULL);
    if (pp && strcmp(pp, "Never") && strcmp(pp, "PreemptLowerPriority"))
        ck_errs_not_supported(errs, "preemptionPolicy", pp, policies);
    if (!old) return;
    if (ck_json_int(old, "value", 0) != value) ck_errs_forbidden(errs, "value", "may not be changed in an update.");
    if (!ck_json_equal(json_object_get(obj, "preemptionPolicy"), json_object_get(old, "preemptionPolicy")))
        ck_errs_invalid(errs, "preemptionPolicy", json_object_get(obj, "preemptionPolicy"), "field is immutable");
}

static json_t *cell_value(const json_t *o) { return json_integer(ck_json_int(o, "value", 0)); }
static json_t *cell_global(const json_t *o) { return json_boolean(ck_json_bool(o, "globalDefault", false)); }
static json_t *cell_policy(const json_t *o) { return json_string(ck_json_str(o, "preemptionPolicy", "")); }

const ck_column ck_columns_priorityclass[] = {
    COL_NAME,
    {.name = "Value", .type = "integer", .format = "",
     .description = "value represents the integer value of this priority class. This is the actual priority that pods "
                    "receive when they have the name of this class in their pod spec.",
     .cell = cell_value},
    {.name = "Global-Default", .type = "boolean", .format = "",
     .description = "globalDefault specifies whether this PriorityClass should be considered as the default priority "
                    "for pods that do not have any priority class. Only one PriorityClass can be marked as "
                    "`globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` "
                    "field set to true, the smallest value of such global default PriorityClasses will be used as the "
                    "default priority.",
     .cell = cell_global},
    COL_AGE,
    {.name = "PreemptionPolicy", .type = "string", .format = "",
     .description = "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, "
                    "PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
     .cell = cell_policy},
    {0}};
