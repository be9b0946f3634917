/* t_netnode.h: shared pieces of the sig-network / sig-node / preemption
 * mirrors (t_netnode.c holds the network tests and the table
 * ckc_tests_netnode; t_netnode_node.c the node and scheduling tests). */
#ifndef CKC_T_NETNODE_H
#define CKC_T_NETNODE_H
#include "cluster.h"

/* The agnhost image (imageutils.Agnhost), as every networking test pod upstream. */
#define NN_AGNHOST "registry.k8s.io/e2e-test-images/agnhost:2.52"

/* Sends method path body (content type ctype, may be NULL) when the test
 * ends, even after a failed check. Copies its arguments. */
void nn_defer_request(ckc_t *t, const char *method, const char *path, const char *body, const char *ctype);
/* A busybox sh script for an HTTP server on port (nc -ll -e): it logs
 * "request: METHOD PATH" to stderr (the container log) and answers 200 with
 * {"Method":METHOD,"Body":body}, like agnhost porter --json-response and the
 * request log of agnhost netexec. POST /write records the body in
 * /tmp/received; GET /read answers agnhost nettest's State with
 * Received.prestop counted from it. Owned by t. */
const char *nn_http_server(ckc_t *t, int port, const char *body);
/* The pod's container log polled until it contains want (NULL container: the
 * first); returns 1 when found within base seconds (scaled), else 0. */
int nn_log_has(ckc_t *t, const char *ns, const char *pod, const char *container, const char *want, double base);

/* A busybox httpd on port answering its hostname (at / and /hostName
 * paths alike: index.html), labelled key=value when key; waits until it runs
 * when wait (then returns the pod, else NULL). Owned by t. */
json_t *nn_hostname_server(ckc_t *t, const char *ns, const char *name, const char *key, const char *value, int port,
                           int wait);
/* POSTs the Service manifest text (its metadata.name is used); fails unless 201. */
json_t *nn_create_service(ckc_t *t, const char *ns, const char *manifest);

/* t_netnode_svc.c: proxy, endpoints latency, service type and affinity tests. */
void nn_proxy_verbs(ckc_t *t);
void nn_proxy_with_path(ckc_t *t);
void nn_proxy_service_pod(ckc_t *t);
void nn_endpoints_latency(ckc_t *t);
void nn_cluster_ip_to_external(ckc_t *t);
void nn_node_port_to_external(ckc_t *t);
void nn_affinity_cluster_ip(ckc_t *t);
void nn_affinity_cluster_ip_switch(ckc_t *t);
void nn_affinity_node_port(ckc_t *t);
void nn_affinity_node_port_switch(ckc_t *t);

/* t_netnode_node.c: [sig-node] and [sig-scheduling] tests. */
void nn_t_poststart_exec(ckc_t *t);
void nn_t_poststart_http(ckc_t *t);
void nn_t_prestop_exec(ckc_t *t);
void nn_t_prestop_http(ckc_t *t);
void nn_t_ephemeral_start(ckc_t *t);
void nn_t_ephemeral_update(ckc_t *t);
void nn_t_etc_hosts(ckc_t *t);
void nn_t_taint_multiple(ckc_t *t);
void nn_t_taint_cancel(ckc_t *t);
void nn_t_prestop(ckc_t *t);
void nn_t_grpc_not_restarted(ckc_t *t);
void nn_t_grpc_restarted(ckc_t *t);
void nn_t_sc_uid_65534(ckc_t *t);
void nn_t_sc_unprivileged(ckc_t *t);
void nn_t_sc_writable_rootfs(ckc_t *t);
void nn_t_sc_container_uid_gid(ckc_t *t);
void nn_t_sc_pod_uid_gid(ckc_t *t);
void nn_t_sc_no_new_privs(ckc_t *t);
void nn_t_sysctl_invalid(ckc_t *t);
void nn_t_sysctl_support(ckc_t *t);
void nn_t_preempt_basic(ckc_t *t);
void nn_t_preempt_critical(ckc_t *t);
void nn_t_preempt_condition(ckc_t *t);
void nn_t_preempt_rs(ckc_t *t);
#endif
