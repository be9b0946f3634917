/* service.c: the core/v1 Service kind: schema, SetDefaults_Service plus the
 * registry's IP-family defaults, ValidateService/ValidateServiceUpdate
 * (pkg/apis/core/validation/validation.go) and printService's columns. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

/* ---- schema ---------------------------------------------------------------- */
static const ck_field port_fields[] = {
    F_STR("name", PB(1)), {.name = "protocol", .type = CK_STRING, .dflt = "\"TCP\"", .tag = 2},
    F_STR("appProtocol", PBP(6)), F_INT("port", PB(3)), {.name = "targetPort", .type = CK_INT_OR_STRING, .tag = 4},
    F_INT("nodePort", PB(5)), F_END};
static const ck_field port_item = {.name = "", .type = CK_OBJECT, .fields = port_fields};
static const ck_field client_ip_fields[] = {F_INT("timeoutSeconds", PBP(1)), F_END};
static const ck_field affinity_config_fields[] = {F_OBJ("clientIP", client_ip_fields, PBP(1)), F_END};
static const ck_field spec_fields[] = {
    F_MLIST("ports", &port_item, "port", PB(1)), F_STRMAP("selector", PB(2)), F_STR("clusterIP", PB(3)),
    F_STRLIST("clusterIPs", PB(18)), {.name = "type", .type = CK_STRING, .dflt = "\"ClusterIP\"", .tag = 4},
    F_STRLIST("externalIPs", PB(5)), {.name = "sessionAffinity", .type = CK_STRING, .dflt = "\"None\"", .tag = 7},
    F_STR("loadBalancerIP", PB(8)), F_STRLIST("loadBalancerSourceRanges", PB(9)), F_STR("externalName", PB(10)),
    F_STR("externalTrafficPolicy", PB(11)), F_INT("healthCheckNodePort", PB(12)),
    F_BOOL("publishNotReadyAddresses", PB(13)),
    F_OBJ("sessionAffinityConfig", affinity_config_fields, PBP(14)), F_STRLIST("ipFamilies", PB(19)),
    F_STR("ipFamilyPolicy", PBP(17)), F_BOOL("allocateLoadBalancerNodePorts", PBP(20)),
    F_STR("loadBalancerClass", PBP(21)), F_STR("internalTrafficPolicy", PBP(22)),
    F_STR("trafficDistribution", PBP(23)), F_END};
static const ck_field port_status_fields[] = {F_INT("port", PB(1)), F_STR("protocol", PB(2)),
                                              F_STR("error", PBP(3)), F_END};
static const ck_field port_status = {.name = "", .type = CK_OBJECT, .fields = port_status_fields};
static const ck_field ingress_fields[] = {
    F_STR("ip", PB(1)), F_STR("hostname", PB(2)), F_STR("ipMode", PBP(3)), F_LIST("ports", &port_status, PB(4)), F_END};
static const ck_field ingress = {.name = "", .type = CK_OBJECT, .fields = ingress_fields};
static const ck_field lb_fields[] = {F_LIST("ingress", &ingress, PB(1)), F_END};
static const ck_field condition_fields[] = {
    F_STR("type", PB(1)), F_STR("status", PB(2)), F_INT("observedGeneration", PB(3)),
    F_TIME("lastTransitionTime", PB(4)), F_STR("reason", PB(5)), F_STR("message", PB(6)), F_END};
static const ck_field condition = {.name = "", .type = CK_OBJECT, .fields = condition_fields};
static const ck_field status_fields[] = {
    {.name = "loadBalancer", .type = CK_OBJECT, .fields = lb_fields, .dflt = "{}", .tag = 1},
    F_MLIST("conditions", &condition, "type", PB(2)), F_END};
static const ck_field service_fields[] = {
    F_TYPEMETA, F_OBJ("spec", spec_fields, PB(2)),
    {.name = "status", .type = CK_OBJECT, .fields = status_fields, .dflt = "{}", .flags = CK_F_READONLY,
     .tag = 3},
    F_END};
const ck_field ck_schema_service = {.name = "", .type = CK_OBJECT, .fields = service_fields,
                                    .description = "Service is a named abstraction of software service."};

/* ---- defaults ---------------------------------------------------------- */

static bool is_headless(const json_t *spec) { return strcmp(ck_str(spec, "clusterIP"), "None") == 0; }

/* The registry's IP family defaults (pkg/registry/core/service/ipallocator
 * initIPFamilyFields) on a single-stack IPv4 cluster; headless services
 * without a selector default to RequireDualStack. */
static void defaults_families(json_t *spec)
{
    const char *ip = ck_str(spec, "clusterIP");
    if (*ip && !json_object_get(spec, "clusterIPs"))
        json_object_set_new(spec, "clusterIPs", json_pack("[s]", ip));
    if (!json_object_get(spec, "ipFamilyPolicy")) {
        bool selectorless = json_object_size(json_object_get(spec, "selector")) == 0;
        json_object_set_new(spec, "ipFamilyPolicy",
                            json_string(is_headless(spec) && selectorless ? "RequireDualStack" : "SingleStack"));
    }
    if (!json_object_get(spec, "ipFamilies"))
        json_object_set_new(spec, "ipFamilies",
                            json_pack("[s]", strchr(ip, ':') ? "IPv6" : "IPv4"));
}

void ck_defaults_service(json_t *obj)
{
    ck_schema_defaults(&ck_schema_service, obj);
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return;
    const char *type = ck_str(spec, "type"), *aff = ck_str(spec, "sessionAffinity");
    if (strcmp(aff, "None") == 0) json_object_del(spec, "sessionAffinityConfig");
    if (strcmp(aff, "ClientIP") == 0 && !ck_json_path(spec, "sessionAffinityConfig.clientIP.timeoutSeconds"))
        json_object_set_new(spec, "sessionAffinityConfig",
                            json_pack("{s:{s:i}}", "clientIP", "timeoutSeconds", 10800));
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(spec, "ports"), i, p) {
        json_t *tp = json_object_get(p, "targetPort");
        if (!tp || (json_is_integer(tp) && json_integer_value(tp) == 0) ||
            (json_is_string(tp) && !*json_string_value(tp)))
            if (json_object_get(p, "port")) json_object_set(p, "targetPort", json_object_get(p, "port"));
    }
    bool external = strcmp(type, "NodePort") == 0 || strcmp(type, "LoadBalancer") == 0;
    if (external && !*ck_str(spec, "externalTrafficPolicy"))
        json_object_set_new(spec, "externalTrafficPolicy", json_string("Cluster"));
    if ((external || strcmp(type, "ClusterIP") == 0) && !json_object_get(spec, "internalTrafficPolicy"))
        json_object_set_new(spec, "internalTrafficPolicy", json_string("Cluster"));
    if (strcmp(type, "LoadBalancer") == 0 && !json_object_get(spec, "allocateLoadBalancerNodePorts"))
        json_object_set_new(spec, "allocateLoadBalancerNodePorts", json_true());
    if (strcmp(type, "ExternalName") != 0) defaults_families(spec);
}

/* ---- validation -------------------------------------------------------- */

static const char *const service_types[] = {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort", NULL};
static const char *const affinities[] = {"ClientIP", "None", NULL};
static const char *const protocols[] = {"SCTP", "TCP", "UDP", NULL};
static const char *const family_policies[] = {"PreferDualStack", "RequireDualStack", "SingleStack", NULL};
static const char *const families[] = {"IPv4", "IPv6", NULL};
static const char *const traffic_policies[] = {"Cluster", "Local", NULL};

/* The default --service-node-port-range, as the allocator reports it. */
#define NODE_PORT_MIN 30000
#define NODE_PORT_MAX 32767

static bool in_list(const char *v, const char *const *list)
{
    for (; *list; list++) if (strcmp(v, *list) == 0) return true;
    return false;
}

static void check_enum(const json_t *o, const char *key, const char *field, const char *const *allowed,
                       bool required, ck_errs *errs)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v || !*v) { if (required) ck_errs_required(errs, field, NULL); return; }
    if (!in_list(v, allowed)) ck_errs_not_supported(errs, field, v, allowed);
}

static bool valid_ip(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* validateServicePort for each port, plus the duplicate and nodePort rules. */
static void validate_ports(const json_t *spec, ck_errs *errs)
{
    const json_t *ports = json_object_get(spec, "ports");
    bool require_name = json_array_size(ports) > 1;
    bool cluster_ip = strcmp(ck_str(spec, "type"), "ClusterIP") == 0;
    json_t *names = json_object(), *keys = json_object(), *nodeports = json_object();
    size_t i;
    const json_t *p;
    char pp[CK_PATH_MAX], f[CK_PATH_MAX], key[96];
    json_array_foreach(ports, i, p) {
        ck_pathf(pp, sizeof pp, "spec.ports[%zu]", i);
        const char *name = ck_str(p, "name");
        ck_pathf(f, sizeof f, "%s.name", pp);
        if (require_name && !*name) ck_errs_required(errs, f, NULL);
        else if (*name) {
            ck_validate_dns1123_label(name, f, errs);
            if (json_object_get(names, name)) ck_errs_duplicate(errs, f, name);
            else json_object_set_new(names, name, json_true());
        }
        const json_t *port = json_object_get(p, "port");
        if (!ck_port_valid(json_integer_value(port)))
            ck_errs_add(errs, "FieldValueInvalid", ck_pathf(f, sizeof f, "%s.port", pp),
                        "Invalid value: %lld: " CK_PORT_RANGE_MSG, (long long)json_integer_value(port));
        check_enum(p, "protocol", ck_pathf(f, sizeof f, "%s.protocol", pp), protocols, true, errs);
        ck_validate_port_num_or_name(json_object_get(p, "targetPort"), ck_pathf(f, sizeof f, "%s.targetPort", pp), errs);
        const char *proto = ck_str(p, "protocol");
        long long np = json_integer_value(json_object_get(p, "nodePort"));
        snprintf(key, sizeof key, "%lld/%s", (long long)json_integer_value(port), proto);
        if (json_object_get(keys, key))
            ck_errs_add(errs, "FieldValueDuplicate", pp,
                        "Duplicate value: core.ServicePort{Name:\"\", Protocol:\"%s\", AppProtocol:(*string)(nil), "
                        "Port:%lld, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
                        proto, (long long)json_integer_value(port));
        else json_object_set_new(keys, key, json_true());
        if (!np) continue;
        ck_pathf(f, sizeof f, "%s.nodePort", pp);
        snprintf(key, sizeof key, "%lld/%s", np, proto);
        if (cluster_ip) ck_errs_forbidden(errs, f, "may not be used when `type` is 'ClusterIP'");
        else if (np < NODE_PORT_MIN || np > NODE_PORT_MAX)
            ck_errs_add(errs, "FieldValueInvalid", f, "Invalid value: %lld: provided port is not in the valid "
                        "range. The range of valid ports is %d-%d", np, NODE_PORT_MIN, NODE_PORT_MAX);
        if (json_object_get(nodeports, key)) ck_errs_add(errs, "FieldValueDuplicate", f, "Duplicate value: %lld", np);
        else json_object_set_new(nodeports, key, json_true());
    }
    json_decref(names);
    json_decref(keys);
    json_decref(nodeports);
}

/* validateServiceClusterIPsRelatedFields (the common cases). */
static void validate_cluster_ips(const json_t *spec, ck_errs *errs)
{
    const char *type = ck_str(spec, "type"), *ip = ck_str(spec, "clusterIP");
    const json_t *ips = json_object_get(spec, "clusterIPs");
    char f[CK_PATH_MAX];
    if (*ip && json_array_size(ips) && strcmp(ip, json_string_value(json_array_get(ips, 0)) ?: "") != 0) {
        char *v = ck_go_string_slice(ips);
        ck_errs_add(errs, "FieldValueInvalid", "spec.clusterIPs", "Invalid value: %s: first value must match `clusterIP`", v ? v : "");
        free(v);
    }
    size_t i;
    const json_t *e;
    json_array_foreach(ips, i, e) {
        const char *s = json_string_value(e) ? json_string_value(e) : "";
        ck_pathf(f, sizeof f, "spec.clusterIPs[%zu]", i);
        if (i == 0 && strcmp(s, "None") == 0) {
            if (strcmp(type, "NodePort") == 0 || strcmp(type, "LoadBalancer") == 0) {
                char d[64];
                snprintf(d, sizeof d, "may not be set to 'None' for %s services", type);
                ck_errs_invalid_str(errs, f, s, d);
            }
            continue;
        }
        if (!valid_ip(s)) ck_errs_invalid_str(errs, f, s, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }
}

static void validate_spec(const json_t *spec, ck_errs *errs)
{
    const char *type = ck_str(spec, "type");
    bool extname = strcmp(type, "ExternalName") == 0;
    if (json_array_size(json_object_get(spec, "ports")) == 0 && !is_headless(spec) && !extname)
        ck_errs_required(errs, "spec.ports", NULL);
    if (extname) {
        char name[256];
        snprintf(name, sizeof name, "%s", ck_str(spec, "externalName"));
        size_t n = strlen(name);
        if (n && name[n - 1] == '.') name[n - 1] = 0;
        if (!*name) ck_errs_required(errs, "spec.externalName", NULL);
        else ck_validate_dns1123_subdomain(name, "spec.externalName", errs);
    }
    validate_ports(spec, errs);
    check_enum(spec, "type", "spec.type", service_types, true, errs);
    check_enum(spec, "sessionAffinity", "spec.sessionAffinity", affinities, true, errs);
    const json_t *to = ck_json_path(spec, "sessionAffinityConfig.clientIP.timeoutSeconds");
    if (json_is_integer(to) && (json_integer_value(to) <= 0 || json_integer_value(to) > 86400))
        ck_errs_invalid(errs, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", to,
                        "must be greater than 0 and less than 86400");
    if (!extname) validate_cluster_ips(spec, errs);
    check_enum(spec, "ipFamilyPolicy", "spec.ipFamilyPolicy", family_policies, false, errs);
    size_t i;
    const json_t *fam;
    char f[CK_PATH_MAX];
    json_array_foreach(json_object_get(spec, "ipFamilies"), i, fam)
        if (!json_is_string(fam) || !in_list(json_string_value(fam), families))
            ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "spec.ipFamilies[%zu]", i),
                                  json_string_value(fam) ? json_string_value(fam) : "", families);
    check_enum(spec, "externalTrafficPolicy", "spec.externalTrafficPolicy", traffic_policies, false, errs);
    check_enum(spec, "internalTrafficPolicy", "spec.internalTrafficPolicy", traffic_policies, false, errs);
    if (json_object_get(spec, "selector")) ck_validate_labels(json_object_get(spec, "selector"), "spec.selector", errs);
}

/* validateUpgradeDowngradeClusterIPs: the primary (and, at equal length,
 * every) cluster IP is immutable. A clusterIP edited without clusterIPs is
 * normalised into clusterIPs first (normalizeClusterIPs); an update that
 * omits both is taken as keeping the allocated values (patchAllocatedValues). */
static void validate_cluster_ip_update(const json_t *spec, const json_t *ospec, ck_errs *errs)
{
    if (strcmp(ck_str(spec, "type"), "ExternalName") == 0 || strcmp(ck_str(ospec, "type"), "ExternalName") == 0) return;
    if (is_headless(spec) && is_headless(ospec)) return;
    const json_t *oips = json_object_get(ospec, "clusterIPs");
    json_t *nips = json_object_get(spec, "clusterIPs");
    const char *nip = ck_str(spec, "clusterIP");
    if (!*nip && json_array_size(nips) == 0) return;
    json_t *eff = json_incref(nips);
    if (strcmp(nip, ck_str(ospec, "clusterIP")) != 0 && (!nips || ck_json_equal(nips, oips))) {
        json_decref(eff);
        eff = *nip ? json_pack("[s]", nip) : json_array();
    }
    size_t on = json_array_size(oips), nn = json_array_size(eff);
    char *v = ck_go_string_slice(eff), f[CK_PATH_MAX];
    if (nn == 0 && on > 0) {
        ck_errs_add(errs, "FieldValueInvalid", "spec.clusterIPs[0]",
                    "Invalid value: []string(nil): primary clusterIP can not be unset");
    } else {
        /* equal lengths: every index; otherwise only the primary */
        size_t upto = on == nn ? on : (on && nn ? 1 : 0);
        for (size_t i = 0; i < upto; i++)
            if (!ck_json_equal(json_array_get(oips, i), json_array_get(eff, i)))
                ck_errs_add(errs, "FieldValueInvalid", ck_pathf(f, sizeof f, "spec.clusterIPs[%zu]", i),
                            "Invalid value: %s: may not change once set", v ? v : "");
    }
    free(v);
    json_decref(eff);
}

void ck_validate_service(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const json_t *spec = json_object_get(obj, "spec");
    if (old) validate_cluster_ip_update(spec, json_object_get(old, "spec"), errs);
    validate_spec(spec, errs);
}

/* ---- printer (printService) ---------------------------------------------- */

static json_t *cell_type(const json_t *o) { return json_string(ck_json_str(o, "spec.type", "")); }

static json_t *cell_cluster_ip(const json_t *o)
{
    const char *ip = json_string_value(json_array_get(ck_json_path(o, "spec.clusterIPs"), 0));
    return json_string(ip ? ip : "<none>");
}

/* Appends each string of arr to a comma-joined heap buffer. */
static void join_into(char *buf, size_t n, const json_t *arr)
{
    size_t i;
    const json_t *e;
    json_array_foreach(arr, i, e) {
        const char *s = json_string_value(e);
        if (!s) continue;
        size_t off = strlen(buf);
        snprintf(buf + off, n - off, "%s%s", off ? "," : "", s);
    }
}

/* getServiceExternalIP (server-side tables are generated wide: no truncation). */
static json_t *cell_external_ip(const json_t *o)
{
    const char *type = ck_json_str(o, "spec.type", "");
    const json_t *ext = ck_json_path(o, "spec.externalIPs");
    char buf[1024] = "";
    if (strcmp(type, "ExternalName") == 0) return json_string(ck_json_str(o, "spec.externalName", ""));
    if (strcmp(type, "ClusterIP") == 0 || strcmp(type, "NodePort") == 0) {
        join_into(buf, sizeof buf, ext);
        return json_string(*buf ? buf : "<none>");
    }
    if (strcmp(type, "LoadBalancer") != 0) return json_string("<unknown>");
    size_t i;
    const json_t *ing;
    json_array_foreach(ck_json_path(o, "status.loadBalancer.ingress"), i, ing) {
        const char *s = *ck_str(ing, "ip") ? ck_str(ing, "ip") : ck_str(ing, "hostname");
        if (!*s) continue;
        size_t off = strlen(buf);
        snprintf(buf + off, sizeof buf - off, "%s%s", off ? "," : "", s);
    }
    join_into(buf, sizeof buf, ext);
    return json_string(*buf ? buf : "<pending>");
}

/* makePortString: "80/TCP,443:30443/TCP". */
static json_t *cell_ports(const json_t *o)
{
    char buf[1024] = "";
    size_t i;
    const json_t *p;
    json_array_foreach(ck_json_path(o, "spec.ports"), i, p) {
        size_t off = strlen(buf);
        long long port = ck_json_int(p, "port", 0), np = ck_json_int(p, "nodePort", 0);
        if (np > 0) snprintf(buf + off, sizeof buf - off, "%s%lld:%lld/%s", i ? "," : "", port, np, ck_str(p, "protocol"));
        else snprintf(buf + off, sizeof buf - off, "%s%lld/%s", i ? "," : "", port, ck_str(p, "protocol"));
    }
    return json_string(*buf ? buf : "<none>");
}

static json_t *cell_selector(const json_t *o) { return ck_cell_labels(ck_json_path(o, "spec.selector")); }

const ck_column ck_columns_service[] = {
    COL_NAME,
    {.name = "Type", .type = "string", .format = "",
     .description = "type determines how the Service is exposed.", .cell = cell_type},
    {.name = "Cluster-IP", .type = "string", .format = "",
     .description = "clusterIP is the IP address of the service and is usually assigned randomly.",
     .cell = cell_cluster_ip},
    {.name = "External-IP", .type = "string", .format = "",
     .description = "externalIPs is a list of IP addresses for which nodes in the cluster will also "
                    "accept traffic for this service.", .cell = cell_external_ip},
    {.name = "Port(s)", .type = "string", .format = "",
     .description = "The list of ports that are exposed by this service.", .cell = cell_ports},
    COL_AGE,
    {.name = "Selector", .type = "string", .format = "", .priority = 1,
     .description = "Route service traffic to pods with label keys and values matching this selector.",
     .cell = cell_selector},
    {0}};
