/* replicaset_logic.h: the pure decisions of the ReplicaSet controller
 * (pkg/controller/replicaset + pkg/controller/controller_utils.go): active
 * pods, which pods to delete first, the pod a template makes, status,
 * slow-start batches. No I/O: callers pass objects and the time. */
#ifndef CK_CM_REPLICASET_LOGIC_H
#define CK_CM_REPLICASET_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <time.h>
#include "api/selector.h"

#define CK_RS_BURST_REPLICAS 500        /* BurstReplicas: creates/deletes per sync */
#define CK_RS_SLOW_START_INITIAL_BATCH 1  /* controller.SlowStartInitialBatchSize */

/* Which workload owns the pods: ReplicaSet (apps/v1) or
 * ReplicationController (v1, selector is a plain label map). */
typedef struct ck_rs_kind {
    const char *group, *version, *resource, *kind, *api_version;
    bool map_selector;
} ck_rs_kind;
extern const ck_rs_kind CK_RS_KIND_REPLICASET, CK_RS_KIND_RC;

/* IsPodActive: not Succeeded/Failed and no deletionTimestamp. */
bool ck_pod_is_active(const json_t *pod);
/* IsPodReady: condition Ready is "True". */
bool ck_pod_is_ready(const json_t *pod);
/* IsPodAvailable: ready for at least min_ready_seconds at `now`. */
bool ck_pod_is_available(const json_t *pod, long min_ready_seconds, time_t now);

/* The controller ownerReference of obj (controller: true), or NULL. Borrowed. */
json_t *ck_controller_ref(const json_t *obj);
/* ownerReference {apiVersion, kind, name, uid, controller: true,
 * blockOwnerDeletion: true} for owner. New reference; NULL on OOM. */
json_t *ck_new_controller_ref(const json_t *owner, const char *api_version, const char *kind);

/* GetPodFromTemplate: a Pod from spec.template with generateName
 * "<owner>-", the owner's namespace and a controller ref. New reference. */
json_t *ck_rs_pod_from_template(const json_t *owner, const ck_rs_kind *k);

/* getPodsToDelete: the `diff` pods of `pods` (active, owned) to delete first,
 * ranked by ActivePodsWithRanks with ranks = number of `related` active pods
 * on the same node (related may be NULL = pods). New array. */
json_t *ck_rs_pods_to_delete(const json_t *pods, const json_t *related, int diff, time_t now);
/* ActivePodsWithRanks.Less(a, b): true when a should be deleted before b. */
bool ck_pod_delete_before(const json_t *a, int rank_a, const json_t *b, int rank_b, time_t now);

/* calculateStatus: a new status object {replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas, observedGeneration} for owned active
 * `pods`, keeping the existing conditions. manage_err (NULL = none) adds a
 * ReplicaFailure condition (FailedCreate / FailedDelete) when there is none;
 * success removes it. `now` also stamps the condition. New reference. */
json_t *ck_rs_calculate_status(const json_t *rs, const json_t *pods, const char *manage_err, time_t now);
/* True when the two statuses differ in any counted field or observedGeneration. */
bool ck_rs_status_changed(const json_t *old_status, const json_t *new_status);

/* slowStartBatch: calls fn(ud) `count` times in batches of 1, 2, 4, ...
 * (each batch doubling from initial); stops after the first batch with a
 * failure. Returns the number of successful calls. fn returns 0 on success. */
int ck_slow_start_batch(int count, int initial, int (*fn)(void *ud), void *ud);

/* The label selector of the owner: spec.selector as a LabelSelector
 * (ReplicaSet) or as a plain map (RC, defaulting to the template's labels).
 * NULL on error; caller frees with ck_label_selector_free. */
ck_label_selector *ck_rs_selector(const json_t *owner, const ck_rs_kind *k);
#endif
