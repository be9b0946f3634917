/* test_podspec.c: Pod and PodSpec defaulting (pkg/apis/core/v1/defaults.go),
 * validation messages and paths (pkg/apis/core/validation), pod update
 * rules (ValidatePodUpdate), and printPod's cells; plus the pod fixtures. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api/schemas/schemas.h"
#include "fixture_runner.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *o = json_loads(text, 0, &e);
    if (!o) fprintf(stderr, "bad test JSON: %s at %d\n", e.text, e.position);
    return o;
}

#define MINIMAL_POD "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}," \
                    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"

static void test_pod_defaults(void)
{
    json_t *pod = load(MINIMAL_POD);
    ck_defaults_pod(pod);
    CU_ASSERT_STRING_EQUAL(ck_json_str(pod, "spec.restartPolicy", ""), "Always");
    CU_ASSERT_STRING_EQUAL(ck_json_str(pod, "spec.dnsPolicy", ""), "ClusterFirst");
    CU_ASSERT_STRING_EQUAL(ck_json_str(pod, "spec.schedulerName", ""), "default-scheduler");
    CU_ASSERT_EQUAL(ck_json_int(pod, "spec.terminationGracePeriodSeconds", -1), 30);
    CU_ASSERT_TRUE(json_is_object(ck_json_path(pod, "spec.securityContext")));
    CU_ASSERT_EQUAL(json_object_size(ck_json_path(pod, "spec.securityContext")), 0);
    CU_ASSERT_TRUE(json_is_true(ck_json_path(pod, "spec.enableServiceLinks")));
    /* priority and preemptionPolicy are the Priority admission plugin's, not defaults */
    CU_ASSERT_PTR_NULL(ck_json_path(pod, "spec.priority"));
    CU_ASSERT_PTR_NULL(ck_json_path(pod, "spec.preemptionPolicy"));
    json_t *c = json_array_get(ck_json_path(pod, "spec.containers"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "imagePullPolicy", ""), "Always");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "terminationMessagePath", ""), "/dev/termination-log");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "terminationMessagePolicy", ""), "File");
    /* defaulting is idempotent and the result validates */
    json_t *again = json_deep_copy(pod);
    ck_defaults_pod(again);
    CU_ASSERT_TRUE(json_equal(pod, again));
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_pod(pod, NULL, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 0);
    if (ck_errs_count(&errs)) fx_dump("minimal pod", &errs);
    ck_errs_free(&errs);
    json_decref(again);
    json_decref(pod);
}

static void test_pull_policy(void)
{
    static const struct { const char *image, *want; } cases[] = {
        {"nginx", "Always"}, {"nginx:latest", "Always"}, {"nginx:1.25", "IfNotPresent"},
        {"localhost:5000/app", "Always"}, {"localhost:5000/app:v1", "IfNotPresent"},
        {"registry.k8s.io/pause@sha256:abcd", "IfNotPresent"}, {NULL, NULL}};
    for (int i = 0; cases[i].image; i++) {
        json_t *spec = json_pack("{s:[{s:s,s:s}]}", "containers", "name", "c", "image", cases[i].image);
        ck_defaults_pod_spec(spec);
        const char *got = ck_json_str(json_array_get(json_object_get(spec, "containers"), 0), "imagePullPolicy", "");
        CU_ASSERT_STRING_EQUAL(got, cases[i].want);
        if (strcmp(got, cases[i].want)) fprintf(stderr, "%s: got %s\n", cases[i].image, got);
        json_decref(spec);
    }
    /* an explicit policy is kept */
    json_t *spec = json_pack("{s:[{s:s,s:s,s:s}]}", "containers", "name", "c", "image", "nginx",
                             "imagePullPolicy", "Never");
    ck_defaults_pod_spec(spec);
    CU_ASSERT_STRING_EQUAL(ck_json_str(json_array_get(json_object_get(spec, "containers"), 0),
                                       "imagePullPolicy", ""), "Never");
    json_decref(spec);
}

static void test_nested_defaults(void)
{
    json_t *pod = load("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"hostNetwork\":true,"
                       "\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1\","
                       "\"ports\":[{\"containerPort\":8080}],"
                       "\"readinessProbe\":{\"httpGet\":{\"port\":8080}},"
                       "\"env\":[{\"name\":\"N\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}],"
                       "\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"100m\"}}}],"
                       "\"volumes\":[{\"name\":\"a\"},{\"name\":\"b\",\"configMap\":{\"name\":\"cm\"}},"
                       "{\"name\":\"t\",\"projected\":{\"sources\":[{\"serviceAccountToken\":{\"path\":\"tok\"}}]}}]}}");
    ck_defaults_pod(pod);
    json_t *c = json_array_get(ck_json_path(pod, "spec.containers"), 0);
    json_t *port = json_array_get(json_object_get(c, "ports"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(port, "protocol", ""), "TCP");
    CU_ASSERT_EQUAL(ck_json_int(port, "hostPort", 0), 8080);
    CU_ASSERT_EQUAL(ck_json_int(c, "readinessProbe.timeoutSeconds", 0), 1);
    CU_ASSERT_EQUAL(ck_json_int(c, "readinessProbe.periodSeconds", 0), 10);
    CU_ASSERT_EQUAL(ck_json_int(c, "readinessProbe.successThreshold", 0), 1);
    CU_ASSERT_EQUAL(ck_json_int(c, "readinessProbe.failureThreshold", 0), 3);
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "readinessProbe.httpGet.path", ""), "/");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "readinessProbe.httpGet.scheme", ""), "HTTP");
    CU_ASSERT_PTR_NULL(ck_json_path(c, "livenessProbe"));
    json_t *env = json_array_get(json_object_get(c, "env"), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(env, "valueFrom.fieldRef.apiVersion", ""), "v1");
    /* SetDefaults_Pod: missing requests copied from limits, given ones kept */
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.requests.cpu", ""), "100m");
    CU_ASSERT_STRING_EQUAL(ck_json_str(c, "resources.requests.memory", ""), "1Gi");
    json_t *vols = ck_json_path(pod, "spec.volumes");
    CU_ASSERT_TRUE(json_is_object(json_object_get(json_array_get(vols, 0), "emptyDir")));
    CU_ASSERT_EQUAL(ck_json_int(json_array_get(vols, 1), "configMap.defaultMode", 0), 420);
    json_t *src = json_array_get(ck_json_path(json_array_get(vols, 2), "projected.sources"), 0);
    CU_ASSERT_EQUAL(ck_json_int(src, "serviceAccountToken.expirationSeconds", 0), 3600);
    CU_ASSERT_EQUAL(ck_json_int(json_array_get(vols, 2), "projected.defaultMode", 0), 420);
    json_decref(pod);
}

/* Invalid pods (after defaulting) and one upstream error each must contain. */
static const struct vcase {
    const char *spec, *field, *message;
} vcases[] = {
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"containerPort\":80,\"hostPort\":81}]}],\"hostNetwork\":true}",
     "spec.containers[0].ports[0].hostPort", "Invalid value: 81: must match `containerPort` when `hostNetwork` is true"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"},{\"containerPort\":81,\"name\":\"http\"}]}]}",
     "spec.containers[0].ports[1].name", "Duplicate value: \"http\""},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"containerPort\":80,\"name\":\"Http_Port\"}]}]}",
     "spec.containers[0].ports[0].name", "Invalid value: \"Http_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"},
    {"{\"initContainers\":[{\"name\":\"c\",\"image\":\"i\",\"livenessProbe\":{\"exec\":{\"command\":[\"true\"]}}}],\"containers\":[{\"name\":\"d\",\"image\":\"i\"}]}",
     "spec.initContainers[0].livenessProbe", "Forbidden: may not be set for init containers without restartPolicy=Always"},
    {"{\"initContainers\":[{\"name\":\"c\",\"image\":\"i\"}],\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}",
     "spec.containers[0].name", "Duplicate value: \"c\""},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"A\",\"value\":\"x\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}]}]}",
     "spec.containers[0].env[0].valueFrom", "Invalid value: \"\": may not be specified when `value` is not empty"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"A=B\"}]}]}",
     "spec.containers[0].env[0].name", "Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"env\":[{\"name\":\"A\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"spec.foo\"}}}]}]}",
     "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath",
     "Unsupported value: \"spec.foo\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", "
     "\"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"volumeMounts\":[{\"name\":\"v\",\"mountPath\":\"/a\"},{\"name\":\"v\",\"mountPath\":\"/a\"}]}],\"volumes\":[{\"name\":\"v\",\"emptyDir\":{}}]}",
     "spec.containers[0].volumeMounts[1].mountPath", "Invalid value: \"/a\": must be unique"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"readinessProbe\":{}}]}",
     "spec.containers[0].readinessProbe", "Required value: must specify a handler type"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"readinessProbe\":{\"tcpSocket\":{\"port\":80},\"periodSeconds\":-1}}]}",
     "spec.containers[0].readinessProbe.periodSeconds", "Invalid value: -1: must be greater than or equal to 0"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"volumes\":[{\"name\":\"v\",\"emptyDir\":{},\"hostPath\":{\"path\":\"/x\"}}]}",
     "spec.volumes[0].emptyDir", "Forbidden: may not specify more than 1 volume type"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"volumes\":[{\"name\":\"v\",\"secret\":{}}]}",
     "spec.volumes[0].secret.secretName", "Required value"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"activeDeadlineSeconds\":0}",
     "spec.activeDeadlineSeconds", "Invalid value: 0: must be between 1 and 2147483647, inclusive"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"dnsPolicy\":\"None\"}",
     "spec.dnsConfig", "Required value: must provide `dnsConfig` when `dnsPolicy` is None"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"dnsPolicy\":\"Cluster\"}",
     "spec.dnsPolicy", "Unsupported value: \"Cluster\": supported values: \"ClusterFirst\", \"ClusterFirstWithHostNet\", \"Default\", \"None\""},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"imagePullPolicy\":\"Sometimes\"}]}",
     "spec.containers[0].imagePullPolicy", "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"tolerations\":[{\"key\":\"k\",\"operator\":\"Equal\",\"value\":\"v\",\"effect\":\"NoSchedule\",\"tolerationSeconds\":5}]}",
     "spec.tolerations[0].effect", "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"topologySpreadConstraints\":[{\"maxSkew\":0,\"topologyKey\":\"zone\",\"whenUnsatisfiable\":\"DoNotSchedule\"}]}",
     "spec.topologySpreadConstraints[0].maxSkew", "Invalid value: 0: must be greater than zero"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"resources\":{\"limits\":{\"memory\":\"1Gi\"},\"requests\":{\"memory\":\"2Gi\"}}}]}",
     "spec.containers[0].resources.requests[memory]", "Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"restartPolicy\":\"Always\"}]}",
     "spec.containers[0].restartPolicy", "Forbidden: may not be set for non-init containers"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"ephemeralContainers\":[{\"name\":\"e\",\"image\":\"busybox\"}]}",
     "spec.ephemeralContainers", "Forbidden: cannot be set on create"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"securityContext\":{\"sysctls\":[{\"name\":\"foo-\",\"value\":\"bar\"}]}}",
     "spec.securityContext.sysctls[0].name",
     "Invalid value: \"foo-\": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"securityContext\":{\"sysctls\":[{\"name\":\"\",\"value\":\"1\"}]}}",
     "spec.securityContext.sysctls[0].name", "Required value"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.shm_rmid_forced\",\"value\":\"1\"},{\"name\":\"kernel.shm_rmid_forced\",\"value\":\"0\"}]}}",
     "spec.securityContext.sysctls[1].name", "Duplicate value: \"kernel.shm_rmid_forced\""},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"hostNetwork\":true,\"securityContext\":{\"sysctls\":[{\"name\":\"net.ipv4.tcp_syncookies\",\"value\":\"1\"}]}}",
     "spec.securityContext.sysctls[0].name", "Invalid value: \"net.ipv4.tcp_syncookies\": may not be specified when 'hostNetwork' is true"},
    {"{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"hostIPC\":true,\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.shm_rmid_forced\",\"value\":\"1\"}]}}",
     "spec.securityContext.sysctls[0].name", "Invalid value: \"kernel.shm_rmid_forced\": may not be specified when 'hostIPC' is true"},
    {NULL, NULL, NULL}};

static void test_validation_table(void)
{
    for (const struct vcase *v = vcases; v->spec; v++) {
        json_t *spec = load(v->spec);
        json_t *pod = json_pack("{s:s,s:s,s:{s:s},s:o}", "apiVersion", "v1", "kind", "Pod",
                                "metadata", "name", "p", "spec", spec);
        ck_defaults_pod(pod);
        ck_errs errs = CK_ERRS_INIT;
        ck_validate_pod(pod, NULL, &errs);
        bool ok = fx_has(&errs, v->field, v->message);
        CU_ASSERT_TRUE(ok);
        if (!ok) {
            fprintf(stderr, "want %s: %s\n", v->field, v->message);
            fx_dump("got", &errs);
        }
        ck_errs_free(&errs);
        json_decref(pod);
    }
}

/* sysctl.go "should reject invalid sysctls": only the two malformed names
 * are errors; valid names (safe or not: the kubelet judges those) pass. */
static void test_sysctl_names(void)
{
    json_t *pod = load("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{"
                       "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"securityContext\":{\"sysctls\":["
                       "{\"name\":\"foo-\",\"value\":\"bar\"},{\"name\":\"kernel.shmmax\",\"value\":\"1\"},"
                       "{\"name\":\"safe-and-unsafe\",\"value\":\"1\"},{\"name\":\"bar..\",\"value\":\"42\"},"
                       "{\"name\":\"net/ipv4/conf/eth0.100/forwarding\",\"value\":\"1\"}]}}}");
    ck_defaults_pod(pod);
    ck_errs errs = CK_ERRS_INIT;
    ck_validate_pod(pod, NULL, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 2);
    CU_ASSERT_TRUE(fx_has(&errs, "spec.securityContext.sysctls[3].name", "Invalid value: \"bar..\": must have at most 253 characters and match regex "
                                   "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"));
    ck_errs_free(&errs);
    /* 254 characters is one too many */
    char longname[256];
    memset(longname, 'a', 254);
    longname[254] = 0;
    json_object_set_new(json_array_get(ck_json_path(pod, "spec.securityContext.sysctls"), 1), "name", json_string(longname));
    ck_validate_pod(pod, NULL, &errs);
    CU_ASSERT_EQUAL(ck_errs_count(&errs), 3);
    ck_errs_free(&errs);
    json_decref(pod);
}

static void test_fixtures(void)
{
    fx_kind kinds[] = {
        {"Pod", {.root = &ck_schema_pod, .defaults = ck_defaults_pod, .validate = ck_validate_pod}},
        {NULL, {0}}};
    static const char *const prefixes[] = {"pod", NULL};
    int failures = 0;
    int files = fx_run_all(prefixes, kinds, &failures);
    CU_ASSERT_TRUE(files >= 10);
    CU_ASSERT_EQUAL(failures, 0);
}

#define UPDATE_BASE "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{" \
    "\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}]}]," \
    "\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\"}],\"activeDeadlineSeconds\":100}}"

/* Applies `edit` (a JSON merge of spec fields) and returns the update errors. */
static size_t update_errs(void (*edit)(json_t *spec), ck_errs *errs)
{
    json_t *old = load(UPDATE_BASE), *nw = load(UPDATE_BASE);
    ck_defaults_pod(old);
    ck_defaults_pod(nw);
    edit(json_object_get(nw, "spec"));
    ck_validate_pod(nw, old, errs);
    json_decref(old);
    json_decref(nw);
    return ck_errs_count(errs);
}

static json_t *first_container(json_t *spec) { return json_array_get(json_object_get(spec, "containers"), 0); }
static void edit_image(json_t *s) { json_object_set_new(first_container(s), "image", json_string("nginx:2")); }
static void edit_env(json_t *s) { json_object_set_new(first_container(s), "env", json_array()); }
static void edit_add_toleration(json_t *s)
{
    json_array_append_new(json_object_get(s, "tolerations"), json_pack("{s:s,s:s}", "key", "x", "operator", "Exists"));
}
static void edit_drop_toleration(json_t *s) { json_object_set_new(s, "tolerations", json_array()); }
static void edit_lower_deadline(json_t *s) { json_object_set_new(s, "activeDeadlineSeconds", json_integer(50)); }
static void edit_raise_deadline(json_t *s) { json_object_set_new(s, "activeDeadlineSeconds", json_integer(500)); }
static void edit_node(json_t *s) { json_object_set_new(s, "nodeName", json_string("n2")); }

static void test_pod_update(void)
{
    static const char prefix[] = "Forbidden: pod updates may not change fields other than "
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n";
    ck_errs e = CK_ERRS_INIT;
    CU_ASSERT_EQUAL(update_errs(edit_image, &e), 0);
    ck_errs_free(&e);
    CU_ASSERT_EQUAL(update_errs(edit_add_toleration, &e), 0);
    ck_errs_free(&e);
    CU_ASSERT_EQUAL(update_errs(edit_lower_deadline, &e), 0);
    ck_errs_free(&e);
    void (*forbidden[])(json_t *) = {edit_env, edit_node, NULL};
    for (int i = 0; forbidden[i]; i++) {
        CU_ASSERT_EQUAL(update_errs(forbidden[i], &e), 1);
        const json_t *c = json_array_get(e.items, 0);
        CU_ASSERT_STRING_EQUAL(ck_json_str(c, "field", ""), "spec");
        CU_ASSERT_EQUAL(strncmp(ck_json_str(c, "message", ""), prefix, sizeof prefix - 1), 0);
        CU_ASSERT_STRING_EQUAL(ck_json_str(c, "reason", ""), "FieldValueForbidden");
        ck_errs_free(&e);
    }
    CU_ASSERT_TRUE(update_errs(edit_drop_toleration, &e) >= 1);
    CU_ASSERT_TRUE(fx_has(&e, "spec.tolerations", "Forbidden: existing toleration can not be modified except its tolerationSeconds"));
    ck_errs_free(&e);
    update_errs(edit_raise_deadline, &e);
    CU_ASSERT_TRUE(fx_has(&e, "spec.activeDeadlineSeconds", "Invalid value: 500: must be less than or equal to previous value"));
    ck_errs_free(&e);
}

/* Cells of column `name` for the pod `json`; returns a new string. */
static char *cell(const char *name, const char *json)
{
    json_t *pod = load(json);
    char *out = NULL;
    for (const ck_column *c = ck_columns_pod; c->name; c++) {
        if (strcmp(c->name, name) != 0) continue;
        json_t *v = c->cell ? c->cell(pod) : json_incref(ck_json_path(pod, c->json_path));
        out = json_is_string(v) ? strdup(json_string_value(v)) : ck_json_dump(v);
        json_decref(v);
    }
    json_decref(pod);
    return out;
}

static void check_cell(const char *col, const char *json, const char *want)
{
    char *got = cell(col, json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want)) fprintf(stderr, "%s: got %s want %s\n", col, got, want);
    free(got);
}

static void test_pod_columns(void)
{
    static const char *const names[] = {"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                                        "Nominated Node", "Readiness Gates", NULL};
    int i = 0;
    for (const ck_column *c = ck_columns_pod; c->name; c++, i++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(names[i]);
        CU_ASSERT_STRING_EQUAL(c->name, names[i]);
        CU_ASSERT_EQUAL(c->priority, i >= 5 ? 1 : 0);
    }
    CU_ASSERT_EQUAL(i, 9);
    const char *running = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
        "\"readinessGates\":[{\"conditionType\":\"x/y\"}]},"
        "\"status\":{\"phase\":\"Running\",\"podIPs\":[{\"ip\":\"10.0.0.5\"}],\"conditions\":[{\"type\":\"x/y\",\"status\":\"True\"}],"
        "\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}},"
        "{\"name\":\"b\",\"ready\":false,\"restartCount\":0,\"state\":{\"running\":{}}}]}}";
    check_cell("Ready", running, "1/2");
    check_cell("Status", running, "Running");
    check_cell("Restarts", running, "0");
    check_cell("IP", running, "10.0.0.5");
    check_cell("Node", running, "n1");
    check_cell("Nominated Node", running, "<none>");
    check_cell("Readiness Gates", running, "1/1");
    check_cell("Age", running, "<unknown>");
    char ts[CK_TIME_LEN], json[1024];
    ck_time_format(time(NULL) - 150, ts);
    snprintf(json, sizeof json, "{\"metadata\":{\"creationTimestamp\":\"%s\"},\"spec\":{\"containers\":[{\"name\":\"a\"}]},"
             "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"a\",\"restartCount\":4,"
             "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},"
             "\"lastState\":{\"terminated\":{\"exitCode\":1,\"finishedAt\":\"%s\"}}}]}}", ts, ts);
    check_cell("Status", json, "CrashLoopBackOff");
    check_cell("Restarts", json, "4 (2m30s ago)");
    check_cell("Age", json, "2m30s");
    const char *init = "{\"spec\":{\"initContainers\":[{\"name\":\"i\"}],\"containers\":[{\"name\":\"a\"}]},"
        "\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"i\",\"state\":{\"running\":{}}}],"
        "\"containerStatuses\":[{\"name\":\"a\",\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}}";
    check_cell("Status", init, "Init:0/1");
    check_cell("Ready", init, "0/1");
    const char *done = "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Succeeded\","
        "\"containerStatuses\":[{\"name\":\"a\",\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}}";
    check_cell("Status", done, "Completed");
    const char *killed = "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Failed\","
        "\"containerStatuses\":[{\"name\":\"a\",\"state\":{\"terminated\":{\"exitCode\":137,\"signal\":9}}}]}}";
    check_cell("Status", killed, "Signal:9");
    const char *deleting = "{\"metadata\":{\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"},\"spec\":{\"containers\":[{\"name\":\"a\"}]},"
        "\"status\":{\"phase\":\"Running\"}}";
    check_cell("Status", deleting, "Terminating");
    check_cell("IP", deleting, "<none>");
    check_cell("Readiness Gates", deleting, "<none>");
}

int main(void)
{
    static const ck_test tests[] = {
        {"pod defaults", test_pod_defaults},
        {"imagePullPolicy defaulting", test_pull_policy},
        {"nested defaults (ports, probes, env, volumes, requests)", test_nested_defaults},
        {"validation messages and paths", test_validation_table},
        {"sysctl names (IsValidSysctlName)", test_sysctl_names},
        {"pod update rules", test_pod_update},
        {"pod printer columns", test_pod_columns},
        {"pod fixtures", test_fixtures},
        {NULL, NULL},
    };
    return ck_test_main("podspec", tests, NULL, NULL);
}
