/* local_lb.c: the local provider's load balancers: an address from the
 * --lb-pool on the dummy interface ckube-lb, and nat rules (rendered whole,
 * applied with iptables-restore --noflush, as kube-proxy does) that DNAT the
 * address's Service ports to <node InternalIP>:<nodePort>, spread at random. */
#define _GNU_SOURCE
#include "cloud-controller-manager/providers/local_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "node/cmd.h"
#include "util/ckjson.h"

static void chain_of(const local_lb *lb, char out[32]) { snprintf(out, 32, "CKLB-%.16s", lb->name); }

char *ck_local_render_rules(ck_local_cloud *lc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    char ch[32];
    /* with --noflush, declaring a chain flushes it: the whole state is rewritten */
    fprintf(f, "*nat\n:%s - [0:0]\n", CK_LOCAL_LB_CHAIN);
    for (size_t i = 0; i < lc->n_lbs; i++) {
        chain_of(&lc->lbs[i], ch);
        fprintf(f, ":%s - [0:0]\n", ch);
    }
    /* a chain must be empty to be deleted: declaring it flushes it */
    for (size_t i = 0; i < lc->n_removed; i++) fprintf(f, ":%s - [0:0]\n", lc->removed[i]);
    for (size_t i = 0; i < lc->n_lbs; i++) {
        chain_of(&lc->lbs[i], ch);
        fprintf(f, "-A %s -d %s/32 -m comment --comment \"%s\" -j %s\n", CK_LOCAL_LB_CHAIN, lc->lbs[i].ip,
                lc->lbs[i].name, ch);
    }
    for (size_t i = 0; i < lc->n_lbs; i++) {
        const local_lb *lb = &lc->lbs[i];
        chain_of(lb, ch);
        for (size_t p = 0; p < lb->n_ports; p++) {
            for (size_t t = 0; t < lb->n_targets; t++) {
                fprintf(f, "-A %s -p %s --dport %d", ch, lb->ports[p].proto, lb->ports[p].port);
                /* as kube-proxy's iptables mode: 1/n, 1/(n-1), ... , the last unconditionally */
                if (t + 1 < lb->n_targets)
                    fprintf(f, " -m statistic --mode random --probability %.5f", 1.0 / (double)(lb->n_targets - t));
                fprintf(f, " -j DNAT --to-destination %s:%d\n", lb->targets[t], lb->ports[p].node_port);
            }
        }
    }
    for (size_t i = 0; i < lc->n_removed; i++) fprintf(f, "-X %s\n", lc->removed[i]);
    fprintf(f, "COMMIT\n");
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The dummy link, and jumps from PREROUTING and OUTPUT (traffic to the pool)
 * plus a MASQUERADE for DNAT-ed pool traffic so hairpinned replies return. */
static int ensure_base(ck_local_cloud *lc, char *err, size_t errlen)
{
    if (lc->base_ready || lc->dry_run) return 0;
    if (geteuid() != 0) {
        snprintf(err, errlen, "the local provider needs root (CAP_NET_ADMIN) for load balancers");
        return -1;
    }
    /* a dummy link; kernels without the dummy driver (containers) get an
     * empty bridge instead: both only hold addresses, local to this machine */
    if (ck_cmd(NULL, 0, "ip", "link", "show", CK_LOCAL_LB_LINK, NULL) != 0 &&
        ck_cmd(NULL, 0, "ip", "link", "add", CK_LOCAL_LB_LINK, "type", "dummy", NULL) != 0 &&
        ck_cmd(err, errlen, "ip", "link", "add", CK_LOCAL_LB_LINK, "type", "bridge", NULL) != 0)
        return -1;
    if (ck_cmd(err, errlen, "ip", "link", "set", CK_LOCAL_LB_LINK, "up", NULL) != 0) return -1;
    if (ck_cmd(NULL, 0, "iptables", "-t", "nat", "-N", CK_LOCAL_LB_CHAIN, NULL) != 0 &&
        ck_cmd(err, errlen, "iptables", "-t", "nat", "-L", CK_LOCAL_LB_CHAIN, "-n", NULL) != 0)
        return -1;
    static const char *const hooks[] = {"PREROUTING", "OUTPUT"};
    for (size_t i = 0; i < 2; i++)
        if (ck_cmd(NULL, 0, "iptables", "-t", "nat", "-C", hooks[i], "-d", lc->pool_str, "-j", CK_LOCAL_LB_CHAIN,
                   NULL) != 0 &&
            ck_cmd(err, errlen, "iptables", "-t", "nat", "-I", hooks[i], "-d", lc->pool_str, "-j",
                   CK_LOCAL_LB_CHAIN, NULL) != 0)
            return -1;
    if (ck_cmd(NULL, 0, "iptables", "-t", "nat", "-C", "POSTROUTING", "-m", "conntrack", "--ctstate", "DNAT",
               "--ctorigdst", lc->pool_str, "-j", "MASQUERADE", NULL) != 0 &&
        ck_cmd(err, errlen, "iptables", "-t", "nat", "-I", "POSTROUTING", "-m", "conntrack", "--ctstate", "DNAT",
               "--ctorigdst", lc->pool_str, "-j", "MASQUERADE", NULL) != 0)
        return -1;
    lc->base_ready = true;
    return 0;
}

/* Applies the rendered rules (lock held). */
static int sync_rules(ck_local_cloud *lc, char *err, size_t errlen)
{
    if (lc->dry_run) {
        lc->n_removed = 0;
        return 0;
    }
    char *rules = ck_local_render_rules(lc);
    if (!rules) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    FILE *p = popen("iptables-restore --noflush 2>/dev/null", "w");
    int rc = p ? 0 : -1;
    if (p) {
        fputs(rules, p);
        rc = pclose(p) == 0 ? 0 : -1;
    }
    free(rules);
    if (rc < 0) snprintf(err, errlen, "iptables-restore failed");
    else lc->n_removed = 0;
    return rc;
}

static local_lb *find_lb(ck_local_cloud *lc, const char *name)
{
    for (size_t i = 0; i < lc->n_lbs; i++)
        if (!strcmp(lc->lbs[i].name, name)) return &lc->lbs[i];
    return NULL;
}

static bool ip_taken(ck_local_cloud *lc, const char *ip)
{
    for (size_t i = 0; i < lc->n_lbs; i++)
        if (!strcmp(lc->lbs[i].ip, ip)) return true;
    return false;
}

/* Keeps the address already in status (restarts) or spec.loadBalancerIP
 * when it is in the pool and free; else the first free pool address. */
static int allocate(ck_local_cloud *lc, const json_t *svc, char out[16])
{
    const char *prefer[] = {ck_json_str(json_array_get(ck_json_path(svc, "status.loadBalancer.ingress"), 0), "ip", ""),
                            ck_json_str(svc, "spec.loadBalancerIP", "")};
    for (size_t i = 0; i < 2; i++) {
        if (*prefer[i] && ck_cidr_contains(&lc->pool, prefer[i]) && !ip_taken(lc, prefer[i])) {
            snprintf(out, 16, "%s", prefer[i]);
            return 0;
        }
    }
    uint64_t size = ck_cidr_size(&lc->pool);
    for (uint64_t n = 1; n + 1 < size; n++) {  /* not the network or broadcast address */
        char ip[16];
        if (ck_cidr_nth(&lc->pool, (uint32_t)n, ip, sizeof ip) == 0 && !ip_taken(lc, ip)) {
            memcpy(out, ip, 16);
            return 0;
        }
    }
    return -1;
}

/* Ports and node targets from the Service and nodes. */
static void fill_lb(local_lb *lb, const json_t *svc, const json_t *nodes)
{
    json_t *ports = ck_json_path(svc, "spec.ports"), *p, *n;
    size_t i;
    lb->n_ports = 0;
    json_array_foreach(ports, i, p) {
        const char *proto = ck_json_str(p, "protocol", "TCP");
        int np = (int)ck_json_int(p, "nodePort", 0);
        if (lb->n_ports == LOCAL_MAX_PORTS || !np || (strcmp(proto, "TCP") && strcmp(proto, "UDP"))) continue;
        snprintf(lb->ports[lb->n_ports].proto, sizeof lb->ports[0].proto, "%s", !strcmp(proto, "TCP") ? "tcp" : "udp");
        lb->ports[lb->n_ports].port = (int)ck_json_int(p, "port", 0);
        lb->ports[lb->n_ports++].node_port = np;
    }
    lb->n_targets = 0;
    json_array_foreach(nodes, i, n) {
        const char *ip = ck_cloud_node_address(n, "InternalIP");
        if (ip && lb->n_targets < LOCAL_MAX_TARGETS) snprintf(lb->targets[lb->n_targets++], 64, "%s", ip);
    }
}

static void status_of(const local_lb *lb, ck_lb_status *st)
{
    memset(st, 0, sizeof *st);
    snprintf(st->ingress[0].ip, sizeof st->ingress[0].ip, "%s", lb->ip);
    st->n_ingress = 1;
}

static int lb_get(void *self, const char *cluster, const json_t *svc, ck_lb_status *st, bool *exists, char *err,
                  size_t errlen)
{
    ck_local_cloud *lc = self;
    char name[64];
    ck_cloud_default_lb_name(svc, name, sizeof name);
    pthread_mutex_lock(&lc->mu);
    local_lb *lb = find_lb(lc, name);
    *exists = lb != NULL;
    if (lb) status_of(lb, st);
    pthread_mutex_unlock(&lc->mu);
    return 0;
}

static int lb_ensure(void *self, const char *cluster, const json_t *svc, const json_t *nodes, ck_lb_status *st,
                     char *err, size_t errlen)
{
    ck_local_cloud *lc = self;
    char name[64], addr[40];
    ck_cloud_default_lb_name(svc, name, sizeof name);
    pthread_mutex_lock(&lc->mu);
    int rc = ensure_base(lc, err, errlen);
    local_lb *lb = rc == 0 ? find_lb(lc, name) : NULL;
    if (rc == 0 && !lb) {
        char ip[16];
        if (lc->n_lbs == LOCAL_MAX_LBS || allocate(lc, svc, ip) < 0) {
            snprintf(err, errlen, "no free address in the load balancer pool %s", lc->pool_str);
            rc = -1;
        } else {
            lb = &lc->lbs[lc->n_lbs++];
            memset(lb, 0, sizeof *lb);
            snprintf(lb->name, sizeof lb->name, "%s", name);
            memcpy(lb->ip, ip, sizeof lb->ip);
            char ch[32];
            chain_of(lb, ch);
            for (size_t i = 0; i < lc->n_removed; i++)  /* back before its removal was applied */
                if (!strcmp(lc->removed[i], ch)) memcpy(lc->removed[i], lc->removed[--lc->n_removed], 32);
        }
    }
    if (lb) {
        fill_lb(lb, svc, nodes);
        snprintf(addr, sizeof addr, "%s/32", lb->ip);
        const char *argv[] = {"ip", "addr", "replace", addr, "dev", CK_LOCAL_LB_LINK, NULL};
        rc = ck_local_run(lc, argv, err, errlen);
        if (rc == 0) rc = sync_rules(lc, err, errlen);
        if (rc == 0) status_of(lb, st);
    }
    pthread_mutex_unlock(&lc->mu);
    return rc;
}

static int lb_update(void *self, const char *cluster, const json_t *svc, const json_t *nodes, char *err,
                     size_t errlen)
{
    ck_lb_status st;
    return lb_ensure(self, cluster, svc, nodes, &st, err, errlen);
}

static int lb_delete(void *self, const char *cluster, const json_t *svc, char *err, size_t errlen)
{
    ck_local_cloud *lc = self;
    char name[64], addr[40];
    ck_cloud_default_lb_name(svc, name, sizeof name);
    pthread_mutex_lock(&lc->mu);
    local_lb *lb = find_lb(lc, name);
    int rc = 0;
    if (lb) {
        snprintf(addr, sizeof addr, "%s/32", lb->ip);
        if (lc->n_removed < LOCAL_MAX_LBS) chain_of(lb, lc->removed[lc->n_removed++]);
        *lb = lc->lbs[--lc->n_lbs];
        const char *argv[] = {"ip", "addr", "del", addr, "dev", CK_LOCAL_LB_LINK, NULL};
        ck_local_run(lc, argv, NULL, 0);  /* already gone is fine */
        rc = sync_rules(lc, err, errlen);
    }
    pthread_mutex_unlock(&lc->mu);
    return rc;
}

void ck_local_lb_cleanup(ck_local_cloud *lc)
{
    pthread_mutex_lock(&lc->mu);
    if (lc->base_ready && !lc->dry_run) {
        for (size_t i = 0; i < lc->n_lbs; i++)
            if (lc->n_removed < LOCAL_MAX_LBS) chain_of(&lc->lbs[i], lc->removed[lc->n_removed++]);
        lc->n_lbs = 0;
        char err[256];
        sync_rules(lc, err, sizeof err);
        static const char *const hooks[] = {"PREROUTING", "OUTPUT"};
        for (size_t i = 0; i < 2; i++)
            ck_cmd(NULL, 0, "iptables", "-t", "nat", "-D", hooks[i], "-d", lc->pool_str, "-j", CK_LOCAL_LB_CHAIN, NULL);
        ck_cmd(NULL, 0, "iptables", "-t", "nat", "-D", "POSTROUTING", "-m", "conntrack", "--ctstate", "DNAT",
               "--ctorigdst", lc->pool_str, "-j", "MASQUERADE", NULL);
        ck_cmd(NULL, 0, "iptables", "-t", "nat", "-F", CK_LOCAL_LB_CHAIN, NULL);
        ck_cmd(NULL, 0, "iptables", "-t", "nat", "-X", CK_LOCAL_LB_CHAIN, NULL);
        ck_cmd(NULL, 0, "ip", "link", "del", CK_LOCAL_LB_LINK, NULL);
        lc->base_ready = false;
    }
    pthread_mutex_unlock(&lc->mu);
}

int ck_local_lb_address(ck_local_cloud *lc, const char *name, char *out, size_t outlen)
{
    pthread_mutex_lock(&lc->mu);
    local_lb *lb = find_lb(lc, name);
    if (lb) snprintf(out, outlen, "%s", lb->ip);
    pthread_mutex_unlock(&lc->mu);
    return lb ? 0 : -1;
}

const ck_cloud_load_balancer ck_local_lb_ops = {lb_get, NULL, lb_ensure, lb_update, lb_delete};
