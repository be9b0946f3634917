/* test_porter.c: `agnhost porter` against porter.go: which variables it
 * serves, Go's content sniffing of the value, --json-response's body, and
 * the HTTPS server (generated or file certificate) reached with libcurl. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "util/cktest.h"
#include "images/agnhost/porter.h"

static void test_parse_env(void)
{
    char port[32];
    const char *v = NULL;
    CU_ASSERT_EQUAL(ag_porter_parse_env("SERVE_PORT_80=<a href=\"/x?a=b\">t</a>", port, sizeof port, &v), AG_PORTER_TCP);
    CU_ASSERT_STRING_EQUAL(port, "80");
    CU_ASSERT_STRING_EQUAL(v, "<a href=\"/x?a=b\">t</a>"); /* everything after the first '=' */
    CU_ASSERT_EQUAL(ag_porter_parse_env("SERVE_TCP_PORT_1080=foo", port, sizeof port, &v), AG_PORTER_TCP);
    CU_ASSERT_STRING_EQUAL(port, "1080");
    CU_ASSERT_EQUAL(ag_porter_parse_env("SERVE_TLS_PORT_443=tls baz", port, sizeof port, &v), AG_PORTER_TLS);
    CU_ASSERT_STRING_EQUAL(port, "443");
    CU_ASSERT_STRING_EQUAL(v, "tls baz");
    CU_ASSERT_EQUAL(ag_porter_parse_env("SERVE_UDP_PORT_9=x", port, sizeof port, &v), AG_PORTER_UDP);
    CU_ASSERT_EQUAL(ag_porter_parse_env("SERVE_SCTP_PORT_9=x", port, sizeof port, &v), AG_PORTER_SCTP);
    CU_ASSERT_EQUAL(ag_porter_parse_env("SERVE_PORT_=", port, sizeof port, &v), AG_PORTER_TCP);
    CU_ASSERT_STRING_EQUAL(port, "");
    CU_ASSERT_STRING_EQUAL(v, "");
    CU_ASSERT_EQUAL(ag_porter_parse_env("XSERVE_PORT_80=a", port, sizeof port, &v), AG_PORTER_NONE);
    CU_ASSERT_EQUAL(ag_porter_parse_env("PATH=/bin", port, sizeof port, &v), AG_PORTER_NONE);
    CU_ASSERT_EQUAL(ag_porter_parse_env("SERVE_PORT", port, sizeof port, &v), AG_PORTER_NONE);
}

static void ctype_is(const char *body, const char *want)
{
    const char *got = ag_porter_content_type(body, strlen(body));
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want)) fprintf(stderr, "\n  [%s]: %s, want %s\n", body, got, want);
}

static void test_content_type(void)
{
    ctype_is("<a href=\"/rewriteme\">test</a>", "text/html; charset=utf-8"); /* what the proxy rewrites */
    ctype_is("  \n<HTML><body>x", "text/html; charset=utf-8");
    ctype_is("<p>", "text/html; charset=utf-8");
    ctype_is("<!-- c -->", "text/html; charset=utf-8");
    ctype_is("<abbr>", "text/plain; charset=utf-8"); /* "<A" must end the tag */
    ctype_is("<a", "text/plain; charset=utf-8");
    ctype_is("foo", "text/plain; charset=utf-8");
    ctype_is("tls baz", "text/plain; charset=utf-8");
    ctype_is("", "text/plain; charset=utf-8");
    ctype_is("<?xml version=\"1.0\"?>", "text/xml; charset=utf-8");
    ctype_is("a\x01" "b", "application/octet-stream");
}

static void test_respond(void)
{
    ag_http_resp rs = {0};
    ag_porter_respond("GET", "foo", 0, &rs);
    CU_ASSERT_EQUAL(rs.code, 200);
    CU_ASSERT_STRING_EQUAL(rs.body, "foo");
    CU_ASSERT_STRING_EQUAL(rs.ctype, "text/plain; charset=utf-8");
    free(rs.body);
    rs = (ag_http_resp){0};
    ag_porter_respond("PATCH", "foo", 1, &rs);
    CU_ASSERT_STRING_EQUAL(rs.body, "{\"Method\":\"PATCH\",\"Body\":\"foo\"}");
    CU_ASSERT_STRING_EQUAL(rs.ctype, "application/json");
    free(rs.body);
    rs = (ag_http_resp){0};
    ag_porter_respond("GET", "<a href=\"/x\">&</a>", 1, &rs); /* json.Marshal escapes HTML */
    CU_ASSERT_STRING_EQUAL(rs.body, "{\"Method\":\"GET\",\"Body\":\"\\u003ca href=\\\"/x\\\"\\u003e\\u0026\\u003c/a\\u003e\"}");
    free(rs.body);
}

/* ---- the HTTPS server, on an ephemeral port ---- */
typedef struct { char *data; size_t len; } buf;
static size_t collect(char *p, size_t s, size_t n, void *u)
{
    buf *b = u;
    char *d = realloc(b->data, b->len + s * n + 1);
    if (!d) return 0;
    memcpy(d + b->len, p, s * n);
    b->len += s * n;
    d[b->len] = 0;
    b->data = d;
    return s * n;
}

/* A request to https://127.0.0.1:port/path without verification (as the
 * apiserver proxy); the body (caller frees) or NULL; code and ctype out. */
static char *https(int port, const char *method, const char *body, long *code, char *ctype, size_t cl)
{
    CURL *c = curl_easy_init();
    char url[128];
    buf b = {0};
    snprintf(url, sizeof url, "https://127.0.0.1:%d/some/path", port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    *code = 0;
    CURLcode rc = curl_easy_perform(c);
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(ctype, cl, "%s", ct ? ct : "");
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        free(b.data);
        return NULL;
    }
    return b.data ? b.data : strdup("");
}

typedef struct { int fd; ag_porter_port p; } tls_server;
static void *serve(void *arg)
{
    tls_server *s = arg;
    ag_porter_serve_tls(s->fd, &s->p);
    return NULL;
}

/* Starts a server (detached, it runs until the test exits); its port. */
static int start(tls_server *s)
{
    char err[128];
    s->fd = ag_listen_tcp(0, err, sizeof err);
    CU_ASSERT_FATAL(s->fd >= 0);
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    getsockname(s->fd, (struct sockaddr *)&a, &l);
    pthread_t t;
    CU_ASSERT_FATAL(pthread_create(&t, NULL, serve, s) == 0);
    pthread_detach(t);
    return ntohs(a.sin_port);
}

static SSL_CTX *generated;

static void test_tls_generated(void)
{
    char err[256] = "";
    generated = ag_porter_tls_ctx("/nonexistent/localhost.crt", "/nonexistent/localhost.key", 1, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(generated);
    X509 *x = SSL_CTX_get0_certificate(generated);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
    CU_ASSERT_EQUAL(X509_check_ip_asc(x, "::1", 0), 1);
    CU_ASSERT_EQUAL(X509_check_host(x, "example.com", 0, 0, NULL), 1);
    static tls_server s = {.p = {.value = "tls baz"}};
    s.p.tls = generated;
    int port = start(&s);
    long code;
    char ct[128];
    char *got = https(port, "GET", NULL, &code, ct, sizeof ct);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_STRING_EQUAL(got ? got : "(error)", "tls baz");
    CU_ASSERT_STRING_EQUAL(ct, "text/plain; charset=utf-8");
    free(got);
    got = https(port, "HEAD", NULL, &code, ct, sizeof ct);
    CU_ASSERT_EQUAL(code, 200);
    free(got);
    /* plain HTTP to the TLS port: net/http's 400 */
    CURL *c = curl_easy_init();
    char url[64];
    buf b = {0};
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    CU_ASSERT_EQUAL(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    CU_ASSERT_EQUAL(code, 400);
    CU_ASSERT_STRING_EQUAL(b.data ? b.data : "", "Client sent an HTTP request to an HTTPS server.\n");
    free(b.data);
    curl_easy_cleanup(c);
}

static void test_tls_json_and_files(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(generated);
    char crt[] = "/tmp/porter-crt-XXXXXX", key[] = "/tmp/porter-key-XXXXXX", err[256] = "";
    int cf = mkstemp(crt), kf = mkstemp(key);
    FILE *c = fdopen(cf, "w"), *k = fdopen(kf, "w");
    CU_ASSERT_FATAL(c && k);
    PEM_write_X509(c, SSL_CTX_get0_certificate(generated));
    PEM_write_PrivateKey(k, SSL_CTX_get0_privatekey(generated), NULL, NULL, 0, NULL, NULL);
    fclose(c);
    fclose(k);
    /* existing files win over generation */
    SSL_CTX *ctx = ag_porter_tls_ctx(crt, key, 1, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    CU_ASSERT_EQUAL(X509_cmp(SSL_CTX_get0_certificate(ctx), SSL_CTX_get0_certificate(generated)), 0);
    static tls_server s = {.p = {.value = "foo", .json = 1}};
    s.p.tls = ctx;
    int port = start(&s);
    long code;
    char ct[128];
    char *got = https(port, "POST", "a body porter ignores", &code, ct, sizeof ct);
    CU_ASSERT_EQUAL(code, 200);
    CU_ASSERT_STRING_EQUAL(got ? got : "(error)", "{\"Method\":\"POST\",\"Body\":\"foo\"}");
    CU_ASSERT_STRING_EQUAL(ct, "application/json");
    free(got);
    /* CERT_FILE that does not exist, without generation: an error */
    unlink(crt);
    CU_ASSERT_PTR_NULL(ag_porter_tls_ctx(crt, key, 0, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, crt));
    unlink(key);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    static const ck_test tests[] = {
        {"parse env", test_parse_env}, {"content type", test_content_type}, {"respond", test_respond},
        {"tls generated cert", test_tls_generated}, {"tls json and cert files", test_tls_json_and_files},
        {NULL, NULL}};
    int rc = ck_test_main("porter", tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
