/* apitest.h: drives the apiserver's handler in-process on the memory
 * backend (no sockets): call(method, path?query, content-type, body) returns
 * the status code and the parsed body. Header-only, for tests/. */
#ifndef CK_APISERVER_TESTS_APITEST_H
#define CK_APISERVER_TESTS_APITEST_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/apiserver.h"
#include "util/ckjson.h"

static ck_apiserver apitest_srv;

typedef struct apitest_q { char keys[16][64]; char vals[16][512]; int n; } apitest_q;

static const char *apitest_query(const ck_req *r, const char *key)
{
    apitest_q *q = r->impl;
    for (int i = 0; i < q->n; i++)
        if (strcmp(q->keys[i], key) == 0) return q->vals[i];
    return NULL;
}

/* Percent-decoding of query values (only %XX; '+' stays '+'). */
static void apitest_unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '%' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
}

static int apitest_start(void)
{
    ck_apiserver_config cfg;
    ck_apiserver_config_defaults(&cfg);
    cfg.store_spec = "memory:50";
    cfg.watch_window = 20;
    char err[256];
    if (ck_apiserver_init(&apitest_srv, &cfg, err, sizeof err) < 0 ||
        (apitest_srv.port = 6443, ck_bootstrap(&apitest_srv, err, sizeof err)) < 0) {
        fprintf(stderr, "apitest: %s\n", err);
        return -1;
    }
    return 0;
}

static int apitest_stop(void)
{
    ck_apiserver_free(&apitest_srv);
    return 0;
}

/* Performs one request. *out (may be NULL) receives the parsed JSON body
 * (a new reference; NULL for non-JSON). A watch returns its stream in *stream. */
static int call_ex(const char *method, const char *url, const char *ctype, const char *accept, const char *body,
                   json_t **out, ck_stream **stream)
{
    char path[1024];
    apitest_q q = {0};
    snprintf(path, sizeof path, "%s", url);
    char *qs = strchr(path, '?');
    if (qs) {
        *qs++ = 0;
        for (char *save = NULL, *t = strtok_r(qs, "&", &save); t && q.n < 16; t = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(t, '=');
            if (eq) *eq = 0;
            snprintf(q.keys[q.n], sizeof q.keys[0], "%s", t);
            snprintf(q.vals[q.n], sizeof q.vals[0], "%s", eq ? eq + 1 : "");
            apitest_unescape(q.vals[q.n]);
            q.n++;
        }
    }
    ck_req req = {.method = method, .path = path, .content_type = ctype, .accept = accept,
                  .body = body ? body : "", .body_len = body ? strlen(body) : 0, .query = apitest_query, .impl = &q};
    ck_resp resp = {0};
    ck_stream *st = NULL;
    ck_apiserver_handle(&apitest_srv, &req, &resp, &st);
    if (stream) *stream = st;
    else if (st) st->free(st);
    if (out) *out = resp.body ? json_loadb(resp.body, resp.len, 0, NULL) : NULL;
    int code = resp.code;
    ck_resp_free(&resp);
    return code;
}

static int call(const char *method, const char *url, const char *body, json_t **out)
{
    return call_ex(method, url, body ? "application/json" : NULL, NULL, body, out, NULL);
}

/* Reads watch lines from a stream until n events or timeout; returns a new array. */
static json_t *read_events(ck_stream *s, int n, int max_reads)
{
    json_t *events = json_array();
    char buf[65536];
    size_t have = 0;
    for (int r = 0; r < max_reads && (int)json_array_size(events) < n; r++) {
        ssize_t got = s->read(s, buf + have, sizeof buf - have - 1);
        if (got < 0) break;
        have += (size_t)got;
        buf[have] = 0;
        char *nl;
        while ((nl = strchr(buf, '\n'))) {
            *nl = 0;
            json_t *ev = json_loads(buf, 0, NULL);
            if (ev) json_array_append_new(events, ev);
            size_t rest = have - (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, rest + 1);
            have = rest;
        }
    }
    return events;
}
#endif
