/* uid.h: random identifiers: RFC 4122 v4 UIDs for metadata.uid, and the
 * 5-character suffixes of generateName (upstream's alphabet: no vowels
 * or look-alike characters, see k8s.io/apiserver/pkg/storage/names). */
#ifndef CK_UTIL_UID_H
#define CK_UTIL_UID_H
#include <stddef.h>

#define CK_UID_LEN 37
/* Writes a fresh "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" into out. Returns out. */
char *ck_uid_new(char *out);
/* Writes n random characters from "bcdfghjklmnpqrstvwxz2456789" and a NUL. */
void ck_rand_suffix(char *out, size_t n);
/* n random bytes (getrandom, falling back to /dev/urandom). 0 or -1. */
int ck_random_bytes(void *buf, size_t n);
#endif
