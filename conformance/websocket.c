/* websocket.c: the harness's RFC 6455 client. libcurl (CURLOPT_CONNECT_ONLY)
 * opens the TCP/TLS connection with the kubeconfig's credentials; the
 * upgrade request, the answer's checks and the framing (masked client
 * frames, fragments, ping/pong, close) are written here because Debian's
 * libcurl 7.88 is built without its experimental "ws" support. */
#define _GNU_SOURCE
#include "websocket.h"
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define WS_MAX_MESSAGE (64u << 20) /* refuse messages above 64 MiB */

struct ckc_ws {
    CURL *c;
    unsigned char *rb; size_t rlen, rcap; /* bytes received, not yet consumed */
    int closed;                           /* a close frame was received or sent */
    char protocol[128];
};

static void seterr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t n, const char *fmt, ...)
{
    if (!err || !n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

void ckc_ws_accept_for(const char *key, char out[29])
{
    unsigned char digest[SHA_DIGEST_LENGTH];
    size_t kl = strlen(key), gl = strlen(WS_GUID);
    char cat[256];
    if (kl + gl >= sizeof cat) kl = sizeof cat - gl - 1;
    memcpy(cat, key, kl);
    memcpy(cat + kl, WS_GUID, gl + 1);
    SHA1((const unsigned char *)cat, kl + gl, digest);
    EVP_EncodeBlock((unsigned char *)out, digest, SHA_DIGEST_LENGTH); /* 28 chars + NUL */
}

/* Waits until the socket is readable (dir 0) or writable (dir 1), or the deadline. */
static int wait_sock(ckc_ws *ws, int dir, double deadline)
{
    curl_socket_t s = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(ws->c, CURLINFO_ACTIVESOCKET, &s) != CURLE_OK || s == CURL_SOCKET_BAD) return -1;
    double left = deadline - ckc_now();
    if (left <= 0) return 0;
    struct pollfd p = {.fd = s, .events = dir ? POLLOUT : POLLIN};
    int ms = left > 1.0 ? 1000 : (int)(left * 1000) + 1;
    return poll(&p, 1, ms) < 0 ? -1 : 1;
}

static int send_raw(ckc_ws *ws, const void *data, size_t len, double deadline)
{
    const char *p = data;
    while (len) {
        size_t n = 0;
        CURLcode rc = curl_easy_send(ws->c, p, len, &n);
        if (rc == CURLE_AGAIN) {
            if (wait_sock(ws, 1, deadline) < 0 || ckc_now() > deadline) return -1;
            continue;
        }
        if (rc != CURLE_OK) return -1;
        p += n;
        len -= n;
    }
    return 0;
}

/* Reads more bytes into ws->rb. 1 got some, 0 end of stream, -1 error, -2 timeout. */
static int fill(ckc_ws *ws, double deadline)
{
    for (;;) {
        if (ws->rcap - ws->rlen < 16384) {
            size_t cap = ws->rcap ? ws->rcap * 2 : 32768;
            unsigned char *nb = realloc(ws->rb, cap);
            if (!nb) return -1;
            ws->rb = nb;
            ws->rcap = cap;
        }
        size_t n = 0;
        /* curl first: TLS may hold decrypted bytes the socket no longer shows */
        CURLcode rc = curl_easy_recv(ws->c, ws->rb + ws->rlen, ws->rcap - ws->rlen - 1, &n);
        if (rc == CURLE_OK) {
            if (n == 0) return 0;
            ws->rlen += n;
            ws->rb[ws->rlen] = 0;
            return 1;
        }
        if (rc != CURLE_AGAIN) return -1;
        if (ckc_now() > deadline) return -2;
        if (wait_sock(ws, 0, deadline) < 0) return -1;
    }
}

static int need(ckc_ws *ws, size_t n, double deadline)
{
    while (ws->rlen < n) {
        int rc = fill(ws, deadline);
        if (rc <= 0) return rc == 0 ? 0 : rc;
    }
    return 1;
}

static void consume(ckc_ws *ws, size_t n)
{
    memmove(ws->rb, ws->rb + n, ws->rlen - n);
    ws->rlen -= n;
}

/* The value of header name in the head block (CRLF lines), copied to out. */
static int header_value(const char *head, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *l = strstr(head, "\r\n"); l && l[2]; l = strstr(l + 2, "\r\n")) {
        const char *s = l + 2;
        if (strncasecmp(s, name, nl) || s[nl] != ':') continue;
        s += nl + 1;
        s += strspn(s, " \t");
        size_t len = strcspn(s, "\r");
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
        snprintf(out, n, "%.*s", (int)len, s);
        return 1;
    }
    return 0;
}

static int write_request(ckc_ws *ws, ckc_run *run, const char *path, const char *const *protocols,
                         char *key, double deadline)
{
    const char *srv = run->kc.server, *hs = strstr(srv, "://");
    hs = hs ? hs + 3 : srv;
    size_t hl = strcspn(hs, "/");
    const char *prefix = hs + hl; /* a server URL may carry a path */
    size_t pl = strlen(prefix);
    while (pl && prefix[pl - 1] == '/') pl--;
    unsigned char nonce[16];
    if (RAND_bytes(nonce, sizeof nonce) != 1) return -1;
    EVP_EncodeBlock((unsigned char *)key, nonce, sizeof nonce); /* 24 chars */
    char proto[1024] = "";
    size_t off = 0;
    for (int i = 0; protocols && protocols[i] && off < sizeof proto; i++)
        off += (size_t)snprintf(proto + off, sizeof proto - off, "%s%s", i ? ", " : "", protocols[i]);
    char *req = NULL;
    int n = asprintf(&req,
                     "GET %.*s%s HTTP/1.1\r\nHost: %.*s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s%s%s%s%s%s"
                     "User-Agent: ckube-conformance/1\r\n\r\n",
                     (int)pl, prefix, path, (int)hl, hs, key, *proto ? "Sec-WebSocket-Protocol: " : "", proto,
                     *proto ? "\r\n" : "", run->kc.token ? "Authorization: Bearer " : "",
                     run->kc.token ? run->kc.token : "", run->kc.token ? "\r\n" : "");
    if (n < 0) return -1;
    int rc = send_raw(ws, req, (size_t)n, deadline);
    free(req);
    return rc;
}

/* Reads the answer's head; on a non-101 answer also its body (Content-Length). */
static int read_answer(ckc_ws *ws, const char *const *protocols, const char *key, double deadline, long *code,
                       char *err, size_t errlen)
{
    char *end;
    while (!(ws->rb && (end = strstr((char *)ws->rb, "\r\n\r\n")))) {
        if (ws->rlen > 65536) { seterr(err, errlen, "answer head too long"); return -1; }
        int rc = fill(ws, deadline);
        if (rc <= 0) {
            seterr(err, errlen, rc == -2 ? "timed out waiting for the upgrade answer" : "connection closed before the upgrade answer");
            return -1;
        }
    }
    size_t headlen = (size_t)(end - (char *)ws->rb) + 4;
    char *head = strndup((char *)ws->rb, headlen - 2); /* keep the last CRLF for header_value */
    if (!head) return -1;
    consume(ws, headlen);
    int minor = 0, rc = -1;
    char v[256];
    if (sscanf(head, "HTTP/1.%d %ld", &minor, code) != 2) {
        seterr(err, errlen, "not an HTTP answer: %.80s", head);
    } else if (*code != 101) {
        size_t want = header_value(head, "Content-Length", v, sizeof v) ? strtoul(v, NULL, 10) : 0;
        if (want > 65536) want = 65536;
        while (ws->rlen < want && fill(ws, deadline) > 0) {}
        seterr(err, errlen, "HTTP %ld instead of 101 Switching Protocols: %.*s", *code,
               (int)(ws->rlen < want ? ws->rlen : want), ws->rb ? (char *)ws->rb : "");
    } else if (!header_value(head, "Upgrade", v, sizeof v) || strcasecmp(v, "websocket")) {
        seterr(err, errlen, "101 without Upgrade: websocket");
    } else if (!header_value(head, "Connection", v, sizeof v) || !strcasestr(v, "upgrade")) {
        seterr(err, errlen, "101 without Connection: Upgrade");
    } else {
        char want[29];
        ckc_ws_accept_for(key, want);
        if (!header_value(head, "Sec-WebSocket-Accept", v, sizeof v) || strcmp(v, want)) {
            seterr(err, errlen, "Sec-WebSocket-Accept is \"%s\", want \"%s\"", v, want);
        } else {
            rc = 0;
            /* golang.org/x/net/websocket: a named protocol must be one offered */
            if (header_value(head, "Sec-WebSocket-Protocol", ws->protocol, sizeof ws->protocol) && *ws->protocol) {
                int ok = 0;
                for (int i = 0; protocols && protocols[i]; i++) ok |= !strcmp(protocols[i], ws->protocol);
                if (!ok) {
                    seterr(err, errlen, "the server chose protocol \"%s\", which was not offered", ws->protocol);
                    rc = -1;
                }
            }
        }
    }
    free(head);
    return rc;
}

ckc_ws *ckc_ws_open(ckc_run *run, const char *path, const char *const *protocols, double timeout_s,
                    long *http_code, char *err, size_t errlen)
{
    long code = 0;
    if (http_code) *http_code = 0;
    ckc_ws *ws = calloc(1, sizeof *ws);
    if (!ws || !(ws->c = curl_easy_init())) {
        seterr(err, errlen, "out of memory");
        free(ws);
        return NULL;
    }
    double deadline = ckc_now() + timeout_s;
    char url[4096], key[32];
    size_t sl = strlen(run->kc.server);
    while (sl && run->kc.server[sl - 1] == '/') sl--;
    snprintf(url, sizeof url, "%.*s/", (int)sl, run->kc.server);
    curl_easy_setopt(ws->c, CURLOPT_URL, url);
    curl_easy_setopt(ws->c, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(ws->c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(ws->c, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_s * 1000) + 1);
    ckc_curl_tls(ws->c, &run->kc);
    CURLcode rc = curl_easy_perform(ws->c);
    if (rc != CURLE_OK) {
        seterr(err, errlen, "connect: %s", curl_easy_strerror(rc));
    } else if (write_request(ws, run, path, protocols, key, deadline) < 0) {
        seterr(err, errlen, "could not send the upgrade request");
    } else if (read_answer(ws, protocols, key, deadline, &code, err, errlen) == 0) {
        if (http_code) *http_code = code;
        return ws;
    }
    if (http_code) *http_code = code;
    curl_easy_cleanup(ws->c);
    free(ws->rb);
    free(ws);
    return NULL;
}

const char *ckc_ws_protocol(const ckc_ws *ws) { return ws->protocol; }

int ckc_ws_send(ckc_ws *ws, int opcode, const void *data, size_t len)
{
    unsigned char hdr[14];
    size_t h = 2;
    hdr[0] = (unsigned char)(0x80 | (opcode & 0x0f));
    if (len < 126) {
        hdr[1] = (unsigned char)(0x80 | len);
    } else if (len < 65536) {
        hdr[1] = 0x80 | 126;
        hdr[2] = (unsigned char)(len >> 8);
        hdr[3] = (unsigned char)len;
        h = 4;
    } else {
        hdr[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++) hdr[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
        h = 10;
    }
    /* RFC 6455 5.3: every client frame is masked with a fresh random key */
    unsigned char *mask = hdr + h;
    if (RAND_bytes(mask, 4) != 1) return -1;
    h += 4;
    unsigned char *buf = malloc(h + len);
    if (!buf) return -1;
    memcpy(buf, hdr, h);
    const unsigned char *d = data;
    for (size_t i = 0; i < len; i++) buf[h + i] = d[i] ^ mask[i & 3];
    int rc = send_raw(ws, buf, h + len, ckc_now() + 10);
    free(buf);
    if (rc == 0 && opcode == CKC_WS_CLOSE) ws->closed = 1;
    return rc;
}

typedef struct frame { int fin, opcode; size_t len; const unsigned char *payload; } frame;

/* Parses one frame at the head of the buffer (payload stays in ws->rb
 * until consume(ws, *used)). 1 ok, 0 end of stream, -1 error (err set). */
static int next_frame(ckc_ws *ws, double deadline, frame *f, size_t *used, char *err, size_t errlen)
{
    int rc = need(ws, 2, deadline);
    if (rc <= 0) goto io;
    unsigned char b0 = ws->rb[0], b1 = ws->rb[1];
    if (b0 & 0x70) { seterr(err, errlen, "frame with reserved bits set (0x%02x)", b0); return -1; }
    if (b1 & 0x80) { seterr(err, errlen, "server frames must not be masked (RFC 6455 5.1)"); return -1; }
    f->fin = b0 >> 7;
    f->opcode = b0 & 0x0f;
    uint64_t len = b1 & 0x7f;
    size_t h = 2;
    if (len >= 126) {
        h = len == 126 ? 4 : 10;
        if ((rc = need(ws, h, deadline)) <= 0) goto io;
        len = 0;
        for (size_t i = 2; i < h; i++) len = len << 8 | ws->rb[i];
    }
    if (len > WS_MAX_MESSAGE) { seterr(err, errlen, "frame of %llu bytes is too large", (unsigned long long)len); return -1; }
    if (f->opcode >= 8 && (!f->fin || len > 125)) {
        seterr(err, errlen, "control frame 0x%x fragmented or over 125 bytes", f->opcode);
        return -1;
    }
    if ((rc = need(ws, h + (size_t)len, deadline)) <= 0) goto io;
    f->len = (size_t)len;
    f->payload = ws->rb + h;
    *used = h + (size_t)len;
    return 1;
io:
    if (rc == 0) return 0;
    seterr(err, errlen, rc == -2 ? "timed out waiting for a message" : "receive failed");
    return -1;
}

/* Answers a control frame. 1 keep reading, 0 the server closed. */
static int control(ckc_ws *ws, const frame *f)
{
    if (f->opcode == CKC_WS_PING) {
        unsigned char copy[125];
        memcpy(copy, f->payload, f->len);
        ckc_ws_send(ws, CKC_WS_PONG, copy, f->len);
        return 1;
    }
    if (f->opcode == CKC_WS_CLOSE) {
        /* echo the status code back (RFC 6455 5.5.1) */
        unsigned char code[2] = {0x03, 0xe8};
        if (f->len >= 2) memcpy(code, f->payload, 2);
        if (!ws->closed) ckc_ws_send(ws, CKC_WS_CLOSE, code, 2);
        ws->closed = 1;
        return 0;
    }
    return 1; /* pong */
}

int ckc_ws_recv(ckc_ws *ws, double timeout_s, int *opcode, unsigned char **data, size_t *len, char *err,
                size_t errlen)
{
    double deadline = ckc_now() + timeout_s;
    unsigned char *msg = NULL;
    size_t mlen = 0;
    int mop = -1; /* opcode of the message being assembled, -1 none */
    *data = NULL;
    *len = 0;
    for (;;) {
        frame f;
        size_t used = 0;
        int rc = next_frame(ws, deadline, &f, &used, err, errlen);
        if (rc <= 0) {
            free(msg);
            if (rc == 0 && mop >= 0) { seterr(err, errlen, "stream ended inside a fragmented message"); return -1; }
            return rc;
        }
        if (f.opcode >= 8) {
            int more = control(ws, &f);
            consume(ws, used);
            if (!more) { free(msg); return 0; }
            continue;
        }
        if (f.opcode != CKC_WS_CONT && f.opcode != CKC_WS_TEXT && f.opcode != CKC_WS_BINARY) {
            seterr(err, errlen, "unknown opcode 0x%x", f.opcode);
            free(msg);
            return -1;
        }
        if ((f.opcode == CKC_WS_CONT) != (mop >= 0)) {
            seterr(err, errlen, mop >= 0 ? "new data frame inside a fragmented message" : "continuation frame without a message");
            free(msg);
            return -1;
        }
        if (mop < 0) mop = f.opcode;
        if (mlen + f.len > WS_MAX_MESSAGE) { seterr(err, errlen, "message too large"); free(msg); return -1; }
        unsigned char *nm = realloc(msg, mlen + f.len + 1);
        if (!nm) { free(msg); seterr(err, errlen, "out of memory"); return -1; }
        msg = nm;
        memcpy(msg + mlen, f.payload, f.len);
        mlen += f.len;
        msg[mlen] = 0;
        consume(ws, used);
        if (f.fin) {
            *opcode = mop;
            *data = msg;
            *len = mlen;
            return 1;
        }
    }
}

void ckc_ws_close(ckc_ws *ws)
{
    if (!ws) return;
    if (!ws->closed) {
        unsigned char code[2] = {0x03, 0xe8}; /* 1000 normal closure */
        ckc_ws_send(ws, CKC_WS_CLOSE, code, 2);
    }
    curl_easy_cleanup(ws->c);
    free(ws->rb);
    free(ws);
}
