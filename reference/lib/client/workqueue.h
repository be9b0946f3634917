/* workqueue.h: client-go's rate-limited work queue (k8s.io/client-go/util/
 * workqueue): keys are deduplicated while queued, a key being processed is
 * never handed to a second worker, delayed adds, per-key exponential backoff. */
#ifndef CK_CLIENT_WORKQUEUE_H
#define CK_CLIENT_WORKQUEUE_H
#include <stdbool.h>
#include <stddef.h>

typedef struct ck_workqueue ck_workqueue; /* opaque; every call is thread-safe */

/* Rate limiter settings; ck_workqueue_new uses client-go's
 * DefaultControllerRateLimiter: max(per-item exponential 5ms..1000s,
 * overall token bucket 10 qps / burst 100). */
typedef struct ck_rate_limiter_cfg {
    long base_ms, max_ms;  /* per-item: base * 2^failures, capped at max */
    double qps;            /* overall bucket; 0 disables it */
    int burst;
} ck_rate_limiter_cfg;

/* NULL on OOM. Free with ck_workqueue_free() after shutdown and after every
 * worker has returned. `name` is copied (for logs). */
ck_workqueue *ck_workqueue_new(const char *name);
ck_workqueue *ck_workqueue_new_with(const char *name, const ck_rate_limiter_cfg *rl);
void ck_workqueue_free(ck_workqueue *q);

/* Queues key unless it is already queued (dedup); a key being processed is
 * marked dirty and re-queued by ck_workqueue_done(). Ignored after shutdown. */
void ck_workqueue_add(ck_workqueue *q, const char *key);
/* Adds key once delay_ms has passed (<= 0: now). A key already waiting keeps
 * the earlier of its two ready times. */
void ck_workqueue_add_after(ck_workqueue *q, const char *key, long delay_ms);
/* add_after(key, the rate limiter's next delay for key). Returns that delay. */
long ck_workqueue_add_rate_limited(ck_workqueue *q, const char *key);
/* Resets key's failure count (call after a successful reconcile). */
void ck_workqueue_forget(ck_workqueue *q, const char *key);
int ck_workqueue_num_requeues(ck_workqueue *q, const char *key);

/* Blocks for the next key. Returns a copy the caller frees, or NULL once the
 * queue is shut down and drained (*shutdown set true when non-NULL). The key
 * is "processing" until ck_workqueue_done(). */
char *ck_workqueue_get(ck_workqueue *q, bool *shutdown);
/* Like get, but waits at most timeout_ms; NULL on timeout too. */
char *ck_workqueue_get_timed(ck_workqueue *q, long timeout_ms, bool *shutdown);
void ck_workqueue_done(ck_workqueue *q, const char *key);

size_t ck_workqueue_len(ck_workqueue *q);  /* queued (not processing, not waiting) */
/* Stops accepting adds and wakes every blocked getter; queued keys drain. */
void ck_workqueue_shutdown(ck_workqueue *q);
bool ck_workqueue_shutting_down(ck_workqueue *q);
#endif
