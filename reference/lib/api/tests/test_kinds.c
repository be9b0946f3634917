/* test_kinds.c: the kind table is consistent row by row, lookups find what
 * upstream discovery serves, and every schema describes a whole object. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "api/kinds.h"
#include "util/cktest.h"

static bool has(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (!strcmp(*list, s)) return true;
    return false;
}

static void test_rows(void)
{
    CU_ASSERT_TRUE(ck_kinds_count >= 16);
    for (size_t i = 0; i < ck_kinds_count; i++) {
        const ck_kind *k = &ck_kinds[i];
        char list[128];
        snprintf(list, sizeof list, "%sList", k->kind);
        CU_ASSERT_PTR_NOT_NULL_FATAL(k->group);
        CU_ASSERT_STRING_EQUAL(k->version, "v1");
        CU_ASSERT_STRING_EQUAL(k->list_kind, list);
        CU_ASSERT_TRUE(isupper((unsigned char)k->kind[0]));
        for (const char *p = k->resource; *p; p++) CU_ASSERT_TRUE(islower((unsigned char)*p));
        CU_ASSERT_PTR_NOT_NULL(k->singular);
        CU_ASSERT_PTR_NOT_NULL_FATAL(k->verbs);
        CU_ASSERT_TRUE(has(k->verbs, "create"));
        CU_ASSERT_PTR_NOT_NULL(k->storage);
        /* a whole object: apiVersion, kind, metadata */
        CU_ASSERT_PTR_NOT_NULL_FATAL(k->root);
        CU_ASSERT_EQUAL(k->root->type, CK_OBJECT);
        CU_ASSERT_PTR_NOT_NULL(ck_schema_lookup(k->root, "apiVersion"));
        CU_ASSERT_PTR_NOT_NULL(ck_schema_lookup(k->root, "kind"));
        CU_ASSERT_PTR_NOT_NULL(ck_schema_lookup(k->root, "metadata"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(k->columns);
        CU_ASSERT_PTR_NOT_NULL(k->columns[0].name);
        CU_ASSERT_PTR_NOT_NULL(k->validate);
        CU_ASSERT_PTR_NOT_NULL(k->defaults);
        /* no two rows serve the same group/resource */
        for (size_t j = i + 1; j < ck_kinds_count; j++)
            CU_ASSERT_FALSE(!strcmp(k->group, ck_kinds[j].group) &&
                            !strcmp(k->resource, ck_kinds[j].resource));
        /* every column is either a path or a computed cell */
        for (const ck_column *c = k->columns; c->name; c++)
            CU_ASSERT_TRUE((c->json_path != NULL) != (c->cell != NULL));
    }
}

static void test_lookups(void)
{
    const ck_kind *pods = ck_kind_by_resource("", "v1", "pods");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pods);
    CU_ASSERT_STRING_EQUAL(pods->kind, "Pod");
    CU_ASSERT_TRUE(has(pods->short_names, "po"));
    CU_ASSERT_TRUE(has(pods->categories, "all"));
    CU_ASSERT_TRUE(has(pods->field_selectors, "spec.nodeName"));
    CU_ASSERT_TRUE(pods->subresources & CK_SUB_BINDING);
    CU_ASSERT_PTR_NULL(ck_kind_by_resource("apps", "v1", "pods"));
    CU_ASSERT_PTR_NULL(ck_kind_by_resource("", "v2", "pods"));
    CU_ASSERT_PTR_EQUAL(ck_kind_by_resource("", NULL, "pods"), pods);
    const ck_kind *d = ck_kind_by_kind("apps", "Deployment");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_STRING_EQUAL(d->resource, "deployments");
    CU_ASSERT_STRING_EQUAL(d->generation_field, "spec");
    char av[64];
    CU_ASSERT_STRING_EQUAL(ck_kind_api_version(d, av, sizeof av), "apps/v1");
    CU_ASSERT_STRING_EQUAL(ck_kind_api_version(pods, av, sizeof av), "v1");
    /* two Events, one storage */
    const ck_kind *e1 = ck_kind_by_kind("", "Event"), *e2 = ck_kind_by_kind("events.k8s.io", "Event");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e2);
    CU_ASSERT_PTR_NOT_EQUAL(e1, e2);
    CU_ASSERT_STRING_EQUAL(e1->storage, e2->storage);
    const ck_kind *b = ck_kind_by_resource("", "v1", "bindings");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(b->verbs[0], "create");
    CU_ASSERT_PTR_NULL(b->verbs[1]);
    const ck_kind *ns = ck_kind_by_resource("", "v1", "namespaces");
    CU_ASSERT_FALSE(ns->namespaced);
    CU_ASSERT_FALSE(has(ns->verbs, "deletecollection"));
    CU_ASSERT_TRUE(ns->subresources & CK_SUB_FINALIZE);
    CU_ASSERT_PTR_NOT_NULL(ck_kind_by_resource("coordination.k8s.io", "v1", "leases"));
    CU_ASSERT_PTR_NULL(ck_kind_by_kind("", "Deployment"));
    CU_ASSERT_PTR_NULL(ck_kind_by_resource("", "v1", NULL));
}

static void test_schema_lookup(void)
{
    const ck_kind *ep = ck_kind_by_resource("", "v1", "endpoints");
    const ck_field *proto = ck_schema_lookup(ep->root, "subsets.ports.protocol");
    CU_ASSERT_PTR_NOT_NULL_FATAL(proto);
    CU_ASSERT_EQUAL(proto->type, CK_STRING);
    CU_ASSERT_STRING_EQUAL(proto->dflt, "\"TCP\"");
    const ck_field *subsets = ck_schema_lookup(ep->root, "subsets");
    CU_ASSERT_EQUAL(subsets->type, CK_ARRAY);
    const ck_field *lbl = ck_schema_lookup(ep->root, "metadata.labels.app");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lbl);
    CU_ASSERT_EQUAL(lbl->type, CK_STRING);
    const ck_field *refs = ck_schema_lookup(ep->root, "metadata.ownerReferences");
    CU_ASSERT_STRING_EQUAL(refs->merge_key, "uid");
    CU_ASSERT_STRING_EQUAL(ck_schema_lookup(ep->root, "metadata.finalizers")->patch_strategy, "merge");
    CU_ASSERT_PTR_NULL(ck_schema_lookup(ep->root, "subsets.nope"));
    CU_ASSERT_PTR_NULL(ck_schema_lookup(ep->root, "metadata.name.deeper"));
    CU_ASSERT_PTR_EQUAL(ck_schema_lookup(ep->root, ""), ep->root);
}

int main(void)
{
    static const ck_test tests[] = {
        {"every row consistent", test_rows},
        {"lookups", test_lookups},
        {"schema lookup", test_schema_lookup},
        {NULL, NULL},
    };
    return ck_test_main("kinds", tests, NULL, NULL);
}
