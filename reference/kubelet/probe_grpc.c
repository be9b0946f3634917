/* probe_grpc.c: the kubelet's gRPC prober (pkg/probe/grpc/grpc.go): a
 * grpc.health.v1.Health/Check call over h2c (libcurl, HTTP/2 prior
 * knowledge); grpc-status comes in the trailers (or a trailers-only reply).
 * Messages follow upstream's word for word. */
#define _GNU_SOURCE
#include "kubelet/probe_grpc.h"
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* google.golang.org/grpc/codes: the names codes.Code.String() gives. */
static const char *const code_names[] = {"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded",
                                         "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
                                         "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal",
                                         "Unavailable", "DataLoss", "Unauthenticated"};
#define GRPC_UNIMPLEMENTED 12
#define GRPC_DEADLINE_EXCEEDED 4

const char *ck_grpc_code_name(int code)
{
    return code >= 0 && code < (int)(sizeof code_names / sizeof code_names[0]) ? code_names[code] : "Unknown";
}

const char *ck_grpc_serving_status_name(int s)
{
    static const char *const names[] = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
    return s >= 0 && s < 4 ? names[s] : "UNKNOWN";
}

int ck_grpc_health_status(const unsigned char *b, size_t n)
{
    if (n < 5 || b[0] != 0) return -1;
    size_t len = (size_t)b[1] << 24 | (size_t)b[2] << 16 | (size_t)b[3] << 8 | b[4];
    if (len > n - 5) return -1;
    int status = 0; /* proto3: an absent enum is 0 (UNKNOWN) */
    for (size_t i = 5; i < 5 + len;) {
        unsigned key = b[i++];
        if ((key & 7) == 0) { /* varint */
            unsigned long v = 0;
            for (int s = 0; i < 5 + len; s += 7) { v |= (unsigned long)(b[i] & 0x7f) << s; if (!(b[i++] & 0x80)) break; }
            if (key >> 3 == 1) status = (int)v;
        } else if ((key & 7) == 2 && i < 5 + len) i += 1 + b[i]; /* short length-delimited field */
        else return -1;
    }
    return status;
}

typedef struct reply {
    unsigned char body[1024];
    size_t len;
    int grpc_status; /* -1 until seen */
    char grpc_message[512];
} reply;

static size_t on_body(char *p, size_t s, size_t n, void *u)
{
    reply *r = u;
    size_t k = s * n, room = sizeof r->body - r->len;
    memcpy(r->body + r->len, p, k < room ? k : room);
    r->len += k < room ? k : room;
    return s * n;
}

/* grpc-message is percent-encoded (gRPC over HTTP/2 spec). */
static void percent_decode(const char *in, size_t n, char *out, size_t outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < outlen; i++) {
        if (in[i] == '%' && i + 2 < n && isxdigit((unsigned char)in[i + 1]) && isxdigit((unsigned char)in[i + 2])) {
            char h[3] = {in[i + 1], in[i + 2], 0};
            out[o++] = (char)strtol(h, NULL, 16);
            i += 2;
        } else out[o++] = in[i];
    }
    out[o] = 0;
}

/* Headers and, with HTTP/2, trailers arrive here: grpc-status, grpc-message. */
static size_t on_header(char *p, size_t s, size_t n, void *u)
{
    reply *r = u;
    size_t len = s * n, vl;
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r')) len--;
    char *colon = memchr(p, ':', len);
    if (!colon) return s * n;
    const char *v = colon + 1;
    while (v < p + len && *v == ' ') v++;
    vl = (size_t)(p + len - v);
    if ((size_t)(colon - p) == 11 && strncasecmp(p, "grpc-status", 11) == 0) r->grpc_status = atoi(v);
    else if ((size_t)(colon - p) == 12 && strncasecmp(p, "grpc-message", 12) == 0)
        percent_decode(v, vl, r->grpc_message, sizeof r->grpc_message);
    return s * n;
}

static void go_seconds(long s, char *out, size_t n)
{
    if (s >= 3600) snprintf(out, n, "%ldh%ldm%lds", s / 3600, s % 3600 / 60, s % 60);
    else if (s >= 60) snprintf(out, n, "%ldm%lds", s / 60, s % 60);
    else snprintf(out, n, "%lds", s);
}

/* The HealthCheckRequest{service}, gRPC-framed. Its length. */
static size_t encode_request(const char *service, unsigned char *out, size_t outlen)
{
    size_t sl = service ? strlen(service) : 0;
    if (sl > 127 || 7 + sl > outlen) sl = 0; /* one-byte varint length; service names are short */
    size_t plen = sl ? 2 + sl : 0;
    unsigned char h[5] = {0, 0, 0, 0, (unsigned char)plen};
    memcpy(out, h, 5);
    if (sl) out[5] = 0x0a, out[6] = (unsigned char)sl, memcpy(out + 7, service, sl);
    return 5 + plen;
}

static int outcome(CURLcode rc, long http, reply *r, const char *addr, long timeout_s, char *msg, size_t msglen)
{
    char tmo[32];
    go_seconds(timeout_s, tmo, sizeof tmo);
    if (rc == CURLE_COULDNT_CONNECT || (rc == CURLE_OPERATION_TIMEDOUT && http == 0))
        /* grpc.WithBlock: the dial retries until the deadline */
        return snprintf(msg, msglen, "timeout: failed to connect service \"%s\" within %s: context deadline exceeded",
                        addr, tmo), -1;
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return snprintf(msg, msglen, "timeout: health rpc did not complete within %s", tmo), -1;
    if (rc != CURLE_OK)
        return snprintf(msg, msglen, "error: health rpc probe failed: rpc error: code = Unavailable desc = %s",
                        curl_easy_strerror(rc)), -1;
    if (r->grpc_status == -1 && http != 200) /* grpc-go maps a non-gRPC HTTP reply */
        return snprintf(msg, msglen, "error: health rpc probe failed: rpc error: code = Unknown desc = unexpected "
                        "HTTP status code received from server: %ld", http), -1;
    if (r->grpc_status == GRPC_UNIMPLEMENTED)
        return snprintf(msg, msglen, "error: this server does not implement the grpc health protocol "
                        "(grpc.health.v1.Health): %s", r->grpc_message), -1;
    if (r->grpc_status == GRPC_DEADLINE_EXCEEDED)
        return snprintf(msg, msglen, "timeout: health rpc did not complete within %s", tmo), -1;
    if (r->grpc_status > 0)
        return snprintf(msg, msglen, "error: health rpc probe failed: rpc error: code = %s desc = %s",
                        ck_grpc_code_name(r->grpc_status), r->grpc_message), -1;
    int st = ck_grpc_health_status(r->body, r->len);
    if (st < 0)
        return snprintf(msg, msglen, "error: health rpc probe failed: rpc error: code = Internal desc = grpc: failed "
                        "to unmarshal the received message"), -1;
    if (st != 1)
        return snprintf(msg, msglen, "service unhealthy (responded with \"%s\")", ck_grpc_serving_status_name(st)), -1;
    return snprintf(msg, msglen, "service healthy"), 0;
}

int ck_probe_grpc(const char *host, long port, const char *service, long timeout_s, char *msg, size_t msglen)
{
    char url[512], addr[300];
    snprintf(addr, sizeof addr, strchr(host, ':') ? "[%s]:%ld" : "%s:%ld", host, port);
    snprintf(url, sizeof url, "http://%s/grpc.health.v1.Health/Check", addr);
    if (timeout_s <= 0) timeout_s = 1;
    unsigned char req[140];
    size_t reqlen = encode_request(service, req, sizeof req);
    reply r = {.grpc_status = -1};
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL, *h2;
    if (c && (h = curl_slist_append(NULL, "content-type: application/grpc")) &&
        (h2 = curl_slist_append(h, "te: trailers")))
        h = h2;
    else {
        curl_slist_free_all(h);
        curl_easy_cleanup(c);
        return snprintf(msg, msglen, "out of memory"), -1;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)reqlen);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "kube-probe/ckube"); /* grpc.WithUserAgent */
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_s * 1000);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    CURLcode rc = curl_easy_perform(c);
    long http = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    return outcome(rc, http, &r, addr, timeout_s, msg, msglen);
}
