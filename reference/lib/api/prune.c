/* prune.c: walks an object against its kind's schema: drops unknown fields
 * (and reports their paths, as the apiserver's strict/warn field
 * validation does), applies schema defaults, and finds the type mismatches
 * Go's json.Unmarshal would refuse with a 400. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/decode.h"

static const ck_field *field_in(const ck_field *list, const char *name)
{
    for (const ck_field *f = list; f && f->name; f++)
        if (!strcmp(f->name, name)) return f;
    return NULL;
}

static void join_key(char *out, size_t n, const char *parent, const char *key)
{
    snprintf(out, n, "%s%s%s", parent, *parent ? "." : "", key);
}

/* ---- pruning ------------------------------------------------------------ */
static void prune(const ck_field *f, json_t *v, const char *path, json_t *unknown)
{
    char child[1024];
    if (!f || !v) return;
    if (f->type == CK_OBJECT && json_is_object(v)) {
        const char *key;
        json_t *sub;
        void *tmp;
        json_object_foreach_safe(v, tmp, key, sub) {
            join_key(child, sizeof child, path, key);
            const ck_field *cf = field_in(f->fields, key);
            if (!cf) {
                if (unknown) json_array_append_new(unknown, json_string(child));
                json_object_del(v, key);
            } else {
                prune(cf, sub, child, unknown);
            }
        }
    } else if (f->type == CK_ARRAY && json_is_array(v)) {
        size_t i;
        json_t *el;
        json_array_foreach(v, i, el) {
            snprintf(child, sizeof child, "%s[%zu]", path, i);
            prune(f->items, el, child, unknown);
        }
    } else if (f->type == CK_MAP && json_is_object(v)) {
        const char *key;
        json_t *sub;
        json_object_foreach(v, key, sub) {
            snprintf(child, sizeof child, "%s[%s]", path, key);
            prune(f->items, sub, child, unknown);
        }
    }
}

void ck_prune_unknown(const ck_kind *k, json_t *obj, json_t *unknown)
{
    if (k && k->root) prune(k->root, obj, "", unknown);
}

/* ---- defaults ----------------------------------------------------------- */
static void defaults(const ck_field *f, json_t *v)
{
    if (!f || !v) return;
    if (f->type == CK_OBJECT && json_is_object(v)) {
        for (const ck_field *cf = f->fields; cf && cf->name; cf++) {
            json_t *cur = json_object_get(v, cf->name);
            if ((!cur || json_is_null(cur)) && cf->dflt) {
                json_t *d = json_loads(cf->dflt, JSON_DECODE_ANY, NULL);
                if (d) json_object_set_new(v, cf->name, d);
            } else if (cur) {
                defaults(cf, cur);
            }
        }
    } else if (f->type == CK_ARRAY && json_is_array(v)) {
        size_t i;
        json_t *el;
        json_array_foreach(v, i, el) defaults(f->items, el);
    } else if (f->type == CK_MAP && json_is_object(v)) {
        const char *key;
        json_t *sub;
        json_object_foreach(v, key, sub) defaults(f->items, sub);
    }
}

void ck_apply_defaults(const ck_kind *k, json_t *obj)
{
    if (!k || !obj) return;
    if (k->root) defaults(k->root, obj);
    if (k->defaults) k->defaults(obj);
}

/* ---- type checks -------------------------------------------------------- */
static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: case JSON_REAL: return "number";
    case JSON_TRUE: case JSON_FALSE: return "bool";
    default: return "null";
    }
}

/* The Go type a field decodes into, as the unmarshal error names it. */
static const char *go_type(const ck_field *f)
{
    switch (f->type) {
    case CK_STRING: case CK_TIME: return "string";
    case CK_INT: return "int32";
    case CK_NUMBER: return "float64";
    case CK_BOOL: return "bool";
    case CK_ARRAY: return f->items && f->items->type == CK_STRING ? "[]string" : "[]interface {}";
    case CK_MAP: return f->items && f->items->type == CK_STRING ? "map[string]string"
                                                                 : "map[string]interface {}";
    case CK_QUANTITY: return "resource.Quantity";
    case CK_INT_OR_STRING: return "intstr.IntOrString";
    default: return "struct";
    }
}

static bool type_ok(const ck_field *f, const json_t *v)
{
    if (json_is_null(v)) return true;
    switch (f->type) {
    case CK_ANY: return true;
    case CK_STRING: case CK_TIME: return json_is_string(v);
    case CK_INT: return json_is_integer(v);
    case CK_NUMBER: return json_is_number(v);
    case CK_BOOL: return json_is_boolean(v);
    case CK_OBJECT: case CK_MAP: return json_is_object(v);
    case CK_ARRAY: return json_is_array(v);
    case CK_QUANTITY: return json_is_string(v) || json_is_number(v);
    case CK_INT_OR_STRING: return json_is_string(v) || json_is_integer(v);
    }
    return true;
}

typedef struct tctx {
    const ck_kind *k;
    ck_status *st;
    char top[128]; /* Go struct name of the first path segment */
} tctx;

static int check(tctx *c, const ck_field *f, const json_t *v, const char *path, int depth)
{
    char child[1024];
    if (!f || !v) return 0;
    if (!type_ok(f, v)) {
        char val[64];
        if (json_is_real(v) && f->type == CK_INT) snprintf(val, sizeof val, "number %g", json_real_value(v));
        else snprintf(val, sizeof val, "%s", json_kind(v));
        ck_status_bad_request(c->st,
                              "%s in version \"%s\" cannot be handled as a %s: json: cannot unmarshal %s "
                              "into Go struct field %s.%s of type %s",
                              c->k->kind, c->k->version, c->k->kind, val, c->top, path, go_type(f));
        return -1;
    }
    if (f->type == CK_OBJECT && json_is_object(v)) {
        const char *key;
        json_t *sub;
        json_object_foreach((json_t *)v, key, sub) {
            const ck_field *cf = field_in(f->fields, key);
            if (!cf) continue;
            if (depth == 0) {
                /* innermost Go struct: ObjectMeta, <Kind>Spec, <Kind>Status, or the kind */
                if (!strcmp(key, "metadata")) snprintf(c->top, sizeof c->top, "ObjectMeta");
                else if (cf->type == CK_OBJECT)
                    snprintf(c->top, sizeof c->top, "%s%c%s", c->k->kind,
                             key[0] >= 'a' && key[0] <= 'z' ? key[0] - 'a' + 'A' : key[0], key + 1);
                else snprintf(c->top, sizeof c->top, "%s", c->k->kind);
            }
            join_key(child, sizeof child, path, key);
            if (check(c, cf, sub, child, depth + 1)) return -1;
        }
    } else if (f->type == CK_ARRAY && json_is_array(v)) {
        size_t i;
        json_t *el;
        json_array_foreach(v, i, el) {
            snprintf(child, sizeof child, "%s[%zu]", path, i);
            if (check(c, f->items, el, child, depth + 1)) return -1;
        }
    } else if (f->type == CK_MAP && json_is_object(v)) {
        const char *key;
        json_t *sub;
        json_object_foreach((json_t *)v, key, sub) {
            snprintf(child, sizeof child, "%s[%s]", path, key);
            if (check(c, f->items, sub, child, depth + 1)) return -1;
        }
    }
    return 0;
}

int ck_check_types(const ck_kind *k, const json_t *obj, ck_status *st)
{
    if (!k || !k->root) return 0;
    tctx c = {.k = k, .st = st};
    snprintf(c.top, sizeof c.top, "%s", k->kind);
    return check(&c, k->root, obj, "", 0);
}
