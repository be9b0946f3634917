/* fuzz_merge_patch.c: libFuzzer target for JSON Merge Patch: input [doc, patch];
 * applying the same patch twice must be idempotent (RFC 7386). */
#include <stdint.h>
#include <stdlib.h>
#include "api/patch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *in = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!in) return 0;
    json_t *patch = json_array_get(in, 1);
    json_t *once = ck_merge_patch_apply(json_array_get(in, 0), patch);
    json_t *twice = once ? ck_merge_patch_apply(once, patch) : NULL;
    if (once && twice && !json_equal(once, twice)) abort();
    json_decref(twice);
    json_decref(once);
    json_decref(in);
    return 0;
}
