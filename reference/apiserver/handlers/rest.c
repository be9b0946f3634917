/* rest.c: resource-request dispatch and the helpers every verb shares:
 * keys, freshness, body decoding with fieldValidation, the conditional write
 * to storage, validation, and response conversion (JSON or Table). */
#include "apiserver/handlers/rest.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/discovery.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/registry/convert.h"
#include "apiserver/table.h"
#include "util/ckjson.h"

#define SYNC_TIMEOUT_MS 5000

void ck_handler_set_key(ck_handler *ctx, const char *ns, const char *name)
{
    if (ctx->k->namespaced)
        snprintf(ctx->key, sizeof ctx->key, "%s/%s", ns, name);
    else
        snprintf(ctx->key, sizeof ctx->key, "%s", name);
    snprintf(ctx->etcd_key, sizeof ctx->etcd_key, "/registry/%s/%s", ctx->storage, ctx->key);
}

ck_cobj *ck_handler_current(ck_handler *ctx)
{
    if (!ck_cacher_sync(ctx->s->cache, 0, SYNC_TIMEOUT_MS)) {
        ck_status_set(&ctx->st, 504, "Timeout", "Timeout: the watch cache did not catch up");
        return NULL;
    }
    ck_cobj *o = ck_handler_view(ctx, ck_cacher_get(ctx->s->cache, ctx->storage, ctx->key));
    if (!o) ck_status_not_found(&ctx->st, ctx->k->group, ctx->k->resource, ctx->ri->name);
    return o;
}

int ck_handler_query_int(ck_handler *ctx, const char *key, long long dflt, long long *out)
{
    const char *v = ctx->req->query(ctx->req, key);
    if (!v || !*v) { *out = dflt; return 0; }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end) {
        ck_status_bad_request(&ctx->st, "invalid value for %s: %s", key, v);
        return -1;
    }
    *out = n;
    return 0;
}

/* []byte fields travel as base64 in JSON; Go's decoder refuses anything else
 * with a 400 (`illegal base64 data at input byte N`). */
static int check_bytes(ck_handler *ctx, const json_t *obj)
{
    static const struct { const char *resource, *field; } bytes_maps[] = {
        {"secrets", "data"}, {"configmaps", "binaryData"},
    };
    for (size_t i = 0; i < sizeof bytes_maps / sizeof bytes_maps[0]; i++) {
        if (ctx->k->group[0] || strcmp(ctx->k->resource, bytes_maps[i].resource)) continue;
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(obj, bytes_maps[i].field), key, v) {
            const char *b = json_string_value(v);
            if (!b) continue;
            size_t n = strlen(b), bad = n;
            for (size_t j = 0; j < n && bad == n; j++)
                if (!isalnum((unsigned char)b[j]) && b[j] != '+' && b[j] != '/' && b[j] != '=') bad = j;
            if (bad == n && n % 4 != 0) bad = n - n % 4;
            if (bad == n) continue;
            ck_status_bad_request(&ctx->st, "%s in version \"%s\" cannot be handled as a %s: illegal base64 data at input byte %zu",
                                  ctx->k->kind, ctx->k->version, ctx->k->kind, bad);
            return -1;
        }
    }
    return 0;
}

int ck_handler_field_validation(ck_handler *ctx, json_t *obj, const json_t *dups)
{
    json_t *unknown = json_array();
    ck_prune_unknown(ctx->k, obj, unknown);
    int rc = 0;
    if (ctx->fv == CK_FV_STRICT) {
        rc = ck_strict_error(ctx->k, unknown, dups, &ctx->st);
    } else if (ctx->fv == CK_FV_WARN) {
        json_t *warnings = ck_field_warnings(unknown, dups);
        size_t i;
        json_t *w;
        json_array_foreach(warnings, i, w) {
            /* RFC 7234 warning: 299 - "<text>" (k8s.io/apiserver/pkg/warning) */
            json_t *quoted = json_string(json_string_value(w));
            char *q = ck_json_dump(quoted);
            json_decref(quoted);
            char hdr[1024];
            snprintf(hdr, sizeof hdr, "299 - %s", q ? q : "\"\"");
            free(q);
            ck_resp_header(ctx->resp, "Warning", hdr);
        }
        json_decref(warnings);
    }
    json_decref(unknown);
    return rc;
}

json_t *ck_handler_decode(ck_handler *ctx)
{
    json_t *dups = NULL;
    json_t *obj = ck_decode_body(ctx->req->content_type, ctx->req->body, ctx->req->body_len, &dups,
                                 &ctx->st);
    if (!obj) return NULL;
    if (!json_is_object(obj)) {
        json_decref(obj);
        json_decref(dups);
        ck_status_bad_request(&ctx->st, "Object 'Kind' is missing in '%.*s'",
                              (int)(ctx->req->body_len > 200 ? 200 : ctx->req->body_len), ctx->req->body);
        return NULL;
    }
    /* Type meta: missing kind/apiVersion default to the endpoint's; a different
     * one is refused (upstream: the decoder's GVK check in create.go). */
    char gv[96];
    ck_kind_api_version(ctx->k, gv, sizeof gv);
    const char *kind = ck_json_str(obj, "kind", NULL);
    const char *av = ck_json_str(obj, "apiVersion", NULL);
    if (kind && *kind && strcmp(kind, ctx->k->kind) != 0) {
        ck_status_bad_request(&ctx->st, "the kind in the data (%s) does not match the expected kind (%s)",
                              kind, ctx->k->kind);
        goto fail;
    }
    if (av && *av && strcmp(av, gv) != 0) {
        ck_status_bad_request(&ctx->st,
                              "the API version in the data (%s) does not match the expected API version (%s)",
                              av, gv);
        goto fail;
    }
    json_object_set_new(obj, "kind", json_string(ctx->k->kind));
    json_object_set_new(obj, "apiVersion", json_string(gv));
    if (ck_check_types(ctx->k, obj, &ctx->st) < 0 || check_bytes(ctx, obj) < 0) goto fail;
    if (ck_handler_field_validation(ctx, obj, dups) < 0) goto fail;
    json_decref(dups);
    return obj;
fail:
    json_decref(dups);
    json_decref(obj);
    return NULL;
}

/* ValidateNoNewFinalizers (apimachinery/pkg/api/validation/objectmeta.go):
 * an object being deleted may lose finalizers but not gain any. */
static void no_new_finalizers(const json_t *obj, const json_t *old, ck_errs *errs)
{
    if (!old || !ck_json_path(old, "metadata.deletionTimestamp")) return;
    json_t *oldf = ck_json_path(old, "metadata.finalizers");
    char list[1024];
    size_t off = 0, extra = 0, i, j;
    json_t *f, *o;
    json_array_foreach(ck_json_path(obj, "metadata.finalizers"), i, f) {
        bool known = false;
        json_array_foreach(oldf, j, o) if (json_equal(f, o)) known = true;
        if (known || off >= sizeof list) continue;
        off += (size_t)snprintf(list + off, sizeof list - off, "%s\"%s\"", extra++ ? ", " : "",
                                json_string_value(f) ? json_string_value(f) : "");
    }
    if (!extra) return;
    char detail[1200];
    snprintf(detail, sizeof detail,
             "no new finalizers can be added if the object is being deleted, found new finalizers []string{%s}", list);
    ck_errs_forbidden(errs, "metadata.finalizers", detail);
}

int ck_handler_validate(ck_handler *ctx, const json_t *obj, const json_t *old)
{
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_object(ctx->k, obj, old, &errs);
    no_new_finalizers(obj, old, &errs);
    if (ck_errs_count(&errs) == 0) return 0;
    ck_status_invalid(&ctx->st, ctx->k->group, ctx->k->kind, ck_json_str(obj, "metadata.name", ""), &errs);
    ck_errs_free(&errs);
    return -1;
}

int ck_handler_write(ck_handler *ctx, json_t *obj, int64_t expected_rev)
{
    json_t *meta = json_object_get(obj, "metadata");
    json_object_del(meta, "resourceVersion");
    json_object_del(meta, "selfLink");
    json_t *stored = ck_handler_to_storage(ctx, json_incref(obj));
    char *val = stored ? ck_json_dump(stored) : NULL;
    json_decref(stored);
    if (!val) { ck_status_internal(&ctx->st, "cannot serialise object"); return -1; }
    ck_store *s = ctx->s->store;
    char err[256] = "";
    int64_t rev = 0;
    ck_kv cur = {0};
    ck_store_rc rc = expected_rev < 0
                         ? s->ops->create(s, ctx->etcd_key, val, strlen(val), &rev, err, sizeof err)
                         : s->ops->update(s, ctx->etcd_key, val, strlen(val), expected_rev, &rev, &cur,
                                          err, sizeof err);
    free(val);
    ck_kv_free(&cur);
    const char *name = ck_json_str(obj, "metadata.name", "");
    switch (rc) {
    case CK_STORE_OK:
        ck_cacher_note_write(ctx->s->cache, rev);
        if (!ctx->k->group[0] && strcmp(ctx->k->resource, "namespaces") == 0)
            __atomic_store_n(&ctx->s->ns_write_rev, rev, __ATOMIC_RELEASE);
        char rv[24];
        snprintf(rv, sizeof rv, "%lld", (long long)rev);
        json_object_set_new(meta, "resourceVersion", json_string(rv));
        return 0;
    case CK_STORE_EXISTS:
        ck_status_already_exists(&ctx->st, ctx->k->group, ctx->k->resource, name);
        return -1;
    case CK_STORE_CONFLICT:
        /* Self-test mode: a deliberately broken server that accepts stale writes. */
        if (ctx->s->cfg.broken_conflicts) return 0;
        ck_status_conflict(&ctx->st, ctx->k->group, ctx->k->resource, name,
                           "the object has been modified; please apply your changes to the latest version and try again");
        return -1;
    case CK_STORE_NOT_FOUND:
        ck_status_not_found(&ctx->st, ctx->k->group, ctx->k->resource, name);
        return -1;
    default:
        ck_status_internal(&ctx->st, "storage: %s", err[0] ? err : ck_store_rc_string(rc));
        return -1;
    }
}

int ck_handler_remove(ck_handler *ctx, int64_t expected_rev, int64_t *rev)
{
    ck_store *s = ctx->s->store;
    char err[256] = "";
    ck_store_rc rc = s->ops->del(s, ctx->etcd_key, expected_rev, rev, NULL, err, sizeof err);
    if (rc == CK_STORE_OK) {
        ck_cacher_note_write(ctx->s->cache, *rev);
        if (!ctx->k->group[0] && strcmp(ctx->k->resource, "namespaces") == 0)
            __atomic_store_n(&ctx->s->ns_write_rev, *rev, __ATOMIC_RELEASE);
        return 0;
    }
    if (rc == CK_STORE_NOT_FOUND)
        ck_status_not_found(&ctx->st, ctx->k->group, ctx->k->resource, ctx->ri->name);
    else if (rc == CK_STORE_CONFLICT)
        ck_status_conflict(&ctx->st, ctx->k->group, ctx->k->resource, ctx->ri->name,
                           "the object has been modified; please apply your changes to the latest version and try again");
    else
        ck_status_internal(&ctx->st, "storage: %s", err[0] ? err : ck_store_rc_string(rc));
    return -1;
}

bool ck_accept_partial(const char *accept)
{
    ck_media m[16];
    size_t n = ck_accept_parse(accept, m, 16);
    for (size_t i = 0; i < n; i++) {
        if (!ck_media_is_json(&m[i])) continue;
        if (!m[i].as[0]) return false;
        if ((!strcmp(m[i].as, "PartialObjectMetadata") || !strcmp(m[i].as, "PartialObjectMetadataList")) &&
            !strcmp(m[i].g, "meta.k8s.io") && (!strcmp(m[i].v, "v1") || !strcmp(m[i].v, "v1beta1")))
            return true;
    }
    return false;
}

json_t *ck_partial_metadata(const json_t *obj)
{
    return json_pack("{s:s,s:s,s:O}", "kind", "PartialObjectMetadata", "apiVersion", "meta.k8s.io/v1", "metadata",
                     json_object_get(obj, "metadata"));
}

void ck_handler_respond(ck_handler *ctx, int code, json_t *obj)
{
    if (ck_accept_partial(ctx->req->accept)) {
        bool list = json_is_array(json_object_get(obj, "items"));
        json_t *out;
        if (list) {
            out = json_pack("{s:s,s:s,s:O,s:[]}", "kind", "PartialObjectMetadataList", "apiVersion", "meta.k8s.io/v1",
                            "metadata", json_object_get(obj, "metadata"), "items");
            size_t i;
            json_t *it;
            json_array_foreach(json_object_get(obj, "items"), i, it)
                json_array_append_new(json_object_get(out, "items"), ck_partial_metadata(it));
        } else {
            out = ck_partial_metadata(obj);
        }
        json_decref(obj);
        ck_resp_json(ctx->resp, code, out);
        ctx->resp->content_type = list ? "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
                                       : "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
        return;
    }
    if (ck_accept_table(ctx->req->accept)) {
        const char *inc = ctx->req->query(ctx->req, "includeObject");
        json_t *t = ck_table_convert(ctx->k, obj, inc && *inc ? inc : "Metadata", false);
        json_decref(obj);
        ck_resp_json(ctx->resp, code, t);
        ctx->resp->content_type = "application/json;as=Table;v=v1;g=meta.k8s.io";
        return;
    }
    ck_resp_json(ctx->resp, code, obj);
}

json_t *ck_handler_to_storage(ck_handler *ctx, json_t *obj)
{
    const ck_conversion *conv = ck_conversion_for(ctx->k);
    if (!conv) return obj;
    json_t *out = conv->to_storage(obj);
    json_decref(obj);
    return out;
}

json_t *ck_handler_from_storage(ck_handler *ctx, const json_t *stored)
{
    const ck_conversion *conv = ck_conversion_for(ctx->k);
    return conv ? conv->from_storage(stored) : json_deep_copy(stored);
}

ck_cobj *ck_handler_view(ck_handler *ctx, ck_cobj *o)
{
    const ck_conversion *conv = o ? ck_conversion_for(ctx->k) : NULL;
    if (!conv) return o;
    ck_cobj *v = ck_cobj_new(o->key, conv->from_storage(o->obj), o->rev);
    ck_cobj_unref(o);
    return v;
}

/* Accept negotiation: JSON (any +json profile), or 406 as upstream
 * (`only the following media types are accepted: ...`). */
static bool acceptable(const char *accept)
{
    if (!accept || !*accept) return true;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", accept);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ') t++;
        if (strncmp(t, "application/json", 16) == 0 || strncmp(t, "*/*", 3) == 0 ||
            strncmp(t, "application/*", 13) == 0)
            return true;
    }
    return false;
}

static bool is_mutating_verb(const char *v)
{
    return !strcmp(v, "create") || !strcmp(v, "update") || !strcmp(v, "patch") || !strcmp(v, "delete") ||
           !strcmp(v, "deletecollection");
}

static const char *options_kind(const char *v)
{
    return !strcmp(v, "create") ? "CreateOptions" : !strcmp(v, "update") ? "UpdateOptions"
         : !strcmp(v, "patch") ? "PatchOptions" : "DeleteOptions";
}

static ck_field_validation parse_fv(ck_handler *ctx, bool *ok)
{
    const char *v = ctx->req->query(ctx->req, "fieldValidation");
    *ok = true;
    if (!v || !*v || strcmp(v, "Warn") == 0) return CK_FV_WARN;
    if (strcmp(v, "Strict") == 0) return CK_FV_STRICT;
    if (strcmp(v, "Ignore") == 0) return CK_FV_IGNORE;
    *ok = false;
    /* ValidateFieldValidation, inside the verb's options validation: 422 */
    ck_errs errs = CK_ERRS_INIT;
    static const char *const allowed[] = {"Ignore", "Strict", "Warn", NULL};
    ck_errs_not_supported(&errs, "fieldValidation", v, allowed);
    ck_status_invalid(&ctx->st, "meta.k8s.io", options_kind(ctx->ri->verb), "", &errs);
    ck_errs_free(&errs);
    return CK_FV_WARN;
}

static bool subresource_served(const ck_kind *k, const char *sub)
{
    static const struct { const char *name; unsigned bit; } subs[] = {
        {"status", CK_SUB_STATUS},     {"scale", CK_SUB_SCALE},       {"binding", CK_SUB_BINDING},
        {"log", CK_SUB_LOG},           {"exec", CK_SUB_EXEC},         {"proxy", CK_SUB_PROXY},
        {"finalize", CK_SUB_FINALIZE}, {"eviction", CK_SUB_EVICTION}, {"attach", CK_SUB_ATTACH},
        {"portforward", CK_SUB_PORTFWD}, {"ephemeralcontainers", CK_SUB_EPHEMERAL},
        {"token", CK_SUB_TOKEN},
    };
    if (!*sub) return true;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(subs[i].name, sub) == 0) return (k->subresources & subs[i].bit) != 0;
    return false;
}

static int run_verb(ck_handler *ctx, ck_stream **stream)
{
    const char *verb = ctx->ri->verb;
    /* A proxy subresource forwards whatever method it was sent. */
    if (strcmp(ctx->ri->subresource, "proxy") == 0) return ck_handler_connect(ctx);
    if (strcmp(verb, "get") == 0) return ck_handler_get(ctx);
    if (strcmp(verb, "list") == 0) return ck_handler_list(ctx);
    if (strcmp(verb, "watch") == 0) return ck_handler_watch(ctx, stream);
    if (strcmp(verb, "create") == 0) return ck_handler_create(ctx);
    if (strcmp(verb, "update") == 0) return ck_handler_update(ctx);
    if (strcmp(verb, "patch") == 0) return ck_handler_patch(ctx);
    if (strcmp(verb, "delete") == 0) return ck_handler_delete(ctx);
    if (strcmp(verb, "deletecollection") == 0) return ck_handler_deletecollection(ctx);
    ck_status_method_not_allowed(&ctx->st, verb, ctx->k->group, ctx->k->resource);
    return -1;
}

void ck_handler_serve(ck_apiserver *s, const ck_req *req, const ck_reqinfo *ri, ck_resp *resp,
                   ck_stream **stream)
{
    ck_handler ctx = {.s = s, .req = req, .resp = resp, .ri = ri, .stream = stream};
    ctx.k = ck_kind_by_resource(ri->group, ri->version, ri->resource);
    if (!ctx.k || (ri->ns[0] && !ctx.k->namespaced && strcmp(ri->resource, "namespaces") != 0) ||
        !subresource_served(ctx.k, ri->subresource)) {
        ck_status_set(&ctx.st, 404, "NotFound", "the server could not find the requested resource");
        goto fail;
    }
    ctx.storage = ctx.k->storage ? ctx.k->storage : ctx.k->resource;
    if (!acceptable(req->accept)) {
        ck_status_set(&ctx.st, 406, "NotAcceptable",
                      "only the following media types are accepted: application/json, application/yaml, "
                      "application/vnd.kubernetes.protobuf");
        goto fail;
    }
    const char *dry = req->query(req, "dryRun");
    if (dry && *dry && is_mutating_verb(ri->verb)) {
        if (strcmp(dry, "All") != 0) {
            /* ValidateDryRun: 422 on the verb's options kind (CreateOptions ...). */
            ck_errs errs = CK_ERRS_INIT;
            ck_errs_add(&errs, "FieldValueNotSupported", "dryRun",
                        "Unsupported value: []string{\"%s\"}: supported values: \"All\"", dry);
            ck_status_invalid(&ctx.st, "meta.k8s.io", options_kind(ri->verb), "", &errs);
            ck_errs_free(&errs);
            goto fail;
        }
        ctx.dry_run = true;
    }
    bool ok;
    ctx.fv = parse_fv(&ctx, &ok);
    if (!ok) goto fail;
    const char *ns = ctx.k->namespaced ? ri->ns : "";
    if (ri->name[0]) ck_handler_set_key(&ctx, ns, ri->name);
    if (run_verb(&ctx, stream) == 0) {
        ck_status_clear(&ctx.st);
        return;
    }
fail:
    ck_resp_status(resp, &ctx.st);
    ck_status_clear(&ctx.st);
}
