/* test_dns_integration.c: the real apiserver (memory storage) and the real
 * dns binary on 127.0.0.1: Services and Endpoints created over HTTP become
 * answers over UDP and TCP (queries built with message.c), changes show up
 * within seconds, and busybox nslookup (when installed) agrees. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include "client/rest.h"
#include "dns/records.h"
#include "dns/tests/dnsq.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/testserver.h"

static char bindir[PATH_MAX], dns_file[64], web_ip[64];
static ck_testserver server;
static pid_t dns = -1;
static int dns_port;
static ck_rest *rest;

static int create(const char *resource, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    ck_response r = {0};
    int rc = body ? ck_rest_create(rest, &(ck_resource_ref){"", "v1", resource, "default", NULL, NULL}, body, &r) : -1;
    if (rc < 0) fprintf(stderr, "create %s: %ld %s\n", resource, r.code, r.message);
    if (rc == 0 && !strcmp(resource, "services") && !*web_ip)
        snprintf(web_ip, sizeof web_ip, "%s", ck_json_str(r.body, "spec.clusterIP", ""));
    ck_response_clear(&r);
    json_decref(body);
    return rc;
}

static int cleanup(void)
{
    ck_test_stop(&dns);
    ck_testserver_stop(&server);
    ck_rest_free(rest);
    rest = NULL;
    if (*dns_file) unlink(dns_file);
    return 0;
}

static int setup_steps(void)
{
    char bin[PATH_MAX + 16], err[256];
    if (ck_test_bindir(bindir, sizeof bindir) < 0) return 1;
    snprintf(dns_file, sizeof dns_file, "/tmp/ck-dns-dns-%d.port", getpid());
    if (ck_testserver_start(&server, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    rest = ck_testserver_client(&server);
    if (!rest) return 1;
    /* Objects before the server starts (the initial list) ... */
    if (create("services", "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80}]}}") ||
        create("services", "{\"metadata\":{\"name\":\"db\"},\"spec\":{\"clusterIP\":\"None\","
                           "\"ports\":[{\"name\":\"pg\",\"port\":5432}]}}") ||
        create("endpoints", "{\"metadata\":{\"name\":\"db\"},\"subsets\":[{\"addresses\":[{\"ip\":\"10.244.1.5\","
                            "\"hostname\":\"db-0\"},{\"ip\":\"10.244.2.6\"}],\"ports\":[{\"name\":\"pg\",\"port\":5432}]}]}"))
        return 1;
    snprintf(bin, sizeof bin, "%s/dns", bindir);
    char *dargv[] = {bin, "--master", server.url, "--listen", "127.0.0.1", "--port", "0", "--port-file", dns_file,
                     "--resolv-conf", "", "-v", "4", NULL};
    dns = ck_test_spawn(dargv);
    return (dns_port = ck_test_read_port(dns_file)) ? 0 : 1;
}

static int setup(void)
{
    int rc = setup_steps();
    if (rc) cleanup();
    return rc;
}

/* Polls until name/type gives rcode with an answer containing ip (or none). */
static bool eventually(const char *name, uint16_t type, int rcode, const char *ip, int seconds)
{
    for (int i = 0; i < seconds * 10; i++) {
        ck_dns_msg m;
        bool ok = dnsq(dns_port, false, name, type, &m) == 0 && CK_DNS_RCODE(m.flags) == rcode &&
                  (!ip || dnsq_has_a(&m, ip));
        ck_dns_msg_clear(&m);
        if (ok) return true;
        usleep(100000);
    }
    return false;
}

static void test_cluster_records(void)
{
    CU_ASSERT_TRUE_FATAL(*web_ip != 0);
    ck_dns_msg m;
    for (int tcp = 0; tcp < 2; tcp++) {
        CU_ASSERT_EQUAL_FATAL(dnsq(dns_port, tcp, "web.default.svc.cluster.local", CK_DNS_A, &m), 0);
        CU_ASSERT_EQUAL(CK_DNS_RCODE(m.flags), CK_DNS_NOERROR);
        CU_ASSERT_TRUE(m.flags & CK_DNS_AA);
        CU_ASSERT_TRUE(m.an == 1 && dnsq_has_a(&m, web_ip));
        ck_dns_msg_clear(&m);
        CU_ASSERT_EQUAL(dnsq(dns_port, tcp, "_http._tcp.web.default.svc.cluster.local", CK_DNS_SRV, &m), 0);
        CU_ASSERT_TRUE(m.an == 1 && m.rr[0].port == 80 && !strcmp(m.rr[0].target, "web.default.svc.cluster.local"));
        ck_dns_msg_clear(&m);
        CU_ASSERT_EQUAL(dnsq(dns_port, tcp, "db.default.svc.cluster.local", CK_DNS_A, &m), 0);
        CU_ASSERT_TRUE(m.an == 2 && dnsq_has_a(&m, "10.244.1.5") && dnsq_has_a(&m, "10.244.2.6"));
        ck_dns_msg_clear(&m);
        CU_ASSERT_EQUAL(dnsq(dns_port, tcp, "db-0.db.default.svc.cluster.local", CK_DNS_A, &m), 0);
        CU_ASSERT_TRUE(m.an == 1 && dnsq_has_a(&m, "10.244.1.5"));
        ck_dns_msg_clear(&m);
        CU_ASSERT_EQUAL(dnsq(dns_port, tcp, "_pg._tcp.db.default.svc.cluster.local", CK_DNS_SRV, &m), 0);
        CU_ASSERT_EQUAL(m.an, 2);
        ck_dns_msg_clear(&m);
        CU_ASSERT_EQUAL(dnsq(dns_port, tcp, "nosuch.default.svc.cluster.local", CK_DNS_A, &m), 0);
        CU_ASSERT_EQUAL(CK_DNS_RCODE(m.flags), CK_DNS_NXDOMAIN);
        ck_dns_msg_clear(&m);
        CU_ASSERT_EQUAL(dnsq(dns_port, tcp, "www.example.com", CK_DNS_A, &m), 0);
        CU_ASSERT_EQUAL(CK_DNS_RCODE(m.flags), CK_DNS_REFUSED); /* --resolv-conf "" */
        ck_dns_msg_clear(&m);
    }
    /* PTR for the allocated cluster IP. */
    char rev[128];
    CU_ASSERT_EQUAL(ck_dns_reverse_name(web_ip, rev, sizeof rev), 0);
    CU_ASSERT_EQUAL(dnsq(dns_port, false, rev, CK_DNS_PTR, &m), 0);
    CU_ASSERT_TRUE(m.an == 1 && !strcmp(m.rr[0].target, "web.default.svc.cluster.local"));
    ck_dns_msg_clear(&m);
    CU_ASSERT_EQUAL(dnsq(dns_port, false, "dns-version.cluster.local", CK_DNS_TXT, &m), 0);
    CU_ASSERT_TRUE(m.an == 1 && m.rr[0].rawlen == 6 && !memcmp(m.rr[0].raw, "\0051.1.0", 6));
    ck_dns_msg_clear(&m);
}

static void test_changes_follow(void)
{
    /* A service created while running appears; deleting the headless
     * service's Endpoints leaves it with no ready endpoints: NXDOMAIN. */
    web_ip[0] = 0;
    CU_ASSERT_EQUAL_FATAL(create("services", "{\"metadata\":{\"name\":\"late\"},\"spec\":{\"ports\":[{\"port\":8080}]}}"), 0);
    CU_ASSERT_TRUE(eventually("late.default.svc.cluster.local", CK_DNS_A, CK_DNS_NOERROR, web_ip, 5));
    ck_response r = {0};
    ck_rest_delete(rest, &(ck_resource_ref){"", "v1", "endpoints", "default", "db", NULL}, NULL, &r);
    ck_response_clear(&r);
    CU_ASSERT_TRUE(eventually("db.default.svc.cluster.local", CK_DNS_A, CK_DNS_NXDOMAIN, NULL, 5));
    ck_rest_delete(rest, &(ck_resource_ref){"", "v1", "services", "default", "late", NULL}, NULL, &r);
    ck_response_clear(&r);
    CU_ASSERT_TRUE(eventually("late.default.svc.cluster.local", CK_DNS_A, CK_DNS_NXDOMAIN, NULL, 5));
}

/* An independent client: busybox's nslookup, when installed. */
static void test_busybox_nslookup(void)
{
    if (system("busybox nslookup >/dev/null 2>&1; command -v busybox >/dev/null") != 0) {
        fprintf(stderr, "skipped: no busybox\n");
        return;
    }
    char cmd[256], out[4096] = "";
    snprintf(cmd, sizeof cmd, "busybox nslookup -port=%d db-0.db.default.svc.cluster.local 127.0.0.1 2>&1", dns_port);
    FILE *p = popen(cmd, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.244.1.5"));
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    static const ck_test tests[] = {
        {"A, SRV, PTR, headless, NXDOMAIN, REFUSED over UDP and TCP", test_cluster_records},
        {"busybox nslookup resolves a headless hostname", test_busybox_nslookup},
        {"services and endpoints changes are answered within seconds", test_changes_follow},
        {NULL, NULL}};
    return ck_test_main("dns integration", tests, setup, cleanup);
}
