/* table.h: server-side printing. Converts an object or a list into a
 * meta.k8s.io/v1 Table (what kubectl get asks for with
 * Accept: application/json;as=Table;v=v1;g=meta.k8s.io) from the kind's
 * printer columns, as k8s.io/apiserver/pkg/registry/rest/table.go does. */
#ifndef CK_APISERVER_TABLE_H
#define CK_APISERVER_TABLE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "api/kinds.h"

/* The Table of obj_or_list (a single object, or a list with "items").
 * include_object: "Metadata" (NULL or "" also), "Object" or "None" — the
 * ?includeObject= of metav1.TableOptions. no_headers drops columnDefinitions.
 * Returns a new reference, or NULL when include_object is not one of those
 * (upstream answers 400 then). Kinds without columns get upstream's
 * DefaultTableConvertor columns: Name and "Created At". */
json_t *ck_table_convert(const ck_kind *k, const json_t *obj_or_list,
                         const char *include_object, bool no_headers);

/* True when the Accept header asks for a Table (as=Table, g=meta.k8s.io,
 * v=v1 or v1beta1, JSON media type) before any plain JSON entry. */
bool ck_accept_table(const char *accept);

/* HumanDuration (ck_human_duration) and the Age cell (ck_cell_age) live in
 * api/schemas/fields.h, shared with the kinds' printer columns. */
#endif
