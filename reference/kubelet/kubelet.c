/* kubelet.c: wiring (kubelet.go Run/syncLoop): a pod informer on
 * spec.nodeName=<node> feeds a work queue keyed "ns/name"; workers sync one
 * pod worker at a time and requeue it every sync period (the PLEG relist);
 * a heartbeat thread updates node status and renews the Lease. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdarg.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kubelet/admission.h"
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

void ck_pod_event(ck_kubelet *k, ck_pod_worker *w, const ck_ctr_record *r, const char *type, const char *reason,
                  const char *fmt, ...)
{
    char msg[1024], fp[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r) snprintf(fp, sizeof fp, "spec.%s{%s}", r->init ? "initContainers" : "containers", r->name);
    ck_event_record(k->events, w->pod, r ? fp : NULL, type, reason, "%s", msg);
}

static void enqueue(json_t *obj, void *ud)
{
    char key[320];
    if (ck_informer_key(obj, key, sizeof key) <= 0) return;
    ck_debug("pod %s: queued (informer event)", key);
    ck_workqueue_add(((ck_kubelet *)ud)->queue, key);
}
static void on_update(json_t *o, json_t *n, void *ud) { enqueue(n, ud); }

static ck_pod_worker *find(ck_kubelet *k, const char *key, size_t *idx)
{
    for (size_t i = 0; i < k->nw; i++)
        if (strcmp(k->w[i]->key, key) == 0) return *idx = i, k->w[i];
    return NULL;
}

ck_pod_worker *ck_kubelet_lock_pod(ck_kubelet *k, const char *ns, const char *name)
{
    char key[320];
    size_t i;
    snprintf(key, sizeof key, "%s/%s", ns, name);
    pthread_mutex_lock(&k->mu);
    ck_pod_worker *w = find(k, key, &i);
    if (w) pthread_mutex_lock(&w->mu);
    pthread_mutex_unlock(&k->mu);
    return w;
}

static void sync_key(ck_kubelet *k, const char *key)
{
    json_t *pod = ck_informer_get(k->pods, key);
    size_t idx;
    pthread_mutex_lock(&k->mu);
    ck_pod_worker *w = find(k, key, &idx);
    /* A new pod with the same name (another uid) replaces the old worker once it is gone. */
    bool same = w && pod && strcmp(w->uid, ck_json_str(pod, "metadata.uid", "")) == 0, rejected = false;
    if (!w && pod) {
        w = ck_pod_worker_new(pod);
        ck_pod_worker **n = w ? realloc(k->w, (k->nw + 1) * sizeof *n) : NULL;
        if (n) k->w = n, k->w[k->nw++] = w, idx = k->nw - 1, same = true;
        else ck_pod_worker_free(w), w = NULL;
        /* HandlePodAdditions: canAdmitPod against the pods admitted so far */
        rejected = w && !ck_admission_admit(k, w);
    }
    pthread_mutex_unlock(&k->mu);
    if (!w) {
        json_decref(pod);
        return;
    }
    pthread_mutex_lock(&w->mu);
    if (same) ck_pod_worker_update(w, pod);
    w->wake_ms = 0;
    if (rejected) { /* rejectPod: the event and the Failed status */
        ck_pod_event(k, w, NULL, "Warning", w->reason, "%s", w->message + strlen("Pod was rejected: "));
        ck_pod_status_sync(k, w);
    }
    int64_t t0 = ck_mono_ms();
    int done = ck_pod_worker_sync(k, w, !same);
    long wake = w->wake_ms;
    ck_debug("pod %s: synced in %lld ms", key, (long long)(ck_mono_ms() - t0));
    pthread_mutex_unlock(&w->mu);
    if (done) {
        pthread_mutex_lock(&k->mu);
        if (find(k, key, &idx) == w) k->w[idx] = k->w[--k->nw];
        pthread_mutex_unlock(&k->mu);
        ck_pod_worker_free(w);
        if (pod) ck_workqueue_add(k->queue, key); /* the new pod of that name */
    } else {
        /* The PLEG relist period, or soon while a container is still starting
         * or a just-started one may exit (pod_worker sets wake). */
        long period = k->cfg.sync_period_ms > 0 ? k->cfg.sync_period_ms : 1000;
        ck_workqueue_add_after(k->queue, key, wake > 0 && wake < period ? wake : period);
    }
    json_decref(pod);
}

static void *worker(void *arg)
{
    ck_kubelet *k = arg;
    char *key;
    while ((key = ck_workqueue_get(k->queue, NULL))) {
        sync_key(k, key);
        ck_workqueue_done(k->queue, key);
        free(key);
    }
    return NULL;
}

static void *heartbeat(void *arg)
{
    ck_kubelet *k = arg;
    long period = k->cfg.status_period_ms > 0 ? k->cfg.status_period_ms : 10000;
    pthread_mutex_lock(&k->hb_mu);
    while (!k->stopping) {
        pthread_mutex_unlock(&k->hb_mu);
        ck_node_renew_lease(k);
        ck_node_update_status(k);
        pthread_mutex_lock(&k->hb_mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += period / 1000;
        ts.tv_nsec += (period % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
        if (!k->stopping) pthread_cond_timedwait(&k->hb_cv, &k->hb_mu, &ts);
    }
    pthread_mutex_unlock(&k->hb_mu);
    return NULL;
}

static void first_ipv4(char *out, size_t n)
{
    struct ifaddrs *ifs, *i;
    snprintf(out, n, "127.0.0.1");
    if (getifaddrs(&ifs) < 0) return;
    for (i = ifs; i; i = i->ifa_next)
        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && strcmp(i->ifa_name, "lo") != 0 &&
            strncmp(i->ifa_name, "cbr", 3) != 0) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, out, (socklen_t)n);
            break;
        }
    freeifaddrs(ifs);
}

ck_kubelet *ck_kubelet_new(const ck_kubelet_config *cfg, ck_rest *rest, ck_cri *rt, char *err, size_t errlen)
{
    ck_kubelet *k = calloc(1, sizeof *k);
    if (!k) return snprintf(err, errlen, "out of memory"), NULL;
    k->cfg = *cfg;
    k->rest = rest;
    k->rt = rt;
    if (cfg->node_name && *cfg->node_name) snprintf(k->node_name, sizeof k->node_name, "%s", cfg->node_name);
    else gethostname(k->node_name, sizeof k->node_name - 1);
    if (cfg->node_ip && *cfg->node_ip) snprintf(k->node_ip, sizeof k->node_ip, "%s", cfg->node_ip);
    else first_ipv4(k->node_ip, sizeof k->node_ip);
    snprintf(k->root, sizeof k->root, "%s", cfg->root_dir ? cfg->root_dir : "/var/lib/ckube/kubelet");
    snprintf(k->pod_cidr, sizeof k->pod_cidr, "%s", cfg->pod_cidr ? cfg->pod_cidr : "");
    snprintf(k->address, sizeof k->address, "%s", cfg->address ? cfg->address : "0.0.0.0");
    k->port = cfg->port;
    /* the same capacity node_status.c reports (allocatable = capacity) */
    if (cfg->cpu) snprintf(k->alloc_cpu, sizeof k->alloc_cpu, "%s", cfg->cpu);
    else snprintf(k->alloc_cpu, sizeof k->alloc_cpu, "%ld", sysconf(_SC_NPROCESSORS_ONLN));
    if (cfg->memory) snprintf(k->alloc_memory, sizeof k->alloc_memory, "%s", cfg->memory);
    else snprintf(k->alloc_memory, sizeof k->alloc_memory, "%lldKi",
                  (long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE) / 1024);
    k->cfg.node_name = k->node_name;
    snprintf(k->cluster_domain, sizeof k->cluster_domain, "%s", cfg->cluster_domain ? cfg->cluster_domain : "cluster.local");
    snprintf(k->resolv_conf, sizeof k->resolv_conf, "%s", cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf");
    for (const char *p = cfg->cluster_dns; p && *p && k->n_cluster_dns < 3;) {
        size_t len = strcspn(p, ",");
        if (len && (k->cluster_dns[k->n_cluster_dns] = strndup(p, len))) k->n_cluster_dns++;
        p += len + (p[len] == ',');
    }
    pthread_mutex_init(&k->img_mu, NULL);
    k->images = json_object();
    k->events = ck_event_recorder_new(rest, "kubelet", k->node_name, !cfg->events_sync);
    pthread_mutex_init(&k->mu, NULL);
    pthread_mutex_init(&k->hb_mu, NULL);
    pthread_cond_init(&k->hb_cv, NULL);
    ck_rate_limiter_cfg rl = {5, 1000, 0, 0};
    k->queue = ck_workqueue_new_with("kubelet-pods", &rl);
    char sel[320];
    snprintf(sel, sizeof sel, "spec.nodeName=%s", k->node_name);
    ck_informer_opts io = {.version = "v1", .resource = "pods", .field_selector = sel};
    ck_informer_handlers h = {enqueue, on_update, enqueue, k};
    k->pods = k->queue ? ck_informer_new(rest, &io, &h, err, errlen) : NULL;
    /* kubelet.go NewMainKubelet: a Service informer over every namespace for
     * the service environment variables (no handlers: read at container start) */
    ck_informer_opts so = {.version = "v1", .resource = "services"};
    ck_informer_handlers sh = {0};
    k->services = k->pods ? ck_informer_new(rest, &so, &sh, err, errlen) : NULL;
    if (!k->pods || !k->services || !k->events || !k->images) {
        if (k->services) ck_informer_free(k->services);
        if (k->pods) ck_informer_free(k->pods);
        if (k->queue) ck_workqueue_free(k->queue);
        ck_event_recorder_free(k->events);
        json_decref(k->images);
        for (size_t i = 0; i < k->n_cluster_dns; i++) free(k->cluster_dns[i]);
        free(k);
        return NULL;
    }
    return k;
}

int ck_kubelet_start(ck_kubelet *k, char *err, size_t errlen)
{
    if (ck_server_start(k, err, errlen) < 0) return -1;
    if (ck_node_register(k, err, errlen) < 0) return -1;
    if (pthread_create(&k->heartbeat, NULL, heartbeat, k) == 0) k->heartbeat_started = true;
    if (ck_informer_start(k->services) < 0) return snprintf(err, errlen, "service informer did not start"), -1;
    /* Containers need the services listed once (service env vars); pods
     * started before that wait in CreateContainerConfigError. */
    ck_informer_wait_synced(k->services, 5000);
    if (ck_informer_start(k->pods) < 0) return snprintf(err, errlen, "pod informer did not start"), -1;
    for (k->nworkers = 0; k->nworkers < CK_KUBELET_WORKERS; k->nworkers++)
        if (pthread_create(&k->workers[k->nworkers], NULL, worker, k) != 0) break;
    return 0;
}

int ck_kubelet_port(const ck_kubelet *k) { return k->port; }

void ck_kubelet_free(ck_kubelet *k)
{
    if (!k) return;
    pthread_mutex_lock(&k->hb_mu);
    k->stopping = 1;
    pthread_cond_broadcast(&k->hb_cv);
    pthread_mutex_unlock(&k->hb_mu);
    ck_informer_stop(k->pods);
    ck_informer_stop(k->services);
    ck_workqueue_shutdown(k->queue);
    for (int i = 0; i < k->nworkers; i++) pthread_join(k->workers[i], NULL);
    if (k->heartbeat_started) pthread_join(k->heartbeat, NULL);
    ck_server_stop(k);
    for (size_t i = 0; i < k->nw; i++) {
        ck_pod_termination_join(k->w[i]); /* a termination in flight ends first */
        ck_pod_worker_kill(k, k->w[i], 0);
        ck_pod_worker_free(k->w[i]);
    }
    free(k->w);
    ck_informer_free(k->pods);
    ck_informer_free(k->services);
    ck_workqueue_free(k->queue);
    ck_cri_free(k->rt);
    ck_event_recorder_free(k->events);
    json_decref(k->images);
    for (size_t i = 0; i < k->n_cluster_dns; i++) free(k->cluster_dns[i]);
    pthread_mutex_destroy(&k->img_mu);
    pthread_mutex_destroy(&k->mu);
    pthread_mutex_destroy(&k->hb_mu);
    pthread_cond_destroy(&k->hb_cv);
    free(k);
}
