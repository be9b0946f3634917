/* cache.c: nodes in a vector (stable order for the sampling window) plus a
 * name index; pods by "ns/name" with their assumed flag. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scheduler/cache.h"
#include "scheduler/strmap.h"

typedef struct cached_pod { ck_pod_info *pi; bool assumed; } cached_pod;

struct ck_sched_cache {
    pthread_mutex_t mu;
    ck_node_info **nodes;
    size_t nnodes, cap;
    ck_strmap *by_name;   /* node name -> ck_node_info */
    ck_strmap *pods;      /* "ns/name" -> cached_pod */
};

ck_sched_cache *ck_sched_cache_new(void)
{
    ck_sched_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (!(c->by_name = ck_strmap_new()) || !(c->pods = ck_strmap_new())) {
        ck_strmap_free(c->by_name);
        free(c);
        return NULL;
    }
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&c->mu, &a);
    pthread_mutexattr_destroy(&a);
    return c;
}

static void free_pod(const char *k, void *v, void *ud)
{
    cached_pod *cp = v;
    ck_pod_info_free(cp->pi);
    free(cp);
}

void ck_sched_cache_free(ck_sched_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nnodes; i++) ck_node_info_free(c->nodes[i]);
    free(c->nodes);
    ck_strmap_each(c->pods, free_pod, NULL);
    ck_strmap_free(c->pods);
    ck_strmap_free(c->by_name);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

void ck_sched_cache_lock(ck_sched_cache *c) { pthread_mutex_lock(&c->mu); }
void ck_sched_cache_unlock(ck_sched_cache *c) { pthread_mutex_unlock(&c->mu); }

ck_node_info *const *ck_sched_cache_nodes(ck_sched_cache *c, size_t *n)
{
    *n = c->nnodes;
    return c->nodes;
}

ck_node_info *ck_sched_cache_node(ck_sched_cache *c, const char *name)
{
    pthread_mutex_lock(&c->mu);
    ck_node_info *n = ck_strmap_get(c->by_name, name);
    pthread_mutex_unlock(&c->mu);
    return n;
}

size_t ck_sched_cache_npods(ck_sched_cache *c)
{
    pthread_mutex_lock(&c->mu);
    size_t n = ck_strmap_len(c->pods);
    pthread_mutex_unlock(&c->mu);
    return n;
}

typedef struct attach_ctx { ck_node_info *n; int rc; } attach_ctx;

static void attach(const char *k, void *v, void *ud)
{
    attach_ctx *a = ud;
    cached_pod *cp = v;
    if (!strcmp(cp->pi->node_name, a->n->name) && ck_node_info_add_pod(a->n, cp->pi) < 0) a->rc = -1;
}

static int add_node(ck_sched_cache *c, json_t *node, char *err, size_t errlen)
{
    if (c->nnodes == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        ck_node_info **a = realloc(c->nodes, cap * sizeof *a);
        if (!a) { snprintf(err, errlen, "out of memory"); return -1; }
        c->nodes = a;
        c->cap = cap;
    }
    ck_node_info *n = ck_node_info_new(node, err, errlen);
    if (!n) return -1;
    if (ck_strmap_put(c->by_name, n->name, n) < 0) {
        ck_node_info_free(n);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    n->index = c->nnodes;
    c->nodes[c->nnodes++] = n;
    attach_ctx a = {n, 0};
    ck_strmap_each(c->pods, attach, &a);
    if (a.rc < 0) snprintf(err, errlen, "out of memory");
    return a.rc;
}

int ck_sched_cache_set_node(ck_sched_cache *c, json_t *node, char *err, size_t errlen)
{
    const char *name = json_string_value(json_object_get(json_object_get(node, "metadata"), "name"));
    if (!name) { snprintf(err, errlen, "node without metadata.name"); return -1; }
    pthread_mutex_lock(&c->mu);
    ck_node_info *n = ck_strmap_get(c->by_name, name);
    int rc = n ? ck_node_info_set_node(n, node, err, errlen) : add_node(c, node, err, errlen);
    pthread_mutex_unlock(&c->mu);
    return rc;
}

void ck_sched_cache_remove_node(ck_sched_cache *c, const char *name)
{
    pthread_mutex_lock(&c->mu);
    ck_node_info *n = ck_strmap_del(c->by_name, name);
    if (n) {
        size_t i = n->index;
        c->nodes[i] = c->nodes[--c->nnodes];
        c->nodes[i]->index = i;
        ck_node_info_free(n);  /* its pods stay cached, unattached */
    }
    pthread_mutex_unlock(&c->mu);
}

/* Removes key from its node and the map; frees it. */
static void drop_pod(ck_sched_cache *c, const char *key)
{
    cached_pod *cp = ck_strmap_del(c->pods, key);
    if (!cp) return;
    ck_node_info *n = ck_strmap_get(c->by_name, cp->pi->node_name);
    if (n) ck_node_info_remove_pod(n, cp->pi);
    free_pod(key, cp, NULL);
}

static int insert_pod(ck_sched_cache *c, ck_pod_info *pi, bool assumed)
{
    cached_pod *cp = malloc(sizeof *cp);
    if (!cp || ck_strmap_put(c->pods, pi->key, cp) < 0) { free(cp); return -1; }
    cp->pi = pi;
    cp->assumed = assumed;
    ck_node_info *n = ck_strmap_get(c->by_name, pi->node_name);
    if (n && ck_node_info_add_pod(n, pi) < 0) {
        ck_strmap_del(c->pods, pi->key);
        free(cp);
        return -1;
    }
    return 0;
}

int ck_sched_cache_add_pod(ck_sched_cache *c, json_t *pod, char *err, size_t errlen)
{
    ck_pod_info *pi = ck_pod_info_new(pod, err, errlen);
    if (!pi) return -1;
    pthread_mutex_lock(&c->mu);
    drop_pod(c, pi->key);  /* an update, or the confirmation of an assumed pod */
    int rc = insert_pod(c, pi, false);
    pthread_mutex_unlock(&c->mu);
    if (rc < 0) { ck_pod_info_free(pi); snprintf(err, errlen, "out of memory"); }
    return rc;
}

void ck_sched_cache_remove_pod(ck_sched_cache *c, const char *key)
{
    pthread_mutex_lock(&c->mu);
    drop_pod(c, key);
    pthread_mutex_unlock(&c->mu);
}

int ck_sched_cache_assume(ck_sched_cache *c, const ck_pod_info *pod, const char *node)
{
    char err[256];
    ck_pod_info *pi = ck_pod_info_new(pod->obj, err, sizeof err);
    if (!pi || ck_pod_info_set_node(pi, node) < 0) { ck_pod_info_free(pi); return -1; }
    pthread_mutex_lock(&c->mu);
    drop_pod(c, pi->key);
    int rc = insert_pod(c, pi, true);
    pthread_mutex_unlock(&c->mu);
    if (rc < 0) ck_pod_info_free(pi);
    return rc;
}

void ck_sched_cache_forget(ck_sched_cache *c, const char *key)
{
    pthread_mutex_lock(&c->mu);
    cached_pod *cp = ck_strmap_get(c->pods, key);
    if (cp && cp->assumed) drop_pod(c, key);
    pthread_mutex_unlock(&c->mu);
}

bool ck_sched_cache_is_assumed(ck_sched_cache *c, const char *key)
{
    pthread_mutex_lock(&c->mu);
    cached_pod *cp = ck_strmap_get(c->pods, key);
    bool a = cp && cp->assumed;
    pthread_mutex_unlock(&c->mu);
    return a;
}
