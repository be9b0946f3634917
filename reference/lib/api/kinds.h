/* kinds.h: every kind ckube serves, declared once as data. The REST
 * handlers, discovery, OpenAPI, Table output, strict decoding, defaulting,
 * strategic-merge keys and fuzz dictionaries all walk this table; adding a
 * kind is adding a row (kinds.c) and its schema (schemas/). */
#ifndef CK_API_KINDS_H
#define CK_API_KINDS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "api/status.h"

/* ---- schema: the shape of an object, as a tree of fields ---------------- */
typedef enum ck_type {
    CK_ANY = 0,       /* any JSON value, kept as is, children not checked */
    CK_STRING,
    CK_INT,           /* integer (int32/int64) */
    CK_NUMBER,        /* integer or float */
    CK_BOOL,
    CK_OBJECT,        /* fixed set of `fields`; others are unknown fields */
    CK_ARRAY,         /* elements described by `items` */
    CK_MAP,           /* string keys, values described by `items` (labels: items=string) */
    CK_QUANTITY,      /* resource.Quantity: string or number, validated */
    CK_INT_OR_STRING, /* intstr.IntOrString */
    CK_TIME,          /* metav1.Time (RFC 3339 string) */
} ck_type;

enum {
    CK_F_REQUIRED  = 1u << 0, /* OpenAPI "required" (validation still lives in validate hooks) */
    CK_F_NULLABLE  = 1u << 1,
    CK_F_READONLY  = 1u << 2, /* server-set (status-like); informational */
    CK_F_POINTER   = 1u << 3, /* a Go pointer field: a zero value is still a value
                                 (replicas: 0), so protobuf decoding keeps it */
};

typedef struct ck_field {
    const char *name;              /* JSON key; NULL terminates a field list */
    ck_type type;
    const struct ck_field *fields; /* CK_OBJECT: NULL-name-terminated list */
    const struct ck_field *items;  /* CK_ARRAY/CK_MAP: element schema (a single entry) */
    const char *merge_key;         /* CK_ARRAY: patchMergeKey, e.g. "name"; NULL = atomic list */
    const char *patch_strategy;    /* "merge", "retainKeys", "merge,retainKeys", "replace" or NULL */
    const char *dflt;              /* JSON literal defaulted when absent, e.g. "\"TCP\"" */
    const char *description;       /* one line, for OpenAPI/explain */
    unsigned flags;
    int tag;                       /* protobuf field number (k8s.io/api generated.proto); 0 = unknown */
} ck_field;

/* ---- printer columns (kubectl get / as=Table) --------------------------- */
typedef struct ck_column {
    const char *name;        /* "NAME", "READY" ...; NULL terminates */
    const char *type;        /* "string", "integer", "date" */
    const char *format;      /* "name" for the name column, else "" */
    const char *description;
    int priority;            /* 0 = default, 1 = -o wide */
    const char *json_path;   /* dotted path of a plain column; NULL when `cell` computes it */
    /* Computed cell (READY "1/2", AGE, ...): returns a new reference. NULL = use json_path. */
    json_t *(*cell)(const json_t *obj);
} ck_column;

/* ---- the kind table ----------------------------------------------------- */
enum {
    CK_SUB_STATUS    = 1u << 0,
    CK_SUB_SCALE     = 1u << 1,
    CK_SUB_BINDING   = 1u << 2, /* pods/binding */
    CK_SUB_LOG       = 1u << 3, /* pods/log */
    CK_SUB_EXEC      = 1u << 4, /* pods/exec */
    CK_SUB_PROXY     = 1u << 5, /* nodes/proxy, pods/proxy, services/proxy */
    CK_SUB_FINALIZE  = 1u << 6, /* namespaces/finalize */
    CK_SUB_EVICTION  = 1u << 7, /* pods/eviction */
    CK_SUB_ATTACH    = 1u << 8,
    CK_SUB_PORTFWD   = 1u << 9,
    CK_SUB_EPHEMERAL = 1u << 10,/* pods/ephemeralcontainers */
    CK_SUB_TOKEN     = 1u << 11,/* serviceaccounts/token (TokenRequest) */
};

typedef struct ck_kind {
    const char *group;       /* "" for the core group */
    const char *version;     /* "v1" */
    const char *kind;        /* "Pod" */
    const char *list_kind;   /* "PodList" */
    const char *resource;    /* "pods" (plural, lower case) */
    const char *singular;    /* "pod" */
    bool namespaced;
    const char *const *short_names; /* NULL-terminated or NULL */
    const char *const *categories;  /* NULL-terminated or NULL ("all") */
    const char *const *verbs;       /* discovery verbs, NULL-terminated */
    unsigned subresources;          /* CK_SUB_* */
    const ck_field *root;           /* CK_OBJECT describing the whole object
                                       (apiVersion, kind, metadata, spec, status...) */
    const char *const *field_selectors; /* supported besides metadata.name/namespace */
    const ck_column *columns;       /* printer columns; NULL = NAME + AGE */
    /* Storage: the etcd resource segment (/registry/<storage>/...). Two kinds
     * that share storage (core/v1 and events.k8s.io/v1 Event) share it. */
    const char *storage;
    /* generation is bumped only when this top-level field changes ("spec");
     * NULL = kind has no generation (configmaps bump on data? no: nothing). */
    const char *generation_field;
    /* Kind-specific hooks; NULL = none. `old` is NULL on create. */
    void (*defaults)(json_t *obj);
    void (*validate)(const json_t *obj, const json_t *old, ck_errs *errs);
    /* Never stored: a create is answered by the registry's virtual_create
     * (SelfSubjectAccessReview, SelfSubjectReview ...). Such objects need no
     * metadata.name (upstream's REST Create skips rest.BeforeCreate). */
    bool virtual_kind;
} ck_kind;

extern const ck_kind ck_kinds[];
extern const size_t ck_kinds_count;

/* Lookups; NULL when not served. version NULL = any version. */
const ck_kind *ck_kind_by_resource(const char *group, const char *version, const char *resource);
const ck_kind *ck_kind_by_kind(const char *group, const char *kind);
/* "apps/v1" or "v1" into out. Returns out. */
char *ck_kind_api_version(const ck_kind *k, char *out, size_t n);
/* Schema node at a dotted path from the root ("spec.containers" ->
 * the array field); array elements are entered implicitly. NULL if unknown. */
const ck_field *ck_schema_lookup(const ck_field *root, const char *dotted);
/* Shared metadata schema (ObjectMeta), for kinds' roots and for SMP. */
extern const ck_field ck_object_meta_field;
#endif
