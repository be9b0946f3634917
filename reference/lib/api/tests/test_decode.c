/* test_decode.c: JSON and YAML bodies, duplicate field paths, unknown field
 * pruning, schema defaults, type mismatches and the strict/warn wording of
 * k8s.io/apiserver's field validation. */
#include <string.h>
#include "api/decode.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *dec(const char *ct, const char *body, json_t **dups, ck_status *st)
{
    return ck_decode_body(ct, body, strlen(body), dups, st);
}

static void test_json(void)
{
    ck_status st = {0};
    json_t *dups = NULL;
    json_t *o = dec("application/json; charset=utf-8",
                    "{\"metadata\":{\"name\":\"a\",\"name\":\"b\"},\"spec\":{\"x\":[{\"k\":1,\"k\":2}]}}",
                    &dups, &st);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.name", ""), "b"); /* last wins, as in Go */
    CU_ASSERT_EQUAL(json_array_size(dups), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(dups, 0)), "metadata.name");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(dups, 1)), "spec.x[0].k");
    json_decref(o);
    json_decref(dups);

    o = dec("application/json", "{\"a\":\"x\\\"y\",\"b\":{}}", &dups, &st);
    CU_ASSERT_PTR_NOT_NULL(o);
    CU_ASSERT_PTR_NULL(dups);
    json_decref(o);

    CU_ASSERT_PTR_NULL(dec("application/json", "{\"a\":", &dups, &st));
    CU_ASSERT_EQUAL(st.code, 400);
    CU_ASSERT_STRING_EQUAL(st.reason, "BadRequest");
    CU_ASSERT_PTR_NULL(dec("application/json", "[1]", NULL, &st));
    CU_ASSERT_EQUAL(st.code, 400);
    CU_ASSERT_PTR_NULL(dec("text/plain", "{}", NULL, &st));
    CU_ASSERT_EQUAL(st.code, 415);
    o = dec("application/merge-patch+json", "{}", NULL, &st);
    CU_ASSERT_PTR_NOT_NULL(o);
    json_decref(o);
    ck_status_clear(&st);
}

static void test_yaml(void)
{
    ck_status st = {0};
    json_t *dups = NULL;
    const char *y =
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: cm\n"
        "  labels: {a: 'yes'}\n"
        "  name: cm2\n"
        "data:\n"
        "  num: 10\n"
        "  f: 1.5\n"
        "  b: yes\n"
        "  z: ~\n"
        "  s: \"10\"\n"
        "  o: 0o7\n"
        "  list: [1, two, &x {k: v}, *x]\n";
    json_t *o = dec("application/yaml", y, &dups, &st);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.name", ""), "cm2");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.labels.a", ""), "yes");
    CU_ASSERT_EQUAL(json_array_size(dups), 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(dups, 0)), "metadata.name");
    CU_ASSERT_TRUE(json_is_integer(ck_json_path(o, "data.num")));
    CU_ASSERT_TRUE(json_is_real(ck_json_path(o, "data.f")));
    CU_ASSERT_TRUE(json_is_true(ck_json_path(o, "data.b")));
    CU_ASSERT_TRUE(json_is_null(ck_json_path(o, "data.z")));
    CU_ASSERT_TRUE(json_is_string(ck_json_path(o, "data.s")));
    CU_ASSERT_TRUE(json_is_string(ck_json_path(o, "data.o"))); /* 0o is YAML 1.2 only: a string in go-yaml v2 */
    json_t *list = ck_json_path(o, "data.list");
    CU_ASSERT_EQUAL(json_array_size(list), 4);
    CU_ASSERT_TRUE(json_equal(json_array_get(list, 2), json_array_get(list, 3)));
    json_decref(o);
    json_decref(dups);

    CU_ASSERT_PTR_NULL(dec("application/yaml", "a: [1, 2\n", &dups, &st));
    CU_ASSERT_EQUAL(st.code, 400);
    CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "error converting YAML to JSON"));
    CU_ASSERT_PTR_NULL(dups);
    CU_ASSERT_PTR_NULL(dec("application/yaml", "", NULL, &st));
    CU_ASSERT_EQUAL(st.code, 400);
    ck_status_clear(&st);
}

static void test_prune_and_strict(void)
{
    const ck_kind *k = ck_kind_by_resource("", "v1", "endpoints");
    json_t *o = json_pack("{s:s,s:s,s:{s:s,s:i},s:[{s:[{s:i,s:s}],s:i}],s:i}", "apiVersion", "v1",
                          "kind", "Endpoints", "metadata", "name", "e", "bogus", 1, "subsets",
                          "ports", "port", 80, "extra", "x", "foo", 2, "top", 3);
    json_t *unknown = json_array();
    ck_prune_unknown(k, o, unknown);
    CU_ASSERT_EQUAL(json_array_size(unknown), 4);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(unknown, 0)), "metadata.bogus");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(unknown, 1)), "subsets[0].ports[0].extra");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(unknown, 2)), "subsets[0].foo");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(unknown, 3)), "top");
    CU_ASSERT_PTR_NULL(ck_json_path(o, "metadata.bogus"));
    CU_ASSERT_PTR_NULL(json_object_get(o, "top"));
    /* defaults: Endpoints port protocol TCP */
    ck_apply_defaults(k, o);
    json_t *port = json_array_get(json_object_get(json_array_get(json_object_get(o, "subsets"), 0), "ports"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(port, "protocol", ""), "TCP");

    ck_status st = {0};
    json_t *dups = json_pack("[s]", "metadata.name");
    CU_ASSERT_EQUAL(ck_strict_error(k, unknown, dups, &st), -1);
    CU_ASSERT_EQUAL(st.code, 400);
    CU_ASSERT_STRING_EQUAL(st.message,
        "Endpoints in version \"v1\" cannot be handled as a Endpoints: strict decoding error: "
        "unknown field \"metadata.bogus\", unknown field \"subsets[0].ports[0].extra\", "
        "unknown field \"subsets[0].foo\", unknown field \"top\", duplicate field \"metadata.name\"");
    CU_ASSERT_EQUAL(ck_strict_error(k, NULL, NULL, &st), 0);
    json_t *w = ck_field_warnings(NULL, dups);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(w, 0)), "duplicate field \"metadata.name\"");
    json_decref(w);
    json_decref(dups);
    json_decref(unknown);
    json_decref(o);
    ck_status_clear(&st);
}

static void test_types(void)
{
    const ck_kind *k = ck_kind_by_resource("coordination.k8s.io", "v1", "leases");
    ck_status st = {0};
    json_t *o = json_pack("{s:{s:s,s:n},s:{s:s}}", "metadata", "name", "l", "creationTimestamp",
                          "spec", "leaseDurationSeconds", "ten");
    CU_ASSERT_EQUAL(ck_check_types(k, o, &st), -1);
    CU_ASSERT_EQUAL(st.code, 400);
    CU_ASSERT_STRING_EQUAL(st.message,
        "Lease in version \"v1\" cannot be handled as a Lease: json: cannot unmarshal string into "
        "Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32");
    json_object_set_new(json_object_get(o, "spec"), "leaseDurationSeconds", json_integer(10));
    CU_ASSERT_EQUAL(ck_check_types(k, o, &st), 0);
    json_object_set_new(json_object_get(o, "metadata"), "labels", json_pack("{s:i}", "a", 1));
    CU_ASSERT_EQUAL(ck_check_types(k, o, &st), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(st.message, "ObjectMeta.metadata.labels[a] of type string"));
    json_decref(o);
    ck_status_clear(&st);
}

int main(void)
{
    static const ck_test tests[] = {
        {"JSON bodies and duplicate paths", test_json},
        {"YAML bodies, scalar typing, anchors", test_yaml},
        {"pruning, defaults, strict wording", test_prune_and_strict},
        {"type mismatches are 400s", test_types},
        {NULL, NULL},
    };
    return ck_test_main("decode", tests, NULL, NULL);
}
