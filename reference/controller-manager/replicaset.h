/* replicaset.h: one ReplicaSet controller implementation shared by the
 * replicaset and replicationcontroller controllers (upstream's
 * ReplicationManager wraps ReplicaSetController the same way). */
#ifndef CK_CM_REPLICASET_H
#define CK_CM_REPLICASET_H
#include "controller-manager/controller.h"
#include "controller-manager/replicaset_logic.h"

/* Starts a controller for `kind`; `component` names the event source
 * ("replicaset-controller"). Returns a handle for ck_rs_controller_stop. */
void *ck_rs_controller_start(const ck_cm_ctx *ctx, const ck_rs_kind *kind, const char *component,
                             char *err, size_t errlen);
void ck_rs_controller_stop(void *handle);
#endif
