/* proxy_rewrite.h: the apiserver proxy's link rewriting
 * (k8s.io/apimachinery/pkg/util/proxy/transport.go): absolute links of an
 * HTML response, and a redirect's Location, are made to go back through the
 * proxy path they were fetched with. */
#ifndef CK_APISERVER_PROXY_REWRITE_H
#define CK_APISERVER_PROXY_REWRITE_H
#include <stddef.h>

typedef struct ck_proxy_rewrite {
    const char *prepend;      /* PathPrepend: the request path up to ".../proxy" */
    const char *backend_host; /* host:port the response came from */
    const char *request_host; /* the client's Host header ("" if none) */
} ck_proxy_rewrite;

/* rewriteURL for one link: unchanged for another host or a relative path;
 * else the proxy path prepended (scheme and host dropped unless the link
 * names the request's own host). Returns malloc'd text (caller frees), NULL
 * on allocation failure. */
char *ck_proxy_rewrite_url(const ck_proxy_rewrite *rw, const char *url);
/* rewriteHTML: every start tag is re-rendered as golang.org/x/net/html does
 * (lowercase names, key="escaped value"), URL attributes rewritten; all
 * other bytes pass through unchanged. Returns malloc'd text of *out_len
 * bytes (caller frees), NULL on allocation failure. */
char *ck_proxy_rewrite_html(const ck_proxy_rewrite *rw, const char *in, size_t len, size_t *out_len);
#endif
