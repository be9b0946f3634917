/* local_internal.h: the local provider's state, shared by local.c
 * (config, instances, zones, routes) and local_lb.c (load balancers). */
#ifndef CK_CCM_LOCAL_INTERNAL_H
#define CK_CCM_LOCAL_INTERNAL_H
#include <pthread.h>
#include <stdbool.h>
#include "cloud-controller-manager/providers/local.h"
#include "node/cidr.h"

#define LOCAL_MAX_LBS 256
#define LOCAL_MAX_PORTS 16
#define LOCAL_MAX_TARGETS 32

typedef struct local_lb {
    char name[64];
    char ip[16];
    struct { char proto[8]; int port, node_port; } ports[LOCAL_MAX_PORTS];
    size_t n_ports;
    char targets[LOCAL_MAX_TARGETS][64];  /* node InternalIPs */
    size_t n_targets;
} local_lb;

struct ck_local_cloud {
    pthread_mutex_t mu;
    char cluster[64];          /* host.h cluster name: netns ckube-<cluster>-n<i> */
    char node_cidr[32];
    char region[48];
    int zones;                 /* node i is in zone <region>-<'a' + i % zones> */
    char netns_dir[256];       /* where `ip netns` keeps its names */
    char instances_file[1024]; /* optional state file of extra instances */
    char pool_str[32];
    ck_cidr pool;
    bool dry_run;              /* render, never run ip/iptables (tests) */
    bool base_ready;           /* dummy link and chain jumps in place */
    local_lb lbs[LOCAL_MAX_LBS];
    size_t n_lbs;
    char removed[LOCAL_MAX_LBS][32];  /* chains to delete on the next sync */
    size_t n_removed;
};

/* local_lb.c: the LoadBalancer table and host cleanup. */
extern const ck_cloud_load_balancer ck_local_lb_ops;
void ck_local_lb_cleanup(ck_local_cloud *lc);
/* Runs argv unless dry_run. 0 or -1 (err). */
int ck_local_run(ck_local_cloud *lc, const char *const argv[], char *err, size_t errlen);
#endif
