/* fuzz_quantity.c: libFuzzer target for resource.Quantity parsing; the
 * canonical form must parse back to the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "api/quantity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = strndup((const char *)data, size);
    if (!s) return 0;
    ck_quantity q, q2;
    char err[256], out[64];
    if (ck_quantity_parse(s, &q, err, sizeof err) == 0) {
        if (ck_quantity_format_str(&q, out, sizeof out) != 0) abort();
        if (ck_quantity_parse(out, &q2, err, sizeof err) != 0 || q2.milli != q.milli) abort();
        (void)ck_quantity_value(s, 0);
    }
    free(s);
    return 0;
}
