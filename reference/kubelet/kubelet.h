/* kubelet.h: the node agent (upstream pkg/kubelet): registers its Node, keeps
 * its Lease, watches the pods bound to it, and drives each one through the
 * container runtime (cri/cri.h): sandbox, volumes, init containers, containers,
 * restarts with back-off, probes, hooks, graceful termination, pod status. */
#ifndef CK_KUBELET_H
#define CK_KUBELET_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "client/rest.h"
#include "kubelet/cri/cri.h"

/* Flags (upstream names in comments). Strings borrowed for ck_kubelet_new. */
typedef struct ck_kubelet_config {
    const char *node_name;      /* --node-name (default: hostname) */
    const char *master;         /* --master URL (or --kubeconfig) */
    const char *kubeconfig;     /* --kubeconfig */
    const char *pod_cidr;       /* --pod-cidr */
    const char *runtime;        /* --runtime linux|fake */
    const char *root_dir;       /* --root-dir (default /var/lib/ckube/kubelet-<node>) */
    const char *image_dir;      /* --image-dir (default /var/lib/ckube/images) */
    const char *address;        /* --address (default 0.0.0.0) */
    const char *node_ip;        /* --node-ip (default: first non-loopback IPv4) */
    int port;                   /* --port (10250; 0 = any, see ck_kubelet_port) */
    int max_pods;               /* --max-pods (110) */
    const char *cpu, *memory;   /* --capacity-cpu/--capacity-memory override the machine's */
    bool cloud_provider_external; /* --cloud-provider external */
    long backoff_initial_ms;    /* --backoff-initial (10s), doubling to */
    long backoff_max_ms;        /* --backoff-max (300s) */
    long status_period_ms;      /* --node-status-update-frequency (10s) and Lease renewal */
    long sync_period_ms;        /* pod relist/sync period (1s, upstream PLEG relist) */
    const char *cluster_dns;    /* --cluster-dns: comma-separated nameserver IPs ("" = none) */
    const char *cluster_domain; /* --cluster-domain (default cluster.local) */
    const char *resolv_conf;    /* --resolv-conf (default /etc/resolv.conf) */
    bool events_sync;           /* send events before returning (tests) */
} ck_kubelet_config;

typedef struct ck_kubelet ck_kubelet;

/* Creates the kubelet with `rt` (owned afterwards) and `rest` (borrowed).
 * NULL with err set. */
ck_kubelet *ck_kubelet_new(const ck_kubelet_config *cfg, ck_rest *rest, ck_cri *rt, char *err, size_t errlen);
/* Registers the node, starts the pod informer, workers, heartbeat and the
 * HTTP server. 0 or -1 (err). */
int ck_kubelet_start(ck_kubelet *k, char *err, size_t errlen);
/* The port the HTTP server listens on (after start). */
int ck_kubelet_port(const ck_kubelet *k);
/* Stops every thread and the server, removes every sandbox, frees. */
void ck_kubelet_free(ck_kubelet *k);
#endif
