/* porter.c: `agnhost porter [--json-response]` (test/images/agnhost/porter/
 * porter.go): for every SERVE_PORT_n / SERVE_TCP_PORT_n (HTTP),
 * SERVE_TLS_PORT_n (HTTPS, porter_tls.c) and SERVE_UDP_PORT_n variable, a
 * server on port n answering the variable's value to any request. */
#define _GNU_SOURCE
#include "porter.h"
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

extern char **environ;

/* porter.go's prefixes; SERVE_PORT_ first as upstream's switch. */
static const struct { const char *prefix; ag_porter_kind kind; } prefixes[] = {
    {"SERVE_PORT_", AG_PORTER_TCP},    {"SERVE_TCP_PORT_", AG_PORTER_TCP}, {"SERVE_UDP_PORT_", AG_PORTER_UDP},
    {"SERVE_SCTP_PORT_", AG_PORTER_SCTP}, {"SERVE_TLS_PORT_", AG_PORTER_TLS},
};

ag_porter_kind ag_porter_parse_env(const char *kv, char *port, size_t portlen, const char **value)
{
    const char *eq = strchr(kv, '=');
    if (!eq) return AG_PORTER_NONE;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t pl = strlen(prefixes[i].prefix);
        if (strncmp(kv, prefixes[i].prefix, pl) != 0 || kv + pl > eq) continue;
        snprintf(port, portlen, "%.*s", (int)(eq - kv - (ptrdiff_t)pl), kv + pl);
        *value = eq + 1;
        return prefixes[i].kind;
    }
    return AG_PORTER_NONE;
}

/* net/http/sniff.go: the signatures a text answer can match. html ones need
 * a space or '>' after the tag (htmlSig); all skip leading whitespace. */
static const struct { const char *sig; int html; const char *ctype; } sniff_sigs[] = {
    {"<!DOCTYPE HTML", 1, "text/html; charset=utf-8"}, {"<HTML", 1, "text/html; charset=utf-8"},
    {"<HEAD", 1, "text/html; charset=utf-8"},          {"<SCRIPT", 1, "text/html; charset=utf-8"},
    {"<IFRAME", 1, "text/html; charset=utf-8"},        {"<H1", 1, "text/html; charset=utf-8"},
    {"<DIV", 1, "text/html; charset=utf-8"},           {"<FONT", 1, "text/html; charset=utf-8"},
    {"<TABLE", 1, "text/html; charset=utf-8"},         {"<A", 1, "text/html; charset=utf-8"},
    {"<STYLE", 1, "text/html; charset=utf-8"},         {"<TITLE", 1, "text/html; charset=utf-8"},
    {"<B", 1, "text/html; charset=utf-8"},             {"<BODY", 1, "text/html; charset=utf-8"},
    {"<BR", 1, "text/html; charset=utf-8"},            {"<P", 1, "text/html; charset=utf-8"},
    {"<!--", 1, "text/html; charset=utf-8"},           {"<?xml", 0, "text/xml; charset=utf-8"},
};

const char *ag_porter_content_type(const char *body, size_t len)
{
    const unsigned char *b = (const unsigned char *)body;
    if (len > 512) len = 512;
    /* byte order marks come before any whitespace skipping */
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) return "text/plain; charset=utf-16be";
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) return "text/plain; charset=utf-16le";
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return "text/plain; charset=utf-8";
    size_t ws = 0;
    while (ws < len && strchr("\t\n\x0c\r ", b[ws]) && b[ws]) ws++;
    for (size_t i = 0; i < sizeof sniff_sigs / sizeof sniff_sigs[0]; i++) {
        size_t sl = strlen(sniff_sigs[i].sig);
        if (len - ws < sl + (size_t)sniff_sigs[i].html || strncasecmp(body + ws, sniff_sigs[i].sig, sl) != 0) continue;
        if (sniff_sigs[i].html && b[ws + sl] != ' ' && b[ws + sl] != '>') continue;
        return sniff_sigs[i].ctype;
    }
    for (size_t i = ws; i < len; i++) /* textSig: no binary data bytes */
        if (b[i] <= 0x08 || b[i] == 0x0B || (b[i] >= 0x0E && b[i] <= 0x1A) || (b[i] >= 0x1C && b[i] <= 0x1F))
            return "application/octet-stream";
    return "text/plain; charset=utf-8";
}

/* json.Marshal's HTML-safe escaping of what jansson left literal. */
static void go_json_escape(ag_http_resp *rs, const char *s)
{
    for (; *s; s++) {
        if (*s == '<') ag_resp_printf(rs, "\\u003c");
        else if (*s == '>') ag_resp_printf(rs, "\\u003e");
        else if (*s == '&') ag_resp_printf(rs, "\\u0026");
        else ag_resp_printf(rs, "%c", *s);
    }
}

void ag_porter_respond(const char *method, const char *value, int json, ag_http_resp *rs)
{
    rs->code = 200;
    if (!json) {
        ag_resp_printf(rs, "%s", value);
        rs->ctype = ag_porter_content_type(value, strlen(value));
        return;
    }
    json_t *j = json_pack("{s:s, s:s}", "Method", method, "Body", value);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!text) { /* not valid UTF-8, or out of memory */
        ag_resp_error(rs, 500, "Internal Server Error: json: cannot marshal the response");
        return;
    }
    rs->ctype = "application/json";
    go_json_escape(rs, text);
    free(text);
}

static void porter_http(const ag_http_req *rq, ag_http_resp *rs, void *arg)
{
    const ag_porter_port *p = arg;
    ag_porter_respond(rq->method, p->value, p->json, rs);
}

typedef struct server { ag_porter_kind kind; char port[32]; ag_porter_port p; } server;

/* A port as Go's net.Listen reads "0.0.0.0:"+port: decimal 0..65535. */
static int port_number(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    return *s && !*end && n >= 0 && n <= 65535 ? (int)n : -1;
}

static void serve_udp(int port, const char *value)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        ag_log("UDP: failed to listen on port %d: %s", port, strerror(errno));
        exit(1); /* log.Fatalf */
    }
    ag_log("Started UDP server on port %d", port);
    char buf[16];
    for (;;) {
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        if (recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) < 0) {
            ag_log("UDP: error from ReadFrom(): %s", strerror(errno));
            close(fd);
            return;
        }
        if (sendto(fd, value, strlen(value), 0, (struct sockaddr *)&from, fl) < 0)
            ag_log("UDP: error from WriteTo(): %s", strerror(errno));
    }
}

static void *run_server(void *arg)
{
    server *s = arg;
    char err[256];
    int port = port_number(s->port), fd = -1;
    if (s->kind == AG_PORTER_UDP) {
        if (port < 0) ag_log("UDP: failed to resolve address: invalid port \"%s\"", s->port), exit(1);
        serve_udp(port, s->p.value);
        return NULL;
    }
    if (port < 0) snprintf(err, sizeof err, "listen tcp: address 0.0.0.0:%s: invalid port", s->port);
    else fd = ag_listen_tcp(port, err, sizeof err);
    if (fd < 0) {
        if (s->kind == AG_PORTER_TLS) ag_log("tls server on port \"%s\" failed: %s", s->port, err);
        else ag_log("server on port \"%s\" failed: %s", s->port, err);
        return NULL;
    }
    if (s->kind == AG_PORTER_TLS) ag_porter_serve_tls(fd, &s->p);
    else ag_http_serve(fd, porter_http, &s->p);
    return NULL;
}

/* --json-response as a pflag bool: bare, or =true/false (strconv.ParseBool). */
static int parse_flags(int argc, char **argv, int *json)
{
    static const char *const truths[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
    static const char *const lies[] = {"0", "f", "F", "FALSE", "false", "False", NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json-response")) { *json = 1; continue; }
        if (!strncmp(a, "--json-response=", 16)) {
            int ok = 0;
            for (const char *const *t = truths; *t; t++) if (!strcmp(a + 16, *t)) *json = 1, ok = 1;
            for (const char *const *f = lies; *f; f++) if (!strcmp(a + 16, *f)) *json = 0, ok = 1;
            if (ok) continue;
            fprintf(stderr, "Error: invalid argument \"%s\" for \"--json-response\" flag: strconv.ParseBool: parsing "
                            "\"%s\": invalid syntax\n", a + 16, a + 16);
            return -1;
        }
        if (a[0] == '-') fprintf(stderr, "Error: unknown flag: %.*s\n", (int)strcspn(a, "="), a);
        else fprintf(stderr, "Error: accepts at most 0 arg(s), received %d\n", argc - i);
        return -1;
    }
    return 0;
}

/* The TLS context every SERVE_TLS_PORT_n shares: CERT_FILE / KEY_FILE, else
 * porter's defaults "localhost.crt" / "localhost.key" (the upstream image's
 * working directory is /), generated when those are absent. */
static SSL_CTX *shared_tls(void)
{
    static SSL_CTX *ctx;
    if (ctx) return ctx;
    const char *cert = getenv("CERT_FILE"), *key = getenv("KEY_FILE");
    int defaults = !(cert && *cert) && !(key && *key);
    if (!cert || !*cert) cert = "localhost.crt";
    if (!key || !*key) key = "localhost.key";
    char err[256];
    ctx = ag_porter_tls_ctx(cert, key, defaults, err, sizeof err);
    if (!ctx) ag_log("tls server with certFile=\"%s\", keyFile=\"%s\" failed: %s", cert, key, err);
    return ctx;
}

/* Go's runtime dieFromSignal: the default action, and exit status 2 when
 * that did not end the process (PID 1 of a pod ignores SIGTERM's default). */
static void die_from_signal(int sig)
{
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(2);
}

int ag_porter_main(int argc, char **argv)
{
    int json = 0;
    if (parse_flags(argc, argv, &json) < 0) return 1;
    static const int fatal[] = {SIGHUP, SIGINT, SIGTERM};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) signal(fatal[i], die_from_signal);
    for (char **e = environ; e && *e; e++) {
        server s = {.p.json = json};
        s.kind = ag_porter_parse_env(*e, s.port, sizeof s.port, &s.p.value);
        if (s.kind == AG_PORTER_NONE) continue;
        if (s.kind == AG_PORTER_SCTP) {
            ag_log("Sctp: not supported by this agnhost build (port %s)", s.port);
            continue;
        }
        if (s.kind == AG_PORTER_TLS && !(s.p.tls = shared_tls())) continue;
        server *copy = malloc(sizeof *copy);
        pthread_t t;
        if (!copy) return 1;
        *copy = s;
        if (pthread_create(&t, NULL, run_server, copy) != 0) {
            ag_log("cannot start the server on port %s", s.port);
            free(copy);
            continue;
        }
        pthread_detach(t);
    }
    for (;;) pause(); /* select {} */
}
