/* t_upstream.c: upstream conformance behaviours that conformance/UPSTREAM.md
 * listed as in scope but not mirrored: LimitRange defaulting, RuntimeClass
 * admission and overhead, the apiserver's own Endpoints/EndpointSlice, node
 * count, ResourceQuota usage. Each test follows the upstream e2e test named. */
#include "cluster.h"
#include <stdlib.h>
#include <string.h>

/* ---- LimitRange (test/e2e/scheduling/limit_range.go) ------------------ */

/* getResourceList(cpu, memory, ephemeralStorage): "" leaves a key out. */
static json_t *rlist(const char *cpu, const char *mem, const char *eph)
{
    json_t *l = json_object();
    if (*cpu) json_object_set_new(l, "cpu", json_string(cpu));
    if (*mem) json_object_set_new(l, "memory", json_string(mem));
    if (*eph) json_object_set_new(l, "ephemeral-storage", json_string(eph));
    return l;
}

/* A pod (no scheduler binds it in the api profile) with these requests/limits. */
static json_t *lr_pod(ckc_t *t, const char *ns, const char *name, json_t *req, json_t *lim)
{
    json_t *pod = ckc_manifest(t, "pods", ns, name);
    json_t *res = json_object();
    if (json_object_size(req)) json_object_set(res, "requests", req);
    if (json_object_size(lim)) json_object_set(res, "limits", lim);
    json_object_set_new(cl_container(pod, 0, 0), "resources", res);
    json_decref(req);
    json_decref(lim);
    return pod;
}

/* want (requests or limits) equals got exactly, key by key. */
static int same_list(json_t *want, json_t *got)
{
    if (json_object_size(want) != json_object_size(got)) return 0;
    const char *k;
    json_t *v;
    json_object_foreach(want, k, v)
        if (!cl_same(json_string_value(v), json_string_value(json_object_get(got, k)))) return 0;
    return 1;
}

static void expect_resources(ckc_t *t, ckc_resp *r, const char *what, json_t *req, json_t *lim)
{
    json_t *res = ckc_at(r->json, "spec.containers.0.resources");
    char *got = json_dumps(res, JSON_COMPACT | JSON_SORT_KEYS);
    ckc_own(t, got, free);
    int ok = same_list(req, ckc_at(res, "requests")) && same_list(lim, ckc_at(res, "limits"));
    json_decref(req);
    json_decref(lim);
    CKC_CHECK(t, r, ok, "%s: the LimitRanger admission must default the container's resources; got %s",
              what, got ? got : "?");
}

static void t_limitrange_defaults(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *lr = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s, s:{s:s}}, s:{s:[{s:s, s:o, s:o, s:o, s:o}]}}",
        "apiVersion", "v1", "kind", "LimitRange", "metadata", "name", "limit-range", "labels", "time", "ckc",
        "spec", "limits", "type", "Container", "min", rlist("50m", "100Mi", "100Gi"),
        "max", rlist("500m", "500Mi", "500Gi"), "default", rlist("500m", "500Mi", "500Gi"),
        "defaultRequest", rlist("100m", "200Mi", "200Gi")));
    const char *lrs = ckc_fmt(t, "/api/v1/namespaces/%s/limitranges", ns);
    ckc_resp *r = ckc_post(t, lrs, lr);
    CKC_CODE(t, r, 201);
    const char *pods = ckc_fmt(t, "/api/v1/namespaces/%s/pods", ns);

    /* No requirements: default and defaultRequest apply. */
    r = ckc_post(t, pods, lr_pod(t, ns, "pod-no-resources", json_object(), json_object()));
    CKC_CODE(t, r, 201);
    r = ckc_get(t, ckc_fmt(t, "%s/pod-no-resources", pods));
    CKC_CODE(t, r, 200);
    expect_resources(t, r, "pod without resources", rlist("100m", "200Mi", "200Gi"), rlist("500m", "500Mi", "500Gi"));

    /* Partial: a limit without a request defaults the request to the limit,
     * so defaultRequest only fills what neither names (upstream's comment). */
    r = ckc_post(t, pods, lr_pod(t, ns, "pod-partial-resources", rlist("", "150Mi", "150Gi"), rlist("300m", "", "")));
    CKC_CODE(t, r, 201);
    r = ckc_get(t, ckc_fmt(t, "%s/pod-partial-resources", pods));
    CKC_CODE(t, r, 200);
    expect_resources(t, r, "pod with partial resources", rlist("300m", "150Mi", "150Gi"), rlist("300m", "500Mi", "500Gi"));

    /* Below min, above max: rejected (403 Forbidden from admission). */
    r = ckc_post(t, pods, lr_pod(t, ns, "pfpod", rlist("10m", "50Mi", "50Gi"), json_object()));
    CKC_CHECK(t, r, r->code >= 400, "a pod below the LimitRange min must be rejected; got %ld", r->code);
    r = ckc_post(t, pods, lr_pod(t, ns, "pfpod", rlist("600m", "600Mi", "600Gi"), json_object()));
    CKC_CHECK(t, r, r->code >= 400, "a pod above the LimitRange max must be rejected; got %ld", r->code);

    /* Lower min: the former too-small pod is now admitted. */
    r = ckc_patch(t, ckc_fmt(t, "%s/limit-range", lrs), CKC_SMP,
                  "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"min\":{\"cpu\":\"9m\",\"memory\":\"49Mi\","
                  "\"ephemeral-storage\":\"49Gi\"}}]}}");
    CKC_CODE(t, r, 200);
    r = ckc_post(t, pods, lr_pod(t, ns, "pfpod", rlist("10m", "50Mi", "50Gi"), json_object()));
    CKC_CODE(t, r, 201);
    r = ckc_post(t, pods, lr_pod(t, ns, "pfpod-max", rlist("600m", "600Mi", "600Gi"), json_object()));
    CKC_CHECK(t, r, r->code >= 400, "a pod above the LimitRange max must still be rejected; got %ld", r->code);

    /* Deleted: nothing limits the big pod any more (upstream retries 30s). */
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s/limit-range", lrs), NULL), 200);
    double deadline = ckc_now() + ckc_timeout(t, 30);
    do {
        r = ckc_post(t, pods, lr_pod(t, ns, "pfpod2", rlist("600m", "600Mi", "600Gi"), json_object()));
        if (r->code == 201) return;
        ckc_sleep_ms(1000);
    } while (ckc_now() < deadline);
    CKC_CODE(t, r, 201);
}

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

/* ---- ResourceQuota usage (test/e2e/apimachinery/resource_quota.go) ---- */

typedef struct quota_case {
    const char *resource;  /* objects.c fixture */
    const char *key;       /* the quota's resource name */
} quota_case;

/* status.used[key] or status.hard[key]: keys like count/replicasets.apps hold
 * dots, so no dotted-path lookup. Borrowed, NULL when absent. */
static const char *quota_val(json_t *q, const char *field, const char *key)
{
    return json_string_value(json_object_get(ckc_at(q, field), key));
}

/* Polls the quota until status.used[key] == want for every pair (NULL-terminated). */
static void wait_used(ckc_t *t, const char *path, const char *const *pairs)
{
    double deadline = ckc_now() + ckc_timeout(t, 60);
    ckc_resp *r;
    for (;;) {
        r = ckc_get(t, path);
        CKC_CODE(t, r, 200);
        int ok = 1;
        for (size_t i = 0; pairs[i]; i += 2)
            ok &= cl_same(quota_val(r->json, "status.used", pairs[i]), pairs[i + 1]);
        if (ok || ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    char *want = ckc_fmt(t, "%s", "");
    for (size_t i = 0; pairs[i]; i += 2) want = ckc_fmt(t, "%s %s=%s", want, pairs[i], pairs[i + 1]);
    char *got = json_dumps(ckc_at(r->json, "status"), JSON_COMPACT | JSON_SORT_KEYS);
    ckc_own(t, got, free);
    int ok = 1;
    for (size_t i = 0; pairs[i]; i += 2)
        ok &= cl_same(quota_val(r->json, "status.used", pairs[i]), pairs[i + 1]);
    CKC_CHECK(t, r, ok, "the resource quota controller must calculate used{%s }; status %s", want, got ? got : "?");
}

static size_t count_items(ckc_t *t, const char *path)
{
    return json_array_size(cl_list(t, path));
}

static const char *create_quota(ckc_t *t, const char *ns, const char *key, const char *hard)
{
    json_t *q = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:{s:s, s:s}}}", "apiVersion", "v1",
                                      "kind", "ResourceQuota", "metadata", "name", "test-quota", "spec", "hard",
                                      "resourcequotas", "1", key, hard));
    CKC_CODE(t, ckc_post(t, ckc_fmt(t, "/api/v1/namespaces/%s/resourcequotas", ns), q), 201);
    return ckc_fmt(t, "/api/v1/namespaces/%s/resourcequotas/test-quota", ns);
}

/* Create a quota allowing one more object than exist; usage follows create and delete. */
static void quota_life(ckc_t *t, const quota_case *qc)
{
    const char *ns = ckc_ns(t);
    ckc_sleep_ms(2000); /* let kube-root-ca.crt and the default ServiceAccount land first */
    size_t found = count_items(t, ckc_coll(t, qc->resource, ns));
    const char *before = ckc_fmt(t, "%zu", found), *after = ckc_fmt(t, "%zu", found + 1);
    const char *path = create_quota(t, ns, qc->key, after);
    wait_used(t, path, (const char *const[]){"resourcequotas", "1", qc->key, before, NULL});
    ckc_create(t, qc->resource, ns, "test-quota-object", NULL);
    wait_used(t, path, (const char *const[]){"resourcequotas", "1", qc->key, after, NULL});
    cl_delete_now(t, ckc_item(t, qc->resource, ns, "test-quota-object"));
    wait_used(t, path, (const char *const[]){"resourcequotas", "1", qc->key, before, NULL});
}

static void t_quota_configmap(ckc_t *t) { quota_life(t, &(quota_case){"configmaps", "configmaps"}); }
static void t_quota_secret(ckc_t *t) { quota_life(t, &(quota_case){"secrets", "secrets"}); }
static void t_quota_service(ckc_t *t) { quota_life(t, &(quota_case){"services", "services"}); }
static void t_quota_rc(ckc_t *t) { quota_life(t, &(quota_case){"replicationcontrollers", "replicationcontrollers"}); }
static void t_quota_rs(ckc_t *t) { quota_life(t, &(quota_case){"replicasets", "count/replicasets.apps"}); }

static void t_quota_promptly(ckc_t *t)
{
    const char *path = create_quota(t, ckc_ns(t), "pods", "5");
    wait_used(t, path, (const char *const[]){"resourcequotas", "1", NULL});
    ckc_resp *r = ckc_get(t, path);
    CKC_CHECK(t, r, cl_same(quota_val(r->json, "status.hard", "pods"), "5"), "status.hard must copy spec.hard");
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
#define RQ(what) "[sig-api-machinery] ResourceQuota should create a ResourceQuota and capture the life of a " what ". [Conformance]"
const ckc_test ckc_tests_upstream[] = {
    {"api.upstream.limitrange-defaults", "LimitRange defaults, min and max apply to pods at admission", CKC_PROFILE_API,
     "[sig-scheduling] LimitRange should create a LimitRange with defaults and ensure pod has those defaults applied. [Conformance]",
     NULL, "v1/limitranges v1/pods", t_limitrange_defaults},
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
    {"cluster.upstream.quota-promptly", "a ResourceQuota's status is calculated", CKC_PROFILE_CLUSTER,
     "[sig-api-machinery] ResourceQuota should create a ResourceQuota and ensure its status is promptly calculated. [Conformance]",
     NULL, "v1/resourcequotas", t_quota_promptly},
    {"cluster.upstream.quota-configmap", "quota usage follows a ConfigMap's life", CKC_PROFILE_CLUSTER, RQ("configMap"),
     NULL, "v1/resourcequotas v1/configmaps", t_quota_configmap},
    {"cluster.upstream.quota-secret", "quota usage follows a Secret's life", CKC_PROFILE_CLUSTER, RQ("secret"), NULL,
     "v1/resourcequotas v1/secrets", t_quota_secret},
    {"cluster.upstream.quota-service", "quota usage follows a Service's life", CKC_PROFILE_CLUSTER, RQ("service"), NULL,
     "v1/resourcequotas v1/services", t_quota_service},
    {"cluster.upstream.quota-rc", "quota usage follows a ReplicationController's life", CKC_PROFILE_CLUSTER,
     RQ("replication controller"), NULL, "v1/resourcequotas v1/replicationcontrollers", t_quota_rc},
    {"cluster.upstream.quota-rs", "quota usage follows a ReplicaSet's life", CKC_PROFILE_CLUSTER, RQ("replica set"), NULL,
     "v1/resourcequotas apps/v1/replicasets", t_quota_rs},
    {"cluster.upstream.dns-cluster", "a pod resolves kubernetes.default.svc.cluster.local", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide DNS for the cluster [Conformance]", NULL, "v1/pods", t_dns_cluster},
    {"cluster.upstream.dns-services", "a pod resolves a service's FQDN to its ClusterIP", CKC_PROFILE_CLUSTER,
     "[sig-network] DNS should provide DNS for services [Conformance]", NULL, "v1/pods v1/services", t_dns_services},
    {0},
};
