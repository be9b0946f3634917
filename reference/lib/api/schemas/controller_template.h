/* controller_template.h: what the h20 workload kinds (DaemonSet, StatefulSet,
 * Job, CronJob, PodDisruptionBudget) share: label selector and pod template
 * validation with upstream's messages (pkg/apis/apps/validation,
 * pkg/apis/batch/validation), IntOrString percent checks, and Table cells. */
#ifndef CK_API_SCHEMAS_CONTROLLER_TEMPLATE_H
#define CK_API_SCHEMAS_CONTROLLER_TEMPLATE_H
#include <jansson.h>
#include <stdbool.h>
#include "api/status.h"

/* ValidateLabelSelector at path (requirements, operators, matchLabels). */
void ck_ct_validate_selector(const json_t *sel, const char *path, ck_errs *errs);
/* Selector required and non-empty ("empty selector is invalid for deployment"
 * as upstream words it for every apps kind), then `selector` must match
 * template labels. spath: "spec.selector", tpath: "spec.template". */
void ck_ct_validate_selector_template(const json_t *sel, const json_t *tmpl, const char *spath,
                                      const char *tpath, ck_errs *errs);
/* ValidatePodTemplateSpec at tpath; restartPolicy must be one of `allowed`
 * (NULL-terminated), activeDeadlineSeconds forbidden unless allow_deadline. */
void ck_ct_validate_template(const json_t *tmpl, const char *tpath, const char *const *allowed,
                             bool allow_deadline, ck_errs *errs);
/* ValidatePositiveIntOrPercent (+ IsNotMoreThan100Percent when max100). */
void ck_ct_validate_int_or_percent(const json_t *v, const char *field, bool max100, ck_errs *errs);
/* Spec immutable selector on update (apps/v1): `field is immutable`. */
void ck_ct_selector_immutable(const json_t *obj, const json_t *old, ck_errs *errs);

/* Table cells (new references). */
json_t *ck_ct_cell_containers(const json_t *tmpl);   /* "a,b" of template containers' names */
json_t *ck_ct_cell_images(const json_t *tmpl);
json_t *ck_ct_cell_selector(const json_t *sel);      /* metav1.FormatLabelSelector */
/* duration.HumanDuration between two RFC 3339 times (end NULL = now); "" if start NULL. */
json_t *ck_ct_cell_duration(const char *start, const char *end);
/* Age-style "5m" since an RFC 3339 time, "<none>" when absent. */
json_t *ck_ct_cell_since(const char *when);
#endif
