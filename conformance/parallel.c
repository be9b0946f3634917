/* parallel.c: the worker pool behind --parallel N. Each worker is a forked
 * copy of the harness that takes test indices from its command pipe, runs
 * the test (in its own namespaces: ckc-<suffix>-<1000*(index+1)+k>) and
 * sends the result, its request-log lines and its namespaces back on its
 * result pipe; the parent hands out the next index, prints progress and
 * keeps the single request log and namespace list. Forking keeps CUnit's
 * and the tests' global state private to each worker. */
#define _GNU_SOURCE
#include "parallel.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NO_MESSAGE UINT32_MAX

/* One result record on a result pipe; msg, log and namespaces (one per
 * line) follow, msg_len NO_MESSAGE standing for a NULL message. */
typedef struct record {
    int32_t index, verdict;
    double seconds;
    uint32_t msg_len, log_len, ns_len;
} record;

typedef struct worker {
    pid_t pid;      /* 0: not running */
    int cmd, res;   /* parent's ends: write indices, read records; -1 closed */
    long busy;      /* test index in flight, -1 none */
} worker;

struct ckc_pool {
    ckc_run *run;
    const ckc_test *const *tests;
    ckc_result *results;
    const size_t *queue;
    size_t n_queue, next;   /* next queue position to hand out */
    size_t outstanding;     /* handed out, no result yet */
    worker *w;
    int n_w;
};

static int write_full(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* 1 read all, 0 end of file before any byte, -1 error or short read. */
static int read_full(int fd, void *p, size_t n)
{
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, c + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) return got ? -1 : 0;
        got += (size_t)k;
    }
    return 1;
}

/* ---- worker side ---- */
static char *namespaces_since(ckc_run *run, size_t from, size_t *len)
{
    size_t n = 0;
    for (size_t i = from; i < run->n_namespaces; i++) n += strlen(run->namespaces[i]) + 1;
    char *s = malloc(n + 1), *o = s;
    if (!s) { *len = 0; return NULL; }
    for (size_t i = from; i < run->n_namespaces; i++) {
        o = stpcpy(o, run->namespaces[i]);
        *o++ = '\n';
        free(run->namespaces[i]);
    }
    *o = 0;
    run->n_namespaces = from; /* the parent deletes them at run end */
    *len = n;
    return s;
}

static int send_result(int fd, long index, const ckc_result *r, const char *log, size_t log_len,
                       const char *ns, size_t ns_len)
{
    record h;
    memset(&h, 0, sizeof h); /* padding goes down the pipe too */
    h.index = (int32_t)index;
    h.verdict = (int32_t)r->verdict;
    h.seconds = r->seconds;
    h.msg_len = r->message ? (uint32_t)strlen(r->message) : NO_MESSAGE;
    h.log_len = (uint32_t)log_len;
    h.ns_len = (uint32_t)ns_len;
    return write_full(fd, &h, sizeof h) ||
           (r->message && write_full(fd, r->message, h.msg_len)) ||
           write_full(fd, log ? log : "", log_len) || write_full(fd, ns ? ns : "", ns_len);
}

static void run_indexed(ckc_pool *p, long i, int res_fd)
{
    ckc_run *run = p->run;
    FILE *shared_log = run->request_log;
    char *log = NULL;
    size_t log_len = 0, ns_len = 0, ns_from = run->n_namespaces;
    if (shared_log) run->request_log = open_memstream(&log, &log_len);
    run->ns_counter = (int)(1000 * (i + 1));
    ckc_result r = {0};
    ckc_run_one(run, p->tests[i], &r);
    if (run->request_log && run->request_log != shared_log) fclose(run->request_log);
    run->request_log = shared_log;
    char *ns = namespaces_since(run, ns_from, &ns_len);
    int rc = send_result(res_fd, i, &r, log, log_len, ns, ns_len);
    free(ns);
    free(log);
    free(r.message);
    if (rc) _exit(3); /* the parent is gone */
}

static void __attribute__((noreturn)) worker_main(ckc_pool *p, int me, int cmd_fd, int res_fd)
{
    /* Other workers' pipe ends would hide their end of file from the parent. */
    for (int k = 0; k < p->n_w; k++) {
        if (k == me) continue;
        if (p->w[k].cmd >= 0) close(p->w[k].cmd);
        if (p->w[k].res >= 0) close(p->w[k].res);
    }
    int32_t i;
    while (read_full(cmd_fd, &i, sizeof i) == 1 && i >= 0 && (size_t)i < SIZE_MAX)
        run_indexed(p, i, res_fd);
    fflush(stderr);
    _exit(0); /* no atexit handlers: the parent owns stdout, CUnit and the reports */
}

/* ---- parent side ---- */
static int spawn(ckc_pool *p, int k)
{
    int cmd[2], res[2];
    if (pipe(cmd)) return -1;
    if (pipe(res)) { close(cmd[0]); close(cmd[1]); return -1; }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(cmd[0]); close(cmd[1]); close(res[0]); close(res[1]);
        return -1;
    }
    if (pid == 0) {
        close(cmd[1]);
        close(res[0]);
        worker_main(p, k, cmd[0], res[1]);
    }
    close(cmd[0]);
    close(res[1]);
    p->w[k] = (worker){.pid = pid, .cmd = cmd[1], .res = res[0], .busy = -1};
    return 0;
}

/* Hands worker k its next test, or closes its command pipe (it exits). */
static void feed(ckc_pool *p, int k)
{
    worker *w = &p->w[k];
    while (p->next < p->n_queue) {
        size_t i = p->queue[p->next];
        if (p->results[i].verdict != CKC_PENDING) { p->next++; continue; } /* ran in-process */
        int32_t idx = (int32_t)i;
        if (write_full(w->cmd, &idx, sizeof idx)) break; /* dead: its end of file will tell */
        p->next++;
        p->outstanding++;
        w->busy = (long)i;
        return;
    }
    if (w->cmd >= 0) { close(w->cmd); w->cmd = -1; }
}

static void add_namespaces(ckc_run *run, char *list)
{
    for (char *save = NULL, *name = strtok_r(list, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
        char **nn = realloc(run->namespaces, (run->n_namespaces + 1) * sizeof *nn);
        if (!nn) return;
        run->namespaces = nn;
        if ((nn[run->n_namespaces] = strdup(name))) run->n_namespaces++;
    }
}

static void finish_test(ckc_pool *p, size_t i, ckc_result r)
{
    p->results[i] = r;
    p->outstanding--;
    ckc_progress(p->tests[i], &p->results[i]);
}

/* A worker's result pipe reached end of file: reap it; a test in flight fails. */
static void worker_gone(ckc_pool *p, int k)
{
    worker *w = &p->w[k];
    int status = 0;
    close(w->res);
    w->res = -1;
    if (w->cmd >= 0) { close(w->cmd); w->cmd = -1; }
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {}
    w->pid = 0;
    if (w->busy < 0) return;
    ckc_result r = {.verdict = CKC_FAIL};
    if (asprintf(&r.message, "harness worker %s %d while running this test",
                 WIFSIGNALED(status) ? "was killed by signal" : "exited with status",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status)) < 0)
        r.message = NULL;
    size_t i = (size_t)w->busy;
    w->busy = -1;
    finish_test(p, i, r);
    if (p->next < p->n_queue && spawn(p, k) == 0) feed(p, k); /* a fresh worker takes over */
}

/* Reads one record from worker k; 0 ok, -1 the worker is gone. */
static int receive(ckc_pool *p, int k)
{
    worker *w = &p->w[k];
    record h;
    if (read_full(w->res, &h, sizeof h) != 1 || h.index < 0 || (long)h.index != w->busy) return -1;
    size_t ml = h.msg_len == NO_MESSAGE ? 0 : h.msg_len;
    char *msg = malloc(ml + 1), *log = malloc((size_t)h.log_len + 1), *ns = malloc((size_t)h.ns_len + 1);
    int ok = msg && log && ns && read_full(w->res, msg, ml) != -1 &&
             read_full(w->res, log, h.log_len) != -1 && read_full(w->res, ns, h.ns_len) != -1;
    if (ok) {
        msg[ml] = log[h.log_len] = ns[h.ns_len] = 0;
        if (p->run->request_log && h.log_len) {
            fwrite(log, 1, h.log_len, p->run->request_log);
            fflush(p->run->request_log);
        }
        add_namespaces(p->run, ns);
        ckc_result r = {.verdict = (ckc_verdict)h.verdict, .seconds = h.seconds,
                        .message = h.msg_len == NO_MESSAGE ? NULL : msg};
        if (r.message) msg = NULL;
        w->busy = -1;
        finish_test(p, (size_t)h.index, r);
        feed(p, k);
    }
    free(msg);
    free(log);
    free(ns);
    return ok ? 0 : -1;
}

static int live_workers(const ckc_pool *p)
{
    int n = 0;
    for (int k = 0; k < p->n_w; k++) n += p->w[k].res >= 0;
    return n;
}

/* Waits for one batch of results; 0 when no worker is left to wait for. */
static int pump(ckc_pool *p)
{
    struct pollfd fds[p->n_w > 0 ? p->n_w : 1];
    int map[p->n_w > 0 ? p->n_w : 1], nf = 0;
    for (int k = 0; k < p->n_w; k++)
        if (p->w[k].res >= 0) { fds[nf] = (struct pollfd){.fd = p->w[k].res, .events = POLLIN}; map[nf++] = k; }
    if (!nf) return 0;
    if (poll(fds, (nfds_t)nf, -1) < 0) return errno == EINTR ? 1 : 0;
    for (int f = 0; f < nf; f++)
        if (fds[f].revents && receive(p, map[f])) worker_gone(p, map[f]);
    return 1;
}

ckc_pool *ckc_pool_start(ckc_run *run, const ckc_test *const *tests, ckc_result *results,
                         const size_t *queue, size_t n_queue, int workers)
{
    ckc_pool *p = calloc(1, sizeof *p);
    int n_w = workers < 1 ? 1 : workers;
    if ((size_t)n_w > n_queue) n_w = (int)n_queue;
    if (!p || !(p->w = calloc(n_w ? (size_t)n_w : 1, sizeof *p->w))) { free(p); return NULL; }
    *p = (ckc_pool){.run = run, .tests = tests, .results = results, .queue = queue, .n_queue = n_queue,
                    .w = p->w, .n_w = n_w};
    for (int k = 0; k < n_w; k++) p->w[k] = (worker){.cmd = -1, .res = -1, .busy = -1};
    /* A worker that died must not take the parent with it on the next write. */
    signal(SIGPIPE, SIG_IGN);
    for (int k = 0; k < n_w; k++)
        if (spawn(p, k)) fprintf(stderr, "ckube-conformance: cannot start worker %d: %s\n", k + 1, strerror(errno));
    for (int k = 0; k < n_w; k++)
        if (p->w[k].pid) feed(p, k);
    return p;
}

int ckc_pool_wait(ckc_pool *p, size_t i)
{
    while (p->results[i].verdict == CKC_PENDING && pump(p)) {}
    if (p->results[i].verdict != CKC_PENDING) return 0;
    /* No worker left (fork failed): run it here, in the same namespace scheme. */
    p->run->ns_counter = (int)(1000 * (i + 1));
    ckc_run_one(p->run, p->tests[i], &p->results[i]);
    ckc_progress(p->tests[i], &p->results[i]);
    return 1;
}

void ckc_pool_finish(ckc_pool *p)
{
    if (!p) return;
    for (size_t q = 0; q < p->n_queue; q++) (void)ckc_pool_wait(p, p->queue[q]);
    for (int k = 0; k < p->n_w; k++)
        if (p->w[k].cmd >= 0) { close(p->w[k].cmd); p->w[k].cmd = -1; }
    while (live_workers(p) && pump(p)) {}
}

void ckc_pool_free(ckc_pool *p)
{
    if (!p) return;
    ckc_pool_finish(p);
    free(p->w);
    free(p);
}
