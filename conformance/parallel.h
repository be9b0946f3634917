/* parallel.h: --parallel N, the harness's answer to ginkgo -p: tests run on
 * N forked worker processes, then the serial ones ([Serial], [Disruptive]
 * or "serial" in requires) run alone. Kept apart from harness.h so the
 * test-table struct stays as it is; see conformance/README.md. */
#ifndef CKC_PARALLEL_H
#define CKC_PARALLEL_H
#include "harness.h"

/* 1 when t must run alone: its upstream codename says [Serial] or
 * [Disruptive], or its requires list holds the token "serial" (a ckube
 * test that changes cluster-wide state: node taints/labels, fake nodes,
 * priority classes, ...). "serial" is a scheduling hint, never a missing
 * capability. */
int ckc_test_is_serial(const ckc_test *t);

/* Like ckc_run_tests, on `workers` processes (1: the sequential run).
 * Outputs (progress on stderr, CUnit summary on stdout, results, the
 * request log, run->namespaces) have the sequential run's shape. */
int ckc_run_tests_parallel(ckc_run *run, const ckc_test *const *tests, size_t n, ckc_result *results,
                           int workers);

/* runner.c: runs one test body in this process (setjmp, arena release),
 * filling out (message owned by out). */
void ckc_run_one(ckc_run *run, const ckc_test *test, ckc_result *out);

/* runner.c: one progress line "[k/n] id: title ... ok 0.12s" on stderr,
 * k counting lines printed so far in this run. */
void ckc_progress(const ckc_test *test, const ckc_result *r);

/* parallel.c: the worker pool. start forks min(workers, n_queue) workers
 * that take queue[] (indices into tests) in order; wait pumps results until
 * results[i] is final; finish waits for every queued test and reaps the
 * workers. Results arrive with their request-log lines (appended to
 * run->request_log) and namespaces (added to run->namespaces). When no
 * worker is left, wait runs the test in this process. */
typedef struct ckc_pool ckc_pool;
ckc_pool *ckc_pool_start(ckc_run *run, const ckc_test *const *tests, ckc_result *results,
                         const size_t *queue, size_t n_queue, int workers); /* NULL: out of memory */
int ckc_pool_wait(ckc_pool *p, size_t i); /* 1: ran here (in CUnit's test) */
void ckc_pool_finish(ckc_pool *p);
void ckc_pool_free(ckc_pool *p); /* finishes first; NULL ok */
#endif
