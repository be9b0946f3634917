/* events_v1.c: events.k8s.io/v1 Event: schema (k8s.io/api/events/v1/types.go),
 * ValidateEventCreate's v1 rules (pkg/apis/core/validation/events.go) and
 * the same printer columns as core events, read from the v1 field names. */
#include <stdio.h>
#include <string.h>
#include "api/decode.h"
#include "api/schemas/fields.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field source_fields[] = {F_STR("component"), F_STR("host"), F_END};
static const ck_field series_fields[] = {F_INT("count"), F_TIME("lastObservedTime"), F_END};
static const ck_field ev1_root[] = {
    F_TYPEMETA, {.name = "eventTime", .type = CK_TIME, .flags = CK_F_NULLABLE},
    F_OBJ("series", series_fields), F_STR("reportingController"), F_STR("reportingInstance"),
    F_STR("action"), F_STR("reason"), F_REF("regarding"), F_REF("related"), F_STR("note"),
    F_STR("type"), F_OBJ("deprecatedSource", source_fields), F_TIME("deprecatedFirstTimestamp"),
    F_TIME("deprecatedLastTimestamp"), F_INT("deprecatedCount"), F_END};
const ck_field ck_schema_events_v1_event = {.name = "", .type = CK_OBJECT, .fields = ev1_root};

static json_t *cell_last_seen(const json_t *o)
{
    const char *ts = ck_json_str(o, "series.lastObservedTime", NULL);
    if (!ts) ts = ck_json_str(o, "deprecatedLastTimestamp", NULL);
    if (!ts) ts = ck_json_str(o, "eventTime", NULL);
    return ck_cell_age_of(ts);
}
static json_t *cell_object(const json_t *o)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", ck_json_str(o, "regarding.kind", ""),
             ck_json_str(o, "regarding.name", ""));
    for (char *p = buf; *p && *p != '/'; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return json_string(buf);
}

const ck_column ck_columns_events_v1_event[] = {
    {.name = "Last Seen", .type = "string", .format = "", .description = "Time when last event occurred", .cell = cell_last_seen},
    {.name = "Type", .type = "string", .format = "", .description = "Type of this event (Normal, Warning), new types could be added in the future.", .json_path = "type"},
    {.name = "Reason", .type = "string", .format = "", .description = "This should be a short, machine understandable string that gives the reason for this event being generated.", .json_path = "reason"},
    {.name = "Object", .type = "string", .format = "", .description = "The object this Event is about.", .cell = cell_object},
    {.name = "Subobject", .type = "string", .format = "", .priority = 1, .description = "The path to the sub-object within the object, if any.", .json_path = "regarding.fieldPath"},
    {.name = "Source", .type = "string", .format = "", .priority = 1, .description = "The component reporting this event.", .json_path = "reportingController"},
    {.name = "Message", .type = "string", .format = "", .description = "A human-readable description of the status of this operation.", .json_path = "note"},
    {.name = "Name", .type = "string", .format = "name", .priority = 1, .description = "Name must be unique within a namespace.", .json_path = "metadata.name"},
    {0}};

void ck_defaults_events_v1_event(json_t *obj) {}

static void max_len(const char *v, const char *field, size_t limit, ck_errs *errs)
{
    char msg[64];
    if (strlen(v) <= limit) return;
    snprintf(msg, sizeof msg, "can have at most %zu characters", limit);
    ck_errs_invalid_str(errs, field, "", msg);
}

static void needs_unset(bool set, const char *field, ck_errs *errs)
{
    if (set) ck_errs_invalid_str(errs, field, "", "needs to be unset");
}

void ck_validate_events_v1_event(const json_t *obj, const json_t *old, ck_errs *errs)
{
    if (!*ck_json_str(obj, "eventTime", "")) ck_errs_required(errs, "eventTime", NULL);
    const char *type = ck_json_str(obj, "type", "");
    if (strcmp(type, "Normal") && strcmp(type, "Warning")) {
        char msg[300];
        snprintf(msg, sizeof msg, "has invalid value: %s", type);
        ck_errs_invalid_str(errs, "type", "", msg);
    }
    needs_unset(*ck_json_str(obj, "deprecatedFirstTimestamp", ""), "deprecatedFirstTimestamp", errs);
    needs_unset(*ck_json_str(obj, "deprecatedLastTimestamp", ""), "deprecatedLastTimestamp", errs);
    needs_unset(ck_json_int(obj, "deprecatedCount", 0) != 0, "deprecatedCount", errs);
    needs_unset(*ck_json_str(obj, "deprecatedSource.component", "") ||
                    *ck_json_str(obj, "deprecatedSource.host", ""), "deprecatedSource", errs);
    /* validateV1EventSeries */
    json_t *series = json_object_get(obj, "series");
    if (json_is_object(series)) {
        if (ck_json_int(series, "count", 0) < 2)
            ck_errs_invalid_str(errs, "series.count", "", "should be at least 2");
        if (!*ck_json_str(series, "lastObservedTime", ""))
            ck_errs_required(errs, "series.lastObservedTime", NULL);
    }
    const char *ns = ck_json_str(obj, "metadata.namespace", "");
    if (!*ck_json_str(obj, "regarding.namespace", "") && strcmp(ns, "default") && strcmp(ns, "kube-system"))
        ck_errs_invalid_str(errs, "regarding.namespace", "", "does not match event.namespace");
    const char *rc = ck_json_str(obj, "reportingController", "");
    if (!*rc) ck_errs_required(errs, "reportingController", NULL);
    ck_validate_qualified_name(rc, "reportingController", errs);
    const char *ri = ck_json_str(obj, "reportingInstance", "");
    if (!*ri) ck_errs_required(errs, "reportingInstance", NULL);
    max_len(ri, "reportingInstance", 128, errs);
    const char *action = ck_json_str(obj, "action", "");
    if (!*action) ck_errs_required(errs, "action", NULL);
    max_len(action, "action", 128, errs);
    const char *reason = ck_json_str(obj, "reason", "");
    if (!*reason) ck_errs_required(errs, "reason", NULL);
    max_len(reason, "reason", 128, errs);
    max_len(ck_json_str(obj, "note", ""), "note", 1024, errs);
}
