/* pod_data.c: what a pod consumes, checked through its log (upstream's
 * TestContainerOutput): env vars and $(VAR) expansion (expansion.go), the
 * downward API (downwardapi.go, downwardapi_volume.go), ConfigMaps and
 * Secrets as env and volumes, emptyDir modes (empty_dir.go), projected
 * volumes, command/args (containers.go). Rows: pod_data.h. */
#include "cluster.h"
#include "pod_data.h"
#include <string.h>

#define EXPECT(...) ((const char *const[]){__VA_ARGS__, NULL})

static json_t *env_pod(ckc_t *t, const char *script, const char *env_json)
{
    json_t *pod = cl_pod(t, ckc_rand_name(t, "client-"), "Never", script);
    json_object_set(cl_container(pod, 0, 0), "env", ckc_parse(t, "%s", env_json));
    return pod;
}

/* ---- expansion.go ---- */
void cl_t_env_compose(ckc_t *t)
{
    json_t *pod = env_pod(t, "env", "[{\"name\":\"FOO\",\"value\":\"foo-value\"},{\"name\":\"BAR\",\"value\":\"bar-value\"},"
                                    "{\"name\":\"FOOBAR\",\"value\":\"$(FOO);;$(BAR)\"}]");
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("FOO=foo-value", "BAR=bar-value", "FOOBAR=foo-value;;bar-value"));
}

void cl_t_env_command(ckc_t *t)
{
    json_t *pod = env_pod(t, "echo TEST_VAR is now $(TEST_VAR)", "[{\"name\":\"TEST_VAR\",\"value\":\"test-value\"}]");
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("TEST_VAR is now test-value"));
}

void cl_t_env_args(ckc_t *t)
{
    json_t *pod = env_pod(t, NULL, "[{\"name\":\"TEST_VAR\",\"value\":\"test-value\"}]");
    json_t *c = cl_container(pod, 0, 0);
    json_object_set_new(c, "command", json_pack("[s,s]", "sh", "-c"));
    json_object_set_new(c, "args", json_pack("[s]", "echo TEST_VAR is now $(TEST_VAR)"));
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("TEST_VAR is now test-value"));
}

/* ---- downwardapi.go ---- */
#define FIELD(n, p) "{\"name\":\"" n "\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"" p "\"}}}"

/* Runs pod, then checks that its log holds NAME=<value of status/meta path>. */
static void expect_env_field(ckc_t *t, json_t *pod, const char *var, const char *path, const char *const *also)
{
    const char *ns = ckc_ns(t), *name = ckc_str(pod, "metadata.name");
    cl_expect_output(t, ns, pod, NULL, also);
    json_t *p = ckc_fetch(t, "pods", ns, name);
    const char *v = ckc_str(p, path), *log = cl_logs(t, ns, name, NULL);
    CKC_CHECK(t, NULL, v && strstr(log, ckc_fmt(t, "%s=%s\n", var, v)), "the log must hold %s=%s (%s); log: %.400s", var,
              v ? v : "(unset)", path, log);
}

void cl_t_dw_env_pod(ckc_t *t)
{
    json_t *pod = env_pod(t, "env", "[" FIELD("POD_NAME", "metadata.name") "," FIELD("POD_NAMESPACE", "metadata.namespace")
                                    "," FIELD("POD_IP", "status.podIP") "]");
    expect_env_field(t, pod, "POD_IP", "status.podIP",
                     EXPECT(ckc_fmt(t, "POD_NAME=%s", ckc_str(pod, "metadata.name")),
                            ckc_fmt(t, "POD_NAMESPACE=%s", ckc_ns(t))));
}

void cl_t_dw_env_host(ckc_t *t)
{
    json_t *pod = env_pod(t, "env", "[" FIELD("HOST_IP", "status.hostIP") "]");
    expect_env_field(t, pod, "HOST_IP", "status.hostIP", EXPECT("HOST_IP="));
}

void cl_t_dw_env_uid(ckc_t *t)
{
    json_t *pod = env_pod(t, "env", "[" FIELD("POD_UID", "metadata.uid") "]");
    expect_env_field(t, pod, "POD_UID", "metadata.uid", EXPECT("POD_UID="));
}

#define RES(n, r) "{\"name\":\"" n "\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"" r "\"}}}"
void cl_t_dw_env_res(ckc_t *t)
{
    json_t *pod = env_pod(t, "env", "[" RES("CPU_LIMIT", "limits.cpu") "," RES("MEMORY_LIMIT", "limits.memory") ","
                                    RES("CPU_REQUEST", "requests.cpu") "," RES("MEMORY_REQUEST", "requests.memory") "]");
    json_object_set(cl_container(pod, 0, 0), "resources",
                    ckc_parse(t, "{\"requests\":{\"cpu\":\"250m\",\"memory\":\"32Mi\"},"
                                 "\"limits\":{\"cpu\":\"1250m\",\"memory\":\"64Mi\"}}"));
    /* divisor 1: cpu rounds up to whole cores (downwardapi.go) */
    cl_expect_output(t, ckc_ns(t), pod, NULL,
                     EXPECT("CPU_LIMIT=2", "MEMORY_LIMIT=67108864", "CPU_REQUEST=1", "MEMORY_REQUEST=33554432"));
}

/* ---- configmap.go / secrets.go as env ---- */
static void make_cm(ckc_t *t, const char *ns, const char *name)
{
    ckc_create(t, "configmaps", ns, name,
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\"},"
                            "\"data\":{\"data-1\":\"value-1\",\"data-2\":\"value-2\",\"data-3\":\"value-3\"}}", name));
}

static void make_secret(ckc_t *t, const char *ns, const char *name)
{
    /* value-1, value-2, value-3 */
    ckc_create(t, "secrets", ns, name,
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"%s\"},"
                            "\"data\":{\"data-1\":\"dmFsdWUtMQ==\",\"data-2\":\"dmFsdWUtMg==\",\"data-3\":\"dmFsdWUtMw==\"}}",
                            name));
}

void cl_t_cm_env(ckc_t *t)
{
    make_cm(t, ckc_ns(t), "configmap-test");
    json_t *pod = env_pod(t, "env", "[{\"name\":\"CONFIG_DATA_1\",\"valueFrom\":{\"configMapKeyRef\":"
                                    "{\"name\":\"configmap-test\",\"key\":\"data-1\"}}}]");
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("CONFIG_DATA_1=value-1"));
}

static void envfrom(ckc_t *t, const char *ref)
{
    json_t *pod = env_pod(t, "env", "[]");
    json_object_set(cl_container(pod, 0, 0), "envFrom",
                    ckc_parse(t, "[{\"%s\":{\"name\":\"envfrom-test\"}},{\"prefix\":\"p-\",\"%s\":{\"name\":\"envfrom-test\"}}]",
                              ref, ref));
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("data-1=value-1", "data-2=value-2", "data-3=value-3",
                                                     "p-data-1=value-1", "p-data-2=value-2", "p-data-3=value-3"));
}

void cl_t_cm_envfrom(ckc_t *t) { make_cm(t, ckc_ns(t), "envfrom-test"); envfrom(t, "configMapRef"); }

void cl_t_secret_env(ckc_t *t)
{
    make_secret(t, ckc_ns(t), "secret-test");
    json_t *pod = env_pod(t, "env", "[{\"name\":\"SECRET_DATA\",\"valueFrom\":{\"secretKeyRef\":"
                                    "{\"name\":\"secret-test\",\"key\":\"data-1\"}}}]");
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("SECRET_DATA=value-1"));
}

void cl_t_secret_envfrom(ckc_t *t) { make_secret(t, ckc_ns(t), "envfrom-test"); envfrom(t, "secretRef"); }

/* ---- containers.go: busybox has no ENTRYPOINT and CMD ["sh"] ---- */
static void cmd_case(ckc_t *t, const char *command, const char *args, const char *want)
{
    json_t *pod = cl_pod(t, ckc_rand_name(t, "client-containers-"), "Never", NULL);
    json_t *c = cl_container(pod, 0, 0);
    json_object_del(c, "command");
    if (command) json_object_set(c, "command", ckc_parse(t, "%s", command));
    if (args) json_object_set(c, "args", ckc_parse(t, "%s", args));
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT(want));
}
void cl_t_cmd_args(ckc_t *t) { cmd_case(t, NULL, "[\"echo\",\"override\",\"arguments\"]", "override arguments"); }
void cl_t_cmd_entry(ckc_t *t) { cmd_case(t, "[\"echo\",\"override\",\"command\"]", NULL, "override command"); }
void cl_t_cmd_both(ckc_t *t) { cmd_case(t, "[\"echo\"]", "[\"override\",\"all\"]", "override all"); }

/* ---- empty_dir.go ---- */
static json_t *ed_pod(ckc_t *t, const char *script, int tmpfs, int uid)
{
    json_t *pod = cl_pod(t, ckc_rand_name(t, "pod-emptydir-"), "Never", script);
    json_t *vol = tmpfs ? json_pack("{s:s, s:{s:s}}", "name", "test-volume", "emptyDir", "medium", "Memory")
                        : json_pack("{s:s, s:{}}", "name", "test-volume", "emptyDir");
    cl_add_volume(pod, vol, "/test-volume");
    if (uid) json_object_set_new(cl_container(pod, 0, 0), "securityContext", json_pack("{s:i}", "runAsUser", uid));
    return pod;
}

void cl_t_ed_shared(ckc_t *t)
{
    json_t *pod = cl_pod(t, "pod-sharedvolume", "Never",
                         "while [ ! -f /usr/share/volumeshare/shareddata.txt ]; do sleep 1; done; "
                         "cat /usr/share/volumeshare/shareddata.txt");
    json_object_set_new(cl_container(pod, 0, 0), "name", json_string("busybox-main-container"));
    cl_add_volume(pod, json_pack("{s:s, s:{}}", "name", "shared-data", "emptyDir"), "/usr/share/volumeshare");
    json_t *sub = cl_add_container(pod, 0, "busybox-sub-container",
                                   "echo Hello from the busy-box sub-container > /pod-data/shareddata.txt");
    json_object_set_new(sub, "volumeMounts", json_pack("[{s:s, s:s}]", "name", "shared-data", "mountPath", "/pod-data"));
    cl_expect_output(t, ckc_ns(t), pod, "busybox-main-container", EXPECT("Hello from the busy-box sub-container"));
}

void cl_t_ed_mode_default(ckc_t *t)
{
    cl_expect_output(t, ckc_ns(t), ed_pod(t, "ls -ld /test-volume", 0, 0), NULL, EXPECT("drwxrwxrwx"));
}

void cl_t_ed_mode_tmpfs(ckc_t *t)
{
    cl_expect_output(t, ckc_ns(t), ed_pod(t, "grep ' /test-volume ' /proc/mounts; ls -ld /test-volume", 1, 0), NULL,
                     EXPECT("tmpfs", "rwxrwxrwx"));
}

static void ed_mode(ckc_t *t, const char *mode, const char *perms, int tmpfs, int uid)
{
    const char *script = ckc_fmt(t, "echo mount-tester new file > /test-volume/test-file; chmod %s /test-volume/test-file; "
                                    "ls -l /test-volume/test-file; cat /test-volume/test-file%s", mode,
                                 tmpfs ? "; grep ' /test-volume ' /proc/mounts" : "");
    const char *const *want = tmpfs ? EXPECT(perms, "mount-tester new file", "tmpfs") : EXPECT(perms, "mount-tester new file");
    cl_expect_output(t, ckc_ns(t), ed_pod(t, script, tmpfs, uid), NULL, want);
}
void cl_t_ed_root_0644(ckc_t *t) { ed_mode(t, "0644", "-rw-r--r--", 0, 0); }
void cl_t_ed_root_0666(ckc_t *t) { ed_mode(t, "0666", "-rw-rw-rw-", 0, 0); }
void cl_t_ed_root_0777(ckc_t *t) { ed_mode(t, "0777", "-rwxrwxrwx", 0, 0); }
void cl_t_ed_root_0644_tmpfs(ckc_t *t) { ed_mode(t, "0644", "-rw-r--r--", 1, 0); }
void cl_t_ed_nonroot_0644(ckc_t *t) { ed_mode(t, "0644", "-rw-r--r--", 0, 1001); }
void cl_t_ed_nonroot_0777_tmpfs(ckc_t *t) { ed_mode(t, "0777", "-rwxrwxrwx", 1, 1001); }

/* ---- configmap_volume.go / secrets_volume.go ---- */
static json_t *src_vol(ckc_t *t, const char *vol, const char *kind, const char *name, const char *extra)
{
    /* kind "configMap" names its object with "name", "secret" with "secretName" */
    return json_incref(ckc_parse(t, "{\"name\":\"%s\",\"%s\":{\"%s\":\"%s\"%s%s}}", vol, kind,
                                 strcmp(kind, "secret") ? "name" : "secretName", name, extra ? "," : "",
                                 extra ? extra : ""));
}

static void vol_case(ckc_t *t, const char *kind, const char *extra, const char *script, const char *const *want)
{
    const char *ns = ckc_ns(t);
    if (!strcmp(kind, "secret")) make_secret(t, ns, "volume-test");
    else make_cm(t, ns, "volume-test");
    json_t *pod = cl_pod(t, ckc_rand_name(t, "pod-volumes-"), "Never", script);
    cl_add_volume(pod, src_vol(t, "vol-1", kind, "volume-test", extra), "/etc/vol-1");
    if (strstr(script, "/etc/vol-2")) cl_add_volume(pod, src_vol(t, "vol-2", kind, "volume-test", NULL), "/etc/vol-2");
    cl_expect_output(t, ns, pod, NULL, want);
}

#define MAP_ITEMS "\"items\":[{\"key\":\"data-2\",\"path\":\"path/to/data-2\"}]"
void cl_t_cmv_basic(ckc_t *t) { vol_case(t, "configMap", NULL, "cat /etc/vol-1/data-1", EXPECT("value-1")); }
void cl_t_cmv_mappings(ckc_t *t)
{
    vol_case(t, "configMap", MAP_ITEMS, "cat /etc/vol-1/path/to/data-2; ls /etc/vol-1", EXPECT("value-2", "path"));
}
void cl_t_cmv_mode(ckc_t *t)
{
    vol_case(t, "configMap", "\"defaultMode\":256", "ls -lL /etc/vol-1/data-1", EXPECT("-r--------"));
}
void cl_t_cmv_multi(ckc_t *t)
{
    vol_case(t, "configMap", NULL, "cat /etc/vol-1/data-1 /etc/vol-2/data-1", EXPECT("value-1value-1"));
}
void cl_t_sv_basic(ckc_t *t) { vol_case(t, "secret", NULL, "cat /etc/vol-1/data-1", EXPECT("value-1")); }
void cl_t_sv_mappings(ckc_t *t)
{
    vol_case(t, "secret", MAP_ITEMS, "cat /etc/vol-1/path/to/data-2", EXPECT("value-2"));
}
void cl_t_sv_mode(ckc_t *t) { vol_case(t, "secret", "\"defaultMode\":256", "ls -lL /etc/vol-1/data-1", EXPECT("-r--------")); }
void cl_t_sv_multi(ckc_t *t)
{
    vol_case(t, "secret", NULL, "cat /etc/vol-1/data-1 /etc/vol-2/data-1", EXPECT("value-1value-1"));
}

void cl_t_sv_other_ns(ckc_t *t)
{
    const char *other = ckc_new_ns(t);
    ckc_create(t, "secrets", other, "volume-test",
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"volume-test\"},"
                            "\"data\":{\"data-1\":\"b3RoZXItbmFtZXNwYWNl\"}}")); /* other-namespace */
    vol_case(t, "secret", NULL, "cat /etc/vol-1/data-1", EXPECT("value-1"));
}

/* Updates reach the volume within the kubelet's sync period (upstream allows minutes). */
void cl_t_cmv_update(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    make_cm(t, ns, "configmap-test-upd");
    json_t *pod = cl_pod(t, "pod-configmaps-upd", "Always", "while true; do cat /etc/vol-1/data-1; echo; sleep 1; done");
    cl_add_volume(pod, src_vol(t, "vol-1", "configMap", "configmap-test-upd", NULL), "/etc/vol-1");
    cl_create_pod(t, ns, pod);
    cl_wait_log(t, ns, "pod-configmaps-upd", NULL, "value-1", 90);
    ckc_resp *r = ckc_patch(t, ckc_item(t, "configmaps", ns, "configmap-test-upd"), CKC_MERGE_PATCH,
                            "{\"data\":{\"data-1\":\"value-2\"}}");
    CKC_CODE(t, r, 200);
    cl_wait_log(t, ns, "pod-configmaps-upd", NULL, "value-2", 150);
}

/* ---- downwardapi_volume.go ---- */
static json_t *dw_vol(ckc_t *t, const char *items)
{
    return json_incref(ckc_parse(t, "{\"name\":\"podinfo\",\"downwardAPI\":{\"items\":%s}}", items));
}

void cl_t_dwv_podname(ckc_t *t)
{
    json_t *pod = cl_pod(t, "downwardapi-volume-podname", "Never", "cat /etc/podinfo/podname");
    cl_add_volume(pod, dw_vol(t, "[{\"path\":\"podname\",\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}]"), "/etc/podinfo");
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("downwardapi-volume-podname"));
}

static void dwv_update(ckc_t *t, const char *field, const char *patch, const char *want_before, const char *want_after)
{
    const char *ns = ckc_ns(t), *name = ckc_fmt(t, "dwv-%s", field);
    json_t *pod = cl_pod(t, name, "Always", "while true; do cat /etc/podinfo/info; echo; sleep 1; done");
    json_t *meta = json_object_get(pod, "metadata");
    json_object_set_new(meta, field, json_pack("{s:s, s:s}", "key1", "value1", "key2", "value2"));
    cl_add_volume(pod, dw_vol(t, ckc_fmt(t, "[{\"path\":\"info\",\"fieldRef\":{\"fieldPath\":\"metadata.%s\"}}]", field)),
                  "/etc/podinfo");
    cl_create_pod(t, ns, pod);
    cl_wait_log(t, ns, name, NULL, want_before, 90);
    CKC_CODE(t, ckc_patch(t, ckc_item(t, "pods", ns, name), CKC_MERGE_PATCH, patch), 200);
    cl_wait_log(t, ns, name, NULL, want_after, 150);
}

void cl_t_dwv_labels(ckc_t *t)
{
    dwv_update(t, "labels", "{\"metadata\":{\"labels\":{\"key3\":\"value3\"}}}", "key1=\"value1\"", "key3=\"value3\"");
}

void cl_t_dwv_annotations(ckc_t *t)
{
    dwv_update(t, "annotations", "{\"metadata\":{\"annotations\":{\"builder\":\"foo\"}}}", "key1=\"value1\"",
               "builder=\"foo\"");
}

void cl_t_dwv_cpu_limit(ckc_t *t)
{
    json_t *pod = cl_pod(t, "downwardapi-volume-cpu", "Never", "cat /etc/podinfo/cpu_limit");
    json_object_set(cl_container(pod, 0, 0), "resources", ckc_parse(t, "{\"limits\":{\"cpu\":\"1250m\",\"memory\":\"64Mi\"}}"));
    cl_add_volume(pod, dw_vol(t, "[{\"path\":\"cpu_limit\",\"resourceFieldRef\":{\"containerName\":\"c\","
                                 "\"resource\":\"limits.cpu\",\"divisor\":\"1m\"}}]"), "/etc/podinfo");
    cl_expect_output(t, ckc_ns(t), pod, NULL, EXPECT("1250"));
}

/* ---- projected_combined.go ---- */
void cl_t_projected(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    make_cm(t, ns, "configmap-projected-all-test-volume");
    make_secret(t, ns, "secret-projected-all-test-volume");
    json_t *pod = cl_pod(t, "projected-volume", "Never",
                         "cat /all/podname; echo; cat /all/cm-data-1; echo; cat /all/secret-data-1");
    cl_add_volume(pod, json_incref(ckc_parse(t,
        "{\"name\":\"podinfo\",\"projected\":{\"sources\":["
        "{\"downwardAPI\":{\"items\":[{\"path\":\"podname\",\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}]}},"
        "{\"configMap\":{\"name\":\"configmap-projected-all-test-volume\",\"items\":[{\"key\":\"data-1\",\"path\":\"cm-data-1\"}]}},"
        "{\"secret\":{\"name\":\"secret-projected-all-test-volume\",\"items\":[{\"key\":\"data-1\",\"path\":\"secret-data-1\"}]}}]}}")),
        "/all");
    cl_expect_output(t, ns, pod, NULL, EXPECT("projected-volume", "value-1"));
}
