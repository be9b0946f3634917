/* controllerrevision.h: ControllerRevision history shared by the DaemonSet
 * and StatefulSet controllers (pkg/controller/history, daemon/update.go
 * constructHistory, statefulset getStatefulSetRevisions): the revision
 * data (a strategic-merge patch replacing spec.template), its hash, the
 * revision object, and the REST round trips that keep history. */
#ifndef CK_CM_CONTROLLERREVISION_H
#define CK_CM_CONTROLLERREVISION_H
#include <jansson.h>
#include <stdbool.h>
#include "client/rest.h"

#define CK_CR_HASH_LABEL "controller-revision-hash"  /* ControllerRevisionHashLabelKey */

/* getPatch: {"spec":{"template":<template + "$patch":"replace">}}. New ref. */
json_t *ck_cr_data(const json_t *owner);
/* HashControllerRevision: FNV-32a of the data (canonical JSON) and the
 * collision count, safe-encoded (ckube's hash, see deployment_util.h). out >= 16. */
void ck_cr_hash(const json_t *data, long collision_count, char *out);
/* The ControllerRevision "<owner>-<hash>" with the owner's template labels
 * plus controller-revision-hash, a controller ref, data and revision. New ref. */
json_t *ck_cr_new(const json_t *owner, const char *api_version, const char *kind, const json_t *data,
                  const char *hash, long revision);
/* The largest .revision of the array, 0 when empty. */
long ck_cr_max_revision(const json_t *revisions);

/* Lists the owner's ControllerRevisions (namespace, controller ref uid).
 * New array, NULL on error. */
json_t *ck_cr_list(ck_rest *rest, const json_t *owner);
/* Finds or creates the revision of the owner's current template: an equal
 * existing one is reused (its revision bumped to the newest when older);
 * otherwise one is created with revision max+1, trying higher collision
 * counts on a name clash with other data. Writes its name to name_out and
 * hash to hash_out (>= 16). 0 or -1. `revisions` is the owner's list. */
int ck_cr_ensure(ck_rest *rest, const json_t *owner, const char *api_version, const char *kind,
                 const json_t *revisions, char *name_out, size_t name_len, char *hash_out);
/* Deletes the oldest revisions beyond `limit` that are not named in
 * `keep` (a JSON object used as a set of names). */
void ck_cr_truncate(ck_rest *rest, const json_t *revisions, long limit, const json_t *keep);
#endif
