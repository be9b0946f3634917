/* message.h: the DNS wire format (RFC 1035 section 4, RFC 2782 SRV, RFC 6891
 * EDNS OPT): parse a datagram into a ck_dns_msg and build one back, with
 * name compression. Self-contained (libc only) so the fuzz target links it alone. */
#ifndef CK_DNS_MESSAGE_H
#define CK_DNS_MESSAGE_H
#include <stddef.h>
#include <stdint.h>

/* Names are dotted text without the trailing dot ("" is the root). Label
 * bytes other than letters, digits, '-', '_' and '*' are written \DDD
 * (RFC 4343 presentation form), so '.' inside a label survives. */
#define CK_DNS_NAME_MAX   1024   /* text form incl. NUL; wire form is <= 255 */
#define CK_DNS_RAW_MAX    512    /* rdata kept for TXT, OPT and unknown types */
#define CK_DNS_MAX_RRS    512    /* answer + authority + additional per message */
#define CK_DNS_UDP_MIN    512    /* RFC 1035 limit without EDNS */
#define CK_DNS_UDP_EDNS   1232   /* what we advertise (DNS flag day 2020) */

enum {
    CK_DNS_A = 1, CK_DNS_NS = 2, CK_DNS_CNAME = 5, CK_DNS_SOA = 6, CK_DNS_PTR = 12,
    CK_DNS_TXT = 16, CK_DNS_AAAA = 28, CK_DNS_SRV = 33, CK_DNS_OPT = 41, CK_DNS_ANY = 255,
};
enum { CK_DNS_CLASS_IN = 1 };
enum {
    CK_DNS_NOERROR = 0, CK_DNS_FORMERR = 1, CK_DNS_SERVFAIL = 2, CK_DNS_NXDOMAIN = 3,
    CK_DNS_NOTIMP = 4, CK_DNS_REFUSED = 5,
};
/* Header flag bits (the 16-bit word after the ID). */
#define CK_DNS_QR 0x8000
#define CK_DNS_AA 0x0400
#define CK_DNS_TC 0x0200
#define CK_DNS_RD 0x0100
#define CK_DNS_RA 0x0080
#define CK_DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define CK_DNS_RCODE(f)  ((f) & 0xf)

typedef struct ck_dns_question {
    char name[CK_DNS_NAME_MAX];
    uint16_t qtype, qclass;
} ck_dns_question;

/* One resource record. Which rdata fields are meaningful depends on type:
 * A: addr[0..3]; AAAA: addr; NS/CNAME/PTR: target; SRV: priority, weight,
 * port, target; SOA: target (mname), target2 (rname), soa[5]; everything
 * else (TXT, OPT, unknown): raw/rawlen as on the wire. For OPT, rclass is
 * the requestor's UDP payload size (RFC 6891). */
typedef struct ck_dns_rr {
    char name[CK_DNS_NAME_MAX];
    uint16_t type, rclass;
    uint32_t ttl;
    uint8_t addr[16];
    uint16_t priority, weight, port;
    uint32_t soa[5]; /* serial, refresh, retry, expire, minimum */
    char target[CK_DNS_NAME_MAX], target2[CK_DNS_NAME_MAX];
    uint8_t raw[CK_DNS_RAW_MAX];
    uint16_t rawlen;
} ck_dns_rr;

typedef enum { CK_DNS_SEC_AN, CK_DNS_SEC_NS, CK_DNS_SEC_AR } ck_dns_section;

/* A whole message. rr[] holds the answer, authority and additional records
 * in that order; counts split it. rr is owned (ck_dns_msg_clear). At most
 * one question is kept (the only form in use, RFC 9619); qdcount says how
 * many the packet declared. */
typedef struct ck_dns_msg {
    uint16_t id, flags;
    uint16_t qdcount;
    ck_dns_question q;
    ck_dns_rr *rr;
    size_t an, ns, ar, cap;
} ck_dns_msg;

void ck_dns_msg_init(ck_dns_msg *m);
void ck_dns_msg_clear(ck_dns_msg *m);
/* Appends a zeroed record to a section (sections must be filled in order
 * an, ns, ar). Returns a pointer into m->rr valid until the next add, or
 * NULL on OOM / more than CK_DNS_MAX_RRS. */
ck_dns_rr *ck_dns_msg_add(ck_dns_msg *m, ck_dns_section sec);

/* Parses a message. 0, or -1 with a reason in err (truncated, pointer loop,
 * label too long, too many records...). m is always left clearable; on
 * failure its id/flags/question may still be filled as far as they parsed
 * (enough to answer FORMERR). Never reads outside buf[0..len). */
int ck_dns_parse(const uint8_t *buf, size_t len, ck_dns_msg *m, char *err, size_t errlen);
/* Reads a possibly compressed name at *off into text form; advances *off
 * past it in place (a pointer counts 2 bytes). Pointers must point strictly
 * backwards of the label that holds them, so loops are impossible; the wire
 * name is bounded by 255 bytes. 0 or -1. */
int ck_dns_read_name(const uint8_t *buf, size_t len, size_t *off, char *out, size_t outlen);

/* Builds m into out (qdcount 0 or 1 from whether q.name is set: use
 * m->qdcount). Names are compressed against earlier ones. Returns the length,
 * or -1 when it does not fit in cap or a name is invalid. */
int ck_dns_build(const ck_dns_msg *m, uint8_t *out, size_t cap);

/* Lower-cases ASCII in place (DNS comparisons are case-insensitive, RFC 4343). */
void ck_dns_name_lower(char *s);
/* Text name of a type ("A", "SRV") or NULL; for logs. */
const char *ck_dns_type_name(uint16_t type);
#endif
