/* dnsq.h: a tiny DNS client for the tests (header-only): builds a query with
 * message.c, sends it over UDP or TCP to 127.0.0.1:port, parses the reply. */
#ifndef CK_DNS_TESTS_DNSQ_H
#define CK_DNS_TESTS_DNSQ_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "dns/message.h"

/* A query for name/type; edns > 0 adds an OPT offering that payload size. */
static inline int dnsq_build(const char *name, uint16_t type, uint16_t id, int edns, uint8_t *out, size_t cap)
{
    ck_dns_msg m;
    ck_dns_msg_init(&m);
    m.id = id, m.flags = CK_DNS_RD, m.qdcount = 1;
    snprintf(m.q.name, sizeof m.q.name, "%s", name);
    m.q.qtype = type, m.q.qclass = CK_DNS_CLASS_IN;
    if (edns > 0) {
        ck_dns_rr *o = ck_dns_msg_add(&m, CK_DNS_SEC_AR);
        if (o) o->type = CK_DNS_OPT, o->rclass = (uint16_t)edns;
    }
    int n = ck_dns_build(&m, out, cap);
    ck_dns_msg_clear(&m);
    return n;
}

/* Sends q and reads one reply (1 s timeout) into out. Length or -1. */
static inline int dnsq_exchange(int port, bool tcp, const uint8_t *q, size_t qlen, uint8_t *out, size_t cap)
{
    int s = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (s < 0) return -1;
    struct timeval tv = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int n = -1;
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
        if (!tcp) {
            if (send(s, q, qlen, 0) == (ssize_t)qlen) n = (int)recv(s, out, cap, 0);
        } else {
            uint8_t h[2] = {(uint8_t)(qlen >> 8), (uint8_t)qlen};
            if (send(s, h, 2, 0) == 2 && send(s, q, qlen, 0) == (ssize_t)qlen &&
                recv(s, h, 2, MSG_WAITALL) == 2) {
                size_t len = (size_t)h[0] << 8 | h[1];
                if (len <= cap && recv(s, out, len, MSG_WAITALL) == (ssize_t)len) n = (int)len;
            }
        }
    }
    close(s);
    return n;
}

/* Query name/type and parse the reply into *r (caller clears). 0 or -1. */
static inline int dnsq(int port, bool tcp, const char *name, uint16_t type, ck_dns_msg *r)
{
    uint8_t q[512], out[65535];
    ck_dns_msg_init(r);
    int qn = dnsq_build(name, type, 0x4242, 0, q, sizeof q);
    int n = qn > 0 ? dnsq_exchange(port, tcp, q, (size_t)qn, out, sizeof out) : -1;
    char err[128];
    if (n < 0 || ck_dns_parse(out, (size_t)n, r, err, sizeof err) < 0 || r->id != 0x4242) return -1;
    return 0;
}

/* True when one of the answers is an A record for ip. */
static inline bool dnsq_has_a(const ck_dns_msg *r, const char *ip)
{
    uint8_t a[4];
    inet_pton(AF_INET, ip, a);
    for (size_t i = 0; i < r->an; i++)
        if (r->rr[i].type == CK_DNS_A && !memcmp(r->rr[i].addr, a, 4)) return true;
    return false;
}
#endif
