/* test_linux_network.c: the linux runtime's pod network over rtnetlink (root):
 * a sandbox gets a named netns with lo and eth0 up, the next podCIDR address,
 * a default route via the bridge, a veth on the bridge; the gateway answers
 * a ping; the worker thread is back in its own namespace; teardown leaves
 * nothing and frees the address; a taken netns name fails cleanly. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kubelet/cri/linux_internal.h"
#include "node/cmd.h"
#include "util/cktest.h"

#define BRIDGE "ckpxtest"
static lx_runtime rt;

static int setup(void)
{
    if (geteuid() != 0) fprintf(stderr, "test_linux_network: needs root for namespaces\n");
    pthread_mutex_init(&rt.mu, NULL);
    snprintf(rt.bridge, sizeof rt.bridge, BRIDGE);
    ck_cidr_parse("10.251.9.0/24", &rt.pods);
    ck_cidr_nth(&rt.pods, 1, rt.gateway, sizeof rt.gateway);
    rt.ip_slots = 256;
    rt.ip_used = calloc(rt.ip_slots, 1);
    return 0;
}

static int teardown(void)
{
    ck_cmd(NULL, 0, "ip", "link", "del", BRIDGE, NULL);
    free(rt.ip_used);
    pthread_mutex_destroy(&rt.mu);
    return 0;
}

/* Output of argv (stdout+stderr) through ck_cmd's error text: a command that
 * fails on purpose (`sh -c '...; false'`) hands back what it printed. */
static bool output_has(const char *script, const char *needle)
{
    char out[4096] = "";
    char full[1024];
    snprintf(full, sizeof full, "%s 2>/dev/null; false", script);
    ck_cmd(out, sizeof out, "sh", "-c", full, NULL);
    bool hit = strstr(out, needle) != NULL;
    if (!hit) fprintf(stderr, "\n%s: no \"%s\" in: %s\n", script, needle, out);
    return hit;
}

static void netns_of_thread(char *out, size_t n)
{
    ssize_t len = readlink("/proc/thread-self/ns/net", out, n - 1);
    out[len > 0 ? len : 0] = 0;
}

static void test_setup_and_teardown(void)
{
    CU_ASSERT_EQUAL_FATAL(geteuid(), 0);
    char before[64], after[64], cmd[512], err[512] = "";
    netns_of_thread(before, sizeof before);
    lx_sandbox a = {.id = "aaaa0000aaaa0000"}, b = {.id = "bbbb0000bbbb0000"};
    CU_ASSERT_EQUAL_FATAL(lx_net_setup(&rt, &a, err, sizeof err), 0);
    CU_ASSERT_EQUAL(lx_net_setup(&rt, &b, err, sizeof err), 0);
    netns_of_thread(after, sizeof after);
    CU_ASSERT_STRING_EQUAL(before, after);
    CU_ASSERT_STRING_EQUAL(a.ip, "10.251.9.2");
    CU_ASSERT_STRING_EQUAL(b.ip, "10.251.9.3");
    CU_ASSERT_STRING_EQUAL(a.netns, "ckp-aaaa0000aaaa0000");
    snprintf(cmd, sizeof cmd, "ip -n %s -o addr show dev eth0", a.netns);
    CU_ASSERT_TRUE(output_has(cmd, "inet 10.251.9.2/24"));
    snprintf(cmd, sizeof cmd, "ip -n %s route show default", a.netns);
    CU_ASSERT_TRUE(output_has(cmd, "default via 10.251.9.1 dev eth0"));
    snprintf(cmd, sizeof cmd, "ip -n %s -o link show lo", a.netns);
    CU_ASSERT_TRUE(output_has(cmd, ",UP"));
    snprintf(cmd, sizeof cmd, "ip -o link show %s", a.veth);
    CU_ASSERT_TRUE(output_has(cmd, "master " BRIDGE " state UP"));
    CU_ASSERT_TRUE(output_has("ip -o addr show dev " BRIDGE, "inet 10.251.9.1/24"));
    /* The pod reaches its gateway and the other pod through the bridge. */
    snprintf(cmd, sizeof cmd, "ip netns exec %s busybox ping -c 1 -W 3 10.251.9.1", a.netns);
    CU_ASSERT_TRUE(output_has(cmd, "1 packets received"));
    snprintf(cmd, sizeof cmd, "ip netns exec %s busybox ping -c 1 -W 3 10.251.9.3", a.netns);
    CU_ASSERT_TRUE(output_has(cmd, "1 packets received"));
    char veth[16];
    snprintf(veth, sizeof veth, "%s", a.veth);
    lx_net_teardown(&rt, &a);
    CU_ASSERT_NOT_EQUAL(access("/run/netns/ckp-aaaa0000aaaa0000", F_OK), 0);
    CU_ASSERT_NOT_EQUAL(ck_cmd(NULL, 0, "ip", "link", "show", veth, NULL), 0);
    CU_ASSERT_STRING_EQUAL(a.netns, "");
    /* The freed address is handed out again. */
    lx_sandbox c = {.id = "cccc0000cccc0000"};
    CU_ASSERT_EQUAL(lx_net_setup(&rt, &c, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(c.ip, "10.251.9.2");
    lx_net_teardown(&rt, &c);
    lx_net_teardown(&rt, &b);
    CU_ASSERT_NOT_EQUAL(access("/run/netns/ckp-bbbb0000bbbb0000", F_OK), 0);
}

static void test_name_taken(void)
{
    CU_ASSERT_EQUAL_FATAL(geteuid(), 0);
    char err[512] = "";
    FILE *f = fopen("/run/netns/ckp-dddd0000dddd0000", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    lx_sandbox d = {.id = "dddd0000dddd0000"};
    CU_ASSERT_EQUAL(lx_net_setup(&rt, &d, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "ip netns add ckp-dddd0000dddd0000: File exists"));
    CU_ASSERT_EQUAL(d.ip_index, 0);
    CU_ASSERT_EQUAL(rt.ip_used[2], 0);
    unlink("/run/netns/ckp-dddd0000dddd0000");
}

int main(void)
{
    static const ck_test tests[] = {
        {"sandbox network: netns, veth on the bridge, address, route; teardown", test_setup_and_teardown},
        {"a taken netns name fails with ip's message and frees the address", test_name_taken},
        {NULL, NULL},
    };
    return ck_test_main("linux network", tests, setup, teardown);
}
