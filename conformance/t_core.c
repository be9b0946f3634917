/* t_core.c: core/v1 and events/coordination objects as upstream's conformance
 * tests walk them: Events (core/v1 and events.k8s.io/v1), ConfigMaps,
 * Secrets, ServiceAccounts, PodTemplates, Leases and Endpoints, each step as
 * in the named upstream test (labels, list across namespaces, patch,
 * update, deletecollection, watch), plus their documented validation. */
#include "objects.h"
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }
static int has(const char *s, const char *sub) { return s && sub && strstr(s, sub); }

/* GET a list; fails unless 200. */
static json_t *list_of(ckc_t *t, const char *path)
{
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_is_array(ckc_at(r->json, "items")), "a list must have items");
    return r->json;
}

/* The item named name (in ns when ns is non-NULL), or NULL. */
static json_t *find(json_t *list, const char *ns, const char *name)
{
    size_t i; json_t *it;
    json_array_foreach(ckc_at(list, "items"), i, it)
        if (same(ckc_str(it, "metadata.name"), name) && (!ns || same(ckc_str(it, "metadata.namespace"), ns)))
            return it;
    return NULL;
}

static size_t n_items(json_t *list) { return json_array_size(ckc_at(list, "items")); }

static void deleted(ckc_t *t, ckc_resp *r)
{
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE must answer 200 or 202");
}

/* Next non-BOOKMARK watch event of type for name; fails on timeout/mismatch. */
static json_t *expect_event(ckc_t *t, ckc_watch *w, const char *type, const char *name)
{
    double deadline = ckc_now() + ckc_timeout(t, 10);
    while (ckc_now() < deadline) {
        json_t *ev = ckc_watch_next(w, deadline - ckc_now());
        if (!ev) break;
        if (same(ckc_str(ev, "type"), "BOOKMARK")) continue;
        if (same(ckc_str(ev, "type"), type) && same(ckc_str(ev, "object.metadata.name"), name))
            return ckc_at(ev, "object");
        char *dump = ckc_own(t, json_dumps(ev, JSON_COMPACT), free);
        char *ex = ckc_own(t, ckc_excerpt(dump, 300), free);
        CKC_FAIL(t, "watch: expected %s %s, got %s", type, name, ex);
    }
    CKC_FAIL(t, "watch (HTTP %ld): no %s event for %s within %.0fs", ckc_watch_code(w), type, name,
             ckc_timeout(t, 10));
}

static const char *list_rv(ckc_t *t, const char *path)
{
    const char *rv = ckc_str(list_of(t, path), "metadata.resourceVersion");
    CKC_CHECK(t, NULL, rv && *rv, "GET %s: a list must carry metadata.resourceVersion", path);
    return rv;
}

/* ---- core/v1 Events: test/e2e/instrumentation/core_events.go ---- */
static json_t *core_event(ckc_t *t, const char *ns, const char *name, const char *label)
{
    return ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"%s\",\"labels\":{\"%s\":\"true\"}},"
                        "\"message\":\"This is a test event\",\"reason\":\"Test\",\"type\":\"Normal\",\"count\":1,"
                        "\"involvedObject\":{\"namespace\":\"%s\"}}", name, label, ns);
}

static void t_events_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "event-test";
    ckc_create(t, "events", ns, name, core_event(t, ns, name, "testevent-constant"));
    json_t *l = list_of(t, "/api/v1/events?labelSelector=testevent-constant%3Dtrue");
    CKC_CHECK(t, NULL, find(l, ns, name), "listing events in all namespaces must find %s/%s", ns, name);
    const char *item = ckc_item(t, "events", ns, name);
    ckc_resp *r = ckc_patch(t, item, CKC_SMP, "{\"message\":\"This is a test event - patched\"}");
    CKC_CODE(t, r, 200);
    json_t *ev = ckc_fetch(t, "events", ns, name);
    CKC_CHECK(t, NULL, same(ckc_str(ev, "message"), "This is a test event - patched"),
              "GET after patch must show the patched message");
    /* upstream: update with a new series {count 100, lastObservedTime} */
    json_t *upd = ckc_ownj(t, json_deep_copy(ev));
    json_object_set_new(upd, "series", json_pack("{s:i,s:s}", "count", 100, "lastObservedTime", "2017-09-19T13:49:16.000000Z"));
    r = ckc_put(t, item, upd);
    CKC_CODE(t, r, 200);
    ev = ckc_fetch(t, "events", ns, name);
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(ev, "series.count")) == 100, "GET after update must show series.count 100");
    deleted(t, ckc_delete(t, item, NULL));
    l = list_of(t, "/api/v1/events?labelSelector=testevent-constant%3Dtrue");
    CKC_CHECK(t, NULL, !find(l, ns, name), "the deleted event must not be listed");
}

static void events_delete_collection(ckc_t *t, const char *resource, json_t *(*mk)(ckc_t *, const char *, const char *, const char *))
{
    const char *ns = ckc_ns(t), *names[] = {"test-event-1", "test-event-2", "test-event-3"};
    for (int i = 0; i < 3; i++) ckc_create(t, resource, ns, names[i], mk(t, ns, names[i], "testevent-set"));
    const char *sel = ckc_fmt(t, "%s?labelSelector=testevent-set%%3Dtrue", ckc_coll(t, resource, ns));
    json_t *l = list_of(t, sel);
    CKC_CHECK(t, NULL, n_items(l) == 3, "the label selector must list the 3 events (got %zu)", n_items(l));
    ckc_resp *r = ckc_delete(t, sel, NULL);
    CKC_CODE(t, r, 200);
    l = list_of(t, sel);
    CKC_CHECK(t, NULL, n_items(l) == 0, "after deletecollection no event may be listed (got %zu)", n_items(l));
}

static void t_events_delete_collection(ckc_t *t) { events_delete_collection(t, "events", core_event); }

/* ---- events.k8s.io/v1: test/e2e/instrumentation/events.go ---- */
#define EVV1 "/apis/events.k8s.io/v1"
static json_t *v1_event(ckc_t *t, const char *ns, const char *name, const char *label)
{
    return ckc_parse(t, "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"%s\","
                        "\"labels\":{\"%s\":\"true\"}},\"regarding\":{\"namespace\":\"%s\"},"
                        "\"eventTime\":\"2017-09-19T13:49:16.000000Z\",\"note\":\"This is %s\",\"action\":\"Do\","
                        "\"reason\":\"Test\",\"type\":\"Normal\",\"reportingController\":\"test-controller\","
                        "\"reportingInstance\":\"test-node\"}", name, label, ns, name);
}

static void t_eventsv1_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "event-test";
    const char *coll = ckc_fmt(t, EVV1 "/namespaces/%s/events", ns), *item = ckc_fmt(t, "%s/%s", coll, name);
    ckc_resp *r = ckc_post(t, coll, v1_event(t, ns, name, "testevent-constant"));
    CKC_CODE(t, r, 201);
    CKC_CHECK(t, NULL, find(list_of(t, EVV1 "/events?labelSelector=testevent-constant%3Dtrue"), ns, name),
              "listing events.k8s.io events in all namespaces must find %s/%s", ns, name);
    CKC_CHECK(t, NULL, find(list_of(t, ckc_fmt(t, "%s?labelSelector=testevent-constant%%3Dtrue", coll)), ns, name),
              "listing events.k8s.io events in the namespace must find %s", name);
    /* the core/v1 view: field "source" falls back to reportingController (pkg/registry/core/event/strategy.go) */
    json_t *l = list_of(t, ckc_fmt(t, "/api/v1/namespaces/%s/events?fieldSelector=source%%3Dtest-controller", ns));
    CKC_CHECK(t, NULL, n_items(l) == 1 && find(l, NULL, name), "core/v1 fieldSelector source=test-controller must give exactly %s", name);
    l = list_of(t, ckc_fmt(t, "%s?fieldSelector=reportingController%%3Dtest-controller", coll));
    CKC_CHECK(t, NULL, n_items(l) == 1 && find(l, NULL, name), "fieldSelector reportingController=test-controller must give exactly %s", name);
    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    json_t *orig = r->json;
    r = ckc_patch(t, item, CKC_SMP, "{\"note\":\"This is a test event - patched\"}");
    CKC_CODE(t, r, 200);
    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "note"), "This is a test event - patched"), "GET after patch must show the new note");
    CKC_CHECK(t, r, same(ckc_str(r->json, "reportingController"), ckc_str(orig, "reportingController")) &&
                        same(ckc_str(r->json, "metadata.uid"), ckc_str(orig, "metadata.uid")),
              "the patch must change only the note");
    json_t *upd = ckc_ownj(t, json_deep_copy(r->json));
    json_object_set_new(upd, "series", json_pack("{s:i,s:s}", "count", 100, "lastObservedTime", "2017-09-19T13:49:16.000000Z"));
    r = ckc_put(t, item, upd);
    CKC_CODE(t, r, 200);
    r = ckc_get(t, item);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_integer_value(ckc_at(r->json, "series.count")) == 100 &&
                        same(ckc_str(r->json, "series.lastObservedTime"), "2017-09-19T13:49:16.000000Z"),
              "GET after update must show series {count 100, lastObservedTime 2017-09-19T13:49:16.000000Z}");
    deleted(t, ckc_delete(t, item, NULL));
    CKC_CHECK(t, NULL, !find(list_of(t, EVV1 "/events?labelSelector=testevent-constant%3Dtrue"), ns, name),
              "the deleted event must not be listed");
}

static void t_eventsv1_delete_collection(ckc_t *t)
{
    const char *ns = ckc_ns(t), *names[] = {"test-event-1", "test-event-2", "test-event-3"};
    const char *coll = ckc_fmt(t, EVV1 "/namespaces/%s/events", ns);
    for (int i = 0; i < 3; i++) CKC_CODE(t, ckc_post(t, coll, v1_event(t, ns, names[i], "testevent-set")), 201);
    const char *sel = ckc_fmt(t, "%s?labelSelector=testevent-set%%3Dtrue", coll);
    CKC_CHECK(t, NULL, n_items(list_of(t, sel)) == 3, "the label selector must list the 3 events");
    CKC_CODE(t, ckc_delete(t, sel, NULL), 200);
    CKC_CHECK(t, NULL, n_items(list_of(t, sel)) == 0, "after deletecollection no event may be listed");
}

/* events.k8s.io/v1 validation (pkg/apis/core/validation/events.go): a new
 * event needs eventTime, reportingController and reportingInstance. */
static void t_eventsv1_required(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_resp *r = ckc_post(t, ckc_fmt(t, EVV1 "/namespaces/%s/events", ns),
                           ckc_parse(t, "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"bad\"},"
                                        "\"regarding\":{\"namespace\":\"%s\"},\"reason\":\"Test\",\"type\":\"Normal\","
                                        "\"action\":\"Do\"}", ns));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "eventTime"), "the message must name eventTime");
}

/* core/v1: involvedObject.namespace must match the event's namespace (ValidateEventCreate). */
static void t_events_namespace_mismatch(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *ev = core_event(t, "some-other-namespace", "ckc-mismatch", "x");
    ckc_resp *r = ckc_post(t, ckc_coll(t, "events", ns), ev);
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "involvedObject.namespace"), "the message must name involvedObject.namespace");
}

/* ---- ConfigMaps: test/e2e/common/node/configmap.go ---- */
static void t_configmap_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "e2e-configmap-");
    ckc_create(t, "configmaps", ns, name,
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\","
                            "\"labels\":{\"test-configmap-static\":\"true\"}},\"data\":{\"valueName\":\"value\"}}", name));
    ckc_resp *r = ckc_patch(t, ckc_item(t, "configmaps", ns, name), CKC_SMP,
                            "{\"metadata\":{\"labels\":{\"test-configmap\":\"patched\"}},\"data\":{\"valueName\":\"value1\"}}");
    CKC_CODE(t, r, 200);
    json_t *cm = ckc_fetch(t, "configmaps", ns, name);
    CKC_CHECK(t, NULL, same(ckc_str(cm, "data.valueName"), "value1") && same(ckc_label(cm, "test-configmap"), "patched"),
              "GET after patch must show data.valueName=value1 and label test-configmap=patched");
    json_t *it = find(list_of(t, "/api/v1/configmaps?labelSelector=test-configmap-static%3Dtrue"), ns, name);
    CKC_CHECK(t, NULL, it && same(ckc_str(it, "data.valueName"), "value1") && same(ckc_label(it, "test-configmap"), "patched"),
              "listing all namespaces by the static label must find the patched ConfigMap");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=test-configmap-static%%3Dtrue", ckc_coll(t, "configmaps", ns)), NULL),
             200);
    CKC_CHECK(t, NULL, !find(list_of(t, "/api/v1/configmaps?labelSelector=test-configmap-static%3Dtrue"), ns, name),
              "after deletecollection the ConfigMap must not be listed");
}

static void t_configmap_binary_data(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *o = ckc_create(t, "configmaps", ns, "ckc-bin",
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ckc-bin\"},"
                                        "\"data\":{\"text\":\"hello\"},\"binaryData\":{\"blob\":\"AAEC/w==\"}}"));
    CKC_CHECK(t, NULL, same(ckc_str(o, "binaryData.blob"), "AAEC/w==") && same(ckc_str(o, "data.text"), "hello"),
              "binaryData must round-trip as base64 next to data");
    /* ValidateConfigMap: a key may not be in both data and binaryData */
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ns),
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ckc-dup\"},"
                                        "\"data\":{\"k\":\"v\"},\"binaryData\":{\"k\":\"AA==\"}}"));
    CKC_STATUS(t, r, 422, "Invalid");
}

static void t_configmap_invalid_key(ckc_t *t)
{
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ckc_ns(t)),
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ckc-key\"},"
                                        "\"data\":{\"a/b\":\"v\"}}"));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "data[a/b]"), "the message must name the field data[a/b]");
}

/* ValidateConfigMap: the total of data and binaryData is at most 1 MiB (MaxSecretSize). */
static void t_configmap_too_large(ckc_t *t)
{
    size_t n = 1024 * 1024 + 16;
    char *big = ckc_own(t, malloc(n + 1), free);
    if (!big) CKC_FAIL(t, "out of memory");
    memset(big, 'x', n);
    big[n] = 0;
    json_t *cm = ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ckc-big\"},\"data\":{}}");
    json_object_set_new(json_object_get(cm, "data"), "big", json_string(big));
    ckc_resp *r = ckc_post(t, ckc_coll(t, "configmaps", ckc_ns(t)), cm);
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "Too long"), "the message must say Too long");
}

/* ---- Secrets: test/e2e/common/node/secrets.go ---- */
static void t_secret_patch(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "e2e-secret-");
    ckc_create(t, "secrets", ns, name,
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"%s\","
                            "\"labels\":{\"testsecret-constant\":\"true\"}},\"type\":\"Opaque\",\"data\":{\"key\":\"dmFsdWU=\"}}",
                            name));
    json_t *it = find(list_of(t, "/api/v1/secrets?labelSelector=testsecret-constant%3Dtrue"), ns, name);
    CKC_CHECK(t, NULL, it, "listing all namespaces by label must find the Secret");
    ckc_resp *r = ckc_patch(t, ckc_item(t, "secrets", ns, name), CKC_SMP,
                            "{\"metadata\":{\"labels\":{\"testsecret\":\"true\"}},\"data\":{\"key\":\"dmFsdWUx\"}}");
    CKC_CODE(t, r, 200);
    json_t *s = ckc_fetch(t, "secrets", ns, name);
    CKC_CHECK(t, NULL, same(ckc_str(s, "data.key"), "dmFsdWUx") && same(ckc_label(s, "testsecret"), "true"),
              "GET after patch must show data.key=dmFsdWUx (\"value1\") and label testsecret=true");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=testsecret-constant%%3Dtrue", ckc_coll(t, "secrets", ns)), NULL), 200);
    CKC_CHECK(t, NULL, !find(list_of(t, "/api/v1/secrets?labelSelector=testsecret-constant%3Dtrue"), ns, name),
              "after deletecollection the Secret must not be listed");
}

/* stringData is write-only: merged into data, base64-encoded (Secret API reference). */
static void t_secret_string_data(ckc_t *t)
{
    json_t *s = ckc_create(t, "secrets", ckc_ns(t), "ckc-sd",
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"ckc-sd\"},"
                                        "\"data\":{\"a\":\"MQ==\",\"b\":\"Mg==\"},\"stringData\":{\"b\":\"two\",\"c\":\"three\"}}"));
    CKC_CHECK(t, NULL, same(ckc_str(s, "data.a"), "MQ==") && same(ckc_str(s, "data.b"), "dHdv") &&
                           same(ckc_str(s, "data.c"), "dGhyZWU="),
              "stringData must be merged into data as base64, overriding data's keys");
    CKC_CHECK(t, NULL, !ckc_at(s, "stringData"), "stringData must not be stored");
    CKC_CHECK(t, NULL, same(ckc_str(s, "type"), "Opaque"), "type must default to Opaque");
}

static void t_secret_bad_base64(ckc_t *t)
{
    ckc_reqspec rq = {.method = "POST", .path = ckc_coll(t, "secrets", ckc_ns(t)),
                      .body = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"ckc-b64\"},\"data\":{\"a\":\"!!!\"}}"};
    ckc_resp *r = ckc_request(t, &rq);
    CKC_STATUS(t, r, 400, "BadRequest");
}

/* ValidateSecretUpdate: type is immutable; kubernetes.io/tls needs tls.crt and tls.key. */
static void t_secret_type_rules(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "secrets", ns, "ckc-type", NULL);
    ckc_resp *r = ckc_patch(t, ckc_item(t, "secrets", ns, "ckc-type"), CKC_MERGE_PATCH, "{\"type\":\"example.com/other\"}");
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "immutable"), "the message must say the field is immutable");
    r = ckc_post(t, ckc_coll(t, "secrets", ns),
                 ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"ckc-tls\"},"
                              "\"type\":\"kubernetes.io/tls\",\"data\":{\"tls.crt\":\"MQ==\"}}"));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "tls.key"), "the message must name the missing tls.key");
}

/* ---- ServiceAccounts: test/e2e/auth/service_accounts.go ---- */
static void t_sa_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "e2e-sa-lifecycle", *sel = "test-serviceaccount-static%3Dtrue";
    const char *coll = ckc_coll(t, "serviceaccounts", ns);
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "%s?watch=1&labelSelector=%s&resourceVersion=%s", coll, sel,
                                             list_rv(t, ckc_fmt(t, "%s?labelSelector=%s", coll, sel))));
    ckc_create(t, "serviceaccounts", ns, name,
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"%s\","
                            "\"labels\":{\"test-serviceaccount-static\":\"true\"}}}", name));
    json_t *o = expect_event(t, w, "ADDED", name);
    CKC_CHECK(t, NULL, same(ckc_label(o, "test-serviceaccount-static"), "true"), "the ADDED event must carry the static label");
    ckc_resp *r = ckc_patch(t, ckc_item(t, "serviceaccounts", ns, name), CKC_SMP, "{\"automountServiceAccountToken\":true}");
    CKC_CODE(t, r, 200);
    o = expect_event(t, w, "MODIFIED", name);
    CKC_CHECK(t, NULL, json_is_true(json_object_get(o, "automountServiceAccountToken")), "the MODIFIED event must show the patch");
    json_t *it = find(list_of(t, ckc_fmt(t, "%s?labelSelector=%s", coll, sel)), NULL, name);
    CKC_CHECK(t, NULL, it && json_is_true(json_object_get(it, "automountServiceAccountToken")),
              "listing by label must find the patched ServiceAccount");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll, sel), NULL), 200);
    expect_event(t, w, "DELETED", name);
}

static void set_automount(ckc_t *t, json_t *obj, void *arg)
{
    json_object_set_new(obj, "automountServiceAccountToken", json_boolean(arg != NULL));
}

static void t_sa_update(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "e2e-sa-");
    ckc_create(t, "serviceaccounts", ns, name, NULL);
    ckc_resp *r = ckc_update(t, ckc_item(t, "serviceaccounts", ns, name), set_automount, (void *)1);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, json_is_true(json_object_get(r->json, "automountServiceAccountToken")), "the update must return automount true");
    json_t *o = ckc_fetch(t, "serviceaccounts", ns, name);
    CKC_CHECK(t, NULL, json_is_true(json_object_get(o, "automountServiceAccountToken")), "GET must show automount true");
}

/* The ServiceAccount admission plugin mounts the token volume unless the pod
 * or (when the pod says nothing) its ServiceAccount opts out (cases 1a-3c). */
static void t_sa_automount_opt_out(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    static const char *const sa_names[] = {"default-sa", "mount", "nomount"};
    static const char *const sa_flag[] = {NULL, "true", "false"};
    static const char *const pod_flag[] = {NULL, "true", "false"};
    for (int s = 0; s < 3; s++)
        ckc_create(t, "serviceaccounts", ns, sa_names[s],
                   ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"%s\"}%s%s}",
                             sa_names[s], sa_flag[s] ? ",\"automountServiceAccountToken\":" : "",
                             sa_flag[s] ? sa_flag[s] : ""));
    for (int p = 0; p < 3; p++)
        for (int s = 0; s < 3; s++) {
            const char *name = ckc_fmt(t, "pod-%d-%d", p, s);
            json_t *pod = ckc_manifest(t, "pods", ns, name);
            json_t *spec = json_object_get(pod, "spec");
            json_object_set_new(spec, "serviceAccountName", json_string(sa_names[s]));
            if (pod_flag[p]) json_object_set_new(spec, "automountServiceAccountToken", json_boolean(pod_flag[p][0] == 't'));
            json_t *o = ckc_create(t, "pods", ns, name, pod);
            int mounted = 0;
            size_t i; json_t *m;
            json_array_foreach(ckc_at(o, "spec.containers.0.volumeMounts"), i, m)
                if (same(ckc_str(m, "mountPath"), "/var/run/secrets/kubernetes.io/serviceaccount")) mounted = 1;
            int want = pod_flag[p] ? pod_flag[p][0] == 't' : !(sa_flag[s] && sa_flag[s][0] == 'f');
            CKC_CHECK(t, NULL, mounted == want, "pod automount=%s, ServiceAccount automount=%s: the token %s be mounted",
                      pod_flag[p] ? pod_flag[p] : "unset", sa_flag[s] ? sa_flag[s] : "unset", want ? "must" : "must not");
        }
}

/* ---- PodTemplates: test/e2e/common/node/podtemplates.go ---- */
static json_t *podtemplate(ckc_t *t, const char *ns, const char *name, const char *label)
{
    json_t *o = ckc_manifest(t, "podtemplates", ns, name);
    json_object_set_new(json_object_get(o, "metadata"), "labels", json_pack("{s:s}", label, "true"));
    return o;
}

static void t_podtemplate_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "nginx-pod-template-" "ckc";
    ckc_create(t, "podtemplates", ns, name, podtemplate(t, ns, name, "podtemplate-static"));
    ckc_resp *r = ckc_patch(t, ckc_item(t, "podtemplates", ns, name), CKC_SMP,
                            "{\"metadata\":{\"labels\":{\"podtemplate\":\"patched\"}}}");
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, NULL, same(ckc_label(ckc_fetch(t, "podtemplates", ns, name), "podtemplate"), "patched"),
              "GET after patch must show label podtemplate=patched");
    json_t *it = find(list_of(t, ckc_fmt(t, "%s?labelSelector=podtemplate-static%%3Dtrue", ckc_coll(t, "podtemplates", ns))),
                      NULL, name);
    CKC_CHECK(t, NULL, it && same(ckc_label(it, "podtemplate"), "patched"), "listing by the static label must find it patched");
    deleted(t, ckc_delete(t, ckc_item(t, "podtemplates", ns, name), NULL));
    ckc_wait_gone(t, ckc_item(t, "podtemplates", ns, name), 10);
}

static void add_annotation(ckc_t *t, json_t *obj, void *arg)
{
    json_t *meta = json_object_get(obj, "metadata");
    json_object_set_new(meta, "annotations", json_pack("{s:s}", "updated", "true"));
}

static void t_podtemplate_replace(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "podtemplate-");
    ckc_create(t, "podtemplates", ns, name, NULL);
    ckc_resp *r = ckc_update(t, ckc_item(t, "podtemplates", ns, name), add_annotation, NULL);
    CKC_CODE(t, r, 200);
    json_t *o = ckc_fetch(t, "podtemplates", ns, name);
    CKC_CHECK(t, NULL, same(ckc_str(o, "metadata.annotations.updated"), "true"), "the replaced PodTemplate must carry the annotation");
}

static void t_podtemplate_delete_collection(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    for (int i = 1; i <= 3; i++) {
        const char *name = ckc_fmt(t, "test-podtemplate-%d", i);
        ckc_create(t, "podtemplates", ns, name, podtemplate(t, ns, name, "podtemplate-set"));
    }
    const char *sel = ckc_fmt(t, "%s?labelSelector=podtemplate-set%%3Dtrue", ckc_coll(t, "podtemplates", ns));
    CKC_CHECK(t, NULL, n_items(list_of(t, sel)) == 3, "the label selector must list 3 PodTemplates");
    CKC_CODE(t, ckc_delete(t, sel, NULL), 200);
    CKC_CHECK(t, NULL, n_items(list_of(t, sel)) == 0, "after deletecollection none may be listed");
}

/* ---- Leases: test/e2e/common/node/lease.go ---- */
static void t_lease_api(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "lease-");
    const char *item = ckc_item(t, "leases", ns, name);
    json_t *l = ckc_parse(t, "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"%s\"},"
                             "\"spec\":{\"holderIdentity\":\"holder\",\"leaseDurationSeconds\":30,"
                             "\"acquireTime\":\"2024-01-01T00:00:00.000000Z\",\"renewTime\":\"2024-01-01T00:00:01.000000Z\","
                             "\"leaseTransitions\":0}}", name);
    ckc_create(t, "leases", ns, name, l);
    json_t *got = ckc_fetch(t, "leases", ns, name);
    CKC_CHECK(t, NULL, json_equal(ckc_at(got, "spec"), ckc_at(l, "spec")), "the read Lease's spec must match the created one");
    json_t *upd = ckc_ownj(t, json_deep_copy(got));
    json_t *spec = json_object_get(upd, "spec");
    json_object_set_new(spec, "holderIdentity", json_string("holder2"));
    json_object_set_new(spec, "leaseDurationSeconds", json_integer(45));
    json_object_set_new(spec, "renewTime", json_string("2024-01-01T00:00:05.000000Z"));
    json_object_set_new(spec, "leaseTransitions", json_integer(1));
    CKC_CODE(t, ckc_put(t, item, upd), 200);
    got = ckc_fetch(t, "leases", ns, name);
    CKC_CHECK(t, NULL, json_equal(ckc_at(got, "spec"), spec), "the read Lease's spec must match the updated one");
    CKC_CODE(t, ckc_patch(t, item, CKC_SMP, "{\"spec\":{\"holderIdentity\":\"holder3\",\"leaseTransitions\":2}}"), 200);
    got = ckc_fetch(t, "leases", ns, name);
    CKC_CHECK(t, NULL, same(ckc_str(got, "spec.holderIdentity"), "holder3") &&
                           json_integer_value(ckc_at(got, "spec.leaseTransitions")) == 2 &&
                           json_integer_value(ckc_at(got, "spec.leaseDurationSeconds")) == 45,
              "the read Lease's spec must match the patched one");
    const char *name2 = ckc_fmt(t, "%s-2", name);
    json_t *l2 = ckc_manifest(t, "leases", ns, name2);
    json_object_set_new(json_object_get(l2, "metadata"), "labels", json_pack("{s:s}", "deletecollection", "true"));
    ckc_create(t, "leases", ns, name2, l2);
    json_t *all = list_of(t, "/apis/coordination.k8s.io/v1/leases");
    CKC_CHECK(t, NULL, find(all, ns, name) && find(all, ns, name2), "listing all Leases must return both");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=deletecollection%%3Dtrue", ckc_coll(t, "leases", ns)), NULL), 200);
    json_t *left = list_of(t, ckc_coll(t, "leases", ns));
    CKC_CHECK(t, NULL, n_items(left) == 1 && find(left, NULL, name), "deletecollection must delete only the labelled Lease");
    deleted(t, ckc_delete(t, item, NULL));
    CKC_STATUS(t, ckc_get(t, item), 404, "NotFound");
}

/* ---- Endpoints: test/e2e/network/service.go "lifecycle of an Endpoint" ---- */
static void t_endpoint_lifecycle(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = "example-empty-endpoint", *coll = ckc_coll(t, "endpoints", ns);
    const char *sel = "test-endpoint-static%3Dtrue";
    ckc_watch *w = ckc_watch_open(t, ckc_fmt(t, "/api/v1/endpoints?watch=1&labelSelector=%s&resourceVersion=%s", sel,
                                             list_rv(t, ckc_fmt(t, "/api/v1/endpoints?labelSelector=%s", sel))));
    ckc_create(t, "endpoints", ns, name,
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"%s\",\"labels\":"
                            "{\"test-endpoint-static\":\"true\"}},\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.24\"}],"
                            "\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"}]}]}", name));
    expect_event(t, w, "ADDED", name);
    CKC_CHECK(t, NULL, find(list_of(t, ckc_fmt(t, "/api/v1/endpoints?labelSelector=%s", sel)), ns, name),
              "listing all namespaces by label must find the Endpoints");
    ckc_resp *r = ckc_update(t, ckc_item(t, "endpoints", ns, name), add_annotation, NULL);
    CKC_CODE(t, r, 200);
    expect_event(t, w, "MODIFIED", name);
    r = ckc_patch(t, ckc_item(t, "endpoints", ns, name), CKC_SMP,
                  "{\"metadata\":{\"labels\":{\"test-service\":\"patched\"}},\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.25\"}],"
                  "\"ports\":[{\"name\":\"http-test\",\"port\":8080,\"protocol\":\"TCP\"}]}]}");
    CKC_CODE(t, r, 200);
    expect_event(t, w, "MODIFIED", name);
    json_t *o = ckc_fetch(t, "endpoints", ns, name);
    CKC_CHECK(t, NULL, same(ckc_str(o, "subsets.0.addresses.0.ip"), "10.0.0.25") &&
                           json_integer_value(ckc_at(o, "subsets.0.ports.0.port")) == 8080 &&
                           same(ckc_label(o, "test-service"), "patched"),
              "GET after patch must show address 10.0.0.25, port 8080 and the new label");
    CKC_CODE(t, ckc_delete(t, ckc_fmt(t, "%s?labelSelector=%s", coll, sel), NULL), 200);
    expect_event(t, w, "DELETED", name);
}

static void t_endpoint_invalid_ip(ckc_t *t)
{
    ckc_resp *r = ckc_post(t, ckc_coll(t, "endpoints", ckc_ns(t)),
                           ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"ckc-badip\"},"
                                        "\"subsets\":[{\"addresses\":[{\"ip\":\"not-an-ip\"}],\"ports\":[{\"port\":80}]}]}"));
    CKC_STATUS(t, r, 422, "Invalid");
    CKC_CHECK(t, r, has(r->body, "subsets[0].addresses[0].ip"), "the message must name subsets[0].addresses[0].ip");
}

#define API_REF(x) "https://kubernetes.io/docs/reference/kubernetes-api/" x
const ckc_test ckc_tests_core[] = {
    {"api.events.lifecycle", "core/v1 Event: create, list all namespaces, patch, update series, delete", CKC_PROFILE_API,
     "[sig-instrumentation] Events should manage the lifecycle of an event [Conformance]", NULL, "v1/events",
     t_events_lifecycle},
    {"api.events.delete-collection", "core/v1 Event: deletecollection by label selector", CKC_PROFILE_API,
     "[sig-instrumentation] Events should delete a collection of events [Conformance]", NULL, "v1/events",
     t_events_delete_collection},
    {"api.events.namespace-mismatch", "core/v1 Event: involvedObject.namespace must match the event's namespace (422)",
     CKC_PROFILE_API, NULL, API_REF("cluster-resources/event-v1/"), "v1/events", t_events_namespace_mismatch},
    {"api.eventsv1.lifecycle", "events.k8s.io/v1 Event: fetch, field-select, patch note, update series, delete",
     CKC_PROFILE_API,
     "[sig-instrumentation] Events API should ensure that an event can be fetched, patched, deleted, and listed [Conformance]",
     NULL, "events.k8s.io/v1/events v1/events", t_eventsv1_lifecycle},
    {"api.eventsv1.delete-collection", "events.k8s.io/v1 Event: deletecollection by label selector", CKC_PROFILE_API,
     "[sig-instrumentation] Events API should delete a collection of events [Conformance]", NULL, "events.k8s.io/v1/events",
     t_eventsv1_delete_collection},
    {"api.eventsv1.required-fields", "events.k8s.io/v1 Event: eventTime is required (422)", CKC_PROFILE_API, NULL,
     API_REF("cluster-resources/event-v1/"), "events.k8s.io/v1/events", t_eventsv1_required},
    {"api.configmaps.lifecycle", "ConfigMap: create, patch, list all namespaces by label, deletecollection", CKC_PROFILE_API,
     "[sig-node] ConfigMap should run through a ConfigMap lifecycle [Conformance]", NULL, "v1/configmaps",
     t_configmap_lifecycle},
    {"api.configmaps.binary-data", "ConfigMap: binaryData round-trips; a key in data and binaryData is invalid",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-object", "v1/configmaps",
     t_configmap_binary_data},
    {"api.configmaps.invalid-key", "ConfigMap: a key with '/' is invalid (422)", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-object", "v1/configmaps", t_configmap_invalid_key},
    {"api.configmaps.too-large", "ConfigMap: more than 1 MiB of data is invalid (422 Too long)", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/configuration/configmap/#motivation", "v1/configmaps", t_configmap_too_large},
    {"api.secrets.patch", "Secret: create, list all namespaces by label, patch, deletecollection", CKC_PROFILE_API,
     "[sig-node] Secrets should patch a secret [Conformance]", NULL, "v1/secrets", t_secret_patch},
    {"api.secrets.string-data", "Secret: stringData is merged into data (base64) and not stored", CKC_PROFILE_API, NULL,
     API_REF("config-and-storage-resources/secret-v1/"), "v1/secrets", t_secret_string_data},
    {"api.secrets.bad-base64", "Secret: data that is not base64 is a 400 BadRequest", CKC_PROFILE_API, NULL,
     API_REF("config-and-storage-resources/secret-v1/"), "v1/secrets", t_secret_bad_base64},
    {"api.secrets.type-rules", "Secret: type is immutable; kubernetes.io/tls needs tls.key", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types", "v1/secrets", t_secret_type_rules},
    {"api.serviceaccounts.lifecycle", "ServiceAccount: watch ADDED, patch, list by label, deletecollection, DELETED",
     CKC_PROFILE_API, "[sig-auth] ServiceAccounts should run through the lifecycle of a ServiceAccount [Conformance]", NULL,
     "v1/serviceaccounts", t_sa_lifecycle},
    {"api.serviceaccounts.update", "ServiceAccount: update automountServiceAccountToken", CKC_PROFILE_API,
     "[sig-auth] ServiceAccounts should update a ServiceAccount [Conformance]", NULL, "v1/serviceaccounts", t_sa_update},
    {"api.serviceaccounts.automount-opt-out", "ServiceAccount admission: token mounted unless pod or account opts out",
     CKC_PROFILE_API, "[sig-auth] ServiceAccounts should allow opting out of API token automount [Conformance]", NULL,
     "v1/serviceaccounts v1/pods", t_sa_automount_opt_out},
    {"api.podtemplates.lifecycle", "PodTemplate: create, patch, list by label, delete", CKC_PROFILE_API,
     "[sig-node] PodTemplates should run the lifecycle of PodTemplates [Conformance]", NULL, "v1/podtemplates",
     t_podtemplate_lifecycle},
    {"api.podtemplates.replace", "PodTemplate: replace (PUT) adds an annotation", CKC_PROFILE_API,
     "[sig-node] PodTemplates should replace a pod template [Conformance]", NULL, "v1/podtemplates", t_podtemplate_replace},
    {"api.podtemplates.delete-collection", "PodTemplate: deletecollection by label selector", CKC_PROFILE_API,
     "[sig-node] PodTemplates should delete a collection of pod templates [Conformance]", NULL, "v1/podtemplates",
     t_podtemplate_delete_collection},
    {"api.leases.lifecycle", "Lease: create, update, patch, list, deletecollection, delete with spec checks", CKC_PROFILE_API,
     "[sig-node] Lease lease API should be available [Conformance]", NULL, "coordination.k8s.io/v1/leases", t_lease_api},
    {"api.endpoints.lifecycle", "Endpoints: watch, list by label, update, patch address, deletecollection", CKC_PROFILE_API,
     "[sig-network] Services should test the lifecycle of an Endpoint [Conformance]", NULL, "v1/endpoints",
     t_endpoint_lifecycle},
    {"api.endpoints.invalid-ip", "Endpoints: an address that is not an IP is invalid (422)", CKC_PROFILE_API, NULL,
     API_REF("service-resources/endpoints-v1/"), "v1/endpoints", t_endpoint_invalid_ip},
    {0},
};
