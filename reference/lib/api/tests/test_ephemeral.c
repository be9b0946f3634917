/* test_ephemeral.c: ephemeral container validation as upstream's
 * validateEphemeralContainers and ValidatePodEphemeralContainersUpdate
 * (pkg/apis/core/validation/validation.go): allow-listed fields, unique
 * names across every container list, targetContainerName, and that existing
 * ephemeral containers are neither changed nor removed. */
#include <stdlib.h>
#include <string.h>
#include "api/schemas/ephemeral.h"
#include "api/schemas/schemas.h"
#include "util/cktest.h"
#include "util/ckjson.h"

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *o = json_loads(text, 0, &e);
    if (!o) fprintf(stderr, "bad test JSON: %s at %d\n", e.text, e.position);
    return o;
}

#define POD(ECS) "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"d\"}," \
                 "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]," \
                 "\"initContainers\":[{\"name\":\"i\",\"image\":\"busybox\"}],\"ephemeralContainers\":" ECS "}}"

/* Finds an error whose field is `field` and whose message contains `part`. */
static bool has_err(const ck_errs *errs, const char *field, const char *part)
{
    size_t i;
    json_t *e;
    json_array_foreach(errs->items, i, e)
        if (strcmp(ck_json_str(e, "field", ""), field) == 0 && strstr(ck_json_str(e, "message", ""), part)) return true;
    return false;
}

/* The whole PodSpec validation after defaulting (which covers ephemeral
 * containers too: SetDefaults_EphemeralContainer), as for a stored pod. */
static ck_errs spec_errs(const char *text)
{
    ck_errs errs = CK_ERRS_INIT;
    json_t *pod = load(text);
    ck_defaults_pod(pod);
    ck_validate_pod_spec(json_object_get(pod, "spec"), "spec", &errs);
    json_decref(pod);
    return errs;
}

static void test_valid_ephemeral(void)
{
    ck_errs errs = spec_errs(POD("[{\"name\":\"debugger\",\"image\":\"busybox\",\"stdin\":true,\"tty\":true,"
                                 "\"command\":[\"sh\"],\"targetContainerName\":\"c\"}]"));
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    ck_errs_free(&errs);
}

static void test_forbidden_fields(void)
{
    ck_errs errs = spec_errs(POD("[{\"name\":\"d\",\"image\":\"busybox\",\"ports\":[{\"containerPort\":80}],"
                                 "\"readinessProbe\":{\"exec\":{\"command\":[\"true\"]}},"
                                 "\"lifecycle\":{\"postStart\":{\"exec\":{\"command\":[\"true\"]}}},"
                                 "\"resources\":{\"limits\":{\"cpu\":\"1\"}}}]"));
    const char *msg = "cannot be set for an Ephemeral Container";
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[0].ports", msg));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[0].readinessProbe", msg));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[0].lifecycle", msg));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[0].resources", msg));
    ck_errs_free(&errs);
}

static void test_names_unique_across_lists(void)
{
    ck_errs errs = spec_errs(POD("[{\"name\":\"c\",\"image\":\"busybox\"},{\"name\":\"i\",\"image\":\"busybox\"},"
                                 "{\"name\":\"e\",\"image\":\"busybox\"},{\"name\":\"e\",\"image\":\"busybox\"}]"));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[0].name", "Duplicate value: \"c\""));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[1].name", "Duplicate value: \"i\""));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[3].name", "Duplicate value: \"e\""));
    CU_ASSERT_FALSE(has_err(&errs, "spec.ephemeralContainers[2].name", "Duplicate"));
    ck_errs_free(&errs);
}

static void test_target_and_subpath(void)
{
    ck_errs errs = spec_errs(POD("[{\"name\":\"d\",\"image\":\"busybox\",\"targetContainerName\":\"nope\","
                                 "\"volumeMounts\":[{\"name\":\"v\",\"mountPath\":\"/v\",\"subPath\":\"x\"}]}]"));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[0].targetContainerName", "Not found: \"nope\""));
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[0].volumeMounts[0].subPath",
                           "Forbidden: cannot be set for an Ephemeral Container"));
    ck_errs_free(&errs);
}

static void test_update_adds_only(void)
{
    json_t *old = load(POD("[{\"name\":\"d1\",\"image\":\"busybox\"}]"));
    json_t *added = load(POD("[{\"name\":\"d1\",\"image\":\"busybox\"},{\"name\":\"d2\",\"image\":\"busybox\"}]"));
    json_t *changed = load(POD("[{\"name\":\"d1\",\"image\":\"nginx\"}]"));
    json_t *removed = load(POD("[{\"name\":\"d2\",\"image\":\"busybox\"}]"));
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_ephemeral_update(added, old, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    ck_validate_ephemeral_update(changed, old, &errs);
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers[d1]", "existing ephemeral containers \"d1\" may not be changed"));
    ck_errs_free(&errs);
    ck_validate_ephemeral_update(removed, old, &errs);
    CU_ASSERT_TRUE(has_err(&errs, "spec.ephemeralContainers", "existing ephemeral containers \"d1\" may not be removed"));
    ck_errs_free(&errs);
    json_decref(old);
    json_decref(added);
    json_decref(changed);
    json_decref(removed);
}

static void test_static_pod_refused(void)
{
    json_t *old = load(POD("[]"));
    json_object_set_new(json_object_get(old, "metadata"), "annotations",
                        json_pack("{s:s}", "kubernetes.io/config.mirror", "x"));
    json_t *obj = load(POD("[{\"name\":\"d\",\"image\":\"busybox\"}]"));
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_ephemeral_update(obj, old, &errs);
    CU_ASSERT_TRUE(has_err(&errs, "", "static pods do not support ephemeral containers"));
    ck_errs_free(&errs);
    json_decref(old);
    json_decref(obj);
}

/* A plain pod update may not add ephemeral containers (only the subresource can). */
static void test_plain_update_cannot_add(void)
{
    json_t *old = load(POD("[]"));
    json_t *obj = load(POD("[{\"name\":\"d\",\"image\":\"busybox\"}]"));
    ck_defaults_pod(old);
    ck_defaults_pod(obj);
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_pod(obj, old, &errs);
    CU_ASSERT_TRUE(has_err(&errs, "spec", "pod updates may not change fields other than"));
    ck_errs_free(&errs);
    json_decref(old);
    json_decref(obj);
}

int main(void)
{
    static const ck_test tests[] = {
        {"valid ephemeral container", test_valid_ephemeral},
        {"ports, probes, lifecycle, resources forbidden", test_forbidden_fields},
        {"names unique across containers, init, ephemeral", test_names_unique_across_lists},
        {"targetContainerName and subPath", test_target_and_subpath},
        {"update may only add", test_update_adds_only},
        {"static pods refused", test_static_pod_refused},
        {"plain pod update cannot add", test_plain_update_cannot_add},
        {NULL, NULL},
    };
    return ck_test_main("ephemeral", tests, NULL, NULL);
}
