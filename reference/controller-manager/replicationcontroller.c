/* replicationcontroller.c: the replication controller (pkg/controller/
 * replication): the ReplicaSet controller driven with v1
 * ReplicationControllers, whose selector is a plain label map. */
#include "controller-manager/controllers.h"
#include "controller-manager/replicaset.h"

static void *start_rc(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    return ck_rs_controller_start(ctx, &CK_RS_KIND_RC, "replication-controller", err, errlen);
}

const ck_cm_controller ck_cm_replicationcontroller_controller = {"replicationcontroller", start_rc,
                                                                 ck_rs_controller_stop};
