/* fuzz_request.h: turns fuzz input into a ck_req, shared by the request
 * routing and whole-request targets. The input reads like HTTP:
 *   METHOD PATH[?QUERY]\n
 *   Header: value\n          (Content-Type, Accept; any number, optional)
 *   \n
 *   body
 * Query values are taken literally (no percent-decoding, as the server hands
 * handlers decoded values already). */
#ifndef CK_FUZZ_REQUEST_H
#define CK_FUZZ_REQUEST_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "apiserver/http.h"

typedef struct fuzz_req {
    ck_req req;
    char *text;   /* NUL-terminated copy of the head, owned */
    char *query;  /* points into text, or "" */
    char *body;   /* owned copy of the body (exactly body_len bytes) */
} fuzz_req;

static const char *fuzz_query_get(const ck_req *r, const char *key)
{
    const fuzz_req *f = (const fuzz_req *)r;
    size_t klen = strlen(key);
    for (const char *p = f->query; p && *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len >= klen && !strncmp(p, key, klen) && (len == klen || p[klen] == '=')) {
            static __thread char val[1024];
            size_t vlen = len == klen ? 0 : len - klen - 1;
            if (vlen >= sizeof val) vlen = sizeof val - 1;
            memcpy(val, p + klen + (len == klen ? 0 : 1), vlen);
            val[vlen] = 0;
            return val;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

/* Fills f from data; 0, or -1 when the input has no request line. */
static int fuzz_req_parse(fuzz_req *f, const uint8_t *data, size_t size)
{
    memset(f, 0, sizeof *f);
    const char *in = (const char *)data, *end = in + size;
    const char *sep = NULL;
    for (const char *p = in; p + 1 < end; p++)
        if (p[0] == '\n' && p[1] == '\n') { sep = p; break; }
    size_t head = sep ? (size_t)(sep - in) : size;
    if (memchr(in, 0, head)) return -1;
    f->text = strndup(in, head);
    if (!f->text) return -1;
    const char *body = sep ? sep + 2 : end;
    f->req.body_len = (size_t)(end - body);
    f->body = malloc(f->req.body_len ? f->req.body_len : 1);
    if (!f->body) { free(f->text); return -1; }
    memcpy(f->body, body, f->req.body_len);
    f->req.body = f->body;
    f->req.query = fuzz_query_get;

    char *save = NULL, *line = strtok_r(f->text, "\n", &save);
    if (!line) return -1;
    char *sp = strchr(line, ' ');
    if (!sp) return -1;
    *sp = 0;
    f->req.method = line;
    f->req.path = sp + 1;
    char *q = strchr(sp + 1, '?');
    if (q) { *q = 0; f->query = q + 1; } else f->query = "";
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *colon = strchr(line, ':');
        if (!colon) continue;
        *colon = 0;
        char *v = colon + 1;
        while (*v == ' ') v++;
        if (!strcasecmp(line, "Content-Type")) f->req.content_type = v;
        else if (!strcasecmp(line, "Accept")) f->req.accept = v;
        else if (!strcasecmp(line, "User-Agent")) f->req.user_agent = v;
    }
    return 0;
}

static void fuzz_req_free(fuzz_req *f)
{
    free(f->text);
    free(f->body);
}
#endif
