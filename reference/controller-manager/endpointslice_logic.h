/* endpointslice_logic.h: the pure part of the EndpointSlice and
 * EndpointSlice mirroring controllers (pkg/controller/endpointslice and
 * pkg/controller/endpointslicemirroring, sharing upstream's
 * endpointslice reconciler): desired endpoint groups -> slice writes. */
#ifndef CK_CM_ENDPOINTSLICE_LOGIC_H
#define CK_CM_ENDPOINTSLICE_LOGIC_H
#include <jansson.h>
#include <stdbool.h>

#define CK_EPSLICE_MAX_ENDPOINTS 100  /* --max-endpoints-per-slice default */
#define CK_EPSLICE_LABEL_SERVICE "kubernetes.io/service-name"
#define CK_EPSLICE_LABEL_MANAGED_BY "endpointslice.kubernetes.io/managed-by"
#define CK_EPSLICE_CONTROLLER "endpointslice-controller.k8s.io"
#define CK_EPSLICE_MIRROR_CONTROLLER "endpointslicemirroring-controller.k8s.io"
#define CK_EPSLICE_LABEL_SKIP_MIRROR "endpointslice.kubernetes.io/skip-mirror"

/* podToEndpoint: the Endpoint for pod behind svc (addresses [podIP],
 * conditions ready/serving/terminating, nodeName, hostname, targetRef), or
 * NULL when the pod is not included (ShouldPodBeInEndpoints with
 * includeTerminating). New reference. */
json_t *ck_epslice_pod_endpoint(const json_t *svc, const json_t *pod);
/* getEndpointPorts: svc's ports resolved against pod (ports whose named
 * targetPort the pod lacks are left out). New array. */
json_t *ck_epslice_pod_ports(const json_t *svc, const json_t *pod);
/* The desired groups for svc over its selected pods: an array of
 * {"addressType","ports","endpoints"}, one per distinct port list; with no
 * endpoints at all one placeholder group (no ports, no endpoints). New. */
json_t *ck_epslice_service_groups(const json_t *svc, const json_t *pods);
/* The labels a service's slices carry: svc's labels plus service-name,
 * managed-by (managed_by) and service.kubernetes.io/headless. New. */
json_t *ck_epslice_service_labels(const json_t *svc, const char *managed_by);

/* The writes that turn `existing` (the owner's current slices) into
 * `groups`. tmpl is the metadata every slice gets (namespace, generateName,
 * labels, ownerReferences). create: new slices to POST; update: changed
 * copies of existing slices to PUT; remove: existing slices to DELETE.
 * Existing endpoints stay in their slice; new ones fill slices with room
 * before new slices of at most max_per_slice are created (upstream's
 * reconciler, without its fill-ratio rebalancing). */
typedef struct ck_epslice_plan {
    json_t *create, *update, *remove;  /* arrays, owned; ck_epslice_plan_clear */
} ck_epslice_plan;
int ck_epslice_reconcile(const json_t *groups, const json_t *existing, const json_t *tmpl, size_t max_per_slice,
                         ck_epslice_plan *out);
void ck_epslice_plan_clear(ck_epslice_plan *p);
/* True when the plan writes nothing. */
bool ck_epslice_plan_empty(const ck_epslice_plan *p);

/* endpointslicemirroring: the groups for an Endpoints object (addresses
 * ready, notReadyAddresses not ready; IPv4/IPv6 by address); empty (no
 * placeholder) for an Endpoints without addresses. New array. */
json_t *ck_epslice_mirror_groups(const json_t *endpoints);
/* Whether an Endpoints object should be mirrored given its Service (NULL
 * when absent): the Service exists without a selector and the Endpoints is
 * not labelled skip-mirror=true. */
bool ck_epslice_should_mirror(const json_t *endpoints, const json_t *svc);
/* endpointSliceTracker.StaleSlices: pending maps slice name -> the
 * resourceVersion (integer) this controller wrote, or null for a delete;
 * true while the informer's cached slices (array) do not reflect them yet. */
bool ck_epslice_tracker_stale(const json_t *pending, const json_t *cached);
#endif
