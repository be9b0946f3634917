/* disruption.c: the apiserver side of PodDisruptionBudgets: pods/eviction
 * consults and decrements the budget selecting the pod, as upstream's
 * EvictionREST.Create / checkAndDecrement (pkg/registry/core/pod/storage/eviction.go). */
#include <stdio.h>
#include <string.h>
#include "apiserver/registry/disruption.h"
#include "apiserver/watchcache.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define EVICTIONS_RETRY 20  /* wait.Backoff{Steps: 20} in eviction.go */
#define MAX_DISRUPTED_POD_SIZE 2000

static const char TOO_MANY[] = "Cannot evict pod as it would violate the pod's disruption budget.";

static bool pod_ready(const json_t *pod)
{
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(pod, "status.conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), "Ready")) return !strcmp(ck_json_str(c, "status", ""), "True");
    return false;
}

/* canIgnorePDB: terminal, Pending or already deleting pods evict freely. */
static bool can_ignore_pdb(const json_t *pod)
{
    const char *phase = ck_json_str(pod, "status.phase", "");
    return !strcmp(phase, "Succeeded") || !strcmp(phase, "Failed") || !strcmp(phase, "Pending") ||
           ck_json_path(pod, "metadata.deletionTimestamp") != NULL;
}

/* getPodDisruptionBudgets: the PDBs of the pod's namespace whose non-empty
 * selector matches its labels. New array of PDB objects. */
static json_t *pdbs_for_pod(ck_handler *ctx, const json_t *pod)
{
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/", ck_json_str(pod, "metadata.namespace", ""));
    ck_cobj **objs = NULL;
    int64_t rev;
    size_t n = ck_cacher_list(ctx->s->cache, "poddisruptionbudgets", prefix, &objs, &rev);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *sel = ck_json_path(objs[i]->obj, "spec.selector");
        if (!json_is_object(sel)) continue;
        char err[128];
        ck_label_selector *s = ck_label_selector_from_json(sel, err, sizeof err);
        /* "If a PDB with a nil or empty selector creeps in, it should match nothing, not everything." */
        if (s && !ck_label_selector_empty(s) && ck_label_selector_matches(s, ck_json_path(pod, "metadata.labels")))
            json_array_append(out, objs[i]->obj);
        ck_label_selector_free(s);
    }
    ck_cobjs_free(objs, n);
    return out;
}

/* createTooManyRequestsError and the DisruptionsAllowed == 0 error. */
static void too_many(ck_status *st, int retry_after, const char *cause)
{
    ck_status_set(st, 429, "TooManyRequests", "%s", TOO_MANY);
    st->retry_after = retry_after;
    st->causes = json_pack("[{s:s,s:s}]", "reason", "DisruptionBudget", "message", cause);
}

/* checkAndDecrement on a fresh copy of the PDB: 0 written (or nothing to
 * write), 1 conflict (retry), -1 refused with st. */
static int check_and_decrement(ck_handler *pctx, const char *pod_name, ck_status *st)
{
    ck_cobj *cur = ck_handler_current(pctx);
    if (!cur) { *st = pctx->st; memset(&pctx->st, 0, sizeof pctx->st); return -1; }
    const json_t *p = cur->obj;
    const char *name = ck_json_str(p, "metadata.name", "");
    char msg[600];
    int rc = -1;
    if (ck_json_int(p, "status.observedGeneration", 0) < ck_json_int(p, "metadata.generation", 0)) {
        snprintf(msg, sizeof msg, "The disruption budget %s is still being processed by the server.", name);
        too_many(st, 10, msg);
    } else if (ck_json_int(p, "status.disruptionsAllowed", 0) < 0) {
        ck_status_set(st, 403, "Forbidden", "poddisruptionbudgets.policy \"%s\" is forbidden: pdb disruptions allowed is negative", name);
    } else if (json_object_size(ck_json_path(p, "status.disruptedPods")) > MAX_DISRUPTED_POD_SIZE) {
        ck_status_set(st, 403, "Forbidden", "poddisruptionbudgets.policy \"%s\" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller", name);
    } else if (ck_json_int(p, "status.disruptionsAllowed", 0) == 0) {
        snprintf(msg, sizeof msg, "The disruption budget %s needs %lld healthy pods and has %lld currently", name,
                 ck_json_int(p, "status.desiredHealthy", 0), ck_json_int(p, "status.currentHealthy", 0));
        too_many(st, 0, msg);
    } else if (pctx->dry_run) {
        rc = 0;
    } else {
        json_t *obj = json_deep_copy(p);
        json_int_t left = ck_json_int(p, "status.disruptionsAllowed", 0) - 1;
        ck_json_set(obj, "status.disruptionsAllowed", json_integer(left));
        if (left == 0) {
            /* UpdateDisruptionAllowedCondition: False / InsufficientPods */
            size_t i;
            json_t *c;
            char now[32];
            json_array_foreach(ck_json_path(obj, "status.conditions"), i, c) {
                if (strcmp(ck_json_str(c, "type", ""), "DisruptionAllowed")) continue;
                if (strcmp(ck_json_str(c, "status", ""), "False"))
                    json_object_set_new(c, "lastTransitionTime", json_string(ck_time_now(now)));
                json_object_set_new(c, "status", json_string("False"));
                json_object_set_new(c, "reason", json_string("InsufficientPods"));
            }
        }
        char now[32];
        json_t *dp = ck_json_ensure_object(obj, "status.disruptedPods");
        json_object_set_new(dp, pod_name, json_string(ck_time_now(now)));
        if (ck_handler_write(pctx, obj, cur->rev) == 0) rc = 0;
        else if (pctx->st.code == 409) rc = 1;
        else { *st = pctx->st; memset(&pctx->st, 0, sizeof pctx->st); }
        ck_status_clear(&pctx->st);
        json_decref(obj);
    }
    ck_cobj_unref(cur);
    return rc;
}

int ck_eviction_check_pdbs(ck_handler *ctx, const json_t *pod)
{
    if (can_ignore_pdb(pod)) return 0;
    json_t *pdbs = pdbs_for_pod(ctx, pod);
    size_t n = json_array_size(pdbs);
    int rc = 0;
    if (n > 1) {
        ck_status_internal(&ctx->st, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        rc = -1;
    } else if (n == 1) {
        const json_t *pdb = json_array_get(pdbs, 0);
        /* unhealthyPodEvictionPolicy: AlwaysAllow, or IfHealthyBudget (default) with a healthy budget */
        bool ready = pod_ready(pod);
        const char *policy = ck_json_str(pdb, "spec.unhealthyPodEvictionPolicy", "IfHealthyBudget");
        long long cur = ck_json_int(pdb, "status.currentHealthy", 0), des = ck_json_int(pdb, "status.desiredHealthy", 0);
        if (!ready && (!strcmp(policy, "AlwaysAllow") || (cur >= des && des > 0))) goto out;
        ck_handler pctx = *ctx;
        pctx.k = ck_kind_by_resource("policy", "v1", "poddisruptionbudgets");
        pctx.storage = "poddisruptionbudgets";
        memset(&pctx.st, 0, sizeof pctx.st);
        if (!pctx.k) { ck_status_internal(&ctx->st, "no PodDisruptionBudget kind"); rc = -1; goto out; }
        rc = 1;
        for (int attempt = 0; attempt < EVICTIONS_RETRY && rc == 1; attempt++) {
            ck_handler_set_key(&pctx, ck_json_str(pdb, "metadata.namespace", ""), ck_json_str(pdb, "metadata.name", ""));
            rc = check_and_decrement(&pctx, ck_json_str(pod, "metadata.name", ""), &ctx->st);
        }
        if (rc == 1) {
            ck_status_conflict(&ctx->st, "policy", "poddisruptionbudgets", ck_json_str(pdb, "metadata.name", ""),
                               "the object has been modified; please apply your changes to the latest version and try again");
            rc = -1;
        }
    }
out:
    json_decref(pdbs);
    return rc;
}

int ck_eviction_mark_disruption_target(ck_handler *ctx)
{
    if (ctx->dry_run) return 0;
    for (int attempt = 0; attempt < EVICTIONS_RETRY; attempt++) {
        ck_cobj *cur = ck_handler_current(ctx);
        if (!cur) return -1;
        json_t *pod = json_deep_copy(cur->obj);
        json_t *conds = ck_json_path(pod, "status.conditions");
        if (!json_is_array(conds)) {
            conds = json_array();
            ck_json_set(pod, "status.conditions", conds);
        }
        json_t *c = NULL, *x;
        size_t i;
        json_array_foreach(conds, i, x) if (!strcmp(ck_json_str(x, "type", ""), "DisruptionTarget")) c = x;
        char now[32];
        ck_time_now(now);
        if (!c) json_array_append_new(conds, c = json_pack("{s:s,s:n}", "type", "DisruptionTarget", "lastProbeTime"));
        /* podutil.UpdatePodCondition: lastTransitionTime moves with the status */
        if (strcmp(ck_json_str(c, "status", ""), "True")) json_object_set_new(c, "lastTransitionTime", json_string(now));
        json_object_set_new(c, "status", json_string("True"));
        json_object_set_new(c, "reason", json_string("EvictionByEvictionAPI"));
        json_object_set_new(c, "message", json_string("Eviction API: evicting"));
        int rc = ck_handler_write(ctx, pod, cur->rev);
        json_decref(pod);
        ck_cobj_unref(cur);
        if (rc == 0) return 0;
        if (ctx->st.code != 409) return -1;
        ck_status_clear(&ctx->st);
    }
    ck_status_conflict(&ctx->st, "", "pods", ctx->ri->name, "the object has been modified; please apply your changes to the latest version and try again");
    return -1;
}
