/* job.c: batch/v1 Job's registry strategy (pkg/registry/batch/job/strategy.go):
 * PrepareForCreate empties the status and, unless spec.manualSelector,
 * generates the selector from the Job's uid and labels the template with it
 * (generateSelector), before validation. */
#include <string.h>
#include "apiserver/registry/registry.h"
#include "util/ckjson.h"

/* batchv1.ControllerUidLabel / JobNameLabel and their legacy forms. */
#define LABEL_UID "batch.kubernetes.io/controller-uid"
#define LABEL_NAME "batch.kubernetes.io/job-name"
#define LEGACY_UID "controller-uid"
#define LEGACY_NAME "job-name"

static void set_label(json_t *labels, const char *k, const char *v)
{
    if (!json_object_get(labels, k)) json_object_set_new(labels, k, json_string(v));
}

static int prepare_create(ck_handler *ctx, json_t *obj)
{
    json_object_set_new(obj, "status", json_object());
    json_t *spec = json_object_get(obj, "spec");
    if (!json_is_object(spec) || json_is_true(json_object_get(spec, "manualSelector"))) return 0;
    const char *uid = ck_json_str(obj, "metadata.uid", "");
    const char *name = ck_json_str(obj, "metadata.name", "");
    json_t *labels = ck_json_ensure_object(spec, "template.metadata.labels");
    if (!labels) {
        ck_status_internal(&ctx->st, "spec.template.metadata.labels must be an object");
        return -1;
    }
    set_label(labels, LABEL_UID, uid);
    set_label(labels, LEGACY_UID, uid);
    if (*name) {
        set_label(labels, LABEL_NAME, name);
        set_label(labels, LEGACY_NAME, name);
    }
    json_t *sel = ck_json_ensure_object(spec, "selector");
    json_t *ml = sel ? ck_json_ensure_object(sel, "matchLabels") : NULL;
    if (!ml) {
        ck_status_internal(&ctx->st, "spec.selector must be an object");
        return -1;
    }
    set_label(ml, LABEL_UID, uid);
    return 0;
}

const ck_strategy ck_strategy_jobs = {.resource = "batch/jobs", .prepare_create = prepare_create};
