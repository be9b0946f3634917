/* review.c: the authorization.k8s.io and authentication.k8s.io reviews, which
 * upstream answers from its authorizer/authenticator and never stores
 * (pkg/registry/authorization/..., pkg/registry/authentication/selfsubjectreview).
 * ckube has neither authentication nor authorization: every request is served
 * as system:anonymous and every action is allowed, so the reviews say exactly
 * that (allowed: true, all rules) rather than pretend to a policy. */
#include <string.h>
#include "apiserver/handlers/subresources.h"
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"

/* The metadata a review answers with: only what the client sent (upstream's
 * REST Create skips BeforeCreate, so no uid or creationTimestamp). */
static void strip_server_meta(json_t *obj)
{
    json_t *meta = json_object_get(obj, "metadata");
    if (!json_is_object(meta)) return;
    json_object_del(meta, "uid");
    json_object_del(meta, "creationTimestamp");
    json_object_del(meta, "generation");
}

/* The reviews have no TableConvertor, so as=Table cannot be served
 * (RequestScope.AllowsMediaTypeTransform): 406, as upstream's
 * "should return a 406 for a backend which does not implement metadata". */
static int refuse_table(ck_handler *ctx)
{
    if (!ck_accept_table_req(ctx->req)) return 0;
    ck_status_set(&ctx->st, 406, "NotAcceptable",
                  "only the following media types are accepted: application/json, application/yaml, "
                  "application/vnd.kubernetes.protobuf");
    return -1;
}

/* SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview:
 * status.allowed (the AlwaysAllow authorizer's answer). */
static int access_review(ck_handler *ctx, json_t *obj)
{
    if (refuse_table(ctx) < 0) return -1;
    strip_server_meta(obj);
    json_object_set_new(obj, "status", json_pack("{s:b}", "allowed", 1));
    return 0;
}

/* SelfSubjectRulesReview: the rules AlwaysAllow grants (everything), as
 * authorizerfactory.alwaysAllowAuthorizer.RulesFor returns them. */
static int rules_review(ck_handler *ctx, json_t *obj)
{
    if (refuse_table(ctx) < 0) return -1;
    strip_server_meta(obj);
    json_object_set_new(obj, "status",
                        json_pack("{s:[{s:[s],s:[s],s:[s]}],s:[{s:[s],s:[s]}],s:b}", "resourceRules", "verbs", "*",
                                  "apiGroups", "*", "resources", "*", "nonResourceRules", "verbs", "*",
                                  "nonResourceURLs", "*", "incomplete", 0));
    return 0;
}

/* SelfSubjectReview: who ckube takes the caller to be. Without an
 * authenticator every request is anonymous (the user and group upstream's
 * anonymous authenticator assigns). */
static int self_subject_review(ck_handler *ctx, json_t *obj)
{
    if (refuse_table(ctx) < 0) return -1;
    strip_server_meta(obj);
    json_object_set_new(obj, "status", json_pack("{s:{s:s,s:[s]}}", "userInfo", "username", "system:anonymous",
                                                 "groups", "system:unauthenticated"));
    return 0;
}

const ck_strategy ck_strategy_selfsubjectaccessreviews = {
    .resource = "authorization.k8s.io/selfsubjectaccessreviews", .virtual_create = access_review};
const ck_strategy ck_strategy_subjectaccessreviews = {
    .resource = "authorization.k8s.io/subjectaccessreviews", .virtual_create = access_review};
const ck_strategy ck_strategy_localsubjectaccessreviews = {
    .resource = "authorization.k8s.io/localsubjectaccessreviews", .virtual_create = access_review};
const ck_strategy ck_strategy_selfsubjectrulesreviews = {
    .resource = "authorization.k8s.io/selfsubjectrulesreviews", .virtual_create = rules_review};
const ck_strategy ck_strategy_selfsubjectreviews = {
    .resource = "authentication.k8s.io/selfsubjectreviews", .virtual_create = self_subject_review};
