/* mergepatch.c: JSON Merge Patch (RFC 7386, application/merge-patch+json),
 * what the apiserver applies with evanphx/json-patch's MergePatch: objects
 * merge key by key, null deletes, anything else replaces. */
#include "api/patch.h"

/* Returns a new reference: target (borrowed, may be NULL) merged with patch. */
static json_t *merge(const json_t *target, const json_t *patch)
{
    if (!json_is_object(patch)) return json_deep_copy(patch);
    json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
    if (!out) return NULL;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)patch, k, v) {
        if (json_is_null(v)) {
            json_object_del(out, k);
            continue;
        }
        json_t *merged = merge(json_object_get(out, k), v);
        if (!merged || json_object_set_new(out, k, merged) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

json_t *ck_merge_patch_apply(const json_t *doc, const json_t *patch)
{
    if (!patch) return doc ? json_deep_copy(doc) : NULL;
    return merge(doc, patch);
}
