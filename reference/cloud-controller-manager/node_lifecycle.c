/* node_lifecycle.c: the cloud node lifecycle controller (k8s.io/cloud-provider/
 * controllers/nodelifecycle/node_lifecycle_controller.go): every
 * --node-monitor-period, NotReady nodes whose instance is gone are deleted
 * and shut-down ones get the node.cloudprovider.kubernetes.io/shutdown taint;
 * Ready nodes lose that taint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cloud-controller-manager/controllers.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct lifecycle_ctrl {
    const ck_ccm_ctx *ctx;
    ck_informer *inf;
    ck_ccm_ticker tick;
} lifecycle_ctrl;

int ck_ccm_lifecycle_decide(const ck_cloud *cloud, const json_t *node, ck_lifecycle_action *action, char *err,
                            size_t errlen)
{
    *action = CK_LIFECYCLE_NONE;
    bool tainted = ck_ccm_taint_index(node, CK_TAINT_SHUTDOWN) >= 0;
    /* "Default NodeReady status to v1.ConditionUnknown"; Ready nodes only lose the taint */
    if (!strcmp(ck_ccm_condition_status(node, "Ready"), "True")) {
        if (tainted) *action = CK_LIFECYCLE_REMOVE_SHUTDOWN_TAINT;
        return 0;
    }
    const ck_cloud_instances *in = cloud->ops->instances;
    if (!in) {
        snprintf(err, errlen, "cloud provider %s does not support instances", cloud->ops->name);
        return -1;
    }
    bool exists = true, shutdown = false;
    if (in->instance_exists(cloud->self, node, &exists, err, errlen) < 0) return -1;
    if (!exists) {
        /* "Current node does not exist, we should delete it, its taints do not matter anymore" */
        *action = CK_LIFECYCLE_DELETE_NODE;
        return 0;
    }
    if (in->instance_shutdown(cloud->self, node, &shutdown, err, errlen) < 0) return -1;
    if (shutdown && !tainted) *action = CK_LIFECYCLE_ADD_SHUTDOWN_TAINT;
    return 0;
}

/* Adds or removes the shutdown taint with a read-modify-write PUT. */
static void set_shutdown_taint(lifecycle_ctrl *c, const char *name, bool add)
{
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "nodes", NULL, name, NULL};
    if (ck_rest_get(c->ctx->rest, &ref, &r) < 0) {
        ck_response_clear(&r);
        return;
    }
    json_t *node = json_deep_copy(r.body);
    ck_response_clear(&r);
    if (!node) return;
    int ti = ck_ccm_taint_index(node, CK_TAINT_SHUTDOWN);
    json_t *taints = ck_json_path(node, "spec.taints");
    bool changed = false;
    if (!add && ti >= 0) {
        changed = json_array_remove(taints, (size_t)ti) == 0;
    } else if (add && ti < 0) {
        if (!taints) ck_json_set(node, "spec.taints", json_array());
        /* ShutdownTaint = {Key: node.cloudprovider.kubernetes.io/shutdown, Effect: NoSchedule} */
        changed = json_array_append_new(ck_json_path(node, "spec.taints"),
                                        json_pack("{s:s,s:s}", "key", CK_TAINT_SHUTDOWN, "effect",
                                                  "NoSchedule")) == 0;
    }
    if (changed && ck_rest_update(c->ctx->rest, &ref, node, &r) < 0)
        ck_warn("cloud-node-lifecycle: updating taints of %s: %s", name, r.message);
    else if (changed)
        ck_info("cloud-node-lifecycle: %s shutdown taint on node %s", add ? "added" : "removed", name);
    ck_response_clear(&r);
    json_decref(node);
}

static void act(lifecycle_ctrl *c, const json_t *node, ck_lifecycle_action a)
{
    const char *name = ck_json_str(node, "metadata.name", "");
    ck_response r = {0};
    switch (a) {
    case CK_LIFECYCLE_NONE: break;
    case CK_LIFECYCLE_REMOVE_SHUTDOWN_TAINT: set_shutdown_taint(c, name, false); break;
    case CK_LIFECYCLE_ADD_SHUTDOWN_TAINT: set_shutdown_taint(c, name, true); break;
    case CK_LIFECYCLE_DELETE_NODE:
        ck_info("cloud-node-lifecycle: deleting node since it is no longer present in cloud provider: %s", name);
        ck_eventf(c->ctx->rest, "cloud-node-lifecycle-controller", node, "v1", "Node", "Normal", "DeletingNode",
                     "Deleting node %s because it does not exist in the cloud provider", name);
        if (ck_rest_delete(c->ctx->rest, &(ck_resource_ref){"", "v1", "nodes", NULL, name, NULL}, NULL, &r) < 0 &&
            r.code != 404)
            ck_warn("cloud-node-lifecycle: deleting node %s: %s", name, r.message);
        ck_response_clear(&r);
        break;
    }
}

/* MonitorNodes */
static void monitor(void *self)
{
    lifecycle_ctrl *c = self;
    json_t *nodes = ck_informer_list(c->inf, NULL, NULL), *n;
    size_t i;
    json_array_foreach(nodes, i, n) {
        char err[512] = "";
        ck_lifecycle_action a;
        if (ck_ccm_lifecycle_decide(c->ctx->cloud, n, &a, err, sizeof err) < 0)
            ck_warn("cloud-node-lifecycle: %s: %s", ck_json_str(n, "metadata.name", ""), err);
        else
            act(c, n, a);
    }
    json_decref(nodes);
}

static void lifecycle_stop(void *h)
{
    lifecycle_ctrl *c = h;
    if (!c) return;
    ck_ccm_ticker_stop(&c->tick);
    ck_informer_free(c->inf);
    free(c);
}

static void *lifecycle_start(const ck_ccm_ctx *ctx, char *err, size_t errlen)
{
    lifecycle_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->ctx = ctx;
    ck_informer_handlers h = {0};
    c->inf = ck_controller_informer(ctx->rest, "", "v1", "nodes", &h, err, errlen);
    long period = ctx->node_monitor_period_ms > 0 ? ctx->node_monitor_period_ms : 5000;
    if (!c->inf || ck_ccm_ticker_start(&c->tick, period, monitor, c) < 0) {
        if (!*err) snprintf(err, errlen, "cannot start the cloud node lifecycle controller");
        lifecycle_stop(c);
        return NULL;
    }
    return c;
}

const ck_ccm_controller ck_ccm_cloud_node_lifecycle_controller = {"cloud-node-lifecycle", lifecycle_start,
                                                                  lifecycle_stop};
