/* local.c: the local cloud provider's config, instances (network-namespace
 * hosts of `ckube up`, plus an optional state file), zones and routes (root
 * namespace routes to node podCIDRs, marked with their own protocol number). */
#define _GNU_SOURCE
#include "cloud-controller-manager/providers/local_internal.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "node/cmd.h"
#include "node/host.h"
#include "util/ckjson.h"

#define MAX_HOSTS 253  /* host.h: index 0..252 */

/* One instance as the provider sees it. */
typedef struct local_instance {
    int index;                 /* host index, -1 for state-file instances */
    char name[200];            /* netns name, or the state file's node name */
    char ip[64];
    char zone[64];
    bool exists, shutdown;
} local_instance;

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

/* Config rows: key -> setter (data, walked by parse_config). */
static int set_str(char *dst, size_t n, const char *v) { return snprintf(dst, n, "%s", v) < (int)n ? 0 : -1; }
static int parse_kv(ck_local_cloud *lc, const char *k, const char *v)
{
    if (!strcmp(k, "cluster")) return set_str(lc->cluster, sizeof lc->cluster, v);
    if (!strcmp(k, "node-cidr")) return set_str(lc->node_cidr, sizeof lc->node_cidr, v);
    if (!strcmp(k, "region")) return set_str(lc->region, sizeof lc->region, v);
    if (!strcmp(k, "zones")) return (lc->zones = atoi(v)) > 0 && lc->zones <= 26 ? 0 : -1;
    if (!strcmp(k, "netns-dir")) return set_str(lc->netns_dir, sizeof lc->netns_dir, v);
    if (!strcmp(k, "instances-file")) return set_str(lc->instances_file, sizeof lc->instances_file, v);
    if (!strcmp(k, "lb-pool")) return set_str(lc->pool_str, sizeof lc->pool_str, v);
    if (!strcmp(k, "dry-run")) return lc->dry_run = !strcmp(v, "true"), 0;
    return -1;
}

static int parse_config(ck_local_cloud *lc, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read cloud config %s", path);
        return -1;
    }
    char line[1200];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *s = trim(line), *eq = strchr(s, '=');
        if (!*s) continue;
        if (eq) *eq = 0;
        if (!eq || parse_kv(lc, trim(s), trim(eq + 1)) < 0) {
            snprintf(err, errlen, "%s:%d: invalid setting", path, lineno);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}

static int local_init(const ck_cloud_config *cfg, void **self, char *err, size_t errlen)
{
    ck_local_cloud *lc = calloc(1, sizeof *lc);
    if (!lc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_mutex_init(&lc->mu, NULL);
    set_str(lc->cluster, sizeof lc->cluster, "ckube");
    set_str(lc->node_cidr, sizeof lc->node_cidr, CK_NODE_CIDR_DEFAULT);
    set_str(lc->region, sizeof lc->region, "local");
    lc->zones = 1;
    set_str(lc->netns_dir, sizeof lc->netns_dir, "/run/netns");
    set_str(lc->pool_str, sizeof lc->pool_str, CK_LOCAL_LB_POOL_DEFAULT);
    if (cfg->config_file && parse_config(lc, cfg->config_file, err, errlen) < 0) goto fail;
    if (cfg->lb_pool && *cfg->lb_pool) set_str(lc->pool_str, sizeof lc->pool_str, cfg->lb_pool);
    ck_cidr nc;
    if (ck_cidr_parse(lc->pool_str, &lc->pool) < 0 || lc->pool.prefix > 30) {
        snprintf(err, errlen, "invalid --lb-pool %s (an IPv4 CIDR of /30 or larger)", lc->pool_str);
        goto fail;
    }
    if (ck_cidr_parse(lc->node_cidr, &nc) < 0) {
        snprintf(err, errlen, "invalid node-cidr %s", lc->node_cidr);
        goto fail;
    }
    *self = lc;
    return 0;
fail:
    pthread_mutex_destroy(&lc->mu);
    free(lc);
    return -1;
}

static void local_destroy(void *self)
{
    ck_local_cloud *lc = self;
    if (!lc) return;
    ck_local_lb_cleanup(lc);
    pthread_mutex_destroy(&lc->mu);
    free(lc);
}

static bool host_names(const ck_local_cloud *lc, int i, ck_node_host *h)
{
    char err[128];
    ck_node_host_config hc = {.cluster = lc->cluster, .index = i, .node_cidr = lc->node_cidr};
    return ck_node_host_names(&hc, h, err, sizeof err) == 0;
}

/* Shutdown = the root end of the host's veth is administratively down. */
static bool veth_down(const char *veth)
{
    char path[128], state[32] = "";
    snprintf(path, sizeof path, "/sys/class/net/%s/operstate", veth);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    if (!fgets(state, sizeof state, f)) state[0] = 0;
    fclose(f);
    return !strcmp(trim(state), "down");
}

/* The state file: "<node-name> <ip> <zone> running|shutdown" per line. */
static bool from_state_file(const ck_local_cloud *lc, const char *node, const char *ip, local_instance *out)
{
    if (!lc->instances_file[0]) return false;
    FILE *f = fopen(lc->instances_file, "r");
    if (!f) return false;
    char line[512], name[200], addr[64], zone[64], state[32];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%199s %63s %63s %31s", name, addr, zone, state) != 4) continue;
        if (strcmp(name, node) && !(ip && !strcmp(addr, ip))) continue;
        found = true;
        out->index = -1;
        snprintf(out->name, sizeof out->name, "%s", name);
        snprintf(out->ip, sizeof out->ip, "%s", addr);
        snprintf(out->zone, sizeof out->zone, "%s", zone);
        out->exists = true;
        out->shutdown = !strcmp(state, "shutdown");
    }
    fclose(f);
    return found;
}

/* Finds the instance behind a Node: state file (name or IP), then providerID
 * "local://<netns>", then the InternalIP against each host's node IP, then
 * the node name equal to a netns name. false when none matches. */
static bool find_instance(ck_local_cloud *lc, const json_t *node, local_instance *out)
{
    memset(out, 0, sizeof *out);
    const char *name = ck_json_str(node, "metadata.name", "");
    const char *pid = ck_json_str(node, "spec.providerID", "");
    const char *ip = ck_cloud_node_address(node, "InternalIP");
    if (from_state_file(lc, name, ip, out)) return true;
    const char *want = !strncmp(pid, "local://", 8) ? pid + 8 : NULL;
    for (int i = 0; i < MAX_HOSTS; i++) {
        ck_node_host h;
        if (!host_names(lc, i, &h)) break;
        if (!(want ? !strcmp(want, h.netns) : (ip && !strcmp(ip, h.node_ip)) || !strcmp(name, h.netns)))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", lc->netns_dir, h.netns);
        out->index = i;
        snprintf(out->name, sizeof out->name, "%s", h.netns);
        snprintf(out->ip, sizeof out->ip, "%s", h.node_ip);
        snprintf(out->zone, sizeof out->zone, "%s-%c", lc->region, 'a' + i % lc->zones);
        out->exists = access(path, F_OK) == 0;
        out->shutdown = out->exists && veth_down(h.veth);
        return true;
    }
    return false;
}

static int local_exists(void *self, const json_t *node, bool *exists, char *err, size_t errlen)
{
    local_instance in;
    if (find_instance(self, node, &in)) {
        *exists = in.exists;
    } else {
        /* a Node that maps to no host was never ours (a kubelet outside any
         * netns host): only one we named, local://..., can have vanished */
        *exists = strncmp(ck_json_str(node, "spec.providerID", ""), "local://", 8) != 0;
    }
    return 0;
}

static int local_shutdown(void *self, const json_t *node, bool *shutdown, char *err, size_t errlen)
{
    local_instance in;
    *shutdown = find_instance(self, node, &in) && in.exists && in.shutdown;
    return 0;
}

static int local_metadata(void *self, const json_t *node, ck_instance_metadata *md, char *err, size_t errlen)
{
    ck_local_cloud *lc = self;
    local_instance in;
    if (!find_instance(lc, node, &in) || !in.exists) {
        snprintf(err, errlen, "instance not found");  /* cloudprovider.InstanceNotFound */
        return -1;
    }
    if (in.index >= 0) snprintf(md->provider_id, sizeof md->provider_id, "local://%s", in.name);
    else snprintf(md->provider_id, sizeof md->provider_id, "local://file/%s", in.name);
    snprintf(md->instance_type, sizeof md->instance_type, in.index >= 0 ? "netns" : "static");
    snprintf(md->zone, sizeof md->zone, "%s", in.zone);
    snprintf(md->region, sizeof md->region, "%s", lc->region);
    ck_instance_add_address(md, "InternalIP", in.ip);
    ck_instance_add_address(md, "Hostname", ck_json_str(node, "metadata.name", ""));
    return 0;
}

static int zone_of(ck_local_cloud *lc, const json_t *node, ck_zone *z, char *err, size_t errlen)
{
    local_instance in;
    if (!find_instance(lc, node, &in)) {
        snprintf(err, errlen, "instance not found");
        return -1;
    }
    snprintf(z->failure_domain, sizeof z->failure_domain, "%s", in.zone);
    snprintf(z->region, sizeof z->region, "%s", lc->region);
    return 0;
}

static int local_zone_by_pid(void *self, const char *pid, ck_zone *z, char *err, size_t errlen)
{
    json_t *n = json_pack("{s:{s:s}}", "spec", "providerID", pid);
    int rc = n ? zone_of(self, n, z, err, errlen) : -1;
    json_decref(n);
    return rc;
}

static int local_zone_by_name(void *self, const char *name, ck_zone *z, char *err, size_t errlen)
{
    json_t *n = json_pack("{s:{s:s}}", "metadata", "name", name);
    int rc = n ? zone_of(self, n, z, err, errlen) : -1;
    json_decref(n);
    return rc;
}

/* ListRoutes: `ip -4 -o route show proto 199`, one "<cidr> via <ip> ..." a line. */
static int local_routes_list(void *self, const char *cluster, ck_route **routes, size_t *n, char *err,
                             size_t errlen)
{
    ck_local_cloud *lc = self;
    *routes = NULL;
    *n = 0;
    if (lc->dry_run) return 0;
    FILE *p = popen("ip -4 -o route show proto " CK_LOCAL_ROUTE_PROTO " 2>/dev/null", "r");
    if (!p) {
        snprintf(err, errlen, "cannot run ip route");
        return -1;
    }
    char line[512];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, p)) {
        char a[64] = "", b[64] = "", c[64] = "";
        if (sscanf(line, "%63s %63s %63s", a, b, c) < 1) continue;
        ck_route r = {0};
        r.blackhole = !strcmp(a, "blackhole");
        snprintf(r.destination_cidr, sizeof r.destination_cidr, "%s", r.blackhole ? b : a);
        if (!strchr(r.destination_cidr, '/')) strncat(r.destination_cidr, "/32", sizeof r.destination_cidr - strlen(r.destination_cidr) - 1);
        snprintf(r.name, sizeof r.name, "%s", r.destination_cidr);
        if (!r.blackhole && !strcmp(b, "via")) {
            snprintf(r.target_addresses[0].type, sizeof r.target_addresses[0].type, "InternalIP");
            snprintf(r.target_addresses[0].address, sizeof r.target_addresses[0].address, "%s", c);
            r.n_target_addresses = 1;
        }
        ck_route *g = realloc(*routes, (*n + 1) * sizeof *g);
        if (!g) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        } else {
            g[(*n)++] = r;
            *routes = g;
        }
    }
    pclose(p);
    if (rc < 0) {
        free(*routes);
        *routes = NULL;
        *n = 0;
    }
    return rc;
}

static int local_route_create(void *self, const char *cluster, const char *hint, const ck_route *r, char *err,
                              size_t errlen)
{
    const char *via = NULL;
    for (size_t i = 0; i < r->n_target_addresses && !via; i++)
        if (!strcmp(r->target_addresses[i].type, "InternalIP")) via = r->target_addresses[i].address;
    if (!via) {
        snprintf(err, errlen, "node %s has no InternalIP", r->target_node);
        return -1;
    }
    const char *argv[] = {"ip", "route", "replace", r->destination_cidr, "via", via, "proto",
                          CK_LOCAL_ROUTE_PROTO, NULL};
    return ck_local_run(self, argv, err, errlen);
}

static int local_route_delete(void *self, const char *cluster, const ck_route *r, char *err, size_t errlen)
{
    const char *argv[] = {"ip", "route", "del", r->destination_cidr, "proto", CK_LOCAL_ROUTE_PROTO, NULL};
    return ck_local_run(self, argv, err, errlen);
}

int ck_local_run(ck_local_cloud *lc, const char *const argv[], char *err, size_t errlen)
{
    if (lc->dry_run) return 0;
    return ck_cmd_run(argv, err, errlen) == 0 ? 0 : -1;
}

static const ck_cloud_instances local_instances = {local_exists, local_shutdown, local_metadata};
static const ck_cloud_routes local_routes = {local_routes_list, local_route_create, local_route_delete};
static const ck_cloud_zones local_zones = {local_zone_by_pid, local_zone_by_name};

const ck_cloud_ops ck_cloud_local_ops = {
    .name = "local", .init = local_init, .destroy = local_destroy, .instances = &local_instances,
    .load_balancer = &ck_local_lb_ops, .routes = &local_routes, .zones = &local_zones,
};
