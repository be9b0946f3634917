/* resourcequota_logic.h: the decisions of the resource quota controller
 * (pkg/controller/resourcequota/resource_quota_controller.go
 * syncResourceQuota and pkg/quota/v1 CalculateUsage), free of I/O: given a
 * quota and a way to list the objects of its namespace, the new status. */
#ifndef CK_CM_RESOURCEQUOTA_LOGIC_H
#define CK_CM_RESOURCEQUOTA_LOGIC_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* upstream --resource-quota-sync-period default */
#define CK_RQ_DEFAULT_SYNC_MS (5L * 60 * 1000)

/* Lists the objects of group/resource in namespace ns: a new array, or NULL
 * when they cannot be listed (their usage is then left as it was). */
typedef json_t *(*ck_rq_lister)(void *ud, const char *group, const char *resource, const char *ns);

/* The {hard, used} status the quota should have: hard = spec.hard, used =
 * the measured usage of every resource some evaluator tracks (zero when
 * nothing uses it), previous values kept for the others. Returns a new
 * object, or NULL when the stored status already says so (not dirty).
 * *failed is set when some list failed (the caller should retry). */
json_t *ck_rq_desired_status(const json_t *quota, ck_rq_lister list, void *ud, time_t now, bool *failed);

/* The group/resources whose objects the quota's spec.hard needs measured:
 * a new array of {"group": g, "resource": r}. */
json_t *ck_rq_evaluated_resources(const json_t *hard);
#endif
