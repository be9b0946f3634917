/* strategicpatch_order.h: internals shared by strategicpatch.c and
 * strategicpatch_order.c: list element kinds, Go-style equality, the
 * element-order normalisation of apimachinery's strategicpatch, and its
 * error texts (mergepatch/errors.go). Not a public API. */
#ifndef CK_API_STRATEGICPATCH_ORDER_H
#define CK_API_STRATEGICPATCH_ORDER_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SMP_MAX_DEPTH 512

typedef struct smp_ctx {
    char *err;
    size_t errlen;
    int depth;
} smp_ctx;

/* All failures return -1 and leave a message in c->err. */
int smp_fail(smp_ctx *c, const char *msg);
int smp_fail_v(smp_ctx *c, const char *fmt_with_gotype, const json_t *v);
int smp_fail_no_merge_key(smp_ctx *c, const json_t *m, const char *mkey);
int smp_fail_patch_type(smp_ctx *c, const json_t *directive, const json_t *m, const char *what);

/* jansson type with integer/real and true/false folded (Go's float64, bool). */
int smp_kind(const json_t *v);
/* Go's == on decoded JSON scalars (NULL == NULL). */
bool smp_equal(const json_t *a, const json_t *b);
/* Index of v in list (by mkey's value when mkey is non-empty), or -1. */
long smp_index_of(const json_t *list, const json_t *v, const char *mkey);
/* findMapInSliceBasedOnKeyValue: index, -1 if absent, -2 (error set) if an element is no map. */
long smp_find_by_key(const json_t *list, const char *mkey, const json_t *value, smp_ctx *c);
/* sliceElementType over two lists: a kind, or -1 with an error. */
int smp_element_kind(const json_t *a, const json_t *b, smp_ctx *c);
/* deleteFromSlice: new array of cur's items not in del. */
json_t *smp_delete_from_slice(const json_t *cur, const json_t *del);
/* validatePatchWithSetOrderList: 0 or -1. patch may be NULL. */
int smp_validate_order(const json_t *patch, const json_t *order, const char *mkey, smp_ctx *c);
/* Partition `merged` into items present in patch_order and server-only items,
 * then normalizeElementOrder. Returns a new array or NULL (error set). */
json_t *smp_order_merged(const json_t *merged, const json_t *patch_order, const json_t *server_order,
                         const char *mkey, int kind, smp_ctx *c);
#endif
