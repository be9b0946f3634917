/* endpoints_subsets.c: Service + pods -> Endpoints subsets, following
 * syncService's loop (podToEndpointAddressForService, addEndpointSubset)
 * and RepackSubsets' port -> address-set inversion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/endpoints_subsets.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"

int ck_endpoints_find_port(const json_t *pod, const json_t *sp, long *out)
{
    const json_t *tp = json_object_get(sp, "targetPort");
    if (!tp) { *out = (long)ck_json_int(sp, "port", 0); return 0; }
    if (json_is_integer(tp)) { *out = (long)json_integer_value(tp); return 0; }
    const char *name = json_string_value(tp);
    if (!name) return -1;
    /* a numeric string is an int-or-string holding a number */
    char *end;
    long n = strtol(name, &end, 10);
    if (*name && !*end) { *out = n; return 0; }
    const char *proto = ck_json_str(sp, "protocol", "TCP");
    static const char *const LISTS[] = {"spec.containers", "spec.initContainers"};
    for (size_t l = 0; l < 2; l++) {
        size_t i, j;
        json_t *c, *p;
        json_array_foreach(ck_json_path(pod, LISTS[l]), i, c) {
            /* init containers count only as sidecars (restartPolicy Always) */
            if (l == 1 && strcmp(ck_json_str(c, "restartPolicy", ""), "Always")) continue;
            json_array_foreach(json_object_get(c, "ports"), j, p) {
                if (!strcmp(ck_json_str(p, "name", ""), name) && !strcmp(ck_json_str(p, "protocol", "TCP"), proto)) {
                    *out = (long)ck_json_int(p, "containerPort", 0);
                    return 0;
                }
            }
        }
    }
    return -1;
}

bool ck_endpoints_pod_included(const json_t *pod)
{
    const char *phase = ck_json_str(pod, "status.phase", "");
    if (!strcmp(phase, "Failed") || !strcmp(phase, "Succeeded")) return false;
    if (!*ck_json_str(pod, "status.podIP", "")) return false;
    return !ck_json_path(pod, "metadata.deletionTimestamp");
}

/* podToEndpointAddressForService (+ hostname when the pod's subdomain is the service). */
static json_t *pod_address(const json_t *svc, const json_t *pod)
{
    json_t *a = json_pack("{s:s,s:{s:s,s:s,s:s,s:s}}", "ip", ck_json_str(pod, "status.podIP", ""), "targetRef",
                          "kind", "Pod", "namespace", ck_json_str(pod, "metadata.namespace", ""), "name",
                          ck_json_str(pod, "metadata.name", ""), "uid", ck_json_str(pod, "metadata.uid", ""));
    const char *node = ck_json_str(pod, "spec.nodeName", "");
    if (a && *node) json_object_set_new(a, "nodeName", json_string(node));
    const char *host = ck_json_str(pod, "spec.hostname", "");
    if (a && *host && !strcmp(ck_json_str(pod, "spec.subdomain", ""), ck_json_str(svc, "metadata.name", "")) &&
        !strcmp(ck_json_str(pod, "metadata.namespace", ""), ck_json_str(svc, "metadata.namespace", "")))
        json_object_set_new(a, "hostname", json_string(host));
    return a;
}

/* Canonical string of a port (the map key of portToAddrReadyMap). */
static char *port_key(const json_t *port) { return port ? json_dumps(port, JSON_COMPACT | JSON_SORT_KEYS) : strdup("-"); }

/* Adds (address, ready) under port in `by_port`: port key -> {"port": p, "addrs": {ip/uid: [addr, ready]}}. */
static void add_address(json_t *by_port, const json_t *port, json_t *addr, bool ready)
{
    char *pk = port_key(port);
    if (!pk) return;
    json_t *entry = json_object_get(by_port, pk);
    if (!entry) {
        entry = json_pack("{s:O?,s:{}}", "port", (json_t *)port, "addrs");
        json_object_set_new(by_port, pk, entry);
    }
    char ak[256];
    snprintf(ak, sizeof ak, "%s/%s", ck_json_str(addr, "ip", ""), ck_json_str(addr, "targetRef.uid", ""));
    json_object_set_new(json_object_get(entry, "addrs"), ak, json_pack("[O,b]", addr, ready));
    free(pk);
}

static int cmp_addr(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int c = strcmp(ck_json_str(a, "ip", ""), ck_json_str(b, "ip", ""));
    return c ? c : strcmp(ck_json_str(a, "targetRef.uid", ""), ck_json_str(b, "targetRef.uid", ""));
}

static int cmp_port(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int c = strcmp(ck_json_str(a, "name", ""), ck_json_str(b, "name", ""));
    return c ? c : (int)(ck_json_int(a, "port", 0) - ck_json_int(b, "port", 0));
}

static void sort_json_array(json_t *arr, int (*cmp)(const void *, const void *))
{
    size_t n = json_array_size(arr);
    if (n < 2) return;
    json_t **v = malloc(n * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, cmp);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, v[i]);
    free(v);
}

static int cmp_subset(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    json_t *fa = json_array_get(json_object_get(a, "addresses"), 0), *fb = json_array_get(json_object_get(b, "addresses"), 0);
    if (!fa) fa = json_array_get(json_object_get(a, "notReadyAddresses"), 0);
    if (!fb) fb = json_array_get(json_object_get(b, "notReadyAddresses"), 0);
    return cmp_addr(&fa, &fb);
}

/* RepackSubsets' inversion: ports with identical address sets share a subset. */
static json_t *repack(json_t *by_port)
{
    json_t *by_set = json_object();  /* address-set key -> subset */
    const char *pk;
    json_t *entry;
    json_object_foreach(by_port, pk, entry) {
        char *setkey = json_dumps(json_object_get(entry, "addrs"), JSON_COMPACT | JSON_SORT_KEYS);
        if (!setkey) continue;
        json_t *subset = json_object_get(by_set, setkey);
        if (!subset) {
            subset = json_object();
            json_t *ready = json_array(), *notready = json_array();
            const char *ak;
            json_t *pair;
            json_object_foreach(json_object_get(entry, "addrs"), ak, pair)
                json_array_append(json_is_true(json_array_get(pair, 1)) ? ready : notready, json_array_get(pair, 0));
            sort_json_array(ready, cmp_addr);
            sort_json_array(notready, cmp_addr);
            if (json_array_size(ready)) json_object_set(subset, "addresses", ready);
            if (json_array_size(notready)) json_object_set(subset, "notReadyAddresses", notready);
            json_decref(ready), json_decref(notready);
            json_object_set_new(by_set, setkey, subset);
        }
        json_t *port = json_object_get(entry, "port");
        if (json_is_object(port)) {
            json_t *ports = json_object_get(subset, "ports");
            if (!ports) json_object_set_new(subset, "ports", ports = json_array());
            json_array_append(ports, port);
            sort_json_array(ports, cmp_port);
        }
        free(setkey);
    }
    json_t *out = json_array();
    const char *k;
    json_t *s;
    json_object_foreach(by_set, k, s) json_array_append(out, s);
    json_decref(by_set);
    sort_json_array(out, cmp_subset);
    return out;
}

json_t *ck_endpoints_subsets(const json_t *svc, const json_t *pods)
{
    bool tolerate = ck_json_bool(svc, "spec.publishNotReadyAddresses", false);
    bool headless = !strcmp(ck_json_str(svc, "spec.clusterIP", ""), "None");
    json_t *sports = ck_json_path(svc, "spec.ports");
    json_t *by_port = json_object();
    size_t i, j;
    json_t *pod, *sp;
    json_array_foreach(pods, i, pod) {
        if (!*ck_json_str(pod, "status.podIP", "")) continue;
        if (!tolerate && ck_json_path(pod, "metadata.deletionTimestamp")) continue;
        bool ready = tolerate || ck_pod_is_ready(pod);
        /* addEndpointSubset: unready pods only when they should be in endpoints */
        if (!ready && !ck_endpoints_pod_included(pod)) continue;
        json_t *addr = pod_address(svc, pod);
        if (!addr) continue;
        if (!json_array_size(sports)) {
            if (headless) add_address(by_port, NULL, addr, ready);  /* headless may have no ports */
        }
        json_array_foreach(sports, j, sp) {
            long port;
            if (ck_endpoints_find_port(pod, sp, &port) < 0) continue;
            json_t *ep = json_pack("{s:s,s:I,s:s}", "name", ck_json_str(sp, "name", ""), "port", (json_int_t)port,
                                   "protocol", ck_json_str(sp, "protocol", "TCP"));
            if (!*ck_json_str(sp, "name", "")) json_object_del(ep, "name");
            json_t *app = json_object_get(sp, "appProtocol");
            if (app) json_object_set(ep, "appProtocol", app);
            add_address(by_port, ep, addr, ready);
            json_decref(ep);
        }
        json_decref(addr);
    }
    json_t *out = repack(by_port);
    json_decref(by_port);
    return out;
}

json_t *ck_endpoints_desired(const json_t *svc, const json_t *pods)
{
    const json_t *sl = ck_json_path(svc, "metadata.labels");
    json_t *labels = sl ? json_deep_copy(sl) : json_object();
    if (!labels) return NULL;
    json_object_del(labels, "service.kubernetes.io/headless");
    if (!strcmp(ck_json_str(svc, "spec.clusterIP", ""), "None"))
        json_object_set_new(labels, "service.kubernetes.io/headless", json_string(""));
    return json_pack("{s:s,s:s,s:{s:s,s:s,s:o},s:o}", "apiVersion", "v1", "kind", "Endpoints", "metadata", "name",
                     ck_json_str(svc, "metadata.name", ""), "namespace", ck_json_str(svc, "metadata.namespace", ""),
                     "labels", labels, "subsets", ck_endpoints_subsets(svc, pods));
}

bool ck_endpoints_up_to_date(const json_t *current, const json_t *desired)
{
    if (!current) return false;
    json_t *cs = json_object_get(current, "subsets"), *ds = json_object_get(desired, "subsets");
    bool subsets = (!json_array_size(cs) && !json_array_size(ds)) || ck_json_equal(cs, ds);
    json_t *cl = ck_json_path(current, "metadata.labels"), *dl = ck_json_path(desired, "metadata.labels");
    bool labels = (!json_object_size(cl) && !json_object_size(dl)) || ck_json_equal(cl, dl);
    return subsets && labels;
}
