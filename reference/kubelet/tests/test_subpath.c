/* test_subpath.c: volumeMounts subPath/subPathExpr as upstream's makeMounts
 * resolves them (expansion from the container env, "missing value for",
 * absolute and '..' refusals, the directory made inside the volume), through
 * pure functions and a pod worker on the fake runtime; and the host-network
 * /etc/hosts (nodeHostsFileContent). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"
#include "kubelet/subpath.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "kubelet/tests/fake_kubelet.h"

static void test_expand(void)
{
    char err[256] = "";
    char *env[] = {"POD_NAME=pod-1", "EMPTY=", "ANNOTATION=mypath", NULL};
    char *s = ck_subpath_expand("$(POD_NAME)", env, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(s, "pod-1");
    free(s);
    s = ck_subpath_expand("$(ANNOTATION)/$(POD_NAME)", env, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(s, "mypath/pod-1");
    free(s);
    /* $$ escapes the operator; an unclosed $( and a $ before anything else stay */
    s = ck_subpath_expand("a$$(POD_NAME)$x$(b", env, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(s, "a$(POD_NAME)$x$(b");
    free(s);
    /* undefined or empty: an error naming each variable once, sorted */
    CU_ASSERT_PTR_NULL(ck_subpath_expand("$(NOPE)/$(EMPTY)/$(NOPE)/$(ANNOTATION)", env, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "missing value for EMPTY, NOPE");
    CU_ASSERT_PTR_NULL(ck_subpath_expand("$(X)", NULL, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "missing value for X");
}

static void test_validate(void)
{
    char err[256] = "";
    CU_ASSERT_EQUAL(ck_subpath_validate("/tmp", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "error SubPath `/tmp` must not be an absolute path");
    CU_ASSERT_EQUAL(ck_subpath_validate("..", err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "unable to provision SubPath `..`: must not contain '..'");
    CU_ASSERT_EQUAL(ck_subpath_validate("a/../b", err, sizeof err), -1);
    CU_ASSERT_EQUAL(ck_subpath_validate("a/..", err, sizeof err), -1);
    /* ".." inside a name is no backstep */
    CU_ASSERT_EQUAL(ck_subpath_validate("a..b/..c/d..", err, sizeof err), 0);
    CU_ASSERT_EQUAL(ck_subpath_validate("mypath/foo", err, sizeof err), 0);
}

static void test_subpath_of(void)
{
    char err[256] = "";
    char *env[] = {"V=..", "ABS=/tmp", "OK=x", NULL};
    json_t *vm = json_pack("{s:s}", "subPath", "plain/dir");
    char *s = ck_subpath_of(vm, env, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(s, "plain/dir");
    free(s);
    json_object_set_new(vm, "subPath", json_string("/abs"));
    CU_ASSERT_PTR_NULL(ck_subpath_of(vm, env, err, sizeof err));
    json_object_del(vm, "subPath");
    json_object_set_new(vm, "subPathExpr", json_string("$(V)"));
    CU_ASSERT_PTR_NULL(ck_subpath_of(vm, env, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "unable to provision SubPath `..`: must not contain '..'");
    json_object_set_new(vm, "subPathExpr", json_string("$(ABS)"));
    CU_ASSERT_PTR_NULL(ck_subpath_of(vm, env, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "error SubPath `/tmp` must not be an absolute path");
    json_object_set_new(vm, "subPathExpr", json_string("$(OK)"));
    s = ck_subpath_of(vm, env, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(s, "x");
    free(s);
    json_object_del(vm, "subPathExpr");
    s = ck_subpath_of(vm, env, err, sizeof err);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
    json_decref(vm);
}

static void test_prepare(void)
{
    char vol[256], path[512], out[4096], err[256], cmd[300];
    snprintf(vol, sizeof vol, "/tmp/ck-test-subpath-%d", (int)getpid());
    CU_ASSERT_EQUAL_FATAL(mkdir(vol, 0700), 0);
    CU_ASSERT_EQUAL(chmod(vol, 0777), 0);
    /* a missing subpath is made, parents too, with the volume's mode */
    CU_ASSERT_EQUAL(ck_subpath_prepare(vol, "a/b", "m", "c", out, sizeof out, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/a/b", vol);
    CU_ASSERT_STRING_EQUAL(out, path);
    struct stat st;
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    CU_ASSERT_TRUE(S_ISDIR(st.st_mode));
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0777);
    snprintf(path, sizeof path, "%s/a", vol);
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0777);
    /* an existing file is used as is */
    snprintf(path, sizeof path, "%s/file", vol);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    CU_ASSERT_EQUAL(ck_subpath_prepare(vol, "file", "m", "c", out, sizeof out, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(out, path);
    /* a symlink out of the volume is refused */
    snprintf(path, sizeof path, "%s/escape", vol);
    CU_ASSERT_EQUAL(symlink("/etc", path), 0);
    CU_ASSERT_EQUAL(ck_subpath_prepare(vol, "escape", "m", "c", out, sizeof out, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "failed to prepare subPath for volumeMount \"m\" of container \"c\"");
    snprintf(cmd, sizeof cmd, "rm -rf %s", vol);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_host_network_hosts(void)
{
    json_t *pod = json_loads("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns1\"},\"spec\":{\"hostNetwork\":true,"
                             "\"hostAliases\":[{\"ip\":\"123.45.67.89\",\"hostnames\":[\"foo\",\"bar\"]}]}}", 0, NULL);
    char *h = ck_hosts_file_host_network(pod, "127.0.0.1\tlocalhost\n10.0.0.1\tnode-1\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_STRING_EQUAL(h, "# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n10.0.0.1\tnode-1\n"
                              "\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\n");
    /* the e2e check (kubelet_etc_hosts.go) looks for the non-host-network header */
    CU_ASSERT_PTR_NULL(strstr(h, "# Kubernetes-managed hosts file."));
    free(h);
    json_decref(pod);
}

/* ---- through a pod worker on the fake runtime ---- */
/* The host path mounted at ctr_path in the newest container "c" of pod uid. */
static const char *mount_of(json_t *cfg, const char *ctr_path)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(cfg, "mounts"), i, m)
        if (strcmp(ck_json_str(m, "containerPath", ""), ctr_path) == 0) return ck_json_str(m, "hostPath", NULL);
    return NULL;
}

/* e2e expansion.go "a failing subpath expansion can be modified during the
 * lifecycle of a container": the annotation-backed variable is empty, so the
 * container waits (CreateContainerConfigError) until an update sets it. */
static void test_worker_lifecycle(void)
{
    ck_kubelet *k = fake_kubelet_new("subpath-k", NULL);
    json_t *p = json_loads(
        "{\"metadata\":{\"name\":\"ve\",\"namespace\":\"ns1\",\"uid\":\"u-ve\",\"annotations\":{\"notmysubpath\":\"x\"}},"
        "\"spec\":{\"restartPolicy\":\"Never\",\"volumes\":[{\"name\":\"workdir1\",\"emptyDir\":{}}],"
        "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"env\":[{\"name\":\"POD_NAME\",\"value\":\"foo\"},"
        "{\"name\":\"ANNOTATION\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.annotations['mysubpath']\"}}}],"
        "\"volumeMounts\":[{\"name\":\"workdir1\",\"mountPath\":\"/subpath_mount\",\"subPathExpr\":\"$(ANNOTATION)/$(POD_NAME)\"},"
        "{\"name\":\"workdir1\",\"mountPath\":\"/volume_mount\"}]}]}}", 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    ck_pod_worker *w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_reason, "CreateContainerConfigError");
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_message, "missing value for ANNOTATION");
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].id, "");
    json_object_set_new(ck_json_path(p, "metadata.annotations"), "mysubpath", json_string("mypath"));
    ck_pod_worker_update(w, p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_reason, "");
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    json_t *cfg = ck_cri_fake_config(k->rt, "u-ve", "c");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    char want[1400];
    snprintf(want, sizeof want, "%s/pods/u-ve/volumes/workdir1/mypath/foo", k->root);
    const char *sub = mount_of(cfg, "/subpath_mount"), *whole = mount_of(cfg, "/volume_mount");
    CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
    CU_ASSERT_PTR_NOT_NULL_FATAL(whole);
    /* the host paths may be resolved through symlinks of the root: compare the tails */
    CU_ASSERT_PTR_NOT_NULL(strstr(sub, "/pods/u-ve/volumes/workdir1/mypath/foo"));
    CU_ASSERT_PTR_NOT_NULL(strstr(whole, "/pods/u-ve/volumes/workdir1"));
    struct stat st;
    CU_ASSERT_EQUAL(stat(want, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0777); /* the emptyDir's mode */
    json_decref(cfg);
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    json_decref(p);
    fake_kubelet_free(k);
}

/* e2e expansion.go "fail substituting values in a volume subpath with
 * backticks / absolute path": CreateContainerConfigError with makeMounts' text. */
static void test_worker_refused(void)
{
    static const struct { const char *value, *message; } cases[] = {
        {"..", "unable to provision SubPath `..`: must not contain '..'"},
        {"/tmp", "error SubPath `/tmp` must not be an absolute path"},
    };
    ck_kubelet *k = fake_kubelet_new("subpath-k", NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *p = json_pack("{s:{s:s,s:s,s:s},s:{s:[{s:s,s:{}}],s:[{s:s,s:s,s:[{s:s,s:s}],s:[{s:s,s:s,s:s}]}]}}",
                              "metadata", "name", "vf", "namespace", "ns1", "uid", "u-vf", "spec", "volumes", "name",
                              "workdir1", "emptyDir", "containers", "name", "c", "image", "busybox", "env", "name",
                              "POD_NAME", "value", cases[i].value, "volumeMounts", "name", "workdir1", "mountPath",
                              "/logscontainer", "subPathExpr", "$(POD_NAME)");
        ck_pod_worker *w = ck_pod_worker_new(p);
        ck_pod_worker_sync(k, w, false);
        CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_reason, "CreateContainerConfigError");
        CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_message, cases[i].message);
        CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Pending");
        ck_pod_worker_kill(k, w, 0);
        ck_pod_worker_free(w);
        json_decref(p);
    }
    fake_kubelet_free(k);
}

int main(void)
{
    static const ck_test tests[] = {
        {"subPathExpr expansion and missing values", test_expand},
        {"absolute and '..' subpaths are refused", test_validate},
        {"subPath or subPathExpr of a volume mount", test_subpath_of},
        {"the subpath directory is made inside the volume", test_prepare},
        {"a hostNetwork pod's /etc/hosts is the node's", test_host_network_hosts},
        {"a failing expansion starts once the pod is updated", test_worker_lifecycle},
        {"'..' and absolute expansions are CreateContainerConfigError", test_worker_refused},
        {NULL, NULL},
    };
    return ck_test_main("kubelet subpath", tests, NULL, NULL);
}
