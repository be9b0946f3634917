/* common.h: small helpers shared by the workload schemas (podspec.c, pod.c,
 * service.c, workloads.c): Go-style value rendering for field errors, port checks and a walker that
 * applies ck_field.dflt. Owned by the workload-schemas files (h3b). */
#ifndef CK_API_SCHEMAS_COMMON_H
#define CK_API_SCHEMAS_COMMON_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "api/kinds.h"
#include "api/status.h"
/* fields.h (h3a) may carry a nested comment opener in its first comment; tolerate it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/schemas/fields.h"
#pragma GCC diagnostic pop

/* labels.FormatLabels: "a=b,c=d" sorted, "<none>" when empty; new reference. */
json_t *ck_cell_labels(const json_t *map);

/* Go's %#v of a map[string]string: map[string]string{"a":"b", "c":"d"}
 * (keys sorted). Caller frees. NULL on allocation failure. */
char *ck_go_string_map(const json_t *m);
/* Go's %#v of a metav1.LabelSelector (as field.Invalid prints it). Caller frees. */
char *ck_go_label_selector(const json_t *sel);
/* Go's %#v of []string: []string{"a", "b"} ([]string(nil) when empty). Caller frees. */
char *ck_go_string_slice(const json_t *arr);

/* validation.IsValidPortNum: 1..65535. */
bool ck_port_valid(long long p);
#define CK_PORT_RANGE_MSG "must be between 1 and 65535, inclusive"
/* validation.IsValidPortName (IANA_SVC_NAME); appends Invalid errors. */
void ck_validate_port_name(const char *name, const char *field, ck_errs *errs);
/* validatePortNumOrName for an IntOrString port (probes, targetPort). */
void ck_validate_port_num_or_name(const json_t *port, const char *field, ck_errs *errs);
/* ValidateNonnegativeField on obj[key] if it is an integer:
 * `<path>.<key>: Invalid value: -1: must be greater than or equal to 0`. */
void ck_validate_nonneg(const json_t *obj, const char *key, const char *path, ck_errs *errs);
/* "<path>.<key>" / "<path>[i]" into a caller buffer; returns buf. */
char *ck_pathf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define CK_PATH_MAX 512

/* Applies every ck_field.dflt under `schema` (a CK_OBJECT) to v, recursing into
 * present objects, arrays and maps, never creating objects that are absent. */
void ck_schema_defaults(const ck_field *schema, json_t *v);
/* metav1.LabelSelector's field list (meta.c keeps its own static). */
extern const ck_field ck_wl_label_selector_fields[];
/* Field lists of podspec.c, for roots that embed a PodSpec / PodTemplateSpec /
 * ResourceRequirements (a ck_field's children must be an address constant). */
extern const ck_field ck_pod_spec_fields[];
extern const ck_field ck_pod_template_spec_fields[];
extern const ck_field ck_resource_requirements_fields[];
/* String member or "" (borrowed). */
const char *ck_str(const json_t *o, const char *key);
#endif
