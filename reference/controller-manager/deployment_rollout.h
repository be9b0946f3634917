/* deployment_rollout.h: the Deployment controller's rollout decisions
 * (rolling.go, recreate.go, sync.go upstream) written against two
 * callbacks, so the arithmetic is testable without an apiserver. Every
 * ReplicaSet argument is a mutable object updated in place after a write. */
#ifndef CK_CM_DEPLOYMENT_ROLLOUT_H
#define CK_CM_DEPLOYMENT_ROLLOUT_H
#include <jansson.h>
#include <stdbool.h>
#include <time.h>

typedef struct ck_deploy_ops {
    /* Writes rs (PUT); on success replaces *rs's content with the server's
     * copy and returns 0; -1 on failure. */
    int (*update_rs)(void *ud, json_t *rs);
    /* Called after a size change: op "up"/"down" (ScalingReplicaSet event). */
    void (*scaled)(void *ud, const json_t *rs, const char *op, long from, long to);
    void *ud;
} ck_deploy_ops;

/* scaleReplicaSetAndRecordEvent: 1 when the size changed, 0 when nothing
 * (or only annotations) changed, -1 on error. */
int ck_deploy_scale_rs(const ck_deploy_ops *ops, const json_t *d, json_t *rs, long n);
/* reconcileNewReplicaSet / reconcileOldReplicaSets: 1 scaled, 0 no-op, -1 error. */
int ck_deploy_reconcile_new_rs(const ck_deploy_ops *ops, const json_t *d, const json_t *all_rss, json_t *new_rs);
int ck_deploy_reconcile_old_rss(const ck_deploy_ops *ops, const json_t *d, const json_t *all_rss,
                                json_t *old_rss, json_t *new_rs);
/* scale(): paused or scaling event, incl. proportional scaling. 0 or -1. */
int ck_deploy_scale(const ck_deploy_ops *ops, const json_t *d, json_t *new_rs, const json_t *old_rss);
/* scaleDownOldReplicaSetsForRecreate: every active old RS to 0. 1/0/-1. */
int ck_deploy_scale_down_old_for_recreate(const ck_deploy_ops *ops, const json_t *d, const json_t *old_rss);
/* oldPodsRunning: old RSs still count pods, or a non-terminal pod belongs to
 * an RS other than new_rs (pods: the deployment's pods). */
bool ck_deploy_old_pods_running(const json_t *new_rs, const json_t *old_rss, const json_t *pods);
/* cleanupDeployment: the old RSs to delete beyond revisionHistoryLimit
 * (oldest revisions first, only fully scaled-down and observed). New array. */
json_t *ck_deploy_cleanup_victims(const json_t *d, const json_t *old_rss);
/* syncRolloutStatus' new status (Available + Progressing conditions). New ref. */
json_t *ck_deploy_rollout_status(const json_t *d, const json_t *all_rss, const json_t *new_rs, time_t now);
#endif
