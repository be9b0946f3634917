/* fuzz_protobuf.c: libFuzzer target for Kubernetes protobuf request bodies
 * (application/vnd.kubernetes.protobuf): the envelope, the schema-driven
 * wire walk and the apimachinery types, then the create path's checks on
 * whatever decodes. Seeds are bodies kubectl really sent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "api/decode.h"
#include "api/protobuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ck_status st = {0};
    json_t *obj = ck_decode_body(CK_PROTOBUF_MEDIA_TYPE, (const char *)data, size, NULL, &st);
    if (!obj) {
        /* Malformed input is a 400, never anything else. */
        if (st.code != 400) abort();
        ck_status_clear(&st);
        return 0;
    }
    /* The envelope named a served kind: apiVersion "group/version" or "v1". */
    const char *av = json_string_value(json_object_get(obj, "apiVersion"));
    const char *slash = av ? strchr(av, '/') : NULL;
    char group[128] = "";
    if (slash && (size_t)(slash - av) < sizeof group) memcpy(group, av, (size_t)(slash - av));
    const ck_kind *k = ck_kind_by_kind(group, json_string_value(json_object_get(obj, "kind")));
    if (k && ck_check_types(k, obj, &st) == 0) {
        json_t *unknown = json_array();
        ck_prune_unknown(k, obj, unknown);
        /* Every decoded field is in the schema: nothing to prune. */
        if (json_array_size(unknown)) abort();
        json_decref(unknown);
        ck_apply_defaults(k, obj);
        ck_errs errs = CK_ERRS_INIT;
        ck_validate_object(k, obj, NULL, &errs);
        ck_errs_free(&errs);
    }
    ck_status_clear(&st);
    json_decref(obj);
    return 0;
}
