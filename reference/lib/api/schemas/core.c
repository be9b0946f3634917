/* core.c: core/v1 Namespace, ConfigMap, Secret, ServiceAccount, Endpoints
 * and Binding: schemas after k8s.io/api/core/v1/types.go, defaults after
 * pkg/apis/core/v1/defaults.go, validation after
 * pkg/apis/core/validation/validation.go, columns after pkg/printers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/decode.h"
#include "api/schemas/fields.h"
#include "api/schemas/schemas.h"
#include "util/ckjson.h"

#define IMMUTABLE_SET "field is immutable when `immutable` is set"
#define MAX_SECRET_SIZE (1024 * 1024) /* corev1.MaxSecretSize, also ConfigMaps' limit */

static json_t *cell_count(const json_t *obj, const char *a, const char *b)
{
    size_t n = 0;
    json_t *v = ck_json_path(obj, a);
    if (json_is_object(v)) n += json_object_size(v);
    else if (json_is_array(v)) n += json_array_size(v);
    v = b ? ck_json_path(obj, b) : NULL;
    if (json_is_object(v)) n += json_object_size(v);
    return json_integer((json_int_t)n);
}

/* ---- Namespace ---------------------------------------------------------- */
static const ck_field condition_fields[] = {
    F_STR("type", PB(1)), F_STR("status", PB(2)), F_TIME("lastTransitionTime", PB(4)),
    F_STR("reason", PB(5)), F_STR("message", PB(6)), F_END};
static const ck_field ns_condition = {.name = "", .type = CK_OBJECT, .fields = condition_fields};
static const ck_field ns_spec[] = {F_STRLIST("finalizers", PB(1)), F_END};
static const ck_field ns_status[] = {
    F_STR("phase", PB(1)), F_MLIST("conditions", &ns_condition, "type", PB(2)), F_END};
static const ck_field ns_root[] = {F_TYPEMETA, F_OBJ("spec", ns_spec, PB(2)), F_OBJ("status", ns_status, PB(3)), F_END};
const ck_field ck_schema_namespace = {.name = "", .type = CK_OBJECT, .fields = ns_root};
const ck_column ck_columns_namespace[] = {
    COL_NAME,
    {.name = "Status", .type = "string", .format = "",
     .description = "The status of the namespace", .json_path = "status.phase"},
    COL_AGE, {0}};

/* SetDefaults_NamespaceStatus (phase Active) and SetDefaults_Namespace
 * (label kubernetes.io/metadata.name). spec.finalizers ["kubernetes"] is
 * the registry's PrepareForCreate, not a default: the apiserver sets it. */
void ck_defaults_namespace(json_t *obj)
{
    json_t *status = ck_json_ensure_object(obj, "status");
    if (status && !json_is_string(json_object_get(status, "phase")))
        json_object_set_new(status, "phase", json_string("Active"));
    const char *name = ck_json_str(obj, "metadata.name", NULL);
    json_t *labels = name && *name ? ck_json_ensure_object(obj, "metadata.labels") : NULL;
    if (labels) json_object_set_new(labels, "kubernetes.io/metadata.name", json_string(name));
}

void ck_validate_namespace(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const phases[] = {"Active", "Terminating", NULL};
    const char *phase = ck_json_str(obj, "status.phase", "");
    if (*phase && strcmp(phase, "Active") && strcmp(phase, "Terminating"))
        ck_errs_not_supported(errs, "status.phase", phase, phases);
    json_t *fins = ck_json_path(obj, "spec.finalizers");
    size_t i;
    json_t *f;
    char path[64];
    json_array_foreach(fins, i, f) {
        snprintf(path, sizeof path, "spec.finalizers[%zu]", i);
        if (json_is_string(f)) ck_validate_qualified_name(json_string_value(f), path, errs);
    }
}

/* ---- ConfigMap ---------------------------------------------------------- */
static const ck_field cm_root[] = {
    F_TYPEMETA, F_STRMAP("data", PB(2)), F_STRMAP("binaryData", PB(3)), F_BOOL("immutable", PBP(4)), F_END};
const ck_field ck_schema_configmap = {.name = "", .type = CK_OBJECT, .fields = cm_root};
static json_t *cell_cm_data(const json_t *o) { return cell_count(o, "data", "binaryData"); }
const ck_column ck_columns_configmap[] = {
    COL_NAME,
    {.name = "Data", .type = "string", .format = "", .description = "Data contains the configuration data.",
     .cell = cell_cm_data},
    COL_AGE, {0}};

void ck_defaults_configmap(json_t *obj) {}

/* Key checks of one bag; returns the summed value size. */
static size_t check_keys(const json_t *bag, const char *name, const json_t *other,
                         const char *other_name, ck_errs *errs)
{
    const char *key;
    json_t *v;
    size_t total = 0;
    char path[512], msg[128];
    json_object_foreach((json_t *)bag, key, v) {
        snprintf(path, sizeof path, "%s[%s]", name, key);
        ck_validate_config_key(key, path, errs);
        if (other && json_object_get(other, key)) {
            snprintf(msg, sizeof msg, "duplicate of key present in %s", other_name);
            ck_errs_invalid_str(errs, path, key, msg);
        }
        if (json_is_string(v)) total += json_string_length(v);
    }
    return total;
}

static bool is_true(const json_t *o, const char *f) { return json_is_true(json_object_get(o, f)); }

/* ValidateConfigMapUpdate / ValidateSecretUpdate's immutability rules. */
static void check_immutable(const json_t *obj, const json_t *old, const char *const *bags,
                            ck_errs *errs)
{
    if (!old || !is_true(old, "immutable")) return;
    if (!is_true(obj, "immutable")) ck_errs_forbidden(errs, "immutable", IMMUTABLE_SET);
    for (; *bags; bags++) {
        json_t *a = json_object_get(obj, *bags), *b = json_object_get(old, *bags);
        bool ea = !a || json_is_null(a) || (json_is_object(a) && !json_object_size(a));
        bool eb = !b || json_is_null(b) || (json_is_object(b) && !json_object_size(b));
        if (!(ea && eb) && !ck_json_equal(a, b)) ck_errs_forbidden(errs, *bags, IMMUTABLE_SET);
    }
}

void ck_validate_configmap(const json_t *obj, const json_t *old, ck_errs *errs)
{
    json_t *data = json_object_get(obj, "data"), *bin = json_object_get(obj, "binaryData");
    size_t total = 0;
    if (json_is_object(data)) total += check_keys(data, "data", json_is_object(bin) ? bin : NULL, "binaryData", errs);
    if (json_is_object(bin)) total += check_keys(bin, "binaryData", json_is_object(data) ? data : NULL, "data", errs);
    /* upstream passes the path "" to mean the whole object */
    if (total > MAX_SECRET_SIZE) ck_errs_too_long(errs, "", MAX_SECRET_SIZE);
    static const char *const bags[] = {"data", "binaryData", NULL};
    check_immutable(obj, old, bags, errs);
}

/* ---- Secret ------------------------------------------------------------- */
static const ck_field secret_root[] = {
    F_TYPEMETA, F_STRMAP("data", PB(2)), F_STRMAP("stringData", PB(4)),
    {.name = "type", .type = CK_STRING, .dflt = "\"Opaque\"", .tag = 3},
    F_BOOL("immutable", PBP(5)), F_END};
const ck_field ck_schema_secret = {.name = "", .type = CK_OBJECT, .fields = secret_root};
static json_t *cell_secret_data(const json_t *o) { return cell_count(o, "data", NULL); }
const ck_column ck_columns_secret[] = {
    COL_NAME,
    {.name = "Type", .type = "string", .format = "", .description = "Used to facilitate programmatic handling of secret data.",
     .json_path = "type"},
    {.name = "Data", .type = "string", .format = "", .description = "Data contains the secret data.",
     .cell = cell_secret_data},
    COL_AGE, {0}};

static char *base64(const unsigned char *in, size_t len)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(4 * ((len + 2) / 3) + 1), *p = out;
    if (!out) return NULL;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < len ? (unsigned)in[i + 1] << 8 : 0) |
                     (i + 2 < len ? in[i + 2] : 0);
        *p++ = t[v >> 18 & 63];
        *p++ = t[v >> 12 & 63];
        *p++ = i + 1 < len ? t[v >> 6 & 63] : '=';
        *p++ = i + 2 < len ? t[v & 63] : '=';
    }
    *p = 0;
    return out;
}

/* Convert_v1_Secret_To_core_Secret folds stringData into data (stringData
 * wins) and stringData is never stored; type "" defaults to Opaque. */
void ck_defaults_secret(json_t *obj)
{
    json_t *sd = json_object_get(obj, "stringData");
    if (json_is_object(sd) && json_object_size(sd)) {
        json_t *data = ck_json_ensure_object(obj, "data");
        const char *k;
        json_t *v;
        json_object_foreach(sd, k, v) {
            if (!data || !json_is_string(v)) continue;
            char *b = base64((const unsigned char *)json_string_value(v), json_string_length(v));
            if (b) json_object_set_new(data, k, json_string(b));
            free(b);
        }
    }
    json_object_del(obj, "stringData");
    json_t *t = json_object_get(obj, "type");
    if (!json_is_string(t) || !json_string_length(t))
        json_object_set_new(obj, "type", json_string("Opaque"));
}

static size_t b64_decoded_len(const char *s)
{
    size_t n = strlen(s), pad = 0;
    while (n > pad && s[n - 1 - pad] == '=') pad++;
    return n * 3 / 4 - pad;
}

static bool has_key(const json_t *data, const char *k) { return json_object_get(data, k) != NULL; }

static void require_key(const json_t *data, const char *k, ck_errs *errs)
{
    char path[128];
    json_t *v = json_object_get(data, k);
    if (!json_is_string(v) || !json_string_length(v)) {
        snprintf(path, sizeof path, "data[%s]", k);
        ck_errs_required(errs, path, NULL);
    }
}

/* ValidateSecret's per-type rules. */
static void validate_secret_type(const json_t *obj, const json_t *data, ck_errs *errs)
{
    const char *type = ck_json_str(obj, "type", "");
    if (!strcmp(type, "kubernetes.io/service-account-token")) {
        if (!*ck_json_str(json_object_get(json_object_get(obj, "metadata"), "annotations"),
                          "kubernetes.io/service-account.name", ""))
            ck_errs_required(errs, "metadata.annotations[kubernetes.io/service-account.name]", NULL);
    } else if (!strcmp(type, "kubernetes.io/dockercfg")) {
        require_key(data, ".dockercfg", errs);
    } else if (!strcmp(type, "kubernetes.io/dockerconfigjson")) {
        require_key(data, ".dockerconfigjson", errs);
    } else if (!strcmp(type, "kubernetes.io/basic-auth")) {
        if (!has_key(data, "username") && !has_key(data, "password")) {
            ck_errs_required(errs, "data[username]", NULL);
            ck_errs_required(errs, "data[password]", NULL);
        }
    } else if (!strcmp(type, "kubernetes.io/ssh-auth")) {
        require_key(data, "ssh-privatekey", errs);
    } else if (!strcmp(type, "kubernetes.io/tls")) {
        require_key(data, "tls.key", errs);
        require_key(data, "tls.crt", errs);
    }
}

void ck_validate_secret(const json_t *obj, const json_t *old, ck_errs *errs)
{
    json_t *data = json_object_get(obj, "data");
    const char *key;
    json_t *v;
    size_t total = 0;
    char path[512];
    json_object_foreach(json_is_object(data) ? data : NULL, key, v) {
        snprintf(path, sizeof path, "data[%s]", key);
        ck_validate_config_key(key, path, errs);
        if (json_is_string(v)) total += b64_decoded_len(json_string_value(v));
    }
    if (total > MAX_SECRET_SIZE) ck_errs_too_long(errs, "data", MAX_SECRET_SIZE);
    validate_secret_type(obj, json_is_object(data) ? data : NULL, errs);
    if (old) {
        const char *nt = ck_json_str(obj, "type", ""), *ot = ck_json_str(old, "type", "");
        if (strcmp(nt, ot) != 0) ck_errs_invalid_str(errs, "type", nt, "field is immutable");
        static const char *const bags[] = {"data", NULL};
        check_immutable(obj, old, bags, errs);
    }
}

/* ---- ServiceAccount ----------------------------------------------------- */
static const ck_field local_ref_fields[] = {F_STR("name", PB(1)), F_END};
static const ck_field local_ref = {.name = "", .type = CK_OBJECT, .fields = local_ref_fields};
static const ck_field sa_root[] = {
    F_TYPEMETA, F_MLIST("secrets", &ck_field_object_reference, "name", PB(2)),
    F_LIST("imagePullSecrets", &local_ref, PB(3)), F_BOOL("automountServiceAccountToken", PBP(4)), F_END};
const ck_field ck_schema_serviceaccount = {.name = "", .type = CK_OBJECT, .fields = sa_root};
static json_t *cell_sa_secrets(const json_t *o) { return cell_count(o, "secrets", NULL); }
const ck_column ck_columns_serviceaccount[] = {
    COL_NAME,
    {.name = "Secrets", .type = "string", .format = "", .description = "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
     .cell = cell_sa_secrets},
    COL_AGE, {0}};
void ck_defaults_serviceaccount(json_t *obj) {}
void ck_validate_serviceaccount(const json_t *obj, const json_t *old, ck_errs *errs) {}

/* ---- Binding ------------------------------------------------------------ */
static const ck_field binding_root[] = {F_TYPEMETA, F_REF("target", PB(2)), F_END};
const ck_field ck_schema_binding = {.name = "", .type = CK_OBJECT, .fields = binding_root};
const ck_column ck_columns_binding[] = {COL_NAME, COL_AGE, {0}};
void ck_defaults_binding(json_t *obj) {}

/* ValidatePodBinding. */
void ck_validate_binding(const json_t *obj, const json_t *old, ck_errs *errs)
{
    static const char *const kinds[] = {"Node", "<empty>", NULL};
    const char *kind = ck_json_str(obj, "target.kind", "");
    if (*kind && strcmp(kind, "Node") != 0) ck_errs_not_supported(errs, "target.kind", kind, kinds);
    if (!*ck_json_str(obj, "target.name", "")) ck_errs_required(errs, "target.name", NULL);
}
