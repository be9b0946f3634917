/* kubeconfig.c: reads a kubeconfig the way kubectl does for the fields a
 * black-box client needs: current-context -> cluster (server, CA, insecure)
 * and user (token, client cert/key). YAML is parsed by libfyaml and handed to
 * jansson; relative file paths resolve against the kubeconfig's directory. */
#include "harness.h"
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

unsigned char *ckc_base64_decode(const char *in, size_t *outlen)
{
    size_t n = strlen(in);
    unsigned char *out = malloc(n / 4 * 3 + 4);
    if (!out) return NULL;
    unsigned acc = 0; int bits = 0; size_t o = 0;
    for (const char *p = in; *p; p++) {
        int v;
        char c = *p;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        else if (c == '=') break;
        else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        else { free(out); return NULL; }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) { bits -= 8; out[o++] = (unsigned char)(acc >> bits); acc &= (1u << bits) - 1; }
    }
    out[o] = 0;
    *outlen = o;
    return out;
}

/* The entry of a named list ("clusters", "users", "contexts") called name. */
static json_t *named(json_t *root, const char *list, const char *name, const char *field)
{
    size_t i; json_t *e;
    json_array_foreach(json_object_get(root, list), i, e) {
        const char *n = json_string_value(json_object_get(e, "name"));
        if (n && name && !strcmp(n, name)) return json_object_get(e, field);
    }
    return NULL;
}

static char *path_in(const char *dir, const char *p)
{
    if (!p) return NULL;
    if (p[0] == '/' || !dir || !*dir) return strdup(p);
    size_t n = strlen(dir) + strlen(p) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", dir, p);
    return s;
}

static int take_data(json_t *obj, const char *key, unsigned char **out, size_t *len,
                     char *err, size_t errlen)
{
    const char *b64 = json_string_value(json_object_get(obj, key));
    if (!b64) return 0;
    *out = ckc_base64_decode(b64, len);
    if (!*out) { snprintf(err, errlen, "kubeconfig: %s is not valid base64", key); return -1; }
    return 0;
}

static json_t *yaml_to_json(const char *yaml, size_t len, char *err, size_t errlen)
{
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET};
    struct fy_document *fyd = fy_document_build_from_string(&cfg, yaml, len);
    if (!fyd) { snprintf(err, errlen, "kubeconfig: not valid YAML"); return NULL; }
    char *js = fy_emit_document_to_string(fyd, FYECF_MODE_JSON_ONELINE);
    fy_document_destroy(fyd);
    if (!js) { snprintf(err, errlen, "kubeconfig: cannot convert to JSON"); return NULL; }
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    free(js);
    if (!json_is_object(root)) {
        json_decref(root);
        snprintf(err, errlen, "kubeconfig: top level is not a mapping");
        return NULL;
    }
    return root;
}

int ckc_kubeconfig_parse(const char *yaml, size_t len, const char *dir, ckc_kubeconfig *kc,
                         char *err, size_t errlen)
{
    memset(kc, 0, sizeof *kc);
    json_t *root = yaml_to_json(yaml, len, err, errlen);
    if (!root) return -1;
    int rc = -1;
    const char *cur = json_string_value(json_object_get(root, "current-context"));
    json_t *ctx = named(root, "contexts", cur, "context");
    if (!cur || !ctx) { snprintf(err, errlen, "kubeconfig: current-context %s%s%s not found",
                                 cur ? "\"" : "", cur ? cur : "(unset)", cur ? "\"" : ""); goto out; }
    const char *cname = json_string_value(json_object_get(ctx, "cluster"));
    json_t *cl = named(root, "clusters", cname, "cluster");
    if (!cl) { snprintf(err, errlen, "kubeconfig: cluster \"%s\" not found", cname ? cname : ""); goto out; }
    const char *server = json_string_value(json_object_get(cl, "server"));
    if (!server || !*server) { snprintf(err, errlen, "kubeconfig: cluster \"%s\" has no server", cname); goto out; }
    kc->server = strdup(server);
    /* libfyaml's JSON mode keeps unquoted `true` as a boolean; accept "true" too. */
    json_t *ins = json_object_get(cl, "insecure-skip-tls-verify");
    kc->insecure = json_is_true(ins) || (json_is_string(ins) && !strcmp(json_string_value(ins), "true"));
    kc->ca_file = path_in(dir, json_string_value(json_object_get(cl, "certificate-authority")));
    if (take_data(cl, "certificate-authority-data", &kc->ca_data, &kc->ca_len, err, errlen)) goto out;
    const char *uname = json_string_value(json_object_get(ctx, "user"));
    json_t *u = uname ? named(root, "users", uname, "user") : NULL;
    if (uname && *uname && !u) { snprintf(err, errlen, "kubeconfig: user \"%s\" not found", uname); goto out; }
    if (u) {
        const char *tok = json_string_value(json_object_get(u, "token"));
        if (tok) kc->token = strdup(tok);
        kc->cert_file = path_in(dir, json_string_value(json_object_get(u, "client-certificate")));
        kc->key_file = path_in(dir, json_string_value(json_object_get(u, "client-key")));
        if (take_data(u, "client-certificate-data", &kc->cert_data, &kc->cert_len, err, errlen)) goto out;
        if (take_data(u, "client-key-data", &kc->key_data, &kc->key_len, err, errlen)) goto out;
    }
    rc = 0;
out:
    json_decref(root);
    if (rc) ckc_kubeconfig_free(kc);
    return rc;
}

int ckc_kubeconfig_load(const char *path, ckc_kubeconfig *kc, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "cannot read kubeconfig %s", path); return -1; }
    char *buf = NULL; size_t len = 0, cap = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) { free(buf); fclose(f); snprintf(err, errlen, "out of memory"); return -1; }
            buf = nb;
        }
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf) { snprintf(err, errlen, "kubeconfig %s is empty", path); return -1; }
    buf[len] = 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0; else dir[0] = 0;
    int rc = ckc_kubeconfig_parse(buf, len, dir, kc, err, errlen);
    free(buf);
    return rc;
}

void ckc_kubeconfig_free(ckc_kubeconfig *kc)
{
    free(kc->server); free(kc->token);
    free(kc->ca_file); free(kc->cert_file); free(kc->key_file);
    free(kc->ca_data); free(kc->cert_data); free(kc->key_data);
    memset(kc, 0, sizeof *kc);
}
