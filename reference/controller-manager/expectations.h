/* expectations.h: client-go-style controller expectations
 * (pkg/controller/controller_utils.go UIDTrackingControllerExpectations):
 * how many creations/deletions a controller still expects to observe for
 * a key, so a sync does not act again on a stale informer cache. */
#ifndef CK_CM_EXPECTATIONS_H
#define CK_CM_EXPECTATIONS_H
#include <stdbool.h>
#include <time.h>

#define CK_EXPECTATIONS_TIMEOUT_S 300  /* ExpectationsTimeout: 5 minutes */

typedef struct ck_expectations ck_expectations; /* opaque, thread-safe */

ck_expectations *ck_expectations_new(void);  /* NULL on OOM */
void ck_expectations_free(ck_expectations *e);

/* SatisfiedExpectations: true when nothing is recorded for key, when both
 * counts are <= 0, or when the record is older than the timeout (at now). */
bool ck_expectations_satisfied(ck_expectations *e, const char *key, time_t now);
/* ExpectCreations: replaces key's record with add = n, del = 0. */
void ck_expectations_expect_creations(ck_expectations *e, const char *key, int n, time_t now);
/* ExpectDeletions: replaces key's record with del = n, remembering which pod
 * keys ("ns/name") are expected to go. */
void ck_expectations_expect_deletions(ck_expectations *e, const char *key, const char *const *pods, int n,
                                      time_t now);
/* CreationObserved: add--. */
void ck_expectations_creation_observed(ck_expectations *e, const char *key);
/* DeletionObserved: del-- once per expected pod key (repeats are ignored). */
void ck_expectations_deletion_observed(ck_expectations *e, const char *key, const char *pod);
/* LowerExpectations for creations/deletions that were never issued. */
void ck_expectations_lower(ck_expectations *e, const char *key, int add, int del);
/* DeleteExpectations: forget key. */
void ck_expectations_delete(ck_expectations *e, const char *key);
#endif
