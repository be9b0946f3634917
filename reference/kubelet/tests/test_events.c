/* test_events.c: the kubelet's events as upstream records them: the Event's
 * shape (source kubelet/<node>, reportingComponent, involvedObject with
 * fieldPath), the correlator (a repeat PATCHes count and lastTimestamp, a
 * different message creates another event, a patch of a deleted event falls
 * back to a create), and the events a pod worker emits through the fake
 * runtime (Pulling/Pulled/Created/Started, Failed for ErrImagePull and
 * CreateContainerConfigError, Killing). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "kubelet/tests/fake_kubelet.h"

typedef struct sent { char verb[8], name[256]; json_t *body; } sent;
static sent log_[64];
static int nlog;
static bool gone_next; /* the next patch answers 404 */

static int sink(void *ud, const char *verb, const char *ns, const char *name, const json_t *body, bool *nf)
{
    *nf = false;
    if (strcmp(verb, "patch") == 0 && gone_next) {
        gone_next = false;
        *nf = true;
        return -1;
    }
    if (nlog < 64) {
        snprintf(log_[nlog].verb, sizeof log_[nlog].verb, "%s", verb);
        snprintf(log_[nlog].name, sizeof log_[nlog].name, "%s", name);
        log_[nlog++].body = json_deep_copy(body);
    }
    return 0;
}

static void reset(void)
{
    for (int i = 0; i < nlog; i++) json_decref(log_[i].body);
    nlog = 0;
}

static json_t *pod(const char *image, json_t *env)
{
    json_t *c = json_pack("{s:s,s:s,s:[s,s]}", "name", "app", "image", image, "command", "sleep", "3600");
    if (env) json_object_set_new(c, "env", env);
    return json_pack("{s:{s:s,s:s,s:s,s:s},s:{s:[o]}}", "metadata", "name", "p", "namespace", "ns1", "uid", "u-1",
                     "resourceVersion", "7", "spec", "containers", c);
}

static void test_shape_and_correlation(void)
{
    reset();
    ck_event_recorder *r = ck_event_recorder_new(NULL, "kubelet", "node-1", false);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ck_event_recorder_set_sink(r, sink, NULL);
    json_t *p = pod("busybox", NULL);
    ck_event_record(r, p, "spec.containers{app}", "Warning", "BackOff", "Back-off restarting failed container %s", "app");
    CU_ASSERT_EQUAL_FATAL(nlog, 1);
    json_t *ev = log_[0].body;
    CU_ASSERT_STRING_EQUAL(log_[0].verb, "create");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "source.component", ""), "kubelet");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "source.host", ""), "node-1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "reportingComponent", ""), "kubelet");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "reportingInstance", ""), "node-1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.kind", ""), "Pod");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.uid", ""), "u-1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.fieldPath", ""), "spec.containers{app}");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "metadata.namespace", ""), "ns1");
    CU_ASSERT_EQUAL(strncmp(ck_json_str(ev, "metadata.name", ""), "p.", 2), 0);
    CU_ASSERT_EQUAL(ck_json_int(ev, "count", 0), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "type", ""), "Warning");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "message", ""), "Back-off restarting failed container app");
    /* The same again: a patch of that event with count 2, then 3. */
    ck_event_record(r, p, "spec.containers{app}", "Warning", "BackOff", "Back-off restarting failed container %s", "app");
    ck_event_record(r, p, "spec.containers{app}", "Warning", "BackOff", "Back-off restarting failed container %s", "app");
    CU_ASSERT_EQUAL_FATAL(nlog, 3);
    CU_ASSERT_STRING_EQUAL(log_[2].verb, "patch");
    CU_ASSERT_STRING_EQUAL(log_[2].name, log_[0].name);
    CU_ASSERT_EQUAL(ck_json_int(log_[2].body, "count", 0), 3);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(log_[2].body, "lastTimestamp"));
    /* Another message or another container: a new event. */
    ck_event_record(r, p, "spec.containers{other}", "Warning", "BackOff", "Back-off restarting failed container %s", "app");
    CU_ASSERT_STRING_EQUAL(log_[3].verb, "create");
    /* The patched event was deleted: recreated with the bumped count. */
    gone_next = true;
    ck_event_record(r, p, "spec.containers{app}", "Warning", "BackOff", "Back-off restarting failed container %s", "app");
    CU_ASSERT_EQUAL_FATAL(nlog, 5);
    CU_ASSERT_STRING_EQUAL(log_[4].verb, "create");
    CU_ASSERT_EQUAL(ck_json_int(log_[4].body, "count", 0), 4);
    json_decref(p);
    ck_event_recorder_free(r);
    reset();
}

static int find(const char *reason, const char *message_prefix)
{
    for (int i = 0; i < nlog; i++)
        if (strcmp(ck_json_str(log_[i].body, "reason", ""), reason) == 0 &&
            strncmp(ck_json_str(log_[i].body, "message", ""), message_prefix, strlen(message_prefix)) == 0)
            return i;
    return -1;
}

static void test_worker_events(void)
{
    reset();
    ck_kubelet *k = fake_kubelet_new("events", sink);
    json_t *p = pod("busybox", NULL);
    ck_pod_worker *w = ck_pod_worker_new(p);
    k->rest = NULL; /* status is kept, not sent */
    CU_ASSERT_EQUAL(ck_pod_worker_sync(k, w, false), 0);
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    const char *want[][2] = {{"Pulling", "Pulling image \"busybox\""},
                             {"Pulled", "Successfully pulled image \"busybox\" in "},
                             {"Created", "Created container: app"},
                             {"Started", "Started container app"}};
    int last = -1;
    for (int j = 0; j < 4; j++) {
        int i = find(want[j][0], want[j][1]);
        CU_ASSERT_TRUE(i > last); /* in this order */
        if (i < 0) continue;
        last = i;
        CU_ASSERT_STRING_EQUAL(ck_json_str(log_[i].body, "involvedObject.fieldPath", ""), "spec.containers{app}");
        CU_ASSERT_STRING_EQUAL(ck_json_str(log_[i].body, "type", ""), "Normal");
    }
    ck_pod_event(k, w, NULL, "Warning", "FailedMount", "x");
    int i = find("FailedMount", "x");
    CU_ASSERT_TRUE(i >= 0);
    if (i >= 0) CU_ASSERT_PTR_NULL(ck_json_path(log_[i].body, "involvedObject.fieldPath"));
    ck_pod_worker_kill(k, w, 0);
    CU_ASSERT_TRUE(find("Killing", "Stopping container app") >= 0);
    ck_pod_worker_free(w);
    json_decref(p);
    reset();
    /* An image that cannot be pulled, and an env key that does not exist. */
    p = pod("doesnotexist", json_pack("[{s:s,s:{s:{s:s,s:s}}}]", "name", "X", "valueFrom", "fieldRef", "fieldPath",
                                       "metadata.nope", "apiVersion", "v1"));
    w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_TRUE(find("Failed", "Failed to pull image \"doesnotexist\"") >= 0);
    CU_ASSERT_TRUE(find("Failed", "Error: ErrImagePull") >= 0);
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_reason, "ErrImagePull");
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    json_decref(p);
    reset();
    p = pod("busybox:1.36", json_pack("[{s:s,s:{s:{s:s}}}]", "name", "X", "valueFrom", "fieldRef", "fieldPath",
                                      "metadata.nope"));
    w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_reason, "CreateContainerConfigError");
    CU_ASSERT_TRUE(find("Failed", "Error: unsupported fieldPath: metadata.nope") >= 0);
    /* IfNotPresent (a tag) and pulled before: "already present". */
    CU_ASSERT_TRUE(find("Pulling", "") >= 0);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_EQUAL(nlog, 4); /* + Pulled; the same config error is not reported again */
    CU_ASSERT_TRUE(find("Pulled", "Container image \"busybox:1.36\" already present on machine") == 3);
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    json_decref(p);
    fake_kubelet_free(k);
    reset();
}

int main(void)
{
    static const ck_test tests[] = {
        {"event shape and correlation (count bumps by PATCH)", test_shape_and_correlation},
        {"pod and container events", test_worker_events},
        {NULL, NULL},
    };
    return ck_test_main("kubelet events", tests, NULL, NULL);
}
