/* pod.c: the Pod strategy (pkg/registry/core/pod/strategy.go): a new pod
 * starts Pending with its QoS class; a pod bound to a node is deleted
 * gracefully (the kubelet finishes it), an unbound or finished one at once. */
#include <string.h>
#include "api/quantity.h"
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"

/* pkg/apis/core/helper/qos: Guaranteed when every container has equal cpu and
 * memory requests and limits, BestEffort when none has any, else Burstable. */
static const char *qos_class(const json_t *pod)
{
    bool any = false, guaranteed = true;
    static const char *const lists[] = {"spec.containers", "spec.initContainers"};
    static const char *const res[] = {"cpu", "memory"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(ck_json_path(pod, lists[l]), i, c) {
            json_t *req = ck_json_path(c, "resources.requests"), *lim = ck_json_path(c, "resources.limits");
            if (json_object_size(req) || json_object_size(lim)) any = true;
            for (int r = 0; r < 2; r++) {
                const char *lv = ck_json_str(lim, res[r], NULL);
                const char *rv = ck_json_str(req, res[r], lv);
                if (!lv || ck_quantity_milli(lv, -1) != ck_quantity_milli(rv, -2)) guaranteed = false;
            }
        }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}

static int prepare_create(ck_handler *ctx, json_t *pod)
{
    json_t *status = json_pack("{s:s,s:s}", "phase", "Pending", "qosClass", qos_class(pod));
    json_object_set_new(pod, "status", status);
    return 0;
}

static int prepare_delete(ck_handler *ctx, json_t *pod, long long requested, long long *grace, bool *keep)
{
    const char *phase = ck_json_str(pod, "status.phase", "");
    bool bound = *ck_json_str(pod, "spec.nodeName", "") != 0;
    if (!bound || strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0) {
        *grace = 0;
        return 0;
    }
    *grace = requested >= 0 ? requested : ck_json_int(pod, "spec.terminationGracePeriodSeconds", 30);
    return 0;
}

const ck_strategy ck_strategy_pods = {
    .resource = "pods",
    .return_deleted_object = true,
    .prepare_create = prepare_create,
    .prepare_delete = prepare_delete,
};
