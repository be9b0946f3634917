/* pod_termination.c: graceful pod termination off the sync workers. Upstream
 * gives every pod its own worker goroutine (pkg/kubelet/pod_workers.go), so
 * a pod waiting out its terminationGracePeriodSeconds never delays another;
 * killContainersWithSyncResult stops the pod's containers in parallel, each
 * with the whole grace period. Here: one thread per terminating pod, one per
 * container it stops. */
#include <stdlib.h>
#include <string.h>
#include "kubelet/kubelet_internal.h"
#include "util/log.h"
#include "util/timeutil.h"

typedef struct stop_one {
    ck_kubelet *k;
    char id[CK_CRI_ID_LEN];
    long grace_s;
    pthread_t th;
    bool started;
} stop_one;

typedef struct kill_job {
    ck_kubelet *k;
    ck_pod_worker *w;
    long grace_s;
} kill_job;

static void *stop_thread(void *arg)
{
    stop_one *s = arg;
    char err[256];
    s->k->rt->ops->stop_container(s->k->rt, s->id, s->grace_s, err, sizeof err);
    return NULL;
}

static void *killer(void *arg)
{
    kill_job *j = arg;
    ck_kubelet *k = j->k;
    ck_pod_worker *w = j->w;
    int64_t deadline = ck_mono_ms() + j->grace_s * 1000;
    /* Killing events and preStop hooks read the spec: under w->mu. */
    pthread_mutex_lock(&w->mu);
    stop_one *s = calloc(w->n ? w->n : 1, sizeof *s);
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++) {
        ck_ctr_record *r = &w->ctrs[i];
        if (!ck_pod_worker_pre_stop(k, w, r)) continue;
        if (!s) { /* no memory for the parallel stop: this one now */
            char err[256];
            long left = (long)((deadline - ck_mono_ms()) / 1000);
            k->rt->ops->stop_container(k->rt, r->id, left > 0 ? left : 0, err, sizeof err);
            continue;
        }
        s[n].k = k;
        memcpy(s[n].id, r->id, sizeof s[n].id);
        n++;
    }
    pthread_mutex_unlock(&w->mu);
    /* The waits run without w->mu, so logs and status stay readable. */
    for (size_t i = 0; i < n; i++) {
        long left = (long)((deadline - ck_mono_ms()) / 1000);
        s[i].grace_s = left > 0 ? left : 0;
        s[i].started = pthread_create(&s[i].th, NULL, stop_thread, &s[i]) == 0;
        if (!s[i].started) stop_thread(&s[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (s[i].started) pthread_join(s[i].th, NULL);
    free(s);
    char key[sizeof w->key];
    pthread_mutex_lock(&w->mu);
    ck_pod_worker_finish_kill(k, w);
    w->killing = false;
    memcpy(key, w->key, sizeof key);
    pthread_mutex_unlock(&w->mu);
    ck_workqueue_add(k->queue, key); /* the final delete comes from a sync */
    free(j);
    return NULL;
}

int ck_pod_termination_start(ck_kubelet *k, ck_pod_worker *w, long grace_s)
{
    if (w->killing || w->killer_started) return -1;
    kill_job *j = malloc(sizeof *j);
    if (!j) return -1;
    *j = (kill_job){k, w, grace_s};
    w->killing = true;
    if (pthread_create(&w->killer, NULL, killer, j) != 0) {
        ck_warn("pod %s: cannot start its termination thread; terminating inline", w->key);
        w->killing = false;
        free(j);
        return -1;
    }
    w->killer_started = true;
    return 0;
}

void ck_pod_termination_hurry(ck_kubelet *k, ck_pod_worker *w)
{
    char err[256];
    for (size_t i = 0; i < w->n; i++)
        if (w->ctrs[i].id[0] && w->ctrs[i].cur.state == CK_CONTAINER_RUNNING)
            k->rt->ops->stop_container(k->rt, w->ctrs[i].id, 0, err, sizeof err);
}

void ck_pod_termination_join(ck_pod_worker *w)
{
    if (!w->killer_started) return;
    pthread_join(w->killer, NULL);
    w->killer_started = false;
}
