/* test_host.c: CIDR arithmetic, and node hosts as real network namespaces:
 * two nodes on one bridge reach each other and the root namespace, and
 * destroy leaves nothing behind. Needs root and iproute2 (this project's CI
 * runs as root); without them the namespace test fails and says why. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "node/cidr.h"
#include "node/cmd.h"
#include "node/host.h"
#include "util/cktest.h"

static void test_cidr(void)
{
    ck_cidr c;
    char ip[16];
    CU_ASSERT_EQUAL(ck_cidr_parse("10.244.1.7/24", &c), 0);
    CU_ASSERT_EQUAL(c.prefix, 24);
    CU_ASSERT_EQUAL(ck_cidr_nth(&c, 1, ip, sizeof ip), 0);
    CU_ASSERT_STRING_EQUAL(ip, "10.244.1.1");
    CU_ASSERT_EQUAL(ck_cidr_nth(&c, 256, ip, sizeof ip), -1);
    CU_ASSERT_EQUAL(ck_cidr_size(&c), 256);
    CU_ASSERT_TRUE(ck_cidr_contains(&c, "10.244.1.200"));
    CU_ASSERT_FALSE(ck_cidr_contains(&c, "10.244.2.1"));
    CU_ASSERT_EQUAL(ck_cidr_parse("10.244.1.0", &c), -1);
    CU_ASSERT_EQUAL(ck_cidr_parse("10.244.1.0/33", &c), -1);
    CU_ASSERT_EQUAL(ck_cidr_parse("10.300.1.0/8", &c), -1);
}

static void test_names(void)
{
    ck_node_host h;
    char err[256];
    ck_node_host_config cfg = {.cluster = "t", .index = 3, .pod_cidr = "10.99.3.0/24"};
    CU_ASSERT_EQUAL(ck_node_host_names(&cfg, &h, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(h.netns, "ckube-t-n3");
    CU_ASSERT_STRING_EQUAL(h.node_ip, "172.31.0.5");
    CU_ASSERT_STRING_EQUAL(h.gateway, "172.31.0.1");
    CU_ASSERT_TRUE(strlen(h.veth) < 16 && strlen(h.bridge) < 16);
    cfg.pod_cidr = "bogus";
    CU_ASSERT_EQUAL(ck_node_host_names(&cfg, &h, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "bogus"));
}

static void test_two_nodes(void)
{
    char err[512] = "";
    if (geteuid() != 0) {
        CU_FAIL("node hosts need root (CAP_NET_ADMIN) to create network namespaces");
        return;
    }
    ck_node_host_config a = {.cluster = "h10t", .index = 0, .node_cidr = "172.30.250.0/24",
                             .pod_cidr = "10.250.0.0/24"};
    ck_node_host_config b = a;
    b.index = 1;
    b.pod_cidr = "10.250.1.0/24";
    ck_node_host ha, hb;
    int ra = ck_node_host_create(&a, &ha, err, sizeof err);
    if (ra) fprintf(stderr, "create: %s\n", err);
    CU_ASSERT_EQUAL_FATAL(ra, 0);
    CU_ASSERT_EQUAL_FATAL(ck_node_host_create(&b, &hb, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_cmd(err, sizeof err, "ip", "netns", "exec", ha.netns, "busybox", "ping", "-c1", "-W2",
                           hb.node_ip, NULL), 0);
    CU_ASSERT_EQUAL(ck_cmd(err, sizeof err, "busybox", "ping", "-c1", "-W2", ha.node_ip, NULL), 0);
    /* The root namespace routes each podCIDR to its node. */
    CU_ASSERT_EQUAL(ck_cmd(err, sizeof err, "sh", "-c", "ip route show 10.250.1.0/24 | grep -q 172.30.250.3",
                           NULL), 0);
    CU_ASSERT_EQUAL(ck_node_host_destroy(&a, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_node_host_destroy(&b, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_node_host_destroy(&b, err, sizeof err), 0); /* idempotent */
    CU_ASSERT_EQUAL(ck_node_host_network_destroy("h10t", err, sizeof err), 0);
    CU_ASSERT_NOT_EQUAL(access("/run/netns/ckube-h10t-n0", F_OK), 0);
    CU_ASSERT_NOT_EQUAL(ck_cmd(NULL, 0, "ip", "link", "show", ha.bridge, NULL), 0);
    CU_ASSERT_NOT_EQUAL(ck_cmd(NULL, 0, "ip", "link", "show", ha.veth, NULL), 0);
}

/* ck_mkdir_p: mkdir -p's answers, without the fork */
static void test_mkdir_p(void)
{
    char base[64], path[256], file[128], err[512] = "";
    snprintf(base, sizeof base, "/tmp/ck-test-mkdirp-%d", (int)getpid());
    snprintf(path, sizeof path, "%s/a/b/c", base);
    CU_ASSERT_EQUAL(ck_mkdir_p(path, err, sizeof err), 0);
    CU_ASSERT_EQUAL(access(path, F_OK), 0);
    CU_ASSERT_EQUAL(ck_mkdir_p(path, err, sizeof err), 0); /* already there: fine */
    snprintf(file, sizeof file, "%s/a/f", base);
    FILE *f = fopen(file, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    CU_ASSERT_EQUAL(ck_mkdir_p(file, err, sizeof err), -1); /* a file in the way */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "File exists"));
    snprintf(path, sizeof path, "%s/x", file);
    CU_ASSERT_EQUAL(ck_mkdir_p(path, err, sizeof err), -1); /* under a file */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "Not a directory"));
    CU_ASSERT_EQUAL(ck_cmd(NULL, 0, "rm", "-rf", base, NULL), 0);
}

int main(void)
{
    static const ck_test tests[] = {
        {"CIDR arithmetic", test_cidr},
        {"node host names and addresses", test_names},
        {"two node hosts reach each other; destroy cleans up", test_two_nodes},
        {"mkdir -p without a fork", test_mkdir_p},
        {NULL, NULL},
    };
    return ck_test_main("node host", tests, NULL, NULL);
}
