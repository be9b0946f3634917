/* namespace_lifecycle.c: the NamespaceLifecycle admission plugin
 * (plugin/pkg/admission/namespace/lifecycle/admission.go): no new objects in
 * a missing or terminating namespace, and the immortal namespaces
 * (default, kube-system, kube-public) cannot be deleted. */
#include <string.h>
#include "apiserver/admission/admission.h"
#include "util/ckjson.h"

static const char *const immortal[] = {"default", "kube-system", "kube-public", NULL};

int ck_admit_namespace_lifecycle(ck_handler *ctx, ck_admit_op op, json_t *obj, const json_t *old)
{
    bool is_ns = strcmp(ctx->k->resource, "namespaces") == 0 && !ctx->k->group[0];
    if (op == CK_ADMIT_DELETE && is_ns) {
        for (int i = 0; immortal[i]; i++)
            if (strcmp(ctx->ri->name, immortal[i]) == 0) {
                ck_status_set(&ctx->st, 403, "Forbidden", "namespaces \"%s\" is forbidden: this namespace may not be deleted",
                              ctx->ri->name);
                snprintf(ctx->st.name, sizeof ctx->st.name, "%s", ctx->ri->name);
                snprintf(ctx->st.kind, sizeof ctx->st.kind, "namespaces");
                return -1;
            }
        return 0;
    }
    if (op != CK_ADMIT_CREATE || !ctx->k->namespaced) return 0;
    const char *ns = ck_json_str(obj, "metadata.namespace", ctx->ri->ns);
    /* Like upstream's lister with a live-lookup fallback: the cache once it
     * holds this server's namespace writes, and a fresh read when the
     * namespace looks missing. */
    ck_cacher_wait_rev(ctx->s->cache, __atomic_load_n(&ctx->s->ns_write_rev, __ATOMIC_ACQUIRE), 5000);
    ck_cobj *nso = ck_cacher_get(ctx->s->cache, "namespaces", ns);
    if (!nso && ck_cacher_sync(ctx->s->cache, 0, 5000)) nso = ck_cacher_get(ctx->s->cache, "namespaces", ns);
    if (!nso) {
        ck_status_not_found(&ctx->st, "", "namespaces", ns);
        return -1;
    }
    bool terminating = strcmp(ck_json_str(nso->obj, "status.phase", ""), "Terminating") == 0 ||
                       ck_json_path(nso->obj, "metadata.deletionTimestamp");
    ck_cobj_unref(nso);
    /* Events may still be written into a terminating namespace, as upstream allows. */
    if (terminating && strcmp(ctx->k->resource, "events") != 0) {
        ck_status_set(&ctx->st, 403, "Forbidden",
                      "%s \"%s\" is forbidden: unable to create new content in namespace %s because it is being terminated",
                      ctx->k->resource, ck_json_str(obj, "metadata.name", ck_json_str(obj, "metadata.generateName", "")), ns);
        snprintf(ctx->st.kind, sizeof ctx->st.kind, "%s", ctx->k->resource);
        snprintf(ctx->st.group, sizeof ctx->st.group, "%s", ctx->k->group);
        ctx->st.causes = json_pack("[{s:s,s:s,s:s}]", "reason", "NamespaceTerminating", "message",
                                   "namespace is being terminated", "field", "metadata.namespace");
        return -1;
    }
    return 0;
}
