/* table.c: meta.k8s.io/v1 Table output for kubectl get, from the kind
 * table's printer columns (k8s.io/apiserver/pkg/registry/rest/table.go,
 * pkg/printers/internalversion, apiextensions' tableconvertor for date
 * columns). */
#include "apiserver/table.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "apiserver/discovery.h"
/* fields.h's first comment mentions "schemas/<star>.c"; tolerate it as common.h does. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/schemas/fields.h"
#pragma GCC diagnostic pop
#include "util/ckjson.h"
#include "util/timeutil.h"

/* Descriptions of DefaultTableConvertor's columns (swaggerMetadataDescriptions). */
static const ck_column default_columns[] = {
    {"Name", "string", "name",
     "Name must be unique within a namespace. Is required when creating resources, although some "
     "resources may allow a client to request the generation of an appropriate name "
     "automatically. Name is primarily intended for creation idempotence and configuration "
     "definition. Cannot be updated. More info: "
     "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
     0, "metadata.name", NULL},
    {"Created At", "date", "",
     "CreationTimestamp is a timestamp representing the server time when this object was "
     "created. It is not guaranteed to be set in happens-before order across separate "
     "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
     "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
     "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
     0, "metadata.creationTimestamp", NULL},
    {NULL, NULL, NULL, NULL, 0, NULL, NULL},
};

static json_t *since(const char *ts)
{
    time_t t = ts ? ck_time_parse(ts) : -1;
    if (t < 0) return json_string("<unknown>");
    char buf[32];
    return json_string(ck_human_duration((long long)(time(NULL) - t), buf, sizeof buf));
}

bool ck_accept_table(const char *accept)
{
    ck_media m[16];
    size_t n = ck_accept_parse(accept, m, 16);
    for (size_t i = 0; i < n; i++) {
        if (!ck_media_is_json(&m[i])) continue;
        if (!m[i].as[0]) return false; /* plain JSON preferred */
        if (!strcmp(m[i].as, "Table") && !strcmp(m[i].g, "meta.k8s.io") &&
            (!strcmp(m[i].v, "v1") || !strcmp(m[i].v, "v1beta1")))
            return true;
    }
    return false;
}

static json_t *column_definition(const ck_column *c)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:i}", "name", c->name, "type", c->type ? c->type : "string",
                     "format", c->format ? c->format : "", "description",
                     c->description ? c->description : "", "priority", c->priority);
}

static json_t *cell(const ck_column *c, const json_t *obj, bool defaults)
{
    if (c->cell) return c->cell(obj);
    const char *path = c->json_path ? c->json_path : "metadata.creationTimestamp";
    json_t *v = ck_json_path(obj, path);
    if (defaults) return v ? json_incref(v) : json_string("");
    /* Age columns and date columns render as HumanDuration (printers'
     * translateTimestampSince, apiextensions' ConvertToHumanReadableDateType). */
    if (!strcasecmp(c->name, "age") || (c->type && !strcmp(c->type, "date")))
        return since(json_string_value(v));
    return v ? json_incref(v) : json_null();
}

static json_t *row_object(const json_t *obj, int mode)
{
    if (mode == 1) return json_deep_copy(obj);
    json_t *meta = ck_json_path(obj, "metadata");
    return json_pack("{s:s,s:s,s:O}", "kind", "PartialObjectMetadata", "apiVersion",
                     "meta.k8s.io/v1", "metadata", meta ? meta : json_object());
}

static json_t *row(const ck_column *cols, const json_t *obj, int mode, bool defaults)
{
    json_t *cells = json_array();
    for (const ck_column *c = cols; c->name; c++) {
        json_t *v = cell(c, obj, defaults);
        json_array_append_new(cells, v ? v : json_null());
    }
    json_t *r = json_pack("{s:o}", "cells", cells);
    if (mode != 2) json_object_set_new(r, "object", row_object(obj, mode));
    return r;
}

json_t *ck_table_convert(const ck_kind *k, const json_t *obj_or_list, const char *include_object,
                         bool no_headers)
{
    int mode; /* 0 Metadata, 1 Object, 2 None */
    if (!include_object || !*include_object || !strcmp(include_object, "Metadata")) mode = 0;
    else if (!strcmp(include_object, "Object")) mode = 1;
    else if (!strcmp(include_object, "None")) mode = 2;
    else return NULL;
    bool defaults = !k || !k->columns;
    const ck_column *cols = defaults ? default_columns : k->columns;

    json_t *table = json_pack("{s:s,s:s,s:{}}", "kind", "Table", "apiVersion", "meta.k8s.io/v1",
                              "metadata");
    json_t *meta = json_object_get(table, "metadata");
    json_t *items = json_object_get(obj_or_list, "items");
    bool is_list = json_is_array(items) || (json_is_null(items) && !ck_json_path(obj_or_list, "metadata.name"));
    static const char *const list_meta[] = {"resourceVersion", "continue", "remainingItemCount", NULL};
    for (const char *const *f = list_meta; *f && (is_list || f == list_meta); f++) {
        json_t *v = json_object_get(json_object_get(obj_or_list, "metadata"), *f);
        if (v) json_object_set(meta, *f, v);
    }
    json_t *defs = json_array();
    if (no_headers) {
        json_decref(defs);
        defs = json_null(); /* upstream sets ColumnDefinitions = nil */
    } else {
        for (const ck_column *c = cols; c->name; c++) json_array_append_new(defs, column_definition(c));
    }
    json_object_set_new(table, "columnDefinitions", defs);
    json_t *rows = json_array();
    if (is_list) {
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) json_array_append_new(rows, row(cols, it, mode, defaults));
    } else {
        json_array_append_new(rows, row(cols, obj_or_list, mode, defaults));
    }
    json_object_set_new(table, "rows", rows);
    return table;
}
