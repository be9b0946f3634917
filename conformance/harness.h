/* harness.h: the black-box conformance harness's shared declarations: the
 * test table, the per-test context (arena, namespaces, verdict), the HTTP
 * client, watches, JSON helpers, assertions and the report writers.
 * Shares no code with reference/: it only knows a URL and credentials. */
#ifndef CKC_HARNESS_H
#define CKC_HARNESS_H
#include <jansson.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>

/* ---- tests as data ---------------------------------------------------- */
typedef enum { CKC_PROFILE_API = 0, CKC_PROFILE_CLUSTER = 1, CKC_PROFILE_FULL = 2 } ckc_profile;
typedef enum { CKC_PENDING = 0, CKC_PASS, CKC_FAIL, CKC_SKIP } ckc_verdict;

typedef struct ckc_t ckc_t;
typedef struct ckc_test {
    const char *id;        /* "api.watch.resume": area.topic.case, unique */
    const char *title;     /* the behaviour, one line */
    ckc_profile profile;
    const char *upstream;  /* codename exactly as in k8s-conformance.yaml, or NULL */
    const char *doc;       /* kubernetes.io URL followed when upstream is NULL */
    const char *requires;  /* space-separated capabilities: "v1/configmaps apps/v1/deployments" */
    void (*fn)(ckc_t *t);
} ckc_test;

/* Per-area tables, each terminated by an entry with id == NULL. */
extern const ckc_test ckc_tests_discovery[], ckc_tests_crud[], ckc_tests_watch[],
    ckc_tests_list[], ckc_tests_patch[], ckc_tests_errors[], ckc_tests_lifecycle[],
    ckc_tests_namespaces[], ckc_tests_apimachinery[], ckc_tests_core[], ckc_tests_core2[], ckc_tests_api2[], ckc_tests_quota[], ckc_tests_upstream[], ckc_tests_storage[], ckc_tests_apps[],
    ckc_tests_netnode[], ckc_tests_workloads[],
    ckc_tests_pods[], ckc_tests_services[], ckc_tests_nodes[];

/* registry.c: every test, in run order. *n receives the count. Static storage. */
const ckc_test *const *ckc_all_tests(size_t *n);
const char *ckc_profile_name(ckc_profile p);
int ckc_profile_parse(const char *s, ckc_profile *out); /* 0 ok, -1 unknown */

/* filter.c: --focus/--skip (POSIX extended regexes) and --profile. */
typedef struct ckc_filter {
    ckc_profile profile;
    int has_focus, has_skip;
    char focus_src[256], skip_src[256];
    void *focus, *skip; /* regex_t*, owned */
} ckc_filter;
int ckc_filter_init(ckc_filter *f, ckc_profile p, const char *focus, const char *skip,
                    char *err, size_t errlen);
int ckc_filter_match(const ckc_filter *f, const ckc_test *t); /* 1 selected */
void ckc_filter_free(ckc_filter *f);

/* ---- kubeconfig ------------------------------------------------------- */
typedef struct ckc_kubeconfig {
    char *server, *token;              /* owned */
    char *ca_file, *cert_file, *key_file; /* owned, absolute or relative to cwd */
    unsigned char *ca_data, *cert_data, *key_data; /* owned, decoded PEM */
    size_t ca_len, cert_len, key_len;
    int insecure;
} ckc_kubeconfig;
/* Sets a libcurl handle's TLS verification and client credentials from kc. */
void ckc_curl_tls(void *curl, const ckc_kubeconfig *kc);
/* Parses kubeconfig YAML text; relative file paths resolve against dir.
 * Returns 0, or -1 with a message in err. Free with ckc_kubeconfig_free. */
int ckc_kubeconfig_parse(const char *yaml, size_t len, const char *dir, ckc_kubeconfig *out,
                         char *err, size_t errlen);
int ckc_kubeconfig_load(const char *path, ckc_kubeconfig *out, char *err, size_t errlen);
void ckc_kubeconfig_free(ckc_kubeconfig *kc);
/* Decodes standard base64 (whitespace ignored). Returns malloc'd bytes or NULL. */
unsigned char *ckc_base64_decode(const char *in, size_t *outlen);

/* ---- the run ---------------------------------------------------------- */
typedef struct ckc_result {
    ckc_verdict verdict;
    char *message; /* owned: why it failed or skipped */
    double seconds;
} ckc_result;

typedef struct ckc_run {
    ckc_kubeconfig kc;
    double timeout_scale;
    int keep;
    FILE *request_log;          /* may be NULL */
    char suffix[8];             /* random run suffix, namespaces are ckc-<suffix>-<n> */
    int ns_counter;
    char **namespaces; size_t n_namespaces; /* owned, created this run */
    json_t *caps;               /* object: capability -> true; owned */
    int discovery_ok;           /* 0: resource capabilities could not be probed */
} ckc_run;

typedef struct ckc_defer { void (*fn)(void *); void *p; } ckc_defer;

struct ckc_t {
    const ckc_test *test;
    ckc_run *run;
    const char *ns;            /* lazily created by ckc_ns() */
    ckc_defer *defers; size_t n_defers, cap_defers;
    ckc_verdict verdict;
    char *message;             /* owned */
    jmp_buf jb;
};

/* context.c */
void *ckc_own(ckc_t *t, void *p, void (*fn)(void *)); /* frees p with fn at test end */
json_t *ckc_ownj(ckc_t *t, json_t *j);                 /* decref at test end */
char *ckc_fmt(ckc_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ckc_release(ckc_t *t);                             /* runs the defers */
double ckc_timeout(ckc_t *t, double base_seconds);      /* base * --timeout-scale */
void ckc_sleep_ms(int ms);
double ckc_now(void);
/* A fresh namespace for this test (created on first call; deleted at run end). */
const char *ckc_ns(ckc_t *t);
const char *ckc_new_ns(ckc_t *t);
char *ckc_rand_name(ckc_t *t, const char *prefix);     /* prefix + 5 random chars */
void ckc_random_suffix(char *out, size_t n);            /* n-1 chars [a-z0-9] */

/* Verdicts: both jump out of the test (never return). */
void ckc_fail(ckc_t *t, const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));
void ckc_skip(ckc_t *t, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

/* ---- HTTP ------------------------------------------------------------- */
typedef struct ckc_resp {
    char method[12];
    char *path;         /* owned */
    long code;          /* 0 when the request could not be sent */
    char *body; size_t len; /* owned, NUL-terminated */
    char *content_type; /* owned, may be NULL */
    char *warning;      /* owned, the Warning headers joined by "\n", may be NULL */
    json_t *json;       /* owned, NULL unless the body parsed as JSON */
    char error[256];    /* transport error */
} ckc_resp;

typedef struct ckc_reqspec {
    const char *method, *path;
    const char *content_type; /* default application/json when body set */
    const char *accept;       /* default application/json */
    const char *body;         /* raw text, may be NULL */
} ckc_reqspec;

/* One request; the response belongs to t (freed at test end). Never NULL. */
ckc_resp *ckc_request(ckc_t *t, const ckc_reqspec *rq);
/* Standalone form for main.c and probes: caller frees with ckc_resp_free. */
ckc_resp *ckc_request_run(ckc_run *run, const ckc_reqspec *rq);
void ckc_resp_free(void *r);

ckc_resp *ckc_get(ckc_t *t, const char *path);
ckc_resp *ckc_post(ckc_t *t, const char *path, json_t *body); /* body borrowed */
ckc_resp *ckc_put(ckc_t *t, const char *path, json_t *body);
ckc_resp *ckc_patch(ckc_t *t, const char *path, const char *patch_type, const char *body);
ckc_resp *ckc_delete(ckc_t *t, const char *path, json_t *options); /* options may be NULL */
#define CKC_JSON_PATCH "application/json-patch+json"
#define CKC_MERGE_PATCH "application/merge-patch+json"
#define CKC_SMP "application/strategic-merge-patch+json"

/* Watch streams (watch=1 must be in path). Closed at test end. */
typedef struct ckc_watch ckc_watch;
ckc_watch *ckc_watch_open(ckc_t *t, const char *path);
/* Next event object ({"type","object"}), owned by t; NULL on timeout or end
 * of stream. BOOKMARK events are returned like any other. */
json_t *ckc_watch_next(ckc_watch *w, double timeout_s);
long ckc_watch_code(ckc_watch *w);           /* HTTP status once headers arrived, else 0 */
const char *ckc_watch_body(ckc_watch *w);    /* unconsumed bytes (error bodies) */

/* ---- JSON helpers ----------------------------------------------------- */
/* Dotted path lookup: "metadata.name", "items.0.metadata.name". Borrowed. */
json_t *ckc_at(json_t *j, const char *path);
const char *ckc_str(json_t *j, const char *path); /* NULL when absent / not a string */
json_t *ckc_parse(ckc_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- assertions (fail the test with the request that disagreed) ------- */
void ckc_expect_code_at(ckc_t *t, ckc_resp *r, long code, const char *file, int line);
void ckc_check_at(ckc_t *t, ckc_resp *r, int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Checks a Status body: kind Status, status Failure, code, reason. */
void ckc_expect_status_at(ckc_t *t, ckc_resp *r, long code, const char *reason,
                          const char *file, int line);
#define CKC_CODE(t, r, c) ckc_expect_code_at((t), (r), (c), __FILE__, __LINE__)
#define CKC_STATUS(t, r, c, reason) ckc_expect_status_at((t), (r), (c), (reason), __FILE__, __LINE__)
#define CKC_CHECK(t, r, cond, ...) ckc_check_at((t), (r), (cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)
#define CKC_FAIL(t, ...) ckc_fail((t), __FILE__, __LINE__, __VA_ARGS__)
char *ckc_excerpt(const char *body, size_t max); /* malloc'd one-line excerpt */

/* ---- reports (report.c) ----------------------------------------------- */
typedef struct ckc_report_row { const ckc_test *test; const ckc_result *result; } ckc_report_row;
int ckc_write_junit(FILE *f, const ckc_report_row *rows, size_t n, const char *server);
int ckc_write_markdown(FILE *f, const ckc_report_row *rows, size_t n, const char *server,
                       const char *profile);
void ckc_xml_escape(FILE *f, const char *s);

/* ---- runner.c --------------------------------------------------------- */
/* Capability probing: discovery resources and "ready-node". */
void ckc_probe_capabilities(ckc_run *run);
/* Missing capability for t, or NULL when all present (static/caps-owned). */
const char *ckc_missing_capability(ckc_run *run, const ckc_test *t, char *buf, size_t n);
/* Runs the selected tests through CUnit; fills results (parallel to tests). */
int ckc_run_tests(ckc_run *run, const ckc_test *const *tests, size_t n, ckc_result *results);
/* Creates a namespace and records it for deletion; 0 ok. */
int ckc_run_create_namespace(ckc_run *run, const char *name, char *err, size_t errlen);
void ckc_run_cleanup(ckc_run *run);
#endif
