/* trace_diff.c: "what changed" between two versions of an object, for
 * `ckube trace`: one human line per changed field, with list elements keyed
 * the way Kubernetes merges them (conditions by type, containers by name). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ckube/trace.h"
#include "util/ckjson.h"

/* Bookkeeping that changes on every write and teaches nothing. */
static const char *const skip_paths[] = {"metadata.resourceVersion", "metadata.managedFields", NULL};
static const char *const skip_keys[] = {"lastProbeTime", "lastTransitionTime", "lastHeartbeatTime",
                                        "lastUpdateTime", "kubectl.kubernetes.io/last-applied-configuration",
                                        NULL};
/* On create, the fields worth one line each (when present). */
static const char *const create_paths[] = {"metadata.uid",          "metadata.generateName",
                                           "metadata.generation",   "spec.replicas",
                                           "spec.nodeName",         "spec.schedulerName",
                                           "status.phase",          "status.qosClass",
                                           NULL};

typedef struct diffctx {
    json_t *out;   /* array of strings */
    size_t max;
    size_t more;   /* changes beyond max */
} diffctx;

static bool listed(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0) return true;
    return false;
}

static void emit(diffctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(diffctx *c, const char *fmt, ...)
{
    if (json_array_size(c->out) + 1 >= c->max && c->max) { c->more++; return; }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_array_append_new(c->out, json_string(buf));
}

/* A value as a short string: strings unquoted, the rest compact JSON. */
static void shortval(const json_t *v, char *out, size_t n)
{
    if (!v) { snprintf(out, n, "<none>"); return; }
    if (json_is_string(v)) {
        snprintf(out, n, "%s", json_string_value(v));
    } else {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(out, n, "%s", s ? s : "?");
        free(s);
    }
    if (strlen(out) > 60) strcpy(out + 57, "...");
}

/* The key that identifies an element of a list of objects, as strategic
 * merge patch would: "type" for conditions, "name" for containers/ports. */
static const char *elem_key(const json_t *arr)
{
    static const char *const keys[] = {"type", "name", "containerPort", NULL};
    json_t *first = json_array_get(arr, 0);
    if (!json_is_object(first)) return NULL;
    for (const char *const *k = keys; *k; k++) {
        bool all = true;
        size_t i;
        json_t *e;
        json_array_foreach(arr, i, e) if (!json_object_get(e, *k)) all = false;
        if (all) return *k;
    }
    return NULL;
}

static const json_t *find_elem(const json_t *arr, const char *key, const json_t *id)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) if (json_equal(json_object_get(e, key), (json_t *)id)) return e;
    return NULL;
}

static void diff(diffctx *c, const char *path, const json_t *a, const json_t *b);

/* conditions[] elements: "condition Ready: False -> True (reason)". */
static void diff_condition(diffctx *c, const char *type, const json_t *a, const json_t *b)
{
    const char *sa = ck_json_str(a, "status", "?"), *sb = ck_json_str(b, "status", "?");
    const char *ra = ck_json_str(a, "reason", ""), *rb = ck_json_str(b, "reason", "");
    if (!a) { emit(c, "condition %s: %s%s%s%s", type, sb, *rb ? " (" : "", rb, *rb ? ")" : ""); return; }
    if (!b) { emit(c, "condition %s: removed", type); return; }
    if (strcmp(sa, sb) != 0)
        emit(c, "condition %s: %s -> %s%s%s%s", type, sa, sb, *rb ? " (" : "", rb, *rb ? ")" : "");
    else if (strcmp(ra, rb) != 0 || !ck_json_equal(json_object_get(a, "message"), json_object_get(b, "message")))
        emit(c, "condition %s: still %s, reason %s -> %s", type, sb, *ra ? ra : "<none>", *rb ? rb : "<none>");
}

/* containerStatuses[].state is one of waiting/running/terminated. */
static void state_name(const json_t *st, char *out, size_t n)
{
    const char *k = "<none>";
    json_t *v = NULL;
    if (json_is_object(st) && json_object_size(st) > 0) {
        void *it = json_object_iter((json_t *)st);
        k = json_object_iter_key(it);
        v = json_object_iter_value(it);
    }
    const char *reason = ck_json_str(v, "reason", "");
    snprintf(out, n, "%s%s%s%s", k, *reason ? " (" : "", reason, *reason ? ")" : "");
}

static void diff_array(diffctx *c, const char *path, const json_t *a, const json_t *b)
{
    const json_t *shape = json_array_size(b) ? b : a;
    const char *key = elem_key(shape);
    if (!key || (a && !json_is_array(a)) || (b && !json_is_array(b))) {
        char va[96], vb[96];
        shortval(a, va, sizeof va);
        shortval(b, vb, sizeof vb);
        emit(c, "%s: %s -> %s", path, va, vb);
        return;
    }
    bool conditions = strcmp(key, "type") == 0 && strstr(path, "conditions");
    char id[96], sub[600];
    size_t i;
    json_t *e;
    json_array_foreach(b, i, e) {
        const json_t *old = a ? find_elem(a, key, json_object_get(e, key)) : NULL;
        shortval(json_object_get(e, key), id, sizeof id);
        if (conditions) {
            diff_condition(c, id, old, e);
            continue;
        }
        snprintf(sub, sizeof sub, "%s[%s]", path, id);
        if (old) { diff(c, sub, old, e); continue; }
        if (a) emit(c, "%s: added", sub);
        json_t *rest = json_deep_copy(e); /* its fields, less the key already named */
        if (rest) json_object_del(rest, key);
        diff(c, sub, NULL, rest);
        json_decref(rest);
    }
    json_array_foreach(a, i, e) {
        if (b && find_elem(b, key, json_object_get(e, key))) continue;
        shortval(json_object_get(e, key), id, sizeof id);
        if (conditions) diff_condition(c, id, e, NULL);
        else emit(c, "%s[%s]: removed", path, id);
    }
}

static void diff(diffctx *c, const char *path, const json_t *a, const json_t *b)
{
    if (ck_json_equal(a, b) || listed(skip_paths, path)) return;
    const char *last = strrchr(path, '.');
    if (last && strcmp(last, ".state") == 0 && strstr(path, "containerStatuses[")) {
        char sa[128], sb[128];
        state_name(a, sa, sizeof sa);
        state_name(b, sb, sizeof sb);
        if (strcmp(sa, sb) != 0) emit(c, "%s: %s -> %s", path, sa, sb);
        return;
    }
    if (json_is_object(b) && (!a || json_is_object(a))) {
        char sub[600];
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)b, k, v) {
            if (listed(skip_keys, k)) continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            diff(c, sub, json_object_get(a, k), v);
        }
        json_object_foreach((json_t *)a, k, v) {
            if (listed(skip_keys, k) || json_object_get(b, k)) continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            diff(c, sub, v, NULL);
        }
        return;
    }
    if (json_is_array(b) || json_is_array(a)) {
        diff_array(c, path, a, b);
        return;
    }
    char va[96], vb[96];
    shortval(a, va, sizeof va);
    shortval(b, vb, sizeof vb);
    if (!a) emit(c, "%s: set to %s", path, vb);
    else if (!b && json_is_object(a)) emit(c, "%s: removed", path);
    else if (!b) emit(c, "%s: removed (was %s)", path, va);
    else emit(c, "%s: %s -> %s", path, va, vb);
}

/* A new object: its owner and the few fields that say what it is. */
static void summarize_create(diffctx *c, const json_t *obj)
{
    size_t i;
    json_t *e;
    json_array_foreach(ck_json_path(obj, "metadata.ownerReferences"), i, e)
        emit(c, "owned by %s/%s%s", ck_json_str(e, "kind", "?"), ck_json_str(e, "name", "?"),
             ck_json_bool(e, "controller", false) ? " (controller)" : "");
    char v[96];
    for (const char *const *p = create_paths; *p; p++) {
        const json_t *x = ck_json_path(obj, *p);
        if (!x) continue;
        shortval(x, v, sizeof v);
        emit(c, "%s: %s", *p, v);
    }
    json_array_foreach(ck_json_path(obj, "spec.containers"), i, e)
        emit(c, "container %s: image %s", ck_json_str(e, "name", "?"), ck_json_str(e, "image", "?"));
    json_array_foreach(ck_json_path(obj, "status.conditions"), i, e)
        diff_condition(c, ck_json_str(e, "type", "?"), NULL, e);
}

json_t *ck_trace_changes(const json_t *before, const json_t *after, size_t max)
{
    diffctx c = {.out = json_array(), .max = max};
    if (!c.out) return NULL;
    if (!before) summarize_create(&c, after);
    else diff(&c, "", before, after);
    if (c.more) {
        char buf[64];
        snprintf(buf, sizeof buf, "... %zu more change%s", c.more, c.more == 1 ? "" : "s");
        json_array_append_new(c.out, json_string(buf));
    }
    return c.out;
}
