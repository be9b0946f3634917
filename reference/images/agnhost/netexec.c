/* netexec.c: `agnhost netexec` (test/images/agnhost/netexec/netexec.go): an
 * HTTP server (/, /clientip, /dial, /echo, /exit, /healthz, /hostname,
 * /hostName, /shell, /shutdown) and a UDP server answering "hostname",
 * "echo <msg>" and "clientip". /healthz is 200 once a UDP server runs. */
#define _GNU_SOURCE
#include "agnhost.h"
#include "netexec.h"
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int server_ready;

static void hostname_of(char *out, size_t n)
{
    if (gethostname(out, n) != 0) snprintf(out, n, "unknown");
}

size_t ag_udp_reply(const char *msg, size_t n, const char *client, char *out, size_t outlen)
{
    char text[2048];
    size_t b = 0, e = n < sizeof text ? n : sizeof text - 1;
    while (b < e && strchr(" \t\r\n", msg[b])) b++; /* strings.TrimSpace, ToLower */
    while (e > b && strchr(" \t\r\n", msg[e - 1])) e--;
    for (size_t i = b; i < e; i++) text[i - b] = (char)((msg[i] >= 'A' && msg[i] <= 'Z') ? msg[i] + 32 : msg[i]);
    text[e - b] = 0;
    if (strcmp(text, "hostname") == 0) {
        hostname_of(out, outlen);
        return strlen(out);
    }
    if (strncmp(text, "echo ", 5) == 0) return (size_t)snprintf(out, outlen, "%s", text + 5);
    if (strcmp(text, "clientip") == 0) return (size_t)snprintf(out, outlen, "%s", client);
    if (*text) ag_log("Unknown UDP command received from %s: %s", client, text);
    return 0;
}

typedef struct udp_srv { struct in_addr addr; int port; } udp_srv;

static void *udp_server(void *p)
{
    udp_srv *s = p;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port), .sin_addr = s->addr};
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        ag_log("failed to create listener for UDP address %s:%d: %s", inet_ntoa(s->addr), s->port, strerror(errno));
        exit(1); /* upstream assertNoError: log.Fatal */
    }
    ag_log("Started UDP server on port %s %d", s->addr.s_addr ? inet_ntoa(s->addr) : "", s->port);
    atomic_store(&server_ready, 1);
    for (;;) {
        char buf[2048], out[2048], client[64], ip[INET_ADDRSTRLEN];
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 0) continue;
        inet_ntop(AF_INET, &from.sin_addr, ip, sizeof ip);
        snprintf(client, sizeof client, "%s:%d", ip, ntohs(from.sin_port));
        size_t m = ag_udp_reply(buf, (size_t)n, client, out, sizeof out);
        if (m || strncasecmp(buf, "echo", 4) == 0) sendto(fd, out, m, 0, (struct sockaddr *)&from, fl);
    }
    return NULL;
}

/* ---- /dial ---- */
static int dial_udp(const char *request, const struct sockaddr_in *to, char *out, size_t outlen)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return snprintf(out, outlen, "udp dial failed. err:%s", strerror(errno)), -1;
    struct timeval tv = {5, 0}; /* Conn.SetReadDeadline(5s) */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int rc = -1;
    if (connect(fd, (const struct sockaddr *)to, sizeof *to) < 0)
        snprintf(out, outlen, "udp dial failed. err:%s", strerror(errno));
    else if (send(fd, request, strlen(request), 0) < 0)
        snprintf(out, outlen, "udp connection write failed. err:%s", strerror(errno));
    else {
        ssize_t n = recv(fd, out, outlen - 1, 0);
        if (n > 0) out[n] = 0, rc = 0;
        else snprintf(out, outlen, "reading from udp connection failed. err:'read udp: %s'",
                      n < 0 && errno == EAGAIN ? "i/o timeout" : strerror(errno));
    }
    close(fd);
    return rc;
}

static int dial_http(const char *request, const struct sockaddr_in *to, char *out, size_t outlen)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return snprintf(out, outlen, "dial tcp: %s", strerror(errno)), -1;
    struct timeval tv = {5, 0}; /* createHTTPClient: Timeout 5s */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char ip[INET_ADDRSTRLEN], req[2300];
    inet_ntop(AF_INET, &to->sin_addr, ip, sizeof ip);
    if (connect(fd, (const struct sockaddr *)to, sizeof *to) < 0) {
        snprintf(out, outlen, "Get \"http://%s:%d/%s\": dial tcp %s:%d: connect: %s", ip, ntohs(to->sin_port), request, ip,
                 ntohs(to->sin_port), strerror(errno));
        close(fd);
        return -1;
    }
    int n = snprintf(req, sizeof req, "GET /%s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n", request, ip,
                     ntohs(to->sin_port));
    size_t got = 0;
    if (write(fd, req, (size_t)n) == n)
        for (ssize_t r; got + 1 < outlen && (r = read(fd, out + got, outlen - 1 - got)) > 0;) got += (size_t)r;
    out[got] = 0;
    close(fd);
    char *body = strstr(out, "\r\n\r\n");
    if (!body) return snprintf(out, outlen, "Get \"http://%s:%d/%s\": EOF", ip, ntohs(to->sin_port), request), -1;
    memmove(out, body + 4, strlen(body + 4) + 1);
    return 0;
}

json_t *ag_dial(const char *protocol, const char *request, const char *host, const char *port, int tries)
{
    struct sockaddr_in to = {.sin_family = AF_INET};
    char *end;
    long p = strtol(port, &end, 10);
    if (inet_pton(AF_INET, host, &to.sin_addr) != 1 || !*port || *end || p < 0 || p > 65535) return NULL;
    to.sin_port = htons((uint16_t)p);
    int (*dialer)(const char *, const struct sockaddr_in *, char *, size_t) =
        strcasecmp(protocol, "udp") == 0 ? dial_udp : dial_http;
    json_t *out = json_object(), *resp = json_array(), *errs = json_array();
    char buf[65536];
    int last_ok = 0;
    for (int i = 0; i < tries; i++) {
        last_ok = dialer(request, &to, buf, sizeof buf) == 0;
        json_array_append_new(last_ok ? resp : errs, json_string(buf));
    }
    /* upstream: responses only when the last response was non-empty */
    if (last_ok && *buf) json_object_set(out, "responses", resp);
    if (json_array_size(errs)) json_object_set(out, "errors", errs);
    json_decref(resp);
    json_decref(errs);
    return out;
}

static void h_dial(const ag_http_req *rq, ag_http_resp *rs)
{
    char host[256], port[32], request[1024], protocol[32], tries_s[32];
    ag_query_get(rq->query, "host", host, sizeof host);
    ag_query_get(rq->query, "port", port, sizeof port);
    ag_query_get(rq->query, "request", request, sizeof request);
    ag_query_get(rq->query, "protocol", protocol, sizeof protocol);
    ag_query_get(rq->query, "tries", tries_s, sizeof tries_s);
    ag_log("GET /dial?host=%s&protocol=%s&port=%s&request=%s&tries=%s", host, protocol, port, request, tries_s);
    char *end;
    int tries = *tries_s ? (int)strtol(tries_s, &end, 10) : 1;
    if (*tries_s && *end) return ag_resp_error(rs, 400, "tries parameter is invalid.");
    if (!*request) return ag_resp_error(rs, 400, "request parameter not specified. <nil>");
    if (*protocol && strcasecmp(protocol, "http") && strcasecmp(protocol, "udp")) {
        char m[128];
        snprintf(m, sizeof m, "unsupported protocol. %s", protocol);
        return ag_resp_error(rs, 400, m);
    }
    json_t *out = ag_dial(protocol, request, host, port, tries);
    if (!out) return ag_resp_error(rs, 400, "host and/or port param are invalid.");
    char *s = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    if (s) ag_resp_printf(rs, "%s", s);
    free(s);
}

static void h_shell(const ag_http_req *rq, ag_http_resp *rs)
{
    char cmd[4096];
    if (!ag_query_get(rq->query, "shellCommand", cmd, sizeof cmd) || !*cmd) ag_query_get(rq->query, "cmd", cmd, sizeof cmd);
    ag_log("GET /shell?cmd=%s", cmd);
    char *full = NULL, *buf = NULL;
    size_t len = 0;
    if (asprintf(&full, "%s 2>&1", cmd) < 0) return ag_resp_error(rs, 500, "out of memory");
    FILE *p = popen(full, "r");
    free(full);
    json_t *out = json_object();
    if (p) {
        FILE *m = open_memstream(&buf, &len);
        char chunk[4096];
        for (size_t n; m && (n = fread(chunk, 1, sizeof chunk, p)) > 0;) fwrite(chunk, 1, n, m);
        if (m) fclose(m);
        int st = pclose(p);
        if (len) json_object_set_new(out, "output", json_stringn(buf, len));
        if (WIFEXITED(st) && WEXITSTATUS(st)) {
            char e[64];
            snprintf(e, sizeof e, "exit status %d", WEXITSTATUS(st));
            json_object_set_new(out, "error", json_string(e));
        }
        free(buf);
    }
    char *s = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    if (s) ag_resp_printf(rs, "%s", s);
    free(s);
}

static void h_root(const ag_http_req *rq, ag_http_resp *rs)
{
    char ts[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S %z %Z", localtime_r(&now, &tm));
    ag_log("GET /");
    ag_resp_printf(rs, "NOW: %s", ts);
}

static void h_echo(const ag_http_req *rq, ag_http_resp *rs)
{
    char msg[4096], code[32];
    ag_query_get(rq->query, "msg", msg, sizeof msg);
    ag_query_get(rq->query, "code", code, sizeof code);
    ag_log("GET /echo?msg=%s&code=%s", msg, code);
    if (*code) rs->code = atoi(code) > 0 ? atoi(code) : 200;
    ag_resp_printf(rs, "%s", msg);
}

static void h_clientip(const ag_http_req *rq, ag_http_resp *rs) { ag_resp_printf(rs, "%s", rq->peer); }

static void h_hostname(const ag_http_req *rq, ag_http_resp *rs)
{
    char h[256];
    hostname_of(h, sizeof h);
    ag_log("GET %s", rq->path);
    ag_resp_printf(rs, "%s", h);
}

static void h_healthz(const ag_http_req *rq, ag_http_resp *rs)
{
    rs->code = atomic_load(&server_ready) ? 200 : 412; /* StatusPreconditionFailed until UDP listens */
}

static void h_exit(const ag_http_req *rq, ag_http_resp *rs)
{
    char code[32];
    ag_query_get(rq->query, "code", code, sizeof code);
    ag_log("GET /exit?code=%s", code);
    exit(atoi(code)); /* timeout 0: os.Exit(code) before answering */
}

static void h_shutdown(const ag_http_req *rq, ag_http_resp *rs) { exit(0); }

/* The routes, as http.ServeMux matches them: exact paths, "/" for the rest. */
static const struct { const char *path; void (*fn)(const ag_http_req *, ag_http_resp *); } routes[] = {
    {"/clientip", h_clientip}, {"/dial", h_dial},         {"/echo", h_echo},         {"/exit", h_exit},
    {"/healthz", h_healthz},   {"/hostname", h_hostname}, {"/hostName", h_hostname}, {"/shell", h_shell},
    {"/shutdown", h_shutdown},
};

void ag_netexec_route(const ag_http_req *rq, ag_http_resp *rs, void *arg)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (strcmp(rq->path, routes[i].path) == 0) return routes[i].fn(rq, rs);
    h_root(rq, rs);
}

int ag_netexec_main(int argc, char **argv)
{
    int http_port = 8080, udp_port = 8081, sctp_port = -1;
    char *udp_addrs = "", *override = "", *cert = "", *key = "";
    const ag_flag flags[] = {
        {"http-port", AG_FLAG_INT, &http_port},         {"udp-port", AG_FLAG_INT, &udp_port},
        {"sctp-port", AG_FLAG_INT, &sctp_port},         {"udp-listen-addresses", AG_FLAG_STR, &udp_addrs},
        {"http-override", AG_FLAG_STR, &override},      {"tls-cert-file", AG_FLAG_STR, &cert},
        {"tls-private-key-file", AG_FLAG_STR, &key},    {NULL, 0, NULL}};
    char err[256];
    if (ag_flags_parse(argc, argv, flags, err, sizeof err) < 0) return fprintf(stderr, "Error: %s\n", err), 1;
    if (udp_port != -1) {
        /* parseAddresses: comma separated, duplicates dropped; empty = all */
        char *save = NULL, *list = strdup(udp_addrs);
        int started = 0;
        for (char *a = list ? strtok_r(list, ",", &save) : NULL; a || !started; a = a ? strtok_r(NULL, ",", &save) : NULL) {
            udp_srv *s = calloc(1, sizeof *s);
            if (!s) break;
            s->port = udp_port;
            if (a && inet_pton(AF_INET, a, &s->addr) != 1) { free(s); continue; }
            pthread_t t;
            if (pthread_create(&t, NULL, udp_server, s) == 0) pthread_detach(t), started++;
            if (!a) break;
        }
        free(list);
    }
    int fd = ag_listen_tcp(http_port, err, sizeof err);
    if (fd < 0) return ag_log("%s", err), 1;
    ag_log("Started HTTP server on port %d", http_port);
    ag_http_serve(fd, ag_netexec_route, NULL);
    return 0;
}
