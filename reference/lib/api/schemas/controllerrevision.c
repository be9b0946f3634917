/* controllerrevision.c: apps/v1 ControllerRevision (k8s.io/api/apps/v1),
 * ValidateControllerRevision(Update) (pkg/apis/apps/validation) and
 * printControllerRevision's columns. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field cr_root[] = {
    F_TYPEMETA, F_ANY("data", PB(2)), F_INT("revision", PB(3)), F_END};
const ck_field ck_schema_controllerrevision = {
    .name = "", .type = CK_OBJECT, .fields = cr_root,
    .description = "ControllerRevision implements an immutable snapshot of state data."};

void ck_defaults_controllerrevision(json_t *obj) {}

void ck_validate_controllerrevision(const json_t *obj, const json_t *old, ck_errs *errs)
{
    if (!json_object_get(obj, "data") || json_is_null(json_object_get(obj, "data")))
        ck_errs_required(errs, "data", "data is mandatory");
    json_t *rev = json_object_get(obj, "revision");
    if (json_is_integer(rev) && json_integer_value(rev) < 0)
        ck_errs_invalid(errs, "revision", rev, "must be greater than or equal to 0");
    if (old && !ck_json_equal(json_object_get(obj, "data"), json_object_get(old, "data")))
        ck_errs_invalid(errs, "data", json_object_get(obj, "data"), "field is immutable");
}

/* metav1.GetControllerOf + formatResourceName: "<kind>.<group>/<name>" in
 * lower case kind, "<none>" without a controller. */
static json_t *cell_controller(const json_t *o)
{
    size_t i;
    const json_t *r;
    json_array_foreach(ck_json_path(o, "metadata.ownerReferences"), i, r) {
        if (!json_is_true(json_object_get(r, "controller"))) continue;
        char kind[128], out[512];
        snprintf(kind, sizeof kind, "%s", ck_str(r, "kind"));
        for (char *p = kind; *p; p++) *p = (char)tolower((unsigned char)*p);
        const char *av = ck_str(r, "apiVersion"), *slash = strchr(av, '/');
        if (slash) snprintf(out, sizeof out, "%s.%.*s/%s", kind, (int)(slash - av), av, ck_str(r, "name"));
        else snprintf(out, sizeof out, "%s/%s", kind, ck_str(r, "name"));
        return json_string(out);
    }
    return json_string("<none>");
}
static json_t *cell_revision(const json_t *o) { return json_integer(ck_json_int(o, "revision", 0)); }

const ck_column ck_columns_controllerrevision[] = {
    COL_NAME,
    {.name = "Controller", .type = "string", .format = "", .description = "Controller of the object",
     .cell = cell_controller},
    {.name = "Revision", .type = "integer", .format = "",
     .description = "Revision indicates the revision of the state represented by Data.", .cell = cell_revision},
    COL_AGE, {0}};
