/* node_ports.c: NodePorts — a requested hostPort conflicts with a pod on the
 * node using the same protocol and port on the same IP or on 0.0.0.0
 * (framework.HostPortInfo.CheckConflict). */
#include <string.h>
#include "scheduler/plugins/plugins.h"

static bool conflicts(const ck_host_port *a, const ck_host_port *b)
{
    if (a->port != b->port || strcmp(a->protocol, b->protocol)) return false;
    return !strcmp(a->ip, b->ip) || !strcmp(a->ip, "0.0.0.0") || !strcmp(b->ip, "0.0.0.0");
}

static ck_code filter(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st)
{
    for (size_t i = 0; i < pod->nports; i++)
        for (size_t j = 0; j < n->npods; j++)
            for (size_t k = 0; k < n->pods[j]->nports; k++)
                if (conflicts(&pod->ports[i], &n->pods[j]->ports[k]))
                    return ck_status_add(st, CK_UNSCHEDULABLE,
                                         "node(s) didn't have free ports for the requested pod ports");
    return CK_SUCCESS;
}

const ck_plugin ck_plugin_node_ports = {.name = "NodePorts", .filter = filter};
