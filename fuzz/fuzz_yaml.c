/* fuzz_yaml.c: libFuzzer target for YAML manifests, single and
 * multi-document: the whole input through ck_decode_body (application/yaml,
 * which reads the first document, as the apiserver does), then each
 * document split on "---" lines (kubectl's YAML reader) decoded on its own
 * and, when it names a served kind, defaulted and validated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "api/decode.h"

static void one_document(const char *doc, size_t len)
{
    ck_status st = {0};
    json_t *dups = NULL;
    json_t *obj = ck_decode_body("application/yaml", doc, len, &dups, &st);
    if (obj) {
        const char *kind = json_string_value(json_object_get(obj, "kind"));
        const char *av = json_string_value(json_object_get(obj, "apiVersion"));
        const ck_kind *k = NULL;
        if (kind && av) {
            const char *slash = strchr(av, '/');
            char group[64] = "";
            if (slash && (size_t)(slash - av) < sizeof group) memcpy(group, av, (size_t)(slash - av));
            k = ck_kind_by_kind(group, kind);
        }
        if (k && ck_check_types(k, obj, &st) == 0) {
            json_t *unknown = json_array();
            ck_prune_unknown(k, obj, unknown);
            json_decref(unknown);
            ck_apply_defaults(k, obj);
            ck_errs errs = CK_ERRS_INIT;
            ck_validate_object(k, obj, NULL, &errs);
            ck_errs_free(&errs);
        }
    }
    ck_status_clear(&st);
    json_decref(dups);
    json_decref(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    one_document(p, size);
    /* Split at lines that start with "---" (k8s.io/apimachinery/pkg/util/yaml
     * YAMLReader: a separator line is "---" optionally followed by spaces). */
    const char *doc = p;
    int docs = 0;
    for (const char *line = p; line < end && docs < 64;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *next = nl ? nl + 1 : end;
        if (end - line >= 3 && !memcmp(line, "---", 3) && line != p) {
            one_document(doc, (size_t)(line - doc));
            docs++;
            doc = next;
        }
        line = next;
    }
    if (doc != p && doc < end) one_document(doc, (size_t)(end - doc));
    return 0;
}
