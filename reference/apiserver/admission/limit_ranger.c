/* limit_ranger.c: the LimitRanger admission plugin
 * (plugin/pkg/admission/limitranger/admission.go): on pod create, containers
 * get the default requests/limits of the namespace's LimitRanges (type
 * Container), then every Container and Pod min / max / maxLimitRequestRatio
 * is enforced with upstream's Forbidden messages. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "api/quantity.h"
#include "api/schemas/schemas.h"
#include "apiserver/admission/admission.h"
#include "apiserver/watchcache.h"
#include "util/ckjson.h"

#define LR_ANNOTATION "kubernetes.io/limit-ranger"

/* Quantity.String(): the canonical form. */
static const char *qstr(const json_t *v, char *out, size_t n)
{
    ck_quantity q;
    char err[8];
    const char *s = json_string_value(v) ? json_string_value(v) : "0";
    if (ck_quantity_parse(s, &q, err, sizeof err) < 0 || ck_quantity_format_str(&q, out, n) < 0)
        snprintf(out, n, "%s", s);
    return out;
}

static long long qm(const json_t *v) { return ck_quantity_milli(json_string_value(v), 0); }

/* SetDefaults_Pod's requests-from-limits, which upstream applies at decode
 * time (before admission); ckube defaults after admission. */
static void requests_from_limits(json_t *c)
{
    json_t *lim = ck_json_path(c, "resources.limits");
    if (!json_is_object(lim) || !json_object_size(lim)) return;
    json_t *req = ck_json_ensure_object(c, "resources.requests");
    const char *k;
    json_t *v;
    json_object_foreach(lim, k, v) if (req && !json_object_get(req, k)) json_object_set(req, k, v);
}

/* mergeContainerResources: fills what the container lacks; appends the
 * "cpu, memory request for container c" note. */
static void merge_container(json_t *c, const json_t *def, const json_t *dreq, const char *prefix, char *note,
                            size_t n)
{
    static const char *const what[] = {"limit", "request"};
    const json_t *src[] = {def, dreq};
    const char *dst_path[] = {"resources.limits", "resources.requests"};
    /* upstream appends the request note first, then the limit note */
    char set[2][256] = {"", ""};
    for (int i = 0; i < 2; i++) {
        json_t *dst = ck_json_ensure_object(c, dst_path[i]);
        const char *keys[64];
        size_t nk = 0;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)src[i], k, v)
            if (dst && !json_object_get(dst, k)) {
                json_object_set(dst, k, v);
                if (nk < 64) keys[nk++] = k;
            }
        for (size_t a = 1; a < nk; a++)
            for (size_t b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--) {
                const char *t = keys[b]; keys[b] = keys[b - 1]; keys[b - 1] = t;
            }
        for (size_t j = 0; j < nk; j++)
            snprintf(set[i] + strlen(set[i]), sizeof set[i] - strlen(set[i]), "%s%s", j ? ", " : "", keys[j]);
        if (dst && !json_object_size(dst)) json_object_del(json_object_get(c, "resources"), i ? "requests" : "limits");
    }
    for (int i = 1; i >= 0; i--) {
        if (!set[i][0]) continue;
        size_t off = strlen(note);
        snprintf(note + off, n - off, "%s%s %s for %s %s", off ? "; " : "", set[i], what[i], prefix,
                 ck_json_str(c, "name", ""));
    }
}

/* PodMutateLimitFunc with defaultContainerResourceRequirements. */
static void mutate_pod(json_t *pod, const json_t *lr)
{
    json_t *def = json_object(), *dreq = json_object();
    size_t i;
    json_t *it;
    json_array_foreach(ck_json_path(lr, "spec.limits"), i, it) {
        if (strcmp(ck_json_str(it, "type", ""), "Container") != 0) continue;
        json_t *item = json_deep_copy(it);
        ck_limitrange_item_defaults(item);
        json_object_update(dreq, json_object_get(item, "defaultRequest"));
        json_object_update(def, json_object_get(item, "default"));
        json_decref(item);
    }
    char note[2048] = "";
    if (json_object_size(def) || json_object_size(dreq)) {
        json_t *c;
        json_array_foreach(ck_json_path(pod, "spec.containers"), i, c)
            merge_container(c, def, dreq, "container", note, sizeof note);
        json_array_foreach(ck_json_path(pod, "spec.initContainers"), i, c)
            merge_container(c, def, dreq, "init container", note, sizeof note);
    }
    if (note[0]) {
        json_t *ann = ck_json_ensure_object(pod, "metadata.annotations");
        char v[2100];
        snprintf(v, sizeof v, "LimitRanger plugin set: %s", note);
        if (ann) json_object_set_new(ann, LR_ANNOTATION, json_string(v));
    }
    json_decref(def);
    json_decref(dreq);
}

/* ---- validation: minConstraint, maxConstraint, limitRequestRatioConstraint ---- */

typedef struct lr_errs { char buf[2048]; int n; } lr_errs;

static void lr_err(lr_errs *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lr_err(lr_errs *e, const char *fmt, ...)
{
    size_t off = strlen(e->buf);
    if (off) off += (size_t)snprintf(e->buf + off, sizeof e->buf - off, ", ");
    if (off >= sizeof e->buf) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->buf + off, sizeof e->buf - off, fmt, ap);
    va_end(ap);
    e->n++;
}

static void min_c(lr_errs *e, const char *type, const char *res, const json_t *enf, const json_t *req, const json_t *lim)
{
    char es[64], rs[64], ls[64];
    json_t *r = json_object_get(req, res), *l = json_object_get(lim, res);
    qstr(enf, es, sizeof es);
    if (!r) lr_err(e, "minimum %s usage per %s is %s.  No request is specified", res, type, es);
    else if (qm(r) < qm(enf)) lr_err(e, "minimum %s usage per %s is %s, but request is %s", res, type, es, qstr(r, rs, sizeof rs));
    else if (l && qm(l) < qm(enf)) lr_err(e, "minimum %s usage per %s is %s, but limit is %s", res, type, es, qstr(l, ls, sizeof ls));
}

static void max_c(lr_errs *e, const char *type, const char *res, const json_t *enf, const json_t *req, const json_t *lim)
{
    char es[64], rs[64], ls[64];
    json_t *r = json_object_get(req, res), *l = json_object_get(lim, res);
    qstr(enf, es, sizeof es);
    if (!l) lr_err(e, "maximum %s usage per %s is %s.  No limit is specified", res, type, es);
    else if (qm(l) > qm(enf)) lr_err(e, "maximum %s usage per %s is %s, but limit is %s", res, type, es, qstr(l, ls, sizeof ls));
    else if (r && qm(r) > qm(enf)) lr_err(e, "maximum %s usage per %s is %s, but request is %s", res, type, es, qstr(r, rs, sizeof rs));
}

static void ratio_c(lr_errs *e, const char *type, const char *res, const json_t *enf, const json_t *req, const json_t *lim)
{
    char es[64];
    json_t *r = json_object_get(req, res), *l = json_object_get(lim, res);
    qstr(enf, es, sizeof es);
    if (!r || qm(r) == 0) {
        lr_err(e, "%s max limit to request ratio per %s is %s, but no request is specified or request is 0", res, type, es);
        return;
    }
    if (!l || qm(l) == 0) {
        lr_err(e, "%s max limit to request ratio per %s is %s, but no limit is specified or limit is 0", res, type, es);
        return;
    }
    double observed = (double)qm(l) / (double)qm(r);
    if (observed * 1000 > (double)qm(enf))
        lr_err(e, "%s max limit to request ratio per %s is %s, but provided ratio is %f", res, type, es, observed);
}

static void check_item(lr_errs *e, const json_t *item, const char *type, const json_t *req, const json_t *lim)
{
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(item, "min"), k, v) min_c(e, type, k, v, req, lim);
    json_object_foreach(json_object_get(item, "max"), k, v) max_c(e, type, k, v, req, lim);
    json_object_foreach(json_object_get(item, "maxLimitRequestRatio"), k, v) ratio_c(e, type, k, v, req, lim);
}

/* podRequests / podLimits of the limit ranger: containers summed, each init
 * container a floor. */
static json_t *pod_total(const json_t *pod, const char *which)
{
    json_t *sum = json_object();
    size_t i;
    json_t *c;
    const char *k;
    json_t *v;
    char buf[64];
    json_array_foreach(ck_json_path(pod, "spec.containers"), i, c)
        json_object_foreach(ck_json_path(json_object_get(c, "resources"), which), k, v) {
            ck_quantity q = {.milli = qm(json_object_get(sum, k)) + qm(v), .format = CK_QF_DECIMAL_SI};
            ck_quantity f;
            char err[8];
            if (ck_quantity_parse(json_string_value(v) ? json_string_value(v) : "0", &f, err, sizeof err) == 0)
                q.format = f.format;
            if (ck_quantity_format_str(&q, buf, sizeof buf) == 0) json_object_set_new(sum, k, json_string(buf));
        }
    json_array_foreach(ck_json_path(pod, "spec.initContainers"), i, c)
        json_object_foreach(ck_json_path(json_object_get(c, "resources"), which), k, v)
            if (qm(v) > qm(json_object_get(sum, k))) json_object_set(sum, k, v);
    return sum;
}

/* PodValidateLimitFunc: "" when admitted, else the aggregate message. */
static void validate_pod(lr_errs *e, const json_t *pod, const json_t *lr)
{
    size_t i, j;
    json_t *it, *c;
    json_array_foreach(ck_json_path(lr, "spec.limits"), i, it) {
        const char *type = ck_json_str(it, "type", "");
        if (!strcmp(type, "Container")) {
            static const char *const lists[] = {"spec.containers", "spec.initContainers"};
            for (int l = 0; l < 2; l++)
                json_array_foreach(ck_json_path(pod, lists[l]), j, c)
                    check_item(e, it, type, ck_json_path(c, "resources.requests"), ck_json_path(c, "resources.limits"));
        } else if (!strcmp(type, "Pod")) {
            json_t *req = pod_total(pod, "requests"), *lim = pod_total(pod, "limits");
            check_item(e, it, type, req, lim);
            json_decref(req);
            json_decref(lim);
        }
    }
}

/* admission.NewForbidden: `pods "<name|generateName|Unknown>" is forbidden: <err>`. */
static int forbid(ck_handler *ctx, const json_t *obj, const char *msg)
{
    const char *name = ck_json_str(obj, "metadata.name", "");
    if (!*name) name = ck_json_str(obj, "metadata.generateName", "");
    if (!*name) name = "Unknown";
    ck_status_set(&ctx->st, 403, "Forbidden", "pods \"%s\" is forbidden: %s", name, msg);
    snprintf(ctx->st.name, sizeof ctx->st.name, "%s", name);
    snprintf(ctx->st.kind, sizeof ctx->st.kind, "pods");
    return -1;
}

int ck_admit_limit_ranger(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    /* SupportsAttributes: pods, no subresource, not on update (containers are immutable). */
    if (op != CK_ADMIT_CREATE || ctx->ri->subresource[0] || ctx->k->group[0] || strcmp(ctx->k->resource, "pods"))
        return 0;
    const char *ns = ck_json_str(obj, "metadata.namespace", ctx->ri->ns);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/", ns);
    ck_cacher_sync(ctx->s->cache, 0, 5000);
    ck_cobj **lrs = NULL;
    int64_t rev = 0;
    size_t n = ck_cacher_list(ctx->s->cache, "limitranges", prefix, &lrs, &rev);
    if (n == 0) { ck_cobjs_free(lrs, n); return 0; }
    static const char *const lists[] = {"spec.containers", "spec.initContainers"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(ck_json_path(obj, lists[l]), i, c) requests_from_limits(c);
    }
    for (size_t i = 0; i < n; i++) mutate_pod(obj, lrs[i]->obj);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        lr_errs e = {.n = 0};
        e.buf[0] = 0;
        validate_pod(&e, obj, lrs[i]->obj);
        if (e.n == 1) rc = forbid(ctx, obj, e.buf);
        else if (e.n > 1) {
            char agg[2100];
            snprintf(agg, sizeof agg, "[%s]", e.buf); /* utilerrors.NewAggregate */
            rc = forbid(ctx, obj, agg);
        }
    }
    ck_cobjs_free(lrs, n);
    return rc;
}
