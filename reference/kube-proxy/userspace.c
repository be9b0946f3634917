/* userspace.c: one epoll thread owns every socket. sync() (runner thread)
 * adds cluster IPs to lo, hands over a copy of the state and wakes the loop
 * through an eventfd; the loop reconciles its listeners, accepts, picks an
 * endpoint (upstream roundrobin.go LoadBalancerRR with ClientIP affinity),
 * connects without blocking and relays bytes both ways. */
#define _GNU_SOURCE
#include "kube-proxy/userspace.h"
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "kube-proxy/exec.h"
#include "util/log.h"

#define BUFSZ 16384
enum { T_WAKE, T_LISTEN, T_END };

typedef struct conn conn;
typedef struct end { int type; int fd; conn *c; int side; } end;  /* epoll data */
struct conn {
    end e[2];             /* 0 = client, 1 = endpoint */
    char buf[2][BUFSZ];   /* buf[i]: read from side i, to write to side !i */
    size_t len[2], off[2];
    bool eof[2], connecting, dead;
    conn *next_dead;
};
typedef struct listener {
    int type; int fd;
    char key[CK_SPN_LEN + 96];  /* "name/protocol ip:port" */
    ck_service_port sp;
    bool keep;
    struct listener *next;
} listener;

typedef struct userspace {
    ck_proxier base;
    ck_userspace_opts opts;
    int ep, wake;
    pthread_t th;
    pthread_mutex_t mu;
    ck_proxy_state *pending;  /* handed over by sync, taken by the loop */
    bool stop;
    ck_proxy_state *cur;      /* loop thread only */
    listener *ls;
    json_t *balancer;         /* name -> {"rr": n, "aff": {clientIP: [ip:port, unix]}} */
    json_t *lo_ips;           /* ip -> true: addresses this proxier added to lo */
    conn *dead;
    listener *dead_ls;        /* closed this batch, freed after it */
    end wake_end;
} userspace;

static ck_proxy_state *copy_state(const ck_proxy_state *st)
{
    ck_proxy_state *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->svcs = st->nsvcs ? malloc(st->nsvcs * sizeof *c->svcs) : NULL;
    c->eps = st->neps ? calloc(st->neps, sizeof *c->eps) : NULL;
    if ((st->nsvcs && !c->svcs) || (st->neps && !c->eps)) goto oom;
    if (st->nsvcs) memcpy(c->svcs, st->svcs, st->nsvcs * sizeof *c->svcs);
    c->nsvcs = st->nsvcs;
    for (size_t i = 0; i < st->neps; i++, c->neps++) {
        c->eps[i] = st->eps[i];
        c->eps[i].eps = malloc((st->eps[i].n ? st->eps[i].n : 1) * sizeof(ck_endpoint));
        if (!c->eps[i].eps) goto oom;
        memcpy(c->eps[i].eps, st->eps[i].eps, st->eps[i].n * sizeof(ck_endpoint));
    }
    return c;
oom:
    ck_proxy_state_free(c);
    return NULL;
}

static int open_listener(const char *ip, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (fd < 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        listen(fd, 128) < 0) {
        ck_warn("userspace: cannot listen on %s:%d: %s", ip, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void want(userspace *u, const ck_service_port *sp, const char *ip, int port)
{
    char key[sizeof ((listener *)0)->key];
    snprintf(key, sizeof key, "%s/%s %s:%d", sp->name, sp->protocol, ip, port);
    for (listener *l = u->ls; l; l = l->next)
        if (strcmp(l->key, key) == 0) { l->keep = true; l->sp = *sp; return; }
    int fd = open_listener(ip, port);
    listener *l = fd < 0 ? NULL : calloc(1, sizeof *l);
    if (!l) { if (fd >= 0) close(fd); return; }
    l->type = T_LISTEN, l->fd = fd, l->sp = *sp, l->keep = true;
    snprintf(l->key, sizeof l->key, "%s", key);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = l};
    epoll_ctl(u->ep, EPOLL_CTL_ADD, fd, &ev);
    l->next = u->ls, u->ls = l;
    ck_info("userspace: %s listening on %s:%d", sp->name, ip, port);
}

/* Loop thread: make the listeners match u->cur. */
static void reconcile(userspace *u)
{
    for (listener *l = u->ls; l; l = l->next) l->keep = false;
    for (size_t i = 0; i < u->cur->nsvcs; i++) {
        const ck_service_port *sp = &u->cur->svcs[i];
        if (strcmp(sp->protocol, "TCP") != 0) continue;  /* UDP relaying not implemented */
        if (u->opts.bind_cluster_ips) want(u, sp, sp->cluster_ip, sp->port);
        if (sp->node_port)
            want(u, sp, u->opts.nodeport_address ? u->opts.nodeport_address : "0.0.0.0", sp->node_port);
    }
    for (listener **pl = &u->ls; *pl;) {
        listener *l = *pl;
        if (l->keep) { pl = &l->next; continue; }
        *pl = l->next;
        close(l->fd);  /* also removes it from the epoll set */
        l->fd = -1;
        l->next = u->dead_ls, u->dead_ls = l;
    }
}

/* LoadBalancerRR.NextEndpoint: sticky client first, else the next in turn. */
static const ck_endpoint *pick(userspace *u, const ck_service_port *sp, const char *client)
{
    const ck_endpoint_set *es = ck_proxy_state_endpoints(u->cur, sp);
    if (!es || !es->n) return NULL;
    json_t *b = json_object_get(u->balancer, sp->name);
    if (!b) {
        b = json_pack("{s:i,s:{}}", "rr", 0, "aff");
        if (!b || json_object_set_new(u->balancer, sp->name, b) < 0) return &es->eps[0];
    }
    json_t *aff = json_object_get(b, "aff");
    time_t now = time(NULL);
    char hp[96];
    if (sp->affinity_client_ip) {
        json_t *a = json_object_get(aff, client);
        if (a && now - json_integer_value(json_array_get(a, 1)) < sp->sticky_max_age_seconds)
            for (size_t i = 0; i < es->n; i++) {
                snprintf(hp, sizeof hp, "%s:%d", es->eps[i].ip, es->eps[i].port);
                if (strcmp(hp, json_string_value(json_array_get(a, 0))) == 0) {
                    json_array_set_new(a, 1, json_integer(now));
                    return &es->eps[i];
                }
            }
    }
    json_int_t rr = json_integer_value(json_object_get(b, "rr"));
    const ck_endpoint *e = &es->eps[rr % (json_int_t)es->n];
    json_object_set_new(b, "rr", json_integer((rr + 1) % (json_int_t)es->n));
    if (sp->affinity_client_ip) {
        snprintf(hp, sizeof hp, "%s:%d", e->ip, e->port);
        json_object_set_new(aff, client, json_pack("[s,I]", hp, (json_int_t)now));
    }
    return e;
}

static void set_interest(userspace *u, conn *c)
{
    for (int s = 0; s < 2; s++) {
        uint32_t ev = 0;
        if (c->connecting) ev = s == 1 ? EPOLLOUT : 0;
        else {
            if (!c->eof[s] && c->len[s] == 0) ev |= EPOLLIN;   /* room to read from s */
            if (c->len[!s] > c->off[!s]) ev |= EPOLLOUT;     /* data waiting for s */
        }
        struct epoll_event e = {.events = ev, .data.ptr = &c->e[s]};
        epoll_ctl(u->ep, EPOLL_CTL_MOD, c->e[s].fd, &e);
    }
}

static void kill_conn(userspace *u, conn *c)
{
    if (c->dead) return;
    c->dead = true;
    close(c->e[0].fd);
    close(c->e[1].fd);
    c->next_dead = u->dead, u->dead = c;
}

static void on_accept(userspace *u, listener *l)
{
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    int fd = accept4(l->fd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    char client[64];
    inet_ntop(AF_INET, &peer.sin_addr, client, sizeof client);
    const ck_endpoint *e = pick(u, &l->sp, client);
    struct sockaddr_in a = {.sin_family = AF_INET};
    int out = e ? socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) : -1;
    conn *c = out >= 0 ? calloc(1, sizeof *c) : NULL;
    if (!c || inet_pton(AF_INET, e->ip, &a.sin_addr) != 1) {
        ck_debug("userspace: %s: no endpoint for %s", l->sp.name, client);
        close(fd);
        if (out >= 0) close(out);
        free(c);
        return;
    }
    a.sin_port = htons((uint16_t)e->port);
    if (connect(out, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
        close(fd), close(out), free(c);
        return;
    }
    c->connecting = true;
    for (int s = 0; s < 2; s++) {
        c->e[s] = (end){T_END, s ? out : fd, c, s};
        struct epoll_event ev = {.events = 0, .data.ptr = &c->e[s]};
        epoll_ctl(u->ep, EPOLL_CTL_ADD, c->e[s].fd, &ev);
    }
    set_interest(u, c);
}

static void on_end(userspace *u, end *e, uint32_t events)
{
    conn *c = e->c;
    int s = e->side;
    if (c->dead) return;
    if (c->connecting) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(e->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) { kill_conn(u, c); return; }
        c->connecting = false;
        set_interest(u, c);
        return;
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !c->eof[s] && c->len[s] == 0) {
        ssize_t n = read(e->fd, c->buf[s], BUFSZ);
        if (n > 0) c->len[s] = (size_t)n, c->off[s] = 0;
        else if (n == 0) { c->eof[s] = true; }
        else if (errno != EAGAIN && errno != EINTR) { kill_conn(u, c); return; }
    }
    if ((events & EPOLLOUT) && c->len[!s] > c->off[!s]) {
        ssize_t n = write(e->fd, c->buf[!s] + c->off[!s], c->len[!s] - c->off[!s]);
        if (n < 0 && errno != EAGAIN && errno != EINTR) { kill_conn(u, c); return; }
        if (n > 0 && (c->off[!s] += (size_t)n) == c->len[!s]) c->len[!s] = c->off[!s] = 0;
    }
    for (int i = 0; i < 2; i++)  /* half-close once a finished side's data is delivered */
        if (c->eof[i] && c->len[i] == 0) shutdown(c->e[!i].fd, SHUT_WR);
    if (c->eof[0] && c->eof[1] && !c->len[0] && !c->len[1]) { kill_conn(u, c); return; }
    set_interest(u, c);
}

static void *loop(void *arg)
{
    userspace *u = arg;
    struct epoll_event evs[64];
    for (;;) {
        int n = epoll_wait(u->ep, evs, 64, 1000);
        for (int i = 0; i < n; i++) {
            end *e = evs[i].data.ptr;
            if (e->type == T_WAKE) {
                uint64_t v;
                if (read(u->wake, &v, sizeof v) < 0) {}
                pthread_mutex_lock(&u->mu);
                bool stop = u->stop;
                ck_proxy_state *st = u->pending;
                u->pending = NULL;
                pthread_mutex_unlock(&u->mu);
                if (stop) return NULL;
                if (st) {
                    ck_proxy_state_free(u->cur);
                    u->cur = st;
                    reconcile(u);
                }
            } else if (e->type == T_LISTEN) {
                if (((listener *)e)->fd >= 0) on_accept(u, (listener *)e);
            } else {
                on_end(u, e, evs[i].events);
            }
        }
        while (u->dead) { conn *c = u->dead; u->dead = c->next_dead; free(c); }
        while (u->dead_ls) { listener *l = u->dead_ls; u->dead_ls = l->next; free(l); }
    }
}

/* Runner thread: put each cluster IP on lo so it can be bound, drop old ones. */
static void sync_lo_ips(userspace *u, const ck_proxy_state *st)
{
    json_t *want = json_object();
    if (!want) return;
    char err[256], cidr[80];
    for (size_t i = 0; i < st->nsvcs; i++) {
        const char *ip = st->svcs[i].cluster_ip;
        if (json_object_get(u->lo_ips, ip) || strchr(ip, ':')) { json_object_set_new(want, ip, json_true()); continue; }
        snprintf(cidr, sizeof cidr, "%s/32", ip);
        char *const argv[] = {"ip", "addr", "replace", cidr, "dev", "lo", NULL};
        if (ck_exec(argv, NULL, NULL, err, sizeof err) == 0) json_object_set_new(want, ip, json_true());
        else ck_warn("userspace: cannot add %s to lo: %s", cidr, err);
    }
    const char *ip;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(u->lo_ips, tmp, ip, v) {
        if (json_object_get(want, ip)) continue;
        snprintf(cidr, sizeof cidr, "%s/32", ip);
        char *const argv[] = {"ip", "addr", "del", cidr, "dev", "lo", NULL};
        ck_exec(argv, NULL, NULL, err, sizeof err);
    }
    json_decref(u->lo_ips);
    u->lo_ips = want;
}

static int sync_state(ck_proxier *p, const ck_proxy_state *st, char *err, size_t errlen)
{
    userspace *u = (userspace *)p;
    if (u->opts.bind_cluster_ips) sync_lo_ips(u, st);
    ck_proxy_state *c = copy_state(st);
    if (!c) { snprintf(err, errlen, "out of memory"); return -1; }
    pthread_mutex_lock(&u->mu);
    ck_proxy_state_free(u->pending);
    u->pending = c;
    pthread_mutex_unlock(&u->mu);
    uint64_t one = 1;
    if (write(u->wake, &one, sizeof one) < 0) {}
    return 0;
}

static void free_userspace(ck_proxier *p)
{
    userspace *u = (userspace *)p;
    if (u->th) {
        pthread_mutex_lock(&u->mu);
        u->stop = true;
        pthread_mutex_unlock(&u->mu);
        uint64_t one = 1;
        if (write(u->wake, &one, sizeof one) < 0) {}
        pthread_join(u->th, NULL);
    }
    for (listener *l = u->ls, *n; l; l = n) { n = l->next; close(l->fd); free(l); }
    for (listener *l = u->dead_ls, *n; l; l = n) { n = l->next; free(l); }
    /* Open relays are abandoned with the process (upstream does the same). */
    ck_proxy_state_free(u->cur);
    ck_proxy_state_free(u->pending);
    json_decref(u->balancer);
    json_decref(u->lo_ips);
    if (u->ep >= 0) close(u->ep);
    if (u->wake >= 0) close(u->wake);
    pthread_mutex_destroy(&u->mu);
    free(u);
}

static const ck_proxier_ops userspace_ops = {"userspace", sync_state, free_userspace};

ck_proxier *ck_userspace_proxier_new(const ck_userspace_opts *o, char *err, size_t errlen)
{
    userspace *u = calloc(1, sizeof *u);
    if (!u) { snprintf(err, errlen, "out of memory"); return NULL; }
    u->base.ops = &userspace_ops;
    u->opts = *o;
    pthread_mutex_init(&u->mu, NULL);
    u->ep = epoll_create1(EPOLL_CLOEXEC);
    u->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    u->balancer = json_object();
    u->lo_ips = json_object();
    u->cur = calloc(1, sizeof *u->cur);
    u->wake_end.type = T_WAKE;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &u->wake_end};
    if (u->ep < 0 || u->wake < 0 || !u->balancer || !u->lo_ips || !u->cur ||
        epoll_ctl(u->ep, EPOLL_CTL_ADD, u->wake, &ev) < 0 || pthread_create(&u->th, NULL, loop, u) != 0) {
        u->th = 0;
        snprintf(err, errlen, "userspace proxier: %s", strerror(errno));
        free_userspace(&u->base);
        return NULL;
    }
    return &u->base;
}
