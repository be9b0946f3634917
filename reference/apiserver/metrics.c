/* metrics.c: Prometheus text exposition for /metrics. Series live in small
 * linked lists under one mutex: the label sets an apiserver sees are few
 * (verbs x resources x codes), so a list walk is cheap next to a request. */
#include "apiserver/metrics.h"
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Buckets of apiserver_request_duration_seconds and etcd_request_duration_seconds
 * (k8s.io/apiserver/pkg/endpoints/metrics/metrics.go, pkg/storage/etcd3/metrics). */
static const double req_buckets[] = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5,
                                     2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60};
#define NBUCKETS (sizeof req_buckets / sizeof req_buckets[0])

typedef struct series {
    struct series *next;
    char *labels;                 /* rendered label set, without braces */
    double value;                 /* counter/gauge value, or histogram sum */
    unsigned long long count;     /* histogram count */
    unsigned long long buckets[NBUCKETS];
} series;

typedef struct family {
    const char *name, *help, *type;
    series *head;
} family;

static family f_total = {"apiserver_request_total",
                         "[STABLE] Counter of apiserver requests broken out for each verb, dry run "
                         "value, group, version, resource, scope, component, and HTTP response code.",
                         "counter", NULL};
static family f_duration = {"apiserver_request_duration_seconds",
                            "[STABLE] Response latency distribution in seconds for each verb, dry "
                            "run value, group, version, resource, subresource, scope and component.",
                            "histogram", NULL};
static family f_inflight = {"apiserver_current_inflight_requests",
                            "[STABLE] Maximal number of currently used inflight request limit of "
                            "this apiserver per request kind in last second.",
                            "gauge", NULL};
static family f_storage = {"apiserver_storage_objects",
                           "[STABLE] Number of stored objects at the time of last check split by kind.",
                           "gauge", NULL};
static family f_etcd = {"etcd_request_duration_seconds",
                        "[ALPHA] Etcd request latency in seconds for each operation and object type.",
                        "histogram", NULL};
static family *const families[] = {&f_total, &f_duration, &f_inflight, &f_storage, &f_etcd};
#define NFAMILIES (sizeof families / sizeof families[0])

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Label values escape \ " and newline (text format 0.0.4). */
static void append_label(char *buf, size_t n, const char *key, const char *val)
{
    size_t len = strlen(buf);
    if (len + 1 >= n) return;
    int w = snprintf(buf + len, n - len, "%s%s=\"", len ? "," : "", key);
    if (w < 0 || (size_t)w >= n - len) return;
    len += (size_t)w;
    for (const char *p = val ? val : ""; *p && len + 3 < n; p++) {
        if (*p == '\\' || *p == '"') buf[len++] = '\\', buf[len++] = *p;
        else if (*p == '\n') buf[len++] = '\\', buf[len++] = 'n';
        else buf[len++] = *p;
    }
    if (len + 1 < n) buf[len++] = '"';
    buf[len] = '\0';
}

/* The series with these labels, created when absent; NULL on OOM. Locked. */
static series *get_series(family *f, const char *labels)
{
    for (series *s = f->head; s; s = s->next)
        if (!strcmp(s->labels, labels)) return s;
    series *s = calloc(1, sizeof *s);
    if (!s || !(s->labels = strdup(labels))) {
        free(s);
        return NULL;
    }
    /* keep insertion order stable but sorted for a readable exposition */
    series **pp = &f->head;
    while (*pp && strcmp((*pp)->labels, labels) < 0) pp = &(*pp)->next;
    s->next = *pp;
    *pp = s;
    return s;
}

static void observe(series *s, double v)
{
    s->value += v;
    s->count++;
    for (size_t i = 0; i < NBUCKETS; i++)
        if (v <= req_buckets[i]) s->buckets[i]++;
}

/* RequestInfo verbs as upstream's metrics report them (metrics.CleanVerb and
 * the installer's action verbs). */
static void report_verb(const char *verb, char *out, size_t n)
{
    static const char *const map[][2] = {
        {"get", "GET"},       {"list", "LIST"},   {"watch", "WATCH"},
        {"create", "POST"},   {"update", "PUT"},  {"patch", "PATCH"},
        {"delete", "DELETE"}, {"deletecollection", "DELETECOLLECTION"},
        {"proxy", "CONNECT"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (verb && !strcmp(verb, map[i][0])) {
            snprintf(out, n, "%s", map[i][1]);
            return;
        }
    size_t i = 0;
    for (; verb && verb[i] && i + 1 < n; i++) out[i] = (char)toupper((unsigned char)verb[i]);
    out[i] = '\0';
}

void ck_metrics_request(const char *verb, const char *group, const char *version,
                        const char *resource, const char *subresource, const char *scope,
                        int code, double seconds)
{
    char v[32], c[16], common[512] = "", total[600], dur[600];
    report_verb(verb, v, sizeof v);
    snprintf(c, sizeof c, "%d", code);
    append_label(common, sizeof common, "component", "apiserver");
    append_label(common, sizeof common, "dry_run", "");
    append_label(common, sizeof common, "group", group);
    append_label(common, sizeof common, "resource", resource);
    append_label(common, sizeof common, "scope", scope);
    append_label(common, sizeof common, "subresource", subresource);
    append_label(common, sizeof common, "verb", v);
    append_label(common, sizeof common, "version", version);
    snprintf(dur, sizeof dur, "%s", common);
    snprintf(total, sizeof total, "code=\"%s\",%s", c, common);
    pthread_mutex_lock(&lock);
    series *s = get_series(&f_total, total);
    if (s) s->value += 1;
    s = get_series(&f_duration, dur);
    if (s) observe(s, seconds);
    pthread_mutex_unlock(&lock);
}

void ck_metrics_inflight(int delta, bool mutating)
{
    char l[64] = "";
    append_label(l, sizeof l, "request_kind", mutating ? "mutating" : "readOnly");
    pthread_mutex_lock(&lock);
    series *s = get_series(&f_inflight, l);
    if (s) s->value += delta;
    pthread_mutex_unlock(&lock);
}

void ck_metrics_storage_objects(const char *resource, long n)
{
    char l[256] = "";
    append_label(l, sizeof l, "resource", resource);
    pthread_mutex_lock(&lock);
    series *s = get_series(&f_storage, l);
    if (s) s->value = (double)n;
    pthread_mutex_unlock(&lock);
}

void ck_metrics_etcd(const char *operation, const char *type, double seconds)
{
    char l[256] = "";
    append_label(l, sizeof l, "operation", operation);
    append_label(l, sizeof l, "type", type);
    pthread_mutex_lock(&lock);
    series *s = get_series(&f_etcd, l);
    if (s) observe(s, seconds);
    pthread_mutex_unlock(&lock);
}

/* ---- rendering -------------------------------------------------------- */
typedef struct { char *buf; size_t len, cap; bool oom; } sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (w < 0) { b->oom = true; return; }
        if ((size_t)w < b->cap - b->len) { b->len += (size_t)w; return; }
        size_t cap = b->cap * 2 + (size_t)w;
        char *nb = realloc(b->buf, cap);
        if (!nb) { b->oom = true; return; }
        b->buf = nb;
        b->cap = cap;
    }
}

static void render_histogram(sbuf *b, const family *f, const series *s)
{
    const char *sep = s->labels[0] ? "," : "";
    for (size_t i = 0; i < NBUCKETS; i++)
        sb_printf(b, "%s_bucket{%s%sle=\"%g\"} %llu\n", f->name, s->labels, sep, req_buckets[i],
                  s->buckets[i]);
    sb_printf(b, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", f->name, s->labels, sep, s->count);
    sb_printf(b, "%s_sum{%s} %.9g\n", f->name, s->labels, s->value);
    sb_printf(b, "%s_count{%s} %llu\n", f->name, s->labels, s->count);
}

char *ck_metrics_render(void)
{
    sbuf b = {malloc(4096), 0, 4096, false};
    if (!b.buf) return NULL;
    b.buf[0] = '\0';
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < NFAMILIES; i++) {
        const family *f = families[i];
        sb_printf(&b, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name, f->type);
        for (const series *s = f->head; s; s = s->next) {
            if (!strcmp(f->type, "histogram")) render_histogram(&b, f, s);
            else sb_printf(&b, "%s{%s} %.17g\n", f->name, s->labels, s->value);
        }
    }
    pthread_mutex_unlock(&lock);
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

void ck_metrics_reset(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < NFAMILIES; i++) {
        series *s = families[i]->head;
        while (s) {
            series *next = s->next;
            free(s->labels);
            free(s);
            s = next;
        }
        families[i]->head = NULL;
    }
    pthread_mutex_unlock(&lock);
}
