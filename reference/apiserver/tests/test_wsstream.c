/* test_wsstream.c: the apiserver's WebSocket pieces (handlers/wsstream.c):
 * protocol choice in the client's order as wsstream's handshake, the 101
 * answer with RFC 6455's accept key, and the server frames read back from
 * a socketpair (length encodings, channel prefix, base64 text, close). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "apiserver/handlers/wsstream.h"
#include "util/cktest.h"

typedef struct hdrs { const char *names[4], *values[4]; } hdrs;

static const char *fake_header(const ck_req *r, const char *name)
{
    const hdrs *h = r->impl;
    for (int i = 0; i < 4 && h->names[i]; i++)
        if (strcasecmp(h->names[i], name) == 0) return h->values[i];
    return NULL;
}

static ck_req req_with(hdrs *h) { return (ck_req){.method = "GET", .path = "/", .header = fake_header, .impl = h}; }

static const ck_ws_proto protos[] = {
    {"v4.channel.k8s.io", false, 4}, {"channel.k8s.io", false, 1}, {"base64.channel.k8s.io", true, 1},
    {"", false, 1}, {NULL, false, 0},
};
static const ck_ws_proto named_only[] = {{"binary.k8s.io", false, 0}, {NULL, false, 0}};

static void test_is_request(void)
{
    hdrs h = {{"Upgrade", "Sec-WebSocket-Key"}, {"WebSocket", "abc"}};
    ck_req r = req_with(&h);
    CU_ASSERT_TRUE(ck_ws_is_request(&r));
    hdrs nokey = {{"Upgrade"}, {"websocket"}};
    r = req_with(&nokey);
    CU_ASSERT_FALSE(ck_ws_is_request(&r));
    hdrs h2 = {{"Upgrade", "Sec-WebSocket-Key"}, {"h2c", "abc"}};
    r = req_with(&h2);
    CU_ASSERT_FALSE(ck_ws_is_request(&r));
}

static void test_pick_client_order(void)
{
    /* the client's first supported protocol wins, whatever the server's order */
    hdrs h = {{"Sec-WebSocket-Protocol"}, {"bogus, base64.channel.k8s.io,channel.k8s.io , v4.channel.k8s.io"}};
    ck_req r = req_with(&h);
    const ck_ws_proto *p = ck_ws_pick(&r, protos);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(p->name, "base64.channel.k8s.io");
    /* whole tokens only: "channel.k8s.io" is not inside "xchannel.k8s.io" */
    hdrs sub = {{"Sec-WebSocket-Protocol"}, {"xchannel.k8s.io, v4.channel.k8s.iox"}};
    r = req_with(&sub);
    CU_ASSERT_PTR_NULL(ck_ws_pick(&r, protos));
    /* no header: the "" protocol when served, else none */
    hdrs none = {{NULL}, {NULL}};
    r = req_with(&none);
    p = ck_ws_pick(&r, protos);
    CU_ASSERT(p && !strcmp(p->name, ""));
    CU_ASSERT_PTR_NULL(ck_ws_pick(&r, named_only));
    char names[128];
    ck_ws_names(protos, names, sizeof names);
    CU_ASSERT_STRING_EQUAL(names, "v4.channel.k8s.io, channel.k8s.io, base64.channel.k8s.io");
}

static const char *resp_header(ck_resp *resp, const char *name)
{
    size_t i;
    json_t *h;
    if (json_is_object(resp->headers)) return json_string_value(json_object_get(resp->headers, name));
    json_array_foreach(resp->headers, i, h)
        if (!strcasecmp(json_string_value(json_array_get(h, 0)), name)) return json_string_value(json_array_get(h, 1));
    return NULL;
}

static void test_answer(void)
{
    hdrs h = {{"Upgrade", "Sec-WebSocket-Key"}, {"websocket", "dGhlIHNhbXBsZSBub25jZQ=="}};
    ck_req r = req_with(&h);
    ck_resp resp = {0};
    ck_handler ctx = {.req = &r, .resp = &resp};
    CU_ASSERT_EQUAL_FATAL(ck_ws_answer(&ctx, &protos[1]), 0);
    CU_ASSERT_EQUAL(resp.code, 101);
    CU_ASSERT_STRING_EQUAL(resp_header(&resp, "Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); /* RFC 6455 1.3 */
    CU_ASSERT_STRING_EQUAL(resp_header(&resp, "Upgrade"), "websocket");
    CU_ASSERT_STRING_EQUAL(resp_header(&resp, "Connection"), "Upgrade");
    CU_ASSERT_STRING_EQUAL(resp_header(&resp, "Sec-WebSocket-Protocol"), "channel.k8s.io");
    ck_resp_free(&resp);
    ck_resp none = {0};
    ctx.resp = &none;
    CU_ASSERT_EQUAL(ck_ws_answer(&ctx, &protos[3]), 0);
    CU_ASSERT_PTR_NULL(resp_header(&none, "Sec-WebSocket-Protocol"));
    ck_resp_free(&none);
}

/* Reads one frame from fd: opcode (with FIN checked), payload into buf. */
static long read_frame(int fd, int *opcode, unsigned char *buf, size_t cap)
{
    unsigned char h[10];
    if (read(fd, h, 2) != 2) return -1;
    if (!(h[0] & 0x80) || (h[1] & 0x80)) return -2; /* FIN set, server frames unmasked */
    *opcode = h[0] & 0x0f;
    size_t len = h[1] & 0x7f, ext = len == 126 ? 2 : len == 127 ? 8 : 0;
    if (ext) {
        if (read(fd, h + 2, ext) != (ssize_t)ext) return -1;
        len = 0;
        for (size_t i = 0; i < ext; i++) len = len << 8 | h[2 + i];
    }
    if (len > cap) return -3;
    for (size_t got = 0; got < len;) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0) return -1;
        got += (size_t)n;
    }
    return (long)len;
}

static void test_frames(void)
{
    int sv[2];
    CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    static unsigned char big[70000], got[70000];
    memset(big, 'z', sizeof big);
    static const size_t sizes[] = {0, 125, 126, 65535, 65536, 70000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int op = -1;
        /* the writer may block on a full socket buffer: a small child process writes */
        pid_t pid = fork();
        if (pid == 0) _exit(ck_ws_data(sv[0], false, big, sizes[i]) == 0 ? 0 : 1);
        long n = read_frame(sv[1], &op, got, sizeof got);
        CU_ASSERT_EQUAL(n, (long)sizes[i]);
        CU_ASSERT_EQUAL(op, 2);
        int status = 0;
        waitpid(pid, &status, 0);
    }
    int op;
    CU_ASSERT_EQUAL(ck_ws_channel(sv[0], &protos[1], 1, "hi", 2), 0);
    CU_ASSERT_EQUAL(read_frame(sv[1], &op, got, sizeof got), 3);
    CU_ASSERT(op == 2 && !memcmp(got, "\x01hi", 3));
    CU_ASSERT_EQUAL(ck_ws_channel(sv[0], &protos[2], 3, "hi\n", 3), 0); /* base64.channel.k8s.io */
    CU_ASSERT_EQUAL(read_frame(sv[1], &op, got, sizeof got), 5);
    CU_ASSERT(op == 1 && !memcmp(got, "3aGkK", 5));
    CU_ASSERT_EQUAL(ck_ws_data(sv[0], true, "one\n", 4), 0); /* base64.binary.k8s.io */
    CU_ASSERT_EQUAL(read_frame(sv[1], &op, got, sizeof got), 8);
    CU_ASSERT(op == 1 && !memcmp(got, "b25lCg==", 8));
    char reason[200];
    memset(reason, 'r', sizeof reason - 1);
    reason[sizeof reason - 1] = 0;
    CU_ASSERT_EQUAL(ck_ws_close(sv[0], 1011, reason), 0);
    CU_ASSERT_EQUAL(read_frame(sv[1], &op, got, sizeof got), 125); /* control frames stop at 125 */
    CU_ASSERT(op == 8 && got[0] == 0x03 && got[1] == 0xf3 && got[2] == 'r');
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    static const ck_test tests[] = {
        {"upgrade requests are recognised", test_is_request},
        {"protocol choice follows the client's order", test_pick_client_order},
        {"101 answer with the accept key", test_answer},
        {"server frames", test_frames},
        {NULL, NULL},
    };
    return ck_test_main("apiserver wsstream", tests, NULL, NULL);
}
