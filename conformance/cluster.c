/* cluster.c: helpers shared by the cluster-profile tests: busybox pod
 * manifests, polling a pod until a predicate holds, logs (pods/log), events,
 * live pods by selector and Ready nodes. After test/e2e/framework/pod. */
#include "cluster.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cl_same(const char *a, const char *b) { return a && b && !strcmp(a, b); }
int cl_has(const char *hay, const char *needle) { return hay && needle && strstr(hay, needle); }

static json_t *busybox(const char *name, const char *script)
{
    return json_pack("{s:s, s:s, s:[s,s,s]}", "name", name, "image", CKC_BUSYBOX, "command", "sh", "-c",
                     script ? script : "sleep 3600");
}

json_t *cl_pod(ckc_t *t, const char *name, const char *restart, const char *script)
{
    json_t *p = json_pack("{s:s, s:s, s:{s:s, s:{s:s}}, s:{s:s, s:i, s:[o]}}", "apiVersion", "v1", "kind", "Pod",
                          "metadata", "name", name, "labels", "app", name, "spec", "restartPolicy",
                          restart ? restart : "Never", "terminationGracePeriodSeconds", 1, "containers",
                          busybox("c", script));
    return ckc_ownj(t, p);
}

json_t *cl_container(json_t *pod, int init, size_t i)
{
    return json_array_get(ckc_at(pod, init ? "spec.initContainers" : "spec.containers"), i);
}

json_t *cl_add_container(json_t *pod, int init, const char *name, const char *script)
{
    json_t *spec = json_object_get(pod, "spec");
    const char *key = init ? "initContainers" : "containers";
    json_t *arr = json_object_get(spec, key);
    if (!json_is_array(arr)) { arr = json_array(); json_object_set_new(spec, key, arr); }
    json_t *c = busybox(name, script);
    json_array_append_new(arr, c);
    return c;
}

void cl_add_volume(json_t *pod, json_t *vol, const char *mount_path)
{
    json_t *spec = json_object_get(pod, "spec");
    json_t *vols = json_object_get(spec, "volumes");
    if (!json_is_array(vols)) { vols = json_array(); json_object_set_new(spec, "volumes", vols); }
    const char *name = json_string_value(json_object_get(vol, "name"));
    json_t *c = cl_container(pod, 0, 0);
    json_t *mounts = json_object_get(c, "volumeMounts");
    if (!json_is_array(mounts)) { mounts = json_array(); json_object_set_new(c, "volumeMounts", mounts); }
    json_array_append_new(mounts, json_pack("{s:s, s:s}", "name", name ? name : "", "mountPath", mount_path));
    json_array_append_new(vols, vol);
}

void cl_set_label(json_t *obj, const char *key, const char *value)
{
    json_t *meta = json_object_get(obj, "metadata");
    json_t *labels = json_object_get(meta, "labels");
    if (!json_is_object(labels)) { labels = json_object(); json_object_set_new(meta, "labels", labels); }
    json_object_set_new(labels, key, json_string(value));
}

json_t *cl_create_pod(ckc_t *t, const char *ns, json_t *pod)
{
    ckc_resp *r = ckc_post(t, ckc_coll(t, "pods", ns), pod);
    CKC_CODE(t, r, 201);
    return r->json;
}

const char *cl_condition(json_t *obj, const char *type)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(obj, "status.conditions"), i, c)
        if (cl_same(ckc_str(c, "type"), type)) return ckc_str(c, "status");
    return NULL;
}

json_t *cl_container_status(json_t *pod, int init, const char *name)
{
    size_t i; json_t *c;
    json_array_foreach(ckc_at(pod, init ? "status.initContainerStatuses" : "status.containerStatuses"), i, c)
        if (cl_same(ckc_str(c, "name"), name)) return c;
    return NULL;
}

int cl_pred_phase(json_t *pod, void *phase) { return cl_same(ckc_str(pod, "status.phase"), phase); }
int cl_pred_done(json_t *pod, void *unused)
{
    return cl_pred_phase(pod, "Succeeded") || cl_pred_phase(pod, "Failed");
}
int cl_pred_running_ready(json_t *pod, void *unused)
{
    return cl_pred_phase(pod, "Running") && cl_same(cl_condition(pod, "Ready"), "True");
}
int cl_pred_scheduled(json_t *pod, void *unused) { return ckc_str(pod, "spec.nodeName") != NULL; }

json_t *cl_wait_pod(ckc_t *t, const char *ns, const char *name, cl_pod_pred pred, void *arg, double base,
                    const char *what)
{
    const char *path = ckc_item(t, "pods", ns, name);
    double deadline = ckc_now() + ckc_timeout(t, base);
    ckc_resp *r;
    for (;;) {
        r = ckc_get(t, path);
        if (r->code == 200 && pred(r->json, arg)) return r->json;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    json_t *st = r->json ? ckc_at(r->json, "status") : NULL;
    char *s = st ? json_dumps(st, JSON_COMPACT) : NULL;
    if (s) ckc_own(t, s, free);
    CKC_FAIL(t, "pod %s/%s: %s within %.0fs; last status (%ld): %.600s", ns, name, what, ckc_timeout(t, base),
             r->code, s ? s : r->body);
}

json_t *cl_wait_running(ckc_t *t, const char *ns, const char *name)
{
    return cl_wait_pod(t, ns, name, cl_pred_running_ready, NULL, 90, "must be Running and Ready");
}

const char *cl_logs(ckc_t *t, const char *ns, const char *pod, const char *container)
{
    const char *path = ckc_fmt(t, "%s/log%s%s", ckc_item(t, "pods", ns, pod), container ? "?container=" : "",
                               container ? container : "");
    ckc_reqspec rq = {.method = "GET", .path = path, .accept = "*/*"};
    ckc_resp *r = ckc_request(t, &rq);
    CKC_CODE(t, r, 200);
    return r->body ? r->body : "";
}

const char *cl_wait_log(ckc_t *t, const char *ns, const char *pod, const char *container, const char *want,
                        double base)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    const char *log = "";
    for (;;) {
        const char *path = ckc_fmt(t, "%s/log%s%s", ckc_item(t, "pods", ns, pod),
                                   container ? "?container=" : "", container ? container : "");
        ckc_reqspec rq = {.method = "GET", .path = path, .accept = "*/*"};
        ckc_resp *r = ckc_request(t, &rq);
        if (r->code == 200) {
            log = r->body ? r->body : "";
            if (strstr(log, want)) return log;
        }
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(1000);
    }
    size_t n = strlen(log);
    CKC_FAIL(t, "pod %s/%s: the log must contain \"%s\" within %.0fs; log ends: %s", ns, pod, want,
             ckc_timeout(t, base), n > 300 ? log + n - 300 : log);
}

void cl_expect_output(ckc_t *t, const char *ns, json_t *pod, const char *container, const char *const *expect)
{
    const char *name = ckc_str(pod, "metadata.name");
    cl_create_pod(t, ns, pod);
    json_t *p = cl_wait_pod(t, ns, name, cl_pred_done, NULL, 120, "must finish (Succeeded or Failed)");
    const char *log = cl_logs(t, ns, name, container);
    if (!cl_pred_phase(p, "Succeeded"))
        CKC_FAIL(t, "pod %s/%s must succeed, phase is %s; log: %.400s", ns, name, ckc_str(p, "status.phase"), log);
    for (; *expect; expect++)
        if (!strstr(log, *expect))
            CKC_FAIL(t, "pod %s/%s: the log of container %s must contain \"%s\"; log: %.600s", ns, name,
                     container ? container : "c", *expect, log);
}

json_t *cl_list(ckc_t *t, const char *path)
{
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    json_t *items = json_object_get(r->json, "items");
    CKC_CHECK(t, r, json_is_array(items), "a list must carry items");
    return items;
}

/* "?labelSelector=" + selector with '=' and ',' percent-encoded. */
static const char *selector_query(ckc_t *t, const char *selector)
{
    if (!selector) return "";
    size_t n = strlen(selector), o = 0;
    char *q = ckc_own(t, malloc(n * 3 + 16), free);
    o += (size_t)sprintf(q, "?labelSelector=");
    for (const char *p = selector; *p; p++) {
        if (*p == '=' || *p == ',' || *p == ' ' || *p == '!') o += (size_t)sprintf(q + o, "%%%02X", (unsigned char)*p);
        else q[o++] = *p;
    }
    q[o] = 0;
    return q;
}

json_t *cl_live_pods(ckc_t *t, const char *ns, const char *selector)
{
    json_t *items = cl_list(t, ckc_fmt(t, "%s%s", ckc_coll(t, "pods", ns), selector_query(t, selector)));
    json_t *live = ckc_ownj(t, json_array());
    size_t i; json_t *p;
    json_array_foreach(items, i, p)
        if (!ckc_at(p, "metadata.deletionTimestamp")) json_array_append(live, p);
    return live;
}

json_t *cl_wait_pod_count(ckc_t *t, const char *ns, const char *selector, size_t n, int running, double base)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    json_t *pods;
    size_t ready = 0;
    for (;;) {
        pods = cl_live_pods(t, ns, selector);
        size_t i; json_t *p;
        ready = 0;
        json_array_foreach(pods, i, p) ready += cl_pred_running_ready(p, NULL);
        if (json_array_size(pods) == n && (!running || ready == n)) return pods;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    CKC_FAIL(t, "namespace %s: expected %zu %spods matching %s within %.0fs; found %zu (%zu Running and Ready)", ns, n,
             running ? "Running and Ready " : "", selector ? selector : "(all)", ckc_timeout(t, base),
             json_array_size(pods), ready);
}

json_t *cl_wait_event(ckc_t *t, const char *ns, const char *name, const char *reason, double base)
{
    double deadline = ckc_now() + ckc_timeout(t, base);
    for (;;) {
        json_t *items = cl_list(t, ckc_coll(t, "events", ns));
        size_t i; json_t *e;
        json_array_foreach(items, i, e)
            if (cl_same(ckc_str(e, "involvedObject.name"), name) && cl_same(ckc_str(e, "reason"), reason))
                return e;
        if (ckc_now() > deadline) break;
        ckc_sleep_ms(500);
    }
    CKC_FAIL(t, "no Event with reason %s about %s/%s within %.0fs", reason, ns, name, ckc_timeout(t, base));
}

static int node_ready(json_t *node) { return cl_same(cl_condition(node, "Ready"), "True"); }

json_t *cl_ready_nodes(ckc_t *t)
{
    json_t *items = cl_list(t, "/api/v1/nodes");
    json_t *ready = ckc_ownj(t, json_array());
    size_t i; json_t *n;
    json_array_foreach(items, i, n) {
        int tainted = 0;
        size_t k; json_t *taint;
        /* Nodes tainted NoSchedule (other tests' fakes, cordoned nodes) are not candidates. */
        json_array_foreach(ckc_at(n, "spec.taints"), k, taint)
            if (cl_same(ckc_str(taint, "effect"), "NoSchedule") || cl_same(ckc_str(taint, "effect"), "NoExecute"))
                tainted = 1;
        if (node_ready(n) && !tainted && !json_is_true(ckc_at(n, "spec.unschedulable"))) json_array_append(ready, n);
    }
    if (!json_array_size(ready)) ckc_skip(t, "no schedulable node is Ready");
    return ready;
}

const char *cl_node_ip(json_t *node)
{
    size_t i; json_t *a;
    json_array_foreach(ckc_at(node, "status.addresses"), i, a)
        if (cl_same(ckc_str(a, "type"), "InternalIP")) return ckc_str(a, "address");
    return ckc_str(node, "status.addresses.0.address");
}

void cl_delete_now(ckc_t *t, const char *path)
{
    ckc_delete(t, path, ckc_parse(t, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}"));
}

const char *cl_controller_uid(json_t *obj)
{
    size_t i; json_t *o;
    json_array_foreach(ckc_at(obj, "metadata.ownerReferences"), i, o)
        if (json_is_true(json_object_get(o, "controller"))) return ckc_str(o, "uid");
    return NULL;
}
