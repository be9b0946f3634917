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

#define F_STR(n)        {.name = (n), .type = CK_STRING}
#define F_INT(n)        {.name = (n), .type = CK_INT}
#define F_NUM(n)        {.name = (n), .type = CK_NUMBER}
#define F_BOOL(n)       {.name = (n), .type = CK_BOOL}
#define F_TIME(n)       {.name = (n), .type = CK_TIME}
#define F_ANY(n)        {.name = (n), .type = CK_ANY}
#define F_QTY(n)        {.name = (n), .type = CK_QUANTITY}
#define F_STRMAP(n)     {.name = (n), .type = CK_MAP, .items = &ck_field_string}
#define F_QTYMAP(n)     {.name = (n), .type = CK_MAP, .items = &ck_field_quantity}
#define F_STRLIST(n)    {.name = (n), .type = CK_ARRAY, .items = &ck_field_string}
#define F_OBJ(n, fl)    {.name = (n), .type = CK_OBJECT, .fields = (fl)}
#define F_LIST(n, it)   {.name = (n), .type = CK_ARRAY, .items = (it)}
/* A list of objects merged by key under strategic merge patch. */
#define F_MLIST(n, it, key) {.name = (n), .type = CK_ARRAY, .items = (it), \
                             .merge_key = (key), .patch_strategy = "merge"}
#define F_REF(n)        {.name = (n), .type = CK_OBJECT, .fields = ck_object_reference_fields}
#define F_END           {0}
/* apiVersion, kind, metadata: the head of every root. */
#define F_TYPEMETA      F_STR("apiVersion"), F_STR("kind"), \
                        {.name = "metadata", .type = CK_OBJECT, .fields = ck_object_meta_fields}
extern const ck_field ck_object_meta_fields[];      /* ObjectMeta's field list */
extern const ck_field ck_object_reference_fields[];

/* Table cells (new references). */
json_t *ck_cell_age(const json_t *obj);             /* metadata.creationTimestamp as "5m" */
/* duration.HumanDuration of `seconds` into out. Returns out. */
char *ck_human_duration(long long seconds, char *out, size_t n);
/* "Name" and "Age", as every upstream printer starts/ends. */
#define COL_NAME {.name = "Name", .type = "string", .format = "name", \
                  .description = "Name must be unique within a namespace.", .json_path = "metadata.name"}
#define COL_AGE  {.name = "Age", .type = "string", .format = "", \
                  .description = "CreationTimestamp is a timestamp representing the server time when this object was created.", \
                  .cell = ck_cell_age}
#endif
