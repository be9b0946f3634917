/* namespace.c: the namespace controller (pkg/controller/namespace): once a
 * namespace has a deletionTimestamp, delete all its content found through
 * discovery, report progress as status conditions, then remove the
 * "kubernetes" finalizer (PUT .../finalize) and delete the namespace. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controller.h"
#include "controller-manager/controllers.h"
#include "controller-manager/namespace_deleter.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

#define FINALIZER_KUBERNETES "kubernetes"

typedef struct ns_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *nsinf;
    ck_resync resync;  /* --namespace-sync-period */
} ns_ctrl;

/* ServerPreferredNamespacedResources: /api/v1 plus every group's preferred
 * version. Returns a failure message (caller frees) or NULL. */
static char *discover(ck_rest *rest, ck_ns_gvrs *out)
{
    ck_response r = {0};
    char *msg = NULL;
    if (ck_rest_do(rest, "GET", "/api/v1", NULL, NULL, &r) < 0 || ck_ns_gvrs_add(out, r.body, "", "v1") < 0) {
        if (asprintf(&msg, "Discovery failed for some groups, 1 failing: v1: %s", r.message) < 0) msg = NULL;
        ck_response_clear(&r);
        return msg;
    }
    ck_response_clear(&r);
    if (ck_rest_do(rest, "GET", "/apis", NULL, NULL, &r) < 0) {
        if (asprintf(&msg, "Discovery failed: %s", r.message) < 0) msg = NULL;
        ck_response_clear(&r);
        return msg;
    }
    int failing = 0;
    char failures[512] = "";
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(r.body, "groups"), i, g) {
        const char *group = ck_json_str(g, "name", "");
        const char *gv = ck_json_str(g, "preferredVersion.groupVersion", "");
        const char *ver = ck_json_str(g, "preferredVersion.version", "");
        char path[512];
        snprintf(path, sizeof path, "/apis/%s", gv);
        ck_response gr = {0};
        if (ck_rest_do(rest, "GET", path, NULL, NULL, &gr) < 0 || ck_ns_gvrs_add(out, gr.body, group, ver) < 0) {
            size_t l = strlen(failures);
            snprintf(failures + l, sizeof failures - l, "%s%s: %.200s", failing ? ", " : "", gv, gr.message);
            failing++;
        }
        ck_response_clear(&gr);
    }
    ck_response_clear(&r);
    if (failing && asprintf(&msg, "Discovery failed for some groups, %d failing: %s", failing, failures) < 0)
        msg = NULL;
    return msg;
}

static json_t *background_opts(void)
{
    return json_pack("{s:s,s:s,s:s}", "kind", "DeleteOptions", "apiVersion", "v1", "propagationPolicy",
                     "Background");
}

/* deleteCollection, or list + delete each when the resource lacks
 * deletecollection (upstream's fallback). 0 or -1. */
static int delete_content(ck_rest *rest, const ck_ns_gvr *g, const char *ns)
{
    ck_resource_ref ref = {g->group, g->version, g->resource, ns, NULL, NULL};
    char path[1024];
    if (ck_rest_path(&ref, NULL, path, sizeof path) < 0) return -1;
    ck_response r = {0};
    json_t *opts = background_opts();
    int rc = 0;
    if (g->deletecollection) {
        rc = ck_rest_do(rest, "DELETE", path, NULL, opts, &r);
        if (rc < 0 && (r.code == 404)) rc = 0;
        ck_response_clear(&r);
    } else if (ck_rest_list(rest, &ref, NULL, &r) == 0) {
        size_t i;
        json_t *it;
        ck_delete_opts d = CK_DELETE_OPTS_INIT;
        d.propagation_policy = "Background";
        json_array_foreach(json_object_get(r.body, "items"), i, it) {
            ck_response dr = {0};
            ref.name = ck_json_str(it, "metadata.name", "");
            if (ck_rest_delete(rest, &ref, &d, &dr) < 0 && dr.code != 404) rc = -1;
            ck_response_clear(&dr);
        }
        ck_response_clear(&r);
    } else {
        rc = r.code == 404 ? 0 : -1;
        ck_response_clear(&r);
    }
    json_decref(opts);
    return rc;
}

/* Lists what remains of g in ns into rem; returns the longest remaining
 * pod grace period in seconds (upstream's estimate), 0 otherwise, -1 on error. */
static long count_remaining(ck_rest *rest, const ck_ns_gvr *g, const char *ns, ck_ns_remaining *rem)
{
    ck_response r = {0};
    ck_resource_ref ref = {g->group, g->version, g->resource, ns, NULL, NULL};
    if (ck_rest_list(rest, &ref, NULL, &r) < 0) {
        long rc = r.code == 404 ? 0 : -1;
        ck_response_clear(&r);
        return rc;
    }
    json_t *items = json_object_get(r.body, "items");
    ck_ns_remaining_add(rem, g->group, g->resource, items);
    long est = json_array_size(items) ? 1 : 0;
    if (!strcmp(g->resource, "pods") && !*g->group) {
        size_t i;
        json_t *p;
        json_array_foreach(items, i, p) {
            long gp = (long)ck_json_int(p, "spec.terminationGracePeriodSeconds", 30);
            if (gp > est) est = gp;
        }
    }
    ck_response_clear(&r);
    return est;
}

static void put_status(ck_rest *rest, json_t *ns, const char *const fail[CK_NS_COND_N])
{
    char now[CK_TIME_LEN];
    if (!ck_ns_update_conditions(ns, fail, ck_time_now(now))) return;
    ck_response r = {0};
    const char *name = ck_json_str(ns, "metadata.name", "");
    if (ck_rest_update(rest, &(ck_resource_ref){"", "v1", "namespaces", NULL, name, "status"}, ns, &r) < 0)
        ck_debug("namespace %s: status update: %s", name, r.message);
    ck_response_clear(&r);
}

/* Deletes the namespace object itself, preconditioned on its uid. */
static long delete_namespace(ck_rest *rest, const json_t *ns)
{
    ck_delete_opts d = CK_DELETE_OPTS_INIT;
    d.precondition_uid = ck_json_str(ns, "metadata.uid", NULL);
    ck_response r = {0};
    const char *name = ck_json_str(ns, "metadata.name", "");
    int rc = ck_rest_delete(rest, &(ck_resource_ref){"", "v1", "namespaces", NULL, name, NULL}, &d, &r);
    long out = (rc == 0 || r.code == 404 || r.code == 409) ? CK_SYNC_OK : CK_SYNC_RETRY;
    ck_response_clear(&r);
    return out;
}

/* Deletes every GVR's content and counts what remains. Returns the estimate
 * (seconds, 0 = nothing remains) and fills fail[] messages (caller frees). */
static long delete_all_content(ck_rest *rest, const char *name, const ck_ns_gvrs *gvrs, char *fail[CK_NS_COND_N])
{
    ck_ns_remaining rem;
    if (ck_ns_remaining_init(&rem) < 0) return -1;
    long estimate = 0;
    int failed = 0;
    char failures[512] = "";
    for (size_t i = 0; i < gvrs->n; i++) {
        const ck_ns_gvr *g = &gvrs->v[i];
        long est = -1;
        if (delete_content(rest, g, name) == 0) est = count_remaining(rest, g, name, &rem);
        if (est < 0) {
            size_t l = strlen(failures);
            snprintf(failures + l, sizeof failures - l, "%s%s.%s", failed ? ", " : "", g->resource, g->group);
            failed++;
        } else if (est > estimate) {
            estimate = est;
        }
    }
    if (failed && asprintf(&fail[CK_NS_COND_CONTENT_FAILURE], "Failed to delete all resource types, %d remaining: %s",
                           failed, failures) < 0)
        fail[CK_NS_COND_CONTENT_FAILURE] = NULL;
    fail[CK_NS_COND_CONTENT_REMAINING] = ck_ns_remaining_resources_msg(&rem);
    fail[CK_NS_COND_FINALIZERS] = ck_ns_remaining_finalizers_msg(&rem);
    ck_ns_remaining_clear(&rem);
    return failed ? -1 : estimate;
}

/* PUT .../finalize without "kubernetes", then delete if nothing else holds it. */
static long finalize(ck_rest *rest, const json_t *ns)
{
    json_t *body = ck_ns_finalize_body(ns, FINALIZER_KUBERNETES);
    if (!body) return CK_SYNC_RETRY;
    const char *name = ck_json_str(ns, "metadata.name", "");
    ck_response r = {0};
    int rc = ck_rest_update(rest, &(ck_resource_ref){"", "v1", "namespaces", NULL, name, "finalize"}, body, &r);
    json_decref(body);
    long out = CK_SYNC_RETRY;
    if (rc == 0) {
        ck_info("namespace %s: content removed, finalized", name);
        json_t *fins = r.body ? ck_json_path(r.body, "spec.finalizers") : NULL;
        out = json_array_size(fins) ? CK_SYNC_OK : delete_namespace(rest, r.body ? r.body : ns);
    } else if (r.code == 404) {
        out = CK_SYNC_OK;
    }
    ck_response_clear(&r);
    return out;
}

/* NamespacedResourcesDeleter.Delete (declared in namespace_deleter.h). */
long ck_ns_delete(ck_rest *rest, const char *key)
{
    ck_response r = {0};
    if (ck_rest_get(rest, &(ck_resource_ref){"", "v1", "namespaces", NULL, key, NULL}, &r) < 0) {
        long rc = r.code == 404 ? CK_SYNC_OK : CK_SYNC_RETRY;
        ck_response_clear(&r);
        return rc;
    }
    json_t *ns = r.body;
    if (!ck_json_path(ns, "metadata.deletionTimestamp")) { ck_response_clear(&r); return CK_SYNC_OK; }
    if (!ck_ns_has_finalizer(ns, FINALIZER_KUBERNETES)) {
        long rc = json_array_size(ck_json_path(ns, "spec.finalizers")) ? CK_SYNC_OK : delete_namespace(rest, ns);
        ck_response_clear(&r);
        return rc;
    }
    char *fail[CK_NS_COND_N] = {0};
    ck_ns_gvrs gvrs = {0};
    fail[CK_NS_COND_DISCOVERY] = discover(rest, &gvrs);
    long estimate = delete_all_content(rest, key, &gvrs, fail);
    ck_ns_gvrs_clear(&gvrs);
    put_status(rest, ns, (const char *const *)fail);
    long rc;
    if (fail[CK_NS_COND_DISCOVERY] || estimate < 0) rc = CK_SYNC_RETRY;
    else if (estimate > 0) rc = (estimate / 2 + 1) * 1000;  /* upstream: AddAfter(estimate/2 + 1 s) */
    else rc = finalize(rest, ns);
    for (int i = 0; i < CK_NS_COND_N; i++) free(fail[i]);
    ck_response_clear(&r);
    return rc;
}

/* syncNamespaceFromKey */
static long ns_sync(void *self, const char *key) { return ck_ns_delete(((ns_ctrl *)self)->rest, key); }

static void ns_on_add(json_t *obj, void *ud)
{
    if (ck_json_path(obj, "metadata.deletionTimestamp")) ck_workers_enqueue(&((ns_ctrl *)ud)->w, obj);
}
static void ns_on_update(json_t *old, json_t *obj, void *ud) { ns_on_add(obj, ud); }

static void ns_stop(void *h)
{
    ns_ctrl *c = h;
    if (!c) return;
    ck_resync_stop(&c->resync);
    ck_informer_free(c->nsinf);
    ck_workers_stop(&c->w);
    free(c);
}

static void *ns_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    ns_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_workers_init(&c->w, "namespace", ns_sync, c) < 0) { free(c); return NULL; }
    ck_informer_handlers h = {ns_on_add, ns_on_update, NULL, c};
    c->nsinf = ck_controller_informer(ctx->rest, "", "v1", "namespaces", &h, err, errlen);
    /* upstream --concurrent-namespace-syncs defaults to 10 */
    if (!c->nsinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 10) < 0 ||
        ck_resync_start(&c->resync, c->nsinf, &c->w, ctx->namespace_sync_ms) < 0) {
        ns_stop(c);
        return NULL;
    }
    return c;
}

const ck_cm_controller ck_cm_namespace_controller = {"namespace", ns_start, ns_stop};
