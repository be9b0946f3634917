/* namespace_deleter.c: pure helpers of the namespace deleter: discovery
 * filtering, deletion conditions and messages, the finalize body
 * (upstream pkg/controller/namespace/deletion/{namespaced_resources_deleter,
 * status_condition_utils}.go). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/namespace_deleter.h"
#include "util/ckjson.h"

static bool has_verb(const json_t *verbs, const char *verb)
{
    size_t i;
    json_t *v;
    json_array_foreach(verbs, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), verb)) return true;
    return false;
}

int ck_ns_gvrs_add(ck_ns_gvrs *out, const json_t *list, const char *group, const char *version)
{
    json_t *res = json_object_get(list, "resources");
    if (!json_is_array(res)) return -1;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r) {
        const char *name = ck_json_str(r, "name", "");
        json_t *verbs = json_object_get(r, "verbs");
        if (!*name || strchr(name, '/') || !json_is_true(json_object_get(r, "namespaced"))) continue;
        if (!has_verb(verbs, "list") || !has_verb(verbs, "delete")) continue;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 32;
            ck_ns_gvr *v = realloc(out->v, cap * sizeof *v);
            if (!v) return -1;
            out->v = v;
            out->cap = cap;
        }
        ck_ns_gvr *g = &out->v[out->n++];
        snprintf(g->group, sizeof g->group, "%s", group ? group : "");
        snprintf(g->version, sizeof g->version, "%s", version);
        snprintf(g->resource, sizeof g->resource, "%s", name);
        g->deletecollection = has_verb(verbs, "deletecollection");
    }
    return 0;
}

void ck_ns_gvrs_clear(ck_ns_gvrs *g)
{
    free(g->v);
    memset(g, 0, sizeof *g);
}

/* Upstream's conditionTypes, okReasons/okMessages and failedReasons. */
static const struct {
    const char *type, *ok_reason, *ok_message, *fail_reason;
} COND[CK_NS_COND_N] = {
    {"NamespaceDeletionDiscoveryFailure", "ResourcesDiscovered", "All resources successfully discovered",
     "DiscoveryFailed"},
    {"NamespaceDeletionGroupVersionParsingFailure", "ParsedGroupVersions",
     "All legacy kube types successfully parsed", "GroupVersionParsingFailed"},
    {"NamespaceDeletionContentFailure", "ContentDeleted",
     "All content successfully deleted, may be waiting on finalization", "ContentDeletionFailed"},
    {"NamespaceContentRemaining", "ContentRemoved", "All content successfully removed", "SomeResourcesRemain"},
    {"NamespaceFinalizersRemaining", "ContentHasNoFinalizers", "All content-preserving finalizers finished",
     "SomeFinalizersRemain"},
};

const char *ck_ns_cond_type(ck_ns_cond c) { return c < CK_NS_COND_N ? COND[c].type : ""; }

static json_t *find_condition(json_t *conds, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(conds, i, c) if (!strcmp(ck_json_str(c, "type", ""), type)) return c;
    return NULL;
}

bool ck_ns_update_conditions(json_t *ns, const char *const failure_msg[CK_NS_COND_N], const char *now)
{
    json_t *status = ck_json_ensure_object(ns, "status");
    if (!status) return false;
    json_t *conds = json_object_get(status, "conditions");
    if (!json_is_array(conds)) {
        conds = json_array();
        if (!conds || json_object_set_new(status, "conditions", conds)) return false;
    }
    bool changed = false;
    for (int c = 0; c < CK_NS_COND_N; c++) {
        const char *st = failure_msg[c] ? "True" : "False";
        const char *reason = failure_msg[c] ? COND[c].fail_reason : COND[c].ok_reason;
        const char *msg = failure_msg[c] ? failure_msg[c] : COND[c].ok_message;
        json_t *old = find_condition(conds, COND[c].type);
        if (old && !strcmp(ck_json_str(old, "status", ""), st) && !strcmp(ck_json_str(old, "reason", ""), reason)
            && !strcmp(ck_json_str(old, "message", ""), msg))
            continue;
        json_t *nc = json_pack("{s:s,s:s,s:s,s:s,s:s}", "type", COND[c].type, "status", st,
                               "lastTransitionTime", now, "reason", reason, "message", msg);
        if (!nc) return changed;
        if (old) json_object_update(old, nc), json_decref(nc);
        else json_array_append_new(conds, nc);
        changed = true;
    }
    return changed;
}

int ck_ns_remaining_init(ck_ns_remaining *r)
{
    r->resources = json_object();
    r->finalizers = json_object();
    if (r->resources && r->finalizers) return 0;
    ck_ns_remaining_clear(r);
    return -1;
}

static void bump(json_t *counts, const char *key, json_int_t by)
{
    json_int_t n = json_integer_value(json_object_get(counts, key));
    json_object_set_new(counts, key, json_integer(n + by));
}

void ck_ns_remaining_add(ck_ns_remaining *r, const char *group, const char *resource, const json_t *items)
{
    if (!json_is_array(items) || !json_array_size(items)) return;
    char key[300];
    snprintf(key, sizeof key, "%s.%s", resource, group ? group : "");
    bump(r->resources, key, (json_int_t)json_array_size(items));
    size_t i, j;
    json_t *it, *f;
    json_array_foreach(items, i, it) {
        json_array_foreach(ck_json_path(it, "metadata.finalizers"), j, f)
            if (json_is_string(f)) bump(r->finalizers, json_string_value(f), 1);
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "<prefix>k1<mid>n1<suffix>, k2..." over counts sorted by key. */
static char *counts_msg(const json_t *counts, const char *prefix, const char *mid, const char *suffix)
{
    size_t n = json_object_size(counts);
    if (!n) return NULL;
    const char **keys = malloc(n * sizeof *keys);
    if (!keys) return NULL;
    size_t k = 0, len = strlen(prefix) + 1;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)counts, key, v) {
        keys[k++] = key;
        len += strlen(key) + strlen(mid) + strlen(suffix) + 24;
    }
    qsort(keys, n, sizeof *keys, cmp_str);
    char *out = malloc(len);
    if (out) {
        size_t off = (size_t)snprintf(out, len, "%s", prefix);
        for (size_t i = 0; i < n; i++)
            off += (size_t)snprintf(out + off, len - off, "%s%s%s%lld%s", i ? ", " : "", keys[i], mid,
                                    (long long)json_integer_value(json_object_get(counts, keys[i])), suffix);
    }
    free(keys);
    return out;
}

char *ck_ns_remaining_resources_msg(const ck_ns_remaining *r)
{
    return counts_msg(r->resources, "Some resources are remaining: ", " has ", " resource instances");
}

char *ck_ns_remaining_finalizers_msg(const ck_ns_remaining *r)
{
    return counts_msg(r->finalizers, "Some content in the namespace has finalizers remaining: ", " in ",
                      " resource instances");
}

void ck_ns_remaining_clear(ck_ns_remaining *r)
{
    json_decref(r->resources);
    json_decref(r->finalizers);
    r->resources = r->finalizers = NULL;
}

bool ck_ns_has_finalizer(const json_t *ns, const char *finalizer)
{
    size_t i;
    json_t *f;
    json_array_foreach(ck_json_path(ns, "spec.finalizers"), i, f)
        if (json_is_string(f) && !strcmp(json_string_value(f), finalizer)) return true;
    return false;
}

json_t *ck_ns_finalize_body(const json_t *ns, const char *finalizer)
{
    json_t *copy = json_deep_copy(ns);
    if (!copy) return NULL;
    json_t *fins = ck_json_path(copy, "spec.finalizers");
    for (size_t i = json_array_size(fins); i-- > 0;) {
        json_t *f = json_array_get(fins, i);
        if (json_is_string(f) && !strcmp(json_string_value(f), finalizer)) json_array_remove(fins, i);
    }
    return copy;
}
