/* objects.c: fixtures as data (one row per resource: path, kind, minimal
 * valid manifest) and the create/fetch/wait helpers the area files share.
 * Pods name a scheduler that does not exist so that no scheduler binds them:
 * an unbound pod is deleted at once (no kubelet grace period). */
#include "objects.h"
#include <string.h>

#define PAUSE "{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.9\"}"
#define POD_SPEC "{\"schedulerName\":\"ckc-no-scheduler\",\"containers\":[" PAUSE "]}"

static const ckc_resource resources[] = {
    {"configmaps", "v1", "ConfigMap", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$NAME\"},\"data\":{\"a\":\"1\"}}"},
    {"secrets", "v1", "Secret", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"$NAME\"},\"type\":\"Opaque\","
     "\"data\":{\"a\":\"MQ==\"}}"},
    {"pods", "v1", "Pod", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"$NAME\",\"labels\":{\"app\":\"$NAME\"}},"
     "\"spec\":" POD_SPEC "}"},
    {"services", "v1", "Service", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"spec\":{\"selector\":{\"app\":\"$NAME\"},\"ports\":[{\"port\":80,\"targetPort\":8080}]}}"},
    {"serviceaccounts", "v1", "ServiceAccount", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"$NAME\"}}"},
    {"events", "v1", "Event", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"$NAME\",\"namespace\":\"$NS\",\"apiVersion\":\"v1\"},"
     "\"reason\":\"Testing\",\"message\":\"ckube-conformance\",\"type\":\"Normal\","
     "\"source\":{\"component\":\"ckube-conformance\"}}"},
    {"podtemplates", "v1", "PodTemplate", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"template\":{\"metadata\":{\"labels\":{\"app\":\"$NAME\"}},\"spec\":" POD_SPEC "}}"},
    {"replicationcontrollers", "v1", "ReplicationController", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"ReplicationController\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"spec\":{\"replicas\":0,\"selector\":{\"app\":\"$NAME\"},"
     "\"template\":{\"metadata\":{\"labels\":{\"app\":\"$NAME\"}},\"spec\":" POD_SPEC "}}}"},
    {"replicasets", "apps/v1", "ReplicaSet", 1,
     "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"spec\":{\"replicas\":0,\"selector\":{\"matchLabels\":{\"app\":\"$NAME\"}},"
     "\"template\":{\"metadata\":{\"labels\":{\"app\":\"$NAME\"}},\"spec\":" POD_SPEC "}}}"},
    {"deployments", "apps/v1", "Deployment", 1,
     "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"spec\":{\"replicas\":0,\"selector\":{\"matchLabels\":{\"app\":\"$NAME\"}},"
     "\"template\":{\"metadata\":{\"labels\":{\"app\":\"$NAME\"}},\"spec\":" POD_SPEC "}}}"},
    {"leases", "coordination.k8s.io/v1", "Lease", 1,
     "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"spec\":{\"holderIdentity\":\"ckube-conformance\",\"leaseDurationSeconds\":30}}"},
    {"resourcequotas", "v1", "ResourceQuota", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"spec\":{\"hard\":{\"pods\":\"5\",\"configmaps\":\"10\"}}}"},
    {"limitranges", "v1", "LimitRange", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\"},"
     "\"defaultRequest\":{\"cpu\":\"100m\"}}]}}"},
    {"endpoints", "v1", "Endpoints", 1,
     "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"$NAME\"},"
     "\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.24\"}],\"ports\":[{\"name\":\"http\",\"port\":80,"
     "\"protocol\":\"TCP\"}]}]}"},
    {"namespaces", "v1", "Namespace", 0,
     "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$NAME\"}}"},
    {0},
};

const ckc_resource *ckc_resource_find(const char *resource)
{
    for (const ckc_resource *r = resources; r->resource; r++)
        if (!strcmp(r->resource, resource)) return r;
    return NULL;
}

static const ckc_resource *must_find(ckc_t *t, const char *resource)
{
    const ckc_resource *r = ckc_resource_find(resource);
    if (!r) CKC_FAIL(t, "harness bug: no fixture for %s", resource);
    return r;
}

const char *ckc_coll(ckc_t *t, const char *resource, const char *ns)
{
    const ckc_resource *r = must_find(t, resource);
    const char *root = strchr(r->group_version, '/') ? "/apis" : "/api";
    if (r->namespaced)
        return ckc_fmt(t, "%s/%s/namespaces/%s/%s", root, r->group_version, ns, resource);
    return ckc_fmt(t, "%s/%s/%s", root, r->group_version, resource);
}

const char *ckc_item(ckc_t *t, const char *resource, const char *ns, const char *name)
{
    return ckc_fmt(t, "%s/%s", ckc_coll(t, resource, ns), name);
}

/* Replaces every $NAME and $NS in tmpl. */
static char *substitute(ckc_t *t, const char *tmpl, const char *ns, const char *name)
{
    size_t cap = strlen(tmpl) * 2 + 64 * 8 + 1, o = 0;
    char *out = ckc_own(t, malloc(cap), free);
    for (const char *p = tmpl; *p;) {
        const char *v = NULL;
        if (!strncmp(p, "$NAME", 5)) { v = name; p += 5; }
        else if (!strncmp(p, "$NS", 3)) { v = ns ? ns : ""; p += 3; }
        if (v) {
            size_t n = strlen(v);
            if (o + n + 1 >= cap) CKC_FAIL(t, "harness bug: manifest too long");
            memcpy(out + o, v, n);
            o += n;
        } else {
            if (o + 2 >= cap) CKC_FAIL(t, "harness bug: manifest too long");
            out[o++] = *p++;
        }
    }
    out[o] = 0;
    return out;
}

json_t *ckc_manifest(ckc_t *t, const char *resource, const char *ns, const char *name)
{
    const ckc_resource *r = must_find(t, resource);
    return ckc_parse(t, "%s", substitute(t, r->manifest, ns, name));
}

json_t *ckc_create(ckc_t *t, const char *resource, const char *ns, const char *name, json_t *obj)
{
    if (!obj) obj = ckc_manifest(t, resource, ns, name);
    ckc_resp *r = ckc_post(t, ckc_coll(t, resource, ns), obj);
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, r, json_is_object(r->json), "the response must be the created object");
    return r->json;
}

json_t *ckc_fetch(ckc_t *t, const char *resource, const char *ns, const char *name)
{
    ckc_resp *r = ckc_get(t, ckc_item(t, resource, ns, name));
    CKC_CODE(t, r, 200);
    return r->json;
}

void ckc_wait_gone(ckc_t *t, const char *path, double base)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    ckc_resp *r;
    for (;;) {
        r = ckc_get(t, path);
        if (r->code == 404 || ckc_now() > deadline) break;
        ckc_sleep_ms(200);
    }
    CKC_CHECK(t, r, r->code == 404, "the object must be gone within %.0fs", ckc_timeout(t, base));
}

const char *ckc_label(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(ckc_at(obj, "metadata.labels"), key));
}

ckc_resp *ckc_update(ckc_t *t, const char *path, ckc_mutator mut, void *arg)
{
    ckc_resp *r = NULL;
    for (int attempt = 0; attempt < 5; attempt++) {
        ckc_resp *g = ckc_get(t, path);
        CKC_CODE(t, g, 200);
        json_t *obj = ckc_ownj(t, json_deep_copy(g->json));
        mut(t, obj, arg);
        r = ckc_put(t, path, obj);
        if (r->code != 409) break;
        ckc_sleep_ms(100);
    }
    return r;
}
