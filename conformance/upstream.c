/* upstream.c: reads conformance/scope.tsv (every upstream conformance codename,
 * in or out of ckube's scope) and joins it with the registered harness tests
 * into the --upstream-report Markdown: per upstream test, who mirrors it. */
#include "upstream.h"
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ckc_scope_free(ckc_scope *s)
{
    for (size_t i = 0; s && i < s->n; i++) {
        free(s->rows[i].codename);
        free(s->rows[i].reason);
    }
    if (s) { free(s->rows); s->rows = NULL; s->n = 0; }
}

const ckc_scope_row *ckc_scope_find(const ckc_scope *s, const char *codename)
{
    for (size_t i = 0; codename && i < s->n; i++)
        if (!strcmp(s->rows[i].codename, codename)) return &s->rows[i];
    return NULL;
}

/* One row "codename\tin|out[\treason]" (line is modified). 0, or -1 with why. */
static int parse_row(char *line, ckc_scope_row *row, const char **why)
{
    char *tab1 = strchr(line, '\t');
    if (!tab1) { *why = "want codename<TAB>in|out[<TAB>reason]"; return -1; }
    *tab1 = 0;
    char *scope = tab1 + 1, *reason = strchr(scope, '\t');
    if (reason) *reason++ = 0;
    if (!*line) { *why = "empty codename"; return -1; }
    if (!strcmp(scope, "in")) row->in = 1;
    else if (!strcmp(scope, "out")) row->in = 0;
    else { *why = "scope must be in or out"; return -1; }
    if (!row->in && (!reason || !*reason)) { *why = "an out row needs a reason"; return -1; }
    row->codename = strdup(line);
    row->reason = !row->in ? strdup(reason) : NULL;
    if (!row->codename || (!row->in && !row->reason)) {
        free(row->codename); free(row->reason);
        *why = "out of memory";
        return -1;
    }
    return 0;
}

int ckc_scope_parse(const char *text, ckc_scope *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char *copy = strdup(text ? text : "");
    if (!copy) { snprintf(err, errlen, "out of memory"); return -1; }
    size_t cap = 0, lineno = 0;
    const char *why = NULL;
    char *save = NULL;
    /* strtok_r would skip blank lines and lose the count: split by hand. */
    for (char *line = copy; line && !why; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl) *nl = 0;
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r') line[--len] = 0;
        if (!len || line[0] == '#') continue;
        if (out->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            ckc_scope_row *nr = realloc(out->rows, nc * sizeof *nr);
            if (!nr) { why = "out of memory"; break; }
            out->rows = nr; cap = nc;
        }
        ckc_scope_row row = {0};
        if (parse_row(line, &row, &why)) break;
        if (ckc_scope_find(out, row.codename)) {
            why = "codename listed twice";
            free(row.codename); free(row.reason);
            break;
        }
        out->rows[out->n++] = row;
    }
    free(copy);
    if (why) {
        snprintf(err, errlen, "line %zu: %s", lineno, why);
        ckc_scope_free(out);
        return -1;
    }
    return 0;
}

int ckc_scope_load(const char *path, ckc_scope *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return -1; }
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[8192];
    size_t k;
    int ioerr = !m;
    while (m && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (fwrite(chunk, 1, k, m) != k) ioerr = 1;
    if (ferror(f)) ioerr = 1;
    fclose(f);
    if (m && fclose(m)) ioerr = 1;
    if (ioerr) { free(buf); snprintf(err, errlen, "%s: read error", path); return -1; }
    char perr[200];
    int rc = ckc_scope_parse(buf, out, perr, sizeof perr);
    free(buf);
    if (rc) snprintf(err, errlen, "%s: %s", path, perr);
    return rc;
}

int ckc_scope_load_default(ckc_scope *out, char *used, size_t usedlen, char *err, size_t errlen)
{
    char beside[PATH_MAX] = "";
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = 0;
        snprintf(beside, sizeof beside, "%s/../../conformance/scope.tsv", dirname(exe));
    }
    const char *env = getenv("CKC_SCOPE_TSV");
    if (env && *env) { /* named explicitly: that file or an error, no fallback */
        if (used) snprintf(used, usedlen, "%s", env);
        return ckc_scope_load(env, out, err, errlen);
    }
    const char *cands[] = {"conformance/scope.tsv", *beside ? beside : NULL};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        if (!cands[i] || access(cands[i], R_OK)) continue;
        if (used) snprintf(used, usedlen, "%s", cands[i]);
        return ckc_scope_load(cands[i], out, err, errlen);
    }
    snprintf(err, errlen, "conformance/scope.tsv not found (run from the repository root or set CKC_SCOPE_TSV)");
    return -1;
}

void ckc_upstream_count(const ckc_scope *s, const ckc_test *const *tests, size_t n,
                        ckc_upstream_totals *tot)
{
    memset(tot, 0, sizeof *tot);
    tot->total = s->n;
    for (size_t r = 0; r < s->n; r++) {
        int hit = 0;
        for (size_t i = 0; i < n && !hit; i++)
            hit = tests[i]->upstream && !strcmp(tests[i]->upstream, s->rows[r].codename);
        tot->in += (size_t)s->rows[r].in;
        if (hit) { if (s->rows[r].in) tot->mirrored++; else tot->mirrored_out++; }
    }
    for (size_t i = 0; i < n; i++)
        if (tests[i]->upstream && !ckc_scope_find(s, tests[i]->upstream)) tot->unknown++;
}

static double pct(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

/* Markdown table cell: '|' escaped, newlines flattened. */
static void cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else if (*s == '\n' || *s == '\r') fputc(' ', f);
        else fputc(*s, f);
    }
}

/* Distinct out-of-scope reasons with their counts, in first-seen order. */
static void write_reasons(FILE *f, const ckc_scope *s)
{
    fprintf(f, "## Out of scope, by reason\n\n| reason | upstream tests |\n|---|---|\n");
    for (size_t r = 0; r < s->n; r++) {
        if (s->rows[r].in) continue;
        int seen = 0;
        for (size_t q = 0; q < r && !seen; q++)
            seen = !s->rows[q].in && !strcmp(s->rows[q].reason, s->rows[r].reason);
        if (seen) continue;
        size_t count = 0;
        for (size_t q = r; q < s->n; q++)
            count += !s->rows[q].in && !strcmp(s->rows[q].reason, s->rows[r].reason);
        fputs("| ", f); cell(f, s->rows[r].reason); fprintf(f, " | %zu |\n", count);
    }
    fputc('\n', f);
}

static void write_rows(FILE *f, const ckc_scope *s, const ckc_test *const *tests, size_t n)
{
    fprintf(f, "## Per upstream test\n\n| upstream codename | scope | mirrored by |\n|---|---|---|\n");
    for (size_t r = 0; r < s->n; r++) {
        const ckc_scope_row *row = &s->rows[r];
        fputs("| ", f); cell(f, row->codename); fputs(" | ", f);
        if (row->in) fputs("in", f);
        else { fputs("out: ", f); cell(f, row->reason); }
        fputs(" | ", f);
        int any = 0;
        for (size_t i = 0; i < n; i++)
            if (tests[i]->upstream && !strcmp(tests[i]->upstream, row->codename))
                fprintf(f, "%s`%s`", any++ ? ", " : "", tests[i]->id);
        fputs(any ? " |\n" : (row->in ? "**not mirrored** |\n" : "- |\n"), f);
    }
    fputc('\n', f);
}

int ckc_write_upstream(FILE *f, const ckc_scope *s, const ckc_test *const *tests, size_t n,
                       ckc_upstream_totals *tot)
{
    ckc_upstream_totals t;
    ckc_upstream_count(s, tests, n, &t);
    if (tot) *tot = t;
    fprintf(f, "# Upstream conformance tests and the harness\n\n"
               "Generated by `build/bin/ckube-conformance --upstream-report conformance/UPSTREAM.md`\n"
               "from `conformance/scope.tsv` (scope, one row per test of\n"
               "`k8s-conformance.yaml`) and the harness's registered tests. Do not edit by hand.\n\n");
    fprintf(f, "**Upstream tests: %zu. In scope: %zu. Mirrored: %zu of %zu in scope (%.1f%%).** "
               "Out of scope: %zu.\n\n",
            t.total, t.in, t.mirrored, t.in, pct(t.mirrored, t.in), t.total - t.in);
    if (t.mirrored_out)
        fprintf(f, "Out-of-scope tests mirrored anyway: %zu.\n\n", t.mirrored_out);
    write_reasons(f, s);
    write_rows(f, s, tests, n);
    if (t.unknown) {
        fprintf(f, "## Harness tests naming a codename missing from scope.tsv\n\n| id | codename |\n|---|---|\n");
        for (size_t i = 0; i < n; i++)
            if (tests[i]->upstream && !ckc_scope_find(s, tests[i]->upstream)) {
                fprintf(f, "| `%s` | ", tests[i]->id); cell(f, tests[i]->upstream); fputs(" |\n", f);
            }
    }
    return ferror(f) ? -1 : 0;
}

int ckc_upstream_report_main(const char *path)
{
    ckc_scope s;
    char used[PATH_MAX], err[PATH_MAX + 200];
    if (ckc_scope_load_default(&s, used, sizeof used, err, sizeof err)) {
        fprintf(stderr, "ckube-conformance: %s\n", err);
        return 2;
    }
    size_t n;
    const ckc_test *const *all = ckc_all_tests(&n);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "ckube-conformance: cannot write %s: %s\n", path, strerror(errno));
        ckc_scope_free(&s);
        return 2;
    }
    ckc_upstream_totals t;
    int rc = ckc_write_upstream(f, &s, all, n, &t);
    if (fclose(f) || rc) {
        fprintf(stderr, "ckube-conformance: error writing %s\n", path);
        ckc_scope_free(&s);
        return 2;
    }
    printf("upstream tests %zu (from %s): in scope %zu, mirrored %zu (%.1f%%), out of scope %zu",
           t.total, used, t.in, t.mirrored, pct(t.mirrored, t.in), t.total - t.in);
    if (t.mirrored_out) printf(", out-of-scope mirrored anyway %zu", t.mirrored_out);
    if (t.unknown) printf(", harness codenames missing from scope.tsv %zu", t.unknown);
    printf("\n");
    ckc_scope_free(&s);
    return t.unknown ? 2 : 0;
}
