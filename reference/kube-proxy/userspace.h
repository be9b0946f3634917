/* userspace.h: the userspace proxy mode (upstream pkg/proxy/userspace, removed
 * in v1.26): kube-proxy itself accepts TCP connections for each service port,
 * on clusterIP:port (the IP added to lo) and 0.0.0.0:nodePort, and relays them
 * to an endpoint chosen round-robin, or by ClientIP affinity. */
#ifndef CK_PROXY_USERSPACE_H
#define CK_PROXY_USERSPACE_H
#include <stdbool.h>
#include "kube-proxy/proxier.h"

typedef struct ck_userspace_opts {
    bool bind_cluster_ips;  /* add each clusterIP/32 to lo and listen on it */
    const char *nodeport_address;  /* NULL = 0.0.0.0 */
} ck_userspace_opts;

/* Starts the relay thread (epoll). NULL with a message in err. */
ck_proxier *ck_userspace_proxier_new(const ck_userspace_opts *o, char *err, size_t errlen);
#endif
