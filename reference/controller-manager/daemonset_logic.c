/* daemonset_logic.c: DaemonSet decisions (pkg/controller/daemon): node
 * eligibility, daemon pods, manage (podsShouldBeOnNode), rollingUpdate
 * with maxSurge 0 (maxUnavailable), OnDelete, and updateDaemonSetStatus. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllerrevision.h"
#include "controller-manager/daemonset_logic.h"
#include "controller-manager/deployment_util.h"
#include "controller-manager/replicaset_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

/* The tolerations AddOrUpdateDaemonPodTolerations adds (util/daemonset_util.go). */
static const struct { const char *key, *effect; } DEFAULT_TOLERATIONS[] = {
    {"node.kubernetes.io/not-ready", "NoExecute"},       {"node.kubernetes.io/unreachable", "NoExecute"},
    {"node.kubernetes.io/disk-pressure", "NoSchedule"},  {"node.kubernetes.io/memory-pressure", "NoSchedule"},
    {"node.kubernetes.io/pid-pressure", "NoSchedule"},   {"node.kubernetes.io/unschedulable", "NoSchedule"},
};

bool ck_toleration_tolerates(const json_t *tolerations, const json_t *taint)
{
    size_t i;
    json_t *t;
    json_array_foreach(tolerations, i, t) {
        const char *eff = ck_json_str(t, "effect", "");
        if (*eff && strcmp(eff, ck_json_str(taint, "effect", ""))) continue;
        const char *key = ck_json_str(t, "key", ""), *op = ck_json_str(t, "operator", "Equal");
        if (*key && strcmp(key, ck_json_str(taint, "key", ""))) continue;
        if (!strcmp(op, "Exists")) return true;
        if (*key && !strcmp(op, "Equal") && !strcmp(ck_json_str(t, "value", ""), ck_json_str(taint, "value", "")))
            return true;
    }
    return false;
}

void ck_ds_add_default_tolerations(json_t *spec)
{
    json_t *tols = json_object_get(spec, "tolerations");
    if (!json_is_array(tols)) {
        tols = json_array();
        json_object_set_new(spec, "tolerations", tols);
    }
    size_t n = sizeof DEFAULT_TOLERATIONS / sizeof DEFAULT_TOLERATIONS[0];
    for (size_t k = 0; k <= n; k++) {
        const char *key = k < n ? DEFAULT_TOLERATIONS[k].key : "node.kubernetes.io/network-unavailable";
        const char *eff = k < n ? DEFAULT_TOLERATIONS[k].effect : "NoSchedule";
        if (k == n && !ck_json_bool(spec, "hostNetwork", false)) break;  /* only for hostNetwork pods */
        bool present = false;
        size_t i;
        json_t *t;
        json_array_foreach(tols, i, t)
            if (!strcmp(ck_json_str(t, "key", ""), key) && !strcmp(ck_json_str(t, "effect", ""), eff)) present = true;
        if (!present)
            json_array_append_new(tols, json_pack("{s:s,s:s,s:s}", "key", key, "operator", "Exists", "effect", eff));
    }
}

/* One NodeSelectorRequirement against a value set (labels or fields). */
static bool requirement_matches(const json_t *req, const json_t *values)
{
    const char *key = ck_json_str(req, "key", ""), *op = ck_json_str(req, "operator", "");
    const char *v = json_string_value(json_object_get(values, key));
    const json_t *list = json_object_get(req, "values");
    if (!strcmp(op, "Exists")) return v != NULL;
    if (!strcmp(op, "DoesNotExist")) return v == NULL;
    if (!strcmp(op, "Gt") || !strcmp(op, "Lt")) {
        if (!v || json_array_size(list) != 1) return false;
        long a = strtol(v, NULL, 10), b = strtol(json_string_value(json_array_get(list, 0)) ?: "0", NULL, 10);
        return !strcmp(op, "Gt") ? a > b : a < b;
    }
    bool in = false;
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (v && !strcmp(v, json_string_value(x) ?: "")) in = true;
    return !strcmp(op, "In") ? in : !strcmp(op, "NotIn") ? !in : false;
}

static bool term_matches(const json_t *term, const json_t *labels, const json_t *fields)
{
    const json_t *exprs = json_object_get(term, "matchExpressions"), *flds = json_object_get(term, "matchFields");
    if (!json_array_size(exprs) && !json_array_size(flds)) return false;  /* an empty term matches nothing */
    size_t i;
    json_t *r;
    json_array_foreach(exprs, i, r) if (!requirement_matches(r, labels)) return false;
    json_array_foreach(flds, i, r) if (!requirement_matches(r, fields)) return false;
    return true;
}

bool ck_node_affinity_matches(const json_t *spec, const json_t *node)
{
    const json_t *labels = ck_json_path(node, "metadata.labels");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)json_object_get(spec, "nodeSelector"), k, v)
        if (!json_is_string(v) || strcmp(json_string_value(v), json_string_value(json_object_get(labels, k)) ?: "\x01"))
            return false;
    const json_t *terms = ck_json_path(spec, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
    if (!terms) return true;
    json_t *fields = json_pack("{s:s}", "metadata.name", ck_json_str(node, "metadata.name", ""));
    bool ok = false;
    size_t i;
    json_t *t;
    json_array_foreach(terms, i, t) if (term_matches(t, labels, fields)) ok = true;
    json_decref(fields);
    return ok;
}

void ck_ds_node_should_run(const json_t *ds, const json_t *node, bool *should_run, bool *should_continue)
{
    *should_run = *should_continue = false;
    json_t *spec = json_deep_copy(ck_json_path(ds, "spec.template.spec"));
    if (!spec) spec = json_object();
    ck_ds_add_default_tolerations(spec);
    if (ck_node_affinity_matches(spec, node)) {
        *should_run = *should_continue = true;
        size_t i;
        json_t *taint;
        json_array_foreach(ck_json_path(node, "spec.taints"), i, taint) {
            const char *eff = ck_json_str(taint, "effect", "");
            if (strcmp(eff, "NoSchedule") && strcmp(eff, "NoExecute")) continue;
            if (ck_toleration_tolerates(json_object_get(spec, "tolerations"), taint)) continue;
            *should_run = false;
            if (!strcmp(eff, "NoExecute")) *should_continue = false;
        }
    }
    json_decref(spec);
}

json_t *ck_ds_new_pod(const json_t *ds, const char *node, const char *hash)
{
    json_t *pod = ck_rs_pod_from_template(ds, &CK_WL_DAEMONSET);
    if (!pod) return NULL;
    json_t *labels = ck_json_ensure_object(pod, "metadata.labels");
    json_t *spec = json_object_get(pod, "spec");
    char gen[32];
    snprintf(gen, sizeof gen, "%lld", ck_json_int(ds, "metadata.generation", 1));
    if (!labels || !spec) { json_decref(pod); return NULL; }
    json_object_set_new(labels, CK_CR_HASH_LABEL, json_string(hash));
    json_object_set_new(labels, CK_DS_GENERATION_LABEL, json_string(gen));
    ck_ds_add_default_tolerations(spec);
    /* ReplaceDaemonSetPodNodeNameNodeAffinity: the scheduler binds it */
    json_t *na = ck_json_ensure_object(spec, "affinity.nodeAffinity");
    if (na)
        json_object_set_new(na, "requiredDuringSchedulingIgnoredDuringExecution",
                            json_pack("{s:[{s:[{s:s,s:s,s:[s]}]}]}", "nodeSelectorTerms", "matchFields", "key",
                                      "metadata.name", "operator", "In", "values", node));
    return pod;
}

const char *ck_ds_target_node(const json_t *pod)
{
    const char *n = ck_json_str(pod, "spec.nodeName", "");
    if (*n) return n;
    size_t i, j;
    json_t *t, *f;
    json_array_foreach(ck_json_path(pod, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"), i, t)
        json_array_foreach(json_object_get(t, "matchFields"), j, f)
            if (!strcmp(ck_json_str(f, "key", ""), "metadata.name") && !strcmp(ck_json_str(f, "operator", ""), "In") &&
                json_array_size(json_object_get(f, "values")) == 1)
                return json_string_value(json_array_get(json_object_get(f, "values"), 0)) ?: "";
    return "";
}

/* The pods targeting `node`, oldest first. New array. */
static int by_created(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return strcmp(ck_json_str(x, "metadata.creationTimestamp", ""), ck_json_str(y, "metadata.creationTimestamp", ""));
}

static json_t *pods_on(const json_t *pods, const char *node)
{
    json_t *v[256];
    size_t n = 0, i;
    json_t *p;
    json_array_foreach(pods, i, p) {
        bool terminal_deleted = ck_json_path(p, "metadata.deletionTimestamp") &&
                                (!strcmp(ck_json_str(p, "status.phase", ""), "Succeeded") ||
                                 !strcmp(ck_json_str(p, "status.phase", ""), "Failed"));
        if (n < 256 && !terminal_deleted && !strcmp(ck_ds_target_node(p), node)) v[n++] = p;
    }
    qsort(v, n, sizeof v[0], by_created);
    json_t *out = json_array();
    for (i = 0; i < n; i++) json_array_append(out, v[i]);
    return out;
}

static bool is_updated(const json_t *ds, const json_t *pod, const char *hash)
{
    const json_t *labels = ck_json_path(pod, "metadata.labels");
    const char *h = json_string_value(json_object_get(labels, CK_CR_HASH_LABEL));
    const char *g = json_string_value(json_object_get(labels, CK_DS_GENERATION_LABEL));
    char gen[32];
    snprintf(gen, sizeof gen, "%lld", ck_json_int(ds, "metadata.generation", 1));
    return (h && !strcmp(h, hash)) || (g && !strcmp(g, gen) && !h);
}

/* podsShouldBeOnNode (without surge). */
static void manage_node(const json_t *node_pods, const char *node, bool run, bool keep, ck_ds_plan *p)
{
    size_t i;
    json_t *pod;
    if (run && !json_array_size(node_pods)) {
        json_array_append_new(p->create_nodes, json_string(node));
    } else if (run) {
        size_t running = 0;
        json_array_foreach(node_pods, i, pod) {
            if (ck_json_path(pod, "metadata.deletionTimestamp")) continue;
            if (!strcmp(ck_json_str(pod, "status.phase", ""), "Failed")) {
                json_array_append(p->to_delete, pod);
                json_array_append(p->failed, pod);
                continue;
            }
            if (running++) json_array_append(p->to_delete, pod);  /* keep the oldest */
        }
    } else if (!keep) {
        json_array_foreach(node_pods, i, pod)
            if (!ck_json_path(pod, "metadata.deletionTimestamp")) json_array_append(p->to_delete, pod);
    }
}

typedef struct ds_counts { long desired, current, misscheduled, ready, available, updated; } ds_counts;

static void count_node(const json_t *ds, const json_t *node_pods, bool run, const char *hash, time_t now,
                       ds_counts *c)
{
    if (!run) {
        c->misscheduled += json_array_size(node_pods) > 0;
        return;
    }
    c->desired++;
    const json_t *pod = json_array_get(node_pods, 0);
    if (!pod) return;
    c->current++;
    long min_ready = (long)ck_json_int(ds, "spec.minReadySeconds", 0);
    if (ck_pod_is_ready(pod)) {
        c->ready++;
        if (ck_pod_is_available(pod, min_ready, now)) c->available++;
    }
    if (is_updated(ds, pod, hash)) c->updated++;
}

/* rollingUpdate with maxSurge 0: old pods to delete within maxUnavailable. */
static void rolling_update(const json_t *ds, json_t *const *per_node, const bool *run, size_t n, const char *hash,
                           long desired, time_t now, ck_ds_plan *p)
{
    long max_unavail = 1;
    json_t *mu = ck_json_path(ds, "spec.updateStrategy.rollingUpdate.maxUnavailable");
    if (mu && ck_intstr_scaled(mu, desired, true, &max_unavail) < 0) max_unavail = 1;
    if (max_unavail <= 0) max_unavail = 1;  /* both surge and unavailable 0: 1 */
    long min_ready = (long)ck_json_int(ds, "spec.minReadySeconds", 0), unavailable = 0;
    json_t *candidates = json_array();
    for (size_t k = 0; k < n; k++) {
        if (!run[k]) continue;
        const json_t *newp = NULL, *oldp = NULL;
        int nn = 0, no = 0;
        size_t i;
        json_t *pod;
        json_array_foreach(per_node[k], i, pod) {
            if (ck_json_path(pod, "metadata.deletionTimestamp")) continue;
            if (is_updated(ds, pod, hash)) newp = pod, nn++;
            else oldp = pod, no++;
        }
        if (nn > 1 || no > 1) continue;  /* findUpdatedPodsOnNode: manage sorts it out */
        if ((!oldp && !newp) || (oldp && newp)) unavailable++;
        else if (newp) unavailable += !ck_pod_is_available(newp, min_ready, now);
        else if (!ck_pod_is_available(oldp, min_ready, now)) {
            json_array_append(p->to_delete, (json_t *)oldp);  /* replacing an unavailable pod costs nothing */
            unavailable++;
        } else if (unavailable < max_unavail) json_array_append(candidates, (json_t *)oldp);
    }
    for (size_t i = 0; i < json_array_size(candidates) && unavailable < max_unavail; i++, unavailable++)
        json_array_append(p->to_delete, json_array_get(candidates, i));
    json_decref(candidates);
}

static void set_status(const json_t *ds, const ds_counts *c, json_t *st)
{
    json_object_set_new(st, "desiredNumberScheduled", json_integer(c->desired));
    json_object_set_new(st, "currentNumberScheduled", json_integer(c->current));
    json_object_set_new(st, "numberMisscheduled", json_integer(c->misscheduled));
    json_object_set_new(st, "numberReady", json_integer(c->ready));
    static const char *const OMITEMPTY[] = {"updatedNumberScheduled", "numberAvailable", "numberUnavailable",
                                            "observedGeneration"};
    long vals[] = {c->updated, c->available, c->desired - c->available, (long)ck_json_int(ds, "metadata.generation", 0)};
    for (size_t i = 0; i < 4; i++) {
        if (vals[i] > 0) json_object_set_new(st, OMITEMPTY[i], json_integer(vals[i]));
        else json_object_del(st, OMITEMPTY[i]);
    }
}

int ck_ds_plan_compute(const json_t *ds, const json_t *nodes, const json_t *pods, const char *hash, time_t now,
                       ck_ds_plan *p)
{
    memset(p, 0, sizeof *p);
    const json_t *old = json_object_get(ds, "status");
    size_t n = json_array_size(nodes);
    p->create_nodes = json_array();
    p->to_delete = json_array();
    p->failed = json_array();
    p->status = old ? json_deep_copy(old) : json_object();
    json_t **per_node = calloc(n + 1, sizeof *per_node);
    bool *run = calloc(n + 1, sizeof *run);
    if (!p->create_nodes || !p->to_delete || !p->failed || !p->status || !per_node || !run) {
        free(per_node);
        free(run);
        ck_ds_plan_clear(p);
        return -1;
    }
    ds_counts c = {0};
    bool deleting = ck_json_path(ds, "metadata.deletionTimestamp") != NULL;
    for (size_t k = 0; k < n; k++) {
        const json_t *node = json_array_get(nodes, k);
        const char *name = ck_json_str(node, "metadata.name", "");
        bool keep;
        ck_ds_node_should_run(ds, node, &run[k], &keep);
        per_node[k] = pods_on(pods, name);
        if (!deleting) manage_node(per_node[k], name, run[k], keep, p);
        count_node(ds, per_node[k], run[k], hash, now, &c);
    }
    bool rolling = !strcmp(ck_json_str(ds, "spec.updateStrategy.type", "RollingUpdate"), "RollingUpdate");
    if (!deleting && rolling) rolling_update(ds, per_node, run, n, hash, c.desired, now, p);
    set_status(ds, &c, p->status);
    for (size_t k = 0; k < n; k++) json_decref(per_node[k]);
    free(per_node);
    free(run);
    return 0;
}

void ck_ds_plan_clear(ck_ds_plan *p)
{
    json_decref(p->create_nodes);
    json_decref(p->to_delete);
    json_decref(p->failed);
    json_decref(p->status);
    p->create_nodes = p->to_delete = p->failed = p->status = NULL;
}
