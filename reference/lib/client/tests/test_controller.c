/* test_controller.c: the shared controller plumbing (client/controller.h):
 * the worker loop's forget / rate-limited retry / AddAfter on each sync
 * result (client-go's processNextWorkItem + handleErr), key splitting as
 * cache.SplitMetaNamespaceKey, and the namespace list filter. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include "client/controller.h"
#include "util/cktest.h"
#include "util/timeutil.h"

/* Sync: "retry" fails twice then succeeds, "later" asks to be re-run after
 * 50 ms once, everything else succeeds at once. */
typedef struct rec {
    pthread_mutex_t mu;
    int calls_retry, calls_later, calls_ok;
    long long later_first, later_second;
} rec;

static long sync_fn(void *self, const char *key)
{
    rec *r = self;
    long rc = CK_SYNC_OK;
    pthread_mutex_lock(&r->mu);
    if (!strcmp(key, "ns/retry")) {
        rc = ++r->calls_retry <= 2 ? CK_SYNC_RETRY : CK_SYNC_OK;
    } else if (!strcmp(key, "ns/later")) {
        if (++r->calls_later == 1) r->later_first = ck_mono_ms(), rc = 50;
        else r->later_second = ck_mono_ms();
    } else {
        r->calls_ok++;
    }
    pthread_mutex_unlock(&r->mu);
    return rc;
}

static bool wait_for(rec *r, int *counter, int want)
{
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&r->mu);
        int v = *counter;
        pthread_mutex_unlock(&r->mu);
        if (v >= want) return true;
        usleep(10 * 1000);
    }
    return false;
}

static void test_workers_sync_results(void)
{
    rec r = {.mu = PTHREAD_MUTEX_INITIALIZER};
    ck_workers w;
    CU_ASSERT_EQUAL_FATAL(ck_workers_init(&w, "test", sync_fn, &r), 0);
    CU_ASSERT_EQUAL_FATAL(ck_workers_run(&w, 2), 0);
    CU_ASSERT_EQUAL(w.n, 2);
    json_t *obj = json_pack("{s:{s:s,s:s}}", "metadata", "namespace", "ns", "name", "plain");
    ck_workers_enqueue(&w, obj);
    ck_workers_enqueue(&w, NULL); /* no-op */
    ck_workqueue_add(w.queue, "ns/retry");
    ck_workqueue_add(w.queue, "ns/later");
    CU_ASSERT(wait_for(&r, &r.calls_ok, 1));
    CU_ASSERT(wait_for(&r, &r.calls_retry, 3));   /* two rate-limited retries, then OK */
    CU_ASSERT(wait_for(&r, &r.calls_later, 2));   /* re-run after the delay it asked for */
    pthread_mutex_lock(&r.mu);
    CU_ASSERT(r.later_second - r.later_first >= 45);
    CU_ASSERT_EQUAL(r.calls_retry, 3);
    pthread_mutex_unlock(&r.mu);
    /* OK forgot the failures: the next retry starts from the base delay again. */
    int requeues = -1;
    for (int i = 0; i < 100 && (requeues = ck_workqueue_num_requeues(w.queue, "ns/retry")) != 0; i++)
        usleep(10 * 1000);
    CU_ASSERT_EQUAL(requeues, 0);
    ck_workers_stop(&w);
    CU_ASSERT_PTR_NULL(w.queue);
    ck_workers_stop(&w); /* idempotent */
    ck_workers_enqueue(&w, obj); /* stopped: no-op */
    json_decref(obj);
}

static void test_resync_disabled(void)
{
    ck_resync r;
    CU_ASSERT_EQUAL(ck_resync_start(&r, NULL, NULL, 0), 0);
    CU_ASSERT_FALSE(r.running);
    ck_resync_stop(&r);
}

static void test_split_key(void)
{
    char ns[8], name[8];
    CU_ASSERT_EQUAL(ck_split_key("kube/web", ns, sizeof ns, name, sizeof name), 0);
    CU_ASSERT_STRING_EQUAL(ns, "kube");
    CU_ASSERT_STRING_EQUAL(name, "web");
    CU_ASSERT_EQUAL(ck_split_key("node-1", ns, sizeof ns, name, sizeof name), 0); /* cluster-scoped */
    CU_ASSERT_STRING_EQUAL(ns, "");
    CU_ASSERT_STRING_EQUAL(name, "node-1");
    CU_ASSERT_EQUAL(ck_split_key("namespace/x", ns, sizeof ns, name, sizeof name), -1);
    CU_ASSERT_EQUAL(ck_split_key("a/too-long-name", ns, sizeof ns, name, sizeof name), -1);
}

static void test_in_namespace(void)
{
    json_t *o = json_pack("{s:{s:s}}", "metadata", "namespace", "a");
    CU_ASSERT_TRUE(ck_in_namespace(o, "a"));
    CU_ASSERT_FALSE(ck_in_namespace(o, "b"));
    json_t *n = json_object();
    CU_ASSERT_TRUE(ck_in_namespace(n, ""));
    json_decref(o), json_decref(n);
}

int main(void)
{
    static const ck_test tests[] = {
        {"workers: forget, rate-limited retry, add-after", test_workers_sync_results},
        {"resync: period 0 starts nothing", test_resync_disabled},
        {"split ns/name keys", test_split_key},
        {"namespace list filter", test_in_namespace},
        {NULL, NULL},
    };
    return ck_test_main("client/controller", tests, NULL, NULL);
}
