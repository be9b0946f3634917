/* exec.c: fork + execvp with three pipes, drained with poll() so a child that
 * writes a lot (iptables-save) never blocks on a full pipe. */
#define _GNU_SOURCE
#include "kube-proxy/exec.h"
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct buf { char *p; size_t len, cap; } buf;

static int buf_read(buf *b, int fd)
{
    if (b->cap - b->len < 4097) {
        size_t cap = b->cap ? b->cap * 2 : 8192;
        char *p = realloc(b->p, cap);
        if (!p) return -1;
        b->p = p, b->cap = cap;
    }
    ssize_t n = read(fd, b->p + b->len, b->cap - b->len - 1);
    if (n > 0) b->len += (size_t)n;
    return n > 0 ? 1 : (n == 0 || errno != EINTR ? 0 : 1);
}

static void child(char *const argv[], int in, int out, int err)
{
    dup2(in, 0), dup2(out, 1), dup2(err, 2);
    for (int fd = 3; fd < 64; fd++) close(fd);
    signal(SIGPIPE, SIG_DFL);
    execvp(argv[0], argv);
    fprintf(stderr, "exec %s: %s", argv[0], strerror(errno));
    _exit(127);
}

int ck_exec(char *const argv[], const char *in, char **out, char *err, size_t errlen)
{
    int pi[2], po[2], pe[2];
    if (errlen) err[0] = 0;
    if (pipe2(pi, O_CLOEXEC) < 0) return -1;
    if (pipe2(po, O_CLOEXEC) < 0) { close(pi[0]), close(pi[1]); return -1; }
    if (pipe2(pe, O_CLOEXEC) < 0) { close(pi[0]), close(pi[1]), close(po[0]), close(po[1]); return -1; }
    pid_t pid = fork();
    if (pid == 0) child(argv, pi[0], po[1], pe[1]);
    close(pi[0]), close(po[1]), close(pe[1]);
    if (pid < 0) { close(pi[1]), close(po[0]), close(pe[0]); return -1; }
    fcntl(pi[1], F_SETFL, O_NONBLOCK);
    size_t inlen = in ? strlen(in) : 0, off = 0;
    buf bo = {0}, be = {0};
    struct pollfd fds[3] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}, {inlen ? pi[1] : -1, POLLOUT, 0}};
    if (!inlen) close(pi[1]);
    int open_fds = 2, rc = -1;
    bool ok = true;
    while (open_fds > 0 || fds[2].fd >= 0) {
        if (poll(fds, 3, -1) < 0) { if (errno == EINTR) continue; ok = false; break; }
        for (int i = 0; i < 2; i++)
            if (fds[i].fd >= 0 && fds[i].revents) {
                int r = buf_read(i ? &be : &bo, fds[i].fd);
                if (r < 0) ok = false;
                if (r <= 0) { close(fds[i].fd); fds[i].fd = -1; open_fds--; }
            }
        if (fds[2].fd >= 0 && fds[2].revents) {
            ssize_t n = write(fds[2].fd, in + off, inlen - off);
            if (n > 0) off += (size_t)n;
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || off == inlen) {
                close(fds[2].fd);
                fds[2].fd = -1;
            }
        }
    }
    for (int i = 0; i < 3; i++) if (fds[i].fd >= 0) close(fds[i].fd);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(status)) rc = WEXITSTATUS(status);
    if (errlen && be.len) snprintf(err, errlen, "%.*s", (int)be.len, be.p);
    free(be.p);
    if (out && ok) {
        if (!bo.p) bo.p = calloc(1, 1);
        else bo.p[bo.len] = 0;
        *out = bo.p;
        if (!bo.p) rc = -1;
    } else {
        free(bo.p);
    }
    return ok ? rc : -1;
}
