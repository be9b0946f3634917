/* subresources.c: scale (autoscaling/v1 Scale over a workload's
 * spec.replicas, as pkg/registry/apps/deployment/storage ScaleREST), pod
 * binding (pkg/registry/core/pod/storage BindingREST), and the connect
 * subresources that reach a node's kubelet. */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/selector.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/handlers/wsstream.h"
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

json_t *ck_scale_apply(ck_handler *ctx, const json_t *obj, const json_t *scale)
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
int ck_handler_bind(ck_handler *ctx)
{
    json_t *dups = NULL;
    json_t *b = ck_decode_body(ctx->req->content_type, ctx->req->body, ctx->req->body_len, &dups, &ctx->st);
    json_decref(dups);
    if (!b) return -1;
    int rc = -1;
    const char *pod = ctx->ri->subresource[0] ? ctx->ri->name : ck_json_str(b, "metadata.name", "");
    const char *node = ck_json_str(b, "target.name", "");
    const ck_kind *pk = ck_kind_by_resource("", "v1", "pods");
    ck_handler pctx = *ctx;
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
        ck_handler_set_key(&pctx, ctx->ri->ns, pod);
        ck_cobj *old = ck_handler_current(&pctx);
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
        int w = ctx->dry_run ? 0 : ck_handler_write(&pctx, obj, old->rev);
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

/* ---- connect: pods/log, pods/proxy, nodes/proxy, services/proxy ------------ */

/* The kubelet's base URL from the Node: InternalIP + daemonEndpoints port. */
int ck_kubelet_url(ck_handler *ctx, const char *node, char *out, size_t n)
{
    ck_cobj *no = ck_cacher_get(ctx->s->cache, "minions", node);
    if (!no) no = ck_cacher_get(ctx->s->cache, "nodes", node);
    if (!no) {
        ck_status_not_found(&ctx->st, "", "nodes", node);
        return -1;
    }
    long long port = ck_json_int(no->obj, "status.daemonEndpoints.kubeletEndpoint.Port", 10250);
    const char *addr = NULL;
    size_t i;
    json_t *a;
    json_array_foreach(ck_json_path(no->obj, "status.addresses"), i, a) {
        const char *t = ck_json_str(a, "type", "");
        if (strcmp(t, "InternalIP") == 0 || (!addr && strcmp(t, "Hostname") == 0)) addr = ck_json_str(a, "address", NULL);
        if (strcmp(t, "InternalIP") == 0) break;
    }
    if (!addr) {
        ck_status_bad_request(&ctx->st, "node %s has no address to reach its kubelet", node);
        ck_cobj_unref(no);
        return -1;
    }
    snprintf(out, n, "http://%s:%lld", addr, port);
    ck_cobj_unref(no);
    return 0;
}

/* Appends "&key=value" for each log option the client set (PodLogOptions). */
static void log_query(ck_handler *ctx, char *q, size_t n)
{
    static const char *const keys[] = {"follow", "previous", "timestamps", "tailLines", "sinceSeconds",
                                       "sinceTime", "limitBytes", NULL};
    size_t off = strlen(q);
    for (int i = 0; keys[i]; i++) {
        const char *v = ctx->req->query(ctx->req, keys[i]);
        if (!v || !*v || off >= n) continue;
        char *esc = curl_easy_escape(NULL, v, 0);
        off += (size_t)snprintf(q + off, n - off, "%c%s=%s", off ? '&' : '?', keys[i], esc ? esc : "");
        curl_free(esc);
    }
}

/* PodLogOptions from the query: a value that does not parse is a 400 (the
 * parameter codec); ValidatePodLogOptions' errors a 422 Invalid
 * (pkg/apis/core/validation, called first in pkg/registry/core/pod/rest/log.go). */
static int validate_log_options(ck_handler *ctx)
{
    static const char *const keys[3] = {"tailLines", "limitBytes", "sinceSeconds"};
    long long v[3] = {0, 0, 0};
    bool set[3];
    for (int i = 0; i < 3; i++) {
        const char *q = ctx->req->query(ctx->req, keys[i]);
        char *end = NULL;
        if (!(set[i] = q && *q)) continue;
        errno = 0;
        v[i] = strtoll(q, &end, 10);
        if (*end || errno) {
            ck_status_bad_request(&ctx->st, "strconv.ParseInt: parsing \"%s\": invalid syntax", q);
            return -1;
        }
    }
    const char *since_time = ctx->req->query(ctx->req, "sinceTime");
    bool has_time = since_time && *since_time;
    if (has_time && ck_time_parse(since_time) == (time_t)-1) {
        ck_status_bad_request(&ctx->st, "parsing time \"%s\" as \"2006-01-02T15:04:05Z07:00\": cannot parse", since_time);
        return -1;
    }
    ck_errs errs = CK_ERRS_INIT;
    static const char *const detail[3] = {"must be greater than or equal to 0", "must be greater than 0",
                                          "must be greater than 0"};
    for (int i = 0; i < 3; i++) {
        bool bad = set[i] && (i == 0 ? v[i] < 0 : v[i] < 1);
        if (i == 2 && has_time) bad = false; /* both set: only the Forbidden below */
        if (!bad) continue;
        json_t *val = json_integer(v[i]);
        ck_errs_invalid(&errs, keys[i], val, detail[i]);
        json_decref(val);
    }
    if (set[2] && has_time) ck_errs_forbidden(&errs, "", "at most one of `sinceTime` or `sinceSeconds` may be specified");
    int rc = 0;
    if (ck_errs_count(&errs)) {
        ck_status_invalid(&ctx->st, "", "PodLogOptions", ctx->ri->name, &errs);
        rc = -1;
    }
    ck_errs_free(&errs);
    return rc;
}

static bool pod_has_container(const json_t *pod, const char *name)
{
    static const char *const lists[] = {"spec.containers", "spec.initContainers", "spec.ephemeralContainers"};
    for (int l = 0; l < 3; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(ck_json_path(pod, lists[l]), i, c) if (strcmp(ck_json_str(c, "name", ""), name) == 0) return true;
    }
    return false;
}

/* GenericHttpResponseChecker: a kubelet answer outside 200-206 becomes a
 * Status (400 BadRequest and 500 InternalError with its text as the
 * message, others NewGenericServerResponse); -1 then, else 0. */
static int kubelet_error(ck_handler *ctx)
{
    ck_stream *st = ctx->stream ? *ctx->stream : NULL;
    int code = ctx->resp->code;
    if (!st || (code >= 200 && code <= 206)) return 0;
    char body[2048];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof body - 1 && (n = st->read(st, body + len, sizeof body - 1 - len)) > 0) len += (size_t)n;
    body[len] = 0;
    st->free(st);
    *ctx->stream = NULL;
    if (code == 400) ck_status_bad_request(&ctx->st, "%s", body);
    else if (code == 500) ck_status_internal(&ctx->st, "%s", body);
    else if (code == 404) {
        ck_status_set(&ctx->st, 404, "NotFound", "the server could not find the requested resource ( pods/log %s)",
                      ctx->ri->name);
        snprintf(ctx->st.name, sizeof ctx->st.name, "%s", ctx->ri->name);
        snprintf(ctx->st.kind, sizeof ctx->st.kind, "pods/log");
        ctx->st.causes = json_pack("[{s:s,s:s}]", "reason", "UnexpectedServerResponse", "message", body);
    } else
        ck_status_set(&ctx->st, code, "", "%s", body);
    ctx->resp->code = 0;
    return -1;
}

static int pod_log(ck_handler *ctx)
{
    if (validate_log_options(ctx) < 0) return -1;
    ck_cobj *pod = ck_handler_current(ctx);
    if (!pod) return -1;
    int rc = -1;
    const char *node = ck_json_str(pod->obj, "spec.nodeName", "");
    const char *container = ctx->req->query(ctx->req, "container");
    json_t *cs = ck_json_path(pod->obj, "spec.containers");
    char url[4096], base[512], q[1024] = "";
    if (!*node) {
        ck_status_bad_request(&ctx->st, "pod %s does not have a host assigned", ctx->ri->name);
        goto out;
    }
    if (!container || !*container) {
        if (json_array_size(cs) != 1) {
            char names[512] = "";
            size_t off = 0, i;
            json_t *c;
            json_array_foreach(cs, i, c) off += (size_t)snprintf(names + off, off < sizeof names ? sizeof names - off : 0,
                                                                  "%s%s", i ? " " : "", ck_json_str(c, "name", ""));
            ck_status_bad_request(&ctx->st, "a container name must be specified for pod %s, choose one of: [%s]",
                                  ctx->ri->name, names);
            goto out;
        }
        container = ck_json_str(json_array_get(cs, 0), "name", "");
    } else if (!pod_has_container(pod->obj, container)) { /* validateContainer */
        ck_status_bad_request(&ctx->st, "container %s is not valid for pod %s", container, ctx->ri->name);
        goto out;
    }
    if (ck_kubelet_url(ctx, node, base, sizeof base) < 0) goto out;
    log_query(ctx, q, sizeof q);
    snprintf(url, sizeof url, "%s/containerLogs/%s/%s/%s%s", base, ctx->ri->ns, ctx->ri->name, container, q);
    /* a WebSocket request streams the log as frames (logstream.c) */
    rc = ck_ws_is_request(ctx->req) ? ck_pod_log_ws(ctx, url) : ck_handler_proxy(ctx, url, ctx->stream);
    if (rc == 0 && !ck_ws_is_request(ctx->req)) rc = kubelet_error(ctx);
out:
    ck_cobj_unref(pod);
    return rc;
}

/* utilnet.SplitSchemeNamePort: "name", "name:port" or "scheme:name:port",
 * the scheme "", "http" or "https" and the name not empty; -1 otherwise.
 * An empty scheme is http (proxy/upgradeaware.go). */
static int split_name(const char *in, char *scheme, size_t sn, char *name, size_t n, char *port, size_t pn)
{
    const char *a = strchr(in, ':');
    const char *b = a ? strchr(a + 1, ':') : NULL;
    snprintf(scheme, sn, "http");
    port[0] = 0;
    if (b && strchr(b + 1, ':')) return -1;
    if (b) { /* scheme:name:port */
        if (a - in == 5 && strncmp(in, "https", 5) == 0) snprintf(scheme, sn, "https");
        else if (a != in && !(a - in == 4 && strncmp(in, "http", 4) == 0)) return -1;
        snprintf(name, n, "%.*s", (int)(b - a - 1), a + 1);
        snprintf(port, pn, "%s", b + 1);
    } else if (a) {
        snprintf(name, n, "%.*s", (int)(a - in), in);
        snprintf(port, pn, "%s", a + 1);
    } else {
        snprintf(name, n, "%s", in);
    }
    return name[0] ? 0 : -1;
}

static int proxy_to(ck_handler *ctx)
{
    char scheme[8], name[256], port[64], url[2048];
    const char *rest = ctx->ri->parts_extra;
    if (split_name(ctx->ri->name, scheme, sizeof scheme, name, sizeof name, port, sizeof port) < 0) {
        ck_status_bad_request(&ctx->st, "invalid %s request \"%s\"",
                              !strcmp(ctx->k->resource, "pods") ? "pod" : !strcmp(ctx->k->resource, "services") ? "service" : "node",
                              ctx->ri->name);
        return -1;
    }
    if (strcmp(ctx->k->resource, "nodes") == 0) {
        char base[512];
        if (ck_kubelet_url(ctx, name, base, sizeof base) < 0) return -1;
        snprintf(url, sizeof url, "%s/%s", base, rest);
        return ck_handler_proxy(ctx, url, ctx->stream);
    }
    ck_handler_set_key(ctx, ctx->ri->ns, name);
    if (strcmp(ctx->k->resource, "pods") == 0) {
        ck_cobj *pod = ck_handler_current(ctx);
        if (!pod) return -1;
        const char *ip = ck_json_str(pod->obj, "status.podIP", "");
        if (!*ip) {
            ck_status_set(&ctx->st, 503, "ServiceUnavailable", "pod %s has no IP yet", name);
            ck_cobj_unref(pod);
            return -1;
        }
        /* no port named: the first port a container declares, else 80
         * (pkg/registry/core/pod/strategy.go ResourceLocation) */
        long long first = 80;
        size_t ci;
        json_t *c;
        json_array_foreach(ck_json_path(pod->obj, "spec.containers"), ci, c) {
            json_t *p0 = json_array_get(json_object_get(c, "ports"), 0);
            if (p0) { first = ck_json_int(p0, "containerPort", 80); break; }
        }
        /* a named port resolves through the containers' port names */
        char num[32];
        snprintf(num, sizeof num, "%lld", first);
        const char *use = port[0] ? port : num;
        if (port[0] && (port[0] < '0' || port[0] > '9'))
            json_array_foreach(ck_json_path(pod->obj, "spec.containers"), ci, c) {
                size_t pi;
                json_t *pp;
                json_array_foreach(json_object_get(c, "ports"), pi, pp)
                    if (strcmp(ck_json_str(pp, "name", ""), port) == 0) {
                        snprintf(num, sizeof num, "%lld", ck_json_int(pp, "containerPort", 80));
                        use = num;
                    }
            }
        snprintf(url, sizeof url, "%s://%s:%s/%s", scheme, ip, use, rest);
        ck_cobj_unref(pod);
        return ck_handler_proxy(ctx, url, ctx->stream);
    }
    /* services/proxy: the first ready address of the Endpoints, the port by name or number */
    ck_cobj *ep = ck_cacher_get(ctx->s->cache, "services/endpoints", ctx->key);
    json_t *subset = ep ? json_array_get(ck_json_path(ep->obj, "subsets"), 0) : NULL;
    json_t *addr = json_array_get(json_object_get(subset, "addresses"), 0);
    long long p = -1;
    size_t i;
    json_t *pp;
    json_array_foreach(json_object_get(subset, "ports"), i, pp)
        if (!port[0] || strcmp(ck_json_str(pp, "name", ""), port) == 0 ||
            ck_json_int(pp, "port", -1) == strtoll(port, NULL, 10)) { p = ck_json_int(pp, "port", -1); break; }
    if (!addr || p < 0) {
        ck_cobj_unref(ep);
        ck_status_set(&ctx->st, 503, "ServiceUnavailable", "no endpoints available for service \"%s\"", name);
        return -1;
    }
    snprintf(url, sizeof url, "%s://%s:%lld/%s", scheme, ck_json_str(addr, "ip", ""), p, rest);
    ck_cobj_unref(ep);
    return ck_handler_proxy(ctx, url, ctx->stream);
}

int ck_handler_connect(ck_handler *ctx)
{
    const char *sub = ctx->ri->subresource;
    if (strcmp(ctx->k->resource, "pods") == 0 && strcmp(sub, "log") == 0) return pod_log(ctx);
    if (strcmp(sub, "proxy") == 0) return proxy_to(ctx);
    if (strcmp(ctx->k->resource, "pods") == 0 && strcmp(sub, "exec") == 0) return ck_handler_exec(ctx);
    if (strcmp(ctx->k->resource, "pods") == 0 && strcmp(sub, "eviction") == 0 && strcmp(ctx->req->method, "POST") == 0)
        return ck_handler_evict(ctx);
    ck_status_set(&ctx->st, 400, "BadRequest", "%s/%s needs a streaming (websocket) client, which ckube does not serve yet",
                  ctx->k->resource, sub);
    return -1;
}
