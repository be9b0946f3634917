/* tokenreview.c: authentication.k8s.io/v1 TokenReview (k8s.io/api/authentication/v1),
 * answered by the apiserver's token authenticator and never stored; its only
 * check (a token is required) is the REST Create's 400, not validation. */
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"

static const ck_field extra_value = {.name = "", .type = CK_ARRAY, .items = &ck_field_string};
static const ck_field tr_spec[] = {F_STR("token", PB(1)), F_STRLIST("audiences", PB(2)), F_END};
static const ck_field tr_user[] = {
    F_STR("username", PB(1)), F_STR("uid", PB(2)), F_STRLIST("groups", PB(3)),
    {.name = "extra", .type = CK_MAP, .items = &extra_value, .tag = 4}, F_END};
static const ck_field tr_status[] = {
    F_BOOL("authenticated", PB(1)), F_OBJ("user", tr_user, PB(2)), F_STR("error", PB(3)),
    F_STRLIST("audiences", PB(4)), F_END};
static const ck_field tr_root[] = {F_TYPEMETA, F_OBJ("spec", tr_spec, PB(2)), F_OBJ("status", tr_status, PB(3)), F_END};
const ck_field ck_schema_tokenreview = {
    .name = "", .type = CK_OBJECT, .fields = tr_root,
    .description = "TokenReview attempts to authenticate a token to a known user. Note: TokenReview requests may be "
                   "cached by the webhook token authenticator plugin in the kube-apiserver."};
const ck_column ck_columns_tokenreview[] = {COL_NAME, COL_AGE, {0}};
void ck_defaults_tokenreview(json_t *obj) {}
void ck_validate_tokenreview(const json_t *obj, const json_t *old, ck_errs *errs) {}
