/* disruption.c: the disruption controller (pkg/controller/disruption): keeps
 * each PodDisruptionBudget's status (expected/desired/current healthy,
 * disruptionsAllowed, DisruptionAllowed condition) from the pods its
 * selector matches and their controllers' scale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api/selector.h"
#include "controller-manager/controllers.h"
#include "controller-manager/disruption_logic.h"
#include "util/ckjson.h"
#include "util/log.h"

#define COMPONENT "controllermanager"  /* upstream's recorder source */

typedef struct pdb_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *pdbinf, *podinf;
} pdb_ctrl;

/* LabelSelectorAsSelector: a null selector selects nothing (NULL + *none). */
static ck_label_selector *pdb_selector(const json_t *pdb, bool *none)
{
    json_t *sel = ck_json_path(pdb, "spec.selector");
    *none = !json_is_object(sel);
    if (*none) return NULL;
    char err[128];
    ck_label_selector *s = ck_label_selector_from_json(sel, err, sizeof err);
    *none = s == NULL;
    return s;
}

typedef struct sel_ctx { const char *ns; const ck_label_selector *sel; } sel_ctx;
static bool pod_selected(const json_t *pod, void *ud)
{
    const sel_ctx *x = ud;
    return ck_in_namespace(pod, (void *)x->ns) && ck_label_selector_matches(x->sel, ck_json_path(pod, "metadata.labels"));
}

/* GET group/version/resource ns/name; new reference or NULL. */
static json_t *get_obj(ck_rest *rest, const char *group, const char *resource, const char *ns, const char *name)
{
    ck_resource_ref ref = {group, "v1", resource, ns, name, NULL};
    ck_response r = {0};
    json_t *o = ck_rest_get(rest, &ref, &r) == 0 ? json_incref(r.body) : NULL;
    ck_response_clear(&r);
    return o;
}

static const json_t *controller_of(const json_t *obj)
{
    size_t i;
    json_t *r;
    json_array_foreach(ck_json_path(obj, "metadata.ownerReferences"), i, r)
        if (json_is_true(json_object_get(r, "controller"))) return r;
    return NULL;
}

/* The finders (getPodReplicaSet -> Deployment, getPodReplicationController,
 * getPodStatefulSet, getPodDeployment): controllerRef uid -> {uid, replicas}. */
static void find_scale(pdb_ctrl *c, const char *ns, const json_t *ref, json_t *scales)
{
    const char *kind = ck_json_str(ref, "kind", ""), *uid = ck_json_str(ref, "uid", "");
    static const struct { const char *kind, *group, *resource; } FINDERS[] = {
        {"ReplicaSet", "apps", "replicasets"},
        {"ReplicationController", "", "replicationcontrollers"},
        {"StatefulSet", "apps", "statefulsets"},
        {"Deployment", "apps", "deployments"},
    };
    for (size_t i = 0; i < sizeof FINDERS / sizeof *FINDERS; i++) {
        if (strcmp(kind, FINDERS[i].kind)) continue;
        json_t *o = get_obj(c->rest, FINDERS[i].group, FINDERS[i].resource, ns, ck_json_str(ref, "name", ""));
        if (!o || strcmp(ck_json_str(o, "metadata.uid", ""), uid)) { json_decref(o); return; }
        const json_t *dref = controller_of(o);
        if (!strcmp(kind, "ReplicaSet") && dref && !strcmp(ck_json_str(dref, "kind", ""), "Deployment")) {
            json_t *d = get_obj(c->rest, "apps", "deployments", ns, ck_json_str(dref, "name", ""));
            if (d && !strcmp(ck_json_str(d, "metadata.uid", ""), ck_json_str(dref, "uid", "")))
                json_object_set_new(scales, uid, json_pack("{s:s,s:I}", "uid", ck_json_str(d, "metadata.uid", ""),
                                                           "replicas", (json_int_t)ck_json_int(d, "spec.replicas", 1)));
            json_decref(d);
        } else {
            json_object_set_new(scales, uid, json_pack("{s:s,s:I}", "uid", uid, "replicas",
                                                       (json_int_t)ck_json_int(o, "spec.replicas", 1)));
        }
        json_decref(o);
        return;
    }
}

static json_t *pod_scales(pdb_ctrl *c, const char *ns, const json_t *pods)
{
    json_t *scales = json_object();
    size_t i;
    json_t *pod;
    json_array_foreach(pods, i, pod) {
        const json_t *ref = controller_of(pod);
        if (ref && !json_object_get(scales, ck_json_str(ref, "uid", ""))) find_scale(c, ns, ref, scales);
    }
    return scales;
}

/* PUT status; 0 or -1. */
static int write_status(pdb_ctrl *c, const json_t *pdb, json_t *status /* stolen */)
{
    json_t *upd = json_deep_copy(pdb);
    json_object_set_new(upd, "status", status);
    ck_resource_ref ref = {"policy", "v1", "poddisruptionbudgets", ck_json_str(pdb, "metadata.namespace", ""),
                           ck_json_str(pdb, "metadata.name", ""), "status"};
    ck_response r = {0};
    int rc = ck_rest_update(c->rest, &ref, upd, &r);
    if (rc < 0) ck_debug("pdb %s/%s status: %s", ref.namespace, ref.name, r.message);
    ck_response_clear(&r);
    json_decref(upd);
    return rc;
}

static long pdb_sync(void *self, const char *key)
{
    pdb_ctrl *c = self;
    char ns[256], name[256];
    if (ck_split_key(key, ns, sizeof ns, name, sizeof name) < 0) return CK_SYNC_OK;
    json_t *pdb = ck_informer_get(c->pdbinf, key);
    if (!pdb) return CK_SYNC_OK;
    bool none;
    ck_label_selector *sel = pdb_selector(pdb, &none);
    sel_ctx x = {ns, sel};
    json_t *pods = none ? json_array() : ck_informer_list(c->podinf, pod_selected, &x);
    if (!json_array_size(pods))
        ck_eventf(c->rest, COMPONENT, pdb, "policy/v1", "PodDisruptionBudget", "Normal", "NoPods", "No matching pods found");
    json_t *scales = ck_pdb_needs_scale(pdb) ? pod_scales(c, ns, pods) : json_object();
    time_t now = time(NULL), recheck = 0;
    long expected, desired, rc = CK_SYNC_OK;
    char err[512];
    json_t *status;
    if (ck_pdb_expected(pdb, pods, scales, &expected, &desired, err, sizeof err) < 0) {
        ck_eventf(c->rest, COMPONENT, pdb, "policy/v1", "PodDisruptionBudget", "Warning",
                  "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: %s", err);
        status = ck_pdb_failsafe_status(pdb, err, now);  /* failSafe, then retry */
        rc = CK_SYNC_RETRY;
    } else {
        json_t *disrupted = ck_pdb_disrupted(pdb, pods, now, &recheck);
        status = ck_pdb_status(pdb, ck_pdb_current_healthy(pods, disrupted, now), desired, expected, disrupted, now);
        json_decref(disrupted);
    }
    if (status && !ck_pdb_status_equal(pdb, status)) {
        if (write_status(c, pdb, status) < 0) rc = CK_SYNC_RETRY;
    } else {
        json_decref(status);
    }
    if (rc == CK_SYNC_OK && recheck) rc = (long)(recheck - now + 1) * 1000;  /* enqueuePdbForRecheck */
    json_decref(scales);
    json_decref(pods);
    ck_label_selector_free(sel);
    json_decref(pdb);
    return rc;
}

/* getPdbForPod (all matching PDBs: each keeps its own status). */
static void enqueue_pdbs_of(pdb_ctrl *c, const json_t *pod)
{
    json_t *pdbs = ck_informer_list(c->pdbinf, ck_in_namespace, (void *)ck_json_str(pod, "metadata.namespace", ""));
    size_t i;
    json_t *pdb;
    json_array_foreach(pdbs, i, pdb) {
        bool none;
        ck_label_selector *s = pdb_selector(pdb, &none);
        if (!none && ck_label_selector_matches(s, ck_json_path(pod, "metadata.labels"))) ck_workers_enqueue(&c->w, pdb);
        ck_label_selector_free(s);
    }
    json_decref(pdbs);
}

static void pod_added(json_t *pod, void *ud) { enqueue_pdbs_of(ud, pod); }
static void pod_updated(json_t *old, json_t *cur, void *ud)
{
    enqueue_pdbs_of(ud, cur);
    if (!ck_json_equal(ck_json_path(old, "metadata.labels"), ck_json_path(cur, "metadata.labels")))
        enqueue_pdbs_of(ud, old);
}
static void pdb_changed(json_t *pdb, void *ud) { ck_workers_enqueue(&((pdb_ctrl *)ud)->w, pdb); }
static void pdb_updated(json_t *old, json_t *pdb, void *ud) { pdb_changed(pdb, ud); }

static void pdb_stop(void *h)
{
    pdb_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->podinf, c->pdbinf}, 2);
    ck_workers_stop(&c->w);
    free(c);
}

static void *pdb_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    pdb_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_workers_init(&c->w, "disruption", pdb_sync, c) < 0) { free(c); return NULL; }
    ck_informer_handlers dh = {pdb_changed, pdb_updated, NULL, c};
    ck_informer_handlers ph = {pod_added, pod_updated, pod_added, c};
    c->pdbinf = ck_controller_informer(ctx->rest, "policy", "v1", "poddisruptionbudgets", &dh, err, errlen);
    if (c->pdbinf) c->podinf = ck_controller_informer(ctx->rest, "", "v1", "pods", &ph, err, errlen);
    /* upstream runs the disruption controller with one worker */
    if (!c->podinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 1) < 0) { pdb_stop(c); return NULL; }
    return c;
}

const ck_cm_controller ck_cm_disruption_controller = {"disruption", pdb_start, pdb_stop};
