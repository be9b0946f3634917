/* deployment_util.h: pure helpers of the Deployment controller
 * (pkg/controller/deployment/util/deployment_util.go and
 * pkg/controller/controller_utils.go): template hash, intstr fenceposts,
 * revisions and replica annotations, ReplicaSet ordering and lookup,
 * status and conditions. Objects are jansson values; nothing does I/O. */
#ifndef CK_CM_DEPLOYMENT_UTIL_H
#define CK_CM_DEPLOYMENT_UTIL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CK_DEPLOY_HASH_LABEL "pod-template-hash"  /* DefaultDeploymentUniqueLabelKey */
#define CK_ANN_REVISION "deployment.kubernetes.io/revision"
#define CK_ANN_REVISION_HISTORY "deployment.kubernetes.io/revision-history"
#define CK_ANN_DESIRED_REPLICAS "deployment.kubernetes.io/desired-replicas"
#define CK_ANN_MAX_REPLICAS "deployment.kubernetes.io/max-replicas"

/* rand.SafeEncodeString: each byte mapped into "bcdfghjklmnpqrstvwxz2456789".
 * out must hold strlen(in) + 1 bytes. */
void ck_safe_encode_string(const char *in, char *out);
/* ComputeHash: FNV-32a over the template, then the collision count as 8
 * little-endian bytes (when >= 0), printed in decimal and safe-encoded.
 * Upstream hashes Go's spew dump of the struct; ckube hashes the template's
 * canonical JSON (sorted keys), so names differ from a real cluster's but
 * keep the same properties. out >= 16 bytes. */
void ck_deploy_compute_hash(const json_t *template, long collision_count, char *out);
uint32_t ck_fnv32a(const void *data, size_t n, uint32_t h);

/* GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or
 * down. 0, or -1 for an invalid value. */
int ck_intstr_scaled(const json_t *v, long total, bool round_up, long *out);
/* ResolveFenceposts on spec.strategy.rollingUpdate (defaults 25%/25%): surge
 * rounded up, unavailable down, and unavailable = 1 when both are 0. */
int ck_deploy_fenceposts(const json_t *d, long *surge, long *unavailable);
long ck_deploy_max_surge(const json_t *d);        /* 0 unless RollingUpdate */
long ck_deploy_max_unavailable(const json_t *d);  /* capped at replicas */
bool ck_deploy_is_rolling(const json_t *d);
long ck_deploy_replicas(const json_t *d);         /* spec.replicas, default 1 */

/* Sums over an array of ReplicaSets. */
long ck_rss_spec_replicas(const json_t *rss);        /* GetReplicaCountForReplicaSets */
long ck_rss_status_field(const json_t *rss, const char *field); /* "replicas", "availableReplicas"... */
/* FilterActiveReplicaSets: spec.replicas > 0. New array. */
json_t *ck_rss_active(const json_t *rss);

/* Sorting (in place): ReplicaSetsByCreationTimestamp (older first, then
 * name), ReplicaSetsByRevision, ReplicaSetsBySizeOlder/Newer. */
void ck_rss_sort_by_creation(json_t *rss);
void ck_rss_sort_by_revision(json_t *rss);
void ck_rss_sort_by_size(json_t *rss, bool newer_first);

/* Revision annotation as a number (0 when absent or invalid). */
long ck_rs_revision(const json_t *rs);
long ck_rss_max_revision(const json_t *rss);
/* EqualIgnoreHash: templates equal once pod-template-hash is dropped. */
bool ck_deploy_equal_ignore_hash(const json_t *t1, const json_t *t2);
/* FindNewReplicaSet: the oldest RS whose template equals d's (borrowed), or NULL. */
json_t *ck_deploy_find_new_rs(const json_t *d, const json_t *rss);
/* FindOldReplicaSets' second result: every RS but new_rs. New array. */
json_t *ck_deploy_old_rss(const json_t *rss, const json_t *new_rs);

/* SetReplicasAnnotations: true when either annotation changed. */
bool ck_rs_set_replicas_annotations(json_t *rs, long desired, long max);
bool ck_rs_replicas_annotations_need_update(const json_t *rs, long desired, long max);
/* SetNewReplicaSetAnnotations: copies d's annotations (minus the
 * deployment.kubernetes.io ones and last-applied), raises the revision (and
 * revision-history), sets replica annotations when !exists. True if changed. */
bool ck_deploy_set_new_rs_annotations(const json_t *d, json_t *rs, long new_revision, bool exists);
/* The new ReplicaSet for d: name <d>-<hash>, template and selector with the
 * hash label, controller ref to d, replicas 0, annotations set. New ref. */
json_t *ck_deploy_new_rs(const json_t *d, long new_revision);
/* NewRSNewReplicas: how many replicas the new RS may have now. */
long ck_deploy_new_rs_new_replicas(const json_t *d, const json_t *all_rss, const json_t *new_rs);

/* FindActiveOrLatest (borrowed or NULL), IsSaturated, GetProportion. */
json_t *ck_deploy_find_active_or_latest(const json_t *new_rs, const json_t *old_rss);
bool ck_deploy_is_saturated(const json_t *d, const json_t *rs);
long ck_deploy_proportion(const json_t *rs, const json_t *d, long to_add, long added);

/* calculateStatus (new status object; conditions copied, Available set). */
json_t *ck_deploy_calculate_status(const json_t *all_rss, const json_t *new_rs, const json_t *d, const char *now);
/* SetDeploymentCondition: no-op when status and reason match; keeps
 * lastTransitionTime when only the reason changes. Steals cond. */
void ck_deploy_set_condition(json_t *status, json_t *cond);
void ck_deploy_remove_condition(json_t *status, const char *type);
json_t *ck_deploy_get_condition(const json_t *status, const char *type); /* borrowed */
/* NewDeploymentCondition. New reference. */
json_t *ck_deploy_condition(const char *type, const char *status, const char *reason, const char *msg,
                            const char *now);
bool ck_deploy_complete(const json_t *d, const json_t *status);     /* DeploymentComplete */
bool ck_deploy_progressing(const json_t *d, const json_t *status);  /* DeploymentProgressing */
bool ck_deploy_timed_out(const json_t *d, const json_t *status, time_t now); /* DeploymentTimedOut */
bool ck_deploy_has_progress_deadline(const json_t *d);
#endif
