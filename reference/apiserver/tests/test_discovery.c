/* test_discovery.c: /api, /apis, group and resource lists, aggregated
 * discovery negotiation and /version, checked against the kind table and
 * upstream's shapes (kubectl get --raw /api/v1 on a real cluster). */
#include <stdlib.h>
#include <string.h>
#include "util/cktest.h"
#include "apiserver/discovery.h"
#include "util/ckjson.h"

static const char *no_query(const ck_req *r, const char *k) { return NULL; }

/* GETs path with accept; returns the parsed body (new ref) and fills code/ctype. */
static json_t *get(const char *path, const char *accept, int *code, const char **ctype)
{
    ck_req req = {.method = "GET", .path = path, .accept = accept, .query = no_query};
    ck_resp resp = {0};
    json_t *body = NULL;
    if (ck_discovery_serve(&req, &resp)) {
        *code = resp.code;
        if (ctype) *ctype = resp.content_type;
        body = json_loadb(resp.body, resp.len, 0, NULL);
    } else {
        *code = -1;
    }
    free(resp.body);
    json_decref(resp.headers);
    return body;
}

static const ck_kind *find_kind(const char *group, const char *resource)
{
    for (size_t i = 0; i < ck_kinds_count; i++)
        if (!strcmp(ck_kinds[i].group, group) && !strcmp(ck_kinds[i].resource, resource))
            return &ck_kinds[i];
    return NULL;
}

static json_t *find_named(json_t *arr, const char *key, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *n = json_string_value(json_object_get(v, key));
        if (n && !strcmp(n, name)) return v;
    }
    return NULL;
}

static void test_api_versions(void)
{
    int code;
    json_t *b = get("/api", "application/json", &code, NULL);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "kind")), "APIVersions");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(b, "versions"), 0)), "v1");
    CU_ASSERT_PTR_NOT_NULL(json_object_get(b, "serverAddressByClientCIDRs"));
    json_decref(b);
}

/* Every kind of the table appears in its group version's list with its
 * kind, scope, verbs and short names; subresources as "<res>/<sub>". */
static void test_resource_lists_cover_table(void)
{
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        char path[256];
        if (k->group[0]) snprintf(path, sizeof path, "/apis/%s/%s", k->group, k->version);
        else snprintf(path, sizeof path, "/api/%s", k->version);
        int code;
        json_t *b = get(path, NULL, &code, NULL);
        CU_ASSERT_EQUAL(code, 200);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "kind")), "APIResourceList");
        json_t *res = json_object_get(b, "resources");
        json_t *r = find_named(res, "name", k->resource);
        CU_ASSERT_PTR_NOT_NULL_FATAL(r);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r, "kind")), k->kind);
        CU_ASSERT_EQUAL(json_is_true(json_object_get(r, "namespaced")), k->namespaced);
        CU_ASSERT_EQUAL(json_array_size(json_object_get(r, "verbs")),
                        ({ size_t n = 0; while (k->verbs && k->verbs[n]) n++; n; }));
        if (k->short_names && k->short_names[0])
            CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(r, "shortNames"), 0)),
                                   k->short_names[0]);
        if (k->subresources & CK_SUB_STATUS) {
            char sub[128];
            snprintf(sub, sizeof sub, "%s/status", k->resource);
            json_t *s = find_named(res, "name", sub);
            CU_ASSERT_PTR_NOT_NULL(s);
            CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(s, "kind")), k->kind);
        }
        /* sorted by name, as upstream lists them */
        for (size_t j = 1; j < json_array_size(res); j++)
            CU_ASSERT(strcmp(json_string_value(json_object_get(json_array_get(res, j - 1), "name")),
                             json_string_value(json_object_get(json_array_get(res, j), "name"))) < 0);
        json_decref(b);
    }
}

/* pods/binding -> Binding, pods/eviction -> policy/v1 Eviction,
 * deployments/scale -> autoscaling/v1 Scale (upstream's discovery). */
static void test_subresource_kinds(void)
{
    int code;
    const ck_kind *pods = find_kind("", "pods");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pods);
    json_t *b = get("/api/v1", NULL, &code, NULL);
    json_t *res = json_object_get(b, "resources");
    CU_ASSERT_PTR_NULL(json_object_get(b, "apiVersion")); /* /api/v1 has none upstream */
    if (pods->subresources & CK_SUB_EVICTION) {
        json_t *e = find_named(res, "name", "pods/eviction");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(e, "group")), "policy");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(e, "version")), "v1");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(e, "kind")), "Eviction");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(e, "verbs"), 0)), "create");
    }
    if (pods->subresources & CK_SUB_BINDING)
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(find_named(res, "name", "pods/binding"), "kind")),
                               "Binding");
    if (pods->subresources & CK_SUB_LOG) {
        json_t *l = find_named(res, "name", "pods/log");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "kind")), "Pod");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l, "singularName")), "");
    }
    json_decref(b);
    const ck_kind *dep = find_kind("apps", "deployments");
    if (dep && (dep->subresources & CK_SUB_SCALE)) {
        b = get("/apis/apps/v1", NULL, &code, NULL);
        json_t *s = find_named(json_object_get(b, "resources"), "name", "deployments/scale");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(s, "group")), "autoscaling");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(s, "kind")), "Scale");
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "apiVersion")), "v1");
        json_decref(b);
    }
}

static void test_group_list(void)
{
    int code;
    json_t *b = get("/apis", "application/json, */*", &code, NULL);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "kind")), "APIGroupList");
    json_t *groups = json_object_get(b, "groups");
    CU_ASSERT_PTR_NULL(find_named(groups, "name", "")); /* core is not a group of /apis */
    for (size_t i = 0; i < ck_kinds_count; i++) {
        if (!ck_kinds[i].group[0]) continue;
        json_t *g = find_named(groups, "name", ck_kinds[i].group);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(g, "preferredVersion"), "groupVersion"));
    }
    json_decref(b);
    b = get("/apis/apps", NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "kind")), "APIGroup");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(b, "preferredVersion"), "groupVersion")),
                           "apps/v1");
    json_decref(b);
    b = get("/apis/nosuch.example.com", NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 404);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "reason")), "NotFound");
    json_decref(b);
    b = get("/apis/apps/v1beta9", NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 404);
    json_decref(b);
    b = get("/api/v1/namespaces/default/pods", NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, -1); /* a resource request: not discovery's */
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT(ck_discovery_is_known_group_version("", "v1"));
    CU_ASSERT(ck_discovery_is_known_group_version("apps", "v1"));
    CU_ASSERT(!ck_discovery_is_known_group_version("apps", "v2"));
}

/* kubectl 1.32's Accept; the Content-Type echoes the chosen profile. */
static void test_aggregated(void)
{
    static const char *kubectl_accept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    int code;
    const char *ct = NULL;
    json_t *b = get("/apis", kubectl_accept, &code, &ct);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_STRING_EQUAL(ct, CK_CT_DISCOVERY_V2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "kind")), "APIGroupDiscoveryList");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "apiVersion")), "apidiscovery.k8s.io/v2");
    json_t *apps = NULL, *it;
    size_t i;
    json_array_foreach(json_object_get(b, "items"), i, it)
        if (!strcmp(ck_json_str(it, "metadata.name", ""), "apps"))
            apps = it;
    CU_ASSERT_PTR_NOT_NULL_FATAL(apps);
    json_t *v1 = json_array_get(json_object_get(apps, "versions"), 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(v1, "freshness")), "Current");
    json_t *dep = find_named(json_object_get(v1, "resources"), "resource", "deployments");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dep);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(dep, "scope")), "Namespaced");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(dep, "responseKind"), "kind")),
                           "Deployment");
    json_t *scale = find_named(json_object_get(dep, "subresources"), "subresource", "scale");
    if (find_kind("apps", "deployments")->subresources & CK_SUB_SCALE)
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(scale, "responseKind"), "group")),
                               "autoscaling");
    json_decref(b);

    b = get("/api", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", &code, &ct);
    CU_ASSERT_STRING_EQUAL(ct, CK_CT_DISCOVERY_V2BETA1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "apiVersion")), "apidiscovery.k8s.io/v2beta1");
    json_t *core = json_array_get(json_object_get(b, "items"), 0);
    CU_ASSERT_PTR_NULL(json_object_get(json_object_get(core, "metadata"), "name"));
    json_t *pods = find_named(json_object_get(json_array_get(json_object_get(core, "versions"), 0), "resources"),
                              "resource", "pods");
    CU_ASSERT_PTR_NOT_NULL(pods);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(pods, "responseKind"), "group")), "");
    json_decref(b);

    /* plain JSON first, or an unknown profile only: the legacy shape */
    b = get("/api", "application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
            &code, &ct);
    CU_ASSERT_PTR_NULL(ct);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "kind")), "APIVersions");
    json_decref(b);
    b = get("/apis", "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json", &code, &ct);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "kind")), "APIGroupList");
    json_decref(b);
}

static void test_version(void)
{
    int code;
    json_t *b = get("/version", NULL, &code, NULL);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(b, "major")), "1");
    const char *gv = json_string_value(json_object_get(b, "gitVersion"));
    char want[32];
    snprintf(want, sizeof want, "v%s.%s.", json_string_value(json_object_get(b, "major")),
             json_string_value(json_object_get(b, "minor")));
    CU_ASSERT_PTR_NOT_NULL_FATAL(gv);
    CU_ASSERT_EQUAL(strncmp(gv, want, strlen(want)), 0);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(b, "platform"));
    json_decref(b);
}

static void test_accept_parse_and_versions(void)
{
    ck_media m[4];
    size_t n = ck_accept_parse(" Application/JSON ; as=Table ;v=v1; g=meta.k8s.io , */*;q=0.8", m, 4);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_STRING_EQUAL(m[0].type, "application/json");
    CU_ASSERT_STRING_EQUAL(m[0].as, "Table");
    CU_ASSERT_STRING_EQUAL(m[0].g, "meta.k8s.io");
    CU_ASSERT_STRING_EQUAL(m[0].v, "v1");
    CU_ASSERT(ck_media_is_json(&m[1]));
    CU_ASSERT_EQUAL(ck_accept_parse(NULL, m, 4), 0);
    /* upstream's ordering: v1 > v1beta2 > v1beta1 > v1alpha1 > foo */
    CU_ASSERT(ck_version_compare("v1", "v1beta2") > 0);
    CU_ASSERT(ck_version_compare("v2", "v1") > 0);
    CU_ASSERT(ck_version_compare("v1beta2", "v1beta1") > 0);
    CU_ASSERT(ck_version_compare("v1beta1", "v2alpha1") > 0);
    CU_ASSERT(ck_version_compare("v1alpha1", "foo") > 0);
}

int main(void)
{
    static const ck_test tests[] = {
        {"/api lists v1", test_api_versions},
        {"resource lists cover the kind table", test_resource_lists_cover_table},
        {"subresource kinds", test_subresource_kinds},
        {"/apis and groups, 404s", test_group_list},
        {"aggregated discovery negotiation", test_aggregated},
        {"/version", test_version},
        {"Accept parsing and version priority", test_accept_parse_and_versions},
        {NULL, NULL},
    };
    return ck_test_main("discovery", tests, NULL, NULL);
}
