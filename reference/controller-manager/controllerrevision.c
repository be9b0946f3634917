/* controllerrevision.c: ControllerRevision history for DaemonSets and
 * StatefulSets (pkg/controller/history/controller_history.go and the
 * controllers' revision helpers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/controllerrevision.h"
#include "controller-manager/deployment_util.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"
#include "util/log.h"

json_t *ck_cr_data(const json_t *owner)
{
    const json_t *t = ck_json_path(owner, "spec.template");
    json_t *tmpl = t ? json_deep_copy(t) : json_object();
    if (!tmpl) return NULL;
    json_object_set_new(tmpl, "$patch", json_string("replace"));
    return json_pack("{s:{s:o}}", "spec", "template", tmpl);
}

void ck_cr_hash(const json_t *data, long collision_count, char *out)
{
    ck_deploy_compute_hash(data, collision_count, out);
}

json_t *ck_cr_new(const json_t *owner, const char *api_version, const char *kind, const json_t *data,
                  const char *hash, long revision)
{
    const json_t *tl = ck_json_path(owner, "spec.template.metadata.labels");
    json_t *labels = tl ? json_deep_copy(tl) : json_object();
    char name[300];
    snprintf(name, sizeof name, "%s-%s", ck_json_str(owner, "metadata.name", ""), hash);
    if (!labels) return NULL;
    json_object_set_new(labels, CK_CR_HASH_LABEL, json_string(hash));
    json_t *ref = ck_new_controller_ref(owner, api_version, kind);
    return json_pack("{s:s,s:s,s:{s:s,s:s,s:o,s:[o]},s:O,s:I}", "apiVersion", "apps/v1", "kind", "ControllerRevision",
                     "metadata", "name", name, "namespace", ck_json_str(owner, "metadata.namespace", ""), "labels",
                     labels, "ownerReferences", ref, "data", data, "revision", (json_int_t)revision);
}

long ck_cr_max_revision(const json_t *revisions)
{
    long m = 0;
    size_t i;
    json_t *r;
    json_array_foreach(revisions, i, r) if (ck_json_int(r, "revision", 0) > m) m = (long)ck_json_int(r, "revision", 0);
    return m;
}

json_t *ck_cr_list(ck_rest *rest, const json_t *owner)
{
    ck_resource_ref ref = {"apps", "v1", "controllerrevisions", ck_json_str(owner, "metadata.namespace", ""), NULL,
                           NULL};
    ck_response r = {0};
    if (ck_rest_list(rest, &ref, NULL, &r) < 0) {
        ck_debug("listing controllerrevisions: %s", r.message);
        ck_response_clear(&r);
        return NULL;
    }
    json_t *out = json_array();
    const char *uid = ck_json_str(owner, "metadata.uid", "?");
    size_t i;
    json_t *cr;
    json_array_foreach(json_object_get(r.body, "items"), i, cr) {
        json_t *cref = ck_controller_ref(cr);
        if (cref && !strcmp(ck_json_str(cref, "uid", ""), uid)) json_array_append(out, cr);
    }
    ck_response_clear(&r);
    return out;
}

/* Sets an existing revision's .revision to `rev` (a merge patch). */
static int bump(ck_rest *rest, const json_t *cr, long rev)
{
    ck_resource_ref ref = {"apps", "v1", "controllerrevisions", ck_json_str(cr, "metadata.namespace", ""),
                           ck_json_str(cr, "metadata.name", ""), NULL};
    json_t *patch = json_pack("{s:I}", "revision", (json_int_t)rev);
    ck_response r = {0};
    int rc = patch ? ck_rest_patch(rest, &ref, CK_PATCH_MERGE, patch, &r) : -1;
    json_decref(patch);
    ck_response_clear(&r);
    return rc;
}

int ck_cr_ensure(ck_rest *rest, const json_t *owner, const char *api_version, const char *kind,
                 const json_t *revisions, char *name_out, size_t name_len, char *hash_out)
{
    json_t *data = ck_cr_data(owner);
    if (!data) return -1;
    long max = ck_cr_max_revision(revisions);
    size_t i;
    json_t *cr;
    json_array_foreach(revisions, i, cr) {
        if (!ck_json_equal(json_object_get(cr, "data"), data)) continue;
        /* an equal revision is reused; rolling back makes it the newest */
        if (ck_json_int(cr, "revision", 0) < max && bump(rest, cr, max + 1) < 0) { json_decref(data); return -1; }
        snprintf(name_out, name_len, "%s", ck_json_str(cr, "metadata.name", ""));
        snprintf(hash_out, 16, "%s", json_string_value(json_object_get(ck_json_path(cr, "metadata.labels"),
                                                                       CK_CR_HASH_LABEL)) ?: "");
        json_decref(data);
        return 0;
    }
    long collision = (long)ck_json_int(owner, "status.collisionCount", 0);
    int rc = -1;
    for (int attempt = 0; attempt < 5 && rc < 0; attempt++, collision++) {
        ck_cr_hash(data, collision, hash_out);
        json_t *obj = ck_cr_new(owner, api_version, kind, data, hash_out, max + 1);
        ck_resource_ref ref = {"apps", "v1", "controllerrevisions", ck_json_str(owner, "metadata.namespace", ""),
                               NULL, NULL};
        ck_response r = {0};
        if (obj && ck_rest_create(rest, &ref, obj, &r) == 0) rc = 0;
        else if (r.code == 409) {
            /* same name: ours with equal data (a stale list) is fine, else a hash collision */
            ck_resource_ref get = ref;
            get.name = ck_json_str(obj, "metadata.name", "");
            ck_response g = {0};
            if (ck_rest_get(rest, &get, &g) == 0 && ck_json_equal(json_object_get(g.body, "data"), data)) rc = 0;
            ck_response_clear(&g);
        } else {
            ck_debug("creating controllerrevision: %s", r.message);
            ck_response_clear(&r);
            json_decref(obj);
            break;
        }
        if (rc == 0) snprintf(name_out, name_len, "%s", ck_json_str(obj, "metadata.name", ""));
        ck_response_clear(&r);
        json_decref(obj);
    }
    json_decref(data);
    return rc;
}

static int by_revision(const void *a, const void *b)
{
    long x = (long)ck_json_int(*(json_t *const *)a, "revision", 0), y = (long)ck_json_int(*(json_t *const *)b, "revision", 0);
    return x < y ? -1 : x > y;
}

void ck_cr_truncate(ck_rest *rest, const json_t *revisions, long limit, const json_t *keep)
{
    size_t n = 0, i;
    json_t *cr, *v[512];
    json_array_foreach(revisions, i, cr)
        if (n < 512 && !json_object_get(keep, ck_json_str(cr, "metadata.name", ""))) v[n++] = cr;
    if ((long)n <= limit) return;
    qsort(v, n, sizeof v[0], by_revision);
    for (size_t k = 0; k < n - (size_t)limit; k++) {
        ck_resource_ref ref = {"apps", "v1", "controllerrevisions", ck_json_str(v[k], "metadata.namespace", ""),
                               ck_json_str(v[k], "metadata.name", ""), NULL};
        ck_response r = {0};
        ck_rest_delete(rest, &ref, NULL, &r);
        ck_response_clear(&r);
    }
}
