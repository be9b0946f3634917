/* fuzz_object.c: libFuzzer target for the create path of every kind: decode
 * (JSON), type checks, pruning, defaulting and validation, as the apiserver
 * runs them on a request body. The first input byte picks the row of
 * ck_kinds[]; the rest is the body. */
#include <stdint.h>
#include <stdlib.h>
#include "api/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || ck_kinds_count == 0) return 0;
    const ck_kind *k = &ck_kinds[data[0] % ck_kinds_count];
    ck_status st = {0};
    json_t *dups = NULL;
    json_t *obj = ck_decode_body(data[0] & 0x80 ? "application/merge-patch+json" : "application/json",
                                 (const char *)data + 1, size - 1, &dups, &st);
    if (!obj) { ck_status_clear(&st); return 0; }
    if (ck_check_types(k, obj, &st) == 0) {
        json_t *unknown = json_array();
        ck_prune_unknown(k, obj, unknown);
        ck_status strict = {0};
        (void)ck_strict_error(k, unknown, dups, &strict);
        ck_status_clear(&strict);
        json_decref(ck_field_warnings(unknown, dups));
        json_decref(unknown);

        ck_apply_defaults(k, obj);
        /* Defaulting is idempotent upstream (defaulters run on every decode,
         * including of stored objects): a second pass must change nothing. */
        json_t *again = json_deep_copy(obj);
        if (again) {
            ck_apply_defaults(k, again);
            if (!json_equal(obj, again)) abort();
            json_decref(again);
        }
        ck_errs errs = CK_ERRS_INIT;
        ck_validate_object(k, obj, NULL, &errs);
        if (ck_errs_count(&errs)) {
            ck_status inv = {0};
            ck_status_invalid(&inv, k->group, k->kind, "x", &errs);
            json_decref(ck_status_to_json(&inv));
            ck_status_clear(&inv);
        }
        ck_errs_free(&errs);
        /* The update path: the object against itself as the old one. */
        ck_errs uerrs = CK_ERRS_INIT;
        ck_validate_object(k, obj, obj, &uerrs);
        ck_errs_free(&uerrs);
    }
    ck_status_clear(&st);
    json_decref(dups);
    json_decref(obj);
    return 0;
}
