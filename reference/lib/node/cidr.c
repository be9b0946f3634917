/* cidr.c: IPv4 CIDR parsing and address arithmetic with inet_pton. */
#include "node/cidr.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t mask_of(int prefix) { return prefix ? ~0u << (32 - prefix) : 0; }

int ck_cidr_parse(const char *s, ck_cidr *out)
{
    char buf[64];
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!slash || (size_t)(slash - s) >= sizeof buf) return -1;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = 0;
    struct in_addr a;
    if (inet_pton(AF_INET, buf, &a) != 1) return -1;
    char *end;
    long p = strtol(slash + 1, &end, 10);
    if (end == slash + 1 || *end || p < 0 || p > 32) return -1;
    out->prefix = (int)p;
    out->net = ntohl(a.s_addr) & mask_of((int)p);
    return 0;
}

uint64_t ck_cidr_size(const ck_cidr *c) { return 1ull << (32 - c->prefix); }

int ck_cidr_nth(const ck_cidr *c, uint32_t n, char *out, size_t outlen)
{
    if ((uint64_t)n >= ck_cidr_size(c)) return -1;
    struct in_addr a = {.s_addr = htonl(c->net + n)};
    return inet_ntop(AF_INET, &a, out, (socklen_t)outlen) ? 0 : -1;
}

bool ck_cidr_contains(const ck_cidr *c, const char *ip)
{
    struct in_addr a;
    if (!ip || inet_pton(AF_INET, ip, &a) != 1) return false;
    return (ntohl(a.s_addr) & mask_of(c->prefix)) == c->net;
}
