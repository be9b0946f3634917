/* server.c: builds the proxier for --proxy-mode, starts the Service and
 * Endpoints informers, feeds their events to the change tracker and asks the
 * runner for a sync; waits for both caches before the first sync, as
 * upstream's isInitialized() does. */
#define _GNU_SOURCE
#include "kube-proxy/server.h"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/informer.h"
#include "kube-proxy/changetracker.h"
#include "kube-proxy/healthz.h"
#include "kube-proxy/iptables.h"
#include "kube-proxy/runner.h"
#include "kube-proxy/userspace.h"
#include "util/log.h"

void ck_proxy_options_defaults(ck_proxy_options *o)
{
    memset(o, 0, sizeof *o);
    o->mode = "iptables";
    o->min_sync_ms = 100;
    o->sync_ms = 30000;
    o->healthz_port = 10256;
}

long ck_parse_duration_ms(const char *s)
{
    static const struct { const char *unit; double ms; } units[] = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {NULL, 0}};
    double total = 0;
    if (!s || !*s) return -1;
    if (strcmp(s, "0") == 0) return 0;
    while (*s) {
        char *end;
        double v = strtod(s, &end);
        if (end == s || v < 0) return -1;
        s = end;
        size_t ul = strspn(s, "abcdefghijklmnopqrstuvwxyz");
        int u = 0;
        for (; units[u].unit; u++)
            if (strlen(units[u].unit) == ul && strncmp(s, units[u].unit, ul) == 0) break;
        if (!units[u].unit) return -1;
        total += v * units[u].ms;
        s += ul;
    }
    return (long)total;
}

static bool in_cidr(const struct in_addr *a, const char *cidr)
{
    char net[64];
    const char *slash = strchr(cidr, '/');
    if (!slash || (size_t)(slash - cidr) >= sizeof net) return false;
    snprintf(net, sizeof net, "%.*s", (int)(slash - cidr), cidr);
    int bits = atoi(slash + 1);
    struct in_addr n;
    if (inet_pton(AF_INET, net, &n) != 1 || bits < 0 || bits > 32) return false;
    uint32_t mask = bits ? htonl(~0u << (32 - bits)) : 0;
    return (a->s_addr & mask) == (n.s_addr & mask);
}

char **ck_node_ips_in(const char *cidrs, size_t *n)
{
    struct ifaddrs *ifs, *i;
    char **out = NULL;
    *n = 0;
    if (!cidrs || getifaddrs(&ifs) < 0) return NULL;
    for (i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        struct in_addr *a = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
        char *list = strdup(cidrs), *save = NULL, ip[INET_ADDRSTRLEN];
        bool match = false;
        for (char *c = list ? strtok_r(list, ",", &save) : NULL; c && !match; c = strtok_r(NULL, ",", &save))
            match = in_cidr(a, c);
        free(list);
        char **grown = match ? realloc(out, (*n + 1) * sizeof *out) : NULL;
        if (!grown) continue;
        out = grown;
        inet_ntop(AF_INET, a, ip, sizeof ip);
        if ((out[*n] = strdup(ip))) (*n)++;
    }
    freeifaddrs(ifs);
    return out;
}

typedef struct proxy_server {
    ck_change_tracker *tracker;
    ck_runner *runner;
    ck_proxier *proxier;
    ck_healthz *healthz;
    ck_informer *svc_inf, *ep_inf;
} proxy_server;

/* The runner's function: apply pending changes, program the node. */
static int sync_proxy_rules(void *ud)
{
    proxy_server *s = ud;
    if (!ck_informer_has_synced(s->svc_inf) || !ck_informer_has_synced(s->ep_inf)) return 0;
    ck_proxy_state *st = ck_change_tracker_apply(s->tracker);
    if (!st) return -1;
    char err[1024];
    int rc = ck_proxier_sync(s->proxier, st, err, sizeof err);
    if (rc == 0) {
        ck_healthz_updated(s->healthz);
        ck_log(CK_LOG_DEBUG, "synced %zu service ports, %zu endpoint sets", st->nsvcs, st->neps);
    } else {
        ck_error("sync failed (retrying): %s", err);
    }
    ck_proxy_state_free(st);
    return rc;
}

static void changed(proxy_server *s, bool c)
{
    if (!c) return;
    ck_healthz_queued_update(s->healthz);
    ck_runner_run(s->runner);
}
static void svc_add(json_t *o, void *ud) { changed(ud, ck_change_tracker_on_service(((proxy_server *)ud)->tracker, NULL, o)); }
static void svc_upd(json_t *a, json_t *b, void *ud) { changed(ud, ck_change_tracker_on_service(((proxy_server *)ud)->tracker, a, b)); }
static void svc_del(json_t *o, void *ud) { changed(ud, ck_change_tracker_on_service(((proxy_server *)ud)->tracker, o, NULL)); }
static void ep_add(json_t *o, void *ud) { changed(ud, ck_change_tracker_on_endpoints(((proxy_server *)ud)->tracker, NULL, o)); }
static void ep_upd(json_t *a, json_t *b, void *ud) { changed(ud, ck_change_tracker_on_endpoints(((proxy_server *)ud)->tracker, a, b)); }
static void ep_del(json_t *o, void *ud) { changed(ud, ck_change_tracker_on_endpoints(((proxy_server *)ud)->tracker, o, NULL)); }

static ck_proxier *new_proxier(const ck_proxy_options *o, char *err, size_t errlen)
{
    size_t n = 0;
    char **ips = o->nodeport_addresses ? ck_node_ips_in(o->nodeport_addresses, &n) : NULL;
    if (o->nodeport_addresses && !n) ck_warn("no local address matches --nodeport-addresses=%s", o->nodeport_addresses);
    ck_proxier *p = NULL;
    if (strcmp(o->mode, "iptables") == 0) {
        ck_iptables_opts io = {.cluster_cidr = o->cluster_cidr, .masquerade_all = o->masquerade_all,
                               .random_fully = true, .localhost_nodeports = true,
                               .nodeport_ips = (const char *const *)ips, .n_nodeport_ips = n};
        p = ck_iptables_proxier_new(&io, err, errlen);
    } else if (strcmp(o->mode, "userspace") == 0) {
        ck_userspace_opts uo = {.bind_cluster_ips = true, .nodeport_address = n == 1 ? ips[0] : NULL};
        p = ck_userspace_proxier_new(&uo, err, errlen);
    } else {
        snprintf(err, errlen, "--proxy-mode: want iptables or userspace, got %s", o->mode);
    }
    if (strcmp(o->mode, "userspace") != 0 || n != 1 || !p) {
        for (size_t i = 0; i < n; i++) free(ips[i]);
        free(ips);
    } /* else: ips[0] is borrowed by the userspace proxier for the process lifetime */
    return p;
}

static ck_informer *informer(ck_rest *rest, const char *resource, const ck_informer_handlers *h,
                             char *err, size_t errlen)
{
    ck_informer_opts io = {.group = "", .version = "v1", .resource = resource};
    ck_informer *inf = ck_informer_new(rest, &io, h, err, errlen);
    if (inf && ck_informer_start(inf) < 0) {
        snprintf(err, errlen, "cannot start the %s informer", resource);
        ck_informer_free(inf);
        return NULL;
    }
    return inf;
}

int ck_proxy_run(const ck_proxy_options *o, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    proxy_server s = {0};
    ck_rest_config cfg;
    ck_rest *rest = NULL;
    int rc = -1;
    char node[256] = "";
    if (o->hostname_override) snprintf(node, sizeof node, "%s", o->hostname_override);
    else gethostname(node, sizeof node - 1);
    if (o->kubeconfig ? ck_rest_config_from_kubeconfig(&cfg, o->kubeconfig, NULL, err, errlen) < 0
                      : ck_rest_config_from_url(&cfg, o->master) < 0) {
        if (!o->kubeconfig) snprintf(err, errlen, "bad --master");
        return -1;
    }
    if (o->master && o->kubeconfig) {  /* --master overrides the kubeconfig's server, as upstream */
        free(cfg.server);
        cfg.server = strdup(o->master);
    }
    ck_rest_config_set_agent(&cfg, "kube-proxy");
    rest = ck_rest_new(&cfg, err, errlen);
    ck_rest_config_clear(&cfg);
    if (!rest) return -1;
    if (!(s.proxier = new_proxier(o, err, errlen))) goto out;
    if (!(s.tracker = ck_change_tracker_new())) { snprintf(err, errlen, "out of memory"); goto out; }
    if (!(s.healthz = ck_healthz_new(o->healthz_port, node, 2 * o->sync_ms, err, (unsigned)errlen))) goto out;
    if (!(s.runner = ck_runner_new(sync_proxy_rules, &s, o->min_sync_ms, o->sync_ms, 1000))) goto out;
    ck_informer_handlers sh = {svc_add, svc_upd, svc_del, &s}, eh = {ep_add, ep_upd, ep_del, &s};
    if (!(s.svc_inf = informer(rest, "services", &sh, err, errlen))) goto out;
    if (!(s.ep_inf = informer(rest, "endpoints", &eh, err, errlen))) goto out;
    if (ck_runner_start(s.runner) < 0) { snprintf(err, errlen, "cannot start the sync runner"); goto out; }
    ck_info("kube-proxy (%s mode) on node %s watching %s", s.proxier->ops->name, node,
            o->master ? o->master : o->kubeconfig);
    bool first = false;
    while (!*stop) {
        if (!first && ck_informer_has_synced(s.svc_inf) && ck_informer_has_synced(s.ep_inf)) {
            first = true;  /* the initial sync, once both caches are full */
            ck_runner_run(s.runner);
        }
        usleep(200 * 1000);
    }
    rc = 0;
out:
    ck_informer_free(s.svc_inf);
    ck_informer_free(s.ep_inf);
    ck_runner_free(s.runner);
    ck_proxier_free(s.proxier);
    ck_healthz_free(s.healthz);
    ck_change_tracker_free(s.tracker);
    ck_rest_free(rest);
    return rc;
}
