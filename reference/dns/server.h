/* server.h: the DNS server's sockets (CoreDNS's dns server block): UDP and
 * TCP on the same address and port, one poll loop for UDP and accepts, a
 * short-lived thread per TCP connection and per forwarded UDP query. */
#ifndef CK_DNS_SERVER_H
#define CK_DNS_SERVER_H
#include <signal.h>
#include <stdbool.h>
#include "dns/forward.h"
#include "dns/records.h"

/* Where queries find the record table: acquire returns a table valid until
 * the matching release(handle); both are called from any server thread. */
typedef struct ck_dns_source {
    const ck_dns_records *(*acquire)(void *ud, void **handle);
    void (*release)(void *ud, void *handle);
    void *ud;
} ck_dns_source;

typedef struct ck_dns_server_opts {
    const char *listen;             /* "0.0.0.0", "127.0.0.1", "::"... */
    int port;                       /* 0 = any free port (UDP and TCP alike) */
    const ck_dns_upstreams *upstreams; /* NULL or empty: out-of-zone is REFUSED */
    int forward_timeout_ms;         /* per upstream; 0 = 2000 */
    ck_dns_source source;
} ck_dns_server_opts;

typedef struct ck_dns_server ck_dns_server; /* opaque */

/* Binds UDP and TCP. opts (and what it points to) must outlive the server.
 * NULL with a message in err. */
ck_dns_server *ck_dns_server_new(const ck_dns_server_opts *opts, char *err, size_t errlen);
/* The bound port (useful with port 0). */
int ck_dns_server_port(const ck_dns_server *s);
/* Serves until *stop becomes non-zero (checked at least every 200 ms). */
int ck_dns_server_run(ck_dns_server *s, volatile sig_atomic_t *stop);
/* Closes the sockets, ends open TCP connections and waits for the threads. */
void ck_dns_server_free(ck_dns_server *s);
#endif
