/* namespace_deleter.h: the pure parts of the namespace controller's
 * discovery-driven deleter (pkg/controller/namespace/deletion): which
 * resources to delete, the five deletion conditions, the finalize body. */
#ifndef CK_CM_NAMESPACE_DELETER_H
#define CK_CM_NAMESPACE_DELETER_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* One namespaced group/version/resource that supports list and delete. */
typedef struct ck_ns_gvr {
    char group[128], version[64], resource[128];
    bool deletecollection;
} ck_ns_gvr;

typedef struct ck_ns_gvrs {
    ck_ns_gvr *v;  /* owned; ck_ns_gvrs_clear */
    size_t n, cap;
} ck_ns_gvrs;

/* Appends the namespaced resources of an APIResourceList (subresources
 * "x/y" skipped) whose verbs contain list and delete, as upstream's
 * FilteredBy(SupportsAllVerbs{list, delete}). 0, or -1 on OOM/bad input. */
int ck_ns_gvrs_add(ck_ns_gvrs *out, const json_t *resource_list, const char *group,
                   const char *version);
void ck_ns_gvrs_clear(ck_ns_gvrs *g);

/* The deletion condition types, in upstream's order (status_condition_utils.go). */
typedef enum {
    CK_NS_COND_DISCOVERY,          /* NamespaceDeletionDiscoveryFailure */
    CK_NS_COND_GV_PARSING,         /* NamespaceDeletionGroupVersionParsingFailure */
    CK_NS_COND_CONTENT_FAILURE,    /* NamespaceDeletionContentFailure */
    CK_NS_COND_CONTENT_REMAINING,  /* NamespaceContentRemaining */
    CK_NS_COND_FINALIZERS,         /* NamespaceFinalizersRemaining */
    CK_NS_COND_N
} ck_ns_cond;
const char *ck_ns_cond_type(ck_ns_cond c);

/* Sets every condition in ns.status.conditions: failure_msg[c] non-NULL
 * means status "True" with the failure reason and that message, NULL the ok
 * reason/message with status "False". lastTransitionTime = now only for
 * conditions that changed. Returns true when anything changed (the caller
 * then PUTs /status), false otherwise or on OOM. */
bool ck_ns_update_conditions(json_t *ns, const char *const failure_msg[CK_NS_COND_N], const char *now);

/* Remaining-content accounting for the ContentRemaining / FinalizersRemaining
 * messages: counts per "resource.group" and per finalizer name. */
typedef struct ck_ns_remaining {
    json_t *resources;   /* "configmaps." -> count (owned) */
    json_t *finalizers;  /* "example.com/x" -> count (owned) */
} ck_ns_remaining;
int ck_ns_remaining_init(ck_ns_remaining *r);
/* Counts the items of a list under group/resource, and their finalizers. */
void ck_ns_remaining_add(ck_ns_remaining *r, const char *group, const char *resource,
                         const json_t *items);
/* "Some resources are remaining: configmaps. has 1 resource instances, ..."
 * (sorted), or NULL when none. Caller frees. */
char *ck_ns_remaining_resources_msg(const ck_ns_remaining *r);
/* "Some content in the namespace has finalizers remaining: f in n resource
 * instances, ..." or NULL. Caller frees. */
char *ck_ns_remaining_finalizers_msg(const ck_ns_remaining *r);
void ck_ns_remaining_clear(ck_ns_remaining *r);

/* True when ns.spec.finalizers contains `finalizer`. */
bool ck_ns_has_finalizer(const json_t *ns, const char *finalizer);
/* A deep copy of ns with `finalizer` removed from spec.finalizers: the body
 * of PUT /api/v1/namespaces/<ns>/finalize. Caller decrefs; NULL on OOM. */
json_t *ck_ns_finalize_body(const json_t *ns, const char *finalizer);
/* NamespacedResourcesDeleter.Delete for one namespace, against the
 * apiserver (defined in namespace.c): CK_SYNC_OK when finished or nothing
 * to do, CK_SYNC_RETRY on errors, or milliseconds to wait while content
 * remains. `rest` is borrowed. */
struct ck_rest;
long ck_ns_delete(struct ck_rest *rest, const char *name);
#endif
