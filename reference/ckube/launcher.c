/* launcher.c: starts and stops a local cluster. Each component is a child
 * process in its own session with its log in <dir>/logs/<name>.log; its pid
 * is appended to <dir>/pids so `ckube down` (or a Ctrl-C in foreground
 * mode) stops them in reverse start order: TERM, a grace period, then KILL. */
#define _GNU_SOURCE
#include "ckube/launcher.h"
#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ckube/nodes.h"
#include "util/timeutil.h"

#define READY_TIMEOUT_MS 30000
#define STOP_GRACE_MS 10000

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

static bool executable(const char *path) { return access(path, X_OK) == 0; }

static int record_pid(const char *dir, const char *name, pid_t pid)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/pids", dir);
    FILE *f = fopen(path, "a");
    if (!f) return -1;
    fprintf(f, "%s %d\n", name, (int)pid);
    return fclose(f);
}

pid_t ck_spawn(const char *dir, const char *name, char *const argv[], char *err, size_t errlen)
{
    char logdir[4096], log[4200];
    snprintf(logdir, sizeof logdir, "%s/logs", dir);
    mkdir(logdir, 0755);
    snprintf(log, sizeof log, "%s/%s.log", logdir, name);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", log, strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (pid == 0) {
        setsid();
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execv(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fd);
    if (record_pid(dir, name, pid) != 0) {
        snprintf(err, errlen, "%s/pids: cannot record pid", dir);
        kill(pid, SIGKILL);
        return -1;
    }
    return pid;
}

static size_t discard(char *p, size_t s, size_t n, void *u) { return s * n; }

/* Polls url until it answers 200, the child dies, or the timeout passes. */
static int wait_ready(const char *url, pid_t child, const char *name, const char *dir, char *err, size_t errlen)
{
    CURL *c = curl_easy_init();
    if (!c) { snprintf(err, errlen, "curl init failed"); return -1; }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1000L);
    int64_t deadline = ck_mono_ms() + READY_TIMEOUT_MS;
    int rc = -1;
    while (ck_mono_ms() < deadline) {
        long code = 0;
        if (curl_easy_perform(c) == CURLE_OK && curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
            code == 200) {
            rc = 0;
            break;
        }
        int status;
        if (waitpid(child, &status, WNOHANG) == child) {
            snprintf(err, errlen, "%s exited during start-up; see %s/logs/%s.log", name, dir, name);
            curl_easy_cleanup(c);
            return -1;
        }
        usleep(100 * 1000);
    }
    curl_easy_cleanup(c);
    if (rc < 0) snprintf(err, errlen, "%s not ready at %s after %d s; see %s/logs/%s.log", name, url,
                         READY_TIMEOUT_MS / 1000, dir, name);
    return rc;
}

static int read_port(const char *path, pid_t child, char *err, size_t errlen)
{
    int64_t deadline = ck_mono_ms() + READY_TIMEOUT_MS;
    while (ck_mono_ms() < deadline) {
        FILE *f = fopen(path, "r");
        int port = 0;
        if (f) {
            if (fscanf(f, "%d", &port) != 1) port = 0;
            fclose(f);
        }
        if (port > 0) return port;
        int status;
        if (waitpid(child, &status, WNOHANG) == child) break;
        usleep(50 * 1000);
    }
    snprintf(err, errlen, "apiserver did not report its port (%s)", path);
    return -1;
}

static int write_kubeconfig(const char *dir, const char *server)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/kubeconfig", dir);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: ckube\n  cluster:\n    server: %s\n"
            "contexts:\n- name: ckube\n  context:\n    cluster: ckube\n    user: admin\n"
            "current-context: ckube\nusers:\n- name: admin\n  user: {}\n",
            server);
    return fclose(f);
}

static int start_component(const ck_cluster_opts *o, const char *dir, const char *name, const char *server,
                           const char *kubeconfig, char *err, size_t errlen)
{
    char bin[4096], v[16], conf[4200], cidr[32];
    snprintf(bin, sizeof bin, "%s/%s", o->bin_dir, name);
    if (!executable(bin)) return 0; /* not built yet: the cluster runs without it */
    snprintf(v, sizeof v, "%d", o->verbosity);
    char *argv[] = {bin, "--kubeconfig", (char *)kubeconfig, "-v", v, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    if (strcmp(name, "cloud-controller-manager") == 0) {
        if (ck_nodes_cloud_config(dir, conf, sizeof conf, cidr, sizeof cidr) != 0) {
            snprintf(err, errlen, "%s/cloud.conf: cannot write", dir);
            return -1;
        }
        char *extra[] = {"--cloud-provider=local", "--cloud-config", conf, "--cluster-cidr", cidr};
        memcpy(&argv[5], extra, sizeof extra);
    }
    return ck_spawn(dir, name, argv, err, errlen) < 0 ? -1 : 0;
}

int ck_cluster_up(const ck_cluster_opts *o, char *err, size_t errlen)
{
    char dir[4096];
    if (o->dir) {
        snprintf(dir, sizeof dir, "%s", o->dir);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "--dir %s: %s", dir, strerror(errno));
            return -1;
        }
    } else {
        snprintf(dir, sizeof dir, "/tmp/ckube-XXXXXX");
        if (!mkdtemp(dir)) { snprintf(err, errlen, "mkdtemp: %s", strerror(errno)); return -1; }
    }
    char pids[4200];
    snprintf(pids, sizeof pids, "%s/pids", dir);
    if (access(pids, F_OK) == 0) {
        snprintf(err, errlen, "%s: a cluster is already recorded there (run `ckube down --dir %s` first)", dir, dir);
        return -1;
    }
    /* etcd, the real one from Debian's etcd-server. */
    int cport = free_port(), pport = free_port();
    char curl_[64], purl[64], data[4200], etcd_health[96];
    snprintf(curl_, sizeof curl_, "http://127.0.0.1:%d", cport);
    snprintf(purl, sizeof purl, "http://127.0.0.1:%d", pport);
    snprintf(data, sizeof data, "%s/etcd", dir);
    snprintf(etcd_health, sizeof etcd_health, "%s/health", curl_);
    char initial[128];
    snprintf(initial, sizeof initial, "ckube=%s", purl);
    char *etcd_argv[] = {"/usr/bin/etcd", "--name", "ckube", "--data-dir", data, "--listen-client-urls", curl_,
                         "--advertise-client-urls", curl_, "--listen-peer-urls", purl,
                         "--initial-advertise-peer-urls", purl, "--initial-cluster", initial, NULL};
    if (!executable(etcd_argv[0])) {
        snprintf(err, errlen, "/usr/bin/etcd not found: install Debian's etcd-server (make deps)");
        return -1;
    }
    pid_t etcd = ck_spawn(dir, "etcd", etcd_argv, err, errlen);
    if (etcd < 0 || wait_ready(etcd_health, etcd, "etcd", dir, err, errlen) < 0) goto fail;

    char bin[4096], portfile[4200], port[16], v[16];
    snprintf(bin, sizeof bin, "%s/apiserver", o->bin_dir);
    snprintf(portfile, sizeof portfile, "%s/apiserver.port", dir);
    snprintf(port, sizeof port, "%d", o->apiserver_port);
    snprintf(v, sizeof v, "%d", o->verbosity);
    char audit[4200], sakey[4200];
    snprintf(audit, sizeof audit, "%s/audit.log", dir);
    snprintf(sakey, sizeof sakey, "%s/sa.key", dir); /* tokens outlive an apiserver restart */
    const char *bind = ck_nodes_supported(o) ? "0.0.0.0" : "127.0.0.1";
    char *as_argv[] = {bin, "--etcd-servers", curl_, "--port", port, "--port-file", portfile, "--bind-address",
                       (char *)bind, "--audit-log-path", audit,
                       /* a local test cluster compacts more often than a production one (5m) */
                       "--etcd-compaction-interval", "30s", "--service-account-signing-key-file", sakey,
                       "-v", v, NULL};
    unlink(portfile); /* a stale port from an earlier cluster in the same dir */
    pid_t as = ck_spawn(dir, "apiserver", as_argv, err, errlen);
    if (as < 0) goto fail;
    int aport = read_port(portfile, as, err, errlen);
    if (aport < 0) goto fail;
    char server[96], readyz[128], kubeconfig[4200];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", aport);
    snprintf(readyz, sizeof readyz, "%s/readyz", server);
    if (wait_ready(readyz, as, "apiserver", dir, err, errlen) < 0) goto fail;
    snprintf(kubeconfig, sizeof kubeconfig, "%s/kubeconfig", dir);
    if (write_kubeconfig(dir, server) != 0) {
        snprintf(err, errlen, "%s: cannot write", kubeconfig);
        goto fail;
    }
    static const char *const control_plane[] = {"controller-manager", "scheduler", "cloud-controller-manager"};
    for (size_t i = 0; i < sizeof control_plane / sizeof control_plane[0]; i++)
        if (start_component(o, dir, control_plane[i], server, kubeconfig, err, errlen) < 0) goto fail;
    if (ck_nodes_up(o, dir, aport, err, errlen) < 0) goto fail;
    printf("server: %s\nkubeconfig: %s\ndir: %s\n", server, kubeconfig, dir);
    fflush(stdout);
    return 0;
fail:;
    char derr[256];
    ck_cluster_down(dir, derr, sizeof derr);
    return -1;
}

typedef struct proc { char name[64]; pid_t pid; } proc;

/* Every live descendant of root (the kubelet's container processes), from
 * one /proc scan; they are reparented to init once the kubelet exits, so
 * they must be found before it stops. */
static size_t descendants(pid_t root, pid_t *out, size_t max)
{
    enum { MAXP = 32768 };
    static pid_t pids[MAXP], ppids[MAXP];
    size_t n = 0, found = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) && n < MAXP) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0) continue;
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = 0;
        char *rp = strrchr(buf, ')'); /* comm may contain spaces */
        int ppid;
        if (!rp || sscanf(rp + 2, "%*c %d", &ppid) != 1) continue;
        pids[n] = (pid_t)pid;
        ppids[n++] = ppid;
    }
    if (d) closedir(d);
    out[found++] = root; /* breadth-first over the parent links */
    for (size_t head = 0; head < found; head++)
        for (size_t i = 0; i < n && found < max; i++)
            if (ppids[i] == out[head]) out[found++] = pids[i];
    memmove(out, out + 1, (found - 1) * sizeof *out);
    return found - 1;
}

int ck_cluster_down(const char *dir, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/pids", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: no cluster recorded there", dir);
        return -1;
    }
    proc procs[256];
    size_t n = 0;
    int pid;
    char name[64];
    while (n < 256 && fscanf(f, "%63s %d", name, &pid) == 2) {
        snprintf(procs[n].name, sizeof procs[n].name, "%s", name);
        procs[n++].pid = pid;
    }
    fclose(f);
    /* The kubelets' containers outlive them unless stopped too. */
    pid_t orphans[4096];
    size_t norph = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(procs[i].name, "kubelet", 7) == 0)
            norph += descendants(procs[i].pid, orphans + norph, sizeof orphans / sizeof orphans[0] - norph);
    /* Reverse start order: nodes first, etcd last. */
    for (size_t i = n; i-- > 0;) kill(procs[i].pid, SIGTERM);
    int64_t deadline = ck_mono_ms() + STOP_GRACE_MS;
    for (size_t i = n; i-- > 0;) {
        while (kill(procs[i].pid, 0) == 0 && ck_mono_ms() < deadline) {
            waitpid(procs[i].pid, NULL, WNOHANG);
            usleep(20 * 1000);
        }
        if (kill(procs[i].pid, 0) == 0) kill(procs[i].pid, SIGKILL);
        waitpid(procs[i].pid, NULL, WNOHANG);
    }
    for (size_t i = 0; i < norph; i++) kill(orphans[i], SIGKILL);
    for (size_t i = 0; i < norph; i++)
        while (kill(orphans[i], 0) == 0 && ck_mono_ms() < deadline + STOP_GRACE_MS) usleep(10 * 1000);
    ck_nodes_down(dir);
    unlink(path);
    return 0;
}
