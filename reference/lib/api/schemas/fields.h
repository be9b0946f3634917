/* fields.h: shorthand for declaring schemas as data (the schemas/ files) and the
 * Table cells several kinds share (Name, Age). Shared leaf nodes live in
 * meta.c. */
#ifndef CK_API_SCHEMAS_FIELDS_H
#define CK_API_SCHEMAS_FIELDS_H
#include "api/kinds.h"

extern const ck_field ck_field_string;   /* a string leaf (map/array items) */
extern const ck_field ck_field_int;
extern const ck_field ck_field_quantity;
extern const ck_field ck_field_object_reference; /* core/v1 ObjectReference */

/* Each F_* macro takes an optional tail of designated initialisers, for the
 * protobuf field number and pointer-ness: F_INT("replicas", PBP(1)). */
#define PB(t)           .tag = (t)                          /* protobuf field number */
#define PBP(t)          .tag = (t), .flags = CK_F_POINTER   /* ... of a Go pointer field */
/* A field of a Go struct embedded (protobuf: a message field `outer`) whose
 * fields JSON inlines, e.g. ConfigMapKeySelector's LocalObjectReference at 1:
 * "name" is PBE(1, 1). Decoded by api/protobuf.c; inner < 4096. */
#define CK_PB_EMBEDDED(outer, inner) (-((outer) * 4096 + (inner)))
#define PBE(outer, inner) .tag = CK_PB_EMBEDDED(outer, inner)
#define F_STR(n, ...)   {.name = (n), .type = CK_STRING, __VA_ARGS__}
#define F_INT(n, ...)   {.name = (n), .type = CK_INT, __VA_ARGS__}
#define F_NUM(n, ...)   {.name = (n), .type = CK_NUMBER, __VA_ARGS__}
#define F_BOOL(n, ...)  {.name = (n), .type = CK_BOOL, __VA_ARGS__}
#define F_TIME(n, ...)  {.name = (n), .type = CK_TIME, __VA_ARGS__}
#define F_ANY(n, ...)   {.name = (n), .type = CK_ANY, __VA_ARGS__}
#define F_QTY(n, ...)   {.name = (n), .type = CK_QUANTITY, __VA_ARGS__}
#define F_STRMAP(n, ...) {.name = (n), .type = CK_MAP, .items = &ck_field_string, __VA_ARGS__}
#define F_QTYMAP(n, ...) {.name = (n), .type = CK_MAP, .items = &ck_field_quantity, __VA_ARGS__}
#define F_STRLIST(n, ...) {.name = (n), .type = CK_ARRAY, .items = &ck_field_string, __VA_ARGS__}
#define F_OBJ(n, fl, ...) {.name = (n), .type = CK_OBJECT, .fields = (fl), __VA_ARGS__}
#define F_LIST(n, it, ...) {.name = (n), .type = CK_ARRAY, .items = (it), __VA_ARGS__}
/* A list of objects merged by key under strategic merge patch. */
#define F_MLIST(n, it, key, ...) {.name = (n), .type = CK_ARRAY, .items = (it), \
                             .merge_key = (key), .patch_strategy = "merge", __VA_ARGS__}
#define F_REF(n, ...)   {.name = (n), .type = CK_OBJECT, .fields = ck_object_reference_fields, __VA_ARGS__}
#define F_END           {0}
/* apiVersion, kind, metadata: the head of every root. */
#define F_TYPEMETA      F_STR("apiVersion"), F_STR("kind"), \
                        {.name = "metadata", .type = CK_OBJECT, .fields = ck_object_meta_fields, .tag = 1}
extern const ck_field ck_object_meta_fields[];      /* ObjectMeta's field list */
extern const ck_field ck_object_reference_fields[];

/* Table cells (new references). */
json_t *ck_cell_age(const json_t *obj);             /* metadata.creationTimestamp as "5m" */
json_t *ck_cell_age_of(const char *ts);             /* any RFC 3339 time (NULL: "<unknown>") as "5m" */
/* duration.HumanDuration of `seconds` into out. Returns out. */
char *ck_human_duration(long long seconds, char *out, size_t n);
/* "Name" and "Age", as every upstream printer starts/ends. */
#define COL_NAME {.name = "Name", .type = "string", .format = "name", \
                  .description = "Name must be unique within a namespace.", .json_path = "metadata.name"}
#define COL_AGE  {.name = "Age", .type = "string", .format = "", \
                  .description = "CreationTimestamp is a timestamp representing the server time when this object was created.", \
                  .cell = ck_cell_age}
#endif
