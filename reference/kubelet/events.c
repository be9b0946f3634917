/* events.c: the kubelet's event recorder (client-go tools/record: event.go,
 * events_cache.go). Events are built in the caller's thread, correlated
 * (a repeat bumps count by a PATCH, as EventLogger/eventObserve do) and sent
 * from one background thread in order, so a pod worker never waits on them. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kubelet/events.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

/* client-go: maxLruCacheEntries 4096, broadcaster queue 1000. */
#define CACHE_MAX 4096
#define QUEUE_MAX 1000

typedef struct seen {
    char *key, *name, *ns;
    json_int_t count;
    char first[CK_TIME_LEN];
    json_t *event; /* the created Event, to re-create when a patch finds it gone */
} seen;

typedef struct action {
    char *verb, *ns, *name;
    json_t *body, *full; /* full: the whole event with the new count (for a 404 fallback) */
} action;

struct ck_event_recorder {
    char *component, *host;
    ck_rest *rest;
    ck_event_sink sink;
    void *ud;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    seen *cache;
    size_t ncache, next_evict;
    action *q;
    size_t qhead, qlen;
    bool async, stopping, started;
    pthread_t thread;
};

static int rest_sink(void *ud, const char *verb, const char *ns, const char *name, const json_t *body, bool *not_found)
{
    ck_event_recorder *r = ud;
    ck_response resp = {0};
    ck_resource_ref ref = {"", "v1", "events", ns, strcmp(verb, "patch") == 0 ? name : NULL, NULL};
    int rc = strcmp(verb, "patch") == 0 ? ck_rest_patch(r->rest, &ref, CK_PATCH_STRATEGIC, body, &resp)
                                        : ck_rest_create(r->rest, &ref, body, &resp);
    *not_found = resp.code == 404;
    if (rc < 0) ck_debug("event %s/%s not recorded: %ld %s", ns, name, resp.code, resp.message);
    ck_response_clear(&resp);
    return rc;
}

static void action_free(action *a)
{
    free(a->verb), free(a->ns), free(a->name);
    json_decref(a->body), json_decref(a->full);
    a->verb = NULL;
}

static void send_one(ck_event_recorder *r, action *a)
{
    bool nf = false;
    if (r->sink(r->ud, a->verb, a->ns, a->name, a->body, &nf) < 0 && nf && a->full) {
        /* The event expired or was deleted: record it anew (client-go recordToSink). */
        r->sink(r->ud, "create", a->ns, a->name, a->full, &nf);
    }
    action_free(a);
}

static void *sender(void *arg)
{
    ck_event_recorder *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->qlen && !r->stopping) pthread_cond_wait(&r->cv, &r->mu);
        if (!r->qlen) break;
        action a = r->q[r->qhead];
        r->qhead = (r->qhead + 1) % QUEUE_MAX;
        r->qlen--;
        pthread_mutex_unlock(&r->mu);
        send_one(r, &a);
        pthread_mutex_lock(&r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

ck_event_recorder *ck_event_recorder_new(ck_rest *rest, const char *component, const char *host, bool async)
{
    ck_event_recorder *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->component = strdup(component ? component : "kubelet");
    r->host = strdup(host ? host : "");
    r->cache = calloc(CACHE_MAX, sizeof *r->cache);
    r->q = calloc(QUEUE_MAX, sizeof *r->q);
    r->rest = rest;
    r->sink = rest_sink;
    r->ud = r;
    r->async = async;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (!r->component || !r->host || !r->cache || !r->q ||
        (async && pthread_create(&r->thread, NULL, sender, r) != 0)) {
        r->async = false;
        ck_event_recorder_free(r);
        return NULL;
    }
    r->started = async;
    return r;
}

void ck_event_recorder_set_sink(ck_event_recorder *r, ck_event_sink sink, void *ud)
{
    pthread_mutex_lock(&r->mu);
    r->sink = sink ? sink : rest_sink;
    r->ud = sink ? ud : r;
    pthread_mutex_unlock(&r->mu);
}

void ck_event_recorder_free(ck_event_recorder *r)
{
    if (!r) return;
    pthread_mutex_lock(&r->mu);
    r->stopping = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    if (r->started) pthread_join(r->thread, NULL);
    for (; r->qlen; r->qlen--, r->qhead = (r->qhead + 1) % QUEUE_MAX) send_one(r, &r->q[r->qhead]);
    for (size_t i = 0; r->cache && i < r->ncache; i++) {
        free(r->cache[i].key), free(r->cache[i].name), free(r->cache[i].ns);
        json_decref(r->cache[i].event);
    }
    free(r->cache);
    free(r->q);
    free(r->component), free(r->host);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}

/* The Event as the kubelet's recorder makes it (record/event.go makeEvent). */
static json_t *make_event(ck_event_recorder *r, const json_t *obj, const char *field_path, const char *type,
                          const char *reason, const char *msg, const char *now)
{
    char name[512];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    const char *oname = ck_json_str(obj, "metadata.name", "");
    const char *ns = ck_json_str(obj, "metadata.namespace", "default");
    /* client-go: "<object>.<unix nanoseconds in hex>" */
    snprintf(name, sizeof name, "%.240s.%llx", oname,
             (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec);
    json_t *io = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", "Pod", "namespace", ns, "name", oname, "uid",
                           ck_json_str(obj, "metadata.uid", ""), "apiVersion", "v1");
    const char *rv = ck_json_str(obj, "metadata.resourceVersion", NULL);
    if (io && rv) json_object_set_new(io, "resourceVersion", json_string(rv));
    if (io && field_path) json_object_set_new(io, "fieldPath", json_string(field_path));
    return json_pack("{s:s,s:s,s:{s:s,s:s},s:o,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:s,s:i,s:n,s:s,s:s}", "apiVersion", "v1",
                     "kind", "Event", "metadata", "name", name, "namespace", ns, "involvedObject", io, "reason",
                     reason, "message", msg, "type", type, "source", "component", r->component, "host", r->host,
                     "firstTimestamp", now, "lastTimestamp", now, "count", 1, "eventTime", "reportingComponent",
                     r->component, "reportingInstance", r->host);
}

/* Correlates under r->mu: a repeat becomes a patch of the cached event. */
static action correlate(ck_event_recorder *r, json_t *ev, const char *key, const char *now)
{
    action a = {0};
    const char *ns = ck_json_str(ev, "metadata.namespace", "");
    for (size_t i = 0; i < r->ncache; i++) {
        seen *s = &r->cache[i];
        if (strcmp(s->key, key) != 0) continue;
        s->count++;
        a.verb = strdup("patch"), a.ns = strdup(s->ns), a.name = strdup(s->name);
        a.body = json_pack("{s:I,s:s,s:s}", "count", s->count, "lastTimestamp", now, "message",
                           ck_json_str(ev, "message", ""));
        a.full = json_deep_copy(s->event);
        if (a.full) {
            json_object_set_new(a.full, "count", json_integer(s->count));
            json_object_set_new(a.full, "lastTimestamp", json_string(now));
        }
        json_decref(ev);
        return a;
    }
    /* New: remember it, evicting round-robin once full (a simplified LRU). */
    size_t slot = r->ncache < CACHE_MAX ? r->ncache++ : r->next_evict++ % CACHE_MAX;
    seen *s = &r->cache[slot];
    free(s->key), free(s->name), free(s->ns);
    json_decref(s->event);
    s->key = strdup(key);
    s->name = strdup(ck_json_str(ev, "metadata.name", ""));
    s->ns = strdup(ns);
    s->count = 1;
    s->event = json_incref(ev);
    a.verb = strdup("create"), a.ns = strdup(ns), a.name = strdup(s->name);
    a.body = ev;
    return a;
}

void ck_event_record(ck_event_recorder *r, const json_t *obj, const char *field_path, const char *type,
                     const char *reason, const char *fmt, ...)
{
    if (!r || !obj) return;
    char msg[1024], now[CK_TIME_LEN], *key = NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ck_time_now(now);
    json_t *ev = make_event(r, obj, field_path, type, reason, msg, now);
    /* getEventKey: source, involvedObject, type, reason, message. */
    if (!ev || asprintf(&key, "%s|%s|%s|%s|%s|%s|%s|%s|%s", r->component, r->host,
                        ck_json_str(obj, "metadata.namespace", ""), ck_json_str(obj, "metadata.name", ""),
                        ck_json_str(obj, "metadata.uid", ""), field_path ? field_path : "", type, reason, msg) < 0) {
        json_decref(ev);
        return;
    }
    pthread_mutex_lock(&r->mu);
    action a = correlate(r, ev, key, now);
    free(key);
    if (r->async) {
        if (r->qlen < QUEUE_MAX && !r->stopping) {
            r->q[(r->qhead + r->qlen++) % QUEUE_MAX] = a;
            pthread_cond_signal(&r->cv);
            a.verb = NULL;
        } else {
            ck_debug("event queue full: dropping %s", reason);
            action_free(&a);
        }
    }
    pthread_mutex_unlock(&r->mu);
    if (a.verb) send_one(r, &a);
}
