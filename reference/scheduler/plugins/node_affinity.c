/* node_affinity.c: NodeAffinity — spec.nodeSelector and required node affinity
 * must match the node's labels (terms ORed, expressions ANDed); preferred
 * terms add their weights to the score (component-helpers nodeaffinity). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "scheduler/plugins/plugins.h"
#include "util/ckjson.h"

static bool in_values(const json_t *values, const char *v)
{
    size_t i;
    json_t *x;
    json_array_foreach(values, i, x)
        if (json_is_string(x) && !strcmp(json_string_value(x), v)) return true;
    return false;
}

static bool parse_int(const char *s, long long *out)
{
    char *end;
    errno = 0;
    *out = strtoll(s, &end, 10);
    return *s && !*end && !errno;
}

/* One NodeSelectorRequirement against a value (NULL = key absent). */
static bool requirement_matches(const json_t *req, const char *v)
{
    const char *op = ck_json_str(req, "operator", "");
    const json_t *values = json_object_get(req, "values");
    if (!strcmp(op, "In")) return v && in_values(values, v);
    if (!strcmp(op, "NotIn")) return !v || !in_values(values, v);
    if (!strcmp(op, "Exists")) return v != NULL;
    if (!strcmp(op, "DoesNotExist")) return v == NULL;
    if (!strcmp(op, "Gt") || !strcmp(op, "Lt")) {
        long long have, want;
        if (!v || json_array_size(values) != 1 || !parse_int(v, &have) ||
            !parse_int(json_string_value(json_array_get(values, 0)) ?: "", &want))
            return false;
        return op[0] == 'G' ? have > want : have < want;
    }
    return false;
}

bool ck_node_selector_term_matches(const json_t *term, const ck_node_info *n)
{
    const json_t *exprs = json_object_get(term, "matchExpressions");
    const json_t *fields = json_object_get(term, "matchFields");
    /* An empty term selects no node (nodeaffinity.NewNodeSelector). */
    if (!json_array_size(exprs) && !json_array_size(fields)) return false;
    size_t i;
    json_t *r;
    json_array_foreach(exprs, i, r)
        if (!requirement_matches(r, ck_node_label(n, ck_json_str(r, "key", "")))) return false;
    json_array_foreach(fields, i, r) {
        /* metadata.name is the only supported field. */
        if (strcmp(ck_json_str(r, "key", ""), "metadata.name")) return false;
        if (!requirement_matches(r, n->name)) return false;
    }
    return true;
}

static bool node_selector_matches(const json_t *sel, const ck_node_info *n)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)sel, k, v) {
        const char *have = ck_node_label(n, k);
        if (!have || !json_is_string(v) || strcmp(have, json_string_value(v))) return false;
    }
    return true;
}

static ck_code filter(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    bool ok = !pod->node_selector || node_selector_matches(pod->node_selector, n);
    if (ok && pod->required_node_terms) {
        size_t i;
        json_t *t;
        ok = false;
        json_array_foreach(pod->required_node_terms, i, t)
            if (ck_node_selector_term_matches(t, n)) { ok = true; break; }
    }
    if (ok) return CK_SUCCESS;
    return ck_status_add(st, CK_UNRESOLVABLE, "node(s) didn't match Pod's node affinity/selector");
}

static int64_t score(const void *state, const ck_pod_info *pod, const ck_node_info *n)
{
    int64_t s = 0;
    size_t i;
    json_t *t;
    json_array_foreach(pod->preferred_node_terms, i, t)
        if (ck_node_selector_term_matches(json_object_get(t, "preference"), n))
            s += ck_json_int(t, "weight", 0);
    return s;
}

static void normalize(int64_t *s, size_t n) { ck_default_normalize(CK_MAX_NODE_SCORE, false, s, n); }

const ck_plugin ck_plugin_node_affinity = {
    .name = "NodeAffinity", .weight = 2, .filter = filter, .score = score, .normalize = normalize,
};
