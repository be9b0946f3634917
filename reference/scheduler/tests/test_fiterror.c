/* test_fiterror.c: FailedScheduling messages as upstream's FitError.Error()
 * and the DefaultPreemption PostFilter text. */
#include <stdlib.h>
#include <string.h>
#include "scheduler/fiterror.h"
#include "util/cktest.h"

static void add(ck_diagnosis *d, ck_code code, const char *r1, const char *r2)
{
    d->failed = realloc(d->failed, (d->nfailed + 1) * sizeof *d->failed);
    ck_node_status *ns = &d->failed[d->nfailed++];
    memset(ns, 0, sizeof *ns);
    ck_status_add(&ns->status, code, r1);
    if (r2) ck_status_add(&ns->status, code, r2);
}

static void test_histogram_sorted(void)
{
    ck_diagnosis d = {.num_all_nodes = 3};
    add(&d, CK_UNRESOLVABLE, "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }", NULL);
    add(&d, CK_UNRESOLVABLE, "Insufficient cpu", NULL);
    add(&d, CK_UNRESOLVABLE, "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }", NULL);
    char *m = ck_fit_error_message(&d, "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling");
    CU_ASSERT_STRING_EQUAL(m, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
                              "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: "
                              "3 Preemption is not helpful for scheduling.");
    free(m);
    ck_diagnosis_clear(&d);
}

static void test_multiple_reasons_per_node(void)
{
    /* Both reasons of one node count; "10 x" sorts before "2 y" as strings. */
    ck_diagnosis d = {.num_all_nodes = 12};
    for (int i = 0; i < 10; i++) add(&d, CK_UNSCHEDULABLE, "Insufficient memory", NULL);
    add(&d, CK_UNSCHEDULABLE, "Insufficient cpu", "Insufficient memory");
    add(&d, CK_UNSCHEDULABLE, "Insufficient cpu", NULL);
    char *m = ck_fit_error_message(&d, NULL);
    CU_ASSERT_STRING_EQUAL(m, "0/12 nodes are available: 11 Insufficient memory, 2 Insufficient cpu.");
    free(m);
    ck_diagnosis_clear(&d);
}

static void test_prefilter_message(void)
{
    ck_diagnosis d = {.num_all_nodes = 2};
    strcpy(d.prefilter_msg, "pod has unbound immediate PersistentVolumeClaims");
    add(&d, CK_UNSCHEDULABLE, "ignored", NULL);
    char *m = ck_fit_error_message(&d, "");
    CU_ASSERT_STRING_EQUAL(m, "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
    free(m);
    ck_diagnosis_clear(&d);
}

static json_t *node(const char *name, const char *cpu)
{
    return json_pack("{s:{s:s},s:{s:{s:s,s:s,s:s}}}", "metadata", "name", name, "status", "allocatable",
                     "cpu", cpu, "memory", "1Gi", "pods", "10");
}

static void test_preemption_text(void)
{
    char err[256];
    json_t *nj[2] = {node("a", "1"), node("b", "4")};
    ck_node_info *nodes[2];
    for (int i = 0; i < 2; i++) nodes[i] = ck_node_info_new(nj[i], err, sizeof err);
    json_t *busy = json_pack("{s:{s:s,s:s},s:{s:[{s:s,s:{s:{s:s}}}]}}", "metadata", "name", "busy", "namespace",
                             "default", "spec", "containers", "name", "c", "resources", "requests", "cpu", "3500m");
    json_t *want = json_pack("{s:{s:s,s:s},s:{s:[{s:s,s:{s:{s:s}}}]}}", "metadata", "name", "w", "namespace",
                             "default", "spec", "containers", "name", "c", "resources", "requests", "cpu", "2");
    ck_pod_info *b = ck_pod_info_new(busy, err, sizeof err), *p = ck_pod_info_new(want, err, sizeof err);
    ck_node_info_add_pod(nodes[1], b);
    ck_framework fw;
    ck_framework_init(&fw, NULL, 1);
    ck_schedule_result res;
    ck_diagnosis d = {0};
    CU_ASSERT_EQUAL(ck_schedule_pod(&fw, nodes, 2, p, &res, &d), 1);
    char *pm = ck_preemption_message(&fw, nodes, 2, p, &d);
    char *m = ck_fit_error_message(&d, pm);
    /* a: 2 > allocatable 1 (unresolvable); b: the busy pod has equal priority. */
    CU_ASSERT_STRING_EQUAL(m, "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: "
                              "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
    free(pm);
    free(m);
    ck_diagnosis_clear(&d);
    ck_pod_info_free(p);
    ck_node_info_remove_pod(nodes[1], b);
    ck_pod_info_free(b);
    for (int i = 0; i < 2; i++) { ck_node_info_free(nodes[i]); json_decref(nj[i]); }
    json_decref(busy);
    json_decref(want);
}

int main(void)
{
    static const ck_test tests[] = {
        {"histogram sorted as strings, postfilter appended", test_histogram_sorted},
        {"several reasons per node", test_multiple_reasons_per_node},
        {"prefilter message replaces the histogram", test_prefilter_message},
        {"preemption diagnosis text", test_preemption_text},
        {NULL, NULL},
    };
    return ck_test_main("scheduler fiterror", tests, NULL, NULL);
}
