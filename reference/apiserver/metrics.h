/* metrics.h: the apiserver's Prometheus metrics (GET /metrics): request
 * counts and latencies, in-flight requests, stored object counts and etcd
 * latencies, named and labelled as k8s.io/apiserver/pkg/endpoints/metrics
 * and pkg/storage/etcd3/metrics name them. All functions are thread-safe. */
#ifndef CK_APISERVER_METRICS_H
#define CK_APISERVER_METRICS_H
#include <stdbool.h>

/* One finished request. verb is RequestInfo's ("get", "list", "create",
 * "deletecollection", ...) or already upstream's reported form ("APPLY");
 * it is reported as upstream does (create -> POST, update -> PUT, list -> LIST).
 * scope: "resource", "namespace" or "cluster" ("" for non-resource requests).
 * Any string may be NULL (empty label). */
void ck_metrics_request(const char *verb, const char *group, const char *version,
                        const char *resource, const char *subresource, const char *scope,
                        int code, double seconds);
/* apiserver_current_inflight_requests{request_kind="mutating"|"readOnly"} += delta. */
void ck_metrics_inflight(int delta, bool mutating);
/* apiserver_storage_objects{resource} = n; resource like "pods", "deployments.apps". */
void ck_metrics_storage_objects(const char *resource, long n);
/* etcd_request_duration_seconds{operation,type}: operation "get", "list",
 * "create", "update", "delete", "listWithCount"; type the resource ("pods"). */
void ck_metrics_etcd(const char *operation, const char *type, double seconds);

/* The Prometheus text exposition (version 0.0.4) of everything recorded.
 * Returns a malloc'd string the caller frees, NULL on allocation failure. */
char *ck_metrics_render(void);
/* Content-Type of the rendering. */
#define CK_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
/* Forgets every series (tests). */
void ck_metrics_reset(void);
#endif
