/* inter_pod_affinity.c: InterPodAffinity's required terms (plugins/
 * interpodaffinity/filtering.go). PreFilter counts, per topology pair
 * (key, value), the pods matching the incoming pod's affinity and
 * anti-affinity terms and the existing pods whose anti-affinity selects the
 * incoming pod; Filter looks the node's own pairs up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "scheduler/plugins/plugins.h"
#include "scheduler/strmap.h"

typedef struct ipa_state {
    ck_strmap *affinity, *anti, *existing_anti;  /* "key\x1fvalue" -> count */
} ipa_state;

static void state_free(void *p)
{
    ipa_state *s = p;
    ck_strmap_free(s->affinity);
    ck_strmap_free(s->anti);
    ck_strmap_free(s->existing_anti);
    free(s);
}

static int bump(ck_strmap *m, const char *key, const char *value)
{
    char k[512];
    snprintf(k, sizeof k, "%s\x1f%s", key, value);
    return ck_strmap_put(m, k, (void *)((intptr_t)ck_strmap_get(m, k) + 1));
}

static intptr_t count(const ck_strmap *m, const char *key, const char *value)
{
    char k[512];
    snprintf(k, sizeof k, "%s\x1f%s", key, value);
    return (intptr_t)ck_strmap_get(m, k);
}

static bool matches_all(const ck_affinity_term *t, size_t n, const ck_pod_info *p)
{
    for (size_t i = 0; i < n; i++) if (!ck_affinity_term_matches(&t[i], p)) return false;
    return n > 0;
}

/* Counts what one existing pod q on node m contributes. */
static int count_pod(ipa_state *s, const ck_pod_info *pod, const ck_pod_info *q, const ck_node_info *m)
{
    for (size_t i = 0; i < q->nanti; i++) {
        const char *v = ck_node_label(m, q->anti_affinity[i].topology_key);
        if (v && ck_affinity_term_matches(&q->anti_affinity[i], pod) &&
            bump(s->existing_anti, q->anti_affinity[i].topology_key, v) < 0)
            return -1;
    }
    if (matches_all(pod->affinity, pod->naffinity, q))
        for (size_t i = 0; i < pod->naffinity; i++) {
            const char *v = ck_node_label(m, pod->affinity[i].topology_key);
            if (v && bump(s->affinity, pod->affinity[i].topology_key, v) < 0) return -1;
        }
    for (size_t i = 0; i < pod->nanti; i++) {
        const char *v = ck_node_label(m, pod->anti_affinity[i].topology_key);
        if (v && ck_affinity_term_matches(&pod->anti_affinity[i], q) &&
            bump(s->anti, pod->anti_affinity[i].topology_key, v) < 0)
            return -1;
    }
    return 0;
}

static ck_code prefilter(const ck_cycle *cy, const ck_pod_info *pod, void **state, ck_status *st)
{
    bool existing = false;
    for (size_t i = 0; i < cy->nnodes && !existing; i++) existing = cy->nodes[i]->npods_with_anti > 0;
    if (!existing && !pod->naffinity && !pod->nanti) return CK_SKIP;
    ipa_state *s = calloc(1, sizeof *s);
    if (!s || !(s->affinity = ck_strmap_new()) || !(s->anti = ck_strmap_new()) ||
        !(s->existing_anti = ck_strmap_new()))
        goto oom;
    *state = s;
    for (size_t i = 0; i < cy->nnodes; i++) {
        const ck_node_info *m = cy->nodes[i];
        if (!pod->naffinity && !pod->nanti && !m->npods_with_anti) continue;
        for (size_t j = 0; j < m->npods; j++)
            if (count_pod(s, pod, m->pods[j], m) < 0) return ck_status_add(st, CK_UNRESOLVABLE, "out of memory");
    }
    return CK_SUCCESS;
oom:
    if (s) state_free(s);
    return ck_status_add(st, CK_UNRESOLVABLE, "out of memory");
}

static bool satisfies_existing_anti(const ipa_state *s, const ck_node_info *n)
{
    if (!ck_strmap_len(s->existing_anti)) return true;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)n->labels, k, v)
        if (json_is_string(v) && count(s->existing_anti, k, json_string_value(v)) > 0) return false;
    return true;
}

static bool satisfies_affinity(const ipa_state *s, const ck_pod_info *pod, const ck_node_info *n)
{
    bool pods_exist = true;
    for (size_t i = 0; i < pod->naffinity; i++) {
        const char *v = ck_node_label(n, pod->affinity[i].topology_key);
        if (!v) return false;  /* every topology label must exist on the node */
        if (count(s->affinity, pod->affinity[i].topology_key, v) <= 0) pods_exist = false;
    }
    /* The first pod of a group with affinity to itself may go anywhere. */
    return pods_exist ||
           (!ck_strmap_len(s->affinity) && matches_all(pod->affinity, pod->naffinity, pod));
}

static ck_code filter(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    const ipa_state *s = state;
    if (!s) return CK_SUCCESS;
    for (size_t i = 0; i < pod->nanti; i++) {
        const char *v = ck_node_label(n, pod->anti_affinity[i].topology_key);
        if (v && count(s->anti, pod->anti_affinity[i].topology_key, v) > 0)
            return ck_status_add(st, CK_UNSCHEDULABLE, "node(s) didn't match pod anti-affinity rules");
    }
    if (!satisfies_existing_anti(s, n))
        return ck_status_add(st, CK_UNSCHEDULABLE, "node(s) didn't satisfy existing pods anti-affinity rules");
    if (!satisfies_affinity(s, pod, n))
        return ck_status_add(st, CK_UNRESOLVABLE, "node(s) didn't match pod affinity rules");
    return CK_SUCCESS;
}

const ck_plugin ck_plugin_inter_pod_affinity = {
    .name = "InterPodAffinity", .weight = 2, .prefilter = prefilter, .filter = filter,
    .state_free = state_free,
};
