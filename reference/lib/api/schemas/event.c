/* event.c: core/v1 Event: schema (k8s.io/api/core/v1/types.go), the legacy
 * validation core/v1 requests get (pkg/apis/core/validation/events.go,
 * legacyValidateEvent) and the event printer columns. */
#include <stdio.h>
#include <string.h>
#include "api/decode.h"
#include "api/schemas/fields.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

static const ck_field source_fields[] = {F_STR("component"), F_STR("host"), F_END};
static const ck_field series_fields[] = {F_INT("count"), F_TIME("lastObservedTime"), F_END};
static const ck_field event_root[] = {
    F_TYPEMETA, F_REF("involvedObject"), F_STR("reason"), F_STR("message"),
    F_OBJ("source", source_fields), F_TIME("firstTimestamp"), F_TIME("lastTimestamp"),
    F_INT("count"), F_STR("type"), {.name = "eventTime", .type = CK_TIME, .flags = CK_F_NULLABLE},
    F_OBJ("series", series_fields), F_STR("action"), F_REF("related"),
    F_STR("reportingComponent"), F_STR("reportingInstance"), F_END};
const ck_field ck_schema_event = {.name = "", .type = CK_OBJECT, .fields = event_root};

/* printers.printEvent: Last Seen is series.lastObservedTime, else
 * lastTimestamp, else eventTime. */
static json_t *cell_last_seen(const json_t *o)
{
    const char *ts = ck_json_str(o, "series.lastObservedTime", NULL);
    if (!ts) ts = ck_json_str(o, "lastTimestamp", NULL);
    if (!ts) ts = ck_json_str(o, "eventTime", NULL);
    return ck_cell_age_of(ts);
}
static json_t *cell_first_seen(const json_t *o)
{
    const char *ts = ck_json_str(o, "firstTimestamp", NULL);
    if (!ts) ts = ck_json_str(o, "eventTime", NULL);
    return ck_cell_age_of(ts);
}
/* "<lower-case kind>/<name>" */
static json_t *cell_object(const json_t *o)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", ck_json_str(o, "involvedObject.kind", ""),
             ck_json_str(o, "involvedObject.name", ""));
    for (char *p = buf; *p && *p != '/'; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return json_string(buf);
}
static json_t *cell_source(const json_t *o)
{
    char buf[512];
    const char *c = ck_json_str(o, "source.component", ""), *h = ck_json_str(o, "source.host", "");
    if (!*c) c = ck_json_str(o, "reportingComponent", "");
    if (*h) snprintf(buf, sizeof buf, "%s, %s", c, h);
    else snprintf(buf, sizeof buf, "%s", c);
    return json_string(buf);
}
static json_t *cell_count(const json_t *o)
{
    long long n = ck_json_int(o, "series.count", 0);
    return json_integer(n ? n : ck_json_int(o, "count", 0));
}

const ck_column ck_columns_event[] = {
    {.name = "Last Seen", .type = "string", .format = "", .description = "Time when last event occurred", .cell = cell_last_seen},
    {.name = "Type", .type = "string", .format = "", .description = "Type of this event (Normal, Warning), new types could be added in the future.", .json_path = "type"},
    {.name = "Reason", .type = "string", .format = "", .description = "This should be a short, machine understandable string that gives the reason for this event being generated.", .json_path = "reason"},
    {.name = "Object", .type = "string", .format = "", .description = "The object this Event is about.", .cell = cell_object},
    {.name = "Subobject", .type = "string", .format = "", .priority = 1, .description = "The path to the sub-object within the object, if any.", .json_path = "involvedObject.fieldPath"},
    {.name = "Source", .type = "string", .format = "", .priority = 1, .description = "The component reporting this event.", .cell = cell_source},
    {.name = "Message", .type = "string", .format = "", .description = "A human-readable description of the status of this operation.", .json_path = "message"},
    {.name = "First Seen", .type = "string", .format = "", .priority = 1, .description = "Time when first event occurred", .cell = cell_first_seen},
    {.name = "Count", .type = "string", .format = "", .priority = 1, .description = "The number of times this event has occurred.", .cell = cell_count},
    {.name = "Name", .type = "string", .format = "name", .priority = 1, .description = "Name must be unique within a namespace.", .json_path = "metadata.name"},
    {0}};

void ck_defaults_event(json_t *obj) {}

static void max_len(const char *v, const char *field, size_t limit, ck_errs *errs)
{
    char msg[64];
    if (strlen(v) <= limit) return;
    snprintf(msg, sizeof msg, "can have at most %zu characters", limit);
    ck_errs_invalid_str(errs, field, "", msg);
}

/* legacyValidateEvent, for core/v1 requests. An event without eventTime is
 * an "old" event, checked only for namespace agreement. */
void ck_validate_event(const json_t *obj, const json_t *old, ck_errs *errs)
{
    const char *ns = ck_json_str(obj, "metadata.namespace", "");
    const char *ins = ck_json_str(obj, "involvedObject.namespace", "");
    const char *event_time = ck_json_str(obj, "eventTime", "");
    if (!*event_time) {
        if (!*ins) {
            if (*ns && strcmp(ns, "default") != 0)
                ck_errs_invalid_str(errs, "involvedObject.namespace", ins, "does not match event.namespace");
        } else if (strcmp(ns, ins) != 0) {
            ck_errs_invalid_str(errs, "involvedObject.namespace", ins, "does not match event.namespace");
        }
    } else {
        if (!*ins && strcmp(ns, "default") && strcmp(ns, "kube-system"))
            ck_errs_invalid_str(errs, "involvedObject.namespace", ins, "does not match event.namespace");
        const char *rc = ck_json_str(obj, "reportingComponent", "");
        if (!*rc) ck_errs_required(errs, "reportingComponent", NULL);
        ck_validate_qualified_name(rc, "reportingComponent", errs);
        const char *ri = ck_json_str(obj, "reportingInstance", "");
        if (!*ri) ck_errs_required(errs, "reportingInstance", NULL);
        max_len(ri, "reportingInstance", 128, errs);
        const char *action = ck_json_str(obj, "action", "");
        if (!*action) ck_errs_required(errs, "action", NULL);
        max_len(action, "action", 128, errs);
        const char *reason = ck_json_str(obj, "reason", "");
        if (!*reason) ck_errs_required(errs, "reason", NULL);
        max_len(reason, "reason", 128, errs);
        max_len(ck_json_str(obj, "message", ""), "message", 1024, errs);
    }
    if (*ns) ck_validate_dns1123_subdomain(ns, "namespace", errs);
}
