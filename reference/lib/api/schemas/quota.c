/* quota.c: core/v1 ResourceQuota and LimitRange: schemas after
 * k8s.io/api/core/v1/types.go, validation after ValidateResourceQuota and
 * ValidateLimitRange (pkg/apis/core/validation/validation.go), columns after
 * printResourceQuota / printLimitRange (pkg/printers/internalversion). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/quantity.h"
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

/* ---- ResourceQuota --------------------------------------------------------- */
static const ck_field scoped_requirement_fields[] = {
    F_STR("scopeName", PB(1)), F_STR("operator", PB(2)), F_STRLIST("values", PB(3)), F_END};
static const ck_field scoped_requirement = {.name = "", .type = CK_OBJECT, .fields = scoped_requirement_fields};
static const ck_field scope_selector[] = {F_LIST("matchExpressions", &scoped_requirement, PB(1)), F_END};
static const ck_field rq_spec[] = {
    F_QTYMAP("hard", PB(1)), F_STRLIST("scopes", PB(2)), F_OBJ("scopeSelector", scope_selector, PBP(3)), F_END};
static const ck_field rq_status[] = {F_QTYMAP("hard", PB(1)), F_QTYMAP("used", PB(2)), F_END};
static const ck_field rq_root[] = {
    F_TYPEMETA, F_OBJ("spec", rq_spec, PB(2)), F_OBJ("status", rq_status, PB(3), .flags = CK_F_READONLY), F_END};
const ck_field ck_schema_resourcequota = {
    .name = "", .type = CK_OBJECT, .fields = rq_root,
    .description = "ResourceQuota sets aggregate quota restrictions enforced per namespace"};

/* printResourceQuota: "<resource>: <used>/<hard>" for status.hard, sorted,
 * limits.* in the Limit column and the rest in Request. */
static json_t *rq_cell(const json_t *obj, bool limits)
{
    const json_t *hard = ck_json_path(obj, "status.hard");
    const json_t *used = ck_json_path(obj, "status.used");
    const char *keys[128];
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)hard, k, v) if (n < 128) keys[n++] = k;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j]; keys[j] = keys[j - 1]; keys[j - 1] = t;
        }
    char buf[4096] = "";
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        bool is_limit = strncmp(keys[i], "limits.", 7) == 0;
        if (is_limit != limits) continue;
        const char *u = json_string_value(json_object_get(used, keys[i]));
        const char *h = json_string_value(json_object_get(hard, keys[i]));
        int w = snprintf(buf + off, sizeof buf - off, "%s%s: %s/%s", off ? ", " : "", keys[i], u ? u : "0",
                         h ? h : "0");
        if (w < 0 || (size_t)w >= sizeof buf - off) break;
        off += (size_t)w;
    }
    return json_string(buf);
}
static json_t *cell_rq_request(const json_t *o) { return rq_cell(o, false); }
static json_t *cell_rq_limit(const json_t *o) { return rq_cell(o, true); }

const ck_column ck_columns_resourcequota[] = {
    COL_NAME, COL_AGE,
    {.name = "Request", .type = "string", .format = "",
     .description = "Request represents a minimum amount of cpu/memory that a container may consume.",
     .cell = cell_rq_request},
    {.name = "Limit", .type = "string", .format = "",
     .description = "Limits control the maximum amount of cpu/memory that a container may use independent of "
                    "contention on the node.",
     .cell = cell_rq_limit},
    {0}};

void ck_defaults_resourcequota(json_t *obj) {}

/* validateResourceQuantityValue: every quantity is non-negative. */
static void nonneg_quantities(const json_t *list, const char *path, ck_errs *errs)
{
    const char *k;
    json_t *v;
    char f[CK_PATH_MAX];
    json_object_foreach((json_t *)list, k, v) {
        ck_pathf(f, sizeof f, "%s[%s]", path, k);
        ck_validate_qualified_name(k, f, errs);
        const char *s = json_string_value(v);
        if (s && ck_quantity_milli(s, 0) < 0) ck_errs_invalid_str(errs, f, s, "must be greater than or equal to 0");
    }
}

void ck_validate_resourcequota(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const scopes[] = {"BestEffort", "CrossNamespacePodAffinity", "NotBestEffort",
                                         "NotTerminating", "PriorityClass", "Terminating",
                                         "VolumeAttributesClass", NULL};
    nonneg_quantities(ck_json_path(obj, "spec.hard"), "spec.hard", errs);
    nonneg_quantities(ck_json_path(obj, "status.hard"), "status.hard", errs);
    nonneg_quantities(ck_json_path(obj, "status.used"), "status.used", errs);
    size_t i;
    json_t *s;
    char f[CK_PATH_MAX];
    json_array_foreach(ck_json_path(obj, "spec.scopes"), i, s) {
        const char *v = json_string_value(s) ? json_string_value(s) : "";
        bool ok = false;
        for (const char *const *p = scopes; *p; p++) ok |= strcmp(*p, v) == 0;
        if (!ok) ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "spec.scopes[%zu]", i), v, scopes);
    }
}

/* ---- LimitRange ------------------------------------------------------------ */
static const ck_field limit_item_fields[] = {
    F_STR("type", PB(1)), F_QTYMAP("max", PB(2)), F_QTYMAP("min", PB(3)), F_QTYMAP("default", PB(4)),
    F_QTYMAP("defaultRequest", PB(5)), F_QTYMAP("maxLimitRequestRatio", PB(6)), F_END};
static const ck_field limit_item = {.name = "", .type = CK_OBJECT, .fields = limit_item_fields};
static const ck_field lr_spec[] = {F_LIST("limits", &limit_item, PB(1)), F_END};
static const ck_field lr_root[] = {F_TYPEMETA, F_OBJ("spec", lr_spec, PB(2)), F_END};
const ck_field ck_schema_limitrange = {
    .name = "", .type = CK_OBJECT, .fields = lr_root,
    .description = "LimitRange sets resource usage limits for each kind of resource in a Namespace."};

/* printLimitRange: Name and "Created At" (the creation time, RFC 3339). */
const ck_column ck_columns_limitrange[] = {
    COL_NAME,
    {.name = "Created At", .type = "date", .format = "",
     .description = "CreationTimestamp is a timestamp representing the server time when this object was created.",
     .json_path = "metadata.creationTimestamp"},
    {0}};

/* SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go) on a Container
 * item: default <- max, defaultRequest <- default, then <- min. */
void ck_limitrange_item_defaults(json_t *item)
{
    if (strcmp(ck_json_str(item, "type", ""), "Container") != 0) return;
    json_t *def = ck_json_ensure_object(item, "default");
    json_t *dreq = ck_json_ensure_object(item, "defaultRequest");
    if (!def || !dreq) return;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(item, "max"), k, v) if (!json_object_get(def, k)) json_object_set(def, k, v);
    json_object_foreach(def, k, v) if (!json_object_get(dreq, k)) json_object_set(dreq, k, v);
    json_object_foreach(json_object_get(item, "min"), k, v) if (!json_object_get(dreq, k)) json_object_set(dreq, k, v);
    /* omitempty: maps that stayed empty are not written */
    if (!json_object_size(def)) json_object_del(item, "default");
    if (!json_object_size(dreq)) json_object_del(item, "defaultRequest");
}

void ck_defaults_limitrange(json_t *obj)
{
    size_t i;
    json_t *item;
    json_array_foreach(ck_json_path(obj, "spec.limits"), i, item) ck_limitrange_item_defaults(item);
}

/* ValidateLimitRange: types unique, min <= default/defaultRequest/max. */
void ck_validate_limitrange(const json_t *obj, const json_t *old, ck_errs *errs)
{
    char f[CK_PATH_MAX], d[256];
    size_t i;
    json_t *it;
    const json_t *limits = ck_json_path(obj, "spec.limits");
    json_array_foreach(limits, i, it) {
        const char *type = ck_str(it, "type");
        for (size_t j = 0; j < i; j++)
            if (!strcmp(ck_str(json_array_get(limits, j), "type"), type))
                ck_errs_duplicate(errs, ck_pathf(f, sizeof f, "spec.limits[%zu].type", i), type);
        if (!*type) ck_errs_required(errs, ck_pathf(f, sizeof f, "spec.limits[%zu].type", i), NULL);
        static const char *const lists[] = {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"};
        for (size_t l = 0; l < 5; l++)
            nonneg_quantities(json_object_get(it, lists[l]), ck_pathf(f, sizeof f, "spec.limits[%zu].%s", i, lists[l]),
                              errs);
        const json_t *min = json_object_get(it, "min"), *max = json_object_get(it, "max");
        const char *k;
        json_t *mv;
        json_object_foreach((json_t *)min, k, mv) {
            const char *mx = json_string_value(json_object_get(max, k));
            const char *mn = json_string_value(mv);
            if (mx && mn && ck_quantity_milli(mn, 0) > ck_quantity_milli(mx, 0)) {
                snprintf(d, sizeof d, "min value %s is greater than max value %s", mn, mx);
                ck_errs_invalid_str(errs, ck_pathf(f, sizeof f, "spec.limits[%zu].min[%s]", i, k), mn, d);
            }
        }
    }
}
