/* token_manager.h: the kubelet's service-account token manager (upstream
 * pkg/kubelet/token/token_manager.go): projected serviceAccountToken files
 * hold a token from the TokenRequest API, renewed at 80% of its lifetime. */
#ifndef CK_KUBELET_TOKEN_MANAGER_H
#define CK_KUBELET_TOKEN_MANAGER_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "kubelet/kubelet_internal.h"

/* Writes dir/<src.path> (mode) for one serviceAccountToken projection of w's
 * pod: POST serviceaccounts/<sa>/token with src's audience/expirationSeconds
 * bound to the pod, unless the file's token is still fresh. 0 or -1 + err. */
int ck_token_manager_project(ck_kubelet *k, ck_pod_worker *w, const json_t *src, const char *dir, int mode, char *err,
                             size_t errlen);
/* requiresRefresh: the token file at path is missing, unreadable, or past 80%
 * of its lifetime (or older than 24 h) at time now. */
bool ck_token_requires_refresh(const char *path, long long now);
#endif
