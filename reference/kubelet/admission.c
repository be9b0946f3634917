/* admission.c: kubelet pod admission (predicate.go generalFilter's
 * NodePorts): a pod asking for a hostPort that an admitted pod of the node
 * already holds is rejected: phase Failed, reason NodePorts. */
#include <stdio.h>
#include <string.h>
#include "kubelet/admission.h"
#include "kubelet/sysctl.h"
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"

static bool unspecified(const char *ip) { return !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::"); }

/* HostPortInfo: a port clashes when protocol and port are equal and one
 * side listens on every address or both on the same one. */
static bool port_clash(const json_t *a, const json_t *b)
{
    if (ck_json_int(a, "hostPort", 0) != ck_json_int(b, "hostPort", 0)) return false;
    if (strcmp(ck_json_str(a, "protocol", "TCP"), ck_json_str(b, "protocol", "TCP"))) return false;
    const char *ia = ck_json_str(a, "hostIP", ""), *ib = ck_json_str(b, "hostIP", "");
    return unspecified(ia) || unspecified(ib) || !strcmp(ia, ib);
}

bool ck_admission_ports_conflict(const json_t *pod, const json_t *other)
{
    size_t i, j, k, l;
    json_t *c, *p, *oc, *op;
    json_array_foreach(ck_json_path(pod, "spec.containers"), i, c)
        json_array_foreach(json_object_get(c, "ports"), j, p) {
            if (ck_json_int(p, "hostPort", 0) <= 0) continue;
            json_array_foreach(ck_json_path(other, "spec.containers"), k, oc)
                json_array_foreach(json_object_get(oc, "ports"), l, op) if (port_clash(p, op)) return true;
        }
    return false;
}

int ck_admission_check(const json_t *pod, const json_t *active, char *reason, size_t rlen, char *message,
                       size_t mlen)
{
    const char *uid = ck_json_str(pod, "metadata.uid", "");
    size_t i;
    json_t *o;
    json_array_foreach(active, i, o) {
        if (!strcmp(ck_json_str(o, "metadata.uid", ""), uid)) continue;
        if (!ck_admission_ports_conflict(pod, o)) continue;
        /* PredicateFailureError.Error(): "Predicate %s failed: %s" */
        snprintf(reason, rlen, "%s", CK_ADMIT_NODEPORTS);
        snprintf(message, mlen, "Predicate %s failed: %s", CK_ADMIT_NODEPORTS, CK_ADMIT_NODEPORTS_DESC);
        return 1;
    }
    return 0;
}

/* The admitted pods: ones with a worker still running them. */
static bool admitted(const json_t *pod, void *ud)
{
    ck_kubelet *k = ud;
    const char *ph = ck_json_str(pod, "status.phase", "");
    if (!strcmp(ph, "Succeeded") || !strcmp(ph, "Failed")) return false;
    char key[320];
    snprintf(key, sizeof key, "%s/%s", ck_json_str(pod, "metadata.namespace", ""), ck_json_str(pod, "metadata.name", ""));
    for (size_t i = 0; i < k->nw; i++)
        if (!strcmp(k->w[i]->key, key) && !strcmp(k->w[i]->uid, ck_json_str(pod, "metadata.uid", "")))
            return !k->w[i]->terminated;
    return false;
}

bool ck_admission_admit(ck_kubelet *k, ck_pod_worker *w)
{
    const char *ph = ck_json_str(w->pod, "status.phase", "");
    /* already finished or being deleted: nothing to admit */
    if (!k->pods || !strcmp(ph, "Succeeded") || !strcmp(ph, "Failed") || ck_json_path(w->pod, "metadata.deletionTimestamp"))
        return true;
    json_t *active = ck_informer_list(k->pods, admitted, k);
    char reason[64], msg[200];
    /* the sysctl allowlist is admitted before the predicates, as in NewMainKubelet */
    int rc = ck_sysctl_admit(w->pod, reason, sizeof reason, msg, sizeof msg);
    if (rc == 0) rc = ck_admission_check(w->pod, active, reason, sizeof reason, msg, sizeof msg);
    json_decref(active);
    if (rc == 0) return true;
    /* kubelet rejectPod: Failed, the predicate as reason, "Pod was rejected: " */
    snprintf(w->phase, sizeof w->phase, "Failed");
    snprintf(w->reason, sizeof w->reason, "%s", reason);
    snprintf(w->message, sizeof w->message, "Pod was rejected: %s", msg);
    w->terminated = true;
    return false;
}
