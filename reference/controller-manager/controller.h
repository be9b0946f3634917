/* controller.h: the plumbing every controller in kube-controller-manager
 * shares: the context handed to each controller, the worker loop over a
 * rate-limited work queue (client-go's processNextWorkItem), and events. */
#ifndef CK_CM_CONTROLLER_H
#define CK_CM_CONTROLLER_H
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "client/informer.h"
#include "client/rest.h"
#include "client/workqueue.h"

/* What main() hands every controller (ControllerContext upstream). Borrowed. */
typedef struct ck_cm_ctx {
    ck_rest *rest;
    int workers;                      /* --concurrent-*-syncs; 0 = controller default */
    const char *root_ca_file;         /* --root-ca-file, NULL = placeholder */
    long node_monitor_period_ms;      /* --node-monitor-period */
    long node_monitor_grace_ms;       /* --node-monitor-grace-period */
    long node_startup_grace_ms;       /* --node-startup-grace-period */
    long namespace_sync_ms;           /* --namespace-sync-period */
} ck_cm_ctx;

/* One row of the controller table: start returns an opaque handle (NULL with
 * a message in err), stop stops and frees it. */
typedef struct ck_cm_controller {
    const char *name;                 /* as --controllers spells it */
    void *(*start)(const ck_cm_ctx *ctx, char *err, size_t errlen);
    void (*stop)(void *handle);
} ck_cm_controller;

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
 * waited on (up to 30 s). NULL with a message in err. */
ck_informer *ck_cm_informer(const ck_cm_ctx *ctx, const char *group, const char *version,
                            const char *resource, const ck_informer_handlers *h,
                            char *err, size_t errlen);

/* An informer resync (client-go's resyncPeriod): every period_ms, queue
 * the key of every cached object. */
typedef struct ck_cm_resync {
    ck_informer *inf;   /* borrowed */
    ck_workers *w;      /* borrowed */
    long period_ms;
    atomic_int stop;
    pthread_t thread;
    bool running;
} ck_cm_resync;
/* Starts the resync thread (period_ms <= 0: does nothing). 0 or -1. */
int ck_cm_resync_start(ck_cm_resync *r, ck_informer *inf, ck_workers *w, long period_ms);
void ck_cm_resync_stop(ck_cm_resync *r);  /* idempotent */

/* Stops (concurrently: each stop waits for its watch to notice the cancel)
 * and frees n informers; NULL entries are skipped. */
void ck_cm_informers_free(ck_informer **v, size_t n);

/* Records a core/v1 Event about `obj` (kind/apiVersion given since informer
 * objects may lack them), as client-go's EventRecorder: type "Normal" or
 * "Warning", source.component = component. Failures are logged, not returned. */
void ck_cm_event(ck_rest *rest, const char *component, const json_t *obj, const char *api_version,
                 const char *kind, const char *type, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Splits "ns/name" into the two buffers (ns "" for cluster-scoped). 0 or -1. */
int ck_cm_split_key(const char *key, char *ns, size_t nslen, char *name, size_t namelen);

/* True when obj.metadata.namespace equals ud (a const char*). */
bool ck_cm_in_namespace(const json_t *obj, void *ud);
#endif
