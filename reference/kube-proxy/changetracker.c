/* changetracker.c: pending-change bookkeeping for Services and Endpoints and
 * the snapshot the proxiers consume. Each kind keeps the current objects and,
 * per key, the object as it was at the last apply ("previous"), exactly the
 * previous/current pair of upstream's serviceChange / endpointsChange. */
#include "kube-proxy/changetracker.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "client/informer.h"

typedef struct kind_state {
    json_t *current;  /* key -> object (references kept) */
    json_t *pending;  /* key -> previous object, or json_null() when it did not exist */
} kind_state;

struct ck_change_tracker {
    pthread_mutex_t mu;
    kind_state svc, ep;
};

ck_change_tracker *ck_change_tracker_new(void)
{
    ck_change_tracker *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    pthread_mutex_init(&t->mu, NULL);
    t->svc.current = json_object();
    t->svc.pending = json_object();
    t->ep.current = json_object();
    t->ep.pending = json_object();
    if (!t->svc.current || !t->svc.pending || !t->ep.current || !t->ep.pending) {
        ck_change_tracker_free(t);
        return NULL;
    }
    return t;
}

void ck_change_tracker_free(ck_change_tracker *t)
{
    if (!t) return;
    json_decref(t->svc.current);
    json_decref(t->svc.pending);
    json_decref(t->ep.current);
    json_decref(t->ep.pending);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* Proxy-relevant equality: two objects are the same change-wise when they
 * yield the same service ports / endpoint sets. */
static bool same_services(json_t *a, json_t *b)
{
    ck_service_port *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    bool same = false;
    if ((!a || ck_service_ports_from_json(a, &pa, &na) == 0) &&
        (!b || ck_service_ports_from_json(b, &pb, &nb) == 0))
        same = na == nb && (na == 0 || memcmp(pa, pb, na * sizeof *pa) == 0);
    free(pa);
    free(pb);
    return same;
}

static bool same_sets(ck_endpoint_set *a, size_t na, ck_endpoint_set *b, size_t nb)
{
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++) {
        if (strcmp(a[i].name, b[i].name) || strcmp(a[i].protocol, b[i].protocol) || a[i].n != b[i].n)
            return false;
        for (size_t j = 0; j < a[i].n; j++)
            if (strcmp(a[i].eps[j].ip, b[i].eps[j].ip) || a[i].eps[j].port != b[i].eps[j].port)
                return false;
    }
    return true;
}

static bool same_endpoints(json_t *a, json_t *b)
{
    ck_proxy_state sa = {0}, sb = {0};
    bool same = false;
    if ((!a || ck_endpoint_sets_from_json(a, &sa.eps, &sa.neps) == 0) &&
        (!b || ck_endpoint_sets_from_json(b, &sb.eps, &sb.neps) == 0)) {
        ck_proxy_state_sort(&sa);
        ck_proxy_state_sort(&sb);
        same = same_sets(sa.eps, sa.neps, sb.eps, sb.neps);
    }
    ck_proxy_state_clear(&sa);
    ck_proxy_state_clear(&sb);
    return same;
}

static bool record(ck_change_tracker *t, kind_state *k, json_t *old, json_t *cur,
                   bool (*same)(json_t *, json_t *))
{
    char key[CK_SPN_LEN];
    if (ck_informer_key(cur ? cur : old, key, sizeof key) < 0) return false;
    pthread_mutex_lock(&t->mu);
    if (!json_object_get(k->pending, key)) {
        json_t *prev = json_object_get(k->current, key);
        json_object_set(k->pending, key, prev ? prev : json_null());
    }
    if (cur) json_object_set(k->current, key, cur);
    else json_object_del(k->current, key);
    json_t *prev = json_object_get(k->pending, key);
    bool changed = !same(json_is_null(prev) ? NULL : prev, cur);
    if (!changed) json_object_del(k->pending, key);
    pthread_mutex_unlock(&t->mu);
    return changed;
}

bool ck_change_tracker_on_service(ck_change_tracker *t, json_t *old, json_t *cur)
{
    return record(t, &t->svc, old, cur, same_services);
}

bool ck_change_tracker_on_endpoints(ck_change_tracker *t, json_t *old, json_t *cur)
{
    return record(t, &t->ep, old, cur, same_endpoints);
}

size_t ck_change_tracker_pending(ck_change_tracker *t)
{
    pthread_mutex_lock(&t->mu);
    size_t n = json_object_size(t->svc.pending) + json_object_size(t->ep.pending);
    pthread_mutex_unlock(&t->mu);
    return n;
}

ck_proxy_state *ck_change_tracker_apply(ck_change_tracker *t)
{
    ck_proxy_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    const char *key;
    json_t *obj;
    pthread_mutex_lock(&t->mu);
    json_object_foreach(t->svc.current, key, obj)
        if (ck_service_ports_from_json(obj, &st->svcs, &st->nsvcs) < 0) goto oom;
    json_object_foreach(t->ep.current, key, obj)
        if (ck_endpoint_sets_from_json(obj, &st->eps, &st->neps) < 0) goto oom;
    json_object_clear(t->svc.pending);
    json_object_clear(t->ep.pending);
    pthread_mutex_unlock(&t->mu);
    ck_proxy_state_sort(st);
    return st;
oom:
    pthread_mutex_unlock(&t->mu);
    ck_proxy_state_free(st);
    return NULL;
}
