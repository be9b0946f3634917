/* netexec.h: the pieces of `agnhost netexec` the unit tests exercise. */
#ifndef CK_AGNHOST_NETEXEC_H
#define CK_AGNHOST_NETEXEC_H
#include <jansson.h>
#include <stddef.h>
#include "agnhost.h"

/* The UDP server's answer to msg ("hostname", "echo x", "clientip"), written
 * to out; its length (0: no answer). client is "ip:port". */
size_t ag_udp_reply(const char *msg, size_t n, const char *client, char *out, size_t outlen);
/* /dial: tries requests over protocol ("udp" or "http"/"") to host:port;
 * {"responses":[..],"errors":[..]} (caller decrefs), NULL for a bad host/port. */
json_t *ag_dial(const char *protocol, const char *request, const char *host, const char *port, int tries);
/* The netexec HTTP handler (routes table). */
void ag_netexec_route(const ag_http_req *rq, ag_http_resp *rs, void *arg);
#endif
