/* tokenrequest.c: bound service-account tokens: the serviceaccounts/token
 * subresource (TokenRequest), the TokenReview that authenticates them, and the
 * OIDC discovery documents that publish the verification keys. Tokens are
 * RS256 JWTs from serviceaccount_jwt.c. */
#include "apiserver/registry/tokenrequest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "apiserver/registry/serviceaccount_jwt.h"
#include "util/ckjson.h"
#include "util/timeutil.h"
#include "util/uid.h"

#define SYNC_TIMEOUT_MS 5000
#define MIN_TOKEN_SECONDS 600         /* validation.MinTokenAgeSec */
#define MAX_TOKEN_SECONDS (1LL << 32) /* "2^32 seconds" */
#define DEFAULT_TOKEN_SECONDS 3600    /* SetDefaults_TokenRequestSpec */
#define SA_PREFIX "system:serviceaccount:"

static const char *const token_kind = "TokenRequest", *const auth_group = "authentication.k8s.io";

/* The API audiences: --api-audiences defaults to the issuer. */
static json_t *api_audiences(void) { return json_pack("[s]", ck_sa_jwt_issuer()); }

/* An object of the cache, once it holds every write this server acknowledged. */
static ck_cobj *fresh_get(ck_handler *ctx, const char *storage, const char *ns, const char *name)
{
    char key[600];
    snprintf(key, sizeof key, "%s/%s", ns, name);
    if (ctx && !ck_cacher_sync(ctx->s->cache, 0, SYNC_TIMEOUT_MS)) return NULL;
    return ck_cacher_get(ctx->s->cache, storage, key);
}

json_t *ck_sa_claims(const char *ns, const char *sa, const char *sa_uid, const char *pod_name, const char *pod_uid,
                     const json_t *audiences, long long now, long long expiration_seconds)
{
    char sub[600], jti[CK_UID_LEN];
    snprintf(sub, sizeof sub, SA_PREFIX "%s:%s", ns, sa);
    /* go-jose's Audience marshals a single audience as a plain string. */
    json_t *aud = json_array_size(audiences) == 1 ? json_incref(json_array_get(audiences, 0))
                                                 : json_deep_copy(audiences);
    json_t *k8s = json_pack("{s:s,s:{s:s,s:s}}", "namespace", ns, "serviceaccount", "name", sa, "uid", sa_uid);
    if (k8s && pod_name) json_object_set_new(k8s, "pod", json_pack("{s:s,s:s}", "name", pod_name, "uid", pod_uid));
    return json_pack("{s:o,s:I,s:I,s:s,s:s,s:I,s:o,s:s}", "aud", aud, "exp", (json_int_t)(now + expiration_seconds),
                     "iat", (json_int_t)now, "iss", ck_sa_jwt_issuer(), "jti", ck_uid_new(jti), "nbf",
                     (json_int_t)now, "kubernetes.io", k8s, "sub", sub);
}

/* ValidateTokenRequest: 422 TokenRequest.authentication.k8s.io "" is invalid. */
static int validate_request(ck_handler *ctx, long long secs)
{
    ck_errs errs = CK_ERRS_INIT;
    if (secs < MIN_TOKEN_SECONDS)
        ck_errs_add(&errs, "FieldValueInvalid", "spec.expirationSeconds",
                    "Invalid value: %lld: may not specify a duration less than 10 minutes", secs);
    if (secs > MAX_TOKEN_SECONDS)
        ck_errs_add(&errs, "FieldValueInvalid", "spec.expirationSeconds",
                    "Invalid value: %lld: may not specify a duration larger than 2^32 seconds", secs);
    if (!ck_errs_count(&errs)) return 0;
    ck_status_invalid(&ctx->st, auth_group, token_kind, "", &errs);
    ck_errs_free(&errs);
    return -1;
}

/* The bound object (token.go): a Pod or Secret of the namespace whose uid
 * matches when given; a pod must run as this service account. Fills
 * pod_name and pod_uid (borrowed from *held, which the caller unrefs). */
static int bind_object(ck_handler *ctx, json_t *ref, const char *sa, ck_cobj **held, const char **pod_name,
                       const char **pod_uid)
{
    const char *kind = ck_json_str(ref, "kind", ""), *name = ck_json_str(ref, "name", "");
    const char *uid = ck_json_str(ref, "uid", ""), *api = ck_json_str(ref, "apiVersion", "v1");
    const char *storage = strcmp(kind, "Pod") == 0 ? "pods" : strcmp(kind, "Secret") == 0 ? "secrets" : NULL;
    if (!storage || strcmp(api, "v1") != 0) {
        ck_status_bad_request(&ctx->st, "cannot bind token to object of type %s, Kind=%s", api, kind);
        return -1;
    }
    ck_cobj *o = *held = fresh_get(ctx, storage, ctx->ri->ns, name);
    if (!o) {
        ck_status_not_found(&ctx->st, "", storage, name);
        return -1;
    }
    const char *actual = ck_json_str(o->obj, "metadata.uid", "");
    if (*uid && strcmp(uid, actual) != 0) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "the UID in the bound object reference (%s) does not match the UID in record. The object might "
                 "have been deleted and then recreated", uid);
        ck_status_conflict(&ctx->st, "", kind, name, msg);
        return -1;
    }
    if (strcmp(storage, "pods") == 0) {
        if (strcmp(ck_json_str(o->obj, "spec.serviceAccountName", "default"), sa) != 0) {
            ck_status_bad_request(&ctx->st,
                                  "cannot bind token for serviceaccount \"%s\" to pod running with different "
                                  "serviceaccount name.", sa);
            return -1;
        }
        *pod_name = name;
        *pod_uid = actual;
    }
    json_object_set_new(ref, "uid", json_string(actual));
    return 0;
}

/* Signs the token and fills status (token + expirationTimestamp). */
static int issue(ck_handler *ctx, json_t *req, const json_t *sa, const char *pod_name, const char *pod_uid,
                 long long secs)
{
    long long now = (long long)time(NULL);
    json_t *claims = ck_sa_claims(ctx->ri->ns, ctx->ri->name, ck_json_str(sa, "metadata.uid", ""), pod_name,
                                  pod_uid, ck_json_path(req, "spec.audiences"), now, secs);
    char err[256] = "out of memory", ts[CK_TIME_LEN];
    char *tok = claims ? ck_sa_jwt_sign(claims, err, sizeof err) : NULL;
    json_decref(claims);
    if (!tok) {
        ck_status_internal(&ctx->st, "failed to sign token: %s", err);
        return -1;
    }
    json_object_set_new(req, "status", json_pack("{s:s,s:s}", "token", tok, "expirationTimestamp",
                                                 ck_time_format((time_t)(now + secs), ts)));
    free(tok);
    return 0;
}

/* The request's metadata: name and namespace must match the URL if given
 * (token.go); creationTimestamp is the issue time. */
static int check_meta(ck_handler *ctx, json_t *req)
{
    json_t *meta = ck_json_ensure_object(req, "metadata");
    if (!meta) return ck_status_bad_request(&ctx->st, "metadata must be an object"), -1;
    const char *name = ck_json_str(meta, "name", ""), *ns = ck_json_str(meta, "namespace", "");
    ck_errs errs = CK_ERRS_INIT;
    if (*name && strcmp(name, ctx->ri->name) != 0)
        ck_errs_invalid_str(&errs, "metadata.name", name, "must match the service account name if specified");
    else if (*ns && strcmp(ns, ctx->ri->ns) != 0)
        ck_errs_invalid_str(&errs, "metadata.namespace", ns, "must match the service account namespace if specified");
    if (ck_errs_count(&errs)) {
        ck_status_invalid(&ctx->st, auth_group, token_kind, ctx->ri->name, &errs);
        ck_errs_free(&errs);
        return -1;
    }
    char now[CK_TIME_LEN];
    json_object_set_new(meta, "name", json_string(ctx->ri->name));
    json_object_set_new(meta, "namespace", json_string(ctx->ri->ns));
    json_object_set_new(meta, "creationTimestamp", json_string(ck_time_now(now)));
    return 0;
}

/* Decodes the body and applies the spec's defaults. New ref or NULL + st. */
static json_t *decode_request(ck_handler *ctx)
{
    json_t *req = ctx->req->body_len ? json_loadb(ctx->req->body, ctx->req->body_len, 0, NULL) : json_object();
    if (!json_is_object(req) || (json_object_get(req, "spec") && !json_is_object(json_object_get(req, "spec")))) {
        json_decref(req);
        ck_status_bad_request(&ctx->st, "the body of the request was in an unknown format");
        return NULL;
    }
    json_t *spec = ck_json_ensure_object(req, "spec");
    if (!json_array_size(json_object_get(spec, "audiences"))) json_object_set_new(spec, "audiences", api_audiences());
    if (!json_is_integer(json_object_get(spec, "expirationSeconds")))
        json_object_set_new(spec, "expirationSeconds", json_integer(DEFAULT_TOKEN_SECONDS));
    json_object_set_new(req, "apiVersion", json_string("authentication.k8s.io/v1"));
    json_object_set_new(req, "kind", json_string(token_kind));
    json_object_del(req, "status");
    return req;
}

int ck_tokenrequest_create(ck_handler *ctx)
{
    if (!ctx->ri->ns[0] || !ctx->ri->name[0]) {
        ck_status_method_not_allowed(&ctx->st, "create", "", "serviceaccounts");
        return -1;
    }
    json_t *req = decode_request(ctx);
    if (!req) return -1;
    ck_cobj *sa = NULL, *bound = NULL;
    const char *pod_name = NULL, *pod_uid = NULL;
    int rc = -1;
    if (check_meta(ctx, req) < 0) goto out;
    if (!(sa = fresh_get(ctx, "serviceaccounts", ctx->ri->ns, ctx->ri->name))) {
        ck_status_not_found(&ctx->st, "", "serviceaccounts", ctx->ri->name);
        goto out;
    }
    long long secs = json_integer_value(ck_json_path(req, "spec.expirationSeconds"));
    if (validate_request(ctx, secs) < 0) goto out;
    json_t *ref = ck_json_path(req, "spec.boundObjectRef");
    if (json_is_object(ref) && bind_object(ctx, ref, ctx->ri->name, &bound, &pod_name, &pod_uid) < 0) goto out;
    if (issue(ctx, req, sa->obj, pod_name, pod_uid, secs) < 0) goto out;
    ck_handler_respond(ctx, 201, json_incref(req));
    rc = 0;
out:
    ck_cobj_unref(sa);
    ck_cobj_unref(bound);
    json_decref(req);
    return rc;
}

/* ---- TokenReview --------------------------------------------------------- */

/* The audiences both sides accept (authenticator.Audiences.Intersect). */
static json_t *intersect(const json_t *token_aud, const json_t *wanted)
{
    json_t *out = json_array(), *list = json_is_string(token_aud) ? json_pack("[O]", token_aud) : json_incref((json_t *)token_aud);
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(wanted, i, a) json_array_foreach(list, j, b) if (json_equal(a, b)) {
        json_array_append(out, a);
        break;
    }
    json_decref(list);
    return out;
}

/* Checks the verified claims: time window, issuer, audiences, and that the
 * service account (and bound pod) still exist with the same uid
 * (pkg/serviceaccount/claims.go validator.Validate). NULL or an error message. */
static const char *check_claims(ck_handler *ctx, const json_t *c, const json_t *wanted, json_t **auds)
{
    long long now = (long long)time(NULL);
    if (now >= json_integer_value(json_object_get(c, "exp"))) return "service account token has expired";
    if (now < json_integer_value(json_object_get(c, "nbf"))) return "service account token is not valid yet";
    if (strcmp(ck_json_str(c, "iss", ""), ck_sa_jwt_issuer()) != 0) return "token issuer is not trusted";
    *auds = intersect(json_object_get(c, "aud"), wanted);
    if (!json_array_size(*auds)) return "token audiences is invalid for the target audiences";
    const json_t *k = json_object_get(c, "kubernetes.io");
    const char *ns = ck_json_str(k, "namespace", "");
    ck_cobj *sa = fresh_get(ctx, "serviceaccounts", ns, ck_json_str(k, "serviceaccount.name", ""));
    bool sa_ok = sa && strcmp(ck_json_str(sa->obj, "metadata.uid", ""), ck_json_str(k, "serviceaccount.uid", "")) == 0;
    ck_cobj_unref(sa);
    if (!sa_ok) return "service account has been deleted or recreated";
    if (json_object_get(k, "pod")) {
        ck_cobj *pod = fresh_get(ctx, "pods", ns, ck_json_str(k, "pod.name", ""));
        bool pod_ok = pod && strcmp(ck_json_str(pod->obj, "metadata.uid", ""), ck_json_str(k, "pod.uid", "")) == 0 &&
                      !ck_json_path(pod->obj, "metadata.deletionTimestamp");
        ck_cobj_unref(pod);
        if (!pod_ok) return "pod has been deleted or recreated";
    }
    return NULL;
}

/* The user a service-account token stands for (serviceaccount.UserInfo). */
static json_t *user_info(const json_t *c)
{
    const json_t *k = json_object_get(c, "kubernetes.io");
    const char *ns = ck_json_str(k, "namespace", "");
    char group[300];
    snprintf(group, sizeof group, "system:serviceaccounts:%s", ns);
    json_t *u = json_pack("{s:s,s:s,s:[s,s,s]}", "username", ck_json_str(c, "sub", ""), "uid",
                          ck_json_str(k, "serviceaccount.uid", ""), "groups", "system:serviceaccounts", group,
                          "system:authenticated");
    if (u && json_object_get(k, "pod"))
        json_object_set_new(u, "extra",
                            json_pack("{s:[s],s:[s]}", "authentication.kubernetes.io/pod-name",
                                      ck_json_str(k, "pod.name", ""), "authentication.kubernetes.io/pod-uid",
                                      ck_json_str(k, "pod.uid", "")));
    return u;
}

static int token_review(ck_handler *ctx, json_t *obj)
{
    const char *token = ck_json_str(obj, "spec.token", "");
    if (!*token) {
        ck_status_bad_request(&ctx->st, "token is required for TokenReview in authentication");
        return -1;
    }
    /* Never stored: only what the client sent (as review.c). */
    json_t *meta = json_object_get(obj, "metadata");
    json_object_del(meta, "uid");
    json_object_del(meta, "creationTimestamp");
    json_object_del(meta, "generation");
    json_t *wanted = json_array_size(ck_json_path(obj, "spec.audiences"))
                         ? json_incref(ck_json_path(obj, "spec.audiences")) : api_audiences();
    char err[256];
    json_t *auds = NULL, *claims = ck_sa_jwt_verify(token, err, sizeof err);
    const char *why = claims ? check_claims(ctx, claims, wanted, &auds) : err;
    json_t *status = json_object();
    if (why) {
        json_object_set_new(status, "authenticated", json_false());
        json_object_set_new(status, "user", json_object());
        json_object_set_new(status, "error", json_string(why));
    } else {
        json_object_set_new(status, "authenticated", json_true());
        json_object_set_new(status, "user", user_info(claims));
        json_object_set(status, "audiences", auds);
    }
    json_object_set_new(obj, "status", status);
    json_decref(auds), json_decref(claims), json_decref(wanted);
    return 0;
}

const ck_strategy ck_strategy_tokenreviews = {
    .resource = "authentication.k8s.io/tokenreviews", .virtual_create = token_review};

/* ---- OIDC discovery (pkg/serviceaccount/openidmetadata.go) --------------- */

bool ck_oidc_serve(const ck_req *req, ck_resp *resp)
{
    bool config = strcmp(req->path, "/.well-known/openid-configuration") == 0;
    if (!config && strcmp(req->path, "/openid/v1/jwks") != 0) return false;
    if (strcmp(req->method, "GET") != 0) {
        ck_status st = {0};
        ck_status_set(&st, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        ck_resp_status(resp, &st);
        return true;
    }
    json_t *doc;
    if (config) {
        char jwks[600];
        snprintf(jwks, sizeof jwks, "%s/openid/v1/jwks", ck_sa_jwt_issuer());
        doc = json_pack("{s:s,s:s,s:[s],s:[s],s:[s]}", "issuer", ck_sa_jwt_issuer(), "jwks_uri", jwks,
                        "response_types_supported", "id_token", "subject_types_supported", "public",
                        "id_token_signing_alg_values_supported", "RS256");
    } else {
        doc = ck_sa_jwt_jwks();
    }
    if (!doc) {
        ck_status st = {0};
        ck_status_internal(&st, "out of memory");
        ck_resp_status(resp, &st);
        return true;
    }
    ck_resp_json(resp, 200, doc);
    /* Upstream serves jwks as application/jwk-set+json. */
    if (!config) resp->content_type = "application/jwk-set+json";
    ck_resp_header(resp, "Cache-Control", "public, max-age=3600");
    return true;
}
