/* cmd.c: fork/exec a command with its output captured into a pipe; the
 * output becomes the error message when the command fails. */
#define _GNU_SOURCE
#include "node/cmd.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void describe(const char *const argv[], const char *out, char *err, size_t errlen)
{
    if (!err || !errlen) return;
    size_t n = 0;
    err[0] = 0;
    for (int i = 0; argv[i] && n < errlen; i++)
        n += snprintf(err + n, errlen - n, "%s%s", i ? " " : "", argv[i]);
    if (n < errlen) snprintf(err + n, errlen - n, ": %s", out);
}

int ck_cmd_run(const char *const argv[], char *err, size_t errlen)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) dup2(nul, 0);
        execvp(argv[0], (char *const *)argv);
        dprintf(2, "exec: %s", strerror(errno));
        _exit(127);
    }
    close(p[1]);
    char out[1024];
    size_t n = 0;
    ssize_t r;
    char sink[512];
    while ((r = read(p[0], n < sizeof out - 1 ? out + n : sink,
                     n < sizeof out - 1 ? sizeof out - 1 - n : sizeof sink)) > 0 ||
           (r < 0 && errno == EINTR))
        if (r > 0 && n < sizeof out - 1) n += (size_t)r;
    out[n] = 0;
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' ')) out[--n] = 0;
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (rc) describe(argv, out, err, errlen);
    else if (err && errlen) err[0] = 0;
    return rc;
}

int ck_cmd(char *err, size_t errlen, const char *arg0, ...)
{
    const char *argv[32];
    int n = 0;
    va_list ap;
    va_start(ap, arg0);
    for (const char *a = arg0; a && n < 31; a = va_arg(ap, const char *)) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return ck_cmd_run(argv, err, errlen);
}

int ck_node_pathf(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    return r < 0 || (size_t)r >= n ? -1 : 0;
}

int ck_mkdir_p(const char *path, char *err, size_t errlen)
{
    char buf[4096];
    struct stat st;
    if (ck_node_pathf(buf, sizeof buf, "%s", path) < 0) {
        if (err) snprintf(err, errlen, "mkdir %.200s...: path too long", path);
        return -1;
    }
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(buf, 0755);
            *p = '/';
        }
    if (mkdir(buf, 0755) == 0 || (errno == EEXIST && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))) return 0;
    if (err) snprintf(err, errlen, "mkdir %s: %s", path, errno == EEXIST ? "File exists" : strerror(errno));
    return -1;
}
