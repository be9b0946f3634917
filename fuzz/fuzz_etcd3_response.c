/* fuzz_etcd3_response.c: libFuzzer target for what the etcd3 backend reads
 * from etcd's v3 JSON gateway: range responses (header.revision, kvs[]),
 * txn responses (responses[].response_range.kvs[]), watch stream messages
 * (result.events[].kv / prev_kv) and base64 fields. The response parsers
 * in etcd3.c/etcd3_watch.c are static and sit behind curl, so this drives
 * the shared decoders of etcd3_internal.h with the shapes those functions
 * walk (see docs/fuzzing.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/base64.h"
#include "store/etcd3_internal.h"

static void kvs(const json_t *arr)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) {
        ck_kv kv;
        char err[256];
        if (ck_etcd3_kv_decode(v, &kv, err, sizeof err) == CK_STORE_OK) {
            /* the decoders promise a NUL after the value */
            if (kv.value[kv.value_len] != 0) abort();
            ck_kv_free(&kv);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t outlen;
    char *raw = ck_base64_decode((const char *)data, size, &outlen);
    if (raw) {
        if (raw[outlen] != 0) abort();
        /* decode(encode(x)) == x */
        size_t elen, dlen;
        char *enc = ck_base64_encode(raw, outlen, &elen);
        char *dec = enc ? ck_base64_decode(enc, elen, &dlen) : NULL;
        if (dec && (dlen != outlen || memcmp(dec, raw, outlen))) abort();
        free(dec);
        free(enc);
        free(raw);
    }
    json_t *j = json_loadb((const char *)data, size, 0, NULL);
    if (!j) return 0;
    (void)ck_etcd3_int(json_object_get(j, "header"), "revision");
    (void)ck_etcd3_int(j, "compact_revision");
    kvs(json_object_get(j, "kvs"));
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(j, "responses"), i, r)
        kvs(json_object_get(json_object_get(r, "response_range"), "kvs"));
    json_t *res = json_object_get(j, "result");
    (void)ck_etcd3_int(res, "watch_id");
    (void)ck_etcd3_int(res, "compact_revision");
    json_t *ev;
    json_array_foreach(json_object_get(res, "events"), i, ev) {
        json_t *one = json_array();
        if (!one) break;
        json_array_append(one, json_object_get(ev, "kv"));
        if (json_object_get(ev, "prev_kv")) json_array_append(one, json_object_get(ev, "prev_kv"));
        kvs(one);
        json_decref(one);
    }
    json_t *pe = ck_etcd3_prefix_end(json_string_value(json_object_get(j, "prefix")) ? json_string_value(json_object_get(j, "prefix")) : "");
    json_decref(pe);
    json_decref(j);
    return 0;
}
