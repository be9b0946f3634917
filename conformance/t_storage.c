/* t_storage.c: volume tests that are sequences rather than one pod's output:
 * optional ConfigMap/Secret sources that appear, change and vanish
 * (configmap_volume.go, secrets_volume.go, projected_*.go), subPathExpr
 * expansion (node/expansion.go) and the emptyDir wrapper (empty_dir_wrapper.go). */
#include "cluster.h"
#include <stdlib.h>
#include <string.h>

#define NC " [NodeConformance] [Conformance]"

/* ---- optional updates: one pod, three optional volumes of one source kind ----
 * "delete" exists and is deleted, "update" loses data-1 and gains data-3,
 * "create" appears later; the container prints each file every second. */
typedef struct opt_kind { const char *resource, *kind, *key, *v1, *v3; int projected; } opt_kind;
static const opt_kind opt_cm = {"configmaps", "ConfigMap", "data", "value-1", "value-3", 0};
static const opt_kind opt_sec = {"secrets", "Secret", "data", "dmFsdWUtMQ==", "dmFsdWUtMw==", 0};
static const opt_kind opt_pcm = {"configmaps", "ConfigMap", "data", "value-1", "value-3", 1};
static const opt_kind opt_psec = {"secrets", "Secret", "data", "dmFsdWUtMQ==", "dmFsdWUtMw==", 1};

static json_t *opt_obj(ckc_t *t, const opt_kind *k, const char *name, const char *key, const char *value)
{
    return ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\"},\"%s\":{\"%s\":\"%s\"}}", k->kind,
                     name, k->key, key, value);
}

static json_t *opt_volume(ckc_t *t, const opt_kind *k, const char *vol, const char *name)
{
    int secret = !strcmp(k->kind, "Secret");
    if (k->projected)
        return json_incref(ckc_parse(t, "{\"name\":\"%s\",\"projected\":{\"sources\":[{\"%s\":{\"name\":\"%s\",\"optional\":true}}]}}",
                                     vol, secret ? "secret" : "configMap", name));
    return json_incref(ckc_parse(t, "{\"name\":\"%s\",\"%s\":{\"%s\":\"%s\",\"optional\":true}}", vol,
                                 secret ? "secret" : "configMap", secret ? "secretName" : "name", name));
}

static void optional_updates(ckc_t *t, const opt_kind *k)
{
    const char *ns = ckc_ns(t), *pod_name = "pod-opt";
    ckc_create(t, k->resource, ns, "opt-del", opt_obj(t, k, "opt-del", "data-1", k->v1));
    ckc_create(t, k->resource, ns, "opt-upd", opt_obj(t, k, "opt-upd", "data-1", k->v1));
    json_t *pod = cl_pod(t, pod_name, "Never",
                         "while true; do for f in delete/data-1 update/data-3 create/data-1; do "
                         "echo \"$f=$(cat /etc/opt/$f 2>/dev/null || echo missing)\"; done; sleep 1; done");
    cl_add_volume(pod, opt_volume(t, k, "delete", "opt-del"), "/etc/opt/delete");
    cl_add_volume(pod, opt_volume(t, k, "update", "opt-upd"), "/etc/opt/update");
    cl_add_volume(pod, opt_volume(t, k, "create", "opt-create"), "/etc/opt/create");
    cl_create_pod(t, ns, pod);
    cl_wait_log(t, ns, pod_name, NULL, "delete/data-1=value-1", 90);
    cl_wait_log(t, ns, pod_name, NULL, "create/data-1=missing", 30);
    CKC_CODE(t, ckc_delete(t, ckc_item(t, k->resource, ns, "opt-del"), NULL), 200);
    ckc_resp *r = ckc_put(t, ckc_item(t, k->resource, ns, "opt-upd"), opt_obj(t, k, "opt-upd", "data-3", k->v3));
    CKC_CODE(t, r, 200);
    ckc_create(t, k->resource, ns, "opt-create", opt_obj(t, k, "opt-create", "data-1", k->v1));
    /* upstream waits up to the pod-start timeout plus the kubelet's sync period */
    cl_wait_log(t, ns, pod_name, NULL, "update/data-3=value-3", 150);
    cl_wait_log(t, ns, pod_name, NULL, "create/data-1=value-1", 150);
    cl_wait_log(t, ns, pod_name, NULL, "delete/data-1=missing", 150);
}

static void t_cm_optional(ckc_t *t) { optional_updates(t, &opt_cm); }
static void t_secret_optional(ckc_t *t) { optional_updates(t, &opt_sec); }
static void t_pcm_optional(ckc_t *t) { optional_updates(t, &opt_pcm); }
static void t_psec_optional(ckc_t *t) { optional_updates(t, &opt_psec); }

/* projected_configmap.go "updates should be reflected in volume" */
static void t_pcm_update(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "configmaps", ns, "pcm-upd", opt_obj(t, &opt_cm, "pcm-upd", "data-1", "value-1"));
    json_t *pod = cl_pod(t, "pod-pcm-upd", "Never", "while true; do echo \"data-1=$(cat /etc/p/data-1)\"; sleep 1; done");
    cl_add_volume(pod, json_incref(ckc_parse(t, "{\"name\":\"p\",\"projected\":{\"sources\":[{\"configMap\":{\"name\":\"pcm-upd\"}}]}}")),
                  "/etc/p");
    cl_create_pod(t, ns, pod);
    cl_wait_log(t, ns, "pod-pcm-upd", NULL, "data-1=value-1", 90);
    CKC_CODE(t, ckc_put(t, ckc_item(t, "configmaps", ns, "pcm-upd"), opt_obj(t, &opt_cm, "pcm-upd", "data-1", "value-2")), 200);
    cl_wait_log(t, ns, "pod-pcm-upd", NULL, "data-1=value-2", 150);
}

/* ---- expansion.go: subPathExpr ---- */
static json_t *expansion_pod(ckc_t *t, const char *script, const char *env, const char *mounts)
{
    json_t *pod = cl_pod(t, ckc_rand_name(t, "var-expansion-"), "Never", script);
    json_t *c = cl_container(pod, 0, 0);
    json_object_set_new(c, "name", json_string("dapi-container"));
    json_object_set(c, "env", ckc_parse(t, "%s", env));
    json_object_set(c, "volumeMounts", ckc_parse(t, "%s", mounts));
    json_object_set_new(json_object_get(pod, "spec"), "volumes",
                        json_pack("[{s:s, s:{}}]", "name", "workdir1", "emptyDir"));
    return pod;
}

static int pred_config_error(json_t *pod, void *unused)
{
    (void)unused;
    json_t *st = json_array_get(ckc_at(pod, "status.containerStatuses"), 0);
    return cl_same(ckc_str(st, "state.waiting.reason"), "CreateContainerConfigError");
}

/* The container either waits with CreateContainerConfigError or (wrongly) started. */
static int pred_config_error_or_started(json_t *pod, void *unused)
{
    json_t *st = json_array_get(ckc_at(pod, "status.containerStatuses"), 0);
    return pred_config_error(pod, unused) || json_object_get(json_object_get(st, "state"), "running") ||
           json_object_get(json_object_get(st, "state"), "terminated");
}

static void expect_config_error(ckc_t *t, const char *ns, const char *name)
{
    json_t *p = cl_wait_pod(t, ns, name, pred_config_error_or_started, NULL, 120,
                            "its container must wait with reason CreateContainerConfigError");
    CKC_CHECK(t, NULL, pred_config_error(p, NULL), "the container must not start (CreateContainerConfigError); state: %s",
              (char *)ckc_own(t, json_dumps(ckc_at(json_array_get(ckc_at(p, "status.containerStatuses"), 0), "state"),
                                            JSON_COMPACT), free));
}

#define POD_NAME_ENV(v) "[{\"name\":\"POD_NAME\",\"value\":\"" v "\"}]"
#define LOGS_MOUNT "[{\"name\":\"workdir1\",\"mountPath\":\"/logscontainer\",\"subPathExpr\":\"$(POD_NAME)\"}]"

static void t_subpath_expand(ckc_t *t)
{
    json_t *pod = expansion_pod(t, NULL, "[]", "[{\"name\":\"workdir1\",\"mountPath\":\"/logscontainer\",\"subPathExpr\":\"$(POD_NAME)\"},"
                                               "{\"name\":\"workdir1\",\"mountPath\":\"/testcontainer\"}]");
    const char *name = ckc_str(pod, "metadata.name");
    json_t *c = cl_container(pod, 0, 0);
    json_object_set_new(c, "env", json_pack("[{s:s, s:s}]", "name", "POD_NAME", "value", name));
    json_object_set_new(c, "command", json_pack("[s,s,s]", "sh", "-c", ckc_fmt(t, "test -d /testcontainer/%s;echo $?", name)));
    cl_expect_output(t, ckc_ns(t), pod, "dapi-container", (const char *const[]){"0", NULL});
    CKC_CHECK(t, NULL, !strcmp(cl_logs(t, ckc_ns(t), name, NULL), "0\n"), "the subpath directory must exist (test -d prints 0)");
}

/* testPodFailSubpath: the container never starts, waiting with reason CreateContainerConfigError. */
static void fail_subpath(ckc_t *t, const char *value)
{
    json_t *pod = expansion_pod(t, NULL, ckc_fmt(t, POD_NAME_ENV("%s"), value), LOGS_MOUNT);
    const char *ns = ckc_ns(t), *name = ckc_str(pod, "metadata.name");
    cl_create_pod(t, ns, pod);
    expect_config_error(t, ns, name);
}
static void t_subpath_backticks(ckc_t *t) { fail_subpath(t, ".."); }
static void t_subpath_absolute(ckc_t *t) { fail_subpath(t, "/tmp"); }

#define ANNOT_ENV "[{\"name\":\"POD_NAME\",\"value\":\"foo\"},{\"name\":\"ANNOTATION\",\"valueFrom\":{\"fieldRef\":" \
    "{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.annotations['mysubpath']\"}}}]"
#define ANNOT_MOUNTS "[{\"name\":\"workdir1\",\"mountPath\":\"/subpath_mount\",\"subPathExpr\":\"$(ANNOTATION)/$(POD_NAME)\"}," \
    "{\"name\":\"workdir1\",\"mountPath\":\"/volume_mount\"}]"

static void set_annotation(ckc_t *t, json_t *obj, void *value)
{
    json_t *meta = json_object_get(obj, "metadata"), *a = json_object_get(meta, "annotations");
    if (!json_is_object(a)) { a = json_object(); json_object_set_new(meta, "annotations", a); }
    json_object_set_new(a, "mysubpath", json_string(value));
}

static void delete_gracefully(ckc_t *t, const char *ns, const char *name)
{
    const char *path = ckc_item(t, "pods", ns, name);
    ckc_resp *r = ckc_delete(t, path, NULL);
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "DELETE %s must be accepted", path);
    ckc_wait_gone(t, path, 120);
}

/* Writes through the whole-volume mount must appear in the subpath mount
 * (upstream does it with exec; the container does it here and reports). */
static void t_subpath_write(ckc_t *t)
{
    json_t *pod = expansion_pod(t, "touch /volume_mount/mypath/foo/test.log && test -f /subpath_mount/test.log && echo wrote-ok; "
                                   "exec sleep 3600", ANNOT_ENV, ANNOT_MOUNTS);
    const char *ns = ckc_ns(t), *name = ckc_str(pod, "metadata.name");
    json_object_set_new(json_object_get(pod, "metadata"), "annotations", json_pack("{s:s}", "mysubpath", "mypath"));
    cl_create_pod(t, ns, pod);
    cl_wait_running(t, ns, name);
    cl_wait_log(t, ns, name, NULL, "wrote-ok", 30);
    CKC_CODE(t, ckc_update(t, ckc_item(t, "pods", ns, name), set_annotation, "mynewpath"), 200);
    ckc_sleep_ms(3000);
    json_t *p = cl_wait_running(t, ns, name);
    CKC_CHECK(t, NULL, json_integer_value(ckc_at(cl_container_status(p, 0, "dapi-container"), "restartCount")) == 0,
              "changing the annotation must not restart the container");
    delete_gracefully(t, ns, name);
}

static void t_subpath_lifecycle(ckc_t *t)
{
    json_t *pod = expansion_pod(t, "tail -f /dev/null", ANNOT_ENV, ANNOT_MOUNTS);
    const char *ns = ckc_ns(t), *name = ckc_str(pod, "metadata.name");
    json_object_set_new(json_object_get(pod, "metadata"), "annotations", json_pack("{s:s}", "notmysubpath", "mypath"));
    cl_create_pod(t, ns, pod);
    /* "$(ANNOTATION)/foo" expands to the absolute "/foo": the container cannot start */
    expect_config_error(t, ns, name);
    CKC_CODE(t, ckc_update(t, ckc_item(t, "pods", ns, name), set_annotation, "mypath"), 200);
    cl_wait_running(t, ns, name);
    delete_gracefully(t, ns, name);
}

/* ---- empty_dir_wrapper.go ---- */
static void t_wrapper_no_conflict(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    ckc_create(t, "secrets", ns, "secret-wrapper",
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"secret-wrapper\"},"
                            "\"data\":{\"data-1\":\"dmFsdWUtMQ==\"}}"));
    ckc_create(t, "configmaps", ns, "configmap-wrapper",
               ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"configmap-wrapper\"},"
                            "\"data\":{\"data-1\":\"value-1\"}}"));
    /* the newline ends the log line: CRI runtimes log a line once it is complete */
    json_t *pod = cl_pod(t, "pod-secrets-wrapper", "Never",
                         "cat /etc/secret-volume/data-1 /etc/configmap-volume/data-1; echo; exec sleep 3600");
    cl_add_volume(pod, json_pack("{s:s, s:{s:s}}", "name", "secret-volume", "secret", "secretName", "secret-wrapper"),
                  "/etc/secret-volume");
    cl_add_volume(pod, json_pack("{s:s, s:{s:s}}", "name", "configmap-volume", "configMap", "name", "configmap-wrapper"),
                  "/etc/configmap-volume");
    cl_create_pod(t, ns, pod);
    cl_wait_running(t, ns, "pod-secrets-wrapper");
    cl_wait_log(t, ns, "pod-secrets-wrapper", NULL, "value-1value-1", 30);
    delete_gracefully(t, ns, "pod-secrets-wrapper");
}

/* Upstream: 50 ConfigMaps, an RC of 5 pods that each mount all of them, 3
 * rounds; here one round (the race is in setting up the 250 mounts). */
#define RACE_CMS 50
#define RACE_PODS 5
static void t_wrapper_race(ckc_t *t)
{
    const char *ns = ckc_ns(t);
    json_t *vols = ckc_ownj(t, json_array()), *mounts = ckc_ownj(t, json_array());
    for (int i = 0; i < RACE_CMS; i++) {
        const char *n = ckc_fmt(t, "racey-configmap-%d", i);
        ckc_create(t, "configmaps", ns, n,
                   ckc_parse(t, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\"},"
                                "\"data\":{\"data-1\":\"value-1\"}}", n));
        json_array_append_new(vols, json_pack("{s:s, s:{s:s, s:[{s:s, s:s}]}}", "name", ckc_fmt(t, "racey-configmap-%d", i),
                                              "configMap", "name", n, "items", "key", "data-1", "path", "data-1"));
        json_array_append_new(mounts, json_pack("{s:s, s:s}", "name", n, "mountPath", ckc_fmt(t, "/etc/config-%d", i)));
    }
    json_t *tmpl = cl_pod(t, "racey", "Always", NULL);
    json_t *spec = json_object_get(tmpl, "spec");
    json_object_set(spec, "volumes", vols);
    json_object_set(cl_container(tmpl, 0, 0), "volumeMounts", mounts);
    json_object_set_new(json_object_get(tmpl, "metadata"), "labels", json_pack("{s:s}", "name", "wrapped-volume-race"));
    json_object_del(json_object_get(tmpl, "metadata"), "name");
    json_t *rc = ckc_ownj(t, json_pack("{s:s, s:s, s:{s:s}, s:{s:i, s:{s:s}, s:O}}", "apiVersion", "v1", "kind",
                                       "ReplicationController", "metadata", "name", "wrapped-volume-race", "spec", "replicas",
                                       RACE_PODS, "selector", "name", "wrapped-volume-race", "template", tmpl));
    json_object_del(json_object_get(json_object_get(rc, "spec"), "template"), "apiVersion");
    json_object_del(json_object_get(json_object_get(rc, "spec"), "template"), "kind");
    ckc_create(t, "replicationcontrollers", ns, "wrapped-volume-race", rc);
    cl_wait_pod_count(t, ns, "name=wrapped-volume-race", RACE_PODS, 1, 300);
    ckc_resp *r = ckc_delete(t, ckc_item(t, "replicationcontrollers", ns, "wrapped-volume-race"),
                             ckc_parse(t, "{\"propagationPolicy\":\"Foreground\"}"));
    CKC_CHECK(t, r, r->code == 200 || r->code == 202, "deleting the RC must be accepted");
}

#define SS "[sig-storage] "
#define NODE "[sig-node] "
#define ROW(id, title, code, req, fn) {"cluster." id, title, CKC_PROFILE_CLUSTER, code, NULL, req, fn},
const ckc_test ckc_tests_storage[] = {
    ROW("configmap-volume.optional-updates", "optional ConfigMap volumes follow deletion, update and creation",
        SS "ConfigMap optional updates should be reflected in volume" NC, "v1/pods v1/configmaps", t_cm_optional)
    ROW("secret-volume.optional-updates", "optional Secret volumes follow deletion, update and creation",
        SS "Secrets optional updates should be reflected in volume" NC, "v1/pods v1/secrets", t_secret_optional)
    ROW("projected-configmap.optional-updates", "optional projected ConfigMaps follow deletion, update and creation",
        SS "Projected configMap optional updates should be reflected in volume" NC, "v1/pods v1/configmaps", t_pcm_optional)
    ROW("projected-secret.optional-updates", "optional projected Secrets follow deletion, update and creation",
        SS "Projected secret optional updates should be reflected in volume" NC, "v1/pods v1/secrets", t_psec_optional)
    ROW("projected-configmap.update", "ConfigMap changes reach a projected volume",
        SS "Projected configMap updates should be reflected in volume" NC, "v1/pods v1/configmaps", t_pcm_update)
    ROW("env.subpath-expr", "subPathExpr expands $(VAR) into a subdirectory of the volume",
        NODE "Variable Expansion should allow substituting values in a volume subpath [Conformance]", "v1/pods", t_subpath_expand)
    ROW("env.subpath-backticks", "a subPathExpr expanding to .. fails with CreateContainerConfigError",
        NODE "Variable Expansion should fail substituting values in a volume subpath with backticks [Conformance]", "v1/pods",
        t_subpath_backticks)
    ROW("env.subpath-absolute", "a subPathExpr expanding to an absolute path fails with CreateContainerConfigError",
        NODE "Variable Expansion should fail substituting values in a volume subpath with absolute path [Conformance]", "v1/pods",
        t_subpath_absolute)
    ROW("env.subpath-write", "files written through the volume appear in the subPathExpr mount",
        NODE "Variable Expansion should succeed in writing subpaths in container [Conformance]", "v1/pods", t_subpath_write)
    ROW("env.subpath-lifecycle", "a failing subPathExpr starts once the annotation it reads is set",
        NODE "Variable Expansion should verify that a failing subpath expansion can be modified during the lifecycle of a container [Slow] [Conformance]",
        "v1/pods", t_subpath_lifecycle)
    ROW("emptydir-wrapper.no-conflict", "a Secret and a ConfigMap volume in one pod do not conflict",
        SS "EmptyDir wrapper volumes should not conflict [Conformance]", "v1/pods v1/secrets v1/configmaps", t_wrapper_no_conflict)
    ROW("emptydir-wrapper.race", "5 pods each mounting 50 ConfigMaps all start",
        SS "EmptyDir wrapper volumes should not cause race condition when used for configmaps [Serial] [Conformance]",
        "v1/pods v1/configmaps v1/replicationcontrollers", t_wrapper_race)
    {0},
};
