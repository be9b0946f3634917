/* deployment_sync.c: the Deployment controller's writes (pkg/controller/
 * deployment/sync.go, rolling.go, recreate.go, progress.go): find or create
 * the new ReplicaSet, run the rollout arithmetic, delete old history, and
 * write the status and the revision annotation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/deployment.h"
#include "controller-manager/deployment_util.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

#define COMPONENT "deployment-controller"

static ck_resource_ref dref(const json_t *d, const char *sub)
{
    return (ck_resource_ref){"apps", "v1", "deployments", ck_json_str(d, "metadata.namespace", ""),
                             ck_json_str(d, "metadata.name", ""), sub};
}

/* Fields compared as integers (an omitted zero equals 0). */
static bool status_equal(const json_t *a, const json_t *b)
{
    static const char *const F[] = {"observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                                    "availableReplicas", "unavailableReplicas"};
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
        if (ck_json_int(a, F[i], 0) != ck_json_int(b, F[i], 0)) return false;
    if (!ck_json_equal(json_object_get(a, "collisionCount"), json_object_get(b, "collisionCount"))) return false;
    json_t *ca = json_object_get(a, "conditions"), *cb = json_object_get(b, "conditions");
    if (!json_array_size(ca) && !json_array_size(cb)) return true;
    return ck_json_equal(ca, cb);
}

int ck_dp_update_status(dp_sync *s, json_t *st)
{
    if (!st) return -1;
    json_t *body = json_deep_copy(s->d);
    if (!body) { json_decref(st); return -1; }
    json_object_set_new(body, "status", st);
    ck_resource_ref ref = dref(s->d, "status");
    ck_response r = {0};
    int rc = ck_rest_update(s->c->rest, &ref, body, &r);
    if (rc == 0 && r.body) json_object_clear(s->d), json_object_update(s->d, r.body);
    else if (rc < 0) ck_debug("deployment %s status: %s", ref.name, r.message);
    ck_response_clear(&r);
    json_decref(body);
    return rc;
}

/* SetDeploymentRevision, written as a merge patch of the annotation. */
static int set_revision(dp_sync *s, const char *rev)
{
    json_t *a = ck_json_path(s->d, "metadata.annotations");
    const char *cur = json_string_value(json_object_get(a, CK_ANN_REVISION));
    if (!rev || (cur && !strcmp(cur, rev))) return 0;
    json_t *patch = json_pack("{s:{s:{s:s}}}", "metadata", "annotations", CK_ANN_REVISION, rev);
    ck_resource_ref ref = dref(s->d, NULL);
    ck_response r = {0};
    int rc = patch ? ck_rest_patch(s->c->rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    if (rc == 0 && r.body) json_object_clear(s->d), json_object_update(s->d, r.body);
    ck_response_clear(&r);
    json_decref(patch);
    return rc;
}

static int set_progressing(dp_sync *s, const char *status, const char *reason, const char *msg)
{
    char now[CK_TIME_LEN];
    json_t *st = json_deep_copy(json_object_get(s->d, "status"));
    if (!st) st = json_object();
    ck_deploy_set_condition(st, ck_deploy_condition("Progressing", status, reason, msg, ck_time_now(now)));
    return ck_dp_update_status(s, st);
}

/* The RS whose hash label is the one d's template hashes to also counts as
 * new: ckube's apiserver may default RS and Deployment templates differently. */
static bool hash_matches(const json_t *d, const json_t *rs)
{
    char hash[16];
    long cc = json_is_integer(ck_json_path(d, "status.collisionCount"))
                  ? (long)ck_json_int(d, "status.collisionCount", 0) : -1;
    ck_deploy_compute_hash(ck_json_path(d, "spec.template"), cc, hash);
    const char *l = json_string_value(json_object_get(ck_json_path(rs, "metadata.labels"), CK_DEPLOY_HASH_LABEL));
    return l && !strcmp(l, hash);
}

static json_t *find_new(const json_t *d, const json_t *rss)
{
    json_t *rs = ck_deploy_find_new_rs(d, rss);
    if (rs) return rs;
    size_t i;
    json_array_foreach(rss, i, rs) if (hash_matches(d, rs)) return rs;
    return NULL;
}

/* Existing new RS: sync its annotations/minReadySeconds and d's revision. */
static int sync_existing(dp_sync *s, long new_revision)
{
    json_t *copy = json_deep_copy(s->new_rs);
    bool changed = ck_deploy_set_new_rs_annotations(s->d, copy, new_revision, true);
    long mrs = (long)ck_json_int(s->d, "spec.minReadySeconds", 0);
    if (changed || ck_json_int(copy, "spec.minReadySeconds", 0) != mrs) {
        ck_json_set(copy, "spec.minReadySeconds", json_integer(mrs));
        int rc = s->ops.update_rs(s->ops.ud, copy);
        if (rc == 0) json_object_clear(s->new_rs), json_object_update(s->new_rs, copy);
        json_decref(copy);
        return rc;
    }
    json_decref(copy);
    /* annotation keys contain dots: read the object directly */
    const char *r = json_string_value(json_object_get(ck_json_path(s->new_rs, "metadata.annotations"), CK_ANN_REVISION));
    if (set_revision(s, r) < 0) return -1;
    if (ck_deploy_has_progress_deadline(s->d) &&
        !ck_deploy_get_condition(json_object_get(s->d, "status"), "Progressing")) {
        char msg[600];
        snprintf(msg, sizeof msg, "Found new replica set \"%s\"", ck_json_str(s->new_rs, "metadata.name", ""));
        return set_progressing(s, "True", "FoundNewReplicaSet", msg);
    }
    return 0;
}

/* A 409 on create: our own RS (take it) or a hash collision (bump count). */
static int create_conflict(dp_sync *s, const json_t *want, json_t **created)
{
    ck_resource_ref ref = {"apps", "v1", "replicasets", ck_json_str(want, "metadata.namespace", ""),
                           ck_json_str(want, "metadata.name", ""), NULL};
    ck_response r = {0};
    int rc = ck_rest_get(s->c->rest, &ref, &r);
    json_t *cref = rc == 0 ? ck_controller_ref(r.body) : NULL;
    if (cref && !strcmp(ck_json_str(cref, "uid", ""), ck_json_str(s->d, "metadata.uid", "?")) &&
        (ck_deploy_equal_ignore_hash(ck_json_path(r.body, "spec.template"), ck_json_path(s->d, "spec.template")) ||
         hash_matches(s->d, r.body))) {
        *created = json_incref(r.body);
        ck_response_clear(&r);
        return 0;
    }
    ck_response_clear(&r);
    json_t *st = json_deep_copy(json_object_get(s->d, "status"));
    if (!st) st = json_object();
    json_object_set_new(st, "collisionCount", json_integer(ck_json_int(st, "collisionCount", 0) + 1));
    ck_dp_update_status(s, st);
    return -1;
}

static int create_new(dp_sync *s, long new_revision)
{
    json_t *rs = ck_deploy_new_rs(s->d, new_revision);
    if (!rs) return -1;
    json_t *all = json_copy(s->old_rss);
    json_array_append(all, rs);
    long replicas = ck_deploy_new_rs_new_replicas(s->d, all, rs);
    json_decref(all);
    ck_json_set(rs, "spec.replicas", json_integer(replicas));
    ck_resource_ref ref = {"apps", "v1", "replicasets", ck_json_str(rs, "metadata.namespace", ""), NULL, NULL};
    ck_response r = {0};
    json_t *created = NULL;
    bool existed = false;
    int rc = ck_rest_create(s->c->rest, &ref, rs, &r);
    if (rc == 0) created = json_incref(r.body);
    else if (r.code == 409) existed = true, rc = create_conflict(s, rs, &created);
    else {
        char msg[700];
        snprintf(msg, sizeof msg, "Failed to create new replica set \"%s\": %.400s", ck_json_str(rs, "metadata.name", ""),
                 r.message);
        set_progressing(s, "False", "ReplicaSetCreateError", msg);
    }
    ck_response_clear(&r);
    if (rc < 0 || !created) { json_decref(rs); json_decref(created); return -1; }
    json_array_append_new(s->rss, created);
    s->new_rs = created;
    if (!existed && replicas > 0)
        ck_eventf(s->c->rest, COMPONENT, s->d, "apps/v1", "Deployment", "Normal", "ScalingReplicaSet",
                    "Scaled up replica set %s to %ld", ck_json_str(created, "metadata.name", ""), replicas);
    char rev[24];
    snprintf(rev, sizeof rev, "%ld", new_revision);
    rc = set_revision(s, rev);
    if (rc == 0 && !existed && ck_deploy_has_progress_deadline(s->d)) {
        char msg[600];
        snprintf(msg, sizeof msg, "Created new replica set \"%s\"", ck_json_str(created, "metadata.name", ""));
        rc = set_progressing(s, "True", "NewReplicaSetCreated", msg);
    }
    json_decref(rs);
    return rc;
}

int ck_dp_get_all_rss(dp_sync *s, bool create)
{
    s->new_rs = find_new(s->d, s->rss);
    json_decref(s->old_rss);
    s->old_rss = ck_deploy_old_rss(s->rss, s->new_rs);
    long new_revision = ck_rss_max_revision(s->old_rss) + 1;
    if (s->new_rs) return sync_existing(s, new_revision);
    return create ? create_new(s, new_revision) : 0;
}

static json_t *all_rss(dp_sync *s)
{
    json_t *all = json_copy(s->old_rss);
    if (s->new_rs) json_array_append(all, s->new_rs);
    return all;
}

/* requeueStuckDeployment: when to look again for ProgressDeadlineExceeded. */
static long requeue_stuck(const json_t *d, const json_t *st, time_t now)
{
    json_t *c = ck_deploy_get_condition(json_object_get(d, "status"), "Progressing");
    if (!ck_deploy_has_progress_deadline(d) || !c) return 0;
    if (ck_deploy_complete(d, st) || !strcmp(ck_json_str(c, "reason", ""), "ProgressDeadlineExceeded")) return 0;
    time_t last = ck_time_parse(ck_json_str(c, "lastUpdateTime", ""));
    long after = (long)(last + ck_json_int(d, "spec.progressDeadlineSeconds", 600) - now);
    return after < 1 ? 1000 : after * 1000;
}

int ck_dp_sync_status(dp_sync *s, bool rollout)
{
    json_t *all = all_rss(s);
    time_t now = time(NULL);
    char nowbuf[CK_TIME_LEN];
    json_t *st = rollout ? ck_deploy_rollout_status(s->d, all, s->new_rs, now)
                         : ck_deploy_calculate_status(all, s->new_rs, s->d, ck_time_format(now, nowbuf));
    json_decref(all);
    if (!st) return -1;
    if (status_equal(json_object_get(s->d, "status"), st)) {
        if (rollout) s->requeue_ms = requeue_stuck(s->d, st, now);
        json_decref(st);
        return 0;
    }
    return ck_dp_update_status(s, st);
}

/* cleanupDeployment */
static int cleanup(dp_sync *s)
{
    json_t *victims = ck_deploy_cleanup_victims(s->d, s->old_rss);
    int rc = 0;
    size_t i;
    json_t *rs;
    json_array_foreach(victims, i, rs) {
        ck_resource_ref ref = {"apps", "v1", "replicasets", ck_json_str(rs, "metadata.namespace", ""),
                               ck_json_str(rs, "metadata.name", ""), NULL};
        ck_response r = {0};
        if (ck_rest_delete(s->c->rest, &ref, NULL, &r) < 0 && r.code != 404) rc = -1;
        ck_response_clear(&r);
    }
    json_decref(victims);
    return rc;
}

int ck_dp_rollout_rolling(dp_sync *s)
{
    if (ck_dp_get_all_rss(s, true) < 0) return -1;
    json_t *all = all_rss(s);
    int rc = ck_deploy_reconcile_new_rs(&s->ops, s->d, all, s->new_rs);
    if (rc == 0) {
        json_t *active = ck_rss_active(s->old_rss);
        rc = ck_deploy_reconcile_old_rss(&s->ops, s->d, all, active, s->new_rs);
        json_decref(active);
    }
    json_decref(all);
    if (rc < 0) return -1;
    if (rc == 0 && ck_deploy_complete(s->d, json_object_get(s->d, "status")) && cleanup(s) < 0) return -1;
    return ck_dp_sync_status(s, true);
}

static bool selected(const json_t *pod, void *ud)
{
    dp_sync *s = ud;
    return ck_in_namespace(pod, (void *)ck_json_str(s->d, "metadata.namespace", "")) &&
           ck_label_selector_matches(s->sel, ck_json_path(pod, "metadata.labels"));
}

int ck_dp_rollout_recreate(dp_sync *s)
{
    json_t *active = ck_rss_active(s->old_rss);
    int rc = ck_deploy_scale_down_old_for_recreate(&s->ops, s->d, active);
    json_decref(active);
    if (rc != 0) return rc < 0 ? -1 : ck_dp_sync_status(s, true);
    json_t *pods = ck_informer_list(s->c->podinf, selected, s);
    bool running = ck_deploy_old_pods_running(s->new_rs, s->old_rss, pods);
    json_decref(pods);
    if (running) return ck_dp_sync_status(s, true);
    if (!s->new_rs && ck_dp_get_all_rss(s, true) < 0) return -1;
    if (ck_deploy_scale_rs(&s->ops, s->d, s->new_rs, ck_deploy_replicas(s->d)) < 0) return -1;
    if (ck_deploy_complete(s->d, json_object_get(s->d, "status")) && cleanup(s) < 0) return -1;
    return ck_dp_sync_status(s, true);
}

int ck_dp_sync_scale(dp_sync *s)
{
    if (ck_dp_get_all_rss(s, false) < 0) return -1;
    if (ck_deploy_scale(&s->ops, s->d, s->new_rs, s->old_rss) < 0) return -1;
    if (ck_json_bool(s->d, "spec.paused", false) && cleanup(s) < 0) return -1;
    return ck_dp_sync_status(s, false);
}

int ck_dp_check_paused(dp_sync *s)
{
    if (!ck_deploy_has_progress_deadline(s->d)) return 0;
    json_t *c = ck_deploy_get_condition(json_object_get(s->d, "status"), "Progressing");
    bool paused = ck_json_bool(s->d, "spec.paused", false);
    const char *reason = c ? ck_json_str(c, "reason", "") : "";
    if (paused && strcmp(reason, "DeploymentPaused"))
        return set_progressing(s, "Unknown", "DeploymentPaused", "Deployment is paused");
    if (!paused && !strcmp(reason, "DeploymentPaused"))
        return set_progressing(s, "Unknown", "DeploymentResumed", "Deployment is resumed");
    return 0;
}
