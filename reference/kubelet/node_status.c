/* node_status.c: node registration and heartbeats (kubelet_node_status.go,
 * nodelease): the Node object with capacity/allocatable, addresses,
 * conditions, nodeInfo and daemonEndpoints; status PUT every period; the
 * Lease in kube-node-lease renewed every period (leaseDurationSeconds 40). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

static json_t *resources(ck_kubelet *k)
{
    char cpu[32], mem[32], pods[16];
    if (k->cfg.cpu) snprintf(cpu, sizeof cpu, "%s", k->cfg.cpu);
    else snprintf(cpu, sizeof cpu, "%ld", sysconf(_SC_NPROCESSORS_ONLN));
    if (k->cfg.memory) snprintf(mem, sizeof mem, "%s", k->cfg.memory);
    else snprintf(mem, sizeof mem, "%lldKi", (long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE) / 1024);
    snprintf(pods, sizeof pods, "%d", k->cfg.max_pods > 0 ? k->cfg.max_pods : 110);
    return json_pack("{s:s,s:s,s:s,s:s}", "cpu", cpu, "memory", mem, "pods", pods, "ephemeral-storage", "100Gi");
}

static json_t *conditions(void)
{
    static const struct { const char *type, *status, *reason, *message; } rows[] = {
        {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
        {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
        {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
        {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
    };
    char now[CK_TIME_LEN];
    ck_time_now(now);
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", rows[i].type, "status", rows[i].status,
                                           "lastHeartbeatTime", now, "lastTransitionTime", now, "reason",
                                           rows[i].reason, "message", rows[i].message));
    return a;
}

static json_t *node_status(ck_kubelet *k)
{
    struct utsname u;
    uname(&u);
    json_t *info = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "machineID", "", "systemUUID", "", "bootID", "",
                             "kernelVersion", u.release, "osImage", "ckube", "containerRuntimeVersion",
                             k->rt->ops->name, "kubeletVersion", "v1.31.0-ckube", "kubeProxyVersion", "v1.31.0-ckube",
                             "operatingSystem", "linux", "architecture", "amd64");
    json_t *res = resources(k);
    return json_pack("{s:O,s:o,s:[{s:s,s:s},{s:s,s:s}],s:o,s:o,s:{s:{s:i}}}", "capacity", res, "allocatable", res,
                     "addresses", "type", "InternalIP", "address", k->node_ip, "type", "Hostname", "address",
                     k->node_name, "conditions", conditions(), "nodeInfo", info, "daemonEndpoints", "kubeletEndpoint",
                     "Port", k->port);
}

json_t *ck_node_object(ck_kubelet *k)
{
    json_t *n = json_pack("{s:s,s:s,s:{s:s,s:{s:s,s:s,s:s,s:s,s:s}},s:{},s:o}", "apiVersion", "v1", "kind", "Node",
                          "metadata", "name", k->node_name, "labels", "kubernetes.io/hostname", k->node_name,
                          "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64", "beta.kubernetes.io/os", "linux",
                          "beta.kubernetes.io/arch", "amd64", "spec", "status", node_status(k));
    json_t *spec = json_object_get(n, "spec");
    if (k->pod_cidr[0]) {
        json_object_set_new(spec, "podCIDR", json_string(k->pod_cidr));
        json_object_set_new(spec, "podCIDRs", json_pack("[s]", k->pod_cidr));
    }
    /* --cloud-provider=external: the cloud-controller-manager removes this taint. */
    if (k->cfg.cloud_provider_external)
        json_object_set_new(spec, "taints", json_pack("[{s:s,s:s,s:s}]", "key", "node.cloudprovider.kubernetes.io/uninitialized",
                                                      "value", "true", "effect", "NoSchedule"));
    return n;
}

int ck_node_register(ck_kubelet *k, char *err, size_t errlen)
{
    json_t *n = ck_node_object(k);
    ck_resource_ref ref = {"", "v1", "nodes", NULL, NULL, NULL};
    ck_response r = {0};
    int rc = ck_rest_create(k->rest, &ref, n, &r);
    json_decref(n);
    if (rc < 0 && r.code == 409) {
        rc = 0;
        ck_info("node %s already registered", k->node_name);
    }
    else if (rc < 0) snprintf(err, errlen, "registering node %s: %ld %s", k->node_name, r.code, r.message);
    else ck_info("registered node %s", k->node_name);
    ck_response_clear(&r);
    /* The first status write may race the cloud-controller-manager or the
     * node lifecycle controller; the status loop retries, so it is not fatal. */
    if (rc == 0 && ck_node_update_status(k) < 0) ck_warn("node %s: first status update failed; retrying later", k->node_name);
    return rc < 0 ? -1 : 0;
}

/* The MachineInfo setter (pkg/kubelet/nodestatus/setters.go) writes the
 * kubelet's resources into the node's existing capacity/allocatable, so
 * resources others patched in (extended resources such as
 * example.com/foo) survive; an extended resource leaves allocatable only
 * once it is gone from capacity. Copies those entries from old into status. */
static void keep_foreign_resources(const json_t *old, json_t *status)
{
    json_t *cap = json_object_get(status, "capacity"), *alloc = json_deep_copy(json_object_get(status, "allocatable"));
    if (!alloc) return;
    json_object_set_new(status, "allocatable", alloc);  /* node_status shares one object for both */
    const json_t *ocap = json_object_get(old, "capacity"), *oalloc = json_object_get(old, "allocatable");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)ocap, key, v)
        if (!json_object_get(cap, key)) json_object_set(cap, key, v);
    json_object_foreach((json_t *)oalloc, key, v)
        if (!json_object_get(alloc, key) && json_object_get(cap, key)) json_object_set(alloc, key, v);
}

int ck_node_update_status(ck_kubelet *k)
{
    ck_resource_ref ref = {"", "v1", "nodes", NULL, k->node_name, NULL};
    ck_response r = {0};
    if (ck_rest_get(k->rest, &ref, &r) < 0) {
        ck_warn("node %s: get: %ld %s", k->node_name, r.code, r.message);
        ck_response_clear(&r);
        return -1;
    }
    json_t *node = json_incref(r.body);
    ck_response_clear(&r);
    snprintf(k->node_uid, sizeof k->node_uid, "%s", ck_json_str(node, "metadata.uid", ""));
    json_t *status = node_status(k);
    if (status) keep_foreign_resources(json_object_get(node, "status"), status);
    json_object_set_new(node, "status", status);
    ref.subresource = "status";
    /* a status PUT carries no resourceVersion: the kubelet owns node status,
     * so a concurrent writer of other fields cannot make it conflict */
    json_object_del(json_object_get(node, "metadata"), "resourceVersion");
    int rc = ck_rest_update(k->rest, &ref, node, &r);
    if (rc < 0) ck_warn("node %s: status: %ld %s", k->node_name, r.code, r.message);
    ck_response_clear(&r);
    json_decref(node);
    return rc;
}

/* pkg/kubelet/kubelet.go setNodeOwnerFunc (nodelease): a Lease without owners
 * gets an ownerReference to its Node once the Node's uid is known, so the
 * garbage collector deletes the Lease with the Node. */
static void set_node_owner(ck_kubelet *k, json_t *lease)
{
    if (!k->node_uid[0] || json_array_size(ck_json_path(lease, "metadata.ownerReferences"))) return;
    json_object_set_new(ck_json_ensure_object(lease, "metadata"), "ownerReferences",
                        json_pack("[{s:s,s:s,s:s,s:s}]", "apiVersion", "v1", "kind", "Node", "name", k->node_name,
                                  "uid", k->node_uid));
}

int ck_node_renew_lease(ck_kubelet *k)
{
    char now[CK_TIME_LEN];
    ck_microtime_now(now);
    ck_resource_ref ref = {"coordination.k8s.io", "v1", "leases", "kube-node-lease", k->node_name, NULL};
    ck_response r = {0};
    int rc;
    if (ck_rest_get(k->rest, &ref, &r) == 0) {
        json_t *l = json_incref(r.body);
        ck_response_clear(&r);
        json_t *spec = ck_json_ensure_object(l, "spec");
        json_object_set_new(spec, "renewTime", json_string(now));
        json_object_set_new(spec, "holderIdentity", json_string(k->node_name));
        json_object_set_new(spec, "leaseDurationSeconds", json_integer(40));
        set_node_owner(k, l);
        rc = ck_rest_update(k->rest, &ref, l, &r);
        json_decref(l);
    } else {
        ck_response_clear(&r);
        json_t *l = json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:i,s:s}}", "apiVersion", "coordination.k8s.io/v1", "kind",
                              "Lease", "metadata", "name", k->node_name, "namespace", "kube-node-lease", "spec",
                              "holderIdentity", k->node_name, "leaseDurationSeconds", 40, "renewTime", now);
        set_node_owner(k, l);
        ref.name = NULL;
        rc = ck_rest_create(k->rest, &ref, l, &r);
        json_decref(l);
    }
    if (rc < 0) ck_warn("lease %s: %ld %s", k->node_name, r.code, r.message);
    ck_response_clear(&r);
    return rc;
}
