/* subresources.h: the subresources that are not plain object views:
 * scale (autoscaling/v1 Scale over spec.replicas), pods/binding, and the
 * connect-style ones (log, exec, proxy) that reach the kubelet. */
#ifndef CK_APISERVER_SUBRESOURCES_H
#define CK_APISERVER_SUBRESOURCES_H
#include "apiserver/handlers/rest.h"

/* autoscaling/v1 Scale for a workload object (new reference). */
json_t *ck_scale_from_object(const ck_kind *k, const json_t *obj);
/* Applies a Scale's spec.replicas onto a copy of obj (new reference), or NULL with 422/400 in st. */
json_t *ck_scale_apply(ck_handler *ctx, const json_t *obj, const json_t *scale);
/* POST pods/<name>/binding and POST bindings. */
int ck_handler_bind(ck_handler *ctx);
/* log / exec / proxy: forwarded to the node's kubelet. */
int ck_handler_connect(ck_handler *ctx);
/* The node's kubelet base URL (http://InternalIP:port). 0 or -1 + st. */
int ck_kubelet_url(ck_handler *ctx, const char *node, char *out, size_t n);
/* pods/eviction (delete.c). */
int ck_handler_evict(ck_handler *ctx);
/* pods/exec over WebSocket (exec.c). */
int ck_handler_exec(ck_handler *ctx);
/* True if the request asks for a Table. */
bool ck_accept_table_req(const ck_req *req);
#endif
