/* proxy_rewrite.c: upstream's proxy Transport rewriting
 * (k8s.io/apimachinery/pkg/util/proxy/transport.go rewriteURL, rewriteHTML
 * with atomsToAttrs). rewriteHTML is a tokenizer pass, not a parse: start
 * tags are re-rendered and everything else is copied byte for byte, so a
 * DOM parser that re-serialises the page (libxml2's HTML parser adds
 * <html><body>) would not give upstream's output; this is a small
 * HTML-tokenizer subset instead (tags, comments, raw-text elements). */
#define _GNU_SOURCE
#include "apiserver/handlers/proxy_rewrite.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rewriteURL -------------------------------------------------------- */

/* path.Clean of an absolute path. Writes into out (>= strlen(in) + 2). */
static void clean_path(const char *in, char *out)
{
    size_t o = 0;
    const char *p = in;
    while (*p) {
        while (*p == '/') p++;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0) break;
        if (n == 1 && p[0] == '.') {
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
    }
    if (o == 0) out[o++] = '/';
    out[o] = 0;
}

char *ck_proxy_rewrite_url(const ck_proxy_rewrite *rw, const char *url)
{
    /* url.Parse, reduced: [scheme:][//host]path[?query][#fragment] */
    const char *p = url, *scheme_end = NULL;
    if (isalpha((unsigned char)*p)) {
        const char *q = p;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.') q++;
        if (*q == ':') scheme_end = q;
    }
    const char *after = scheme_end ? scheme_end + 1 : url, *host = "", *host_end = NULL;
    if (after[0] == '/' && after[1] == '/') {
        host = after + 2;
        host_end = host + strcspn(host, "/?#");
        after = host_end;
    }
    size_t host_len = host_end ? (size_t)(host_end - host) : 0;
    size_t path_len = strcspn(after, "?#");
    bool same = host_len == 0 || (host_len == strlen(rw->backend_host) && !strncmp(host, rw->backend_host, host_len)) ||
                (host_len == strlen(rw->request_host) && !strncmp(host, rw->request_host, host_len));
    if (!same || after[0] != '/') return strdup(url); /* another host, or relative (mailto: has no path) */
    /* the request's own host keeps scheme and host; the backend's is dropped
     * (the Transport's Scheme and Host are empty for the apiserver) */
    bool keep_host = host_len && host_len == strlen(rw->request_host) && !strncmp(host, rw->request_host, host_len);
    char *path = strndup(after, path_len);
    char *joined = path ? malloc(strlen(rw->prepend) + path_len + 4) : NULL;
    if (!joined) { free(path); return NULL; }
    size_t pl = strlen(rw->prepend);
    if (!strncmp(path, rw->prepend, pl)) {
        strcpy(joined, path); /* already under the proxy path */
    } else {
        char *cat = malloc(pl + path_len + 3);
        if (!cat) { free(path); free(joined); return NULL; }
        sprintf(cat, "%s/%s", rw->prepend, path);
        clean_path(cat, joined);
        free(cat);
        if (path_len && path[path_len - 1] == '/' && strcmp(joined, "/") != 0) strcat(joined, "/");
    }
    char *out = NULL;
    if (asprintf(&out, "%.*s%s%.*s%s%s", keep_host && scheme_end ? (int)(scheme_end - url + 1) : 0, url,
                 keep_host ? "//" : "", keep_host ? (int)host_len : 0, host, joined, after + path_len) < 0)
        out = NULL;
    free(path);
    free(joined);
    return out;
}

/* ---- rewriteHTML --------------------------------------------------------- */

/* atomsToAttrs: the URL-valued attributes of each element. */
static const struct { const char *tag, *attrs[5]; } url_attrs[] = {
    {"a", {"href"}}, {"applet", {"codebase"}}, {"area", {"href"}}, {"audio", {"src"}}, {"base", {"href"}},
    {"blockquote", {"cite"}}, {"body", {"background"}}, {"button", {"formaction"}}, {"command", {"icon"}},
    {"del", {"cite"}}, {"embed", {"src"}}, {"form", {"action"}}, {"frame", {"longdesc", "src"}},
    {"head", {"profile"}}, {"html", {"manifest"}}, {"iframe", {"longdesc", "src"}},
    {"img", {"longdesc", "src", "usemap"}}, {"input", {"src", "formaction"}}, {"ins", {"cite"}},
    {"link", {"href"}}, {"object", {"classid", "codebase", "data", "usemap"}}, {"q", {"cite"}},
    {"script", {"src"}}, {"source", {"src"}}, {"video", {"poster", "src"}},
};

/* Elements whose content the tokenizer reads as raw text up to their end tag. */
static const char *const raw_tags[] = {"iframe", "noembed", "noframes", "noscript", "plaintext", "script",
                                       "style", "textarea", "title", "xmp", NULL};

static bool is_url_attr(const char *tag, const char *attr)
{
    for (size_t i = 0; i < sizeof url_attrs / sizeof url_attrs[0]; i++)
        if (!strcmp(url_attrs[i].tag, tag))
            for (int j = 0; j < 5 && url_attrs[i].attrs[j]; j++)
                if (!strcmp(url_attrs[i].attrs[j], attr)) return true;
    return false;
}

/* html.UnescapeString, for the common entities and numeric references. */
static void unescape_into(FILE *m, const char *s, size_t n)
{
    static const struct { const char *name, *text; } ents[] = {
        {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", "\xc2\xa0"}};
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') { fputc(s[i], m); continue; }
        size_t k;
        for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
            size_t el = strlen(ents[k].name);
            if (i + 1 + el <= n && !strncmp(s + i + 1, ents[k].name, el)) {
                fputs(ents[k].text, m);
                i += el;
                break;
            }
        }
        if (k < sizeof ents / sizeof ents[0]) continue;
        if (i + 2 < n && s[i + 1] == '#') {
            bool hex = s[i + 2] == 'x' || s[i + 2] == 'X';
            size_t j = i + 2 + hex;
            unsigned long cp = 0;
            size_t start = j;
            while (j < n && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j])) && cp < 0x110000)
                cp = cp * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)s[j]) ? s[j] - '0' : (tolower(s[j]) - 'a' + 10)), j++;
            if (j > start && cp > 0 && cp < 0x110000) {
                if (cp < 0x80) fputc((int)cp, m);
                else if (cp < 0x800) fprintf(m, "%c%c", (int)(0xc0 | cp >> 6), (int)(0x80 | (cp & 0x3f)));
                else if (cp < 0x10000) fprintf(m, "%c%c%c", (int)(0xe0 | cp >> 12), (int)(0x80 | ((cp >> 6) & 0x3f)), (int)(0x80 | (cp & 0x3f)));
                else fprintf(m, "%c%c%c%c", (int)(0xf0 | cp >> 18), (int)(0x80 | ((cp >> 12) & 0x3f)),
                             (int)(0x80 | ((cp >> 6) & 0x3f)), (int)(0x80 | (cp & 0x3f)));
                i = j < n && s[j] == ';' ? j : j - 1;
                continue;
            }
        }
        fputc('&', m);
    }
}

/* html's escape(): & ' < > " and \r. */
static void escape_into(FILE *m, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", m); break;
        case '\'': fputs("&#39;", m); break;
        case '<': fputs("&lt;", m); break;
        case '>': fputs("&gt;", m); break;
        case '"': fputs("&#34;", m); break;
        case '\r': fputs("&#13;", m); break;
        default: fputc(*s, m);
        }
    }
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

/* One start tag at in[i] == '<' (a letter follows). Re-renders it into m and
 * returns the index after it, or 0 when the tag does not end (left raw). */
static size_t start_tag(const ck_proxy_rewrite *rw, const char *in, size_t n, size_t i, FILE *m, char *tag, size_t tagmax)
{
    size_t j = i + 1, t = 0;
    while (j < n && !is_space(in[j]) && in[j] != '/' && in[j] != '>') {
        if (t + 1 < tagmax) tag[t++] = (char)tolower((unsigned char)in[j]);
        j++;
    }
    tag[t] = 0;
    char *buf = NULL;
    size_t blen = 0;
    FILE *tm = open_memstream(&buf, &blen);
    if (!tm) return 0;
    fprintf(tm, "<%s", tag);
    bool self_closing = false, done = false;
    while (j < n && !done) {
        while (j < n && (is_space(in[j]) || in[j] == '/')) {
            self_closing = in[j] == '/';
            j++;
        }
        if (j >= n) break;
        if (in[j] == '>') { done = true; j++; break; }
        self_closing = false;
        size_t ks = j;
        j++; /* the first character may be '=' */
        while (j < n && !is_space(in[j]) && in[j] != '/' && in[j] != '>' && in[j] != '=') j++;
        size_t ke = j, vs = j, ve = j;
        while (j < n && is_space(in[j])) j++;
        if (j < n && in[j] == '=') {
            j++;
            while (j < n && is_space(in[j])) j++;
            if (j < n && (in[j] == '"' || in[j] == '\'')) {
                char q = in[j++];
                vs = j;
                while (j < n && in[j] != q) j++;
                ve = j;
                if (j < n) j++;
            } else {
                vs = j;
                while (j < n && !is_space(in[j]) && in[j] != '>') j++;
                ve = j;
            }
        } else {
            j = ke;
        }
        char key[64];
        size_t kl = ke - ks < sizeof key - 1 ? ke - ks : sizeof key - 1;
        for (size_t x = 0; x < kl; x++) key[x] = (char)tolower((unsigned char)in[ks + x]);
        key[kl] = 0;
        char *val = NULL;
        size_t vlen = 0;
        FILE *vm = open_memstream(&val, &vlen);
        if (vm) { unescape_into(vm, in + vs, ve - vs); fclose(vm); }
        char *nv = val && is_url_attr(tag, key) ? ck_proxy_rewrite_url(rw, val) : NULL;
        fprintf(tm, " %s=\"", key);
        escape_into(tm, nv ? nv : val ? val : "");
        fputc('"', tm);
        free(nv);
        free(val);
    }
    fputs(self_closing ? "/>" : ">", tm);
    fclose(tm);
    if (!done) { free(buf); return 0; }
    fwrite(buf, 1, blen, m);
    free(buf);
    return j;
}

/* Index of the "</tag" that ends a raw-text element, or n. */
static size_t raw_end(const char *in, size_t n, size_t i, const char *tag)
{
    size_t tl = strlen(tag);
    for (; i + 1 < n; i++)
        if (in[i] == '<' && in[i + 1] == '/' && i + 2 + tl <= n && !strncasecmp(in + i + 2, tag, tl)) return i;
    return n;
}

char *ck_proxy_rewrite_html(const ck_proxy_rewrite *rw, const char *in, size_t n, size_t *out_len)
{
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    if (!m) return NULL;
    size_t i = 0;
    while (i < n) {
        const char *lt = memchr(in + i, '<', n - i);
        size_t at = lt ? (size_t)(lt - in) : n;
        fwrite(in + i, 1, at - i, m); /* text */
        i = at;
        if (i >= n) break;
        const char *end = NULL;
        if (n - i >= 4 && !memcmp(in + i, "<!--", 4)) { /* comment: raw */
            end = memmem(in + i + 4, n - i - 4, "-->", 3);
            size_t e = end ? (size_t)(end - in) + 3 : n;
            fwrite(in + i, 1, e - i, m);
            i = e;
        } else if (i + 1 < n && (in[i + 1] == '!' || in[i + 1] == '?' ||
                                 (in[i + 1] == '/' && i + 2 < n && isalpha((unsigned char)in[i + 2])))) {
            end = memchr(in + i, '>', n - i); /* doctype, bogus comment, end tag: raw */
            size_t e = end ? (size_t)(end - in) + 1 : n;
            fwrite(in + i, 1, e - i, m);
            i = e;
        } else if (i + 1 < n && isalpha((unsigned char)in[i + 1])) {
            char tag[32];
            size_t e = start_tag(rw, in, n, i, m, tag, sizeof tag);
            if (!e) { fwrite(in + i, 1, n - i, m); break; }
            i = e;
            for (const char *const *r = raw_tags; *r; r++)
                if (!strcmp(*r, tag)) {
                    size_t re = !strcmp(tag, "plaintext") ? n : raw_end(in, n, i, tag);
                    fwrite(in + i, 1, re - i, m);
                    i = re;
                    break;
                }
        } else {
            fputc('<', m);
            i++;
        }
    }
    if (fclose(m) != 0) { free(out); return NULL; }
    *out_len = len;
    return out;
}
