/* endpoints.c: the endpoints controller (pkg/controller/endpoint): for each
 * Service with a selector, keep an Endpoints object of the same name listing
 * the selected pods' IPs (ready and not ready) and the resolved ports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/selector.h"
#include "controller-manager/controllers.h"
#include "controller-manager/endpoints_subsets.h"
#include "controller-manager/service_pods.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct ep_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *svcinf, *podinf, *epinf;
} ep_ctrl;

/* labels.Set(service.Spec.Selector).AsSelectorPreValidated() */
static long ep_sync(void *self, const char *key)
{
    ep_ctrl *c = self;
    char ns[256], name[256];
    if (ck_split_key(key, ns, sizeof ns, name, sizeof name) < 0) return CK_SYNC_OK;
    ck_resource_ref ref = {"", "v1", "endpoints", ns, name, NULL};
    ck_response r = {0};
    json_t *svc = ck_informer_get(c->svcinf, key);
    if (!svc) {
        /* the service is gone: delete its Endpoints (NotFound is fine) */
        long rc = ck_rest_delete(c->rest, &ref, NULL, &r) == 0 || r.code == 404 ? CK_SYNC_OK : CK_SYNC_RETRY;
        ck_response_clear(&r);
        return rc;
    }
    ck_label_selector *sel = ck_service_selector(svc);
    if (!sel) { json_decref(svc); return CK_SYNC_OK; }  /* no selector: endpoints are the user's */
    json_t *pods = ck_service_pods(c->podinf, ns, sel);
    json_t *want = ck_endpoints_desired(svc, pods);
    json_t *cur = ck_informer_get(c->epinf, key);
    long rc = CK_SYNC_OK;
    if (want && !ck_endpoints_up_to_date(cur, want)) {
        int w;
        if (cur) {
            json_t *upd = json_deep_copy(cur);
            json_object_set(upd, "subsets", json_object_get(want, "subsets"));
            json_object_set(json_object_get(upd, "metadata"), "labels", ck_json_path(want, "metadata.labels"));
            w = ck_rest_update(c->rest, &ref, upd, &r);
            json_decref(upd);
        } else {
            ref.name = NULL;
            w = ck_rest_create(c->rest, &ref, want, &r);
        }
        if (w < 0) {
            ck_debug("endpoints %s: %s", key, r.message);
            rc = CK_SYNC_RETRY;  /* 409: the informer is behind; retry */
        }
        ck_response_clear(&r);
    }
    json_decref(cur);
    json_decref(want);
    json_decref(pods);
    ck_label_selector_free(sel);
    json_decref(svc);
    return rc;
}

static void enqueue_services_of(ep_ctrl *c, const json_t *pod)
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
static void svc_changed(json_t *svc, void *ud) { ck_workers_enqueue(&((ep_ctrl *)ud)->w, svc); }
static void svc_updated(json_t *old, json_t *svc, void *ud) { svc_changed(svc, ud); }
/* onEndpointsDelete: recreate it if its service still wants it */
static void ep_deleted(json_t *ep, void *ud) { ck_workers_enqueue(&((ep_ctrl *)ud)->w, ep); }

static void ep_stop(void *h)
{
    ep_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->epinf, c->podinf, c->svcinf}, 3);
    ck_workers_stop(&c->w);
    free(c);
}

static void *ep_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    ep_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_workers_init(&c->w, "endpoint", ep_sync, c) < 0) { free(c); return NULL; }
    ck_informer_handlers sh = {svc_changed, svc_updated, svc_changed, c};
    ck_informer_handlers ph = {pod_added, pod_updated, pod_added, c};
    ck_informer_handlers eh = {NULL, NULL, ep_deleted, c};
    c->svcinf = ck_controller_informer(ctx->rest, "", "v1", "services", &sh, err, errlen);
    if (c->svcinf) c->podinf = ck_controller_informer(ctx->rest, "", "v1", "pods", &ph, err, errlen);
    if (c->podinf) c->epinf = ck_controller_informer(ctx->rest, "", "v1", "endpoints", &eh, err, errlen);
    /* upstream --concurrent-endpoint-syncs defaults to 5 */
    if (!c->epinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 5) < 0) { ep_stop(c); return NULL; }
    return c;
}

const ck_cm_controller ck_cm_endpoints_controller = {"endpoint", ep_start, ep_stop};
