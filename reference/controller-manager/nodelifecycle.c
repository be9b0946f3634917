/* nodelifecycle.c: the node lifecycle controller (pkg/controller/
 * nodelifecycle) with its taint eviction manager (pkg/controller/
 * tainteviction): every --node-monitor-period, nodes whose kubelet has not
 * renewed its Lease or heartbeat within --node-monitor-grace-period get
 * Unknown conditions and their pods Ready=False; taints follow conditions;
 * pods whose NoExecute tolerations run out are deleted. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "controller-manager/controllers.h"
#include "controller-manager/nodelifecycle_logic.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"


typedef struct nl_ctrl {
    ck_rest *rest;
    ck_informer *nodeinf, *leaseinf, *podinf;
    ck_workers taint_w, evict_w;
    long period_ms, grace_ms, startup_grace_ms;
    pthread_t monitor;
    atomic_int stop;
    bool monitoring;
    json_t *health;  /* node -> {"hb": heartbeat/renew seen, "probe": mono ms}; monitor thread only */
    pthread_mutex_t mu;
    json_t *scheduled;  /* pod key -> mono ms the eviction was scheduled (taintEvictionQueue's CreatedAt); under mu */
} nl_ctrl;

/* The freshest sign of life: Ready's lastHeartbeatTime + the Lease's renewTime. */
static char *liveness(nl_ctrl *c, const json_t *node)
{
    const char *name = ck_json_str(node, "metadata.name", "");
    const char *hb = "";
    size_t i;
    json_t *cond;
    json_array_foreach(ck_json_path(node, "status.conditions"), i, cond)
        if (!strcmp(ck_json_str(cond, "type", ""), "Ready")) hb = ck_json_str(cond, "lastHeartbeatTime", "");
    char key[300];
    snprintf(key, sizeof key, "kube-node-lease/%s", name);
    json_t *lease = ck_informer_get(c->leaseinf, key);
    char *out = NULL;
    if (asprintf(&out, "%s|%s", hb, lease ? ck_json_str(lease, "spec.renewTime", "") : "") < 0) out = NULL;
    json_decref(lease);
    return out;
}

static bool on_node(const json_t *pod, void *ud) { return !strcmp(ck_json_str(pod, "spec.nodeName", ""), (const char *)ud); }

/* MarkPodsNotReady: Ready=False on every pod of the node. */
static void mark_pods_not_ready(nl_ctrl *c, const char *node, const char *now)
{
    json_t *pods = ck_informer_list(c->podinf, on_node, (void *)node);
    size_t i, j;
    json_t *p, *cond;
    json_array_foreach(pods, i, p) {
        json_t *copy = json_deep_copy(p);
        bool changed = false;
        json_array_foreach(ck_json_path(copy, "status.conditions"), j, cond)
            if (!strcmp(ck_json_str(cond, "type", ""), "Ready") && strcmp(ck_json_str(cond, "status", ""), "False")) {
                json_object_set_new(cond, "status", json_string("False"));
                json_object_set_new(cond, "lastTransitionTime", json_string(now));
                changed = true;
            }
        if (changed) {
            ck_response r = {0};
            ck_resource_ref ref = {"", "v1", "pods", ck_json_str(p, "metadata.namespace", ""),
                                   ck_json_str(p, "metadata.name", ""), "status"};
            if (ck_rest_update(c->rest, &ref, copy, &r) == 0)
                ck_eventf(c->rest, "node-controller", p, "v1", "Pod", "Warning", "NodeNotReady", "Node is not ready");
            ck_response_clear(&r);
        }
        json_decref(copy);
    }
    json_decref(pods);
}

/* monitorNodeHealth for one node. */
static void check_node(nl_ctrl *c, const json_t *node, int64_t now_ms)
{
    const char *name = ck_json_str(node, "metadata.name", "");
    char *live = liveness(c, node);
    if (!live) return;
    json_t *h = json_object_get(c->health, name);
    if (!h || strcmp(ck_json_str(h, "hb", ""), live)) {
        json_object_set_new(c->health, name, json_pack("{s:s,s:I}", "hb", live, "probe", (json_int_t)now_ms));
        free(live);
        return;  /* fresh sign of life */
    }
    free(live);
    long grace = *ck_nl_ready_status(node) ? c->grace_ms : c->startup_grace_ms;
    if (now_ms - ck_json_int(h, "probe", now_ms) <= grace) return;
    json_t *copy = json_deep_copy(node);
    char now[CK_TIME_LEN];
    ck_time_now(now);
    bool was_ready = !strcmp(ck_nl_ready_status(node), "True");
    if (copy && ck_nl_mark_unknown(copy, now)) {
        ck_response r = {0};
        ck_resource_ref ref = {"", "v1", "nodes", NULL, name, "status"};
        if (ck_rest_update(c->rest, &ref, copy, &r) == 0) {
            ck_info("node %s: no heartbeat for %lds, conditions Unknown", name, grace / 1000);
            ck_eventf(c->rest, "node-controller", node, "v1", "Node", "Normal", "NodeNotReady",
                        "Node %s status is now: NodeNotReady", name);
            if (was_ready || !strcmp(ck_nl_ready_status(node), "False")) mark_pods_not_ready(c, name, now);
        }
        ck_response_clear(&r);
    }
    json_decref(copy);
}

static void *monitor_main(void *arg)
{
    nl_ctrl *c = arg;
    while (!atomic_load(&c->stop)) {
        json_t *nodes = ck_informer_list(c->nodeinf, NULL, NULL);
        int64_t now = ck_mono_ms();
        size_t i;
        json_t *n;
        json_array_foreach(nodes, i, n) {
            check_node(c, n, now);
            ck_workers_enqueue(&c->taint_w, n);  /* tainting passes every period, as upstream */
        }
        json_decref(nodes);
        for (long slept = 0; slept < c->period_ms && !atomic_load(&c->stop); slept += 100) usleep(100 * 1000);
    }
    return NULL;
}

/* doNoScheduleTaintingPass + doNoExecuteTaintingPass for one node. */
static long taint_sync(void *self, const char *name)
{
    nl_ctrl *c = self;
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "nodes", NULL, name, NULL};
    if (ck_rest_get(c->rest, &ref, &r) < 0) {
        long rc = r.code == 404 ? CK_SYNC_OK : CK_SYNC_RETRY;
        ck_response_clear(&r);
        return rc;
    }
    char now[CK_TIME_LEN];
    json_t *want = ck_nl_desired_taints(r.body, ck_time_now(now));
    long rc = CK_SYNC_OK;
    if (want && !ck_nl_taints_equal(ck_json_path(r.body, "spec.taints"), want)) {
        json_t *node = json_incref(r.body);
        ck_json_set(node, "spec.taints", json_incref(want));
        ck_response u = {0};
        if (ck_rest_update(c->rest, &ref, node, &u) < 0) rc = CK_SYNC_RETRY;
        else ck_info("node %s: taints now %zu", name, json_array_size(want));
        ck_response_clear(&u);
        json_decref(node);
    }
    json_decref(want);
    ck_response_clear(&r);
    return rc;
}

/* The scheduled eviction of key: its start (mono ms), set to now when
 * none; or cancelled (cancelWorkWithEvent) when cancel. */
static int64_t scheduled_start(nl_ctrl *c, const char *key, bool cancel)
{
    int64_t now = ck_mono_ms(), start = now;
    pthread_mutex_lock(&c->mu);
    json_t *v = json_object_get(c->scheduled, key);
    if (cancel) json_object_del(c->scheduled, key);
    else if (v) start = json_integer_value(v);
    else json_object_set_new(c->scheduled, key, json_integer(now));
    pthread_mutex_unlock(&c->mu);
    return start;
}

static long evict_pod(nl_ctrl *c, const json_t *pod, const char *key)
{
    ck_eventf(c->rest, "taint-eviction-controller", pod, "v1", "Pod", "Normal", "TaintManagerEviction",
              "Marking for deletion Pod %s", key);
    ck_response r = {0};
    ck_resource_ref ref = {"", "v1", "pods", ck_json_str(pod, "metadata.namespace", ""),
                           ck_json_str(pod, "metadata.name", ""), NULL};
    long rc = ck_rest_delete(c->rest, &ref, NULL, &r) < 0 && r.code != 404 ? CK_SYNC_RETRY : CK_SYNC_OK;
    ck_response_clear(&r);
    if (rc == CK_SYNC_OK) scheduled_start(c, key, true);
    return rc;
}

/* processPodOnNode: delete now, later (tolerationSeconds after the manager
 * first saw the taint; a later update keeps that start), or never (the
 * pending eviction is cancelled, e.g. when the taint is removed). */
static long evict_sync(void *self, const char *key)
{
    nl_ctrl *c = self;
    json_t *pod = ck_informer_get(c->podinf, key);
    if (!pod || ck_json_path(pod, "metadata.deletionTimestamp")) {
        scheduled_start(c, key, true);
        json_decref(pod);
        return CK_SYNC_OK;
    }
    json_t *node = ck_informer_get(c->nodeinf, ck_json_str(pod, "spec.nodeName", ""));
    long secs = node ? ck_nl_min_toleration(pod, ck_json_path(node, "spec.taints")) : -1;
    long rc = CK_SYNC_OK;
    if (secs < 0) {
        scheduled_start(c, key, true);
    } else if (secs == 0) {
        rc = evict_pod(c, pod, key);
    } else {
        int64_t left = scheduled_start(c, key, false) + (int64_t)secs * 1000 - ck_mono_ms();
        rc = left > 0 ? (long)left : evict_pod(c, pod, key);
    }
    json_decref(node);
    json_decref(pod);
    return rc;
}

static void pod_changed(json_t *pod, void *ud)
{
    if (*ck_json_str(pod, "spec.nodeName", "")) ck_workers_enqueue(&((nl_ctrl *)ud)->evict_w, pod);
}
static void pod_updated(json_t *old, json_t *pod, void *ud) { pod_changed(pod, ud); }

static void node_updated(json_t *old, json_t *node, void *ud)
{
    nl_ctrl *c = ud;
    if (ck_json_equal(ck_json_path(old, "spec.taints"), ck_json_path(node, "spec.taints"))) return;
    json_t *pods = ck_informer_list(c->podinf, on_node, (void *)ck_json_str(node, "metadata.name", ""));
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) ck_workers_enqueue(&c->evict_w, p);
    json_decref(pods);
}

static void nl_stop(void *h)
{
    nl_ctrl *c = h;
    if (!c) return;
    atomic_store(&c->stop, 1);
    if (c->monitoring) pthread_join(c->monitor, NULL);
    ck_informers_free((ck_informer *[]){c->podinf, c->leaseinf, c->nodeinf}, 3);
    ck_workers_stop(&c->taint_w);
    ck_workers_stop(&c->evict_w);
    json_decref(c->health);
    json_decref(c->scheduled);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static void *nl_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    nl_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    c->period_ms = ctx->node_monitor_period_ms > 0 ? ctx->node_monitor_period_ms : 5000;
    c->grace_ms = ctx->node_monitor_grace_ms > 0 ? ctx->node_monitor_grace_ms : 50000;
    c->startup_grace_ms = ctx->node_startup_grace_ms > 0 ? ctx->node_startup_grace_ms : 60000;
    c->health = json_object();
    c->scheduled = json_object();
    pthread_mutex_init(&c->mu, NULL);
    if (!c->health || !c->scheduled || ck_workers_init(&c->taint_w, "node_lifecycle_taint", taint_sync, c) < 0 ||
        ck_workers_init(&c->evict_w, "taint_eviction", evict_sync, c) < 0) {
        nl_stop(c);
        return NULL;
    }
    ck_informer_handlers nh = {NULL, node_updated, NULL, c};
    ck_informer_handlers ph = {pod_changed, pod_updated, NULL, c};
    ck_informer_opts lo = {.group = "coordination.k8s.io", .version = "v1", .resource = "leases",
                           .namespace = "kube-node-lease"};
    /* Pods first: node events read the pod cache as soon as they arrive. */
    c->podinf = ck_controller_informer(ctx->rest, "", "v1", "pods", &ph, err, errlen);
    if (c->podinf) c->leaseinf = ck_informer_new(ctx->rest, &lo, &(ck_informer_handlers){0}, err, errlen);
    if (c->leaseinf && ck_informer_start(c->leaseinf) == 0) ck_informer_wait_synced(c->leaseinf, 30000);
    if (c->leaseinf) c->nodeinf = ck_controller_informer(ctx->rest, "", "v1", "nodes", &nh, err, errlen);
    if (!c->nodeinf || ck_workers_run(&c->taint_w, 1) < 0 || ck_workers_run(&c->evict_w, 2) < 0 ||
        pthread_create(&c->monitor, NULL, monitor_main, c)) {
        nl_stop(c);
        return NULL;
    }
    c->monitoring = true;
    return c;
}

const ck_cm_controller ck_cm_nodelifecycle_controller = {"nodelifecycle", nl_start, nl_stop};
