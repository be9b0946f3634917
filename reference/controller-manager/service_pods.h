/* service_pods.h: which pods a Service selects and which Services select a
 * pod (getPodServiceMemberships), shared by the endpoints and EndpointSlice
 * controllers. */
#ifndef CK_CM_SERVICE_PODS_H
#define CK_CM_SERVICE_PODS_H
#include <jansson.h>
#include "api/selector.h"
#include "client/controller.h"
#include "client/informer.h"

/* The Service's spec.selector as a selector (caller frees), or NULL for a
 * selector-less Service. */
ck_label_selector *ck_service_selector(const json_t *svc);
/* The pods in ns the selector picks, from the pod informer (new array). */
json_t *ck_service_pods(ck_informer *pods, const char *ns, const ck_label_selector *sel);
/* Enqueues (as a key on w) every Service in the pod's namespace that selects it. */
void ck_enqueue_services_of_pod(ck_informer *services, ck_workers *w, const json_t *pod);
#endif
