/* patch.h: the three patch types the apiserver accepts.
 *  - JSON Patch (RFC 6902, application/json-patch+json)
 *  - JSON Merge Patch (RFC 7386, application/merge-patch+json)
 *  - Strategic Merge Patch (application/strategic-merge-patch+json), with the
 *    merge keys and strategies of the kind's schema (patchMergeKey /
 *    patchStrategy of k8s.io/api), and the $patch, $retainKeys,
 *    $deleteFromPrimitiveList/<f> and $setElementOrder/<f> directives
 *    (k8s.io/apimachinery/pkg/util/strategicpatch).
 * Each returns a NEW reference (the patched document) or NULL with a message
 * in err; the inputs are never modified. */
#ifndef CK_API_PATCH_H
#define CK_API_PATCH_H
#include <jansson.h>
#include <stddef.h>
#include "api/kinds.h"

/* err is set when the patch document itself is malformed (-> 400 BadRequest)
 * or when an operation cannot apply (missing path, failed test: -> 422).
 * *bad_doc (may be NULL) tells which: 1 = malformed document. */
json_t *ck_json_patch_apply(const json_t *doc, const json_t *ops, int *bad_doc, char *err,
                            size_t errlen);
json_t *ck_merge_patch_apply(const json_t *doc, const json_t *patch);
/* schema: the CK_OBJECT field describing the whole document (ck_kind.root);
 * NULL = no merge keys known (lists are replaced, as for unknown kinds). */
json_t *ck_strategic_merge_patch_apply(const json_t *doc, const json_t *patch,
                                       const ck_field *schema, char *err, size_t errlen);
#endif
