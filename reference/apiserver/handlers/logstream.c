/* logstream.c: pods/log over WebSocket, as the apiserver's StreamObject
 * does for a WebSocket request (wsstream.NewReader with the default reader
 * protocols): the kubelet's log is requested first, so its errors are
 * answered as HTTP errors; only a 200 is upgraded, and the log then flows as
 * binary frames (base64 text frames for base64.binary.k8s.io) until it
 * ends (or, with follow, until the client goes away), then a close frame. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "apiserver/handlers/wsstream.h"

/* k8s.io/apimachinery/pkg/util/wsstream NewDefaultReaderProtocols */
static const ck_ws_proto log_protocols[] = {
    {"binary.k8s.io", false, 0}, {"base64.binary.k8s.io", true, 0}, {"", false, 0}, {NULL, false, 0},
};

typedef struct log_job {
    CURLM *m;
    CURL *c;
    bool base64, failed;
    int fd;                       /* -1 until upgraded: body bytes wait in pending */
    char *pending; size_t plen;
} log_job;

static size_t on_body(char *p, size_t s, size_t n, void *ud)
{
    log_job *j = ud;
    if (j->fd >= 0) {
        if (ck_ws_data(j->fd, j->base64, p, s * n) < 0) { j->failed = true; return 0; }
        return s * n;
    }
    char *b = realloc(j->pending, j->plen + s * n + 1);
    if (!b) return 0;
    memcpy(b + j->plen, p, s * n);
    j->pending = b;
    j->plen += s * n;
    b[j->plen] = 0;
    return s * n;
}

/* Drives the transfer for up to ms; 1 when it finished (*res set). */
static int pump(log_job *j, int ms, CURLcode *res)
{
    int running = 0, left;
    curl_multi_perform(j->m, &running);
    for (CURLMsg *msg; (msg = curl_multi_info_read(j->m, &left));)
        if (msg->msg == CURLMSG_DONE) { *res = msg->data.result; return 1; }
    if (!running) { *res = CURLE_OK; return 1; }
    curl_multi_poll(j->m, NULL, 0, ms, NULL);
    return 0;
}

/* The client hung up or sent a close frame (its other frames are ignored). */
static bool client_gone(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0) return false;
    unsigned char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    return n == 0 || (n > 0 && (buf[0] & 0x0f) == 8);
}

static void log_run(void *cls, int fd)
{
    log_job *j = cls;
    j->fd = fd;
    bool ok = !j->plen || ck_ws_data(fd, j->base64, j->pending, j->plen) == 0;
    CURLcode res = CURLE_OK;
    while (ok && !j->failed && !pump(j, 200, &res))
        if (client_gone(fd)) ok = false;
    if (ok && !j->failed) ck_ws_close(fd, 1000, NULL);
}

static void log_free(void *cls)
{
    log_job *j = cls;
    if (j->m && j->c) curl_multi_remove_handle(j->m, j->c);
    if (j->c) curl_easy_cleanup(j->c);
    if (j->m) curl_multi_cleanup(j->m);
    free(j->pending);
    free(j);
}

static const char *reason_for(long code)
{
    return code == 404 ? "NotFound" : code == 400 ? "BadRequest" : code == 403 ? "Forbidden" : "InternalError";
}

int ck_pod_log_ws(ck_handler *ctx, const char *url)
{
    const ck_ws_proto *proto = ck_ws_pick(ctx->req, log_protocols);
    if (!proto) {
        char names[128];
        ck_ws_names(log_protocols, names, sizeof names);
        ck_status_bad_request(&ctx->st, "unable to upgrade: requested protocol(s) are not supported; supports [%s]", names);
        return -1;
    }
    log_job *j = calloc(1, sizeof *j);
    if (!j || !(j->m = curl_multi_init()) || !(j->c = curl_easy_init())) {
        if (j) log_free(j);
        ck_status_internal(&ctx->st, "out of memory");
        return -1;
    }
    j->fd = -1;
    j->base64 = proto->base64;
    curl_easy_setopt(j->c, CURLOPT_URL, url);
    curl_easy_setopt(j->c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(j->c, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(j->c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(j->c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_multi_add_handle(j->m, j->c);
    /* Wait for the kubelet's status line (or the end, for an error body). */
    long code = 0;
    CURLcode res = CURLE_OK;
    bool done = false;
    for (int waited = 0; waited < 30000 && !done; waited += 100) {
        done = pump(j, 100, &res);
        curl_easy_getinfo(j->c, CURLINFO_RESPONSE_CODE, &code);
        if (code == 200) break;
    }
    if (res != CURLE_OK || code != 200) {
        if (res != CURLE_OK || !code)
            ck_status_set(&ctx->st, 503, "ServiceUnavailable", "error trying to reach the kubelet for %s: %s", url,
                          res != CURLE_OK ? curl_easy_strerror(res) : "no answer");
        else
            ck_status_set(&ctx->st, (int)code, reason_for(code), "%s", j->pending ? j->pending : "kubelet error");
        log_free(j);
        return -1;
    }
    if (ck_ws_answer(ctx, proto) < 0) {
        log_free(j);
        return -1;
    }
    ctx->resp->upgrade = (ck_upgrade){.run = log_run, .free = log_free, .cls = j};
    return 0;
}
