/* upstream.h: the upstream scope table (conformance/scope.tsv: every codename of
 * k8s-conformance.yaml, in or out of ckube's scope with a reason) joined with
 * the harness's test table into the --upstream-report Markdown. */
#ifndef CKC_UPSTREAM_H
#define CKC_UPSTREAM_H
#include "harness.h"

typedef struct ckc_scope_row {
    char *codename; /* owned */
    int in;         /* 1 in scope, 0 out */
    char *reason;   /* owned, NULL for in-scope rows */
} ckc_scope_row;

typedef struct ckc_scope {
    ckc_scope_row *rows; /* owned, in file order */
    size_t n;
} ckc_scope;

typedef struct ckc_upstream_totals {
    size_t total;        /* rows in scope.tsv */
    size_t in;           /* rows marked in */
    size_t mirrored;     /* in-scope rows some harness test names */
    size_t mirrored_out; /* out-of-scope rows some harness test names anyway */
    size_t unknown;      /* harness tests naming a codename absent from scope.tsv */
} ckc_upstream_totals;

/* Parses scope.tsv text: '#' comments and blank lines ignored; each row is
 * codename<TAB>in|out[<TAB>reason]; an out row needs a reason; a codename
 * may appear once. Returns 0, or -1 with "line N: why" in err (out is then
 * empty). Free with ckc_scope_free. */
int ckc_scope_parse(const char *text, ckc_scope *out, char *err, size_t errlen);
/* Reads and parses a file; 0 or -1 with err. */
int ckc_scope_load(const char *path, ckc_scope *out, char *err, size_t errlen);
/* Loads $CKC_SCOPE_TSV when set (no fallback), else conformance/scope.tsv from the working
 * directory, else ../../conformance/scope.tsv beside the running binary.
 * The path used is copied to used (may be NULL). 0 or -1 with err. */
int ckc_scope_load_default(ckc_scope *out, char *used, size_t usedlen, char *err, size_t errlen);
void ckc_scope_free(ckc_scope *s);
/* The row for codename, or NULL. Borrowed from s. */
const ckc_scope_row *ckc_scope_find(const ckc_scope *s, const char *codename);

/* Counts only (no output). */
void ckc_upstream_count(const ckc_scope *s, const ckc_test *const *tests, size_t n,
                        ckc_upstream_totals *tot);
/* Writes the Markdown report: totals, out-of-scope reasons, then one row per
 * upstream test (scope, reason, harness ids mirroring it), then harness tests
 * naming unknown codenames. Fills tot when non-NULL. 0, or -1 on write error. */
int ckc_write_upstream(FILE *f, const ckc_scope *s, const ckc_test *const *tests, size_t n,
                       ckc_upstream_totals *tot);
/* --upstream-report FILE: loads the default scope, writes FILE with every
 * registered test, prints the totals on stdout. Returns an exit code (0, 2). */
int ckc_upstream_report_main(const char *path);
#endif
