/* deployment.h: internals shared by the Deployment controller's files
 * (deployment.c: informers, claiming, dispatch; deployment_sync.c: the
 * new-ReplicaSet lookup/creation, rollouts and status writes). */
#ifndef CK_CM_DEPLOYMENT_H
#define CK_CM_DEPLOYMENT_H
#include "api/selector.h"
#include "controller-manager/controller.h"
#include "controller-manager/deployment_rollout.h"

typedef struct dp_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *dinf, *rsinf, *podinf;
} dp_ctrl;

/* One sync's working set: d and the claimed ReplicaSets are mutable
 * copies, refreshed from the server's replies after each write. */
typedef struct dp_sync {
    dp_ctrl *c;
    json_t *d;          /* owned */
    json_t *rss;        /* owned array of owned ReplicaSets */
    json_t *new_rs;     /* borrowed from rss, or NULL */
    json_t *old_rss;    /* owned array (refs into rss) */
    ck_label_selector *sel;
    ck_deploy_ops ops;
    long requeue_ms;    /* > 0: requeue after (stuck rollout) */
} dp_sync;

/* getAllReplicaSetsAndSyncRevision: sets s->new_rs / s->old_rss, creating
 * the new RS when create is true. 0 or -1. */
int ck_dp_get_all_rss(dp_sync *s, bool create);
/* syncRolloutStatus / syncDeploymentStatus (rollout = with Progressing). 0 or -1. */
int ck_dp_sync_status(dp_sync *s, bool rollout);
/* PUT .../status with s->d's status replaced by st (stolen). 0 or -1. */
int ck_dp_update_status(dp_sync *s, json_t *st);
/* rolloutRolling / rolloutRecreate / sync (paused or scaling). 0 or -1. */
int ck_dp_rollout_rolling(dp_sync *s);
int ck_dp_rollout_recreate(dp_sync *s);
int ck_dp_sync_scale(dp_sync *s);
/* checkPausedConditions. 0 or -1. */
int ck_dp_check_paused(dp_sync *s);
#endif
