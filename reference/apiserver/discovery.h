/* discovery.h: the apiserver's discovery endpoints, generated from the kind
 * table: /api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v> (legacy and
 * aggregated apidiscovery.k8s.io v2/v2beta1) and /version. Also the Accept
 * header parsing that discovery, Table output and OpenAPI share. */
#ifndef CK_APISERVER_DISCOVERY_H
#define CK_APISERVER_DISCOVERY_H
#include <stdbool.h>
#include <stddef.h>
#include "apiserver/http.h"
#include "api/kinds.h"

/* The Kubernetes release ckube answers as (GET /version). */
#define CK_VERSION_MAJOR "1"
#define CK_VERSION_MINOR "32"
#define CK_GIT_VERSION   "v1.32.0-ckube"

/* Content types of aggregated discovery (k8s.io/api/apidiscovery). */
#define CK_CT_DISCOVERY_V2      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
#define CK_CT_DISCOVERY_V2BETA1 "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"

/* Serves GET/HEAD of the discovery paths and /version into resp (fields filled
 * directly: body malloc'd, content_type static, headers a new object).
 * Returns true when the path was a discovery path (including 404s for
 * unknown groups/versions under /apis), false to let other handlers try. */
bool ck_discovery_serve(const ck_req *req, ck_resp *resp);

/* True when group/version ("" for core) is served by some kind. */
bool ck_discovery_is_known_group_version(const char *group, const char *version);

/* serverAddressByClientCIDRs of /api ("host:port"); default "" omits it.
 * The string is copied. Call before serving (not synchronised). */
void ck_discovery_set_server_address(const char *addr);

/* ---- Accept header negotiation ------------------------------------------ */
/* One media range of an Accept header, with the parameters Kubernetes uses. */
typedef struct ck_media {
    char type[96];   /* "application/json", ... (lower case) */
    char as[48];     /* "as=" parameter or "" */
    char g[64];      /* "g=" parameter or "" */
    char v[16];      /* "v=" parameter or "" */
} ck_media;
/* Splits `accept` (may be NULL) into at most `max` entries, in order. Returns
 * the count (0 for NULL/empty). */
size_t ck_accept_parse(const char *accept, ck_media *out, size_t max);
/* True when m's type is JSON-compatible: application/json, application/<any>, <any>/<any>. */
bool ck_media_is_json(const ck_media *m);

/* ---- helpers shared with openapi.c -------------------------------------- */
/* The subresources a kind serves, as discovery lists them. */
typedef struct ck_subresource {
    unsigned flag;               /* CK_SUB_* */
    const char *name;            /* "status" */
    const char *const *verbs;    /* discovery verbs */
    const char *group;           /* response kind's group; NULL = the parent's */
    const char *version;         /* NULL = the parent's */
    const char *kind;            /* fixed kind ("Scale"); NULL = kind_suffix */
    const char *kind_suffix;     /* appended to the parent's kind ("ProxyOptions"); NULL = parent kind */
} ck_subresource;
extern const ck_subresource ck_subresources[];
extern const size_t ck_subresources_count;
/* The response kind of subresource s of k into out ("PodProxyOptions"). */
const char *ck_subresource_kind(const ck_kind *k, const ck_subresource *s, char *out, size_t n);

/* Kubernetes version priority (k8s.io/apimachinery/pkg/version.CompareKubeAwareVersionStrings):
 * > 0 when a sorts before b (GA > beta > alpha, higher numbers first). */
int ck_version_compare(const char *a, const char *b);
/* Distinct served versions of group, most preferred first; returns the count. */
size_t ck_group_versions(const char *group, const char **out, size_t max);
/* Distinct served non-core groups, in kind table order; returns the count. */
size_t ck_served_groups(const char **out, size_t max);
#endif
