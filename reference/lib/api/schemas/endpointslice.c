/* endpointslice.c: discovery.k8s.io/v1 EndpointSlice: schema
 * (k8s.io/api/discovery/v1/types.go), defaults (port protocol TCP),
 * ValidateEndpointSlice(Update) (pkg/apis/discovery/validation) and
 * printEndpointSlice's columns. */
#include <stdio.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

#define MAX_ENDPOINTS 1000
#define MAX_ADDRESSES 100

static const ck_field conditions_fields[] = {
    F_BOOL("ready", PBP(1)), F_BOOL("serving", PBP(2)), F_BOOL("terminating", PBP(3)), F_END};
static const ck_field named_fields[] = {F_STR("name", PB(1)), F_END};
static const ck_field named = {.name = "", .type = CK_OBJECT, .fields = named_fields};
static const ck_field hints_fields[] = {F_LIST("forZones", &named, PB(1)), F_LIST("forNodes", &named, PB(2)), F_END};
static const ck_field endpoint_fields[] = {
    F_STRLIST("addresses", PB(1)), F_OBJ("conditions", conditions_fields, PB(2)), F_STR("hostname", PBP(3)),
    F_REF("targetRef", PBP(4)), F_STRMAP("deprecatedTopology", PB(5)), F_STR("nodeName", PBP(6)),
    F_STR("zone", PBP(7)), F_OBJ("hints", hints_fields, PBP(8)), F_END};
static const ck_field endpoint = {.name = "", .type = CK_OBJECT, .fields = endpoint_fields};
static const ck_field port_fields[] = {
    F_STR("name", PBP(1)), {.name = "protocol", .type = CK_STRING, .dflt = "\"TCP\"", .tag = 2, .flags = CK_F_POINTER},
    F_INT("port", PBP(3)), F_STR("appProtocol", PBP(4)), F_END};
static const ck_field port = {.name = "", .type = CK_OBJECT, .fields = port_fields};
static const ck_field es_root[] = {
    F_TYPEMETA, F_STR("addressType", PB(4)), F_LIST("endpoints", &endpoint, PB(2)), F_LIST("ports", &port, PB(3)),
    F_END};
const ck_field ck_schema_endpointslice = {
    .name = "", .type = CK_OBJECT, .fields = es_root,
    .description = "EndpointSlice represents a set of service endpoints."};

void ck_defaults_endpointslice(json_t *obj) { ck_schema_defaults(&ck_schema_endpointslice, obj); }

void ck_validate_endpointslice(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const types[] = {"FQDN", "IPv4", "IPv6", NULL};
    static const char *const protocols[] = {"SCTP", "TCP", "UDP", NULL};
    char f[CK_PATH_MAX];
    const char *at = ck_str(obj, "addressType");
    if (!*at) ck_errs_required(errs, "addressType", NULL);
    else if (strcmp(at, "IPv4") && strcmp(at, "IPv6") && strcmp(at, "FQDN"))
        ck_errs_not_supported(errs, "addressType", at, types);
    const json_t *eps = json_object_get(obj, "endpoints");
    if (json_array_size(eps) > MAX_ENDPOINTS) ck_errs_add(errs, "FieldValueTooMany", "endpoints",
                                                         "Too many: %zu: must have at most %d items",
                                                         json_array_size(eps), MAX_ENDPOINTS);
    size_t i;
    const json_t *ep;
    json_array_foreach(eps, i, ep) {
        size_t na = json_array_size(json_object_get(ep, "addresses"));
        if (na == 0) ck_errs_required(errs, ck_pathf(f, sizeof f, "endpoints[%zu].addresses", i),
                                      "must contain at least 1 address");
        else if (na > MAX_ADDRESSES)
            ck_errs_add(errs, "FieldValueTooMany", ck_pathf(f, sizeof f, "endpoints[%zu].addresses", i),
                        "Too many: %zu: must have at most %d items", na, MAX_ADDRESSES);
        const char *h = ck_json_str(ep, "hostname", NULL);
        if (h) ck_validate_dns1123_label(h, ck_pathf(f, sizeof f, "endpoints[%zu].hostname", i), errs);
        const char *node = ck_json_str(ep, "nodeName", NULL);
        if (node) ck_validate_dns1123_subdomain(node, ck_pathf(f, sizeof f, "endpoints[%zu].nodeName", i), errs);
    }
    const json_t *p;
    json_array_foreach(json_object_get(obj, "ports"), i, p) {
        const char *name = ck_str(p, "name");
        if (*name) ck_validate_dns1123_label(name, ck_pathf(f, sizeof f, "ports[%zu].name", i), errs);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(ck_str(json_array_get(json_object_get(obj, "ports"), j), "name"), name))
                ck_errs_duplicate(errs, ck_pathf(f, sizeof f, "ports[%zu].name", i), name);
        const char *proto = ck_str(p, "protocol");
        if (!*proto) ck_errs_required(errs, ck_pathf(f, sizeof f, "ports[%zu].protocol", i), NULL);
        else if (strcmp(proto, "TCP") && strcmp(proto, "UDP") && strcmp(proto, "SCTP"))
            ck_errs_not_supported(errs, ck_pathf(f, sizeof f, "ports[%zu].protocol", i), proto, protocols);
        const json_t *pn = json_object_get(p, "port");
        if (json_is_integer(pn) && !ck_port_valid(json_integer_value(pn)))
            ck_errs_invalid(errs, ck_pathf(f, sizeof f, "ports[%zu].port", i), pn, CK_PORT_RANGE_MSG);
    }
    if (old && strcmp(at, ck_str(old, "addressType")))
        ck_errs_invalid_str(errs, "addressType", at, "field is immutable");
}

/* formatDiscoveryPorts: "80,443", "<unset>" for none or a nil port. */
static json_t *cell_ports(const json_t *o)
{
    char buf[512] = "";
    size_t i, off = 0;
    const json_t *p;
    const json_t *ports = json_object_get(o, "ports");
    json_array_foreach(ports, i, p) {
        const json_t *n = json_object_get(p, "port");
        int w = json_is_integer(n) ? snprintf(buf + off, sizeof buf - off, "%s%lld", i ? "," : "",
                                              (long long)json_integer_value(n))
                                   : snprintf(buf + off, sizeof buf - off, "%s<unset>", i ? "," : "");
        if (w < 0 || (size_t)w >= sizeof buf - off) break;
        off += (size_t)w;
    }
    return json_string(off ? buf : "<unset>");
}

/* formatDiscoveryEndpoints: the first 3 addresses, "+ N more...". */
static json_t *cell_endpoints(const json_t *o)
{
    char buf[1024] = "";
    size_t i, j, shown = 0, total = 0, off = 0;
    const json_t *ep, *a;
    json_array_foreach(json_object_get(o, "endpoints"), i, ep) {
        json_array_foreach(json_object_get(ep, "addresses"), j, a) {
            total++;
            if (shown >= 3) continue;
            int w = snprintf(buf + off, sizeof buf - off, "%s%s", shown ? "," : "", json_string_value(a) ?: "");
            if (w < 0 || (size_t)w >= sizeof buf - off) continue;
            off += (size_t)w;
            shown++;
        }
    }
    if (!total) return json_string("<unset>");
    if (total > shown) snprintf(buf + off, sizeof buf - off, " + %zu more...", total - shown);
    return json_string(buf);
}

const ck_column ck_columns_endpointslice[] = {
    COL_NAME,
    {.name = "AddressType", .type = "string", .format = "",
     .description = "addressType specifies the type of address carried by this EndpointSlice. All addresses in this "
                    "slice must be the same type. This field is immutable after creation. The following address types "
                    "are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. "
                    "* FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only "
                    "generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No "
                    "semantics are defined for the \"FQDN\" type.",
     .json_path = "addressType"},
    {.name = "Ports", .type = "string", .format = "",
     .description = "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must "
                    "have a unique name. Each slice may include a maximum of 100 ports. Services always have at least "
                    "1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at "
                    "least 1 port. EndpointSlices used for other purposes may have an empty ports list.",
     .cell = cell_ports},
    {.name = "Endpoints", .type = "string", .format = "",
     .description = "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 "
                    "endpoints.",
     .cell = cell_endpoints},
    COL_AGE, {0}};
