/* test_workqueue.c: client-go workqueue semantics: dedup, the processing
 * set, delayed adds, per-item exponential backoff, forget, shutdown. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "client/workqueue.h"
#include "util/cktest.h"
#include "util/timeutil.h"

static void expect_get(ck_workqueue *q, const char *want)
{
    bool sd = true;
    char *k = ck_workqueue_get_timed(q, 1000, &sd);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_STRING_EQUAL(k, want);
    CU_ASSERT_FALSE(sd);
    free(k);
}

static void test_dedup_fifo(void)
{
    ck_workqueue *q = ck_workqueue_new("t");
    ck_workqueue_add(q, "ns/a");
    ck_workqueue_add(q, "ns/b");
    ck_workqueue_add(q, "ns/a");
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 2);
    expect_get(q, "ns/a");
    expect_get(q, "ns/b");
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 0);
    ck_workqueue_done(q, "ns/a");
    ck_workqueue_done(q, "ns/b");
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 0);
    ck_workqueue_free(q);
}

/* A key re-added while processing waits for done(), then comes back once. */
static void test_processing_set(void)
{
    ck_workqueue *q = ck_workqueue_new("t");
    ck_workqueue_add(q, "k");
    char *k = ck_workqueue_get(q, NULL);
    ck_workqueue_add(q, "k");
    ck_workqueue_add(q, "k");
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 0);
    bool sd;
    CU_ASSERT_PTR_NULL(ck_workqueue_get_timed(q, 30, &sd)); /* not handed out twice */
    ck_workqueue_done(q, k);
    free(k);
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 1);
    expect_get(q, "k");
    ck_workqueue_done(q, "k");
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 0);
    ck_workqueue_free(q);
}

/* Many workers, few keys, constant re-adds: no key is ever in two workers. */
typedef struct race { ck_workqueue *q; atomic_int busy[4]; atomic_int overlap, handled; } race;

static void *worker(void *arg)
{
    race *r = arg;
    char *k;
    while ((k = ck_workqueue_get(r->q, NULL))) {
        int i = k[0] - 'a';
        if (atomic_fetch_add(&r->busy[i], 1) != 0) atomic_fetch_add(&r->overlap, 1);
        usleep(200);
        atomic_fetch_sub(&r->busy[i], 1);
        atomic_fetch_add(&r->handled, 1);
        ck_workqueue_done(r->q, k);
        free(k);
    }
    return NULL;
}

static void test_no_concurrent_processing(void)
{
    static race r;
    memset(&r, 0, sizeof r);
    r.q = ck_workqueue_new("race");
    pthread_t t[6];
    for (int i = 0; i < 6; i++) pthread_create(&t[i], NULL, worker, &r);
    static const char *keys[] = {"a", "b", "c", "d"};
    for (int n = 0; n < 2000; n++) {
        ck_workqueue_add(r.q, keys[n % 4]);
        if (n % 50 == 0) usleep(100);
    }
    while (ck_workqueue_len(r.q)) usleep(1000);
    usleep(5000);
    ck_workqueue_shutdown(r.q);
    for (int i = 0; i < 6; i++) pthread_join(t[i], NULL);
    CU_ASSERT_EQUAL(atomic_load(&r.overlap), 0);
    CU_ASSERT(atomic_load(&r.handled) >= 4);
    CU_ASSERT(atomic_load(&r.handled) <= 2000);
    ck_workqueue_free(r.q);
}

static void test_add_after(void)
{
    ck_workqueue *q = ck_workqueue_new("t");
    int64_t t0 = ck_mono_ms();
    ck_workqueue_add_after(q, "late", 60);
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 0);
    expect_get(q, "late");
    CU_ASSERT(ck_mono_ms() - t0 >= 55);
    ck_workqueue_done(q, "late");
    /* A second, earlier add_after wins. */
    t0 = ck_mono_ms();
    ck_workqueue_add_after(q, "x", 5000);
    ck_workqueue_add_after(q, "x", 20);
    expect_get(q, "x");
    CU_ASSERT(ck_mono_ms() - t0 < 2000);
    ck_workqueue_done(q, "x");
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 0);
    ck_workqueue_free(q);
}

/* ItemExponentialFailureRateLimiter(5ms, 1000s): 5, 10, 20, 40 ... capped. */
static void test_rate_limited(void)
{
    ck_workqueue *q = ck_workqueue_new("t");
    long want = 5;
    for (int i = 0; i < 4; i++, want *= 2) {
        CU_ASSERT_EQUAL(ck_workqueue_add_rate_limited(q, "k"), want);
        expect_get(q, "k");
        ck_workqueue_done(q, "k");
    }
    CU_ASSERT_EQUAL(ck_workqueue_num_requeues(q, "k"), 4);
    CU_ASSERT_EQUAL(ck_workqueue_add_rate_limited(q, "other"), 5); /* per item */
    ck_workqueue_forget(q, "k");
    CU_ASSERT_EQUAL(ck_workqueue_num_requeues(q, "k"), 0);
    CU_ASSERT_EQUAL(ck_workqueue_add_rate_limited(q, "k"), 5);
    long last = 0;
    for (int i = 0; i < 40; i++) last = ck_workqueue_add_rate_limited(q, "slow");
    CU_ASSERT_EQUAL(last, 1000L * 1000); /* 1000 s */
    ck_workqueue_shutdown(q);
    ck_workqueue_free(q);
}

/* The bucket part: beyond the burst, delays grow at 1/qps. */
static void test_bucket(void)
{
    ck_rate_limiter_cfg rl = {1, 1, 10.0, 3};
    ck_workqueue *q = ck_workqueue_new_with("b", &rl);
    char key[16];
    long d[5];
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "k%d", i);
        d[i] = ck_workqueue_add_rate_limited(q, key);
    }
    CU_ASSERT(d[0] <= 1 && d[2] <= 1);
    CU_ASSERT(d[3] >= 80 && d[3] <= 110);
    CU_ASSERT(d[4] >= 180 && d[4] <= 210);
    ck_workqueue_shutdown(q);
    ck_workqueue_free(q);
}

static void *blocked_get(void *arg)
{
    bool sd = false;
    char *k = ck_workqueue_get(arg, &sd);
    free(k);
    return k ? NULL : sd ? (void *)1 : NULL;
}

static void test_shutdown(void)
{
    ck_workqueue *q = ck_workqueue_new("t");
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, blocked_get, q);
    usleep(20000);
    ck_workqueue_shutdown(q);
    for (int i = 0; i < 2; i++) {
        void *rv = NULL;
        pthread_join(t[i], &rv);
        CU_ASSERT_PTR_EQUAL(rv, (void *)1);
    }
    CU_ASSERT_TRUE(ck_workqueue_shutting_down(q));
    ck_workqueue_add(q, "ignored");
    CU_ASSERT_EQUAL(ck_workqueue_len(q), 0);
    ck_workqueue_free(q);
    /* Keys queued before shutdown still drain. */
    q = ck_workqueue_new("t");
    ck_workqueue_add(q, "left");
    ck_workqueue_shutdown(q);
    bool sd = true;
    char *k = ck_workqueue_get(q, &sd);
    CU_ASSERT_PTR_NOT_NULL(k);
    CU_ASSERT_FALSE(sd);
    free(k);
    CU_ASSERT_PTR_NULL(ck_workqueue_get(q, &sd));
    CU_ASSERT_TRUE(sd);
    ck_workqueue_free(q);
}

int main(void)
{
    static const ck_test tests[] = {
        {"dedup and FIFO order", test_dedup_fifo},
        {"a processing key is re-queued only by done", test_processing_set},
        {"no key in two workers at once", test_no_concurrent_processing},
        {"add_after delays; earliest wins", test_add_after},
        {"per-item exponential backoff and forget", test_rate_limited},
        {"token bucket beyond the burst", test_bucket},
        {"shutdown wakes getters and drains", test_shutdown},
        {NULL, NULL},
    };
    return ck_test_main("workqueue", tests, NULL, NULL);
}
