/* client.c: the harness's HTTP client on libcurl: one function per request
 * (JSON in, JSON out), authentication from the kubeconfig (bearer token,
 * client certificate, CA or insecure), a request log line per call
 * (method, path, status) for API coverage, and streaming watches. */
#define _GNU_SOURCE
#include "harness.h"
#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf { char *p; size_t len, cap; } buf;

static int buf_add(buf *b, const char *d, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *np = realloc(b->p, cap);
        if (!np) return -1;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

static size_t on_body(char *d, size_t sz, size_t nm, void *ud)
{
    return buf_add(ud, d, sz * nm) ? 0 : sz * nm;
}

typedef struct hdrs { char *content_type; char *warning; } hdrs;

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = 0;
}

static size_t on_header(char *d, size_t sz, size_t nm, void *ud)
{
    hdrs *h = ud;
    size_t n = sz * nm;
    char *line = strndup(d, n);
    if (!line) return 0;
    trim(line);
    if (!strncasecmp(line, "content-type:", 13)) {
        free(h->content_type);
        h->content_type = strdup(line + 13 + strspn(line + 13, " "));
    } else if (!strncasecmp(line, "warning:", 8)) {
        const char *v = line + 8 + strspn(line + 8, " ");
        char *w = NULL;
        if (asprintf(&w, "%s%s%s", h->warning ? h->warning : "", h->warning ? "\n" : "", v) >= 0) {
            free(h->warning);
            h->warning = w;
        }
    }
    free(line);
    return n;
}

/* Applies server URL + path, TLS and auth; returns the header list to free. */
/* TLS and client credentials from the kubeconfig, for every handle the
 * harness opens (requests, watches, WebSockets). */
void ckc_curl_tls(void *curl, const ckc_kubeconfig *kc)
{
    CURL *c = curl;
    if (kc->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (kc->ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, kc->ca_file);
    if (kc->ca_data) {
        struct curl_blob b = {kc->ca_data, kc->ca_len, CURL_BLOB_COPY};
        curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &b);
    }
    if (kc->cert_file) curl_easy_setopt(c, CURLOPT_SSLCERT, kc->cert_file);
    if (kc->key_file) curl_easy_setopt(c, CURLOPT_SSLKEY, kc->key_file);
    if (kc->cert_data) {
        struct curl_blob b = {kc->cert_data, kc->cert_len, CURL_BLOB_COPY};
        curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &b);
    }
    if (kc->key_data) {
        struct curl_blob b = {kc->key_data, kc->key_len, CURL_BLOB_COPY};
        curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &b);
    }
}

static struct curl_slist *setup(CURL *c, ckc_run *run, const ckc_reqspec *rq, char *url, size_t urln)
{
    const ckc_kubeconfig *kc = &run->kc;
    size_t sl = strlen(kc->server);
    while (sl && kc->server[sl - 1] == '/') sl--;
    snprintf(url, urln, "%.*s%s", (int)sl, kc->server, rq->path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    ckc_curl_tls(c, kc);
    struct curl_slist *h = NULL;
    char line[8192];
    if (kc->token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", kc->token);
        h = curl_slist_append(h, line);
    }
    snprintf(line, sizeof line, "Accept: %s", rq->accept ? rq->accept : "application/json");
    h = curl_slist_append(h, line);
    if (rq->body) {
        snprintf(line, sizeof line, "Content-Type: %s",
                 rq->content_type ? rq->content_type : "application/json");
        h = curl_slist_append(h, line);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(rq->body));
    } else if (rq->content_type) {
        snprintf(line, sizeof line, "Content-Type: %s", rq->content_type);
        h = curl_slist_append(h, line);
    }
    h = curl_slist_append(h, "User-Agent: ckube-conformance/1");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    return h;
}

static void log_request(ckc_run *run, const char *method, const char *path, long code)
{
    if (!run->request_log) return;
    fprintf(run->request_log, "%s %s %ld\n", method, path, code);
    fflush(run->request_log);
}

static void transport_error(CURL *c, CURLcode rc, char *out, size_t n)
{
    long os_errno = 0;
    curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
    /* "Connection refused" reads better than curl's "Couldn't connect to server". */
    snprintf(out, n, "%s", os_errno ? strerror((int)os_errno) : curl_easy_strerror(rc));
}

ckc_resp *ckc_request_run(ckc_run *run, const ckc_reqspec *rq)
{
    ckc_resp *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    snprintf(r->method, sizeof r->method, "%s", rq->method);
    r->path = strdup(rq->path);
    CURL *c = curl_easy_init();
    if (!c || !r->path) {
        snprintf(r->error, sizeof r->error, "out of memory");
        if (c) curl_easy_cleanup(c);
        return r;
    }
    char url[4096];
    buf body = {0};
    hdrs h = {0};
    struct curl_slist *hl = setup(c, run, rq, url, sizeof url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->code);
    else transport_error(c, rc, r->error, sizeof r->error);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    r->body = body.p ? body.p : strdup("");
    r->len = body.len;
    r->content_type = h.content_type;
    r->warning = h.warning;
    if (r->body && r->len) r->json = json_loads(r->body, JSON_DECODE_ANY, NULL);
    log_request(run, rq->method, rq->path, r->code);
    return r;
}

void ckc_resp_free(void *p)
{
    ckc_resp *r = p;
    if (!r) return;
    free(r->path); free(r->body); free(r->content_type); free(r->warning);
    json_decref(r->json);
    free(r);
}

ckc_resp *ckc_request(ckc_t *t, const ckc_reqspec *rq)
{
    return ckc_own(t, ckc_request_run(t->run, rq), ckc_resp_free);
}

static ckc_resp *with_json(ckc_t *t, const char *method, const char *path, json_t *body,
                           const char *ctype)
{
    char *text = body ? ckc_own(t, json_dumps(body, JSON_COMPACT), free) : NULL;
    ckc_reqspec rq = {.method = method, .path = path, .body = text, .content_type = ctype};
    return ckc_request(t, &rq);
}

ckc_resp *ckc_get(ckc_t *t, const char *path) { return with_json(t, "GET", path, NULL, NULL); }
ckc_resp *ckc_post(ckc_t *t, const char *path, json_t *b) { return with_json(t, "POST", path, b, NULL); }
ckc_resp *ckc_put(ckc_t *t, const char *path, json_t *b) { return with_json(t, "PUT", path, b, NULL); }
ckc_resp *ckc_delete(ckc_t *t, const char *path, json_t *o) { return with_json(t, "DELETE", path, o, NULL); }

ckc_resp *ckc_patch(ckc_t *t, const char *path, const char *ptype, const char *body)
{
    ckc_reqspec rq = {.method = "PATCH", .path = path, .body = body, .content_type = ptype};
    return ckc_request(t, &rq);
}

/* ---- watches: one curl multi handle each, pumped on demand ---- */
struct ckc_watch {
    ckc_t *t;
    CURL *c;
    CURLM *m;
    struct curl_slist *hl;
    buf data;
    size_t off;     /* consumed prefix of data */
    int done;
    long code;
    char *path;
};

static void watch_close(void *p)
{
    ckc_watch *w = p;
    long code = 0;
    curl_easy_getinfo(w->c, CURLINFO_RESPONSE_CODE, &code);
    log_request(w->t->run, "GET", w->path, code);
    curl_multi_remove_handle(w->m, w->c);
    curl_easy_cleanup(w->c);
    curl_multi_cleanup(w->m);
    curl_slist_free_all(w->hl);
    free(w->data.p);
    free(w->path);
    free(w);
}

ckc_watch *ckc_watch_open(ckc_t *t, const char *path)
{
    ckc_watch *w = calloc(1, sizeof *w);
    if (!w) CKC_FAIL(t, "out of memory");
    w->t = t;
    w->path = strdup(path);
    w->c = curl_easy_init();
    w->m = curl_multi_init();
    if (!w->path || !w->c || !w->m) {
        free(w->path);
        if (w->c) curl_easy_cleanup(w->c);
        if (w->m) curl_multi_cleanup(w->m);
        free(w);
        CKC_FAIL(t, "out of memory");
    }
    char url[4096];
    ckc_reqspec rq = {.method = "GET", .path = path};
    w->hl = setup(w->c, t->run, &rq, url, sizeof url);
    curl_easy_setopt(w->c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(w->c, CURLOPT_WRITEDATA, &w->data);
    curl_multi_add_handle(w->m, w->c);
    ckc_own(t, w, watch_close);
    /* client-go's Watch() returns once the response headers arrived, so the
     * server has registered the watch before the caller acts: events the
     * caller causes next are seen even without a resourceVersion. */
    double deadline = ckc_now() + ckc_timeout(t, 30);
    long code = 0;
    while (!code && !w->done && ckc_now() < deadline) {
        int running = 0;
        curl_multi_perform(w->m, &running);
        curl_easy_getinfo(w->c, CURLINFO_RESPONSE_CODE, &code);
        if (!running) w->done = 1;
        else if (!code) curl_multi_poll(w->m, NULL, 0, 50, NULL);
    }
    return w;
}

static json_t *pop_line(ckc_watch *w)
{
    while (w->data.p && w->off < w->data.len) {
        char *start = w->data.p + w->off;
        char *nl = memchr(start, '\n', w->data.len - w->off);
        if (!nl) return NULL;
        size_t n = (size_t)(nl - start);
        w->off += n + 1;
        if (n == 0 || (n == 1 && start[0] == '\r')) continue;
        json_t *j = json_loadb(start, n, 0, NULL);
        if (!j) j = json_pack("{s:s, s:s#}", "type", "CKC_UNPARSABLE", "raw", start, (int)n);
        return ckc_ownj(w->t, j);
    }
    return NULL;
}

json_t *ckc_watch_next(ckc_watch *w, double timeout_s)
{
    double deadline = ckc_now() + timeout_s;
    for (;;) {
        json_t *ev = pop_line(w);
        if (ev) return ev;
        if (w->done) {
            /* A final line without '\n'. */
            if (w->data.p && w->off < w->data.len) {
                json_t *j = json_loadb(w->data.p + w->off, w->data.len - w->off, 0, NULL);
                w->off = w->data.len;
                if (j) return ckc_ownj(w->t, j);
            }
            return NULL;
        }
        double left = deadline - ckc_now();
        if (left <= 0) return NULL;
        int running = 0;
        curl_multi_perform(w->m, &running);
        if (!running) {
            w->done = 1;
            continue;
        }
        ev = pop_line(w);
        if (ev) return ev;
        int ms = left < 0.1 ? (int)(left * 1000) + 1 : 100;
        curl_multi_poll(w->m, NULL, 0, ms, NULL);
    }
}

long ckc_watch_code(ckc_watch *w)
{
    long code = 0;
    curl_easy_getinfo(w->c, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

const char *ckc_watch_body(ckc_watch *w)
{
    return w->data.p ? w->data.p + w->off : "";
}
