/* sysctl.h: the kubelet's sysctls (pkg/kubelet/sysctl): the safe-sysctl
 * allowlist, the admit handler that rejects a pod asking for any other
 * (reason SysctlForbidden), and the pod's sysctls for its sandbox config. */
#ifndef CK_KUBELET_SYSCTL_H
#define CK_KUBELET_SYSCTL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "kubelet/cri/cri.h"

#define CK_SYSCTL_FORBIDDEN "SysctlForbidden"

/* utilsysctl.NormalizeName: a name whose first separator is '/' has its
 * '.' and '/' swapped ("net/ipv4/conf/eth0.100/forwarding" ->
 * "net.ipv4.conf.eth0/100.forwarding"). Writes into out (outlen bytes). */
void ck_sysctl_normalize(const char *name, char *out, size_t outlen);
/* The namespace of a safe sysctl: "net" or "ipc"; NULL when not allowlisted. */
const char *ck_sysctl_safe_namespace(const char *name);
/* patternAllowlist.Admit: 0 = admit; 1 = rejected with reason
 * "SysctlForbidden" and message "forbidden sysctl: \"<name>\" not
 * allowlisted" (or "... not allowed with host net|ipc enabled"). */
int ck_sysctl_admit(const json_t *pod, char *reason, size_t rlen, char *message, size_t mlen);
/* Fills sc->sysctls from spec.securityContext.sysctls (strings borrowed
 * from pod). -1 when there are more than CK_CRI_MAX_SYSCTLS. */
int ck_sysctl_sandbox_config(const json_t *pod, ck_cri_sandbox_config *sc);
#endif
