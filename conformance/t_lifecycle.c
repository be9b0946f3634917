/* t_lifecycle.c: object lifecycle: finalizers and deletionTimestamp,
 * deletecollection, immutable ConfigMaps/Secrets, a Terminating namespace
 * refusing new content; controller-made defaults in a new namespace (cluster
 * profile); service IP/port allocation; pods/binding; the scale and status
 * subresources and their isolation from the main resource. */
#include "objects.h"
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }
static int has(const char *s, const char *sub) { return s && sub && strstr(s, sub); }

static void t_finalizers(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "configmaps", ns, "ckc-fin");
    json_t *o = ckc_manifest(t, "configmaps", ns, "ckc-fin");
    json_object_set_new(json_object_get(o, "metadata"), "finalizers", json_pack("[s]", "example.com/ckc"));
    ckc_create(t, "configmaps", ns, "ckc-fin", o);
    ckc_resp *r = ckc_delete(t, item, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE must answer 200 or 202");
    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, ckc_str(r->json, "metadata.deletionTimestamp") && json_array_size(ckc_at(r->json, "metadata.finalizers")) == 1,
              "an object with a finalizer must stay, with deletionTimestamp set and its finalizer");
    /* ValidateObjectMetaAccessorUpdate: "Finalizers cannot be added if the
     * object is already being deleted" (ValidateNoNewFinalizers, Forbidden
     * -> 422). apimachinery/pkg/api/validation/objectmeta.go */
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"finalizers\":[\"example.com/ckc\",\"example.com/late\"]}}");
    CKC_STATUS(t, r, 422, "Invalid");
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"data\":{\"a\":\"still-writable\"}}");
    CKC_CODE(t, r, 200);
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}");
    CKC_CHECK(t, r, r->code == 200 || r->code == 404, "removing the last finalizer must succeed");
    ckc_wait_gone(t, item, 10);
}

/* Creates 3 labelled objects and a bystander, deletes the labelled ones by
 * collection, and checks exactly they are gone (upstream's "delete a
 * collection of ..." tests for each kind). */
static void deletecollection(ckc_t *t, const char *resource)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, resource, ns);
    for (int i = 0; i < 3; i++) {
        const char *name = ckc_fmt(t, "ckc-set-%d", i);
        json_t *o = ckc_manifest(t, resource, ns, name);
        json_t *meta = json_object_get(o, "metadata");
        json_t *labels = json_object_get(meta, "labels");
        if (!json_is_object(labels)) { labels = json_object(); json_object_set_new(meta, "labels", labels); }
        json_object_set_new(labels, "ckc-set", json_string("true"));
        ckc_create(t, resource, ns, name, o);
    }
    ckc_create(t, resource, ns, "ckc-bystander", NULL);
    ckc_resp *r = ckc_delete(t, ckc_fmt(t, "%s?labelSelector=ckc-set%%3Dtrue", coll), NULL);
    CKC_CODE(t, r, 200);
    double deadline = ckc_now() + ckc_timeout(t, 10);
    do {
        r = ckc_get(t, ckc_fmt(t, "%s?labelSelector=ckc-set%%3Dtrue", coll));
        CKC_CODE(t, r, 200);
        if (json_array_size(ckc_at(r->json, "items")) == 0) break;
        ckc_sleep_ms(200);
    } while (ckc_now() < deadline);
    CKC_CHECK(t, r, json_array_size(ckc_at(r->json, "items")) == 0, "deletecollection must delete every selected object");
    CKC_CODE(t, ckc_get(t, ckc_item(t, resource, ns, "ckc-bystander")), 200);
}
#define DC_FN(res, fn) static void fn(ckc_t *t) { deletecollection(t, res); }
DC_FN("podtemplates", t_dc_podtemplates)
DC_FN("events", t_dc_events)
DC_FN("services", t_dc_services)
DC_FN("replicasets", t_dc_replicasets)
DC_FN("pods", t_dc_pods)
DC_FN("limitranges", t_dc_limitranges)

static void immutable(ckc_t *t, const char *resource, const char *value)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, resource, ns, "ckc-immutable");
    json_t *o = ckc_manifest(t, resource, ns, "ckc-immutable");
    json_object_set_new(o, "immutable", json_true());
    ckc_create(t, resource, ns, "ckc-immutable", o);
    ckc_resp *r = ckc_patch(t, item, CKC_MERGE_PATCH, ckc_fmt(t, "{\"data\":{\"a\":\"%s\"}}", value));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "field is immutable when `immutable` is set"),
              "message must say: field is immutable when `immutable` is set");
    CKC_STATUS(t, ckc_patch(t, item, CKC_MERGE_PATCH, "{\"immutable\":false}"), 422, "Invalid");
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"still\":\"mutable\"}}}");
    CKC_CODE(t, r, 200);
    r = ckc_delete(t, item, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "an immutable object can still be deleted");
    ckc_wait_gone(t, item, 10);
}
static void t_immutable_cm(ckc_t *t) { immutable(t, "configmaps", "2"); }
static void t_immutable_secret(ckc_t *t) { immutable(t, "secrets", "Mg=="); }

static void t_ns_terminating(ckc_t *t)
{
    const char *ns = ckc_new_ns(t);
    ckc_create(t, "configmaps", ns, "ckc-before", NULL);
    const char *item = ckc_fmt(t, "/api/v1/namespaces/%s", ns);
    ckc_resp *r = ckc_delete(t, item, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE namespace must answer 200 or 202");
    r = ckc_get(t, item);
    if (r->code == 404) {
        /* already finalized: creating inside is NotFound */
        CKC_STATUS(t, ckc_post(t, ckc_coll(t, "configmaps", ns), ckc_manifest(t, "configmaps", ns, "ckc-after")), 404,
                   "NotFound");
        return;
    }
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, ckc_str(r->json, "metadata.deletionTimestamp") && same(ckc_str(r->json, "status.phase"), "Terminating"),
              "a deleted namespace must be Terminating with a deletionTimestamp");
    r = ckc_post(t, ckc_coll(t, "configmaps", ns), ckc_manifest(t, "configmaps", ns, "ckc-after"));
    if (r->code == 404) return; /* finalized in between */
    /* NamespaceLifecycle admission */
    CKC_STATUS(t, r, 403, "Forbidden");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "because it is being terminated"),
              "message must say the namespace is being terminated");
}

/* cluster profile: the namespace controller family fills a new namespace */
static void wait_present(ckc_t *t, const char *path, double base, const char *what)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    ckc_resp *r;
    for (;;) {
        r = ckc_get(t, path);
        if (r->code == 200 || ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    CKC_CHECK(t, r, r->code == 200, "%s must appear within %.0fs", what, ckc_timeout(t, base));
}

static void t_default_sa(ckc_t *t)
{
    const char *ns = ckc_new_ns(t);
    wait_present(t, ckc_item(t, "serviceaccounts", ns, "default"), 30, "serviceaccount default");
}

static void t_root_ca(ckc_t *t)
{
    const char *ns = ckc_new_ns(t), *item = ckc_item(t, "configmaps", ns, "kube-root-ca.crt");
    wait_present(t, item, 30, "configmap kube-root-ca.crt");
    ckc_resp *r = ckc_get(t, item);
    json_t *data = ckc_at(r->json, "data");
    const char *pem = json_string_value(json_object_get(data, "ca.crt"));
    CKC_CHECK(t, r, has(pem, "BEGIN CERTIFICATE"), "data[ca.crt] must hold a PEM certificate");
    /* upstream: deleted or changed, it is recreated / reconciled */
    CKC_CHECK(t, r, ckc_delete(t, item, NULL)->code == 200, "deleting kube-root-ca.crt must succeed");
    wait_present(t, item, 30, "a recreated kube-root-ca.crt");
}

static void t_ns_delete_removes(ckc_t *t)
{
    const char *ns = ckc_new_ns(t);
    ckc_create(t, "services", ns, "test-service", NULL);
    const char *item = ckc_fmt(t, "/api/v1/namespaces/%s", ns);
    ckc_resp *r = ckc_delete(t, item, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE namespace must answer 200 or 202");
    ckc_wait_gone(t, item, 120);
    char err[512];
    if (ckc_run_create_namespace(t->run, ns, err, sizeof err)) CKC_FAIL(t, "recreating %s: %s", ns, err);
    CKC_STATUS(t, ckc_get(t, ckc_item(t, "services", ns, "test-service")), 404, "NotFound");
}

static json_t *service(ckc_t *t, const char *name, const char *type, const char *cluster_ip, int node_port)
{
    json_t *o = ckc_manifest(t, "services", NULL, name);
    json_t *spec = json_object_get(o, "spec");
    if (type) json_object_set_new(spec, "type", json_string(type));
    if (cluster_ip) json_object_set_new(spec, "clusterIP", json_string(cluster_ip));
    if (node_port) json_object_set_new(json_array_get(json_object_get(spec, "ports"), 0), "nodePort", json_integer(node_port));
    return o;
}

static void t_cluster_ip(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *a = ckc_create(t, "services", ns, "ckc-ip-a", service(t, "ckc-ip-a", NULL, NULL, 0));
    const char *ip = ckc_str(a, "spec.clusterIP");
    CKC_CHECK(t, NULL, ip && *ip && strcmp(ip, "None"), "a ClusterIP service must get spec.clusterIP");
    CKC_CHECK(t, NULL, same(ckc_str(a, "spec.type"), "ClusterIP") && same(ckc_str(a, "spec.clusterIPs.0"), ip),
              "defaults: spec.type ClusterIP, spec.clusterIPs[0] == spec.clusterIP");
    CKC_CHECK(t, NULL, same(ckc_str(a, "spec.ports.0.protocol"), "TCP"), "spec.ports[0].protocol defaults to TCP");
    json_t *b = ckc_create(t, "services", ns, "ckc-ip-b", service(t, "ckc-ip-b", NULL, NULL, 0));
    CKC_CHECK(t, NULL, !same(ckc_str(b, "spec.clusterIP"), ip), "two services must get different cluster IPs (%s)", ip);
    ckc_resp *r = ckc_post(t, ckc_coll(t, "services", ns), service(t, "ckc-ip-c", NULL, ip, 0));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "already allocated"), "message must say the IP is already allocated");
    json_t *h = ckc_create(t, "services", ns, "ckc-headless", service(t, "ckc-headless", NULL, "None", 0));
    CKC_CHECK(t, NULL, same(ckc_str(h, "spec.clusterIP"), "None"), "a headless service keeps clusterIP None");
    r = ckc_patch(t, ckc_item(t, "services", ns, "ckc-ip-a"), CKC_MERGE_PATCH,
                  ckc_fmt(t, "{\"spec\":{\"clusterIP\":\"%s\",\"clusterIPs\":[\"%s\"]}}",
                          ckc_str(b, "spec.clusterIP"), ckc_str(b, "spec.clusterIP")));
    CKC_STATUS(t, r, 422, "Invalid");
}

static void t_node_port(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *a = ckc_create(t, "services", ns, "ckc-np-a", service(t, "ckc-np-a", "NodePort", NULL, 0));
    json_int_t port = json_integer_value(ckc_at(a, "spec.ports.0.nodePort"));
    CKC_CHECK(t, NULL, port > 0 && port <= 65535, "a NodePort service must get spec.ports[0].nodePort");
    CKC_CHECK(t, NULL, ckc_str(a, "spec.clusterIP") && strcmp(ckc_str(a, "spec.clusterIP"), "None"),
              "a NodePort service also gets a cluster IP");
    ckc_resp *r = ckc_post(t, ckc_coll(t, "services", ns), service(t, "ckc-np-b", "NodePort", NULL, (int)port));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "already allocated"), "message must say the port is already allocated");
}

static void t_binding(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "ckc-bind");
    ckc_create(t, "pods", ns, "ckc-bind", NULL);
    const char *binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"ckc-bind\"},"
                          "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"%s\"}}";
    ckc_resp *r = ckc_post(t, ckc_fmt(t, "%s/binding", item), ckc_parse(t, binding, "ckc-node-a"));
    CKC_CODE(t, r, 201);
    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "spec.nodeName"), "ckc-node-a"), "the binding must set spec.nodeName");
    r = ckc_post(t, ckc_fmt(t, "%s/binding", item), ckc_parse(t, binding, "ckc-node-b"));
    CKC_STATUS(t, r, 409, "Conflict");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "already assigned"), "message must say the pod is already assigned");
}

static void set_replicas(ckc_t *t, json_t *obj, void *arg)
{
    json_object_set_new(json_object_get(obj, "spec"), "replicas", json_integer(2));
}

static void scale(ckc_t *t, const char *resource)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, resource, ns, "ckc-scale");
    ckc_create(t, resource, ns, "ckc-scale", NULL);
    const char *sc = ckc_fmt(t, "%s/scale", item);
    ckc_resp *r = ckc_get(t, sc);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "kind"), "Scale") && same(ckc_str(r->json, "apiVersion"), "autoscaling/v1"),
              "the scale subresource must be an autoscaling/v1 Scale");
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "spec.replicas")) == 0 &&
                        same(ckc_str(r->json, "metadata.name"), "ckc-scale"),
              "Scale must mirror spec.replicas (0) and the name");
    CKC_CHECK(t, r, has(ckc_str(r->json, "status.selector"), "app=ckc-scale"), "Scale status.selector must be the selector");
    r = ckc_update(t, sc, set_replicas, NULL);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "spec.replicas")) == 2, "PUT scale must answer spec.replicas 2");
    r = ckc_get(t, item);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "spec.replicas")) == 2, "PUT scale must set the object's spec.replicas");
    r = ckc_patch(t, sc, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":1}}");
    CKC_CODE(t, r, 200);
    r = ckc_get(t, item);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "spec.replicas")) == 1, "PATCH scale must set spec.replicas");
}
static void t_scale_deploy(ckc_t *t) { scale(t, "deployments"); }
static void t_scale_rs(ckc_t *t) { scale(t, "replicasets"); }
static void t_scale_rc(ckc_t *t) { scale(t, "replicationcontrollers"); }

static int has_condition(json_t *obj, const char *type)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(obj, "status.conditions"), i, c)
        if (same(ckc_str(c, "type"), type)) return 1;
    return 0;
}

static void status_condition(ckc_t *t, json_t *d, void *arg)
{
    json_object_set_new(json_object_get(d, "spec"), "replicas", json_integer(7));
    json_t *st = json_object_get(d, "status");
    if (!json_is_object(st)) { st = json_object(); json_object_set_new(d, "status", st); }
    json_object_set_new(st, "conditions", json_pack("[{s:s, s:s, s:s, s:s}]", "type", "StatusUpdate", "status", "True",
                                                    "reason", "E2E", "message", "Set from ckube-conformance"));
}

static void t_status_isolation(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "deployments", ns, "ckc-status");
    json_t *o = ckc_create(t, "deployments", ns, "ckc-status", NULL);
    json_int_t gen = json_integer_value(ckc_at(o, "metadata.generation"));
    CKC_CHECK(t, NULL, gen >= 1, "a new deployment has metadata.generation >= 1");
    ckc_resp *r = ckc_update(t, ckc_fmt(t, "%s/status", item), status_condition, NULL);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, has_condition(r->json, "StatusUpdate"), "PUT /status must store status.conditions");
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "spec.replicas")) == 0, "PUT /status must ignore spec.replicas");
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "metadata.generation")) == gen,
              "a status write must not bump metadata.generation");
    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"spec\":{\"replicas\":1},\"status\":{\"observedGeneration\":42}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "spec.replicas")) == 1, "PATCH on the object must apply spec");
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "status.observedGeneration")) != 42,
              "PATCH on the object must ignore status");
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "metadata.generation")) == gen + 1,
              "a spec change must bump metadata.generation to %lld", (long long)(gen + 1));
}

#define NS_DOC "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"
#define SVC_DOC "https://kubernetes.io/docs/concepts/services-networking/service/"
const ckc_test ckc_tests_lifecycle[] = {
    {"api.lifecycle.finalizers", "a finalizer holds a deleted object (deletionTimestamp set) until removed", CKC_PROFILE_API,
     NULL, "https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/", "v1/configmaps", t_finalizers},
#define DC_TITLE(k) k ": deletecollection with a label selector deletes exactly the selected objects"
    {"api.deletecollection.podtemplates", DC_TITLE("PodTemplate"), CKC_PROFILE_API,
     "[sig-node] PodTemplates should delete a collection of pod templates [Conformance]", NULL, "v1/podtemplates",
     t_dc_podtemplates},
    {"api.deletecollection.events", DC_TITLE("Event"), CKC_PROFILE_API,
     "[sig-instrumentation] Events should delete a collection of events [Conformance]", NULL, "v1/events", t_dc_events},
    {"api.deletecollection.services", DC_TITLE("Service"), CKC_PROFILE_API,
     "[sig-network] Services should delete a collection of services [Conformance]", NULL, "v1/services", t_dc_services},
    {"api.deletecollection.replicasets", DC_TITLE("ReplicaSet"), CKC_PROFILE_API,
     "[sig-apps] ReplicaSet should list and delete a collection of ReplicaSets [Conformance]", NULL,
     "apps/v1/replicasets", t_dc_replicasets},
    {"api.deletecollection.pods", DC_TITLE("Pod (unscheduled)"), CKC_PROFILE_API,
     "[sig-node] Pods should delete a collection of pods [Conformance]", NULL, "v1/pods", t_dc_pods},
    {"api.deletecollection.limitranges", DC_TITLE("LimitRange"), CKC_PROFILE_API,
     "[sig-scheduling] LimitRange should list, patch and delete a LimitRange by collection [Conformance]", NULL,
     "v1/limitranges", t_dc_limitranges},
    {"api.lifecycle.immutable-configmap", "an immutable ConfigMap rejects data changes and un-immutabling", CKC_PROFILE_API,
     "[sig-storage] ConfigMap should be immutable if `immutable` field is set [Conformance]", NULL, "v1/configmaps",
     t_immutable_cm},
    {"api.lifecycle.immutable-secret", "an immutable Secret rejects data changes and un-immutabling", CKC_PROFILE_API,
     "[sig-storage] Secrets should be immutable if `immutable` field is set [Conformance]", NULL, "v1/secrets",
     t_immutable_secret},
    {"api.lifecycle.namespace-terminating", "a deleted namespace is Terminating and refuses new objects (403)",
     CKC_PROFILE_API, NULL, NS_DOC, "v1/namespaces v1/configmaps", t_ns_terminating},
    {"api.service.cluster-ip", "services get distinct cluster IPs; a taken or changed IP is 422", CKC_PROFILE_API, NULL,
     SVC_DOC "#type-clusterip", "v1/services", t_cluster_ip},
    {"api.service.node-port", "NodePort services get a node port; a taken port is 422", CKC_PROFILE_API, NULL,
     SVC_DOC "#type-nodeport", "v1/services", t_node_port},
    {"api.pods.binding", "pods/binding sets spec.nodeName once; binding again is 409", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#create-binding-of-a-pod",
     "v1/pods v1/pods/binding", t_binding},
    {"api.scale.deployment", "deployments/scale reads and writes spec.replicas", CKC_PROFILE_API,
     "[sig-apps] Deployment Deployment should have a working scale subresource [Conformance]", NULL,
     "apps/v1/deployments apps/v1/deployments/scale", t_scale_deploy},
    {"api.scale.replicaset", "replicasets/scale reads and writes spec.replicas", CKC_PROFILE_API,
     "[sig-apps] ReplicaSet Replicaset should have a working scale subresource [Conformance]", NULL,
     "apps/v1/replicasets apps/v1/replicasets/scale", t_scale_rs},
    {"api.scale.replicationcontroller", "replicationcontrollers/scale reads and writes spec.replicas", CKC_PROFILE_API,
     "[sig-apps] ReplicationController should get and update a ReplicationController scale [Conformance]", NULL,
     "v1/replicationcontrollers v1/replicationcontrollers/scale", t_scale_rc},
    {"api.status.isolation", "/status writes only status, the object only spec; generation counts spec changes",
     CKC_PROFILE_API, "[sig-apps] Deployment should validate Deployment Status endpoints [Conformance]", NULL,
     "apps/v1/deployments apps/v1/deployments/status", t_status_isolation},
    {"cluster.namespace.default-serviceaccount", "a new namespace gets serviceaccount default", CKC_PROFILE_CLUSTER, NULL,
     "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts", "v1/serviceaccounts",
     t_default_sa},
    {"cluster.namespace.kube-root-ca", "a new namespace gets configmap kube-root-ca.crt, recreated when deleted",
     CKC_PROFILE_CLUSTER, "[sig-auth] ServiceAccounts should guarantee kube-root-ca.crt exist in any namespace [Conformance]",
     NULL, "v1/configmaps", t_root_ca},
    {"cluster.namespace.delete-removes-content", "deleting a namespace removes its services; it can be recreated empty",
     CKC_PROFILE_CLUSTER,
     "[sig-api-machinery] Namespaces [Serial] should ensure that all services are removed when a namespace is deleted [Conformance]",
     NULL, "v1/services", t_ns_delete_removes},
    {0},
};
