/* endpoints_subsets.h: the pure part of the endpoints controller
 * (pkg/controller/endpoint/endpoints_controller.go syncService and
 * pkg/api/v1/endpoints RepackSubsets): from a Service and its pods to the
 * desired Endpoints object. */
#ifndef CK_CM_ENDPOINTS_SUBSETS_H
#define CK_CM_ENDPOINTS_SUBSETS_H
#include <jansson.h>
#include <stdbool.h>

/* podutil.FindPort: the container port a ServicePort targets: a named
 * targetPort is looked up among the containers' ports (same protocol), a
 * number is used as is, none means spec port. 0, or -1 if no such port. */
int ck_endpoints_find_port(const json_t *pod, const json_t *svc_port, long *out);
/* ShouldPodBeInEndpoints(pod, includeTerminating=false). */
bool ck_endpoints_pod_included(const json_t *pod);
/* The repacked subsets for svc over pods (already selected by the Service's
 * selector): ready pods (or every pod with publishNotReadyAddresses) under
 * addresses, others under notReadyAddresses; ports grouped by identical
 * address sets; addresses sorted by IP. New array. */
json_t *ck_endpoints_subsets(const json_t *svc, const json_t *pods);
/* The Endpoints object the controller wants: name/namespace of svc, its
 * labels (+ service.kubernetes.io/headless for clusterIP None), subsets.
 * New reference. */
json_t *ck_endpoints_desired(const json_t *svc, const json_t *pods);
/* True when current already has desired's subsets and labels. */
bool ck_endpoints_up_to_date(const json_t *current, const json_t *desired);
#endif
