/* dns.h: a pod's /etc/resolv.conf (pkg/kubelet/network/dns/dns.go
 * GetPodDNS): dnsPolicy ClusterFirst -> the cluster DNS service, the pod's
 * search path and ndots:5; Default -> the node's resolv.conf; None -> only
 * dnsConfig; dnsConfig merges into each. */
#ifndef CK_KUBELET_DNS_H
#define CK_KUBELET_DNS_H
#include <jansson.h>
#include <stddef.h>

/* resolv.conf text for pod (borrowed) as containerd writes it (search,
 * nameserver lines, options). cluster_dns: n nameserver IPs (--cluster-dns);
 * domain: --cluster-domain ("" = none); host: the node's resolv.conf text.
 * Returns malloc'd text, NULL on allocation failure. */
char *ck_dns_resolv_conf(const json_t *pod, const char *const *cluster_dns, size_t n, const char *domain,
                         const char *host);
#endif
