/* default_preemption.c: DefaultPreemption's choice, without I/O
 * (framework/preemption/preemption.go Preempt/DryRunPreemption,
 * plugins/defaultpreemption/default_preemption.go SelectVictimsOnNode and
 * PodEligibleToPreemptOthers, pickOneNodeForPreemption). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scheduler/fiterror.h"
#include "scheduler/preemption.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

/* util.GetPodStartTime: status.startTime, else creation (a pod not started yet). */
static int64_t start_time(const ck_pod_info *p)
{
    const char *s = ck_json_str(p->obj, "status.startTime", "");
    time_t t = *s ? ck_time_parse(s) : -1;
    return t < 0 ? p->creation : (int64_t)t;
}

bool ck_more_important_pod(const ck_pod_info *a, const ck_pod_info *b)
{
    if (a->priority != b->priority) return a->priority > b->priority;
    return start_time(a) < start_time(b);
}

static int cmp_importance(const void *x, const void *y)
{
    const ck_pod_info *a = *(ck_pod_info *const *)x, *b = *(ck_pod_info *const *)y;
    if (ck_more_important_pod(a, b)) return -1;
    return ck_more_important_pod(b, a) ? 1 : 0;
}

/* podTerminatingByPreemption: deleting, with DisruptionTarget/PreemptionByScheduler. */
static bool terminating_by_preemption(const ck_pod_info *p)
{
    if (!p->terminating) return false;
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(p->obj, "status.conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), "DisruptionTarget") &&
            !strcmp(ck_json_str(c, "reason", ""), "PreemptionByScheduler"))
            return true;
    return false;
}

/* PodEligibleToPreemptOthers: NULL, or why not. */
static const char *not_eligible(ck_node_info *const *nodes, size_t nnodes, const ck_pod_info *pod,
                                const ck_diagnosis *d)
{
    if (pod->preempt_never) return "not eligible due to preemptionPolicy=Never";
    const char *nom = ck_json_str(pod->obj, "status.nominatedNodeName", "");
    if (!*nom) return NULL;
    for (size_t i = 0; i < d->nfailed; i++)  /* the nominated node may not be fixable at all */
        if (!strcmp(d->failed[i].node->name, nom) && d->failed[i].status.code == CK_UNRESOLVABLE) return NULL;
    for (size_t i = 0; i < nnodes; i++) {
        if (strcmp(nodes[i]->name, nom)) continue;
        for (size_t j = 0; j < nodes[i]->npods; j++)
            if (nodes[i]->pods[j]->priority < pod->priority && terminating_by_preemption(nodes[i]->pods[j]))
                return "not eligible due to a terminating pod on the nominated node";
    }
    return NULL;
}

/* filterPodsWithPDBViolation: walking pods (most important first), a pod whose
 * matching PDB has no disruption left is violating. */
static bool *pdb_violations(ck_pod_info **pods, size_t n, const json_t *pdbs)
{
    size_t np = json_array_size(pdbs);
    bool *viol = calloc(n ? n : 1, sizeof *viol);
    long long *allowed = calloc(np ? np : 1, sizeof *allowed);
    if (!viol || !allowed) { free(viol); free(allowed); return NULL; }
    for (size_t k = 0; k < np; k++)
        allowed[k] = ck_json_int(json_array_get(pdbs, k), "status.disruptionsAllowed", 0);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < np; k++) {
            const json_t *pdb = json_array_get(pdbs, k);
            if (strcmp(ck_json_str(pdb, "metadata.namespace", ""), pods[i]->namespace)) continue;
            char err[128];
            ck_label_selector *sel = ck_label_selector_from_json(ck_json_path(pdb, "spec.selector"), err, sizeof err);
            bool match = sel && !ck_label_selector_empty(sel) && ck_label_selector_matches(sel, pods[i]->labels);
            ck_label_selector_free(sel);
            if (!match) continue;
            /* already counted by the disruption controller */
            if (json_object_get(ck_json_path(pdb, "status.disruptedPods"), pods[i]->name)) continue;
            if (--allowed[k] < 0) viol[i] = true;
        }
    }
    free(allowed);
    return viol;
}

typedef struct node_victims {
    ck_node_info *node;
    ck_pod_info **victims; size_t nvictims;  /* borrowed, most important first */
    int pdb_violations;
} node_victims;

/* SelectVictimsOnNode: remove every lower-priority pod; if the pod then fits,
 * add them back most important first (PDB-violating ones before the others)
 * keeping each one that still lets the pod fit. The node is restored.
 * 1 candidate, 0 not, -1 OOM. */
static int select_victims(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                          const ck_pod_info *pod, ck_node_info *n, const json_t *pdbs, node_victims *out)
{
    ck_pod_info **pot = malloc((n->npods + 1) * sizeof *pot);
    if (!pot) return -1;
    size_t np = 0;
    for (size_t i = 0; i < n->npods; i++)
        if (n->pods[i]->priority < pod->priority) pot[np++] = n->pods[i];
    for (size_t i = 0; i < np; i++) ck_node_info_remove_pod(n, pot[i]);
    ck_status st = {0};
    int rc = 0;
    out->victims = malloc((np + 1) * sizeof *out->victims);
    out->nvictims = 0;
    out->pdb_violations = 0;
    bool *viol = NULL;
    if (!out->victims) { rc = -1; goto restore; }
    if (np == 0 || ck_run_filters(fw, nodes, nnodes, pod, n, &st) != CK_SUCCESS) goto restore;
    qsort(pot, np, sizeof *pot, cmp_importance);
    if (!(viol = pdb_violations(pot, np, pdbs))) { rc = -1; goto restore; }
    for (int pass = 0; pass < 2; pass++)  /* violating first: they are reprieved first */
        for (size_t i = 0; i < np; i++) {
            if (viol[i] != (pass == 0)) continue;
            if (ck_node_info_add_pod(n, pot[i]) < 0) { rc = -1; goto restore; }
            memset(&st, 0, sizeof st);
            if (ck_run_filters(fw, nodes, nnodes, pod, n, &st) == CK_SUCCESS) { pot[i] = NULL; continue; }
            ck_node_info_remove_pod(n, pot[i]);
            out->victims[out->nvictims++] = pot[i];
            if (viol[i]) out->pdb_violations++;
        }
    qsort(out->victims, out->nvictims, sizeof *out->victims, cmp_importance);
    rc = 1;
restore:
    /* reprieved pods (NULLed) are back on the node; the rest are put back */
    for (size_t i = 0; i < np; i++)
        if (pot[i]) ck_node_info_add_pod(n, pot[i]);
    free(viol);
    free(pot);
    if (rc != 1) { free(out->victims); out->victims = NULL; out->nvictims = 0; }
    return rc;
}

/* pickOneNodeForPreemption's criteria, in order: fewest PDB violations,
 * lowest highest-priority victim, smallest sum of priorities (each shifted
 * by MaxInt32+1 so that negatives count), fewest victims, latest start of
 * the highest-priority victims; then the first. True when a beats b. */
static bool better(const node_victims *a, const node_victims *b)
{
    if (a->pdb_violations != b->pdb_violations) return a->pdb_violations < b->pdb_violations;
    if (!a->nvictims || !b->nvictims) return !a->nvictims && b->nvictims;  /* no victims: take it */
    int32_t ha = a->victims[0]->priority, hb = b->victims[0]->priority;
    if (ha != hb) return ha < hb;
    int64_t sa = 0, sb = 0;
    for (size_t i = 0; i < a->nvictims; i++) sa += (int64_t)a->victims[i]->priority + INT32_MAX + 1;
    for (size_t i = 0; i < b->nvictims; i++) sb += (int64_t)b->victims[i]->priority + INT32_MAX + 1;
    if (sa != sb) return sa < sb;
    if (a->nvictims != b->nvictims) return a->nvictims < b->nvictims;
    /* GetEarliestPodStartTime among the victims of the highest priority */
    int64_t ea = INT64_MAX, eb = INT64_MAX;
    for (size_t i = 0; i < a->nvictims && a->victims[i]->priority == ha; i++)
        if (start_time(a->victims[i]) < ea) ea = start_time(a->victims[i]);
    for (size_t i = 0; i < b->nvictims && b->victims[i]->priority == hb; i++)
        if (start_time(b->victims[i]) < eb) eb = start_time(b->victims[i]);
    return ea > eb;
}

void ck_preemption_candidate_clear(ck_preemption_candidate *c)
{
    for (size_t i = 0; i < c->nvictims; i++) json_decref(c->victims[i]);
    free(c->victims);
    memset(c, 0, sizeof *c);
}

static int fill_candidate(const node_victims *b, ck_preemption_candidate *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->node, sizeof out->node, "%s", b->node->name);
    if (!(out->victims = calloc(b->nvictims ? b->nvictims : 1, sizeof *out->victims))) return -1;
    for (size_t i = 0; i < b->nvictims; i++) out->victims[i] = json_incref(b->victims[i]->obj);
    out->nvictims = b->nvictims;
    out->num_pdb_violations = b->pdb_violations;
    return 1;
}

int ck_preempt_select(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                      const ck_pod_info *pod, const ck_diagnosis *d, const json_t *pdbs,
                      ck_preemption_candidate *out, char *msg, size_t msglen)
{
    memset(out, 0, sizeof *out);
    const char *why = not_eligible(nodes, nnodes, pod, d);
    if (why) { snprintf(msg, msglen, "preemption: %s", why); return 0; }
    node_victims best = {0}, cur;
    bool have = false;
    int rc = 0;
    /* nodesWherePreemptionMightHelp: only nodes that failed with Unschedulable */
    for (size_t i = 0; i < d->nfailed && rc >= 0; i++) {
        if (d->failed[i].status.code == CK_UNRESOLVABLE) continue;
        int r = select_victims(fw, nodes, nnodes, pod, (ck_node_info *)d->failed[i].node, pdbs, &cur);
        if (r < 0) { rc = -1; break; }
        if (r == 0) continue;
        cur.node = (ck_node_info *)d->failed[i].node;
        if (!have || better(&cur, &best)) {
            free(best.victims);
            best = cur;
            have = true;
        } else {
            free(cur.victims);
        }
    }
    if (rc == 0 && have) rc = fill_candidate(&best, out);
    free(best.victims);
    if (rc != 0) return rc;
    /* nothing helps: the diagnosis text (fiterror.c) */
    char *m = ck_preemption_message(fw, nodes, nnodes, pod, d);
    if (!m) return -1;
    snprintf(msg, msglen, "%s", m);
    free(m);
    return 0;
}
