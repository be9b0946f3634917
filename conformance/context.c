/* context.c: the per-test context: an arena of things freed when the test
 * ends (responses, JSON, watches, strings), lazily created namespaces,
 * timeouts scaled by --timeout-scale, and the fail/skip verdicts that jump
 * out of the test body back to the runner. */
#define _GNU_SOURCE
#include "harness.h"
#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *ckc_own(ckc_t *t, void *p, void (*fn)(void *))
{
    if (!p) CKC_FAIL(t, "out of memory");
    if (t->n_defers == t->cap_defers) {
        size_t cap = t->cap_defers ? t->cap_defers * 2 : 32;
        ckc_defer *nd = realloc(t->defers, cap * sizeof *nd);
        if (!nd) { fn(p); CKC_FAIL(t, "out of memory"); }
        t->defers = nd;
        t->cap_defers = cap;
    }
    t->defers[t->n_defers++] = (ckc_defer){fn, p};
    return p;
}

static void decref(void *p) { json_decref(p); }

json_t *ckc_ownj(ckc_t *t, json_t *j)
{
    return ckc_own(t, j, decref);
}

char *ckc_fmt(ckc_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    return ckc_own(t, s, free);
}

void ckc_release(ckc_t *t)
{
    /* Newest first: watches opened late may reference earlier strings. */
    while (t->n_defers) {
        ckc_defer d = t->defers[--t->n_defers];
        d.fn(d.p);
    }
    free(t->defers);
    t->defers = NULL;
    t->cap_defers = 0;
}

double ckc_timeout(ckc_t *t, double base)
{
    double s = t->run ? t->run->timeout_scale : 1.0;
    return base * (s > 0 ? s : 1.0);
}

double ckc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ckc_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void ckc_random_suffix(char *out, size_t n)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char raw[64];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(raw, 1, n < sizeof raw ? n : sizeof raw, f) : 0;
    if (f) fclose(f);
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned v = i < got ? raw[i] : (unsigned)rand();
        out[i] = alphabet[v % (sizeof alphabet - 1)];
    }
    if (n) out[n - 1] = 0;
}

char *ckc_rand_name(ckc_t *t, const char *prefix)
{
    char sfx[6];
    ckc_random_suffix(sfx, sizeof sfx);
    return ckc_fmt(t, "%s%s", prefix, sfx);
}

const char *ckc_new_ns(ckc_t *t)
{
    char *name = ckc_fmt(t, "ckc-%s-%d", t->run->suffix, ++t->run->ns_counter);
    char err[512];
    if (ckc_run_create_namespace(t->run, name, err, sizeof err))
        CKC_FAIL(t, "cannot create the test namespace: %s", err);
    return name;
}

const char *ckc_ns(ckc_t *t)
{
    if (!t->ns) t->ns = ckc_new_ns(t);
    return t->ns;
}

static void set_message(ckc_t *t, const char *fmt, va_list ap)
{
    free(t->message);
    t->message = NULL;
    if (vasprintf(&t->message, fmt, ap) < 0) t->message = NULL;
}

void ckc_fail(ckc_t *t, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(t, fmt, ap);
    va_end(ap);
    t->verdict = CKC_FAIL;
    /* Records the failure in CUnit (non-fatal form) so its summary counts it;
     * the jump back to the runner is ours, so the arena is always released. */
    if (CU_get_registry() && CU_is_test_running())
        CU_assertImplementation(CU_FALSE, (unsigned)line, t->message ? t->message : "failed",
                                file, "", CU_FALSE);
    longjmp(t->jb, 1);
}

void ckc_skip(ckc_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(t, fmt, ap);
    va_end(ap);
    t->verdict = CKC_SKIP;
    longjmp(t->jb, 1);
}

/* ---- JSON helpers ---- */
json_t *ckc_at(json_t *j, const char *path)
{
    char key[128];
    const char *p = path;
    while (j && *p) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof key) return NULL;
        memcpy(key, p, n);
        key[n] = 0;
        if (json_is_array(j)) {
            char *end;
            long i = strtol(key, &end, 10);
            j = (*end || i < 0) ? NULL : json_array_get(j, (size_t)i);
        } else {
            j = json_object_get(j, key);
        }
        p += n;
        if (*p == '.') p++;
    }
    return j;
}

const char *ckc_str(json_t *j, const char *path)
{
    return json_string_value(ckc_at(j, path));
}

json_t *ckc_parse(ckc_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    if (!s) CKC_FAIL(t, "out of memory");
    json_error_t e;
    json_t *j = json_loads(s, 0, &e);
    if (!j) {
        char *copy = ckc_fmt(t, "%s", s);
        free(s);
        CKC_FAIL(t, "harness bug: bad JSON template (%s): %s", e.text, copy);
    }
    free(s);
    return ckc_ownj(t, j);
}

/* ---- assertions ---- */
char *ckc_excerpt(const char *body, size_t max)
{
    if (!body) body = "";
    size_t n = strlen(body);
    size_t take = n > max ? max : n;
    char *s = malloc(take + 4);
    if (!s) return NULL;
    for (size_t i = 0; i < take; i++)
        s[i] = (body[i] == '\n' || body[i] == '\r' || body[i] == '\t') ? ' ' : body[i];
    strcpy(s + take, n > max ? "..." : "");
    return s;
}

static void fail_with(ckc_t *t, ckc_resp *r, const char *file, int line, const char *what)
{
    if (!r) ckc_fail(t, file, line, "%s", what);
    char *ex = ckc_own(t, ckc_excerpt(r->body, 300), free);
    if (r->code == 0)
        ckc_fail(t, file, line, "%s %s: %s (request failed: %s)", r->method, r->path, what, r->error);
    ckc_fail(t, file, line, "%s %s: %s; got %ld: %s", r->method, r->path, what, r->code, ex);
}

void ckc_expect_code_at(ckc_t *t, ckc_resp *r, long code, const char *file, int line)
{
    if (r->code == code) return;
    fail_with(t, r, file, line, ckc_fmt(t, "expected status %ld", code));
}

void ckc_check_at(ckc_t *t, ckc_resp *r, int ok, const char *file, int line, const char *fmt, ...)
{
    if (ok) return;
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    ckc_own(t, s, free);
    fail_with(t, r, file, line, s);
}

void ckc_expect_status_at(ckc_t *t, ckc_resp *r, long code, const char *reason,
                          const char *file, int line)
{
    ckc_expect_code_at(t, r, code, file, line);
    json_t *j = r->json;
    const char *kind = ckc_str(j, "kind"), *status = ckc_str(j, "status");
    const char *rsn = ckc_str(j, "reason");
    json_t *c = ckc_at(j, "code");
    if (!kind || strcmp(kind, "Status") || !status || strcmp(status, "Failure") ||
        json_integer_value(c) != code || (reason && (!rsn || strcmp(rsn, reason))))
        fail_with(t, r, file, line,
                  ckc_fmt(t, "expected a Status {kind: Status, status: Failure, code: %ld%s%s}",
                          code, reason ? ", reason: " : "", reason ? reason : ""));
}
