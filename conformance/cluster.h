/* cluster.h: helpers for the cluster-profile tests (t_workloads.c,
 * t_pods.c, t_services.c, t_nodes.c): busybox pod manifests, waiting for a
 * pod's phase or condition, container logs, events, counting pods and Ready
 * nodes. Mirrors test/e2e/framework's pod helpers (TestContainerOutput,
 * WaitForPodCondition). Every returned pointer is owned by the test t. */
#ifndef CKC_CLUSTER_H
#define CKC_CLUSTER_H
#include "objects.h"

/* Any tag works: ckube maps busybox images to its local busybox. */
#define CKC_BUSYBOX "busybox:1.36"

/* A Pod {metadata.name=name, labels app=name, spec.restartPolicy=restart,
 * one container "c" running `sh -c script` (script NULL: `sleep 3600`),
 * terminationGracePeriodSeconds 1 (busybox as PID 1 ignores SIGTERM)}. */
json_t *cl_pod(ckc_t *t, const char *name, const char *restart, const char *script);
/* spec.containers[i] (or spec.initContainers[i] when init) of pod. */
json_t *cl_container(json_t *pod, int init, size_t i);
/* Appends a container {name, busybox, sh -c script} and returns it. */
json_t *cl_add_container(json_t *pod, int init, const char *name, const char *script);
/* Appends spec.volumes[] vol (reference stolen) and a volumeMount
 * {name, mountPath} on container 0. */
void cl_add_volume(json_t *pod, json_t *vol, const char *mount_path);
void cl_set_label(json_t *obj, const char *key, const char *value);

/* POSTs pod into ns; fails unless 201. Returns the created object. */
json_t *cl_create_pod(ckc_t *t, const char *ns, json_t *pod);

typedef int (*cl_pod_pred)(json_t *pod, void *arg);
/* Polls the pod until pred holds (timeout base seconds, scaled); fails with
 * "what" and the pod's status otherwise. Returns the last pod read. */
json_t *cl_wait_pod(ckc_t *t, const char *ns, const char *name, cl_pod_pred pred, void *arg,
                    double base, const char *what);
int cl_pred_phase(json_t *pod, void *phase);          /* status.phase == phase */
int cl_pred_done(json_t *pod, void *unused);          /* Succeeded or Failed */
int cl_pred_running_ready(json_t *pod, void *unused); /* Running and Ready=True */
int cl_pred_scheduled(json_t *pod, void *unused);     /* spec.nodeName set */
json_t *cl_wait_running(ckc_t *t, const char *ns, const char *name);
/* The pod's condition type's status ("True"/"False"), NULL when absent. */
const char *cl_condition(json_t *obj, const char *type);
/* status.containerStatuses (or initContainerStatuses) entry for name. */
json_t *cl_container_status(json_t *pod, int init, const char *name);

/* GET pods/log of container (NULL: the only one); fails unless 200. */
const char *cl_logs(ckc_t *t, const char *ns, const char *pod, const char *container);
/* Upstream's TestContainerOutput: create pod, wait until it Succeeded, then
 * every string of expect (NULL-terminated) must occur in container's log. */
void cl_expect_output(ckc_t *t, const char *ns, json_t *pod, const char *container,
                      const char *const *expect);
/* Polls container's log until it contains want; returns the log. */
const char *cl_wait_log(ckc_t *t, const char *ns, const char *pod, const char *container,
                        const char *want, double base);

/* Items of a list GET (path may carry ?labelSelector=...); fails unless 200. */
json_t *cl_list(ckc_t *t, const char *path);
/* Pods of ns matching selector (may be NULL) that are not being deleted. */
json_t *cl_live_pods(ckc_t *t, const char *ns, const char *selector);
/* Waits until exactly n live pods match selector and, when running, all of
 * them are Running and Ready. Returns the pods. */
json_t *cl_wait_pod_count(ckc_t *t, const char *ns, const char *selector, size_t n, int running,
                          double base);
/* Waits for an Event in ns about object name with this reason; returns it. */
json_t *cl_wait_event(ckc_t *t, const char *ns, const char *name, const char *reason, double base);

/* The Ready nodes (array of Node objects); skips the test when none. */
json_t *cl_ready_nodes(ckc_t *t);
/* The node's InternalIP address (or first address), NULL when none. */
const char *cl_node_ip(json_t *node);
/* DELETE with gracePeriodSeconds 0 (no wait). */
void cl_delete_now(ckc_t *t, const char *path);
/* The controller ownerReference's uid of obj, NULL when none. */
const char *cl_controller_uid(json_t *obj);
int cl_same(const char *a, const char *b);
int cl_has(const char *hay, const char *needle);
#endif
