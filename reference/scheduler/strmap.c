/* strmap.c: chained hash map with FNV-1a hashing; grows at load factor 1. */
#include "scheduler/strmap.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    struct entry *next;
    void *value;
    uint64_t hash;
    char key[];
} entry;

struct ck_strmap {
    entry **buckets;
    size_t nbuckets, len;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

ck_strmap *ck_strmap_new(void)
{
    ck_strmap *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->nbuckets = 64;
    m->buckets = calloc(m->nbuckets, sizeof *m->buckets);
    if (!m->buckets) { free(m); return NULL; }
    return m;
}

void ck_strmap_free(ck_strmap *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->nbuckets; i++)
        for (entry *e = m->buckets[i], *n; e; e = n) { n = e->next; free(e); }
    free(m->buckets);
    free(m);
}

static void grow(ck_strmap *m)
{
    size_t nb = m->nbuckets * 2;
    entry **b = calloc(nb, sizeof *b);
    if (!b) return; /* keep working with longer chains */
    for (size_t i = 0; i < m->nbuckets; i++)
        for (entry *e = m->buckets[i], *n; e; e = n) {
            n = e->next;
            e->next = b[e->hash & (nb - 1)];
            b[e->hash & (nb - 1)] = e;
        }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = nb;
}

static entry **find(const ck_strmap *m, const char *key, uint64_t h)
{
    entry **p = &m->buckets[h & (m->nbuckets - 1)];
    for (; *p; p = &(*p)->next)
        if ((*p)->hash == h && strcmp((*p)->key, key) == 0) return p;
    return p;
}

int ck_strmap_put(ck_strmap *m, const char *key, void *value)
{
    uint64_t h = fnv1a(key);
    entry **p = find(m, key, h);
    if (*p) { (*p)->value = value; return 0; }
    size_t kl = strlen(key) + 1;
    entry *e = malloc(sizeof *e + kl);
    if (!e) return -1;
    memcpy(e->key, key, kl);
    e->hash = h;
    e->value = value;
    e->next = NULL;
    *p = e;
    if (++m->len > m->nbuckets) grow(m);
    return 0;
}

void *ck_strmap_get(const ck_strmap *m, const char *key)
{
    entry **p = find(m, key, fnv1a(key));
    return *p ? (*p)->value : NULL;
}

void *ck_strmap_del(ck_strmap *m, const char *key)
{
    entry **p = find(m, key, fnv1a(key));
    if (!*p) return NULL;
    entry *e = *p;
    void *v = e->value;
    *p = e->next;
    free(e);
    m->len--;
    return v;
}

size_t ck_strmap_len(const ck_strmap *m) { return m->len; }

void ck_strmap_each(const ck_strmap *m, void (*fn)(const char *, void *, void *), void *ud)
{
    for (size_t i = 0; i < m->nbuckets; i++)
        for (entry *e = m->buckets[i]; e; e = e->next) fn(e->key, e->value, ud);
}
