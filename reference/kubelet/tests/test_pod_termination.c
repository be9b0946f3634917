/* test_pod_termination.c: graceful termination runs off the sync workers
 * (pod_termination.c): a sync of a deleted pod returns while its containers
 * are still being stopped, and every container of every terminating pod is
 * stopped at the same time, as upstream's per-pod workers and
 * killContainersWithSyncResult do. The runtime is the fake one with a
 * stop_container that takes a while, as a container ignoring SIGTERM would. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"
#include "util/cktest.h"
#include "kubelet/tests/fake_kubelet.h"
#include "util/timeutil.h"

typedef struct slow_cri {
    ck_cri *fake;
    ck_cri_ops ops; /* the fake's, but stop_container */
    int (*fake_stop)(ck_cri *, const char *, long, char *, size_t);
    pthread_mutex_t mu;
    int in_flight, max_in_flight, stops;
} slow_cri;

static slow_cri slow;

static int slow_stop(ck_cri *rt, const char *id, long timeout_s, char *err, size_t errlen)
{
    pthread_mutex_lock(&slow.mu);
    slow.stops++;
    if (++slow.in_flight > slow.max_in_flight) slow.max_in_flight = slow.in_flight;
    pthread_mutex_unlock(&slow.mu);
    usleep(timeout_s > 0 ? 300000 : 0); /* the grace period a SIGTERM-deaf container uses up */
    int rc = slow.fake_stop(rt, id, timeout_s, err, errlen);
    pthread_mutex_lock(&slow.mu);
    slow.in_flight--;
    pthread_mutex_unlock(&slow.mu);
    return rc;
}

/* The fake kubelet with a work queue (a finished termination re-queues its
 * pod) and the slow stop_container wrapped around the fake runtime's. */
static ck_kubelet *slow_kubelet(void)
{
    ck_kubelet *k = fake_kubelet_new("termination", NULL);
    slow.fake = k->rt;
    slow.ops = *slow.fake->ops;
    slow.fake_stop = slow.ops.stop_container;
    slow.ops.stop_container = slow_stop;
    slow.fake->ops = &slow.ops;
    pthread_mutex_init(&slow.mu, NULL);
    k->queue = ck_workqueue_new("test");
    return k;
}

static void free_kubelet(ck_kubelet *k)
{
    ck_workqueue_shutdown(k->queue);
    ck_workqueue_free(k->queue);
    pthread_mutex_destroy(&slow.mu);
    fake_kubelet_free(k);
}

static ck_pod_worker *running_pod(ck_kubelet *k, const char *name)
{
    json_t *p = json_pack("{s:{s:s,s:s,s:s},s:{s:s,s:i,s:[{s:s,s:s},{s:s,s:s}]}}", "metadata", "name", name,
                          "namespace", "ns1", "uid", name, "spec", "restartPolicy", "Always",
                          "terminationGracePeriodSeconds", 30, "containers", "name", "a", "image", "busybox", "name",
                          "b", "image", "busybox");
    ck_pod_worker *w = ck_pod_worker_new(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    pthread_mutex_lock(&w->mu);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    /* the API marks it deleted */
    json_object_set_new(json_object_get(p, "metadata"), "deletionTimestamp", json_string("2026-01-01T00:00:00Z"));
    json_object_set_new(json_object_get(p, "metadata"), "deletionGracePeriodSeconds", json_integer(30));
    ck_pod_worker_update(w, p);
    pthread_mutex_unlock(&w->mu);
    json_decref(p);
    return w;
}

static void test_parallel_termination(void)
{
    ck_kubelet *k = slow_kubelet();
    ck_pod_worker *w[3];
    for (int i = 0; i < 3; i++) w[i] = running_pod(k, i == 0 ? "p0" : i == 1 ? "p1" : "p2");
    for (int i = 0; i < 3; i++) {
        pthread_mutex_lock(&w[i]->mu);
        CU_ASSERT_EQUAL(ck_pod_worker_sync(k, w[i], false), 0);
        /* the sync came back with the pod still terminating */
        CU_ASSERT_TRUE(w[i]->killing);
        CU_ASSERT_FALSE(w[i]->terminated);
        pthread_mutex_unlock(&w[i]->mu);
    }
    int64_t until = ck_mono_ms() + 20000;
    for (int i = 0; i < 3; i++)
        for (;;) {
            pthread_mutex_lock(&w[i]->mu);
            bool done = w[i]->terminated && !w[i]->killing;
            pthread_mutex_unlock(&w[i]->mu);
            if (done || ck_mono_ms() > until) break;
            usleep(10000);
        }
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_TRUE(w[i]->terminated);
        CU_ASSERT_STRING_EQUAL(w[i]->sandbox, "");
        for (size_t c = 0; c < w[i]->n; c++) CU_ASSERT_EQUAL(w[i]->ctrs[c].cur.state, CK_CONTAINER_EXITED);
    }
    /* all six containers (3 pods x 2) were being stopped at once */
    CU_ASSERT_EQUAL(slow.stops, 6);
    CU_ASSERT_EQUAL(slow.max_in_flight, 6);
    for (int i = 0; i < 3; i++) ck_pod_worker_free(w[i]);
    free_kubelet(k);
}

int main(void)
{
    static const ck_test tests[] = {
        {"deleted pods terminate in parallel, off the sync", test_parallel_termination},
        {NULL, NULL},
    };
    return ck_test_main("kubelet pod termination", tests, NULL, NULL);
}
