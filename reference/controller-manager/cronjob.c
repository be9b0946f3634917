/* cronjob.c: the CronJob controller (pkg/controller/cronjob, the v2
 * controller): cronjob + job informers; a sync reconciles the active list,
 * deletes history beyond the limits, creates the Job of the most recent
 * schedule time (cronjob_logic.c) and requeues itself for the next one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllers.h"
#include "controller-manager/cronjob_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct cj_ctrl { ck_wl wl; } cj_ctrl;

static long cj_sync(void *self, const char *key)
{
    cj_ctrl *c = self;
    json_t *cj = ck_wl_get_owner(&c->wl, key);
    if (!cj) return CK_SYNC_OK;
    json_t *jobs = ck_wl_owned(&c->wl, cj);
    ck_cj_plan p;
    if (ck_cj_plan_compute(cj, jobs, time(NULL), &p) < 0) { json_decref(jobs); json_decref(cj); return CK_SYNC_RETRY; }
    int err = 0;
    size_t i;
    json_t *v;
    json_array_foreach(p.events, i, v)
        ck_wl_event(&c->wl, cj, ck_json_str(v, "type", ""), ck_json_str(v, "reason", ""), "%s",
                    ck_json_str(v, "message", ""));
    json_array_foreach(p.to_delete, i, v) if (ck_wl_delete(&c->wl, cj, v) < 0) err = 1;
    if (p.job) {
        json_t *created = NULL;
        int rc = ck_wl_create(&c->wl, cj, p.job, &created);
        if (rc == 0) {
            json_t *active = json_object_get(p.status, "active");
            if (!active) json_object_set_new(p.status, "active", active = json_array());
            json_array_append_new(active, ck_cj_job_ref(created));
        } else if (rc < 0) {
            /* not created: keep the old lastScheduleTime so the next sync retries it */
            json_t *old = ck_json_path(cj, "status.lastScheduleTime");
            if (old) json_object_set(p.status, "lastScheduleTime", old);
            else json_object_del(p.status, "lastScheduleTime");
            err = 1;
        }
        json_decref(created);
    }
    if (ck_wl_update_status(&c->wl, cj, p.status) < 0) err = 1;
    long rc = err ? CK_SYNC_RETRY : p.requeue_ms > 0 ? p.requeue_ms : CK_SYNC_OK;
    ck_cj_plan_clear(&p);
    json_decref(jobs);
    json_decref(cj);
    return rc;
}

static void cj_stop(void *h)
{
    cj_ctrl *c = h;
    if (!c) return;
    ck_wl_stop(&c->wl);
    free(c);
}

static void *cj_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    cj_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    /* upstream --concurrent-cron-job-syncs defaults to 5 */
    if (ck_wl_start(&c->wl, ctx, &CK_WL_CRONJOB, &CK_WL_JOB, "cronjob-controller", cj_sync, c, 5, err, errlen) < 0) {
        cj_stop(c);
        return NULL;
    }
    return c;
}

const ck_cm_controller ck_cm_cronjob_controller = {"cronjob", cj_start, cj_stop};
