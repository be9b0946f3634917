/* fiterror.h: the FailedScheduling message, as upstream's FitError.Error()
 * (pkg/scheduler/framework/types.go) plus the DefaultPreemption PostFilter
 * diagnosis that follows it ("preemption: 0/3 nodes are available: ..."). */
#ifndef CK_SCHED_FITERROR_H
#define CK_SCHED_FITERROR_H
#include <stddef.h>
#include "scheduler/framework.h"

/* "0/<n> nodes are available: <prefilter msg | sorted reason histogram>."
 * followed by " <postfilter>." when postfilter is non-empty. The histogram
 * entries are "<count> <reason>", sorted as strings (Go's sort.Strings).
 * Returns a malloc'd string (caller frees), NULL on OOM. */
char *ck_fit_error_message(const ck_diagnosis *d, const char *postfilter);

/* DefaultPreemption's verdict when it cannot help (preemption.h evicts when it can): for
 * preemptionPolicy Never "preemption: not eligible due to
 * preemptionPolicy=Never"; otherwise a nested FitError where nodes that
 * failed with UnschedulableAndUnresolvable read "Preemption is not helpful
 * for scheduling" and the others "No preemption victims found for incoming
 * pod" (or their filter reasons once lower-priority pods are removed).
 * Returns a malloc'd string without the final '.', NULL on OOM. */
char *ck_preemption_message(const ck_framework *fw, ck_node_info *const *nodes, size_t nnodes,
                            const ck_pod_info *pod, const ck_diagnosis *d);
#endif
