/* test_deployment.c: Deployment arithmetic from upstream's behaviour and
 * tests (pkg/controller/deployment/util/deployment_util_test.go,
 * rolling_test.go, sync_test.go): intstr rounding, fenceposts, hash
 * encoding, new-RS sizing, rolling steps, proportional scaling, history
 * cleanup, status and conditions. Writes go to a fake ops table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/deployment_rollout.h"
#include "controller-manager/deployment_util.h"
#include "controller-manager/workload.h"
#include "api/selector.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static json_t *deploy(long replicas, const char *surge, const char *unavail)
{
    json_t *d = json_pack("{s:{s:s,s:s,s:s,s:i},s:{s:i,s:{s:{s:s}},s:{s:{s:{s:s}},s:{}},s:{s:s,s:{}}}}", "metadata",
                          "name", "d", "namespace", "ns", "uid", "duid", "generation", 1, "spec", "replicas",
                          (int)replicas, "selector", "matchLabels", "app", "x", "template", "metadata", "labels",
                          "app", "x", "spec", "strategy", "type", "RollingUpdate", "rollingUpdate");
    json_t *ru = ck_json_path(d, "spec.strategy.rollingUpdate");
    /* a leading '#' marks an integer */
    if (surge) json_object_set_new(ru, "maxSurge", surge[0] == '#' ? json_integer(atoi(surge + 1)) : json_string(surge));
    if (unavail)
        json_object_set_new(ru, "maxUnavailable",
                            unavail[0] == '#' ? json_integer(atoi(unavail + 1)) : json_string(unavail));
    return d;
}

static json_t *rs(const char *name, long spec, long available, const char *created, const char *rev)
{
    return json_pack("{s:{s:s,s:s,s:s,s:{s:s}},s:{s:i},s:{s:i,s:i,s:i}}", "metadata", "name", name, "uid", name,
                     "creationTimestamp", created, "annotations", "deployment.kubernetes.io/revision", rev, "spec",
                     "replicas", (int)spec, "status", "replicas", (int)spec, "availableReplicas", (int)available,
                     "readyReplicas", (int)available);
}

static void test_intstr(void)
{
    long v;
    json_t *p = json_string("25%"), *i = json_integer(3), *bad = json_string("25");
    CU_ASSERT_EQUAL(ck_intstr_scaled(p, 10, true, &v), 0);
    CU_ASSERT_EQUAL(v, 3);  /* 2.5 rounded up */
    CU_ASSERT_EQUAL(ck_intstr_scaled(p, 10, false, &v), 0);
    CU_ASSERT_EQUAL(v, 2);
    CU_ASSERT_EQUAL(ck_intstr_scaled(i, 10, true, &v), 0);
    CU_ASSERT_EQUAL(v, 3);
    CU_ASSERT_EQUAL(ck_intstr_scaled(bad, 10, true, &v), -1);
    json_decref(p), json_decref(i), json_decref(bad);
    /* ResolveFenceposts: both zero -> unavailable 1; defaults 25%/25% */
    long s, u;
    json_t *d = deploy(10, "#0", "0%");
    ck_deploy_fenceposts(d, &s, &u);
    CU_ASSERT_EQUAL(s, 0);
    CU_ASSERT_EQUAL(u, 1);
    json_decref(d);
    d = deploy(10, NULL, NULL);
    CU_ASSERT_EQUAL(ck_deploy_max_surge(d), 3);
    CU_ASSERT_EQUAL(ck_deploy_max_unavailable(d), 2);
    json_decref(d);
    d = deploy(2, "#0", "#5");  /* capped at replicas */
    CU_ASSERT_EQUAL(ck_deploy_max_unavailable(d), 2);
    ck_json_set(d, "spec.strategy.type", json_string("Recreate"));
    CU_ASSERT_EQUAL(ck_deploy_max_unavailable(d), 0);
    CU_ASSERT_EQUAL(ck_deploy_max_surge(d), 0);
    json_decref(d);
}

static void test_hash(void)
{
    char out[16];
    ck_safe_encode_string("0123456789", out);
    /* byte % 27 into "bcdfghjklmnpqrstvwxz2456789": '0'=48 -> 21 -> '4' */
    CU_ASSERT_STRING_EQUAL(out, "456789bcdf");
    CU_ASSERT_EQUAL(ck_fnv32a("", 0, 2166136261u), 2166136261u);
    CU_ASSERT_EQUAL(ck_fnv32a("a", 1, 2166136261u), 0xe40c292cu);  /* FNV-1a test vector */
    json_t *d = deploy(1, NULL, NULL);
    char h1[16], h2[16], h3[16];
    ck_deploy_compute_hash(ck_json_path(d, "spec.template"), -1, h1);
    ck_deploy_compute_hash(ck_json_path(d, "spec.template"), 1, h2);
    ck_json_set(d, "spec.template.metadata.labels.v", json_string("2"));
    ck_deploy_compute_hash(ck_json_path(d, "spec.template"), -1, h3);
    CU_ASSERT_STRING_NOT_EQUAL(h1, h2);
    CU_ASSERT_STRING_NOT_EQUAL(h1, h3);
    CU_ASSERT_EQUAL(strspn(h1, "bcdfghjklmnpqrstvwxz2456789"), strlen(h1));
    json_t *nrs = ck_deploy_new_rs(d, 3);
    char name[32];
    snprintf(name, sizeof name, "d-%s", h3);
    CU_ASSERT_STRING_EQUAL(ck_json_str(nrs, "metadata.name", ""), name);
    CU_ASSERT_STRING_EQUAL(ck_json_str(nrs, "spec.selector.matchLabels.pod-template-hash", ""), h3);
    CU_ASSERT_STRING_EQUAL(ck_json_str(nrs, "spec.template.metadata.labels.pod-template-hash", ""), h3);
    CU_ASSERT_EQUAL(ck_rs_revision(nrs), 3);
    CU_ASSERT_TRUE(ck_deploy_equal_ignore_hash(ck_json_path(nrs, "spec.template"), ck_json_path(d, "spec.template")));
    json_t *a = ck_json_path(nrs, "metadata.annotations");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, CK_ANN_DESIRED_REPLICAS)), "1");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, CK_ANN_MAX_REPLICAS)), "2");
    /* a later revision moves the old one into revision-history */
    CU_ASSERT_TRUE(ck_deploy_set_new_rs_annotations(d, nrs, 5, true));
    CU_ASSERT_EQUAL(ck_rs_revision(nrs), 5);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, CK_ANN_REVISION_HISTORY)), "3");
    CU_ASSERT_FALSE(ck_deploy_set_new_rs_annotations(d, nrs, 5, true));
    json_decref(nrs);
    json_decref(d);
}

static void test_new_rs_replicas(void)
{
    /* 10 replicas, surge 3: old 10 + new 0 -> new may go to 3 */
    json_t *d = deploy(10, NULL, NULL);
    json_t *old = rs("old", 10, 10, "2026-01-01T00:00:00Z", "1"), *nw = rs("new", 0, 0, "2026-01-02T00:00:00Z", "2");
    json_t *all = json_pack("[O,O]", old, nw);
    CU_ASSERT_EQUAL(ck_deploy_new_rs_new_replicas(d, all, nw), 3);
    ck_json_set(old, "spec.replicas", json_integer(13));  /* already at max: stays */
    CU_ASSERT_EQUAL(ck_deploy_new_rs_new_replicas(d, all, nw), 0);
    ck_json_set(d, "spec.strategy.type", json_string("Recreate"));
    CU_ASSERT_EQUAL(ck_deploy_new_rs_new_replicas(d, all, nw), 10);
    json_decref(all), json_decref(old), json_decref(nw), json_decref(d);
}

/* Fake apiserver for ReplicaSet writes. */
static int writes, events;
static char last_event[128];
static int fake_update(void *ud, json_t *r) { (void)ud, (void)r; writes++; return 0; }
static void fake_scaled(void *ud, const json_t *r, const char *op, long from, long to)
{
    (void)ud;
    events++;
    snprintf(last_event, sizeof last_event, "Scaled %s replica set %s to %ld from %ld", op,
             ck_json_str(r, "metadata.name", ""), to, from);
}
static const ck_deploy_ops OPS = {fake_update, fake_scaled, NULL};

static void test_rolling_steps(void)
{
    /* rolling_test.go TestReconcileOldReplicaSets-like: 10 replicas, surge 2, unavailable 2 */
    json_t *d = deploy(10, "#2", "#2");
    json_t *old = rs("old", 10, 10, "2026-01-01T00:00:00Z", "1"), *nw = rs("new", 0, 0, "2026-01-02T00:00:00Z", "2");
    json_t *all = json_pack("[O,O]", old, nw), *olds = json_pack("[O]", old);
    writes = events = 0;
    CU_ASSERT_EQUAL(ck_deploy_reconcile_new_rs(&OPS, d, all, nw), 1);
    CU_ASSERT_EQUAL(ck_json_int(nw, "spec.replicas", -1), 2);  /* surge 2 */
    CU_ASSERT_STRING_EQUAL(last_event, "Scaled up replica set new to 2 from 0");
    /* new pods unavailable: 12 - 8 - 2 = 2 may go from old, limited by availability (10 - 8 = 2) */
    CU_ASSERT_EQUAL(ck_deploy_reconcile_old_rss(&OPS, d, all, olds, nw), 1);
    CU_ASSERT_EQUAL(ck_json_int(old, "spec.replicas", -1), 8);
    CU_ASSERT_STRING_EQUAL(last_event, "Scaled down replica set old to 8 from 10");
    /* availability unchanged (status not refreshed): nothing more to scale down */
    ck_json_set(old, "status.availableReplicas", json_integer(8));
    CU_ASSERT_EQUAL(ck_deploy_reconcile_old_rss(&OPS, d, all, olds, nw), 0);
    /* unhealthy old pods are cleaned up first */
    ck_json_set(old, "status.availableReplicas", json_integer(5));
    ck_json_set(nw, "status.availableReplicas", json_integer(2));
    CU_ASSERT_EQUAL(ck_deploy_reconcile_old_rss(&OPS, d, all, olds, nw), 1);
    CU_ASSERT_EQUAL(ck_json_int(old, "spec.replicas", -1), 6);  /* maxScaledDown = 10 - 8 - 0 = 2 */
    CU_ASSERT_EQUAL(ck_deploy_reconcile_new_rs(&OPS, d, all, nw), 1);
    CU_ASSERT_EQUAL(ck_json_int(nw, "spec.replicas", -1), 6);  /* total 12: 6 + 6 */
    json_decref(all), json_decref(olds), json_decref(old), json_decref(nw), json_decref(d);
}

static void test_proportional(void)
{
    /* sync_test.go "proportional scaling: 5 -> 10": old 2 (max 6), new 3 (max 6); surge 1 */
    json_t *d = deploy(10, "#1", "#0");
    json_t *old = rs("old", 2, 2, "2026-01-01T00:00:00Z", "1"), *nw = rs("new", 3, 3, "2026-01-02T00:00:00Z", "2");
    json_t *olds = json_pack("[O]", old);
    ck_rs_set_replicas_annotations(old, 5, 6);
    ck_rs_set_replicas_annotations(nw, 5, 6);
    ck_json_set(d, "status.replicas", json_integer(5));
    CU_ASSERT_EQUAL(ck_deploy_scale(&OPS, d, nw, olds), 0);
    /* allowed 11, to add 6: new 3*11/6 - 3 = 3 (5.5 rounds to 6), old 2*11/6 - 2 = 2 (3.67 -> 4): 6 + 4 + leftover 1 -> new 7 */
    CU_ASSERT_EQUAL(ck_json_int(nw, "spec.replicas", -1) + ck_json_int(old, "spec.replicas", -1), 11);
    CU_ASSERT_EQUAL(ck_json_int(old, "spec.replicas", -1), 4);
    CU_ASSERT_EQUAL(ck_json_int(nw, "spec.replicas", -1), 7);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ck_json_path(nw, "metadata.annotations"),
                                                             CK_ANN_DESIRED_REPLICAS)), "10");
    /* one active RS: it simply takes the deployment size */
    ck_json_set(old, "spec.replicas", json_integer(0));
    CU_ASSERT_EQUAL(ck_deploy_scale(&OPS, d, nw, olds), 0);
    CU_ASSERT_EQUAL(ck_json_int(nw, "spec.replicas", -1), 10);
    json_decref(olds), json_decref(old), json_decref(nw), json_decref(d);
}

static void test_cleanup_and_order(void)
{
    json_t *d = deploy(1, NULL, NULL);
    ck_json_set(d, "spec.revisionHistoryLimit", json_integer(1));
    json_t *a = rs("a", 0, 0, "2026-01-01T00:00:00Z", "1"), *b = rs("b", 0, 0, "2026-01-02T00:00:00Z", "3"),
           *c = rs("c", 0, 0, "2026-01-03T00:00:00Z", "2"), *live = rs("l", 1, 1, "2026-01-04T00:00:00Z", "0");
    json_t *olds = json_pack("[O,O,O,O]", b, live, c, a);
    json_t *v = ck_deploy_cleanup_victims(d, olds);
    /* 4 alive - limit 1 = 3 oldest revisions: l(0) skipped (has replicas), a(1), c(2) */
    CU_ASSERT_EQUAL_FATAL(json_array_size(v), 2);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(v, 0), "metadata.name", ""), "a");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(v, 1), "metadata.name", ""), "c");
    json_decref(v);
    ck_rss_sort_by_creation(olds);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(olds, 0), "metadata.name", ""), "a");
    ck_json_set(c, "spec.replicas", json_integer(5));
    ck_rss_sort_by_size(olds, true);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(olds, 0), "metadata.name", ""), "c");
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(olds, 2), "metadata.name", ""), "b"); /* newer of the 0s */
    CU_ASSERT_EQUAL(ck_rss_max_revision(olds), 3);
    json_decref(olds), json_decref(a), json_decref(b), json_decref(c), json_decref(live), json_decref(d);
}

/* testRollingUpdateDeployment (test/e2e/apps/deployment.go): an orphan RS
 * labelled like the deployment's selector, revision 3546343826724305832, is
 * adopted (ClaimReplicaSets matches the RS's own labels), stays old since
 * its template differs, and the new revision is max(old revisions) + 1. */
static void test_adopt_and_revision(void)
{
    json_t *d = deploy(1, NULL, NULL);
    char err[128];
    ck_label_selector *sel = ck_label_selector_from_json(ck_json_path(d, "spec.selector"), err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sel);
    json_t *old = rs("old", 1, 1, "2026-01-01T00:00:00Z", "3546343826724305832");
    ck_json_set(old, "spec.template", json_pack("{s:{s:{s:s}},s:{s:[{s:s}]}}", "metadata", "labels", "app", "x",
                                                 "spec", "containers", "name", "old"));
    /* no labels on the RS itself: upstream matches rs.Labels, not the template's */
    CU_ASSERT_EQUAL(ck_wl_claim_decide(d, sel, old), CK_CLAIM_IGNORE);
    ck_json_set(old, "metadata.labels", json_pack("{s:s}", "app", "x"));
    CU_ASSERT_EQUAL(ck_wl_claim_decide(d, sel, old), CK_CLAIM_ADOPT);
    /* someone else's controller ref, or an RS being deleted: left alone */
    ck_json_set(old, "metadata.deletionTimestamp", json_string("2026-01-02T00:00:00Z"));
    CU_ASSERT_EQUAL(ck_wl_claim_decide(d, sel, old), CK_CLAIM_IGNORE);
    json_object_del(ck_json_path(old, "metadata"), "deletionTimestamp");
    ck_json_set(old, "metadata.ownerReferences",
                json_pack("[{s:s,s:s,s:s,s:b}]", "kind", "Deployment", "name", "other", "uid", "other", "controller", 1));
    CU_ASSERT_EQUAL(ck_wl_claim_decide(d, sel, old), CK_CLAIM_IGNORE);
    /* once adopted it is kept; relabelled out of the selector it is released */
    ck_json_set(old, "metadata.ownerReferences", json_pack("[o]", ck_new_controller_ref(d, "apps/v1", "Deployment")));
    CU_ASSERT_EQUAL(ck_wl_claim_decide(d, sel, old), CK_CLAIM_KEEP);
    ck_json_set(old, "metadata.labels", json_pack("{s:s}", "app", "y"));
    CU_ASSERT_EQUAL(ck_wl_claim_decide(d, sel, old), CK_CLAIM_RELEASE);
    ck_json_set(old, "metadata.labels", json_pack("{s:s}", "app", "x"));

    json_t *rss = json_pack("[O]", old);
    CU_ASSERT_PTR_NULL(ck_deploy_find_new_rs(d, rss));
    json_t *olds = ck_deploy_old_rss(rss, NULL);
    long next = ck_rss_max_revision(olds) + 1;
    CU_ASSERT_EQUAL(next, 3546343826724305833L);
    json_t *nrs = ck_deploy_new_rs(d, next);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(ck_json_path(nrs, "metadata.annotations"),
                                                             CK_ANN_REVISION)), "3546343826724305833");
    /* an adopted RS whose template equals d's but for pod-template-hash is the new one */
    json_t *same = rs("same", 1, 1, "2026-01-01T00:00:00Z", "7");
    ck_json_set(same, "spec.template", json_deep_copy(ck_json_path(nrs, "spec.template")));
    json_array_append(rss, same);
    CU_ASSERT_PTR_EQUAL(ck_deploy_find_new_rs(d, rss), same);
    json_decref(same), json_decref(nrs), json_decref(olds), json_decref(rss), json_decref(old), json_decref(d);
    ck_label_selector_free(sel);
}

static const char *cond(const json_t *st, const char *type, const char *field)
{
    return ck_json_str(ck_deploy_get_condition(st, type), field, "");
}

static void test_status(void)
{
    json_t *d = deploy(3, "#1", "#1");
    json_t *old = rs("old", 1, 1, "2026-01-01T00:00:00Z", "1"), *nw = rs("new", 3, 1, "2026-01-02T00:00:00Z", "2");
    json_t *all = json_pack("[O,O]", old, nw);
    time_t now = 1795605727;
    json_t *st = ck_deploy_rollout_status(d, all, nw, now);
    CU_ASSERT_EQUAL(ck_json_int(st, "replicas", -1), 4);
    CU_ASSERT_EQUAL(ck_json_int(st, "updatedReplicas", -1), 3);
    CU_ASSERT_EQUAL(ck_json_int(st, "availableReplicas", -1), 2);
    CU_ASSERT_EQUAL(ck_json_int(st, "unavailableReplicas", -1), 2);
    CU_ASSERT_STRING_EQUAL(cond(st, "Available", "status"), "True");  /* 2 >= 3 - 1 */
    CU_ASSERT_STRING_EQUAL(cond(st, "Available", "reason"), "MinimumReplicasAvailable");
    CU_ASSERT_STRING_EQUAL(cond(st, "Progressing", "reason"), "ReplicaSetUpdated");
    CU_ASSERT_STRING_EQUAL(cond(st, "Progressing", "message"), "ReplicaSet \"new\" is progressing.");
    json_object_set(d, "status", st);
    json_decref(st);
    /* complete: old gone, all three new available */
    ck_json_set(old, "spec.replicas", json_integer(0));
    ck_json_set(old, "status.replicas", json_integer(0));
    ck_json_set(old, "status.availableReplicas", json_integer(0));
    ck_json_set(old, "status.readyReplicas", json_integer(0));
    ck_json_set(nw, "status.availableReplicas", json_integer(3));
    st = ck_deploy_rollout_status(d, all, nw, now + 5);
    CU_ASSERT_TRUE(ck_deploy_complete(d, st));
    CU_ASSERT_STRING_EQUAL(cond(st, "Progressing", "reason"), "NewReplicaSetAvailable");
    CU_ASSERT_STRING_EQUAL(cond(st, "Progressing", "message"), "ReplicaSet \"new\" has successfully progressed.");
    /* status True kept: lastTransitionTime unchanged from the first call */
    CU_ASSERT_STRING_EQUAL(cond(st, "Progressing", "lastTransitionTime"), "2026-11-25T11:22:07Z");
    json_decref(st);
    /* below minimum availability */
    ck_json_set(nw, "status.availableReplicas", json_integer(1));
    st = ck_deploy_rollout_status(d, all, nw, now + 5);
    CU_ASSERT_STRING_EQUAL(cond(st, "Available", "status"), "False");
    CU_ASSERT_STRING_EQUAL(cond(st, "Available", "reason"), "MinimumReplicasUnavailable");
    json_decref(st);
    /* timed out: no progress for longer than progressDeadlineSeconds */
    ck_json_set(d, "spec.progressDeadlineSeconds", json_integer(10));
    json_object_set(d, "status", json_pack("{s:i,s:i,s:i,s:i,s:[{s:s,s:s,s:s,s:s,s:s}]}", "replicas", 3,
                                               "updatedReplicas", 3, "availableReplicas", 1, "readyReplicas", 1,
                                               "conditions", "type", "Progressing", "status", "True", "reason",
                                               "ReplicaSetUpdated", "lastUpdateTime", "2026-11-25T11:22:07Z",
                                               "lastTransitionTime", "2026-11-25T11:22:07Z"));
    json_decref(json_object_get(d, "status")); /* json_object_set took its own reference */
    st = ck_deploy_rollout_status(d, all, nw, now + 60);
    CU_ASSERT_STRING_EQUAL(cond(st, "Progressing", "reason"), "ProgressDeadlineExceeded");
    CU_ASSERT_STRING_EQUAL(cond(st, "Progressing", "status"), "False");
    json_decref(st);
    json_decref(all), json_decref(old), json_decref(nw), json_decref(d);
}

static void test_recreate(void)
{
    json_t *d = deploy(2, NULL, NULL);
    ck_json_set(d, "spec.strategy.type", json_string("Recreate"));
    json_t *old = rs("old", 2, 2, "2026-01-01T00:00:00Z", "1"), *nw = rs("new", 0, 0, "2026-01-02T00:00:00Z", "2");
    json_t *olds = json_pack("[O]", old);
    CU_ASSERT_EQUAL(ck_deploy_scale_down_old_for_recreate(&OPS, d, olds), 1);
    CU_ASSERT_EQUAL(ck_json_int(old, "spec.replicas", -1), 0);
    CU_ASSERT_TRUE(ck_deploy_old_pods_running(nw, olds, NULL));  /* status.replicas still 2 */
    ck_json_set(old, "status.replicas", json_integer(0));
    json_t *pods = json_loads("[{\"metadata\":{\"ownerReferences\":[{\"uid\":\"old\",\"controller\":true}]},"
                              "\"status\":{\"phase\":\"Running\"}}]", 0, NULL);
    CU_ASSERT_TRUE(ck_deploy_old_pods_running(nw, olds, pods));
    ck_json_set(json_array_get(pods, 0), "status.phase", json_string("Succeeded"));
    CU_ASSERT_FALSE(ck_deploy_old_pods_running(nw, olds, pods));
    json_decref(pods), json_decref(olds), json_decref(old), json_decref(nw), json_decref(d);
}

int main(void)
{
    static const ck_test tests[] = {
        {"intstr percentages and fenceposts", test_intstr},
        {"template hash, names, revision annotations", test_hash},
        {"NewRSNewReplicas", test_new_rs_replicas},
        {"rolling update steps", test_rolling_steps},
        {"proportional scaling", test_proportional},
        {"history cleanup and orderings", test_cleanup_and_order},
        {"adopting an orphan RS, revision max+1, new RS by template", test_adopt_and_revision},
        {"status and conditions", test_status},
        {"recreate", test_recreate},
        {NULL, NULL},
    };
    return ck_test_main("deployment", tests, NULL, NULL);
}
