/* convert.c: events.k8s.io/v1 <-> core/v1 Event, a field map walked both
 * ways (pkg/apis/events/v1/conversion.go). */
#include "apiserver/registry/convert.h"
#include <string.h>

/* {core field, events.k8s.io/v1 field} */
static const char *const event_fields[][2] = {
    {"metadata", "metadata"},
    {"involvedObject", "regarding"},
    {"related", "related"},
    {"message", "note"},
    {"reason", "reason"},
    {"type", "type"},
    {"eventTime", "eventTime"},
    {"series", "series"},
    {"reportingComponent", "reportingController"},
    {"reportingInstance", "reportingInstance"},
    {"action", "action"},
    {"source", "deprecatedSource"},
    {"firstTimestamp", "deprecatedFirstTimestamp"},
    {"lastTimestamp", "deprecatedLastTimestamp"},
    {"count", "deprecatedCount"},
};

static json_t *map_event(const json_t *in, int from, const char *api_version)
{
    json_t *out = json_pack("{s:s,s:s}", "kind", "Event", "apiVersion", api_version);
    for (size_t i = 0; i < sizeof event_fields / sizeof event_fields[0]; i++) {
        json_t *v = json_object_get(in, event_fields[i][from]);
        if (v) json_object_set_new(out, event_fields[i][1 - from], json_deep_copy(v));
    }
    return out;
}

static json_t *event_to_storage(const json_t *v1) { return map_event(v1, 1, "v1"); }
static json_t *event_from_storage(const json_t *core) { return map_event(core, 0, "events.k8s.io/v1"); }

static const ck_conversion conversions[] = {
    {"events.k8s.io", "v1", "Event", event_to_storage, event_from_storage},
};

const ck_conversion *ck_conversion_for(const ck_kind *k)
{
    for (size_t i = 0; i < sizeof conversions / sizeof conversions[0]; i++)
        if (strcmp(k->group, conversions[i].group) == 0 && strcmp(k->version, conversions[i].version) == 0 &&
            strcmp(k->kind, conversions[i].kind) == 0)
            return &conversions[i];
    return NULL;
}
