/* serviceaccount.c: the service account controller (pkg/controller/
 * serviceaccount/serviceaccounts_controller.go): every Active namespace gets
 * a ServiceAccount "default", recreated when it is deleted. */
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controller.h"
#include "controller-manager/controllers.h"
#include "util/ckjson.h"
#include "util/log.h"

typedef struct sa_ctrl {
    ck_rest *rest;
    ck_workers w;
    ck_informer *nsinf, *sainf;
} sa_ctrl;

static const char *const MANAGED[] = {"default"};  /* ServiceAccountsControllerOptions.ServiceAccounts */

static long sa_sync(void *self, const char *ns)
{
    sa_ctrl *c = self;
    json_t *nsobj = ck_informer_get(c->nsinf, ns);
    if (!nsobj) return CK_SYNC_OK;
    /* upstream: only Active namespaces (a terminating one refuses creates) */
    bool active = !strcmp(ck_json_str(nsobj, "status.phase", "Active"), "Active");
    json_decref(nsobj);
    if (!active) return CK_SYNC_OK;
    long rc = CK_SYNC_OK;
    for (size_t i = 0; i < sizeof MANAGED / sizeof MANAGED[0]; i++) {
        char key[512];
        snprintf(key, sizeof key, "%s/%s", ns, MANAGED[i]);
        json_t *sa = ck_informer_get(c->sainf, key);
        if (sa) { json_decref(sa); continue; }
        json_t *body = json_pack("{s:s,s:s,s:{s:s,s:s}}", "apiVersion", "v1", "kind", "ServiceAccount",
                                 "metadata", "name", MANAGED[i], "namespace", ns);
        ck_response r = {0};
        if (body && ck_rest_create(c->rest, &(ck_resource_ref){"", "v1", "serviceaccounts", ns, NULL, NULL}, body,
                                   &r) == 0)
            ck_info("created serviceaccount %s", key);
        else if (r.code != 409 && !(r.code == 403 && strstr(r.message, "being terminated")))
            rc = CK_SYNC_RETRY;  /* AlreadyExists / terminating namespace are fine, as upstream */
        ck_response_clear(&r);
        json_decref(body);
    }
    return rc;
}

static void ns_add(json_t *obj, void *ud) { ck_workers_enqueue(&((sa_ctrl *)ud)->w, obj); }
static void ns_update(json_t *old, json_t *obj, void *ud) { ns_add(obj, ud); }

/* serviceAccountDeleted: queue the namespace of a managed account. */
static void sa_deleted(json_t *obj, void *ud)
{
    sa_ctrl *c = ud;
    const char *name = ck_json_str(obj, "metadata.name", "");
    for (size_t i = 0; i < sizeof MANAGED / sizeof MANAGED[0]; i++)
        if (!strcmp(name, MANAGED[i])) ck_workqueue_add(c->w.queue, ck_json_str(obj, "metadata.namespace", ""));
}

static void sa_stop(void *h)
{
    sa_ctrl *c = h;
    if (!c) return;
    ck_informers_free((ck_informer *[]){c->nsinf, c->sainf}, 2);
    ck_workers_stop(&c->w);
    free(c);
}

static void *sa_start(const ck_cm_ctx *ctx, char *err, size_t errlen)
{
    sa_ctrl *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rest = ctx->rest;
    if (ck_workers_init(&c->w, "serviceaccount", sa_sync, c) < 0) { free(c); return NULL; }
    ck_informer_handlers sh = {NULL, NULL, sa_deleted, c};
    c->sainf = ck_controller_informer(ctx->rest, "", "v1", "serviceaccounts", &sh, err, errlen);
    ck_informer_handlers nh = {ns_add, ns_update, NULL, c};
    if (c->sainf) c->nsinf = ck_controller_informer(ctx->rest, "", "v1", "namespaces", &nh, err, errlen);
    /* upstream --concurrent-serviceaccount-syncs defaults to 5 */
    if (!c->nsinf || ck_workers_run(&c->w, ctx->workers ? ctx->workers : 5) < 0) { sa_stop(c); return NULL; }
    return c;
}

const ck_cm_controller ck_cm_serviceaccount_controller = {"serviceaccount", sa_start, sa_stop};
