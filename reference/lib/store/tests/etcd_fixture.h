/* etcd_fixture.h: spawns a real, private etcd (Debian's etcd-server) for a
 * test executable: free loopback ports, a mkdtemp data dir, killed and
 * removed at the end. Header-only, for tests that need the etcd3 backend. */
#ifndef CK_STORE_TESTS_ETCD_FIXTURE_H
#define CK_STORE_TESTS_ETCD_FIXTURE_H
#define _GNU_SOURCE
#include "store/store.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct ck_etcd_proc {
    pid_t pid;
    char dir[128];
    char client_url[64];
} ck_etcd_proc;

/* A loopback port nobody listens on right now (the kernel's pick). */
static int ck_etcd_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof a) &&
        !getsockname(fd, (struct sockaddr *)&a, &len))
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

static bool ck_etcd_in_path(char *path, size_t n)
{
    const char *p = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", p ? p : "/usr/bin:/bin");
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(path, n, "%s/etcd", d);
        if (!access(path, X_OK)) return true;
    }
    return false;
}

static int ck_etcd_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void ck_etcd_stop(ck_etcd_proc *e)
{
    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        for (int i = 0; i < 100 && waitpid(e->pid, NULL, WNOHANG) == 0; i++) usleep(50000);
        if (kill(e->pid, 0) == 0) { kill(e->pid, SIGKILL); waitpid(e->pid, NULL, 0); }
        e->pid = 0;
    }
    if (e->dir[0]) nftw(e->dir, ck_etcd_rm, 16, FTW_DEPTH | FTW_PHYS);
    e->dir[0] = '\0';
}

/* Starts etcd and returns a store connected to it (caller destroys it before
 * ck_etcd_stop), or NULL with the reason in err. */
static ck_store *ck_etcd_start(ck_etcd_proc *e, char *err, size_t errlen)
{
    char bin[512], peer[64], cluster[96], data[160], log[160];
    memset(e, 0, sizeof *e);
    if (!ck_etcd_in_path(bin, sizeof bin)) {
        snprintf(err, errlen, "etcd is not installed (no etcd in PATH); install Debian's "
                 "etcd-server (make deps) to run the etcd3 backend tests");
        return NULL;
    }
    snprintf(e->dir, sizeof e->dir, "%s/ck-etcd-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(e->dir)) {
        snprintf(err, errlen, "mkdtemp %s failed", e->dir);
        e->dir[0] = '\0';
        return NULL;
    }
    int cport = ck_etcd_free_port(), pport = ck_etcd_free_port();
    snprintf(e->client_url, sizeof e->client_url, "http://127.0.0.1:%d", cport);
    snprintf(peer, sizeof peer, "http://127.0.0.1:%d", pport);
    snprintf(cluster, sizeof cluster, "ck=%s", peer);
    snprintf(data, sizeof data, "%s/data", e->dir);
    snprintf(log, sizeof log, "%s/etcd.log", e->dir);
    e->pid = fork();
    if (e->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); }
        execl(bin, "etcd", "--name", "ck", "--data-dir", data, "--listen-client-urls",
              e->client_url, "--advertise-client-urls", e->client_url, "--listen-peer-urls", peer,
              "--initial-advertise-peer-urls", peer, "--initial-cluster", cluster, (char *)NULL);
        _exit(127);
    }
    if (e->pid < 0) {
        snprintf(err, errlen, "fork failed");
        ck_etcd_stop(e);
        return NULL;
    }
    char last[512] = "";
    for (int i = 0; i < 200; i++) { /* up to 20 s: slow under valgrind */
        if (waitpid(e->pid, NULL, WNOHANG) == e->pid) {
            e->pid = 0;
            snprintf(err, errlen, "etcd exited at startup (see its log in %s)", log);
            return NULL; /* keep the dir for the log */
        }
        ck_store *s = ck_store_etcd3_new(e->client_url, last, sizeof last);
        if (s) return s;
        usleep(100000);
    }
    snprintf(err, errlen, "etcd at %s did not answer: %.300s", e->client_url, last);
    ck_etcd_stop(e);
    return NULL;
}
#endif
