/* cidr.h: IPv4 CIDR arithmetic for node and pod networks ("10.244.1.0/24":
 * the network, its n-th address, containment). */
#ifndef CK_NODE_CIDR_H
#define CK_NODE_CIDR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ck_cidr {
    uint32_t net;  /* host byte order, masked */
    int prefix;    /* 0..32 */
} ck_cidr;

/* Parses "a.b.c.d/n" (host bits are masked off). 0, or -1 when malformed. */
int ck_cidr_parse(const char *s, ck_cidr *out);
/* Writes the n-th address of the network ("10.244.1.<n>") into out
 * (>= 16 bytes). Returns 0, or -1 when n is outside the network. */
int ck_cidr_nth(const ck_cidr *c, uint32_t n, char *out, size_t outlen);
/* Number of addresses (2^(32-prefix)). */
uint64_t ck_cidr_size(const ck_cidr *c);
bool ck_cidr_contains(const ck_cidr *c, const char *ip);
#endif
