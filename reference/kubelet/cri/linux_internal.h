/* linux_internal.h: state shared by the linux runtime's files (linux.c:
 * bookkeeping and the vtable; linux_network.c: pod networks;
 * linux_container.c: processes in namespaces). Private to cri/. */
#ifndef CK_KUBELET_CRI_LINUX_INTERNAL_H
#define CK_KUBELET_CRI_LINUX_INTERNAL_H
#include <pthread.h>
#include <stdbool.h>
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

/* linux_container.c: forks the shim and the container's init; waits until
 * the command was exec'd (0) or failed to start (-1, message in err). */
int lx_container_spawn(lx_runtime *rt, lx_sandbox *s, lx_container *c, char *err, size_t errlen);
/* Runs argv inside c's namespaces. See ck_cri_ops.exec_sync. */
int lx_container_exec(lx_container *c, const char *const *argv, long timeout_s, char **output,
                      int *exit_code, char *err, size_t errlen);
#endif
