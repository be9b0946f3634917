/* test_batch.c: the h20 kinds' defaults and validation after upstream:
 * Job and CronJob (pkg/apis/batch), DaemonSet and StatefulSet
 * (pkg/apis/apps), PriorityClass, PodDisruptionBudget, Ingress and the
 * authorization reviews; plus a few printer cells. */
#include <stdlib.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/kinds.h"
#include "api/schemas/schemas.h"
#include "util/cktest.h"
#include "util/ckjson.h"

#define TEMPLATE(labels, restart) "\"template\":{\"metadata\":{\"labels\":" labels "}," \
    "\"spec\":{\"restartPolicy\":\"" restart "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"

static json_t *parse(const char *s)
{
    json_t *o = json_loads(s, 0, NULL);
    if (!o) fprintf(stderr, "bad JSON: %s\n", s);
    return o;
}

/* Whether errs holds `field` with a message containing `part`. */
static bool has_err(const ck_errs *errs, const char *field, const char *part)
{
    size_t i;
    json_t *e;
    json_array_foreach(errs->items, i, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        if (f && m && !strcmp(f, field) && strstr(m, part)) return true;
    }
    return false;
}

/* Validation of obj as kind (generic + kind hook); returns the error count
 * and, when field/message are given, whether that error was among them. */
static size_t check(const char *resource, const char *group, const json_t *obj, const json_t *old,
                    const char *field, const char *message, bool *found)
{
    const ck_kind *k = ck_kind_by_resource(group, "v1", resource);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_object(k, obj, old, &errs);
    if (found) *found = has_err(&errs, field, message);
    if (found && !*found) {
        char *d = json_dumps(errs.items, JSON_COMPACT);
        fprintf(stderr, "%s: no %s error with \"%s\" in %s\n", resource, field, message, d ? d : "[]");
        free(d);
    }
    size_t n = ck_errs_count(&errs);
    ck_errs_free(&errs);
    return n;
}

static void test_job(void)
{
    json_t *j = parse("{\"metadata\":{\"name\":\"j\",\"namespace\":\"ns\"},\"spec\":{" TEMPLATE("{\"a\":\"b\"}", "Never") "}}");
    ck_defaults_job(j);
    CU_ASSERT_EQUAL(ck_json_int(j, "spec.completions", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(j, "spec.parallelism", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(j, "spec.backoffLimit", -1), 6);
    CU_ASSERT_STRING_EQUAL(ck_json_str(j, "spec.completionMode", ""), "NonIndexed");
    CU_ASSERT_STRING_EQUAL(ck_json_str(j, "spec.podReplacementPolicy", ""), "TerminatingOrFailed");
    CU_ASSERT_FALSE(ck_json_bool(j, "spec.suspend", true));
    CU_ASSERT_STRING_EQUAL(ck_json_str(j, "metadata.labels.a", ""), "b"); /* labels from the template */
    bool found;
    /* no selector yet (the registry generates it): Required */
    check("jobs", "batch", j, NULL, "spec.selector", "Required value", &found);
    CU_ASSERT_TRUE(found);
    json_t *sel = parse("{\"matchLabels\":{\"a\":\"b\"}}");
    json_object_set_new(json_object_get(j, "spec"), "selector", sel);
    CU_ASSERT_EQUAL(check("jobs", "batch", j, NULL, NULL, NULL, NULL), 0);
    ck_json_set(j, "spec.template.spec.restartPolicy", json_string("Always"));
    check("jobs", "batch", j, NULL, "spec.template.spec.restartPolicy",
          "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", &found);
    CU_ASSERT_TRUE(found);
    json_decref(j);
    /* only parallelism given: completions stay unset */
    j = parse("{\"spec\":{\"parallelism\":3}}");
    ck_defaults_job(j);
    CU_ASSERT_PTR_NULL(ck_json_path(j, "spec.completions"));
    json_decref(j);
}

static void test_cronjob(void)
{
    json_t *c = parse("{\"metadata\":{\"name\":\"c\",\"namespace\":\"ns\"},\"spec\":{\"schedule\":\"*/1 * * * *\","
                      "\"jobTemplate\":{\"spec\":{" TEMPLATE("{\"a\":\"b\"}", "OnFailure") "}}}}");
    ck_defaults_cronjob(c);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "spec.concurrencyPolicy", ""), "Allow");
    CU_ASSERT_EQUAL(ck_json_int(c, "spec.successfulJobsHistoryLimit", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(c, "spec.failedJobsHistoryLimit", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(c, "spec.jobTemplate.spec.backoffLimit", -1), 6);
    CU_ASSERT_EQUAL(check("cronjobs", "batch", c, NULL, NULL, NULL, NULL), 0);
    bool found;
    ck_json_set(c, "spec.schedule", json_string("xyz"));
    check("cronjobs", "batch", c, NULL, "spec.schedule",
          "Invalid value: \"xyz\": expected exactly 5 fields, found 1: [xyz]", &found);
    CU_ASSERT_TRUE(found);
    ck_json_set(c, "spec.schedule", json_string("@hourly"));
    ck_json_set(c, "spec.concurrencyPolicy", json_string("Sometimes"));
    check("cronjobs", "batch", c, NULL, "spec.concurrencyPolicy",
          "Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"", &found);
    CU_ASSERT_TRUE(found);
    json_decref(c);
}

static void test_daemonset_statefulset(void)
{
    json_t *d = parse("{\"metadata\":{\"name\":\"d\",\"namespace\":\"ns\"},\"spec\":{\"selector\":{\"matchLabels\":"
                      "{\"a\":\"b\"}}," TEMPLATE("{\"a\":\"b\"}", "Always") "}}");
    ck_defaults_daemonset(d);
    CU_ASSERT_STRING_EQUAL(ck_json_str(d, "spec.updateStrategy.type", ""), "RollingUpdate");
    CU_ASSERT_EQUAL(ck_json_int(d, "spec.updateStrategy.rollingUpdate.maxUnavailable", -1), 1);
    CU_ASSERT_EQUAL(ck_json_int(d, "spec.updateStrategy.rollingUpdate.maxSurge", -1), 0);
    CU_ASSERT_EQUAL(ck_json_int(d, "spec.revisionHistoryLimit", -1), 10);
    CU_ASSERT_EQUAL(check("daemonsets", "apps", d, NULL, NULL, NULL, NULL), 0);
    bool found;
    ck_json_set(d, "spec.template.metadata.labels", parse("{\"a\":\"c\"}"));
    check("daemonsets", "apps", d, NULL, "spec.template.metadata.labels",
          "`selector` does not match template `labels`", &found);
    CU_ASSERT_TRUE(found);
    json_decref(d);

    json_t *s = parse("{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\"},\"spec\":{\"selector\":{\"matchLabels\":"
                      "{\"a\":\"b\"}}," TEMPLATE("{\"a\":\"b\"}", "Always") "}}");
    ck_defaults_statefulset(s);
    CU_ASSERT_EQUAL(ck_json_int(s, "spec.replicas", -1), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(s, "spec.podManagementPolicy", ""), "OrderedReady");
    CU_ASSERT_EQUAL(ck_json_int(s, "spec.updateStrategy.rollingUpdate.partition", -1), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(s, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", ""), "Retain");
    CU_ASSERT_EQUAL(check("statefulsets", "apps", s, NULL, NULL, NULL, NULL), 0);
    json_t *s2 = json_deep_copy(s);
    ck_json_set(s2, "spec.serviceName", json_string("other"));
    check("statefulsets", "apps", s2, s, "spec", "Forbidden: updates to statefulset spec for fields other than", &found);
    CU_ASSERT_TRUE(found);
    ck_json_set(s2, "spec.serviceName", json_null());
    json_object_del(json_object_get(s2, "spec"), "serviceName");
    ck_json_set(s2, "spec.replicas", json_integer(5));
    CU_ASSERT_EQUAL(check("statefulsets", "apps", s2, s, NULL, NULL, NULL), 0);
    json_decref(s2);
    json_decref(s);
}

static void test_priorityclass(void)
{
    json_t *p = parse("{\"metadata\":{\"name\":\"high\"},\"value\":1000000001}");
    ck_defaults_priorityclass(p);
    CU_ASSERT_STRING_EQUAL(ck_json_str(p, "preemptionPolicy", ""), "PreemptLowerPriority");
    bool found;
    check("priorityclasses", "scheduling.k8s.io", p, NULL, "value",
          "Forbidden: maximum allowed value of a user defined priority is 1000000000", &found);
    CU_ASSERT_TRUE(found);
    ck_json_set(p, "value", json_integer(10));
    CU_ASSERT_EQUAL(check("priorityclasses", "scheduling.k8s.io", p, NULL, NULL, NULL, NULL), 0);
    json_t *p2 = json_deep_copy(p);
    ck_json_set(p2, "value", json_integer(11));
    check("priorityclasses", "scheduling.k8s.io", p2, p, "value", "Forbidden: may not be changed in an update.", &found);
    CU_ASSERT_TRUE(found);
    json_decref(p2);
    json_decref(p);
    p = parse("{\"metadata\":{\"name\":\"system-foo\"},\"value\":1}");
    check("priorityclasses", "scheduling.k8s.io", p, NULL, "metadata.name",
          "reserved for system use only. error: system-foo is not a known system priority class", &found);
    CU_ASSERT_TRUE(found);
    json_decref(p);
    p = parse("{\"metadata\":{\"name\":\"system-node-critical\"},\"value\":2000001000}");
    CU_ASSERT_EQUAL(check("priorityclasses", "scheduling.k8s.io", p, NULL, NULL, NULL, NULL), 0);
    json_decref(p);
}

static void test_pdb_ingress(void)
{
    bool found;
    json_t *p = parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"minAvailable\":1,"
                      "\"maxUnavailable\":\"10%\"}}");
    check("poddisruptionbudgets", "policy", p, NULL, "spec", "minAvailable and maxUnavailable cannot be both set", &found);
    CU_ASSERT_TRUE(found);
    json_object_del(json_object_get(p, "spec"), "minAvailable");
    ck_json_set(p, "spec.maxUnavailable", json_string("120%"));
    check("poddisruptionbudgets", "policy", p, NULL, "spec.maxUnavailable", "must not be greater than 100%", &found);
    CU_ASSERT_TRUE(found);
    json_decref(p);

    json_t *i = parse("{\"metadata\":{\"name\":\"i\",\"namespace\":\"ns\"},\"spec\":{\"rules\":[{\"host\":\"a.com\","
                      "\"http\":{\"paths\":[{\"path\":\"/\",\"backend\":{\"service\":{\"name\":\"s\",\"port\":"
                      "{\"number\":80}}}}]}}]}}");
    check("ingresses", "networking.k8s.io", i, NULL, "spec.rules[0].http.paths[0].pathType",
          "Required value: pathType must be specified", &found);
    CU_ASSERT_TRUE(found);
    json_t *rule = json_array_get(ck_json_path(i, "spec.rules"), 0);
    json_object_set_new(json_array_get(ck_json_path(rule, "http.paths"), 0), "pathType", json_string("Prefix"));
    CU_ASSERT_EQUAL(check("ingresses", "networking.k8s.io", i, NULL, NULL, NULL, NULL), 0);
    const ck_kind *k = ck_kind_by_resource("networking.k8s.io", "v1", "ingresses");
    json_t *hosts = k->columns[2].cell(i);
    CU_ASSERT_STRING_EQUAL(json_string_value(hosts), "a.com");
    json_decref(hosts);
    json_decref(i);
}

static void test_reviews(void)
{
    bool found;
    /* reviews need no name (virtual kinds) but one kind of attributes */
    json_t *r = parse("{\"spec\":{\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\"}}}");
    CU_ASSERT_EQUAL(check("selfsubjectaccessreviews", "authorization.k8s.io", r, NULL, NULL, NULL, NULL), 0);
    check("subjectaccessreviews", "authorization.k8s.io", r, NULL, "spec.user",
          "at least one of user or group must be specified", &found);
    CU_ASSERT_TRUE(found);
    json_decref(r);
    r = parse("{\"spec\":{}}");
    check("selfsubjectaccessreviews", "authorization.k8s.io", r, NULL, "spec.resourceAttributes",
          "exactly one of nonResourceAttributes or resourceAttributes must be specified", &found);
    CU_ASSERT_TRUE(found);
    json_decref(r);
    r = parse("{\"metadata\":{\"namespace\":\"a\"},\"spec\":{\"user\":\"u\",\"resourceAttributes\":{\"namespace\":\"b\"}}}");
    check("localsubjectaccessreviews", "authorization.k8s.io", r, NULL, "spec.resourceAttributes.namespace",
          "must match metadata.namespace", &found);
    CU_ASSERT_TRUE(found);
    json_decref(r);
    /* a stored kind still requires a name */
    r = parse("{\"handler\":\"runc\"}");
    check("runtimeclasses", "node.k8s.io", r, NULL, "metadata.name", "name or generateName is required", &found);
    CU_ASSERT_TRUE(found);
    json_decref(r);
}

int main(void)
{
    static const ck_test tests[] = {
        {"Job defaults and validation", test_job},
        {"CronJob defaults and schedule", test_cronjob},
        {"DaemonSet and StatefulSet", test_daemonset_statefulset},
        {"PriorityClass", test_priorityclass},
        {"PodDisruptionBudget and Ingress", test_pdb_ingress},
        {"reviews: no name, attributes", test_reviews},
        {NULL, NULL},
    };
    return ck_test_main("batch", tests, NULL, NULL);
}
