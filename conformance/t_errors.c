/* t_errors.c: the error contract: Status objects and reasons for 400, 404,
 * 405, 406, 409 (AlreadyExists and optimistic-concurrency Conflict), 415,
 * 422; plus generateName, dryRun=All and fieldValidation (Strict / Warn /
 * Ignore) from api-concepts and test/e2e/apimachinery/field_validation.go. */
#include "objects.h"
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }
static int has(const char *s, const char *sub) { return s && sub && strstr(s, sub); }

static void t_not_found(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_resp *r = ckc_get(t, ckc_item(t, "configmaps", ns, "ckc-missing"));
    CKC_STATUS(t, r, 404, "NotFound");
    CKC_CHECK(t, r, same(ckc_str(r->json, "details.name"), "ckc-missing") &&
                        same(ckc_str(r->json, "details.kind"), "configmaps"),
              "details must name the object: {name: ckc-missing, kind: configmaps}");
    CKC_CHECK(t, r, same(ckc_str(r->json, "message"), "configmaps \"ckc-missing\" not found"),
              "message must be: configmaps \"ckc-missing\" not found");
    r = ckc_post(t, ckc_coll(t, "configmaps", ckc_fmt(t, "%s-absent", ns)),
                 ckc_manifest(t, "configmaps", NULL, "ckc-x"));
    CKC_STATUS(t, r, 404, "NotFound");
}

static void t_already_exists(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "configmaps", ns, "ckc-twice", NULL);
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ns), ckc_manifest(t, "configmaps", ns, "ckc-twice"));
    CKC_STATUS(t, r, 409, "AlreadyExists");
    CKC_CHECK(t, r, same(ckc_str(r->json, "details.name"), "ckc-twice") && same(ckc_str(r->json, "details.kind"), "configmaps"),
              "details must be {name: ckc-twice, kind: configmaps}");
    CKC_CHECK(t, r, same(ckc_str(r->json, "message"), "configmaps \"ckc-twice\" already exists"),
              "message must be: configmaps \"ckc-twice\" already exists");
}

static void t_conflict(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-occ");
    ckc_create(t, "configmaps", ns, "ckc-occ", NULL);
    json_t *stale = json_deep_copy(ckc_fetch(t, "configmaps", ns, "ckc-occ"));
    ckc_ownj(t, stale);
    json_t *fresh = json_deep_copy(stale);
    ckc_ownj(t, fresh);
    json_object_set_new(json_object_get(fresh, "data"), "a", json_string("first"));
    CKC_CODE(t, ckc_put(t, item, fresh), 200);
    json_object_set_new(json_object_get(stale, "data"), "a", json_string("second"));
    ckc_resp *r = ckc_put(t, item, stale);
    CKC_STATUS(t, r, 409, "Conflict");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "the object has been modified; please apply your changes to the latest version and try again"),
              "message must say the object has been modified");
    /* a patch that pins a stale resourceVersion conflicts too */
    r = ckc_patch(t, item, CKC_MERGE_PATCH,
                  ckc_fmt(t, "{\"metadata\":{\"resourceVersion\":\"%s\"},\"data\":{\"a\":\"third\"}}",
                          ckc_str(stale, "metadata.resourceVersion")));
    CKC_STATUS(t, r, 409, "Conflict");
    r = ckc_get(t, item);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.a"), "first"), "rejected writes must change nothing");
}

static int has_cause(json_t *status, const char *field)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(status, "details.causes"), i, c)
        if (same(ckc_str(c, "field"), field)) return 1;
    return 0;
}

static void t_invalid(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ns), ckc_manifest(t, "configmaps", ns, "Bad_Name"));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, same(ckc_str(r->json, "details.kind"), "ConfigMap") && same(ckc_str(r->json, "details.name"), "Bad_Name"),
              "details must be {kind: ConfigMap, name: Bad_Name}");
    CKC_CHECK(t, r, has_cause(r->json, "metadata.name"), "details.causes must include field metadata.name");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "ConfigMap \"Bad_Name\" is invalid"),
              "message must start: ConfigMap \"Bad_Name\" is invalid");
}

static void empty_key(ckc_t *t, const char *resource, const char *value)
{
    const char *ns = ckc_ns(t);
    json_t *o = ckc_manifest(t, resource, ns, "ckc-empty-key");
    json_object_set_new(o, "data", json_pack("{s:s}", "", value));
    ckc_resp *r = ckc_post(t, ckc_coll(t, resource, ns), o);
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has_cause(r->json, "data[]"), "details.causes must include field data[]");
}
static void t_cm_empty_key(ckc_t *t) { empty_key(t, "configmaps", "value-1"); }
static void t_secret_empty_key(ckc_t *t) { empty_key(t, "secrets", "dmFsdWUtMQ=="); }

static void t_bad_request(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_reqspec rq = {.method = "POST", .path = ckc_coll(t, "configmaps", ns), .body = "{\"apiVersion\":\"v1\",",
                      .content_type = "application/json"};
    CKC_STATUS(t, ckc_request(t, &rq), 400, "BadRequest");
    /* configmaps support only metadata.name and metadata.namespace field selectors */
    ckc_resp *r = ckc_get(t, ckc_fmt(t, "%s?fieldSelector=data.a%%3D1", ckc_coll(t, "configmaps", ns)));
    CKC_STATUS(t, r, 400, "BadRequest");
    r = ckc_get(t, ckc_fmt(t, "%s?labelSelector=a%%20in%%20%%28", ckc_coll(t, "configmaps", ns)));
    CKC_STATUS(t, r, 400, "BadRequest");
    /* a continue token that does not decode */
    r = ckc_get(t, ckc_fmt(t, "%s?limit=1&continue=not-a-token", ckc_coll(t, "configmaps", ns)));
    CKC_STATUS(t, r, 400, "BadRequest");
}

static void t_media(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "configmaps", ns, "ckc-media", NULL);
    const char *item = ckc_item(t, "configmaps", ns, "ckc-media");
    ckc_reqspec rq = {.method = "GET", .path = item, .accept = "application/xml"};
    CKC_STATUS(t, ckc_request(t, &rq), 406, "NotAcceptable");
    rq = (ckc_reqspec){.method = "POST", .path = ckc_coll(t, "configmaps", ns), .content_type = "text/plain",
                       .body = "{\"metadata\":{\"name\":\"ckc-text\"}}"};
    CKC_STATUS(t, ckc_request(t, &rq), 415, "UnsupportedMediaType");
    /* PATCH requires one of the patch content types */
    CKC_STATUS(t, ckc_patch(t, item, "application/json", "{\"data\":{\"a\":\"2\"}}"), 415, "UnsupportedMediaType");
    /* POST on an item path is not a verb the API has */
    CKC_STATUS(t, ckc_post(t, item, ckc_manifest(t, "configmaps", ns, "ckc-media")), 405, "MethodNotAllowed");
}

static void t_generate_name(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"ckc-gen-\"}}");
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ns), o);
    CKC_CODE(t, r, 201);
    const char *name = ckc_str(r->json, "metadata.name");
    /* upstream appends 5 random characters to the prefix */
    CKC_CHECK(t, r, name && !strncmp(name, "ckc-gen-", 8) && strlen(name) == 13,
              "the name must be ckc-gen- plus 5 characters, got %s", name ? name : "(none)");
    CKC_CHECK(t, r, same(ckc_str(r->json, "metadata.generateName"), "ckc-gen-"), "generateName must be kept");
    r = ckc_post(t, ckc_coll(t, "configmaps", ns), o);
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, !same(ckc_str(r->json, "metadata.name"), name), "a second create must get a different name");
}

static void t_dry_run(ckc_t *t)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, "configmaps", ns);
    ckc_resp *r = ckc_post(t, ckc_fmt(t, "%s?dryRun=All", coll), ckc_manifest(t, "configmaps", ns, "ckc-dry"));
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, same(ckc_str(r->json, "metadata.name"), "ckc-dry"), "a dry-run create must return the object");
    CKC_STATUS(t, ckc_get(t, ckc_item(t, "configmaps", ns, "ckc-dry")), 404, "NotFound");
    ckc_create(t, "configmaps", ns, "ckc-real", NULL);
    const char *item = ckc_item(t, "configmaps", ns, "ckc-real");
    r = ckc_patch(t, ckc_fmt(t, "%s?dryRun=All", item), CKC_MERGE_PATCH, "{\"data\":{\"a\":\"dry\"}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.a"), "dry"), "a dry-run patch must return the patched object");
    r = ckc_delete(t, ckc_fmt(t, "%s?dryRun=All", item), NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "a dry-run delete must succeed");
    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "data.a"), "1"), "dry-run patch and delete must not persist");
    /* CreateOptions validation: ValidateDryRun gives field.NotSupported and the
     * create handler wraps it in NewInvalid (kind CreateOptions): 422 Invalid.
     * apimachinery/pkg/apis/meta/v1/validation/validation.go */
    CKC_STATUS(t, ckc_post(t, ckc_fmt(t, "%s?dryRun=Maybe", coll), ckc_manifest(t, "configmaps", ns, "ckc-x")), 422,
               "Invalid");
}

/* A deployment with unknown fields and a duplicate key (raw text: JSON libraries dedupe). */
static const char *bad_deployment(ckc_t *t, const char *name)
{
    return ckc_fmt(t,
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\"},"
        "\"spec\":{\"foo\":\"bar\",\"replicas\":0,\"replicas\":0,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},"
        "\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},\"spec\":{\"schedulerName\":\"ckc-no-scheduler\","
        "\"containers\":[{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.9\"}]}}}}", name, name, name);
}

static ckc_resp *post_raw(ckc_t *t, const char *path, const char *body)
{
    ckc_reqspec rq = {.method = "POST", .path = path, .body = body};
    return ckc_request(t, &rq);
}

static void t_field_validation(ckc_t *t)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, "deployments", ns);
    ckc_resp *r = post_raw(t, ckc_fmt(t, "%s?fieldValidation=Strict", coll), bad_deployment(t, "ckc-strict"));
    CKC_STATUS(t, r, 400, "BadRequest");
    const char *msg = ckc_str(r->json, "message");
    /* the duplicate may be reported as "replicas" or with its path: accept both */
    CKC_CHECK(t, r, has(msg, "strict decoding error") && has(msg, "unknown field \"spec.foo\"") &&
                        has(msg, "duplicate field \"") && has(msg, "replicas\""),
              "Strict must reject with: strict decoding error: unknown field \"spec.foo\", duplicate field \"replicas\"");
    r = post_raw(t, ckc_fmt(t, "%s?fieldValidation=Warn", coll), bad_deployment(t, "ckc-warn"));
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, has(r->warning, "unknown field") && has(r->warning, "spec.foo") && has(r->warning, "duplicate field"),
              "Warn must answer with Warning headers naming the unknown and duplicate fields (got '%s')",
              r->warning ? r->warning : "");
    r = post_raw(t, ckc_fmt(t, "%s?fieldValidation=Ignore", coll), bad_deployment(t, "ckc-ignore"));
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, !has(r->warning, "unknown field"), "Ignore must not warn (got '%s')", r->warning ? r->warning : "");
    CKC_CHECK(t, r, !ckc_at(r->json, "spec.foo"), "unknown fields must be dropped");
}

static void t_field_validation_metadata(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_resp *r = post_raw(t, ckc_fmt(t, "%s?fieldValidation=Strict", ckc_coll(t, "configmaps", ns)),
                           "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ckc-meta\","
                           "\"unknownMeta\":\"x\"}}");
    CKC_STATUS(t, r, 400, "BadRequest");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "unknown field \"metadata.unknownMeta\""),
              "message must name unknown field \"metadata.unknownMeta\"");
}


/* DeleteOptions: preconditions that do not hold are 409 Conflict; an
 * unknown propagationPolicy fails ValidateDeleteOptions (422 Invalid). */
static void t_delete_options(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-precond");
    json_t *o = ckc_create(t, "configmaps", ns, "ckc-precond", NULL);
    const char *rv = ckc_str(o, "metadata.resourceVersion");
    ckc_resp *r = ckc_delete(t, item, ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                                 "\"preconditions\":{\"uid\":\"00000000-0000-0000-0000-000000000000\"}}"));
    CKC_STATUS(t, r, 409, "Conflict");
    CKC_CODE(t, ckc_patch(t, item, CKC_MERGE_PATCH, "{\"data\":{\"a\":\"2\"}}"), 200);
    r = ckc_delete(t, item, ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                         "\"preconditions\":{\"resourceVersion\":\"%s\"}}", rv));
    CKC_STATUS(t, r, 409, "Conflict");
    r = ckc_delete(t, item, ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                         "\"propagationPolicy\":\"Sometimes\"}"));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CODE(t, ckc_get(t, item), 200);
    r = ckc_delete(t, item, ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                         "\"preconditions\":{\"uid\":\"%s\"}}", ckc_str(o, "metadata.uid")));
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE with a matching uid precondition must succeed");
}

#define CONCEPTS "https://kubernetes.io/docs/reference/using-api/api-concepts/"
const ckc_test ckc_tests_errors[] = {
    {"api.errors.not-found", "404 NotFound Status with details, also for a missing namespace", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/", "v1/configmaps", t_not_found},
    {"api.errors.already-exists", "409 AlreadyExists on a second create with the same name", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/", "v1/configmaps", t_already_exists},
    {"api.errors.conflict", "optimistic concurrency: a stale resourceVersion is 409 Conflict", CKC_PROFILE_API, NULL,
     CONCEPTS "#resource-versions", "v1/configmaps", t_conflict},
    {"api.errors.invalid", "422 Invalid with details.causes for a bad name", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/", "v1/configmaps", t_invalid},
    {"api.errors.configmap-empty-key", "a ConfigMap with an empty data key is 422 Invalid", CKC_PROFILE_API,
     "[sig-node] ConfigMap should fail to create ConfigMap with empty key [Conformance]", NULL, "v1/configmaps", t_cm_empty_key},
    {"api.errors.secret-empty-key", "a Secret with an empty data key is 422 Invalid", CKC_PROFILE_API,
     "[sig-node] Secrets should fail to create secret due to empty secret key [Conformance]", NULL, "v1/secrets",
     t_secret_empty_key},
    {"api.errors.bad-request", "400 BadRequest for malformed JSON and bad label/field selectors", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/", "v1/configmaps", t_bad_request},
    {"api.errors.media-types", "406 for an unacceptable Accept, 415 for an unsupported body type, 405 for POST on an item",
     CKC_PROFILE_API, NULL, CONCEPTS "#alternate-representations-of-resources", "v1/configmaps", t_media},
    {"api.errors.generate-name", "generateName gives prefix + 5 random characters, unique per create", CKC_PROFILE_API,
     NULL, CONCEPTS "#generated-values", "v1/configmaps", t_generate_name},
    {"api.errors.dry-run", "dryRun=All create/patch/delete answer as usual but persist nothing", CKC_PROFILE_API, NULL,
     CONCEPTS "#dry-run", "v1/configmaps", t_dry_run},
    {"api.errors.field-validation", "fieldValidation Strict rejects, Warn warns, Ignore drops unknown and duplicate fields",
     CKC_PROFILE_API, "[sig-api-machinery] FieldValidation should detect unknown and duplicate fields of a typed object [Conformance]",
     NULL, "apps/v1/deployments", t_field_validation},
    {"api.errors.field-validation-metadata", "fieldValidation=Strict rejects an unknown metadata field", CKC_PROFILE_API,
     "[sig-api-machinery] FieldValidation should detect unknown metadata fields of a typed object [Conformance]", NULL,
     "v1/configmaps", t_field_validation_metadata},
    {"api.errors.delete-options", "DELETE preconditions (uid, resourceVersion) are 409; a bad propagationPolicy is 422",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/delete-options/",
     "v1/configmaps", t_delete_options},
    {0},
};
