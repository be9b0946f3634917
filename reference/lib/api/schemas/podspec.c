/* podspec.c: core/v1 PodSpec and PodTemplateSpec as schema data
 * (k8s.io/api/core/v1/types.go), with patchMergeKeys as upstream declares
 * them, plus PodSpec defaulting (pkg/apis/core/v1/defaults.go). Validation
 * lives in podspec_validation.c. */
#include <stdlib.h>
#include <string.h>
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"

/* Each macro takes an optional tail of designated initialisers: the protobuf
 * field number, PB(n)/PBP(n) (Go pointer), or PBE(outer, inner) for a field
 * of an embedded struct (k8s.io/api/core/v1/generated.proto). */
#define S(n, ...)        {.name = n, .type = CK_STRING, __VA_ARGS__}
#define I(n, ...)        {.name = n, .type = CK_INT, __VA_ARGS__}
#define B(n, ...)        {.name = n, .type = CK_BOOL, __VA_ARGS__}
#define Q(n, ...)        {.name = n, .type = CK_QUANTITY, __VA_ARGS__}
#define IS(n, ...)       {.name = n, .type = CK_INT_OR_STRING, __VA_ARGS__}
#define T(n, ...)        {.name = n, .type = CK_TIME, __VA_ARGS__}
#define ANY(n, ...)      {.name = n, .type = CK_ANY, __VA_ARGS__}
#define SD(n, d, ...)    {.name = n, .type = CK_STRING, .dflt = d, __VA_ARGS__}
#define ID(n, d, ...)    {.name = n, .type = CK_INT, .dflt = d, __VA_ARGS__}
#define OBJ(n, fs, ...)  {.name = n, .type = CK_OBJECT, .fields = fs, __VA_ARGS__}
#define OBJD(n, fs, d, ...) {.name = n, .type = CK_OBJECT, .fields = fs, .dflt = d, __VA_ARGS__}
#define ARR(n, it, ...)  {.name = n, .type = CK_ARRAY, .items = &it, __VA_ARGS__}
#define ARRM(n, it, key, ...) {.name = n, .type = CK_ARRAY, .items = &it, .merge_key = key, \
                          .patch_strategy = "merge", __VA_ARGS__}
#define STRS(n, ...)     {.name = n, .type = CK_ARRAY, .items = &str_item, __VA_ARGS__}
#define STRMAP(n, ...)   {.name = n, .type = CK_MAP, .items = &str_item, __VA_ARGS__}
#define QMAP(n, ...)     {.name = n, .type = CK_MAP, .items = &quantity_item, __VA_ARGS__}
#define ITEM(id, fs) static const ck_field id = {.name = "", .type = CK_OBJECT, .fields = fs}
#define END         {0}

static const ck_field str_item = {.name = "", .type = CK_STRING};
static const ck_field int_item = {.name = "", .type = CK_INT};
static const ck_field quantity_item = {.name = "", .type = CK_QUANTITY};

/* ---- small shared objects ------------------------------------------------ */
static const ck_field local_ref[] = {S("name", PB(1)), END};
ITEM(local_ref_item, local_ref);
/* ConfigMapKeySelector / SecretKeySelector embed LocalObjectReference at 1. */
static const ck_field key_selector[] = {S("name", PBE(1, 1)), S("key", PB(2)), B("optional", PBP(3)), END};
static const ck_field field_ref[] = {SD("apiVersion", "\"v1\"", PB(1)), S("fieldPath", PB(2)), END};
static const ck_field resource_field_ref[] = {S("containerName", PB(1)), S("resource", PB(2)),
                                              Q("divisor", PB(3)), END};
static const ck_field file_key_ref[] = {S("volumeName"), S("path"), S("key"), B("optional"), END};
static const ck_field key_to_path[] = {S("key", PB(1)), S("path", PB(2)), I("mode", PBP(3)), END};
ITEM(key_to_path_item, key_to_path);

/* ---- env, ports, mounts ---------------------------------------------------- */
static const ck_field env_source[] = {
    OBJ("fieldRef", field_ref, PBP(1)), OBJ("resourceFieldRef", resource_field_ref, PBP(2)),
    OBJ("configMapKeyRef", key_selector, PBP(3)), OBJ("secretKeyRef", key_selector, PBP(4)),
    OBJ("fileKeyRef", file_key_ref), END};
static const ck_field env_var[] = {S("name", PB(1)), S("value", PB(2)), OBJ("valueFrom", env_source, PBP(3)), END};
ITEM(env_var_item, env_var);
/* ConfigMapEnvSource / SecretEnvSource embed LocalObjectReference at 1. */
static const ck_field env_ref[] = {S("name", PBE(1, 1)), B("optional", PBP(2)), END};
static const ck_field env_from[] = {S("prefix", PB(1)), OBJ("configMapRef", env_ref, PBP(2)),
                                    OBJ("secretRef", env_ref, PBP(3)), END};
ITEM(env_from_item, env_from);
static const ck_field container_port[] = {
    S("name", PB(1)), I("hostPort", PB(2)), I("containerPort", PB(3)), SD("protocol", "\"TCP\"", PB(4)),
    S("hostIP", PB(5)), END};
ITEM(container_port_item, container_port);
static const ck_field volume_mount[] = {
    S("name", PB(1)), B("readOnly", PB(2)), S("recursiveReadOnly", PBP(7)), S("mountPath", PB(3)),
    S("subPath", PB(4)), S("mountPropagation", PBP(5)), S("subPathExpr", PB(6)), END};
ITEM(volume_mount_item, volume_mount);
static const ck_field volume_device[] = {S("name", PB(1)), S("devicePath", PB(2)), END};
ITEM(volume_device_item, volume_device);

/* ---- probes and lifecycle ------------------------------------------------- */
static const ck_field exec_action[] = {STRS("command", PB(1)), END};
static const ck_field http_header[] = {S("name", PB(1)), S("value", PB(2)), END};
ITEM(http_header_item, http_header);
static const ck_field http_get[] = {
    SD("path", "\"/\"", PB(1)), IS("port", PB(2)), S("host", PB(3)), SD("scheme", "\"HTTP\"", PB(4)),
    ARR("httpHeaders", http_header_item, PB(5)), END};
static const ck_field tcp_socket[] = {IS("port", PB(1)), S("host", PB(2)), END};
static const ck_field grpc_action[] = {I("port", PB(1)), SD("service", "\"\"", PBP(2)), END};
static const ck_field sleep_action[] = {I("seconds", PB(1)), END};
/* Probe embeds ProbeHandler at 1. */
static const ck_field probe[] = {
    OBJ("exec", exec_action, PBE(1, 1)), OBJ("httpGet", http_get, PBE(1, 2)),
    OBJ("tcpSocket", tcp_socket, PBE(1, 3)), OBJ("grpc", grpc_action, PBE(1, 4)),
    I("initialDelaySeconds", PB(2)), ID("timeoutSeconds", "1", PB(3)),
    ID("periodSeconds", "10", PB(4)), ID("successThreshold", "1", PB(5)), ID("failureThreshold", "3", PB(6)),
    I("terminationGracePeriodSeconds", PBP(7)), END};
static const ck_field lifecycle_handler[] = {
    OBJ("exec", exec_action, PBP(1)), OBJ("httpGet", http_get, PBP(2)), OBJ("tcpSocket", tcp_socket, PBP(3)),
    OBJ("sleep", sleep_action, PBP(4)), END};
static const ck_field lifecycle[] = {
    OBJ("postStart", lifecycle_handler, PBP(1)), OBJ("preStop", lifecycle_handler, PBP(2)),
    S("stopSignal", PBP(3)), END};

/* ---- resources and security --------------------------------------------- */
static const ck_field resource_claim[] = {S("name", PB(1)), S("request", PB(2)), END};
ITEM(resource_claim_item, resource_claim);
const ck_field ck_resource_requirements_fields[] = {
    QMAP("limits", PB(1)), QMAP("requests", PB(2)), ARR("claims", resource_claim_item, PB(3)), END};
static const ck_field resize_policy[] = {S("resourceName", PB(1)), S("restartPolicy", PB(2)), END};
ITEM(resize_policy_item, resize_policy);
static const ck_field capabilities[] = {STRS("add", PB(1)), STRS("drop", PB(2)), END};
static const ck_field se_linux[] = {S("user", PB(1)), S("role", PB(2)), S("type", PB(3)), S("level", PB(4)), END};
static const ck_field windows_opts[] = {
    S("gmsaCredentialSpecName", PBP(1)), S("gmsaCredentialSpec", PBP(2)), S("runAsUserName", PBP(3)),
    B("hostProcess", PBP(4)), END};
static const ck_field profile[] = {S("type", PB(1)), S("localhostProfile", PBP(2)), END};
static const ck_field security_context[] = {
    OBJ("capabilities", capabilities, PBP(1)), B("privileged", PBP(2)),
    OBJ("seLinuxOptions", se_linux, PBP(3)), OBJ("windowsOptions", windows_opts, PBP(10)),
    I("runAsUser", PBP(4)), I("runAsGroup", PBP(8)), B("runAsNonRoot", PBP(5)),
    B("readOnlyRootFilesystem", PBP(6)), B("allowPrivilegeEscalation", PBP(7)), S("procMount", PBP(9)),
    OBJ("seccompProfile", profile, PBP(11)), OBJ("appArmorProfile", profile, PBP(12)), END};
static const ck_field sysctl[] = {S("name", PB(1)), S("value", PB(2)), END};
ITEM(sysctl_item, sysctl);
static const ck_field pod_security_context[] = {
    OBJ("seLinuxOptions", se_linux, PBP(1)), OBJ("windowsOptions", windows_opts, PBP(8)),
    I("runAsUser", PBP(2)), I("runAsGroup", PBP(6)), B("runAsNonRoot", PBP(3)),
    ARR("supplementalGroups", int_item, PB(4)), S("supplementalGroupsPolicy", PBP(12)),
    I("fsGroup", PBP(5)), ARR("sysctls", sysctl_item, PB(7)), S("fsGroupChangePolicy", PBP(9)),
    OBJ("seccompProfile", profile, PBP(10)), OBJ("appArmorProfile", profile, PBP(11)),
    S("seLinuxChangePolicy", PBP(13)), END};

/* ---- containers ------------------------------------------------------------ */
/* P(n): a field's number, PP(n): a pointer field's; EphemeralContainer
 * embeds EphemeralContainerCommon (numbered as Container) at 1. */
#define CONTAINER_FIELDS(P, PP)                                                       \
    S("name", P(1)), S("image", P(2)), STRS("command", P(3)), STRS("args", P(4)),     \
    S("workingDir", P(5)),                                                            \
    ARRM("ports", container_port_item, "containerPort", P(6)),                        \
    ARR("envFrom", env_from_item, P(19)), ARRM("env", env_var_item, "name", P(7)),    \
    OBJ("resources", ck_resource_requirements_fields, P(8)),                          \
    ARR("resizePolicy", resize_policy_item, P(23)),                                   \
    S("restartPolicy", PP(24)), ARRM("volumeMounts", volume_mount_item, "mountPath", P(9)), \
    ARRM("volumeDevices", volume_device_item, "devicePath", P(21)),                   \
    OBJ("livenessProbe", probe, PP(10)), OBJ("readinessProbe", probe, PP(11)),        \
    OBJ("startupProbe", probe, PP(22)),                                               \
    OBJ("lifecycle", lifecycle, PP(12)),                                              \
    SD("terminationMessagePath", "\"/dev/termination-log\"", P(13)),                  \
    SD("terminationMessagePolicy", "\"File\"", P(20)), S("imagePullPolicy", P(14)),   \
    OBJ("securityContext", security_context, PP(15)), B("stdin", P(16)),              \
    B("stdinOnce", P(17)), B("tty", P(18))
#define PBE1(n)  PBE(1, n)
#define PBEP1(n) PBE(1, n), .flags = CK_F_POINTER
static const ck_field container[] = {CONTAINER_FIELDS(PB, PBP), END};
ITEM(container_item, container);
static const ck_field ephemeral_container[] = {CONTAINER_FIELDS(PBE1, PBEP1),
                                               S("targetContainerName", PB(2)), END};
ITEM(ephemeral_container_item, ephemeral_container);

/* ---- volumes ------------------------------------------------------------- */
static const ck_field empty_dir[] = {S("medium", PB(1)), Q("sizeLimit", PBP(2)), END};
static const ck_field host_path[] = {S("path", PB(1)), SD("type", "\"\"", PBP(2)), END};
static const ck_field configmap_vol[] = {
    S("name", PBE(1, 1)), ARR("items", key_to_path_item, PB(2)), ID("defaultMode", "420", PBP(3)),
    B("optional", PBP(4)), END};
static const ck_field secret_vol[] = {
    S("secretName", PB(1)), ARR("items", key_to_path_item, PB(2)), ID("defaultMode", "420", PBP(3)),
    B("optional", PBP(4)), END};
static const ck_field downward_file[] = {
    S("path", PB(1)), OBJ("fieldRef", field_ref, PBP(2)), OBJ("resourceFieldRef", resource_field_ref, PBP(3)),
    I("mode", PBP(4)), END};
ITEM(downward_file_item, downward_file);
static const ck_field downward_vol[] = {
    ARR("items", downward_file_item, PB(1)), ID("defaultMode", "420", PBP(2)), END};
static const ck_field projected_cm[] = {S("name", PBE(1, 1)), ARR("items", key_to_path_item, PB(2)),
                                        B("optional", PBP(4)), END};
static const ck_field projected_downward[] = {ARR("items", downward_file_item, PB(1)), END};
static const ck_field sa_token[] = {S("audience", PB(1)), ID("expirationSeconds", "3600", PBP(2)),
                                    S("path", PB(3)), END};
static const ck_field projection[] = {
    OBJ("secret", projected_cm, PBP(1)), OBJ("downwardAPI", projected_downward, PBP(2)),
    OBJ("configMap", projected_cm, PBP(3)), OBJ("serviceAccountToken", sa_token, PBP(4)),
    ANY("clusterTrustBundle"), ANY("podCertificate"), END};
ITEM(projection_item, projection);
static const ck_field projected_vol[] = {ARR("sources", projection_item, PB(1)),
                                         ID("defaultMode", "420", PBP(2)), END};
static const ck_field pvc_vol[] = {S("claimName", PB(1)), B("readOnly", PB(2)), END};
static const ck_field nfs_vol[] = {S("server", PB(1)), S("path", PB(2)), B("readOnly", PB(3)), END};
static const ck_field csi_vol[] = {
    S("driver", PB(1)), B("readOnly", PBP(2)), S("fsType", PBP(3)), STRMAP("volumeAttributes", PB(4)),
    OBJ("nodePublishSecretRef", local_ref, PBP(5)), END};
static const ck_field image_vol[] = {S("reference", PB(1)), S("pullPolicy", PB(2)), END};
/* Volume embeds VolumeSource at 2. */
static const ck_field volume[] = {
    S("name", PB(1)), OBJ("hostPath", host_path, PBE(2, 1)), OBJ("emptyDir", empty_dir, PBE(2, 2)),
    OBJ("secret", secret_vol, PBE(2, 6)), OBJ("configMap", configmap_vol, PBE(2, 19)),
    OBJ("downwardAPI", downward_vol, PBE(2, 16)), OBJ("projected", projected_vol, PBE(2, 26)),
    OBJ("persistentVolumeClaim", pvc_vol, PBE(2, 10)), OBJ("nfs", nfs_vol, PBE(2, 7)),
    OBJ("csi", csi_vol, PBE(2, 28)), OBJ("image", image_vol, PBE(2, 30)), ANY("ephemeral"),
    /* in-tree sources ckube does not mount: kept as given */
    ANY("gcePersistentDisk"), ANY("awsElasticBlockStore"), ANY("gitRepo"), ANY("iscsi"),
    ANY("glusterfs"), ANY("rbd"), ANY("flexVolume"), ANY("cinder"), ANY("cephfs"),
    ANY("flocker"), ANY("fc"), ANY("azureFile"), ANY("vsphereVolume"), ANY("quobyte"),
    ANY("azureDisk"), ANY("photonPersistentDisk"), ANY("portworxVolume"), ANY("scaleIO"),
    ANY("storageos"), END};
ITEM(volume_item, volume);

/* ---- scheduling ------------------------------------------------------------ */
static const ck_field ns_requirement[] = {S("key", PB(1)), S("operator", PB(2)), STRS("values", PB(3)), END};
ITEM(ns_requirement_item, ns_requirement);
static const ck_field ns_term[] = {
    ARR("matchExpressions", ns_requirement_item, PB(1)), ARR("matchFields", ns_requirement_item, PB(2)), END};
ITEM(ns_term_item, ns_term);
static const ck_field node_selector[] = {ARR("nodeSelectorTerms", ns_term_item, PB(1)), END};
static const ck_field preferred_term[] = {I("weight", PB(1)), OBJ("preference", ns_term, PB(2)), END};
ITEM(preferred_term_item, preferred_term);
static const ck_field node_affinity[] = {
    OBJ("requiredDuringSchedulingIgnoredDuringExecution", node_selector, PBP(1)),
    ARR("preferredDuringSchedulingIgnoredDuringExecution", preferred_term_item, PB(2)), END};
#define LABEL_SELECTOR(n, t) {.name = n, .type = CK_OBJECT, .fields = ck_wl_label_selector_fields, \
                              .tag = (t), .flags = CK_F_POINTER}
static const ck_field pod_affinity_term[] = {
    LABEL_SELECTOR("labelSelector", 1), STRS("namespaces", PB(2)), S("topologyKey", PB(3)),
    LABEL_SELECTOR("namespaceSelector", 4), STRS("matchLabelKeys", PB(5)),
    STRS("mismatchLabelKeys", PB(6)), END};
ITEM(pod_affinity_term_item, pod_affinity_term);
static const ck_field weighted_term[] = {I("weight", PB(1)),
                                         OBJ("podAffinityTerm", pod_affinity_term, PB(2)), END};
ITEM(weighted_term_item, weighted_term);
static const ck_field pod_affinity[] = {
    ARR("requiredDuringSchedulingIgnoredDuringExecution", pod_affinity_term_item, PB(1)),
    ARR("preferredDuringSchedulingIgnoredDuringExecution", weighted_term_item, PB(2)), END};
static const ck_field affinity[] = {
    OBJ("nodeAffinity", node_affinity, PBP(1)), OBJ("podAffinity", pod_affinity, PBP(2)),
    OBJ("podAntiAffinity", pod_affinity, PBP(3)), END};
static const ck_field toleration[] = {
    S("key", PB(1)), S("operator", PB(2)), S("value", PB(3)), S("effect", PB(4)),
    I("tolerationSeconds", PBP(5)), END};
ITEM(toleration_item, toleration);
static const ck_field host_alias[] = {S("ip", PB(1)), STRS("hostnames", PB(2)), END};
ITEM(host_alias_item, host_alias);
static const ck_field dns_option[] = {S("name", PB(1)), S("value", PBP(2)), END};
ITEM(dns_option_item, dns_option);
static const ck_field dns_config[] = {
    STRS("nameservers", PB(1)), STRS("searches", PB(2)), ARR("options", dns_option_item, PB(3)), END};
static const ck_field readiness_gate[] = {S("conditionType", PB(1)), END};
ITEM(readiness_gate_item, readiness_gate);
static const ck_field spread[] = {
    I("maxSkew", PB(1)), S("topologyKey", PB(2)), S("whenUnsatisfiable", PB(3)),
    LABEL_SELECTOR("labelSelector", 4), I("minDomains", PBP(5)), S("nodeAffinityPolicy", PBP(6)),
    S("nodeTaintsPolicy", PBP(7)), STRS("matchLabelKeys", PB(8)), END};
ITEM(spread_item, spread);
static const ck_field gate[] = {S("name", PB(1)), END};
ITEM(gate_item, gate);
static const ck_field pod_resource_claim[] = {
    S("name", PB(1)), S("resourceClaimName", PBP(3)), S("resourceClaimTemplateName", PBP(4)),
    ANY("source"), END};
ITEM(pod_resource_claim_item, pod_resource_claim);
static const ck_field pod_os[] = {S("name", PB(1)), END};

/* ---- PodSpec ------------------------------------------------------------- */
/* Defaults here are those of SetDefaults_PodSpec/Container/Probe/... that
 * apply whenever the field is absent; conditional ones are in ck_defaults_pod_spec. */
const ck_field ck_pod_spec_fields[] = {
    {.name = "volumes", .type = CK_ARRAY, .items = &volume_item, .merge_key = "name",
     .patch_strategy = "merge,retainKeys", .tag = 1},
    ARRM("initContainers", container_item, "name", PB(20)),
    ARRM("containers", container_item, "name", PB(2)),
    ARRM("ephemeralContainers", ephemeral_container_item, "name", PB(34)),
    SD("restartPolicy", "\"Always\"", PB(3)), ID("terminationGracePeriodSeconds", "30", PBP(4)),
    I("activeDeadlineSeconds", PBP(5)), SD("dnsPolicy", "\"ClusterFirst\"", PB(6)),
    STRMAP("nodeSelector", PB(7)),
    S("serviceAccountName", PB(8)), S("serviceAccount", PB(9)), B("automountServiceAccountToken", PBP(21)),
    S("nodeName", PB(10)), B("hostNetwork", PB(11)), B("hostPID", PB(12)), B("hostIPC", PB(13)),
    B("shareProcessNamespace", PBP(27)),
    OBJD("securityContext", pod_security_context, "{}", PBP(14)),
    ARRM("imagePullSecrets", local_ref_item, "name", PB(15)), S("hostname", PB(16)), S("subdomain", PB(17)),
    OBJ("affinity", affinity, PBP(18)), SD("schedulerName", "\"default-scheduler\"", PB(19)),
    ARR("tolerations", toleration_item, PB(22)), ARRM("hostAliases", host_alias_item, "ip", PB(23)),
    S("priorityClassName", PB(24)), I("priority", PBP(25)), OBJ("dnsConfig", dns_config, PBP(26)),
    ARR("readinessGates", readiness_gate_item, PB(28)), S("runtimeClassName", PBP(29)),
    B("enableServiceLinks", PBP(30)),
    S("preemptionPolicy", PBP(31)), QMAP("overhead", PB(32)),
    ARRM("topologySpreadConstraints", spread_item, "topologyKey", PB(33)),
    B("setHostnameAsFQDN", PBP(35)), OBJ("os", pod_os, PBP(36)), B("hostUsers", PBP(37)),
    ARRM("schedulingGates", gate_item, "name", PB(38)),
    ARRM("resourceClaims", pod_resource_claim_item, "name", PB(39)),
    OBJ("resources", ck_resource_requirements_fields, PBP(40)),
    END};

const ck_field ck_schema_pod_spec = {
    .name = "spec", .type = CK_OBJECT, .fields = ck_pod_spec_fields,
    .description = "Specification of the desired behavior of the pod."};

const ck_field ck_pod_template_spec_fields[] = {
    {.name = "metadata", .type = CK_OBJECT, .fields = ck_object_meta_fields, .tag = 1},
    OBJ("spec", ck_pod_spec_fields, PB(2)), END};
const ck_field ck_schema_pod_template_spec = {
    .name = "template", .type = CK_OBJECT, .fields = ck_pod_template_spec_fields,
    .description = "Template describes the pods that will be created."};

/* ---- defaulting -------------------------------------------------------- */

/* SetDefaults_Container: Always for ":latest" or an untagged image, else
 * IfNotPresent (a digest "@sha256:..." counts as a tag). */
static const char *default_pull_policy(const char *image)
{
    const char *slash = strrchr(image, '/');
    const char *last = slash ? slash + 1 : image;
    if (strchr(image, '@')) return "IfNotPresent";
    const char *colon = strrchr(last, ':');
    if (!colon || strcmp(colon + 1, "latest") == 0) return "Always";
    return "IfNotPresent";
}

static void defaults_containers(json_t *list, bool host_network)
{
    size_t i, j;
    json_t *c, *p;
    json_array_foreach(list, i, c) {
        if (!json_is_object(c)) continue;
        const char *image = json_string_value(json_object_get(c, "image"));
        if (!json_object_get(c, "imagePullPolicy") && image)
            json_object_set_new(c, "imagePullPolicy", json_string(default_pull_policy(image)));
        /* SetDefaults_PodSpec: with hostNetwork, hostPort defaults to containerPort. */
        if (host_network)
            json_array_foreach(json_object_get(c, "ports"), j, p)
                if (json_is_object(p) && !json_object_get(p, "hostPort") &&
                    json_object_get(p, "containerPort"))
                    json_object_set(p, "hostPort", json_object_get(p, "containerPort"));
    }
}

/* SetDefaults_Volume: a volume with no source is an emptyDir. */
static void defaults_volumes(json_t *vols)
{
    size_t i;
    json_t *v;
    json_array_foreach(vols, i, v) {
        if (!json_is_object(v) || json_object_size(v) != 1 || !json_object_get(v, "name")) continue;
        json_object_set_new(v, "emptyDir", json_object());
    }
}

void ck_defaults_pod_spec(json_t *spec)
{
    if (!json_is_object(spec)) return;
    bool hostnet = json_is_true(json_object_get(spec, "hostNetwork"));
    defaults_volumes(json_object_get(spec, "volumes"));
    defaults_containers(json_object_get(spec, "initContainers"), hostnet);
    defaults_containers(json_object_get(spec, "containers"), hostnet);
    defaults_containers(json_object_get(spec, "ephemeralContainers"), hostnet); /* SetDefaults_EphemeralContainer */
    ck_schema_defaults(&ck_schema_pod_spec, spec);
}
