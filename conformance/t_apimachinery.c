/* t_apimachinery.c: API machinery behaviours beyond the basics: optimistic
 * concurrency (stale resourceVersion and delete preconditions answer 409),
 * field validation directives on every verb, request/URL consistency,
 * system-owned metadata, list option validation, watch selectors, Table
 * output, and namespace deletion emptying the namespace. */
#include "objects.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }
static int has(const char *s, const char *sub) { return s && sub && strstr(s, sub); }

static json_t *list_of(ckc_t *t, const char *path)
{
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    return r->json;
}

static size_t n_items(json_t *list) { return json_array_size(ckc_at(list, "items")); }

static json_t *cm_json(ckc_t *t, const char *name, const char *label)
{
    return ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"labels\":"
                        "{\"ckc-am\":\"%s\"}},\"data\":{\"v\":\"0\"}}", name, label);
}

static ckc_resp *raw(ckc_t *t, const char *method, const char *path, const char *ctype, const char *body)
{
    ckc_reqspec rq = {.method = method, .path = path, .body = body, .content_type = ctype};
    return ckc_request(t, &rq);
}

/* ---- optimistic concurrency: api-concepts#resource-versions,
 * api-conventions.md#concurrency-control-and-consistency ---- */
static void expect_conflict(ckc_t *t, ckc_resp *r, const char *name)
{
    CKC_STATUS(t, r, 409, "Conflict");
    CKC_CHECK(t, r, same(ckc_str(r->json, "details.name"), name), "the Conflict must name %s in details.name", name);
}

/* Creates a configmap and changes it once: returns the first (now stale) version. */
static json_t *stale_configmap(ckc_t *t, const char *ns, const char *name)
{
    json_t *first = json_deep_copy(ckc_create(t, "configmaps", ns, name, cm_json(t, name, "occ")));
    ckc_ownj(t, first);
    CKC_CODE(t, ckc_patch(t, ckc_item(t, "configmaps", ns, name), CKC_MERGE_PATCH, "{\"data\":{\"v\":\"1\"}}"), 200);
    return first;
}

static void t_occ_update(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *stale = stale_configmap(t, ns, "ckc-occ");
    json_object_set_new(json_object_get(stale, "data"), "v", json_string("stale"));
    expect_conflict(t, ckc_put(t, ckc_item(t, "configmaps", ns, "ckc-occ"), stale), "ckc-occ");
    CKC_CHECK(t, NULL, same(ckc_str(ckc_fetch(t, "configmaps", ns, "ckc-occ"), "data.v"), "1"),
              "the stale write must not be stored (data.v must stay 1)");
}

static void t_occ_patch(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *stale = stale_configmap(t, ns, "ckc-occ");
    const char *body = ckc_fmt(t, "{\"metadata\":{\"resourceVersion\":\"%s\"},\"data\":{\"v\":\"stale\"}}",
                               ckc_str(stale, "metadata.resourceVersion"));
    expect_conflict(t, ckc_patch(t, ckc_item(t, "configmaps", ns, "ckc-occ"), CKC_MERGE_PATCH, body), "ckc-occ");
    CKC_CHECK(t, NULL, same(ckc_str(ckc_fetch(t, "configmaps", ns, "ckc-occ"), "data.v"), "1"),
              "the stale patch must not be stored");
}

static void t_occ_status(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *first = ckc_ownj(t, json_deep_copy(ckc_create(t, "services", ns, "ckc-occ", NULL)));
    const char *st = ckc_fmt(t, "%s/status", ckc_item(t, "services", ns, "ckc-occ"));
    CKC_CODE(t, ckc_patch(t, ckc_item(t, "services", ns, "ckc-occ"), CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}"),
             200);
    json_object_set_new(first, "status", json_pack("{s:{s:[{s:s}]}}", "loadBalancer", "ingress", "ip", "203.0.113.7"));
    expect_conflict(t, ckc_put(t, st, first), "ckc-occ");
}

static void t_occ_scale(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "deployments", ns, "ckc-occ", NULL);
    const char *scale = ckc_fmt(t, "%s/scale", ckc_item(t, "deployments", ns, "ckc-occ"));
    ckc_resp *r = ckc_get(t, scale);
    CKC_CODE(t, r, 200);
    json_t *stale = ckc_ownj(t, json_deep_copy(r->json));
    CKC_CODE(t, ckc_patch(t, ckc_item(t, "deployments", ns, "ckc-occ"), CKC_MERGE_PATCH,
                          "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}"), 200);
    json_object_set_new(json_object_get(stale, "spec"), "replicas", json_integer(0));
    expect_conflict(t, ckc_put(t, scale, stale), "ckc-occ");
}

/* DeleteOptions.preconditions (delete-options reference): a mismatch is 409. */
static void t_occ_delete_rv(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-occ");
    json_t *stale = stale_configmap(t, ns, "ckc-occ");
    json_t *opts = ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"resourceVersion\":\"%s\"}}",
                             ckc_str(stale, "metadata.resourceVersion"));
    expect_conflict(t, ckc_delete(t, item, opts), "ckc-occ");
    CKC_CODE(t, ckc_get(t, item), 200);
    json_t *cur = ckc_fetch(t, "configmaps", ns, "ckc-occ");
    opts = ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"resourceVersion\":\"%s\"}}",
                     ckc_str(cur, "metadata.resourceVersion"));
    CKC_CODE(t, ckc_delete(t, item, opts), 200);
}

static void t_occ_delete_uid(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-uid");
    json_t *o = ckc_create(t, "configmaps", ns, "ckc-uid", NULL);
    json_t *opts = ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":"
                                "{\"uid\":\"00000000-0000-0000-0000-000000000000\"}}");
    expect_conflict(t, ckc_delete(t, item, opts), "ckc-uid");
    opts = ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"%s\"}}",
                     ckc_str(o, "metadata.uid"));
    CKC_CODE(t, ckc_delete(t, item, opts), 200);
}

/* Without metadata.resourceVersion an update is unconditional for ConfigMaps
 * (AllowUnconditionalUpdate): it succeeds over a newer version. */
static void t_occ_unconditional(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *stale = stale_configmap(t, ns, "ckc-occ");
    json_object_del(json_object_get(stale, "metadata"), "resourceVersion");
    json_object_set_new(json_object_get(stale, "data"), "v", json_string("forced"));
    ckc_resp *r = ckc_put(t, ckc_item(t, "configmaps", ns, "ckc-occ"), stale);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.v"), "forced"), "the unconditional update must be stored");
}

/* ---- field validation on update and patch, and its default ---- */
#define FV_DOC "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation"
static void t_fv_update_strict(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = ckc_ownj(t, json_deep_copy(ckc_create(t, "configmaps", ns, "ckc-fv", NULL)));
    json_object_set_new(o, "unknownField", json_string("x"));
    ckc_resp *r = ckc_put(t, ckc_fmt(t, "%s?fieldValidation=Strict", ckc_item(t, "configmaps", ns, "ckc-fv")), o);
    CKC_STATUS(t, r, 400, "BadRequest");
    CKC_CHECK(t, r, has(r->body, "unknown field \\\"unknownField\\\""), "the message must name unknown field \"unknownField\"");
    r = ckc_put(t, ckc_fmt(t, "%s?fieldValidation=Warn", ckc_item(t, "configmaps", ns, "ckc-fv")), o);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, has(r->warning, "unknown field") && has(r->warning, "unknownField"), "Warn must answer with a Warning naming the field (got '%s')",
              r->warning ? r->warning : "");
}

static void t_fv_patch_strict(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "configmaps", ns, "ckc-fv", NULL);
    const char *item = ckc_item(t, "configmaps", ns, "ckc-fv");
    ckc_resp *r = ckc_patch(t, ckc_fmt(t, "%s?fieldValidation=Strict", item), CKC_MERGE_PATCH, "{\"unknownField\":\"x\"}");
    CKC_STATUS(t, r, 400, "BadRequest");
    CKC_CHECK(t, r, has(r->body, "unknownField"), "the message must name unknownField");
    r = ckc_patch(t, ckc_fmt(t, "%s?fieldValidation=Ignore", item), CKC_MERGE_PATCH, "{\"unknownField\":\"x\"}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, !ckc_at(r->json, "unknownField"), "Ignore must drop the unknown field");
}

/* Since v1.27 the server defaults to Warn (field-validation doc). */
static void t_fv_default_warn(ckc_t *t)
{
    ckc_resp *r = raw(t, "POST", ckc_coll(t, "configmaps", ckc_ns(t)), NULL,
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ckc-fvd\"},\"bogus\":1}");
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, has(r->warning, "unknown field") && has(r->warning, "bogus"), "without fieldValidation the server must warn (got '%s')",
              r->warning ? r->warning : "");
}

/* ValidateCreateOptions: an unknown directive is an Invalid CreateOptions. */
static void t_fv_bad_directive(ckc_t *t)
{
    ckc_resp *r = ckc_post(t, ckc_fmt(t, "%s?fieldValidation=Sometimes", ckc_coll(t, "configmaps", ckc_ns(t))),
                           cm_json(t, "ckc-fvb", "x"));
    CKC_STATUS(t, r, 422, "Invalid");
}

/* ---- the request must agree with its URL (handlers/rest.go, create.go, update.go) ---- */
static void t_name_mismatch(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "configmaps", ns, "ckc-a", NULL);
    json_t *o = ckc_ownj(t, json_deep_copy(ckc_fetch(t, "configmaps", ns, "ckc-a")));
    json_object_set_new(json_object_get(o, "metadata"), "name", json_string("ckc-b"));
    ckc_resp *r = ckc_put(t, ckc_item(t, "configmaps", ns, "ckc-a"), o);
    CKC_STATUS(t, r, 400, "BadRequest");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "does not match the name on the URL"),
              "the message must say the name does not match the name on the URL");
}

static void t_namespace_mismatch(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = cm_json(t, "ckc-nsm", "x");
    json_object_set_new(json_object_get(o, "metadata"), "namespace", json_string("ckc-some-other-namespace"));
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ns), o);
    CKC_STATUS(t, r, 400, "BadRequest");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "does not match the namespace"),
              "the message must say the namespace does not match");
}

static void t_kind_mismatch(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ns), ckc_manifest(t, "secrets", ns, "ckc-kind"));
    CKC_CHECK(t, r, r->code == 400, "POSTing a Secret to configmaps must be a 400 BadRequest");
    CKC_CODE(t, ckc_get(t, ckc_item(t, "configmaps", ns, "ckc-kind")), 404);
}

static void t_unknown_resource(ckc_t *t)
{
    ckc_resp *r = ckc_get(t, ckc_fmt(t, "/api/v1/namespaces/%s/ckcwidgets", ckc_ns(t)));
    CKC_CODE(t, r, 404);
    r = ckc_get(t, "/apis/ckc.example.com/v1/widgets");
    CKC_CODE(t, r, 404);
}

static void t_method_not_allowed(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "configmaps", ns, "ckc-m", NULL);
    ckc_resp *r = ckc_post(t, ckc_item(t, "configmaps", ns, "ckc-m"), cm_json(t, "ckc-m", "x"));
    CKC_CODE(t, r, 405);
}

/* ---- system-owned metadata (object-meta reference, rest.BeforeUpdate) ---- */
static void t_system_fields(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-sys");
    json_t *o = ckc_create(t, "configmaps", ns, "ckc-sys", NULL);
    const char *uid = ckc_str(o, "metadata.uid"), *ts = ckc_str(o, "metadata.creationTimestamp");
    json_t *u = ckc_ownj(t, json_deep_copy(o));
    json_t *meta = json_object_get(u, "metadata");
    json_object_set_new(meta, "creationTimestamp", json_string("2001-01-01T00:00:00Z"));
    json_object_del(meta, "uid");
    ckc_resp *r = ckc_put(t, item, u);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "metadata.creationTimestamp"), ts), "an update must not change creationTimestamp");
    CKC_CHECK(t, r, same(ckc_str(r->json, "metadata.uid"), uid), "an update without uid must keep the uid");
    u = ckc_ownj(t, json_deep_copy(r->json));
    json_object_set_new(json_object_get(u, "metadata"), "uid", json_string("11111111-2222-3333-4444-555555555555"));
    r = ckc_put(t, item, u);
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "metadata.uid"), "the message must name metadata.uid");
}

/* metadata.generation: 1 on create, bumped by spec changes only (api-conventions). */
static void t_generation(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "ckc-gen");
    json_t *o = ckc_create(t, "deployments", ns, "ckc-gen", NULL);
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(o, "metadata.generation")) == 1, "a new Deployment must have generation 1");
    ckc_resp *r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "metadata.generation")) == 1, "a metadata change must keep generation 1");
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"minReadySeconds\":5}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "metadata.generation")) == 2, "a spec change must bump generation to 2");
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"generation\":42}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "metadata.generation")) == 2, "clients may not set generation");
}

/* ---- list options (ValidateListOptions: Invalid ListOptions) ---- */
static void t_list_options(ckc_t *t)
{
    const char *coll = ckc_coll(t, "configmaps", ckc_ns(t));
    ckc_resp *r = ckc_get(t, ckc_fmt(t, "%s?resourceVersionMatch=NotOlderThan", coll));
    CKC_STATUS(t, r, 422, "Invalid");
    r = ckc_get(t, ckc_fmt(t, "%s?resourceVersionMatch=Exact&resourceVersion=0", coll));
    CKC_STATUS(t, r, 422, "Invalid");
    r = ckc_get(t, ckc_fmt(t, "%s?resourceVersionMatch=Sometimes&resourceVersion=1", coll));
    CKC_STATUS(t, r, 422, "Invalid");
}

static void t_deletecollection_fields(ckc_t *t)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, "configmaps", ns);
    ckc_create(t, "configmaps", ns, "ckc-dc-a", cm_json(t, "ckc-dc-a", "dc"));
    ckc_create(t, "configmaps", ns, "ckc-dc-b", cm_json(t, "ckc-dc-b", "dc"));
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?fieldSelector=metadata.name%%3Dckc-dc-a", coll), NULL), 200);
    json_t *l = list_of(t, ckc_fmt(t, "%s?labelSelector=ckc-am%%3Ddc", coll));
    CKC_CHECK(t, NULL, n_items(l) == 1 && same(ckc_str(l, "items.0.metadata.name"), "ckc-dc-b"),
              "deletecollection by fieldSelector metadata.name=ckc-dc-a must delete only ckc-dc-a");
}

static void t_dry_run_update(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-dry");
    json_t *o = ckc_ownj(t, json_deep_copy(ckc_create(t, "configmaps", ns, "ckc-dry", NULL)));
    json_object_set_new(json_object_get(o, "data"), "a", json_string("dry"));
    ckc_resp *r = ckc_put(t, ckc_fmt(t, "%s?dryRun=All", item), o);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.a"), "dry"), "a dry-run update must answer with the updated object");
    json_t *cur = ckc_fetch(t, "configmaps", ns, "ckc-dry");
    CKC_CHECK(t, NULL, same(ckc_str(cur, "data.a"), "1") && same(ckc_str(cur, "metadata.resourceVersion"),
                                                                 ckc_str(o, "metadata.resourceVersion")),
              "a dry-run update must not be stored");
}

/* json-patch apply errors (a failed "test" op) are 422 (handlers/patch.go applyJSPatch). */
static void t_json_patch_test_op(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-jp");
    ckc_create(t, "configmaps", ns, "ckc-jp", NULL);
    ckc_resp *r = ckc_patch(t, item, CKC_JSON_PATCH,
                            "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"2\"},{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"3\"}]");
    CKC_CODE(t, r, 422);
    CKC_CHECK(t, NULL, same(ckc_str(ckc_fetch(t, "configmaps", ns, "ckc-jp"), "data.a"), "1"), "a failed patch must change nothing");
    r = ckc_patch(t, item, CKC_JSON_PATCH,
                  "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"1\"},{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"3\"}]");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.a"), "3"), "a passing test op must let the patch apply");
}

/* ---- watch ---- */
static json_t *next_ev(ckc_t *t, ckc_watch *w, const char *what)
{
    for (;;) {
        json_t *ev = ckc_watch_next(w, ckc_timeout(t, 10));
        if (!ev) CKC_FAIL(t, "watch (HTTP %ld): no event while waiting for %s", ckc_watch_code(w), what);
        if (!same(ckc_str(ev, "type"), "BOOKMARK")) return ev;
    }
}

static void expect_ev(ckc_t *t, ckc_watch *w, const char *type, const char *ns, const char *name)
{
    json_t *ev = next_ev(t, w, ckc_fmt(t, "%s %s/%s", type, ns, name));
    if (!same(ckc_str(ev, "type"), type) || !same(ckc_str(ev, "object.metadata.name"), name) ||
        (ns && !same(ckc_str(ev, "object.metadata.namespace"), ns))) {
        char *dump = ckc_own(t, json_dumps(ev, JSON_COMPACT), free);
        CKC_FAIL(t, "watch: expected %s %s, got %s", type, name, (char *)ckc_own(t, ckc_excerpt(dump, 300), free));
    }
}

static void t_watch_field_selector(ckc_t *t)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, "configmaps", ns);
    const char *rv = ckc_str(list_of(t, coll), "metadata.resourceVersion");
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1&fieldSelector=metadata.name%%3Dckc-w-a&resourceVersion=%s", coll, rv));
    ckc_create(t, "configmaps", ns, "ckc-w-b", NULL);
    ckc_create(t, "configmaps", ns, "ckc-w-a", NULL);
    expect_ev(t, w, "ADDED", ns, "ckc-w-a");
    CKC_CODE(t, ckc_patch(t, ckc_item(t, "configmaps", ns, "ckc-w-b"), CKC_MERGE_PATCH, "{\"data\":{\"a\":\"2\"}}"), 200);
    CKC_CODE(t, ckc_patch(t, ckc_item(t, "configmaps", ns, "ckc-w-a"), CKC_MERGE_PATCH, "{\"data\":{\"a\":\"2\"}}"), 200);
    expect_ev(t, w, "MODIFIED", ns, "ckc-w-a");
}

static void t_watch_all_namespaces(ckc_t *t)
{
    const char *ns1 = ckc_ns(t), *ns2 = ckc_new_ns(t);
    const char *sel = ckc_fmt(t, "ckc-am%%3D%s", ns1);
    const char *rv = ckc_str(list_of(t, ckc_fmt(t, "/api/v1/configmaps?labelSelector=%s", sel)), "metadata.resourceVersion");
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "/api/v1/configmaps?watch=1&labelSelector=%s&resourceVersion=%s", sel, rv));
    ckc_create(t, "configmaps", ns1, "ckc-x", cm_json(t, "ckc-x", ns1));
    expect_ev(t, w, "ADDED", ns1, "ckc-x");
    ckc_create(t, "configmaps", ns2, "ckc-y", cm_json(t, "ckc-y", ns1));
    expect_ev(t, w, "ADDED", ns2, "ckc-y");
    ckc_resp *r = ckc_delete(t, ckc_item(t, "configmaps", ns2, "ckc-y"), NULL);
    CKC_CODE(t, r, 200);
    expect_ev(t, w, "DELETED", ns2, "ckc-y");
}

/* The event's object is the stored object: same resourceVersion as the write's answer. */
static void t_watch_event_rv(ckc_t *t)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, "pods", ns);
    const char *rv = ckc_str(list_of(t, coll), "metadata.resourceVersion");
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1&resourceVersion=%s", coll, rv));
    json_t *p = ckc_create(t, "pods", ns, "ckc-wp", NULL);
    json_t *ev = next_ev(t, w, "ADDED ckc-wp");
    CKC_CHECK(t, NULL, same(ckc_str(ev, "type"), "ADDED") &&
                           same(ckc_str(ev, "object.metadata.resourceVersion"), ckc_str(p, "metadata.resourceVersion")),
              "the ADDED event must carry the created pod's resourceVersion %s", ckc_str(p, "metadata.resourceVersion"));
    ckc_resp *r = ckc_patch(t, ckc_item(t, "pods", ns, "ckc-wp"), CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"w\":\"1\"}}}");
    CKC_CODE(t, r, 200);
    ev = next_ev(t, w, "MODIFIED ckc-wp");
    CKC_CHECK(t, NULL, same(ckc_str(ev, "type"), "MODIFIED") &&
                           same(ckc_str(ev, "object.metadata.resourceVersion"), ckc_str(r->json, "metadata.resourceVersion")) &&
                           same(ckc_label(ckc_at(ev, "object"), "w"), "1"),
              "the MODIFIED event must carry the patched pod and its resourceVersion");
}

/* ---- Table output (api-concepts#receiving-resources-as-tables) ---- */
#define TABLE_ACCEPT "application/json;as=Table;v=v1;g=meta.k8s.io"
static ckc_resp *get_table(ckc_t *t, const char *path)
{
    ckc_reqspec rq = {.method = "GET", .path = path, .accept = TABLE_ACCEPT};
    ckc_resp *r = ckc_request(t, &rq);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "kind"), "Table") && same(ckc_str(r->json, "apiVersion"), "meta.k8s.io/v1"),
              "Accept as=Table must give a meta.k8s.io/v1 Table");
    return r;
}

/* Percent-encodes everything but unreserved characters (continue tokens are base64). */
static char *url_escape(ckc_t *t, const char *s)
{
    char *out = ckc_own(t, malloc(strlen(s) * 3 + 1), free), *o = out;
    if (!out) CKC_FAIL(t, "out of memory");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c)) *o++ = (char)c;
        else o += sprintf(o, "%%%02X", c);
    }
    *o = 0;
    return out;
}

static int has_column(json_t *table, const char *name)
{
    size_t i; json_t *c;
    json_array_foreach(json_object_get(table, "columnDefinitions"), i, c)
        if (same(ckc_str(c, "name"), name)) return 1;
    return 0;
}

static void t_table_pods(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "pods", ns, "ckc-tp", NULL);
    ckc_resp *r = get_table(t, ckc_coll(t, "pods", ns));
    static const char *const cols[] = {"Name", "Ready", "Status", "Restarts", "Age"};
    for (size_t i = 0; i < 5; i++)
        CKC_CHECK(t, r, has_column(r->json, cols[i]), "a pod Table must have the column %s (kubectl get pods)", cols[i]);
    CKC_CHECK(t, r, json_array_size(json_object_get(r->json, "rows")) == 1 && same(ckc_str(r->json, "rows.0.cells.0"), "ckc-tp"),
              "the Table must have one row whose first cell is the pod name");
    CKC_CHECK(t, r, same(ckc_str(r->json, "rows.0.object.kind"), "PartialObjectMetadata"),
              "rows carry PartialObjectMetadata objects by default (includeObject=Metadata)");
}

static void t_table_single(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "configmaps", ns, "ckc-t1", NULL);
    ckc_resp *r = get_table(t, ckc_item(t, "configmaps", ns, "ckc-t1"));
    CKC_CHECK(t, r, json_array_size(json_object_get(r->json, "rows")) == 1 && same(ckc_str(r->json, "rows.0.cells.0"), "ckc-t1"),
              "GET of one object as Table must give one row for it");
    CKC_CHECK(t, r, has_column(r->json, "Name") && has_column(r->json, "Data"), "a ConfigMap Table has Name and Data columns");
    r = get_table(t, ckc_fmt(t, "%s?includeObject=None", ckc_coll(t, "configmaps", ns)));
    CKC_CHECK(t, r, json_array_size(json_object_get(r->json, "rows")) >= 1 && !ckc_at(r->json, "rows.0.object"),
              "includeObject=None must leave rows without object");
    r = get_table(t, ckc_fmt(t, "%s?includeObject=Object", ckc_coll(t, "configmaps", ns)));
    CKC_CHECK(t, r, same(ckc_str(r->json, "rows.0.object.kind"), "ConfigMap"), "includeObject=Object must embed the full object");
}

static void t_table_chunks(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    for (int i = 0; i < 3; i++) ckc_create(t, "podtemplates", ns, ckc_fmt(t, "ckc-tc-%d", i), NULL);
    ckc_resp *r = get_table(t, ckc_fmt(t, "%s?limit=2", ckc_coll(t, "podtemplates", ns)));
    const char *cont = ckc_str(r->json, "metadata.continue");
    CKC_CHECK(t, r, json_array_size(json_object_get(r->json, "rows")) == 2 && cont && *cont,
              "a Table list with limit=2 must have 2 rows and metadata.continue");
    char *esc = url_escape(t, cont);
    r = get_table(t, ckc_fmt(t, "%s?limit=2&continue=%s", ckc_coll(t, "podtemplates", ns), esc));
    CKC_CHECK(t, r, json_array_size(json_object_get(r->json, "rows")) == 1 && !(ckc_str(r->json, "metadata.continue") &&
                                                                                *ckc_str(r->json, "metadata.continue")),
              "the second Table chunk must hold the last row and no continue token");
}

/* table_conversion.go: SelfSubjectAccessReview has no metadata to tabulate. */
static void t_table_406(ckc_t *t)
{
    ckc_reqspec rq = {.method = "POST", .path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", .accept = TABLE_ACCEPT,
                      .body = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":"
                              "{\"resourceAttributes\":{\"verb\":\"list\",\"resource\":\"pods\"}}}"};
    ckc_resp *r = ckc_request(t, &rq);
    CKC_CODE(t, r, 406);
}

/* ---- namespace deletion (namespace.go): cluster, needs the namespace controller ---- */
static void t_ns_pods_removed(ckc_t *t)
{
    const char *ns = ckc_new_ns(t);
    ckc_create(t, "pods", ns, "test-pod", NULL);
    ckc_resp *r = ckc_delete(t, ckc_fmt(t, "/api/v1/namespaces/%s", ns), NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "deleting the namespace must answer 200 or 202");
    ckc_wait_gone(t, ckc_fmt(t, "/api/v1/namespaces/%s", ns), 120);
    r = ckc_get(t, ckc_fmt(t, "/api/v1/pods?fieldSelector=metadata.namespace%%3D%s", ns));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, n_items(r->json) == 0, "no pod of the deleted namespace may remain");
}

#define RV_DOC "https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions"
#define CONCEPTS(x) "https://kubernetes.io/docs/reference/using-api/api-concepts/" x
#define DELOPT "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/delete-options/"
const ckc_test ckc_tests_apimachinery[] = {
    {"api.concurrency.update-stale", "PUT with a stale resourceVersion is 409 Conflict and stores nothing", CKC_PROFILE_API,
     NULL, RV_DOC, "v1/configmaps", t_occ_update},
    {"api.concurrency.patch-stale", "a patch carrying a stale resourceVersion is 409 Conflict", CKC_PROFILE_API, NULL, RV_DOC,
     "v1/configmaps", t_occ_patch},
    {"api.concurrency.status-stale", "PUT /status with a stale resourceVersion is 409 Conflict", CKC_PROFILE_API, NULL, RV_DOC,
     "v1/services/status", t_occ_status},
    {"api.concurrency.scale-stale", "PUT /scale with a stale resourceVersion is 409 Conflict", CKC_PROFILE_API, NULL, RV_DOC,
     "apps/v1/deployments/scale", t_occ_scale},
    {"api.concurrency.delete-precondition-rv", "DELETE with a stale preconditions.resourceVersion is 409", CKC_PROFILE_API,
     NULL, DELOPT, "v1/configmaps", t_occ_delete_rv},
    {"api.concurrency.delete-precondition-uid", "DELETE with a wrong preconditions.uid is 409", CKC_PROFILE_API, NULL, DELOPT,
     "v1/configmaps", t_occ_delete_uid},
    {"api.concurrency.unconditional-update", "PUT without resourceVersion is an unconditional update", CKC_PROFILE_API, NULL,
     RV_DOC, "v1/configmaps", t_occ_unconditional},
    {"api.fieldvalidation.update", "PUT: Strict rejects an unknown field (400), Warn warns", CKC_PROFILE_API, NULL, FV_DOC,
     "v1/configmaps", t_fv_update_strict},
    {"api.fieldvalidation.patch", "merge patch: Strict rejects an unknown field (400), Ignore drops it", CKC_PROFILE_API, NULL,
     FV_DOC, "v1/configmaps", t_fv_patch_strict},
    {"api.fieldvalidation.default-warn", "without fieldValidation an unknown field is a Warning", CKC_PROFILE_API, NULL,
     FV_DOC, "v1/configmaps", t_fv_default_warn},
    {"api.fieldvalidation.bad-directive", "an unknown fieldValidation value is 422 Invalid", CKC_PROFILE_API, NULL, FV_DOC,
     "v1/configmaps", t_fv_bad_directive},
    {"api.request.name-mismatch", "PUT whose body names another object is 400 BadRequest", CKC_PROFILE_API, NULL,
     CONCEPTS("#standard-api-terminology"), "v1/configmaps", t_name_mismatch},
    {"api.request.namespace-mismatch", "POST whose body names another namespace is 400 BadRequest", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/", "v1/configmaps", t_namespace_mismatch},
    {"api.request.kind-mismatch", "POST of another kind to a collection is 400 and stores nothing", CKC_PROFILE_API, NULL,
     CONCEPTS("#standard-api-terminology"), "v1/configmaps", t_kind_mismatch},
    {"api.request.unknown-resource", "an unknown resource or group is 404", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/overview/kubernetes-api/", "", t_unknown_resource},
    {"api.request.method-not-allowed", "POST to an object path is 405", CKC_PROFILE_API, NULL,
     CONCEPTS("#api-verbs"), "v1/configmaps", t_method_not_allowed},
    {"api.metadata.system-fields", "updates keep creationTimestamp and uid; changing uid is 422", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/", "v1/configmaps", t_system_fields},
    {"api.metadata.generation", "generation is 1 on create and bumped by spec changes only", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/", "apps/v1/deployments",
     t_generation},
    {"api.list.options-invalid", "resourceVersionMatch without a usable resourceVersion is 422", CKC_PROFILE_API, NULL,
     CONCEPTS("#semantics-for-get-and-list"), "v1/configmaps", t_list_options},
    {"api.deletecollection.field-selector", "deletecollection honours a field selector", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/", "v1/configmaps",
     t_deletecollection_fields},
    {"api.dryrun.update", "PUT ?dryRun=All answers the update and stores nothing", CKC_PROFILE_API, NULL, CONCEPTS("#dry-run"),
     "v1/configmaps", t_dry_run_update},
    {"api.patch.json-patch-test", "a failing json-patch test op is 422 and applies nothing", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/", "v1/configmaps",
     t_json_patch_test_op},
    {"api.watchopt.field-selector", "a watch with fieldSelector metadata.name sees only that object", CKC_PROFILE_API, NULL,
     CONCEPTS("#efficient-detection-of-changes"), "v1/configmaps", t_watch_field_selector},
    {"api.watchopt.all-namespaces", "a cluster-wide watch sees objects of every namespace", CKC_PROFILE_API, NULL,
     CONCEPTS("#efficient-detection-of-changes"), "v1/configmaps", t_watch_all_namespaces},
    {"api.watchopt.event-resource-version", "watch events carry the stored object and its resourceVersion", CKC_PROFILE_API,
     NULL, CONCEPTS("#efficient-detection-of-changes"), "v1/pods", t_watch_event_rv},
    {"api.table.pods", "pods as Table: kubectl's columns, one row per pod, metadata objects", CKC_PROFILE_API, NULL,
     CONCEPTS("#receiving-resources-as-tables"), "v1/pods", t_table_pods},
    {"api.table.single-and-include-object", "one object as Table; includeObject None and Object", CKC_PROFILE_API, NULL,
     CONCEPTS("#receiving-resources-as-tables"), "v1/configmaps", t_table_single},
    {"api.table.chunks", "a Table list honours limit and continue", CKC_PROFILE_API, NULL,
     CONCEPTS("#receiving-resources-as-tables"), "v1/podtemplates", t_table_chunks},
    {"api.table.no-metadata-406", "Table for a resource without metadata is 406", CKC_PROFILE_API,
     "[sig-api-machinery] Servers with support for Table transformation should return a 406 for a backend which does not "
     "implement metadata [Conformance]", NULL, "authorization.k8s.io/v1/selfsubjectaccessreviews", t_table_406},
    {"cluster.namespaces.pods-removed", "deleting a namespace removes its pods", CKC_PROFILE_CLUSTER,
     "[sig-api-machinery] Namespaces [Serial] should ensure that all pods are removed when a namespace is deleted "
     "[Conformance]", NULL, "v1/namespaces v1/pods", t_ns_pods_removed},
    {0},
};
