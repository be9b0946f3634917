/* nodes.c: starting the nodes of a local cluster. Until the kubelet is
 * built the cluster has a control plane only, and says so. */
#include "ckube/nodes.h"
#include <stdio.h>
#include <unistd.h>

static bool kubelet_built(const ck_cluster_opts *o)
{
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/kubelet", o->bin_dir);
    return access(bin, X_OK) == 0;
}

bool ck_nodes_supported(const ck_cluster_opts *o) { return o->nodes > 0 && kubelet_built(o); }

int ck_nodes_up(const ck_cluster_opts *o, const char *dir, int apiserver_port, char *err, size_t errlen)
{
    if (!ck_nodes_supported(o)) {
        if (o->nodes > 0) fprintf(stderr, "ckube: no kubelet built: starting the control plane only\n");
        return 0;
    }
    return 0;
}

void ck_nodes_down(const char *dir) { (void)dir; }
