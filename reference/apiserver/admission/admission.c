/* admission.c: the ordered plugin table (upstream's default order puts
 * NamespaceLifecycle first) and the loop that runs it. */
#include "apiserver/admission/admission.h"

static const ck_admission_plugin plugins[] = {
    {"NamespaceLifecycle", ck_admit_namespace_lifecycle},
    {"LimitRanger", ck_admit_limit_ranger},
    {"ServiceAccount", ck_admit_service_account},
    {"Priority", ck_admit_priority}, /* upstream: after PodSecurity, before DefaultTolerationSeconds */
    {"DefaultTolerationSeconds", ck_admit_default_toleration_seconds},
    {"RuntimeClass", ck_admit_runtime_class},
    {"ResourceQuota", ck_admit_resource_quota}, /* upstream runs it last */
};

int ck_admit(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    for (size_t i = 0; i < sizeof plugins / sizeof plugins[0]; i++)
        if (plugins[i].admit(ctx, op, obj, old) < 0) return -1;
    return 0;
}
