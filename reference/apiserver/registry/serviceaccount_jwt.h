/* serviceaccount_jwt.h: the apiserver's service-account token signer and
 * verifier (upstream pkg/serviceaccount/jwt.go): one RSA key, RS256 JWTs,
 * the key id and JWKS of pkg/serviceaccount/openidmetadata.go. */
#ifndef CK_APISERVER_SERVICEACCOUNT_JWT_H
#define CK_APISERVER_SERVICEACCOUNT_JWT_H
#include <jansson.h>
#include <stddef.h>

#define CK_SA_DEFAULT_ISSUER "https://kubernetes.default.svc.cluster.local"

/* The flags --service-account-issuer, --service-account-key-file (PEM public
 * or private key that verifies tokens) and --service-account-signing-key-file
 * (PEM private key that signs them; ckube extension: a missing file is
 * created with a fresh key, so restarts keep tokens valid). Any may be NULL:
 * without a signing key one is generated in memory on first use.
 * Call before serving. 0 or -1 with err. */
int ck_sa_jwt_configure(const char *issuer, const char *key_file, const char *signing_key_file, char *err,
                        size_t errlen);
/* The issuer (static string). */
const char *ck_sa_jwt_issuer(void);
/* Signs claims (borrowed) as a compact RS256 JWT. Returns a malloc'd string
 * (caller frees) or NULL with err. */
char *ck_sa_jwt_sign(const json_t *claims, char *err, size_t errlen);
/* Verifies token's RS256 signature with the verification keys and decodes
 * its claims (exp/nbf are not checked here). New reference or NULL with err. */
json_t *ck_sa_jwt_verify(const char *token, char *err, size_t errlen);
/* {"keys":[{use,kty,kid,alg,n,e}]} of the verification keys (new ref or NULL). */
json_t *ck_sa_jwt_jwks(void);
/* base64url (no padding) of n bytes; malloc'd (caller frees) or NULL. */
char *ck_base64url_encode(const void *data, size_t n);
/* Frees the keys (tests; the next use generates a new one). */
void ck_sa_jwt_reset(void);
#endif
