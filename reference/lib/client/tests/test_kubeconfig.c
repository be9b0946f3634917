/* test_kubeconfig.c: kubeconfig loading (clientcmd semantics, files written
 * to a temp dir) and the pure request-building parts of the REST client:
 * paths for core and named groups, list/watch queries, patch content types. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/rest.h"
#include "util/cktest.h"

static char dir[] = "/tmp/ck-kubeconfig-XXXXXX";

static void write_file(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static const char *kubeconfig =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: admin@ckube\n"
    "clusters:\n"
    "- name: ckube\n"
    "  cluster:\n"
    "    server: https://127.0.0.1:6443\n"
    "    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmFiYwo=\n"
    "- name: dev\n"
    "  cluster:\n"
    "    server: https://dev.example:8443\n"
    "    insecure-skip-tls-verify: true\n"
    "    certificate-authority: ca.crt\n"
    "contexts:\n"
    "- name: admin@ckube\n"
    "  context: {cluster: ckube, user: admin}\n"
    "- name: dev\n"
    "  context: {cluster: dev, user: dev-user}\n"
    "- name: broken\n"
    "  context: {cluster: nowhere, user: admin}\n"
    "users:\n"
    "- name: admin\n"
    "  user:\n"
    "    token: s3cr3t\n"
    "    client-certificate-data: Y2VydA==\n"
    "    client-key-data: a2V5\n"
    "- name: dev-user\n"
    "  user:\n"
    "    client-certificate: certs/dev.crt\n"
    "    client-key: /abs/dev.key\n"
    "    tokenFile: token\n";

static int setup(void)
{
    if (!mkdtemp(dir)) return 1;
    char p[256];
    snprintf(p, sizeof p, "%s/config", dir);
    FILE *f = fopen(p, "w");
    if (!f) return 1;
    fputs(kubeconfig, f);
    fclose(f);
    snprintf(p, sizeof p, "%s/token", dir);
    if (!(f = fopen(p, "w"))) return 1;
    fputs("file-token\n", f);
    fclose(f);
    return 0;
}

static int teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) ? 1 : 0;
}

static void test_current_context(void)
{
    ck_rest_config c;
    char err[256] = "", path[256];
    snprintf(path, sizeof path, "%s/config", dir);
    CU_ASSERT_EQUAL_FATAL(ck_rest_config_from_kubeconfig(&c, path, NULL, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(c.server, "https://127.0.0.1:6443");
    CU_ASSERT_EQUAL(c.ca_data_len, strlen("-----BEGIN CERTIFICATE-----\nabc\n"));
    CU_ASSERT_NSTRING_EQUAL(c.ca_data, "-----BEGIN CERTIFICATE-----\nabc\n", c.ca_data_len);
    CU_ASSERT_PTR_NULL(c.ca_file);
    CU_ASSERT_STRING_EQUAL(c.token, "s3cr3t");
    CU_ASSERT_EQUAL(c.cert_data_len, 4);
    CU_ASSERT_NSTRING_EQUAL(c.cert_data, "cert", 4);
    CU_ASSERT_NSTRING_EQUAL(c.key_data, "key", 3);
    CU_ASSERT_FALSE(c.insecure);
    ck_rest_config_clear(&c);
}

static void test_named_context_files(void)
{
    ck_rest_config c;
    char err[256] = "", path[256], want[300];
    snprintf(path, sizeof path, "%s/config", dir);
    CU_ASSERT_EQUAL_FATAL(ck_rest_config_from_kubeconfig(&c, path, "dev", err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(c.server, "https://dev.example:8443");
    CU_ASSERT_TRUE(c.insecure);
    snprintf(want, sizeof want, "%s/ca.crt", dir); /* relative to the kubeconfig */
    CU_ASSERT_STRING_EQUAL(c.ca_file, want);
    snprintf(want, sizeof want, "%s/certs/dev.crt", dir);
    CU_ASSERT_STRING_EQUAL(c.cert_file, want);
    CU_ASSERT_STRING_EQUAL(c.key_file, "/abs/dev.key");
    CU_ASSERT_STRING_EQUAL(c.token, "file-token");
    ck_rest_config_set_agent(&c, "kube-scheduler");
    CU_ASSERT_STRING_EQUAL(c.user_agent, "kube-scheduler/ckube");
    ck_rest_config_clear(&c);
}

static void test_errors(void)
{
    ck_rest_config c;
    char err[256] = "", path[256];
    snprintf(path, sizeof path, "%s/config", dir);
    CU_ASSERT_EQUAL(ck_rest_config_from_kubeconfig(&c, path, "nope", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "nope"));
    CU_ASSERT_EQUAL(ck_rest_config_from_kubeconfig(&c, path, "broken", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "server"));
    write_file("badb64", "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n"
                         "clusters: [{name: c, cluster: {server: 'http://h', certificate-authority-data: '***'}}]\n");
    snprintf(path, sizeof path, "%s/badb64", dir);
    CU_ASSERT_EQUAL(ck_rest_config_from_kubeconfig(&c, path, NULL, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "base64"));
    write_file("empty", "apiVersion: v1\nkind: Config\n");
    snprintf(path, sizeof path, "%s/empty", dir);
    CU_ASSERT_EQUAL(ck_rest_config_from_kubeconfig(&c, path, NULL, err, sizeof err), -1);
    snprintf(path, sizeof path, "%s/missing", dir);
    CU_ASSERT_EQUAL(ck_rest_config_from_kubeconfig(&c, path, NULL, err, sizeof err), -1);
    CU_ASSERT_PTR_NULL(c.server);
}

static void test_paths(void)
{
    static const struct { ck_resource_ref ref; const char *query, *want; } cases[] = {
        {{"", "v1", "pods", "default", NULL, NULL}, NULL, "/api/v1/namespaces/default/pods"},
        {{NULL, "v1", "pods", NULL, NULL, NULL}, "", "/api/v1/pods"},
        {{"", "v1", "nodes", NULL, "n1", "status"}, NULL, "/api/v1/nodes/n1/status"},
        {{"", "v1", "pods", "ns", "p", "binding"}, NULL, "/api/v1/namespaces/ns/pods/p/binding"},
        {{"apps", "v1", "deployments", "ns", "web", "scale"}, NULL, "/apis/apps/v1/namespaces/ns/deployments/web/scale"},
        {{"coordination.k8s.io", "v1", "leases", "kube-system", "kube-scheduler", NULL}, "watch=1",
         "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?watch=1"},
        {{"", "v1", "configmaps", "ns", "a b", NULL}, NULL, "/api/v1/namespaces/ns/configmaps/a%20b"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int n = ck_rest_path(&cases[i].ref, cases[i].query, out, sizeof out);
        CU_ASSERT_EQUAL(n, (int)strlen(cases[i].want));
        CU_ASSERT_STRING_EQUAL(out, cases[i].want);
    }
    ck_resource_ref bad = {"", "v1", "pods", "ns", NULL, "status"};
    CU_ASSERT_EQUAL(ck_rest_path(&bad, NULL, out, sizeof out), -1);
    ck_resource_ref ok = {"", "v1", "pods", NULL, NULL, NULL};
    CU_ASSERT_EQUAL(ck_rest_path(&ok, NULL, out, 5), -1);
}

static void test_queries(void)
{
    char q[512];
    ck_list_opts o = {.label_selector = "app=web,tier!=db", .field_selector = "spec.nodeName=n1",
                      .resource_version = "42", .limit = 500, .timeout_seconds = 300};
    CU_ASSERT(ck_list_query(&o, false, q, sizeof q) > 0);
    CU_ASSERT_STRING_EQUAL(q, "labelSelector=app%3Dweb%2Ctier%21%3Ddb&fieldSelector=spec.nodeName%3Dn1"
                              "&resourceVersion=42&limit=500");
    ck_list_opts w = {.resource_version = "7", .timeout_seconds = 30};
    CU_ASSERT(ck_list_query(&w, true, q, sizeof q) > 0);
    CU_ASSERT_STRING_EQUAL(q, "watch=1&allowWatchBookmarks=true&resourceVersion=7&timeoutSeconds=30");
    CU_ASSERT_EQUAL(ck_list_query(&o, false, q, 10), -1);
    CU_ASSERT_STRING_EQUAL(ck_patch_content_type(CK_PATCH_JSON), "application/json-patch+json");
    CU_ASSERT_STRING_EQUAL(ck_patch_content_type(CK_PATCH_MERGE), "application/merge-patch+json");
    CU_ASSERT_STRING_EQUAL(ck_patch_content_type(CK_PATCH_STRATEGIC), "application/strategic-merge-patch+json");
}

int main(void)
{
    static const ck_test tests[] = {
        {"current-context with inline data", test_current_context},
        {"named context, relative files, tokenFile, insecure", test_named_context_files},
        {"missing context, server, bad base64, missing file", test_errors},
        {"request paths: core, groups, subresources", test_paths},
        {"list and watch query strings", test_queries},
        {NULL, NULL},
    };
    return ck_test_main("kubeconfig", tests, setup, teardown);
}
