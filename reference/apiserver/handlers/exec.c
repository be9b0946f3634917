/* exec.c: pods/exec over WebSocket, the way kubectl 1.30+ asks for it
 * (k8s.io/apimachinery/pkg/util/remotecommand, channel protocols v5/v4 and
 * the older channel.k8s.io / base64 ones): the upgrade (wsstream.c),
 * then the command runs through the node's kubelet (/exec) and its output
 * comes back as binary frames on the stdout channel (1), the exit status as
 * a metav1.Status on the error channel (3), then a close frame.
 * Not streamed: stdin is not forwarded and output arrives when the command
 * ends, which suits `kubectl exec pod -- cmd`, not interactive shells. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/handlers/wsstream.h"
#include "util/ckjson.h"

enum { CH_STDOUT = 1, CH_STDERR = 2, CH_ERROR = 3 };

typedef struct exec_job {
    char url[4096];
    char cmdline[1024]; /* for the Status message: [a b c] */
    bool want_stdout;
    const ck_ws_proto *proto;
} exec_job;

/* remotecommand's protocols (kubelet's cri/streaming/remotecommand/websocket.go):
 * before v4 the error channel carries a failure's message as text and
 * nothing on success; from v4 on it carries the metav1.Status as JSON. */
static const ck_ws_proto exec_protocols[] = {
    {"v5.channel.k8s.io", false, 5}, {"v4.channel.k8s.io", false, 4}, {"v4.base64.channel.k8s.io", true, 4},
    {"channel.k8s.io", false, 1},   {"base64.channel.k8s.io", true, 1}, {"", false, 1},
    {NULL, false, 0},
};

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
        if (j->want_stdout && out.len) ck_ws_channel(fd, j->proto, CH_STDOUT, out.body, out.len);
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
    if (j->proto->version >= 4) {
        char *js = ck_json_dump(status);
        if (js) ck_ws_channel(fd, j->proto, CH_ERROR, js, strlen(js));
        free(js);
    } else if (strcmp(ck_json_str(status, "status", ""), "Success") != 0) {
        const char *msg = ck_json_str(status, "message", "");
        ck_ws_channel(fd, j->proto, CH_ERROR, msg, strlen(msg));
    }
    json_decref(status);
    ck_ws_close(fd, 1000, NULL);
    free(out.body);
}

int ck_handler_exec(ck_handler *ctx)
{
    const ck_req *r = ctx->req;
    if (!ck_ws_is_request(r)) {
        ck_status_bad_request(&ctx->st, "Upgrade request required");
        return -1;
    }
    const ck_ws_proto *proto = ck_ws_pick(r, exec_protocols);
    if (!proto) {
        char names[256];
        ck_ws_names(exec_protocols, names, sizeof names);
        ck_status_bad_request(&ctx->st, "unable to upgrade: requested protocol(s) are not supported; supports [%s]", names);
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
    j->proto = proto;
    if (ck_ws_answer(ctx, proto) < 0) goto out;
    ctx->resp->upgrade = (ck_upgrade){.run = exec_run, .free = free, .cls = j};
    j = NULL;
    rc = 0;
out:
    free(j);
    ck_cobj_unref(pod);
    return rc;
}
