/* nodelifecycle_logic.c: node conditions after missed heartbeats, the
 * condition -> taint map (doNoScheduleTaintingPass, doNoExecuteTaintingPass)
 * and toleration arithmetic for taint-based eviction. */
#include <stdint.h>
#include <string.h>
#include "controller-manager/nodelifecycle_logic.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

static json_t *condition(const json_t *node, const char *type)
{
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(node, "status.conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), type)) return c;
    return NULL;
}

const char *ck_nl_ready_status(const json_t *node)
{
    json_t *c = condition(node, "Ready");
    return c ? ck_json_str(c, "status", "") : "";
}

bool ck_nl_mark_unknown(json_t *node, const char *now)
{
    /* Ready first, then remainingNodeConditionTypes */
    static const char *const TYPES[] = {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"};
    json_t *status = ck_json_ensure_object(node, "status");
    json_t *conds = json_object_get(status, "conditions");
    if (!json_is_array(conds)) json_object_set_new(status, "conditions", conds = json_array());
    bool changed = false;
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        json_t *c = condition(node, TYPES[i]);
        if (!c) {
            json_array_append_new(conds, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", TYPES[i], "status", "Unknown",
                                                   "reason", "NodeStatusNeverUpdated", "message",
                                                   "Kubelet never posted node status.", "lastHeartbeatTime",
                                                   ck_json_str(node, "metadata.creationTimestamp", now),
                                                   "lastTransitionTime", now));
            changed = true;
        } else if (strcmp(ck_json_str(c, "status", ""), "Unknown")) {
            json_object_set_new(c, "status", json_string("Unknown"));
            json_object_set_new(c, "reason", json_string("NodeStatusUnknown"));
            json_object_set_new(c, "message", json_string("Kubelet stopped posting node status."));
            json_object_set_new(c, "lastTransitionTime", json_string(now));
            changed = true;
        }
    }
    return changed;
}

/* Condition type/status -> NoSchedule taint (nodeConditionToTaintKeyStatusMap). */
static const struct { const char *type, *status, *taint; } NOSCHEDULE[] = {
    {"Ready", "False", CK_TAINT_NOT_READY},
    {"Ready", "Unknown", CK_TAINT_UNREACHABLE},
    {"MemoryPressure", "True", "node.kubernetes.io/memory-pressure"},
    {"DiskPressure", "True", "node.kubernetes.io/disk-pressure"},
    {"NetworkUnavailable", "True", "node.kubernetes.io/network-unavailable"},
    {"PIDPressure", "True", "node.kubernetes.io/pid-pressure"},
};

static bool managed(const json_t *t)
{
    const char *k = ck_json_str(t, "key", ""), *e = ck_json_str(t, "effect", "");
    if (!strcmp(k, "node.kubernetes.io/unschedulable")) return true;
    if ((!strcmp(k, CK_TAINT_NOT_READY) || !strcmp(k, CK_TAINT_UNREACHABLE)) && !strcmp(e, "NoExecute")) return true;
    if (strcmp(e, "NoSchedule")) return false;
    for (size_t i = 0; i < sizeof NOSCHEDULE / sizeof NOSCHEDULE[0]; i++)
        if (!strcmp(k, NOSCHEDULE[i].taint)) return true;
    return false;
}

/* Appends key:effect, reusing the node's existing taint (and timeAdded). */
static void add_taint(json_t *out, const json_t *node, const char *key, const char *effect, const char *now)
{
    size_t i;
    json_t *t;
    json_array_foreach(ck_json_path(node, "spec.taints"), i, t)
        if (!strcmp(ck_json_str(t, "key", ""), key) && !strcmp(ck_json_str(t, "effect", ""), effect)) {
            json_array_append(out, t);
            return;
        }
    json_t *nt = json_pack("{s:s,s:s}", "key", key, "effect", effect);
    if (nt && !strcmp(effect, "NoExecute")) json_object_set_new(nt, "timeAdded", json_string(now));
    json_array_append_new(out, nt);
}

json_t *ck_nl_desired_taints(const json_t *node, const char *now)
{
    json_t *out = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(ck_json_path(node, "spec.taints"), i, t) if (!managed(t)) json_array_append(out, t);
    const char *ready = ck_nl_ready_status(node);
    if (!strcmp(ready, "False")) add_taint(out, node, CK_TAINT_NOT_READY, "NoExecute", now);
    if (!strcmp(ready, "Unknown")) add_taint(out, node, CK_TAINT_UNREACHABLE, "NoExecute", now);
    for (i = 0; i < sizeof NOSCHEDULE / sizeof NOSCHEDULE[0]; i++) {
        json_t *c = condition(node, NOSCHEDULE[i].type);
        if (c && !strcmp(ck_json_str(c, "status", ""), NOSCHEDULE[i].status))
            add_taint(out, node, NOSCHEDULE[i].taint, "NoSchedule", now);
    }
    if (ck_json_bool(node, "spec.unschedulable", false))
        add_taint(out, node, "node.kubernetes.io/unschedulable", "NoSchedule", now);
    return out;
}

static bool has_taint(const json_t *list, const json_t *t)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
        if (!strcmp(ck_json_str(x, "key", ""), ck_json_str(t, "key", "")) &&
            !strcmp(ck_json_str(x, "effect", ""), ck_json_str(t, "effect", "")) &&
            !strcmp(ck_json_str(x, "value", ""), ck_json_str(t, "value", "")))
            return true;
    return false;
}

bool ck_nl_taints_equal(const json_t *a, const json_t *b)
{
    if (json_array_size(a) != json_array_size(b)) return false;
    size_t i;
    json_t *t;
    json_array_foreach(a, i, t) if (!has_taint(b, t)) return false;
    return true;
}

bool ck_nl_tolerates(const json_t *tol, const json_t *taint)
{
    const char *te = ck_json_str(tol, "effect", ""), *tk = ck_json_str(tol, "key", "");
    if (*te && strcmp(te, ck_json_str(taint, "effect", ""))) return false;
    if (*tk && strcmp(tk, ck_json_str(taint, "key", ""))) return false;
    const char *op = ck_json_str(tol, "operator", "Equal");
    if (!strcmp(op, "Exists")) return true;
    if (!*tk) return false;  /* an empty key needs Exists */
    return !strcmp(ck_json_str(tol, "value", ""), ck_json_str(taint, "value", ""));
}

/* processPodOnNode's arithmetic (pkg/controller/tainteviction/
 * taint_eviction.go): only NoExecute taints count; GetMatchingTolerations
 * takes, per taint, the first toleration that tolerates it (an untolerated
 * taint evicts at once); getMinTolerationTime is the smallest
 * tolerationSeconds among those (<= 0: at once), none set: forever. */
long ck_nl_min_toleration(const json_t *pod, const json_t *taints)
{
    long long min = INT64_MAX;
    bool any = false;
    size_t i, j;
    json_t *t, *tol;
    json_array_foreach(taints, i, t) {
        if (strcmp(ck_json_str(t, "effect", ""), "NoExecute")) continue;
        any = true;
        const json_t *used = NULL;
        json_array_foreach(ck_json_path(pod, "spec.tolerations"), j, tol)
            if (ck_nl_tolerates(tol, t)) { used = tol; break; }
        if (!used) return 0;
        json_t *secs = json_object_get(used, "tolerationSeconds");
        if (!json_is_integer(secs)) continue;
        if (json_integer_value(secs) <= 0) return 0;
        if (json_integer_value(secs) < min) min = json_integer_value(secs);
    }
    if (!any || min == INT64_MAX) return -1;
    return (long)min;
}
