/* base64.h: RFC 4648 standard base64 (with padding), the encoding etcd's
 * JSON gateway (grpc-gateway's jsonpb) uses for every bytes field: keys,
 * values, range ends. */
#ifndef CK_STORE_BASE64_H
#define CK_STORE_BASE64_H
#include <stddef.h>

/* Encodes n bytes; returns a NUL-terminated string the caller frees, or
 * NULL when out of memory. *outlen (may be NULL) receives its length. */
char *ck_base64_encode(const void *data, size_t n, size_t *outlen);
/* Encodes n bytes into dst, which has room for (n + 2) / 3 * 4 bytes; no
 * NUL is written. Returns the number of bytes written. */
size_t ck_base64_encode_to(char *dst, const void *data, size_t n);
/* Decodes standard or URL-safe base64 (padding optional). Returns a buffer
 * with a NUL after the last byte, which the caller frees; NULL on invalid
 * input or out of memory. *outlen receives the decoded length. */
char *ck_base64_decode(const char *s, size_t n, size_t *outlen);
#endif
