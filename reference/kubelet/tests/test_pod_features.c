/* test_pod_features.c: pod spec features the kubelet applies, checked with the
 * fake runtime (no API server): hostAliases in the managed /etc/hosts,
 * service environment variables (envvars.go), $(VAR) in command/args, the
 * security context handed to the runtime, read-only API volumes, volume file
 * modes (with fsGroup ownership) and downwardAPI resourceFieldRef files, activeDeadlineSeconds. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kubelet/kubelet_internal.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "kubelet/tests/fake_kubelet.h"

static bool has(char **env, const char *kv)
{
    for (size_t i = 0; env && env[i]; i++)
        if (strcmp(env[i], kv) == 0) return true;
    return false;
}

static bool has_prefix(char **env, const char *p)
{
    for (size_t i = 0; env && env[i]; i++)
        if (strncmp(env[i], p, strlen(p)) == 0) return true;
    return false;
}

static void test_hosts_file(void)
{
    json_t *pod = json_loads("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns1\"},\"spec\":{\"hostAliases\":["
                             "{\"ip\":\"123.45.67.89\",\"hostnames\":[\"foo\",\"bar\"]},"
                             "{\"ip\":\"10.0.0.9\",\"hostnames\":[\"baz\"]}]}}", 0, NULL);
    char *h = ck_hosts_file(pod, "10.1.0.5", "cluster.local");
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "\n10.1.0.5\tp\n\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\n"
                                     "10.0.0.9\tbaz\n"));
    free(h);
    /* hostname + subdomain: the FQDN first (GeneratePodHostNameAndDomain) */
    json_object_set_new(json_object_get(pod, "spec"), "hostname", json_string("web-0"));
    json_object_set_new(json_object_get(pod, "spec"), "subdomain", json_string("web"));
    json_object_del(json_object_get(pod, "spec"), "hostAliases");
    h = ck_hosts_file(pod, "10.1.0.5", "cluster.local");
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "10.1.0.5\tweb-0.web.ns1.svc.cluster.local\tweb-0\n"));
    CU_ASSERT_PTR_NULL(strstr(h, "HostAliases"));
    free(h);
    json_decref(pod);
}

static void test_service_env(void)
{
    json_t *svcs = json_loads(
        "[{\"metadata\":{\"name\":\"kubernetes\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.96.0.1\","
        "\"ports\":[{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\"}]}},"
        "{\"metadata\":{\"name\":\"foo-service\",\"namespace\":\"ns1\"},\"spec\":{\"clusterIP\":\"10.96.0.20\","
        "\"ports\":[{\"port\":8765},{\"name\":\"dns-udp\",\"port\":53,\"protocol\":\"UDP\"}]}},"
        "{\"metadata\":{\"name\":\"headless\",\"namespace\":\"ns1\"},\"spec\":{\"clusterIP\":\"None\","
        "\"ports\":[{\"port\":80}]}},"
        "{\"metadata\":{\"name\":\"other\",\"namespace\":\"ns2\"},\"spec\":{\"clusterIP\":\"10.96.0.30\","
        "\"ports\":[{\"port\":80}]}}]", 0, NULL);
    char **env = ck_service_env(svcs, "ns1", true);
    const char *want[] = {"KUBERNETES_SERVICE_HOST=10.96.0.1", "KUBERNETES_SERVICE_PORT=443",
                          "KUBERNETES_SERVICE_PORT_HTTPS=443", "KUBERNETES_PORT=tcp://10.96.0.1:443",
                          "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO=tcp",
                          "KUBERNETES_PORT_443_TCP_PORT=443", "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1",
                          "FOO_SERVICE_SERVICE_HOST=10.96.0.20", "FOO_SERVICE_SERVICE_PORT=8765",
                          "FOO_SERVICE_SERVICE_PORT_DNS_UDP=53", "FOO_SERVICE_PORT=tcp://10.96.0.20:8765",
                          "FOO_SERVICE_PORT_8765_TCP=tcp://10.96.0.20:8765", "FOO_SERVICE_PORT_53_UDP=udp://10.96.0.20:53",
                          "FOO_SERVICE_PORT_53_UDP_PROTO=udp", "FOO_SERVICE_PORT_53_UDP_PORT=53",
                          "FOO_SERVICE_PORT_53_UDP_ADDR=10.96.0.20", NULL};
    for (int i = 0; want[i]; i++)
        if (!has(env, want[i])) CU_FAIL(want[i]);
    CU_ASSERT_FALSE(has_prefix(env, "HEADLESS_")); /* no cluster IP */
    CU_ASSERT_FALSE(has_prefix(env, "OTHER_"));    /* another namespace */
    ck_env_free(env);
    /* enableServiceLinks: false keeps only the master service */
    env = ck_service_env(svcs, "ns1", false);
    CU_ASSERT_TRUE(has(env, "KUBERNETES_SERVICE_HOST=10.96.0.1"));
    CU_ASSERT_FALSE(has_prefix(env, "FOO_SERVICE_"));
    ck_env_free(env);
    json_decref(svcs);
}

static void test_expand_argv(void)
{
    char *env[] = {"TEST_VAR=test-value", "B=2", NULL};
    json_t *args = json_pack("[s,s,s]", "echo $(TEST_VAR)", "$(NOPE) $$(B)", "$(B)$(B)");
    char **out = ck_env_expand_argv(args, env);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_STRING_EQUAL(out[0], "echo test-value");
    CU_ASSERT_STRING_EQUAL(out[1], "$(NOPE) $(B)");
    CU_ASSERT_STRING_EQUAL(out[2], "22");
    CU_ASSERT_PTR_NULL(out[3]);
    ck_env_free(out);
    json_decref(args);
    json_t *empty = json_array();
    CU_ASSERT_PTR_NULL(ck_env_expand_argv(empty, env)); /* unset: the image's */
    json_decref(empty);
}

/* A pod exercising the security context, expansion and volumes at once. */
static json_t *feature_pod(void)
{
    return json_loads(
        "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns1\",\"uid\":\"u-feat\",\"labels\":{\"a\":\"b\"}},"
        "\"spec\":{\"securityContext\":{\"runAsUser\":1000,\"runAsGroup\":2000,\"fsGroup\":3000,"
        "\"supplementalGroups\":[4000]},"
        "\"volumes\":[{\"name\":\"info\",\"downwardAPI\":{\"defaultMode\":256,\"items\":["
        "{\"path\":\"labels\",\"fieldRef\":{\"fieldPath\":\"metadata.labels\"}},"
        "{\"path\":\"name\",\"mode\":384,\"fieldRef\":{\"fieldPath\":\"metadata.name\"}},"
        "{\"path\":\"cpu\",\"resourceFieldRef\":{\"containerName\":\"app\",\"resource\":\"limits.cpu\","
        "\"divisor\":\"1m\"}},{\"path\":\"mem\",\"resourceFieldRef\":{\"containerName\":\"app\","
        "\"resource\":\"limits.memory\"}}]}},{\"name\":\"scratch\",\"emptyDir\":{}}],"
        "\"containers\":[{\"name\":\"app\",\"image\":\"busybox\",\"command\":[\"sh\",\"-c\"],"
        "\"args\":[\"echo $(GREETING)\"],\"env\":[{\"name\":\"GREETING\",\"value\":\"hi\"}],"
        "\"resources\":{\"limits\":{\"cpu\":\"1250m\"}},"
        "\"securityContext\":{\"readOnlyRootFilesystem\":true,\"runAsUser\":1001,\"privileged\":false},"
        "\"volumeMounts\":[{\"name\":\"info\",\"mountPath\":\"/etc/info\"},{\"name\":\"scratch\",\"mountPath\":\"/s\"}]}]}}",
        0, NULL);
}

static mode_t mode_of(ck_kubelet *k, ck_pod_worker *w, const char *rel)
{
    char dir[1200], path[1400];
    struct stat st;
    ck_pod_dir(k, w, "volumes", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

static gid_t gid_of(ck_kubelet *k, ck_pod_worker *w, const char *rel)
{
    char dir[1200], path[1400];
    struct stat st;
    ck_pod_dir(k, w, "volumes", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &st) == 0 ? st.st_gid : (gid_t)-1;
}

static char *read_vol(ck_kubelet *k, ck_pod_worker *w, const char *rel)
{
    char dir[1200], path[1400];
    static char buf[256];
    ck_pod_dir(k, w, "volumes", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    return buf;
}

static void test_worker_config(void)
{
    ck_kubelet *k = fake_kubelet_new("features", NULL);
    json_t *p = feature_pod();
    ck_pod_worker *w = ck_pod_worker_new(p);
    CU_ASSERT_EQUAL(ck_pod_worker_sync(k, w, false), 0);
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    json_t *cfg = ck_cri_fake_config(k->rt, "u-feat", "app");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(cfg, "args"), 0)) ?: "", "echo hi"); /* $(VAR) expanded */
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(cfg, "command"), 1)) ?: "", "-c");
    CU_ASSERT_TRUE(json_is_true(json_object_get(cfg, "readOnlyRootFilesystem")));
    CU_ASSERT_EQUAL(ck_json_int(cfg, "runAsUser", -1), 1001); /* the container's wins */
    CU_ASSERT_EQUAL(ck_json_int(cfg, "runAsGroup", -1), 2000);
    json_t *g = json_object_get(cfg, "supplementalGroups");
    CU_ASSERT_EQUAL(json_array_size(g), 2);
    CU_ASSERT_EQUAL(json_integer_value(json_array_get(g, 0)), 3000); /* fsGroup first */
    CU_ASSERT_EQUAL(json_integer_value(json_array_get(g, 1)), 4000);
    size_t i;
    json_t *m;
    int seen = 0;
    json_array_foreach(json_object_get(cfg, "mounts"), i, m) {
        const char *cp = ck_json_str(m, "containerPath", "");
        bool ro = json_is_true(json_object_get(m, "readOnly"));
        if (strcmp(cp, "/etc/info") == 0) { /* API volumes are read-only */
            seen++;
            CU_ASSERT_TRUE(ro);
        }
        if (strcmp(cp, "/s") == 0) {
            seen++;
            CU_ASSERT_FALSE(ro);
        }
    }
    CU_ASSERT_EQUAL(seen, 2);
    json_decref(cfg);
    /* file modes: defaultMode 0400, an item's mode 0600, emptyDir 0777; the
     * pod's fsGroup adds g+r (read-only volume) or g+rw and setgid dirs */
    CU_ASSERT_EQUAL(mode_of(k, w, "info/labels"), 0440);
    CU_ASSERT_EQUAL(mode_of(k, w, "info/name"), 0640);
    CU_ASSERT_EQUAL(mode_of(k, w, "scratch"), 02777);
    if (geteuid() == 0) CU_ASSERT_EQUAL(gid_of(k, w, "info/name"), 3000);
    /* without fsGroup the modes are exactly the ones asked for */
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    json_object_del(ck_json_path(p, "spec.securityContext"), "fsGroup");
    json_object_set_new(json_object_get(p, "metadata"), "uid", json_string("u-feat2"));
    w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_EQUAL(mode_of(k, w, "info/labels"), 0400);
    CU_ASSERT_EQUAL(mode_of(k, w, "info/name"), 0600);
    CU_ASSERT_EQUAL(mode_of(k, w, "scratch"), 0777);
    CU_ASSERT_STRING_EQUAL(read_vol(k, w, "info/cpu"), "1250");
    CU_ASSERT_STRING_EQUAL(read_vol(k, w, "info/mem"), "1073741824"); /* unset limit: node allocatable */
    CU_ASSERT_STRING_EQUAL(read_vol(k, w, "info/labels"), "a=\"b\"\n");
    /* a file the volume no longer projects goes at the next refresh */
    char dir[1200], stale[1400], e[256];
    ck_pod_dir(k, w, "volumes/info", dir, sizeof dir);
    snprintf(stale, sizeof stale, "%s/stale", dir);
    FILE *f = fopen(stale, "w");
    if (f) fclose(f);
    CU_ASSERT_EQUAL(ck_volumes_refresh(k, w, e, sizeof e), 0);
    CU_ASSERT_NOT_EQUAL(access(stale, F_OK), 0);
    CU_ASSERT_STRING_EQUAL(read_vol(k, w, "info/name"), "p");
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    json_decref(p);
    fake_kubelet_free(k);
}

/* verifyRunAsNonRoot: root (unset or 0) is a CreateContainerConfigError. */
static void test_run_as_non_root(void)
{
    ck_kubelet *k = fake_kubelet_new("features", NULL);
    json_t *p = json_loads("{\"metadata\":{\"name\":\"nr\",\"namespace\":\"ns1\",\"uid\":\"u-nr\"},"
                           "\"spec\":{\"securityContext\":{\"runAsNonRoot\":true},"
                           "\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"}]}}", 0, NULL);
    ck_pod_worker *w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_reason, "CreateContainerConfigError");
    CU_ASSERT_STRING_EQUAL(w->ctrs[0].waiting_message,
                           "container has runAsNonRoot and image will run as root (pod: \"nr_ns1(u-nr)\", container: app)");
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Pending");
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    /* runAsUser 0 breaks the policy; 1000 satisfies it */
    json_object_set_new(ck_json_path(p, "spec.securityContext"), "runAsUser", json_integer(0));
    w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_PTR_NOT_NULL(strstr(w->ctrs[0].waiting_message, "container's runAsUser breaks non-root policy"));
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    json_object_set_new(ck_json_path(p, "spec.securityContext"), "runAsUser", json_integer(1000));
    w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running");
    ck_pod_worker_kill(k, w, 0);
    ck_pod_worker_free(w);
    json_decref(p);
    fake_kubelet_free(k);
}

static void test_active_deadline(void)
{
    ck_kubelet *k = fake_kubelet_new("features", NULL);
    json_t *p = json_pack("{s:{s:s,s:s,s:s},s:{s:s,s:[{s:s,s:s}]}}", "metadata", "name", "d", "namespace", "ns1", "uid",
                          "u-dl", "spec", "restartPolicy", "Always", "containers", "name", "app", "image", "busybox");
    ck_pod_worker *w = ck_pod_worker_new(p);
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_FALSE(ck_active_deadline_exceeded(w, time(NULL) + 1000)); /* no deadline */
    /* activeDeadlineSeconds lowered while it runs */
    json_object_set_new(json_object_get(p, "spec"), "activeDeadlineSeconds", json_integer(5));
    ck_pod_worker_update(w, p);
    CU_ASSERT_FALSE(ck_active_deadline_exceeded(w, w->start_time + 4));
    CU_ASSERT_TRUE(ck_active_deadline_exceeded(w, w->start_time + 5));
    ck_pod_worker_sync(k, w, false);
    CU_ASSERT_STRING_EQUAL(ck_pod_phase(w), "Running"); /* not yet */
    w->start_time -= 10; /* 10 s ago */
    ck_pod_worker_sync(k, w, false);
    json_t *st = ck_pod_status_build(w, "10.0.0.1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "phase", ""), "Failed");
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "reason", ""), "DeadlineExceeded");
    CU_ASSERT_STRING_EQUAL(ck_json_str(st, "message", ""), "Pod was active on the node longer than the specified deadline");
    CU_ASSERT_PTR_NOT_NULL(ck_json_path(json_array_get(json_object_get(st, "containerStatuses"), 0), "state.terminated"));
    size_t sb, ct;
    ck_cri_fake_counts(k->rt, &sb, &ct);
    CU_ASSERT_EQUAL(sb, 0); /* killed: the sandbox is gone */
    json_decref(st);
    ck_pod_worker_free(w);
    json_decref(p);
    fake_kubelet_free(k);
}

int main(void)
{
    static const ck_test tests[] = {
        {"managed /etc/hosts with hostAliases and subdomain", test_hosts_file},
        {"service environment variables", test_service_env},
        {"$(VAR) expansion of command and args", test_expand_argv},
        {"security context, expansion, read-only API volumes and file modes", test_worker_config},
        {"runAsNonRoot refuses root", test_run_as_non_root},
        {"activeDeadlineSeconds fails the pod with DeadlineExceeded", test_active_deadline},
        {NULL, NULL},
    };
    return ck_test_main("kubelet pod features", tests, NULL, NULL);
}
