/* port_mappings.c: containerPorts with a hostPort become the sandbox's CRI
 * PortMappings, as kuberuntime_sandbox.go does (init containers' ports are
 * not published upstream either: only spec.containers). */
#include "kubelet/port_mappings.h"
#include "util/ckjson.h"

int ck_port_mappings_sandbox_config(const json_t *pod, ck_cri_sandbox_config *sc)
{
    size_t i, j;
    json_t *c, *p;
    sc->n_port_mappings = 0;
    json_array_foreach(ck_json_path(pod, "spec.containers"), i, c) json_array_foreach(json_object_get(c, "ports"), j, p)
    {
        json_int_t hp = json_integer_value(json_object_get(p, "hostPort"));
        if (hp <= 0) continue;
        if (sc->n_port_mappings == CK_CRI_MAX_PORTS) return -1;
        ck_cri_port_mapping *m = &sc->port_mappings[sc->n_port_mappings++];
        m->protocol = ck_json_str(p, "protocol", "TCP");
        m->container_port = (int)json_integer_value(json_object_get(p, "containerPort"));
        m->host_port = (int)hp;
        m->host_ip = ck_json_str(p, "hostIP", "");
    }
    return 0;
}
