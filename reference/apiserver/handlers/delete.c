/* delete.c: DELETE and DELETECOLLECTION (handlers/delete.go + registry
 * Store.Delete): DeleteOptions from the body or the query, preconditions,
 * propagationPolicy recorded as the orphan / foregroundDeletion finalizers
 * for the garbage collector, graceful deletion, and finalizers that keep an
 * object (with deletionTimestamp) until they are all removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/admission/admission.h"
#include "apiserver/handlers/rest.h"
#include "apiserver/registry/disruption.h"
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

typedef struct delete_opts {
    long long grace;         /* -1 = not given */
    const char *policy;      /* Orphan | Background | Foreground | NULL */
    const char *uid;         /* precondition */
    const char *rv;          /* precondition */
    json_t *doc;             /* owns the strings above when they came from the body */
} delete_opts;

/* DeleteOptions from doc (stolen; may be NULL) and the query. */
static int parse_opts_doc(ck_handler *ctx, json_t *doc, delete_opts *o)
{
    memset(o, 0, sizeof *o);
    o->grace = -1;
    o->doc = doc;
    if (doc) {
        json_t *g = json_object_get(o->doc, "gracePeriodSeconds");
        if (json_is_integer(g)) o->grace = json_integer_value(g);
        o->policy = ck_json_str(o->doc, "propagationPolicy", NULL);
        if (!o->policy && json_is_boolean(json_object_get(o->doc, "orphanDependents")))
            o->policy = ck_json_bool(o->doc, "orphanDependents", false) ? "Orphan" : "Background";
        o->uid = ck_json_str(o->doc, "preconditions.uid", NULL);
        o->rv = ck_json_str(o->doc, "preconditions.resourceVersion", NULL);
        const char *dry = json_is_array(json_object_get(o->doc, "dryRun"))
                              ? json_string_value(json_array_get(json_object_get(o->doc, "dryRun"), 0)) : NULL;
        if (dry && strcmp(dry, "All") == 0) ctx->dry_run = true;
    }
    long long g;
    if (ck_handler_query_int(ctx, "gracePeriodSeconds", -1, &g) < 0) return -1;
    if (g >= 0) o->grace = g;
    const char *qp = ctx->req->query(ctx->req, "propagationPolicy");
    if (qp && *qp) o->policy = qp;
    if (o->policy && strcmp(o->policy, "Orphan") != 0 && strcmp(o->policy, "Background") != 0 &&
        strcmp(o->policy, "Foreground") != 0) {
        ck_errs errs = CK_ERRS_INIT;
        static const char *const ok[] = {"Foreground", "Background", "Orphan", NULL};
        ck_errs_not_supported(&errs, "propagationPolicy", o->policy, ok);
        ck_status_invalid(&ctx->st, "meta.k8s.io", "DeleteOptions", "", &errs);
        ck_errs_free(&errs);
        return -1;
    }
    return 0;
}

static int parse_opts(ck_handler *ctx, delete_opts *o)
{
    json_t *doc = NULL;
    if (ctx->req->body_len) {
        json_error_t jerr;
        doc = json_loadb(ctx->req->body, ctx->req->body_len, 0, &jerr);
        if (!json_is_object(doc)) {
            memset(o, 0, sizeof *o);
            ck_status_bad_request(&ctx->st, "invalid DeleteOptions: %s", doc ? "not an object" : jerr.text);
            json_decref(doc);
            return -1;
        }
    }
    return parse_opts_doc(ctx, doc, o);
}

static void add_finalizer(json_t *meta, const char *f)
{
    json_t *fins = json_object_get(meta, "finalizers");
    if (!json_is_array(fins)) {
        fins = json_array();
        json_object_set_new(meta, "finalizers", fins);
    }
    size_t i;
    json_t *v;
    json_array_foreach(fins, i, v) if (strcmp(json_string_value(v) ? json_string_value(v) : "", f) == 0) return;
    json_array_append_new(fins, json_string(f));
}

static json_t *success_status(ck_handler *ctx, const json_t *obj)
{
    return ck_status_success_json(ctx->k->group, ctx->k->resource, ck_json_str(obj, "metadata.name", ""),
                                  ck_json_str(obj, "metadata.uid", ""));
}

/* Deletes one object; *out receives what to answer (new ref). */
static int delete_one(ck_handler *ctx, const delete_opts *o, json_t **out)
{
    const ck_strategy *strat = ck_strategy_for(ctx->k);
    ck_cobj *old = ck_handler_current(ctx);
    if (!old) return -1;
    int rc = -1;
    json_t *obj = json_deep_copy(old->obj);
    const char *uid = ck_json_str(obj, "metadata.uid", "");
    const char *rv = ck_json_str(obj, "metadata.resourceVersion", "");
    if (o->uid && strcmp(o->uid, uid) != 0) {
        ck_status_conflict(&ctx->st, ctx->k->group, ctx->k->resource, ctx->ri->name[0] ? ctx->ri->name : ck_json_str(obj, "metadata.name", ""), "");
        snprintf(ctx->st.message, sizeof ctx->st.message,
                 "Precondition failed: UID in precondition: %s, UID in object meta: %s", o->uid, uid);
        goto out;
    }
    if (o->rv && strcmp(o->rv, rv) != 0) {
        ck_status_conflict(&ctx->st, ctx->k->group, ctx->k->resource, ck_json_str(obj, "metadata.name", ""), "");
        snprintf(ctx->st.message, sizeof ctx->st.message,
                 "Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %s", o->rv, rv);
        goto out;
    }
    if (ck_admit(ctx, CK_ADMIT_DELETE, obj, old->obj) < 0) goto out;
    json_t *meta = json_object_get(obj, "metadata");
    long long grace = 0;
    bool keep = false;
    if (strat->prepare_delete && strat->prepare_delete(ctx, obj, o->grace, &grace, &keep) < 0) goto out;
    bool was_deleting = ck_json_path(old->obj, "metadata.deletionTimestamp") != NULL;
    if (o->policy && strcmp(o->policy, "Orphan") == 0) add_finalizer(meta, "orphan");
    if (o->policy && strcmp(o->policy, "Foreground") == 0) add_finalizer(meta, "foregroundDeletion");
    if (json_array_size(json_object_get(meta, "finalizers")) > 0 || grace > 0 || keep) {
        /* Graceful / finalized deletion: the object stays, marked. */
        if (!was_deleting) {
            char ts[CK_TIME_LEN];
            json_object_set_new(meta, "deletionTimestamp", json_string(ck_time_format(time(NULL) + grace, ts)));
            json_object_set_new(meta, "deletionGracePeriodSeconds", json_integer(grace));
            if (ctx->k->generation_field)
                json_object_set_new(meta, "generation", json_integer(ck_json_int(obj, "metadata.generation", 0) + 1));
        } else if (grace < ck_json_int(old->obj, "metadata.deletionGracePeriodSeconds", 0)) {
            /* A shorter grace period than the one in force wins (pods). */
            char ts[CK_TIME_LEN];
            json_object_set_new(meta, "deletionTimestamp", json_string(ck_time_format(time(NULL) + grace, ts)));
            json_object_set_new(meta, "deletionGracePeriodSeconds", json_integer(grace));
        }
        if (ctx->dry_run || ck_json_equal(obj, old->obj) || ck_handler_write(ctx, obj, old->rev) == 0) {
            *out = json_incref(obj);
            rc = 0;
        }
        goto out;
    }
    if (!ctx->dry_run) {
        int64_t drev;
        if (ck_handler_remove(ctx, old->rev, &drev) < 0) goto out;
        if (strat->after_delete) strat->after_delete(ctx, old->obj);
    }
    *out = strat->return_deleted_object ? json_incref(obj) : success_status(ctx, obj);
    rc = 0;
out:
    json_decref(obj);
    ck_cobj_unref(old);
    return rc;
}

int ck_handler_delete(ck_handler *ctx)
{
    if (ctx->ri->subresource[0]) {
        ck_status_method_not_allowed(&ctx->st, "delete", ctx->k->group, ctx->k->resource);
        return -1;
    }
    delete_opts o;
    int rc = -1;
    if (parse_opts(ctx, &o) == 0) {
        json_t *out = NULL;
        /* Like upstream's GuaranteedUpdate: a concurrent writer (a kubelet's
         * status, a controller) is retried on, unless the client pinned
         * the object with preconditions. */
        for (int attempt = 0; attempt < 8; attempt++) {
            rc = delete_one(ctx, &o, &out);
            if (rc == 0 || ctx->st.code != 409 || o.uid || o.rv) break;
            ck_status_clear(&ctx->st);
        }
        if (rc == 0) {
            if (json_is_object(out) && strcmp(ck_json_str(out, "kind", ""), "Status") == 0)
                ck_resp_json(ctx->resp, 200, out);
            else
                ck_handler_respond(ctx, 200, out);
        }
    }
    json_decref(o.doc);
    return rc;
}

int ck_handler_deletecollection(ck_handler *ctx)
{
    if (ctx->k->namespaced && !ctx->ri->ns[0]) {
        ck_status_method_not_allowed(&ctx->st, "deletecollection", ctx->k->group, ctx->k->resource);
        return -1;
    }
    delete_opts o;
    ck_selectors sel;
    if (parse_opts(ctx, &o) < 0) { json_decref(o.doc); return -1; }
    if (ck_handler_parse_selectors(ctx, &sel) < 0) { json_decref(o.doc); return -1; }
    if (!ck_cacher_sync(ctx->s->cache, 0, 5000)) {
        ck_status_set(&ctx->st, 504, "Timeout", "Timeout: the watch cache did not catch up");
        ck_selectors_free(&sel);
        json_decref(o.doc);
        return -1;
    }
    char prefix[300] = "";
    if (ctx->k->namespaced) snprintf(prefix, sizeof prefix, "%s/", ctx->ri->ns);
    ck_cobj **items = NULL;
    int64_t rev;
    size_t n = ck_cacher_list(ctx->s->cache, ctx->storage, prefix, &items, &rev);
    char gv[96];
    ck_kind_api_version(ctx->k, gv, sizeof gv);
    json_t *list = json_pack("{s:s,s:s,s:{},s:[]}", "kind", ctx->k->list_kind, "apiVersion", gv, "metadata", "items");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!ck_handler_selected(ctx->k, &sel, items[i]->obj)) continue;
        ck_reqinfo ri = *ctx->ri;
        snprintf(ri.name, sizeof ri.name, "%s", ck_json_str(items[i]->obj, "metadata.name", ""));
        const ck_reqinfo *saved = ctx->ri;
        ctx->ri = &ri;
        ck_handler_set_key(ctx, ctx->ri->ns, ri.name);
        json_t *out = NULL;
        int one = -1;
        for (int attempt = 0; attempt < 8; attempt++) {
            one = delete_one(ctx, &o, &out);
            if (one == 0 || ctx->st.code != 409 || o.uid || o.rv) break;
            ck_status_clear(&ctx->st);
        }
        if (one == 0) {
            if (json_is_object(out) && strcmp(ck_json_str(out, "kind", ""), "Status") != 0)
                json_array_append(json_object_get(list, "items"), out);
            else
                json_array_append_new(json_object_get(list, "items"), json_deep_copy(items[i]->obj));
        } else if (ctx->st.code == 404) {
            ck_status_clear(&ctx->st); /* deleted meanwhile */
        } else {
            rc = -1;
        }
        json_decref(out);
        ctx->ri = saved;
    }
    ck_cobjs_free(items, n);
    ck_selectors_free(&sel);
    json_decref(o.doc);
    if (rc == 0) ck_handler_respond(ctx, 200, list);
    else json_decref(list);
    return rc;
}

/* POST pods/<name>/eviction (pkg/registry/core/pod/storage/eviction.go): a
 * policy/v1 Eviction deletes the pod with its deleteOptions. ckube serves no
 * PodDisruptionBudgets, so no budget can refuse it. Answers 201 Success. */
int ck_handler_evict(ck_handler *ctx)
{
    json_error_t jerr;
    json_t *ev = json_loadb(ctx->req->body, ctx->req->body_len, 0, &jerr);
    if (!json_is_object(ev)) {
        ck_status_bad_request(&ctx->st, "invalid Eviction: %s", ev ? "not an object" : jerr.text);
        json_decref(ev);
        return -1;
    }
    const char *name = ck_json_str(ev, "metadata.name", "");
    if (strcmp(name, ctx->ri->name) != 0) {
        ck_status_bad_request(&ctx->st, "name in URL does not match name in Eviction object");
        json_decref(ev);
        return -1;
    }
    json_t *opts = json_incref(json_object_get(ev, "deleteOptions"));
    json_decref(ev);
    delete_opts o;
    json_t *out = NULL;
    int rc = parse_opts_doc(ctx, json_is_object(opts) ? opts : (json_decref(opts), NULL), &o);
    if (rc == 0) {
        /* PodDisruptionBudgets first (registry/disruption.c, eviction.go) */
        ck_cobj *pod = ck_handler_current(ctx);
        rc = pod ? ck_eviction_check_pdbs(ctx, pod->obj) : -1;
        ck_cobj_unref(pod);
        if (rc == 0) rc = ck_eviction_mark_disruption_target(ctx);
    }
    if (rc == 0) rc = delete_one(ctx, &o, &out);
    json_decref(out);
    json_decref(o.doc);
    if (rc == 0) ck_resp_json(ctx->resp, 201, ck_status_success_json("", "", "", NULL));
    return rc;
}
