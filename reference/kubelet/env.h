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

/* third_party/forked/golang/expansion Expand: $(NAME) is replaced by
 * map(ud, name, len) (not NUL-terminated); a NULL result keeps "$(NAME)" as
 * written (MappingFuncFor's syntaxWrap). $$ is $; "$" before anything else,
 * or an unclosed "$(", is copied as is. malloc'd, NULL on OOM. */
typedef const char *(*ck_expansion_mapping)(void *ud, const char *name, size_t len);
char *ck_expansion_expand(const char *s, ck_expansion_mapping map, void *ud);

/* ExpandContainerCommandAndArgs (kubecontainer helpers.go): the strings of
 * arr (command or args) with $(VAR) replaced from env ("NAME=value", NULL-
 * terminated); an undefined $(VAR) stays as written, $$ is $. A malloc'd
 * NULL-terminated vector of malloc'd strings (free with ck_env_free); NULL
 * when arr is not a non-empty array or on OOM. */
char **ck_env_expand_argv(const json_t *arr, char *const *env);

/* service_env.c: the variables of the Services a pod in ns sees (envvars.go
 * FromServices over getServiceEnvVarMap's choice): every Service of ns with a
 * cluster IP when enable_links, and "kubernetes" of "default" always.
 * services: an array of Service objects (borrowed). A malloc'd NULL-
 * terminated vector of malloc'd "NAME=value" (ck_env_free), NULL on OOM. */
char **ck_service_env(const json_t *services, const char *ns, bool enable_links);

/* resourceFieldRef {containerName, resource, divisor} as text in out:
 * ceil(value / divisor), an unset limit being the node's allocatable; the
 * container is self unless containerName names another of ctx->pod. 0, or
 * -1 with err. */
int ck_env_resource_field(const ck_env_context *ctx, const json_t *self, const json_t *ref, char *out, size_t n,
                          char *err, size_t errlen);

/* The downward API value of fieldPath (metadata.name, metadata.labels['k'],
 * status.podIP, ...), malloc'd; NULL when the path is not supported. */
char *ck_env_field_ref(const ck_env_context *ctx, const char *path);
#endif
