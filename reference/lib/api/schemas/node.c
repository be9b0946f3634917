/* node.c: core/v1 Node: schema (k8s.io/api/core/v1/types.go), the
 * allocatable-from-capacity default (SetDefaults_NodeStatus), taint checks
 * and the printer columns (Status, Roles, Version; -o wide node details). */
#include <stdio.h>
#include <string.h>
#include "api/schemas/fields.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field taint_fields[] = {
    F_STR("key"), F_STR("value"), F_STR("effect"), F_TIME("timeAdded"), F_END};
static const ck_field taint = {.name = "", .type = CK_OBJECT, .fields = taint_fields};
static const ck_field node_spec[] = {
    F_STR("podCIDR"),
    {.name = "podCIDRs", .type = CK_ARRAY, .items = &ck_field_string, .patch_strategy = "merge"},
    F_STR("providerID"), F_BOOL("unschedulable"), F_LIST("taints", &taint),
    F_ANY("configSource"), F_STR("externalID"), F_END};
static const ck_field cond_fields[] = {
    F_STR("type"), F_STR("status"), F_TIME("lastHeartbeatTime"), F_TIME("lastTransitionTime"),
    F_STR("reason"), F_STR("message"), F_END};
static const ck_field cond = {.name = "", .type = CK_OBJECT, .fields = cond_fields};
static const ck_field address_fields[] = {F_STR("type"), F_STR("address"), F_END};
static const ck_field address = {.name = "", .type = CK_OBJECT, .fields = address_fields};
static const ck_field port_fields[] = {F_INT("Port"), F_END};
static const ck_field endpoints_fields[] = {F_OBJ("kubeletEndpoint", port_fields), F_END};
static const ck_field swap_fields[] = {F_INT("capacity"), F_END};
static const ck_field info_fields[] = {
    F_STR("machineID"), F_STR("systemUUID"), F_STR("bootID"), F_STR("kernelVersion"),
    F_STR("osImage"), F_STR("containerRuntimeVersion"), F_STR("kubeletVersion"),
    F_STR("kubeProxyVersion"), F_STR("operatingSystem"), F_STR("architecture"),
    F_OBJ("swap", swap_fields), F_END};
static const ck_field image_fields[] = {F_STRLIST("names"), F_INT("sizeBytes"), F_END};
static const ck_field image = {.name = "", .type = CK_OBJECT, .fields = image_fields};
static const ck_field attached_fields[] = {F_STR("name"), F_STR("devicePath"), F_END};
static const ck_field attached = {.name = "", .type = CK_OBJECT, .fields = attached_fields};
static const ck_field node_status[] = {
    F_QTYMAP("capacity"), F_QTYMAP("allocatable"), F_STR("phase"),
    F_MLIST("conditions", &cond, "type"), F_MLIST("addresses", &address, "type"),
    F_OBJ("daemonEndpoints", endpoints_fields), F_OBJ("nodeInfo", info_fields),
    F_LIST("images", &image), F_STRLIST("volumesInUse"), F_LIST("volumesAttached", &attached),
    F_ANY("config"), F_ANY("runtimeHandlers"), F_ANY("features"), F_ANY("declaredFeatures"), F_END};
static const ck_field node_root[] = {
    F_TYPEMETA, F_OBJ("spec", node_spec), F_OBJ("status", node_status), F_END};
const ck_field ck_schema_node = {.name = "", .type = CK_OBJECT, .fields = node_root};

/* printers.printNode: Ready/NotReady/Unknown, ",SchedulingDisabled". */
static json_t *cell_status(const json_t *obj)
{
    const char *st = "Unknown";
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(obj, "status.conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), "Ready"))
            st = !strcmp(ck_json_str(c, "status", ""), "True") ? "Ready" : "NotReady";
    char buf[64];
    snprintf(buf, sizeof buf, "%s%s", st,
             ck_json_bool(obj, "spec.unschedulable", false) ? ",SchedulingDisabled" : "");
    return json_string(buf);
}

/* findNodeRoles: node-role.kubernetes.io/<role> and kubernetes.io/role. */
static json_t *cell_roles(const json_t *obj)
{
    char buf[512] = "";
    size_t off = 0;
    const char *k;
    json_t *v;
    json_object_foreach(ck_json_path(obj, "metadata.labels"), k, v) {
        const char *role = NULL;
        if (!strncmp(k, "node-role.kubernetes.io/", 24)) role = k + 24;
        else if (!strcmp(k, "kubernetes.io/role") && json_is_string(v)) role = json_string_value(v);
        if (!role || !*role) continue;
        int w = snprintf(buf + off, sizeof buf - off, "%s%s", off ? "," : "", role);
        if (w > 0 && (size_t)w < sizeof buf - off) off += (size_t)w;
    }
    return json_string(off ? buf : "<none>");
}

static json_t *address_of(const json_t *obj, const char *type)
{
    size_t i;
    json_t *a;
    json_array_foreach(ck_json_path(obj, "status.addresses"), i, a)
        if (!strcmp(ck_json_str(a, "type", ""), type)) return json_string(ck_json_str(a, "address", ""));
    return json_string("<none>");
}
static json_t *cell_internal(const json_t *o) { return address_of(o, "InternalIP"); }
static json_t *cell_external(const json_t *o) { return address_of(o, "ExternalIP"); }
static json_t *info(const json_t *o, const char *f)
{
    const char *v = ck_json_str(ck_json_path(o, "status.nodeInfo"), f, "");
    return json_string(*v ? v : "<unknown>");
}
static json_t *cell_os(const json_t *o) { return info(o, "osImage"); }
static json_t *cell_kernel(const json_t *o) { return info(o, "kernelVersion"); }
static json_t *cell_runtime(const json_t *o) { return info(o, "containerRuntimeVersion"); }

const ck_column ck_columns_node[] = {
    COL_NAME,
    {.name = "Status", .type = "string", .format = "", .description = "The status of the node", .cell = cell_status},
    {.name = "Roles", .type = "string", .format = "", .description = "The roles of the node", .cell = cell_roles},
    COL_AGE,
    {.name = "Version", .type = "string", .format = "", .description = "Kubelet Version reported by the node.",
     .json_path = "status.nodeInfo.kubeletVersion"},
    {.name = "Internal-IP", .type = "string", .format = "", .priority = 1, .description = "List of addresses reachable to the node. Queried from cloud provider, if available.", .cell = cell_internal},
    {.name = "External-IP", .type = "string", .format = "", .priority = 1, .description = "List of addresses reachable to the node. Queried from cloud provider, if available.", .cell = cell_external},
    {.name = "OS-Image", .type = "string", .format = "", .priority = 1, .description = "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", .cell = cell_os},
    {.name = "Kernel-Version", .type = "string", .format = "", .priority = 1, .description = "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", .cell = cell_kernel},
    {.name = "Container-Runtime", .type = "string", .format = "", .priority = 1, .description = "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", .cell = cell_runtime},
    {0}};

/* SetDefaults_NodeStatus: allocatable defaults to capacity. */
void ck_defaults_node(json_t *obj)
{
    json_t *cap = ck_json_path(obj, "status.capacity");
    json_t *status = json_object_get(obj, "status");
    if (json_is_object(cap) && json_is_object(status) && !json_object_get(status, "allocatable"))
        json_object_set_new(status, "allocatable", json_deep_copy(cap));
}

/* validateNodeTaints: effect must be one of the three, key required. */
void ck_validate_node(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const effects[] = {"NoSchedule", "PreferNoSchedule", "NoExecute", NULL};
    size_t i;
    json_t *t;
    char path[96];
    json_array_foreach(ck_json_path(obj, "spec.taints"), i, t) {
        const char *eff = ck_json_str(t, "effect", "");
        if (!*ck_json_str(t, "key", "")) {
            snprintf(path, sizeof path, "spec.taints[%zu].key", i);
            ck_errs_required(errs, path, NULL);
        }
        snprintf(path, sizeof path, "spec.taints[%zu].effect", i);
        if (!*eff) ck_errs_required(errs, path, NULL);
        else if (strcmp(eff, "NoSchedule") && strcmp(eff, "PreferNoSchedule") && strcmp(eff, "NoExecute"))
            ck_errs_not_supported(errs, path, eff, effects);
    }
}
