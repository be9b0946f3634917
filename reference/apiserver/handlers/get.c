/* get.c: GET of one object (handlers/get.go), and of its status and scale
 * subresources. Served from the watch cache once it holds every write this
 * server acknowledged, so a client always reads its own writes. */
#include <stdlib.h>
#include <string.h>
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/registry/ephemeral.h"

int ck_handler_get(ck_handler *ctx)
{
    const char *sub = ctx->ri->subresource;
    /* pods/ephemeralcontainers reads as the Pod itself */
    if (*sub && strcmp(sub, "status") != 0 && strcmp(sub, "scale") != 0 && strcmp(sub, CK_EPHEMERAL_SUBRESOURCE) != 0)
        return ck_handler_connect(ctx);
    ck_cobj *o = ck_handler_current(ctx);
    if (!o) return -1;
    if (strcmp(sub, "scale") == 0) {
        json_t *scale = ck_scale_from_object(ctx->k, o->obj);
        ck_cobj_unref(o);
        ck_resp_json(ctx->resp, 200, scale);
        return 0;
    }
    /* Fast path: the cached serialisation is the response. */
    if (!ck_accept_table_req(ctx->req) && !ck_accept_partial(ctx->req->accept)) {
        ck_resp_text(ctx->resp, 200, "application/json", o->json);
        ck_cobj_unref(o);
        return 0;
    }
    json_t *copy = ck_handler_from_storage(ctx, o->obj);
    ck_cobj_unref(o);
    ck_handler_respond(ctx, 200, copy);
    return 0;
}
