/* field_selector.c: field selectors as k8s.io/apimachinery/pkg/fields/selector.go
 * parses them (splitTerms with backslash escapes, splitTerm on !=, ==, =,
 * UnescapeValue) and matches them against an object's dotted fields. */
#include "api/selector.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/ckjson.h"

typedef struct term {
    char *field;
    char *value;
    bool neq;
} term;

struct ck_field_selector {
    term *terms;
    size_t n;
};

void ck_field_selector_free(ck_field_selector *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->terms[i].field);
        free(s->terms[i].value);
    }
    free(s->terms);
    free(s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* splitTerms: split on ',' that is not escaped by a backslash. Parts are malloc'd. */
static char **split_terms(const char *s, size_t *count)
{
    size_t n = 1;
    bool in_slash = false;
    for (const char *p = s; *p; p++) {
        if (in_slash) in_slash = false;
        else if (*p == '\\') in_slash = true;
        else if (*p == ',') n++;
    }
    char **parts = calloc(n, sizeof *parts);
    if (!parts) return NULL;
    size_t k = 0;
    const char *start = s;
    in_slash = false;
    for (const char *p = s;; p++) {
        bool end = !*p;
        if (!end && in_slash) { in_slash = false; continue; }
        if (!end && *p == '\\') { in_slash = true; continue; }
        if (end || *p == ',') {
            parts[k] = strndup(start, (size_t)(p - start));
            if (!parts[k]) {
                for (size_t i = 0; i < k; i++) free(parts[i]);
                free(parts);
                return NULL;
            }
            k++;
            start = p + 1;
        }
        if (end) break;
    }
    *count = k;
    return parts;
}

/* UnescapeValue: \\ \, \= are escapes; a bare , or = is an error. */
static char *unescape_value(const char *s, char *err, size_t errlen)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out) { snprintf(err, errlen, "out of memory"); return NULL; }
    bool in_slash = false;
    for (const char *p = s; *p; p++) {
        if (in_slash) {
            if (*p != '\\' && *p != ',' && *p != '=') {
                /* InvalidEscapeSequence; the sequence is the backslash and one (UTF-8) rune */
                size_t rl = 1;
                while (((unsigned char)p[rl] & 0xC0) == 0x80) rl++;
                snprintf(err, errlen, "invalid field selector: invalid escape sequence: \\%.*s", (int)rl, p);
                free(out);
                return NULL;
            }
            *o++ = *p;
            in_slash = false;
        } else if (*p == '\\') {
            in_slash = true;
        } else if (*p == ',' || *p == '=') {
            /* UnescapedRune prints the rune with %v, i.e. as a number */
            snprintf(err, errlen, "invalid field selector: unescaped character in value: %d", *p);
            free(out);
            return NULL;
        } else {
            *o++ = *p;
        }
    }
    if (in_slash) {
        snprintf(err, errlen, "invalid field selector: invalid escape sequence: \\");
        free(out);
        return NULL;
    }
    *o = 0;
    return out;
}

/* splitTerm: the first position where !=, == or = starts. */
static int parse_term(const char *part, term *t)
{
    for (const char *p = part; *p; p++) {
        size_t oplen = 0;
        if (strncmp(p, "!=", 2) == 0) { oplen = 2; t->neq = true; }
        else if (strncmp(p, "==", 2) == 0) oplen = 2;
        else if (*p == '=') oplen = 1;
        if (!oplen) continue;
        t->field = strndup(part, (size_t)(p - part));
        t->value = strdup(p + oplen);
        return (t->field && t->value) ? 0 : -2;
    }
    return -1;
}

ck_field_selector *ck_field_selector_parse(const char *text, char *err, size_t errlen)
{
    char dummy[8];
    if (!err || !errlen) { err = dummy; errlen = sizeof dummy; }
    err[0] = 0;
    ck_field_selector *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (!text || !*text) return s;
    size_t nparts = 0;
    char **parts = split_terms(text, &nparts);
    if (!parts) { free(s); return NULL; }
    qsort(parts, nparts, sizeof *parts, cmp_str);
    s->terms = calloc(nparts, sizeof *s->terms);
    int rc = s->terms ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < nparts; i++) {
        if (!*parts[i]) continue;
        term t = {0};
        int prc = parse_term(parts[i], &t);
        if (prc == -1) {
            snprintf(err, errlen, "invalid selector: '%s'; can't understand '%s'", text, parts[i]);
            rc = -1;
        } else if (prc == 0) {
            char *v = unescape_value(t.value, err, errlen);
            free(t.value);
            t.value = v;
            if (!v) rc = -1;
        } else {
            rc = -1;
        }
        if (rc == 0) s->terms[s->n++] = t;
        else { free(t.field); free(t.value); }
    }
    for (size_t i = 0; i < nparts; i++) free(parts[i]);
    free(parts);
    if (rc) { ck_field_selector_free(s); return NULL; }
    return s;
}

/* fields.Set value of a dotted path: strings as is, numbers and booleans
 * printed, anything missing (or not a scalar) as "". */
static const char *field_value(const json_t *obj, const char *path, char *buf, size_t buflen)
{
    json_t *v = ck_json_path(obj, path);
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) snprintf(buf, buflen, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v)) snprintf(buf, buflen, "%g", json_real_value(v));
    else if (json_is_boolean(v)) snprintf(buf, buflen, "%s", json_is_true(v) ? "true" : "false");
    else return "";
    return buf;
}

bool ck_field_selector_matches(const ck_field_selector *s, const json_t *obj)
{
    char buf[64];
    for (size_t i = 0; s && i < s->n; i++) {
        bool eq = strcmp(field_value(obj, s->terms[i].field, buf, sizeof buf), s->terms[i].value) == 0;
        if (eq == s->terms[i].neq) return false;
    }
    return true;
}

const char *ck_field_selector_unsupported(const ck_field_selector *s, const char *const *allowed)
{
    for (size_t i = 0; s && i < s->n; i++) {
        const char *f = s->terms[i].field;
        if (strcmp(f, "metadata.name") == 0 || strcmp(f, "metadata.namespace") == 0) continue;
        bool ok = false;
        for (const char *const *a = allowed; a && *a && !ok; a++) ok = strcmp(*a, f) == 0;
        if (!ok) return f;
    }
    return NULL;
}

const char *ck_field_selector_exact(const ck_field_selector *s, const char *field)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (!s->terms[i].neq && strcmp(s->terms[i].field, field) == 0) return s->terms[i].value;
    return NULL;
}

bool ck_field_selector_empty(const ck_field_selector *s)
{
    return !s || s->n == 0;
}
