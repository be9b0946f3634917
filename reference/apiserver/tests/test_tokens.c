/* test_tokens.c: service-account tokens in-process: TokenRequest answers an
 * RS256 JWT whose parts decode to upstream's claims, TokenReview accepts it
 * and refuses a tampered or unbound one, the OIDC documents publish the key. */
#include <time.h>
#include <unistd.h>
#include "apiserver/registry/serviceaccount_jwt.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* apitest.h helpers this file does not use */
#include "apitest.h"
#pragma GCC diagnostic pop
#include "store/base64.h"
#include "util/cktest.h"

#define SA_URL "/api/v1/namespaces/default/serviceaccounts/robot"

static int start(void)
{
    if (apitest_start() < 0) return -1;
    json_t *out = NULL;
    int a = call("POST", "/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"robot\"}}", &out);
    json_decref(out);
    int b = call("POST", "/api/v1/namespaces/default/pods",
                 "{\"metadata\":{\"name\":\"p1\"},\"spec\":{\"serviceAccountName\":\"robot\","
                 "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", &out);
    json_decref(out);
    return a == 201 && b == 201 ? 0 : -1;
}

static int stop(void)
{
    ck_sa_jwt_reset();
    return apitest_stop();
}

/* One base64url part of a JWT as JSON (NULL if it does not decode). */
static json_t *part(const char *tok, int idx)
{
    const char *p = tok;
    for (int i = 0; i < idx && p; i++) p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL;
    if (!p) return NULL;
    const char *end = strchr(p, '.');
    size_t n = 0;
    char *raw = ck_base64_decode(p, end ? (size_t)(end - p) : strlen(p), &n);
    json_t *j = raw ? json_loadb(raw, n, 0, NULL) : NULL;
    free(raw);
    return j;
}

/* POSTs a TokenRequest; returns the token (malloc'd) or NULL, *code the status. */
static char *request_token(const char *body, int *code, json_t **resp)
{
    json_t *out = NULL;
    *code = call("POST", SA_URL "/token", body, &out);
    const char *t = ck_json_str(out, "status.token", NULL);
    char *tok = t ? strdup(t) : NULL;
    if (resp) *resp = out;
    else json_decref(out);
    return tok;
}

static json_t *review(const char *token, const char *audiences)
{
    char body[8192];
    snprintf(body, sizeof body, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
             "\"spec\":{\"token\":\"%s\"%s}}", token, audiences ? audiences : "");
    json_t *out = NULL;
    int code = call("POST", "/apis/authentication.k8s.io/v1/tokenreviews", body, &out);
    CU_ASSERT_EQUAL(code, 201);
    return out;
}

static void test_token_request_claims(void)
{
    json_t *sa = NULL, *pod = NULL, *resp = NULL;
    CU_ASSERT_EQUAL(call("GET", SA_URL, NULL, &sa), 200);
    CU_ASSERT_EQUAL(call("GET", "/api/v1/namespaces/default/pods/p1", NULL, &pod), 200);
    int code = 0;
    char *tok = request_token("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                              "\"spec\":{\"audiences\":[\"api\"],\"expirationSeconds\":1200,"
                              "\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"p1\"}}}",
                              &code, &resp);
    CU_ASSERT_EQUAL(code, 201);
    CU_ASSERT_STRING_EQUAL(ck_json_str(resp, "kind", ""), "TokenRequest");
    CU_ASSERT_PTR_NOT_NULL(ck_json_path(resp, "status.expirationTimestamp"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(resp, "spec.boundObjectRef.uid", ""), ck_json_str(pod, "metadata.uid", "?"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
    json_t *h = part(tok, 0), *c = part(tok, 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(h, "alg", ""), "RS256");
    CU_ASSERT_TRUE(*ck_json_str(h, "kid", ""));
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "iss", ""), CK_SA_DEFAULT_ISSUER);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "sub", ""), "system:serviceaccount:default:robot");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "aud", ""), "api");
    long long iat = ck_json_int(c, "iat", 0), exp = ck_json_int(c, "exp", 0);
    CU_ASSERT_EQUAL(exp - iat, 1200);
    CU_ASSERT_TRUE(llabs(iat - (long long)time(NULL)) < 60); /* valgrind is slow */
    CU_ASSERT_EQUAL(ck_json_int(c, "nbf", 0), iat);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_object_get(c, "kubernetes.io"), "namespace", ""), "default");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_object_get(c, "kubernetes.io"), "serviceaccount.name", ""), "robot");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_object_get(c, "kubernetes.io"), "serviceaccount.uid", ""), ck_json_str(sa, "metadata.uid", "?"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_object_get(c, "kubernetes.io"), "pod.name", ""), "p1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_object_get(c, "kubernetes.io"), "pod.uid", ""), ck_json_str(pod, "metadata.uid", "?"));
    json_decref(h), json_decref(c), json_decref(resp), json_decref(sa), json_decref(pod);
    free(tok);
}

static void test_token_request_defaults_and_errors(void)
{
    int code = 0;
    json_t *resp = NULL;
    char *tok = request_token("{}", &code, &resp);
    CU_ASSERT_EQUAL(code, 201);
    CU_ASSERT_EQUAL(ck_json_int(resp, "spec.expirationSeconds", 0), 3600);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(ck_json_path(resp, "spec.audiences"), 0)) ?: "", CK_SA_DEFAULT_ISSUER);
    json_t *c = tok ? part(tok, 1) : NULL;
    CU_ASSERT_PTR_NULL(ck_json_path(json_object_get(c, "kubernetes.io"), "pod"));
    json_decref(c), json_decref(resp), free(tok);
    /* ValidateTokenRequest: at least 10 minutes */
    tok = request_token("{\"spec\":{\"expirationSeconds\":599}}", &code, &resp);
    CU_ASSERT_EQUAL(code, 422);
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(resp, "message", ""), "may not specify a duration less than 10 minutes"));
    json_decref(resp), free(tok);
    /* a pod of another service account, a stale uid, a missing account */
    call("POST", "/api/v1/namespaces/default/pods",
         "{\"metadata\":{\"name\":\"p2\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", NULL);
    tok = request_token("{\"spec\":{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"p2\"}}}",
                        &code, NULL);
    CU_ASSERT_EQUAL(code, 400);
    free(tok);
    tok = request_token("{\"spec\":{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"p1\","
                        "\"uid\":\"not-it\"}}}", &code, NULL);
    CU_ASSERT_EQUAL(code, 409);
    free(tok);
    json_t *out = NULL;
    CU_ASSERT_EQUAL(call("POST", "/api/v1/namespaces/default/serviceaccounts/ghost/token", "{}", &out), 404);
    json_decref(out);
}

static void test_token_review(void)
{
    int code = 0;
    char *tok = request_token("{\"spec\":{\"audiences\":[\"api\"],\"boundObjectRef\":{\"kind\":\"Pod\","
                              "\"apiVersion\":\"v1\",\"name\":\"p1\"}}}", &code, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
    json_t *out = review(tok, ",\"audiences\":[\"api\"]");
    CU_ASSERT_TRUE(json_is_true(ck_json_path(out, "status.authenticated")));
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "status.user.username", ""), "system:serviceaccount:default:robot");
    json_t *groups = ck_json_path(out, "status.user.groups");
    CU_ASSERT_EQUAL(json_array_size(groups), 3);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(groups, 1)) ?: "", "system:serviceaccounts:default");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(ck_json_path(out, "status.audiences"), 0)) ?: "", "api");
    json_decref(out);
    /* the wrong audience */
    out = review(tok, ",\"audiences\":[\"other\"]");
    CU_ASSERT_TRUE(json_is_false(ck_json_path(out, "status.authenticated")));
    json_decref(out);
    /* a tampered payload: one character of the claims changed */
    char *dot = strchr(tok, '.');
    dot[5] = dot[5] == 'A' ? 'B' : 'A';
    out = review(tok, ",\"audiences\":[\"api\"]");
    CU_ASSERT_TRUE(json_is_false(ck_json_path(out, "status.authenticated")));
    CU_ASSERT_TRUE(*ck_json_str(out, "status.error", ""));
    json_decref(out);
    free(tok);
    out = review("not-a-jwt", NULL);
    CU_ASSERT_TRUE(json_is_false(ck_json_path(out, "status.authenticated")));
    json_decref(out);
    CU_ASSERT_EQUAL(call("POST", "/apis/authentication.k8s.io/v1/tokenreviews", "{\"spec\":{}}", &out), 400);
    json_decref(out);
}

static void test_oidc_and_discovery(void)
{
    json_t *out = NULL;
    CU_ASSERT_EQUAL(call("GET", "/.well-known/openid-configuration", NULL, &out), 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(out, "issuer", ""), CK_SA_DEFAULT_ISSUER);
    CU_ASSERT_PTR_NOT_NULL(strstr(ck_json_str(out, "jwks_uri", ""), "/openid/v1/jwks"));
    json_decref(out);
    int code = 0;
    char *tok = request_token("{}", &code, NULL);
    json_t *h = tok ? part(tok, 0) : NULL;
    CU_ASSERT_EQUAL(call("GET", "/openid/v1/jwks", NULL, &out), 200);
    json_t *key = json_array_get(json_object_get(out, "keys"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(key, "kty", ""), "RSA");
    CU_ASSERT_STRING_EQUAL(ck_json_str(key, "e", ""), "AQAB");
    CU_ASSERT_STRING_EQUAL(ck_json_str(key, "kid", ""), ck_json_str(h, "kid", "?"));
    CU_ASSERT_TRUE(strlen(ck_json_str(key, "n", "")) > 300); /* 2048-bit modulus */
    json_decref(out), json_decref(h), free(tok);
    /* discovery: serviceaccounts/token is a TokenRequest; tokenreviews is served */
    CU_ASSERT_EQUAL(call("GET", "/api/v1", NULL, &out), 200);
    bool found = false;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(out, "resources"), i, r) if (strcmp(ck_json_str(r, "name", ""),
                                                                         "serviceaccounts/token") == 0) {
        found = true;
        CU_ASSERT_STRING_EQUAL(ck_json_str(r, "kind", ""), "TokenRequest");
        CU_ASSERT_STRING_EQUAL(ck_json_str(r, "group", ""), "authentication.k8s.io");
    }
    CU_ASSERT_TRUE(found);
    json_decref(out);
    CU_ASSERT_EQUAL(call("GET", "/apis/authentication.k8s.io/v1", NULL, &out), 200);
    char *text = json_dumps(out, 0);
    CU_ASSERT_PTR_NOT_NULL(text ? strstr(text, "\"tokenreviews\"") : NULL);
    free(text), json_decref(out);
}

static void test_signing_key_file(void)
{
    char path[] = "/tmp/ck-sa-keyXXXXXX", err[256] = "";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    unlink(path);
    /* a missing file is created; a restart reading it verifies the old token */
    CU_ASSERT_EQUAL(ck_sa_jwt_configure("https://issuer.test", NULL, path, err, sizeof err), 0);
    json_t *claims = json_pack("{s:s}", "sub", "x");
    char *tok = ck_sa_jwt_sign(claims, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
    CU_ASSERT_EQUAL(ck_sa_jwt_configure("https://issuer.test", NULL, path, err, sizeof err), 0);
    json_t *back = ck_sa_jwt_verify(tok, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(ck_json_str(back, "sub", ""), "x");
    CU_ASSERT_STRING_EQUAL(ck_sa_jwt_issuer(), "https://issuer.test");
    json_decref(back);
    /* a new in-memory key no longer verifies it */
    CU_ASSERT_EQUAL(ck_sa_jwt_configure(CK_SA_DEFAULT_ISSUER, NULL, NULL, err, sizeof err), 0);
    CU_ASSERT_PTR_NULL(ck_sa_jwt_verify(tok, err, sizeof err));
    free(tok), json_decref(claims);
    unlink(path);
}

int main(void)
{
    static const ck_test tests[] = {
        {"TokenRequest answers a JWT with upstream's claims", test_token_request_claims},
        {"TokenRequest defaults, 422, 400, 409, 404", test_token_request_defaults_and_errors},
        {"TokenReview accepts the token, refuses tampered ones", test_token_review},
        {"OIDC documents and discovery", test_oidc_and_discovery},
        {"signing key file persists the key", test_signing_key_file},
        {NULL, NULL},
    };
    return ck_test_main("tokens", tests, start, stop);
}
