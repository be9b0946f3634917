/* job.c: the Job controller (pkg/controller/job): job + pod informers,
 * syncJob = count the job's pods, decide (job_logic.c), create/delete pods
 * under expectations, record events, PUT status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllers.h"
#include "controller-manager/job_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct job_ctrl { ck_wl wl; } job_ctrl;

static int create_pods(job_ctrl *c, const json_t *job, const char *key, const ck_job_plan *p)
{
    size_t n = p->create > 0 ? (size_t)p->create : json_array_size(p->indexes);
    if (!n) return 0;
    ck_expectations_expect_creations(c->wl.exp, key, (int)n, time(NULL));
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int idx = p->create > 0 ? -1 : (int)json_integer_value(json_array_get(p->indexes, i));
        json_t *pod = ck_job_new_pod(job, idx);
        int r = pod ? ck_wl_create(&c->wl, job, pod, NULL) : -1;
        json_decref(pod);
        if (r != 0) {
            ck_expectations_lower(c->wl.exp, key, (int)(n - i), 0);  /* never observed */
            rc = -1;
            break;
        }
    }
    return rc;
}

static int delete_pods(job_ctrl *c, const json_t *job, const char *key, const json_t *victims)
{
    size_t n = json_array_size(victims);
    if (!n) return 0;
    char **keys = calloc(n, sizeof *keys);
    if (!keys) return -1;
    for (size_t i = 0; i < n; i++)
        if ((keys[i] = malloc(512))) ck_informer_key(json_array_get(victims, i), keys[i], 512);
    ck_expectations_expect_deletions(c->wl.exp, key, (const char *const *)keys, (int)n, time(NULL));
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (ck_wl_delete(&c->wl, job, json_array_get(victims, i)) < 0) {
            if (keys[i]) ck_expectations_deletion_observed(c->wl.exp, key, keys[i]);
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++) free(keys[i]);
    free(keys);
    return rc;
}

/* syncJob. */
static long job_sync(void *self, const char *key)
{
    job_ctrl *c = self;
    json_t *job = ck_wl_get_owner(&c->wl, key);
    if (!job) { ck_expectations_delete(c->wl.exp, key); return CK_SYNC_OK; }
    time_t now = time(NULL);
    if (ck_json_path(job, "metadata.deletionTimestamp") || ck_job_finished(job) ||
        !ck_expectations_satisfied(c->wl.exp, key, now)) {
        json_decref(job);
        return CK_SYNC_OK;
    }
    /* getPodsForJob: ClaimPods adopts matching orphans, releases the rest */
    int err = 0;
    json_t *pods = ck_wl_claim(&c->wl, job, &err);
    ck_job_plan p;
    if (!pods || ck_job_plan_compute(job, pods, now, &p) < 0) { json_decref(pods); json_decref(job); return CK_SYNC_RETRY; }
    if (delete_pods(c, job, key, p.to_delete) < 0) err = 1;
    if (create_pods(c, job, key, &p) < 0) err = 1;
    if (ck_wl_update_status(&c->wl, job, p.status) < 0) err = 1;
    else if (p.ev_type) ck_wl_event(&c->wl, job, p.ev_type, p.ev_reason, "%s", p.ev_msg);
    long rc = err ? CK_SYNC_RETRY : p.requeue_ms > 0 ? p.requeue_ms : CK_SYNC_OK;
    ck_job_plan_clear(&p);
    json_decref(pods);
    json_decref(job);
    return rc;
}

static void job_stop(void *h)
{
    job_ctrl *c = h;
    if (!c) return;
    ck_wl_stop(&c->wl);
    free(c);
}

static void *job_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    job_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    /* upstream --concurrent-job-syncs defaults to 5 */
    if (ck_wl_start(&c->wl, ctx, &CK_WL_JOB, &CK_WL_POD, "job-controller", job_sync, c, 5, err, errlen) < 0) {
        job_stop(c);
        return NULL;
    }
    return c;
}

const ck_cm_controller ck_cm_job_controller = {"job", job_start, job_stop};
