/* test_openapi.c: the OpenAPI v2 and v3 documents: every $ref resolves, every
 * kind has a definition with its GVK, strategic-merge keys come from the
 * schema, and every PATCH operation of a GVK has the fieldValidation query
 * parameter (what kubectl's QueryParamVerifierV3 looks for). */
#include <stdlib.h>
#include <string.h>
#include "util/cktest.h"
#include "apiserver/openapi.h"
#include "apiserver/discovery.h"

static const char *hash_query(const ck_req *r, const char *k)
{
    return !strcmp(k, "hash") ? (const char *)r->impl : NULL;
}

static json_t *fetch(const char *path, const char *accept, const char *hash, int *code, json_t **headers)
{
    ck_req req = {.method = "GET", .path = path, .accept = accept, .query = hash_query, .impl = (void *)hash};
    ck_resp resp = {0};
    *code = ck_openapi_serve(&req, &resp) ? resp.code : -1;
    json_t *b = resp.body ? json_loadb(resp.body, resp.len, 0, NULL) : NULL;
    free(resp.body);
    if (headers) *headers = resp.headers;
    else json_decref(resp.headers);
    return b;
}

/* Counts $refs under v that do not resolve in defs (prefix stripped). */
static int dangling(const json_t *v, const json_t *defs, const char *prefix)
{
    int bad = 0;
    if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach((json_t *)v, key, x) {
            if (!strcmp(key, "$ref")) {
                const char *r = json_string_value(x);
                if (!r || strncmp(r, prefix, strlen(prefix)) || !json_object_get(defs, r + strlen(prefix))) {
                    fprintf(stderr, "dangling %s\n", r ? r : "?");
                    bad++;
                }
            } else {
                bad += dangling(x, defs, prefix);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach((json_t *)v, i, x) bad += dangling(x, defs, prefix);
    }
    return bad;
}

static bool gvk_matches(const json_t *ext, const ck_kind *k)
{
    return ext && !strcmp(json_string_value(json_object_get(ext, "group")), k->group) &&
           !strcmp(json_string_value(json_object_get(ext, "version")), k->version) &&
           !strcmp(json_string_value(json_object_get(ext, "kind")), k->kind);
}

/* Every kind: a definition with x-kubernetes-group-version-kind, and every
 * patch operation of its GVK carries fieldValidation in the query. */
static void check_kinds(const json_t *doc, const json_t *defs, const char *group, const char *version)
{
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        if (group && (strcmp(k->group, group) || strcmp(k->version, version))) continue;
        char name[256];
        json_t *d = json_object_get(defs, ck_openapi_def_name(k->group, k->version, k->kind, name, sizeof name));
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        CU_ASSERT(gvk_matches(json_array_get(json_object_get(d, "x-kubernetes-group-version-kind"), 0), k));
        int patches = 0;
        const char *path;
        json_t *item;
        json_object_foreach(json_object_get(doc, "paths"), path, item) {
            json_t *op = json_object_get(item, "patch");
            if (!op || !gvk_matches(json_object_get(op, "x-kubernetes-group-version-kind"), k)) continue;
            patches++;
            bool found = false;
            size_t j;
            json_t *p;
            json_array_foreach(json_object_get(op, "parameters"), j, p)
                if (!strcmp(json_string_value(json_object_get(p, "name")), "fieldValidation") &&
                    !strcmp(json_string_value(json_object_get(p, "in")), "query"))
                    found = true;
            CU_ASSERT(found);
        }
        bool patchable = false;
        for (const char *const *v = k->verbs; v && *v; v++) patchable |= !strcmp(*v, "patch");
        CU_ASSERT(!patchable || patches > 0);
    }
}

static const json_t *resolve(const json_t *s, const json_t *defs)
{
    for (int hops = 0; s && hops < 4; hops++) {
        const json_t *all = json_array_get(json_object_get(s, "allOf"), 0);
        const char *ref = json_string_value(json_object_get(all ? all : s, "$ref"));
        if (!ref) return s;
        s = json_object_get(defs, strrchr(ref, '/') + 1);
    }
    return s;
}

/* Walks a ck_field tree beside its schema: every property is there, with
 * the array's patch merge key and strategy. */
static void walk(const ck_field *f, const json_t *schema, const json_t *defs, int depth)
{
    schema = resolve(schema, defs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(schema);
    if (depth > 10) return;
    if (f->type == CK_OBJECT) {
        for (const ck_field *c = f->fields; c && c->name; c++) {
            const json_t *p = json_object_get(json_object_get(schema, "properties"), c->name);
            CU_ASSERT_PTR_NOT_NULL(p);
            if (p) walk(c, p, defs, depth + 1);
        }
    } else if (f->type == CK_ARRAY) {
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(schema, "type")), "array");
        const char *mk = json_string_value(json_object_get(schema, "x-kubernetes-patch-merge-key"));
        const char *ps = json_string_value(json_object_get(schema, "x-kubernetes-patch-strategy"));
        CU_ASSERT((!mk && !f->merge_key) || (mk && f->merge_key && !strcmp(mk, f->merge_key)));
        CU_ASSERT((!ps && !f->patch_strategy) || (ps && f->patch_strategy && !strcmp(ps, f->patch_strategy)));
        if (f->items) walk(f->items, json_object_get(schema, "items"), defs, depth + 1);
    } else if (f->type == CK_MAP && f->items) {
        walk(f->items, json_object_get(schema, "additionalProperties"), defs, depth + 1);
    }
}

/* ck_oa_schema on a hand-made tree: types, required, defaults, refs, patch keys. */
static void test_schema_conversion(void)
{
    static const ck_field port[] = {
        {.name = "containerPort", .type = CK_INT, .flags = CK_F_REQUIRED},
        {.name = "protocol", .type = CK_STRING, .dflt = "\"TCP\"", .description = "Protocol."},
        {.name = "hostIP", .type = CK_INT_OR_STRING}, {0}};
    static const ck_field port_item = {.name = "", .type = CK_OBJECT, .fields = port};
    static const ck_field quantity = {.name = "", .type = CK_QUANTITY};
    static const ck_field fields[] = {
        {.name = "ports", .type = CK_ARRAY, .items = &port_item, .merge_key = "containerPort",
         .patch_strategy = "merge"},
        {.name = "limits", .type = CK_MAP, .items = &quantity},
        {.name = "started", .type = CK_TIME}, {.name = "raw", .type = CK_ANY}, {0}};
    static const ck_field root = {.name = "", .type = CK_OBJECT, .fields = fields};
    for (int v3 = 0; v3 < 2; v3++) {
        ck_oa c = {v3, json_object()};
        json_t *s = ck_oa_schema(&c, &root);
        json_t *props = json_object_get(s, "properties");
        json_t *ports = json_object_get(props, "ports");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ports, "x-kubernetes-patch-merge-key")), "containerPort");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ports, "x-kubernetes-patch-strategy")), "merge");
        json_t *item = json_object_get(ports, "items");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(item, "required"), 0)), "containerPort");
        json_t *proto = json_object_get(json_object_get(item, "properties"), "protocol");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(proto, "default")), "TCP");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(proto, "description")), "Protocol.");
        CU_ASSERT_PTR_NOT_NULL(json_object_get(c.defs, "io.k8s.apimachinery.pkg.api.resource.Quantity"));
        CU_ASSERT_PTR_NOT_NULL(json_object_get(c.defs, "io.k8s.apimachinery.pkg.util.intstr.IntOrString"));
        CU_ASSERT_PTR_NOT_NULL(json_object_get(c.defs, "io.k8s.apimachinery.pkg.apis.meta.v1.Time"));
        const char *ref = json_string_value(json_object_get(
            json_object_get(json_object_get(props, "limits"), "additionalProperties"), "$ref"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
        CU_ASSERT_EQUAL(strncmp(ref, v3 ? "#/components/schemas/" : "#/definitions/", v3 ? 21 : 14), 0);
        CU_ASSERT_EQUAL(dangling(s, c.defs, v3 ? "#/components/schemas/" : "#/definitions/"), 0);
        json_decref(s);
        json_decref(c.defs);
    }
}

static void test_v2(void)
{
    int code;
    json_t *d = fetch("/openapi/v2", "application/json", NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(d, "swagger")), "2.0");
    json_t *defs = json_object_get(d, "definitions");
    CU_ASSERT_EQUAL(dangling(d, defs, "#/definitions/"), 0);
    check_kinds(d, defs, NULL, NULL);
    /* strategic merge keys and strategies follow the kind table's schemas */
    for (size_t i = 0; i < ck_kinds_count; i++) {
        char name[256];
        const ck_kind *k = &ck_kinds[i];
        if (k->root && k->root->type == CK_OBJECT)
            walk(k->root, json_object_get(defs, ck_openapi_def_name(k->group, k->version, k->kind, name,
                                                                    sizeof name)), defs, 0);
    }
    /* v2 parameters carry their type inline */
    json_t *post = json_object_get(json_object_get(json_object_get(d, "paths"),
                                                   "/api/v1/namespaces/{namespace}/pods"), "post");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(post, "operationId")), "createCoreV1NamespacedPod");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(post, "x-kubernetes-action")), "post");
    json_t *body = json_array_get(json_object_get(post, "parameters"), json_array_size(json_object_get(post, "parameters")) - 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(body, "in")), "body");
    CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(d, "paths"), "/api/v1/pods"));
    json_decref(d);
    /* protobuf only: not served */
    d = fetch("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 406);
    json_decref(d);
}

static void test_v3(void)
{
    int code;
    json_t *index = fetch("/openapi/v3", NULL, NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 200);
    json_t *paths = json_object_get(index, "paths");
    CU_ASSERT_PTR_NOT_NULL(json_object_get(paths, "api/v1"));
    CU_ASSERT_PTR_NOT_NULL(json_object_get(paths, "apis/apps/v1"));
    const char *gv;
    json_t *entry;
    json_object_foreach(paths, gv, entry) {
        const char *url = json_string_value(json_object_get(entry, "serverRelativeURL"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(url);
        const char *q = strstr(url, "?hash=");
        CU_ASSERT_PTR_NOT_NULL_FATAL(q);
        char path[256];
        snprintf(path, sizeof path, "%.*s", (int)(q - url), url);
        json_t *headers = NULL;
        json_t *doc = fetch(path, "application/json", q + 6, &code, &headers);
        CU_ASSERT_EQUAL(code, 200);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(headers, "Cache-Control")), "public, immutable");
        json_decref(headers);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc, "openapi")), "3.0.0");
        json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
        CU_ASSERT_EQUAL(dangling(doc, schemas, "#/components/schemas/"), 0);
        char group[128] = "", version[32] = "";
        if (!strncmp(gv, "apis/", 5)) sscanf(gv + 5, "%127[^/]/%31s", group, version);
        else sscanf(gv + 4, "%31s", version);
        CU_ASSERT(ck_discovery_is_known_group_version(group, version));
        check_kinds(doc, schemas, group, version);
        /* v3 parameters carry a schema */
        json_t *item = json_object_get(json_object_get(doc, "paths"), "/api/v1/namespaces/{namespace}/pods/{name}");
        if (item) {
            json_t *p0 = json_array_get(json_object_get(item, "parameters"), 0);
            CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(p0, "schema"), "type")), "string");
            CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(json_object_get(item, "patch"), "requestBody"), "content"));
        }
        json_decref(doc);
    }
    json_decref(index);
    json_t *d = fetch("/openapi/v3/apis/nosuch/v1", NULL, NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 404);
    json_decref(d);
    CU_ASSERT_PTR_NULL(fetch("/apis/apps/v1", NULL, NULL, &code, NULL));
    CU_ASSERT_EQUAL(code, -1);
}

static void test_def_names(void)
{
    char b[128];
    CU_ASSERT_STRING_EQUAL(ck_openapi_def_name("", "v1", "Pod", b, sizeof b), "io.k8s.api.core.v1.Pod");
    CU_ASSERT_STRING_EQUAL(ck_openapi_def_name("apps", "v1", "Deployment", b, sizeof b), "io.k8s.api.apps.v1.Deployment");
    CU_ASSERT_STRING_EQUAL(ck_openapi_def_name("coordination.k8s.io", "v1", "Lease", b, sizeof b),
                           "io.k8s.api.coordination.v1.Lease");
    CU_ASSERT_STRING_EQUAL(ck_openapi_def_name("apiextensions.k8s.io", "v1", "CustomResourceDefinition", b, sizeof b),
                           "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
}

int main(void)
{
    static const ck_test tests[] = {
        {"definition names", test_def_names},
        {"schema conversion", test_schema_conversion},
        {"swagger 2.0 document", test_v2},
        {"OpenAPI v3 index and group versions", test_v3},
        {NULL, NULL},
    };
    return ck_test_main("openapi", tests, NULL, NULL);
}
