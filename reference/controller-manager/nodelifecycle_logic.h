/* nodelifecycle_logic.h: pure decisions of the node lifecycle controller
 * (pkg/controller/nodelifecycle/node_lifecycle_controller.go) and the
 * NoExecute taint eviction manager (pkg/controller/tainteviction). */
#ifndef CK_CM_NODELIFECYCLE_LOGIC_H
#define CK_CM_NODELIFECYCLE_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#define CK_TAINT_UNREACHABLE "node.kubernetes.io/unreachable"
#define CK_TAINT_NOT_READY "node.kubernetes.io/not-ready"

/* tryUpdateNodeHealth after the grace period: Ready and the pressure
 * conditions become Unknown ("NodeStatusUnknown" / "Kubelet stopped posting
 * node status."; missing ones "NodeStatusNeverUpdated"). True if changed. */
bool ck_nl_mark_unknown(json_t *node, const char *now);
/* The Ready condition's status ("True", "False", "Unknown", "" if none). */
const char *ck_nl_ready_status(const json_t *node);

/* The taints the node should carry: its own taints minus the ones this
 * controller manages, plus not-ready / unreachable (NoExecute and
 * NoSchedule) from Ready, the pressure NoSchedule taints, and unschedulable.
 * Existing managed taints keep their timeAdded. New array. */
json_t *ck_nl_desired_taints(const json_t *node, const char *now);
/* Same taints, ignoring order (compares key/effect/value). */
bool ck_nl_taints_equal(const json_t *a, const json_t *b);

/* ToleratesTaint. */
bool ck_nl_tolerates(const json_t *toleration, const json_t *taint);
/* How long pod may stay on a node with `taints` (getMinTolerationTime over
 * GetMatchingTolerations of the NoExecute taints): -1 forever (no NoExecute
 * taint, or no tolerationSeconds on the tolerations used), 0 evict now (an
 * untolerated NoExecute taint, or tolerationSeconds <= 0), else seconds.
 * Counted, as upstream, from when the eviction manager first sees the
 * taint on the pod's node, not from the taint's timeAdded. */
long ck_nl_min_toleration(const json_t *pod, const json_t *taints);
#endif
