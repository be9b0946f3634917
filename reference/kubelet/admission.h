/* admission.h: the kubelet's pod admission (pkg/kubelet/lifecycle/predicate.go
 * predicateAdmitHandler) as far as ckube checks it: the NodePorts predicate
 * (a hostPort already used by an admitted, running pod). */
#ifndef CK_KUBELET_ADMISSION_H
#define CK_KUBELET_ADMISSION_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CK_ADMIT_NODEPORTS "NodePorts"
#define CK_ADMIT_NODEPORTS_DESC "node(s) didn't have free ports for the requested pod ports"

/* Pure: true when a container port of `pod` with hostPort > 0 clashes with
 * one of `other` (same protocol, default TCP, and port; host IPs equal or
 * either unspecified/0.0.0.0), as the scheduler's HostPortInfo.CheckConflict. */
bool ck_admission_ports_conflict(const json_t *pod, const json_t *other);
/* Pure: admits `pod` against the node's admitted pods `active` (array; the
 * pod itself, by uid, is skipped). 0 = admit; 1 = rejected, with the
 * predicate name in reason (status.reason and the event reason) and
 * "Predicate NodePorts failed: ..." in message (the event's message; the
 * pod's status.message is "Pod was rejected: " + message). */
int ck_admission_check(const json_t *pod, const json_t *active, char *reason, size_t rlen, char *message,
                       size_t mlen);

struct ck_kubelet;
struct ck_pod_worker;
/* canAdmitPod for a new worker: the admitted pods are the node's pods
 * (informer) with a live worker and a non-terminal phase. Call with k->mu
 * held. On rejection sets the worker Failed/terminated with reason and
 * "Pod was rejected: <message>" and returns false (the caller records the
 * event and syncs the status). */
bool ck_admission_admit(struct ck_kubelet *k, struct ck_pod_worker *w);
#endif
