/* meta.c: metav1.ObjectMeta, metav1.LabelSelector, core/v1 ObjectReference
 * (k8s.io/apimachinery/pkg/apis/meta/v1/types.go) and the Table cells every
 * printer shares (Age: k8s.io/apimachinery/pkg/util/duration). */
#include <stdio.h>
#include <time.h>
#include "api/schemas/fields.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

const ck_field ck_field_string = {.name = "", .type = CK_STRING};
const ck_field ck_field_int = {.name = "", .type = CK_INT};
const ck_field ck_field_quantity = {.name = "", .type = CK_QUANTITY};

static const ck_field owner_ref_fields[] = {
    F_STR("apiVersion", PB(5)), F_STR("kind", PB(1)), F_STR("name", PB(3)), F_STR("uid", PB(4)),
    F_BOOL("controller", PBP(6)), F_BOOL("blockOwnerDeletion", PBP(7)), F_END};
static const ck_field owner_ref = {.name = "", .type = CK_OBJECT, .fields = owner_ref_fields};

const ck_field ck_object_meta_fields[] = {
    F_STR("name", PB(1)), F_STR("generateName", PB(2)), F_STR("namespace", PB(3)),
    F_STR("selfLink", PB(4)), F_STR("uid", PB(5)), F_STR("resourceVersion", PB(6)),
    F_INT("generation", PB(7)),
    {.name = "creationTimestamp", .type = CK_TIME, .flags = CK_F_NULLABLE | CK_F_READONLY, .tag = 8},
    {.name = "deletionTimestamp", .type = CK_TIME, .flags = CK_F_READONLY | CK_F_POINTER, .tag = 9},
    F_INT("deletionGracePeriodSeconds", PBP(10)),
    F_STRMAP("labels", PB(11)), F_STRMAP("annotations", PB(12)),
    F_MLIST("ownerReferences", &owner_ref, "uid", PB(13)),
    {.name = "finalizers", .type = CK_ARRAY, .items = &ck_field_string, .patch_strategy = "merge",
     .tag = 14},
    /* Server-side apply bookkeeping: kept verbatim. */
    F_ANY("managedFields"),
    F_END};
const ck_field ck_object_meta_field = {.name = "metadata", .type = CK_OBJECT,
                                       .fields = ck_object_meta_fields,
                                       .description = "Standard object's metadata."};

static const ck_field selector_req_fields[] = {
    F_STR("key", PB(1)), F_STR("operator", PB(2)), F_STRLIST("values", PB(3)), F_END};
static const ck_field selector_req = {.name = "", .type = CK_OBJECT, .fields = selector_req_fields};
static const ck_field label_selector_fields[] = {
    F_STRMAP("matchLabels", PB(1)), F_LIST("matchExpressions", &selector_req, PB(2)), F_END};
const ck_field ck_schema_label_selector = {.name = "selector", .type = CK_OBJECT,
                                           .fields = label_selector_fields};

const ck_field ck_object_reference_fields[] = {
    F_STR("kind", PB(1)), F_STR("namespace", PB(2)), F_STR("name", PB(3)), F_STR("uid", PB(4)),
    F_STR("apiVersion", PB(5)), F_STR("resourceVersion", PB(6)), F_STR("fieldPath", PB(7)), F_END};
const ck_field ck_field_object_reference = {.name = "", .type = CK_OBJECT,
                                            .fields = ck_object_reference_fields};

/* duration.HumanDuration. */
char *ck_human_duration(long long s, char *out, size_t n)
{
    if (s < -1) { snprintf(out, n, "<invalid>"); return out; }
    if (s < 0) s = 0;
    long long m = s / 60, h = s / 3600, d = h / 24;
    if (s < 120) snprintf(out, n, "%llds", s);
    else if (m < 10) {
        if (s % 60 == 0) snprintf(out, n, "%lldm", m);
        else snprintf(out, n, "%lldm%llds", m, s % 60);
    } else if (m < 180) snprintf(out, n, "%lldm", m);
    else if (h < 8) {
        if (m % 60 == 0) snprintf(out, n, "%lldh", h);
        else snprintf(out, n, "%lldh%lldm", h, m % 60);
    } else if (h < 48) snprintf(out, n, "%lldh", h);
    else if (h < 24 * 8) {
        if (h % 24 == 0) snprintf(out, n, "%lldd", d);
        else snprintf(out, n, "%lldd%lldh", d, h % 24);
    } else if (h < 24 * 365 * 2) snprintf(out, n, "%lldd", d);
    else if (h < 24 * 365 * 8) {
        if (d % 365 == 0) snprintf(out, n, "%lldy", d / 365);
        else snprintf(out, n, "%lldy%lldd", d / 365, d % 365);
    } else snprintf(out, n, "%lldy", d / 365);
    return out;
}

/* printers.translateTimestampSince: "<unknown>" for a missing timestamp. */
json_t *ck_cell_age(const json_t *obj)
{
    return ck_cell_age_of(ck_json_str(obj, "metadata.creationTimestamp", NULL));
}

json_t *ck_cell_age_of(const char *ts)
{
    time_t t = ts ? ck_time_parse(ts) : -1;
    if (t < 0) return json_string("<unknown>");
    char buf[32];
    return json_string(ck_human_duration((long long)(time(NULL) - t), buf, sizeof buf));
}
