/* test_pod_status.c: the kubelet's pure parts: CrashLoopBackOff timing
 * (10 s doubling to 300 s, first restart immediate), getPhase for each
 * restartPolicy, container status shapes (waiting/running/terminated,
 * lastState), conditions; and the fake runtime's bookkeeping. */
#include <string.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static ck_pod_worker *worker(const char *policy)
{
    json_t *pod = json_pack("{s:{s:s,s:s,s:s},s:{s:s,s:[{s:s,s:s}],s:[{s:s,s:s}]}}", "metadata", "name", "p",
                            "namespace", "default", "uid", "u1", "spec", "restartPolicy", policy, "initContainers",
                            "name", "init", "image", "busybox", "containers", "name", "app", "image", "busybox");
    ck_pod_worker *w = ck_pod_worker_new(pod);
    json_decref(pod);
    return w;
}

static void exited(ck_ctr_record *r, int code, const char *reason)
{
    snprintf(r->id, sizeof r->id, "c-%.40s", r->name);
    r->cur.state = CK_CONTAINER_EXITED;
    r->cur.exit_code = code;
    snprintf(r->cur.reason, sizeof r->cur.reason, "%s", reason);
}

static void test_backoff(void)
{
    ck_kubelet_config cfg = {0};
    ck_ctr_record r = {0};
    CU_ASSERT_FALSE(ck_backoff_in_backoff(&cfg, &r, 0, 1000)); /* first crash: restart at once */
    ck_backoff_next(&cfg, &r, 1000);
    CU_ASSERT_EQUAL(r.backoff_ms, 10000);
    CU_ASSERT_TRUE(ck_backoff_in_backoff(&cfg, &r, 2000, 5000));
    CU_ASSERT_FALSE(ck_backoff_in_backoff(&cfg, &r, 2000, 12001));
    long expect[] = {20000, 40000, 80000, 160000, 300000, 300000};
    for (int i = 0; i < 6; i++) {
        ck_backoff_next(&cfg, &r, 13000 + i);
        CU_ASSERT_EQUAL(r.backoff_ms, expect[i]);
    }
    /* Unused for 2 x max: forgotten, back to the initial delay. */
    ck_backoff_next(&cfg, &r, 13000 + 600001 + 10);
    CU_ASSERT_EQUAL(r.backoff_ms, 10000);
    ck_kubelet_config fast = {.backoff_initial_ms = 100, .backoff_max_ms = 250};
    ck_ctr_record q = {0};
    ck_backoff_next(&fast, &q, 0);
    ck_backoff_next(&fast, &q, 1);
    ck_backoff_next(&fast, &q, 2);
    CU_ASSERT_EQUAL(q.backoff_ms, 250);
}

static void test_phase(void)
{
    ck_pod_worker *w = worker("Never");
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Pending");
    exited(&w->ctrs[0], 1, "Error");
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Failed"); /* init failed, Never */
    exited(&w->ctrs[0], 0, "Completed");
    w->init_done = true;
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Pending");
    snprintf(w->ctrs[1].id, sizeof w->ctrs[1].id, "c");
    w->ctrs[1].cur.state = CK_CONTAINER_RUNNING;
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    exited(&w->ctrs[1], 0, "Completed");
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Succeeded");
    exited(&w->ctrs[1], 2, "Error");
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Failed");
    json_object_set_new(json_object_get(w->pod, "spec"), "restartPolicy", json_string("OnFailure"));
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    json_object_set_new(json_object_get(w->pod, "spec"), "restartPolicy", json_string("Always"));
    exited(&w->ctrs[1], 0, "Completed");
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    ck_pod_worker_free(w);
}

static void test_status_shape(void)
{
    ck_pod_worker *w = worker("Always");
    json_t *st = ck_pod_status_build(w, "10.0.0.5");
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "phase", ""), "Pending");
    json_t *app = json_array_get(json_object_get(st, "containerStatuses"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(app, "state.waiting.reason", ""), "PodInitializing");
    json_t *init = json_array_get(json_object_get(st, "initContainerStatuses"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(init, "state.waiting.reason", ""), "ContainerCreating");
    json_t *c = json_array_get(json_object_get(st, "conditions"), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "type", ""), "Initialized");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "message", ""), "containers with incomplete status: [init]");
    json_decref(st);
    /* In back-off: waiting CrashLoopBackOff, lastState is the exited container. */
    exited(&w->ctrs[0], 0, "Completed");
    w->init_done = true;
    exited(&w->ctrs[1], 137, "OOMKilled");
    w->ctrs[1].restart_count = 2;
    snprintf(w->ctrs[1].waiting_reason, sizeof w->ctrs[1].waiting_reason, "CrashLoopBackOff");
    snprintf(w->pod_ip, sizeof w->pod_ip, "10.244.0.9");
    st = ck_pod_status_build(w, "10.0.0.5");
    app = json_array_get(json_object_get(st, "containerStatuses"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(app, "state.waiting.reason", ""), "CrashLoopBackOff");
    CU_ASSERT_STRING_EQUAL(ck_json_str(app, "lastState.terminated.reason", ""), "OOMKilled");
    CU_ASSERT_EQUAL(ck_json_int(app, "lastState.terminated.exitCode", 0), 137);
    CU_ASSERT_EQUAL(ck_json_int(app, "restartCount", 0), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "podIP", ""), "10.244.0.9");
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "hostIP", ""), "10.0.0.5");
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "phase", ""), "Running");
    json_decref(st);
    /* a condition the kubelet does not own (the scheduler's DisruptionTarget)
     * survives the kubelet's status, which replaces the list */
    json_object_set_new(w->pod, "status", json_pack("{s:[{s:s,s:s,s:s},{s:s,s:s}]}", "conditions", "type",
                                                    "DisruptionTarget", "status", "True", "reason",
                                                    "PreemptionByScheduler", "type", "Ready", "status", "False"));
    st = ck_pod_status_build(w, "10.0.0.5");
    size_t i, n_ready = 0;
    json_t *cond;
    const json_t *dt = NULL;
    json_array_foreach(json_object_get(st, "conditions"), i, cond) {
        if (!strcmp(ck_json_str(cond, "type", ""), "DisruptionTarget")) dt = cond;
        n_ready += !strcmp(ck_json_str(cond, "type", ""), "Ready");
    }
    CU_ASSERT_PTR_NOT_NULL(dt);
    CU_ASSERT_STRING_EQUAL(ck_json_str(dt, "reason", ""), "PreemptionByScheduler");
    CU_ASSERT_EQUAL(n_ready, 1); /* the kubelet's own Ready, not the API's copy too */
    json_decref(st);
    ck_pod_worker_free(w);
}

static void test_fake_runtime(void)
{
    char err[256], sb[CK_CRI_ID_LEN], id[CK_CRI_ID_LEN];
    ck_cri_options o = {.pod_cidr = "10.9.0.0/24"};
    ck_cri *rt = ck_cri_new("fake", &o, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
    ck_cri_sandbox_config sc = {.name = "p", .namespace = "d", .uid = "u"};
    CU_ASSERT_EQUAL(rt->ops->run_pod_sandbox(rt, &sc, sb, err, sizeof err), 0);
    ck_cri_container_config cc = {.name = "a", .image = "busybox"};
    CU_ASSERT_EQUAL(rt->ops->create_container(rt, sb, &cc, id, err, sizeof err), 0);
    CU_ASSERT_EQUAL(rt->ops->start_container(rt, id, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_cri_fake_exit(rt, "u", "a", 3, NULL), 0);
    ck_cri_container_status st;
    CU_ASSERT_EQUAL(rt->ops->container_status(rt, id, &st, err, sizeof err), 0);
    CU_ASSERT_EQUAL(st.exit_code, 3);
    CU_ASSERT_STRING_EQUAL(st.reason, "Error");
    cc.image = "doesnotexist";
    CU_ASSERT_EQUAL(rt->ops->create_container(rt, sb, &cc, id, err, sizeof err), -1);
    CU_ASSERT_EQUAL(rt->ops->remove_pod_sandbox(rt, sb, err, sizeof err), 0);
    size_t ns, nc;
    ck_cri_fake_counts(rt, &ns, &nc);
    CU_ASSERT_EQUAL(ns + nc, 0);
    ck_cri_free(rt);
}

int main(void)
{
    static const ck_test tests[] = {
        {"CrashLoopBackOff timing", test_backoff},
        {"getPhase per restartPolicy", test_phase},
        {"container statuses and conditions", test_status_shape},
        {"fake runtime bookkeeping", test_fake_runtime},
        {NULL, NULL},
    };
    return ck_test_main("kubelet status", tests, NULL, NULL);
}
