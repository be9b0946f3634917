/* ephemeral.h: validation of a pod's ephemeral containers
 * (pkg/apis/core/validation: validateEphemeralContainers, the part of
 * ValidatePodSpec only ephemeral containers have, and
 * ValidatePodEphemeralContainersUpdate's rules for the subresource). */
#ifndef CK_API_SCHEMAS_EPHEMERAL_H
#define CK_API_SCHEMAS_EPHEMERAL_H
#include <jansson.h>
#include "api/status.h"

/* The rules beyond a container's common ones, for spec.ephemeralContainers of
 * the PodSpec at `path`: only allow-listed fields (no ports, probes,
 * lifecycle, resources ...), targetContainerName names a container or init
 * container, no volumeMount subPath/subPathExpr. Names and the common
 * container rules are checked with the other containers (podspec_validation.c). */
void ck_validate_ephemeral_containers(const json_t *spec, const char *path, ck_errs *errs);

/* ValidatePodEphemeralContainersUpdate, part 2: every ephemeral container of
 * old must still be in obj (by name), unchanged. Static (mirror) pods refuse
 * ephemeral containers. Appends to errs. */
void ck_validate_ephemeral_update(const json_t *obj, const json_t *old, ck_errs *errs);
#endif
