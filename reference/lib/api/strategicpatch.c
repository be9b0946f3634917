/* strategicpatch.c: Strategic Merge Patch as
 * k8s.io/apimachinery/pkg/util/strategicpatch/patch.go applies it
 * (StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls),
 * reading patchMergeKey/patchStrategy from ckube's schema (ck_field). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/patch.h"
#include "api/strategicpatch_order.h"

#define DIRECTIVE_MARKER "$patch"
#define RETAIN_KEYS "$retainKeys"
#define DELETE_PREFIX "$deleteFromPrimitiveList"
#define ORDER_PREFIX "$setElementOrder"

static json_t *merge_map(json_t *orig, json_t *patch, const ck_field *schema, smp_ctx *c);
static json_t *merge_slice(json_t *orig, json_t *patch, const ck_field *elem, const char *mkey,
                           bool is_delete, smp_ctx *c);

/* ---- schema lookups (forkedjson.LookupPatchMetadata) -------------------- */

static const ck_field *child_field(const ck_field *s, const char *key)
{
    if (!s) return NULL;
    if (s->type == CK_MAP) return s->items;
    if (s->type != CK_OBJECT) return NULL;
    for (const ck_field *f = s->fields; f && f->name; f++)
        if (strcmp(f->name, key) == 0) return f;
    return NULL;
}

/* Is `which` one of the comma-separated patch strategies ("merge,retainKeys")? */
static bool strategy_is(const ck_field *f, const char *which)
{
    if (!f || !f->patch_strategy) return false;
    size_t n = strlen(which);
    for (const char *p = f->patch_strategy; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, which, n) == 0) return true;
        if (!comma) break;
        p = comma + 1;
    }
    return false;
}

static bool has_prefix(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

/* extractKey: "<prefix>/<key>" -> key (borrowed from s), NULL if malformed. */
static const char *extract_key(const char *s, const char *prefix)
{
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) != strlen(prefix) || strncmp(s, prefix, strlen(prefix))) return NULL;
    return slash + 1;
}

/* ---- map directives ----------------------------------------------------- */

/* applyRetainKeysDirective */
static int apply_retain_keys(json_t *orig, json_t *patch, smp_ctx *c)
{
    json_t *rk = json_object_get(patch, RETAIN_KEYS);
    if (!rk) return 0;
    json_incref(rk);
    json_object_del(patch, RETAIN_KEYS);
    int rc = 0;
    if (!json_is_array(rk)) rc = smp_fail(c, "invalid patch format of retainKeys");
    const char *k;
    json_t *v, *tmp;
    if (rc == 0) json_object_foreach(patch, k, v) {
        if (json_is_null(v) || has_prefix(k, DELETE_PREFIX) || has_prefix(k, ORDER_PREFIX)) continue;
        json_t *want = json_string(k);
        bool found = smp_index_of(rk, want, NULL) >= 0;
        json_decref(want);
        if (!found) { rc = smp_fail(c, "invalid patch format of retainKeys"); break; }
    }
    if (rc == 0) json_object_foreach_safe(orig, tmp, k, v) {
        json_t *have = json_string(k);
        if (smp_index_of(rk, have, NULL) < 0) json_object_del(orig, k);
        json_decref(have);
    }
    json_decref(rk);
    return rc;
}

/* mergeSliceHandler: merge when the field says so, else the patch list wins. */
static json_t *slice_handler(json_t *orig, json_t *patch, const ck_field *f, bool is_delete, smp_ctx *c)
{
    if (strategy_is(f, "merge")) return merge_slice(orig, patch, f->items, f->merge_key, is_delete, c);
    return json_incref(patch);
}

/* One $setElementOrder/<key> of mergePatchIntoOriginal. */
static int set_element_order(json_t *orig, json_t *patch, const char *dkey, json_t *order,
                             const ck_field *schema, smp_ctx *c)
{
    if (!json_is_array(order)) return smp_fail_v(c, "expected a []interface {}, but received a %s", order);
    const char *key = extract_key(dkey, ORDER_PREFIX);
    if (!key) return smp_fail(c, "invalid patch format of setElementOrder list");
    json_t *olist = json_object_get(orig, key), *plist = json_object_get(patch, key);
    if (olist && !json_is_array(olist)) return smp_fail_v(c, "expected a []interface {}, but received a %s", olist);
    if (plist && !json_is_array(plist)) return smp_fail_v(c, "expected a []interface {}, but received a %s", plist);
    const ck_field *f = child_field(schema, key);
    const char *mkey = f && f->merge_key ? f->merge_key : "";
    if (smp_validate_order(plist, order, mkey, c)) return -1;
    if (!olist && !plist) return 0;
    json_t *merged = !plist ? json_incref(olist) : !olist ? json_incref(plist)
                                                         : slice_handler(olist, plist, f, false, c);
    if (!merged) return -1;
    json_t *empty = json_array();
    int kind = smp_element_kind(olist ? olist : empty, plist ? plist : empty, c);
    json_t *both = kind < 0 ? NULL : smp_order_merged(merged, order, olist ? olist : empty, mkey, kind, c);
    json_decref(empty);
    json_decref(merged);
    if (!both) return -1;
    json_object_set_new(orig, key, both);
    json_object_del(patch, key);
    return 0;
}

/* mergePatchIntoOriginal: every $setElementOrder/<key> with its list. */
static int merge_order_directives(json_t *orig, json_t *patch, const ck_field *schema, smp_ctx *c)
{
    const char *k;
    json_t *v;
    size_t n = 0;
    json_object_foreach(patch, k, v) n += has_prefix(k, ORDER_PREFIX);
    if (!n) return 0;
    char **keys = calloc(n, sizeof *keys);
    if (!keys) return smp_fail(c, "out of memory");
    size_t i = 0;
    json_object_foreach(patch, k, v)
        if (has_prefix(k, ORDER_PREFIX) && i < n) keys[i++] = strdup(k);
    int rc = 0;
    for (i = 0; i < n; i++) {
        if (!keys[i]) { rc = smp_fail(c, "out of memory"); continue; }
        json_t *order = json_object_get(patch, keys[i]);
        if (rc || !order) continue;
        json_incref(order);
        json_object_del(patch, keys[i]);
        rc = set_element_order(orig, patch, keys[i], order, schema, c);
        json_decref(order);
    }
    for (i = 0; i < n; i++) free(keys[i]);
    free(keys);
    return rc;
}

/* A value for a key the original lacks. Upstream copies the patch value;
 * ckube runs it through the merge against nothing so that directives and
 * nulls inside it are applied rather than stored (newer apimachinery does). */
static json_t *fresh_value(json_t *pv, const ck_field *f, smp_ctx *c)
{
    if (json_is_object(pv)) return strategy_is(f, "replace") ? json_incref(pv) : merge_map(NULL, pv, f, c);
    if (json_is_array(pv) && strategy_is(f, "merge")) {
        json_t *empty = json_array();
        json_t *out = empty ? merge_slice(empty, pv, f->items, f->merge_key, false, c) : NULL;
        json_decref(empty);
        return out;
    }
    return json_incref(pv);
}

static int merge_key_value(json_t *orig, const char *k, json_t *pv, bool is_delete,
                           const ck_field *schema, smp_ctx *c)
{
    const ck_field *f = child_field(schema, k);
    json_t *ov = json_object_get(orig, k);
    json_t *out;
    if (json_is_null(pv)) { json_object_del(orig, k); return 0; }
    if (!ov) {
        if (is_delete) return 0; /* nothing to delete from */
        out = fresh_value(pv, f, c);
    } else if (smp_kind(ov) != smp_kind(pv)) {
        out = json_incref(pv);
    } else if (json_is_object(ov)) {
        out = strategy_is(f, "replace") ? json_incref(pv) : merge_map(json_incref(ov), pv, f, c);
    } else if (json_is_array(ov)) {
        out = slice_handler(ov, pv, f, is_delete, c);
    } else {
        out = json_incref(pv);
    }
    if (!out) return -1;
    return json_object_set_new(orig, k, out) ? smp_fail(c, "out of memory") : 0;
}

/* mergeMap: steals orig (may be NULL), patch is borrowed and may be trimmed. */
static json_t *merge_map(json_t *orig, json_t *patch, const ck_field *schema, smp_ctx *c)
{
    if (++c->depth > SMP_MAX_DEPTH) {
        json_decref(orig);
        c->depth--;
        smp_fail(c, "patch nests too deeply");
        return NULL;
    }
    json_t *directive = json_object_get(patch, DIRECTIVE_MARKER);
    json_t *out = NULL;
    if (directive) {
        /* handleDirectiveInMergeMap */
        const char *d = json_string_value(directive);
        if (d && !strcmp(d, "replace")) {
            json_object_del(patch, DIRECTIVE_MARKER);
            out = json_incref(patch);
        } else if (d && !strcmp(d, "delete")) {
            out = json_object();
        } else {
            smp_fail_patch_type(c, directive, patch, "map");
        }
        json_decref(orig);
        c->depth--;
        return out;
    }
    if (!orig) orig = json_object();
    if (!orig) { c->depth--; smp_fail(c, "out of memory"); return NULL; }
    int rc = apply_retain_keys(orig, patch, c);
    if (rc == 0) rc = merge_order_directives(orig, patch, schema, c);
    const char *k;
    json_t *pv;
    if (rc == 0) json_object_foreach(patch, k, pv) {
        bool is_delete = has_prefix(k, DELETE_PREFIX);
        const char *key = k;
        if (is_delete && !(key = extract_key(k, DELETE_PREFIX))) {
            rc = smp_fail(c, "invalid patch format of primitive list");
            break;
        }
        if ((rc = merge_key_value(orig, key, pv, is_delete, schema, c))) break;
    }
    c->depth--;
    if (rc) { json_decref(orig); return NULL; }
    return orig;
}

/* ---- lists -------------------------------------------------------------- */

/* mergeSliceWithSpecialElements: applies $patch: delete/replace elements.
 * Returns 0 and new references in *o and *p. */
static int special_elements(json_t *orig, json_t *patch, const char *mkey, json_t **o, json_t **p, smp_ctx *c)
{
    json_t *out_o = json_deep_copy(orig), *out_p = json_array();
    bool replace = false;
    size_t i;
    json_t *v;
    if (!out_o || !out_p) goto oom;
    json_array_foreach(patch, i, v) {
        json_t *d = json_object_get(v, DIRECTIVE_MARKER);
        if (!d) { json_array_append(out_p, v); continue; }
        const char *ds = json_string_value(d);
        if (ds && !strcmp(ds, "delete")) {
            json_t *mv = json_object_get(v, mkey);
            if (!mv) { smp_fail_no_merge_key(c, v, mkey); goto fail; }
            for (long at; (at = smp_find_by_key(out_o, mkey, mv, c)) != -1;) {
                if (at < -1) goto fail;
                json_array_remove(out_o, (size_t)at);
            }
        } else if (ds && !strcmp(ds, "replace")) {
            replace = true;
        } else if (ds && !strcmp(ds, "merge")) {
            smp_fail(c, "merging lists cannot yet be specified in the patch");
            goto fail;
        } else {
            smp_fail_patch_type(c, d, v, "map");
            goto fail;
        }
    }
    if (replace) {
        json_decref(out_o);
        *o = out_p;
        *p = json_array();
        return *p ? 0 : smp_fail(c, "out of memory");
    }
    *o = out_o;
    *p = out_p;
    return 0;
oom:
    smp_fail(c, "out of memory");
fail:
    json_decref(out_o);
    json_decref(out_p);
    return -1;
}

/* mergeSlice; orig and patch are borrowed. Returns a new array. */
static json_t *merge_slice(json_t *orig, json_t *patch, const ck_field *elem, const char *mkey,
                           bool is_delete, smp_ctx *c)
{
    if (json_array_size(orig) == 0 && json_array_size(patch) == 0) return json_array();
    int kind = smp_element_kind(orig, patch, c);
    if (kind < 0) return NULL;
    size_t i;
    json_t *v;
    if (kind != JSON_OBJECT) {
        if (is_delete) return smp_delete_from_slice(orig, patch);
        json_t *both = json_array();
        if (!both) return NULL;
        json_array_foreach(orig, i, v)
            if (smp_index_of(both, v, NULL) < 0) json_array_append(both, v);
        json_array_foreach(patch, i, v)
            if (smp_index_of(both, v, NULL) < 0) json_array_append(both, v);
        json_t *out = smp_order_merged(both, patch, orig, "", kind, c);
        json_decref(both);
        return out;
    }
    if (!mkey || !*mkey) {
        smp_fail(c, "cannot merge lists without merge key for type struct");
        return NULL;
    }
    json_t *o, *p;
    if (special_elements(orig, patch, mkey, &o, &p, c)) return NULL;
    /* The live order is the list before new items are appended (Go's append
     * does not grow the caller's slice in mergeSliceWithoutSpecialElements). */
    json_t *server_order = json_copy(o);
    int rc = server_order ? 0 : smp_fail(c, "out of memory");
    if (rc == 0) json_array_foreach(p, i, v) {
        json_t *mv = json_object_get(v, mkey);
        if (!mv) { rc = smp_fail_no_merge_key(c, v, mkey); break; }
        long at = smp_find_by_key(o, mkey, mv, c);
        if (at < -1) { rc = -1; break; }
        json_t *m = merge_map(at >= 0 ? json_incref(json_array_get(o, (size_t)at)) : NULL, v, elem, c);
        if (!m) { rc = -1; break; }
        if (at >= 0) json_array_set_new(o, (size_t)at, m);
        else json_array_append_new(o, m);
    }
    json_t *out = rc ? NULL : smp_order_merged(o, p, server_order, mkey, kind, c);
    json_decref(server_order);
    json_decref(o);
    json_decref(p);
    return out;
}

json_t *ck_strategic_merge_patch_apply(const json_t *doc, const json_t *patch, const ck_field *schema,
                                       char *err, size_t errlen)
{
    smp_ctx c = {err, errlen, 0};
    if (err && errlen) err[0] = 0;
    if (!json_is_object(patch) || (doc && !json_is_object(doc))) {
        smp_fail(&c, "invalid JSON document");
        return NULL;
    }
    json_t *o = doc ? json_deep_copy(doc) : json_object();
    json_t *p = json_deep_copy(patch);
    if (!o || !p) {
        json_decref(o);
        json_decref(p);
        smp_fail(&c, "out of memory");
        return NULL;
    }
    json_t *out = merge_map(o, p, schema, &c);
    json_decref(p);
    return out;
}
