/* podinfo.c: parses a Pod once into ck_pod_info (upstream framework.PodInfo
 * and resource.PodRequests), so plugins work on plain fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/quantity.h"
#include "scheduler/types.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

/* upstream pkg/scheduler/util/pod_resources.go: DefaultMilliCPURequest and
 * DefaultMemoryRequest, used for scoring containers that request nothing. */
#define CK_DEFAULT_MILLI_CPU 100
#define CK_DEFAULT_MEMORY (200LL * 1024 * 1024)

typedef struct requests { int64_t cpu, mem, nz_cpu, nz_mem; } requests;

static requests container_requests(const json_t *c)
{
    const json_t *req = ck_json_path(c, "resources.requests");
    const char *cpu = ck_json_str(req, "cpu", NULL), *mem = ck_json_str(req, "memory", NULL);
    requests r = {0, 0, 0, 0};
    r.cpu = ck_quantity_milli(cpu, 0);
    r.mem = ck_quantity_value(mem, 0);
    r.nz_cpu = cpu ? r.cpu : CK_DEFAULT_MILLI_CPU;
    r.nz_mem = mem ? r.mem : CK_DEFAULT_MEMORY;
    return r;
}

/* resource.PodRequests: the sum over containers, raised to any single init
 * container's request (init containers run one at a time), plus overhead. */
static void pod_requests(ck_pod_info *p, const json_t *spec)
{
    requests sum = {0, 0, 0, 0}, init = {0, 0, 0, 0};
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(spec, "containers"), i, c) {
        requests r = container_requests(c);
        sum.cpu += r.cpu; sum.mem += r.mem; sum.nz_cpu += r.nz_cpu; sum.nz_mem += r.nz_mem;
    }
    json_array_foreach(ck_json_path(spec, "initContainers"), i, c) {
        requests r = container_requests(c);
        if (r.cpu > init.cpu) init.cpu = r.cpu;
        if (r.mem > init.mem) init.mem = r.mem;
        if (r.nz_cpu > init.nz_cpu) init.nz_cpu = r.nz_cpu;
        if (r.nz_mem > init.nz_mem) init.nz_mem = r.nz_mem;
    }
    const json_t *ov = ck_json_path(spec, "overhead");
    int64_t ocpu = ck_quantity_milli(ck_json_str(ov, "cpu", NULL), 0);
    int64_t omem = ck_quantity_value(ck_json_str(ov, "memory", NULL), 0);
    p->cpu_milli = (sum.cpu > init.cpu ? sum.cpu : init.cpu) + ocpu;
    p->mem_bytes = (sum.mem > init.mem ? sum.mem : init.mem) + omem;
    p->nz_cpu_milli = (sum.nz_cpu > init.nz_cpu ? sum.nz_cpu : init.nz_cpu) + ocpu;
    p->nz_mem_bytes = (sum.nz_mem > init.nz_mem ? sum.nz_mem : init.nz_mem) + omem;
}

ck_taint_effect ck_taint_effect_parse(const char *s)
{
    if (!s || !*s) return CK_EFFECT_NONE;
    if (!strcmp(s, "NoSchedule")) return CK_EFFECT_NO_SCHEDULE;
    if (!strcmp(s, "PreferNoSchedule")) return CK_EFFECT_PREFER_NO_SCHEDULE;
    if (!strcmp(s, "NoExecute")) return CK_EFFECT_NO_EXECUTE;
    return CK_EFFECT_NONE;
}

static int parse_ports(ck_pod_info *p, const json_t *spec)
{
    size_t i, j, n = 0;
    json_t *c, *port;
    json_array_foreach(ck_json_path(spec, "containers"), i, c)
        json_array_foreach(json_object_get(c, "ports"), j, port)
            if (ck_json_int(port, "hostPort", 0) > 0) n++;
    if (!n) return 0;
    if (!(p->ports = calloc(n, sizeof *p->ports))) return -1;
    json_array_foreach(ck_json_path(spec, "containers"), i, c)
        json_array_foreach(json_object_get(c, "ports"), j, port) {
            int hp = (int)ck_json_int(port, "hostPort", 0);
            if (hp <= 0) continue;
            ck_host_port *h = &p->ports[p->nports++];
            h->port = hp;
            h->ip = ck_json_str(port, "hostIP", "");
            if (!*h->ip) h->ip = "0.0.0.0";
            h->protocol = ck_json_str(port, "protocol", "TCP");
        }
    return 0;
}

static int parse_tolerations(ck_pod_info *p, const json_t *spec)
{
    const json_t *tols = ck_json_path(spec, "tolerations");
    size_t n = json_array_size(tols), i;
    json_t *t;
    if (!n) return 0;
    if (!(p->tolerations = calloc(n, sizeof *p->tolerations))) return -1;
    json_array_foreach(tols, i, t) {
        ck_toleration *o = &p->tolerations[p->ntolerations++];
        o->key = ck_json_str(t, "key", "");
        o->value = ck_json_str(t, "value", "");
        o->exists = !strcmp(ck_json_str(t, "operator", "Equal"), "Exists");
        o->effect = ck_taint_effect_parse(ck_json_str(t, "effect", ""));
    }
    return 0;
}

static int parse_terms(ck_pod_info *p, const json_t *terms, ck_affinity_term **out, size_t *nout,
                       char *err, size_t errlen)
{
    size_t n = json_array_size(terms), i, j;
    json_t *t, *ns;
    if (!n) return 0;
    if (!(*out = calloc(n, sizeof **out))) return -1;
    json_array_foreach(terms, i, t) {
        ck_affinity_term *o = &(*out)[(*nout)++];
        o->owner_namespace = p->namespace;
        o->topology_key = ck_json_str(t, "topologyKey", "");
        /* A nil labelSelector selects nothing (metav1.LabelSelectorAsSelector). */
        const json_t *ls = json_object_get(t, "labelSelector");
        if (ls && !json_is_null(ls) && !(o->selector = ck_label_selector_from_json(ls, err, errlen)))
            return -1;
        const json_t *nss = json_object_get(t, "namespaceSelector");
        if (json_is_object(nss)) {
            if (json_object_size(nss) == 0) o->all_namespaces = true;
            else o->namespace_selector = true;
        }
        const json_t *names = json_object_get(t, "namespaces");
        if (json_array_size(names)) {
            if (!(o->namespaces = calloc(json_array_size(names), sizeof *o->namespaces))) return -1;
            json_array_foreach(names, j, ns)
                if (json_is_string(ns)) o->namespaces[o->nnamespaces++] = json_string_value(ns);
        }
    }
    return 0;
}

static int parse_affinity(ck_pod_info *p, const json_t *spec, char *err, size_t errlen)
{
    const json_t *aff = ck_json_path(spec, "affinity");
    p->required_node_terms = ck_json_path(aff,
        "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
    p->preferred_node_terms = ck_json_path(aff,
        "nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution");
    if (parse_terms(p, ck_json_path(aff, "podAffinity.requiredDuringSchedulingIgnoredDuringExecution"),
                    &p->affinity, &p->naffinity, err, errlen) < 0)
        return -1;
    return parse_terms(p, ck_json_path(aff, "podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"),
                       &p->anti_affinity, &p->nanti, err, errlen);
}

static void parse_meta(ck_pod_info *p, const json_t *obj)
{
    const json_t *md = json_object_get(obj, "metadata");
    p->namespace = ck_json_str(md, "namespace", "default");
    p->name = ck_json_str(md, "name", "");
    p->uid = ck_json_str(md, "uid", "");
    p->labels = json_object_get(md, "labels");
    p->terminating = json_object_get(md, "deletionTimestamp") &&
                     !json_is_null(json_object_get(md, "deletionTimestamp"));
    time_t ct = ck_time_parse(ck_json_str(md, "creationTimestamp", ""));
    p->creation = ct < 0 ? 0 : (int64_t)ct;
    size_t i;
    json_t *ref;
    json_array_foreach(json_object_get(md, "ownerReferences"), i, ref)
        if (ck_json_bool(ref, "controller", false)) p->controller_uid = ck_json_str(ref, "uid", NULL);
    snprintf(p->key, sizeof p->key, "%s/%s", p->namespace, p->name);
}

ck_pod_info *ck_pod_info_new(json_t *obj, char *err, size_t errlen)
{
    ck_pod_info *p = calloc(1, sizeof *p);
    if (!p) { snprintf(err, errlen, "out of memory"); return NULL; }
    p->obj = json_incref(obj);
    parse_meta(p, obj);
    const json_t *spec = json_object_get(obj, "spec");
    p->scheduler_name = ck_json_str(spec, "schedulerName", "default-scheduler");
    p->priority = (int32_t)ck_json_int(spec, "priority", 0);
    p->preempt_never = !strcmp(ck_json_str(spec, "preemptionPolicy", ""), "Never");
    p->node_selector = json_object_get(spec, "nodeSelector");
    pod_requests(p, spec);
    if (!(p->node_name = strdup(ck_json_str(spec, "nodeName", ""))) ||
        ck_pod_scalar_requests(spec, &p->scalars, &p->nscalars) < 0 ||
        parse_ports(p, spec) < 0 || parse_tolerations(p, spec) < 0) {
        snprintf(err, errlen, "out of memory");
        ck_pod_info_free(p);
        return NULL;
    }
    err[0] = 0;
    if (parse_affinity(p, spec, err, errlen) < 0) {
        if (!err[0]) snprintf(err, errlen, "out of memory");
        ck_pod_info_free(p);
        return NULL;
    }
    return p;
}

static void free_terms(ck_affinity_term *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ck_label_selector_free(t[i].selector);
        free(t[i].namespaces);
    }
    free(t);
}

void ck_pod_info_free(ck_pod_info *p)
{
    if (!p) return;
    free_terms(p->affinity, p->naffinity);
    free_terms(p->anti_affinity, p->nanti);
    free(p->ports);
    free(p->scalars);
    free(p->tolerations);
    free(p->node_name);
    json_decref(p->obj);
    free(p);
}

int ck_pod_info_set_node(ck_pod_info *p, const char *node)
{
    char *n = strdup(node ? node : "");
    if (!n) return -1;
    free(p->node_name);
    p->node_name = n;
    return 0;
}

/* upstream framework.AffinityTerm.Matches: namespace first, then labels. */
bool ck_affinity_term_matches(const ck_affinity_term *t, const ck_pod_info *p)
{
    if (!t->selector || t->namespace_selector) return false;
    if (!t->all_namespaces) {
        bool ok = false;
        if (t->nnamespaces == 0) ok = !strcmp(t->owner_namespace, p->namespace);
        for (size_t i = 0; i < t->nnamespaces && !ok; i++) ok = !strcmp(t->namespaces[i], p->namespace);
        if (!ok) return false;
    }
    return ck_label_selector_matches(t->selector, p->labels);
}

/* core/v1 Toleration.ToleratesTaint (k8s.io/api/core/v1/toleration.go). */
bool ck_toleration_tolerates(const ck_toleration *t, const ck_taint *taint)
{
    if (t->effect != CK_EFFECT_NONE && t->effect != taint->effect) return false;
    if (*t->key && strcmp(t->key, taint->key)) return false;
    if (t->exists) return true;
    return !strcmp(t->value, taint->value);
}
