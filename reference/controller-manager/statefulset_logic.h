/* statefulset_logic.h: the pure decisions of the StatefulSet controller
 * (pkg/controller/statefulset/stateful_set_control.go updateStatefulSet,
 * stateful_set_utils.go): ordinal pods <set>-0..N-1 with stable hostname
 * and subdomain, OrderedReady vs Parallel, scale down from the highest
 * ordinal, RollingUpdate with partition, OnDelete, status. No I/O. */
#ifndef CK_CM_STATEFULSET_LOGIC_H
#define CK_CM_STATEFULSET_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#define CK_STS_POD_NAME_LABEL "statefulset.kubernetes.io/pod-name"
#define CK_STS_POD_INDEX_LABEL "apps.kubernetes.io/pod-index"

/* The ordinal of "<set>-<n>" for set `set`, -1 when the name is not one. */
int ck_sts_ordinal(const char *set, const char *pod_name);
/* newStatefulSetPod: name "<set>-<i>", hostname = name, subdomain =
 * spec.serviceName, labels + controller-revision-hash=revision + pod-name
 * + pod-index, controller ref. New ref. */
json_t *ck_sts_new_pod(const json_t *set, int ordinal, const char *revision);

/* newVersionedStatefulSetPod's revision choice: a RollingUpdate set
 * recreates ordinals below the partition (below status.currentReplicas
 * without rollingUpdate) at the current revision `cur`, others at `upd`.
 * Returns cur or upd (borrowed). */
const char *ck_sts_pod_revision(const json_t *set, int ordinal, const char *cur, const char *upd);
/* ApplyRevision: a copy of set whose spec.template is the one recorded in
 * ControllerRevision `rev` (its data.spec.template). New ref, NULL when the
 * revision has no template. */
json_t *ck_sts_apply_revision(const json_t *set, const json_t *rev);

typedef struct ck_sts_plan {
    json_t *create;     /* ordinals (ints) to create, in order */
    json_t *to_delete;  /* pods to delete */
    json_t *status;     /* new status (new ref) */
} ck_sts_plan;

/* One sync of `set` with owned `pods` and its update revision name. 0 or -1. */
int ck_sts_plan_compute(const json_t *set, const json_t *pods, const char *update_revision, time_t now,
                        ck_sts_plan *plan);
void ck_sts_plan_clear(ck_sts_plan *plan);
#endif
