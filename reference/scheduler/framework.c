/* framework.c: one scheduling cycle for one pod (upstream schedule_one.go:
 * schedulePod, findNodesThatFitPod, prioritizeNodes, selectHost). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scheduler/framework.h"

#define CK_MAX_PLUGINS 32
/* upstream minFeasibleNodesToFind / minFeasibleNodesPercentageToFind */
#define MIN_FEASIBLE_NODES 100
#define MIN_FEASIBLE_PERCENTAGE 5

ck_code ck_status_add(ck_status *st, ck_code code, const char *reason)
{
    if (code > st->code && code != CK_SKIP) st->code = code;
    if (reason && st->nreasons < CK_MAX_REASONS)
        snprintf(st->reasons[st->nreasons++], CK_REASON_LEN, "%s", reason);
    return st->code;
}

void ck_default_normalize(int64_t max_priority, bool reverse, int64_t *scores, size_t n)
{
    int64_t max = 0;
    for (size_t i = 0; i < n; i++) if (scores[i] > max) max = scores[i];
    if (max == 0) {
        if (reverse) for (size_t i = 0; i < n; i++) scores[i] = max_priority;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t s = max_priority * scores[i] / max;
        scores[i] = reverse ? max_priority - s : s;
    }
}

void ck_framework_init(ck_framework *fw, const ck_plugin *const *plugins, unsigned int seed)
{
    memset(fw, 0, sizeof *fw);
    fw->plugins = plugins ? plugins : ck_default_plugins;
    fw->rand_state = seed ? seed : 1;
}

void ck_diagnosis_clear(ck_diagnosis *d)
{
    free(d->failed);
    memset(d, 0, sizeof *d);
}

size_t ck_num_feasible_nodes_to_find(int percentage, size_t all)
{
    if (all < MIN_FEASIBLE_NODES) return all;
    long pct = percentage;
    if (pct <= 0) {
        pct = 50 - (long)all / 125;
        if (pct < MIN_FEASIBLE_PERCENTAGE) pct = MIN_FEASIBLE_PERCENTAGE;
    }
    if (pct > 100) pct = 100;
    size_t n = all * (size_t)pct / 100;
    return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : n;
}

typedef struct cycle_state { void *state[CK_MAX_PLUGINS]; size_t n; } cycle_state;

static void states_free(const ck_plugin *const *pl, cycle_state *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        if (cs->state[i] && pl[i]->state_free) pl[i]->state_free(cs->state[i]);
}

/* RunPreFilterPlugins: the first non-success status ends the cycle. */
static ck_code run_prefilters(const ck_plugin *const *pl, const ck_cycle *cy, const ck_pod_info *pod,
                              cycle_state *cs, ck_status *st)
{
    memset(cs, 0, sizeof *cs);
    for (size_t i = 0; pl[i] && i < CK_MAX_PLUGINS; i++) {
        cs->n = i + 1;
        if (!pl[i]->prefilter) continue;
        memset(st, 0, sizeof *st);
        ck_code c = pl[i]->prefilter(cy, pod, &cs->state[i], st);
        if (c != CK_SUCCESS && c != CK_SKIP) return c;
    }
    memset(st, 0, sizeof *st);
    return CK_SUCCESS;
}

/* RunFilterPlugins: plugins in order, stopping at the first failure. */
static ck_code filter_node(const ck_plugin *const *pl, const cycle_state *cs, const ck_pod_info *pod,
                           const ck_node_info *n, ck_status *st)
{
    st->code = CK_SUCCESS;
    st->nreasons = 0;
    for (size_t i = 0; i < cs->n; i++) {
        if (!pl[i]->filter) continue;
        ck_code c = pl[i]->filter(cs->state[i], pod, n, st);
        if (c != CK_SUCCESS) return c;
    }
    return CK_SUCCESS;
}

ck_code ck_run_filters(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                       const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    ck_cycle cy = {nodes, nnodes};
    cycle_state cs;
    ck_code c = run_prefilters(fw->plugins, &cy, pod, &cs, st);
    if (c == CK_SUCCESS) c = filter_node(fw->plugins, &cs, pod, n, st);
    states_free(fw->plugins, &cs);
    return c;
}

static int diag_add(ck_diagnosis *d, const ck_node_info *n, const ck_status *st)
{
    if (d->nfailed == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        ck_node_status *f = realloc(d->failed, cap * sizeof *f);
        if (!f) return -1;
        d->failed = f;
        d->cap = cap;
    }
    d->failed[d->nfailed].node = n;
    d->failed[d->nfailed++].status = *st;
    return 0;
}

/* prioritizeNodes: sum over score plugins of normalized score * weight. */
static int score_nodes(const ck_plugin *const *pl, const cycle_state *cs, const ck_pod_info *pod,
                       ck_node_info **feasible, size_t nf, int64_t *total)
{
    int64_t *s = malloc(nf * sizeof *s);
    if (!s) return -1;
    memset(total, 0, nf * sizeof *total);
    for (size_t i = 0; i < cs->n; i++) {
        if (!pl[i]->score || pl[i]->weight <= 0) continue;
        for (size_t j = 0; j < nf; j++) s[j] = pl[i]->score(cs->state[i], pod, feasible[j]);
        if (pl[i]->normalize) pl[i]->normalize(s, nf);
        for (size_t j = 0; j < nf; j++) total[j] += s[j] * pl[i]->weight;
    }
    free(s);
    return 0;
}

/* selectHost: the highest score; ties broken uniformly (reservoir sampling). */
static size_t select_host(ck_framework *fw, const int64_t *total, size_t nf)
{
    size_t best = 0, ties = 1;
    for (size_t j = 1; j < nf; j++) {
        if (total[j] > total[best]) { best = j; ties = 1; }
        else if (total[j] == total[best] && (size_t)rand_r(&fw->rand_state) % ++ties == 0) best = j;
    }
    return best;
}

static int find_feasible(ck_framework *fw, ck_node_info *const *nodes, size_t nnodes, const cycle_state *cs,
                         const ck_pod_info *pod, ck_node_info **feasible, ck_schedule_result *res,
                         ck_diagnosis *diag)
{
    size_t want = ck_num_feasible_nodes_to_find(fw->percentage_of_nodes_to_score, nnodes);
    size_t start = nnodes ? fw->next_start_node_index % nnodes : 0, i;
    ck_status st;
    for (i = 0; i < nnodes && res->feasible < want; i++) {
        ck_node_info *n = nodes[(start + i) % nnodes];
        if (filter_node(fw->plugins, cs, pod, n, &st) == CK_SUCCESS) feasible[res->feasible++] = n;
        else if (diag_add(diag, n, &st) < 0) return -1;
    }
    res->evaluated = i;
    fw->next_start_node_index = nnodes ? (start + i) % nnodes : 0;
    return 0;
}

int ck_schedule_pod(ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                    const ck_pod_info *pod, ck_schedule_result *res, ck_diagnosis *diag)
{
    memset(res, 0, sizeof *res);
    diag->num_all_nodes = nnodes;
    if (nnodes == 0) return 1;  /* ErrNoNodesAvailable: "0/0 nodes are available" */
    ck_cycle cy = {nodes, nnodes};
    cycle_state cs;
    ck_status st;
    if (run_prefilters(fw->plugins, &cy, pod, &cs, &st) != CK_SUCCESS) {
        snprintf(diag->prefilter_msg, sizeof diag->prefilter_msg, "%s", st.nreasons ? st.reasons[0] : "");
        states_free(fw->plugins, &cs);
        return 1;
    }
    int rc = -1;
    ck_node_info **feasible = malloc(nnodes * sizeof *feasible);
    int64_t *total = malloc(nnodes * sizeof *total);
    if (!feasible || !total || find_feasible(fw, nodes, nnodes, &cs, pod, feasible, res, diag) < 0) goto out;
    rc = 1;
    if (res->feasible == 0) goto out;
    rc = 0;
    if (res->feasible == 1) { res->node = feasible[0]; goto out; }  /* no scoring needed */
    if (score_nodes(fw->plugins, &cs, pod, feasible, res->feasible, total) < 0) { rc = -1; goto out; }
    res->node = feasible[select_host(fw, total, res->feasible)];
out:
    states_free(fw->plugins, &cs);
    free(feasible);
    free(total);
    return rc;
}
