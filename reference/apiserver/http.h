/* http.h: the apiserver's view of one HTTP exchange, independent of
 * libmicrohttpd: handlers read a ck_req and fill a ck_resp (or stream, for
 * watches, through server.c). Also the parsed RequestInfo of
 * k8s.io/apiserver/pkg/endpoints/request/requestinfo.go. */
#ifndef CK_APISERVER_HTTP_H
#define CK_APISERVER_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "api/status.h"

typedef struct ck_req ck_req;
struct ck_req {
    const char *method;       /* "GET", "POST", ... */
    const char *path;         /* URL path, percent-decoded, no query */
    const char *raw_query;    /* the query as sent, without '?', or NULL (proxy forwards it) */
    const char *accept;       /* Accept header or NULL */
    const char *content_type; /* Content-Type header or NULL */
    const char *user_agent;
    const char *remote_addr;  /* client IP or NULL */
    const char *body;         /* request body (not NUL-terminated) */
    size_t body_len;
    /* Query parameter value or NULL when absent ("" when present but empty). */
    const char *(*query)(const ck_req *r, const char *key);
    /* Every value of a repeated query parameter (exec's command=...), in
     * order, into out (borrowed strings). Returns the count (<= max). May be NULL. */
    size_t (*query_all)(const ck_req *r, const char *key, const char **out, size_t max);
    /* A request header or NULL. May be NULL (then no headers are known). */
    const char *(*header)(const ck_req *r, const char *name);
    void *impl;               /* server.c's connection state */
};

/* A protocol upgrade (101 Switching Protocols): once the 101 is sent,
 * run(cls, fd) owns the raw connection on its own thread; free(cls) after. */
typedef struct ck_upgrade {
    void (*run)(void *cls, int fd);
    void (*free)(void *cls);
    void *cls;
} ck_upgrade;

typedef struct ck_resp {
    int code;                 /* HTTP status */
    const char *content_type; /* static string; NULL = "application/json" */
    char *body;               /* malloc'd, owned by the response */
    size_t len;
    json_t *headers;          /* extra headers: [[name, value], ...] or {name: value}; owned, may be NULL */
    ck_upgrade upgrade;       /* set (run != NULL) to answer 101 and take over the socket */
} ck_resp;

/* Fill helpers: each replaces any previous body. */
void ck_resp_json(ck_resp *r, int code, json_t *body /* stolen */);
void ck_resp_status(ck_resp *r, const ck_status *st); /* metav1.Status body, st->code */
void ck_resp_text(ck_resp *r, int code, const char *ctype, const char *text);
/* Adds a header (e.g. "Warning": "299 - \"unknown field \\\"spec.x\\\"\""). Repeats allowed. */
void ck_resp_header(ck_resp *r, const char *name, const char *value);
void ck_resp_free(ck_resp *r);

/* RequestInfo: what a path + method + query means. */
typedef struct ck_reqinfo {
    bool is_resource;     /* an /api or /apis resource request */
    char verb[24];        /* get list watch create update patch delete deletecollection proxy */
    char api_prefix[8];   /* "api" or "apis" */
    char group[64];
    char version[16];
    char ns[256];         /* namespace or "" */
    char resource[64];
    char subresource[32];
    char name[256];
    char parts_extra[256];/* path after the subresource (proxy paths) */
} ck_reqinfo;

/* Parses req into info. Returns false for paths that are not resource requests
 * (discovery, /healthz ...), with info->is_resource false. */
bool ck_reqinfo_parse(const ck_req *req, ck_reqinfo *info);
#endif
