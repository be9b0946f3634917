/* gen_seeds.c: builds seed inputs for the fuzz targets from the YAML
 * manifests under fixtures/ (valid and invalid): each manifest becomes a
 * YAML seed, a kind-byte + JSON object seed, a whole-request seed (create,
 * update, strategic and merge patches, get, list, watch of its resource) and
 * a watch event stream. Files are named by a hash of their contents, so
 * rerunning adds nothing twice.
 * Usage: gen_seeds <corpus-root> <manifest.yaml>... */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "api/decode.h"

static int write_seed(const char *root, const char *target, const char *data, size_t len)
{
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/%s", root, target);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/seed-%016llx", dir, h);
    FILE *f = fopen(path, "wb");
    if (!f) { fprintf(stderr, "gen_seeds: cannot write %s\n", path); return -1; }
    size_t w = fwrite(data, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    FILE *mem = open_memstream(&buf, &cap);
    char chunk[4096];
    size_t n;
    while (mem && (n = fread(chunk, 1, sizeof chunk, f)) > 0) fwrite(chunk, 1, n, mem);
    fclose(f);
    if (!mem) return NULL;
    fclose(mem);
    *len = cap;
    return buf;
}

/* One whole-request seed, printf-style. */
__attribute__((format(printf, 2, 3)))
static int req_seed(const char *root, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    int rc = write_seed(root, "fuzz_apiserver_request", s, (size_t)n);
    free(s);
    return rc;
}

/* Request seeds for one object (fuzz_request.h format). */
static int request_seeds(const char *root, const ck_kind *k, const char *yaml, size_t ylen,
                         const char *json, const char *name)
{
    char base[256], coll[320], item[600];
    if (*k->group) snprintf(base, sizeof base, "/apis/%s/%s", k->group, k->version);
    else snprintf(base, sizeof base, "/api/%s", k->version);
    if (k->namespaced) snprintf(coll, sizeof coll, "%s/namespaces/default/%s", base, k->resource);
    else snprintf(coll, sizeof coll, "%s/%s", base, k->resource);
    snprintf(item, sizeof item, "%s/%s", coll, name);
    int rc = 0;
#define SEED(...) (rc |= req_seed(root, __VA_ARGS__))
    SEED("POST %s?fieldValidation=Strict\nContent-Type: application/json\n\n%s", coll, json);
    SEED("POST %s\nContent-Type: application/yaml\n\n%.*s", coll, (int)ylen, yaml);
    SEED("PUT %s\nContent-Type: application/json\n\n%s", item, json);
    SEED("PATCH %s\nContent-Type: application/strategic-merge-patch+json\n\n{\"metadata\":{\"labels\":{\"a\":\"b\"}}}", item);
    SEED("PATCH %s\nContent-Type: application/merge-patch+json\n\n{\"metadata\":{\"annotations\":null}}", item);
    SEED("PATCH %s\nContent-Type: application/json-patch+json\n\n[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{}}]", item);
    SEED("GET %s\nAccept: application/json;as=Table;v=v1;g=meta.k8s.io\n\n", item);
    SEED("GET %s?labelSelector=a%%3Db&limit=1\n\n", coll);
    SEED("GET %s?watch=1&resourceVersion=0\n\n", coll);
    SEED("DELETE %s\nContent-Type: application/json\n\n{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Foreground\"}", item);
#undef SEED
    return rc;
}

static int one_manifest(const char *root, const char *path)
{
    size_t len = 0;
    char *yaml = slurp(path, &len);
    if (!yaml) { fprintf(stderr, "gen_seeds: cannot read %s\n", path); return -1; }
    int rc = write_seed(root, "fuzz_yaml", yaml, len);
    ck_status st = {0};
    json_t *obj = ck_decode_body("application/yaml", yaml, len, NULL, &st);
    ck_status_clear(&st);
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    const char *av = json_string_value(json_object_get(obj, "apiVersion"));
    const ck_kind *k = NULL;
    if (kind && av) {
        char group[64] = "";
        const char *slash = strchr(av, '/');
        if (slash && (size_t)(slash - av) < sizeof group) memcpy(group, av, (size_t)(slash - av));
        k = ck_kind_by_kind(group, kind);
    }
    char *json = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
    if (k && json) {
        size_t jl = strlen(json);
        char *buf = malloc(jl + 1);
        if (buf) {
            buf[0] = (char)(k - ck_kinds);
            memcpy(buf + 1, json, jl);
            rc |= write_seed(root, "fuzz_object", buf, jl + 1);
            free(buf);
        }
        const char *name = json_string_value(json_object_get(json_object_get(obj, "metadata"), "name"));
        rc |= request_seeds(root, k, yaml, len, json, name ? name : "x");
        char *ev = NULL;
        int n = asprintf(&ev, "\x10{\"type\":\"ADDED\",\"object\":%s}\n{\"type\":\"DELETED\",\"object\":%s}\n", json, json);
        if (n > 0) rc |= write_seed(root, "fuzz_watch", ev, (size_t)n);
        free(ev);
    }
    free(json);
    json_decref(obj);
    free(yaml);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_seeds <corpus-root> <manifest.yaml>...\n");
        return 2;
    }
    mkdir(argv[1], 0755);
    int rc = 0;
    for (int i = 2; i < argc; i++) rc |= one_manifest(argv[1], argv[i]);
    return rc ? 1 : 0;
}
