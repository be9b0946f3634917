/* t_netnode_svc.c: [sig-network] upstream conformance tests through the
 * apiserver proxy (proxy.go), endpoints latency (service_latency.go) and
 * service type changes and session affinity (service.go), for the table
 * ckc_tests_netnode in t_netnode.c. Proxy backends run agnhost porter as
 * upstream; the others are busybox httpd/nc servers. */
#define _GNU_SOURCE
#include "t_netnode.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Proxy version v1 (test/e2e/network/proxy.go) ---- */
static size_t discard(char *p, size_t s, size_t n, void *u) { return s * n; }

/* HEAD needs CURLOPT_NOBODY, which ckc_request does not set: one request
 * with the kubeconfig's server, TLS and token. Returns the status or 0. */
static long head_status(ckc_t *t, const char *path)
{
    const ckc_kubeconfig *kc = &t->run->kc;
    CURL *c = curl_easy_init();
    if (!c) return 0;
    struct curl_slist *h = NULL;
    char *url = ckc_fmt(t, "%s%s", kc->server, path), *auth = kc->token ? ckc_fmt(t, "Authorization: Bearer %s", kc->token) : NULL;
    if (auth) h = curl_slist_append(h, auth);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    if (h) curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (kc->insecure) { curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L); curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L); }
    if (kc->ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, kc->ca_file);
    struct curl_blob ca = {kc->ca_data, kc->ca_len, CURL_BLOB_COPY}, cert = {kc->cert_data, kc->cert_len, CURL_BLOB_COPY},
                     key = {kc->key_data, kc->key_len, CURL_BLOB_COPY};
    if (kc->ca_data) curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca);
    if (kc->cert_file) curl_easy_setopt(c, CURLOPT_SSLCERT, kc->cert_file);
    if (kc->key_file) curl_easy_setopt(c, CURLOPT_SSLKEY, kc->key_file);
    if (kc->cert_data) curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
    if (kc->key_data) curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
    long code = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (t->run->request_log) fprintf(t->run->request_log, "HEAD %s %ld\n", path, code);
    return code;
}

/* validateProxyVerbRequest: 200 and, except for HEAD, porter's
 * {"Method": verb, "Body": msg}; polled like upstream (requestRetryTimeout). */
static void proxy_verb(ckc_t *t, const char *path, const char *verb, long want_code)
{
    double deadline = ckc_now() + ckc_timeout(t, 60);
    long code = 0;
    const char *got = "";
    for (;;) {
        if (!strcmp(verb, "HEAD")) {
            code = head_status(t, path);
            if (code == want_code) return;
        } else {
            ckc_reqspec rq = {.method = verb, .path = path, .accept = "*/*"};
            ckc_resp *r = ckc_request(t, &rq);
            code = r->code;
            got = r->body ? r->body : "";
            json_t *j = code == 200 ? ckc_ownj(t, json_loads(got, 0, NULL)) : NULL;
            if (code == want_code && (want_code != 200 || (cl_same(ckc_str(j, "Method"), verb) && cl_same(ckc_str(j, "Body"), "foo"))))
                return;
        }
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(1000);
    }
    CKC_FAIL(t, "%s %s: want %ld%s, got %ld %.200s", verb, path, want_code,
             want_code == 200 && strcmp(verb, "HEAD") ? " with {\"Method\":verb,\"Body\":\"foo\"}" : "", code, got);
}

/* The agnhost porter --json-response pod (SERVE_PORT_80=foo), polled until
 * Running (checkPodStatus), then its service, as upstream. */
static void porter_and_service(ckc_t *t, const char *ns, const char *svc, const char *label)
{
    json_t *pod = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s, s:o}, s:{s:[{s:s, s:s, s:[s,s,s], s:[{s:s, s:s}]}], s:s}}",
                                        "apiVersion", "v1", "kind", "Pod", "metadata", "name", "agnhost", "labels",
                                        json_incref(ckc_parse(t, "{%s}", label)), "spec", "containers", "image", NN_AGNHOST,
                                        "name", "agnhost", "command", "/agnhost", "porter", "--json-response", "env", "name",
                                        "SERVE_PORT_80", "value", "foo", "restartPolicy", "Never"));
    cl_create_pod(t, ns, pod);
    cl_wait_pod(t, ns, "agnhost", cl_pred_phase, "Running", 90, "must be Running");
    nn_create_service(t, ns, ckc_fmt(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\",\"labels\":{%s}},"
                                     "\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":80,\"protocol\":\"TCP\"}],\"selector\":{%s}}}",
                                  svc, label, label));
}

void nn_proxy_verbs(ckc_t *t)
{
    const char *ns = ckc_ns(t), *svc = "e2e-proxy-test-service";
    porter_and_service(t, ns, svc, "\"e2e-test\":\"proxy-endpoints\"");
    static const char *const verbs[] = {"DELETE", "OPTIONS", "PATCH", "POST", "PUT", NULL};
    const char *bases[2] = {ckc_fmt(t, "/api/v1/namespaces/%s/pods/agnhost/proxy", ns),
                            ckc_fmt(t, "/api/v1/namespaces/%s/services/%s/proxy", ns, svc)};
    for (int b = 0; b < 2; b++)
        for (const char *const *v = verbs; *v; v++) proxy_verb(t, ckc_fmt(t, "%s?method=%s", bases[b], *v), *v, 200);
    /* GET and HEAD without the trailing slash redirect (301) */
    static const char *const redirects[] = {"GET", "HEAD", NULL};
    for (const char *const *v = redirects; *v; v++)
        for (int b = 0; b < 2; b++) proxy_verb(t, ckc_fmt(t, "%s?method=%s", bases[b], *v), *v, 301);
}

void nn_proxy_with_path(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    porter_and_service(t, ns, "test-service", "\"test\":\"response\"");
    static const char *const verbs[] = {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", NULL};
    for (const char *const *v = verbs; *v; v++)
        proxy_verb(t, ckc_fmt(t, "/api/v1/namespaces/%s/pods/agnhost/proxy/some/path/with/%s", ns, *v), *v, 200);
    for (const char *const *v = verbs; *v; v++)
        proxy_verb(t, ckc_fmt(t, "/api/v1/namespaces/%s/services/test-service/proxy/some/path/with/%s", ns, *v), *v, 200);
}

/* "should proxy through a service and a pod": an RC (testutils.RCConfig:
 * selector name=<svc>, container port 80 first, then the named ones) of
 * agnhost porter serving HTTP on 80/1080 (a link), 160 foo, 162 bar and HTTPS
 * on 443 (a link), 460 "tls baz", 462 "tls qux", reached through
 * services/[scheme:]<svc>:<portname>/proxy and pods/[scheme:]<pod>[:port]/proxy;
 * HTML links come back rewritten under the proxy path. */
void nn_proxy_service_pod(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *svc = ckc_post(t, ckc_coll(t, "services", ns),
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"generateName\":\"proxy-service-\"},"
                                        "\"spec\":{\"selector\":{\"proxy-service-target\":\"true\"},\"ports\":["
                                        "{\"name\":\"portname1\",\"port\":80,\"targetPort\":\"dest1\"},"
                                        "{\"name\":\"portname2\",\"port\":81,\"targetPort\":162},"
                                        "{\"name\":\"tlsportname1\",\"port\":443,\"targetPort\":\"tlsdest1\"},"
                                        "{\"name\":\"tlsportname2\",\"port\":444,\"targetPort\":462}]}}"))->json;
    const char *name = ckc_str(svc, "metadata.name");
    CKC_CHECK(t, NULL, name != NULL, "creating a service with generateName must succeed");
    json_t *env = ckc_parse(t, "[{\"name\":\"SERVE_PORT_80\",\"value\":\"<a href=\\\"/rewriteme\\\">test</a>\"},"
                               "{\"name\":\"SERVE_PORT_1080\",\"value\":\"<a href=\\\"/rewriteme\\\">test</a>\"},"
                               "{\"name\":\"SERVE_PORT_160\",\"value\":\"foo\"},{\"name\":\"SERVE_PORT_162\",\"value\":\"bar\"},"
                               "{\"name\":\"SERVE_TLS_PORT_443\",\"value\":\"<a href=\\\"/tlsrewriteme\\\">test</a>\"},"
                               "{\"name\":\"SERVE_TLS_PORT_460\",\"value\":\"tls baz\"},"
                               "{\"name\":\"SERVE_TLS_PORT_462\",\"value\":\"tls qux\"}]");
    json_t *ports = ckc_parse(t, "[{\"containerPort\":80},{\"name\":\"dest1\",\"containerPort\":160},"
                                 "{\"name\":\"dest2\",\"containerPort\":162},{\"name\":\"tlsdest1\",\"containerPort\":460},"
                                 "{\"name\":\"tlsdest2\",\"containerPort\":462}]");
    json_t *rc = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:i, s:{s:s}, s:{s:{s:{s:s, s:s}}, s:{s:i, s:[{s:s, s:s, "
                                       "s:[s,s], s:O, s:O, s:{s:{s:i}, s:i, s:i, s:i}}]}}}}",
                                       "apiVersion", "v1", "kind", "ReplicationController", "metadata", "name", name, "spec",
                                       "replicas", 1, "selector", "name", name, "template", "metadata", "labels", "name", name,
                                       "proxy-service-target", "true", "spec", "terminationGracePeriodSeconds", 1, "containers",
                                       "name", name, "image", NN_AGNHOST, "command", "/agnhost", "porter", "env", env, "ports",
                                       ports, "readinessProbe", "httpGet", "port", 80, "initialDelaySeconds", 1,
                                       "timeoutSeconds", 5, "periodSeconds", 10));
    ckc_create(t, "replicationcontrollers", ns, name, rc);
    json_t *pods = cl_wait_pod_count(t, ns, ckc_fmt(t, "name=%s", name), 1, 1, 120);
    const char *pod = ckc_str(json_array_get(pods, 0), "metadata.name");
    CKC_CHECK(t, NULL, pod != NULL, "the RC's pod must run");
    /* waitForEndpoint: the service's Endpoints have an address */
    double deadline = ckc_now() + ckc_timeout(t, 60);
    for (;;) {
        ckc_resp *r = ckc_get(t, ckc_item(t, "endpoints", ns, name));
        if (r->code == 200 && json_array_size(ckc_at(r->json, "subsets.0.addresses")) > 0) break;
        CKC_CHECK(t, NULL, ckc_now() < deadline, "endpoints of service %s must get an address within 60s", name);
        ckc_sleep_ms(1000);
    }
    /* net.JoinSchemeNamePort: "scheme:name:port", "name:port" or "name" */
    const char *sp = ckc_fmt(t, "/api/v1/namespaces/%s/services/", ns), *pp = ckc_fmt(t, "/api/v1/namespaces/%s/pods/", ns);
    struct { const char *path, *want; } cases[] = {
        {ckc_fmt(t, "%s%s:portname1/proxy/", sp, name), "foo"},
        {ckc_fmt(t, "%shttp:%s:portname1/proxy/", sp, name), "foo"},
        {ckc_fmt(t, "%s%s:portname2/proxy/", sp, name), "bar"},
        {ckc_fmt(t, "%shttp:%s:portname2/proxy/", sp, name), "bar"},
        {ckc_fmt(t, "%shttps:%s:tlsportname1/proxy/", sp, name), "tls baz"},
        {ckc_fmt(t, "%shttps:%s:tlsportname2/proxy/", sp, name), "tls qux"},
        {ckc_fmt(t, "%s%s/proxy/", pp, pod), ckc_fmt(t, "<a href=\"%s%s/proxy/rewriteme\">test</a>", pp, pod)},
        {ckc_fmt(t, "%s%s:1080/proxy/", pp, pod), ckc_fmt(t, "<a href=\"%s%s:1080/proxy/rewriteme\">test</a>", pp, pod)},
        {ckc_fmt(t, "%shttp:%s:1080/proxy/", pp, pod), ckc_fmt(t, "<a href=\"%shttp:%s:1080/proxy/rewriteme\">test</a>", pp, pod)},
        {ckc_fmt(t, "%s%s:160/proxy/", pp, pod), "foo"},
        {ckc_fmt(t, "%shttp:%s:160/proxy/", pp, pod), "foo"},
        {ckc_fmt(t, "%s%s:162/proxy/", pp, pod), "bar"},
        {ckc_fmt(t, "%shttp:%s:162/proxy/", pp, pod), "bar"},
        {ckc_fmt(t, "%shttps:%s:443/proxy/", pp, pod), ckc_fmt(t, "<a href=\"%shttps:%s:443/proxy/tlsrewriteme\">test</a>", pp, pod)},
        {ckc_fmt(t, "%shttps:%s:460/proxy/", pp, pod), "tls baz"},
        {ckc_fmt(t, "%shttps:%s:462/proxy/", pp, pod), "tls qux"},
    };
    const size_t n = sizeof cases / sizeof cases[0];
    const char *errs = "";
    /* proxyAttempts (20) rounds over every case, each within proxyHTTPCallTimeout */
    for (int attempt = 0; attempt < 20; attempt++)
        for (size_t i = 0; i < n; i++) {
            ckc_reqspec rq = {.method = "GET", .path = cases[i].path, .accept = "*/*"};
            double start = ckc_now();
            ckc_resp *r = ckc_request(t, &rq);
            double took = ckc_now() - start;
            if (r->code != 200 || !cl_same(r->body, cases[i].want))
                errs = ckc_fmt(t, "%s\n%d: path %s gave %ld: wanted %s, got %.120s", errs, attempt, cases[i].path, r->code,
                               cases[i].want, r->body ? r->body : "");
            else if (took > 30)
                errs = ckc_fmt(t, "%s\n%d: path %s took %.1fs > 30s", errs, attempt, cases[i].path, took);
            if (strlen(errs) > 1500) goto out;
        }
out:
    if (*errs) CKC_FAIL(t, "proxy errors:%s", errs);
}

/* ---- Service endpoints latency (test/e2e/network/service_latency.go) ---- */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void nn_endpoints_latency(ckc_t *t)
{
    enum { TOTAL = 200, PARALLEL = 15, MIN_SAMPLES = 100 };
    const char *ns = ckc_ns(t);
    json_t *rc = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:i, s:{s:s}, s:{s:{s:{s:s}}, s:{s:i, s:[{s:s, s:s, s:[s,s,s]}]}}}}",
                                       "apiVersion", "v1", "kind", "ReplicationController", "metadata", "name", "svc-latency-rc",
                                       "spec", "replicas", 1, "selector", "name", "svc-latency-rc", "template", "metadata", "labels",
                                       "name", "svc-latency-rc", "spec", "terminationGracePeriodSeconds", 1, "containers", "name",
                                       "svc-latency-rc", "image", CKC_BUSYBOX, "command", "sh", "-c", "sleep 3600"));
    ckc_create(t, "replicationcontrollers", ns, "svc-latency-rc", rc);
    cl_wait_pod_count(t, ns, "name=svc-latency-rc", 1, 1, 90);
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1", ckc_coll(t, "endpoints", ns)));
    json_t *created = ckc_ownj(t, json_object()); /* name -> creation time */
    double lat[TOTAL];
    size_t n = 0, failed = 0;
    for (int done = 0; done < TOTAL;) {
        int batch = TOTAL - done < PARALLEL ? TOTAL - done : PARALLEL, seen = 0;
        for (int i = 0; i < batch; i++) {
            const char *name = ckc_rand_name(t, "latency-svc-");
            json_object_set_new(created, name, json_real(ckc_now()));
            nn_create_service(t, ns, ckc_fmt(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},\"spec\":"
                                             "{\"selector\":{\"name\":\"svc-latency-rc\"},\"ports\":[{\"port\":80,\"targetPort\":80}]}}",
                                          name));
        }
        double deadline = ckc_now() + ckc_timeout(t, 60);
        while (seen < batch && ckc_now() < deadline) {
            json_t *ev = ckc_watch_next(w, deadline - ckc_now());
            if (!ev) break;
            const char *name = ckc_str(ev, "object.metadata.name");
            json_t *at = name ? json_object_get(created, name) : NULL;
            if (!at || !json_array_size(ckc_at(ev, "object.subsets.0.addresses"))) continue;
            lat[n++] = ckc_now() - json_real_value(at);
            json_object_del(created, name);
            seen++;
        }
        failed += (size_t)(batch - seen);
        json_object_clear(created);
        done += batch;
    }
    CKC_CHECK(t, NULL, n >= 2, "Less than two runs succeeded (%zu of %d)", n, TOTAL);
    qsort(lat, n, sizeof lat[0], cmp_double);
    double p50 = lat[n * 50 / 100], p99 = lat[n * 99 / 100 < n ? n * 99 / 100 : n - 1];
    CKC_CHECK(t, NULL, failed <= TOTAL * 5 / 100, "Not all trials succeeded: %zu of %d services got no endpoints within %.0fs", failed,
              TOTAL, ckc_timeout(t, 60));
    CKC_CHECK(t, NULL, n >= MIN_SAMPLES, "Did not get a good sample size: %zu", n);
    CKC_CHECK(t, NULL, p50 <= 20, "Median latency should be less than 20s, got %.2fs", p50);
    CKC_CHECK(t, NULL, p99 <= 50, "Tail (99 percentile) latency should be less than 50s, got %.2fs", p99);
}

/* ---- Services: type changes to ExternalName, session affinity (service.go) ---- */
/* StartServeHostnameService: n pods answering their name on 9376 behind name:80. */
static json_t *serve_hostname(ckc_t *t, const char *ns, const char *name, int n, const char *type, const char *affinity)
{
    json_t *svc = nn_create_service(t, ns, ckc_fmt(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},"
                                                   "\"spec\":{\"type\":\"%s\",\"sessionAffinity\":\"%s\",\"selector\":{\"name\":\"%s\"},"
                                                   "\"ports\":[{\"port\":80,\"targetPort\":9376,\"protocol\":\"TCP\"}]}}",
                                                name, type, affinity, name));
    for (int i = 0; i < n; i++) nn_hostname_server(t, ns, ckc_fmt(t, "%s-%d", name, i), "name", name, 9376, 0);
    cl_wait_pod_count(t, ns, ckc_fmt(t, "name=%s", name), (size_t)n, 1, 120);
    return svc;
}

static void to_external_name(ckc_t *t, json_t *svc, void *fqdn)
{
    json_t *spec = json_object_get(svc, "spec");
    json_object_set_new(spec, "type", json_string("ExternalName"));
    json_object_set_new(spec, "externalName", json_string(fqdn));
}

static void to_external(ckc_t *t, const char *name, const char *type)
{
    const char *ns = ckc_ns(t);
    nn_create_service(t, ns, ckc_fmt(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"type\":\"%s\","
                                     "\"selector\":{\"testid\":\"%s\"},\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}]}}",
                                  name, type, name));
    /* createAndGetExternalServiceFQDN */
    serve_hostname(t, ns, "externalsvc", 2, "ClusterIP", "None");
    const char *ext = ckc_fmt(t, "externalsvc.%s.svc.cluster.local", ns);
    ckc_resp *r = ckc_update(t, ckc_item(t, "services", ns, name), to_external_name, (void *)ext);
    CKC_CODE(t, r, 200);
    const char *ip = ckc_str(r->json, "spec.clusterIP");
    CKC_CHECK(t, r, !ip || !*ip, "Spec.ClusterIP was not cleared (is %s)", ip);
    /* CheckServiceReachability for ExternalName: nslookup <svc>.<ns>.svc.<domain> from an exec pod */
    const char *fqdn = ckc_fmt(t, "%s.%s.svc.cluster.local", name, ns);
    cl_expect_output(t, ns, cl_pod(t, ckc_rand_name(t, "execpod"), "Never",
                                   ckc_fmt(t, "for i in $(seq 1 60); do nslookup %s > /tmp/o 2>&1; cat /tmp/o; "
                                              "grep -q NXDOMAIN /tmp/o || { sed -n '/^Name:/,$p' /tmp/o | grep -q '^Address' && "
                                              "echo RESOLVED && exit 0; }; sleep 2; done; exit 1", fqdn)),
                     NULL, (const char *const[]){"RESOLVED", NULL});
}
void nn_cluster_ip_to_external(ckc_t *t) { to_external(t, "clusterip-service", "ClusterIP"); }
void nn_node_port_to_external(ckc_t *t) { to_external(t, "nodeport-service", "NodePort"); }

/* checkAffinity: rounds of 15 requests (AffinityConfirmCount) from an exec
 * pod; affinity holds when a round sees one backend only, and is absent
 * when a round sees more than one. */
static void check_affinity(ckc_t *t, const char *ns, const char *ip, long long port, int want)
{
    const char *script = ckc_fmt(t,
        "for r in $(seq 1 20); do hs=''; for i in $(seq 1 15); do "
        "h=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 %s %lld | tail -n 1); hs=\"$hs $h\"; done; "
        "c=$(echo $hs | wc -w); d=$(echo $hs | tr ' ' '\\n' | sort -u | grep -c .); echo \"round $r: $c answers, $d hosts:$hs\"; "
        "if [ $c -eq 15 ] && [ %s ]; then echo AFFINITY-%s; exit 0; fi; sleep 2; done; exit 1",
        ip, port, want ? "$d -eq 1" : "$d -gt 1", want ? "HOLDS" : "ABSENT");
    cl_expect_output(t, ns, cl_pod(t, ckc_rand_name(t, "execpod-affinity"), "Never", script), NULL,
                     (const char *const[]){want ? "AFFINITY-HOLDS" : "AFFINITY-ABSENT", NULL});
}

static void set_affinity(ckc_t *t, json_t *svc, void *mode)
{
    json_object_set_new(json_object_get(svc, "spec"), "sessionAffinity", json_string(mode));
}

static void affinity_test(ckc_t *t, const char *name, const char *type, int transition)
{
    const char *ns = ckc_ns(t);
    json_t *nodes = !strcmp(type, "NodePort") ? cl_ready_nodes(t) : NULL;
    json_t *svc = serve_hostname(t, ns, name, 3, type, "ClientIP");
    const char *ip = ckc_str(svc, "spec.clusterIP");
    long long port = 80;
    if (nodes) {
        ip = cl_node_ip(json_array_get(nodes, 0));
        port = (long long)json_integer_value(ckc_at(svc, "spec.ports.0.nodePort"));
        CKC_CHECK(t, NULL, ip && port > 0, "a NodePort service needs a node address and a nodePort");
    }
    if (!transition) { check_affinity(t, ns, ip, port, 1); return; }
    const char *item = ckc_item(t, "services", ns, name);
    CKC_CODE(t, ckc_update(t, item, set_affinity, "None"), 200);
    check_affinity(t, ns, ip, port, 0);
    CKC_CODE(t, ckc_update(t, item, set_affinity, "ClientIP"), 200);
    check_affinity(t, ns, ip, port, 1);
}
void nn_affinity_cluster_ip(ckc_t *t) { affinity_test(t, "affinity-clusterip", "ClusterIP", 0); }
void nn_affinity_cluster_ip_switch(ckc_t *t) { affinity_test(t, "affinity-clusterip-transition", "ClusterIP", 1); }
void nn_affinity_node_port(ckc_t *t) { affinity_test(t, "affinity-nodeport", "NodePort", 0); }
void nn_affinity_node_port_switch(ckc_t *t) { affinity_test(t, "affinity-nodeport-transition", "NodePort", 1); }
