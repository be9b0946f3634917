/* sysctl.c: the kubelet's sysctl allowlist (pkg/kubelet/sysctl/allowlist.go
 * and safe_sysctls.go): only the safe, namespaced sysctls are admitted (no
 * --allowed-unsafe-sysctls here); the admitted ones go to the sandbox config
 * and the runtime sets them in the pod's namespaces. */
#include <stdio.h>
#include <string.h>
#include "kubelet/sysctl.h"
#include "util/ckjson.h"

/* SafeSysctlAllowlist with the namespace of each (utilsysctl.NamespacedBy).
 * Upstream gates some on the kernel version (ip_local_reserved_ports on
 * 3.16, tcp_keepalive_* and tcp_fin_timeout on 4.5); nodes here are newer. */
static const struct {
    const char *name, *ns;
} safe_sysctls[] = {
    {"kernel.shm_rmid_forced", "ipc"},
    {"net.ipv4.ip_local_port_range", "net"},
    {"net.ipv4.tcp_syncookies", "net"},
    {"net.ipv4.ping_group_range", "net"},
    {"net.ipv4.ip_unprivileged_port_start", "net"},
    {"net.ipv4.ip_local_reserved_ports", "net"},
    {"net.ipv4.tcp_keepalive_time", "net"},
    {"net.ipv4.tcp_fin_timeout", "net"},
    {"net.ipv4.tcp_keepalive_intvl", "net"},
    {"net.ipv4.tcp_keepalive_probes", "net"},
};

void ck_sysctl_normalize(const char *name, char *out, size_t outlen)
{
    size_t first = strcspn(name, "./");
    bool swap = name[first] == '/';
    size_t i = 0;
    for (; name[i] && i + 1 < outlen; i++)
        out[i] = !swap ? name[i] : name[i] == '.' ? '/' : name[i] == '/' ? '.' : name[i];
    if (outlen) out[i] = 0;
}

const char *ck_sysctl_safe_namespace(const char *name)
{
    char n[256];
    ck_sysctl_normalize(name, n, sizeof n);
    for (size_t i = 0; i < sizeof safe_sysctls / sizeof safe_sysctls[0]; i++)
        if (strcmp(safe_sysctls[i].name, n) == 0) return safe_sysctls[i].ns;
    return NULL;
}

int ck_sysctl_admit(const json_t *pod, char *reason, size_t rlen, char *message, size_t mlen)
{
    bool host_net = ck_json_bool(pod, "spec.hostNetwork", false), host_ipc = ck_json_bool(pod, "spec.hostIPC", false);
    size_t i;
    json_t *s;
    json_array_foreach(ck_json_path(pod, "spec.securityContext.sysctls"), i, s) {
        char n[256];
        ck_sysctl_normalize(ck_json_str(s, "name", ""), n, sizeof n);
        const char *ns = ck_sysctl_safe_namespace(n);
        const char *why = !ns ? "not allowlisted"
                          : !strcmp(ns, "net") && host_net ? "not allowed with host net enabled"
                          : !strcmp(ns, "ipc") && host_ipc ? "not allowed with host ipc enabled"
                                                          : NULL;
        if (!why) continue;
        snprintf(reason, rlen, "%s", CK_SYSCTL_FORBIDDEN);
        snprintf(message, mlen, "forbidden sysctl: \"%s\" %s", n, why);
        return 1;
    }
    return 0;
}

int ck_sysctl_sandbox_config(const json_t *pod, ck_cri_sandbox_config *sc)
{
    size_t i;
    json_t *s;
    sc->n_sysctls = 0;
    json_array_foreach(ck_json_path(pod, "spec.securityContext.sysctls"), i, s) {
        if (sc->n_sysctls == CK_CRI_MAX_SYSCTLS) return -1;
        sc->sysctls[sc->n_sysctls].name = ck_json_str(s, "name", "");
        sc->sysctls[sc->n_sysctls++].value = ck_json_str(s, "value", "");
    }
    return 0;
}
