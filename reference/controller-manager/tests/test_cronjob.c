/* test_cronjob.c: the cron parser against robfig/cron/v3's behaviour
 * (parser_test.go, spec_test.go TestNext cases, minus the seconds field the
 * standard parser lacks) and CronJob sync decisions from upstream
 * (pkg/controller/cronjob/cronjob_controllerv2_test.go): job names,
 * concurrencyPolicy, history limits, active list, suspend. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "controller-manager/cronjob_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/timeutil.h"

/* "2012-07-09 14:45" (UTC) -> time_t */
static time_t at(const char *s)
{
    struct tm tm = {0};
    if (!strptime(s, "%Y-%m-%d %H:%M", &tm)) return -1;
    return timegm(&tm);
}

static void test_next(void)
{
    static const struct { const char *from, *spec, *want; } CASES[] = {
        {"2012-07-09 14:45", "0/15 * * * *", "2012-07-09 15:00"},
        {"2012-07-09 14:59", "0/15 * * * *", "2012-07-09 15:00"},
        {"2012-07-09 15:45", "20-35/15 * * * *", "2012-07-09 16:20"},   /* wrap hours */
        {"2012-07-09 23:46", "*/15 * * * *", "2012-07-10 00:00"},       /* wrap days */
        {"2012-07-09 23:45", "20-35/15 * * * *", "2012-07-10 00:20"},
        {"2012-07-09 23:35", "0 0 9 Apr-Oct ?", "2012-08-09 00:00"},    /* wrap months */
        {"2012-07-09 23:35", "0 0 * Feb Mon", "2013-02-04 00:00"},      /* wrap years: dom * so AND */
        {"2012-07-09 23:35", "0 0 * Feb Mon/2", "2013-02-01 00:00"},    /* Mon,Wed,Fri */
        {"2012-07-09 23:35", "0 0 29 Feb ?", "2016-02-29 00:00"},       /* leap year */
        {"2012-07-09 23:35", "0 0 1 * Mon", "2012-07-16 00:00"},        /* dom OR dow */
        {"2012-07-09 23:35", "0 0 1 * *", "2012-08-01 00:00"},
        {"2012-07-09 23:35", "0 0 * * SUN", "2012-07-15 00:00"},
        {"2012-07-09 14:45", "@hourly", "2012-07-09 15:00"},
        {"2012-07-09 14:45", "@daily", "2012-07-10 00:00"},
        {"2012-07-09 14:45", "@weekly", "2012-07-15 00:00"},
        {"2012-07-09 14:45", "@monthly", "2012-08-01 00:00"},
        {"2012-07-09 14:45", "@yearly", "2013-01-01 00:00"},
        {"2012-07-09 14:45", "5,10,50-52 9 * * *", "2012-07-10 09:05"},
        {"2012-07-09 14:45", "*/1 * * * *", "2012-07-09 14:46"},
        {"2012-07-09 23:35", "0 0 30 Feb ?", NULL},                     /* unsatisfiable */
        {"2012-07-09 23:35", "0 0 31 Apr ?", NULL},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        ck_cron c;
        char err[256];
        CU_ASSERT_EQUAL_FATAL(ck_cron_parse(CASES[i].spec, &c, err, sizeof err), 0);
        time_t got = ck_cron_next(&c, at(CASES[i].from));
        time_t want = CASES[i].want ? at(CASES[i].want) : 0;
        if (got != want) fprintf(stderr, "next(%s, %s) = %ld, want %ld\n", CASES[i].from, CASES[i].spec, got, want);
        CU_ASSERT_EQUAL(got, want);
    }
    ck_cron c;
    char err[256];
    CU_ASSERT_EQUAL(ck_cron_parse("@every 90s", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_cron_next(&c, 1000), 1090);
    /* seconds of the start time are dropped: next whole minute strictly after */
    CU_ASSERT_EQUAL(ck_cron_parse("* * * * *", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_cron_next(&c, at("2012-07-09 14:45") + 59), at("2012-07-09 14:46"));
}

static void test_parse_errors(void)
{
    static const struct { const char *spec, *msg; } CASES[] = {
        {"", "empty spec string"},
        {"* * * *", "expected exactly 5 fields, found 4: * * * *"},
        {"* * * * * *", "expected exactly 5 fields, found 6: * * * * * *"},
        {"* 5 j * *", "failed to parse int from j"},
        {"60 * * * *", "end of range (60) above maximum (59): 60"},
        {"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
        {"5-3 * * * *", "beginning of range (5) beyond end of range (3): 5-3"},
        {"*/0 * * * *", "step of range should be a positive number: */0"},
        {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
        {"*/2/3 * * * *", "too many slashes: */2/3"},
        {"* * * * 7", "end of range (7) above maximum (6): 7"},
        {"@unrecognized", "unrecognized descriptor: @unrecognized"},
        {"@every Xm", "failed to parse duration @every Xm: invalid duration"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        ck_cron c;
        char err[256] = "";
        CU_ASSERT_EQUAL(ck_cron_parse(CASES[i].spec, &c, err, sizeof err), -1);
        if (strcmp(err, CASES[i].msg)) fprintf(stderr, "parse(%s): %s, want %s\n", CASES[i].spec, err, CASES[i].msg);
        CU_ASSERT_STRING_EQUAL(err, CASES[i].msg);
    }
}

static void test_fields(void)
{
    ck_cron c;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(ck_cron_parse("1,3-5 */6 ? jan-MAR mon-fri", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.minute, (1u << 1) | (1u << 3) | (1u << 4) | (1u << 5));
    CU_ASSERT_EQUAL(c.hour, (1u << 0) | (1u << 6) | (1u << 12) | (1u << 18));  /* step > 1 drops the star bit */
    CU_ASSERT_TRUE((c.dom & CK_CRON_STAR_BIT) != 0);
    CU_ASSERT_EQUAL(c.month, (1u << 1) | (1u << 2) | (1u << 3));
    CU_ASSERT_EQUAL(c.dow, 0x3eu);
    CU_ASSERT_EQUAL_FATAL(ck_cron_parse("*/1 * * * *", &c, err, sizeof err), 0);
    CU_ASSERT_TRUE((c.minute & CK_CRON_STAR_BIT) != 0);  /* step 1 keeps it */
    CU_ASSERT_EQUAL_FATAL(ck_cron_parse("30/10 * * * *", &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.minute, (1ull << 30) | (1ull << 40) | (1ull << 50));  /* N/step = N-max/step */
}

static void test_most_recent(void)
{
    ck_cron c;
    char err[256];
    long missed;
    CU_ASSERT_EQUAL_FATAL(ck_cron_parse("*/1 * * * *", &c, err, sizeof err), 0);
    time_t t0 = at("2024-03-01 10:00");
    CU_ASSERT_EQUAL(ck_cron_most_recent(&c, t0, t0 + 330, &missed), t0 + 300);
    CU_ASSERT_EQUAL(missed, 5);
    CU_ASSERT_EQUAL(ck_cron_most_recent(&c, t0, t0 + 59, &missed), 0);
    CU_ASSERT_EQUAL(ck_cron_most_recent(&c, t0, t0 + 86400 + 30, &missed), t0 + 86400);
    CU_ASSERT_EQUAL(missed, 1440);
    CU_ASSERT_EQUAL_FATAL(ck_cron_parse("0 9 * * MON-FRI", &c, err, sizeof err), 0);
    /* 2024-03-01 is a Friday: from then to Tuesday noon the latest is Tuesday 09:00 */
    CU_ASSERT_EQUAL(ck_cron_most_recent(&c, t0, at("2024-03-05 12:00"), &missed), at("2024-03-05 09:00"));
    CU_ASSERT_EQUAL(missed, 2);
}

static const time_t T0 = 1709287200; /* 2024-03-01 10:00:00 UTC */

static json_t *cronjob(const char *extra)
{
    char buf[1024], ts[CK_TIME_LEN];
    snprintf(buf, sizeof buf,
             "{\"metadata\":{\"name\":\"hello\",\"namespace\":\"ns\",\"uid\":\"cj1\",\"creationTimestamp\":\"%s\"},"
             "\"spec\":{\"schedule\":\"*/1 * * * *\"%s%s,\"jobTemplate\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
             "\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"OnFailure\",\"containers\":[{\"name\":\"c\"}]}}}}}}",
             ck_time_format(T0 + 30, ts), *extra ? "," : "", extra);
    json_t *cj = json_loads(buf, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cj);
    return cj;
}

/* A job of the cronjob, "Complete"/"Failed"/NULL (running), started at t. */
static json_t *job(const char *name, const char *cond, time_t t)
{
    char ts[CK_TIME_LEN];
    ck_time_format(t, ts);
    json_t *j = json_pack("{s:{s:s,s:s,s:s,s:s},s:{s:s}}", "metadata", "name", name, "namespace", "ns", "uid", name,
                          "creationTimestamp", ts, "status", "startTime", ts);
    if (cond) {
        ck_json_set(j, "status.conditions", json_pack("[{s:s,s:s}]", "type", cond, "status", "True"));
        ck_json_set(j, "status.completionTime", json_string(ts));
    }
    return j;
}

static const char *first_reason(const ck_cj_plan *p)
{
    return ck_json_str(json_array_get(p->events, 0), "reason", "");
}

static void test_creates_job(void)
{
    json_t *cj = cronjob(""), *jobs = json_array();
    ck_cj_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 70, &p), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p.job);
    char want[64];
    snprintf(want, sizeof want, "hello-%ld", (long)((T0 + 60) / 60));
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.job, "metadata.name", ""), want);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.job, "metadata.labels.a", ""), "b");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ck_json_path(p.job, "metadata.annotations"),
                                                             CK_CJ_SCHEDULED_ANN)), "2024-03-01T10:01:00Z");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(ck_json_path(p.job, "metadata.ownerReferences"), 0), "kind", ""),
                           "CronJob");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.job, "spec.template.spec.restartPolicy", ""), "OnFailure");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "lastScheduleTime", ""), "2024-03-01T10:01:00Z");
    CU_ASSERT_EQUAL(p.requeue_ms, 50100);
    ck_cj_plan_clear(&p);
    /* before the first schedule time: nothing, requeue for it */
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 40, &p), 0);
    CU_ASSERT_PTR_NULL(p.job);
    CU_ASSERT_EQUAL(p.requeue_ms, 20100);
    ck_cj_plan_clear(&p);
    /* suspended: nothing */
    ck_json_set(cj, "spec.suspend", json_true());
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 70, &p), 0);
    CU_ASSERT_PTR_NULL(p.job);
    ck_cj_plan_clear(&p);
    json_decref(jobs);
    json_decref(cj);
}

static void test_concurrency(void)
{
    json_t *running = job("hello-1", NULL, T0), *jobs = json_pack("[O]", running);
    static const struct { const char *policy; bool create; size_t deletes; const char *reason; } CASES[] = {
        {"Allow", true, 0, ""}, {"Forbid", false, 0, "JobAlreadyActive"}, {"Replace", true, 1, ""}};
    for (size_t i = 0; i < 3; i++) {
        char extra[128];
        snprintf(extra, sizeof extra, "\"concurrencyPolicy\":\"%s\"", CASES[i].policy);
        json_t *cj = cronjob(extra);
        ck_json_set(cj, "status", json_pack("{s:[o]}", "active", ck_cj_job_ref(running)));
        ck_cj_plan p;
        CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 70, &p), 0);
        CU_ASSERT_EQUAL(p.job != NULL, CASES[i].create);
        CU_ASSERT_EQUAL(json_array_size(p.to_delete), CASES[i].deletes);
        CU_ASSERT_STRING_EQUAL(first_reason(&p), CASES[i].reason);
        if (!strcmp(CASES[i].policy, "Replace")) CU_ASSERT_PTR_NULL(ck_json_path(p.status, "active"));
        ck_cj_plan_clear(&p);
        json_decref(cj);
    }
    json_decref(jobs);
    json_decref(running);
}

static void test_active_and_history(void)
{
    json_t *done = job("hello-9", "Complete", T0 + 50);
    json_t *jobs = json_pack("[O,o,o,o,o,o,o]", done, job("c1", "Complete", T0 - 500), job("c2", "Complete", T0 - 400),
                             job("c3", "Complete", T0 - 300), job("c4", "Complete", T0 - 200),
                             job("f1", "Failed", T0 - 100), job("f2", "Failed", T0 - 50));
    json_t *cj = cronjob("\"suspend\":true");
    ck_json_set(cj, "status", json_pack("{s:[o,{s:s,s:s}]}", "active", ck_cj_job_ref(done), "name", "gone",
                                        "namespace", "ns"));
    ck_cj_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 70, &p), 0);
    CU_ASSERT_PTR_NULL(ck_json_path(p.status, "active"));
    CU_ASSERT_STRING_EQUAL(first_reason(&p), "SawCompletedJob");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.events, 0), "message", ""),
                           "Saw completed job: hello-9, condition: Complete");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.events, 1), "reason", ""), "MissingJob");
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "lastSuccessfulTime", ""), "2024-03-01T10:00:50Z");
    /* 5 complete (limit 3) and 2 failed (limit 1): c1, c2 and f1 go */
    CU_ASSERT_EQUAL_FATAL(json_array_size(p.to_delete), 3);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 0), "metadata.name", ""), "c1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 1), "metadata.name", ""), "c2");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(p.to_delete, 2), "metadata.name", ""), "f1");
    ck_cj_plan_clear(&p);
    json_decref(cj);
    json_decref(jobs);
    json_decref(done);
}

static void test_deadline_and_bad_schedule(void)
{
    /* lastScheduleTime 10:00, now 10:05:30: startingDeadlineSeconds 10 leaves
     * no schedule time in (10:05:20, now]; 40 allows 10:05 */
    json_t *cj = cronjob("\"startingDeadlineSeconds\":10");
    ck_json_set(cj, "status", json_pack("{s:s}", "lastScheduleTime", "2024-03-01T10:00:00Z"));
    json_t *jobs = json_array();
    ck_cj_plan p;
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 330, &p), 0);
    CU_ASSERT_PTR_NULL(p.job);
    ck_cj_plan_clear(&p);
    ck_json_set(cj, "spec.startingDeadlineSeconds", json_integer(40));
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 330, &p), 0);
    CU_ASSERT_PTR_NOT_NULL(p.job);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p.status, "lastScheduleTime", ""), "2024-03-01T10:05:00Z");
    ck_cj_plan_clear(&p);
    /* without a deadline, 1440 missed minutes: TooManyMissedTimes, still the latest is run */
    ck_json_set(cj, "spec.startingDeadlineSeconds", json_null());
    json_object_del(json_object_get(cj, "spec"), "startingDeadlineSeconds");
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 86400 + 5, &p), 0);
    CU_ASSERT_STRING_EQUAL(first_reason(&p), "TooManyMissedTimes");
    CU_ASSERT_PTR_NOT_NULL(p.job);
    ck_cj_plan_clear(&p);
    ck_json_set(cj, "spec.schedule", json_string("61 * * * *"));
    CU_ASSERT_EQUAL_FATAL(ck_cj_plan_compute(cj, jobs, T0 + 330, &p), 0);
    CU_ASSERT_STRING_EQUAL(first_reason(&p), "UnparseableSchedule");
    CU_ASSERT_PTR_NULL(p.job);
    ck_cj_plan_clear(&p);
    json_decref(jobs);
    json_decref(cj);
}

int main(void)
{
    static const ck_test tests[] = {{"cron next", test_next},
                                    {"cron parse errors", test_parse_errors},
                                    {"cron fields", test_fields},
                                    {"most recent schedule time", test_most_recent},
                                    {"creates the scheduled job", test_creates_job},
                                    {"concurrencyPolicy", test_concurrency},
                                    {"active list and history limits", test_active_and_history},
                                    {"startingDeadlineSeconds, missed, unparseable", test_deadline_and_bad_schedule},
                                    {NULL, NULL}};
    return ck_test_main("cronjob", tests, NULL, NULL);
}
