/* quantity.h: resource.Quantity (k8s.io/apimachinery/pkg/api/resource):
 * "100m", "1.5Gi", "1e3", "500M". Values are held as signed milli-units in
 * int64 (enough for every quantity ckube schedules); anything larger or
 * finer is rejected with an error rather than rounded silently. */
#ifndef CK_API_QUANTITY_H
#define CK_API_QUANTITY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ck_quantity_format {
    CK_QF_DECIMAL_SI,  /* m, "", k, M, G, T, P, E */
    CK_QF_BINARY_SI,   /* Ki, Mi, Gi, Ti, Pi, Ei */
    CK_QF_DECIMAL_EXP, /* e3, E6 */
} ck_quantity_format;

typedef struct ck_quantity {
    int64_t milli;             /* value * 1000 */
    ck_quantity_format format; /* suffix family it was written in, kept for canonical output */
} ck_quantity;

/* 0 on success; -1 with `quantities must match the regular expression ...`
 * or an overflow message in err. */
int ck_quantity_parse(const char *s, ck_quantity *q, char *err, size_t errlen);
/* Canonical form as upstream serialises it ("1000m" -> "1", "1536Mi" stays,
 * "0.5Gi" -> "512Mi", "1e3" -> "1e3"). Writes into out; -1 if it does not fit. */
int ck_quantity_format_str(const ck_quantity *q, char *out, size_t outlen);
/* Convenience: value in milli-units of s, or `dflt` if s is NULL or invalid. */
int64_t ck_quantity_milli(const char *s, int64_t dflt);
/* Convenience: whole units, rounded up (memory bytes, pods count). */
int64_t ck_quantity_value(const char *s, int64_t dflt);
#endif
