/* serviceaccount.c: the ServiceAccount admission plugin
 * (plugin/pkg/admission/serviceaccount/admission.go), defaulting part: a pod
 * without spec.serviceAccountName runs as "default"; the deprecated
 * spec.serviceAccount mirrors it. */
#include <string.h>
#include "apiserver/admission/admission.h"
#include "util/ckjson.h"

int ck_admit_service_account(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    if (op != CK_ADMIT_CREATE || strcmp(ctx->k->resource, "pods") != 0 || ctx->k->group[0]) return 0;
    json_t *spec = ck_json_ensure_object(obj, "spec");
    if (!spec) return 0;
    const char *sa = ck_json_str(spec, "serviceAccountName", NULL);
    if (!sa || !*sa) sa = ck_json_str(spec, "serviceAccount", NULL);
    if (!sa || !*sa) sa = "default";
    json_t *name = json_string(sa);
    json_object_set(spec, "serviceAccountName", name);
    json_object_set_new(spec, "serviceAccount", name);
    return 0;
}
