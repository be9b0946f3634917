/* endpointslice.c: the EndpointSlice controller (pkg/controller/endpointslice):
 * for each Service with a selector, EndpointSlices <svc>-xxxxx listing the
 * selected pods (at most 100 each), owned by the Service; also the slice
 * write/track helpers the mirroring controller shares (endpointslice.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api/selector.h"
#include "controller-manager/controllers.h"
#include "controller-manager/endpointslice.h"
#include "controller-manager/service_pods.h"
#include "util/ckjson.h"
#include "util/log.h"

/* ---- shared: tracker, apply, owned slices ------------------------------ */

#define TRACKER_MAX_WAIT_S 10

int ck_epslice_tracker_init(ck_epslice_tracker *t)
{
    t->pending = json_object();
    return t->pending && pthread_mutex_init(&t->mu, NULL) == 0 ? 0 : -1;
}

void ck_epslice_tracker_free(ck_epslice_tracker *t)
{
    if (!t->pending) return;
    json_decref(t->pending);
    t->pending = NULL;
    pthread_mutex_destroy(&t->mu);
}

bool ck_epslice_tracker_waiting(ck_epslice_tracker *t, const char *owner_key, const json_t *cached)
{
    pthread_mutex_lock(&t->mu);
    json_t *p = json_object_get(t->pending, owner_key);
    bool stale = p && ck_epslice_tracker_stale(json_object_get(p, "slices"), cached);
    /* a slice deleted by someone else before the informer saw our write
     * would keep it stale forever: give up waiting after a while */
    if (stale && time(NULL) - (time_t)json_integer_value(json_object_get(p, "since")) > TRACKER_MAX_WAIT_S) stale = false;
    if (p && !stale) json_object_del(t->pending, owner_key);
    pthread_mutex_unlock(&t->mu);
    return stale;
}

static void track(ck_epslice_tracker *t, const char *owner_key, const char *name, json_t *rv /* stolen */)
{
    pthread_mutex_lock(&t->mu);
    json_t *p = json_object_get(t->pending, owner_key);
    if (!p) json_object_set_new(t->pending, owner_key, p = json_pack("{s:I,s:{}}", "since", (json_int_t)time(NULL), "slices"));
    if (p && *name) json_object_set_new(json_object_get(p, "slices"), name, rv);
    else json_decref(rv);
    pthread_mutex_unlock(&t->mu);
}

static json_t *rv_of(const ck_response *r)
{
    return json_integer(atoll(ck_json_str(r->body, "metadata.resourceVersion", "0")));
}

int ck_epslice_apply(ck_rest *rest, ck_epslice_tracker *t, const char *owner_key, const char *ns,
                     const ck_epslice_plan *plan)
{
    ck_resource_ref ref = {"discovery.k8s.io", "v1", "endpointslices", ns, NULL, NULL};
    int rc = 0;
    size_t i;
    json_t *s;
    ck_response r = {0};
    json_array_foreach(plan->remove, i, s) {
        ref.name = ck_json_str(s, "metadata.name", "");
        if (ck_rest_delete(rest, &ref, NULL, &r) == 0 || r.code == 404) track(t, owner_key, ref.name, json_null());
        else rc = -1;
        ck_response_clear(&r);
    }
    json_array_foreach(plan->update, i, s) {
        ref.name = ck_json_str(s, "metadata.name", "");
        if (ck_rest_update(rest, &ref, s, &r) == 0) track(t, owner_key, ref.name, rv_of(&r));
        else { ck_debug("endpointslice %s update %s: %s", owner_key, ref.name, r.message); rc = -1; }
        ck_response_clear(&r);
    }
    ref.name = NULL;
    json_array_foreach(plan->create, i, s) {
        if (ck_rest_create(rest, &ref, s, &r) == 0)
            track(t, owner_key, ck_json_str(r.body, "metadata.name", ""), rv_of(&r));
        else { ck_debug("endpointslice %s create: %s", owner_key, r.message); rc = -1; }
        ck_response_clear(&r);
    }
    return rc;
}

typedef struct owned_q { const char *ns, *svc, *by; } owned_q;
static bool slice_owned(const json_t *s, void *ud)
{
    const owned_q *q = ud;
    json_t *l = ck_json_path(s, "metadata.labels");
    return !strcmp(ck_json_str(s, "metadata.namespace", ""), q->ns) &&
           !strcmp(json_string_value(json_object_get(l, CK_EPSLICE_LABEL_SERVICE)) ?: "", q->svc) &&
           !strcmp(json_string_value(json_object_get(l, CK_EPSLICE_LABEL_MANAGED_BY)) ?: "", q->by);
}

json_t *ck_epslice_owned(ck_informer *inf, const char *ns, const char *svc, const char *managed_by)
{
    owned_q q = {ns, svc, managed_by};
    return ck_informer_list(inf, slice_owned, &q);
}

/* ---- the controller ---------------------------------------------------- */

typedef struct eps_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *svcinf, *podinf, *sliceinf;
    ck_epslice_tracker tracker;
} eps_ctrl;

/* The metadata every slice of svc carries (newEndpointSlice). New. */
static json_t *slice_template(const json_t *svc)
{
    char gen[300];
    snprintf(gen, sizeof gen, "%.57s-", ck_json_str(svc, "metadata.name", ""));
    return json_pack("{s:s,s:s,s:o,s:[{s:s,s:s,s:s,s:s,s:b,s:b}]}", "namespace",
                     ck_json_str(svc, "metadata.namespace", ""), "generateName", gen, "labels",
                     ck_epslice_service_labels(svc, CK_EPSLICE_CONTROLLER), "ownerReferences", "apiVersion", "v1",
                     "kind", "Service", "name", ck_json_str(svc, "metadata.name", ""), "uid",
                     ck_json_str(svc, "metadata.uid", ""), "controller", true, "blockOwnerDeletion", true);
}

static long eps_sync(void *self, const char *key)
{
    eps_ctrl *c = self;
    char ns[256], name[256];
    if (ck_split_key(key, ns, sizeof ns, name, sizeof name) < 0) return CK_SYNC_OK;
    json_t *existing = ck_epslice_owned(c->sliceinf, ns, name, CK_EPSLICE_CONTROLLER);
    if (ck_epslice_tracker_waiting(&c->tracker, key, existing)) { json_decref(existing); return 200; }
    json_t *svc = ck_informer_get(c->svcinf, key);
    ck_label_selector *sel = svc ? ck_service_selector(svc) : NULL;
    /* syncService: selector-less and ExternalName services get no slices
     * from this controller, and theirs (made out-of-band) are left alone */
    if (svc && (!sel || !strcmp(ck_json_str(svc, "spec.type", ""), "ExternalName"))) {
        ck_label_selector_free(sel);
        json_decref(svc);
        json_decref(existing);
        return CK_SYNC_OK;
    }
    json_t *groups = NULL, *tmpl = NULL;
    if (sel) {
        json_t *pods = ck_service_pods(c->podinf, ns, sel);
        groups = ck_epslice_service_groups(svc, pods);
        tmpl = slice_template(svc);
        json_decref(pods);
    } else {
        /* the service is gone: its slices go now (the garbage collector
         * would, through the ownerReference) */
        groups = json_array();
        tmpl = json_object();
    }
    ck_epslice_plan plan;
    long rc = CK_SYNC_RETRY;
    if (groups && tmpl && ck_epslice_reconcile(groups, existing, tmpl, CK_EPSLICE_MAX_ENDPOINTS, &plan) == 0) {
        rc = ck_epslice_apply(c->rest, &c->tracker, key, ns, &plan) == 0 ? CK_SYNC_OK : CK_SYNC_RETRY;
        ck_epslice_plan_clear(&plan);
    }
    json_decref(tmpl);
    json_decref(groups);
    ck_label_selector_free(sel);
    json_decref(svc);
    json_decref(existing);
    return rc;
}

static void enqueue_services_of(eps_ctrl *c, const json_t *pod)
{
    ck_enqueue_services_of_pod(c->svcinf, &c->w, pod);
}

static void pod_added(json_t *pod, void *ud) { enqueue_services_of(ud, pod); }
static void pod_updated(json_t *old, json_t *cur, void *ud)
{
    if (!strcmp(ck_json_str(old, "metadata.resourceVersion", ""), ck_json_str(cur, "metadata.resourceVersion", "")))
        return;
    enqueue_services_of(ud, cur);
    if (!ck_json_equal(ck_json_path(old, "metadata.labels"), ck_json_path(cur, "metadata.labels")))
        enqueue_services_of(ud, old);
}
static void svc_changed(json_t *svc, void *ud) { ck_workers_enqueue(&((eps_ctrl *)ud)->w, svc); }
static void svc_updated(json_t *old, json_t *svc, void *ud) { svc_changed(svc, ud); }
/* a slice of ours changed or went away: resync its service */
static void slice_changed(json_t *s, void *ud)
{
    eps_ctrl *c = ud;
    json_t *l = ck_json_path(s, "metadata.labels");
    const char *svc = json_string_value(json_object_get(l, CK_EPSLICE_LABEL_SERVICE));
    if (!svc || strcmp(json_string_value(json_object_get(l, CK_EPSLICE_LABEL_MANAGED_BY)) ?: "", CK_EPSLICE_CONTROLLER))
        return;
    char key[600];
    snprintf(key, sizeof key, "%s/%s", ck_json_str(s, "metadata.namespace", ""), svc);
    ck_workqueue_add(c->w.queue, key);
}
static void slice_updated(json_t *old, json_t *s, void *ud) { slice_changed(s, ud); }

static void eps_stop(void *h)
{
    eps_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->sliceinf, c->podinf, c->svcinf}, 3);
    ck_workers_stop(&c->w);
    ck_epslice_tracker_free(&c->tracker);
    free(c);
}

static void *eps_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    eps_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_epslice_tracker_init(&c->tracker) < 0 || ck_workers_init(&c->w, "endpointslice", eps_sync, c) < 0) {
        ck_epslice_tracker_free(&c->tracker);
        free(c);
        return NULL;
    }
    ck_informer_handlers sh = {svc_changed, svc_updated, svc_changed, c};
    ck_informer_handlers ph = {pod_added, pod_updated, pod_added, c};
    ck_informer_handlers eh = {slice_changed, slice_updated, slice_changed, c};
    c->sliceinf = ck_controller_informer(ctx->rest, "discovery.k8s.io", "v1", "endpointslices", &eh, err, errlen);
    if (c->sliceinf) c->svcinf = ck_controller_informer(ctx->rest, "", "v1", "services", &sh, err, errlen);
    if (c->svcinf) c->podinf = ck_controller_informer(ctx->rest, "", "v1", "pods", &ph, err, errlen);
    /* upstream --concurrent-service-endpoint-syncs defaults to 5 */
    if (!c->podinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 5) < 0) { eps_stop(c); return NULL; }
    return c;
}

const ck_cm_controller ck_cm_endpointslice_controller = {"endpointslice", eps_start, eps_stop};
