/* report.c: the run's outputs besides CUnit's summary: JUnit XML (one
 * testcase per table row, <failure>/<skipped> with the reason) and a
 * Markdown report (per behaviour: verdict, why, upstream test or doc). */
#include "harness.h"
#include <string.h>

void ckc_xml_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            /* XML 1.0 forbids most control characters. */
            if (c < 0x20 && c != '\n' && c != '\t') fputc(' ', f);
            else fputc(c, f);
        }
    }
}

static void count(const ckc_report_row *rows, size_t n, size_t *pass, size_t *fail, size_t *skip,
                  double *secs)
{
    *pass = *fail = *skip = 0;
    *secs = 0;
    for (size_t i = 0; i < n; i++) {
        ckc_verdict v = rows[i].result->verdict;
        if (v == CKC_PASS) (*pass)++;
        else if (v == CKC_FAIL) (*fail)++;
        else (*skip)++; /* CKC_SKIP, and CKC_PENDING (never ran) */
        *secs += rows[i].result->seconds;
    }
}

int ckc_write_junit(FILE *f, const ckc_report_row *rows, size_t n, const char *server)
{
    size_t pass, fail, skip;
    double secs;
    count(rows, n, &pass, &fail, &skip, &secs);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            n, fail, skip, secs);
    fprintf(f, "  <testsuite name=\"ckube-conformance\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
               "skipped=\"%zu\" time=\"%.3f\">\n", n, fail, skip, secs);
    fprintf(f, "    <properties><property name=\"server\" value=\"");
    ckc_xml_escape(f, server);
    fprintf(f, "\"/></properties>\n");
    for (size_t i = 0; i < n; i++) {
        const ckc_test *t = rows[i].test;
        const ckc_result *r = rows[i].result;
        char cls[128];
        const char *dot = strrchr(t->id, '.');
        snprintf(cls, sizeof cls, "%.*s", dot ? (int)(dot - t->id) : (int)strlen(t->id), t->id);
        fprintf(f, "    <testcase classname=\"");
        ckc_xml_escape(f, cls);
        fprintf(f, "\" name=\"");
        ckc_xml_escape(f, t->id);
        fprintf(f, ": ");
        ckc_xml_escape(f, t->title);
        fprintf(f, "\" time=\"%.3f\"", r->seconds);
        if (r->verdict == CKC_PASS) { fprintf(f, "/>\n"); continue; }
        fprintf(f, ">\n      ");
        const char *msg = r->message ? r->message : (r->verdict == CKC_FAIL ? "failed" : "not run");
        if (r->verdict == CKC_FAIL) {
            fprintf(f, "<failure message=\"");
            ckc_xml_escape(f, msg);
            fprintf(f, "\">");
            ckc_xml_escape(f, msg);
            fprintf(f, "</failure>\n");
        } else {
            fprintf(f, "<skipped message=\"");
            ckc_xml_escape(f, msg);
            fprintf(f, "\"/>\n");
        }
        fprintf(f, "    </testcase>\n");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    return ferror(f) ? -1 : 0;
}

/* Markdown table cells: no newlines, pipes escaped. */
static void md_cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else if (*s == '\n' || *s == '\r') fputc(' ', f);
        else fputc(*s, f);
    }
}

int ckc_write_markdown(FILE *f, const ckc_report_row *rows, size_t n, const char *server,
                       const char *profile)
{
    size_t pass, fail, skip;
    double secs;
    count(rows, n, &pass, &fail, &skip, &secs);
    fprintf(f, "# ckube-conformance report\n\n");
    fprintf(f, "- server: `%s`\n- profile: %s\n", server ? server : "", profile ? profile : "");
    fprintf(f, "- tests: %zu — passed %zu, failed %zu, skipped %zu (%.1fs)\n\n", n, pass, fail, skip, secs);
    fprintf(f, "| id | behaviour | result | why | upstream test or doc |\n");
    fprintf(f, "|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const ckc_test *t = rows[i].test;
        const ckc_result *r = rows[i].result;
        const char *v = r->verdict == CKC_PASS ? "pass" : r->verdict == CKC_FAIL ? "**FAIL**" : "skip";
        fprintf(f, "| `%s` | ", t->id);
        md_cell(f, t->title);
        fprintf(f, " | %s | ", v);
        md_cell(f, r->verdict == CKC_PASS ? "" : r->message ? r->message : "not run");
        fprintf(f, " | ");
        md_cell(f, t->upstream ? t->upstream : t->doc);
        fprintf(f, " |\n");
    }
    return ferror(f) ? -1 : 0;
}
