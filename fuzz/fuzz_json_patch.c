/* fuzz_json_patch.c: libFuzzer target for JSON Patch: the input is a JSON
 * array [doc, ops]. */
#include <stdint.h>
#include <stdlib.h>
#include "api/patch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *in = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!in) return 0;
    char err[512];
    int bad;
    json_t *out = ck_json_patch_apply(json_array_get(in, 0), json_array_get(in, 1), &bad, err, sizeof err);
    if (out) {
        char *s = json_dumps(out, JSON_ENCODE_ANY);
        free(s);
    }
    json_decref(out);
    json_decref(in);
    return 0;
}
