/* exec.c: pods/exec over WebSocket, the way kubectl 1.30+ asks for it
 * (k8s.io/apimachinery/pkg/util/remotecommand, channel protocols
 * v5.channel.k8s.io / v4.channel.k8s.io): the upgrade handshake (RFC 6455),
 * then the command runs through the node's kubelet (/exec) and its output
 * comes back as binary frames on the stdout channel (1), the exit status as
 * a metav1.Status on the error channel (3), then a close frame.
 * Not streamed: stdin is not forwarded and output arrives when the command
 * ends, which suits `kubectl exec pod -- cmd`, not interactive shells. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "store/base64.h"
#include "util/ckjson.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
enum { CH_STDOUT = 1, CH_STDERR = 2, CH_ERROR = 3 };

typedef struct exec_job {
    char url[4096];
    char cmdline[1024]; /* for the Status message: [a b c] */
    bool want_stdout;
} exec_job;

static int send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* One unmasked server frame: FIN + opcode, then the payload. */
static int ws_frame(int fd, int opcode, const void *data, size_t len)
{
    unsigned char hdr[10];
    size_t h = 2;
    hdr[0] = (unsigned char)(0x80 | opcode);
    if (len < 126) {
        hdr[1] = (unsigned char)len;
    } else if (len < 65536) {
        hdr[1] = 126;
        hdr[2] = (unsigned char)(len >> 8);
        hdr[3] = (unsigned char)len;
        h = 4;
    } else {
        hdr[1] = 127;
        for (int i = 0; i < 8; i++) hdr[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
        h = 10;
    }
    return send_all(fd, hdr, h) == 0 && send_all(fd, data, len) == 0 ? 0 : -1;
}

/* A channel message: one binary frame whose first byte is the channel. */
static int ws_channel(int fd, int channel, const char *data, size_t len)
{
    char *buf = malloc(len + 1);
    if (!buf) return -1;
    buf[0] = (char)channel;
    memcpy(buf + 1, data, len);
    int rc = ws_frame(fd, 2, buf, len + 1);
    free(buf);
    return rc;
}

typedef struct collected { char *body; size_t len; long exit_code; } collected;

static size_t on_body(char *p, size_t s, size_t n, void *ud)
{
    collected *c = ud;
    char *b = realloc(c->body, c->len + s * n + 1);
    if (!b) return 0;
    memcpy(b + c->len, p, s * n);
    c->body = b;
    c->len += s * n;
    b[c->len] = 0;
    return s * n;
}

static size_t on_header(char *p, size_t s, size_t n, void *ud)
{
    collected *c = ud;
    if (s * n > 12 && strncasecmp(p, "X-Exit-Code:", 12) == 0) c->exit_code = strtol(p + 12, NULL, 10);
    return s * n;
}

static void exec_run(void *cls, int fd)
{
    exec_job *j = cls;
    collected out = {.exit_code = -1};
    CURL *c = curl_easy_init();
    CURLcode rc = CURLE_FAILED_INIT;
    long code = 0;
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, j->url);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &out);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_cleanup(c);
    }
    json_t *status;
    if (rc != CURLE_OK || code != 200) {
        char msg[1200];
        snprintf(msg, sizeof msg, "error executing command %s: %s", j->cmdline,
                 rc != CURLE_OK ? curl_easy_strerror(rc) : out.body ? out.body : "kubelet error");
        status = json_pack("{s:{},s:s,s:s,s:s,s:i}", "metadata", "status", "Failure", "message", msg, "reason",
                           "InternalError", "code", 500);
    } else {
        if (j->want_stdout && out.len) ws_channel(fd, CH_STDOUT, out.body, out.len);
        if (out.exit_code == 0) {
            status = json_pack("{s:{},s:s}", "metadata", "status", "Success");
        } else {
            /* remotecommand's NonZeroExitCode Status (pkg/kubelet/cri/streaming/remotecommand) */
            char msg[1200], ec[16];
            snprintf(msg, sizeof msg, "command terminated with non-zero exit code: error executing command %s, exit code %ld",
                     j->cmdline, out.exit_code);
            snprintf(ec, sizeof ec, "%ld", out.exit_code);
            status = json_pack("{s:{},s:s,s:s,s:s,s:{s:[{s:s,s:s}]}}", "metadata", "status", "Failure", "message", msg,
                               "reason", "NonZeroExitCode", "details", "causes", "reason", "ExitCode", "message", ec);
        }
    }
    char *js = ck_json_dump(status);
    json_decref(status);
    if (js) ws_channel(fd, CH_ERROR, js, strlen(js));
    free(js);
    unsigned char bye[2] = {0x03, 0xe8}; /* 1000 normal closure */
    ws_frame(fd, 8, bye, 2);
    free(out.body);
}

static bool header_has(const ck_req *r, const char *name, const char *token)
{
    const char *v = r->header ? r->header(r, name) : NULL;
    return v && strcasestr(v, token);
}

/* First of our protocols the client offers, or NULL. */
static const char *pick_protocol(const ck_req *r)
{
    static const char *const ours[] = {"v5.channel.k8s.io", "v4.channel.k8s.io", NULL};
    const char *offered = r->header ? r->header(r, "Sec-WebSocket-Protocol") : NULL;
    for (int i = 0; offered && ours[i]; i++) {
        const char *p = strstr(offered, ours[i]);
        if (p && (p == offered || p[-1] == ' ' || p[-1] == ',')) return ours[i];
    }
    return NULL;
}

int ck_handler_exec(ck_handler *ctx)
{
    const ck_req *r = ctx->req;
    const char *key = r->header ? r->header(r, "Sec-WebSocket-Key") : NULL;
    if (!header_has(r, "Upgrade", "websocket") || !key) {
        ck_status_bad_request(&ctx->st, "Upgrade request required");
        return -1;
    }
    const char *proto = pick_protocol(r);
    if (!proto) {
        ck_status_bad_request(&ctx->st, "unable to upgrade: no supported Sec-WebSocket-Protocol (want v5.channel.k8s.io or v4.channel.k8s.io)");
        return -1;
    }
    const char *cmds[64];
    size_t ncmd = r->query_all ? r->query_all(r, "command", cmds, 64) : 0;
    if (!ncmd) {
        ck_status_bad_request(&ctx->st, "you must specify at least 1 command");
        return -1;
    }
    ck_cobj *pod = ck_handler_current(ctx);
    if (!pod) return -1;
    int rc = -1;
    exec_job *j = NULL;
    const char *node = ck_json_str(pod->obj, "spec.nodeName", "");
    const char *container = r->query(r, "container");
    if (!container || !*container)
        container = ck_json_str(json_array_get(ck_json_path(pod->obj, "spec.containers"), 0), "name", "");
    char base[512];
    if (!*node) {
        ck_status_bad_request(&ctx->st, "pod %s does not have a host assigned", ctx->ri->name);
        goto out;
    }
    if (ck_kubelet_url(ctx, node, base, sizeof base) < 0) goto out;
    j = calloc(1, sizeof *j);
    if (!j) { ck_status_internal(&ctx->st, "out of memory"); goto out; }
    size_t off = (size_t)snprintf(j->url, sizeof j->url, "%s/exec/%s/%s/%s", base, ctx->ri->ns, ctx->ri->name, container);
    size_t coff = (size_t)snprintf(j->cmdline, sizeof j->cmdline, "[");
    for (size_t i = 0; i < ncmd; i++) {
        char *esc = curl_easy_escape(NULL, cmds[i], 0);
        if (off < sizeof j->url)
            off += (size_t)snprintf(j->url + off, sizeof j->url - off, "%ccommand=%s", i ? '&' : '?', esc ? esc : "");
        curl_free(esc);
        if (coff < sizeof j->cmdline)
            coff += (size_t)snprintf(j->cmdline + coff, sizeof j->cmdline - coff, "%s%s", i ? " " : "", cmds[i]);
    }
    if (off >= sizeof j->url) {
        ck_status_bad_request(&ctx->st, "command too long: at most %zu bytes", sizeof j->url);
        goto out;
    }
    if (coff < sizeof j->cmdline) snprintf(j->cmdline + coff, sizeof j->cmdline - coff, "]");
    const char *so = r->query(r, "stdout");
    j->want_stdout = !so || strcmp(so, "false") != 0;
    /* RFC 6455 handshake: accept = base64(SHA-1(key + GUID)) */
    char cat[256];
    unsigned char digest[SHA_DIGEST_LENGTH];
    snprintf(cat, sizeof cat, "%s%s", key, WS_GUID);
    SHA1((const unsigned char *)cat, strlen(cat), digest);
    char *accept = ck_base64_encode(digest, sizeof digest, NULL);
    if (!accept) { ck_status_internal(&ctx->st, "out of memory"); goto out; }
    ck_resp_header(ctx->resp, "Upgrade", "websocket");
    ck_resp_header(ctx->resp, "Connection", "Upgrade");
    ck_resp_header(ctx->resp, "Sec-WebSocket-Accept", accept);
    ck_resp_header(ctx->resp, "Sec-WebSocket-Protocol", proto);
    free(accept);
    ctx->resp->code = 101;
    ctx->resp->upgrade = (ck_upgrade){.run = exec_run, .free = free, .cls = j};
    j = NULL;
    rc = 0;
out:
    free(j);
    ck_cobj_unref(pod);
    return rc;
}
