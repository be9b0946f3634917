/* events.h: the kubelet's event recorder (client-go tools/record
 * EventRecorder + EventBroadcaster + EventCorrelator, reduced): core/v1
 * Events about pods, sent in the background; a repeat of the same event
 * (same object, fieldPath, type, reason and message) bumps count and
 * lastTimestamp of the first one by a PATCH instead of creating another. */
#ifndef CK_KUBELET_EVENTS_H
#define CK_KUBELET_EVENTS_H
#include <jansson.h>
#include <stdbool.h>
#include "client/rest.h"

typedef struct ck_event_recorder ck_event_recorder;

/* Where events go. verb is "create" (body: the whole Event) or "patch"
 * (body: a strategic merge patch of count, lastTimestamp, message).
 * Returns 0, or -1 with *not_found set when the patched event is gone. */
typedef int (*ck_event_sink)(void *ud, const char *verb, const char *ns, const char *name, const json_t *body,
                             bool *not_found);

/* component: source.component and reportingComponent ("kubelet"); host:
 * source.host and reportingInstance (the node). Strings copied. rest
 * (borrowed) is the default sink; `async` sends from a background thread
 * (client-go's broadcaster), else record() sends before returning.
 * NULL on allocation failure. */
ck_event_recorder *ck_event_recorder_new(ck_rest *rest, const char *component, const char *host, bool async);
/* Replaces the sink (tests). */
void ck_event_recorder_set_sink(ck_event_recorder *r, ck_event_sink sink, void *ud);
/* Sends what is queued, stops the thread, frees. */
void ck_event_recorder_free(ck_event_recorder *r);

/* Records an event about pod `obj` (borrowed). field_path: e.g.
 * "spec.containers{app}", NULL for the pod itself. type: "Normal"/"Warning". */
void ck_event_record(ck_event_recorder *r, const json_t *obj, const char *field_path, const char *type,
                     const char *reason, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#endif
