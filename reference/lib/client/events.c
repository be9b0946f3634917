/* events.c: core/v1 Events built and created through the REST client
 * (client-go tools/record/event.go makeEvent + recordToSink's create,
 * without correlation or retries). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "client/events.h"
#include "util/ckjson.h"
#include "util/log.h"
#include "util/timeutil.h"

json_t *ck_event_new(const ck_event_source *src, const json_t *obj, const char *api_version, const char *kind,
                     const char *type, const char *reason, const char *action, const char *message)
{
    const char *ns = ck_json_str(obj, "metadata.namespace", "");
    const char *oname = ck_json_str(obj, "metadata.name", "");
    char name[512], now[CK_TIME_LEN];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(name, sizeof name, "%s.%llx", oname,
             (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec);
    ck_time_now(now);
    json_t *ev = json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s,s:s,s:s,s:s,s:s},s:s,s:s,s:s,s:{s:s},"
                           "s:s,s:s,s:i,s:s}",
                           "apiVersion", "v1", "kind", "Event",
                           "metadata", "name", name, "namespace", *ns ? ns : "default",
                           "involvedObject", "kind", kind, "namespace", ns, "name", oname,
                           "uid", ck_json_str(obj, "metadata.uid", ""), "apiVersion", api_version,
                           "resourceVersion", ck_json_str(obj, "metadata.resourceVersion", ""),
                           "reason", reason, "message", message, "type", type,
                           "source", "component", src->component,
                           "firstTimestamp", now, "lastTimestamp", now, "count", 1,
                           "reportingComponent", src->component);
    if (!ev) return NULL;
    int rc = 0;
    if (src->host) rc |= ck_json_set(ev, "source.host", json_string(src->host));
    if (src->instance) rc |= json_object_set_new(ev, "reportingInstance", json_string(src->instance));
    if (action) {
        char micro[CK_TIME_LEN];
        ck_microtime_now(micro);
        rc |= json_object_set_new(ev, "action", json_string(action));
        rc |= json_object_set_new(ev, "eventTime", json_string(micro));
    }
    if (rc) {
        json_decref(ev);
        return NULL;
    }
    return ev;
}

int ck_event_create(ck_rest *rest, const json_t *ev, ck_response *resp)
{
    const char *ns = ck_json_str(ev, "metadata.namespace", "default");
    return ck_rest_create(rest, &(ck_resource_ref){"", "v1", "events", ns, NULL, NULL}, ev, resp);
}

void ck_eventf(ck_rest *rest, const char *component, const json_t *obj, const char *api_version, const char *kind,
               const char *type, const char *reason, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *ev = ck_event_new(&(ck_event_source){.component = component}, obj, api_version, kind, type, reason,
                              NULL, msg);
    if (!ev) return;
    ck_response r = {0};
    if (ck_event_create(rest, ev, &r) < 0)
        ck_debug("event %s/%s not recorded: %s", reason, ck_json_str(obj, "metadata.name", ""), r.message);
    ck_response_clear(&r);
    json_decref(ev);
}
