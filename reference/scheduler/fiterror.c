/* fiterror.c: FitError.Error() and the DefaultPreemption diagnosis text
 * (pkg/scheduler/framework/types.go, framework/preemption/preemption.go,
 * plugins/defaultpreemption/default_preemption.go). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scheduler/fiterror.h"

typedef struct hist { const char *reason; size_t count; } hist;
typedef struct strbuf { char *s; size_t len, cap; bool oom; } strbuf;

static void sb_add(strbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->oom) return;
    if (b->len + l + 1 > b->cap) {
        size_t cap = (b->len + l + 1) * 2;
        char *n = realloc(b->s, cap);
        if (!n) { b->oom = true; return; }
        b->s = n;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, l + 1);
    b->len += l;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "<count> <reason>" for each distinct reason, sorted as strings. */
static int histogram(const ck_diagnosis *d, strbuf *out)
{
    size_t total = 0, n = 0;
    for (size_t i = 0; i < d->nfailed; i++) total += (size_t)d->failed[i].status.nreasons;
    if (!total) return 0;
    hist *h = calloc(total, sizeof *h);
    char **lines = calloc(total, sizeof *lines);
    int rc = -1;
    if (!h || !lines) goto out;
    for (size_t i = 0; i < d->nfailed; i++)
        for (int r = 0; r < d->failed[i].status.nreasons; r++) {
            const char *reason = d->failed[i].status.reasons[r];
            size_t k = 0;
            while (k < n && strcmp(h[k].reason, reason)) k++;
            if (k == n) h[n++].reason = reason;
            h[k].count++;
        }
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(h[k].reason) + 24;
        if (!(lines[k] = malloc(l))) goto out;
        snprintf(lines[k], l, "%zu %s", h[k].count, h[k].reason);
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    sb_add(out, " ");
    for (size_t k = 0; k < n; k++) {
        if (k) sb_add(out, ", ");
        sb_add(out, lines[k]);
    }
    sb_add(out, ".");
    rc = 0;
out:
    for (size_t k = 0; lines && k < n; k++) free(lines[k]);
    free(lines);
    free(h);
    return rc;
}

/* Builds the message without consulting out->oom; caller checks. */
static int fit_error(const ck_diagnosis *d, const char *postfilter, strbuf *b)
{
    char head[64];
    snprintf(head, sizeof head, "0/%zu nodes are available:", d->num_all_nodes);
    sb_add(b, head);
    if (d->prefilter_msg[0]) {
        sb_add(b, " ");
        sb_add(b, d->prefilter_msg);
        sb_add(b, ".");
    } else if (histogram(d, b) < 0) {
        return -1;
    }
    if (postfilter && *postfilter) {
        sb_add(b, " ");
        sb_add(b, postfilter);
        sb_add(b, ".");
    }
    return b->oom ? -1 : 0;
}

char *ck_fit_error_message(const ck_diagnosis *d, const char *postfilter)
{
    strbuf b = {0};
    if (fit_error(d, postfilter, &b) < 0) { free(b.s); return NULL; }
    return b.s;
}

/* SelectVictimsOnNode's verdict for one node that failed with Unschedulable:
 * no lower-priority pod -> "No preemption victims found for incoming pod";
 * otherwise the filters' status with every lower-priority pod removed.
 * Returns true when the pod would fit after evicting (preemption could help). */
static bool dry_run_node(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                         const ck_pod_info *pod, ck_node_info *n, ck_status *st)
{
    ck_pod_info **victims = malloc((n->npods + 1) * sizeof *victims);
    size_t nv = 0;
    memset(st, 0, sizeof *st);
    for (size_t i = 0; victims && i < n->npods; i++)
        if (n->pods[i]->priority < pod->priority) victims[nv++] = n->pods[i];
    if (nv == 0) {
        free(victims);
        ck_status_add(st, CK_UNRESOLVABLE, "No preemption victims found for incoming pod");
        return false;
    }
    for (size_t i = 0; i < nv; i++) ck_node_info_remove_pod(n, victims[i]);
    bool fits = ck_run_filters(fw, nodes, nnodes, pod, n, st) == CK_SUCCESS;
    for (size_t i = 0; i < nv; i++) ck_node_info_add_pod(n, victims[i]);  /* capacity is kept */
    free(victims);
    return fits;
}

char *ck_preemption_message(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                            const ck_pod_info *pod, const ck_diagnosis *d)
{
    if (pod->preempt_never) return strdup("preemption: not eligible due to preemptionPolicy=Never");
    ck_diagnosis inner = {.num_all_nodes = d->nfailed};
    inner.failed = calloc(d->nfailed ? d->nfailed : 1, sizeof *inner.failed);
    if (!inner.failed) return NULL;
    inner.cap = d->nfailed;
    bool helps = false;
    for (size_t i = 0; i < d->nfailed; i++) {
        ck_node_status *ns = &inner.failed[inner.nfailed++];
        ns->node = d->failed[i].node;
        if (d->failed[i].status.code == CK_UNRESOLVABLE)
            ck_status_add(&ns->status, CK_UNRESOLVABLE, "Preemption is not helpful for scheduling");
        else if (dry_run_node(fw, nodes, nnodes, pod, (ck_node_info *)d->failed[i].node, &ns->status))
            helps = true;
    }
    strbuf b = {0};
    /* A node where eviction would help: upstream preempts there and reports
     * no PostFilter message (ckube does not evict yet, see README). */
    if (helps) { ck_diagnosis_clear(&inner); return strdup(""); }
    sb_add(&b, "preemption: ");
    int rc = fit_error(&inner, NULL, &b);
    ck_diagnosis_clear(&inner);
    if (rc < 0) { free(b.s); return NULL; }
    if (b.len && b.s[b.len - 1] == '.') b.s[--b.len] = 0;  /* FitError adds the final '.' */
    return b.s;
}
