/* ephemeral.c: ephemeral containers in a running pod (pkg/kubelet/kuberuntime
 * kuberuntime_manager.go computePodActions: an ephemeral container without a
 * status is started; once created it is never restarted, whatever the pod's
 * restartPolicy). They share the pod's sandbox, are left out of the pod's
 * phase and readiness, and report status.ephemeralContainerStatuses. */
#include <stdlib.h>
#include <string.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/log.h"

static bool known(const ck_pod_worker *w, const char *name)
{
    for (size_t i = 0; i < w->n_eph; i++)
        if (strcmp(w->eph[i].name, name) == 0) return true;
    return false;
}

int ck_ephemeral_records(ck_pod_worker *w)
{
    const json_t *list = ck_json_path(w->pod, "spec.ephemeralContainers");
    size_t i, add = 0;
    const json_t *c;
    json_array_foreach(list, i, c) if (!known(w, ck_json_str(c, "name", ""))) add++;
    if (!add) return 0;
    ck_ctr_record *grown = realloc(w->eph, (w->n_eph + add) * sizeof *grown);
    if (!grown) return -1;
    w->eph = grown;
    json_array_foreach(list, i, c) {
        const char *name = ck_json_str(c, "name", "");
        if (known(w, name)) continue;
        ck_ctr_record *r = &w->eph[w->n_eph++];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", name);
        r->ephemeral = true;
    }
    return 0;
}

void ck_ephemeral_sync(ck_kubelet *k, ck_pod_worker *w, int64_t now)
{
    if (ck_ephemeral_records(w) < 0) {
        ck_warn("pod %s: out of memory for ephemeral containers", w->key);
        return;
    }
    char err[256];
    for (size_t i = 0; i < w->n_eph; i++) {
        ck_ctr_record *r = &w->eph[i];
        if (r->id[0]) { /* created once: only observed from now on */
            k->rt->ops->container_status(k->rt, r->id, &r->cur, err, sizeof err);
            continue;
        }
        /* not created yet (or its creation failed: pull or config errors are retried) */
        if (ck_pod_worker_start_container(k, w, r, now) == 0) {
            r->ready = false; /* ephemeral containers never count as ready */
            if (w->wake_ms <= 0 || w->wake_ms > 200) w->wake_ms = 200;
        }
    }
}

void ck_ephemeral_kill(ck_kubelet *k, ck_pod_worker *w)
{
    char err[256];
    for (size_t i = 0; i < w->n_eph; i++) {
        ck_ctr_record *r = &w->eph[i];
        if (!r->id[0] || r->cur.state != CK_CONTAINER_RUNNING) continue;
        ck_pod_event(k, w, r, "Normal", "Killing", "Stopping container %s", r->name);
        k->rt->ops->stop_container(k->rt, r->id, 0, err, sizeof err);
        k->rt->ops->container_status(k->rt, r->id, &r->cur, err, sizeof err);
    }
}
