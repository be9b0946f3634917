/* records.h: the Kubernetes DNS record table (kubernetes/dns
 * docs/specification.md, schema 1.1.0 as CoreDNS's kubernetes plugin): built
 * from Services and their Endpoints into a sorted, immutable table, then
 * looked up by name and type. Pod A records are synthesised, not stored. */
#ifndef CK_DNS_RECORDS_H
#define CK_DNS_RECORDS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dns/message.h"

#define CK_DNS_TTL 5                  /* CoreDNS kubernetes plugin defaultTTL */
#define CK_DNS_SCHEMA_VERSION "1.1.0" /* CoreDNS DNSSchemaVersion */

/* One stored record. type 0 marks an empty non-terminal: a name that exists
 * only because names below it do (answered NODATA, never NXDOMAIN). */
typedef struct ck_dns_record {
    char *name;        /* lower case, no trailing dot; owned */
    uint16_t type;
    uint8_t addr[16];  /* A: first 4 bytes; AAAA */
    uint16_t priority, weight, port; /* SRV */
    char *target;      /* CNAME/PTR/SRV target, TXT string; owned or NULL */
} ck_dns_record;

typedef struct ck_dns_records ck_dns_records; /* opaque */

/* An empty table for zone ("cluster.local"), holding the dns-version TXT
 * record. NULL on OOM. */
ck_dns_records *ck_dns_records_new(const char *zone);
/* Adds a Service's records; endpoints is its Endpoints object or NULL
 * (borrowed, read-only). ClusterIP: A/AAAA, SRV per named port, PTR.
 * Headless (clusterIP None): A/AAAA per ready endpoint at the service and
 * at <hostname>.<service>, SRV per (endpoint, named port), PTR per endpoint.
 * ExternalName: CNAME. 0, or -1 on OOM (the table stays usable). */
int ck_dns_records_add_service(ck_dns_records *t, const json_t *svc, const json_t *endpoints);
/* Sorts the table and adds the empty non-terminals; call once after the
 * adds and before any lookup. 0, or -1 on OOM. */
int ck_dns_records_finish(ck_dns_records *t);
void ck_dns_records_free(ck_dns_records *t);
const char *ck_dns_records_zone(const ck_dns_records *t);
size_t ck_dns_records_len(const ck_dns_records *t);
/* The SOA serial: when the table was built (CoreDNS: the last change). */
uint32_t ck_dns_records_serial(const ck_dns_records *t);
/* The records named `lname` (already lower case): a borrowed run of *count
 * records (sorted by type), or NULL when the name has none. */
const ck_dns_record *ck_dns_records_find(const ck_dns_records *t, const char *lname, size_t *count);

typedef enum {
    CK_DNS_LOOKUP_ANSWER,   /* records of the type (or a CNAME) were added */
    CK_DNS_LOOKUP_NODATA,   /* the name exists, not with that type */
    CK_DNS_LOOKUP_NXDOMAIN, /* in the zone, no such name */
    CK_DNS_LOOKUP_NOTAUTH,  /* not ours: outside the zone, or an unknown reverse name */
    CK_DNS_LOOKUP_ERROR,    /* out of memory / too many records */
} ck_dns_lookup;

/* Answers qname/qtype (case-insensitive) into resp: answer records named
 * `qname` as asked (the question's case), plus the A/AAAA records of SRV
 * targets in the additional section. resp must have no authority or
 * additional records yet. */
ck_dns_lookup ck_dns_records_lookup(const ck_dns_records *t, const char *qname, uint16_t qtype,
                                    ck_dns_msg *resp);
/* Fills rr with the zone's SOA (CoreDNS: ns.dns.<zone>. hostmaster.<zone>.
 * serial 7200 1800 86400 ttl), for the authority section of negative answers. */
void ck_dns_records_soa(const ck_dns_records *t, ck_dns_rr *rr);

/* "10.0.0.1" -> "1.0.0.10.in-addr.arpa", IPv6 -> nibbles ".ip6.arpa".
 * 0, or -1 when ip is not an address or out is too small. */
int ck_dns_reverse_name(const char *ip, char *out, size_t outlen);
#endif
