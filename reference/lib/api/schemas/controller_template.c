/* controller_template.c: selector and pod template validation shared by the
 * DaemonSet, StatefulSet, Job, CronJob and PodDisruptionBudget schemas, after
 * pkg/apis/apps/validation and pkg/apis/batch/validation, plus their common
 * Table cells (pkg/printers/internalversion/printers.go). */
#include "api/schemas/controller_template.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "api/selector.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

void ck_ct_validate_selector(const json_t *sel, const char *path, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    if (json_object_get(sel, "matchLabels"))
        ck_validate_labels(json_object_get(sel, "matchLabels"), ck_pathf(f, sizeof f, "%s.matchLabels", path), errs);
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(sel, "matchExpressions"), i, r) {
        const char *op = ck_str(r, "operator");
        size_t nvals = json_array_size(json_object_get(r, "values"));
        bool set_op = !strcmp(op, "In") || !strcmp(op, "NotIn");
        bool exist_op = !strcmp(op, "Exists") || !strcmp(op, "DoesNotExist");
        ck_pathf(f, sizeof f, "%s.matchExpressions[%zu].values", path, i);
        if (set_op && nvals == 0) ck_errs_required(errs, f, "must be specified when `operator` is 'In' or 'NotIn'");
        if (exist_op && nvals)
            ck_errs_forbidden(errs, f, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        if (!set_op && !exist_op)
            ck_errs_invalid_str(errs, ck_pathf(f, sizeof f, "%s.matchExpressions[%zu].operator", path, i), op,
                                "not a valid selector operator");
        ck_validate_qualified_name(ck_str(r, "key"), ck_pathf(f, sizeof f, "%s.matchExpressions[%zu].key", path, i),
                                   errs);
    }
}

static void selector_invalid(const json_t *sel, const char *path, const char *detail, ck_errs *errs)
{
    char *v = ck_go_label_selector(sel);
    ck_errs_add(errs, "FieldValueInvalid", path, "Invalid value: %s: %s", v ? v : "", detail);
    free(v);
}

void ck_ct_validate_selector_template(const json_t *sel, const json_t *tmpl, const char *spath,
                                      const char *tpath, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    if (!json_is_object(sel)) {
        ck_errs_required(errs, spath, NULL);
        return;
    }
    ck_ct_validate_selector(sel, spath, errs);
    if (json_object_size(json_object_get(sel, "matchLabels")) +
            json_array_size(json_object_get(sel, "matchExpressions")) == 0)
        selector_invalid(sel, spath, "empty selector is invalid for deployment", errs);
    char err[256];
    ck_label_selector *ls = ck_label_selector_from_json(sel, err, sizeof err);
    if (!ls) {
        selector_invalid(sel, spath, "invalid label selector", errs);
        return;
    }
    if (tmpl && !ck_label_selector_empty(ls) &&
        !ck_label_selector_matches(ls, ck_json_path(tmpl, "metadata.labels"))) {
        char *v = ck_go_string_map(ck_json_path(tmpl, "metadata.labels"));
        ck_errs_add(errs, "FieldValueInvalid", ck_pathf(f, sizeof f, "%s.metadata.labels", tpath),
                    "Invalid value: %s: `selector` does not match template `labels`", v ? v : "");
        free(v);
    }
    ck_label_selector_free(ls);
}

void ck_ct_validate_template(const json_t *tmpl, const char *tpath, const char *const *allowed,
                             bool allow_deadline, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    if (!json_is_object(tmpl)) {
        ck_errs_required(errs, tpath, NULL);
        return;
    }
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
    const char *rp = ck_json_str(spec, "restartPolicy", "");
    bool ok = false;
    for (const char *const *a = allowed; a && *a; a++) ok |= !strcmp(*a, rp);
    if (allowed && !ok) ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "%s.spec.restartPolicy", tpath), rp, allowed);
    if (!allow_deadline && json_object_get(spec, "activeDeadlineSeconds"))
        ck_errs_forbidden(errs, ck_pathf(f, sizeof f, "%s.spec.activeDeadlineSeconds", tpath),
                          "activeDeadlineSeconds in ReplicaSet is not Supported");
}

/* validation.IsValidPercent: [0-9]+% */
static bool is_percent(const char *s, int *value)
{
    size_t n = strlen(s), digits = strspn(s, "0123456789");
    if (n < 2 || digits != n - 1 || s[n - 1] != '%') return false;
    if (value) *value = atoi(s);
    return true;
}

void ck_ct_validate_int_or_percent(const json_t *v, const char *field, bool max100, ck_errs *errs)
{
    if (!v || json_is_null(v)) return;
    int pct = 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!is_percent(s, &pct))
            ck_errs_add(errs, "FieldValueInvalid", field,
                        "Invalid value: \"%s\": a valid percent string must be a numeric string followed by an "
                        "ending '%%' (e.g. '1%%',  or '93%%', regex used for validation is '[0-9]+%%')", s);
        else if (max100 && pct > 100)
            ck_errs_add(errs, "FieldValueInvalid", field, "Invalid value: \"%s\": must not be greater than 100%%", s);
    } else if (json_is_integer(v) && json_integer_value(v) < 0) {
        ck_errs_invalid(errs, field, v, "must be greater than or equal to 0");
    }
}

void ck_ct_selector_immutable(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *ns = ck_json_path(obj, "spec.selector"), *os = ck_json_path(old, "spec.selector");
    if (!ck_json_equal(ns, os)) selector_invalid(ns, "spec.selector", "field is immutable", errs);
}

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

json_t *ck_ct_cell_containers(const json_t *tmpl) { return join_containers(tmpl, "name"); }
json_t *ck_ct_cell_images(const json_t *tmpl) { return join_containers(tmpl, "image"); }

json_t *ck_ct_cell_selector(const json_t *sel)
{
    char err[128];
    ck_label_selector *s = ck_label_selector_from_json(sel, err, sizeof err);
    if (!s) return json_string("<error>");
    char *str = ck_label_selector_string(s);
    json_t *out = json_string(str && *str ? str : "<none>");
    free(str);
    ck_label_selector_free(s);
    return out;
}

json_t *ck_ct_cell_duration(const char *start, const char *end)
{
    time_t s = start ? ck_time_parse(start) : -1;
    if (s < 0) return json_string("");
    time_t e = end ? ck_time_parse(end) : time(NULL);
    char buf[32];
    return json_string(ck_human_duration((long long)(e - s), buf, sizeof buf));
}

json_t *ck_ct_cell_since(const char *when)
{
    time_t t = when ? ck_time_parse(when) : -1;
    if (t < 0) return json_string("<none>");
    char buf[32];
    return json_string(ck_human_duration((long long)(time(NULL) - t), buf, sizeof buf));
}
