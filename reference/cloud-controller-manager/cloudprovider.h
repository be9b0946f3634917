/* cloudprovider.h: the cloud provider interface of cloud-controller-manager,
 * a C vtable mirroring k8s.io/cloud-provider's cloudprovider.Interface
 * (InstancesV2, LoadBalancer, Routes, Zones), and the registry of providers
 * selected by name with --cloud-provider=NAME (cloudprovider.RegisterCloudProvider). */
#ifndef CK_CCM_CLOUDPROVIDER_H
#define CK_CCM_CLOUDPROVIDER_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A v1.NodeAddress: type is "InternalIP", "ExternalIP", "Hostname",
 * "InternalDNS" or "ExternalDNS". */
typedef struct ck_node_address {
    char type[16];
    char address[64];
} ck_node_address;
#define CK_CLOUD_MAX_ADDRS 8

/* cloudprovider.InstanceMetadata. Empty strings mean "unknown". */
typedef struct ck_instance_metadata {
    char provider_id[256];     /* "<provider>://<id>", goes to spec.providerID */
    char instance_type[64];    /* node.kubernetes.io/instance-type */
    char zone[64];             /* topology.kubernetes.io/zone */
    char region[64];           /* topology.kubernetes.io/region */
    ck_node_address addresses[CK_CLOUD_MAX_ADDRS];
    size_t n_addresses;
} ck_instance_metadata;

/* cloudprovider.Zone. */
typedef struct ck_zone {
    char failure_domain[64];
    char region[64];
} ck_zone;

/* cloudprovider.Route: traffic for destination_cidr goes to target_node. */
typedef struct ck_route {
    char name[128];                /* provider's id for the route (nameHint on create) */
    char target_node[256];         /* node name; "" when the provider cannot tell */
    char destination_cidr[64];
    ck_node_address target_addresses[CK_CLOUD_MAX_ADDRS];  /* TargetNodeAddresses */
    size_t n_target_addresses;
    bool blackhole;                /* the target instance is gone */
} ck_route;

/* v1.LoadBalancerStatus: ingress points (an ip or a hostname each). */
#define CK_CLOUD_MAX_INGRESS 4
typedef struct ck_lb_status {
    struct { char ip[64]; char hostname[256]; } ingress[CK_CLOUD_MAX_INGRESS];
    size_t n_ingress;
} ck_lb_status;

/* Every method returns 0 on success, -1 with a message in err (errlen bytes).
 * `self` is the provider instance made by ck_cloud_ops.init. Objects
 * (nodes, services) are borrowed JSON as the apiserver returns them; `nodes`
 * is a JSON array of v1.Node. Methods may be called from several threads. */

/* cloudprovider.InstancesV2: instances looked up by Node (name, providerID, addresses). */
typedef struct ck_cloud_instances {
    int (*instance_exists)(void *self, const json_t *node, bool *exists, char *err, size_t errlen);
    int (*instance_shutdown)(void *self, const json_t *node, bool *shutdown, char *err, size_t errlen);
    /* Fills *md (zeroed by the caller). */
    int (*instance_metadata)(void *self, const json_t *node, ck_instance_metadata *md, char *err,
                             size_t errlen);
} ck_cloud_instances;

/* cloudprovider.LoadBalancer. `cluster` is --cluster-name. */
typedef struct ck_cloud_load_balancer {
    /* GetLoadBalancer: *exists false (and status empty) when there is none. */
    int (*get)(void *self, const char *cluster, const json_t *svc, ck_lb_status *status, bool *exists,
               char *err, size_t errlen);
    /* GetLoadBalancerName; NULL = ck_cloud_default_lb_name. */
    void (*get_name)(void *self, const char *cluster, const json_t *svc, char *out, size_t outlen);
    /* EnsureLoadBalancer: create or update, fill *status (zeroed by caller). */
    int (*ensure)(void *self, const char *cluster, const json_t *svc, const json_t *nodes,
                  ck_lb_status *status, char *err, size_t errlen);
    /* UpdateLoadBalancer: only the set of nodes changed. */
    int (*update)(void *self, const char *cluster, const json_t *svc, const json_t *nodes, char *err,
                  size_t errlen);
    /* EnsureLoadBalancerDeleted: success when it is already gone. */
    int (*ensure_deleted)(void *self, const char *cluster, const json_t *svc, char *err, size_t errlen);
} ck_cloud_load_balancer;

/* cloudprovider.Routes. */
typedef struct ck_cloud_routes {
    /* *routes is a malloc'd array of *n routes owned by the caller (free()). */
    int (*list)(void *self, const char *cluster, ck_route **routes, size_t *n, char *err, size_t errlen);
    int (*create)(void *self, const char *cluster, const char *name_hint, const ck_route *route, char *err,
                  size_t errlen);
    int (*remove)(void *self, const char *cluster, const ck_route *route, char *err, size_t errlen);
} ck_cloud_routes;

/* cloudprovider.Zones. */
typedef struct ck_cloud_zones {
    int (*get_zone_by_provider_id)(void *self, const char *provider_id, ck_zone *z, char *err, size_t errlen);
    int (*get_zone_by_node_name)(void *self, const char *node_name, ck_zone *z, char *err, size_t errlen);
} ck_cloud_zones;

/* What main() hands a provider's init (the --cloud-config file and the flags
 * that belong to providers). Strings borrowed for the call only. */
typedef struct ck_cloud_config {
    const char *cluster_name;   /* --cluster-name, default "kubernetes" */
    const char *config_file;    /* --cloud-config; NULL when not given */
    const char *lb_pool;        /* --lb-pool CIDR; NULL = provider default */
} ck_cloud_config;

/* One provider: a row of the registry. A NULL capability table means the
 * provider does not support it (Interface.LoadBalancer() returning false). */
typedef struct ck_cloud_ops {
    const char *name;           /* ProviderName(), as --cloud-provider spells it */
    /* Factory + Initialize: *self owned by the caller, freed with destroy. */
    int (*init)(const ck_cloud_config *cfg, void **self, char *err, size_t errlen);
    void (*destroy)(void *self);  /* releases everything, incl. what it programmed on the host */
    const ck_cloud_instances *instances;
    const ck_cloud_load_balancer *load_balancer;
    const ck_cloud_routes *routes;
    const ck_cloud_zones *zones;
    bool has_cluster_id;
} ck_cloud_ops;

/* A provider instance: ops plus its state. */
typedef struct ck_cloud {
    const ck_cloud_ops *ops;
    void *self;
} ck_cloud;

/* Registry (cloudprovider.RegisterCloudProvider / GetCloudProvider). The
 * built-in providers ("local", "fake") are always present; register adds
 * more (ops borrowed, must stay valid). 0, or -1 when the name is taken or
 * the table is full. */
int ck_cloud_register(const ck_cloud_ops *ops);
const ck_cloud_ops *ck_cloud_lookup(const char *name);
/* Writes the registered names, comma separated, into out. */
void ck_cloud_names(char *out, size_t outlen);
/* lookup + init. 0, or -1 with err ("unknown cloud provider \"x\""). */
int ck_cloud_open(const char *name, const ck_cloud_config *cfg, ck_cloud *out, char *err, size_t errlen);
void ck_cloud_close(ck_cloud *c);

/* cloudprovider.DefaultLoadBalancerName: "a" + the service UID without
 * dashes, cut to 32 characters. */
void ck_cloud_default_lb_name(const json_t *svc, char *out, size_t outlen);
/* The LB name through the provider's get_name, or the default. */
void ck_cloud_lb_name(const ck_cloud *c, const char *cluster, const json_t *svc, char *out, size_t outlen);
/* First address of the given type in a Node's status.addresses (borrowed), or NULL. */
const char *ck_cloud_node_address(const json_t *node, const char *type);
/* Adds an address to md unless full. */
void ck_instance_add_address(ck_instance_metadata *md, const char *type, const char *address);
#endif
