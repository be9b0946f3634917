/* t_list.c: list semantics: chunking with limit/continue/remainingItemCount
 * (test/e2e/apimachinery/chunking.go), listing across namespaces, label
 * selectors (=, !=, in, notin, !key) and field selectors (metadata.name,
 * metadata.namespace) per the labels and field-selectors concept pages. */
#include "objects.h"
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static char *esc(ckc_t *t, const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    if (!e) CKC_FAIL(t, "out of memory");
    char *copy = ckc_fmt(t, "%s", e);
    curl_free(e);
    return copy;
}

static void t_chunking(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    enum { TOTAL = 12, LIMIT = 5 };
    for (int i = 0; i < TOTAL; i++) ckc_create(t, "podtemplates", ns, ckc_fmt(t, "template-%04d", i), NULL);
    json_t *seen = ckc_ownj(t, json_object());
    const char *cont = NULL, *first_rv = NULL;
    int pages = 0;
    do {
        char *path = ckc_fmt(t, "%s?limit=%d%s%s", ckc_coll(t, "podtemplates", ns), LIMIT, cont ? "&continue=" : "",
                             cont ? esc(t, cont) : "");
        ckc_resp *r = ckc_get(t, path);
        CKC_CODE(t, r, 200);
        pages++;
        json_t *items = ckc_at(r->json, "items");
        size_t n = json_array_size(items), found = json_object_size(seen);
        CKC_CHECK(t, r, n <= LIMIT, "a page must hold at most limit=%d items, got %zu", LIMIT, n);
        size_t i; json_t *it;
        json_array_foreach(items, i, it) {
            const char *name = ckc_str(it, "metadata.name");
            CKC_CHECK(t, r, name && !json_object_get(seen, name), "item %s is missing a name or repeats an earlier page",
                      name ? name : "?");
            /* upstream chunking.go: items come in key (name) order across pages */
            const char *want = ckc_fmt(t, "template-%04zu", json_object_size(seen));
            CKC_CHECK(t, r, !strcmp(name, want), "item %zu must be %s (key order), got %s", json_object_size(seen), want, name);
            json_object_set_new(seen, name, json_true());
        }
        const char *rv = ckc_str(r->json, "metadata.resourceVersion");
        if (!first_rv) first_rv = rv;
        /* every page of one list is served from the first page's snapshot */
        CKC_CHECK(t, r, same(rv, first_rv), "every page must carry the first page's resourceVersion %s", first_rv);
        cont = ckc_str(r->json, "metadata.continue");
        if (cont && !*cont) cont = NULL;
        json_t *remaining = ckc_at(r->json, "metadata.remainingItemCount");
        if (!cont) {
            CKC_CHECK(t, r, remaining == NULL, "the last page must not carry remainingItemCount");
        } else {
            CKC_CHECK(t, r, json_is_integer(remaining) && json_integer_value(remaining) + (json_int_t)(n + found) == TOTAL,
                      "remainingItemCount + items so far must be %d", TOTAL);
        }
    } while (cont && pages < 2 * TOTAL);
    /* The server may return fewer than limit items per page (api-concepts),
     * so only the minimum number of pages is fixed. */
    CKC_CHECK(t, NULL, json_object_size(seen) == TOTAL && pages >= (TOTAL + LIMIT - 1) / LIMIT,
              "paging must return all %d items in at least %d pages; got %zu items in %d pages", TOTAL,
              (TOTAL + LIMIT - 1) / LIMIT, json_object_size(seen), pages);
    ckc_resp *all = ckc_get(t, ckc_fmt(t, "%s?limit=%d", ckc_coll(t, "podtemplates", ns), TOTAL + 1));
    CKC_CODE(t, all, 200);
    const char *c = ckc_str(all->json, "metadata.continue");
    CKC_CHECK(t, all, json_array_size(ckc_at(all->json, "items")) == TOTAL && (!c || !*c),
              "limit=%d must return all %d items and no continue token", TOTAL + 1, TOTAL);
}

static void t_all_namespaces(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "ckc-svc-");
    ckc_create(t, "services", ns, name, NULL);
    ckc_resp *r = ckc_get(t, "/api/v1/services");
    CKC_CODE(t, r, 200);
    size_t i; json_t *it;
    int found = 0;
    json_array_foreach(ckc_at(r->json, "items"), i, it)
        if (same(ckc_str(it, "metadata.name"), name) && same(ckc_str(it, "metadata.namespace"), ns)) found = 1;
    CKC_CHECK(t, r, found, "listing services in all namespaces must include %s/%s", ns, name);
}

/* Lists configmaps in ns with a query and compares the names to want (comma-separated, sorted). */
static void expect_names_alt(ckc_t *t, const char *path, const char *want, const char *alt);
static void expect_names(ckc_t *t, const char *path, const char *want)
{
    expect_names_alt(t, path, want, NULL);
}

/* Like expect_names, also accepting the sorted list alt when non-NULL. */
static void expect_names_alt(ckc_t *t, const char *path, const char *want, const char *alt)
{
    ckc_resp *r = ckc_get(t, path);
    CKC_CODE(t, r, 200);
    json_t *names = ckc_ownj(t, json_array());
    size_t i; json_t *it;
    json_array_foreach(ckc_at(r->json, "items"), i, it) json_array_append(names, ckc_at(it, "metadata.name"));
    /* sort by insertion into an object is not ordered: build the string by selection sort */
    char got[512] = "";
    size_t n = json_array_size(names);
    int used[64] = {0};
    for (size_t k = 0; k < n && k < 64; k++) {
        const char *best = NULL; size_t bi = 0;
        for (size_t j = 0; j < n && j < 64; j++) {
            const char *s = json_string_value(json_array_get(names, j));
            if (!used[j] && s && (!best || strcmp(s, best) < 0)) { best = s; bi = j; }
        }
        if (!best) break;
        used[bi] = 1;
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? "," : "", best);
    }
    CKC_CHECK(t, r, !strcmp(got, want) || (alt && !strcmp(got, alt)), "expected exactly [%s]%s%s%s, got [%s]", want,
              alt ? " or [" : "", alt ? alt : "", alt ? "]" : "", got);
}

static void make_labelled(ckc_t *t, const char *ns)
{
    static const char *const rows[][2] = {{"sel-a", "a"}, {"sel-b", "b"}, {"sel-none", NULL}};
    for (int i = 0; i < 3; i++) {
        json_t *o = ckc_manifest(t, "configmaps", ns, rows[i][0]);
        json_t *labels = json_pack("{s:s}", "ckc-t", "sel");
        if (rows[i][1]) json_object_set_new(labels, "tier", json_string(rows[i][1]));
        json_object_set_new(json_object_get(o, "metadata"), "labels", labels);
        ckc_create(t, "configmaps", ns, rows[i][0], o);
    }
}

static void t_label_selector(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    make_labelled(t, ns);
    /* Every selector includes ckc-t=sel so controller-made configmaps
     * (kube-root-ca.crt) never count. */
    static const char *const cases[][2] = {
        {"ckc-t=sel,tier=a", "sel-a"},
        {"ckc-t=sel,tier==a", "sel-a"},
        {"ckc-t=sel,tier!=a", "sel-b,sel-none"},      /* != also matches objects without the key */
        {"ckc-t=sel,tier in (a,b)", "sel-a,sel-b"},
        {"ckc-t=sel,tier notin (a)", "sel-b,sel-none"},
        {"ckc-t=sel,tier", "sel-a,sel-b"},
        {"ckc-t=sel,!tier", "sel-none"},
        {"ckc-t=sel,tier=zzz", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_names(t, ckc_fmt(t, "%s?labelSelector=%s", ckc_coll(t, "configmaps", ns), esc(t, cases[i][0])),
                     cases[i][1]);
}

static void t_field_selector(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    make_labelled(t, ns);
    const char *coll = ckc_coll(t, "configmaps", ns);
    expect_names(t, ckc_fmt(t, "%s?fieldSelector=%s", coll, esc(t, "metadata.name=sel-b")), "sel-b");
    expect_names(t, ckc_fmt(t, "%s?labelSelector=ckc-t%%3Dsel&fieldSelector=%s", coll, esc(t, "metadata.name!=sel-b")),
                 "sel-a,sel-none");
    /* across namespaces, metadata.namespace narrows to ours */
    expect_names(t, ckc_fmt(t, "/api/v1/configmaps?labelSelector=ckc-t%%3Dsel&fieldSelector=%s",
                            esc(t, ckc_fmt(t, "metadata.namespace=%s", ns))), "sel-a,sel-b,sel-none");
    expect_names(t, ckc_fmt(t, "%s?fieldSelector=%s", coll, esc(t, "metadata.name=sel-a,metadata.name=sel-b")), "");
}


/* resourceVersion semantics for list (api-concepts "Semantics for get and
 * list"): Exact returns the collection as of that version; a
 * resourceVersionMatch without resourceVersion is rejected by ListOptions
 * validation (NewInvalid, kind ListOptions: 422). */
static void t_resource_version(ckc_t *t)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, "configmaps", ns);
    make_labelled(t, ns);
    ckc_resp *r = ckc_get(t, ckc_fmt(t, "%s?labelSelector=ckc-t%%3Dsel", coll));
    CKC_CODE(t, r, 200);
    const char *rv1 = ckc_str(r->json, "metadata.resourceVersion");
    CKC_CHECK(t, r, rv1 && *rv1, "a list must carry metadata.resourceVersion");
    json_t *later = ckc_manifest(t, "configmaps", ns, "sel-later");
    json_object_set_new(json_object_get(later, "metadata"), "labels", json_pack("{s:s}", "ckc-t", "sel"));
    ckc_create(t, "configmaps", ns, "sel-later", later);
    const char *exact = ckc_fmt(t, "%s?labelSelector=ckc-t%%3Dsel&resourceVersion=%s&resourceVersionMatch=Exact", coll, rv1);
    r = ckc_get(t, exact);
    /* "If the provided resourceVersion is unavailable, the server responds with 410 Gone" */
    if (r->code == 410) ckc_skip(t, "resourceVersion %s is no longer available for an Exact list (410)", rv1);
    expect_names(t, exact, "sel-a,sel-b,sel-none");
    /* NotOlderThan may serve any state from rv1 on; 0 ("any") may be stale:
     * neither is required to include the later object. */
    expect_names_alt(t, ckc_fmt(t, "%s?labelSelector=ckc-t%%3Dsel&resourceVersion=%s&resourceVersionMatch=NotOlderThan",
                                coll, rv1), "sel-a,sel-b,sel-later,sel-none", "sel-a,sel-b,sel-none");
    CKC_CODE(t, ckc_get(t, ckc_fmt(t, "%s?labelSelector=ckc-t%%3Dsel&resourceVersion=0", coll)), 200);
    /* without resourceVersionMatch, a list is the most recent state */
    expect_names(t, ckc_fmt(t, "%s?labelSelector=ckc-t%%3Dsel", coll), "sel-a,sel-b,sel-later,sel-none");
    r = ckc_get(t, ckc_fmt(t, "%s?resourceVersionMatch=Exact", coll));
    CKC_STATUS(t, r, 422, "Invalid");
}

/* Alternate representations (api-concepts "Receiving resources as Tables"
 * and metadata-only responses): negotiated through the Accept header. */
static void t_table(ckc_t *t)
{
    const char *ns = ckc_ns(t), *coll = ckc_coll(t, "configmaps", ns);
    make_labelled(t, ns);
    ckc_reqspec rq = {.method = "GET", .path = ckc_fmt(t, "%s?labelSelector=ckc-t%%3Dsel", coll),
                      .accept = "application/json;as=Table;v=v1;g=meta.k8s.io"};
    ckc_resp *r = ckc_request(t, &rq);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "kind"), "Table") && same(ckc_str(r->json, "apiVersion"), "meta.k8s.io/v1"),
              "Accept as=Table must give a meta.k8s.io/v1 Table");
    CKC_CHECK(t, r, same(ckc_str(r->json, "columnDefinitions.0.name"), "Name"), "the first column must be Name");
    json_t *rows = ckc_at(r->json, "rows");
    CKC_CHECK(t, r, json_array_size(rows) == 3, "the table must have one row per configmap (3)");
    size_t i; json_t *row;
    json_array_foreach(rows, i, row)
        CKC_CHECK(t, r, json_array_size(ckc_at(row, "cells")) == json_array_size(ckc_at(r->json, "columnDefinitions")) &&
                            same(ckc_str(row, "cells.0"), ckc_str(row, "object.metadata.name")),
                  "row %zu: one cell per column, the first being the name (object defaults to PartialObjectMetadata)", i);
    rq.accept = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io";
    r = ckc_request(t, &rq);
    CKC_CODE(t, r, 200);
    CKC_CHECK(t, r, same(ckc_str(r->json, "kind"), "PartialObjectMetadataList") &&
                        same(ckc_str(r->json, "apiVersion"), "meta.k8s.io/v1"),
              "Accept as=PartialObjectMetadataList must give a meta.k8s.io/v1 PartialObjectMetadataList");
    CKC_CHECK(t, r, json_array_size(ckc_at(r->json, "items")) == 3 && ckc_str(r->json, "items.0.metadata.name") &&
                        !ckc_at(r->json, "items.0.data"),
              "items must carry metadata only");
}

const ckc_test ckc_tests_list[] = {
    {"api.list.chunking", "limit/continue pages a list from one snapshot with remainingItemCount", CKC_PROFILE_API,
     "[sig-api-machinery] Servers with support for API chunking should return chunks of results for list calls [Conformance]",
     NULL, "v1/podtemplates", t_chunking},
    {"api.list.all-namespaces", "a list across all namespaces finds an object in ours", CKC_PROFILE_API,
     "[sig-network] Services should find a service from listing all namespaces [Conformance]", NULL, "v1/services",
     t_all_namespaces},
    {"api.list.label-selector", "label selectors: =, ==, !=, in, notin, exists, !exists", CKC_PROFILE_API, NULL,
     "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", "v1/configmaps",
     t_label_selector},
    {"api.list.field-selector", "field selectors: metadata.name =, != and metadata.namespace across namespaces",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/",
     "v1/configmaps", t_field_selector},
    {"api.list.resource-version", "list resourceVersion: Exact gives the old collection, no resourceVersion the newest",
     CKC_PROFILE_API, NULL, "https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list",
     "v1/configmaps", t_resource_version},
    {"api.list.table", "Accept as=Table and as=PartialObjectMetadataList give those representations", CKC_PROFILE_API,
     NULL, "https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables", "v1/configmaps",
     t_table},
    {0},
};
