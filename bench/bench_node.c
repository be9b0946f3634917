/* bench_node.c: pod start-up latency on a running cluster, as Kubernetes'
 * pod startup SLI measures it (create -> Running, seen through a watch):
 * creates N pods in a fresh namespace while a watch records when each first
 * reports phase Running, then prints p50/p99. With --dir it also prints the
 * memory (Rss now, peak, Pss, private) of every process `ckube up`
 * recorded, before and after the pods. Figures only; nothing is asserted.
 * usage: bench-node --kubeconfig F [--dir D] [--pods 100] [--image busybox] */
#include <getopt.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/rest.h"
#include "client/watch.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define MAX_PODS 2000

static int64_t created_ms[MAX_PODS], scheduled_ms[MAX_PODS], running_ms[MAX_PODS];
static atomic_int running_count;
static int npods = 100;
static char ns[64];

static int on_event(ck_watch_type type, json_t *obj, void *ud)
{
    if (type != CK_WATCH_ADDED && type != CK_WATCH_MODIFIED) return 0;
    const char *name = ck_json_str(obj, "metadata.name", "");
    int i;
    if (sscanf(name, "bench-%d", &i) != 1 || i < 0 || i >= npods) return 0;
    if (scheduled_ms[i] == 0 && *ck_json_str(obj, "spec.nodeName", "")) scheduled_ms[i] = ck_mono_ms();
    if (running_ms[i] == 0 && strcmp(ck_json_str(obj, "status.phase", ""), "Running") == 0) {
        running_ms[i] = ck_mono_ms();
        atomic_fetch_add(&running_count, 1);
    }
    return 0;
}

typedef struct watcher { ck_rest *c; atomic_int cancel; } watcher;

static void *watch_thread(void *arg)
{
    watcher *w = arg;
    ck_resource_ref ref = {.version = "v1", .resource = "pods", .namespace = ns};
    ck_list_opts opts = {.timeout_seconds = 600};
    ck_response resp = {0};
    ck_rest_watch(w->c, &ref, &opts, on_event, NULL, &w->cancel, &resp);
    ck_response_clear(&resp);
    return NULL;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* p50/p99/max of to[i] - from[i] over the pods that reached `to`; the count. */
static int span(const char *what, const int64_t *from, const int64_t *to, int64_t out[3])
{
    int64_t lat[MAX_PODS];
    int n = 0;
    for (int i = 0; i < npods; i++)
        if (to[i] && from[i]) lat[n++] = to[i] - from[i];
    qsort(lat, (size_t)n, sizeof lat[0], cmp64);
    if (n) {
        out[0] = lat[n / 2], out[1] = lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], out[2] = lat[n - 1];
        if (what) printf("  %-34s p50 %5lld ms  p99 %5lld ms  max %5lld ms\n", what, (long long)out[0],
                         (long long)out[1], (long long)out[2]);
    }
    return n;
}

/* The goal's process group: the control plane and one node (etcd is not
 * counted; the cloud-controller-manager and the DNS addon are optional). */
static bool in_goal(const char *name)
{
    static const char *const goal[] = {"apiserver", "controller-manager", "scheduler", "kubelet-node-1",
                                       "kube-proxy-node-1", NULL};
    for (int i = 0; goal[i]; i++)
        if (strcmp(name, goal[i]) == 0) return true;
    return false;
}

/* kB of the "<key>:" lines of a /proc file (VmRSS/VmHWM in status; Rss,
 * Pss, Private_* in smaps_rollup). */
static void proc_kb(int pid, const char *file, const char *const *keys, long *out, size_t n)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    FILE *f = fopen(path, "r");
    for (size_t i = 0; i < n; i++) out[i] = 0;
    while (f && fgets(line, sizeof line, f))
        for (size_t i = 0; i < n; i++) {
            size_t kl = strlen(keys[i]);
            long v;
            if (strncmp(line, keys[i], kl) == 0 && line[kl] == ':' && sscanf(line + kl + 1, "%ld", &v) == 1) out[i] += v;
        }
    if (f) fclose(f);
}

/* CPU seconds (user+system, children reaped included) of each process in
 * <dir>/pids, in the order listed; returns how many. */
static int cpu_times(const char *dir, double *out, char names[][64], int max)
{
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s/pids", dir);
    FILE *f = fopen(path, "r");
    int n = 0, pid;
    while (f && n < max && fscanf(f, "%63s %d", names[n], &pid) == 2) {
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        FILE *s = fopen(path, "r");
        out[n] = 0;
        if (s && fgets(line, sizeof line, s)) {
            char *p = strrchr(line, ')'); /* fields after the command name */
            unsigned long ut, st;
            long cut, cst;
            if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld", &ut, &st, &cut, &cst) == 4)
                out[n] = (double)(ut + st + (unsigned long)cut + (unsigned long)cst) / (double)sysconf(_SC_CLK_TCK);
        }
        if (s) fclose(s);
        n++;
    }
    if (f) fclose(f);
    return n;
}

/* Rss counts every page mapped, shared libraries (libcurl, OpenSSL, glibc)
 * in full in each process; Pss splits shared pages between their users, so
 * Pss sums to the group's real footprint; Private is the process's own. */
static void memory(const char *dir, const char *when)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/pids", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char name[64];
    int pid;
    long hwm_sum = 0, rss_sum = 0, pss_sum = 0, priv_sum = 0;
    static const char *const st_keys[] = {"VmRSS", "VmHWM"};
    static const char *const sm_keys[] = {"Pss", "Private_Clean", "Private_Dirty"};
    printf("memory %s (MB; * = counted in the goal):\n", when);
    printf("  %-28s %7s %7s %7s %7s\n", "", "rss", "peak", "pss", "private");
    while (fscanf(f, "%63s %d", name, &pid) == 2) {
        long st[2], sm[3];
        proc_kb(pid, "status", st_keys, st, 2);
        proc_kb(pid, "smaps_rollup", sm_keys, sm, 3);
        bool goal = in_goal(name);
        if (goal) hwm_sum += st[1], rss_sum += st[0], pss_sum += sm[0], priv_sum += sm[1] + sm[2];
        printf("  %-26s %c %7.1f %7.1f %7.1f %7.1f\n", name, goal ? '*' : ' ', st[0] / 1024.0, st[1] / 1024.0,
               sm[0] / 1024.0, (sm[1] + sm[2]) / 1024.0);
    }
    fclose(f);
    printf("  %-28s %7.1f %7.1f %7.1f %7.1f\n", "sum of *", rss_sum / 1024.0, hwm_sum / 1024.0, pss_sum / 1024.0,
           priv_sum / 1024.0);
    printf("  goal figure: summed peak RSS of control plane + 1 node (apiserver, controller-manager, scheduler,\n"
           "  kubelet, kube-proxy; not etcd) = %.1f MB (goal <= 50 MB); their summed Pss, shared pages split, = %.1f MB\n",
           hwm_sum / 1024.0, pss_sum / 1024.0);
}

int main(int argc, char **argv)
{
    const char *kubeconfig = NULL, *dir = NULL, *image = "busybox";
    static const struct option opts[] = {{"kubeconfig", 1, 0, 'k'}, {"dir", 1, 0, 'd'}, {"pods", 1, 0, 'n'},
                                         {"image", 1, 0, 'i'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'k') kubeconfig = optarg;
        else if (c == 'd') dir = optarg;
        else if (c == 'i') image = optarg;
        else if (c == 'n') npods = atoi(optarg);
        else { fprintf(stderr, "usage: bench-node --kubeconfig F [--dir D] [--pods N] [--image I]\n"); return 2; }
    }
    if (!kubeconfig || npods <= 0 || npods > MAX_PODS) {
        fprintf(stderr, "bench-node: --kubeconfig is required and --pods must be 1..%d\n", MAX_PODS);
        return 2;
    }
    ck_rest_config cfg;
    char err[512];
    if (ck_rest_config_from_kubeconfig(&cfg, kubeconfig, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "bench-node: %s\n", err);
        return 2;
    }
    ck_rest_config_set_agent(&cfg, "bench-node");
    ck_rest *client = ck_rest_new(&cfg, err, sizeof err);
    if (!client) { fprintf(stderr, "bench-node: %s\n", err); ck_rest_config_clear(&cfg); return 2; }
    if (dir) memory(dir, "idle");
    double cpu0[32], cpu1[32];
    char names[32][64];
    int ncpu = dir ? cpu_times(dir, cpu0, names, 32) : 0;
    snprintf(ns, sizeof ns, "bench-%d", (int)getpid());
    ck_response r = {0};
    ck_resource_ref nsref = {.version = "v1", .resource = "namespaces"};
    json_t *nsobj = json_pack("{s:s,s:s,s:{s:s}}", "apiVersion", "v1", "kind", "Namespace", "metadata", "name", ns);
    ck_rest_create(client, &nsref, nsobj, &r);
    json_decref(nsobj);
    ck_response_clear(&r);
    watcher w = {.c = client};
    pthread_t t;
    pthread_create(&t, NULL, watch_thread, &w);
    usleep(300 * 1000); /* the watch is open before the first create */
    ck_resource_ref podref = {.version = "v1", .resource = "pods", .namespace = ns};
    for (int i = 0; i < npods; i++) {
        char name[32];
        snprintf(name, sizeof name, "bench-%d", i);
        json_t *pod = json_pack("{s:s,s:s,s:{s:s},s:{s:[{s:s,s:s,s:[s,s]}],s:i}}", "apiVersion", "v1", "kind", "Pod",
                                "metadata", "name", name, "spec", "containers", "name", "c", "image", image, "command",
                                "sleep", "3600", "terminationGracePeriodSeconds", 0);
        created_ms[i] = ck_mono_ms();
        if (ck_rest_create(client, &podref, pod, &r) < 0) fprintf(stderr, "bench-node: create %s: %s\n", name, r.message);
        json_decref(pod);
        ck_response_clear(&r);
    }
    int64_t created_all = ck_mono_ms() - created_ms[0];
    int64_t deadline = ck_mono_ms() + 180000;
    while (atomic_load(&running_count) < npods && ck_mono_ms() < deadline) usleep(20 * 1000);
    int64_t sp[3];
    int n = span(NULL, created_ms, running_ms, sp);
    printf("pod startup (create -> Running via watch): %d/%d pods Running", n, npods);
    if (n) printf(", p50 %lld ms, p99 %lld ms, max %lld ms (goal p99 <= 1000 ms; upstream SLO 5 s)", (long long)sp[0],
                  (long long)sp[1], (long long)sp[2]);
    printf("\n  the %d creates took %lld ms (one client, one at a time)\n", npods, (long long)created_all);
    span("create -> scheduled (nodeName seen)", created_ms, scheduled_ms, sp);
    span("scheduled -> Running", scheduled_ms, running_ms, sp);
    if (ncpu && cpu_times(dir, cpu1, names, 32) == ncpu) {
        printf("cpu seconds while the pods started (2 cores shared with the rest of the machine):\n ");
        for (int i = 0; i < ncpu; i++) printf(" %s %.2f", names[i], cpu1[i] - cpu0[i]);
        printf("\n");
    }
    if (dir) memory(dir, "with the pods");
    atomic_store(&w.cancel, 1);
    ck_resource_ref delref = {.version = "v1", .resource = "namespaces", .name = ns};
    ck_rest_delete(client, &delref, NULL, &r);
    ck_response_clear(&r);
    pthread_join(t, NULL);
    ck_rest_free(client);
    ck_rest_config_clear(&cfg);
    return n == npods ? 0 : 1;
}
