/* disruption.h: PodDisruptionBudget enforcement for pods/eviction
 * (pkg/registry/core/pod/storage/eviction.go). */
#ifndef CK_APISERVER_REGISTRY_DISRUPTION_H
#define CK_APISERVER_REGISTRY_DISRUPTION_H
#include <jansson.h>
#include "apiserver/handlers/rest.h"

/* The eviction's budget check for pod (borrowed, the current object at
 * ctx->key): pods that are terminal, Pending or being deleted, and pods no
 * PDB selects, pass; more than one PDB is a 500; a PDB not yet observed or
 * with disruptionsAllowed 0 is a 429 TooManyRequests (DisruptionBudget
 * cause); otherwise the PDB's disruptionsAllowed is decremented and
 * disruptedPods[pod] recorded with a conditional write (retried on
 * conflicts; skipped on dry-run). 0 to go on with the delete, -1 with
 * ctx->st. */
int ck_eviction_check_pdbs(ck_handler *ctx, const json_t *pod);
/* addConditionAndDeletePod's first half: the DisruptionTarget=True
 * condition (reason EvictionByEvictionAPI, "Eviction API: evicting") on
 * the current pod at ctx->key, written conditionally (retried on
 * conflicts); nothing on dry-run. 0, or -1 with ctx->st. */
int ck_eviction_mark_disruption_target(ck_handler *ctx);
#endif
