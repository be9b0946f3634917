/* test_status.c: field errors and Status JSON, against the messages of
 * k8s.io/apimachinery/pkg/api/errors and pkg/util/validation/field. */
#include <stdlib.h>
#include <string.h>
#include "api/status.h"
#include "util/cktest.h"

static const char *msg_at(const ck_errs *e, size_t i)
{
    return json_string_value(json_object_get(json_array_get(e->items, i), "message"));
}

static void test_field_errors(void)
{
    ck_errs e = CK_ERRS_INIT;
    CU_ASSERT_EQUAL(ck_errs_count(&e), 0);
    ck_errs_required(&e, "spec.containers[0].image", NULL);
    ck_errs_invalid_str(&e, "metadata.name", "A", "bad");
    json_t *three = json_integer(3);
    ck_errs_invalid(&e, "spec.replicas", three, "must be odd");
    json_decref(three);
    static const char *const sup[] = {"Always", "Never", NULL};
    ck_errs_not_supported(&e, "spec.restartPolicy", "Sometimes", sup);
    ck_errs_duplicate(&e, "spec.ports[1].name", "http");
    ck_errs_forbidden(&e, "spec", "may not be changed");
    ck_errs_too_long(&e, "metadata.annotations", 262144);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 7);
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0), "Required value");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 1), "Invalid value: \"A\": bad");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 2), "Invalid value: 3: must be odd");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 3),
                           "Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\"");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 4), "Duplicate value: \"http\"");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 5), "Forbidden: may not be changed");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 6), "Too long: may not be more than 262144 bytes");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(e.items, 3), "reason")),
                           "FieldValueNotSupported");
    ck_errs_free(&e);
    CU_ASSERT_PTR_NULL(e.items);
}

static void test_not_found_json(void)
{
    ck_status st = {0};
    ck_status_not_found(&st, "", "pods", "x");
    CU_ASSERT_EQUAL(st.code, 404);
    CU_ASSERT_STRING_EQUAL(st.message, "pods \"x\" not found");
    json_t *j = ck_status_to_json(&st);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "kind")), "Status");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "status")), "Failure");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "reason")), "NotFound");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "code")), 404);
    json_t *d = json_object_get(j, "details");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(d, "kind")), "pods");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(d, "name")), "x");
    CU_ASSERT_PTR_NULL(json_object_get(d, "group"));
    CU_ASSERT_TRUE(json_is_object(json_object_get(j, "metadata")));
    json_decref(j);
    ck_status_clear(&st);

    ck_status_already_exists(&st, "apps", "deployments", "web");
    CU_ASSERT_EQUAL(st.code, 409);
    CU_ASSERT_STRING_EQUAL(st.reason, "AlreadyExists");
    CU_ASSERT_STRING_EQUAL(st.message, "deployments.apps \"web\" already exists");
    CU_ASSERT_STRING_EQUAL(st.group, "apps");
    ck_status_clear(&st);
}

static void test_conflict_and_others(void)
{
    ck_status st = {0};
    ck_status_conflict(&st, "apps", "deployments", "x",
                       "the object has been modified; please apply your changes to the latest version and try again");
    CU_ASSERT_STRING_EQUAL(st.message,
                           "Operation cannot be fulfilled on deployments.apps \"x\": the object has been "
                           "modified; please apply your changes to the latest version and try again");
    CU_ASSERT_STRING_EQUAL(st.reason, "Conflict");
    ck_status_method_not_allowed(&st, "create", "", "bindings");
    CU_ASSERT_EQUAL(st.code, 405);
    CU_ASSERT_STRING_EQUAL(st.message, "create is not supported on resources of kind \"bindings\"");
    ck_status_internal(&st, "boom %d", 1);
    CU_ASSERT_EQUAL(st.code, 500);
    CU_ASSERT_STRING_EQUAL(st.message, "Internal error occurred: boom 1");
    CU_ASSERT_EQUAL(json_array_size(st.causes), 1);
    ck_status_expired(&st, "too old resource version: %d (%d)", 1, 20);
    CU_ASSERT_EQUAL(st.code, 410);
    CU_ASSERT_STRING_EQUAL(st.reason, "Expired");
    ck_status_bad_request(&st, "bad");
    json_t *j = ck_status_to_json(&st);
    CU_ASSERT_PTR_NULL(json_object_get(j, "details"));
    json_decref(j);
    ck_status_clear(&st);
    json_t *ok = ck_status_success_json("", "pods", "p", "u-1");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ok, "status")), "Success");
    json_decref(ok);
}

static void test_invalid(void)
{
    ck_status st = {0};
    ck_errs e = CK_ERRS_INIT;
    ck_errs_required(&e, "spec.containers[0].image", NULL);
    ck_status_invalid(&st, "", "Pod", "x", &e);
    CU_ASSERT_PTR_NULL(e.items); /* causes moved */
    CU_ASSERT_EQUAL(st.code, 422);
    CU_ASSERT_STRING_EQUAL(st.message, "Pod \"x\" is invalid: spec.containers[0].image: Required value");
    json_t *j = ck_status_to_json(&st);
    json_t *c0 = json_array_get(json_object_get(json_object_get(j, "details"), "causes"), 0);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c0, "reason")), "FieldValueRequired");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c0, "field")), "spec.containers[0].image");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(j, "details"), "kind")), "Pod");
    json_decref(j);

    ck_errs_required(&e, "a", NULL);
    ck_errs_forbidden(&e, "b", "no");
    ck_errs_required(&e, "a", NULL); /* the aggregate drops repeats */
    ck_status_invalid(&st, "apps", "Deployment", "d", &e);
    CU_ASSERT_STRING_EQUAL(st.message,
                           "Deployment.apps \"d\" is invalid: [a: Required value, b: Forbidden: no]");
    CU_ASSERT_EQUAL(json_array_size(st.causes), 3);
    ck_status_clear(&st);
}

int main(void)
{
    static const ck_test tests[] = {
        {"field error bodies", test_field_errors},
        {"NotFound/AlreadyExists and Status JSON", test_not_found_json},
        {"Conflict, MethodNotAllowed, Internal, Expired", test_conflict_and_others},
        {"Invalid single and aggregate", test_invalid},
        {NULL, NULL},
    };
    return ck_test_main("status", tests, NULL, NULL);
}
