/* controller.c: Services + Endpoints informers feeding the record table.
 * Event handlers only bump a generation counter; the next query that sees a
 * new generation rebuilds the whole table from the caches and swaps it in,
 * so a burst of events costs one rebuild. Tables are reference-counted so
 * a query in flight keeps the one it started with. */
#include "dns/controller.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/informer.h"
#include "util/log.h"

typedef struct snapshot {
    ck_dns_records *t;
    int refs; /* guarded by the controller's mutex */
} snapshot;

struct ck_dns_controller {
    char *zone;
    ck_informer *services, *endpoints;
    atomic_long generation;
    long built;         /* generation of cur */
    snapshot *cur;
    pthread_mutex_t mu;
};

static void changed(ck_dns_controller *c) { atomic_fetch_add(&c->generation, 1); }
static void on_add(json_t *o, void *ud) { (void)o; changed(ud); }
static void on_update(json_t *a, json_t *b, void *ud) { (void)a, (void)b; changed(ud); }
static void on_delete(json_t *o, void *ud) { (void)o; changed(ud); }

ck_dns_controller *ck_dns_controller_new(ck_rest *rest, const char *zone, char *err, size_t errlen)
{
    ck_dns_controller *c = calloc(1, sizeof *c);
    if (!c || !(c->zone = strdup(zone))) { free(c); snprintf(err, errlen, "out of memory"); return NULL; }
    pthread_mutex_init(&c->mu, NULL);
    atomic_init(&c->generation, 1);
    ck_informer_handlers h = {on_add, on_update, on_delete, c};
    ck_informer_opts so = {.version = "v1", .resource = "services"};
    ck_informer_opts eo = {.version = "v1", .resource = "endpoints"};
    c->services = ck_informer_new(rest, &so, &h, err, errlen);
    c->endpoints = c->services ? ck_informer_new(rest, &eo, &h, err, errlen) : NULL;
    if (!c->endpoints) { ck_dns_controller_free(c); return NULL; }
    return c;
}

int ck_dns_controller_start(ck_dns_controller *c)
{
    return ck_informer_start(c->services) == 0 && ck_informer_start(c->endpoints) == 0 ? 0 : -1;
}

bool ck_dns_controller_wait_synced(ck_dns_controller *c, long timeout_ms)
{
    return ck_informer_wait_synced(c->services, timeout_ms) && ck_informer_wait_synced(c->endpoints, timeout_ms);
}

static void snapshot_put(snapshot *s)
{
    if (s && --s->refs == 0) {
        ck_dns_records_free(s->t);
        free(s);
    }
}

/* A new table from the informers' caches; NULL on OOM. */
static ck_dns_records *rebuild(ck_dns_controller *c)
{
    ck_dns_records *t = ck_dns_records_new(c->zone);
    json_t *svcs = t ? ck_informer_list(c->services, NULL, NULL) : NULL;
    if (!svcs) { ck_dns_records_free(t); return NULL; }
    size_t i;
    json_t *svc;
    int rc = 0;
    json_array_foreach(svcs, i, svc) {
        char key[512];
        json_t *eps = ck_informer_key(svc, key, sizeof key) > 0 ? ck_informer_get(c->endpoints, key) : NULL;
        rc |= ck_dns_records_add_service(t, svc, eps);
        json_decref(eps);
    }
    json_decref(svcs);
    if (rc < 0 || ck_dns_records_finish(t) < 0) { ck_dns_records_free(t); return NULL; }
    ck_debug("dns: record table rebuilt, %zu rows", ck_dns_records_len(t));
    return t;
}

const ck_dns_records *ck_dns_controller_acquire(void *ud, void **handle)
{
    ck_dns_controller *c = ud;
    pthread_mutex_lock(&c->mu);
    long gen = atomic_load(&c->generation);
    if (gen != c->built || !c->cur) {
        ck_dns_records *t = rebuild(c);
        snapshot *s = t ? malloc(sizeof *s) : NULL;
        if (s) {
            s->t = t, s->refs = 1;
            snapshot_put(c->cur);
            c->cur = s;
            c->built = gen;
        } else {
            ck_dns_records_free(t); /* keep serving the previous table */
        }
    }
    snapshot *s = c->cur;
    if (s) s->refs++;
    pthread_mutex_unlock(&c->mu);
    *handle = s;
    return s ? s->t : NULL;
}

void ck_dns_controller_release(void *ud, void *handle)
{
    ck_dns_controller *c = ud;
    pthread_mutex_lock(&c->mu);
    snapshot_put(handle);
    pthread_mutex_unlock(&c->mu);
}

void ck_dns_controller_free(ck_dns_controller *c)
{
    if (!c) return;
    ck_informer_free(c->services);
    ck_informer_free(c->endpoints);
    snapshot_put(c->cur);
    pthread_mutex_destroy(&c->mu);
    free(c->zone);
    free(c);
}
