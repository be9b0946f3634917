/* pod_data.c: what a pod consumes, checked through its log (upstream's
 * TestContainerOutput): env vars and $(VAR) expansion (expansion.go), the
 * downward API (downwardapi.go, downwardapi_volume.go), ConfigMaps and
 * Secrets as env and volumes, emptyDir modes (empty_dir.go), projected
 * volumes, command/args (containers.go). Rows: pod_data.h. */
#include "cluster.h"
#include "pod_data.h"
#include <stdlib.h>
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
    /* `env` itself, not `sh -c env`: busybox 1.35's sh drops variables whose
     * names are not shell identifiers (data-1) before running a child, and
     * what is under test is the kubelet's environment, not the shell's. */
    json_object_set_new(cl_container(pod, 0, 0), "command", json_pack("[s]", "env"));
    json_object_del(cl_container(pod, 0, 0), "args");
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

/* Neither command nor args: the image's own CMD runs (busybox: "sh", which
 * exits 0 at the end of its empty stdin); upstream checks the pod runs its
 * image's entrypoint. The spec must stay without command/args. */
void cl_t_cmd_defaults(ckc_t *t)
{
    const char *ns = ckc_ns(t), *name = ckc_rand_name(t, "client-containers-");
    json_t *pod = cl_pod(t, name, "Never", NULL);
    json_object_del(cl_container(pod, 0, 0), "command");
    cl_create_pod(t, ns, pod);
    json_t *p = cl_wait_pod(t, ns, name, cl_pred_done, NULL, 120, "must finish (Succeeded or Failed)");
    json_t *c = cl_container(p, 0, 0), *st = cl_container_status(p, 0, "c");
    CKC_CHECK(t, NULL, !json_object_get(c, "command") && !json_object_get(c, "args"),
              "the server must not default command or args");
    CKC_CHECK(t, NULL, cl_pred_phase(p, "Succeeded") && json_integer_value(ckc_at(st, "state.terminated.exitCode")) == 0,
              "the image's default command must run and exit 0; status: %.400s",
              (char *)ckc_own(t, json_dumps(json_object_get(p, "status"), JSON_COMPACT), free));
}

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
void cl_t_ed_nonroot_0644_tmpfs(ckc_t *t) { ed_mode(t, "0644", "-rw-r--r--", 1, 1001); }
void cl_t_ed_nonroot_0666(ckc_t *t) { ed_mode(t, "0666", "-rw-rw-rw-", 0, 1001); }
void cl_t_ed_nonroot_0666_tmpfs(ckc_t *t) { ed_mode(t, "0666", "-rw-rw-rw-", 1, 1001); }
void cl_t_ed_nonroot_0777(ckc_t *t) { ed_mode(t, "0777", "-rwxrwxrwx", 0, 1001); }
void cl_t_ed_root_0666_tmpfs(ckc_t *t) { ed_mode(t, "0666", "-rw-rw-rw-", 1, 0); }
void cl_t_ed_root_0777_tmpfs(ckc_t *t) { ed_mode(t, "0777", "-rwxrwxrwx", 1, 0); }

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

static void dwv_update(ckc_t *t, const char *field, const char *patch, const char *want_before, const char *want_after,
                       int projected)
{
    const char *ns = ckc_ns(t), *name = ckc_fmt(t, "dwv-%s", field);
    json_t *pod = cl_pod(t, name, "Always", "while true; do cat /etc/podinfo/info; echo; sleep 1; done");
    json_t *meta = json_object_get(pod, "metadata");
    json_object_set_new(meta, field, json_pack("{s:s, s:s}", "key1", "value1", "key2", "value2"));
    const char *items = ckc_fmt(t, "[{\"path\":\"info\",\"fieldRef\":{\"fieldPath\":\"metadata.%s\"}}]", field);
    cl_add_volume(pod, projected ? json_incref(ckc_parse(t, "{\"name\":\"podinfo\",\"projected\":{\"sources\":"
                                                            "[{\"downwardAPI\":{\"items\":%s}}]}}", items))
                                 : dw_vol(t, items),
                  "/etc/podinfo");
    cl_create_pod(t, ns, pod);
    cl_wait_log(t, ns, name, NULL, want_before, 90);
    CKC_CODE(t, ckc_patch(t, ckc_item(t, "pods", ns, name), CKC_MERGE_PATCH, patch), 200);
    cl_wait_log(t, ns, name, NULL, want_after, 150);
}

void cl_t_dwv_labels(ckc_t *t)
{
    dwv_update(t, "labels", "{\"metadata\":{\"labels\":{\"key3\":\"value3\"}}}", "key1=\"value1\"", "key3=\"value3\"", 0);
}

void cl_t_pdw_labels(ckc_t *t)
{
    dwv_update(t, "labels", "{\"metadata\":{\"labels\":{\"key3\":\"value3\"}}}", "key1=\"value1\"", "key3=\"value3\"", 1);
}

void cl_t_dwv_annotations(ckc_t *t)
{
    dwv_update(t, "annotations", "{\"metadata\":{\"annotations\":{\"builder\":\"foo\"}}}", "key1=\"value1\"",
               "builder=\"foo\"", 0);
}

void cl_t_pdw_annotations(ckc_t *t)
{
    dwv_update(t, "annotations", "{\"metadata\":{\"annotations\":{\"builder\":\"foo\"}}}", "key1=\"value1\"",
               "builder=\"foo\"", 1);
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

/* ---- volume cases as data ----
 * The ConfigMap, Secret, downward API, projected and subPath volume tests
 * (configmap_volume.go, secrets_volume.go, downwardapi_volume.go,
 * projected_*.go, storage/subpath.go) differ only in the objects they
 * create, the pod's volumes and security context, the script and the
 * expected output: one row each, run by cl_t_vol_case. JSON is written with
 * single quotes (sq() turns them into double quotes). */
enum { AL_NONE = 0, AL_CPU_MILLI, AL_CPU_CORES, AL_MEM_BYTES };
typedef struct vol_row {
    const char *id;        /* the row id without "cluster." */
    const char *objects;   /* JSON array of ConfigMaps/Secrets to create first, or NULL */
    const char *volumes;   /* JSON array of spec.volumes */
    const char *mounts;    /* JSON array of container 0's volumeMounts */
    const char *pod_sc;    /* pod securityContext JSON, or NULL */
    const char *resources; /* container resources JSON, or NULL */
    const char *script;
    const char *expect[4]; /* substrings of the log, NULL-terminated */
    int alloc;             /* AL_*: the log must also hold alloc_fmt of the node's allocatable */
    const char *alloc_fmt; /* printf format with one %lld */
} vol_row;

#define CM_OBJ "{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'cm-vol'},'data':{'data-1':'value-1','data-2':'value-2','data-3':'value-3'}}"
#define SEC_OBJ "{'kind':'Secret','apiVersion':'v1','metadata':{'name':'secret-vol'},'data':{'data-1':'dmFsdWUtMQ==','data-2':'dmFsdWUtMg==','data-3':'dmFsdWUtMw=='}}"
#define NONROOT "{'runAsUser':1000}"
/* secrets_volume.go: defaultMode 0440, fsGroup 1001, runAsUser 1000 */
#define NONROOT_FSG "{'runAsUser':1000,'fsGroup':1001}"
#define MNT(path) "[{'name':'v1','mountPath':'" path "'}]"
#define MNT2(path) "[{'name':'v1','mountPath':'" path "'},{'name':'v2','mountPath':'" path "-2'}]"
#define ITEM2(mode) "'items':[{'key':'data-2','path':'path/to/data-2'" mode "}]"
#define CMV(extra) "[{'name':'v1','configMap':{'name':'cm-vol'" extra "}}]"
#define SV(extra) "[{'name':'v1','secret':{'secretName':'secret-vol'" extra "}}]"
#define PCM(extra, vextra) "'projected':{'sources':[{'configMap':{'name':'cm-vol'" extra "}}]" vextra "}"
#define PSEC(extra, vextra) "'projected':{'sources':[{'secret':{'name':'secret-vol'" extra "}}]" vextra "}"
#define V1(src) "[{'name':'v1'," src "}]"
#define V12(src) "[{'name':'v1'," src "},{'name':'v2'," src "}]"
/* A downward API file "f" from a resourceFieldRef of container "c". */
#define RF(res, div) "[{'path':'f','resourceFieldRef':{'containerName':'c','resource':'" res "'" div "}}]"
#define DWV(items, extra) "[{'name':'v1','downwardAPI':{'items':" items extra "}}]"
#define PDW(items, extra) "[{'name':'v1','projected':{'sources':[{'downwardAPI':{'items':" items "}}]" extra "}}]"
#define PODNAME(mode) "[{'path':'podname','fieldRef':{'fieldPath':'metadata.name'}" mode "}]"
#define M1K "'divisor':'1m'"
#define REQ_CPU "{'requests':{'cpu':'250m'}}"
#define LIM_CPU "{'limits':{'cpu':'1250m'}}"
#define LIM_MEM "{'limits':{'memory':'64Mi'}}"
#define REQ_MEM "{'requests':{'memory':'32Mi'}}"
#define CAT_MODE(f) "cat " f "; echo; stat -Lc 'mode=%A uid=%u gid=%g' " f "; echo uid=$(id -u)"
#define SUBPATH_OBJS "[{'kind':'Secret','apiVersion':'v1','metadata':{'name':'my-secret'},'data':{'secret-key':'c2VjcmV0LXZhbHVl'}}," \
    "{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'my-configmap'},'data':{'configmap-key':'configmap-value'}}]"
#define SUBMNT(sub) "[{'name':'v1','mountPath':'/test-volume','subPath':'" sub "'}]"
#define E(...) {__VA_ARGS__, NULL}

static const vol_row vol_cases[] = {
    /* configmap_volume.go */
    {"configmap-volume.non-root", "[" CM_OBJ "]", CMV(""), MNT("/etc/configmap-volume"), NONROOT, NULL,
     CAT_MODE("/etc/configmap-volume/data-1"), E("value-1", "mode=-rw-r--r--", "uid=1000"), 0, NULL},
    {"configmap-volume.mappings-item-mode", "[" CM_OBJ "]", CMV("," ITEM2(",'mode':256")), MNT("/etc/configmap-volume"), NULL,
     NULL, CAT_MODE("/etc/configmap-volume/path/to/data-2"), E("value-2", "mode=-r--------"), 0, NULL},
    {"configmap-volume.mappings-non-root", "[" CM_OBJ "]", CMV("," ITEM2("")), MNT("/etc/configmap-volume"), NONROOT, NULL,
     CAT_MODE("/etc/configmap-volume/path/to/data-2"), E("value-2", "mode=-rw-r--r--", "uid=1000"), 0, NULL},
    {"configmap-volume.binary", "[{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'cm-vol'},'data':{'data-1':'value-1'},"
     "'binaryData':{'dump.bin':'3sr+utD+/w=='}}]", CMV(""), MNT("/etc/configmap-volume"), NULL, NULL,
     "cat /etc/configmap-volume/data-1; echo; od -An -tx1 /etc/configmap-volume/dump.bin", E("value-1", "de ca fe ba d0 fe ff"), 0,
     NULL},
    /* secrets_volume.go */
    {"secret-volume.non-root-fsgroup", "[" SEC_OBJ "]", SV(",'defaultMode':288"), MNT("/etc/secret-volume"), NONROOT_FSG, NULL,
     CAT_MODE("/etc/secret-volume/data-1"), E("value-1", "mode=-r--r-----", "gid=1001"), 0, NULL},
    {"secret-volume.mappings-item-mode", "[" SEC_OBJ "]", SV("," ITEM2(",'mode':256")), MNT("/etc/secret-volume"), NULL, NULL,
     CAT_MODE("/etc/secret-volume/path/to/data-2"), E("value-2", "mode=-r--------"), 0, NULL},
    /* downwardapi_volume.go */
    {"downward-volume.cpu-request", NULL, DWV(RF("requests.cpu", "," M1K), ""), MNT("/etc/podinfo"), NULL, REQ_CPU,
     "cat /etc/podinfo/f", E("250"), 0, NULL},
    {"downward-volume.memory-limit", NULL, DWV(RF("limits.memory", ""), ""), MNT("/etc/podinfo"), NULL, LIM_MEM,
     "cat /etc/podinfo/f", E("67108864"), 0, NULL},
    {"downward-volume.memory-request", NULL, DWV(RF("requests.memory", ""), ""), MNT("/etc/podinfo"), NULL, REQ_MEM,
     "cat /etc/podinfo/f", E("33554432"), 0, NULL},
    {"downward-volume.default-cpu-limit", NULL, DWV(RF("limits.cpu", "," M1K), ""), MNT("/etc/podinfo"), NULL, NULL,
     "echo f=$(cat /etc/podinfo/f)", E("f="), AL_CPU_MILLI, "f=%lld\n"},
    {"downward-volume.default-memory-limit", NULL, DWV(RF("limits.memory", ""), ""), MNT("/etc/podinfo"), NULL, NULL,
     "echo f=$(cat /etc/podinfo/f)", E("f="), AL_MEM_BYTES, "f=%lld\n"},
    {"downward-volume.default-mode", NULL, DWV(PODNAME(""), ",'defaultMode':256"), MNT("/etc/podinfo"), NULL, NULL,
     CAT_MODE("/etc/podinfo/podname"), E("vol-pod", "mode=-r--------"), 0, NULL},
    {"downward-volume.item-mode", NULL, DWV(PODNAME(",'mode':256"), ""), MNT("/etc/podinfo"), NULL, NULL,
     CAT_MODE("/etc/podinfo/podname"), E("vol-pod", "mode=-r--------"), 0, NULL},
    /* projected_configmap.go */
    {"projected-configmap.basic", "[" CM_OBJ "]", V1(PCM("", "")), MNT("/etc/projected"), NULL, NULL,
     CAT_MODE("/etc/projected/data-1"), E("value-1", "mode=-rw-r--r--"), 0, NULL},
    {"projected-configmap.non-root", "[" CM_OBJ "]", V1(PCM("", "")), MNT("/etc/projected"), NONROOT, NULL,
     CAT_MODE("/etc/projected/data-1"), E("value-1", "mode=-rw-r--r--", "uid=1000"), 0, NULL},
    {"projected-configmap.default-mode", "[" CM_OBJ "]", V1(PCM("", ",'defaultMode':256")), MNT("/etc/projected"), NULL, NULL,
     CAT_MODE("/etc/projected/data-1"), E("value-1", "mode=-r--------"), 0, NULL},
    {"projected-configmap.mappings", "[" CM_OBJ "]", V1(PCM("," ITEM2(""), "")), MNT("/etc/projected"), NULL, NULL,
     CAT_MODE("/etc/projected/path/to/data-2"), E("value-2", "mode=-rw-r--r--"), 0, NULL},
    {"projected-configmap.mappings-item-mode", "[" CM_OBJ "]", V1(PCM("," ITEM2(",'mode':256"), "")), MNT("/etc/projected"), NULL,
     NULL, CAT_MODE("/etc/projected/path/to/data-2"), E("value-2", "mode=-r--------"), 0, NULL},
    {"projected-configmap.mappings-non-root", "[" CM_OBJ "]", V1(PCM("," ITEM2(""), "")), MNT("/etc/projected"), NONROOT, NULL,
     CAT_MODE("/etc/projected/path/to/data-2"), E("value-2", "uid=1000"), 0, NULL},
    {"projected-configmap.multiple", "[" CM_OBJ "]", V12(PCM("", "")), MNT2("/etc/projected"), NULL, NULL,
     "cat /etc/projected/data-1 /etc/projected-2/data-1", E("value-1value-1"), 0, NULL},
    /* projected_secret.go */
    {"projected-secret.basic", "[" SEC_OBJ "]", V1(PSEC("", "")), MNT("/etc/projected"), NULL, NULL,
     CAT_MODE("/etc/projected/data-1"), E("value-1", "mode=-rw-r--r--"), 0, NULL},
    {"projected-secret.non-root-fsgroup", "[" SEC_OBJ "]", V1(PSEC("", ",'defaultMode':288")), MNT("/etc/projected"), NONROOT_FSG,
     NULL, CAT_MODE("/etc/projected/data-1"), E("value-1", "mode=-r--r-----", "gid=1001"), 0, NULL},
    {"projected-secret.default-mode", "[" SEC_OBJ "]", V1(PSEC("", ",'defaultMode':256")), MNT("/etc/projected"), NULL, NULL,
     CAT_MODE("/etc/projected/data-1"), E("value-1", "mode=-r--------"), 0, NULL},
    {"projected-secret.mappings", "[" SEC_OBJ "]", V1(PSEC("," ITEM2(""), "")), MNT("/etc/projected"), NULL, NULL,
     CAT_MODE("/etc/projected/path/to/data-2"), E("value-2"), 0, NULL},
    {"projected-secret.mappings-item-mode", "[" SEC_OBJ "]", V1(PSEC("," ITEM2(",'mode':256"), "")), MNT("/etc/projected"), NULL,
     NULL, CAT_MODE("/etc/projected/path/to/data-2"), E("value-2", "mode=-r--------"), 0, NULL},
    {"projected-secret.multiple", "[" SEC_OBJ "]", V12(PSEC("", "")), MNT2("/etc/projected"), NULL, NULL,
     "cat /etc/projected/data-1 /etc/projected-2/data-1", E("value-1value-1"), 0, NULL},
    /* projected_downwardapi.go */
    {"projected-downward.podname", NULL, PDW(PODNAME(""), ""), MNT("/etc/podinfo"), NULL, NULL, "cat /etc/podinfo/podname",
     E("vol-pod"), 0, NULL},
    {"projected-downward.cpu-limit", NULL, PDW(RF("limits.cpu", "," M1K), ""), MNT("/etc/podinfo"), NULL, LIM_CPU,
     "cat /etc/podinfo/f", E("1250"), 0, NULL},
    {"projected-downward.cpu-request", NULL, PDW(RF("requests.cpu", "," M1K), ""), MNT("/etc/podinfo"), NULL, REQ_CPU,
     "cat /etc/podinfo/f", E("250"), 0, NULL},
    {"projected-downward.memory-limit", NULL, PDW(RF("limits.memory", ""), ""), MNT("/etc/podinfo"), NULL, LIM_MEM,
     "cat /etc/podinfo/f", E("67108864"), 0, NULL},
    {"projected-downward.memory-request", NULL, PDW(RF("requests.memory", ""), ""), MNT("/etc/podinfo"), NULL, REQ_MEM,
     "cat /etc/podinfo/f", E("33554432"), 0, NULL},
    {"projected-downward.default-cpu-limit", NULL, PDW(RF("limits.cpu", "," M1K), ""), MNT("/etc/podinfo"), NULL, NULL,
     "echo f=$(cat /etc/podinfo/f)", E("f="), AL_CPU_MILLI, "f=%lld\n"},
    {"projected-downward.default-memory-limit", NULL, PDW(RF("limits.memory", ""), ""), MNT("/etc/podinfo"), NULL, NULL,
     "echo f=$(cat /etc/podinfo/f)", E("f="), AL_MEM_BYTES, "f=%lld\n"},
    {"projected-downward.default-mode", NULL, PDW(PODNAME(""), ",'defaultMode':256"), MNT("/etc/podinfo"), NULL, NULL,
     CAT_MODE("/etc/podinfo/podname"), E("vol-pod", "mode=-r--------"), 0, NULL},
    {"projected-downward.item-mode", NULL, PDW(PODNAME(",'mode':256"), ""), MNT("/etc/podinfo"), NULL, NULL,
     CAT_MODE("/etc/podinfo/podname"), E("vol-pod", "mode=-r--------"), 0, NULL},
    /* storage/subpath.go: Atomic writer volumes */
    {"subpath.secret", SUBPATH_OBJS, "[{'name':'v1','secret':{'secretName':'my-secret'}}]", SUBMNT("secret-key"), NULL, NULL,
     "cat /test-volume", E("secret-value"), 0, NULL},
    {"subpath.configmap", SUBPATH_OBJS, "[{'name':'v1','configMap':{'name':'my-configmap'}}]", SUBMNT("configmap-key"), NULL, NULL,
     "cat /test-volume", E("configmap-value"), 0, NULL},
    {"subpath.configmap-file", SUBPATH_OBJS, "[{'name':'v1','configMap':{'name':'my-configmap'}}]",
     "[{'name':'v1','mountPath':'/etc/resolv.conf','subPath':'configmap-key'}]", NULL, NULL, "cat /etc/resolv.conf",
     E("configmap-value"), 0, NULL},
    {"subpath.downward", NULL, "[{'name':'v1','downwardAPI':{'items':[{'path':'downward/podname','fieldRef':{'fieldPath':'metadata.name'}}]}}]",
     SUBMNT("downward/podname"), NULL, NULL, "cat /test-volume", E("vol-pod"), 0, NULL},
    {"subpath.projected", SUBPATH_OBJS, "[{'name':'v1','projected':{'sources':[{'configMap':{'name':'my-configmap',"
     "'items':[{'key':'configmap-key','path':'projected/configmap-key'}]}}]}}]", SUBMNT("projected/configmap-key"), NULL, NULL,
     "cat /test-volume", E("configmap-value"), 0, NULL},
    /* downwardapi.go (env): limits default to the node's allocatable */
    {"env.downward-default-limits", NULL, "[]", "[]", NULL, NULL, "echo CPU_LIMIT=$CPU_LIMIT; echo MEMORY_LIMIT=$MEMORY_LIMIT",
     E("CPU_LIMIT=", "MEMORY_LIMIT="), AL_CPU_CORES, "CPU_LIMIT=%lld\n"},
    {0},
};

/* Parses JSON written with single quotes. Owned by t. */
static json_t *sq(ckc_t *t, const char *s)
{
    char *d = ckc_fmt(t, "%s", s);
    for (char *p = d; *p; p++)
        if (*p == '\'') *p = '"';
    return ckc_parse(t, "%s", d);
}

/* A resource.Quantity of cpu (in millicores) or memory (in bytes); -1 when
 * it cannot be read. Allocatable uses plain, "m" and binary/decimal SI suffixes. */
static long long quantity(const char *q, int cpu)
{
    if (!q) return -1;
    char *end;
    double v = strtod(q, &end);
    static const struct { const char *sfx; double mul; } sfx[] = {
        {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"Ki", 1024.0}, {"Mi", 1048576.0},
        {"Gi", 1073741824.0}, {"Ti", 1099511627776.0}, {"", 1}};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++)
        if (!strcmp(end, sfx[i].sfx)) {
            double x = v * sfx[i].mul * (cpu ? 1000 : 1);
            return (long long)(x + 0.5);
        }
    return -1;
}

/* The node allocatable value a defaulted limit resolves to (kubelet's
 * defaultLimits in pkg/kubelet/kubelet_resources.go). */
static long long node_allocatable(ckc_t *t, json_t *pod, int kind)
{
    const char *node = ckc_str(pod, "spec.nodeName");
    CKC_CHECK(t, NULL, node != NULL, "the pod must be bound to a node");
    json_t *n = ckc_ownj(t, json_incref(ckc_at(ckc_get(t, ckc_fmt(t, "/api/v1/nodes/%s", node))->json, "status.allocatable")));
    long long v = quantity(ckc_str(n, kind == AL_MEM_BYTES ? "memory" : "cpu"), kind != AL_MEM_BYTES);
    CKC_CHECK(t, NULL, v > 0, "node %s must report allocatable %s", node, kind == AL_MEM_BYTES ? "memory" : "cpu");
    return kind == AL_CPU_CORES ? (v + 999) / 1000 : v; /* divisor 1 rounds cpu up to whole cores */
}

static void create_objects(ckc_t *t, const char *ns, const char *objects)
{
    if (!objects) return;
    json_t *objs = sq(t, objects), *o;
    size_t i;
    json_array_foreach(objs, i, o) {
        const char *kind = ckc_str(o, "kind");
        ckc_create(t, !strcmp(kind, "Secret") ? "secrets" : "configmaps", ns, ckc_str(o, "metadata.name"), o);
    }
}

void cl_t_vol_case(ckc_t *t)
{
    const char *id = t->test->id + strlen("cluster.");
    const vol_row *c = vol_cases;
    while (c->id && strcmp(c->id, id)) c++;
    if (!c->id) CKC_FAIL(t, "no volume case for %s", id);
    const char *ns = ckc_ns(t);
    create_objects(t, ns, c->objects);
    json_t *pod = cl_pod(t, "vol-pod", "Never", c->script), *ctr = cl_container(pod, 0, 0);
    json_object_set(json_object_get(pod, "spec"), "volumes", sq(t, c->volumes));
    json_object_set(ctr, "volumeMounts", sq(t, c->mounts));
    if (c->pod_sc) json_object_set(json_object_get(pod, "spec"), "securityContext", sq(t, c->pod_sc));
    if (c->resources) json_object_set(ctr, "resources", sq(t, c->resources));
    if (!strncmp(id, "env.", 4))
        json_object_set(ctr, "env", sq(t, "[{'name':'CPU_LIMIT','valueFrom':{'resourceFieldRef':{'resource':'limits.cpu'}}},"
                                         "{'name':'MEMORY_LIMIT','valueFrom':{'resourceFieldRef':{'resource':'limits.memory'}}}]"));
    cl_expect_output(t, ns, pod, NULL, c->expect);
    /* the env case checks both limits, the volume cases one file */
    for (int k = 0; k < 2 && c->alloc; k++) {
        int kind = k ? AL_MEM_BYTES : c->alloc;
        const char *fmt = k ? "MEMORY_LIMIT=%lld\n" : c->alloc_fmt;
        if (k && strncmp(id, "env.", 4)) break;
        json_t *p = ckc_fetch(t, "pods", ns, "vol-pod");
        const char *want = ckc_fmt(t, fmt, node_allocatable(t, p, kind)), *log = cl_logs(t, ns, "vol-pod", NULL);
        CKC_CHECK(t, NULL, strstr(log, want) != NULL, "the log must hold %.*s (the node's allocatable); log: %.300s",
                  (int)strlen(want) - 1, want, log);
    }
}
