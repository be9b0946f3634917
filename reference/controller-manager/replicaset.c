/* replicaset.c: the ReplicaSet controller (pkg/controller/replicaset):
 * pods informer + owner informer -> queue of owner keys -> syncReplicaSet:
 * claim pods (adopt/release), create or delete to match spec.replicas under
 * expectations, then write status. Also drives ReplicationControllers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllers.h"
#include "controller-manager/expectations.h"
#include "controller-manager/replicaset.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct rs_ctrl {
    const ck_rs_kind *kind;
    const char *component;
    ck_rest *rest;
    ck_workers w;
    ck_informer *rsinf, *podinf;
    ck_expectations *exp;
} rs_ctrl;

/* ---- event handlers ---------------------------------------------------- */

/* resolveControllerRef: the cached owner a controller ref names, or NULL. */
static json_t *resolve_owner(rs_ctrl *c, const json_t *pod, const json_t *ref)
{
    if (!ref || strcmp(ck_json_str(ref, "kind", ""), c->kind->kind)) return NULL;
    char key[512];
    snprintf(key, sizeof key, "%s/%s", ck_json_str(pod, "metadata.namespace", ""), ck_json_str(ref, "name", ""));
    json_t *rs = ck_informer_get(c->rsinf, key);
    if (rs && strcmp(ck_json_str(rs, "metadata.uid", ""), ck_json_str(ref, "uid", "?"))) {
        json_decref(rs);
        return NULL;
    }
    return rs;
}

typedef struct match_ctx { const ck_rs_kind *kind; const json_t *pod; } match_ctx;

static bool owner_matches_pod(const json_t *rs, void *ud)
{
    const match_ctx *m = ud;
    const json_t *pod = m->pod;
    if (strcmp(ck_json_str(rs, "metadata.namespace", ""), ck_json_str(pod, "metadata.namespace", ""))) return false;
    ck_label_selector *s = ck_rs_selector(rs, m->kind);
    /* an empty selector matches nothing here (upstream getPodReplicaSets) */
    bool ok = s && !ck_label_selector_empty(s) && ck_label_selector_matches(s, ck_json_path(pod, "metadata.labels"));
    ck_label_selector_free(s);
    return ok;
}

/* Orphans: wake every owner whose selector matches (they may adopt). */
static void enqueue_matching(rs_ctrl *c, json_t *pod)
{
    match_ctx m = {c->kind, pod};
    json_t *owners = ck_informer_list(c->rsinf, owner_matches_pod, &m);
    size_t i;
    json_t *rs;
    json_array_foreach(owners, i, rs) ck_workers_enqueue(&c->w, rs);
    json_decref(owners);
}

static void pod_deleted(json_t *pod, void *ud)
{
    rs_ctrl *c = ud;
    json_t *rs = resolve_owner(c, pod, ck_controller_ref(pod));
    if (!rs) return;
    char rskey[512], podkey[512];
    ck_informer_key(rs, rskey, sizeof rskey);
    ck_informer_key(pod, podkey, sizeof podkey);
    ck_expectations_deletion_observed(c->exp, rskey, podkey);
    ck_workqueue_add(c->w.queue, rskey);
    json_decref(rs);
}

static void pod_added(json_t *pod, void *ud)
{
    rs_ctrl *c = ud;
    if (ck_json_path(pod, "metadata.deletionTimestamp")) { pod_deleted(pod, ud); return; }
    json_t *ref = ck_controller_ref(pod);
    if (ref) {
        json_t *rs = resolve_owner(c, pod, ref);
        if (!rs) return;
        char rskey[512];
        ck_informer_key(rs, rskey, sizeof rskey);
        ck_expectations_creation_observed(c->exp, rskey);
        ck_workqueue_add(c->w.queue, rskey);
        json_decref(rs);
        return;
    }
    enqueue_matching(c, pod);
}

static void pod_updated(json_t *old, json_t *cur, void *ud)
{
    rs_ctrl *c = ud;
    if (!strcmp(ck_json_str(old, "metadata.resourceVersion", ""), ck_json_str(cur, "metadata.resourceVersion", "")))
        return;  /* periodic resync: nothing changed */
    bool labels_changed = !ck_json_equal(ck_json_path(old, "metadata.labels"), ck_json_path(cur, "metadata.labels"));
    if (ck_json_path(cur, "metadata.deletionTimestamp")) {
        pod_deleted(cur, ud);
        if (labels_changed) pod_deleted(old, ud);
        return;
    }
    json_t *oref = ck_controller_ref(old), *cref = ck_controller_ref(cur);
    bool ref_changed = !ck_json_equal(oref, cref);
    if (ref_changed && oref) {
        json_t *rs = resolve_owner(c, old, oref);
        ck_workers_enqueue(&c->w, rs);
        json_decref(rs);
    }
    if (cref) {
        json_t *rs = resolve_owner(c, cur, cref);
        ck_workers_enqueue(&c->w, rs);
        json_decref(rs);
    } else if (labels_changed || ref_changed) {
        enqueue_matching(c, cur);
    }
}

static void rs_added(json_t *obj, void *ud) { ck_workers_enqueue(&((rs_ctrl *)ud)->w, obj); }
static void rs_updated(json_t *old, json_t *obj, void *ud) { rs_added(obj, ud); }
static void rs_deleted(json_t *obj, void *ud)
{
    rs_ctrl *c = ud;
    char key[512];
    if (ck_informer_key(obj, key, sizeof key) < 0) return;
    ck_expectations_delete(c->exp, key);
    ck_workqueue_add(c->w.queue, key);
}

/* ---- claiming (ControllerRefManager.ClaimPods) -------------------------- */

/* Writes the pod's new ownerReferences with a merge patch carrying its
 * resourceVersion, so a concurrent change conflicts instead of being lost. */
static int patch_owner_refs(rs_ctrl *c, const json_t *pod, json_t *refs, json_t **patched)
{
    json_t *patch = json_pack("{s:{s:o,s:s,s:s}}", "metadata", "ownerReferences", refs, "uid",
                              ck_json_str(pod, "metadata.uid", ""), "resourceVersion",
                              ck_json_str(pod, "metadata.resourceVersion", ""));
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "pods", ck_json_str(pod, "metadata.namespace", ""),
                           ck_json_str(pod, "metadata.name", ""), NULL};
    int rc = patch ? ck_rest_patch(c->rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    if (rc == 0 && patched) *patched = json_incref(r.body);
    if (rc < 0) rc = (r.code == 404 || r.code == 422) ? 1 : -1;  /* gone or now invalid: skip it */
    json_decref(patch);
    ck_response_clear(&r);
    return rc;
}

/* RecheckDeletionTimestamp: a fresh read of the owner before adopting. */
static bool can_adopt(rs_ctrl *c, const json_t *rs)
{
    ck_response r = {0};
    ck_resource_ref ref = {c->kind->group, c->kind->version, c->kind->resource,
                           ck_json_str(rs, "metadata.namespace", ""), ck_json_str(rs, "metadata.name", ""), NULL};
    bool ok = ck_rest_get(c->rest, &ref, &r) == 0 &&
              !strcmp(ck_json_str(r.body, "metadata.uid", ""), ck_json_str(rs, "metadata.uid", "?")) &&
              !ck_json_path(r.body, "metadata.deletionTimestamp");
    ck_response_clear(&r);
    return ok;
}

/* Returns a new array of the pods this owner controls after adopting
 * matching orphans and releasing owned pods that stopped matching; *err set
 * when a patch failed. */
static json_t *claim_pods(rs_ctrl *c, const json_t *rs, const ck_label_selector *sel, const json_t *pods, int *err)
{
    json_t *out = json_array();
    const char *uid = ck_json_str(rs, "metadata.uid", "");
    bool deleting = ck_json_path(rs, "metadata.deletionTimestamp") != NULL;
    int adoptable = -1;  /* checked lazily, once */
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) {
        json_t *ref = ck_controller_ref(p);
        bool match = ck_label_selector_matches(sel, ck_json_path(p, "metadata.labels"));
        if (ref) {
            if (strcmp(ck_json_str(ref, "uid", ""), uid)) continue;  /* someone else's */
            if (match) { json_array_append(out, p); continue; }
            if (deleting) continue;
            json_t *refs = json_array();  /* release: drop our reference */
            size_t j;
            json_t *o;
            json_array_foreach(ck_json_path(p, "metadata.ownerReferences"), j, o)
                if (strcmp(ck_json_str(o, "uid", ""), uid)) json_array_append(refs, o);
            if (patch_owner_refs(c, p, refs, NULL) < 0) *err = 1;
            continue;
        }
        if (deleting || !match || ck_json_path(p, "metadata.deletionTimestamp")) continue;
        if (adoptable < 0) adoptable = can_adopt(c, rs);
        if (!adoptable) continue;
        json_t *refs = json_deep_copy(ck_json_path(p, "metadata.ownerReferences"));
        if (!refs) refs = json_array();
        json_array_append_new(refs, ck_new_controller_ref(rs, c->kind->api_version, c->kind->kind));
        json_t *patched = NULL;
        int rc = patch_owner_refs(c, p, refs, &patched);
        if (rc < 0) *err = 1;
        if (rc == 0) json_array_append_new(out, patched ? patched : json_incref(p));
    }
    return out;
}

/* ---- manageReplicas ---------------------------------------------------- */

/* err: the last API error of this sync (ReplicaFailure's message). */
typedef struct create_ctx { rs_ctrl *c; const json_t *rs; json_t *pod; char *err; size_t errlen; } create_ctx;

static int create_one(void *ud)
{
    create_ctx *x = ud;
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "pods", ck_json_str(x->rs, "metadata.namespace", ""), NULL, NULL};
    int rc = ck_rest_create(x->c->rest, &ref, x->pod, &r);
    if (rc == 0)
        ck_eventf(x->c->rest, x->c->component, x->rs, x->c->kind->api_version, x->c->kind->kind, "Normal",
                    "SuccessfulCreate", "Created pod: %s", ck_json_str(r.body, "metadata.name", ""));
    else {
        snprintf(x->err, x->errlen, "%s", r.message);
        ck_eventf(x->c->rest, x->c->component, x->rs, x->c->kind->api_version, x->c->kind->kind, "Warning",
                    "FailedCreate", "Error creating: %s", r.message);
    }
    ck_response_clear(&r);
    return rc;
}

static int create_pods(rs_ctrl *c, const json_t *rs, const char *key, int n, char *err, size_t errlen)
{
    ck_expectations_expect_creations(c->exp, key, n, time(NULL));
    create_ctx x = {c, rs, ck_rs_pod_from_template(rs, c->kind), err, errlen};
    int ok = x.pod ? ck_slow_start_batch(n, CK_RS_SLOW_START_INITIAL_BATCH, create_one, &x) : 0;
    json_decref(x.pod);
    if (ok < n) {
        /* skipped creations will never be observed */
        ck_expectations_lower(c->exp, key, n - ok, 0);
        return -1;
    }
    return 0;
}

typedef struct siblings_ctx { const char *ns, *owner_uid; json_t *uids; } siblings_ctx;

static bool sibling(const json_t *o, void *ud)
{
    siblings_ctx *x = ud;
    json_t *ref = ck_controller_ref(o);
    return ck_in_namespace(o, (void *)x->ns) && ref && !strcmp(ck_json_str(ref, "uid", ""), x->owner_uid);
}

static bool owned_by_sibling(const json_t *pod, void *ud)
{
    siblings_ctx *x = ud;
    json_t *ref = ck_controller_ref(pod);
    return ck_in_namespace(pod, (void *)x->ns) && ck_pod_is_active(pod) && ref &&
           json_object_get(x->uids, ck_json_str(ref, "uid", ""));
}

/* getIndirectlyRelatedPods: active pods of every ReplicaSet sharing this
 * one's controller (a Deployment's old and new RSs), for the node ranks.
 * NULL when the RS has no controller (then its own pods are used). */
static json_t *related_pods(rs_ctrl *c, const json_t *rs)
{
    json_t *ref = ck_controller_ref(rs);
    if (!ref) return NULL;
    siblings_ctx x = {ck_json_str(rs, "metadata.namespace", ""), ck_json_str(ref, "uid", ""), json_object()};
    json_t *sibs = ck_informer_list(c->rsinf, sibling, &x);
    size_t i;
    json_t *s;
    json_array_foreach(sibs, i, s) json_object_set_new(x.uids, ck_json_str(s, "metadata.uid", ""), json_true());
    json_object_set_new(x.uids, ck_json_str(rs, "metadata.uid", ""), json_true());
    json_t *pods = ck_informer_list(c->podinf, owned_by_sibling, &x);
    json_decref(sibs);
    json_decref(x.uids);
    return pods;
}

static int delete_pods(rs_ctrl *c, const json_t *rs, const char *key, const json_t *pods, int n, char *err,
                       size_t errlen)
{
    json_t *related = related_pods(c, rs);
    json_t *victims = ck_rs_pods_to_delete(pods, related, n, time(NULL));
    json_decref(related);
    size_t m = json_array_size(victims);
    char **keys = calloc(m + 1, sizeof *keys);
    if (!victims || !keys) { json_decref(victims); free(keys); return -1; }
    for (size_t i = 0; i < m; i++) {
        keys[i] = malloc(512);
        if (keys[i]) ck_informer_key(json_array_get(victims, i), keys[i], 512);
    }
    ck_expectations_expect_deletions(c->exp, key, (const char *const *)keys, (int)m, time(NULL));
    int rc = 0;
    for (size_t i = 0; i < m; i++) {
        json_t *p = json_array_get(victims, i);
        ck_resource_ref ref = {"", "v1", "pods", ck_json_str(p, "metadata.namespace", ""),
                               ck_json_str(p, "metadata.name", ""), NULL};
        ck_response r = {0};
        if (ck_rest_delete(c->rest, &ref, NULL, &r) == 0) {
            ck_eventf(c->rest, c->component, rs, c->kind->api_version, c->kind->kind, "Normal",
                        "SuccessfulDelete", "Deleted pod: %s", ref.name);
        } else {
            if (keys[i]) ck_expectations_deletion_observed(c->exp, key, keys[i]);
            if (r.code != 404) {
                rc = -1;
                snprintf(err, errlen, "%s", r.message);
                ck_eventf(c->rest, c->component, rs, c->kind->api_version, c->kind->kind, "Warning",
                            "FailedDelete", "Error deleting: %s", r.message);
            }
        }
        ck_response_clear(&r);
    }
    for (size_t i = 0; i < m; i++) free(keys[i]);
    free(keys);
    json_decref(victims);
    return rc;
}

static int manage_replicas(rs_ctrl *c, const json_t *rs, const char *key, const json_t *pods, char *err,
                           size_t errlen)
{
    long want = (long)ck_json_int(rs, "spec.replicas", 1);
    long diff = (long)json_array_size(pods) - want;
    if (diff < 0) {
        diff = -diff > CK_RS_BURST_REPLICAS ? CK_RS_BURST_REPLICAS : -diff;
        ck_debug("too few replicas for %s %s, need %ld, creating %ld", c->kind->kind, key, want, diff);
        return create_pods(c, rs, key, (int)diff, err, errlen);
    }
    if (diff > 0) {
        if (diff > CK_RS_BURST_REPLICAS) diff = CK_RS_BURST_REPLICAS;
        ck_debug("too many replicas for %s %s, need %ld, deleting %ld", c->kind->kind, key, want, diff);
        return delete_pods(c, rs, key, pods, (int)diff, err, errlen);
    }
    return 0;
}

/* updateReplicaSetStatus: PUT .../status when a counted field moved; one
 * retry on a fresh copy after a conflict, as upstream's statusUpdateRetries. */
static int update_status(rs_ctrl *c, const json_t *rs, json_t *status)
{
    if (!ck_rs_status_changed(json_object_get(rs, "status"), status)) return 0;
    return ck_wl_put_status(c->rest, c->kind, c->component, rs, status);
}

static bool in_ns(const json_t *o, void *ud) { return ck_in_namespace(o, ud) && ck_pod_is_active(o); }

/* syncReplicaSet. */
static long rs_sync(void *self, const char *key)
{
    rs_ctrl *c = self;
    json_t *rs = ck_informer_get(c->rsinf, key);
    if (!rs) { ck_expectations_delete(c->exp, key); return CK_SYNC_OK; }
    time_t now = time(NULL);
    bool needs_sync = ck_expectations_satisfied(c->exp, key, now);
    ck_label_selector *sel = ck_rs_selector(rs, c->kind);
    /* invalid or empty selector (validation forbids both): never adopt everything */
    if (!sel || ck_label_selector_empty(sel)) {
        ck_label_selector_free(sel);
        json_decref(rs);
        return CK_SYNC_OK;
    }
    const char *ns = ck_json_str(rs, "metadata.namespace", "");
    json_t *active = ck_informer_list(c->podinf, in_ns, (void *)ns);
    int err = 0;
    json_t *pods = claim_pods(c, rs, sel, active, &err);
    char manage_err[512] = "";
    if (needs_sync && !ck_json_path(rs, "metadata.deletionTimestamp") &&
        manage_replicas(c, rs, key, pods, manage_err, sizeof manage_err) < 0) {
        err = 1;
        if (!*manage_err) snprintf(manage_err, sizeof manage_err, "failed to manage replicas");
    }
    json_t *status = ck_rs_calculate_status(rs, pods, *manage_err ? manage_err : NULL, now);
    if (status && update_status(c, rs, status) < 0) err = 1;
    long min_ready = (long)ck_json_int(rs, "spec.minReadySeconds", 0);
    long rc = err ? CK_SYNC_RETRY : CK_SYNC_OK;
    /* resync when pods will become available after minReadySeconds */
    if (!err && min_ready > 0 && ck_json_int(status, "readyReplicas", 0) == (long long)ck_json_int(rs, "spec.replicas", 1) &&
        ck_json_int(status, "availableReplicas", 0) != ck_json_int(status, "readyReplicas", 0))
        rc = min_ready * 1000;
    json_decref(status);
    json_decref(pods);
    json_decref(active);
    ck_label_selector_free(sel);
    json_decref(rs);
    return rc;
}

void ck_rs_controller_stop(void *h)
{
    rs_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->podinf, c->rsinf}, 2);
    ck_workers_stop(&c->w);
    ck_expectations_free(c->exp);
    free(c);
}

void *ck_rs_controller_start(const ck_cm_ctx *ctx, const ck_rs_kind *kind, const char *component,
                             char *err, size_t errlen)
{
    rs_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->kind = kind;
    c->component = component;
    c->rest = ctx->rest;
    c->exp = ck_expectations_new();
    if (!c->exp || ck_workers_init(&c->w, kind->resource, rs_sync, c) < 0) { ck_rs_controller_stop(c); return NULL; }
    ck_informer_handlers rh = {rs_added, rs_updated, rs_deleted, c};
    c->rsinf = ck_controller_informer(ctx->rest, kind->group, kind->version, kind->resource, &rh, err, errlen);
    ck_informer_handlers ph = {pod_added, pod_updated, pod_deleted, c};
    if (c->rsinf) c->podinf = ck_controller_informer(ctx->rest, "", "v1", "pods", &ph, err, errlen);
    /* upstream --concurrent-replicaset-syncs / --concurrent-rc-syncs default to 5 */
    if (!c->podinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 5) < 0) {
        ck_rs_controller_stop(c);
        return NULL;
    }
    return c;
}

static void *start_rs(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    return ck_rs_controller_start(ctx, &CK_RS_KIND_REPLICASET, "replicaset-controller", err, errlen);
}

const ck_cm_controller ck_cm_replicaset_controller = {"replicaset", start_rs, ck_rs_controller_stop};
