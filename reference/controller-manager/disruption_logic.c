/* disruption_logic.c: PodDisruptionBudget arithmetic as upstream's
 * disruption controller (getExpectedPodCount, buildDisruptedPodMap,
 * countHealthyPods, updatePdbStatus, pdb helper's
 * UpdateDisruptionAllowedCondition). */
#include <stdio.h>
#include <string.h>
#include "controller-manager/deployment_util.h"
#include "controller-manager/disruption_logic.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

bool ck_pdb_needs_scale(const json_t *pdb)
{
    if (ck_json_path(pdb, "spec.maxUnavailable")) return true;
    json_t *min = ck_json_path(pdb, "spec.minAvailable");
    return json_is_string(min) && strchr(json_string_value(min), '%');
}

static const json_t *controller_ref(const json_t *pod)
{
    size_t i;
    json_t *r;
    json_array_foreach(ck_json_path(pod, "metadata.ownerReferences"), i, r)
        if (json_is_true(json_object_get(r, "controller"))) return r;
    return NULL;
}

/* getExpectedScale: the sum of the distinct controllers' replicas. */
static int expected_scale(const json_t *pods, const json_t *scales, long *out, char *err, size_t errlen)
{
    json_t *seen = json_object();
    size_t i;
    json_t *pod;
    *out = 0;
    json_array_foreach(pods, i, pod) {
        const json_t *ref = controller_ref(pod);
        const char *pname = ck_json_str(pod, "metadata.name", "");
        if (!ref) {
            snprintf(err, errlen, "found no controller ref for pod \"%s\"", pname);
            json_decref(seen);
            return -1;
        }
        json_t *sc = json_object_get(scales, ck_json_str(ref, "uid", ""));
        if (!sc) {
            snprintf(err, errlen, "found no controllers for pod \"%s\"", pname);
            json_decref(seen);
            return -1;
        }
        const char *uid = ck_json_str(sc, "uid", "");
        if (json_object_get(seen, uid)) continue;
        json_object_set_new(seen, uid, json_true());
        *out += (long)ck_json_int(sc, "replicas", 0);
    }
    json_decref(seen);
    return 0;
}

int ck_pdb_expected(const json_t *pdb, const json_t *pods, const json_t *scales, long *expected, long *desired,
                    char *err, size_t errlen)
{
    json_t *maxu = ck_json_path(pdb, "spec.maxUnavailable"), *mina = ck_json_path(pdb, "spec.minAvailable");
    *expected = *desired = 0;
    long v;
    if (maxu) {
        if (expected_scale(pods, scales, expected, err, errlen) < 0) return -1;
        if (ck_intstr_scaled(maxu, *expected, true, &v) < 0) {
            snprintf(err, errlen, "invalid maxUnavailable");
            return -1;
        }
        *desired = *expected - v > 0 ? *expected - v : 0;
    } else if (json_is_integer(mina)) {
        *desired = (long)json_integer_value(mina);
        *expected = (long)json_array_size(pods);
    } else if (json_is_string(mina)) {
        if (expected_scale(pods, scales, expected, err, errlen) < 0) return -1;
        if (ck_intstr_scaled(mina, *expected, true, &v) < 0) {
            snprintf(err, errlen, "invalid minAvailable");
            return -1;
        }
        *desired = v;
    }
    return 0;
}

static const json_t *pod_named(const json_t *pods, const char *name)
{
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) if (!strcmp(ck_json_str(p, "metadata.name", ""), name)) return p;
    return NULL;
}

json_t *ck_pdb_disrupted(const json_t *pdb, const json_t *pods, time_t now, time_t *recheck_at)
{
    json_t *out = json_object();
    const char *name;
    json_t *t;
    if (recheck_at) *recheck_at = 0;
    json_object_foreach(ck_json_path(pdb, "status.disruptedPods"), name, t) {
        const json_t *pod = pod_named(pods, name);
        if (!pod || ck_json_path(pod, "metadata.deletionTimestamp") || !json_is_string(t)) continue;
        time_t expiry = ck_time_parse(json_string_value(t)) + CK_PDB_DELETION_TIMEOUT_S;
        if (expiry < now) continue;  /* upstream warns NotDeleted and forgets it */
        json_object_set(out, name, t);
        if (recheck_at && (!*recheck_at || expiry < *recheck_at)) *recheck_at = expiry;
    }
    return out;
}

long ck_pdb_current_healthy(const json_t *pods, const json_t *disrupted, time_t now)
{
    long n = 0;
    size_t i;
    json_t *pod;
    json_array_foreach(pods, i, pod) {
        if (ck_json_path(pod, "metadata.deletionTimestamp")) continue;
        json_t *t = json_object_get(disrupted, ck_json_str(pod, "metadata.name", ""));
        if (json_is_string(t) && ck_time_parse(json_string_value(t)) + CK_PDB_DELETION_TIMEOUT_S > now) continue;
        if (ck_pod_is_ready(pod)) n++;
    }
    return n;
}

/* meta.SetStatusCondition for DisruptionAllowed: lastTransitionTime moves
 * only when the status flips. */
static void set_condition(json_t *status, const char *st, const char *reason, const char *msg, time_t now)
{
    json_t *conds = json_object_get(status, "conditions");
    if (!json_is_array(conds)) json_object_set_new(status, "conditions", conds = json_array());
    json_t *c = NULL, *x;
    size_t i;
    json_array_foreach(conds, i, x) if (!strcmp(ck_json_str(x, "type", ""), "DisruptionAllowed")) c = x;
    char ts[32];
    ck_time_format(now, ts);
    if (!c) {
        json_array_append_new(conds, c = json_pack("{s:s,s:s}", "type", "DisruptionAllowed", "lastTransitionTime", ts));
    } else if (strcmp(ck_json_str(c, "status", ""), st)) {
        json_object_set_new(c, "lastTransitionTime", json_string(ts));
    }
    json_object_set_new(c, "status", json_string(st));
    json_object_set_new(c, "reason", json_string(reason));
    json_object_set_new(c, "message", json_string(msg));
    json_object_set(c, "observedGeneration", json_object_get(status, "observedGeneration"));
}

json_t *ck_pdb_status(const json_t *pdb, long current, long desired, long expected, const json_t *disrupted,
                      time_t now)
{
    long allowed = current - desired;
    if (expected <= 0 || allowed <= 0) allowed = 0;
    json_t *st = json_pack("{s:I,s:I,s:I,s:I,s:I}", "currentHealthy", (json_int_t)current, "desiredHealthy",
                           (json_int_t)desired, "expectedPods", (json_int_t)expected, "disruptionsAllowed",
                           (json_int_t)allowed, "observedGeneration",
                           (json_int_t)ck_json_int(pdb, "metadata.generation", 0));
    if (!st) return NULL;
    if (json_object_size(disrupted)) json_object_set(st, "disruptedPods", (json_t *)disrupted);
    json_t *old = ck_json_path(pdb, "status.conditions");
    json_object_set_new(st, "conditions", json_is_array(old) ? json_deep_copy(old) : json_array());
    if (allowed > 0) set_condition(st, "True", "SufficientPods", "", now);
    else set_condition(st, "False", "InsufficientPods", "", now);
    return st;
}

json_t *ck_pdb_failsafe_status(const json_t *pdb, const char *msg, time_t now)
{
    json_t *old = ck_json_path(pdb, "status");
    json_t *st = json_is_object(old) ? json_deep_copy(old) : json_object();
    if (!st) return NULL;
    json_object_set_new(st, "disruptionsAllowed", json_integer(0));
    set_condition(st, "False", "SyncFailed", msg, now);
    return st;
}

bool ck_pdb_status_equal(const json_t *pdb, const json_t *status)
{
    return ck_json_equal(ck_json_path(pdb, "status"), status);
}
