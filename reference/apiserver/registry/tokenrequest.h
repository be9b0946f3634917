/* tokenrequest.h: service-account tokens as upstream's apiserver serves them:
 * the TokenRequest subresource (pkg/registry/core/serviceaccount/storage/token.go),
 * TokenReview (pkg/registry/authentication/tokenreview) and the OIDC discovery
 * documents (pkg/routes/openidmetadata.go). Keys: serviceaccount_jwt.h. */
#ifndef CK_APISERVER_TOKENREQUEST_H
#define CK_APISERVER_TOKENREQUEST_H
#include <stdbool.h>
#include "apiserver/handlers/rest.h"
#include "apiserver/registry/registry.h"

/* POST /api/v1/namespaces/<ns>/serviceaccounts/<sa>/token: answers 201 with
 * the TokenRequest and its signed token in ctx->resp; -1 + ctx->st. */
int ck_tokenrequest_create(ck_handler *ctx);

/* The claims a bound token carries (claims.go): sub, iss, aud (a string for
 * one audience, else a list), iat, nbf, exp, jti and "kubernetes.io".
 * pod_name/pod_uid may be NULL. New reference. */
json_t *ck_sa_claims(const char *ns, const char *sa, const char *sa_uid, const char *pod_name, const char *pod_uid,
                     const json_t *audiences, long long now, long long expiration_seconds);

/* TokenReview's virtual_create strategy (registered in registry.c). */
extern const ck_strategy ck_strategy_tokenreviews;

/* GET /.well-known/openid-configuration and /openid/v1/jwks: true when req
 * was one of them (resp filled). */
bool ck_oidc_serve(const ck_req *req, ck_resp *resp);
#endif
