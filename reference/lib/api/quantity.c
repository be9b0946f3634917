/* quantity.c: resource.Quantity parsing and canonical formatting, following
 * k8s.io/apimachinery/pkg/api/resource/quantity.go (parseQuantityString,
 * ParseQuantity, CanonicalizeBytes), held exactly as int64 milli-units. */
#include "api/quantity.h"
#include <stdio.h>
#include <string.h>

/* Upstream's ErrFormatWrong / ErrSuffix texts (quantity.go). */
#define QTY_RE "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
static const char ERR_FORMAT[] = "quantities must match the regular expression '" QTY_RE "'";
static const char ERR_SUFFIX[] = "unable to parse quantity's suffix";

typedef struct qsuffix {
    const char *text;
    int base;     /* 10 or 2 */
    int exponent; /* power of base */
    ck_quantity_format format;
} qsuffix;

/* quantitySuffixer's tables (suffix.go). */
static const qsuffix suffixes[] = {
    {"n", 10, -9, CK_QF_DECIMAL_SI}, {"u", 10, -6, CK_QF_DECIMAL_SI},
    {"m", 10, -3, CK_QF_DECIMAL_SI}, {"", 10, 0, CK_QF_DECIMAL_SI},
    {"k", 10, 3, CK_QF_DECIMAL_SI},  {"M", 10, 6, CK_QF_DECIMAL_SI},
    {"G", 10, 9, CK_QF_DECIMAL_SI},  {"T", 10, 12, CK_QF_DECIMAL_SI},
    {"P", 10, 15, CK_QF_DECIMAL_SI}, {"E", 10, 18, CK_QF_DECIMAL_SI},
    {"Ki", 2, 10, CK_QF_BINARY_SI},  {"Mi", 2, 20, CK_QF_BINARY_SI},
    {"Gi", 2, 30, CK_QF_BINARY_SI},  {"Ti", 2, 40, CK_QF_BINARY_SI},
    {"Pi", 2, 50, CK_QF_BINARY_SI},  {"Ei", 2, 60, CK_QF_BINARY_SI},
};

static int fail(char *err, size_t errlen, const char *msg, const char *s)
{
    if (err && errlen) {
        if (s) snprintf(err, errlen, "%s: %s", msg, s);
        else snprintf(err, errlen, "%s", msg);
    }
    return -1;
}

/* suffixHandler.interpret: table lookup, else "e<int>"/"E<int>" exponent. */
static int interpret_suffix(const char *sfx, size_t n, qsuffix *out)
{
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (strlen(suffixes[i].text) == n && strncmp(suffixes[i].text, sfx, n) == 0) {
            *out = suffixes[i];
            return 0;
        }
    if (n > 1 && (sfx[0] == 'e' || sfx[0] == 'E')) {
        size_t i = 1;
        int neg = 0;
        if (sfx[i] == '+' || sfx[i] == '-') neg = sfx[i++] == '-';
        if (i >= n) return -1;
        long long e = 0;
        for (; i < n; i++) {
            if (sfx[i] < '0' || sfx[i] > '9') return -1;
            if (e < 100000) e = e * 10 + (sfx[i] - '0'); /* saturate: huge is out of range anyway */
        }
        *out = (qsuffix){NULL, 10, (int)(neg ? -e : e), CK_QF_DECIMAL_EXP};
        return 0;
    }
    return -1;
}

/* Splits s the way parseQuantityString does. Returns 0 or -1 (format wrong). */
static int split_quantity(const char *s, bool *positive, const char **num, size_t *numlen,
                          const char **den, size_t *denlen, const char **sfx, size_t *sfxlen)
{
    size_t pos = 0, end = strlen(s);
    *positive = true;
    *num = "0"; *numlen = 1; *den = ""; *denlen = 0; *sfx = ""; *sfxlen = 0;
    if (pos < end && (s[0] == '-' || s[0] == '+')) *positive = s[pos++] == '+';
    while (pos < end && s[pos] == '0') pos++;
    if (pos >= end) return 0;
    size_t start = pos;
    while (pos < end && s[pos] >= '0' && s[pos] <= '9') pos++;
    if (pos > start) { *num = s + start; *numlen = pos - start; }
    if (pos < end && s[pos] == '.') {
        start = ++pos;
        while (pos < end && s[pos] >= '0' && s[pos] <= '9') pos++;
        *den = s + start; *denlen = pos - start;
    }
    start = pos;
    while (pos < end && strchr("eEinumkKMGTP", s[pos])) pos++;
    if (pos < end && (s[pos] == '-' || s[pos] == '+')) pos++;
    while (pos < end && s[pos] >= '0' && s[pos] <= '9') pos++;
    if (pos < end) return -1; /* a non-digit after the suffix */
    *sfx = s + start; *sfxlen = end - start;
    return 0;
}

static bool mul_ok(int64_t a, int64_t b, int64_t *out) { return !__builtin_mul_overflow(a, b, out); }

/* Digits (already stripped of leading zeros) times 10^shift, exactly, in int64.
 * shift < 0 drops trailing digits, which must be zeros (else: finer than milli). */
static int digits_scaled(const char *d, size_t n, int shift, int64_t *out, bool *finer)
{
    *finer = false;
    if (shift < 0) {
        size_t drop = (size_t)-shift;
        size_t keep = drop >= n ? 0 : n - drop;
        for (size_t i = keep; i < n; i++)
            if (d[i] != '0') { *finer = true; return -1; }
        n = keep;
        shift = 0;
    }
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        if (!mul_ok(v, 10, &v) || __builtin_add_overflow(v, d[i] - '0', &v)) return -1;
    if (v == 0) { *out = 0; return 0; }
    for (int i = 0; i < shift; i++)
        if (!mul_ok(v, 10, &v)) return -1;
    *out = v;
    return 0;
}

int ck_quantity_parse(const char *s, ck_quantity *q, char *err, size_t errlen)
{
    if (!s || !*s) return fail(err, errlen, ERR_FORMAT, NULL);
    bool positive;
    const char *num, *den, *sfx;
    size_t numlen, denlen, sfxlen;
    if (split_quantity(s, &positive, &num, &numlen, &den, &denlen, &sfx, &sfxlen) != 0)
        return fail(err, errlen, ERR_FORMAT, NULL);
    qsuffix sf;
    if (interpret_suffix(sfx, sfxlen, &sf) != 0) return fail(err, errlen, ERR_SUFFIX, NULL);

    /* Digits of num.den, leading zeros and the denominator's trailing zeros dropped. */
    char digits[128];
    while (denlen && den[denlen - 1] == '0') denlen--;
    while (numlen > 1 && num[0] == '0') { num++; numlen--; }
    if (numlen + denlen >= sizeof digits)
        return fail(err, errlen, "quantity has too many digits for ckube (int64 milli-units)", s);
    memcpy(digits, num, numlen);
    memcpy(digits + numlen, den, denlen);
    size_t n = numlen + denlen, lead = 0;
    while (lead < n && digits[lead] == '0') lead++;

    int64_t milli = 0;
    bool finer = false;
    if (lead < n) {
        int rc;
        if (sf.base == 10) {
            rc = digits_scaled(digits + lead, n - lead, sf.exponent - (int)denlen + 3, &milli, &finer);
        } else {
            /* value = digits * 2^exp * 1000 / 10^denlen, exact or rejected */
            rc = digits_scaled(digits + lead, n - lead, 3, &milli, &finer);
            for (int i = 0; rc == 0 && i < sf.exponent; i++)
                if (!mul_ok(milli, 2, &milli)) rc = -1;
            for (size_t i = 0; rc == 0 && i < denlen; i++) {
                if (milli % 10) { finer = true; rc = -1; }
                milli /= 10;
            }
        }
        if (rc != 0)
            return fail(err, errlen,
                        finer ? "quantity is finer than ckube's milli-unit precision"
                              : "quantity is too large for ckube (int64 milli-units)",
                        s);
    }
    q->milli = positive ? milli : -milli;
    q->format = sf.format;
    /* ParseQuantity: a binary quantity below 1 is shown as decimal. */
    if (sf.format == CK_QF_BINARY_SI && milli > 0 && milli < 1000) q->format = CK_QF_DECIMAL_SI;
    return 0;
}

/* int64Amount.AsCanonicalBytes: mantissa and an exponent that is a multiple of 3. */
static void canonical_decimal(int64_t milli, int64_t *mant, int *exp)
{
    int64_t m = milli;
    int e = -3;
    while (m % 10 == 0) { m /= 10; e++; }
    /* Go's % keeps the sign: exponent%3 of 1 or -2 multiplies by 10, 2 or -1 by 100 */
    int r = e % 3;
    if (r == 1 || r == -2) { m *= 10; e -= 1; }
    else if (r == 2 || r == -1) { m *= 100; e -= 2; }
    *mant = m;
    *exp = e;
}

int ck_quantity_format_str(const ck_quantity *q, char *out, size_t outlen)
{
    int n;
    if (q->milli == 0) {
        n = snprintf(out, outlen, "0");
        return n < 0 || (size_t)n >= outlen ? -1 : 0;
    }
    ck_quantity_format f = q->format;
    if (f == CK_QF_BINARY_SI) {
        /* CanonicalizeBytes: |v| < 1024 or a fractional value falls back to DecimalSI. */
        if ((q->milli > -1024000 && q->milli < 1024000) || q->milli % 1000 != 0) f = CK_QF_DECIMAL_SI;
    }
    if (f == CK_QF_BINARY_SI) {
        int64_t v = q->milli / 1000;
        int e = 0;
        while (v % 1024 == 0 && e < 6) { v /= 1024; e++; }
        static const char *const bin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        n = snprintf(out, outlen, "%lld%s", (long long)v, bin[e]);
    } else {
        int64_t m;
        int e;
        canonical_decimal(q->milli, &m, &e);
        if (f == CK_QF_DECIMAL_EXP) {
            if (e == 0) n = snprintf(out, outlen, "%lld", (long long)m);
            else n = snprintf(out, outlen, "%llde%d", (long long)m, e);
        } else {
            static const char *const dec[] = {"m", "", "k", "M", "G", "T", "P", "E"};
            int idx = e / 3 + 1; /* e is in [-3, 15] for int64 milli values */
            n = snprintf(out, outlen, "%lld%s", (long long)m, dec[idx]);
        }
    }
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int64_t ck_quantity_milli(const char *s, int64_t dflt)
{
    ck_quantity q;
    if (!s || ck_quantity_parse(s, &q, NULL, 0) != 0) return dflt;
    return q.milli;
}

int64_t ck_quantity_value(const char *s, int64_t dflt)
{
    ck_quantity q;
    if (!s || ck_quantity_parse(s, &q, NULL, 0) != 0) return dflt;
    /* Quantity.Value() rounds away from zero (inf.RoundUp). */
    int64_t v = q.milli / 1000;
    if (q.milli % 1000 > 0) v++;
    else if (q.milli % 1000 < 0) v--;
    return v;
}
