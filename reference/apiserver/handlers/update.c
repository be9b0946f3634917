/* update.c: PUT (handlers/update.go + registry Store.Update) of an object or
 * of its status, scale or finalize subresource: each subresource may change
 * only its own part; server-owned metadata is kept; generation moves only
 * with the kind's spec; a no-op update writes nothing; removing the last
 * finalizer of an object being deleted deletes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/admission/admission.h"
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/registry/ephemeral.h"
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"

#define UPDATE_RETRIES 16

static const char *const kept_meta[] = {"uid", "creationTimestamp", "deletionTimestamp",
                                        "deletionGracePeriodSeconds", "generation", "namespace", NULL};

static void copy_field(json_t *dst, const json_t *src, const char *key)
{
    json_t *v = json_object_get(src, key);
    if (v) json_object_set_new(dst, key, json_deep_copy(v));
    else json_object_del(dst, key);
}

/* The complete object this request asks for, from the stored one. New ref. */
static json_t *merge_view(ck_handler *ctx, const json_t *old, json_t *in)
{
    const char *sub = ctx->ri->subresource;
    if (strcmp(sub, "status") == 0) {
        /* The kinds' status strategies (e.g. registry/core/service/strategy.go
         * serviceStatusStrategy): everything but .status and metadata keeps
         * its stored value; metadata may change except the system fields;
         * pods keep their ownerReferences, deployments their labels. */
        json_t *out = json_deep_copy(in);
        const char *key;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(out, tmp, key, v)
            if (strcmp(key, "metadata") && strcmp(key, "status") && strcmp(key, "apiVersion") && strcmp(key, "kind") &&
                !json_object_get(old, key))
                json_object_del(out, key);
        json_object_foreach((json_t *)old, key, v)
            if (strcmp(key, "metadata") && strcmp(key, "status") && strcmp(key, "apiVersion") && strcmp(key, "kind"))
                json_object_set_new(out, key, json_deep_copy(v));
        json_t *meta = ck_json_ensure_object(out, "metadata");
        const json_t *old_meta = json_object_get(old, "metadata");
        for (int i = 0; kept_meta[i]; i++) copy_field(meta, old_meta, kept_meta[i]);
        if (!ctx->k->group[0] && strcmp(ctx->k->resource, "pods") == 0) copy_field(meta, old_meta, "ownerReferences");
        if (!strcmp(ctx->k->group, "apps") && !strcmp(ctx->k->resource, "deployments")) copy_field(meta, old_meta, "labels");
        return out;
    }
    if (strcmp(sub, "scale") == 0) return ck_scale_apply(ctx, old, in);
    if (strcmp(sub, CK_EPHEMERAL_SUBRESOURCE) == 0) return ck_ephemeral_merge(old, in);
    if (strcmp(sub, "finalize") == 0) {
        json_t *out = json_deep_copy(old);
        json_t *fin = ck_json_path(in, "spec.finalizers");
        json_t *spec = ck_json_ensure_object(out, "spec");
        if (fin) json_object_set_new(spec, "finalizers", json_deep_copy(fin));
        else json_object_del(spec, "finalizers");
        return out;
    }
    json_t *out = json_deep_copy(in);
    json_t *meta = ck_json_ensure_object(out, "metadata");
    const json_t *old_meta = json_object_get(old, "metadata");
    for (int i = 0; kept_meta[i]; i++) copy_field(meta, old_meta, kept_meta[i]);
    if (ctx->k->subresources & CK_SUB_STATUS) copy_field(out, old, "status");
    return out;
}

static void bump_generation(const ck_kind *k, const json_t *old, json_t *obj)
{
    if (!k->generation_field) return;
    if (ck_json_equal(json_object_get(old, k->generation_field), json_object_get(obj, k->generation_field)))
        return;
    long long g = ck_json_int(old, "metadata.generation", 0);
    json_object_set_new(json_object_get(obj, "metadata"), "generation", json_integer(g + 1));
}

static bool same_object(const json_t *a, const json_t *b)
{
    json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
    json_object_del(json_object_get(x, "metadata"), "resourceVersion");
    json_object_del(json_object_get(y, "metadata"), "resourceVersion");
    bool eq = json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return eq;
}

/* registry/generic/registry/store.go ShouldDeleteDuringUpdate; a namespace
 * also needs empty spec.finalizers (ShouldDeleteNamespaceDuringUpdate). */
static bool should_delete(const ck_kind *k, const json_t *obj)
{
    if (!k->group[0] && strcmp(k->resource, "namespaces") == 0 &&
        json_array_size(ck_json_path(obj, "spec.finalizers")) > 0)
        return false;
    json_t *fin = ck_json_path(obj, "metadata.finalizers");
    return ck_json_path(obj, "metadata.deletionTimestamp") && json_array_size(fin) == 0 &&
           ck_json_int(obj, "metadata.deletionGracePeriodSeconds", 0) == 0;
}

static void respond_view(ck_handler *ctx, json_t *obj)
{
    if (strcmp(ctx->ri->subresource, "scale") == 0)
        ck_resp_json(ctx->resp, 200, ck_scale_from_object(ctx->k, obj));
    else
        ck_handler_respond(ctx, 200, json_incref(obj));
}

int ck_handler_update_object(ck_handler *ctx, ck_cobj *old, json_t *in, bool client_rv)
{
    const ck_strategy *strat = ck_strategy_for(ctx->k);
    int64_t expected = old->rev;
    if (client_rv) {
        const char *rv = ck_json_str(in, "metadata.resourceVersion", "");
        char *end;
        expected = strtoll(rv, &end, 10);
        if (*end || expected <= 0) {
            ck_status_bad_request(&ctx->st, "metadata.resourceVersion: Invalid value: \"%s\": must be a number", rv);
            return -1;
        }
    }
    /* BeforeUpdate: an empty uid means "the stored one"; a different one is
     * refused (ValidateObjectMetaUpdate: field is immutable). */
    const char *uid = ck_json_str(in, "metadata.uid", "");
    const char *old_uid = ck_json_str(old->obj, "metadata.uid", "");
    if (*uid && strcmp(uid, old_uid) != 0 && strcmp(ctx->ri->subresource, "scale") != 0) {
        ck_errs errs = CK_ERRS_INIT;
        ck_errs_invalid_str(&errs, "metadata.uid", uid, "field is immutable");
        ck_status_invalid(&ctx->st, ctx->k->group, ctx->k->kind, ctx->ri->name, &errs);
        ck_errs_free(&errs);
        return -1;
    }
    json_t *obj = merge_view(ctx, old->obj, in);
    if (!obj) return -1;
    int rc = -1;
    if (ck_admit(ctx, CK_ADMIT_UPDATE, obj, old->obj) < 0) goto out;
    ck_apply_defaults(ctx->k, obj);
    if (!ctx->ri->subresource[0] && strat->prepare_update && strat->prepare_update(ctx, old->obj, obj) < 0)
        goto out;
    bump_generation(ctx->k, old->obj, obj);
    if (strcmp(ctx->ri->subresource, CK_EPHEMERAL_SUBRESOURCE) == 0 ? ck_ephemeral_validate(ctx, obj, old->obj) < 0
                                                                     : ck_handler_validate(ctx, obj, old->obj) < 0)
        goto out;
    if (client_rv && expected != old->rev && !ctx->s->cfg.broken_conflicts) {
        ck_status_conflict(&ctx->st, ctx->k->group, ctx->k->resource, ck_json_str(obj, "metadata.name", ""),
                           "the object has been modified; please apply your changes to the latest version and try again");
        goto out;
    }
    if (same_object(obj, old->obj)) { /* no-op: nothing written, resourceVersion unchanged */
        json_object_set_new(json_object_get(obj, "metadata"), "resourceVersion",
                            json_deep_copy(ck_json_path(old->obj, "metadata.resourceVersion")));
        respond_view(ctx, obj);
        rc = 0;
        goto out;
    }
    if (ctx->dry_run) { respond_view(ctx, obj); rc = 0; goto out; }
    if (should_delete(ctx->k, obj)) {
        int64_t rev;
        if (ck_handler_remove(ctx, old->rev, &rev) < 0) goto out;
        if (strat->after_delete) strat->after_delete(ctx, old->obj);
        respond_view(ctx, obj);
        rc = 0;
        goto out;
    }
    if (strat->before_write && strat->before_write(ctx, old->obj, obj) < 0) goto out;
    if (ck_handler_write(ctx, obj, old->rev) < 0) {
        if (strat->abort_write) strat->abort_write(ctx, old->obj, obj);
        /* Our own read was stale (a concurrent writer): the caller may retry
         * when the client did not pin a resourceVersion. */
        if (ctx->st.code == 409 && !client_rv) rc = -2;
        goto out;
    }
    respond_view(ctx, obj);
    rc = 0;
out:
    json_decref(obj);
    return rc;
}

int ck_handler_update(ck_handler *ctx)
{
    const char *sub = ctx->ri->subresource;
    if (!ctx->ri->name[0] || (*sub && strcmp(sub, "status") != 0 && strcmp(sub, "scale") != 0 &&
                              strcmp(sub, "finalize") != 0 && strcmp(sub, CK_EPHEMERAL_SUBRESOURCE) != 0)) {
        ck_status_method_not_allowed(&ctx->st, "update", ctx->k->group, ctx->k->resource);
        return -1;
    }
    json_t *in = NULL;
    if (strcmp(sub, "scale") == 0) {
        json_t *dups = NULL;
        in = ck_decode_body(ctx->req->content_type, ctx->req->body, ctx->req->body_len, &dups, &ctx->st);
        json_decref(dups);
    } else {
        in = ck_handler_decode(ctx);
    }
    if (!in) return -1;
    int rc = -1;
    const char *name = ck_json_str(in, "metadata.name", "");
    if (strcmp(name, ctx->ri->name) != 0) {
        ck_status_bad_request(&ctx->st, "the name of the object (%s) does not match the name on the URL (%s)",
                              name, ctx->ri->name);
        goto out;
    }
    if (strcmp(sub, "scale") != 0 && ck_handler_check_namespace(ctx, in) < 0) goto out;
    bool client_rv = *ck_json_str(in, "metadata.resourceVersion", "") != 0;
    for (int attempt = 0; attempt < UPDATE_RETRIES; attempt++) {
        ck_status_clear(&ctx->st);
        ck_cobj *old = ck_handler_current(ctx);
        if (!old) {
            const ck_strategy *strat = ck_strategy_for(ctx->k);
            if (ctx->st.code == 404 && !*sub && strat->allow_create_on_update) {
                ck_status_clear(&ctx->st);
                json_object_del(json_object_get(in, "metadata"), "resourceVersion");
                rc = ck_handler_create_object(ctx, in);
            }
            goto out;
        }
        rc = ck_handler_update_object(ctx, old, in, client_rv);
        ck_cobj_unref(old);
        if (rc != -2) break;
        rc = -1;
    }
out:
    json_decref(in);
    return rc < 0 ? -1 : 0;
}
