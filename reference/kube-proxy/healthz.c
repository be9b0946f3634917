/* healthz.c: the health state machine (oldest pending update, last update)
 * and its libmicrohttpd endpoint. The body is upstream's JSON:
 * {"lastUpdated": ..., "currentTime": ..., "nodeName": ..., "nodeHealthy": ...}. */
#include "kube-proxy/healthz.h"
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ck_healthz {
    pthread_mutex_t mu;
    struct MHD_Daemon *d;
    char node[256];
    long timeout_ms;
    struct timespec oldest_pending, last_updated;  /* zero = none */
};

static long long ms_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (long long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

int ck_healthz_healthy(ck_healthz *h)
{
    pthread_mutex_lock(&h->mu);
    int ok = h->oldest_pending.tv_sec == 0 || ms_since(&h->oldest_pending) < h->timeout_ms;
    pthread_mutex_unlock(&h->mu);
    return ok;
}

static void fmt_time(const struct timespec *t, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&t->tv_sec, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *data, size_t *size, void **state)
{
    ck_healthz *h = cls;
    int healthy = ck_healthz_healthy(h);
    char body[512], last[32], now_s[32];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    pthread_mutex_lock(&h->mu);
    fmt_time(&h->last_updated, last, sizeof last);
    pthread_mutex_unlock(&h->mu);
    fmt_time(&now, now_s, sizeof now_s);
    unsigned code = MHD_HTTP_NOT_FOUND;
    if (strcmp(url, "/healthz") == 0 || strcmp(url, "/livez") == 0) {
        code = healthy ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE;
        snprintf(body, sizeof body,
                 "{\"lastUpdated\": \"%s\",\"currentTime\": \"%s\", \"nodeName\": \"%s\", \"nodeHealthy\": true}",
                 last, now_s, h->node);
    } else {
        snprintf(body, sizeof body, "404 page not found\n");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", code == MHD_HTTP_NOT_FOUND ? "text/plain" : "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

ck_healthz *ck_healthz_new(int port, const char *node_name, long timeout_ms, char *err, unsigned errlen)
{
    ck_healthz *h = calloc(1, sizeof *h);
    if (!h) { snprintf(err, errlen, "out of memory"); return NULL; }
    pthread_mutex_init(&h->mu, NULL);
    snprintf(h->node, sizeof h->node, "%s", node_name ? node_name : "");
    h->timeout_ms = timeout_ms;
    if (port > 0) {
        h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port,
                                NULL, NULL, serve, h, MHD_OPTION_END);
        if (!h->d) {
            snprintf(err, errlen, "cannot serve healthz on port %d", port);
            ck_healthz_free(h);
            return NULL;
        }
    }
    return h;
}

void ck_healthz_queued_update(ck_healthz *h)
{
    pthread_mutex_lock(&h->mu);
    if (h->oldest_pending.tv_sec == 0) clock_gettime(CLOCK_REALTIME, &h->oldest_pending);
    pthread_mutex_unlock(&h->mu);
}

void ck_healthz_updated(ck_healthz *h)
{
    pthread_mutex_lock(&h->mu);
    clock_gettime(CLOCK_REALTIME, &h->last_updated);
    h->oldest_pending.tv_sec = 0;
    h->oldest_pending.tv_nsec = 0;
    pthread_mutex_unlock(&h->mu);
}

void ck_healthz_free(ck_healthz *h)
{
    if (!h) return;
    if (h->d) MHD_stop_daemon(h->d);
    pthread_mutex_destroy(&h->mu);
    free(h);
}
