/* forward.c: relaying out-of-zone queries to the host's resolvers (CoreDNS
 * `forward . /etc/resolv.conf` without its health checks or connection
 * pool): a fresh socket per query, each upstream tried once in order. */
#define _GNU_SOURCE
#include "dns/forward.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dns/message.h"

int ck_dns_upstreams_add(ck_dns_upstreams *u, const char *ip, int port)
{
    if (u->n >= CK_DNS_MAX_UPSTREAMS || port <= 0 || port > 65535) return -1;
    struct sockaddr_storage *ss = &u->addr[u->n];
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET, a4->sin_port = htons((uint16_t)port);
        u->len[u->n++] = sizeof *a4;
    } else if (inet_pton(AF_INET6, ip, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6, a6->sin6_port = htons((uint16_t)port);
        u->len[u->n++] = sizeof *a6;
    } else {
        return -1;
    }
    return 0;
}

static bool is_self(const char *ip, const char *listen_ip, int listen_port)
{
    if (listen_port != 53) return false;
    if (listen_ip && !strcmp(ip, listen_ip)) return true;
    bool wildcard = !listen_ip || !*listen_ip || !strcmp(listen_ip, "0.0.0.0") || !strcmp(listen_ip, "::");
    return wildcard && (!strncmp(ip, "127.", 4) || !strcmp(ip, "::1"));
}

int ck_dns_upstreams_from_resolv_conf(ck_dns_upstreams *u, const char *path, const char *listen_ip,
                                      int listen_port)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[512], ip[128];
    int added = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, " nameserver %127s", ip) == 1 && !is_self(ip, listen_ip, listen_port) &&
            ck_dns_upstreams_add(u, ip, 53) == 0)
            added++;
    fclose(f);
    return added;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Waits for fd to become readable before the deadline. */
static bool wait_readable(int fd, long deadline)
{
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0) return false;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)left);
        if (r > 0) return true;
        if (r < 0 && errno != EINTR) return false;
    }
}

static bool read_full(int fd, uint8_t *buf, size_t n, long deadline)
{
    for (size_t got = 0; got < n;) {
        if (!wait_readable(fd, deadline)) return false;
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) return false;
        got += (size_t)r;
    }
    return true;
}

static int exchange_udp(int fd, const uint8_t *q, size_t qlen, uint8_t *out, size_t cap, long deadline)
{
    if (send(fd, q, qlen, 0) != (ssize_t)qlen) return -1;
    while (wait_readable(fd, deadline)) {
        ssize_t n = recv(fd, out, cap, 0);
        if (n < 0) return -1;
        /* Ignore stray datagrams: the reply echoes our ID with QR set. */
        if (n >= 12 && out[0] == q[0] && out[1] == q[1] && (out[2] & 0x80)) return (int)n;
    }
    return -1;
}

static int exchange_tcp(int fd, const uint8_t *q, size_t qlen, uint8_t *out, size_t cap, long deadline)
{
    uint8_t hdr[2] = {(uint8_t)(qlen >> 8), (uint8_t)qlen};
    if (write(fd, hdr, 2) != 2 || write(fd, q, qlen) != (ssize_t)qlen) return -1;
    if (!read_full(fd, hdr, 2, deadline)) return -1;
    size_t n = (size_t)hdr[0] << 8 | hdr[1];
    if (n < 12 || n > cap || !read_full(fd, out, n, deadline)) return -1;
    return out[0] == q[0] && out[1] == q[1] && (out[2] & 0x80) ? (int)n : -1;
}

static int forward_one(const ck_dns_upstreams *u, size_t i, const uint8_t *q, size_t qlen, bool tcp,
                       uint8_t *out, size_t cap, int timeout_ms)
{
    int fd = socket(u->addr[i].ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv); /* bounds connect() too */
    long deadline = now_ms() + timeout_ms;
    int n = -1;
    if (connect(fd, (const struct sockaddr *)&u->addr[i], u->len[i]) == 0)
        n = tcp ? exchange_tcp(fd, q, qlen, out, cap, deadline) : exchange_udp(fd, q, qlen, out, cap, deadline);
    close(fd);
    return n;
}

int ck_dns_forward(const ck_dns_upstreams *u, const uint8_t *q, size_t qlen, bool tcp, uint8_t *out,
                   size_t cap, int timeout_ms)
{
    if (qlen < 12 || qlen > 65535) return -1;
    for (size_t i = 0; i < u->n; i++) {
        /* UDP first (CoreDNS prefer_udp); TCP when the client is on TCP and
         * the UDP answer came back truncated. */
        int n = forward_one(u, i, q, qlen, false, out, cap, timeout_ms);
        if (n >= 0 && tcp && (out[2] & 0x02)) {
            int t = forward_one(u, i, q, qlen, true, out, cap, timeout_ms);
            if (t >= 0) n = t;
            else n = forward_one(u, i, q, qlen, false, out, cap, timeout_ms); /* the truncated one again */
        }
        if (n >= 0) return n;
    }
    return -1;
}
