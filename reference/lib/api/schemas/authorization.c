/* authorization.c: the review kinds that are answered, never stored:
 * authorization.k8s.io/v1 SubjectAccessReview, LocalSubjectAccessReview,
 * SelfSubjectAccessReview, SelfSubjectRulesReview (k8s.io/api/authorization/v1)
 * and authentication.k8s.io/v1 SelfSubjectReview, with the spec validation of
 * pkg/apis/authorization/validation/validation.go. */
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

/* ---- schemas --------------------------------------------------------------- */
static const ck_field field_requirement_fields[] = {
    F_STR("key", PB(1)), F_STR("operator", PB(2)), F_STRLIST("values", PB(3)), F_END};
static const ck_field field_requirement = {.name = "", .type = CK_OBJECT, .fields = field_requirement_fields};
static const ck_field field_selector_attrs[] = {
    F_STR("rawSelector", PB(1)), F_LIST("requirements", &field_requirement, PB(2)), F_END};
/* LabelSelectorAttributes: rawSelector + LabelSelectorRequirement list. */
static const ck_field label_selector_attrs[] = {
    F_STR("rawSelector", PB(1)), F_LIST("requirements", &field_requirement, PB(2)), F_END};
static const ck_field resource_attrs[] = {
    F_STR("namespace", PB(1)), F_STR("verb", PB(2)), F_STR("group", PB(3)), F_STR("version", PB(4)),
    F_STR("resource", PB(5)), F_STR("subresource", PB(6)), F_STR("name", PB(7)),
    F_OBJ("fieldSelector", field_selector_attrs, PBP(8)), F_OBJ("labelSelector", label_selector_attrs, PBP(9)), F_END};
static const ck_field non_resource_attrs[] = {F_STR("path", PB(1)), F_STR("verb", PB(2)), F_END};
static const ck_field extra_value = {.name = "", .type = CK_ARRAY, .items = &ck_field_string};
static const ck_field sar_spec[] = {
    F_OBJ("resourceAttributes", resource_attrs, PBP(1)), F_OBJ("nonResourceAttributes", non_resource_attrs, PBP(2)),
    F_STR("user", PB(3)), F_STRLIST("groups", PB(4)), {.name = "extra", .type = CK_MAP, .items = &extra_value, .tag = 5},
    F_STR("uid", PB(6)), F_END};
static const ck_field ssar_spec[] = {
    F_OBJ("resourceAttributes", resource_attrs, PBP(1)), F_OBJ("nonResourceAttributes", non_resource_attrs, PBP(2)),
    F_END};
static const ck_field sar_status[] = {
    F_BOOL("allowed", PB(1)), F_BOOL("denied", PB(4)), F_STR("reason", PB(2)), F_STR("evaluationError", PB(3)), F_END};

static const ck_field sar_root[] = {F_TYPEMETA, F_OBJ("spec", sar_spec, PB(2)), F_OBJ("status", sar_status, PB(3)), F_END};
const ck_field ck_schema_subjectaccessreview = {
    .name = "", .type = CK_OBJECT, .fields = sar_root,
    .description = "SubjectAccessReview checks whether or not a user or group can perform an action."};
const ck_field ck_schema_localsubjectaccessreview = {
    .name = "", .type = CK_OBJECT, .fields = sar_root,
    .description = "LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given "
                   "namespace."};
static const ck_field ssar_root[] = {F_TYPEMETA, F_OBJ("spec", ssar_spec, PB(2)), F_OBJ("status", sar_status, PB(3)), F_END};
const ck_field ck_schema_selfsubjectaccessreview = {
    .name = "", .type = CK_OBJECT, .fields = ssar_root,
    .description = "SelfSubjectAccessReview checks whether or the current user can perform an action."};

static const ck_field resource_rule_fields[] = {
    F_STRLIST("verbs", PB(1)), F_STRLIST("apiGroups", PB(2)), F_STRLIST("resources", PB(3)),
    F_STRLIST("resourceNames", PB(4)), F_END};
static const ck_field resource_rule = {.name = "", .type = CK_OBJECT, .fields = resource_rule_fields};
static const ck_field non_resource_rule_fields[] = {F_STRLIST("verbs", PB(1)), F_STRLIST("nonResourceURLs", PB(2)), F_END};
static const ck_field non_resource_rule = {.name = "", .type = CK_OBJECT, .fields = non_resource_rule_fields};
static const ck_field ssrr_spec[] = {F_STR("namespace", PB(1)), F_END};
static const ck_field ssrr_status[] = {
    F_LIST("resourceRules", &resource_rule, PB(1)), F_LIST("nonResourceRules", &non_resource_rule, PB(2)),
    F_BOOL("incomplete", PB(3)), F_STR("evaluationError", PB(4)), F_END};
static const ck_field ssrr_root[] = {F_TYPEMETA, F_OBJ("spec", ssrr_spec, PB(2)), F_OBJ("status", ssrr_status, PB(3)), F_END};
const ck_field ck_schema_selfsubjectrulesreview = {
    .name = "", .type = CK_OBJECT, .fields = ssrr_root,
    .description = "SelfSubjectRulesReview enumerates the set of actions the current user can perform within a "
                   "namespace."};

/* authentication/v1 UserInfo. */
static const ck_field user_info_fields[] = {
    F_STR("username", PB(1)), F_STR("uid", PB(2)), F_STRLIST("groups", PB(3)),
    {.name = "extra", .type = CK_MAP, .items = &extra_value, .tag = 4}, F_END};
static const ck_field ssr_status[] = {F_OBJ("userInfo", user_info_fields, PB(1)), F_END};
static const ck_field ssr_root[] = {F_TYPEMETA, F_OBJ("status", ssr_status, PB(2)), F_END};
const ck_field ck_schema_selfsubjectreview = {
    .name = "", .type = CK_OBJECT, .fields = ssr_root,
    .description = "SelfSubjectReview contains the user information that the kube-apiserver has about the user "
                   "making this request."};

/* Upstream has no TableConvertor for reviews (as=Table is a 406, see
 * apiserver/registry/review.c); these columns only keep the table uniform. */
const ck_column ck_columns_subjectaccessreview[] = {COL_NAME, COL_AGE, {0}};
const ck_column ck_columns_localsubjectaccessreview[] = {COL_NAME, COL_AGE, {0}};
const ck_column ck_columns_selfsubjectaccessreview[] = {COL_NAME, COL_AGE, {0}};
const ck_column ck_columns_selfsubjectrulesreview[] = {COL_NAME, COL_AGE, {0}};
const ck_column ck_columns_selfsubjectreview[] = {COL_NAME, COL_AGE, {0}};

void ck_defaults_subjectaccessreview(json_t *obj) {}
void ck_defaults_localsubjectaccessreview(json_t *obj) {}
void ck_defaults_selfsubjectaccessreview(json_t *obj) {}
void ck_defaults_selfsubjectrulesreview(json_t *obj) {}
void ck_defaults_selfsubjectreview(json_t *obj) {}

/* ---- validation ------------------------------------------------------------ */

/* ValidateSelfSubjectAccessReviewSpec: exactly one of the attribute kinds. */
static void validate_attributes(const json_t *spec, ck_errs *errs)
{
    const json_t *ra = json_object_get(spec, "resourceAttributes");
    const json_t *nra = json_object_get(spec, "nonResourceAttributes");
    bool has_ra = json_is_object(ra), has_nra = json_is_object(nra);
    if (has_ra && has_nra)
        ck_errs_add(errs, "FieldValueInvalid", "spec.nonResourceAttributes",
                    "Invalid value: \"object\": cannot be specified in combination with resourceAttributes");
    if (!has_ra && !has_nra)
        ck_errs_add(errs, "FieldValueInvalid", "spec.resourceAttributes",
                    "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be "
                    "specified");
}

/* ValidateSubjectAccessReviewSpec: attributes, then a user or a group. */
static void validate_sar_spec(const json_t *spec, ck_errs *errs)
{
    validate_attributes(spec, errs);
    if (!*ck_str(spec, "user") && json_array_size(json_object_get(spec, "groups")) == 0)
        ck_errs_invalid_str(errs, "spec.user", "", "at least one of user or group must be specified");
}

void ck_validate_subjectaccessreview(const json_t *obj, const json_t *old, ck_errs *errs)
{
    validate_sar_spec(json_object_get(obj, "spec"), errs);
}

/* ValidateLocalSubjectAccessReview: the attributes' namespace is the object's. */
void ck_validate_localsubjectaccessreview(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    validate_sar_spec(spec, errs);
    const json_t *ra = json_object_get(spec, "resourceAttributes");
    const char *ns = ck_json_str(obj, "metadata.namespace", "");
    if (json_is_object(ra) && strcmp(ck_str(ra, "namespace"), ns) != 0)
        ck_errs_invalid_str(errs, "spec.resourceAttributes.namespace", ck_str(ra, "namespace"),
                            "must match metadata.namespace");
}

void ck_validate_selfsubjectaccessreview(const json_t *obj, const json_t *old, ck_errs *errs)
{
    validate_attributes(json_object_get(obj, "spec"), errs);
}

void ck_validate_selfsubjectrulesreview(const json_t *obj, const json_t *old, ck_errs *errs) {}
void ck_validate_selfsubjectreview(const json_t *obj, const json_t *old, ck_errs *errs) {}
