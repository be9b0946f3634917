/* server.c: DNS over UDP and TCP (RFC 1035 4.2, RFC 7766) on libc sockets.
 * One poll loop reads UDP queries and accepts TCP connections; a TCP
 * connection, or a UDP query that must go upstream, gets its own thread so
 * a slow peer never stalls the cluster's lookups. */
#define _GNU_SOURCE
#include "dns/server.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dns/handler.h"
#include "util/log.h"

#define MAX_THREADS 64      /* TCP connections + forwarded UDP queries */
#define TCP_IDLE_SECONDS 10 /* RFC 7766 6.2.3 suggests seconds, not minutes */
#define UDP_BUF 4096

struct ck_dns_server {
    ck_dns_server_opts o;
    int udp, tcp, port;
    pthread_mutex_t mu;
    pthread_cond_t idle;
    int active;              /* running threads */
    int conns[MAX_THREADS];  /* open TCP connections, -1 = free slot */
};

static int make_addr(const char *ip, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET, a4->sin_port = htons((uint16_t)port), *len = sizeof *a4;
    } else if (inet_pton(AF_INET6, ip, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6, a6->sin6_port = htons((uint16_t)port), *len = sizeof *a6;
    } else {
        return -1;
    }
    return 0;
}

/* Binds UDP then TCP to the same port; with port 0 the kernel picks the UDP
 * one and TCP follows (retried when that TCP port happens to be taken). */
static int bind_both(ck_dns_server *s, char *err, size_t errlen)
{
    for (int attempt = 0; attempt < 10; attempt++) {
        struct sockaddr_storage ss;
        socklen_t len;
        if (make_addr(s->o.listen, s->o.port, &ss, &len) < 0) {
            snprintf(err, errlen, "bad listen address %s", s->o.listen);
            return -1;
        }
        s->udp = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        s->tcp = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (s->tcp >= 0) setsockopt(s->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (s->udp < 0 || s->tcp < 0 || bind(s->udp, (struct sockaddr *)&ss, len) < 0) goto fail;
        if (getsockname(s->udp, (struct sockaddr *)&ss, &len) < 0) goto fail;
        s->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                                : ((struct sockaddr_in6 *)&ss)->sin6_port);
        if (bind(s->tcp, (struct sockaddr *)&ss, len) == 0 && listen(s->tcp, 128) == 0) return 0;
        if (s->o.port != 0) goto fail;
        close(s->udp), close(s->tcp);
        continue;
    fail:
        snprintf(err, errlen, "listen %s:%d: %s", s->o.listen, s->o.port, strerror(errno));
        if (s->udp >= 0) close(s->udp);
        if (s->tcp >= 0) close(s->tcp);
        s->udp = s->tcp = -1;
        return -1;
    }
    snprintf(err, errlen, "no free port for both UDP and TCP on %s", s->o.listen);
    s->udp = s->tcp = -1;
    return -1;
}

ck_dns_server *ck_dns_server_new(const ck_dns_server_opts *opts, char *err, size_t errlen)
{
    ck_dns_server *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return NULL; }
    s->o = *opts;
    if (!s->o.listen || !*s->o.listen) s->o.listen = "0.0.0.0";
    if (s->o.forward_timeout_ms <= 0) s->o.forward_timeout_ms = 2000;
    for (int i = 0; i < MAX_THREADS; i++) s->conns[i] = -1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->idle, NULL);
    if (bind_both(s, err, errlen) < 0) { ck_dns_server_free(s); return NULL; }
    return s;
}

int ck_dns_server_port(const ck_dns_server *s) { return s->port; }

static bool can_forward(const ck_dns_server *s) { return s->o.upstreams && s->o.upstreams->n > 0; }

/* A SERVFAIL for q (upstream unreachable), with its question echoed. */
static int servfail(const uint8_t *q, size_t qlen, uint8_t *out, size_t cap)
{
    ck_dns_msg m;
    ck_dns_msg_init(&m);
    char err[64];
    int prc = ck_dns_parse(q, qlen, &m, err, sizeof err);
    m.flags = (uint16_t)(CK_DNS_QR | CK_DNS_RA | (m.flags & CK_DNS_RD) | CK_DNS_SERVFAIL);
    m.an = m.ns = m.ar = 0;
    if (prc < 0 || m.qdcount != 1) m.qdcount = 0;
    int n = ck_dns_build(&m, out, cap);
    ck_dns_msg_clear(&m);
    return n;
}

/* The whole answer to one query: the table, else the upstream, else
 * SERVFAIL. Returns the reply length or -1 (nothing to send). */
static int answer(ck_dns_server *s, const uint8_t *q, size_t qlen, bool tcp, bool allow_forward,
                  uint8_t *out, size_t cap, bool *needs_forward)
{
    void *h = NULL;
    const ck_dns_records *t = s->o.source.acquire(s->o.source.ud, &h);
    size_t outlen = 0;
    ck_dns_action a = t ? ck_dns_handle(t, q, qlen, tcp, can_forward(s), out, cap, &outlen) : CK_DNS_DROP;
    if (t && s->o.source.release) s->o.source.release(s->o.source.ud, h);
    if (!t) return servfail(q, qlen, out, cap);
    if (a == CK_DNS_DROP) return -1;
    if (a == CK_DNS_REPLY) return (int)outlen;
    if (!allow_forward) { *needs_forward = true; return -1; }
    int n = ck_dns_forward(s->o.upstreams, q, qlen, tcp, out, cap, s->o.forward_timeout_ms);
    return n >= 0 ? n : servfail(q, qlen, out, cap);
}

static bool thread_enter(ck_dns_server *s, int fd, int *slot)
{
    pthread_mutex_lock(&s->mu);
    bool ok = s->active < MAX_THREADS;
    if (ok) {
        s->active++;
        for (int i = 0; fd >= 0 && i < MAX_THREADS; i++)
            if (s->conns[i] < 0) { s->conns[i] = fd, *slot = i; break; }
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

static void thread_leave(ck_dns_server *s, int slot)
{
    pthread_mutex_lock(&s->mu);
    if (slot >= 0) s->conns[slot] = -1;
    if (--s->active == 0) pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->mu);
}

typedef struct udp_job {
    ck_dns_server *s;
    uint8_t q[UDP_BUF];
    size_t qlen;
    struct sockaddr_storage from;
    socklen_t fromlen;
} udp_job;

static void *udp_forward_thread(void *arg)
{
    udp_job *j = arg;
    uint8_t out[UDP_BUF];
    bool unused = false;
    int n = answer(j->s, j->q, j->qlen, false, true, out, sizeof out, &unused);
    if (n > 0) sendto(j->s->udp, out, (size_t)n, 0, (struct sockaddr *)&j->from, j->fromlen);
    thread_leave(j->s, -1);
    free(j);
    return NULL;
}

/* A detached thread; 0, or -1 (the caller undoes thread_enter). */
static int spawn(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &at, fn, arg);
    pthread_attr_destroy(&at);
    return rc == 0 ? 0 : -1;
}

static void serve_udp(ck_dns_server *s)
{
    udp_job *j = malloc(sizeof *j);
    if (!j) return;
    j->s = s;
    j->fromlen = sizeof j->from;
    ssize_t n = recvfrom(s->udp, j->q, sizeof j->q, MSG_DONTWAIT, (struct sockaddr *)&j->from, &j->fromlen);
    if (n <= 0) { free(j); return; }
    j->qlen = (size_t)n;
    uint8_t out[UDP_BUF];
    bool fwd = false;
    int len = answer(s, j->q, j->qlen, false, false, out, sizeof out, &fwd);
    if (len > 0) sendto(s->udp, out, (size_t)len, 0, (struct sockaddr *)&j->from, j->fromlen);
    if (fwd && thread_enter(s, -1, &(int){-1})) {
        if (spawn(udp_forward_thread, j) == 0) return;
        thread_leave(s, -1);
    }
    if (fwd && (len = servfail(j->q, j->qlen, out, sizeof out)) > 0) /* too busy to forward */
        sendto(s->udp, out, (size_t)len, 0, (struct sockaddr *)&j->from, j->fromlen);
    free(j);
}

typedef struct tcp_job { ck_dns_server *s; int fd, slot; } tcp_job;

/* RFC 1035 4.2.2: each message is prefixed by a two-byte length; the
 * connection stays open for more queries until the client closes it or it
 * idles for TCP_IDLE_SECONDS. */
static void *tcp_thread(void *arg)
{
    tcp_job *j = arg;
    uint8_t *q = malloc(65535), *out = malloc(65535);
    struct timeval tv = {TCP_IDLE_SECONDS, 0};
    setsockopt(j->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(j->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    while (q && out) {
        uint8_t hdr[2];
        if (recv(j->fd, hdr, 2, MSG_WAITALL) != 2) break;
        size_t qlen = (size_t)hdr[0] << 8 | hdr[1];
        if (qlen == 0 || recv(j->fd, q, qlen, MSG_WAITALL) != (ssize_t)qlen) break;
        bool unused = false;
        int n = answer(j->s, q, qlen, true, true, out, 65535, &unused);
        if (n < 0) break;
        hdr[0] = (uint8_t)(n >> 8), hdr[1] = (uint8_t)n;
        if (send(j->fd, hdr, 2, MSG_NOSIGNAL | MSG_MORE) != 2 ||
            send(j->fd, out, (size_t)n, MSG_NOSIGNAL) != n)
            break;
    }
    free(q), free(out);
    /* Leave before close: free() must not shut down a reused fd number. */
    int fd = j->fd;
    thread_leave(j->s, j->slot);
    close(fd);
    free(j);
    return NULL;
}

static void serve_tcp(ck_dns_server *s)
{
    int fd = accept4(s->tcp, NULL, NULL, SOCK_CLOEXEC); /* blocking, with timeouts in the thread */
    if (fd < 0) return;
    tcp_job *j = malloc(sizeof *j);
    int slot = -1;
    if (!j || !thread_enter(s, fd, &slot)) { free(j); close(fd); return; }
    j->s = s, j->fd = fd, j->slot = slot;
    if (spawn(tcp_thread, j) != 0) { thread_leave(s, slot); close(fd); free(j); }
}

int ck_dns_server_run(ck_dns_server *s, volatile sig_atomic_t *stop)
{
    ck_info("dns: serving %s:%d (udp, tcp)%s", s->o.listen, s->port,
            can_forward(s) ? ", forwarding other names upstream" : ", refusing other names");
    while (!*stop) {
        struct pollfd p[2] = {{.fd = s->udp, .events = POLLIN}, {.fd = s->tcp, .events = POLLIN}};
        int r = poll(p, 2, 200);
        if (r < 0 && errno != EINTR) return -1;
        if (r <= 0) continue;
        if (p[0].revents & POLLIN) serve_udp(s);
        if (p[1].revents & POLLIN) serve_tcp(s);
    }
    return 0;
}

void ck_dns_server_free(ck_dns_server *s)
{
    if (!s) return;
    if (s->udp >= 0) shutdown(s->udp, SHUT_RDWR);
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < MAX_THREADS; i++)
        if (s->conns[i] >= 0) shutdown(s->conns[i], SHUT_RDWR);
    while (s->active > 0) pthread_cond_wait(&s->idle, &s->mu);
    pthread_mutex_unlock(&s->mu);
    if (s->udp >= 0) close(s->udp);
    if (s->tcp >= 0) close(s->tcp);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->idle);
    free(s);
}
