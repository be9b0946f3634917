/* proxy.c: the connect subresources (pkg/registry/core/{pod,node,service}/rest):
 * pods/log and nodes/proxy reach the node's kubelet, pods/proxy the pod's IP,
 * services/proxy one of the service's ready endpoints. The upstream response
 * streams through (kubectl logs -f): a thread runs the libcurl transfer into
 * a pipe that the HTTP response reads from. For the proxy subresources, as
 * upstream's UpgradeAwareHandler with a wrapped Transport: GET/HEAD of
 * ".../proxy" redirect to ".../proxy/", and HTML pages and redirects come
 * back with their links rewritten under the proxy path (proxy_rewrite.c). */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "apiserver/handlers/proxy_rewrite.h"
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "util/ckjson.h"

typedef struct proxy_stream {
    ck_stream base;
    pthread_t thread;
    int rd, wr;                 /* pipe: transfer thread -> response */
    CURL *curl;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool headers_done, finished;
    volatile int cancel;
    long code;
    char content_type[128];
    char content_encoding[64];
    char location[2048];
    CURLcode result;
    char url[8192];
} proxy_stream;

/* Copies header line buf's value into out when it is header `name`. */
static void header_value(const char *buf, size_t len, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(buf, name, nl) != 0 || buf[nl] != ':') return;
    const char *v = buf + nl + 1;
    while (*v == ' ') v++;
    size_t vl = strcspn(v, "\r\n");
    if (vl >= n) vl = n - 1;
    memcpy(out, v, vl);
    out[vl] = 0;
}

static size_t on_header(char *buf, size_t size, size_t n, void *ud)
{
    proxy_stream *ps = ud;
    size_t len = size * n;
    header_value(buf, len, "Content-Type", ps->content_type, sizeof ps->content_type);
    header_value(buf, len, "Content-Encoding", ps->content_encoding, sizeof ps->content_encoding);
    header_value(buf, len, "Location", ps->location, sizeof ps->location);
    if (len <= 2 && (buf[0] == '\r' || buf[0] == '\n')) {
        long code = 0;
        curl_easy_getinfo(ps->curl, CURLINFO_RESPONSE_CODE, &code);
        if (code >= 200) { /* not a 1xx interim response */
            pthread_mutex_lock(&ps->mu);
            ps->code = code;
            ps->headers_done = true;
            pthread_cond_broadcast(&ps->cv);
            pthread_mutex_unlock(&ps->mu);
        }
    }
    return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *ud)
{
    proxy_stream *ps = ud;
    size_t len = size * n, off = 0;
    while (off < len) {
        if (ps->cancel) return 0;
        struct pollfd p = {.fd = ps->wr, .events = POLLOUT};
        if (poll(&p, 1, 1000) <= 0) continue;
        ssize_t w = write(ps->wr, buf + off, len - off);
        if (w < 0) return errno == EAGAIN ? off : 0;
        off += (size_t)w;
    }
    return len;
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    return ((proxy_stream *)ud)->cancel ? 1 : 0;
}

static void *transfer(void *arg)
{
    proxy_stream *ps = arg;
    ps->result = curl_easy_perform(ps->curl);
    close(ps->wr);
    pthread_mutex_lock(&ps->mu);
    ps->finished = true;
    if (!ps->headers_done) curl_easy_getinfo(ps->curl, CURLINFO_RESPONSE_CODE, &ps->code);
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
    return NULL;
}

static ssize_t ps_read(ck_stream *base, char *buf, size_t max)
{
    proxy_stream *ps = (proxy_stream *)base;
    for (;;) {
        struct pollfd p = {.fd = ps->rd, .events = POLLIN};
        int r = poll(&p, 1, 1000);
        if (r > 0) {
            ssize_t n = read(ps->rd, buf, max);
            if (n > 0) return n;
            if (n == 0) return -1;
            if (errno != EAGAIN && errno != EINTR) return -1;
        }
        if (ck_stream_client_gone(base)) return -1;
    }
}

static void ps_free(ck_stream *base)
{
    proxy_stream *ps = (proxy_stream *)base;
    ps->cancel = 1;
    pthread_join(ps->thread, NULL);
    close(ps->rd);
    curl_easy_cleanup(ps->curl);
    pthread_cond_destroy(&ps->cv);
    pthread_mutex_destroy(&ps->mu);
    free(ps);
}

/* The request path after ".../<name>/proxy" ("", "/", "/a/b/") of a proxy
 * subresource, with the path up to it in prepend (PathPrepend); else NULL. */
static const char *proxy_remainder(const ck_handler *ctx, char *prepend, size_t n)
{
    if (strcmp(ctx->ri->subresource, "proxy") != 0) return NULL;
    char seg[320];
    snprintf(seg, sizeof seg, "/%s/proxy", ctx->ri->name);
    size_t sl = strlen(seg);
    for (const char *p = strstr(ctx->req->path, seg); p; p = strstr(p + 1, seg))
        if (p[sl] == '/' || p[sl] == 0) {
            snprintf(prepend, n, "%.*s", (int)(p + sl - ctx->req->path), ctx->req->path);
            return p + sl;
        }
    return NULL;
}

static bool is_html(const char *ctype)
{
    return strncasecmp(ctype, "text/html", 9) == 0 && (ctype[9] == 0 || ctype[9] == ';' || ctype[9] == ' ');
}

/* The transfer is over (or failed before its headers): release everything. */
static void ps_destroy_joined(proxy_stream *ps)
{
    close(ps->rd);
    curl_easy_cleanup(ps->curl);
    pthread_cond_destroy(&ps->cv);
    pthread_mutex_destroy(&ps->mu);
    free(ps);
}

#define MAX_REWRITTEN_BODY (32u << 20)

/* Transport.rewriteResponse: the whole text/html body, links rewritten,
 * as the (non-streamed) response. Frees ps. 0, or -1 + st. */
static int respond_rewritten(ck_handler *ctx, proxy_stream *ps, const ck_proxy_rewrite *rw)
{
    char *body = NULL;
    size_t len = 0, cap = 0;
    int idle_s = 0;
    bool fail = false;
    for (;;) {
        if (len + 65536 > cap) {
            char *b = cap + 65536 <= MAX_REWRITTEN_BODY ? realloc(body, cap + 65536) : NULL;
            if (!b) { fail = true; break; }
            body = b;
            cap += 65536;
        }
        struct pollfd p = {.fd = ps->rd, .events = POLLIN};
        if (poll(&p, 1, 1000) <= 0) {
            /* a backend that stops sending for a minute fails the rewrite */
            if (++idle_s >= 60 || ck_stream_client_gone(&ps->base)) { fail = true; break; }
            continue;
        }
        idle_s = 0;
        ssize_t r = read(ps->rd, body + len, cap - len);
        if (r == 0) break;
        if (r < 0 && errno != EAGAIN && errno != EINTR) { fail = true; break; }
        if (r > 0) len += (size_t)r;
    }
    ps->cancel = fail;
    pthread_join(ps->thread, NULL);
    size_t out_len = 0;
    char *out = fail ? NULL : ck_proxy_rewrite_html(rw, body ? body : "", len, &out_len);
    free(body);
    if (!out) {
        ps_destroy_joined(ps);
        ck_status_internal(&ctx->st, "proxy: cannot rewrite the response");
        return -1;
    }
    static __thread char ctype[128];
    snprintf(ctype, sizeof ctype, "%s", ps->content_type);
    free(ctx->resp->body);
    ctx->resp->code = (int)ps->code;
    ctx->resp->content_type = ctype;
    ctx->resp->body = out;
    ctx->resp->len = out_len;
    ps_destroy_joined(ps);
    return 0;
}

/* Starts the transfer and waits for the upstream status line. On success
 * the response is a stream with upstream's code; on a connection failure a
 * 503 ServiceUnavailable Status, as upstream's proxy error responder. */
int ck_handler_proxy(ck_handler *ctx, const char *url, ck_stream **stream)
{
    char prepend[1024] = "", slash_url[2048];
    const char *rest = proxy_remainder(ctx, prepend, sizeof prepend);
    bool get_or_head = !strcmp(ctx->req->method, "GET") || !strcmp(ctx->req->method, "HEAD");
    if (rest && !*rest && get_or_head) {
        /* An empty location path redirects to ".../proxy/" (kubernetes#4958),
         * keeping the query (proxy/upgradeaware.go). */
        char loc[3200];
        const char *q = ctx->req->raw_query;
        snprintf(loc, sizeof loc, "%.1100s/%s%.2048s", ctx->req->path, q ? "?" : "", q ? q : "");
        ck_resp_text(ctx->resp, 301, "text/plain", "");
        ck_resp_header(ctx->resp, "Location", loc);
        return 0;
    }
    /* JoinPreservingTrailingSlash: ".../proxy/dir/" reaches "/dir/" */
    size_t ul = strlen(url);
    if (rest && *rest && rest[strlen(rest) - 1] == '/' && ul && url[ul - 1] != '/') {
        snprintf(slash_url, sizeof slash_url, "%.2040s/", url);
        url = slash_url;
    }
    proxy_stream *ps = calloc(1, sizeof *ps);
    int fds[2];
    if (!ps || pipe2(fds, O_CLOEXEC) != 0) {
        free(ps);
        ck_status_internal(&ctx->st, "cannot start the proxy");
        return -1;
    }
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    ps->rd = fds[0];
    ps->wr = fds[1];
    const char *q = rest ? ctx->req->raw_query : NULL; /* proxy subresources forward the query */
    if ((size_t)snprintf(ps->url, sizeof ps->url, "%s%s%s", url, q ? (strchr(url, '?') ? "&" : "?") : "",
                         q ? q : "") >= sizeof ps->url) {
        close(fds[0]);
        close(fds[1]);
        free(ps);
        ck_status_set(&ctx->st, 400, "BadRequest", "the proxied URL is longer than %zu bytes",
                      sizeof ps->url - 1);
        return -1;
    }
    pthread_mutex_init(&ps->mu, NULL);
    pthread_cond_init(&ps->cv, NULL);
    ps->curl = curl_easy_init();
    CURL *c = ps->curl;
    curl_easy_setopt(c, CURLOPT_URL, ps->url);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, ps);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, ps);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, ps);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (rest && strncmp(ps->url, "https://", 8) == 0) {
        /* pods/services https:<name>:<port>/proxy: the apiserver's proxy
         * transport does not verify the backend (InsecureSkipVerify in
         * cmd/kube-apiserver/app/server.go CreateProxyTransport) */
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (strcmp(ctx->req->method, "GET") != 0) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, ctx->req->method);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, ctx->req->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)ctx->req->body_len);
    }
    if (pthread_create(&ps->thread, NULL, transfer, ps) != 0) {
        close(fds[0]);
        close(fds[1]);
        curl_easy_cleanup(c);
        free(ps);
        ck_status_internal(&ctx->st, "cannot start the proxy thread");
        return -1;
    }
    pthread_mutex_lock(&ps->mu);
    while (!ps->headers_done && !ps->finished) pthread_cond_wait(&ps->cv, &ps->mu);
    bool ok = ps->headers_done;
    pthread_mutex_unlock(&ps->mu);
    if (!ok) {
        pthread_join(ps->thread, NULL);
        ps->thread = 0;
        ck_status_set(&ctx->st, 503, "ServiceUnavailable", "error trying to reach %s: %s", url,
                      curl_easy_strerror(ps->result));
        ps_destroy_joined(ps);
        return -1;
    }
    if (rest) {
        /* Transport.RoundTrip: a redirect's Location, else an HTML page's links */
        char backend[256];
        const char *h = strstr(url, "://");
        h = h ? h + 3 : url;
        snprintf(backend, sizeof backend, "%.*s", (int)strcspn(h, "/?#"), h);
        const char *host = ctx->req->header ? ctx->req->header(ctx->req, "Host") : NULL;
        ck_proxy_rewrite rw = {prepend, backend, host ? host : ""};
        ps->base.client_fd = -1;
        if (ps->location[0]) {
            char *loc = ck_proxy_rewrite_url(&rw, ps->location);
            if (loc) ck_resp_header(ctx->resp, "Location", loc);
            free(loc);
        } else if (is_html(ps->content_type) && (!ps->content_encoding[0] || !strcasecmp(ps->content_encoding, "identity"))) {
            /* gzip/deflate pages pass through unchanged: the proxy sends no
             * Accept-Encoding, so backends do not compress them */
            return respond_rewritten(ctx, ps, &rw);
        }
    }
    ps->base.read = ps_read;
    ps->base.free = ps_free;
    ps->base.client_fd = -1;
    ctx->resp->code = (int)ps->code;
    static __thread char ctype[128];
    snprintf(ctype, sizeof ctype, "%s", ps->content_type[0] ? ps->content_type : "text/plain");
    ctx->resp->content_type = ctype;
    *stream = &ps->base;
    return 0;
}
