/* test_quantity.c: resource.Quantity parsing and canonical output, with cases
 * from upstream's k8s.io/apimachinery/pkg/api/resource/quantity_test.go
 * (TestQuantityParse, TestQuantityParseEmit, TestQuantityString). */
#include <string.h>
#include "api/quantity.h"
#include "util/cktest.h"

typedef struct qcase {
    const char *in;
    int64_t milli;
    ck_quantity_format fmt;
} qcase;

static void test_parse(void)
{
    static const qcase cases[] = {
        {"0", 0, CK_QF_DECIMAL_SI}, {"0n", 0, CK_QF_DECIMAL_SI}, {"0u", 0, CK_QF_DECIMAL_SI},
        {"0m", 0, CK_QF_DECIMAL_SI}, {"0Ki", 0, CK_QF_BINARY_SI}, {"0k", 0, CK_QF_DECIMAL_SI},
        {"0Mi", 0, CK_QF_BINARY_SI}, {"0M", 0, CK_QF_DECIMAL_SI}, {"0e6", 0, CK_QF_DECIMAL_EXP},
        {"0.0", 0, CK_QF_DECIMAL_SI}, {"-0", 0, CK_QF_DECIMAL_SI},
        {"1Ki", 1024000, CK_QF_BINARY_SI}, {"8Ki", 8192000, CK_QF_BINARY_SI},
        {"7Mi", 7340032000LL, CK_QF_BINARY_SI}, {"6Gi", 6442450944000LL, CK_QF_BINARY_SI},
        {"5Ti", 5497558138880000LL, CK_QF_BINARY_SI}, {"4Pi", 4503599627370496000LL, CK_QF_BINARY_SI},
        {"5m", 5, CK_QF_DECIMAL_SI}, {"4k", 4000000, CK_QF_DECIMAL_SI}, {"3M", 3000000000LL, CK_QF_DECIMAL_SI},
        {"2G", 2000000000000LL, CK_QF_DECIMAL_SI}, {"1T", 1000000000000000LL, CK_QF_DECIMAL_SI},
        {"9.5E", 0, CK_QF_DECIMAL_SI} /* overflow: checked below */,
        {"1e3", 1000000, CK_QF_DECIMAL_EXP}, {"1E6", 1000000000, CK_QF_DECIMAL_EXP},
        {"1e-3", 1, CK_QF_DECIMAL_EXP}, {"1E-3", 1, CK_QF_DECIMAL_EXP},
        {"100m", 100, CK_QF_DECIMAL_SI}, {"1.5", 1500, CK_QF_DECIMAL_SI}, {"+1.5", 1500, CK_QF_DECIMAL_SI},
        {"-1.5", -1500, CK_QF_DECIMAL_SI}, {"1.", 1000, CK_QF_DECIMAL_SI}, {".5", 500, CK_QF_DECIMAL_SI},
        {"1.G", 1000000000000LL, CK_QF_DECIMAL_SI}, {"0.5Gi", 536870912000LL, CK_QF_BINARY_SI},
        {".001Ki", 1024, CK_QF_BINARY_SI}, {"0.0005Ki", 512, CK_QF_DECIMAL_SI},
        {"1000000000n", 1000, CK_QF_DECIMAL_SI}, {"1500u", 1, CK_QF_DECIMAL_SI} /* finer: checked below */,
        {"00001", 1000, CK_QF_DECIMAL_SI}, {"1.500000000000000000000", 1500, CK_QF_DECIMAL_SI},
        {"-1Ki", -1024000, CK_QF_BINARY_SI},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!strcmp(cases[i].in, "9.5E") || !strcmp(cases[i].in, "1500u")) continue;
        ck_quantity q;
        char err[256];
        int rc = ck_quantity_parse(cases[i].in, &q, err, sizeof err);
        if (rc || q.milli != cases[i].milli || q.format != cases[i].fmt)
            fprintf(stderr, "%s: rc=%d milli=%lld fmt=%d (%s)\n", cases[i].in, rc, (long long)q.milli, q.format, err);
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT_EQUAL(q.milli, cases[i].milli);
        CU_ASSERT_EQUAL(q.format, cases[i].fmt);
    }
}

static void test_parse_errors(void)
{
    static const char *const bad_format[] = {"", "1.4.5", ".1.4", "1Mi ", " 1", "1 Mi", "abc", "1/2", "1e1.0", "1e1e", "1MiB", "1KI", NULL};
    static const char *const bad_suffix[] = {"1i", "1e", "1m5", "1Ki5", "1Ki-", "1Kii", "1mm", NULL};
    char err[256];
    ck_quantity q;
    for (const char *const *s = bad_format; *s; s++) {
        CU_ASSERT_EQUAL(ck_quantity_parse(*s, &q, err, sizeof err), -1);
        if (strncmp(err, "quantities must match", 21)) fprintf(stderr, "%s: %s\n", *s, err);
        CU_ASSERT_STRING_EQUAL(err, "quantities must match the regular expression "
                                    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
    for (const char *const *s = bad_suffix; *s; s++) {
        CU_ASSERT_EQUAL(ck_quantity_parse(*s, &q, err, sizeof err), -1);
        if (strcmp(err, "unable to parse quantity's suffix")) fprintf(stderr, "%s: %s\n", *s, err);
        CU_ASSERT_STRING_EQUAL(err, "unable to parse quantity's suffix");
    }
    /* beyond int64 milli-units, or finer than 1m: rejected, not rounded */
    static const char *const out_of_range[] = {"9.5E", "9223372036854775807", "8Ei", "1e400", "1500u", "1n", "0.0001", NULL};
    for (const char *const *s = out_of_range; *s; s++) {
        CU_ASSERT_EQUAL(ck_quantity_parse(*s, &q, err, sizeof err), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, *s));
    }
    CU_ASSERT_EQUAL(ck_quantity_parse("9223372036854775m", &q, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_quantity_parse("1e-400", &q, err, sizeof err), -1);
    CU_ASSERT_EQUAL(ck_quantity_parse("0e-400", &q, err, sizeof err), 0);
    CU_ASSERT_EQUAL(q.milli, 0);
}

static void expect_emit(const char *in, const char *want)
{
    ck_quantity q;
    char err[256], out[64];
    CU_ASSERT_EQUAL_FATAL(ck_quantity_parse(in, &q, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_quantity_format_str(&q, out, sizeof out), 0);
    if (strcmp(out, want)) fprintf(stderr, "%s -> %s, want %s\n", in, out, want);
    CU_ASSERT_STRING_EQUAL(out, want);
}

static void test_canonical(void)
{
    /* TestQuantityParseEmit / TestQuantityString */
    expect_emit("1Ki", "1Ki");
    expect_emit("1Mi", "1Mi");
    expect_emit("1Gi", "1Gi");
    expect_emit("1024Mi", "1Gi");
    expect_emit("1000M", "1G");
    expect_emit(".001Ki", "1024m");
    expect_emit("1e3", "1e3");
    expect_emit("1000e3", "1e6");
    expect_emit("1e-3", "1e-3");
    expect_emit("1000", "1k");
    expect_emit("1000m", "1");
    expect_emit("1500m", "1500m");
    expect_emit("1.5", "1500m");
    expect_emit("100m", "100m");
    expect_emit("0.1", "100m");
    expect_emit("1536Mi", "1536Mi");
    expect_emit("0.5Gi", "512Mi");
    expect_emit("1.5Ki", "1536");
    expect_emit("0.5Ki", "512");
    expect_emit("-1Ki", "-1Ki");
    expect_emit("-512", "-512");
    expect_emit("-1000Mi", "-1000Mi");
    expect_emit("12e3", "12e3");
    expect_emit("120e2", "12e3");
    expect_emit("100k", "100k");
    expect_emit("10000k", "10M");
    expect_emit("0", "0");
    expect_emit("0Gi", "0");
    expect_emit("5.5M", "5500k");
    ck_quantity q = {123456, CK_QF_DECIMAL_SI};
    char small[4];
    CU_ASSERT_EQUAL(ck_quantity_format_str(&q, small, sizeof small), -1);
}

static void test_convenience(void)
{
    CU_ASSERT_EQUAL(ck_quantity_milli("250m", -1), 250);
    CU_ASSERT_EQUAL(ck_quantity_milli("2", -1), 2000);
    CU_ASSERT_EQUAL(ck_quantity_milli("bogus", -1), -1);
    CU_ASSERT_EQUAL(ck_quantity_milli(NULL, 7), 7);
    CU_ASSERT_EQUAL(ck_quantity_value("1Gi", -1), 1073741824LL);
    CU_ASSERT_EQUAL(ck_quantity_value("1500m", -1), 2);  /* Value() rounds up */
    CU_ASSERT_EQUAL(ck_quantity_value("-1500m", -1), -2);
    CU_ASSERT_EQUAL(ck_quantity_value("110", -1), 110);
    CU_ASSERT_EQUAL(ck_quantity_value("x", 3), 3);
}

int main(void)
{
    static const ck_test tests[] = {
        {"parse values and formats", test_parse},
        {"parse errors", test_parse_errors},
        {"canonical form", test_canonical},
        {"milli and value helpers", test_convenience},
        {NULL, NULL},
    };
    return ck_test_main("quantity", tests, NULL, NULL);
}
