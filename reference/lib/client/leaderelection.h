/* leaderelection.h: leader election on a coordination.k8s.io/v1 Lease, as
 * client-go's tools/leaderelection: acquire when the lease is free or expired,
 * renew every retryPeriod, give up when renewDeadline passes without renewal. */
#ifndef CK_CLIENT_LEADERELECTION_H
#define CK_CLIENT_LEADERELECTION_H
#include <stdbool.h>
#include <stddef.h>
#include "client/rest.h"

typedef struct ck_leader_config {
    const char *lease_namespace;   /* e.g. "kube-system" */
    const char *lease_name;        /* e.g. "kube-scheduler" */
    const char *identity;          /* holderIdentity: unique per process */
    long lease_duration_ms;        /* 0 = 15000 (client-go's default 15s) */
    long renew_deadline_ms;        /* 0 = 10000 */
    long retry_period_ms;          /* 0 = 2000 */
    bool release_on_cancel;        /* on stop, hand the lease back (holder "") */
    /* Callbacks run on the elector's thread and must return promptly (start
     * your own threads from on_started_leading). As in client-go,
     * on_stopped_leading runs whenever the elector's run ends, whether or not
     * it ever led. on_new_leader reports each newly observed holder. */
    void (*on_started_leading)(void *ud);
    void (*on_stopped_leading)(void *ud);
    void (*on_new_leader)(const char *identity, void *ud);
    void *ud;
} ck_leader_config;

typedef struct ck_leader_elector ck_leader_elector; /* opaque */

/* Validates like NewLeaderElector (leaseDuration > renewDeadline >
 * 1.2 * retryPeriod, identity set) and copies cfg; `rest` is borrowed and
 * must outlive the elector. NULL with a message in err. */
ck_leader_elector *ck_leader_elector_new(ck_rest *rest, const ck_leader_config *cfg,
                                         char *err, size_t errlen);
/* Runs acquire-then-renew on a new thread. 0, or -1. One run per elector. */
int ck_leader_elector_start(ck_leader_elector *le);
/* Stops the run (releasing the lease if configured) and joins. Idempotent. */
void ck_leader_elector_stop(ck_leader_elector *le);
void ck_leader_elector_free(ck_leader_elector *le); /* stops first */

bool ck_leader_elector_is_leader(ck_leader_elector *le);
/* True once the run has ended by itself (leadership lost). */
bool ck_leader_elector_finished(ck_leader_elector *le);
/* The last observed holderIdentity ("" when none), copied into out. */
void ck_leader_elector_leader(ck_leader_elector *le, char *out, size_t outlen);

/* One tryAcquireOrRenew step (exposed for tests and tools): true when this
 * elector holds the lease afterwards. Not to be mixed with a running thread. */
bool ck_leader_elector_try(ck_leader_elector *le);
#endif
