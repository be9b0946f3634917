/* port_mappings.h: the pod's hostPorts as CRI PortMappings for its sandbox
 * (pkg/kubelet/kuberuntime/kuberuntime_sandbox.go generatePodSandboxConfig). */
#ifndef CK_KUBELET_PORT_MAPPINGS_H
#define CK_KUBELET_PORT_MAPPINGS_H
#include <jansson.h>
#include "kubelet/cri/cri.h"

/* Fills sc->port_mappings from every container's ports with hostPort > 0
 * (protocol defaults to TCP; strings borrowed from pod). -1 when there are
 * more than CK_CRI_MAX_PORTS (the first ones are kept). */
int ck_port_mappings_sandbox_config(const json_t *pod, ck_cri_sandbox_config *sc);
#endif
