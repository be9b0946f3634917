/* env.h: a container's environment (pkg/kubelet/kubelet_pods.go
 * makeEnvironmentVariables): envFrom (configMapRef/secretRef with prefix),
 * then env (value with $(VAR) expansion, fieldRef, resourceFieldRef,
 * configMapKeyRef, secretKeyRef). A missing non-optional source or key is
 * upstream's CreateContainerConfigError, with its message. */
#ifndef CK_KUBELET_ENV_H
#define CK_KUBELET_ENV_H
#include <jansson.h>
#include <stdbool.h>

/* Fetches a ConfigMap or Secret (resource "configmaps"/"secrets"): a new
 * reference, or NULL with *not_found true when the object does not exist
 * (false on any other error). */
typedef json_t *(*ck_env_lookup)(void *ud, const char *resource, const char *ns, const char *name, bool *not_found);

typedef struct ck_env_context {
    const json_t *pod;            /* the pod (borrowed) */
    const char *pod_ip, *host_ip, *node_name;
    const char *node_cpu, *node_memory; /* allocatable: limits.* of a container without limits */
    ck_env_lookup lookup;
    void *ud;
    const char *const *extra;     /* "NAME=value" set first (service env); may be NULL */
} ck_env_context;

/* The environment of container spec c: a malloc'd NULL-terminated vector of
 * malloc'd "NAME=value" strings (free with ck_env_free), or NULL with the
 * CreateContainerConfigError message in err. */
char **ck_env_build(const ck_env_context *ctx, const json_t *c, char *err, size_t errlen);
void ck_env_free(char **v);

/* The downward API value of fieldPath (metadata.name, metadata.labels['k'],
 * status.podIP, ...), malloc'd; NULL when the path is not supported. */
char *ck_env_field_ref(const ck_env_context *ctx, const char *path);
#endif
