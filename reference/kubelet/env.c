/* env.c: a container's environment, as upstream's makeEnvironmentVariables
 * (pkg/kubelet/kubelet_pods.go) builds it: extra (service) variables, then
 * envFrom sources in order, then env entries, a later name replacing an
 * earlier one; $(VAR) in values expands from what is defined so far. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/quantity.h"
#include "kubelet/env.h"
#include "store/base64.h"
#include "util/ckjson.h"

typedef struct envmap { char **v; size_t n, cap; } envmap;

static const char *get(const envmap *m, const char *name, size_t len)
{
    for (size_t i = 0; i < m->n; i++)
        if (strncmp(m->v[i], name, len) == 0 && m->v[i][len] == '=') return m->v[i] + len + 1;
    return NULL;
}

static int set(envmap *m, const char *name, const char *value)
{
    char *kv;
    if (asprintf(&kv, "%s=%s", name, value ? value : "") < 0) return -1;
    size_t len = strlen(name);
    for (size_t i = 0; i < m->n; i++)
        if (strncmp(m->v[i], name, len) == 0 && m->v[i][len] == '=') return free(m->v[i]), m->v[i] = kv, 0;
    if (m->n + 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        char **v = realloc(m->v, cap * sizeof *v);
        if (!v) return free(kv), -1;
        m->v = v, m->cap = cap;
    }
    m->v[m->n++] = kv;
    m->v[m->n] = NULL;
    return 0;
}

void ck_env_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++) free(v[i]);
    free(v);
}

char *ck_expansion_expand(const char *s, ck_expansion_mapping map, void *ud)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) return NULL;
    for (const char *p = s; *p; p++) {
        if (p[0] != '$' || !p[1]) { /* a lone trailing $ is kept */
            fputc(*p, f);
            continue;
        }
        if (p[1] == '$') { /* escaped operator */
            fputc('$', f), p++;
            continue;
        }
        const char *close = p[1] == '(' ? strchr(p + 2, ')') : NULL;
        if (!close) { /* not a reference, or an incomplete one: "$" and the next byte as written */
            fputc('$', f), fputc(p[1], f), p++;
            continue;
        }
        size_t n = (size_t)(close - p - 2);
        const char *v = map(ud, p + 2, n);
        if (v) fputs(v, f);
        else fwrite(p, 1, n + 3, f); /* syntaxWrap: an undefined $(VAR) stays as written */
        p = close;
    }
    if (fclose(f) != 0) return free(out), NULL;
    return out;
}

static const char *map_get(void *ud, const char *name, size_t len) { return get(ud, name, len); }

/* MappingFuncFor over what is defined so far. malloc'd. */
static char *expand(const envmap *m, const char *s)
{
    return ck_expansion_expand(s, map_get, (void *)m);
}

/* metadata.labels['k'] / metadata.annotations['k'] */
static char *map_key(const json_t *pod, const char *path)
{
    char field[32], key[320];
    if (sscanf(path, "metadata.%31[a-z]['%319[^']']", field, key) != 2) return NULL;
    json_t *m = ck_json_path(pod, strcmp(field, "labels") == 0 ? "metadata.labels" : "metadata.annotations");
    return strdup(json_string_value(json_object_get(m, key)) ?: "");
}

char *ck_env_field_ref(const ck_env_context *ctx, const char *path)
{
    static const char *const plain[] = {"metadata.name", "metadata.namespace", "metadata.uid",
                                        "spec.serviceAccountName", NULL};
    if (strcmp(path, "status.podIP") == 0 || strcmp(path, "status.podIPs") == 0)
        return strdup(ctx->pod_ip && *ctx->pod_ip ? ctx->pod_ip : "");
    if (strcmp(path, "status.hostIP") == 0 || strcmp(path, "status.hostIPs") == 0)
        return strdup(ctx->host_ip ? ctx->host_ip : "");
    if (strcmp(path, "spec.nodeName") == 0) return strdup(ctx->node_name ? ctx->node_name : "");
    if (strncmp(path, "metadata.labels[", 16) == 0 || strncmp(path, "metadata.annotations[", 21) == 0)
        return map_key(ctx->pod, path);
    for (int i = 0; plain[i]; i++)
        if (strcmp(path, plain[i]) == 0) return strdup(ck_json_str(ctx->pod, path, ""));
    return NULL;
}

static const json_t *container_named(const json_t *pod, const char *name)
{
    const char *lists[] = {"spec.containers", "spec.initContainers"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *c;
        json_array_foreach(ck_json_path(pod, lists[l]), i, c) if (strcmp(ck_json_str(c, "name", ""), name) == 0) return c;
    }
    return NULL;
}

/* pkg/api/v1/resource ExtractContainerResourceValue: ceil(value / divisor);
 * an unset limit is the node's allocatable (MergeContainerResourceLimits). */
int ck_env_resource_field(const ck_env_context *ctx, const json_t *self, const json_t *ref, char *out, size_t n,
                          char *err, size_t errlen)
{
    const char *cname = ck_json_str(ref, "containerName", "");
    const json_t *c = *cname ? container_named(ctx->pod, cname) : self;
    const char *res = ck_json_str(ref, "resource", "");
    if (!c) return snprintf(err, errlen, "container %s not found", cname), -1;
    static const char *const supported[] = {"limits.cpu", "limits.memory", "limits.ephemeral-storage",
                                            "requests.cpu", "requests.memory", "requests.ephemeral-storage", NULL};
    int k = 0;
    while (supported[k] && strcmp(supported[k], res) != 0) k++;
    if (!supported[k]) return snprintf(err, errlen, "unsupported container resource : %s", res), -1;
    bool cpu = strstr(res, "cpu") != NULL;
    const char *dot = strchr(res, '.');
    json_t *section = json_object_get(json_object_get(c, "resources"), strndupa(res, (size_t)(dot - res)));
    const char *q = json_string_value(json_object_get(section, dot + 1));
    if (!q && strncmp(res, "limits.", 7) == 0) q = cpu ? ctx->node_cpu : ctx->node_memory;
    const char *div = ck_json_str(ref, "divisor", "1");
    int64_t v = ck_quantity_milli(q ? q : "0", 0), d = ck_quantity_milli(div, 1000);
    if (d <= 0) d = 1000;
    snprintf(out, n, "%lld", (long long)ceil((double)v / (double)d));
    return 0;
}

/* configMapKeyRef / secretKeyRef: 1 = value in out (malloc'd), 0 = skipped
 * (optional), -1 = CreateContainerConfigError. */
static int key_ref(const ck_env_context *ctx, const json_t *ref, bool secret, char **out, char *err, size_t errlen)
{
    const char *name = ck_json_str(ref, "name", ""), *key = ck_json_str(ref, "key", "");
    const char *ns = ck_json_str(ctx->pod, "metadata.namespace", "default");
    bool optional = ck_json_bool(ref, "optional", false), nf = false;
    json_t *obj = ctx->lookup ? ctx->lookup(ctx->ud, secret ? "secrets" : "configmaps", ns, name, &nf) : NULL;
    if (!obj) {
        if (nf && optional) return 0;
        return snprintf(err, errlen, "%s \"%s\" not found", secret ? "secret" : "configmap", name), -1;
    }
    const char *v = json_string_value(json_object_get(json_object_get(obj, "data"), key));
    if (!v && !secret) v = json_string_value(json_object_get(json_object_get(obj, "binaryData"), key));
    if (!v) {
        json_decref(obj);
        if (optional) return 0;
        return snprintf(err, errlen, "couldn't find key %s in %s %s/%s", key, secret ? "Secret" : "ConfigMap", ns,
                        name), -1;
    }
    if (v && secret) {
        size_t n = strlen(v);
        *out = ck_base64_decode(v, n, &n);
    } else if (v) *out = strdup(v);
    json_decref(obj);
    return *out ? 1 : (snprintf(err, errlen, "out of memory"), -1);
}

static int env_from(const ck_env_context *ctx, envmap *m, const json_t *src, char *err, size_t errlen)
{
    bool secret = json_object_get(src, "secretRef") != NULL;
    const json_t *ref = json_object_get(src, secret ? "secretRef" : "configMapRef");
    if (!ref) return 0;
    const char *name = ck_json_str(ref, "name", ""), *prefix = ck_json_str(src, "prefix", "");
    bool nf = false;
    json_t *obj = ctx->lookup ? ctx->lookup(ctx->ud, secret ? "secrets" : "configmaps",
                                             ck_json_str(ctx->pod, "metadata.namespace", "default"), name, &nf)
                              : NULL;
    if (!obj) {
        if (nf && ck_json_bool(ref, "optional", false)) return 0;
        return snprintf(err, errlen, "%s \"%s\" not found", secret ? "secret" : "configmap", name), -1;
    }
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach(json_object_get(obj, "data"), key, v) {
        char *full = NULL, *dec = NULL;
        const char *s = json_string_value(v) ?: "";
        size_t n = strlen(s);
        if (secret) dec = ck_base64_decode(s, n, &n);
        if (asprintf(&full, "%s%s", prefix, key) < 0 || set(m, full, secret ? (dec ? dec : "") : s) < 0) rc = -1;
        free(full), free(dec);
    }
    json_decref(obj);
    return rc < 0 ? (snprintf(err, errlen, "out of memory"), -1) : 0;
}

/* One env entry into m: 0, or -1 with err. */
static int env_var(const ck_env_context *ctx, envmap *m, const json_t *c, const json_t *e, char *err, size_t errlen)
{
    const char *name = ck_json_str(e, "name", "");
    const json_t *vf = json_object_get(e, "valueFrom"), *x;
    char *value = NULL, buf[64];
    int rc = 1;
    if (!vf) value = expand(m, ck_json_str(e, "value", ""));
    else if ((x = json_object_get(vf, "fieldRef"))) {
        value = ck_env_field_ref(ctx, ck_json_str(x, "fieldPath", ""));
        if (!value) return snprintf(err, errlen, "unsupported fieldPath: %s", ck_json_str(x, "fieldPath", "")), -1;
    } else if ((x = json_object_get(vf, "resourceFieldRef"))) {
        if (ck_env_resource_field(ctx, c, x, buf, sizeof buf, err, errlen) < 0) return -1;
        value = strdup(buf);
    } else if ((x = json_object_get(vf, "configMapKeyRef"))) rc = key_ref(ctx, x, false, &value, err, errlen);
    else if ((x = json_object_get(vf, "secretKeyRef"))) rc = key_ref(ctx, x, true, &value, err, errlen);
    if (rc <= 0) return rc;
    rc = value ? set(m, name, value) : -1;
    free(value);
    if (rc < 0) snprintf(err, errlen, "out of memory");
    return rc;
}

char **ck_env_build(const ck_env_context *ctx, const json_t *c, char *err, size_t errlen)
{
    envmap m = {0};
    size_t i;
    json_t *e;
    int rc = set(&m, "__ck", ""); /* ensures a vector; removed below */
    for (i = 0; rc == 0 && ctx->extra && ctx->extra[i]; i++) {
        const char *eq = strchr(ctx->extra[i], '=');
        if (eq) rc = set(&m, strndupa(ctx->extra[i], (size_t)(eq - ctx->extra[i])), eq + 1);
    }
    json_array_foreach(json_object_get(c, "envFrom"), i, e) if (rc == 0) rc = env_from(ctx, &m, e, err, errlen);
    json_array_foreach(json_object_get(c, "env"), i, e) if (rc == 0) rc = env_var(ctx, &m, c, e, err, errlen);
    if (rc < 0) {
        ck_env_free(m.v);
        return NULL;
    }
    free(m.v[0]);
    memmove(m.v, m.v + 1, m.n * sizeof *m.v); /* includes the NULL */
    return m.v;
}

char **ck_env_expand_argv(const json_t *arr, char *const *env)
{
    size_t n = json_array_size(arr), ne = 0;
    if (!n) return NULL;
    while (env && env[ne]) ne++;
    envmap m = {(char **)env, ne, ne}; /* read-only view: expand() only looks up */
    char **out = calloc(n + 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = expand(&m, json_string_value(json_array_get(arr, i)) ?: ""))) {
            ck_env_free(out);
            return NULL;
        }
    return out;
}
