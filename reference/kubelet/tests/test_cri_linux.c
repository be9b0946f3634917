/* test_cri_linux.c: the linux runtime for real (root, namespaces, overlayfs,
 * veth): busybox containers that write to a volume, exit non-zero, fail to
 * exec (StartError), share the pod's localhost, get exec'd into and stopped,
 * run read-only and as another user;
 * and nothing (netns, mounts, processes, directories) is left behind. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kubelet/cri/cri.h"
#include "kubelet/logs.h"
#include "node/cmd.h"
#include "util/cktest.h"

#define ROOT "/tmp/ckube-h10-cri-test"
static ck_cri *rt;
static char err[1024];

static int setup(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "test_cri_linux: needs root for namespaces and mounts\n");
        return 0; /* each test then fails with the reason */
    }
    ck_cmd(NULL, 0, "rm", "-rf", ROOT, NULL);
    ck_cri_options o = {.root_dir = ROOT, .image_dir = ROOT "/images", .pod_cidr = "10.251.7.0/24",
                        .bridge = "ckh10test"};
    rt = ck_cri_new("linux", &o, err, sizeof err);
    if (!rt) fprintf(stderr, "linux runtime: %s\n", err);
    return 0;
}

static int teardown(void)
{
    ck_cri_free(rt);
    ck_cmd(NULL, 0, "ip", "link", "del", "ckh10test", NULL);
    ck_cmd(NULL, 0, "rm", "-rf", ROOT, NULL);
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return strdup("");
    char *buf = calloc(1, 65536);
    if (buf) buf[fread(buf, 1, 65535, f)] = 0;
    fclose(f);
    return buf;
}

/* Waits up to 10 s for the container to exit. */
static ck_cri_container_status wait_exit(const char *id)
{
    ck_cri_container_status st = {0};
    for (int i = 0; i < 500; i++) {
        if (rt->ops->container_status(rt, id, &st, err, sizeof err) < 0) break;
        if (st.state == CK_CONTAINER_EXITED) break;
        usleep(20000);
    }
    return st;
}

static bool grep_file(const char *path, const char *needle)
{
    char *s = slurp(path);
    bool hit = s && strstr(s, needle);
    free(s);
    return hit;
}

/* The container's output as `kubectl logs` shows it: the CRI log read back. */
static char *log_text(const char *path)
{
    char *out = calloc(1, 65536);
    if (out) ck_log_tail_text(path, -1, -1, out, 65536);
    return out;
}

static bool grep_log(const char *path, const char *needle)
{
    char *s = log_text(path);
    bool hit = s && strstr(s, needle);
    free(s);
    return hit;
}

/* Every line of the file is a CRI log line. */
static bool all_cri(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lines = 0, bad = 0;
    ck_log_line m;
    while (f && (n = getline(&line, &cap, f)) > 0) lines++, bad += ck_log_parse(line, (size_t)n, &m) < 0;
    if (f) fclose(f);
    free(line);
    return lines > 0 && !bad;
}

static int count_dir(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    if (d) closedir(d);
    return n;
}

static const char *sandbox(char id[CK_CRI_ID_LEN], const char *name)
{
    ck_cri_sandbox_config sc = {.name = name, .namespace = "default", .uid = name, .hostname = name,
                                .dir = ROOT};
    CU_ASSERT_EQUAL_FATAL(rt->ops->run_pod_sandbox(rt, &sc, id, err, sizeof err), 0);
    return id;
}

static void test_volume_and_exit0(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
    char sb[CK_CRI_ID_LEN], id[CK_CRI_ID_LEN];
    sandbox(sb, "writer");
    ck_cmd(NULL, 0, "mkdir", "-p", ROOT "/vol", NULL);
    ck_cri_mount m = {ROOT "/vol", "/data", false};
    const char *cmd[] = {"sh", "-c", "echo hello from $(hostname) > /data/out; echo logged; ls /proc | grep -c '^[0-9]'; "
                         "echo oops >&2; printf end", NULL};
    ck_cri_container_config cc = {.name = "w", .image = "busybox:1.36", .command = cmd, .mounts = &m,
                                  .n_mounts = 1, .log_path = ROOT "/w.log"};
    CU_ASSERT_EQUAL_FATAL(rt->ops->create_container(rt, sb, &cc, id, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->start_container(rt, id, err, sizeof err), 0);
    ck_cri_container_status st = wait_exit(id);
    CU_ASSERT_EQUAL(st.state, CK_CONTAINER_EXITED);
    CU_ASSERT_EQUAL(st.exit_code, 0);
    CU_ASSERT_STRING_EQUAL(st.reason, "Completed");
    CU_ASSERT_TRUE(grep_file(ROOT "/vol/out", "hello from writer"));
    /* the CRI format, drained before the exit was reported: stderr tagged,
     * output without a final newline a partial line */
    CU_ASSERT_TRUE(all_cri(ROOT "/w.log"));
    CU_ASSERT_TRUE(grep_file(ROOT "/w.log", " stdout F logged\n"));
    CU_ASSERT_TRUE(grep_file(ROOT "/w.log", " stderr F oops\n"));
    CU_ASSERT_TRUE(grep_file(ROOT "/w.log", " stdout P end\n"));
    /* A fresh pid namespace: the container sees only its own processes: sh,
     * ls, and grep unless ls read /proc before sh forked it (the host shows hundreds). */
    char *log = log_text(ROOT "/w.log");
    const char *np = log ? strstr(log, "logged\n") : NULL;
    int nproc = np ? atoi(np + strlen("logged\n")) : -1;
    if (nproc < 2 || nproc > 3) fprintf(stderr, "log: %s\n", log ? log : "(none)");
    CU_ASSERT_TRUE(nproc == 2 || nproc == 3);
    CU_ASSERT_PTR_NOT_NULL(log && strstr(log, "oops\n"));
    CU_ASSERT_PTR_NOT_NULL(log && strstr(log, "end") && log[strlen(log) - 1] == 'd');
    free(log);
    ck_cri_sandbox_status ss;
    CU_ASSERT_EQUAL(rt->ops->pod_sandbox_status(rt, sb, &ss, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(ss.ip, "10.251.7.2");
    CU_ASSERT_EQUAL(rt->ops->remove_pod_sandbox(rt, sb, err, sizeof err), 0);
    char ns[128];
    snprintf(ns, sizeof ns, "/run/netns/ckp-%s", sb);
    CU_ASSERT_NOT_EQUAL(access(ns, F_OK), 0);
    CU_ASSERT_FALSE(grep_file("/proc/self/mounts", ROOT "/runtime"));
    CU_ASSERT_EQUAL(count_dir(ROOT "/runtime"), 0);
}

static void test_nonzero_and_start_error(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
    char sb[CK_CRI_ID_LEN], id[CK_CRI_ID_LEN], id2[CK_CRI_ID_LEN];
    sandbox(sb, "failing");
    const char *cmd[] = {"sh", "-c", "exit 3", NULL};
    ck_cri_container_config cc = {.name = "f", .image = "busybox", .command = cmd, .log_path = ROOT "/f.log"};
    CU_ASSERT_EQUAL_FATAL(rt->ops->create_container(rt, sb, &cc, id, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->start_container(rt, id, err, sizeof err), 0);
    ck_cri_container_status st = wait_exit(id);
    CU_ASSERT_EQUAL(st.exit_code, 3);
    CU_ASSERT_STRING_EQUAL(st.reason, "Error");
    const char *bad[] = {"no-such-command", NULL};
    cc.command = bad;
    CU_ASSERT_EQUAL_FATAL(rt->ops->create_container(rt, sb, &cc, id2, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->start_container(rt, id2, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "exec: \"no-such-command\": executable file not found in $PATH"));
    CU_ASSERT_EQUAL(rt->ops->container_status(rt, id2, &st, err, sizeof err), 0);
    CU_ASSERT_EQUAL(st.state, CK_CONTAINER_EXITED);
    CU_ASSERT_EQUAL(st.exit_code, 128);
    CU_ASSERT_STRING_EQUAL(st.reason, "StartError");
    cc.image = "registry.example/unknown-image:1";
    CU_ASSERT_EQUAL(rt->ops->create_container(rt, sb, &cc, id2, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not found"));
    CU_ASSERT_EQUAL(rt->ops->remove_pod_sandbox(rt, sb, err, sizeof err), 0);
}

static void test_localhost_exec_stop(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
    char sb[CK_CRI_ID_LEN], web[CK_CRI_ID_LEN], cli[CK_CRI_ID_LEN];
    sandbox(sb, "pair");
    const char *srv[] = {"sh", "-c", "mkdir -p /www; echo shared-localhost > /www/index.html; "
                         "exec httpd -f -p 8080 -h /www", NULL};
    ck_cri_container_config cc = {.name = "web", .image = "busybox", .command = srv, .log_path = ROOT "/web.log"};
    CU_ASSERT_EQUAL_FATAL(rt->ops->create_container(rt, sb, &cc, web, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(rt->ops->start_container(rt, web, err, sizeof err), 0);
    const char *get[] = {"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:8080/ && exit 0; "
                         "sleep 0.2; done; exit 1", NULL};
    ck_cri_container_config c2 = {.name = "cli", .image = "busybox", .command = get, .log_path = ROOT "/cli.log"};
    CU_ASSERT_EQUAL_FATAL(rt->ops->create_container(rt, sb, &c2, cli, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->start_container(rt, cli, err, sizeof err), 0);
    ck_cri_container_status st = wait_exit(cli);
    CU_ASSERT_EQUAL(st.exit_code, 0);
    CU_ASSERT_TRUE(grep_log(ROOT "/cli.log", "shared-localhost\n"));
    char *out = NULL;
    int code = -1;
    const char *ex[] = {"sh", "-c", "hostname; exit 4", NULL};
    CU_ASSERT_EQUAL(rt->ops->exec_sync(rt, web, ex, 5, &out, &code, err, sizeof err), 0);
    CU_ASSERT_EQUAL(code, 4);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "pair"));
    free(out);
    CU_ASSERT_EQUAL(rt->ops->container_status(rt, web, &st, err, sizeof err), 0);
    int pid = st.pid;
    CU_ASSERT_TRUE(pid > 0);
    /* httpd as pid 1 has no SIGTERM handler: the grace period ends in SIGKILL (137). */
    CU_ASSERT_EQUAL(rt->ops->stop_container(rt, web, 1, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->container_status(rt, web, &st, err, sizeof err), 0);
    CU_ASSERT_EQUAL(st.state, CK_CONTAINER_EXITED);
    CU_ASSERT_EQUAL(st.exit_code, 137);
    char proc[32];
    snprintf(proc, sizeof proc, "/proc/%d", pid);
    CU_ASSERT_NOT_EQUAL(access(proc, F_OK), 0);
    CU_ASSERT_EQUAL(rt->ops->remove_pod_sandbox(rt, sb, err, sizeof err), 0);
    CU_ASSERT_EQUAL(count_dir(ROOT "/runtime"), 0);
}

/* securityContext: a read-only root (EROFS, volumes stay writable) and the
 * process's uid, gid and supplementary groups, also for exec. */
static void test_security_context(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
    char sb[CK_CRI_ID_LEN], id[CK_CRI_ID_LEN];
    sandbox(sb, "secure");
    ck_cmd(NULL, 0, "mkdir", "-p", ROOT "/svol", NULL);
    chmod(ROOT "/svol", 0777);
    ck_cri_mount m = {ROOT "/svol", "/data", false};
    const char *cmd[] = {"sh", "-c", "id; echo x > /file || echo root-write-failed; echo y > /data/f && echo vol-ok; "
                         "sleep 30", NULL};
    const uint32_t groups[] = {3000, 4000};
    ck_cri_container_config cc = {.name = "s", .image = "busybox", .command = cmd, .mounts = &m, .n_mounts = 1,
                                  .log_path = ROOT "/s.log", .readonly_rootfs = true, .run_as_user = 1001,
                                  .run_as_group = 2002, .supplemental_groups = groups, .n_supplemental_groups = 2};
    CU_ASSERT_EQUAL_FATAL(rt->ops->create_container(rt, sb, &cc, id, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(rt->ops->start_container(rt, id, err, sizeof err), 0);
    for (int i = 0; i < 100 && !grep_log(ROOT "/s.log", "vol-ok"); i++) usleep(50000);
    CU_ASSERT_TRUE(grep_log(ROOT "/s.log", "uid=1001 gid=2002 groups=3000,4000"));
    CU_ASSERT_TRUE(grep_log(ROOT "/s.log", "Read-only file system"));
    CU_ASSERT_TRUE(grep_log(ROOT "/s.log", "root-write-failed"));
    CU_ASSERT_TRUE(grep_log(ROOT "/s.log", "vol-ok\n"));
    char *out = NULL;
    int code = -1;
    const char *ex[] = {"id", "-u", NULL};
    CU_ASSERT_EQUAL(rt->ops->exec_sync(rt, id, ex, 5, &out, &code, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "1001"));
    free(out);
    CU_ASSERT_EQUAL(rt->ops->stop_container(rt, id, 0, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->remove_pod_sandbox(rt, sb, err, sizeof err), 0);
}

int main(void)
{
    static const ck_test tests[] = {
        {"busybox writes to a volume and exits 0; nothing left behind", test_volume_and_exit0},
        {"non-zero exit, StartError, unknown image", test_nonzero_and_start_error},
        {"containers share localhost; exec; stop escalates to SIGKILL", test_localhost_exec_stop},
        {"read-only root, runAsUser/runAsGroup/groups", test_security_context},
        {NULL, NULL},
    };
    return ck_test_main("cri linux", tests, setup, teardown);
}
