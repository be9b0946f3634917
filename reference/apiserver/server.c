/* server.c: HTTP/1.1 serving on libmicrohttpd, one thread per connection so
 * that a watch can block on its event queue. Collects the body (413 past
 * the limit), applies the in-flight limits (429), hands a ck_req to
 * ck_apiserver_handle and turns the ck_resp or watch stream into a response. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/apiserver.h"
#include "util/ckjson.h"
#include "util/log.h"

/* Upstream's limit on request bodies (k8s.io/apiserver: 3 MiB + JSON overhead). */
#define MAX_BODY (3u * 1024u * 1024u)

/* ---- ck_resp helpers ----------------------------------------------------- */

void ck_resp_free(ck_resp *r)
{
    if (r->upgrade.run && r->upgrade.free) r->upgrade.free(r->upgrade.cls);
    free(r->body);
    json_decref(r->headers);
    memset(r, 0, sizeof *r);
}

void ck_resp_json(ck_resp *r, int code, json_t *body)
{
    free(r->body);
    r->code = code;
    r->content_type = "application/json";
    r->body = body ? ck_json_dump(body) : NULL;
    r->len = r->body ? strlen(r->body) : 0;
    json_decref(body);
}

void ck_resp_status(ck_resp *r, const ck_status *st)
{
    ck_resp_json(r, st->code ? st->code : 500, ck_status_to_json(st));
    if (st->code == 429 || st->retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", st->retry_after > 0 ? st->retry_after : 1);
        ck_resp_header(r, "Retry-After", ra);
    }
}

void ck_resp_text(ck_resp *r, int code, const char *ctype, const char *text)
{
    free(r->body);
    r->code = code;
    r->content_type = ctype;
    r->body = strdup(text ? text : "");
    r->len = r->body ? strlen(r->body) : 0;
}

void ck_resp_header(ck_resp *r, const char *name, const char *value)
{
    if (json_is_object(r->headers)) {
        json_t *pairs = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(r->headers, k, v) json_array_append_new(pairs, json_pack("[sO]", k, v));
        json_decref(r->headers);
        r->headers = pairs;
    }
    if (!r->headers) r->headers = json_array();
    json_array_append_new(r->headers, json_pack("[ss]", name, value));
}

/* ---- per-request state --------------------------------------------------- */

typedef struct conn_req {
    struct MHD_Connection *conn;
    char *body;
    size_t len, cap;
    bool too_large;
    bool started;    /* the first on_request call (headers only) has been seen */
    char *raw_query; /* from the request line, for the proxy subresources */
} conn_req;

static const char *query_get(const ck_req *r, const char *key)
{
    conn_req *cr = r->impl;
    const char *value = NULL;
    size_t vlen = 0;
    if (MHD_lookup_connection_value_n(cr->conn, MHD_GET_ARGUMENT_KIND, key, strlen(key), &value,
                                      &vlen) != MHD_YES)
        return NULL;
    return value ? value : "";
}

typedef struct all_acc { const char *key; const char **out; size_t n, max; } all_acc;

static enum MHD_Result collect_all(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    all_acc *a = cls;
    if (strcmp(key, a->key) == 0 && a->n < a->max) a->out[a->n++] = value ? value : "";
    return MHD_YES;
}

static size_t query_all(const ck_req *r, const char *key, const char **out, size_t max)
{
    conn_req *cr = r->impl;
    all_acc a = {.key = key, .out = out, .max = max};
    MHD_get_connection_values(cr->conn, MHD_GET_ARGUMENT_KIND, collect_all, &a);
    return a.n;
}

static const char *header_get(const ck_req *r, const char *name)
{
    conn_req *cr = r->impl;
    return MHD_lookup_connection_value(cr->conn, MHD_HEADER_KIND, name);
}

static int body_append(conn_req *cr, const char *data, size_t n)
{
    if (cr->too_large || cr->len + n > MAX_BODY) {
        cr->too_large = true;
        return 0;
    }
    if (cr->len + n + 1 > cr->cap) {
        size_t cap = cr->cap ? cr->cap : 4096;
        while (cap < cr->len + n + 1) cap *= 2;
        char *b = realloc(cr->body, cap);
        if (!b) return -1;
        cr->body = b;
        cr->cap = cap;
    }
    memcpy(cr->body + cr->len, data, n);
    cr->len += n;
    cr->body[cr->len] = 0;
    return 0;
}

/* ---- watch streams -------------------------------------------------------- */

static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    ck_stream *s = cls;
    ssize_t n = s->read(s, buf, max);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void stream_free(void *cls)
{
    ck_stream *s = cls;
    s->free(s);
}

/* Content-Type, Cache-Control and the handler's extra headers: an array of
 * [name, value] pairs (repeatable, ck_resp_header) or an object {name: value}
 * (discovery fills it directly). */
static void add_headers(struct MHD_Response *resp, const ck_resp *r)
{
    MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-cache, private");
    size_t i;
    json_t *h;
    const char *hk;
    if (json_is_object(r->headers)) {
        json_object_foreach(r->headers, hk, h) MHD_add_response_header(resp, hk, json_string_value(h));
    } else {
        json_array_foreach(r->headers, i, h)
            MHD_add_response_header(resp, json_string_value(json_array_get(h, 0)),
                                    json_string_value(json_array_get(h, 1)));
    }
}

static enum MHD_Result queue(struct MHD_Connection *conn, ck_resp *r)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->len, r->body ? r->body : (char *)"", r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    r->body = NULL;
    add_headers(resp, r);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->code, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- protocol upgrades (exec over WebSocket) ------------------------------ */

typedef struct upgrade_job {
    ck_upgrade up;
    int fd;
    struct MHD_UpgradeResponseHandle *urh;
} upgrade_job;

static void *upgrade_thread(void *arg)
{
    upgrade_job *j = arg;
    j->up.run(j->up.cls, j->fd);
    MHD_upgrade_action(j->urh, MHD_UPGRADE_ACTION_CLOSE);
    if (j->up.free) j->up.free(j->up.cls);
    free(j);
    return NULL;
}

static void on_upgraded(void *cls, struct MHD_Connection *conn, void *req_cls, const char *extra_in,
                        size_t extra_in_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
    upgrade_job *j = cls;
    j->fd = sock;
    j->urh = urh;
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, upgrade_thread, j) != 0) {
        MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
        if (j->up.free) j->up.free(j->up.cls);
        free(j);
    }
    pthread_attr_destroy(&attr);
}

static enum MHD_Result queue_upgrade(struct MHD_Connection *conn, ck_resp *r)
{
    upgrade_job *j = calloc(1, sizeof *j);
    struct MHD_Response *resp = j ? MHD_create_response_for_upgrade(on_upgraded, j) : NULL;
    if (!resp) {
        if (r->upgrade.free) r->upgrade.free(r->upgrade.cls);
        free(j);
        return MHD_NO;
    }
    j->up = r->upgrade;
    r->upgrade.run = NULL;
    size_t i;
    json_t *h;
    json_array_foreach(r->headers, i, h)
        MHD_add_response_header(resp, json_string_value(json_array_get(h, 0)), json_string_value(json_array_get(h, 1)));
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_SWITCHING_PROTOCOLS, resp);
    MHD_destroy_response(resp);
    return ret;
}

static bool is_mutating(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0;
}

static bool is_long_running(struct MHD_Connection *conn, const char *url)
{
    const char *w = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "watch");
    return (w && (strcmp(w, "true") == 0 || strcmp(w, "1") == 0)) || strstr(url, "/watch/");
}

static enum MHD_Result dispatch(ck_apiserver *s, struct MHD_Connection *conn, conn_req *cr,
                                const char *url, const char *method)
{
    ck_resp resp = {0};
    char remote[64] = "";
    const union MHD_ConnectionInfo *ai = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ai && ai->client_addr && ai->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ai->client_addr)->sin_addr, remote, sizeof remote);
    ck_req req = {
        .remote_addr = remote[0] ? remote : NULL,
        .method = method,
        .path = url,
        .raw_query = cr->raw_query,
        .accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept"),
        .content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"),
        .user_agent = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "User-Agent"),
        .body = cr->body ? cr->body : "",
        .body_len = cr->len,
        .query = query_get,
        .query_all = query_all,
        .header = header_get,
        .impl = cr,
    };
    if (cr->too_large) {
        ck_status st = {0};
        ck_status_set(&st, 413, "RequestEntityTooLarge",
                      "Request entity too large: limit is %u", MAX_BODY);
        ck_resp_status(&resp, &st);
        enum MHD_Result r = queue(conn, &resp);
        ck_resp_free(&resp);
        return r;
    }
    /* Max-in-flight filter (k8s.io/apiserver/pkg/server/filters/maxinflight.go):
     * long-running requests (watches) are exempt. */
    bool mutating = is_mutating(method);
    bool limited = !is_long_running(conn, url);
    int *counter = mutating ? &s->mutating_inflight : &s->inflight;
    int limit = mutating ? s->cfg.max_mutating_inflight : s->cfg.max_inflight;
    if (limited && __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED) > limit) {
        __atomic_sub_fetch(counter, 1, __ATOMIC_RELAXED);
        ck_status st = {0};
        ck_status_set(&st, 429, "TooManyRequests", "Too many requests, please try again later.");
        st.retry_after = 1;
        ck_resp_status(&resp, &st);
        enum MHD_Result r = queue(conn, &resp);
        ck_resp_free(&resp);
        return r;
    }
    ck_stream *stream = NULL;
    ck_apiserver_handle(s, &req, &resp, &stream);
    if (limited) __atomic_sub_fetch(counter, 1, __ATOMIC_RELAXED);
    enum MHD_Result ret;
    if (resp.upgrade.run) {
        ret = queue_upgrade(conn, &resp);
    } else if (stream) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        stream->client_fd = ci ? ci->connect_fd : -1;
        struct MHD_Response *r =
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_reader, stream, stream_free);
        if (!r) { stream->free(stream); ck_resp_free(&resp); return MHD_NO; }
        /* a proxied stream carries its backend's status and headers (Location, ...) */
        add_headers(r, &resp);
        ret = MHD_queue_response(conn, resp.code >= 100 ? (unsigned)resp.code : MHD_HTTP_OK, r);
        MHD_destroy_response(r);
    } else {
        ret = queue(conn, &resp);
    }
    ck_resp_free(&resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    conn_req *cr = *con_cls;
    if (!cr) {
        cr = calloc(1, sizeof *cr);
        if (!cr) return MHD_NO;
        cr->conn = conn;
        *con_cls = cr;
    }
    if (!cr->started) {
        cr->started = true;
        return MHD_YES;
    }
    if (*upload_size) {
        if (body_append(cr, upload, *upload_size) < 0) return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    return dispatch(cls, conn, cr, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn_req *cr = *con_cls;
    if (!cr) return;
    free(cr->body);
    free(cr->raw_query);
    free(cr);
    *con_cls = NULL;
}

/* MHD hands handlers a decoded path and parsed arguments only; the proxy
 * subresources forward the query exactly as the client sent it (upstream's
 * UpgradeAwareHandler keeps req.URL.RawQuery), so keep it from the request
 * line. The returned state becomes the connection's con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    conn_req *cr = calloc(1, sizeof *cr);
    if (!cr) return NULL; /* on_request allocates it then, without the query */
    cr->conn = conn;
    const char *q = strchr(uri, '?');
    if (q && q[1]) cr->raw_query = strdup(q + 1);
    return cr;
}

int ck_apiserver_serve(ck_apiserver *s, char *err, size_t errlen)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->cfg.port)};
    if (inet_pton(AF_INET, s->cfg.bind_address, &addr.sin_addr) != 1) {
        snprintf(err, errlen, "--bind-address: not an IPv4 address: %s", s->cfg.bind_address);
        return -1;
    }
    s->mhd = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
            MHD_ALLOW_UPGRADE,
        0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_CONNECTION_LIMIT, 4096u,
        MHD_OPTION_CONNECTION_TIMEOUT, 0u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(err, errlen, "cannot listen on %s:%d", s->cfg.bind_address, s->cfg.port);
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : s->cfg.port;
    return 0;
}

void ck_apiserver_stop(ck_apiserver *s)
{
    if (s->mhd) MHD_stop_daemon(s->mhd);
    s->mhd = NULL;
}

/* A watch's client went away (FIN or error) while we were waiting for events. */
bool ck_stream_client_gone(const ck_stream *s)
{
    if (s->client_fd < 0) return false;
    struct pollfd p = {.fd = s->client_fd, .events = POLLRDHUP};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}
