/* lookup.c: answering one name and type from the record table, following
 * kubernetes/dns docs/specification.md and CoreDNS's kubernetes plugin:
 * existing names answer or NODATA, missing ones NXDOMAIN, pod names
 * (<a-b-c-d>.<ns>.pod.<zone>, spec 2.6) are synthesised from their IP. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dns/records.h"

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    return n > s && name[n - s - 1] == '.' && !strcmp(name + n - s, suffix);
}

/* Copies a table row into an answer record named `owner`. */
static ck_dns_lookup put_record(ck_dns_msg *resp, ck_dns_section sec, const char *owner,
                                const ck_dns_record *r)
{
    ck_dns_rr *rr = ck_dns_msg_add(resp, sec);
    if (!rr) return CK_DNS_LOOKUP_ERROR;
    snprintf(rr->name, sizeof rr->name, "%s", owner);
    rr->type = r->type, rr->rclass = CK_DNS_CLASS_IN, rr->ttl = CK_DNS_TTL;
    memcpy(rr->addr, r->addr, sizeof rr->addr);
    rr->priority = r->priority, rr->weight = r->weight, rr->port = r->port;
    if (r->type == CK_DNS_TXT) { /* one <character-string> */
        size_t l = r->target ? strlen(r->target) : 0;
        if (l > 255) l = 255;
        rr->raw[0] = (uint8_t)l;
        memcpy(rr->raw + 1, r->target, l);
        rr->rawlen = (uint16_t)(l + 1);
    } else if (r->target) {
        snprintf(rr->target, sizeof rr->target, "%s", r->target);
    }
    return CK_DNS_LOOKUP_ANSWER;
}

/* "10-244-1-5" -> A 10.244.1.5; "fd00--1" -> AAAA fd00::1 (CoreDNS podrecords). */
static ck_dns_lookup pod_record(const char *label, const char *owner, uint16_t qtype, ck_dns_msg *resp)
{
    char ip[64];
    if (strlen(label) >= sizeof ip) return CK_DNS_LOOKUP_NXDOMAIN;
    ck_dns_record r = {.name = NULL};
    snprintf(ip, sizeof ip, "%s", label);
    for (char *p = ip; *p; p++) if (*p == '-') *p = '.';
    if (inet_pton(AF_INET, ip, r.addr) == 1) {
        r.type = CK_DNS_A;
    } else {
        for (char *p = ip; *p; p++) if (*p == '.') *p = ':';
        if (inet_pton(AF_INET6, ip, r.addr) != 1) return CK_DNS_LOOKUP_NXDOMAIN;
        r.type = CK_DNS_AAAA;
    }
    if (qtype != r.type && qtype != CK_DNS_ANY) return CK_DNS_LOOKUP_NODATA;
    return put_record(resp, CK_DNS_SEC_AN, owner, &r);
}

/* <x>.<ns>.pod.<zone>, <ns>.pod.<zone>: rest is what precedes "pod.<zone>". */
static ck_dns_lookup pod_lookup(const char *rest, const char *owner, uint16_t qtype, ck_dns_msg *resp)
{
    const char *dot = strchr(rest, '.');
    if (!dot) return CK_DNS_LOOKUP_NODATA; /* a namespace */
    if (strchr(dot + 1, '.')) return CK_DNS_LOOKUP_NXDOMAIN;
    char label[64];
    if ((size_t)(dot - rest) >= sizeof label) return CK_DNS_LOOKUP_NXDOMAIN;
    memcpy(label, rest, (size_t)(dot - rest));
    label[dot - rest] = 0;
    return pod_record(label, owner, qtype, resp);
}

/* The A/AAAA records of SRV targets, once each, in the additional section
 * (spec 2.3.2/2.4.2 "may include"). */
static ck_dns_lookup add_srv_glue(const ck_dns_records *t, ck_dns_msg *resp)
{
    size_t an = resp->an;
    for (size_t i = 0; i < an; i++) {
        if (resp->rr[i].type != CK_DNS_SRV) continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = resp->rr[k].type == CK_DNS_SRV && !strcmp(resp->rr[k].target, resp->rr[i].target);
        if (seen) continue;
        char target[CK_DNS_NAME_MAX];
        snprintf(target, sizeof target, "%s", resp->rr[i].target);
        size_t n;
        const ck_dns_record *r = ck_dns_records_find(t, target, &n);
        for (size_t k = 0; k < n; k++)
            if ((r[k].type == CK_DNS_A || r[k].type == CK_DNS_AAAA) &&
                put_record(resp, CK_DNS_SEC_AR, target, &r[k]) != CK_DNS_LOOKUP_ANSWER)
                return CK_DNS_LOOKUP_ERROR;
    }
    return CK_DNS_LOOKUP_ANSWER;
}

static ck_dns_lookup lookup(const ck_dns_records *t, const char *qname, uint16_t qtype, ck_dns_msg *resp,
                            int depth);

ck_dns_lookup ck_dns_records_lookup(const ck_dns_records *t, const char *qname, uint16_t qtype,
                                    ck_dns_msg *resp)
{
    return lookup(t, qname, qtype, resp, 0);
}

static ck_dns_lookup lookup(const ck_dns_records *t, const char *qname, uint16_t qtype, ck_dns_msg *resp,
                            int depth)
{
    char lname[CK_DNS_NAME_MAX];
    snprintf(lname, sizeof lname, "%s", qname);
    size_t ql = strlen(lname);
    if (ql && lname[ql - 1] == '.') lname[ql - 1] = 0;
    ck_dns_name_lower(lname);
    const char *zone = ck_dns_records_zone(t);
    bool in_zone = !strcmp(lname, zone) || has_suffix(lname, zone);
    if (!strcmp(lname, zone)) {
        if (qtype != CK_DNS_SOA && qtype != CK_DNS_ANY) return CK_DNS_LOOKUP_NODATA;
        ck_dns_rr *rr = ck_dns_msg_add(resp, CK_DNS_SEC_AN);
        if (!rr) return CK_DNS_LOOKUP_ERROR;
        ck_dns_records_soa(t, rr);
        snprintf(rr->name, sizeof rr->name, "%s", qname);
        return CK_DNS_LOOKUP_ANSWER;
    }
    char podzone[CK_DNS_NAME_MAX];
    snprintf(podzone, sizeof podzone, "pod.%s", zone);
    if (has_suffix(lname, podzone)) {
        lname[strlen(lname) - strlen(podzone) - 1] = 0;
        return pod_lookup(lname, qname, qtype, resp);
    }
    size_t n;
    const ck_dns_record *r = ck_dns_records_find(t, lname, &n);
    if (!r) return in_zone ? CK_DNS_LOOKUP_NXDOMAIN : CK_DNS_LOOKUP_NOTAUTH;
    bool any = false;
    const char *cname = NULL;
    for (size_t i = 0; i < n; i++) {
        /* A CNAME answers every type (RFC 1034 3.6.2). */
        bool match = r[i].type && (r[i].type == qtype || qtype == CK_DNS_ANY ||
                                   (r[i].type == CK_DNS_CNAME && qtype != CK_DNS_CNAME));
        if (!match) continue;
        if (put_record(resp, CK_DNS_SEC_AN, qname, &r[i]) != CK_DNS_LOOKUP_ANSWER) return CK_DNS_LOOKUP_ERROR;
        if (r[i].type == CK_DNS_CNAME && qtype != CK_DNS_CNAME && qtype != CK_DNS_ANY) cname = r[i].target;
        any = true;
    }
    if (!any) return CK_DNS_LOOKUP_NODATA;
    /* An ExternalName pointing into the cluster zone is chased here, as
     * CoreDNS's kubernetes plugin does (plugin/backend_lookup.go: a CNAME
     * target in the same zone is looked up and appended); targets outside
     * are left to the client. A bounded depth stops CNAME loops. */
    if (cname && depth < 8) {
        char target[CK_DNS_NAME_MAX];
        snprintf(target, sizeof target, "%s", cname);
        ck_dns_name_lower(target);
        size_t tl = strlen(target);
        if (tl && target[tl - 1] == '.') target[tl - 1] = 0;
        if (has_suffix(target, zone) && strcmp(target, lname) != 0 &&
            lookup(t, target, qtype, resp, depth + 1) == CK_DNS_LOOKUP_ERROR)
            return CK_DNS_LOOKUP_ERROR;
    }
    return add_srv_glue(t, resp);
}

void ck_dns_records_soa(const ck_dns_records *t, ck_dns_rr *rr)
{
    const char *zone = ck_dns_records_zone(t);
    memset(rr, 0, sizeof *rr);
    snprintf(rr->name, sizeof rr->name, "%s", zone);
    rr->type = CK_DNS_SOA, rr->rclass = CK_DNS_CLASS_IN, rr->ttl = CK_DNS_TTL;
    snprintf(rr->target, sizeof rr->target, "ns.dns.%s", zone);
    snprintf(rr->target2, sizeof rr->target2, "hostmaster.%s", zone);
    uint32_t soa[5] = {ck_dns_records_serial(t), 7200, 1800, 86400, CK_DNS_TTL};
    memcpy(rr->soa, soa, sizeof soa);
}
