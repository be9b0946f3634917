/* fuzz_label_selector.c: libFuzzer target for label selector parsing, matching and String(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "api/selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = strndup((const char *)data, size);
    if (!s) return 0;
    char err[512];
    ck_label_selector *sel = ck_label_selector_parse(s, err, sizeof err);
    if (sel) {
        json_t *labels = json_pack("{s:s,s:s}", "app", "web", "x", "1");
        (void)ck_label_selector_matches(sel, labels);
        char *str = ck_label_selector_string(sel);
        /* String() output must parse back to the same String() */
        ck_label_selector *again = str ? ck_label_selector_parse(str, err, sizeof err) : NULL;
        char *str2 = again ? ck_label_selector_string(again) : NULL;
        if (str && str2 && strcmp(str, str2) != 0) abort();
        free(str2);
        ck_label_selector_free(again);
        free(str);
        json_decref(labels);
        ck_label_selector_free(sel);
    }
    json_t *j = json_loadb((const char *)data, size, 0, NULL);
    if (j) {
        ck_label_selector_free(ck_label_selector_from_json(j, err, sizeof err));
        json_decref(j);
    }
    free(s);
    return 0;
}
