/* host.c: node hosts as network namespaces on a root-namespace bridge, built
 * with iproute2 (`ip netns`, `ip link ... type veth/bridge`, `ip route`). */
#include "node/host.h"
#include "node/cidr.h"
#include "node/cmd.h"
#include <stdio.h>
#include <string.h>

static const char *cluster_of(const char *c) { return c && *c ? c : "ckube"; }

/* FNV-1a: short, stable interface names (IFNAMSIZ is 16) per cluster. */
static unsigned hash24(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h & 0xffffff;
}

static void bridge_name(const char *cluster, char out[16])
{
    snprintf(out, 16, "ckbr%06x", hash24(cluster_of(cluster)));
}

int ck_node_host_names(const ck_node_host_config *cfg, ck_node_host *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *cl = cluster_of(cfg->cluster);
    ck_cidr net;
    if (ck_cidr_parse(cfg->node_cidr ? cfg->node_cidr : CK_NODE_CIDR_DEFAULT, &net) < 0) {
        snprintf(err, errlen, "invalid node CIDR %s", cfg->node_cidr);
        return -1;
    }
    if (cfg->index < 0 || cfg->index > 99999 ||
        ck_cidr_nth(&net, (uint32_t)cfg->index + 2, out->node_ip, sizeof out->node_ip) < 0 ||
        (uint64_t)cfg->index + 3 >= ck_cidr_size(&net)) {
        snprintf(err, errlen, "node index %d does not fit the node network", cfg->index);
        return -1;
    }
    ck_cidr pods;
    if (cfg->pod_cidr && ck_cidr_parse(cfg->pod_cidr, &pods) < 0) {
        snprintf(err, errlen, "invalid pod CIDR %s", cfg->pod_cidr);
        return -1;
    }
    ck_cidr_nth(&net, 1, out->gateway, sizeof out->gateway);
    snprintf(out->netns, sizeof out->netns, "ckube-%s-n%d", cl, cfg->index);
    bridge_name(cl, out->bridge);
    snprintf(out->veth, sizeof out->veth, "ck%06xn%d", hash24(cl), cfg->index);
    snprintf(out->pod_cidr, sizeof out->pod_cidr, "%s", cfg->pod_cidr ? cfg->pod_cidr : "");
    out->prefix = net.prefix;
    return 0;
}

static int ensure_bridge(const ck_node_host *h, char *err, size_t errlen)
{
    char addr[40];
    snprintf(addr, sizeof addr, "%s/%d", h->gateway, h->prefix);
    if (ck_cmd(NULL, 0, "ip", "link", "show", h->bridge, NULL) != 0 &&
        ck_cmd(err, errlen, "ip", "link", "add", h->bridge, "type", "bridge", NULL) != 0)
        return -1;
    if (ck_cmd(err, errlen, "ip", "addr", "replace", addr, "dev", h->bridge, NULL) != 0 ||
        ck_cmd(err, errlen, "ip", "link", "set", h->bridge, "up", NULL) != 0)
        return -1;
    return ck_cmd(err, errlen, "sysctl", "-qw", "net.ipv4.ip_forward=1", NULL) ? -1 : 0;
}

int ck_node_host_create(const ck_node_host_config *cfg, ck_node_host *out, char *err, size_t errlen)
{
    if (ck_node_host_names(cfg, out, err, errlen) < 0) return -1;
    ck_node_host_destroy(cfg, NULL, 0);
    if (ensure_bridge(out, err, errlen) < 0) return -1;
    char addr[40];
    snprintf(addr, sizeof addr, "%s/%d", out->node_ip, out->prefix);
    const char *ns = out->netns;
    /* Each step is data: the argv of one iproute2 call. */
    const char *const steps[][16] = {
        {"ip", "netns", "add", ns},
        {"ip", "link", "add", out->veth, "type", "veth", "peer", "name", "eth0", "netns", ns},
        {"ip", "link", "set", out->veth, "master", out->bridge},
        {"ip", "link", "set", out->veth, "up"},
        {"ip", "-n", ns, "link", "set", "lo", "up"},
        {"ip", "-n", ns, "addr", "add", addr, "dev", "eth0"},
        {"ip", "-n", ns, "link", "set", "eth0", "up"},
        {"ip", "-n", ns, "route", "add", "default", "via", out->gateway},
        {"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (ck_cmd_run(steps[i], err, errlen) != 0) goto fail;
    if (out->pod_cidr[0] &&
        ck_cmd(err, errlen, "ip", "route", "replace", out->pod_cidr, "via", out->node_ip, NULL) != 0)
        goto fail;
    return 0;
fail:
    ck_node_host_destroy(cfg, NULL, 0);
    return -1;
}

int ck_node_host_destroy(const ck_node_host_config *cfg, char *err, size_t errlen)
{
    ck_node_host h;
    if (ck_node_host_names(cfg, &h, err, errlen) < 0) return -1;
    if (h.pod_cidr[0]) ck_cmd(NULL, 0, "ip", "route", "del", h.pod_cidr, "via", h.node_ip, NULL);
    if (ck_cmd(NULL, 0, "ip", "link", "show", h.veth, NULL) == 0 &&
        ck_cmd(err, errlen, "ip", "link", "del", h.veth, NULL) != 0)
        return -1;
    if (ck_cmd(NULL, 0, "ip", "netns", "pids", h.netns, NULL) == 0 &&
        ck_cmd(err, errlen, "ip", "netns", "del", h.netns, NULL) != 0)
        return -1;
    return 0;
}

int ck_node_host_network_destroy(const char *cluster, char *err, size_t errlen)
{
    char br[16];
    bridge_name(cluster, br);
    if (ck_cmd(NULL, 0, "ip", "link", "show", br, NULL) != 0) return 0;
    return ck_cmd(err, errlen, "ip", "link", "del", br, NULL) ? -1 : 0;
}
