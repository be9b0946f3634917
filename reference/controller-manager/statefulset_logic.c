/* statefulset_logic.c: StatefulSet decisions (updateStatefulSet's slow
 * path, one step at a time): replace terminal pods, create missing
 * ordinals (OrderedReady waits for each to be Running and Ready), delete
 * condemned ordinals highest first, roll pods above the partition to the
 * update revision from the highest ordinal down, compute status. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllerrevision.h"
#include "controller-manager/replicaset_logic.h"
#include "controller-manager/statefulset_logic.h"
#include "controller-manager/workload.h"
#include "util/ckjson.h"

int ck_sts_ordinal(const char *set, const char *name)
{
    size_t n = strlen(set);
    if (strncmp(name, set, n) || name[n] != '-' || !name[n + 1]) return -1;
    char *end;
    long v = strtol(name + n + 1, &end, 10);
    if (*end || v < 0 || v > 1000000 || (name[n + 1] == '0' && name[n + 2])) return -1;
    return (int)v;
}

json_t *ck_sts_new_pod(const json_t *set, int ordinal, const char *revision)
{
    json_t *pod = ck_rs_pod_from_template(set, &CK_WL_STATEFULSET);
    json_t *md = json_object_get(pod, "metadata"), *spec = json_object_get(pod, "spec");
    json_t *labels = ck_json_ensure_object(pod, "metadata.labels");
    if (!pod || !md || !spec || !labels) { json_decref(pod); return NULL; }
    char name[300], idx[16];
    snprintf(name, sizeof name, "%s-%d", ck_json_str(set, "metadata.name", ""), ordinal);
    snprintf(idx, sizeof idx, "%d", ordinal);
    json_object_del(md, "generateName");
    json_object_set_new(md, "name", json_string(name));
    json_object_set_new(labels, CK_CR_HASH_LABEL, json_string(revision));
    json_object_set_new(labels, CK_STS_POD_NAME_LABEL, json_string(name));
    json_object_set_new(labels, CK_STS_POD_INDEX_LABEL, json_string(idx));
    /* updateIdentity: hostname is the pod name, subdomain the governing service */
    json_object_set_new(spec, "hostname", json_string(name));
    const char *svc = ck_json_str(set, "spec.serviceName", "");
    if (*svc) json_object_set_new(spec, "subdomain", json_string(svc));
    return pod;
}

const char *ck_sts_pod_revision(const json_t *set, int ordinal, const char *cur, const char *upd)
{
    if (!cur || !*cur) return upd;
    if (strcmp(ck_json_str(set, "spec.updateStrategy.type", "RollingUpdate"), "RollingUpdate")) return upd;
    const json_t *ru = ck_json_path(set, "spec.updateStrategy.rollingUpdate");
    long below = ru ? (long)ck_json_int(ru, "partition", 0) : (long)ck_json_int(set, "status.currentReplicas", 0);
    return ordinal < below ? cur : upd;
}

json_t *ck_sts_apply_revision(const json_t *set, const json_t *rev)
{
    const json_t *tpl = ck_json_path(rev, "data.spec.template");
    if (!json_is_object(tpl)) return NULL;
    json_t *out = json_deep_copy(set), *t = json_deep_copy(tpl);
    json_t *spec = json_object_get(out, "spec");
    if (!out || !t || !json_is_object(spec)) {
        json_decref(out);
        json_decref(t);
        return NULL;
    }
    json_object_del(t, "$patch");
    json_object_set_new(spec, "template", t);
    return out;
}

static bool running_ready(const json_t *pod)
{
    return !strcmp(ck_json_str(pod, "status.phase", ""), "Running") && ck_pod_is_ready(pod);
}

static bool terminal(const json_t *pod)
{
    const char *ph = ck_json_str(pod, "status.phase", "");
    return !strcmp(ph, "Failed") || !strcmp(ph, "Succeeded");
}

static const char *revision_of(const json_t *pod)
{
    return json_string_value(json_object_get(ck_json_path(pod, "metadata.labels"), CK_CR_HASH_LABEL)) ?: "";
}

/* The status of the pods (updateStatefulSet's status and completeRollingUpdate). */
static json_t *status_of(const json_t *set, const json_t *pods, const char *cur, const char *upd, time_t now)
{
    long replicas = 0, ready = 0, avail = 0, current = 0, updated = 0;
    long min_ready = (long)ck_json_int(set, "spec.minReadySeconds", 0);
    size_t i;
    json_t *p;
    json_array_foreach(pods, i, p) {
        replicas++;
        if (running_ready(p)) {
            ready++;
            if (ck_pod_is_available(p, min_ready, now)) avail++;
        }
        if (ck_json_path(p, "metadata.deletionTimestamp")) continue;
        if (!strcmp(revision_of(p), cur)) current++;
        if (!strcmp(revision_of(p), upd)) updated++;
    }
    bool rolling = !strcmp(ck_json_str(set, "spec.updateStrategy.type", "RollingUpdate"), "RollingUpdate");
    if (rolling && updated == replicas && ready == replicas && replicas == ck_json_int(set, "spec.replicas", 1)) {
        current = updated;
        cur = upd;
    }
    json_t *st = json_pack("{s:I,s:i,s:i,s:i,s:i,s:i,s:s,s:s,s:i}", "observedGeneration",
                           (json_int_t)ck_json_int(set, "metadata.generation", 0), "replicas", (int)replicas,
                           "readyReplicas", (int)ready, "currentReplicas", (int)current, "updatedReplicas",
                           (int)updated, "availableReplicas", (int)avail, "currentRevision", cur, "updateRevision",
                           upd, "collisionCount", (int)ck_json_int(set, "status.collisionCount", 0));
    const json_t *conds = ck_json_path(set, "status.conditions");
    if (st && conds) json_object_set(st, "conditions", (json_t *)conds);
    return st;
}

/* Creation and replacement of ordinals [0, replicas); false when an
 * OrderedReady set must wait before doing anything else. */
static bool manage_replicas(json_t *const *slot, long replicas, bool parallel, ck_sts_plan *p)
{
    for (long i = 0; i < replicas; i++) {
        const json_t *pod = slot[i];
        if (!pod) {
            json_array_append_new(p->create, json_integer(i));
            if (!parallel) return false;
            continue;
        }
        if (terminal(pod) && !ck_json_path(pod, "metadata.deletionTimestamp")) {
            json_array_append(p->to_delete, (json_t *)pod);  /* recreated next sync */
            if (!parallel) return false;
            continue;
        }
        if (!parallel && (ck_json_path(pod, "metadata.deletionTimestamp") || !running_ready(pod))) return false;
    }
    return true;
}

int ck_sts_plan_compute(const json_t *set, const json_t *pods, const char *upd, time_t now, ck_sts_plan *p)
{
    memset(p, 0, sizeof *p);
    const char *name = ck_json_str(set, "metadata.name", "");
    long replicas = (long)ck_json_int(set, "spec.replicas", 1);
    bool parallel = !strcmp(ck_json_str(set, "spec.podManagementPolicy", "OrderedReady"), "Parallel");
    const char *cur = ck_json_str(set, "status.currentRevision", "");
    if (!*cur) cur = upd;
    p->create = json_array();
    p->to_delete = json_array();
    json_t **slot = calloc((size_t)(replicas > 0 ? replicas : 0) + 1, sizeof *slot);
    json_t *condemned = json_array();
    if (!p->create || !p->to_delete || !slot || !condemned) goto oom;
    size_t i;
    json_t *pod;
    json_array_foreach(pods, i, pod) {
        int ord = ck_sts_ordinal(name, ck_json_str(pod, "metadata.name", ""));
        if (ord < 0) continue;
        if (ord < replicas) slot[ord] = pod;
        else json_array_append(condemned, pod);
    }
    bool terminating = false;
    json_array_foreach(pods, i, pod) if (ck_json_path(pod, "metadata.deletionTimestamp")) terminating = true;
    if (!ck_json_path(set, "metadata.deletionTimestamp") && manage_replicas(slot, replicas, parallel, p)) {
        /* condemned: highest ordinal first; OrderedReady one at a time */
        int best = -1;
        size_t bi = 0;
        json_array_foreach(condemned, i, pod) {
            if (ck_json_path(pod, "metadata.deletionTimestamp")) continue;
            int ord = ck_sts_ordinal(name, ck_json_str(pod, "metadata.name", ""));
            if (parallel) json_array_append(p->to_delete, pod);
            else if (ord > best) best = ord, bi = i;
        }
        if (!parallel && best >= 0 && !terminating) json_array_append(p->to_delete, json_array_get(condemned, bi));
        /* RollingUpdate: the highest ordinal >= partition not at the update revision */
        long partition = (long)ck_json_int(set, "spec.updateStrategy.rollingUpdate.partition", 0);
        bool rolling = !strcmp(ck_json_str(set, "spec.updateStrategy.type", "RollingUpdate"), "RollingUpdate");
        bool healthy = true;  /* updates wait for every replica to be Running and Ready */
        for (long k = 0; k < replicas; k++) healthy = healthy && slot[k] && running_ready(slot[k]);
        if (rolling && healthy && !terminating && !json_array_size(p->to_delete) && !json_array_size(condemned))
            for (long k = replicas - 1; k >= partition && k >= 0; k--)
                if (slot[k] && strcmp(revision_of(slot[k]), upd)) {
                    json_array_append(p->to_delete, slot[k]);
                    break;
                }
    }
    p->status = status_of(set, pods, cur, upd, now);
    free(slot);
    json_decref(condemned);
    return p->status ? 0 : -1;
oom:
    free(slot);
    json_decref(condemned);
    ck_sts_plan_clear(p);
    return -1;
}

void ck_sts_plan_clear(ck_sts_plan *p)
{
    json_decref(p->create);
    json_decref(p->to_delete);
    json_decref(p->status);
    p->create = p->to_delete = p->status = NULL;
}
