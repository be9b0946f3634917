/* garbagecollector.c: the garbage collector (pkg/controller/garbagecollector):
 * informers on every deletable resource feed an owner -> dependents index;
 * dependents whose owners are gone are deleted (background), owners being
 * deleted in the foreground wait for their blocking dependents, owners
 * being orphaned lose their references from dependents, then the
 * finalizers are removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllers.h"
#include "controller-manager/garbagecollector_logic.h"
#include "util/ckjson.h"
#include "util/log.h"

struct gc_ctrl;
typedef struct gc_res {
    char group[128], version[64], resource[128], kind[128];
    bool namespaced;
    ck_informer *inf;
    struct gc_ctrl *gc;
    int idx;
} gc_res;

typedef struct gc_ctrl {
    ck_rest *rest;
    gc_res *res;
    size_t nres;
    pthread_mutex_t mu;
    json_t *objs;  /* uid -> [resource index, "ns/name"] */
    json_t *deps;  /* owner uid -> {dependent uid: true} */
    ck_workers del_w, orphan_w;
} gc_ctrl;

/* ---- the graph ---------------------------------------------------------- */

static void index_obj(gc_res *r, const json_t *obj, bool add)
{
    gc_ctrl *gc = r->gc;
    const char *uid = ck_json_str(obj, "metadata.uid", "");
    char key[512];
    if (!*uid || ck_informer_key(obj, key, sizeof key) < 0) return;
    pthread_mutex_lock(&gc->mu);
    if (add) json_object_set_new(gc->objs, uid, json_pack("[i,s]", r->idx, key));
    else json_object_del(gc->objs, uid);
    size_t i;
    json_t *ref;
    json_array_foreach(ck_json_path(obj, "metadata.ownerReferences"), i, ref) {
        const char *ouid = ck_json_str(ref, "uid", "");
        json_t *set = json_object_get(gc->deps, ouid);
        if (add) {
            if (!set) json_object_set_new(gc->deps, ouid, set = json_object());
            json_object_set_new(set, uid, json_true());
        } else if (set) {
            json_object_del(set, uid);
            if (!json_object_size(set)) json_object_del(gc->deps, ouid);
        }
    }
    pthread_mutex_unlock(&gc->mu);
}

static bool known(gc_ctrl *gc, const char *uid)
{
    pthread_mutex_lock(&gc->mu);
    bool k = json_object_get(gc->objs, uid) != NULL;
    pthread_mutex_unlock(&gc->mu);
    return k;
}

/* A copy of the dependents set of uid (new reference). */
static json_t *dependents(gc_ctrl *gc, const char *uid)
{
    pthread_mutex_lock(&gc->mu);
    json_t *d = json_deep_copy(json_object_get(gc->deps, uid));
    pthread_mutex_unlock(&gc->mu);
    return d ? d : json_object();
}

/* The cached object for uid (new reference) and its resource. */
static json_t *cached(gc_ctrl *gc, const char *uid, gc_res **res)
{
    pthread_mutex_lock(&gc->mu);
    json_t *e = json_object_get(gc->objs, uid);
    int idx = e ? (int)json_integer_value(json_array_get(e, 0)) : -1;
    char key[512] = "";
    if (e) snprintf(key, sizeof key, "%s", json_string_value(json_array_get(e, 1)));
    pthread_mutex_unlock(&gc->mu);
    if (idx < 0) return NULL;
    *res = &gc->res[idx];
    return ck_informer_get(gc->res[idx].inf, key);
}

static void enqueue_owner_work(gc_ctrl *gc, const json_t *obj)
{
    if (!ck_json_path(obj, "metadata.deletionTimestamp")) return;
    const char *uid = ck_json_str(obj, "metadata.uid", "");
    if (ck_gc_has_finalizer(obj, CK_FINALIZER_ORPHAN)) ck_workqueue_add(gc->orphan_w.queue, uid);
    if (ck_gc_has_finalizer(obj, CK_FINALIZER_FOREGROUND)) ck_workqueue_add(gc->del_w.queue, uid);
}

static void on_add(json_t *obj, void *ud)
{
    gc_res *r = ud;
    index_obj(r, obj, true);
    size_t i;
    json_t *ref;
    json_array_foreach(ck_json_path(obj, "metadata.ownerReferences"), i, ref)
        if (!known(r->gc, ck_json_str(ref, "uid", ""))) {  /* owner not (yet) seen: verify it */
            ck_workqueue_add(r->gc->del_w.queue, ck_json_str(obj, "metadata.uid", ""));
            break;
        }
    enqueue_owner_work(r->gc, obj);
}

static void on_update(json_t *old, json_t *cur, void *ud)
{
    gc_res *r = ud;
    index_obj(r, old, false);
    on_add(cur, ud);
    /* owners a dependent let go of may be waiting on it (foreground) */
    json_t *now_refs = ck_json_path(cur, "metadata.ownerReferences");
    size_t i, j;
    json_t *ref, *n;
    json_array_foreach(ck_json_path(old, "metadata.ownerReferences"), i, ref) {
        bool same = false;
        json_array_foreach(now_refs, j, n) if (ck_json_equal(ref, n)) same = true;
        if (!same) ck_workqueue_add(r->gc->del_w.queue, ck_json_str(ref, "uid", ""));
    }
}

static void on_delete(json_t *obj, void *ud)
{
    gc_res *r = ud;
    index_obj(r, obj, false);
    json_t *deps = dependents(r->gc, ck_json_str(obj, "metadata.uid", ""));
    const char *uid;
    json_t *v;
    json_object_foreach(deps, uid, v) ck_workqueue_add(r->gc->del_w.queue, uid);
    json_decref(deps);
    size_t i;
    json_t *ref;
    json_array_foreach(ck_json_path(obj, "metadata.ownerReferences"), i, ref)
        ck_workqueue_add(r->gc->del_w.queue, ck_json_str(ref, "uid", ""));
}

/* ---- API helpers -------------------------------------------------------- */

static ck_resource_ref ref_of(const gc_res *r, const json_t *obj)
{
    return (ck_resource_ref){r->group, r->version, r->resource,
                             r->namespaced ? ck_json_str(obj, "metadata.namespace", "") : NULL,
                             ck_json_str(obj, "metadata.name", ""), NULL};
}

/* The live object (new reference) or NULL when absent; -1 in *err on failure. */
static json_t *get_live(gc_ctrl *gc, const ck_resource_ref *ref, int *err)
{
    ck_response r = {0};
    json_t *o = NULL;
    if (ck_rest_get(gc->rest, ref, &r) == 0) o = json_incref(r.body);
    else if (r.code != 404) *err = 1;
    ck_response_clear(&r);
    return o;
}

/* Merge patch of metadata.<field> = value, guarded by resourceVersion. 0 ok, 1 gone, -1 error. */
static int patch_meta(gc_ctrl *gc, const ck_resource_ref *ref, const json_t *obj, const char *field, json_t *value)
{
    json_t *p = json_pack("{s:{s:o,s:s}}", "metadata", field, value, "resourceVersion",
                          ck_json_str(obj, "metadata.resourceVersion", ""));
    ck_response r = {0};
    int rc = p ? ck_rest_patch(gc->rest, ref, CK_PATCH_MERGE, p, &r) : -1;
    if (rc < 0 && r.code == 404) rc = 1;
    json_decref(p);
    ck_response_clear(&r);
    return rc;
}

static gc_res *resource_for(gc_ctrl *gc, const json_t *owner_ref)
{
    char group[128];
    ck_gc_group_of(ck_json_str(owner_ref, "apiVersion", ""), group, sizeof group);
    for (size_t i = 0; i < gc->nres; i++)
        if (!strcmp(gc->res[i].group, group) && !strcmp(gc->res[i].kind, ck_json_str(owner_ref, "kind", "")))
            return &gc->res[i];
    return NULL;
}

/* ---- attemptToDelete ----------------------------------------------------- */

/* processDeletingDependentsItem */
static long deleting_dependents(gc_ctrl *gc, gc_res *r, const json_t *owner)
{
    const char *uid = ck_json_str(owner, "metadata.uid", "");
    json_t *deps = dependents(gc, uid);
    int blocking = 0;
    const char *duid;
    json_t *v;
    json_object_foreach(deps, duid, v) {
        gc_res *dr;
        json_t *dep = cached(gc, duid, &dr);
        if (dep && ck_gc_blocks(dep, uid)) {
            blocking++;
            if (!ck_json_path(dep, "metadata.deletionTimestamp")) ck_workqueue_add(gc->del_w.queue, duid);
        }
        json_decref(dep);
    }
    json_decref(deps);
    if (blocking) return CK_SYNC_OK;  /* their deletions will bring us back */
    ck_resource_ref ref = ref_of(r, owner);
    return patch_meta(gc, &ref, owner, "finalizers", ck_gc_finalizers_without(owner, CK_FINALIZER_FOREGROUND)) < 0
               ? CK_SYNC_RETRY : CK_SYNC_OK;
}

static long act(gc_ctrl *gc, gc_res *r, const json_t *item, ck_gc_decision d, const json_t *drop)
{
    ck_resource_ref ref = ref_of(r, item);
    if (d.action == CK_GC_REMOVE_REFS)
        return patch_meta(gc, &ref, item, "ownerReferences", ck_gc_refs_without(item, drop)) < 0 ? CK_SYNC_RETRY
                                                                                                 : CK_SYNC_OK;
    ck_delete_opts o = CK_DELETE_OPTS_INIT;
    o.propagation_policy = d.policy;
    o.precondition_uid = ck_json_str(item, "metadata.uid", NULL);
    ck_response resp = {0};
    int rc = ck_rest_delete(gc->rest, &ref, &o, &resp);
    long out = rc == 0 || resp.code == 404 || resp.code == 409 ? CK_SYNC_OK : CK_SYNC_RETRY;
    if (rc == 0)
        ck_info("garbage collector: deleted %s %s/%s (propagationPolicy=%s)", r->resource, ref.namespace ? ref.namespace : "",
                ref.name, d.policy);
    ck_response_clear(&resp);
    return out;
}

static long gc_attempt_delete(void *self, const char *uid)
{
    gc_ctrl *gc = self;
    gc_res *r;
    json_t *obj = cached(gc, uid, &r);
    if (!obj) return CK_SYNC_OK;
    int err = 0;
    ck_resource_ref ref = ref_of(r, obj);
    json_t *item = get_live(gc, &ref, &err);
    json_decref(obj);
    if (err) return CK_SYNC_RETRY;
    if (!item || strcmp(ck_json_str(item, "metadata.uid", ""), uid)) { json_decref(item); return CK_SYNC_OK; }
    long rc = CK_SYNC_OK;
    if (ck_json_path(item, "metadata.deletionTimestamp") && ck_gc_has_finalizer(item, CK_FINALIZER_FOREGROUND)) {
        rc = deleting_dependents(gc, r, item);
        json_decref(item);
        return rc;
    }
    json_t *refs = ck_json_path(item, "metadata.ownerReferences");
    size_t n = json_array_size(refs);
    ck_gc_owner_state states[n ? n : 1];
    json_t *drop = json_object();
    for (size_t i = 0; i < n && !err; i++) {
        json_t *oref = json_array_get(refs, i);
        gc_res *or = resource_for(gc, oref);
        if (!or) { err = 1; break; }  /* unknown owner kind: retry later, as upstream */
        ck_resource_ref oref_ref = {or->group, or->version, or->resource,
                                    or->namespaced ? ck_json_str(item, "metadata.namespace", "") : NULL,
                                    ck_json_str(oref, "name", ""), NULL};
        json_t *owner = get_live(gc, &oref_ref, &err);
        states[i] = ck_gc_classify(oref, owner);
        if (states[i] != CK_GC_OWNER_SOLID) json_object_set_new(drop, ck_json_str(oref, "uid", ""), json_true());
        json_decref(owner);
    }
    if (err) rc = CK_SYNC_RETRY;
    else {
        json_t *deps = dependents(gc, uid);
        ck_gc_decision d = ck_gc_decide(item, states, n, json_object_size(deps) > 0);
        json_decref(deps);
        if (d.action != CK_GC_NOTHING) rc = act(gc, r, item, d, drop);
    }
    json_decref(drop);
    json_decref(item);
    return rc;
}

/* ---- attemptToOrphan ---------------------------------------------------- */

static long gc_attempt_orphan(void *self, const char *uid)
{
    gc_ctrl *gc = self;
    gc_res *r;
    json_t *obj = cached(gc, uid, &r);
    if (!obj) return CK_SYNC_OK;
    int err = 0;
    ck_resource_ref ref = ref_of(r, obj);
    json_t *owner = get_live(gc, &ref, &err);
    json_decref(obj);
    if (!owner || !ck_json_path(owner, "metadata.deletionTimestamp") || !ck_gc_has_finalizer(owner, CK_FINALIZER_ORPHAN)) {
        json_decref(owner);
        return err ? CK_SYNC_RETRY : CK_SYNC_OK;
    }
    json_t *deps = dependents(gc, uid), *drop = json_pack("{s:b}", uid, 1);
    const char *duid;
    json_t *v;
    json_object_foreach(deps, duid, v) {
        gc_res *dr;
        json_t *dep = cached(gc, duid, &dr);
        if (!dep) continue;
        ck_resource_ref dref = ref_of(dr, dep);
        if (patch_meta(gc, &dref, dep, "ownerReferences", ck_gc_refs_without(dep, drop)) < 0) err = 1;
        json_decref(dep);
    }
    json_decref(drop);
    json_decref(deps);
    if (!err && patch_meta(gc, &ref, owner, "finalizers", ck_gc_finalizers_without(owner, CK_FINALIZER_ORPHAN)) < 0)
        err = 1;
    json_decref(owner);
    return err ? CK_SYNC_RETRY : CK_SYNC_OK;
}

/* ---- start/stop ---------------------------------------------------------- */

/* GetDeletableResources: list+watch+delete, minus events (ignoredResources). */
static int discover(gc_ctrl *gc, char *err, size_t errlen)
{
    ck_response r = {0};
    json_t *lists = json_array();
    if (ck_rest_do(gc->rest, "GET", "/api/v1", NULL, NULL, &r) == 0) json_array_append(lists, r.body);
    ck_response_clear(&r);
    if (ck_rest_do(gc->rest, "GET", "/apis", NULL, NULL, &r) == 0) {
        size_t i;
        json_t *g;
        json_array_foreach(json_object_get(r.body, "groups"), i, g) {
            char path[512];
            snprintf(path, sizeof path, "/apis/%s", ck_json_str(g, "preferredVersion.groupVersion", ""));
            ck_response gr = {0};
            if (ck_rest_do(gc->rest, "GET", path, NULL, NULL, &gr) == 0) json_array_append(lists, gr.body);
            ck_response_clear(&gr);
        }
    }
    ck_response_clear(&r);
    size_t cap = 0, i, j;
    json_t *l, *res;
    json_array_foreach(lists, i, l) cap += json_array_size(json_object_get(l, "resources"));
    gc->res = calloc(cap ? cap : 1, sizeof *gc->res);
    if (!gc->res) { json_decref(lists); snprintf(err, errlen, "out of memory"); return -1; }
    json_array_foreach(lists, i, l) {
        char group[128], version[64];
        const char *gv = ck_json_str(l, "groupVersion", "v1");
        ck_gc_group_of(gv, group, sizeof group);
        snprintf(version, sizeof version, "%s", strchr(gv, '/') ? strchr(gv, '/') + 1 : gv);
        json_array_foreach(json_object_get(l, "resources"), j, res) {
            const char *name = ck_json_str(res, "name", "");
            char verbs[256] = ",";
            size_t k;
            json_t *v;
            json_array_foreach(json_object_get(res, "verbs"), k, v) {
                strncat(verbs, json_string_value(v) ? json_string_value(v) : "", sizeof verbs - strlen(verbs) - 2);
                strcat(verbs, ",");
            }
            if (strchr(name, '/') || !strcmp(name, "events") || !strstr(verbs, ",list,") || !strstr(verbs, ",watch,") ||
                !strstr(verbs, ",delete,"))
                continue;
            gc_res *g = &gc->res[gc->nres];
            snprintf(g->group, sizeof g->group, "%s", group);
            snprintf(g->version, sizeof g->version, "%s", version);
            snprintf(g->resource, sizeof g->resource, "%s", name);
            snprintf(g->kind, sizeof g->kind, "%s", ck_json_str(res, "kind", ""));
            g->namespaced = json_is_true(json_object_get(res, "namespaced"));
            g->gc = gc;
            g->idx = (int)gc->nres++;
        }
    }
    json_decref(lists);
    if (!gc->nres) { snprintf(err, errlen, "garbage collector: no deletable resources discovered"); return -1; }
    return 0;
}

static void gc_stop(void *h)
{
    gc_ctrl *gc = h;
    if (!gc) return;
    ck_informer **infs = calloc(gc->nres ? gc->nres : 1, sizeof *infs);
    for (size_t i = 0; infs && i < gc->nres; i++) infs[i] = gc->res[i].inf;
    if (infs) ck_informers_free(infs, gc->nres);
    else for (size_t i = 0; i < gc->nres; i++) ck_informer_free(gc->res[i].inf);
    free(infs);
    ck_workers_stop(&gc->del_w);
    ck_workers_stop(&gc->orphan_w);
    free(gc->res);
    json_decref(gc->objs);
    json_decref(gc->deps);
    pthread_mutex_destroy(&gc->mu);
    free(gc);
}

static void *gc_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    gc_ctrl *gc = calloc(1, sizeof *gc);
    if (!gc) return NULL;
    gc->rest = ctx->rest;
    pthread_mutex_init(&gc->mu, NULL);
    gc->objs = json_object();
    gc->deps = json_object();
    if (!gc->objs || !gc->deps || ck_workers_init(&gc->del_w, "garbage_collector_attempt_to_delete", gc_attempt_delete, gc) < 0 ||
        ck_workers_init(&gc->orphan_w, "garbage_collector_attempt_to_orphan", gc_attempt_orphan, gc) < 0 ||
        discover(gc, err, errlen) < 0) {
        gc_stop(gc);
        return NULL;
    }
    for (size_t i = 0; i < gc->nres; i++) {
        ck_informer_handlers h = {on_add, on_update, on_delete, &gc->res[i]};
        ck_informer_opts o = {.group = gc->res[i].group, .version = gc->res[i].version, .resource = gc->res[i].resource};
        gc->res[i].inf = ck_informer_new(ctx->rest, &o, &h, err, errlen);
        if (!gc->res[i].inf || ck_informer_start(gc->res[i].inf) < 0) { gc_stop(gc); return NULL; }
    }
    for (size_t i = 0; i < gc->nres; i++) ck_informer_wait_synced(gc->res[i].inf, 30000);
    /* upstream --concurrent-gc-syncs defaults to 20 */
    int n = ctx->workers ? ctx->workers : 5;
    if (ck_workers_run(&gc->del_w, n) < 0 || ck_workers_run(&gc->orphan_w, n) < 0) { gc_stop(gc); return NULL; }
    ck_info("garbage collector: watching %zu resources", gc->nres);
    return gc;
}

const ck_cm_controller ck_cm_garbagecollector_controller = {"garbagecollector", gc_start, gc_stop};
