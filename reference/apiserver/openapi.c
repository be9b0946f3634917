/* openapi.c: /openapi/v2 (Swagger 2.0) and /openapi/v3[/<gv>] (OpenAPI 3.0)
 * generated from the kind table: a path per resource, verb and subresource
 * with upstream's operation ids, x-kubernetes-action and GVK extensions and
 * query parameters (fieldValidation among them: kubectl looks for it), plus
 * the definitions of openapi_schema.c. Built once, served from a cache. */
#include "apiserver/openapi.h"
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/discovery.h"
#include "util/ckjson.h"

#define META "io.k8s.apimachinery.pkg.apis.meta.v1."

/* ---- query parameters, as data (k8s.io/apiserver/pkg/endpoints/installer.go) ---- */
typedef struct qparam {
    const char *name, *type, *description;
} qparam;

#define QP_DRYRUN {"dryRun", "string", "When present, indicates that modifications should not be persisted."}
#define QP_FIELDMANAGER {"fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes."}
#define QP_FIELDVALIDATION {"fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict"}
#define QP_LIST_ALL                                                                             \
    {"allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."}, \
    {"continue", "string", "The continue option should be set when retrieving more results from the server."}, \
    {"fieldSelector", "string", "A selector to restrict the list of returned objects by their fields."}, \
    {"labelSelector", "string", "A selector to restrict the list of returned objects by their labels."}, \
    {"limit", "integer", "limit is a maximum number of responses to return for a list call."}, \
    {"resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request may be served from."}, \
    {"resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied to list calls."}, \
    {"sendInitialEvents", "boolean", "`sendInitialEvents=true` may be set together with `watch=true`."}, \
    {"timeoutSeconds", "integer", "Timeout for the list/watch call."}
#define QP_DELETE_ALL                                                                           \
    QP_DRYRUN, {"gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted."}, \
    {"orphanDependents", "boolean", "Deprecated: please use the PropagationPolicy."}, \
    {"propagationPolicy", "string", "Whether and how garbage collection will be performed."}

static const qparam qp_list[] = {QP_LIST_ALL, {"watch", "boolean", "Watch for changes to the described resources."}, {0}};
static const qparam qp_write[] = {QP_DRYRUN, QP_FIELDMANAGER, QP_FIELDVALIDATION, {0}};
static const qparam qp_patch[] = {QP_DRYRUN, QP_FIELDMANAGER, QP_FIELDVALIDATION,
                                  {"force", "boolean", "Force is going to \"force\" Apply requests."}, {0}};
static const qparam qp_delete[] = {QP_DELETE_ALL, {0}};
static const qparam qp_deletecollection[] = {QP_LIST_ALL, QP_DELETE_ALL, {0}};
static const qparam qp_log[] = {
    {"container", "string", "The container for which to stream logs."},
    {"follow", "boolean", "Follow the log stream of the pod."},
    {"insecureSkipTLSVerifyBackend", "boolean", "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate of the backend it is connecting to."},
    {"limitBytes", "integer", "If set, the number of bytes to read from the server before terminating the log output."},
    {"previous", "boolean", "Return previous terminated container logs."},
    {"sinceSeconds", "integer", "A relative time in seconds before the current time from which to show logs."},
    {"tailLines", "integer", "If set, the number of lines from the end of the logs to show."},
    {"timestamps", "boolean", "If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output."},
    {0}};
static const qparam qp_exec[] = {
    {"command", "string", "Command is the remote command to execute."},
    {"container", "string", "Container in which to execute the command."},
    {"stderr", "boolean", "Redirect the standard error stream of the pod for this call."},
    {"stdin", "boolean", "Redirect the standard input stream of the pod for this call."},
    {"stdout", "boolean", "Redirect the standard output stream of the pod for this call."},
    {"tty", "boolean", "TTY if true indicates that a tty will be allocated for the exec call."},
    {0}};
static const qparam qp_proxy[] = {{"path", "string", "Path is the URL path to use for the current proxy request."}, {0}};
static const qparam qp_none[] = {{0}};

/* How each verb becomes an operation. */
typedef enum { BODY_NONE, BODY_OBJECT, BODY_PATCH, BODY_DELETE } body_kind;
typedef enum { RESP_OBJECT, RESP_LIST, RESP_STATUS, RESP_STRING } resp_kind;
typedef struct op_spec {
    const char *verb;    /* discovery verb enabling it */
    const char *method;  /* lower-case HTTP method (path item key) */
    const char *action;  /* x-kubernetes-action */
    const char *id;      /* operationId prefix */
    body_kind body;
    resp_kind resp;
    const qparam *params;
} op_spec;

static const op_spec collection_ops[] = {
    {"list", "get", "list", "list", BODY_NONE, RESP_LIST, qp_list},
    {"create", "post", "post", "create", BODY_OBJECT, RESP_OBJECT, qp_write},
    {"deletecollection", "delete", "deletecollection", "deleteCollection", BODY_DELETE, RESP_STATUS, qp_deletecollection},
    {NULL, NULL, NULL, NULL, 0, 0, NULL},
};
static const op_spec item_ops[] = {
    {"get", "get", "get", "read", BODY_NONE, RESP_OBJECT, qp_none},
    {"update", "put", "put", "replace", BODY_OBJECT, RESP_OBJECT, qp_write},
    {"patch", "patch", "patch", "patch", BODY_PATCH, RESP_OBJECT, qp_patch},
    {"delete", "delete", "delete", "delete", BODY_DELETE, RESP_OBJECT, qp_delete},
    {NULL, NULL, NULL, NULL, 0, 0, NULL},
};
/* Connect subresources (exec, attach, portforward, proxy): one op per method. */
static const op_spec connect_ops[] = {
    {"get", "get", "connect", "connectGet", BODY_NONE, RESP_STRING, NULL},
    {"create", "post", "connect", "connectPost", BODY_NONE, RESP_STRING, NULL},
    {"update", "put", "connect", "connectPut", BODY_NONE, RESP_STRING, NULL},
    {"patch", "patch", "connect", "connectPatch", BODY_NONE, RESP_STRING, NULL},
    {"delete", "delete", "connect", "connectDelete", BODY_NONE, RESP_STRING, NULL},
    {NULL, NULL, NULL, NULL, 0, 0, NULL},
};
static const op_spec subresource_ops[] = {
    {"get", "get", "get", "read", BODY_NONE, RESP_OBJECT, qp_none},
    {"create", "post", "post", "create", BODY_OBJECT, RESP_OBJECT, qp_write},
    {"update", "put", "put", "replace", BODY_OBJECT, RESP_OBJECT, qp_write},
    {"patch", "patch", "patch", "patch", BODY_PATCH, RESP_OBJECT, qp_patch},
    {NULL, NULL, NULL, NULL, 0, 0, NULL},
};

/* ---- building ----------------------------------------------------------- */
typedef struct build {
    ck_oa oa;
    json_t *paths;
} build;

static bool has_verb(const char *const *verbs, const char *v)
{
    for (; verbs && *verbs; verbs++)
        if (!strcmp(*verbs, v)) return true;
    return false;
}

static json_t *param(build *b, const char *name, const char *in, const char *type,
                     const char *desc, bool required)
{
    json_t *p = json_pack("{s:s,s:s}", "name", name, "in", in);
    if (desc) json_object_set_new(p, "description", json_string(desc));
    if (required) json_object_set_new(p, "required", json_true());
    json_t *schema = json_pack("{s:s,s:b}", "type", type, "uniqueItems", 1);
    if (b->oa.v3) json_object_set_new(p, "schema", schema);
    else json_object_update(p, schema), json_decref(schema);
    return p;
}

/* "CoreV1", "AppsV1", "CoordinationV1" (operation ids); "core_v1" (tags). */
static void gv_names(const ck_kind *k, char *camel, size_t n, char *tag, size_t tn)
{
    char g[64];
    size_t len = k->group[0] ? strcspn(k->group, ".") : 4;
    snprintf(g, sizeof g, "%.*s", (int)len, k->group[0] ? k->group : "core");
    snprintf(tag, tn, "%s_%s", g, k->version);
    g[0] = (char)toupper((unsigned char)g[0]);
    snprintf(camel, n, "%s%c%s", g, toupper((unsigned char)k->version[0]), k->version + 1);
}

static json_t *schema_of(build *b, const char *g, const char *v, const char *kind, resp_kind r)
{
    if (r == RESP_STRING) return json_pack("{s:s}", "type", "string");
    if (r == RESP_STATUS) return ck_oa_ref(&b->oa, META "Status", NULL);
    const ck_kind *k = ck_kind_by_kind(g, kind);
    for (size_t i = 0; !k && i < ck_kinds_count; i++)
        if (r == RESP_LIST && ck_kinds[i].list_kind && !strcmp(ck_kinds[i].list_kind, kind) &&
            !strcmp(ck_kinds[i].group, g))
            k = &ck_kinds[i];
    if (k && k->group && !strcmp(k->version, v)) ck_oa_kind_defs(&b->oa, k);
    char name[256];
    return ck_oa_ref(&b->oa, ck_openapi_def_name(g, v, kind, name, sizeof name), NULL);
}

static json_t *responses(build *b, const op_spec *op, json_t *schema)
{
    json_t *r = json_object();
    const char *codes[3] = {"200", NULL, NULL};
    if (!strcmp(op->action, "post")) codes[1] = "201", codes[2] = "202";
    else if (!strcmp(op->action, "delete")) codes[1] = "202";
    for (int i = 0; i < 3 && codes[i]; i++) {
        json_t *one = json_pack("{s:s}", "description", i == 0 ? "OK" : i == 1 && codes[1][2] == '1' ? "Created" : "Accepted");
        if (b->oa.v3)
            json_object_set_new(one, "content", json_pack("{s:{s:O},s:{s:O}}", "application/json", "schema",
                                                          schema, "application/yaml", "schema", schema));
        else
            json_object_set(one, "schema", schema);
        json_object_set_new(r, codes[i], one);
    }
    json_object_set_new(r, "401", json_pack("{s:s}", "description", "Unauthorized"));
    json_decref(schema);
    return r;
}

static void add_body(build *b, json_t *op, const op_spec *spec, json_t *params, json_t *kind_schema)
{
    json_t *schema = spec->body == BODY_PATCH    ? ck_oa_ref(&b->oa, META "Patch", NULL)
                     : spec->body == BODY_DELETE ? ck_oa_ref(&b->oa, META "DeleteOptions", NULL)
                                                 : json_incref(kind_schema);
    static const char *const patch_types[] = {
        "application/apply-patch+yaml", "application/json-patch+json",
        "application/merge-patch+json", "application/strategic-merge-patch+json", NULL};
    if (b->oa.v3) {
        json_t *content = json_object();
        if (spec->body == BODY_PATCH)
            for (const char *const *t = patch_types; *t; t++)
                json_object_set_new(content, *t, json_pack("{s:O}", "schema", schema));
        else
            json_object_set_new(content, "*/*", json_pack("{s:O}", "schema", schema));
        json_object_set_new(op, "requestBody", json_pack("{s:o,s:b}", "content", content, "required",
                                                         spec->body != BODY_DELETE));
    } else {
        json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:O}", "name", "body", "in", "body",
                                                "required", spec->body != BODY_DELETE, "schema", schema));
        if (spec->body == BODY_PATCH) {
            json_t *consumes = json_array();
            for (const char *const *t = patch_types; *t; t++) json_array_append_new(consumes, json_string(*t));
            json_object_set_new(op, "consumes", consumes);
        }
    }
    json_decref(schema);
}

/* One operation of a path item. g/v/kind: the GVK it serves and returns. */
static json_t *operation(build *b, const ck_kind *k, const op_spec *spec, const char *id_rest,
                         const char *g, const char *v, const char *kind, const qparam *extra)
{
    char camel[160], tag[160], id[512];
    gv_names(k, camel, sizeof camel, tag, sizeof tag);
    bool collection = !strcmp(spec->id, "deleteCollection");
    snprintf(id, sizeof id, "%s%s%s%s", collection ? "delete" : spec->id, camel,
             collection ? "Collection" : "", id_rest);
    json_t *op = json_pack("{s:s,s:s,s:[s],s:s,s:{s:s,s:s,s:s}}", "description", spec->id,
                           "operationId", id, "tags", tag, "x-kubernetes-action", spec->action,
                           "x-kubernetes-group-version-kind", "group", g, "kind", kind, "version", v);
    if (!b->oa.v3) {
        json_object_set_new(op, "consumes", json_pack("[s]", "*/*"));
        json_object_set_new(op, "produces", json_pack("[s,s]", "application/json", "application/yaml"));
        json_object_set_new(op, "schemes", json_pack("[s]", "https"));
    }
    json_t *params = json_array();
    for (const qparam *q = spec->params ? spec->params : extra; q && q->name; q++)
        json_array_append_new(params, param(b, q->name, "query", q->type, q->description, false));
    json_t *kind_schema = schema_of(b, g, v, kind, spec->resp == RESP_LIST ? RESP_OBJECT : spec->resp);
    if (spec->body != BODY_NONE) add_body(b, op, spec, params, kind_schema);
    json_object_set_new(op, "parameters", params);
    json_t *resp_schema = spec->resp == RESP_LIST ? ({
        char lk[128];
        snprintf(lk, sizeof lk, "%s", k->list_kind ? k->list_kind : k->kind);
        schema_of(b, g, v, lk, RESP_LIST);
    })
                                                  : json_incref(kind_schema);
    json_object_set_new(op, "responses", responses(b, spec, resp_schema));
    json_decref(kind_schema);
    return op;
}

/* A path item with its common parameters (name, namespace, pretty). */
static json_t *path_item(build *b, const char *path, bool name, bool ns)
{
    json_t *item = json_object_get(b->paths, path);
    if (item) return item;
    item = json_object();
    json_t *params = json_array();
    if (name) json_array_append_new(params, param(b, "name", "path", "string", "name of the resource", true));
    if (ns) json_array_append_new(params, param(b, "namespace", "path", "string",
                                                "object name and auth scope, such as for teams and projects", true));
    json_array_append_new(params, param(b, "pretty", "query", "string",
                                        "If 'true', then the output is pretty printed.", false));
    json_object_set_new(item, "parameters", params);
    json_object_set_new(b->paths, path, item);
    return item;
}

static void resource_paths(build *b, const ck_kind *k)
{
    char base[256], coll[512], itemp[600], rest[256];
    if (k->group[0]) snprintf(base, sizeof base, "/apis/%s/%s", k->group, k->version);
    else snprintf(base, sizeof base, "/api/%s", k->version);
    const char *nsd = k->namespaced ? "Namespaced" : "";
    snprintf(coll, sizeof coll, "%s%s/%s", base, k->namespaced ? "/namespaces/{namespace}" : "", k->resource);
    snprintf(itemp, sizeof itemp, "%s/{name}", coll);
    snprintf(rest, sizeof rest, "%s%s", nsd, k->kind);
    for (const op_spec *s = collection_ops; s->verb; s++)
        if (has_verb(k->verbs, s->verb))
            json_object_set_new(path_item(b, coll, false, k->namespaced), s->method,
                                operation(b, k, s, rest, k->group, k->version, k->kind, NULL));
    for (const op_spec *s = item_ops; s->verb; s++)
        if (has_verb(k->verbs, s->verb))
            json_object_set_new(path_item(b, itemp, true, k->namespaced), s->method,
                                operation(b, k, s, rest, k->group, k->version, k->kind, NULL));
    if (k->namespaced && has_verb(k->verbs, "list")) {
        char all[512], id[256];
        snprintf(all, sizeof all, "%s/%s", base, k->resource);
        snprintf(id, sizeof id, "%sForAllNamespaces", k->kind);
        json_object_set_new(path_item(b, all, false, false), "get",
                            operation(b, k, &collection_ops[0], id, k->group, k->version, k->kind, NULL));
    }
}

static void subresource_paths(build *b, const ck_kind *k)
{
    char base[256];
    if (k->group[0]) snprintf(base, sizeof base, "/apis/%s/%s", k->group, k->version);
    else snprintf(base, sizeof base, "/api/%s", k->version);
    for (size_t i = 0; i < ck_subresources_count; i++) {
        const ck_subresource *s = &ck_subresources[i];
        if (!(k->subresources & s->flag)) continue;
        char path[700], rest[256], kind[128];
        snprintf(path, sizeof path, "%s%s/%s/{name}/%s", base, k->namespaced ? "/namespaces/{namespace}" : "",
                 k->resource, s->name);
        snprintf(rest, sizeof rest, "%s%s%c%s", k->namespaced ? "Namespaced" : "", k->kind,
                 toupper((unsigned char)s->name[0]), s->name + 1);
        ck_subresource_kind(k, s, kind, sizeof kind);
        const char *g = s->group ? s->group : k->group, *v = s->version ? s->version : k->version;
        bool connect = s->flag & (CK_SUB_EXEC | CK_SUB_ATTACH | CK_SUB_PORTFWD | CK_SUB_PROXY);
        const qparam *extra = s->flag == CK_SUB_PROXY ? qp_proxy : s->flag == CK_SUB_LOG ? qp_log : qp_exec;
        json_t *item = path_item(b, path, true, k->namespaced);
        for (const op_spec *o = connect ? connect_ops : subresource_ops; o->verb; o++) {
            if (!has_verb(s->verbs, o->verb)) continue;
            op_spec spec = *o;
            if (s->flag == CK_SUB_LOG) spec.resp = RESP_STRING, spec.params = qp_log;
            json_object_set_new(item, o->method,
                                operation(b, k, &spec, rest, g, v, kind, connect ? extra : NULL));
        }
    }
}

/* ---- documents and cache ----------------------------------------------------- */
typedef struct doc {
    char gv_path[160]; /* "api/v1", "apis/apps/v1" */
    char *text;
    char hash[17];
} doc;

static struct {
    pthread_once_t once;
    char *v2;
    char *v3_index;
    doc *v3;
    size_t n_v3;
} cache = {PTHREAD_ONCE_INIT, NULL, NULL, NULL, 0};

static json_t *info(void)
{
    return json_pack("{s:s,s:s}", "title", "Kubernetes", "version", CK_GIT_VERSION);
}

/* Paths and definitions of the kinds whose group/version match (NULL = all). */
static void fill(build *b, const char *group, const char *version)
{
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        if (group && (strcmp(k->group, group) || strcmp(k->version, version))) continue;
        ck_oa_kind_defs(&b->oa, k);
        resource_paths(b, k);
        subresource_paths(b, k);
    }
}

static char *build_v2(void)
{
    build b = {{false, json_object()}, json_object()};
    fill(&b, NULL, NULL);
    json_t *d = json_pack("{s:s,s:o,s:o,s:o,s:{s:{s:s,s:s,s:s,s:s}},s:[{s:[]}]}", "swagger", "2.0", "info",
                          info(), "paths", b.paths, "definitions", b.oa.defs, "securityDefinitions",
                          "BearerToken", "description", "Bearer Token authentication", "type", "apiKey",
                          "name", "authorization", "in", "header", "security", "BearerToken");
    char *s = ck_json_dump(d);
    json_decref(d);
    return s;
}

static char *build_v3(const char *group, const char *version)
{
    build b = {{true, json_object()}, json_object()};
    fill(&b, group, version);
    json_t *d = json_pack("{s:s,s:o,s:o,s:{s:o,s:{s:{s:s,s:s}}},s:[{s:[]}]}", "openapi", "3.0.0", "info",
                          info(), "paths", b.paths, "components", "schemas", b.oa.defs,
                          "securitySchemes", "BearerToken", "type", "http", "scheme", "bearer",
                          "security", "BearerToken");
    char *s = ck_json_dump(d);
    json_decref(d);
    return s;
}

/* FNV-1a 64: the ?hash= of the v3 index (upstream uses a SHA-512; any digest
 * that changes with the document serves the caching contract). */
static void hash_text(const char *s, char out[17])
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    snprintf(out, 17, "%016llX", (unsigned long long)h);
}

static void build_all(void)
{
    cache.v2 = build_v2();
    size_t max = ck_kinds_count;
    cache.v3 = calloc(max ? max : 1, sizeof *cache.v3);
    json_t *paths = json_object();
    for (size_t i = 0; cache.v3 && i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        char gv[160];
        if (k->group[0]) snprintf(gv, sizeof gv, "apis/%s/%s", k->group, k->version);
        else snprintf(gv, sizeof gv, "api/%s", k->version);
        if (json_object_get(paths, gv)) continue;
        doc *d = &cache.v3[cache.n_v3];
        snprintf(d->gv_path, sizeof d->gv_path, "%s", gv);
        d->text = build_v3(k->group, k->version);
        if (!d->text) continue;
        hash_text(d->text, d->hash);
        cache.n_v3++;
        char url[256];
        snprintf(url, sizeof url, "/openapi/v3/%s?hash=%s", gv, d->hash);
        json_object_set_new(paths, gv, json_pack("{s:s}", "serverRelativeURL", url));
    }
    json_t *index = json_pack("{s:o}", "paths", paths);
    cache.v3_index = ck_json_dump(index);
    json_decref(index);
}

/* ---- serving ------------------------------------------------------------- */
static void send_text(ck_resp *resp, int code, const char *text, const char *ctype)
{
    free(resp->body);
    resp->body = strdup(text ? text : "");
    resp->code = resp->body && text ? code : 500;
    resp->len = resp->body ? strlen(resp->body) : 0;
    resp->content_type = ctype;
}

static void header(ck_resp *resp, const char *name, const char *value)
{
    if (!resp->headers) resp->headers = json_object();
    if (resp->headers) json_object_set_new(resp->headers, name, json_string(value));
}

static bool accepts_json(const char *accept)
{
    ck_media m[16];
    size_t n = ck_accept_parse(accept, m, 16);
    if (!n) return true;
    for (size_t i = 0; i < n; i++)
        if (ck_media_is_json(&m[i])) return true;
    return false;
}

bool ck_openapi_serve(const ck_req *req, ck_resp *resp)
{
    if (!req->path || strncmp(req->path, "/openapi/", 9) ||
        (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")))
        return false;
    const char *rest = req->path + 9;
    pthread_once(&cache.once, build_all);
    if (!strcmp(rest, "v2")) {
        /* the protobuf encoding (application/com.github.proto-openapi.spec.v2@v1.0+protobuf)
         * is not served: 406 as upstream's handler answers an unsupported Accept */
        if (!accepts_json(req->accept)) send_text(resp, 406, "406 Not Acceptable\n", "text/plain");
        else send_text(resp, 200, cache.v2, NULL);
        return true;
    }
    if (!strcmp(rest, "v3") || !strcmp(rest, "v3/")) {
        send_text(resp, 200, cache.v3_index, NULL);
        return true;
    }
    if (strncmp(rest, "v3/", 3)) return false;
    for (size_t i = 0; i < cache.n_v3; i++) {
        if (strcmp(rest + 3, cache.v3[i].gv_path)) continue;
        send_text(resp, 200, cache.v3[i].text, NULL);
        const char *h = req->query ? req->query(req, "hash") : NULL;
        /* k8s.io/kube-openapi/pkg/handler3: immutable when the hash matches */
        header(resp, "Cache-Control", h && !strcmp(h, cache.v3[i].hash) ? "public, immutable" : "no-cache, private");
        char etag[24];
        snprintf(etag, sizeof etag, "\"%s\"", cache.v3[i].hash);
        header(resp, "Etag", etag);
        return true;
    }
    send_text(resp, 404, "404 page not found\n", "text/plain");
    return true;
}
