/* daemonset_logic.h: the pure decisions of the DaemonSet controller
 * (pkg/controller/daemon/daemon_controller.go, update.go and
 * util/daemonset_util.go): which nodes should run a daemon pod (node
 * selector, required node affinity, taints vs tolerations), the pod for a
 * node (default tolerations, matchFields metadata.name affinity), and one
 * sync's creations, deletions (surplus, failed, RollingUpdate) and status. */
#ifndef CK_CM_DAEMONSET_LOGIC_H
#define CK_CM_DAEMONSET_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#define CK_DS_GENERATION_LABEL "pod-template-generation"  /* DaemonSetTemplateGenerationKey */

/* NodeShouldRunDaemonPod: *should_run when a new pod may be placed there,
 * *should_continue when an existing one may stay (NoExecute taints only). */
void ck_ds_node_should_run(const json_t *ds, const json_t *node, bool *should_run, bool *should_continue);
/* True when the node's labels/name satisfy the required node affinity of
 * a pod spec (NodeSelectorTerms ORed; expressions and fields ANDed). */
bool ck_node_affinity_matches(const json_t *podspec, const json_t *node);
/* True when the tolerations (array) tolerate the taint (ToleratesTaint). */
bool ck_toleration_tolerates(const json_t *tolerations, const json_t *taint);
/* AddOrUpdateDaemonPodTolerations on a pod spec (modified in place). */
void ck_ds_add_default_tolerations(json_t *podspec);

/* The daemon pod for `node`: template, generateName "<ds>-", labels
 * controller-revision-hash=<hash> and pod-template-generation, default
 * tolerations, node affinity replaced by matchFields metadata.name In
 * [node]. New ref. */
json_t *ck_ds_new_pod(const json_t *ds, const char *node, const char *hash);
/* The node a daemon pod runs on or targets: spec.nodeName, else the
 * matchFields metadata.name value of its required affinity; "" if none. */
const char *ck_ds_target_node(const json_t *pod);

typedef struct ck_ds_plan {
    json_t *create_nodes;  /* node names to create a pod on (new array of strings) */
    json_t *to_delete;     /* pods to delete (new array) */
    json_t *failed;        /* failed pods found (for FailedDaemonPod events; subset of to_delete) */
    json_t *status;        /* new status (new ref) */
} ck_ds_plan;

/* One sync for ds with all `nodes`, its owned `pods` and the current
 * revision `hash` at `now`. 0 or -1 (OOM). Clear with ck_ds_plan_clear. */
int ck_ds_plan_compute(const json_t *ds, const json_t *nodes, const json_t *pods, const char *hash, time_t now,
                       ck_ds_plan *plan);
void ck_ds_plan_clear(ck_ds_plan *plan);
#endif
