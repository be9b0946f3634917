/* host.h: a kubelet's "host" on one machine: a network namespace
 * ckube-<cluster>-n<i> joined to a root-namespace bridge by a veth pair, with
 * an address on the node network, a default route to the bridge, IP
 * forwarding, and a root-namespace route to the node's podCIDR. Node i's pods
 * reach node j's pods through the root namespace, which routes each podCIDR to
 * its node (the "host-gw" flannel backend, with the root ns as the router).
 *
 * The launcher (`ckube up`) calls, for each node i:
 *     ck_node_host_config hc = {.cluster = "ckube", .index = i,
 *                               .node_cidr = NULL, .pod_cidr = "10.244.<i>.0/24"};
 *     ck_node_host h;
 *     if (ck_node_host_create(&hc, &h, err, sizeof err) < 0) ...;
 *     // start: ip netns exec <h.netns> kubelet --node-ip <h.node_ip>
 *     //        --master http://<h.gateway>:<apiserver port> --pod-cidr <h.pod_cidr> ...
 * and at shutdown ck_node_host_destroy(&hc, ...) per node, then
 * ck_node_host_network_destroy("ckube", ...) once. Both are idempotent.
 * Requires root (CAP_NET_ADMIN) and iproute2. */
#ifndef CK_NODE_HOST_H
#define CK_NODE_HOST_H
#include <stddef.h>

#define CK_NODE_CIDR_DEFAULT "172.31.0.0/24"

typedef struct ck_node_host_config {
    const char *cluster;   /* cluster name: part of every name; NULL = "ckube" */
    int index;             /* node number, 0..252 (the node IP is the (index+2)-th address) */
    const char *node_cidr; /* node network; NULL = CK_NODE_CIDR_DEFAULT; bridge gets the 1st address */
    const char *pod_cidr;  /* this node's podCIDR, routed via the node IP; NULL = no route */
} ck_node_host_config;

/* What create made (all plain strings, owned by the struct). */
typedef struct ck_node_host {
    char netns[64];    /* "ckube-<cluster>-n<i>": run the kubelet with `ip netns exec <netns>` */
    char bridge[16];   /* root-namespace bridge shared by the cluster's nodes */
    char veth[16];     /* root-namespace end of the node's veth; "eth0" inside netns */
    char node_ip[16];  /* the node's InternalIP (--node-ip) */
    char gateway[16];  /* the bridge's address: the nodes reach the apiserver here */
    char pod_cidr[32]; /* copy of cfg->pod_cidr ("" when none) */
    int prefix;        /* node network prefix length */
} ck_node_host;

/* Computes the names and addresses without touching the system. 0 or -1 (err). */
int ck_node_host_names(const ck_node_host_config *cfg, ck_node_host *out, char *err, size_t errlen);
/* Creates (or re-creates, removing leftovers first) the node's namespace,
 * veth, addresses and routes, and the cluster bridge when missing; turns on
 * IP forwarding in the root and node namespaces. 0, or -1 with err set. */
int ck_node_host_create(const ck_node_host_config *cfg, ck_node_host *out, char *err, size_t errlen);
/* Removes the node's route, veth and namespace (absent ones are fine).
 * Pod namespaces made by the kubelet are the kubelet's to remove. 0 or -1. */
int ck_node_host_destroy(const ck_node_host_config *cfg, char *err, size_t errlen);
/* Removes the cluster's bridge (after every node is destroyed). 0 or -1. */
int ck_node_host_network_destroy(const char *cluster, char *err, size_t errlen);
#endif
