/* t_upstream.c: upstream conformance behaviours that conformance/UPSTREAM.md
 * listed as in scope but not mirrored: RuntimeClass admission and overhead,
 * the apiserver's own Endpoints/EndpointSlice, node count, cluster DNS.
 * Each test follows the upstream e2e test named. (ResourceQuota and
 * LimitRange defaulting live in t_quota.c.) */
#include "cluster.h"
#include <stdlib.h>
#include <string.h>

/* ---- RuntimeClass (test/e2e/common/node/runtimeclass.go) -------------- */

typedef struct rc_cleanup { ckc_run *run; char *path; } rc_cleanup;
static void rc_cleanup_fn(void *p)
{
    rc_cleanup *c = p;
    ckc_reqspec rq = {.method = "DELETE", .path = c->path};
    ckc_resp_free(ckc_request_run(c->run, &rq));
    free(c->path);
    free(c);
}

/* Creates RuntimeClass <ns>-<name> with handler (and overhead JSON or NULL);
 * deleted at test end. Returns its name. */
static const char *create_rc(ckc_t *t, const char *name, const char *handler, const char *overhead)
{
    const char *rc = ckc_fmt(t, "%s-%s", ckc_ns(t), name);
    json_t *obj = ckc_parse(t, "{\"apiVersion\":\"node.k8s.io/v1\",\"kind\":\"RuntimeClass\","
                               "\"metadata\":{\"name\":\"%s\"},\"handler\":\"%s\"%s%s}",
                            rc, handler, overhead ? ",\"overhead\":" : "", overhead ? overhead : "");
    CKC_CODE(t, ckc_post(t, "/apis/node.k8s.io/v1/runtimeclasses", obj), 201);
    rc_cleanup *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(ckc_fmt(t, "/apis/node.k8s.io/v1/runtimeclasses/%s", rc)))) {
        free(c);
        CKC_FAIL(t, "out of memory");
    }
    c->run = t->run;
    ckc_own(t, c, rc_cleanup_fn);
    return rc;
}

/* expectPodRejection: a dry-run create of a pod naming rc is 403 Forbidden
 * (the RuntimeClass admission plugin: "pod rejected: RuntimeClass ... not found"). */
static ckc_resp *rc_pod_dry_run(ckc_t *t, const char *rc)
{
    json_t *pod = ckc_manifest(t, "pods", ckc_ns(t), ckc_rand_name(t, "test-runtimeclass-"));
    json_object_set_new(json_object_get(pod, "spec"), "runtimeClassName", json_string(rc));
    return ckc_post(t, ckc_fmt(t, "/api/v1/namespaces/%s/pods?dryRun=All", ckc_ns(t)), pod);
}

static void t_rc_nonexistent(ckc_t *t)
{
    ckc_resp *r = rc_pod_dry_run(t, ckc_fmt(t, "%s-nonexistent", ckc_ns(t)));
    CKC_STATUS(t, r, 403, "Forbidden");
}

static void t_rc_deleted(ckc_t *t)
{
    const char *rc = create_rc(t, "delete-me", "runc", NULL);
    const char *path = ckc_fmt(t, "/apis/node.k8s.io/v1/runtimeclasses/%s", rc);
    CKC_CODE(t, ckc_delete(t, path, NULL), 200);
    ckc_wait_gone(t, path, 60);
    double deadline = ckc_now() + ckc_timeout(t, 30);
    ckc_resp *r;
    while ((r = rc_pod_dry_run(t, rc))->code != 403 && ckc_now() < deadline) ckc_sleep_ms(1000);
    CKC_STATUS(t, r, 403, "Forbidden");
}

/* A pod naming rc, scheduled (not necessarily run), then deleted at once. */
static json_t *rc_scheduled_pod(ckc_t *t, const char *rc)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "test-runtimeclass", "Never", NULL);
    json_object_set_new(json_object_get(pod, "spec"), "runtimeClassName", json_string(rc));
    cl_create_pod(t, ns, pod);
    json_t *got = cl_wait_pod(t, ns, "test-runtimeclass", cl_pred_scheduled, NULL, 60, "scheduled");
    cl_delete_now(t, ckc_fmt(t, "/api/v1/namespaces/%s/pods/test-runtimeclass", ns));
    return got;
}

static void t_rc_no_overhead(ckc_t *t)
{
    json_t *pod = rc_scheduled_pod(t, create_rc(t, "preconfigured-handler", "test-handler", NULL));
    json_t *oh = ckc_at(pod, "spec.overhead");
    CKC_CHECK(t, NULL, !oh || json_is_null(oh) || !json_object_size(oh),
              "a RuntimeClass without overhead must leave spec.overhead empty");
}

static void t_rc_overhead(ckc_t *t)
{
    const char *rc = create_rc(t, "preconfigured-handler", "test-handler",
                               "{\"podFixed\":{\"cpu\":\"10m\",\"memory\":\"1Mi\"}}");
    json_t *pod = rc_scheduled_pod(t, rc);
    CKC_CHECK(t, NULL, cl_same(ckc_str(pod, "spec.overhead.cpu"), "10m") &&
                           cl_same(ckc_str(pod, "spec.overhead.memory"), "1Mi"),
              "the RuntimeClass admission must copy overhead.podFixed to spec.overhead (cpu 10m, memory 1Mi); "
              "got cpu %s memory %s", ckc_str(pod, "spec.overhead.cpu") ? ckc_str(pod, "spec.overhead.cpu") : "none",
              ckc_str(pod, "spec.overhead.memory") ? ckc_str(pod, "spec.overhead.memory") : "none");
}

/* ---- the apiserver's endpoints (test/e2e/network/endpointslice.go) ---- */

/* "ip:port/proto" strings of Endpoints subsets or EndpointSlices, sorted. */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static char *joined(ckc_t *t, json_t *set)
{
    size_t n = json_object_size(set), i = 0;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys) CKC_FAIL(t, "out of memory");
    const char *k;
    json_t *v;
    json_object_foreach(set, k, v) keys[i++] = k;
    qsort(keys, n, sizeof *keys, cmp_str);
    char *s = ckc_fmt(t, "%s", "");
    for (i = 0; i < n; i++) s = ckc_fmt(t, "%s%s%s", s, i ? " " : "", keys[i]);
    free(keys);
    return s;
}

static void t_endpoints_apiserver(ckc_t *t)
{
    CKC_CODE(t, ckc_get(t, "/api/v1/namespaces/default/services/kubernetes"), 200);
    ckc_resp *ep = ckc_get(t, "/api/v1/namespaces/default/endpoints/kubernetes");
    CKC_CODE(t, ep, 200);
    CKC_CHECK(t, ep, json_array_size(ckc_at(ep->json, "subsets")) > 0, "Endpoints kubernetes has no subsets");
    ckc_resp *sl = ckc_get(t, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"
                              "?labelSelector=kubernetes.io%2Fservice-name%3Dkubernetes");
    CKC_CODE(t, sl, 200);
    CKC_CHECK(t, sl, json_array_size(ckc_at(sl->json, "items")) > 0,
              "no EndpointSlice labelled kubernetes.io/service-name=kubernetes in default");
    /* endpointSlicesEqual: the same addresses and ports on both sides. */
    json_t *a = ckc_ownj(t, json_object()), *b = ckc_ownj(t, json_object());
    size_t i, j, k;
    json_t *s, *x, *p;
    json_array_foreach(ckc_at(ep->json, "subsets"), i, s)
        json_array_foreach(ckc_at(s, "addresses"), j, x)
            json_array_foreach(ckc_at(s, "ports"), k, p)
                json_object_set_new(a, ckc_fmt(t, "%s:%lld/%s", ckc_str(x, "ip"),
                                               json_integer_value(ckc_at(p, "port")), ckc_str(p, "protocol")), json_true());
    json_array_foreach(ckc_at(sl->json, "items"), i, s)
        json_array_foreach(ckc_at(s, "endpoints"), j, x) {
            size_t m;
            json_t *addr;
            json_array_foreach(ckc_at(x, "addresses"), m, addr)
                json_array_foreach(ckc_at(s, "ports"), k, p)
                    json_object_set_new(b, ckc_fmt(t, "%s:%lld/%s", json_string_value(addr),
                                                   json_integer_value(ckc_at(p, "port")), ckc_str(p, "protocol")), json_true());
        }
    const char *ja = joined(t, a), *jb = joined(t, b);
    CKC_CHECK(t, sl, !strcmp(ja, jb), "EndpointSlices (%s) must match Endpoints kubernetes (%s)", jb, ja);
}

/* ---- nodes (test/e2e/architecture/conformance.go) --------------------- */

static void t_two_untainted_nodes(ckc_t *t)
{
    json_t *nodes = cl_ready_nodes(t); /* Ready, schedulable, no NoSchedule/NoExecute taint */
    CKC_CHECK(t, NULL, json_array_size(nodes) >= 2, "Conformance requires at least two nodes; %zu ready and untainted",
              json_array_size(nodes));
}

/* ---- cluster DNS (test/e2e/network/dns.go) ----------------------------- */

/* Upstream probes names with dig from a pod (dnsPolicy ClusterFirst) and
 * expects A records; here busybox's nslookup resolves fully qualified names
 * (busybox applies no search path), each line tagged with the name, and the
 * answer must carry the service's ClusterIP. */
static void expect_resolves(ckc_t *t, const char *ns, const char *fqdn, const char *ip)
{
    const char *script = ckc_fmt(t, "nslookup %s 2>&1; echo done", fqdn);
    json_t *pod = cl_pod(t, ckc_rand_name(t, "dns-test-"), "Never", script);
    const char *const expect[] = {ckc_fmt(t, "Address: %s", ip), NULL};
    cl_expect_output(t, ns, pod, NULL, expect);
}

static void t_dns_cluster(ckc_t *t)
{
    ckc_resp *r = ckc_get(t, "/api/v1/namespaces/default/services/kubernetes");
    CKC_CODE(t, r, 200);
    const char *ip = ckc_str(r->json, "spec.clusterIP");
    CKC_CHECK(t, r, ip != NULL, "the kubernetes service has no clusterIP");
    expect_resolves(t, ckc_ns(t), "kubernetes.default.svc.cluster.local", ip);
}

static void t_dns_services(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *svc = ckc_create(t, "services", ns, "dns-test-service", NULL);
    const char *ip = ckc_str(svc, "spec.clusterIP");
    CKC_CHECK(t, NULL, ip != NULL, "service dns-test-service got no clusterIP");
    expect_resolves(t, ns, ckc_fmt(t, "dns-test-service.%s.svc.cluster.local", ns), ip);
}

#define UP_NC " [NodeConformance] [Conformance]"
const ckc_test ckc_tests_upstream[] = {
    {"api.upstream.runtimeclass-nonexistent", "a pod naming a missing RuntimeClass is 403 Forbidden", CKC_PROFILE_API,
     "[sig-node] RuntimeClass should reject a Pod requesting a non-existent RuntimeClass" UP_NC, NULL,
     "node.k8s.io/v1/runtimeclasses v1/pods", t_rc_nonexistent},
    {"api.upstream.runtimeclass-deleted", "a pod naming a deleted RuntimeClass is 403 Forbidden", CKC_PROFILE_API,
     "[sig-node] RuntimeClass should reject a Pod requesting a deleted RuntimeClass" UP_NC, NULL,
     "node.k8s.io/v1/runtimeclasses v1/pods", t_rc_deleted},
    {"api.upstream.endpoints-apiserver", "default/kubernetes has Endpoints and matching EndpointSlices", CKC_PROFILE_API,
     "[sig-network] EndpointSlice should have Endpoints and EndpointSlices pointing to API Server [Conformance]", NULL,
     "v1/endpoints discovery.k8s.io/v1/endpointslices", t_endpoints_apiserver},
    {"cluster.upstream.two-untainted-nodes", "at least two Ready, untainted, schedulable nodes", CKC_PROFILE_CLUSTER,
     "[sig-architecture] Conformance Tests should have at least two untainted nodes [Conformance]", NULL, "v1/nodes",
     t_two_untainted_nodes},
    {"cluster.upstream.runtimeclass-no-overhead", "a pod naming a RuntimeClass is scheduled, no overhead", CKC_PROFILE_CLUSTER,
     "[sig-node] RuntimeClass should schedule a Pod requesting a RuntimeClass without PodOverhead" UP_NC, NULL,
     "node.k8s.io/v1/runtimeclasses v1/pods", t_rc_no_overhead},
    {"cluster.upstream.runtimeclass-overhead", "a RuntimeClass's podFixed overhead is set on the pod", CKC_PROFILE_CLUSTER,
     "[sig-node] RuntimeClass should schedule a Pod requesting a RuntimeClass and initialize its Overhead" UP_NC, NULL,
     "node.k8s.io/v1/runtimeclasses v1/pods", t_rc_overhead},
    {"cluster.upstream.dns-cluster", "a pod resolves kubernetes.default.svc.cluster.local", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide DNS for the cluster [Conformance]", NULL, "v1/pods", t_dns_cluster},
    {"cluster.upstream.dns-services", "a pod resolves a service's FQDN to its ClusterIP", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide DNS for services [Conformance]", NULL, "v1/pods v1/services", t_dns_services},
    {0},
};
