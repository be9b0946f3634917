/* rest.c: the REST client (client-go rest.RESTClient): path building, the
 * verbs, and a mutex-guarded pool of curl easy handles so any thread can
 * issue requests while idle handles keep their connections alive. */
#define _GNU_SOURCE
#include "client/rest.h"
#include "client/rest_internal.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAX 16
#define BODY_MAX (256u << 20)

struct ck_rest {
    ck_rest_config cfg;       /* deep copy */
    pthread_mutex_t mu;
    CURL *idle[POOL_MAX];     /* parked handles, their connections kept alive */
    int nidle;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* ---- paths and queries ------------------------------------------------- */

static int append(char *out, size_t outlen, size_t *n, const char *s)
{
    size_t l = strlen(s);
    if (*n + l + 1 > outlen) return -1;
    memcpy(out + *n, s, l + 1);
    *n += l;
    return 0;
}

static int append_escaped(char *out, size_t outlen, size_t *n, const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    if (!e) return -1;
    int rc = append(out, outlen, n, e);
    curl_free(e);
    return rc;
}

static bool set(const char *s) { return s && *s; }

int ck_rest_path(const ck_resource_ref *r, const char *query, char *out, size_t outlen)
{
    size_t n = 0;
    if (!outlen || !set(r->version) || !set(r->resource)) return -1;
    if (set(r->subresource) && !set(r->name)) return -1;
    out[0] = 0;
    int rc = set(r->group) ? append(out, outlen, &n, "/apis/") || append(out, outlen, &n, r->group)
                                 || append(out, outlen, &n, "/")
                           : append(out, outlen, &n, "/api/");
    rc = rc || append(out, outlen, &n, r->version);
    if (set(r->namespace))
        rc = rc || append(out, outlen, &n, "/namespaces/") || append_escaped(out, outlen, &n, r->namespace);
    rc = rc || append(out, outlen, &n, "/") || append(out, outlen, &n, r->resource);
    if (set(r->name)) rc = rc || append(out, outlen, &n, "/") || append_escaped(out, outlen, &n, r->name);
    if (set(r->subresource)) rc = rc || append(out, outlen, &n, "/") || append(out, outlen, &n, r->subresource);
    if (set(query)) rc = rc || append(out, outlen, &n, "?") || append(out, outlen, &n, query);
    return rc ? -1 : (int)n;
}

static int add_param(char *out, size_t outlen, size_t *n, const char *k, const char *v)
{
    if (*n && append(out, outlen, n, "&")) return -1;
    return append(out, outlen, n, k) || append(out, outlen, n, "=") || append_escaped(out, outlen, n, v);
}

int ck_list_query(const ck_list_opts *o, bool watch, char *out, size_t outlen)
{
    size_t n = 0;
    char num[32];
    int rc = 0;
    if (!outlen) return -1;
    out[0] = 0;
    if (watch) rc = add_param(out, outlen, &n, "watch", "1") || add_param(out, outlen, &n, "allowWatchBookmarks", "true");
    if (!o) return rc ? -1 : (int)n;
    if (set(o->label_selector)) rc = rc || add_param(out, outlen, &n, "labelSelector", o->label_selector);
    if (set(o->field_selector)) rc = rc || add_param(out, outlen, &n, "fieldSelector", o->field_selector);
    if (set(o->resource_version)) rc = rc || add_param(out, outlen, &n, "resourceVersion", o->resource_version);
    if (o->limit > 0) {
        snprintf(num, sizeof num, "%ld", o->limit);
        rc = rc || add_param(out, outlen, &n, "limit", num);
    }
    if (set(o->continue_token)) rc = rc || add_param(out, outlen, &n, "continue", o->continue_token);
    if (watch && o->timeout_seconds > 0) {
        snprintf(num, sizeof num, "%d", o->timeout_seconds);
        rc = rc || add_param(out, outlen, &n, "timeoutSeconds", num);
    }
    return rc ? -1 : (int)n;
}

const char *ck_patch_content_type(ck_patch_type t)
{
    static const char *const types[] = {
        [CK_PATCH_JSON] = "application/json-patch+json",
        [CK_PATCH_MERGE] = "application/merge-patch+json",
        [CK_PATCH_STRATEGIC] = "application/strategic-merge-patch+json",
    };
    return (unsigned)t < sizeof types / sizeof *types ? types[t] : "application/json";
}

/* ---- responses --------------------------------------------------------- */

void ck_response_clear(ck_response *r)
{
    json_decref(r->body);
    memset(r, 0, sizeof *r);
}

const char *ck_response_reason(const ck_response *r)
{
    if (!r->body || strcmp(json_string_value(json_object_get(r->body, "kind")) ?: "", "Status")) return "";
    return json_string_value(json_object_get(r->body, "reason")) ?: "";
}

void ck_rest_fill_response(ck_response *resp, long code, const char *body, size_t len)
{
    resp->code = code;
    resp->body = len ? json_loadb(body, len, 0, NULL) : NULL;
    resp->message[0] = 0;
    if (code >= 200 && code < 300) return;
    const char *msg = json_string_value(json_object_get(resp->body, "message"));
    if (msg) snprintf(resp->message, sizeof resp->message, "%s", msg);
    else snprintf(resp->message, sizeof resp->message, "the server responded with HTTP %ld", code);
}

/* ---- client and handle pool --------------------------------------------- */

static char *dup_or_null(const char *s, size_t len, bool *oom)
{
    if (!s) return NULL;
    char *d = malloc(len + 1);
    if (!d) { *oom = true; return NULL; }
    memcpy(d, s, len);
    d[len] = 0;
    return d;
}

ck_rest *ck_rest_new(const ck_rest_config *cfg, char *err, size_t errlen)
{
    if (!cfg || !set(cfg->server)) {
        snprintf(err, errlen, "no server given");
        return NULL;
    }
    pthread_once(&curl_once, curl_init_once);
    ck_rest *c = calloc(1, sizeof *c);
    if (!c) { snprintf(err, errlen, "out of memory"); return NULL; }
    bool oom = false;
    const ck_rest_config *s = cfg;
    ck_rest_config *d = &c->cfg;
    *d = (ck_rest_config){.insecure = s->insecure, .timeout_ms = s->timeout_ms ?: 30000,
                          .connect_timeout_ms = s->connect_timeout_ms ?: 10000,
                          .ca_data_len = s->ca_data_len, .cert_data_len = s->cert_data_len,
                          .key_data_len = s->key_data_len};
    size_t sl = strlen(s->server);
    while (sl && s->server[sl - 1] == '/') sl--; /* "https://h:6443/" + "/api" */
    d->server = dup_or_null(s->server, sl, &oom);
#define DUPS(f) d->f = s->f ? dup_or_null(s->f, strlen(s->f), &oom) : NULL
    DUPS(ca_file); DUPS(cert_file); DUPS(key_file); DUPS(token);
#undef DUPS
    d->ca_data = dup_or_null(s->ca_data, s->ca_data_len, &oom);
    d->cert_data = dup_or_null(s->cert_data, s->cert_data_len, &oom);
    d->key_data = dup_or_null(s->key_data, s->key_data_len, &oom);
    snprintf(d->user_agent, sizeof d->user_agent, "%s", s->user_agent[0] ? s->user_agent : "ckube");
    pthread_mutex_init(&c->mu, NULL);
    if (oom) {
        snprintf(err, errlen, "out of memory");
        ck_rest_free(c);
        return NULL;
    }
    return c;
}

void ck_rest_free(ck_rest *c)
{
    if (!c) return;
    for (int i = 0; i < c->nidle; i++) curl_easy_cleanup(c->idle[i]);
    pthread_mutex_destroy(&c->mu);
    ck_rest_config_clear(&c->cfg);
    free(c);
}

static void set_blob(CURL *h, CURLoption opt, char *data, size_t len)
{
    struct curl_blob b = {.data = data, .len = len, .flags = CURL_BLOB_COPY};
    curl_easy_setopt(h, opt, &b);
}

CURL *ck_rest_handle_acquire(ck_rest *c)
{
    CURL *h = NULL;
    pthread_mutex_lock(&c->mu);
    if (c->nidle) h = c->idle[--c->nidle];
    pthread_mutex_unlock(&c->mu);
    if (h) curl_easy_reset(h); /* keeps its live connections (keep-alive) */
    else if (!(h = curl_easy_init())) return NULL;
    const ck_rest_config *k = &c->cfg;
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, k->user_agent);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, k->connect_timeout_ms);
    if (k->ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, k->ca_file);
    if (k->ca_data) set_blob(h, CURLOPT_CAINFO_BLOB, k->ca_data, k->ca_data_len);
    if (k->cert_file) curl_easy_setopt(h, CURLOPT_SSLCERT, k->cert_file);
    if (k->cert_data) set_blob(h, CURLOPT_SSLCERT_BLOB, k->cert_data, k->cert_data_len);
    if (k->key_file) curl_easy_setopt(h, CURLOPT_SSLKEY, k->key_file);
    if (k->key_data) set_blob(h, CURLOPT_SSLKEY_BLOB, k->key_data, k->key_data_len);
    if (k->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return h;
}

void ck_rest_handle_release(ck_rest *c, CURL *h)
{
    if (!h) return;
    pthread_mutex_lock(&c->mu);
    if (c->nidle < POOL_MAX) { c->idle[c->nidle++] = h; h = NULL; }
    pthread_mutex_unlock(&c->mu);
    if (h) curl_easy_cleanup(h);
}

char *ck_rest_url(const ck_rest *c, const char *path)
{
    char *u = NULL;
    return asprintf(&u, "%s%s", c->cfg.server, path) < 0 ? NULL : u;
}

struct curl_slist *ck_rest_headers(const ck_rest *c, const char *content_type)
{
    struct curl_slist *l = curl_slist_append(NULL, "Accept: application/json"), *t;
    char line[4200];
    if (!l) return NULL;
    if (content_type) {
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        if (!(t = curl_slist_append(l, line))) goto oom;
        l = t;
    }
    if (c->cfg.token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", c->cfg.token);
        if (!(t = curl_slist_append(l, line))) goto oom;
        l = t;
    }
    return l;
oom:
    curl_slist_free_all(l);
    return NULL;
}

/* ---- one request ------------------------------------------------------- */

typedef struct buf { char *p; size_t n, cap; } buf;

static size_t on_body(char *data, size_t sz, size_t nm, void *ud)
{
    buf *b = ud;
    size_t len = sz * nm;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + len + 1) cap *= 2;
        if (cap > BODY_MAX) return 0;
        char *p = realloc(b->p, cap);
        if (!p) return 0;
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    b->p[b->n] = 0;
    return len;
}

int ck_rest_do(ck_rest *c, const char *method, const char *path, const char *content_type,
               const json_t *body, ck_response *resp)
{
    memset(resp, 0, sizeof *resp);
    char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
    char *url = ck_rest_url(c, path);
    struct curl_slist *hdrs = ck_rest_headers(c, body ? (content_type ?: "application/json") : NULL);
    CURL *h = ck_rest_handle_acquire(c);
    buf b = {0};
    int rc = -1;
    if (!url || !hdrs || !h || (body && !payload)) {
        snprintf(resp->message, sizeof resp->message, "out of memory");
        goto out;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "GET")) curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (payload) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->cfg.timeout_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        snprintf(resp->message, sizeof resp->message, "%s %s: %s", method, path, curl_easy_strerror(cc));
        goto out;
    }
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    ck_rest_fill_response(resp, code, b.p, b.n);
    rc = code >= 200 && code < 300 ? 0 : -1;
out:
    ck_rest_handle_release(c, h);
    curl_slist_free_all(hdrs);
    free(url);
    free(payload);
    free(b.p);
    return rc;
}

/* ---- the verbs --------------------------------------------------------- */

static int verb(ck_rest *c, const char *method, const ck_resource_ref *ref, const char *query,
                const char *ctype, const json_t *body, ck_response *resp)
{
    char path[2048];
    if (ck_rest_path(ref, query, path, sizeof path) < 0) {
        memset(resp, 0, sizeof *resp);
        snprintf(resp->message, sizeof resp->message, "invalid resource reference for %s", method);
        return -1;
    }
    return ck_rest_do(c, method, path, ctype, body, resp);
}

int ck_rest_get(ck_rest *c, const ck_resource_ref *ref, ck_response *resp)
{
    return verb(c, "GET", ref, NULL, NULL, NULL, resp);
}

int ck_rest_list(ck_rest *c, const ck_resource_ref *ref, const ck_list_opts *opts, ck_response *resp)
{
    char q[1536];
    if (ck_list_query(opts, false, q, sizeof q) < 0) {
        memset(resp, 0, sizeof *resp);
        snprintf(resp->message, sizeof resp->message, "list options too long");
        return -1;
    }
    return verb(c, "GET", ref, q, NULL, NULL, resp);
}

int ck_rest_create(ck_rest *c, const ck_resource_ref *ref, const json_t *body, ck_response *resp)
{
    return verb(c, "POST", ref, NULL, NULL, body, resp);
}

int ck_rest_update(ck_rest *c, const ck_resource_ref *ref, const json_t *body, ck_response *resp)
{
    return verb(c, "PUT", ref, NULL, NULL, body, resp);
}

int ck_rest_patch(ck_rest *c, const ck_resource_ref *ref, ck_patch_type type, const json_t *patch,
                  ck_response *resp)
{
    return verb(c, "PATCH", ref, NULL, ck_patch_content_type(type), patch, resp);
}

/* metav1.DeleteOptions as its JSON body (apiVersion v1, kind DeleteOptions). */
static json_t *delete_options_json(const ck_delete_opts *o)
{
    json_t *d = json_pack("{s:s,s:s}", "kind", "DeleteOptions", "apiVersion", "v1");
    if (!d) return NULL;
    if (set(o->propagation_policy))
        json_object_set_new(d, "propagationPolicy", json_string(o->propagation_policy));
    if (o->grace_period_seconds >= 0)
        json_object_set_new(d, "gracePeriodSeconds", json_integer(o->grace_period_seconds));
    if (set(o->precondition_uid) || set(o->precondition_resource_version)) {
        json_t *p = json_object();
        if (set(o->precondition_uid)) json_object_set_new(p, "uid", json_string(o->precondition_uid));
        if (set(o->precondition_resource_version))
            json_object_set_new(p, "resourceVersion", json_string(o->precondition_resource_version));
        json_object_set_new(d, "preconditions", p);
    }
    return d;
}

int ck_rest_delete(ck_rest *c, const ck_resource_ref *ref, const ck_delete_opts *opts, ck_response *resp)
{
    json_t *body = opts ? delete_options_json(opts) : NULL;
    if (opts && !body) {
        memset(resp, 0, sizeof *resp);
        snprintf(resp->message, sizeof resp->message, "out of memory");
        return -1;
    }
    int rc = verb(c, "DELETE", ref, NULL, NULL, body, resp);
    json_decref(body);
    return rc;
}
