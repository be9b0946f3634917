/* status.c: the status manager: PodStatus from the worker's records
 * (pkg/kubelet/kubelet_pods.go generateAPIPodStatus, getPhase,
 * convertToAPIContainerStatuses; pkg/kubelet/status/generate.go for the
 * conditions), sent as a merge patch of pods/<name>/status when it changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

static json_t *timestamp(int64_t t)
{
    char b[CK_TIME_LEN];
    return json_string(ck_time_format((time_t)t, b));
}

static json_t *terminated(const ck_cri_container_status *s, const char *message)
{
    json_t *t = json_pack("{s:i,s:s,s:o,s:o,s:s}", "exitCode", s->exit_code, "reason", s->reason[0] ? s->reason : "Error",
                          "startedAt", timestamp(s->started_at ? s->started_at : s->finished_at), "finishedAt",
                          timestamp(s->finished_at), "containerID", "");
    char cid[96];
    snprintf(cid, sizeof cid, "ckube://%s", s->id);
    json_object_set_new(t, "containerID", json_string(cid));
    if (message && *message) json_object_set_new(t, "message", json_string(message));
    return t;
}

static json_t *container_status(const ck_pod_worker *w, const ck_ctr_record *r)
{
    const json_t *spec = ck_pod_container_spec(w, r);
    json_t *st = json_object(), *state = json_object(), *last = json_object();
    json_object_set_new(st, "name", json_string(r->name));
    json_object_set_new(st, "image", json_string(ck_json_str(spec, "image", "")));
    json_object_set_new(st, "imageID", json_string(""));
    if (r->id[0]) {
        char cid[96];
        snprintf(cid, sizeof cid, "ckube://%s", r->id);
        json_object_set_new(st, "containerID", json_string(cid));
    }
    bool running = r->id[0] && r->cur.state == CK_CONTAINER_RUNNING;
    if (r->waiting_reason[0]) {
        json_t *wt = json_pack("{s:s}", "reason", r->waiting_reason);
        if (r->waiting_message[0]) json_object_set_new(wt, "message", json_string(r->waiting_message));
        json_object_set_new(state, "waiting", wt);
    } else if (running) {
        json_object_set_new(state, "running", json_pack("{s:o}", "startedAt", timestamp(r->cur.started_at)));
    } else if (r->id[0] && r->cur.state == CK_CONTAINER_EXITED) {
        const char *msg = r->term_message[0] ? r->term_message : r->cur.message;
        json_object_set_new(state, "terminated", terminated(&r->cur, msg));
    } else {
        json_object_set_new(state, "waiting", json_pack("{s:s}", "reason",
                                                        !r->init && !w->init_done ? "PodInitializing" : "ContainerCreating"));
    }
    /* In back-off the exited container itself is the last state. */
    if (r->waiting_reason[0] && r->id[0] && r->cur.state == CK_CONTAINER_EXITED)
        json_object_set_new(last, "terminated", terminated(&r->cur, r->term_message[0] ? r->term_message : r->cur.message));
    else if (r->has_prev) json_object_set_new(last, "terminated", terminated(&r->prev, r->prev.message));
    json_object_set_new(st, "state", state);
    json_object_set_new(st, "lastState", last);
    json_object_set_new(st, "ready", json_boolean(running && r->ready));
    json_object_set_new(st, "restartCount", json_integer(r->restart_count));
    json_object_set_new(st, "started", json_boolean(running && r->started));
    return st;
}

/* getPhase: counts app containers by state. A waiting container that has
 * terminated before counts as stopped (it is in back-off). */
const char *ck_pod_phase(const ck_pod_worker *w)
{
    const char *policy = ck_json_str(w->pod, "spec.restartPolicy", "Always");
    if (!w->init_done) {
        for (size_t i = 0; i < w->n_init; i++) {
            const ck_ctr_record *r = &w->ctrs[i];
            bool failed = r->id[0] && r->cur.state == CK_CONTAINER_EXITED && r->cur.exit_code != 0;
            if (failed && strcmp(policy, "Never") == 0) return "Failed";
        }
        return "Pending";
    }
    int running = 0, waiting = 0, stopped = 0, succeeded = 0;
    for (size_t i = w->n_init; i < w->n; i++) {
        const ck_ctr_record *r = &w->ctrs[i];
        if (r->waiting_reason[0] || !r->id[0]) {
            if (r->id[0] && r->cur.state == CK_CONTAINER_EXITED) stopped++, succeeded += r->cur.exit_code == 0;
            else if (r->has_prev) stopped++, succeeded += r->prev.exit_code == 0;
            else waiting++;
        } else if (r->cur.state == CK_CONTAINER_RUNNING) running++;
        else if (r->cur.state == CK_CONTAINER_EXITED) stopped++, succeeded += r->cur.exit_code == 0;
        else waiting++;
    }
    if (waiting) return "Pending";
    if (running) return "Running";
    if (!stopped) return "Pending";
    if (strcmp(policy, "Always") == 0) return "Running";
    if (stopped == succeeded) return "Succeeded";
    return strcmp(policy, "OnFailure") == 0 ? "Running" : "Failed";
}

static json_t *condition(const char *type, bool ok, const char *reason, const char *message, const char *now)
{
    json_t *c = json_pack("{s:s,s:s,s:n,s:s}", "type", type, "status", ok ? "True" : "False", "lastProbeTime",
                          "lastTransitionTime", now);
    if (!ok && reason) json_object_set_new(c, "reason", json_string(reason));
    if (!ok && message) json_object_set_new(c, "message", json_string(message));
    return c;
}

/* "containers with unready status: [a b]" (status/generate.go). */
static void names_list(const ck_pod_worker *w, bool init, bool want_unready, char *out, size_t n)
{
    size_t len = (size_t)snprintf(out, n, "[");
    bool first = true;
    for (size_t i = init ? 0 : w->n_init; i < (init ? w->n_init : w->n) && len < n; i++) {
        const ck_ctr_record *r = &w->ctrs[i];
        bool done = init ? (r->id[0] && r->cur.state == CK_CONTAINER_EXITED && r->cur.exit_code == 0)
                         : (r->id[0] && r->cur.state == CK_CONTAINER_RUNNING && r->ready);
        if (want_unready && !done) {
            len += (size_t)snprintf(out + len, n - len, "%s%s", first ? "" : " ", r->name);
            first = false;
        }
    }
    if (len < n) snprintf(out + len, n - len, "]");
}

static json_t *conditions(const ck_pod_worker *w, const char *phase)
{
    char now[CK_TIME_LEN], names[512], msg[600];
    ck_time_now(now);
    bool terminal = strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0;
    bool completed = strcmp(phase, "Succeeded") == 0;
    json_t *arr = json_array();
    json_array_append_new(arr, condition("PodReadyToStartContainers", w->sandbox[0] && !w->terminated, NULL, NULL, now));
    names_list(w, true, true, names, sizeof names);
    snprintf(msg, sizeof msg, "containers with incomplete status: %s", names);
    json_array_append_new(arr, condition("Initialized", w->init_done || completed, "ContainersNotInitialized", msg, now));
    names_list(w, false, true, names, sizeof names);
    bool ready = !terminal && strcmp(names, "[]") == 0 && w->init_done;
    snprintf(msg, sizeof msg, "containers with unready status: %s", names);
    const char *reason = completed ? "PodCompleted" : "ContainersNotReady";
    json_array_append_new(arr, condition("Ready", ready, reason, completed ? NULL : msg, now));
    json_array_append_new(arr, condition("ContainersReady", ready, reason, completed ? NULL : msg, now));
    json_array_append_new(arr, condition("PodScheduled", true, NULL, NULL, now));
    /* mergePodStatus (status_manager.go): conditions the kubelet does not own
     * (DisruptionTarget from the scheduler or the taint manager, readiness
     * gates) are kept from the API status; the merge patch replaces the list. */
    static const char *const own[] = {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                                      "PodScheduled"};
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(w->pod, "status.conditions"), i, c) {
        const char *type = ck_json_str(c, "type", "");
        bool owned = false;
        for (size_t j = 0; j < sizeof own / sizeof own[0]; j++) owned |= strcmp(type, own[j]) == 0;
        if (!owned && *type) json_array_append(arr, c);
    }
    return arr;
}

json_t *ck_pod_status_build(const ck_pod_worker *w, const char *host_ip)
{
    const char *phase = w->phase[0] ? w->phase : ck_pod_phase(w);
    json_t *st = json_object();
    json_object_set_new(st, "phase", json_string(phase));
    if (w->reason[0]) json_object_set_new(st, "reason", json_string(w->reason));
    if (w->message[0]) json_object_set_new(st, "message", json_string(w->message));
    json_object_set_new(st, "conditions", conditions(w, phase));
    if (host_ip && *host_ip) {
        json_object_set_new(st, "hostIP", json_string(host_ip));
        json_object_set_new(st, "hostIPs", json_pack("[{s:s}]", "ip", host_ip));
    }
    const char *ip = ck_json_bool(w->pod, "spec.hostNetwork", false) ? host_ip : w->pod_ip;
    if (ip && *ip) {
        json_object_set_new(st, "podIP", json_string(ip));
        json_object_set_new(st, "podIPs", json_pack("[{s:s}]", "ip", ip));
    }
    if (w->start_time) json_object_set_new(st, "startTime", timestamp(w->start_time));
    json_object_set_new(st, "qosClass", json_string(ck_json_str(w->pod, "status.qosClass", "BestEffort")));
    json_t *ics = json_array(), *cs = json_array();
    for (size_t i = 0; i < w->n; i++) json_array_append_new(i < w->n_init ? ics : cs, container_status(w, &w->ctrs[i]));
    if (w->n_init) json_object_set_new(st, "initContainerStatuses", ics);
    else json_decref(ics);
    json_object_set_new(st, "containerStatuses", cs);
    if (w->n_eph) {
        json_t *es = json_array();
        for (size_t i = 0; i < w->n_eph; i++) json_array_append_new(es, container_status(w, &w->eph[i]));
        json_object_set_new(st, "ephemeralContainerStatuses", es);
    }
    return st;
}

/* Compares statuses ignoring the condition timestamps (set to "now"). */
static char *fingerprint(json_t *st)
{
    json_t *c = json_deep_copy(st);
    size_t i;
    json_t *cond;
    json_array_foreach(json_object_get(c, "conditions"), i, cond) json_object_del(cond, "lastTransitionTime");
    char *s = ck_json_dump(c);
    json_decref(c);
    return s;
}

int ck_pod_status_sync(ck_kubelet *k, ck_pod_worker *w)
{
    json_t *st = ck_pod_status_build(w, k->node_ip);
    char *fp = fingerprint(st);
    if (fp && w->last_status && strcmp(fp, w->last_status) == 0) {
        free(fp);
        json_decref(st);
        return 0;
    }
    if (!k->rest) { /* no API server (unit tests): remember it as sent */
        free(w->last_status);
        w->last_status = fp;
        json_decref(st);
        return 0;
    }
    json_t *patch = json_pack("{s:{s:s},s:o}", "metadata", "uid", w->uid, "status", st);
    ck_resource_ref ref = {"", "v1", "pods", w->ns, w->name, "status"};
    ck_response r = {0};
    int rc = ck_rest_patch(k->rest, &ref, CK_PATCH_MERGE, patch, &r);
    if (rc < 0) ck_warn("pod %s status: %ld %s", w->key, r.code, r.message);
    ck_response_clear(&r);
    json_decref(patch);
    if (rc == 0) {
        free(w->last_status);
        w->last_status = fp;
    } else free(fp);
    return rc;
}
