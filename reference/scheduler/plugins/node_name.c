/* node_name.c: NodeName — a pod that names its node fits only that node. */
#include <string.h>
#include "scheduler/plugins/plugins.h"

static ck_code filter(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    if (!*pod->node_name || !strcmp(pod->node_name, n->name)) return CK_SUCCESS;
    return ck_status_add(st, CK_UNRESOLVABLE, "node(s) didn't match the requested node name");
}

const ck_plugin ck_plugin_node_name = {.name = "NodeName", .filter = filter};
