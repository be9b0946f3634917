/* resourcequota_logic.c: what the resource quota controller writes
 * (syncResourceQuota + quota.CalculateUsage): status.hard mirrors
 * spec.hard, status.used sums the usage of the namespace's objects that
 * match the quota's scopes, for every resource name an evaluator tracks. */
#include <stdio.h>
#include <string.h>
#include "api/quota_eval.h"
#include "controller-manager/resourcequota_logic.h"
#include "util/ckjson.h"

/* The registry's evaluators (pkg/quota/v1/evaluator/core.NewEvaluators). */
static const char *const CORE_EVALUATORS[] = {"pods", "services", "persistentvolumeclaims", "configmaps",
                                              "secrets", "replicationcontrollers", "resourcequotas", NULL};

static void add_gr(json_t *out, const char *group, const char *resource)
{
    size_t i;
    json_t *e;
    json_array_foreach(out, i, e)
        if (!strcmp(ck_json_str(e, "group", ""), group) && !strcmp(ck_json_str(e, "resource", ""), resource)) return;
    json_array_append_new(out, json_pack("{s:s,s:s}", "group", group, "resource", resource));
}

json_t *ck_rq_evaluated_resources(const json_t *hard)
{
    json_t *out = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)hard, k, v) {
        for (int i = 0; CORE_EVALUATORS[i]; i++)
            if (ck_quota_tracks("", CORE_EVALUATORS[i], k)) add_gr(out, "", CORE_EVALUATORS[i]);
        if (strncmp(k, "count/", 6) != 0) continue;
        /* "count/<resource>[.<group>]": an object count evaluator on demand */
        char res[256];
        snprintf(res, sizeof res, "%s", k + 6);
        char *dot = strchr(res, '.');
        if (dot) *dot = 0;
        if (*res) add_gr(out, dot ? dot + 1 : "", res);
    }
    return out;
}

/* UsageStats of one evaluator: zero for each matched name, plus the usage of
 * every object matching the quota's scopes. -1 when the list failed. */
static int usage_stats(const json_t *quota, const char *group, const char *resource, const json_t *names,
                       ck_rq_lister list, void *ud, time_t now, json_t *used)
{
    json_t *objs = list(ud, group, resource, ck_json_str(quota, "metadata.namespace", ""));
    if (!objs) return -1;
    size_t i;
    json_t *n, *o;
    json_array_foreach(names, i, n) ck_quota_set_milli(used, json_string_value(n), 0, NULL);
    json_array_foreach(objs, i, o) {
        if (!ck_quota_scopes_match(quota, group, resource, o)) continue;
        json_t *u = ck_quota_usage(group, resource, o, now);
        if (u) ck_quota_add(used, u, names);
        json_decref(u);
    }
    json_decref(objs);
    return 0;
}

json_t *ck_rq_desired_status(const json_t *quota, ck_rq_lister list, void *ud, time_t now, bool *failed)
{
    *failed = false;
    json_t *spec_hard = ck_json_path(quota, "spec.hard");
    json_t *st_hard = ck_json_path(quota, "status.hard"), *st_used = ck_json_path(quota, "status.used");
    json_t *hard = json_is_object(spec_hard) ? json_deep_copy(spec_hard) : json_object();
    bool dirty = !st_hard || !st_used || !ck_quota_equal(hard, st_hard) || !ck_json_equal(hard, st_hard);
    /* previous observations, masked to the hard names */
    json_t *used = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(st_used, k, v) if (json_object_get(hard, k)) json_object_set(used, k, v);
    json_t *grs = ck_rq_evaluated_resources(hard);
    size_t i;
    json_t *gr;
    json_array_foreach(grs, i, gr) {
        const char *g = ck_json_str(gr, "group", ""), *r = ck_json_str(gr, "resource", "");
        json_t *names = json_array();
        json_object_foreach(hard, k, v) if (ck_quota_tracks(g, r, k)) json_array_append_new(names, json_string(k));
        json_t *measured = json_object();
        if (usage_stats(quota, g, r, names, list, ud, now, measured) < 0) *failed = true;
        else json_object_update(used, measured);
        json_decref(measured);
        json_decref(names);
    }
    json_decref(grs);
    dirty = dirty || !st_used || !ck_quota_equal(used, st_used);
    if (!dirty) {
        json_decref(hard);
        json_decref(used);
        return NULL;
    }
    return json_pack("{s:o,s:o}", "hard", hard, "used", used);
}
