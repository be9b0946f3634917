/* linux_network.c: pod networking for the linux runtime, as the CNI
 * "bridge" + "host-local" plugins do it: a per-node bridge holding the
 * podCIDR's first address, one network namespace per sandbox with a veth
 * into the bridge, an address from the podCIDR, a default route via the bridge.
 * Spoken in rtnetlink directly (what `ip` would send), without a process per
 * step: a pod's network is a handful of syscalls instead of 8 execs of ip. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kubelet/cri/linux_internal.h"

/* iproute2's NETNS_RUN_DIR: `ip netns` and the shim find namespaces there. */
#define NETNS_RUN_DIR "/run/netns"
#define NL_BUF 1024

/* ---- a minimal rtnetlink client ---------------------------------------- */

typedef struct nl_msg {
    union { struct nlmsghdr h; char buf[NL_BUF]; };
} nl_msg;

static void *nl_tail(nl_msg *m) { return m->buf + NLMSG_ALIGN(m->h.nlmsg_len); }

static struct nlmsghdr *nl_start(nl_msg *m, int type, int flags, const void *payload, size_t len)
{
    memset(m, 0, sizeof *m);
    m->h.nlmsg_type = (unsigned short)type;
    m->h.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
    m->h.nlmsg_len = (unsigned)NLMSG_LENGTH(len);
    memcpy(NLMSG_DATA(&m->h), payload, len);
    return &m->h;
}

/* Appends an attribute; the buffer is sized for the largest request below. */
static struct rtattr *nl_attr(nl_msg *m, int type, const void *data, size_t len)
{
    struct rtattr *a = nl_tail(m);
    a->rta_type = (unsigned short)type;
    a->rta_len = (unsigned short)RTA_LENGTH(len);
    if (len) memcpy(RTA_DATA(a), data, len);
    m->h.nlmsg_len = NLMSG_ALIGN(m->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
    return a;
}

static void nl_str(nl_msg *m, int type, const char *s) { nl_attr(m, type, s, strlen(s) + 1); }
static void nl_u32(nl_msg *m, int type, uint32_t v) { nl_attr(m, type, &v, sizeof v); }
static void nl_nest_end(nl_msg *m, struct rtattr *nest) { nest->rta_len = (unsigned short)((char *)nl_tail(m) - (char *)nest); }

/* Sends one request and reads its ack: 0, or -errno. On a GETLINK the
 * reply's interface index goes to *ifindex. */
static int nl_talk(int fd, nl_msg *m, int *ifindex)
{
    static __thread unsigned seq;
    m->h.nlmsg_seq = ++seq;
    struct sockaddr_nl k = {.nl_family = AF_NETLINK};
    if (sendto(fd, m->buf, m->h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof k) < 0) return -errno;
    char rbuf[16384];
    for (;;) {
        ssize_t n = recv(fd, rbuf, sizeof rbuf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -errno;
        for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != m->h.nlmsg_seq) continue;
            if (h->nlmsg_type == NLMSG_ERROR) return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
            if (h->nlmsg_type == RTM_NEWLINK && ifindex) *ifindex = ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
        }
    }
}

static int nl_open(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl a = {.nl_family = AF_NETLINK};
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* "<what>: <strerror>" into err, as `ip` reports it; returns -1. */
static int nl_fail(char *err, size_t errlen, int rc, const char *fmt, const char *arg)
{
    char what[160];
    snprintf(what, sizeof what, fmt, arg);
    snprintf(err, errlen, "%s: %s", what, strerror(rc < 0 ? -rc : rc));
    return -1;
}

/* ---- links, addresses, routes ------------------------------------------ */

static int link_index(int fd, const char *name)
{
    nl_msg m;
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    nl_start(&m, RTM_GETLINK, 0, &ifi, sizeof ifi);
    nl_str(&m, IFLA_IFNAME, name);
    int idx = 0, rc = nl_talk(fd, &m, &idx);
    return rc < 0 ? rc : idx > 0 ? idx : -ENODEV;
}

/* `ip link set <index> [master <master>] up` */
static int link_up(int fd, int index, int master)
{
    nl_msg m;
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
    nl_start(&m, RTM_NEWLINK, 0, &ifi, sizeof ifi);
    if (master > 0) nl_u32(&m, IFLA_MASTER, (uint32_t)master);
    return nl_talk(fd, &m, NULL);
}

/* `ip link add <name> type <kind>`, or a veth whose peer <peer> lands in netns_fd. */
static int link_add(int fd, const char *name, const char *kind, const char *peer, int netns_fd)
{
    nl_msg m;
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    nl_start(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof ifi);
    nl_str(&m, IFLA_IFNAME, name);
    struct rtattr *info = nl_attr(&m, IFLA_LINKINFO, NULL, 0);
    nl_str(&m, IFLA_INFO_KIND, kind);
    if (peer) {
        struct rtattr *data = nl_attr(&m, IFLA_INFO_DATA, NULL, 0);
        struct rtattr *p = nl_attr(&m, VETH_INFO_PEER, &ifi, sizeof ifi); /* peer's ifinfomsg, then its attributes */
        nl_str(&m, IFLA_IFNAME, peer);
        nl_u32(&m, IFLA_NET_NS_FD, (uint32_t)netns_fd);
        nl_nest_end(&m, p);
        nl_nest_end(&m, data);
    }
    nl_nest_end(&m, info);
    return nl_talk(fd, &m, NULL);
}

static int link_del(int fd, const char *name)
{
    nl_msg m;
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    nl_start(&m, RTM_DELLINK, 0, &ifi, sizeof ifi);
    nl_str(&m, IFLA_IFNAME, name);
    return nl_talk(fd, &m, NULL);
}

/* `ip addr replace|add <addr>/<prefix> dev <index>` (IPv4) */
static int addr_add(int fd, int index, const char *addr, int prefix, bool replace)
{
    nl_msg m;
    struct in_addr a;
    if (inet_pton(AF_INET, addr, &a) != 1) return -EINVAL;
    struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = (unsigned char)prefix,
                            .ifa_scope = RT_SCOPE_UNIVERSE, .ifa_index = (unsigned)index};
    nl_start(&m, RTM_NEWADDR, NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL), &ifa, sizeof ifa);
    nl_attr(&m, IFA_LOCAL, &a, sizeof a);
    nl_attr(&m, IFA_ADDRESS, &a, sizeof a);
    return nl_talk(fd, &m, NULL);
}

/* `ip route add default via <gw>` */
static int default_route(int fd, const char *gw)
{
    nl_msg m;
    struct in_addr a;
    if (inet_pton(AF_INET, gw, &a) != 1) return -EINVAL;
    struct rtmsg rt = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
                       .rtm_scope = RT_SCOPE_UNIVERSE, .rtm_type = RTN_UNICAST};
    nl_start(&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof rt);
    nl_attr(&m, RTA_GATEWAY, &a, sizeof a);
    return nl_talk(fd, &m, NULL);
}

/* ---- named network namespaces (iproute2's ip/ipnetns.c) ---------------- */

/* netns_add: /run/netns made a shared mount point (bound onto itself the
 * first time), an empty file, a new namespace bind-mounted onto it. The
 * calling thread alone enters the namespace (unshare) and comes back; the
 * returned socket (or -errno) stays bound to the new namespace, as does *ns_fd. */
static int netns_add(const char *path, int *ns_fd)
{
    if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) return -errno;
    bool bound = false;
    while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
        if (errno != EINVAL || bound) return -errno;
        if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0) return -errno;
        bound = true;
    }
    int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) return -errno;
    close(fd);
    int host = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), rc = 0, nl = -1;
    if (host < 0 || unshare(CLONE_NEWNET) < 0) rc = -errno;
    else {
        if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) rc = -errno;
        else if ((*ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) rc = -errno;
        else if ((nl = nl_open()) < 0) rc = -errno;
        /* Back to the node's namespace; a worker thread must never stay behind. */
        if (setns(host, CLONE_NEWNET) < 0) {
            rc = -errno;
            if (nl >= 0) close(nl);
            nl = -1;
        }
    }
    if (host >= 0) close(host);
    if (rc < 0) {
        if (*ns_fd >= 0) close(*ns_fd);
        *ns_fd = -1;
        umount2(path, MNT_DETACH);
        unlink(path);
        return rc;
    }
    return nl;
}

static void netns_del(const char *path)
{
    umount2(path, MNT_DETACH);
    unlink(path);
}

/* ---- the pod network ---------------------------------------------------- */

static int ensure_bridge(lx_runtime *rt, int fd, char *err, size_t errlen)
{
    if (rt->net_ready) return 0;
    int rc = link_add(fd, rt->bridge, "bridge", NULL, -1), idx = 0;
    if (rc < 0 && rc != -EEXIST) return nl_fail(err, errlen, rc, "ip link add %s type bridge", rt->bridge);
    if ((idx = link_index(fd, rt->bridge)) < 0) return nl_fail(err, errlen, idx, "ip link show %s", rt->bridge);
    if ((rc = addr_add(fd, idx, rt->gateway, rt->pods.prefix, true)) < 0)
        return nl_fail(err, errlen, rc, "ip addr replace %s", rt->gateway);
    if ((rc = link_up(fd, idx, 0)) < 0) return nl_fail(err, errlen, rc, "ip link set %s up", rt->bridge);
    int f = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
    if (f >= 0) {
        if (write(f, "1", 1) < 0) { /* best effort, as the CNI plugin's ipMasq-less setup */ }
        close(f);
    }
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

/* Inside the pod's namespace (socket pod): lo and eth0 up, the address, the default route. */
static int configure_pod(lx_runtime *rt, lx_sandbox *s, int pod, char *err, size_t errlen)
{
    int rc, eth0 = link_index(pod, "eth0");
    if (eth0 < 0) return nl_fail(err, errlen, eth0, "ip -n %s link show eth0", s->netns);
    if ((rc = link_up(pod, 1, 0)) < 0) return nl_fail(err, errlen, rc, "ip -n %s link set lo up", s->netns);
    if ((rc = addr_add(pod, eth0, s->ip, rt->pods.prefix, false)) < 0)
        return nl_fail(err, errlen, rc, "ip -n %s addr add dev eth0", s->netns);
    if ((rc = link_up(pod, eth0, 0)) < 0) return nl_fail(err, errlen, rc, "ip -n %s link set eth0 up", s->netns);
    if ((rc = default_route(pod, rt->gateway)) < 0)
        return nl_fail(err, errlen, rc, "ip -n %s route add default", s->netns);
    return 0;
}

static int setup(lx_runtime *rt, lx_sandbox *s, int host, char *err, size_t errlen)
{
    char path[128];
    snprintf(path, sizeof path, NETNS_RUN_DIR "/%s", s->netns);
    int ns_fd = -1, pod = netns_add(path, &ns_fd), rc;
    if (pod < 0) return nl_fail(err, errlen, pod, "ip netns add %s", s->netns);
    rc = link_add(host, s->veth, "veth", "eth0", ns_fd);
    if (rc < 0) nl_fail(err, errlen, rc, "ip link add %s type veth peer name eth0", s->veth);
    else {
        int idx = link_index(host, s->veth), br = link_index(host, rt->bridge);
        if (idx < 0 || br < 0) rc = nl_fail(err, errlen, idx < 0 ? idx : br, "ip link show %s", idx < 0 ? s->veth : rt->bridge);
        else if ((rc = link_up(host, idx, br)) < 0) nl_fail(err, errlen, rc, "ip link set %s master up", s->veth);
        else rc = configure_pod(rt, s, pod, err, errlen);
    }
    close(ns_fd);
    close(pod);
    return rc < 0 ? -1 : 0;
}

int lx_net_setup(lx_runtime *rt, lx_sandbox *s, char *err, size_t errlen)
{
    int host = nl_open();
    if (host < 0) return nl_fail(err, errlen, -errno, "%s", "netlink socket");
    pthread_mutex_lock(&rt->mu);
    int rc = ensure_bridge(rt, host, err, errlen);
    if (rc == 0) rc = allocate_ip(rt, s, err, errlen);
    pthread_mutex_unlock(&rt->mu);
    if (rc == 0) {
        snprintf(s->netns, sizeof s->netns, "ckp-%.32s", s->id);
        snprintf(s->veth, sizeof s->veth, "vck%.10s", s->id);
        if ((rc = setup(rt, s, host, err, errlen)) < 0) lx_net_teardown(rt, s);
    }
    close(host);
    return rc;
}

void lx_net_teardown(lx_runtime *rt, lx_sandbox *s)
{
    /* Deleting the host end deletes its peer; the namespace goes with its last user. */
    int fd = s->veth[0] ? nl_open() : -1;
    if (fd >= 0) {
        link_del(fd, s->veth);
        close(fd);
    }
    if (s->netns[0]) {
        char path[128];
        snprintf(path, sizeof path, NETNS_RUN_DIR "/%s", s->netns);
        netns_del(path);
    }
    pthread_mutex_lock(&rt->mu);
    if (s->ip_index > 0 && (size_t)s->ip_index < rt->ip_slots) rt->ip_used[s->ip_index] = 0;
    pthread_mutex_unlock(&rt->mu);
    s->ip_index = 0;
    s->veth[0] = 0;
    s->netns[0] = 0;
}
