/* preemption.h: the DefaultPreemption PostFilter
 * (pkg/scheduler/framework/plugins/defaultpreemption, framework/preemption):
 * when a pod fits nowhere, pick the node where evicting the fewest and
 * least important lower-priority pods makes it fit (plugins/default_preemption.c,
 * no I/O), then nominate it and evict the victims (preemption_exec.c). */
#ifndef CK_SCHED_PREEMPTION_H
#define CK_SCHED_PREEMPTION_H
#include <jansson.h>
#include "client/rest.h"
#include "scheduler/framework.h"

/* The chosen node and its victims, most important first. */
typedef struct ck_preemption_candidate {
    char node[256];
    json_t **victims;         /* owned references to the victim Pods */
    size_t nvictims;
    int num_pdb_violations;
} ck_preemption_candidate;
void ck_preemption_candidate_clear(ck_preemption_candidate *c);

/* PostFilter: pod failed on every node (d from ck_schedule_pod). pdbs is a
 * JSON array of policy/v1 PodDisruptionBudgets (borrowed, may be NULL).
 * Nodes are modified during the dry runs and restored (hold the cache lock).
 * Returns 1 with *out filled when preemption helps; 0 when it does not, with
 * the PostFilter text in msg ("preemption: ..." without the final '.');
 * -1 on OOM. */
int ck_preempt_select(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                      const ck_pod_info *pod, const ck_diagnosis *d, const json_t *pdbs,
                      ck_preemption_candidate *out, char *msg, size_t msglen);

/* upstream MoreImportantPod: higher priority, then earlier start time. */
bool ck_more_important_pod(const ck_pod_info *a, const ck_pod_info *b);

/* Lists every PodDisruptionBudget (policy/v1). A new array, or an empty one
 * when the list fails (logged). Never NULL unless out of memory. */
json_t *ck_preemption_list_pdbs(ck_rest *rest);

/* prepareCandidate + the nomination: for each victim patch the
 * DisruptionTarget condition on pods/status, delete it (its own grace
 * period) and record `Preempted`; then set the preemptor's
 * status.nominatedNodeName. scheduler is the reporting scheduler's name.
 * 0, or -1 when a victim could not be deleted (logged). */
int ck_preemption_execute(ck_rest *rest, const char *scheduler, const json_t *pod,
                          const ck_preemption_candidate *c);
#endif
