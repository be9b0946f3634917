/* test_harness.c: self-test of the harness's pure parts (no server):
 * kubeconfig parsing, the test table's consistency against Kubernetes'
 * conformance list, focus/skip/profile filtering, JUnit and Markdown output,
 * which tests are serial and the --parallel worker pool (fake tests).
 * Run from the repository root (make runs it there). */
#include "../harness.h"
#include "../parallel.h"
#include "../upstream.h"
#include <CUnit/Basic.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *KUBECONFIG =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: second\n"
    "clusters:\n"
    "- name: c1\n"
    "  cluster: {server: 'https://one:6443'}\n"
    "- name: c2\n"
    "  cluster:\n"
    "    server: https://two:6443\n"
    "    certificate-authority-data: aGVsbG8=\n"
    "    insecure-skip-tls-verify: true\n"
    "users:\n"
    "- name: u2\n"
    "  user:\n"
    "    token: s3cr3t\n"
    "    client-certificate: certs/client.crt\n"
    "    client-key-data: a2V5\n"
    "contexts:\n"
    "- name: first\n"
    "  context: {cluster: c1, user: u2}\n"
    "- name: second\n"
    "  context: {cluster: c2, user: u2}\n";

static void test_kubeconfig_current_context(void)
{
    ckc_kubeconfig kc;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(ckc_kubeconfig_parse(KUBECONFIG, strlen(KUBECONFIG), "/etc/kube", &kc, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(kc.server, "https://two:6443");
    CU_ASSERT_STRING_EQUAL(kc.token, "s3cr3t");
    CU_ASSERT_EQUAL(kc.insecure, 1);
    CU_ASSERT_EQUAL(kc.ca_len, 5);
    CU_ASSERT(kc.ca_data && !memcmp(kc.ca_data, "hello", 5));
    CU_ASSERT_STRING_EQUAL(kc.cert_file, "/etc/kube/certs/client.crt");
    CU_ASSERT(kc.key_data && kc.key_len == 3 && !memcmp(kc.key_data, "key", 3));
    CU_ASSERT_PTR_NULL(kc.ca_file);
    ckc_kubeconfig_free(&kc);
}

static void test_kubeconfig_errors(void)
{
    ckc_kubeconfig kc;
    char err[256] = "";
    const char *no_ctx = "clusters: []\ncontexts: []\n";
    CU_ASSERT_EQUAL(ckc_kubeconfig_parse(no_ctx, strlen(no_ctx), NULL, &kc, err, sizeof err), -1);
    CU_ASSERT(strstr(err, "current-context") != NULL);
    const char *bad_cluster = "current-context: x\ncontexts:\n- name: x\n  context: {cluster: nope}\n";
    CU_ASSERT_EQUAL(ckc_kubeconfig_parse(bad_cluster, strlen(bad_cluster), NULL, &kc, err, sizeof err), -1);
    CU_ASSERT(strstr(err, "cluster \"nope\" not found") != NULL);
    const char *not_yaml = "{[";
    CU_ASSERT_EQUAL(ckc_kubeconfig_parse(not_yaml, strlen(not_yaml), NULL, &kc, err, sizeof err), -1);
}

static void test_base64(void)
{
    size_t n = 0;
    unsigned char *d = ckc_base64_decode("aGVs\nbG8gd29ybGQ=", &n);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_EQUAL(n, 11);
    CU_ASSERT(!memcmp(d, "hello world", 11));
    free(d);
    CU_ASSERT_PTR_NULL(ckc_base64_decode("not*base64", &n));
}

/* Codenames from Kubernetes' conformance list, as a JSON object (set). */
static json_t *load_codenames(void)
{
    const char *env = getenv("CKC_CONFORMANCE_YAML");
    /* the copy kept in the repository first, so a lone clone can test itself */
    const char *candidates[] = {env, "conformance/k8s-conformance.yaml", "../shared/reference/k8s-conformance.yaml",
                                "shared/reference/k8s-conformance.yaml", "../../shared/reference/k8s-conformance.yaml"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (!candidates[i]) continue;
        struct fy_document *fyd = fy_document_build_from_file(NULL, candidates[i]);
        if (!fyd) continue;
        char *js = fy_emit_document_to_string(fyd, FYECF_MODE_JSON_ONELINE);
        fy_document_destroy(fyd);
        json_t *list = js ? json_loads(js, 0, NULL) : NULL;
        free(js);
        json_t *set = json_object();
        size_t k; json_t *e;
        json_array_foreach(list, k, e) {
            const char *c = json_string_value(json_object_get(e, "codename"));
            if (c) json_object_set_new(set, c, json_true());
        }
        json_decref(list);
        return set;
    }
    return NULL;
}

static void test_table_consistency(void)
{
    size_t n;
    const ckc_test *const *all = ckc_all_tests(&n);
    CU_ASSERT_FATAL(n > 0);
    json_t *codes = load_codenames();
    CU_ASSERT_PTR_NOT_NULL_FATAL(codes); /* k8s-conformance.yaml must be readable */
    CU_ASSERT(json_object_size(codes) > 100);
    CU_ASSERT_PTR_NULL(json_object_get(codes, "[sig-api-machinery] made up [Conformance]"));
    json_t *ids = json_object();
    for (size_t i = 0; i < n; i++) {
        const ckc_test *t = all[i];
        CU_ASSERT(t->id && t->title && *t->title && t->fn);
        CU_ASSERT_PTR_NULL(json_object_get(ids, t->id)); /* unique */
        json_object_set_new(ids, t->id, json_true());
        CU_ASSERT(strchr(t->id, '.') != NULL);
        CU_ASSERT((t->upstream != NULL) != (t->doc != NULL)); /* exactly one reference */
        if (t->upstream && !json_object_get(codes, t->upstream)) {
            fprintf(stderr, "test_harness: %s: codename not in k8s-conformance.yaml: %s\n", t->id, t->upstream);
            CU_FAIL("codename missing from k8s-conformance.yaml");
        }
        if (t->doc) CU_ASSERT(!strncmp(t->doc, "https://kubernetes.io/", 22));
        CU_ASSERT(t->profile >= CKC_PROFILE_API && t->profile <= CKC_PROFILE_FULL);
        /* ids name their profile: api* areas (api., api2.) run against an apiserver alone */
        if ((t->profile == CKC_PROFILE_API) != (strncmp(t->id, "api", 3) == 0)) {
            fprintf(stderr, "test_harness: %s: profile %s does not match its id's area\n", t->id,
                    ckc_profile_name(t->profile));
            CU_FAIL("test id area and profile disagree");
        }
    }
    json_decref(ids);
    json_decref(codes);
}

static size_t count_selected(ckc_profile p, const char *focus, const char *skip)
{
    ckc_filter f;
    char err[256];
    if (ckc_filter_init(&f, p, focus, skip, err, sizeof err)) return (size_t)-1;
    size_t n, k = 0;
    const ckc_test *const *all = ckc_all_tests(&n);
    for (size_t i = 0; i < n; i++) k += (size_t)ckc_filter_match(&f, all[i]);
    ckc_filter_free(&f);
    return k;
}

static void test_filtering(void)
{
    size_t n, api = 0, watch = 0;
    const ckc_test *const *all = ckc_all_tests(&n);
    for (size_t i = 0; i < n; i++) {
        api += all[i]->profile == CKC_PROFILE_API;
        watch += !strncmp(all[i]->id, "api.watch.", 10);
    }
    CU_ASSERT(api < n); /* some cluster tests exist */
    CU_ASSERT_EQUAL(count_selected(CKC_PROFILE_API, NULL, NULL), api);
    CU_ASSERT_EQUAL(count_selected(CKC_PROFILE_FULL, NULL, NULL), n);
    CU_ASSERT_EQUAL(count_selected(CKC_PROFILE_FULL, "^api\\.watch\\.", NULL), watch);
    CU_ASSERT_EQUAL(count_selected(CKC_PROFILE_FULL, "^api\\.watch\\.", "expired"), watch - 1);
    /* focus also matches the upstream codename, as ginkgo does */
    CU_ASSERT_EQUAL(count_selected(CKC_PROFILE_FULL, "\\[sig-api-machinery\\] Watchers", NULL), watch - 1);
    CU_ASSERT_EQUAL(count_selected(CKC_PROFILE_FULL, "no-such-test-xyz", NULL), 0);
    CU_ASSERT_EQUAL(count_selected(CKC_PROFILE_FULL, "(", NULL), (size_t)-1);
    ckc_profile p;
    CU_ASSERT_EQUAL(ckc_profile_parse("cluster", &p), 0);
    CU_ASSERT_EQUAL(p, CKC_PROFILE_CLUSTER);
    CU_ASSERT_EQUAL(ckc_profile_parse("everything", &p), -1);
}

static const ckc_test fake[] = {
    {"api.x.pass", "passes", CKC_PROFILE_API, NULL, "https://kubernetes.io/a", "", NULL},
    {"api.x.fail", "fails | with pipe", CKC_PROFILE_API, "[sig-x] up <stream> [Conformance]", NULL, "", NULL},
    {"cluster.x.skip", "skips", CKC_PROFILE_CLUSTER, NULL, "https://kubernetes.io/b", "", NULL},
};

static char *render(int junit)
{
    ckc_result res[3] = {{CKC_PASS, NULL, 0.5}, {CKC_FAIL, "GET /api: expected 200; got 500: a <b> & \"c\"", 1.25},
                         {CKC_SKIP, "no node is Ready", 0}};
    ckc_report_row rows[3];
    for (int i = 0; i < 3; i++) rows[i] = (ckc_report_row){&fake[i], &res[i]};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    int rc = junit ? ckc_write_junit(f, rows, 3, "https://h:6443?a&b")
                   : ckc_write_markdown(f, rows, 3, "https://h:6443", "cluster");
    fclose(f);
    if (rc) { free(buf); return NULL; }
    return buf;
}

static void test_junit(void)
{
    char *x = render(1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT(strstr(x, "<testsuite name=\"ckube-conformance\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\"") != NULL);
    CU_ASSERT(strstr(x, "value=\"https://h:6443?a&amp;b\"") != NULL);
    CU_ASSERT(strstr(x, "<testcase classname=\"api.x\" name=\"api.x.pass: passes\" time=\"0.500\"/>") != NULL);
    CU_ASSERT(strstr(x, "<failure message=\"GET /api: expected 200; got 500: a &lt;b&gt; &amp; &quot;c&quot;\">") != NULL);
    CU_ASSERT(strstr(x, "<skipped message=\"no node is Ready\"/>") != NULL);
    CU_ASSERT(strstr(x, "<b>") == NULL); /* nothing unescaped */
    free(x);
}

static void test_markdown(void)
{
    char *m = render(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT(strstr(m, "passed 1, failed 1, skipped 1") != NULL);
    CU_ASSERT(strstr(m, "| `api.x.fail` | fails \\| with pipe | **FAIL** | GET /api: expected 200") != NULL);
    CU_ASSERT(strstr(m, "| [sig-x] up <stream> [Conformance] |") != NULL);
    CU_ASSERT(strstr(m, "| `cluster.x.skip` | skips | skip | no node is Ready | https://kubernetes.io/b |") != NULL);
    free(m);
}

static void test_json_helpers(void)
{
    json_t *j = json_loads("{\"items\":[{\"metadata\":{\"name\":\"a\"}}],\"n\":1}", 0, NULL);
    CU_ASSERT_STRING_EQUAL(ckc_str(j, "items.0.metadata.name"), "a");
    CU_ASSERT_PTR_NULL(ckc_str(j, "items.1.metadata.name"));
    CU_ASSERT_PTR_NULL(ckc_str(j, "n"));
    CU_ASSERT_PTR_NULL(ckc_at(j, "items.x"));
    json_decref(j);
    char *e = ckc_excerpt("line1\nline2", 7);
    CU_ASSERT_STRING_EQUAL(e, "line1 l...");
    free(e);
}

/* scope.tsv names every upstream codename exactly once, and nothing else. */
static void test_scope_matches_yaml(void)
{
    ckc_scope s;
    char used[512], err[1024];
    CU_ASSERT_EQUAL_FATAL(ckc_scope_load_default(&s, used, sizeof used, err, sizeof err), 0);
    json_t *codes = load_codenames();
    CU_ASSERT_PTR_NOT_NULL_FATAL(codes);
    size_t in = 0;
    for (size_t i = 0; i < s.n; i++) {
        in += (size_t)s.rows[i].in;
        if (!json_object_get(codes, s.rows[i].codename)) {
            fprintf(stderr, "test_harness: scope.tsv names a codename not in the yaml: %s\n", s.rows[i].codename);
            CU_FAIL("scope.tsv codename missing from k8s-conformance.yaml");
        }
    }
    const char *c;
    json_t *v;
    json_object_foreach(codes, c, v) {
        if (!ckc_scope_find(&s, c)) {
            fprintf(stderr, "test_harness: yaml codename absent from scope.tsv: %s\n", c);
            CU_FAIL("k8s-conformance.yaml codename missing from scope.tsv");
        }
    }
    /* parse already rejects duplicates; equal sizes make the match one-to-one */
    CU_ASSERT_EQUAL(s.n, json_object_size(codes));
    CU_ASSERT(in > 0 && in < s.n);
    /* every registered harness codename is classified, none out of scope silently */
    size_t n;
    const ckc_test *const *all = ckc_all_tests(&n);
    ckc_upstream_totals t;
    ckc_upstream_count(&s, all, n, &t);
    CU_ASSERT_EQUAL(t.unknown, 0);
    CU_ASSERT_EQUAL(t.total, s.n);
    CU_ASSERT(t.mirrored <= t.in);
    json_decref(codes);
    ckc_scope_free(&s);
}

static void test_scope_parse(void)
{
    ckc_scope s;
    char err[256] = "";
    const char *ok = "# comment\n\n[a] one\tin\t\r\n[a] two\tout\tnot served\n[a] three\tin\n";
    CU_ASSERT_EQUAL_FATAL(ckc_scope_parse(ok, &s, err, sizeof err), 0);
    CU_ASSERT_EQUAL(s.n, 3);
    CU_ASSERT(s.rows[0].in && !s.rows[0].reason);
    CU_ASSERT(!s.rows[1].in && !strcmp(s.rows[1].reason, "not served"));
    CU_ASSERT_PTR_NOT_NULL(ckc_scope_find(&s, "[a] three"));
    CU_ASSERT_PTR_NULL(ckc_scope_find(&s, "[a] four"));
    ckc_scope_free(&s);
    static const struct { const char *text, *err; } bad[] = {
        {"x\tin\nx\tout\twhy\n", "line 2: codename listed twice"},
        {"# c\nx\tout\n", "line 2: an out row needs a reason"},
        {"x\tmaybe\n", "line 1: scope must be in or out"},
        {"no tab here\n", "line 1: want codename"},
        {"\tin\n", "line 1: empty codename"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(ckc_scope_parse(bad[i].text, &s, err, sizeof err), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].err));
        CU_ASSERT_EQUAL(s.n, 0);
    }
}

static void test_upstream_report(void)
{
    ckc_scope s;
    char err[256];
    const char *text = "[sig-x] up <stream> [Conformance]\tin\n[sig-x] lonely\tin\n[sig-x] far\tout\tnot | served\n";
    CU_ASSERT_EQUAL_FATAL(ckc_scope_parse(text, &s, err, sizeof err), 0);
    static const ckc_test more[] = {
        {"api.y.one", "one", CKC_PROFILE_API, "[sig-x] up <stream> [Conformance]", NULL, "", NULL},
        {"api.y.unknown", "unknown", CKC_PROFILE_API, "[sig-x] unknown", NULL, "", NULL},
    };
    const ckc_test *tests[] = {&fake[0], &fake[1], &more[0], &more[1]};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    ckc_upstream_totals t;
    CU_ASSERT_EQUAL(ckc_write_upstream(f, &s, tests, 4, &t), 0);
    fclose(f);
    CU_ASSERT_EQUAL(t.total, 3);
    CU_ASSERT_EQUAL(t.in, 2);
    CU_ASSERT_EQUAL(t.mirrored, 1);
    CU_ASSERT_EQUAL(t.unknown, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "In scope: 2. Mirrored: 1 of 2 in scope (50.0%).** Out of scope: 1."));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| [sig-x] up <stream> [Conformance] | in | `api.x.fail`, `api.y.one` |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| [sig-x] lonely | in | **not mirrored** |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| [sig-x] far | out: not \\| served | - |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| not \\| served | 1 |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| `api.y.unknown` | [sig-x] unknown |"));
    free(buf);
    ckc_scope_free(&s);
}

/* ---- --parallel: serial tests and the worker pool ---- */
static void test_serial_marking(void)
{
    ckc_test t = {.id = "cluster.x.y", .title = "x", .profile = CKC_PROFILE_CLUSTER};
    t.upstream = "[sig-apps] Daemon set [Serial] should run and stop simple daemon [Conformance]";
    CU_ASSERT(ckc_test_is_serial(&t));
    t.upstream = "[sig-node] NoExecuteTaintManager Single Pod removing taint cancels eviction [Disruptive] [Conformance]";
    CU_ASSERT(ckc_test_is_serial(&t));
    t.upstream = "[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]";
    CU_ASSERT(!ckc_test_is_serial(&t));
    t.upstream = NULL;
    t.requires = "v1/pods v1/nodes";
    CU_ASSERT(!ckc_test_is_serial(&t));
    t.requires = "v1/nodes serial";
    CU_ASSERT(ckc_test_is_serial(&t));
    t.requires = "serial";
    CU_ASSERT(ckc_test_is_serial(&t));
    t.requires = "v1/serials serialx";
    CU_ASSERT(!ckc_test_is_serial(&t));
    /* "serial" is a scheduling hint, never a capability the server lacks */
    ckc_run run = {.caps = json_pack("{s:b, s:b}", "v1/nodes", 1, "ready-node", 1), .discovery_ok = 1};
    char why[256];
    t.requires = "v1/nodes serial";
    CU_ASSERT_PTR_NULL(ckc_missing_capability(&run, &t, why, sizeof why));
    t.requires = "v1/pods serial";
    CU_ASSERT_PTR_NOT_NULL(ckc_missing_capability(&run, &t, why, sizeof why));
    json_decref(run.caps);
    /* every table row the upstream list marks [Serial] is serial, and some are */
    size_t n, k = 0;
    const ckc_test *const *all = ckc_all_tests(&n);
    for (size_t i = 0; i < n; i++) {
        if (all[i]->upstream && strstr(all[i]->upstream, "[Serial]")) CU_ASSERT(ckc_test_is_serial(all[i]));
        k += (size_t)ckc_test_is_serial(all[i]);
    }
    CU_ASSERT(k > 0 && k < n);
}

/* Fake tests for the pool: no server; they use the run like real ones do. */
static void fk_pass(ckc_t *t)
{
    fprintf(t->run->request_log, "GET /fake/%s 200\n", t->test->id);
    char **nn = realloc(t->run->namespaces, (t->run->n_namespaces + 1) * sizeof *nn);
    if (!nn) CKC_FAIL(t, "out of memory");
    t->run->namespaces = nn;
    nn[t->run->n_namespaces++] = strdup(ckc_fmt(t, "ckc-%s-%d", t->run->suffix, ++t->run->ns_counter));
}
static void fk_fail(ckc_t *t) { CKC_FAIL(t, "expected %d, got %d", 200, 404); }
static void fk_skip(ckc_t *t) { ckc_skip(t, "not here"); }
static void fk_die(ckc_t *t) { _exit(7); }
static void fk_slow(ckc_t *t) { ckc_sleep_ms(200); fk_pass(t); }

static void test_pool(void)
{
    static const ckc_test fake[] = {
        {"api.p.slow", "slow", CKC_PROFILE_API, NULL, "https://kubernetes.io/", NULL, fk_slow},
        {"api.p.pass", "pass", CKC_PROFILE_API, NULL, "https://kubernetes.io/", NULL, fk_pass},
        {"api.p.fail", "fail", CKC_PROFILE_API, NULL, "https://kubernetes.io/", NULL, fk_fail},
        {"api.p.die", "die", CKC_PROFILE_API, NULL, "https://kubernetes.io/", NULL, fk_die},
        {"api.p.skip", "skip", CKC_PROFILE_API, NULL, "https://kubernetes.io/", NULL, fk_skip},
        {"api.p.after", "after", CKC_PROFILE_API, NULL, "https://kubernetes.io/", NULL, fk_pass},
    };
    enum { N = sizeof fake / sizeof fake[0] };
    const ckc_test *tests[N];
    size_t queue[N];
    for (size_t i = 0; i < N; i++) { tests[i] = &fake[i]; queue[i] = i; }
    char *log = NULL;
    size_t log_len = 0;
    ckc_run run = {.timeout_scale = 1, .suffix = "abcde", .request_log = open_memstream(&log, &log_len)};
    CU_ASSERT_PTR_NOT_NULL_FATAL(run.request_log);
    ckc_result res[N] = {{0}};
    ckc_pool *p = ckc_pool_start(&run, tests, res, queue, N, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(ckc_pool_wait(p, 5), 0); /* waits past the crash: a fresh worker takes over */
    ckc_pool_free(p);
    fclose(run.request_log);
    CU_ASSERT_EQUAL(res[0].verdict, CKC_PASS);
    CU_ASSERT(res[0].seconds >= 0.15);
    CU_ASSERT_EQUAL(res[1].verdict, CKC_PASS);
    CU_ASSERT_EQUAL(res[2].verdict, CKC_FAIL);
    CU_ASSERT_STRING_EQUAL(res[2].message ? res[2].message : "", "expected 200, got 404");
    CU_ASSERT_EQUAL(res[3].verdict, CKC_FAIL);
    CU_ASSERT_PTR_NOT_NULL(res[3].message && strstr(res[3].message, "exited with status 7"));
    CU_ASSERT_EQUAL(res[4].verdict, CKC_SKIP);
    CU_ASSERT_STRING_EQUAL(res[4].message ? res[4].message : "", "not here");
    CU_ASSERT_EQUAL(res[5].verdict, CKC_PASS);
    CU_ASSERT_PTR_NULL(res[5].message);
    /* the passing tests' log lines and namespaces reached the parent, named per test index */
    CU_ASSERT_PTR_NOT_NULL(log && strstr(log, "GET /fake/api.p.slow 200\n"));
    CU_ASSERT_PTR_NOT_NULL(log && strstr(log, "GET /fake/api.p.after 200\n"));
    CU_ASSERT_EQUAL_FATAL(run.n_namespaces, 3);
    int seen = 0;
    for (size_t i = 0; i < run.n_namespaces; i++) {
        seen |= !strcmp(run.namespaces[i], "ckc-abcde-1001") << 0;
        seen |= !strcmp(run.namespaces[i], "ckc-abcde-2001") << 1;
        seen |= !strcmp(run.namespaces[i], "ckc-abcde-6001") << 2;
        free(run.namespaces[i]);
    }
    CU_ASSERT_EQUAL(seen, 7);
    free(run.namespaces);
    free(log);
    for (size_t i = 0; i < N; i++) free(res[i].message);
}

int main(void)
{
    static const struct { const char *name; CU_TestFunc fn; } tests[] = {
        {"kubeconfig picks current-context", test_kubeconfig_current_context},
        {"kubeconfig errors", test_kubeconfig_errors},
        {"base64", test_base64},
        {"table consistency with k8s-conformance.yaml", test_table_consistency},
        {"focus/skip/profile filtering", test_filtering},
        {"junit xml", test_junit},
        {"markdown report", test_markdown},
        {"json helpers", test_json_helpers},
        {"scope.tsv matches k8s-conformance.yaml", test_scope_matches_yaml},
        {"scope.tsv parsing", test_scope_parse},
        {"upstream report", test_upstream_report},
        {"serial tests: [Serial], [Disruptive], requires serial", test_serial_marking},
        {"parallel worker pool: results, crashes, log, namespaces", test_pool},
    };
    if (CU_initialize_registry() != CUE_SUCCESS) return 2;
    CU_pSuite s = CU_add_suite("conformance harness", NULL, NULL);
    for (size_t i = 0; s && i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn)) s = NULL;
    if (!s) { CU_cleanup_registry(); return 2; }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
