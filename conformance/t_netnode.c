/* t_netnode.c: the table ckc_tests_netnode and the [sig-network] upstream
 * conformance tests on a cluster: DNS, EndpointSlice(Mirroring), HostPort,
 * node-pod networking, the apiserver proxy, endpoints latency, service type
 * changes and session affinity. agnhost behaviours are reproduced with
 * busybox; the [sig-node]/[sig-scheduling] rows live in t_netnode_node.c. */
#define _GNU_SOURCE
#include "t_netnode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers (t_netnode.h) ---- */
typedef struct nn_deferred { ckc_run *run; char *method, *path, *body, *ctype; } nn_deferred;
static void nn_run_deferred(void *p)
{
    nn_deferred *d = p;
    ckc_reqspec rq = {.method = d->method, .path = d->path, .body = d->body, .content_type = d->ctype};
    ckc_resp_free(ckc_request_run(d->run, &rq));
    free(d->method); free(d->path); free(d->body); free(d->ctype); free(d);
}

void nn_defer_request(ckc_t *t, const char *method, const char *path, const char *body, const char *ctype)
{
    nn_deferred *d = calloc(1, sizeof *d);
    if (!d) CKC_FAIL(t, "out of memory");
    d->run = t->run;
    d->method = strdup(method);
    d->path = strdup(path);
    d->body = body ? strdup(body) : NULL;
    d->ctype = ctype ? strdup(ctype) : NULL;
    ckc_own(t, d, nn_run_deferred);
    if (!d->method || !d->path || (body && !d->body) || (ctype && !d->ctype)) CKC_FAIL(t, "out of memory");
}

/* One connection per run of /tmp/h.sh (nc -ll -e): request line, headers,
 * optional body (Content-Length), then a JSON answer and close. */
static const char HTTP_HANDLER[] =
    "cat > /tmp/h.sh <<'EOF'\n"
    "#!/bin/sh\n"
    "read m p v\n"
    "echo \"request: $m $p\" >&2\n"
    "len=0\n"
    "while read l; do l=$(echo \"$l\" | tr -d '\\r'); [ -z \"$l\" ] && break; "
    "case \"$l\" in [Cc]ontent-[Ll]ength:*) len=$(echo ${l#*:});; esac; done\n"
    "body=''\n"
    "[ \"$len\" -gt 0 ] 2>/dev/null && body=$(head -c \"$len\")\n"
    "case \"$m $p\" in\n"
    "'POST /write'*) echo \"$body\" >> /tmp/received; b='{}';;\n"
    "'GET /read'*) n=$(grep -c prestop /tmp/received 2>/dev/null); "
    "b=\"{\\\"Hostname\\\":\\\"$(hostname)\\\",\\\"Sent\\\":{},\\\"Received\\\":{\\\"prestop\\\":${n:-0}},"
    "\\\"Errors\\\":null,\\\"Log\\\":null,\\\"StillContactingPeers\\\":false}\";;\n"
    "*) b=\"{\\\"Method\\\":\\\"$m\\\",\\\"Body\\\":\\\"$BODY\\\"}\";;\n"
    "esac\n"
    "printf 'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "
    "\"${#b}\" \"$b\"\n"
    "EOF\n"
    "chmod +x /tmp/h.sh\n";

const char *nn_http_server(ckc_t *t, int port, const char *body)
{
    return ckc_fmt(t, "%sexport BODY='%s'; exec nc -ll -p %d -e /tmp/h.sh", HTTP_HANDLER, body, port);
}

int nn_log_has(ckc_t *t, const char *ns, const char *pod, const char *container, const char *want, double base)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    for (;;) {
        const char *path = ckc_fmt(t, "%s/log%s%s", ckc_item(t, "pods", ns, pod), container ? "?container=" : "",
                                   container ? container : "");
        ckc_reqspec rq = {.method = "GET", .path = path, .accept = "*/*"};
        ckc_resp *r = ckc_request(t, &rq);
        if (r->code == 200 && r->body && strstr(r->body, want)) return 1;
        if (ckc_now() > deadline) return 0;
        ckc_sleep_ms(1000);
    }
}

/* A busybox httpd on port answering its hostname, labelled key=value. */
json_t *nn_hostname_server(ckc_t *t, const char *ns, const char *name, const char *key, const char *value, int port,
                               int wait)
{
    json_t *pod = cl_pod(t, name, "Always",
                         ckc_fmt(t, "mkdir -p /www; hostname > /www/index.html; httpd -f -p %d -h /www", port));
    if (key) cl_set_label(pod, key, value);
    json_object_set_new(cl_container(pod, 0, 0), "ports", json_pack("[{s:i}]", "containerPort", port));
    cl_create_pod(t, ns, pod);
    return wait ? cl_wait_running(t, ns, name) : NULL;
}

json_t *nn_create_service(ckc_t *t, const char *ns, const char *json_fmt_spec)
{
    json_t *svc = ckc_parse(t, "%s", json_fmt_spec);
    return ckc_create(t, "services", ns, ckc_str(svc, "metadata.name"), svc);
}

/* ---- DNS (test/e2e/network/dns.go, dns_common.go) ---- */
/* createDNSPod: a "webserver" container serving the results volume (agnhost
 * test-webserver there, busybox httpd here) and a "querier" running the probe
 * loop (dig there, busybox nslookup here: UDP only, so only *_udp@ files). */
static json_t *dns_pod(ckc_t *t, const char *probe, const char *hostname, const char *subdomain)
{
    const char *name = ckc_rand_name(t, "dns-test-");
    json_t *mount = json_pack("[{s:s, s:s}]", "name", "results", "mountPath", "/srv/results");
    json_t *pod = ckc_ownj(t, json_pack(
        "{s:s, s:s, s:{s:s}, s:{s:i, s:[{s:s, s:{}}], s:[{s:s, s:s, s:[s,s,s], s:[{s:i}], s:O},{s:s, s:s, s:[s,s,s], s:O}]}}",
        "apiVersion", "v1", "kind", "Pod", "metadata", "name", name, "spec", "terminationGracePeriodSeconds", 1, "volumes",
        "name", "results", "emptyDir", "containers", "name", "webserver", "image", CKC_BUSYBOX, "command", "sh", "-c",
        "httpd -f -p 80 -h /srv", "ports", "containerPort", 80, "volumeMounts", mount, "name", "querier", "image",
        CKC_BUSYBOX, "command", "sh", "-c", probe, "volumeMounts", mount));
    json_decref(mount);
    json_t *spec = json_object_get(pod, "spec");
    if (hostname) json_object_set_new(spec, "hostname", json_string(hostname));
    if (subdomain) json_object_set_new(spec, "subdomain", json_string(subdomain));
    return pod;
}

/* createProbeCommand: names resolved by DNS (SRV for _-prefixed ones),
 * /etc/hosts entries (getent hosts there), an optional PTR lookup and the
 * pod's own A record <a-b-c-d>.<ns>.pod.<domain>. Fills files (NULL-ended). */
static const char *probe_command(ckc_t *t, const char *const *names, const char *const *hosts, const char *ptr_ip,
                                 const char *ns, const char **files, size_t max)
{
    /* dig +search there: busybox nslookup applies no search path to dotted
     * names, so lk() walks resolv.conf's search list when the name has fewer
     * dots than ndots, as the resolver (and dig +search) does */
    const char *s =
        "lk() { nd=$(sed -n 's/^options.*ndots:\\([0-9]*\\).*/\\1/p' /etc/resolv.conf); nd=${nd:-1}; "
        "d=$(printf %s \"$2\" | tr -cd . | wc -c); c=''; "
        "if [ $d -lt $nd ]; then for s in $(sed -n 's/^search //p' /etc/resolv.conf); do c=\"$c $2.$s\"; done; fi; "
        "for q in $c $2; do o=$(nslookup -type=$1 $q 2>/dev/null); "
        "if [ $1 = srv ]; then echo \"$o\" | grep -q 'service =' && return 0; "
        "else echo \"$o\" | sed -n '/^Name:/,$p' | grep -q '^Address' && return 0; fi; done; return 1; }; "
        "for i in $(seq 1 600); do ";
    size_t n = 0;
    for (; names && *names && n + 3 < max; names++) {
        const char *f = ckc_fmt(t, "busybox_udp@%s", *names);
        s = ckc_fmt(t, "%slk %s %s && echo OK > '/srv/results/%s'; ", s, **names == '_' ? "srv" : "a", *names, f);
        files[n++] = f;
    }
    for (; hosts && *hosts && n + 3 < max; hosts++) {
        const char *f = ckc_fmt(t, "busybox_hosts@%s", *hosts);
        s = ckc_fmt(t, "%sgrep -qw '%s' /etc/hosts && echo OK > '/srv/results/%s'; ", s, *hosts, f);
        files[n++] = f;
    }
    if (ptr_ip) {
        s = ckc_fmt(t, "%snslookup %s 2>/dev/null | grep -q 'name =' && echo OK > /srv/results/busybox_udp@PTR; ", s, ptr_ip);
        files[n++] = "busybox_udp@PTR";
    }
    s = ckc_fmt(t, "%spodARec=$(hostname -i | awk -F. '{print $1\"-\"$2\"-\"$3\"-\"$4\".%s.pod.cluster.local\"}'); "
                   "nslookup \"$podARec\" 2>/dev/null | sed -n '/^Name:/,$p' | grep -q '^Address' && "
                   "echo OK > /srv/results/busybox_udp@PodARecord; sleep 1; done",
                s, ns);
    files[n++] = "busybox_udp@PodARecord";
    files[n] = NULL;
    return s;
}

/* validateDNSResults / validateTargetedProbeOutput: every file, read through
 * the apiserver's pod proxy (pods/<name>/proxy/results/<file>), must hold
 * want ("OK" for probe files). */
static void dns_validate(ckc_t *t, const char *ns, json_t *pod, const char *const *files, const char *want)
{
    const char *name = ckc_str(pod, "metadata.name");
    cl_create_pod(t, ns, pod);
    cl_wait_pod(t, ns, name, cl_pred_phase, "Running", 90, "must be Running");
    double deadline = ckc_now() + ckc_timeout(t, 180);
    const char *failed = "";
    for (;;) {
        failed = "";
        for (const char *const *f = files; *f; f++) {
            ckc_reqspec rq = {.method = "GET", .path = ckc_fmt(t, "%s/proxy/results/%s", ckc_item(t, "pods", ns, name), *f),
                              .accept = "*/*"};
            ckc_resp *r = ckc_request(t, &rq);
            char got[256] = "";
            if (r->code == 200 && r->body) {
                snprintf(got, sizeof got, "%s", r->body);
                for (size_t l = strlen(got); l && (got[l - 1] == '\n' || got[l - 1] == ' ' || got[l - 1] == '.'); l--) got[l - 1] = 0;
            }
            if (r->code != 200 || strcmp(got, want))
                failed = ckc_fmt(t, "%s %s(%ld:%.40s)", failed, *f, r->code, r->code == 200 ? got : (r->body ? r->body : ""));
        }
        if (!*failed) return;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(2000);
    }
    CKC_FAIL(t, "DNS probe pod %s: lookups failed for%s within %.0fs (want \"%s\"); querier log ends: %.300s", name, failed,
             ckc_timeout(t, 180), want, cl_logs(t, ns, name, "querier"));
}

static void dns_probe(ckc_t *t, const char *const *names, const char *const *hosts, const char *ptr, const char *hostname,
                      const char *subdomain, const char *label)
{
    const char *ns = ckc_ns(t), *files[32];
    json_t *pod = dns_pod(t, probe_command(t, names, hosts, ptr, ns, files, 32), hostname, subdomain);
    if (label) cl_set_label(pod, label, "true");
    dns_validate(t, ns, pod, files, "OK");
}

/* CreateServiceSpec(name, "", headless, selector{label: true}) with port http 80. */
static json_t *dns_service(ckc_t *t, const char *ns, const char *name, int headless, const char *label)
{
    return nn_create_service(t, ns, ckc_fmt(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},"
                                            "\"spec\":{%s\"selector\":{\"%s\":\"true\"},\"ports\":[{\"name\":\"http\","
                                            "\"port\":80,\"protocol\":\"TCP\"}]}}",
                                         name, headless ? "\"clusterIP\":\"None\"," : "", label));
}

static void t_dns_etc_hosts(ckc_t *t)
{
    const char *fqdn = ckc_fmt(t, "dns-querier-1.dns-test-service.%s.svc.cluster.local", ckc_ns(t));
    dns_probe(t, NULL, (const char *const[]){fqdn, "dns-querier-1", NULL}, NULL, "dns-querier-1", "dns-test-service", NULL);
}

static void t_dns_hostname(ckc_t *t)
{
    const char *ns = ckc_ns(t), *fqdn = ckc_fmt(t, "dns-querier-2.dns-test-service-2.%s.svc.cluster.local", ns);
    dns_service(t, ns, "dns-test-service-2", 1, "dns-test-hostname-attribute");
    dns_probe(t, NULL, (const char *const[]){fqdn, "dns-querier-2", NULL}, NULL, "dns-querier-2", "dns-test-service-2",
              "dns-test-hostname-attribute");
}

static void t_dns_subdomain(ckc_t *t)
{
    const char *ns = ckc_ns(t), *fqdn = ckc_fmt(t, "dns-querier-2.dns-test-service-2.%s.svc.cluster.local", ns);
    dns_service(t, ns, "dns-test-service-2", 1, "dns-test-subdomain-attribute");
    dns_probe(t, (const char *const[]){fqdn, NULL}, NULL, NULL, "dns-querier-2", "dns-test-service-2",
              "dns-test-subdomain-attribute");
}

static void t_dns_partial(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    dns_service(t, ns, "dns-test-service", 1, "dns-test");
    json_t *regular = dns_service(t, ns, "test-service-2", 0, "dns-test");
    const char *names[] = {"dns-test-service", ckc_fmt(t, "dns-test-service.%s", ns), ckc_fmt(t, "dns-test-service.%s.svc", ns),
                           ckc_fmt(t, "_http._tcp.dns-test-service.%s.svc", ns), ckc_fmt(t, "_http._tcp.test-service-2.%s.svc", ns),
                           NULL};
    dns_probe(t, names, NULL, ckc_str(regular, "spec.clusterIP"), "dns-querier-1", "dns-test-service", "dns-test");
}

/* createTargetedProbeCommand: 30 lookups of one record type into one file. */
static void dns_targeted(ckc_t *t, const char *fqdn, const char *type, const char *want)
{
    const char *ns = ckc_ns(t), *file = ckc_fmt(t, "busybox_udp@%s", fqdn);
    const char *extract = !strcmp(type, "CNAME") ? "sed -n 's/.*canonical name = //p'" : "sed -n '/^Name:/,$ s/^Address: *//p'";
    const char *probe = ckc_fmt(t, "for i in $(seq 1 30); do nslookup -type=%s %s 2>/dev/null | %s > '/srv/results/%s'; "
                                   "sleep 1; done; sleep 600", !strcmp(type, "CNAME") ? "cname" : "a", fqdn, extract, file);
    dns_validate(t, ns, dns_pod(t, probe, "dns-querier-1", "dns-test-service"), (const char *const[]){file, NULL}, want);
}

static void set_external_name(ckc_t *t, json_t *svc, void *name)
{
    json_object_set_new(json_object_get(svc, "spec"), "externalName", json_string(name));
}
static void external_to_cluster_ip(ckc_t *t, json_t *svc, void *unused)
{
    json_t *spec = json_object_get(svc, "spec");
    json_object_set_new(spec, "type", json_string("ClusterIP"));
    json_object_set_new(spec, "ports", json_pack("[{s:i, s:s, s:s}]", "port", 80, "name", "http", "protocol", "TCP"));
}

static void t_dns_external_name(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "services", ns, "dns-test-service-3");
    const char *fqdn = ckc_fmt(t, "dns-test-service-3.%s.svc.cluster.local", ns);
    nn_create_service(t, ns, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"dns-test-service-3\"},"
                          "\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"foo.example.com\"}}");
    dns_targeted(t, fqdn, "CNAME", "foo.example.com");
    CKC_CODE(t, ckc_update(t, item, set_external_name, "bar.example.com"), 200);
    dns_targeted(t, fqdn, "CNAME", "bar.example.com");
    ckc_resp *r = ckc_update(t, item, external_to_cluster_ip, NULL);
    CKC_CODE(t, r, 200);
    const char *ip = ckc_str(ckc_fetch(t, "services", ns, "dns-test-service-3"), "spec.clusterIP");
    CKC_CHECK(t, r, ip && *ip && strcmp(ip, "None"), "type=ClusterIP must allocate a cluster IP, got %s", ip ? ip : "none");
    dns_targeted(t, fqdn, "A", ip);
}

static void t_dns_nameservers(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "test-dns-nameservers", "Never", "cat /etc/resolv.conf");
    json_t *spec = json_object_get(pod, "spec");
    json_object_set_new(spec, "dnsPolicy", json_string("None"));
    json_object_set_new(spec, "dnsConfig", json_pack("{s:[s], s:[s]}", "nameservers", "1.1.1.1", "searches", "resolv.conf.local"));
    /* agnhost dns-suffix / dns-server-list read /etc/resolv.conf too */
    cl_expect_output(t, ns, pod, NULL, (const char *const[]){"nameserver 1.1.1.1", "resolv.conf.local", NULL});
}

/* ---- EndpointSlice, EndpointSliceMirroring (endpointslice.go, endpointslicemirroring.go) ---- */
static const char *slices_path(ckc_t *t, const char *ns, const char *svc)
{
    return ckc_fmt(t, "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices?labelSelector=kubernetes.io%%2Fservice-name%%3D%s",
                   ns, svc);
}

/* Polls the slices of svc until pred holds; returns the items. */
typedef int (*slice_pred)(ckc_t *t, json_t *items, void *arg);
static json_t *wait_slices(ckc_t *t, const char *ns, const char *svc, slice_pred pred, void *arg, double base, const char *what)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    json_t *items;
    for (;;) {
        items = cl_list(t, slices_path(t, ns, svc));
        if (pred(t, items, arg)) return items;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(1000);
    }
    CKC_FAIL(t, "EndpointSlices of service %s/%s: %s within %.0fs; they are: %.500s", ns, svc, what, ckc_timeout(t, base),
             (char *)ckc_own(t, json_dumps(items, JSON_COMPACT), free));
}
static int slices_some(ckc_t *t, json_t *items, void *arg) { return json_array_size(items) > 0; }
static int slices_none(ckc_t *t, json_t *items, void *arg) { return json_array_size(items) == 0; }

static void t_endpointslice_selector(ckc_t *t)
{
    const char *ns = ckc_ns(t), *ep = ckc_item(t, "endpoints", ns, "example-empty-selector");
    nn_create_service(t, ns, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"example-empty-selector\"},"
                          "\"spec\":{\"selector\":{\"does-not-match-anything\":\"endpoints-and-endpoint-slices\"},"
                          "\"ports\":[{\"name\":\"example\",\"port\":80,\"protocol\":\"TCP\"}]}}");
    double deadline = ckc_now() + ckc_timeout(t, 30);
    ckc_resp *r;
    while ((r = ckc_get(t, ep))->code != 200 && ckc_now() < deadline) ckc_sleep_ms(2000);
    CKC_CODE(t, r, 200);
    json_t *s = json_array_get(wait_slices(t, ns, "example-empty-selector", slices_some, NULL, 30, "one must exist"), 0);
    const char *managed = ckc_label(s, "endpointslice.kubernetes.io/managed-by");
    CKC_CHECK(t, NULL, cl_same(managed, "endpointslice-controller.k8s.io"),
              "the EndpointSlice must be labelled endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io, got %s",
              managed ? managed : "(none)");
    CKC_CHECK(t, NULL, json_array_size(json_object_get(s, "endpoints")) == 0, "the EndpointSlice must have 0 endpoints");
    r = ckc_delete(t, ckc_item(t, "services", ns, "example-empty-selector"), NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "deleting the service must succeed");
    ckc_wait_gone(t, ep, 30);
    wait_slices(t, ns, "example-empty-selector", slices_none, NULL, 30, "they must be deleted with the service");
}

typedef struct mirror_want { const char *ip; int port; } mirror_want;
static int slices_mirror(ckc_t *t, json_t *items, void *arg)
{
    mirror_want *w = arg;
    json_t *s = json_array_get(items, 0);
    return json_array_size(items) == 1 &&
           cl_same(ckc_label(s, "endpointslice.kubernetes.io/managed-by"), "endpointslicemirroring-controller.k8s.io") &&
           json_array_size(json_object_get(s, "ports")) == 1 && json_integer_value(ckc_at(s, "ports.0.port")) == w->port &&
           json_array_size(json_object_get(s, "endpoints")) == 1 && cl_same(ckc_str(s, "endpoints.0.addresses.0"), w->ip);
}

static void set_subset(ckc_t *t, json_t *ep, void *arg)
{
    mirror_want *w = arg;
    json_object_set_new(ep, "subsets", json_pack("[{s:[{s:i}], s:[{s:s}]}]", "ports", "port", w->port, "addresses", "ip", w->ip));
}

static void t_endpointslice_mirroring(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "example-custom-endpoints", *ep = ckc_item(t, "endpoints", ns, name);
    nn_create_service(t, ns, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"example-custom-endpoints\"},"
                          "\"spec\":{\"ports\":[{\"name\":\"example\",\"port\":80,\"protocol\":\"TCP\"}]}}");
    ckc_create(t, "endpoints", ns, name,
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"%s\"},"
                            "\"subsets\":[{\"ports\":[{\"port\":80}],\"addresses\":[{\"ip\":\"10.1.2.3\"}]}]}", name));
    mirror_want w1 = {"10.1.2.3", 80}, w2 = {"10.2.3.4", 8080};
    wait_slices(t, ns, name, slices_mirror, &w1, 30, "one slice managed by the mirroring controller must hold 10.1.2.3:80");
    CKC_CODE(t, ckc_update(t, ep, set_subset, &w2), 200);
    wait_slices(t, ns, name, slices_mirror, &w2, 30, "the mirrored slice must follow the update to 10.2.3.4:8080");
    ckc_resp *r = ckc_delete(t, ep, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "deleting the Endpoints must succeed");
    wait_slices(t, ns, name, slices_none, NULL, 30, "the mirrored slice must be deleted with the Endpoints");
}

/* ---- HostPort (test/e2e/network/hostport.go) ---- */
static json_t *agnhost_pod(ckc_t *t, const char *name, const char *node, const char *args_json);

/* Three `agnhost netexec --http-port=54323 --udp-port=54323` pods on one
 * node share hostPort 54323: TCP on 127.0.0.1, TCP on the node IP, UDP on
 * the node IP. A host-network pod there must reach each one: upstream curls
 * /hostname on both TCP addresses and sends "hostname" with `nc -u`, each
 * retried for up to a minute; here one client pod runs the same tries. */
static void t_hostport(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *node = json_array_get(cl_ready_nodes(t), 0);
    const char *node_name = ckc_str(node, "metadata.name"), *host_ip = cl_node_ip(node);
    CKC_CHECK(t, NULL, host_ip != NULL, "the node must report an address");
    static const char *const pods[3] = {"pod1", "pod2", "pod3"}, *const protos[3] = {"TCP", "TCP", "UDP"};
    const char *ips[3] = {"127.0.0.1", host_ip, host_ip};
    for (int i = 0; i < 3; i++) {
        json_t *pod = agnhost_pod(t, pods[i], node_name, "[\"netexec\", \"--http-port=54323\", \"--udp-port=54323\"]");
        json_object_set_new(cl_container(pod, 0, 0), "ports",
                            json_pack("[{s:i, s:i, s:s, s:s}]", "containerPort", 54323, "hostPort", 54323, "hostIP", ips[i],
                                      "protocol", protos[i]));
        cl_create_pod(t, ns, pod);
    }
    for (int i = 0; i < 3; i++) cl_wait_running(t, ns, pods[i]);
    /* the e2e-host-exec pod: tries every 5 s for 60 s, as upstream's loop */
    const char *get = "printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5";
    json_t *probe = agnhost_pod(t, "e2e-host-exec", node_name, "[\"pause\"]");
    json_t *c = cl_container(probe, 0, 0);
    json_object_del(c, "args");
    json_object_set_new(c, "command", json_pack("[s,s,s]", "/bin/sh", "-c",
        ckc_fmt(t, "for i in $(seq 1 12); do a=$(%s 127.0.0.1 54323 | tail -n 1); b=$(%s %s 54323 | tail -n 1); "
                   "u=$(echo hostname | nc -u -w 5 %s 54323); echo \"got [$a] [$b] [$u]\"; "
                   "[ \"$a\" = pod1 ] && [ \"$b\" = pod2 ] && [ \"$u\" = pod3 ] && echo HOSTPORTS-OK && exit 0; "
                   "sleep 5; done; exit 1", get, get, host_ip, host_ip)));
    json_object_set_new(json_object_get(probe, "spec"), "hostNetwork", json_true());
    json_object_set_new(json_object_get(probe, "spec"), "restartPolicy", json_string("Never"));
    cl_expect_output(t, ns, probe, NULL, (const char *const[]){"HOSTPORTS-OK", NULL});
}

/* ---- Networking Granular Checks (networking.go, e2e/framework/network/utils.go) ---- */
/* node-pod http: one netserver per schedulable node serving /hostName on
 * 8083 (busybox httpd stands in for agnhost netexec there). */
static json_t *netservers(ckc_t *t, const char *ns)
{
    json_t *nodes = cl_ready_nodes(t), *pods = ckc_ownj(t, json_array());
    size_t i; json_t *node;
    json_array_foreach(nodes, i, node) {
        const char *name = ckc_fmt(t, "netserver-%zu", i);
        json_t *pod = cl_pod(t, name, "Always", "mkdir -p /www; hostname > /www/hostName; httpd -f -p 8083 -h /www");
        cl_set_label(pod, "selector-netserver", "true");
        json_object_set_new(json_object_get(pod, "spec"), "nodeName", json_string(ckc_str(node, "metadata.name")));
        cl_create_pod(t, ns, pod);
    }
    json_array_foreach(nodes, i, node) json_array_append(pods, cl_wait_running(t, ns, ckc_fmt(t, "netserver-%zu", i)));
    return pods;
}

/* From a host-network client pod (DialFromNode) each netserver must answer
 * its name over http (/hostName). */
static void dial_netservers_http(ckc_t *t, const char *ns, json_t *servers)
{
    size_t i; json_t *s;
    json_array_foreach(servers, i, s) {
        const char *ip = ckc_str(s, "status.podIP"), *want = ckc_str(s, "metadata.name");
        const char *dial = ckc_fmt(t, "printf 'GET /hostName HTTP/1.0\\r\\n\\r\\n' | nc -w 15 %s 8083 | tail -n 1", ip);
        json_t *c = cl_pod(t, ckc_rand_name(t, "host-test-container-pod-"), "Never",
                           ckc_fmt(t, "for i in $(seq 1 34); do r=$(%s); echo \"got [$r]\"; [ \"$r\" = %s ] && "
                                      "echo DIAL-OK && exit 0; sleep 1; done; exit 1", dial, want));
        json_object_set_new(json_object_get(c, "spec"), "hostNetwork", json_true());
        cl_expect_output(t, ns, c, NULL, (const char *const[]){"DIAL-OK", NULL});
    }
}


/* A pod running agnhost with args (a JSON array) on nodeName (NULL: any). */
static json_t *agnhost_pod(ckc_t *t, const char *name, const char *node, const char *args_json)
{
    json_t *pod = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:[{s:s, s:s, s:O}]}}", "apiVersion", "v1", "kind",
                                        "Pod", "metadata", "name", name, "spec", "containers", "name", "webserver",
                                        "image", NN_AGNHOST, "args", ckc_parse(t, "%s", args_json)));
    json_object_set_new(json_object_get(pod, "spec"), "terminationGracePeriodSeconds", json_integer(1));
    if (node) json_object_set_new(json_object_get(pod, "spec"), "nodeName", json_string(node));
    return pod;
}

/* createNetShellPodSpec: one endpoint pod per node, `agnhost netexec
 * --http-port=8083 --udp-port=8081`, ports http/udp, liveness and readiness
 * httpGet /healthz on 8083; setupCore waits until they are Ready. */
static json_t *agnhost_netservers(ckc_t *t, const char *ns)
{
    json_t *nodes = cl_ready_nodes(t), *pods = ckc_ownj(t, json_array());
    size_t i; json_t *node;
    json_array_foreach(nodes, i, node) {
        json_t *pod = agnhost_pod(t, ckc_fmt(t, "netserver-%zu", i), ckc_str(node, "metadata.name"),
                                  "[\"netexec\", \"--http-port=8083\", \"--udp-port=8081\"]");
        json_t *c = cl_container(pod, 0, 0);
        json_object_set(c, "ports", ckc_parse(t, "[{\"name\":\"http\",\"containerPort\":8083},"
                                                     "{\"name\":\"udp\",\"containerPort\":8081,\"protocol\":\"UDP\"}]"));
        const char *probe = "{\"httpGet\":{\"path\":\"/healthz\",\"port\":8083},\"initialDelaySeconds\":10,"
                            "\"timeoutSeconds\":30,\"periodSeconds\":10,\"successThreshold\":1,\"failureThreshold\":3}";
        json_object_set(c, "livenessProbe", ckc_parse(t, "%s", probe));
        json_object_set(c, "readinessProbe", ckc_parse(t, "%s", probe));
        cl_set_label(pod, "selector-netserver", "true");
        cl_create_pod(t, ns, pod);
    }
    json_array_foreach(nodes, i, node)
        json_array_append(pods, cl_wait_pod(t, ns, ckc_fmt(t, "netserver-%zu", i), cl_pred_running_ready, NULL, 180,
                                            "the netserver pod must be Running and Ready"));
    return pods;
}

/* A client pod runs `script` (one try, printing what it got) up to
 * MaxTries = endpoints^2 + 30 times, 2 s apart (hitEndpointRetryDelay),
 * until the output is `want`; upstream execs each try in its pod. */
static void expect_tries(ckc_t *t, const char *ns, json_t *client, const char *try, const char *want, size_t eps)
{
    json_t *c = cl_container(client, 0, 0);
    json_object_del(c, "args");
    json_object_set_new(c, "command", json_pack("[s,s,s]", "/bin/sh", "-c",
        ckc_fmt(t, "for i in $(seq 1 %zu); do r=$(%s); echo \"got [$r]\"; [ \"$r\" = '%s' ] && echo DIAL-OK && exit 0; "
                   "sleep 2; done; exit 1", eps * eps + 30, try, want)));
    json_object_set_new(json_object_get(client, "spec"), "restartPolicy", json_string("Never"));
    cl_expect_output(t, ns, client, NULL, (const char *const[]){"DIAL-OK", NULL});
}

/* checkPodToPodConnectivity: test-container-pod (agnhost netexec
 * --http-port=9080) dials each endpoint over UDP through its /dial; the
 * answer must be {"responses":["<endpoint pod name>"]}. Upstream curls /dial
 * from inside the test pod; here a busybox pod fetches it with wget. */
static void t_intra_pod_udp(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *servers = agnhost_netservers(t, ns);
    json_t *tp = agnhost_pod(t, "test-container-pod", NULL, "[\"netexec\", \"--http-port=9080\"]");
    json_object_set(cl_container(tp, 0, 0), "ports", ckc_parse(t, "[{\"name\":\"http\",\"containerPort\":9080}]"));
    cl_create_pod(t, ns, tp);
    const char *tip = ckc_str(cl_wait_running(t, ns, "test-container-pod"), "status.podIP");
    size_t i; json_t *s;
    json_array_foreach(servers, i, s) {
        const char *dial = ckc_fmt(t, "wget -qO- 'http://%s:9080/dial?request=hostname&protocol=udp&host=%s&"
                                      "port=8081&tries=1' | grep -o '\"responses\":\\[[^]]*\\]'", tip,
                                   ckc_str(s, "status.podIP"));
        json_t *client = cl_pod(t, ckc_rand_name(t, "dial-udp-"), "Never", NULL);
        expect_tries(t, ns, client, dial, ckc_fmt(t, "\"responses\":[\"%s\"]", ckc_str(s, "metadata.name")),
                     json_array_size(servers));
    }
}
static void t_node_pod_http(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    dial_netservers_http(t, ns, netservers(t, ns));
}
/* DialFromNode(udp): host-test-container-pod (agnhost, hostNetwork) runs
 * `echo hostName | nc -w 1 -u <pod ip> 8081 | grep -v '^\s*$'` until each
 * endpoint answers its name. */
static void t_node_pod_udp(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *servers = agnhost_netservers(t, ns);
    size_t i; json_t *s;
    json_array_foreach(servers, i, s) {
        json_t *client = agnhost_pod(t, ckc_rand_name(t, "host-test-container-pod-"), NULL, "[\"pause\"]");
        json_object_set_new(json_object_get(client, "spec"), "hostNetwork", json_true());
        expect_tries(t, ns, client,
                     ckc_fmt(t, "echo hostName | nc -w 1 -u %s 8081 | grep -v '^\\s*$'", ckc_str(s, "status.podIP")),
                     ckc_str(s, "metadata.name"), json_array_size(servers));
    }
}

/* Disruptive rows (NoExecute taints on the node) come last, as upstream runs them [Serial]. */
const ckc_test ckc_tests_netnode[] = {
    {"cluster.dns.etc-hosts", "/etc/hosts of a pod with hostname and subdomain lists its FQDN and hostname", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide /etc/hosts entries for the cluster [Conformance]",
     NULL, "v1/pods v1/pods/proxy", t_dns_etc_hosts},
    {"cluster.dns.external-name", "an ExternalName service is a CNAME that follows updates and becomes an A record as ClusterIP", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide DNS for ExternalName services [Conformance]",
     NULL, "v1/services v1/pods/proxy", t_dns_external_name},
    {"cluster.dns.hostname", "a pod with hostname and subdomain of a headless service gets its FQDN in /etc/hosts", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide DNS for pods for Hostname [Conformance]",
     NULL, "v1/services v1/pods/proxy", t_dns_hostname},
    {"cluster.dns.subdomain", "hostname.subdomain.ns.svc resolves for a pod behind a headless service", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide DNS for pods for Subdomain [Conformance]",
     NULL, "v1/services v1/pods/proxy", t_dns_subdomain},
    {"cluster.dns.partial-names", "partial service names resolve through the search path; SRV and PTR records exist", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should resolve DNS of partial qualified names for services [LinuxOnly] [Conformance]",
     NULL, "v1/services v1/pods/proxy", t_dns_partial},
    {"cluster.dns.nameservers", "dnsPolicy None with dnsConfig sets the pod's nameservers and search path", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should support configurable pod DNS nameservers [Conformance]",
     NULL, "v1/pods v1/pods/log", t_dns_nameservers},
    {"cluster.endpointslice.selector", "a selector service gets Endpoints and a controller-managed EndpointSlice, both deleted with it", CKC_PROFILE_CLUSTER,
     "[sig-network] EndpointSlice should create and delete Endpoints and EndpointSlices for a Service with a selector specified [Conformance]",
     NULL, "v1/services v1/endpoints discovery.k8s.io/v1/endpointslices", t_endpointslice_selector},
    {"cluster.endpointslice.mirroring", "custom Endpoints are mirrored to an EndpointSlice through create, update and delete", CKC_PROFILE_CLUSTER,
     "[sig-network] EndpointSliceMirroring should mirror a custom Endpoints resource through create update and delete [Conformance]",
     NULL, "v1/services v1/endpoints discovery.k8s.io/v1/endpointslices", t_endpointslice_mirroring},
    {"cluster.hostport.no-conflict", "one hostPort with different hostIP/protocol runs three pods on one node", CKC_PROFILE_CLUSTER,
     "[sig-network] HostPort validates that there is no conflict between pods with same hostPort but different hostIP and protocol [LinuxOnly] [Conformance]",
     NULL, "v1/pods", t_hostport},
    {"cluster.network.intra-pod-udp", "a pod reaches every netserver pod over UDP", CKC_PROFILE_CLUSTER,
     "[sig-network] Networking Granular Checks: Pods should function for intra-pod communication: udp [NodeConformance] [Conformance]",
     NULL, "v1/pods", t_intra_pod_udp},
    {"cluster.network.node-pod-http", "the node (host network) reaches every netserver pod over HTTP", CKC_PROFILE_CLUSTER,
     "[sig-network] Networking Granular Checks: Pods should function for node-pod communication: http [LinuxOnly] [NodeConformance] [Conformance]",
     NULL, "v1/pods", t_node_pod_http},
    {"cluster.network.node-pod-udp", "the node (host network) reaches every netserver pod over UDP", CKC_PROFILE_CLUSTER,
     "[sig-network] Networking Granular Checks: Pods should function for node-pod communication: udp [LinuxOnly] [NodeConformance] [Conformance]",
     NULL, "v1/pods", t_node_pod_udp},
    {"cluster.proxy.verbs", "pods/proxy and services/proxy pass every verb; GET/HEAD without a slash redirect", CKC_PROFILE_CLUSTER,
     "[sig-network] Proxy version v1 A set of valid responses are returned for both pod and service Proxy [Conformance]",
     NULL, "v1/pods/proxy v1/services/proxy", nn_proxy_verbs},
    {"cluster.proxy.with-path", "pods/proxy/<path> and services/proxy/<path> pass every verb", CKC_PROFILE_CLUSTER,
     "[sig-network] Proxy version v1 A set of valid responses are returned for both pod and service ProxyWithPath [Conformance]",
     NULL, "v1/pods/proxy v1/services/proxy", nn_proxy_with_path},
    {"cluster.proxy.service-and-pod", "services/<svc>:<port>/proxy and pods/<pod>:<port>/proxy reach the right ports, links rewritten", CKC_PROFILE_CLUSTER,
     "[sig-network] Proxy version v1 should proxy through a service and a pod [Conformance]",
     NULL, "v1/pods/proxy v1/services/proxy v1/replicationcontrollers", nn_proxy_service_pod},
    {"cluster.service.endpoints-latency", "200 services get endpoints with median < 20s and p99 < 50s", CKC_PROFILE_CLUSTER,
     "[sig-network] Service endpoints latency should not be very high [Conformance]",
     NULL, "v1/services v1/endpoints v1/replicationcontrollers", nn_endpoints_latency},
    {"cluster.service.cluster-ip-to-external-name", "ClusterIP changed to ExternalName clears the IP and resolves as a CNAME", CKC_PROFILE_CLUSTER,
     "[sig-network] Services should be able to change the type from ClusterIP to ExternalName [Conformance]",
     NULL, "v1/services v1/pods", nn_cluster_ip_to_external},
    {"cluster.service.node-port-to-external-name", "NodePort changed to ExternalName clears the IP and resolves as a CNAME", CKC_PROFILE_CLUSTER,
     "[sig-network] Services should be able to change the type from NodePort to ExternalName [Conformance]",
     NULL, "v1/services v1/pods", nn_node_port_to_external},
    {"cluster.service.affinity-node-port-switch", "NodePort session affinity turns off and on again", CKC_PROFILE_CLUSTER,
     "[sig-network] Services should be able to switch session affinity for NodePort service [LinuxOnly] [Conformance]",
     NULL, "v1/services v1/pods", nn_affinity_node_port_switch},
    {"cluster.service.affinity-cluster-ip-switch", "ClusterIP session affinity turns off and on again", CKC_PROFILE_CLUSTER,
     "[sig-network] Services should be able to switch session affinity for service with type clusterIP [LinuxOnly] [Conformance]",
     NULL, "v1/services v1/pods", nn_affinity_cluster_ip_switch},
    {"cluster.service.affinity-node-port", "ClientIP affinity pins a client to one backend through a NodePort", CKC_PROFILE_CLUSTER,
     "[sig-network] Services should have session affinity work for NodePort service [LinuxOnly] [Conformance]",
     NULL, "v1/services v1/pods", nn_affinity_node_port},
    {"cluster.service.affinity-cluster-ip", "ClientIP affinity pins a client to one backend through a cluster IP", CKC_PROFILE_CLUSTER,
     "[sig-network] Services should have session affinity work for service with type clusterIP [LinuxOnly] [Conformance]",
     NULL, "v1/services v1/pods", nn_affinity_cluster_ip},
    {"cluster.hooks.poststart-exec", "a postStart exec hook runs after the container starts", CKC_PROFILE_CLUSTER,
     "[sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart exec hook properly [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_poststart_exec},
    {"cluster.hooks.poststart-http", "a postStart httpGet hook reaches its host", CKC_PROFILE_CLUSTER,
     "[sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart http hook properly [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_poststart_http},
    {"cluster.hooks.prestop-exec", "a preStop exec hook runs when the pod is deleted", CKC_PROFILE_CLUSTER,
     "[sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop exec hook properly [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_prestop_exec},
    {"cluster.hooks.prestop-http", "a preStop httpGet hook runs when the pod is deleted", CKC_PROFILE_CLUSTER,
     "[sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop http hook properly [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_prestop_http},
    {"cluster.ephemeral.update", "pods/ephemeralcontainers lists added containers and accepts an update", CKC_PROFILE_CLUSTER,
     "[sig-node] Ephemeral Containers [NodeConformance] should update the ephemeral containers in an existing pod [Conformance]",
     NULL, "v1/pods v1/pods/ephemeralcontainers", nn_t_ephemeral_update},
    {"cluster.ephemeral.start", "an ephemeral container added to a running pod runs and logs", CKC_PROFILE_CLUSTER,
     "[sig-node] Ephemeral Containers [NodeConformance] will start an ephemeral container in an existing pod [Conformance]",
     NULL, "v1/pods v1/pods/ephemeralcontainers v1/pods/log", nn_t_ephemeral_start},
    {"cluster.pods.kubelet-etc-hosts", "/etc/hosts is kubelet-managed except with hostNetwork or an /etc/hosts mount", CKC_PROFILE_CLUSTER,
     "[sig-node] KubeletManagedEtcHosts should test kubelet managed /etc/hosts file [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_etc_hosts},
    {"cluster.pods.prestop", "a preStop hook pokes a server before the pod dies", CKC_PROFILE_CLUSTER,
     "[sig-node] PreStop should call prestop when killing a pod [Conformance]",
     NULL, "v1/pods v1/pods/proxy", nn_t_prestop},
    {"cluster.probe.grpc-not-restarted", "a passing gRPC liveness probe never restarts the container", CKC_PROFILE_CLUSTER,
     "[sig-node] Probing container should *not* be restarted with a GRPC liveness probe [NodeConformance] [Conformance]",
     NULL, "v1/pods", nn_t_grpc_not_restarted},
    {"cluster.probe.grpc-restarted", "a failing gRPC liveness probe restarts the container", CKC_PROFILE_CLUSTER,
     "[sig-node] Probing container should be restarted with a GRPC liveness probe [NodeConformance] [Conformance]",
     NULL, "v1/pods", nn_t_grpc_restarted},
    {"cluster.security.uid-65534", "runAsUser 65534 runs the container as uid 65534", CKC_PROFILE_CLUSTER,
     "[sig-node] Security Context When creating a container with runAsUser should run the container with uid 65534 [LinuxOnly] [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_sc_uid_65534},
    {"cluster.security.unprivileged", "privileged=false cannot create a network device", CKC_PROFILE_CLUSTER,
     "[sig-node] Security Context When creating a pod with privileged should run the container as unprivileged when false [LinuxOnly] [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_sc_unprivileged},
    {"cluster.security.writable-rootfs", "readOnlyRootFilesystem=false leaves / writable", CKC_PROFILE_CLUSTER,
     "[sig-node] Security Context When creating a pod with readOnlyRootFilesystem should run the container with writable rootfs when readOnlyRootFilesystem=false [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_sc_writable_rootfs},
    {"cluster.security.container-uid-gid", "the container's runAsUser/runAsGroup override the pod's", CKC_PROFILE_CLUSTER,
     "[sig-node] Security Context should support container.SecurityContext.RunAsUser And container.SecurityContext.RunAsGroup [LinuxOnly] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_sc_container_uid_gid},
    {"cluster.security.pod-uid-gid", "the pod's runAsUser/runAsGroup apply to its containers", CKC_PROFILE_CLUSTER,
     "[sig-node] Security Context should support pod.Spec.SecurityContext.RunAsUser And pod.Spec.SecurityContext.RunAsGroup [LinuxOnly] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_sc_pod_uid_gid},
    {"cluster.security.no-privilege-escalation", "allowPrivilegeEscalation=false sets no_new_privs", CKC_PROFILE_CLUSTER,
     "[sig-node] Security Context when creating containers with AllowPrivilegeEscalation should not allow privilege escalation when false [LinuxOnly] [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_sc_no_new_privs},
    {"cluster.sysctl.reject-invalid", "invalid sysctl names are rejected, valid ones not mentioned", CKC_PROFILE_CLUSTER,
     "[sig-node] Sysctls [LinuxOnly] [NodeConformance] should reject invalid sysctls [MinimumKubeletVersion:1.21] [Conformance]",
     NULL, "v1/pods", nn_t_sysctl_invalid},
    {"cluster.sysctl.support", "a safe sysctl is set in the pod", CKC_PROFILE_CLUSTER,
     "[sig-node] Sysctls [LinuxOnly] [NodeConformance] should support sysctls [MinimumKubeletVersion:1.21] [Environment:NotInUserNS] [Conformance]",
     NULL, "v1/pods v1/pods/log", nn_t_sysctl_support},
    {"cluster.preemption.replicasets", "a preemptor evicts just enough ReplicaSet pods, each once", CKC_PROFILE_CLUSTER,
     "[sig-scheduling] SchedulerPreemption [Serial] PreemptionExecutionPath runs ReplicaSets to verify preemption running path [Conformance]",
     NULL, "v1/pods apps/v1/replicasets scheduling.k8s.io/v1/priorityclasses", nn_t_preempt_rs},
    {"cluster.preemption.basic", "a high priority pod preempts the low priority pod only", CKC_PROFILE_CLUSTER,
     "[sig-scheduling] SchedulerPreemption [Serial] validates basic preemption works [Conformance]",
     NULL, "v1/pods scheduling.k8s.io/v1/priorityclasses", nn_t_preempt_basic},
    {"cluster.preemption.critical", "a system-cluster-critical pod preempts the low priority pod only", CKC_PROFILE_CLUSTER,
     "[sig-scheduling] SchedulerPreemption [Serial] validates lower priority pod preemption by critical pod [Conformance]",
     NULL, "v1/pods scheduling.k8s.io/v1/priorityclasses", nn_t_preempt_critical},
    {"cluster.preemption.disruption-condition", "a preempted pod gets DisruptionTarget=True (PreemptionByScheduler)", CKC_PROFILE_CLUSTER,
     "[sig-scheduling] SchedulerPreemption [Serial] validates pod disruption condition is added to the preempted pod [Conformance]",
     NULL, "v1/pods scheduling.k8s.io/v1/priorityclasses", nn_t_preempt_condition},
    {"cluster.taints.min-toleration-seconds", "NoExecute evicts pods in order of their tolerationSeconds", CKC_PROFILE_CLUSTER,
     "[sig-node] NoExecuteTaintManager Multiple Pods [Serial] evicts pods with minTolerationSeconds [Disruptive] [Conformance]",
     NULL, "v1/pods v1/nodes", nn_t_taint_multiple},
    {"cluster.taints.removal-cancels-eviction", "removing a NoExecute taint cancels a pending eviction", CKC_PROFILE_CLUSTER,
     "[sig-node] NoExecuteTaintManager Single Pod [Serial] removing taint cancels eviction [Disruptive] [Conformance]",
     NULL, "v1/pods v1/nodes", nn_t_taint_cancel},
    {0},
};
