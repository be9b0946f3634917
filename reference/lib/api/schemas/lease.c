/* lease.c: coordination.k8s.io/v1 Lease: schema
 * (k8s.io/api/coordination/v1/types.go), ValidateLeaseSpec
 * (pkg/apis/coordination/validation) and the Holder printer column. */
#include <string.h>
#include "api/schemas/fields.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field lease_spec[] = {
    F_STR("holderIdentity", PBP(1)), F_INT("leaseDurationSeconds", PBP(2)), F_TIME("acquireTime", PBP(3)),
    F_TIME("renewTime", PBP(4)), F_INT("leaseTransitions", PBP(5)), F_STR("strategy", PBP(6)),
    F_STR("preferredHolder", PBP(7)), F_END};
static const ck_field lease_root[] = {F_TYPEMETA, F_OBJ("spec", lease_spec, PB(2)), F_END};
const ck_field ck_schema_lease = {.name = "", .type = CK_OBJECT, .fields = lease_root};
const ck_column ck_columns_lease[] = {
    COL_NAME,
    {.name = "Holder", .type = "string", .format = "", .description = "holderIdentity contains the identity of the holder of a current lease.",
     .json_path = "spec.holderIdentity"},
    COL_AGE, {0}};

void ck_defaults_lease(json_t *obj) {}

void ck_validate_lease(const json_t *obj, const json_t *old, ck_errs *errs)
{
    json_t *spec = json_object_get(obj, "spec");
    json_t *d = json_object_get(spec, "leaseDurationSeconds");
    if (json_is_integer(d) && json_integer_value(d) <= 0)
        ck_errs_invalid(errs, "spec.leaseDurationSeconds", d, "must be greater than 0");
    json_t *t = json_object_get(spec, "leaseTransitions");
    if (json_is_integer(t) && json_integer_value(t) < 0)
        ck_errs_invalid(errs, "spec.leaseTransitions", t, "must be greater than or equal to 0");
    const char *strategy = ck_json_str(spec, "strategy", "");
    if (*ck_json_str(spec, "preferredHolder", "") && !*strategy)
        ck_errs_forbidden(errs, "spec.preferredHolder", "may only be specified if `strategy` is defined");
    static const char *const strategies[] = {"OldestEmulationVersion", NULL};
    if (*strategy && strcmp(strategy, "OldestEmulationVersion"))
        ck_errs_not_supported(errs, "spec.strategy", strategy, strategies);
}
