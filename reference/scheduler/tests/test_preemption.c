/* test_preemption.c: DefaultPreemption's choice on JSON nodes and pods
 * (default_preemption_test.go's cases): minimal victims with reprieve, the
 * pickOneNodeForPreemption order, PDB violations, preemptionPolicy Never, a
 * terminating victim on the nominated node, and the node state restored. */
#include <stdlib.h>
#include <string.h>
#include "scheduler/plugins/plugins.h"
#include "scheduler/preemption.h"
#include "util/ckjson.h"
#include "util/cktest.h"

#define NODE(name) "{\"metadata\":{\"name\":\"" name "\",\"labels\":{\"kubernetes.io/hostname\":\"" name "\"}}," \
    "\"status\":{\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\",\"pods\":\"10\"}}}"

static ck_node_info *nodes[2];
static ck_pod_info *pods[8];
static size_t npods;

static ck_pod_info *mkpod(const char *name, const char *app, int prio, const char *cpu, const char *extra_spec,
                          const char *extra_meta)
{
    char buf[1024], err[256];
    snprintf(buf, sizeof buf,
             "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\",\"uid\":\"u-%s\",\"labels\":{\"app\":\"%s\"}%s},"
             "\"spec\":{\"priority\":%d%s,\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"%s\"}}}]}}",
             name, name, app, extra_meta, prio, extra_spec, cpu);
    json_t *j = json_loads(buf, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ck_pod_info *p = ck_pod_info_new(j, err, sizeof err);
    json_decref(j);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

/* Places a pod on node i (kept for teardown). */
static void place(size_t i, ck_pod_info *p)
{
    pods[npods++] = p;
    ck_pod_info_set_node(p, nodes[i]->name);
    ck_node_info_add_pod(nodes[i], p);
}

static int setup(void)
{
    char err[256];
    const char *names[2] = {NODE("n1"), NODE("n2")};
    for (int i = 0; i < 2; i++) {
        json_t *j = json_loads(names[i], 0, NULL);
        nodes[i] = ck_node_info_new(j, err, sizeof err);
        json_decref(j);
        if (!nodes[i]) return -1;
        nodes[i]->index = (size_t)i;
    }
    npods = 0;
    return 0;
}

static int teardown(void)
{
    for (int i = 0; i < 2; i++) ck_node_info_free(nodes[i]);
    for (size_t i = 0; i < npods; i++) ck_pod_info_free(pods[i]);
    npods = 0;
    return 0;
}

/* One scheduling cycle then the PostFilter. Returns ck_preempt_select's result. */
static int run(const ck_pod_info *p, const json_t *pdbs, ck_preemption_candidate *c, char *msg, size_t n)
{
    ck_framework fw;
    ck_framework_init(&fw, NULL, 1);
    ck_schedule_result res;
    ck_diagnosis d = {0};
    msg[0] = 0;
    int rc = ck_schedule_pod(&fw, nodes, 2, p, &res, &d);
    CU_ASSERT_EQUAL(rc, 1);
    rc = rc == 1 ? ck_preempt_select(&fw, nodes, 2, p, &d, pdbs, c, msg, n) : -2;
    ck_diagnosis_clear(&d);
    return rc;
}

static const char *victim(const ck_preemption_candidate *c, size_t i)
{
    return i < c->nvictims ? ck_json_str(c->victims[i], "metadata.name", "") : "";
}

/* n1: prio 1 (1 cpu) + prio 5 (900m); n2: prio 10 (1900m). A 1-cpu pod of
 * priority 100 evicts only the prio-1 pod (prio 5 is reprieved) on n1. */
static void fill_default(void)
{
    place(0, mkpod("low1", "a", 1, "1", "", ""));
    place(0, mkpod("mid5", "b", 5, "900m", "", ""));
    place(1, mkpod("hi10", "c", 10, "1900m", "", ""));
}

static void test_minimal_victims(void)
{
    setup();
    fill_default();
    ck_pod_info *p = mkpod("pre", "x", 100, "1", "", "");
    ck_preemption_candidate c;
    char msg[512];
    int64_t req = nodes[0]->req_cpu_milli;
    CU_ASSERT_EQUAL(run(p, NULL, &c, msg, sizeof msg), 1);
    CU_ASSERT_STRING_EQUAL(c.node, "n1");
    CU_ASSERT_EQUAL(c.nvictims, 1);
    CU_ASSERT_STRING_EQUAL(victim(&c, 0), "low1");
    CU_ASSERT_STRING_EQUAL(msg, "");
    /* the dry runs leave the nodes as they were */
    CU_ASSERT_EQUAL(nodes[0]->npods, 2);
    CU_ASSERT_EQUAL(nodes[0]->req_cpu_milli, req);
    CU_ASSERT_EQUAL(nodes[1]->npods, 1);
    ck_preemption_candidate_clear(&c);
    ck_pod_info_free(p);
    teardown();
}

static void test_pdb_steers_away(void)
{
    setup();
    fill_default();
    ck_pod_info *p = mkpod("pre", "x", 100, "1", "", "");
    json_t *pdbs = json_loads("[{\"metadata\":{\"name\":\"pa\",\"namespace\":\"default\"},"
                              "\"spec\":{\"selector\":{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\","
                              "\"values\":[\"a\",\"b\"]}]}},"
                              "\"status\":{\"disruptionsAllowed\":0}}]", 0, NULL);
    ck_preemption_candidate c;
    char msg[512];
    CU_ASSERT_EQUAL(run(p, pdbs, &c, msg, sizeof msg), 1);
    CU_ASSERT_STRING_EQUAL(c.node, "n2");   /* no PDB violated there */
    CU_ASSERT_STRING_EQUAL(victim(&c, 0), "hi10");
    CU_ASSERT_EQUAL(c.num_pdb_violations, 0);
    ck_preemption_candidate_clear(&c);
    /* one disruption allowed (taken by mid5, the more important): low1 would
     * violate, so it is reprieved first and mid5 becomes the victim */
    json_object_set_new(ck_json_path(json_array_get(pdbs, 0), "status"), "disruptionsAllowed", json_integer(1));
    CU_ASSERT_EQUAL(run(p, pdbs, &c, msg, sizeof msg), 1);
    CU_ASSERT_STRING_EQUAL(c.node, "n1");
    CU_ASSERT_STRING_EQUAL(victim(&c, 0), "mid5");
    CU_ASSERT_EQUAL(c.num_pdb_violations, 0);
    ck_preemption_candidate_clear(&c);
    json_decref(pdbs);
    ck_pod_info_free(p);
    teardown();
}

/* Same highest priority: the smaller sum of priorities, then fewer victims. */
static void test_fewest_victims(void)
{
    setup();
    place(0, mkpod("a1", "a", 1, "1", "", ""));
    place(0, mkpod("a2", "a", 1, "1", "", ""));
    place(1, mkpod("b1", "b", 1, "2", "", ""));
    ck_pod_info *p = mkpod("pre", "x", 100, "1500m", "", "");
    ck_preemption_candidate c;
    char msg[512];
    CU_ASSERT_EQUAL(run(p, NULL, &c, msg, sizeof msg), 1);
    CU_ASSERT_STRING_EQUAL(c.node, "n2");
    CU_ASSERT_EQUAL(c.nvictims, 1);
    ck_preemption_candidate_clear(&c);
    ck_pod_info_free(p);
    teardown();
}

static void test_not_helpful(void)
{
    setup();
    fill_default();
    ck_preemption_candidate c;
    char msg[512];
    ck_pod_info *never = mkpod("nv", "x", 100, "1", ",\"preemptionPolicy\":\"Never\"", "");
    CU_ASSERT_EQUAL(run(never, NULL, &c, msg, sizeof msg), 0);
    CU_ASSERT_STRING_EQUAL(msg, "preemption: not eligible due to preemptionPolicy=Never");
    CU_ASSERT_EQUAL(c.nvictims, 0);
    ck_pod_info *low = mkpod("lo", "x", 0, "1", "", "");
    CU_ASSERT_EQUAL(run(low, NULL, &c, msg, sizeof msg), 0);
    CU_ASSERT_STRING_EQUAL(msg, "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod");
    ck_pod_info_free(never);
    ck_pod_info_free(low);
    teardown();
}

static void test_terminating_on_nominated(void)
{
    setup();
    place(0, mkpod("gone", "a", 1, "1900m", "",
                   ",\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"}, \"status\":{\"conditions\":[{\"type\":"
                   "\"DisruptionTarget\",\"status\":\"True\",\"reason\":\"PreemptionByScheduler\"}]"));
    place(1, mkpod("other", "b", 1, "1900m", "", ""));
    ck_preemption_candidate c;
    char msg[512];
    ck_pod_info *p = mkpod("pre", "x", 100, "1", "", "");
    /* not nominated yet: preempts (either node) */
    CU_ASSERT_EQUAL(run(p, NULL, &c, msg, sizeof msg), 1);
    ck_preemption_candidate_clear(&c);
    json_t *j = json_deep_copy(p->obj);
    ck_json_set(j, "status.nominatedNodeName", json_string("n1"));
    char err[128];
    ck_pod_info *nom = ck_pod_info_new(j, err, sizeof err);
    json_decref(j);
    CU_ASSERT_EQUAL(run(nom, NULL, &c, msg, sizeof msg), 0);
    CU_ASSERT_STRING_EQUAL(msg, "preemption: not eligible due to a terminating pod on the nominated node");
    ck_pod_info_free(nom);
    ck_pod_info_free(p);
    teardown();
}

/* "PreemptionExecutionPath runs ReplicaSets" (test/e2e/scheduling/preemption.go):
 * n1 offers 1k example.com/fakecpu, n2 none; pods of priority 1/2/3 take
 * 200+300+450. A 500 pod of priority 4 evicts the 200 and 300 ones only. */
static ck_pod_info *mkext(const char *name, int prio, const char *qty)
{
    char buf[512], err[256];
    snprintf(buf, sizeof buf,
             "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\",\"uid\":\"u-%s\"},"
             "\"spec\":{\"priority\":%d,\"containers\":[{\"name\":\"c\",\"resources\":{"
             "\"requests\":{\"example.com/fakecpu\":\"%s\"},\"limits\":{\"example.com/fakecpu\":\"%s\"}}}]}}",
             name, name, prio, qty, qty);
    json_t *j = json_loads(buf, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ck_pod_info *p = ck_pod_info_new(j, err, sizeof err);
    json_decref(j);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

static void test_extended_resource_victims(void)
{
    setup();
    char err[256];
    json_t *n1 = json_loads("{\"metadata\":{\"name\":\"n1\"},\"status\":{\"allocatable\":{\"cpu\":\"2\","
                            "\"memory\":\"4Gi\",\"pods\":\"10\",\"example.com/fakecpu\":\"1k\"}}}", 0, NULL);
    CU_ASSERT_EQUAL(ck_node_info_set_node(nodes[0], n1, err, sizeof err), 0);
    json_decref(n1);
    place(0, mkext("p1", 1, "200"));
    place(0, mkext("p2", 2, "300"));
    place(0, mkext("p3", 3, "450"));
    ck_pod_info *p = mkext("p4", 4, "500");
    ck_preemption_candidate c;
    char msg[512];
    CU_ASSERT_EQUAL(run(p, NULL, &c, msg, sizeof msg), 1);
    CU_ASSERT_STRING_EQUAL(c.node, "n1");
    CU_ASSERT_EQUAL(c.nvictims, 2);
    CU_ASSERT_STRING_EQUAL(victim(&c, 0), "p2");
    CU_ASSERT_STRING_EQUAL(victim(&c, 1), "p1");
    CU_ASSERT_EQUAL(ck_node_requested_scalar(nodes[0], "example.com/fakecpu"), 950);
    ck_preemption_candidate_clear(&c);
    ck_pod_info_free(p);
    teardown();
}

int main(void)
{
    static const ck_test tests[] = {
        {"minimal victims, lower-priority node chosen", test_minimal_victims},
        {"PodDisruptionBudget violations avoided", test_pdb_steers_away},
        {"smaller priority sum and fewer victims win", test_fewest_victims},
        {"Never and no victims are not helpful", test_not_helpful},
        {"terminating victim on the nominated node", test_terminating_on_nominated},
        {"extended resources: just enough victims", test_extended_resource_victims},
        {NULL, NULL},
    };
    return ck_test_main("preemption", tests, NULL, NULL);
}
