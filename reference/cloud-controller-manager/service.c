/* service.c: the service (load balancer) controller (k8s.io/cloud-provider/
 * controllers/service/controller.go): LoadBalancer Services get the cleanup
 * finalizer, a cloud load balancer and status.loadBalancer.ingress; node
 * changes update every balancer's hosts; deletion (or leaving type
 * LoadBalancer) releases the balancer and then the finalizer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cloud-controller-manager/controllers.h"
#include "util/ckjson.h"
#include "util/log.h"

#define COMPONENT "service-controller"  /* upstream's event source */
#define NODES_KEY "@nodes"              /* not a "ns/name": the node sync */

typedef struct svc_ctrl {
    const ck_ccm_ctx *ctx;
    ck_workers w;
    ck_informer *svcinf, *nodeinf;
} svc_ctrl;

bool ck_ccm_svc_wants_lb(const json_t *svc)
{
    /* "if LoadBalancerClass is set, the user does not want the default cloud-provider LB" */
    return !strcmp(ck_json_str(svc, "spec.type", ""), "LoadBalancer") &&
           !ck_json_str(svc, "spec.loadBalancerClass", NULL);
}

bool ck_ccm_svc_has_finalizer(const json_t *svc)
{
    json_t *f = ck_json_path(svc, "metadata.finalizers"), *v;
    size_t i;
    json_array_foreach(f, i, v)
        if (!strcmp(json_string_value(v) ? json_string_value(v) : "", CK_LB_FINALIZER)) return true;
    return false;
}

bool ck_ccm_svc_needs_cleanup(const json_t *svc)
{
    if (!ck_ccm_svc_has_finalizer(svc)) return false;
    return ck_json_str(svc, "metadata.deletionTimestamp", NULL) || !ck_ccm_svc_wants_lb(svc);
}

bool ck_ccm_svc_needs_update(const json_t *o, const json_t *n)
{
    if (!ck_ccm_svc_wants_lb(o) && !ck_ccm_svc_wants_lb(n)) return false;
    if (ck_ccm_svc_wants_lb(o) != ck_ccm_svc_wants_lb(n)) return true;
    return !ck_json_equal(ck_json_path(o, "spec"), ck_json_path(n, "spec")) ||
           !ck_json_equal(ck_json_path(o, "metadata.annotations"), ck_json_path(n, "metadata.annotations")) ||
           strcmp(ck_json_str(o, "metadata.uid", ""), ck_json_str(n, "metadata.uid", "")) ||
           !ck_json_str(o, "metadata.deletionTimestamp", NULL) != !ck_json_str(n, "metadata.deletionTimestamp", NULL);
}

json_t *ck_ccm_lb_status_json(const ck_lb_status *st)
{
    json_t *lb = json_object(), *ing = json_array();
    for (size_t i = 0; lb && ing && i < st->n_ingress; i++) {
        json_t *e = json_object();
        if (st->ingress[i].ip[0]) json_object_set_new(e, "ip", json_string(st->ingress[i].ip));
        if (st->ingress[i].hostname[0]) json_object_set_new(e, "hostname", json_string(st->ingress[i].hostname));
        json_array_append_new(ing, e);
    }
    if (!lb || !ing) {
        json_decref(lb);
        json_decref(ing);
        return NULL;
    }
    if (json_array_size(ing)) json_object_set_new(lb, "ingress", ing);
    else json_decref(ing);
    return lb;
}

json_t *ck_ccm_lb_nodes(const json_t *nodes)
{
    json_t *out = json_array(), *n;
    size_t i;
    json_array_foreach(nodes, i, n) {
        json_t *labels = ck_json_path(n, "metadata.labels");
        if (json_object_get(labels, "node.kubernetes.io/exclude-from-external-load-balancers")) continue;
        if (ck_ccm_taint_index(n, "ToBeDeletedByClusterAutoscaler") >= 0) continue;
        if (ck_ccm_taint_index(n, CK_TAINT_UNINITIALIZED) >= 0) continue;
        if (strcmp(ck_ccm_condition_status(n, "Ready"), "True")) continue;
        json_array_append(out, n);
    }
    return out;
}

/* Sets or clears the finalizer with a merge patch carrying the whole list. */
static int patch_finalizer(svc_ctrl *c, const json_t *svc, bool add)
{
    if (ck_ccm_svc_has_finalizer(svc) == add) return 0;
    json_t *fins = json_array(), *v, *old = ck_json_path(svc, "metadata.finalizers");
    size_t i;
    json_array_foreach(old, i, v)
        if (strcmp(json_string_value(v) ? json_string_value(v) : "", CK_LB_FINALIZER)) json_array_append(fins, v);
    if (add) json_array_append_new(fins, json_string(CK_LB_FINALIZER));
    json_t *patch = json_pack("{s:{s:o,s:s}}", "metadata", "finalizers", fins, "resourceVersion",
                              ck_json_str(svc, "metadata.resourceVersion", ""));
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "services", ck_json_str(svc, "metadata.namespace", ""),
                           ck_json_str(svc, "metadata.name", ""), NULL};
    int rc = patch ? ck_rest_patch(c->ctx->rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    if (rc < 0 && !(r.code == 404 && !add)) {
        ck_warn("service: %s finalizer on %s/%s: %s", add ? "adding" : "removing", ref.namespace, ref.name,
                r.message);
    } else {
        rc = 0;
    }
    ck_response_clear(&r);
    json_decref(patch);
    return rc;
}

/* patchStatus: status.loadBalancer replaced when it changed. */
static int patch_status(svc_ctrl *c, const json_t *svc, json_t *lb)
{
    if (ck_json_equal(ck_json_path(svc, "status.loadBalancer.ingress"), json_object_get(lb, "ingress"))) {
        json_decref(lb);
        return 0;
    }
    if (!json_object_get(lb, "ingress")) json_object_set_new(lb, "ingress", json_null());
    json_t *patch = json_pack("{s:{s:o}}", "status", "loadBalancer", lb);
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "services", ck_json_str(svc, "metadata.namespace", ""),
                           ck_json_str(svc, "metadata.name", ""), "status"};
    int rc = patch ? ck_rest_patch(c->ctx->rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    if (rc < 0 && r.code == 404) rc = 0;  /* deleted once the finalizer went */
    if (rc < 0) ck_warn("service: status of %s/%s: %s", ref.namespace, ref.name, r.message);
    ck_response_clear(&r);
    json_decref(patch);
    return rc;
}

static json_t *current_nodes(svc_ctrl *c)
{
    json_t *all = ck_informer_list(c->nodeinf, NULL, NULL);
    json_t *nodes = ck_ccm_lb_nodes(all);
    json_decref(all);
    return nodes;
}

/* syncLoadBalancerIfNeeded: the cleanup or the ensure branch. */
static int sync_lb(svc_ctrl *c, const json_t *svc, char *err, size_t errlen)
{
    const ck_ccm_ctx *x = c->ctx;
    const ck_cloud_load_balancer *lb = x->cloud->ops->load_balancer;
    ck_lb_status st = {0};
    if (ck_ccm_svc_needs_cleanup(svc)) {
        ck_eventf(x->rest, COMPONENT, svc, "v1", "Service", "Normal", "DeletingLoadBalancer", "Deleting load balancer");
        if (lb && lb->ensure_deleted(x->cloud->self, x->cluster_name, svc, err, errlen) < 0) return -1;
        /* "Always remove finalizer when load balancer is deleted" */
        if (patch_finalizer(c, svc, false) < 0) {
            snprintf(err, errlen, "failed to remove load balancer cleanup finalizer");
            return -1;
        }
        ck_eventf(x->rest, COMPONENT, svc, "v1", "Service", "Normal", "DeletedLoadBalancer", "Deleted load balancer");
    } else if (ck_ccm_svc_wants_lb(svc) && !ck_json_str(svc, "metadata.deletionTimestamp", NULL)) {
        if (!lb) {
            snprintf(err, errlen, "LoadBalancer not supported by cloud provider %s", x->cloud->ops->name);
            return -1;
        }
        ck_eventf(x->rest, COMPONENT, svc, "v1", "Service", "Normal", "EnsuringLoadBalancer", "Ensuring load balancer");
        /* "Always add a finalizer prior to creating load balancers" */
        if (patch_finalizer(c, svc, true) < 0) {
            snprintf(err, errlen, "failed to add load balancer cleanup finalizer");
            return -1;
        }
        json_t *nodes = current_nodes(c);
        int rc = nodes ? lb->ensure(x->cloud->self, x->cluster_name, svc, nodes, &st, err, errlen) : -1;
        json_decref(nodes);
        if (rc < 0) return -1;
        ck_eventf(x->rest, COMPONENT, svc, "v1", "Service", "Normal", "EnsuredLoadBalancer", "Ensured load balancer");
    } else {
        return 0;  /* not ours */
    }
    json_t *status = ck_ccm_lb_status_json(&st);
    if (!status || patch_status(c, svc, status) < 0) {
        snprintf(err, errlen, "failed to update load balancer status");
        return -1;
    }
    return 0;
}

/* nodeSyncService for every balancer we own: hosts changed. */
static long sync_nodes(svc_ctrl *c)
{
    const ck_ccm_ctx *x = c->ctx;
    const ck_cloud_load_balancer *lb = x->cloud->ops->load_balancer;
    if (!lb) return CK_SYNC_OK;
    json_t *svcs = ck_informer_list(c->svcinf, NULL, NULL), *s;
    json_t *nodes = current_nodes(c);
    long rc = CK_SYNC_OK;
    size_t i;
    json_array_foreach(svcs, i, s) {
        if (!ck_ccm_svc_wants_lb(s) || ck_ccm_svc_needs_cleanup(s) || !ck_ccm_svc_has_finalizer(s)) continue;
        char err[512] = "";
        if (lb->update(x->cloud->self, x->cluster_name, s, nodes, err, sizeof err) < 0) {
            ck_eventf(x->rest, COMPONENT, s, "v1", "Service", "Warning", "UpdateLoadBalancerFailed",
                         "Error updating load balancer with new hosts %s", err);
            rc = CK_SYNC_RETRY;
        } else {
            ck_eventf(x->rest, COMPONENT, s, "v1", "Service", "Normal", "UpdatedLoadBalancer",
                         "Updated load balancer with new hosts");
        }
    }
    json_decref(nodes);
    json_decref(svcs);
    return rc;
}

static long svc_sync(void *self, const char *key)
{
    svc_ctrl *c = self;
    if (!strcmp(key, NODES_KEY)) return sync_nodes(c);
    json_t *svc = ck_informer_get(c->svcinf, key);
    if (!svc) return CK_SYNC_OK;  /* gone: the finalizer guarantees we saw its deletion */
    char err[512] = "";
    long rc = CK_SYNC_OK;
    if (sync_lb(c, svc, err, sizeof err) < 0) {
        /* upstream: "Error syncing load balancer: %v" */
        ck_eventf(c->ctx->rest, COMPONENT, svc, "v1", "Service", "Warning", "SyncLoadBalancerFailed",
                     "Error syncing load balancer: %s", err);
        ck_warn("service: %s: %s", key, err);
        rc = CK_SYNC_RETRY;
    }
    json_decref(svc);
    return rc;
}

static void svc_add(json_t *obj, void *ud)
{
    if (ck_ccm_svc_wants_lb(obj) || ck_ccm_svc_needs_cleanup(obj)) ck_workers_enqueue(&((svc_ctrl *)ud)->w, obj);
}
static void svc_update(json_t *old, json_t *obj, void *ud)
{
    if (ck_ccm_svc_needs_update(old, obj) || ck_ccm_svc_needs_cleanup(obj))
        ck_workers_enqueue(&((svc_ctrl *)ud)->w, obj);
}

/* nodeSyncLoop triggers: a node set change (add, delete, readiness, labels, taints). */
static void node_changed(json_t *obj, void *ud) { ck_workqueue_add(((svc_ctrl *)ud)->w.queue, NODES_KEY); }
static void node_update(json_t *old, json_t *obj, void *ud)
{
    if (strcmp(ck_ccm_condition_status(old, "Ready"), ck_ccm_condition_status(obj, "Ready")) ||
        !ck_json_equal(ck_json_path(old, "metadata.labels"), ck_json_path(obj, "metadata.labels")) ||
        !ck_json_equal(ck_json_path(old, "spec.taints"), ck_json_path(obj, "spec.taints")) ||
        !ck_json_equal(ck_json_path(old, "status.addresses"), ck_json_path(obj, "status.addresses")))
        node_changed(obj, ud);
}

static void svc_stop(void *h)
{
    svc_ctrl *c = h;
    if (!c) return;
    ck_informer_free(c->svcinf);
    ck_informer_free(c->nodeinf);
    ck_workers_stop(&c->w);
    free(c);
}

static void *svc_start(const ck_ccm_ctx *ctx, char *err, size_t errlen)
{
    if (!ctx->cloud->ops->load_balancer) {
        snprintf(err, errlen, "cloud provider %s does not support load balancers", ctx->cloud->ops->name);
        return NULL;
    }
    svc_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->ctx = ctx;
    if (ck_workers_init(&c->w, "service", svc_sync, c) < 0) {
        free(c);
        return NULL;
    }
    ck_informer_handlers nh = {node_changed, node_update, node_changed, c};
    ck_informer_handlers sh = {svc_add, svc_update, NULL, c};
    c->nodeinf = ck_controller_informer(ctx->rest, "", "v1", "nodes", &nh, err, errlen);
    if (c->nodeinf) c->svcinf = ck_controller_informer(ctx->rest, "", "v1", "services", &sh, err, errlen);
    /* --concurrent-service-syncs defaults to 1 */
    if (!c->svcinf || ck_workers_run(&c->w, ctx->workers > 0 ? ctx->workers : 1) < 0) {
        if (!*err) snprintf(err, errlen, "cannot start the service controller");
        svc_stop(c);
        return NULL;
    }
    return c;
}

const ck_ccm_controller ck_ccm_service_controller = {"service", svc_start, svc_stop};
