/* bench_node.c: pod start-up latency on a running cluster, as Kubernetes'
 * pod startup SLI measures it (create -> Running, seen through a watch):
 * creates N pods in a fresh namespace while a watch records when each first
 * reports phase Running, then prints p50/p99. With --dir it also prints the
 * resident memory (VmRSS now, VmHWM peak) of every process `ckube up`
 * recorded, before and after the pods. Figures only; nothing is asserted.
 * usage: bench-node --kubeconfig F [--dir D] [--pods 100] [--image busybox] */
#include <getopt.h>
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

static int64_t created_ms[MAX_PODS], running_ms[MAX_PODS];
static atomic_int running_count;
static int npods = 100;
static char ns[64];

static int on_event(ck_watch_type type, json_t *obj, void *ud)
{
    if (type != CK_WATCH_ADDED && type != CK_WATCH_MODIFIED) return 0;
    const char *name = ck_json_str(obj, "metadata.name", "");
    int i;
    if (sscanf(name, "bench-%d", &i) != 1 || i < 0 || i >= npods) return 0;
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

static void memory(const char *dir, const char *when)
{
    char path[4096], line[256];
    snprintf(path, sizeof path, "%s/pids", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char name[64];
    int pid;
    long total = 0;
    printf("memory %s:\n", when);
    while (fscanf(f, "%63s %d", name, &pid) == 2) {
        char st[64];
        snprintf(st, sizeof st, "/proc/%d/status", pid);
        FILE *s = fopen(st, "r");
        long rss = 0, hwm = 0;
        while (s && fgets(line, sizeof line, s)) {
            sscanf(line, "VmRSS: %ld", &rss);
            sscanf(line, "VmHWM: %ld", &hwm);
        }
        if (s) fclose(s);
        if (strcmp(name, "etcd") != 0) total += hwm;
        printf("  %-28s rss %7.1f MB  peak %7.1f MB\n", name, rss / 1024.0, hwm / 1024.0);
    }
    fclose(f);
    printf("  %-28s peak %7.1f MB (goal: control plane + 1 node <= 50 MB)\n", "all but etcd", total / 1024.0);
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
    int64_t deadline = ck_mono_ms() + 180000;
    while (atomic_load(&running_count) < npods && ck_mono_ms() < deadline) usleep(100 * 1000);
    int64_t lat[MAX_PODS];
    int n = 0;
    for (int i = 0; i < npods; i++)
        if (running_ms[i]) lat[n++] = running_ms[i] - created_ms[i];
    qsort(lat, (size_t)n, sizeof lat[0], cmp64);
    printf("pod startup (create -> Running via watch): %d/%d pods Running", n, npods);
    if (n) printf(", p50 %lld ms, p99 %lld ms, max %lld ms (goal p99 <= 1000 ms; upstream SLO 5 s)",
                  (long long)lat[n / 2], (long long)lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], (long long)lat[n - 1]);
    printf("\n");
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
