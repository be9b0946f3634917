/* local.h: the "local" cloud provider: the network-namespace hosts `ckube up`
 * creates (reference/lib/node/host.h) as instances in zones, routes between
 * node podCIDRs in the root namespace, and load balancers on addresses of a
 * private pool (on a dummy interface) DNAT-ed to the Service's NodePorts. */
#ifndef CK_CCM_LOCAL_H
#define CK_CCM_LOCAL_H
#include <stddef.h>
#include "cloud-controller-manager/cloudprovider.h"

extern const ck_cloud_ops ck_cloud_local_ops;

#define CK_LOCAL_LB_POOL_DEFAULT "172.31.255.0/24"
#define CK_LOCAL_LB_LINK "ckube-lb"     /* the dummy interface holding LB addresses */
#define CK_LOCAL_LB_CHAIN "CKUBE-LB"    /* nat chain jumped to from PREROUTING/OUTPUT */
#define CK_LOCAL_ROUTE_PROTO "199"      /* rtnetlink protocol marking our routes */

typedef struct ck_local_cloud ck_local_cloud;  /* the `self` of a local ck_cloud */

/* The iptables-restore input (nat table, --noflush) describing every load
 * balancer: a malloc'd string the caller frees, NULL on OOM. */
char *ck_local_render_rules(ck_local_cloud *lc);
/* The address allocated to load balancer `name`, copied into out; -1 if none. */
int ck_local_lb_address(ck_local_cloud *lc, const char *name, char *out, size_t outlen);
#endif
