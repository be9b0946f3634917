/* testserver.h: a real apiserver for integration tests (client-go's
 * envtest / kube-apiserver testing.StartTestServer, reduced): runs
 * <build>/bin/apiserver --storage-backend memory --port 0 --port-file F in a
 * child process, waits for /readyz, hands out a REST client, stops it.
 * Header-only; also the child-process helpers the tests share. */
#ifndef CK_UTIL_TESTSERVER_H
#define CK_UTIL_TESTSERVER_H
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "client/rest.h"

/* Runs argv (argv[0] a path, or a name looked up in PATH) with stdout, and
 * stderr unless $CK_TEST_VERBOSE is set, on /dev/null. The child's pid, or -1. */
static inline pid_t ck_test_spawn(char *const argv[])
{
    pid_t p = fork();
    if (p == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (!getenv("CK_TEST_VERBOSE")) dup2(null, 2);
        dup2(null, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    return p;
}

/* SIGTERM, up to 5 s to exit, then SIGKILL; reaps it and sets *p = -1.
 * No-op for *p <= 0. */
static inline void ck_test_stop(pid_t *p)
{
    if (*p <= 0) return;
    kill(*p, SIGTERM);
    for (int i = 0; i < 50 && waitpid(*p, NULL, WNOHANG) == 0; i++) usleep(100000);
    if (kill(*p, SIGKILL) == 0) waitpid(*p, NULL, 0);
    *p = -1;
}

/* The port a server wrote to `file` (--port-file), polled for up to 10 s; 0 if none. */
static inline int ck_test_read_port(const char *file)
{
    int port = 0;
    for (int i = 0; i < 100 && !port; i++) {
        FILE *f = fopen(file, "r");
        if (f) {
            if (fscanf(f, "%d", &port) != 1) port = 0;
            fclose(f);
        }
        if (!port) usleep(100000);
    }
    return port;
}

/* <build>/bin for a test binary at <build>/tests/<component>/test_x. 0 or -1. */
static inline int ck_test_bindir(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0) return -1;
    exe[k] = 0;
    return snprintf(out, n, "%s/../bin", dirname(dirname(exe))) < (int)n ? 0 : -1;
}

/* The apiserver binary: $CK_APISERVER, else <build>/bin/apiserver next to
 * the test binary, else build/bin/apiserver. False when none is executable. */
static inline bool ck_testserver_find(char *out, size_t n)
{
    const char *env = getenv("CK_APISERVER");
    if (env && access(env, X_OK) == 0) return snprintf(out, n, "%s", env) > 0;
    char dir[PATH_MAX];
    if (ck_test_bindir(dir, sizeof dir) == 0 && snprintf(out, n, "%s/apiserver", dir) < (int)n &&
        access(out, X_OK) == 0)
        return true;
    snprintf(out, n, "build/bin/apiserver");
    return access(out, X_OK) == 0;
}

typedef struct ck_testserver {
    pid_t pid;             /* -1 when not running */
    int port;
    char port_file[64];
    char url[96];          /* http://<bind address>:<port> */
} ck_testserver;

/* Starts the apiserver on bind_address (NULL: 127.0.0.1) and waits for its
 * port file and /readyz (200) for up to 10 s each. 0, or -1 with a message
 * in err (the server stopped again). ck_testserver_stop in any case. */
static inline int ck_testserver_start(ck_testserver *s, const char *bind_address, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->pid = -1;
    char bin[PATH_MAX];
    if (!ck_testserver_find(bin, sizeof bin)) {
        snprintf(err, errlen, "no apiserver binary (build it, or set CK_APISERVER)");
        return -1;
    }
    if (!bind_address) bind_address = "127.0.0.1";
    snprintf(s->port_file, sizeof s->port_file, "/tmp/ck-testserver-%d.port", (int)getpid());
    unlink(s->port_file);
    char *argv[] = {bin, "--storage-backend", "memory", "--port", "0", "--port-file", s->port_file,
                    "--bind-address", (char *)bind_address, NULL};
    if ((s->pid = ck_test_spawn(argv)) < 0 || !(s->port = ck_test_read_port(s->port_file))) {
        snprintf(err, errlen, "apiserver %.200s did not start", bin);
        ck_test_stop(&s->pid);
        return -1;
    }
    snprintf(s->url, sizeof s->url, "http://%s:%d", bind_address, s->port);
    ck_rest *c = NULL;
    ck_rest_config cfg;
    char e[256];
    if (ck_rest_config_from_url(&cfg, s->url) == 0) {
        c = ck_rest_new(&cfg, e, sizeof e);
        ck_rest_config_clear(&cfg);
    }
    long code = 0;
    for (int i = 0; c && i < 100 && code != 200; i++) {
        ck_response r = {0};
        ck_rest_do(c, "GET", "/readyz", NULL, NULL, &r);
        code = r.code;
        ck_response_clear(&r);
        if (code != 200) usleep(100000);
    }
    ck_rest_free(c);
    if (code != 200) {
        snprintf(err, errlen, "apiserver on %.96s not ready (/readyz %ld)", s->url, code);
        ck_test_stop(&s->pid);
        return -1;
    }
    return 0;
}

/* A REST client for the server (caller frees with ck_rest_free), or NULL. */
static inline ck_rest *ck_testserver_client(const ck_testserver *s)
{
    ck_rest_config cfg;
    char err[256];
    if (ck_rest_config_from_url(&cfg, s->url)) return NULL;
    ck_rest *c = ck_rest_new(&cfg, err, sizeof err);
    ck_rest_config_clear(&cfg);
    return c;
}

/* Stops the server and removes its port file. Idempotent. */
static inline void ck_testserver_stop(ck_testserver *s)
{
    ck_test_stop(&s->pid);
    if (*s->port_file) unlink(s->port_file);
    s->port_file[0] = 0;
}
#endif
