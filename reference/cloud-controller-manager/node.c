/* node.c: the cloud node controller (k8s.io/cloud-provider/controllers/node/
 * node_controller.go): nodes registered with the uninitialized taint (kubelet
 * --cloud-provider=external) get providerID, topology and instance-type
 * labels and addresses from the cloud, then lose the taint; addresses of
 * every node are refreshed each --node-status-update-frequency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cloud-controller-manager/controllers.h"
#include "util/ckjson.h"
#include "util/log.h"

#define PROVIDED_NODE_IP "alpha.kubernetes.io/provided-node-ip"

typedef struct node_ctrl {
    const ck_ccm_ctx *ctx;
    ck_workers w;
    ck_informer *inf;
    ck_ccm_ticker tick;
} node_ctrl;

/* Label rows: which metadata field feeds which labels (upstream sets both
 * the stable and the deprecated beta label). */
static const struct { const char *label; size_t off; } LABELS[] = {
    {CK_LABEL_INSTANCE_TYPE, offsetof(ck_instance_metadata, instance_type)},
    {CK_LABEL_INSTANCE_TYPE_BETA, offsetof(ck_instance_metadata, instance_type)},
    {CK_LABEL_ZONE, offsetof(ck_instance_metadata, zone)},
    {CK_LABEL_ZONE_BETA, offsetof(ck_instance_metadata, zone)},
    {CK_LABEL_REGION, offsetof(ck_instance_metadata, region)},
    {CK_LABEL_REGION_BETA, offsetof(ck_instance_metadata, region)},
};

json_t *ck_ccm_node_initialized(const json_t *node, const ck_instance_metadata *md)
{
    json_t *n = json_deep_copy(node);
    if (!n) return NULL;
    /* getNodeModifiersFromCloudProvider: providerID only when the node has none */
    if (!*ck_json_str(n, "spec.providerID", "") && md->provider_id[0] &&
        ck_json_set(n, "spec.providerID", json_string(md->provider_id)) < 0)
        goto oom;
    json_t *labels = ck_json_ensure_object(n, "metadata.labels");
    if (!labels) goto oom;
    for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++) {
        const char *v = (const char *)md + LABELS[i].off;
        if (*v && json_object_set_new(labels, LABELS[i].label, json_string(v)) < 0) goto oom;
    }
    int ti = ck_ccm_taint_index(n, CK_TAINT_UNINITIALIZED);
    if (ti >= 0) json_array_remove(ck_json_path(n, "spec.taints"), (size_t)ti);
    return n;
oom:
    json_decref(n);
    return NULL;
}

json_t *ck_ccm_node_addresses(const json_t *node, const ck_instance_metadata *md, int *rc)
{
    *rc = 0;
    if (!md->n_addresses) return NULL;  /* the cloud reports none: keep the kubelet's */
    /* ckjson paths split on dots, so read the annotation directly */
    json_t *ann = ck_json_path(node, "metadata.annotations");
    const char *want = json_string_value(json_object_get(ann, PROVIDED_NODE_IP));
    bool found = false;
    json_t *out = json_array();
    for (size_t i = 0; out && i < md->n_addresses; i++) {
        const ck_node_address *a = &md->addresses[i];
        if (want && *want && strcmp(a->address, want) && strcmp(a->type, "Hostname")) continue;
        found |= want && !strcmp(a->address, want);
        json_array_append_new(out, json_pack("{s:s,s:s}", "type", a->type, "address", a->address));
    }
    if (want && *want && !found) {
        /* upstream: "failed to get node address from cloud provider that matches ip" */
        *rc = -1;
        json_decref(out);
        return NULL;
    }
    if (out && ck_json_equal(out, ck_json_path(node, "status.addresses"))) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static int put_addresses(node_ctrl *c, json_t *node, json_t *addrs)
{
    json_t *copy = json_deep_copy(node);
    if (!copy || ck_json_set(copy, "status.addresses", addrs) < 0) {
        json_decref(copy);
        return -1;
    }
    ck_response r = {0};
    const char *name = ck_json_str(copy, "metadata.name", "");
    int rc = ck_rest_update(c->ctx->rest, &(ck_resource_ref){"", "v1", "nodes", NULL, name, "status"}, copy, &r);
    if (rc < 0) ck_warn("cloud-node: updating addresses of %s: %s", name, r.message);
    ck_response_clear(&r);
    json_decref(copy);
    return rc;
}

static int metadata(node_ctrl *c, const json_t *node, ck_instance_metadata *md)
{
    const ck_cloud *cloud = c->ctx->cloud;
    char err[512] = "";
    memset(md, 0, sizeof *md);
    if (!cloud->ops->instances) {
        ck_error("cloud-node: cloud provider %s does not support instances", cloud->ops->name);
        return -1;
    }
    if (cloud->ops->instances->instance_metadata(cloud->self, node, md, err, sizeof err) < 0) {
        ck_warn("cloud-node: instance metadata for %s: %s", ck_json_str(node, "metadata.name", ""), err);
        return -1;
    }
    return 0;
}

/* syncNode: initialise a tainted node; refresh addresses of the others. */
static long node_sync(void *self, const char *name)
{
    node_ctrl *c = self;
    ck_response r = {0};
    if (ck_rest_get(c->ctx->rest, &(ck_resource_ref){"", "v1", "nodes", NULL, name, NULL}, &r) < 0) {
        long rc = r.code == 404 ? CK_SYNC_OK : CK_SYNC_RETRY;
        ck_response_clear(&r);
        return rc;
    }
    json_t *node = json_incref(r.body);
    ck_response_clear(&r);
    long rc = CK_SYNC_OK;
    ck_instance_metadata md;
    bool tainted = ck_ccm_taint_index(node, CK_TAINT_UNINITIALIZED) >= 0;
    if (metadata(c, node, &md) < 0) {
        json_decref(node);
        return tainted ? CK_SYNC_RETRY : CK_SYNC_OK;
    }
    if (tainted) {
        json_t *init = ck_ccm_node_initialized(node, &md);
        if (!init || ck_rest_update(c->ctx->rest, &(ck_resource_ref){"", "v1", "nodes", NULL, name, NULL}, init,
                                    &r) < 0) {
            ck_warn("cloud-node: initializing %s: %s", name, r.message);
            rc = CK_SYNC_RETRY;
        } else {
            ck_info("cloud-node: successfully initialized node %s with cloud provider", name);
            json_decref(node);
            node = json_incref(r.body);
        }
        ck_response_clear(&r);
        json_decref(init);
    }
    /* "After adding, call UpdateNodeAddress to set the CloudProvider provided IPAddresses" */
    int arc = 0;
    json_t *addrs = rc == CK_SYNC_OK ? ck_ccm_node_addresses(node, &md, &arc) : NULL;
    if (arc < 0) ck_warn("cloud-node: %s: no cloud address matches %s", name, PROVIDED_NODE_IP);
    if (addrs && put_addresses(c, node, addrs) < 0) rc = CK_SYNC_RETRY;
    json_decref(node);
    return rc;
}

static void on_add(json_t *obj, void *ud) { ck_workers_enqueue(&((node_ctrl *)ud)->w, obj); }
static void on_update(json_t *old, json_t *obj, void *ud)
{
    if (ck_ccm_taint_index(obj, CK_TAINT_UNINITIALIZED) >= 0) on_add(obj, ud);
}

/* UpdateNodeStatus: every node, each --node-status-update-frequency. */
static void resync_all(void *self)
{
    node_ctrl *c = self;
    json_t *nodes = ck_informer_list(c->inf, NULL, NULL), *n;
    size_t i;
    json_array_foreach(nodes, i, n) ck_workers_enqueue(&c->w, n);
    json_decref(nodes);
}

static void node_stop(void *h)
{
    node_ctrl *c = h;
    if (!c) return;
    ck_ccm_ticker_stop(&c->tick);
    ck_informer_free(c->inf);
    ck_workers_stop(&c->w);
    free(c);
}

static void *node_start(const ck_ccm_ctx *ctx, char *err, size_t errlen)
{
    node_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->ctx = ctx;
    if (ck_workers_init(&c->w, "cloud-node", node_sync, c) < 0) {
        free(c);
        return NULL;
    }
    ck_informer_handlers h = {on_add, on_update, NULL, c};
    c->inf = ck_controller_informer(ctx->rest, "", "v1", "nodes", &h, err, errlen);
    long period = ctx->node_status_update_ms > 0 ? ctx->node_status_update_ms : 5 * 60 * 1000;
    if (!c->inf || ck_workers_run(&c->w, 1) < 0 || ck_ccm_ticker_start(&c->tick, period, resync_all, c) < 0) {
        if (!*err) snprintf(err, errlen, "cannot start the cloud node controller");
        node_stop(c);
        return NULL;
    }
    return c;
}

const ck_ccm_controller ck_ccm_cloud_node_controller = {"cloud-node", node_start, node_stop};
