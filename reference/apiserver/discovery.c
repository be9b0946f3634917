/* discovery.c: GET /api, /api/v1, /apis, /apis/<g>[/<v>] and /version, built
 * from the kind table. Legacy shapes follow k8s.io/apimachinery/pkg/apis/meta/v1
 * (APIVersions, APIGroupList, APIResourceList); aggregated discovery follows
 * k8s.io/api/apidiscovery/v2 (APIGroupDiscoveryList). */
#include "apiserver/discovery.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "util/ckjson.h"

#define MAX_GROUPS 64
#define MAX_VERSIONS 8

static char server_address[256];

/* Verbs and response kinds as upstream's installer reports them
 * (k8s.io/apiserver/pkg/endpoints/installer.go, pkg/registry/core/pod/rest). */
static const char *const v_get_patch_update[] = {"get", "patch", "update", NULL};
static const char *const v_create[] = {"create", NULL};
static const char *const v_get[] = {"get", NULL};
static const char *const v_create_get[] = {"create", "get", NULL};
static const char *const v_proxy[] = {"create", "delete", "get", "patch", "update", NULL};
static const char *const v_update[] = {"update", NULL};

const ck_subresource ck_subresources[] = {
    {CK_SUB_STATUS, "status", v_get_patch_update, NULL, NULL, NULL, NULL},
    {CK_SUB_SCALE, "scale", v_get_patch_update, "autoscaling", "v1", "Scale", NULL},
    {CK_SUB_BINDING, "binding", v_create, NULL, NULL, "Binding", NULL},
    {CK_SUB_LOG, "log", v_get, NULL, NULL, NULL, NULL},
    {CK_SUB_EXEC, "exec", v_create_get, NULL, NULL, NULL, "ExecOptions"},
    {CK_SUB_PROXY, "proxy", v_proxy, NULL, NULL, NULL, "ProxyOptions"},
    {CK_SUB_FINALIZE, "finalize", v_update, NULL, NULL, NULL, NULL},
    {CK_SUB_EVICTION, "eviction", v_create, "policy", "v1", "Eviction", NULL},
    {CK_SUB_ATTACH, "attach", v_create_get, NULL, NULL, NULL, "AttachOptions"},
    {CK_SUB_PORTFWD, "portforward", v_create_get, NULL, NULL, NULL, "PortForwardOptions"},
    {CK_SUB_EPHEMERAL, "ephemeralcontainers", v_get_patch_update, NULL, NULL, NULL, NULL},
    {CK_SUB_TOKEN, "token", v_create, "authentication.k8s.io", "v1", "TokenRequest", NULL},
};
const size_t ck_subresources_count = sizeof ck_subresources / sizeof ck_subresources[0];

const char *ck_subresource_kind(const ck_kind *k, const ck_subresource *s, char *out, size_t n)
{
    if (s->kind) snprintf(out, n, "%s", s->kind);
    else snprintf(out, n, "%s%s", k->kind, s->kind_suffix ? s->kind_suffix : "");
    return out;
}

void ck_discovery_set_server_address(const char *addr)
{
    snprintf(server_address, sizeof server_address, "%s", addr ? addr : "");
}

/* ---- Accept ------------------------------------------------------------- */
static void trim_copy(char *dst, size_t n, const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len >= n) len = n - 1;
    for (size_t i = 0; i < len; i++) dst[i] = (char)tolower((unsigned char)s[i]);
    dst[len] = '\0';
}

static void media_param(ck_media *m, const char *p, size_t len)
{
    const char *eq = memchr(p, '=', len);
    if (!eq) return;
    char key[16];
    trim_copy(key, sizeof key, p, (size_t)(eq - p));
    /* parameter values are case-sensitive upstream ("Table"); keep original case */
    const char *vs = eq + 1;
    size_t vl = len - (size_t)(eq - p) - 1;
    while (vl && isspace((unsigned char)*vs)) vs++, vl--;
    while (vl && isspace((unsigned char)vs[vl - 1])) vl--;
    char *dst = NULL;
    size_t cap = 0;
    if (!strcmp(key, "as")) dst = m->as, cap = sizeof m->as;
    else if (!strcmp(key, "g")) dst = m->g, cap = sizeof m->g;
    else if (!strcmp(key, "v")) dst = m->v, cap = sizeof m->v;
    if (!dst) return;
    if (vl >= cap) vl = cap - 1;
    memcpy(dst, vs, vl);
    dst[vl] = '\0';
}

size_t ck_accept_parse(const char *accept, ck_media *out, size_t max)
{
    size_t n = 0;
    const char *s = accept;
    while (s && *s && n < max) {
        size_t len = strcspn(s, ",");
        ck_media *m = &out[n];
        memset(m, 0, sizeof *m);
        size_t tl = strcspn(s, ";,");
        trim_copy(m->type, sizeof m->type, s, tl);
        const char *p = s + tl;
        while (p < s + len && *p == ';') {
            p++;
            size_t pl = strcspn(p, ";,");
            media_param(m, p, pl);
            p += pl;
        }
        if (m->type[0]) n++;
        s += len;
        if (*s == ',') s++;
    }
    return n;
}

bool ck_media_is_json(const ck_media *m)
{
    return !strcmp(m->type, "application/json") || !strcmp(m->type, "application/*") ||
           !strcmp(m->type, "*/*");
}

/* The aggregated discovery content type asked for, or NULL for the legacy
 * shape. The first entry we can serve wins (client-go lists them in order). */
static const char *aggregated_profile(const char *accept)
{
    ck_media m[16];
    size_t n = ck_accept_parse(accept, m, 16);
    for (size_t i = 0; i < n; i++) {
        if (!ck_media_is_json(&m[i])) continue;
        if (!m[i].as[0] && !m[i].g[0]) return NULL;
        if (strcmp(m[i].as, "APIGroupDiscoveryList") || strcmp(m[i].g, "apidiscovery.k8s.io"))
            continue;
        if (!strcmp(m[i].v, "v2")) return CK_CT_DISCOVERY_V2;
        if (!strcmp(m[i].v, "v2beta1")) return CK_CT_DISCOVERY_V2BETA1;
    }
    return NULL;
}

/* ---- versions and groups ------------------------------------------------ */
/* Parses "v<major>[alpha|beta<minor>]"; type 3 GA, 2 beta, 1 alpha, 0 other. */
static int kube_version(const char *s, long *major, long *minor)
{
    char *end;
    if (s[0] != 'v' || !isdigit((unsigned char)s[1])) return 0;
    *major = strtol(s + 1, &end, 10);
    *minor = 0;
    if (!*end) return 3;
    int type = !strncmp(end, "beta", 4) ? 2 : !strncmp(end, "alpha", 5) ? 1 : 0;
    if (!type) return 0;
    end += type == 2 ? 4 : 5;
    if (!isdigit((unsigned char)*end)) return 0;
    *minor = strtol(end, &end, 10);
    return *end ? 0 : type;
}

int ck_version_compare(const char *a, const char *b)
{
    long amaj, amin, bmaj, bmin;
    int ta = kube_version(a, &amaj, &amin), tb = kube_version(b, &bmaj, &bmin);
    if (!ta && !tb) return -strcmp(a, b);
    if (ta != tb) return ta - tb;
    if (amaj != bmaj) return amaj > bmaj ? 1 : -1;
    if (amin != bmin) return amin > bmin ? 1 : -1;
    return 0;
}

size_t ck_group_versions(const char *group, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        if (strcmp(k->group, group)) continue;
        size_t j = 0;
        while (j < n && strcmp(out[j], k->version)) j++;
        if (j < n || n == max) continue;
        /* insertion by priority */
        size_t pos = n;
        while (pos > 0 && ck_version_compare(k->version, out[pos - 1]) > 0) {
            out[pos] = out[pos - 1];
            pos--;
        }
        out[pos] = k->version;
        n++;
    }
    return n;
}

size_t ck_served_groups(const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < ck_kinds_count && n < max; i++) {
        const char *g = ck_kinds[i].group;
        if (!g[0]) continue;
        size_t j = 0;
        while (j < n && strcmp(out[j], g)) j++;
        if (j == n) out[n++] = g;
    }
    return n;
}

bool ck_discovery_is_known_group_version(const char *group, const char *version)
{
    for (size_t i = 0; i < ck_kinds_count; i++)
        if (!strcmp(ck_kinds[i].group, group ? group : "") &&
            !strcmp(ck_kinds[i].version, version ? version : ""))
            return true;
    return false;
}

/* ---- JSON builders -------------------------------------------------------- */
static json_t *str_array(const char *const *v)
{
    json_t *a = json_array();
    for (; v && *v; v++) json_array_append_new(a, json_string(*v));
    return a;
}

static json_t *gv_json(const char *group, const char *version)
{
    char gv[160];
    snprintf(gv, sizeof gv, "%s%s%s", group, group[0] ? "/" : "", version);
    return json_pack("{s:s,s:s}", "groupVersion", gv, "version", version);
}

/* metav1.APIGroup for a served group. */
static json_t *api_group(const char *group, bool with_type)
{
    const char *vs[MAX_VERSIONS];
    size_t n = ck_group_versions(group, vs, MAX_VERSIONS);
    json_t *versions = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(versions, gv_json(group, vs[i]));
    json_t *g = json_object();
    if (with_type) {
        json_object_set_new(g, "kind", json_string("APIGroup"));
        json_object_set_new(g, "apiVersion", json_string("v1"));
    }
    json_object_set_new(g, "name", json_string(group));
    json_object_set_new(g, "versions", versions);
    json_object_set_new(g, "preferredVersion", gv_json(group, vs[0]));
    return g;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
                  json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

/* Sorts an array of objects by their "name" (upstream lists resources sorted). */
static void sort_by_name(json_t *arr)
{
    size_t n = json_array_size(arr);
    if (n < 2) return;
    json_t **v = malloc(n * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, by_name);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, v[i]);
    free(v);
}

/* metav1.APIResource of a subresource ("pods/status"). */
static json_t *legacy_subresource(const ck_kind *k, const ck_subresource *s)
{
    char name[128], kind[128];
    snprintf(name, sizeof name, "%s/%s", k->resource, s->name);
    json_t *r = json_pack("{s:s,s:s,s:b}", "name", name, "singularName", "", "namespaced",
                          k->namespaced);
    if (s->group) json_object_set_new(r, "group", json_string(s->group));
    if (s->version) json_object_set_new(r, "version", json_string(s->version));
    json_object_set_new(r, "kind", json_string(ck_subresource_kind(k, s, kind, sizeof kind)));
    json_object_set_new(r, "verbs", str_array(s->verbs));
    return r;
}

/* metav1.APIResourceList for group/version, or NULL when not served. */
static json_t *resource_list(const char *group, const char *version)
{
    if (!ck_discovery_is_known_group_version(group, version)) return NULL;
    json_t *res = json_array();
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        if (strcmp(k->group, group) || strcmp(k->version, version)) continue;
        json_t *r = json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", k->resource, "singularName",
                              k->singular ? k->singular : "", "namespaced", k->namespaced,
                              "kind", k->kind, "verbs", str_array(k->verbs));
        if (k->short_names && k->short_names[0])
            json_object_set_new(r, "shortNames", str_array(k->short_names));
        if (k->categories && k->categories[0])
            json_object_set_new(r, "categories", str_array(k->categories));
        json_array_append_new(res, r);
        for (size_t s = 0; s < ck_subresources_count; s++)
            if (k->subresources & ck_subresources[s].flag)
                json_array_append_new(res, legacy_subresource(k, &ck_subresources[s]));
    }
    sort_by_name(res);
    json_t *l = json_pack("{s:s}", "kind", "APIResourceList");
    /* upstream's /api/v1 carries no apiVersion; group versions carry "v1" */
    if (group[0]) json_object_set_new(l, "apiVersion", json_string("v1"));
    char gv[160];
    snprintf(gv, sizeof gv, "%s%s%s", group, group[0] ? "/" : "", version);
    json_object_set_new(l, "groupVersion", json_string(gv));
    json_object_set_new(l, "resources", res);
    return l;
}

/* ---- aggregated discovery (apidiscovery.k8s.io/v2) ----------------------- */
static json_t *response_kind(const char *g, const char *v, const char *kind)
{
    return json_pack("{s:s,s:s,s:s}", "group", g, "version", v, "kind", kind);
}

static json_t *aggregated_resource(const ck_kind *k)
{
    json_t *r = json_pack("{s:s,s:o,s:s,s:s,s:o}", "resource", k->resource, "responseKind",
                          response_kind(k->group, k->version, k->kind), "scope",
                          k->namespaced ? "Namespaced" : "Cluster", "singularResource",
                          k->singular ? k->singular : "", "verbs", str_array(k->verbs));
    if (k->short_names && k->short_names[0])
        json_object_set_new(r, "shortNames", str_array(k->short_names));
    if (k->categories && k->categories[0])
        json_object_set_new(r, "categories", str_array(k->categories));
    json_t *subs = json_array();
    for (size_t i = 0; i < ck_subresources_count; i++) {
        const ck_subresource *s = &ck_subresources[i];
        if (!(k->subresources & s->flag)) continue;
        char kind[128];
        json_array_append_new(
            subs, json_pack("{s:s,s:o,s:o}", "subresource", s->name, "responseKind",
                            response_kind(s->group ? s->group : k->group,
                                          s->version ? s->version : k->version,
                                          ck_subresource_kind(k, s, kind, sizeof kind)),
                            "verbs", str_array(s->verbs)));
    }
    if (json_array_size(subs)) json_object_set_new(r, "subresources", subs);
    else json_decref(subs);
    return r;
}

static int by_resource(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "resource")),
                  json_string_value(json_object_get(*(json_t *const *)b, "resource")));
}

static json_t *aggregated_group(const char *group)
{
    const char *vs[MAX_VERSIONS];
    size_t nv = ck_group_versions(group, vs, MAX_VERSIONS);
    json_t *versions = json_array();
    for (size_t v = 0; v < nv; v++) {
        json_t *res[256];
        size_t nr = 0;
        for (size_t i = 0; i < ck_kinds_count && nr < 256; i++)
            if (!strcmp(ck_kinds[i].group, group) && !strcmp(ck_kinds[i].version, vs[v]))
                res[nr++] = aggregated_resource(&ck_kinds[i]);
        qsort(res, nr, sizeof res[0], by_resource);
        json_t *arr = json_array();
        for (size_t i = 0; i < nr; i++) json_array_append_new(arr, res[i]);
        json_array_append_new(versions, json_pack("{s:s,s:o,s:s}", "version", vs[v], "resources",
                                                  arr, "freshness", "Current"));
    }
    json_t *meta = json_pack("{s:n}", "creationTimestamp");
    if (group[0]) json_object_set_new(meta, "name", json_string(group));
    return json_pack("{s:o,s:o}", "metadata", meta, "versions", versions);
}

static json_t *aggregated_list(bool core, const char *ctype)
{
    json_t *items = json_array();
    if (core) {
        json_array_append_new(items, aggregated_group(""));
    } else {
        const char *gs[MAX_GROUPS];
        size_t n = ck_served_groups(gs, MAX_GROUPS);
        for (size_t i = 0; i < n; i++) json_array_append_new(items, aggregated_group(gs[i]));
    }
    const char *api_version = strstr(ctype, "v=v2beta1") ? "apidiscovery.k8s.io/v2beta1"
                                                         : "apidiscovery.k8s.io/v2";
    return json_pack("{s:s,s:s,s:{},s:o}", "kind", "APIGroupDiscoveryList", "apiVersion",
                     api_version, "metadata", "items", items);
}

/* ---- /version, /api, /apis ---------------------------------------------- */
static json_t *version_info(void)
{
    /* k8s.io/apimachinery/pkg/version.Info */
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "major", CK_VERSION_MAJOR, "minor",
                     CK_VERSION_MINOR, "gitVersion", CK_GIT_VERSION, "gitCommit",
                     "0000000000000000000000000000000000000000", "gitTreeState", "clean",
                     "buildDate", "1970-01-01T00:00:00Z", "goVersion", "gcc " __VERSION__,
                     "compiler", "gcc",
#if defined(__x86_64__)
                     "platform", "linux/amd64"
#elif defined(__aarch64__)
                     "platform", "linux/arm64"
#else
                     "platform", "linux/unknown"
#endif
    );
}

static json_t *api_versions(void)
{
    json_t *cidrs = json_array();
    if (server_address[0])
        json_array_append_new(cidrs, json_pack("{s:s,s:s}", "clientCIDR", "0.0.0.0/0",
                                               "serverAddress", server_address));
    return json_pack("{s:s,s:[s],s:o}", "kind", "APIVersions", "versions", "v1",
                     "serverAddressByClientCIDRs", cidrs);
}

static json_t *group_list(void)
{
    const char *gs[MAX_GROUPS];
    size_t n = ck_served_groups(gs, MAX_GROUPS);
    json_t *groups = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(groups, api_group(gs[i], false));
    return json_pack("{s:s,s:s,s:o}", "kind", "APIGroupList", "apiVersion", "v1", "groups", groups);
}

static bool group_served(const char *group)
{
    for (size_t i = 0; i < ck_kinds_count; i++)
        if (!strcmp(ck_kinds[i].group, group)) return true;
    return false;
}

/* ---- serving ------------------------------------------------------------- */
static void set_body(ck_resp *resp, int code, json_t *body, const char *ctype)
{
    free(resp->body);
    resp->code = code;
    resp->content_type = ctype;
    resp->body = ck_json_dump(body);
    resp->len = resp->body ? strlen(resp->body) : 0;
    if (!resp->body) resp->code = 500;
    json_decref(body);
}

/* metav1.Status 404 as upstream's discovery returns for unknown groups. */
static void not_found(ck_resp *resp)
{
    set_body(resp, 404,
             json_pack("{s:s,s:s,s:{},s:s,s:s,s:s,s:{},s:i}", "kind", "Status", "apiVersion", "v1",
                       "metadata", "status", "Failure", "message",
                       "the server could not find the requested resource", "reason", "NotFound",
                       "details", "code", 404),
             NULL);
}

static void vary_accept(ck_resp *resp)
{
    if (!resp->headers) resp->headers = json_object();
    if (resp->headers) json_object_set_new(resp->headers, "Vary", json_string("Accept"));
}

/* Splits path into at most 4 segments; returns the count, -1 if more. */
static int split_path(const char *path, char seg[4][128])
{
    int n = 0;
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        size_t len = strcspn(p, "/");
        if (n == 4 || len >= 128) return -1;
        memcpy(seg[n], p, len);
        seg[n][len] = '\0';
        n++;
        p += len;
    }
    return n;
}

bool ck_discovery_serve(const ck_req *req, ck_resp *resp)
{
    if (!req->path || (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))) return false;
    char seg[4][128];
    int n = split_path(req->path, seg);
    if (n < 1) return false;
    if (!strcmp(seg[0], "version") && n == 1) {
        set_body(resp, 200, version_info(), NULL);
        return true;
    }
    bool core = !strcmp(seg[0], "api");
    if (!core && strcmp(seg[0], "apis")) return false;
    if (n == 1) {
        const char *profile = aggregated_profile(req->accept);
        vary_accept(resp);
        if (profile) set_body(resp, 200, aggregated_list(core, profile), profile);
        else set_body(resp, 200, core ? api_versions() : group_list(), NULL);
        return true;
    }
    json_t *body = NULL;
    if (core && n == 2) body = resource_list("", seg[1]);
    else if (!core && n == 2 && group_served(seg[1])) body = api_group(seg[1], true);
    else if (!core && n == 3) body = resource_list(seg[1], seg[2]);
    else if (n > (core ? 2 : 3)) return false; /* a resource request */
    if (body) set_body(resp, 200, body, NULL);
    else not_found(resp);
    return true;
}
