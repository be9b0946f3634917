/* test_probe_grpc.c: the kubelet's gRPC prober (probe_grpc.c) against
 * pkg/probe/grpc/grpc.go's results and messages, talking to the agnhost
 * binary's grpc-health-checking server ($(BUILD)/bin/agnhost, built by `all`). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <curl/curl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/cktest.h"
#include "kubelet/probe_grpc.h"

static pid_t server = -1;
static int grpc_port, http_port;

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

static int connectable(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* <dir of this test>/../../bin/agnhost */
static int agnhost_path(char *out, size_t n)
{
    char self[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
    if (l <= 0) return -1;
    self[l] = 0;
    *strrchr(self, '/') = 0;
    snprintf(out, n, "%s/../../bin/agnhost", self);
    return access(out, X_OK);
}

static int start_server(void)
{
    char bin[PATH_MAX + 32], a1[32], a2[32];
    if (agnhost_path(bin, sizeof bin) < 0) return fprintf(stderr, "agnhost binary missing: %s\n", bin), -1;
    grpc_port = free_port(), http_port = free_port();
    snprintf(a1, sizeof a1, "--port=%d", grpc_port);
    snprintf(a2, sizeof a2, "--http-port=%d", http_port);
    server = fork();
    if (server == 0) {
        freopen("/dev/null", "w", stderr);
        execl(bin, "agnhost", "grpc-health-checking", a1, a2, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && !connectable(grpc_port); i++) usleep(20000);
    return connectable(grpc_port) ? 0 : -1;
}

static int stop_server(void)
{
    if (server > 0) kill(server, SIGKILL), waitpid(server, NULL, 0);
    return 0;
}

static void test_serving(void)
{
    char msg[512];
    CU_ASSERT_EQUAL(ck_probe_grpc("127.0.0.1", grpc_port, NULL, 5, msg, sizeof msg), 0);
    CU_ASSERT_STRING_EQUAL(msg, "service healthy");
    CU_ASSERT_EQUAL(ck_probe_grpc("127.0.0.1", grpc_port, "", 5, msg, sizeof msg), 0);
}

static void test_unknown_service(void)
{
    char msg[512];
    CU_ASSERT_EQUAL(ck_probe_grpc("127.0.0.1", grpc_port, "other", 5, msg, sizeof msg), -1);
    CU_ASSERT_STRING_EQUAL(msg, "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service");
}

static void test_wrong_port(void)
{
    char msg[512], want[200];
    int port = free_port(); /* nobody listens: the container's "this port is wrong" */
    CU_ASSERT_EQUAL(ck_probe_grpc("127.0.0.1", port, NULL, 5, msg, sizeof msg), -1);
    snprintf(want, sizeof want, "timeout: failed to connect service \"127.0.0.1:%d\" within 5s: context deadline exceeded", port);
    CU_ASSERT_STRING_EQUAL(msg, want);
}

static size_t sink(char *p, size_t s, size_t n, void *u) { return s * n; }

static void test_not_serving(void)
{
    char url[64], msg[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/make-not-serving", http_port);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    CU_ASSERT_EQUAL(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);
    CU_ASSERT_EQUAL(ck_probe_grpc("127.0.0.1", grpc_port, NULL, 5, msg, sizeof msg), -1);
    CU_ASSERT_STRING_EQUAL(msg, "service unhealthy (responded with \"NOT_SERVING\")");
}

static void test_not_grpc(void)
{
    char msg[512];
    /* the control port speaks HTTP/1.1 only: the h2 preface gets no gRPC answer */
    CU_ASSERT_EQUAL(ck_probe_grpc("127.0.0.1", http_port, NULL, 2, msg, sizeof msg), -1);
    CU_ASSERT(strncmp(msg, "error: ", 7) == 0 || strncmp(msg, "timeout: ", 9) == 0);
}

static void test_framing(void)
{
    const unsigned char serving[] = {0, 0, 0, 0, 2, 0x08, 1}, empty[] = {0, 0, 0, 0, 0}, bad[] = {0, 0, 0, 0, 9};
    CU_ASSERT_EQUAL(ck_grpc_health_status(serving, sizeof serving), 1);
    CU_ASSERT_EQUAL(ck_grpc_health_status(empty, sizeof empty), 0); /* proto3 default: UNKNOWN */
    CU_ASSERT_EQUAL(ck_grpc_health_status(bad, sizeof bad), -1);
    CU_ASSERT_STRING_EQUAL(ck_grpc_serving_status_name(2), "NOT_SERVING");
    CU_ASSERT_STRING_EQUAL(ck_grpc_code_name(12), "Unimplemented");
    CU_ASSERT_STRING_EQUAL(ck_grpc_code_name(5), "NotFound");
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    signal(SIGPIPE, SIG_IGN);
    static const ck_test tests[] = {
        {"framing", test_framing},           {"serving", test_serving},
        {"unknown service", test_unknown_service}, {"wrong port", test_wrong_port},
        {"not serving", test_not_serving},   {"not grpc", test_not_grpc},
        {NULL, NULL}};
    int rc = ck_test_main("probe_grpc", tests, start_server, stop_server);
    curl_global_cleanup();
    return rc;
}
