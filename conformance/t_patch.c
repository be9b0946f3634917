/* t_patch.c: PATCH in its three content types: JSON patch (RFC 6902, with
 * "test" failures as 422 and malformed documents as 400), JSON merge patch
 * (RFC 7386, null deletes) and strategic merge patch (lists merged by key,
 * $patch directives), and on the status subresource (spec ignored there,
 * status ignored on the main resource). api-concepts "Patch" and
 * apiserver/pkg/endpoints/handlers/patch.go give the codes. */
#include "objects.h"
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static void t_json_patch(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "ckc-jsonpatch";
    json_t *o = ckc_manifest(t, "configmaps", ns, name);
    json_object_set_new(json_object_get(o, "metadata"), "labels", json_pack("{s:s}", "k", "v"));
    ckc_create(t, "configmaps", ns, name, o);
    const char *item = ckc_item(t, "configmaps", ns, name);
    ckc_resp *r = ckc_patch(t, item, CKC_JSON_PATCH,
                            "[{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"},"
                            "{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"10\"},"
                            "{\"op\":\"add\",\"path\":\"/metadata/labels/example.com~1x\",\"value\":\"y\"}]");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.a"), "10") && same(ckc_str(r->json, "data.b"), "2"),
              "add and replace must give data {a: 10, b: 2}");
    CKC_CHECK(t, r, same(ckc_label(r->json, "example.com/x"), "y"), "~1 in a JSON pointer must stand for '/'");
    r = ckc_patch(t, item, CKC_JSON_PATCH, "[{\"op\":\"remove\",\"path\":\"/data/b\"}]");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, ckc_at(r->json, "data.b") == NULL && same(ckc_str(r->json, "data.a"), "10"), "remove must drop data.b only");
    /* A failed "test" op aborts the whole patch: 422, nothing applied. */
    r = ckc_patch(t, item, CKC_JSON_PATCH,
                  "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"11\"},"
                  "{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"nope\"}]");
    CKC_CODE(t, r, 422);
    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.a"), "10"), "a failed JSON patch must change nothing");
    r = ckc_patch(t, item, CKC_JSON_PATCH, "{\"op\":\"remove\",\"path\":\"/data/a\"}");
    CKC_STATUS(t, r, 400, "BadRequest");
}

static void t_merge_patch(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "ckc-mergepatch";
    json_t *o = ckc_manifest(t, "configmaps", ns, name);
    json_object_set_new(o, "data", json_pack("{s:s, s:s}", "a", "1", "b", "2"));
    json_object_set_new(json_object_get(o, "metadata"), "labels", json_pack("{s:s, s:s}", "keep", "1", "drop", "1"));
    ckc_create(t, "configmaps", ns, name, o);
    ckc_resp *r = ckc_patch(t, ckc_item(t, "configmaps", ns, name), CKC_MERGE_PATCH,
                            "{\"metadata\":{\"labels\":{\"drop\":null,\"new\":\"1\"}},\"data\":{\"a\":null,\"c\":\"3\"}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, !ckc_at(r->json, "data.a") && same(ckc_str(r->json, "data.b"), "2") &&
                        same(ckc_str(r->json, "data.c"), "3"),
              "merge patch must give data {b: 2, c: 3} (null deletes)");
    CKC_CHECK(t, r, same(ckc_label(r->json, "keep"), "1") && same(ckc_label(r->json, "new"), "1") &&
                        !ckc_label(r->json, "drop"),
              "merge patch must give labels {keep, new}");
}

static json_t *two_container_deployment(ckc_t *t, const char *ns, const char *name)
{
    return ckc_parse(t,
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"replicas\":0,"
        "\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},"
        "\"spec\":{\"schedulerName\":\"ckc-no-scheduler\",\"containers\":["
        "{\"name\":\"a\",\"image\":\"registry.k8s.io/pause:3.9\"},{\"name\":\"b\",\"image\":\"registry.k8s.io/pause:3.9\"}]}}}}",
        name, name, name);
}

static void t_strategic(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "ckc-smp";
    ckc_create(t, "deployments", ns, name, two_container_deployment(t, ns, name));
    const char *item = ckc_item(t, "deployments", ns, name);
    /* containers merge by name: only b changes */
    ckc_resp *r = ckc_patch(t, item, CKC_SMP,
                            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"registry.k8s.io/pause:3.10\"}]}}}}");
    CKC_CODE(t, r, 200);
    json_t *cs = ckc_at(r->json, "spec.template.spec.containers");
    CKC_CHECK(t, r, json_array_size(cs) == 2, "a strategic merge patch must merge containers by name (2 remain)");
    CKC_CHECK(t, r, same(ckc_str(cs, "0.name"), "a") && same(ckc_str(cs, "0.image"), "registry.k8s.io/pause:3.9") &&
                        same(ckc_str(cs, "1.name"), "b") && same(ckc_str(cs, "1.image"), "registry.k8s.io/pause:3.10"),
              "container a must be unchanged and b must have the new image");
    r = ckc_patch(t, item, CKC_SMP, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"delete\"}]}}}}");
    CKC_CODE(t, r, 200);
    cs = ckc_at(r->json, "spec.template.spec.containers");
    CKC_CHECK(t, r, json_array_size(cs) == 1 && same(ckc_str(cs, "0.name"), "b"), "$patch: delete must remove container a only");
    /* the same list in a merge patch replaces the whole list */
    r = ckc_patch(t, item, CKC_MERGE_PATCH,
                  "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"z\",\"image\":\"registry.k8s.io/pause:3.9\"}]}}}}");
    CKC_CODE(t, r, 200);
    cs = ckc_at(r->json, "spec.template.spec.containers");
    CKC_CHECK(t, r, json_array_size(cs) == 1 && same(ckc_str(cs, "0.name"), "z"), "a merge patch must replace the list");
}

static int has_condition(json_t *obj, const char *type)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(obj, "status.conditions"), i, c)
        if (same(ckc_str(c, "type"), type)) return 1;
    return 0;
}

static void t_status(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "ckc-status";
    ckc_create(t, "pods", ns, name, NULL);
    const char *item = ckc_item(t, "pods", ns, name);
    ckc_resp *r = ckc_patch(t, ckc_fmt(t, "%s/status", item), CKC_MERGE_PATCH,
                            "{\"spec\":{\"activeDeadlineSeconds\":5},"
                            "\"status\":{\"conditions\":[{\"type\":\"CkcStatusPatched\",\"status\":\"True\"}]}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, has_condition(r->json, "CkcStatusPatched"), "PATCH /status must apply status.conditions");
    CKC_CHECK(t, r, !ckc_at(r->json, "spec.activeDeadlineSeconds"), "PATCH /status must ignore spec changes");
    r = ckc_patch(t, item, CKC_MERGE_PATCH,
                  "{\"metadata\":{\"labels\":{\"ckc\":\"main\"}},"
                  "\"status\":{\"conditions\":[{\"type\":\"CkcMainPatched\",\"status\":\"True\"}]}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_label(r->json, "ckc"), "main"), "PATCH on the pod must apply metadata");
    CKC_CHECK(t, r, !has_condition(r->json, "CkcMainPatched") && has_condition(r->json, "CkcStatusPatched"),
              "PATCH on the pod must ignore status changes");
}

const ckc_test ckc_tests_patch[] = {
    {"api.patch.json-patch", "JSON patch: add/replace/remove, ~1 escapes, failed test op is 422, non-array is 400",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/",
     "v1/configmaps", t_json_patch},
    {"api.patch.merge-patch", "JSON merge patch: maps merge, null deletes a key", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply", "v1/configmaps", t_merge_patch},
    {"api.patch.strategic", "strategic merge patch merges containers by name and honours $patch: delete",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/",
     "apps/v1/deployments", t_strategic},
    {"api.patch.status", "PATCH pods/status changes status only; PATCH pods ignores status", CKC_PROFILE_API,
     "[sig-node] Pods should patch a pod status [Conformance]", NULL, "v1/pods v1/pods/status", t_status},
    {0},
};
