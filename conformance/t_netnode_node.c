/* t_netnode_node.c: [sig-node] and [sig-scheduling] upstream conformance
 * tests on a cluster: lifecycle hooks, ephemeral containers, kubelet-managed
 * /etc/hosts, NoExecute taint eviction, PreStop, gRPC probes, security
 * contexts, sysctls and scheduler preemption. agnhost behaviours are
 * reproduced with busybox (nn_http_server); results are read from logs or
 * through the apiserver's pods/proxy (the harness has no exec client). */
#define _GNU_SOURCE
#include "t_netnode.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Container Lifecycle Hook (test/e2e/common/node/lifecycle_hook.go) ---- */
/* The handler pod: agnhost netexec on 8080 there, nn_http_server here. */
static json_t *hook_handler(ckc_t *t, const char *ns)
{
    json_t *pod = cl_pod(t, "pod-handle-http-request", "Always", nn_http_server(t, 8080, "ok"));
    json_object_set_new(cl_container(pod, 0, 0), "ports", json_pack("[{s:i, s:s}]", "containerPort", 8080, "protocol", "TCP"));
    cl_create_pod(t, ns, pod);
    return cl_wait_running(t, ns, "pod-handle-http-request");
}

/* Upstream's testPodWithHook: run the pod, check poststart, delete with a
 * 15s grace period, check prestop; the handler's log shows the requests. */
static void hook_test(ckc_t *t, const char *ns, json_t *handler_pod, const char *name, const char *when,
                      json_t *hook, int pin)
{
    json_t *pod = cl_pod(t, name, "Always", NULL);
    json_object_set_new(cl_container(pod, 0, 0), "lifecycle", json_pack("{s:O}", when, hook));
    /* upstream pins the http-hook pod to the handler's node */
    if (pin) json_object_set_new(json_object_get(pod, "spec"), "nodeName", json_string(ckc_str(handler_pod, "spec.nodeName")));
    json_object_set_new(json_object_get(pod, "spec"), "terminationGracePeriodSeconds", json_integer(15));
    cl_create_pod(t, ns, pod);
    cl_wait_running(t, ns, name);
    const char *want_post = "GET /echo?msg=poststart", *want_pre = "GET /echo?msg=prestop";
    if (!strcmp(when, "postStart") && !nn_log_has(t, ns, "pod-handle-http-request", NULL, want_post, 120))
        CKC_FAIL(t, "the handler pod never logged \"%s\" (postStart hook of %s); handler log: %.300s", want_post, name,
                 cl_logs(t, ns, "pod-handle-http-request", NULL));
    const char *item = ckc_item(t, "pods", ns, name);
    ckc_resp *r = ckc_delete(t, item, ckc_parse(t, "{\"gracePeriodSeconds\":15}"));
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "deleting %s must succeed", name);
    ckc_wait_gone(t, item, 60);
    if (!strcmp(when, "preStop") && !nn_log_has(t, ns, "pod-handle-http-request", NULL, want_pre, 30))
        CKC_FAIL(t, "the handler pod never logged \"%s\" (preStop hook of %s); handler log: %.300s", want_pre, name,
                 cl_logs(t, ns, "pod-handle-http-request", NULL));
}

static void hook_case(ckc_t *t, const char *name, const char *when, int http)
{
    const char *ns = ckc_ns(t);
    json_t *h = hook_handler(t, ns);
    const char *msg = !strcmp(when, "postStart") ? "poststart" : "prestop", *ip = ckc_str(h, "status.podIP");
    json_t *hook;
    if (http)
        hook = json_pack("{s:{s:s, s:s, s:i}}", "httpGet", "path", ckc_fmt(t, "/echo?msg=%s", msg), "host", ip, "port", 8080);
    else /* curl http://IP:8080/echo?msg=... upstream; nc sends the same request */
        hook = json_pack("{s:{s:[s,s,s]}}", "exec", "command", "sh", "-c",
                         ckc_fmt(t, "printf 'GET /echo?msg=%s HTTP/1.0\\r\\n\\r\\n' | nc -w 5 %s 8080", msg, ip));
    hook_test(t, ns, h, name, when, ckc_ownj(t, hook), http);
}

void nn_t_poststart_exec(ckc_t *t) { hook_case(t, "pod-with-poststart-exec-hook", "postStart", 0); }
void nn_t_poststart_http(ckc_t *t) { hook_case(t, "pod-with-poststart-http-hook", "postStart", 1); }
void nn_t_prestop_exec(ckc_t *t) { hook_case(t, "pod-with-prestop-exec-hook", "preStop", 0); }
void nn_t_prestop_http(ckc_t *t) { hook_case(t, "pod-with-prestop-http-hook", "preStop", 1); }

/* ---- Ephemeral Containers (test/e2e/common/node/ephemeral_containers.go) ---- */
static json_t *ec_target(ckc_t *t, const char *ns)
{
    json_t *pod = cl_pod(t, "ephemeral-containers-target-pod", "Always", "sleep 10000");
    json_object_set_new(cl_container(pod, 0, 0), "name", json_string("test-container-1"));
    cl_create_pod(t, ns, pod);
    return cl_wait_running(t, ns, "ephemeral-containers-target-pod");
}

static json_t *ec_spec(const char *name)
{
    return json_pack("{s:s, s:s, s:[s,s,s], s:b, s:b}", "name", name, "image", CKC_BUSYBOX, "command", "/bin/sh", "-c",
                     "while true; do echo polo; sleep 2; done", "stdin", 1, "tty", 1);
}

static int ec_running(json_t *pod, void *name)
{
    size_t i; json_t *s;
    json_array_foreach(ckc_at(pod, "status.ephemeralContainerStatuses"), i, s)
        if (cl_same(ckc_str(s, "name"), name) && ckc_at(s, "state.running")) return 1;
    return 0;
}

/* AddEphemeralContainerSync: a strategic merge patch of the ephemeralcontainers
 * subresource, then wait until the container runs. */
static void ec_add_sync(ckc_t *t, const char *ns, const char *pod, const char *name)
{
    json_t *patch = ckc_ownj(t, json_pack("{s:{s:[o]}}", "spec", "ephemeralContainers", ec_spec(name)));
    char *body = ckc_own(t, json_dumps(patch, JSON_COMPACT), free);
    ckc_resp *r = ckc_patch(t, ckc_fmt(t, "%s/ephemeralcontainers", ckc_item(t, "pods", ns, pod)), CKC_SMP, body);
    CKC_CODE(t, r, 200);
    cl_wait_pod(t, ns, pod, ec_running, (void *)name, 60, ckc_fmt(t, "ephemeral container %s must run", name));
}

void nn_t_ephemeral_start(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ec_target(t, ns);
    ec_add_sync(t, ns, "ephemeral-containers-target-pod", "debugger");
    /* upstream also execs `echo marco` in it; the harness has no exec client */
    cl_wait_log(t, ns, "ephemeral-containers-target-pod", "debugger", "polo", 30);
}

static size_t ec_count(ckc_t *t, const char *sub)
{
    ckc_resp *r = ckc_get(t, sub);
    CKC_CODE(t, r, 200);
    return json_array_size(ckc_at(r->json, "spec.ephemeralContainers"));
}

void nn_t_ephemeral_update(ckc_t *t)
{
    const char *ns = ckc_ns(t), *pod = "ephemeral-containers-target-pod";
    const char *sub = ckc_fmt(t, "%s/ephemeralcontainers", ckc_item(t, "pods", ns, pod));
    ec_target(t, ns);
    ec_add_sync(t, ns, pod, "debugger");
    size_t n = ec_count(t, sub);
    CKC_CHECK(t, NULL, n == 1, "GET pods/ephemeralcontainers must list 1 ephemeral container, got %zu", n);
    /* an Update (PUT) of the subresource with a second container appended */
    ckc_resp *r = ckc_get(t, ckc_item(t, "pods", ns, pod));
    CKC_CODE(t, r, 200);
    json_t *obj = r->json, *ecs = ckc_at(obj, "spec.ephemeralContainers");
    CKC_CHECK(t, r, json_is_array(ecs), "the pod must carry spec.ephemeralContainers");
    json_array_append_new(ecs, ec_spec("debugger2"));
    r = ckc_put(t, sub, obj);
    CKC_CODE(t, r, 200);
    n = ec_count(t, sub);
    CKC_CHECK(t, NULL, n == 2, "after the update pods/ephemeralcontainers must list 2 ephemeral containers, got %zu", n);
}

/* ---- KubeletManagedEtcHosts (test/e2e/common/node/kubelet_etc_hosts.go) ---- */
#define ETC_HOSTS_MANAGED "# Kubernetes-managed hosts file."
static void etc_hosts_check(ckc_t *t, const char *ns, const char *pod, const char *c, int managed, const char *why)
{
    const char *log = cl_wait_log(t, ns, pod, c, "END-OF-HOSTS", 60);
    if (!!strstr(log, ETC_HOSTS_MANAGED) != managed)
        CKC_FAIL(t, "/etc/hosts of %s/%s must %sbe kubelet-managed (%s); it reads: %.400s", pod, c, managed ? "" : "not ",
                 why, log);
}

void nn_t_etc_hosts(ckc_t *t)
{
    const char *ns = ckc_ns(t), *script = "cat /etc/hosts; echo END-OF-HOSTS; sleep 900";
    json_t *pod = cl_pod(t, "test-pod", "Always", script);
    json_object_set_new(cl_container(pod, 0, 0), "name", json_string("busybox-1"));
    cl_add_container(pod, 0, "busybox-2", script);
    json_t *c3 = cl_add_container(pod, 0, "busybox-3", script);
    json_object_set_new(c3, "volumeMounts", json_pack("[{s:s, s:s}]", "name", "host-etc-hosts", "mountPath", "/etc/hosts"));
    json_object_set_new(json_object_get(pod, "spec"), "volumes",
                        json_pack("[{s:s, s:{s:s}}]", "name", "host-etc-hosts", "hostPath", "path", "/etc/hosts"));
    cl_create_pod(t, ns, pod);
    json_t *hpod = cl_pod(t, "test-host-network-pod", "Always", script);
    json_object_set_new(cl_container(hpod, 0, 0), "name", json_string("busybox-1"));
    cl_add_container(hpod, 0, "busybox-2", script);
    json_object_set_new(json_object_get(hpod, "spec"), "hostNetwork", json_true());
    cl_create_pod(t, ns, hpod);
    cl_wait_running(t, ns, "test-pod");
    cl_wait_running(t, ns, "test-host-network-pod");
    etc_hosts_check(t, ns, "test-pod", "busybox-1", 1, "hostNetwork=false");
    etc_hosts_check(t, ns, "test-pod", "busybox-2", 1, "hostNetwork=false");
    etc_hosts_check(t, ns, "test-pod", "busybox-3", 0, "the container mounts /etc/hosts itself");
    etc_hosts_check(t, ns, "test-host-network-pod", "busybox-1", 0, "hostNetwork=true");
    etc_hosts_check(t, ns, "test-host-network-pod", "busybox-2", 0, "hostNetwork=true");
}

/* ---- NoExecuteTaintManager (test/e2e/node/taints.go) ---- */
#define EVICT_KEY "kubernetes.io/e2e-evict-taint-key"
typedef struct untaint { ckc_run *run; char *node; } untaint;

static void strip_taint(json_t *node)
{
    json_t *taints = ckc_at(node, "spec.taints");
    for (size_t i = json_array_size(taints); i-- > 0;)
        if (cl_same(ckc_str(json_array_get(taints, i), "key"), EVICT_KEY)) json_array_remove(taints, i);
}

static void run_untaint(void *p)
{
    untaint *u = p;
    char path[300];
    snprintf(path, sizeof path, "/api/v1/nodes/%s", u->node);
    for (int attempt = 0; attempt < 5; attempt++) {
        ckc_reqspec get = {.method = "GET", .path = path};
        ckc_resp *r = ckc_request_run(u->run, &get);
        char *body = NULL;
        if (r->json) { strip_taint(r->json); body = json_dumps(r->json, JSON_COMPACT); }
        ckc_resp_free(r);
        if (!body) break;
        ckc_reqspec put = {.method = "PUT", .path = path, .body = body};
        r = ckc_request_run(u->run, &put);
        long code = r->code;
        ckc_resp_free(r);
        free(body);
        if (code != 409) break;
    }
    free(u->node); free(u);
}

static void add_taint(ckc_t *t, json_t *node, void *arg)
{
    json_t *spec = json_object_get(node, "spec");
    if (!json_is_array(json_object_get(spec, "taints"))) json_object_set_new(spec, "taints", json_array());
    strip_taint(node);
    json_array_append_new(json_object_get(spec, "taints"),
                          json_pack("{s:s, s:s, s:s}", "key", EVICT_KEY, "value", "evictTaintVal", "effect", "NoExecute"));
}
static void del_taint(ckc_t *t, json_t *node, void *arg) { strip_taint(node); }

static void taint_node(ckc_t *t, const char *node)
{
    untaint *u = calloc(1, sizeof *u);
    if (!u || !(u->node = strdup(node))) { free(u); CKC_FAIL(t, "out of memory"); }
    u->run = t->run;
    ckc_own(t, u, run_untaint);
    CKC_CODE(t, ckc_update(t, ckc_fmt(t, "/api/v1/nodes/%s", node), add_taint, NULL), 200);
}

/* createPodForTaintsTest: tolerates the evict taint for tolerationSeconds. */
static json_t *taint_pod(ckc_t *t, const char *ns, const char *name, const char *group, int seconds)
{
    json_t *pod = cl_pod(t, name, "Always", NULL);
    cl_set_label(pod, "group", group);
    json_object_set_new(json_object_get(pod, "spec"), "tolerations",
                        json_pack("[{s:s, s:s, s:s, s:s, s:i}]", "key", EVICT_KEY, "operator", "Equal", "value",
                                  "evictTaintVal", "effect", "NoExecute", "tolerationSeconds", seconds));
    cl_create_pod(t, ns, pod);
    return cl_wait_running(t, ns, name);
}

/* A watch on pods of ns (query: "" or "&labelSelector=...") from now on,
 * as an informer started here would see them: the list's resourceVersion
 * pins the start, since the watch request itself goes out only when it is
 * first read. */
static ckc_watch *pod_watch(ckc_t *t, const char *ns, const char *query)
{
    const char *coll = ckc_coll(t, "pods", ns);
    ckc_resp *l = ckc_get(t, ckc_fmt(t, "%s?limit=1%s", coll, query));
    CKC_CODE(t, l, 200);
    return ckc_watch_open(t, ckc_fmt(t, "%s?watch=1%s&resourceVersion=%s", coll, query,
                                     ckc_str(l->json, "metadata.resourceVersion")));
}

static ckc_watch *deletions(ckc_t *t, const char *ns, const char *group)
{
    return pod_watch(t, ns, ckc_fmt(t, "&labelSelector=group%%3D%s", group));
}

/* The name of the next pod DELETED on w within seconds, NULL otherwise. */
static const char *next_deletion(ckc_watch *w, double seconds)
{
    double deadline = ckc_now() + seconds;
    for (double left; (left = deadline - ckc_now()) > 0;) {
        json_t *ev = ckc_watch_next(w, left);
        if (!ev) return NULL;
        if (cl_same(ckc_str(ev, "type"), "DELETED")) return ckc_str(ev, "object.metadata.name");
    }
    return NULL;
}

void nn_t_taint_multiple(ckc_t *t)
{
    const char *ns = ckc_ns(t), *group = "taint-eviction-b";
    /* additionalWaitPerDeleteSeconds 5: pod1 tolerates 5s, pod2 25s */
    json_t *p1 = taint_pod(t, ns, "taint-eviction-b1", group, 5);
    json_t *p2 = taint_pod(t, ns, "taint-eviction-b2", group, 25);
    ckc_watch *w = deletions(t, ns, group);
    taint_node(t, ckc_str(p1, "spec.nodeName"));
    if (!cl_same(ckc_str(p1, "spec.nodeName"), ckc_str(p2, "spec.nodeName"))) taint_node(t, ckc_str(p2, "spec.nodeName"));
    /* kubeletPodDeletionDelaySeconds + 10*additionalWaitPerDeleteSeconds */
    double deadline = ckc_now() + ckc_timeout(t, 110);
    /* upstream counts deletions only (no order or timing check) */
    for (int evicted = 0; evicted < 2; evicted++)
        if (!next_deletion(w, deadline - ckc_now()))
            CKC_FAIL(t, "Failed to evict all Pods. %d pod(s) is not evicted within %.0fs", 2 - evicted, ckc_timeout(t, 110));
}

void nn_t_taint_cancel(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "taint-eviction-4";
    /* tolerationSeconds 2*additionalWaitPerDeleteSeconds */
    json_t *p = taint_pod(t, ns, name, name, 10);
    ckc_watch *w = deletions(t, ns, name);
    const char *node = ckc_str(p, "spec.nodeName");
    taint_node(t, node);
    const char *gone = next_deletion(w, 5);
    if (gone) CKC_FAIL(t, "Pod %s was evicted despite toleration (before the taint was removed)", gone);
    CKC_CODE(t, ckc_update(t, ckc_fmt(t, "/api/v1/nodes/%s", node), del_taint, NULL), 200);
    /* kubeletPodDeletionDelaySeconds + 3*additionalWaitPerDeleteSeconds */
    gone = next_deletion(w, 75);
    if (gone) CKC_FAIL(t, "Pod %s was evicted although the taint was removed before its tolerationSeconds passed", gone);
}

/* ---- PreStop (test/e2e/node/pre_stop.go) ---- */
void nn_t_prestop(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *srv = cl_pod(t, "server", "Always", nn_http_server(t, 8080, "ok"));
    json_object_set_new(cl_container(srv, 0, 0), "ports", json_pack("[{s:i}]", "containerPort", 8080));
    cl_create_pod(t, ns, srv);
    srv = cl_wait_running(t, ns, "server");
    json_t *tester = cl_pod(t, "tester", "Always", "sleep 600");
    json_t *c = cl_container(tester, 0, 0);
    json_object_set_new(c, "name", json_string("tester"));
    json_object_set_new(c, "lifecycle",
                        json_pack("{s:{s:{s:[s,s,s,s]}}}", "preStop", "exec", "command", "wget", "-O-",
                                  "--post-data={\"Source\": \"prestop\"}",
                                  ckc_fmt(t, "http://%s:8080/write", ckc_str(srv, "status.podIP"))));
    json_object_del(json_object_get(tester, "spec"), "terminationGracePeriodSeconds");
    cl_create_pod(t, ns, tester);
    cl_wait_running(t, ns, "tester");
    ckc_resp *r = ckc_delete(t, ckc_item(t, "pods", ns, "tester"), NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "deleting the pre-stop pod must succeed");
    /* the server's state through the apiserver proxy: pods/server/proxy/read */
    const char *path = ckc_fmt(t, "%s/proxy/read", ckc_item(t, "pods", ns, "server"));
    double deadline = ckc_now() + ckc_timeout(t, 60);
    for (;;) {
        ckc_reqspec rq = {.method = "GET", .path = path, .accept = "*/*"};
        r = ckc_request(t, &rq);
        json_t *st = r->code == 200 ? ckc_ownj(t, json_loads(r->body, 0, NULL)) : NULL;
        if (json_integer_value(ckc_at(st, "Received.prestop")) != 0) return;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(5000);
    }
    CKC_FAIL(t, "the server never saw the prestop poke within %.0fs: GET %s -> %ld %.200s; server log: %.300s",
             ckc_timeout(t, 60), path, r->code, r->body ? r->body : "", cl_logs(t, ns, "server", NULL));
}

/* ---- GRPC liveness probes (test/e2e/common/node/container_probe.go) ---- */
/* gRPCServerPodSpec: agnhost grpc-health-checking serves grpc.health.v1 on
 * 5000. busybox has no gRPC server, so the pod uses agnhost as upstream does;
 * a node that cannot run that image makes the test skip with the reason. */
#define AGNHOST "registry.k8s.io/e2e-test-images/agnhost:2.52"
static void grpc_liveness(ckc_t *t, int port, int initial_delay, int want_restarts)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "test-grpc-");
    json_t *pod = ckc_ownj(t, json_pack(
        "{s:s, s:s, s:{s:s}, s:{s:[{s:s, s:s, s:[s,s], s:[{s:i},{s:i}], s:{s:{s:i}, s:i, s:i, s:i}}]}}", "apiVersion", "v1",
        "kind", "Pod", "metadata", "name", name, "spec", "containers", "name", "agnhost", "image", AGNHOST, "command",
        "/agnhost", "grpc-health-checking", "ports", "containerPort", 5000, "containerPort", 8080, "livenessProbe", "grpc",
        "port", port, "initialDelaySeconds", initial_delay, "timeoutSeconds", 5, "failureThreshold", 1));
    cl_create_pod(t, ns, pod);
    /* RunLivenessTest: wait until the pod is not Pending, then watch restarts */
    double deadline = ckc_now() + ckc_timeout(t, 90);
    json_t *p = NULL, *cs = NULL;
    for (;;) {
        ckc_resp *r = ckc_get(t, ckc_item(t, "pods", ns, name));
        p = r->json;
        cs = cl_container_status(p, 0, "agnhost");
        if (ckc_at(cs, "state.running") || ckc_at(cs, "lastState.terminated")) break;
        if (ckc_now() > deadline) {
            const char *why = ckc_str(cs, "state.waiting.reason"), *msg = ckc_str(cs, "state.waiting.message");
            ckc_skip(t, "the gRPC health server image %s never ran on this node (phase %s, waiting %s: %.200s); "
                        "busybox cannot serve grpc.health.v1", AGNHOST, ckc_str(p, "status.phase"), why ? why : "-",
                     msg ? msg : "-");
        }
        ckc_sleep_ms(1000);
    }
    /* defaultObservationTimeout: 4 minutes */
    deadline = ckc_now() + ckc_timeout(t, 240);
    json_int_t restarts = 0;
    for (;;) {
        p = ckc_get(t, ckc_item(t, "pods", ns, name))->json;
        restarts = json_integer_value(ckc_at(cl_container_status(p, 0, "agnhost"), "restartCount"));
        if (restarts > want_restarts)
            CKC_FAIL(t, "pod %s: restart count %lld exceeds the expected %d", name, (long long)restarts, want_restarts);
        if (want_restarts && restarts >= want_restarts) return;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(2000);
    }
    CKC_CHECK(t, NULL, restarts == want_restarts, "pod %s: expected %d restarts within %.0fs, saw %lld", name, want_restarts,
              ckc_timeout(t, 240), (long long)restarts);
}
void nn_t_grpc_not_restarted(ckc_t *t) { grpc_liveness(t, 5000, 15, 0); }
void nn_t_grpc_restarted(ckc_t *t) { grpc_liveness(t, 2333, 60, 1); } /* 2333: "this port is wrong" */

/* ---- Security Context (test/e2e/common/node/security_context.go, test/e2e/node/security_context.go) ---- */
static json_t *sc_pod(ckc_t *t, const char *prefix, const char *script, const char *sc_json)
{
    const char *name = ckc_rand_name(t, prefix);
    json_t *pod = cl_pod(t, name, "Never", script);
    json_t *c = cl_container(pod, 0, 0);
    json_object_set_new(c, "name", json_string(name));
    if (sc_json) json_object_set(c, "securityContext", ckc_parse(t, "%s", sc_json));
    return pod;
}

static void expect(ckc_t *t, json_t *pod, const char *a, const char *b)
{
    const char *ns = ckc_ns(t);
    cl_expect_output(t, ns, pod, ckc_str(pod, "spec.containers.0.name"), (const char *const[]){a, b, NULL});
}

void nn_t_sc_uid_65534(ckc_t *t)
{
    expect(t, sc_pod(t, "busybox-user-65534-", "id -u; test $(id -u) -eq 65534", "{\"runAsUser\":65534}"), "65534", NULL);
}

void nn_t_sc_unprivileged(ckc_t *t)
{
    expect(t, sc_pod(t, "busybox-privileged-false-", "ip link add dummy0 type dummy || true", "{\"privileged\":false}"),
           "Operation not permitted", NULL);
}

void nn_t_sc_writable_rootfs(ckc_t *t)
{
    expect(t, sc_pod(t, "busybox-readonly-false-", "touch checkfile && echo wrote checkfile",
                     "{\"readOnlyRootFilesystem\":false}"), "wrote checkfile", NULL);
}

static void sc_uid_gid(ckc_t *t, int container_level)
{
    json_t *pod = sc_pod(t, "security-context-", "id", container_level ? "{\"runAsUser\":1002,\"runAsGroup\":2002}" : NULL);
    json_object_set_new(json_object_get(pod, "spec"), "securityContext", json_pack("{s:i, s:i}", "runAsUser", 1001, "runAsGroup", 2001));
    if (container_level) expect(t, pod, "uid=1002", "gid=2002");
    else expect(t, pod, "uid=1001", "gid=2001");
}
void nn_t_sc_container_uid_gid(ckc_t *t) { sc_uid_gid(t, 1); }
void nn_t_sc_pod_uid_gid(ckc_t *t) { sc_uid_gid(t, 0); }

/* upstream's nonewprivs image runs a setuid-root binary and prints its
 * effective uid; busybox has no setuid-root binary, so the container reports
 * its uid and the kernel's no_new_privs flag that allowPrivilegeEscalation
 * false sets (what keeps setuid from raising the effective uid). */
void nn_t_sc_no_new_privs(ckc_t *t)
{
    expect(t, sc_pod(t, "alpine-nnp-false-", "echo \"Effective uid: $(id -u)\"; grep NoNewPrivs /proc/self/status",
                     "{\"allowPrivilegeEscalation\":false,\"runAsUser\":1000}"),
           "Effective uid: 1000", "NoNewPrivs:\t1");
}

/* ---- Sysctls (test/e2e/common/node/sysctl.go) ---- */
void nn_t_sysctl_support(ckc_t *t)
{
    json_t *pod = sc_pod(t, "sysctl-", "sysctl kernel.shm_rmid_forced", NULL);
    json_object_set_new(cl_container(pod, 0, 0), "name", json_string("test-container"));
    json_object_set_new(json_object_get(pod, "spec"), "securityContext",
                        json_pack("{s:[{s:s, s:s}]}", "sysctls", "name", "kernel.shm_rmid_forced", "value", "1"));
    expect(t, pod, "kernel.shm_rmid_forced = 1", NULL);
}

void nn_t_sysctl_invalid(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *pod = sc_pod(t, "sysctl-", NULL, NULL);
    json_object_set(json_object_get(pod, "spec"), "securityContext",
                    ckc_parse(t, "{\"sysctls\":[{\"name\":\"foo-\",\"value\":\"bar\"},"
                                 "{\"name\":\"kernel.shmmax\",\"value\":\"100000000\"},"
                                 "{\"name\":\"safe-and-unsafe\",\"value\":\"100000000\"},"
                                 "{\"name\":\"bar..\",\"value\":\"42\"}]}"));
    ckc_resp *r = ckc_post(t, ckc_coll(t, "pods", ns), pod);
    CKC_CHECK(t, r, r->code >= 400, "a pod with invalid sysctl names must be rejected, got %ld", r->code);
    const char *msg = ckc_str(r->json, "message");
    CKC_CHECK(t, r, cl_has(msg, "Invalid value: \"foo-\"") && cl_has(msg, "Invalid value: \"bar..\""),
              "the error must name both invalid sysctls as Invalid value");
    CKC_CHECK(t, r, !cl_has(msg, "safe-and-unsafe") && !cl_has(msg, "kernel.shmmax"),
              "the error must not mention the valid sysctl names");
}

/* ---- SchedulerPreemption (test/e2e/scheduling/preemption.go) ---- */
#define FOO "scheduling.k8s.io/foo"
#define PC_PATH "/apis/scheduling.k8s.io/v1/priorityclasses"

/* A PriorityClass named after the namespace (cluster-scoped), deleted at the end. */
static const char *priority_class(ckc_t *t, const char *suffix, int value)
{
    const char *name = ckc_fmt(t, "%s-%s", ckc_ns(t), suffix);
    ckc_resp *r = ckc_post(t, PC_PATH, ckc_parse(t, "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\","
                                                    "\"metadata\":{\"name\":\"%s\"},\"value\":%d}", name, value));
    CKC_CODE(t, r, 201);
    nn_defer_request(t, "DELETE", ckc_fmt(t, "%s/%s", PC_PATH, name), NULL, NULL);
    return name;
}

/* Upstream deletes each test's namespace and the next [Serial] test waits
 * for it to be gone (CheckTestingNSDeletedExcept), so pods holding the fake
 * resource never outlive their test; the harness deletes namespaces only at
 * the end of the run. Registered first, this runs last: it deletes the
 * namespace's ReplicaSets and pods (grace 0) and waits up to 60 s for them. */
typedef struct ns_pods_cleanup { ckc_run *run; char *ns; } ns_pods_cleanup;
static void run_ns_pods_cleanup(void *p)
{
    ns_pods_cleanup *c = p;
    char rs[400], pods[400];
    snprintf(rs, sizeof rs, "/apis/apps/v1/namespaces/%s/replicasets", c->ns);
    snprintf(pods, sizeof pods, "/api/v1/namespaces/%s/pods", c->ns);
    ckc_reqspec del_rs = {.method = "DELETE", .path = rs};
    ckc_resp_free(ckc_request_run(c->run, &del_rs));
    for (int i = 0; i < 60; i++) {
        ckc_reqspec del = {.method = "DELETE", .path = pods, .body = "{\"gracePeriodSeconds\":0}"};
        ckc_resp_free(ckc_request_run(c->run, &del));
        ckc_reqspec get = {.method = "GET", .path = pods};
        ckc_resp *r = ckc_request_run(c->run, &get);
        size_t left = r && r->code == 200 ? json_array_size(json_object_get(r->json, "items")) : 0;
        ckc_resp_free(r);
        if (!left) break;
        ckc_sleep_ms(1000);
    }
    free(c->ns);
    free(c);
}

static void preemption_cleanup(ckc_t *t)
{
    ns_pods_cleanup *c = calloc(1, sizeof *c);
    if (!c || !(c->ns = strdup(ckc_ns(t)))) { free(c); CKC_FAIL(t, "out of memory"); }
    c->run = t->run;
    ckc_own(t, c, run_ns_pods_cleanup);
}

/* AddExtendedResource: capacity and allocatable of the node's status, removed at the end. */
static void extended_resource(ckc_t *t, const char *node, const char *res, const char *qty)
{
    const char *status = ckc_fmt(t, "/api/v1/nodes/%s/status", node);
    char esc[128];
    size_t o = 0;
    for (const char *p = res; *p && o < sizeof esc - 3; p++) {
        if (*p == '/') { esc[o++] = '~'; esc[o++] = '1'; } else esc[o++] = *p;
    }
    esc[o] = 0;
    nn_defer_request(t, "PATCH", status,
                     ckc_fmt(t, "[{\"op\":\"remove\",\"path\":\"/status/capacity/%s\"},"
                                "{\"op\":\"remove\",\"path\":\"/status/allocatable/%s\"}]", esc, esc), CKC_JSON_PATCH);
    const char *body = ckc_fmt(t, "{\"status\":{\"capacity\":{\"%s\":\"%s\"},\"allocatable\":{\"%s\":\"%s\"}}}", res, qty, res, qty);
    double deadline = ckc_now() + ckc_timeout(t, 30);
    for (;;) {
        CKC_CODE(t, ckc_patch(t, status, CKC_SMP, body), 200);
        ckc_sleep_ms(1000);
        json_t *n = ckc_get(t, ckc_fmt(t, "/api/v1/nodes/%s", node))->json;
        if (cl_same(json_string_value(json_object_get(ckc_at(n, "status.allocatable"), res)), qty)) return;
        if (ckc_now() > deadline)
            CKC_FAIL(t, "node %s: status.allocatable[%s] must stay %s after the patch (the kubelet dropped it?)", node, res, qty);
    }
}

/* pausePodConfig: busybox instead of pause; requests = limits = res: qty. */
static json_t *pause_pod(ckc_t *t, const char *name, const char *pc, const char *res, const char *qty, const char *node)
{
    json_t *pod = cl_pod(t, name, "Always", NULL);
    json_t *spec = json_object_get(pod, "spec");
    json_object_set_new(spec, "priorityClassName", json_string(pc));
    json_object_set_new(cl_container(pod, 0, 0), "resources",
                        json_pack("{s:{s:s}, s:{s:s}}", "requests", res, qty, "limits", res, qty));
    if (node)
        json_object_set_new(spec, "affinity",
                            json_pack("{s:{s:{s:[{s:[{s:s, s:s, s:[s]}]}]}}}", "nodeAffinity",
                                      "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms",
                                      "matchFields", "key", "metadata.name", "operator", "In", "values", node));
    return pod;
}

static int gone_or_deleting(ckc_t *t, const char *ns, const char *name)
{
    ckc_resp *r = ckc_get(t, ckc_item(t, "pods", ns, name));
    return r->code == 404 || (r->code == 200 && ckc_at(r->json, "metadata.deletionTimestamp"));
}

/* "validates basic preemption works" and "... by critical pod": two pods
 * per node use 4/5 of a fake extended resource; the first is low priority.
 * A pod of higher priority needing 2 must preempt it and only it. */
static void preempt_victim(ckc_t *t, int critical)
{
    preemption_cleanup(t);
    const char *ns = ckc_ns(t);
    json_t *nodes = cl_ready_nodes(t);
    const char *low = priority_class(t, "low-priority", 1), *medium = priority_class(t, "medium-priority", 100);
    const char *high = critical ? "system-cluster-critical" : priority_class(t, "high-priority", 1000);
    const char *names[32];
    size_t n = 0, i; json_t *node;
    json_array_foreach(nodes, i, node) {
        const char *nn = ckc_str(node, "metadata.name");
        extended_resource(t, nn, FOO, "5");
        for (int j = 0; j < 2 && n < 32; j++, n++) {
            const char *pc = n == 0 ? low : medium;
            names[n] = ckc_fmt(t, "pod%zu-%d-%s", i, j, n == 0 ? "low-priority" : "medium-priority");
            cl_create_pod(t, ns, pause_pod(t, names[n], pc, FOO, "2", nn));
        }
    }
    for (i = 0; i < n; i++) cl_wait_running(t, ns, names[i]);
    const char *pns = critical ? "kube-system" : ns, *pname = critical ? ckc_rand_name(t, "critical-pod-") : "preemptor-pod";
    json_t *preemptor = pause_pod(t, pname, high, FOO, "2", NULL);
    if (critical) {
        json_object_set_new(json_object_get(preemptor, "metadata"), "namespace", json_string("kube-system"));
        nn_defer_request(t, "DELETE", ckc_item(t, "pods", pns, pname), "{\"gracePeriodSeconds\":0}", NULL);
    }
    cl_create_pod(t, pns, preemptor);
    cl_wait_pod(t, pns, pname, cl_pred_running_ready, NULL, 120, "the preemptor must run");
    CKC_CHECK(t, NULL, gone_or_deleting(t, ns, names[0]), "the low priority pod %s must be preempted", names[0]);
    for (i = 1; i < n; i++)
        CKC_CHECK(t, NULL, !gone_or_deleting(t, ns, names[i]), "the medium priority pod %s must not be preempted", names[i]);
}
void nn_t_preempt_basic(ckc_t *t) { preempt_victim(t, 0); }
void nn_t_preempt_critical(ckc_t *t) { preempt_victim(t, 1); }

void nn_t_preempt_condition(ckc_t *t)
{
    preemption_cleanup(t);
    const char *ns = ckc_ns(t);
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    const char *low = priority_class(t, "low-priority", 1), *high = priority_class(t, "high-priority", 1000);
    extended_resource(t, node, FOO, "1");
    json_t *victim = pause_pod(t, "victim-pod", low, FOO, "1", node);
    json_object_set_new(json_object_get(victim, "metadata"), "finalizers", json_pack("[s]", "example.com/test-finalizer"));
    nn_defer_request(t, "PATCH", ckc_item(t, "pods", ns, "victim-pod"), "{\"metadata\":{\"finalizers\":null}}", CKC_MERGE_PATCH);
    cl_create_pod(t, ns, victim);
    cl_wait_pod(t, ns, "victim-pod", cl_pred_scheduled, NULL, 60, "the victim must be scheduled");
    cl_create_pod(t, ns, pause_pod(t, "preemptor-pod", high, FOO, "1", node));
    json_t *p = NULL;
    double deadline = ckc_now() + ckc_timeout(t, 120);
    for (;;) {
        p = ckc_get(t, ckc_item(t, "pods", ns, "victim-pod"))->json;
        if (ckc_at(p, "metadata.deletionTimestamp")) break;
        if (ckc_now() > deadline) CKC_FAIL(t, "the victim pod must be terminating (preempted) within %.0fs", ckc_timeout(t, 120));
        ckc_sleep_ms(1000);
    }
    size_t i; json_t *c;
    json_array_foreach(ckc_at(p, "status.conditions"), i, c)
        if (cl_same(ckc_str(c, "type"), "DisruptionTarget")) {
            CKC_CHECK(t, NULL, cl_same(ckc_str(c, "status"), "True") && cl_same(ckc_str(c, "reason"), "PreemptionByScheduler"),
                      "DisruptionTarget must be True with reason PreemptionByScheduler, got %s/%s", ckc_str(c, "status"),
                      ckc_str(c, "reason"));
            return;
        }
    CKC_FAIL(t, "the preempted pod must have the DisruptionTarget condition; conditions: %s",
             (char *)ckc_own(t, json_dumps(ckc_at(p, "status.conditions"), JSON_COMPACT), free));
}

/* "PreemptionExecutionPath runs ReplicaSets": RS pod1/pod2/pod3 take
 * 200+300+450 of 1000 fake cpu on one node; pod4 (500, highest priority)
 * must preempt exactly pod1's and pod2's pods once (each RS recreates its
 * pod, which then stays Pending), never pod3's. */
#define FAKECPU "example.com/fakecpu"
static void preempt_rs(ckc_t *t, const char *ns, const char *name, const char *pc, const char *qty, const char *node)
{
    json_t *tmpl = pause_pod(t, name, pc, FAKECPU, qty, NULL);
    json_t *spec = json_object_get(tmpl, "spec");
    json_object_set_new(spec, "nodeSelector", json_pack("{s:s}", "kubernetes.io/e2e-pts-preemption", node));
    json_object_del(json_object_get(tmpl, "metadata"), "name");
    json_object_set_new(json_object_get(tmpl, "metadata"), "labels", json_pack("{s:s}", "name", name));
    json_t *rs = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:i, s:{s:{s:s}}, s:O}}", "apiVersion", "apps/v1", "kind",
                                       "ReplicaSet", "metadata", "name", ckc_fmt(t, "rs-%s", name), "spec", "replicas", 1,
                                       "selector", "matchLabels", "name", name, "template", tmpl));
    ckc_create(t, "replicasets", ns, ckc_fmt(t, "rs-%s", name), rs);
    cl_wait_pod_count(t, ns, ckc_fmt(t, "name=%s", name), 1, 1, 90);
}

void nn_t_preempt_rs(ckc_t *t)
{
    preemption_cleanup(t);
    const char *ns = ckc_ns(t);
    const char *node = ckc_str(json_array_get(cl_ready_nodes(t), 0), "metadata.name");
    const char *pcs[4];
    for (int i = 0; i < 4; i++) pcs[i] = priority_class(t, ckc_fmt(t, "p%d", i + 1), i + 1);
    CKC_CODE(t, ckc_patch(t, ckc_fmt(t, "/api/v1/nodes/%s", node), CKC_MERGE_PATCH,
                          ckc_fmt(t, "{\"metadata\":{\"labels\":{\"kubernetes.io/e2e-pts-preemption\":\"%s\"}}}", node)), 200);
    nn_defer_request(t, "PATCH", ckc_fmt(t, "/api/v1/nodes/%s", node),
                     "{\"metadata\":{\"labels\":{\"kubernetes.io/e2e-pts-preemption\":null}}}", CKC_MERGE_PATCH);
    extended_resource(t, node, FAKECPU, "1k");
    ckc_watch *w = pod_watch(t, ns, "");  /* upstream's pod informer, started before the ReplicaSets */
    static const char *const qty[3] = {"200", "300", "450"};
    for (int i = 0; i < 3; i++) preempt_rs(t, ns, ckc_fmt(t, "pod%d", i + 1), pcs[i], qty[i], node);
    json_t *pre = pause_pod(t, "pod4", pcs[3], FAKECPU, "500", NULL);
    json_object_set_new(json_object_get(pre, "spec"), "nodeSelector", json_pack("{s:s}", "kubernetes.io/e2e-pts-preemption", node));
    cl_create_pod(t, ns, pre);
    cl_wait_pod(t, ns, "pod4", cl_pred_scheduled, NULL, 120, "the preemptor must be scheduled (waitForPreemptingWithTimeout)");
    /* podNamesSeen per ReplicaSet; expected {2, 2, 1} within PollShortTimeout (1 min) */
    json_t *seen = ckc_ownj(t, json_object());
    static const int want[3] = {2, 2, 1};
    double deadline = ckc_now() + ckc_timeout(t, 60);
    for (;;) {
        json_t *ev;
        while ((ev = ckc_watch_next(w, 0.5))) {
            const char *lbl = ckc_str(ev, "object.metadata.labels.name"), *pn = ckc_str(ev, "object.metadata.name");
            if (!lbl || !pn || cl_same(lbl, "pod4")) continue;
            json_t *set = json_object_get(seen, lbl);
            if (!set) { set = json_object(); json_object_set_new(seen, lbl, set); }
            json_object_set_new(set, pn, json_true());
        }
        int ok = 1;
        for (int i = 0; i < 3; i++) {
            size_t got = json_object_size(json_object_get(seen, ckc_fmt(t, "pod%d", i + 1)));
            if ((int)got > want[i])
                CKC_FAIL(t, "pods of ReplicaSet%d have been over-preempted: expect %d pod names, but got %zu", i + 1, want[i], got);
            if ((int)got < want[i]) ok = 0;
        }
        if (ok) return;
        if (ckc_now() > deadline) break;
    }
    CKC_FAIL(t, "pods of ReplicaSet1/2 must be preempted exactly once within %.0fs; pod names seen: %s", ckc_timeout(t, 60),
             (char *)ckc_own(t, json_dumps(seen, JSON_COMPACT), free));
}
