/* endpointslice_logic.c: Service + pods (or Endpoints) -> endpoint groups,
 * and groups + current slices -> creates/updates/deletes (upstream's
 * pkg/controller/endpointslice/reconciler.go, simplified: no rebalancing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/endpoints_subsets.h"
#include "controller-manager/endpointslice_logic.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"

/* ShouldPodBeInEndpoints(pod, includeTerminating=true) */
static bool pod_included(const json_t *pod)
{
    const char *phase = ck_json_str(pod, "status.phase", "");
    if (!strcmp(phase, "Failed") || !strcmp(phase, "Succeeded")) return false;
    return *ck_json_str(pod, "status.podIP", "") != 0;
}

json_t *ck_epslice_pod_endpoint(const json_t *svc, const json_t *pod)
{
    if (!pod_included(pod)) return NULL;
    bool serving = ck_pod_is_ready(pod);
    bool terminating = ck_json_path(pod, "metadata.deletionTimestamp") != NULL;
    bool ready = ck_json_bool(svc, "spec.publishNotReadyAddresses", false) || (serving && !terminating);
    json_t *ep = json_pack("{s:[s],s:{s:b,s:b,s:b},s:{s:s,s:s,s:s,s:s}}", "addresses",
                           ck_json_str(pod, "status.podIP", ""), "conditions", "ready", ready, "serving", serving,
                           "terminating", terminating, "targetRef", "kind", "Pod", "namespace",
                           ck_json_str(pod, "metadata.namespace", ""), "name", ck_json_str(pod, "metadata.name", ""),
                           "uid", ck_json_str(pod, "metadata.uid", ""));
    if (!ep) return NULL;
    const char *node = ck_json_str(pod, "spec.nodeName", "");
    if (*node) json_object_set_new(ep, "nodeName", json_string(node));
    /* ShouldSetHostname: the pod's subdomain is this service */
    const char *host = ck_json_str(pod, "spec.hostname", "");
    if (*host && !strcmp(ck_json_str(pod, "spec.subdomain", ""), ck_json_str(svc, "metadata.name", "")))
        json_object_set_new(ep, "hostname", json_string(host));
    return ep;
}

json_t *ck_epslice_pod_ports(const json_t *svc, const json_t *pod)
{
    json_t *out = json_array();
    size_t i;
    json_t *sp;
    json_array_foreach(ck_json_path(svc, "spec.ports"), i, sp) {
        long port;
        if (ck_endpoints_find_port(pod, sp, &port) < 0) continue;
        json_t *p = json_pack("{s:s,s:I,s:s}", "name", ck_json_str(sp, "name", ""), "port", (json_int_t)port,
                              "protocol", ck_json_str(sp, "protocol", "TCP"));
        json_t *ap = json_object_get(sp, "appProtocol");
        if (p && ap) json_object_set(p, "appProtocol", ap);
        if (p) json_array_append_new(out, p);
    }
    return out;
}

/* Adds ep to the group of (addressType, ports) in groups (array), keyed in idx. */
static void group_add(json_t *groups, json_t *idx, const char *atype, json_t *ports, json_t *ep)
{
    char *pk = json_dumps(ports, JSON_COMPACT | JSON_SORT_KEYS);
    char key[4096];
    snprintf(key, sizeof key, "%s|%s", atype, pk ? pk : "");
    free(pk);
    json_t *g = json_object_get(idx, key);
    if (!g) {
        g = json_pack("{s:s,s:O,s:[]}", "addressType", atype, "ports", ports, "endpoints");
        if (!g) return;
        json_array_append_new(groups, g);
        json_object_set(idx, key, g);
    }
    json_array_append(json_object_get(g, "endpoints"), ep);
}

static json_t *placeholder_if_empty(json_t *groups)
{
    if (groups && !json_array_size(groups))
        json_array_append_new(groups, json_pack("{s:s,s:[],s:[]}", "addressType", "IPv4", "ports", "endpoints"));
    return groups;
}

json_t *ck_epslice_service_groups(const json_t *svc, const json_t *pods)
{
    json_t *groups = json_array(), *idx = json_object();
    size_t i;
    json_t *pod;
    json_array_foreach(pods, i, pod) {
        json_t *ep = ck_epslice_pod_endpoint(svc, pod);
        if (!ep) continue;
        json_t *ports = ck_epslice_pod_ports(svc, pod);
        group_add(groups, idx, "IPv4", ports, ep);
        json_decref(ports);
        json_decref(ep);
    }
    json_decref(idx);
    return placeholder_if_empty(groups);
}

json_t *ck_epslice_service_labels(const json_t *svc, const char *managed_by)
{
    json_t *l = json_object();
    json_t *src = ck_json_path(svc, "metadata.labels");
    if (json_is_object(src)) json_object_update(l, src);
    json_object_set_new(l, CK_EPSLICE_LABEL_SERVICE, json_string(ck_json_str(svc, "metadata.name", "")));
    json_object_set_new(l, CK_EPSLICE_LABEL_MANAGED_BY, json_string(managed_by));
    if (!strcmp(ck_json_str(svc, "spec.clusterIP", ""), "None"))
        json_object_set_new(l, "service.kubernetes.io/headless", json_string(""));
    return l;
}

/* ---- reconcile --------------------------------------------------------- */

static void ep_key(const json_t *ep, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", json_string_value(json_array_get(json_object_get(ep, "addresses"), 0)) ?: "",
             ck_json_str(ep, "targetRef.uid", ""));
}

static bool same_meta(const json_t *slice, const json_t *g)
{
    json_t *ports = json_object_get(slice, "ports");
    bool ports_eq = ck_json_equal(json_array_size(ports) ? ports : NULL,
                                  json_array_size(json_object_get(g, "ports")) ? json_object_get(g, "ports") : NULL);
    return ports_eq && !strcmp(ck_json_str(slice, "addressType", ""), ck_json_str(g, "addressType", ""));
}

static json_t *new_slice(const json_t *g, const json_t *tmpl)
{
    json_t *s = json_pack("{s:s,s:s,s:O,s:O,s:[]}", "apiVersion", "discovery.k8s.io/v1", "kind", "EndpointSlice",
                          "metadata", tmpl, "addressType", json_object_get(g, "addressType"), "endpoints");
    if (s && json_array_size(json_object_get(g, "ports")))
        json_object_set(s, "ports", json_object_get(g, "ports"));
    if (s) json_object_set_new(s, "metadata", json_deep_copy(tmpl));
    return s;
}

/* Whether the template's labels / ownerReferences differ from slice's. */
static bool meta_drift(const json_t *slice, const json_t *tmpl)
{
    return !ck_json_equal(ck_json_path(slice, "metadata.labels"), json_object_get(tmpl, "labels")) ||
           (json_object_get(tmpl, "ownerReferences") &&
            !ck_json_equal(ck_json_path(slice, "metadata.ownerReferences"), json_object_get(tmpl, "ownerReferences")));
}

static void apply_meta(json_t *slice, const json_t *tmpl)
{
    json_t *md = ck_json_ensure_object(slice, "metadata");
    json_object_set(md, "labels", json_object_get(tmpl, "labels"));
    if (json_object_get(tmpl, "ownerReferences"))
        json_object_set(md, "ownerReferences", json_object_get(tmpl, "ownerReferences"));
}

/* One group: existing slices matching it keep their still-desired
 * endpoints; the rest fill slices with room, then new slices. */
static void reconcile_group(const json_t *g, const json_t *existing, json_t *used, const json_t *tmpl, size_t max,
                            ck_epslice_plan *out)
{
    json_t *want = json_object();  /* key -> endpoint, removed once placed */
    json_t *order = json_array();
    size_t i, j;
    json_t *ep, *s;
    char k[600];
    json_array_foreach(json_object_get(g, "endpoints"), i, ep) {
        ep_key(ep, k, sizeof k);
        if (!json_object_get(want, k)) json_array_append_new(order, json_string(k));
        json_object_set(want, k, ep);
    }
    json_t *kept = json_array();  /* [slice copy, changed] */
    json_array_foreach(existing, i, s) {
        if (json_is_true(json_array_get(used, i)) || !same_meta(s, g)) continue;
        json_array_set_new(used, i, json_true());
        json_t *copy = json_deep_copy(s);
        json_t *eps = json_array();
        bool changed = meta_drift(s, tmpl);
        json_array_foreach(json_object_get(s, "endpoints"), j, ep) {
            ep_key(ep, k, sizeof k);
            json_t *w = json_object_get(want, k);
            if (!w) { changed = true; continue; }
            if (!ck_json_equal(w, ep)) changed = true;
            json_array_append(eps, w);
            json_object_del(want, k);
        }
        json_object_set_new(copy, "endpoints", eps);
        apply_meta(copy, tmpl);
        json_array_append_new(kept, json_pack("[o,b]", copy, changed));
    }
    /* new endpoints, in the group's order, into slices with room */
    json_t *fresh = json_array();
    json_array_foreach(order, i, s) {
        json_t *w = json_object_get(want, json_string_value(s));
        if (w) json_array_append(fresh, w);
    }
    size_t next = 0, nfresh = json_array_size(fresh);
    json_array_foreach(kept, i, s) {
        json_t *eps = json_object_get(json_array_get(s, 0), "endpoints");
        while (next < nfresh && json_array_size(eps) < max) {
            json_array_append(eps, json_array_get(fresh, next++));
            json_array_set_new(s, 1, json_true());
        }
    }
    while (next < nfresh) {
        json_t *ns = new_slice(g, tmpl);
        json_t *eps = json_object_get(ns, "endpoints");
        while (next < nfresh && json_array_size(eps) < max) json_array_append(eps, json_array_get(fresh, next++));
        json_array_append_new(out->create, ns);
    }
    /* empty slices go, except one placeholder when the group has no endpoints */
    bool placeholder = !json_array_size(json_object_get(g, "endpoints"));
    bool have_one = json_array_size(out->create) > 0 && !placeholder;
    json_array_foreach(kept, i, s) {
        json_t *sl = json_array_get(s, 0);
        if (!json_array_size(json_object_get(sl, "endpoints")) && (!placeholder || have_one)) {
            json_array_append_new(out->remove, json_pack("{s:O}", "metadata", json_object_get(sl, "metadata")));
            continue;
        }
        have_one = true;
        if (json_is_true(json_array_get(s, 1))) json_array_append(out->update, sl);
    }
    if (placeholder && !have_one) json_array_append_new(out->create, new_slice(g, tmpl));
    json_decref(kept);
    json_decref(fresh);
    json_decref(order);
    json_decref(want);
}

int ck_epslice_reconcile(const json_t *groups, const json_t *existing, const json_t *tmpl, size_t max,
                         ck_epslice_plan *out)
{
    out->create = json_array();
    out->update = json_array();
    out->remove = json_array();
    json_t *used = json_array();
    if (!out->create || !out->update || !out->remove || !used) {
        json_decref(used);
        ck_epslice_plan_clear(out);
        return -1;
    }
    size_t i;
    json_t *g;
    json_array_foreach(existing, i, g) json_array_append_new(used, json_false());
    json_array_foreach(groups, i, g) reconcile_group(g, existing, used, tmpl, max ? max : CK_EPSLICE_MAX_ENDPOINTS, out);
    /* slices whose ports/addressType no group wants */
    json_array_foreach(existing, i, g)
        if (!json_is_true(json_array_get(used, i)))
            json_array_append_new(out->remove, json_pack("{s:O}", "metadata", json_object_get(g, "metadata")));
    json_decref(used);
    return 0;
}

void ck_epslice_plan_clear(ck_epslice_plan *p)
{
    json_decref(p->create);
    json_decref(p->update);
    json_decref(p->remove);
    p->create = p->update = p->remove = NULL;
}

bool ck_epslice_plan_empty(const ck_epslice_plan *p)
{
    return !json_array_size(p->create) && !json_array_size(p->update) && !json_array_size(p->remove);
}

/* ---- mirroring (endpointslicemirroring/reconciler.go) ------------------ */

static json_t *address_endpoint(const json_t *a, bool ready)
{
    json_t *ep = json_pack("{s:[s],s:{s:b}}", "addresses", ck_json_str(a, "ip", ""), "conditions", "ready", ready);
    static const char *const COPY[] = {"nodeName", "hostname", "targetRef"};
    for (size_t i = 0; ep && i < sizeof COPY / sizeof *COPY; i++) {
        json_t *v = json_object_get(a, COPY[i]);
        if (v) json_object_set(ep, COPY[i], v);
    }
    return ep;
}

json_t *ck_epslice_mirror_groups(const json_t *endpoints)
{
    json_t *groups = json_array(), *idx = json_object();
    size_t i, j, k;
    json_t *ss, *a, *p;
    json_array_foreach(json_object_get(endpoints, "subsets"), i, ss) {
        json_t *ports = json_array();
        json_array_foreach(json_object_get(ss, "ports"), k, p) {
            json_t *ep = json_pack("{s:s,s:O?,s:s}", "name", ck_json_str(p, "name", ""), "port",
                                   json_object_get(p, "port"), "protocol", ck_json_str(p, "protocol", "TCP"));
            if (ep && json_object_get(p, "appProtocol")) json_object_set(ep, "appProtocol", json_object_get(p, "appProtocol"));
            if (ep) json_array_append_new(ports, ep);
        }
        static const char *const LISTS[] = {"addresses", "notReadyAddresses"};
        for (int l = 0; l < 2; l++) {
            json_array_foreach(json_object_get(ss, LISTS[l]), j, a) {
                const char *ip = ck_json_str(a, "ip", "");
                json_t *ep = address_endpoint(a, l == 0);
                if (ep) group_add(groups, idx, strchr(ip, ':') ? "IPv6" : "IPv4", ports, ep);
                json_decref(ep);
            }
        }
        json_decref(ports);
    }
    json_decref(idx);
    return groups;  /* no placeholder: an empty Endpoints mirrors to no slices */
}

bool ck_epslice_should_mirror(const json_t *endpoints, const json_t *svc)
{
    if (!svc || json_object_size(ck_json_path(svc, "spec.selector"))) return false;
    json_t *l = ck_json_path(endpoints, "metadata.labels");
    return strcmp(json_string_value(json_object_get(l, CK_EPSLICE_LABEL_SKIP_MIRROR)) ?: "", "true") != 0;
}

bool ck_epslice_tracker_stale(const json_t *pending, const json_t *cached)
{
    const char *name;
    json_t *want;
    json_object_foreach((json_t *)pending, name, want) {
        const json_t *have = NULL;
        size_t i;
        json_t *s;
        json_array_foreach(cached, i, s) if (!strcmp(ck_json_str(s, "metadata.name", ""), name)) have = s;
        if (json_is_null(want)) {
            if (have) return true;
        } else if (!have || atoll(ck_json_str(have, "metadata.resourceVersion", "0")) < json_integer_value(want)) {
            return true;
        }
    }
    return false;
}
