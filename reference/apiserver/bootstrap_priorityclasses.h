/* bootstrap_priorityclasses.h: the system PriorityClasses a fresh apiserver
 * ensures (upstream's PostStartHook "scheduling/bootstrap-system-priority-classes",
 * pkg/registry/scheduling/rest/storage_scheduling.go). */
#ifndef CK_APISERVER_BOOTSTRAP_PRIORITYCLASSES_H
#define CK_APISERVER_BOOTSTRAP_PRIORITYCLASSES_H
#include <stddef.h>
#include "apiserver/apiserver.h"

/* Creates system-node-critical (2000001000) and system-cluster-critical
 * (2000000000) when missing; existing ones are left alone. Call after
 * ck_bootstrap. 0, or -1 with a message in err. */
int ck_bootstrap_priority_classes(ck_apiserver *s, char *err, size_t errlen);
#endif
