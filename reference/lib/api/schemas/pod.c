/* pod.c: the core/v1 Pod kind: root schema with PodStatus, Pod-only defaults
 * (SetDefaults_Pod; priority comes from the apiserver's Priority admission
 * plugin, apiserver/admission/priority.c), ValidatePodCreate /
 * ValidatePodUpdate, and the printer columns of
 * pkg/printers/internalversion/printers.go (printPod). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

/* ---- schema ---------------------------------------------------------------- */
static const ck_field condition_fields[] = {
    F_STR("type", PB(1)), F_STR("status", PB(2)), F_INT("observedGeneration", PB(7)),
    {.name = "lastProbeTime", .type = CK_TIME, .flags = CK_F_NULLABLE, .tag = 3},
    {.name = "lastTransitionTime", .type = CK_TIME, .flags = CK_F_NULLABLE, .tag = 4},
    F_STR("reason", PB(5)), F_STR("message", PB(6)), F_END};
static const ck_field condition = {.name = "", .type = CK_OBJECT, .fields = condition_fields};
static const ck_field ip_fields[] = {F_STR("ip", PB(1)), F_END};
static const ck_field ip_item = {.name = "", .type = CK_OBJECT, .fields = ip_fields};
static const ck_field waiting_fields[] = {F_STR("reason", PB(1)), F_STR("message", PB(2)), F_END};
static const ck_field running_fields[] = {F_TIME("startedAt", PB(1)), F_END};
static const ck_field terminated_fields[] = {
    F_INT("exitCode", PB(1)), F_INT("signal", PB(2)), F_STR("reason", PB(3)), F_STR("message", PB(4)),
    F_TIME("startedAt", PB(5)), F_TIME("finishedAt", PB(6)), F_STR("containerID", PB(7)), F_END};
static const ck_field state_fields[] = {
    F_OBJ("waiting", waiting_fields, PBP(1)), F_OBJ("running", running_fields, PBP(2)),
    F_OBJ("terminated", terminated_fields, PBP(3)), F_END};
static const ck_field mount_status_fields[] = {
    F_STR("name", PB(1)), F_STR("mountPath", PB(2)), F_BOOL("readOnly", PB(3)),
    F_STR("recursiveReadOnly", PBP(4)), F_END};
static const ck_field mount_status = {.name = "", .type = CK_OBJECT, .fields = mount_status_fields};
static const ck_field container_status_fields[] = {
    F_STR("name", PB(1)), F_OBJ("state", state_fields, PB(2)), F_OBJ("lastState", state_fields, PB(3)),
    F_BOOL("ready", PB(4)), F_INT("restartCount", PB(5)), F_STR("image", PB(6)), F_STR("imageID", PB(7)),
    F_STR("containerID", PB(8)), F_BOOL("started", PBP(9)), F_QTYMAP("allocatedResources", PB(10)),
    F_OBJ("resources", ck_resource_requirements_fields, PBP(11)),
    F_MLIST("volumeMounts", &mount_status, "mountPath", PB(12)), F_ANY("user"),
    F_ANY("allocatedResourcesStatus"), F_STR("stopSignal", PBP(15)), F_END};
static const ck_field container_status = {.name = "", .type = CK_OBJECT,
                                          .fields = container_status_fields};
static const ck_field pod_status_fields[] = {
    F_INT("observedGeneration", PB(17)), F_STR("phase", PB(1)),
    F_MLIST("conditions", &condition, "type", PB(2)), F_STR("message", PB(3)), F_STR("reason", PB(4)),
    F_STR("nominatedNodeName", PB(11)), F_STR("hostIP", PB(5)), F_MLIST("hostIPs", &ip_item, "ip", PB(16)),
    F_STR("podIP", PB(6)), F_MLIST("podIPs", &ip_item, "ip", PB(12)), F_TIME("startTime", PBP(7)),
    F_LIST("initContainerStatuses", &container_status, PB(10)),
    F_LIST("containerStatuses", &container_status, PB(8)), F_STR("qosClass", PB(9)),
    F_LIST("ephemeralContainerStatuses", &container_status, PB(13)), F_STR("resize", PB(14)),
    F_ANY("resourceClaimStatuses"), F_ANY("extendedResourceClaimStatus"), F_END};
static const ck_field pod_fields[] = {
    F_TYPEMETA, F_OBJ("spec", ck_pod_spec_fields, PB(2)),
    {.name = "status", .type = CK_OBJECT, .fields = pod_status_fields, .flags = CK_F_READONLY, .tag = 3},
    F_END};
const ck_field ck_schema_pod = {.name = "", .type = CK_OBJECT, .fields = pod_fields,
                                .description = "Pod is a collection of containers that can run on a host."};

/* ---- defaults ---------------------------------------------------------- */

/* SetDefaults_Pod: limits without requests become requests (pods only, not
 * templates, as upstream notes). */
static void requests_from_limits(json_t *list)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        json_t *res = json_object_get(c, "resources");
        json_t *lim = json_object_get(res, "limits");
        if (!json_is_object(lim) || json_object_size(lim) == 0) continue;
        json_t *req = json_object_get(res, "requests");
        if (!req) json_object_set_new(res, "requests", req = json_object());
        if (!json_is_object(req)) continue;
        const char *k;
        json_t *v;
        json_object_foreach(lim, k, v)
            if (!json_object_get(req, k)) json_object_set(req, k, v);
    }
}

void ck_defaults_pod(json_t *obj)
{
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return;
    ck_defaults_pod_spec(spec);
    requests_from_limits(json_object_get(spec, "initContainers"));
    requests_from_limits(json_object_get(spec, "containers"));
    if (!json_object_get(spec, "enableServiceLinks"))
        json_object_set_new(spec, "enableServiceLinks", json_true());
}

/* ---- validation -------------------------------------------------------- */

#define UPDATABLE_FIELDS                                                                  \
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`," \
    "`spec.tolerations` (only additions to existing tolerations),"                       \
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

/* validateOnlyAddedTolerations: every old toleration still present, only its
 * tolerationSeconds may differ. */
static bool only_added_tolerations(const json_t *oldt, const json_t *newt)
{
    size_t i, j;
    const json_t *o, *n;
    json_array_foreach(oldt, i, o) {
        bool found = false;
        json_array_foreach(newt, j, n) {
            json_t *oc = json_deep_copy(o), *nc = json_deep_copy(n);
            if (json_is_object(oc)) json_object_del(oc, "tolerationSeconds");
            if (json_is_object(nc)) json_object_del(nc, "tolerationSeconds");
            found = json_equal(oc, nc);
            json_decref(oc);
            json_decref(nc);
            if (found) break;
        }
        if (!found) return false;
    }
    return true;
}

static void copy_images(json_t *munged, const json_t *old, const char *key)
{
    json_t *nl = json_object_get(munged, key);
    const json_t *ol = json_object_get(old, key);
    if (json_array_size(nl) != json_array_size(ol)) return;
    size_t i;
    json_t *c;
    json_array_foreach(nl, i, c) {
        json_t *oi = json_object_get(json_array_get(ol, i), "image");
        if (oi) json_object_set(c, "image", oi);
        else json_object_del(c, "image");
    }
}

static void set_or_del(json_t *o, const char *key, json_t *v)
{
    if (v) json_object_set(o, key, v);
    else json_object_del(o, key);
}

/* The diff upstream prints with cmp.Diff, approximated by the changed
 * top-level PodSpec fields. Appends to buf. */
static void spec_diff(const json_t *old, const json_t *munged, char *buf, size_t n)
{
    size_t off = strlen(buf);
    off += (size_t)snprintf(buf + off, n - off, "\n  core.PodSpec{\n");
    for (const ck_field *f = ck_pod_spec_fields; f->name && off < n; f++) {
        const json_t *a = json_object_get(old, f->name), *b = json_object_get(munged, f->name);
        if (ck_json_equal(a, b)) continue;
        char *da = a ? ck_json_dump(a) : NULL, *db = b ? ck_json_dump(b) : NULL;
        off += (size_t)snprintf(buf + off, n - off, "- \t%c%s: %s,\n+ \t%c%s: %s,\n",
                                f->name[0] - 32, f->name + 1, da ? da : "nil",
                                f->name[0] - 32, f->name + 1, db ? db : "nil");
        free(da);
        free(db);
    }
    if (off < n) snprintf(buf + off, n - off, "  }");
}

/* activeDeadlineSeconds may only be set or lowered. Returns false on error. */
static bool deadline_update_ok(const json_t *ns, const json_t *os, ck_errs *errs)
{
    const json_t *nd = json_object_get(ns, "activeDeadlineSeconds");
    const json_t *od = json_object_get(os, "activeDeadlineSeconds");
    if (json_is_integer(nd)) {
        long long v = json_integer_value(nd);
        if (v < 0 || v > 2147483647) {
            ck_errs_invalid(errs, "spec.activeDeadlineSeconds", nd, "must be between 0 and 2147483647, inclusive");
            return false;
        }
        if (json_is_integer(od) && json_integer_value(od) < v) {
            ck_errs_invalid(errs, "spec.activeDeadlineSeconds", nd, "must be less than or equal to previous value");
            return false;
        }
    } else if (json_is_integer(od)) {
        ck_errs_add(errs, "FieldValueInvalid", "spec.activeDeadlineSeconds",
                    "Invalid value: \"null\": must not update from a positive integer to nil value");
    }
    return true;
}

/* ValidatePodUpdate's spec rules: munge the allowed changes back to the old
 * values and forbid any remaining difference. */
static void validate_pod_spec_update(const json_t *ns, const json_t *os, ck_errs *errs)
{
    if (!deadline_update_ok(ns, os, errs)) return;
    json_t *munged = json_deep_copy(ns);
    if (!munged) return;
    copy_images(munged, os, "containers");
    copy_images(munged, os, "initContainers");
    set_or_del(munged, "activeDeadlineSeconds", json_object_get(os, "activeDeadlineSeconds"));
    /* spec.ephemeralContainers is not munged: only the ephemeralcontainers
     * subresource changes it (ValidatePodEphemeralContainersUpdate) */
    const json_t *og = json_object_get(os, "terminationGracePeriodSeconds");
    const json_t *ng = json_object_get(ns, "terminationGracePeriodSeconds");
    if (json_integer_value(og) < 0 && json_integer_value(ng) == 1) set_or_del(munged, "terminationGracePeriodSeconds", (json_t *)og);
    if (only_added_tolerations(json_object_get(os, "tolerations"), json_object_get(ns, "tolerations")))
        set_or_del(munged, "tolerations", json_object_get(os, "tolerations"));
    else
        ck_errs_forbidden(errs, "spec.tolerations", "existing toleration can not be modified except its tolerationSeconds");
    if (!ck_json_equal(munged, os)) {
        char msg[1800] = "pod updates may not change fields other than " UPDATABLE_FIELDS;
        spec_diff(os, munged, msg, sizeof msg);
        ck_errs_forbidden(errs, "spec", msg);
    }
    json_decref(munged);
}

void ck_validate_pod(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    ck_validate_pod_spec(spec, "spec", errs);
    if (!old) {
        if (json_array_size(json_object_get(spec, "ephemeralContainers")))
            ck_errs_forbidden(errs, "spec.ephemeralContainers", "cannot be set on create");
        return;
    }
    validate_pod_spec_update(spec, json_object_get(old, "spec"), errs);
}

/* ---- printer (printPod) -------------------------------------------------- */

typedef struct pod_row {
    int ready, total, restarts;
    time_t last_restart; /* 0 = none */
    char reason[128];
} pod_row;

static time_t last_termination(const json_t *cs)
{
    const char *t = ck_json_str(cs, "lastState.terminated.finishedAt", NULL);
    time_t v = t ? ck_time_parse(t) : -1;
    return v < 0 ? 0 : v;
}

static bool is_sidecar(const json_t *spec, const char *name)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(spec, "initContainers"), i, c)
        if (strcmp(ck_str(c, "name"), name) == 0) return strcmp(ck_str(c, "restartPolicy"), "Always") == 0;
    return false;
}

static bool has_condition(const json_t *status, const char *type)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(status, "conditions"), i, c)
        if (strcmp(ck_str(c, "type"), type) == 0 && strcmp(ck_str(c, "status"), "True") == 0) return true;
    return false;
}

/* Reason for a terminated state without one: Signal:N or ExitCode:N. */
static void terminated_reason(const json_t *term, const char *prefix, char *out, size_t n)
{
    long long sig = ck_json_int(term, "signal", 0), code = ck_json_int(term, "exitCode", 0);
    if (*ck_str(term, "reason")) snprintf(out, n, "%s%s", prefix, ck_str(term, "reason"));
    else if (sig) snprintf(out, n, "%sSignal:%lld", prefix, sig);
    else snprintf(out, n, "%sExitCode:%lld", prefix, code);
}

/* The init-container pass of printPod; returns whether the pod is initializing. */
static bool init_pass(const json_t *spec, const json_t *status, pod_row *r, int *side_restarts,
                      time_t *side_last)
{
    size_t i, ninit = json_array_size(json_object_get(spec, "initContainers"));
    const json_t *cs;
    json_array_foreach(json_object_get(status, "initContainerStatuses"), i, cs) {
        int rc = (int)ck_json_int(cs, "restartCount", 0);
        time_t lt = last_termination(cs);
        bool side = is_sidecar(spec, ck_str(cs, "name"));
        r->restarts += rc;
        if (lt > r->last_restart) r->last_restart = lt;
        if (side) {
            *side_restarts += rc;
            if (lt > *side_last) *side_last = lt;
        }
        const json_t *term = ck_json_path(cs, "state.terminated");
        const char *wait = ck_json_str(cs, "state.waiting.reason", "");
        if (term && ck_json_int(term, "exitCode", 0) == 0) continue;
        if (side && json_is_true(json_object_get(cs, "started"))) {
            if (json_is_true(json_object_get(cs, "ready"))) r->ready++;
            continue;
        }
        if (term) terminated_reason(term, "Init:", r->reason, sizeof r->reason);
        else if (*wait && strcmp(wait, "PodInitializing") != 0)
            snprintf(r->reason, sizeof r->reason, "Init:%s", wait);
        else snprintf(r->reason, sizeof r->reason, "Init:%zu/%zu", i, ninit);
        return true;
    }
    return false;
}

static void pod_summary(const json_t *pod, pod_row *r)
{
    const json_t *spec = json_object_get(pod, "spec"), *status = json_object_get(pod, "status");
    memset(r, 0, sizeof *r);
    r->total = (int)json_array_size(json_object_get(spec, "containers"));
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(spec, "initContainers"), i, c)
        if (strcmp(ck_str(c, "restartPolicy"), "Always") == 0) r->total++;
    snprintf(r->reason, sizeof r->reason, "%s", *ck_str(status, "reason") ? ck_str(status, "reason")
                                                                          : ck_str(status, "phase"));
    json_array_foreach(json_object_get(status, "conditions"), i, c)
        if (strcmp(ck_str(c, "type"), "PodScheduled") == 0 && strcmp(ck_str(c, "reason"), "SchedulingGated") == 0)
            snprintf(r->reason, sizeof r->reason, "SchedulingGated");
    int side_restarts = 0;
    time_t side_last = 0;
    bool initializing = init_pass(spec, status, r, &side_restarts, &side_last);
    if (!initializing || has_condition(status, "Initialized")) {
        r->restarts = side_restarts;
        r->last_restart = side_last;
        bool running = false;
        const json_t *list = json_object_get(status, "containerStatuses");
        for (size_t k = json_array_size(list); k-- > 0;) {
            const json_t *cs = json_array_get(list, k);
            r->restarts += (int)ck_json_int(cs, "restartCount", 0);
            if (last_termination(cs) > r->last_restart) r->last_restart = last_termination(cs);
            const char *wait = ck_json_str(cs, "state.waiting.reason", "");
            const json_t *term = ck_json_path(cs, "state.terminated");
            if (*wait) snprintf(r->reason, sizeof r->reason, "%s", wait);
            else if (term) terminated_reason(term, "", r->reason, sizeof r->reason);
            else if (json_is_true(json_object_get(cs, "ready")) && ck_json_path(cs, "state.running")) {
                running = true;
                r->ready++;
            }
        }
        if (strcmp(r->reason, "Completed") == 0 && running)
            snprintf(r->reason, sizeof r->reason, "%s", has_condition(status, "Ready") ? "Running" : "NotReady");
    }
    const char *phase = ck_str(status, "phase");
    if (ck_json_path(pod, "metadata.deletionTimestamp")) {
        if (strcmp(ck_str(status, "reason"), "NodeLost") == 0) snprintf(r->reason, sizeof r->reason, "Unknown");
        else if (strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0)
            snprintf(r->reason, sizeof r->reason, "Terminating");
    }
}

static json_t *cell_ready(const json_t *pod)
{
    pod_row r;
    pod_summary(pod, &r);
    char buf[32];
    snprintf(buf, sizeof buf, "%d/%d", r.ready, r.total);
    return json_string(buf);
}

static json_t *cell_status(const json_t *pod)
{
    pod_row r;
    pod_summary(pod, &r);
    return json_string(r.reason);
}

static json_t *cell_restarts(const json_t *pod)
{
    pod_row r;
    pod_summary(pod, &r);
    char buf[64], ago[32];
    if (r.restarts && r.last_restart)
        snprintf(buf, sizeof buf, "%d (%s ago)", r.restarts,
                 ck_human_duration((long long)(time(NULL) - r.last_restart), ago, sizeof ago));
    else snprintf(buf, sizeof buf, "%d", r.restarts);
    return json_string(buf);
}

static json_t *none_if_empty(const char *s) { return json_string(s && *s ? s : "<none>"); }

static json_t *cell_ip(const json_t *pod)
{
    const json_t *ips = ck_json_path(pod, "status.podIPs");
    return none_if_empty(ck_str(json_array_get(ips, 0), "ip"));
}

static json_t *cell_node(const json_t *pod) { return none_if_empty(ck_json_str(pod, "spec.nodeName", "")); }

static json_t *cell_nominated(const json_t *pod)
{
    return none_if_empty(ck_json_str(pod, "status.nominatedNodeName", ""));
}

static json_t *cell_gates(const json_t *pod)
{
    const json_t *gates = ck_json_path(pod, "spec.readinessGates");
    if (json_array_size(gates) == 0) return json_string("<none>");
    size_t i, j, ok = 0;
    const json_t *g, *c;
    json_array_foreach(gates, i, g)
        json_array_foreach(ck_json_path(pod, "status.conditions"), j, c)
            if (strcmp(ck_str(c, "type"), ck_str(g, "conditionType")) == 0) {
                ok += strcmp(ck_str(c, "status"), "True") == 0;
                break;
            }
    char buf[48];
    snprintf(buf, sizeof buf, "%zu/%zu", ok, json_array_size(gates));
    return json_string(buf);
}

const ck_column ck_columns_pod[] = {
    COL_NAME,
    {.name = "Ready", .type = "string", .format = "",
     .description = "The aggregate readiness state of this pod for accepting traffic.", .cell = cell_ready},
    {.name = "Status", .type = "string", .format = "",
     .description = "The aggregate status of the containers in this pod.", .cell = cell_status},
    {.name = "Restarts", .type = "string", .format = "",
     .description = "The number of times the containers in this pod have been restarted and when the "
                    "last container in this pod has restarted.", .cell = cell_restarts},
    COL_AGE,
    {.name = "IP", .type = "string", .format = "", .priority = 1,
     .description = "podIP address allocated to the pod. Routable at least within the cluster. Empty if "
                    "not yet allocated.", .cell = cell_ip},
    {.name = "Node", .type = "string", .format = "", .priority = 1,
     .description = "NodeName indicates in which node this pod is scheduled.", .cell = cell_node},
    {.name = "Nominated Node", .type = "string", .format = "", .priority = 1,
     .description = "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
                    "cannot be scheduled right away as preemption victims receive their graceful "
                    "termination periods.", .cell = cell_nominated},
    {.name = "Readiness Gates", .type = "string", .format = "", .priority = 1,
     .description = "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready "
                    "when all its containers are ready AND all conditions specified in the readiness "
                    "gates have status equal to \"True\". More info: "
                    "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
     .cell = cell_gates},
    {0}};
