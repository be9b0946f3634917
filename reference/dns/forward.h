/* forward.h: the upstream resolvers for names outside the cluster zone (as
 * CoreDNS's `forward . /etc/resolv.conf`): nameservers read from a
 * resolv.conf, one query relayed at a time over UDP or TCP. */
#ifndef CK_DNS_FORWARD_H
#define CK_DNS_FORWARD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define CK_DNS_MAX_UPSTREAMS 3 /* resolv.conf MAXNS */

typedef struct ck_dns_upstreams {
    struct sockaddr_storage addr[CK_DNS_MAX_UPSTREAMS];
    socklen_t len[CK_DNS_MAX_UPSTREAMS];
    size_t n;
} ck_dns_upstreams;

/* Adds ip:port. 0, or -1 when ip is not an address or the list is full. */
int ck_dns_upstreams_add(ck_dns_upstreams *u, const char *ip, int port);
/* Reads the `nameserver` lines of a resolv.conf (port 53), skipping the
 * server's own address (listen_ip:listen_port, where a wildcard listen
 * address also matches loopback) so we never forward to ourselves.
 * Returns how many were added (0 is fine: no forwarding), -1 if the file
 * cannot be read. */
int ck_dns_upstreams_from_resolv_conf(ck_dns_upstreams *u, const char *path, const char *listen_ip,
                                      int listen_port);

/* Relays query q to each upstream in turn until one answers within
 * timeout_ms, over UDP; when tcp (the client asked over TCP) and the UDP
 * reply is truncated, again over TCP. The reply must carry the query's ID
 * and QR. Returns its length (copied into out), or -1. */
int ck_dns_forward(const ck_dns_upstreams *u, const uint8_t *q, size_t qlen, bool tcp, uint8_t *out,
                   size_t cap, int timeout_ms);
#endif
