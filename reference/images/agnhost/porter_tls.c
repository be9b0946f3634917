/* porter_tls.c: porter's HTTPS servers (serveTLSPort in porter.go): the
 * certificate (files, or a generated self-signed one standing in for the
 * image's localhost.crt) and an OpenSSL accept loop, one thread per
 * connection, answering through ag_porter_respond. */
#define _GNU_SOURCE
#include "porter.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static void ssl_error(char *err, size_t errlen, const char *what)
{
    char e[200] = "";
    unsigned long code = ERR_get_error();
    if (code) ERR_error_string_n(code, e, sizeof e);
    snprintf(err, errlen, "%s%s%s", what, *e ? ": " : "", e);
    ERR_clear_error();
}

static int add_ext(X509 *x, int nid, const char *value)
{
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
    int ok = ext && X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

/* Go's generate_cert.go --rsa-bits 2048 --host 127.0.0.1,::1,example.com
 * --ca --start-date "Jan 1 00:00:00 1970" --duration=1000000h. */
static int self_signed(SSL_CTX *ctx, char *err, size_t errlen)
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    X509 *x = X509_new();
    X509_NAME *name = x ? X509_get_subject_name(x) : NULL;
    int rc = -1;
    if (!key || !x || !name || !X509_set_version(x, 2) || !ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL)) ||
        !ASN1_TIME_set_string(X509_getm_notBefore(x), "700101000000Z") ||
        !ASN1_TIME_set_string(X509_getm_notAfter(x), "20840129160000Z") || !X509_set_pubkey(x, key) ||
        !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"Acme Co", -1, -1, 0) ||
        !X509_set_issuer_name(x, name) || add_ext(x, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
        add_ext(x, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign") < 0 ||
        add_ext(x, NID_ext_key_usage, "serverAuth") < 0 ||
        add_ext(x, NID_subject_alt_name, "DNS:example.com,IP:127.0.0.1,IP:::1") < 0 || !X509_sign(x, key, EVP_sha256()) ||
        SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1)
        ssl_error(err, errlen, "cannot generate a self-signed certificate");
    else rc = 0;
    X509_free(x);
    EVP_PKEY_free(key);
    return rc;
}

SSL_CTX *ag_porter_tls_ctx(const char *cert_file, const char *key_file, int generate, char *err, size_t errlen)
{
    OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL); /* the image has no openssl.cnf */
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        ssl_error(err, errlen, "SSL_CTX_new");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION); /* Go's server default */
    struct stat st;
    if (generate && (stat(cert_file, &st) != 0 || stat(key_file, &st) != 0)) {
        if (self_signed(ctx, err, errlen) == 0) return ctx;
    } else if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        char what[300];
        snprintf(what, sizeof what, "open %.200s", cert_file);
        ssl_error(err, errlen, what);
    } else if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        ssl_error(err, errlen, "tls: cannot load the key pair");
    } else {
        return ctx;
    }
    SSL_CTX_free(ctx);
    return NULL;
}

/* Reads until the end of the request head (and the Content-Length body,
 * which porter ignores but must consume before closing). */
static int read_request(SSL *ssl, char *buf, size_t cap)
{
    size_t n = 0;
    char *end = NULL;
    while (n + 1 < cap && !(end = strstr(buf, "\r\n\r\n"))) {
        int r = SSL_read(ssl, buf + n, (int)(cap - 1 - n));
        if (r <= 0) return -1;
        n += (size_t)r;
        buf[n] = 0;
    }
    if (!end) return -1;
    long body = 0;
    for (const char *h = strchr(buf, '\n'); h && h < end; h = strchr(h + 1, '\n'))
        if (!strncasecmp(h + 1, "Content-Length:", 15)) body = strtol(h + 16, NULL, 10);
    long have = (long)(buf + n - (end + 4));
    char sink[4096];
    while (have < body) {
        int r = SSL_read(ssl, sink, (int)(body - have < (long)sizeof sink ? body - have : (long)sizeof sink));
        if (r <= 0) break;
        have += r;
    }
    return 0;
}

static void write_all(SSL *ssl, const char *p, size_t n)
{
    while (n) {
        int w = SSL_write(ssl, p, (int)n);
        if (w <= 0) return;
        p += w, n -= (size_t)w;
    }
}

typedef struct tls_conn { int fd; const ag_porter_port *p; } tls_conn;

/* net/http's answer when a TLS port's first record looks like plain HTTP
 * (tlsRecordHeaderLooksLikeHTTP in server.go). 1 when it answered. */
static int plain_http_guard(int fd)
{
    static const char *const starts[] = {"GET /", "HEAD ", "POST ", "PUT /", "OPTIO", NULL};
    static const char reply[] = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";
    char hdr[5];
    if (recv(fd, hdr, sizeof hdr, MSG_PEEK | MSG_WAITALL) != (ssize_t)sizeof hdr) return 0;
    for (const char *const *s = starts; *s; s++)
        if (memcmp(hdr, *s, sizeof hdr) == 0) {
            /* consume the request before closing, so the peer reads the
             * answer instead of a reset */
            char sink[4096];
            struct timeval tv = {1, 0};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            if (write(fd, reply, sizeof reply - 1) >= 0) shutdown(fd, SHUT_WR);
            while (recv(fd, sink, sizeof sink, 0) > 0) {}
            return 1;
        }
    return 0;
}

static void *serve_conn(void *arg)
{
    tls_conn *c = arg;
    struct timeval tv = {30, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (plain_http_guard(c->fd)) {
        close(c->fd);
        free(c);
        return NULL;
    }
    SSL *ssl = SSL_new(c->p->tls);
    char buf[16384] = "";
    if (ssl && SSL_set_fd(ssl, c->fd) == 1 && SSL_accept(ssl) == 1 && read_request(ssl, buf, sizeof buf) == 0) {
        ag_http_req rq = {0};
        ag_http_resp rs = {.code = 200};
        if (ag_http_parse(buf, &rq) < 0) ag_resp_error(&rs, 400, "400 Bad Request");
        else ag_porter_respond(rq.method, c->p->value, c->p->json, &rs);
        char head[512];
        int hl = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                          "Connection: close\r\n\r\n", rs.code, rs.code == 200 ? "OK" : rs.code == 400 ? "Bad Request"
                          : "Internal Server Error", rs.ctype ? rs.ctype : "text/plain; charset=utf-8", rs.len);
        write_all(ssl, head, (size_t)hl);
        if (strcmp(rq.method, "HEAD") != 0 && rs.body) write_all(ssl, rs.body, rs.len);
        SSL_shutdown(ssl);
        free(rs.body);
    }
    ERR_clear_error();
    SSL_free(ssl);
    close(c->fd);
    free(c);
    return NULL;
}

void ag_porter_serve_tls(int fd, const ag_porter_port *p)
{
    for (;;) {
        tls_conn *c = calloc(1, sizeof *c);
        if (!c) { sleep(1); continue; }
        c->fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        if (c->fd < 0) { free(c); if (errno != EINTR) usleep(100000); continue; }
        c->p = p;
        pthread_t t;
        if (pthread_create(&t, NULL, serve_conn, c) != 0) serve_conn(c);
        else pthread_detach(t);
    }
}
