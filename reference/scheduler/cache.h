/* cache.h: the scheduler cache (upstream pkg/scheduler/backend/cache): node
 * infos with the pods bound to them, plus "assumed" pods — placed by a
 * scheduling cycle whose binding the informer has not reported yet — so the
 * next cycle already sees their resources. */
#ifndef CK_SCHED_CACHE_H
#define CK_SCHED_CACHE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "scheduler/types.h"

typedef struct ck_sched_cache ck_sched_cache; /* opaque; every call locks (recursive mutex) */

ck_sched_cache *ck_sched_cache_new(void);   /* NULL on OOM */
void ck_sched_cache_free(ck_sched_cache *c);

/* Node add or update (pods kept). 0, or -1 with a message in err. */
int ck_sched_cache_set_node(ck_sched_cache *c, json_t *node, char *err, size_t errlen);
void ck_sched_cache_remove_node(ck_sched_cache *c, const char *name);
/* A bound pod seen by the informer (add or update). Confirms an assumed pod
 * of the same key. 0, or -1 with a message. Pods on unknown nodes are kept
 * and attached when the node appears. */
int ck_sched_cache_add_pod(ck_sched_cache *c, json_t *pod, char *err, size_t errlen);
void ck_sched_cache_remove_pod(ck_sched_cache *c, const char *key);
/* AssumePod: accounts a copy of pod on node before the binding is written. 0 or -1. */
int ck_sched_cache_assume(ck_sched_cache *c, const ck_pod_info *pod, const char *node);
/* ForgetPod: undoes an assume whose binding failed. No-op when confirmed. */
void ck_sched_cache_forget(ck_sched_cache *c, const char *key);
bool ck_sched_cache_is_assumed(ck_sched_cache *c, const char *key);

/* Holds the cache still for a scheduling cycle; nodes() is valid until unlock. */
void ck_sched_cache_lock(ck_sched_cache *c);
void ck_sched_cache_unlock(ck_sched_cache *c);
/* The node list (borrowed; order stable while no node is added or removed). */
ck_node_info *const *ck_sched_cache_nodes(ck_sched_cache *c, size_t *n);
ck_node_info *ck_sched_cache_node(ck_sched_cache *c, const char *name);
size_t ck_sched_cache_npods(ck_sched_cache *c);
#endif
