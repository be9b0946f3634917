/* t_crud.c: create, get, list, update, patch and delete for each resource the
 * fixtures know, the same walk for every kind (as upstream's *lifecycle*
 * tests do per kind): server-set metadata on create, the list kind and
 * resourceVersion, a new resourceVersion on update, deletion observable. */
#include "objects.h"
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static int listed(json_t *list, const char *name)
{
    size_t i; json_t *it;
    json_array_foreach(ckc_at(list, "items"), i, it)
        if (same(ckc_str(it, "metadata.name"), name)) return 1;
    return 0;
}

static void add_label(ckc_t *t, json_t *obj, void *arg)
{
    json_t *meta = json_object_get(obj, "metadata");
    json_t *labels = json_object_get(meta, "labels");
    if (!json_is_object(labels)) { labels = json_object(); json_object_set_new(meta, "labels", labels); }
    json_object_set_new(labels, "ckc-updated", json_string("true"));
}

static void crud(ckc_t *t, const char *resource)
{
    const ckc_resource *res = ckc_resource_find(resource);
    const char *ns = res->namespaced ? ckc_ns(t) : NULL;
    const char *name = ckc_rand_name(t, "ckc-crud-");
    const char *item = ckc_item(t, resource, ns, name);

    ckc_resp *r = ckc_post(t, ckc_coll(t, resource, ns), ckc_manifest(t, resource, ns, name));
    CKC_CODE(t, r, 201);
    json_t *o = r->json;
    const char *uid = ckc_str(o, "metadata.uid"), *rv = ckc_str(o, "metadata.resourceVersion");
    CKC_CHECK(t, r, same(ckc_str(o, "metadata.name"), name), "metadata.name must be %s", name);
    CKC_CHECK(t, r, uid && *uid && rv && *rv && ckc_str(o, "metadata.creationTimestamp"),
              "create must set metadata.uid, resourceVersion and creationTimestamp");
    CKC_CHECK(t, r, same(ckc_str(o, "kind"), res->kind) && same(ckc_str(o, "apiVersion"), res->group_version),
              "the response must be a %s %s", res->group_version, res->kind);
    if (ns) CKC_CHECK(t, r, same(ckc_str(o, "metadata.namespace"), ns), "metadata.namespace must be %s", ns);

    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "metadata.uid"), uid), "GET must return the created object (uid %s)", uid);
    json_t *current = r->json;

    r = ckc_get(t, ckc_coll(t, resource, ns));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "kind"), ckc_fmt(t, "%sList", res->kind)), "kind must be %sList", res->kind);
    CKC_CHECK(t, r, ckc_str(r->json, "metadata.resourceVersion") != NULL, "a list must carry metadata.resourceVersion");
    CKC_CHECK(t, r, listed(r->json, name), "the list must contain %s", name);

    (void)current;
    r = ckc_update(t, item, add_label, NULL);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_label(r->json, "ckc-updated"), "true"), "PUT must store the new label");
    CKC_CHECK(t, r, same(ckc_str(r->json, "metadata.uid"), uid), "PUT must keep the uid");
    const char *rv2 = ckc_str(r->json, "metadata.resourceVersion");
    CKC_CHECK(t, r, rv2 && strcmp(rv2, rv), "PUT must change resourceVersion (was %s)", rv);

    r = ckc_patch(t, item, CKC_MERGE_PATCH, "{\"metadata\":{\"labels\":{\"ckc-patched\":\"true\"}}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_label(r->json, "ckc-patched"), "true") && same(ckc_label(r->json, "ckc-updated"), "true"),
              "a merge patch must add its label and keep the others");

    r = ckc_delete(t, item, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE must answer 200 or 202");
    if (res->namespaced) {
        ckc_wait_gone(t, item, 10);
        return;
    }
    /* A namespace is finalized by the namespace controller: until then it is
     * Terminating with a deletionTimestamp (api-concepts, namespaces doc). */
    r = ckc_get(t, item);
    if (r->code == 404) return;
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, ckc_str(r->json, "metadata.deletionTimestamp") &&
                        same(ckc_str(r->json, "status.phase"), "Terminating"),
              "a deleted namespace must be gone or Terminating with a deletionTimestamp");
}

#define CRUD_FN(res, fn) static void fn(ckc_t *t) { crud(t, res); }
CRUD_FN("configmaps", t_configmaps)
CRUD_FN("secrets", t_secrets)
CRUD_FN("pods", t_pods)
CRUD_FN("services", t_services)
CRUD_FN("serviceaccounts", t_serviceaccounts)
CRUD_FN("events", t_events)
CRUD_FN("podtemplates", t_podtemplates)
CRUD_FN("replicationcontrollers", t_rcs)
CRUD_FN("replicasets", t_replicasets)
CRUD_FN("deployments", t_deployments)
CRUD_FN("leases", t_leases)
CRUD_FN("namespaces", t_namespaces)
CRUD_FN("resourcequotas", t_resourcequotas)
CRUD_FN("limitranges", t_limitranges)
CRUD_FN("endpoints", t_endpoints)

#define CONCEPTS "https://kubernetes.io/docs/reference/using-api/api-concepts/#standard-api-terminology"
#define CRUD_TITLE(k) k ": create, get, list, update, merge-patch and delete"

const ckc_test ckc_tests_crud[] = {
    {"api.crud.configmaps", CRUD_TITLE("ConfigMap"), CKC_PROFILE_API,
     "[sig-node] ConfigMap should run through a ConfigMap lifecycle [Conformance]", NULL, "v1/configmaps", t_configmaps},
    {"api.crud.secrets", CRUD_TITLE("Secret"), CKC_PROFILE_API,
     "[sig-node] Secrets should patch a secret [Conformance]", NULL, "v1/secrets", t_secrets},
    {"api.crud.pods", CRUD_TITLE("Pod (unscheduled)"), CKC_PROFILE_API, NULL, CONCEPTS, "v1/pods", t_pods},
    {"api.crud.services", CRUD_TITLE("Service"), CKC_PROFILE_API, NULL, CONCEPTS, "v1/services", t_services},
    {"api.crud.serviceaccounts", CRUD_TITLE("ServiceAccount"), CKC_PROFILE_API,
     "[sig-auth] ServiceAccounts should run through the lifecycle of a ServiceAccount [Conformance]", NULL,
     "v1/serviceaccounts", t_serviceaccounts},
    {"api.crud.events", CRUD_TITLE("Event (core/v1)"), CKC_PROFILE_API,
     "[sig-instrumentation] Events should manage the lifecycle of an event [Conformance]", NULL, "v1/events", t_events},
    {"api.crud.podtemplates", CRUD_TITLE("PodTemplate"), CKC_PROFILE_API,
     "[sig-node] PodTemplates should run the lifecycle of PodTemplates [Conformance]", NULL, "v1/podtemplates",
     t_podtemplates},
    {"api.crud.replicationcontrollers", CRUD_TITLE("ReplicationController (0 replicas)"), CKC_PROFILE_API, NULL,
     CONCEPTS, "v1/replicationcontrollers", t_rcs},
    {"api.crud.replicasets", CRUD_TITLE("ReplicaSet (0 replicas)"), CKC_PROFILE_API, NULL, CONCEPTS,
     "apps/v1/replicasets", t_replicasets},
    {"api.crud.deployments", CRUD_TITLE("Deployment (0 replicas)"), CKC_PROFILE_API, NULL, CONCEPTS,
     "apps/v1/deployments", t_deployments},
    {"api.crud.leases", CRUD_TITLE("Lease"), CKC_PROFILE_API, "[sig-node] Lease lease API should be available [Conformance]",
     NULL, "coordination.k8s.io/v1/leases", t_leases},
    {"api.crud.namespaces", CRUD_TITLE("Namespace"), CKC_PROFILE_API,
     "[sig-api-machinery] Namespaces [Serial] should patch a Namespace [Conformance]", NULL, "v1/namespaces", t_namespaces},
    {"api.crud.resourcequotas", CRUD_TITLE("ResourceQuota"), CKC_PROFILE_API,
     "[sig-api-machinery] ResourceQuota should be able to update and delete ResourceQuota. [Conformance]", NULL,
     "v1/resourcequotas", t_resourcequotas},
    {"api.crud.limitranges", CRUD_TITLE("LimitRange"), CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/policy/limit-range/", "v1/limitranges", t_limitranges},
    {"api.crud.endpoints", CRUD_TITLE("Endpoints"), CKC_PROFILE_API,
     "[sig-network] Services should test the lifecycle of an Endpoint [Conformance]", NULL, "v1/endpoints", t_endpoints},
    {0},
};
