/* rest_internal.h: what rest.c shares with watch.c (not a public API):
 * pooled curl handles preconfigured with the client's TLS and auth, and the
 * code that turns a finished response into a ck_response. */
#ifndef CK_CLIENT_REST_INTERNAL_H
#define CK_CLIENT_REST_INTERNAL_H
#include <curl/curl.h>
#include "client/rest.h"

/* A handle with server TLS/auth/user-agent/timeouts set and everything else
 * reset; NULL on OOM. Give it back with ck_rest_handle_release(). */
CURL *ck_rest_handle_acquire(ck_rest *c);
void ck_rest_handle_release(ck_rest *c, CURL *h);
/* Full URL for a path: server + path. Caller frees. NULL on OOM. */
char *ck_rest_url(const ck_rest *c, const char *path);
/* Request headers (Accept, Content-Type, Authorization). Caller frees
 * with curl_slist_free_all. NULL on OOM. */
struct curl_slist *ck_rest_headers(const ck_rest *c, const char *content_type);
/* Fills resp from code + raw body (parsed as JSON; Status message copied). */
void ck_rest_fill_response(ck_response *resp, long code, const char *body, size_t len);
#endif
