/* garbagecollector_logic.h: the garbage collector's decisions
 * (pkg/controller/garbagecollector/garbagecollector.go attemptToDeleteItem,
 * processDeletingDependentsItem, orphanDependents) as pure functions over
 * objects and what the collector learned about their owners. */
#ifndef CK_CM_GARBAGECOLLECTOR_LOGIC_H
#define CK_CM_GARBAGECOLLECTOR_LOGIC_H
#include <jansson.h>
#include <stdbool.h>

#define CK_FINALIZER_ORPHAN "orphan"
#define CK_FINALIZER_FOREGROUND "foregroundDeletion"

/* What an ownerReference points at, after a live lookup. */
typedef enum {
    CK_GC_OWNER_SOLID,    /* exists with the same uid */
    CK_GC_OWNER_DANGLING, /* absent, or a different object (uid mismatch) */
    CK_GC_OWNER_WAITING,  /* exists and is being deleted in the foreground */
} ck_gc_owner_state;

/* classifyReferences for one reference: owner is the live object or NULL. */
ck_gc_owner_state ck_gc_classify(const json_t *ref, const json_t *owner);

typedef enum {
    CK_GC_NOTHING,       /* owners solid, or item already going away */
    CK_GC_REMOVE_REFS,   /* some owners solid: drop the dangling/waiting references */
    CK_GC_DELETE,        /* no solid owner left: delete with `policy` */
} ck_gc_action;

typedef struct ck_gc_decision {
    ck_gc_action action;
    const char *policy;  /* "Background", "Foreground" or "Orphan" for DELETE */
} ck_gc_decision;

/* attemptToDeleteItem's switch: states[i] is the state of the item's i-th
 * ownerReference; has_dependents says whether anything names the item as
 * owner. An item with a deletionTimestamp (and no foreground finalizer)
 * or without ownerReferences needs nothing. */
ck_gc_decision ck_gc_decide(const json_t *item, const ck_gc_owner_state *states, size_t n, bool has_dependents);

bool ck_gc_has_finalizer(const json_t *obj, const char *finalizer);
/* A new array of obj's finalizers without `finalizer`. */
json_t *ck_gc_finalizers_without(const json_t *obj, const char *finalizer);
/* A new array of obj's ownerReferences without those whose uid is a key of
 * `uids` (an object used as a set). */
json_t *ck_gc_refs_without(const json_t *obj, const json_t *uids);
/* True when dep has an ownerReference to owner_uid with blockOwnerDeletion. */
bool ck_gc_blocks(const json_t *dep, const char *owner_uid);
/* The group of an apiVersion ("apps/v1" -> "apps", "v1" -> ""), into out. */
void ck_gc_group_of(const char *api_version, char *out, size_t outlen);
#endif
