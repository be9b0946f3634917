/* test_plugins.c: each default plugin as a pure function of JSON pods and
 * nodes, with upstream's reasons and codes. */
#include <stdlib.h>
#include <string.h>
#include "scheduler/plugins/plugins.h"
#include "util/cktest.h"

static ck_node_info *node(const char *json)
{
    char err[256];
    json_t *j = json_loads(json, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ck_node_info *n = ck_node_info_new(j, err, sizeof err);
    json_decref(j);
    return n;
}

static ck_pod_info *pod(const char *json)
{
    char err[256];
    json_t *j = json_loads(json, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    ck_pod_info *p = ck_pod_info_new(j, err, sizeof err);
    json_decref(j);
    return p;
}

#define NODE(name, extra) "{\"metadata\":{\"name\":\"" name "\",\"labels\":{\"kubernetes.io/hostname\":\"" name \
    "\",\"zone\":\"z1\",\"gen\":\"5\"}},\"status\":{\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\",\"pods\":\"3\"}}" extra "}"
#define POD(name, spec) "{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"default\",\"labels\":{\"app\":\"web\"}},\"spec\":" spec "}"
#define REQ(cpu, mem) "{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"" cpu "\",\"memory\":\"" mem "\"}}}]}"

static ck_code run_filter(const ck_plugin *pl, const ck_pod_info *p, const ck_node_info *n, ck_status *st)
{
    memset(st, 0, sizeof *st);
    return pl->filter(NULL, p, n, st);
}

static void test_node_resources_fit(void)
{
    ck_node_info *n = node(NODE("n1", ""));
    ck_pod_info *big = pod(POD("big", REQ("3", "1Gi"))), *fits = pod(POD("fits", REQ("1500m", "3Gi")));
    ck_pod_info *next = pod(POD("next", REQ("600m", "2Gi")));
    ck_status st;
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, big, n, &st), CK_UNRESOLVABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "Insufficient cpu");
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, fits, n, &st), CK_SUCCESS);
    ck_node_info_add_pod(n, fits);
    /* 600m > 2 - 1.5 and 2Gi > 4Gi - 3Gi: both reasons, resolvable by preemption. */
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, next, n, &st), CK_UNSCHEDULABLE);
    CU_ASSERT_EQUAL(st.nreasons, 2);
    CU_ASSERT_STRING_EQUAL(st.reasons[1], "Insufficient memory");
    ck_pod_info *empty[2] = {pod(POD("e1", "{}")), pod(POD("e2", "{}"))};
    ck_node_info_add_pod(n, empty[0]);
    ck_node_info_add_pod(n, empty[1]);
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, empty[0], n, &st), CK_UNSCHEDULABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "Too many pods");
    /* LeastAllocated on non-zero requests: cpu (2000-1500-100-100-100)/2000, mem ... */
    int64_t s = ck_least_allocated_score(NULL, next, n);
    CU_ASSERT(s >= 0 && s < 30);
    ck_node_info_free(n);
    ck_pod_info_free(big); ck_pod_info_free(fits); ck_pod_info_free(next);
    ck_pod_info_free(empty[0]); ck_pod_info_free(empty[1]);
}

/* Extended resources are scalar resources (fitsRequest's ScalarResources):
 * absent from a node, the request is unresolvable; counted per node; init
 * containers raise the request to their max; kubernetes.io/ names count too. */
static void test_extended_resources(void)
{
    ck_node_info *none = node(NODE("n0", "")), *n = node(
        "{\"metadata\":{\"name\":\"n1\"},\"status\":{\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\","
        "\"pods\":\"10\",\"example.com/foo\":\"5\",\"hugepages-2Mi\":\"4Mi\"}}}");
    ck_pod_info *two = pod(POD("two", "{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":"
                                      "{\"example.com/foo\":\"2\"}}}]}"));
    ck_pod_info *init = pod(POD("init", "{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":"
                                       "{\"example.com/foo\":\"1\"}}}],\"initContainers\":[{\"name\":\"i\","
                                       "\"resources\":{\"requests\":{\"example.com/foo\":\"3\",\"hugepages-2Mi\":\"6Mi\"}}}]}"));
    ck_status st;
    CU_ASSERT(ck_is_scalar_resource("example.com/foo") && ck_is_scalar_resource("kubernetes.io/bar"));
    CU_ASSERT(!ck_is_scalar_resource("cpu") && !ck_is_scalar_resource("requests.example.com/foo"));
    CU_ASSERT_EQUAL(init->nscalars, 2);
    CU_ASSERT_EQUAL(ck_scalar_get(init->scalars, init->nscalars, "example.com/foo"), 3);
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, two, none, &st), CK_UNRESOLVABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "Insufficient example.com/foo");
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, two, n, &st), CK_SUCCESS);
    ck_node_info_add_pod(n, two);
    ck_node_info_add_pod(n, two);
    CU_ASSERT_EQUAL(ck_node_requested_scalar(n, "example.com/foo"), 4);
    /* 2 > 5 - 4: resolvable (preemption can free it) */
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, two, n, &st), CK_UNSCHEDULABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "Insufficient example.com/foo");
    ck_node_info_remove_pod(n, two);
    /* 3 fits (5 - 2) but 6Mi of hugepages exceed the whole 4Mi */
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_resources_fit, init, n, &st), CK_UNRESOLVABLE);
    CU_ASSERT_EQUAL(st.nreasons, 1);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "Insufficient hugepages-2Mi");
    ck_node_info_free(none); ck_node_info_free(n);
    ck_pod_info_free(two); ck_pod_info_free(init);
}

static void test_taint_toleration(void)
{
    ck_node_info *n = node(NODE("cp", ",\"spec\":{\"taints\":[{\"key\":\"node-role.kubernetes.io/control-plane\","
                                       "\"effect\":\"NoSchedule\"},{\"key\":\"soft\",\"effect\":\"PreferNoSchedule\"}]}"));
    ck_pod_info *plain = pod(POD("p", "{}"));
    ck_pod_info *tol = pod(POD("t", "{\"tolerations\":[{\"key\":\"node-role.kubernetes.io/control-plane\","
                                    "\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}"));
    ck_status st;
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_taint_toleration, plain, n, &st), CK_UNRESOLVABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_taint_toleration, tol, n, &st), CK_SUCCESS);
    CU_ASSERT_EQUAL(ck_plugin_taint_toleration.score(NULL, tol, n), 1);  /* one PreferNoSchedule */
    int64_t s[2] = {1, 0};
    ck_plugin_taint_toleration.normalize(s, 2);
    CU_ASSERT(s[0] == 0 && s[1] == 100);
    ck_node_info_free(n);
    ck_pod_info_free(plain);
    ck_pod_info_free(tol);
}

static void test_node_affinity(void)
{
    ck_node_info *n = node(NODE("n1", ""));
    ck_pod_info *sel = pod(POD("s", "{\"nodeSelector\":{\"zone\":\"z2\"}}"));
    ck_pod_info *gt = pod(POD("g", "{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
        "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"gen\",\"operator\":\"Gt\",\"values\":[\"7\"]}]},"
        "{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n1\"]}]}]},"
        "\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":7,\"preference\":{\"matchExpressions\":"
        "[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"z1\"]}]}}]}}}"));
    ck_status st;
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_affinity, sel, n, &st), CK_UNRESOLVABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) didn't match Pod's node affinity/selector");
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_affinity, gt, n, &st), CK_SUCCESS);  /* second term */
    CU_ASSERT_EQUAL(ck_plugin_node_affinity.score(NULL, gt, n), 7);
    ck_node_info_free(n);
    ck_pod_info_free(sel);
    ck_pod_info_free(gt);
}

static void test_node_ports_name_unschedulable(void)
{
    ck_node_info *n = node(NODE("n1", ",\"spec\":{\"unschedulable\":true}"));
    ck_pod_info *a = pod(POD("a", "{\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":80,\"hostPort\":8080}]}]}"));
    ck_pod_info *b = pod(POD("b", "{\"nodeName\":\"other\",\"containers\":[{\"name\":\"c\",\"ports\":"
                                  "[{\"containerPort\":80,\"hostPort\":8080,\"hostIP\":\"10.0.0.1\"}]}]}"));
    ck_pod_info *udp = pod(POD("u", "{\"containers\":[{\"name\":\"c\",\"ports\":[{\"hostPort\":8080,\"protocol\":\"UDP\"}]}]}"));
    ck_status st;
    ck_node_info_add_pod(n, a);
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_ports, b, n, &st), CK_UNSCHEDULABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) didn't have free ports for the requested pod ports");
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_ports, udp, n, &st), CK_SUCCESS);
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_name, b, n, &st), CK_UNRESOLVABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) didn't match the requested node name");
    CU_ASSERT_EQUAL(run_filter(&ck_plugin_node_unschedulable, udp, n, &st), CK_UNRESOLVABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) were unschedulable");
    ck_node_info_free(n);
    ck_pod_info_free(a); ck_pod_info_free(b); ck_pod_info_free(udp);
}

static ck_code ipa(const ck_pod_info *p, ck_node_info **nodes, size_t nn, const ck_node_info *n, ck_status *st)
{
    ck_cycle cy = {nodes, nn};
    void *state = NULL;
    memset(st, 0, sizeof *st);
    ck_code c = ck_plugin_inter_pod_affinity.prefilter(&cy, p, &state, st);
    if (c == CK_SUCCESS || c == CK_SKIP) c = ck_plugin_inter_pod_affinity.filter(state, p, n, st);
    if (state) ck_plugin_inter_pod_affinity.state_free(state);
    return c;
}

#define TERM(kind, app) "{\"affinity\":{\"" kind "\":{\"requiredDuringSchedulingIgnoredDuringExecution\":[{" \
    "\"labelSelector\":{\"matchLabels\":{\"app\":\"" app "\"}},\"topologyKey\":\"kubernetes.io/hostname\"}]}}}"

static void test_inter_pod_affinity(void)
{
    ck_node_info *nodes[2] = {node(NODE("n1", "")), node(NODE("n2", ""))};
    ck_pod_info *web = pod(POD("w", "{}"));
    ck_pod_info *anti = pod(POD("a", TERM("podAntiAffinity", "web")));
    ck_pod_info *aff = pod(POD("f", TERM("podAffinity", "web")));
    ck_pod_info *aff_db = pod(POD("d", TERM("podAffinity", "db")));
    ck_status st;
    /* First pod of a self-affine group may land anywhere. */
    CU_ASSERT_EQUAL(ipa(aff, nodes, 2, nodes[0], &st), CK_SUCCESS);
    CU_ASSERT_EQUAL(ipa(aff_db, nodes, 2, nodes[0], &st), CK_UNRESOLVABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) didn't match pod affinity rules");
    ck_node_info_add_pod(nodes[0], web);
    CU_ASSERT_EQUAL(ipa(anti, nodes, 2, nodes[0], &st), CK_UNSCHEDULABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) didn't match pod anti-affinity rules");
    CU_ASSERT_EQUAL(ipa(anti, nodes, 2, nodes[1], &st), CK_SUCCESS);
    CU_ASSERT_EQUAL(ipa(aff, nodes, 2, nodes[0], &st), CK_SUCCESS);
    CU_ASSERT_EQUAL(ipa(aff, nodes, 2, nodes[1], &st), CK_UNRESOLVABLE);
    /* An existing pod's anti-affinity keeps matching pods off its node. */
    ck_node_info_add_pod(nodes[1], anti);
    CU_ASSERT_EQUAL(ipa(web, nodes, 2, nodes[1], &st), CK_UNSCHEDULABLE);
    CU_ASSERT_STRING_EQUAL(st.reasons[0], "node(s) didn't satisfy existing pods anti-affinity rules");
    ck_node_info_free(nodes[0]); ck_node_info_free(nodes[1]);
    ck_pod_info_free(web); ck_pod_info_free(anti); ck_pod_info_free(aff); ck_pod_info_free(aff_db);
}

static void test_scores_and_framework(void)
{
    ck_node_info *nodes[2] = {node(NODE("n1", "")), node(NODE("n2", ""))};
    ck_pod_info *heavy = pod(POD("h", REQ("1", "1Gi"))), *p = pod(POD("p", REQ("500m", "1Gi")));
    ck_node_info_add_pod(nodes[0], heavy);
    CU_ASSERT(ck_least_allocated_score(NULL, p, nodes[1]) > ck_least_allocated_score(NULL, p, nodes[0]));
    /* cpu 0.25 vs mem 0.25 on n2: perfectly balanced. */
    CU_ASSERT_EQUAL(ck_plugin_balanced_allocation.score(NULL, p, nodes[1]), 100);
    CU_ASSERT(ck_plugin_balanced_allocation.score(NULL, p, nodes[0]) < 100);
    ck_framework fw;
    ck_framework_init(&fw, NULL, 7);
    ck_schedule_result res;
    ck_diagnosis d = {0};
    CU_ASSERT_EQUAL(ck_schedule_pod(&fw, nodes, 2, p, &res, &d), 0);
    CU_ASSERT_PTR_EQUAL(res.node, nodes[1]);
    CU_ASSERT_EQUAL(res.feasible, 2);
    ck_diagnosis_clear(&d);
    CU_ASSERT_EQUAL(ck_num_feasible_nodes_to_find(0, 50), 50);
    CU_ASSERT_EQUAL(ck_num_feasible_nodes_to_find(0, 5000), 500);
    CU_ASSERT_EQUAL(ck_num_feasible_nodes_to_find(0, 500), 230);
    CU_ASSERT_EQUAL(ck_num_feasible_nodes_to_find(0, 6000), 300);  /* 50 - 48 < 5% floor */
    ck_node_info_free(nodes[0]); ck_node_info_free(nodes[1]);
    ck_pod_info_free(heavy); ck_pod_info_free(p);
}

int main(void)
{
    static const ck_test tests[] = {
        {"NodeResourcesFit filter and LeastAllocated", test_node_resources_fit},
        {"NodeResourcesFit extended (scalar) resources", test_extended_resources},
        {"TaintToleration filter and score", test_taint_toleration},
        {"NodeAffinity selector, required and preferred", test_node_affinity},
        {"NodePorts, NodeName, NodeUnschedulable", test_node_ports_name_unschedulable},
        {"InterPodAffinity required terms", test_inter_pod_affinity},
        {"scores, framework host selection, sampling", test_scores_and_framework},
        {NULL, NULL},
    };
    return ck_test_main("scheduler plugins", tests, NULL, NULL);
}
