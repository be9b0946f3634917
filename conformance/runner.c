/* runner.c: runs the selected tests through CUnit (so its Run Summary
 * prints), one CUnit test per table row; with --parallel N each CUnit test
 * waits for a worker's verdict (parallel.c) and serial tests run last,
 * alone. Tests whose capability is missing are registered inactive and reported SKIPPED with the reason; each test
 * body runs under setjmp so fail/skip jump back here and its arena is freed.
 * Also: capability probing via discovery and nodes, and run namespaces. */
#define _GNU_SOURCE
#include "harness.h"
#include "parallel.h"
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

/* ---- capabilities ---- */
static void add_resources(ckc_run *run, const char *path, const char *prefix)
{
    ckc_reqspec rq = {.method = "GET", .path = path};
    ckc_resp *r = ckc_request_run(run, &rq);
    if (r && r->code == 200) {
        size_t i; json_t *res;
        json_array_foreach(json_object_get(r->json, "resources"), i, res) {
            const char *name = json_string_value(json_object_get(res, "name"));
            char key[512];
            if (!name) continue;
            snprintf(key, sizeof key, "%s/%s", prefix, name);
            json_object_set_new(run->caps, key, json_true());
        }
        if (!strcmp(prefix, "v1")) run->discovery_ok = 1;
    }
    ckc_resp_free(r);
}

static int node_ready(json_t *node)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(node, "status.conditions"), i, c) {
        const char *type = ckc_str(c, "type"), *st = ckc_str(c, "status");
        if (type && st && !strcmp(type, "Ready") && !strcmp(st, "True")) return 1;
    }
    return 0;
}

void ckc_probe_capabilities(ckc_run *run)
{
    json_decref(run->caps);
    run->caps = json_object();
    run->discovery_ok = 0;
    add_resources(run, "/api/v1", "v1");
    ckc_reqspec rq = {.method = "GET", .path = "/apis"};
    ckc_resp *r = ckc_request_run(run, &rq);
    size_t i, k; json_t *g, *v;
    if (r && r->code == 200)
        json_array_foreach(json_object_get(r->json, "groups"), i, g)
            json_array_foreach(json_object_get(g, "versions"), k, v) {
                const char *gv = ckc_str(v, "groupVersion");
                if (!gv) continue;
                char path[512];
                snprintf(path, sizeof path, "/apis/%s", gv);
                add_resources(run, path, gv);
            }
    ckc_resp_free(r);
    rq.path = "/api/v1/nodes";
    r = ckc_request_run(run, &rq);
    if (r && r->code == 200)
        json_array_foreach(json_object_get(r->json, "items"), i, g)
            if (node_ready(g)) { json_object_set_new(run->caps, "ready-node", json_true()); break; }
    ckc_resp_free(r);
}

const char *ckc_missing_capability(ckc_run *run, const ckc_test *t, char *buf, size_t n)
{
    if (t->profile >= CKC_PROFILE_CLUSTER && !json_object_get(run->caps, "ready-node")) {
        snprintf(buf, n, "needs a cluster (profile %s): no node is Ready", ckc_profile_name(t->profile));
        return buf;
    }
    const char *p = t->requires ? t->requires : "";
    while (*p) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        if (!len) break;
        char cap[256];
        snprintf(cap, sizeof cap, "%.*s", (int)len, p);
        p += len;
        if (!strcmp(cap, "serial")) continue; /* a scheduling hint (ckc_test_is_serial) */
        int resource = strcmp(cap, "ready-node") != 0;
        /* Without discovery we cannot tell: run, and let failures speak. */
        if (resource && !run->discovery_ok) continue;
        if (!json_object_get(run->caps, cap)) {
            if (resource) snprintf(buf, n, "the server does not serve %s (discovery)", cap);
            else snprintf(buf, n, "no node is Ready");
            return buf;
        }
    }
    return NULL;
}

/* ---- namespaces ---- */
int ckc_run_create_namespace(ckc_run *run, const char *name, char *err, size_t errlen)
{
    char *body = NULL;
    if (asprintf(&body, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\","
                        "\"labels\":{\"ckube-conformance\":\"%s\"}}}", name, run->suffix) < 0)
        return -1;
    ckc_reqspec rq = {.method = "POST", .path = "/api/v1/namespaces", .body = body};
    ckc_resp *r = ckc_request_run(run, &rq);
    free(body);
    int ok = r && r->code == 201;
    if (!ok) {
        char *ex = r ? ckc_excerpt(r->body, 200) : NULL;
        snprintf(err, errlen, "POST /api/v1/namespaces: expected 201, got %ld: %s",
                 r ? r->code : 0, ex ? ex : (r ? r->error : "out of memory"));
        free(ex);
    } else {
        char **nn = realloc(run->namespaces, (run->n_namespaces + 1) * sizeof *nn);
        if (nn) {
            run->namespaces = nn;
            nn[run->n_namespaces] = strdup(name);
            if (nn[run->n_namespaces]) run->n_namespaces++;
        }
    }
    ckc_resp_free(r);
    return ok ? 0 : -1;
}

void ckc_run_cleanup(ckc_run *run)
{
    for (size_t i = 0; i < run->n_namespaces; i++) {
        if (run->keep) {
            fprintf(stderr, "kept namespace %s (--keep)\n", run->namespaces[i]);
        } else {
            char path[512];
            snprintf(path, sizeof path, "/api/v1/namespaces/%s", run->namespaces[i]);
            ckc_reqspec rq = {.method = "DELETE", .path = path};
            ckc_resp_free(ckc_request_run(run, &rq));
        }
        free(run->namespaces[i]);
    }
    free(run->namespaces);
    run->namespaces = NULL;
    run->n_namespaces = 0;
}

/* ---- serial tests ---- */
static int has_token(const char *list, const char *tok)
{
    size_t n = strlen(tok);
    for (const char *p = list ? list : ""; *p;) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        if (len == n && !strncmp(p, tok, n)) return 1;
        p += len;
    }
    return 0;
}

int ckc_test_is_serial(const ckc_test *t)
{
    /* ginkgo's parallel runs leave [Serial] and [Disruptive] specs to the end, alone. */
    if (t->upstream && (strstr(t->upstream, "[Serial]") || strstr(t->upstream, "[Disruptive]"))) return 1;
    return has_token(t->requires, "serial");
}

/* ---- one test ---- */
void ckc_run_one(ckc_run *run, const ckc_test *test, ckc_result *out)
{
    ckc_t t = {.test = test, .run = run};
    double t0 = ckc_now();
    if (setjmp(t.jb) == 0) {
        test->fn(&t);
        t.verdict = CKC_PASS;
    }
    ckc_release(&t);
    out->verdict = t.verdict;
    out->message = t.message;
    out->seconds = ckc_now() - t0;
}

/* ---- the CUnit run ---- */
static struct {
    ckc_run *run;
    const ckc_test *const *tests;
    ckc_result *results;
    size_t n, next_line; /* sequential: next progress line to print */
    size_t printed;      /* progress lines printed */
    int parallel;        /* --parallel N > 1 */
    ckc_pool *pool;      /* parallel: the workers, until the serial phase */
} cur;

void ckc_progress(const ckc_test *t, const ckc_result *r)
{
    const char *word = r->verdict == CKC_PASS ? "ok" : r->verdict == CKC_FAIL ? "FAIL" : "SKIPPED";
    fprintf(stderr, "[%zu/%zu] %s: %s ... %s %.2fs\n", ++cur.printed, cur.n, t->id, t->title, word, r->seconds);
    if (r->verdict != CKC_PASS && r->message) fprintf(stderr, "    %s\n", r->message);
}

static void flush_skipped(size_t upto)
{
    for (; cur.next_line < upto; cur.next_line++) ckc_progress(cur.tests[cur.next_line], &cur.results[cur.next_line]);
}

/* Suite cleanup runs after the last test, before CUnit prints its summary. */
static int flush_all(void)
{
    ckc_pool_free(cur.pool);
    cur.pool = NULL;
    flush_skipped(cur.n);
    fflush(stderr);
    return 0;
}

static size_t index_of(const char *id)
{
    size_t i = 0;
    while (i < cur.n && strcmp(cur.tests[i]->id, id)) i++;
    return i;
}

/* Parallel: a worker's verdict, recorded in CUnit as if the test ran here. */
static void replay(size_t i)
{
    const ckc_result *r = &cur.results[i];
    if (r->verdict == CKC_FAIL)
        CU_assertImplementation(CU_FALSE, 0, r->message ? r->message : "failed", cur.tests[i]->id, "", CU_FALSE);
}

static void trampoline(void)
{
    CU_pTest ct = CU_get_current_test();
    size_t i = index_of(ct->pName);
    if (i == cur.n) { CU_FAIL("harness bug: unknown test"); return; }
    if (cur.parallel) {
        if (cur.pool && !ckc_test_is_serial(cur.tests[i])) {
            if (!ckc_pool_wait(cur.pool, i)) replay(i);
            return;
        }
        if (cur.pool) { /* the serial phase: every other test is done; alone from here */
            ckc_pool_free(cur.pool);
            cur.pool = NULL;
            fprintf(stderr, "ckube-conformance: serial phase\n");
        }
        cur.run->ns_counter = (int)(1000 * (i + 1)); /* the workers' namespace scheme */
    } else {
        flush_skipped(i);
    }
    ckc_run_one(cur.run, cur.tests[i], &cur.results[i]);
    ckc_progress(cur.tests[i], &cur.results[i]);
    if (!cur.parallel) cur.next_line = i + 1;
}

/* Registers tests[order[k]] in that order; inactive (SKIPPED) when a
 * capability is missing. 0 ok. */
static int register_tests(const size_t *order)
{
    CU_pSuite s = CU_add_suite("ckube-conformance", NULL, flush_all);
    for (size_t k = 0; s && k < cur.n; k++) {
        size_t i = order[k];
        CU_pTest ct = CU_add_test(s, cur.tests[i]->id, trampoline);
        if (!ct) return -1;
        char why[512];
        const char *miss = ckc_missing_capability(cur.run, cur.tests[i], why, sizeof why);
        if (miss) {
            cur.results[i].verdict = CKC_SKIP;
            cur.results[i].message = strdup(miss);
            CU_set_test_active(ct, CU_FALSE);
        }
    }
    return s ? 0 : -1;
}

int ckc_run_tests(ckc_run *run, const ckc_test *const *tests, size_t n, ckc_result *results)
{
    return ckc_run_tests_parallel(run, tests, n, results, 1);
}

int ckc_run_tests_parallel(ckc_run *run, const ckc_test *const *tests, size_t n, ckc_result *results,
                           int workers)
{
    cur = (typeof(cur)){.run = run, .tests = tests, .results = results, .n = n, .parallel = workers > 1};
    /* Parallel: CUnit walks the parallel tests first (waiting on the workers), then the serial ones. */
    size_t *order = calloc(n ? n : 1, sizeof *order), n_par = 0, k = 0;
    if (!order) return -1;
    for (size_t i = 0; i < n; i++)
        if (!cur.parallel || !ckc_test_is_serial(tests[i])) order[k++] = i;
    n_par = k;
    for (size_t i = 0; i < n; i++)
        if (cur.parallel && ckc_test_is_serial(tests[i])) order[k++] = i;
    if (CU_initialize_registry() != CUE_SUCCESS) { free(order); return -1; }
    CU_set_fail_on_inactive(CU_FALSE);
    if (register_tests(order)) { CU_cleanup_registry(); free(order); return -1; }
    if (cur.parallel) {
        size_t n_queue = 0;
        for (size_t j = 0; j < n_par; j++) /* skipped ones are reported now and never queued */
            if (results[order[j]].verdict == CKC_PENDING) order[n_queue++] = order[j];
            else ckc_progress(tests[order[j]], &results[order[j]]);
        for (size_t j = n_par; j < n; j++)
            if (results[order[j]].verdict != CKC_PENDING) ckc_progress(tests[order[j]], &results[order[j]]);
        cur.next_line = n;
        fprintf(stderr, "ckube-conformance: %zu tests on %d workers, then %zu serial tests alone\n",
                n_queue, workers, n - n_par);
        /* Workers fork from here: before CUnit runs, so they carry no test in progress. */
        if (n_queue && !(cur.pool = ckc_pool_start(run, tests, results, order, n_queue, workers)))
            fprintf(stderr, "ckube-conformance: out of memory: running in this process\n");
    }
    /* Failures are already on stderr (progress) and in the reports; SILENT
     * still prints CUnit's Run Summary on stdout when the run completes. */
    fflush(stderr);
    CU_basic_set_mode(CU_BRM_SILENT);
    CU_basic_run_tests();
    printf("\n");
    fflush(stdout);
    ckc_pool_free(cur.pool); /* CUnit aborted early: still reap the workers */
    cur.pool = NULL;
    CU_cleanup_registry();
    free(order);
    return 0;
}
