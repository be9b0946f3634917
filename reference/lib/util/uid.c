/* uid.c: v4 UIDs and generateName suffixes from the kernel's CSPRNG. */
#include "util/uid.h"
#include <stdio.h>
#include <sys/random.h>

int ck_random_bytes(void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom((char *)buf + got, n - got, 0);
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    return 0;
}

char *ck_uid_new(char *out)
{
    unsigned char b[16] = {0};
    ck_random_bytes(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, CK_UID_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
             b[12], b[13], b[14], b[15]);
    return out;
}

void ck_rand_suffix(char *out, size_t n)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    unsigned char b[64] = {0};
    if (n > sizeof b) n = sizeof b;
    ck_random_bytes(b, n);
    for (size_t i = 0; i < n; i++) out[i] = alphabet[b[i] % (sizeof alphabet - 1)];
    out[n] = 0;
}
