/* apicov.c: API coverage of a conformance run. Fetches discovery from a
 * target (/api, /apis, each group version), lists every endpoint x verb it
 * advertises, maps each line of the harness's request log ("METHOD PATH
 * STATUS", PATH with its query) to (group, version, resource[/sub], verb) as
 * the apiserver's RequestInfo does, and writes a Markdown and a JSON report
 * with the share of advertised endpoint-verbs the run exercised.
 * Usage: apicov --server URL [--token T] [--insecure] [--log F] [--md F] [--json F] */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct endpoint {
    char gv[128];      /* "v1", "apps/v1" */
    char resource[96]; /* "pods", "pods/status" */
    char verb[24];
    long requests, ok; /* requests seen, of which 2xx */
} endpoint;

typedef struct table {
    endpoint *e;
    size_t n, cap;
    long unmatched;    /* log lines for resources/verbs the target does not advertise */
    json_t *unmatched_list;
} table;

typedef struct opts { const char *server, *token, *log, *md, *json; int insecure; } opts;

/* ---- discovery ------------------------------------------------------------ */
typedef struct buf { char *p; size_t n; } buf;

static size_t on_body(char *d, size_t sz, size_t nm, void *ud)
{
    buf *b = ud;
    size_t n = sz * nm;
    char *p = realloc(b->p, b->n + n + 1);
    if (!p) return 0;
    memcpy(p + b->n, d, n);
    b->p = p;
    b->n += n;
    p[b->n] = 0;
    return n;
}

/* GETs server+path as JSON; new reference or NULL (message on stderr). */
static json_t *get_json(const opts *o, const char *path)
{
    CURL *c = curl_easy_init();
    if (!c) return NULL;
    char url[2048], auth[1024];
    snprintf(url, sizeof url, "%s%s", o->server, path);
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    if (o->token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", o->token);
        h = curl_slist_append(h, auth);
    }
    buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (o->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    json_t *j = NULL;
    if (rc != CURLE_OK) fprintf(stderr, "apicov: GET %s: %s\n", url, curl_easy_strerror(rc));
    else if (code != 200) fprintf(stderr, "apicov: GET %s: HTTP %ld\n", url, code);
    else if (!(j = json_loadb(b.p ? b.p : "", b.n, 0, NULL))) fprintf(stderr, "apicov: GET %s: not JSON\n", url);
    free(b.p);
    return j;
}

static int add_endpoint(table *t, const char *gv, const char *resource, const char *verb)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        endpoint *e = realloc(t->e, cap * sizeof *e);
        if (!e) return -1;
        t->e = e;
        t->cap = cap;
    }
    endpoint *e = &t->e[t->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->gv, sizeof e->gv, "%s", gv);
    snprintf(e->resource, sizeof e->resource, "%s", resource);
    snprintf(e->verb, sizeof e->verb, "%s", verb);
    return 0;
}

/* One group version's APIResourceList into the table. */
static int discover_gv(const opts *o, table *t, const char *gv)
{
    char path[256];
    snprintf(path, sizeof path, strchr(gv, '/') ? "/apis/%s" : "/api/%s", gv);
    json_t *list = get_json(o, path);
    if (!list) return -1;
    size_t i, j;
    json_t *r, *v;
    json_array_foreach(json_object_get(list, "resources"), i, r) {
        const char *name = json_string_value(json_object_get(r, "name"));
        if (!name) continue;
        json_array_foreach(json_object_get(r, "verbs"), j, v)
            if (json_is_string(v) && add_endpoint(t, gv, name, json_string_value(v))) {
                json_decref(list);
                return -1;
            }
    }
    json_decref(list);
    return 0;
}

static int discover(const opts *o, table *t)
{
    json_t *core = get_json(o, "/api");
    if (!core) return -1;
    size_t i, j;
    json_t *v, *g;
    int rc = 0;
    json_array_foreach(json_object_get(core, "versions"), i, v)
        if (json_is_string(v)) rc |= discover_gv(o, t, json_string_value(v));
    json_decref(core);
    json_t *groups = get_json(o, "/apis");
    if (!groups) return -1;
    json_array_foreach(json_object_get(groups, "groups"), i, g)
        json_array_foreach(json_object_get(g, "versions"), j, v) {
            const char *gv = json_string_value(json_object_get(v, "groupVersion"));
            if (gv) rc |= discover_gv(o, t, gv);
        }
    json_decref(groups);
    return rc;
}

/* ---- request log ---------------------------------------------------------- */
/* A query parameter is true ("1"/"true"), as RequestInfo reads watch=. */
static int query_true(const char *q, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = q; p && *p;) {
        if (!strncmp(p, key, kl) && p[kl] == '=')
            return !strncmp(p + kl + 1, "1", 1) || !strncmp(p + kl + 1, "true", 4);
        p = strchr(p, '&');
        if (p) p++;
    }
    return 0;
}

/* PATH -> gv, resource[/sub], verb, following k8s.io/apiserver/pkg/endpoints/
 * request/requestinfo.go. 0, or -1 for non-resource paths. */
static int classify(const char *method, const char *url, char *gv, size_t gvn, char *res, size_t resn,
                    char *verb, size_t verbn)
{
    char path[2048];
    snprintf(path, sizeof path, "%s", url);
    char *q = strchr(path, '?');
    if (q) *q++ = 0;
    char *parts[32];
    int n = 0;
    for (char *save = NULL, *s = strtok_r(path, "/", &save); s && n < 32; s = strtok_r(NULL, "/", &save))
        parts[n++] = s;
    int i;
    if (n >= 2 && !strcmp(parts[0], "api")) { snprintf(gv, gvn, "%s", parts[1]); i = 2; }
    else if (n >= 3 && !strcmp(parts[0], "apis")) { snprintf(gv, gvn, "%s/%s", parts[1], parts[2]); i = 3; }
    else return -1;
    if (i >= n) return -1;
    int watch = 0;
    if (!strcmp(parts[i], "watch")) { watch = 1; i++; }
    if (i >= n) return -1;
    if (!strcmp(parts[i], "namespaces") && i + 2 < n && strcmp(parts[i + 2], "status") &&
        strcmp(parts[i + 2], "finalize"))
        i += 2;
    const char *resource = parts[i];
    const char *name = i + 1 < n ? parts[i + 1] : NULL;
    const char *sub = i + 2 < n ? parts[i + 2] : NULL;
    if (sub) snprintf(res, resn, "%s/%s", resource, sub);
    else snprintf(res, resn, "%s", resource);
    const char *v;
    if (watch || (!strcmp(method, "GET") && query_true(q, "watch"))) v = "watch";
    else if (!strcmp(method, "GET") || !strcmp(method, "HEAD")) v = name ? "get" : "list";
    else if (!strcmp(method, "POST")) v = "create";
    else if (!strcmp(method, "PUT")) v = "update";
    else if (!strcmp(method, "PATCH")) v = "patch";
    else if (!strcmp(method, "DELETE")) v = name ? "delete" : "deletecollection";
    else v = method;
    /* POST to a subresource (pods/binding, pods/eviction) is its create. */
    snprintf(verb, verbn, "%s", v);
    return 0;
}

static int read_log(const char *path, table *t)
{
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "apicov: cannot read %s (run the harness with --request-log)\n", path); return -1; }
    char line[4096], method[16], url[2048];
    long status;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%15s %2047s %ld", method, url, &status) != 3) continue;
        char gv[128], res[160], verb[24];
        if (classify(method, url, gv, sizeof gv, res, sizeof res, verb, sizeof verb)) continue;
        int hit = 0;
        for (size_t i = 0; i < t->n; i++) {
            endpoint *e = &t->e[i];
            if (strcmp(e->gv, gv) || strcmp(e->resource, res) || strcmp(e->verb, verb)) continue;
            e->requests++;
            if (status >= 200 && status < 300) e->ok++;
            hit = 1;
        }
        if (!hit) {
            t->unmatched++;
            char key[400];
            snprintf(key, sizeof key, "%s %s %s", verb, gv, res);
            json_t *seen = json_object_get(t->unmatched_list, key);
            json_object_set_new(t->unmatched_list, key, json_integer(json_integer_value(seen) + 1));
        }
    }
    fclose(f);
    return 0;
}

/* ---- reports --------------------------------------------------------------- */
static int by_gv_resource_verb(const void *a, const void *b)
{
    const endpoint *x = a, *y = b;
    int c = strcmp(x->gv, y->gv);
    if (!c) c = strcmp(x->resource, y->resource);
    return c ? c : strcmp(x->verb, y->verb);
}

static int write_reports(const opts *o, table *t)
{
    qsort(t->e, t->n, sizeof *t->e, by_gv_resource_verb);
    size_t hit = 0, ok = 0;
    for (size_t i = 0; i < t->n; i++) { hit += t->e[i].requests > 0; ok += t->e[i].ok > 0; }
    double pct = t->n ? 100.0 * (double)hit / (double)t->n : 0, okpct = t->n ? 100.0 * (double)ok / (double)t->n : 0;
    FILE *md = fopen(o->md, "w");
    if (!md) { fprintf(stderr, "apicov: cannot write %s\n", o->md); return -1; }
    fprintf(md, "# API coverage\n\nTarget: %s  \nRequest log: %s\n\n"
                "**%zu of %zu advertised endpoint-verbs exercised (%.1f%%)**, %zu with a 2xx answer (%.1f%%); "
                "%ld logged requests matched nothing the target advertises.\n\n"
                "| group/version | resource | verb | requests | 2xx |\n|---|---|---|---:|---:|\n",
            o->server, o->log, hit, t->n, pct, ok, okpct, t->unmatched);
    printf("%-28s %-36s %-17s %8s %6s\n", "GROUP/VERSION", "RESOURCE", "VERB", "REQUESTS", "2XX");
    json_t *rows = json_array();
    for (size_t i = 0; i < t->n; i++) {
        endpoint *e = &t->e[i];
        fprintf(md, "| %s | %s | %s | %ld | %ld |\n", e->gv, e->resource, e->verb, e->requests, e->ok);
        printf("%-28s %-36s %-17s %8ld %6ld\n", e->gv, e->resource, e->verb, e->requests, e->ok);
        json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:I,s:I}", "groupVersion", e->gv, "resource",
                                              e->resource, "verb", e->verb, "requests", (json_int_t)e->requests,
                                              "ok", (json_int_t)e->ok));
    }
    if (json_object_size(t->unmatched_list)) {
        fprintf(md, "\n## Requests to endpoints the target does not advertise\n\n| verb group/version resource | requests |\n|---|---:|\n");
        const char *k;
        json_t *v;
        json_object_foreach(t->unmatched_list, k, v) fprintf(md, "| %s | %lld |\n", k, (long long)json_integer_value(v));
    }
    fclose(md);
    printf("api-coverage: %zu of %zu endpoint-verbs exercised (%.1f%%), %zu with 2xx (%.1f%%); reports %s %s\n",
           hit, t->n, pct, ok, okpct, o->md, o->json);
    json_t *doc = json_pack("{s:s,s:s,s:I,s:I,s:I,s:f,s:f,s:I,s:o,s:O}", "target", o->server, "requestLog", o->log,
                            "endpoints", (json_int_t)t->n, "exercised", (json_int_t)hit, "succeeded",
                            (json_int_t)ok, "percent", pct, "percentSucceeded", okpct, "unmatchedRequests",
                            (json_int_t)t->unmatched, "rows", rows, "unmatched", t->unmatched_list);
    int rc = doc && json_dump_file(doc, o->json, JSON_INDENT(2)) == 0 ? 0 : -1;
    if (rc) fprintf(stderr, "apicov: cannot write %s\n", o->json);
    json_decref(doc);
    return rc;
}

int main(int argc, char **argv)
{
    opts o = {.log = "reports/requests.log", .md = "reports/api-coverage.md", .json = "reports/api-coverage.json",
              .token = getenv("TOKEN")};
    static const struct option lo[] = {{"server", 1, 0, 's'}, {"token", 1, 0, 't'}, {"insecure", 0, 0, 'i'},
                                       {"log", 1, 0, 'l'}, {"md", 1, 0, 'm'}, {"json", 1, 0, 'j'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 's': o.server = optarg; break;
        case 't': o.token = *optarg ? optarg : NULL; break;
        case 'i': o.insecure = 1; break;
        case 'l': o.log = optarg; break;
        case 'm': o.md = optarg; break;
        case 'j': o.json = optarg; break;
        default: return 2;
        }
    }
    if (!o.server) {
        fprintf(stderr, "usage: apicov --server URL [--token T] [--insecure] [--log F] [--md F] [--json F]\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    table t = {.unmatched_list = json_object()};
    int rc = t.unmatched_list && discover(&o, &t) == 0 && read_log(o.log, &t) == 0 && write_reports(&o, &t) == 0 ? 0 : 1;
    if (rc && !t.n) fprintf(stderr, "apicov: no discovery from %s\n", o.server);
    free(t.e);
    json_decref(t.unmatched_list);
    curl_global_cleanup();
    return rc;
}
