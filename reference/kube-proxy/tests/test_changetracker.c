/* test_changetracker.c: the change tracker (pending changes that net out are
 * dropped, named ports resolved by the Endpoints' port names, ready
 * addresses only, headless services skipped, deletes), the bounded-frequency
 * runner (bursts coalesce, min interval respected) and durations. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kube-proxy/changetracker.h"
#include "kube-proxy/runner.h"
#include "kube-proxy/server.h"
#include "util/cktest.h"

static json_t *service(const char *ip, const char *label)
{
    return json_pack("{s:{s:s,s:s,s:{s:s}},s:{s:s,s:[{s:s,s:i,s:s},{s:s,s:i,s:s}]}}",
                     "metadata", "namespace", "web", "name", "front", "labels", "v", label,
                     "spec", "clusterIP", ip, "ports", "name", "http", "port", 80, "targetPort", "web",
                     "name", "metrics", "port", 9090, "targetPort", "prom");
}

static json_t *endpoints(void)
{
    /* Port names are the service port names; the numbers are the pods' ports. */
    return json_pack("{s:{s:s,s:s},s:[{s:[{s:s},{s:s}],s:[{s:s}],s:[{s:s,s:i},{s:s,s:i,s:s}]}]}",
                     "metadata", "namespace", "web", "name", "front",
                     "subsets", "addresses", "ip", "10.244.1.7", "ip", "10.244.2.3",
                     "notReadyAddresses", "ip", "10.244.3.9",
                     "ports", "name", "http", "port", 8080, "name", "metrics", "port", 9100, "protocol", "TCP");
}

static void test_named_ports_and_readiness(void)
{
    ck_change_tracker *t = ck_change_tracker_new();
    json_t *s = service("10.96.0.10", "a"), *e = endpoints();
    CU_ASSERT_TRUE(ck_change_tracker_on_service(t, NULL, s));
    CU_ASSERT_TRUE(ck_change_tracker_on_endpoints(t, NULL, e));
    CU_ASSERT_EQUAL(ck_change_tracker_pending(t), 2);
    ck_proxy_state *st = ck_change_tracker_apply(t);
    CU_ASSERT_EQUAL(ck_change_tracker_pending(t), 0);
    CU_ASSERT_EQUAL_FATAL(st->nsvcs, 2);
    CU_ASSERT_STRING_EQUAL(st->svcs[0].name, "web/front:http");
    CU_ASSERT_STRING_EQUAL(st->svcs[1].name, "web/front:metrics");
    CU_ASSERT_STRING_EQUAL(st->svcs[0].protocol, "TCP");  /* defaulted */
    const ck_endpoint_set *http = ck_proxy_state_endpoints(st, &st->svcs[0]);
    const ck_endpoint_set *metrics = ck_proxy_state_endpoints(st, &st->svcs[1]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(http);
    CU_ASSERT_PTR_NOT_NULL_FATAL(metrics);
    CU_ASSERT_EQUAL(http->n, 2);  /* 10.244.3.9 is not ready */
    CU_ASSERT_STRING_EQUAL(http->eps[0].ip, "10.244.1.7");
    CU_ASSERT_EQUAL(http->eps[0].port, 8080);
    CU_ASSERT_EQUAL(metrics->eps[1].port, 9100);
    ck_proxy_state_free(st);
    json_decref(s);
    json_decref(e);
    ck_change_tracker_free(t);
}

static void test_changes_net_out(void)
{
    ck_change_tracker *t = ck_change_tracker_new();
    json_t *a = service("10.96.0.10", "a"), *b = service("10.96.0.10", "b"), *c = service("10.96.0.11", "a");
    ck_change_tracker_on_service(t, NULL, a);
    ck_proxy_state_free(ck_change_tracker_apply(t));
    /* A label change touches nothing kube-proxy programs. */
    CU_ASSERT_FALSE(ck_change_tracker_on_service(t, a, b));
    CU_ASSERT_EQUAL(ck_change_tracker_pending(t), 0);
    /* A change and its revert before the sync: nothing left to do. */
    CU_ASSERT_TRUE(ck_change_tracker_on_service(t, b, c));
    CU_ASSERT_FALSE(ck_change_tracker_on_service(t, c, a));
    CU_ASSERT_EQUAL(ck_change_tracker_pending(t), 0);
    /* Delete. */
    CU_ASSERT_TRUE(ck_change_tracker_on_service(t, a, NULL));
    ck_proxy_state *st = ck_change_tracker_apply(t);
    CU_ASSERT_EQUAL(st->nsvcs, 0);
    ck_proxy_state_free(st);
    json_decref(a), json_decref(b), json_decref(c);
    ck_change_tracker_free(t);
}

static void test_headless_skipped(void)
{
    ck_change_tracker *t = ck_change_tracker_new();
    json_t *h = service("None", "a");
    CU_ASSERT_FALSE(ck_change_tracker_on_service(t, NULL, h));
    ck_proxy_state *st = ck_change_tracker_apply(t);
    CU_ASSERT_EQUAL(st->nsvcs, 0);
    ck_proxy_state_free(st);
    json_decref(h);
    ck_change_tracker_free(t);
}

static int count_fn(void *ud) { (*(int *)ud)++; return 0; }

static void test_runner_coalesces(void)
{
    int n = 0;
    ck_runner *r = ck_runner_new(count_fn, &n, 200, 60000, 1000);
    CU_ASSERT_EQUAL(ck_runner_start(r), 0);
    ck_runner_run(r);
    usleep(50000);
    CU_ASSERT_EQUAL(ck_runner_runs(r), 1);  /* the first request runs at once */
    for (int i = 0; i < 20; i++) ck_runner_run(r), usleep(2000);
    CU_ASSERT_EQUAL(ck_runner_runs(r), 1);  /* within the min interval: held back */
    usleep(300000);
    CU_ASSERT_EQUAL(ck_runner_runs(r), 2);  /* the burst became one run */
    ck_runner_free(r);
    CU_ASSERT_EQUAL(n, 2);
}

static void test_durations(void)
{
    CU_ASSERT_EQUAL(ck_parse_duration_ms("100ms"), 100);
    CU_ASSERT_EQUAL(ck_parse_duration_ms("1s"), 1000);
    CU_ASSERT_EQUAL(ck_parse_duration_ms("1m30s"), 90000);
    CU_ASSERT_EQUAL(ck_parse_duration_ms("10"), -1);  /* Go wants a unit */
    CU_ASSERT_EQUAL(ck_parse_duration_ms("5x"), -1);
}

int main(void)
{
    static const ck_test tests[] = {
        {"named ports resolve by Endpoints port name; ready only", test_named_ports_and_readiness},
        {"changes that net out are dropped", test_changes_net_out},
        {"headless services are not proxied", test_headless_skipped},
        {"bounded-frequency runner coalesces bursts", test_runner_coalesces},
        {"Go durations", test_durations},
        {NULL, NULL},
    };
    return ck_test_main("kube-proxy change tracker", tests, NULL, NULL);
}
