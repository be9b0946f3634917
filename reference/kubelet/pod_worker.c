/* pod_worker.c: one pod's state machine (pkg/kubelet/pod_workers.go +
 * kuberuntime_manager.go SyncPod/computePodActions, reduced): sandbox and
 * volumes, init containers one at a time in order, then every container;
 * restarts per restartPolicy behind CrashLoopBackOff; image pull errors as
 * ErrImagePull/ImagePullBackOff; probes; graceful termination and the final
 * DELETE (gracePeriodSeconds=0, preconditions.uid) once everything stopped. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "api/quantity.h"
#include "kubelet/port_mappings.h"
#include "kubelet/sysctl.h"
#include "kubelet/kubelet_internal.h"
#include "kubelet/logs.h"
#include "kubelet/subpath.h"
#include "node/cmd.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

/* Bounded copy into a char array (truncates). */
#define COPY(dst, src) snprintf((dst), sizeof(dst), "%.*s", (int)sizeof(dst) - 1, (src))

static void add_records(ck_pod_worker *w, const json_t *list, bool init)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        ck_ctr_record *r = &w->ctrs[w->n++];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", ck_json_str(c, "name", ""));
        r->init = init;
    }
}

ck_pod_worker *ck_pod_worker_new(const json_t *pod)
{
    ck_pod_worker *w = calloc(1, sizeof *w);
    json_t *ic = ck_json_path(pod, "spec.initContainers"), *cs = ck_json_path(pod, "spec.containers");
    if (!w || !(w->ctrs = calloc(json_array_size(ic) + json_array_size(cs) + 1, sizeof *w->ctrs))) {
        free(w);
        return NULL;
    }
    snprintf(w->uid, sizeof w->uid, "%s", ck_json_str(pod, "metadata.uid", ""));
    snprintf(w->ns, sizeof w->ns, "%s", ck_json_str(pod, "metadata.namespace", "default"));
    snprintf(w->name, sizeof w->name, "%s", ck_json_str(pod, "metadata.name", ""));
    snprintf(w->key, sizeof w->key, "%s/%s", w->ns, w->name);
    add_records(w, ic, true);
    w->n_init = w->n;
    add_records(w, cs, false);
    w->init_done = w->n_init == 0;
    w->pod = json_deep_copy(pod);
    pthread_mutex_init(&w->mu, NULL);
    return w;
}

void ck_pod_worker_free(ck_pod_worker *w)
{
    if (!w) return;
    ck_pod_termination_join(w);
    json_decref(w->pod);
    free(w->ctrs);
    free(w->eph);
    free(w->last_status);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

void ck_pod_worker_update(ck_pod_worker *w, const json_t *pod)
{
    json_decref(w->pod);
    w->pod = json_deep_copy(pod);
}

const json_t *ck_pod_container_spec(const ck_pod_worker *w, const ck_ctr_record *r)
{
    size_t i;
    json_t *c;
    const char *list = r->ephemeral ? "spec.ephemeralContainers" : r->init ? "spec.initContainers" : "spec.containers";
    json_array_foreach(ck_json_path(w->pod, list), i, c)
        if (strcmp(ck_json_str(c, "name", ""), r->name) == 0) return c;
    return NULL;
}

/* ---- starting a container -------------------------------------------- */

/* ConfigMaps and Secrets for env (the kubelet's configMapManager, uncached). */
static json_t *api_lookup(void *ud, const char *resource, const char *ns, const char *name, bool *not_found)
{
    ck_kubelet *k = ud;
    ck_resource_ref ref = {"", "v1", resource, ns, name, NULL};
    ck_response r = {0};
    json_t *obj = NULL;
    if (ck_rest_get(k->rest, &ref, &r) == 0) obj = json_incref(r.body);
    *not_found = r.code == 404;
    ck_response_clear(&r);
    return obj;
}

/* getServiceEnvVarMap: the Services the pod may see, from the service
 * informer. -1 while the informer has not listed yet (upstream's
 * CreateContainerConfigError "services have not yet been read..."). */
static int service_env(ck_kubelet *k, ck_pod_worker *w, char ***out, char *err, size_t errlen)
{
    *out = NULL;
    if (!k->services) return 0; /* tests without an API server */
    if (!ck_informer_has_synced(k->services))
        return snprintf(err, errlen, "services have not yet been read at least once, cannot construct envvars"), -1;
    json_t *all = ck_informer_list(k->services, NULL, NULL);
    *out = ck_service_env(all, w->ns, ck_json_bool(w->pod, "spec.enableServiceLinks", true));
    json_decref(all);
    return *out ? 0 : (snprintf(err, errlen, "out of memory"), -1);
}

static char **env_of(ck_kubelet *k, ck_pod_worker *w, const json_t *c, char *err, size_t errlen)
{
    ck_env_context ctx = {.pod = w->pod, .pod_ip = w->pod_ip[0] ? w->pod_ip : k->node_ip, .host_ip = k->node_ip,
                          .node_name = k->node_name, .node_cpu = k->alloc_cpu, .node_memory = k->alloc_memory,
                          .lookup = api_lookup, .ud = k};
    char host[300], **svc;
    if (service_env(k, w, &svc, err, errlen) < 0) return NULL;
    size_t n = 0;
    while (svc && svc[n]) n++;
    const char **extra = calloc(n + 2, sizeof *extra);
    if (!extra) {
        ck_env_free(svc);
        return snprintf(err, errlen, "out of memory"), NULL;
    }
    /* Service variables first: the pod's own env replaces any of them. */
    for (size_t i = 0; i < n; i++) extra[i] = svc[i];
    snprintf(host, sizeof host, "HOSTNAME=%s", ck_json_str(w->pod, "spec.hostname", w->name));
    extra[n] = host;
    ctx.extra = extra;
    char **env = ck_env_build(&ctx, c, err, errlen);
    free(extra);
    ck_env_free(svc);
    return env;
}

static void set_waiting(ck_ctr_record *r, const char *reason, const char *message)
{
    snprintf(r->waiting_reason, sizeof r->waiting_reason, "%s", reason ? reason : "");
    COPY(r->waiting_message, message ? message : "");
}

/* A waiting reason reported once as "Error: <reason>" (kuberuntime's
 * recordContainerEvent on a failed start), again only when it changes. */
static void waiting_event(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const char *reason, const char *msg)
{
    ck_pod_event(k, w, r, "Warning", "Failed", "Error: %s", msg ? msg : reason);
}

/* Go's time.Duration text for a pull time ("512ms", "1.234s"). */
static void go_duration(int64_t ms, char *out, size_t n)
{
    if (ms < 1000) snprintf(out, n, "%lldms", (long long)ms);
    else snprintf(out, n, "%lld.%03llds", (long long)(ms / 1000), (long long)(ms % 1000));
}

/* images.PullPolicy: Always (default for :latest or no tag), IfNotPresent, Never. */
static const char *pull_policy(const json_t *c, const char *image)
{
    const char *p = ck_json_str(c, "imagePullPolicy", NULL);
    if (p) return p;
    const char *slash = strrchr(image, '/'), *colon = strrchr(slash ? slash : image, ':');
    return !colon || strcmp(colon, ":latest") == 0 ? "Always" : "IfNotPresent";
}

/* pkg/kubelet/images/image_manager.go EnsureImageExists: Pulling/Pulled
 * events, ErrImagePull, then ImagePullBackOff while the pull back-off runs. */
static int pull(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const json_t *c, const char *image, int64_t now)
{
    char err[512], msg[640], took[32];
    const char *policy = pull_policy(c, image);
    pthread_mutex_lock(&k->img_mu);
    bool present = json_object_get(k->images, image) != NULL;
    pthread_mutex_unlock(&k->img_mu);
    if (present && strcmp(policy, "Always") != 0) {
        if (!r->restart_count && !r->id[0])
            ck_pod_event(k, w, r, "Normal", "Pulled", "Container image \"%s\" already present on machine", image);
        return 0;
    }
    if (r->pull_retry_at_ms && now < r->pull_retry_at_ms) {
        snprintf(msg, sizeof msg, "Back-off pulling image \"%s\"", image);
        if (strcmp(r->waiting_reason, "ImagePullBackOff") != 0) {
            ck_pod_event(k, w, r, "Normal", "BackOff", "%s", msg);
            waiting_event(k, w, r, "ImagePullBackOff", "ImagePullBackOff");
        }
        set_waiting(r, "ImagePullBackOff", msg);
        return -1;
    }
    ck_pod_event(k, w, r, "Normal", "Pulling", "Pulling image \"%s\"", image);
    int64_t t0 = ck_mono_ms();
    if (k->rt->ops->pull_image(k->rt, image, err, sizeof err) == 0) {
        go_duration(ck_mono_ms() - t0, took, sizeof took);
        ck_pod_event(k, w, r, "Normal", "Pulled", "Successfully pulled image \"%s\" in %s (%s including waiting)", image,
                     took, took);
        pthread_mutex_lock(&k->img_mu);
        json_object_set_new(k->images, image, json_true());
        pthread_mutex_unlock(&k->img_mu);
        r->pull_backoff_ms = 0;
        r->pull_retry_at_ms = 0;
        return 0;
    }
    long initial = k->cfg.backoff_initial_ms > 0 ? k->cfg.backoff_initial_ms : 10000;
    long max = k->cfg.backoff_max_ms > 0 ? k->cfg.backoff_max_ms : 300000;
    r->pull_backoff_ms = r->pull_backoff_ms ? (r->pull_backoff_ms * 2 > max ? max : r->pull_backoff_ms * 2) : initial;
    r->pull_retry_at_ms = now + r->pull_backoff_ms;
    ck_pod_event(k, w, r, "Warning", "Failed", "Failed to pull image \"%s\": %s", image, err);
    waiting_event(k, w, r, "ErrImagePull", "ErrImagePull");
    set_waiting(r, "ErrImagePull", err);
    return -1;
}

/* kuberuntime_container.go: generateContainerConfig failed; the event is
 * repeated only when the message changes. */
static void config_error(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const char *err)
{
    if (strcmp(r->waiting_reason, "CreateContainerConfigError") != 0 || strcmp(r->waiting_message, err) != 0)
        waiting_event(k, w, r, "CreateContainerConfigError", err);
    set_waiting(r, "CreateContainerConfigError", err);
}

static int start_container(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, int64_t now)
{
    const json_t *c = ck_pod_container_spec(w, r);
    const char *image = ck_json_str(c, "image", "");
    if (!c || pull(k, w, r, c, image, now) < 0) return -1;
    char err[512] = "", log[1024], id[CK_CRI_ID_LEN]; /* err + strlen(err) below even on success */
    ck_cri_mount *mounts = NULL;
    size_t nm = 0;
    char **env = env_of(k, w, c, err, sizeof err);
    /* makeMounts after makeEnvironmentVariables: subPathExpr expands from env */
    if (!env || ck_volumes_mounts_env(k, w, c, env, r->restart_count, &mounts, &nm, err, sizeof err) < 0) {
        config_error(k, w, r, err);
        ck_env_free(env);
        return -1;
    }
    ck_log_path(k, w, r->name, r->restart_count, log, sizeof log);
    /* ExpandContainerCommandAndArgs: $(VAR) from the container's environment */
    char **cmd = ck_env_expand_argv(json_object_get(c, "command"), env);
    char **args = ck_env_expand_argv(json_object_get(c, "args"), env);
    uint32_t groups[16];
    ck_cri_container_config cc = {
        .name = r->name, .attempt = r->restart_count, .image = image, .command = (const char *const *)cmd,
        .args = (const char *const *)args,
        .env = (const char *const *)env, .working_dir = ck_json_str(c, "workingDir", NULL), .mounts = mounts,
        .n_mounts = nm, .log_path = log};
    cc.cpu_limit_milli = ck_quantity_milli(ck_json_str(c, "resources.limits.cpu", NULL), 0);
    cc.memory_limit_bytes = ck_quantity_value(ck_json_str(c, "resources.limits.memory", NULL), 0);
    int64_t t0 = ck_mono_ms();
    int rc = ck_security_context(w->pod, c, &cc, groups, sizeof groups / sizeof groups[0], err, sizeof err);
    if (rc < 0) config_error(k, w, r, err);
    else if ((rc = k->rt->ops->create_container(k->rt, w->sandbox, &cc, id, err, sizeof err)) < 0) {
        waiting_event(k, w, r, "CreateContainerError", err);
        set_waiting(r, "CreateContainerError", err);
    } else {
        ck_pod_event(k, w, r, "Normal", "Created", "Created container: %s", r->name);
        snprintf(r->id, sizeof r->id, "%s", id);
        memset(&r->cur, 0, sizeof r->cur);
        r->term_message[0] = 0;
        rc = k->rt->ops->start_container(k->rt, id, err, sizeof err);
        ck_debug("pod %s container %s: created and started in %lld ms", w->key, r->name, (long long)(ck_mono_ms() - t0));
        k->rt->ops->container_status(k->rt, id, &r->cur, err + strlen(err), 1);
        if (rc < 0) {
            set_waiting(r, "RunContainerError", r->cur.message[0] ? r->cur.message : err);
            waiting_event(k, w, r, "RunContainerError", r->waiting_message);
        } else {
            set_waiting(r, NULL, NULL);
            ck_pod_event(k, w, r, "Normal", "Started", "Started container %s", r->name);
        }
    }
    ck_env_free(cmd);
    ck_env_free(args);
    ck_env_free(env);
    ck_mounts_free(mounts, nm);
    if (rc < 0) return -1;
    r->running_since_ms = now;
    r->started = !json_object_get(c, "startupProbe");
    r->ready = !json_object_get(c, "readinessProbe");
    r->live_fail = r->ready_fail = r->start_fail = r->ready_ok = 0;
    r->probe_at_ms = now + 1000 * ck_json_int(c, "readinessProbe.initialDelaySeconds", 0);
    if (ck_json_path(c, "lifecycle.postStart") && ck_lifecycle_hook(k, w, r, "postStart", err, sizeof err) != 0) {
        /* FailedPostStartHook: the container is killed and restarted per policy. */
        ck_warn("pod %s container %s: postStart hook failed: %s", w->key, r->name, err);
        ck_pod_event(k, w, r, "Warning", "FailedPostStartHook", "%s", err);
        ck_pod_event(k, w, r, "Normal", "Killing", "FailedPostStartHook");
        k->rt->ops->stop_container(k->rt, r->id, 0, err, sizeof err);
    }
    return 0;
}

int ck_pod_worker_start_container(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, int64_t now)
{
    return start_container(k, w, r, now);
}

/* ---- observing containers -------------------------------------------- */

static void read_termination_message(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r)
{
    char dir[1200], path[1400];
    const json_t *c = ck_pod_container_spec(w, r);
    if (ck_pod_dir(k, w, "containers", dir, sizeof dir) < 0 ||
        ck_node_pathf(path, sizeof path, "%s/%s-%d-termination-log", dir, r->name, r->cur.attempt) < 0)
        return;
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f) n = fread(r->term_message, 1, sizeof r->term_message - 1, f), fclose(f);
    r->term_message[n] = 0;
    /* FallbackToLogsOnError: the log's tail when the file is empty and it failed
     * (readLastStringFromContainerLogs: the last 80 lines' messages, 2048 bytes). */
    if (!n && r->cur.exit_code && strcmp(ck_json_str(c, "terminationMessagePolicy", "File"), "FallbackToLogsOnError") == 0 &&
        ck_log_path(k, w, r->name, r->cur.attempt, path, sizeof path) == 0)
        ck_log_tail_text(path, 80, 2048, r->term_message, sizeof r->term_message);
}

static void refresh(ck_kubelet *k, ck_pod_worker *w)
{
    char err[256];
    for (size_t i = 0; i < w->n; i++) {
        ck_ctr_record *r = &w->ctrs[i];
        if (!r->id[0]) continue;
        bool was_exited = r->cur.state == CK_CONTAINER_EXITED;
        if (k->rt->ops->container_status(k->rt, r->id, &r->cur, err, sizeof err) < 0) continue;
        if (!was_exited && r->cur.state == CK_CONTAINER_EXITED) read_termination_message(k, w, r);
    }
}

static bool should_restart(const char *policy, int exit_code)
{
    if (strcmp(policy, "Always") == 0) return true;
    return strcmp(policy, "OnFailure") == 0 && exit_code != 0;
}

/* An exited container: restart it (maybe after back-off) or leave it. */
static void handle_exited(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const char *policy, int64_t now)
{
    if (!should_restart(policy, r->cur.exit_code)) {
        if (strcmp(r->waiting_reason, "RunContainerError") == 0) set_waiting(r, NULL, NULL);
        return;
    }
    int64_t finished_ms = now - ((int64_t)time(NULL) - r->cur.finished_at) * 1000;
    if (ck_backoff_in_backoff(&k->cfg, r, finished_ms, now)) {
        char msg[512];
        snprintf(msg, sizeof msg, "back-off %lds restarting failed container=%s pod=%s_%s(%s)",
                 r->backoff_ms / 1000, r->name, w->name, w->ns, w->uid);
        /* kuberuntime_manager.go doBackOff: a BackOff event as the container enters
         * each back-off (upstream repeats it per sync; the correlator counts). */
        if (strcmp(r->waiting_reason, "CrashLoopBackOff") != 0)
            ck_pod_event(k, w, r, "Warning", "BackOff", "Back-off restarting failed container %s in pod %s_%s(%s)", r->name,
                     w->name, w->ns, w->uid);
        set_waiting(r, "CrashLoopBackOff", msg);
        return;
    }
    ck_backoff_next(&k->cfg, r, now);
    char err[256];
    r->prev = r->cur;
    if (r->term_message[0]) COPY(r->prev.message, r->term_message);
    r->has_prev = true;
    k->rt->ops->remove_container(k->rt, r->id, err, sizeof err);
    r->id[0] = 0;
    r->restart_count++;
    start_container(k, w, r, now);
}

static void sync_init(ck_kubelet *k, ck_pod_worker *w, const char *policy, int64_t now)
{
    for (size_t i = 0; i < w->n_init; i++) {
        ck_ctr_record *r = &w->ctrs[i];
        if (!r->id[0]) {
            start_container(k, w, r, now);
            return;
        }
        if (r->cur.state == CK_CONTAINER_RUNNING) return;
        if (r->cur.exit_code == 0 && r->cur.state == CK_CONTAINER_EXITED) continue;
        /* A failed init container restarts unless the policy is Never (then the pod fails). */
        if (strcmp(policy, "Never") != 0) handle_exited(k, w, r, "OnFailure", now);
        return;
    }
    w->init_done = true;
}

static void sync_containers(ck_kubelet *k, ck_pod_worker *w, const char *policy, int64_t now)
{
    for (size_t i = w->n_init; i < w->n; i++) {
        ck_ctr_record *r = &w->ctrs[i];
        if (!r->id[0]) start_container(k, w, r, now);
        else if (r->cur.state == CK_CONTAINER_EXITED) handle_exited(k, w, r, policy, now);
        else if (r->cur.state == CK_CONTAINER_RUNNING && ck_probe_container(k, w, r, now)) {
            char err[256];
            long grace = ck_json_int(w->pod, "spec.terminationGracePeriodSeconds", 30);
            ck_pod_event(k, w, r, "Normal", "Killing", "Container %s failed %s probe, will be restarted", r->name,
                         r->started ? "liveness" : "startup");
            k->rt->ops->stop_container(k->rt, r->id, grace, err, sizeof err);
            k->rt->ops->container_status(k->rt, r->id, &r->cur, err, sizeof err);
        }
    }
}

/* ---- termination ------------------------------------------------------ */

bool ck_pod_worker_pre_stop(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r)
{
    char err[512];
    if (!r->id[0] || r->cur.state != CK_CONTAINER_RUNNING) return false;
    ck_pod_event(k, w, r, "Normal", "Killing", "Stopping container %s", r->name);
    if (ck_json_path(ck_pod_container_spec(w, r), "lifecycle.preStop") &&
        ck_lifecycle_hook(k, w, r, "preStop", err, sizeof err) != 0)
        ck_pod_event(k, w, r, "Warning", "FailedPreStopHook", "%s", err);
    return true;
}

void ck_pod_worker_kill(ck_kubelet *k, ck_pod_worker *w, long grace_s)
{
    char err[512];
    int64_t deadline = ck_mono_ms() + grace_s * 1000;
    for (size_t i = 0; i < w->n; i++) {
        ck_ctr_record *r = &w->ctrs[i];
        if (!ck_pod_worker_pre_stop(k, w, r)) continue;
        long left = (long)((deadline - ck_mono_ms()) / 1000);
        k->rt->ops->stop_container(k->rt, r->id, left > 0 ? left : 0, err, sizeof err);
    }
    ck_pod_worker_finish_kill(k, w);
}

void ck_pod_worker_finish_kill(ck_kubelet *k, ck_pod_worker *w)
{
    char err[512];
    ck_ephemeral_kill(k, w);
    refresh(k, w);
    if (w->sandbox[0]) {
        k->rt->ops->stop_pod_sandbox(k->rt, w->sandbox, err, sizeof err);
        k->rt->ops->remove_pod_sandbox(k->rt, w->sandbox, err, sizeof err);
        w->sandbox[0] = 0;
    }
    w->terminated = true;
}

static void final_delete(ck_kubelet *k, ck_pod_worker *w)
{
    ck_resource_ref ref = {"", "v1", "pods", w->ns, w->name, NULL};
    ck_delete_opts o = CK_DELETE_OPTS_INIT;
    o.grace_period_seconds = 0;
    o.precondition_uid = w->uid;
    ck_response r = {0};
    if (ck_rest_delete(k->rest, &ref, &o, &r) < 0 && r.code != 404)
        ck_warn("pod %s: final delete: %ld %s", w->key, r.code, r.message);
    ck_response_clear(&r);
}

static int ensure_sandbox(ck_kubelet *k, ck_pod_worker *w)
{
    char err[512], dir[1200];
    if (w->sandbox[0]) return 0;
    if (ck_volumes_setup(k, w, err, sizeof err) < 0 || ck_pod_dir(k, w, "", dir, sizeof dir) < 0) {
        /* volumemanager WaitForAttachAndMount: FailedMount, retried (500 ms initial upstream) */
        if (strcmp(w->sandbox_error, err) != 0 || w->volumes_at_ms + 10000 < ck_mono_ms()) {
            ck_pod_event(k, w, NULL, "Warning", "FailedMount", "%s", err);
            w->volumes_at_ms = ck_mono_ms();
        }
        COPY(w->sandbox_error, err);
        w->wake_ms = 500;
        return -1;
    }
    ck_cri_sandbox_config sc = {.name = w->name, .namespace = w->ns, .uid = w->uid,
                                .hostname = ck_json_str(w->pod, "spec.hostname", w->name),
                                .host_network = ck_json_bool(w->pod, "spec.hostNetwork", false), .dir = dir};
    ck_port_mappings_sandbox_config(w->pod, &sc); /* beyond CK_CRI_MAX_PORTS: the first ones */
    ck_sysctl_sandbox_config(w->pod, &sc);
    int64_t t0 = ck_mono_ms();
    int sbrc = k->rt->ops->run_pod_sandbox(k->rt, &sc, w->sandbox, err, sizeof err);
    ck_debug("pod %s: sandbox in %lld ms", w->key, (long long)(ck_mono_ms() - t0));
    if (sbrc < 0) {
        COPY(w->sandbox_error, err);
        ck_warn("pod %s: sandbox: %s", w->key, err);
        ck_pod_event(k, w, NULL, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: %s", err);
        return -1;
    }
    ck_cri_sandbox_status ss;
    if (k->rt->ops->pod_sandbox_status(k->rt, w->sandbox, &ss, err, sizeof err) == 0)
        snprintf(w->pod_ip, sizeof w->pod_ip, "%s", ss.ip);
    w->sandbox_error[0] = 0;
    w->volumes_at_ms = ck_mono_ms();
    ck_volumes_hosts(k, w); /* /etc/hosts now knows the pod IP */
    return 0;
}

/* The pod's configMap/secret/projected files follow their objects this often
 * (upstream: the sync period plus the configMap manager's TTL, about a minute). */
#define VOLUME_RESYNC_MS 10000

/* Something may change soon without an API event: an init container runs,
 * or a container started in the last 2 s (it may exit at once). The pod
 * worker then re-syncs in 200 ms instead of the 1 s relist period. */
static bool starting(const ck_pod_worker *w, int64_t now)
{
    for (size_t i = 0; i < w->n; i++) {
        const ck_ctr_record *r = &w->ctrs[i];
        if (r->id[0] && r->cur.state == CK_CONTAINER_RUNNING && (r->init || now - r->running_since_ms < 2000))
            return true;
    }
    return false;
}

int ck_pod_worker_sync(ck_kubelet *k, ck_pod_worker *w, bool gone)
{
    bool deleting = ck_json_path(w->pod, "metadata.deletionTimestamp") != NULL;
    if (gone || deleting) {
        if (w->killing) { /* its termination thread runs (pod_termination.c) */
            if (gone) ck_pod_termination_hurry(k, w);
            return 0;
        }
        ck_pod_termination_join(w);
        if (!w->terminated) {
            long grace = ck_json_int(w->pod, "metadata.deletionGracePeriodSeconds",
                                     ck_json_int(w->pod, "spec.terminationGracePeriodSeconds", 30));
            if (!gone && ck_pod_termination_start(k, w, grace) == 0) return 0;
            ck_pod_worker_kill(k, w, gone ? 0 : grace);
        }
        if (!w->cleaned) { /* also for pods that had already Succeeded/Failed */
            char dir[1200];
            ck_volumes_teardown(k, w);
            if (ck_pod_dir(k, w, "", dir, sizeof dir) == 0) ck_cmd(NULL, 0, "rm", "-rf", dir, NULL);
            w->cleaned = true;
        }
        if (!gone) final_delete(k, w);
        return gone ? 1 : 0;
    }
    if (w->terminated) return 0; /* Succeeded/Failed: nothing more to run */
    int64_t now = ck_mono_ms();
    if (!w->start_time) w->start_time = time(NULL);
    if (ck_active_deadline_exceeded(w, time(NULL))) {
        /* generateAPIPodStatus: the sync handler's eviction fails the pod; syncPod kills it */
        snprintf(w->phase, sizeof w->phase, "Failed");
        COPY(w->reason, CK_DEADLINE_REASON);
        COPY(w->message, CK_DEADLINE_MESSAGE);
        ck_pod_event(k, w, NULL, "Normal", CK_DEADLINE_REASON, "%s", CK_DEADLINE_MESSAGE);
        ck_pod_worker_kill(k, w, ck_json_int(w->pod, "spec.terminationGracePeriodSeconds", 30));
        ck_pod_status_sync(k, w);
        return 0;
    }
    const char *policy = ck_json_str(w->pod, "spec.restartPolicy", "Always");
    if (ensure_sandbox(k, w) == 0) {
        char err[512];
        if (now - w->volumes_at_ms >= VOLUME_RESYNC_MS) {
            w->volumes_at_ms = now;
            if (ck_volumes_refresh(k, w, err, sizeof err) < 0) ck_pod_event(k, w, NULL, "Warning", "FailedMount", "%s", err);
        }
        refresh(k, w);
        if (!w->init_done) sync_init(k, w, policy, now);
        if (w->init_done) sync_containers(k, w, policy, now);
        ck_ephemeral_sync(k, w, now); /* may start before initialization completes, as upstream */
        refresh(k, w);
        w->wake_ms = starting(w, ck_mono_ms()) ? 200 : w->wake_ms;
    }
    const char *phase = ck_pod_phase(w);
    if (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0) {
        snprintf(w->phase, sizeof w->phase, "%s", phase);
        ck_pod_worker_kill(k, w, 0);
    }
    ck_pod_status_sync(k, w);
    return 0;
}
