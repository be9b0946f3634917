/* daemonset.c: the DaemonSet controller (pkg/controller/daemon): daemonset,
 * pod and node informers; a sync records the template's ControllerRevision,
 * creates a pod per eligible node (placed by node affinity, bound by the
 * scheduler), deletes surplus/failed/old pods (daemonset_logic.c), writes
 * status and trims revision history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllerrevision.h"
#include "controller-manager/controllers.h"
#include "controller-manager/daemonset_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct ds_ctrl {
    ck_wl wl;
    ck_informer *nodes;
} ds_ctrl;

/* Any node change may change where daemons run: wake every DaemonSet. */
static void wake_all(ds_ctrl *c)
{
    json_t *all = ck_wl_all_owners(&c->wl);
    size_t i;
    json_t *ds;
    json_array_foreach(all, i, ds) ck_workers_enqueue(&c->wl.w, ds);
    json_decref(all);
}
static void node_added(json_t *n, void *ud) { wake_all(ud); }
static void node_updated(json_t *o, json_t *n, void *ud)
{
    /* heartbeats change only status: labels, taints and the name matter */
    if (!ck_json_equal(ck_json_path(o, "metadata.labels"), ck_json_path(n, "metadata.labels")) ||
        !ck_json_equal(ck_json_path(o, "spec"), ck_json_path(n, "spec")))
        wake_all(ud);
}

static int create_pods(ds_ctrl *c, const json_t *ds, const char *key, const json_t *nodes, const char *hash)
{
    size_t n = json_array_size(nodes);
    if (!n) return 0;
    ck_expectations_expect_creations(c->wl.exp, key, (int)n, time(NULL));
    for (size_t i = 0; i < n; i++) {
        json_t *pod = ck_ds_new_pod(ds, json_string_value(json_array_get(nodes, i)), hash);
        int rc = pod ? ck_wl_create(&c->wl, ds, pod, NULL) : -1;
        json_decref(pod);
        if (rc != 0) {
            ck_expectations_lower(c->wl.exp, key, (int)(n - i), 0);
            return -1;
        }
    }
    return 0;
}

static int delete_pods(ds_ctrl *c, const json_t *ds, const char *key, const json_t *victims)
{
    json_t *seen = json_object();
    char **keys = calloc(json_array_size(victims) + 1, sizeof *keys);
    size_t n = 0, i;
    json_t *p;
    if (!seen || !keys) { json_decref(seen); free(keys); return -1; }
    json_array_foreach(victims, i, p) {
        const char *name = ck_json_str(p, "metadata.name", "");
        if (json_object_get(seen, name) || !(keys[n] = malloc(512))) continue;
        json_object_set_new(seen, name, json_true());
        ck_informer_key(p, keys[n++], 512);
    }
    int rc = 0;
    if (n) ck_expectations_expect_deletions(c->wl.exp, key, (const char *const *)keys, (int)n, time(NULL));
    json_t *done = json_object();
    json_array_foreach(victims, i, p) {
        const char *name = ck_json_str(p, "metadata.name", "");
        if (json_object_get(done, name)) continue;
        json_object_set_new(done, name, json_true());
        if (ck_wl_delete(&c->wl, ds, p) < 0) {
            char pk[512];
            ck_informer_key(p, pk, sizeof pk);
            ck_expectations_deletion_observed(c->wl.exp, key, pk);
            rc = -1;
        }
    }
    for (i = 0; i < n; i++) free(keys[i]);
    free(keys);
    json_decref(done);
    json_decref(seen);
    return rc;
}

/* Revision history: the current revision's hash in `hash`; old revisions
 * beyond revisionHistoryLimit not used by any pod are deleted. */
static int revisions(ds_ctrl *c, const json_t *ds, const json_t *pods, char *hash)
{
    json_t *revs = ck_cr_list(c->wl.rest, ds);
    char name[300];
    if (!revs || ck_cr_ensure(c->wl.rest, ds, "apps/v1", "DaemonSet", revs, name, sizeof name, hash) < 0) {
        json_decref(revs);
        return -1;
    }
    json_t *keep = json_object();
    json_object_set_new(keep, name, json_true());
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) {
        const char *h = json_string_value(json_object_get(ck_json_path(p, "metadata.labels"), CK_CR_HASH_LABEL));
        char n2[300];
        snprintf(n2, sizeof n2, "%s-%s", ck_json_str(ds, "metadata.name", ""), h ? h : "");
        if (h) json_object_set_new(keep, n2, json_true());
    }
    ck_cr_truncate(c->wl.rest, revs, (long)ck_json_int(ds, "spec.revisionHistoryLimit", 10), keep);
    json_decref(keep);
    json_decref(revs);
    return 0;
}

/* syncDaemonSet. */
static long ds_sync(void *self, const char *key)
{
    ds_ctrl *c = self;
    json_t *ds = ck_wl_get_owner(&c->wl, key);
    if (!ds) { ck_expectations_delete(c->wl.exp, key); return CK_SYNC_OK; }
    time_t now = time(NULL);
    if (!ck_expectations_satisfied(c->wl.exp, key, now)) { json_decref(ds); return CK_SYNC_OK; }
    json_t *pods = ck_wl_owned(&c->wl, ds);
    char hash[16];
    int err = 0;
    if (!ck_json_path(ds, "metadata.deletionTimestamp") && revisions(c, ds, pods, hash) < 0) {
        json_decref(pods);
        json_decref(ds);
        return CK_SYNC_RETRY;
    }
    ck_informer *ninf = __atomic_load_n(&c->nodes, __ATOMIC_ACQUIRE);
    if (!ninf) { json_decref(pods); json_decref(ds); return 500; }  /* node informer still starting */
    json_t *nodes = ck_informer_list(ninf, NULL, NULL);
    ck_ds_plan p;
    if (ck_ds_plan_compute(ds, nodes, pods, hash, now, &p) < 0) err = 1;
    else {
        size_t i;
        json_t *f;
        json_array_foreach(p.failed, i, f)
            ck_wl_event(&c->wl, ds, "Warning", "FailedDaemonPod", "Found failed daemon pod %s/%s on node %s, will try to kill it",
                        ck_json_str(f, "metadata.namespace", ""), ck_json_str(f, "metadata.name", ""),
                        ck_json_str(f, "spec.nodeName", ""));
        if (delete_pods(c, ds, key, p.to_delete) < 0) err = 1;
        if (create_pods(c, ds, key, p.create_nodes, hash) < 0) err = 1;
        if (ck_wl_update_status(&c->wl, ds, p.status) < 0) err = 1;
    }
    long rc = err ? CK_SYNC_RETRY : CK_SYNC_OK;
    long min_ready = (long)ck_json_int(ds, "spec.minReadySeconds", 0);
    if (!err && p.status && min_ready > 0 &&
        ck_json_int(p.status, "numberAvailable", 0) < ck_json_int(p.status, "numberReady", 0))
        rc = min_ready * 1000;  /* pods become available later */
    if (p.status) ck_ds_plan_clear(&p);
    json_decref(nodes);
    json_decref(pods);
    json_decref(ds);
    return rc;
}

static void ds_stop(void *h)
{
    ds_ctrl *c = h;
    if (!c) return;
    ck_informers_free(&c->nodes, 1);
    ck_wl_stop(&c->wl);
    free(c);
}

static void *ds_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    ds_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    /* upstream --concurrent-daemonset-syncs defaults to 2 */
    if (ck_wl_start(&c->wl, ctx, &CK_WL_DAEMONSET, &CK_WL_POD, "daemonset-controller", ds_sync, c, 2, err, errlen) < 0) {
        ds_stop(c);
        return NULL;
    }
    ck_informer_handlers nh = {node_added, node_updated, node_added, c};
    ck_informer *ninf = ck_controller_informer(ctx->rest, "", "v1", "nodes", &nh, err, errlen);
    __atomic_store_n(&c->nodes, ninf, __ATOMIC_RELEASE);
    if (!ninf) { ds_stop(c); return NULL; }
    wake_all(c);  /* the first syncs may have seen no nodes yet */
    return c;
}

const ck_cm_controller ck_cm_daemonset_controller = {"daemonset", ds_start, ds_stop};
