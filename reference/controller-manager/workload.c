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
