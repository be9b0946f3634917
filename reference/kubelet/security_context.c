/* security_context.c: the effective Linux security context of a container
 * (pkg/kubelet/kuberuntime/security_context.go determineEffectiveSecurityContext):
 * the container's runAsUser/runAsGroup override the pod's, readOnlyRootFilesystem
 * is the container's, and the pod's fsGroup then supplementalGroups become
 * extra groups. privileged and capabilities are accepted and not applied. */
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"

/* The container's value of field, else the pod's; -1 when neither sets it. */
static json_int_t either(const json_t *pod_sc, const json_t *sc, const char *field)
{
    const json_t *v = json_object_get(sc, field);
    if (!json_is_integer(v)) v = json_object_get(pod_sc, field);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

size_t ck_security_context(const json_t *pod, const json_t *c, ck_cri_container_config *cc, uint32_t *groups,
                           size_t max)
{
    const json_t *pod_sc = ck_json_path(pod, "spec.securityContext"), *sc = json_object_get(c, "securityContext");
    json_int_t uid = either(pod_sc, sc, "runAsUser"), gid = either(pod_sc, sc, "runAsGroup");
    cc->run_as_user = uid > 0 ? (uint32_t)uid : 0;
    cc->run_as_group = gid > 0 ? (uint32_t)gid : 0;
    cc->readonly_rootfs = json_is_true(json_object_get(sc, "readOnlyRootFilesystem"));
    size_t n = 0;
    const json_t *fs = json_object_get(pod_sc, "fsGroup");
    if (json_is_integer(fs) && n < max) groups[n++] = (uint32_t)json_integer_value(fs);
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(pod_sc, "supplementalGroups"), i, g) if (json_is_integer(g) && n < max)
        groups[n++] = (uint32_t)json_integer_value(g);
    cc->supplemental_groups = groups;
    cc->n_supplemental_groups = n;
    return n;
}
