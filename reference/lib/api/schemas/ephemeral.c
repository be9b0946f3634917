/* ephemeral.c: what only ephemeral containers must satisfy
 * (pkg/apis/core/validation/validation.go validateEphemeralContainers with
 * allowedEphemeralContainerFields) and ValidatePodEphemeralContainersUpdate:
 * ephemeral containers can be added, never changed or removed. */
#include "api/schemas/ephemeral.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/schemas/common.h"
#include "util/ckjson.h"

#define P(buf, ...) ck_pathf(buf, sizeof buf, __VA_ARGS__)

/* allowedEphemeralContainerFields' false entries, as JSON names: fundamental
 * pod services may not rely on an ephemeral container. */
static const char *const disallowed[] = {"ports", "resources", "resizePolicy", "livenessProbe", "readinessProbe",
                                         "startupProbe", "lifecycle", "restartPolicy", NULL};
#define NOT_FOR_EPHEMERAL "cannot be set for an Ephemeral Container"

/* Go's zero value: absent, null, "", 0, false, [] and {} count as unset. */
static bool is_set(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v)) return false;
    if (json_is_string(v)) return json_string_length(v) > 0;
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    if (json_is_object(v)) return json_object_size(v) > 0;
    return true;
}

static bool named_in(const json_t *list, const char *name)
{
    size_t i;
    const json_t *c;
    json_array_foreach(list, i, c) if (strcmp(ck_str(c, "name"), name) == 0) return true;
    return false;
}

void ck_validate_ephemeral_containers(const json_t *spec, const char *path, ck_errs *errs)
{
    char cp[CK_PATH_MAX], f[CK_PATH_MAX];
    size_t i;
    const json_t *ec;
    json_array_foreach(json_object_get(spec, "ephemeralContainers"), i, ec) {
        P(cp, "%s.ephemeralContainers[%zu]", path, i);
        /* The target container name must exist and be non-ephemeral. */
        const char *target = ck_str(ec, "targetContainerName");
        if (*target && !named_in(json_object_get(spec, "containers"), target) &&
            !named_in(json_object_get(spec, "initContainers"), target))
            ck_errs_add(errs, "FieldValueNotFound", P(f, "%s.targetContainerName", cp), "Not found: \"%s\"", target);
        for (const char *const *d = disallowed; *d; d++)
            if (is_set(json_object_get(ec, *d))) ck_errs_forbidden(errs, P(f, "%s.%s", cp, *d), NOT_FOR_EPHEMERAL);
        /* subPath mounts are bind mounts kept until the pod exits: disallowed entirely */
        size_t m;
        const json_t *vm;
        json_array_foreach(json_object_get(ec, "volumeMounts"), m, vm) {
            if (*ck_str(vm, "subPath"))
                ck_errs_forbidden(errs, P(f, "%s.volumeMounts[%zu].subPath", cp, m), NOT_FOR_EPHEMERAL);
            if (*ck_str(vm, "subPathExpr"))
                ck_errs_forbidden(errs, P(f, "%s.volumeMounts[%zu].subPathExpr", cp, m), NOT_FOR_EPHEMERAL);
        }
    }
}

static const json_t *by_name(const json_t *list, const char *name)
{
    size_t i;
    const json_t *c;
    json_array_foreach(list, i, c) if (strcmp(ck_str(c, "name"), name) == 0) return c;
    return NULL;
}

void ck_validate_ephemeral_update(const json_t *obj, const json_t *old, ck_errs *errs)
{
    /* static pods don't support ephemeral containers (kubernetes#113935) */
    if (json_object_get(ck_json_path(old, "metadata.annotations"), "kubernetes.io/config.mirror")) {
        ck_errs_forbidden(errs, "", "static pods do not support ephemeral containers");
        return;
    }
    const json_t *now = ck_json_path(obj, "spec.ephemeralContainers");
    size_t i;
    const json_t *oc;
    char f[CK_PATH_MAX], detail[2048];
    /* Order isn't preserved by patch, so each is checked by name. */
    json_array_foreach(ck_json_path(old, "spec.ephemeralContainers"), i, oc) {
        const char *name = ck_str(oc, "name");
        const json_t *nc = by_name(now, name);
        if (!nc) {
            snprintf(detail, sizeof detail, "existing ephemeral containers \"%s\" may not be removed\n", name);
            ck_errs_forbidden(errs, "spec.ephemeralContainers", detail);
        } else if (!ck_json_equal(oc, nc)) {
            char *a = ck_json_dump(oc), *b = ck_json_dump(nc);
            snprintf(detail, sizeof detail, "existing ephemeral containers \"%s\" may not be changed\n- %s\n+ %s", name,
                     a ? a : "", b ? b : "");
            free(a);
            free(b);
            ck_errs_forbidden(errs, P(f, "spec.ephemeralContainers[%s]", name), detail);
        }
    }
}
