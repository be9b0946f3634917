/* records.c: the Kubernetes DNS schema as a table. Services and Endpoints
 * become rows (name, type, rdata) sorted by name; a lookup is a binary search
 * plus the spec's rules: NXDOMAIN for names that do not exist, NODATA for
 * names that do with another type, pod names synthesised from their IPs. */
#define _GNU_SOURCE
#include "dns/records.h"
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "util/ckjson.h"

struct ck_dns_records {
    char *zone;
    ck_dns_record *rec;
    size_t n, cap;
    uint32_t serial;
};

/* snprintf that reports truncation: names too long for DNS are skipped. */
static bool fmt_name(char *out, size_t outlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fmt_name(char *out, size_t outlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, outlen, fmt, ap);
    va_end(ap);
    return n > 0 && (size_t)n < outlen;
}

static int add(ck_dns_records *t, const char *name, uint16_t type, ck_dns_record **out)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        ck_dns_record *p = realloc(t->rec, cap * sizeof *p);
        if (!p) return -1;
        t->rec = p, t->cap = cap;
    }
    ck_dns_record *r = &t->rec[t->n];
    memset(r, 0, sizeof *r);
    if (!(r->name = strdup(name))) return -1;
    ck_dns_name_lower(r->name);
    r->type = type;
    t->n++;
    if (out) *out = r;
    return 0;
}

static int add_target(ck_dns_records *t, const char *name, uint16_t type, const char *target)
{
    ck_dns_record *r;
    if (add(t, name, type, &r) < 0) return -1;
    return (r->target = strdup(target)) ? 0 : -1;
}

/* A or AAAA for a textual IP; silently nothing for a non-IP. */
static int add_addr(ck_dns_records *t, const char *name, const char *ip)
{
    uint8_t a[16];
    ck_dns_record *r;
    if (inet_pton(AF_INET, ip, a) == 1) {
        if (add(t, name, CK_DNS_A, &r) < 0) return -1;
        memcpy(r->addr, a, 4);
    } else if (inet_pton(AF_INET6, ip, a) == 1) {
        if (add(t, name, CK_DNS_AAAA, &r) < 0) return -1;
        memcpy(r->addr, a, 16);
    }
    return 0;
}

ck_dns_records *ck_dns_records_new(const char *zone)
{
    ck_dns_records *t = calloc(1, sizeof *t);
    if (!t || !(t->zone = strdup(zone))) { free(t); return NULL; }
    size_t zl = strlen(t->zone);
    if (zl && t->zone[zl - 1] == '.') t->zone[zl - 1] = 0;
    ck_dns_name_lower(t->zone);
    t->serial = (uint32_t)time(NULL);
    /* Spec 2.2: dns-version.<zone>. IN TXT "<schema-version>". svc.<zone>
     * and pod.<zone> always exist (CoreDNS answers them NODATA). */
    char name[CK_DNS_NAME_MAX];
    snprintf(name, sizeof name, "dns-version.%s", t->zone);
    int rc = add_target(t, name, CK_DNS_TXT, CK_DNS_SCHEMA_VERSION);
    snprintf(name, sizeof name, "svc.%s", t->zone);
    rc |= add(t, name, 0, NULL);
    snprintf(name, sizeof name, "pod.%s", t->zone);
    rc |= add(t, name, 0, NULL);
    if (rc) { ck_dns_records_free(t); return NULL; }
    return t;
}

void ck_dns_records_free(ck_dns_records *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) free(t->rec[i].name), free(t->rec[i].target);
    free(t->rec);
    free(t->zone);
    free(t);
}

const char *ck_dns_records_zone(const ck_dns_records *t) { return t->zone; }
size_t ck_dns_records_len(const ck_dns_records *t) { return t->n; }
uint32_t ck_dns_records_serial(const ck_dns_records *t) { return t->serial; }

int ck_dns_reverse_name(const char *ip, char *out, size_t outlen)
{
    uint8_t a[16];
    if (inet_pton(AF_INET, ip, a) == 1) {
        int n = snprintf(out, outlen, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2], a[1], a[0]);
        return n > 0 && (size_t)n < outlen ? 0 : -1;
    }
    if (inet_pton(AF_INET6, ip, a) != 1 || outlen < 64 + sizeof "ip6.arpa") return -1;
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 15; i >= 0; i--) {
        out[o++] = hex[a[i] & 0xf], out[o++] = '.';
        out[o++] = hex[a[i] >> 4], out[o++] = '.';
    }
    strcpy(out + o, "ip6.arpa");
    return 0;
}

/* CoreDNS endpointHostname: the address's hostname, else its IP with '.'
 * and ':' replaced by '-'. */
static void endpoint_hostname(const json_t *addr, char *out, size_t outlen)
{
    const char *h = ck_json_str(addr, "hostname", "");
    snprintf(out, outlen, "%s", *h ? h : ck_json_str(addr, "ip", ""));
    if (*h) return;
    for (char *p = out; *p; p++)
        if (*p == '.' || *p == ':') *p = '-';
}

static const char *proto_label(const json_t *port)
{
    const char *p = ck_json_str(port, "protocol", "TCP");
    return !strcasecmp(p, "UDP") ? "_udp" : !strcasecmp(p, "SCTP") ? "_sctp" : "_tcp";
}

/* One ready address of a headless service: A at the service and at
 * <hostname>.<service>, SRV per named port, PTR (spec 2.4). */
static int add_headless_address(ck_dns_records *t, const char *svcname, const json_t *addr,
                                const json_t *ports)
{
    const char *ip = ck_json_str(addr, "ip", "");
    char host[256], fqdn[CK_DNS_NAME_MAX], name[CK_DNS_NAME_MAX], rev[128];
    endpoint_hostname(addr, host, sizeof host);
    if (!fmt_name(fqdn, sizeof fqdn, "%s.%s", host, svcname)) return 0;
    if (add_addr(t, svcname, ip) < 0 || add_addr(t, fqdn, ip) < 0) return -1;
    size_t i;
    json_t *p;
    json_array_foreach(ports, i, p) {
        const char *pn = ck_json_str(p, "name", "");
        if (!*pn) continue; /* "Unnamed ports do not have an SRV record." */
        if (!fmt_name(name, sizeof name, "_%s.%s.%s", pn, proto_label(p), svcname)) continue;
        if (add_target(t, name, CK_DNS_SRV, fqdn) < 0) return -1;
        t->rec[t->n - 1].port = (uint16_t)ck_json_int(p, "port", 0);
    }
    if (ck_dns_reverse_name(ip, rev, sizeof rev) == 0 && add_target(t, rev, CK_DNS_PTR, fqdn) < 0) return -1;
    return 0;
}

static int add_headless(ck_dns_records *t, const char *svcname, const json_t *svc, const json_t *eps)
{
    /* Spec 2.1 "ready": in addresses, or the service tolerates unready ones
     * (the alpha annotation, or spec.publishNotReadyAddresses). */
    bool unready = ck_json_bool(svc, "spec.publishNotReadyAddresses", false);
    json_t *ann = ck_json_path(svc, "metadata.annotations");
    json_t *tol = ann ? json_object_get(ann, "service.alpha.kubernetes.io/tolerate-unready-endpoints") : NULL;
    if (json_is_string(tol) && !strcmp(json_string_value(tol), "true")) unready = true;
    size_t i, j;
    json_t *subset, *addr;
    json_array_foreach(ck_json_path(eps, "subsets"), i, subset) {
        json_t *ports = ck_json_path(subset, "ports");
        json_array_foreach(ck_json_path(subset, "addresses"), j, addr)
            if (add_headless_address(t, svcname, addr, ports) < 0) return -1;
        if (!unready) continue;
        json_array_foreach(ck_json_path(subset, "notReadyAddresses"), j, addr)
            if (add_headless_address(t, svcname, addr, ports) < 0) return -1;
    }
    return 0;
}

/* A ClusterIP service: A/AAAA per cluster IP, SRV per named port whose
 * target is the service, PTR per cluster IP (spec 2.3). */
static int add_cluster_ip(ck_dns_records *t, const char *svcname, const json_t *svc)
{
    json_t *ips = ck_json_path(svc, "spec.clusterIPs");
    json_t *one = json_is_array(ips) && json_array_size(ips) ? NULL
                  : json_pack("[s]", ck_json_str(svc, "spec.clusterIP", ""));
    if (one) ips = one;
    size_t i;
    json_t *v;
    char rev[128], name[CK_DNS_NAME_MAX];
    int rc = 0;
    json_array_foreach(ips, i, v) {
        const char *ip = json_string_value(v);
        if (!ip || !*ip) continue;
        if (add_addr(t, svcname, ip) < 0) rc = -1;
        if (ck_dns_reverse_name(ip, rev, sizeof rev) == 0 && add_target(t, rev, CK_DNS_PTR, svcname) < 0) rc = -1;
    }
    json_decref(one);
    json_array_foreach(ck_json_path(svc, "spec.ports"), i, v) {
        const char *pn = ck_json_str(v, "name", "");
        if (!*pn) continue;
        if (!fmt_name(name, sizeof name, "_%s.%s.%s", pn, proto_label(v), svcname)) continue;
        if (add_target(t, name, CK_DNS_SRV, svcname) < 0) return -1;
        t->rec[t->n - 1].port = (uint16_t)ck_json_int(v, "port", 0);
    }
    return rc;
}

int ck_dns_records_add_service(ck_dns_records *t, const json_t *svc, const json_t *endpoints)
{
    const char *ns = ck_json_str(svc, "metadata.namespace", "default");
    const char *name = ck_json_str(svc, "metadata.name", "");
    if (!*name) return 0;
    char svcname[CK_DNS_NAME_MAX];
    if (!fmt_name(svcname, sizeof svcname, "%s.%s.svc.%s", name, ns, t->zone)) return 0;
    if (!strcmp(ck_json_str(svc, "spec.type", ""), "ExternalName")) {
        const char *ext = ck_json_str(svc, "spec.externalName", "");
        return *ext ? add_target(t, svcname, CK_DNS_CNAME, ext) : 0; /* spec 2.5 */
    }
    if (!strcmp(ck_json_str(svc, "spec.clusterIP", ""), "None"))
        return endpoints ? add_headless(t, svcname, svc, endpoints) : 0;
    return add_cluster_ip(t, svcname, svc);
}

static int rec_cmp(const void *a, const void *b)
{
    const ck_dns_record *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    if (x->type != y->type) return x->type < y->type ? -1 : 1;
    return x->target && y->target ? strcmp(x->target, y->target) : 0;
}

int ck_dns_records_finish(ck_dns_records *t)
{
    /* Every ancestor of a name inside the zone exists (RFC 8020 empty
     * non-terminals), e.g. <ns>.svc.<zone> and _tcp.<svc>.<ns>.svc.<zone>. */
    size_t n = t->n, zl = strlen(t->zone);
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(t->rec[i].name);
        if (nl <= zl + 1 || strcmp(t->rec[i].name + nl - zl, t->zone) || t->rec[i].name[nl - zl - 1] != '.')
            continue;
        for (const char *p = strchr(t->rec[i].name, '.'); p && strlen(p + 1) > zl; p = strchr(p + 1, '.')) {
            char *anc = strdup(p + 1);
            if (!anc || add(t, anc, 0, NULL) < 0) { free(anc); return -1; }
            free(anc);
        }
    }
    qsort(t->rec, t->n, sizeof *t->rec, rec_cmp);
    /* Drop a marker when its name has another row (markers sort first), and
     * exact duplicates (the same IP listed twice). */
    size_t o = 0;
    for (size_t i = 0; i < t->n; i++) {
        ck_dns_record *r = &t->rec[i];
        bool dup_marker = r->type == 0 && i + 1 < t->n && !strcmp(r->name, t->rec[i + 1].name);
        bool dup = o > 0 && rec_cmp(r, &t->rec[o - 1]) == 0 && !memcmp(r->addr, t->rec[o - 1].addr, 16) &&
                   r->port == t->rec[o - 1].port;
        if (dup_marker || dup) { free(r->name), free(r->target); continue; }
        t->rec[o++] = *r;
    }
    t->n = o;
    /* SRV weights: CoreDNS shares 100 among the records of one name. */
    for (size_t i = 0; i < t->n;) {
        size_t j = i;
        while (j < t->n && t->rec[j].type == t->rec[i].type && !strcmp(t->rec[j].name, t->rec[i].name)) j++;
        for (size_t k = i; k < j && t->rec[i].type == CK_DNS_SRV; k++)
            t->rec[k].weight = (uint16_t)(100 / (j - i) ? 100 / (j - i) : 1);
        i = j;
    }
    return 0;
}

const ck_dns_record *ck_dns_records_find(const ck_dns_records *t, const char *lname, size_t *count)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) { /* first row with name >= lname */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->rec[mid].name, lname) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t end = lo;
    while (end < t->n && !strcmp(t->rec[end].name, lname)) end++;
    *count = end - lo;
    return end > lo ? &t->rec[lo] : NULL;
}
