/* test_handler.c: queries end to end without the apiserver. ck_dns_handle on
 * a fixed table (rcodes, AA, SOA on negative answers, FORMERR/NOTIMP/drop,
 * EDNS and truncation), the upstream forwarder against a fake resolver
 * run here, and the UDP+TCP server on 127.0.0.1 with both. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dns/handler.h"
#include "dns/server.h"
#include "util/cktest.h"
#include "dns/tests/dnsq.h"

static ck_dns_records *table;
static int fake_fd = -1, silent_fd = -1, fake_port, silent_port;
static pthread_t fake_thread;

/* The fake upstream: answers every query with A 192.0.2.1. */
static void *fake_loop(void *arg)
{
    (void)arg;
    for (;;) {
        uint8_t q[512], out[1024];
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fake_fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
        if (n <= 0) return NULL;
        ck_dns_msg m;
        ck_dns_msg_init(&m);
        char err[64];
        if (ck_dns_parse(q, (size_t)n, &m, err, sizeof err) == 0) {
            m.flags |= CK_DNS_QR | CK_DNS_RA;
            m.an = m.ns = m.ar = 0;
            ck_dns_rr *rr = ck_dns_msg_add(&m, CK_DNS_SEC_AN);
            snprintf(rr->name, sizeof rr->name, "%s", m.q.name);
            rr->type = CK_DNS_A, rr->rclass = 1, rr->ttl = 60;
            memcpy(rr->addr, "\xc0\x00\x02\x01", 4);
            int len = ck_dns_build(&m, out, sizeof out);
            if (len > 0) sendto(fake_fd, out, (size_t)len, 0, (struct sockaddr *)&from, fl);
        }
        ck_dns_msg_clear(&m);
    }
}

static int udp_socket(int *port)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(s, (struct sockaddr *)&a, &al) < 0)
        return -1;
    *port = ntohs(a.sin_port);
    return s;
}

static int setup(void)
{
    table = ck_dns_records_new("cluster.local");
    json_t *svc = json_loads("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":"
                             "{\"clusterIP\":\"10.96.0.20\",\"ports\":[{\"name\":\"http\",\"port\":80}]}}", 0, NULL);
    /* A headless service with 100 endpoints: more than fits in 512 bytes. */
    json_t *big = json_loads("{\"metadata\":{\"name\":\"big\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"None\"}}",
                             0, NULL);
    json_t *eps = json_pack("{s:[{s:[]}]}", "subsets", "addresses");
    json_t *addrs = json_object_get(json_array_get(json_object_get(eps, "subsets"), 0), "addresses");
    for (int i = 0; i < 100; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "10.244.0.%d", i + 1);
        json_array_append_new(addrs, json_pack("{s:s}", "ip", ip));
    }
    int rc = !table || ck_dns_records_add_service(table, svc, NULL) || ck_dns_records_add_service(table, big, eps) ||
             ck_dns_records_finish(table);
    json_decref(svc), json_decref(big), json_decref(eps);
    if (rc) return 1;
    if ((fake_fd = udp_socket(&fake_port)) < 0 || (silent_fd = udp_socket(&silent_port)) < 0) return 1;
    return pthread_create(&fake_thread, NULL, fake_loop, NULL) ? 1 : 0;
}

static int teardown(void)
{
    shutdown(fake_fd, SHUT_RDWR);
    pthread_join(fake_thread, NULL);
    close(fake_fd), close(silent_fd);
    ck_dns_records_free(table);
    return 0;
}

/* Runs a raw query through the handler; parses a reply into *r. */
static ck_dns_action handle(const uint8_t *q, size_t qlen, bool tcp, bool fwd, ck_dns_msg *r, size_t *outlen)
{
    uint8_t out[65535];
    size_t n = 0;
    ck_dns_msg_init(r);
    ck_dns_action a = ck_dns_handle(table, q, qlen, tcp, fwd, out, sizeof out, &n);
    char err[64];
    if (a == CK_DNS_REPLY) CU_ASSERT_EQUAL(ck_dns_parse(out, n, r, err, sizeof err), 0);
    if (outlen) *outlen = n;
    return a;
}

static ck_dns_action ask(const char *name, uint16_t type, bool tcp, bool fwd, int edns, ck_dns_msg *r, size_t *len)
{
    uint8_t q[512];
    int n = dnsq_build(name, type, 7, edns, q, sizeof q);
    CU_ASSERT_TRUE(n > 0);
    return handle(q, (size_t)n, tcp, fwd, r, len);
}

static void test_rcodes(void)
{
    ck_dns_msg r;
    CU_ASSERT_EQUAL(ask("web.default.svc.cluster.local", CK_DNS_A, false, false, 0, &r, NULL), CK_DNS_REPLY);
    CU_ASSERT_EQUAL(r.id, 7);
    CU_ASSERT_TRUE(r.flags & CK_DNS_QR && r.flags & CK_DNS_AA && r.flags & CK_DNS_RD);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(r.flags), CK_DNS_NOERROR);
    CU_ASSERT_TRUE(r.an == 1 && dnsq_has_a(&r, "10.96.0.20"));
    ck_dns_msg_clear(&r);
    /* NXDOMAIN and NODATA both carry the zone SOA for negative caching. */
    CU_ASSERT_EQUAL(ask("nope.default.svc.cluster.local", CK_DNS_A, false, false, 0, &r, NULL), CK_DNS_REPLY);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(r.flags), CK_DNS_NXDOMAIN);
    CU_ASSERT_TRUE(r.an == 0 && r.ns == 1 && r.rr[0].type == CK_DNS_SOA);
    ck_dns_msg_clear(&r);
    CU_ASSERT_EQUAL(ask("web.default.svc.cluster.local", CK_DNS_AAAA, false, false, 0, &r, NULL), CK_DNS_REPLY);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(r.flags), CK_DNS_NOERROR);
    CU_ASSERT_TRUE(r.an == 0 && r.ns == 1 && r.rr[0].type == CK_DNS_SOA);
    ck_dns_msg_clear(&r);
    /* Not ours: REFUSED without an upstream, FORWARD with one. */
    CU_ASSERT_EQUAL(ask("www.example.com", CK_DNS_A, false, false, 0, &r, NULL), CK_DNS_REPLY);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(r.flags), CK_DNS_REFUSED);
    CU_ASSERT_FALSE(r.flags & CK_DNS_AA);
    ck_dns_msg_clear(&r);
    CU_ASSERT_EQUAL(ask("www.example.com", CK_DNS_A, false, true, 0, &r, NULL), CK_DNS_FORWARD);
    ck_dns_msg_clear(&r);
}

static void test_malformed_queries(void)
{
    ck_dns_msg r;
    /* Shorter than a header: nothing to answer. */
    CU_ASSERT_EQUAL(handle((const uint8_t *)"\x12\x34\x01", 3, false, false, &r, NULL), CK_DNS_DROP);
    ck_dns_msg_clear(&r);
    /* A response (QR set) is never answered, so we cannot be made to loop. */
    uint8_t q[512];
    int n = dnsq_build("web.default.svc.cluster.local", CK_DNS_A, 9, 0, q, sizeof q);
    q[2] |= 0x80;
    CU_ASSERT_EQUAL(handle(q, (size_t)n, false, false, &r, NULL), CK_DNS_DROP);
    ck_dns_msg_clear(&r);
    q[2] &= 0x7f;
    /* A pointer loop in the question: FORMERR with the query's ID. */
    uint8_t bad[] = {0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1};
    CU_ASSERT_EQUAL(handle(bad, sizeof bad, false, false, &r, NULL), CK_DNS_REPLY);
    CU_ASSERT_EQUAL(r.id, 0xabcd);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(r.flags), CK_DNS_FORMERR);
    ck_dns_msg_clear(&r);
    /* Two questions: FORMERR. Opcode STATUS (2): NOTIMP. */
    uint8_t two[600];
    memcpy(two, q, (size_t)n);
    two[5] = 2;
    memcpy(two + n, q + 12, (size_t)n - 12);
    CU_ASSERT_EQUAL(handle(two, (size_t)(2 * n - 12), false, false, &r, NULL), CK_DNS_REPLY);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(r.flags), CK_DNS_FORMERR);
    ck_dns_msg_clear(&r);
    q[2] = (uint8_t)(q[2] | (2 << 3));
    CU_ASSERT_EQUAL(handle(q, (size_t)n, false, false, &r, NULL), CK_DNS_REPLY);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(r.flags), CK_DNS_NOTIMP);
    ck_dns_msg_clear(&r);
}

static void test_truncation_and_edns(void)
{
    ck_dns_msg r;
    size_t len;
    /* 100 A records (16 bytes each) do not fit in 512: TC, no answers. */
    CU_ASSERT_EQUAL(ask("big.default.svc.cluster.local", CK_DNS_A, false, false, 0, &r, &len), CK_DNS_REPLY);
    CU_ASSERT_TRUE(r.flags & CK_DNS_TC);
    CU_ASSERT_EQUAL(r.an, 0);
    CU_ASSERT_TRUE(len <= 512);
    ck_dns_msg_clear(&r);
    /* EDNS 4096 is capped at our 1232, which fits 100 x 16 bytes? No: 1600+. */
    CU_ASSERT_EQUAL(ask("big.default.svc.cluster.local", CK_DNS_A, false, false, 4096, &r, &len), CK_DNS_REPLY);
    CU_ASSERT_TRUE(r.flags & CK_DNS_TC);
    CU_ASSERT_TRUE(len <= CK_DNS_UDP_EDNS);
    CU_ASSERT_TRUE(r.ar == 1 && r.rr[r.an + r.ns].type == CK_DNS_OPT && r.rr[r.an + r.ns].rclass == CK_DNS_UDP_EDNS);
    ck_dns_msg_clear(&r);
    /* Over TCP all 100 come back. */
    CU_ASSERT_EQUAL(ask("big.default.svc.cluster.local", CK_DNS_A, true, false, 0, &r, &len), CK_DNS_REPLY);
    CU_ASSERT_FALSE(r.flags & CK_DNS_TC);
    CU_ASSERT_EQUAL(r.an, 100);
    CU_ASSERT_TRUE(dnsq_has_a(&r, "10.244.0.100"));
    ck_dns_msg_clear(&r);
    /* A small answer with EDNS echoes the OPT record. */
    CU_ASSERT_EQUAL(ask("web.default.svc.cluster.local", CK_DNS_A, false, false, 1232, &r, &len), CK_DNS_REPLY);
    CU_ASSERT_TRUE(r.an == 1 && r.ar == 1 && r.rr[1].type == CK_DNS_OPT);
    ck_dns_msg_clear(&r);
}

static void test_resolv_conf(void)
{
    char path[] = "/tmp/ck-dns-resolv-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    const char *text = "# comment\nsearch example.com\nnameserver 127.0.0.1\nnameserver 10.255.255.53\n"
                       "nameserver fd00::53\nnameserver not-an-ip\nnameserver 192.0.2.9\n";
    CU_ASSERT_EQUAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ck_dns_upstreams u = {.n = 0};
    /* Listening on the wildcard at 53: loopback would be ourselves. */
    CU_ASSERT_EQUAL(ck_dns_upstreams_from_resolv_conf(&u, path, "0.0.0.0", 53), 3);
    CU_ASSERT_EQUAL(u.n, 3);
    CU_ASSERT_EQUAL(u.addr[0].ss_family, AF_INET);
    CU_ASSERT_EQUAL(u.addr[1].ss_family, AF_INET6);
    memset(&u, 0, sizeof u);
    CU_ASSERT_EQUAL(ck_dns_upstreams_from_resolv_conf(&u, path, "10.255.255.53", 53), 3); /* 127.0.0.1 kept */
    memset(&u, 0, sizeof u);
    CU_ASSERT_EQUAL(ck_dns_upstreams_from_resolv_conf(&u, path, "0.0.0.0", 5353), 3); /* MAXNS */
    unlink(path);
    CU_ASSERT_EQUAL(ck_dns_upstreams_from_resolv_conf(&u, path, "0.0.0.0", 53), -1);
}

static void test_forward(void)
{
    ck_dns_upstreams u = {.n = 0};
    /* The first upstream never answers; the second does. */
    CU_ASSERT_EQUAL(ck_dns_upstreams_add(&u, "127.0.0.1", silent_port), 0);
    CU_ASSERT_EQUAL(ck_dns_upstreams_add(&u, "127.0.0.1", fake_port), 0);
    uint8_t q[512], out[1024];
    int n = dnsq_build("www.example.com", CK_DNS_A, 0x5151, 0, q, sizeof q);
    int len = ck_dns_forward(&u, q, (size_t)n, false, out, sizeof out, 300);
    CU_ASSERT_TRUE_FATAL(len > 12);
    ck_dns_msg r;
    ck_dns_msg_init(&r);
    char err[64];
    CU_ASSERT_EQUAL(ck_dns_parse(out, (size_t)len, &r, err, sizeof err), 0);
    CU_ASSERT_EQUAL(r.id, 0x5151);
    CU_ASSERT_TRUE(dnsq_has_a(&r, "192.0.2.1"));
    ck_dns_msg_clear(&r);
    ck_dns_upstreams none = {.n = 0};
    CU_ASSERT_EQUAL(ck_dns_upstreams_add(&none, "127.0.0.1", silent_port), 0);
    CU_ASSERT_EQUAL(ck_dns_forward(&none, q, (size_t)n, false, out, sizeof out, 200), -1);
}

/* The server with the fixed table as its source. */
static const ck_dns_records *fixed_acquire(void *ud, void **h) { (void)ud, *h = NULL; return table; }

typedef struct running { ck_dns_server *s; pthread_t t; volatile sig_atomic_t stop; } running;
static void *run_thread(void *arg) { running *r = arg; ck_dns_server_run(r->s, &r->stop); return NULL; }

static void test_server(void)
{
    ck_dns_upstreams u = {.n = 0};
    ck_dns_upstreams_add(&u, "127.0.0.1", fake_port);
    ck_dns_server_opts o = {.listen = "127.0.0.1", .port = 0, .upstreams = &u, .forward_timeout_ms = 500,
                            .source = {fixed_acquire, NULL, NULL}};
    char err[256];
    running r = {.stop = 0};
    r.s = ck_dns_server_new(&o, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.s);
    int port = ck_dns_server_port(r.s);
    CU_ASSERT_TRUE(port > 0);
    pthread_create(&r.t, NULL, run_thread, &r);
    ck_dns_msg m;
    for (int tcp = 0; tcp < 2; tcp++) {
        CU_ASSERT_EQUAL(dnsq(port, tcp, "web.default.svc.cluster.local", CK_DNS_A, &m), 0);
        CU_ASSERT_TRUE(dnsq_has_a(&m, "10.96.0.20"));
        ck_dns_msg_clear(&m);
        CU_ASSERT_EQUAL(dnsq(port, tcp, "_http._tcp.web.default.svc.cluster.local", CK_DNS_SRV, &m), 0);
        CU_ASSERT_TRUE(m.an == 1 && m.rr[0].port == 80);
        ck_dns_msg_clear(&m);
        /* Outside the zone: relayed to the upstream and back. */
        CU_ASSERT_EQUAL(dnsq(port, tcp, "www.example.com", CK_DNS_A, &m), 0);
        CU_ASSERT_TRUE(dnsq_has_a(&m, "192.0.2.1"));
        ck_dns_msg_clear(&m);
    }
    /* The truncated UDP answer is complete over TCP. */
    CU_ASSERT_EQUAL(dnsq(port, false, "big.default.svc.cluster.local", CK_DNS_A, &m), 0);
    CU_ASSERT_TRUE(m.flags & CK_DNS_TC);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(dnsq(port, true, "big.default.svc.cluster.local", CK_DNS_A, &m), 0);
    CU_ASSERT_EQUAL(m.an, 100);
    ck_dns_msg_clear(&m);
    r.stop = 1;
    pthread_join(r.t, NULL);
    ck_dns_server_free(r.s);
    /* Without upstreams: REFUSED. The same port can be bound again. */
    o.upstreams = NULL;
    o.port = port;
    r.stop = 0;
    r.s = ck_dns_server_new(&o, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.s);
    pthread_create(&r.t, NULL, run_thread, &r);
    CU_ASSERT_EQUAL(dnsq(port, false, "www.example.com", CK_DNS_A, &m), 0);
    CU_ASSERT_EQUAL(CK_DNS_RCODE(m.flags), CK_DNS_REFUSED);
    ck_dns_msg_clear(&m);
    r.stop = 1;
    pthread_join(r.t, NULL);
    ck_dns_server_free(r.s);
}

int main(void)
{
    static const ck_test tests[] = {
        {"answers, NXDOMAIN/NODATA with SOA, REFUSED or FORWARD outside the zone", test_rcodes},
        {"short packets and responses dropped; FORMERR, NOTIMP", test_malformed_queries},
        {"UDP truncation (512, EDNS capped at 1232), full answers over TCP", test_truncation_and_edns},
        {"resolv.conf nameservers, skipping ourselves", test_resolv_conf},
        {"forwarding tries upstreams in order", test_forward},
        {"UDP and TCP server: cluster names, forwarded names, REFUSED", test_server},
        {NULL, NULL}};
    return ck_test_main("dns handler", tests, setup, teardown);
}
