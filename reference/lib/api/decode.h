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
 * application/*+json patch types are JSON). On success returns a new reference;
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
 * size, ownerReferences, finalizers) + schema type checks + k->validate. */
void ck_validate_object(const ck_kind *k, const json_t *obj, const json_t *old, ck_errs *errs);

/* The upstream validators other code reuses. Each appends to errs. */
void ck_validate_dns1123_subdomain(const char *value, const char *field, ck_errs *errs);
void ck_validate_dns1123_label(const char *value, const char *field, ck_errs *errs);
void ck_validate_labels(const json_t *labels, const char *field, ck_errs *errs);
void ck_validate_annotations(const json_t *annotations, const char *field, ck_errs *errs);
#endif
