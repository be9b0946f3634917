/* security_context.c: the effective Linux security context of a container
 * (pkg/kubelet/kuberuntime/security_context.go determineEffectiveSecurityContext):
 * the container's runAsUser/runAsGroup override the pod's, readOnlyRootFilesystem
 * is the container's, and the pod's fsGroup then supplementalGroups become
 * extra groups; runAsNonRoot is checked; privileged, capabilities add/drop
 * and allowPrivilegeEscalation=false (no_new_privs) go to the runtime. */
#include <stdio.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"

/* The container's value of field, else the pod's; -1 when neither sets it. */
static json_int_t either(const json_t *pod_sc, const json_t *sc, const char *field)
{
    const json_t *v = json_object_get(sc, field);
    if (!json_is_integer(v)) v = json_object_get(pod_sc, field);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* verifyRunAsNonRoot (kuberuntime/security_context_others.go): the images
 * here carry no USER, so an unset runAsUser means root. */
static int verify_non_root(const json_t *pod, const json_t *c, const json_t *pod_sc, const json_t *sc,
                           json_int_t uid, char *err, size_t errlen)
{
    const json_t *nr = json_object_get(sc, "runAsNonRoot");
    if (!json_is_boolean(nr)) nr = json_object_get(pod_sc, "runAsNonRoot");
    if (!json_is_true(nr) || uid > 0) return 0;
    char who[400];
    snprintf(who, sizeof who, "pod: \"%s_%s(%s)\", container: %s", ck_json_str(pod, "metadata.name", ""),
             ck_json_str(pod, "metadata.namespace", ""), ck_json_str(pod, "metadata.uid", ""),
             ck_json_str(c, "name", ""));
    if (uid == 0) snprintf(err, errlen, "container's runAsUser breaks non-root policy (%s)", who);
    else snprintf(err, errlen, "container has runAsNonRoot and image will run as root (%s)", who);
    return -1;
}

/* Capability names (borrowed from the pod) into a NULL-terminated array. */
static int cap_names(const json_t *list, const char **out, char *err, size_t errlen)
{
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v)) continue;
        if (n == CK_CRI_MAX_CAPS) return snprintf(err, errlen, "too many capabilities"), -1;
        out[n++] = json_string_value(v);
    }
    out[n] = NULL;
    return 0;
}

int ck_security_context(const json_t *pod, const json_t *c, ck_cri_container_config *cc, uint32_t *groups,
                        size_t max, char *err, size_t errlen)
{
    const json_t *pod_sc = ck_json_path(pod, "spec.securityContext"), *sc = json_object_get(c, "securityContext");
    json_int_t uid = either(pod_sc, sc, "runAsUser"), gid = either(pod_sc, sc, "runAsGroup");
    if (verify_non_root(pod, c, pod_sc, sc, uid, err, errlen) < 0) return -1;
    cc->run_as_user = uid > 0 ? (uint32_t)uid : 0;
    cc->run_as_group = gid > 0 ? (uint32_t)gid : 0;
    cc->readonly_rootfs = json_is_true(json_object_get(sc, "readOnlyRootFilesystem"));
    cc->privileged = json_is_true(json_object_get(sc, "privileged"));
    /* securitycontext.AddNoNewPrivileges: only an explicit false sets it */
    cc->no_new_privs = json_is_false(json_object_get(sc, "allowPrivilegeEscalation"));
    const json_t *caps = json_object_get(sc, "capabilities");
    if (cap_names(json_object_get(caps, "add"), cc->cap_add, err, errlen) < 0 ||
        cap_names(json_object_get(caps, "drop"), cc->cap_drop, err, errlen) < 0)
        return -1;
    size_t n = 0;
    const json_t *fs = json_object_get(pod_sc, "fsGroup");
    if (json_is_integer(fs) && n < max) groups[n++] = (uint32_t)json_integer_value(fs);
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(pod_sc, "supplementalGroups"), i, g) if (json_is_integer(g) && n < max)
        groups[n++] = (uint32_t)json_integer_value(g);
    cc->supplemental_groups = groups;
    cc->n_supplemental_groups = n;
    return 0;
}
