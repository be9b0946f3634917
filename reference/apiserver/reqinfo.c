/* reqinfo.c: what a request path means, as upstream's RequestInfoFactory
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): API prefix,
 * group, version, namespace, resource, name, subresource and verb. */
#include <stdio.h>
#include <string.h>
#include "apiserver/http.h"

#define MAX_PARTS 16

static int split_path(const char *path, char parts[MAX_PARTS][256])
{
    int n = 0;
    const char *p = path;
    while (*p == '/') p++;
    while (*p && n < MAX_PARTS) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len >= 256) return -1;
        memcpy(parts[n], p, len);
        parts[n][len] = 0;
        n++;
        if (!e) break;
        p = e + 1;
        while (*p == '/') p++;
    }
    return *p && n == MAX_PARTS ? -1 : n;
}

/* Copies a path segment into a RequestInfo field; false when it does not fit
 * (the request is then not routable rather than silently truncated). */
static bool put(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n) return false;
    memcpy(dst, src, len + 1);
    return true;
}

static bool truthy(const char *v) { return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0); }

bool ck_reqinfo_parse(const ck_req *req, ck_reqinfo *info)
{
    memset(info, 0, sizeof *info);
    char parts[MAX_PARTS][256];
    int n = split_path(req->path, parts);
    if (n < 2) return false;
    int i = 0;
    if (strcmp(parts[0], "api") == 0) {
        put(info->api_prefix, sizeof info->api_prefix, "api");
        if (!put(info->version, sizeof info->version, parts[1])) return false;
        i = 2;
    } else if (strcmp(parts[0], "apis") == 0) {
        if (n < 3) return false;
        put(info->api_prefix, sizeof info->api_prefix, "apis");
        if (!put(info->group, sizeof info->group, parts[1]) || !put(info->version, sizeof info->version, parts[2]))
            return false;
        i = 3;
    } else {
        return false;
    }
    if (i >= n) return false; /* discovery of a group version */
    bool watch_prefix = false;
    if (strcmp(parts[i], "watch") == 0) { watch_prefix = true; i++; }
    if (i >= n) return false;
    /* /namespaces/{ns}/{resource}/...; namespaces/{ns}/status|finalize are
     * subresources of the namespace itself. */
    if (strcmp(parts[i], "namespaces") == 0 && i + 1 < n) {
        if (!put(info->ns, sizeof info->ns, parts[i + 1])) return false;
        if (i + 2 < n && strcmp(parts[i + 2], "status") != 0 && strcmp(parts[i + 2], "finalize") != 0)
            i += 2;
    }
    if (!put(info->resource, sizeof info->resource, parts[i])) return false;
    if (i + 1 < n && !put(info->name, sizeof info->name, parts[i + 1])) return false;
    if (i + 2 < n && !put(info->subresource, sizeof info->subresource, parts[i + 2])) return false;
    size_t off = 0;
    for (int j = i + 3; j < n && off < sizeof info->parts_extra; j++)
        off += (size_t)snprintf(info->parts_extra + off, sizeof info->parts_extra - off, "%s%s",
                                off ? "/" : "", parts[j]);
    info->is_resource = true;

    const char *m = req->method;
    if (watch_prefix) {
        snprintf(info->verb, sizeof info->verb, "watch");
    } else if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0) {
        bool watch = req->query && truthy(req->query(req, "watch"));
        snprintf(info->verb, sizeof info->verb, "%s",
                 watch ? "watch" : info->name[0] ? "get" : "list");
    } else if (strcmp(m, "POST") == 0) {
        snprintf(info->verb, sizeof info->verb, "create");
    } else if (strcmp(m, "PUT") == 0) {
        snprintf(info->verb, sizeof info->verb, "update");
    } else if (strcmp(m, "PATCH") == 0) {
        snprintf(info->verb, sizeof info->verb, "patch");
    } else if (strcmp(m, "DELETE") == 0) {
        snprintf(info->verb, sizeof info->verb, "%s", info->name[0] ? "delete" : "deletecollection");
    } else {
        snprintf(info->verb, sizeof info->verb, "%s", m);
    }
    return true;
}
