/* test_strategicpatch.c: strategic merge patch against a small pod-like schema
 * and the mergingList/mergingIntList schema of upstream's
 * k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go (Current +
 * ThreeWay -> Result cases). */
#include <stdlib.h>
#include <string.h>
#include "api/patch.h"
#include "util/cktest.h"

static const ck_field str_f = {.type = CK_STRING};
static const ck_field int_f = {.type = CK_INT};
static const ck_field port_fields[] = {
    {.name = "containerPort", .type = CK_INT}, {.name = "protocol", .type = CK_STRING}, {0}};
static const ck_field port_f = {.type = CK_OBJECT, .fields = port_fields};
static const ck_field env_fields[] = {{.name = "name", .type = CK_STRING}, {.name = "value", .type = CK_STRING}, {0}};
static const ck_field env_f = {.type = CK_OBJECT, .fields = env_fields};
static const ck_field container_fields[] = {
    {.name = "name", .type = CK_STRING},
    {.name = "image", .type = CK_STRING},
    {.name = "ports", .type = CK_ARRAY, .items = &port_f, .merge_key = "containerPort", .patch_strategy = "merge"},
    {.name = "env", .type = CK_ARRAY, .items = &env_f, .merge_key = "name", .patch_strategy = "merge"},
    {.name = "args", .type = CK_ARRAY, .items = &str_f},
    {0}};
static const ck_field container_f = {.type = CK_OBJECT, .fields = container_fields};
static const ck_field strategy_fields[] = {{.name = "type", .type = CK_STRING}, {.name = "rollingUpdate", .type = CK_ANY}, {0}};
static const ck_field spec_fields[] = {
    {.name = "containers", .type = CK_ARRAY, .items = &container_f, .merge_key = "name", .patch_strategy = "merge"},
    {.name = "strategy", .type = CK_OBJECT, .fields = strategy_fields, .patch_strategy = "retainKeys"},
    {.name = "nodeSelector", .type = CK_MAP, .items = &str_f, .patch_strategy = "replace"},
    {0}};
static const ck_field meta_fields[] = {
    {.name = "name", .type = CK_STRING},
    {.name = "labels", .type = CK_MAP, .items = &str_f},
    {.name = "finalizers", .type = CK_ARRAY, .items = &str_f, .patch_strategy = "merge"},
    {0}};
/* upstream's mergeItem test struct */
static const ck_field merge_item_fields[] = {
    {.name = "name", .type = CK_STRING}, {.name = "value", .type = CK_STRING}, {.name = "other", .type = CK_STRING}, {0}};
static const ck_field merge_item_f = {.type = CK_OBJECT, .fields = merge_item_fields};
static const ck_field retain_fields[] = {{.name = "name", .type = CK_STRING}, {.name = "value", .type = CK_STRING}, {.name = "other", .type = CK_STRING}, {0}};
static const ck_field root_fields[] = {
    {.name = "metadata", .type = CK_OBJECT, .fields = meta_fields},
    {.name = "spec", .type = CK_OBJECT, .fields = spec_fields},
    {.name = "mergingList", .type = CK_ARRAY, .items = &merge_item_f, .merge_key = "name", .patch_strategy = "merge"},
    {.name = "mergingIntList", .type = CK_ARRAY, .items = &int_f, .patch_strategy = "merge"},
    {.name = "nonMergingList", .type = CK_ARRAY, .items = &merge_item_f},
    {.name = "retainKeysMap", .type = CK_OBJECT, .fields = retain_fields, .patch_strategy = "retainKeys"},
    {0}};
static const ck_field root = {.type = CK_OBJECT, .fields = root_fields};

/* Applies patch to doc with the test schema and compares with want (order-sensitive). */
static void expect(const char *doc, const char *patch, const char *want)
{
    json_t *d = json_loads(doc, 0, NULL), *p = json_loads(patch, 0, NULL), *w = json_loads(want, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    char *pd = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS), *dd = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    char err[512];
    json_t *got = ck_strategic_merge_patch_apply(d, p, &root, err, sizeof err);
    if (!got) fprintf(stderr, "patch %s failed: %s\n", patch, err);
    CU_ASSERT_PTR_NOT_NULL(got);
    if (got && !json_equal(got, w)) {
        char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
        fprintf(stderr, "patch %s\n got  %s\n want %s\n", patch, g, want);
        free(g);
    }
    CU_ASSERT_TRUE(got && json_equal(got, w));
    /* inputs untouched */
    char *pd2 = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS), *dd2 = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    CU_ASSERT_STRING_EQUAL(pd, pd2);
    CU_ASSERT_STRING_EQUAL(dd, dd2);
    free(pd); free(pd2); free(dd); free(dd2);
    json_decref(got);
    json_decref(d);
    json_decref(p);
    json_decref(w);
}

static void expect_error(const char *doc, const char *patch, const char *want_substr)
{
    json_t *d = json_loads(doc, 0, NULL), *p = json_loads(patch, 0, NULL);
    char err[512] = "";
    json_t *got = ck_strategic_merge_patch_apply(d, p, &root, err, sizeof err);
    CU_ASSERT_PTR_NULL(got);
    if (!strstr(err, want_substr)) fprintf(stderr, "patch %s: error %s, want %s\n", patch, err, want_substr);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want_substr));
    json_decref(got);
    json_decref(d);
    json_decref(p);
}

static void test_maps_and_nulls(void)
{
    expect("{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"1\",\"y\":\"2\"}}}",
           "{\"metadata\":{\"labels\":{\"y\":null,\"z\":\"3\"}}}",
           "{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"1\",\"z\":\"3\"}}}");
    expect("{\"a\":1}", "{\"b\":null}", "{\"a\":1}");
    expect("{\"a\":{\"b\":1}}", "{\"a\":\"s\"}", "{\"a\":\"s\"}");
    /* $patch: replace on a map, $patch: delete on a map */
    expect("{\"metadata\":{\"labels\":{\"x\":\"1\",\"y\":\"2\"}}}",
           "{\"metadata\":{\"labels\":{\"$patch\":\"replace\",\"z\":\"3\"}}}",
           "{\"metadata\":{\"labels\":{\"z\":\"3\"}}}");
    expect("{\"metadata\":{\"labels\":{\"x\":\"1\"}},\"k\":1}", "{\"metadata\":{\"labels\":{\"$patch\":\"delete\"}}}",
           "{\"metadata\":{\"labels\":{}},\"k\":1}");
    /* patchStrategy replace on a map field */
    expect("{\"spec\":{\"nodeSelector\":{\"a\":\"1\"}}}", "{\"spec\":{\"nodeSelector\":{\"b\":\"2\"}}}",
           "{\"spec\":{\"nodeSelector\":{\"b\":\"2\"}}}");
    /* a new key with directives inside is applied, not stored */
    expect("{}", "{\"metadata\":{\"labels\":{\"$patch\":\"replace\",\"a\":\"b\"}}}", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    expect("{}", "{\"metadata\":{\"labels\":{\"a\":\"b\",\"c\":null}}}", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    expect_error("{}", "{\"$patch\":\"merge\"}", "unexpected patch type: \"merge\" in map:");
}

static void test_merge_key_lists(void)
{
    const char *pod = "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"i1\",\"ports\":[{\"containerPort\":80}]},"
                      "{\"name\":\"b\",\"image\":\"i2\",\"args\":[\"x\"]}]}}";
    /* change one container's image, others untouched */
    expect(pod, "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"i3\"}]}}",
           "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"i1\",\"ports\":[{\"containerPort\":80}]},"
           "{\"name\":\"b\",\"image\":\"i3\",\"args\":[\"x\"]}]}}");
    /* nested merge keys: add a port to container a; atomic args replaced */
    expect(pod, "{\"spec\":{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":443,\"protocol\":\"TCP\"}]},"
                "{\"name\":\"b\",\"args\":[\"y\",\"z\"]}]}}",
           "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"i1\",\"ports\":[{\"containerPort\":443,\"protocol\":\"TCP\"},{\"containerPort\":80}]},"
           "{\"name\":\"b\",\"image\":\"i2\",\"args\":[\"y\",\"z\"]}]}}");
    /* $patch: delete of a list element */
    expect(pod, "{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"delete\"}]}}",
           "{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"i2\",\"args\":[\"x\"]}]}}");
    /* $patch: replace in a list */
    expect(pod, "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i9\"},{\"$patch\":\"replace\"}]}}",
           "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i9\"}]}}");
    /* merging into a list the original lacks */
    expect("{\"spec\":{}}", "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}}",
           "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}}");
    /* non-merging list: replaced */
    expect("{\"nonMergingList\":[{\"name\":\"1\"},{\"name\":\"2\"}]}", "{\"nonMergingList\":[{\"name\":\"3\"}]}",
           "{\"nonMergingList\":[{\"name\":\"3\"}]}");
    /* schema NULL: lists replaced */
    json_t *d = json_loads(pod, 0, NULL), *p = json_loads("{\"spec\":{\"containers\":[{\"name\":\"z\"}]}}", 0, NULL);
    json_t *g = ck_strategic_merge_patch_apply(d, p, NULL, NULL, 0);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(json_object_get(g, "spec"), "containers")), 1);
    json_decref(g); json_decref(d); json_decref(p);
    expect_error(pod, "{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}", "does not contain declared merge key: name");
    expect_error(pod, "{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"merge\"}]}}",
                 "merging lists cannot yet be specified in the patch");
    expect_error(pod, "{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"bogus\"}]}}", "unexpected patch type: \"bogus\"");
    expect_error(pod, "{\"spec\":{\"containers\":[{\"name\":\"a\"},\"s\"]}}", "list element types are not identical");
    expect_error("{\"mergingIntList\":[[2]]}", "{\"mergingIntList\":[[1]]}", "lists of lists are not supported");
    expect_error("[]", "{}", "invalid JSON document");
}

static void test_primitive_lists(void)
{
    expect("{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}", "{\"metadata\":{\"finalizers\":[\"c\",\"a\"]}}",
           "{\"metadata\":{\"finalizers\":[\"c\",\"a\",\"b\"]}}");
    expect("{\"metadata\":{\"finalizers\":[\"a\",\"b\",\"c\"]}}", "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"b\"]}}",
           "{\"metadata\":{\"finalizers\":[\"a\",\"c\"]}}");
    expect("{\"metadata\":{}}", "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"b\"]}}", "{\"metadata\":{}}");
    expect_error("{}", "{\"$deleteFromPrimitiveListfoo\":[1]}", "invalid patch format of primitive list");
    /* upstream "delete an item in a int list and preserve order" */
    expect("{\"mergingIntList\":[1,2,3]}",
           "{\"$setElementOrder/mergingIntList\":[2,1],\"$deleteFromPrimitiveList/mergingIntList\":[3]}",
           "{\"mergingIntList\":[2,1]}");
    /* "add and delete an item in a int list and preserve order" */
    expect("{\"mergingIntList\":[1,2,3]}",
           "{\"$setElementOrder/mergingIntList\":[4,2,1],\"mergingIntList\":[4],\"$deleteFromPrimitiveList/mergingIntList\":[3]}",
           "{\"mergingIntList\":[4,2,1]}");
    /* "add multiple items in a int list and preserve order" */
    expect("{\"mergingIntList\":[1,2]}", "{\"$setElementOrder/mergingIntList\":[1,4,2,3],\"mergingIntList\":[4,3]}",
           "{\"mergingIntList\":[1,4,2,3]}");
    /* "set elements order in a int list with server-only items 3" */
    expect("{\"mergingIntList\":[1,2,7,9,8,3,4]}", "{\"$setElementOrder/mergingIntList\":[2,1,4,3]}",
           "{\"mergingIntList\":[2,1,7,9,8,4,3]}");
}

static void test_set_element_order(void)
{
    /* "add multiple items in a list and preserve order" */
    expect("{\"mergingList\":[{\"name\":\"1\",\"other\":\"a\"},{\"name\":\"2\",\"value\":\"2\",\"other\":\"b\"}]}",
           "{\"$setElementOrder/mergingList\":[{\"name\":\"1\"},{\"name\":\"4\"},{\"name\":\"2\"},{\"name\":\"3\"}],"
           "\"mergingList\":[{\"name\":\"4\",\"value\":\"4\"},{\"name\":\"3\",\"value\":\"3\"}]}",
           "{\"mergingList\":[{\"name\":\"1\",\"other\":\"a\"},{\"name\":\"4\",\"value\":\"4\"},"
           "{\"name\":\"2\",\"value\":\"2\",\"other\":\"b\"},{\"name\":\"3\",\"value\":\"3\"}]}");
    /* "delete an item in a list and preserve order" */
    expect("{\"mergingList\":[{\"name\":\"1\",\"other\":\"a\"},{\"name\":\"2\",\"value\":\"2\",\"other\":\"b\"},{\"name\":\"3\",\"value\":\"3\"}]}",
           "{\"$setElementOrder/mergingList\":[{\"name\":\"2\"},{\"name\":\"1\"}],"
           "\"mergingList\":[{\"name\":\"3\",\"$patch\":\"delete\"}]}",
           "{\"mergingList\":[{\"name\":\"2\",\"value\":\"2\",\"other\":\"b\"},{\"name\":\"1\",\"other\":\"a\"}]}");
    /* "add and delete an item in a list and preserve order" */
    expect("{\"mergingList\":[{\"name\":\"1\",\"other\":\"a\"},{\"name\":\"2\",\"value\":\"2\",\"other\":\"b\"},{\"name\":\"3\",\"value\":\"3\"}]}",
           "{\"$setElementOrder/mergingList\":[{\"name\":\"4\"},{\"name\":\"2\"},{\"name\":\"1\"}],"
           "\"mergingList\":[{\"name\":\"4\",\"value\":\"4\"},{\"name\":\"3\",\"$patch\":\"delete\"}]}",
           "{\"mergingList\":[{\"name\":\"4\",\"value\":\"4\"},{\"name\":\"2\",\"value\":\"2\",\"other\":\"b\"},{\"name\":\"1\",\"other\":\"a\"}]}");
    /* "set elements order in a list with server-only items 2" */
    expect("{\"mergingList\":[{\"name\":\"1\",\"other\":\"a\"},{\"name\":\"2\",\"value\":\"2\"},{\"name\":\"9\"},"
           "{\"name\":\"3\",\"value\":\"3\"},{\"name\":\"4\",\"value\":\"4\"}]}",
           "{\"$setElementOrder/mergingList\":[{\"name\":\"2\"},{\"name\":\"1\"},{\"name\":\"4\"},{\"name\":\"3\"}]}",
           "{\"mergingList\":[{\"name\":\"2\",\"value\":\"2\"},{\"name\":\"1\",\"other\":\"a\"},{\"name\":\"9\"},"
           "{\"name\":\"4\",\"value\":\"4\"},{\"name\":\"3\",\"value\":\"3\"}]}");
    expect_error("{\"mergingList\":[{\"name\":\"1\"}]}",
                 "{\"$setElementOrder/mergingList\":[{\"name\":\"1\"}],\"mergingList\":[{\"name\":\"2\"}]}",
                 "doesn't match $setElementOrder list");
}

static void test_retain_keys(void)
{
    /* "retainKeys map should clear defaulted field with conflict (discriminated union)" */
    expect("{\"retainKeysMap\":{\"name\":\"type1\",\"value\":\"foo\"}}",
           "{\"retainKeysMap\":{\"$retainKeys\":[\"name\",\"other\"],\"name\":\"type2\",\"other\":\"bar\"}}",
           "{\"retainKeysMap\":{\"name\":\"type2\",\"other\":\"bar\"}}");
    /* "retainKeys map adds a field and clear a field" */
    expect("{\"retainKeysMap\":{\"name\":\"foo\",\"other\":\"a\"}}",
           "{\"retainKeysMap\":{\"$retainKeys\":[\"name\",\"value\"],\"value\":\"bar\"}}",
           "{\"retainKeysMap\":{\"name\":\"foo\",\"value\":\"bar\"}}");
    /* Deployment strategy: Recreate clears rollingUpdate */
    expect("{\"spec\":{\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}}}}",
           "{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"}}}",
           "{\"spec\":{\"strategy\":{\"type\":\"Recreate\"}}}");
    expect_error("{\"retainKeysMap\":{}}", "{\"retainKeysMap\":{\"$retainKeys\":[\"name\"],\"value\":\"x\"}}",
                 "invalid patch format of retainKeys");
    expect_error("{}", "{\"retainKeysMap\":{\"$retainKeys\":\"name\"}}", "invalid patch format of retainKeys");
}

int main(void)
{
    static const ck_test tests[] = {
        {"maps, nulls and map directives", test_maps_and_nulls},
        {"lists merged by merge key", test_merge_key_lists},
        {"primitive lists and deletions", test_primitive_lists},
        {"$setElementOrder", test_set_element_order},
        {"$retainKeys", test_retain_keys},
        {NULL, NULL},
    };
    return ck_test_main("strategicpatch", tests, NULL, NULL);
}
