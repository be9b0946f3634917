/* namespace.c: the Namespace strategy (pkg/registry/core/namespace): a new
 * namespace is Active with the "kubernetes" finalizer; deleting it marks it
 * Terminating until the namespace controller has emptied it and removed
 * spec.finalizers through /finalize; the next delete removes it. */
#include <string.h>
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"

static int prepare_create(ck_handler *ctx, json_t *ns)
{
    json_object_set_new(ns, "status", json_pack("{s:s}", "phase", "Active"));
    json_t *spec = ck_json_ensure_object(ns, "spec");
    json_object_set_new(spec, "finalizers", json_pack("[s]", "kubernetes"));
    return 0;
}

static int prepare_update(ck_handler *ctx, const json_t *old, json_t *ns)
{
    /* spec.finalizers only change through the finalize subresource. */
    json_t *fin = ck_json_path(old, "spec.finalizers");
    json_t *spec = ck_json_ensure_object(ns, "spec");
    if (fin) json_object_set_new(spec, "finalizers", json_deep_copy(fin));
    else json_object_del(spec, "finalizers");
    return 0;
}

static int prepare_delete(ck_handler *ctx, json_t *ns, long long requested, long long *grace, bool *keep)
{
    *grace = 0;
    if (json_array_size(ck_json_path(ns, "spec.finalizers")) == 0) return 0;
    ck_json_set(ns, "status.phase", json_string("Terminating"));
    *keep = true;
    return 0;
}

const ck_strategy ck_strategy_namespaces = {
    .resource = "namespaces",
    .return_deleted_object = true,
    .prepare_create = prepare_create,
    .prepare_update = prepare_update,
    .prepare_delete = prepare_delete,
};
