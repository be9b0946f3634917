/* resource_quota.c: the ResourceQuota admission plugin
 * (plugin/pkg/admission/resourcequota/controller.go, CheckRequest): an object
 * is admitted only if every matching quota's status.used plus its usage stays
 * within status.hard; the new usage is charged to status.used with a
 * conditional write, retried on conflict, so two concurrent creates cannot
 * both take the last slot. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "api/quota_eval.h"
#include "apiserver/admission/admission.h"
#include "apiserver/watchcache.h"
#include "util/ckjson.h"

#define QUOTA_ATTEMPTS 8 /* upstream retries 3 times; ckube's conflicts are cheaper to re-check */

/* admission.NewForbidden: `<resource>[.<group>] "<name>" is forbidden: <msg>`. */
static int forbid(ck_handler *ctx, const json_t *obj, const char *msg)
{
    const char *name = ctx->ri->name[0] ? ctx->ri->name : ck_json_str(obj, "metadata.name", "");
    if (!*name) name = ck_json_str(obj, "metadata.generateName", "");
    if (!*name) name = "Unknown";
    char qualified[300];
    snprintf(qualified, sizeof qualified, "%s%s%s", ctx->k->resource, ctx->k->group[0] ? "." : "", ctx->k->group);
    ck_status_set(&ctx->st, 403, "Forbidden", "%s \"%s\" is forbidden: %s", qualified, name, msg);
    snprintf(ctx->st.name, sizeof ctx->st.name, "%s", name);
    snprintf(ctx->st.kind, sizeof ctx->st.kind, "%s", ctx->k->resource);
    snprintf(ctx->st.group, sizeof ctx->st.group, "%s", ctx->k->group);
    return -1;
}

/* The quota's status.hard names this evaluator tracks, as a new array. */
static json_t *restricted_names(const ck_handler *ctx, const json_t *hard)
{
    json_t *out = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)hard, k, v)
        if (ck_quota_tracks(ctx->k->group, ctx->k->resource, k)) json_array_append_new(out, json_string(k));
    return out;
}

/* One pass of CheckRequest over the namespace's quotas. Returns 0 with
 * *charge (new array of {quota cobj index, new used}) or -1 with ctx->st. */
static int check_quotas(ck_handler *ctx, const json_t *obj, const json_t *delta, ck_cobj **qs, size_t n,
                        const json_t *charged, json_t **charge)
{
    *charge = json_array();
    json_t *interesting = json_array();
    char msg[1800], a[512], b[512], c[512];
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const json_t *q = qs[i]->obj;
        const char *qname = ck_json_str(q, "metadata.name", "");
        json_t *hard = ck_json_path(q, "status.hard");
        if (json_object_get(charged, qname)) continue;
        if (!ck_quota_scopes_match(q, ctx->k->group, ctx->k->resource, obj)) continue;
        json_t *restricted = restricted_names(ctx, hard);
        if (!json_array_size(restricted)) { json_decref(restricted); continue; }
        char why[1200];
        if (!ctx->k->group[0] && !strcmp(ctx->k->resource, "pods") &&
            ck_quota_pod_constraints(obj, hard, why, sizeof why) < 0) {
            snprintf(msg, sizeof msg, "failed quota: %s: %s", qname, why);
            rc = forbid(ctx, obj, msg);
        } else {
            /* hasUsageStats: the controller has not measured usage yet */
            json_t *missing = json_array();
            size_t j;
            json_t *r;
            json_array_foreach(restricted, j, r)
                if (!json_object_get(ck_json_path(q, "status.used"), json_string_value(r))) json_array_append(missing, r);
            if (json_array_size(missing)) {
                json_t *set = json_object();
                json_array_foreach(missing, j, r) json_object_set_new(set, json_string_value(r), json_string("0"));
                ck_quota_pretty(set, NULL, a, sizeof a);
                /* prettyPrintResourceNames: names only */
                char names[512] = "";
                for (char *p = a, *save = NULL, *t = strtok_r(p, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                    char *eq = strchr(t, '=');
                    if (eq) *eq = 0;
                    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? "," : "", t);
                }
                snprintf(msg, sizeof msg, "status unknown for quota: %s, resources: %s", qname, names);
                rc = forbid(ctx, obj, msg);
                json_decref(set);
            } else {
                json_array_append_new(interesting, json_integer((json_int_t)i));
            }
            json_decref(missing);
        }
        json_decref(restricted);
    }
    size_t x;
    json_t *idx;
    json_array_foreach(interesting, x, idx) {
        if (rc < 0) break;
        const json_t *q = qs[json_integer_value(idx)]->obj;
        json_t *hard = ck_json_path(q, "status.hard"), *used = ck_json_path(q, "status.used");
        json_t *hard_names = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(hard, k, v) json_array_append_new(hard_names, json_string(k));
        json_t *requested = json_object();
        ck_quota_add(requested, delta, hard_names);
        json_t *new_used = json_deep_copy(json_is_object(used) ? used : json_object());
        ck_quota_add(new_used, requested, NULL);
        json_t *masked = json_object();
        json_object_foreach(requested, k, v) json_object_set(masked, k, json_object_get(new_used, k));
        json_t *exceeded = ck_quota_exceeded(masked, hard);
        if (json_array_size(exceeded)) {
            ck_quota_pretty(requested, exceeded, a, sizeof a);
            ck_quota_pretty(used, exceeded, b, sizeof b);
            ck_quota_pretty(hard, exceeded, c, sizeof c);
            snprintf(msg, sizeof msg, "exceeded quota: %s, requested: %s, used: %s, limited: %s",
                     ck_json_str(q, "metadata.name", ""), a, b, c);
            rc = forbid(ctx, obj, msg);
        } else if (json_object_size(requested)) {
            json_array_append_new(*charge, json_pack("{s:I,s:O}", "i", json_integer_value(idx), "used", new_used));
        }
        json_decref(exceeded);
        json_decref(masked);
        json_decref(new_used);
        json_decref(requested);
        json_decref(hard_names);
    }
    json_decref(interesting);
    return rc;
}

/* Writes status.used of quota qs[i] conditionally on its revision. 0, 1 on
 * conflict, -1 on another error (ctx->st). */
static int charge_quota(ck_handler *ctx, ck_cobj *qo, json_t *used)
{
    ck_handler q = *ctx;
    memset(&q.st, 0, sizeof q.st);
    q.k = ck_kind_by_resource("", "v1", "resourcequotas");
    q.storage = "resourcequotas";
    ck_reqinfo ri = *ctx->ri;
    snprintf(ri.name, sizeof ri.name, "%s", ck_json_str(qo->obj, "metadata.name", ""));
    ri.subresource[0] = 0;
    q.ri = &ri;
    ck_handler_set_key(&q, ck_json_str(qo->obj, "metadata.namespace", ""), ri.name);
    json_t *obj = json_deep_copy(qo->obj);
    ck_json_set(obj, "status.used", json_incref(used));
    int w = ck_handler_write(&q, obj, qo->rev);
    json_decref(obj);
    if (w == 0) return 0;
    int rc = q.st.code == 409 ? 1 : -1;
    if (rc < 0) { ck_status_clear(&ctx->st); ctx->st = q.st; }
    else ck_status_clear(&q.st);
    return rc;
}

/* The usage this request adds: the new object's, minus the old one's on update. */
static json_t *request_delta(ck_handler *ctx, const json_t *obj, const json_t *old)
{
    time_t now = time(NULL);
    json_t *delta = ck_quota_usage(ctx->k->group, ctx->k->resource, obj, now);
    if (delta && old && *ck_json_str(old, "metadata.resourceVersion", "")) {
        json_t *prev = ck_quota_usage(ctx->k->group, ctx->k->resource, old, now);
        ck_quota_sub(delta, prev);
        json_decref(prev);
    }
    if (delta) ck_quota_remove_zeros(delta);
    return delta;
}

int ck_admit_resource_quota(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    /* Validate: no subresources, namespaced only; evaluators handle creates
     * (services also updates, for type changes). */
    if (op == CK_ADMIT_DELETE || ctx->ri->subresource[0] || !ctx->k->namespaced) return 0;
    bool svc = !ctx->k->group[0] && !strcmp(ctx->k->resource, "services");
    if (op == CK_ADMIT_UPDATE && !svc) return 0;
    const char *ns = ck_json_str(obj, "metadata.namespace", ctx->ri->ns);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/", ns);
    json_t *delta = NULL, *charged = json_object();
    int rc = 0;
    for (int attempt = 0; attempt < QUOTA_ATTEMPTS; attempt++) {
        ck_cacher_sync(ctx->s->cache, 0, 5000);
        ck_cobj **qs = NULL;
        int64_t rev = 0;
        size_t n = ck_cacher_list(ctx->s->cache, "resourcequotas", prefix, &qs, &rev);
        if (!delta) delta = request_delta(ctx, obj, op == CK_ADMIT_UPDATE ? old : NULL);
        json_t *charge = NULL;
        rc = n ? check_quotas(ctx, obj, delta, qs, n, charged, &charge) : 0;
        bool conflict = false;
        size_t i;
        json_t *ch;
        json_array_foreach(charge, i, ch) {
            if (rc < 0 || ctx->dry_run || !json_object_size(delta)) break;
            ck_cobj *qo = qs[json_integer_value(json_object_get(ch, "i"))];
            int w = charge_quota(ctx, qo, json_object_get(ch, "used"));
            if (w == 0) json_object_set_new(charged, ck_json_str(qo->obj, "metadata.name", ""), json_true());
            else if (w > 0) conflict = true;
            else rc = -1;
        }
        json_decref(charge);
        ck_cobjs_free(qs, n);
        if (rc < 0 || !conflict) break;
        if (attempt == QUOTA_ATTEMPTS - 1) {
            ck_status_conflict(&ctx->st, "", "resourcequotas", "",
                               "the object has been modified; please apply your changes to the latest version and try again");
            rc = -1;
        }
    }
    json_decref(delta);
    json_decref(charged);
    return rc;
}
