/* fuzz_strategic_patch.c: libFuzzer target for strategic merge patch with a
 * small pod-like schema; input [doc, patch]. */
#include <stdint.h>
#include <stdlib.h>
#include "api/patch.h"

static const ck_field str_f = {.type = CK_STRING};
static const ck_field port_fields[] = {{.name = "containerPort", .type = CK_INT}, {0}};
static const ck_field port_f = {.type = CK_OBJECT, .fields = port_fields};
static const ck_field container_fields[] = {
    {.name = "name", .type = CK_STRING},
    {.name = "ports", .type = CK_ARRAY, .items = &port_f, .merge_key = "containerPort", .patch_strategy = "merge"},
    {0}};
static const ck_field container_f = {.type = CK_OBJECT, .fields = container_fields};
static const ck_field spec_fields[] = {
    {.name = "containers", .type = CK_ARRAY, .items = &container_f, .merge_key = "name", .patch_strategy = "merge"},
    {.name = "strategy", .type = CK_OBJECT, .patch_strategy = "retainKeys"},
    {.name = "nodeSelector", .type = CK_MAP, .items = &str_f, .patch_strategy = "replace"},
    {0}};
static const ck_field meta_fields[] = {
    {.name = "labels", .type = CK_MAP, .items = &str_f},
    {.name = "finalizers", .type = CK_ARRAY, .items = &str_f, .patch_strategy = "merge"},
    {0}};
static const ck_field root_fields[] = {
    {.name = "metadata", .type = CK_OBJECT, .fields = meta_fields},
    {.name = "spec", .type = CK_OBJECT, .fields = spec_fields},
    {.name = "c", .type = CK_ARRAY, .items = &container_f, .merge_key = "name", .patch_strategy = "merge"},
    {.name = "l", .type = CK_ARRAY, .items = &str_f, .patch_strategy = "merge"},
    {0}};
static const ck_field root = {.type = CK_OBJECT, .fields = root_fields};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *in = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!in) return 0;
    char err[512];
    json_t *out = ck_strategic_merge_patch_apply(json_array_get(in, 0), json_array_get(in, 1), &root, err, sizeof err);
    json_decref(out);
    out = ck_strategic_merge_patch_apply(json_array_get(in, 0), json_array_get(in, 1), NULL, err, sizeof err);
    json_decref(out);
    json_decref(in);
    return 0;
}
