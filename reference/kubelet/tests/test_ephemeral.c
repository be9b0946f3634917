/* test_ephemeral.c: ephemeral containers on the kubelet with the fake
 * runtime: one added to a running pod is started, reported in
 * status.ephemeralContainerStatuses (not in containerStatuses nor the pod's
 * readiness), never restarted when it exits, and stopped with the pod. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "kubelet/tests/fake_kubelet.h"

static const json_t *status_named(const json_t *list, const char *name)
{
    size_t i;
    const json_t *s;
    json_array_foreach(list, i, s) if (strcmp(ck_json_str(s, "name", ""), name) == 0) return s;
    return NULL;
}

static void test_added_ephemeral_runs_once(void)
{
    ck_kubelet *k = fake_kubelet_new("ephemeral", NULL);
    json_t *p = json_loads("{\"metadata\":{\"name\":\"t\",\"namespace\":\"ns1\",\"uid\":\"u-eph\"},"
                           "\"spec\":{\"restartPolicy\":\"Always\",\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"}]}}",
                           0, NULL);
    ck_pod_worker *w = ck_pod_worker_new(p);
    CU_ASSERT_EQUAL(ck_pod_worker_sync(k, w, false), 0);
    json_t *st = ck_pod_status_build(w, "10.0.0.1");
    CU_ASSERT_PTR_NULL(json_object_get(st, "ephemeralContainerStatuses")); /* none yet */
    json_decref(st);
    /* the ephemeralcontainers subresource added one */
    json_object_set_new(json_object_get(p, "spec"), "ephemeralContainers",
                        json_pack("[{s:s,s:s,s:[s,s,s]}]", "name", "debugger", "image", "busybox", "command", "sh", "-c",
                                  "echo polo"));
    ck_pod_worker_update(w, p);
    ck_pod_worker_sync(k, w, false);
    json_t *cfg = ck_cri_fake_config(k->rt, "u-eph", "debugger");
    CU_ASSERT_PTR_NOT_NULL(cfg); /* created in the pod's sandbox */
    json_decref(cfg);
    st = ck_pod_status_build(w, "10.0.0.1");
    const json_t *es = status_named(json_object_get(st, "ephemeralContainerStatuses"), "debugger");
    CU_ASSERT_PTR_NOT_NULL(ck_json_path(es, "state.running"));
    CU_ASSERT_TRUE(json_is_false(json_object_get(es, "ready")));
    CU_ASSERT_PTR_NULL(status_named(json_object_get(st, "containerStatuses"), "debugger"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "phase", ""), "Running");
    json_decref(st);
    /* it exits: restartPolicy Always does not apply to it */
    CU_ASSERT_EQUAL(ck_cri_fake_exit(k->rt, "u-eph", "debugger", 0, "Completed"), 0);
    ck_pod_worker_sync(k, w, false);
    ck_pod_worker_sync(k, w, false);
    st = ck_pod_status_build(w, "10.0.0.1");
    es = status_named(json_object_get(st, "ephemeralContainerStatuses"), "debugger");
    CU_ASSERT_PTR_NOT_NULL(ck_json_path(es, "state.terminated"));
    CU_ASSERT_EQUAL(ck_json_int(es, "restartCount", -1), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "phase", ""), "Running"); /* the pod goes on */
    json_decref(st);
    /* a second one is added next to it; the first keeps its record */
    json_array_append_new(ck_json_path(p, "spec.ephemeralContainers"),
                          json_pack("{s:s,s:s}", "name", "debugger2", "image", "busybox"));
    ck_pod_worker_update(w, p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_EQUAL(w->n_eph, 2);
    CU_ASSERT_EQUAL(w->eph[1].cur.state, CK_CONTAINER_RUNNING);
    CU_ASSERT_EQUAL(w->eph[0].cur.state, CK_CONTAINER_EXITED);
    ck_pod_worker_kill(k, w, 0);
    CU_ASSERT_NOT_EQUAL(w->eph[1].cur.state, CK_CONTAINER_RUNNING);
    ck_pod_worker_free(w);
    json_decref(p);
    fake_kubelet_free(k);
}

int main(void)
{
    static const ck_test tests[] = {
        {"an added ephemeral container runs once and reports its status", test_added_ephemeral_runs_once},
        {NULL, NULL},
    };
    return ck_test_main("kubelet ephemeral", tests, NULL, NULL);
}
