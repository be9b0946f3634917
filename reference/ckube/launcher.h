/* launcher.h: `ckube up` / `ckube down`: a whole cluster on this machine as
 * real processes — etcd (Debian's binary), the apiserver, the control-plane
 * components, and per node a kubelet and kube-proxy — recorded in a state
 * directory so that `down` can stop exactly what `up` started. */
#ifndef CK_CKUBE_LAUNCHER_H
#define CK_CKUBE_LAUNCHER_H
#include <stdbool.h>
#include <stddef.h>

typedef struct ck_cluster_opts {
    const char *dir;        /* state directory (created); NULL = a new /tmp/ckube-XXXXXX */
    const char *bin_dir;    /* where apiserver, scheduler, ... live */
    int nodes;              /* kubelets to start (when the kubelet is built) */
    int apiserver_port;     /* 0 = any free port */
    const char *runtime;    /* "linux" or "fake" */
    bool foreground;        /* stay attached; Ctrl-C stops the cluster */
    int verbosity;
} ck_cluster_opts;

/* Starts the cluster; prints "server: <url>" and "kubeconfig: <path>" on
 * stdout once the apiserver is ready. 0, or -1 with a message in err (and
 * whatever had started is stopped again). */
int ck_cluster_up(const ck_cluster_opts *o, char *err, size_t errlen);
/* Stops every process recorded in dir and removes node hosts. 0 or -1. */
int ck_cluster_down(const char *dir, char *err, size_t errlen);
#endif
