/* status.c: field.ErrorList accumulation and metav1.Status errors with the
 * exact messages of k8s.io/apimachinery/pkg/util/validation/field/errors.go
 * and k8s.io/apimachinery/pkg/api/errors/errors.go. */
#include "api/status.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- field errors ------------------------------------------------------ */

void ck_errs_free(ck_errs *e)
{
    if (!e) return;
    json_decref(e->items);
    e->items = NULL;
}

size_t ck_errs_count(const ck_errs *e)
{
    return e && e->items ? json_array_size(e->items) : 0;
}

static void errs_add_v(ck_errs *e, const char *reason, const char *field, const char *fmt,
                       va_list ap)
{
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (!e->items && !(e->items = json_array())) return;
    json_t *c = json_pack("{s:s,s:s,s:s}", "reason", reason, "message", msg, "field",
                          field ? field : "");
    if (c) json_array_append_new(e->items, c);
}

void ck_errs_add(ck_errs *e, const char *reason, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    errs_add_v(e, reason, field, fmt, ap);
    va_end(ap);
}

/* Go's %q of a string, close enough: JSON string escaping. Writes into out. */
static void quote(const char *s, char *out, size_t n)
{
    json_t *j = json_string(s ? s : "");
    char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    snprintf(out, n, "%s", d ? d : "\"\"");
    free(d);
    json_decref(j);
}

void ck_errs_required(ck_errs *e, const char *field, const char *detail)
{
    if (detail && *detail) ck_errs_add(e, "FieldValueRequired", field, "Required value: %s", detail);
    else ck_errs_add(e, "FieldValueRequired", field, "Required value");
}

/* field.Invalid: strings quoted, numbers and bools bare, null as "null",
 * anything else as JSON (upstream prints structs with %#v; JSON is the
 * readable equivalent for objects coming off the wire). */
void ck_errs_invalid(ck_errs *e, const char *field, const json_t *value, const char *detail)
{
    char vbuf[1024];
    if (json_is_string(value)) {
        quote(json_string_value(value), vbuf, sizeof vbuf);
    } else if (!value || json_is_null(value)) {
        snprintf(vbuf, sizeof vbuf, "null");
    } else {
        char *d = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(vbuf, sizeof vbuf, "%s", d ? d : "");
        free(d);
    }
    if (detail && *detail)
        ck_errs_add(e, "FieldValueInvalid", field, "Invalid value: %s: %s", vbuf, detail);
    else
        ck_errs_add(e, "FieldValueInvalid", field, "Invalid value: %s", vbuf);
}

void ck_errs_invalid_str(ck_errs *e, const char *field, const char *value, const char *detail)
{
    json_t *v = json_string(value ? value : "");
    ck_errs_invalid(e, field, v, detail);
    json_decref(v);
}

void ck_errs_not_supported(ck_errs *e, const char *field, const char *value,
                           const char *const *supported)
{
    char v[512], list[2048] = "", q[256];
    quote(value, v, sizeof v);
    size_t off = 0;
    for (const char *const *s = supported; s && *s; s++) {
        quote(*s, q, sizeof q);
        int w = snprintf(list + off, sizeof list - off, "%s%s", off ? ", " : "", q);
        if (w < 0 || (size_t)w >= sizeof list - off) break;
        off += (size_t)w;
    }
    if (off)
        ck_errs_add(e, "FieldValueNotSupported", field,
                    "Unsupported value: %s: supported values: %s", v, list);
    else
        ck_errs_add(e, "FieldValueNotSupported", field, "Unsupported value: %s", v);
}

void ck_errs_duplicate(ck_errs *e, const char *field, const char *value)
{
    char v[512];
    quote(value, v, sizeof v);
    ck_errs_add(e, "FieldValueDuplicate", field, "Duplicate value: %s", v);
}

void ck_errs_forbidden(ck_errs *e, const char *field, const char *detail)
{
    if (detail && *detail) ck_errs_add(e, "FieldValueForbidden", field, "Forbidden: %s", detail);
    else ck_errs_add(e, "FieldValueForbidden", field, "Forbidden");
}

void ck_errs_too_long(ck_errs *e, const char *field, size_t max)
{
    ck_errs_add(e, "FieldValueTooLong", field, "Too long: may not be more than %zu bytes", max);
}

/* ---- Status ------------------------------------------------------------ */

void ck_status_clear(ck_status *st)
{
    if (!st) return;
    json_decref(st->causes);
    memset(st, 0, sizeof *st);
    st->reason = "";
}

static void status_vset(ck_status *st, int code, const char *reason, const char *fmt, va_list ap)
{
    ck_status_clear(st);
    st->code = code;
    st->reason = reason ? reason : "";
    vsnprintf(st->message, sizeof st->message, fmt, ap);
}

void ck_status_set(ck_status *st, int code, const char *reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_vset(st, code, reason, fmt, ap);
    va_end(ap);
}

/* schema.GroupResource.String(): "pods", "deployments.apps". */
static void qualify(char *out, size_t n, const char *name, const char *group)
{
    if (group && *group) snprintf(out, n, "%s.%s", name, group);
    else snprintf(out, n, "%s", name);
}

static void set_details(ck_status *st, const char *group, const char *kind, const char *name)
{
    snprintf(st->group, sizeof st->group, "%s", group ? group : "");
    snprintf(st->kind, sizeof st->kind, "%s", kind ? kind : "");
    snprintf(st->name, sizeof st->name, "%s", name ? name : "");
}

void ck_status_not_found(ck_status *st, const char *group, const char *resource, const char *name)
{
    char q[256], n[300];
    qualify(q, sizeof q, resource, group);
    quote(name, n, sizeof n);
    ck_status_set(st, 404, "NotFound", "%s %s not found", q, n);
    set_details(st, group, resource, name);
}

void ck_status_already_exists(ck_status *st, const char *group, const char *resource,
                              const char *name)
{
    char q[256], n[300];
    qualify(q, sizeof q, resource, group);
    quote(name, n, sizeof n);
    ck_status_set(st, 409, "AlreadyExists", "%s %s already exists", q, n);
    set_details(st, group, resource, name);
}

void ck_status_conflict(ck_status *st, const char *group, const char *resource, const char *name,
                        const char *msg)
{
    char q[256], n[300];
    qualify(q, sizeof q, resource, group);
    quote(name, n, sizeof n);
    ck_status_set(st, 409, "Conflict", "Operation cannot be fulfilled on %s %s: %s", q, n,
                  msg ? msg : "");
    set_details(st, group, resource, name);
}

/* errors.NewInvalid: one error prints bare, several as "[a, b]"
 * (utilerrors.NewAggregate, which also drops repeated messages). */
void ck_status_invalid(ck_status *st, const char *group, const char *kind, const char *name,
                       ck_errs *errs)
{
    char q[256], n[300];
    qualify(q, sizeof q, kind, group);
    quote(name, n, sizeof n);
    ck_status_clear(st);
    st->code = 422;
    st->reason = "Invalid";
    size_t cnt = ck_errs_count(errs), off = 0;
    int w = snprintf(st->message, sizeof st->message, "%s %s is invalid: %s", q, n,
                     cnt > 1 ? "[" : "");
    off = w > 0 ? (size_t)w : 0;
    json_t *seen = json_object();
    size_t printed = 0;
    for (size_t i = 0; i < cnt && off < sizeof st->message; i++) {
        json_t *c = json_array_get(errs->items, i);
        char one[2048];
        snprintf(one, sizeof one, "%s: %s", json_string_value(json_object_get(c, "field")),
                 json_string_value(json_object_get(c, "message")));
        if (seen && json_object_get(seen, one)) continue;
        if (seen) json_object_set_new(seen, one, json_true());
        w = snprintf(st->message + off, sizeof st->message - off, "%s%s", printed ? ", " : "",
                     one);
        if (w > 0) off += (size_t)w;
        printed++;
    }
    json_decref(seen);
    if (cnt > 1 && off < sizeof st->message)
        snprintf(st->message + off, sizeof st->message - off, "]");
    set_details(st, group, kind, name);
    if (errs && errs->items) {
        st->causes = errs->items;
        errs->items = NULL;
    }
}

void ck_status_bad_request(ck_status *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_vset(st, 400, "BadRequest", fmt, ap);
    va_end(ap);
}

/* errors.NewInternalError: "Internal error occurred: <err>", the error
 * also as the single cause. */
void ck_status_internal(ck_status *st, const char *fmt, ...)
{
    char m[1900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    ck_status_set(st, 500, "InternalError", "Internal error occurred: %s", m);
    st->causes = json_pack("[{s:s}]", "message", m);
}

void ck_status_expired(ck_status *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_vset(st, 410, "Expired", fmt, ap);
    va_end(ap);
}

/* errors.NewMethodNotSupported. */
void ck_status_method_not_allowed(ck_status *st, const char *verb, const char *group,
                                  const char *resource)
{
    char q[256], qq[300];
    qualify(q, sizeof q, resource, group);
    quote(q, qq, sizeof qq);
    ck_status_set(st, 405, "MethodNotAllowed", "%s is not supported on resources of kind %s",
                  verb, qq);
    set_details(st, group, resource, "");
}

static json_t *details_json(const ck_status *st)
{
    if (!st->name[0] && !st->group[0] && !st->kind[0] && !st->causes && st->retry_after <= 0)
        return NULL;
    json_t *d = json_object();
    if (!d) return NULL;
    if (st->name[0]) json_object_set_new(d, "name", json_string(st->name));
    if (st->group[0]) json_object_set_new(d, "group", json_string(st->group));
    if (st->kind[0]) json_object_set_new(d, "kind", json_string(st->kind));
    if (st->causes) json_object_set(d, "causes", st->causes);
    if (st->retry_after > 0) json_object_set_new(d, "retryAfterSeconds", json_integer(st->retry_after));
    return d;
}

json_t *ck_status_to_json(const ck_status *st)
{
    json_t *o = json_pack("{s:s,s:s,s:{},s:s,s:s}", "kind", "Status", "apiVersion", "v1",
                          "metadata", "status", st->code >= 200 && st->code < 300 ? "Success" : "Failure",
                          "message", st->message);
    if (!o) return NULL;
    if (st->reason && *st->reason) json_object_set_new(o, "reason", json_string(st->reason));
    json_t *d = details_json(st);
    if (d) json_object_set_new(o, "details", d);
    json_object_set_new(o, "code", json_integer(st->code));
    return o;
}

json_t *ck_status_success_json(const char *group, const char *kind, const char *name, const char *uid)
{
    json_t *d = json_object();
    if (!d) return NULL;
    if (name && *name) json_object_set_new(d, "name", json_string(name));
    if (group && *group) json_object_set_new(d, "group", json_string(group));
    if (kind && *kind) json_object_set_new(d, "kind", json_string(kind));
    if (uid && *uid) json_object_set_new(d, "uid", json_string(uid));
    return json_pack("{s:s,s:s,s:{},s:s,s:o}", "kind", "Status", "apiVersion", "v1", "metadata",
                     "status", "Success", "details", d);
}
