/* strmap.h: a small string-keyed hash map (chained, power-of-two buckets)
 * used by the scheduler's cache and queue to find pods and nodes by key
 * ("ns/name", node name) in O(1). Values are borrowed void pointers. */
#ifndef CK_SCHED_STRMAP_H
#define CK_SCHED_STRMAP_H
#include <stddef.h>

typedef struct ck_strmap ck_strmap; /* opaque; not thread-safe */

/* NULL on OOM. Free with ck_strmap_free (values are not freed). */
ck_strmap *ck_strmap_new(void);
void ck_strmap_free(ck_strmap *m);
/* Inserts or replaces; the key is copied. 0, or -1 on OOM. */
int ck_strmap_put(ck_strmap *m, const char *key, void *value);
/* The value for key, or NULL. */
void *ck_strmap_get(const ck_strmap *m, const char *key);
/* Removes key; returns its value or NULL when absent. */
void *ck_strmap_del(ck_strmap *m, const char *key);
size_t ck_strmap_len(const ck_strmap *m);
/* Calls fn for every entry (order unspecified); fn must not modify the map. */
void ck_strmap_each(const ck_strmap *m, void (*fn)(const char *key, void *value, void *ud), void *ud);
#endif
