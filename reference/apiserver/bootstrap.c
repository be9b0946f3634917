/* bootstrap.c: what a fresh apiserver ensures exists, through the same REST
 * flow as any client (admission, defaults, validation): the system
 * namespaces (pkg/controlplane/controller/systemnamespaces) and the
 * default/kubernetes Service with Endpoints pointing at this server
 * (pkg/controlplane/controller/kubernetesservice, endpoint reconciler). */
#include <stdio.h>
#include <string.h>
#include "apiserver/apiserver.h"
#include "apiserver/bootstrap_priorityclasses.h"
#include "apiserver/handlers/rest.h"
#include "apiserver/registry/allocator.h"
#include "util/ckjson.h"

static const char *no_query(const ck_req *r, const char *key) { return NULL; }

/* Creates obj, or (replace) updates it when it exists and differs. */
static int ensure_group(ck_apiserver *s, const char *group, const char *resource, const char *ns, json_t *obj,
                        bool replace, char *err, size_t errlen)
{
    ck_req req = {.method = "POST", .path = "", .query = no_query};
    ck_resp resp = {0};
    ck_reqinfo ri = {.is_resource = true};
    snprintf(ri.ns, sizeof ri.ns, "%s", ns);
    snprintf(ri.name, sizeof ri.name, "%s", ck_json_str(obj, "metadata.name", ""));
    ck_handler ctx = {.s = s, .req = &req, .resp = &resp, .ri = &ri};
    ctx.k = ck_kind_by_resource(group, NULL, resource);
    if (!ctx.k) { snprintf(err, errlen, "bootstrap: kind %s not served", resource); return -1; }
    ctx.storage = ctx.k->storage ? ctx.k->storage : ctx.k->resource;
    ck_handler_set_key(&ctx, ns, ri.name);
    int rc = 0;
    ck_cacher_sync(s->cache, 0, 5000);
    ck_cobj *cur = ck_cacher_get(s->cache, ctx.storage, ctx.key);
    if (!cur) {
        rc = ck_handler_create_object(&ctx, obj);
    } else if (replace) {
        json_object_set_new(ck_json_ensure_object(obj, "metadata"), "resourceVersion",
                            json_string(ck_json_str(cur->obj, "metadata.resourceVersion", "")));
        rc = ck_handler_update_object(&ctx, cur, obj, false);
    }
    ck_cobj_unref(cur);
    if (rc < 0) snprintf(err, errlen, "bootstrap %s %s: %s", resource, ri.name, ctx.st.message);
    ck_status_clear(&ctx.st);
    ck_resp_free(&resp);
    return rc < 0 ? -1 : 0;
}

static int ensure(ck_apiserver *s, const char *group, const char *resource, const char *ns, json_t *obj,
                  bool replace, char *err, size_t errlen)
{
    return ensure_group(s, group, resource, ns, obj, replace, err, errlen);
}

int ck_bootstrap(ck_apiserver *s, char *err, size_t errlen)
{
    static const char *const system_ns[] = {"default", "kube-system", "kube-public", "kube-node-lease"};
    for (size_t i = 0; i < 4; i++) {
        json_t *ns = json_pack("{s:s,s:s,s:{s:s}}", "apiVersion", "v1", "kind", "Namespace", "metadata", "name",
                               system_ns[i]);
        int rc = ensure(s, "", "namespaces", "", ns, false, err, errlen);
        json_decref(ns);
        if (rc < 0) return -1;
    }
    char first[16];
    ck_ipalloc_first(s->cluster_ips, first);
    json_t *svc = json_pack(
        "{s:s,s:s,s:{s:s,s:s,s:{s:s,s:s}},s:{s:s,s:s,s:[s],s:s,s:[{s:s,s:i,s:s,s:i}]}}", "apiVersion", "v1", "kind",
        "Service", "metadata", "name", "kubernetes", "namespace", "default", "labels", "component", "apiserver",
        "provider", "kubernetes", "spec", "type", "ClusterIP", "clusterIP", first, "clusterIPs", first,
        "sessionAffinity", "None", "ports", "name", "https", "port", 443, "protocol", "TCP", "targetPort", s->port);
    int rc = ensure(s, "", "services", "default", svc, false, err, errlen);
    json_decref(svc);
    if (rc < 0) return -1;
    json_t *ep = json_pack("{s:s,s:s,s:{s:s,s:s,s:{s:s}},s:[{s:[{s:s}],s:[{s:s,s:i,s:s}]}]}", "apiVersion", "v1",
                           "kind", "Endpoints", "metadata", "name", "kubernetes", "namespace", "default", "labels",
                           "endpointslice.kubernetes.io/skip-mirror", "true", "subsets", "addresses", "ip",
                           s->cfg.advertise_address, "ports", "name", "https", "port", s->port, "protocol", "TCP");
    rc = ensure(s, "", "endpoints", "default", ep, true, err, errlen);
    json_decref(ep);
    if (rc < 0) return -1;
    /* and its EndpointSlice, as the apiserver's endpoint reconciler keeps both */
    json_t *slice = json_pack(
        "{s:s,s:s,s:{s:s,s:s,s:{s:s,s:s}},s:s,s:[{s:[s],s:{s:b}}],s:[{s:s,s:i,s:s}]}", "apiVersion",
        "discovery.k8s.io/v1", "kind", "EndpointSlice", "metadata", "name", "kubernetes", "namespace", "default", "labels",
        "kubernetes.io/service-name", "kubernetes", "endpointslice.kubernetes.io/managed-by",
        "endpointslice-controller.k8s.io", "addressType", "IPv4", "endpoints", "addresses", s->cfg.advertise_address,
        "conditions", "ready", 1, "ports", "name", "https", "port", s->port, "protocol", "TCP");
    if (ck_kind_by_resource("discovery.k8s.io", "v1", "endpointslices"))
        rc = ensure_group(s, "discovery.k8s.io", "endpointslices", "default", slice, true, err, errlen);
    json_decref(slice);
    if (rc < 0) return -1;
    return ck_bootstrap_priority_classes(s, err, errlen);
}
