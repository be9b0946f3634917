/* least_allocated.c: NodeResourcesFit's default scoring strategy
 * (plugins/noderesources/least_allocated.go): the free fraction of cpu and
 * memory after placing the pod, counting non-zero requests, weight 1 each. */
#include "scheduler/plugins/plugins.h"

static int64_t least_requested(int64_t requested, int64_t capacity)
{
    if (capacity == 0 || requested > capacity) return 0;
    return (capacity - requested) * CK_MAX_NODE_SCORE / capacity;
}

int64_t ck_least_allocated_score(const void *state, const ck_pod_info *pod, const ck_node_info *n)
{
    int64_t cpu = least_requested(n->nz_cpu_milli + pod->nz_cpu_milli, n->alloc_cpu_milli);
    int64_t mem = least_requested(n->nz_mem_bytes + pod->nz_mem_bytes, n->alloc_mem_bytes);
    return (cpu + mem) / 2;
}
