/* plugins.h: the in-tree plugins of ckube's default profile, one file each,
 * named after upstream's pkg/scheduler/framework/plugins/<name>. */
#ifndef CK_SCHED_PLUGINS_H
#define CK_SCHED_PLUGINS_H
#include "scheduler/framework.h"

extern const ck_plugin ck_plugin_node_unschedulable;    /* NodeUnschedulable */
extern const ck_plugin ck_plugin_node_name;             /* NodeName */
extern const ck_plugin ck_plugin_taint_toleration;      /* TaintToleration (filter + score, weight 3) */
extern const ck_plugin ck_plugin_node_affinity;         /* NodeAffinity (filter + score, weight 2) */
extern const ck_plugin ck_plugin_node_ports;            /* NodePorts */
extern const ck_plugin ck_plugin_node_resources_fit;    /* NodeResourcesFit (filter + LeastAllocated, weight 1) */
extern const ck_plugin ck_plugin_selector_spread;       /* spreading by controller (weight 2, PodTopologySpread's) */
extern const ck_plugin ck_plugin_inter_pod_affinity;    /* InterPodAffinity (required terms) */
extern const ck_plugin ck_plugin_balanced_allocation;   /* NodeResourcesBalancedAllocation (weight 1) */

/* Score functions shared between files (NodeResourcesFit scores with the
 * LeastAllocated strategy, least_allocated.c). */
int64_t ck_least_allocated_score(const void *state, const ck_pod_info *pod, const ck_node_info *n);
/* Does the node selector term (matchExpressions AND matchFields) select n? */
bool ck_node_selector_term_matches(const json_t *term, const ck_node_info *n);
#endif
