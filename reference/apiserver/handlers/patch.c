/* patch.c: PATCH (handlers/patch.go) with the three patch types, on an
 * object or its status/scale subresource. The patch is re-applied to the
 * latest object on a storage conflict unless it pinned a resourceVersion. */
#include <stdio.h>
#include <string.h>
#include "api/patch.h"
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/registry/ephemeral.h"
#include "util/ckjson.h"

#define PATCH_RETRIES 16

typedef enum { P_JSON, P_MERGE, P_STRATEGIC } patch_type;

static int patch_type_of(const char *ct, patch_type *t)
{
    if (!ct) return -1;
    size_t n = strcspn(ct, ";");
    if (n == 27 && strncmp(ct, "application/json-patch+json", n) == 0) *t = P_JSON;
    else if (n == 28 && strncmp(ct, "application/merge-patch+json", n) == 0) *t = P_MERGE;
    else if (n == 38 && strncmp(ct, "application/strategic-merge-patch+json", n) == 0) *t = P_STRATEGIC;
    else return -1;
    return 0;
}

static json_t *apply(ck_handler *ctx, patch_type t, const json_t *doc, const json_t *patch, const ck_field *schema)
{
    char err[512] = "";
    json_t *out = NULL;
    if (t == P_JSON) {
        int bad_doc = 0;
        out = ck_json_patch_apply(doc, patch, &bad_doc, err, sizeof err);
        if (!out) {
            if (bad_doc) ck_status_bad_request(&ctx->st, "%s", err);
            else ck_status_set(&ctx->st, 422, "Invalid", "%s", err);
        }
    } else if (t == P_MERGE) {
        out = ck_merge_patch_apply(doc, patch);
        if (!out) ck_status_bad_request(&ctx->st, "invalid merge patch");
    } else {
        out = ck_strategic_merge_patch_apply(doc, patch, schema, err, sizeof err);
        if (!out) ck_status_set(&ctx->st, 422, "Invalid", "%s", err[0] ? err : "invalid strategic merge patch");
    }
    return out;
}

int ck_handler_patch(ck_handler *ctx)
{
    const char *sub = ctx->ri->subresource;
    if (!ctx->ri->name[0] || (*sub && strcmp(sub, "status") != 0 && strcmp(sub, "scale") != 0 &&
                              strcmp(sub, CK_EPHEMERAL_SUBRESOURCE) != 0)) {
        ck_status_method_not_allowed(&ctx->st, "patch", ctx->k->group, ctx->k->resource);
        return -1;
    }
    patch_type t;
    if (patch_type_of(ctx->req->content_type, &t) < 0) {
        ck_status_set(&ctx->st, 415, "UnsupportedMediaType",
                      "the body of the request was in an unknown format - accepted media types include: "
                      "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        return -1;
    }
    json_error_t jerr;
    json_t *patch = json_loadb(ctx->req->body, ctx->req->body_len, JSON_DECODE_ANY, &jerr);
    if (!patch || (t == P_JSON ? !json_is_array(patch) : !json_is_object(patch))) {
        ck_status_bad_request(&ctx->st, "error decoding patch: %s", patch ? "wrong document type" : jerr.text);
        json_decref(patch);
        return -1;
    }
    bool scale = strcmp(sub, "scale") == 0;
    int rc = -1;
    for (int attempt = 0; attempt < PATCH_RETRIES; attempt++) {
        ck_status_clear(&ctx->st);
        ck_cobj *old = ck_handler_current(ctx);
        if (!old) break;
        json_t *view = scale ? ck_scale_from_object(ctx->k, old->obj) : json_incref(old->obj);
        json_t *patched = apply(ctx, t, view, patch, scale ? NULL : ctx->k->root);
        /* A patch that sets resourceVersion pins it: a mismatch is a Conflict. */
        const char *prv = ck_json_str(patched, "metadata.resourceVersion", "");
        const char *orv = ck_json_str(view, "metadata.resourceVersion", "");
        bool client_rv = patched && strcmp(prv, orv) != 0;
        json_decref(view);
        if (!patched) { ck_cobj_unref(old); break; }
        if (!json_is_object(patched)) {
            ck_status_bad_request(&ctx->st, "the patch produced something other than an object");
            json_decref(patched);
            ck_cobj_unref(old);
            break;
        }
        if (!scale && (ck_check_types(ctx->k, patched, &ctx->st) < 0 ||
                       ck_handler_field_validation(ctx, patched, NULL) < 0)) {
            json_decref(patched);
            ck_cobj_unref(old);
            break;
        }
        if (!client_rv) json_object_set_new(ck_json_ensure_object(patched, "metadata"), "resourceVersion",
                                            json_string(orv));
        rc = ck_handler_update_object(ctx, old, patched, client_rv);
        json_decref(patched);
        ck_cobj_unref(old);
        if (rc != -2) break;
        rc = -1;
    }
    json_decref(patch);
    return rc < 0 ? -1 : 0;
}
