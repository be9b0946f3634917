/* pending_h3b.c: TEMPORARY weak placeholders for the symbols that
 * schemas/pod.c, podspec.c, service.c and workloads.c define, so the shared
 * build links before those files land. Their strong definitions override
 * these; DELETE THIS FILE once schemas/pod.c etc. are in the tree. */
#include "api/schemas/schemas.h"

#define WEAK __attribute__((weak))

/* A root that keeps apiVersion/kind/metadata typed and everything else as is. */
static const ck_field placeholder_fields[] = {
    {.name = "apiVersion", .type = CK_STRING},
    {.name = "kind", .type = CK_STRING},
    {.name = "metadata", .type = CK_ANY},
    {.name = "spec", .type = CK_ANY},
    {.name = "status", .type = CK_ANY},
    {.name = "template", .type = CK_ANY},
    {0},
};

WEAK const ck_field ck_schema_pod_spec = {.name = "spec", .type = CK_ANY};
WEAK const ck_field ck_schema_pod_template_spec = {.name = "template", .type = CK_ANY};
WEAK void ck_validate_pod_spec(const json_t *spec, const char *path, ck_errs *errs) {}
WEAK void ck_defaults_pod_spec(json_t *spec) {}

#define PLACEHOLDER(n)                                                                   \
    WEAK const ck_field ck_schema_##n = {.name = "", .type = CK_OBJECT,                  \
                                         .fields = placeholder_fields};                  \
    WEAK const ck_column ck_columns_##n[2] = {                                           \
        {.name = "Name", .type = "string", .format = "name", .json_path = "metadata.name"}, \
        {0}};                                                                            \
    WEAK void ck_defaults_##n(json_t *obj) {}                                            \
    WEAK void ck_validate_##n(const json_t *obj, const json_t *old, ck_errs *errs) {}

PLACEHOLDER(pod)
PLACEHOLDER(podtemplate)
PLACEHOLDER(service)
PLACEHOLDER(replicationcontroller)
PLACEHOLDER(replicaset)
PLACEHOLDER(deployment)
