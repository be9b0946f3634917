/* subresources.c: scale (autoscaling/v1 Scale over a workload's
 * spec.replicas, as pkg/registry/apps/deployment/storage ScaleREST), pod
 * binding (pkg/registry/core/pod/storage BindingREST), and the connect
 * subresources that reach a node's kubelet. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/selector.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/table.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

bool ck_accept_table_req(const ck_req *req) { return ck_accept_table(req->accept); }

/* status.selector: the label selector in its string form (for HPA). */
static json_t *selector_string(const json_t *obj)
{
    json_t *sel = ck_json_path(obj, "spec.selector");
    if (!sel) return json_string("");
    if (json_is_object(sel) && !json_object_get(sel, "matchLabels") && !json_object_get(sel, "matchExpressions")) {
        /* ReplicationController: a plain map */
        json_t *wrapped = json_pack("{s:O}", "matchLabels", sel);
        char err[128];
        ck_label_selector *ls = ck_label_selector_from_json(wrapped, err, sizeof err);
        json_decref(wrapped);
        char *s = ls ? ck_label_selector_string(ls) : NULL;
        ck_label_selector_free(ls);
        json_t *out = json_string(s ? s : "");
        free(s);
        return out;
    }
    char err[128];
    ck_label_selector *ls = ck_label_selector_from_json(sel, err, sizeof err);
    char *s = ls ? ck_label_selector_string(ls) : NULL;
    ck_label_selector_free(ls);
    json_t *out = json_string(s ? s : "");
    free(s);
    return out;
}

json_t *ck_scale_from_object(const ck_kind *k, const json_t *obj)
{
    json_t *meta = json_object_get(obj, "metadata");
    json_t *m = json_object();
    static const char *const keep[] = {"name", "namespace", "uid", "resourceVersion", "creationTimestamp", NULL};
    for (int i = 0; keep[i]; i++) {
        json_t *v = json_object_get(meta, keep[i]);
        if (v) json_object_set(m, keep[i], v);
    }
    return json_pack("{s:s,s:s,s:o,s:{s:I},s:{s:I,s:o}}", "kind", "Scale", "apiVersion", "autoscaling/v1",
                     "metadata", m, "spec", "replicas", (json_int_t)ck_json_int(obj, "spec.replicas", 0),
                     "status", "replicas", (json_int_t)ck_json_int(obj, "status.replicas", 0), "selector",
                     selector_string(obj));
}

json_t *ck_scale_apply(ck_rest *ctx, const json_t *obj, const json_t *scale)
{
    json_t *r = ck_json_path(scale, "spec.replicas");
    if (r && !json_is_integer(r)) {
        ck_status_bad_request(&ctx->st, "Scale.spec.replicas must be an integer");
        return NULL;
    }
    long long n = r ? json_integer_value(r) : 0;
    if (n < 0) {
        ck_errs errs = CK_ERRS_INIT;
        json_t *v = json_integer(n);
        ck_errs_invalid(&errs, "spec.replicas", v, "must be greater than or equal to 0");
        json_decref(v);
        ck_status_invalid(&ctx->st, "autoscaling", "Scale", ctx->ri->name, &errs);
        ck_errs_free(&errs);
        return NULL;
    }
    json_t *out = json_deep_copy(obj);
    ck_json_set(out, "spec.replicas", json_integer(n));
    return out;
}

/* POST pods/<name>/binding: sets spec.nodeName once (409 if already bound)
 * and the PodScheduled condition. Answers 201 with a Success Status. */
int ck_rest_bind(ck_rest *ctx)
{
    json_t *dups = NULL;
    json_t *b = ck_decode_body(ctx->req->content_type, ctx->req->body, ctx->req->body_len, &dups, &ctx->st);
    json_decref(dups);
    if (!b) return -1;
    int rc = -1;
    const char *pod = ctx->ri->subresource[0] ? ctx->ri->name : ck_json_str(b, "metadata.name", "");
    const char *node = ck_json_str(b, "target.name", "");
    const ck_kind *pk = ck_kind_by_resource("", "v1", "pods");
    ck_rest pctx = *ctx;
    pctx.k = pk;
    pctx.storage = "pods";
    ck_reqinfo ri = *ctx->ri;
    snprintf(ri.name, sizeof ri.name, "%s", pod);
    pctx.ri = &ri;
    if (!*node) {
        ck_errs errs = CK_ERRS_INIT;
        ck_errs_required(&errs, "target.name", NULL);
        ck_status_invalid(&ctx->st, "", "Binding", pod, &errs);
        ck_errs_free(&errs);
        goto out;
    }
    for (int attempt = 0; attempt < 8; attempt++) {
        ck_status_clear(&pctx.st);
        ck_rest_set_key(&pctx, ctx->ri->ns, pod);
        ck_cobj *old = ck_rest_current(&pctx);
        if (!old) break;
        const char *cur = ck_json_str(old->obj, "spec.nodeName", "");
        if (*cur || ck_json_path(old->obj, "metadata.deletionTimestamp")) {
            ck_status_conflict(&pctx.st, "", "pods", pod, "");
            snprintf(pctx.st.message, sizeof pctx.st.message,
                     *cur ? "Operation cannot be fulfilled on pods/binding \"%s\": pod %s is already assigned to node \"%s\""
                          : "Operation cannot be fulfilled on pods/binding \"%s\": pod %s is being deleted, cannot be assigned to a host%s",
                     pod, pod, cur);
            ck_cobj_unref(old);
            break;
        }
        json_t *obj = json_deep_copy(old->obj);
        ck_json_set(obj, "spec.nodeName", json_string(node));
        json_t *ann = ck_json_path(b, "metadata.annotations");
        if (json_is_object(ann)) {
            json_t *a = ck_json_ensure_object(obj, "metadata.annotations");
            json_object_update(a, ann);
        }
        json_t *conds = ck_json_path(obj, "status.conditions");
        if (!json_is_array(conds)) {
            conds = json_array();
            ck_json_set(obj, "status.conditions", conds);
        }
        size_t i;
        json_t *c;
        json_array_foreach(conds, i, c) if (strcmp(ck_json_str(c, "type", ""), "PodScheduled") == 0) break;
        if (i < json_array_size(conds)) json_array_remove(conds, i);
        json_array_append_new(conds, json_pack("{s:s,s:s,s:n,s:n}", "type", "PodScheduled", "status", "True",
                                               "lastProbeTime", "lastTransitionTime"));
        char now[32];
        json_object_set_new(json_array_get(conds, json_array_size(conds) - 1), "lastTransitionTime",
                            json_string(ck_time_now(now)));
        int w = ctx->dry_run ? 0 : ck_rest_write(&pctx, obj, old->rev);
        json_decref(obj);
        ck_cobj_unref(old);
        if (w == 0) {
            ck_resp_json(ctx->resp, 201, ck_status_success_json("", "pods", pod, NULL));
            rc = 0;
            break;
        }
        if (pctx.st.code != 409) break;
    }
    if (rc < 0) { ck_status_clear(&ctx->st); ctx->st = pctx.st; }
out:
    json_decref(b);
    return rc;
}

/* ---- connect: pods/log through the kubelet ------------------------------ */

typedef struct buf { char *p; size_t n; } buf;

static size_t collect(char *data, size_t sz, size_t nm, void *ud)
{
    buf *b = ud;
    size_t n = sz * nm;
    char *p = realloc(b->p, b->n + n + 1);
    if (!p) return 0;
    memcpy(p + b->n, data, n);
    b->p = p;
    b->n += n;
    p[b->n] = 0;
    return n;
}

int ck_rest_connect(ck_rest *ctx)
{
    const char *sub = ctx->ri->subresource;
    if (strcmp(ctx->k->resource, "pods") != 0 || strcmp(sub, "log") != 0) {
        ck_status_set(&ctx->st, 503, "ServiceUnavailable", "%s/%s is not served by this ckube build yet",
                      ctx->k->resource, sub);
        return -1;
    }
    ck_cobj *pod = ck_rest_current(ctx);
    if (!pod) return -1;
    const char *node = ck_json_str(pod->obj, "spec.nodeName", "");
    if (!*node) {
        ck_status_bad_request(&ctx->st, "pod %s does not have a host assigned", ctx->ri->name);
        ck_cobj_unref(pod);
        return -1;
    }
    const char *container = ctx->req->query(ctx->req, "container");
    if (!container || !*container) {
        json_t *cs = ck_json_path(pod->obj, "spec.containers");
        if (json_array_size(cs) != 1) {
            ck_status_bad_request(&ctx->st, "a container name must be specified for pod %s, choose one of: [...]",
                                  ctx->ri->name);
            ck_cobj_unref(pod);
            return -1;
        }
        container = ck_json_str(json_array_get(cs, 0), "name", "");
    }
    ck_cobj *n = ck_cacher_get(ctx->s->cache, "nodes", node);
    long long port = n ? ck_json_int(n->obj, "status.daemonEndpoints.kubeletEndpoint.Port", 10250) : 10250;
    const char *addr = "127.0.0.1";
    json_t *addrs = n ? ck_json_path(n->obj, "status.addresses") : NULL;
    size_t i;
    json_t *a;
    json_array_foreach(addrs, i, a) if (strcmp(ck_json_str(a, "type", ""), "InternalIP") == 0) {
        addr = ck_json_str(a, "address", addr);
        break;
    }
    char url[1024];
    snprintf(url, sizeof url, "http://%s:%lld/containerLogs/%s/%s/%s", addr, port, ctx->ri->ns, ctx->ri->name, container);
    CURL *c = curl_easy_init();
    buf b = {0};
    long code = 0;
    CURLcode cr = CURLE_FAILED_INIT;
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
        cr = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_cleanup(c);
    }
    ck_cobj_unref(n);
    ck_cobj_unref(pod);
    if (cr != CURLE_OK) {
        free(b.p);
        ck_status_internal(&ctx->st, "Get \"%s\": %s", url, curl_easy_strerror(cr));
        return -1;
    }
    ck_resp_text(ctx->resp, code ? (int)code : 200, "text/plain", b.p ? b.p : "");
    free(b.p);
    return 0;
}
