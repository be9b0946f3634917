/* compaction.c: periodic storage compaction (k8s.io/apiserver/pkg/storage/
 * etcd3/compact.go): every --etcd-compaction-interval, compact etcd up to
 * the revision seen one interval earlier, so history stays bounded and
 * everything newer than one interval remains readable. Continue tokens
 * live as long (handlers/list.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "apiserver/apiserver.h"
#include "apiserver/handlers/rest.h"
#include "util/log.h"

static void *compactor(void *arg)
{
    ck_apiserver *s = arg;
    int64_t previous = 0;
    pthread_mutex_lock(&s->compact_mu);
    while (!s->stopping) {
        struct timespec dl;
        clock_gettime(CLOCK_REALTIME, &dl);
        dl.tv_sec += s->cfg.compaction_interval_ms / 1000;
        dl.tv_nsec += (long)(s->cfg.compaction_interval_ms % 1000) * 1000000L;
        if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
        int rc = 0;
        while (!s->stopping && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&s->compact_cv, &s->compact_mu, &dl);
        if (s->stopping) break;
        pthread_mutex_unlock(&s->compact_mu);
        char err[256] = "";
        int64_t now = 0;
        /* compact.go records each compaction in compact_rev_key (outside
         * /registry/): every interval moves the revision on. */
        char val[24];
        snprintf(val, sizeof val, "%lld", (long long)previous);
        if (s->store->ops->update(s->store, "compact_rev_key", val, strlen(val), 0, &now, NULL, err, sizeof err) ==
            CK_STORE_NOT_FOUND)
            s->store->ops->create(s->store, "compact_rev_key", val, strlen(val), &now, err, sizeof err);
        if (s->store->ops->revision(s->store, &now, err, sizeof err) == CK_STORE_OK) {
            if (previous > 0 && s->store->ops->compact(s->store, previous, err, sizeof err) != CK_STORE_OK)
                ck_warn("compaction at revision %lld: %s", (long long)previous, err);
            else if (previous > 0)
                ck_debug("compacted storage at revision %lld", (long long)previous);
            previous = now;
        }
        pthread_mutex_lock(&s->compact_mu);
    }
    pthread_mutex_unlock(&s->compact_mu);
    return NULL;
}

int ck_compactor_start(ck_apiserver *s)
{
    ck_list_snapshot_ttl(s->cfg.compaction_interval_ms);
    pthread_mutex_init(&s->compact_mu, NULL);
    pthread_cond_init(&s->compact_cv, NULL);
    if (s->cfg.compaction_interval_ms <= 0) return 0;
    if (pthread_create(&s->compactor, NULL, compactor, s) != 0) return -1;
    s->compactor_running = 1;
    return 0;
}

void ck_compactor_stop(ck_apiserver *s)
{
    if (!s->compactor_running) return;
    pthread_mutex_lock(&s->compact_mu);
    s->stopping = true;
    pthread_cond_broadcast(&s->compact_cv);
    pthread_mutex_unlock(&s->compact_mu);
    pthread_join(s->compactor, NULL);
    s->compactor_running = 0;
}
