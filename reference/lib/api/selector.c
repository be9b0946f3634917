/* selector.c: label selectors (k8s.io/apimachinery/pkg/labels/selector.go:
 * lexer, parser, NewRequirement validation, Matches, String) and the
 * metav1.LabelSelector JSON form (LabelSelectorAsSelector). Field selectors
 * live in field_selector.c. */
#include "api/selector.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- name validation (k8s.io/apimachinery/pkg/util/validation) ---------- */

#define QNAME_FMT "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_MSG "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
/* RegexError(msg, fmt, examples...) renders "'a',  or 'b',  or 'c', regex used ..." */
#define QNAME_REGEX_ERR QNAME_MSG " (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '" QNAME_FMT "')"
#define DNS1123_SUB_FMT "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
#define DNS1123_SUB_ERR "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" DNS1123_SUB_FMT "')"
#define LABEL_VALUE_ERR "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(" QNAME_FMT ")?')"

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] over s[0..n) */
static bool match_qname(const char *s, size_t n)
{
    if (n == 0 || !is_alnum(s[0]) || !is_alnum(s[n - 1])) return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.') return false;
    return true;
}

static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static bool match_dns1123_subdomain(const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!is_lower_alnum(s[i]) && s[i] != '-') return false;
            continue;
        }
        /* label s[start..i) */
        if (i == start || !is_lower_alnum(s[start]) || !is_lower_alnum(s[i - 1])) return false;
        start = i + 1;
    }
    return true;
}

typedef struct msgbuf {
    char *p;
    size_t len, cap;
    int count;
} msgbuf;

static void add(msgbuf *m, const char *a, const char *b)
{
    if (!m->p || !m->cap) { m->count++; return; }
    int n = snprintf(m->p + m->len, m->cap - m->len, "%s%s%s", m->count ? "; " : "", a, b);
    if (n > 0) m->len += (size_t)n;
    if (m->len >= m->cap) m->len = m->cap - 1;
    m->count++;
}

static int is_qualified_name(const char *value, char *msg, size_t msglen)
{
    msgbuf m = {msg, 0, msglen, 0};
    if (msg && msglen) msg[0] = 0;
    const char *slash = strchr(value, '/');
    const char *name = value;
    if (slash && strchr(slash + 1, '/')) {
        add(&m, "a qualified name " QNAME_REGEX_ERR,
            " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return m.count;
    }
    if (slash) {
        size_t plen = (size_t)(slash - value);
        name = slash + 1;
        if (plen == 0) add(&m, "prefix part ", "must be non-empty");
        else {
            if (plen > 253) add(&m, "prefix part ", "must be no more than 253 characters");
            if (!match_dns1123_subdomain(value, plen)) add(&m, "prefix part ", DNS1123_SUB_ERR);
        }
    }
    size_t n = strlen(name);
    if (n == 0) add(&m, "name part ", "must be non-empty");
    else if (n > 63) add(&m, "name part ", "must be no more than 63 characters");
    if (!match_qname(name, n)) add(&m, "name part ", QNAME_REGEX_ERR);
    return m.count;
}

static int is_valid_label_value(const char *value, char *msg, size_t msglen)
{
    msgbuf m = {msg, 0, msglen, 0};
    if (msg && msglen) msg[0] = 0;
    size_t n = strlen(value);
    if (n > 63) add(&m, "", "must be no more than 63 characters");
    if (n && !match_qname(value, n)) add(&m, "", LABEL_VALUE_ERR);
    return m.count;
}

static char *go_quote(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    if (!outlen) return out;
#define PUT(c) do { if (o + 1 < outlen) out[o++] = (c); } while (0)
    PUT('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') { PUT('\\'); PUT((char)*p); }
        else if (*p == '\n') { PUT('\\'); PUT('n'); }
        else if (*p == '\t') { PUT('\\'); PUT('t'); }
        else if (*p == '\r') { PUT('\\'); PUT('r'); }
        else if (*p < 0x20 || *p == 0x7f) {
            char hex[5];
            snprintf(hex, sizeof hex, "\\x%02x", *p);
            for (int i = 0; hex[i]; i++) PUT(hex[i]);
        } else PUT((char)*p);
    }
    PUT('"');
#undef PUT
    out[o] = 0;
    return out;
}

/* ---- requirements ------------------------------------------------------- */

typedef enum sel_op { OP_IN, OP_NOTIN, OP_EQ, OP_DEQ, OP_NEQ, OP_GT, OP_LT, OP_EXISTS, OP_DNE } sel_op;

typedef struct requirement {
    char *key;
    sel_op op;
    char **vals;
    size_t nvals;
} requirement;

struct ck_label_selector {
    requirement *reqs;
    size_t n;
};

/* Upstream's binaryOperators, in order, for "expected: ..." messages. */
#define BINARY_OPERATORS "in, notin, =, ==, !=, gt, lt"

static void req_clear(requirement *r)
{
    free(r->key);
    for (size_t i = 0; i < r->nvals; i++) free(r->vals[i]);
    free(r->vals);
    memset(r, 0, sizeof *r);
}

void ck_label_selector_free(ck_label_selector *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) req_clear(&s->reqs[i]);
    free(s->reqs);
    free(s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_req(const void *a, const void *b)
{
    const requirement *x = a, *y = b;
    return strcmp(x->key, y->key);
}

/* strconv.ParseInt(s, 10, 64) */
static bool parse_int64(const char *s, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if (!*p) return false;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        if (__builtin_mul_overflow(v, 10, &v) ||
            (neg ? __builtin_sub_overflow(v, *p - '0', &v) : __builtin_add_overflow(v, *p - '0', &v)))
            return false;
    }
    *out = v;
    return true;
}

/* A growing list of field.Error texts, rendered as utilerrors.Aggregate does. */
typedef struct errlist {
    char **msgs;
    size_t n;
} errlist;

static void errlist_add(errlist *l, const char *path, const char *badvalue, const char *detail)
{
    size_t len = strlen(path) + strlen(badvalue) + strlen(detail) + 32;
    char *m = malloc(len);
    char **grown = realloc(l->msgs, (l->n + 1) * sizeof *grown);
    if (!m || !grown) { free(m); if (grown) l->msgs = grown; return; }
    l->msgs = grown;
    snprintf(m, len, "%s: Invalid value: %s: %s", path, badvalue, detail);
    l->msgs[l->n++] = m;
}

/* Aggregate.Error(): one message alone, several as "[a, b]" (duplicates dropped). */
static void errlist_render(errlist *l, const char *prefix, char *err, size_t errlen)
{
    size_t o = 0;
    int unique = 0;
    char *buf = err;
    if (!buf || !errlen) return;
    o = (size_t)snprintf(buf, errlen, "%s", prefix);
    size_t start = o;
    for (size_t i = 0; i < l->n; i++) {
        bool dup = false;
        for (size_t j = 0; j < i; j++) dup |= strcmp(l->msgs[i], l->msgs[j]) == 0;
        if (dup) continue;
        if (o < errlen) o += (size_t)snprintf(buf + o, errlen - o, "%s%s", unique ? ", " : "", l->msgs[i]);
        unique++;
    }
    if (unique > 1 && o + 2 < errlen) {
        memmove(buf + start + 1, buf + start, o - start + 1);
        buf[start] = '[';
        o++;
        snprintf(buf + o, errlen - o, "]");
    }
}

static void errlist_free(errlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->msgs[i]);
    free(l->msgs);
}

/* %#v of a []string, as field.Invalid shows a values slice. */
static void go_string_slice(char **vals, size_t n, char *out, size_t outlen)
{
    size_t o = (size_t)snprintf(out, outlen, "[]string{");
    for (size_t i = 0; i < n && o < outlen; i++) {
        char q[300];
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", i ? ", " : "", go_quote(vals[i], q, sizeof q));
    }
    if (o < outlen) snprintf(out + o, outlen - o, "}");
}

/* NewRequirement's checks (key, value count per operator, each value).
 * Takes ownership of key and vals; returns 0 or -1 with the aggregate message. */
static int new_requirement(requirement *r, char *key, sel_op op, char **vals, size_t nvals,
                           char *err, size_t errlen, const char *prefix)
{
    errlist el = {0};
    char msg[2048], q[300], sl[1024];
    *r = (requirement){key, op, vals, nvals};
    if (is_qualified_name(key, msg, sizeof msg)) errlist_add(&el, "key", go_quote(key, q, sizeof q), msg);
    go_string_slice(vals, nvals, sl, sizeof sl);
    switch (op) {
    case OP_IN: case OP_NOTIN:
        if (nvals == 0) errlist_add(&el, "values", sl, "for 'in', 'notin' operators, values set can't be empty");
        break;
    case OP_EQ: case OP_DEQ: case OP_NEQ:
        if (nvals != 1) errlist_add(&el, "values", sl, "exact-match compatibility requires one single value");
        break;
    case OP_EXISTS: case OP_DNE:
        if (nvals != 0) errlist_add(&el, "values", sl, "values set must be empty for exists and does not exist");
        break;
    case OP_GT: case OP_LT:
        if (nvals != 1) errlist_add(&el, "values", sl, "for 'Gt', 'Lt' operators, exactly one value is required");
        for (size_t i = 0; i < nvals; i++) {
            int64_t v;
            char path[32];
            snprintf(path, sizeof path, "values[%zu]", i);
            if (!parse_int64(vals[i], &v))
                errlist_add(&el, path, go_quote(vals[i], q, sizeof q), "for 'Gt', 'Lt' operators, the value must be an integer");
        }
        break;
    }
    for (size_t i = 0; i < nvals; i++) {
        if (!is_valid_label_value(vals[i], msg, sizeof msg)) continue;
        size_t plen = strlen(key) + 48;
        char *path = malloc(plen);
        if (!path) continue;
        snprintf(path, plen, "values[%zu][%s]", i, key);
        errlist_add(&el, path, go_quote(vals[i], q, sizeof q), msg);
        free(path);
    }
    int rc = el.n ? -1 : 0;
    if (rc) errlist_render(&el, prefix, err, errlen);
    errlist_free(&el);
    if (rc) req_clear(r);
    return rc;
}

static bool req_has_value(const requirement *r, const char *v)
{
    for (size_t i = 0; i < r->nvals; i++)
        if (strcmp(r->vals[i], v) == 0) return true;
    return false;
}

/* Requirement.Matches */
static bool req_matches(const requirement *r, const json_t *labels)
{
    json_t *lv = json_is_object(labels) ? json_object_get(labels, r->key) : NULL;
    const char *v = json_is_string(lv) ? json_string_value(lv) : "";
    int64_t a, b;
    switch (r->op) {
    case OP_IN: case OP_EQ: case OP_DEQ: return lv && req_has_value(r, v);
    case OP_NOTIN: case OP_NEQ: return !lv || !req_has_value(r, v);
    case OP_EXISTS: return lv != NULL;
    case OP_DNE: return lv == NULL;
    case OP_GT: case OP_LT:
        if (!lv || r->nvals != 1 || !parse_int64(v, &a) || !parse_int64(r->vals[0], &b)) return false;
        return r->op == OP_GT ? a > b : a < b;
    }
    return false;
}

bool ck_label_selector_matches(const ck_label_selector *s, const json_t *labels)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (!req_matches(&s->reqs[i], labels)) return false;
    return true;
}

bool ck_label_selector_empty(const ck_label_selector *s)
{
    return !s || s->n == 0;
}

/* Requirement.String() joined by "," (values sorted on output). */
char *ck_label_selector_string(const ck_label_selector *s)
{
    size_t cap = 1;
    for (size_t i = 0; s && i < s->n; i++) {
        cap += strlen(s->reqs[i].key) + 12;
        for (size_t j = 0; j < s->reqs[i].nvals; j++) cap += strlen(s->reqs[i].vals[j]) + 1;
    }
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t o = 0;
    out[0] = 0;
    static const char *const opstr[] = {" in ", " notin ", "=", "==", "!=", ">", "<", "", ""};
    for (size_t i = 0; s && i < s->n; i++) {
        const requirement *r = &s->reqs[i];
        o += (size_t)snprintf(out + o, cap - o, "%s%s%s%s", i ? "," : "", r->op == OP_DNE ? "!" : "",
                              r->key, opstr[r->op]);
        if (r->op == OP_EXISTS || r->op == OP_DNE) continue;
        bool set = r->op == OP_IN || r->op == OP_NOTIN;
        char **sorted = malloc((r->nvals ? r->nvals : 1) * sizeof *sorted);
        if (!sorted) { free(out); return NULL; }
        memcpy(sorted, r->vals, r->nvals * sizeof *sorted);
        qsort(sorted, r->nvals, sizeof *sorted, cmp_str);
        if (set) o += (size_t)snprintf(out + o, cap - o, "(");
        for (size_t j = 0; j < r->nvals; j++)
            o += (size_t)snprintf(out + o, cap - o, "%s%s", j ? "," : "", sorted[j]);
        if (set) o += (size_t)snprintf(out + o, cap - o, ")");
        free(sorted);
    }
    return out;
}

static int sel_append(ck_label_selector *s, requirement *r)
{
    requirement *grown = realloc(s->reqs, (s->n + 1) * sizeof *grown);
    if (!grown) return -1;
    s->reqs = grown;
    s->reqs[s->n++] = *r;
    return 0;
}

/* ---- lexer (Lexer.Lex) -------------------------------------------------- */

typedef enum tok {
    T_ERROR, T_EOS, T_CPAR, T_COMMA, T_NOT, T_DEQ, T_EQ, T_GT, T_ID, T_IN, T_LT, T_NEQ, T_NOTIN, T_OPAR
} tok;

typedef struct item {
    tok t;
    char *lit;
} item;

static const struct { const char *s; tok t; } string2token[] = {
    {")", T_CPAR}, {",", T_COMMA}, {"!", T_NOT}, {"==", T_DEQ}, {"=", T_EQ}, {">", T_GT},
    {"in", T_IN}, {"<", T_LT}, {"!=", T_NEQ}, {"notin", T_NOTIN}, {"(", T_OPAR},
};

static tok lookup_token(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof string2token / sizeof string2token[0]; i++)
        if (strlen(string2token[i].s) == n && strncmp(string2token[i].s, s, n) == 0) return string2token[i].t;
    return T_ERROR;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static bool is_special(char c) { return c && strchr("=!(),><", c) != NULL; }

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) { memcpy(d, s, n); d[n] = 0; }
    return d;
}

/* Scans one token at *pos; lit is malloc'd. Returns -1 on allocation failure. */
static int lex(const char *s, size_t *pos, item *it)
{
    size_t p = *pos;
    while (is_ws(s[p])) p++;
    if (!s[p]) { *pos = p; it->t = T_EOS; it->lit = dupn("", 0); return it->lit ? 0 : -1; }
    if (is_special(s[p])) {
        /* longest run of special symbols that is still a token */
        size_t start = p, best = 0;
        tok bt = T_ERROR;
        while (is_special(s[p])) {
            tok t = lookup_token(s + start, p - start + 1);
            if (t != T_ERROR) { bt = t; best = p - start + 1; }
            else if (bt != T_ERROR) break;
            p++;
        }
        if (bt == T_ERROR) {
            size_t n = p - start;
            it->t = T_ERROR;
            it->lit = malloc(n + 40);
            if (!it->lit) return -1;
            snprintf(it->lit, n + 40, "error expected: keyword found '%.*s'", (int)n, s + start);
            *pos = p;
            return 0;
        }
        it->t = bt;
        it->lit = dupn(s + start, best);
        *pos = start + best;
        return it->lit ? 0 : -1;
    }
    size_t start = p;
    while (s[p] && !is_special(s[p]) && !is_ws(s[p])) p++;
    tok t = lookup_token(s + start, p - start);
    it->t = (t == T_IN || t == T_NOTIN) ? t : T_ID;
    it->lit = dupn(s + start, p - start);
    *pos = p;
    return it->lit ? 0 : -1;
}

/* ---- parser (Parser.parse and friends) ---------------------------------- */

typedef struct parser {
    item *items;
    size_t n, pos;
    char *err;
    size_t errlen;
} parser;

/* KeyAndOperator context keeps in/notin as keywords; Values reads them as identifiers. */
enum { CTX_KEYOP, CTX_VALUES };

static tok ctx_tok(tok t, int ctx) { return (ctx == CTX_VALUES && (t == T_IN || t == T_NOTIN)) ? T_ID : t; }

static tok look(parser *p, int ctx, const char **lit)
{
    if (lit) *lit = p->items[p->pos].lit;
    return ctx_tok(p->items[p->pos].t, ctx);
}

static tok consume(parser *p, int ctx, const char **lit)
{
    tok t = look(p, ctx, lit);
    if (p->pos + 1 < p->n) p->pos++; /* EOS stays the last item */
    return t;
}

static int perr(parser *p, const char *fmt, const char *lit)
{
    if (p->err && p->errlen) snprintf(p->err, p->errlen, fmt, lit);
    return -1;
}

/* A sorted set of values (sets.String.List()). */
typedef struct strset {
    char **v;
    size_t n;
} strset;

static int set_insert(strset *s, const char *v)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], v) == 0) return 0;
    char **grown = realloc(s->v, (s->n + 1) * sizeof *grown);
    if (!grown) return -1;
    s->v = grown;
    if (!(s->v[s->n] = strdup(v))) return -1;
    s->n++;
    return 0;
}

static void set_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* parseIdentifiersList: "(a,,b)" style lists, empty identifiers allowed. */
static int parse_identifiers_list(parser *p, strset *s)
{
    const char *lit, *lit2;
    for (;;) {
        tok t = consume(p, CTX_VALUES, &lit);
        if (t == T_ID) {
            if (set_insert(s, lit)) return perr(p, "out of memory%s", "");
            tok t2 = look(p, CTX_VALUES, &lit2);
            if (t2 == T_COMMA) continue;
            if (t2 == T_CPAR) return 0;
            return perr(p, "found '%s', expected: ',' or ')'", lit2);
        } else if (t == T_COMMA) {
            if (s->n == 0 && set_insert(s, "")) return perr(p, "out of memory%s", "");
            tok t2 = look(p, CTX_VALUES, NULL);
            if (t2 == T_CPAR) return set_insert(s, "") ? perr(p, "out of memory%s", "") : 0;
            if (t2 == T_COMMA) {
                consume(p, CTX_VALUES, NULL);
                if (set_insert(s, "")) return perr(p, "out of memory%s", "");
            }
        } else {
            return perr(p, "found '%s', expected: ',', or identifier", lit);
        }
    }
}

/* parseValues: "(" list ")" */
static int parse_values(parser *p, strset *s)
{
    const char *lit;
    tok t = consume(p, CTX_VALUES, &lit);
    if (t != T_OPAR) return perr(p, "found '%s' expected: '('", lit);
    t = look(p, CTX_VALUES, &lit);
    if (t == T_ID || t == T_COMMA) {
        if (parse_identifiers_list(p, s)) return -1;
        if (consume(p, CTX_VALUES, NULL) != T_CPAR) return perr(p, "found '%s', expected: ')'", lit);
        return 0;
    }
    if (t == T_CPAR) {
        consume(p, CTX_VALUES, NULL);
        return set_insert(s, "") ? perr(p, "out of memory%s", "") : 0;
    }
    return perr(p, "found '%s', expected: ',', ')' or identifier", lit);
}

/* parseExactValue: one identifier, or "" before ',' / end. */
static int parse_exact_value(parser *p, strset *s)
{
    const char *lit;
    tok t = look(p, CTX_VALUES, NULL);
    if (t == T_EOS || t == T_COMMA) return set_insert(s, "") ? perr(p, "out of memory%s", "") : 0;
    t = consume(p, CTX_VALUES, &lit);
    if (t == T_ID) return set_insert(s, lit) ? perr(p, "out of memory%s", "") : 0;
    return perr(p, "found '%s', expected: identifier", lit);
}

/* parseRequirement; errors are prefixed "unable to parse requirement: " by the caller. */
static int parse_requirement(parser *p, requirement *r)
{
    const char *lit;
    sel_op op = OP_EQ;
    bool dne = false, unary = false;
    tok t = consume(p, CTX_VALUES, &lit);
    if (t == T_NOT) { dne = true; t = consume(p, CTX_VALUES, &lit); }
    if (t != T_ID) return perr(p, "found '%s', expected: identifier", lit);
    const char *key = lit;
    char msg[2048], q[300];
    if (is_qualified_name(key, msg, sizeof msg)) {
        /* validateLabelKey with the parser's nil field.Path prints "<nil>" */
        if (p->err && p->errlen) snprintf(p->err, p->errlen, "<nil>: Invalid value: %s: %s", go_quote(key, q, sizeof q), msg);
        return -1;
    }
    tok nx = look(p, CTX_VALUES, NULL);
    /* "!a" is unary whatever follows: "!a=b" then fails on the '=' */
    if (dne) { unary = true; op = OP_DNE; }
    else if (nx == T_EOS || nx == T_COMMA) { unary = true; op = OP_EXISTS; }
    strset vals = {0};
    if (!unary) {
        t = consume(p, CTX_KEYOP, &lit);
        switch (t) {
        case T_IN: op = OP_IN; break;
        case T_EQ: op = OP_EQ; break;
        case T_DEQ: op = OP_DEQ; break;
        case T_GT: op = OP_GT; break;
        case T_LT: op = OP_LT; break;
        case T_NOTIN: op = OP_NOTIN; break;
        case T_NEQ: op = OP_NEQ; break;
        default: return perr(p, "found '%s', expected: " BINARY_OPERATORS, lit);
        }
        int rc = (op == OP_IN || op == OP_NOTIN) ? parse_values(p, &vals) : parse_exact_value(p, &vals);
        if (rc) { set_free(&vals); return -1; }
        if (vals.n) qsort(vals.v, vals.n, sizeof *vals.v, cmp_str);
    }
    char *k = strdup(key);
    if (!k) { set_free(&vals); return perr(p, "out of memory%s", ""); }
    return new_requirement(r, k, op, vals.v, vals.n, p->err, p->errlen, "");
}

static void prefix_err(char *err, size_t errlen, const char *prefix)
{
    if (!err || !errlen) return;
    size_t pl = strlen(prefix), el = strlen(err);
    if (pl + 1 >= errlen) return;
    if (pl + el + 1 > errlen) el = errlen - pl - 1;
    memmove(err + pl, err, el);
    memcpy(err, prefix, pl);
    err[pl + el] = 0;
}

static int parse_all(parser *p, ck_label_selector *sel)
{
    const char *lit;
    for (;;) {
        tok t = look(p, CTX_VALUES, &lit);
        if (t == T_EOS) return 0;
        if (t != T_ID && t != T_NOT)
            return perr(p, "found '%s', expected: !, identifier, or 'end of string'", lit);
        requirement r;
        if (parse_requirement(p, &r)) {
            prefix_err(p->err, p->errlen, "unable to parse requirement: ");
            return -1;
        }
        if (sel_append(sel, &r)) { req_clear(&r); return perr(p, "out of memory%s", ""); }
        t = consume(p, CTX_VALUES, &lit);
        if (t == T_EOS) return 0;
        if (t != T_COMMA) return perr(p, "found '%s', expected: ',' or 'end of string'", lit);
        tok t2 = look(p, CTX_VALUES, &lit);
        if (t2 != T_ID && t2 != T_NOT) return perr(p, "found '%s', expected: identifier after ','", lit);
    }
}

ck_label_selector *ck_label_selector_parse(const char *text, char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    ck_label_selector *sel = calloc(1, sizeof *sel);
    if (!sel) return NULL;
    if (!text) return sel;
    parser p = {.err = err, .errlen = errlen};
    size_t pos = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (p.n == cap) {
            cap = cap ? cap * 2 : 8;
            item *grown = realloc(p.items, cap * sizeof *grown);
            if (!grown) { rc = perr(&p, "out of memory%s", ""); break; }
            p.items = grown;
        }
        if (lex(text, &pos, &p.items[p.n])) { rc = perr(&p, "out of memory%s", ""); break; }
        if (p.items[p.n++].t == T_EOS) break;
    }
    if (rc == 0) rc = parse_all(&p, sel);
    for (size_t i = 0; i < p.n; i++) free(p.items[i].lit);
    free(p.items);
    if (rc) { ck_label_selector_free(sel); return NULL; }
    /* sort.Sort(ByKey): not stable, keys usually distinct */
    if (sel->n) qsort(sel->reqs, sel->n, sizeof *sel->reqs, cmp_req);
    return sel;
}

/* ---- metav1.LabelSelector (LabelSelectorAsSelector) --------------------- */

static int json_requirement(ck_label_selector *sel, const char *key, sel_op op, const json_t *values,
                            char *err, size_t errlen)
{
    size_t n = json_is_array(values) ? json_array_size(values) : 0;
    char **vals = calloc(n ? n : 1, sizeof *vals);
    char *k = strdup(key);
    if (!vals || !k) { free(vals); free(k); snprintf(err, errlen, "out of memory"); return -1; }
    for (size_t i = 0; i < n; i++) {
        const char *v = json_string_value(json_array_get(values, i));
        if (!(vals[i] = strdup(v ? v : ""))) {
            for (size_t j = 0; j < i; j++) free(vals[j]);
            free(vals); free(k);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    requirement r;
    if (new_requirement(&r, k, op, vals, n, err, errlen, "")) return -1;
    if (sel_append(sel, &r)) { req_clear(&r); snprintf(err, errlen, "out of memory"); return -1; }
    return 0;
}

ck_label_selector *ck_label_selector_from_json(const json_t *js, char *err, size_t errlen)
{
    char dummy[8];
    if (!err || !errlen) { err = dummy; errlen = sizeof dummy; }
    err[0] = 0;
    ck_label_selector *sel = calloc(1, sizeof *sel);
    if (!sel) return NULL;
    if (!js || json_is_null(js)) return sel;
    if (!json_is_object(js)) { snprintf(err, errlen, "label selector must be an object"); goto fail; }
    const json_t *ml = json_object_get(js, "matchLabels"), *me = json_object_get(js, "matchExpressions");
    const char *k;
    json_t *v;
    if (ml && !json_is_null(ml)) {
        if (!json_is_object(ml)) { snprintf(err, errlen, "matchLabels must be an object"); goto fail; }
        json_object_foreach((json_t *)ml, k, v) {
            json_t *one = json_pack("[s]", json_is_string(v) ? json_string_value(v) : "");
            int rc = one ? json_requirement(sel, k, OP_EQ, one, err, errlen) : -1;
            json_decref(one);
            if (rc) goto fail;
        }
    }
    if (me && !json_is_null(me)) {
        if (!json_is_array(me)) { snprintf(err, errlen, "matchExpressions must be an array"); goto fail; }
        size_t i;
        json_array_foreach((json_t *)me, i, v) {
            const char *key = json_string_value(json_object_get(v, "key"));
            const char *ops = json_string_value(json_object_get(v, "operator"));
            sel_op op;
            if (!ops) ops = "";
            if (strcmp(ops, "In") == 0) op = OP_IN;
            else if (strcmp(ops, "NotIn") == 0) op = OP_NOTIN;
            else if (strcmp(ops, "Exists") == 0) op = OP_EXISTS;
            else if (strcmp(ops, "DoesNotExist") == 0) op = OP_DNE;
            else {
                char q[300];
                snprintf(err, errlen, "%s is not a valid label selector operator", go_quote(ops, q, sizeof q));
                goto fail;
            }
            if (json_requirement(sel, key ? key : "", op, json_object_get(v, "values"), err, errlen)) goto fail;
        }
    }
    if (sel->n) qsort(sel->reqs, sel->n, sizeof *sel->reqs, cmp_req);
    return sel;
fail:
    ck_label_selector_free(sel);
    return NULL;
}
