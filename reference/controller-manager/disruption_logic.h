/* disruption_logic.h: the pure part of the disruption controller
 * (pkg/controller/disruption/disruption.go): a PodDisruptionBudget's
 * expected/desired/current healthy counts and its status. */
#ifndef CK_CM_DISRUPTION_LOGIC_H
#define CK_CM_DISRUPTION_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* DeletionTimeout: an evicted pod not deleted after this stops counting as disrupted. */
#define CK_PDB_DELETION_TIMEOUT_S 120

/* Whether getExpectedPodCount needs the pods' controllers' scale
 * (maxUnavailable, or minAvailable as a percentage). */
bool ck_pdb_needs_scale(const json_t *pdb);
/* getExpectedPodCount. scales maps a pod's controllerRef uid to
 * {"uid": <scale owner uid>, "replicas": n} (a ReplicaSet of a Deployment
 * maps to the Deployment); a pod whose controller is missing from it fails
 * ("found no controllers for pod ..."). 0, or -1 with err (upstream's text). */
int ck_pdb_expected(const json_t *pdb, const json_t *pods, const json_t *scales, long *expected, long *desired,
                    char *err, size_t errlen);
/* buildDisruptedPodMap: status.disruptedPods entries of pods still present,
 * not being deleted and not older than DeletionTimeout. *recheck_at (may be
 * NULL) receives the earliest expiry, 0 when none. New object. */
json_t *ck_pdb_disrupted(const json_t *pdb, const json_t *pods, time_t now, time_t *recheck_at);
/* countHealthyPods: ready pods not being deleted and not recently disrupted. */
long ck_pdb_current_healthy(const json_t *pods, const json_t *disrupted, time_t now);
/* updatePdbStatus: the whole new status (disruptionsAllowed =
 * current - desired, 0 when negative or expected <= 0; observedGeneration;
 * DisruptionAllowed condition SufficientPods / InsufficientPods, keeping
 * lastTransitionTime when the status does not change). disrupted borrowed.
 * New object. */
json_t *ck_pdb_status(const json_t *pdb, long current, long desired, long expected, const json_t *disrupted,
                      time_t now);
/* failSafe: the current status with disruptionsAllowed 0 and the condition
 * False / SyncFailed with msg. New object. */
json_t *ck_pdb_failsafe_status(const json_t *pdb, const char *msg, time_t now);
/* True when pdb's status already equals status (nothing to write). */
bool ck_pdb_status_equal(const json_t *pdb, const json_t *status);
#endif
