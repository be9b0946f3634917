/* wsstream.c: the server half of RFC 6455 for the connect subresources:
 * protocol choice as k8s.io/apimachinery/pkg/util/wsstream's handshake
 * (client order), the Sec-WebSocket-Accept answer, and unmasked server
 * frames: plain, base64 text, and channel-prefixed (channel.k8s.io). */
#define _GNU_SOURCE
#include "apiserver/handlers/wsstream.h"
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include "store/base64.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

static const char *hdr(const ck_req *r, const char *name) { return r->header ? r->header(r, name) : NULL; }

bool ck_ws_is_request(const ck_req *r)
{
    const char *up = hdr(r, "Upgrade");
    return up && strcasestr(up, "websocket") && hdr(r, "Sec-WebSocket-Key");
}

static const ck_ws_proto *find(const ck_ws_proto *allowed, const char *name, size_t n)
{
    for (const ck_ws_proto *p = allowed; p->name; p++)
        if (strlen(p->name) == n && strncmp(p->name, name, n) == 0) return p;
    return NULL;
}

const ck_ws_proto *ck_ws_pick(const ck_req *r, const ck_ws_proto *allowed)
{
    const char *offered = hdr(r, "Sec-WebSocket-Protocol");
    if (!offered || !*offered) return find(allowed, "", 0);
    for (const char *s = offered; *s;) {
        s += strspn(s, " \t,");
        size_t n = strcspn(s, ",");
        size_t m = n;
        while (m && (s[m - 1] == ' ' || s[m - 1] == '\t')) m--;
        const ck_ws_proto *p = m ? find(allowed, s, m) : NULL;
        if (p) return p;
        s += n;
    }
    return NULL;
}

void ck_ws_names(const ck_ws_proto *allowed, char *out, size_t n)
{
    size_t off = 0;
    out[0] = 0;
    for (const ck_ws_proto *p = allowed; p->name && off < n; p++)
        if (*p->name) off += (size_t)snprintf(out + off, n - off, "%s%s", off ? ", " : "", p->name);
}

int ck_ws_answer(ck_handler *ctx, const ck_ws_proto *p)
{
    const char *key = hdr(ctx->req, "Sec-WebSocket-Key");
    char cat[256];
    unsigned char digest[SHA_DIGEST_LENGTH];
    snprintf(cat, sizeof cat, "%s%s", key ? key : "", WS_GUID); /* accept = base64(SHA-1(key + GUID)) */
    SHA1((const unsigned char *)cat, strlen(cat), digest);
    char *accept = ck_base64_encode(digest, sizeof digest, NULL);
    if (!accept) {
        ck_status_internal(&ctx->st, "out of memory");
        return -1;
    }
    ck_resp_header(ctx->resp, "Upgrade", "websocket");
    ck_resp_header(ctx->resp, "Connection", "Upgrade");
    ck_resp_header(ctx->resp, "Sec-WebSocket-Accept", accept);
    if (*p->name) ck_resp_header(ctx->resp, "Sec-WebSocket-Protocol", p->name);
    free(accept);
    ctx->resp->code = 101;
    return 0;
}

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

int ck_ws_frame(int fd, int opcode, const void *data, size_t len)
{
    unsigned char h[10];
    size_t hl = 2;
    h[0] = (unsigned char)(0x80 | opcode);
    if (len < 126) {
        h[1] = (unsigned char)len;
    } else if (len < 65536) {
        h[1] = 126;
        h[2] = (unsigned char)(len >> 8);
        h[3] = (unsigned char)len;
        hl = 4;
    } else {
        h[1] = 127;
        for (int i = 0; i < 8; i++) h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
        hl = 10;
    }
    return send_all(fd, h, hl) == 0 && send_all(fd, data, len) == 0 ? 0 : -1;
}

/* prefix (0 or 1 byte) + data, base64'd after the prefix when asked. */
static int framed(int fd, bool base64, const char *prefix, size_t pl, const void *data, size_t len)
{
    size_t body = base64 ? (len + 2) / 3 * 4 : len;
    char *buf = malloc(pl + body + 1);
    if (!buf) return -1;
    memcpy(buf, prefix, pl);
    if (base64) ck_base64_encode_to(buf + pl, data, len);
    else memcpy(buf + pl, data, len);
    int rc = ck_ws_frame(fd, base64 ? 1 : 2, buf, pl + body);
    free(buf);
    return rc;
}

int ck_ws_data(int fd, bool base64, const void *data, size_t len) { return framed(fd, base64, "", 0, data, len); }

int ck_ws_channel(int fd, const ck_ws_proto *p, int channel, const void *data, size_t len)
{
    char c = (char)(p->base64 ? '0' + channel : channel);
    return framed(fd, p->base64, &c, 1, data, len);
}

int ck_ws_close(int fd, int code, const char *reason)
{
    unsigned char buf[125];
    size_t rl = reason ? strlen(reason) : 0;
    if (rl > sizeof buf - 2) rl = sizeof buf - 2;
    buf[0] = (unsigned char)(code >> 8);
    buf[1] = (unsigned char)code;
    if (rl) memcpy(buf + 2, reason, rl);
    return ck_ws_frame(fd, 8, buf, 2 + rl);
}
