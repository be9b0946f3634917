/* iptables.c: the iptables proxier: each sync lists the nat table's chains
 * (iptables-save), renders the full rule set (iptables_rules.c), applies it
 * atomically with `iptables-restore --noflush`, then ensures the jumps from
 * the built-in chains into KUBE-* (upstream syncProxyRules + EnsureRule). */
#include "kube-proxy/iptables.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kube-proxy/exec.h"
#include "util/log.h"

/* upstream iptablesJumpChains + iptablesKubeletJumpChains (proxier.go). */
typedef struct jump {
    const char *table, *dst, *src, *comment;
    bool ct_new;  /* "-m conntrack --ctstate NEW" before the comment */
} jump;
static const jump jumps[] = {
    {"filter", "KUBE-EXTERNAL-SERVICES", "INPUT", "kubernetes externally-visible service portals", true},
    {"filter", "KUBE-EXTERNAL-SERVICES", "FORWARD", "kubernetes externally-visible service portals", true},
    {"filter", "KUBE-NODEPORTS", "INPUT", "kubernetes health check service ports", false},
    {"filter", "KUBE-SERVICES", "FORWARD", "kubernetes service portals", true},
    {"filter", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", true},
    {"filter", "KUBE-FORWARD", "FORWARD", "kubernetes forwarding rules", false},
    {"filter", "KUBE-PROXY-FIREWALL", "INPUT", "kubernetes load balancer firewall", true},
    {"filter", "KUBE-PROXY-FIREWALL", "OUTPUT", "kubernetes load balancer firewall", true},
    {"filter", "KUBE-PROXY-FIREWALL", "FORWARD", "kubernetes load balancer firewall", true},
    {"nat", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", false},
    {"nat", "KUBE-SERVICES", "PREROUTING", "kubernetes service portals", false},
    {"nat", "KUBE-POSTROUTING", "POSTROUTING", "kubernetes postrouting rules", false},
    {"filter", "KUBE-FIREWALL", "INPUT", NULL, false},
    {"filter", "KUBE-FIREWALL", "OUTPUT", NULL, false},
};

typedef struct iptables_proxier {
    ck_proxier base;
    ck_iptables_opts opts;
    char *cluster_cidr, *mark;
    char **nodeport_ips;
} iptables_proxier;

/* EnsureRule(Prepend): `iptables -C` and, when absent, `iptables -I`. */
static int ensure_jump(const jump *j, char *err, size_t errlen)
{
    char *argv[20];
    int n = 0;
    argv[n++] = "iptables", argv[n++] = "-w", argv[n++] = "-t", argv[n++] = (char *)j->table;
    int op = n;
    argv[n++] = "-C", argv[n++] = (char *)j->src;
    if (j->ct_new) argv[n++] = "-m", argv[n++] = "conntrack", argv[n++] = "--ctstate", argv[n++] = "NEW";
    if (j->comment) argv[n++] = "-m", argv[n++] = "comment", argv[n++] = "--comment", argv[n++] = (char *)j->comment;
    argv[n++] = "-j", argv[n++] = (char *)j->dst, argv[n] = NULL;
    if (ck_exec(argv, NULL, NULL, err, errlen) == 0) return 0;
    argv[op] = "-I";
    if (ck_exec(argv, NULL, NULL, err, errlen) == 0) return 0;
    return -1;
}

static int sync_rules(ck_proxier *p, const ck_proxy_state *st, char *err, size_t errlen)
{
    iptables_proxier *ip = (iptables_proxier *)p;
    char *save = NULL, **chains = NULL;
    size_t nchains = 0;
    char *const save_argv[] = {"iptables-save", "-t", "nat", NULL};
    if (ck_exec(save_argv, NULL, &save, err, errlen) == 0)
        chains = ck_iptables_parse_chains(save, &nchains);
    else
        ck_warn("iptables-save failed, stale chains will not be deleted: %s", err);
    free(save);
    char *rules = ck_iptables_render(st, &ip->opts, (const char *const *)chains, nchains);
    ck_iptables_chains_free(chains, nchains);
    if (!rules) {
        snprintf(err, errlen, "out of memory rendering rules");
        return -1;
    }
    ck_log(9, "restoring iptables rules:\n%s", rules);
    char *const restore_argv[] = {"iptables-restore", "-w", "--noflush", NULL};
    int rc = ck_exec(restore_argv, rules, NULL, err, errlen);
    free(rules);
    if (rc != 0) {
        size_t l = strlen(err);
        snprintf(err + l, errlen - l, "%siptables-restore exited %d", l ? "; " : "", rc);
        return -1;
    }
    for (size_t i = 0; i < sizeof jumps / sizeof *jumps; i++) {
        if (!ip->opts.localhost_nodeports && strcmp(jumps[i].dst, "KUBE-FIREWALL") == 0) continue;
        if (ensure_jump(&jumps[i], err, errlen) < 0) return -1;
    }
    err[0] = 0;
    return 0;
}

static void free_proxier(ck_proxier *p)
{
    iptables_proxier *ip = (iptables_proxier *)p;
    free(ip->cluster_cidr);
    free(ip->mark);
    for (size_t i = 0; i < ip->opts.n_nodeport_ips; i++) free(ip->nodeport_ips[i]);
    free(ip->nodeport_ips);
    free(ip);
}

static const ck_proxier_ops iptables_ops = {"iptables", sync_rules, free_proxier};

/* route_localnet lets 127.0.0.1:nodePort be DNATed (upstream sets it too). */
static void set_route_localnet(void)
{
    FILE *f = fopen("/proc/sys/net/ipv4/conf/all/route_localnet", "w");
    if (!f || fputs("1\n", f) < 0) ck_warn("cannot set net.ipv4.conf.all.route_localnet=1");
    if (f) fclose(f);
}

ck_proxier *ck_iptables_proxier_new(const ck_iptables_opts *o, char *err, size_t errlen)
{
    iptables_proxier *ip = calloc(1, sizeof *ip);
    if (!ip) goto oom;
    ip->base.ops = &iptables_ops;
    ip->opts = *o;
    if (o->cluster_cidr && !(ip->opts.cluster_cidr = ip->cluster_cidr = strdup(o->cluster_cidr))) goto oom;
    if (o->masquerade_mark && !(ip->opts.masquerade_mark = ip->mark = strdup(o->masquerade_mark))) goto oom;
    ip->opts.n_nodeport_ips = 0;
    if (o->n_nodeport_ips && !(ip->nodeport_ips = calloc(o->n_nodeport_ips, sizeof(char *)))) goto oom;
    for (size_t i = 0; i < o->n_nodeport_ips; i++, ip->opts.n_nodeport_ips++)
        if (!(ip->nodeport_ips[i] = strdup(o->nodeport_ips[i]))) goto oom;
    ip->opts.nodeport_ips = (const char *const *)ip->nodeport_ips;
    if (o->localhost_nodeports) set_route_localnet();
    return &ip->base;
oom:
    snprintf(err, errlen, "out of memory");
    if (ip) free_proxier(&ip->base);
    return NULL;
}
