/* linux_hostport.c: hostPorts for the linux runtime, as the CNI portmap
 * plugin does them: in the node's nat table, PREROUTING and OUTPUT send
 * traffic for a local address to CKUBE-HOSTPORTS, which jumps to one chain
 * per sandbox (CKUBE-HP-<id>) holding a DNAT to podIP:containerPort for
 * each mapping (restricted to hostIP when one is given). Connections from
 * 127.0.0.1 and hairpin ones from the pod itself are marked and masqueraded
 * (CKUBE-HOSTPORTS-MASQ), with route_localnet on the bridge so loopback-
 * sourced packets may leave through it. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "kubelet/cri/linux_internal.h"
#include "node/cmd.h"

#define HOSTPORTS "CKUBE-HOSTPORTS"
#define MASQ "CKUBE-HOSTPORTS-MASQ"
#define MARK "0x2000/0x2000" /* portmap's default masqAll mark bit */

static pthread_mutex_t ensure_mu = PTHREAD_MUTEX_INITIALIZER;

/* iptables -w -t nat <args...>: argv of up to 24 words. */
static int nat(char *err, size_t errlen, const char *const *args)
{
    const char *argv[32] = {"iptables", "-w", "-t", "nat"};
    size_t n = 4;
    for (size_t i = 0; args[i] && n + 1 < sizeof argv / sizeof argv[0]; i++) argv[n++] = args[i];
    argv[n] = NULL;
    return ck_cmd_run(argv, err, errlen);
}

/* Appends rule to chain unless `iptables -C` finds it. */
static int ensure_rule(const char *chain, const char *const *rule, char *err, size_t errlen)
{
    const char *args[24] = {"-C", chain};
    size_t n = 2;
    for (size_t i = 0; rule[i] && n + 1 < 24; i++) args[n++] = rule[i];
    args[n] = NULL;
    if (nat(NULL, 0, args) == 0) return 0;
    args[0] = "-A";
    return nat(err, errlen, args);
}

/* The shared chains and their jumps; idempotent (a restarted kubelet finds them). */
static int ensure_chains(lx_runtime *rt, char *err, size_t errlen)
{
    nat(NULL, 0, (const char *const[]){"-N", HOSTPORTS, NULL});
    nat(NULL, 0, (const char *const[]){"-N", MASQ, NULL});
    const char *const local[] = {"-m", "addrtype", "--dst-type", "LOCAL", "-j", HOSTPORTS, NULL};
    if (ensure_rule("PREROUTING", local, err, errlen) != 0 || ensure_rule("OUTPUT", local, err, errlen) != 0 ||
        ensure_rule("POSTROUTING", (const char *const[]){"-j", MASQ, NULL}, err, errlen) != 0 ||
        ensure_rule(MASQ, (const char *const[]){"-m", "mark", "--mark", MARK, "-j", "MASQUERADE", NULL}, err, errlen) != 0)
        return -1;
    /* 127.0.0.1 as a source may only be routed out of the bridge with route_localnet */
    char path[128];
    snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/route_localnet", rt->bridge);
    FILE *f = fopen(path, "w");
    if (f) fputs("1", f), fclose(f);
    return 0;
}

static void chain_name(const lx_sandbox *s, char out[32])
{
    snprintf(out, 32, "CKUBE-HP-%.16s", s->id);
    for (char *p = out; *p; p++) *p = (char)toupper((unsigned char)*p);
}

/* One mapping: mark loopback and hairpin sources, then DNAT. */
static int add_mapping(const char *chain, const lx_sandbox *s, const ck_cri_port_mapping *m, char *err, size_t errlen)
{
    char proto[8], dport[16], to[80], podsrc[64];
    size_t i = 0;
    for (const char *p = m->protocol && *m->protocol ? m->protocol : "TCP"; *p && i + 1 < sizeof proto; p++)
        proto[i++] = (char)tolower((unsigned char)*p);
    proto[i] = 0;
    snprintf(dport, sizeof dport, "%d", m->host_port);
    snprintf(to, sizeof to, "%s:%d", s->ip, m->container_port);
    snprintf(podsrc, sizeof podsrc, "%s/32", s->ip);
    const char *ip = m->host_ip && *m->host_ip && strcmp(m->host_ip, "0.0.0.0") ? m->host_ip : NULL;
    if (ip && strchr(ip, ':')) return 0; /* an IPv6 hostIP: this runtime's pods are IPv4 only */
    bool loopback = !ip || strncmp(ip, "127.", 4) == 0;
    char dst[64] = "";
    if (ip) snprintf(dst, sizeof dst, "%s/32", ip);
    /* {"-A", chain, [-s src], [-d dst], -p proto --dport port, target...} */
    const char *const mark[] = {"-j", "MARK", "--set-xmark", MARK, NULL};
    const char *const dnat[] = {"-j", "DNAT", "--to-destination", to, NULL};
    const struct {
        bool want;
        const char *src;
        const char *const *target;
    } rules[] = {{loopback, "127.0.0.1/32", mark}, {true, podsrc, mark}, {true, NULL, dnat}};
    for (size_t r = 0; r < 3; r++) {
        if (!rules[r].want) continue;
        const char *args[24] = {"-A", chain};
        size_t k = 2;
        if (rules[r].src) args[k++] = "-s", args[k++] = rules[r].src;
        if (ip) args[k++] = "-d", args[k++] = dst;
        args[k++] = "-p", args[k++] = proto, args[k++] = "--dport", args[k++] = dport;
        for (size_t t = 0; rules[r].target[t]; t++) args[k++] = rules[r].target[t];
        args[k] = NULL;
        if (nat(err, errlen, args) != 0) return -1;
    }
    return 0;
}

int lx_hostport_setup(lx_runtime *rt, lx_sandbox *s, const ck_cri_port_mapping *pm, size_t n, char *err,
                      size_t errlen)
{
    if (n == 0 || !s->ip[0]) return 0;
    pthread_mutex_lock(&ensure_mu);
    int rc = ensure_chains(rt, err, errlen);
    pthread_mutex_unlock(&ensure_mu);
    if (rc < 0) return -1;
    char chain[32];
    chain_name(s, chain);
    nat(NULL, 0, (const char *const[]){"-N", chain, NULL});
    nat(NULL, 0, (const char *const[]){"-F", chain, NULL});
    s->hostports = true;
    for (size_t i = 0; i < n; i++)
        if (pm[i].host_port > 0 && add_mapping(chain, s, &pm[i], err, errlen) < 0) goto fail;
    if (nat(err, errlen, (const char *const[]){"-A", HOSTPORTS, "-j", chain, NULL}) != 0) goto fail;
    return 0;
fail:
    lx_hostport_teardown(rt, s);
    return -1;
}

void lx_hostport_teardown(lx_runtime *rt, lx_sandbox *s)
{
    if (!s->hostports) return;
    char chain[32];
    chain_name(s, chain);
    while (nat(NULL, 0, (const char *const[]){"-D", HOSTPORTS, "-j", chain, NULL}) == 0) {}
    nat(NULL, 0, (const char *const[]){"-F", chain, NULL});
    nat(NULL, 0, (const char *const[]){"-X", chain, NULL});
    s->hostports = false;
    (void)rt;
}
