/* grpc_health.c: `agnhost grpc-health-checking`
 * (test/images/agnhost/grpc-health-checking): grpc.health.v1.Health/Check
 * over h2c (libnghttp2) on --port (5000), SERVING until --delay-unhealthy-sec
 * or /make-not-serving on the HTTP --http-port (8080); NOT_FOUND for a
 * service other than --service; Watch is Unimplemented. */
#define _GNU_SOURCE
#include "agnhost.h"
#include "grpc_health.h"
#include <errno.h>
#include <nghttp2/nghttp2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct {
    int port, http_port, delay_unhealthy;
    char *service;
    atomic_int force; /* -1 unset, 0 serving, 1 not serving */
    struct timespec started;
} cfg = {5000, 8080, -1, "", -1, {0, 0}};

static double since_start(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - cfg.started.tv_sec) + (double)(now.tv_nsec - cfg.started.tv_nsec) / 1e9;
}

int ag_grpc_parse_request(const uint8_t *msg, size_t n, char *out, size_t outlen)
{
    out[0] = 0;
    if (n < 5 || msg[0] != 0) return -1; /* uncompressed only */
    size_t len = (size_t)msg[1] << 24 | (size_t)msg[2] << 16 | (size_t)msg[3] << 8 | msg[4];
    if (len != n - 5) return -1;
    const uint8_t *p = msg + 5, *end = p + len;
    while (p < end) { /* protobuf: key varint, then field 1 (string) or skipped fields */
        uint64_t key = 0, v = 0;
        for (int s = 0; p < end; s += 7) { key |= (uint64_t)(*p & 0x7f) << s; if (!(*p++ & 0x80)) break; }
        int wire = (int)(key & 7);
        if (wire == 0) {
            while (p < end && (*p++ & 0x80)) {}
            continue;
        }
        if (wire != 2) return -1;
        for (int s = 0; p < end; s += 7) { v |= (uint64_t)(*p & 0x7f) << s; if (!(*p++ & 0x80)) break; }
        if (v > (uint64_t)(end - p)) return -1;
        if (key >> 3 == 1) snprintf(out, outlen, "%.*s", (int)v, (const char *)p);
        p += v;
    }
    return 0;
}

size_t ag_grpc_encode_response(int status, uint8_t *out)
{
    if (status == 0) { /* proto3 omits a zero enum */
        memcpy(out, "\0\0\0\0\0", 5);
        return 5;
    }
    const uint8_t m[7] = {0, 0, 0, 0, 2, 0x08, (uint8_t)status};
    memcpy(out, m, sizeof m);
    return sizeof m;
}

/* ---- one h2c connection ---- */
typedef struct stream {
    int32_t id;
    char path[256];
    uint8_t body[4096];
    size_t len, sent;
    uint8_t resp[8];
    size_t resp_len;
    struct stream *next;
} stream;
typedef struct h2conn { int fd; stream *streams; } h2conn;

static stream *find_stream(h2conn *c, int32_t id)
{
    for (stream *s = c->streams; s; s = s->next)
        if (s->id == id) return s;
    return NULL;
}

static ssize_t send_cb(nghttp2_session *ss, const uint8_t *data, size_t n, int flags, void *u)
{
    h2conn *c = u;
    ssize_t w = send(c->fd, data, n, MSG_NOSIGNAL);
    return w < 0 ? NGHTTP2_ERR_CALLBACK_FAILURE : w;
}

static int begin_headers_cb(nghttp2_session *ss, const nghttp2_frame *f, void *u)
{
    h2conn *c = u;
    if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    stream *s = calloc(1, sizeof *s);
    if (!s) return NGHTTP2_ERR_CALLBACK_FAILURE;
    s->id = f->hd.stream_id;
    s->next = c->streams;
    c->streams = s;
    return 0;
}

static int header_cb(nghttp2_session *ss, const nghttp2_frame *f, const uint8_t *name, size_t nl, const uint8_t *value,
                     size_t vl, uint8_t flags, void *u)
{
    stream *s = find_stream(u, f->hd.stream_id);
    if (s && nl == 5 && memcmp(name, ":path", 5) == 0) snprintf(s->path, sizeof s->path, "%.*s", (int)vl, value);
    return 0;
}

static int data_cb(nghttp2_session *ss, uint8_t flags, int32_t id, const uint8_t *data, size_t n, void *u)
{
    stream *s = find_stream(u, id);
    if (s && s->len + n <= sizeof s->body) memcpy(s->body + s->len, data, n), s->len += n;
    return 0;
}

static ssize_t read_body(nghttp2_session *ss, int32_t id, uint8_t *buf, size_t len, uint32_t *flags,
                         nghttp2_data_source *src, void *u)
{
    stream *s = src->ptr;
    size_t n = s->resp_len - s->sent < len ? s->resp_len - s->sent : len;
    memcpy(buf, s->resp + s->sent, n);
    s->sent += n;
    if (s->sent == s->resp_len) {
        *flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
        const nghttp2_nv tr[] = {{(uint8_t *)"grpc-status", (uint8_t *)"0", 11, 1, NGHTTP2_NV_FLAG_NONE}};
        if (nghttp2_submit_trailer(ss, id, tr, 1) != 0) return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    return (ssize_t)n;
}

#define NV(n, v) {(uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, strlen(v), NGHTTP2_NV_FLAG_NONE}

/* A trailers-only response: grpc-status code with grpc-message. */
static int respond_error(nghttp2_session *ss, stream *s, const char *code, const char *msg)
{
    const nghttp2_nv h[] = {NV(":status", "200"), NV("content-type", "application/grpc"), NV("grpc-status", code),
                            NV("grpc-message", msg)};
    return nghttp2_submit_response(ss, s->id, h, 4, NULL);
}

static int respond(nghttp2_session *ss, stream *s)
{
    char service[256];
    if (strcmp(s->path, "/grpc.health.v1.Health/Watch") == 0) return respond_error(ss, s, "12", "unimplemented");
    if (strcmp(s->path, "/grpc.health.v1.Health/Check") != 0) {
        char m[300];
        snprintf(m, sizeof m, "unknown service %.*s", (int)(strrchr(s->path, '/') > s->path ?
                 strrchr(s->path, '/') - s->path - 1 : 0), s->path + 1);
        return respond_error(ss, s, "12", m);
    }
    if (ag_grpc_parse_request(s->body, s->len, service, sizeof service) < 0)
        return respond_error(ss, s, "13", "grpc: error unmarshalling request");
    ag_log("Serving the Check request for health check");
    if (strcmp(service, cfg.service) != 0) return respond_error(ss, s, "5", "unknown service");
    int force = atomic_load(&cfg.force);
    int unhealthy = force == 1 || (cfg.delay_unhealthy >= 0 && since_start() >= cfg.delay_unhealthy);
    s->resp_len = ag_grpc_encode_response(unhealthy ? AG_GRPC_NOT_SERVING : AG_GRPC_SERVING, s->resp);
    const nghttp2_nv h[] = {NV(":status", "200"), NV("content-type", "application/grpc")};
    nghttp2_data_provider prd = {.source.ptr = s, .read_callback = read_body};
    return nghttp2_submit_response(ss, s->id, h, 2, &prd);
}

static int frame_cb(nghttp2_session *ss, const nghttp2_frame *f, void *u)
{
    if ((f->hd.type == NGHTTP2_DATA || f->hd.type == NGHTTP2_HEADERS) && (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
        stream *s = find_stream(u, f->hd.stream_id);
        if (s && respond(ss, s) != 0) return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    return 0;
}

static int close_cb(nghttp2_session *ss, int32_t id, uint32_t code, void *u)
{
    h2conn *c = u;
    for (stream **p = &c->streams; *p; p = &(*p)->next)
        if ((*p)->id == id) {
            stream *s = *p;
            *p = s->next;
            free(s);
            break;
        }
    return 0;
}

static void *serve_h2(void *p)
{
    h2conn *c = p;
    nghttp2_session_callbacks *cb;
    nghttp2_session *ss = NULL;
    if (nghttp2_session_callbacks_new(&cb) == 0) {
        nghttp2_session_callbacks_set_send_callback(cb, send_cb);
        nghttp2_session_callbacks_set_on_begin_headers_callback(cb, begin_headers_cb);
        nghttp2_session_callbacks_set_on_header_callback(cb, header_cb);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, data_cb);
        nghttp2_session_callbacks_set_on_frame_recv_callback(cb, frame_cb);
        nghttp2_session_callbacks_set_on_stream_close_callback(cb, close_cb);
        if (nghttp2_session_server_new(&ss, cb, c) != 0) ss = NULL;
        nghttp2_session_callbacks_del(cb);
    }
    if (ss && nghttp2_submit_settings(ss, NGHTTP2_FLAG_NONE, NULL, 0) == 0 && nghttp2_session_send(ss) == 0) {
        uint8_t buf[16384];
        while (nghttp2_session_want_read(ss) || nghttp2_session_want_write(ss)) {
            ssize_t n = recv(c->fd, buf, sizeof buf, 0);
            if (n <= 0 || nghttp2_session_mem_recv(ss, buf, (size_t)n) < 0 || nghttp2_session_send(ss) != 0) break;
        }
    }
    nghttp2_session_del(ss);
    while (c->streams) {
        stream *s = c->streams;
        c->streams = s->next;
        free(s);
    }
    close(c->fd);
    free(c);
    return NULL;
}

/* ---- the HTTP control server ---- */
static void control(const ag_http_req *rq, ag_http_resp *rs, void *arg)
{
    int v = strcmp(rq->path, "/make-not-serving") == 0 ? 1 : strcmp(rq->path, "/make-serving") == 0 ? 0 : -1;
    if (v < 0) return ag_resp_error(rs, 404, "404 page not found");
    ag_log("Mark as %s", v ? "unhealthy" : "healthy");
    atomic_store(&cfg.force, v);
    char d[64];
    ag_go_duration(since_start(), d, sizeof d);
    ag_resp_printf(rs, "%s", d);
}

static void *control_server(void *p)
{
    ag_http_serve((int)(intptr_t)p, control, NULL);
    return NULL;
}

int ag_grpc_health_main(int argc, char **argv)
{
    const ag_flag flags[] = {{"port", AG_FLAG_INT, &cfg.port},
                             {"http-port", AG_FLAG_INT, &cfg.http_port},
                             {"delay-unhealthy-sec", AG_FLAG_INT, &cfg.delay_unhealthy},
                             {"service", AG_FLAG_STR, &cfg.service},
                             {NULL, 0, NULL}};
    char err[256];
    if (ag_flags_parse(argc, argv, flags, err, sizeof err) < 0) return fprintf(stderr, "Error: %s\n", err), 1;
    clock_gettime(CLOCK_MONOTONIC, &cfg.started);
    int hfd = ag_listen_tcp(cfg.http_port, err, sizeof err);
    if (hfd < 0) return ag_log("%s", err), 1; /* log.Fatal(http.ListenAndServe) */
    ag_log("Http server starting to listen on :%d", cfg.http_port);
    pthread_t t;
    if (pthread_create(&t, NULL, control_server, (void *)(intptr_t)hfd) != 0) return ag_log("pthread_create failed"), 1;
    int fd = ag_listen_tcp(cfg.port, err, sizeof err);
    if (fd < 0) return ag_log("Error while starting the listening service %s", err), 1;
    ag_log("gRPC server starting to listen on :%d", cfg.port);
    for (;;) {
        int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        if (cfd < 0) { if (errno != EINTR) usleep(100000); continue; }
        h2conn *c = calloc(1, sizeof *c);
        if (!c) { close(cfd); continue; }
        c->fd = cfd;
        if (pthread_create(&t, NULL, serve_h2, c) == 0) pthread_detach(t);
        else serve_h2(c);
    }
}
