/* common.c: helpers shared by the workload schemas: HumanDuration and the
 * Age cell (k8s.io/apimachinery/pkg/util/duration), Go %#v rendering used in
 * upstream field errors, port validation (k8s.io/apimachinery/pkg/util/validation)
 * and the schema-default walker. */
#define _GNU_SOURCE
#include "api/schemas/common.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ck_pathf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return buf;
}

const char *ck_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted keys of an object; caller frees the array (keys borrowed). */
static const char **sorted_keys(const json_t *m, size_t *count)
{
    size_t n = json_object_size(m), i = 0;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys) return NULL;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)m, k, v) keys[i++] = k;
    qsort(keys, n, sizeof *keys, cmp_str);
    *count = n;
    return keys;
}

/* Appends to a growing heap string; on failure frees and NULLs *s. */
static void sappend(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sappend(char **s, const char *fmt, ...)
{
    if (!*s) return;
    va_list ap;
    va_start(ap, fmt);
    char *add = NULL;
    int r = vasprintf(&add, fmt, ap);
    va_end(ap);
    size_t old = strlen(*s);
    char *grown = r < 0 ? NULL : realloc(*s, old + (size_t)r + 1);
    if (!grown) { free(*s); free(r < 0 ? NULL : add); *s = NULL; return; }
    memcpy(grown + old, add, (size_t)r + 1);
    free(add);
    *s = grown;
}

/* Go's %q for the plain strings Kubernetes names and labels are. */
static void sappend_quoted(char **s, const char *v)
{
    sappend(s, "\"");
    for (const char *p = v; *p && *s; p++) {
        if (*p == '"' || *p == '\\') sappend(s, "\\%c", *p);
        else sappend(s, "%c", *p);
    }
    sappend(s, "\"");
}

static char *go_map_into(char *s, const json_t *m)
{
    if (!json_is_object(m)) { sappend(&s, "map[string]string(nil)"); return s; }
    size_t n = 0;
    const char **keys = sorted_keys(m, &n);
    if (!keys) { free(s); return NULL; }
    sappend(&s, "map[string]string{");
    for (size_t i = 0; i < n; i++) {
        if (i) sappend(&s, ", ");
        sappend_quoted(&s, keys[i]);
        sappend(&s, ":");
        const char *v = json_string_value(json_object_get(m, keys[i]));
        sappend_quoted(&s, v ? v : "");
    }
    sappend(&s, "}");
    free(keys);
    return s;
}

static char *go_slice_into(char *s, const json_t *arr)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        sappend(&s, "[]string(nil)");
        return s;
    }
    sappend(&s, "[]string{");
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (i) sappend(&s, ", ");
        sappend_quoted(&s, json_string_value(v) ? json_string_value(v) : "");
    }
    sappend(&s, "}");
    return s;
}

char *ck_go_string_map(const json_t *m) { return go_map_into(strdup(""), m); }
char *ck_go_string_slice(const json_t *arr) { return go_slice_into(strdup(""), arr); }

char *ck_go_label_selector(const json_t *sel)
{
    char *s = strdup("v1.LabelSelector{MatchLabels:");
    s = go_map_into(s, json_object_get(sel, "matchLabels"));
    sappend(&s, ", MatchExpressions:");
    const json_t *ex = json_object_get(sel, "matchExpressions");
    if (!json_is_array(ex) || json_array_size(ex) == 0) {
        sappend(&s, "[]v1.LabelSelectorRequirement(nil)}");
        return s;
    }
    sappend(&s, "[]v1.LabelSelectorRequirement{");
    size_t i;
    json_t *r;
    json_array_foreach(ex, i, r) {
        sappend(&s, "%sv1.LabelSelectorRequirement{Key:", i ? ", " : "");
        sappend_quoted(&s, ck_str(r, "key"));
        sappend(&s, ", Operator:");
        sappend_quoted(&s, ck_str(r, "operator"));
        sappend(&s, ", Values:");
        s = go_slice_into(s, json_object_get(r, "values"));
        sappend(&s, "}");
    }
    sappend(&s, "}}");
    return s;
}

json_t *ck_cell_labels(const json_t *m)
{
    size_t n = 0;
    if (!json_is_object(m) || json_object_size(m) == 0) return json_string("<none>");
    const char **keys = sorted_keys(m, &n);
    char *s = keys ? strdup("") : NULL;
    for (size_t i = 0; i < n && s; i++) {
        const char *v = json_string_value(json_object_get(m, keys[i]));
        sappend(&s, "%s%s=%s", i ? "," : "", keys[i], v ? v : "");
    }
    free(keys);
    json_t *out = s ? json_string(s) : NULL;
    free(s);
    return out;
}

bool ck_port_valid(long long p) { return p >= 1 && p <= 65535; }

void ck_validate_port_name(const char *name, const char *field, ck_errs *errs)
{
    size_t len = strlen(name);
    bool charset = len > 0, letter = false;
    for (const char *p = name; *p; p++) {
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-')) charset = false;
        if (islower((unsigned char)*p)) letter = true;
    }
    if (len > 15) ck_errs_invalid_str(errs, field, name, "must be no more than 15 characters");
    if (!charset)
        ck_errs_invalid_str(errs, field, name,
                            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    if (!letter) ck_errs_invalid_str(errs, field, name, "must contain at least one letter (a-z)");
    if (strstr(name, "--")) ck_errs_invalid_str(errs, field, name, "must not contain consecutive hyphens");
    if (len && (name[0] == '-' || name[len - 1] == '-'))
        ck_errs_invalid_str(errs, field, name, "must not begin or end with a hyphen");
}

void ck_validate_port_num_or_name(const json_t *port, const char *field, ck_errs *errs)
{
    if (json_is_integer(port)) {
        if (!ck_port_valid(json_integer_value(port))) ck_errs_invalid(errs, field, port, CK_PORT_RANGE_MSG);
    } else if (json_is_string(port)) {
        ck_validate_port_name(json_string_value(port), field, errs);
    } else {
        ck_errs_required(errs, field, NULL);
    }
}

void ck_validate_nonneg(const json_t *obj, const char *key, const char *path, ck_errs *errs)
{
    const json_t *v = json_object_get(obj, key);
    char f[CK_PATH_MAX];
    if (json_is_integer(v) && json_integer_value(v) < 0)
        ck_errs_invalid(errs, ck_pathf(f, sizeof f, "%s.%s", path, key), v,
                        "must be greater than or equal to 0");
}

static void defaults_value(const ck_field *f, json_t *v);

void ck_schema_defaults(const ck_field *schema, json_t *v)
{
    if (!schema || schema->type != CK_OBJECT || !json_is_object(v)) return;
    for (const ck_field *f = schema->fields; f && f->name; f++) {
        json_t *cur = json_object_get(v, f->name);
        if (!cur && f->dflt) {
            json_t *d = json_loads(f->dflt, JSON_DECODE_ANY, NULL);
            if (d) json_object_set_new(v, f->name, d);
            cur = json_object_get(v, f->name);
        }
        if (cur) defaults_value(f, cur);
    }
}

static void defaults_value(const ck_field *f, json_t *v)
{
    if (f->type == CK_OBJECT) ck_schema_defaults(f, v);
    else if (f->type == CK_ARRAY && json_is_array(v) && f->items) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) defaults_value(f->items, e);
    } else if (f->type == CK_MAP && json_is_object(v) && f->items) {
        const char *k;
        json_t *e;
        json_object_foreach(v, k, e) defaults_value(f->items, e);
    }
}

static const ck_field selector_req_fields[] = {
    F_STR("key", PB(1)), F_STR("operator", PB(2)), F_STRLIST("values", PB(3)), F_END};
static const ck_field selector_req = {.name = "", .type = CK_OBJECT, .fields = selector_req_fields};
const ck_field ck_wl_label_selector_fields[] = {
    F_STRMAP("matchLabels", PB(1)), F_LIST("matchExpressions", &selector_req, PB(2)), F_END};
