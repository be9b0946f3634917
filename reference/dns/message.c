/* message.c: DNS messages on the wire (RFC 1035 4.1), parsed into and built
 * from ck_dns_msg. Compression pointers are followed only backwards, with
 * strictly decreasing targets, so a hostile packet cannot loop us. */
#include "dns/message.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_NAME_MAX 255 /* RFC 1035 2.3.4 */
#define LABEL_MAX 63

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen) snprintf(err, errlen, "%s", msg);
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void ck_dns_msg_init(ck_dns_msg *m) { memset(m, 0, sizeof *m); }

void ck_dns_msg_clear(ck_dns_msg *m)
{
    free(m->rr);
    memset(m, 0, sizeof *m);
}

ck_dns_rr *ck_dns_msg_add(ck_dns_msg *m, ck_dns_section sec)
{
    size_t n = m->an + m->ns + m->ar;
    if (n >= CK_DNS_MAX_RRS) return NULL;
    if (n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        ck_dns_rr *p = realloc(m->rr, cap * sizeof *p);
        if (!p) return NULL;
        m->rr = p;
        m->cap = cap;
    }
    if (sec == CK_DNS_SEC_AN) m->an++;
    else if (sec == CK_DNS_SEC_NS) m->ns++;
    else m->ar++;
    memset(&m->rr[n], 0, sizeof m->rr[n]);
    return &m->rr[n];
}

void ck_dns_name_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

static int plain_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '*';
}

int ck_dns_read_name(const uint8_t *buf, size_t len, size_t *off, char *out, size_t outlen)
{
    size_t pos = *off, seg = *off, end = 0, o = 0, wire = 1;
    int jumped = 0;
    if (outlen == 0) return -1;
    out[0] = 0;
    for (;;) {
        if (pos >= len) return -1;
        uint8_t l = buf[pos];
        if ((l & 0xC0) == 0xC0) {
            if (pos + 1 >= len) return -1;
            size_t ptr = (size_t)(l & 0x3F) << 8 | buf[pos + 1];
            /* Targets strictly decrease: termination without a hop counter. */
            if (ptr >= seg) return -1;
            if (!jumped) end = pos + 2, jumped = 1;
            pos = seg = ptr;
            continue;
        }
        if (l & 0xC0) return -1; /* 0x40/0x80: extended label types, obsolete */
        if (l == 0) break;
        wire += (size_t)l + 1;
        if (wire > WIRE_NAME_MAX || pos + 1 + l > len) return -1;
        if (o) {
            if (o + 1 >= outlen) return -1;
            out[o++] = '.';
        }
        for (size_t i = 0; i < l; i++) {
            uint8_t c = buf[pos + 1 + i];
            if (plain_char(c)) {
                if (o + 1 >= outlen) return -1;
                out[o++] = (char)c;
            } else {
                if (o + 4 >= outlen) return -1;
                o += (size_t)snprintf(out + o, outlen - o, "\\%03u", c);
            }
        }
        out[o] = 0;
        pos += (size_t)l + 1;
    }
    *off = jumped ? end : pos + 1;
    return 0;
}

/* Text -> uncompressed wire form. Returns the length (incl. the root 0) or -1. */
static int name_to_wire(const char *name, uint8_t *w)
{
    size_t n = strlen(name), wl = 0;
    if (n && name[n - 1] == '.' && (n < 2 || name[n - 2] != '\\')) n--;
    size_t i = 0;
    while (i < n) {
        size_t lenpos = wl++, l = 0;
        while (i < n && name[i] != '.') {
            uint8_t c;
            if (name[i] == '\\') {
                if (i + 1 >= n) return -1;
                if (name[i + 1] >= '0' && name[i + 1] <= '9') { /* \DDD */
                    if (i + 3 >= n) return -1;
                    unsigned v = 0;
                    for (int k = 1; k <= 3; k++) {
                        if (name[i + k] < '0' || name[i + k] > '9') return -1;
                        v = v * 10 + (unsigned)(name[i + k] - '0');
                    }
                    if (v > 255) return -1;
                    c = (uint8_t)v;
                    i += 4;
                } else { /* \X */
                    c = (uint8_t)name[i + 1];
                    i += 2;
                }
            } else {
                c = (uint8_t)name[i++];
            }
            if (++l > LABEL_MAX || wl + 1 >= WIRE_NAME_MAX) return -1;
            w[wl++] = c;
        }
        if (l == 0) return -1; /* empty label: "a..b" or a leading dot */
        w[lenpos] = (uint8_t)l;
        if (i < n) i++; /* the dot */
    }
    w[wl++] = 0;
    return (int)wl;
}

/* Writer with a compression table of earlier names' suffixes. */
typedef struct suffix { uint16_t off; uint8_t len; uint8_t wire[WIRE_NAME_MAX]; } suffix;
typedef struct writer {
    uint8_t *out;
    size_t cap, len;
    suffix tab[64];
    size_t ntab;
    int fail;
} writer;

static void put(writer *w, const void *p, size_t n)
{
    if (w->fail || w->len + n > w->cap) { w->fail = 1; return; }
    memcpy(w->out + w->len, p, n);
    w->len += n;
}
static void put16(writer *w, uint16_t v) { uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v}; put(w, b, 2); }
static void put32(writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(w, b, 4);
}

static int wire_caseeq(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (uint8_t)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (uint8_t)(y + 32);
        if (x != y) return 0;
    }
    return 1;
}

/* Writes a name; compress: may point at earlier names and be pointed at
 * (RFC 3597 section 4: only for owner names and well-known rdata names). */
static void put_name(writer *w, const char *name, int compress)
{
    uint8_t wire[WIRE_NAME_MAX + 1];
    int wl = name_to_wire(name, wire);
    if (wl < 0) { w->fail = 1; return; }
    size_t starts[128], ns = 0;
    for (size_t p = 0; wire[p] && ns < 128; p += (size_t)wire[p] + 1) starts[ns++] = p;
    size_t hit = ns; /* index of the first label whose suffix is known */
    uint16_t ptr = 0;
    for (size_t i = 0; compress && i < ns && hit == ns; i++) {
        size_t sl = (size_t)wl - starts[i];
        for (size_t k = 0; k < w->ntab; k++)
            if (w->tab[k].len == sl && wire_caseeq(w->tab[k].wire, wire + starts[i], sl)) {
                hit = i, ptr = w->tab[k].off;
                break;
            }
    }
    size_t base = w->len;
    for (size_t i = 0; compress && i < hit && w->ntab < 64; i++) {
        size_t off = base + starts[i], sl = (size_t)wl - starts[i];
        if (off >= 0x4000) break;
        suffix *s = &w->tab[w->ntab++];
        s->off = (uint16_t)off;
        s->len = (uint8_t)sl;
        memcpy(s->wire, wire + starts[i], sl);
    }
    if (hit < ns) {
        put(w, wire, starts[hit]);
        put16(w, (uint16_t)(0xC000 | ptr));
    } else {
        put(w, wire, (size_t)wl);
    }
}

static void put_rdata(writer *w, const ck_dns_rr *rr)
{
    size_t lenpos = w->len;
    put16(w, 0);
    size_t start = w->len;
    switch (rr->type) {
    case CK_DNS_A: put(w, rr->addr, 4); break;
    case CK_DNS_AAAA: put(w, rr->addr, 16); break;
    case CK_DNS_NS: case CK_DNS_CNAME: case CK_DNS_PTR: put_name(w, rr->target, 1); break;
    case CK_DNS_SRV: /* RFC 2782: the target is never compressed */
        put16(w, rr->priority), put16(w, rr->weight), put16(w, rr->port);
        put_name(w, rr->target, 0);
        break;
    case CK_DNS_SOA:
        put_name(w, rr->target, 1), put_name(w, rr->target2, 1);
        for (int i = 0; i < 5; i++) put32(w, rr->soa[i]);
        break;
    default: put(w, rr->raw, rr->rawlen > CK_DNS_RAW_MAX ? CK_DNS_RAW_MAX : rr->rawlen); break;
    }
    if (w->fail) return;
    size_t n = w->len - start;
    w->out[lenpos] = (uint8_t)(n >> 8);
    w->out[lenpos + 1] = (uint8_t)n;
}

int ck_dns_build(const ck_dns_msg *m, uint8_t *out, size_t cap)
{
    writer *w = calloc(1, sizeof *w);
    if (!w) return -1;
    w->out = out, w->cap = cap;
    put16(w, m->id), put16(w, m->flags), put16(w, m->qdcount ? 1 : 0);
    put16(w, (uint16_t)m->an), put16(w, (uint16_t)m->ns), put16(w, (uint16_t)m->ar);
    if (m->qdcount) {
        put_name(w, m->q.name, 1);
        put16(w, m->q.qtype), put16(w, m->q.qclass);
    }
    for (size_t i = 0; i < m->an + m->ns + m->ar && !w->fail; i++) {
        const ck_dns_rr *rr = &m->rr[i];
        /* OPT's owner is the root and is never compressed. */
        put_name(w, rr->name, rr->type != CK_DNS_OPT);
        put16(w, rr->type), put16(w, rr->rclass), put32(w, rr->ttl);
        put_rdata(w, rr);
    }
    int rc = w->fail || w->len > 65535 ? -1 : (int)w->len;
    free(w);
    return rc;
}

/* Decodes the rdata of rr at buf[pos..pos+rdlen). */
static int parse_rdata(const uint8_t *buf, size_t len, size_t pos, size_t rdlen, ck_dns_rr *rr)
{
    size_t end = pos + rdlen, p = pos;
    switch (rr->type) {
    case CK_DNS_A:
        if (rdlen != 4) return -1;
        memcpy(rr->addr, buf + pos, 4);
        return 0;
    case CK_DNS_AAAA:
        if (rdlen != 16) return -1;
        memcpy(rr->addr, buf + pos, 16);
        return 0;
    case CK_DNS_NS: case CK_DNS_CNAME: case CK_DNS_PTR:
        if (ck_dns_read_name(buf, end, &p, rr->target, sizeof rr->target) < 0) return -1;
        return p == end ? 0 : -1;
    case CK_DNS_SRV:
        if (rdlen < 7) return -1;
        rr->priority = get16(buf + p), rr->weight = get16(buf + p + 2), rr->port = get16(buf + p + 4);
        p += 6;
        if (ck_dns_read_name(buf, end, &p, rr->target, sizeof rr->target) < 0) return -1;
        return p == end ? 0 : -1;
    case CK_DNS_SOA:
        if (ck_dns_read_name(buf, end, &p, rr->target, sizeof rr->target) < 0 ||
            ck_dns_read_name(buf, end, &p, rr->target2, sizeof rr->target2) < 0 || end - p != 20)
            return -1;
        for (int i = 0; i < 5; i++) rr->soa[i] = get32(buf + p + 4 * (size_t)i);
        return 0;
    default:
        if (rdlen > CK_DNS_RAW_MAX) return -1;
        memcpy(rr->raw, buf + pos, rdlen);
        rr->rawlen = (uint16_t)rdlen;
        (void)len;
        return 0;
    }
}

int ck_dns_parse(const uint8_t *buf, size_t len, ck_dns_msg *m, char *err, size_t errlen)
{
    ck_dns_msg_clear(m);
    if (len < 12) { set_err(err, errlen, "truncated header"); return -1; }
    m->id = get16(buf), m->flags = get16(buf + 2), m->qdcount = get16(buf + 4);
    size_t counts[3] = {get16(buf + 6), get16(buf + 8), get16(buf + 10)};
    if (counts[0] + counts[1] + counts[2] > CK_DNS_MAX_RRS) { set_err(err, errlen, "too many records"); return -1; }
    size_t pos = 12;
    for (unsigned i = 0; i < m->qdcount; i++) {
        ck_dns_question q;
        if (ck_dns_read_name(buf, len, &pos, q.name, sizeof q.name) < 0) { set_err(err, errlen, "bad question name"); return -1; }
        if (pos + 4 > len) { set_err(err, errlen, "truncated question"); return -1; }
        q.qtype = get16(buf + pos), q.qclass = get16(buf + pos + 2);
        pos += 4;
        if (i == 0) m->q = q;
    }
    for (int sec = 0; sec < 3; sec++)
        for (size_t i = 0; i < counts[sec]; i++) {
            ck_dns_rr *rr = ck_dns_msg_add(m, (ck_dns_section)sec);
            if (!rr) { set_err(err, errlen, "out of memory"); return -1; }
            if (ck_dns_read_name(buf, len, &pos, rr->name, sizeof rr->name) < 0) { set_err(err, errlen, "bad record name"); return -1; }
            if (pos + 10 > len) { set_err(err, errlen, "truncated record"); return -1; }
            rr->type = get16(buf + pos), rr->rclass = get16(buf + pos + 2), rr->ttl = get32(buf + pos + 4);
            size_t rdlen = get16(buf + pos + 8);
            pos += 10;
            if (pos + rdlen > len) { set_err(err, errlen, "truncated rdata"); return -1; }
            if (parse_rdata(buf, len, pos, rdlen, rr) < 0) { set_err(err, errlen, "bad rdata"); return -1; }
            pos += rdlen;
        }
    return 0;
}

const char *ck_dns_type_name(uint16_t type)
{
    static const struct { uint16_t t; const char *n; } names[] = {
        {CK_DNS_A, "A"}, {CK_DNS_NS, "NS"}, {CK_DNS_CNAME, "CNAME"}, {CK_DNS_SOA, "SOA"},
        {CK_DNS_PTR, "PTR"}, {CK_DNS_TXT, "TXT"}, {CK_DNS_AAAA, "AAAA"}, {CK_DNS_SRV, "SRV"},
        {CK_DNS_OPT, "OPT"}, {CK_DNS_ANY, "ANY"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].t == type) return names[i].n;
    return NULL;
}
