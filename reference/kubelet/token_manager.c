/* token_manager.c: projected service-account tokens from the TokenRequest
 * API (pkg/kubelet/token/token_manager.go, pkg/volume/projected): a token
 * per projection, bound to the pod, rewritten atomically and renewed once
 * 80% of its lifetime has passed (the volume refresh loop calls us often). */
#include "kubelet/token_manager.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "node/cmd.h"
#include "store/base64.h"
#include "util/ckjson.h"

#define MAX_TTL_SECONDS (24 * 3600) /* maxTTL: refresh at least daily */
#define DEFAULT_EXPIRATION 3600     /* serviceAccountToken.expirationSeconds default */

/* The JWT claims of the token in path (new ref or NULL). */
static json_t *file_claims(const char *path)
{
    char buf[16384];
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *d1 = strchr(buf, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d2) return NULL;
    size_t len = 0;
    char *raw = ck_base64_decode(d1 + 1, (size_t)(d2 - d1 - 1), &len);
    json_t *c = raw ? json_loadb(raw, len, 0, NULL) : NULL;
    free(raw);
    return c;
}

bool ck_token_requires_refresh(const char *path, long long now)
{
    json_t *c = file_claims(path);
    if (!c) return true;
    long long iat = json_integer_value(json_object_get(c, "iat"));
    long long exp = json_integer_value(json_object_get(c, "exp"));
    json_decref(c);
    if (exp <= iat) return true;
    /* token_manager.go requiresRefresh: 80% of the TTL, or older than maxTTL. */
    long long ttl = exp - iat;
    return now > iat + ttl * 8 / 10 || now > iat + MAX_TTL_SECONDS;
}

/* Replaced by rename, so a reader never sees half a token. */
static int write_atomic(const char *path, const char *data, int mode)
{
    char tmp[2100], dirbuf[2048];
    snprintf(dirbuf, sizeof dirbuf, "%s", path);
    char *slash = strrchr(dirbuf, '/');
    if (slash) *slash = 0;
    for (char *p = dirbuf + 1; slash && *p; p++) /* nested paths ("a/b/token") */
        if (*p == '/') *p = 0, mkdir(dirbuf, 0755), *p = '/';
    if (slash) mkdir(dirbuf, 0755);
    if (ck_node_pathf(tmp, sizeof tmp, "%s.ck-tmp", path) < 0) return -1;
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
    fputs(data, f);
    fchmod(fileno(f), (mode_t)mode);
    if (fclose(f) != 0) return unlink(tmp), -1;
    return rename(tmp, path);
}

int ck_token_manager_project(ck_kubelet *k, ck_pod_worker *w, const json_t *src, const char *dir, int mode, char *err,
                             size_t errlen)
{
    const char *rel = ck_json_str(src, "path", "token");
    char path[2048];
    if (strstr(rel, "..") || ck_node_pathf(path, sizeof path, "%s/%s", dir, rel) < 0)
        return snprintf(err, errlen, "invalid token path %s", rel), -1;
    if (!ck_token_requires_refresh(path, (long long)time(NULL))) return 0;
    const char *sa = ck_json_str(w->pod, "spec.serviceAccountName", "default");
    const char *aud = ck_json_str(src, "audience", "");
    json_t *secs = json_object_get(src, "expirationSeconds");
    json_t *body = json_pack("{s:s,s:s,s:{s:[],s:I,s:{s:s,s:s,s:s,s:s}}}", "apiVersion", "authentication.k8s.io/v1",
                             "kind", "TokenRequest", "spec", "audiences", "expirationSeconds",
                             (json_int_t)(json_is_integer(secs) ? json_integer_value(secs) : DEFAULT_EXPIRATION),
                             "boundObjectRef", "apiVersion", "v1", "kind", "Pod", "name", w->name, "uid", w->uid);
    if (!body) return snprintf(err, errlen, "out of memory"), -1;
    /* An empty audience means the API server's own (the spec omits it). */
    if (*aud) json_array_append_new(ck_json_path(body, "spec.audiences"), json_string(aud));
    else json_object_del(json_object_get(body, "spec"), "audiences");
    ck_resource_ref ref = {"", "v1", "serviceaccounts", w->ns, sa, "token"};
    ck_response r = {0};
    int rc = ck_rest_create(k->rest, &ref, body, &r);
    json_decref(body);
    const char *tok = rc == 0 ? ck_json_str(r.body, "status.token", "") : "";
    if (!*tok) {
        /* token_manager.go: "failed to fetch token: ..." */
        snprintf(err, errlen, "failed to fetch token: %s", r.message[0] ? r.message : "no token in the response");
        ck_response_clear(&r);
        return -1;
    }
    rc = write_atomic(path, tok, mode);
    ck_response_clear(&r);
    if (rc < 0) snprintf(err, errlen, "write %s failed", path);
    return rc;
}
