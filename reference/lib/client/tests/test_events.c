/* test_events.c: the core/v1 Event recorder (client/events.h): the fields
 * client-go's makeEvent fills (name "<object>.<hex nanoseconds>", namespace,
 * involvedObject, source, reporting*, count, timestamps), the new-style
 * action/eventTime, and the POST to the object's namespace (a tiny fake
 * apiserver on a loopback port records what it is sent). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/events.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/log.h"

static struct {
    struct MHD_Daemon *d;
    int port;
    pthread_mutex_t mu;
    char url[256];
    json_t *body;  /* last POST body */
    int code;      /* status to answer */
} F = {.mu = PTHREAD_MUTEX_INITIALIZER, .code = 201};

typedef struct req { char *body; size_t n; } req;

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **con_cls)
{
    req *r = *con_cls;
    if (!r) return (*con_cls = calloc(1, sizeof(req))) ? MHD_YES : MHD_NO;
    if (*size) {
        char *nb = realloc(r->body, r->n + *size + 1);
        if (!nb) return MHD_NO;
        r->body = nb;
        memcpy(r->body + r->n, data, *size);
        r->n += *size;
        r->body[r->n] = 0;
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&F.mu);
    snprintf(F.url, sizeof F.url, "%s %s", method, url);
    json_decref(F.body);
    F.body = r->n ? json_loadb(r->body, r->n, 0, NULL) : NULL;
    int code = F.code;
    char *out = F.body ? json_dumps(F.body, JSON_COMPACT) : strdup("{}");
    pthread_mutex_unlock(&F.mu);
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(out), out, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)code, resp);
    MHD_destroy_response(resp);
    return ok;
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    req *r = *con_cls;
    if (r) free(r->body), free(r);
    *con_cls = NULL;
}

static int fake_start(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    F.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, NULL,
                           MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_SOCK_ADDR, &sa,
                           MHD_OPTION_END);
    if (!F.d) return 1;
    F.port = MHD_get_daemon_info(F.d, MHD_DAEMON_INFO_BIND_PORT)->port;
    ck_log_level = CK_LOG_ERROR - 1;
    return 0;
}

static int fake_stop(void)
{
    MHD_stop_daemon(F.d);
    json_decref(F.body);
    return 0;
}

static ck_rest *client(void)
{
    ck_rest_config cfg;
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", F.port);
    if (ck_rest_config_from_url(&cfg, url)) return NULL;
    ck_rest *c = ck_rest_new(&cfg, err, sizeof err);
    ck_rest_config_clear(&cfg);
    return c;
}

static json_t *pod(void)
{
    return json_pack("{s:{s:s,s:s,s:s,s:s}}", "metadata", "namespace", "team", "name", "web", "uid", "u-1",
                     "resourceVersion", "42");
}

static void test_new_fields(void)
{
    json_t *p = pod();
    ck_event_source src = {.component = "default-scheduler", .instance = "default-scheduler-h"};
    json_t *ev = ck_event_new(&src, p, "v1", "Pod", "Normal", "Scheduled", "Binding", "assigned team/web");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "apiVersion", ""), "v1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "kind", ""), "Event");
    const char *name = ck_json_str(ev, "metadata.name", "");
    CU_ASSERT_EQUAL(strncmp(name, "web.", 4), 0);
    CU_ASSERT(strlen(name) > 4 && strspn(name + 4, "0123456789abcdef") == strlen(name + 4));
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "metadata.namespace", ""), "team");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.kind", ""), "Pod");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.apiVersion", ""), "v1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.namespace", ""), "team");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.name", ""), "web");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.uid", ""), "u-1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.resourceVersion", ""), "42");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "type", ""), "Normal");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "reason", ""), "Scheduled");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "message", ""), "assigned team/web");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "source.component", ""), "default-scheduler");
    CU_ASSERT_PTR_NULL(ck_json_path(ev, "source.host"));
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "reportingComponent", ""), "default-scheduler");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "reportingInstance", ""), "default-scheduler-h");
    CU_ASSERT_EQUAL(ck_json_int(ev, "count", 0), 1);
    const char *first = ck_json_str(ev, "firstTimestamp", "");
    CU_ASSERT(strlen(first) == 20 && first[19] == 'Z');  /* RFC 3339, seconds */
    CU_ASSERT_STRING_EQUAL(first, ck_json_str(ev, "lastTimestamp", ""));
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "action", ""), "Binding");
    CU_ASSERT(strlen(ck_json_str(ev, "eventTime", "")) == 27);  /* MicroTime */
    json_decref(ev);
    json_decref(p);
}

static void test_new_cluster_scoped_no_action(void)
{
    json_t *node = json_pack("{s:{s:s}}", "metadata", "name", "n1");
    ck_event_source src = {.component = "kubelet", .host = "n1"};
    json_t *ev = ck_event_new(&src, node, "v1", "Node", "Warning", "NodeNotReady", NULL, "m");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "metadata.namespace", ""), "default");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "involvedObject.namespace", "x"), "");
    CU_ASSERT_STRING_EQUAL(ck_json_str(ev, "source.host", ""), "n1");
    CU_ASSERT_PTR_NULL(ck_json_path(ev, "reportingInstance"));
    CU_ASSERT_PTR_NULL(ck_json_path(ev, "action"));
    CU_ASSERT_PTR_NULL(ck_json_path(ev, "eventTime"));
    json_decref(ev);
    json_decref(node);
}

static void test_eventf_posts(void)
{
    ck_rest *rest = client();
    CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
    json_t *p = pod();
    ck_eventf(rest, "replicaset-controller", p, "apps/v1", "ReplicaSet", "Normal", "SuccessfulCreate",
              "Created pod: %s-%d", "web", 7);
    pthread_mutex_lock(&F.mu);
    CU_ASSERT_STRING_EQUAL(F.url, "POST /api/v1/namespaces/team/events");
    CU_ASSERT_STRING_EQUAL(ck_json_str(F.body, "message", ""), "Created pod: web-7");
    CU_ASSERT_STRING_EQUAL(ck_json_str(F.body, "involvedObject.apiVersion", ""), "apps/v1");
    CU_ASSERT_STRING_EQUAL(ck_json_str(F.body, "source.component", ""), "replicaset-controller");
    CU_ASSERT_PTR_NULL(ck_json_path(F.body, "eventTime"));
    F.code = 403;
    pthread_mutex_unlock(&F.mu);
    /* a refused create is returned by ck_event_create (ck_eventf only logs it) */
    json_t *ev = ck_event_new(&(ck_event_source){.component = "c"}, p, "v1", "Pod", "Normal", "R", NULL, "m");
    ck_response r = {0};
    CU_ASSERT_EQUAL(ck_event_create(rest, ev, &r), -1);
    CU_ASSERT_EQUAL(r.code, 403);
    ck_response_clear(&r);
    ck_eventf(rest, "c", p, "v1", "Pod", "Normal", "R", "m");
    pthread_mutex_lock(&F.mu);
    F.code = 201;
    pthread_mutex_unlock(&F.mu);
    json_decref(ev);
    json_decref(p);
    ck_rest_free(rest);
}

int main(void)
{
    static const ck_test tests[] = {
        {"event fields (namespaced, action + eventTime)", test_new_fields},
        {"cluster-scoped object, source.host, no action", test_new_cluster_scoped_no_action},
        {"eventf POSTs to the object's namespace; errors", test_eventf_posts},
        {NULL, NULL},
    };
    return ck_test_main("client/events", tests, fake_start, fake_stop);
}
