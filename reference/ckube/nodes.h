/* nodes.h: the node half of `ckube up`: per node a host (network namespace
 * with its own IP and podCIDR), a kubelet and a kube-proxy inside it. */
#ifndef CK_CKUBE_NODES_H
#define CK_CKUBE_NODES_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "ckube/launcher.h"

/* True when nodes can be started: the kubelet is built and (for the linux
 * runtime) this process may create network namespaces. */
bool ck_nodes_supported(const ck_cluster_opts *o);
/* Starts o->nodes nodes against the apiserver on apiserver_port. 0 or -1. */
int ck_nodes_up(const ck_cluster_opts *o, const char *dir, int apiserver_port, char *err, size_t errlen);
/* Removes the node hosts recorded in dir (processes are stopped by the caller). */
void ck_nodes_down(const char *dir);

/* Writes <dir>/cloud.conf for the local cloud provider (this cluster's node
 * hosts) into path, and the pods' cluster CIDR. 0 or -1. */
int ck_nodes_cloud_config(const char *dir, char *path, size_t n, char *cluster_cidr, size_t m);

/* launcher.c: starts argv as a logged child recorded in <dir>/pids. */
pid_t ck_spawn(const char *dir, const char *name, char *const argv[], char *err, size_t errlen);
#endif
