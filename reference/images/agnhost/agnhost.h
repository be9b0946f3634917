/* agnhost.h: ckube's stand-in for the e2e image registry.k8s.io/e2e-test-images/agnhost
 * (test/images/agnhost upstream): one static binary, one subcommand per file.
 * Shared here: the subcommands' entry points, cobra-like --flag parsing and a
 * small HTTP/1.1 server (libmicrohttpd cannot be linked -static on Debian:
 * its gnutls needs p11-kit/unistring, which ship no .a). */
#ifndef CK_AGNHOST_H
#define CK_AGNHOST_H
#include <stddef.h>

/* Subcommands: argv[0] is the subcommand's name. Return the exit code. */
int ag_netexec_main(int argc, char **argv);
int ag_grpc_health_main(int argc, char **argv);
int ag_pause_main(int argc, char **argv);
/* nc: a small netcat client (-u, -w), standing in for the netcat-openbsd
 * the upstream image ships; reached through a /bin/nc -> /agnhost link. */
int ag_nc_main(int argc, char **argv);

/* ---- flags (flags.c): --name=value or --name value, as cobra/pflag ---- */
typedef enum { AG_FLAG_INT, AG_FLAG_STR } ag_flag_type;
typedef struct ag_flag {
    const char *name;
    ag_flag_type type;
    void *ptr; /* int * or char ** (points into argv; never freed) */
} ag_flag;
/* Parses argv[1..] against flags (terminated by {NULL}). 0, or -1 with
 * pflag's message ("unknown flag: --x") in err. */
int ag_flags_parse(int argc, char **argv, const ag_flag *flags, char *err, size_t errlen);

/* ---- logging: Go's log.Printf format ("2006/01/02 15:04:05 msg") ---- */
void ag_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- HTTP/1.1 server (httpd.c): one thread per connection, Connection: close ---- */
typedef struct ag_http_req {
    char method[16];
    char path[1024];   /* without the query, not decoded */
    char query[4096];  /* after '?', not decoded */
    char peer[64];     /* "ip:port", Go's r.RemoteAddr */
} ag_http_req;
typedef struct ag_http_resp {
    int code;          /* 200 unless set */
    char *body;        /* owned by the response; freed by the server */
    size_t len;
    const char *ctype; /* "text/plain; charset=utf-8" unless set */
    char location[1024];
} ag_http_resp;
typedef void (*ag_http_handler)(const ag_http_req *rq, ag_http_resp *rs, void *arg);
/* Appends printf output to the body. */
void ag_resp_printf(ag_http_resp *rs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Go's http.Error: code, text/plain body "msg\n". */
void ag_resp_error(ag_http_resp *rs, int code, const char *msg);
/* Binds 0.0.0.0:port (SO_REUSEADDR) and listens. fd, or -1 with err. */
int ag_listen_tcp(int port, char *err, size_t errlen);
/* Serves fd forever (accept loop; one detached thread per connection). */
void ag_http_serve(int fd, ag_http_handler h, void *arg);
/* Parses one request head from buf (NUL-terminated). 0 or -1. */
int ag_http_parse(const char *buf, ag_http_req *rq);
/* The url-decoded value of key in a query string ("a=1&b=x%20y"); 1 when
 * present, 0 when absent (out = ""). */
int ag_query_get(const char *query, const char *key, char *out, size_t outlen);
/* Go's time.Duration.String for a number of seconds: "5s", "1m0s", "1.5s". */
void ag_go_duration(double seconds, char *out, size_t outlen);
#endif
