/* proxy.c: the connect subresources (pkg/registry/core/{pod,node,service}/rest):
 * pods/log and nodes/proxy reach the node's kubelet, pods/proxy the pod's IP,
 * services/proxy one of the service's ready endpoints. The upstream response
 * streams through (kubectl logs -f): a thread runs the libcurl transfer into
 * a pipe that the HTTP response reads from. */
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
    CURLcode result;
    char url[2048];
} proxy_stream;

static size_t on_header(char *buf, size_t size, size_t n, void *ud)
{
    proxy_stream *ps = ud;
    size_t len = size * n;
    if (len >= 13 && strncasecmp(buf, "Content-Type:", 13) == 0) {
        const char *v = buf + 13;
        while (*v == ' ') v++;
        size_t vl = strcspn(v, "\r\n");
        if (vl >= sizeof ps->content_type) vl = sizeof ps->content_type - 1;
        memcpy(ps->content_type, v, vl);
        ps->content_type[vl] = 0;
    }
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

/* Starts the transfer and waits for the upstream status line. On success
 * the response is a stream with upstream's code; on a connection failure a
 * 503 ServiceUnavailable Status, as upstream's proxy error responder. */
int ck_handler_proxy(ck_handler *ctx, const char *url, ck_stream **stream)
{
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
    snprintf(ps->url, sizeof ps->url, "%s", url);
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
        close(ps->rd);
        curl_easy_cleanup(ps->curl);
        pthread_cond_destroy(&ps->cv);
        pthread_mutex_destroy(&ps->mu);
        free(ps);
        return -1;
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
