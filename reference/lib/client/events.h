/* events.h: a core/v1 Event recorder (client-go tools/record EventRecorder,
 * simplified: no broadcaster, no correlator): builds the Event about an
 * object and POSTs it to the object's namespace. */
#ifndef CK_CLIENT_EVENTS_H
#define CK_CLIENT_EVENTS_H
#include <jansson.h>
#include "client/rest.h"

/* Who records (EventSource plus reportingComponent/Instance). Borrowed. */
typedef struct ck_event_source {
    const char *component;  /* source.component and reportingComponent */
    const char *host;       /* source.host; NULL omits it */
    const char *instance;   /* reportingInstance; NULL omits it */
} ck_event_source;

/* The Event about obj (borrowed): named "<name>.<unix nanoseconds in hex>"
 * as client-go's makeEvent, in obj's namespace ("default" for cluster-scoped
 * objects), involvedObject from obj's metadata plus api_version/kind (given
 * since informer objects may lack them), count 1, first/lastTimestamp now.
 * type "Normal"/"Warning". action non-NULL makes it an events.k8s.io-style
 * event: action and eventTime (MicroTime) are set too. New reference, or
 * NULL on allocation failure. */
json_t *ck_event_new(const ck_event_source *src, const json_t *obj, const char *api_version, const char *kind,
                     const char *type, const char *reason, const char *action, const char *message);

/* POSTs ev (borrowed) to events in its metadata.namespace. 0, or -1 with
 * resp (caller clears) filled. */
int ck_event_create(ck_rest *rest, const json_t *ev, ck_response *resp);

/* Eventf: builds (source.component = component, nothing else) and creates
 * the event; failures are logged at debug level, not returned. */
void ck_eventf(ck_rest *rest, const char *component, const json_t *obj, const char *api_version, const char *kind,
               const char *type, const char *reason, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
#endif
