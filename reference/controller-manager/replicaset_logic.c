/* replicaset_logic.c: pure ReplicaSet decisions: active/ready/available
 * pods, controller refs, pods from templates, deletion ranking
 * (ActivePodsWithRanks with LogarithmicScaleDown and PodDeletionCost, both
 * default-on upstream), status and slow-start batches. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

const ck_rs_kind CK_RS_KIND_REPLICASET = {"apps", "v1", "replicasets", "ReplicaSet", "apps/v1", false};
const ck_rs_kind CK_RS_KIND_RC = {"", "v1", "replicationcontrollers", "ReplicationController", "v1", true};

bool ck_pod_is_active(const json_t *pod)
{
    const char *phase = ck_json_str(pod, "status.phase", "");
    return strcmp(phase, "Succeeded") && strcmp(phase, "Failed") && !ck_json_path(pod, "metadata.deletionTimestamp");
}

static const json_t *ready_condition(const json_t *pod)
{
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(pod, "status.conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), "Ready")) return c;
    return NULL;
}

bool ck_pod_is_ready(const json_t *pod)
{
    const json_t *c = ready_condition(pod);
    return c && !strcmp(ck_json_str(c, "status", ""), "True");
}

/* The Ready condition's lastTransitionTime, 0 when unknown. */
static time_t ready_time(const json_t *pod)
{
    const json_t *c = ready_condition(pod);
    time_t t = c ? ck_time_parse(ck_json_str(c, "lastTransitionTime", "")) : -1;
    return t < 0 ? 0 : t;
}

bool ck_pod_is_available(const json_t *pod, long min_ready_seconds, time_t now)
{
    if (!ck_pod_is_ready(pod)) return false;
    if (min_ready_seconds <= 0) return true;
    time_t t = ready_time(pod);
    return t && t + min_ready_seconds <= now;
}

json_t *ck_controller_ref(const json_t *obj)
{
    size_t i;
    json_t *r;
    json_array_foreach(ck_json_path(obj, "metadata.ownerReferences"), i, r)
        if (json_is_true(json_object_get(r, "controller"))) return r;
    return NULL;
}

json_t *ck_new_controller_ref(const json_t *owner, const char *api_version, const char *kind)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "apiVersion", api_version, "kind", kind, "name",
                     ck_json_str(owner, "metadata.name", ""), "uid", ck_json_str(owner, "metadata.uid", ""),
                     "controller", 1, "blockOwnerDeletion", 1);
}

json_t *ck_rs_pod_from_template(const json_t *owner, const ck_rs_kind *k)
{
    const json_t *tmpl = ck_json_path(owner, "spec.template");
    const json_t *tspec = ck_json_path(tmpl, "spec");
    json_t *spec = tspec ? json_deep_copy(tspec) : json_object();
    json_t *pod = spec ? json_pack("{s:s,s:s,s:{},s:o}", "apiVersion", "v1", "kind", "Pod", "metadata", "spec", spec)
                       : NULL;
    if (!pod) return NULL;
    json_t *md = json_object_get(pod, "metadata");
    static const char *const COPIED[] = {"labels", "annotations", "finalizers"};
    for (size_t i = 0; i < sizeof COPIED / sizeof COPIED[0]; i++) {
        json_t *v = ck_json_path(tmpl, "metadata") ? json_object_get(ck_json_path(tmpl, "metadata"), COPIED[i]) : NULL;
        if (v) json_object_set_new(md, COPIED[i], json_deep_copy(v));
    }
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s-", ck_json_str(owner, "metadata.name", ""));
    json_object_set_new(md, "generateName", json_string(prefix));
    json_object_set_new(md, "namespace", json_string(ck_json_str(owner, "metadata.namespace", "")));
    json_t *ref = ck_new_controller_ref(owner, k->api_version, k->kind);
    if (!ref || json_object_set_new(md, "ownerReferences", json_pack("[o]", ref))) {
        json_decref(pod);
        return NULL;
    }
    return pod;
}

static int phase_ordinal(const json_t *pod)
{
    const char *p = ck_json_str(pod, "status.phase", "");
    if (!strcmp(p, "Unknown")) return 1;
    if (!strcmp(p, "Running")) return 2;
    return 0; /* Pending (and anything unmapped, as a Go map's zero value) */
}

static long deletion_cost(const json_t *pod)
{
    json_t *a = ck_json_path(pod, "metadata.annotations");
    const char *v = json_string_value(json_object_get(a, "controller.kubernetes.io/pod-deletion-cost"));
    return v ? strtol(v, NULL, 10) : 0;
}

static long long max_restarts(const json_t *pod)
{
    long long m = 0;
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(pod, "status.containerStatuses"), i, c) {
        long long r = ck_json_int(c, "restartCount", 0);
        if (r > m) m = r;
    }
    return m;
}

/* afterOrZero: an empty time sorts first, then the later one. */
static bool after_or_zero(time_t t1, time_t t2) { return (!t1 || !t2) ? !t1 : t1 > t2; }

/* logarithmicRankDiff: compares floor(log2(now - t)) of nanosecond ages. */
static int log_rank_diff(time_t t1, time_t t2, time_t now)
{
    double d1 = (double)(now - t1) * 1e9, d2 = (double)(now - t2) * 1e9;
    int r1 = d1 <= 0 ? -1 : (int)log2(d1), r2 = d2 <= 0 ? -1 : (int)log2(d2);
    return r1 - r2;
}

/* Steps 6 and 8 of Less: newer first, bucketed logarithmically (uid breaks ties). */
static int compare_times(const json_t *a, time_t ta, const json_t *b, time_t tb, time_t now)
{
    if (ta == tb) return 0;
    if (!now || !ta || !tb) return after_or_zero(ta, tb) ? 1 : -1;
    int d = log_rank_diff(ta, tb, now);
    if (d == 0) return strcmp(ck_json_str(a, "metadata.uid", ""), ck_json_str(b, "metadata.uid", "")) < 0 ? 1 : -1;
    return d < 0 ? 1 : -1;
}

bool ck_pod_delete_before(const json_t *a, int rank_a, const json_t *b, int rank_b, time_t now)
{
    const char *na = ck_json_str(a, "spec.nodeName", ""), *nb = ck_json_str(b, "spec.nodeName", "");
    /* 1. unassigned < assigned */
    if (strcmp(na, nb) && (!*na || !*nb)) return !*na;
    /* 2. Pending < Unknown < Running */
    if (phase_ordinal(a) != phase_ordinal(b)) return phase_ordinal(a) < phase_ordinal(b);
    /* 3. not ready < ready */
    if (ck_pod_is_ready(a) != ck_pod_is_ready(b)) return !ck_pod_is_ready(a);
    /* 4. lower pod-deletion-cost < higher */
    if (deletion_cost(a) != deletion_cost(b)) return deletion_cost(a) < deletion_cost(b);
    /* 5. doubled up (more related pods on the node) < fewer */
    if (rank_a != rank_b) return rank_a > rank_b;
    /* 6. ready for less time < more time */
    if (ck_pod_is_ready(a) && ck_pod_is_ready(b)) {
        int c = compare_times(a, ready_time(a), b, ready_time(b), now);
        if (c) return c > 0;
    }
    /* 7. more container restarts < fewer */
    if (max_restarts(a) != max_restarts(b)) return max_restarts(a) > max_restarts(b);
    /* 8. newer < older (empty creation time first) */
    time_t ca = ck_time_parse(ck_json_str(a, "metadata.creationTimestamp", "")),
           cb = ck_time_parse(ck_json_str(b, "metadata.creationTimestamp", ""));
    int c = compare_times(a, ca < 0 ? 0 : ca, b, cb < 0 ? 0 : cb, now);
    return c > 0;
}

typedef struct ranked { json_t *pod; int rank; } ranked;

static int ranked_cmp(const void *x, const void *y, void *ud)
{
    const ranked *a = x, *b = y;
    time_t now = *(time_t *)ud;
    if (ck_pod_delete_before(a->pod, a->rank, b->pod, b->rank, now)) return -1;
    if (ck_pod_delete_before(b->pod, b->rank, a->pod, a->rank, now)) return 1;
    return 0;
}

json_t *ck_rs_pods_to_delete(const json_t *pods, const json_t *related, int diff, time_t now)
{
    size_t n = json_array_size(pods);
    json_t *out = json_array();
    if (!out || diff <= 0) return out;
    if ((size_t)diff >= n) {  /* upstream skips ranking when all go */
        json_array_extend(out, (json_t *)pods);
        return out;
    }
    ranked *v = calloc(n, sizeof *v);
    json_t *per_node = json_object();
    if (!v || !per_node) { free(v); json_decref(per_node); json_decref(out); return NULL; }
    size_t i;
    json_t *p;
    json_array_foreach(related ? related : pods, i, p) {
        const char *node = ck_json_str(p, "spec.nodeName", "");
        if (!*node || !ck_pod_is_active(p)) continue;
        json_object_set_new(per_node, node, json_integer(json_integer_value(json_object_get(per_node, node)) + 1));
    }
    json_array_foreach(pods, i, p) {
        v[i].pod = p;
        v[i].rank = (int)json_integer_value(json_object_get(per_node, ck_json_str(p, "spec.nodeName", "")));
    }
    qsort_r(v, n, sizeof *v, ranked_cmp, &now);
    for (i = 0; i < (size_t)diff; i++) json_array_append(out, v[i].pod);
    free(v);
    json_decref(per_node);
    return out;
}

/* Does pod carry every label of the template (fullyLabeledReplicas)? */
static bool fully_labeled(const json_t *pod, const json_t *tmpl_labels)
{
    const char *k;
    json_t *v;
    json_t *labels = ck_json_path(pod, "metadata.labels");
    json_object_foreach((json_t *)tmpl_labels, k, v)
        if (!ck_json_equal(json_object_get(labels, k), v)) return false;
    return true;
}

/* The ReplicaFailure part of calculateStatus. */
static void replica_failure(json_t *st, const json_t *rs, const json_t *pods, const char *manage_err, time_t now)
{
    json_t *conds = json_object_get(st, "conditions");
    size_t i, found = (size_t)-1;
    json_t *c;
    json_array_foreach(conds, i, c) if (!strcmp(ck_json_str(c, "type", ""), "ReplicaFailure")) found = i;
    if (manage_err && found == (size_t)-1) {
        long diff = (long)json_array_size(pods) - (long)ck_json_int(rs, "spec.replicas", 1);
        char ts[CK_TIME_LEN];
        if (!conds) json_object_set_new(st, "conditions", conds = json_array());
        json_array_append_new(conds, json_pack("{s:s,s:s,s:s,s:s,s:s}", "type", "ReplicaFailure", "status", "True",
                                               "lastTransitionTime", ck_time_format(now, ts), "reason",
                                               diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "",
                                               "message", manage_err));
    } else if (!manage_err && found != (size_t)-1) {
        json_array_remove(conds, found);
    }
}

json_t *ck_rs_calculate_status(const json_t *rs, const json_t *pods, const char *manage_err, time_t now)
{
    long min_ready = (long)ck_json_int(rs, "spec.minReadySeconds", 0);
    const json_t *tl = ck_json_path(rs, "spec.template.metadata.labels");
    long long fully = 0, ready = 0, available = 0;
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) {
        if (fully_labeled(p, tl)) fully++;
        if (ck_pod_is_ready(p)) ready++;
        if (ck_pod_is_available(p, min_ready, now)) available++;
    }
    json_t *st = json_object();
    json_t *conds = ck_json_path(rs, "status.conditions");
    if (conds) json_object_set_new(st, "conditions", json_deep_copy(conds));
    json_object_set_new(st, "replicas", json_integer((json_int_t)json_array_size(pods)));
    json_object_set_new(st, "fullyLabeledReplicas", json_integer(fully));
    json_object_set_new(st, "readyReplicas", json_integer(ready));
    json_object_set_new(st, "availableReplicas", json_integer(available));
    json_object_set_new(st, "observedGeneration", json_integer(ck_json_int(rs, "metadata.generation", 0)));
    replica_failure(st, rs, pods, manage_err, now);
    return st;
}

bool ck_rs_status_changed(const json_t *a, const json_t *b)
{
    static const char *const F[] = {"replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas",
                                    "observedGeneration"};
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
        if (ck_json_int(a, F[i], 0) != ck_json_int(b, F[i], 0)) return true;
    return !ck_json_equal(json_object_get(a, "conditions"), json_object_get(b, "conditions"));
}

int ck_slow_start_batch(int count, int initial, int (*fn)(void *ud), void *ud)
{
    int remaining = count, successes = 0;
    for (int batch = initial < count ? initial : count; batch > 0;) {
        int ok = 0;
        for (int i = 0; i < batch; i++) if (fn(ud) == 0) ok++;
        successes += ok;
        if (ok < batch) break;
        remaining -= batch;
        batch = 2 * batch < remaining ? 2 * batch : remaining;
    }
    return successes;
}

ck_label_selector *ck_rs_selector(const json_t *owner, const ck_rs_kind *k)
{
    char err[256];
    const json_t *sel = ck_json_path(owner, "spec.selector");
    if (!k->map_selector) return ck_label_selector_from_json(sel, err, sizeof err);
    /* SetDefaults_ReplicationController: no selector means the template's labels */
    if (!json_object_size(sel)) sel = ck_json_path(owner, "spec.template.metadata.labels");
    json_t *m = sel ? json_incref((json_t *)sel) : json_object();
    json_t *ls = m ? json_pack("{s:o}", "matchLabels", m) : NULL;
    ck_label_selector *s = ls ? ck_label_selector_from_json(ls, err, sizeof err) : NULL;
    json_decref(ls);
    return s;
}
