/* ephemeral.c: pods/ephemeralcontainers (pkg/registry/core/pod/storage
 * EphemeralContainersREST): an update of the whole Pod of which only
 * spec.ephemeralContainers is kept, validated so that ephemeral containers
 * can be added but never changed or removed. */
#include "apiserver/registry/ephemeral.h"
#include "api/schemas/ephemeral.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

json_t *ck_ephemeral_merge(const json_t *old, const json_t *in)
{
    json_t *out = json_deep_copy(old);
    if (!out) return NULL;
    json_t *spec = ck_json_ensure_object(out, "spec");
    json_t *ecs = ck_json_path(in, "spec.ephemeralContainers");
    if (json_is_array(ecs) && json_array_size(ecs)) json_object_set_new(spec, "ephemeralContainers", json_deep_copy(ecs));
    else json_object_del(spec, "ephemeralContainers");
    return out;
}

int ck_ephemeral_validate(ck_handler *ctx, const json_t *obj, const json_t *old)
{
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_pod_spec(json_object_get(obj, "spec"), "spec", &errs);
    ck_validate_ephemeral_update(obj, old, &errs);
    if (ck_errs_count(&errs) == 0) return 0;
    ck_status_invalid(&ctx->st, "", "Pod", ck_json_str(obj, "metadata.name", ""), &errs);
    ck_errs_free(&errs);
    return -1;
}
