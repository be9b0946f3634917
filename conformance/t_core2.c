/* t_core2.c: API-only behaviours of Pods, Services and the replica
 * controllers' objects (no node, no controller needed): status and scale
 * style subresources, server-side defaults, QoS class, immutable fields and
 * the validation rules upstream's registry strategies enforce. */
#include "objects.h"
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }
static int has(const char *s, const char *sub) { return s && sub && strstr(s, sub); }

static json_t *list_of(ckc_t *t, const char *path)
{
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    return r->json;
}

static size_t n_items(json_t *list) { return json_array_size(ckc_at(list, "items")); }

static json_t *find(json_t *list, const char *name)
{
    size_t i; json_t *it;
    json_array_foreach(ckc_at(list, "items"), i, it)
        if (same(ckc_str(it, "metadata.name"), name)) return it;
    return NULL;
}

static const char *cond_status(json_t *obj, const char *type)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(obj, "status.conditions"), i, c)
        if (same(ckc_str(c, "type"), type)) return ckc_str(c, "status");
    return NULL;
}

/* ---- Services: test/e2e/network/service.go ---- */
static void add_condition(ckc_t *t, json_t *obj, void *arg)
{
    json_t *st = json_object_get(obj, "status");
    if (!json_is_object(st)) { st = json_object(); json_object_set_new(obj, "status", st); }
    json_object_set_new(st, "conditions", json_pack("[{s:s,s:s,s:s,s:s,s:s}]", "type", (const char *)arg, "status", "True",
                                                    "reason", "E2E", "message", "Set from e2e test",
                                                    "lastTransitionTime", "2024-01-01T00:00:00Z"));
}

/* Waits, like upstream's watchtools.Until, for an event of type on name
 * satisfying ok (other events are skipped); fails with what on timeout. */
typedef int (*ev_pred)(json_t *obj);
static json_t *wait_until(ckc_t *t, ckc_watch *w, const char *type, const char *name, ev_pred ok, const char *what)
{
    double deadline = ckc_now() + ckc_timeout(t, 10);
    while (ckc_now() < deadline) {
        json_t *ev = ckc_watch_next(w, deadline - ckc_now());
        if (!ev) break;
        json_t *o = ckc_at(ev, "object");
        if (same(ckc_str(ev, "type"), type) && same(ckc_str(o, "metadata.name"), name) && (!ok || ok(o))) return o;
    }
    CKC_FAIL(t, "watch (HTTP %ld): no %s event for %s with %s within %.0fs", ckc_watch_code(w), type, name, what,
             ckc_timeout(t, 10));
}

static int static_label(json_t *o) { return same(ckc_label(o, "test-service-static"), "true"); }
static int patched_status(json_t *o)
{
    return same(ckc_str(o, "metadata.annotations.patchedstatus"), "true") &&
           same(ckc_str(o, "status.loadBalancer.ingress.0.ip"), "203.0.113.1");
}
static int updated_status(json_t *o)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(o, "status.conditions"), i, c)
        if (same(ckc_str(c, "type"), "StatusUpdate") && same(ckc_str(c, "reason"), "E2E") &&
            same(ckc_str(c, "message"), "Set from e2e test"))
            return same(ckc_str(o, "metadata.annotations.patchedstatus"), "true");
    return 0;
}
static int patched_label(json_t *o) { return same(ckc_label(o, "test-service"), "patched"); }

static void t_svc_status_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "test-service-"), *coll = ckc_coll(t, "services", ns);
    const char *item = ckc_item(t, "services", ns, name), *sel = "test-service-static%3Dtrue";
    json_t *svc = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\",\"labels\":"
                               "{\"test-service-static\":\"true\"}},\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[{\"name\":"
                               "\"http\",\"protocol\":\"TCP\",\"port\":80,\"targetPort\":80}]}}", name);
    const char *rv = ckc_str(list_of(t, ckc_fmt(t, "/api/v1/services?labelSelector=%s", sel)), "metadata.resourceVersion");
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1&labelSelector=%s&resourceVersion=%s", coll, sel, rv));
    ckc_create(t, "services", ns, name, svc);
    wait_until(t, w, "ADDED", name, static_label, "label test-service-static=true");
    ckc_resp *r = ckc_get(t, ckc_fmt(t, "%s/status", item));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "metadata.name"), name), "GET /status must return the Service");
    r = ckc_patch(t, ckc_fmt(t, "%s/status", item), CKC_MERGE_PATCH,
                  "{\"metadata\":{\"annotations\":{\"patchedstatus\":\"true\"}},"
                  "\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.1\"}]}}}");
    CKC_CODE(t, r, 200);
    wait_until(t, w, "MODIFIED", name, patched_status, "annotation patchedstatus=true and ingress 203.0.113.1");
    r = ckc_update(t, ckc_fmt(t, "%s/status", item), add_condition, "StatusUpdate");
    CKC_CODE(t, r, 200);
    wait_until(t, w, "MODIFIED", name, updated_status, "condition StatusUpdate (reason E2E)");
    r = ckc_patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-service\":\"patched\"}}}");
    CKC_CODE(t, r, 200);
    wait_until(t, w, "MODIFIED", name, patched_label, "label test-service=patched");
    r = ckc_delete(t, item, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE must answer 200 or 202");
    wait_until(t, w, "DELETED", name, static_label, "label test-service-static=true");
}

static void t_svc_secure_master(ckc_t *t)
{
    ckc_resp *r = ckc_get(t, "/api/v1/namespaces/default/services/kubernetes");
    CKC_CODE(t, r, 200);
    json_t *p = ckc_at(r->json, "spec.ports.0");
    CKC_CHECK(t, r, same(ckc_str(p, "name"), "https") && json_integer_value(json_object_get(p, "port")) == 443 &&
                        same(ckc_str(p, "protocol"), "TCP"),
              "the kubernetes Service must expose port 443 named https over TCP");
    CKC_CHECK(t, r, same(ckc_str(r->json, "spec.type"), "ClusterIP"), "the kubernetes Service is of type ClusterIP");
}

static void t_svc_defaults(ckc_t *t)
{
    json_t *o = ckc_create(t, "services", ckc_ns(t), "ckc-def", NULL);
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.type"), "ClusterIP") && same(ckc_str(o, "spec.sessionAffinity"), "None"),
              "type must default to ClusterIP and sessionAffinity to None");
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.ports.0.protocol"), "TCP"), "a port's protocol must default to TCP");
    const char *ip = ckc_str(o, "spec.clusterIP");
    CKC_CHECK(t, NULL, ip && *ip && strcmp(ip, "None") && same(ckc_str(o, "spec.clusterIPs.0"), ip),
              "a ClusterIP Service must be allocated a clusterIP, mirrored in clusterIPs[0]");
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.internalTrafficPolicy"), "Cluster"), "internalTrafficPolicy must default to Cluster");
    json_t *o2 = ckc_create(t, "services", ckc_ns(t), "ckc-def2",
                            ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ckc-def2\"},"
                                         "\"spec\":{\"ports\":[{\"port\":81}]}}"));
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(o2, "spec.ports.0.targetPort")) == 81,
              "targetPort must default to the port (81)");
}

static void t_svc_cluster_ip_immutable(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = ckc_create(t, "services", ns, "ckc-imm", NULL);
    const char *ip = ckc_str(o, "spec.clusterIP");
    const char *other = same(ip, "10.0.0.123") ? "10.0.0.124" : "10.0.0.123";
    ckc_resp *r = ckc_patch(t, ckc_item(t, "services", ns, "ckc-imm"), CKC_MERGE_PATCH,
                            ckc_fmt(t, "{\"spec\":{\"clusterIP\":\"%s\",\"clusterIPs\":[\"%s\"]}}", other, other));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "spec.clusterIP"), "the message must name spec.clusterIP(s)");
}

static void t_svc_headless(ckc_t *t)
{
    json_t *o = ckc_create(t, "services", ckc_ns(t), "ckc-headless",
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ckc-headless\"},"
                                        "\"spec\":{\"clusterIP\":\"None\",\"selector\":{\"app\":\"x\"},\"ports\":[{\"port\":80}]}}"));
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.clusterIP"), "None") && same(ckc_str(o, "spec.clusterIPs.0"), "None"),
              "a headless Service keeps clusterIP None (and clusterIPs [None])");
}

/* ExternalName <-> ClusterIP: the API part of upstream's type-change tests. */
static void t_svc_external_name(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "services", ns, "ckc-ext");
    json_t *o = ckc_create(t, "services", ns, "ckc-ext",
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ckc-ext\"},"
                                        "\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"foo.example.com\"}}"));
    const char *ip = ckc_str(o, "spec.clusterIP");
    CKC_CHECK(t, NULL, !ip || !*ip, "an ExternalName Service gets no clusterIP");
    ckc_resp *r = ckc_patch(t, item, CKC_MERGE_PATCH,
                            "{\"spec\":{\"type\":\"ClusterIP\",\"externalName\":null,\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}]}}");
    CKC_CODE(t, r, 200);
    ip = ckc_str(r->json, "spec.clusterIP");
    CKC_CHECK(t, r, ip && *ip && strcmp(ip, "None"), "changing the type to ClusterIP must allocate a clusterIP");
    r = ckc_post(t, ckc_coll(t, "services", ns),
                 ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ckc-ext-bad\"},"
                              "\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"not a dns name\"}}"));
    CKC_STATUS(t, r, 422, "Invalid");
}

static void t_svc_ports_required(ckc_t *t)
{
    ckc_resp *r = ckc_post(t, ckc_coll(t, "services", ckc_ns(t)),
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ckc-noports\"},"
                                        "\"spec\":{\"selector\":{\"app\":\"x\"}}}"));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "spec.ports"), "the message must name spec.ports");
}

/* ---- Pods ---- */
static json_t *pod_with(ckc_t *t, const char *ns, const char *name, const char *resources)
{
    json_t *p = ckc_manifest(t, "pods", ns, name);
    if (resources) json_object_set(ckc_at(p, "spec.containers.0"), "resources", ckc_parse(t, "%s", resources));
    return p;
}

static void t_pod_qos_guaranteed(ckc_t *t)
{
    json_t *o = ckc_create(t, "pods", ckc_ns(t), "ckc-qos",
                           pod_with(t, ckc_ns(t), "ckc-qos", "{\"limits\":{\"cpu\":\"100m\",\"memory\":\"100Mi\"},"
                                                             "\"requests\":{\"cpu\":\"100m\",\"memory\":\"100Mi\"}}"));
    CKC_CHECK(t, NULL, same(ckc_str(o, "status.qosClass"), "Guaranteed"), "requests == limits for cpu and memory: qosClass Guaranteed");
}

static void t_pod_qos_other(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = ckc_create(t, "pods", ns, "ckc-be", NULL);
    CKC_CHECK(t, NULL, same(ckc_str(o, "status.qosClass"), "BestEffort"), "no requests or limits: qosClass BestEffort");
    o = ckc_create(t, "pods", ns, "ckc-bu", pod_with(t, ns, "ckc-bu", "{\"requests\":{\"cpu\":\"100m\"}}"));
    CKC_CHECK(t, NULL, same(ckc_str(o, "status.qosClass"), "Burstable"), "requests below limits: qosClass Burstable");
    o = ckc_create(t, "pods", ns, "ckc-lim", pod_with(t, ns, "ckc-lim", "{\"limits\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}"));
    CKC_CHECK(t, NULL, same(ckc_str(o, "status.qosClass"), "Guaranteed") &&
                           same(ckc_str(o, "spec.containers.0.resources.requests.memory"), "64Mi"),
              "limits only: requests default to limits and qosClass is Guaranteed");
}

static void relabel(ckc_t *t, json_t *obj, void *arg)
{
    json_object_set_new(json_object_get(json_object_get(obj, "metadata"), "labels"), "time", json_string((const char *)arg));
}

static void t_pod_updated(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "pod-update-"), *coll = ckc_coll(t, "pods", ns);
    json_t *p = ckc_manifest(t, "pods", ns, name);
    json_object_set_new(json_object_get(p, "metadata"), "labels", json_pack("{s:s,s:s}", "name", "foo", "time", "v1"));
    ckc_create(t, "pods", ns, name, p);
    json_t *l = list_of(t, ckc_fmt(t, "%s?labelSelector=time%%3Dv1", coll));
    CKC_CHECK(t, NULL, n_items(l) == 1 && find(l, name), "the pod must be listed by label time=v1");
    ckc_resp *r = ckc_update(t, ckc_item(t, "pods", ns, name), relabel, "v2");
    CKC_CODE(t, r, 200);
    l = list_of(t, ckc_fmt(t, "%s?labelSelector=time%%3Dv2", coll));
    CKC_CHECK(t, NULL, n_items(l) == 1 && find(l, name), "after the update the pod must be listed by label time=v2");
    CKC_CHECK(t, NULL, n_items(list_of(t, ckc_fmt(t, "%s?labelSelector=time%%3Dv1", coll))) == 0, "nothing may match time=v1 any more");
}

/* ValidatePodUpdate: activeDeadlineSeconds may be set or lowered, never raised or removed. */
static void t_pod_active_deadline(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "ckc-ads");
    ckc_create(t, "pods", ns, "ckc-ads", NULL);
    ckc_resp *r = ckc_patch(t, item, CKC_SMP, "{\"spec\":{\"activeDeadlineSeconds\":300}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "spec.activeDeadlineSeconds")) == 300, "activeDeadlineSeconds may be set");
    CKC_CODE(t, ckc_patch(t, item, CKC_SMP, "{\"spec\":{\"activeDeadlineSeconds\":100}}"), 200);
    CKC_STATUS(t, ckc_patch(t, item, CKC_SMP, "{\"spec\":{\"activeDeadlineSeconds\":200}}"), 422, "Invalid");
    CKC_STATUS(t, ckc_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"activeDeadlineSeconds\":null}}"), 422, "Invalid");
}

static void t_pod_spec_immutable(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "ckc-imm");
    ckc_create(t, "pods", ns, "ckc-imm", NULL);
    ckc_resp *r = ckc_patch(t, item, CKC_JSON_PATCH, "[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\","
                                                     "\"value\":\"registry.k8s.io/pause:3.10\"}]");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "spec.containers.0.image"), "registry.k8s.io/pause:3.10"), "a container image may change");
    r = ckc_patch(t, item, CKC_JSON_PATCH, "[{\"op\":\"replace\",\"path\":\"/spec/restartPolicy\",\"value\":\"Never\"}]");
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "pod updates may not change fields"), "the message must say pod updates may not change fields");
}

static void t_pod_defaults(ckc_t *t)
{
    json_t *o = ckc_create(t, "pods", ckc_ns(t), "ckc-pdef", NULL);
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.restartPolicy"), "Always") && same(ckc_str(o, "spec.dnsPolicy"), "ClusterFirst"),
              "restartPolicy must default to Always and dnsPolicy to ClusterFirst");
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(o, "spec.terminationGracePeriodSeconds")) == 30,
              "terminationGracePeriodSeconds must default to 30");
    json_t *c = ckc_at(o, "spec.containers.0");
    CKC_CHECK(t, NULL, same(ckc_str(c, "terminationMessagePath"), "/dev/termination-log") &&
                           same(ckc_str(c, "terminationMessagePolicy"), "File") &&
                           same(ckc_str(c, "imagePullPolicy"), "IfNotPresent"),
              "a container defaults to /dev/termination-log, policy File, and IfNotPresent for a tagged image");
    CKC_CHECK(t, NULL, same(ckc_str(o, "status.phase"), "Pending"), "a new pod is Pending");
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.schedulerName"), "ckc-no-scheduler"), "schedulerName must be kept");
}

static void t_pod_pull_policy(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *p = ckc_manifest(t, "pods", ns, "ckc-latest");
    json_object_set_new(ckc_at(p, "spec.containers.0"), "image", json_string("registry.k8s.io/pause:latest"));
    json_t *o = ckc_create(t, "pods", ns, "ckc-latest", p);
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.containers.0.imagePullPolicy"), "Always"), ":latest must default to Always");
    p = ckc_manifest(t, "pods", ns, "ckc-notag");
    json_object_set_new(ckc_at(p, "spec.containers.0"), "image", json_string("registry.k8s.io/pause"));
    o = ckc_create(t, "pods", ns, "ckc-notag", p);
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.containers.0.imagePullPolicy"), "Always"), "an untagged image must default to Always");
}

static void t_pod_status_ignores_spec(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "ckc-pst");
    ckc_create(t, "pods", ns, "ckc-pst", NULL);
    ckc_resp *r = ckc_patch(t, ckc_fmt(t, "%s/status", item), CKC_MERGE_PATCH,
                            "{\"spec\":{\"activeDeadlineSeconds\":5},\"status\":{\"message\":\"from status\"}}");
    CKC_CODE(t, r, 200);
    json_t *o = ckc_fetch(t, "pods", ns, "ckc-pst");
    CKC_CHECK(t, NULL, same(ckc_str(o, "status.message"), "from status"), "the status patch must be stored");
    CKC_CHECK(t, NULL, !ckc_at(o, "spec.activeDeadlineSeconds"), "spec changes sent to /status must be ignored");
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"status\":{\"message\":\"from main\"}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, NULL, same(ckc_str(ckc_fetch(t, "pods", ns, "ckc-pst"), "status.message"), "from status"),
              "status changes sent to the main resource must be ignored");
}

/* ---- ReplicaSets, ReplicationControllers, Deployments ---- */
static void t_rs_status(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "replicasets", ns, "ckc-rs");
    ckc_create(t, "replicasets", ns, "ckc-rs", NULL);
    ckc_resp *r = ckc_get(t, ckc_fmt(t, "%s/status", item));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "kind"), "ReplicaSet"), "GET /status must return the ReplicaSet");
    r = ckc_update(t, ckc_fmt(t, "%s/status", item), add_condition, "StatusUpdate");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, NULL, same(cond_status(ckc_fetch(t, "replicasets", ns, "ckc-rs"), "StatusUpdate"), "True"),
              "the updated status condition StatusUpdate must be visible");
    r = ckc_patch(t, ckc_fmt(t, "%s/status", item), CKC_MERGE_PATCH,
                  "{\"status\":{\"conditions\":[{\"type\":\"StatusPatched\",\"status\":\"True\"}]}}");
    CKC_CODE(t, r, 200);
    r = ckc_get(t, ckc_fmt(t, "%s/status", item));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(cond_status(r->json, "StatusPatched"), "True"), "the patched status condition StatusPatched must be visible");
}

static void t_rs_selector_mismatch(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *rs = ckc_manifest(t, "replicasets", ns, "ckc-rsbad");
    json_object_set_new(ckc_at(rs, "spec.selector"), "matchLabels", json_pack("{s:s}", "app", "other"));
    ckc_resp *r = ckc_post(t, ckc_coll(t, "replicasets", ns), rs);
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "selector") && has(r->body, "does not match template"),
              "the message must say the selector does not match template labels");
}

static void t_rc_selector_default(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *rc = ckc_manifest(t, "replicationcontrollers", ns, "ckc-rcd");
    json_object_del(json_object_get(rc, "spec"), "selector");
    json_t *o = ckc_create(t, "replicationcontrollers", ns, "ckc-rcd", rc);
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.selector.app"), "ckc-rcd"), "a missing selector defaults to the template's labels");
    CKC_CHECK(t, NULL, same(ckc_label(o, "app"), "ckc-rcd"), "missing labels default to the template's labels");
}

static void t_deploy_defaults(ckc_t *t)
{
    json_t *o = ckc_create(t, "deployments", ckc_ns(t), "ckc-ddef", NULL);
    CKC_CHECK(t, NULL, same(ckc_str(o, "spec.strategy.type"), "RollingUpdate") &&
                           same(ckc_str(o, "spec.strategy.rollingUpdate.maxSurge"), "25%") &&
                           same(ckc_str(o, "spec.strategy.rollingUpdate.maxUnavailable"), "25%"),
              "strategy must default to RollingUpdate 25%%/25%%");
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(o, "spec.revisionHistoryLimit")) == 10 &&
                           json_integer_value(ckc_at(o, "spec.progressDeadlineSeconds")) == 600,
              "revisionHistoryLimit must default to 10 and progressDeadlineSeconds to 600");
}

static void t_deploy_selector_immutable(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "deployments", ns, "ckc-dsel", NULL);
    ckc_resp *r = ckc_patch(t, ckc_item(t, "deployments", ns, "ckc-dsel"), CKC_MERGE_PATCH,
                            "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"ckc-dsel\",\"x\":\"y\"}},"
                            "\"template\":{\"metadata\":{\"labels\":{\"app\":\"ckc-dsel\",\"x\":\"y\"}}}}}");
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "spec.selector") && has(r->body, "immutable"), "the message must say spec.selector is immutable");
}

#define REF(x) "https://kubernetes.io/docs/reference/kubernetes-api/" x
#define SVC_DOC "https://kubernetes.io/docs/concepts/services-networking/service/"
#define QOS_DOC "https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/"
const ckc_test ckc_tests_core2[] = {
    {"api.services.status-lifecycle", "Service: get, patch and update /status, patch, delete, with watch events",
     CKC_PROFILE_API, "[sig-network] Services should complete a service status lifecycle [Conformance]", NULL,
     "v1/services/status", t_svc_status_lifecycle},
    {"api.services.secure-master", "the kubernetes Service in default exposes 443/TCP named https", CKC_PROFILE_API,
     "[sig-network] Services should provide secure master service [Conformance]", NULL, "v1/services", t_svc_secure_master},
    {"api.services.defaults", "Service defaults: ClusterIP, None affinity, TCP, targetPort, allocated clusterIP",
     CKC_PROFILE_API, NULL, REF("service-resources/service-v1/"), "v1/services", t_svc_defaults},
    {"api.services.cluster-ip-immutable", "Service: changing spec.clusterIP is 422", CKC_PROFILE_API, NULL,
     SVC_DOC "#choosing-your-own-ip-address", "v1/services", t_svc_cluster_ip_immutable},
    {"api.services.headless", "Service: clusterIP None is kept (headless)", CKC_PROFILE_API, NULL, SVC_DOC "#headless-services",
     "v1/services", t_svc_headless},
    {"api.services.external-name", "Service: ExternalName has no clusterIP; to ClusterIP allocates one; bad name is 422",
     CKC_PROFILE_API, NULL, SVC_DOC "#externalname", "v1/services", t_svc_external_name},
    {"api.services.ports-required", "Service: a ClusterIP Service without ports is 422", CKC_PROFILE_API, NULL,
     REF("service-resources/service-v1/"), "v1/services", t_svc_ports_required},
    {"api.pods.qos-guaranteed", "Pod: requests == limits gives qosClass Guaranteed", CKC_PROFILE_API,
     "[sig-node] Pods Extended Pods Set QOS Class should be set on Pods with matching resource requests and limits for memory "
     "and cpu [Conformance]", NULL, "v1/pods", t_pod_qos_guaranteed},
    {"api.pods.qos-classes", "Pod: BestEffort, Burstable, and limits-only defaulting requests", CKC_PROFILE_API, NULL, QOS_DOC,
     "v1/pods", t_pod_qos_other},
    {"api.pods.updated", "Pod: update a label, list by the new value", CKC_PROFILE_API,
     "[sig-node] Pods should be updated [NodeConformance] [Conformance]", NULL, "v1/pods", t_pod_updated},
    {"api.pods.active-deadline-rules", "Pod: activeDeadlineSeconds may be set or lowered, not raised or removed",
     CKC_PROFILE_API, NULL, REF("workload-resources/pod-v1/#lifecycle"), "v1/pods", t_pod_active_deadline},
    {"api.pods.spec-immutable", "Pod: image may change, other spec fields are 422", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/workloads/pods/#pod-update-and-replacement", "v1/pods", t_pod_spec_immutable},
    {"api.pods.defaults", "Pod defaults: restartPolicy, dnsPolicy, grace period, container fields, Pending",
     CKC_PROFILE_API, NULL, REF("workload-resources/pod-v1/"), "v1/pods", t_pod_defaults},
    {"api.pods.image-pull-policy", "Pod: :latest or untagged images default to imagePullPolicy Always", CKC_PROFILE_API,
     NULL, "https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting", "v1/pods", t_pod_pull_policy},
    {"api.pods.status-subresource", "Pod: /status ignores spec, the main resource ignores status", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/reference/using-api/api-concepts/#status-subresource", "v1/pods/status",
     t_pod_status_ignores_spec},
    {"api.replicasets.status", "ReplicaSet: read, update and patch /status", CKC_PROFILE_API,
     "[sig-apps] ReplicaSet should validate Replicaset Status endpoints [Conformance]", NULL, "apps/v1/replicasets/status",
     t_rs_status},
    {"api.replicasets.selector-mismatch", "ReplicaSet: a selector not matching the template labels is 422", CKC_PROFILE_API,
     NULL, "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-selector", "apps/v1/replicasets",
     t_rs_selector_mismatch},
    {"api.replicationcontrollers.selector-default", "ReplicationController: selector and labels default from the template",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#pod-selector",
     "v1/replicationcontrollers", t_rc_selector_default},
    {"api.deployments.defaults", "Deployment defaults: RollingUpdate 25%/25%, history 10, progress deadline 600",
     CKC_PROFILE_API, NULL, REF("workload-resources/deployment-v1/"), "apps/v1/deployments", t_deploy_defaults},
    {"api.deployments.selector-immutable", "Deployment: apps/v1 spec.selector is immutable (422)", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#label-selector-updates", "apps/v1/deployments",
     t_deploy_selector_immutable},
    {0},
};
