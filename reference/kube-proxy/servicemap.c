/* servicemap.c: Services and Endpoints (v1 JSON) -> ServicePort and endpoint
 * sets, the data model every proxier consumes. Upstream: pkg/proxy/service.go
 * (newBaseServiceInfo, ShouldSkipService) and the Endpoints-based
 * endpointsToEndpointsMap of pkg/proxy/endpoints.go (v1.18). */
#include "kube-proxy/servicemap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/ckjson.h"

/* upstream v1.DefaultClientIPServiceAffinitySeconds */
#define DEFAULT_STICKY_SECONDS 10800

static void spn(char *out, const char *ns, const char *name, const char *port)
{
    /* ServicePortName.String(): the ":port" part only when the port is named. */
    snprintf(out, CK_SPN_LEN, "%s/%s%s%s", ns, name, *port ? ":" : "", port);
}

int ck_service_ports_from_json(const json_t *svc, ck_service_port **out, size_t *n)
{
    const char *ip = ck_json_str(svc, "spec.clusterIP", "");
    if (!*ip || strcmp(ip, "None") == 0) return 0;
    if (strcmp(ck_json_str(svc, "spec.type", ""), "ExternalName") == 0) return 0;
    const char *ns = ck_json_str(svc, "metadata.namespace", "default");
    const char *name = ck_json_str(svc, "metadata.name", "");
    bool affinity = strcmp(ck_json_str(svc, "spec.sessionAffinity", "None"), "ClientIP") == 0;
    int sticky = (int)ck_json_int(svc, "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                                  DEFAULT_STICKY_SECONDS);
    json_t *ports = ck_json_path(svc, "spec.ports");
    size_t i;
    json_t *p;
    json_array_foreach(ports, i, p) {
        ck_service_port *grown = realloc(*out, (*n + 1) * sizeof **out);
        if (!grown) return -1;
        *out = grown;
        ck_service_port *sp = &grown[(*n)++];
        memset(sp, 0, sizeof *sp);
        snprintf(sp->port_name, sizeof sp->port_name, "%s", ck_json_str(p, "name", ""));
        spn(sp->name, ns, name, sp->port_name);
        snprintf(sp->protocol, sizeof sp->protocol, "%s", ck_json_str(p, "protocol", "TCP"));
        snprintf(sp->cluster_ip, sizeof sp->cluster_ip, "%s", ip);
        sp->port = (int)ck_json_int(p, "port", 0);
        sp->node_port = (int)ck_json_int(p, "nodePort", 0);
        sp->affinity_client_ip = affinity;
        sp->sticky_max_age_seconds = sticky;
    }
    return 0;
}

static ck_endpoint_set *find_set(ck_endpoint_set *sets, size_t n, const char *name, const char *proto)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(sets[i].name, name) == 0 && strcmp(sets[i].protocol, proto) == 0) return &sets[i];
    return NULL;
}

static int add_endpoint(ck_endpoint_set **out, size_t *n, const char *name, const char *proto,
                        const char *ip, int port)
{
    ck_endpoint_set *s = find_set(*out, *n, name, proto);
    if (!s) {
        ck_endpoint_set *grown = realloc(*out, (*n + 1) * sizeof **out);
        if (!grown) return -1;
        *out = grown;
        s = &grown[(*n)++];
        memset(s, 0, sizeof *s);
        snprintf(s->name, sizeof s->name, "%s", name);
        snprintf(s->protocol, sizeof s->protocol, "%s", proto);
    }
    for (size_t i = 0; i < s->n; i++)  /* the same address in two subsets counts once */
        if (s->eps[i].port == port && strcmp(s->eps[i].ip, ip) == 0) return 0;
    ck_endpoint *eps = realloc(s->eps, (s->n + 1) * sizeof *eps);
    if (!eps) return -1;
    s->eps = eps;
    snprintf(eps[s->n].ip, sizeof eps[s->n].ip, "%s", ip);
    eps[s->n++].port = port;
    return 0;
}

int ck_endpoint_sets_from_json(const json_t *ep, ck_endpoint_set **out, size_t *n)
{
    const char *ns = ck_json_str(ep, "metadata.namespace", "default");
    const char *name = ck_json_str(ep, "metadata.name", "");
    size_t i, j, k;
    json_t *ss, *port, *addr;
    json_array_foreach(ck_json_path(ep, "subsets"), i, ss) {
        json_array_foreach(json_object_get(ss, "ports"), j, port) {
            int pn = (int)ck_json_int(port, "port", 0);
            if (pn <= 0) continue;  /* upstream: "ignoring invalid endpoint port" */
            char key[CK_SPN_LEN];
            spn(key, ns, name, ck_json_str(port, "name", ""));
            const char *proto = ck_json_str(port, "protocol", "TCP");
            /* Ready addresses only: notReadyAddresses never receive traffic. */
            json_array_foreach(json_object_get(ss, "addresses"), k, addr) {
                const char *ip = ck_json_str(addr, "ip", "");
                if (!*ip) continue;
                if (add_endpoint(out, n, key, proto, ip, pn) < 0) return -1;
            }
        }
    }
    return 0;
}

void ck_endpoint_sets_free(ck_endpoint_set *sets, size_t n)
{
    for (size_t i = 0; i < n; i++) free(sets[i].eps);
    free(sets);
}

const ck_endpoint_set *ck_proxy_state_endpoints(const ck_proxy_state *st, const ck_service_port *sp)
{
    return find_set(st->eps, st->neps, sp->name, sp->protocol);
}

void ck_proxy_state_clear(ck_proxy_state *st)
{
    free(st->svcs);
    ck_endpoint_sets_free(st->eps, st->neps);
    memset(st, 0, sizeof *st);
}

void ck_proxy_state_free(ck_proxy_state *st)
{
    if (!st) return;
    ck_proxy_state_clear(st);
    free(st);
}

static int cmp_svc(const void *a, const void *b)
{
    const ck_service_port *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->protocol, y->protocol);
}

static int cmp_set(const void *a, const void *b)
{
    const ck_endpoint_set *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->protocol, y->protocol);
}

static int cmp_ep(const void *a, const void *b)
{
    const ck_endpoint *x = a, *y = b;
    int c = strcmp(x->ip, y->ip);
    return c ? c : x->port - y->port;
}

void ck_proxy_state_sort(ck_proxy_state *st)
{
    if (st->nsvcs) qsort(st->svcs, st->nsvcs, sizeof *st->svcs, cmp_svc);
    if (st->neps) qsort(st->eps, st->neps, sizeof *st->eps, cmp_set);
    for (size_t i = 0; i < st->neps; i++)
        if (st->eps[i].n) qsort(st->eps[i].eps, st->eps[i].n, sizeof *st->eps[i].eps, cmp_ep);
}
