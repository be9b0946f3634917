/* jsonpatch.c: JSON Patch (RFC 6902, application/json-patch+json) with
 * JSON Pointers (RFC 6901: ~1 is '/', ~0 is '~', "-" appends). Error texts
 * follow gopkg.in/evanphx/json-patch.v4, which the apiserver uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/patch.h"

typedef struct jp_ctx {
    char *err;
    size_t errlen;
    int bad_doc;
} jp_ctx;

static int fail(jp_ctx *c, int bad_doc, const char *fmt, const char *a)
{
    if (c->err && c->errlen) snprintf(c->err, c->errlen, fmt, a);
    c->bad_doc = bad_doc;
    return -1;
}

/* Splits a pointer into its unescaped last token and the parent container.
 * Returns 0 with *parent borrowed (NULL if missing), -1 if the pointer is malformed. */
static int unescape_token(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '~') { out[o++] = s[i]; continue; }
        if (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1')) return -1;
        out[o++] = s[++i] == '0' ? '~' : '/';
    }
    out[o] = 0;
    return 0;
}

/* Array index per RFC 6901: digits, no leading zero; -1 when not an index. */
static long parse_index(const char *tok)
{
    if (!*tok || strlen(tok) > 9) return -1;
    if (tok[0] == '0' && tok[1]) return -1;
    for (const char *p = tok; *p; p++)
        if (*p < '0' || *p > '9') return -1;
    return atol(tok);
}

static json_t *child(json_t *cur, const char *tok)
{
    if (json_is_object(cur)) return json_object_get(cur, tok);
    if (json_is_array(cur)) {
        long i = parse_index(tok);
        return i < 0 ? NULL : json_array_get(cur, (size_t)i);
    }
    return NULL;
}

/* Resolves everything but the last token. *last is malloc'd (unescaped). */
static int resolve(json_t *doc, const char *path, json_t **parent, char **last)
{
    *parent = NULL;
    *last = NULL;
    if (path[0] != '/') return -1;
    size_t len = strlen(path);
    char *tok = malloc(len + 1);
    if (!tok) return -1;
    json_t *cur = doc;
    const char *p = path + 1;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (unescape_token(p, n, tok)) { free(tok); return -1; }
        if (!slash) break;
        cur = child(cur, tok);
        p = slash + 1;
    }
    *parent = cur;
    *last = tok;
    return 0;
}

static json_t *get_path(json_t *doc, const char *path, int *malformed)
{
    *malformed = 0;
    if (!*path) return doc;
    json_t *parent;
    char *last;
    if (resolve(doc, path, &parent, &last)) { *malformed = 1; return NULL; }
    json_t *v = child(parent, last);
    free(last);
    return v;
}

/* add: steals value. The root path replaces the whole document. */
static int op_add(jp_ctx *c, json_t **doc, const char *path, json_t *value, const char *opname)
{
    if (!*path) { json_decref(*doc); *doc = value; return 0; }
    json_t *parent;
    char *last;
    if (resolve(*doc, path, &parent, &last)) {
        json_decref(value);
        return fail(c, 1, "invalid JSON pointer: %s", path);
    }
    int rc = 0;
    if (json_is_object(parent)) {
        rc = json_object_set_new(parent, last, value) ? fail(c, 0, "%s", "out of memory") : 0;
    } else if (json_is_array(parent)) {
        long i = strcmp(last, "-") == 0 ? (long)json_array_size(parent) : parse_index(last);
        if (i < 0 || (size_t)i > json_array_size(parent)) {
            json_decref(value);
            rc = fail(c, 0, "Unable to access invalid index: %s: invalid index referenced", last);
        } else {
            rc = json_array_insert_new(parent, (size_t)i, value) ? fail(c, 0, "%s", "out of memory") : 0;
        }
    } else {
        json_decref(value);
        char msg[64];
        snprintf(msg, sizeof msg, "%s operation does not apply: doc is missing path: ", opname);
        if (c->err && c->errlen) snprintf(c->err, c->errlen, "%s\"%s\": missing value", msg, path);
        c->bad_doc = 0;
        rc = -1;
    }
    free(last);
    return rc;
}

static int op_remove(jp_ctx *c, json_t *doc, const char *path, const char *what)
{
    json_t *parent;
    char *last;
    if (!*path) return fail(c, 0, "%s", "Unable to remove the whole document");
    if (resolve(doc, path, &parent, &last)) return fail(c, 1, "invalid JSON pointer: %s", path);
    int rc = -1;
    if (json_is_object(parent) && json_object_get(parent, last)) {
        rc = json_object_del(parent, last);
    } else if (json_is_array(parent)) {
        long i = parse_index(last);
        if (i >= 0 && (size_t)i < json_array_size(parent)) rc = json_array_remove(parent, (size_t)i);
    }
    free(last);
    if (rc && c->err && c->errlen) {
        snprintf(c->err, c->errlen, "%s operation does not apply: doc is missing path: \"%s\": missing value", what, path);
        c->bad_doc = 0;
    }
    return rc ? -1 : 0;
}

static const char *str_member(const json_t *op, const char *name)
{
    return json_string_value(json_object_get(op, name));
}

static int apply_one(jp_ctx *c, json_t **doc, const json_t *op)
{
    if (!json_is_object(op)) return fail(c, 1, "%s", "invalid JSON patch: an operation is not an object");
    const char *kind = str_member(op, "op");
    const char *path = str_member(op, "path");
    if (!kind) return fail(c, 1, "Unexpected kind: %s", "unknown");
    bool known = !strcmp(kind, "add") || !strcmp(kind, "remove") || !strcmp(kind, "replace") ||
                 !strcmp(kind, "move") || !strcmp(kind, "copy") || !strcmp(kind, "test");
    if (!known) return fail(c, 1, "Unexpected kind: %s", kind);
    if (!path) return fail(c, 1, "%s operation missing path field: missing value", kind);
    json_t *value = json_object_get(op, "value");
    bool needs_value = !strcmp(kind, "add") || !strcmp(kind, "replace") || !strcmp(kind, "test");
    if (needs_value && !value) return fail(c, 1, "%s operation missing value field: missing value", kind);
    const char *from = str_member(op, "from");
    bool needs_from = !strcmp(kind, "move") || !strcmp(kind, "copy");
    if (needs_from && !from) return fail(c, 1, "%s operation missing from field: missing value", kind);
    int malformed;

    if (!strcmp(kind, "add")) {
        json_t *v = json_deep_copy(value);
        return v ? op_add(c, doc, path, v, "add") : fail(c, 0, "%s", "out of memory");
    }
    if (!strcmp(kind, "remove")) return op_remove(c, *doc, path, "remove");
    if (!strcmp(kind, "replace")) {
        json_t *cur = get_path(*doc, path, &malformed);
        if (malformed) return fail(c, 1, "invalid JSON pointer: %s", path);
        if (!cur) return fail(c, 0, "replace operation does not apply: doc is missing key: %s: missing value", path);
        json_t *v = json_deep_copy(value);
        if (!v) return fail(c, 0, "%s", "out of memory");
        if (!*path) { json_decref(*doc); *doc = v; return 0; }
        if (op_remove(c, *doc, path, "replace")) { json_decref(v); return -1; }
        return op_add(c, doc, path, v, "replace");
    }
    if (!strcmp(kind, "test")) {
        json_t *cur = get_path(*doc, path, &malformed);
        if (malformed) return fail(c, 1, "invalid JSON pointer: %s", path);
        if ((!cur && json_is_null(value)) || (cur && json_equal(cur, value))) return 0;
        return fail(c, 0, "testing value %s failed: test failed", path);
    }
    /* move, copy */
    json_t *src = get_path(*doc, from, &malformed);
    if (malformed) return fail(c, 1, "invalid JSON pointer: %s", from);
    if (!src) {
        if (c->err && c->errlen)
            snprintf(c->err, c->errlen, "%s operation does not apply: doc is missing from path: %s: missing value", kind, from);
        c->bad_doc = 0;
        return -1;
    }
    if (!strcmp(kind, "copy")) {
        json_t *v = json_deep_copy(src);
        return v ? op_add(c, doc, path, v, "copy") : fail(c, 0, "%s", "out of memory");
    }
    if (!strcmp(from, path)) return 0;
    json_t *v = json_incref(src);
    if (!*from) { /* moving the root into itself can never apply */
        json_decref(v);
        return fail(c, 0, "move operation does not apply: doc is missing destination path: %s: missing value", path);
    }
    if (op_remove(c, *doc, from, "move")) { json_decref(v); return -1; }
    return op_add(c, doc, path, v, "move");
}

json_t *ck_json_patch_apply(const json_t *doc, const json_t *ops, int *bad_doc, char *err, size_t errlen)
{
    jp_ctx c = {err, errlen, 0};
    if (err && errlen) err[0] = 0;
    if (bad_doc) *bad_doc = 0;
    if (!json_is_array(ops)) {
        fail(&c, 1, "%s", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        if (bad_doc) *bad_doc = 1;
        return NULL;
    }
    json_t *out = doc ? json_deep_copy(doc) : json_null();
    if (!out) return NULL;
    size_t i;
    json_t *op;
    json_array_foreach(ops, i, op) {
        if (apply_one(&c, &out, op)) {
            json_decref(out);
            if (bad_doc) *bad_doc = c.bad_doc;
            return NULL;
        }
    }
    return out;
}
