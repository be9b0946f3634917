/* framework.h: the scheduling framework (upstream pkg/scheduler/framework and
 * schedule_one.go's schedulePod): a table of plugins with PreFilter, Filter,
 * Score and NormalizeScore points, the node-sampling rule
 * (percentageOfNodesToScore) and host selection. */
#ifndef CK_SCHED_FRAMEWORK_H
#define CK_SCHED_FRAMEWORK_H
#include <stddef.h>
#include <stdint.h>
#include "scheduler/types.h"

/* framework.Code, reduced to what the default plugins return. */
typedef enum { CK_SUCCESS = 0, CK_UNSCHEDULABLE = 1, CK_UNRESOLVABLE = 2, CK_SKIP = 3 } ck_code;

#define CK_MAX_REASONS 3
#define CK_REASON_LEN 400
#define CK_MAX_NODE_SCORE 100

/* framework.Status: a code and its reasons (each a FitError histogram key). */
typedef struct ck_status {
    ck_code code;
    int nreasons;
    char reasons[CK_MAX_REASONS][CK_REASON_LEN];
} ck_status;
/* Sets code (the worst code wins) and appends a reason when non-NULL. Returns st->code. */
ck_code ck_status_add(ck_status *st, ck_code code, const char *reason);

/* What PreFilter sees: every node of the snapshot (borrowed). */
typedef struct ck_cycle {
    ck_node_info *const *nodes;
    size_t nnodes;
} ck_cycle;

/* One plugin: any extension point may be NULL. `state` is what prefilter
 * stored (freed with state_free at the end of the cycle). */
typedef struct ck_plugin {
    const char *name;      /* upstream plugin name, e.g. "NodeResourcesFit" */
    int weight;            /* upstream default score weight */
    ck_code (*prefilter)(const ck_cycle *cy, const ck_pod_info *pod, void **state, ck_status *st);
    ck_code (*filter)(const void *state, const ck_pod_info *pod, const ck_node_info *n, ck_status *st);
    int64_t (*score)(const void *state, const ck_pod_info *pod, const ck_node_info *n);
    void (*normalize)(int64_t *scores, size_t n);
    void (*state_free)(void *state);
} ck_plugin;

/* pluginhelper.DefaultNormalizeScore: scale to 0..max by the highest score,
 * reversed (max - score) when `reverse`. */
void ck_default_normalize(int64_t max_priority, bool reverse, int64_t *scores, size_t n);

/* The default profile's plugins, in upstream's order (NULL-terminated). */
extern const ck_plugin *const ck_default_plugins[];

typedef struct ck_framework {
    const ck_plugin *const *plugins;   /* NULL-terminated table (borrowed) */
    int percentage_of_nodes_to_score;  /* 0 = adaptive, as upstream */
    size_t next_start_node_index;      /* rotates the sampled window */
    unsigned int rand_state;           /* tie-breaking among equal scores */
} ck_framework;
void ck_framework_init(ck_framework *fw, const ck_plugin *const *plugins, unsigned int seed);

/* A node that failed filtering, as the FitError diagnosis keeps it. */
typedef struct ck_node_status {
    const ck_node_info *node;
    ck_status status;
} ck_node_status;

typedef struct ck_diagnosis {
    size_t num_all_nodes;
    char prefilter_msg[CK_REASON_LEN];
    ck_node_status *failed; size_t nfailed, cap;  /* owned */
} ck_diagnosis;
void ck_diagnosis_clear(ck_diagnosis *d);

typedef struct ck_schedule_result {
    ck_node_info *node;          /* the suggested host (borrowed), NULL when none fits */
    size_t evaluated, feasible;
} ck_schedule_result;

/* schedulePod: PreFilter, Filter over a rotating sample (numFeasibleNodesToFind),
 * Score + NormalizeScore * weight, then the highest total (random among ties).
 * Returns 0 with res->node set, 1 when no node fits (diag filled), -1 on OOM. */
int ck_schedule_pod(ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                    const ck_pod_info *pod, ck_schedule_result *res, ck_diagnosis *diag);
/* upstream numFeasibleNodesToFind: how many feasible nodes to look for. */
size_t ck_num_feasible_nodes_to_find(int percentage, size_t num_all_nodes);
/* Runs every Filter of fw for pod on one node with fresh PreFilter state
 * (used by the preemption diagnosis). The status is in *st. */
ck_code ck_run_filters(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                       const ck_pod_info *pod, const ck_node_info *n, ck_status *st);
#endif
