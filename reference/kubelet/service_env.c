/* service_env.c: the Docker-link style variables of Services
 * (pkg/kubelet/envvars/envvars.go FromServices) for the Services a pod may
 * see (kubelet_pods.go getServiceEnvVarMap): those of its namespace when
 * enableServiceLinks (default true), and always the master service
 * "kubernetes" of namespace default. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kubelet/env.h"
#include "util/ckjson.h"

/* makeEnvVariableName: upper case, '-' -> '_'. */
static void env_name(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++) out[i] = s[i] == '-' ? '_' : (char)toupper((unsigned char)s[i]);
    out[i] = 0;
}

static void lower(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++) out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = 0;
}

typedef struct vec { char **v; size_t n, cap; int err; } vec;

static void add(vec *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(vec *v, const char *fmt, ...)
{
    if (v->err) return;
    if (v->n + 2 > v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 32;
        char **nv = realloc(v->v, cap * sizeof *nv);
        if (!nv) { v->err = 1; return; }
        v->v = nv, v->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&v->v[v->n], fmt, ap) < 0) v->err = 1;
    else v->v[++v->n] = NULL;
    va_end(ap);
}

/* IsServiceIPSet: a clusterIP that is neither "" nor "None". */
static bool ip_set(const json_t *svc)
{
    const char *ip = ck_json_str(svc, "spec.clusterIP", "");
    return *ip && strcmp(ip, "None") != 0;
}

/* FromServices for one Service. */
static void from_service(vec *v, const json_t *svc)
{
    char prefix[300], proto[16], lproto[16], pn[300];
    const char *ip = ck_json_str(svc, "spec.clusterIP", "");
    const json_t *ports = ck_json_path(svc, "spec.ports");
    if (!json_array_size(ports)) return;
    env_name(ck_json_str(svc, "metadata.name", ""), prefix, sizeof prefix);
    add(v, "%s_SERVICE_HOST=%s", prefix, ip);
    add(v, "%s_SERVICE_PORT=%lld", prefix, (long long)ck_json_int(json_array_get(ports, 0), "port", 0));
    size_t i;
    json_t *p;
    json_array_foreach(ports, i, p) if (*ck_json_str(p, "name", "")) {
        env_name(ck_json_str(p, "name", ""), pn, sizeof pn);
        add(v, "%s_SERVICE_PORT_%s=%lld", prefix, pn, (long long)ck_json_int(p, "port", 0));
    }
    /* makeLinkVariables; net.JoinHostPort brackets an IPv6 address */
    bool v6 = strchr(ip, ':') != NULL;
    json_array_foreach(ports, i, p) {
        long long port = (long long)ck_json_int(p, "port", 0);
        snprintf(proto, sizeof proto, "%s", ck_json_str(p, "protocol", "TCP"));
        lower(proto, lproto, sizeof lproto);
        env_name(proto, proto, sizeof proto);
        if (i == 0) add(v, "%s_PORT=%s://%s%s%s:%lld", prefix, lproto, v6 ? "[" : "", ip, v6 ? "]" : "", port);
        add(v, "%s_PORT_%lld_%s=%s://%s%s%s:%lld", prefix, port, proto, lproto, v6 ? "[" : "", ip, v6 ? "]" : "", port);
        add(v, "%s_PORT_%lld_%s_PROTO=%s", prefix, port, proto, lproto);
        add(v, "%s_PORT_%lld_%s_PORT=%lld", prefix, port, proto, port);
        add(v, "%s_PORT_%lld_%s_ADDR=%s", prefix, port, proto, ip);
    }
}

char **ck_service_env(const json_t *services, const char *ns, bool enable_links)
{
    json_t *chosen = json_object(); /* name -> Service, as getServiceEnvVarMap's serviceMap */
    size_t i;
    json_t *s;
    vec v = {0};
    if (!chosen) return NULL;
    json_array_foreach(services, i, s) {
        if (!ip_set(s)) continue;
        const char *name = ck_json_str(s, "metadata.name", ""), *sns = ck_json_str(s, "metadata.namespace", "");
        if (strcmp(sns, "default") == 0 && strcmp(name, "kubernetes") == 0) {
            if (!json_object_get(chosen, name)) json_object_set(chosen, name, s);
        } else if (strcmp(sns, ns) == 0 && enable_links)
            json_object_set(chosen, name, s);
    }
    const char *key;
    add(&v, "%s", "");
    json_object_foreach(chosen, key, s) from_service(&v, s);
    json_decref(chosen);
    if (v.err) {
        ck_env_free(v.v);
        return NULL;
    }
    free(v.v[0]); /* the placeholder that made the vector exist */
    memmove(v.v, v.v + 1, v.n * sizeof *v.v);
    return v.v;
}
