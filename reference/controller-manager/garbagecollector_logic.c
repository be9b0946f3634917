/* garbagecollector_logic.c: reference classification and the delete /
 * remove-references / nothing decision of attemptToDeleteItem, plus the
 * finalizer and ownerReference list edits the collector writes. */
#include <stdio.h>
#include <string.h>
#include "controller-manager/garbagecollector_logic.h"
#include "util/ckjson.h"

bool ck_gc_has_finalizer(const json_t *obj, const char *finalizer)
{
    size_t i;
    json_t *f;
    json_array_foreach(ck_json_path(obj, "metadata.finalizers"), i, f)
        if (json_is_string(f) && !strcmp(json_string_value(f), finalizer)) return true;
    return false;
}

ck_gc_owner_state ck_gc_classify(const json_t *ref, const json_t *owner)
{
    if (!owner || strcmp(ck_json_str(owner, "metadata.uid", ""), ck_json_str(ref, "uid", "?")))
        return CK_GC_OWNER_DANGLING;
    if (ck_json_path(owner, "metadata.deletionTimestamp") && ck_gc_has_finalizer(owner, CK_FINALIZER_FOREGROUND))
        return CK_GC_OWNER_WAITING;
    return CK_GC_OWNER_SOLID;
}

ck_gc_decision ck_gc_decide(const json_t *item, const ck_gc_owner_state *states, size_t n, bool has_dependents)
{
    ck_gc_decision d = {CK_GC_NOTHING, NULL};
    /* "item is being deleted" unless it waits for its own dependents */
    if (ck_json_path(item, "metadata.deletionTimestamp") && !ck_gc_has_finalizer(item, CK_FINALIZER_FOREGROUND))
        return d;
    if (n == 0) return d;
    size_t solid = 0, dangling = 0, waiting = 0;
    for (size_t i = 0; i < n; i++) {
        if (states[i] == CK_GC_OWNER_SOLID) solid++;
        else if (states[i] == CK_GC_OWNER_DANGLING) dangling++;
        else waiting++;
    }
    if (solid) {
        if (dangling || waiting) d.action = CK_GC_REMOVE_REFS;
        return d;
    }
    d.action = CK_GC_DELETE;
    if (waiting && has_dependents) {
        /* an owner waits on us and we have dependents: go foreground too */
        d.policy = "Foreground";
    } else if (ck_gc_has_finalizer(item, CK_FINALIZER_ORPHAN)) {
        d.policy = "Orphan";
    } else if (ck_gc_has_finalizer(item, CK_FINALIZER_FOREGROUND)) {
        d.policy = "Foreground";
    } else {
        d.policy = "Background";
    }
    return d;
}

json_t *ck_gc_finalizers_without(const json_t *obj, const char *finalizer)
{
    json_t *out = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(ck_json_path(obj, "metadata.finalizers"), i, f)
        if (!json_is_string(f) || strcmp(json_string_value(f), finalizer)) json_array_append(out, f);
    return out;
}

json_t *ck_gc_refs_without(const json_t *obj, const json_t *uids)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(ck_json_path(obj, "metadata.ownerReferences"), i, r)
        if (!json_object_get(uids, ck_json_str(r, "uid", ""))) json_array_append(out, r);
    return out;
}

bool ck_gc_blocks(const json_t *dep, const char *owner_uid)
{
    size_t i;
    json_t *r;
    json_array_foreach(ck_json_path(dep, "metadata.ownerReferences"), i, r)
        if (!strcmp(ck_json_str(r, "uid", ""), owner_uid) && json_is_true(json_object_get(r, "blockOwnerDeletion")))
            return true;
    return false;
}

void ck_gc_group_of(const char *api_version, char *out, size_t outlen)
{
    const char *slash = strchr(api_version, '/');
    if (!slash) { snprintf(out, outlen, "%s", ""); return; }
    snprintf(out, outlen, "%.*s", (int)(slash - api_version), api_version);
}
