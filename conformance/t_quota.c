/* t_quota.c: ResourceQuota and LimitRange behaviours of
 * test/e2e/apimachinery/resource_quota.go and test/e2e/scheduling/
 * limit_range.go: the quota controller computes status promptly, admission
 * charges and refuses over-quota creates, deletes replenish, scopes select
 * pods, and a LimitRange's defaults reach a new pod. */
#include "objects.h"
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }
static int has(const char *s, const char *sub) { return s && sub && strstr(s, sub); }

/* Quantities as the tests use them: whole units or milli ("500m"). */
static long long milli(const char *s)
{
    if (!s) return -1;
    char *end;
    double v = strtod(s, &end);
    if (*end == 'm') return (long long)v;
    if (!strcmp(end, "Mi")) return (long long)(v * 1024 * 1024 * 1000);
    if (!strcmp(end, "Gi")) return (long long)(v * 1024 * 1024 * 1024 * 1000);
    return (long long)(v * 1000);
}

static json_t *quota_obj(ckc_t *t, const char *name, const char *hard_json, const char *scopes_json)
{
    return ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"%s\"},"
                        "\"spec\":{\"hard\":%s%s%s}}", name, hard_json, scopes_json ? ",\"scopes\":" : "",
                     scopes_json ? scopes_json : "");
}

/* waitForResourceQuota: polls until status.used[name] == want for each pair
 * ("pods", "0", ...); NULL-terminated. */
static void wait_used(ckc_t *t, const char *ns, const char *quota, const char *const *pairs)
{
    double deadline = ckc_now() + ckc_timeout(t, 30);
    json_t *last = NULL;
    while (ckc_now() < deadline) {
        last = ckc_fetch(t, "resourcequotas", ns, quota);
        int ok = 1;
        for (int i = 0; pairs[i]; i += 2) {
            json_t *u = json_object_get(ckc_at(last, "status.used"), pairs[i]);
            if (!json_is_string(u) || milli(json_string_value(u)) != milli(pairs[i + 1])) ok = 0;
        }
        if (ok) return;
        ckc_sleep_ms(250);
    }
    char *dump = last ? json_dumps(ckc_at(last, "status"), JSON_COMPACT) : NULL;
    CKC_FAIL(t, "quota %s: status.used never reached the expected values (status %s)", quota, dump ? dump : "?");
}

/* DELETE, retried on a 409 from a concurrent writer (kubelet status). */
static ckc_resp *del(ckc_t *t, const char *path, json_t *opts)
{
    ckc_resp *r = ckc_delete(t, path, opts);
    for (int i = 0; i < 10 && r->code == 409; i++) {
        ckc_sleep_ms(200);
        r = ckc_delete(t, path, opts);
    }
    return r;
}

static json_t *pod(ckc_t *t, const char *name, const char *resources, const char *extra_spec)
{
    return ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\"},\"spec\":{%s"
                        "\"containers\":[{\"name\":\"pause\",\"image\":\"busybox\",\"command\":[\"sleep\",\"3600\"],"
                        "\"resources\":%s}]}}", name, extra_spec ? extra_spec : "", resources);
}

static void t_quota_prompt(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "resourcequotas", ns, "test-quota", quota_obj(t, "test-quota", "{\"pods\":\"5\",\"configmaps\":\"10\"}", NULL));
    wait_used(t, ns, "test-quota", (const char *const[]){"pods", "0", NULL});
    json_t *q = ckc_fetch(t, "resourcequotas", ns, "test-quota");
    CKC_CHECK(t, NULL, same(ckc_str(q, "status.hard.pods"), "5"), "status.hard mirrors spec.hard");
}

/* Creating one object of resource uses 1 of quota's legacy count; delete frees it. */
static void count_life(ckc_t *t, const char *resource, const char *hard_name)
{
    const char *ns = ckc_ns(t);
    char hard[128];
    snprintf(hard, sizeof hard, "{\"%s\":\"%s\"}", hard_name, !strcmp(resource, "secrets") ? "10" : "10");
    /* kube-root-ca.crt arrives shortly after the namespace: let it settle first */
    for (int i = 0; i < 40 && ckc_get(t, ckc_item(t, "configmaps", ns, "kube-root-ca.crt"))->code != 200; i++)
        ckc_sleep_ms(250);
    ckc_create(t, "resourcequotas", ns, "test-quota", quota_obj(t, "test-quota", hard, NULL));
    /* the namespace may already hold some (kube-root-ca.crt): measure first */
    double deadline = ckc_now() + ckc_timeout(t, 30);
    const char *base = NULL;
    while (ckc_now() < deadline && !base) {
        base = json_string_value(json_object_get(ckc_at(ckc_fetch(t, "resourcequotas", ns, "test-quota"), "status.used"),
                                                 hard_name));
        if (!base) ckc_sleep_ms(250);
    }
    if (!base) CKC_FAIL(t, "quota status.used.%s never computed", hard_name);
    long long n0 = milli(base) / 1000;
    ckc_create(t, resource, ns, "test-object", NULL);
    wait_used(t, ns, "test-quota", (const char *const[]){hard_name, ckc_fmt(t, "%lld", n0 + 1), NULL});
    ckc_resp *r = del(t, ckc_item(t, resource, ns, "test-object"), NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "delete %s", resource);
    wait_used(t, ns, "test-quota", (const char *const[]){hard_name, ckc_fmt(t, "%lld", n0), NULL});
}

static void t_quota_configmap(ckc_t *t) { count_life(t, "configmaps", "configmaps"); }
static void t_quota_secret(ckc_t *t) { count_life(t, "secrets", "secrets"); }
static void t_quota_rc(ckc_t *t) { count_life(t, "replicationcontrollers", "replicationcontrollers"); }
static void t_quota_rs(ckc_t *t) { count_life(t, "replicasets", "count/replicasets.apps"); }

static void t_quota_pod(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "resourcequotas", ns, "test-quota",
               quota_obj(t, "test-quota", "{\"pods\":\"5\",\"cpu\":\"1\",\"memory\":\"500Mi\"}", NULL));
    wait_used(t, ns, "test-quota", (const char *const[]){"pods", "0", "cpu", "0", "memory", "0", NULL});
    ckc_resp *r = ckc_post(t, ckc_coll(t, "pods", ns),
                           pod(t, "test-pod", "{\"requests\":{\"cpu\":\"500m\",\"memory\":\"252Mi\"}}", NULL));
    CKC_CODE(t, r, 201);
    wait_used(t, ns, "test-quota", (const char *const[]){"pods", "1", "cpu", "500m", "memory", "252Mi", NULL});
    /* Not allowing a pod to be created that exceeds remaining quota */
    r = ckc_post(t, ckc_coll(t, "pods", ns), pod(t, "fail-pod", "{\"requests\":{\"cpu\":\"600m\",\"memory\":\"100Mi\"}}", NULL));
    CKC_STATUS(t, r, 403, "Forbidden");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "exceeded quota: test-quota"), "exceeded quota message");
    json_t *opts = ckc_parse(t, "{\"gracePeriodSeconds\":0}");
    r = del(t, ckc_item(t, "pods", ns, "test-pod"), opts);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "delete pod");
    wait_used(t, ns, "test-quota", (const char *const[]){"pods", "0", "cpu", "0", "memory", "0", NULL});
}

static void t_quota_service(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "resourcequotas", ns, "test-quota",
               quota_obj(t, "test-quota", "{\"services\":\"10\",\"services.nodeports\":\"1\"}", NULL));
    wait_used(t, ns, "test-quota", (const char *const[]){"services", "0", "services.nodeports", "0", NULL});
    json_t *np = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"np\"},\"spec\":"
                              "{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}");
    ckc_resp *r = ckc_post(t, ckc_coll(t, "services", ns), np);
    CKC_CODE(t, r, 201);
    wait_used(t, ns, "test-quota", (const char *const[]){"services", "1", "services.nodeports", "1", NULL});
    json_object_set_new(ckc_at(np, "metadata"), "name", json_string("np2"));
    r = ckc_post(t, ckc_coll(t, "services", ns), np);
    CKC_STATUS(t, r, 403, "Forbidden");
    r = del(t, ckc_item(t, "services", ns, "np"), NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "delete service");
    wait_used(t, ns, "test-quota", (const char *const[]){"services", "0", "services.nodeports", "0", NULL});
}

/* A pod in one scope is charged there and not in the opposite one. */
static void scope_pair(ckc_t *t, const char *scope_a, const char *scope_b, const char *res_a, const char *extra_a)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "resourcequotas", ns, "quota-a", quota_obj(t, "quota-a", "{\"pods\":\"5\"}", ckc_fmt(t, "[\"%s\"]", scope_a)));
    ckc_create(t, "resourcequotas", ns, "quota-b", quota_obj(t, "quota-b", "{\"pods\":\"5\"}", ckc_fmt(t, "[\"%s\"]", scope_b)));
    wait_used(t, ns, "quota-a", (const char *const[]){"pods", "0", NULL});
    wait_used(t, ns, "quota-b", (const char *const[]){"pods", "0", NULL});
    ckc_resp *r = ckc_post(t, ckc_coll(t, "pods", ns), pod(t, "pod-a", res_a, extra_a));
    CKC_CODE(t, r, 201);
    wait_used(t, ns, "quota-a", (const char *const[]){"pods", "1", NULL});
    wait_used(t, ns, "quota-b", (const char *const[]){"pods", "0", NULL});
    r = del(t, ckc_item(t, "pods", ns, "pod-a"), ckc_parse(t, "{\"gracePeriodSeconds\":0}"));
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "delete pod");
    wait_used(t, ns, "quota-a", (const char *const[]){"pods", "0", NULL});
}

static void t_quota_best_effort(ckc_t *t) { scope_pair(t, "BestEffort", "NotBestEffort", "{}", NULL); }
static void t_quota_terminating(ckc_t *t)
{
    scope_pair(t, "Terminating", "NotTerminating", "{}", "\"activeDeadlineSeconds\":3600,");
}

static void t_limitrange_defaults(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *lr = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"limits\"},\"spec\":"
                              "{\"limits\":[{\"type\":\"Container\",\"min\":{\"cpu\":\"100m\",\"memory\":\"10Mi\"},"
                              "\"max\":{\"cpu\":\"500m\",\"memory\":\"500Mi\"},\"defaultRequest\":{\"cpu\":\"200m\","
                              "\"memory\":\"200Mi\"},\"default\":{\"cpu\":\"300m\",\"memory\":\"300Mi\"},"
                              "\"maxLimitRequestRatio\":{\"cpu\":\"10\"}}]}}");
    ckc_create(t, "limitranges", ns, "limits", lr);
    ckc_resp *r = ckc_post(t, ckc_coll(t, "pods", ns), pod(t, "pod-no-resources", "{}", NULL));
    CKC_CODE(t, r, 201);
    json_t *c = ckc_at(r->json, "spec.containers.0.resources");
    CKC_CHECK(t, r, milli(ckc_str(c, "requests.cpu")) == 200 && milli(ckc_str(c, "limits.cpu")) == 300 &&
                        milli(ckc_str(c, "requests.memory")) == milli("200Mi") &&
                        milli(ckc_str(c, "limits.memory")) == milli("300Mi"),
              "the LimitRange's defaults were applied");
    r = ckc_post(t, ckc_coll(t, "pods", ns), pod(t, "pod-partial", "{\"requests\":{\"cpu\":\"300m\"}}", NULL));
    CKC_CODE(t, r, 201);
    c = ckc_at(r->json, "spec.containers.0.resources");
    CKC_CHECK(t, r, milli(ckc_str(c, "requests.cpu")) == 300 && milli(ckc_str(c, "limits.cpu")) == 300,
              "a declared request is kept, the default limit filled in");
    r = ckc_post(t, ckc_coll(t, "pods", ns), pod(t, "pod-too-big", "{\"requests\":{\"cpu\":\"600m\"},\"limits\":{\"cpu\":\"600m\"}}", NULL));
    CKC_STATUS(t, r, 403, "Forbidden");
    CKC_CHECK(t, r, has(ckc_str(r->json, "message"), "maximum cpu usage per Container is 500m"), "max message");
}

#define RQ "[sig-api-machinery] ResourceQuota "
const ckc_test ckc_tests_quota[] = {
    {"quota.status-prompt", "ResourceQuota: status.hard/used computed promptly", CKC_PROFILE_CLUSTER,
     RQ "should create a ResourceQuota and ensure its status is promptly calculated. [Conformance]", NULL,
     "v1/resourcequotas", t_quota_prompt},
    {"quota.pod", "ResourceQuota: a pod is charged, an over-quota pod refused, the delete released", CKC_PROFILE_CLUSTER,
     RQ "should create a ResourceQuota and capture the life of a pod. [Conformance]", NULL, "v1/resourcequotas v1/pods",
     t_quota_pod},
    {"quota.service", "ResourceQuota: services and node ports counted, the second NodePort refused", CKC_PROFILE_CLUSTER,
     RQ "should create a ResourceQuota and capture the life of a service. [Conformance]", NULL,
     "v1/resourcequotas v1/services", t_quota_service},
    {"quota.configmap", "ResourceQuota: configmaps counted and released", CKC_PROFILE_CLUSTER,
     RQ "should create a ResourceQuota and capture the life of a configMap. [Conformance]", NULL,
     "v1/resourcequotas v1/configmaps", t_quota_configmap},
    {"quota.secret", "ResourceQuota: secrets counted and released", CKC_PROFILE_CLUSTER,
     RQ "should create a ResourceQuota and capture the life of a secret. [Conformance]", NULL,
     "v1/resourcequotas v1/secrets", t_quota_secret},
    {"quota.replicationcontroller", "ResourceQuota: replication controllers counted and released", CKC_PROFILE_CLUSTER,
     RQ "should create a ResourceQuota and capture the life of a replication controller. [Conformance]", NULL,
     "v1/resourcequotas v1/replicationcontrollers", t_quota_rc},
    {"quota.replicaset", "ResourceQuota: count/replicasets.apps counted and released", CKC_PROFILE_CLUSTER,
     RQ "should create a ResourceQuota and capture the life of a replica set. [Conformance]", NULL,
     "v1/resourcequotas apps/v1/replicasets", t_quota_rs},
    {"quota.scope-best-effort", "ResourceQuota: BestEffort / NotBestEffort scopes", CKC_PROFILE_CLUSTER,
     RQ "should verify ResourceQuota with best effort scope. [Conformance]", NULL, "v1/resourcequotas v1/pods",
     t_quota_best_effort},
    {"quota.scope-terminating", "ResourceQuota: Terminating / NotTerminating scopes", CKC_PROFILE_CLUSTER,
     RQ "should verify ResourceQuota with terminating scopes. [Conformance]", NULL, "v1/resourcequotas v1/pods",
     t_quota_terminating},
    {"api.limitrange.defaults", "LimitRange: defaults reach a new pod, max refused", CKC_PROFILE_API,
     "[sig-scheduling] LimitRange should create a LimitRange with defaults and ensure pod has those defaults applied. "
     "[Conformance]", NULL, "v1/limitranges v1/pods", t_limitrange_defaults},
    {0},
};
