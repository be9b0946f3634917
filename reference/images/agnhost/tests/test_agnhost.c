/* test_agnhost.c: agnhost's pieces against upstream agnhost behaviour:
 * pflag-style flags, query decoding, the netexec UDP protocol and /dial
 * JSON, the gRPC health message framing, Go duration strings. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "util/cktest.h"
#include "images/agnhost/agnhost.h"
#include "images/agnhost/grpc_health.h"
#include "images/agnhost/netexec.h"

static void test_flags(void)
{
    int port = 5000, http = 8080;
    char *svc = "";
    const ag_flag flags[] = {{"port", AG_FLAG_INT, &port}, {"http-port", AG_FLAG_INT, &http},
                             {"service", AG_FLAG_STR, &svc}, {NULL, 0, NULL}};
    char *argv[] = {"x", "--port=2333", "--service", "foo", "--http-port", "81", NULL}, err[128];
    CU_ASSERT_EQUAL(ag_flags_parse(6, argv, flags, err, sizeof err), 0);
    CU_ASSERT_EQUAL(port, 2333);
    CU_ASSERT_EQUAL(http, 81);
    CU_ASSERT_STRING_EQUAL(svc, "foo");
    char *bad[] = {"x", "--nope=1", NULL};
    CU_ASSERT_EQUAL(ag_flags_parse(2, bad, flags, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "unknown flag: --nope");
    char *nan[] = {"x", "--port=abc", NULL};
    CU_ASSERT_EQUAL(ag_flags_parse(2, nan, flags, err, sizeof err), -1);
    char *missing[] = {"x", "--port", NULL};
    CU_ASSERT_EQUAL(ag_flags_parse(2, missing, flags, err, sizeof err), -1);
}

static void test_query_and_request_line(void)
{
    char v[64];
    CU_ASSERT_EQUAL(ag_query_get("request=echo%20hi&protocol=udp&host=1.2.3.4", "request", v, sizeof v), 1);
    CU_ASSERT_STRING_EQUAL(v, "echo hi");
    CU_ASSERT_EQUAL(ag_query_get("request=echo%20hi&protocol=udp", "protocol", v, sizeof v), 1);
    CU_ASSERT_STRING_EQUAL(v, "udp");
    CU_ASSERT_EQUAL(ag_query_get("xhost=1&b=2", "host", v, sizeof v), 0);
    CU_ASSERT_STRING_EQUAL(v, "");
    ag_http_req rq;
    CU_ASSERT_EQUAL(ag_http_parse("GET /dial?request=hostname HTTP/1.1\r\nHost: x\r\n\r\n", &rq), 0);
    CU_ASSERT_STRING_EQUAL(rq.method, "GET");
    CU_ASSERT_STRING_EQUAL(rq.path, "/dial");
    CU_ASSERT_STRING_EQUAL(rq.query, "request=hostname");
    CU_ASSERT_EQUAL(ag_http_parse("garbage\r\n\r\n", &rq), -1);
}

static void test_udp_reply(void)
{
    char out[256], host[256];
    gethostname(host, sizeof host);
    size_t n = ag_udp_reply("hostName\n", 9, "1.2.3.4:5", out, sizeof out); /* trimmed, case-insensitive */
    CU_ASSERT_EQUAL(n, strlen(host));
    CU_ASSERT_STRING_EQUAL(out, host);
    n = ag_udp_reply("echo hello", 10, "1.2.3.4:5", out, sizeof out);
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_STRING_EQUAL(out, "hello");
    n = ag_udp_reply("clientip", 8, "1.2.3.4:5", out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "1.2.3.4:5");
    CU_ASSERT_EQUAL(ag_udp_reply("bogus", 5, "c", out, sizeof out), 0);
}

/* A one-shot netexec UDP server on an ephemeral port. */
static int udp_fd;
static void *udp_once(void *p)
{
    char buf[256], out[256];
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(udp_fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    if (n > 0) {
        size_t m = ag_udp_reply(buf, (size_t)n, "c", out, sizeof out);
        sendto(udp_fd, out, m, 0, (struct sockaddr *)&from, fl);
    }
    return NULL;
}

static void test_dial_udp(void)
{
    udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    CU_ASSERT_FATAL(bind(udp_fd, (struct sockaddr *)&a, sizeof a) == 0);
    getsockname(udp_fd, (struct sockaddr *)&a, &l);
    char port[16];
    snprintf(port, sizeof port, "%d", ntohs(a.sin_port));
    pthread_t t;
    pthread_create(&t, NULL, udp_once, NULL);
    json_t *r = ag_dial("udp", "echo x", "127.0.0.1", port, 1); /* /dial's request, query-decoded */
    pthread_join(t, NULL);
    const char *got = json_string_value(json_array_get(json_object_get(r, "responses"), 0));
    CU_ASSERT_STRING_EQUAL(got ? got : "(none)", "x");
    CU_ASSERT_PTR_NULL(json_object_get(r, "errors"));
    json_decref(r);
    close(udp_fd);
    /* nobody listens any more: an error, no responses */
    r = ag_dial("udp", "hostname", "127.0.0.1", port, 1);
    CU_ASSERT_PTR_NULL(json_object_get(r, "responses"));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(r, "errors")), 1);
    json_decref(r);
    CU_ASSERT_PTR_NULL(ag_dial("udp", "hostname", "not-an-ip", port, 1));
    CU_ASSERT_PTR_NULL(ag_dial("udp", "hostname", "127.0.0.1", "99999", 1));
}

static void test_grpc_messages(void)
{
    /* HealthCheckRequest{service:"foo"}: 0a 03 'f' 'o' 'o' */
    const uint8_t req[] = {0, 0, 0, 0, 5, 0x0a, 3, 'f', 'o', 'o'};
    char svc[32];
    CU_ASSERT_EQUAL(ag_grpc_parse_request(req, sizeof req, svc, sizeof svc), 0);
    CU_ASSERT_STRING_EQUAL(svc, "foo");
    const uint8_t empty[] = {0, 0, 0, 0, 0};
    CU_ASSERT_EQUAL(ag_grpc_parse_request(empty, sizeof empty, svc, sizeof svc), 0);
    CU_ASSERT_STRING_EQUAL(svc, "");
    const uint8_t bad_len[] = {0, 0, 0, 0, 9, 0x0a};
    CU_ASSERT_EQUAL(ag_grpc_parse_request(bad_len, sizeof bad_len, svc, sizeof svc), -1);
    uint8_t out[8];
    CU_ASSERT_EQUAL(ag_grpc_encode_response(AG_GRPC_SERVING, out), 7);
    CU_ASSERT_EQUAL(memcmp(out, "\0\0\0\0\2\x08\x01", 7), 0);
    CU_ASSERT_EQUAL(ag_grpc_encode_response(AG_GRPC_NOT_SERVING, out), 7);
    CU_ASSERT_EQUAL(out[6], 2);
}

static void test_go_duration(void)
{
    char d[32];
    ag_go_duration(5, d, sizeof d);
    CU_ASSERT_STRING_EQUAL(d, "5s");
    ag_go_duration(60, d, sizeof d);
    CU_ASSERT_STRING_EQUAL(d, "1m0s");
    ag_go_duration(1.5, d, sizeof d);
    CU_ASSERT_STRING_EQUAL(d, "1.5s");
    ag_go_duration(3725, d, sizeof d);
    CU_ASSERT_STRING_EQUAL(d, "1h2m5s");
}

int main(void)
{
    static const ck_test tests[] = {
        {"flags", test_flags},         {"query and request line", test_query_and_request_line},
        {"udp reply", test_udp_reply}, {"dial udp", test_dial_udp},
        {"grpc messages", test_grpc_messages}, {"go duration", test_go_duration},
        {NULL, NULL}};
    return ck_test_main("agnhost", tests, NULL, NULL);
}
