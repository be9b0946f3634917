/* bench_scheduler.c: in-process scheduler throughput, SchedulingBasic-style:
 * N nodes and M pods built as JSON (no apiserver), then for each pod one
 * scheduling cycle (parse pod, PreFilter/Filter on the sampled nodes, Score,
 * selectHost, assume). Prints pods/s for 500 and 5000 nodes. */
#include <stdio.h>
#include <stdlib.h>
#include "scheduler/cache.h"
#include "scheduler/framework.h"
#include "util/timeutil.h"

static json_t *make_node(int i)
{
    char name[64];
    snprintf(name, sizeof name, "node-%d", i);
    return json_pack("{s:s,s:s,s:{s:s,s:{s:s,s:s}},s:{},s:{s:{s:s,s:s,s:s}}}",
                     "apiVersion", "v1", "kind", "Node",
                     "metadata", "name", name, "labels", "kubernetes.io/hostname", name, "zone", i % 2 ? "a" : "b",
                     "spec", "status", "allocatable", "cpu", "4", "memory", "32Gi", "pods", "110");
}

static json_t *make_pod(int i)
{
    char name[64];
    snprintf(name, sizeof name, "pod-%d", i);
    return json_pack("{s:s,s:s,s:{s:s,s:s,s:s},s:{s:[{s:s,s:s,s:{s:{s:s,s:s}}}]}}",
                     "apiVersion", "v1", "kind", "Pod",
                     "metadata", "name", name, "namespace", "default", "creationTimestamp", "2024-01-01T00:00:00Z",
                     "spec", "containers", "name", "c", "image", "registry.k8s.io/pause:3.9",
                     "resources", "requests", "cpu", "100m", "memory", "500Mi");
}

static int run(int nnodes, int npods)
{
    ck_sched_cache *c = ck_sched_cache_new();
    json_t **pods = calloc((size_t)npods, sizeof *pods);
    char err[256];
    if (!c || !pods) return -1;
    for (int i = 0; i < nnodes; i++) {
        json_t *n = make_node(i);
        if (ck_sched_cache_set_node(c, n, err, sizeof err) < 0) { fprintf(stderr, "%s\n", err); return -1; }
        json_decref(n);
    }
    for (int i = 0; i < npods; i++) pods[i] = make_pod(i);
    ck_framework fw;
    ck_framework_init(&fw, NULL, 42);
    int scheduled = 0;
    size_t evaluated = 0;
    int64_t t0 = ck_mono_ms();
    for (int i = 0; i < npods; i++) {
        ck_pod_info *pi = ck_pod_info_new(pods[i], err, sizeof err);
        if (!pi) return -1;
        size_t nn;
        ck_sched_cache_lock(c);
        ck_node_info *const *nodes = ck_sched_cache_nodes(c, &nn);
        ck_schedule_result res;
        ck_diagnosis d = {0};
        if (ck_schedule_pod(&fw, nodes, nn, pi, &res, &d) == 0 &&
            ck_sched_cache_assume(c, pi, res.node->name) == 0)
            scheduled++;
        evaluated += res.evaluated;
        ck_sched_cache_unlock(c);
        ck_diagnosis_clear(&d);
        ck_pod_info_free(pi);
    }
    int64_t ms = ck_mono_ms() - t0;
    printf("SchedulingBasic %5d nodes %5d pods: %d scheduled in %lld ms, %.0f pods/s "
           "(%zu nodes filtered per pod: percentageOfNodesToScore adaptive)\n",
           nnodes, npods, scheduled, (long long)ms, ms > 0 ? npods * 1000.0 / (double)ms : 0.0,
           evaluated / (size_t)npods);
    for (int i = 0; i < npods; i++) json_decref(pods[i]);
    free(pods);
    ck_sched_cache_free(c);
    return scheduled == npods ? 0 : 1;
}

int main(int argc, char **argv)
{
    int npods = argc > 1 ? atoi(argv[1]) : 1000;
    int rc = run(500, npods);
    return run(5000, npods) || rc;
}
