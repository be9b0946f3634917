/* handler.h: one DNS query in, one response out (CoreDNS's ServeDNS for the
 * kubernetes plugin): header checks, the table lookup, SOA on negative
 * answers, EDNS payload size and truncation. No sockets here. */
#ifndef CK_DNS_HANDLER_H
#define CK_DNS_HANDLER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dns/records.h"

typedef enum {
    CK_DNS_REPLY,   /* out holds the response */
    CK_DNS_FORWARD, /* not ours and forwarding is on: send the query upstream */
    CK_DNS_DROP,    /* not a query (a response, or shorter than a header) */
} ck_dns_action;

/* Answers the query q[0..qlen) from table t. tcp: the reply may use 65535
 * bytes; over UDP 512, or the EDNS size the client offers (at most
 * CK_DNS_UDP_EDNS); a larger answer is cut to the question with TC set.
 * can_forward: names outside the zone (and unknown reverse names) are
 * CK_DNS_FORWARD instead of REFUSED. cap must be >= 512. *outlen is set on
 * CK_DNS_REPLY. */
ck_dns_action ck_dns_handle(const ck_dns_records *t, const uint8_t *q, size_t qlen, bool tcp,
                            bool can_forward, uint8_t *out, size_t cap, size_t *outlen);
#endif
