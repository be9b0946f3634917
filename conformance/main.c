/* main.c: ckube-conformance's command line: flags, kubeconfig, --list, the
 * reachability check (one line, exit 2), the CUnit run (on --parallel N
 * workers, parallel.c) and the reports.
 * Exit: 0 no failures, 1 some test failed, 2 usage or server unreachable. */
#include "harness.h"
#include "parallel.h"
#include "upstream.h"
#include <curl/curl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct opts {
    const char *kubeconfig, *server, *token, *focus, *skip, *profile;
    const char *junit, *report, *request_log, *upstream_report;
    int insecure, list, keep, parallel;
    double timeout_scale;
} opts;

static void usage(FILE *f)
{
    fprintf(f, "usage: ckube-conformance [--kubeconfig F | --server URL [--token T] [--insecure]]\n"
               "         [--focus REGEX] [--skip REGEX] [--profile api|cluster|full]\n"
               "         [--junit FILE] [--report FILE.md] [--request-log FILE]\n"
               "         [--list] [--timeout-scale N] [--keep] [--parallel N]\n"
               "       ckube-conformance --upstream-report FILE.md\n");
}

static int parse(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"kubeconfig", 1, 0, 'k'}, {"server", 1, 0, 's'}, {"token", 1, 0, 't'},
        {"insecure", 0, 0, 'i'}, {"focus", 1, 0, 'f'}, {"skip", 1, 0, 'x'},
        {"profile", 1, 0, 'p'}, {"junit", 1, 0, 'j'}, {"report", 1, 0, 'r'},
        {"request-log", 1, 0, 'l'}, {"list", 0, 0, 'L'}, {"timeout-scale", 1, 0, 'T'},
        {"keep", 0, 0, 'K'}, {"help", 0, 0, 'h'}, {"upstream-report", 1, 0, 'U'},
        {"parallel", 1, 0, 'P'}, {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->profile = "api";
    o->timeout_scale = 1.0;
    o->parallel = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'k': o->kubeconfig = optarg; break;
        case 's': o->server = optarg; break;
        case 't': o->token = optarg; break;
        case 'i': o->insecure = 1; break;
        case 'f': o->focus = optarg; break;
        case 'x': o->skip = optarg; break;
        case 'p': o->profile = optarg; break;
        case 'j': o->junit = optarg; break;
        case 'r': o->report = optarg; break;
        case 'l': o->request_log = optarg; break;
        case 'L': o->list = 1; break;
        case 'T': {
            char *end;
            o->timeout_scale = strtod(optarg, &end);
            if (*end || o->timeout_scale <= 0) {
                fprintf(stderr, "ckube-conformance: --timeout-scale wants a positive number\n");
                return -1;
            }
            break;
        }
        case 'K': o->keep = 1; break;
        case 'P': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 64) {
                fprintf(stderr, "ckube-conformance: --parallel wants a number of workers, 1 to 64\n");
                return -1;
            }
            o->parallel = (int)v;
            break;
        }
        case 'U': o->upstream_report = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind < argc) { usage(stderr); return -1; }
    return 0;
}

static int configure(const opts *o, ckc_run *run)
{
    char err[512];
    const char *kcpath = o->kubeconfig;
    if (!kcpath && !o->server) kcpath = getenv("KUBECONFIG");
    if (kcpath && *kcpath && ckc_kubeconfig_load(kcpath, &run->kc, err, sizeof err)) {
        fprintf(stderr, "ckube-conformance: %s\n", err);
        return -1;
    }
    if (o->server) { free(run->kc.server); run->kc.server = strdup(o->server); }
    if (o->token) { free(run->kc.token); run->kc.token = strdup(o->token); }
    if (o->insecure) run->kc.insecure = 1;
    if (!run->kc.server) {
        fprintf(stderr, "ckube-conformance: no server: give --server URL or --kubeconfig FILE\n");
        return -1;
    }
    return 0;
}

/* One request before anything else: unreachable or unauthenticated fails fast. */
static int reachable(ckc_run *run)
{
    ckc_reqspec rq = {.method = "GET", .path = "/api"};
    ckc_resp *r = ckc_request_run(run, &rq);
    int ok = 0;
    if (!r) fprintf(stderr, "ckube-conformance: out of memory\n");
    else if (r->code == 0)
        fprintf(stderr, "ckube-conformance: cannot reach %s: %s\n", run->kc.server, r->error);
    else if (r->code == 401 || r->code == 403)
        fprintf(stderr, "ckube-conformance: %s refused our credentials: GET /api returned %ld\n",
                run->kc.server, r->code);
    else ok = 1;
    ckc_resp_free(r);
    return ok;
}

static int write_file(const char *path, int (*fn)(FILE *, const ckc_report_row *, size_t, const char *,
                                                   const char *),
                      const ckc_report_row *rows, size_t n, const char *server, const char *profile)
{
    FILE *f = fopen(path, "w");
    if (!f) { fprintf(stderr, "ckube-conformance: cannot write %s\n", path); return -1; }
    int rc = fn(f, rows, n, server, profile);
    if (fclose(f) || rc) { fprintf(stderr, "ckube-conformance: error writing %s\n", path); return -1; }
    return 0;
}

static int junit_adapter(FILE *f, const ckc_report_row *r, size_t n, const char *s, const char *p)
{
    (void)p;
    return ckc_write_junit(f, r, n, s);
}

static int run_selected(const opts *o, ckc_run *run, const ckc_test **sel, size_t n)
{
    ckc_result *res = calloc(n ? n : 1, sizeof *res);
    ckc_report_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!res || !rows) { free(res); free(rows); return 2; }
    ckc_probe_capabilities(run);
    if (!run->discovery_ok)
        fprintf(stderr, "ckube-conformance: warning: GET /api/v1 failed; running every test "
                        "without capability checks\n");
    int rc = ckc_run_tests_parallel(run, sel, n, res, o->parallel) ? 2 : 0;
    ckc_run_cleanup(run);
    for (size_t i = 0; i < n; i++) {
        rows[i] = (ckc_report_row){sel[i], &res[i]};
        if (res[i].verdict == CKC_FAIL && rc == 0) rc = 1;
    }
    if (o->junit && write_file(o->junit, junit_adapter, rows, n, run->kc.server, o->profile)) rc = rc ? rc : 2;
    if (o->report && write_file(o->report, ckc_write_markdown, rows, n, run->kc.server, o->profile))
        rc = rc ? rc : 2;
    for (size_t i = 0; i < n; i++) free(res[i].message);
    free(res);
    free(rows);
    return rc;
}

int main(int argc, char **argv)
{
    opts o;
    if (parse(argc, argv, &o)) return 2;
    if (o.upstream_report) return ckc_upstream_report_main(o.upstream_report); /* no server */
    ckc_profile prof;
    if (ckc_profile_parse(o.profile, &prof)) {
        fprintf(stderr, "ckube-conformance: --profile must be api, cluster or full\n");
        return 2;
    }
    ckc_filter flt;
    char err[512];
    if (ckc_filter_init(&flt, prof, o.focus, o.skip, err, sizeof err)) {
        fprintf(stderr, "ckube-conformance: %s\n", err);
        return 2;
    }
    size_t n_all, n = 0;
    const ckc_test *const *all = ckc_all_tests(&n_all);
    const ckc_test **sel = calloc(n_all ? n_all : 1, sizeof *sel);
    if (!sel) { ckc_filter_free(&flt); return 2; }
    for (size_t i = 0; i < n_all; i++)
        if (ckc_filter_match(&flt, all[i])) sel[n++] = all[i];
    ckc_filter_free(&flt);
    if (o.list) {
        for (size_t i = 0; i < n; i++)
            printf("%s\t%s\t%s\t%s\n", sel[i]->id, ckc_profile_name(sel[i]->profile), sel[i]->title,
                   sel[i]->upstream ? sel[i]->upstream : sel[i]->doc);
        free(sel);
        return 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    ckc_run run = {.timeout_scale = o.timeout_scale, .keep = o.keep};
    int rc = 2;
    if (configure(&o, &run) == 0 && reachable(&run)) {
        ckc_random_suffix(run.suffix, 6);
        if (o.request_log && !(run.request_log = fopen(o.request_log, "w")))
            fprintf(stderr, "ckube-conformance: cannot write %s\n", o.request_log);
        else
            rc = run_selected(&o, &run, sel, n);
        if (run.request_log) fclose(run.request_log);
    }
    json_decref(run.caps);
    ckc_kubeconfig_free(&run.kc);
    free(sel);
    curl_global_cleanup();
    return rc;
}
