/* serviceaccount.c: the ServiceAccount admission plugin
 * (plugin/pkg/admission/serviceaccount/admission.go): a pod without
 * spec.serviceAccountName runs as "default" (spec.serviceAccount mirrors it),
 * and unless the pod or its ServiceAccount opts out with
 * automountServiceAccountToken: false, it gets the projected
 * kube-api-access-<suffix> volume (token, kube-root-ca.crt, namespace)
 * mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in
 * every container. */
#include <stdio.h>
#include <string.h>
#include "apiserver/admission/admission.h"
#include "util/ckjson.h"
#include "util/uid.h"

#define SA_MOUNT_PATH "/var/run/secrets/kubernetes.io/serviceaccount"

static bool wants_token(ck_handler *ctx, const json_t *spec, const char *ns, const char *sa)
{
    json_t *pod_says = json_object_get(spec, "automountServiceAccountToken");
    if (json_is_boolean(pod_says)) return json_is_true(pod_says);
    char key[600];
    snprintf(key, sizeof key, "%s/%s", ns, sa);
    ck_cobj *o = ck_cacher_get(ctx->s->cache, "serviceaccounts", key);
    bool want = !o || ck_json_bool(o->obj, "automountServiceAccountToken", true);
    ck_cobj_unref(o);
    return want;
}

static bool mounts_path(const json_t *c, const char *path)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(c, "volumeMounts"), i, m)
        if (strcmp(ck_json_str(m, "mountPath", ""), path) == 0) return true;
    return false;
}

static json_t *token_volume(const char *name)
{
    return json_pack(
        "{s:s,s:{s:i,s:[{s:{s:i,s:s}},{s:{s:s,s:[{s:s,s:s}]}},{s:{s:[{s:s,s:{s:s,s:s}}]}}]}}", "name", name,
        "projected", "defaultMode", 420, "sources", "serviceAccountToken", "expirationSeconds", 3607, "path", "token",
        "configMap", "name", "kube-root-ca.crt", "items", "key", "ca.crt", "path", "ca.crt", "downwardAPI", "items",
        "path", "namespace", "fieldRef", "apiVersion", "v1", "fieldPath", "metadata.namespace");
}

int ck_admit_service_account(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    if (op != CK_ADMIT_CREATE || strcmp(ctx->k->resource, "pods") != 0 || ctx->k->group[0]) return 0;
    json_t *spec = ck_json_ensure_object(obj, "spec");
    if (!spec) return 0;
    const char *sa = ck_json_str(spec, "serviceAccountName", NULL);
    if (!sa || !*sa) sa = ck_json_str(spec, "serviceAccount", NULL);
    if (!sa || !*sa) sa = "default";
    json_t *name = json_string(sa);
    json_object_set(spec, "serviceAccountName", name);
    json_object_set_new(spec, "serviceAccount", name);
    const char *ns = ck_json_str(obj, "metadata.namespace", ctx->ri->ns);
    if (!wants_token(ctx, spec, ns, ck_json_str(spec, "serviceAccountName", "default"))) return 0;
    char suffix[8], vol[32];
    ck_rand_suffix(suffix, 5);
    snprintf(vol, sizeof vol, "kube-api-access-%s", suffix);
    json_t *vols = json_object_get(spec, "volumes");
    if (!json_is_array(vols)) {
        vols = json_array();
        json_object_set_new(spec, "volumes", vols);
    }
    json_array_append_new(vols, token_volume(vol));
    static const char *const lists[] = {"initContainers", "containers"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(spec, lists[l]), i, c) {
            if (mounts_path(c, SA_MOUNT_PATH)) continue;
            json_t *mounts = json_object_get(c, "volumeMounts");
            if (!json_is_array(mounts)) {
                mounts = json_array();
                json_object_set_new(c, "volumeMounts", mounts);
            }
            json_array_append_new(mounts, json_pack("{s:s,s:b,s:s}", "name", vol, "readOnly", 1, "mountPath", SA_MOUNT_PATH));
        }
    }
    return 0;
}
