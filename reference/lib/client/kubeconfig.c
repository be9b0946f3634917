/* kubeconfig.c: building a ck_rest_config from a plain URL or from a
 * kubeconfig file (client-go's clientcmd: current-context -> cluster + user),
 * decoded from YAML as the apiserver decodes bodies and walked as JSON. */
#define _GNU_SOURCE
#include "client/rest.h"
#include "api/decode.h"
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ck_rest_config_from_url(ck_rest_config *cfg, const char *server)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->server = strdup(server);
    ck_rest_config_set_agent(cfg, "ckube");
    return cfg->server ? 0 : -1;
}

void ck_rest_config_set_agent(ck_rest_config *cfg, const char *component)
{
    snprintf(cfg->user_agent, sizeof cfg->user_agent, "%s/ckube", component);
}

void ck_rest_config_clear(ck_rest_config *cfg)
{
    char **strs[] = {&cfg->server, &cfg->ca_file, &cfg->ca_data, &cfg->cert_file, &cfg->key_file,
                     &cfg->cert_data, &cfg->key_data, &cfg->token};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) free(*strs[i]);
    memset(cfg, 0, sizeof *cfg);
}

/* RFC 4648 base64 (the *-data fields); whitespace ignored. Caller frees. */
static char *base64_decode(const char *in, size_t *outlen)
{
    size_t n = strlen(in), o = 0;
    unsigned acc = 0;
    int bits = 0;
    char *out = malloc(n / 4 * 3 + 4);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)in[i];
        const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        if (ch == '=') break;
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') continue;
        const char *p = ch ? strchr(alpha, ch) : NULL;
        if (!p) { free(out); return NULL; }
        acc = acc << 6 | (unsigned)(p - alpha);
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[o++] = (char)(acc >> bits & 0xff);
        }
    }
    out[o] = 0;
    *outlen = o;
    return out;
}

/* The kubeconfig as JSON; new reference. Decoded by ck_decode_body, i.e. the
 * way sigs.k8s.io/yaml (which clientcmd uses) reads YAML, including its
 * UTF-8 check: libfyaml 0.7 alone loops forever on a directive such as
 * "%\x90" (found by fuzz/fuzz_kubeconfig). */
static json_t *load_yaml_as_json(const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    char chunk[4096];
    size_t n;
    while (mem && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) fwrite(chunk, 1, n, mem);
    int bad = !mem || ferror(fp);
    fclose(fp);
    if (mem && fclose(mem) != 0) bad = 1;
    if (bad) {
        free(text);
        snprintf(err, errlen, "%s: cannot read", path);
        return NULL;
    }
    ck_status st = {0};
    json_t *root = ck_decode_body("application/yaml", text, len, NULL, &st);
    free(text);
    if (!root) snprintf(err, errlen, "%s: %s", path, st.message);
    ck_status_clear(&st);
    if (root && !json_is_object(root)) {
        snprintf(err, errlen, "%s: not a kubeconfig mapping", path);
        json_decref(root);
        return NULL;
    }
    return root;
}

/* The .<field> of the entry named `name` in list `list` ("clusters" -> "cluster"). */
static json_t *named(json_t *root, const char *list, const char *field, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(root, list), i, e) {
        const char *n = json_string_value(json_object_get(e, "name"));
        if (n && !strcmp(n, name)) return json_object_get(e, field);
    }
    return NULL;
}

/* A file path from the kubeconfig, resolved against its directory. */
static char *resolve(const char *dir, const char *p)
{
    char *out = NULL;
    if (p[0] == '/') return strdup(p);
    return asprintf(&out, "%s/%s", dir, p) < 0 ? NULL : out;
}

/* Maps one file field (and its -data twin) onto the config. -1 on error. */
static int file_or_data(json_t *obj, const char *key, const char *dir, char **file, char **data,
                        size_t *dlen, char *err, size_t errlen)
{
    char dkey[64];
    snprintf(dkey, sizeof dkey, "%s-data", key);
    const char *d = json_string_value(json_object_get(obj, dkey));
    const char *f = json_string_value(json_object_get(obj, key));
    if (d && *d) {
        if (!(*data = base64_decode(d, dlen))) {
            snprintf(err, errlen, "%s: illegal base64 data", dkey);
            return -1;
        }
    } else if (f && *f) {
        if (!(*file = resolve(dir, f))) return snprintf(err, errlen, "out of memory"), -1;
    }
    return 0;
}

static char *read_token_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return NULL;
    char line[4096] = "";
    char *ok = fgets(line, sizeof line, fp);
    fclose(fp);
    if (!ok) return NULL;
    line[strcspn(line, "\r\n")] = 0;
    return strdup(line);
}

static int apply_user(ck_rest_config *cfg, json_t *user, const char *dir, char *err, size_t errlen)
{
    if (!user) return 0;
    if (file_or_data(user, "client-certificate", dir, &cfg->cert_file, &cfg->cert_data,
                     &cfg->cert_data_len, err, errlen) ||
        file_or_data(user, "client-key", dir, &cfg->key_file, &cfg->key_data, &cfg->key_data_len,
                     err, errlen))
        return -1;
    const char *tok = json_string_value(json_object_get(user, "token"));
    const char *tf = json_string_value(json_object_get(user, "tokenFile"));
    if (tok && *tok) cfg->token = strdup(tok);
    else if (tf && *tf) {
        char *p = resolve(dir, tf);
        cfg->token = p ? read_token_file(p) : NULL;
        free(p);
        if (!cfg->token) return snprintf(err, errlen, "tokenFile %s: cannot read", tf), -1;
    }
    return 0;
}

static bool truthy(json_t *v)
{
    return json_is_true(v) || (json_is_string(v) && !strcmp(json_string_value(v), "true"));
}

int ck_rest_config_from_kubeconfig(ck_rest_config *cfg, const char *path, const char *context,
                                   char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    ck_rest_config_set_agent(cfg, "ckube");
    json_t *root = load_yaml_as_json(path, err, errlen);
    if (!root) return -1;
    char *pcopy = strdup(path);
    const char *dir = pcopy ? dirname(pcopy) : ".";
    int rc = -1;
    const char *ctx = context ? context : json_string_value(json_object_get(root, "current-context"));
    json_t *c = ctx ? named(root, "contexts", "context", ctx) : NULL;
    if (!c) {
        /* clientcmd's messages */
        if (ctx && *ctx) snprintf(err, errlen, "context was not found for specified context: %s", ctx);
        else snprintf(err, errlen, "invalid configuration: no configuration has been provided");
        goto out;
    }
    const char *cname = json_string_value(json_object_get(c, "cluster"));
    const char *uname = json_string_value(json_object_get(c, "user"));
    json_t *cluster = cname ? named(root, "clusters", "cluster", cname) : NULL;
    const char *server = json_string_value(json_object_get(cluster, "server"));
    if (!server || !*server) {
        snprintf(err, errlen, "cluster \"%s\" has no server", cname ? cname : "");
        goto out;
    }
    if (!(cfg->server = strdup(server))) goto out;
    cfg->insecure = truthy(json_object_get(cluster, "insecure-skip-tls-verify"));
    if (file_or_data(cluster, "certificate-authority", dir, &cfg->ca_file, &cfg->ca_data,
                     &cfg->ca_data_len, err, errlen) ||
        apply_user(cfg, uname ? named(root, "users", "user", uname) : NULL, dir, err, errlen))
        goto out;
    rc = 0;
out:
    if (rc) ck_rest_config_clear(cfg);
    free(pcopy);
    json_decref(root);
    return rc;
}
