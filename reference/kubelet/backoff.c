/* backoff.c: CrashLoopBackOff timing, as client-go's flowcontrol.Backoff used
 * by kuberuntime's doBackOff: the first restart is immediate and records the
 * initial delay (10 s); each later restart waits the recorded delay after the
 * container finished, then doubles it up to the max (300 s). An entry unused
 * for 2 x max is forgotten (Backoff.GC). */
#include "kubelet/kubelet_internal.h"

static long initial_ms(const ck_kubelet_config *c) { return c->backoff_initial_ms > 0 ? c->backoff_initial_ms : 10000; }
static long max_ms(const ck_kubelet_config *c) { return c->backoff_max_ms > 0 ? c->backoff_max_ms : 300000; }

bool ck_backoff_in_backoff(const ck_kubelet_config *cfg, ck_ctr_record *r, int64_t finished_ms, int64_t now_ms)
{
    if (r->backoff_ms && now_ms - r->backoff_seen_ms > 2 * max_ms(cfg)) r->backoff_ms = 0;
    return r->backoff_ms > 0 && now_ms - finished_ms < r->backoff_ms;
}

void ck_backoff_next(const ck_kubelet_config *cfg, ck_ctr_record *r, int64_t now_ms)
{
    if (!r->backoff_ms || now_ms - r->backoff_seen_ms > 2 * max_ms(cfg)) r->backoff_ms = initial_ms(cfg);
    else r->backoff_ms = r->backoff_ms * 2 > max_ms(cfg) ? max_ms(cfg) : r->backoff_ms * 2;
    r->backoff_seen_ms = now_ms;
}
