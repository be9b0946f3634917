/* allocator.c: bitmap allocators for ClusterIPs and NodePorts. Dynamic
 * allocation scans from a random offset, as upstream's random-scan strategy,
 * so that two clusters do not hand out the same sequence. */
#include "apiserver/registry/allocator.h"
#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/uid.h"

typedef struct bitmap {
    pthread_mutex_t mu;
    uint8_t *bits;
    uint32_t size;
} bitmap;

static int bm_init(bitmap *b, uint32_t size)
{
    pthread_mutex_init(&b->mu, NULL);
    b->size = size;
    b->bits = calloc((size + 7) / 8, 1);
    return b->bits ? 0 : -1;
}

static void bm_free(bitmap *b)
{
    free(b->bits);
    pthread_mutex_destroy(&b->mu);
}

static int bm_take(bitmap *b, uint32_t i)
{
    pthread_mutex_lock(&b->mu);
    int rc = (b->bits[i / 8] >> (i % 8)) & 1 ? -1 : 0;
    if (rc == 0) b->bits[i / 8] |= (uint8_t)(1u << (i % 8));
    pthread_mutex_unlock(&b->mu);
    return rc;
}

static int64_t bm_take_next(bitmap *b, uint32_t lo)
{
    uint32_t r = 0;
    ck_random_bytes(&r, sizeof r);
    uint32_t span = b->size - lo;
    int64_t found = -1;
    pthread_mutex_lock(&b->mu);
    for (uint32_t k = 0; k < span && found < 0; k++) {
        uint32_t i = lo + (r + k) % span;
        if (!((b->bits[i / 8] >> (i % 8)) & 1)) {
            b->bits[i / 8] |= (uint8_t)(1u << (i % 8));
            found = i;
        }
    }
    pthread_mutex_unlock(&b->mu);
    return found;
}

static void bm_put(bitmap *b, uint32_t i)
{
    pthread_mutex_lock(&b->mu);
    b->bits[i / 8] &= (uint8_t)~(1u << (i % 8));
    pthread_mutex_unlock(&b->mu);
}

struct ck_ipalloc {
    bitmap bm;
    uint32_t base; /* network address, host order */
    char cidr[32];
};

ck_ipalloc *ck_ipalloc_new(const char *cidr, char *err, size_t errlen)
{
    char ip[32];
    int bits = -1;
    struct in_addr a;
    if (!cidr || sscanf(cidr, "%31[0-9.]/%d", ip, &bits) != 2 || inet_pton(AF_INET, ip, &a) != 1 || bits < 8 ||
        bits > 30) {
        snprintf(err, errlen, "--service-cluster-ip-range: invalid IPv4 CIDR (/8 to /30): %s", cidr ? cidr : "");
        return NULL;
    }
    ck_ipalloc *al = calloc(1, sizeof *al);
    if (!al) { snprintf(err, errlen, "out of memory"); return NULL; }
    uint32_t mask = bits ? ~0u << (32 - bits) : 0;
    al->base = ntohl(a.s_addr) & mask;
    snprintf(al->cidr, sizeof al->cidr, "%s", cidr);
    /* The network and broadcast addresses are never handed out. */
    if (bm_init(&al->bm, (uint32_t)1 << (32 - bits)) < 0) { free(al); snprintf(err, errlen, "out of memory"); return NULL; }
    bm_take(&al->bm, 0);
    bm_take(&al->bm, al->bm.size - 1);
    return al;
}

void ck_ipalloc_free(ck_ipalloc *a)
{
    if (!a) return;
    bm_free(&a->bm);
    free(a);
}

static int ip_index(const ck_ipalloc *a, const char *ip, uint32_t *i)
{
    struct in_addr in;
    if (!ip || inet_pton(AF_INET, ip, &in) != 1) return -2;
    uint32_t h = ntohl(in.s_addr);
    if (h < a->base || h - a->base >= a->bm.size) return -2;
    *i = h - a->base;
    return 0;
}

int ck_ipalloc_allocate(ck_ipalloc *a, const char *ip)
{
    uint32_t i;
    if (ip_index(a, ip, &i) < 0 || i == 0 || i == a->bm.size - 1) return -2;
    return bm_take(&a->bm, i);
}

static void ip_string(const ck_ipalloc *a, uint32_t i, char *out)
{
    struct in_addr in = {.s_addr = htonl(a->base + i)};
    inet_ntop(AF_INET, &in, out, 16);
}

int ck_ipalloc_allocate_next(ck_ipalloc *a, char *out)
{
    int64_t i = bm_take_next(&a->bm, 1);
    if (i < 0) return -1;
    ip_string(a, (uint32_t)i, out);
    return 0;
}

void ck_ipalloc_release(ck_ipalloc *a, const char *ip)
{
    uint32_t i;
    if (ip_index(a, ip, &i) == 0 && i != 0 && i != a->bm.size - 1) bm_put(&a->bm, i);
}

void ck_ipalloc_first(const ck_ipalloc *a, char *out) { ip_string(a, 1, out); }
const char *ck_ipalloc_cidr(const ck_ipalloc *a) { return a->cidr; }

struct ck_portalloc {
    bitmap bm;
    int min;
};

ck_portalloc *ck_portalloc_new(int min, int max)
{
    if (min <= 0 || max < min || max > 65535) return NULL;
    ck_portalloc *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->min = min;
    if (bm_init(&a->bm, (uint32_t)(max - min + 1)) < 0) { free(a); return NULL; }
    return a;
}

void ck_portalloc_free(ck_portalloc *a)
{
    if (!a) return;
    bm_free(&a->bm);
    free(a);
}

int ck_portalloc_allocate(ck_portalloc *a, int port)
{
    if (port < a->min || port - a->min >= (int)a->bm.size) return -2;
    return bm_take(&a->bm, (uint32_t)(port - a->min));
}

int ck_portalloc_allocate_next(ck_portalloc *a)
{
    int64_t i = bm_take_next(&a->bm, 0);
    return i < 0 ? -1 : a->min + (int)i;
}

void ck_portalloc_release(ck_portalloc *a, int port)
{
    if (port >= a->min && port - a->min < (int)a->bm.size) bm_put(&a->bm, (uint32_t)(port - a->min));
}

void ck_portalloc_range(const ck_portalloc *a, int *min, int *max)
{
    *min = a->min;
    *max = a->min + (int)a->bm.size - 1;
}
