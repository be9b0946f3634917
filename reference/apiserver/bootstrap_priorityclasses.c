/* bootstrap_priorityclasses.c: creates the two system PriorityClasses through
 * the REST create flow (defaults, validation), as upstream's scheduling
 * storage PostStartHook does (pkg/registry/scheduling/rest/storage_scheduling.go,
 * scheduling.SystemPriorityClasses). */
#include "apiserver/bootstrap_priorityclasses.h"
#include <stdio.h>
#include <string.h>
#include "apiserver/handlers/rest.h"
#include "util/ckjson.h"

static const struct {
    const char *name;
    long long value;
    const char *description;
} system_classes[] = {
    {"system-node-critical", 2000001000LL,
     "Used for system critical pods that must not be moved from their current node."},
    {"system-cluster-critical", 2000000000LL,
     "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."},
};

static const char *no_query(const ck_req *r, const char *key) { return NULL; }

static int ensure_class(ck_apiserver *s, const ck_kind *k, json_t *obj, char *err, size_t errlen)
{
    ck_req req = {.method = "POST", .path = "", .query = no_query};
    ck_resp resp = {0};
    ck_reqinfo ri = {.is_resource = true};
    snprintf(ri.name, sizeof ri.name, "%s", ck_json_str(obj, "metadata.name", ""));
    ck_handler ctx = {.s = s, .req = &req, .resp = &resp, .ri = &ri, .k = k};
    ctx.storage = k->storage ? k->storage : k->resource;
    ck_handler_set_key(&ctx, "", ri.name);
    ck_cacher_sync(s->cache, 0, 5000);
    ck_cobj *cur = ck_cacher_get(s->cache, ctx.storage, ctx.key);
    int rc = cur ? 0 : ck_handler_create_object(&ctx, obj);
    ck_cobj_unref(cur);
    /* Another apiserver may have created it in between: that is fine. */
    if (rc < 0 && ctx.st.code == 409) rc = 0;
    if (rc < 0) snprintf(err, errlen, "bootstrap priorityclasses %s: %s", ri.name, ctx.st.message);
    ck_status_clear(&ctx.st);
    ck_resp_free(&resp);
    return rc;
}

int ck_bootstrap_priority_classes(ck_apiserver *s, char *err, size_t errlen)
{
    const ck_kind *k = ck_kind_by_resource("scheduling.k8s.io", "v1", "priorityclasses");
    if (!k) {
        snprintf(err, errlen, "bootstrap: priorityclasses not served");
        return -1;
    }
    for (size_t i = 0; i < sizeof system_classes / sizeof system_classes[0]; i++) {
        json_t *pc = json_pack("{s:s,s:s,s:{s:s},s:I,s:s}", "apiVersion", "scheduling.k8s.io/v1", "kind",
                               "PriorityClass", "metadata", "name", system_classes[i].name, "value",
                               (json_int_t)system_classes[i].value, "description", system_classes[i].description);
        if (!pc) {
            snprintf(err, errlen, "bootstrap priorityclasses: out of memory");
            return -1;
        }
        int rc = ensure_class(s, k, pc, err, errlen);
        json_decref(pc);
        if (rc < 0) return -1;
    }
    return 0;
}
