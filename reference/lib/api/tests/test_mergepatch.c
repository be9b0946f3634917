/* test_mergepatch.c: JSON Merge Patch with the test cases of RFC 7386 appendix A. */
#include <stdlib.h>
#include <string.h>
#include "api/patch.h"
#include "util/cktest.h"

static void expect(const char *doc, const char *patch, const char *want)
{
    json_t *d = json_loads(doc, JSON_DECODE_ANY, NULL), *p = json_loads(patch, JSON_DECODE_ANY, NULL);
    json_t *w = json_loads(want, JSON_DECODE_ANY, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    char *before = json_dumps(d, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *got = ck_merge_patch_apply(d, p);
    if (!got || !json_equal(got, w)) {
        char *g = got ? json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        fprintf(stderr, "%s + %s = %s, want %s\n", doc, patch, g ? g : "NULL", want);
        free(g);
    }
    CU_ASSERT_TRUE(got && json_equal(got, w));
    char *after = json_dumps(d, JSON_COMPACT | JSON_ENCODE_ANY);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(before);
    free(after);
    json_decref(got);
    json_decref(d);
    json_decref(p);
    json_decref(w);
}

static void test_rfc7386(void)
{
    expect("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    expect("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}");
    expect("{\"a\":\"b\"}", "{\"a\":null}", "{}");
    expect("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}");
    expect("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    expect("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}");
    expect("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}");
    expect("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}");
    expect("[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]");
    expect("{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]");
    expect("{\"a\":\"foo\"}", "null", "null");
    expect("{\"a\":\"foo\"}", "\"bar\"", "\"bar\"");
    expect("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}");
    expect("[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}");
    expect("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}");
    /* Kubernetes use: remove a label, set another */
    expect("{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}},\"spec\":{\"replicas\":1}}",
           "{\"metadata\":{\"labels\":{\"a\":null,\"c\":\"3\"}},\"spec\":{\"replicas\":3}}",
           "{\"metadata\":{\"labels\":{\"b\":\"2\",\"c\":\"3\"}},\"spec\":{\"replicas\":3}}");
}

int main(void)
{
    static const ck_test tests[] = {
        {"RFC 7386 appendix A", test_rfc7386},
        {NULL, NULL},
    };
    return ck_test_main("mergepatch", tests, NULL, NULL);
}
