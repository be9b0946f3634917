/* resourcequota.c: the resource quota controller (pkg/controller/
 * resourcequota): informers on ResourceQuotas and on the objects quota
 * counts; a quota is synced when added or its spec.hard changes, when an
 * object it counts is deleted or leaves its scope of usage (replenishment),
 * and on every resync period; the sync writes status.hard/status.used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api/kinds.h"
#include "api/quota_eval.h"
#include "controller-manager/controllers.h"
#include "controller-manager/resourcequota_logic.h"
#include "util/ckjson.h"
#include "util/log.h"

/* Resources watched for replenishment; others are listed live on each sync. */
typedef struct rq_gvr { const char *group, *version, *resource; } rq_gvr;
static const rq_gvr WATCHED[] = {{"", "v1", "pods"}, {"", "v1", "services"}, {"", "v1", "configmaps"},
                                 {"", "v1", "secrets"}, {"", "v1", "replicationcontrollers"},
                                 {"apps", "v1", "replicasets"}, {"apps", "v1", "deployments"}};
#define N_WATCHED (sizeof WATCHED / sizeof WATCHED[0])

typedef struct rq_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *qinf;
    ck_informer *inf[N_WATCHED];
    ck_resync resync;
} rq_ctrl;

/* ---- listing the objects of a namespace ------------------------------------- */

static json_t *live_list(rq_ctrl *c, const char *group, const char *resource, const char *ns)
{
    const ck_kind *k = ck_kind_by_resource(group, NULL, resource);
    if (!k) return json_array(); /* not served: nothing to count */
    ck_resource_ref ref = {group, k->version, resource, ns, NULL, NULL};
    ck_response r = {0};
    json_t *out = NULL;
    if (ck_rest_list(c->rest, &ref, NULL, &r) == 0) out = json_incref(json_object_get(r.body, "items"));
    else if (r.code == 404) out = json_array();
    ck_response_clear(&r);
    if (out && !json_is_array(out)) { json_decref(out); out = json_array(); }
    return out;
}

static json_t *rq_list(void *ud, const char *group, const char *resource, const char *ns)
{
    rq_ctrl *c = ud;
    if (!*group && !strcmp(resource, "resourcequotas")) return ck_informer_list(c->qinf, ck_in_namespace, (void *)ns);
    for (size_t i = 0; i < N_WATCHED; i++)
        if (!strcmp(group, WATCHED[i].group) && !strcmp(resource, WATCHED[i].resource))
            return ck_informer_list(c->inf[i], ck_in_namespace, (void *)ns);
    return live_list(c, group, resource, ns);
}

/* ---- sync ------------------------------------------------------------------------ */

static long rq_sync(void *self, const char *key)
{
    rq_ctrl *c = self;
    json_t *q = ck_informer_get(c->qinf, key);
    if (!q) return CK_SYNC_OK;
    bool failed = false;
    json_t *status = ck_rq_desired_status(q, rq_list, c, time(NULL), &failed);
    long rc = failed ? CK_SYNC_RETRY : CK_SYNC_OK;
    if (status) {
        json_t *body = json_deep_copy(q);
        json_object_set_new(body, "status", status);
        json_object_set_new(body, "apiVersion", json_string("v1"));
        json_object_set_new(body, "kind", json_string("ResourceQuota"));
        ck_response r = {0};
        ck_resource_ref ref = {"", "v1", "resourcequotas", ck_json_str(q, "metadata.namespace", ""),
                               ck_json_str(q, "metadata.name", ""), "status"};
        if (ck_rest_update(c->rest, &ref, body, &r) < 0 && r.code != 404) {
            ck_debug("resourcequota %s: status update: %ld %s", key, r.code, r.message);
            rc = CK_SYNC_RETRY; /* a Conflict: the admission plugin charged it meanwhile */
        }
        ck_response_clear(&r);
        json_decref(body);
    }
    json_decref(q);
    return rc;
}

/* ---- event handlers ------------------------------------------------------------------ */

static void quota_add(json_t *obj, void *ud) { ck_workers_enqueue(&((rq_ctrl *)ud)->w, obj); }

/* updateQuota: only a spec.hard change (or a status that lags it) needs a sync. */
static void quota_update(json_t *old, json_t *cur, void *ud)
{
    if (!ck_json_equal(ck_json_path(old, "spec"), ck_json_path(cur, "spec")) ||
        !ck_quota_equal(ck_json_path(cur, "spec.hard"), ck_json_path(cur, "status.hard")) ||
        !ck_json_path(cur, "status.used"))
        quota_add(cur, ud);
}

/* replenishQuota: every quota of the object's namespace. */
static void replenish(rq_ctrl *c, const json_t *obj)
{
    const char *ns = ck_json_str(obj, "metadata.namespace", "");
    json_t *qs = ck_informer_list(c->qinf, ck_in_namespace, (void *)ns);
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) ck_workers_enqueue(&c->w, q);
    json_decref(qs);
}

static void obj_delete(json_t *obj, void *ud) { replenish(ud, obj); }

/* Pods that stop counting (terminal, or past their grace period) and
 * services whose type or ports change free quota (evaluator UpdateFilter). */
static void obj_update(json_t *old, json_t *cur, void *ud)
{
    time_t now = time(NULL);
    if (!strcmp(ck_json_str(cur, "kind", ""), "Service") || ck_json_path(cur, "spec.ports")) {
        if (strcmp(ck_json_str(old, "spec.type", "ClusterIP"), ck_json_str(cur, "spec.type", "ClusterIP")) ||
            json_array_size(ck_json_path(old, "spec.ports")) != json_array_size(ck_json_path(cur, "spec.ports")))
            replenish(ud, cur);
        return;
    }
    if (ck_json_path(cur, "spec.containers") && ck_quota_pod_live(old, now) != ck_quota_pod_live(cur, now))
        replenish(ud, cur);
}

static void rq_stop(void *h)
{
    rq_ctrl *c = h;
    if (!c) return;
    ck_resync_stop(&c->resync);
    ck_informer *all[N_WATCHED + 1];
    for (size_t i = 0; i < N_WATCHED; i++) all[i] = c->inf[i];
    all[N_WATCHED] = c->qinf;
    ck_informers_free(all, N_WATCHED + 1);
    ck_workers_stop(&c->w);
    free(c);
}

static void *rq_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    rq_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_workers_init(&c->w, "resourcequota", rq_sync, c) < 0) { free(c); return NULL; }
    ck_informer_handlers oh = {NULL, obj_update, obj_delete, c};
    for (size_t i = 0; i < N_WATCHED; i++)
        if (!(c->inf[i] = ck_controller_informer(ctx->rest, WATCHED[i].group, WATCHED[i].version, WATCHED[i].resource, &oh, err,
                                                errlen))) { rq_stop(c); return NULL; }
    ck_informer_handlers qh = {quota_add, quota_update, NULL, c};
    c->qinf = ck_controller_informer(ctx->rest, "", "v1", "resourcequotas", &qh, err, errlen);
    /* upstream --concurrent-resource-quota-syncs defaults to 5; the full
     * recalculation runs every --resource-quota-sync-period (5m) */
    if (!c->qinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 5) < 0 ||
        ck_resync_start(&c->resync, c->qinf, &c->w, CK_RQ_DEFAULT_SYNC_MS) < 0) {
        rq_stop(c);
        return NULL;
    }
    return c;
}

const ck_cm_controller ck_cm_resourcequota_controller = {"resourcequota", rq_start, rq_stop};
