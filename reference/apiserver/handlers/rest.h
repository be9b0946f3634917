/* rest.h: the generic REST handlers over the kinds table, one file per verb
 * as upstream's k8s.io/apiserver/pkg/endpoints/handlers (get.c, list.c,
 * watch.c, create.c, update.c, patch.c, delete.c), sharing this context. */
#ifndef CK_APISERVER_REST_H
#define CK_APISERVER_REST_H
#include <jansson.h>
#include "api/decode.h"
#include "api/kinds.h"
#include "api/selector.h"
#include "api/status.h"
#include "apiserver/apiserver.h"

typedef struct ck_handler {
    ck_apiserver *s;
    const ck_req *req;
    ck_resp *resp;
    const ck_reqinfo *ri;
    const ck_kind *k;
    const char *storage;      /* k->storage or k->resource */
    char key[600];            /* cache key: "ns/name" or "name" */
    char etcd_key[720];       /* "/registry/<storage>/<key>" */
    bool dry_run;
    ck_field_validation fv;
    ck_stream **stream;       /* where a streaming response goes (watch, proxy) */
    ck_status st;
} ck_handler;

/* Entry from handler.c for resource requests. */
void ck_handler_serve(ck_apiserver *s, const ck_req *req, const ck_reqinfo *ri, ck_resp *resp,
                   ck_stream **stream);

/* Verbs. Each fills ctx->resp (or ctx->st on error and returns -1). */
int ck_handler_get(ck_handler *ctx);
int ck_handler_list(ck_handler *ctx);
int ck_handler_watch(ck_handler *ctx, ck_stream **stream);
int ck_handler_create(ck_handler *ctx);
int ck_handler_update(ck_handler *ctx);
int ck_handler_patch(ck_handler *ctx);
int ck_handler_delete(ck_handler *ctx);
int ck_handler_deletecollection(ck_handler *ctx);

/* ---- shared helpers (rest.c) ---- */
/* Sets ctx->key/etcd_key for a namespace + name. */
void ck_handler_set_key(ck_handler *ctx, const char *ns, const char *name);
/* The current object at ctx->key (fresh: waits for this server's writes). NULL + 404 in st. */
ck_cobj *ck_handler_current(ck_handler *ctx);
/* Decodes the request body as ctx->k, enforcing apiVersion/kind and
 * fieldValidation; adds Warning headers for dropped fields. New ref or NULL. */
json_t *ck_handler_decode(ck_handler *ctx);
/* Prunes fields obj's schema doesn't know; per fieldValidation refuses (400)
 * or warns about them and about dups (may be NULL). 0 or -1 with st. */
int ck_handler_field_validation(ck_handler *ctx, json_t *obj, const json_t *dups);
/* Serialises obj without resourceVersion and writes it: create when
 * expected_rev < 0, else a conditional update (0 = unconditional). On success
 * stamps obj's resourceVersion and returns 0; else -1 with st
 * (AlreadyExists / Conflict / NotFound / InternalError). */
int ck_handler_write(ck_handler *ctx, json_t *obj, int64_t expected_rev);
/* Deletes ctx->key if its mod_revision is still expected_rev. 0 / -1 with st. */
int ck_handler_remove(ck_handler *ctx, int64_t expected_rev, int64_t *rev);
/* Accept asks for PartialObjectMetadata(List) (metadata-only clients). */
bool ck_accept_partial(const char *accept);
/* {kind: PartialObjectMetadata, metadata} of obj (new reference). */
json_t *ck_partial_metadata(const json_t *obj);
/* Responds with obj converted to the request's Accept (JSON or Table). */
void ck_handler_respond(ck_handler *ctx, int code, json_t *obj /* stolen */);
/* Validates obj (generic + kind hooks) and fills st with 422 Invalid. */
int ck_handler_validate(ck_handler *ctx, const json_t *obj, const json_t *old);
/* Parses an int query parameter; -1 + 400 in st when malformed. */
int ck_handler_query_int(ck_handler *ctx, const char *key, long long dflt, long long *out);
/* Request-scoped conversions between the stored version and the served one
 * (events.k8s.io/v1 Event <-> core/v1 Event share storage). */
json_t *ck_handler_to_storage(ck_handler *ctx, json_t *obj);   /* steals, returns new */
json_t *ck_handler_from_storage(ck_handler *ctx, const json_t *stored); /* new ref */
/* o as the request's version (o itself when stored as served; else a converted
 * snapshot, o released). */
ck_cobj *ck_handler_view(ck_handler *ctx, ck_cobj *o);

/* list.c: how long paged-list snapshots (continue tokens) stay valid. */
void ck_list_snapshot_ttl(int64_t ms);

/* labelSelector + fieldSelector of a list, watch or deletecollection (list.c). */
typedef struct ck_selectors {
    ck_label_selector *labels;
    ck_field_selector *fields;
} ck_selectors;
/* Parses both (400 in st on a bad selector or an unsupported field label). */
int ck_handler_parse_selectors(ck_handler *ctx, ck_selectors *sel);
void ck_selectors_free(ck_selectors *sel);
bool ck_handler_selected(const ck_kind *k, const ck_selectors *sel, const json_t *obj);
/* Waits for the cache as a read's resourceVersion asks ("" consistent, "0" any, "N" not older). */
int ck_handler_wait_rv(ck_handler *ctx, const char *rv);

/* proxy.c: streams url's response back (connect subresources). 0 or -1 + st. */
int ck_handler_proxy(ck_handler *ctx, const char *url, ck_stream **stream);

/* create.c: the create flow for a decoded object (POST, and PUT-creates). */
int ck_handler_create_object(ck_handler *ctx, json_t *obj);
/* Body namespace vs URL namespace (400 on mismatch); fills it when empty. */
int ck_handler_check_namespace(ck_handler *ctx, json_t *obj);
/* update.c: the update flow shared by PUT and PATCH. new_obj is the complete
 * desired object (main resource or subresource view); client_rv tells whether
 * its resourceVersion came from the client (then a mismatch is a Conflict). */
int ck_handler_update_object(ck_handler *ctx, ck_cobj *old, json_t *new_obj, bool client_rv);
#endif
