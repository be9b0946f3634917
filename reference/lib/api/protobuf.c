/* protobuf.c: application/vnd.kubernetes.protobuf request bodies to json_t.
 * Walks the wire format against the kind's schema by ck_field.tag, with the
 * apimachinery types (Time, MicroTime, Quantity, IntOrString, RawExtension)
 * decoded as their hand-written Unmarshal methods do and rendered as their
 * MarshalJSON would, so the result equals the JSON kubectl would have sent. */
#include "api/protobuf.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* runtime/serializer/protobuf/protobuf.go: protoEncodingPrefix */
static const unsigned char k8s_magic[4] = {0x6b, 0x38, 0x73, 0x00};

enum { WT_VARINT = 0, WT_FIXED64 = 1, WT_BYTES = 2, WT_SGROUP = 3, WT_EGROUP = 4, WT_FIXED32 = 5 };
#define MAX_GROUP_DEPTH 64

/* Fields whose Go type the schema's ck_type does not say: []byte (base64
 * in JSON), metav1.MicroTime (microseconds in JSON). Paths are the dotted
 * JSON names from the root, without indices or map keys. */
typedef enum special { SP_NONE, SP_BYTES, SP_MICROTIME } special;
static const struct {
    const char *group, *kind, *path;
    special sp;
} specials[] = {
    {"", "Secret", "data", SP_BYTES},               /* map<string, bytes> */
    {"", "ConfigMap", "binaryData", SP_BYTES},      /* map<string, bytes> */
    {"", "Event", "eventTime", SP_MICROTIME},
    {"", "Event", "series.lastObservedTime", SP_MICROTIME},
    {"events.k8s.io", "Event", "eventTime", SP_MICROTIME},
    {"events.k8s.io", "Event", "series.lastObservedTime", SP_MICROTIME},
    {"coordination.k8s.io", "Lease", "spec.acquireTime", SP_MICROTIME},
    {"coordination.k8s.io", "Lease", "spec.renewTime", SP_MICROTIME},
};

typedef struct rd {
    const unsigned char *p, *end;
} rd;

typedef struct pctx {
    const ck_kind *k;
    ck_status *st;
    bool failed;
} pctx;

static int fail(pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(pctx *c, const char *fmt, ...)
{
    if (!c->failed) {
        char msg[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        ck_status_bad_request(c->st, "%s", msg);
        c->failed = true;
    }
    return -1;
}

/* ---- wire primitives (gogo's generated Unmarshal rules) ----------------- */
static int rd_varint(pctx *c, rd *r, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) return fail(c, "unexpected EOF");
        unsigned char b = *r->p++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) { *v = x; return 0; }
    }
    return fail(c, "proto: integer overflow");
}

static int rd_len(pctx *c, rd *r, rd *sub)
{
    uint64_t n;
    if (rd_varint(c, r, &n)) return -1;
    if (n > (uint64_t)(r->end - r->p)) return fail(c, "unexpected EOF");
    sub->p = r->p;
    sub->end = r->p + n;
    r->p += n;
    return 0;
}

static int rd_fixed(pctx *c, rd *r, size_t n, uint64_t *v)
{
    if ((size_t)(r->end - r->p) < n) return fail(c, "unexpected EOF");
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x |= (uint64_t)r->p[i] << (8 * i);
    r->p += n;
    *v = x;
    return 0;
}

static int rd_key(pctx *c, rd *r, uint64_t *tag, int *wt)
{
    uint64_t key;
    if (rd_varint(c, r, &key)) return -1;
    *tag = key >> 3;
    *wt = (int)(key & 7);
    if (*tag == 0 || *tag > 0x1fffffff) return fail(c, "proto: illegal tag %llu", (unsigned long long)*tag);
    return 0;
}

/* skipGenerated: unknown fields are dropped; groups are skipped whole. */
static int skip(pctx *c, rd *r, int wt, int depth)
{
    uint64_t v = 0;
    rd sub = {0};
    switch (wt) {
    case WT_VARINT: return rd_varint(c, r, &v);
    case WT_FIXED64: return rd_fixed(c, r, 8, &v);
    case WT_FIXED32: return rd_fixed(c, r, 4, &v);
    case WT_BYTES: return rd_len(c, r, &sub);
    case WT_SGROUP:
        if (depth >= MAX_GROUP_DEPTH) return fail(c, "proto: group nesting too deep");
        for (;;) {
            uint64_t tag;
            int w;
            if (rd_key(c, r, &tag, &w)) return -1;
            if (w == WT_EGROUP) return 0;
            if (skip(c, r, w, depth + 1)) return -1;
        }
    case WT_EGROUP: return fail(c, "proto: unexpected end of group");
    default: return fail(c, "proto: illegal wireType %d", wt);
    }
}

/* ---- JSON leaves ----------------------------------------------------------- */
/* Go's encoding/json writes invalid UTF-8 as U+FFFD, byte by byte. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || len > n) return 0;
    unsigned v = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[k] & 0x3F);
    }
    if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000)) return 0;
    if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return 0;
    return len;
}

/* A new malloc'd valid-UTF-8 copy of p[0..n) (NUL-terminated), length in *out_n. */
static char *utf8_copy(const unsigned char *p, size_t n, size_t *out_n)
{
    char *s = malloc(n * 3 + 1);
    size_t o = 0;
    if (!s) return NULL;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq(p + i, n - i);
        if (l) { memcpy(s + o, p + i, l); o += l; i += l; }
        else { memcpy(s + o, "\xEF\xBF\xBD", 3); o += 3; i++; }
    }
    s[o] = 0;
    *out_n = o;
    return s;
}

static json_t *mkstr(const rd *b)
{
    size_t n;
    char *s = utf8_copy(b->p, (size_t)(b->end - b->p), &n);
    json_t *v = s ? json_stringn(s, n) : NULL;
    free(s);
    return v;
}

json_t *ck_protobuf_base64(const unsigned char *p, size_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *s = malloc((n + 2) / 3 * 4 + 1);
    size_t o = 0;
    if (!s) return NULL;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        s[o++] = tbl[(v >> 18) & 63];
        s[o++] = tbl[(v >> 12) & 63];
        s[o++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
        s[o++] = i + 2 < n ? tbl[v & 63] : '=';
    }
    s[o] = 0;
    json_t *v = json_string(s);
    free(s);
    return v;
}

/* metav1.Time / MicroTime: message Timestamp {1 seconds, 2 nanos}. An
 * empty message is the zero time, which marshals as null (time_proto.go).
 * Time keeps seconds only (Time.Unmarshal drops nanos); MicroTime is
 * RFC3339Micro "2006-01-02T15:04:05.000000Z07:00", always in UTC. */
static json_t *decode_time(pctx *c, rd *b, bool micro)
{
    int64_t sec = 0, nanos = 0;
    if (b->p == b->end) return json_null();
    while (b->p < b->end) {
        uint64_t tag = 0, v = 0;
        int wt;
        if (rd_key(c, b, &tag, &wt)) return NULL;
        if ((tag == 1 || tag == 2) && wt == WT_VARINT) {
            if (rd_varint(c, b, &v)) return NULL;
            if (tag == 1) sec = (int64_t)v;
            else nanos = (int32_t)(uint32_t)v;
        } else if (tag == 1 || tag == 2) {
            fail(c, "proto: wrong wireType = %d for field %s", wt, tag == 1 ? "Seconds" : "Nanos");
            return NULL;
        } else if (skip(c, b, wt, 0)) return NULL;
    }
    if (!micro) nanos = 0;
    /* time.Unix normalises nanoseconds outside [0, 1e9). */
    sec += nanos / 1000000000;
    nanos %= 1000000000;
    if (nanos < 0) { nanos += 1000000000; sec--; }
    /* years 0..9999, as RFC 3339 can write them */
    if (sec < -62167219200LL || sec > 253402300799LL) { fail(c, "Time out of range"); return NULL; }
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) { fail(c, "Time out of range"); return NULL; }
    char buf[48];
    if (micro)
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(nanos / 1000));
    else
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return json_string(buf);
}

/* resource.Quantity: message {1 string}; the zero Quantity marshals as "0". */
static json_t *decode_quantity(pctx *c, rd *b)
{
    json_t *s = NULL;
    while (b->p < b->end) {
        uint64_t tag;
        int wt;
        rd sub = {0};
        if (rd_key(c, b, &tag, &wt)) goto bad;
        if (tag == 1 && wt == WT_BYTES) {
            if (rd_len(c, b, &sub)) goto bad;
            json_decref(s);
            s = mkstr(&sub);
        } else if (tag == 1) {
            fail(c, "proto: wrong wireType = %d for field String_", wt);
            goto bad;
        } else if (skip(c, b, wt, 0)) goto bad;
    }
    if (!s || !*json_string_value(s)) { json_decref(s); return json_string("0"); }
    return s;
bad:
    json_decref(s);
    return NULL;
}

/* intstr.IntOrString: {1 type (0 Int, 1 String), 2 intVal, 3 strVal}. */
static json_t *decode_int_or_string(pctx *c, rd *b)
{
    int64_t type = 0, ival = 0;
    json_t *sval = NULL;
    while (b->p < b->end) {
        uint64_t tag = 0, v = 0;
        int wt;
        rd sub = {0};
        if (rd_key(c, b, &tag, &wt)) goto bad;
        if ((tag == 1 || tag == 2) && wt == WT_VARINT) {
            if (rd_varint(c, b, &v)) goto bad;
            if (tag == 1) type = (int64_t)v;
            else ival = (int32_t)(uint32_t)v;
        } else if (tag == 3 && wt == WT_BYTES) {
            if (rd_len(c, b, &sub)) goto bad;
            json_decref(sval);
            sval = mkstr(&sub);
        } else if (tag >= 1 && tag <= 3) {
            fail(c, "proto: wrong wireType = %d for field of IntOrString", wt);
            goto bad;
        } else if (skip(c, b, wt, 0)) goto bad;
    }
    if (type == 0) { json_decref(sval); return json_integer(ival); }
    if (type == 1) return sval ? sval : json_string("");
    fail(c, "impossible IntOrString.Type");
bad:
    json_decref(sval);
    return NULL;
}

/* runtime.RawExtension: {1 raw bytes}, the raw being JSON. */
static json_t *decode_raw_extension(pctx *c, rd *b)
{
    json_t *v = NULL;
    while (b->p < b->end) {
        uint64_t tag;
        int wt;
        rd sub = {0};
        if (rd_key(c, b, &tag, &wt)) goto bad;
        if (tag == 1 && wt == WT_BYTES) {
            if (rd_len(c, b, &sub)) goto bad;
            json_decref(v);
            v = NULL;
            if (sub.p == sub.end) continue;
            json_error_t err;
            v = json_loadb((const char *)sub.p, (size_t)(sub.end - sub.p), JSON_DECODE_ANY, &err);
            if (!v) { fail(c, "json: %s", err.text); goto bad; }
        } else if (skip(c, b, wt, 0)) goto bad;
    }
    return v ? v : json_null();
bad:
    json_decref(v);
    return NULL;
}

/* ---- schema walk ----------------------------------------------------------- */
static special special_for(const pctx *c, const char *path)
{
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
        if (!strcmp(specials[i].group, c->k->group) && !strcmp(specials[i].kind, c->k->kind) &&
            !strcmp(specials[i].path, path))
            return specials[i].sp;
    return SP_NONE;
}

static int decode_message(pctx *c, const ck_field *fields, const char *path, rd *b, json_t *obj);

static const char *wt_type(const ck_field *f)
{
    switch (f->type) {
    case CK_INT: case CK_BOOL: return "varint";
    default: return "bytes";
    }
}

/* One value of the (non-list, non-map) schema node f. `into` is the value
 * already present for this field, merged into for messages as proto does.
 * Returns a new reference or NULL (error set). */
static json_t *decode_value(pctx *c, const ck_field *f, const char *path, int wt, rd *r, json_t *into)
{
    uint64_t v = 0;
    rd sub = {0};
    switch (f->type) {
    case CK_INT:
        if (wt != WT_VARINT) break;
        return rd_varint(c, r, &v) ? NULL : json_integer((json_int_t)(int64_t)v);
    case CK_BOOL:
        if (wt != WT_VARINT) break;
        return rd_varint(c, r, &v) ? NULL : json_boolean(v != 0);
    case CK_NUMBER:
        if (wt == WT_VARINT) return rd_varint(c, r, &v) ? NULL : json_integer((json_int_t)(int64_t)v);
        if (wt == WT_FIXED64) {
            double d;
            if (rd_fixed(c, r, 8, &v)) return NULL;
            memcpy(&d, &v, sizeof d);
            return json_real(d);
        }
        break;
    default:
        if (wt != WT_BYTES) break;
        if (rd_len(c, r, &sub)) return NULL;
        switch (f->type) {
        case CK_STRING:
            if (special_for(c, path) == SP_BYTES)
                return ck_protobuf_base64(sub.p, (size_t)(sub.end - sub.p));
            return mkstr(&sub);
        case CK_OBJECT: {
            json_t *o = json_is_object(into) ? json_incref(into) : json_object();
            if (o && decode_message(c, f->fields, path, &sub, o)) { json_decref(o); return NULL; }
            return o;
        }
        case CK_QUANTITY: return decode_quantity(c, &sub);
        case CK_INT_OR_STRING: return decode_int_or_string(c, &sub);
        case CK_TIME: return decode_time(c, &sub, special_for(c, path) == SP_MICROTIME);
        case CK_ANY: return decode_raw_extension(c, &sub);
        default: break;
        }
        fail(c, "proto: field %s has no protobuf form", path);
        return NULL;
    }
    fail(c, "proto: wrong wireType = %d for field %s (%s)", wt, path, wt_type(f));
    return NULL;
}

/* The zero value of a map entry's missing value. */
static json_t *zero_value(const ck_field *it)
{
    switch (it->type) {
    case CK_STRING: return json_string("");
    case CK_INT: case CK_NUMBER: case CK_INT_OR_STRING: return json_integer(0);
    case CK_BOOL: return json_false();
    case CK_OBJECT: return json_object();
    case CK_QUANTITY: return json_string("0");
    default: return json_null();
    }
}

/* Go's omitempty on a non-pointer scalar: "", 0 and false are left out. */
static bool omitted(const ck_field *f, const json_t *v)
{
    if (f->flags & CK_F_POINTER) return false;
    switch (f->type) {
    case CK_STRING: return json_is_string(v) && json_string_length(v) == 0;
    case CK_INT: case CK_NUMBER: return json_is_number(v) && json_number_value(v) == 0;
    case CK_BOOL: return json_is_false(v);
    default: return false;
    }
}

/* map<string, V>: repeated entry messages {1 key, 2 value}. */
static int decode_map_entry(pctx *c, const ck_field *f, const char *path, int wt, rd *r, json_t *obj)
{
    rd e = {0}, sub = {0};
    if (wt != WT_BYTES) return fail(c, "proto: wrong wireType = %d for field %s", wt, path);
    if (rd_len(c, r, &e)) return -1;
    const ck_field *it = f->items ? f->items : &(const ck_field){.name = "", .type = CK_STRING};
    char *key = NULL;
    size_t klen = 0;
    json_t *val = NULL;
    while (e.p < e.end) {
        uint64_t tag;
        int w;
        if (rd_key(c, &e, &tag, &w)) goto bad;
        if (tag == 1) {
            if (w != WT_BYTES) { fail(c, "proto: wrong wireType = %d for map key of %s", w, path); goto bad; }
            if (rd_len(c, &e, &sub)) goto bad;
            free(key);
            if (!(key = utf8_copy(sub.p, (size_t)(sub.end - sub.p), &klen))) goto bad;
        } else if (tag == 2) {
            json_t *nv = decode_value(c, it, path, w, &e, NULL);
            if (!nv) goto bad;
            json_decref(val);
            val = nv;
        } else if (skip(c, &e, w, 0)) goto bad;
    }
    json_t *map = json_object_get(obj, f->name);
    if (!json_is_object(map)) {
        map = json_object();
        if (!map || json_object_set_new(obj, f->name, map)) goto bad;
    }
    if (!val) val = zero_value(it);
    if (json_object_setn_new(map, key ? key : "", key ? klen : 0, val)) { val = NULL; goto bad; }
    free(key);
    return 0;
bad:
    free(key);
    json_decref(val);
    return c->failed ? -1 : fail(c, "out of memory");
}

/* repeated T: each occurrence appends; scalars may also come packed. */
static int decode_list_item(pctx *c, const ck_field *f, const char *path, int wt, rd *r, json_t *obj)
{
    const ck_field *it = f->items;
    if (!it || it->type == CK_ARRAY || it->type == CK_MAP) return skip(c, r, wt, 0);
    json_t *arr = json_object_get(obj, f->name);
    if (!json_is_array(arr)) {
        arr = json_array();
        if (!arr || json_object_set_new(obj, f->name, arr)) return fail(c, "out of memory");
    }
    if (wt == WT_BYTES && (it->type == CK_INT || it->type == CK_BOOL)) {
        rd sub = {0};
        uint64_t v = 0;
        if (rd_len(c, r, &sub)) return -1;
        while (sub.p < sub.end) {
            if (rd_varint(c, &sub, &v)) return -1;
            json_array_append_new(arr, it->type == CK_BOOL ? json_boolean(v != 0)
                                                           : json_integer((json_int_t)(int64_t)v));
        }
        return 0;
    }
    json_t *v = decode_value(c, it, path, wt, r, NULL);
    if (!v) return -1;
    return json_array_append_new(arr, v) ? fail(c, "out of memory") : 0;
}

/* A field's number, in the message `outer` embeds at (0: the message itself). */
static const ck_field *field_by_tag(const ck_field *fields, uint64_t outer, uint64_t tag)
{
    for (const ck_field *f = fields; f && f->name; f++) {
        long long t = f->tag;
        if (!outer && t > 0 && (uint64_t)t == tag) return f;
        if (outer && t < 0 && (uint64_t)(-t / 4096) == outer && (uint64_t)(-t % 4096) == tag) return f;
    }
    return NULL;
}

/* Is `tag` the number of an embedded struct whose fields are inlined here? */
static bool embeds(const ck_field *fields, uint64_t tag)
{
    for (const ck_field *f = fields; f && f->name; f++)
        if (f->tag < 0 && (uint64_t)(-(long long)f->tag / 4096) == tag) return true;
    return false;
}

/* Decodes message b into obj; `outer` != 0 when b is an embedded struct
 * (Volume's VolumeSource, Probe's ProbeHandler) whose fields JSON inlines. */
static int decode_fields(pctx *c, const ck_field *fields, uint64_t outer, const char *path, rd *b,
                         json_t *obj)
{
    char child[512];
    while (b->p < b->end) {
        uint64_t tag;
        int wt;
        if (rd_key(c, b, &tag, &wt)) return -1;
        const ck_field *f = field_by_tag(fields, outer, tag);
        if (!f) {
            if (!outer && wt == WT_BYTES && embeds(fields, tag)) {
                rd sub = {0};
                if (rd_len(c, b, &sub) || decode_fields(c, fields, tag, path, &sub, obj)) return -1;
            } else if (skip(c, b, wt, 0)) return -1;
            continue;
        }
        snprintf(child, sizeof child, "%s%s%s", path, *path ? "." : "", f->name);
        if (f->type == CK_ARRAY) {
            if (decode_list_item(c, f, child, wt, b, obj)) return -1;
        } else if (f->type == CK_MAP) {
            if (decode_map_entry(c, f, child, wt, b, obj)) return -1;
        } else {
            json_t *v = decode_value(c, f, child, wt, b, json_object_get(obj, f->name));
            if (!v) return -1;
            /* The last occurrence wins, a zero one included. */
            if (omitted(f, v)) { json_decref(v); json_object_del(obj, f->name); }
            else if (json_object_set_new(obj, f->name, v)) return fail(c, "out of memory");
        }
    }
    return 0;
}

static int decode_message(pctx *c, const ck_field *fields, const char *path, rd *b, json_t *obj)
{
    return decode_fields(c, fields, 0, path, b, obj);
}

/* ---- envelope: runtime.Unknown -------------------------------------------- */
typedef struct unknown {
    json_t *api_version, *kind; /* typeMeta {1 apiVersion, 2 kind} */
    rd raw;
} unknown;

static int decode_type_meta(pctx *c, rd *b, unknown *u)
{
    while (b->p < b->end) {
        uint64_t tag;
        int wt;
        rd sub = {0};
        if (rd_key(c, b, &tag, &wt)) return -1;
        if ((tag == 1 || tag == 2) && wt == WT_BYTES) {
            if (rd_len(c, b, &sub)) return -1;
            json_t **dst = tag == 1 ? &u->api_version : &u->kind;
            json_decref(*dst);
            if (!(*dst = mkstr(&sub))) return fail(c, "out of memory");
        } else if (tag == 1 || tag == 2) {
            return fail(c, "proto: wrong wireType = %d for field of TypeMeta", wt);
        } else if (skip(c, b, wt, 0)) return -1;
    }
    return 0;
}

static int decode_unknown(pctx *c, rd *b, unknown *u)
{
    while (b->p < b->end) {
        uint64_t tag;
        int wt;
        rd sub = {0};
        if (rd_key(c, b, &tag, &wt)) return -1;
        if (tag >= 1 && tag <= 4 && wt != WT_BYTES)
            return fail(c, "proto: wrong wireType = %d for field of Unknown", wt);
        if (tag == 1) {
            if (rd_len(c, b, &sub) || decode_type_meta(c, &sub, u)) return -1;
        } else if (tag == 2) {
            if (rd_len(c, b, &u->raw)) return -1;
        } else if (skip(c, b, wt, 0)) return -1; /* contentEncoding, contentType */
    }
    return 0;
}

/* The kind the envelope names: "apps/v1" + "Deployment". */
static const ck_kind *envelope_kind(pctx *c, const char *api_version, const char *kind)
{
    char group[256];
    const char *slash = strchr(api_version, '/');
    size_t gl = slash ? (size_t)(slash - api_version) : 0;
    if (gl >= sizeof group) gl = sizeof group - 1;
    memcpy(group, api_version, gl);
    group[gl] = 0;
    const char *version = slash ? slash + 1 : api_version;
    const ck_kind *k = *kind ? ck_kind_by_kind(group, kind) : NULL;
    if (k && !strcmp(k->version, version)) return k;
    for (size_t i = 0; *kind && i < ck_kinds_count; i++)
        if (!strcmp(ck_kinds[i].group, group) && !strcmp(ck_kinds[i].version, version) &&
            !strcmp(ck_kinds[i].kind, kind))
            return &ck_kinds[i];
    if (!*kind) fail(c, "Object 'Kind' is missing in protobuf envelope");
    else fail(c, "no kind \"%s\" is registered for version \"%s\"", kind, api_version);
    return NULL;
}

json_t *ck_protobuf_decode(const ck_kind *k, const char *body, size_t len, ck_status *st)
{
    pctx c = {.k = k, .st = st};
    unknown u = {0};
    json_t *obj = NULL;
    if (!body || len < sizeof k8s_magic || memcmp(body, k8s_magic, sizeof k8s_magic)) {
        /* protobuf.go: errNotMarshalable / the prefix check */
        fail(&c, "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        return NULL;
    }
    rd b = {(const unsigned char *)body + 4, (const unsigned char *)body + len};
    if (decode_unknown(&c, &b, &u)) goto out;
    const char *av = u.api_version ? json_string_value(u.api_version) : "";
    const char *kn = u.kind ? json_string_value(u.kind) : "";
    if (!c.k && !(c.k = envelope_kind(&c, av, kn))) goto out;
    char avbuf[256];
    if (!*av) av = ck_kind_api_version(c.k, avbuf, sizeof avbuf);
    if (!*kn) kn = c.k->kind;
    if (!(obj = json_object()) || json_object_set_new(obj, "kind", json_string(kn)) ||
        json_object_set_new(obj, "apiVersion", json_string(av))) {
        fail(&c, "out of memory");
        goto out;
    }
    if (c.k->root && u.raw.p && decode_message(&c, c.k->root->fields, "", &u.raw, obj)) goto out;
out:
    json_decref(u.api_version);
    json_decref(u.kind);
    if (c.failed) { json_decref(obj); return NULL; }
    return obj;
}
