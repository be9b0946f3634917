/* default_tolerations.c: the DefaultTolerationSeconds admission plugin
 * (plugin/pkg/admission/defaulttolerationseconds): every pod tolerates the
 * not-ready and unreachable NoExecute taints for 300 s unless it already
 * says otherwise, which is what makes node-lifecycle eviction wait 5 min. */
#include <string.h>
#include "apiserver/admission/admission.h"
#include "util/ckjson.h"

static const char *const taints[] = {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"};

static bool tolerates(const json_t *tols, const char *key)
{
    size_t i;
    json_t *t;
    json_array_foreach(tols, i, t) {
        const char *k = ck_json_str(t, "key", "");
        const char *effect = ck_json_str(t, "effect", "");
        const char *op = ck_json_str(t, "operator", "Equal");
        bool key_ok = strcmp(k, key) == 0 || (!*k && strcmp(op, "Exists") == 0);
        if (key_ok && (!*effect || strcmp(effect, "NoExecute") == 0)) return true;
    }
    return false;
}

int ck_admit_default_toleration_seconds(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    if (op != CK_ADMIT_CREATE || strcmp(ctx->k->resource, "pods") != 0 || ctx->k->group[0]) return 0;
    json_t *spec = ck_json_ensure_object(obj, "spec");
    if (!spec) return 0;
    json_t *tols = json_object_get(spec, "tolerations");
    if (!json_is_array(tols)) {
        tols = json_array();
        json_object_set_new(spec, "tolerations", tols);
    }
    for (size_t i = 0; i < 2; i++)
        if (!tolerates(tols, taints[i]))
            json_array_append_new(tols, json_pack("{s:s,s:s,s:s,s:I}", "key", taints[i], "operator", "Exists",
                                                  "effect", "NoExecute", "tolerationSeconds", (json_int_t)300));
    return 0;
}
