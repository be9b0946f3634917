/* probe.c: the prober (pkg/kubelet/prober): exec, httpGet, tcpSocket and
 * grpc (probe_grpc.c) handlers with timeoutSeconds; liveness/readiness/startup bookkeeping with
 * initialDelaySeconds, periodSeconds, successThreshold, failureThreshold;
 * and the lifecycle hooks (postStart, preStop), which use the same handlers. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>
#include "kubelet/kubelet_internal.h"
#include "kubelet/probe_grpc.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

static const char *target_ip(ck_kubelet *k, ck_pod_worker *w, const json_t *h)
{
    const char *host = ck_json_str(h, "host", "");
    return *host ? host : w->pod_ip[0] ? w->pod_ip : k->node_ip;
}

/* A named port ("http") resolves through the container's ports. */
static long port_of(const json_t *ctr, const json_t *port)
{
    if (json_is_integer(port)) return (long)json_integer_value(port);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(ctr, "ports"), i, p)
        if (json_is_string(port) && strcmp(ck_json_str(p, "name", ""), json_string_value(port)) == 0)
            return (long)ck_json_int(p, "containerPort", 0);
    return json_is_string(port) ? strtol(json_string_value(port), NULL, 10) : 0;
}

static size_t discard(char *p, size_t s, size_t n, void *u) { return s * n; }

/* httpGet: success is 200 <= code < 400 (prober/http). */
static int http_get(const char *ip, long port, const json_t *h, long timeout_s, char *msg, size_t msglen)
{
    char url[512];
    snprintf(url, sizeof url, "%s://%s:%ld%s", strcasecmp(ck_json_str(h, "scheme", "HTTP"), "HTTPS") ? "http" : "https",
             ip, port, ck_json_str(h, "path", "/"));
    CURL *c = curl_easy_init();
    if (!c) return snprintf(msg, msglen, "out of memory"), -1;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "kube-probe/ckube");
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) return snprintf(msg, msglen, "Get \"%s\": %s", url, curl_easy_strerror(rc)), -1;
    if (code < 200 || code >= 400) return snprintf(msg, msglen, "HTTP probe failed with statuscode: %ld", code), -1;
    return 0;
}

static int tcp_connect(const char *ip, long port, long timeout_s, char *msg, size_t msglen)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) return snprintf(msg, msglen, "bad address %s", ip), -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return snprintf(msg, msglen, "socket failed"), -1;
    int rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    if (rc < 0) {
        struct pollfd p = {fd, POLLOUT, 0};
        int e = 0;
        socklen_t l = sizeof e;
        rc = poll(&p, 1, (int)timeout_s * 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) == 0 && !e ? 0 : -1;
    }
    close(fd);
    if (rc < 0) snprintf(msg, msglen, "dial tcp %s:%ld: connect: connection refused", ip, port);
    return rc;
}

/* Runs one handler (exec / httpGet / tcpSocket). 0 = success. */
static int run_handler(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const json_t *h, long timeout_s,
                       char *msg, size_t msglen)
{
    const json_t *ctr = ck_pod_container_spec(w, r);
    msg[0] = 0;
    json_t *x;
    if ((x = json_object_get(h, "exec"))) {
        json_t *cmd = json_object_get(x, "command");
        const char **argv = calloc(json_array_size(cmd) + 1, sizeof *argv);
        for (size_t i = 0; argv && i < json_array_size(cmd); i++) argv[i] = json_string_value(json_array_get(cmd, i)) ?: "";
        char *out = NULL, err[256];
        int code = -1;
        int rc = argv ? k->rt->ops->exec_sync(k->rt, r->id, argv, timeout_s, &out, &code, err, sizeof err) : -1;
        free(argv);
        if (rc < 0) snprintf(msg, msglen, "%s", err);
        else if (code) snprintf(msg, msglen, "%.400s", out ? out : ""); /* exec prober: the output */
        free(out);
        return rc < 0 || code ? -1 : 0;
    }
    if ((x = json_object_get(h, "httpGet")))
        return http_get(target_ip(k, w, x), port_of(ctr, json_object_get(x, "port")), x, timeout_s, msg, msglen);
    if ((x = json_object_get(h, "tcpSocket")))
        return tcp_connect(target_ip(k, w, x), port_of(ctr, json_object_get(x, "port")), timeout_s, msg, msglen);
    if ((x = json_object_get(h, "grpc"))) /* prober.go: host is the pod IP, service "" when unset */
        return ck_probe_grpc(w->pod_ip[0] ? w->pod_ip : k->node_ip, (long)ck_json_int(x, "port", 0),
                             ck_json_str(x, "service", ""), timeout_s, msg, msglen);
    if ((x = json_object_get(h, "sleep"))) {
        sleep((unsigned)ck_json_int(x, "seconds", 0));
        return 0;
    }
    return snprintf(msg, msglen, "missing probe handler"), -1;
}

int ck_probe_run(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const json_t *probe, char *msg, size_t msglen)
{
    return run_handler(k, w, r, probe, ck_json_int(probe, "timeoutSeconds", 1), msg, msglen);
}

int ck_lifecycle_hook(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const char *which, char *msg, size_t msglen)
{
    const json_t *h = ck_json_path(ck_json_path(ck_pod_container_spec(w, r), "lifecycle"), which);
    return h ? run_handler(k, w, r, h, ck_json_int(w->pod, "spec.terminationGracePeriodSeconds", 30), msg, msglen) : 0;
}

/* One probe kind; returns true when its result crossed a threshold the
 * caller acts on. counters: consecutive failures / successes. */
static bool probe_once(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const char *kind, const json_t *p,
                       int *fails, int *oks)
{
    char msg[512];
    if (ck_probe_run(k, w, r, p, msg, sizeof msg) == 0) {
        *fails = 0;
        (*oks)++;
        return *oks >= ck_json_int(p, "successThreshold", 1);
    }
    *oks = 0;
    (*fails)++;
    ck_info("pod %s container %s: %s probe failed: %s", w->key, r->name, kind, msg);
    /* prober.go runProbeWithRetries -> recordContainerEvent(ContainerUnhealthy) */
    ck_pod_event(k, w, r, "Warning", "Unhealthy", "%c%s probe failed: %s", kind[0] - 32, kind + 1, msg);
    return *fails >= ck_json_int(p, "failureThreshold", 3);
}

bool ck_probe_container(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, int64_t now)
{
    if (now < r->probe_at_ms) return false;
    const json_t *c = ck_pod_container_spec(w, r);
    const json_t *sp = json_object_get(c, "startupProbe"), *lp = json_object_get(c, "livenessProbe"),
                 *rp = json_object_get(c, "readinessProbe");
    long period = 10;
    int dummy = 0;
    bool restart = false;
    int64_t age_s = (now - r->running_since_ms) / 1000;
    if (!r->started && sp) {
        period = (long)ck_json_int(sp, "periodSeconds", 10);
        if (age_s >= ck_json_int(sp, "initialDelaySeconds", 0)) {
            int oks = 0;
            if (probe_once(k, w, r, "startup", sp, &r->start_fail, &oks) && r->start_fail) restart = true;
            else if (!r->start_fail) r->started = true;
        }
    }
    if (r->started && lp && age_s >= ck_json_int(lp, "initialDelaySeconds", 0)) {
        period = (long)ck_json_int(lp, "periodSeconds", 10);
        if (probe_once(k, w, r, "liveness", lp, &r->live_fail, &dummy) && r->live_fail) restart = true;
    }
    if (r->started && rp && age_s >= ck_json_int(rp, "initialDelaySeconds", 0)) {
        long rpp = (long)ck_json_int(rp, "periodSeconds", 10);
        period = rpp < period || !lp ? rpp : period;
        bool crossed = probe_once(k, w, r, "readiness", rp, &r->ready_fail, &r->ready_ok);
        if (crossed) r->ready = r->ready_fail == 0;
    }
    r->probe_at_ms = now + period * 1000;
    if (restart) ck_info("pod %s container %s failed liveness probe, will be restarted", w->key, r->name);
    return restart;
}
