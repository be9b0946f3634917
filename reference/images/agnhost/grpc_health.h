/* grpc_health.h: the pieces of `agnhost grpc-health-checking` the unit tests use. */
#ifndef CK_AGNHOST_GRPC_HEALTH_H
#define CK_AGNHOST_GRPC_HEALTH_H
#include <stddef.h>
#include <stdint.h>

/* grpc.health.v1.HealthCheckResponse.ServingStatus */
enum { AG_GRPC_UNKNOWN = 0, AG_GRPC_SERVING = 1, AG_GRPC_NOT_SERVING = 2 };

/* Decodes a gRPC-framed HealthCheckRequest (5-byte prefix + protobuf,
 * field 1 = service). 0 with the service in out, or -1 when malformed. */
int ag_grpc_parse_request(const uint8_t *msg, size_t n, char *out, size_t outlen);
/* Encodes a gRPC-framed HealthCheckResponse{status} into out (>= 7 bytes);
 * its length. */
size_t ag_grpc_encode_response(int status, uint8_t *out);
#endif
