/* runtimeclass.c: node.k8s.io/v1 RuntimeClass (cluster-scoped): schema,
 * ValidateRuntimeClass(Update) (pkg/apis/node/validation) and
 * printRuntimeClass's columns. */
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field toleration = {.name = "", .type = CK_ANY};
static const ck_field overhead_fields[] = {F_QTYMAP("podFixed", PB(1)), F_END};
static const ck_field scheduling_fields[] = {
    F_STRMAP("nodeSelector", PB(1)), {.name = "tolerations", .type = CK_ARRAY, .items = &toleration, .tag = 2},
    F_END};
static const ck_field rc_root[] = {
    F_TYPEMETA, F_STR("handler", PB(2)), F_OBJ("overhead", overhead_fields, PBP(3)),
    F_OBJ("scheduling", scheduling_fields, PBP(4)), F_END};
const ck_field ck_schema_runtimeclass = {
    .name = "", .type = CK_OBJECT, .fields = rc_root,
    .description = "RuntimeClass defines a class of container runtime supported in the cluster."};

void ck_defaults_runtimeclass(json_t *obj) {}

void ck_validate_runtimeclass(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const char *h = ck_str(obj, "handler");
    if (!*h) ck_errs_required(errs, "handler", NULL);
    else ck_validate_dns1123_label(h, "handler", errs);
    const json_t *ns = ck_json_path(obj, "scheduling.nodeSelector");
    if (json_is_object(ns)) ck_validate_labels(ns, "scheduling.nodeSelector", errs);
    if (old && strcmp(h, ck_str(old, "handler")))
        ck_errs_invalid_str(errs, "handler", h, "field is immutable");
}

const ck_column ck_columns_runtimeclass[] = {
    COL_NAME,
    {.name = "Handler", .type = "string", .format = "",
     .description = "handler specifies the underlying runtime and configuration that the CRI implementation will use "
                    "to handle pods of this class. The possible values are specific to the node & CRI configuration.  "
                    "It is assumed that all handlers are available on every node, and handlers of the same name are "
                    "equivalent on every node. For example, a handler called \"runc\" might specify that the runc OCI "
                    "runtime (using native Linux containers) will be used to run the containers in a pod. The Handler "
                    "must be lowercase, conform to the DNS Label (RFC 1123) requirements, and is immutable.",
     .json_path = "handler"},
    COL_AGE, {0}};
