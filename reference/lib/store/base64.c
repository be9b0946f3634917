/* base64.c: the base64 codec for etcd's JSON gateway. Decoding accepts both
 * alphabets because Go's jsonpb accepts both when reading []byte. */
#include "store/base64.h"
#include <stdint.h>
#include <stdlib.h>

static const char enc_table[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t ck_base64_encode_to(char *dst, const void *data, size_t n)
{
    const unsigned char *p = data;
    char *o = dst;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = enc_table[v >> 18 & 63];
        *o++ = enc_table[v >> 12 & 63];
        *o++ = enc_table[v >> 6 & 63];
        *o++ = enc_table[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = enc_table[v >> 18 & 63];
        *o++ = enc_table[v >> 12 & 63];
        *o++ = i + 1 < n ? enc_table[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    return (size_t)(o - dst);
}

char *ck_base64_encode(const void *data, size_t n, size_t *outlen)
{
    size_t len = (n + 2) / 3 * 4;
    char *out = malloc(len + 1);
    if (!out) return NULL;
    ck_base64_encode_to(out, data, n);
    out[len] = '\0';
    if (outlen) *outlen = len;
    return out;
}

/* 0..63 for alphabet characters, -1 otherwise. */
static int dec_char(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

char *ck_base64_decode(const char *s, size_t n, size_t *outlen)
{
    while (n > 0 && s[n - 1] == '=') n--;
    if (n % 4 == 1) return NULL;
    char *out = malloc(n / 4 * 3 + 3 + 1);
    if (!out) return NULL;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int d = dec_char((unsigned char)s[i]);
        if (d < 0) { free(out); return NULL; }
        acc = acc << 6 | (uint32_t)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)(acc >> bits & 0xff);
        }
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}
