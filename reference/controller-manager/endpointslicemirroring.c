/* endpointslicemirroring.c: the EndpointSlice mirroring controller
 * (pkg/controller/endpointslicemirroring): Endpoints of Services without a
 * selector are mirrored into EndpointSlices owned by the Endpoints and
 * labelled managed-by endpointslicemirroring-controller.k8s.io. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllers.h"
#include "controller-manager/endpointslice.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct epm_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *svcinf, *epinf, *sliceinf;
    ck_epslice_tracker tracker;
} epm_ctrl;

/* Labels of the mirrored slices: the Endpoints' labels (upstream drops the
 * skip-mirror label and the headless marker is kept) plus ours. New. */
static json_t *slice_template(const json_t *ep)
{
    json_t *labels = json_object();
    json_t *src = ck_json_path(ep, "metadata.labels");
    if (json_is_object(src)) json_object_update(labels, src);
    json_object_set_new(labels, CK_EPSLICE_LABEL_SERVICE, json_string(ck_json_str(ep, "metadata.name", "")));
    json_object_set_new(labels, CK_EPSLICE_LABEL_MANAGED_BY, json_string(CK_EPSLICE_MIRROR_CONTROLLER));
    char gen[300];
    snprintf(gen, sizeof gen, "%.57s-", ck_json_str(ep, "metadata.name", ""));
    /* newEndpointSlice: a controller reference to the Endpoints (utils.go) */
    return json_pack("{s:s,s:s,s:o,s:[{s:s,s:s,s:s,s:s,s:b,s:b}]}", "namespace",
                     ck_json_str(ep, "metadata.namespace", ""), "generateName", gen, "labels", labels,
                     "ownerReferences", "apiVersion", "v1", "kind", "Endpoints", "name",
                     ck_json_str(ep, "metadata.name", ""), "uid", ck_json_str(ep, "metadata.uid", ""), "controller",
                     true, "blockOwnerDeletion", true);
}

static long epm_sync(void *self, const char *key)
{
    epm_ctrl *c = self;
    char ns[256], name[256];
    if (ck_split_key(key, ns, sizeof ns, name, sizeof name) < 0) return CK_SYNC_OK;
    json_t *existing = ck_epslice_owned(c->sliceinf, ns, name, CK_EPSLICE_MIRROR_CONTROLLER);
    if (ck_epslice_tracker_waiting(&c->tracker, key, existing)) { json_decref(existing); return 200; }
    json_t *svc = ck_informer_get(c->svcinf, key);
    json_t *ep = ck_informer_get(c->epinf, key);
    bool mirror = ep && ck_epslice_should_mirror(ep, svc);
    json_t *groups = mirror ? ck_epslice_mirror_groups(ep) : json_array();
    json_t *tmpl = mirror ? slice_template(ep) : json_object();
    ck_epslice_plan plan;
    long rc = CK_SYNC_RETRY;
    if (groups && tmpl && ck_epslice_reconcile(groups, existing, tmpl, CK_EPSLICE_MAX_ENDPOINTS, &plan) == 0) {
        rc = ck_epslice_apply(c->rest, &c->tracker, key, ns, &plan) == 0 ? CK_SYNC_OK : CK_SYNC_RETRY;
        ck_epslice_plan_clear(&plan);
    }
    json_decref(tmpl);
    json_decref(groups);
    json_decref(ep);
    json_decref(svc);
    json_decref(existing);
    return rc;
}

static void obj_changed(json_t *o, void *ud) { ck_workers_enqueue(&((epm_ctrl *)ud)->w, o); }
static void obj_updated(json_t *old, json_t *o, void *ud) { obj_changed(o, ud); }
static void slice_changed(json_t *s, void *ud)
{
    epm_ctrl *c = ud;
    json_t *l = ck_json_path(s, "metadata.labels");
    const char *svc = json_string_value(json_object_get(l, CK_EPSLICE_LABEL_SERVICE));
    if (!svc || strcmp(json_string_value(json_object_get(l, CK_EPSLICE_LABEL_MANAGED_BY)) ?: "",
                       CK_EPSLICE_MIRROR_CONTROLLER))
        return;
    char key[600];
    snprintf(key, sizeof key, "%s/%s", ck_json_str(s, "metadata.namespace", ""), svc);
    ck_workqueue_add(c->w.queue, key);
}
static void slice_updated(json_t *old, json_t *s, void *ud) { slice_changed(s, ud); }

static void epm_stop(void *h)
{
    epm_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->sliceinf, c->epinf, c->svcinf}, 3);
    ck_workers_stop(&c->w);
    ck_epslice_tracker_free(&c->tracker);
    free(c);
}

static void *epm_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    epm_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_epslice_tracker_init(&c->tracker) < 0 ||
        ck_workers_init(&c->w, "endpointslicemirroring", epm_sync, c) < 0) {
        ck_epslice_tracker_free(&c->tracker);
        free(c);
        return NULL;
    }
    ck_informer_handlers h = {obj_changed, obj_updated, obj_changed, c};
    ck_informer_handlers sh = {slice_changed, slice_updated, slice_changed, c};
    c->sliceinf = ck_controller_informer(ctx->rest, "discovery.k8s.io", "v1", "endpointslices", &sh, err, errlen);
    if (c->sliceinf) c->svcinf = ck_controller_informer(ctx->rest, "", "v1", "services", &h, err, errlen);
    if (c->svcinf) c->epinf = ck_controller_informer(ctx->rest, "", "v1", "endpoints", &h, err, errlen);
    /* upstream --mirroring-concurrent-service-endpoint-syncs defaults to 5 */
    if (!c->epinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 5) < 0) { epm_stop(c); return NULL; }
    return c;
}

const ck_cm_controller ck_cm_endpointslicemirroring_controller = {"endpointslicemirroring", epm_start, epm_stop};
