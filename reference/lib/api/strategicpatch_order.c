/* strategicpatch_order.c: the list helpers of apimachinery's strategicpatch
 * (sliceElementType, findMapInSliceBasedOnKeyValue, deleteFromSlice,
 * validatePatchWithSetOrderList, partition*, normalizeElementOrder,
 * mergeSortedSlice) and mergepatch's error messages. */
#include "api/strategicpatch_order.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int smp_fail(smp_ctx *c, const char *msg)
{
    if (c->err && c->errlen && !c->err[0]) snprintf(c->err, c->errlen, "%s", msg);
    return -1;
}

static const char *go_type(const json_t *v)
{
    switch (smp_kind(v)) {
    case JSON_OBJECT: return "map[string]interface {}";
    case JSON_ARRAY: return "[]interface {}";
    case JSON_STRING: return "string";
    case JSON_REAL: return "float64";
    case JSON_TRUE: return "bool";
    default: return "<nil>";
    }
}

int smp_fail_v(smp_ctx *c, const char *fmt, const json_t *v)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, go_type(v));
    return smp_fail(c, msg);
}

static void fail_dump(smp_ctx *c, const char *a, const json_t *x, const char *b, const json_t *y, const char *tail)
{
    char *dx = x ? json_dumps(x, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    char *dy = y ? json_dumps(y, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (c->err && c->errlen && !c->err[0])
        snprintf(c->err, c->errlen, "%s%s%s%s%s", a, dx ? dx : "", b, dy ? dy : "", tail);
    free(dx);
    free(dy);
}

int smp_fail_no_merge_key(smp_ctx *c, const json_t *m, const char *mkey)
{
    fail_dump(c, "map: ", m, " does not contain declared merge key: ", NULL, mkey);
    return -1;
}

int smp_fail_patch_type(smp_ctx *c, const json_t *directive, const json_t *m, const char *what)
{
    fail_dump(c, "unexpected patch type: ", directive, " in map: ", m, "");
    return -1;
}

int smp_kind(const json_t *v)
{
    if (!v) return -1;
    switch (json_typeof(v)) {
    case JSON_INTEGER: return JSON_REAL;
    case JSON_FALSE: return JSON_TRUE;
    default: return (int)json_typeof(v);
    }
}

static double num(const json_t *v) { return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v); }

bool smp_equal(const json_t *a, const json_t *b)
{
    if (!a || !b) return a == b;
    if (smp_kind(a) != smp_kind(b)) return false;
    if (json_is_number(a)) return num(a) == num(b);
    return json_equal(a, b);
}

static const json_t *key_of(const json_t *v, const char *mkey)
{
    return (mkey && *mkey) ? (json_is_object(v) ? json_object_get(v, mkey) : NULL) : v;
}

long smp_index_of(const json_t *list, const json_t *v, const char *mkey)
{
    const json_t *want = key_of(v, mkey);
    for (size_t i = 0; i < json_array_size(list); i++)
        if (smp_equal(key_of(json_array_get(list, i), mkey), want)) return (long)i;
    return -1;
}

long smp_find_by_key(const json_t *list, const char *mkey, const json_t *value, smp_ctx *c)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *e = json_array_get(list, i);
        if (!json_is_object(e)) {
            char msg[64];
            snprintf(msg, sizeof msg, "value for key %zu is not a map.", i);
            smp_fail(c, msg);
            return -2;
        }
        const json_t *k = json_object_get(e, mkey);
        if (k && smp_equal(k, value)) return (long)i;
    }
    return -1;
}

int smp_element_kind(const json_t *a, const json_t *b, smp_ctx *c)
{
    int kind = -1;
    const json_t *lists[2] = {a, b};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < json_array_size(lists[l]); i++) {
            int k = smp_kind(json_array_get(lists[l], i));
            if (kind < 0) {
                if (k == JSON_ARRAY) return smp_fail(c, "lists of lists are not supported");
                kind = k;
            } else if (k != kind) {
                fail_dump(c, "list element types are not identical: [", a, " ", b, "]");
                return -1;
            }
        }
    if (kind < 0) return smp_fail(c, "no elements in any of the given slices");
    return kind;
}

json_t *smp_delete_from_slice(const json_t *cur, const json_t *del)
{
    json_t *out = json_array();
    for (size_t i = 0; out && i < json_array_size(cur); i++)
        if (smp_index_of(del, json_array_get(cur, i), NULL) < 0) json_array_append(out, json_array_get(cur, i));
    return out;
}

static bool is_delete_item(const json_t *v)
{
    const char *d = json_string_value(json_object_get(v, "$patch"));
    return d && !strcmp(d, "delete");
}

int smp_validate_order(const json_t *patch, const json_t *order, const char *mkey, smp_ctx *c)
{
    if (!patch) return 0;
    if (!json_is_array(order) || !json_is_array(patch))
        return smp_fail(c, "invalid patch format of setElementOrder list");
    if (!json_array_size(order) || !json_array_size(patch)) return 0;
    size_t pi = 0, oi = 0, np = json_array_size(patch), no = json_array_size(order);
    /* extractToDeleteItems: deletions do not take part in the order check */
    const json_t **nondel = calloc(np, sizeof *nondel);
    size_t nn = 0;
    if (!nondel) return smp_fail(c, "out of memory");
    for (size_t i = 0; i < np; i++) {
        const json_t *v = json_array_get(patch, i);
        if (*mkey && !json_is_object(v)) { free(nondel); return smp_fail_v(c, "expected a map[string]interface {}, but received a %s", v); }
        if (!*mkey || !is_delete_item(v)) nondel[nn++] = v;
    }
    int rc = 0;
    while (pi < nn && oi < no) {
        const json_t *pv = nondel[pi], *ov = json_array_get(order, oi);
        if (json_is_object(pv) && json_object_get(pv, "$patch")) { pi++; continue; }
        if (*mkey) {
            if (!json_is_object(pv) || !json_is_object(ov)) { rc = smp_fail_v(c, "expected a map[string]interface {}, but received a %s", json_is_object(pv) ? ov : pv); break; }
            if (!json_object_get(pv, mkey)) { rc = smp_fail_no_merge_key(c, pv, mkey); break; }
            if (!json_object_get(ov, mkey)) { rc = smp_fail_no_merge_key(c, ov, mkey); break; }
        }
        if (smp_equal(key_of(pv, mkey), key_of(ov, mkey))) pi++;
        oi++;
    }
    if (rc == 0 && pi < nn && oi >= no)
        fail_dump(c, "The order in patch list:\n", patch, "\n doesn't match $setElementOrder list:\n", order, "\n"), rc = -1;
    free(nondel);
    return rc;
}

/* normalizeSliceOrder: stable sort of items by their index in `order`
 * (Go's insertion sort with the same "true when unknown" less), deletions last. */
static int normalize_slice_order(json_t *items, const json_t *order, const char *mkey, int kind, smp_ctx *c)
{
    size_t n = json_array_size(items);
    json_t *keep = json_array(), *del = json_array();
    if (!keep || !del) { json_decref(keep); json_decref(del); return smp_fail(c, "out of memory"); }
    int rc = 0;
    if (kind == JSON_OBJECT) {
        const json_t *lists[2] = {items, order};
        for (int l = 0; l < 2 && rc == 0; l++)
            for (size_t i = 0; i < json_array_size(lists[l]) && rc == 0; i++) {
                const json_t *v = json_array_get(lists[l], i);
                if (!json_is_object(v)) rc = smp_fail_v(c, "expected a map[string]interface {}, but received a %s", v);
                else if (!json_object_get(v, mkey)) rc = smp_fail_no_merge_key(c, v, mkey);
            }
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *v = json_array_get(items, i);
        json_array_append(kind == JSON_OBJECT && is_delete_item(v) ? del : keep, v);
    }
    size_t nk = json_array_size(keep);
    for (size_t i = 1; rc == 0 && i < nk; i++)
        for (size_t j = i; j > 0; j--) {
            long a = smp_index_of(order, json_array_get(keep, j), mkey);
            long b = smp_index_of(order, json_array_get(keep, j - 1), mkey);
            bool less = (a >= 0 && b >= 0) ? a < b : true;
            if (!less) break;
            json_t *x = json_incref(json_array_get(keep, j));
            json_array_set(keep, j, json_array_get(keep, j - 1));
            json_array_set_new(keep, j - 1, x);
        }
    if (rc == 0) {
        json_array_clear(items);
        json_array_extend(items, keep);
        json_array_extend(items, del);
    }
    json_decref(keep);
    json_decref(del);
    return rc;
}

/* mergeSortedSlice: insert server-only items (left) among patch items (right)
 * where the live order puts them. */
static json_t *merge_sorted(const json_t *left, const json_t *right, const json_t *server_order, const char *mkey)
{
    size_t nl = json_array_size(left), nr = json_array_size(right), i = 0, j = 0;
    json_t *out = json_array();
    for (size_t k = 0; out && k < nl + nr; k++) {
        bool take_left;
        if (i >= nl) take_left = false;
        else if (j >= nr) take_left = true;
        else {
            long li = smp_index_of(server_order, json_array_get(left, i), mkey);
            long ri = smp_index_of(server_order, json_array_get(right, j), mkey);
            take_left = li >= 0 && ri >= 0 && li < ri;
        }
        json_array_append(out, take_left ? json_array_get(left, i++) : json_array_get(right, j++));
    }
    return out;
}

json_t *smp_order_merged(const json_t *merged, const json_t *patch_order, const json_t *server_order,
                         const char *mkey, int kind, smp_ctx *c)
{
    const char *key = kind == JSON_OBJECT ? mkey : "";
    json_t *pitems = json_array(), *sonly = json_array();
    json_t *out = NULL;
    if (!pitems || !sonly) { smp_fail(c, "out of memory"); goto done; }
    for (size_t i = 0; i < json_array_size(merged); i++) {
        const json_t *v = json_array_get(merged, i);
        if (*key) {
            if (!json_is_object(v)) { smp_fail_v(c, "expected a map[string]interface {}, but received a %s", v); goto done; }
            const json_t *kv = json_object_get(v, key);
            if (!kv) { smp_fail_no_merge_key(c, v, key); goto done; }
            long at = smp_find_by_key(patch_order, key, kv, c);
            if (at < -1) goto done;
            json_array_append(at >= 0 ? pitems : sonly, (json_t *)v);
        } else {
            json_array_append(smp_index_of(patch_order, v, NULL) >= 0 ? pitems : sonly, (json_t *)v);
        }
    }
    if (normalize_slice_order(pitems, patch_order, key, kind, c)) goto done;
    if (normalize_slice_order(sonly, server_order, key, kind, c)) goto done;
    out = merge_sorted(sonly, pitems, server_order, key);
    if (!out) smp_fail(c, "out of memory");
done:
    json_decref(pitems);
    json_decref(sonly);
    return out;
}
