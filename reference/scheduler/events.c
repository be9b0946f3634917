/* events.c: Events, Binding and the PodScheduled condition, written through
 * the REST client. Event names follow client-go: "<pod>.<hex nanoseconds>". */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "client/events.h"
#include "scheduler/events.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

#define COMPONENT "default-scheduler"

int ck_sched_record_event(ck_rest *rest, const json_t *pod, const char *type, const char *reason,
                          const char *action, const char *message)
{
    char host[128] = "", instance[200];
    gethostname(host, sizeof host - 1);
    snprintf(instance, sizeof instance, "%s-%s", COMPONENT, host);
    ck_event_source src = {.component = COMPONENT, .instance = instance};
    json_t *ev = ck_event_new(&src, pod, "v1", "Pod", type, reason, action, message);
    if (!ev) return -1;
    ck_response r = {0};
    int rc = ck_event_create(rest, ev, &r);
    if (rc < 0)
        ck_warn("event %s for %s/%s: %ld %s", reason, ck_json_str(pod, "metadata.namespace", "default"),
                ck_json_str(pod, "metadata.name", ""), r.code, r.message);
    ck_response_clear(&r);
    json_decref(ev);
    return rc;
}

int ck_sched_bind(ck_rest *rest, const json_t *pod, const char *node, ck_response *resp)
{
    const char *ns = ck_json_str(pod, "metadata.namespace", "default");
    const char *name = ck_json_str(pod, "metadata.name", "");
    json_t *b = json_pack("{s:s,s:s,s:{s:s,s:s,s:s},s:{s:s,s:s,s:s}}",
        "apiVersion", "v1", "kind", "Binding",
        "metadata", "name", name, "namespace", ns, "uid", ck_json_str(pod, "metadata.uid", ""),
        "target", "apiVersion", "v1", "kind", "Node", "name", node);
    if (!b) { snprintf(resp->message, sizeof resp->message, "out of memory"); return -1; }
    int rc = ck_rest_create(rest, &(ck_resource_ref){"", "v1", "pods", ns, name, "binding"}, b, resp);
    json_decref(b);
    return rc;
}

static json_t *condition(const char *message)
{
    char now[CK_TIME_LEN];
    return json_pack("{s:s,s:s,s:s,s:s,s:n,s:s}", "type", "PodScheduled", "status", "False",
                     "reason", "Unschedulable", "message", message, "lastProbeTime",
                     "lastTransitionTime", ck_time_now(now));
}

/* GET, replace or append the PodScheduled condition, PUT status. */
static int put_status(ck_rest *rest, const ck_resource_ref *ref, const char *message)
{
    ck_response r = {0};
    int rc = -1;
    if (ck_rest_get(rest, &(ck_resource_ref){"", "v1", "pods", ref->namespace, ref->name, NULL}, &r) < 0)
        goto out;
    json_t *conds = ck_json_path(r.body, "status.conditions");
    if (!json_is_array(conds)) {
        if (ck_json_set(r.body, "status.conditions", json_array()) < 0) goto out;
        conds = ck_json_path(r.body, "status.conditions");
    }
    size_t i;
    json_t *c;
    json_array_foreach(conds, i, c)
        if (!strcmp(ck_json_str(c, "type", ""), "PodScheduled")) break;
    if (i < json_array_size(conds)) json_array_set_new(conds, i, condition(message));
    else json_array_append_new(conds, condition(message));
    json_t *body = json_incref(r.body);
    ck_response_clear(&r);
    rc = ck_rest_update(rest, ref, body, &r);
    json_decref(body);
out:
    if (rc < 0) ck_warn("status of %s/%s: %ld %s", ref->namespace, ref->name, r.code, r.message);
    ck_response_clear(&r);
    return rc;
}

int ck_sched_set_unschedulable(ck_rest *rest, const json_t *pod, const char *message)
{
    ck_resource_ref ref = {"", "v1", "pods", ck_json_str(pod, "metadata.namespace", "default"),
                           ck_json_str(pod, "metadata.name", ""), "status"};
    json_t *patch = json_pack("{s:{s:[o]}}", "status", "conditions", condition(message));
    ck_response r = {0};
    int rc = patch ? ck_rest_patch(rest, &ref, CK_PATCH_STRATEGIC, patch, &r) : -1;
    long code = r.code;
    ck_response_clear(&r);
    json_decref(patch);
    /* A server without strategic merge for pods/status gets a PUT instead. */
    if (rc < 0 && (code == 415 || code == 400 || code == 405 || code == 422)) rc = put_status(rest, &ref, message);
    return rc;
}
