/* quota_eval.h: quota evaluators shared by the ResourceQuota admission plugin
 * and the resource quota controller (k8s.io/kubernetes/pkg/quota/v1 and
 * pkg/quota/v1/evaluator/core): what one object costs, which quota resource
 * names an evaluator tracks, scope matching, ResourceList arithmetic.
 * A ResourceList is a JSON object {"name": "quantity"}. */
#ifndef CK_API_QUOTA_EVAL_H
#define CK_API_QUOTA_EVAL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Usage of obj (a <group>/<resource> object) for quota: a new ResourceList
 * the caller json_decref()s (NULL on OOM). Pods, services and PVCs have
 * their own evaluators; every other resource counts as 1 object
 * ("count/<resource>[.<group>]", plus the legacy name for core kinds). */
json_t *ck_quota_usage(const char *group, const char *resource, const json_t *obj, time_t now);

/* True when the evaluator of <group>/<resource> tracks the quota resource
 * `name` (upstream MatchingResources). */
bool ck_quota_tracks(const char *group, const char *resource, const char *name);

/* True when every scope of the quota (spec.scopes and
 * spec.scopeSelector.matchExpressions) matches obj. Unscoped quotas match
 * everything; only pods satisfy scopes (MatchesNoScopeFunc otherwise). */
bool ck_quota_scopes_match(const json_t *quota, const char *group, const char *resource, const json_t *obj);

/* podEvaluator.Constraints: when `hard` limits cpu/memory (or requests./
 * limits. of them) every container must declare them. 0, or -1 with
 * "must specify limits.cpu for: c; requests.cpu for: c" in msg. */
int ck_quota_pod_constraints(const json_t *pod, const json_t *hard, char *msg, size_t n);

/* QuotaV1Pod: the pod still counts for compute resources (not Succeeded or
 * Failed, and not past its deletion grace period). */
bool ck_quota_pod_live(const json_t *pod, time_t now);
/* The pod's QoS class is BestEffort (no non-zero cpu/memory request or limit). */
bool ck_quota_pod_best_effort(const json_t *pod);

/* ---- ResourceList arithmetic (quota.Add, quota.LessThanOrEqual ...) ---- */
/* dst[k] += add[k] for every k of add (mask: only names in mask when non-NULL). 0 or -1. */
int ck_quota_add(json_t *dst, const json_t *add, const json_t *mask);
/* dst[k] -= sub[k], never below 0. 0 or -1. */
int ck_quota_sub(json_t *dst, const json_t *sub);
/* Removes entries whose quantity is zero. */
void ck_quota_remove_zeros(json_t *list);
/* Names (a new JSON array) of `a` entries that exceed hard's same entry
 * (names missing in hard are not limited). Empty when a <= hard. */
json_t *ck_quota_exceeded(const json_t *a, const json_t *hard);
/* Semantic equality (quantities compared by value, same key sets). */
bool ck_quota_equal(const json_t *a, const json_t *b);
/* "a=1,b=2": sorted by name, only names in `only` (array) when non-NULL. */
void ck_quota_pretty(const json_t *list, const json_t *only, char *out, size_t n);
/* Sets list[name] to milli-units as a canonical quantity (format of `like`,
 * a quantity string or NULL for decimal). 0 or -1. */
int ck_quota_set_milli(json_t *list, const char *name, long long milli, const char *like);
/* Value of a quantity entry in milli-units (0 when absent or invalid). */
long long ck_quota_milli(const json_t *list, const char *name);
#endif
