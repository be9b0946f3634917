/* probe_grpc.h: the kubelet's gRPC prober (pkg/probe/grpc/grpc.go):
 * grpc.health.v1.Health/Check over h2c with libcurl. */
#ifndef CK_KUBELET_PROBE_GRPC_H
#define CK_KUBELET_PROBE_GRPC_H
#include <stddef.h>

/* Calls Check{service} (service may be NULL or "") on host:port within
 * timeout_s seconds. 0 when the answer is SERVING ("service healthy" in msg);
 * -1 with upstream's message otherwise, e.g.
 * `service unhealthy (responded with "NOT_SERVING")`. */
int ck_probe_grpc(const char *host, long port, const char *service, long timeout_s, char *msg, size_t msglen);
/* The reply's gRPC framing: status enum of a framed HealthCheckResponse, or -1. */
int ck_grpc_health_status(const unsigned char *body, size_t n);
/* Name of a HealthCheckResponse.ServingStatus ("SERVING", "NOT_SERVING", ...). */
const char *ck_grpc_serving_status_name(int status);
/* Go's codes.Code String() ("NotFound", "Unimplemented", "Code(42)" style). */
const char *ck_grpc_code_name(int code);
#endif
