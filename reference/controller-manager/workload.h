/* workload.h: plumbing shared by the controllers that own children through
 * a controller ownerReference (DaemonSet, StatefulSet, Job -> pods; CronJob
 * -> jobs): an owner informer, a child informer whose events wake the owner
 * named by the child's controller ref, expectations, and the writes every
 * such controller does (create/delete child with events, PUT status). */
#ifndef CK_CM_WORKLOAD_H
#define CK_CM_WORKLOAD_H
#include <jansson.h>
#include <stdbool.h>
#include "controller-manager/controller.h"
#include "controller-manager/expectations.h"
#include "controller-manager/replicaset_logic.h"

/* A group/version/resource/kind; reuses the ReplicaSet kind descriptor. */
typedef ck_rs_kind ck_wl_kind;
extern const ck_wl_kind CK_WL_POD, CK_WL_JOB, CK_WL_DAEMONSET, CK_WL_STATEFULSET, CK_WL_CRONJOB,
    CK_WL_CONTROLLERREVISION, CK_WL_NODE;

typedef struct ck_wl {
    const ck_wl_kind *owner, *child;
    const char *component;          /* event source, e.g. "job-controller" */
    ck_rest *rest;                  /* borrowed */
    ck_workers w;
    ck_informer *owners, *children; /* owned */
    ck_expectations *exp;           /* owned */
} ck_wl;

/* Initialises wl, starts both informers and `workers` threads running
 * sync(self, "ns/name"). 0, or -1 with a message in err (wl then needs
 * ck_wl_stop). */
int ck_wl_start(ck_wl *wl, const ck_cm_ctx *ctx, const ck_wl_kind *owner, const ck_wl_kind *child,
                const char *component, ck_sync_fn sync, void *self, int workers, char *err, size_t errlen);
/* Stops informers and workers and frees what wl owns. Idempotent. */
void ck_wl_stop(ck_wl *wl);

/* The cached owner for key, or NULL. New reference. */
json_t *ck_wl_get_owner(ck_wl *wl, const char *key);
/* Children in the owner's namespace whose controller ref is the owner's uid
 * (active or not; ckube does not adopt orphans). New array. */
json_t *ck_wl_owned(ck_wl *wl, const json_t *owner);
/* ControllerRefManager.ClaimPods' decision for one child of owner with
 * selector sel (upstream controller_ref_manager.go ClaimObject): */
typedef enum ck_wl_claim {
    CK_CLAIM_IGNORE,  /* someone else's, or an orphan we may not adopt */
    CK_CLAIM_KEEP,    /* ours and matching */
    CK_CLAIM_ADOPT,   /* an orphan that matches: add our controller ref */
    CK_CLAIM_RELEASE, /* ours but no longer matching: drop our ref */
} ck_wl_claim_action;
/* Pure: no controller ref + match + neither being deleted -> ADOPT; ours
 * and not matching -> RELEASE (unless the owner is being deleted). */
ck_wl_claim_action ck_wl_claim_decide(const json_t *owner, const ck_label_selector *sel, const json_t *child);
/* Claims the children in the owner's namespace: adopts matching orphans
 * and releases non-matching owned ones (merge patches of ownerReferences
 * with resourceVersion; the owner is re-read before the first adoption, as
 * RecheckDeletionTimestamp). Returns the children now controlled (new
 * array); *err = 1 when a patch failed. An empty selector claims nothing
 * but keeps the owned ones. */
json_t *ck_wl_claim(ck_wl *wl, const json_t *owner, int *err);
/* Every cached owner. New array. */
json_t *ck_wl_all_owners(ck_wl *wl);

/* Creates child (the owner's namespace); on success records SuccessfulCreate
 * with the owner kind's upstream message ("Created pod: <name>"), else FailedCreate
 * ("Error creating: <msg>"). The created object in *created (new ref) when
 * created != NULL. 0, 1 when it already exists (409), -1 on error. */
int ck_wl_create(ck_wl *wl, const json_t *owner, const json_t *child, json_t **created);
/* Deletes the named child (Background propagation for jobs, as upstream's
 * cronjob controller); SuccessfulDelete / FailedDelete events. 0 (also when
 * already gone) or -1. */
int ck_wl_delete(ck_wl *wl, const json_t *owner, const json_t *child);
/* PUT <owner>/status with `status` when it differs from the owner's; one
 * retry on a fresh copy after a conflict. 0 or -1. */
int ck_wl_update_status(ck_wl *wl, const json_t *owner, const json_t *status);
/* The PUT behind it, for any kind (ReplicaSet/RC too): obj with `status`
 * (both borrowed) to obj's status subresource, one retry on a fresh copy
 * after 409 (upstream's statusUpdateRetries). 0 or -1 (logged at debug). */
int ck_wl_put_status(ck_rest *rest, const ck_wl_kind *kind, const char *component, const json_t *obj,
                     const json_t *status);
/* Records an event about the owner. */
#define ck_wl_event(wl, obj_, type, reason, ...)                                                           \
    ck_eventf((wl)->rest, (wl)->component, obj_, (wl)->owner->api_version, (wl)->owner->kind, type, reason, \
                __VA_ARGS__)
#endif
