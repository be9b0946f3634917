/* test_selector.c: label and field selectors, with cases from upstream's
 * k8s.io/apimachinery/pkg/labels/selector_test.go and fields/selector_test.go. */
#include <stdlib.h>
#include <string.h>
#include "api/selector.h"
#include "util/cktest.h"

static bool parses(const char *s)
{
    char err[512];
    ck_label_selector *sel = ck_label_selector_parse(s, err, sizeof err);
    ck_label_selector_free(sel);
    return sel != NULL;
}

static void test_label_parse_good_bad(void)
{
    static const char *const good[] = {"x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ",
                                       "x= ,z= ", "!x", "x>1", "x>1,z<5", "x in (a)",
                                       "x in (foo,,baz),y,z notin ()", "example.com/app in (a,b)", NULL};
    static const char *const bad[] = {"x=a||y=b", "x==a==b", "!x=a", "x<a", "x in a", "x in (a",
                                      "x in (a,b", "x=(a,b)", ",x", "x,", "x=a b", "-x", "a/b/c", NULL};
    for (const char *const *s = good; *s; s++) CU_ASSERT_TRUE_FATAL(parses(*s));
    for (const char *const *s = bad; *s; s++) {
        if (parses(*s)) fprintf(stderr, "unexpectedly parsed: %s\n", *s);
        CU_ASSERT_FALSE(parses(*s));
    }
    ck_label_selector *e = ck_label_selector_parse(NULL, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL(e);
    CU_ASSERT_TRUE(ck_label_selector_empty(e));
    ck_label_selector_free(e);
}

static void expect_string(const char *in, const char *want)
{
    char err[512];
    ck_label_selector *s = ck_label_selector_parse(in, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    char *got = ck_label_selector_string(s);
    if (strcmp(got, want)) fprintf(stderr, "%s -> %s, want %s\n", in, got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
    ck_label_selector_free(s);
}

static void test_label_string(void)
{
    /* TestSelectorParse: restring drops spaces; TestDeterministicParse: sorted by key */
    expect_string("x=a,y=b,z=c", "x=a,y=b,z=c");
    expect_string("x= ,z= ", "x=,z=");
    expect_string("x=a,a=x", "a=x,x=a");
    expect_string("a=x,x=a", "a=x,x=a");
    expect_string("x in (c,a,b)", "x in (a,b,c)");
    expect_string("x notin (b, a)", "x notin (a,b)");
    expect_string("!x,y", "!x,y");
    expect_string("x==a", "x==a");
    expect_string("x>1,z<5", "x>1,z<5");
    expect_string("x in (foo,,baz)", "x in (,baz,foo)");
}

static void expect_err(const char *in, const char *want)
{
    char err[1024] = "";
    ck_label_selector *s = ck_label_selector_parse(in, err, sizeof err);
    CU_ASSERT_PTR_NULL(s);
    ck_label_selector_free(s);
    if (strcmp(err, want)) fprintf(stderr, "%s:\n got  %s\n want %s\n", in, err, want);
    CU_ASSERT_STRING_EQUAL(err, want);
}

static void test_label_errors(void)
{
    expect_err("x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    expect_err("x==a==b", "found '==', expected: ',' or 'end of string'");
    expect_err("!x=a", "found '=', expected: ',' or 'end of string'");
    expect_err("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer");
    expect_err("x in a", "unable to parse requirement: found 'a' expected: '('");
    expect_err("x in (a", "unable to parse requirement: found '', expected: ',' or ')'");
    expect_err(",x", "found ',', expected: !, identifier, or 'end of string'");
    expect_err("x,", "found '', expected: identifier after ','");
    expect_err("x a", "unable to parse requirement: found 'a', expected: in, notin, =, ==, !=, gt, lt");
    expect_err("-x", "unable to parse requirement: <nil>: Invalid value: \"-x\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    expect_err("Example.com/x", "unable to parse requirement: <nil>: Invalid value: \"Example.com/x\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    expect_err("/x", "unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be non-empty");
    expect_err("x=0123456789012345678901234567890123456789012345678901234567890123",
               "unable to parse requirement: values[0][x]: Invalid value: \"0123456789012345678901234567890123456789012345678901234567890123\": must be no more than 63 characters");
}

static bool sel_matches(const char *sel, const char *labels_json)
{
    json_t *l = labels_json ? json_loads(labels_json, 0, NULL) : NULL;
    ck_label_selector *s = ck_label_selector_parse(sel, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    bool m = ck_label_selector_matches(s, l);
    ck_label_selector_free(s);
    json_decref(l);
    return m;
}

static void test_label_matches(void)
{
    /* TestSelectorMatches */
    CU_ASSERT_TRUE(sel_matches("", "{\"x\":\"y\"}"));
    CU_ASSERT_TRUE(sel_matches("x=y", "{\"x\":\"y\"}"));
    CU_ASSERT_TRUE(sel_matches("x=y,z=w", "{\"x\":\"y\",\"z\":\"w\"}"));
    CU_ASSERT_TRUE(sel_matches("x!=y,z!=w", "{\"x\":\"z\",\"z\":\"a\"}"));
    CU_ASSERT_TRUE(sel_matches("notin=in", "{\"notin\":\"in\"}"));
    CU_ASSERT_TRUE(sel_matches("x", "{\"x\":\"z\"}"));
    CU_ASSERT_TRUE(sel_matches("!x", "{\"y\":\"z\"}"));
    CU_ASSERT_TRUE(sel_matches("x>1", "{\"x\":\"2\"}"));
    CU_ASSERT_TRUE(sel_matches("x<1", "{\"x\":\"0\"}"));
    CU_ASSERT_FALSE(sel_matches("x=z", "{}"));
    CU_ASSERT_FALSE(sel_matches("x=y", "{\"x\":\"z\"}"));
    CU_ASSERT_FALSE(sel_matches("x=y,z=w", "{\"x\":\"w\",\"z\":\"w\"}"));
    CU_ASSERT_FALSE(sel_matches("x!=y,z!=w", "{\"x\":\"z\",\"z\":\"w\"}"));
    CU_ASSERT_FALSE(sel_matches("x", "{\"y\":\"z\"}"));
    CU_ASSERT_FALSE(sel_matches("!x", "{\"x\":\"z\"}"));
    CU_ASSERT_FALSE(sel_matches("x>1", "{\"x\":\"0\"}"));
    CU_ASSERT_FALSE(sel_matches("x<1", "{\"x\":\"2\"}"));
    CU_ASSERT_FALSE(sel_matches("x>1", "{\"x\":\"abc\"}"));
    /* set based */
    CU_ASSERT_TRUE(sel_matches("x in (a,b)", "{\"x\":\"b\"}"));
    CU_ASSERT_FALSE(sel_matches("x in (a,b)", "{\"x\":\"c\"}"));
    CU_ASSERT_FALSE(sel_matches("x in (a,b)", "{}"));
    CU_ASSERT_TRUE(sel_matches("x notin (a,b)", "{}"));
    CU_ASSERT_TRUE(sel_matches("x notin (a,b)", "{\"x\":\"c\"}"));
    CU_ASSERT_FALSE(sel_matches("x notin (a,b)", "{\"x\":\"a\"}"));
    CU_ASSERT_TRUE(sel_matches("x in (,a)", "{\"x\":\"\"}"));
    CU_ASSERT_TRUE(sel_matches("x=", "{\"x\":\"\"}"));
    CU_ASSERT_TRUE(sel_matches("!x", NULL));
    CU_ASSERT_FALSE(sel_matches("x", NULL));
}

static ck_label_selector *from_json(const char *js, char *err, size_t errlen)
{
    json_t *j = json_loads(js, 0, NULL);
    ck_label_selector *s = ck_label_selector_from_json(j, err, errlen);
    json_decref(j);
    return s;
}

static void test_label_from_json(void)
{
    char err[1024];
    ck_label_selector *s = from_json("{\"matchLabels\":{\"app\":\"web\",\"tier\":\"fe\"},"
                                     "\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"dev\"]},"
                                     "{\"key\":\"gone\",\"operator\":\"DoesNotExist\"},{\"key\":\"t\",\"operator\":\"Exists\"},"
                                     "{\"key\":\"x\",\"operator\":\"NotIn\",\"values\":[\"1\"]}]}",
                                     err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    char *str = ck_label_selector_string(s);
    CU_ASSERT_STRING_EQUAL(str, "app=web,env in (dev,prod),!gone,t,tier=fe,x notin (1)");
    free(str);
    json_t *l = json_pack("{s:s,s:s,s:s,s:s}", "app", "web", "tier", "fe", "env", "dev", "t", "");
    CU_ASSERT_TRUE(ck_label_selector_matches(s, l));
    json_object_set_new(l, "gone", json_string("x"));
    CU_ASSERT_FALSE(ck_label_selector_matches(s, l));
    json_decref(l);
    ck_label_selector_free(s);

    s = from_json("{}", err, sizeof err);
    CU_ASSERT_TRUE(s && ck_label_selector_empty(s));
    ck_label_selector_free(s);

    CU_ASSERT_PTR_NULL(from_json("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Gt\",\"values\":[\"1\"]}]}", err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "\"Gt\" is not a valid label selector operator");
    CU_ASSERT_PTR_NULL(from_json("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[]}]}", err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
    CU_ASSERT_PTR_NULL(from_json("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}", err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist");
    CU_ASSERT_PTR_NULL(from_json("{\"matchLabels\":{\"a b\":\"x\"}}", err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "key: Invalid value: \"a b\": name part must consist of"));
    /* two problems: an aggregate in brackets */
    CU_ASSERT_PTR_NULL(from_json("{\"matchExpressions\":[{\"key\":\"-a\",\"operator\":\"In\"}]}", err, sizeof err));
    CU_ASSERT_EQUAL(err[0], '[');
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ", values: Invalid value: []string{}"));
}

static void test_field_selector(void)
{
    char err[256];
    static const char *const good[] = {"x=a,y=b,z=c", "", "x!=a,y=b", "x=a||y\\=b", "x=a\\=\\=b", NULL};
    static const char *const bad[] = {"x=a||y=b", "x==a==b", "x=a,b", "x in (a)", "x in (a,b,c)", "x", NULL};
    for (const char *const *s = good; *s; s++) {
        ck_field_selector *f = ck_field_selector_parse(*s, err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL(f);
        ck_field_selector_free(f);
    }
    for (const char *const *s = bad; *s; s++) {
        ck_field_selector *f = ck_field_selector_parse(*s, err, sizeof err);
        CU_ASSERT_PTR_NULL(f);
        ck_field_selector_free(f);
    }
    ck_field_selector *f = ck_field_selector_parse("x", err, sizeof err);
    CU_ASSERT_STRING_EQUAL(err, "invalid selector: 'x'; can't understand 'x'");
    f = ck_field_selector_parse("x=a=b", err, sizeof err);
    CU_ASSERT_STRING_EQUAL(err, "invalid field selector: unescaped character in value: 61");
    f = ck_field_selector_parse("x=\\a", err, sizeof err);
    CU_ASSERT_STRING_EQUAL(err, "invalid field selector: invalid escape sequence: \\a");
    f = ck_field_selector_parse("x=a\\", err, sizeof err);
    CU_ASSERT_STRING_EQUAL(err, "invalid field selector: invalid escape sequence: \\");

    f = ck_field_selector_parse("x=a\\,b\\\\c,metadata.name==n", err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_STRING_EQUAL(ck_field_selector_exact(f, "x"), "a,b\\c");
    CU_ASSERT_STRING_EQUAL(ck_field_selector_exact(f, "metadata.name"), "n");
    CU_ASSERT_PTR_NULL(ck_field_selector_exact(f, "y"));
    static const char *const allowed[] = {"spec.nodeName", NULL};
    CU_ASSERT_STRING_EQUAL(ck_field_selector_unsupported(f, allowed), "x");
    ck_field_selector_free(f);

    json_t *pod = json_pack("{s:{s:s,s:s},s:{s:s,s:b},s:{s:s}}", "metadata", "name", "p", "namespace", "d",
                            "spec", "nodeName", "n1", "unschedulable", 1, "status", "phase", "Running");
    f = ck_field_selector_parse("spec.nodeName=n1,status.phase!=Failed", err, sizeof err);
    CU_ASSERT_TRUE(ck_field_selector_matches(f, pod));
    CU_ASSERT_PTR_NULL(ck_field_selector_unsupported(f, (const char *const[]){"spec.nodeName", "status.phase", NULL}));
    CU_ASSERT_FALSE(ck_field_selector_empty(f));
    ck_field_selector_free(f);
    f = ck_field_selector_parse("spec.nodeName=,metadata.name=p", err, sizeof err);
    CU_ASSERT_FALSE(ck_field_selector_matches(f, pod));
    ck_field_selector_free(f);
    f = ck_field_selector_parse("spec.hostname=,spec.unschedulable=true", err, sizeof err);
    CU_ASSERT_TRUE(ck_field_selector_matches(f, pod)); /* missing field is "" */
    ck_field_selector_free(f);
    f = ck_field_selector_parse("", err, sizeof err);
    CU_ASSERT_TRUE(ck_field_selector_empty(f) && ck_field_selector_matches(f, pod));
    ck_field_selector_free(f);
    json_decref(pod);
}

int main(void)
{
    static const ck_test tests[] = {
        {"label selector good/bad strings", test_label_parse_good_bad},
        {"label selector canonical string", test_label_string},
        {"label selector upstream error messages", test_label_errors},
        {"label selector matching", test_label_matches},
        {"metav1.LabelSelector JSON", test_label_from_json},
        {"field selectors", test_field_selector},
        {NULL, NULL},
    };
    return ck_test_main("selector", tests, NULL, NULL);
}
