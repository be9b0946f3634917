/* test_records.c: the Kubernetes DNS schema (kubernetes/dns
 * docs/specification.md) from Service and Endpoints objects: ClusterIP A,
 * SRV and PTR; headless A per ready endpoint, hostname records, SRV per
 * endpoint and port, PTR; ExternalName CNAME; pod A records; dns-version;
 * NXDOMAIN versus NODATA; case-insensitive matching. */
#include <arpa/inet.h>
#include <string.h>
#include "dns/records.h"
#include "util/cktest.h"

static ck_dns_records *table;

static json_t *obj(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j) fprintf(stderr, "bad fixture: %s\n", e.text);
    return j;
}

static int bad_fixtures;
static void add(const char *svc, const char *eps)
{
    json_t *s = obj(svc), *e = eps ? obj(eps) : NULL;
    if (!s || (eps && !e) || ck_dns_records_add_service(table, s, e) != 0) bad_fixtures++;
    json_decref(s);
    json_decref(e);
}

static int setup(void)
{
    table = ck_dns_records_new("cluster.local");
    if (!table) return 1;
    add("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.96.0.20\","
        "\"clusterIPs\":[\"10.96.0.20\",\"fd00::20\"],\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"},"
        "{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"}]}}", NULL);
    add("{\"metadata\":{\"name\":\"single\",\"namespace\":\"prod\"},\"spec\":{\"clusterIP\":\"10.96.0.30\","
        "\"ports\":[{\"port\":81}]}}", NULL);
    const char *db_eps = "{\"metadata\":{\"name\":\"db\",\"namespace\":\"default\"},\"subsets\":[{"
        "\"addresses\":[{\"ip\":\"10.244.1.5\",\"hostname\":\"db-0\"},{\"ip\":\"10.244.2.6\"}],"
        "\"notReadyAddresses\":[{\"ip\":\"10.244.3.7\",\"hostname\":\"db-2\"}],"
        "\"ports\":[{\"name\":\"pg\",\"port\":5432,\"protocol\":\"TCP\"}]}]}";
    add("{\"metadata\":{\"name\":\"db\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"None\","
        "\"ports\":[{\"name\":\"pg\",\"port\":5432}]}}", db_eps);
    add("{\"metadata\":{\"name\":\"pub\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"None\","
        "\"publishNotReadyAddresses\":true}}",
        "{\"subsets\":[{\"addresses\":[{\"ip\":\"10.244.1.9\"}],\"notReadyAddresses\":[{\"ip\":\"10.244.3.9\"}]}]}");
    add("{\"metadata\":{\"name\":\"empty\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"None\"}}",
        "{\"subsets\":[{\"notReadyAddresses\":[{\"ip\":\"10.244.3.8\"}]}]}");
    add("{\"metadata\":{\"name\":\"ext\",\"namespace\":\"default\"},\"spec\":{\"type\":\"ExternalName\","
        "\"externalName\":\"www.example.com\"}}", NULL);
    add("{\"metadata\":{\"name\":\"inext\",\"namespace\":\"default\"},\"spec\":{\"type\":\"ExternalName\","
        "\"externalName\":\"db.default.svc.cluster.local\"}}", NULL);
    add("{\"metadata\":{\"name\":\"loop1\",\"namespace\":\"default\"},\"spec\":{\"type\":\"ExternalName\","
        "\"externalName\":\"loop2.default.svc.cluster.local\"}}", NULL);
    add("{\"metadata\":{\"name\":\"loop2\",\"namespace\":\"default\"},\"spec\":{\"type\":\"ExternalName\","
        "\"externalName\":\"loop1.default.svc.cluster.local\"}}", NULL);
    return ck_dns_records_finish(table) == 0 && !bad_fixtures ? 0 : 1;
}

static int teardown(void)
{
    ck_dns_records_free(table);
    return 0;
}

/* Looks up name/type; returns the outcome, answers in *m (caller clears). */
static ck_dns_lookup look(const char *name, uint16_t type, ck_dns_msg *m)
{
    ck_dns_msg_init(m);
    return ck_dns_records_lookup(table, name, type, m);
}

static bool has_ip(const ck_dns_msg *m, size_t from, size_t to, const char *ip)
{
    uint8_t a[16];
    int fam = strchr(ip, ':') ? AF_INET6 : AF_INET;
    inet_pton(fam, ip, a);
    for (size_t i = from; i < to; i++)
        if (m->rr[i].type == (fam == AF_INET ? CK_DNS_A : CK_DNS_AAAA) &&
            !memcmp(m->rr[i].addr, a, fam == AF_INET ? 4 : 16))
            return true;
    return false;
}

static void test_cluster_ip_a(void)
{
    ck_dns_msg m;
    CU_ASSERT_EQUAL(look("web.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL(m.an, 1);
    CU_ASSERT_TRUE(has_ip(&m, 0, m.an, "10.96.0.20"));
    CU_ASSERT_EQUAL(m.rr[0].ttl, CK_DNS_TTL);
    ck_dns_msg_clear(&m);
    /* Case-insensitive (spec 2.1), answer named as asked; trailing dot ok. */
    CU_ASSERT_EQUAL(look("WEB.Default.SVC.cluster.local.", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_STRING_EQUAL(m.rr[0].name, "WEB.Default.SVC.cluster.local.");
    ck_dns_msg_clear(&m);
    /* Dual stack: the IPv6 cluster IP is the AAAA record. */
    CU_ASSERT_EQUAL(look("web.default.svc.cluster.local", CK_DNS_AAAA, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_TRUE(has_ip(&m, 0, m.an, "fd00::20"));
    ck_dns_msg_clear(&m);
    /* IPv4-only service: AAAA is NODATA, not NXDOMAIN. */
    CU_ASSERT_EQUAL(look("single.prod.svc.cluster.local", CK_DNS_AAAA, &m), CK_DNS_LOOKUP_NODATA);
    CU_ASSERT_EQUAL(m.an, 0);
    ck_dns_msg_clear(&m);
}

static void test_cluster_ip_srv(void)
{
    ck_dns_msg m;
    CU_ASSERT_EQUAL(look("_http._tcp.web.default.svc.cluster.local", CK_DNS_SRV, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL_FATAL(m.an, 1);
    CU_ASSERT_EQUAL(m.rr[0].port, 80);
    CU_ASSERT_STRING_EQUAL(m.rr[0].target, "web.default.svc.cluster.local");
    /* The service's addresses ride along in the additional section. */
    CU_ASSERT_EQUAL(m.ar, 2);
    CU_ASSERT_TRUE(has_ip(&m, m.an, m.an + m.ar, "10.96.0.20"));
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("_dns._udp.web.default.svc.cluster.local", CK_DNS_SRV, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL(m.an == 1 ? m.rr[0].port : 0, 53);
    ck_dns_msg_clear(&m);
    /* The wrong protocol does not exist; the _tcp level does (NODATA). */
    CU_ASSERT_EQUAL(look("_dns._tcp.web.default.svc.cluster.local", CK_DNS_SRV, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("_tcp.web.default.svc.cluster.local", CK_DNS_SRV, &m), CK_DNS_LOOKUP_NODATA);
    ck_dns_msg_clear(&m);
    /* "Unnamed ports do not have an SRV record." */
    CU_ASSERT_EQUAL(look("_tcp.single.prod.svc.cluster.local", CK_DNS_SRV, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
}

static void test_ptr(void)
{
    ck_dns_msg m;
    CU_ASSERT_EQUAL(look("20.0.96.10.in-addr.arpa", CK_DNS_PTR, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_STRING_EQUAL(m.an ? m.rr[0].target : "", "web.default.svc.cluster.local");
    ck_dns_msg_clear(&m);
    char rev[128];
    CU_ASSERT_EQUAL(ck_dns_reverse_name("fd00::20", rev, sizeof rev), 0);
    CU_ASSERT_STRING_EQUAL(rev, "0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa");
    CU_ASSERT_EQUAL(look(rev, CK_DNS_PTR, &m), CK_DNS_LOOKUP_ANSWER);
    ck_dns_msg_clear(&m);
    /* A headless endpoint's PTR names its hostname record (spec 2.4.3). */
    CU_ASSERT_EQUAL(look("5.1.244.10.in-addr.arpa", CK_DNS_PTR, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_STRING_EQUAL(m.an ? m.rr[0].target : "", "db-0.db.default.svc.cluster.local");
    ck_dns_msg_clear(&m);
    /* Unknown reverse names are not ours to deny: forwarded / refused. */
    CU_ASSERT_EQUAL(look("1.1.168.192.in-addr.arpa", CK_DNS_PTR, &m), CK_DNS_LOOKUP_NOTAUTH);
    ck_dns_msg_clear(&m);
}

static void test_headless(void)
{
    ck_dns_msg m;
    CU_ASSERT_EQUAL(look("db.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL(m.an, 2); /* ready endpoints only */
    CU_ASSERT_TRUE(has_ip(&m, 0, m.an, "10.244.1.5"));
    CU_ASSERT_TRUE(has_ip(&m, 0, m.an, "10.244.2.6"));
    CU_ASSERT_FALSE(has_ip(&m, 0, m.an, "10.244.3.7"));
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("db-0.db.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_TRUE(m.an == 1 && has_ip(&m, 0, 1, "10.244.1.5"));
    ck_dns_msg_clear(&m);
    /* No hostname: the dashed IP identifies the endpoint (CoreDNS). */
    CU_ASSERT_EQUAL(look("10-244-2-6.db.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("db-2.db.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
    /* SRV: one per (ready endpoint, named port), target the hostname record. */
    CU_ASSERT_EQUAL(look("_pg._tcp.db.default.svc.cluster.local", CK_DNS_SRV, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL_FATAL(m.an, 2);
    bool t0 = false, t1 = false;
    for (size_t i = 0; i < m.an; i++) {
        t0 |= !strcmp(m.rr[i].target, "db-0.db.default.svc.cluster.local");
        t1 |= !strcmp(m.rr[i].target, "10-244-2-6.db.default.svc.cluster.local");
        CU_ASSERT_EQUAL(m.rr[i].port, 5432);
        CU_ASSERT_EQUAL(m.rr[i].weight, 50);
    }
    CU_ASSERT_TRUE(t0 && t1);
    CU_ASSERT_EQUAL(m.ar, 2);
    CU_ASSERT_TRUE(has_ip(&m, m.an, m.an + m.ar, "10.244.2.6"));
    ck_dns_msg_clear(&m);
    /* publishNotReadyAddresses: unready endpoints are published too. */
    CU_ASSERT_EQUAL(look("pub.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL(m.an, 2);
    ck_dns_msg_clear(&m);
    /* "If there are no ready endpoints for the headless Service, the answer
     * should be NXDOMAIN." */
    CU_ASSERT_EQUAL(look("empty.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
}

static void test_external_name(void)
{
    ck_dns_msg m;
    CU_ASSERT_EQUAL(look("ext.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL_FATAL(m.an, 1);
    CU_ASSERT_EQUAL(m.rr[0].type, CK_DNS_CNAME);
    CU_ASSERT_STRING_EQUAL(m.rr[0].target, "www.example.com");
    ck_dns_msg_clear(&m);
    /* a target inside the zone is chased, as CoreDNS does: CNAME, then the
     * headless service's two ready addresses */
    CU_ASSERT_EQUAL(look("inext.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL_FATAL(m.an, 3);
    CU_ASSERT_EQUAL(m.rr[0].type, CK_DNS_CNAME);
    CU_ASSERT_EQUAL(m.rr[1].type, CK_DNS_A);
    CU_ASSERT_STRING_EQUAL(m.rr[1].name, "db.default.svc.cluster.local");
    CU_ASSERT_EQUAL(m.rr[2].type, CK_DNS_A);
    ck_dns_msg_clear(&m);
    /* a CNAME loop ends (bounded depth) with what was found */
    CU_ASSERT_EQUAL(look("loop1.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_TRUE(m.an >= 2 && m.an <= 10);
    ck_dns_msg_clear(&m);
}

static void test_pods(void)
{
    ck_dns_msg m;
    CU_ASSERT_EQUAL(look("10-244-1-77.any-ns.pod.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_TRUE(m.an == 1 && has_ip(&m, 0, 1, "10.244.1.77"));
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("10-244-1-77.any-ns.pod.cluster.local", CK_DNS_AAAA, &m), CK_DNS_LOOKUP_NODATA);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("fd00--7.ns.pod.cluster.local", CK_DNS_AAAA, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_TRUE(m.an == 1 && has_ip(&m, 0, 1, "fd00::7"));
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("10-244-1-999.ns.pod.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("x.10-244-1-1.ns.pod.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("ns.pod.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NODATA);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("pod.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NODATA);
    ck_dns_msg_clear(&m);
}

static void test_zone_names(void)
{
    ck_dns_msg m;
    CU_ASSERT_EQUAL(look("dns-version.cluster.local", CK_DNS_TXT, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL_FATAL(m.an, 1);
    CU_ASSERT_EQUAL(m.rr[0].rawlen, 1 + strlen(CK_DNS_SCHEMA_VERSION));
    CU_ASSERT_EQUAL(memcmp(m.rr[0].raw + 1, "1.1.0", 5), 0);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("cluster.local", CK_DNS_SOA, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_STRING_EQUAL(m.an ? m.rr[0].target : "", "ns.dns.cluster.local");
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NODATA);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NODATA);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NODATA);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("nosuch.default.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("web.nosuchns.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("other.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NXDOMAIN);
    ck_dns_msg_clear(&m);
    /* Outside the zone, including look-alike suffixes. */
    CU_ASSERT_EQUAL(look("www.example.com", CK_DNS_A, &m), CK_DNS_LOOKUP_NOTAUTH);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(look("notcluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NOTAUTH);
    ck_dns_msg_clear(&m);
    /* ANY returns every record of the name. */
    CU_ASSERT_EQUAL(look("web.default.svc.cluster.local", CK_DNS_ANY, &m), CK_DNS_LOOKUP_ANSWER);
    CU_ASSERT_EQUAL(m.an, 2);
    ck_dns_msg_clear(&m);
}

/* Another zone name: the table follows --cluster-domain. */
static void test_other_zone(void)
{
    ck_dns_records *t = ck_dns_records_new("Corp.Example.");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    json_t *s = obj("{\"metadata\":{\"name\":\"a\",\"namespace\":\"n\"},\"spec\":{\"clusterIP\":\"10.0.0.1\"}}");
    CU_ASSERT_EQUAL(ck_dns_records_add_service(t, s, NULL), 0);
    CU_ASSERT_EQUAL(ck_dns_records_finish(t), 0);
    ck_dns_msg m;
    ck_dns_msg_init(&m);
    CU_ASSERT_EQUAL(ck_dns_records_lookup(t, "a.n.svc.corp.example", CK_DNS_A, &m), CK_DNS_LOOKUP_ANSWER);
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(ck_dns_records_lookup(t, "a.n.svc.cluster.local", CK_DNS_A, &m), CK_DNS_LOOKUP_NOTAUTH);
    ck_dns_msg_clear(&m);
    json_decref(s);
    ck_dns_records_free(t);
}

int main(void)
{
    static const ck_test tests[] = {
        {"ClusterIP service: A, AAAA (dual stack), NODATA for a missing family", test_cluster_ip_a},
        {"ClusterIP service: SRV per named port with the A glue", test_cluster_ip_srv},
        {"PTR for cluster IPs (v4, v6) and headless endpoints", test_ptr},
        {"headless: ready endpoints, hostnames, SRV per endpoint, NXDOMAIN when none", test_headless},
        {"ExternalName: CNAME", test_external_name},
        {"pod A/AAAA records from dashed IPs", test_pods},
        {"dns-version, SOA, empty non-terminals, NXDOMAIN, outside the zone", test_zone_names},
        {"--cluster-domain changes the zone", test_other_zone},
        {NULL, NULL}};
    return ck_test_main("dns records", tests, setup, teardown);
}
