/* sha256.h: SHA-256 (FIPS 180-4), just enough for kube-proxy's chain names.
 * libckube links no crypto library, and upstream hashes with crypto/sha256. */
#ifndef CK_PROXY_SHA256_H
#define CK_PROXY_SHA256_H
#include <stddef.h>
#include <stdint.h>

/* Writes the 32-byte digest of data[0..len) into out. */
void ck_sha256(const void *data, size_t len, uint8_t out[32]);
#endif
