/* endpointslice.h: the write side shared by the EndpointSlice and
 * EndpointSlice mirroring controllers: apply a reconcile plan and track the
 * writes until the informer has seen them (upstream's endpointSliceTracker). */
#ifndef CK_CM_ENDPOINTSLICE_H
#define CK_CM_ENDPOINTSLICE_H
#include <pthread.h>
#include "client/informer.h"
#include "client/rest.h"
#include "controller-manager/endpointslice_logic.h"

typedef struct ck_epslice_tracker {
    pthread_mutex_t mu;
    json_t *pending;  /* owner key -> {since: unix s, slices: {slice name -> rv | null}} */
} ck_epslice_tracker;
int ck_epslice_tracker_init(ck_epslice_tracker *t);
void ck_epslice_tracker_free(ck_epslice_tracker *t);
/* True while owner_key's last writes are not yet in cached (array,
 * borrowed), for at most 10 s after the first of them. */
bool ck_epslice_tracker_waiting(ck_epslice_tracker *t, const char *owner_key, const json_t *cached);

/* POSTs, PUTs and DELETEs the plan's slices in ns, recording them in t
 * under owner_key. 0, or -1 when a write failed (the sync retries). */
int ck_epslice_apply(ck_rest *rest, ck_epslice_tracker *t, const char *owner_key, const char *ns,
                     const ck_epslice_plan *plan);
/* The slices in inf (borrowed) of namespace ns labelled service-name=svc and
 * managed-by=managed_by. New array. */
json_t *ck_epslice_owned(ck_informer *inf, const char *ns, const char *svc, const char *managed_by);
#endif
