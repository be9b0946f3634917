/* t_pods.c: pods on a real node, after test/e2e/common/node: the pod
 * lifecycle (pods.go), container logs and status (kubelet.go, runtime.go),
 * init containers (init_container.go), probes (container_probe.go); and the
 * rows for the env / volume tests of pod_data.c. Cluster profile. */
#define _GNU_SOURCE
#include "cluster.h"
#include "pod_data.h"
#include "websocket.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- pods.go ---- */
static void t_submit_remove(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "pod-submit-remove-");
    const char *sel = ckc_fmt(t, "time=%s", name + strlen("pod-submit-remove-"));
    CKC_CHECK(t, NULL, json_array_size(cl_live_pods(t, ns, sel)) == 0, "no pod matches %s before the create", sel);
    json_t *pod = cl_pod(t, name, "Always", NULL);
    cl_set_label(pod, "time", sel + 5);
    cl_create_pod(t, ns, pod);
    CKC_CHECK(t, NULL, json_array_size(cl_live_pods(t, ns, sel)) == 1, "the created pod must be listed by its label");
    cl_wait_running(t, ns, name);
    /* Graceful delete: the kubelet must observe it and the pod disappear. */
    const char *item = ckc_item(t, "pods", ns, name);
    ckc_resp *r = ckc_delete(t, item, ckc_parse(t, "{\"gracePeriodSeconds\":30}"));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, r->code != 200 || ckc_at(r->json, "metadata.deletionTimestamp"),
              "a graceful delete of a running pod returns it with metadata.deletionTimestamp");
    ckc_wait_gone(t, item, 60);
    CKC_CHECK(t, NULL, json_array_size(cl_live_pods(t, ns, sel)) == 0, "no pod matches %s after the delete", sel);
}

static void t_host_ip(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_create_pod(t, ns, cl_pod(t, "pod-hostip", "Always", NULL));
    json_t *p = cl_wait_running(t, ns, "pod-hostip");
    const char *ip = ckc_str(p, "status.hostIP");
    CKC_CHECK(t, NULL, ip && *ip, "a running pod must report status.hostIP");
    ckc_resp *nr = ckc_get(t, ckc_fmt(t, "/api/v1/nodes/%s", ckc_str(p, "spec.nodeName")));
    CKC_CODE(t, nr, 200);
    json_t *node = nr->json;
    size_t i; json_t *a; int found = 0;
    json_array_foreach(ckc_at(node, "status.addresses"), i, a) found |= cl_same(ckc_str(a, "address"), ip);
    CKC_CHECK(t, NULL, found, "status.hostIP %s must be an address of node %s", ip, ckc_str(p, "spec.nodeName"));
}

static void relabel(ckc_t *t, json_t *obj, void *arg) { cl_set_label(obj, "time", arg); }

static void t_updated(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "pod-update");
    cl_create_pod(t, ns, cl_pod(t, "pod-update", "Always", NULL));
    cl_wait_running(t, ns, "pod-update");
    ckc_resp *r = ckc_update(t, item, relabel, "updated");
    CKC_CODE(t, r, 200);
    json_t *pods = cl_live_pods(t, ns, "time=updated");
    CKC_CHECK(t, NULL, json_array_size(pods) == 1, "the updated label must select the pod");
    cl_wait_running(t, ns, "pod-update");
}

static void t_active_deadline(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "pod-deadline");
    cl_create_pod(t, ns, cl_pod(t, "pod-deadline", "Always", NULL));
    cl_wait_running(t, ns, "pod-deadline");
    ckc_resp *r = ckc_patch(t, item, CKC_SMP, "{\"spec\":{\"activeDeadlineSeconds\":5}}");
    CKC_CODE(t, r, 200);
    json_t *p = cl_wait_pod(t, ns, "pod-deadline", cl_pred_phase, "Failed", 60,
                            "must fail once activeDeadlineSeconds passed");
    CKC_CHECK(t, NULL, cl_same(ckc_str(p, "status.reason"), "DeadlineExceeded"),
              "status.reason must be DeadlineExceeded, got %s", ckc_str(p, "status.reason"));
}

static void t_service_env(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *srv = cl_pod(t, "server-envvars", "Always", NULL);
    cl_set_label(srv, "name", "server-envvars");
    cl_create_pod(t, ns, srv);
    cl_wait_running(t, ns, "server-envvars");
    json_t *svc = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"fooservice\"},"
                               "\"spec\":{\"selector\":{\"name\":\"server-envvars\"},"
                               "\"ports\":[{\"port\":8765,\"targetPort\":8080}]}}");
    ckc_create(t, "services", ns, "fooservice", svc);
    static const char *const want[] = {"FOOSERVICE_SERVICE_HOST=", "FOOSERVICE_SERVICE_PORT=", "FOOSERVICE_PORT=",
                                       "FOOSERVICE_PORT_8765_TCP_PORT=", "FOOSERVICE_PORT_8765_TCP_PROTO=",
                                       "FOOSERVICE_PORT_8765_TCP=", "FOOSERVICE_PORT_8765_TCP_ADDR=", NULL};
    cl_expect_output(t, ns, cl_pod(t, "client-envvars", "Never", "env"), NULL, want);
}

static void t_pod_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "pod-test");
    json_t *pod = cl_pod(t, "pod-test", "Always", NULL);
    cl_set_label(pod, "test-pod-static", "true");
    cl_create_pod(t, ns, pod);
    cl_wait_running(t, ns, "pod-test");
    ckc_resp *r = ckc_patch(t, item, CKC_SMP, "{\"metadata\":{\"labels\":{\"test-pod\":\"patched\"}}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, cl_same(ckc_label(r->json, "test-pod"), "patched"), "the patch must set the label");
    r = ckc_get(t, ckc_fmt(t, "%s/status", item));
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, cl_same(ckc_str(r->json, "status.phase"), "Running"), "pods/status of a running pod says Running");
    r = ckc_patch(t, ckc_fmt(t, "%s/status", item), CKC_SMP,
                  "{\"status\":{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"}]}}");
    CKC_CODE(t, r, 200);
    r = ckc_delete(t, item, NULL);
    CKC_CODE(t, r, 200);
    ckc_wait_gone(t, item, 60);
}

/* ---- kubelet.go ---- */
static void t_logs(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_create_pod(t, ns, cl_pod(t, "busybox-scheduling", "Always", "echo 'Hello World' ; sleep 240"));
    const char *log = cl_wait_log(t, ns, "busybox-scheduling", NULL, "Hello World", 90);
    CKC_CHECK(t, NULL, cl_same(log, "Hello World\n"), "the log must be exactly \"Hello World\\n\", got \"%.200s\"", log);
}

static int terminated(json_t *pod, void *unused)
{
    json_t *cs = cl_container_status(pod, 0, "c");
    const char *rsn = ckc_str(cs, "state.terminated.reason");
    if (!rsn) rsn = ckc_str(cs, "lastState.terminated.reason");
    return rsn && *rsn;
}

static void t_terminated_reason(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_create_pod(t, ns, cl_pod(t, "bin-false", "Always", "/bin/false"));
    json_t *p = cl_wait_pod(t, ns, "bin-false", terminated, NULL, 90,
                            "container must report a terminated state with a reason");
    json_t *cs = cl_container_status(p, 0, "c");
    json_t *term = ckc_at(cs, "state.terminated");
    if (!term) term = ckc_at(cs, "lastState.terminated");
    CKC_CHECK(t, NULL, json_integer_value(json_object_get(term, "exitCode")) == 1,
              "/bin/false must terminate with exitCode 1");
}

static void t_delete_failing(ckc_t *t)
{
    const char *ns = ckc_ns(t), *item = ckc_item(t, "pods", ns, "bin-false-del");
    cl_create_pod(t, ns, cl_pod(t, "bin-false-del", "Always", "/bin/false"));
    cl_wait_pod(t, ns, "bin-false-del", cl_pred_scheduled, NULL, 60, "must be scheduled");
    CKC_CODE(t, ckc_delete(t, item, NULL), 200);
    ckc_wait_gone(t, item, 60);
}

static void t_read_only_root(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "busybox-readonly-fs", "Always", "echo test > /file; sleep 240");
    json_object_set_new(cl_container(pod, 0, 0), "securityContext", json_pack("{s:b}", "readOnlyRootFilesystem", 1));
    cl_create_pod(t, ns, pod);
    cl_wait_log(t, ns, "busybox-readonly-fs", NULL, "Read-only file system", 90);
}

static void t_host_aliases(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "busybox-host-aliases", "Always", "cat /etc/hosts; sleep 240");
    json_object_set_new(json_object_get(pod, "spec"), "hostAliases",
                        json_pack("[{s:s, s:[s,s]}]", "ip", "123.45.67.89", "hostnames", "foo", "bar"));
    cl_create_pod(t, ns, pod);
    cl_wait_log(t, ns, "busybox-host-aliases", NULL, "123.45.67.89\tfoo\tbar", 90);
}

/* ---- runtime.go: restart policies ---- */
/* The container counts its starts in an emptyDir: exit 1, then exit 0, then run. */
#define RESTART_SCRIPT                                                                             \
    "f=/restart-count/restartCount; count=$(echo 'hello' >> $f ; wc -l $f | awk {'print $1'}); " \
    "if [ $count -eq 1 ]; then exit 1; fi; if [ $count -eq 2 ]; then exit 0; fi; "               \
    "while true; do sleep 1; done"

typedef struct exit_case { const char *name, *policy, *phase; int restarts; const char *state; } exit_case;
static const exit_case exit_cases[] = {
    {"terminate-cmd-rpa", "Always", "Running", 2, "running"},
    {"terminate-cmd-rpof", "OnFailure", "Succeeded", 1, "terminated"},
    {"terminate-cmd-rpn", "Never", "Failed", 0, "terminated"},
};

static int exit_case_done(json_t *pod, void *arg)
{
    const exit_case *c = arg;
    json_t *cs = cl_container_status(pod, 0, "c");
    return cl_pred_phase(pod, (void *)c->phase) && json_integer_value(ckc_at(cs, "restartCount")) == c->restarts &&
           ckc_at(cs, strcmp(c->state, "running") ? "state.terminated" : "state.running") != NULL;
}

static void t_exit_status(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    for (size_t i = 0; i < sizeof exit_cases / sizeof exit_cases[0]; i++) {
        const exit_case *c = &exit_cases[i];
        json_t *pod = cl_pod(t, c->name, c->policy, RESTART_SCRIPT);
        cl_add_volume(pod, json_pack("{s:s, s:{}}", "name", "restart-count", "emptyDir"), "/restart-count");
        cl_create_pod(t, ns, pod);
        cl_wait_pod(t, ns, c->name, exit_case_done, (void *)c, 150,
                    ckc_fmt(t, "restartPolicy %s: must reach phase %s, restartCount %d, state %s", c->policy,
                            c->phase, c->restarts, c->state));
    }
}

/* ---- runtime.go: termination messages ---- */
typedef struct term_case { const char *script, *policy, *path, *want; int uid; } term_case;
static int term_done(json_t *pod, void *unused) { return ckc_at(cl_container_status(pod, 0, "c"), "state.terminated") != NULL; }

static void run_term_case(ckc_t *t, const term_case *c)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "termination-message-container", "Never", c->script);
    json_t *ctr = cl_container(pod, 0, 0);
    json_object_set_new(ctr, "terminationMessagePolicy", json_string(c->policy));
    if (c->path) json_object_set_new(ctr, "terminationMessagePath", json_string(c->path));
    if (c->uid) json_object_set_new(ctr, "securityContext", json_pack("{s:i}", "runAsUser", c->uid));
    cl_create_pod(t, ns, pod);
    json_t *p = cl_wait_pod(t, ns, "termination-message-container", term_done, NULL, 90, "container must terminate");
    const char *msg = ckc_str(cl_container_status(p, 0, "c"), "state.terminated.message");
    CKC_CHECK(t, NULL, cl_same(msg ? msg : "", c->want), "state.terminated.message must be \"%s\", got \"%s\"", c->want,
              msg ? msg : "");
}

static void t_term_file(ckc_t *t)
{
    run_term_case(t, &(term_case){"echo -n OK > /dev/termination-log", "FallbackToLogsOnError", NULL, "OK", 0});
}
static void t_term_logs(ckc_t *t)
{
    run_term_case(t, &(term_case){"echo -n DONE; /bin/false", "FallbackToLogsOnError", NULL, "DONE", 0});
}
static void t_term_empty(ckc_t *t)
{
    run_term_case(t, &(term_case){"echo -n DONE; true", "FallbackToLogsOnError", NULL, "", 0});
}
static void t_term_path(ckc_t *t)
{
    run_term_case(t, &(term_case){"echo -n DONE > /dev/termination-custom-log", "File", "/dev/termination-custom-log",
                                  "DONE", 1000});
}

/* ---- init_container.go ---- */
static json_t *init_pod(ckc_t *t, const char *name, const char *policy, const char *init1, const char *main)
{
    json_t *pod = cl_pod(t, name, policy, main);
    json_object_set_new(cl_container(pod, 0, 0), "name", json_string("run1"));
    cl_add_container(pod, 1, "init1", init1);
    cl_add_container(pod, 1, "init2", "true");
    return pod;
}

static void check_inits_completed(ckc_t *t, json_t *p)
{
    const char *names[] = {"init1", "init2"};
    for (int i = 0; i < 2; i++) {
        json_t *cs = cl_container_status(p, 1, names[i]);
        CKC_CHECK(t, NULL, cl_same(ckc_str(cs, "state.terminated.reason"), "Completed"),
                  "init container %s must be terminated with reason Completed", names[i]);
    }
    CKC_CHECK(t, NULL, cl_same(cl_condition(p, "Initialized"), "True"), "condition Initialized must be True");
}

static void t_init_never(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_create_pod(t, ns, init_pod(t, "pod-init-never", "Never", "true", "true"));
    json_t *p = cl_wait_pod(t, ns, "pod-init-never", cl_pred_phase, "Succeeded", 90, "must succeed");
    check_inits_completed(t, p);
}

static void t_init_always(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_create_pod(t, ns, init_pod(t, "pod-init-always", "Always", "true", NULL));
    check_inits_completed(t, cl_wait_running(t, ns, "pod-init-always"));
}

static void t_init_fail_never(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_create_pod(t, ns, init_pod(t, "pod-init-fail", "Never", "false", NULL));
    json_t *p = cl_wait_pod(t, ns, "pod-init-fail", cl_pred_phase, "Failed", 90, "must fail");
    CKC_CHECK(t, NULL, cl_same(cl_condition(p, "Initialized"), "False"), "condition Initialized must be False");
    json_t *run = cl_container_status(p, 0, "run1");
    CKC_CHECK(t, NULL, !ckc_at(run, "state.running") && !ckc_at(run, "state.terminated.startedAt"),
              "the app container must never start");
    CKC_CHECK(t, NULL, !ckc_at(cl_container_status(p, 1, "init2"), "state.terminated.startedAt"),
              "init2 must not start after init1 failed");
}

static int init1_restarted(json_t *pod, void *unused)
{
    return json_integer_value(ckc_at(cl_container_status(pod, 1, "init1"), "restartCount")) >= 2;
}

static void t_init_fail_always(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    cl_create_pod(t, ns, init_pod(t, "pod-init-fail-always", "Always", "false", NULL));
    json_t *p = cl_wait_pod(t, ns, "pod-init-fail-always", init1_restarted, NULL, 120,
                            "init1 must be restarted (restartCount >= 2)");
    CKC_CHECK(t, NULL, cl_same(ckc_str(p, "status.phase"), "Pending"), "the pod must stay Pending");
    CKC_CHECK(t, NULL, cl_same(cl_condition(p, "Initialized"), "False"), "condition Initialized must be False");
    CKC_CHECK(t, NULL, !ckc_at(cl_container_status(p, 0, "run1"), "state.running"), "run1 must not start");
}

/* ---- container_probe.go ---- */
static time_t rfc3339(const char *s)
{
    struct tm tm = {0};
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
    return timegm(&tm);
}

static void t_readiness_delay(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "test-webserver", "Always", "echo ok > /tmp/health; sleep 600");
    json_object_set_new(cl_container(pod, 0, 0), "readinessProbe",
                        json_pack("{s:{s:[s,s]}, s:i, s:i}", "exec", "command", "cat", "/tmp/health",
                                  "initialDelaySeconds", 10, "periodSeconds", 1));
    cl_create_pod(t, ns, pod);
    json_t *p = cl_wait_running(t, ns, "test-webserver");
    json_t *cs = cl_container_status(p, 0, "c");
    time_t started = rfc3339(ckc_str(cs, "state.running.startedAt")), ready = 0;
    size_t i; json_t *c;
    json_array_foreach(ckc_at(p, "status.conditions"), i, c)
        if (cl_same(ckc_str(c, "type"), "Ready")) ready = rfc3339(ckc_str(c, "lastTransitionTime"));
    CKC_CHECK(t, NULL, started && ready && ready - started >= 9,
              "the pod must not be Ready before initialDelaySeconds 10 (started %ld, ready %ld)", (long)started,
              (long)ready);
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(cs, "restartCount")) == 0, "the container must never restart");
}

/* Watches the pod for base seconds: never Ready, never restarted. */
static void consistently_unready(ckc_t *t, const char *ns, const char *name, double base, int allow_ready)
{
    double end = ckc_now() + ckc_timeout(t, base);
    while (ckc_now() < end) {
        json_t *p = ckc_fetch(t, "pods", ns, name);
        json_t *cs = cl_container_status(p, 0, "c");
        if (!allow_ready && cl_same(cl_condition(p, "Ready"), "True")) CKC_FAIL(t, "pod %s must never be Ready", name);
        if (json_integer_value(ckc_at(cs, "restartCount")) != 0)
            CKC_FAIL(t, "pod %s must never restart, restartCount %lld", name,
                     (long long)json_integer_value(ckc_at(cs, "restartCount")));
        ckc_sleep_ms(1000);
    }
}

static void t_readiness_fails(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "test-never-ready", "Always", NULL);
    json_object_set_new(cl_container(pod, 0, 0), "readinessProbe",
                        json_pack("{s:{s:[s]}, s:i}", "exec", "command", "/bin/false", "periodSeconds", 1));
    cl_create_pod(t, ns, pod);
    cl_wait_pod(t, ns, "test-never-ready", cl_pred_phase, "Running", 90, "must be Running");
    consistently_unready(t, ns, "test-never-ready", 30, 0);
}

static int restarted_once(json_t *pod, void *n)
{
    return json_integer_value(ckc_at(cl_container_status(pod, 0, "c"), "restartCount")) >= *(int *)n;
}

typedef struct probe_case { const char *script; const char *probe; int restarts; } probe_case;
#define HTTPD "mkdir -p /www; echo ok > /www/healthz; httpd -p 8080 -h /www; "
static const probe_case probe_cases[] = {
    /* 0: exec restarted */ {"echo ok > /tmp/health; sleep 10; rm -rf /tmp/health; sleep 600",
                             "{\"exec\":{\"command\":[\"cat\",\"/tmp/health\"]},\"initialDelaySeconds\":5,\"failureThreshold\":1}", 1},
    /* 1: exec kept */ {"echo ok > /tmp/health; sleep 600",
                        "{\"exec\":{\"command\":[\"cat\",\"/tmp/health\"]},\"initialDelaySeconds\":5,\"failureThreshold\":1}", 0},
    /* 2: http restarted */ {HTTPD "sleep 10; rm /www/healthz; sleep 600",
                             "{\"httpGet\":{\"path\":\"/healthz\",\"port\":8080},\"initialDelaySeconds\":5,\"failureThreshold\":1}", 1},
    /* 3: http kept */ {HTTPD "sleep 600",
                        "{\"httpGet\":{\"path\":\"/healthz\",\"port\":8080},\"initialDelaySeconds\":5,\"failureThreshold\":1}", 0},
    /* 4: tcp kept */ {HTTPD "sleep 600",
                       "{\"tcpSocket\":{\"port\":8080},\"initialDelaySeconds\":5,\"failureThreshold\":1}", 0},
};

static void run_probe_case(ckc_t *t, const probe_case *c)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "liveness-probe", "Always", c->script);
    json_object_set_new(cl_container(pod, 0, 0), "livenessProbe", json_incref(ckc_parse(t, "%s", c->probe)));
    cl_create_pod(t, ns, pod);
    cl_wait_pod(t, ns, "liveness-probe", cl_pred_phase, "Running", 90, "must be Running");
    if (c->restarts) {
        int n = c->restarts;
        cl_wait_pod(t, ns, "liveness-probe", restarted_once, &n, 90, "the failing liveness probe must restart it");
    } else {
        consistently_unready(t, ns, "liveness-probe", 30, 1);
    }
}
static void t_live_exec_restart(ckc_t *t) { run_probe_case(t, &probe_cases[0]); }
static void t_live_exec_keep(ckc_t *t) { run_probe_case(t, &probe_cases[1]); }
static void t_live_http_restart(ckc_t *t) { run_probe_case(t, &probe_cases[2]); }
static void t_live_http_keep(ckc_t *t) { run_probe_case(t, &probe_cases[3]); }
static void t_live_tcp_keep(ckc_t *t) { run_probe_case(t, &probe_cases[4]); }

static void t_restart_monotonic(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = cl_pod(t, "liveness-monotonic", "Always", "sleep 600");
    json_object_set_new(cl_container(pod, 0, 0), "livenessProbe",
                        json_incref(ckc_parse(t, "{\"exec\":{\"command\":[\"cat\",\"/tmp/health\"]},"
                                                 "\"initialDelaySeconds\":2,\"periodSeconds\":1,\"failureThreshold\":1}")));
    cl_create_pod(t, ns, pod);
    double end = ckc_now() + ckc_timeout(t, 150);
    long long last = 0;
    while (last < 3) {
        if (ckc_now() > end) CKC_FAIL(t, "restartCount must reach 3 within %.0fs, it is %lld", ckc_timeout(t, 150), last);
        json_t *p = ckc_fetch(t, "pods", ns, "liveness-monotonic");
        long long n = json_integer_value(ckc_at(cl_container_status(p, 0, "c"), "restartCount"));
        if (n < last) CKC_FAIL(t, "restartCount went down from %lld to %lld", last, n);
        last = n;
        ckc_sleep_ms(1000);
    }
}

#define NODE "[sig-node] "
#define NC " [NodeConformance] [Conformance]"
#define PROBE NODE "Probing container "
#define TERM NODE "Container Runtime blackbox test on terminated container should report termination message "
#define INIT NODE "InitContainer [NodeConformance] "
const ckc_test ckc_tests_pods[] = {
    {"cluster.pods.submit-remove", "a pod is listed, runs, and disappears after a graceful delete", CKC_PROFILE_CLUSTER,
     NODE "Pods should be submitted and removed" NC, NULL, "v1/pods", t_submit_remove},
    {"cluster.pods.host-ip", "a running pod reports its node's address as status.hostIP", CKC_PROFILE_CLUSTER,
     NODE "Pods should get a host IP" NC, NULL, "v1/pods", t_host_ip},
    {"cluster.pods.update", "a running pod's labels can be updated", CKC_PROFILE_CLUSTER,
     NODE "Pods should be updated" NC, NULL, "v1/pods", t_updated},
    {"cluster.pods.active-deadline", "lowering activeDeadlineSeconds fails the pod with DeadlineExceeded",
     CKC_PROFILE_CLUSTER, NODE "Pods should allow activeDeadlineSeconds to be updated" NC, NULL, "v1/pods",
     t_active_deadline},
    {"cluster.pods.service-env", "containers get FOOSERVICE_* variables for services of their namespace",
     CKC_PROFILE_CLUSTER, NODE "Pods should contain environment variables for services" NC, NULL,
     "v1/pods v1/services", t_service_env},
    {"cluster.pods.lifecycle", "a pod runs, is patched, its status read and patched, then deleted", CKC_PROFILE_CLUSTER,
     NODE "Pods should run through the lifecycle of Pods and PodStatus [Conformance]", NULL, "v1/pods v1/pods/status",
     t_pod_lifecycle},
    {"cluster.pods.logs", "pods/log returns what the container printed", CKC_PROFILE_CLUSTER,
     NODE "Kubelet when scheduling a busybox command in a pod should print the output to logs" NC, NULL,
     "v1/pods v1/pods/log", t_logs},
    {"cluster.pods.terminated-reason", "a failing container reports a terminated state with reason and exit code",
     CKC_PROFILE_CLUSTER,
     NODE "Kubelet when scheduling a busybox command that always fails in a pod should have an terminated reason" NC,
     NULL, "v1/pods", t_terminated_reason},
    {"cluster.pods.delete-failing", "a pod whose container always fails can be deleted", CKC_PROFILE_CLUSTER,
     NODE "Kubelet when scheduling a busybox command that always fails in a pod should be possible to delete" NC, NULL,
     "v1/pods", t_delete_failing},
    {"cluster.pods.read-only-root", "readOnlyRootFilesystem makes writes to / fail", CKC_PROFILE_CLUSTER,
     NODE "Kubelet when scheduling a read only busybox container should not write to root filesystem [LinuxOnly]" NC,
     NULL, "v1/pods v1/pods/log", t_read_only_root},
    {"cluster.pods.host-aliases", "spec.hostAliases are written to /etc/hosts", CKC_PROFILE_CLUSTER,
     NODE "Kubelet when scheduling an agnhost Pod with hostAliases should write entries to /etc/hosts" NC, NULL,
     "v1/pods v1/pods/log", t_host_aliases},
    {"cluster.pods.restart-policy", "Always/OnFailure/Never give the expected phase, restartCount and state",
     CKC_PROFILE_CLUSTER,
     NODE "Container Runtime blackbox test when starting a container that exits should run with the expected status" NC,
     NULL, "v1/pods", t_exit_status},
    {"cluster.pods.termination-message-file", "terminated.message is read from /dev/termination-log",
     CKC_PROFILE_CLUSTER, TERM "from file when pod succeeds and TerminationMessagePolicy FallbackToLogsOnError is set" NC,
     NULL, "v1/pods", t_term_file},
    {"cluster.pods.termination-message-logs", "FallbackToLogsOnError takes the message from the log on failure",
     CKC_PROFILE_CLUSTER, TERM "from log output if TerminationMessagePolicy FallbackToLogsOnError is set" NC, NULL,
     "v1/pods", t_term_logs},
    {"cluster.pods.termination-message-empty", "FallbackToLogsOnError leaves the message empty on success",
     CKC_PROFILE_CLUSTER, TERM "as empty when pod succeeds and TerminationMessagePolicy FallbackToLogsOnError is set" NC,
     NULL, "v1/pods", t_term_empty},
    {"cluster.pods.termination-message-path", "terminationMessagePath at a non-default path, non-root user",
     CKC_PROFILE_CLUSTER, TERM "if TerminationMessagePath is set as non-root user and at a non-default path" NC, NULL,
     "v1/pods", t_term_path},
    {"cluster.pods.init-never", "init containers run to completion before the app on a RestartNever pod",
     CKC_PROFILE_CLUSTER, INIT "should invoke init containers on a RestartNever pod [Conformance]", NULL, "v1/pods",
     t_init_never},
    {"cluster.pods.init-always", "init containers complete, then the app runs on a RestartAlways pod",
     CKC_PROFILE_CLUSTER, INIT "should invoke init containers on a RestartAlways pod [Conformance]", NULL, "v1/pods",
     t_init_always},
    {"cluster.pods.init-fail-never", "a failing init container fails a RestartNever pod; the app never starts",
     CKC_PROFILE_CLUSTER,
     INIT "should not start app containers and fail the pod if init containers fail on a RestartNever pod [Conformance]",
     NULL, "v1/pods", t_init_fail_never},
    {"cluster.pods.init-fail-always", "a failing init container is restarted; the app never starts",
     CKC_PROFILE_CLUSTER, INIT "should not start app containers if init containers fail on a RestartAlways pod [Conformance]",
     NULL, "v1/pods", t_init_fail_always},
    {"cluster.probe.readiness-delay", "a readiness probe is not run before initialDelaySeconds", CKC_PROFILE_CLUSTER,
     PROBE "with readiness probe should not be ready before initial delay and never restart" NC, NULL, "v1/pods",
     t_readiness_delay},
    {"cluster.probe.readiness-fails", "a failing readiness probe keeps the pod unready, never restarted",
     CKC_PROFILE_CLUSTER, PROBE "with readiness probe that fails should never be ready and never restart" NC, NULL,
     "v1/pods", t_readiness_fails},
    {"cluster.probe.liveness-exec-restart", "a failing exec liveness probe restarts the container", CKC_PROFILE_CLUSTER,
     PROBE "should be restarted with a exec \"cat /tmp/health\" liveness probe" NC, NULL, "v1/pods",
     t_live_exec_restart},
    {"cluster.probe.liveness-exec-keep", "a passing exec liveness probe never restarts the container",
     CKC_PROFILE_CLUSTER, PROBE "should *not* be restarted with a exec \"cat /tmp/health\" liveness probe" NC, NULL,
     "v1/pods", t_live_exec_keep},
    {"cluster.probe.liveness-http-restart", "a failing HTTP liveness probe restarts the container",
     CKC_PROFILE_CLUSTER, PROBE "should be restarted with a /healthz http liveness probe" NC, NULL, "v1/pods",
     t_live_http_restart},
    {"cluster.probe.liveness-http-keep", "a passing HTTP liveness probe never restarts the container",
     CKC_PROFILE_CLUSTER, PROBE "should *not* be restarted with a /healthz http liveness probe" NC, NULL, "v1/pods",
     t_live_http_keep},
    {"cluster.probe.liveness-tcp-keep", "a passing TCP liveness probe never restarts the container",
     CKC_PROFILE_CLUSTER, PROBE "should *not* be restarted with a tcp:8080 liveness probe" NC, NULL, "v1/pods",
     t_live_tcp_keep},
    {"cluster.probe.restart-monotonic", "restartCount only grows under a failing liveness probe", CKC_PROFILE_CLUSTER,
     PROBE "should have monotonically increasing restart count" NC, NULL, "v1/pods", t_restart_monotonic},
    {"cluster.pods.exec-websocket", "pods/exec runs a command in a container", CKC_PROFILE_CLUSTER,
     "[sig-node] Pods should support remote command execution over websockets [NodeConformance] [Conformance]", NULL,
     "v1/pods v1/pods/exec", cl_t_exec_websocket},
    {"cluster.pods.logs-websocket", "pods/log streamed over a websocket", CKC_PROFILE_CLUSTER,
     "[sig-node] Pods should support retrieving logs from the container over websockets [NodeConformance] [Conformance]",
     NULL, "v1/pods v1/pods/log", cl_t_logs_websocket},
    CL_POD_DATA_ROWS
    {0},
};
