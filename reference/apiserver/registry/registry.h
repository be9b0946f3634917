/* registry.h: per-kind strategies (upstream pkg/registry/<group>/<kind>/strategy.go):
 * what the server sets or checks beyond the generic REST flow for a kind —
 * allocation of Service IPs and ports, pod and namespace phases, graceful
 * deletion, create-on-update. Kinds without a row use the generic flow. */
#ifndef CK_APISERVER_REGISTRY_H
#define CK_APISERVER_REGISTRY_H
#include <jansson.h>
#include <stdbool.h>
#include "apiserver/handlers/rest.h"

typedef struct ck_strategy {
    const char *resource; /* core/v1 resource it serves */
    bool allow_create_on_update;  /* PUT of a missing object creates it */
    bool return_deleted_object;   /* DELETE answers the object, not a Status */
    /* Before validation of a create (dry-run included): server-set fields. 0 or -1 + st. */
    int (*prepare_create)(ck_handler *ctx, json_t *obj);
    /* Before validation of an update of the main resource. 0 or -1 + st. */
    int (*prepare_update)(ck_handler *ctx, const json_t *old, json_t *obj);
    /* After validation, before the write (allocations). 0 or -1 + st. */
    int (*before_write)(ck_handler *ctx, const json_t *old, json_t *obj);
    /* The write failed after before_write succeeded: undo allocations. */
    void (*abort_write)(ck_handler *ctx, const json_t *old, const json_t *obj);
    /* After the object left storage (release allocations). */
    void (*after_delete)(ck_handler *ctx, const json_t *obj);
    /* Delete request (upstream BeforeDelete/CheckGracefulDelete): sets *grace
     * (requested is -1 when the client gave none) and may mutate obj (the
     * copy that is kept when *keep is set, e.g. a Terminating namespace). */
    int (*prepare_delete)(ck_handler *ctx, json_t *obj, long long requested, long long *grace, bool *keep);
    /* Kinds that are never stored (SelfSubjectAccessReview, TokenReview ...):
     * after defaulting and validation, computes the answer into obj (its
     * status) instead of writing it. 0 answers 201 with obj; -1 + st. */
    int (*virtual_create)(ck_handler *ctx, json_t *obj);
} ck_strategy;

/* The strategy for a kind; a generic one if the kind has none. Never NULL. */
const ck_strategy *ck_strategy_for(const ck_kind *k);
#endif
