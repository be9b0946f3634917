/* handler.c: a query's journey through the DNS server: parse, check the
 * header (RFC 1035 4.1.1), look the name up, add the zone SOA to negative
 * answers (RFC 2308), echo EDNS (RFC 6891), build within the transport's
 * size limit or truncate (RFC 2181 9). */
#include "dns/handler.h"
#include <stdio.h>
#include <string.h>
#include "util/log.h"

/* The client's EDNS OPT record, or NULL. */
static const ck_dns_rr *find_opt(const ck_dns_msg *m)
{
    for (size_t i = m->an + m->ns; i < m->an + m->ns + m->ar; i++)
        if (m->rr[i].type == CK_DNS_OPT) return &m->rr[i];
    return NULL;
}

static int add_opt(ck_dns_msg *resp)
{
    ck_dns_rr *rr = ck_dns_msg_add(resp, CK_DNS_SEC_AR);
    if (!rr) return -1;
    rr->type = CK_DNS_OPT, rr->rclass = CK_DNS_UDP_EDNS; /* our payload size */
    return 0;
}

/* Builds resp within limit: whole, then without additional glue, then only
 * the question with TC (the client retries over TCP). */
static int build_fitting(ck_dns_msg *resp, bool edns, uint8_t *out, size_t limit)
{
    int n = ck_dns_build(resp, out, limit);
    if (n >= 0) return n;
    size_t keep_ar = 0;
    for (size_t i = resp->an + resp->ns; i < resp->an + resp->ns + resp->ar; i++)
        if (resp->rr[i].type == CK_DNS_OPT) resp->rr[resp->an + resp->ns + keep_ar++] = resp->rr[i];
    resp->ar = keep_ar;
    if ((n = ck_dns_build(resp, out, limit)) >= 0) return n;
    resp->an = resp->ns = resp->ar = 0;
    resp->flags |= CK_DNS_TC;
    if (edns) add_opt(resp);
    return ck_dns_build(resp, out, limit);
}

static void set_rcode(ck_dns_msg *resp, int rcode) { resp->flags = (uint16_t)((resp->flags & ~0xf) | rcode); }

ck_dns_action ck_dns_handle(const ck_dns_records *t, const uint8_t *q, size_t qlen, bool tcp,
                            bool can_forward, uint8_t *out, size_t cap, size_t *outlen)
{
    ck_dns_msg m, resp;
    ck_dns_msg_init(&m);
    ck_dns_msg_init(&resp);
    char err[128] = "";
    int prc = ck_dns_parse(q, qlen, &m, err, sizeof err);
    ck_dns_action act = CK_DNS_REPLY;
    if (qlen < 12 || (m.flags & CK_DNS_QR)) { act = CK_DNS_DROP; goto done; }
    resp.id = m.id;
    /* Keep opcode and RD; we recurse only through the upstream. */
    resp.flags = (uint16_t)(CK_DNS_QR | (m.flags & (0x7800 | CK_DNS_RD)) | (can_forward ? CK_DNS_RA : 0));
    const ck_dns_rr *opt = prc == 0 ? find_opt(&m) : NULL;
    size_t limit = tcp ? 65535 : CK_DNS_UDP_MIN;
    if (opt && !tcp && opt->rclass > CK_DNS_UDP_MIN)
        limit = opt->rclass < CK_DNS_UDP_EDNS ? opt->rclass : CK_DNS_UDP_EDNS;
    if (limit > cap) limit = cap;
    if (prc < 0 || m.qdcount != 1) {
        ck_debug("dns: FORMERR: %s", prc < 0 ? err : "qdcount != 1");
        set_rcode(&resp, CK_DNS_FORMERR);
        goto reply;
    }
    resp.qdcount = 1;
    resp.q = m.q;
    if (CK_DNS_OPCODE(m.flags) != 0) { set_rcode(&resp, CK_DNS_NOTIMP); goto reply; }
    ck_dns_lookup lk = m.q.qclass == CK_DNS_CLASS_IN || m.q.qclass == CK_DNS_ANY
                       ? ck_dns_records_lookup(t, m.q.name, m.q.qtype, &resp) : CK_DNS_LOOKUP_NOTAUTH;
    ck_debug("dns: %s %s -> %d (%zu answers)", m.q.name, ck_dns_type_name(m.q.qtype) ? ck_dns_type_name(m.q.qtype) : "?",
             (int)lk, resp.an);
    switch (lk) {
    case CK_DNS_LOOKUP_ANSWER:
        resp.flags |= CK_DNS_AA;
        break;
    case CK_DNS_LOOKUP_NXDOMAIN:
    case CK_DNS_LOOKUP_NODATA: {
        resp.flags |= CK_DNS_AA;
        if (lk == CK_DNS_LOOKUP_NXDOMAIN) set_rcode(&resp, CK_DNS_NXDOMAIN);
        ck_dns_rr *soa = ck_dns_msg_add(&resp, CK_DNS_SEC_NS);
        if (soa) ck_dns_records_soa(t, soa);
        break;
    }
    case CK_DNS_LOOKUP_NOTAUTH:
        if (can_forward) { act = CK_DNS_FORWARD; goto done; }
        set_rcode(&resp, CK_DNS_REFUSED);
        break;
    case CK_DNS_LOOKUP_ERROR:
        resp.an = resp.ns = resp.ar = 0;
        set_rcode(&resp, CK_DNS_SERVFAIL);
        break;
    }
reply:
    if (opt && add_opt(&resp) < 0) set_rcode(&resp, CK_DNS_SERVFAIL);
    int n = build_fitting(&resp, opt != NULL, out, limit);
    if (n < 0) { /* a name that cannot be encoded: the bare header */
        resp.qdcount = 0;
        resp.an = resp.ns = resp.ar = 0;
        set_rcode(&resp, CK_DNS_SERVFAIL);
        n = ck_dns_build(&resp, out, limit);
    }
    if (n < 0) act = CK_DNS_DROP;
    else *outlen = (size_t)n;
done:
    ck_dns_msg_clear(&m);
    ck_dns_msg_clear(&resp);
    return act;
}
