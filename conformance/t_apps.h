/* t_apps.h: helpers shared by t_apps.c, t_apps_batch.c and t_apps_sets.c
 * (paths, create/get/patch that fail the test, polling, pod templates) and
 * their test functions. Every returned pointer is owned by the test t. */
#ifndef CKC_T_APPS_H
#define CKC_T_APPS_H
#include "cluster.h"

/* "/apis/<gv>/namespaces/<ns>/<res>" ("/api" for "v1"). */
const char *ap_coll(ckc_t *t, const char *gv, const char *res, const char *ns);
#define JOBS(t, ns) ap_coll((t), "batch/v1", "jobs", (ns))
#define CRONJOBS(t, ns) ap_coll((t), "batch/v1", "cronjobs", (ns))
#define DSETS(t, ns) ap_coll((t), "apps/v1", "daemonsets", (ns))
#define SSETS(t, ns) ap_coll((t), "apps/v1", "statefulsets", (ns))
#define PDBS(t, ns) ap_coll((t), "policy/v1", "poddisruptionbudgets", (ns))
#define PODS(t, ns) ap_coll((t), "v1", "pods", (ns))
#define SET_IMAGE(img) "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" img "\"}]}}}}"

json_t *ap_post(ckc_t *t, const char *path, json_t *obj);  /* fails unless 201 */
json_t *ap_get(ckc_t *t, const char *path);                /* fails unless 200 */
json_t *ap_patch(ckc_t *t, const char *path, const char *type, const char *body); /* fails unless 200 */
json_int_t ap_ival(json_t *o, const char *path);
void ap_sleep_s(ckc_t *t, double base);                    /* base seconds, scaled */
typedef int (*obj_pred)(ckc_t *t, json_t *obj, void *arg);
/* Polls GET path until pred holds (base seconds, scaled); fails with what. */
json_t *ap_wait_obj(ckc_t *t, const char *path, obj_pred pred, void *arg, double base, const char *what);
/* A pod template labelled key=val: busybox container "c" running script. */
json_t *ap_tmpl(ckc_t *t, const char *key, const char *val, const char *restart, const char *script);
json_t *ap_tspec(json_t *tpl);  /* borrowed */
json_t *ap_tc0(json_t *tpl);    /* borrowed: container 0 */
/* {apiVersion gv, kind, metadata.name, spec{selector key=val, template tpl}}. */
json_t *ap_workload(ckc_t *t, const char *gv, const char *kind, const char *name, const char *key, const char *val,
                    json_t *tpl);
json_t *ap_wspec(json_t *w);    /* borrowed */
const char *ap_sel_q(ckc_t *t, const char *key, const char *val); /* "?labelSelector=key%3Dval" */
/* A raw request run when the test ends, pass or fail (cleanup). */
void ap_at_end(ckc_t *t, const char *method, const char *path, const char *ctype, const char *body);
int ap_has_cond(json_t *o, const char *type);
/* ckc_update mutator: appends status condition {type, True, E2E, "Set from e2e test"}. */
void ap_add_status_cond(ckc_t *t, json_t *o, void *type);
ckc_resp *ap_evict(ckc_t *t, const char *ns, const char *pod); /* POST pods/<pod>/eviction */

/* t_apps_batch.c */
void t_cj_suspended(ckc_t *t);
void t_cj_forbid(ckc_t *t);
void t_cj_replace(ckc_t *t);
void t_cj_concurrent(ckc_t *t);
void t_job_adopt_release(ckc_t *t);
void t_job_delete(ckc_t *t);
void t_job_local_restart(ckc_t *t);
void t_job_indexed(ckc_t *t);
void t_job_pfp_exit_code(ckc_t *t);
void t_job_pfp_disruption(ckc_t *t);
/* t_apps_sets.c */
void t_ds_simple(ckc_t *t);
void t_ds_complex(ckc_t *t);
void t_ds_retry_failed(ckc_t *t);
void t_ds_rolling(ckc_t *t);
void t_ds_rollback(ckc_t *t);
void t_ss_burst(ckc_t *t);
void t_ss_ordered(ckc_t *t);
void t_ss_recreate_evicted(ckc_t *t);
void t_ss_canary(ckc_t *t);
void t_ss_rollback(ckc_t *t);
void t_ss_status(ckc_t *t);
#endif
