/* iptables_rules.c: renders the iptables-restore input for a ck_proxy_state,
 * line for line as upstream's syncProxyRules (pkg/proxy/iptables/proxier.go,
 * v1.28) writes it for Cluster traffic policy: filter chains + rules, then nat
 * chains + rules, services in sorted ServicePortName order. */
#define _GNU_SOURCE
#include "kube-proxy/iptables.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kube-proxy/sha256.h"

#define SERVICES "KUBE-SERVICES"
#define EXTERNAL_SERVICES "KUBE-EXTERNAL-SERVICES"
#define NODEPORTS "KUBE-NODEPORTS"
#define POSTROUTING "KUBE-POSTROUTING"
#define MARK_MASQ "KUBE-MARK-MASQ"
#define FORWARD "KUBE-FORWARD"
#define PROXY_FIREWALL "KUBE-PROXY-FIREWALL"
#define KUBELET_FIREWALL "KUBE-FIREWALL"

/* Top-level chains written on every sync, in upstream's order. */
static const char *const filter_chains[] = {SERVICES, EXTERNAL_SERVICES, FORWARD, NODEPORTS,
                                            PROXY_FIREWALL, NULL};
static const char *const nat_chains[] = {SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ, NULL};
/* Per-service chain prefixes (upstream isServiceChainName). */
static const char *const service_chain_prefixes[] = {"KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-",
                                                     "KUBE-FW-", "KUBE-SEP-", NULL};

void ck_iptables_chain_name(char *out, const char *prefix, const char *spn,
                            const char *protocol, const char *endpoint)
{
    char in[CK_SPN_LEN + 96];
    char proto[8];
    size_t i;
    for (i = 0; protocol[i] && i + 1 < sizeof proto; i++) proto[i] = (char)tolower((unsigned char)protocol[i]);
    proto[i] = 0;
    int n = snprintf(in, sizeof in, "%s%s%s", spn, proto, endpoint ? endpoint : "");
    uint8_t h[32];
    ck_sha256(in, (size_t)n, h);
    /* base32.StdEncoding: 16 chars cover the first 10 bytes exactly. */
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    char enc[17];
    for (int g = 0; g < 2; g++) {
        uint64_t v = 0;
        for (int b = 0; b < 5; b++) v = v << 8 | h[g * 5 + b];
        for (int c = 0; c < 8; c++) enc[g * 8 + c] = alphabet[(v >> (35 - 5 * c)) & 31];
    }
    enc[16] = 0;
    sprintf(out, "%s%s", prefix, enc);
}

typedef struct out4 {
    FILE *fc, *fr, *nc, *nr;  /* filter chains/rules, nat chains/rules */
    char *bufs[4];
    size_t lens[4];
} out4;

static void svc_rules(out4 *o, const ck_proxy_state *st, const ck_service_port *sp,
                      const ck_iptables_opts *opt, const char *mark)
{
    (void)mark;
    char proto[8], svc[32], ext[32], sep[32], epstr[96];
    size_t i;
    for (i = 0; sp->protocol[i] && i + 1 < sizeof proto; i++) proto[i] = (char)tolower((unsigned char)sp->protocol[i]);
    proto[i] = 0;
    ck_iptables_chain_name(svc, "KUBE-SVC-", sp->name, sp->protocol, NULL);
    ck_iptables_chain_name(ext, "KUBE-EXT-", sp->name, sp->protocol, NULL);
    const ck_endpoint_set *es = ck_proxy_state_endpoints(st, sp);
    size_t n = es ? es->n : 0;
    const char *name = sp->name;

    if (n) {  /* Capture the clusterIP. */
        fprintf(o->nr, "-A " SERVICES " -m comment --comment \"%s cluster IP\" -m %s -p %s -d %s --dport %d -j %s\n",
                name, proto, proto, sp->cluster_ip, sp->port, svc);
    } else {  /* No endpoints: reject in the filter table, no nat chains at all. */
        fprintf(o->fr, "-A " SERVICES " -m comment --comment \"%s has no endpoints\" -m %s -p %s -d %s --dport %d -j REJECT\n",
                name, proto, proto, sp->cluster_ip, sp->port);
    }
    if (sp->node_port) {
        if (n)
            fprintf(o->nr, "-A " NODEPORTS " -m comment --comment %s -m %s -p %s --dport %d -j %s\n",
                    name, proto, proto, sp->node_port, ext);
        else
            fprintf(o->fr, "-A " EXTERNAL_SERVICES " -m comment --comment \"%s has no endpoints\" -m addrtype --dst-type LOCAL -m %s -p %s --dport %d -j REJECT\n",
                    name, proto, proto, sp->node_port);
    }
    if (!n) return;

    /* Internal traffic: masquerade what comes from outside the cluster CIDR. */
    if (opt->masquerade_all || (opt->cluster_cidr && *opt->cluster_cidr)) {
        fprintf(o->nr, "-A %s -m comment --comment \"%s cluster IP\" -m %s -p %s -d %s --dport %d",
                svc, name, proto, proto, sp->cluster_ip, sp->port);
        if (!opt->masquerade_all) fprintf(o->nr, " ! -s %s", opt->cluster_cidr);
        fprintf(o->nr, " -j " MARK_MASQ "\n");
    }
    if (sp->node_port) {  /* External traffic (Cluster policy): always masquerade. */
        fprintf(o->nc, ":%s - [0:0]\n", ext);
        fprintf(o->nr, "-A %s -m comment --comment \"masquerade traffic for %s external destinations\" -j " MARK_MASQ "\n",
                ext, name);
        fprintf(o->nr, "-A %s -j %s\n", ext, svc);
    }
    fprintf(o->nc, ":%s - [0:0]\n", svc);
    /* writeServiceToEndpointRules: affinity checks first, then the random split. */
    if (sp->affinity_client_ip)
        for (i = 0; i < n; i++) {
            snprintf(epstr, sizeof epstr, "%s:%d", es->eps[i].ip, es->eps[i].port);
            ck_iptables_chain_name(sep, "KUBE-SEP-", name, sp->protocol, epstr);
            fprintf(o->nr, "-A %s -m comment --comment \"%s -> %s\" -m recent --name %s --rcheck --seconds %d --reap -j %s\n",
                    svc, name, epstr, sep, sp->sticky_max_age_seconds, sep);
        }
    for (i = 0; i < n; i++) {
        snprintf(epstr, sizeof epstr, "%s:%d", es->eps[i].ip, es->eps[i].port);
        ck_iptables_chain_name(sep, "KUBE-SEP-", name, sp->protocol, epstr);
        fprintf(o->nr, "-A %s -m comment --comment \"%s -> %s\"", svc, name, epstr);
        if (i + 1 < n)  /* 1/(remaining), so every endpoint gets 1/n overall */
            fprintf(o->nr, " -m statistic --mode random --probability %0.10f", 1.0 / (double)(n - i));
        fprintf(o->nr, " -j %s\n", sep);
    }
    for (i = 0; i < n; i++) {
        snprintf(epstr, sizeof epstr, "%s:%d", es->eps[i].ip, es->eps[i].port);
        ck_iptables_chain_name(sep, "KUBE-SEP-", name, sp->protocol, epstr);
        fprintf(o->nc, ":%s - [0:0]\n", sep);
        /* Hairpin: an endpoint reaching itself through the service is SNATed. */
        fprintf(o->nr, "-A %s -m comment --comment %s -s %s -j " MARK_MASQ "\n", sep, name, es->eps[i].ip);
        fprintf(o->nr, "-A %s -m comment --comment %s", sep, name);
        if (sp->affinity_client_ip) fprintf(o->nr, " -m recent --name %s --set", sep);
        fprintf(o->nr, " -m %s -p %s -j DNAT --to-destination %s\n", proto, proto, epstr);
    }
}

static bool is_service_chain(const char *c)
{
    for (const char *const *p = service_chain_prefixes; *p; p++)
        if (strncmp(c, *p, strlen(*p)) == 0) return true;
    return false;
}

/* Was chain declared in this sync's nat chain lines? */
static bool declared(const char *nat_chain_lines, const char *chain)
{
    size_t l = strlen(chain);
    for (const char *p = nat_chain_lines; (p = strstr(p, chain)); p += l)
        if (p > nat_chain_lines && p[-1] == ':' && p[l] == ' ') return true;
    return false;
}

static void head_rules(out4 *o, const ck_iptables_opts *opt, const char *mark)
{
    for (const char *const *c = filter_chains; *c; c++) fprintf(o->fc, ":%s - [0:0]\n", *c);
    for (const char *const *c = nat_chains; *c; c++) fprintf(o->nc, ":%s - [0:0]\n", *c);
    fprintf(o->nr, "-A " POSTROUTING " -m mark ! --mark %s/%s -j RETURN\n", mark, mark);
    fprintf(o->nr, "-A " POSTROUTING " -j MARK --xor-mark %s\n", mark);
    fprintf(o->nr, "-A " POSTROUTING " -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE%s\n",
            opt->random_fully ? " --random-fully" : "");
    fprintf(o->nr, "-A " MARK_MASQ " -j MARK --or-mark %s\n", mark);
    if (opt->localhost_nodeports) {
        /* route_localnet makes 127.0.0.1:nodePort work; this closes the hole
         * it opens (https://issue.k8s.io/90259). */
        fprintf(o->fc, ":" KUBELET_FIREWALL " - [0:0]\n");
        fprintf(o->fr, "-A " KUBELET_FIREWALL " -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
    }
}

static void tail_rules(out4 *o, const ck_iptables_opts *opt, const char *mark)
{
    static const char comment[] = "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
    if (!opt->n_nodeport_ips)
        fprintf(o->nr, "-A " SERVICES " -m comment --comment %s -m addrtype --dst-type LOCAL%s -j " NODEPORTS "\n",
                comment, opt->localhost_nodeports ? "" : " ! -d 127.0.0.0/8");
    for (size_t i = 0; i < opt->n_nodeport_ips; i++)
        fprintf(o->nr, "-A " SERVICES " -m comment --comment %s -d %s -j " NODEPORTS "\n", comment, opt->nodeport_ips[i]);
    fprintf(o->fr, "-A " FORWARD " -m conntrack --ctstate INVALID -j DROP\n");
    fprintf(o->fr, "-A " FORWARD " -m comment --comment \"kubernetes forwarding rules\" -m mark --mark %s/%s -j ACCEPT\n", mark, mark);
    fprintf(o->fr, "-A " FORWARD " -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
}

char *ck_iptables_render(const ck_proxy_state *st, const ck_iptables_opts *opt,
                         const char *const *existing_nat, size_t n_existing)
{
    const char *mark = opt->masquerade_mark ? opt->masquerade_mark : "0x4000";
    out4 o = {0};
    FILE **fs[4] = {&o.fc, &o.fr, &o.nc, &o.nr};
    char *result = NULL;
    for (int i = 0; i < 4; i++)
        if (!(*fs[i] = open_memstream(&o.bufs[i], &o.lens[i]))) goto done;
    head_rules(&o, opt, mark);
    for (size_t i = 0; i < st->nsvcs; i++) svc_rules(&o, st, &st->svcs[i], opt, mark);
    /* Delete chains no longer in use: a chain line flushes, -X removes. */
    fflush(o.nc);
    char *active = strdup(o.bufs[2] ? o.bufs[2] : "");
    if (!active) goto done;
    for (size_t i = 0; i < n_existing; i++)
        if (is_service_chain(existing_nat[i]) && !declared(active, existing_nat[i])) {
            fprintf(o.nc, ":%s - [0:0]\n", existing_nat[i]);
            fprintf(o.nr, "-X %s\n", existing_nat[i]);
        }
    free(active);
    tail_rules(&o, opt, mark);
    for (int i = 0; i < 4; i++) { fclose(*fs[i]); *fs[i] = NULL; }
    if (asprintf(&result, "*filter\n%s%sCOMMIT\n*nat\n%s%sCOMMIT\n",
                 o.bufs[0], o.bufs[1], o.bufs[2], o.bufs[3]) < 0)
        result = NULL;
done:
    for (int i = 0; i < 4; i++) {
        if (*fs[i]) fclose(*fs[i]);
        free(o.bufs[i]);
    }
    return result;
}

char **ck_iptables_parse_chains(const char *save, size_t *n)
{
    char **out = NULL;
    *n = 0;
    for (const char *p = save; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (*p != ':') continue;
        size_t l = strcspn(p + 1, " \n");
        char **grown = realloc(out, (*n + 1) * sizeof *out);
        if (!grown) break;
        out = grown;
        if (!(out[*n] = strndup(p + 1, l))) break;
        (*n)++;
    }
    return out;
}

void ck_iptables_chains_free(char **chains, size_t n)
{
    for (size_t i = 0; i < n; i++) free(chains[i]);
    free(chains);
}
