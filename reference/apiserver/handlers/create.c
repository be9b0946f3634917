/* create.c: POST of a new object (handlers/create.go + registry Store.Create):
 * decode, namespace checks, admission, server-set metadata (generateName,
 * uid, creationTimestamp, generation), defaulting, validation, dryRun, and
 * the create transaction. */
#include <stdio.h>
#include <string.h>
#include "apiserver/admission/admission.h"
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/registry/registry.h"
#include "apiserver/registry/tokenrequest.h"
#include "util/ckjson.h"
#include "util/timeutil.h"
#include "util/uid.h"

#define GENERATE_NAME_TRIES 8

/* Checks the body's namespace against the URL's (handlers/rest.go). */
int ck_handler_check_namespace(ck_handler *ctx, json_t *obj)
{
    json_t *meta = ck_json_ensure_object(obj, "metadata");
    if (!meta) { ck_status_bad_request(&ctx->st, "metadata must be an object"); return -1; }
    if (!ctx->k->namespaced) {
        json_object_del(meta, "namespace");
        return 0;
    }
    const char *ns = ck_json_str(meta, "namespace", "");
    if (!*ns) {
        json_object_set_new(meta, "namespace", json_string(ctx->ri->ns));
    } else if (strcmp(ns, ctx->ri->ns) != 0) {
        ck_status_bad_request(&ctx->st, "the namespace of the provided object does not match the namespace sent on the request");
        return -1;
    }
    return 0;
}

static void stamp_metadata(ck_handler *ctx, json_t *meta)
{
    char uid[CK_UID_LEN], now[CK_TIME_LEN];
    json_object_set_new(meta, "uid", json_string(ck_uid_new(uid)));
    json_object_set_new(meta, "creationTimestamp", json_string(ck_time_now(now)));
    json_object_del(meta, "deletionTimestamp");
    json_object_del(meta, "deletionGracePeriodSeconds");
    json_object_del(meta, "selfLink");
    if (ctx->k->generation_field) json_object_set_new(meta, "generation", json_integer(1));
    else json_object_del(meta, "generation");
}

static bool generate_name(json_t *meta)
{
    const char *gen = ck_json_str(meta, "generateName", "");
    if (!*gen) return false;
    /* names.SimpleNameGenerator: base truncated to 58 chars + 5 random. */
    char suffix[6], name[80];
    ck_rand_suffix(suffix, 5);
    snprintf(name, sizeof name, "%.58s%s", gen, suffix);
    json_object_set_new(meta, "name", json_string(name));
    return true;
}

/* The create flow for an already-decoded object (also used by PUT-creates). */
int ck_handler_create_object(ck_handler *ctx, json_t *obj)
{
    const ck_strategy *strat = ck_strategy_for(ctx->k);
    if (ck_handler_check_namespace(ctx, obj) < 0) return -1;
    json_t *meta = json_object_get(obj, "metadata");
    const char *rv = ck_json_str(meta, "resourceVersion", "");
    if (*rv) {
        ck_status_internal(&ctx->st, "resourceVersion should not be set on objects to be created");
        return -1;
    }
    if (ck_admit(ctx, CK_ADMIT_CREATE, obj, NULL) < 0) return -1;
    bool generated = !*ck_json_str(meta, "name", "") && generate_name(meta);
    stamp_metadata(ctx, meta);
    ck_apply_defaults(ctx->k, obj);
    if (strat->prepare_create && strat->prepare_create(ctx, obj) < 0) return -1;
    if (ck_handler_validate(ctx, obj, NULL) < 0) return -1;
    if (strat->virtual_create) {
        if (strat->virtual_create(ctx, obj) < 0) return -1;
        ck_handler_respond(ctx, 201, json_incref(obj));
        return 0;
    }
    if (ctx->dry_run) {
        ck_handler_respond(ctx, 201, json_incref(obj));
        return 0;
    }
    if (strat->before_write && strat->before_write(ctx, NULL, obj) < 0) return -1;
    for (int attempt = 0;; attempt++) {
        ck_handler_set_key(ctx, ck_json_str(meta, "namespace", ""), ck_json_str(meta, "name", ""));
        if (ck_handler_write(ctx, obj, -1) == 0) break;
        /* A generated name that collided: draw another, as upstream retries. */
        if (generated && ctx->st.code == 409 && attempt < GENERATE_NAME_TRIES) {
            ck_status_clear(&ctx->st);
            generate_name(meta);
            continue;
        }
        if (strat->abort_write) strat->abort_write(ctx, NULL, obj);
        return -1;
    }
    ck_handler_respond(ctx, 201, json_incref(obj));
    return 0;
}

int ck_handler_create(ck_handler *ctx)
{
    const char *sub = ctx->ri->subresource;
    if (strcmp(sub, "binding") == 0 || (!ctx->k->group[0] && strcmp(ctx->k->resource, "bindings") == 0))
        return ck_handler_bind(ctx);
    if (strcmp(sub, "token") == 0 && ctx->k->subresources & CK_SUB_TOKEN) return ck_tokenrequest_create(ctx);
    if (*sub || ctx->ri->name[0]) {
        if (*sub && strcmp(sub, "eviction") != 0 && strcmp(sub, "exec") != 0 && strcmp(sub, "attach") != 0 &&
            strcmp(sub, "portforward") != 0 && strcmp(sub, "proxy") != 0) {
            ck_status_method_not_allowed(&ctx->st, "create", ctx->k->group, ctx->k->resource);
            return -1;
        }
        if (*sub) return ck_handler_connect(ctx);
        ck_status_method_not_allowed(&ctx->st, "create", ctx->k->group, ctx->k->resource);
        return -1;
    }
    if (ctx->k->namespaced && !ctx->ri->ns[0]) {
        ck_status_method_not_allowed(&ctx->st, "create", ctx->k->group, ctx->k->resource);
        return -1;
    }
    json_t *obj = ck_handler_decode(ctx);
    if (!obj) return -1;
    int rc = ck_handler_create_object(ctx, obj);
    json_decref(obj);
    return rc;
}
