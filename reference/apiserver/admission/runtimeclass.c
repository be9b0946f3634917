/* runtimeclass.c: the RuntimeClass admission plugin
 * (plugin/pkg/admission/runtimeclass/admission.go): a pod naming a
 * RuntimeClass must name one that exists; the class's overhead.podFixed
 * becomes the pod's spec.overhead (a different one is refused), and its
 * scheduling.nodeSelector and tolerations are merged into the pod. */
#include <stdio.h>
#include <string.h>
#include "apiserver/admission/admission.h"
#include "util/ckjson.h"

static int forbid(ck_handler *ctx, const json_t *pod, const char *msg)
{
    ck_status_set(&ctx->st, 403, "Forbidden", "pods \"%s\" is forbidden: %s",
                  ck_json_str(pod, "metadata.name", ck_json_str(pod, "metadata.generateName", "")), msg);
    snprintf(ctx->st.kind, sizeof ctx->st.kind, "pods");
    snprintf(ctx->st.name, sizeof ctx->st.name, "%s", ck_json_str(pod, "metadata.name", ""));
    return -1;
}

static void merge_scheduling(json_t *spec, const json_t *sched)
{
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(sched, "nodeSelector"), key, v) {
        json_t *ns = ck_json_ensure_object(spec, "nodeSelector");
        if (ns && !json_object_get(ns, key)) json_object_set(ns, key, v);
    }
    size_t i;
    json_t *tol;
    json_array_foreach(json_object_get(sched, "tolerations"), i, tol) {
        json_t *tols = json_object_get(spec, "tolerations");
        if (!json_is_array(tols)) {
            tols = json_array();
            json_object_set_new(spec, "tolerations", tols);
        }
        size_t j;
        json_t *have;
        bool dup = false;
        json_array_foreach(tols, j, have) dup = dup || json_equal(have, tol);
        if (!dup) json_array_append(tols, tol);
    }
}

int ck_admit_runtime_class(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    if (op != CK_ADMIT_CREATE || ctx->k->group[0] || strcmp(ctx->k->resource, "pods") != 0) return 0;
    json_t *spec = json_object_get(obj, "spec");
    const char *rc = ck_json_str(spec, "runtimeClassName", "");
    if (!*rc) return 0;
    ck_cacher_sync(ctx->s->cache, 0, 5000);
    ck_cobj *cls = ck_cacher_get(ctx->s->cache, "runtimeclasses", rc);
    if (!cls) {
        char msg[512];
        snprintf(msg, sizeof msg, "pod rejected: RuntimeClass \"%s\" not found", rc);
        return forbid(ctx, obj, msg);
    }
    json_t *fixed = ck_json_path(cls->obj, "overhead.podFixed");
    json_t *have = json_object_get(spec, "overhead");
    int result = 0;
    if (json_object_size(fixed)) {
        if (have && !json_equal(have, fixed))
            result = forbid(ctx, obj, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
        else
            json_object_set(spec, "overhead", fixed);
    } else if (have && json_object_size(have)) {
        result = forbid(ctx, obj, "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead");
    }
    if (result == 0) merge_scheduling(spec, ck_json_path(cls->obj, "scheduling"));
    ck_cobj_unref(cls);
    return result;
}
