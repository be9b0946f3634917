/* controller.h: the plumbing controllers share (client-go's controller
 * pattern): N workers draining a rate-limited work queue through a sync
 * function (processNextWorkItem / handleErr), started-and-synced informers,
 * an informer resync timer, and "ns/name" key splitting. */
#ifndef CK_CLIENT_CONTROLLER_H
#define CK_CLIENT_CONTROLLER_H
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "client/informer.h"
#include "client/rest.h"
#include "client/workqueue.h"

/* Result of one sync: CK_SYNC_OK forgets the key's failures, CK_SYNC_RETRY
 * re-adds it rate-limited; a positive value forgets and re-adds after that
 * many milliseconds (queue.AddAfter). */
enum { CK_SYNC_RETRY = -1, CK_SYNC_OK = 0 };
typedef long (*ck_sync_fn)(void *self, const char *key);

/* A work queue plus N worker threads calling sync(self, key). */
typedef struct ck_workers {
    ck_workqueue *queue;
    ck_sync_fn sync;
    void *self;
    int n;
    pthread_t *threads;
    char name[64];
} ck_workers;

/* Creates the queue (owned by w). 0, or -1 on OOM. */
int ck_workers_init(ck_workers *w, const char *name, ck_sync_fn sync, void *self);
/* Starts n threads (n <= 0: 1). 0, or -1. */
int ck_workers_run(ck_workers *w, int n);
/* Shuts the queue down, joins the threads, frees the queue. Idempotent. */
void ck_workers_stop(ck_workers *w);
/* Queues the object's "ns/name" key (no-op for NULL or keyless objects). */
void ck_workers_enqueue(ck_workers *w, const json_t *obj);

/* An informer for group/version/resource over all namespaces, started and
 * waited on (up to 30 s; a warning and on when not synced by then). NULL
 * with a message in err. Owned by the caller (ck_informer_free). */
ck_informer *ck_controller_informer(ck_rest *rest, const char *group, const char *version, const char *resource,
                                    const ck_informer_handlers *h, char *err, size_t errlen);

/* Stops (concurrently: each stop waits for its watch to notice the cancel)
 * and frees n informers; NULL entries are skipped. */
void ck_informers_free(ck_informer **v, size_t n);

/* An informer resync (client-go's resyncPeriod): every period_ms, queue
 * the key of every cached object. */
typedef struct ck_resync {
    ck_informer *inf;   /* borrowed */
    ck_workers *w;      /* borrowed */
    long period_ms;
    atomic_int stop;
    pthread_t thread;
    bool running;
} ck_resync;
/* Starts the resync thread (period_ms <= 0: does nothing). 0 or -1. */
int ck_resync_start(ck_resync *r, ck_informer *inf, ck_workers *w, long period_ms);
void ck_resync_stop(ck_resync *r);  /* idempotent */

/* Splits "ns/name" into the two buffers (ns "" for cluster-scoped), as
 * cache.SplitMetaNamespaceKey. 0, or -1 when a part does not fit. */
int ck_split_key(const char *key, char *ns, size_t nslen, char *name, size_t namelen);

/* Informer list filter: true when obj.metadata.namespace equals ud (a const char*). */
bool ck_in_namespace(const json_t *obj, void *ud);
#endif
