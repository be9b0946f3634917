/* server.c: the kubelet's HTTP server (pkg/kubelet/server) on libmicrohttpd:
 * /healthz, /pods, /containerLogs/<ns>/<pod>/<container> (PodLogOptions,
 * streamed: logs.c),
 * /exec/<ns>/<pod>/<container>?command=a&command=b (runs it, returns output;
 * no streaming), /stats/summary and /metrics/resource (container liveness
 * and restart figures; no cgroup accounting yet). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kubelet/kubelet_internal.h"
#include "kubelet/logs.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, char *body)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned code, const char *s)
{
    char *b = strdup(s);
    return b ? reply(c, code, "text/plain", b) : MHD_NO;
}

static ck_ctr_record *record(ck_pod_worker *w, const char *name)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->ctrs[i].name, name) == 0) return &w->ctrs[i];
    for (size_t i = 0; i < w->n_eph; i++) /* kubectl logs -c <ephemeral container> */
        if (strcmp(w->eph[i].name, name) == 0) return &w->eph[i];
    return NULL;
}

typedef struct argv_acc { const char *v[64]; int n; } argv_acc;
static enum MHD_Result collect_cmd(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    argv_acc *a = cls;
    if (strcmp(key, "command") == 0 && value && a->n < 63) a->v[a->n++] = value;
    return MHD_YES;
}

static enum MHD_Result exec_cmd(ck_kubelet *k, struct MHD_Connection *c, const char *ns, const char *pod, const char *ctr)
{
    argv_acc a = {{0}, 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_cmd, &a);
    if (!a.n) return text(c, 400, "missing command");
    ck_pod_worker *w = ck_kubelet_lock_pod(k, ns, pod);
    ck_ctr_record *r = w ? record(w, ctr) : NULL;
    char id[CK_CRI_ID_LEN] = "";
    if (r) snprintf(id, sizeof id, "%s", r->id);
    if (w) pthread_mutex_unlock(&w->mu);
    if (!id[0]) return text(c, 404, "container not found");
    char *out = NULL, err[512];
    int code = 0;
    if (k->rt->ops->exec_sync(k->rt, id, a.v, 60, &out, &code, err, sizeof err) < 0) return text(c, 500, err);
    char hdr[16];
    snprintf(hdr, sizeof hdr, "%d", code);
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(out), out, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", "text/plain");
    MHD_add_response_header(resp, "X-Exit-Code", hdr);
    enum MHD_Result rc = MHD_queue_response(c, 200, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* /stats/summary (a subset of stats/v1alpha1 Summary) and /pods. */
static enum MHD_Result summary(ck_kubelet *k, struct MHD_Connection *c, bool pods_only)
{
    char now[CK_TIME_LEN];
    ck_time_now(now);
    json_t *pods = json_array();
    pthread_mutex_lock(&k->mu);
    for (size_t i = 0; i < k->nw; i++) {
        ck_pod_worker *w = k->w[i];
        if (pods_only) {
            json_array_append(pods, w->pod);
            continue;
        }
        json_t *cs = json_array();
        for (size_t j = 0; j < w->n; j++)
            json_array_append_new(cs, json_pack("{s:s,s:s,s:i}", "name", w->ctrs[j].name, "state",
                                                ck_cri_state_name(w->ctrs[j].cur.state), "restartCount",
                                                w->ctrs[j].restart_count));
        json_array_append_new(pods, json_pack("{s:{s:s,s:s,s:s},s:s,s:o}", "podRef", "name", w->name, "namespace",
                                              w->ns, "uid", w->uid, "startTime", now, "containers", cs));
    }
    pthread_mutex_unlock(&k->mu);
    json_t *doc = pods_only ? json_pack("{s:s,s:s,s:o}", "kind", "PodList", "apiVersion", "v1", "items", pods)
                            : json_pack("{s:{s:s,s:s},s:o}", "node", "nodeName", k->node_name, "startTime", now, "pods", pods);
    char *s = ck_json_dump(doc);
    json_decref(doc);
    return s ? reply(c, 200, "application/json", s) : MHD_NO;
}

static enum MHD_Result metrics(ck_kubelet *k, struct MHD_Connection *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return MHD_NO;
    fprintf(m, "# HELP kubelet_running_pods Number of pods that have a running pod sandbox\n"
               "# TYPE kubelet_running_pods gauge\n");
    pthread_mutex_lock(&k->mu);
    size_t running = 0;
    for (size_t i = 0; i < k->nw; i++) running += k->w[i]->sandbox[0] != 0;
    fprintf(m, "kubelet_running_pods %zu\n", running);
    fprintf(m, "# HELP kube_pod_container_status_restarts_total Container restarts\n"
               "# TYPE kube_pod_container_status_restarts_total counter\n");
    for (size_t i = 0; i < k->nw; i++)
        for (size_t j = 0; j < k->w[i]->n; j++)
            fprintf(m, "kube_pod_container_status_restarts_total{container=\"%s\",namespace=\"%s\",pod=\"%s\"} %d\n",
                    k->w[i]->ctrs[j].name, k->w[i]->ns, k->w[i]->name, k->w[i]->ctrs[j].restart_count);
    pthread_mutex_unlock(&k->mu);
    fclose(m);
    return reply(c, 200, "text/plain; version=0.0.4", buf);
}

static enum MHD_Result route(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *data, size_t *size, void **state)
{
    ck_kubelet *k = cls;
    if (!*state) {
        *state = (void *)1;
        return MHD_YES;
    }
    *size = 0;
    char a[256], b[256], d[256];
    if (strcmp(url, "/healthz") == 0) return text(c, 200, "ok");
    if (strcmp(url, "/pods") == 0) return summary(k, c, true);
    if (strcmp(url, "/stats/summary") == 0) return summary(k, c, false);
    if (strcmp(url, "/metrics/resource") == 0 || strcmp(url, "/metrics") == 0) return metrics(k, c);
    if (sscanf(url, "/containerLogs/%255[^/]/%255[^/]/%255[^/]", a, b, d) == 3) return (enum MHD_Result)ck_logs_serve(k, c, a, b, d);
    if (sscanf(url, "/exec/%255[^/]/%255[^/]/%255[^/]", a, b, d) == 3) return exec_cmd(k, c, a, b, d);
    return text(c, 404, "404 page not found");
}

int ck_server_start(ck_kubelet *k, char *err, size_t errlen)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)k->port)};
    if (inet_pton(AF_INET, k->address, &sa.sin_addr) != 1) return snprintf(err, errlen, "bad --address %s", k->address), -1;
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                                                MHD_USE_ERROR_LOG,
                                            (uint16_t)k->port, NULL, NULL, route, k, MHD_OPTION_SOCK_ADDR, &sa,
                                            MHD_OPTION_END);
    if (!d) return snprintf(err, errlen, "cannot listen on %s:%d", k->address, k->port), -1;
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (i) k->port = i->port;
    k->http = d;
    return 0;
}

void ck_server_stop(ck_kubelet *k)
{
    if (k->http) MHD_stop_daemon(k->http);
    k->http = NULL;
}
