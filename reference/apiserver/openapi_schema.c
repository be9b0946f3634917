/* openapi_schema.c: OpenAPI schemas from the kind table's ck_field trees.
 * Shared nodes (ObjectMeta, PodSpec, LabelSelector...) and apimachinery
 * types (Time, Quantity, IntOrString, Status...) become named definitions,
 * named as upstream's (k8s.io/kube-openapi, api/openapi-spec/swagger.json). */
#include "apiserver/openapi.h"
#include <stdio.h>
#include <string.h>
#include "api/schemas/schemas.h"
#include "apiserver/discovery.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment" /* fields.h's first comment */
#include "api/schemas/fields.h"
#pragma GCC diagnostic pop

#define META "io.k8s.apimachinery.pkg.apis.meta.v1."
#define CORE "io.k8s.api.core.v1."

char *ck_openapi_def_name(const char *group, const char *version, const char *kind, char *out,
                          size_t n)
{
    /* Go package of the group: k8s.io/api/<first label of group>/<version>,
     * except the groups whose types live outside k8s.io/api. */
    static const char *const special[][2] = {
        {"apiextensions.k8s.io", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions"},
        {"apiregistration.k8s.io", "io.k8s.kube-aggregator.pkg.apis.apiregistration"},
    };
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (!strcmp(group, special[i][0])) {
            snprintf(out, n, "%s.%s.%s", special[i][1], version, kind);
            return out;
        }
    size_t len = group[0] ? strcspn(group, ".") : 4;
    snprintf(out, n, "io.k8s.api.%.*s.%s.%s", (int)len, group[0] ? group : "core", version, kind);
    return out;
}

/* Field lists shared between kinds, as their upstream definitions. Built at
 * run time: the addresses come from other translation units' data. */
typedef struct shared_def {
    const ck_field *fields;
    const char *name;
    const char *description;
} shared_def;

static size_t shared_defs(shared_def *out)
{
    size_t n = 0;
    out[n++] = (shared_def){ck_object_meta_fields, META "ObjectMeta",
                            "ObjectMeta is metadata that all persisted resources must have, which "
                            "includes all objects users must create."};
    out[n++] = (shared_def){ck_schema_label_selector.fields, META "LabelSelector",
                            "A label selector is a label query over a set of resources."};
    out[n++] = (shared_def){ck_object_reference_fields, CORE "ObjectReference",
                            "ObjectReference contains enough information to let you inspect or "
                            "modify the referred object."};
    out[n++] = (shared_def){ck_schema_pod_spec.fields, CORE "PodSpec",
                            "PodSpec is a description of a pod."};
    out[n++] = (shared_def){ck_schema_pod_template_spec.fields, CORE "PodTemplateSpec",
                            "PodTemplateSpec describes the data a pod should have when created "
                            "from a template"};
    return n;
}

static const shared_def *shared_by_fields(const ck_field *fields, shared_def *buf)
{
    if (!fields) return NULL;
    size_t n = shared_defs(buf);
    for (size_t i = 0; i < n; i++)
        if (buf[i].fields == fields) return &buf[i];
    return NULL;
}

static json_t *object_schema(ck_oa *c, const ck_field *fields, const char *description)
{
    json_t *s = json_object();
    if (description) json_object_set_new(s, "description", json_string(description));
    json_object_set_new(s, "type", json_string("object"));
    json_t *props = json_object(), *req = json_array();
    for (const ck_field *f = fields; f && f->name; f++) {
        json_object_set_new(props, f->name, ck_oa_schema(c, f));
        if (f->flags & CK_F_REQUIRED) json_array_append_new(req, json_string(f->name));
    }
    json_object_set_new(s, "properties", props);
    if (json_array_size(req)) json_object_set_new(s, "required", req);
    else json_decref(req);
    return s;
}

/* ---- static definitions (apimachinery types and subresource kinds) ----- */
static json_t *def_string(const char *desc, const char *format)
{
    json_t *s = json_pack("{s:s,s:s}", "description", desc, "type", "string");
    if (format) json_object_set_new(s, "format", json_string(format));
    return s;
}

static json_t *props(ck_oa *c, const char *desc, const char *const *names, const char *const *refs)
{
    json_t *p = json_object();
    for (size_t i = 0; names[i]; i++)
        json_object_set_new(p, names[i],
                            !strcmp(refs[i], "#array")
                                ? json_pack("{s:s,s:{s:s}}", "type", "array", "items", "type", "string")
                            : refs[i][0] == '#' ? json_pack("{s:s}", "type", refs[i] + 1)
                                                : ck_oa_ref(c, refs[i], NULL));
    return json_pack("{s:s,s:s,s:o}", "description", desc, "type", "object", "properties", p);
}

static json_t *gvk_ext(const char *g, const char *v, const char *k)
{
    return json_pack("[{s:s,s:s,s:s}]", "group", g, "kind", k, "version", v);
}

static json_t *build_static(ck_oa *c, const char *name)
{
#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})
    if (!strcmp(name, META "Time"))
        return def_string("Time is a wrapper around time.Time which supports correct marshaling "
                          "to YAML and JSON.", "date-time");
    if (!strcmp(name, META "MicroTime"))
        return def_string("MicroTime is version of Time with microsecond level precision.", "date-time");
    if (!strcmp(name, "io.k8s.apimachinery.pkg.util.intstr.IntOrString"))
        return def_string("IntOrString is a type that can hold an int32 or a string.", "int-or-string");
    if (!strcmp(name, "io.k8s.apimachinery.pkg.api.resource.Quantity")) {
        json_t *q = def_string("Quantity is a fixed-point representation of a number.", NULL);
        if (c->v3) { /* upstream's v3 Quantity is oneOf string|number */
            json_object_del(q, "type");
            json_object_set_new(q, "oneOf", json_pack("[{s:s},{s:s}]", "type", "string", "type", "number"));
        }
        return q;
    }
    if (!strcmp(name, META "Patch"))
        return json_pack("{s:s,s:s}", "description",
                         "Patch is provided to give a concrete name and type to the Kubernetes PATCH "
                         "request body.", "type", "object");
    if (!strcmp(name, META "ListMeta"))
        return props(c, "ListMeta describes metadata that synthetic resources must have.",
                     NAMES("continue", "remainingItemCount", "resourceVersion", "selfLink"),
                     NAMES("#string", "#integer", "#string", "#string"));
    if (!strcmp(name, META "Status"))
        return props(c, "Status is a return value for calls that don't return other objects.",
                     NAMES("apiVersion", "code", "kind", "message", "metadata", "reason", "status"),
                     NAMES("#string", "#integer", "#string", "#string", META "ListMeta", "#string", "#string"));
    if (!strcmp(name, META "DeleteOptions"))
        return props(c, "DeleteOptions may be provided when deleting an API object.",
                     NAMES("apiVersion", "dryRun", "gracePeriodSeconds", "kind", "orphanDependents",
                           "propagationPolicy"),
                     NAMES("#string", "#array", "#integer", "#string", "#boolean", "#string"));
    if (!strcmp(name, META "WatchEvent"))
        return props(c, "Event represents a single event to a watched resource.",
                     NAMES("object", "type"), NAMES("#object", "#string"));
    if (!strcmp(name, "io.k8s.api.autoscaling.v1.Scale")) {
        json_t *s = props(c, "Scale represents a scaling request for a resource.",
                          NAMES("apiVersion", "kind", "metadata"), NAMES("#string", "#string", META "ObjectMeta"));
        json_t *p = json_object_get(s, "properties");
        json_object_set_new(p, "spec", json_pack("{s:s,s:{s:{s:s}}}", "type", "object", "properties",
                                                 "replicas", "type", "integer"));
        json_object_set_new(p, "status", json_pack("{s:s,s:{s:{s:s},s:{s:s}},s:[s]}", "type", "object",
                                                   "properties", "replicas", "type", "integer",
                                                   "selector", "type", "string", "required", "replicas"));
        json_object_set_new(s, "x-kubernetes-group-version-kind", gvk_ext("autoscaling", "v1", "Scale"));
        return s;
    }
    if (!strcmp(name, "io.k8s.api.policy.v1.Eviction")) {
        json_t *s = props(c, "Eviction evicts a pod from its node subject to certain policies and "
                             "safety constraints.",
                          NAMES("apiVersion", "deleteOptions", "kind", "metadata"),
                          NAMES("#string", META "DeleteOptions", "#string", META "ObjectMeta"));
        json_object_set_new(s, "x-kubernetes-group-version-kind", gvk_ext("policy", "v1", "Eviction"));
        return s;
    }
    if (!strcmp(name, "io.k8s.api.authentication.v1.TokenRequest")) { /* serviceaccounts/token */
        json_t *s = props(c, "TokenRequest requests a token for a given service account.",
                          NAMES("apiVersion", "kind", "metadata"), NAMES("#string", "#string", META "ObjectMeta"));
        json_t *p = json_object_get(s, "properties");
        json_object_set_new(p, "spec", json_pack("{s:s,s:{s:{s:s,s:{s:s}},s:{s:s},s:{s:s}},s:[s]}", "type", "object",
                                                 "properties", "audiences", "type", "array", "items", "type",
                                                 "string", "expirationSeconds", "type", "integer",
                                                 "boundObjectRef", "type", "object", "required", "audiences"));
        json_object_set_new(p, "status", json_pack("{s:s,s:{s:{s:s},s:{s:s,s:s}},s:[s,s]}", "type", "object",
                                                   "properties", "token", "type", "string", "expirationTimestamp",
                                                   "type", "string", "format", "date-time", "required", "token",
                                                   "expirationTimestamp"));
        json_object_set_new(s, "x-kubernetes-group-version-kind",
                            gvk_ext("authentication.k8s.io", "v1", "TokenRequest"));
        return s;
    }
    return NULL;
#undef NAMES
}

/* Adds definition `name` to c->defs when known and absent. */
static void ensure_def(ck_oa *c, const char *name)
{
    if (json_object_get(c->defs, name)) return;
    json_object_set_new(c->defs, name, json_object()); /* recursion guard */
    json_t *d = build_static(c, name);
    if (!d) {
        shared_def buf[8];
        size_t n = shared_defs(buf);
        for (size_t i = 0; i < n && !d; i++)
            if (!strcmp(buf[i].name, name) && buf[i].fields)
                d = object_schema(c, buf[i].fields, buf[i].description);
    }
    if (d) json_object_set_new(c->defs, name, d);
    else json_object_del(c->defs, name); /* kind definitions are added by ck_oa_kind_defs */
}

json_t *ck_oa_ref(ck_oa *c, const char *name, const char *description)
{
    ensure_def(c, name);
    char ref[256];
    snprintf(ref, sizeof ref, "#/%s/%s", c->v3 ? "components/schemas" : "definitions", name);
    json_t *r = json_pack("{s:s}", "$ref", ref);
    if (!description) return r;
    if (c->v3) /* OpenAPI 3.0 ignores siblings of $ref: upstream wraps them in allOf */
        return json_pack("{s:[o],s:s}", "allOf", r, "description", description);
    json_object_set_new(r, "description", json_string(description));
    return r;
}

static void add_patch_extensions(json_t *s, const ck_field *f)
{
    if (f->merge_key) json_object_set_new(s, "x-kubernetes-patch-merge-key", json_string(f->merge_key));
    if (f->patch_strategy)
        json_object_set_new(s, "x-kubernetes-patch-strategy", json_string(f->patch_strategy));
    if (f->merge_key && !strstr(f->patch_strategy ? f->patch_strategy : "", "retainKeys")) {
        json_object_set_new(s, "x-kubernetes-list-type", json_string("map"));
        json_object_set_new(s, "x-kubernetes-list-map-keys", json_pack("[s]", f->merge_key));
    }
}

json_t *ck_oa_schema(ck_oa *c, const ck_field *f)
{
    shared_def buf[8];
    const shared_def *sh = f->type == CK_OBJECT ? shared_by_fields(f->fields, buf) : NULL;
    if (sh) return ck_oa_ref(c, sh->name, f->description);
    json_t *s = NULL;
    switch (f->type) {
    case CK_STRING: s = json_pack("{s:s}", "type", "string"); break;
    case CK_INT: s = json_pack("{s:s,s:s}", "type", "integer", "format", "int64"); break;
    case CK_NUMBER: s = json_pack("{s:s,s:s}", "type", "number", "format", "double"); break;
    case CK_BOOL: s = json_pack("{s:s}", "type", "boolean"); break;
    case CK_TIME: return ck_oa_ref(c, META "Time", f->description);
    case CK_QUANTITY: return ck_oa_ref(c, "io.k8s.apimachinery.pkg.api.resource.Quantity", f->description);
    case CK_INT_OR_STRING:
        return ck_oa_ref(c, "io.k8s.apimachinery.pkg.util.intstr.IntOrString", f->description);
    case CK_OBJECT: return object_schema(c, f->fields, f->description);
    case CK_ARRAY:
        s = json_pack("{s:s}", "type", "array");
        json_object_set_new(s, "items", f->items ? ck_oa_schema(c, f->items) : json_object());
        add_patch_extensions(s, f);
        break;
    case CK_MAP:
        s = json_pack("{s:s}", "type", "object");
        json_object_set_new(s, "additionalProperties",
                            f->items ? ck_oa_schema(c, f->items) : json_object());
        break;
    case CK_ANY:
    default:
        s = json_pack("{s:b}", "x-kubernetes-preserve-unknown-fields", 1);
        break;
    }
    if (f->description) json_object_set_new(s, "description", json_string(f->description));
    if (f->dflt) {
        json_t *d = json_loads(f->dflt, JSON_DECODE_ANY, NULL);
        if (d) json_object_set_new(s, "default", d);
    }
    if (c->v3 && (f->flags & CK_F_NULLABLE)) json_object_set_new(s, "nullable", json_true());
    return s;
}

void ck_oa_kind_defs(ck_oa *c, const ck_kind *k)
{
    char name[256], list[256];
    ck_openapi_def_name(k->group, k->version, k->kind, name, sizeof name);
    if (!json_object_get(c->defs, name)) {
        json_object_set_new(c->defs, name, json_object()); /* recursion guard */
        json_t *d = k->root && k->root->type == CK_OBJECT
                        ? object_schema(c, k->root->fields, k->root->description)
                        : json_pack("{s:s,s:b}", "type", "object", "x-kubernetes-preserve-unknown-fields", 1);
        json_object_set_new(d, "x-kubernetes-group-version-kind", gvk_ext(k->group, k->version, k->kind));
        json_object_set_new(c->defs, name, d);
    }
    if (!k->list_kind) return;
    ck_openapi_def_name(k->group, k->version, k->list_kind, list, sizeof list);
    if (json_object_get(c->defs, list)) return;
    char desc[256];
    snprintf(desc, sizeof desc, "%s is a list of %s objects.", k->list_kind, k->kind);
    json_t *l = json_pack("{s:s,s:s,s:[s]}", "description", desc, "type", "object", "required", "items");
    json_object_set_new(l, "properties",
                        json_pack("{s:{s:s},s:{s:s,s:o},s:{s:s},s:o}", "apiVersion", "type", "string",
                                  "items", "type", "array", "items", ck_oa_ref(c, name, NULL), "kind",
                                  "type", "string", "metadata", ck_oa_ref(c, META "ListMeta", NULL)));
    json_object_set_new(l, "x-kubernetes-group-version-kind", gvk_ext(k->group, k->version, k->list_kind));
    json_object_set_new(c->defs, list, l);
}
