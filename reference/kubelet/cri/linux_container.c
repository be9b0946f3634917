/* linux_container.c: a container is two processes, as runc + a containerd
 * shim: the shim (our child) joins the sandbox's network namespace, unshares
 * mount/pid/uts/ipc namespaces and forks the container's init (pid 1 inside),
 * which mounts an overlay of the image's rootfs, /proc, /dev and the volume
 * binds, pivot_roots into it, drops capabilities and execs the command; the
 * shim sets the pod's sysctls first. Init's stdout/stderr are pipes the
 * shim copies into the container's log in the CRI format (kubelet/logs.c),
 * as containerd's shim does; once both pipes closed the shim reports init's
 * exit code (128+signal when killed), so waitpid on the shim gives the
 * container's exit code with all of its output already in the log. Exec
 * joins init's namespaces with setns. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <grp.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kubelet/cri/linux_internal.h"
#include "kubelet/logs.h"
#include "node/cmd.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* containerd + runc's wording around an exec failure (StartError's message). */
#define START_PREFIX "failed to create containerd task: failed to create shim task: OCI runtime " \
                     "create failed: runc create failed: unable to start container process: "

/* Host devices bind-mounted into the container's /dev (runc's defaults). */
static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty", NULL};

/* Everything the children need, built before fork: after fork only syscalls. */
typedef struct plan {
    char netns[LX_PATH], hostname[64], cgroup_procs[LX_PATH + 16];
    char rootfs[LX_PATH], overlay[3 * LX_PATH + 64], proc[LX_PATH + 8], dev[LX_PATH + 8];
    char sys[LX_PATH + 8], shm[LX_PATH + 16];
    char devsrc[8][32], devdst[8][LX_PATH + 32];
    char sysctls[sizeof ((lx_sandbox *)0)->sysctls]; /* copy of the sandbox's */
    size_t sysctls_len;
    char (*targets)[LX_PATH * 2];
    bool *is_dir;
    int log_fd;
} plan;

/* ---- async-signal-safe helpers for the children ---------------------- */

static size_t s_len(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static void say(int fd, const char *a, const char *b, const char *c)
{
    if (fd < 0) return;
    if (a) (void)!write(fd, a, s_len(a));
    if (b) (void)!write(fd, b, s_len(b));
    if (c) (void)!write(fd, c, s_len(c));
}

static void die(int fd, const char *what, int e)
{
    say(fd, START_PREFIX, what, ": ");
    say(fd, strerror(e), ": unknown", NULL);
    _exit(128);
}

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static void make_target(char *path, bool is_dir)
{
    if (is_dir) {
        mkdir_p(path);
        return;
    }
    char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        *slash = 0;
        mkdir_p(path);
        *slash = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) close(fd);
}

/* execvpe with the container's PATH and Go's exec error wording. */
static void exec_search(char *const argv[], char *const env[], int errfd)
{
    const char *a0 = argv && argv[0] ? argv[0] : "";
    if (strchr(a0, '/')) {
        execve(a0, argv, env);
        int e = errno;
        say(errfd, START_PREFIX "exec: \"", a0, "\": ");
        say(errfd, e == ENOENT ? "stat " : "", e == ENOENT ? a0 : "", e == ENOENT ? ": " : "");
        say(errfd, strerror(e), ": unknown", NULL);
        _exit(e == ENOENT ? 127 : 126);
    }
    const char *path = DEFAULT_PATH;
    for (int i = 0; env && env[i]; i++)
        if (strncmp(env[i], "PATH=", 5) == 0) path = env[i] + 5;
    char buf[4096];
    int last = ENOENT;
    while (*a0 && *path) {
        size_t n = strcspn(path, ":"), m = s_len(a0);
        if (n + m + 2 < sizeof buf) {
            memcpy(buf, path, n);
            buf[n] = '/';
            memcpy(buf + n + 1, a0, m + 1);
            execve(buf, argv, env);
            if (errno != ENOENT) last = errno;
        }
        path += n + (path[n] == ':');
    }
    if (last == ENOENT) say(errfd, START_PREFIX "exec: \"", a0, "\": executable file not found in $PATH: unknown");
    else die(errfd, "exec", last);
    _exit(127);
}

/* runc's finalizeNamespace: the capability bounding set, supplementary
 * groups, gid, then uid (the last step gives up root), then the kept
 * capabilities and no_new_privs. Errors keep runc's wording in StartError. */
static void become_user(const lx_container *c, int errfd)
{
    int e;
    if ((e = lx_caps_before_user(c->caps)) < 0) die(errfd, "drop capabilities", -e);
    if (setgroups(c->n_groups, c->groups) < 0) die(errfd, "setgroups", errno);
    if (setgid(c->gid) < 0) die(errfd, "setgid", errno);
    if (setuid(c->uid) < 0) die(errfd, "setuid", errno);
    if ((e = lx_caps_after_user(c->caps, c->no_new_privs)) < 0) die(errfd, "set capabilities", -e);
}

/* The container's pid 1, inside fresh mount/pid/uts/ipc namespaces;
 * outfd/errfd2 are the write ends of the shim's log pipes. */
static void container_init(const plan *p, const lx_container *c, int errfd, int outfd, int errfd2)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0) die(errfd, "make / private", errno);
    if (mount("overlay", p->rootfs, "overlay", 0, p->overlay) < 0) die(errfd, "mount overlay rootfs", errno);
    mkdir(p->proc, 0555);
    if (mount("proc", p->proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) die(errfd, "mount proc", errno);
    mkdir(p->sys, 0555);
    mount("sysfs", p->sys, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL); /* best effort */
    mkdir(p->dev, 0755);
    if (mount("tmpfs", p->dev, "tmpfs", MS_NOSUID, "mode=755,size=65536k") < 0) die(errfd, "mount /dev", errno);
    for (int i = 0; dev_nodes[i]; i++) {
        make_target((char *)p->devdst[i], false);
        mount(p->devsrc[i], p->devdst[i], "none", MS_BIND, NULL);
    }
    mkdir(p->shm, 01777);
    mount("shm", p->shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
    for (size_t i = 0; i < c->n_mounts; i++) {
        make_target(p->targets[i], p->is_dir[i]);
        if (mount(c->mounts[i].host_path, p->targets[i], "none", MS_BIND | MS_REC, NULL) < 0)
            die(errfd, "bind mount volume", errno);
        if (c->mounts[i].readonly)
            mount(NULL, p->targets[i], "none", MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
    }
    if (chdir(p->rootfs) < 0 || syscall(SYS_pivot_root, ".", ".") < 0) die(errfd, "pivot_root", errno);
    umount2(".", MNT_DETACH);
    if (chdir("/") < 0) die(errfd, "chdir /", errno);
    if (c->working_dir && *c->working_dir) {
        char wd[LX_PATH];
        size_t n = s_len(c->working_dir);
        if (n < sizeof wd) memcpy(wd, c->working_dir, n + 1), mkdir_p(wd);
        if (chdir(c->working_dir) < 0) die(errfd, "chdir to cwd set in config.json failed", errno);
    }
    /* readOnlyRootFilesystem: runc remounts / with MS_RDONLY after pivot_root (and cwd);
     * the volume binds under it are mounts of their own and stay writable. */
    if (c->readonly_rootfs && mount(NULL, "/", "none", MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
        die(errfd, "remount / read-only", errno);
    become_user(c, errfd);
    int nul = open("/dev/null", O_RDONLY);
    if (nul >= 0) dup2(nul, 0);
    dup2(outfd, 1);
    dup2(errfd2, 2);
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    exec_search(c->argv, c->env, errfd);
}

/* Closes every fd >= 3 but the three kept. The shim never execs, so the
 * O_CLOEXEC pipes other kubelet threads had open at fork time (another
 * container's error pipe, ck_cmd's output pipe) would otherwise stay open
 * for the container's whole life and their readers would wait for EOF. */
static void close_all_but(int a, int b, int c)
{
    int keep[3] = {a, b, c};
    for (int i = 0; i < 3; i++) /* sort three */
        for (int j = i + 1; j < 3; j++)
            if (keep[j] < keep[i]) { int t = keep[i]; keep[i] = keep[j]; keep[j] = t; }
    unsigned lo = 3;
    for (int i = 0; i < 3; i++) {
        if (keep[i] < (int)lo) continue;
        if ((unsigned)keep[i] > lo) syscall(SYS_close_range, lo, (unsigned)keep[i] - 1, 0U);
        lo = (unsigned)keep[i] + 1;
    }
    syscall(SYS_close_range, lo, ~0U, 0U);
}

/* runc's writeSystemProperty for each of the pod's sysctls, from the shim:
 * after it joined the pod's network namespace and unshared the IPC one, so
 * net.* land in the pod and kernel.shm* in this container's IPC namespace. */
static void write_sysctls(const plan *p, int errfd)
{
    for (size_t o = 0; o < p->sysctls_len;) {
        const char *path = p->sysctls + o, *value = path + s_len(path) + 1;
        o += s_len(path) + s_len(value) + 2;
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, value, s_len(value)) < 0) {
            int e = errno;
            say(errfd, START_PREFIX "error during container init: open ", path, ": ");
            say(errfd, strerror(e), ": unknown", NULL);
            _exit(128);
        }
        close(fd);
    }
}

int lx_sandbox_sysctls(lx_sandbox *s, const ck_cri_sysctl *sysctls, size_t n, char *err, size_t errlen)
{
    static const char prefix[] = "/proc/sys/";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = sysctls[i].name, *value = sysctls[i].value ? sysctls[i].value : "";
        size_t nl = strlen(name), vl = strlen(value);
        if (!nl || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_./") != nl || strstr(name, ".."))
            return snprintf(err, errlen, "invalid sysctl name %s", name), -1;
        if (o + sizeof prefix + nl + vl + 2 > sizeof s->sysctls)
            return snprintf(err, errlen, "sysctls of the pod too long"), -1;
        /* a dotted name (NormalizeName) swaps: '.' separates, '/' is a literal dot */
        bool dotted = name[strcspn(name, "./")] == '.';
        memcpy(s->sysctls + o, prefix, sizeof prefix - 1);
        o += sizeof prefix - 1;
        for (size_t k = 0; k < nl; k++)
            s->sysctls[o++] = !dotted ? name[k] : name[k] == '.' ? '/' : name[k] == '/' ? '.' : name[k];
        s->sysctls[o++] = 0;
        memcpy(s->sysctls + o, value, vl + 1);
        o += vl + 1;
    }
    s->sysctls_len = o;
    return 0;
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The shim's life after the fork: copies init's stdout (pipe 0) and stderr
 * (pipe 1) into the CRI log until both close - when init's pid namespace
 * ends every process in it is gone, so every writer - then reaps init. A
 * writer that escaped (an fd passed out of the container) cannot hold the
 * exit back for more than a second of silence. Returns init's exit code. */
static int copy_logs(pid_t init, int pipes[2], int log_fd)
{
    static ck_log_writer lw; /* 32 KiB of line buffers: static, this process's own copy */
    char buf[8192];
    int st = 0;
    bool exited = false;
    lw.log_fd = log_fd;
    while (pipes[0] >= 0 || pipes[1] >= 0) {
        struct pollfd pf[2] = {{pipes[0], POLLIN, 0}, {pipes[1], POLLIN, 0}}; /* poll skips fd -1 */
        int r = poll(pf, 2, 1000);
        for (int i = 0; i < 2 && r > 0; i++) {
            if (pipes[i] < 0 || !pf[i].revents) continue;
            ssize_t n = read(pipes[i], buf, sizeof buf);
            if (n > 0) ck_log_writer_feed(&lw, i, buf, (size_t)n, now_ns());
            else if (n == 0 || errno != EINTR) {
                ck_log_writer_flush(&lw, i, now_ns()); /* output without a final newline: P */
                close(pipes[i]);
                pipes[i] = -1;
            }
        }
        if (!exited && waitpid(init, &st, WNOHANG) == init) exited = true;
        if (exited && r == 0) break;
    }
    for (int i = 0; i < 2; i++)
        if (pipes[i] >= 0) ck_log_writer_flush(&lw, i, now_ns());
    while (!exited && waitpid(init, &st, 0) < 0)
        if (errno != EINTR) return 255;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The shim: joins the sandbox network, unshares, forks init, copies its
 * output into the log and waits for it. */
static void shim(const plan *p, const lx_container *c, int errfd, int pidfd)
{
    close_all_but(errfd, pidfd, p->log_fd);
    setsid();
    if (p->netns[0]) {
        int fd = open(p->netns, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) die(errfd, "join the pod network namespace", errno);
        close(fd);
    }
    if (p->cgroup_procs[0]) {
        int fd = open(p->cgroup_procs, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) (void)!write(fd, "0", 1), close(fd);
    }
    if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC) < 0) die(errfd, "unshare", errno);
    sethostname(p->hostname, s_len(p->hostname));
    write_sysctls(p, errfd);
    int outp[2], errp[2];
    if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) die(errfd, "create log pipes", errno);
    pid_t pid = fork();
    if (pid < 0) die(errfd, "fork", errno);
    if (pid == 0) container_init(p, c, errfd, outp[1], errp[1]);
    close(outp[1]);
    close(errp[1]);
    (void)!write(pidfd, &pid, sizeof pid);
    close(pidfd);
    close(errfd);
    signal(SIGTERM, SIG_IGN); /* signals go to init; the shim only reports */
    signal(SIGINT, SIG_IGN);
    int pipes[2] = {outp[0], errp[0]};
    _exit(copy_logs(pid, pipes, p->log_fd));
}

/* ---- parent side ------------------------------------------------------ */

static int build_plan(lx_runtime *rt, lx_sandbox *s, lx_container *c, plan *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->log_fd = -1;
    int bad = 0;
    if (s->netns[0]) bad |= ck_node_pathf(p->netns, sizeof p->netns, "/run/netns/%s", s->netns);
    snprintf(p->hostname, sizeof p->hostname, "%s", s->hostname);
    memcpy(p->sysctls, s->sysctls, s->sysctls_len);
    p->sysctls_len = s->sysctls_len;
    if (c->cgroup[0]) bad |= ck_node_pathf(p->cgroup_procs, sizeof p->cgroup_procs, "%s/cgroup.procs", c->cgroup);
    bad |= ck_node_pathf(p->rootfs, sizeof p->rootfs, "%s/rootfs", c->dir);
    bad |= ck_node_pathf(p->overlay, sizeof p->overlay, "lowerdir=%s/rootfs,upperdir=%s/upper,workdir=%s/work",
                    c->image_dir, c->dir, c->dir);
    bad |= ck_node_pathf(p->proc, sizeof p->proc, "%s/proc", p->rootfs);
    bad |= ck_node_pathf(p->sys, sizeof p->sys, "%s/sys", p->rootfs);
    bad |= ck_node_pathf(p->dev, sizeof p->dev, "%s/dev", p->rootfs);
    bad |= ck_node_pathf(p->shm, sizeof p->shm, "%s/dev/shm", p->rootfs);
    for (int i = 0; dev_nodes[i]; i++) {
        snprintf(p->devsrc[i], sizeof p->devsrc[i], "/dev/%s", dev_nodes[i]);
        bad |= ck_node_pathf(p->devdst[i], sizeof p->devdst[i], "%s/dev/%s", p->rootfs, dev_nodes[i]);
    }
    p->targets = calloc(c->n_mounts + 1, sizeof *p->targets);
    p->is_dir = calloc(c->n_mounts + 1, sizeof *p->is_dir);
    if (!p->targets || !p->is_dir) return snprintf(err, errlen, "out of memory"), -1;
    for (size_t i = 0; i < c->n_mounts; i++) {
        struct stat st;
        bad |= ck_node_pathf(p->targets[i], sizeof p->targets[i], "%s%s%s", p->rootfs,
                        c->mounts[i].container_path[0] == '/' ? "" : "/", c->mounts[i].container_path);
        p->is_dir[i] = stat(c->mounts[i].host_path, &st) != 0 || S_ISDIR(st.st_mode);
    }
    if (bad) return snprintf(err, errlen, "container paths too long under %s", c->dir), -1;
    char up[LX_PATH + 16], work[LX_PATH + 16];
    ck_node_pathf(up, sizeof up, "%s/upper", c->dir);
    ck_node_pathf(work, sizeof work, "%s/work", c->dir);
    if (ck_mkdir_p(up, err, errlen) || ck_mkdir_p(work, err, errlen) || ck_mkdir_p(p->rootfs, err, errlen)) return -1;
    p->log_fd = open(c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (p->log_fd < 0) return snprintf(err, errlen, "open log %s: %s", c->log_path, strerror(errno)), -1;
    (void)rt;
    return 0;
}

static void free_plan(plan *p)
{
    free(p->targets);
    free(p->is_dir);
    if (p->log_fd >= 0) close(p->log_fd);
}

/* Reads until EOF: the exec error, or nothing when exec succeeded. */
static size_t read_all(int fd, char *buf, size_t n)
{
    size_t got = 0;
    ssize_t r;
    while (got + 1 < n && ((r = read(fd, buf + got, n - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
        if (r > 0) got += (size_t)r;
    buf[got] = 0;
    return got;
}

int lx_container_spawn(lx_runtime *rt, lx_sandbox *s, lx_container *c, char *err, size_t errlen)
{
    plan p;
    int errp[2] = {-1, -1}, pidp[2] = {-1, -1};
    if (build_plan(rt, s, c, &p, err, errlen) < 0 || pipe2(errp, O_CLOEXEC) < 0 || pipe2(pidp, O_CLOEXEC) < 0) {
        if (errp[0] >= 0) close(errp[0]), close(errp[1]);
        free_plan(&p);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(errp[0]);
        close(pidp[0]);
        shim(&p, c, errp[1], pidp[1]);
    }
    close(errp[1]);
    close(pidp[1]);
    free_plan(&p);
    int rc = 0;
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        rc = -1;
    } else {
        pid_t init = 0;
        if (read(pidp[0], &init, sizeof init) != (ssize_t)sizeof init) init = 0;
        char msg[sizeof c->st.message];
        c->shim = pid;
        c->init = init;
        c->st.pid = init;
        if (read_all(errp[0], msg, sizeof msg) > 0) {
            snprintf(err, errlen, "%s", msg);
            rc = -1;
        }
    }
    close(errp[0]);
    close(pidp[0]);
    return rc;
}

/* The exec'd process: in init's namespaces (the shim-like middle process
 * joined them), reports output through outfd. */
static void exec_child(lx_container *c, const int nsfd[5], const char *const *argv, int outfd)
{
    for (int i = 0; i < 5; i++)
        if (nsfd[i] >= 0 && setns(nsfd[i], 0) < 0) {
            say(outfd, "setns: ", strerror(errno), "\n");
            _exit(126);
        }
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (chdir(c->working_dir && *c->working_dir ? c->working_dir : "/") < 0 && chdir("/") < 0) _exit(126);
        become_user(c, outfd); /* exec runs as the container's user, as runc exec does */
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) dup2(nul, 0);
        dup2(outfd, 1);
        dup2(outfd, 2);
        syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
        exec_search((char *const *)argv, c->env, 2);
    }
    int st;
    while (pid > 0 && waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) _exit(126);
    _exit(pid < 0 ? 126 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static int collect_output(int fd, pid_t pid, long timeout_s, char **output, bool *timed_out)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf) return -1;
    int64_t deadline = timeout_s > 0 ? (int64_t)time(NULL) + timeout_s : 0;
    for (;;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = poll(&pfd, 1, 200);
        if (r > 0) {
            if (len + 1024 > cap) {
                char *n = realloc(buf, cap * 2);
                if (!n) break;
                buf = n;
                cap *= 2;
            }
            ssize_t got = read(fd, buf + len, cap - len - 1);
            if (got <= 0 && errno != EINTR) break;
            if (got > 0) len += (size_t)got;
        }
        if (deadline && time(NULL) >= deadline) {
            kill(pid, SIGKILL);
            *timed_out = true;
            break;
        }
    }
    buf[len] = 0;
    *output = buf;
    return 0;
}

int lx_container_exec(lx_container *c, const char *const *argv, long timeout_s, char **output,
                      int *exit_code, char *err, size_t errlen)
{
    static const char *const kinds[5] = {"ipc", "uts", "net", "pid", "mnt"};
    int nsfd[5], outp[2];
    char path[64];
    if (c->init <= 0) return snprintf(err, errlen, "container %s is not running", c->st.id), -1;
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)c->init, kinds[i]);
        nsfd[i] = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (nsfd[4] < 0 || pipe2(outp, O_CLOEXEC) < 0) {
        for (int i = 0; i < 5; i++)
            if (nsfd[i] >= 0) close(nsfd[i]);
        return snprintf(err, errlen, "container %s is not running", c->st.id), -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(outp[0]);
        exec_child(c, nsfd, argv, outp[1]);
    }
    for (int i = 0; i < 5; i++) close(nsfd[i]);
    close(outp[1]);
    if (pid < 0) {
        close(outp[0]);
        return snprintf(err, errlen, "fork: %s", strerror(errno)), -1;
    }
    bool timed_out = false;
    int rc = collect_output(outp[0], pid, timeout_s, output, &timed_out);
    close(outp[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (rc < 0) return snprintf(err, errlen, "out of memory"), -1;
    if (timed_out) {
        snprintf(err, errlen, "command timed out after %lds", timeout_s);
        return -1;
    }
    return 0;
}
