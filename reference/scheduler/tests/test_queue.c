/* test_queue.c: the scheduling queue's ordering, backoff and moves, with a
 * fake clock (pkg/scheduler/internal/queue semantics). */
#include <stdlib.h>
#include <string.h>
#include "scheduler/queue.h"
#include "util/cktest.h"

static int64_t fake_now;
static int64_t clock_fn(void *ud) { return fake_now; }

static json_t *pod(const char *name, int prio)
{
    return json_pack("{s:{s:s,s:s,s:s},s:{s:i}}", "metadata", "name", name, "namespace", "ns",
                     "creationTimestamp", "2024-01-01T00:00:00Z", "spec", "priority", prio);
}

static ck_sched_queue *newq(void)
{
    fake_now = 100000;
    ck_sched_queue_opts o = {.clock_ms = clock_fn};
    return ck_sched_queue_new(&o);
}

static void add(ck_sched_queue *q, const char *name, int prio)
{
    json_t *p = pod(name, prio);
    CU_ASSERT_EQUAL(ck_sched_queue_add(q, p), 0);
    json_decref(p);
}

static void expect_pop(ck_sched_queue *q, const char *key)
{
    ck_queued_pod *p = ck_sched_queue_pop(q, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(p->key, key);
    ck_queued_pod_free(p);
}

static void test_priority_then_time(void)
{
    ck_sched_queue *q = newq();
    add(q, "low", 0);
    fake_now++;
    add(q, "high", 100);
    fake_now++;
    add(q, "low2", 0);
    expect_pop(q, "ns/high");
    expect_pop(q, "ns/low");
    expect_pop(q, "ns/low2");
    CU_ASSERT_PTR_NULL(ck_sched_queue_pop(q, 0));
    ck_sched_queue_free(q);
}

static void test_backoff_durations(void)
{
    ck_sched_queue *q = newq();
    CU_ASSERT_EQUAL(ck_sched_queue_backoff_ms(q, 1), 1000);
    CU_ASSERT_EQUAL(ck_sched_queue_backoff_ms(q, 2), 2000);
    CU_ASSERT_EQUAL(ck_sched_queue_backoff_ms(q, 4), 8000);
    CU_ASSERT_EQUAL(ck_sched_queue_backoff_ms(q, 5), 10000);
    CU_ASSERT_EQUAL(ck_sched_queue_backoff_ms(q, 30), 10000);
    ck_sched_queue_free(q);
}

static void test_unschedulable_parks_until_move(void)
{
    ck_sched_queue *q = newq();
    add(q, "a", 0);
    ck_queued_pod *p = ck_sched_queue_pop(q, 0);
    CU_ASSERT_EQUAL(p->attempts, 1);
    ck_sched_queue_add_unschedulable(q, p, ck_sched_queue_cycle(q));
    size_t a, b, u;
    ck_sched_queue_lens(q, &a, &b, &u);
    CU_ASSERT(a == 0 && b == 0 && u == 1);
    fake_now += 60000;  /* parked: time alone (< 5 min) does not move it */
    CU_ASSERT_PTR_NULL(ck_sched_queue_pop(q, 0));
    ck_sched_queue_move_all(q);  /* node added: backoff (1s) long expired -> activeQ */
    ck_sched_queue_lens(q, &a, &b, &u);
    CU_ASSERT(a == 1 && b == 0 && u == 0);
    p = ck_sched_queue_pop(q, 0);
    CU_ASSERT_EQUAL(p->attempts, 2);
    ck_sched_queue_add_unschedulable(q, p, ck_sched_queue_cycle(q));
    ck_sched_queue_move_all(q);  /* right after the failure: still backing off (2s) */
    ck_sched_queue_lens(q, &a, &b, &u);
    CU_ASSERT(a == 0 && b == 1 && u == 0);
    fake_now += 1999;
    CU_ASSERT_PTR_NULL(ck_sched_queue_pop(q, 0));
    fake_now += 1;
    expect_pop(q, "ns/a");
    ck_sched_queue_free(q);
}

static void test_move_request_during_cycle(void)
{
    ck_sched_queue *q = newq();
    add(q, "a", 0);
    ck_queued_pod *p = ck_sched_queue_pop(q, 0);
    int64_t cycle = ck_sched_queue_cycle(q);
    ck_sched_queue_move_all(q);  /* an event arrived while "a" was being scheduled */
    ck_sched_queue_add_unschedulable(q, p, cycle);
    size_t a, b, u;
    ck_sched_queue_lens(q, &a, &b, &u);
    CU_ASSERT(a == 0 && b == 1 && u == 0);
    ck_sched_queue_free(q);
}

static void test_leftover_and_update_delete(void)
{
    ck_sched_queue *q = newq();
    add(q, "a", 0);
    add(q, "b", 0);
    ck_queued_pod *p = ck_sched_queue_pop(q, 0);
    ck_sched_queue_add_unschedulable(q, p, ck_sched_queue_cycle(q));
    fake_now += 300001;  /* podMaxInUnschedulablePodsDuration */
    ck_sched_queue_flush(q);
    size_t a, b, u;
    ck_sched_queue_lens(q, &a, &b, &u);
    CU_ASSERT(a == 2 && u == 0);
    ck_sched_queue_delete(q, "ns/a");
    ck_sched_queue_lens(q, &a, &b, &u);
    CU_ASSERT_EQUAL(a, 1);
    /* An unschedulable pod whose labels change goes back to the queues. */
    p = ck_sched_queue_pop(q, 0);
    ck_sched_queue_add_unschedulable(q, p, ck_sched_queue_cycle(q));
    json_t *old = pod("b", 0), *nw = pod("b", 0);
    json_object_set_new(json_object_get(nw, "metadata"), "labels", json_pack("{s:s}", "x", "y"));
    fake_now += 5000;
    CU_ASSERT_EQUAL(ck_sched_queue_update(q, old, nw), 0);
    expect_pop(q, "ns/b");
    json_decref(old);
    json_decref(nw);
    ck_sched_queue_free(q);
}

int main(void)
{
    static const ck_test tests[] = {
        {"activeQ: priority then timestamp", test_priority_then_time},
        {"backoff 1s doubling to 10s", test_backoff_durations},
        {"unschedulable parks until a move, then backoff", test_unschedulable_parks_until_move},
        {"move request during the cycle -> backoffQ", test_move_request_during_cycle},
        {"leftover flush, update and delete", test_leftover_and_update_delete},
        {NULL, NULL},
    };
    return ck_test_main("scheduler queue", tests, NULL, NULL);
}
