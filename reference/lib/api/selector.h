/* selector.h: label selectors and field selectors, as
 * k8s.io/apimachinery/pkg/labels and pkg/fields parse and match them.
 * Label syntax: a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a, comma = AND.
 * Field syntax: f=v, f==v, f!=v, comma = AND; \ escapes , = and \ in values. */
#ifndef CK_API_SELECTOR_H
#define CK_API_SELECTOR_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ck_label_selector ck_label_selector; /* opaque */

/* Parses selector text ("" or NULL = everything). NULL on error, with an
 * upstream-worded message in err (e.g. `unable to parse requirement: ...`). Caller frees. */
ck_label_selector *ck_label_selector_parse(const char *text, char *err, size_t errlen);
/* From a metav1.LabelSelector object (matchLabels + matchExpressions with
 * In/NotIn/Exists/DoesNotExist). A NULL/empty object selects everything,
 * as for ReplicaSets' validated selectors. NULL on error, message in err. */
ck_label_selector *ck_label_selector_from_json(const json_t *sel, char *err, size_t errlen);
/* Does the labels object (or NULL = no labels) satisfy every requirement? */
bool ck_label_selector_matches(const ck_label_selector *s, const json_t *labels);
bool ck_label_selector_empty(const ck_label_selector *s);
/* Canonical string form (requirements sorted by key, as labels.Selector.String()). Caller frees. */
char *ck_label_selector_string(const ck_label_selector *s);
void ck_label_selector_free(ck_label_selector *s);

typedef struct ck_field_selector ck_field_selector; /* opaque */
ck_field_selector *ck_field_selector_parse(const char *text, char *err, size_t errlen);
/* Matches against obj: each field is a dotted path into the object
 * ("metadata.name", "spec.nodeName", "status.phase"); a missing field is "". */
bool ck_field_selector_matches(const ck_field_selector *s, const json_t *obj);
/* First field not in `allowed` (NULL-terminated; metadata.name and
 * metadata.namespace are always allowed), or NULL if all are supported.
 * The apiserver answers 400 `field label not supported: <f>` for it. Borrowed. */
const char *ck_field_selector_unsupported(const ck_field_selector *s, const char *const *allowed);
/* If the selector pins `field` with = or ==, its value (borrowed), else NULL.
 * Used to narrow lists (metadata.name=x, spec.nodeName=n). */
const char *ck_field_selector_exact(const ck_field_selector *s, const char *field);
bool ck_field_selector_empty(const ck_field_selector *s);
void ck_field_selector_free(ck_field_selector *s);
#endif
