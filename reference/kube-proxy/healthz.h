/* healthz.h: kube-proxy's /healthz (upstream pkg/proxy/healthcheck
 * ProxierHealthServer): healthy unless an update has been queued for longer
 * than the timeout (2 x sync period) without a sync completing. */
#ifndef CK_PROXY_HEALTHZ_H
#define CK_PROXY_HEALTHZ_H

typedef struct ck_healthz ck_healthz; /* opaque; thread-safe */

/* Serves GET /healthz on 0.0.0.0:port (port 0 = not served, state still
 * tracked). NULL with a message in err. */
ck_healthz *ck_healthz_new(int port, const char *node_name, long timeout_ms, char *err, unsigned errlen);
void ck_healthz_queued_update(ck_healthz *h);  /* a change is waiting for a sync */
void ck_healthz_updated(ck_healthz *h);        /* a sync completed */
int ck_healthz_healthy(ck_healthz *h);         /* 1 or 0 */
void ck_healthz_free(ck_healthz *h);
#endif
