/* active_deadline.c: spec.activeDeadlineSeconds (pkg/kubelet/active_deadline.go):
 * a pod active on the node for at least that long since status.startTime is
 * failed with reason DeadlineExceeded; the worker then kills its containers. */
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"

const char CK_DEADLINE_REASON[] = "DeadlineExceeded";
const char CK_DEADLINE_MESSAGE[] = "Pod was active on the node longer than the specified deadline";

bool ck_active_deadline_exceeded(const ck_pod_worker *w, time_t now)
{
    const json_t *d = ck_json_path(w->pod, "spec.activeDeadlineSeconds");
    /* no deadline, or not started yet (no start time) */
    if (!json_is_integer(d) || !w->start_time) return false;
    return (json_int_t)(now - w->start_time) >= json_integer_value(d);
}
