/* fake.c: the fake cloud provider: instances, load balancers and routes kept
 * in memory behind one mutex, every call counted, errors injectable; what
 * k8s.io/cloud-provider/fake is to upstream's controller tests. */
#include "cloud-controller-manager/providers/fake.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/ckjson.h"

#define FAKE_MAX 64
typedef struct fake_instance {
    char name[256];
    ck_instance_metadata md;
    bool exists, shutdown;
} fake_instance;
typedef struct fake_lb {
    char name[64];
    char ip[64];
    int nodes;
} fake_lb;
typedef struct fake_call {
    char method[32];
    int count;
    bool fail_next;
} fake_call;

struct ck_fake_cloud {
    pthread_mutex_t mu;
    bool default_exists;
    fake_instance inst[FAKE_MAX];
    size_t n_inst;
    fake_lb lbs[FAKE_MAX];
    size_t n_lbs;
    int next_ip;
    ck_route routes[FAKE_MAX];
    size_t n_routes;
    fake_call calls[32];
    size_t n_calls;
};

static fake_call *call_slot(ck_fake_cloud *f, const char *method)
{
    for (size_t i = 0; i < f->n_calls; i++)
        if (!strcmp(f->calls[i].method, method)) return &f->calls[i];
    if (f->n_calls == sizeof f->calls / sizeof f->calls[0]) return NULL;
    fake_call *c = &f->calls[f->n_calls++];
    snprintf(c->method, sizeof c->method, "%s", method);
    return c;
}

/* Counts a call (lock held); -1 with err when an error was injected. */
static int record(ck_fake_cloud *f, const char *method, char *err, size_t errlen)
{
    fake_call *c = call_slot(f, method);
    if (!c) return 0;
    c->count++;
    if (!c->fail_next) return 0;
    c->fail_next = false;
    snprintf(err, errlen, "fake error in %s", method);
    return -1;
}

static fake_instance *find_instance(ck_fake_cloud *f, const json_t *node)
{
    const char *name = ck_json_str(node, "metadata.name", "");
    const char *pid = ck_json_str(node, "spec.providerID", "");
    for (size_t i = 0; i < f->n_inst; i++)
        if (!strcmp(f->inst[i].name, name) || (*pid && !strcmp(f->inst[i].md.provider_id, pid)))
            return &f->inst[i];
    return NULL;
}

static void default_metadata(const json_t *node, ck_instance_metadata *md)
{
    const char *name = ck_json_str(node, "metadata.name", "");
    snprintf(md->provider_id, sizeof md->provider_id, "fake://%s", name);
    snprintf(md->instance_type, sizeof md->instance_type, "fake.small");
    snprintf(md->zone, sizeof md->zone, "zone-a");
    snprintf(md->region, sizeof md->region, "region-1");
    json_t *addrs = ck_json_path(node, "status.addresses"), *a;
    size_t i;
    json_array_foreach(addrs, i, a)
        ck_instance_add_address(md, ck_json_str(a, "type", ""), ck_json_str(a, "address", ""));
    if (!md->n_addresses) ck_instance_add_address(md, "Hostname", name);
}

static int fake_exists(void *self, const json_t *node, bool *exists, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "instance_exists", err, errlen);
    fake_instance *in = find_instance(f, node);
    *exists = in ? in->exists : f->default_exists;
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_shutdown(void *self, const json_t *node, bool *shutdown, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "instance_shutdown", err, errlen);
    fake_instance *in = find_instance(f, node);
    *shutdown = in ? in->shutdown : false;
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_metadata(void *self, const json_t *node, ck_instance_metadata *md, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "instance_metadata", err, errlen);
    fake_instance *in = find_instance(f, node);
    if (rc == 0 && in && !in->exists) {
        /* upstream providers answer cloudprovider.InstanceNotFound */
        snprintf(err, errlen, "instance not found");
        rc = -1;
    } else if (rc == 0 && in) {
        *md = in->md;
    } else if (rc == 0 && f->default_exists) {
        default_metadata(node, md);
    } else if (rc == 0) {
        snprintf(err, errlen, "instance not found");
        rc = -1;
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static fake_lb *find_lb(ck_fake_cloud *f, const char *name)
{
    for (size_t i = 0; i < f->n_lbs; i++)
        if (!strcmp(f->lbs[i].name, name)) return &f->lbs[i];
    return NULL;
}

static void fill_status(const fake_lb *lb, ck_lb_status *st)
{
    memset(st, 0, sizeof *st);
    snprintf(st->ingress[0].ip, sizeof st->ingress[0].ip, "%s", lb->ip);
    st->n_ingress = 1;
}

static int fake_lb_get(void *self, const char *cluster, const json_t *svc, ck_lb_status *st, bool *exists,
                       char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    char name[64];
    ck_cloud_default_lb_name(svc, name, sizeof name);
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "get", err, errlen);
    fake_lb *lb = find_lb(f, name);
    *exists = lb != NULL;
    if (lb) fill_status(lb, st);
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_lb_ensure(void *self, const char *cluster, const json_t *svc, const json_t *nodes,
                          ck_lb_status *st, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    char name[64];
    ck_cloud_default_lb_name(svc, name, sizeof name);
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "ensure", err, errlen);
    fake_lb *lb = rc == 0 ? find_lb(f, name) : NULL;
    if (rc == 0 && !lb) {
        if (f->n_lbs == FAKE_MAX) {
            snprintf(err, errlen, "fake: out of load balancers");
            rc = -1;
        } else {
            lb = &f->lbs[f->n_lbs++];
            snprintf(lb->name, sizeof lb->name, "%s", name);
            snprintf(lb->ip, sizeof lb->ip, "192.0.2.%d", ++f->next_ip);
        }
    }
    if (lb) {
        lb->nodes = (int)json_array_size(nodes);
        fill_status(lb, st);
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_lb_update(void *self, const char *cluster, const json_t *svc, const json_t *nodes, char *err,
                          size_t errlen)
{
    ck_fake_cloud *f = self;
    char name[64];
    ck_cloud_default_lb_name(svc, name, sizeof name);
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "update", err, errlen);
    fake_lb *lb = find_lb(f, name);
    if (rc == 0 && !lb) {
        snprintf(err, errlen, "load balancer %s not found", name);
        rc = -1;
    } else if (lb) {
        lb->nodes = (int)json_array_size(nodes);
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_lb_delete(void *self, const char *cluster, const json_t *svc, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    char name[64];
    ck_cloud_default_lb_name(svc, name, sizeof name);
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "ensure_deleted", err, errlen);
    fake_lb *lb = rc == 0 ? find_lb(f, name) : NULL;
    if (lb) *lb = f->lbs[--f->n_lbs];
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_routes_list(void *self, const char *cluster, ck_route **routes, size_t *n, char *err,
                            size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "list_routes", err, errlen);
    *routes = NULL;
    *n = 0;
    if (rc == 0 && f->n_routes) {
        *routes = malloc(f->n_routes * sizeof **routes);
        if (!*routes) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        } else {
            memcpy(*routes, f->routes, f->n_routes * sizeof **routes);
            *n = f->n_routes;
        }
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_route_create(void *self, const char *cluster, const char *name_hint, const ck_route *r,
                             char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "create_route", err, errlen);
    if (rc == 0 && f->n_routes == FAKE_MAX) {
        snprintf(err, errlen, "fake: route table full");
        rc = -1;
    } else if (rc == 0) {
        ck_route *dst = &f->routes[f->n_routes++];
        *dst = *r;
        snprintf(dst->name, sizeof dst->name, "%s", name_hint);
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_route_delete(void *self, const char *cluster, const ck_route *r, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = record(f, "delete_route", err, errlen);
    for (size_t i = 0; rc == 0 && i < f->n_routes; i++) {
        if (!strcmp(f->routes[i].destination_cidr, r->destination_cidr) &&
            !strcmp(f->routes[i].target_node, r->target_node)) {
            f->routes[i] = f->routes[--f->n_routes];
            break;
        }
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static int fake_zone_by_pid(void *self, const char *pid, ck_zone *z, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = -1;
    for (size_t i = 0; i < f->n_inst && rc < 0; i++) {
        if (strcmp(f->inst[i].md.provider_id, pid)) continue;
        snprintf(z->failure_domain, sizeof z->failure_domain, "%s", f->inst[i].md.zone);
        snprintf(z->region, sizeof z->region, "%s", f->inst[i].md.region);
        rc = 0;
    }
    pthread_mutex_unlock(&f->mu);
    if (rc < 0) snprintf(err, errlen, "instance %s not found", pid);
    return rc;
}

static int fake_zone_by_name(void *self, const char *name, ck_zone *z, char *err, size_t errlen)
{
    ck_fake_cloud *f = self;
    pthread_mutex_lock(&f->mu);
    int rc = -1;
    for (size_t i = 0; i < f->n_inst && rc < 0; i++) {
        if (strcmp(f->inst[i].name, name)) continue;
        snprintf(z->failure_domain, sizeof z->failure_domain, "%s", f->inst[i].md.zone);
        snprintf(z->region, sizeof z->region, "%s", f->inst[i].md.region);
        rc = 0;
    }
    pthread_mutex_unlock(&f->mu);
    if (rc < 0) snprintf(err, errlen, "node %s not found", name);
    return rc;
}

static int fake_init(const ck_cloud_config *cfg, void **self, char *err, size_t errlen)
{
    ck_fake_cloud *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_mutex_init(&f->mu, NULL);
    f->default_exists = true;
    *self = f;
    return 0;
}

static void fake_destroy(void *self)
{
    ck_fake_cloud *f = self;
    if (!f) return;
    pthread_mutex_destroy(&f->mu);
    free(f);
}

int ck_fake_add_instance(ck_fake_cloud *f, const char *name, const ck_instance_metadata *md, bool exists,
                         bool shutdown)
{
    pthread_mutex_lock(&f->mu);
    fake_instance *in = NULL;
    for (size_t i = 0; i < f->n_inst && !in; i++)
        if (!strcmp(f->inst[i].name, name)) in = &f->inst[i];
    if (!in && f->n_inst < FAKE_MAX) in = &f->inst[f->n_inst++];
    if (in) {
        memset(in, 0, sizeof *in);
        snprintf(in->name, sizeof in->name, "%s", name);
        if (md) {
            in->md = *md;
        } else {
            json_t *node = json_pack("{s:{s:s}}", "metadata", "name", name);
            default_metadata(node, &in->md);
            json_decref(node);
        }
        in->exists = exists;
        in->shutdown = shutdown;
    }
    pthread_mutex_unlock(&f->mu);
    return in ? 0 : -1;
}

void ck_fake_set_default_exists(ck_fake_cloud *f, bool exists)
{
    pthread_mutex_lock(&f->mu);
    f->default_exists = exists;
    pthread_mutex_unlock(&f->mu);
}

size_t ck_fake_lb_count(ck_fake_cloud *f)
{
    pthread_mutex_lock(&f->mu);
    size_t n = f->n_lbs;
    pthread_mutex_unlock(&f->mu);
    return n;
}

int ck_fake_lb_nodes(ck_fake_cloud *f, const char *name)
{
    pthread_mutex_lock(&f->mu);
    fake_lb *lb = find_lb(f, name);
    int n = lb ? lb->nodes : -1;
    pthread_mutex_unlock(&f->mu);
    return n;
}

size_t ck_fake_routes(ck_fake_cloud *f, ck_route *out, size_t max)
{
    pthread_mutex_lock(&f->mu);
    size_t n = f->n_routes;
    for (size_t i = 0; i < n && i < max; i++) out[i] = f->routes[i];
    pthread_mutex_unlock(&f->mu);
    return n;
}

int ck_fake_add_route(ck_fake_cloud *f, const ck_route *r)
{
    pthread_mutex_lock(&f->mu);
    int rc = -1;
    if (f->n_routes < FAKE_MAX) {
        f->routes[f->n_routes++] = *r;
        rc = 0;
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

int ck_fake_calls(ck_fake_cloud *f, const char *method)
{
    pthread_mutex_lock(&f->mu);
    int n = 0;
    for (size_t i = 0; i < f->n_calls; i++)
        if (!strcmp(f->calls[i].method, method)) n = f->calls[i].count;
    pthread_mutex_unlock(&f->mu);
    return n;
}

void ck_fake_fail_next(ck_fake_cloud *f, const char *method)
{
    pthread_mutex_lock(&f->mu);
    fake_call *c = call_slot(f, method);
    if (c) c->fail_next = true;
    pthread_mutex_unlock(&f->mu);
}

static const ck_cloud_instances fake_instances = {fake_exists, fake_shutdown, fake_metadata};
static const ck_cloud_load_balancer fake_lb_ops = {fake_lb_get, NULL, fake_lb_ensure, fake_lb_update,
                                                   fake_lb_delete};
static const ck_cloud_routes fake_routes = {fake_routes_list, fake_route_create, fake_route_delete};
static const ck_cloud_zones fake_zones = {fake_zone_by_pid, fake_zone_by_name};

const ck_cloud_ops ck_cloud_fake_ops = {
    .name = "fake", .init = fake_init, .destroy = fake_destroy, .instances = &fake_instances,
    .load_balancer = &fake_lb_ops, .routes = &fake_routes, .zones = &fake_zones, .has_cluster_id = true,
};
