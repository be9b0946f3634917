/* t_pods_ws.c: the pods tests that speak WebSocket, after
 * test/e2e/common/node/pods.go: "should support remote command execution
 * over websockets" (pods/exec, channel.k8s.io) and "should support retrieving
 * logs from the container over websockets" (pods/log, binary.k8s.io). */
#define _GNU_SOURCE
#include "cluster.h"
#include "websocket.h"
#include <stdlib.h>
#include <string.h>

static void ws_free(void *p) { ckc_ws_close(p); }

/* upstream's e2ewebsocket.OpenWebSocketForURL: fails the test on any error */
static ckc_ws *open_ws(ckc_t *t, const char *path, const char *const *protocols)
{
    char err[1024] = "";
    long code = 0;
    ckc_ws *ws = ckc_ws_open(t->run, path, protocols, ckc_timeout(t, 30), &code, err, sizeof err);
    if (t->run->request_log) {
        fprintf(t->run->request_log, "GET %s %ld\n", path, code);
        fflush(t->run->request_log);
    }
    if (!ws) CKC_FAIL(t, "Failed to open websocket to %s: %s", path, err);
    return ckc_own(t, ws, ws_free);
}

/* The busybox pod both upstream tests create: one container "main". */
static const char *run_main_pod(ckc_t *t, const char *prefix, const char *script)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, prefix);
    json_t *pod = cl_pod(t, name, "Always", script);
    json_object_set_new(cl_container(pod, 0, 0), "name", json_string("main"));
    cl_create_pod(t, ns, pod);
    cl_wait_running(t, ns, name);
    return name;
}

/* Reads messages until the server closes (io.EOF upstream); calls keep()
 * on each; fails the test on a read error. */
typedef void (*ws_keep)(ckc_t *t, const char *path, const unsigned char *msg, size_t len, void *acc);
static void read_to_eof(ckc_t *t, ckc_ws *ws, const char *path, ws_keep keep, void *acc)
{
    double end = ckc_now() + ckc_timeout(t, 60);
    for (;;) {
        int op;
        unsigned char *msg;
        size_t len;
        char err[512] = "";
        double left = end - ckc_now();
        int rc = left > 0 ? ckc_ws_recv(ws, left, &op, &msg, &len, err, sizeof err) : -1;
        if (rc == 0) return;
        if (rc < 0) CKC_FAIL(t, "Failed to read completely from websocket %s: %s", path, *err ? err : "timed out");
        ckc_own(t, msg, free);
        keep(t, path, msg, len, acc);
    }
}

typedef struct acc { char *p; size_t len; } acc;

static void acc_free(void *p)
{
    acc *a = p;
    free(a->p);
    free(a);
}

/* An accumulator owned by t, so a failing read frees it too. */
static acc *new_acc(ckc_t *t)
{
    acc *a = calloc(1, sizeof *a);
    if (!a) CKC_FAIL(t, "out of memory");
    return ckc_own(t, a, acc_free);
}

static void acc_add(ckc_t *t, acc *a, const unsigned char *d, size_t n)
{
    char *np = realloc(a->p, a->len + n + 1);
    if (!np) CKC_FAIL(t, "out of memory");
    a->p = np;
    memcpy(a->p + a->len, d, n);
    a->len += n;
    a->p[a->len] = 0;
}

static void keep_stdout(ckc_t *t, const char *path, const unsigned char *msg, size_t len, void *a)
{
    if (len == 0) return;
    if (msg[0] != 1) {
        if (len == 1) return; /* an empty message on a stream other than stdout */
        CKC_FAIL(t, "Got message from server that didn't start with channel 1 (STDOUT): channel %d, \"%.*s\"",
                 msg[0], (int)(len > 300 ? 300 : len - 1), msg + 1);
    }
    acc_add(t, a, msg + 1, len - 1);
}

void cl_t_exec_websocket(ckc_t *t)
{
    const char *name = run_main_pod(t, "pod-exec-websocket-", "echo container is alive; sleep 600");
    const char *path = ckc_fmt(t, "%s/exec?stderr=1&stdout=1&container=main&command=echo&command=remote%%20execution%%20test",
                               ckc_item(t, "pods", ckc_ns(t), name));
    static const char *const protocols[] = {"channel.k8s.io", NULL};
    ckc_ws *ws = open_ws(t, path, protocols);
    acc *out = new_acc(t);
    read_to_eof(t, ws, path, keep_stdout, out);
    if (!out->len) CKC_FAIL(t, "unexpected output from server: no stdout message before the close");
    CKC_CHECK(t, NULL, strstr(out->p, "remote execution test") != NULL,
              "expected to find 'remote execution test' in \"%.300s\"", out->p);
}

static void keep_log(ckc_t *t, const char *path, const unsigned char *msg, size_t len, void *a)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n\v\f", msg[i])) i++;
    if (i == len) return; /* upstream skips whitespace-only messages */
    acc_add(t, a, msg, len);
}

void cl_t_logs_websocket(ckc_t *t)
{
    const char *name = run_main_pod(t, "pod-logs-websocket-", "echo container is alive; sleep 10000");
    const char *path = ckc_fmt(t, "%s/log?container=main", ckc_item(t, "pods", ckc_ns(t), name));
    static const char *const protocols[] = {"binary.k8s.io", NULL};
    ckc_ws *ws = open_ws(t, path, protocols);
    acc *out = new_acc(t);
    read_to_eof(t, ws, path, keep_log, out);
    CKC_CHECK(t, NULL, out->p && !strcmp(out->p, "container is alive\n"), "Unexpected websocket logs:\n%s",
              out->p ? out->p : "");
}
