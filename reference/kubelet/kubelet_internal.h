/* kubelet_internal.h: the kubelet's shared state: per-pod workers and the
 * per-container records the status manager turns into PodStatus. Private to
 * reference/kubelet (tests include it to drive the state machine). */
#ifndef CK_KUBELET_INTERNAL_H
#define CK_KUBELET_INTERNAL_H
#include <pthread.h>
#include "client/informer.h"
#include "client/workqueue.h"
#include "kubelet/kubelet.h"
#include "kubelet/dns.h"
#include "kubelet/env.h"
#include "kubelet/events.h"

/* Pod workers: upstream runs one goroutine per pod; most of a pod's start is
 * spent waiting on the kernel (netns, veth, mounts), so 8 threads start 8
 * pods at once on 2 cores. */
#define CK_KUBELET_WORKERS 8

/* One container of the pod spec, across its restarts. */
typedef struct ck_ctr_record {
    char name[64];
    bool init;                     /* an init container */
    bool ephemeral;                /* in spec.ephemeralContainers (ephemeral.c) */
    char id[CK_CRI_ID_LEN];        /* current runtime container, "" = none */
    int restart_count;
    ck_cri_container_status cur;   /* last observed status of `id` */
    ck_cri_container_status prev;  /* lastState.terminated */
    bool has_prev;
    char waiting_reason[32], waiting_message[512];
    long backoff_ms;               /* flowcontrol.Backoff entry; 0 = none */
    int64_t backoff_seen_ms;       /* mono time of the last back-off update */
    long pull_backoff_ms;
    int64_t pull_retry_at_ms;
    bool started, ready;           /* startup probe passed; readiness */
    int live_fail, ready_fail, start_fail, ready_ok;
    int64_t probe_at_ms;           /* next probe round (mono) */
    int64_t running_since_ms;      /* mono time the container started */
    char term_message[1024];       /* from terminationMessagePath */
    bool post_start_failed;
    char last_event[32];           /* the waiting reason last reported as an event */
} ck_ctr_record;

typedef struct ck_pod_worker {
    char key[320], uid[64], ns[64], name[256];
    json_t *pod;                   /* latest spec (owned reference) */
    char sandbox[CK_CRI_ID_LEN];
    char pod_ip[48];
    char sandbox_error[256];
    ck_ctr_record *ctrs;           /* init containers first, then containers */
    size_t n, n_init;
    ck_ctr_record *eph;            /* ephemeral containers, in the order they were added (owned) */
    size_t n_eph;
    bool init_done;
    char phase[16];                /* "" until computed */
    char reason[64], message[256]; /* status.reason/message of a failed pod ("" = none) */
    time_t start_time;
    bool terminated;               /* containers and sandbox gone */
    bool cleaned;                  /* pod directory (and its tmpfs mounts) removed */
    char *last_status;             /* the last status sent (dump), owned */
    int64_t volumes_at_ms;         /* last configMap/secret/projected refresh (mono) */
    long wake_ms;                  /* > 0: re-sync this soon (something is starting or retrying) */
    bool killing;                  /* a termination thread runs (pod_termination.c) */
    bool killer_started;           /* `killer` is to be joined */
    pthread_t killer;
    pthread_mutex_t mu;            /* one sync at a time; the HTTP server reads */
} ck_pod_worker;

struct ck_kubelet {
    ck_kubelet_config cfg;         /* strings below are owned copies */
    char node_name[256], node_ip[64], root[1024], pod_cidr[64], address[64];
    char node_uid[64];             /* the Node's metadata.uid once seen (Lease ownerReference) */
    ck_rest *rest;
    ck_cri *rt;
    ck_informer *pods;
    ck_workqueue *queue;
    pthread_t workers[CK_KUBELET_WORKERS], heartbeat;
    int nworkers;
    bool heartbeat_started;
    pthread_mutex_t mu;            /* guards the worker table */
    ck_pod_worker **w;
    size_t nw;
    void *http;                    /* struct MHD_Daemon */
    int port;
    volatile int stopping;
    ck_informer *services;         /* every Service (service env vars); NULL in tests */
    pthread_mutex_t hb_mu;
    pthread_cond_t hb_cv;
    ck_event_recorder *events;     /* core/v1 Events, source.component "kubelet" */
    pthread_mutex_t img_mu;
    json_t *images;                /* images pulled so far (IfNotPresent) */
    char *cluster_dns[3];          /* --cluster-dns, owned */
    size_t n_cluster_dns;
    char cluster_domain[256];      /* --cluster-domain */
    char alloc_cpu[32], alloc_memory[32]; /* the Node's allocatable: unset limits in the downward API */
    char resolv_conf[1024];        /* --resolv-conf (the node's) */
};

/* Records an event about the pod, or one of its containers when r is set
 * (involvedObject.fieldPath spec.containers{name} / spec.initContainers{name}). */
void ck_pod_event(ck_kubelet *k, ck_pod_worker *w, const ck_ctr_record *r, const char *type, const char *reason,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* pod_worker.c */
ck_pod_worker *ck_pod_worker_new(const json_t *pod);
void ck_pod_worker_free(ck_pod_worker *w);
/* Replaces the worker's spec with `pod` (borrowed). */
void ck_pod_worker_update(ck_pod_worker *w, const json_t *pod);
/* One reconcile step (w->mu held by the caller). `gone` = deleted from the
 * API. Returns 1 when the worker is finished (forget it), else 0. */
int ck_pod_worker_sync(ck_kubelet *k, ck_pod_worker *w, bool gone);
/* Stops everything of the pod with the given grace (seconds), blocking. */
void ck_pod_worker_kill(ck_kubelet *k, ck_pod_worker *w, long grace_s);
/* The Killing event and preStop hook of r when it runs; false when r has
 * nothing running to stop. */
bool ck_pod_worker_pre_stop(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r);
/* Once the containers stopped: ephemeral containers, statuses, the sandbox;
 * sets w->terminated. */
void ck_pod_worker_finish_kill(ck_kubelet *k, ck_pod_worker *w);

/* pod_termination.c: graceful termination off the sync workers, as
 * upstream's per-pod workers do (pod_workers.go): one thread per pod, the
 * containers stopped in parallel (killContainersWithSyncResult). */
/* Starts terminating w with grace_s (w->mu held). 0, or -1 when no thread
 * could be started (the caller then kills synchronously). */
int ck_pod_termination_start(ck_kubelet *k, ck_pod_worker *w, long grace_s);
/* The pod left the API while terminating (force delete): SIGKILL every
 * running container now (w->mu held). */
void ck_pod_termination_hurry(ck_kubelet *k, ck_pod_worker *w);
/* Waits for a finished or running termination thread; a no-op without one.
 * Call without w->mu unless w->killing is false. */
void ck_pod_termination_join(ck_pod_worker *w);
const json_t *ck_pod_container_spec(const ck_pod_worker *w, const ck_ctr_record *r);
/* Creates and starts r's container once (pull, env, mounts, events). 0 or -1 (r's waiting reason set). */
int ck_pod_worker_start_container(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, int64_t now);

/* ephemeral.c: ephemeral containers of a running pod (kuberuntime_manager.go
 * computePodActions EphemeralContainersToStart): each is started once, never
 * restarted, and stopped with the pod. */
/* Adds records for newly listed spec.ephemeralContainers. 0 or -1 (allocation). */
int ck_ephemeral_records(ck_pod_worker *w);
/* Refreshes their statuses and starts the ones not created yet. */
void ck_ephemeral_sync(ck_kubelet *k, ck_pod_worker *w, int64_t now);
/* Stops the running ones (pod termination). */
void ck_ephemeral_kill(ck_kubelet *k, ck_pod_worker *w);
/* status.ephemeralContainerStatuses entries come from container_status (status.c). */

/* active_deadline.c: status.reason/message of a pod past its deadline. */
extern const char CK_DEADLINE_REASON[], CK_DEADLINE_MESSAGE[];
/* True once spec.activeDeadlineSeconds passed since the worker's start time. */
bool ck_active_deadline_exceeded(const ck_pod_worker *w, time_t now);

/* security_context.c: fills cc's security fields for container spec c of
 * pod; groups (max entries, caller's) receives fsGroup + supplementalGroups
 * and is referenced by cc. 0, or -1 with upstream's runAsNonRoot message in
 * err (CreateContainerConfigError). */
int ck_security_context(const json_t *pod, const json_t *c, ck_cri_container_config *cc, uint32_t *groups,
                        size_t max, char *err, size_t errlen);

/* backoff.c: client-go flowcontrol.Backoff for one key. */
bool ck_backoff_in_backoff(const ck_kubelet_config *cfg, ck_ctr_record *r, int64_t finished_ms, int64_t now_ms);
void ck_backoff_next(const ck_kubelet_config *cfg, ck_ctr_record *r, int64_t now_ms);

/* status.c: PodStatus from the worker (pure; new reference). */
json_t *ck_pod_status_build(const ck_pod_worker *w, const char *host_ip);
/* getPhase (pkg/kubelet/kubelet_pods.go). */
const char *ck_pod_phase(const ck_pod_worker *w);
/* Sends the status when it changed (merge patch of pods/<name>/status). */
int ck_pod_status_sync(ck_kubelet *k, ck_pod_worker *w);

/* probe.c: one probe (exec, httpGet, tcpSocket) against container r. 0 = success. */
int ck_probe_run(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const json_t *probe, char *msg, size_t msglen);
/* Runs due liveness/readiness/startup probes; returns true when liveness
 * (or startup) failed past its threshold and the container must be restarted. */
bool ck_probe_container(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, int64_t now_ms);
/* lifecycle hooks: postStart/preStop handler (exec or httpGet). 0 = ok. */
int ck_lifecycle_hook(ck_kubelet *k, ck_pod_worker *w, ck_ctr_record *r, const char *which, char *msg, size_t msglen);

/* volumes.c: per-pod directories and the mounts of one container. Errors of
 * setup read "MountVolume.SetUp failed for volume \"v\" : ..." (FailedMount). */
int ck_volumes_setup(ck_kubelet *k, ck_pod_worker *w, char *err, size_t errlen);
/* Rewrites configMap, secret, downwardAPI and projected volumes from the API
 * (the kubelet sync period's volume remount); files are replaced atomically. */
int ck_volumes_refresh(ck_kubelet *k, ck_pod_worker *w, char *err, size_t errlen);
/* Rewrites the managed /etc/hosts (once the pod IP is known). */
void ck_volumes_hosts(ck_kubelet *k, ck_pod_worker *w);
/* Unmounts the pod's Memory emptyDirs (tmpfs) before its directory goes. */
void ck_volumes_teardown(ck_kubelet *k, ck_pod_worker *w);
/* managedHostsFileContent (kubelet_pods.go): the pod's /etc/hosts for ip
 * (may be ""), with the hostAliases section; malloc'd, NULL on OOM. */
char *ck_hosts_file(const json_t *pod, const char *ip, const char *cluster_domain);
/* nodeHostsFileContent (kubelet_pods.go): a hostNetwork pod's /etc/hosts,
 * the node's hosts file (node_hosts, may be "") under the header
 * "# Kubernetes-managed hosts file (host network).", then the hostAliases
 * section. malloc'd, NULL on OOM. */
char *ck_hosts_file_host_network(const json_t *pod, const char *node_hosts);
/* Mounts for container spec c (volumeMounts + /etc/hosts + termination log);
 * *out is malloc'd, strings in it are malloc'd too: free with ck_mounts_free. */
int ck_volumes_mounts(ck_kubelet *k, ck_pod_worker *w, const json_t *c, int attempt, ck_cri_mount **out,
                      size_t *n, char *err, size_t errlen);
/* ck_volumes_mounts with the container's environment (from ck_env_build),
 * which subPathExpr expands from (subpath.c); env may be NULL (then a
 * subPathExpr that names a variable fails). Same ownership. */
int ck_volumes_mounts_env(ck_kubelet *k, ck_pod_worker *w, const json_t *c, char *const *env, int attempt,
                          ck_cri_mount **out, size_t *n, char *err, size_t errlen);
void ck_mounts_free(ck_cri_mount *m, size_t n);
int ck_pod_dir(const ck_kubelet *k, const ck_pod_worker *w, const char *sub, char *out, size_t outlen);
int ck_log_path(const ck_kubelet *k, const ck_pod_worker *w, const char *ctr, int attempt, char *out, size_t outlen);

/* node_status.c */
json_t *ck_node_object(ck_kubelet *k);
int ck_node_register(ck_kubelet *k, char *err, size_t errlen);
int ck_node_update_status(ck_kubelet *k);
int ck_node_renew_lease(ck_kubelet *k);

/* server.c */
int ck_server_start(ck_kubelet *k, char *err, size_t errlen);
void ck_server_stop(ck_kubelet *k);
/* The worker for ns/name, locked (unlock w->mu when done); NULL if none. */
ck_pod_worker *ck_kubelet_lock_pod(ck_kubelet *k, const char *ns, const char *name);
#endif
