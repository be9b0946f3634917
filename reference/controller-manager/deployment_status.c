/* deployment_status.c: Deployment status and conditions (calculateStatus in
 * pkg/controller/deployment/sync.go, Set/Get/RemoveDeploymentCondition and
 * DeploymentComplete/Progressing/TimedOut in util/deployment_util.go). */
#include <limits.h>
#include <string.h>
#include "controller-manager/deployment_util.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

json_t *ck_deploy_condition(const char *type, const char *status, const char *reason, const char *msg,
                            const char *now)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", type, "status", status, "lastUpdateTime", now,
                     "lastTransitionTime", now, "reason", reason, "message", msg);
}

json_t *ck_deploy_get_condition(const json_t *status, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(status, "conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), type)) return c;
    return NULL;
}

void ck_deploy_remove_condition(json_t *status, const char *type)
{
    json_t *conds = json_object_get(status, "conditions");
    for (size_t i = json_array_size(conds); i-- > 0;)
        if (!strcmp(ck_json_str(json_array_get(conds, i), "type", ""), type)) json_array_remove(conds, i);
}

void ck_deploy_set_condition(json_t *status, json_t *cond)
{
    if (!cond) return;
    const char *type = ck_json_str(cond, "type", "");
    json_t *cur = ck_deploy_get_condition(status, type);
    if (cur && !strcmp(ck_json_str(cur, "status", ""), ck_json_str(cond, "status", "")) &&
        !strcmp(ck_json_str(cur, "reason", ""), ck_json_str(cond, "reason", ""))) {
        json_decref(cond);
        return;
    }
    if (cur && !strcmp(ck_json_str(cur, "status", ""), ck_json_str(cond, "status", "")))
        json_object_set(cond, "lastTransitionTime", json_object_get(cur, "lastTransitionTime"));
    ck_deploy_remove_condition(status, type);
    json_t *conds = json_object_get(status, "conditions");
    if (!json_is_array(conds)) {
        conds = json_array();
        json_object_set_new(status, "conditions", conds);
    }
    json_array_append_new(conds, cond);
}

json_t *ck_deploy_calculate_status(const json_t *all_rss, const json_t *new_rs, const json_t *d, const char *now)
{
    long available = ck_rss_status_field(all_rss, "availableReplicas");
    long total = ck_rss_spec_replicas(all_rss);
    long unavailable = total - available < 0 ? 0 : total - available;
    json_t *only_new = new_rs ? json_pack("[O]", new_rs) : json_array();
    json_t *st = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "observedGeneration",
                           (json_int_t)ck_json_int(d, "metadata.generation", 0), "replicas",
                           (json_int_t)ck_rss_status_field(all_rss, "replicas"), "updatedReplicas",
                           (json_int_t)ck_rss_status_field(only_new, "replicas"), "readyReplicas",
                           (json_int_t)ck_rss_status_field(all_rss, "readyReplicas"), "availableReplicas",
                           (json_int_t)available, "unavailableReplicas", (json_int_t)unavailable);
    json_decref(only_new);
    if (!st) return NULL;
    json_t *cc = ck_json_path(d, "status.collisionCount");
    if (cc) json_object_set(st, "collisionCount", cc);
    json_t *conds = ck_json_path(d, "status.conditions");
    json_object_set_new(st, "conditions", conds ? json_deep_copy(conds) : json_array());
    if (available >= ck_deploy_replicas(d) - ck_deploy_max_unavailable(d))
        ck_deploy_set_condition(st, ck_deploy_condition("Available", "True", "MinimumReplicasAvailable",
                                                        "Deployment has minimum availability.", now));
    else
        ck_deploy_set_condition(st, ck_deploy_condition("Available", "False", "MinimumReplicasUnavailable",
                                                        "Deployment does not have minimum availability.", now));
    return st;
}

bool ck_deploy_complete(const json_t *d, const json_t *st)
{
    long r = ck_deploy_replicas(d);
    return ck_json_int(st, "updatedReplicas", 0) == r && ck_json_int(st, "replicas", 0) == r &&
           ck_json_int(st, "availableReplicas", 0) == r &&
           ck_json_int(st, "observedGeneration", 0) >= ck_json_int(d, "metadata.generation", 0);
}

bool ck_deploy_progressing(const json_t *d, const json_t *st)
{
    const json_t *old = json_object_get(d, "status");
    long old_old = (long)(ck_json_int(old, "replicas", 0) - ck_json_int(old, "updatedReplicas", 0));
    long new_old = (long)(ck_json_int(st, "replicas", 0) - ck_json_int(st, "updatedReplicas", 0));
    return ck_json_int(st, "updatedReplicas", 0) > ck_json_int(old, "updatedReplicas", 0) || new_old < old_old ||
           ck_json_int(st, "readyReplicas", 0) > ck_json_int(old, "readyReplicas", 0) ||
           ck_json_int(st, "availableReplicas", 0) > ck_json_int(old, "availableReplicas", 0);
}

bool ck_deploy_has_progress_deadline(const json_t *d)
{
    long long p = ck_json_int(d, "spec.progressDeadlineSeconds", 600);
    return p != INT_MAX;
}

bool ck_deploy_timed_out(const json_t *d, const json_t *st, time_t now)
{
    if (!ck_deploy_has_progress_deadline(d)) return false;
    json_t *c = ck_deploy_get_condition(st, "Progressing");
    if (!c) return false;
    const char *reason = ck_json_str(c, "reason", "");
    if (!strcmp(reason, "NewReplicaSetAvailable")) return false;
    if (!strcmp(reason, "ProgressDeadlineExceeded")) return true;
    time_t from = ck_time_parse(ck_json_str(c, "lastUpdateTime", ""));
    return from >= 0 && from + (time_t)ck_json_int(d, "spec.progressDeadlineSeconds", 600) < now;
}
