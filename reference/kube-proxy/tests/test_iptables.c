/* test_iptables.c: iptables rule generation against golden text written from
 * upstream's TestOverallIPTablesRules (pkg/proxy/iptables/proxier_test.go,
 * v1.28): ClusterIP with two endpoints, NodePort, ClientIP affinity, a
 * service without endpoints (REJECT in the filter table), stale chains. */
#include <stdlib.h>
#include <string.h>
#include "kube-proxy/changetracker.h"
#include "kube-proxy/iptables.h"
#include "kube-proxy/sha256.h"
#include "util/cktest.h"

static void test_sha256(void)
{
    uint8_t h[32];
    ck_sha256("abc", 3, h);  /* FIPS 180-4 example */
    CU_ASSERT_EQUAL(h[0], 0xba);
    CU_ASSERT_EQUAL(h[31], 0xad);
    char msg[200];
    memset(msg, 'a', sizeof msg);  /* crosses the two-block padding case */
    ck_sha256(msg, 56, h);
    CU_ASSERT_EQUAL(h[0], 0xb3);  /* sha256("a" * 56) = b35439a4... */
    CU_ASSERT_EQUAL(h[1], 0x54);
}

static void test_chain_names(void)
{
    char c[32];
    /* Names seen on every cluster and in upstream's tests. */
    ck_iptables_chain_name(c, "KUBE-SVC-", "default/kubernetes:https", "TCP", NULL);
    CU_ASSERT_STRING_EQUAL(c, "KUBE-SVC-NPX46M4PTMTKRN6Y");
    ck_iptables_chain_name(c, "KUBE-SVC-", "kube-system/kube-dns:dns", "UDP", NULL);
    CU_ASSERT_STRING_EQUAL(c, "KUBE-SVC-TCOU7JCQXEZGVUNU");
    ck_iptables_chain_name(c, "KUBE-SVC-", "kube-system/kube-dns:dns-tcp", "TCP", NULL);
    CU_ASSERT_STRING_EQUAL(c, "KUBE-SVC-ERIFXISQEP7F7OF4");
    ck_iptables_chain_name(c, "KUBE-SEP-", "ns1/svc1:p80", "TCP", "10.180.0.1:80");
    CU_ASSERT_STRING_EQUAL(c, "KUBE-SEP-SXIVWICOYRO3J4NJ");
}

static json_t *svc(const char *ns, const char *name, const char *ip, const char *port_name,
                   int node_port, bool affinity)
{
    json_t *p = json_pack("{s:i,s:s}", "port", 80, "protocol", "TCP");
    if (*port_name) json_object_set_new(p, "name", json_string(port_name));
    if (node_port) json_object_set_new(p, "nodePort", json_integer(node_port));
    return json_pack("{s:{s:s,s:s},s:{s:s,s:s,s:s,s:[o]}}", "metadata", "namespace", ns, "name", name,
                     "spec", "clusterIP", ip, "type", node_port ? "NodePort" : "ClusterIP",
                     "sessionAffinity", affinity ? "ClientIP" : "None", "ports", p);
}

static json_t *eps(const char *ns, const char *name, const char *port_name, const char *ip1,
                   const char *ip2)
{
    json_t *port = json_pack("{s:i,s:s}", "port", 80, "protocol", "TCP");
    if (*port_name) json_object_set_new(port, "name", json_string(port_name));
    json_t *addrs = json_pack("[{s:s}]", "ip", ip1);
    if (ip2) json_array_append_new(addrs, json_pack("{s:s}", "ip", ip2));
    return json_pack("{s:{s:s,s:s},s:[{s:o,s:[{s:s}],s:[o]}]}", "metadata", "namespace", ns, "name", name,
                     "subsets", "addresses", addrs, "notReadyAddresses", "ip", "10.180.0.99",
                     "ports", port);
}

static ck_proxy_state *fixture(void)
{
    ck_change_tracker *t = ck_change_tracker_new();
    json_t *objs[] = {
        svc("ns1", "svc1", "172.30.0.41", "p80", 0, false),
        svc("ns2", "svc2", "172.30.0.42", "p80", 3001, false),
        svc("ns3", "svc3", "172.30.0.43", "", 0, true),
        svc("ns4", "svc4", "172.30.0.44", "p80", 3004, false),
    };
    json_t *endpoints[] = {
        eps("ns1", "svc1", "p80", "10.180.0.2", "10.180.0.1"),
        eps("ns2", "svc2", "p80", "10.180.0.2", NULL),
        eps("ns3", "svc3", "", "10.180.0.3", NULL),
    };
    for (size_t i = 0; i < 4; i++) ck_change_tracker_on_service(t, NULL, objs[i]), json_decref(objs[i]);
    for (size_t i = 0; i < 3; i++) ck_change_tracker_on_endpoints(t, NULL, endpoints[i]), json_decref(endpoints[i]);
    ck_proxy_state *st = ck_change_tracker_apply(t);
    ck_change_tracker_free(t);
    return st;
}

static const char golden[] =
    "*filter\n"
    ":KUBE-SERVICES - [0:0]\n"
    ":KUBE-EXTERNAL-SERVICES - [0:0]\n"
    ":KUBE-FORWARD - [0:0]\n"
    ":KUBE-NODEPORTS - [0:0]\n"
    ":KUBE-PROXY-FIREWALL - [0:0]\n"
    ":KUBE-FIREWALL - [0:0]\n"
    "-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n"
    "-A KUBE-SERVICES -m comment --comment \"ns4/svc4:p80 has no endpoints\" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j REJECT\n"
    "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns4/svc4:p80 has no endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3004 -j REJECT\n"
    "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n"
    "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT\n"
    "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
    "COMMIT\n"
    "*nat\n"
    ":KUBE-SERVICES - [0:0]\n"
    ":KUBE-NODEPORTS - [0:0]\n"
    ":KUBE-POSTROUTING - [0:0]\n"
    ":KUBE-MARK-MASQ - [0:0]\n"
    ":KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n"
    ":KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]\n"
    ":KUBE-SEP-LXVODXWDISEETFEF - [0:0]\n"
    ":KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]\n"
    ":KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]\n"
    ":KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]\n"
    ":KUBE-SVC-63AVES5QA6FLPQYD - [0:0]\n"
    ":KUBE-SEP-MLKPNRIYLOLNJKFK - [0:0]\n"
    "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n"
    "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000\n"
    "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n"
    "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n"
    "-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\n"
    "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n"
    "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.1:80\" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ\n"
    "-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment \"ns1/svc1:p80 -> 10.180.0.2:80\" -j KUBE-SEP-LXVODXWDISEETFEF\n"
    "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ\n"
    "-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80\n"
    "-A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ\n"
    "-A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80\n"
    "-A KUBE-SERVICES -m comment --comment \"ns2/svc2:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT\n"
    "-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT\n"
    "-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment \"ns2/svc2:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n"
    "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment \"masquerade traffic for ns2/svc2:p80 external destinations\" -j KUBE-MARK-MASQ\n"
    "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -j KUBE-SVC-GNZBNJ2PO5MGZ6GT\n"
    "-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment \"ns2/svc2:p80 -> 10.180.0.2:80\" -j KUBE-SEP-RS4RBKLTHTF2IUXJ\n"
    "-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ\n"
    "-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80\n"
    "-A KUBE-SERVICES -m comment --comment \"ns3/svc3 cluster IP\" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-63AVES5QA6FLPQYD\n"
    "-A KUBE-SVC-63AVES5QA6FLPQYD -m comment --comment \"ns3/svc3 cluster IP\" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n"
    "-A KUBE-SVC-63AVES5QA6FLPQYD -m comment --comment \"ns3/svc3 -> 10.180.0.3:80\" -m recent --name KUBE-SEP-MLKPNRIYLOLNJKFK --rcheck --seconds 10800 --reap -j KUBE-SEP-MLKPNRIYLOLNJKFK\n"
    "-A KUBE-SVC-63AVES5QA6FLPQYD -m comment --comment \"ns3/svc3 -> 10.180.0.3:80\" -j KUBE-SEP-MLKPNRIYLOLNJKFK\n"
    "-A KUBE-SEP-MLKPNRIYLOLNJKFK -m comment --comment ns3/svc3 -s 10.180.0.3 -j KUBE-MARK-MASQ\n"
    "-A KUBE-SEP-MLKPNRIYLOLNJKFK -m comment --comment ns3/svc3 -m recent --name KUBE-SEP-MLKPNRIYLOLNJKFK --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80\n"
    "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n"
    "COMMIT\n";

static const ck_iptables_opts default_opts = {.cluster_cidr = "10.0.0.0/8", .random_fully = true,
                                              .localhost_nodeports = true};

/* Prints the first differing line, so a failure says what changed. */
static void assert_text(const char *got, const char *want)
{
    if (got && strcmp(got, want) != 0) {
        size_t i = 0, line = 1;
        while (got[i] && got[i] == want[i]) line += got[i++] == '\n';
        fprintf(stderr, "\nfirst difference at line %zu:\n got: %.160s\nwant: %.160s\n", line, got + i, want + i);
    }
    CU_ASSERT_PTR_NOT_NULL(got);
    CU_ASSERT_STRING_EQUAL(got ? got : "", want);
}

static void test_golden(void)
{
    ck_proxy_state *st = fixture();
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    char *got = ck_iptables_render(st, &default_opts, NULL, 0);
    assert_text(got, golden);
    free(got);
    ck_proxy_state_free(st);
}

static void test_stale_chains_and_nodeport_addresses(void)
{
    ck_proxy_state *st = fixture();
    const char *save = "*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n"
                       ":KUBE-SEP-GONEGONEGONEGONE - [0:0]\n:KUBE-SVC-AAAABBBBCCCCDDDD - [0:0]\n"
                       ":DOCKER - [0:0]\n-A PREROUTING -j DOCKER\nCOMMIT\n";
    size_t n;
    char **chains = ck_iptables_parse_chains(save, &n);
    CU_ASSERT_EQUAL(n, 5);
    const char *ips[] = {"192.168.1.5"};
    ck_iptables_opts o = default_opts;
    o.nodeport_ips = ips, o.n_nodeport_ips = 1, o.cluster_cidr = NULL, o.random_fully = false;
    char *got = ck_iptables_render(st, &o, (const char *const *)chains, n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    /* Stale service chains are flushed and deleted; active ones and foreign ones are kept. */
    CU_ASSERT_PTR_NOT_NULL(strstr(got, ":KUBE-SEP-GONEGONEGONEGONE - [0:0]\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "\n-X KUBE-SEP-GONEGONEGONEGONE\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "\n-X KUBE-SVC-AAAABBBBCCCCDDDD\n"));
    CU_ASSERT_PTR_NULL(strstr(got, "-X KUBE-SVC-XPGD46QRK7WJZT7O"));
    CU_ASSERT_PTR_NULL(strstr(got, "DOCKER"));
    /* No cluster CIDR: no "! -s" masquerade rule; explicit node IPs. */
    CU_ASSERT_PTR_NULL(strstr(got, "! -s 10."));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "this must be the last rule in this chain\" -d 192.168.1.5 -j KUBE-NODEPORTS\nCOMMIT\n"));
    CU_ASSERT_PTR_NULL(strstr(got, "--random-fully"));
    free(got);
    ck_iptables_chains_free(chains, n);
    ck_proxy_state_free(st);
}

static void test_probabilities(void)
{
    /* Three endpoints: 1/3, then 1/2, then the rest. */
    ck_change_tracker *t = ck_change_tracker_new();
    json_t *s = svc("ns", "s", "10.96.0.5", "", 0, false);
    json_t *e = eps("ns", "s", "", "10.1.0.1", "10.1.0.2");
    json_array_append_new(json_object_get(json_array_get(json_object_get(e, "subsets"), 0), "addresses"),
                          json_pack("{s:s}", "ip", "10.1.0.3"));
    ck_change_tracker_on_service(t, NULL, s);
    ck_change_tracker_on_endpoints(t, NULL, e);
    ck_proxy_state *st = ck_change_tracker_apply(t);
    char *got = ck_iptables_render(st, &default_opts, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "-> 10.1.0.1:80\" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-"));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "-> 10.1.0.2:80\" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-"));
    CU_ASSERT_PTR_NOT_NULL(strstr(got, "-> 10.1.0.3:80\" -j KUBE-SEP-"));
    CU_ASSERT_PTR_NULL(strstr(got, "10.180.0.99"));  /* not ready */
    free(got);
    ck_proxy_state_free(st);
    json_decref(s);
    json_decref(e);
    ck_change_tracker_free(t);
}

int main(void)
{
    static const ck_test tests[] = {
        {"sha256 vectors", test_sha256},
        {"chain names as upstream", test_chain_names},
        {"golden rules: clusterIP, nodePort, affinity, no endpoints", test_golden},
        {"stale chains and nodeport addresses", test_stale_chains_and_nodeport_addresses},
        {"probabilities and readiness", test_probabilities},
        {NULL, NULL},
    };
    return ck_test_main("kube-proxy iptables", tests, NULL, NULL);
}
