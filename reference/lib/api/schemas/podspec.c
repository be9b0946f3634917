/* podspec.c: core/v1 PodSpec and PodTemplateSpec as schema data
 * (k8s.io/api/core/v1/types.go), with patchMergeKeys as upstream declares
 * them, plus PodSpec defaulting (pkg/apis/core/v1/defaults.go). Validation
 * lives in podspec_validation.c. */
#include <stdlib.h>
#include <string.h>
#include "api/schemas/common.h"
#include "api/schemas/schemas.h"

#define S(n)        {.name = n, .type = CK_STRING}
#define I(n)        {.name = n, .type = CK_INT}
#define B(n)        {.name = n, .type = CK_BOOL}
#define Q(n)        {.name = n, .type = CK_QUANTITY}
#define IS(n)       {.name = n, .type = CK_INT_OR_STRING}
#define T(n)        {.name = n, .type = CK_TIME}
#define ANY(n)      {.name = n, .type = CK_ANY}
#define SD(n, d)    {.name = n, .type = CK_STRING, .dflt = d}
#define ID(n, d)    {.name = n, .type = CK_INT, .dflt = d}
#define OBJ(n, fs)  {.name = n, .type = CK_OBJECT, .fields = fs}
#define OBJD(n, fs, d) {.name = n, .type = CK_OBJECT, .fields = fs, .dflt = d}
#define ARR(n, it)  {.name = n, .type = CK_ARRAY, .items = &it}
#define ARRM(n, it, key) {.name = n, .type = CK_ARRAY, .items = &it, .merge_key = key, \
                          .patch_strategy = "merge"}
#define STRS(n)     {.name = n, .type = CK_ARRAY, .items = &str_item}
#define STRMAP(n)   {.name = n, .type = CK_MAP, .items = &str_item}
#define QMAP(n)     {.name = n, .type = CK_MAP, .items = &quantity_item}
#define ITEM(id, fs) static const ck_field id = {.name = "", .type = CK_OBJECT, .fields = fs}
#define END         {0}

static const ck_field str_item = {.name = "", .type = CK_STRING};
static const ck_field int_item = {.name = "", .type = CK_INT};
static const ck_field quantity_item = {.name = "", .type = CK_QUANTITY};

/* ---- small shared objects ------------------------------------------------ */
static const ck_field local_ref[] = {S("name"), END};
ITEM(local_ref_item, local_ref);
static const ck_field key_selector[] = {S("name"), S("key"), B("optional"), END};
static const ck_field field_ref[] = {SD("apiVersion", "\"v1\""), S("fieldPath"), END};
static const ck_field resource_field_ref[] = {S("containerName"), S("resource"), Q("divisor"), END};
static const ck_field file_key_ref[] = {S("volumeName"), S("path"), S("key"), B("optional"), END};
static const ck_field key_to_path[] = {S("key"), S("path"), I("mode"), END};
ITEM(key_to_path_item, key_to_path);

/* ---- env, ports, mounts ---------------------------------------------------- */
static const ck_field env_source[] = {
    OBJ("fieldRef", field_ref), OBJ("resourceFieldRef", resource_field_ref),
    OBJ("configMapKeyRef", key_selector), OBJ("secretKeyRef", key_selector),
    OBJ("fileKeyRef", file_key_ref), END};
static const ck_field env_var[] = {S("name"), S("value"), OBJ("valueFrom", env_source), END};
ITEM(env_var_item, env_var);
static const ck_field env_ref[] = {S("name"), B("optional"), END};
static const ck_field env_from[] = {S("prefix"), OBJ("configMapRef", env_ref),
                                    OBJ("secretRef", env_ref), END};
ITEM(env_from_item, env_from);
static const ck_field container_port[] = {
    S("name"), I("hostPort"), I("containerPort"), SD("protocol", "\"TCP\""), S("hostIP"), END};
ITEM(container_port_item, container_port);
static const ck_field volume_mount[] = {
    S("name"), B("readOnly"), S("recursiveReadOnly"), S("mountPath"), S("subPath"),
    S("mountPropagation"), S("subPathExpr"), END};
ITEM(volume_mount_item, volume_mount);
static const ck_field volume_device[] = {S("name"), S("devicePath"), END};
ITEM(volume_device_item, volume_device);

/* ---- probes and lifecycle ------------------------------------------------- */
static const ck_field exec_action[] = {STRS("command"), END};
static const ck_field http_header[] = {S("name"), S("value"), END};
ITEM(http_header_item, http_header);
static const ck_field http_get[] = {
    SD("path", "\"/\""), IS("port"), S("host"), SD("scheme", "\"HTTP\""),
    ARR("httpHeaders", http_header_item), END};
static const ck_field tcp_socket[] = {IS("port"), S("host"), END};
static const ck_field grpc_action[] = {I("port"), SD("service", "\"\""), END};
static const ck_field sleep_action[] = {I("seconds"), END};
static const ck_field probe[] = {
    OBJ("exec", exec_action), OBJ("httpGet", http_get), OBJ("tcpSocket", tcp_socket),
    OBJ("grpc", grpc_action), I("initialDelaySeconds"), ID("timeoutSeconds", "1"),
    ID("periodSeconds", "10"), ID("successThreshold", "1"), ID("failureThreshold", "3"),
    I("terminationGracePeriodSeconds"), END};
static const ck_field lifecycle_handler[] = {
    OBJ("exec", exec_action), OBJ("httpGet", http_get), OBJ("tcpSocket", tcp_socket),
    OBJ("sleep", sleep_action), END};
static const ck_field lifecycle[] = {
    OBJ("postStart", lifecycle_handler), OBJ("preStop", lifecycle_handler), S("stopSignal"), END};

/* ---- resources and security --------------------------------------------- */
static const ck_field resource_claim[] = {S("name"), S("request"), END};
ITEM(resource_claim_item, resource_claim);
const ck_field ck_resource_requirements_fields[] = {
    QMAP("limits"), QMAP("requests"), ARR("claims", resource_claim_item), END};
static const ck_field resize_policy[] = {S("resourceName"), S("restartPolicy"), END};
ITEM(resize_policy_item, resize_policy);
static const ck_field capabilities[] = {STRS("add"), STRS("drop"), END};
static const ck_field se_linux[] = {S("user"), S("role"), S("type"), S("level"), END};
static const ck_field windows_opts[] = {
    S("gmsaCredentialSpecName"), S("gmsaCredentialSpec"), S("runAsUserName"), B("hostProcess"), END};
static const ck_field profile[] = {S("type"), S("localhostProfile"), END};
static const ck_field security_context[] = {
    OBJ("capabilities", capabilities), B("privileged"), OBJ("seLinuxOptions", se_linux),
    OBJ("windowsOptions", windows_opts), I("runAsUser"), I("runAsGroup"), B("runAsNonRoot"),
    B("readOnlyRootFilesystem"), B("allowPrivilegeEscalation"), S("procMount"),
    OBJ("seccompProfile", profile), OBJ("appArmorProfile", profile), END};
static const ck_field sysctl[] = {S("name"), S("value"), END};
ITEM(sysctl_item, sysctl);
static const ck_field pod_security_context[] = {
    OBJ("seLinuxOptions", se_linux), OBJ("windowsOptions", windows_opts), I("runAsUser"),
    I("runAsGroup"), B("runAsNonRoot"), ARR("supplementalGroups", int_item),
    S("supplementalGroupsPolicy"), I("fsGroup"), ARR("sysctls", sysctl_item),
    S("fsGroupChangePolicy"), OBJ("seccompProfile", profile), OBJ("appArmorProfile", profile),
    S("seLinuxChangePolicy"), END};

/* ---- containers ------------------------------------------------------------ */
#define CONTAINER_FIELDS                                                              \
    S("name"), S("image"), STRS("command"), STRS("args"), S("workingDir"),            \
    ARRM("ports", container_port_item, "containerPort"),                              \
    ARR("envFrom", env_from_item), ARRM("env", env_var_item, "name"),                 \
    OBJ("resources", ck_resource_requirements_fields), ARR("resizePolicy", resize_policy_item),             \
    S("restartPolicy"), ARRM("volumeMounts", volume_mount_item, "mountPath"),          \
    ARRM("volumeDevices", volume_device_item, "devicePath"),                          \
    OBJ("livenessProbe", probe), OBJ("readinessProbe", probe), OBJ("startupProbe", probe), \
    OBJ("lifecycle", lifecycle),                                                      \
    SD("terminationMessagePath", "\"/dev/termination-log\""),                         \
    SD("terminationMessagePolicy", "\"File\""), S("imagePullPolicy"),                 \
    OBJ("securityContext", security_context), B("stdin"), B("stdinOnce"), B("tty")
static const ck_field container[] = {CONTAINER_FIELDS, END};
ITEM(container_item, container);
static const ck_field ephemeral_container[] = {CONTAINER_FIELDS, S("targetContainerName"), END};
ITEM(ephemeral_container_item, ephemeral_container);

/* ---- volumes ------------------------------------------------------------- */
static const ck_field empty_dir[] = {S("medium"), Q("sizeLimit"), END};
static const ck_field host_path[] = {S("path"), SD("type", "\"\""), END};
static const ck_field configmap_vol[] = {
    S("name"), ARR("items", key_to_path_item), ID("defaultMode", "420"), B("optional"), END};
static const ck_field secret_vol[] = {
    S("secretName"), ARR("items", key_to_path_item), ID("defaultMode", "420"), B("optional"), END};
static const ck_field downward_file[] = {
    S("path"), OBJ("fieldRef", field_ref), OBJ("resourceFieldRef", resource_field_ref),
    I("mode"), END};
ITEM(downward_file_item, downward_file);
static const ck_field downward_vol[] = {
    ARR("items", downward_file_item), ID("defaultMode", "420"), END};
static const ck_field projected_cm[] = {S("name"), ARR("items", key_to_path_item), B("optional"), END};
static const ck_field projected_downward[] = {ARR("items", downward_file_item), END};
static const ck_field sa_token[] = {S("audience"), ID("expirationSeconds", "3600"), S("path"), END};
static const ck_field projection[] = {
    OBJ("secret", projected_cm), OBJ("downwardAPI", projected_downward),
    OBJ("configMap", projected_cm), OBJ("serviceAccountToken", sa_token),
    ANY("clusterTrustBundle"), ANY("podCertificate"), END};
ITEM(projection_item, projection);
static const ck_field projected_vol[] = {ARR("sources", projection_item), ID("defaultMode", "420"), END};
static const ck_field pvc_vol[] = {S("claimName"), B("readOnly"), END};
static const ck_field nfs_vol[] = {S("server"), S("path"), B("readOnly"), END};
static const ck_field csi_vol[] = {
    S("driver"), B("readOnly"), S("fsType"), STRMAP("volumeAttributes"),
    OBJ("nodePublishSecretRef", local_ref), END};
static const ck_field image_vol[] = {S("reference"), S("pullPolicy"), END};
static const ck_field volume[] = {
    S("name"), OBJ("hostPath", host_path), OBJ("emptyDir", empty_dir), OBJ("secret", secret_vol),
    OBJ("configMap", configmap_vol), OBJ("downwardAPI", downward_vol),
    OBJ("projected", projected_vol), OBJ("persistentVolumeClaim", pvc_vol), OBJ("nfs", nfs_vol),
    OBJ("csi", csi_vol), OBJ("image", image_vol), ANY("ephemeral"),
    /* in-tree sources ckube does not mount: kept as given */
    ANY("gcePersistentDisk"), ANY("awsElasticBlockStore"), ANY("gitRepo"), ANY("iscsi"),
    ANY("glusterfs"), ANY("rbd"), ANY("flexVolume"), ANY("cinder"), ANY("cephfs"),
    ANY("flocker"), ANY("fc"), ANY("azureFile"), ANY("vsphereVolume"), ANY("quobyte"),
    ANY("azureDisk"), ANY("photonPersistentDisk"), ANY("portworxVolume"), ANY("scaleIO"),
    ANY("storageos"), END};
ITEM(volume_item, volume);

/* ---- scheduling ------------------------------------------------------------ */
static const ck_field ns_requirement[] = {S("key"), S("operator"), STRS("values"), END};
ITEM(ns_requirement_item, ns_requirement);
static const ck_field ns_term[] = {
    ARR("matchExpressions", ns_requirement_item), ARR("matchFields", ns_requirement_item), END};
ITEM(ns_term_item, ns_term);
static const ck_field node_selector[] = {ARR("nodeSelectorTerms", ns_term_item), END};
static const ck_field preferred_term[] = {I("weight"), OBJ("preference", ns_term), END};
ITEM(preferred_term_item, preferred_term);
static const ck_field node_affinity[] = {
    OBJ("requiredDuringSchedulingIgnoredDuringExecution", node_selector),
    ARR("preferredDuringSchedulingIgnoredDuringExecution", preferred_term_item), END};
#define LABEL_SELECTOR(n) {.name = n, .type = CK_OBJECT, .fields = ck_wl_label_selector_fields}
static const ck_field pod_affinity_term[] = {
    LABEL_SELECTOR("labelSelector"), STRS("namespaces"), S("topologyKey"),
    LABEL_SELECTOR("namespaceSelector"), STRS("matchLabelKeys"), STRS("mismatchLabelKeys"), END};
ITEM(pod_affinity_term_item, pod_affinity_term);
static const ck_field weighted_term[] = {I("weight"), OBJ("podAffinityTerm", pod_affinity_term), END};
ITEM(weighted_term_item, weighted_term);
static const ck_field pod_affinity[] = {
    ARR("requiredDuringSchedulingIgnoredDuringExecution", pod_affinity_term_item),
    ARR("preferredDuringSchedulingIgnoredDuringExecution", weighted_term_item), END};
static const ck_field affinity[] = {
    OBJ("nodeAffinity", node_affinity), OBJ("podAffinity", pod_affinity),
    OBJ("podAntiAffinity", pod_affinity), END};
static const ck_field toleration[] = {
    S("key"), S("operator"), S("value"), S("effect"), I("tolerationSeconds"), END};
ITEM(toleration_item, toleration);
static const ck_field host_alias[] = {S("ip"), STRS("hostnames"), END};
ITEM(host_alias_item, host_alias);
static const ck_field dns_option[] = {S("name"), S("value"), END};
ITEM(dns_option_item, dns_option);
static const ck_field dns_config[] = {
    STRS("nameservers"), STRS("searches"), ARR("options", dns_option_item), END};
static const ck_field readiness_gate[] = {S("conditionType"), END};
ITEM(readiness_gate_item, readiness_gate);
static const ck_field spread[] = {
    I("maxSkew"), S("topologyKey"), S("whenUnsatisfiable"), LABEL_SELECTOR("labelSelector"),
    I("minDomains"), S("nodeAffinityPolicy"), S("nodeTaintsPolicy"), STRS("matchLabelKeys"), END};
ITEM(spread_item, spread);
static const ck_field gate[] = {S("name"), END};
ITEM(gate_item, gate);
static const ck_field pod_resource_claim[] = {
    S("name"), S("resourceClaimName"), S("resourceClaimTemplateName"), ANY("source"), END};
ITEM(pod_resource_claim_item, pod_resource_claim);
static const ck_field pod_os[] = {S("name"), END};

/* ---- PodSpec ------------------------------------------------------------- */
/* Defaults here are those of SetDefaults_PodSpec/Container/Probe/... that
 * apply whenever the field is absent; conditional ones are in ck_defaults_pod_spec. */
const ck_field ck_pod_spec_fields[] = {
    {.name = "volumes", .type = CK_ARRAY, .items = &volume_item, .merge_key = "name",
     .patch_strategy = "merge,retainKeys"},
    ARRM("initContainers", container_item, "name"),
    ARRM("containers", container_item, "name"),
    ARRM("ephemeralContainers", ephemeral_container_item, "name"),
    SD("restartPolicy", "\"Always\""), ID("terminationGracePeriodSeconds", "30"),
    I("activeDeadlineSeconds"), SD("dnsPolicy", "\"ClusterFirst\""), STRMAP("nodeSelector"),
    S("serviceAccountName"), S("serviceAccount"), B("automountServiceAccountToken"),
    S("nodeName"), B("hostNetwork"), B("hostPID"), B("hostIPC"), B("shareProcessNamespace"),
    OBJD("securityContext", pod_security_context, "{}"),
    ARRM("imagePullSecrets", local_ref_item, "name"), S("hostname"), S("subdomain"),
    OBJ("affinity", affinity), SD("schedulerName", "\"default-scheduler\""),
    ARR("tolerations", toleration_item), ARRM("hostAliases", host_alias_item, "ip"),
    S("priorityClassName"), I("priority"), OBJ("dnsConfig", dns_config),
    ARR("readinessGates", readiness_gate_item), S("runtimeClassName"), B("enableServiceLinks"),
    S("preemptionPolicy"), QMAP("overhead"),
    ARRM("topologySpreadConstraints", spread_item, "topologyKey"),
    B("setHostnameAsFQDN"), OBJ("os", pod_os), B("hostUsers"),
    ARRM("schedulingGates", gate_item, "name"),
    ARRM("resourceClaims", pod_resource_claim_item, "name"), OBJ("resources", ck_resource_requirements_fields),
    END};

const ck_field ck_schema_pod_spec = {
    .name = "spec", .type = CK_OBJECT, .fields = ck_pod_spec_fields,
    .description = "Specification of the desired behavior of the pod."};

const ck_field ck_pod_template_spec_fields[] = {
    {.name = "metadata", .type = CK_OBJECT, .fields = ck_object_meta_fields},
    OBJ("spec", ck_pod_spec_fields), END};
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
    ck_schema_defaults(&ck_schema_pod_spec, spec);
}
