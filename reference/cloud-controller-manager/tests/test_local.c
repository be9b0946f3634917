/* test_local.c: the local provider without touching the host (dry-run):
 * instances from netns names in a temp dir and from the state file, zones,
 * load balancer address allocation from the pool and the rendered nat rules. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cloud-controller-manager/providers/local.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static char dir[64], conf[128];

static int setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/ckccm-local-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    char path[256];
    snprintf(path, sizeof path, "%s/ckube-t-n1", dir);  /* host 1 of cluster "t" exists */
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fclose(f);
    snprintf(path, sizeof path, "%s/instances", dir);
    f = fopen(path, "w");
    if (!f) return 1;
    fprintf(f, "# name ip zone state\nbox 10.9.0.7 lab-z running\nsleepy 10.9.0.8 lab-z shutdown\n");
    fclose(f);
    snprintf(conf, sizeof conf, "%s/cloud.conf", dir);
    f = fopen(conf, "w");
    if (!f) return 1;
    fprintf(f, "cluster = t\nregion = home   # comment\nzones = 2\nnetns-dir = %s\ninstances-file = %s/instances\n"
               "dry-run = true\n", dir, dir);
    fclose(f);
    return 0;
}

static int cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}

static json_t *node(const char *name, const char *ip)
{
    return ip ? json_pack("{s:{s:s},s:{s:[{s:s,s:s}]}}", "metadata", "name", name, "status", "addresses", "type",
                          "InternalIP", "address", ip)
              : json_pack("{s:{s:s}}", "metadata", "name", name);
}

static void open_local(ck_cloud *c, const char *pool)
{
    char err[256] = "";
    ck_cloud_config cfg = {.cluster_name = "kubernetes", .config_file = conf, .lb_pool = pool};
    int rc = ck_cloud_open("local", &cfg, c, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
}

static void test_instances(void)
{
    ck_cloud c;
    open_local(&c, NULL);
    const ck_cloud_instances *in = c.ops->instances;
    char err[256];
    bool exists, off;
    /* host 1 of 172.31.0.0/24 has node IP 172.31.0.3 and a netns name in dir */
    json_t *n1 = node("whatever", "172.31.0.3"), *n0 = node("other", "172.31.0.2"), *box = node("box", NULL);
    CU_ASSERT_EQUAL(in->instance_exists(c.self, n1, &exists, err, sizeof err), 0);
    CU_ASSERT_TRUE(exists);
    CU_ASSERT_EQUAL(in->instance_exists(c.self, n0, &exists, err, sizeof err), 0);
    CU_ASSERT_FALSE(exists);  /* host 0's namespace is absent */
    json_t *stranger = node("elsewhere", "192.168.50.9");
    CU_ASSERT_EQUAL(in->instance_exists(c.self, stranger, &exists, err, sizeof err), 0);
    CU_ASSERT_TRUE(exists);  /* not one of ours: never reported gone */
    ck_json_set(stranger, "spec.providerID", json_string("local://ckube-t-n7"));
    CU_ASSERT_EQUAL(in->instance_exists(c.self, stranger, &exists, err, sizeof err), 0);
    CU_ASSERT_FALSE(exists);  /* ours by providerID, namespace gone */
    json_decref(stranger);
    ck_instance_metadata md = {0};
    CU_ASSERT_EQUAL(in->instance_metadata(c.self, n1, &md, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(md.provider_id, "local://ckube-t-n1");
    CU_ASSERT_STRING_EQUAL(md.zone, "home-b");  /* index 1 of 2 zones */
    CU_ASSERT_STRING_EQUAL(md.region, "home");
    CU_ASSERT_STRING_EQUAL(md.addresses[0].address, "172.31.0.3");
    memset(&md, 0, sizeof md);
    CU_ASSERT_EQUAL(in->instance_metadata(c.self, n0, &md, err, sizeof err), -1);
    /* the state file */
    CU_ASSERT_EQUAL(in->instance_metadata(c.self, box, &md, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(md.zone, "lab-z");
    CU_ASSERT_STRING_EQUAL(md.addresses[0].address, "10.9.0.7");
    json_t *sleepy = node("sleepy", NULL);
    CU_ASSERT_EQUAL(in->instance_shutdown(c.self, sleepy, &off, err, sizeof err), 0);
    CU_ASSERT_TRUE(off);
    CU_ASSERT_EQUAL(in->instance_shutdown(c.self, box, &off, err, sizeof err), 0);
    CU_ASSERT_FALSE(off);
    ck_zone z;
    CU_ASSERT_EQUAL(c.ops->zones->get_zone_by_provider_id(c.self, "local://ckube-t-n1", &z, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(z.failure_domain, "home-b");
    json_decref(n1);
    json_decref(n0);
    json_decref(box);
    json_decref(sleepy);
    ck_cloud_close(&c);
}

static json_t *svc(const char *uid, const char *status_ip)
{
    json_t *s = json_pack("{s:{s:s,s:s,s:s},s:{s:s,s:[{s:s,s:i,s:i},{s:s,s:i,s:i}]}}", "metadata", "name", "web",
                          "namespace", "default", "uid", uid, "spec", "type", "LoadBalancer", "ports", "protocol",
                          "TCP", "port", 80, "nodePort", 30080, "protocol", "UDP", "port", 53, "nodePort", 30053);
    if (status_ip)
        ck_json_set(s, "status.loadBalancer", json_pack("{s:[{s:s}]}", "ingress", "ip", status_ip));
    return s;
}

static void test_lb_rules(void)
{
    ck_cloud c;
    open_local(&c, "10.99.0.0/30");  /* two usable addresses */
    const ck_cloud_load_balancer *lb = c.ops->load_balancer;
    char err[256] = "";
    json_t *nodes = json_pack("[{s:{s:[{s:s,s:s}]}},{s:{s:[{s:s,s:s}]}}]", "status", "addresses", "type", "InternalIP",
                              "address", "172.31.0.2", "status", "addresses", "type", "InternalIP", "address",
                              "172.31.0.3");
    json_t *a = svc("aaaaaaaa-0000-0000-0000-000000000001", NULL);
    json_t *b = svc("bbbbbbbb-0000-0000-0000-000000000002", "10.99.0.1");  /* keeps its address... */
    json_t *d = svc("dddddddd-0000-0000-0000-000000000003", NULL);
    ck_lb_status st = {0};
    CU_ASSERT_EQUAL(lb->ensure(c.self, "k", b, nodes, &st, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(st.ingress[0].ip, "10.99.0.1");
    memset(&st, 0, sizeof st);
    CU_ASSERT_EQUAL(lb->ensure(c.self, "k", a, nodes, &st, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(st.ingress[0].ip, "10.99.0.2");  /* ...so a gets the next */
    CU_ASSERT_EQUAL(lb->ensure(c.self, "k", d, nodes, &st, err, sizeof err), -1);  /* pool exhausted */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no free address"));
    char *rules = ck_local_render_rules(c.self);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
    CU_ASSERT_PTR_NOT_NULL(strstr(rules, "-A CKUBE-LB -d 10.99.0.2/32 -m comment --comment \"aaaaaaaaa00000000000000000000000\" -j CKLB-aaaaaaaaa0000000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(rules, "-A CKLB-aaaaaaaaa0000000 -p tcp --dport 80 -m statistic --mode random "
                                         "--probability 0.50000 -j DNAT --to-destination 172.31.0.2:30080\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(rules, "-A CKLB-aaaaaaaaa0000000 -p udp --dport 53 -j DNAT --to-destination 172.31.0.3:30053\n"));
    /* an address held by a balancer is found by its name */
    char held[16] = "";
    CU_ASSERT_EQUAL(ck_local_lb_address(c.self, "aaaaaaaaa00000000000000000000000", held, sizeof held), 0);
    CU_ASSERT_STRING_EQUAL(held, "10.99.0.2");
    free(rules);
    /* delete releases the address and drops the chain */
    CU_ASSERT_EQUAL(lb->ensure_deleted(c.self, "k", a, err, sizeof err), 0);
    char ip[16];
    CU_ASSERT_EQUAL(ck_local_lb_address(c.self, "aaaaaaaaa00000000000000000000000", ip, sizeof ip), -1);
    rules = ck_local_render_rules(c.self);
    CU_ASSERT_PTR_NULL(strstr(rules, "CKLB-aaaaaaaa"));
    free(rules);
    memset(&st, 0, sizeof st);
    CU_ASSERT_EQUAL(lb->ensure(c.self, "k", d, nodes, &st, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(st.ingress[0].ip, "10.99.0.2");
    json_decref(a);
    json_decref(b);
    json_decref(d);
    json_decref(nodes);
    ck_cloud_close(&c);
}

static void test_bad_config(void)
{
    ck_cloud c;
    char err[256] = "";
    ck_cloud_config cfg = {.config_file = conf, .lb_pool = "not-a-cidr"};
    CU_ASSERT_EQUAL(ck_cloud_open("local", &cfg, &c, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "--lb-pool"));
    cfg = (ck_cloud_config){.config_file = "/nonexistent/cloud.conf"};
    CU_ASSERT_EQUAL(ck_cloud_open("local", &cfg, &c, err, sizeof err), -1);
}

int main(void)
{
    static const ck_test tests[] = {
        {"instances from netns hosts and the state file", test_instances},
        {"load balancer addresses and nat rules", test_lb_rules},
        {"invalid configuration", test_bad_config},
        {NULL, NULL}};
    return ck_test_main("local provider", tests, setup, cleanup);
}
