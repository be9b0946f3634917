/* test_validation.c: ObjectMeta validation and the kinds' hooks, with the
 * messages of k8s.io/apimachinery/pkg/util/validation and
 * pkg/apis/core/validation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/decode.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static const char *field_at(const ck_errs *e, size_t i)
{
    return json_string_value(json_object_get(json_array_get(e->items, i), "field"));
}
static const char *msg_at(const ck_errs *e, size_t i)
{
    return json_string_value(json_object_get(json_array_get(e->items, i), "message"));
}
static bool any_msg(const ck_errs *e, const char *needle)
{
    for (size_t i = 0; i < ck_errs_count(e); i++)
        if (strstr(msg_at(e, i), needle)) return true;
    return false;
}

static void test_names(void)
{
    ck_errs e = CK_ERRS_INIT;
    ck_validate_dns1123_subdomain("example.com", "metadata.name", &e);
    ck_validate_dns1123_label("abc-1", "metadata.name", &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 0);
    ck_validate_dns1123_subdomain("Bad_Name", "metadata.name", &e);
    CU_ASSERT_EQUAL_FATAL(ck_errs_count(&e), 1);
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0),
        "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case "
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
        "(e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    ck_errs_free(&e);
    ck_validate_dns1123_label("a.b", "metadata.name", &e);
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0), "Invalid value: \"a.b\": must not contain dots");
    ck_errs_free(&e);
    char longname[300];
    memset(longname, 'a', 254);
    longname[254] = 0;
    ck_validate_dns1123_subdomain(longname, "metadata.name", &e);
    CU_ASSERT_TRUE(any_msg(&e, "must be no more than 253 characters"));
    ck_errs_free(&e);
    ck_validate_qualified_name("example.com/My_name", "f", &e);
    ck_validate_qualified_name("a/b/c", "f", &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 1);
    CU_ASSERT_TRUE(any_msg(&e, "a qualified name must consist of"));
    ck_errs_free(&e);
    ck_validate_config_key("..x", "data[..x]", &e);
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0), "Invalid value: \"..x\": must not start with '..'");
    ck_errs_free(&e);
    ck_validate_config_key("a b", "data[a b]", &e);
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0),
        "Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' "
        "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')");
    ck_errs_free(&e);
}

static void test_object_meta(void)
{
    const ck_kind *cm = ck_kind_by_resource("", "v1", "configmaps");
    ck_errs e = CK_ERRS_INIT;
    json_t *o = json_pack("{s:{s:s}}", "metadata", "namespace", "default");
    ck_validate_object(cm, o, NULL, &e);
    CU_ASSERT_EQUAL_FATAL(ck_errs_count(&e), 1);
    CU_ASSERT_STRING_EQUAL(field_at(&e, 0), "metadata.name");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0), "Required value: name or generateName is required");
    ck_errs_free(&e);
    json_object_set_new(json_object_get(o, "metadata"), "generateName", json_string("web-"));
    ck_validate_object(cm, o, NULL, &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 0);
    json_object_set_new(json_object_get(o, "metadata"), "labels",
                        json_pack("{s:s,s:s}", "app", "web", "bad key!", "-x"));
    ck_validate_object(cm, o, NULL, &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 2);
    CU_ASSERT_STRING_EQUAL(field_at(&e, 0), "metadata.labels");
    CU_ASSERT_TRUE(any_msg(&e, "name part must consist of alphanumeric characters"));
    CU_ASSERT_TRUE(any_msg(&e, "a valid label must be an empty string"));
    ck_errs_free(&e);
    /* annotations: 256 KiB in total */
    char *big = malloc(256 * 1024 + 1);
    memset(big, 'x', 256 * 1024);
    big[256 * 1024] = 0;
    json_object_set_new(json_object_get(o, "metadata"), "labels", json_object());
    json_object_set_new(json_object_get(o, "metadata"), "annotations", json_pack("{s:s}", "a", big));
    free(big);
    ck_validate_object(cm, o, NULL, &e);
    CU_ASSERT_EQUAL_FATAL(ck_errs_count(&e), 1);
    CU_ASSERT_STRING_EQUAL(field_at(&e, 0), "metadata.annotations");
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0), "Too long: may not be more than 262144 bytes");
    ck_errs_free(&e);
    json_decref(o);

    /* cluster-scoped kinds refuse a namespace; namespaces are DNS labels */
    const ck_kind *ns = ck_kind_by_resource("", "v1", "namespaces");
    o = json_pack("{s:{s:s,s:s}}", "metadata", "name", "a.b", "namespace", "x");
    ck_validate_object(ns, o, NULL, &e);
    CU_ASSERT_TRUE(any_msg(&e, "must not contain dots"));
    CU_ASSERT_TRUE(any_msg(&e, "Forbidden: not allowed on this type"));
    ck_errs_free(&e);
    json_decref(o);

    /* owner references and immutable name on update */
    o = json_pack("{s:{s:s,s:s,s:[{s:s,s:s}]}}", "metadata", "name", "a", "namespace", "d",
                  "ownerReferences", "apiVersion", "v1", "kind", "Pod");
    json_t *old = json_pack("{s:{s:s,s:s}}", "metadata", "name", "b", "namespace", "d");
    ck_validate_object(cm, o, old, &e);
    CU_ASSERT_TRUE(any_msg(&e, "name must not be empty"));
    CU_ASSERT_TRUE(any_msg(&e, "uid must not be empty"));
    CU_ASSERT_TRUE(any_msg(&e, "Invalid value: \"a\": field is immutable"));
    ck_errs_free(&e);
    json_decref(o);
    json_decref(old);
}

static void test_configmap_secret(void)
{
    const ck_kind *cm = ck_kind_by_resource("", "v1", "configmaps");
    ck_errs e = CK_ERRS_INIT;
    json_t *o = json_pack("{s:{s:s,s:s},s:{s:s},s:{s:s},s:b}", "metadata", "name", "c", "namespace",
                          "d", "data", "k", "v", "binaryData", "k", "dg==", "immutable", 1);
    ck_validate_object(cm, o, NULL, &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 2);
    CU_ASSERT_STRING_EQUAL(field_at(&e, 0), "data[k]");
    CU_ASSERT_TRUE(any_msg(&e, "duplicate of key present in binaryData"));
    ck_errs_free(&e);
    json_t *nw = json_deep_copy(o);
    json_object_set_new(nw, "data", json_pack("{s:s}", "k", "changed"));
    json_object_set_new(nw, "immutable", json_false());
    ck_validate_object(cm, nw, o, &e);
    CU_ASSERT_TRUE(any_msg(&e, "Forbidden: field is immutable when `immutable` is set"));
    bool saw_immutable = false, saw_data = false;
    for (size_t i = 0; i < ck_errs_count(&e); i++) {
        saw_immutable |= !strcmp(field_at(&e, i), "immutable");
        saw_data |= !strcmp(field_at(&e, i), "data");
    }
    CU_ASSERT_TRUE(saw_immutable && saw_data);
    ck_errs_free(&e);
    json_decref(nw);
    json_decref(o);

    const ck_kind *sec = ck_kind_by_resource("", "v1", "secrets");
    o = json_pack("{s:{s:s,s:s},s:{s:s}}", "metadata", "name", "s", "namespace", "d", "stringData",
                  "user", "admin");
    ck_apply_defaults(sec, o);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "type", ""), "Opaque");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "data.user", ""), "YWRtaW4=");
    CU_ASSERT_PTR_NULL(json_object_get(o, "stringData"));
    ck_validate_object(sec, o, NULL, &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 0);
    json_t *tls = json_deep_copy(o);
    json_object_set_new(tls, "type", json_string("kubernetes.io/tls"));
    ck_validate_object(sec, tls, o, &e);
    CU_ASSERT_TRUE(any_msg(&e, "Invalid value: \"kubernetes.io/tls\": field is immutable"));
    CU_ASSERT_TRUE(any_msg(&e, "Required value"));
    ck_errs_free(&e);
    json_decref(tls);
    json_decref(o);
}

static void test_other_kinds(void)
{
    ck_errs e = CK_ERRS_INIT;
    const ck_kind *ns = ck_kind_by_resource("", "v1", "namespaces");
    json_t *o = json_pack("{s:{s:s}}", "metadata", "name", "team");
    ck_apply_defaults(ns, o);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status.phase", ""), "Active");
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.labels.kubernetes.io/metadata.name", ""), "");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ck_json_path(o, "metadata.labels"),
                                                             "kubernetes.io/metadata.name")), "team");
    json_decref(o);

    const ck_kind *b = ck_kind_by_resource("", "v1", "bindings");
    o = json_pack("{s:{s:s,s:s},s:{s:s}}", "metadata", "name", "p", "namespace", "d", "target", "kind", "Pod");
    ck_validate_object(b, o, NULL, &e);
    CU_ASSERT_TRUE(any_msg(&e, "Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\""));
    CU_ASSERT_TRUE(any_msg(&e, "Required value"));
    ck_errs_free(&e);
    json_decref(o);

    const ck_kind *ev = ck_kind_by_resource("", "v1", "events");
    o = json_pack("{s:{s:s,s:s},s:{s:s}}", "metadata", "name", "e", "namespace", "d",
                  "involvedObject", "namespace", "other");
    ck_validate_object(ev, o, NULL, &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 1);
    CU_ASSERT_STRING_EQUAL(field_at(&e, 0), "involvedObject.namespace");
    CU_ASSERT_TRUE(any_msg(&e, "does not match event.namespace"));
    ck_errs_free(&e);
    json_decref(o);

    const ck_kind *ev1 = ck_kind_by_kind("events.k8s.io", "Event");
    o = json_pack("{s:{s:s,s:s},s:s,s:i}", "metadata", "name", "e", "namespace", "default", "type",
                  "Odd", "deprecatedCount", 3);
    ck_validate_object(ev1, o, NULL, &e);
    CU_ASSERT_TRUE(any_msg(&e, "has invalid value: Odd"));
    CU_ASSERT_TRUE(any_msg(&e, "needs to be unset"));
    CU_ASSERT_TRUE(ck_errs_count(&e) >= 6); /* eventTime, reportingController, instance, action, reason */
    ck_errs_free(&e);
    json_decref(o);

    const ck_kind *lease = ck_kind_by_resource("coordination.k8s.io", "v1", "leases");
    o = json_pack("{s:{s:s,s:s},s:{s:i}}", "metadata", "name", "l", "namespace", "d", "spec",
                  "leaseDurationSeconds", 0);
    ck_validate_object(lease, o, NULL, &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 1);
    CU_ASSERT_STRING_EQUAL(msg_at(&e, 0), "Invalid value: 0: must be greater than 0");
    ck_errs_free(&e);
    json_decref(o);

    const ck_kind *node = ck_kind_by_resource("", "v1", "nodes");
    o = json_pack("{s:{s:s},s:{s:{s:s}},s:{s:[{s:s,s:s}]}}", "metadata", "name", "n1", "status",
                  "capacity", "cpu", "2", "spec", "taints", "key", "k", "effect", "Sometimes");
    ck_apply_defaults(node, o);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "status.allocatable.cpu", ""), "2");
    ck_validate_object(node, o, NULL, &e);
    CU_ASSERT_EQUAL(ck_errs_count(&e), 1);
    CU_ASSERT_STRING_EQUAL(field_at(&e, 0), "spec.taints[0].effect");
    ck_errs_free(&e);
    /* printer cells */
    const ck_column *c = &node->columns[1];
    json_t *cell = c->cell(o);
    CU_ASSERT_STRING_EQUAL(json_string_value(cell), "Unknown");
    json_decref(cell);
    cell = node->columns[2].cell(o);
    CU_ASSERT_STRING_EQUAL(json_string_value(cell), "<none>");
    json_decref(cell);
    json_decref(o);
}

int main(void)
{
    static const ck_test tests[] = {
        {"name and key validators", test_names},
        {"ObjectMeta rules", test_object_meta},
        {"ConfigMap and Secret rules", test_configmap_secret},
        {"namespace, binding, events, lease, node", test_other_kinds},
        {NULL, NULL},
    };
    return ck_test_main("validation", tests, NULL, NULL);
}
