/* linux_internal.h: state shared by the linux runtime's files (linux.c:
 * bookkeeping and the vtable; linux_network.c: pod networks;
 * linux_container.c: processes in namespaces). Private to cri/. */
#ifndef CK_KUBELET_CRI_LINUX_INTERNAL_H
#define CK_KUBELET_CRI_LINUX_INTERNAL_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "kubelet/cri/cri.h"
#include "node/cidr.h"

#define LX_PATH 1024

typedef struct lx_sandbox {
    char id[CK_CRI_ID_LEN], uid[64], name[256], namespace[64], hostname[64];
    char dir[LX_PATH];      /* <root>/runtime/<id> */
    char netns[64];         /* "ckp-<id>"; "" with host network */
    char veth[16];
    char ip[48];
    int ip_index;           /* index in the pod CIDR, 0 = none */
    ck_cri_sandbox_state state;
    bool removed;
    /* sysctls: "/proc/sys/<path>\0<value>\0" pairs, set by each container's
     * shim in the pod's network namespace and the container's IPC one. */
    char sysctls[4096];
    size_t sysctls_len;
    bool hostports;           /* a CKUBE-HP-<id> chain exists (linux_hostport.c) */
} lx_sandbox;

typedef struct lx_container {
    ck_cri_container_status st;
    char dir[LX_PATH];        /* <sandbox dir>/<id>: upper/, work/, rootfs/ */
    char image_dir[LX_PATH];  /* holds rootfs/ */
    char **argv, **env;       /* resolved; NULL-terminated, owned */
    char *working_dir, *log_path;
    ck_cri_mount *mounts;     /* owned copies */
    size_t n_mounts;
    int64_t memory_limit, cpu_milli;
    bool readonly_rootfs;     /* securityContext.readOnlyRootFilesystem */
    uid_t uid;                /* runAsUser (0 = root) */
    gid_t gid;                /* runAsGroup */
    gid_t groups[16];         /* fsGroup + supplementalGroups */
    size_t n_groups;
    char cgroup[LX_PATH];     /* "" when cgroup v2 is unavailable */
    pid_t shim;               /* our child: waits for init, exits with its code */
    pid_t init;               /* the container's pid 1 (host pid) */
    bool removed;
    uint64_t caps;            /* capability set: bit n = capability n (linux_capabilities.c) */
    bool no_new_privs;        /* allowPrivilegeEscalation=false */
} lx_container;

typedef struct lx_runtime {
    ck_cri base;
    pthread_mutex_t mu;
    char root[LX_PATH], image_dir[LX_PATH], bridge[16];
    ck_cidr pods;
    char gateway[16];
    unsigned char *ip_used;   /* one byte per address of the pod CIDR (capped) */
    size_t ip_slots;
    bool net_ready, cgroup_v2;
    lx_sandbox **sb;
    size_t nsb;
    lx_container **ct;
    size_t nct;
} lx_runtime;

/* linux_network.c */
int lx_net_setup(lx_runtime *rt, lx_sandbox *s, char *err, size_t errlen);
void lx_net_teardown(lx_runtime *rt, lx_sandbox *s);

/* linux_hostport.c: DNATs the sandbox's hostPorts to its IP in the node's
 * nat table (chain CKUBE-HOSTPORTS -> CKUBE-HP-<id>), as the CNI portmap
 * plugin; teardown removes them (idempotent). */
int lx_hostport_setup(lx_runtime *rt, lx_sandbox *s, const ck_cri_port_mapping *pm, size_t n, char *err,
                      size_t errlen);
void lx_hostport_teardown(lx_runtime *rt, lx_sandbox *s);

/* linux_capabilities.c: containerd's capability set for a container (the
 * default set, then ALL/add/drop as WithCapabilities; all when privileged). */
#define LX_CAPS_ALL (~(uint64_t)0)
uint64_t lx_capabilities(bool privileged, const char *const *add, const char *const *drop);
/* The capability's number for a CRI name ("NET_ADMIN", any case), -1 if unknown. */
int lx_capability_number(const char *name);
/* In the container's init or exec child, async-signal-safe: before the uid
 * change, drops from the bounding set what caps lacks and keeps the rest
 * across setuid; after it, sets permitted/effective to caps (and
 * no_new_privs when asked), as runc's finalizeNamespace. 0 or -errno. */
int lx_caps_before_user(uint64_t caps);
int lx_caps_after_user(uint64_t caps, bool no_new_privs);

/* linux_container.c: the pod's sysctls as "/proc/sys/<path>\0<value>\0" in
 * s->sysctls ('.' separators become '/', '/' become '.'). -1 when too long. */
int lx_sandbox_sysctls(lx_sandbox *s, const ck_cri_sysctl *sysctls, size_t n, char *err, size_t errlen);

/* linux_container.c: forks the shim and the container's init; waits until
 * the command was exec'd (0) or failed to start (-1, message in err). */
int lx_container_spawn(lx_runtime *rt, lx_sandbox *s, lx_container *c, char *err, size_t errlen);
/* Runs argv inside c's namespaces. See ck_cri_ops.exec_sync. */
int lx_container_exec(lx_container *c, const char *const *argv, long timeout_s, char **output,
                      int *exit_code, char *err, size_t errlen);
#endif
