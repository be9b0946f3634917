/* httpd.c: the HTTP/1.1 server the agnhost subcommands share: one request
 * per connection (Connection: close), handler fills an ag_http_resp. Enough
 * for curl, busybox wget, kubelet httpGet probes and the apiserver proxy. */
#define _GNU_SOURCE
#include "agnhost.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

void ag_resp_printf(ag_http_resp *rs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    char *b = realloc(rs->body, rs->len + (size_t)n + 1);
    if (b) {
        memcpy(b + rs->len, s, (size_t)n + 1);
        rs->body = b;
        rs->len += (size_t)n;
    }
    free(s);
}

void ag_resp_error(ag_http_resp *rs, int code, const char *msg)
{
    rs->code = code;
    rs->ctype = "text/plain; charset=utf-8";
    ag_resp_printf(rs, "%s\n", msg);
}

int ag_listen_tcp(int port, char *err, size_t errlen)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0) return snprintf(err, errlen, "socket: %s", strerror(errno)), -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 128) < 0) {
        snprintf(err, errlen, "listen tcp :%d: bind: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int ag_http_parse(const char *buf, ag_http_req *rq)
{
    char target[sizeof rq->path + sizeof rq->query + 2];
    if (sscanf(buf, "%15s %5119s HTTP/%*d.%*d", rq->method, target) != 2) return -1;
    char *q = strchr(target, '?');
    if (q) *q++ = 0;
    size_t pl = strlen(target), ql = q ? strlen(q) : 0;
    if (target[0] != '/' || pl >= sizeof rq->path || ql >= sizeof rq->query) return -1;
    memcpy(rq->path, target, pl + 1); /* lengths checked above */
    memcpy(rq->query, q ? q : "", ql + 1);
    return 0;
}

static int hexval(int c) { return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10; }

int ag_query_get(const char *query, const char *key, char *out, size_t outlen)
{
    size_t klen = strlen(key);
    out[0] = 0;
    for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (strncmp(p, key, klen) != 0 || (p[klen] != '=' && p[klen] != '&' && p[klen])) continue;
        const char *v = p[klen] == '=' ? p + klen + 1 : p + klen;
        size_t o = 0;
        for (; *v && *v != '&' && o + 1 < outlen; v++) {
            if (*v == '+') out[o++] = ' ';
            else if (*v == '%' && isxdigit((unsigned char)v[1]) && isxdigit((unsigned char)v[2])) {
                out[o++] = (char)(hexval((unsigned char)v[1]) * 16 + hexval((unsigned char)v[2]));
                v += 2;
            } else out[o++] = *v;
        }
        out[o] = 0;
        return 1;
    }
    return 0;
}

static const char *reason(int code)
{
    static const struct { int code; const char *text; } reasons[] = {
        {200, "OK"}, {201, "Created"}, {302, "Found"}, {400, "Bad Request"}, {404, "Not Found"},
        {405, "Method Not Allowed"}, {412, "Precondition Failed"}, {417, "Expectation Failed"},
        {500, "Internal Server Error"}, {503, "Service Unavailable"}};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].code == code) return reasons[i].text;
    return "Status";
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return;
        p += w, n -= (size_t)w;
    }
}

typedef struct conn { int fd; ag_http_handler h; void *arg; struct sockaddr_in peer; } conn;

static void *serve_conn(void *p)
{
    conn *c = p;
    char buf[16384];
    size_t n = 0;
    struct timeval tv = {30, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (n + 1 < sizeof buf) { /* read the request head */
        ssize_t r = read(c->fd, buf + n, sizeof buf - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
        buf[n] = 0;
        if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n")) break;
    }
    buf[n] = 0;
    ag_http_req rq = {0};
    ag_http_resp rs = {.code = 200};
    char ip[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &c->peer.sin_addr, ip, sizeof ip);
    snprintf(rq.peer, sizeof rq.peer, "%s:%d", ip, ntohs(c->peer.sin_port));
    if (ag_http_parse(buf, &rq) < 0) ag_resp_error(&rs, 400, "400 Bad Request");
    else c->h(&rq, &rs, c->arg);
    char head[2048];
    int hl = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%s%s"
                      "Connection: close\r\n\r\n", rs.code, reason(rs.code),
                      rs.ctype ? rs.ctype : "text/plain; charset=utf-8", rs.len, rs.location[0] ? "Location: " : "",
                      rs.location, rs.location[0] ? "\r\n" : "");
    write_all(c->fd, head, (size_t)hl);
    if (strcmp(rq.method, "HEAD") != 0) write_all(c->fd, rs.body ? rs.body : "", rs.len);
    shutdown(c->fd, SHUT_WR);
    close(c->fd);
    free(rs.body);
    free(c);
    return NULL;
}

void ag_http_serve(int fd, ag_http_handler h, void *arg)
{
    for (;;) {
        conn *c = calloc(1, sizeof *c);
        socklen_t l = sizeof c->peer;
        if (!c) { sleep(1); continue; }
        c->fd = accept4(fd, (struct sockaddr *)&c->peer, &l, SOCK_CLOEXEC);
        if (c->fd < 0) { free(c); if (errno != EINTR) usleep(100000); continue; }
        c->h = h, c->arg = arg;
        pthread_t t;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &at, serve_conn, c) != 0) serve_conn(c);
        pthread_attr_destroy(&at);
    }
}
