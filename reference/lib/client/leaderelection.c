/* leaderelection.c: client-go's LeaderElector over a Lease
 * (k8s.io/client-go/tools/leaderelection/leaderelection.go and
 * resourcelock/leaselock.go): tryAcquireOrRenew, acquire and renew loops,
 * release. Expiry is judged by when *we* observed the record change
 * (observedTime + leaseDuration), never by comparing clocks with the holder. */
#define _GNU_SOURCE
#include "client/leaderelection.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/uid.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JITTER_FACTOR 1.2 /* leaderelection.JitterFactor */

struct ck_leader_elector {
    ck_rest *rest;
    ck_leader_config cfg;        /* strings below are our copies */
    char *ns, *name, *identity;
    char observed_holder[256];   /* observedRecord.HolderIdentity */
    char *observed_raw;          /* the lease spec as last seen, to spot changes */
    int64_t observed_ms;         /* monotonic time we saw it change */
    char reported[256];          /* last holder passed to on_new_leader */
    pthread_mutex_t mu;
    pthread_cond_t cond;         /* CLOCK_MONOTONIC; wakes sleeps on stop */
    bool stopping, running, leading, finished;
    pthread_t thread;
};

ck_leader_elector *ck_leader_elector_new(ck_rest *rest, const ck_leader_config *cfg, char *err,
                                         size_t errlen)
{
    ck_leader_config c = *cfg;
    c.lease_duration_ms = c.lease_duration_ms ? c.lease_duration_ms : 15000;
    c.renew_deadline_ms = c.renew_deadline_ms ? c.renew_deadline_ms : 10000;
    c.retry_period_ms = c.retry_period_ms ? c.retry_period_ms : 2000;
    if (c.lease_duration_ms <= c.renew_deadline_ms)
        return snprintf(err, errlen, "leaseDuration must be greater than renewDeadline"), NULL;
    if ((double)c.renew_deadline_ms <= JITTER_FACTOR * (double)c.retry_period_ms)
        return snprintf(err, errlen, "renewDeadline must be greater than retryPeriod*JitterFactor"), NULL;
    if (!c.identity || !*c.identity) return snprintf(err, errlen, "Lock identity is empty"), NULL;
    if (!c.lease_namespace || !*c.lease_namespace || !c.lease_name || !*c.lease_name)
        return snprintf(err, errlen, "lease namespace and name are required"), NULL;
    ck_leader_elector *le = calloc(1, sizeof *le);
    if (!le) return snprintf(err, errlen, "out of memory"), NULL;
    le->rest = rest;
    le->cfg = c;
    le->ns = strdup(c.lease_namespace), le->name = strdup(c.lease_name);
    le->identity = strdup(c.identity);
    pthread_mutex_init(&le->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&le->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (!le->ns || !le->name || !le->identity) {
        snprintf(err, errlen, "out of memory");
        ck_leader_elector_free(le);
        return NULL;
    }
    return le;
}

void ck_leader_elector_free(ck_leader_elector *le)
{
    if (!le) return;
    ck_leader_elector_stop(le);
    pthread_mutex_destroy(&le->mu);
    pthread_cond_destroy(&le->cond);
    free(le->ns), free(le->name), free(le->identity), free(le->observed_raw);
    free(le);
}

/* ---- the lease record -------------------------------------------------- */

static ck_resource_ref lease_ref(const ck_leader_elector *le, bool named)
{
    return (ck_resource_ref){.group = "coordination.k8s.io", .version = "v1", .resource = "leases",
                             .namespace = le->ns, .name = named ? le->name : NULL};
}

/* A LeaseSpec (rl.LeaderElectionRecord -> LeaseSpec): MicroTimes for
 * acquire/renew, leaseDurationSeconds truncated to whole seconds. */
static json_t *lease_spec(const char *holder, long duration_s, const char *acquire, const char *renew,
                          json_int_t transitions)
{
    return json_pack("{s:s,s:I,s:s,s:s,s:I}", "holderIdentity", holder, "leaseDurationSeconds",
                     (json_int_t)duration_s, "acquireTime", acquire, "renewTime", renew,
                     "leaseTransitions", transitions);
}

/* Records a (possibly) new observation and reports a changed holder. */
static void observe(ck_leader_elector *le, const json_t *spec)
{
    char *raw = ck_json_dump(spec);
    if (!raw) return;
    if (le->observed_raw && !strcmp(raw, le->observed_raw)) {
        free(raw);
        return;
    }
    free(le->observed_raw);
    le->observed_raw = raw;
    le->observed_ms = ck_mono_ms();
    pthread_mutex_lock(&le->mu);
    snprintf(le->observed_holder, sizeof le->observed_holder, "%s",
             ck_json_str(spec, "holderIdentity", ""));
    pthread_mutex_unlock(&le->mu);
    const char *h = ck_json_str(spec, "holderIdentity", "");
    if (*h && strcmp(h, le->reported)) { /* maybeReportTransition */
        snprintf(le->reported, sizeof le->reported, "%s", h);
        if (le->cfg.on_new_leader) le->cfg.on_new_leader(h, le->cfg.ud);
    }
}

static bool observed_self(ck_leader_elector *le)
{
    pthread_mutex_lock(&le->mu);
    bool me = !strcmp(le->observed_holder, le->identity);
    pthread_mutex_unlock(&le->mu);
    return me;
}

/* Writes spec into the lease (PUT with the read resourceVersion, so a
 * concurrent writer gets 409 Conflict) or creates it when `lease` is NULL. */
static bool write_lease(ck_leader_elector *le, json_t *lease, json_t *spec)
{
    ck_response r;
    ck_resource_ref ref = lease_ref(le, lease != NULL);
    int rc;
    if (lease) {
        json_t *obj = json_deep_copy(lease);
        json_object_set(obj, "spec", spec);
        rc = obj ? ck_rest_update(le->rest, &ref, obj, &r) : -1;
        json_decref(obj);
        if (!obj) return false;
    } else {
        json_t *obj = json_pack("{s:s,s:s,s:{s:s,s:s},s:O}", "apiVersion", "coordination.k8s.io/v1",
                                "kind", "Lease", "metadata", "name", le->name, "namespace", le->ns,
                                "spec", spec);
        rc = obj ? ck_rest_create(le->rest, &ref, obj, &r) : -1;
        json_decref(obj);
        if (!obj) return false;
    }
    if (rc < 0) ck_info("lease %s/%s: %ld %s", le->ns, le->name, r.code, r.message);
    ck_response_clear(&r);
    return rc == 0;
}

bool ck_leader_elector_try(ck_leader_elector *le)
{
    char now[CK_TIME_LEN];
    ck_microtime_now(now);
    long dur_s = le->cfg.lease_duration_ms / 1000;
    ck_response r;
    ck_resource_ref ref = lease_ref(le, true);
    bool ok = false;
    if (ck_rest_get(le->rest, &ref, &r) < 0) {
        if (r.code == 404) { /* 1. no lease yet: create it holding it */
            json_t *spec = lease_spec(le->identity, dur_s, now, now, 0);
            if (spec && (ok = write_lease(le, NULL, spec))) observe(le, spec);
            json_decref(spec);
        } else {
            ck_warn("error retrieving lease %s/%s: %ld %s", le->ns, le->name, r.code, r.message);
        }
        ck_response_clear(&r);
        return ok;
    }
    json_t *old = json_object_get(r.body, "spec");
    if (!json_is_object(old)) old = json_object();
    else json_incref(old);
    observe(le, old); /* 2. has the record changed since we last looked? */
    const char *holder = ck_json_str(old, "holderIdentity", "");
    bool valid = le->observed_ms + le->cfg.lease_duration_ms > ck_mono_ms();
    bool leader = observed_self(le);
    if (*holder && valid && !leader) goto out; /* held by someone else */
    /* 3. take or renew it: keep acquireTime and the transition count when
     * renewing; a takeover counts one more transition. */
    json_int_t trans = ck_json_int(old, "leaseTransitions", 0);
    json_t *spec = lease_spec(le->identity, dur_s, leader ? ck_json_str(old, "acquireTime", now) : now,
                              now, leader ? trans : trans + 1);
    if (spec && (ok = write_lease(le, r.body, spec))) observe(le, spec);
    json_decref(spec);
out:
    json_decref(old);
    ck_response_clear(&r);
    return ok;
}

/* Release: empty holder, 1s duration, transitions kept (leaderelection.release). */
static void release(ck_leader_elector *le)
{
    ck_response r;
    ck_resource_ref ref = lease_ref(le, true);
    char now[CK_TIME_LEN];
    if (ck_rest_get(le->rest, &ref, &r) == 0 &&
        !strcmp(ck_json_str(r.body, "spec.holderIdentity", ""), le->identity)) {
        ck_microtime_now(now);
        json_t *spec = lease_spec("", 1, now, now, ck_json_int(r.body, "spec.leaseTransitions", 0));
        if (spec && write_lease(le, r.body, spec)) observe(le, spec);
        json_decref(spec);
    }
    ck_response_clear(&r);
}

/* ---- the run loop ------------------------------------------------------ */

/* Sleeps ms unless stopped first; true when stopping. */
static bool sleep_ms(ck_leader_elector *le, long ms)
{
    struct timespec ts;
    int64_t at = ck_mono_ms() + ms;
    ts.tv_sec = at / 1000, ts.tv_nsec = (at % 1000) * 1000000L;
    pthread_mutex_lock(&le->mu);
    while (!le->stopping && pthread_cond_timedwait(&le->cond, &le->mu, &ts) == 0) {}
    bool s = le->stopping;
    pthread_mutex_unlock(&le->mu);
    return s;
}

/* wait.Jitter(retryPeriod, 1.2): a random wait in [d, 2.2d). */
static long jittered(long d)
{
    unsigned r = 0;
    ck_random_bytes(&r, sizeof r);
    return d + (long)((double)d * JITTER_FACTOR * (r % 1000) / 1000.0);
}

static void set_leading(ck_leader_elector *le, bool v)
{
    pthread_mutex_lock(&le->mu);
    le->leading = v;
    pthread_mutex_unlock(&le->mu);
}

/* renew: every retryPeriod; each round retries until renewDeadline. */
static void renew_loop(ck_leader_elector *le)
{
    for (;;) {
        int64_t deadline = ck_mono_ms() + le->cfg.renew_deadline_ms;
        bool renewed = false;
        while (!renewed && ck_mono_ms() < deadline) {
            if ((renewed = ck_leader_elector_try(le))) break;
            if (sleep_ms(le, le->cfg.retry_period_ms)) return;
        }
        if (!renewed) {
            ck_warn("failed to renew lease %s/%s: timed out waiting for the condition", le->ns, le->name);
            return;
        }
        if (sleep_ms(le, le->cfg.retry_period_ms)) return;
    }
}

static void *run(void *arg)
{
    ck_leader_elector *le = arg;
    bool stop = false;
    while (!(stop = sleep_ms(le, 0)) && !ck_leader_elector_try(le))
        if ((stop = sleep_ms(le, jittered(le->cfg.retry_period_ms)))) break;
    if (!stop) {
        ck_info("successfully acquired lease %s/%s", le->ns, le->name);
        set_leading(le, true);
        if (le->cfg.on_started_leading) le->cfg.on_started_leading(le->cfg.ud);
        renew_loop(le);
        pthread_mutex_lock(&le->mu);
        stop = le->stopping;
        pthread_mutex_unlock(&le->mu);
        if (stop && le->cfg.release_on_cancel) release(le);
        set_leading(le, false);
    }
    if (le->cfg.on_stopped_leading) le->cfg.on_stopped_leading(le->cfg.ud);
    pthread_mutex_lock(&le->mu);
    le->finished = true;
    pthread_mutex_unlock(&le->mu);
    return NULL;
}

int ck_leader_elector_start(ck_leader_elector *le)
{
    pthread_mutex_lock(&le->mu);
    int rc = -1;
    if (!le->running && !le->finished && !le->stopping) {
        rc = pthread_create(&le->thread, NULL, run, le) ? -1 : 0;
        le->running = rc == 0;
    }
    pthread_mutex_unlock(&le->mu);
    return rc;
}

void ck_leader_elector_stop(ck_leader_elector *le)
{
    pthread_mutex_lock(&le->mu);
    bool running = le->running;
    le->stopping = true;
    le->running = false;
    pthread_cond_broadcast(&le->cond);
    pthread_mutex_unlock(&le->mu);
    if (running) pthread_join(le->thread, NULL);
}

bool ck_leader_elector_is_leader(ck_leader_elector *le)
{
    pthread_mutex_lock(&le->mu);
    bool v = le->leading;
    pthread_mutex_unlock(&le->mu);
    return v;
}

bool ck_leader_elector_finished(ck_leader_elector *le)
{
    pthread_mutex_lock(&le->mu);
    bool v = le->finished;
    pthread_mutex_unlock(&le->mu);
    return v;
}

void ck_leader_elector_leader(ck_leader_elector *le, char *out, size_t outlen)
{
    pthread_mutex_lock(&le->mu);
    snprintf(out, outlen, "%s", le->observed_holder);
    pthread_mutex_unlock(&le->mu);
}
