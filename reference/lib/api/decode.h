/* decode.h: request bodies to objects, the way the apiserver's serializers do:
 * JSON (jansson) or YAML (libfyaml) into a json_t, then strict/warn/ignore
 * handling of unknown and duplicate fields against the kind's schema
 * (fieldValidation, k8s.io/apiserver/pkg/endpoints/handlers/rest.go), then
 * defaulting and validation. */
#ifndef CK_API_DECODE_H
#define CK_API_DECODE_H
#include <jansson.h>
#include <stddef.h>
#include "api/kinds.h"
#include "api/status.h"

typedef enum ck_field_validation {
    CK_FV_WARN = 0,   /* default: drop unknown fields, report them as Warning headers */
    CK_FV_IGNORE,     /* drop silently */
    CK_FV_STRICT,     /* 400 BadRequest `strict decoding error: unknown field "spec.x"` */
} ck_field_validation;

/* Parses a body by Content-Type (application/json, application/yaml,
 * the application/...+json patch types are JSON). On success returns a new reference;
 * *dups (may be NULL) receives a new array of duplicate field paths found
 * ("metadata.name"), or NULL if none. On failure NULL and a 400 in st
 * (or 415 UnsupportedMediaType for an unknown content type). */
json_t *ck_decode_body(const char *content_type, const char *body, size_t len,
                       json_t **dups, ck_status *st);

/* Walks obj against k->root: every unknown field path is appended to
 * `unknown` (array of strings like "spec.x") and removed from obj. */
void ck_prune_unknown(const ck_kind *k, json_t *obj, json_t *unknown);

/* Applies the schema defaults (ck_field.dflt) and then k->defaults. */
void ck_apply_defaults(const ck_kind *k, json_t *obj);

/* Generic ObjectMeta validation (name/generateName as DNS-1123 subdomain or
 * label per kind, namespace presence, labels and annotations syntax and
 * size, ownerReferences, finalizers, immutable name/namespace/uid on
 * update) + k->validate. Schema type mismatches are not 422s upstream but
 * 400 decode errors: see ck_check_types, to call before this. */
void ck_validate_object(const ck_kind *k, const json_t *obj, const json_t *old, ck_errs *errs);

/* The upstream validators other code reuses. Each appends to errs. */
void ck_validate_dns1123_subdomain(const char *value, const char *field, ck_errs *errs);
void ck_validate_dns1123_label(const char *value, const char *field, ck_errs *errs);
void ck_validate_labels(const json_t *labels, const char *field, ck_errs *errs);
void ck_validate_annotations(const json_t *annotations, const char *field, ck_errs *errs);
/* validation.IsConfigMapKey (ConfigMap and Secret keys). */
void ck_validate_config_key(const char *key, const char *field, ck_errs *errs);
/* validation.IsQualifiedName ("prefix/name", label keys, finalizers). */
void ck_validate_qualified_name(const char *value, const char *field, ck_errs *errs);

/* Type checks against the schema, as Go's json.Unmarshal into the typed
 * object would fail them: a string where an int is expected is a 400
 * BadRequest `<Kind> in version "<v>" cannot be handled as a <Kind>: json:
 * cannot unmarshal string into Go struct field <Kind>.spec.replicas of type
 * int32` (k8s.io/apiserver/pkg/endpoints/handlers/create.go,
 * transformDecodeError). Returns 0, or -1 with the 400 in st. Nulls are
 * accepted everywhere, as Go decodes null as "leave unset". */
int ck_check_types(const ck_kind *k, const json_t *obj, ck_status *st);

/* The 400 of fieldValidation=Strict: `<Kind> in version "<v>" cannot be
 * handled as a <Kind>: strict decoding error: unknown field "spec.x",
 * duplicate field "metadata.name"`. Returns 0 when both arrays (either
 * may be NULL) are empty, else -1 with the 400 in st. */
int ck_strict_error(const ck_kind *k, const json_t *unknown, const json_t *dups, ck_status *st);
/* The Warning header texts of fieldValidation=Warn (`unknown field "spec.x"`,
 * `duplicate field "metadata.name"`), as a new array of strings. */
json_t *ck_field_warnings(const json_t *unknown, const json_t *dups);
#endif
