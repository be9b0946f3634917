/* ckjson.h: small helpers over jansson for the shapes Kubernetes objects have:
 * dotted-path lookups ("metadata.name"), typed getters with defaults, and
 * canonical serialisation. Every json_t* returned is borrowed unless noted. */
#ifndef CK_UTIL_CKJSON_H
#define CK_UTIL_CKJSON_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Borrowed child at a dotted path ("metadata.labels"), NULL when absent.
 * Path segments are object keys only; no escaping ("a.b" keys are not reachable). */
json_t *ck_json_path(const json_t *root, const char *dotted);
/* String at a dotted path, or `dflt` when absent or not a string. Borrowed. */
const char *ck_json_str(const json_t *root, const char *dotted, const char *dflt);
/* Integer at a dotted path, or `dflt`. */
long long ck_json_int(const json_t *root, const char *dotted, long long dflt);
bool ck_json_bool(const json_t *root, const char *dotted, bool dflt);
/* Object at a dotted path, created (with intermediate objects) when absent;
 * NULL if a non-object is in the way. Borrowed. */
json_t *ck_json_ensure_object(json_t *root, const char *dotted);
/* Sets root[dotted] = value, creating intermediate objects; steals `value`.
 * Returns 0, or -1 (value freed) if the path is blocked by a non-object. */
int ck_json_set(json_t *root, const char *dotted, json_t *value);
/* Compact, key-order-preserving dump. Caller frees with free(). */
char *ck_json_dump(const json_t *v);
/* Deep equality (jansson's json_equal, NULL-safe: two NULLs are equal). */
bool ck_json_equal(const json_t *a, const json_t *b);
#endif
