/* quota_eval.c: the quota evaluators (pkg/quota/v1/evaluator/core: pods.go,
 * services.go, persistent_volume_claims.go; pkg/quota/v1/generic for object
 * counts) and ResourceList arithmetic (pkg/quota/v1/resources.go), shared
 * by the ResourceQuota admission plugin and the resource quota controller. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/quantity.h"
#include "api/quota_eval.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

/* ---- ResourceList arithmetic ------------------------------------------- */

static long long qv(const json_t *v)
{
    if (json_is_integer(v)) return (long long)json_integer_value(v) * 1000;
    return ck_quantity_milli(json_string_value(v), 0);
}

long long ck_quota_milli(const json_t *list, const char *name) { return qv(json_object_get(list, name)); }

int ck_quota_set_milli(json_t *list, const char *name, long long milli, const char *like)
{
    ck_quantity q = {.milli = milli, .format = CK_QF_DECIMAL_SI};
    ck_quantity l;
    char err[8], out[64];
    if (like && ck_quantity_parse(like, &l, err, sizeof err) == 0) q.format = l.format;
    if (ck_quantity_format_str(&q, out, sizeof out) < 0) return -1;
    return json_object_set_new(list, name, json_string(out));
}

static bool in_array(const json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v) ? json_string_value(v) : "", s)) return true;
    return false;
}

int ck_quota_add(json_t *dst, const json_t *add, const json_t *mask)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)add, k, v) {
        if (mask && !in_array(mask, k)) continue;
        json_t *cur = json_object_get(dst, k);
        const char *like = json_string_value(cur) ? json_string_value(cur) : json_string_value(v);
        if (ck_quota_set_milli(dst, k, qv(cur) + qv(v), like) < 0) return -1;
    }
    return 0;
}

int ck_quota_sub(json_t *dst, const json_t *sub)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)sub, k, v) {
        json_t *cur = json_object_get(dst, k);
        if (!cur) continue;
        long long r = qv(cur) - qv(v);
        if (ck_quota_set_milli(dst, k, r < 0 ? 0 : r, json_string_value(cur)) < 0) return -1;
    }
    return 0;
}

void ck_quota_remove_zeros(json_t *list)
{
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(list, tmp, k, v) if (qv(v) == 0) json_object_del(list, k);
}

json_t *ck_quota_exceeded(const json_t *a, const json_t *hard)
{
    json_t *out = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)a, k, v) {
        json_t *h = json_object_get(hard, k);
        if (h && qv(v) > qv(h)) json_array_append_new(out, json_string(k));
    }
    return out;
}

bool ck_quota_equal(const json_t *a, const json_t *b)
{
    if (json_object_size(a) != json_object_size(b)) return false;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)a, k, v) {
        json_t *o = json_object_get(b, k);
        if (!o || qv(o) != qv(v)) return false;
    }
    return true;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

void ck_quota_pretty(const json_t *list, const json_t *only, char *out, size_t n)
{
    const char *keys[256];
    size_t nk = 0, off = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)list, k, v) if (nk < 256 && (!only || in_array(only, k))) keys[nk++] = k;
    qsort(keys, nk, sizeof keys[0], cmp_str);
    if (n) out[0] = 0;
    for (size_t i = 0; i < nk; i++) {
        const char *s = json_string_value(json_object_get(list, keys[i]));
        int w = snprintf(out + off, n - off, "%s%s=%s", i ? "," : "", keys[i], s ? s : "0");
        if (w < 0 || (size_t)w >= n - off) break;
        off += (size_t)w;
    }
}

/* ---- resource names ------------------------------------------------------ */

static bool prefixed(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }
static bool suffixed(const char *s, const char *x)
{
    size_t a = strlen(s), b = strlen(x);
    return a >= b && !strcmp(s + a - b, x);
}

/* helper.IsExtendedResourceName: domain-prefixed, not kubernetes.io/, not requests.* */
static bool extended_name(const char *name)
{
    return strchr(name, '/') && !strstr(name, "kubernetes.io/") && !prefixed(name, "requests.");
}

static const char *const POD_RESOURCES[] = {
    "count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", NULL};
static const char *const SERVICE_RESOURCES[] = {"services", "services.loadbalancers", "services.nodeports", NULL};

/* Core kinds whose legacy quota name is the resource itself
 * (generic.NewObjectCountEvaluator with an alias). */
static const char *const LEGACY_COUNTS[] = {"configmaps", "secrets", "replicationcontrollers", "resourcequotas",
                                            "services", "persistentvolumeclaims", NULL};

static bool in_list(const char *const *l, const char *s)
{
    for (; *l; l++) if (!strcmp(*l, s)) return true;
    return false;
}

static bool is_core(const char *group, const char *resource, const char *want)
{
    return (!group || !*group) && !strcmp(resource, want);
}

/* ObjectCountQuotaResourceNameFor: "count/<resource>[.<group>]". */
static void count_name(const char *group, const char *resource, char *out, size_t n)
{
    if (group && *group) snprintf(out, n, "count/%s.%s", resource, group);
    else snprintf(out, n, "count/%s", resource);
}

bool ck_quota_tracks(const char *group, const char *resource, const char *name)
{
    char cn[300];
    count_name(group, resource, cn, sizeof cn);
    if (!strcmp(cn, name)) return true;
    if (is_core(group, resource, "pods"))
        return in_list(POD_RESOURCES, name) || prefixed(name, "hugepages-") || prefixed(name, "requests.hugepages-") ||
               (prefixed(name, "requests.") && extended_name(name + 9));
    if (is_core(group, resource, "services")) return in_list(SERVICE_RESOURCES, name);
    if (is_core(group, resource, "persistentvolumeclaims"))
        return !strcmp(name, "persistentvolumeclaims") || !strcmp(name, "requests.storage") ||
               suffixed(name, ".storageclass.storage.k8s.io/requests.storage") ||
               suffixed(name, ".storageclass.storage.k8s.io/persistentvolumeclaims");
    return (!group || !*group) && in_list(LEGACY_COUNTS, resource) && !strcmp(name, resource);
}

/* ---- pods ----------------------------------------------------------------- */

/* A container's requests as SetDefaults_Pod leaves them (limits without a
 * request become the request): admission runs before ckube's defaulting. */
static json_t *container_requests(const json_t *c)
{
    json_t *r = ck_json_path(c, "resources.requests");
    json_t *req = json_is_object(r) ? json_deep_copy(r) : json_object();
    const char *k;
    json_t *v;
    json_object_foreach(ck_json_path(c, "resources.limits"), k, v)
        if (!json_object_get(req, k)) json_object_set(req, k, v);
    return req;
}

static json_t *container_list(const json_t *c, bool limits)
{
    if (!limits) return container_requests(c);
    json_t *l = ck_json_path(c, "resources.limits");
    return json_is_object(l) ? json_deep_copy(l) : json_object();
}

static void max_into(json_t *dst, const json_t *src)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)src, k, v) {
        json_t *cur = json_object_get(dst, k);
        if (!cur || qv(v) > qv(cur)) json_object_set(dst, k, v);
    }
}

/* resourcehelper.PodRequests / PodLimits: containers summed, init
 * containers as a maximum (restartable sidecars add to both), plus overhead. */
static json_t *pod_resources(const json_t *pod, bool limits)
{
    json_t *sum = json_object(), *sidecars = json_object(), *init = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(pod, "spec.containers"), i, c) {
        json_t *l = container_list(c, limits);
        ck_quota_add(sum, l, NULL);
        json_decref(l);
    }
    json_array_foreach(ck_json_path(pod, "spec.initContainers"), i, c) {
        json_t *l = container_list(c, limits);
        if (!strcmp(ck_json_str(c, "restartPolicy", ""), "Always")) {
            ck_quota_add(sum, l, NULL);
            ck_quota_add(sidecars, l, NULL);
            max_into(init, sidecars);
        } else {
            ck_quota_add(l, sidecars, NULL);
            max_into(init, l);
        }
        json_decref(l);
    }
    max_into(sum, init);
    json_t *overhead = ck_json_path(pod, "spec.overhead");
    if (json_is_object(overhead)) ck_quota_add(sum, overhead, NULL);
    json_decref(sidecars);
    json_decref(init);
    return sum;
}

/* podComputeUsageHelper. */
static void pod_compute_usage(json_t *out, const json_t *req, const json_t *lim)
{
    static const char *const native[] = {"cpu", "memory", "ephemeral-storage", NULL};
    char name[300];
    for (int i = 0; native[i]; i++) {
        json_t *r = json_object_get(req, native[i]), *l = json_object_get(lim, native[i]);
        if (r) {
            json_object_set(out, native[i], r);
            snprintf(name, sizeof name, "requests.%s", native[i]);
            json_object_set(out, name, r);
        }
        if (l) {
            snprintf(name, sizeof name, "limits.%s", native[i]);
            json_object_set(out, name, l);
        }
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)req, k, v) {
        if (prefixed(k, "hugepages-")) json_object_set(out, k, v);
        if (prefixed(k, "hugepages-") || extended_name(k)) {
            snprintf(name, sizeof name, "requests.%s", k);
            json_object_set(out, name, v);
        }
    }
}

bool ck_quota_pod_live(const json_t *pod, time_t now)
{
    const char *phase = ck_json_str(pod, "status.phase", "");
    if (!strcmp(phase, "Succeeded") || !strcmp(phase, "Failed")) return false;
    const char *dts = ck_json_str(pod, "metadata.deletionTimestamp", NULL);
    json_t *grace = ck_json_path(pod, "metadata.deletionGracePeriodSeconds");
    if (dts && json_is_integer(grace)) {
        time_t t = ck_time_parse(dts);
        if (t > 0 && now > t + (time_t)json_integer_value(grace)) return false;
    }
    return true;
}

static bool has_nonzero_compute(const json_t *list)
{
    return qv(json_object_get(list, "cpu")) > 0 || qv(json_object_get(list, "memory")) > 0;
}

bool ck_quota_pod_best_effort(const json_t *pod)
{
    static const char *const lists[] = {"spec.initContainers", "spec.containers"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(ck_json_path(pod, lists[l]), i, c)
            if (has_nonzero_compute(ck_json_path(c, "resources.requests")) ||
                has_nonzero_compute(ck_json_path(c, "resources.limits")))
                return false;
    }
    return true;
}

static json_t *pod_usage(const json_t *pod, time_t now)
{
    json_t *out = json_pack("{s:s}", "count/pods", "1");
    if (!out || !ck_quota_pod_live(pod, now)) return out;
    json_object_set_new(out, "pods", json_string("1"));
    json_t *req = pod_resources(pod, false), *lim = pod_resources(pod, true);
    pod_compute_usage(out, req, lim);
    json_decref(req);
    json_decref(lim);
    return out;
}

/* validationSet of podEvaluator.Constraints. */
static const char *const CONSTRAINED[] = {"cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu",
                                          "limits.memory", NULL};

int ck_quota_pod_constraints(const json_t *pod, const json_t *hard, char *msg, size_t n)
{
    /* missing[resource] = "c1,c2" */
    char missing[6][512] = {{0}};
    bool any = false;
    static const char *const lists[] = {"spec.containers", "spec.initContainers"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(ck_json_path(pod, lists[l]), i, c) {
            json_t *req = container_list(c, false), *lim = container_list(c, true), *u = json_object();
            pod_compute_usage(u, req, lim);
            for (int r = 0; CONSTRAINED[r]; r++) {
                if (!json_object_get(hard, CONSTRAINED[r]) || json_object_get(u, CONSTRAINED[r])) continue;
                size_t off = strlen(missing[r]);
                snprintf(missing[r] + off, sizeof missing[r] - off, "%s%s", off ? "," : "",
                         ck_json_str(c, "name", ""));
                any = true;
            }
            json_decref(req);
            json_decref(lim);
            json_decref(u);
        }
    }
    if (!any) return 0;
    /* resources sorted by name, container names sorted too (sets.String.List) */
    const char *order[6];
    int no = 0;
    for (int r = 0; CONSTRAINED[r]; r++) if (missing[r][0]) order[no++] = CONSTRAINED[r];
    qsort(order, (size_t)no, sizeof order[0], cmp_str);
    size_t off = (size_t)snprintf(msg, n, "must specify ");
    for (int i = 0; i < no && off < n; i++) {
        int r = 0;
        while (strcmp(CONSTRAINED[r], order[i])) r++;
        /* sort the comma-separated container names */
        char *names[64], buf[512];
        int nn = 0;
        snprintf(buf, sizeof buf, "%s", missing[r]);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && nn < 64; t = strtok_r(NULL, ",", &save))
            names[nn++] = t;
        qsort(names, (size_t)nn, sizeof names[0], cmp_str);
        off += (size_t)snprintf(msg + off, n - off, "%s%s for: ", i ? "; " : "", order[i]);
        for (int j = 0; j < nn && off < n; j++)
            if (j == 0 || strcmp(names[j], names[j - 1]))
                off += (size_t)snprintf(msg + off, n - off, "%s%s", j ? "," : "", names[j]);
    }
    return -1;
}

/* ---- scopes ----------------------------------------------------------------- */

static bool cross_namespace_affinity(const json_t *pod)
{
    static const char *const kinds[] = {"spec.affinity.podAffinity", "spec.affinity.podAntiAffinity"};
    for (int k = 0; k < 2; k++) {
        json_t *a = ck_json_path(pod, kinds[k]);
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(a, "requiredDuringSchedulingIgnoredDuringExecution"), i, t)
            if (json_array_size(json_object_get(t, "namespaces")) || json_object_get(t, "namespaceSelector"))
                return true;
        json_array_foreach(json_object_get(a, "preferredDuringSchedulingIgnoredDuringExecution"), i, t) {
            json_t *term = json_object_get(t, "podAffinityTerm");
            if (json_array_size(json_object_get(term, "namespaces")) || json_object_get(term, "namespaceSelector"))
                return true;
        }
    }
    return false;
}

/* podMatchesScopeFunc. */
static bool pod_scope(const char *scope, const char *op, const json_t *values, const json_t *pod)
{
    json_t *ads = ck_json_path(pod, "spec.activeDeadlineSeconds");
    bool terminating = json_is_integer(ads) && json_integer_value(ads) >= 0;
    if (!strcmp(scope, "Terminating")) return terminating;
    if (!strcmp(scope, "NotTerminating")) return !terminating;
    if (!strcmp(scope, "BestEffort")) return ck_quota_pod_best_effort(pod);
    if (!strcmp(scope, "NotBestEffort")) return !ck_quota_pod_best_effort(pod);
    if (!strcmp(scope, "CrossNamespacePodAffinity")) return cross_namespace_affinity(pod);
    if (!strcmp(scope, "PriorityClass")) {
        const char *pc = ck_json_str(pod, "spec.priorityClassName", "");
        if (!strcmp(op, "Exists")) return *pc != 0;
        if (!strcmp(op, "In")) return in_array(values, pc);
        if (!strcmp(op, "NotIn")) return !in_array(values, pc);
        return false; /* DoesNotExist: the selector's label set always holds the key */
    }
    return false;
}

bool ck_quota_scopes_match(const json_t *quota, const char *group, const char *resource, const json_t *obj)
{
    bool pod = is_core(group, resource, "pods");
    size_t i;
    json_t *s;
    json_array_foreach(ck_json_path(quota, "spec.scopes"), i, s)
        if (!pod || !pod_scope(json_string_value(s) ? json_string_value(s) : "", "Exists", NULL, obj)) return false;
    json_array_foreach(ck_json_path(quota, "spec.scopeSelector.matchExpressions"), i, s)
        if (!pod || !pod_scope(ck_json_str(s, "scopeName", ""), ck_json_str(s, "operator", ""),
                               json_object_get(s, "values"), obj))
            return false;
    return true;
}

/* ---- services and claims ---------------------------------------------------- */

static json_t *service_usage(const json_t *svc)
{
    const char *type = ck_json_str(svc, "spec.type", "ClusterIP");
    json_t *ports = ck_json_path(svc, "spec.ports");
    long long nodeports = 0, lbs = 0;
    if (!strcmp(type, "NodePort")) nodeports = (long long)json_array_size(ports);
    if (!strcmp(type, "LoadBalancer")) {
        lbs = 1;
        if (json_is_false(ck_json_path(svc, "spec.allocateLoadBalancerNodePorts"))) {
            size_t i;
            json_t *p;
            json_array_foreach(ports, i, p) if (ck_json_int(p, "nodePort", 0) != 0) nodeports++;
        } else {
            nodeports = (long long)json_array_size(ports);
        }
    }
    json_t *out = json_pack("{s:s,s:s}", "count/services", "1", "services", "1");
    if (!out) return NULL;
    ck_quota_set_milli(out, "services.loadbalancers", lbs * 1000, NULL);
    ck_quota_set_milli(out, "services.nodeports", nodeports * 1000, NULL);
    return out;
}

static json_t *pvc_usage(const json_t *pvc)
{
    json_t *out = json_pack("{s:s,s:s}", "count/persistentvolumeclaims", "1", "persistentvolumeclaims", "1");
    if (!out) return NULL;
    const char *cls = ck_json_str(pvc, "spec.storageClassName", "");
    json_t *storage = ck_json_path(pvc, "spec.resources.requests.storage");
    char name[400];
    if (*cls) {
        snprintf(name, sizeof name, "%s.storageclass.storage.k8s.io/persistentvolumeclaims", cls);
        json_object_set_new(out, name, json_string("1"));
    }
    if (storage) {
        json_object_set(out, "requests.storage", storage);
        if (*cls) {
            snprintf(name, sizeof name, "%s.storageclass.storage.k8s.io/requests.storage", cls);
            json_object_set(out, name, storage);
        }
    }
    return out;
}

json_t *ck_quota_usage(const char *group, const char *resource, const json_t *obj, time_t now)
{
    if (is_core(group, resource, "pods")) return pod_usage(obj, now);
    if (is_core(group, resource, "services")) return service_usage(obj);
    if (is_core(group, resource, "persistentvolumeclaims")) return pvc_usage(obj);
    char cn[300];
    count_name(group, resource, cn, sizeof cn);
    json_t *out = json_pack("{s:s}", cn, "1");
    if (out && (!group || !*group) && in_list(LEGACY_COUNTS, resource))
        json_object_set_new(out, resource, json_string("1"));
    return out;
}
