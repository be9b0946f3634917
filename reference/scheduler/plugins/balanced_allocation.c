/* balanced_allocation.c: NodeResourcesBalancedAllocation — favours nodes whose
 * cpu and memory fractions stay close after placing the pod: score =
 * (1 - std) * 100, std of two fractions = |a - b| / 2 (balanced_allocation.go).
 * Uses actual requests; a best-effort pod is skipped (same score everywhere). */
#include "scheduler/plugins/plugins.h"

static double fraction(int64_t requested, int64_t capacity)
{
    if (capacity <= 0) return 1.0;
    double f = (double)requested / (double)capacity;
    return f > 1.0 ? 1.0 : f;
}

static int64_t score(const void *state, const ck_pod_info *pod, const ck_node_info *n)
{
    if (pod->cpu_milli == 0 && pod->mem_bytes == 0) return 0;
    double c = fraction(n->req_cpu_milli + pod->cpu_milli, n->alloc_cpu_milli);
    double m = fraction(n->req_mem_bytes + pod->mem_bytes, n->alloc_mem_bytes);
    double std = (c > m ? c - m : m - c) / 2;
    return (int64_t)((1.0 - std) * CK_MAX_NODE_SCORE);
}

const ck_plugin ck_plugin_balanced_allocation = {
    .name = "NodeResourcesBalancedAllocation", .weight = 1, .score = score,
};
