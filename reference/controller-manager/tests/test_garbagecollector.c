/* test_garbagecollector.c: the collector's decisions as upstream's
 * attemptToDeleteItem makes them (garbagecollector_test.go cases): solid,
 * dangling and waiting owners; deletion policies; list edits. */
#include <stdio.h>
#include <string.h>
#include "controller-manager/garbagecollector_logic.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *obj(const char *uid, const char *finalizers_json, bool deleting)
{
    char buf[512];
    snprintf(buf, sizeof buf,
             "{\"metadata\":{\"name\":\"o\",\"uid\":\"%s\",\"finalizers\":%s,\"ownerReferences\":["
             "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"a\",\"uid\":\"A\",\"blockOwnerDeletion\":true},"
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"b\",\"uid\":\"B\"}]%s}}",
             uid, finalizers_json, deleting ? ",\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"" : "");
    return json_loads(buf, 0, NULL);
}

static void test_classify(void)
{
    json_t *ref = json_pack("{s:s}", "uid", "A");
    json_t *same = json_pack("{s:{s:s}}", "metadata", "uid", "A"), *other = json_pack("{s:{s:s}}", "metadata", "uid", "Z");
    json_t *fg = json_loads("{\"metadata\":{\"uid\":\"A\",\"deletionTimestamp\":\"x\",\"finalizers\":[\"foregroundDeletion\"]}}", 0, NULL);
    json_t *bg = json_loads("{\"metadata\":{\"uid\":\"A\",\"deletionTimestamp\":\"x\"}}", 0, NULL);
    CU_ASSERT_EQUAL(ck_gc_classify(ref, same), CK_GC_OWNER_SOLID);
    CU_ASSERT_EQUAL(ck_gc_classify(ref, NULL), CK_GC_OWNER_DANGLING);
    CU_ASSERT_EQUAL(ck_gc_classify(ref, other), CK_GC_OWNER_DANGLING);  /* recreated under the same name */
    CU_ASSERT_EQUAL(ck_gc_classify(ref, fg), CK_GC_OWNER_WAITING);
    CU_ASSERT_EQUAL(ck_gc_classify(ref, bg), CK_GC_OWNER_SOLID);
    json_decref(ref), json_decref(same), json_decref(other), json_decref(fg), json_decref(bg);
}

static void test_decide(void)
{
    json_t *o = obj("u", "[]", false);
    ck_gc_owner_state solid2[] = {CK_GC_OWNER_SOLID, CK_GC_OWNER_SOLID};
    ck_gc_owner_state mixed[] = {CK_GC_OWNER_SOLID, CK_GC_OWNER_DANGLING};
    ck_gc_owner_state gone[] = {CK_GC_OWNER_DANGLING, CK_GC_OWNER_DANGLING};
    ck_gc_owner_state waiting[] = {CK_GC_OWNER_WAITING, CK_GC_OWNER_DANGLING};
    CU_ASSERT_EQUAL(ck_gc_decide(o, solid2, 2, false).action, CK_GC_NOTHING);
    CU_ASSERT_EQUAL(ck_gc_decide(o, mixed, 2, false).action, CK_GC_REMOVE_REFS);
    ck_gc_decision d = ck_gc_decide(o, gone, 2, false);
    CU_ASSERT_EQUAL(d.action, CK_GC_DELETE);
    CU_ASSERT_STRING_EQUAL(d.policy, "Background");
    d = ck_gc_decide(o, waiting, 2, false);
    CU_ASSERT_EQUAL(d.action, CK_GC_DELETE);
    CU_ASSERT_STRING_EQUAL(d.policy, "Background");
    d = ck_gc_decide(o, waiting, 2, true);  /* we have dependents: foreground */
    CU_ASSERT_STRING_EQUAL(d.policy, "Foreground");
    CU_ASSERT_EQUAL(ck_gc_decide(o, NULL, 0, false).action, CK_GC_NOTHING);
    json_decref(o);
    o = obj("u", "[\"orphan\"]", false);
    CU_ASSERT_STRING_EQUAL(ck_gc_decide(o, gone, 2, false).policy, "Orphan");
    json_decref(o);
    o = obj("u", "[]", true);  /* already being deleted */
    CU_ASSERT_EQUAL(ck_gc_decide(o, gone, 2, false).action, CK_GC_NOTHING);
    json_decref(o);
}

static void test_edits(void)
{
    json_t *o = obj("u", "[\"orphan\",\"x/y\",\"foregroundDeletion\"]", true);
    json_t *f = ck_gc_finalizers_without(o, CK_FINALIZER_ORPHAN);
    CU_ASSERT_EQUAL(json_array_size(f), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(f, 0)), "x/y");
    json_decref(f);
    CU_ASSERT_TRUE(ck_gc_has_finalizer(o, CK_FINALIZER_FOREGROUND));
    CU_ASSERT_FALSE(ck_gc_has_finalizer(o, "nope"));
    json_t *drop = json_pack("{s:b}", "A", 1);
    json_t *refs = ck_gc_refs_without(o, drop);
    CU_ASSERT_EQUAL_FATAL(json_array_size(refs), 1);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(refs, 0), "uid", ""), "B");
    json_decref(refs), json_decref(drop);
    CU_ASSERT_TRUE(ck_gc_blocks(o, "A"));
    CU_ASSERT_FALSE(ck_gc_blocks(o, "B"));
    char g[64];
    ck_gc_group_of("apps/v1", g, sizeof g);
    CU_ASSERT_STRING_EQUAL(g, "apps");
    ck_gc_group_of("v1", g, sizeof g);
    CU_ASSERT_STRING_EQUAL(g, "");
    json_decref(o);
}

int main(void)
{
    static const ck_test tests[] = {
        {"classify owner references", test_classify},
        {"attemptToDeleteItem decisions", test_decide},
        {"finalizer and ownerReference edits", test_edits},
        {NULL, NULL},
    };
    return ck_test_main("garbagecollector", tests, NULL, NULL);
}
