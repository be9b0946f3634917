/* porter.h: `agnhost porter` (test/images/agnhost/porter/porter.go): serves
 * the value of every SERVE_{PORT,TCP_PORT,UDP_PORT,TLS_PORT}_<n> variable on
 * port n; the pieces the unit tests exercise are declared here. */
#ifndef CK_AGNHOST_PORTER_H
#define CK_AGNHOST_PORTER_H
#include <openssl/ssl.h>
#include <stddef.h>
#include "agnhost.h"

typedef enum {
    AG_PORTER_NONE, /* not a porter variable */
    AG_PORTER_TCP,  /* SERVE_PORT_n, SERVE_TCP_PORT_n: HTTP */
    AG_PORTER_UDP,  /* SERVE_UDP_PORT_n: the value for every datagram */
    AG_PORTER_TLS,  /* SERVE_TLS_PORT_n: HTTPS */
    AG_PORTER_SCTP, /* SERVE_SCTP_PORT_n: not served by ckube's build */
} ag_porter_kind;

/* One environ entry "KEY=value": its kind, the port text after the prefix
 * (borrowed into port, NUL-terminated copy) and value (points into kv). */
ag_porter_kind ag_porter_parse_env(const char *kv, char *port, size_t portlen, const char **value);

/* Go's http.DetectContentType for the first 512 bytes of body (the HTML,
 * XML, BOM and text signatures; anything else application/octet-stream).
 * Returns a static string. */
const char *ag_porter_content_type(const char *body, size_t len);

/* What porter answers for value: the value itself with its sniffed type, or
 * with json Go's json.Marshal of {"Method": method, "Body": value}
 * (application/json, <>& escaped as \u003c \u003e \u0026). Fills rs. */
void ag_porter_respond(const char *method, const char *value, int json, ag_http_resp *rs);

/* The TLS context: cert/key files when they exist; when generate and either
 * default file is missing, a self-signed RSA-2048 cert in memory standing in
 * for the upstream image's localhost.crt (SAN 127.0.0.1, ::1, example.com,
 * valid 1970-2084, as porter/README.md). NULL + err on failure; caller
 * frees with SSL_CTX_free. */
SSL_CTX *ag_porter_tls_ctx(const char *cert_file, const char *key_file, int generate, char *err, size_t errlen);

/* Serves HTTPS on the listening fd forever (one detached thread per
 * connection, Connection: close): every request gets ag_porter_respond. */
typedef struct ag_porter_port {
    const char *value; /* borrowed; outlives the server */
    int json;
    SSL_CTX *tls;      /* borrowed */
} ag_porter_port;
void ag_porter_serve_tls(int fd, const ag_porter_port *p);

int ag_porter_main(int argc, char **argv);
#endif
