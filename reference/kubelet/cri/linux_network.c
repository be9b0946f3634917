/* linux_network.c: pod networking for the linux runtime, as the CNI
 * "bridge" + "host-local" plugins do it: a per-node bridge holding the
 * podCIDR's first address, one network namespace per sandbox with a veth
 * into the bridge, an address from the podCIDR, a default route via the bridge. */
#include <stdio.h>
#include <string.h>
#include "kubelet/cri/linux_internal.h"
#include "node/cmd.h"

static int ensure_bridge(lx_runtime *rt, char *err, size_t errlen)
{
    if (rt->net_ready) return 0;
    char addr[40];
    snprintf(addr, sizeof addr, "%s/%d", rt->gateway, rt->pods.prefix);
    if (ck_cmd(NULL, 0, "ip", "link", "show", rt->bridge, NULL) != 0 &&
        ck_cmd(err, errlen, "ip", "link", "add", rt->bridge, "type", "bridge", NULL) != 0)
        return -1;
    if (ck_cmd(err, errlen, "ip", "addr", "replace", addr, "dev", rt->bridge, NULL) != 0 ||
        ck_cmd(err, errlen, "ip", "link", "set", rt->bridge, "up", NULL) != 0)
        return -1;
    ck_cmd(NULL, 0, "sysctl", "-qw", "net.ipv4.ip_forward=1", NULL);
    rt->net_ready = true;
    return 0;
}

/* host-local IPAM: the lowest free address after the gateway. Caller holds rt->mu. */
static int allocate_ip(lx_runtime *rt, lx_sandbox *s, char *err, size_t errlen)
{
    for (size_t i = 2; i + 1 < rt->ip_slots; i++)
        if (!rt->ip_used[i]) {
            rt->ip_used[i] = 1;
            s->ip_index = (int)i;
            ck_cidr_nth(&rt->pods, (uint32_t)i, s->ip, sizeof s->ip);
            return 0;
        }
    snprintf(err, errlen, "failed to allocate for range 0: no IP addresses available in range set");
    return -1;
}

int lx_net_setup(lx_runtime *rt, lx_sandbox *s, char *err, size_t errlen)
{
    pthread_mutex_lock(&rt->mu);
    int rc = ensure_bridge(rt, err, errlen);
    if (rc == 0) rc = allocate_ip(rt, s, err, errlen);
    pthread_mutex_unlock(&rt->mu);
    if (rc < 0) return -1;
    snprintf(s->netns, sizeof s->netns, "ckp-%.32s", s->id);
    snprintf(s->veth, sizeof s->veth, "vck%.10s", s->id);
    char addr[64];
    snprintf(addr, sizeof addr, "%s/%d", s->ip, rt->pods.prefix);
    const char *ns = s->netns;
    const char *const steps[][16] = {
        {"ip", "netns", "add", ns},
        {"ip", "link", "add", s->veth, "type", "veth", "peer", "name", "eth0", "netns", ns},
        {"ip", "link", "set", s->veth, "master", rt->bridge},
        {"ip", "link", "set", s->veth, "up"},
        {"ip", "-n", ns, "link", "set", "lo", "up"},
        {"ip", "-n", ns, "addr", "add", addr, "dev", "eth0"},
        {"ip", "-n", ns, "link", "set", "eth0", "up"},
        {"ip", "-n", ns, "route", "add", "default", "via", rt->gateway},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (ck_cmd_run(steps[i], err, errlen) != 0) {
            lx_net_teardown(rt, s);
            return -1;
        }
    return 0;
}

void lx_net_teardown(lx_runtime *rt, lx_sandbox *s)
{
    if (s->veth[0] && ck_cmd(NULL, 0, "ip", "link", "show", s->veth, NULL) == 0)
        ck_cmd(NULL, 0, "ip", "link", "del", s->veth, NULL);
    if (s->netns[0]) ck_cmd(NULL, 0, "ip", "netns", "del", s->netns, NULL);
    pthread_mutex_lock(&rt->mu);
    if (s->ip_index > 0 && (size_t)s->ip_index < rt->ip_slots) rt->ip_used[s->ip_index] = 0;
    pthread_mutex_unlock(&rt->mu);
    s->ip_index = 0;
    s->veth[0] = 0;
    s->netns[0] = 0;
}
