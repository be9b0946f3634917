/* endpoints.c: core/v1 Endpoints: schema (k8s.io/api/core/v1/types.go),
 * port protocol default, ValidateEndpoints and the Endpoints printer column. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "api/decode.h"
#include "api/schemas/fields.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field addr_fields[] = {
    F_STR("ip", PB(1)), F_STR("hostname", PB(3)), F_STR("nodeName", PBP(4)), F_REF("targetRef", PBP(2)), F_END};
static const ck_field addr = {.name = "", .type = CK_OBJECT, .fields = addr_fields};
static const ck_field port_fields[] = {
    F_STR("name", PB(1)), F_INT("port", PB(2)), {.name = "protocol", .type = CK_STRING, .dflt = "\"TCP\"", .tag = 3},
    F_STR("appProtocol", PBP(4)), F_END};
static const ck_field port = {.name = "", .type = CK_OBJECT, .fields = port_fields};
static const ck_field subset_fields[] = {
    F_LIST("addresses", &addr, PB(1)), F_LIST("notReadyAddresses", &addr, PB(2)), F_LIST("ports", &port, PB(3)), F_END};
static const ck_field subset = {.name = "", .type = CK_OBJECT, .fields = subset_fields};
static const ck_field ep_root[] = {F_TYPEMETA, F_LIST("subsets", &subset, PB(2)), F_END};
const ck_field ck_schema_endpoints = {.name = "", .type = CK_OBJECT, .fields = ep_root};

/* printers.formatEndpoints: "ip:port,..." at most 3, then " + N more...". */
static json_t *cell_endpoints(const json_t *obj)
{
    char out[512] = "";
    size_t off = 0, count = 0;
    size_t i, j, k;
    json_t *ss, *a, *p;
    json_array_foreach(json_object_get(obj, "subsets"), i, ss) {
        json_t *ports = json_object_get(ss, "ports");
        json_array_foreach(json_object_get(ss, "addresses"), j, a) {
            size_t np = json_array_size(ports);
            for (k = 0; k < (np ? np : 1); k++) {
                p = json_array_get(ports, k);
                count++;
                if (count > 3) continue;
                int w = p ? snprintf(out + off, sizeof out - off, "%s%s:%lld", off ? "," : "",
                                     ck_json_str(a, "ip", ""), ck_json_int(p, "port", 0))
                          : snprintf(out + off, sizeof out - off, "%s%s", off ? "," : "",
                                     ck_json_str(a, "ip", ""));
                if (w > 0 && (size_t)w < sizeof out - off) off += (size_t)w;
            }
        }
    }
    if (count > 3) snprintf(out + off, sizeof out - off, " + %zu more...", count - 3);
    return json_string(count ? out : "<none>");
}
const ck_column ck_columns_endpoints[] = {
    COL_NAME,
    {.name = "Endpoints", .type = "string", .format = "", .description = "Endpoints is the list of endpoints for this service.",
     .cell = cell_endpoints},
    COL_AGE, {0}};

void ck_defaults_endpoints(json_t *obj) {}

void ck_validate_endpoints(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const protocols[] = {"SCTP", "TCP", "UDP", NULL};
    size_t i, j;
    json_t *ss, *a, *p;
    char path[128];
    static const char *const lists[] = {"addresses", "notReadyAddresses"};
    json_array_foreach(json_object_get(obj, "subsets"), i, ss) {
        for (int l = 0; l < 2; l++)
            json_array_foreach(json_object_get(ss, lists[l]), j, a) {
                snprintf(path, sizeof path, "subsets[%zu].%s[%zu].ip", i, lists[l], j);
                const char *ip = ck_json_str(a, "ip", "");
                unsigned char buf[16];
                /* validateEndpointAddress: validation.IsValidIP */
                if (!*ip) ck_errs_required(errs, path, NULL);
                else if (inet_pton(AF_INET, ip, buf) != 1 && inet_pton(AF_INET6, ip, buf) != 1)
                    ck_errs_invalid_str(errs, path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        json_array_foreach(json_object_get(ss, "ports"), j, p) {
            long long port = ck_json_int(p, "port", 0);
            if (port < 1 || port > 65535) {
                snprintf(path, sizeof path, "subsets[%zu].ports[%zu].port", i, j);
                ck_errs_invalid(errs, path, json_object_get(p, "port"),
                                "must be between 1 and 65535, inclusive");
            }
            const char *proto = ck_json_str(p, "protocol", "TCP");
            if (strcmp(proto, "TCP") && strcmp(proto, "UDP") && strcmp(proto, "SCTP")) {
                snprintf(path, sizeof path, "subsets[%zu].ports[%zu].protocol", i, j);
                ck_errs_not_supported(errs, path, proto, protocols);
            }
        }
    }
}
