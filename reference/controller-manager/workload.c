/* workload.c: owner + children informers, child events routed to the owner
 * of their controller ref (upstream resolveControllerRef in the job,
 * daemonset, statefulset and cronjob controllers), and the child writes
 * with their events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/log.h"

const ck_wl_kind CK_WL_POD = {"", "v1", "pods", "Pod", "v1", false};
const ck_wl_kind CK_WL_NODE = {"", "v1", "nodes", "Node", "v1", false};
const ck_wl_kind CK_WL_JOB = {"batch", "v1", "jobs", "Job", "batch/v1", false};
const ck_wl_kind CK_WL_CRONJOB = {"batch", "v1", "cronjobs", "CronJob", "batch/v1", false};
const ck_wl_kind CK_WL_DAEMONSET = {"apps", "v1", "daemonsets", "DaemonSet", "apps/v1", false};
const ck_wl_kind CK_WL_STATEFULSET = {"apps", "v1", "statefulsets", "StatefulSet", "apps/v1", false};
const ck_wl_kind CK_WL_CONTROLLERREVISION = {"apps", "v1", "controllerrevisions", "ControllerRevision", "apps/v1",
                                             false};

/* The owner key ("ns/name") a child's controller ref names when it is of
 * our owner kind and the cached owner has that uid; 0 when found. */
static int owner_key(ck_wl *wl, const json_t *child, char *key, size_t keylen)
{
    json_t *ref = ck_controller_ref(child);
    if (!ref || strcmp(ck_json_str(ref, "kind", ""), wl->owner->kind)) return -1;
    snprintf(key, keylen, "%s/%s", ck_json_str(child, "metadata.namespace", ""), ck_json_str(ref, "name", ""));
    json_t *o = ck_informer_get(wl->owners, key);
    int rc = o && !strcmp(ck_json_str(o, "metadata.uid", ""), ck_json_str(ref, "uid", "?")) ? 0 : -1;
    json_decref(o);
    return rc;
}

/* An orphan's owners-to-be: every owner in its namespace whose (non-empty)
 * selector matches its labels (upstream getPodJobs / getPodStatefulSets). */
typedef struct match_ctx { const ck_wl *wl; const json_t *child; } match_ctx;

static bool selects(const json_t *owner, void *ud)
{
    const match_ctx *m = ud;
    if (strcmp(ck_json_str(owner, "metadata.namespace", ""), ck_json_str(m->child, "metadata.namespace", "")))
        return false;
    ck_label_selector *s = ck_rs_selector(owner, m->wl->owner);
    bool ok = s && !ck_label_selector_empty(s) && ck_label_selector_matches(s, ck_json_path(m->child, "metadata.labels"));
    ck_label_selector_free(s);
    return ok;
}

static void enqueue_matching(ck_wl *wl, const json_t *child)
{
    match_ctx m = {wl, child};
    json_t *owners = ck_informer_list(wl->owners, selects, &m);
    size_t i;
    json_t *o;
    json_array_foreach(owners, i, o) ck_workers_enqueue(&wl->w, o);
    json_decref(owners);
}

static void child_deleted(json_t *child, void *ud)
{
    ck_wl *wl = ud;
    char key[512], ckey[512];
    if (owner_key(wl, child, key, sizeof key) < 0) return;
    ck_informer_key(child, ckey, sizeof ckey);
    ck_expectations_deletion_observed(wl->exp, key, ckey);
    ck_workqueue_add(wl->w.queue, key);
}

static void child_added(json_t *child, void *ud)
{
    ck_wl *wl = ud;
    char key[512];
    if (ck_json_path(child, "metadata.deletionTimestamp")) { child_deleted(child, ud); return; }
    if (!ck_controller_ref(child)) { enqueue_matching(wl, child); return; }
    if (owner_key(wl, child, key, sizeof key) < 0) return;
    ck_expectations_creation_observed(wl->exp, key);
    ck_workqueue_add(wl->w.queue, key);
}

static void child_updated(json_t *old, json_t *cur, void *ud)
{
    ck_wl *wl = ud;
    char key[512];
    if (!strcmp(ck_json_str(old, "metadata.resourceVersion", ""), ck_json_str(cur, "metadata.resourceVersion", "")))
        return;
    if (ck_json_path(cur, "metadata.deletionTimestamp") && !ck_json_path(old, "metadata.deletionTimestamp")) {
        child_deleted(cur, ud);  /* a graceful delete counts as observed once it starts */
        return;
    }
    if (!ck_json_equal(ck_controller_ref(old), ck_controller_ref(cur)) && owner_key(wl, old, key, sizeof key) == 0)
        ck_workqueue_add(wl->w.queue, key);
    if (owner_key(wl, cur, key, sizeof key) == 0) ck_workqueue_add(wl->w.queue, key);
    else if (!ck_controller_ref(cur) &&
             (!ck_json_equal(ck_controller_ref(old), ck_controller_ref(cur)) ||
              !ck_json_equal(ck_json_path(old, "metadata.labels"), ck_json_path(cur, "metadata.labels"))))
        enqueue_matching(wl, cur);
}

static void owner_added(json_t *obj, void *ud) { ck_workers_enqueue(&((ck_wl *)ud)->w, obj); }
static void owner_updated(json_t *old, json_t *obj, void *ud) { owner_added(obj, ud); }
static void owner_deleted(json_t *obj, void *ud)
{
    ck_wl *wl = ud;
    char key[512];
    if (ck_informer_key(obj, key, sizeof key) < 0) return;
    ck_expectations_delete(wl->exp, key);
    ck_workqueue_add(wl->w.queue, key);
}

int ck_wl_start(ck_wl *wl, const ck_cm_ctx *ctx, const ck_wl_kind *owner, const ck_wl_kind *child,
                const char *component, ck_sync_fn sync, void *self, int workers, char *err, size_t errlen)
{
    memset(wl, 0, sizeof *wl);
    wl->owner = owner;
    wl->child = child;
    wl->component = component;
    wl->rest = ctx->rest;
    wl->exp = ck_expectations_new();
    if (!wl->exp || ck_workers_init(&wl->w, owner->resource, sync, self) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ck_informer_handlers oh = {owner_added, owner_updated, owner_deleted, wl};
    wl->owners = ck_controller_informer(ctx->rest, owner->group, owner->version, owner->resource, &oh, err, errlen);
    if (!wl->owners) return -1;
    ck_informer_handlers ch = {child_added, child_updated, child_deleted, wl};
    wl->children = ck_controller_informer(ctx->rest, child->group, child->version, child->resource, &ch, err, errlen);
    if (!wl->children) return -1;
    if (ck_workers_run(&wl->w, ctx->workers > 0 ? ctx->workers : workers) < 0) {
        snprintf(err, errlen, "cannot start workers");
        return -1;
    }
    return 0;
}

void ck_wl_stop(ck_wl *wl)
{
    ck_informers_free((ck_informer *[]){wl->children, wl->owners}, 2);
    wl->children = wl->owners = NULL;
    ck_workers_stop(&wl->w);
    ck_expectations_free(wl->exp);
    wl->exp = NULL;
}

json_t *ck_wl_get_owner(ck_wl *wl, const char *key) { return ck_informer_get(wl->owners, key); }

typedef struct owned_ctx { const char *ns, *uid; } owned_ctx;

static bool is_owned(const json_t *o, void *ud)
{
    owned_ctx *x = ud;
    json_t *ref = ck_controller_ref(o);
    return ref && !strcmp(ck_json_str(ref, "uid", ""), x->uid) && ck_in_namespace(o, (void *)x->ns);
}

json_t *ck_wl_owned(ck_wl *wl, const json_t *owner)
{
    owned_ctx x = {ck_json_str(owner, "metadata.namespace", ""), ck_json_str(owner, "metadata.uid", "?")};
    return ck_informer_list(wl->children, is_owned, &x);
}

ck_wl_claim_action ck_wl_claim_decide(const json_t *owner, const ck_label_selector *sel, const json_t *child)
{
    json_t *ref = ck_controller_ref(child);
    bool match = sel && !ck_label_selector_empty(sel) &&
                 ck_label_selector_matches(sel, ck_json_path(child, "metadata.labels"));
    bool deleting = ck_json_path(owner, "metadata.deletionTimestamp") != NULL;
    if (ref) {
        if (strcmp(ck_json_str(ref, "uid", ""), ck_json_str(owner, "metadata.uid", "?"))) return CK_CLAIM_IGNORE;
        if (match) return CK_CLAIM_KEEP;
        return deleting ? CK_CLAIM_IGNORE : CK_CLAIM_RELEASE;
    }
    if (deleting || !match || ck_json_path(child, "metadata.deletionTimestamp")) return CK_CLAIM_IGNORE;
    return CK_CLAIM_ADOPT;
}

/* The child's new ownerReferences as a merge patch carrying uid and
 * resourceVersion, so a concurrent change conflicts instead of being lost.
 * 0 (patched, *out new ref), 1 gone/invalid, -1 error. */
static int patch_refs(ck_wl *wl, const json_t *child, json_t *refs, json_t **out)
{
    json_t *patch = json_pack("{s:{s:o,s:s,s:s}}", "metadata", "ownerReferences", refs, "uid",
                              ck_json_str(child, "metadata.uid", ""), "resourceVersion",
                              ck_json_str(child, "metadata.resourceVersion", ""));
    ck_response r = {0};
    ck_resource_ref ref = {wl->child->group, wl->child->version, wl->child->resource,
                           ck_json_str(child, "metadata.namespace", ""), ck_json_str(child, "metadata.name", ""), NULL};
    int rc = patch ? ck_rest_patch(wl->rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    if (rc == 0 && out) *out = json_incref(r.body);
    if (rc < 0) rc = (r.code == 404 || r.code == 422) ? 1 : -1;
    json_decref(patch);
    ck_response_clear(&r);
    return rc;
}

/* RecheckDeletionTimestamp: a fresh read of the owner before adopting. */
static bool can_adopt(ck_wl *wl, const json_t *owner)
{
    ck_response r = {0};
    ck_resource_ref ref = {wl->owner->group, wl->owner->version, wl->owner->resource,
                           ck_json_str(owner, "metadata.namespace", ""), ck_json_str(owner, "metadata.name", ""), NULL};
    bool ok = ck_rest_get(wl->rest, &ref, &r) == 0 &&
              !strcmp(ck_json_str(r.body, "metadata.uid", ""), ck_json_str(owner, "metadata.uid", "?")) &&
              !ck_json_path(r.body, "metadata.deletionTimestamp");
    ck_response_clear(&r);
    return ok;
}

static json_t *without_owner(const json_t *child, const char *uid)
{
    json_t *refs = json_array();
    size_t j;
    json_t *o;
    json_array_foreach(ck_json_path(child, "metadata.ownerReferences"), j, o)
        if (strcmp(ck_json_str(o, "uid", ""), uid)) json_array_append(refs, o);
    return refs;
}

json_t *ck_wl_claim(ck_wl *wl, const json_t *owner, int *err)
{
    ck_label_selector *sel = ck_rs_selector(owner, wl->owner);
    json_t *all = ck_informer_list(wl->children, ck_in_namespace, (void *)ck_json_str(owner, "metadata.namespace", ""));
    json_t *out = json_array();
    int adoptable = -1; /* checked lazily, once */
    size_t i;
    json_t *c;
    json_array_foreach(all, i, c) {
        json_t *patched = NULL, *refs;
        switch (ck_wl_claim_decide(owner, sel, c)) {
        case CK_CLAIM_IGNORE: break;
        case CK_CLAIM_KEEP: json_array_append(out, c); break;
        case CK_CLAIM_RELEASE:
            if (patch_refs(wl, c, without_owner(c, ck_json_str(owner, "metadata.uid", "")), NULL) < 0) *err = 1;
            break;
        case CK_CLAIM_ADOPT:
            if (adoptable < 0) adoptable = can_adopt(wl, owner);
            if (!adoptable) break;
            refs = json_deep_copy(ck_json_path(c, "metadata.ownerReferences"));
            if (!refs) refs = json_array();
            json_array_append_new(refs, ck_new_controller_ref(owner, wl->owner->api_version, wl->owner->kind));
            int rc = patch_refs(wl, c, refs, &patched);
            if (rc < 0) *err = 1;
            if (rc == 0) json_array_append_new(out, patched ? patched : json_incref(c));
            break;
        }
    }
    ck_label_selector_free(sel);
    json_decref(all);
    return out;
}

json_t *ck_wl_all_owners(ck_wl *wl) { return ck_informer_list(wl->owners, NULL, NULL); }

/* Event messages per owner kind, as each upstream controller words them
 * ({child}, {owner}, {err} are substituted): pod_control.go for most,
 * stateful_pod_control.go for StatefulSets, cronjob_controllerv2.go. */
typedef struct wl_msgs { const char *owner, *created, *deleted, *create_failed, *delete_failed; } wl_msgs;
static const wl_msgs MSGS[] = {
    {"StatefulSet", "create Pod {child} in StatefulSet {owner} successful",
     "delete Pod {child} in StatefulSet {owner} successful",
     "create Pod {child} in StatefulSet {owner} failed error: {err}",
     "delete Pod {child} in StatefulSet {owner} failed error: {err}"},
    {"CronJob", "Created job {child}", "Deleted job {child}", "Error creating job: {err}", "Deleted job: {err}"},
    {NULL, "Created pod: {child}", "Deleted pod: {child}", "Error creating: {err}", "Error deleting: {err}"},
};

static const wl_msgs *msgs_for(const ck_wl *wl)
{
    const wl_msgs *m = MSGS;
    while (m->owner && strcmp(m->owner, wl->owner->kind)) m++;
    return m;
}

/* Expands {child}/{owner}/{err} in tmpl into out. */
static void expand(const char *tmpl, const char *child, const char *owner, const char *err, char *out, size_t n)
{
    size_t len = 0;
    out[0] = 0;
    while (*tmpl && len + 1 < n) {
        const char *sub = NULL;
        size_t skip = 0;
        if (!strncmp(tmpl, "{child}", 7)) sub = child, skip = 7;
        else if (!strncmp(tmpl, "{owner}", 7)) sub = owner, skip = 7;
        else if (!strncmp(tmpl, "{err}", 5)) sub = err, skip = 5;
        if (sub) {
            int w = snprintf(out + len, n - len, "%s", sub);
            len = w < 0 ? len : (len + (size_t)w >= n ? n - 1 : len + (size_t)w);
            tmpl += skip;
        } else {
            out[len++] = *tmpl++;
            out[len] = 0;
        }
    }
}

static void child_event(ck_wl *wl, const json_t *owner, const char *type, const char *reason, const char *tmpl,
                        const char *child, const char *err)
{
    char msg[768];
    expand(tmpl, child, ck_json_str(owner, "metadata.name", ""), err, msg, sizeof msg);
    ck_wl_event(wl, owner, type, reason, "%s", msg);
}

int ck_wl_create(ck_wl *wl, const json_t *owner, const json_t *child, json_t **created)
{
    ck_response r = {0};
    ck_resource_ref ref = {wl->child->group, wl->child->version, wl->child->resource,
                           ck_json_str(owner, "metadata.namespace", ""), NULL, NULL};
    int rc = ck_rest_create(wl->rest, &ref, child, &r);
    const wl_msgs *m = msgs_for(wl);
    if (rc == 0) {
        child_event(wl, owner, "Normal", "SuccessfulCreate", m->created, ck_json_str(r.body, "metadata.name", ""), "");
        if (created) *created = json_incref(r.body);
    } else if (r.code == 409) {
        rc = 1;
    } else {
        child_event(wl, owner, "Warning", "FailedCreate", m->create_failed, ck_json_str(child, "metadata.name", ""),
                    r.message);
        ck_warn("%s: creating %s for %s/%s: %s", wl->component, wl->child->kind, ref.namespace,
                ck_json_str(owner, "metadata.name", ""), r.message);
    }
    ck_response_clear(&r);
    return rc;
}

int ck_wl_delete(ck_wl *wl, const json_t *owner, const json_t *child)
{
    ck_resource_ref ref = {wl->child->group, wl->child->version, wl->child->resource,
                           ck_json_str(child, "metadata.namespace", ""), ck_json_str(child, "metadata.name", ""),
                           NULL};
    ck_delete_opts opts = {.propagation_policy = "Background", .grace_period_seconds = -1};
    ck_response r = {0};
    int rc = ck_rest_delete(wl->rest, &ref, &opts, &r);
    const wl_msgs *m = msgs_for(wl);
    if (rc == 0) child_event(wl, owner, "Normal", "SuccessfulDelete", m->deleted, ref.name, "");
    else if (r.code == 404) rc = 0;
    else child_event(wl, owner, "Warning", "FailedDelete", m->delete_failed, ref.name, r.message);
    ck_response_clear(&r);
    return rc;
}

int ck_wl_put_status(ck_rest *rest, const ck_wl_kind *kind, const char *component, const json_t *obj,
                     const json_t *status)
{
    ck_resource_ref ref = {kind->group, kind->version, kind->resource, ck_json_str(obj, "metadata.namespace", ""),
                           ck_json_str(obj, "metadata.name", ""), "status"};
    json_t *body = json_deep_copy(obj);
    int rc = -1;
    for (int attempt = 0; body && attempt < 2; attempt++) {
        json_object_set(body, "status", (json_t *)status);
        ck_response r = {0};
        rc = ck_rest_update(rest, &ref, body, &r);
        long code = r.code;
        if (rc < 0) ck_debug("%s: status of %s: %s", component, ref.name, r.message);
        ck_response_clear(&r);
        if (rc == 0 || code != 409) break;
        ck_resource_ref get = ref;
        get.subresource = NULL;
        json_decref(body);
        body = NULL;
        if (ck_rest_get(rest, &get, &r) == 0) body = json_incref(r.body);
        ck_response_clear(&r);
    }
    json_decref(body);
    return rc;
}

int ck_wl_update_status(ck_wl *wl, const json_t *owner, const json_t *status)
{
    if (ck_json_equal(json_object_get(owner, "status"), status)) return 0;
    return ck_wl_put_status(wl->rest, wl->owner, wl->component, owner, status);
}
