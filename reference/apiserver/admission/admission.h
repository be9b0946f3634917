/* admission.h: the admission chain (k8s.io/apiserver/pkg/admission), run on
 * every create, update and delete after decoding and before validation:
 * plugins are a table walked in order; the first to refuse ends the request. */
#ifndef CK_APISERVER_ADMISSION_H
#define CK_APISERVER_ADMISSION_H
#include <jansson.h>
#include "apiserver/handlers/rest.h"

typedef enum ck_admit_op { CK_ADMIT_CREATE, CK_ADMIT_UPDATE, CK_ADMIT_DELETE } ck_admit_op;

typedef struct ck_admission_plugin {
    const char *name; /* upstream's plugin name, e.g. "NamespaceLifecycle" */
    /* obj is the incoming object (may be mutated; for DELETE the stored one),
     * old the stored one (NULL on create). 0 admits, -1 refuses with ctx->st. */
    int (*admit)(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
} ck_admission_plugin;

/* Runs every plugin in order. */
int ck_admit(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);

int ck_admit_namespace_lifecycle(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
int ck_admit_service_account(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
int ck_admit_runtime_class(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
/* Priority (priority.c): spec.priority/preemptionPolicy from the PriorityClass. */
int ck_admit_priority(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
int ck_admit_default_toleration_seconds(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
/* LimitRanger (limit_ranger.c) and ResourceQuota (resource_quota.c). */
int ck_admit_limit_ranger(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
int ck_admit_resource_quota(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old);
#endif
