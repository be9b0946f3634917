/* t_services.c: Services on a cluster, after test/e2e/network/service.go and
 * networking.go: Endpoints following ready pods (endpoints controller),
 * EndpointSlices, reachability of ClusterIP and NodePort services through
 * kube-proxy and of pods through the pod network, checked from a client
 * pod's log (the harness has no exec client). Cluster profile. */
#include "cluster.h"
#include <stdlib.h>
#include <string.h>

/* A busybox httpd on port 8080 answering its pod name, labelled name=label. */
static json_t *server_pod(ckc_t *t, const char *ns, const char *name, const char *label, int port)
{
    json_t *pod = cl_pod(t, name, "Always",
                         ckc_fmt(t, "mkdir -p /www; hostname > /www/index.html; httpd -f -p %d -h /www", port));
    cl_set_label(pod, "name", label);
    json_object_set_new(cl_container(pod, 0, 0), "ports", json_pack("[{s:i}]", "containerPort", port));
    cl_create_pod(t, ns, pod);
    return cl_wait_running(t, ns, name);
}

static json_t *service(ckc_t *t, const char *ns, const char *name, const char *label, const char *type, const char *ports)
{
    json_t *svc = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},"
                               "\"spec\":{\"type\":\"%s\",\"selector\":{\"name\":\"%s\"},\"ports\":%s}}",
                            name, type, label, ports);
    return ckc_create(t, "services", ns, name, svc);
}

/* A client pod that fetches url (retrying for a minute) must print want. */
static void expect_reachable(ckc_t *t, const char *ns, const char *url, const char *want)
{
    /* nc, not wget: the static busybox wget of some images crashes on lookups */
    const char *script = ckc_fmt(t, "for i in $(seq 1 60); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 %s "
                                    "| grep -q '%s' && echo %s && exit 0; sleep 1; done; exit 1", url, want, want);
    cl_expect_output(t, ns, cl_pod(t, ckc_rand_name(t, "execpod-"), "Never", script), NULL,
                     (const char *const[]){want, NULL});
}

/* ---- Endpoints ---- */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "ip:port,..." sorted, from ready addresses (or notReadyAddresses). */
static const char *ep_pairs(ckc_t *t, json_t *ep, const char *which)
{
    const char *pairs[64];
    size_t n = 0, i, j, k; json_t *s, *a, *p;
    json_array_foreach(json_object_get(ep, "subsets"), i, s)
        json_array_foreach(json_object_get(s, which), j, a)
            json_array_foreach(json_object_get(s, "ports"), k, p)
                if (n < 64) pairs[n++] = ckc_fmt(t, "%s:%lld", ckc_str(a, "ip"), (long long)json_integer_value(json_object_get(p, "port")));
    qsort(pairs, n, sizeof pairs[0], cmp_str);
    char *out = ckc_fmt(t, "%s", "");
    for (i = 0; i < n; i++) out = ckc_fmt(t, "%s%s%s", out, i ? "," : "", pairs[i]);
    return out;
}

/* Waits until the service's Endpoints hold exactly want ("ip:port,..." sorted). */
static void wait_endpoints(ckc_t *t, const char *ns, const char *name, const char *which, const char *want)
{
    double deadline = ckc_now() + ckc_timeout(t, 60);
    const char *got = "(no Endpoints object)";
    for (;;) {
        ckc_resp *r = ckc_get(t, ckc_item(t, "endpoints", ns, name));
        if (r->code == 200) got = ep_pairs(t, r->json, which);
        if ((r->code == 200 || !*want) && !strcmp(got, want)) return;
        if (r->code == 404 && !*want) return;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    CKC_FAIL(t, "Endpoints %s/%s %s must be [%s] within %.0fs, got [%s]", ns, name, which, want, ckc_timeout(t, 60), got);
}

static const char *pair(ckc_t *t, json_t *pod, int port) { return ckc_fmt(t, "%s:%d", ckc_str(pod, "status.podIP"), port); }
static const char *sorted2(ckc_t *t, const char *a, const char *b)
{
    return strcmp(a, b) < 0 ? ckc_fmt(t, "%s,%s", a, b) : ckc_fmt(t, "%s,%s", b, a);
}

static void t_basic_endpoint(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    service(t, ns, "endpoint-test2", "endpoint-test2", "ClusterIP", "[{\"port\":80,\"targetPort\":8080}]");
    wait_endpoints(t, ns, "endpoint-test2", "addresses", "");
    json_t *p1 = server_pod(t, ns, "pod1", "endpoint-test2", 8080);
    wait_endpoints(t, ns, "endpoint-test2", "addresses", pair(t, p1, 8080));
    json_t *p2 = server_pod(t, ns, "pod2", "endpoint-test2", 8080);
    wait_endpoints(t, ns, "endpoint-test2", "addresses", sorted2(t, pair(t, p1, 8080), pair(t, p2, 8080)));
    cl_delete_now(t, ckc_item(t, "pods", ns, "pod1"));
    wait_endpoints(t, ns, "endpoint-test2", "addresses", pair(t, p2, 8080));
    cl_delete_now(t, ckc_item(t, "pods", ns, "pod2"));
    wait_endpoints(t, ns, "endpoint-test2", "addresses", "");
}

/* Named targetPorts resolve per pod: pod1 serves svc1 on 100, pod2 svc2 on 101. */
static void t_multiport(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    service(t, ns, "multi-endpoint-test", "multi-endpoint-test", "ClusterIP",
            "[{\"name\":\"portname1\",\"port\":80,\"targetPort\":\"svc1\"},"
            "{\"name\":\"portname2\",\"port\":81,\"targetPort\":\"svc2\"}]");
    const char *names[2] = {"pod1", "pod2"}, *ports[2] = {"svc1", "svc2"};
    json_t *pods[2];
    for (int i = 0; i < 2; i++) {
        json_t *pod = cl_pod(t, names[i], "Always", NULL);
        cl_set_label(pod, "name", "multi-endpoint-test");
        json_object_set_new(cl_container(pod, 0, 0), "ports", json_pack("[{s:s, s:i}]", "name", ports[i], "containerPort", 100 + i));
        cl_create_pod(t, ns, pod);
        pods[i] = cl_wait_running(t, ns, names[i]);
    }
    wait_endpoints(t, ns, "multi-endpoint-test", "addresses", sorted2(t, pair(t, pods[0], 100), pair(t, pods[1], 101)));
    cl_delete_now(t, ckc_item(t, "pods", ns, "pod1"));
    wait_endpoints(t, ns, "multi-endpoint-test", "addresses", pair(t, pods[1], 101));
}

static void t_same_port_protocols(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    service(t, ns, "multiprotocol-test", "multiprotocol-test", "ClusterIP",
            "[{\"name\":\"tcp-port\",\"port\":53,\"protocol\":\"TCP\",\"targetPort\":8080},"
            "{\"name\":\"udp-port\",\"port\":53,\"protocol\":\"UDP\",\"targetPort\":8080}]");
    json_t *p = server_pod(t, ns, "pod1", "multiprotocol-test", 8080);
    wait_endpoints(t, ns, "multiprotocol-test", "addresses", sorted2(t, pair(t, p, 8080), pair(t, p, 8080)));
    json_t *ep = ckc_fetch(t, "endpoints", ns, "multiprotocol-test");
    const char *protos = "";
    size_t i, k; json_t *s, *pt;
    json_array_foreach(json_object_get(ep, "subsets"), i, s)
        json_array_foreach(json_object_get(s, "ports"), k, pt) protos = ckc_fmt(t, "%s%s ", protos, ckc_str(pt, "protocol"));
    CKC_CHECK(t, NULL, cl_has(protos, "TCP") && cl_has(protos, "UDP"), "Endpoints must list port 8080 for TCP and UDP, got %s",
              protos);
}

/* Not ready pods are listed under notReadyAddresses until their readiness probe passes. */
static void t_endpoints_readiness(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    service(t, ns, "ready-test", "ready-test", "ClusterIP", "[{\"port\":80,\"targetPort\":8080}]");
    json_t *pod = cl_pod(t, "slow-ready", "Always", "sleep 15; touch /tmp/ready; sleep 3600");
    cl_set_label(pod, "name", "ready-test");
    json_object_set_new(cl_container(pod, 0, 0), "readinessProbe",
                        json_pack("{s:{s:[s,s]}, s:i}", "exec", "command", "cat", "/tmp/ready", "periodSeconds", 1));
    cl_create_pod(t, ns, pod);
    json_t *p = cl_wait_pod(t, ns, "slow-ready", cl_pred_phase, "Running", 60, "must be Running");
    if (!cl_same(cl_condition(p, "Ready"), "True"))
        wait_endpoints(t, ns, "ready-test", "notReadyAddresses", pair(t, p, 8080));
    p = cl_wait_running(t, ns, "slow-ready");
    wait_endpoints(t, ns, "ready-test", "addresses", pair(t, p, 8080));
    wait_endpoints(t, ns, "ready-test", "notReadyAddresses", "");
}

static void t_endpointslice(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    service(t, ns, "example-int-port", "example-slice", "ClusterIP", "[{\"name\":\"example\",\"port\":80,\"targetPort\":8080}]");
    json_t *p = server_pod(t, ns, "pod1", "example-slice", 8080);
    const char *ip = ckc_str(p, "status.podIP");
    const char *path = ckc_fmt(t, "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices?labelSelector="
                                  "kubernetes.io%%2Fservice-name%%3Dexample-int-port", ns);
    double deadline = ckc_now() + ckc_timeout(t, 60);
    for (;;) {
        size_t i, j, k; json_t *s, *e, *a;
        json_array_foreach(cl_list(t, path), i, s)
            json_array_foreach(json_object_get(s, "endpoints"), j, e)
                json_array_foreach(json_object_get(e, "addresses"), k, a)
                    if (cl_same(json_string_value(a), ip)) {
                        CKC_CHECK(t, NULL, cl_same(ckc_str(s, "addressType"), "IPv4") || cl_same(ckc_str(s, "addressType"), "IPv6"),
                                  "the slice must have an IP addressType");
                        CKC_CHECK(t, NULL, json_integer_value(ckc_at(s, "ports.0.port")) == 8080,
                                  "the slice's port must be the target port 8080");
                        return;
                    }
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    CKC_FAIL(t, "no EndpointSlice labelled kubernetes.io/service-name=example-int-port lists pod IP %s within %.0fs", ip,
             ckc_timeout(t, 60));
}

/* ---- reachability ---- */
static void t_cluster_ip_reachable(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    server_pod(t, ns, "backend-1", "clusterip-test", 8080);
    json_t *svc = service(t, ns, "clusterip-test", "clusterip-test", "ClusterIP", "[{\"port\":80,\"targetPort\":8080}]");
    expect_reachable(t, ns, ckc_fmt(t, "%s 80", ckc_str(svc, "spec.clusterIP")), "backend-1");
}

static void t_node_port_reachable(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *nodes = cl_ready_nodes(t);
    server_pod(t, ns, "backend-1", "nodeport-test", 8080);
    json_t *svc = service(t, ns, "nodeport-test", "nodeport-test", "NodePort", "[{\"port\":80,\"targetPort\":8080}]");
    json_int_t np = json_integer_value(ckc_at(svc, "spec.ports.0.nodePort"));
    CKC_CHECK(t, NULL, np > 0, "a NodePort service must be allocated spec.ports[0].nodePort");
    const char *ip = cl_node_ip(json_array_get(nodes, 0));
    CKC_CHECK(t, NULL, ip != NULL, "the node must report an address");
    expect_reachable(t, ns, ckc_fmt(t, "%s %lld", ip, (long long)np), "backend-1");
}

static void t_pod_to_pod(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *p = server_pod(t, ns, "netserver-0", "netserver", 8080);
    expect_reachable(t, ns, ckc_fmt(t, "%s 8080", ckc_str(p, "status.podIP")), "netserver-0");
}

static void to_cluster_ip(ckc_t *t, json_t *o, void *type)
{
    json_t *spec = json_object_get(o, "spec");
    json_object_set_new(spec, "type", json_string(type));
    json_object_del(spec, "externalName");
    json_object_set_new(spec, "selector", json_pack("{s:s}", "name", "externalname-service"));
    json_object_set_new(spec, "ports", json_pack("[{s:s, s:i, s:i}]", "name", "http", "port", 80, "targetPort", 8080));
}

static void from_external_name(ckc_t *t, const char *type)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "services", ns, "externalname-service");
    ckc_create(t, "services", ns, "externalname-service",
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"externalname-service\"},"
                            "\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"foo.example.com\"}}"));
    server_pod(t, ns, "externalname-service-1", "externalname-service", 8080);
    ckc_resp *r = ckc_update(t, item, to_cluster_ip, (void *)type);
    CKC_CODE(t, r, 200);
    const char *ip = ckc_str(r->json, "spec.clusterIP");
    CKC_CHECK(t, r, ip && *ip && strcmp(ip, "None"), "changing to %s must allocate a cluster IP", type);
    expect_reachable(t, ns, ckc_fmt(t, "%s 80", ip), "externalname-service-1");
    if (!strcmp(type, "NodePort")) {
        json_int_t np = json_integer_value(ckc_at(r->json, "spec.ports.0.nodePort"));
        CKC_CHECK(t, r, np > 0, "changing to NodePort must allocate a node port");
        expect_reachable(t, ns, ckc_fmt(t, "%s %lld", cl_node_ip(json_array_get(cl_ready_nodes(t), 0)),
                                        (long long)np), "externalname-service-1");
    }
}
static void t_external_to_cluster_ip(ckc_t *t) { from_external_name(t, "ClusterIP"); }
static void t_external_to_node_port(ckc_t *t) { from_external_name(t, "NodePort"); }

#define NET "[sig-network] Services "
#define SVC_DOC "https://kubernetes.io/docs/concepts/services-networking/service/"
const ckc_test ckc_tests_services[] = {
    {"cluster.service.basic-endpoint", "Endpoints follow the pods a service selects as they come and go",
     CKC_PROFILE_CLUSTER, NET "should serve a basic endpoint from pods [Conformance]", NULL, "v1/services v1/endpoints",
     t_basic_endpoint},
    {"cluster.service.multiport-endpoints", "named targetPorts resolve per pod in Endpoints", CKC_PROFILE_CLUSTER,
     NET "should serve multiport endpoints from pods [Conformance]", NULL, "v1/services v1/endpoints", t_multiport},
    {"cluster.service.same-port-protocols", "one port number over TCP and UDP gives both in Endpoints",
     CKC_PROFILE_CLUSTER, NET "should serve endpoints on same port and different protocols [Conformance]", NULL,
     "v1/services v1/endpoints", t_same_port_protocols},
    {"cluster.service.endpoints-readiness", "unready pods are notReadyAddresses until their readiness probe passes",
     CKC_PROFILE_CLUSTER, NULL, "https://kubernetes.io/docs/concepts/services-networking/service/#endpoints",
     "v1/services v1/endpoints", t_endpoints_readiness},
    {"cluster.service.endpointslice", "an EndpointSlice labelled with the service lists the pod", CKC_PROFILE_CLUSTER,
     "[sig-network] EndpointSlice should create Endpoints and EndpointSlices for Pods matching a Service [Conformance]",
     NULL, "v1/services discovery.k8s.io/v1/endpointslices", t_endpointslice},
    {"cluster.service.cluster-ip-reachable", "a pod reaches a backend through the service's cluster IP (kube-proxy)",
     CKC_PROFILE_CLUSTER, NULL, SVC_DOC "#type-clusterip", "v1/services v1/pods", t_cluster_ip_reachable},
    {"cluster.service.node-port-reachable", "a pod reaches a backend through nodeIP:nodePort", CKC_PROFILE_CLUSTER,
     NET "should be able to create a functioning NodePort service [Conformance]", NULL, "v1/services v1/pods",
     t_node_port_reachable},
    {"cluster.service.external-name-to-cluster-ip", "ExternalName changed to ClusterIP gets an IP that reaches pods",
     CKC_PROFILE_CLUSTER, NET "should be able to change the type from ExternalName to ClusterIP [Conformance]", NULL,
     "v1/services v1/pods", t_external_to_cluster_ip},
    {"cluster.service.external-name-to-node-port", "ExternalName changed to NodePort gets a node port that reaches pods",
     CKC_PROFILE_CLUSTER, NET "should be able to change the type from ExternalName to NodePort [Conformance]", NULL,
     "v1/services v1/pods", t_external_to_node_port},
    {"cluster.network.pod-to-pod", "a pod reaches another pod's IP over HTTP", CKC_PROFILE_CLUSTER,
     "[sig-network] Networking Granular Checks: Pods should function for intra-pod communication: http [NodeConformance] [Conformance]",
     NULL, "v1/pods", t_pod_to_pod},
    {0},
};
