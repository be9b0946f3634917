/* controllers.h: the four cloud controllers (table rows for main.c) and the
 * pure decision functions each one is built on, exposed for unit tests. */
#ifndef CK_CCM_CONTROLLERS_H
#define CK_CCM_CONTROLLERS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "cloud-controller-manager/controller.h"

extern const ck_ccm_controller ck_ccm_cloud_node_controller;           /* "cloud-node" */
extern const ck_ccm_controller ck_ccm_cloud_node_lifecycle_controller; /* "cloud-node-lifecycle" */
extern const ck_ccm_controller ck_ccm_service_controller;              /* "service" */
extern const ck_ccm_controller ck_ccm_route_controller;                /* "route" */

/* --- cloud node (node.c) --- */
/* The node as the cloud node controller leaves it after initialisation: a new
 * object (caller decrefs) with spec.providerID (only when unset), the zone,
 * region and instance-type labels (stable and beta) and the uninitialized
 * taint removed. NULL on OOM. */
json_t *ck_ccm_node_initialized(const json_t *node, const ck_instance_metadata *md);
/* The status.addresses the node should have (new array, caller decrefs), or
 * NULL when they need no change. With the alpha.kubernetes.io/provided-node-ip
 * annotation only addresses equal to that IP (and Hostname) are kept; when
 * the cloud does not report that IP, -1 is stored in *rc (else 0). */
json_t *ck_ccm_node_addresses(const json_t *node, const ck_instance_metadata *md, int *rc);

/* --- cloud node lifecycle (node_lifecycle.c) --- */
typedef enum {
    CK_LIFECYCLE_NONE,
    CK_LIFECYCLE_REMOVE_SHUTDOWN_TAINT,
    CK_LIFECYCLE_ADD_SHUTDOWN_TAINT,
    CK_LIFECYCLE_DELETE_NODE,
} ck_lifecycle_action;
/* MonitorNodes for one node: Ready nodes lose the shutdown taint, NotReady
 * nodes whose instance is gone are deleted, shut down ones are tainted.
 * -1 (err) when the cloud could not answer. */
int ck_ccm_lifecycle_decide(const ck_cloud *cloud, const json_t *node, ck_lifecycle_action *action, char *err,
                            size_t errlen);

/* --- service (service.c) --- */
/* spec.type LoadBalancer without spec.loadBalancerClass. */
bool ck_ccm_svc_wants_lb(const json_t *svc);
bool ck_ccm_svc_has_finalizer(const json_t *svc);
/* The LB must be released: being deleted, or no longer a LoadBalancer, while
 * still carrying the cleanup finalizer. */
bool ck_ccm_svc_needs_cleanup(const json_t *svc);
/* A relevant change between two versions of a Service (needsUpdate). */
bool ck_ccm_svc_needs_update(const json_t *old_svc, const json_t *new_svc);
/* status.loadBalancer as JSON ({"ingress":[{"ip":...}]}); new reference. */
json_t *ck_ccm_lb_status_json(const ck_lb_status *st);
/* The nodes a load balancer targets (new array of borrowed-then-increfed
 * nodes): Ready, not excluded by node.kubernetes.io/exclude-from-external-
 * load-balancers, not tainted ToBeDeletedByClusterAutoscaler or uninitialized. */
json_t *ck_ccm_lb_nodes(const json_t *nodes);

/* --- route (route.c) --- */
typedef struct ck_route_plan {
    ck_route *create;  /* name = node UID (the nameHint) */
    size_t n_create;
    ck_route *remove;
    size_t n_remove;
} ck_route_plan;
/* reconcile(): a route per node podCIDR that lacks one, removal of routes
 * (inside cluster_cidr when given) that match no node's podCIDR or are
 * blackholes. 0, or -1 on OOM. Free with ck_route_plan_clear. */
int ck_ccm_route_plan(const json_t *nodes, const ck_route *routes, size_t n_routes, const char *cluster_cidr,
                      ck_route_plan *plan);
void ck_route_plan_clear(ck_route_plan *plan);
#endif
