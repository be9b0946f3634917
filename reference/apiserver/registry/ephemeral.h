/* ephemeral.h: the pods/ephemeralcontainers subresource's strategy
 * (pkg/registry/core/pod/storage EphemeralContainersREST and
 * strategy.go podEphemeralContainersStrategy). GET answers the Pod; PUT and
 * PATCH (all three patch types) change only spec.ephemeralContainers. */
#ifndef CK_APISERVER_EPHEMERAL_H
#define CK_APISERVER_EPHEMERAL_H
#include <jansson.h>
#include "apiserver/handlers/rest.h"

#define CK_EPHEMERAL_SUBRESOURCE "ephemeralcontainers"

/* dropNonEphemeralContainerUpdates: the stored pod with in's
 * spec.ephemeralContainers (everything else, metadata and status included,
 * keeps its stored value). New reference, NULL on allocation failure. */
json_t *ck_ephemeral_merge(const json_t *old, const json_t *in);
/* ValidatePodEphemeralContainersUpdate over the merged pod: the PodSpec
 * (ephemeral containers included) and add-only changes. 0, or -1 with a 422
 * Invalid Pod in ctx->st. */
int ck_ephemeral_validate(ck_handler *ctx, const json_t *obj, const json_t *old);
#endif
