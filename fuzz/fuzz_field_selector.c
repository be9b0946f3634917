/* fuzz_field_selector.c: libFuzzer target for field selector parsing and matching. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "api/selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = strndup((const char *)data, size);
    if (!s) return 0;
    char err[512];
    ck_field_selector *f = ck_field_selector_parse(s, err, sizeof err);
    if (f) {
        json_t *obj = json_pack("{s:{s:s},s:{s:s,s:b}}", "metadata", "name", "n", "spec", "nodeName", "a", "x", 1);
        (void)ck_field_selector_matches(f, obj);
        (void)ck_field_selector_exact(f, "metadata.name");
        (void)ck_field_selector_unsupported(f, (const char *const[]){"spec.nodeName", NULL});
        json_decref(obj);
        ck_field_selector_free(f);
    }
    free(s);
    return 0;
}
