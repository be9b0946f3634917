/* test_util.c: dotted JSON paths, RFC 3339 round trips, UIDs and name suffixes. */
#include <stdlib.h>
#include <string.h>
#include "util/cktest.h"
#include "util/ckjson.h"
#include "util/timeutil.h"
#include "util/uid.h"

static void test_json_path(void)
{
    json_t *o = json_pack("{s:{s:s,s:{s:i}}}", "metadata", "name", "x", "labels", "n", 3);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "metadata.name", "?"), "x");
    CU_ASSERT_EQUAL(ck_json_int(o, "metadata.labels.n", -1), 3);
    CU_ASSERT_PTR_NULL(ck_json_path(o, "metadata.name.deeper"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.nodeName", "none"), "none");
    CU_ASSERT_EQUAL(ck_json_set(o, "spec.template.metadata.name", json_string("t")), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(o, "spec.template.metadata.name", "?"), "t");
    CU_ASSERT_EQUAL(ck_json_set(o, "metadata.name.x", json_true()), -1);
    char *s = ck_json_dump(o);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"template\""));
    free(s);
    json_decref(o);
}

static void test_time(void)
{
    char buf[CK_TIME_LEN];
    CU_ASSERT_STRING_EQUAL(ck_time_format(0, buf), "1970-01-01T00:00:00Z");
    CU_ASSERT_EQUAL(ck_time_parse("2026-11-25T11:22:07Z"), 1795605727);
    CU_ASSERT_EQUAL(ck_time_parse("2026-11-25T12:22:07.5+01:00"), 1795605727);
    CU_ASSERT_EQUAL(ck_time_parse("2026-11-25 11:22:07"), -1);
    CU_ASSERT_EQUAL(ck_time_parse(ck_time_now(buf)) / 10, time(NULL) / 10);
    ck_microtime_now(buf);
    CU_ASSERT_EQUAL(strlen(buf), 27);
}

static void test_uid(void)
{
    char a[CK_UID_LEN], b[CK_UID_LEN], s[8];
    ck_uid_new(a);
    ck_uid_new(b);
    CU_ASSERT_EQUAL(strlen(a), 36);
    CU_ASSERT_EQUAL(a[14], '4');
    CU_ASSERT_STRING_NOT_EQUAL(a, b);
    ck_rand_suffix(s, 5);
    CU_ASSERT_EQUAL(strlen(s), 5);
    CU_ASSERT_EQUAL(strspn(s, "bcdfghjklmnpqrstvwxz2456789"), 5);
}

int main(void)
{
    static const ck_test tests[] = {
        {"json dotted paths", test_json_path},
        {"RFC 3339 times", test_time},
        {"uids and suffixes", test_uid},
        {NULL, NULL},
    };
    return ck_test_main("util", tests, NULL, NULL);
}
