/* statefulset.c: the StatefulSet controller (pkg/controller/statefulset):
 * statefulset + pod informers; a sync records the update revision
 * (ControllerRevision "<set>-<hash>"), creates/deletes ordinal pods as
 * statefulset_logic.c decides, writes status and trims revision history.
 * volumeClaimTemplates are not acted on (ckube has no PersistentVolumes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllerrevision.h"
#include "controller-manager/controllers.h"
#include "controller-manager/statefulset_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct sts_ctrl { ck_wl wl; } sts_ctrl;

static void trim_history(sts_ctrl *c, const json_t *set, const json_t *revs, const json_t *pods, const json_t *st)
{
    json_t *keep = json_object();
    json_object_set_new(keep, ck_json_str(st, "currentRevision", ""), json_true());
    json_object_set_new(keep, ck_json_str(st, "updateRevision", ""), json_true());
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) {
        const char *r = json_string_value(json_object_get(ck_json_path(p, "metadata.labels"), CK_CR_HASH_LABEL));
        if (r) json_object_set_new(keep, r, json_true());
    }
    ck_cr_truncate(c->wl.rest, revs, (long)ck_json_int(set, "spec.revisionHistoryLimit", 10), keep);
    json_decref(keep);
}

/* newVersionedStatefulSetPod: ordinals below the partition keep the
 * current revision's template; the others get the update revision. */
static json_t *versioned_pod(const json_t *set, const json_t *revs, int ordinal, const char *upd)
{
    const char *rev = ck_sts_pod_revision(set, ordinal, ck_json_str(set, "status.currentRevision", ""), upd);
    if (!strcmp(rev, upd)) return ck_sts_new_pod(set, ordinal, upd);
    size_t i;
    json_t *r;
    json_array_foreach(revs, i, r) {
        if (strcmp(ck_json_str(r, "metadata.name", ""), rev)) continue;
        json_t *old = ck_sts_apply_revision(set, r);
        json_t *pod = old ? ck_sts_new_pod(old, ordinal, rev) : NULL;
        json_decref(old);
        if (pod) return pod;
    }
    return ck_sts_new_pod(set, ordinal, upd); /* current revision gone from history */
}

static long sts_sync(void *self, const char *key)
{
    sts_ctrl *c = self;
    json_t *set = ck_wl_get_owner(&c->wl, key);
    if (!set) return CK_SYNC_OK;
    json_t *pods = ck_wl_owned(&c->wl, set);
    json_t *revs = ck_cr_list(c->wl.rest, set);
    char upd[300], hash[16];
    int err = 0;
    ck_sts_plan p = {0};
    if (!revs || ck_cr_ensure(c->wl.rest, set, "apps/v1", "StatefulSet", revs, upd, sizeof upd, hash) < 0 ||
        ck_sts_plan_compute(set, pods, upd, time(NULL), &p) < 0) {
        err = 1;
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(p.to_delete, i, v) if (ck_wl_delete(&c->wl, set, v) < 0) err = 1;
        json_array_foreach(p.create, i, v) {
            json_t *pod = versioned_pod(set, revs, (int)json_integer_value(v), upd);
            if (!pod || ck_wl_create(&c->wl, set, pod, NULL) < 0) err = 1;
            json_decref(pod);
            if (err) break;
        }
        if (ck_wl_update_status(&c->wl, set, p.status) < 0) err = 1;
        trim_history(c, set, revs, pods, p.status);
    }
    long rc = err ? CK_SYNC_RETRY : CK_SYNC_OK;
    long min_ready = (long)ck_json_int(set, "spec.minReadySeconds", 0);
    if (!err && min_ready > 0 && ck_json_int(p.status, "availableReplicas", 0) < ck_json_int(p.status, "readyReplicas", 0))
        rc = min_ready * 1000;
    if (p.status) ck_sts_plan_clear(&p);
    json_decref(revs);
    json_decref(pods);
    json_decref(set);
    return rc;
}

static void sts_stop(void *h)
{
    sts_ctrl *c = h;
    if (!c) return;
    ck_wl_stop(&c->wl);
    free(c);
}

static void *sts_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    sts_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    /* upstream --concurrent-statefulset-syncs defaults to 5 */
    if (ck_wl_start(&c->wl, ctx, &CK_WL_STATEFULSET, &CK_WL_POD, "statefulset-controller", sts_sync, c, 5, err,
                    errlen) < 0) {
        sts_stop(c);
        return NULL;
    }
    return c;
}

const ck_cm_controller ck_cm_statefulset_controller = {"statefulset", sts_start, sts_stop};
