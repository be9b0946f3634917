/* rest.h: the REST client every control-plane component uses to talk to the
 * kube-apiserver (client-go's rest.Config + rest.RESTClient + the typed verbs).
 * libcurl for transport, jansson for bodies; safe to share between threads. */
#ifndef CK_CLIENT_REST_H
#define CK_CLIENT_REST_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Connection settings (client-go rest.Config). Strings are owned by the
 * config and released by ck_rest_config_clear(); *_data are raw PEM bytes
 * (already base64-decoded when they came from a kubeconfig). */
typedef struct ck_rest_config {
    char *server;            /* "https://127.0.0.1:6443"; required */
    char *ca_file;           /* certificate-authority */
    char *ca_data;           /* certificate-authority-data (PEM) */
    size_t ca_data_len;
    char *cert_file, *key_file;  /* client-certificate / client-key */
    char *cert_data, *key_data;  /* client-certificate-data / client-key-data (PEM) */
    size_t cert_data_len, key_data_len;
    char *token;             /* bearer token (token or tokenFile contents) */
    bool insecure;           /* insecure-skip-tls-verify */
    char user_agent[128];    /* "<component>/ckube"; set by ck_rest_config_set_agent */
    long timeout_ms;         /* whole-request timeout for non-watch verbs; 0 = 30000 */
    long connect_timeout_ms; /* 0 = 10000 */
} ck_rest_config;

/* A config for a plain server URL (no TLS material). 0, or -1 on OOM. */
int ck_rest_config_from_url(ck_rest_config *cfg, const char *server);
/* Loads the current-context of a kubeconfig file (clientcmd semantics:
 * relative file paths are relative to the kubeconfig's directory; `context`
 * overrides current-context when non-NULL). 0, or -1 with a message in err. */
int ck_rest_config_from_kubeconfig(ck_rest_config *cfg, const char *path, const char *context,
                                   char *err, size_t errlen);
/* Sets user_agent to "<component>/ckube" (client-go's "<binary>/<version>"). */
void ck_rest_config_set_agent(ck_rest_config *cfg, const char *component);
void ck_rest_config_clear(ck_rest_config *cfg);

/* Which object(s) a request addresses. group "" (or NULL) is the core group,
 * served under /api/v1; other groups under /apis/<group>/<version>.
 * namespace/name/subresource are NULL or "" when absent. Strings borrowed. */
typedef struct ck_resource_ref {
    const char *group, *version, *resource;
    const char *namespace, *name, *subresource;
} ck_resource_ref;

/* Builds the request path ("/api/v1/namespaces/ns/pods/p/status"); `query`
 * (without '?') is appended when non-empty. Returns the length, or -1 when
 * `out` is too small or the reference is incomplete (no version/resource,
 * or a subresource without a name). Names are URL-escaped. */
int ck_rest_path(const ck_resource_ref *ref, const char *query, char *out, size_t outlen);

/* The result of one request. body is owned (free with ck_response_clear):
 * the parsed JSON reply, which is a metav1.Status on API errors; NULL when
 * the body was empty or not JSON. message: the transport error, the Status
 * message, or "" on success. */
typedef struct ck_response {
    long code;            /* HTTP status; 0 when no response arrived */
    json_t *body;
    char message[512];
} ck_response;
void ck_response_clear(ck_response *r);
/* The Status reason ("NotFound", "Conflict", "Expired"...) or "" (borrowed). */
const char *ck_response_reason(const ck_response *r);

/* Query options for list and watch (metav1.ListOptions). NULL/0 = unset. */
typedef struct ck_list_opts {
    const char *label_selector, *field_selector;
    const char *resource_version;
    long limit;
    const char *continue_token;
    int timeout_seconds;  /* watch only: server-side timeoutSeconds */
} ck_list_opts;

/* metav1.DeleteOptions sent as the DELETE body. NULL/negative = unset. */
typedef struct ck_delete_opts {
    const char *propagation_policy;  /* "Orphan", "Background", "Foreground" */
    long grace_period_seconds;       /* -1 = unset */
    const char *precondition_uid;
    const char *precondition_resource_version;
} ck_delete_opts;
#define CK_DELETE_OPTS_INIT {NULL, -1, NULL, NULL}

/* The three patch content types the apiserver accepts. */
typedef enum {
    CK_PATCH_JSON,       /* application/json-patch+json (RFC 6902) */
    CK_PATCH_MERGE,      /* application/merge-patch+json (RFC 7386) */
    CK_PATCH_STRATEGIC,  /* application/strategic-merge-patch+json */
} ck_patch_type;
const char *ck_patch_content_type(ck_patch_type t);

typedef struct ck_rest ck_rest; /* opaque; thread-safe */

/* Creates a client; copies what it needs from cfg (cfg may be cleared after).
 * Returns NULL with a message in err. Free with ck_rest_free(). */
ck_rest *ck_rest_new(const ck_rest_config *cfg, char *err, size_t errlen);
void ck_rest_free(ck_rest *c);

/* The verbs. Each returns 0 when the server answered 2xx, -1 otherwise;
 * `resp` is always filled (clear it before reuse). `body` is borrowed. */
int ck_rest_get(ck_rest *c, const ck_resource_ref *ref, ck_response *resp);
int ck_rest_list(ck_rest *c, const ck_resource_ref *ref, const ck_list_opts *opts,
                 ck_response *resp);
/* POST to the collection, or to ref->subresource when set (e.g. "binding"). */
int ck_rest_create(ck_rest *c, const ck_resource_ref *ref, const json_t *body, ck_response *resp);
/* PUT to the object or its subresource ("status", "scale"). */
int ck_rest_update(ck_rest *c, const ck_resource_ref *ref, const json_t *body, ck_response *resp);
int ck_rest_patch(ck_rest *c, const ck_resource_ref *ref, ck_patch_type type,
                  const json_t *patch, ck_response *resp);
/* DELETE with a DeleteOptions body when opts is non-NULL. */
int ck_rest_delete(ck_rest *c, const ck_resource_ref *ref, const ck_delete_opts *opts,
                   ck_response *resp);
/* Any method on a path built by ck_rest_path; body may be NULL,
 * content_type NULL means application/json. */
int ck_rest_do(ck_rest *c, const char *method, const char *path, const char *content_type,
               const json_t *body, ck_response *resp);

/* Appends ListOptions as a query string to out ("labelSelector=a%3Db&...").
 * Returns the length or -1 when out is too small. watch adds watch=1 and
 * allowWatchBookmarks=true. */
int ck_list_query(const ck_list_opts *opts, bool watch, char *out, size_t outlen);
#endif
