/* status.h: API errors as Kubernetes returns them. A ck_status is the
 * metav1.Status of a failed request (code, reason, message, details);
 * ck_errs accumulates field.ErrorList entries that become the
 * details.causes of a 422 Invalid (k8s.io/apimachinery/pkg/util/validation/field). */
#ifndef CK_API_STATUS_H
#define CK_API_STATUS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- field errors (validation) ---------------------------------------- */
typedef struct ck_errs {
    json_t *items; /* array of {"reason","message","field"}; owned; NULL until first add */
} ck_errs;

#define CK_ERRS_INIT {NULL}
void ck_errs_free(ck_errs *e);
size_t ck_errs_count(const ck_errs *e);
/* Raw add: reason is a CauseType ("FieldValueInvalid"...), message the error body. */
void ck_errs_add(ck_errs *e, const char *reason, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Upstream's constructors and their exact message bodies:
 *   Required:     "Required value"            / "Required value: <detail>"
 *   Invalid:      "Invalid value: <v>: <detail>"  (v: strings quoted, numbers bare)
 *   NotSupported: "Unsupported value: \"x\": supported values: \"a\", \"b\""
 *   Duplicate:    "Duplicate value: \"x\""
 *   Forbidden:    "Forbidden: <detail>"
 *   TooLong:      "Too long: may not be more than <n> bytes"      */
void ck_errs_required(ck_errs *e, const char *field, const char *detail);
void ck_errs_invalid(ck_errs *e, const char *field, const json_t *value, const char *detail);
void ck_errs_invalid_str(ck_errs *e, const char *field, const char *value, const char *detail);
void ck_errs_not_supported(ck_errs *e, const char *field, const char *value,
                           const char *const *supported /* NULL-terminated */);
void ck_errs_duplicate(ck_errs *e, const char *field, const char *value);
void ck_errs_forbidden(ck_errs *e, const char *field, const char *detail);
void ck_errs_too_long(ck_errs *e, const char *field, size_t max);

/* ---- Status ------------------------------------------------------------ */
typedef struct ck_status {
    int code;            /* HTTP status; 0 = no error */
    const char *reason;  /* StatusReason, a static string ("NotFound"); "" for none */
    char message[2048];
    char name[256];      /* details.name */
    char group[128];     /* details.group */
    char kind[128];      /* details.kind */
    json_t *causes;      /* details.causes, owned, may be NULL */
    int retry_after;     /* details.retryAfterSeconds when > 0 */
} ck_status;

void ck_status_clear(ck_status *st); /* frees causes, zeroes */
/* Generic: code + reason + printf message, no details. */
void ck_status_set(ck_status *st, int code, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The StatusErrors of k8s.io/apimachinery/pkg/api/errors, same messages.
 * `qualified` is the group-qualified resource: "pods", "deployments.apps". */
void ck_status_not_found(ck_status *st, const char *group, const char *resource, const char *name);
void ck_status_already_exists(ck_status *st, const char *group, const char *resource, const char *name);
/* 409 Conflict: `Operation cannot be fulfilled on <res> "<name>": <msg>`. */
void ck_status_conflict(ck_status *st, const char *group, const char *resource, const char *name,
                        const char *msg);
/* 422 Invalid: `<Kind>[.<group>] "<name>" is invalid: <errs>`; takes the causes from errs. */
void ck_status_invalid(ck_status *st, const char *group, const char *kind, const char *name,
                       ck_errs *errs);
void ck_status_bad_request(ck_status *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ck_status_internal(ck_status *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 410 Gone, reason Expired (watch/list from a compacted resourceVersion). */
void ck_status_expired(ck_status *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ck_status_method_not_allowed(ck_status *st, const char *verb, const char *group,
                                  const char *resource);
/* metav1.Status JSON ({"kind":"Status","apiVersion":"v1",...}); new reference. */
json_t *ck_status_to_json(const ck_status *st);
/* A Success Status (as returned by some deletes); new reference. */
json_t *ck_status_success_json(const char *group, const char *kind, const char *name, const char *uid);
#endif
