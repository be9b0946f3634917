/* handler.c: the apiserver's request dispatch, in upstream's filter order:
 * health and metrics endpoints, discovery and OpenAPI, then resource
 * requests through the REST handlers; every request is counted in /metrics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/kinds.h"
#include "apiserver/apiserver.h"
#include "apiserver/audit.h"
#include "apiserver/discovery.h"
#include "apiserver/handlers/rest.h"
#include "apiserver/metrics.h"
#include "apiserver/openapi.h"
#include "apiserver/registry/tokenrequest.h"
#include "util/timeutil.h"

static bool health(ck_apiserver *s, const ck_req *req, ck_resp *resp)
{
    static const char *const paths[] = {"/healthz", "/livez", "/readyz"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(paths[i]);
        if (strncmp(req->path, paths[i], n) != 0 || (req->path[n] && req->path[n] != '/')) continue;
        /* readyz also needs the storage and the watch cache to be serving. */
        int64_t rev = 0;
        char err[128];
        bool ok = i != 2 || s->store->ops->revision(s->store, &rev, err, sizeof err) == CK_STORE_OK;
        if (ok) {
            ck_resp_text(resp, 200, "text/plain; charset=utf-8", "ok");
        } else {
            char msg[256];
            snprintf(msg, sizeof msg, "[-]etcd failed: %s\nreadyz check failed", err);
            ck_resp_text(resp, 500, "text/plain; charset=utf-8", msg);
        }
        return true;
    }
    return false;
}

void ck_apiserver_handle(ck_apiserver *s, const ck_req *req, ck_resp *resp, ck_stream **stream)
{
    int64_t t0 = ck_mono_ms();
    long long received = ck_audit_now_us();
    ck_reqinfo ri;
    bool is_resource = ck_reqinfo_parse(req, &ri);
    if (is_resource) {
        ck_handler_serve(s, req, &ri, resp, stream);
    } else if (health(s, req, resp)) {
    } else if (strcmp(req->path, "/metrics") == 0) {
        char *text = ck_metrics_render();
        ck_resp_text(resp, 200, "text/plain; version=0.0.4", text ? text : "");
        free(text);
    } else if (!ck_discovery_serve(req, resp) && !ck_openapi_serve(req, resp) && !ck_oidc_serve(req, resp)) {
        ck_status st = {0};
        ck_status_set(&st, 404, "NotFound", "the server could not find the requested resource");
        ck_resp_status(resp, &st);
    }
    ck_audit_log(s->audit, req, is_resource ? &ri : NULL, resp, received, ck_audit_now_us(), *stream != NULL);
    /* Only served resources get their own series: client-chosen names must
     * not grow /metrics without bound. */
    if (is_resource && !ck_kind_by_resource(ri.group, ri.version, ri.resource)) {
        ri.resource[0] = ri.subresource[0] = 0;
        snprintf(ri.group, sizeof ri.group, "%s", "");
    }
    if (is_resource && !*stream)
        ck_metrics_request(ri.verb, ri.group, ri.version, ri.resource, ri.subresource,
                           ri.name[0] ? "resource" : ri.ns[0] ? "namespace" : "cluster", resp->code,
                           (double)(ck_mono_ms() - t0) / 1000.0);
}
