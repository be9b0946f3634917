/* test_websocket.c: the harness's WebSocket client (websocket.c) against a
 * scripted fake server on 127.0.0.1: the upgrade handshake and its checks,
 * masked client frames, fragmented messages, ping -> pong, close, and the
 * refusals (wrong accept, unoffered protocol, non-101, masked server frame). */
#define _GNU_SOURCE
#include "../harness.h"
#include "../websocket.h"
#include <CUnit/Basic.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- the fake server: one connection, one script ---- */
typedef enum { ANSWER_OK, ANSWER_BAD_ACCEPT, ANSWER_OTHER_PROTOCOL, ANSWER_403 } answer;
typedef struct fake {
    int lfd, port;
    answer how;
    const unsigned char *frames; size_t frames_len; /* sent after the 101 */
    int read_client;                                /* read client frames until its close */
    char request[4096];                             /* the upgrade request received */
    unsigned char got[4096]; size_t got_len;        /* unmasked client payloads, concatenated */
    int got_ops[16]; int n_ops;
    int all_masked;
    pthread_t th;
} fake;

static int read_exact(int fd, void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static void read_client_frames(fake *f, int fd)
{
    f->all_masked = 1;
    for (;;) {
        unsigned char h[2], mask[4];
        if (read_exact(fd, h, 2)) return;
        size_t len = h[1] & 0x7f;
        if (len == 126) {
            unsigned char e[2];
            if (read_exact(fd, e, 2)) return;
            len = (size_t)e[0] << 8 | e[1];
        }
        if (!(h[1] & 0x80)) f->all_masked = 0;
        if ((h[1] & 0x80) && read_exact(fd, mask, 4)) return;
        unsigned char body[1024];
        if (len > sizeof body || read_exact(fd, body, len)) return;
        for (size_t i = 0; i < len && (h[1] & 0x80); i++) body[i] ^= mask[i & 3];
        if (f->n_ops < 16) f->got_ops[f->n_ops++] = h[0] & 0x0f;
        if (f->got_len + len <= sizeof f->got) memcpy(f->got + f->got_len, body, len), f->got_len += len;
        if ((h[0] & 0x0f) == CKC_WS_CLOSE) return;
    }
}

static void *serve(void *arg)
{
    fake *f = arg;
    int fd = accept(f->lfd, NULL, NULL);
    if (fd < 0) return NULL;
    size_t n = 0;
    while (n < sizeof f->request - 1 && !strstr(f->request, "\r\n\r\n")) {
        ssize_t r = read(fd, f->request + n, sizeof f->request - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
        f->request[n] = 0;
    }
    char key[64] = "", accept_v[29];
    const char *k = strcasestr(f->request, "\r\nSec-WebSocket-Key: ");
    if (k) sscanf(k + 21, "%63[^\r]", key);
    ckc_ws_accept_for(key, accept_v);
    char resp[512];
    if (f->how == ANSWER_403) {
        const char *body = "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}";
        snprintf(resp, sizeof resp, "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                 strlen(body), body);
    } else {
        snprintf(resp, sizeof resp,
                 "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: %s\r\n\r\n",
                 f->how == ANSWER_BAD_ACCEPT ? "dGhlIHNhbXBsZSBub25jZQ==" : accept_v,
                 f->how == ANSWER_OTHER_PROTOCOL ? "v5.channel.k8s.io" : "channel.k8s.io");
    }
    if (write(fd, resp, strlen(resp)) < 0) goto out;
    if (f->frames_len && write(fd, f->frames, f->frames_len) < 0) goto out;
    if (f->read_client) read_client_frames(f, fd);
out:
    close(fd);
    return NULL;
}

static void fake_start(fake *f, answer how, const unsigned char *frames, size_t len, int read_client)
{
    memset(f, 0, sizeof *f);
    f->how = how;
    f->frames = frames;
    f->frames_len = len;
    f->read_client = read_client;
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    CU_ASSERT_FATAL(bind(f->lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(f->lfd, 1) == 0);
    getsockname(f->lfd, (struct sockaddr *)&a, &al);
    f->port = ntohs(a.sin_port);
    pthread_create(&f->th, NULL, serve, f);
}

static void fake_stop(fake *f)
{
    pthread_join(f->th, NULL);
    close(f->lfd);
}

static ckc_ws *open_fake(fake *f, ckc_run *run, char *server, long *code, char *err, size_t errlen)
{
    static const char *const protos[] = {"channel.k8s.io", "base64.channel.k8s.io", NULL};
    memset(run, 0, sizeof *run);
    snprintf(server, 64, "http://127.0.0.1:%d/prefix/", f->port);
    run->kc.server = server;
    run->kc.token = "tok3n";
    return ckc_ws_open(run, "/api/v1/x?command=a%20b", protos, 5, code, err, errlen);
}

/* ---- tests ---- */
static void test_accept_rfc_example(void)
{
    char out[29];
    ckc_ws_accept_for("dGhlIHNhbXBsZSBub25jZQ==", out); /* RFC 6455 section 1.3 */
    CU_ASSERT_STRING_EQUAL(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void test_handshake_and_messages(void)
{
    /* binary "\x01hi" in one frame; a text message in three fragments with a
     * ping between them; an empty binary frame; then close 1000. */
    static const unsigned char frames[] = {
        0x82, 0x03, 0x01, 'h', 'i',
        0x01, 0x02, 'a', 'b',
        0x89, 0x02, 'p', '1',
        0x00, 0x01, 'c',
        0x80, 0x02, 'd', 'e',
        0x82, 0x00,
        0x88, 0x02, 0x03, 0xe8,
    };
    fake f;
    fake_start(&f, ANSWER_OK, frames, sizeof frames, 1);
    ckc_run run;
    char server[64], err[256] = "";
    long code = -1;
    ckc_ws *ws = open_fake(&f, &run, server, &code, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
    CU_ASSERT_EQUAL(code, 101);
    CU_ASSERT_STRING_EQUAL(ckc_ws_protocol(ws), "channel.k8s.io");
    int op;
    unsigned char *d;
    size_t len;
    CU_ASSERT_EQUAL(ckc_ws_recv(ws, 5, &op, &d, &len, err, sizeof err), 1);
    CU_ASSERT(op == CKC_WS_BINARY && len == 3 && !memcmp(d, "\x01hi", 3));
    free(d);
    CU_ASSERT_EQUAL(ckc_ws_recv(ws, 5, &op, &d, &len, err, sizeof err), 1);
    CU_ASSERT(op == CKC_WS_TEXT && len == 5 && !strcmp((char *)d, "abcde"));
    free(d);
    CU_ASSERT_EQUAL(ckc_ws_recv(ws, 5, &op, &d, &len, err, sizeof err), 1);
    CU_ASSERT(op == CKC_WS_BINARY && len == 0);
    free(d);
    CU_ASSERT_EQUAL(ckc_ws_recv(ws, 5, &op, &d, &len, err, sizeof err), 0); /* close = EOF */
    ckc_ws_close(ws);
    fake_stop(&f);
    /* the request: path under the server's prefix, headers of RFC 6455 4.1 */
    CU_ASSERT_PTR_NOT_NULL(strstr(f.request, "GET /prefix/api/v1/x?command=a%20b HTTP/1.1\r\n"));
    char host[64];
    snprintf(host, sizeof host, "\r\nHost: 127.0.0.1:%d\r\n", f.port);
    CU_ASSERT_PTR_NOT_NULL(strstr(f.request, host));
    CU_ASSERT_PTR_NOT_NULL(strcasestr(f.request, "\r\nUpgrade: websocket\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strcasestr(f.request, "\r\nSec-WebSocket-Version: 13\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(f.request, "\r\nSec-WebSocket-Protocol: channel.k8s.io, base64.channel.k8s.io\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(f.request, "\r\nAuthorization: Bearer tok3n\r\n"));
    /* the client answered the ping with a pong carrying its payload, then echoed the close */
    CU_ASSERT_EQUAL(f.n_ops, 2);
    CU_ASSERT_EQUAL(f.got_ops[0], CKC_WS_PONG);
    CU_ASSERT_EQUAL(f.got_ops[1], CKC_WS_CLOSE);
    CU_ASSERT(f.got_len == 4 && !memcmp(f.got, "p1\x03\xe8", 4));
    CU_ASSERT_EQUAL(f.all_masked, 1);
}

static void test_client_send_masked(void)
{
    fake f;
    fake_start(&f, ANSWER_OK, NULL, 0, 1);
    ckc_run run;
    char server[64], err[256] = "";
    ckc_ws *ws = open_fake(&f, &run, server, NULL, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
    char big[300];
    memset(big, 'x', sizeof big); /* a 16-bit length */
    CU_ASSERT_EQUAL(ckc_ws_send(ws, CKC_WS_BINARY, "\x00stdin", 6), 0);
    CU_ASSERT_EQUAL(ckc_ws_send(ws, CKC_WS_TEXT, big, sizeof big), 0);
    ckc_ws_close(ws); /* sends close 1000 */
    fake_stop(&f);
    CU_ASSERT_EQUAL(f.n_ops, 3);
    CU_ASSERT_EQUAL(f.all_masked, 1);
    CU_ASSERT(f.got_len == 6 + 300 + 2 && !memcmp(f.got, "\x00stdin", 6) && f.got[6] == 'x' && f.got[305] == 'x');
    CU_ASSERT(f.got_ops[2] == CKC_WS_CLOSE && f.got[306] == 0x03 && f.got[307] == 0xe8);
}

static void expect_refused(answer how, const char *want_err, long want_code)
{
    fake f;
    fake_start(&f, how, NULL, 0, 0);
    ckc_run run;
    char server[64], err[256] = "";
    long code = -1;
    ckc_ws *ws = open_fake(&f, &run, server, &code, err, sizeof err);
    CU_ASSERT_PTR_NULL(ws);
    ckc_ws_close(ws);
    fake_stop(&f);
    CU_ASSERT_EQUAL(code, want_code);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want_err));
    if (!strstr(err, want_err)) fprintf(stderr, "\n  err: %s\n", err);
}

static void test_refusals(void)
{
    expect_refused(ANSWER_BAD_ACCEPT, "Sec-WebSocket-Accept", 101);
    expect_refused(ANSWER_OTHER_PROTOCOL, "not offered", 101);
    expect_refused(ANSWER_403, "HTTP 403 instead of 101 Switching Protocols: {\"kind\":\"Status\"", 403);
}

static void recv_error(const unsigned char *frames, size_t n, const char *want)
{
    fake f;
    fake_start(&f, ANSWER_OK, frames, n, 0);
    ckc_run run;
    char server[64], err[256] = "";
    ckc_ws *ws = open_fake(&f, &run, server, NULL, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
    int op;
    unsigned char *d = NULL;
    size_t len;
    CU_ASSERT_EQUAL(ckc_ws_recv(ws, 2, &op, &d, &len, err, sizeof err), -1);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    if (!strstr(err, want)) fprintf(stderr, "\n  err: %s\n", err);
    ckc_ws_close(ws);
    fake_stop(&f);
}

static void test_protocol_errors(void)
{
    static const unsigned char masked[] = {0x82, 0x81, 1, 2, 3, 4, 'x'};
    static const unsigned char cont[] = {0x80, 0x01, 'x'};
    static const unsigned char interleaved[] = {0x01, 0x01, 'a', 0x82, 0x01, 'b'};
    static const unsigned char long_ping[] = {0x89, 0x7e, 0x00, 0x80};
    static const unsigned char cut[] = {0x01, 0x01, 'a'}; /* then the server hangs up */
    recv_error(masked, sizeof masked, "must not be masked");
    recv_error(cont, sizeof cont, "continuation frame without a message");
    recv_error(interleaved, sizeof interleaved, "inside a fragmented message");
    recv_error(long_ping, sizeof long_ping, "control frame");
    recv_error(cut, sizeof cut, "stream ended inside a fragmented message");
}

static void test_timeout(void)
{
    fake f;
    fake_start(&f, ANSWER_OK, NULL, 0, 1); /* says nothing, waits for our close */
    ckc_run run;
    char server[64], err[256] = "";
    ckc_ws *ws = open_fake(&f, &run, server, NULL, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ws);
    int op;
    unsigned char *d;
    size_t len;
    double t0 = ckc_now();
    CU_ASSERT_EQUAL(ckc_ws_recv(ws, 0.3, &op, &d, &len, err, sizeof err), -1);
    CU_ASSERT(ckc_now() - t0 >= 0.29 && ckc_now() - t0 < 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "timed out"));
    ckc_ws_close(ws);
    fake_stop(&f);
}

int main(void)
{
    static const struct { const char *name; CU_TestFunc fn; } tests[] = {
        {"accept key of RFC 6455's example", test_accept_rfc_example},
        {"handshake, fragments, ping/pong, close", test_handshake_and_messages},
        {"client frames are masked", test_client_send_masked},
        {"bad accept, unoffered protocol, non-101 refused", test_refusals},
        {"protocol errors", test_protocol_errors},
        {"recv times out", test_timeout},
    };
    if (CU_initialize_registry() != CUE_SUCCESS) return 2;
    CU_pSuite s = CU_add_suite("harness websocket client", NULL, NULL);
    for (size_t i = 0; s && i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn)) s = NULL;
    if (!s) { CU_cleanup_registry(); return 2; }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
