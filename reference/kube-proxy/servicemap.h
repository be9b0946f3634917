/* servicemap.h: what kube-proxy programs, as plain data: the ServicePortMap
 * (one entry per Service port) and the EndpointsMap (ready endpoints per
 * ServicePortName + protocol), as upstream pkg/proxy/servicechangetracker.go
 * and endpointschangetracker.go compute them from Services and Endpoints. */
#ifndef CK_PROXY_SERVICEMAP_H
#define CK_PROXY_SERVICEMAP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CK_SPN_LEN 400 /* "namespace/name:portname" (63 + 253 + 63 + separators) */

/* One service port (upstream proxy.BaseServicePortInfo). */
typedef struct ck_service_port {
    char name[CK_SPN_LEN];  /* ServicePortName.String(): "ns/name:port", or "ns/name" when unnamed */
    char port_name[64];     /* spec.ports[].name ("" when unnamed) */
    char protocol[8];       /* "TCP", "UDP" or "SCTP" */
    char cluster_ip[64];
    int port;               /* spec.ports[].port */
    int node_port;          /* 0 when none */
    bool affinity_client_ip;    /* spec.sessionAffinity == ClientIP */
    int sticky_max_age_seconds; /* sessionAffinityConfig.clientIP.timeoutSeconds (10800) */
} ck_service_port;

/* One ready endpoint address of a service port. */
typedef struct ck_endpoint {
    char ip[64];
    int port;
} ck_endpoint;

/* The endpoints of one ServicePortName + protocol, sorted by "ip:port". */
typedef struct ck_endpoint_set {
    char name[CK_SPN_LEN];
    char protocol[8];
    ck_endpoint *eps;   /* owned */
    size_t n;
} ck_endpoint_set;

/* A consistent snapshot handed to a proxier. Both arrays sorted by
 * (name, protocol), so renderings are deterministic. */
typedef struct ck_proxy_state {
    ck_service_port *svcs;  /* owned */
    size_t nsvcs;
    ck_endpoint_set *eps;   /* owned */
    size_t neps;
} ck_proxy_state;

/* Appends the proxyable ports of a v1 Service to *out (realloc'd; *n grows).
 * Services without a cluster IP ("" or "None", i.e. headless) yield nothing,
 * as upstream's ShouldSkipService. 0, or -1 on OOM. */
int ck_service_ports_from_json(const json_t *svc, ck_service_port **out, size_t *n);
/* Appends the endpoint sets of a v1 Endpoints object to *out: one set per
 * (port name, protocol), ready addresses (subsets[].addresses) only, valid
 * ip and port > 0. Named service ports match by the Endpoints' port name.
 * 0, or -1 on OOM. */
int ck_endpoint_sets_from_json(const json_t *ep, ck_endpoint_set **out, size_t *n);
void ck_endpoint_sets_free(ck_endpoint_set *sets, size_t n);

/* The endpoints for a service port, or NULL. Borrowed from state. */
const ck_endpoint_set *ck_proxy_state_endpoints(const ck_proxy_state *st, const ck_service_port *sp);
/* Frees the arrays (not st itself when it is on the stack). */
void ck_proxy_state_clear(ck_proxy_state *st);
void ck_proxy_state_free(ck_proxy_state *st);
/* Sorts both arrays (and each set's endpoints). */
void ck_proxy_state_sort(ck_proxy_state *st);
#endif
