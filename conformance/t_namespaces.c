/* t_namespaces.c: the Namespace API beyond CRUD, after
 * test/e2e/apimachinery/namespace.go: update, the status subresource and the
 * finalize subresource (spec.finalizers is written only through it). */
#include "objects.h"
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static void add_label(ckc_t *t, json_t *obj, void *arg)
{
    json_t *meta = json_object_get(obj, "metadata");
    json_t *labels = json_object_get(meta, "labels");
    if (!json_is_object(labels)) { labels = json_object(); json_object_set_new(meta, "labels", labels); }
    json_object_set_new(labels, "e2e-label", arg);
}

static void t_update(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_resp *r = ckc_update(t, ckc_fmt(t, "/api/v1/namespaces/%s", ns), add_label, json_string("updated"));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_label(r->json, "e2e-label"), "updated"), "PUT must store the label");
    CKC_CHECK(t, r, same(ckc_label(r->json, "kubernetes.io/metadata.name"), ns),
              "the kubernetes.io/metadata.name label must stay equal to the name");
}

static int has_condition(json_t *obj, const char *type)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(obj, "status.conditions"), i, c)
        if (same(ckc_str(c, "type"), type)) return 1;
    return 0;
}

static void add_condition(ckc_t *t, json_t *obj, void *arg)
{
    json_t *st = json_object_get(obj, "status");
    if (!json_is_object(st)) { st = json_object(); json_object_set_new(obj, "status", st); }
    json_t *conds = json_object_get(st, "conditions");
    if (!json_is_array(conds)) { conds = json_array(); json_object_set_new(st, "conditions", conds); }
    json_array_append_new(conds, json_pack("{s:s, s:s, s:s, s:s}", "type", "StatusUpdate", "status", "True",
                                           "reason", "E2E", "message", "Updated by ckube-conformance"));
}

static void t_status(ckc_t *t)
{
    const char *ns = ckc_ns(t), *st = ckc_fmt(t, "/api/v1/namespaces/%s/status", ns);
    ckc_resp *r = ckc_get(t, st);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "status.phase"), "Active"), "a new namespace is Active");
    r = ckc_patch(t, st, CKC_MERGE_PATCH,
                  "{\"metadata\":{\"annotations\":{\"e2e-patched-ns-status\":\"" "true\"}},"
                  "\"status\":{\"conditions\":[{\"type\":\"StatusPatch\",\"status\":\"True\",\"reason\":\"E2E\","
                  "\"message\":\"Patched by ckube-conformance\"}]}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, has_condition(r->json, "StatusPatch"), "PATCH /status must apply status.conditions");
    r = ckc_update(t, st, add_condition, NULL);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, has_condition(r->json, "StatusUpdate") && has_condition(r->json, "StatusPatch"),
              "PUT /status must store the new condition next to the patched one");
}

static int has_finalizer(json_t *ns, const char *f)
{
    size_t i; json_t *v;
    json_array_foreach(ckc_at(ns, "spec.finalizers"), i, v)
        if (same(json_string_value(v), f)) return 1;
    return 0;
}

#define FAKE_FINALIZER "e2e.example.com/fakeFinalizer"

static void t_finalize(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_fmt(t, "/api/v1/namespaces/%s", ns);
    ckc_resp *r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, has_finalizer(r->json, "kubernetes"), "a new namespace has spec.finalizers [kubernetes]");
    json_t *o = ckc_ownj(t, json_deep_copy(r->json));
    json_array_append_new(ckc_at(o, "spec.finalizers"), json_string(FAKE_FINALIZER));
    r = ckc_put(t, ckc_fmt(t, "%s/finalize", item), o);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, has_finalizer(r->json, FAKE_FINALIZER) && has_finalizer(r->json, "kubernetes"),
              "PUT /finalize must store spec.finalizers [kubernetes, " FAKE_FINALIZER "]");
    /* Remove it again so the namespace can be deleted at the end of the run. */
    o = ckc_ownj(t, json_deep_copy(r->json));
    json_object_set_new(json_object_get(o, "spec"), "finalizers", json_pack("[s]", "kubernetes"));
    r = ckc_put(t, ckc_fmt(t, "%s/finalize", item), o);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, !has_finalizer(r->json, FAKE_FINALIZER), "PUT /finalize must remove the finalizer again");
}

const ckc_test ckc_tests_namespaces[] = {
    {"api.namespace.update", "PUT on a namespace stores labels; kubernetes.io/metadata.name stays", CKC_PROFILE_API,
     "[sig-api-machinery] Namespaces [Serial] should apply an update to a Namespace [Conformance]", NULL,
     "v1/namespaces", t_update},
    {"api.namespace.status", "namespaces/status accepts PATCH and PUT of status.conditions", CKC_PROFILE_API,
     "[sig-api-machinery] Namespaces [Serial] should apply changes to a namespace status [Conformance]", NULL,
     "v1/namespaces v1/namespaces/status", t_status},
    {"api.namespace.finalize", "namespaces/finalize adds and removes spec.finalizers", CKC_PROFILE_API,
     "[sig-api-machinery] Namespaces [Serial] should apply a finalizer to a Namespace [Conformance]", NULL,
     "v1/namespaces v1/namespaces/finalize", t_finalize},
    {0},
};
