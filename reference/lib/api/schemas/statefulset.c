/* statefulset.c: apps/v1 StatefulSet: schema (k8s.io/api/apps/v1/types.go),
 * SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go),
 * ValidateStatefulSet / ValidateStatefulSetUpdate (pkg/apis/apps/validation)
 * and printStatefulSet's columns. */
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
    {.name = "partition", .type = CK_INT, .tag = 1, .flags = CK_F_POINTER},
    {.name = "maxUnavailable", .type = CK_INT_OR_STRING, .tag = 2, .flags = CK_F_POINTER}, F_END};
static const ck_field strategy_fields[] = {F_STR("type", PB(1)), F_OBJ("rollingUpdate", rolling_fields, PBP(2)), F_END};
static const ck_field retention_fields[] = {F_STR("whenDeleted", PB(1)), F_STR("whenScaled", PB(2)), F_END};
static const ck_field ordinals_fields[] = {F_INT("start", PB(1)), F_END};
/* A PersistentVolumeClaim template: kept as given (core/v1 PVC's schema is
 * not served by ckube yet). */
static const ck_field pvc_template = {.name = "", .type = CK_ANY};
static const ck_field sts_spec[] = {
    {.name = "replicas", .type = CK_INT, .dflt = "1", .tag = 1, .flags = CK_F_POINTER},
    {.name = "selector", .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, .tag = 2, .flags = CK_F_POINTER},
    {.name = "template", .type = CK_OBJECT, .fields = ck_pod_template_spec_fields, .tag = 3},
    F_LIST("volumeClaimTemplates", &pvc_template, PB(4)), F_STR("serviceName", PB(5)),
    {.name = "podManagementPolicy", .type = CK_STRING, .dflt = "\"OrderedReady\"", .tag = 6},
    F_OBJ("updateStrategy", strategy_fields, PB(7)),
    {.name = "revisionHistoryLimit", .type = CK_INT, .dflt = "10", .tag = 8, .flags = CK_F_POINTER},
    F_INT("minReadySeconds", PB(9)), F_OBJ("persistentVolumeClaimRetentionPolicy", retention_fields, PBP(10)),
    F_OBJ("ordinals", ordinals_fields, PBP(11)), F_END};
static const ck_field sts_status[] = {
    F_INT("observedGeneration", PB(1)), F_INT("replicas", PB(2)), F_INT("readyReplicas", PB(3)),
    F_INT("currentReplicas", PB(4)), F_INT("updatedReplicas", PB(5)), F_STR("currentRevision", PB(6)),
    F_STR("updateRevision", PB(7)), F_INT("collisionCount", PBP(9)), F_MLIST("conditions", &condition, "type", PB(10)),
    F_INT("availableReplicas", PB(11)), F_END};
static const ck_field sts_root[] = {
    F_TYPEMETA, F_OBJ("spec", sts_spec, PB(2)), F_OBJ("status", sts_status, PB(3), .flags = CK_F_READONLY), F_END};
const ck_field ck_schema_statefulset = {
    .name = "", .type = CK_OBJECT, .fields = sts_root,
    .description = "StatefulSet represents a set of pods with consistent identities."};

/* SetDefaults_StatefulSet: RollingUpdate with partition 0, Retain/Retain. */
void ck_defaults_statefulset(json_t *obj)
{
    ck_schema_defaults(&ck_schema_statefulset, obj);
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return;
    json_t *st = ck_json_ensure_object(spec, "updateStrategy");
    if (st && !*ck_str(st, "type")) json_object_set_new(st, "type", json_string("RollingUpdate"));
    if (st && !strcmp(ck_str(st, "type"), "RollingUpdate")) {
        json_t *ru = ck_json_ensure_object(st, "rollingUpdate");
        if (ru && !json_object_get(ru, "partition")) json_object_set_new(ru, "partition", json_integer(0));
    }
    json_t *rp = ck_json_ensure_object(spec, "persistentVolumeClaimRetentionPolicy");
    if (rp && !*ck_str(rp, "whenDeleted")) json_object_set_new(rp, "whenDeleted", json_string("Retain"));
    if (rp && !*ck_str(rp, "whenScaled")) json_object_set_new(rp, "whenScaled", json_string("Retain"));
    ck_defaults_pod_spec(ck_json_path(spec, "template.spec"));
}

static const char *const only_always[] = {"Always", NULL};

static void validate_spec(const json_t *spec, ck_errs *errs)
{
    static const char *const types[] = {"OnDelete", "RollingUpdate", NULL};
    static const char *const retain[] = {"Delete", "Retain", NULL};
    const char *pmp = ck_str(spec, "podManagementPolicy");
    if (!*pmp) ck_errs_required(errs, "spec.podManagementPolicy", "");
    else if (strcmp(pmp, "OrderedReady") && strcmp(pmp, "Parallel"))
        ck_errs_invalid_str(errs, "spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'");
    const json_t *st = json_object_get(spec, "updateStrategy");
    const char *type = ck_str(st, "type");
    if (!*type) ck_errs_required(errs, "spec.updateStrategy", "");
    else if (strcmp(type, "RollingUpdate") && strcmp(type, "OnDelete"))
        ck_errs_not_supported(errs, "spec.updateStrategy.type", type, types);
    else if (!strcmp(type, "OnDelete") && json_object_get(st, "rollingUpdate"))
        ck_errs_invalid_str(errs, "spec.updateStrategy.rollingUpdate", "",
                            "only allowed for updateStrategy 'RollingUpdate'");
    else if (!strcmp(type, "RollingUpdate")) {
        ck_validate_nonneg(json_object_get(st, "rollingUpdate"), "partition", "spec.updateStrategy.rollingUpdate", errs);
        const json_t *mu = ck_json_path(st, "rollingUpdate.maxUnavailable");
        ck_ct_validate_int_or_percent(mu, "spec.updateStrategy.rollingUpdate.maxUnavailable", true, errs);
    }
    const json_t *rp = json_object_get(spec, "persistentVolumeClaimRetentionPolicy");
    static const char *const keys[] = {"whenDeleted", "whenScaled"};
    for (int i = 0; i < 2 && json_is_object(rp); i++) {
        const char *v = ck_str(rp, keys[i]);
        if (strcmp(v, "Retain") && strcmp(v, "Delete")) {
            char f[CK_PATH_MAX];
            ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "spec.persistentVolumeClaimRetentionPolicy.%s", keys[i]),
                                  v, retain);
        }
    }
    ck_validate_nonneg(spec, "replicas", "spec", errs);
    ck_validate_nonneg(spec, "minReadySeconds", "spec", errs);
    ck_validate_nonneg(json_object_get(spec, "ordinals"), "start", "spec.ordinals", errs);
    const json_t *tmpl = json_object_get(spec, "template");
    ck_ct_validate_selector_template(json_object_get(spec, "selector"), tmpl, "spec.selector", "spec.template", errs);
    ck_ct_validate_template(tmpl, "spec.template", only_always, false, errs);
}

/* ValidateStatefulSetUpdate: only replicas, ordinals, template,
 * updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy
 * and minReadySeconds may change. */
static void validate_update(const json_t *spec, const json_t *old_spec, ck_errs *errs)
{
    static const char *const mutable_keys[] = {"replicas", "ordinals", "template", "updateStrategy",
                                               "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy",
                                               "minReadySeconds", NULL};
    json_t *a = json_deep_copy(spec), *b = json_deep_copy(old_spec);
    for (const char *const *k = mutable_keys; *k; k++) {
        if (json_is_object(a)) json_object_del(a, *k);
        if (json_is_object(b)) json_object_del(b, *k);
    }
    if (!ck_json_equal(a, b))
        ck_errs_forbidden(errs, "spec",
                          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                          "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
                          "'minReadySeconds' are forbidden");
    json_decref(a);
    json_decref(b);
}

void ck_validate_statefulset(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    validate_spec(spec, errs);
    if (old) validate_update(spec, json_object_get(old, "spec"), errs);
}

static json_t *cell_ready(const json_t *o)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%lld/%lld", ck_json_int(o, "status.readyReplicas", 0), ck_json_int(o, "spec.replicas", 0));
    return json_string(buf);
}
static json_t *cell_containers(const json_t *o) { return ck_ct_cell_containers(ck_json_path(o, "spec.template")); }
static json_t *cell_images(const json_t *o) { return ck_ct_cell_images(ck_json_path(o, "spec.template")); }

const ck_column ck_columns_statefulset[] = {
    COL_NAME,
    {.name = "Ready", .type = "string", .format = "", .description = "Number of the pod with ready state",
     .cell = cell_ready},
    COL_AGE,
    {.name = "Containers", .type = "string", .format = "", .priority = 1,
     .description = "Names of each container in the template.", .cell = cell_containers},
    {.name = "Images", .type = "string", .format = "", .priority = 1,
     .description = "Images referenced by each container in the template.", .cell = cell_images},
    {0}};
