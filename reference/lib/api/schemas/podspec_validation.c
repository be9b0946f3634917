/* podspec_validation.c: ValidatePodSpec for pods and every workload's pod
 * template, with upstream's field paths and messages
 * (pkg/apis/core/validation/validation.go: validateVolumes, validateContainers,
 * validateContainerPorts, validateEnv, validateProbe, ValidateResourceRequirements,
 * validateTolerations, validateRestartPolicy, validateDNSPolicy). */
#include <stdio.h>
#include <string.h>
/* decode.h has a nested comment opener in a comment; tolerate it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop
#include "api/quantity.h"
#include "api/schemas/common.h"
#include "api/schemas/ephemeral.h"
#include "api/schemas/schemas.h"

#define P(buf, ...) ck_pathf(buf, sizeof buf, __VA_ARGS__)
#define NONNEG_MSG "must be greater than or equal to 0"

static const char *const restart_policies[] = {"Always", "Never", "OnFailure", NULL};
static const char *const dns_policies[] = {"ClusterFirst", "ClusterFirstWithHostNet", "Default",
                                           "None", NULL};
static const char *const pull_policies[] = {"Always", "IfNotPresent", "Never", NULL};
static const char *const term_msg_policies[] = {"FallbackToLogsOnError", "File", NULL};
static const char *const protocols[] = {"SCTP", "TCP", "UDP", NULL};
static const char *const schemes[] = {"HTTP", "HTTPS", NULL};
static const char *const only_always[] = {"Always", NULL};
static const char *const tol_operators[] = {"Equal", "Exists", NULL};
static const char *const taint_effects[] = {"NoExecute", "NoSchedule", "PreferNoSchedule", NULL};
static const char *const when_unsatisfiable[] = {"DoNotSchedule", "ScheduleAnyway", NULL};
static const char *const host_path_types[] = {"", "BlockDevice", "CharDevice", "Directory",
    "DirectoryOrCreate", "File", "FileOrCreate", "Socket", NULL};
static const char *const mount_propagations[] = {"Bidirectional", "HostToContainer", "None", NULL};
static const char *const env_field_paths[] = {"metadata.name", "metadata.namespace",
    "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
    "status.hostIPs", "status.podIP", "status.podIPs", NULL};
static const char *const resource_field_refs[] = {"limits.cpu", "limits.ephemeral-storage",
    "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory", NULL};
/* validateVolumeSource checks sources in this order; the second one found is
 * the one reported as Forbidden. */
static const char *const volume_sources[] = {"hostPath", "emptyDir", "gitRepo",
    "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs",
    "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte", "downwardAPI",
    "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk",
    "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral",
    "image", NULL};

static bool in_list(const char *v, const char *const *list)
{
    for (; *list; list++) if (strcmp(v, *list) == 0) return true;
    return false;
}

/* Required when absent/empty, NotSupported when not in `allowed`. */
static void check_enum(const json_t *obj, const char *key, const char *path,
                       const char *const *allowed, bool required, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    const char *v = json_string_value(json_object_get(obj, key));
    P(f, "%s.%s", path, key);
    if (!v || !*v) {
        if (required) ck_errs_required(errs, f, NULL);
        return;
    }
    if (!in_list(v, allowed)) ck_errs_not_supported(errs, f, v, allowed);
}

static void check_required_str(const json_t *obj, const char *key, const char *path, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    if (!*ck_str(obj, key)) ck_errs_required(errs, P(f, "%s.%s", path, key), NULL);
}

/* validateVolumes' per-source checks for the sources ckube mounts. */
static void validate_volume_source(const json_t *v, const char *vp, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    int found = 0;
    for (const char *const *s = volume_sources; *s; s++) {
        if (!json_object_get(v, *s)) continue;
        if (found++) ck_errs_forbidden(errs, P(f, "%s.%s", vp, *s), "may not specify more than 1 volume type");
    }
    if (!found) { ck_errs_required(errs, vp, "must specify a volume type"); return; }
    const json_t *src;
    if ((src = json_object_get(v, "hostPath"))) {
        check_required_str(src, "path", P(f, "%s.hostPath", vp), errs);
        check_enum(src, "type", f, host_path_types, false, errs);
    }
    if ((src = json_object_get(v, "configMap"))) check_required_str(src, "name", P(f, "%s.configMap", vp), errs);
    if ((src = json_object_get(v, "secret"))) check_required_str(src, "secretName", P(f, "%s.secret", vp), errs);
    if ((src = json_object_get(v, "persistentVolumeClaim")))
        check_required_str(src, "claimName", P(f, "%s.persistentVolumeClaim", vp), errs);
    if ((src = json_object_get(v, "nfs"))) {
        check_required_str(src, "server", P(f, "%s.nfs", vp), errs);
        check_required_str(src, "path", f, errs);
    }
    static const char *const moded[] = {"configMap", "secret", "downwardAPI", "projected", NULL};
    for (const char *const *m = moded; *m; m++) {
        const json_t *mode = json_object_get(json_object_get(v, *m), "defaultMode");
        if (json_is_integer(mode) && (json_integer_value(mode) < 0 || json_integer_value(mode) > 0777))
            ck_errs_invalid(errs, P(f, "%s.%s.defaultMode", vp, *m), mode,
                            "must be a number between 0 and 0777 (octal), both inclusive");
    }
    size_t i;
    const json_t *proj;
    json_array_foreach(json_object_get(json_object_get(v, "projected"), "sources"), i, proj) {
        const json_t *sat = json_object_get(proj, "serviceAccountToken");
        if (!sat) continue;
        char sp[CK_PATH_MAX];
        P(sp, "%s.projected.sources[%zu].serviceAccountToken", vp, i);
        const json_t *exp = json_object_get(sat, "expirationSeconds");
        if (json_is_integer(exp) && json_integer_value(exp) < 600)
            ck_errs_invalid(errs, P(f, "%s.expirationSeconds", sp), exp,
                            "may not specify a duration less than 10 minutes");
        check_required_str(sat, "path", sp, errs);
    }
}

/* Returns the set of volume names ({name: true}); new reference. */
static json_t *validate_volumes(const json_t *vols, const char *path, ck_errs *errs)
{
    json_t *names = json_object();
    size_t i;
    const json_t *v;
    char vp[CK_PATH_MAX], f[CK_PATH_MAX];
    json_array_foreach(vols, i, v) {
        P(vp, "%s.volumes[%zu]", path, i);
        const char *name = ck_str(v, "name");
        P(f, "%s.name", vp);
        if (!*name) ck_errs_required(errs, f, NULL);
        else ck_validate_dns1123_label(name, f, errs);
        if (*name && json_object_get(names, name)) ck_errs_duplicate(errs, f, name);
        else if (*name) json_object_set_new(names, name, json_true());
        validate_volume_source(v, vp, errs);
    }
    return names;
}

/* validateContainerPorts (+ the hostNetwork rule of validateHostNetwork). */
static void validate_ports(const json_t *ports, const char *cp, bool hostnet, ck_errs *errs)
{
    json_t *names = json_object();
    size_t i;
    const json_t *p;
    char pp[CK_PATH_MAX], f[CK_PATH_MAX];
    json_array_foreach(ports, i, p) {
        P(pp, "%s.ports[%zu]", cp, i);
        const char *name = ck_str(p, "name");
        if (*name) {
            size_t before = ck_errs_count(errs);
            ck_validate_port_name(name, P(f, "%s.name", pp), errs);
            if (ck_errs_count(errs) == before) {
                if (json_object_get(names, name)) ck_errs_duplicate(errs, f, name);
                else json_object_set_new(names, name, json_true());
            }
        }
        const json_t *cport = json_object_get(p, "containerPort");
        const json_t *hport = json_object_get(p, "hostPort");
        P(f, "%s.containerPort", pp);
        if (!json_integer_value(cport)) ck_errs_required(errs, f, NULL);
        else if (!ck_port_valid(json_integer_value(cport))) ck_errs_invalid(errs, f, cport, CK_PORT_RANGE_MSG);
        P(f, "%s.hostPort", pp);
        if (json_integer_value(hport) && !ck_port_valid(json_integer_value(hport)))
            ck_errs_invalid(errs, f, hport, CK_PORT_RANGE_MSG);
        if (hostnet && json_integer_value(hport) != json_integer_value(cport))
            ck_errs_invalid(errs, f, hport, "must match `containerPort` when `hostNetwork` is true");
        check_enum(p, "protocol", pp, protocols, true, errs);
    }
    json_decref(names);
}

/* IsEnvVarName as relaxed upstream (RelaxedEnvironmentVariableValidation, on by default). */
static void validate_env_name(const char *name, const char *f, ck_errs *errs)
{
    if (!*name) { ck_errs_required(errs, f, NULL); return; }
    for (const char *c = name; *c; c++)
        if (*c < 32 || *c > 126 || *c == '=') {
            ck_errs_invalid_str(errs, f, name, "a valid environment variable name must consist only "
                                               "of printable ASCII characters other than '='");
            return;
        }
}

static void validate_env_source(const json_t *vf, const char *ep, ck_errs *errs)
{
    char f[CK_PATH_MAX], sp[CK_PATH_MAX];
    static const char *const kinds[] = {"fieldRef", "resourceFieldRef", "configMapKeyRef",
                                        "secretKeyRef", "fileKeyRef", NULL};
    int n = 0;
    for (const char *const *k = kinds; *k; k++) n += json_object_get(vf, *k) != NULL;
    P(f, "%s.valueFrom", ep);
    if (n == 0) ck_errs_invalid_str(errs, f, "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                                "`configMapKeyRef` or `secretKeyRef`");
    if (n > 1) ck_errs_invalid_str(errs, f, "", "may not have more than one field specified at a time");
    const json_t *r;
    if ((r = json_object_get(vf, "fieldRef"))) {
        P(sp, "%s.valueFrom.fieldRef", ep);
        const char *fp = ck_str(r, "fieldPath");
        bool subscript = strncmp(fp, "metadata.labels['", 17) == 0 ||
                         strncmp(fp, "metadata.annotations['", 22) == 0;
        if (!*fp) ck_errs_required(errs, P(f, "%s.fieldPath", sp), NULL);
        else if (!subscript && !in_list(fp, env_field_paths))
            ck_errs_not_supported(errs, P(f, "%s.fieldPath", sp), fp, env_field_paths);
    }
    if ((r = json_object_get(vf, "resourceFieldRef")))
        check_enum(r, "resource", P(sp, "%s.valueFrom.resourceFieldRef", ep), resource_field_refs, true, errs);
    static const char *const keyrefs[] = {"configMapKeyRef", "secretKeyRef", NULL};
    for (const char *const *k = keyrefs; *k; k++) {
        if (!(r = json_object_get(vf, *k))) continue;
        P(sp, "%s.valueFrom.%s", ep, *k);
        check_required_str(r, "key", sp, errs);
        check_required_str(r, "name", sp, errs);
    }
}

static void validate_env(const json_t *env, const char *cp, ck_errs *errs)
{
    size_t i;
    const json_t *e;
    char ep[CK_PATH_MAX], f[CK_PATH_MAX];
    json_array_foreach(env, i, e) {
        P(ep, "%s.env[%zu]", cp, i);
        validate_env_name(ck_str(e, "name"), P(f, "%s.name", ep), errs);
        const json_t *vf = json_object_get(e, "valueFrom");
        if (!vf) continue;
        if (*ck_str(e, "value"))
            ck_errs_invalid_str(errs, P(f, "%s.valueFrom", ep), "",
                                "may not be specified when `value` is not empty");
        validate_env_source(vf, ep, errs);
    }
}

static void validate_mounts(const json_t *mounts, const json_t *volumes, const char *cp, ck_errs *errs)
{
    json_t *paths = json_object();
    size_t i;
    const json_t *m;
    char mp[CK_PATH_MAX], f[CK_PATH_MAX];
    json_array_foreach(mounts, i, m) {
        P(mp, "%s.volumeMounts[%zu]", cp, i);
        const char *name = ck_str(m, "name"), *path = ck_str(m, "mountPath");
        P(f, "%s.name", mp);
        if (!*name) ck_errs_required(errs, f, NULL);
        else if (!json_object_get(volumes, name))
            ck_errs_add(errs, "FieldValueNotFound", f, "Not found: \"%s\"", name);
        P(f, "%s.mountPath", mp);
        if (!*path) ck_errs_required(errs, f, NULL);
        else if (json_object_get(paths, path)) ck_errs_invalid_str(errs, f, path, "must be unique");
        else json_object_set_new(paths, path, json_true());
        const char *sub = ck_str(m, "subPath");
        if (sub[0] == '/')
            ck_errs_invalid_str(errs, P(f, "%s.subPath", mp), sub, "must be a relative path");
        check_enum(m, "mountPropagation", mp, mount_propagations, false, errs);
    }
    json_decref(paths);
}

/* ValidateResourceRequirements: non-negative quantities, requests <= limits,
 * quantities printed in canonical form (Quantity.String()). */
static void validate_resources(const json_t *res, const char *cp, ck_errs *errs)
{
    const json_t *lim = json_object_get(res, "limits"), *req = json_object_get(res, "requests");
    static const char *const which[] = {"limits", "requests", NULL};
    char f[CK_PATH_MAX], canon[64], lcanon[64];
    for (const char *const *w = which; *w; w++) {
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(res, *w), k, v) {
            ck_quantity q;
            if (!json_is_string(v) || ck_quantity_parse(json_string_value(v), &q, NULL, 0) != 0) continue;
            P(f, "%s.resources.%s[%s]", cp, *w, k);
            if (ck_quantity_format_str(&q, canon, sizeof canon) != 0) continue;
            if (q.milli < 0) ck_errs_invalid_str(errs, f, canon, NONNEG_MSG);
        }
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)req, k, v) {
        const json_t *l = json_object_get(lim, k);
        ck_quantity rq, lq;
        if (!json_is_string(v) || !json_is_string(l) ||
            ck_quantity_parse(json_string_value(v), &rq, NULL, 0) != 0 ||
            ck_quantity_parse(json_string_value(l), &lq, NULL, 0) != 0 || rq.milli <= lq.milli)
            continue;
        ck_quantity_format_str(&rq, canon, sizeof canon);
        ck_quantity_format_str(&lq, lcanon, sizeof lcanon);
        char detail[160];
        snprintf(detail, sizeof detail, "must be less than or equal to %s limit of %s", k, lcanon);
        ck_errs_invalid_str(errs, P(f, "%s.resources.requests[%s]", cp, k), canon, detail);
    }
}

/* validateHandler: exactly one action, each action's own checks. */
static void validate_handler(const json_t *h, const char *hp, bool allow_sleep, ck_errs *errs)
{
    static const char *const actions[] = {"exec", "httpGet", "tcpSocket", "grpc", "sleep", NULL};
    char f[CK_PATH_MAX];
    int n = 0;
    for (const char *const *a = actions; *a; a++) {
        if (!json_object_get(h, *a)) continue;
        if (n++) ck_errs_forbidden(errs, P(f, "%s.%s", hp, *a), "may not specify more than 1 handler type");
    }
    if (!n) { ck_errs_required(errs, hp, "must specify a handler type"); return; }
    const json_t *a;
    if ((a = json_object_get(h, "exec")) && json_array_size(json_object_get(a, "command")) == 0)
        ck_errs_required(errs, P(f, "%s.exec.command", hp), NULL);
    if ((a = json_object_get(h, "httpGet"))) {
        char ap[CK_PATH_MAX];
        P(ap, "%s.httpGet", hp);
        check_required_str(a, "path", ap, errs);
        ck_validate_port_num_or_name(json_object_get(a, "port"), P(f, "%s.port", ap), errs);
        check_enum(a, "scheme", ap, schemes, false, errs);
    }
    if ((a = json_object_get(h, "tcpSocket")))
        ck_validate_port_num_or_name(json_object_get(a, "port"), P(f, "%s.tcpSocket.port", hp), errs);
    if ((a = json_object_get(h, "grpc")) && !ck_port_valid(json_integer_value(json_object_get(a, "port"))))
        ck_errs_invalid(errs, P(f, "%s.grpc.port", hp), json_object_get(a, "port"), CK_PORT_RANGE_MSG);
}

static void validate_probe(const json_t *probe, const char *pp, ck_errs *errs)
{
    static const char *const nonneg[] = {"initialDelaySeconds", "timeoutSeconds", "periodSeconds",
                                         "successThreshold", "failureThreshold", NULL};
    validate_handler(probe, pp, false, errs);
    for (const char *const *k = nonneg; *k; k++) ck_validate_nonneg(probe, *k, pp, errs);
    const json_t *g = json_object_get(probe, "terminationGracePeriodSeconds");
    char f[CK_PATH_MAX];
    if (json_is_integer(g) && json_integer_value(g) <= 0)
        ck_errs_invalid(errs, P(f, "%s.terminationGracePeriodSeconds", pp), g, "must be greater than 0");
}

/* Probes and lifecycle of one container; init containers may only carry them
 * when restartable (sidecars). */
static void validate_container_hooks(const json_t *c, const char *cp, bool init, ck_errs *errs)
{
    static const char *const probes[] = {"livenessProbe", "readinessProbe", "startupProbe", NULL};
    char f[CK_PATH_MAX];
    bool sidecar = strcmp(ck_str(c, "restartPolicy"), "Always") == 0;
    for (const char *const *p = probes; *p; p++) {
        const json_t *probe = json_object_get(c, *p);
        if (!probe) continue;
        P(f, "%s.%s", cp, *p);
        if (init && !sidecar) {
            ck_errs_forbidden(errs, f, "may not be set for init containers without restartPolicy=Always");
            continue;
        }
        validate_probe(probe, f, errs);
        const json_t *st = json_object_get(probe, "successThreshold");
        if (strcmp(*p, "readinessProbe") != 0 && json_is_integer(st) && json_integer_value(st) != 1)
            ck_errs_invalid(errs, P(f, "%s.%s.successThreshold", cp, *p), st, "must be 1");
    }
    const json_t *lc = json_object_get(c, "lifecycle");
    static const char *const hooks[] = {"postStart", "preStop", NULL};
    for (const char *const *h = hooks; *h; h++)
        if (json_object_get(lc, *h))
            validate_handler(json_object_get(lc, *h), P(f, "%s.lifecycle.%s", cp, *h), true, errs);
    const char *rp = ck_str(c, "restartPolicy");
    if (*rp && !init) ck_errs_forbidden(errs, P(f, "%s.restartPolicy", cp), "may not be set for non-init containers");
    else if (*rp && !in_list(rp, only_always)) ck_errs_not_supported(errs, P(f, "%s.restartPolicy", cp), rp, only_always);
}

typedef struct spec_ctx {
    const json_t *volumes; /* names set */
    json_t *names;         /* container names seen, shared by all lists */
    bool hostnet;
} spec_ctx;

static void validate_container(const json_t *c, const char *cp, bool init, spec_ctx *ctx, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    const char *name = ck_str(c, "name");
    P(f, "%s.name", cp);
    if (!*name) ck_errs_required(errs, f, NULL);
    else {
        ck_validate_dns1123_label(name, f, errs);
        if (json_object_get(ctx->names, name)) ck_errs_duplicate(errs, f, name);
        else json_object_set_new(ctx->names, name, json_true());
    }
    const char *image = ck_str(c, "image");
    P(f, "%s.image", cp);
    if (!*image) ck_errs_required(errs, f, NULL);
    check_enum(c, "imagePullPolicy", cp, pull_policies, true, errs);
    check_enum(c, "terminationMessagePolicy", cp, term_msg_policies, true, errs);
    validate_ports(json_object_get(c, "ports"), cp, ctx->hostnet, errs);
    validate_env(json_object_get(c, "env"), cp, errs);
    validate_mounts(json_object_get(c, "volumeMounts"), ctx->volumes, cp, errs);
    validate_resources(json_object_get(c, "resources"), cp, errs);
    validate_container_hooks(c, cp, init, errs);
}

static void validate_container_list(const json_t *list, const char *path, const char *key,
                                    bool init, spec_ctx *ctx, ck_errs *errs)
{
    size_t i;
    const json_t *c;
    char cp[CK_PATH_MAX];
    json_array_foreach(list, i, c)
        validate_container(c, P(cp, "%s.%s[%zu]", path, key, i), init, ctx, errs);
}

/* validateTolerations. */
static void validate_tolerations(const json_t *tols, const char *path, ck_errs *errs)
{
    size_t i;
    const json_t *t;
    char tp[CK_PATH_MAX], f[CK_PATH_MAX];
    json_array_foreach(tols, i, t) {
        P(tp, "%s.tolerations[%zu]", path, i);
        const char *key = ck_str(t, "key"), *op = ck_str(t, "operator"), *val = ck_str(t, "value");
        if (!*key && *op && strcmp(op, "Exists") != 0)
            ck_errs_invalid_str(errs, P(f, "%s.operator", tp), op,
                                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
        if (*op && !in_list(op, tol_operators))
            ck_errs_not_supported(errs, P(f, "%s.operator", tp), op, tol_operators);
        else if (strcmp(op, "Exists") == 0 && *val)
            ck_errs_invalid_str(errs, P(f, "%s.operator", tp), val,
                                "value must be empty when `operator` is 'Exists'");
        const char *eff = ck_str(t, "effect");
        if (json_object_get(t, "tolerationSeconds") && strcmp(eff, "NoExecute") != 0)
            ck_errs_invalid_str(errs, P(f, "%s.effect", tp), eff,
                                "effect must be 'NoExecute' when `tolerationSeconds` is set");
        check_enum(t, "effect", tp, taint_effects, false, errs);
    }
}

/* validateTopologySpreadConstraints. */
static void validate_spread(const json_t *list, const char *path, ck_errs *errs)
{
    json_t *seen = json_object();
    size_t i;
    const json_t *c;
    char cp[CK_PATH_MAX], f[CK_PATH_MAX];
    json_array_foreach(list, i, c) {
        P(cp, "%s.topologySpreadConstraints[%zu]", path, i);
        const json_t *skew = json_object_get(c, "maxSkew");
        if (json_integer_value(skew) <= 0)
            ck_errs_add(errs, "FieldValueInvalid", P(f, "%s.maxSkew", cp),
                        "Invalid value: %lld: must be greater than zero",
                        (long long)json_integer_value(skew));
        if (!*ck_str(c, "topologyKey")) ck_errs_required(errs, P(f, "%s.topologyKey", cp), "can not be empty");
        check_enum(c, "whenUnsatisfiable", cp, when_unsatisfiable, true, errs);
        char pair[CK_PATH_MAX];
        P(pair, "{%s, %s}", ck_str(c, "topologyKey"), ck_str(c, "whenUnsatisfiable"));
        if (json_object_get(seen, pair)) ck_errs_duplicate(errs, P(f, "%s.{topologyKey, whenUnsatisfiable}", cp), pair);
        else json_object_set_new(seen, pair, json_true());
    }
    json_decref(seen);
}

/* Weights of preferred terms and topologyKey of required pod (anti-)affinity terms. */
static void validate_affinity(const json_t *aff, const char *path, ck_errs *errs)
{
    static const char *const parts[] = {"nodeAffinity", "podAffinity", "podAntiAffinity", NULL};
    char f[CK_PATH_MAX];
    for (const char *const *p = parts; *p; p++) {
        const json_t *a = json_object_get(aff, *p);
        size_t i;
        const json_t *t;
        json_array_foreach(json_object_get(a, "preferredDuringSchedulingIgnoredDuringExecution"), i, t) {
            const json_t *w = json_object_get(t, "weight");
            if (json_integer_value(w) < 1 || json_integer_value(w) > 100)
                ck_errs_invalid(errs, P(f, "%s.affinity.%s.preferredDuringSchedulingIgnoredDuringExecution[%zu].weight",
                                        path, *p, i), w, "must be in the range 1-100");
            const json_t *term = json_object_get(t, "podAffinityTerm");
            if (strcmp(*p, "nodeAffinity") != 0 && !*ck_str(term, "topologyKey"))
                ck_errs_required(errs, P(f, "%s.affinity.%s.preferredDuringSchedulingIgnoredDuringExecution[%zu]"
                                            ".podAffinityTerm.topologyKey", path, *p, i), "can not be empty");
        }
        if (strcmp(*p, "nodeAffinity") == 0) continue;
        json_array_foreach(json_object_get(a, "requiredDuringSchedulingIgnoredDuringExecution"), i, t)
            if (!*ck_str(t, "topologyKey"))
                ck_errs_required(errs, P(f, "%s.affinity.%s.requiredDuringSchedulingIgnoredDuringExecution[%zu].topologyKey",
                                         path, *p, i), "can not be empty");
    }
}

/* IsValidSysctlName (validation.go): at most 253 characters of segments
 * [a-z0-9]([-_a-z0-9]*[a-z0-9])? separated by '.' or '/'. */
#define SYSCTL_MAX_LENGTH 253
#define SYSCTL_REGEX "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"

static bool sysctl_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static bool valid_sysctl_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SYSCTL_MAX_LENGTH) return false;
    for (const char *seg = name;;) {
        size_t len = strcspn(seg, "./");
        if (len == 0 || !sysctl_alnum(seg[0]) || !sysctl_alnum(seg[len - 1])) return false;
        for (size_t i = 0; i < len; i++)
            if (!sysctl_alnum(seg[i]) && seg[i] != '-' && seg[i] != '_') return false;
        if (!seg[len]) return true;
        seg += len + 1;
    }
}

/* validateSysctls: names present, valid, unique; net.* not with hostNetwork
 * and the IPC-namespaced ones not with hostIPC (isNetSysctl/isIPCSysctl). */
static void validate_sysctls(const json_t *spec, const char *path, ck_errs *errs)
{
    static const char *const ipc_prefixes[] = {"kernel.shm", "kernel.msg", "kernel.sem", "fs.mqueue.",
                                               "kernel/shm", "kernel/msg", "kernel/sem", "fs/mqueue/", NULL};
    const json_t *list = json_object_get(json_object_get(spec, "securityContext"), "sysctls");
    bool hostnet = json_is_true(json_object_get(spec, "hostNetwork"));
    bool hostipc = json_is_true(json_object_get(spec, "hostIPC"));
    char f[CK_PATH_MAX];
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) {
        const char *name = ck_str(s, "name");
        P(f, "%s.securityContext.sysctls[%zu].name", path, i);
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) dup = strcmp(ck_str(json_array_get(list, j), "name"), name) == 0;
        if (!*name) ck_errs_required(errs, f, NULL);
        else if (!valid_sysctl_name(name))
            ck_errs_invalid_str(errs, f, name, "must have at most 253 characters and match regex " SYSCTL_REGEX);
        else if (dup) ck_errs_duplicate(errs, f, name);
        if (hostnet && (strncmp(name, "net.", 4) == 0 || strncmp(name, "net/", 4) == 0))
            ck_errs_invalid_str(errs, f, name, "may not be specified when 'hostNetwork' is true");
        bool ipc = false;
        for (const char *const *p = ipc_prefixes; *p && !ipc; p++) ipc = strncmp(name, *p, strlen(*p)) == 0;
        if (hostipc && ipc) ck_errs_invalid_str(errs, f, name, "may not be specified when 'hostIPC' is true");
    }
}

/* Scalar pod-level fields: policies, deadlines, names, selectors. */
static void validate_spec_fields(const json_t *spec, const char *path, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    check_enum(spec, "restartPolicy", path, restart_policies, true, errs);
    check_enum(spec, "dnsPolicy", path, dns_policies, true, errs);
    if (strcmp(ck_str(spec, "dnsPolicy"), "None") == 0 && !json_object_get(spec, "dnsConfig"))
        ck_errs_required(errs, P(f, "%s.dnsConfig", path), "must provide `dnsConfig` when `dnsPolicy` is None");
    const json_t *ads = json_object_get(spec, "activeDeadlineSeconds");
    if (json_is_integer(ads) && (json_integer_value(ads) < 1 || json_integer_value(ads) > 2147483647))
        ck_errs_invalid(errs, P(f, "%s.activeDeadlineSeconds", path), ads,
                        "must be between 1 and 2147483647, inclusive");
    if (json_object_get(spec, "nodeSelector"))
        ck_validate_labels(json_object_get(spec, "nodeSelector"), P(f, "%s.nodeSelector", path), errs);
    static const char *const labels[] = {"hostname", "subdomain", NULL};
    for (const char *const *k = labels; *k; k++)
        if (*ck_str(spec, *k)) ck_validate_dns1123_label(ck_str(spec, *k), P(f, "%s.%s", path, *k), errs);
    static const char *const subdomains[] = {"serviceAccountName", "nodeName", "priorityClassName", NULL};
    for (const char *const *k = subdomains; *k; k++)
        if (*ck_str(spec, *k)) ck_validate_dns1123_subdomain(ck_str(spec, *k), P(f, "%s.%s", path, *k), errs);
}

void ck_validate_pod_spec(const json_t *spec, const char *path, ck_errs *errs)
{
    char f[CK_PATH_MAX];
    if (!json_is_object(spec)) {
        ck_errs_required(errs, path, NULL);
        return;
    }
    json_t *vols = validate_volumes(json_object_get(spec, "volumes"), path, errs);
    spec_ctx ctx = {.volumes = vols, .names = json_object(),
                    .hostnet = json_is_true(json_object_get(spec, "hostNetwork"))};
    validate_container_list(json_object_get(spec, "initContainers"), path, "initContainers", true, &ctx, errs);
    if (json_array_size(json_object_get(spec, "containers")) == 0)
        ck_errs_required(errs, P(f, "%s.containers", path), NULL);
    validate_container_list(json_object_get(spec, "containers"), path, "containers", false, &ctx, errs);
    /* validateEphemeralContainers: the common rules, names unique across all lists, then their own */
    validate_container_list(json_object_get(spec, "ephemeralContainers"), path, "ephemeralContainers", false, &ctx, errs);
    ck_validate_ephemeral_containers(spec, path, errs);
    validate_spec_fields(spec, path, errs);
    validate_sysctls(spec, path, errs);
    validate_tolerations(json_object_get(spec, "tolerations"), path, errs);
    validate_spread(json_object_get(spec, "topologySpreadConstraints"), path, errs);
    validate_affinity(json_object_get(spec, "affinity"), path, errs);
    json_decref(ctx.names);
    json_decref(vols);
}
