/* deployment_rolling.c: rollout arithmetic of the Deployment controller:
 * RollingUpdate (pkg/controller/deployment/rolling.go), Recreate
 * (recreate.go), proportional scaling, history cleanup and rollout status
 * (sync.go, progress.go), over callbacks that perform the writes. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "controller-manager/deployment_rollout.h"
#include "controller-manager/deployment_util.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

static long spec_replicas(const json_t *rs) { return (long)ck_json_int(rs, "spec.replicas", 1); }

int ck_deploy_scale_rs(const ck_deploy_ops *ops, const json_t *d, json_t *rs, long n)
{
    long old = spec_replicas(rs), r = ck_deploy_replicas(d), max = r + ck_deploy_max_surge(d);
    if (old == n) return 0;  /* scaleReplicaSetAndRecordEvent's early return */
    json_t *copy = json_deep_copy(rs);
    if (!copy) return -1;
    ck_json_set(copy, "spec.replicas", json_integer(n));
    ck_rs_set_replicas_annotations(copy, r, max);
    int rc = ops->update_rs(ops->ud, copy);
    if (rc == 0) {
        json_object_clear(rs);
        json_object_update(rs, copy);
        if (ops->scaled) ops->scaled(ops->ud, rs, old < n ? "up" : "down", old, n);
    }
    json_decref(copy);
    return rc < 0 ? -1 : 1;
}

int ck_deploy_reconcile_new_rs(const ck_deploy_ops *ops, const json_t *d, const json_t *all_rss, json_t *new_rs)
{
    long want = ck_deploy_replicas(d), cur = spec_replicas(new_rs);
    if (cur == want) return 0;
    if (cur > want) return ck_deploy_scale_rs(ops, d, new_rs, want);
    return ck_deploy_scale_rs(ops, d, new_rs, ck_deploy_new_rs_new_replicas(d, all_rss, new_rs));
}

/* cleanupUnhealthyReplicas: scale down old RSs' unavailable pods first. */
static long cleanup_unhealthy(const ck_deploy_ops *ops, const json_t *d, json_t *old_rss, long max_cleanup, int *err)
{
    ck_rss_sort_by_creation(old_rss);
    long total = 0;
    size_t i;
    json_t *rs;
    json_array_foreach(old_rss, i, rs) {
        if (total >= max_cleanup) break;
        long spec = spec_replicas(rs), avail = (long)ck_json_int(rs, "status.availableReplicas", 0);
        if (spec == 0 || spec == avail) continue;
        long down = max_cleanup - total < spec - avail ? max_cleanup - total : spec - avail;
        if (ck_deploy_scale_rs(ops, d, rs, spec - down) < 0) { *err = 1; return total; }
        total += down;
    }
    return total;
}

/* scaleDownOldReplicaSetsForRollingUpdate: never below minAvailable. */
static long scale_down_old_rolling(const ck_deploy_ops *ops, const json_t *d, const json_t *all_rss,
                                   json_t *old_rss, int *err)
{
    long min_available = ck_deploy_replicas(d) - ck_deploy_max_unavailable(d);
    long available = ck_rss_status_field(all_rss, "availableReplicas");
    if (available <= min_available) return 0;
    ck_rss_sort_by_creation(old_rss);
    long want_down = available - min_available, total = 0;
    size_t i;
    json_t *rs;
    json_array_foreach(old_rss, i, rs) {
        if (total >= want_down) break;
        long spec = spec_replicas(rs);
        if (spec == 0) continue;
        long down = spec < want_down - total ? spec : want_down - total;
        if (ck_deploy_scale_rs(ops, d, rs, spec - down) < 0) { *err = 1; return total; }
        total += down;
    }
    return total;
}

int ck_deploy_reconcile_old_rss(const ck_deploy_ops *ops, const json_t *d, const json_t *all_rss,
                                json_t *old_rss, json_t *new_rs)
{
    if (ck_rss_spec_replicas(old_rss) == 0) return 0;
    long all = ck_rss_spec_replicas(all_rss);
    long min_available = ck_deploy_replicas(d) - ck_deploy_max_unavailable(d);
    long new_unavailable = new_rs ? spec_replicas(new_rs) - (long)ck_json_int(new_rs, "status.availableReplicas", 0) : 0;
    long max_scaled_down = all - min_available - new_unavailable;
    if (max_scaled_down <= 0) return 0;
    int err = 0;
    long cleaned = cleanup_unhealthy(ops, d, old_rss, max_scaled_down, &err);
    if (err) return -1;
    json_t *all2 = json_copy(old_rss);
    if (new_rs) json_array_append(all2, new_rs);
    long down = scale_down_old_rolling(ops, d, all2, old_rss, &err);
    json_decref(all2);
    if (err) return -1;
    return cleaned + down > 0;
}

/* The proportional part of scale(): spread allowedSize - current over the
 * active RSs, largest first, leftovers to the first. */
static int scale_proportionally(const ck_deploy_ops *ops, const json_t *d, json_t *active)
{
    long want = ck_deploy_replicas(d);
    long allowed = want > 0 ? want + ck_deploy_max_surge(d) : 0;
    long to_add = allowed - ck_rss_spec_replicas(active);
    if (to_add > 0) ck_rss_sort_by_size(active, true);
    else if (to_add < 0) ck_rss_sort_by_size(active, false);
    size_t n = json_array_size(active);
    long sizes[n ? n : 1], added = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *rs = json_array_get(active, i);
        long p = to_add ? ck_deploy_proportion(rs, d, to_add, added) : 0;
        sizes[i] = spec_replicas(rs) + p;
        added += p;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *rs = json_array_get(active, i);
        if (i == 0 && to_add) {
            sizes[0] += to_add - added;
            if (sizes[0] < 0) sizes[0] = 0;
        }
        /* scaleReplicaSet (not ...AndRecordEvent): annotations may need an update alone */
        long r = ck_deploy_replicas(d), max = r + ck_deploy_max_surge(d);
        if (sizes[i] == spec_replicas(rs) && !ck_rs_replicas_annotations_need_update(rs, r, max)) continue;
        if (sizes[i] == spec_replicas(rs)) {
            json_t *copy = json_deep_copy(rs);
            ck_rs_set_replicas_annotations(copy, r, max);
            int rc = copy ? ops->update_rs(ops->ud, copy) : -1;
            if (rc == 0) json_object_clear(rs), json_object_update(rs, copy);
            json_decref(copy);
            if (rc < 0) return -1;
        } else if (ck_deploy_scale_rs(ops, d, rs, sizes[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

int ck_deploy_scale(const ck_deploy_ops *ops, const json_t *d, json_t *new_rs, const json_t *old_rss)
{
    json_t *aol = ck_deploy_find_active_or_latest(new_rs, old_rss);
    if (aol) {
        if (spec_replicas(aol) == ck_deploy_replicas(d)) return 0;
        return ck_deploy_scale_rs(ops, d, aol, ck_deploy_replicas(d)) < 0 ? -1 : 0;
    }
    if (ck_deploy_is_saturated(d, new_rs)) {
        json_t *active = ck_rss_active(old_rss);
        int rc = 0;
        size_t i;
        json_t *rs;
        json_array_foreach(active, i, rs) if (ck_deploy_scale_rs(ops, d, rs, 0) < 0) rc = -1;
        json_decref(active);
        return rc;
    }
    if (!ck_deploy_is_rolling(d)) return 0;
    json_t *all = json_copy((json_t *)old_rss);
    if (new_rs) json_array_append(all, new_rs);
    json_t *active = ck_rss_active(all);
    int rc = scale_proportionally(ops, d, active);
    json_decref(active);
    json_decref(all);
    return rc;
}

int ck_deploy_scale_down_old_for_recreate(const ck_deploy_ops *ops, const json_t *d, const json_t *old_rss)
{
    int scaled = 0;
    size_t i;
    json_t *rs;
    json_array_foreach(old_rss, i, rs) {
        if (spec_replicas(rs) == 0) continue;
        int rc = ck_deploy_scale_rs(ops, d, rs, 0);
        if (rc < 0) return -1;
        if (rc > 0) scaled = 1;
    }
    return scaled;
}

bool ck_deploy_old_pods_running(const json_t *new_rs, const json_t *old_rss, const json_t *pods)
{
    if (ck_rss_status_field(old_rss, "replicas") > 0) return true;
    const char *nuid = new_rs ? ck_json_str(new_rs, "metadata.uid", "") : NULL;
    size_t i, j;
    json_t *p, *rs;
    json_array_foreach(pods, i, p) {
        const char *phase = ck_json_str(p, "status.phase", "");
        if (!strcmp(phase, "Failed") || !strcmp(phase, "Succeeded")) continue;
        json_t *ref;
        json_array_foreach(ck_json_path(p, "metadata.ownerReferences"), j, ref) {
            if (!json_is_true(json_object_get(ref, "controller"))) continue;
            const char *uid = ck_json_str(ref, "uid", "");
            if (nuid && !strcmp(uid, nuid)) continue;
            size_t k;
            json_array_foreach(old_rss, k, rs) if (!strcmp(ck_json_str(rs, "metadata.uid", ""), uid)) return true;
        }
    }
    return false;
}

json_t *ck_deploy_cleanup_victims(const json_t *d, const json_t *old_rss)
{
    json_t *out = json_array();
    long limit = (long)ck_json_int(d, "spec.revisionHistoryLimit", 10);
    if (limit == INT_MAX) return out;
    json_t *alive = json_array();
    size_t i;
    json_t *rs;
    json_array_foreach(old_rss, i, rs)
        if (!ck_json_path(rs, "metadata.deletionTimestamp")) json_array_append(alive, rs);
    long diff = (long)json_array_size(alive) - limit;
    ck_rss_sort_by_revision(alive);
    for (long k = 0; k < diff; k++) {
        rs = json_array_get(alive, (size_t)k);
        if (ck_json_int(rs, "status.replicas", 0) != 0 || spec_replicas(rs) != 0 ||
            ck_json_int(rs, "metadata.generation", 0) > ck_json_int(rs, "status.observedGeneration", 0))
            continue;
        json_array_append(out, rs);
    }
    json_decref(alive);
    return out;
}

json_t *ck_deploy_rollout_status(const json_t *d, const json_t *all_rss, const json_t *new_rs, time_t now)
{
    char nowbuf[CK_TIME_LEN], msg[600];
    ck_time_format(now, nowbuf);
    json_t *st = ck_deploy_calculate_status(all_rss, new_rs, d, nowbuf);
    if (!st) return NULL;
    bool deadline = ck_deploy_has_progress_deadline(d);
    if (!deadline) ck_deploy_remove_condition(st, "Progressing");
    json_t *cur = ck_deploy_get_condition(json_object_get(d, "status"), "Progressing");
    bool complete_already = ck_json_int(st, "replicas", 0) == ck_json_int(st, "updatedReplicas", 0) && cur &&
                            !strcmp(ck_json_str(cur, "reason", ""), "NewReplicaSetAvailable");
    const char *nname = new_rs ? ck_json_str(new_rs, "metadata.name", "") : NULL;
    if (deadline && !complete_already) {
        if (ck_deploy_complete(d, st)) {
            if (nname) snprintf(msg, sizeof msg, "ReplicaSet \"%s\" has successfully progressed.", nname);
            else snprintf(msg, sizeof msg, "Deployment \"%s\" has successfully progressed.", ck_json_str(d, "metadata.name", ""));
            ck_deploy_set_condition(st, ck_deploy_condition("Progressing", "True", "NewReplicaSetAvailable", msg, nowbuf));
        } else if (ck_deploy_progressing(d, st)) {
            if (nname) snprintf(msg, sizeof msg, "ReplicaSet \"%s\" is progressing.", nname);
            else snprintf(msg, sizeof msg, "Deployment \"%s\" is progressing.", ck_json_str(d, "metadata.name", ""));
            json_t *c = ck_deploy_condition("Progressing", "True", "ReplicaSetUpdated", msg, nowbuf);
            json_t *sc = ck_deploy_get_condition(st, "Progressing");
            if (sc) {  /* keep lastTransitionTime of a True condition; always refresh lastUpdateTime */
                if (!strcmp(ck_json_str(sc, "status", ""), "True"))
                    json_object_set(c, "lastTransitionTime", json_object_get(sc, "lastTransitionTime"));
                ck_deploy_remove_condition(st, "Progressing");
            }
            ck_deploy_set_condition(st, c);
        } else if (ck_deploy_timed_out(d, st, now)) {
            if (nname) snprintf(msg, sizeof msg, "ReplicaSet \"%s\" has timed out progressing.", nname);
            else snprintf(msg, sizeof msg, "Deployment \"%s\" has timed out progressing.", ck_json_str(d, "metadata.name", ""));
            ck_deploy_set_condition(st, ck_deploy_condition("Progressing", "False", "ProgressDeadlineExceeded", msg, nowbuf));
        }
    }
    /* ReplicaFailure conditions of the ReplicaSets move up (getReplicaFailures) */
    json_t *failure = NULL;
    size_t i;
    json_t *rs;
    json_array_foreach(all_rss, i, rs) {
        json_t *c = ck_deploy_get_condition(json_object_get(rs, "status"), "ReplicaFailure");
        if (c && !failure) failure = c;
    }
    if (failure)
        ck_deploy_set_condition(st, ck_deploy_condition("ReplicaFailure", ck_json_str(failure, "status", ""),
                                                        ck_json_str(failure, "reason", ""),
                                                        ck_json_str(failure, "message", ""), nowbuf));
    else
        ck_deploy_remove_condition(st, "ReplicaFailure");
    return st;
}
