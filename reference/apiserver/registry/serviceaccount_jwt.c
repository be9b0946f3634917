/* serviceaccount_jwt.c: the service-account signing key (generated with
 * libcrypto or read from PEM files), RS256 signing and verification of
 * compact JWTs, and the JWKS (upstream pkg/serviceaccount/jwt.go,
 * openidmetadata.go). */
#include "apiserver/registry/serviceaccount_jwt.h"
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "store/base64.h"

#define MAX_KEYS 4

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static EVP_PKEY *signing;          /* private key, owned */
static EVP_PKEY *verify[MAX_KEYS]; /* verification keys, owned (signing's public half first) */
static char kids[MAX_KEYS][64];
static size_t nverify;
static char issuer[512] = CK_SA_DEFAULT_ISSUER;

char *ck_base64url_encode(const void *data, size_t n)
{
    size_t len = 0;
    char *s = ck_base64_encode(data, n, &len);
    if (!s) return NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') s[i] = '-';
        else if (s[i] == '/') s[i] = '_';
        else if (s[i] == '=') { s[i] = 0; break; }
    }
    return s;
}

/* keyIDFromPublicKey: base64url(sha256(DER PKIX public key)). */
static int key_id(EVP_PKEY *k, char *out, size_t n)
{
    unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    int len = i2d_PUBKEY(k, &der);
    if (len <= 0) return -1;
    int ok = EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL);
    OPENSSL_free(der);
    if (!ok) return -1;
    char *s = ck_base64url_encode(md, mdlen);
    if (!s) return -1;
    snprintf(out, n, "%s", s);
    free(s);
    return 0;
}

static int add_verify_key(EVP_PKEY *k, char *err, size_t errlen)
{
    if (nverify == MAX_KEYS) return snprintf(err, errlen, "too many service account keys"), -1;
    if (key_id(k, kids[nverify], sizeof kids[0]) < 0) return snprintf(err, errlen, "cannot compute key id"), -1;
    verify[nverify++] = k;
    return 0;
}

static EVP_PKEY *read_pem(const char *path, bool want_private, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) return snprintf(err, errlen, "open %s: %s", path, strerror(errno)), NULL;
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    if (!k && !want_private) {
        rewind(f);
        k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
    }
    fclose(f);
    if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
        EVP_PKEY_free(k);
        snprintf(err, errlen, "%s: no RSA %s key in PEM", path, want_private ? "private" : "");
        return NULL;
    }
    return k;
}

/* Writes a new key's PEM (mode 0600) so the next start reads it back. */
static int write_pem(const char *path, EVP_PKEY *k, char *err, size_t errlen)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return snprintf(err, errlen, "create %s: %s", tmp, strerror(errno)), -1;
    fchmod(fileno(f), 0600);
    int ok = PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
    if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return snprintf(err, errlen, "write %s failed", path), -1;
    }
    return 0;
}

/* Locked: makes sure a signing key exists (generated when none was configured). */
static int ensure_key(char *err, size_t errlen)
{
    if (signing) return 0;
    EVP_PKEY *k = EVP_RSA_gen(2048);
    if (!k) return snprintf(err, errlen, "RSA key generation failed"), -1;
    if (!EVP_PKEY_up_ref(k) || add_verify_key(k, err, errlen) < 0) {
        EVP_PKEY_free(k);
        return -1;
    }
    signing = k;
    return 0;
}

static void reset_locked(void)
{
    EVP_PKEY_free(signing);
    signing = NULL;
    for (size_t i = 0; i < nverify; i++) EVP_PKEY_free(verify[i]);
    nverify = 0;
}

void ck_sa_jwt_reset(void)
{
    pthread_mutex_lock(&mu);
    reset_locked();
    pthread_mutex_unlock(&mu);
}

int ck_sa_jwt_configure(const char *iss, const char *key_file, const char *signing_key_file, char *err,
                        size_t errlen)
{
    int rc = 0;
    pthread_mutex_lock(&mu);
    reset_locked();
    if (iss && *iss) snprintf(issuer, sizeof issuer, "%s", iss);
    if (signing_key_file && *signing_key_file) {
        struct stat sb;
        if (stat(signing_key_file, &sb) < 0 && errno == ENOENT) {
            rc = ensure_key(err, errlen);
            if (rc == 0) rc = write_pem(signing_key_file, signing, err, errlen);
        } else {
            EVP_PKEY *k = read_pem(signing_key_file, true, err, errlen);
            if (!k) rc = -1;
            else if (!EVP_PKEY_up_ref(k) || add_verify_key(k, err, errlen) < 0) EVP_PKEY_free(k), rc = -1;
            else signing = k;
        }
    }
    if (rc == 0 && key_file && *key_file) {
        EVP_PKEY *k = read_pem(key_file, false, err, errlen);
        if (!k) rc = -1;
        else if (signing && EVP_PKEY_eq(k, signing) == 1) EVP_PKEY_free(k); /* already verifying */
        else if (add_verify_key(k, err, errlen) < 0) EVP_PKEY_free(k), rc = -1;
        /* A private key given only as --service-account-key-file also signs. */
        if (rc == 0 && !signing) {
            EVP_PKEY *p = read_pem(key_file, true, err, errlen);
            if (p) signing = p;
        }
    }
    if (rc == 0) rc = ensure_key(err, errlen);
    if (rc < 0) reset_locked();
    pthread_mutex_unlock(&mu);
    return rc;
}

const char *ck_sa_jwt_issuer(void) { return issuer; }

static char *json_b64url(const json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    if (!s) return NULL;
    char *b = ck_base64url_encode(s, strlen(s));
    free(s);
    return b;
}

static size_t sign_input(char *buf, size_t n, const char *h, const char *p)
{
    return (size_t)snprintf(buf, n, "%s.%s", h, p);
}

char *ck_sa_jwt_sign(const json_t *claims, char *err, size_t errlen)
{
    pthread_mutex_lock(&mu);
    char *out = NULL, *h = NULL, *p = NULL, *sig64 = NULL, *input = NULL;
    unsigned char *sig = NULL;
    EVP_MD_CTX *md = NULL;
    if (ensure_key(err, errlen) < 0) goto done;
    json_t *header = json_pack("{s:s,s:s}", "alg", "RS256", "kid", kids[0]);
    h = json_b64url(header);
    json_decref(header);
    p = json_b64url(claims);
    if (!h || !p) goto oom;
    size_t ilen = strlen(h) + strlen(p) + 2;
    if (!(input = malloc(ilen))) goto oom;
    sign_input(input, ilen, h, p);
    size_t siglen = 0;
    md = EVP_MD_CTX_new();
    if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, signing) != 1 ||
        EVP_DigestSign(md, NULL, &siglen, (unsigned char *)input, ilen - 1) != 1 || !(sig = malloc(siglen)) ||
        EVP_DigestSign(md, sig, &siglen, (unsigned char *)input, ilen - 1) != 1) {
        snprintf(err, errlen, "signing failed");
        goto done;
    }
    if (!(sig64 = ck_base64url_encode(sig, siglen))) goto oom;
    size_t olen = ilen + strlen(sig64) + 1;
    if (!(out = malloc(olen))) goto oom;
    snprintf(out, olen, "%s.%s", input, sig64);
    goto done;
oom:
    snprintf(err, errlen, "out of memory");
done:
    pthread_mutex_unlock(&mu);
    EVP_MD_CTX_free(md);
    free(h), free(p), free(sig64), free(input), free(sig);
    return out;
}

/* Locked: whether sig verifies input under any verification key. */
static bool verifies(const char *input, size_t ilen, const unsigned char *sig, size_t siglen)
{
    bool ok = false;
    for (size_t i = 0; i < nverify && !ok; i++) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, verify[i]) == 1 &&
             EVP_DigestVerify(md, sig, siglen, (const unsigned char *)input, ilen) == 1;
        EVP_MD_CTX_free(md);
    }
    return ok;
}

json_t *ck_sa_jwt_verify(const char *token, char *err, size_t errlen)
{
    const char *d1 = strchr(token, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.')) return snprintf(err, errlen, "token is not a compact JWT"), NULL;
    size_t hl = 0, pl = 0, sl = 0;
    char *hdr = ck_base64_decode(token, (size_t)(d1 - token), &hl);
    char *pay = ck_base64_decode(d1 + 1, (size_t)(d2 - d1 - 1), &pl);
    char *sig = ck_base64_decode(d2 + 1, strlen(d2 + 1), &sl);
    json_t *h = hdr ? json_loadb(hdr, hl, 0, NULL) : NULL;
    json_t *claims = pay ? json_loadb(pay, pl, 0, NULL) : NULL;
    json_t *out = NULL;
    if (!json_is_object(h) || !json_is_object(claims) || !sig) {
        snprintf(err, errlen, "malformed JWT");
    } else if (strcmp(json_string_value(json_object_get(h, "alg")) ?: "", "RS256") != 0) {
        snprintf(err, errlen, "unexpected signing algorithm");
    } else {
        pthread_mutex_lock(&mu);
        bool ok = verifies(token, (size_t)(d2 - token), (unsigned char *)sig, sl);
        pthread_mutex_unlock(&mu);
        /* go-jose's message as the upstream authenticator surfaces it. */
        if (!ok) snprintf(err, errlen, "square/go-jose: error in cryptographic primitive");
        else out = json_incref(claims);
    }
    json_decref(h), json_decref(claims);
    free(hdr), free(pay), free(sig);
    return out;
}

static char *bn_b64url(EVP_PKEY *k, const char *param)
{
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_bn_param(k, param, &bn) != 1) return NULL;
    int n = BN_num_bytes(bn);
    unsigned char *buf = malloc((size_t)n + 1);
    char *s = NULL;
    if (buf) {
        BN_bn2bin(bn, buf);
        s = ck_base64url_encode(buf, (size_t)n);
    }
    free(buf);
    BN_free(bn);
    return s;
}

json_t *ck_sa_jwt_jwks(void)
{
    char err[128];
    json_t *keys = json_array();
    pthread_mutex_lock(&mu);
    if (keys && ensure_key(err, sizeof err) == 0) {
        for (size_t i = 0; i < nverify; i++) {
            char *n = bn_b64url(verify[i], OSSL_PKEY_PARAM_RSA_N), *e = bn_b64url(verify[i], OSSL_PKEY_PARAM_RSA_E);
            if (n && e)
                json_array_append_new(keys, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "use", "sig", "kty", "RSA", "kid",
                                                      kids[i], "alg", "RS256", "n", n, "e", e));
            free(n), free(e);
        }
    }
    pthread_mutex_unlock(&mu);
    return keys ? json_pack("{s:o}", "keys", keys) : NULL;
}
