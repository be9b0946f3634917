/* pod_data.h: the tests of data a pod consumes (pod_data.c): environment
 * variables and their expansion, the downward API, ConfigMap, Secret,
 * emptyDir and projected volumes. CL_POD_DATA_ROWS expands to their rows of
 * the pods table (t_pods.c). */
#ifndef CKC_POD_DATA_H
#define CKC_POD_DATA_H
#include "harness.h"

void cl_t_env_compose(ckc_t *t), cl_t_env_command(ckc_t *t), cl_t_env_args(ckc_t *t),
    cl_t_dw_env_pod(ckc_t *t), cl_t_dw_env_host(ckc_t *t), cl_t_dw_env_uid(ckc_t *t), cl_t_dw_env_res(ckc_t *t),
    cl_t_cm_env(ckc_t *t), cl_t_cm_envfrom(ckc_t *t), cl_t_secret_env(ckc_t *t), cl_t_secret_envfrom(ckc_t *t),
    cl_t_cmd_args(ckc_t *t), cl_t_cmd_entry(ckc_t *t), cl_t_cmd_both(ckc_t *t),
    cl_t_ed_shared(ckc_t *t), cl_t_ed_mode_default(ckc_t *t), cl_t_ed_mode_tmpfs(ckc_t *t),
    cl_t_ed_root_0644(ckc_t *t), cl_t_ed_root_0666(ckc_t *t), cl_t_ed_root_0777(ckc_t *t),
    cl_t_ed_root_0644_tmpfs(ckc_t *t), cl_t_ed_nonroot_0644(ckc_t *t), cl_t_ed_nonroot_0777_tmpfs(ckc_t *t),
    cl_t_cmv_basic(ckc_t *t), cl_t_cmv_mappings(ckc_t *t), cl_t_cmv_mode(ckc_t *t), cl_t_cmv_multi(ckc_t *t),
    cl_t_cmv_update(ckc_t *t), cl_t_sv_basic(ckc_t *t), cl_t_sv_mappings(ckc_t *t), cl_t_sv_mode(ckc_t *t),
    cl_t_sv_multi(ckc_t *t), cl_t_sv_other_ns(ckc_t *t), cl_t_dwv_podname(ckc_t *t), cl_t_dwv_labels(ckc_t *t),
    cl_t_dwv_annotations(ckc_t *t), cl_t_dwv_cpu_limit(ckc_t *t), cl_t_projected(ckc_t *t),
    cl_t_ed_nonroot_0644_tmpfs(ckc_t *t), cl_t_ed_nonroot_0666(ckc_t *t), cl_t_ed_nonroot_0666_tmpfs(ckc_t *t),
    cl_t_ed_nonroot_0777(ckc_t *t), cl_t_ed_root_0666_tmpfs(ckc_t *t), cl_t_ed_root_0777_tmpfs(ckc_t *t),
    cl_t_cmd_defaults(ckc_t *t), cl_t_pdw_labels(ckc_t *t), cl_t_pdw_annotations(ckc_t *t);
/* Runs the row of the volume-case table (pod_data.c) named by t's id. */
void cl_t_vol_case(ckc_t *t);

#define CL_NC " [NodeConformance] [Conformance]"
#define CL_ROW(id, title, code, req, fn) {"cluster." id, title, CKC_PROFILE_CLUSTER, code, NULL, req, fn},
#define CL_ED(mode) "[sig-storage] EmptyDir volumes should support " mode " [LinuxOnly]" CL_NC
#define CL_POD_DATA_ROWS \
    CL_ROW("env.compose", "env vars compose earlier ones with $(VAR)", "[sig-node] Variable Expansion should allow composing env vars into new env vars" CL_NC, "v1/pods", cl_t_env_compose) \
    CL_ROW("env.command", "$(VAR) is expanded in command", "[sig-node] Variable Expansion should allow substituting values in a container's command" CL_NC, "v1/pods", cl_t_env_command) \
    CL_ROW("env.args", "$(VAR) is expanded in args", "[sig-node] Variable Expansion should allow substituting values in a container's args" CL_NC, "v1/pods", cl_t_env_args) \
    CL_ROW("env.downward-pod", "fieldRef gives pod name, namespace and IP", "[sig-node] Downward API should provide pod name, namespace and IP address as env vars" CL_NC, "v1/pods", cl_t_dw_env_pod) \
    CL_ROW("env.downward-host-ip", "fieldRef status.hostIP gives the node's IP", "[sig-node] Downward API should provide host IP as an env var" CL_NC, "v1/pods", cl_t_dw_env_host) \
    CL_ROW("env.downward-uid", "fieldRef metadata.uid gives the pod UID", "[sig-node] Downward API should provide pod UID as env vars" CL_NC, "v1/pods", cl_t_dw_env_uid) \
    CL_ROW("env.downward-resources", "resourceFieldRef gives limits and requests", "[sig-node] Downward API should provide container's limits.cpu/memory and requests.cpu/memory as env vars" CL_NC, "v1/pods", cl_t_dw_env_res) \
    CL_ROW("env.configmap-key", "configMapKeyRef sets an env var", "[sig-node] ConfigMap should be consumable via environment variable" CL_NC, "v1/pods v1/configmaps", cl_t_cm_env) \
    CL_ROW("env.configmap-envfrom", "envFrom configMapRef (with prefix) sets every key", "[sig-node] ConfigMap should be consumable via the environment" CL_NC, "v1/pods v1/configmaps", cl_t_cm_envfrom) \
    CL_ROW("env.secret-key", "secretKeyRef sets an env var", "[sig-node] Secrets should be consumable from pods in env vars" CL_NC, "v1/pods v1/secrets", cl_t_secret_env) \
    CL_ROW("env.secret-envfrom", "envFrom secretRef (with prefix) sets every key", "[sig-node] Secrets should be consumable via the environment" CL_NC, "v1/pods v1/secrets", cl_t_secret_envfrom) \
    CL_ROW("containers.args", "args replace the image's CMD", "[sig-node] Containers should be able to override the image's default arguments (container cmd)" CL_NC, "v1/pods", cl_t_cmd_args) \
    CL_ROW("containers.command", "command replaces the image's ENTRYPOINT", "[sig-node] Containers should be able to override the image's default command (container entrypoint)" CL_NC, "v1/pods", cl_t_cmd_entry) \
    CL_ROW("containers.command-args", "command and args together", "[sig-node] Containers should be able to override the image's default command and arguments" CL_NC, "v1/pods", cl_t_cmd_both) \
    CL_ROW("emptydir.shared", "two containers share an emptyDir", "[sig-storage] EmptyDir volumes pod should support shared volumes between containers [Conformance]", "v1/pods", cl_t_ed_shared) \
    CL_ROW("emptydir.mode-default", "an emptyDir is drwxrwxrwx", "[sig-storage] EmptyDir volumes volume on default medium should have the correct mode [LinuxOnly]" CL_NC, "v1/pods", cl_t_ed_mode_default) \
    CL_ROW("emptydir.mode-tmpfs", "a Memory emptyDir is a tmpfs, rwxrwxrwx", "[sig-storage] EmptyDir volumes volume on tmpfs should have the correct mode [LinuxOnly]" CL_NC, "v1/pods", cl_t_ed_mode_tmpfs) \
    CL_ROW("emptydir.root-0644", "root writes a 0644 file", CL_ED("(root,0644,default)"), "v1/pods", cl_t_ed_root_0644) \
    CL_ROW("emptydir.root-0666", "root writes a 0666 file", CL_ED("(root,0666,default)"), "v1/pods", cl_t_ed_root_0666) \
    CL_ROW("emptydir.root-0777", "root writes a 0777 file", CL_ED("(root,0777,default)"), "v1/pods", cl_t_ed_root_0777) \
    CL_ROW("emptydir.root-0644-tmpfs", "root writes a 0644 file on tmpfs", CL_ED("(root,0644,tmpfs)"), "v1/pods", cl_t_ed_root_0644_tmpfs) \
    CL_ROW("emptydir.nonroot-0644", "uid 1001 writes a 0644 file", CL_ED("(non-root,0644,default)"), "v1/pods", cl_t_ed_nonroot_0644) \
    CL_ROW("emptydir.nonroot-0777-tmpfs", "uid 1001 writes a 0777 file on tmpfs", CL_ED("(non-root,0777,tmpfs)"), "v1/pods", cl_t_ed_nonroot_0777_tmpfs) \
    CL_ROW("configmap-volume.basic", "a ConfigMap volume holds one file per key", "[sig-storage] ConfigMap should be consumable from pods in volume" CL_NC, "v1/pods v1/configmaps", cl_t_cmv_basic) \
    CL_ROW("configmap-volume.mappings", "items map a key to a path", "[sig-storage] ConfigMap should be consumable from pods in volume with mappings" CL_NC, "v1/pods v1/configmaps", cl_t_cmv_mappings) \
    CL_ROW("configmap-volume.default-mode", "defaultMode 0400 sets the files' mode", "[sig-storage] ConfigMap should be consumable from pods in volume with defaultMode set [LinuxOnly]" CL_NC, "v1/pods v1/configmaps", cl_t_cmv_mode) \
    CL_ROW("configmap-volume.multiple", "one ConfigMap in two volumes of a pod", "[sig-storage] ConfigMap should be consumable in multiple volumes in the same pod" CL_NC, "v1/pods v1/configmaps", cl_t_cmv_multi) \
    CL_ROW("configmap-volume.update", "ConfigMap changes reach a mounted volume", "[sig-storage] ConfigMap updates should be reflected in volume" CL_NC, "v1/pods v1/configmaps", cl_t_cmv_update) \
    CL_ROW("secret-volume.basic", "a Secret volume holds one decoded file per key", "[sig-storage] Secrets should be consumable from pods in volume" CL_NC, "v1/pods v1/secrets", cl_t_sv_basic) \
    CL_ROW("secret-volume.mappings", "items map a key to a path", "[sig-storage] Secrets should be consumable from pods in volume with mappings" CL_NC, "v1/pods v1/secrets", cl_t_sv_mappings) \
    CL_ROW("secret-volume.default-mode", "defaultMode 0400 sets the files' mode", "[sig-storage] Secrets should be consumable from pods in volume with defaultMode set [LinuxOnly]" CL_NC, "v1/pods v1/secrets", cl_t_sv_mode) \
    CL_ROW("secret-volume.multiple", "one Secret in two volumes of a pod", "[sig-storage] Secrets should be consumable in multiple volumes in a pod" CL_NC, "v1/pods v1/secrets", cl_t_sv_multi) \
    CL_ROW("secret-volume.other-namespace", "a same-named Secret in another namespace is not mounted", "[sig-storage] Secrets should be able to mount in a volume regardless of a different secret existing with same name in different namespace" CL_NC, "v1/pods v1/secrets", cl_t_sv_other_ns) \
    CL_ROW("downward-volume.podname", "a downwardAPI volume file holds the pod name", "[sig-storage] Downward API volume should provide podname only" CL_NC, "v1/pods", cl_t_dwv_podname) \
    CL_ROW("downward-volume.labels", "label changes reach a downwardAPI volume", "[sig-storage] Downward API volume should update labels on modification" CL_NC, "v1/pods", cl_t_dwv_labels) \
    CL_ROW("downward-volume.annotations", "annotation changes reach a downwardAPI volume", "[sig-storage] Downward API volume should update annotations on modification" CL_NC, "v1/pods", cl_t_dwv_annotations) \
    CL_ROW("downward-volume.cpu-limit", "resourceFieldRef limits.cpu with divisor 1m", "[sig-storage] Downward API volume should provide container's cpu limit" CL_NC, "v1/pods", cl_t_dwv_cpu_limit) \
    CL_ROW("projected.combined", "one projected volume of a ConfigMap, a Secret and the downward API", "[sig-storage] Projected combined should project all components that make up the projection API [Projection]" CL_NC, "v1/pods v1/configmaps v1/secrets", cl_t_projected) \
    CL_ROW("emptydir.nonroot-0644-tmpfs", "uid 1001 writes a 0644 file on tmpfs", "[sig-storage] EmptyDir volumes should support (non-root,0644,tmpfs) [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_ed_nonroot_0644_tmpfs) \
    CL_ROW("emptydir.nonroot-0666", "uid 1001 writes a 0666 file", "[sig-storage] EmptyDir volumes should support (non-root,0666,default) [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_ed_nonroot_0666) \
    CL_ROW("emptydir.nonroot-0666-tmpfs", "uid 1001 writes a 0666 file on tmpfs", "[sig-storage] EmptyDir volumes should support (non-root,0666,tmpfs) [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_ed_nonroot_0666_tmpfs) \
    CL_ROW("emptydir.nonroot-0777", "uid 1001 writes a 0777 file", "[sig-storage] EmptyDir volumes should support (non-root,0777,default) [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_ed_nonroot_0777) \
    CL_ROW("emptydir.root-0666-tmpfs", "root writes a 0666 file on tmpfs", "[sig-storage] EmptyDir volumes should support (root,0666,tmpfs) [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_ed_root_0666_tmpfs) \
    CL_ROW("emptydir.root-0777-tmpfs", "root writes a 0777 file on tmpfs", "[sig-storage] EmptyDir volumes should support (root,0777,tmpfs) [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_ed_root_0777_tmpfs) \
    CL_ROW("containers.image-defaults", "without command and args the image's CMD runs", "[sig-node] Containers should use the image defaults if command and args are blank [NodeConformance] [Conformance]", "v1/pods", cl_t_cmd_defaults) \
    CL_ROW("env.downward-default-limits", "unset limits.cpu/memory read as the node's allocatable", "[sig-node] Downward API should provide default limits.cpu/memory from node allocatable [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("configmap-volume.non-root", "uid 1000 reads a 0644 ConfigMap file", "[sig-storage] ConfigMap should be consumable from pods in volume as non-root [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("configmap-volume.mappings-item-mode", "an item's mode 0400 sets its file's mode", "[sig-storage] ConfigMap should be consumable from pods in volume with mappings and Item mode set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("configmap-volume.mappings-non-root", "uid 1000 reads a mapped ConfigMap key", "[sig-storage] ConfigMap should be consumable from pods in volume with mappings as non-root [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("configmap-volume.binary", "binaryData keys become files with their bytes", "[sig-storage] ConfigMap binary data should be reflected in volume [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("secret-volume.non-root-fsgroup", "defaultMode 0440 with fsGroup 1001, read as uid 1000", "[sig-storage] Secrets should be consumable from pods in volume as non-root with defaultMode and fsGroup set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("secret-volume.mappings-item-mode", "an item's mode 0400 sets its file's mode", "[sig-storage] Secrets should be consumable from pods in volume with mappings and Item Mode set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("downward-volume.cpu-request", "resourceFieldRef requests.cpu with divisor 1m", "[sig-storage] Downward API volume should provide container's cpu request [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("downward-volume.memory-limit", "resourceFieldRef limits.memory in bytes", "[sig-storage] Downward API volume should provide container's memory limit [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("downward-volume.memory-request", "resourceFieldRef requests.memory in bytes", "[sig-storage] Downward API volume should provide container's memory request [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("downward-volume.default-cpu-limit", "an unset cpu limit reads as the node's allocatable cpu", "[sig-storage] Downward API volume should provide node allocatable (cpu) as default cpu limit if the limit is not set [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("downward-volume.default-memory-limit", "an unset memory limit reads as the node's allocatable memory", "[sig-storage] Downward API volume should provide node allocatable (memory) as default memory limit if the limit is not set [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("downward-volume.default-mode", "defaultMode 0400 sets the files' mode", "[sig-storage] Downward API volume should set DefaultMode on files [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("downward-volume.item-mode", "an item's mode 0400 sets its file's mode", "[sig-storage] Downward API volume should set mode on item file [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-configmap.basic", "a projected ConfigMap holds one file per key", "[sig-storage] Projected configMap should be consumable from pods in volume [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("projected-configmap.non-root", "uid 1000 reads a projected ConfigMap file", "[sig-storage] Projected configMap should be consumable from pods in volume as non-root [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("projected-configmap.default-mode", "defaultMode 0400 sets the files' mode", "[sig-storage] Projected configMap should be consumable from pods in volume with defaultMode set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("projected-configmap.mappings", "items map a key to a path", "[sig-storage] Projected configMap should be consumable from pods in volume with mappings [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("projected-configmap.mappings-item-mode", "an item's mode 0400 sets its file's mode", "[sig-storage] Projected configMap should be consumable from pods in volume with mappings and Item mode set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("projected-configmap.mappings-non-root", "uid 1000 reads a mapped key", "[sig-storage] Projected configMap should be consumable from pods in volume with mappings as non-root [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("projected-configmap.multiple", "one ConfigMap projected into two volumes", "[sig-storage] Projected configMap should be consumable in multiple volumes in the same pod [NodeConformance] [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("projected-secret.basic", "a projected Secret holds one decoded file per key", "[sig-storage] Projected secret should be consumable from pods in volume [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("projected-secret.non-root-fsgroup", "defaultMode 0440 with fsGroup 1001, read as uid 1000", "[sig-storage] Projected secret should be consumable from pods in volume as non-root with defaultMode and fsGroup set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("projected-secret.default-mode", "defaultMode 0400 sets the files' mode", "[sig-storage] Projected secret should be consumable from pods in volume with defaultMode set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("projected-secret.mappings", "items map a key to a path", "[sig-storage] Projected secret should be consumable from pods in volume with mappings [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("projected-secret.mappings-item-mode", "an item's mode 0400 sets its file's mode", "[sig-storage] Projected secret should be consumable from pods in volume with mappings and Item Mode set [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("projected-secret.multiple", "one Secret projected into two volumes", "[sig-storage] Projected secret should be consumable in multiple volumes in a pod [NodeConformance] [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("projected-downward.podname", "a projected downwardAPI file holds the pod name", "[sig-storage] Projected downwardAPI should provide podname only [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.cpu-limit", "resourceFieldRef limits.cpu with divisor 1m", "[sig-storage] Projected downwardAPI should provide container's cpu limit [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.cpu-request", "resourceFieldRef requests.cpu with divisor 1m", "[sig-storage] Projected downwardAPI should provide container's cpu request [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.memory-limit", "resourceFieldRef limits.memory in bytes", "[sig-storage] Projected downwardAPI should provide container's memory limit [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.memory-request", "resourceFieldRef requests.memory in bytes", "[sig-storage] Projected downwardAPI should provide container's memory request [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.default-cpu-limit", "an unset cpu limit reads as the node's allocatable cpu", "[sig-storage] Projected downwardAPI should provide node allocatable (cpu) as default cpu limit if the limit is not set [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.default-memory-limit", "an unset memory limit reads as the node's allocatable memory", "[sig-storage] Projected downwardAPI should provide node allocatable (memory) as default memory limit if the limit is not set [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.default-mode", "defaultMode 0400 sets the files' mode", "[sig-storage] Projected downwardAPI should set DefaultMode on files [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.item-mode", "an item's mode 0400 sets its file's mode", "[sig-storage] Projected downwardAPI should set mode on item file [LinuxOnly] [NodeConformance] [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("projected-downward.labels", "label changes reach a projected downwardAPI file", "[sig-storage] Projected downwardAPI should update labels on modification [NodeConformance] [Conformance]", "v1/pods", cl_t_pdw_labels) \
    CL_ROW("projected-downward.annotations", "annotation changes reach a projected downwardAPI file", "[sig-storage] Projected downwardAPI should update annotations on modification [NodeConformance] [Conformance]", "v1/pods", cl_t_pdw_annotations) \
    CL_ROW("subpath.secret", "a Secret key mounted with subPath", "[sig-storage] Subpath Atomic writer volumes should support subpaths with secret pod [Conformance]", "v1/pods v1/secrets", cl_t_vol_case) \
    CL_ROW("subpath.configmap", "a ConfigMap key mounted with subPath", "[sig-storage] Subpath Atomic writer volumes should support subpaths with configmap pod [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("subpath.configmap-file", "a ConfigMap key mounted with subPath over an existing file", "[sig-storage] Subpath Atomic writer volumes should support subpaths with configmap pod with mountPath of existing file [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case) \
    CL_ROW("subpath.downward", "a downwardAPI file mounted with subPath", "[sig-storage] Subpath Atomic writer volumes should support subpaths with downward pod [Conformance]", "v1/pods", cl_t_vol_case) \
    CL_ROW("subpath.projected", "a projected file mounted with subPath", "[sig-storage] Subpath Atomic writer volumes should support subpaths with projected pod [Conformance]", "v1/pods v1/configmaps", cl_t_vol_case)
#endif
