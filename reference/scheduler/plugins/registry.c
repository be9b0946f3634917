/* registry.c: the default profile's plugin table, in upstream's order
 * (pkg/scheduler/apis/config/v1/default_plugins.go). Filters run in this
 * order and stop at the first failure; scores are weighted as listed there. */
#include "scheduler/plugins/plugins.h"

const ck_plugin *const ck_default_plugins[] = {
    &ck_plugin_node_unschedulable,
    &ck_plugin_node_name,
    &ck_plugin_taint_toleration,
    &ck_plugin_node_affinity,
    &ck_plugin_node_ports,
    &ck_plugin_node_resources_fit,
    &ck_plugin_selector_spread,
    &ck_plugin_inter_pod_affinity,
    &ck_plugin_balanced_allocation,
    NULL,
};
