/* status_reset.c: the PrepareForCreate of kinds whose status only the
 * status subresource (or a controller) writes: a create starts from an empty
 * status, as pkg/registry/{apps/daemonset,apps/statefulset,batch/cronjob,
 * policy/poddisruptionbudget,networking/ingress,core/resourcequota}/strategy.go
 * do. The JSON carries the zero counters Go's non-omitempty fields print. */
#include <string.h>
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"

static int reset(json_t *obj, const char *empty_status)
{
    json_t *st = json_loads(empty_status, 0, NULL);
    if (!st) return -1;
    json_object_set_new(obj, "status", st);
    return 0;
}

#define RESETTER(fn, literal)                                        \
    static int fn(ck_handler *ctx, json_t *obj)                      \
    {                                                                \
        if (reset(obj, literal) == 0) return 0;                      \
        ck_status_internal(&ctx->st, "cannot reset status");         \
        return -1;                                                   \
    }

RESETTER(reset_daemonset, "{\"currentNumberScheduled\":0,\"numberMisscheduled\":0,\"desiredNumberScheduled\":0,"
                          "\"numberReady\":0}")
RESETTER(reset_statefulset, "{\"replicas\":0,\"availableReplicas\":0}")
RESETTER(reset_pdb, "{\"disruptionsAllowed\":0,\"currentHealthy\":0,\"desiredHealthy\":0,\"expectedPods\":0}")
RESETTER(reset_ingress, "{\"loadBalancer\":{}}")
RESETTER(reset_empty, "{}")

const ck_strategy ck_strategy_daemonsets = {.resource = "apps/daemonsets", .prepare_create = reset_daemonset};
const ck_strategy ck_strategy_statefulsets = {.resource = "apps/statefulsets", .prepare_create = reset_statefulset};
const ck_strategy ck_strategy_cronjobs = {.resource = "batch/cronjobs", .prepare_create = reset_empty};
const ck_strategy ck_strategy_poddisruptionbudgets = {.resource = "policy/poddisruptionbudgets",
                                                      .prepare_create = reset_pdb};
const ck_strategy ck_strategy_ingresses = {.resource = "networking.k8s.io/ingresses", .prepare_create = reset_ingress};
const ck_strategy ck_strategy_resourcequotas = {.resource = "resourcequotas", .prepare_create = reset_empty};
