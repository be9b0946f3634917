/* linux_capabilities.c: a container's Linux capabilities as containerd
 * computes them (pkg/cri/opts/spec_linux.go WithCapabilities over
 * oci.defaultUnixCaps) and runc applies them (libcontainer/capabilities:
 * bounding set, then keep-caps across setuid, then capset). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kubelet/cri/linux_internal.h"

#define C(x) {#x, CAP_##x}
static const struct {
    const char *name;
    int n;
} cap_table[] = {
    C(CHOWN), C(DAC_OVERRIDE), C(DAC_READ_SEARCH), C(FOWNER), C(FSETID), C(KILL), C(SETGID), C(SETUID),
    C(SETPCAP), C(LINUX_IMMUTABLE), C(NET_BIND_SERVICE), C(NET_BROADCAST), C(NET_ADMIN), C(NET_RAW),
    C(IPC_LOCK), C(IPC_OWNER), C(SYS_MODULE), C(SYS_RAWIO), C(SYS_CHROOT), C(SYS_PTRACE), C(SYS_PACCT),
    C(SYS_ADMIN), C(SYS_BOOT), C(SYS_NICE), C(SYS_RESOURCE), C(SYS_TIME), C(SYS_TTY_CONFIG), C(MKNOD),
    C(LEASE), C(AUDIT_WRITE), C(AUDIT_CONTROL), C(SETFCAP), C(MAC_OVERRIDE), C(MAC_ADMIN), C(SYSLOG),
    C(WAKE_ALARM), C(BLOCK_SUSPEND), C(AUDIT_READ), {"PERFMON", 38}, {"BPF", 39}, {"CHECKPOINT_RESTORE", 40},
};
#undef C

/* containerd's defaultUnixCaps (docker's default set). */
static const int default_caps[] = {
    CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW, CAP_SETGID,
    CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

int lx_capability_number(const char *name)
{
    for (size_t i = 0; i < sizeof cap_table / sizeof cap_table[0]; i++)
        if (strcasecmp(cap_table[i].name, name) == 0) return cap_table[i].n;
    return -1;
}

static bool has_all(const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcasecmp(list[i], "ALL") == 0) return true;
    return false;
}

/* Individual names: containerd prefixes "CAP_", runc skips unknown ones. */
static uint64_t bits_of(const char *const *list)
{
    uint64_t b = 0;
    for (size_t i = 0; list && list[i]; i++) {
        int n = lx_capability_number(list[i]);
        if (n >= 0) b |= (uint64_t)1 << n;
    }
    return b;
}

uint64_t lx_capabilities(bool privileged, const char *const *add, const char *const *drop)
{
    if (privileged) return LX_CAPS_ALL; /* WithPrivileged: every capability */
    uint64_t caps = 0;
    for (size_t i = 0; i < sizeof default_caps / sizeof default_caps[0]; i++) caps |= (uint64_t)1 << default_caps[i];
    if (has_all(add)) caps = LX_CAPS_ALL;
    if (has_all(drop)) caps = 0;
    return (caps | bits_of(add)) & ~bits_of(drop);
}

int lx_caps_before_user(uint64_t caps)
{
    if (caps == LX_CAPS_ALL) return 0;
    for (int n = 0; n < 64; n++)
        if (!(caps & ((uint64_t)1 << n)) && prctl(PR_CAPBSET_DROP, n, 0, 0, 0) < 0 && errno != EINVAL) return -errno;
    return prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ? -errno : 0;
}

int lx_caps_after_user(uint64_t caps, bool no_new_privs)
{
    if (caps != LX_CAPS_ALL) {
        struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct d[2];
        if (syscall(SYS_capget, &h, d) < 0) return -errno;
        for (int i = 0; i < 2; i++) {
            uint32_t want = (uint32_t)(caps >> (32 * i));
            d[i].permitted &= want; /* capset may only lower what is permitted */
            d[i].effective = d[i].permitted;
            d[i].inheritable = 0;
        }
        if (syscall(SYS_capset, &h, d) < 0) return -errno;
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    }
    if (no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -errno;
    return 0;
}
