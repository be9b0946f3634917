/* test_message.c: the DNS wire format. Round trips of every record type we
 * answer, name compression (pointers emitted, SRV targets left whole,
 * case-insensitive matches), and hostile input: every truncation of a
 * valid message, pointer loops, forward pointers, oversized labels and
 * names, random corruption. Nothing may crash or read out of bounds. */
#include <stdlib.h>
#include <string.h>
#include "dns/message.h"
#include "util/cktest.h"

static ck_dns_rr *add_rr(ck_dns_msg *m, ck_dns_section sec, const char *name, uint16_t type)
{
    ck_dns_rr *rr = ck_dns_msg_add(m, sec);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rr);
    strcpy(rr->name, name);
    rr->type = type, rr->rclass = CK_DNS_CLASS_IN, rr->ttl = 5;
    return rr;
}

/* A response with one record of every kind the server emits. */
static void sample_response(ck_dns_msg *m)
{
    ck_dns_msg_init(m);
    m->id = 0xbeef, m->flags = CK_DNS_QR | CK_DNS_AA | CK_DNS_RD, m->qdcount = 1;
    strcpy(m->q.name, "_http._tcp.web.default.svc.cluster.local");
    m->q.qtype = CK_DNS_SRV, m->q.qclass = CK_DNS_CLASS_IN;
    ck_dns_rr *rr = add_rr(m, CK_DNS_SEC_AN, "_http._tcp.web.default.svc.cluster.local", CK_DNS_SRV);
    rr->priority = 0, rr->weight = 100, rr->port = 80;
    strcpy(rr->target, "web.default.svc.cluster.local");
    rr = add_rr(m, CK_DNS_SEC_AN, "20.0.96.10.in-addr.arpa", CK_DNS_PTR);
    strcpy(rr->target, "web.default.svc.cluster.local");
    rr = add_rr(m, CK_DNS_SEC_AN, "ext.default.svc.cluster.local", CK_DNS_CNAME);
    strcpy(rr->target, "www.example.com");
    rr = add_rr(m, CK_DNS_SEC_AN, "dns-version.cluster.local", CK_DNS_TXT);
    memcpy(rr->raw, "\0051.1.0", 6), rr->rawlen = 6;
    rr = add_rr(m, CK_DNS_SEC_NS, "cluster.local", CK_DNS_SOA);
    strcpy(rr->target, "ns.dns.cluster.local");
    strcpy(rr->target2, "hostmaster.cluster.local");
    uint32_t soa[5] = {1700000000u, 7200, 1800, 86400, 5};
    memcpy(rr->soa, soa, sizeof soa);
    rr = add_rr(m, CK_DNS_SEC_AR, "web.default.svc.cluster.local", CK_DNS_A);
    memcpy(rr->addr, "\x0a\x60\x00\x14", 4);
    rr = add_rr(m, CK_DNS_SEC_AR, "web.default.svc.cluster.local", CK_DNS_AAAA);
    memcpy(rr->addr, "\xfd\x00\0\0\0\0\0\0\0\0\0\0\0\0\0\x14", 16);
    rr = add_rr(m, CK_DNS_SEC_AR, "", CK_DNS_OPT);
    rr->rclass = 1232, rr->ttl = 0;
}

static void assert_rr_equal(const ck_dns_rr *a, const ck_dns_rr *b)
{
    CU_ASSERT_STRING_EQUAL(a->name, b->name);
    CU_ASSERT_EQUAL(a->type, b->type);
    CU_ASSERT_EQUAL(a->rclass, b->rclass);
    CU_ASSERT_EQUAL(a->ttl, b->ttl);
    CU_ASSERT_STRING_EQUAL(a->target, b->target);
    CU_ASSERT_STRING_EQUAL(a->target2, b->target2);
    CU_ASSERT_EQUAL(a->port, b->port);
    CU_ASSERT_EQUAL(a->weight, b->weight);
    CU_ASSERT_EQUAL(a->priority, b->priority);
    CU_ASSERT_EQUAL(memcmp(a->addr, b->addr, 16), 0);
    CU_ASSERT_EQUAL(memcmp(a->soa, b->soa, sizeof a->soa), 0);
    CU_ASSERT_EQUAL(a->rawlen, b->rawlen);
    CU_ASSERT_EQUAL(memcmp(a->raw, b->raw, a->rawlen), 0);
}

static void test_round_trip_all_types(void)
{
    ck_dns_msg m, p;
    sample_response(&m);
    ck_dns_msg_init(&p);
    uint8_t buf[2048];
    int n = ck_dns_build(&m, buf, sizeof buf);
    CU_ASSERT_TRUE_FATAL(n > 12);
    char err[128];
    CU_ASSERT_EQUAL_FATAL(ck_dns_parse(buf, (size_t)n, &p, err, sizeof err), 0);
    CU_ASSERT_EQUAL(p.id, 0xbeef);
    CU_ASSERT_EQUAL(p.flags, m.flags);
    CU_ASSERT_EQUAL(p.qdcount, 1);
    CU_ASSERT_STRING_EQUAL(p.q.name, m.q.name);
    CU_ASSERT_EQUAL(p.q.qtype, CK_DNS_SRV);
    CU_ASSERT_EQUAL(p.an, 4);
    CU_ASSERT_EQUAL(p.ns, 1);
    CU_ASSERT_EQUAL(p.ar, 3);
    for (size_t i = 0; i < 8 && i < p.an + p.ns + p.ar; i++) assert_rr_equal(&m.rr[i], &p.rr[i]);
    /* Building the parsed message again gives the same bytes. */
    uint8_t again[2048];
    CU_ASSERT_EQUAL(ck_dns_build(&p, again, sizeof again), n);
    CU_ASSERT_EQUAL(memcmp(buf, again, (size_t)n), 0);
    ck_dns_msg_clear(&m);
    ck_dns_msg_clear(&p);
}

/* Counts 0xC0-prefixed pointers at label positions by re-walking names is
 * overkill; instead check the exact size a correct compressor produces. */
static void test_compression(void)
{
    ck_dns_msg m;
    ck_dns_msg_init(&m);
    m.qdcount = 1;
    strcpy(m.q.name, "web.default.svc.cluster.local");
    m.q.qtype = CK_DNS_A, m.q.qclass = 1;
    ck_dns_rr *rr = add_rr(&m, CK_DNS_SEC_AN, "WEB.Default.svc.cluster.local", CK_DNS_A);
    memcpy(rr->addr, "\1\2\3\4", 4);
    rr = add_rr(&m, CK_DNS_SEC_AN, "db.default.svc.cluster.local", CK_DNS_A);
    uint8_t buf[512];
    int n = ck_dns_build(&m, buf, sizeof buf);
    /* header 12 + question (31-byte name + 4) + RR1 (pointer 2 + 10 + 4)
     * + RR2 ("db" label 3 + pointer 2 + 10 + 4). */
    CU_ASSERT_EQUAL(n, 12 + 31 + 4 + 16 + 19);
    /* The first answer's owner is a pointer to the question name (offset 12),
     * even though its case differs. */
    CU_ASSERT_EQUAL(buf[12 + 35], 0xC0);
    CU_ASSERT_EQUAL(buf[12 + 36], 12);
    ck_dns_msg p;
    ck_dns_msg_init(&p);
    char err[64];
    CU_ASSERT_EQUAL_FATAL(ck_dns_parse(buf, (size_t)n, &p, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(p.rr[0].name, "web.default.svc.cluster.local");
    CU_ASSERT_STRING_EQUAL(p.rr[1].name, "db.default.svc.cluster.local");
    ck_dns_msg_clear(&p);
    ck_dns_msg_clear(&m);
}

/* RFC 2782: an SRV target is written whole even when it could be compressed. */
static void test_srv_target_uncompressed(void)
{
    ck_dns_msg m;
    ck_dns_msg_init(&m);
    ck_dns_rr *rr = add_rr(&m, CK_DNS_SEC_AN, "a.example", CK_DNS_SRV);
    strcpy(rr->target, "a.example");
    uint8_t buf[128];
    int n = ck_dns_build(&m, buf, sizeof buf);
    /* 12 + owner 11 + 10 + rdata (6 + 11) */
    CU_ASSERT_EQUAL(n, 12 + 11 + 10 + 17);
    ck_dns_msg_clear(&m);
}

static void test_escaped_labels(void)
{
    ck_dns_msg m, p;
    ck_dns_msg_init(&m);
    ck_dns_msg_init(&p);
    m.qdcount = 1;
    strcpy(m.q.name, "a\\046b.x\\032y.example"); /* "a.b" and "x y" as labels */
    m.q.qtype = 1, m.q.qclass = 1;
    uint8_t buf[128];
    int n = ck_dns_build(&m, buf, sizeof buf);
    CU_ASSERT_EQUAL_FATAL(n, 12 + 1 + 3 + 1 + 3 + 1 + 7 + 1 + 4);
    CU_ASSERT_EQUAL(memcmp(buf + 12, "\003a.b\003x y\007example", 17), 0);
    char err[64];
    CU_ASSERT_EQUAL_FATAL(ck_dns_parse(buf, (size_t)n, &p, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(p.q.name, "a\\046b.x\\032y.example");
    ck_dns_msg_clear(&m);
    ck_dns_msg_clear(&p);
}

static void test_bad_names_not_built(void)
{
    static const char *bad[] = {"a..b", ".a", "a\\", "a\\25", "a\\999b", NULL};
    ck_dns_msg m;
    uint8_t buf[1024];
    for (const char **b = bad; *b; b++) {
        ck_dns_msg_init(&m);
        m.qdcount = 1;
        strcpy(m.q.name, *b);
        CU_ASSERT_EQUAL(ck_dns_build(&m, buf, sizeof buf), -1);
    }
    /* A 64-byte label, and a 256-byte name (4 x 63-byte labels + 1). */
    ck_dns_msg_init(&m);
    m.qdcount = 1;
    memset(m.q.name, 'x', 64);
    m.q.name[64] = 0;
    CU_ASSERT_EQUAL(ck_dns_build(&m, buf, sizeof buf), -1);
    m.q.name[63] = 0; /* 63 is fine */
    CU_ASSERT_TRUE(ck_dns_build(&m, buf, sizeof buf) > 0);
    char *p = m.q.name;
    for (int i = 0; i < 4; i++) { memset(p, 'y', 63); p[63] = '.'; p += 64; }
    strcpy(p, "z");
    CU_ASSERT_EQUAL(ck_dns_build(&m, buf, sizeof buf), -1);
    m.q.name[4 * 64 - 1 - 2] = 0; /* shorter: 4 labels of 63 minus 2 bytes */
    CU_ASSERT_TRUE(ck_dns_build(&m, buf, sizeof buf) > 0);
    /* Too small a buffer is -1, never an overrun. */
    CU_ASSERT_EQUAL(ck_dns_build(&m, buf, 20), -1);
}

static int parse_bytes(const uint8_t *b, size_t n)
{
    ck_dns_msg m;
    ck_dns_msg_init(&m);
    char err[128];
    int rc = ck_dns_parse(b, n, &m, err, sizeof err);
    ck_dns_msg_clear(&m);
    return rc;
}

static void test_every_truncation_fails(void)
{
    ck_dns_msg m;
    sample_response(&m);
    uint8_t buf[2048];
    int n = ck_dns_build(&m, buf, sizeof buf);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(parse_bytes(buf, (size_t)n), 0);
    /* A copy of exactly len bytes each time, so valgrind sees any overread. */
    for (int len = 0; len < n; len++) {
        uint8_t *c = malloc((size_t)len + 1);
        memcpy(c, buf, (size_t)len);
        CU_ASSERT_EQUAL(parse_bytes(c, (size_t)len), -1);
        free(c);
    }
}

static void test_pointer_loops(void)
{
    /* header: id 1, qdcount 1 */
    uint8_t hdr[12] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    struct { const char *what; uint8_t name[16]; size_t len; } cases[] = {
        {"self", {0xC0, 12, 0, 1, 0, 1}, 6},
        {"label then back to itself", {1, 'a', 0xC0, 12, 0, 1, 0, 1}, 8},
        {"forward", {0xC0, 20, 0, 1, 0, 1, 0, 0, 1, 'a', 0}, 11},
        {"pointer cut short", {1, 'a', 0xC0}, 3},
        {"extended label type 0x40", {0x41, 'a', 0, 0, 1, 0, 1}, 7},
        {"label 0x80", {0x81, 'a', 0, 0, 1, 0, 1}, 7},
        {"label past the end", {10, 'a', 'b'}, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[64];
        memcpy(b, hdr, 12);
        memcpy(b + 12, cases[i].name, cases[i].len);
        int rc = parse_bytes(b, 12 + cases[i].len);
        if (rc != -1) fprintf(stderr, "accepted: %s\n", cases[i].what);
        CU_ASSERT_EQUAL(rc, -1);
    }
    /* A chain of backward pointers in answers is fine: q "a.b", answer owner
     * "c" + ptr to q, answer CNAME target ptr to the owner. */
    uint8_t ok[] = {0, 1, 0x80, 0, 0, 1, 0, 1, 0, 0, 0, 0,
                    1, 'a', 1, 'b', 0, 0, 5, 0, 1,
                    1, 'c', 0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 5, 0, 2, 0xC0, 21};
    ck_dns_msg m;
    ck_dns_msg_init(&m);
    char err[64];
    CU_ASSERT_EQUAL_FATAL(ck_dns_parse(ok, sizeof ok, &m, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(m.rr[0].name, "c.a.b");
    CU_ASSERT_STRING_EQUAL(m.rr[0].target, "c.a.b");
    ck_dns_msg_clear(&m);
    /* A two-step loop: the answer's pointer targets a name that points back
     * at the answer's own (later) offset. */
    uint8_t loop[] = {0, 1, 0x80, 0, 0, 1, 0, 1, 0, 0, 0, 0,
                      1, 'a', 0xC0, 21, 0, 5, 0, 1,
                      1, 'c', 0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 5, 0, 0};
    CU_ASSERT_EQUAL(parse_bytes(loop, sizeof loop), -1);
}

static void test_oversized_names(void)
{
    uint8_t b[600] = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    /* 5 labels of 63 bytes: 320 wire bytes > 255. */
    size_t o = 12;
    for (int i = 0; i < 5; i++) { b[o++] = 63; memset(b + o, 'x', 63); o += 63; }
    b[o++] = 0;
    b[o++] = 0, b[o++] = 1, b[o++] = 0, b[o++] = 1;
    CU_ASSERT_EQUAL(parse_bytes(b, o), -1);
    /* Counts beyond CK_DNS_MAX_RRS are refused before any allocation. */
    uint8_t many[12] = {0, 1, 0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    CU_ASSERT_EQUAL(parse_bytes(many, sizeof many), -1);
    /* A TXT rdata longer than we keep. */
    uint8_t txt[12 + 11 + 600] = {0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 5, 0x02, 0x58};
    CU_ASSERT_EQUAL(parse_bytes(txt, sizeof txt), -1);
}

static void test_random_corruption(void)
{
    ck_dns_msg m;
    sample_response(&m);
    uint8_t buf[2048];
    int n = ck_dns_build(&m, buf, sizeof buf);
    ck_dns_msg_clear(&m);
    unsigned seed = 12345;
    int accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint8_t c[2048];
        memcpy(c, buf, (size_t)n);
        int flips = 1 + rand_r(&seed) % 4;
        for (int f = 0; f < flips; f++) c[rand_r(&seed) % n] = (uint8_t)rand_r(&seed);
        size_t len = (size_t)(rand_r(&seed) % 8 ? n : rand_r(&seed) % n);
        ck_dns_msg p;
        ck_dns_msg_init(&p);
        char err[64];
        if (ck_dns_parse(c, len, &p, err, sizeof err) == 0) {
            accepted++;
            uint8_t out[4096]; /* whatever parses builds within 64 KiB */
            (void)ck_dns_build(&p, out, sizeof out);
        }
        ck_dns_msg_clear(&p);
    }
    CU_ASSERT_TRUE(accepted > 0); /* some corruptions are harmless (ttl, ids) */
}

int main(void)
{
    static const ck_test tests[] = {
        {"round trip of A, AAAA, SRV, PTR, CNAME, TXT, SOA, OPT", test_round_trip_all_types},
        {"names are compressed, case-insensitively, to earlier ones", test_compression},
        {"SRV targets are never compressed (RFC 2782)", test_srv_target_uncompressed},
        {"bytes outside letters/digits are \\DDD escapes both ways", test_escaped_labels},
        {"invalid names, long labels and names are not built", test_bad_names_not_built},
        {"every truncation of a valid message is rejected", test_every_truncation_fails},
        {"pointer loops, forward pointers and bad label types are rejected", test_pointer_loops},
        {"names over 255 bytes, huge counts and rdata are rejected", test_oversized_names},
        {"random corruption never crashes", test_random_corruption},
        {NULL, NULL}};
    return ck_test_main("dns message", tests, NULL, NULL);
}
