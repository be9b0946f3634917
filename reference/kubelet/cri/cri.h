/* cri.h: the Container Runtime Interface as a C vtable (k8s.io/cri-api
 * RuntimeService + ImageService, reduced to what the kubelet uses): pod
 * sandboxes, containers, status, exec, images. Two runtimes implement it:
 * linux.c (namespaces, veth, chroot) and fake.c (records state only). */
#ifndef CK_KUBELET_CRI_H
#define CK_KUBELET_CRI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CK_CRI_ID_LEN 64

/* A bind mount from the host into a container (CRI Mount); a host file is
 * mounted over a file (the kubelet's /etc/hosts, termination-log). */
typedef struct ck_cri_mount {
    const char *host_path, *container_path;
    bool readonly;
} ck_cri_mount;

/* PortMapping: a container port published on the node (hostPort). */
typedef struct ck_cri_port_mapping {
    const char *protocol;           /* "TCP", "UDP" or "SCTP" */
    int container_port, host_port;
    const char *host_ip;            /* NULL, "" or "0.0.0.0": every address of the node */
} ck_cri_port_mapping;

/* A namespaced kernel parameter (LinuxPodSandboxConfig.sysctls); the name
 * as in the pod spec, with '.' or '/' separators (utilsysctl.NormalizeName). */
typedef struct ck_cri_sysctl {
    const char *name, *value;
} ck_cri_sysctl;

#define CK_CRI_MAX_PORTS 128
#define CK_CRI_MAX_SYSCTLS 64
#define CK_CRI_MAX_CAPS 64

/* PodSandboxConfig. Strings borrowed for the call. */
typedef struct ck_cri_sandbox_config {
    const char *name, *namespace, *uid; /* the pod's metadata */
    const char *hostname;               /* pod hostname (uts namespace) */
    bool host_network;                  /* share the kubelet's network namespace */
    const char *dir;                    /* kubelet's per-pod directory (hosts file, volumes) */
    /* hostPorts of the pod's containers (kuberuntime_sandbox.go) and its
     * securityContext.sysctls, set in the pod's network and IPC namespaces. */
    ck_cri_port_mapping port_mappings[CK_CRI_MAX_PORTS];
    size_t n_port_mappings;
    ck_cri_sysctl sysctls[CK_CRI_MAX_SYSCTLS];
    size_t n_sysctls;
} ck_cri_sandbox_config;

typedef enum { CK_SANDBOX_READY, CK_SANDBOX_NOTREADY } ck_cri_sandbox_state;

typedef struct ck_cri_sandbox_status {
    char id[CK_CRI_ID_LEN];
    ck_cri_sandbox_state state;
    char ip[48];          /* pod IP ("" with host network: the kubelet uses the node IP) */
    char netns[96];       /* path of the network namespace, "" for host network */
} ck_cri_sandbox_status;

/* ContainerConfig. Strings and arrays borrowed for the call. */
typedef struct ck_cri_container_config {
    const char *name;          /* container name in the pod */
    int attempt;               /* restart count */
    const char *image;
    /* Pod spec command and args (NULL-terminated, NULL = unset); the runtime
     * merges them with the image's Entrypoint/Cmd as Docker does. */
    const char *const *command, *const *args;
    const char *const *env;    /* "NAME=value", NULL-terminated; may be NULL */
    const char *working_dir;   /* NULL = "/" */
    const ck_cri_mount *mounts;
    size_t n_mounts;
    const char *log_path;      /* host file that receives stdout+stderr */
    int64_t cpu_limit_milli;   /* 0 = none */
    int64_t memory_limit_bytes;/* 0 = none */
    /* LinuxContainerSecurityContext (subset): the root filesystem read-only,
     * the process's uid/gid (0 = root, the default) and extra groups
     * (fsGroup, supplementalGroups). */
    bool readonly_rootfs;
    uint32_t run_as_user, run_as_group;
    const uint32_t *supplemental_groups;
    size_t n_supplemental_groups;
    /* privileged keeps every capability; otherwise the runtime's default set
     * with cap_add then cap_drop applied (CRI Capability: names without
     * "CAP_", any case, "ALL"; NULL-terminated, borrowed). no_new_privs is
     * allowPrivilegeEscalation=false. */
    bool privileged, no_new_privs;
    const char *cap_add[CK_CRI_MAX_CAPS + 1], *cap_drop[CK_CRI_MAX_CAPS + 1];
} ck_cri_container_config;

typedef enum {
    CK_CONTAINER_CREATED,
    CK_CONTAINER_RUNNING,
    CK_CONTAINER_EXITED,
    CK_CONTAINER_UNKNOWN,
} ck_cri_container_state;

/* ContainerStatus. Times are Unix seconds (0 = never). */
typedef struct ck_cri_container_status {
    char id[CK_CRI_ID_LEN];
    char sandbox_id[CK_CRI_ID_LEN];
    char name[64];
    int attempt;
    ck_cri_container_state state;
    int64_t created_at, started_at, finished_at;
    int exit_code;
    char reason[32];      /* "Completed", "Error", "OOMKilled", "StartError" when exited */
    char message[256];    /* e.g. the exec error of a StartError */
    char image[128];
    int pid;              /* host pid of the container's init (0 when not running) */
} ck_cri_container_status;

typedef struct ck_cri ck_cri;

/* The vtable. Every call returns 0 on success or -1 with a message in err
 * (errlen bytes). Implementations are thread-safe. */
typedef struct ck_cri_ops {
    const char *name; /* "linux", "fake" */
    /* Pulls (resolves) an image: -1 with "ErrImagePull"-style message when unknown. */
    int (*pull_image)(ck_cri *rt, const char *image, char *err, size_t errlen);
    int (*run_pod_sandbox)(ck_cri *rt, const ck_cri_sandbox_config *cfg, char id[CK_CRI_ID_LEN],
                           char *err, size_t errlen);
    /* Stops every container of the sandbox (SIGKILL) and tears its network down. */
    int (*stop_pod_sandbox)(ck_cri *rt, const char *id, char *err, size_t errlen);
    int (*remove_pod_sandbox)(ck_cri *rt, const char *id, char *err, size_t errlen);
    int (*pod_sandbox_status)(ck_cri *rt, const char *id, ck_cri_sandbox_status *out,
                              char *err, size_t errlen);
    int (*create_container)(ck_cri *rt, const char *sandbox_id, const ck_cri_container_config *cfg,
                            char id[CK_CRI_ID_LEN], char *err, size_t errlen);
    /* Starts a created container. A command that cannot be executed fails
     * here, and the container is left EXITED with reason "StartError", code 128. */
    int (*start_container)(ck_cri *rt, const char *id, char *err, size_t errlen);
    /* SIGTERM, then SIGKILL after timeout_s seconds (0 = at once). */
    int (*stop_container)(ck_cri *rt, const char *id, long timeout_s, char *err, size_t errlen);
    int (*remove_container)(ck_cri *rt, const char *id, char *err, size_t errlen);
    int (*container_status)(ck_cri *rt, const char *id, ck_cri_container_status *out,
                            char *err, size_t errlen);
    /* Statuses of the sandbox's containers (all when sandbox_id is NULL):
     * a malloc'd array the caller frees, its length in *n. */
    int (*list_containers)(ck_cri *rt, const char *sandbox_id, ck_cri_container_status **out,
                           size_t *n, char *err, size_t errlen);
    /* ExecSync: runs argv in the container, waits up to timeout_s (0 = no limit);
     * *output (malloc'd, NUL-terminated, caller frees) gets stdout+stderr. */
    int (*exec_sync)(ck_cri *rt, const char *id, const char *const *argv, long timeout_s,
                     char **output, int *exit_code, char *err, size_t errlen);
    void (*destroy)(ck_cri *rt);
} ck_cri_ops;

/* Every runtime struct starts with this header. */
struct ck_cri {
    const ck_cri_ops *ops;
};

/* Runtime options (--runtime, --root-dir, --pod-cidr). Strings copied. */
typedef struct ck_cri_options {
    const char *root_dir;    /* kubelet root; the linux runtime keeps state under <root>/runtime */
    const char *image_dir;   /* images: <image_dir>/<name>/rootfs; NULL = /var/lib/ckube/images */
    const char *pod_cidr;    /* pod IPs come from here; bridge gets the 1st address */
    const char *bridge;      /* per-node bridge name; NULL = "cbr0" */
} ck_cri_options;

/* Creates "linux" or "fake". NULL with err set on failure. Free with ck_cri_free. */
ck_cri *ck_cri_new(const char *runtime, const ck_cri_options *opts, char *err, size_t errlen);
void ck_cri_free(ck_cri *rt);
ck_cri *ck_cri_linux_new(const ck_cri_options *opts, char *err, size_t errlen);
ck_cri *ck_cri_fake_new(const ck_cri_options *opts, char *err, size_t errlen);

/* The fake runtime's knobs for tests and scale runs. Images named
 * "*invalid*"/"*unknown*"/"*doesnotexist*" fail to pull; commands named
 * "/nonexistent*" fail to start (StartError). */
/* Makes every running container of pod `uid` named `name` exit with code. */
int ck_cri_fake_exit(ck_cri *rt, const char *pod_uid, const char *name, int code, const char *reason);
/* The exit code the next exec_syncs into that container return (default 0). */
void ck_cri_fake_set_exec(ck_cri *rt, const char *pod_uid, const char *name, int code);
/* What the kubelet asked for when it created the newest container `name` of
 * pod `uid`: {"command":[..],"args":[..],"env":[..],"mounts":[{"hostPath",
 * "containerPath","readOnly"}],"readOnlyRootFilesystem","runAsUser",
 * "runAsGroup","supplementalGroups":[..]} (new reference), NULL if none. */
struct json_t;
struct json_t *ck_cri_fake_config(ck_cri *rt, const char *pod_uid, const char *name);
/* Counts of live sandboxes and containers (for leak checks in tests). */
void ck_cri_fake_counts(ck_cri *rt, size_t *sandboxes, size_t *containers);

const char *ck_cri_state_name(ck_cri_container_state s);
#endif
