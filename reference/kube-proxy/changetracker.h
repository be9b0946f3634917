/* changetracker.h: upstream's ServiceChangeTracker + EndpointsChangeTracker
 * (pkg/proxy/servicechangetracker.go, endpointschangetracker.go): informer
 * events are recorded as pending changes keyed "ns/name"; a change that nets
 * out (an update and its revert, or one that touches no proxied field) is
 * dropped; the sync loop applies them and gets a fresh ck_proxy_state. */
#ifndef CK_PROXY_CHANGETRACKER_H
#define CK_PROXY_CHANGETRACKER_H
#include <jansson.h>
#include <stdbool.h>
#include "kube-proxy/servicemap.h"

typedef struct ck_change_tracker ck_change_tracker; /* opaque; thread-safe */

/* NULL on OOM. */
ck_change_tracker *ck_change_tracker_new(void);
void ck_change_tracker_free(ck_change_tracker *t);

/* Record an add (old NULL), update, or delete (cur NULL) of a v1 Service /
 * v1 Endpoints. Objects are borrowed (a reference is kept to cur). Returns
 * true when the object now has a pending change that alters the proxy maps
 * (the caller then asks the runner for a sync), false when nothing changed. */
bool ck_change_tracker_on_service(ck_change_tracker *t, json_t *old, json_t *cur);
bool ck_change_tracker_on_endpoints(ck_change_tracker *t, json_t *old, json_t *cur);

/* Number of objects with a pending change (services + endpoints). */
size_t ck_change_tracker_pending(ck_change_tracker *t);

/* Clears the pending changes and returns the maps built from every known
 * Service and Endpoints, sorted. Caller frees with ck_proxy_state_free.
 * NULL on OOM (pending changes are then kept). */
ck_proxy_state *ck_change_tracker_apply(ck_change_tracker *t);
#endif
