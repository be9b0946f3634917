/* node_resources_fit.c: NodeResourcesFit — the pod's requests must fit the
 * node's allocatable minus what bound and assumed pods request (fitsRequest
 * in plugins/noderesources/fit.go), cpu, memory and every scalar (extended)
 * resource. A request larger than the whole allocatable is
 * UnschedulableAndUnresolvable: preemption cannot help. */
#include <stdio.h>
#include "scheduler/plugins/plugins.h"

static ck_code filter(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    ck_code c = CK_SUCCESS;
    if ((int64_t)n->npods + 1 > n->alloc_pods) c = ck_status_add(st, CK_UNSCHEDULABLE, "Too many pods");
    if (pod->cpu_milli > 0 && pod->cpu_milli > n->alloc_cpu_milli - n->req_cpu_milli)
        c = ck_status_add(st, pod->cpu_milli > n->alloc_cpu_milli ? CK_UNRESOLVABLE : CK_UNSCHEDULABLE,
                          "Insufficient cpu");
    if (pod->mem_bytes > 0 && pod->mem_bytes > n->alloc_mem_bytes - n->req_mem_bytes)
        c = ck_status_add(st, pod->mem_bytes > n->alloc_mem_bytes ? CK_UNRESOLVABLE : CK_UNSCHEDULABLE,
                          "Insufficient memory");
    /* fitsRequest: for rName, rQuant := range podRequest.ScalarResources */
    for (size_t i = 0; i < pod->nscalars; i++) {
        const ck_scalar *r = &pod->scalars[i];
        if (r->value == 0) continue;
        int64_t alloc = ck_scalar_get(n->alloc_scalars, n->nalloc_scalars, r->name);
        if (r->value <= alloc - ck_node_requested_scalar(n, r->name)) continue;
        char reason[CK_REASON_LEN];
        snprintf(reason, sizeof reason, "Insufficient %s", r->name);
        c = ck_status_add(st, r->value > alloc ? CK_UNRESOLVABLE : CK_UNSCHEDULABLE, reason);
    }
    return c;
}

const ck_plugin ck_plugin_node_resources_fit = {
    .name = "NodeResourcesFit", .weight = 1, .filter = filter, .score = ck_least_allocated_score,
};
