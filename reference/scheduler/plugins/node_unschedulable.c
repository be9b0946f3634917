/* node_unschedulable.c: NodeUnschedulable — a cordoned node (spec.unschedulable)
 * only takes pods tolerating node.kubernetes.io/unschedulable:NoSchedule. */
#include "scheduler/plugins/plugins.h"

static ck_code filter(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    if (!n->unschedulable) return CK_SUCCESS;
    const ck_taint t = {"node.kubernetes.io/unschedulable", "", CK_EFFECT_NO_SCHEDULE};
    for (size_t i = 0; i < pod->ntolerations; i++)
        if (ck_toleration_tolerates(&pod->tolerations[i], &t)) return CK_SUCCESS;
    return ck_status_add(st, CK_UNRESOLVABLE, "node(s) were unschedulable");
}

const ck_plugin ck_plugin_node_unschedulable = {.name = "NodeUnschedulable", .filter = filter};
