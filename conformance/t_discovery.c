/* t_discovery.c: discovery documents: /version, /api, /api/v1, /apis,
 * /apis/<group>[/<version>], and aggregated discovery (apidiscovery.k8s.io/v2),
 * after test/e2e/apimachinery/{server_version,discovery,aggregated_discovery}.go. */
#include "harness.h"
#include <string.h>

#define AGG_ACCEPT "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

static int has_string(json_t *arr, const char *s)
{
    size_t i; json_t *v;
    json_array_foreach(arr, i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), s)) return 1;
    return 0;
}

static json_t *find_named(json_t *arr, const char *key, const char *name)
{
    size_t i; json_t *v;
    json_array_foreach(arr, i, v) {
        const char *n = ckc_str(v, key);
        if (n && !strcmp(n, name)) return v;
    }
    return NULL;
}

static void t_version(ckc_t *t)
{
    ckc_resp *r = ckc_get(t, "/version");
    CKC_CODE(t, r, 200);
    const char *major = ckc_str(r->json, "major"), *minor = ckc_str(r->json, "minor");
    const char *git = ckc_str(r->json, "gitVersion");
    CKC_CHECK(t, r, major && *major && minor && *minor, "major and minor must be non-empty strings");
    /* upstream: gitVersion is semver-like, "v1.30.2" */
    CKC_CHECK(t, r, git && git[0] == 'v' && strchr(git, '.'), "gitVersion must look like v<major>.<minor>.<patch>");
}

static const char *const all_verbs[] = {"create", "delete", "deletecollection", "get",
                                        "list", "patch", "update", "watch"};

static void t_core(ckc_t *t)
{
    ckc_resp *r = ckc_get(t, "/api");
    CKC_CODE(t, r, 200);
    const char *kind = ckc_str(r->json, "kind");
    CKC_CHECK(t, r, kind && !strcmp(kind, "APIVersions"), "kind must be APIVersions");
    CKC_CHECK(t, r, has_string(ckc_at(r->json, "versions"), "v1"), "versions must contain v1");
    r = ckc_get(t, "/api/v1");
    CKC_CODE(t, r, 200);
    kind = ckc_str(r->json, "kind");
    const char *gv = ckc_str(r->json, "groupVersion");
    CKC_CHECK(t, r, kind && !strcmp(kind, "APIResourceList") && gv && !strcmp(gv, "v1"),
              "expected kind APIResourceList, groupVersion v1");
    json_t *res = ckc_at(r->json, "resources");
    json_t *cm = find_named(res, "name", "configmaps");
    CKC_CHECK(t, r, cm != NULL, "configmaps missing from /api/v1");
    CKC_CHECK(t, r, json_is_true(ckc_at(cm, "namespaced")), "configmaps must be namespaced");
    const char *k = ckc_str(cm, "kind");
    CKC_CHECK(t, r, k && !strcmp(k, "ConfigMap"), "configmaps kind must be ConfigMap");
    for (size_t i = 0; i < sizeof all_verbs / sizeof all_verbs[0]; i++)
        CKC_CHECK(t, r, has_string(ckc_at(cm, "verbs"), all_verbs[i]), "configmaps verbs lack %s", all_verbs[i]);
    json_t *ns = find_named(res, "name", "namespaces");
    CKC_CHECK(t, r, ns && json_is_false(ckc_at(ns, "namespaced")), "namespaces must be listed, cluster-scoped");
    CKC_CHECK(t, r, find_named(res, "name", "pods/status") != NULL, "subresource pods/status must be listed");
}

static void t_groups_preferred(ckc_t *t)
{
    ckc_resp *r = ckc_get(t, "/apis");
    CKC_CODE(t, r, 200);
    const char *kind = ckc_str(r->json, "kind");
    CKC_CHECK(t, r, kind && !strcmp(kind, "APIGroupList"), "kind must be APIGroupList");
    size_t i; json_t *g;
    json_t *groups = ckc_at(r->json, "groups");
    CKC_CHECK(t, r, json_array_size(groups) > 0, "no API groups");
    json_array_foreach(groups, i, g) {
        const char *name = ckc_str(g, "name");
        const char *pref = ckc_str(g, "preferredVersion.groupVersion");
        CKC_CHECK(t, r, name && pref, "group %zu lacks name or preferredVersion", i);
        CKC_CHECK(t, r, find_named(ckc_at(g, "versions"), "groupVersion", pref) != NULL,
                  "group %s: preferredVersion %s is not among its versions", name, pref);
        ckc_resp *gr = ckc_get(t, ckc_fmt(t, "/apis/%s", name));
        CKC_CODE(t, gr, 200);
        const char *gk = ckc_str(gr->json, "kind"), *gp = ckc_str(gr->json, "preferredVersion.groupVersion");
        CKC_CHECK(t, gr, gk && !strcmp(gk, "APIGroup"), "kind must be APIGroup");
        CKC_CHECK(t, gr, gp && !strcmp(gp, pref), "preferredVersion must equal /apis' %s", pref);
    }
}

static void t_group_versions(ckc_t *t)
{
    ckc_resp *r = ckc_get(t, "/apis");
    CKC_CODE(t, r, 200);
    size_t i, k; json_t *g, *v;
    int saw_apps = 0;
    json_array_foreach(ckc_at(r->json, "groups"), i, g)
        json_array_foreach(ckc_at(g, "versions"), k, v) {
            const char *gv = ckc_str(v, "groupVersion");
            CKC_CHECK(t, r, gv != NULL, "a version of group %s lacks groupVersion", ckc_str(g, "name"));
            ckc_resp *vr = ckc_get(t, ckc_fmt(t, "/apis/%s", gv));
            CKC_CODE(t, vr, 200);
            const char *got = ckc_str(vr->json, "groupVersion"), *kind = ckc_str(vr->json, "kind");
            CKC_CHECK(t, vr, kind && !strcmp(kind, "APIResourceList"), "kind must be APIResourceList");
            CKC_CHECK(t, vr, got && !strcmp(got, gv), "groupVersion must be %s", gv);
            if (!strcmp(gv, "apps/v1")) {
                saw_apps = 1;
                CKC_CHECK(t, vr, find_named(ckc_at(vr->json, "resources"), "name", "deployments") != NULL,
                          "apps/v1 must serve deployments");
            }
        }
    CKC_CHECK(t, r, saw_apps, "/apis must list apps/v1");
}

/* GET path with Accept; expects the aggregated document. */
static ckc_resp *get_aggregated(ckc_t *t, const char *path, const char *accept)
{
    ckc_reqspec rq = {.method = "GET", .path = path, .accept = accept};
    ckc_resp *r = ckc_request(t, &rq);
    CKC_CODE(t, r, 200);
    const char *ct = r->content_type ? r->content_type : "";
    CKC_CHECK(t, r, strstr(ct, "g=apidiscovery.k8s.io") && strstr(ct, "v=v2") &&
                        strstr(ct, "as=APIGroupDiscoveryList"),
              "Accept %s: Content-Type must name apidiscovery.k8s.io/v2 APIGroupDiscoveryList, was '%s'",
              accept, ct);
    const char *kind = ckc_str(r->json, "kind"), *av = ckc_str(r->json, "apiVersion");
    CKC_CHECK(t, r, kind && !strcmp(kind, "APIGroupDiscoveryList") && av &&
                        !strcmp(av, "apidiscovery.k8s.io/v2"),
              "expected kind APIGroupDiscoveryList, apiVersion apidiscovery.k8s.io/v2");
    return r;
}

static void t_aggregated_accept(ckc_t *t)
{
    const char *paths[] = {"/api", "/apis"};
    for (int i = 0; i < 2; i++) {
        get_aggregated(t, paths[i], AGG_ACCEPT);
        /* upstream: a list with a fallback still prefers the aggregated type */
        get_aggregated(t, paths[i], AGG_ACCEPT ",application/json");
    }
    ckc_resp *r = ckc_get(t, "/apis");
    CKC_CODE(t, r, 200);
    const char *kind = ckc_str(r->json, "kind");
    CKC_CHECK(t, r, kind && !strcmp(kind, "APIGroupList"), "plain application/json must give APIGroupList");
}

static void t_aggregated_content(ckc_t *t)
{
    ckc_resp *core = get_aggregated(t, "/api", AGG_ACCEPT);
    json_t *g0 = ckc_at(core->json, "items.0");
    json_t *v1 = find_named(ckc_at(g0, "versions"), "version", "v1");
    CKC_CHECK(t, core, v1 != NULL, "the core group must have version v1");
    json_t *cm = find_named(ckc_at(v1, "resources"), "resource", "configmaps");
    CKC_CHECK(t, core, cm != NULL, "core v1 must list configmaps");
    const char *scope = ckc_str(cm, "scope"), *rk = ckc_str(cm, "responseKind.kind");
    CKC_CHECK(t, core, scope && !strcmp(scope, "Namespaced"), "configmaps scope must be Namespaced");
    CKC_CHECK(t, core, rk && !strcmp(rk, "ConfigMap"), "configmaps responseKind.kind must be ConfigMap");
    CKC_CHECK(t, core, has_string(ckc_at(cm, "verbs"), "watch"), "configmaps verbs must include watch");
    /* upstream: aggregated and unaggregated discovery list the same groups and versions */
    ckc_resp *agg = get_aggregated(t, "/apis", AGG_ACCEPT);
    ckc_resp *plain = ckc_get(t, "/apis");
    CKC_CODE(t, plain, 200);
    size_t i, k; json_t *g, *v;
    json_array_foreach(ckc_at(plain->json, "groups"), i, g) {
        const char *name = ckc_str(g, "name");
        json_t *ag = find_named(ckc_at(agg->json, "items"), "metadata.name", name ? name : "");
        CKC_CHECK(t, agg, ag != NULL, "group %s is in /apis but not in aggregated discovery", name);
        json_array_foreach(ckc_at(g, "versions"), k, v) {
            const char *ver = ckc_str(v, "version");
            CKC_CHECK(t, agg, ver && find_named(ckc_at(ag, "versions"), "version", ver),
                      "group %s version %s missing from aggregated discovery", name, ver);
        }
    }
    CKC_CHECK(t, agg, json_array_size(ckc_at(agg->json, "items")) == json_array_size(ckc_at(plain->json, "groups")),
              "aggregated discovery lists %zu groups, /apis %zu", json_array_size(ckc_at(agg->json, "items")),
              json_array_size(ckc_at(plain->json, "groups")));
}

const ckc_test ckc_tests_discovery[] = {
    {"api.discovery.version", "GET /version returns major, minor and gitVersion", CKC_PROFILE_API,
     "[sig-api-machinery] server version should find the server version [Conformance]", NULL, "", t_version},
    {"api.discovery.core", "/api and /api/v1 list v1 and its resources, verbs and scope", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api", "", t_core},
    {"api.discovery.preferred-version", "every group's preferredVersion is one of its versions and matches /apis/<group>",
     CKC_PROFILE_API, "[sig-api-machinery] Discovery should validate PreferredVersion for each APIGroup [Conformance]",
     NULL, "", t_groups_preferred},
    {"api.discovery.group-versions", "every /apis group version serves an APIResourceList with its groupVersion",
     CKC_PROFILE_API,
     "[sig-api-machinery] Discovery should locate the groupVersion and a resource within each APIGroup [Conformance]",
     NULL, "", t_group_versions},
    {"api.discovery.aggregated-accept", "aggregated discovery is negotiated by the Accept header on /api and /apis",
     CKC_PROFILE_API,
     "[sig-api-machinery] AggregatedDiscovery should support raw aggregated discovery endpoint Accept headers [Conformance]",
     NULL, "", t_aggregated_accept},
    {"api.discovery.aggregated-content", "aggregated discovery lists the same groups and versions as /apis",
     CKC_PROFILE_API, "[sig-api-machinery] AggregatedDiscovery should support aggregated discovery interface [Conformance]",
     NULL, "", t_aggregated_content},
    {0},
};
