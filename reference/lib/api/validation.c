/* validation.c: generic object validation: ObjectMeta rules of
 * k8s.io/apimachinery/pkg/api/validation/objectmeta.go and the string
 * validators of k8s.io/apimachinery/pkg/util/validation/validation.go,
 * with their exact messages; then the kind's own validate hook. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "api/decode.h"

#define DNS1123_LABEL_FMT "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define DNS1123_SUBDOMAIN_FMT DNS1123_LABEL_FMT "(\\." DNS1123_LABEL_FMT ")*"
#define QNAME_FMT "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define TOTAL_ANNOTATION_SIZE (256 * 1024)

static const char MSG_SUBDOMAIN[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '" DNS1123_SUBDOMAIN_FMT "')";
static const char MSG_LABEL[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
    "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
    "validation is '" DNS1123_LABEL_FMT "')";
static const char MSG_DNS1035[] =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
    "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
static const char MSG_QNAME[] =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
    "is '" QNAME_FMT "')";
static const char MSG_LABEL_VALUE[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
    "'12345', regex used for validation is '(" QNAME_FMT ")?')";
static const char MSG_CONFIG_KEY[] =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
    "or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/* ---- matchers (the regexes above, by hand) ------------------------------ */
static bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool alnum(char c) { return isalnum((unsigned char)c) != 0; }

static bool match_label(const char *s, size_t n)
{
    if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1])) return false;
    for (size_t i = 0; i < n; i++)
        if (!lower_alnum(s[i]) && s[i] != '-') return false;
    return true;
}
static bool match_subdomain(const char *s)
{
    const char *p = s;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!match_label(p, n)) return false;
        if (!dot) return true;
        p = dot + 1;
    }
}
static bool match_qname(const char *s, size_t n)
{
    if (n == 0 || !alnum(s[0]) || !alnum(s[n - 1])) return false;
    for (size_t i = 0; i < n; i++)
        if (!alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.') return false;
    return true;
}

/* ---- upstream validators ------------------------------------------------ */
static void invalid(ck_errs *errs, const char *field, const char *value, const char *msg)
{
    ck_errs_invalid_str(errs, field, value, msg);
}

/* The name validators check `value` but report `shown` (generateName is
 * checked with its trailing '-' masked, and reported as given). */
static void subdomain2(const char *value, const char *shown, const char *field, ck_errs *errs)
{
    if (strlen(value) > 253) invalid(errs, field, shown, "must be no more than 253 characters");
    if (!match_subdomain(value)) invalid(errs, field, shown, MSG_SUBDOMAIN);
}

static void label2(const char *value, const char *shown, const char *field, ck_errs *errs)
{
    size_t n = strlen(value);
    if (n > 63) invalid(errs, field, shown, "must be no more than 63 characters");
    if (!match_label(value, n))
        invalid(errs, field, shown, match_subdomain(value) ? "must not contain dots" : MSG_LABEL);
}

static void dns1035_2(const char *value, const char *shown, const char *field, ck_errs *errs)
{
    size_t n = strlen(value);
    if (n > 63) invalid(errs, field, shown, "must be no more than 63 characters");
    if (!match_label(value, n) || !(value[0] >= 'a' && value[0] <= 'z'))
        invalid(errs, field, shown, MSG_DNS1035);
}

void ck_validate_dns1123_subdomain(const char *value, const char *field, ck_errs *errs)
{
    subdomain2(value, value, field, errs);
}

void ck_validate_dns1123_label(const char *value, const char *field, ck_errs *errs)
{
    label2(value, value, field, errs);
}

/* IsQualifiedName's messages for `value`, each passed to emit. */
static void qualified_name_msgs(const char *value, void (*emit)(const char *msg, void *u), void *u)
{
    char buf[1024];
    const char *slash = strchr(value, '/');
    const char *name = value;
    if (slash && strchr(slash + 1, '/')) {
        snprintf(buf, sizeof buf, "a qualified name %s with an optional DNS subdomain prefix and '/' "
                 "(e.g. 'example.com/MyName')", MSG_QNAME);
        emit(buf, u);
        return;
    }
    if (slash) {
        char prefix[512];
        snprintf(prefix, sizeof prefix, "%.*s", (int)(slash - value), value);
        name = slash + 1;
        if (!*prefix) emit("prefix part must be non-empty", u);
        else {
            if (strlen(prefix) > 253) emit("prefix part must be no more than 253 characters", u);
            if (!match_subdomain(prefix)) {
                snprintf(buf, sizeof buf, "prefix part %s", MSG_SUBDOMAIN);
                emit(buf, u);
            }
        }
    }
    size_t n = strlen(name);
    if (n == 0) emit("name part must be non-empty", u);
    else if (n > 63) emit("name part must be no more than 63 characters", u);
    if (!match_qname(name, n)) {
        snprintf(buf, sizeof buf, "name part %s", MSG_QNAME);
        emit(buf, u);
    }
}

typedef struct emit_ctx { ck_errs *errs; const char *field; const char *value; } emit_ctx;
static void emit_invalid(const char *msg, void *u)
{
    emit_ctx *c = u;
    invalid(c->errs, c->field, c->value, msg);
}

void ck_validate_qualified_name(const char *value, const char *field, ck_errs *errs)
{
    emit_ctx c = {errs, field, value};
    qualified_name_msgs(value, emit_invalid, &c);
}

void ck_validate_config_key(const char *key, const char *field, ck_errs *errs)
{
    size_t n = strlen(key);
    if (n > 253) invalid(errs, field, key, "must be no more than 253 characters");
    bool ok = n > 0;
    for (size_t i = 0; i < n; i++)
        if (!alnum(key[i]) && key[i] != '-' && key[i] != '_' && key[i] != '.') ok = false;
    if (!ok) invalid(errs, field, key, MSG_CONFIG_KEY);
    if (!strcmp(key, ".")) invalid(errs, field, key, "must not be '.'");
    else if (!strcmp(key, "..")) invalid(errs, field, key, "must not be '..'");
    else if (!strncmp(key, "..", 2)) invalid(errs, field, key, "must not start with '..'");
}

/* ValidateLabels: keys are qualified names, values label values; errors
 * are reported at the labels path itself. */
void ck_validate_labels(const json_t *labels, const char *field, ck_errs *errs)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)labels, k, v) {
        ck_validate_qualified_name(k, field, errs);
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        size_t n = strlen(s);
        if (n > 63) invalid(errs, field, s, "must be no more than 63 characters");
        if (n && !match_qname(s, n)) invalid(errs, field, s, MSG_LABEL_VALUE);
    }
}

/* ValidateAnnotations: keys are qualified names (checked lower-cased),
 * total size of keys and values at most 256 KiB. */
void ck_validate_annotations(const json_t *annotations, const char *field, ck_errs *errs)
{
    const char *k;
    json_t *v;
    size_t total = 0;
    char lower[1024];
    json_object_foreach((json_t *)annotations, k, v) {
        size_t i;
        for (i = 0; k[i] && i < sizeof lower - 1; i++) lower[i] = (char)tolower((unsigned char)k[i]);
        lower[i] = 0;
        emit_ctx c = {errs, field, k};
        qualified_name_msgs(lower, emit_invalid, &c);
        total += strlen(k) + (json_is_string(v) ? json_string_length(v) : 0);
    }
    if (total > TOTAL_ANNOTATION_SIZE) ck_errs_too_long(errs, field, TOTAL_ANNOTATION_SIZE);
}

/* ---- ObjectMeta --------------------------------------------------------- */
typedef void (*name_fn)(const char *value, const char *shown, const char *field, ck_errs *errs);

/* Each registry's name validator (NameIsDNSSubdomain unless noted). */
static name_fn name_validator(const ck_kind *k)
{
    if (!strcmp(k->resource, "namespaces") && !k->group[0]) return label2;
    if (!strcmp(k->resource, "services") && !k->group[0]) return dns1035_2;
    return subdomain2;
}

static void validate_owner_refs(const json_t *refs, ck_errs *errs)
{
    const char *path = "metadata.ownerReferences";
    size_t i, controllers = 0;
    json_t *r;
    char first[300] = "";
    json_array_foreach(refs, i, r) {
        const char *av = json_string_value(json_object_get(r, "apiVersion"));
        const char *slash = av ? strrchr(av, '/') : NULL;
        const char *version = slash ? slash + 1 : av;
        if (!version || !*version)
            invalid(errs, "metadata.ownerReferences.apiVersion", av ? av : "", "version must not be empty");
        static const char *const req[][2] = {{"kind", "kind must not be empty"},
                                             {"name", "name must not be empty"},
                                             {"uid", "uid must not be empty"}};
        for (size_t j = 0; j < 3; j++) {
            const char *v = json_string_value(json_object_get(r, req[j][0]));
            char f[96];
            snprintf(f, sizeof f, "%s.%s", path, req[j][0]);
            if (!v || !*v) invalid(errs, f, v ? v : "", req[j][1]);
        }
        if (json_is_true(json_object_get(r, "controller"))) {
            char desc[300];
            snprintf(desc, sizeof desc, "%s/%s", json_string_value(json_object_get(r, "kind")) ?: "",
                     json_string_value(json_object_get(r, "name")) ?: "");
            if (++controllers == 1) snprintf(first, sizeof first, "%s", desc);
            else {
                char msg[800];
                snprintf(msg, sizeof msg, "Only one reference can have Controller set to true. "
                         "Found \"true\" in references for %s and %s", first, desc);
                ck_errs_invalid(errs, path, refs, msg);
            }
        }
    }
}

static void validate_meta(const ck_kind *k, const json_t *meta, ck_errs *errs)
{
    const char *name = json_string_value(json_object_get(meta, "name"));
    const char *gen = json_string_value(json_object_get(meta, "generateName"));
    const char *ns = json_string_value(json_object_get(meta, "namespace"));
    name_fn fn = name_validator(k);
    if (gen && *gen) {
        /* maskTrailingDash: a generateName may end in '-' */
        char masked[300];
        snprintf(masked, sizeof masked, "%s", gen);
        size_t n = strlen(masked);
        if (n > 1 && masked[n - 1] == '-') masked[n - 1] = 'a';
        fn(masked, gen, "metadata.generateName", errs);
    }
    if (!name || !*name) {
        if ((!gen || !*gen) && !k->virtual_kind) ck_errs_required(errs, "metadata.name", "name or generateName is required");
    } else {
        fn(name, name, "metadata.name", errs);
    }
    if (k->namespaced) {
        if (!ns || !*ns) ck_errs_required(errs, "metadata.namespace", NULL);
        else ck_validate_dns1123_label(ns, "metadata.namespace", errs);
    } else if (ns && *ns) {
        ck_errs_forbidden(errs, "metadata.namespace", "not allowed on this type");
    }
    json_t *gv = json_object_get(meta, "generation");
    if (json_is_integer(gv) && json_integer_value(gv) < 0)
        ck_errs_invalid(errs, "metadata.generation", gv, "must be greater than or equal to 0");
    json_t *labels = json_object_get(meta, "labels");
    if (json_is_object(labels)) ck_validate_labels(labels, "metadata.labels", errs);
    json_t *ann = json_object_get(meta, "annotations");
    if (json_is_object(ann)) ck_validate_annotations(ann, "metadata.annotations", errs);
    json_t *refs = json_object_get(meta, "ownerReferences");
    if (json_is_array(refs)) validate_owner_refs(refs, errs);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(meta, "finalizers"), i, f)
        if (json_is_string(f)) ck_validate_qualified_name(json_string_value(f), "metadata.finalizers", errs);
}

/* ValidateObjectMetaUpdate's immutable fields. */
static void validate_meta_update(const json_t *meta, const json_t *old, ck_errs *errs)
{
    static const char *const immutable[] = {"name", "namespace", "uid", "creationTimestamp", NULL};
    char f[64];
    for (const char *const *k = immutable; *k; k++) {
        json_t *a = json_object_get(meta, *k), *b = json_object_get(old, *k);
        if (!b || json_is_null(b)) continue;
        if (!json_equal(a, b)) {
            snprintf(f, sizeof f, "metadata.%s", *k);
            json_t *na = a ? json_incref(a) : json_string("");
            ck_errs_invalid(errs, f, na, "field is immutable");
            json_decref(na);
        }
    }
}

void ck_validate_object(const ck_kind *k, const json_t *obj, const json_t *old, ck_errs *errs)
{
    json_t *meta = json_object_get(obj, "metadata");
    validate_meta(k, json_is_object(meta) ? meta : NULL, errs);
    if (old && json_is_object(meta)) validate_meta_update(meta, json_object_get(old, "metadata"), errs);
    if (k->validate) k->validate(obj, old, errs);
}
