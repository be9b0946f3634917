/* deployment.c: the Deployment controller's wiring (pkg/controller/
 * deployment/deployment_controller.go): informers on Deployments,
 * ReplicaSets and Pods, the owner-resolution event handlers, claiming
 * ReplicaSets (adopt/release) and syncDeployment's dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllers.h"
#include "controller-manager/deployment.h"
#include "controller-manager/deployment_util.h"
#include "controller-manager/replicaset_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/log.h"

/* ---- event handlers ---------------------------------------------------- */

static json_t *resolve(ck_informer *inf, const char *kind, const json_t *obj, const json_t *ref)
{
    if (!ref || strcmp(ck_json_str(ref, "kind", ""), kind)) return NULL;
    char key[512];
    snprintf(key, sizeof key, "%s/%s", ck_json_str(obj, "metadata.namespace", ""), ck_json_str(ref, "name", ""));
    json_t *o = ck_informer_get(inf, key);
    if (o && strcmp(ck_json_str(o, "metadata.uid", ""), ck_json_str(ref, "uid", "?"))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static bool selects(const json_t *d, void *ud)
{
    const json_t *rs = ud;
    if (strcmp(ck_json_str(d, "metadata.namespace", ""), ck_json_str(rs, "metadata.namespace", ""))) return false;
    char err[128];
    ck_label_selector *s = ck_label_selector_from_json(ck_json_path(d, "spec.selector"), err, sizeof err);
    bool m = s && !ck_label_selector_empty(s) && ck_label_selector_matches(s, ck_json_path(rs, "metadata.labels"));
    ck_label_selector_free(s);
    return m;
}

static void enqueue_owner_or_matching(dp_ctrl *c, json_t *rs, bool orphans_too)
{
    json_t *ref = ck_controller_ref(rs);
    if (ref) {
        json_t *d = resolve(c->dinf, "Deployment", rs, ref);
        ck_workers_enqueue(&c->w, d);
        json_decref(d);
    } else if (orphans_too) {
        json_t *ds = ck_informer_list(c->dinf, selects, rs);
        size_t i;
        json_t *d;
        json_array_foreach(ds, i, d) ck_workers_enqueue(&c->w, d);
        json_decref(ds);
    }
}

static void rs_added(json_t *rs, void *ud) { enqueue_owner_or_matching(ud, rs, !ck_json_path(rs, "metadata.deletionTimestamp")); }
static void rs_deleted(json_t *rs, void *ud) { enqueue_owner_or_matching(ud, rs, false); }
static void rs_updated(json_t *old, json_t *cur, void *ud)
{
    dp_ctrl *c = ud;
    if (!ck_json_equal(ck_controller_ref(old), ck_controller_ref(cur))) enqueue_owner_or_matching(c, old, false);
    bool labels = !ck_json_equal(ck_json_path(old, "metadata.labels"), ck_json_path(cur, "metadata.labels"));
    enqueue_owner_or_matching(c, cur, labels || !ck_controller_ref(old));
}

static void d_changed(json_t *d, void *ud) { ck_workers_enqueue(&((dp_ctrl *)ud)->w, d); }
static void d_updated(json_t *old, json_t *d, void *ud) { d_changed(d, ud); }

/* deletePod: a Recreate rollout waits for old pods to go away. */
static void pod_deleted(json_t *pod, void *ud)
{
    dp_ctrl *c = ud;
    json_t *rs = resolve(c->rsinf, "ReplicaSet", pod, ck_controller_ref(pod));
    json_t *d = rs ? resolve(c->dinf, "Deployment", rs, ck_controller_ref(rs)) : NULL;
    if (d && !strcmp(ck_json_str(d, "spec.strategy.type", ""), "Recreate")) ck_workers_enqueue(&c->w, d);
    json_decref(d);
    json_decref(rs);
}

/* ---- claiming ReplicaSets ----------------------------------------------- */

static int patch_refs(dp_ctrl *c, json_t *rs, json_t *refs)
{
    json_t *patch = json_pack("{s:{s:o,s:s,s:s}}", "metadata", "ownerReferences", refs, "uid",
                              ck_json_str(rs, "metadata.uid", ""), "resourceVersion",
                              ck_json_str(rs, "metadata.resourceVersion", ""));
    ck_resource_ref ref = {"apps", "v1", "replicasets", ck_json_str(rs, "metadata.namespace", ""),
                           ck_json_str(rs, "metadata.name", ""), NULL};
    ck_response r = {0};
    int rc = patch ? ck_rest_patch(c->rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    if (rc == 0 && r.body) json_object_clear(rs), json_object_update(rs, r.body);
    else if (rc < 0) rc = (r.code == 404 || r.code == 422) ? 1 : -1;
    json_decref(patch);
    ck_response_clear(&r);
    return rc;
}

static bool in_ns(const json_t *o, void *ud) { return ck_in_namespace(o, ud); }

/* getReplicaSetsForDeployment (ControllerRefManager.ClaimReplicaSets): a
 * new array of mutable copies of the RSs d controls after adoption/release.
 * The decision is ck_wl_claim_decide's: as upstream, an orphan is adopted
 * when the selector matches the RS's own metadata.labels. */
static json_t *claim_rss(dp_ctrl *c, const json_t *d, const ck_label_selector *sel, int *err)
{
    const char *ns = ck_json_str(d, "metadata.namespace", ""), *uid = ck_json_str(d, "metadata.uid", "");
    json_t *all = ck_informer_list(c->rsinf, in_ns, (void *)ns), *out = json_array();
    size_t i;
    json_t *cached;
    json_array_foreach(all, i, cached) {
        ck_wl_claim_action act = ck_wl_claim_decide(d, sel, cached);
        if (act == CK_CLAIM_IGNORE) continue;
        json_t *rs = json_deep_copy(cached);
        json_t *refs = NULL;
        if (act == CK_CLAIM_KEEP) {
            json_array_append(out, rs);
        } else if (act == CK_CLAIM_RELEASE) {
            refs = json_array();
            size_t j;
            json_t *o;
            json_array_foreach(ck_json_path(rs, "metadata.ownerReferences"), j, o)
                if (strcmp(ck_json_str(o, "uid", ""), uid)) json_array_append(refs, o);
            if (patch_refs(c, rs, refs) < 0) *err = 1;
        } else {
            refs = json_deep_copy(ck_json_path(rs, "metadata.ownerReferences"));
            if (!refs) refs = json_array();
            json_array_append_new(refs, ck_new_controller_ref(d, "apps/v1", "Deployment"));
            int rc = patch_refs(c, rs, refs);
            if (rc < 0) *err = 1;
            if (rc == 0) json_array_append(out, rs);
        }
        json_decref(rs);
    }
    json_decref(all);
    return out;
}

/* ---- ops: the writes the rollout arithmetic asks for -------------------- */

static int op_update_rs(void *ud, json_t *rs)
{
    dp_sync *s = ud;
    ck_resource_ref ref = {"apps", "v1", "replicasets", ck_json_str(rs, "metadata.namespace", ""),
                           ck_json_str(rs, "metadata.name", ""), NULL};
    ck_response r = {0};
    int rc = ck_rest_update(s->c->rest, &ref, rs, &r);
    if (rc == 0 && r.body) json_object_clear(rs), json_object_update(rs, r.body);
    else if (rc < 0) ck_debug("update replicaset %s: %s", ref.name, r.message);
    ck_response_clear(&r);
    return rc;
}

static void op_scaled(void *ud, const json_t *rs, const char *op, long from, long to)
{
    dp_sync *s = ud;
    ck_eventf(s->c->rest, "deployment-controller", s->d, "apps/v1", "Deployment", "Normal", "ScalingReplicaSet",
                "Scaled %s replica set %s to %ld from %ld", op, ck_json_str(rs, "metadata.name", ""), to, from);
}

/* ---- syncDeployment ------------------------------------------------------ */

/* isScalingEvent: an active RS whose desired-replicas annotation differs. */
static bool is_scaling_event(dp_sync *s)
{
    json_t *all = json_copy(s->old_rss);
    if (s->new_rs) json_array_append(all, s->new_rs);
    json_t *active = ck_rss_active(all);
    bool ev = false;
    size_t i;
    json_t *rs;
    json_array_foreach(active, i, rs) {
        const char *want = json_string_value(json_object_get(ck_json_path(rs, "metadata.annotations"),
                                                             CK_ANN_DESIRED_REPLICAS));
        if (want && strtol(want, NULL, 10) != ck_deploy_replicas(s->d)) ev = true;
    }
    json_decref(active);
    json_decref(all);
    return ev;
}

static int dispatch(dp_sync *s)
{
    if (ck_label_selector_empty(s->sel)) {
        ck_eventf(s->c->rest, "deployment-controller", s->d, "apps/v1", "Deployment", "Warning", "SelectingAll",
                    "This deployment is selecting all pods. A non-empty selector is required.");
        if (ck_json_int(s->d, "status.observedGeneration", 0) < ck_json_int(s->d, "metadata.generation", 0)) {
            json_t *st = json_deep_copy(json_object_get(s->d, "status"));
            if (!st) st = json_object();
            json_object_set_new(st, "observedGeneration", json_integer(ck_json_int(s->d, "metadata.generation", 0)));
            return ck_dp_update_status(s, st);
        }
        return 0;
    }
    int err = 0;
    s->rss = claim_rss(s->c, s->d, s->sel, &err);
    if (err) return -1;
    if (ck_json_path(s->d, "metadata.deletionTimestamp")) {
        if (ck_dp_get_all_rss(s, false) < 0) return -1;
        return ck_dp_sync_status(s, false);
    }
    if (ck_dp_check_paused(s) < 0) return -1;
    if (ck_json_bool(s->d, "spec.paused", false)) return ck_dp_sync_scale(s);
    if (ck_dp_get_all_rss(s, false) < 0) return -1;
    if (is_scaling_event(s)) return ck_dp_sync_scale(s);
    return ck_deploy_is_rolling(s->d) ? ck_dp_rollout_rolling(s) : ck_dp_rollout_recreate(s);
}

static long dp_sync_key(void *self, const char *key)
{
    dp_ctrl *c = self;
    json_t *cached = ck_informer_get(c->dinf, key);
    if (!cached) return CK_SYNC_OK;
    dp_sync s = {.c = c, .d = json_deep_copy(cached)};
    json_decref(cached);
    char err[256];
    s.sel = ck_label_selector_from_json(ck_json_path(s.d, "spec.selector"), err, sizeof err);
    s.ops = (ck_deploy_ops){op_update_rs, op_scaled, &s};
    int rc = s.d && s.sel ? dispatch(&s) : 0;
    long out = rc < 0 ? CK_SYNC_RETRY : s.requeue_ms > 0 ? s.requeue_ms : CK_SYNC_OK;
    ck_label_selector_free(s.sel);
    json_decref(s.old_rss);
    json_decref(s.rss);
    json_decref(s.d);
    return out;
}

static void dp_stop(void *h)
{
    dp_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->podinf, c->rsinf, c->dinf}, 3);
    ck_workers_stop(&c->w);
    free(c);
}

static void *dp_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    dp_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_workers_init(&c->w, "deployment", dp_sync_key, c) < 0) { free(c); return NULL; }
    ck_informer_handlers dh = {d_changed, d_updated, d_changed, c};
    ck_informer_handlers rh = {rs_added, rs_updated, rs_deleted, c};
    ck_informer_handlers ph = {NULL, NULL, pod_deleted, c};
    c->dinf = ck_controller_informer(ctx->rest, "apps", "v1", "deployments", &dh, err, errlen);
    if (c->dinf) c->rsinf = ck_controller_informer(ctx->rest, "apps", "v1", "replicasets", &rh, err, errlen);
    if (c->rsinf) c->podinf = ck_controller_informer(ctx->rest, "", "v1", "pods", &ph, err, errlen);
    /* upstream --concurrent-deployment-syncs defaults to 5 */
    if (!c->podinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 5) < 0) { dp_stop(c); return NULL; }
    return c;
}

const ck_cm_controller ck_cm_deployment_controller = {"deployment", dp_start, dp_stop};
