/* gen_dict.c: writes a libFuzzer dictionary for one fuzz target, generated
 * from the kinds table (ck_kinds[]: groups, versions, kinds, resources,
 * subresources, short names, schema field names and defaults, field
 * selectors) plus the fixed vocabulary of each input format.
 * Usage: gen_dict <target> > fuzz/dict/<target>.dict */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/kinds.h"

enum {
    T_KINDS = 1u << 0,  /* apiVersion/kind values */
    T_JSON = 1u << 1,   /* schema fields as "field": JSON keys */
    T_YAML = 1u << 2,   /* schema fields as field: YAML keys */
    T_PATHS = 1u << 3,  /* URL paths, query parameters, methods, media types */
    T_LSEL = 1u << 4,   /* label selector syntax */
    T_FSEL = 1u << 5,   /* field selector keys */
    T_QTY = 1u << 6,    /* quantity suffixes */
    T_PATCH = 1u << 7,  /* JSON patch ops, SMP directives */
    T_WATCH = 1u << 8,  /* watch event vocabulary */
    T_ETCD = 1u << 9,   /* etcd gateway JSON fields */
    T_KCFG = 1u << 10,  /* kubeconfig keys */
    T_JSYN = 1u << 11,  /* JSON syntax */
};

static const struct { const char *target; unsigned sets; } targets[] = {
    {"fuzz_object", T_KINDS | T_JSON | T_JSYN},
    {"fuzz_yaml", T_KINDS | T_YAML},
    {"fuzz_reqinfo", T_PATHS},
    {"fuzz_apiserver_request", T_PATHS | T_KINDS | T_JSON | T_JSYN | T_PATCH},
    {"fuzz_watch", T_WATCH | T_KINDS | T_JSON | T_JSYN},
    {"fuzz_etcd3_response", T_ETCD | T_JSYN},
    {"fuzz_kubeconfig", T_KCFG | T_YAML},
    {"fuzz_label_selector", T_LSEL | T_JSYN},
    {"fuzz_field_selector", T_FSEL},
    {"fuzz_quantity", T_QTY},
    {"fuzz_json_patch", T_PATCH | T_JSYN},
    {"fuzz_merge_patch", T_PATCH | T_JSYN},
    {"fuzz_strategic_patch", T_PATCH | T_JSYN | T_JSON | T_KINDS},
};

/* Fixed vocabularies, per set. */
static const char *const v_paths[] = {
    "GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS ", "/api", "/apis", "/api/v1",
    "/namespaces/", "/namespaces/default/", "/watch/", "/healthz", "/livez", "/readyz", "/version",
    "/openapi/v2", "/openapi/v3", "/metrics", "?watch=1", "&watch=true", "labelSelector=",
    "fieldSelector=", "resourceVersion=", "resourceVersion=0", "resourceVersionMatch=NotOlderThan",
    "limit=", "continue=", "timeoutSeconds=", "allowWatchBookmarks=true", "fieldValidation=Strict",
    "fieldValidation=Warn", "fieldValidation=Ignore", "dryRun=All", "fieldManager=", "force=true",
    "propagationPolicy=Foreground", "propagationPolicy=Background", "propagationPolicy=Orphan",
    "gracePeriodSeconds=", "sendInitialEvents=true", "Content-Type: ", "Accept: ",
    "application/json", "application/yaml", "application/json-patch+json",
    "application/merge-patch+json", "application/strategic-merge-patch+json",
    "application/apply-patch+yaml", "application/json;as=Table;v=v1;g=meta.k8s.io",
    "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io", "\n\n", NULL};
static const char *const v_lsel[] = {"in", "notin", "==", "!=", "=", "!", "(", ")", ",", " in (",
                                     " notin (", "matchLabels", "matchExpressions", "key", "operator",
                                     "values", "In", "NotIn", "Exists", "DoesNotExist", "example.com/",
                                     NULL};
static const char *const v_qty[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E",
                                    "m", "u", "n", "e", "E", ".", "+", "-", "e+", "e-", "9223372036854775807",
                                    NULL};
static const char *const v_patch[] = {
    "\"op\"", "\"add\"", "\"remove\"", "\"replace\"", "\"move\"", "\"copy\"", "\"test\"", "\"path\"",
    "\"from\"", "\"value\"", "/-", "~0", "~1", "\"$patch\"", "\"delete\"", "\"merge\"",
    "\"$retainKeys\"", "\"$deleteFromPrimitiveList/", "\"$setElementOrder/", NULL};
static const char *const v_watch[] = {"{\"type\":\"", "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR",
                                      "\"object\":", "\"Status\"", "\"code\":410", "\"Expired\"", "\n",
                                      NULL};
static const char *const v_etcd[] = {
    "\"header\"", "\"revision\"", "\"cluster_id\"", "\"member_id\"", "\"raft_term\"", "\"kvs\"",
    "\"key\"", "\"value\"", "\"create_revision\"", "\"mod_revision\"", "\"version\"", "\"count\"",
    "\"more\"", "\"responses\"", "\"response_range\"", "\"response_put\"", "\"response_delete_range\"",
    "\"succeeded\"", "\"result\"", "\"events\"", "\"prev_kv\"", "\"type\"", "\"PUT\"", "\"DELETE\"",
    "\"compact_revision\"", "\"watch_id\"", "\"created\"", "\"canceled\"", "\"cancel_reason\"",
    "\"error\"", "\"code\"", "\"message\"", "\"prefix\"", "L3JlZ2lzdHJ5L3BvZHMv", "=", "==", NULL};
static const char *const v_kcfg[] = {
    "apiVersion: v1\n", "kind: Config\n", "clusters:\n", "- cluster:\n", "server: ", "http://127.0.0.1:6443",
    "certificate-authority: ", "certificate-authority-data: ", "insecure-skip-tls-verify: true",
    "users:\n", "- name: ", "user:\n", "token: ", "tokenFile: ", "client-certificate: ",
    "client-certificate-data: ", "client-key: ", "client-key-data: ", "contexts:\n", "- context:\n",
    "cluster: ", "user: ", "namespace: ", "current-context: ", "ctx", "LS0tLS1CRUdJTg==", NULL};
static const char *const v_jsyn[] = {"{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "0",
                                     "-1", "1e309", "\\u0000", "\\ud800", NULL};
static const char *const v_fsel[] = {"metadata.name", "metadata.namespace", "=", "==", "!=", ",", NULL};
static const char *const v_meta[] = {"metadata", "name", "namespace", "labels", "annotations",
                                     "generateName", "resourceVersion", "uid", "finalizers",
                                     "ownerReferences", "deletionTimestamp", "managedFields", NULL};

/* ---- output with de-duplication -------------------------------------- */
#define SEEN_CAP 16384
static char *seen[SEEN_CAP];

static unsigned long hash(const char *s)
{
    unsigned long h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h;
}

/* Prints one dictionary entry, escaped; libFuzzer ignores entries over 64
 * bytes, so longer tokens are skipped. */
static void emit(const char *tok)
{
    size_t len = strlen(tok);
    if (len == 0 || len > 60) return;
    unsigned long i = hash(tok) % SEEN_CAP;
    for (unsigned long n = 0; seen[i]; i = (i + 1) % SEEN_CAP)
        if (!strcmp(seen[i], tok) || ++n == SEEN_CAP) return;
    if (!(seen[i] = strdup(tok))) return;
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)tok; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20 || *p > 0x7e) printf("\\x%02X", *p);
        else putchar(*p);
    }
    printf("\"\n");
}

static void emitf(const char *a, const char *b, const char *c)
{
    char buf[128];
    if ((size_t)snprintf(buf, sizeof buf, "%s%s%s", a, b, c) < sizeof buf) emit(buf);
}

static void emit_list(const char *const *l)
{
    for (; l && *l; l++) emit(*l);
}

static void field_tokens(const ck_field *f, unsigned sets, int depth)
{
    if (!f || depth > 16) return;
    for (; f->name; f++) {
        if (sets & T_JSON) emitf("\"", f->name, "\":");
        if (sets & T_YAML) emitf(f->name, ": ", "");
        if (f->dflt) emit(f->dflt);
        field_tokens(f->fields, sets, depth + 1);
        if (f->items) field_tokens(f->items->fields, sets, depth + 1);
    }
}

static void kind_tokens(const ck_kind *k, unsigned sets)
{
    char av[96];
    ck_kind_api_version(k, av, sizeof av);
    if (sets & T_KINDS) {
        if (sets & T_YAML) { emitf("apiVersion: ", av, "\n"); emitf("kind: ", k->kind, "\n"); }
        if (sets & T_JSON) { emitf("\"apiVersion\":\"", av, "\""); emitf("\"kind\":\"", k->kind, "\""); }
        emit(k->kind);
        emit(k->list_kind);
        emit(av);
    }
    if (sets & T_PATHS) {
        char base[128];
        if (*k->group) snprintf(base, sizeof base, "/apis/%s/%s/", k->group, k->version);
        else snprintf(base, sizeof base, "/api/%s/", k->version);
        emit(base);
        emitf(base, k->resource, "");
        emitf("/", k->resource, "");
        if (k->group && *k->group) emit(k->group);
        emit(k->version);
        emit(k->resource);
        for (const char *const *s = k->short_names; s && *s; s++) emit(*s);
        static const struct { unsigned bit; const char *name; } subs[] = {
            {CK_SUB_STATUS, "/status"}, {CK_SUB_SCALE, "/scale"}, {CK_SUB_BINDING, "/binding"},
            {CK_SUB_LOG, "/log"}, {CK_SUB_EXEC, "/exec"}, {CK_SUB_PROXY, "/proxy"},
            {CK_SUB_FINALIZE, "/finalize"}, {CK_SUB_EVICTION, "/eviction"}, {CK_SUB_ATTACH, "/attach"},
            {CK_SUB_PORTFWD, "/portforward"}, {CK_SUB_EPHEMERAL, "/ephemeralcontainers"}};
        for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
            if (k->subresources & subs[i].bit) emit(subs[i].name);
    }
    if (sets & T_FSEL)
        for (const char *const *s = k->field_selectors; s && *s; s++) emit(*s);
    if (sets & (T_JSON | T_YAML)) field_tokens(k->root ? k->root->fields : NULL, sets, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_dict <target>\n");
        return 2;
    }
    unsigned sets = 0;
    int found = 0;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (!strcmp(targets[i].target, argv[1])) { sets = targets[i].sets; found = 1; }
    if (!found) sets = T_KINDS | T_JSON | T_JSYN; /* a new target gets the generic JSON set */
    printf("# %s.dict: generated by fuzz/gen_dict.c from ck_kinds[]; do not edit\n", argv[1]);
    if (sets & T_PATHS) emit_list(v_paths);
    if (sets & T_LSEL) emit_list(v_lsel);
    if (sets & T_FSEL) emit_list(v_fsel);
    if (sets & T_QTY) emit_list(v_qty);
    if (sets & T_PATCH) emit_list(v_patch);
    if (sets & T_WATCH) emit_list(v_watch);
    if (sets & T_ETCD) emit_list(v_etcd);
    if (sets & T_KCFG) emit_list(v_kcfg);
    if (sets & T_JSYN) emit_list(v_jsyn);
    if (sets & (T_JSON | T_YAML | T_LSEL))
        for (const char *const *m = v_meta; *m; m++) {
            if (sets & T_JSON) emitf("\"", *m, "\":");
            if (sets & T_YAML) emitf(*m, ": ", "");
        }
    for (size_t i = 0; i < ck_kinds_count; i++) kind_tokens(&ck_kinds[i], sets);
    for (size_t i = 0; i < SEEN_CAP; i++) free(seen[i]);
    return 0;
}
