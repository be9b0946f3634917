/* test_env_dns.c: a container's environment as makeEnvironmentVariables
 * builds it (envFrom with prefix, env overriding, $(VAR) expansion,
 * configMapKeyRef/secretKeyRef with optional, resourceFieldRef with divisor,
 * fieldRef, and upstream's CreateContainerConfigError messages), and the
 * pod resolv.conf of network/dns for each dnsPolicy with dnsConfig merged. */
#include <stdlib.h>
#include <string.h>
#include "kubelet/dns.h"
#include "kubelet/env.h"
#include "util/ckjson.h"
#include "util/cktest.h"

/* ns1/cm {A:1, B:2}; ns1/sec {PASS: "s3cr3t" base64}. */
static json_t *lookup(void *ud, const char *resource, const char *ns, const char *name, bool *nf)
{
    *nf = false;
    if (strcmp(ns, "ns1") != 0) return *nf = true, NULL;
    if (!strcmp(resource, "configmaps") && !strcmp(name, "cm")) return json_pack("{s:{s:s,s:s}}", "data", "A", "1", "B", "2");
    if (!strcmp(resource, "secrets") && !strcmp(name, "sec")) return json_pack("{s:{s:s}}", "data", "PASS", "czNjcjN0");
    *nf = true;
    return NULL;
}

static json_t *pod_with(json_t *container)
{
    return json_pack("{s:{s:s,s:s,s:s,s:{s:s}},s:{s:[o]}}", "metadata", "name", "p", "namespace", "ns1", "uid", "u1",
                     "labels", "app", "web", "spec", "containers", container);
}

static const char *val(char **env, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; env && env[i]; i++)
        if (strncmp(env[i], name, n) == 0 && env[i][n] == '=') return env[i] + n + 1;
    return NULL;
}

static char **build(json_t *c, char *err, size_t n)
{
    json_t *pod = pod_with(json_incref(c));
    ck_env_context ctx = {.pod = pod, .pod_ip = "10.1.0.5", .host_ip = "192.168.0.2", .node_name = "node-1",
                          .node_cpu = "2", .node_memory = "4Gi", .lookup = lookup};
    char **env = ck_env_build(&ctx, json_array_get(ck_json_path(pod, "spec.containers"), 0), err, n);
    json_decref(pod);
    return env;
}

static void test_env(void)
{
    char err[256] = "";
    json_t *c = json_loads(
        "{\"name\":\"app\",\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}},"
        "\"envFrom\":[{\"prefix\":\"CM_\",\"configMapRef\":{\"name\":\"cm\"}},"
        "{\"secretRef\":{\"name\":\"sec\"},\"prefix\":\"S_\"}],"
        "\"env\":[{\"name\":\"A_ONE\",\"value\":\"x\"},"
        "{\"name\":\"CM_A\",\"value\":\"override-$(A_ONE)-$(NOPE)-$$(A_ONE)\"},"
        "{\"name\":\"KEY\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"cm\",\"key\":\"B\"}}},"
        "{\"name\":\"PASS\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"sec\",\"key\":\"PASS\"}}},"
        "{\"name\":\"IP\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"status.podIP\"}}},"
        "{\"name\":\"CPU\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"limits.cpu\",\"divisor\":\"1m\"}}},"
        "{\"name\":\"MEM\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"limits.memory\",\"divisor\":\"1Mi\"}}},"
        "{\"name\":\"OPT\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"missing\",\"key\":\"k\",\"optional\":true}}},"
        "{\"name\":\"LABEL\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.labels['app']\"}}}]}",
        0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    char **env = build(c, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(env);
    CU_ASSERT_STRING_EQUAL(val(env, "CM_B") ?: "", "2");
    CU_ASSERT_STRING_EQUAL(val(env, "S_PASS") ?: "", "s3cr3t");
    CU_ASSERT_STRING_EQUAL(val(env, "CM_A") ?: "", "override-x-$(NOPE)-$(A_ONE)");
    CU_ASSERT_STRING_EQUAL(val(env, "KEY") ?: "", "2");
    CU_ASSERT_STRING_EQUAL(val(env, "PASS") ?: "", "s3cr3t");
    CU_ASSERT_STRING_EQUAL(val(env, "IP") ?: "", "10.1.0.5");
    CU_ASSERT_STRING_EQUAL(val(env, "CPU") ?: "", "500");
    CU_ASSERT_STRING_EQUAL(val(env, "MEM") ?: "", "128");
    CU_ASSERT_PTR_NULL(val(env, "OPT"));
    CU_ASSERT_STRING_EQUAL(val(env, "LABEL") ?: "", "web");
    ck_env_free(env);
    json_decref(c);
}

static void test_env_errors(void)
{
    char err[256] = "";
    /* No limit: node allocatable; cpu divisor 1 rounds up. */
    json_t *c = json_pack("{s:s,s:[{s:s,s:{s:{s:s}}}]}", "name", "app", "env", "name", "CPU", "valueFrom",
                          "resourceFieldRef", "resource", "limits.cpu");
    char **env = build(c, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(val(env, "CPU") ?: "", "2");
    ck_env_free(env);
    json_decref(c);
    struct { json_t *c; const char *msg; } cases[] = {
        {json_pack("{s:[{s:s,s:{s:{s:s,s:s}}}]}", "env", "name", "K", "valueFrom", "configMapKeyRef", "name", "cm", "key",
                   "ZZ"), "couldn't find key ZZ in ConfigMap ns1/cm"},
        {json_pack("{s:[{s:s,s:{s:{s:s,s:s}}}]}", "env", "name", "K", "valueFrom", "secretKeyRef", "name", "sec", "key",
                   "ZZ"), "couldn't find key ZZ in Secret ns1/sec"},
        {json_pack("{s:[{s:s,s:{s:{s:s,s:s}}}]}", "env", "name", "K", "valueFrom", "configMapKeyRef", "name", "nope",
                   "key", "A"), "configmap \"nope\" not found"},
        {json_pack("{s:[{s:{s:s}}]}", "envFrom", "secretRef", "name", "nope"), "secret \"nope\" not found"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = 0;
        env = build(cases[i].c, err, sizeof err);
        CU_ASSERT_PTR_NULL(env);
        CU_ASSERT_STRING_EQUAL(err, cases[i].msg);
        ck_env_free(env);
        json_decref(cases[i].c);
    }
    /* optional: a missing key of an existing ConfigMap is skipped too */
    c = json_pack("{s:[{s:s,s:{s:{s:s,s:s,s:b}}}],s:[{s:{s:s,s:b}}]}", "env", "name", "K", "valueFrom",
                  "configMapKeyRef", "name", "cm", "key", "ZZ", "optional", 1, "envFrom", "configMapRef", "name", "nope",
                  "optional", 1);
    env = build(c, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(env);
    CU_ASSERT_PTR_NULL(val(env, "K"));
    ck_env_free(env);
    json_decref(c);
}

static char *resolv(const char *policy, bool host_net, json_t *dns_config, size_t ndns)
{
    json_t *pod = json_pack("{s:{s:s,s:s},s:{s:s,s:b}}", "metadata", "name", "p", "namespace", "web", "spec",
                            "dnsPolicy", policy, "hostNetwork", host_net);
    if (dns_config) json_object_set_new(json_object_get(pod, "spec"), "dnsConfig", dns_config);
    const char *servers[] = {"10.96.0.10"};
    char *t = ck_dns_resolv_conf(pod, servers, ndns, "cluster.local",
                                 "# host\nnameserver 1.1.1.1\nsearch corp.example .\noptions timeout:2\n");
    json_decref(pod);
    return t;
}

static void test_resolv_conf(void)
{
    char *t = resolv("ClusterFirst", false, NULL, 1);
    CU_ASSERT_STRING_EQUAL(t, "search web.svc.cluster.local svc.cluster.local cluster.local corp.example\n"
                              "nameserver 10.96.0.10\noptions ndots:5\n");
    free(t);
    t = resolv("Default", false, NULL, 1);
    CU_ASSERT_STRING_EQUAL(t, "search corp.example\nnameserver 1.1.1.1\noptions timeout:2\n");
    free(t);
    /* ClusterFirst with hostNetwork is Default; ClusterFirstWithHostNet is cluster DNS. */
    t = resolv("ClusterFirst", true, NULL, 1);
    CU_ASSERT_STRING_EQUAL(t, "search corp.example\nnameserver 1.1.1.1\noptions timeout:2\n");
    free(t);
    t = resolv("ClusterFirstWithHostNet", true, NULL, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "nameserver 10.96.0.10\n"));
    free(t);
    /* No --cluster-dns: ClusterFirst falls back to the node's. */
    t = resolv("ClusterFirst", false, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "nameserver 1.1.1.1\n"));
    free(t);
    /* dnsConfig merges: servers and searches appended without duplicates, options by name. */
    t = resolv("ClusterFirst", false,
               json_pack("{s:[s,s],s:[s],s:[{s:s,s:s},{s:s}]}", "nameservers", "10.96.0.10", "8.8.8.8", "searches",
                         "my.dns", "options", "name", "ndots", "value", "2", "name", "edns0"), 1);
    CU_ASSERT_STRING_EQUAL(t, "search web.svc.cluster.local svc.cluster.local cluster.local corp.example my.dns\n"
                              "nameserver 10.96.0.10\nnameserver 8.8.8.8\noptions ndots:2 edns0\n");
    free(t);
    t = resolv("None", false, json_pack("{s:[s],s:[s]}", "nameservers", "9.9.9.9", "searches", "a.b"), 1);
    CU_ASSERT_STRING_EQUAL(t, "search a.b\nnameserver 9.9.9.9\n");
    free(t);
}

int main(void)
{
    static const ck_test tests[] = {
        {"environment: envFrom, env, expansion, key and field refs", test_env},
        {"environment: CreateContainerConfigError messages, optional", test_env_errors},
        {"resolv.conf per dnsPolicy and dnsConfig", test_resolv_conf},
        {NULL, NULL},
    };
    return ck_test_main("kubelet env and dns", tests, NULL, NULL);
}
