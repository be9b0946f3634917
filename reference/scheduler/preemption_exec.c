/* preemption_exec.c: what DefaultPreemption writes once a node is chosen
 * (framework/preemption/preemption.go prepareCandidate, schedule_one.go
 * handleSchedulingFailure's nominatingInfo): victims get the DisruptionTarget
 * condition, are deleted and get a Preempted event; the preemptor is nominated. */
#include <stdio.h>
#include <string.h>
#include "scheduler/events.h"
#include "scheduler/preemption.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

json_t *ck_preemption_list_pdbs(ck_rest *rest)
{
    ck_response r = {0};
    json_t *items = NULL;
    if (ck_rest_list(rest, &(ck_resource_ref){"policy", "v1", "poddisruptionbudgets", NULL, NULL, NULL}, NULL,
                     &r) == 0)
        items = json_incref(json_object_get(r.body, "items"));
    else
        ck_warn("list poddisruptionbudgets: %ld %s", r.code, r.message);
    ck_response_clear(&r);
    return json_is_array(items) ? items : (json_decref(items), json_array());
}

static ck_resource_ref pod_ref(const json_t *pod, const char *sub)
{
    return (ck_resource_ref){"", "v1", "pods", ck_json_str(pod, "metadata.namespace", "default"),
                             ck_json_str(pod, "metadata.name", ""), sub};
}

/* PodDisruptionConditions: DisruptionTarget=True / PreemptionByScheduler. */
static int add_disruption_target(ck_rest *rest, const char *scheduler, const json_t *victim)
{
    char now[CK_TIME_LEN], msg[512];
    snprintf(msg, sizeof msg, "%s: preempting to accommodate a higher priority pod", scheduler);
    json_t *patch = json_pack("{s:{s:[{s:s,s:s,s:s,s:s,s:s}]}}", "status", "conditions", "type", "DisruptionTarget",
                              "status", "True", "reason", "PreemptionByScheduler", "message", msg,
                              "lastTransitionTime", ck_time_now(now));
    ck_response r = {0};
    ck_resource_ref ref = pod_ref(victim, "status");
    int rc = patch ? ck_rest_patch(rest, &ref, CK_PATCH_STRATEGIC, patch, &r) : -1;
    if (rc < 0) ck_warn("DisruptionTarget on %s/%s: %ld %s", ref.namespace, ref.name, r.code, r.message);
    ck_response_clear(&r);
    json_decref(patch);
    return rc;
}

static int set_nominated(ck_rest *rest, const json_t *pod, const char *node)
{
    json_t *patch = json_pack("{s:{s:s}}", "status", "nominatedNodeName", node);
    ck_response r = {0};
    ck_resource_ref ref = pod_ref(pod, "status");
    int rc = patch ? ck_rest_patch(rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    if (rc < 0) ck_warn("nominate %s/%s: %ld %s", ref.namespace, ref.name, r.code, r.message);
    ck_response_clear(&r);
    json_decref(patch);
    return rc;
}

int ck_preemption_execute(ck_rest *rest, const char *scheduler, const json_t *pod,
                          const ck_preemption_candidate *c)
{
    int rc = 0;
    for (size_t i = 0; i < c->nvictims; i++) {
        const json_t *v = c->victims[i];
        add_disruption_target(rest, scheduler, v);  /* best effort, as upstream logs it */
        ck_response r = {0};
        ck_resource_ref ref = pod_ref(v, NULL);
        /* util.DeletePod: default DeleteOptions, so the victim's own grace period */
        if (ck_rest_delete(rest, &ref, NULL, &r) < 0 && r.code != 404) {
            ck_warn("preempt %s/%s: %ld %s", ref.namespace, ref.name, r.code, r.message);
            rc = -1;
        } else {
            char msg[640];
            snprintf(msg, sizeof msg, "Preempted by pod %s on node %s", ck_json_str(pod, "metadata.uid", ""),
                     c->node);
            ck_info("Preempting %s/%s on %s for %s/%s", ref.namespace, ref.name, c->node,
                    ck_json_str(pod, "metadata.namespace", ""), ck_json_str(pod, "metadata.name", ""));
            ck_sched_record_event(rest, v, "Normal", "Preempted", "Preempting", msg);
        }
        ck_response_clear(&r);
    }
    if (set_nominated(rest, pod, c->node) < 0) rc = -1;
    return rc;
}
