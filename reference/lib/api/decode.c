/* decode.c: request bodies to json_t, as the apiserver's serializers read
 * them: JSON through jansson, YAML through libfyaml's event parser resolved
 * the way sigs.k8s.io/yaml (its go-yaml v2 fork) resolves plain scalars.
 * Duplicate keys are collected with their paths rather than rejected, so
 * fieldValidation can turn them into a warning or a strict error. */
#include "api/decode.h"
#include "api/protobuf.h"
#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 512

/* ---- paths ("spec.containers[0].name") ---------------------------------- */
static void path_key(char *out, size_t n, const char *parent, const char *key)
{
    snprintf(out, n, "%s%s%s", parent, *parent ? "." : "", key);
}
static void path_index(char *out, size_t n, const char *parent, size_t i)
{
    snprintf(out, n, "%s[%zu]", parent, i);
}
static void add_dup(json_t **dups, const char *path)
{
    if (!dups) return;
    if (!*dups) *dups = json_array();
    if (*dups) json_array_append_new(*dups, json_string(path));
}

/* ---- JSON duplicate scan ------------------------------------------------ */
/* jansson keeps the last of duplicate keys (as Go's decoder does) but does
 * not say where they were; this walks the already-validated text again. */
static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end && *p != '"'; p++)
        if (*p == '\\') p++;
    return p < end ? p + 1 : end;
}
static const char *scan_value(const char *p, const char *end, const char *path, int depth,
                              json_t **dups);

static const char *scan_object(const char *p, const char *end, const char *path, int depth,
                               json_t **dups)
{
    json_t *seen = json_object();
    char child[1024];
    p = skip_ws(p + 1, end);
    while (p < end && *p != '}') {
        const char *ks = p;
        p = skip_string(p, end);
        json_t *k = json_loadb(ks, (size_t)(p - ks), JSON_DECODE_ANY, NULL);
        const char *key = json_is_string(k) ? json_string_value(k) : "";
        path_key(child, sizeof child, path, key);
        if (seen && json_object_get(seen, key)) add_dup(dups, child);
        else if (seen) json_object_set_new(seen, key, json_true());
        p = skip_ws(skip_ws(p, end) + 1, end); /* past ':' */
        p = scan_value(p, end, child, depth + 1, dups);
        json_decref(k);
        p = skip_ws(p, end);
        if (p < end && *p == ',') p = skip_ws(p + 1, end);
    }
    json_decref(seen);
    return p < end ? p + 1 : end;
}

static const char *scan_value(const char *p, const char *end, const char *path, int depth,
                              json_t **dups)
{
    char child[1024];
    p = skip_ws(p, end);
    if (p >= end || depth > MAX_DEPTH) return end;
    if (*p == '{') return scan_object(p, end, path, depth, dups);
    if (*p == '"') return skip_string(p, end);
    if (*p == '[') {
        size_t i = 0;
        p = skip_ws(p + 1, end);
        while (p < end && *p != ']') {
            path_index(child, sizeof child, path, i++);
            p = skip_ws(scan_value(p, end, child, depth + 1, dups), end);
            if (p < end && *p == ',') p = skip_ws(p + 1, end);
        }
        return p < end ? p + 1 : end;
    }
    while (p < end && !strchr(",}] \t\r\n", *p)) p++;
    return p;
}

static json_t *decode_json(const char *body, size_t len, json_t **dups, ck_status *st)
{
    json_error_t err;
    json_t *v = json_loadb(body, len, 0, &err);
    if (!v) {
        /* Upstream surfaces the json decoder's error as a 400 BadRequest. */
        ck_status_bad_request(st, "json: %s (line %d, column %d)", err.text, err.line, err.column);
        return NULL;
    }
    if (dups) scan_value(body, body + len, "", 0, dups);
    return v;
}

/* ---- YAML --------------------------------------------------------------- */
/* go-yaml v2 resolve(): the plain-scalar forms that are not strings. */
static json_t *resolve_plain(const char *s, size_t n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
                                        "on", "On", "ON", NULL};
    static const char *const falses[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE",
                                         "off", "Off", "OFF", NULL};
    char buf[128];
    if (n >= sizeof buf) return json_stringn(s, n);
    memcpy(buf, s, n);
    buf[n] = 0;
    for (const char *const *w = nulls; *w; w++) if (!strcmp(buf, *w)) return json_null();
    for (const char *const *w = trues; *w; w++) if (!strcmp(buf, *w)) return json_true();
    for (const char *const *w = falses; *w; w++) if (!strcmp(buf, *w)) return json_false();
    if (!strcmp(buf, ".inf") || !strcmp(buf, ".Inf") || !strcmp(buf, ".INF") ||
        !strcmp(buf, "+.inf") || !strcmp(buf, "-.inf") || !strcasecmp(buf, ".nan"))
        return json_stringn(s, n); /* JSON has no Inf/NaN; sigs.k8s.io/yaml fails too */
    /* ints: [-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9_]+) with '_' ignored */
    char clean[128];
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] != '_') clean[c++] = buf[i];
    clean[c] = 0;
    const char *d = clean + (clean[0] == '-' || clean[0] == '+');
    if (*d && (isdigit((unsigned char)*d))) {
        int base = 10;
        const char *digits = d;
        if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) { base = 16; digits = d + 2; }
        else if (d[0] == '0' && (d[1] == 'b' || d[1] == 'B')) { base = 2; digits = d + 2; }
        else if (d[0] == '0' && d[1]) base = 8;
        char *endp;
        errno = 0;
        long long v = strtoll(digits, &endp, base);
        if (*digits && !*endp && errno == 0) return json_integer(clean[0] == '-' ? -v : v);
        errno = 0;
        double f = strtod(clean, &endp);
        if (!*endp && errno == 0 && isfinite(f) && !strpbrk(clean, "xXbB")) return json_real(f);
    } else if (*d == '.' && isdigit((unsigned char)d[1])) {
        char *endp;
        double f = strtod(clean, &endp);
        if (!*endp) return json_real(f);
    }
    return json_stringn(s, n);
}

typedef struct yctx {
    struct fy_parser *fyp;
    json_t *anchors;  /* anchor name -> value */
    json_t **dups;
    char err[512];
} yctx;

static json_t *y_node(yctx *c, struct fy_event *ev, const char *path, int depth);

static void remember_anchor(yctx *c, struct fy_event *ev, json_t *v)
{
    struct fy_token *a = fy_event_get_anchor_token(ev);
    size_t n;
    const char *t = a ? fy_token_get_text(a, &n) : NULL;
    if (t && v) {
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)n, t);
        json_object_set(c->anchors, name, v);
    }
}

static json_t *y_scalar(struct fy_event *ev)
{
    struct fy_token *tok = ev->scalar.value;
    size_t n = 0;
    const char *t = tok ? fy_token_get_text(tok, &n) : "";
    if (!t) t = "";
    struct fy_token *tag = fy_event_get_tag_token(ev);
    const char *tt = tag ? fy_token_get_text0(tag) : NULL;
    if (tt && (strstr(tt, ":str") || !strcmp(tt, "!!str"))) return json_stringn(t, n);
    if (tok && fy_token_scalar_style(tok) != FYSS_PLAIN) return json_stringn(t, n);
    return resolve_plain(t, n);
}

static json_t *y_mapping(yctx *c, const char *path, int depth)
{
    json_t *obj = json_object();
    char child[1024];
    struct fy_event *ev;
    while (obj && (ev = fy_parser_parse(c->fyp))) {
        if (ev->type == FYET_MAPPING_END) { fy_parser_event_free(c->fyp, ev); return obj; }
        json_t *k = y_node(c, ev, path, depth + 1);
        fy_parser_event_free(c->fyp, ev);
        if (!k) break;
        /* sigs.k8s.io/yaml turns non-string keys into their string form */
        char *ks = json_is_string(k) ? strdup(json_string_value(k)) : json_dumps(k, JSON_ENCODE_ANY);
        if (json_is_null(k)) { free(ks); ks = strdup("null"); }
        json_decref(k);
        if (!ks) break;
        path_key(child, sizeof child, path, ks);
        if (!(ev = fy_parser_parse(c->fyp))) { free(ks); break; }
        json_t *v = y_node(c, ev, child, depth + 1);
        fy_parser_event_free(c->fyp, ev);
        if (!v) { free(ks); break; }
        if (json_object_get(obj, ks)) add_dup(c->dups, child);
        json_object_set_new(obj, ks, v);
        free(ks);
    }
    json_decref(obj);
    return NULL;
}

static json_t *y_sequence(yctx *c, const char *path, int depth)
{
    json_t *arr = json_array();
    char child[1024];
    struct fy_event *ev;
    while (arr && (ev = fy_parser_parse(c->fyp))) {
        if (ev->type == FYET_SEQUENCE_END) { fy_parser_event_free(c->fyp, ev); return arr; }
        path_index(child, sizeof child, path, json_array_size(arr));
        json_t *v = y_node(c, ev, child, depth + 1);
        fy_parser_event_free(c->fyp, ev);
        if (!v) break;
        json_array_append_new(arr, v);
    }
    json_decref(arr);
    return NULL;
}

/* Builds the value that starts with `ev` (not freed here). NULL on error. */
static json_t *y_node(yctx *c, struct fy_event *ev, const char *path, int depth)
{
    json_t *v = NULL;
    if (depth > MAX_DEPTH) {
        snprintf(c->err, sizeof c->err, "exceeded max depth of %d", MAX_DEPTH);
        return NULL;
    }
    switch (ev->type) {
    case FYET_SCALAR: v = y_scalar(ev); break;
    case FYET_MAPPING_START: v = y_mapping(c, path, depth); break;
    case FYET_SEQUENCE_START: v = y_sequence(c, path, depth); break;
    case FYET_ALIAS: {
        const char *name = fy_token_get_text0(ev->alias.anchor);
        json_t *a = name ? json_object_get(c->anchors, name) : NULL;
        if (!a) snprintf(c->err, sizeof c->err, "unknown anchor '%s' referenced", name ? name : "");
        return a ? json_deep_copy(a) : NULL;
    }
    default: return NULL;
    }
    remember_anchor(c, ev, v);
    return v;
}

/* go-yaml v2's reader (readerc.go, yaml_parser_update_buffer) rejects a
 * stream that is not valid UTF-8 before parsing; these are its messages.
 * Checking first also keeps such bytes away from libfyaml 0.7, whose
 * directive scanner loops forever on "%\x90" (found by fuzz/fuzz_yaml). */
static const char *utf8_problem(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!n) return "invalid leading UTF-8 octet";
        if (len - i < n) return "incomplete UTF-8 octet sequence";
        unsigned v = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return "invalid trailing UTF-8 octet";
            v = (v << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
            return "invalid length of a UTF-8 sequence";
        if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return "invalid Unicode character";
        i += n;
    }
    return NULL;
}

static json_t *decode_yaml(const char *body, size_t len, json_t **dups, ck_status *st)
{
    const char *bad = utf8_problem((const unsigned char *)body, len);
    if (bad) {
        ck_status_bad_request(st, "error converting YAML to JSON: yaml: %s", bad);
        return NULL;
    }
    char *diagbuf = NULL;
    size_t diaglen = 0;
    FILE *mem = open_memstream(&diagbuf, &diaglen);
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = mem;
    dcfg.colorize = false;
    dcfg.show_source = false;
    struct fy_diag *diag = mem ? fy_diag_create(&dcfg) : NULL;
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_1, .diag = diag};
    yctx c = {.fyp = fy_parser_create(&cfg), .anchors = json_object(), .dups = dups};
    json_t *root = NULL;
    bool done = false;
    if (c.fyp && c.anchors && fy_parser_set_string(c.fyp, body, len) == 0) {
        struct fy_event *ev;
        /* The first document's root node; the rest of the stream is ignored. */
        while (!done && (ev = fy_parser_parse(c.fyp))) {
            if (ev->type == FYET_SCALAR || ev->type == FYET_MAPPING_START ||
                ev->type == FYET_SEQUENCE_START || ev->type == FYET_ALIAS) {
                root = y_node(&c, ev, "", 0);
                done = true;
            } else if (ev->type == FYET_DOCUMENT_END || ev->type == FYET_STREAM_END) {
                done = true;
            }
            fy_parser_event_free(c.fyp, ev);
        }
        if (fy_parser_get_stream_error(c.fyp)) { json_decref(root); root = NULL; }
    }
    if (mem) fclose(mem);
    if (!root) {
        const char *why = c.err[0] ? c.err : (diagbuf && *diagbuf ? diagbuf : "empty document");
        char first[400];
        snprintf(first, sizeof first, "%.399s", why);
        first[strcspn(first, "\n")] = 0;
        ck_status_bad_request(st, "error converting YAML to JSON: yaml: %s", first);
        if (dups && *dups) { json_decref(*dups); *dups = NULL; }
    }
    free(diagbuf);
    json_decref(c.anchors);
    if (c.fyp) fy_parser_destroy(c.fyp);
    if (diag) fy_diag_destroy(diag);
    return root;
}

/* ---- entry -------------------------------------------------------------- */
json_t *ck_decode_body(const char *content_type, const char *body, size_t len,
                       json_t **dups, ck_status *st)
{
    char mt[128];
    if (dups) *dups = NULL;
    snprintf(mt, sizeof mt, "%s", content_type ? content_type : "application/json");
    mt[strcspn(mt, "; \t")] = 0;
    for (char *p = mt; *p; p++) *p = (char)tolower((unsigned char)*p);
    bool json = !strcmp(mt, "application/json") || !strcmp(mt, "") ||
                (!strncmp(mt, "application/", 12) && strlen(mt) > 5 &&
                 !strcmp(mt + strlen(mt) - 5, "+json"));
    bool yaml = !strcmp(mt, "application/yaml") || !strcmp(mt, "application/apply-patch+yaml") ||
                !strcmp(mt, "text/yaml") || !strcmp(mt, "application/x-yaml");
    json_t *v;
    if (json) v = decode_json(body ? body : "", len, dups, st);
    else if (!strcmp(mt, CK_PROTOBUF_MEDIA_TYPE)) v = ck_protobuf_decode(NULL, body, len, st);
    else if (yaml) v = decode_yaml(body ? body : "", len, dups, st);
    else {
        /* negotiation.NewUnsupportedMediaTypeError */
        ck_status_set(st, 415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
        return NULL;
    }
    if (v && !json_is_object(v)) {
        /* Go: json: cannot unmarshal <type> into Go value of type map[string]interface{} */
        ck_status_bad_request(st, "json: cannot unmarshal %s into Go value of type map[string]interface {}",
                              json_is_array(v) ? "array" : json_is_string(v) ? "string"
                              : json_is_number(v) ? "number" : json_is_boolean(v) ? "bool" : "null");
        json_decref(v);
        if (dups && *dups) { json_decref(*dups); *dups = NULL; }
        return NULL;
    }
    return v;
}

/* ---- strict / warn messages ---------------------------------------------- */
json_t *ck_field_warnings(const json_t *unknown, const json_t *dups)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;
    char buf[1200];
    if (!out) return NULL;
    json_array_foreach(unknown, i, p) {
        snprintf(buf, sizeof buf, "unknown field \"%s\"", json_string_value(p));
        json_array_append_new(out, json_string(buf));
    }
    json_array_foreach(dups, i, p) {
        snprintf(buf, sizeof buf, "duplicate field \"%s\"", json_string_value(p));
        json_array_append_new(out, json_string(buf));
    }
    return out;
}

int ck_strict_error(const ck_kind *k, const json_t *unknown, const json_t *dups, ck_status *st)
{
    json_t *w = ck_field_warnings(unknown, dups);
    if (!w || !json_array_size(w)) { json_decref(w); return 0; }
    char list[1800] = "";
    size_t off = 0, i;
    json_t *m;
    json_array_foreach(w, i, m) {
        int n = snprintf(list + off, sizeof list - off, "%s%s", off ? ", " : "", json_string_value(m));
        if (n < 0 || (size_t)n >= sizeof list - off) break;
        off += (size_t)n;
    }
    json_decref(w);
    ck_status_bad_request(st, "%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s",
                          k->kind, k->version, k->kind, list);
    return -1;
}
