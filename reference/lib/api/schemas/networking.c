/* networking.c: networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy:
 * schemas (k8s.io/api/networking/v1/types.go), SetDefaults_NetworkPolicy /
 * _NetworkPolicyPort, the common paths of pkg/apis/networking/validation and
 * the printIngress / printIngressClass / printNetworkPolicy columns. */
#include <stdio.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/schemas/common.h"
#include "api/schemas/controller_template.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

/* ---- Ingress --------------------------------------------------------------- */
static const ck_field port_fields[] = {F_STR("name", PB(1)), F_INT("number", PB(2)), F_END};
static const ck_field svc_backend[] = {F_STR("name", PB(1)), F_OBJ("port", port_fields, PB(2)), F_END};
static const ck_field typed_ref[] = {F_STR("apiGroup", PBP(1)), F_STR("kind", PB(2)), F_STR("name", PB(3)), F_END};
static const ck_field backend_fields[] = {
    F_OBJ("service", svc_backend, PBP(4)), F_OBJ("resource", typed_ref, PBP(3)), F_END};
static const ck_field path_fields[] = {
    F_STR("path", PB(1)), F_STR("pathType", PBP(3)), F_OBJ("backend", backend_fields, PB(2)), F_END};
static const ck_field http_path = {.name = "", .type = CK_OBJECT, .fields = path_fields};
static const ck_field http_fields[] = {F_LIST("paths", &http_path, PB(1)), F_END};
static const ck_field rule_fields[] = {F_STR("host", PB(1)), F_OBJ("http", http_fields, PBE(2, 1)), F_END};
static const ck_field rule = {.name = "", .type = CK_OBJECT, .fields = rule_fields};
static const ck_field tls_fields[] = {F_STRLIST("hosts", PB(1)), F_STR("secretName", PB(2)), F_END};
static const ck_field tls = {.name = "", .type = CK_OBJECT, .fields = tls_fields};
static const ck_field ing_spec[] = {
    F_STR("ingressClassName", PBP(4)), F_OBJ("defaultBackend", backend_fields, PBP(1)), F_LIST("tls", &tls, PB(2)),
    F_LIST("rules", &rule, PB(3)), F_END};
static const ck_field port_status_fields[] = {F_INT("port", PB(1)), F_STR("protocol", PB(2)), F_STR("error", PBP(3)), F_END};
static const ck_field port_status = {.name = "", .type = CK_OBJECT, .fields = port_status_fields};
static const ck_field lb_ingress_fields[] = {
    F_STR("ip", PB(1)), F_STR("hostname", PB(2)), F_LIST("ports", &port_status, PB(4)), F_END};
static const ck_field lb_ingress = {.name = "", .type = CK_OBJECT, .fields = lb_ingress_fields};
static const ck_field lb_fields[] = {F_LIST("ingress", &lb_ingress, PB(1)), F_END};
static const ck_field ing_status[] = {F_OBJ("loadBalancer", lb_fields, PB(1)), F_END};
static const ck_field ing_root[] = {
    F_TYPEMETA, F_OBJ("spec", ing_spec, PB(2)), F_OBJ("status", ing_status, PB(3), .flags = CK_F_READONLY), F_END};
const ck_field ck_schema_ingress = {
    .name = "", .type = CK_OBJECT, .fields = ing_root,
    .description = "Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a "
                   "backend."};

void ck_defaults_ingress(json_t *obj) {}

/* validateIngressBackend: exactly one of service and resource; a service
 * port has a name or a number, not both. */
static void validate_backend(const json_t *b, const char *path, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    const json_t *svc = json_object_get(b, "service"), *res = json_object_get(b, "resource");
    if (json_is_object(svc) && json_is_object(res)) {
        ck_errs_add(errs, "FieldValueInvalid", path, "Invalid value: \"\": cannot set both resource and service "
                    "backends");
        return;
    }
    if (!json_is_object(svc) && !json_is_object(res)) {
        ck_errs_add(errs, "FieldValueInvalid", path, "Invalid value: \"\": resource or service must be specified");
        return;
    }
    if (json_is_object(svc)) {
        const char *name = ck_str(svc, "name");
        if (!*name) ck_errs_required(errs, ck_pathf(f, sizeof f, "%s.service.name", path), NULL);
        else ck_validate_dns1123_label(name, ck_pathf(f, sizeof f, "%s.service.name", path), errs);
        const json_t *port = json_object_get(svc, "port");
        bool has_name = *ck_str(port, "name"), has_num = json_integer_value(json_object_get(port, "number")) != 0;
        if (has_name && has_num)
            ck_errs_invalid_str(errs, ck_pathf(f, sizeof f, "%s.service.port", path), "",
                                "cannot specify both port name and port number");
        else if (has_num && !ck_port_valid(json_integer_value(json_object_get(port, "number"))))
            ck_errs_invalid(errs, ck_pathf(f, sizeof f, "%s.service.port.number", path),
                            json_object_get(port, "number"), CK_PORT_RANGE_MSG);
        else if (!has_name && !has_num)
            ck_errs_required(errs, ck_pathf(f, sizeof f, "%s.service.port", path), "port name or number is required");
    } else {
        if (!*ck_str(res, "kind")) ck_errs_required(errs, ck_pathf(f, sizeof f, "%s.resource.kind", path), NULL);
        if (!*ck_str(res, "name")) ck_errs_required(errs, ck_pathf(f, sizeof f, "%s.resource.name", path), NULL);
    }
}

static void validate_path(const json_t *p, const char *path, ck_errs *errs)
{
    static const char *const types[] = {"Exact", "ImplementationSpecific", "Prefix", NULL};
    char f[CK_PATH_MAX];
    const char *pt = ck_json_str(p, "pathType", NULL), *v = ck_str(p, "path");
    if (!pt) ck_errs_required(errs, ck_pathf(f, sizeof f, "%s.pathType", path), "pathType must be specified");
    else if (strcmp(pt, "Exact") && strcmp(pt, "Prefix") && strcmp(pt, "ImplementationSpecific"))
        ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "%s.pathType", path), pt, types);
    else if (strcmp(pt, "ImplementationSpecific") && v[0] != '/')
        ck_errs_invalid_str(errs, ck_pathf(f, sizeof f, "%s.path", path), v, "must be an absolute path");
    else if (!strcmp(pt, "ImplementationSpecific") && *v && v[0] != '/')
        ck_errs_invalid_str(errs, ck_pathf(f, sizeof f, "%s.path", path), v, "must be an absolute path");
    validate_backend(json_object_get(p, "backend"), ck_pathf(f, sizeof f, "%s.backend", path), errs);
}

void ck_validate_ingress(const json_t *obj, const json_t *old, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    const json_t *spec = json_object_get(obj, "spec");
    const json_t *rules = json_object_get(spec, "rules"), *db = json_object_get(spec, "defaultBackend");
    if (json_is_object(db)) validate_backend(db, "spec.defaultBackend", errs);
    else if (json_array_size(rules) == 0)
        ck_errs_invalid(errs, "spec.rules", rules ? rules : NULL,
                        "either `defaultBackend` or `rules` must be specified");
    size_t i, j;
    const json_t *r, *p;
    json_array_foreach(rules, i, r) {
        const char *host = ck_str(r, "host");
        if (*host) {
            const char *h = !strncmp(host, "*.", 2) ? host + 2 : host;
            ck_validate_dns1123_subdomain(h, ck_pathf(f, sizeof f, "spec.rules[%zu].host", i), errs);
        }
        const json_t *http = json_object_get(r, "http");
        if (!json_is_object(http)) continue;
        if (json_array_size(json_object_get(http, "paths")) == 0)
            ck_errs_required(errs, ck_pathf(f, sizeof f, "spec.rules[%zu].http.paths", i), NULL);
        json_array_foreach(json_object_get(http, "paths"), j, p)
            validate_path(p, ck_pathf(f, sizeof f, "spec.rules[%zu].http.paths[%zu]", i, j), errs);
    }
    const char *cls = ck_json_str(spec, "ingressClassName", NULL);
    if (cls) ck_validate_dns1123_subdomain(cls, "spec.ingressClassName", errs);
}

/* formatHosts: up to 3 hosts, "*" for a rule without host. */
static json_t *cell_hosts(const json_t *o)
{
    char buf[1024] = "";
    size_t i, off = 0, n = 0;
    const json_t *r, *rules = ck_json_path(o, "spec.rules");
    json_array_foreach(rules, i, r) {
        const char *h = ck_str(r, "host");
        if (n == 3) {
            snprintf(buf + off, sizeof buf - off, " + %zu more...", json_array_size(rules) - 3);
            break;
        }
        int w = snprintf(buf + off, sizeof buf - off, "%s%s", n ? "," : "", *h ? h : "*");
        if (w < 0 || (size_t)w >= sizeof buf - off) break;
        off += (size_t)w;
        n++;
    }
    return json_string(n ? buf : "*");
}

/* ingressLoadBalancerStatusStringer: ip or hostname of each entry. */
static json_t *cell_address(const json_t *o)
{
    char buf[1024] = "";
    size_t i, off = 0;
    const json_t *e;
    json_array_foreach(ck_json_path(o, "status.loadBalancer.ingress"), i, e) {
        const char *v = *ck_str(e, "ip") ? ck_str(e, "ip") : ck_str(e, "hostname");
        if (!*v) continue;
        int w = snprintf(buf + off, sizeof buf - off, "%s%s", off ? "," : "", v);
        if (w < 0 || (size_t)w >= sizeof buf - off) break;
        off += (size_t)w;
    }
    return json_string(buf);
}
static json_t *cell_class(const json_t *o) { return json_string(ck_json_str(o, "spec.ingressClassName", "<none>")); }
static json_t *cell_ports(const json_t *o)
{
    return json_string(json_array_size(ck_json_path(o, "spec.tls")) ? "80, 443" : "80");
}

const ck_column ck_columns_ingress[] = {
    COL_NAME,
    {.name = "Class", .type = "string", .format = "", .description = "The name of the IngressClass resource.",
     .cell = cell_class},
    {.name = "Hosts", .type = "string", .format = "", .description = "Hosts that incoming requests are matched against "
     "before the ingress rule", .cell = cell_hosts},
    {.name = "Address", .type = "string", .format = "", .description = "Address is a list containing ingress points for "
     "the load-balancer", .cell = cell_address},
    {.name = "Ports", .type = "string", .format = "", .description = "Ports of TLS configurations that open",
     .cell = cell_ports},
    COL_AGE, {0}};

/* ---- IngressClass ---------------------------------------------------------- */
static const ck_field params_fields[] = {
    F_STR("apiGroup", PBP(1)), F_STR("kind", PB(2)), F_STR("name", PB(3)), F_STR("scope", PBP(4)),
    F_STR("namespace", PBP(5)), F_END};
static const ck_field ic_spec[] = {F_STR("controller", PB(1)), F_OBJ("parameters", params_fields, PBP(2)), F_END};
static const ck_field ic_root[] = {F_TYPEMETA, F_OBJ("spec", ic_spec, PB(2)), F_END};
const ck_field ck_schema_ingressclass = {
    .name = "", .type = CK_OBJECT, .fields = ic_root,
    .description = "IngressClass represents the class of the Ingress, referenced by the Ingress Spec."};

/* SetDefaults_IngressClass: parameters.scope Cluster. */
void ck_defaults_ingressclass(json_t *obj)
{
    json_t *p = ck_json_path(obj, "spec.parameters");
    if (json_is_object(p) && !json_object_get(p, "scope")) json_object_set_new(p, "scope", json_string("Cluster"));
}

#define MAX_CONTROLLER_LEN 250

void ck_validate_ingressclass(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const scopes[] = {"Cluster", "Namespace", NULL};
    const json_t *spec = json_object_get(obj, "spec");
    const char *c = ck_str(spec, "controller");
    if (!*c) ck_errs_required(errs, "spec.controller", NULL);
    else if (strlen(c) > MAX_CONTROLLER_LEN) ck_errs_too_long(errs, "spec.controller", MAX_CONTROLLER_LEN);
    else {
        /* validateIngressClassController: a domain-prefixed path. */
        const char *slash = strchr(c, '/');
        char prefix[256];
        snprintf(prefix, sizeof prefix, "%.*s", slash ? (int)(slash - c) : (int)strlen(c), c);
        ck_validate_dns1123_subdomain(prefix, "spec.controller", errs);
    }
    const json_t *p = json_object_get(spec, "parameters");
    if (json_is_object(p)) {
        if (!*ck_str(p, "kind")) ck_errs_required(errs, "spec.parameters.kind", NULL);
        if (!*ck_str(p, "name")) ck_errs_required(errs, "spec.parameters.name", NULL);
        const char *scope = ck_str(p, "scope");
        if (*scope && strcmp(scope, "Cluster") && strcmp(scope, "Namespace"))
            ck_errs_not_supported(errs, "spec.parameters.scope", scope, scopes);
        if (!strcmp(scope, "Namespace") && !*ck_str(p, "namespace"))
            ck_errs_required(errs, "spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'");
        if (!strcmp(scope, "Cluster") && *ck_str(p, "namespace"))
            ck_errs_forbidden(errs, "spec.parameters.namespace", "`parameters.scope` is set to 'Cluster'");
    }
    if (old && strcmp(c, ck_json_str(old, "spec.controller", "")))
        ck_errs_invalid_str(errs, "spec.controller", c, "field is immutable");
}

static json_t *cell_controller(const json_t *o) { return json_string(ck_json_str(o, "spec.controller", "")); }
/* printIngressClass: "<kind>.<apiGroup>/<name>", "<none>". */
static json_t *cell_params(const json_t *o)
{
    const json_t *p = ck_json_path(o, "spec.parameters");
    if (!json_is_object(p)) return json_string("<none>");
    char buf[512];
    const char *g = ck_str(p, "apiGroup");
    if (*g) snprintf(buf, sizeof buf, "%s.%s/%s", ck_str(p, "kind"), g, ck_str(p, "name"));
    else snprintf(buf, sizeof buf, "%s/%s", ck_str(p, "kind"), ck_str(p, "name"));
    return json_string(buf);
}

const ck_column ck_columns_ingressclass[] = {
    COL_NAME,
    {.name = "Controller", .type = "string", .format = "",
     .description = "Controller that is responsible for handling this class", .cell = cell_controller},
    {.name = "Parameters", .type = "string", .format = "",
     .description = "A reference to a resource with additional parameters", .cell = cell_params},
    COL_AGE, {0}};

/* ---- NetworkPolicy --------------------------------------------------------- */
static const ck_field ip_block_fields[] = {F_STR("cidr", PB(1)), F_STRLIST("except", PB(2)), F_END};
static const ck_field peer_fields[] = {
    {.name = "podSelector", .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, .tag = 1, .flags = CK_F_POINTER},
    {.name = "namespaceSelector", .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, .tag = 2,
     .flags = CK_F_POINTER},
    F_OBJ("ipBlock", ip_block_fields, PBP(3)), F_END};
static const ck_field peer = {.name = "", .type = CK_OBJECT, .fields = peer_fields};
static const ck_field np_port_fields[] = {
    {.name = "protocol", .type = CK_STRING, .dflt = "\"TCP\"", .tag = 1, .flags = CK_F_POINTER},
    {.name = "port", .type = CK_INT_OR_STRING, .tag = 2, .flags = CK_F_POINTER}, F_INT("endPort", PBP(3)), F_END};
static const ck_field np_port = {.name = "", .type = CK_OBJECT, .fields = np_port_fields};
static const ck_field ingress_rule_fields[] = {F_LIST("ports", &np_port, PB(1)), F_LIST("from", &peer, PB(2)), F_END};
static const ck_field ingress_rule = {.name = "", .type = CK_OBJECT, .fields = ingress_rule_fields};
static const ck_field egress_rule_fields[] = {F_LIST("ports", &np_port, PB(1)), F_LIST("to", &peer, PB(2)), F_END};
static const ck_field egress_rule = {.name = "", .type = CK_OBJECT, .fields = egress_rule_fields};
static const ck_field np_spec[] = {
    {.name = "podSelector", .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, .tag = 1},
    F_LIST("ingress", &ingress_rule, PB(2)), F_LIST("egress", &egress_rule, PB(3)), F_STRLIST("policyTypes", PB(4)),
    F_END};
static const ck_field np_root[] = {F_TYPEMETA, F_OBJ("spec", np_spec, PB(2)), F_END};
const ck_field ck_schema_networkpolicy = {
    .name = "", .type = CK_OBJECT, .fields = np_root,
    .description = "NetworkPolicy describes what network traffic is allowed for a set of Pods"};

/* SetDefaults_NetworkPolicy: policyTypes Ingress (+ Egress with egress
 * rules); ports' protocol TCP (schema default). */
void ck_defaults_networkpolicy(json_t *obj)
{
    ck_schema_defaults(&ck_schema_networkpolicy, obj);
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec)) return;
    if (json_array_size(json_object_get(spec, "policyTypes")) == 0) {
        json_t *types = json_pack("[s]", "Ingress");
        if (json_array_size(json_object_get(spec, "egress"))) json_array_append_new(types, json_string("Egress"));
        json_object_set_new(spec, "policyTypes", types);
    }
}

void ck_validate_networkpolicy(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const types[] = {"Egress", "Ingress", NULL};
    static const char *const protocols[] = {"SCTP", "TCP", "UDP", NULL};
    char f[CK_PATH_MAX];
    const json_t *spec = json_object_get(obj, "spec");
    ck_ct_validate_selector(json_object_get(spec, "podSelector"), "spec.podSelector", errs);
    size_t i, j;
    const json_t *t;
    json_array_foreach(json_object_get(spec, "policyTypes"), i, t) {
        const char *v = json_string_value(t) ?: "";
        if (strcmp(v, "Ingress") && strcmp(v, "Egress"))
            ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "spec.policyTypes[%zu]", i), v, types);
    }
    static const char *const dirs[] = {"ingress", "egress"};
    for (int d = 0; d < 2; d++) {
        const json_t *r;
        json_array_foreach(json_object_get(spec, dirs[d]), i, r) {
            const json_t *p;
            json_array_foreach(json_object_get(r, "ports"), j, p) {
                const char *proto = ck_str(p, "protocol");
                if (*proto && strcmp(proto, "TCP") && strcmp(proto, "UDP") && strcmp(proto, "SCTP"))
                    ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "spec.%s[%zu].ports[%zu].protocol", dirs[d], i, j),
                                          proto, protocols);
                const json_t *port = json_object_get(p, "port");
                if (port) ck_validate_port_num_or_name(port, ck_pathf(f, sizeof f, "spec.%s[%zu].ports[%zu].port",
                                                                      dirs[d], i, j), errs);
            }
        }
    }
}

static json_t *cell_pod_selector(const json_t *o) { return ck_ct_cell_selector(ck_json_path(o, "spec.podSelector")); }

const ck_column ck_columns_networkpolicy[] = {
    COL_NAME,
    {.name = "Pod-Selector", .type = "string", .format = "",
     .description = "podSelector selects the pods to which this NetworkPolicy object applies. The array of rules is "
                    "applied to any pods selected by this field. An empty selector matches all pods in this "
                    "namespace.",
     .cell = cell_pod_selector},
    COL_AGE, {0}};
