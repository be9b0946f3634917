/* types.h: the scheduler's pre-parsed view of pods and nodes, as upstream's
 * pkg/scheduler/framework/types.go (PodInfo, NodeInfo, Resource). Everything
 * the filter and score plugins read is parsed once here, so the scheduling
 * cycle never parses JSON or quantities per node. */
#ifndef CK_SCHED_TYPES_H
#define CK_SCHED_TYPES_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "api/selector.h"

/* Taint effects (core/v1 TaintEffect). */
typedef enum { CK_EFFECT_NONE, CK_EFFECT_NO_SCHEDULE, CK_EFFECT_PREFER_NO_SCHEDULE,
               CK_EFFECT_NO_EXECUTE } ck_taint_effect;

typedef struct ck_taint {
    const char *key, *value;   /* borrowed from the node object; value "" when unset */
    ck_taint_effect effect;
} ck_taint;

typedef struct ck_toleration {
    const char *key, *value;   /* borrowed from the pod object; "" when unset */
    bool exists;               /* operator Exists (else Equal) */
    ck_taint_effect effect;    /* NONE = every effect */
} ck_toleration;

typedef struct ck_host_port {
    const char *ip;            /* "0.0.0.0" when unset */
    const char *protocol;      /* "TCP" when unset */
    int port;
} ck_host_port;

/* One required (anti-)affinity term (core/v1 PodAffinityTerm). */
typedef struct ck_affinity_term {
    ck_label_selector *selector;   /* owned */
    const char **namespaces;       /* owned array of borrowed strings */
    size_t nnamespaces;
    bool all_namespaces;           /* namespaceSelector: {} */
    bool namespace_selector;       /* a non-empty namespaceSelector (unsupported: matches nothing) */
    const char *owner_namespace;   /* the namespace of the pod declaring the term */
    const char *topology_key;
} ck_affinity_term;

/* One scalar resource amount (an entry of upstream Resource.ScalarResources):
 * extended resources, hugepages-*, attachable-volumes-*, kubernetes.io/... */
typedef struct ck_scalar {
    const char *name;              /* borrowed from the pod or node object */
    int64_t value;                 /* Quantity.Value() */
} ck_scalar;

/* upstream framework.PodInfo plus the resource requests it derives. */
typedef struct ck_pod_info {
    json_t *obj;                   /* owned reference, never modified */
    char key[320];                 /* "namespace/name" */
    const char *namespace, *name, *uid, *scheduler_name, *controller_uid;
    char *node_name;               /* owned copy of spec.nodeName ("" when unassigned); set by assume */
    int32_t priority;
    bool terminating;              /* metadata.deletionTimestamp set */
    int64_t creation;              /* metadata.creationTimestamp, seconds */
    bool preempt_never;            /* preemptionPolicy: Never */
    /* requests (resource.PodRequests: max(sum containers, max init) + overhead) */
    int64_t cpu_milli, mem_bytes;
    /* the same with upstream's non-zero defaults (100m, 200Mi) for scoring */
    int64_t nz_cpu_milli, nz_mem_bytes;
    ck_scalar *scalars; size_t nscalars;     /* owned array: scalar requests */
    ck_host_port *ports; size_t nports;
    ck_toleration *tolerations; size_t ntolerations;
    const json_t *labels;                    /* metadata.labels or NULL */
    const json_t *node_selector;             /* spec.nodeSelector or NULL */
    const json_t *required_node_terms;       /* ...requiredDuringScheduling...nodeSelectorTerms */
    const json_t *preferred_node_terms;      /* ...preferredDuringScheduling... array */
    ck_affinity_term *affinity; size_t naffinity;       /* required pod affinity */
    ck_affinity_term *anti_affinity; size_t nanti;      /* required pod anti-affinity */
} ck_pod_info;

/* upstream framework.NodeInfo: the node plus the pods bound or assumed on it. */
typedef struct ck_node_info {
    json_t *obj;                   /* owned reference to the Node */
    const char *name;
    const json_t *labels;
    bool unschedulable;
    ck_taint *taints; size_t ntaints;
    int64_t alloc_cpu_milli, alloc_mem_bytes, alloc_pods;
    ck_scalar *alloc_scalars; size_t nalloc_scalars;  /* owned array: scalar allocatable */
    int64_t req_cpu_milli, req_mem_bytes;       /* sum of the pods' requests */
    int64_t nz_cpu_milli, nz_mem_bytes;         /* sum of non-zero requests */
    ck_pod_info **pods; size_t npods, cap;      /* borrowed pod infos */
    size_t npods_with_anti;                     /* pods with required anti-affinity */
    size_t index;                               /* position in the cache's node list */
} ck_node_info;

/* Parses a Pod. Takes a new reference to obj. NULL with a message in err on a
 * malformed pod (bad selector, bad quantity) or OOM. Free with ck_pod_info_free. */
ck_pod_info *ck_pod_info_new(json_t *obj, char *err, size_t errlen);
void ck_pod_info_free(ck_pod_info *p);
/* Replaces node_name with a copy of node ("" to unassign). 0 or -1 (OOM). */
int ck_pod_info_set_node(ck_pod_info *p, const char *node);
/* Does term (declared by a pod in term->owner_namespace) select pod p? */
bool ck_affinity_term_matches(const ck_affinity_term *t, const ck_pod_info *p);
/* "NoSchedule" -> CK_EFFECT_NO_SCHEDULE...; unknown or "" -> NONE. */
ck_taint_effect ck_taint_effect_parse(const char *s);
/* core/v1 ToleratesTaint for one toleration. */
bool ck_toleration_tolerates(const ck_toleration *t, const ck_taint *taint);

/* Parses a Node. Takes a new reference. NULL with a message in err. */
ck_node_info *ck_node_info_new(json_t *obj, char *err, size_t errlen);
/* Replaces the Node object (an update), keeping the pods. 0 or -1. */
int ck_node_info_set_node(ck_node_info *n, json_t *obj, char *err, size_t errlen);
/* Accounts pod p (borrowed; must outlive its membership) on n. 0 or -1 (OOM). */
int ck_node_info_add_pod(ck_node_info *n, ck_pod_info *p);
/* Removes p (by pointer); false when it was not there. */
bool ck_node_info_remove_pod(ck_node_info *n, const ck_pod_info *p);
/* Frees n (not its pods). */
void ck_node_info_free(ck_node_info *n);
/* The value of label key on n, or NULL. Borrowed. */
const char *ck_node_label(const ck_node_info *n, const char *key);

/* Scalar resources (scalar_resources.c). */
/* v1helper.IsScalarResourceName. */
bool ck_is_scalar_resource(const char *name);
/* resource.PodRequests' scalars of a pod spec: a new array (caller frees;
 * names borrowed from spec) in *out. 0 or -1 (OOM). */
int ck_pod_scalar_requests(const json_t *spec, ck_scalar **out, size_t *nout);
/* The scalars of node's status.allocatable, as ck_pod_scalar_requests. */
int ck_node_scalar_allocatable(const json_t *node, ck_scalar **out, size_t *nout);
/* The amount of name in a (0 when absent). */
int64_t ck_scalar_get(const ck_scalar *a, size_t n, const char *name);
/* The sum of name requested by the pods on n. */
int64_t ck_node_requested_scalar(const ck_node_info *n, const char *name);
#endif
