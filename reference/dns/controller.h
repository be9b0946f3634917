/* controller.h: the DNS server's view of the cluster (CoreDNS kubernetes
 * plugin's dnsController): informers on Services and Endpoints, and the
 * record table rebuilt from their caches when a query finds them changed. */
#ifndef CK_DNS_CONTROLLER_H
#define CK_DNS_CONTROLLER_H
#include <stdbool.h>
#include "client/rest.h"
#include "dns/records.h"

typedef struct ck_dns_controller ck_dns_controller; /* opaque */

/* rest is borrowed and must outlive the controller. NULL with err set. */
ck_dns_controller *ck_dns_controller_new(ck_rest *rest, const char *zone, char *err, size_t errlen);
/* Starts both informers. 0 or -1. */
int ck_dns_controller_start(ck_dns_controller *c);
/* Both informers listed within timeout_ms. */
bool ck_dns_controller_wait_synced(ck_dns_controller *c, long timeout_ms);
/* The current table (rebuilt first if a Service or Endpoints changed since):
 * valid until ck_dns_controller_release(c, *handle). NULL on OOM. Shaped
 * to be a ck_dns_source (ud = the controller). */
const ck_dns_records *ck_dns_controller_acquire(void *c, void **handle);
void ck_dns_controller_release(void *c, void *handle);
/* Stops the informers and frees; no table may still be acquired. */
void ck_dns_controller_free(ck_dns_controller *c);
#endif
