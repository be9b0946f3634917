/* test_table.c: Table conversion (columns, rows, includeObject, noHeaders),
 * Accept detection as kubectl sends it, and HumanDuration's cases from
 * k8s.io/apimachinery/pkg/util/duration/duration_test.go. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/cktest.h"
#include "util/timeutil.h"
#include "apiserver/table.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/schemas/fields.h"
#pragma GCC diagnostic pop

static json_t *replicas(const json_t *o)
{
    return json_sprintf("%lld/%lld", json_integer_value(json_object_get(json_object_get(o, "status"), "ready")),
                        json_integer_value(json_object_get(json_object_get(o, "spec"), "replicas")));
}

static const ck_column test_columns[] = {
    {"Name", "string", "name", "name", 0, "metadata.name", NULL},
    {"Ready", "string", "", "ready", 0, NULL, replicas},
    {"Age", "string", "", "age", 0, NULL, NULL},
    {"Node", "string", "", "node", 1, "spec.nodeName", NULL},
    {NULL, NULL, NULL, NULL, 0, NULL, NULL},
};
static const ck_kind widget = {.group = "example.com", .version = "v1", .kind = "Widget",
                               .resource = "widgets", .namespaced = true, .columns = test_columns};
static const ck_kind plain = {.group = "", .version = "v1", .kind = "Thing", .resource = "things"};

static json_t *object(const char *name, long ago)
{
    char ts[CK_TIME_LEN];
    ck_time_format(time(NULL) - ago, ts);
    return json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:{s:s}},s:{s:i},s:{s:i}}", "kind", "Widget", "apiVersion",
                     "example.com/v1", "metadata", "name", name, "creationTimestamp", ts,
                     "resourceVersion", "42", "labels", "a", "b", "spec", "replicas", 3, "status",
                     "ready", 2);
}

static void test_human_duration(void)
{
    static const struct { long long s; const char *want; } cases[] = {
        {-2, "<invalid>"}, {-1, "0s"}, {0, "0s"}, {1, "1s"}, {70, "70s"}, {119, "119s"},
        {120, "2m"}, {190, "3m10s"}, {600, "10m"}, {70 * 60, "70m"}, {3 * 3600, "3h"},
        {3 * 3600 + 600, "3h10m"}, {8 * 3600, "8h"}, {47 * 3600, "47h"}, {49 * 3600, "2d1h"},
        {(8 * 24 + 2) * 3600LL, "8d"}, {367 * 24 * 3600LL, "367d"},
        {(365 * 2 * 24 + 25) * 3600LL, "2y1d"}, {(365 * 8 * 24 + 2) * 3600LL, "8y"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT_STRING_EQUAL(ck_human_duration(cases[i].s, buf, sizeof buf), cases[i].want);
}

static void test_accept(void)
{
    CU_ASSERT(ck_accept_table("application/json;as=Table;v=v1;g=meta.k8s.io,"
                              "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"));
    CU_ASSERT(ck_accept_table("application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
    CU_ASSERT(!ck_accept_table("application/json"));
    CU_ASSERT(!ck_accept_table(NULL));
    CU_ASSERT(!ck_accept_table("application/json;as=Table;v=v2;g=meta.k8s.io"));
    CU_ASSERT(!ck_accept_table("application/json,application/json;as=Table;v=v1;g=meta.k8s.io"));
    CU_ASSERT(!ck_accept_table("application/yaml;as=Table;v=v1;g=meta.k8s.io"));
}

static void test_single_object(void)
{
    json_t *o = object("w1", 190);
    json_t *t = ck_table_convert(&widget, o, NULL, false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(t, "kind")), "Table");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(t, "apiVersion")), "meta.k8s.io/v1");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(t, "metadata"), "resourceVersion")), "42");
    json_t *defs = json_object_get(t, "columnDefinitions");
    CU_ASSERT_EQUAL(json_array_size(defs), 4);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(defs, 0), "format")), "name");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(defs, 3), "priority")), 1);
    json_t *row = json_array_get(json_object_get(t, "rows"), 0);
    json_t *cells = json_object_get(row, "cells");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(cells, 0)), "w1");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(cells, 1)), "2/3");
    /* 190 s old when made; a slow run (valgrind on a loaded machine) may
     * convert it a second or two later */
    const char *age = json_string_value(json_array_get(cells, 2));
    CU_ASSERT(age && (!strcmp(age, "3m10s") || !strcmp(age, "3m11s") || !strcmp(age, "3m12s")));
    CU_ASSERT(json_is_null(json_array_get(cells, 3))); /* absent -> nil, kubectl prints <none> */
    json_t *obj = json_object_get(row, "object");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(obj, "kind")), "PartialObjectMetadata");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(json_object_get(obj, "metadata"), "labels"), "a")), "b");
    CU_ASSERT_PTR_NULL(json_object_get(obj, "spec"));
    json_decref(t);

    t = ck_table_convert(&widget, o, "Object", true);
    CU_ASSERT(json_is_null(json_object_get(t, "columnDefinitions")));
    row = json_array_get(json_object_get(t, "rows"), 0);
    CU_ASSERT(json_equal(json_object_get(row, "object"), o));
    json_decref(t);
    t = ck_table_convert(&widget, o, "None", false);
    CU_ASSERT_PTR_NULL(json_object_get(json_array_get(json_object_get(t, "rows"), 0), "object"));
    json_decref(t);
    CU_ASSERT_PTR_NULL(ck_table_convert(&widget, o, "Everything", false));
    json_decref(o);
}

static void test_list_and_defaults(void)
{
    json_t *list = json_pack("{s:s,s:s,s:{s:s,s:s},s:[]}", "kind", "ThingList", "apiVersion", "v1",
                             "metadata", "resourceVersion", "77", "continue", "tok", "items");
    json_array_append_new(json_object_get(list, "items"), object("a", 5));
    json_array_append_new(json_object_get(list, "items"), object("b", 3 * 86400));
    json_t *t = ck_table_convert(&plain, list, "Metadata", false);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(t, "metadata"), "continue")), "tok");
    json_t *defs = json_object_get(t, "columnDefinitions");
    CU_ASSERT_EQUAL(json_array_size(defs), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(defs, 1), "name")), "Created At");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(defs, 1), "type")), "date");
    json_t *rows = json_object_get(t, "rows");
    CU_ASSERT_EQUAL(json_array_size(rows), 2);
    json_t *c = json_object_get(json_array_get(rows, 1), "cells");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(c, 0)), "b");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(c, 1)),
                           json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(list, "items"), 1), "metadata"), "creationTimestamp")));
    json_decref(t);
    /* empty list: rows is [] */
    json_array_clear(json_object_get(list, "items"));
    t = ck_table_convert(&plain, list, NULL, false);
    CU_ASSERT(json_is_array(json_object_get(t, "rows")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(t, "rows")), 0);
    json_decref(t);
    json_decref(list);
}

/* Every kind of the table converts, one cell per column. */
static void test_every_kind(void)
{
    json_t *o = object("x", 10);
    for (size_t i = 0; i < ck_kinds_count; i++) {
        json_t *t = ck_table_convert(&ck_kinds[i], o, NULL, false);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        CU_ASSERT_EQUAL(json_array_size(json_object_get(t, "columnDefinitions")),
                        json_array_size(json_object_get(json_array_get(json_object_get(t, "rows"), 0), "cells")));
        json_decref(t);
    }
    json_decref(o);
}

int main(void)
{
    static const ck_test tests[] = {
        {"HumanDuration", test_human_duration},
        {"Accept as=Table", test_accept},
        {"single object, includeObject, noHeaders", test_single_object},
        {"lists and default columns", test_list_and_defaults},
        {"every kind converts", test_every_kind},
        {NULL, NULL},
    };
    return ck_test_main("table", tests, NULL, NULL);
}
