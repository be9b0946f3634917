/* test_jsonpatch.c: JSON Patch with the examples of RFC 6902 appendix A and
 * the error classes the apiserver maps to 400 (malformed) and 422 (cannot apply). */
#include <stdlib.h>
#include <string.h>
#include "api/patch.h"
#include "util/cktest.h"

static void expect(const char *doc, const char *ops, const char *want)
{
    json_t *d = json_loads(doc, JSON_DECODE_ANY, NULL), *o = json_loads(ops, 0, NULL);
    json_t *w = json_loads(want, JSON_DECODE_ANY, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    char *before = json_dumps(d, JSON_COMPACT | JSON_ENCODE_ANY);
    char err[256] = "";
    int bad = -1;
    json_t *got = ck_json_patch_apply(d, o, &bad, err, sizeof err);
    if (!got || !json_equal(got, w)) {
        char *g = got ? json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        fprintf(stderr, "%s on %s\n got %s (%s)\n want %s\n", ops, doc, g ? g : "NULL", err, want);
        free(g);
    }
    CU_ASSERT_TRUE(got && json_equal(got, w));
    CU_ASSERT_EQUAL(bad, 0);
    char *after = json_dumps(d, JSON_COMPACT | JSON_ENCODE_ANY);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(before);
    free(after);
    json_decref(got);
    json_decref(d);
    json_decref(o);
    json_decref(w);
}

static void expect_fail(const char *doc, const char *ops, int want_bad, const char *want_err)
{
    json_t *d = json_loads(doc, JSON_DECODE_ANY, NULL), *o = json_loads(ops, JSON_DECODE_ANY, NULL);
    char err[256] = "";
    int bad = -1;
    json_t *got = ck_json_patch_apply(d, o, &bad, err, sizeof err);
    CU_ASSERT_PTR_NULL(got);
    if (bad != want_bad || strcmp(err, want_err)) fprintf(stderr, "%s: bad=%d err=%s\n", ops, bad, err);
    CU_ASSERT_EQUAL(bad, want_bad);
    CU_ASSERT_STRING_EQUAL(err, want_err);
    json_decref(got);
    json_decref(d);
    json_decref(o);
}

static void test_rfc_examples(void)
{
    /* A.1 - A.10 */
    expect("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]", "{\"baz\":\"qux\",\"foo\":\"bar\"}");
    expect("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
           "{\"foo\":[\"bar\",\"qux\",\"baz\"]}");
    expect("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]", "{\"foo\":\"bar\"}");
    expect("{\"foo\":[\"bar\",\"qux\",\"baz\"]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]", "{\"foo\":[\"bar\",\"baz\"]}");
    expect("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
           "{\"baz\":\"boo\",\"foo\":\"bar\"}");
    expect("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
           "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
           "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}");
    expect("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}", "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
           "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}");
    expect("{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
           "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
           "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}");
    expect("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]",
           "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}");
    expect("{\"foo\":[\"bar\"]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]",
           "{\"foo\":[\"bar\",[\"abc\",\"def\"]]}");
    /* A.14: ~ escaping */
    expect("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10},{\"op\":\"add\",\"path\":\"/a~1b\",\"value\":1}]",
           "{\"/\":9,\"~1\":10,\"a/b\":1}");
    expect("{\"a/b\":1,\"m~n\":2}", "[{\"op\":\"remove\",\"path\":\"/a~1b\"},{\"op\":\"replace\",\"path\":\"/m~0n\",\"value\":3}]",
           "{\"m~n\":3}");
    /* A.16: adding an array value */
    expect("{\"foo\":[\"bar\"]}", "[{\"op\":\"copy\",\"from\":\"/foo/0\",\"path\":\"/foo/0\"}]", "{\"foo\":[\"bar\",\"bar\"]}");
    /* whole-document operations, null values, Kubernetes-style label edit */
    expect("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]", "[1]");
    expect("{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/a\",\"value\":null}]", "{\"a\":null}");
    expect("{\"metadata\":{\"labels\":{\"app\":\"x\"}}}",
           "[{\"op\":\"add\",\"path\":\"/metadata/labels/k8s.io~1role\",\"value\":\"db\"},{\"op\":\"test\",\"path\":\"/metadata/labels/app\",\"value\":\"x\"}]",
           "{\"metadata\":{\"labels\":{\"app\":\"x\",\"k8s.io/role\":\"db\"}}}");
    expect("{\"a\":{\"b\":1}}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/a/c\"}]", "{\"a\":{\"b\":1,\"c\":{\"b\":1}}}");
    expect("{\"a\":[]}", "[]", "{\"a\":[]}");
}

static void test_errors(void)
{
    /* cannot apply (422) */
    expect_fail("{\"foo\":\"bar\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]", 0,
                "testing value /baz failed: test failed");
    expect_fail("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]", 0,
                "add operation does not apply: doc is missing path: \"/baz/bat\": missing value");
    expect_fail("{\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/nope\"}]", 0,
                "remove operation does not apply: doc is missing path: \"/nope\": missing value");
    expect_fail("{\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":1}]", 0,
                "replace operation does not apply: doc is missing key: /nope: missing value");
    expect_fail("{\"foo\":\"bar\"}", "[{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/x\"}]", 0,
                "move operation does not apply: doc is missing from path: /nope: missing value");
    expect_fail("{\"foo\":[1]}", "[{\"op\":\"add\",\"path\":\"/foo/5\",\"value\":1}]", 0,
                "Unable to access invalid index: 5: invalid index referenced");
    expect_fail("{\"foo\":{\"a\":1}}", "[{\"op\":\"move\",\"from\":\"/foo\",\"path\":\"/foo/b\"}]", 0,
                "move operation does not apply: doc is missing path: \"/foo/b\": missing value");
    /* the test failure undoes earlier operations: nothing is returned */
    expect_fail("{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/b\",\"value\":2},{\"op\":\"test\",\"path\":\"/b\",\"value\":3}]", 0,
                "testing value /b failed: test failed");
    /* malformed (400) */
    expect_fail("{}", "{\"op\":\"add\"}", 1, "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    expect_fail("{}", "[{\"op\":\"frob\",\"path\":\"/a\"}]", 1, "Unexpected kind: frob");
    expect_fail("{}", "[{\"path\":\"/a\"}]", 1, "Unexpected kind: unknown");
    expect_fail("{}", "[{\"op\":\"add\",\"value\":1}]", 1, "add operation missing path field: missing value");
    expect_fail("{}", "[{\"op\":\"add\",\"path\":\"/a\"}]", 1, "add operation missing value field: missing value");
    expect_fail("{}", "[{\"op\":\"copy\",\"path\":\"/a\"}]", 1, "copy operation missing from field: missing value");
    expect_fail("{}", "[{\"op\":\"add\",\"path\":\"a\",\"value\":1}]", 1, "invalid JSON pointer: a");
    expect_fail("{}", "[{\"op\":\"add\",\"path\":\"/a~2\",\"value\":1}]", 1, "invalid JSON pointer: /a~2");
    expect_fail("{}", "[1]", 1, "invalid JSON patch: an operation is not an object");
}

int main(void)
{
    static const ck_test tests[] = {
        {"RFC 6902 examples", test_rfc_examples},
        {"errors: malformed vs cannot apply", test_errors},
        {NULL, NULL},
    };
    return ck_test_main("jsonpatch", tests, NULL, NULL);
}
