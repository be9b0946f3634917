/* test_client.c: the REST client, watch, informer and leader election
 * against a tiny fake apiserver (libmicrohttpd on a loopback port) that keeps
 * objects by URL, numbers writes with a resourceVersion, logs events for
 * watches, and can "compact" its log so old watches get 410 Expired. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/informer.h"
#include "client/leaderelection.h"
#include "client/rest.h"
#include "client/watch.h"
#include "util/ckjson.h"
#include "util/cktest.h"
#include "util/log.h"
#include "util/timeutil.h"

/* ---- the fake apiserver ------------------------------------------------ */

static struct fake {
    struct MHD_Daemon *d;
    int port;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    json_t *objs;         /* url -> object */
    json_t *log;          /* [{rv, coll, type, object}] */
    long rv, compacted;   /* watches from rv < compacted get 410 */
    int generation;       /* bump to cut every open watch */
    bool stopping;
    int lists;            /* list requests served */
    char last_agent[128], last_ctype[128], last_query[512], last_put[256];
    json_t *last_delete;  /* last DELETE body */
} F = {.mu = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

typedef struct req { char *body; size_t n; } req;

static struct MHD_Response *json_response(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    return r;
}

static json_t *status(int code, const char *reason, const char *msg)
{
    return json_pack("{s:s,s:s,s:{},s:s,s:s,s:s,s:i}", "kind", "Status", "apiVersion", "v1", "metadata",
                     "status", "Failure", "message", msg, "reason", reason, "code", code);
}

/* Must hold F.mu. Stamps a new RV, stores/removes, logs the event. */
static void record(const char *url, const char *type, json_t *obj)
{
    char rv[32], coll[512];
    snprintf(rv, sizeof rv, "%ld", ++F.rv);
    ck_json_set(obj, "metadata.resourceVersion", json_string(rv));
    if (strcmp(type, "DELETED")) json_object_set(F.objs, url, obj);
    else json_object_del(F.objs, url);
    snprintf(coll, sizeof coll, "%s", url);
    *strrchr(coll, '/') = 0;
    json_array_append_new(F.log, json_pack("{s:I,s:s,s:s,s:O}", "rv", (json_int_t)F.rv, "coll", coll,
                                           "type", type, "object", obj));
    pthread_cond_broadcast(&F.cond);
}

/* ---- watch streaming: one event line per reader call ---- */

typedef struct wstream { char coll[512]; long from; int gen; int64_t deadline; char *pending; size_t off; bool done; } wstream;

static char *next_event_line(wstream *w)
{
    if (w->from < F.compacted) {
        w->done = true;
        json_t *ev = json_pack("{s:s,s:o}", "type", "ERROR", "object",
                               status(410, "Expired", "too old resource version"));
        char *s = json_dumps(ev, JSON_COMPACT);
        json_decref(ev);
        return s;
    }
    size_t i;
    json_t *e;
    json_array_foreach(F.log, i, e) {
        long rv = (long)json_integer_value(json_object_get(e, "rv"));
        if (rv <= w->from || strcmp(json_string_value(json_object_get(e, "coll")), w->coll)) continue;
        w->from = rv;
        json_t *ev = json_pack("{s:O,s:O}", "type", json_object_get(e, "type"), "object",
                               json_object_get(e, "object"));
        char *s = json_dumps(ev, JSON_COMPACT);
        json_decref(ev);
        return s;
    }
    return NULL;
}

static ssize_t watch_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    wstream *w = cls;
    pthread_mutex_lock(&F.mu);
    while (!w->pending) {
        if (w->done || F.stopping || F.generation != w->gen || ck_mono_ms() > w->deadline) {
            pthread_mutex_unlock(&F.mu);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        char *line = next_event_line(w);
        if (line) {
            if (asprintf(&w->pending, "%s\n", line) < 0) w->pending = NULL;
            free(line);
            w->off = 0;
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&F.cond, &F.mu, &ts);
    }
    pthread_mutex_unlock(&F.mu);
    size_t left = strlen(w->pending) - w->off, n = left < max ? left : max;
    memcpy(buf, w->pending + w->off, n);
    if ((w->off += n) == strlen(w->pending)) free(w->pending), w->pending = NULL;
    return (ssize_t)n;
}

static void watch_free(void *cls)
{
    wstream *w = cls;
    free(w->pending);
    free(w);
}

static struct MHD_Response *serve_get(struct MHD_Connection *c, const char *url, int *code)
{
    const char *watch = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "watch");
    const char *rv = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "resourceVersion");
    const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "timeoutSeconds");
    const char *bm = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "allowWatchBookmarks");
    const char *ls = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "labelSelector");
    snprintf(F.last_query, sizeof F.last_query, "watch=%s rv=%s timeout=%s bookmarks=%s labels=%s",
             watch ?: "", rv ?: "", to ?: "", bm ?: "", ls ?: "");
    if (watch) {
        wstream *w = calloc(1, sizeof *w);
        snprintf(w->coll, sizeof w->coll, "%s", url);
        w->from = rv ? atol(rv) : 0;
        w->gen = F.generation;
        w->deadline = ck_mono_ms() + (to ? atol(to) : 60) * 1000;
        *code = 200;
        return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, watch_reader, w, watch_free);
    }
    json_t *o = json_object_get(F.objs, url);
    if (o) return *code = 200, json_response(json_incref(o));
    const char *last = strrchr(url, '/');
    if (!last || (strcmp(last, "/configmaps") && strcmp(last, "/leases")))
        return *code = 404, json_response(status(404, "NotFound", "not found"));
    /* A collection: every object directly under url. */
    json_t *items = json_array();
    const char *k;
    json_t *v;
    size_t ul = strlen(url);
    json_object_foreach(F.objs, k, v)
        if (!strncmp(k, url, ul) && k[ul] == '/' && !strchr(k + ul + 1, '/')) json_array_append(items, v);
    F.lists++;
    char rvs[32];
    snprintf(rvs, sizeof rvs, "%ld", F.rv);
    *code = 200;
    return json_response(json_pack("{s:s,s:s,s:{s:s},s:o}", "kind", "List", "apiVersion", "v1",
                                   "metadata", "resourceVersion", rvs, "items", items));
}

static struct MHD_Response *serve_write(const char *method, const char *url, json_t *body, int *code)
{
    char key[600], msg[700];
    json_t *cur;
    if (!strcmp(method, "POST")) {
        snprintf(key, sizeof key, "%s/%s", url, ck_json_str(body, "metadata.name", ""));
        if (json_object_get(F.objs, key)) {
            snprintf(msg, sizeof msg, "object \"%s\" already exists", ck_json_str(body, "metadata.name", ""));
            return *code = 409, json_response(status(409, "AlreadyExists", msg));
        }
        record(key, "ADDED", body);
        return *code = 201, json_response(json_incref(body));
    }
    cur = json_object_get(F.objs, url);
    if (!cur && !strcmp(method, "PUT") && strrchr(url, '/') && json_object_get(F.objs, (snprintf(key, sizeof key, "%.*s", (int)(strrchr(url, '/') - url), url), key))) {
        snprintf(F.last_put, sizeof F.last_put, "%s", url); /* a subresource */
        return *code = 200, json_response(json_incref(body));
    }
    if (!cur) return *code = 404, json_response(status(404, "NotFound", "not found"));
    if (!strcmp(method, "PUT")) {
        snprintf(F.last_put, sizeof F.last_put, "%s", url);
        const char *want = ck_json_str(body, "metadata.resourceVersion", "");
        if (*want && strcmp(want, ck_json_str(cur, "metadata.resourceVersion", ""))) {
            snprintf(msg, sizeof msg, "Operation cannot be fulfilled on %s: the object has been modified; "
                                      "please apply your changes to the latest version and try again", url);
            return *code = 409, json_response(status(409, "Conflict", msg));
        }
        record(url, "MODIFIED", body);
        return *code = 200, json_response(json_incref(body));
    }
    if (!strcmp(method, "PATCH")) {
        json_t *o = json_deep_copy(cur);
        if (strstr(F.last_ctype, "merge-patch")) json_object_update_recursive(o, body);
        record(url, "MODIFIED", o);
        return *code = 200, json_response(o);
    }
    json_decref(F.last_delete);
    F.last_delete = json_incref(body);
    json_t *o = json_incref(cur);
    record(url, "DELETED", o);
    return *code = 200, json_response(o);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **con_cls)
{
    req *r = *con_cls;
    if (!r) return (*con_cls = calloc(1, sizeof(req))) ? MHD_YES : MHD_NO;
    if (*size) {
        r->body = realloc(r->body, r->n + *size + 1);
        memcpy(r->body + r->n, data, *size);
        r->n += *size;
        r->body[r->n] = 0;
        *size = 0;
        return MHD_YES;
    }
    int code = 500;
    struct MHD_Response *resp;
    pthread_mutex_lock(&F.mu);
    snprintf(F.last_agent, sizeof F.last_agent, "%s",
             MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent") ?: "");
    snprintf(F.last_ctype, sizeof F.last_ctype, "%s",
             MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type") ?: "");
    if (!strcmp(method, "GET")) {
        resp = serve_get(c, url, &code);
    } else {
        json_t *body = r->n ? json_loadb(r->body, r->n, 0, NULL) : NULL;
        if (!body && strcmp(method, "DELETE")) body = json_object();
        resp = serve_write(method, url, body, &code);
        json_decref(body);
    }
    pthread_mutex_unlock(&F.mu);
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
    F.objs = json_object();
    F.log = json_array();
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    F.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
                           handle, NULL, MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
                           MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_END);
    if (!F.d) return 1;
    F.port = MHD_get_daemon_info(F.d, MHD_DAEMON_INFO_BIND_PORT)->port;
    ck_log_level = CK_LOG_ERROR - 1; /* quiet: warnings are expected here */
    return 0;
}

static int fake_stop(void)
{
    pthread_mutex_lock(&F.mu);
    F.stopping = true;
    pthread_cond_broadcast(&F.cond);
    pthread_mutex_unlock(&F.mu);
    MHD_stop_daemon(F.d);
    json_decref(F.objs), json_decref(F.log), json_decref(F.last_delete);
    return 0;
}

/* ---- helpers ----------------------------------------------------------- */

static ck_rest *client(const char *agent)
{
    ck_rest_config cfg;
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", F.port);
    if (ck_rest_config_from_url(&cfg, url)) return NULL;
    ck_rest_config_set_agent(&cfg, agent);
    ck_rest *c = ck_rest_new(&cfg, err, sizeof err);
    ck_rest_config_clear(&cfg);
    return c;
}

static const ck_resource_ref CM = {"", "v1", "configmaps", "default", NULL, NULL};

static json_t *configmap(const char *name, const char *app)
{
    return json_pack("{s:s,s:s,s:{s:s,s:s,s:{s:s}},s:{s:s}}", "apiVersion", "v1", "kind", "ConfigMap",
                     "metadata", "name", name, "namespace", "default", "labels", "app", app,
                     "data", "k", "v");
}

static int create_cm(ck_rest *c, const char *ns_coll_name, const char *app)
{
    ck_resource_ref ref = CM;
    ck_response r;
    json_t *o = configmap(ns_coll_name, app);
    int rc = ck_rest_create(c, &ref, o, &r);
    json_decref(o);
    ck_response_clear(&r);
    return rc;
}

/* Polls cond() for up to ms milliseconds. */
static bool eventually(bool (*cond)(void *), void *ud, long ms)
{
    int64_t end = ck_mono_ms() + ms;
    while (ck_mono_ms() < end) {
        if (cond(ud)) return true;
        usleep(10000);
    }
    return cond(ud);
}

/* ---- REST -------------------------------------------------------------- */

static void test_rest_verbs(void)
{
    ck_rest *c = client("test-client");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    ck_response r;
    CU_ASSERT_EQUAL(create_cm(c, "a", "web"), 0);
    CU_ASSERT_STRING_EQUAL(F.last_agent, "test-client/ckube");
    CU_ASSERT_STRING_EQUAL(F.last_ctype, "application/json");
    CU_ASSERT_EQUAL(create_cm(c, "a", "web"), -1);

    ck_resource_ref a = CM;
    a.name = "a";
    CU_ASSERT_EQUAL(ck_rest_get(c, &a, &r), 0);
    CU_ASSERT_EQUAL(r.code, 200);
    CU_ASSERT_STRING_EQUAL(ck_json_str(r.body, "data.k", ""), "v");
    json_t *stale = json_deep_copy(r.body);
    ck_response_clear(&r);

    /* Update with the current RV works; replaying the old one conflicts. */
    json_t *upd = json_deep_copy(stale);
    ck_json_set(upd, "data.k", json_string("v2"));
    CU_ASSERT_EQUAL(ck_rest_update(c, &a, upd, &r), 0);
    ck_response_clear(&r);
    CU_ASSERT_EQUAL(ck_rest_update(c, &a, upd, &r), -1);
    CU_ASSERT_EQUAL(r.code, 409);
    CU_ASSERT_STRING_EQUAL(ck_response_reason(&r), "Conflict");
    CU_ASSERT_PTR_NOT_NULL(strstr(r.message, "the object has been modified"));
    ck_response_clear(&r);
    json_decref(upd);
    json_decref(stale);

    /* Subresource PUT lands on .../status. */
    ck_resource_ref st = a;
    st.subresource = "status";
    json_t *body = configmap("a", "web");
    CU_ASSERT_EQUAL(ck_rest_update(c, &st, body, &r), 0);
    CU_ASSERT_STRING_EQUAL(F.last_put, "/api/v1/namespaces/default/configmaps/a/status");
    ck_response_clear(&r);
    json_decref(body);

    /* The three patch types carry their content types. */
    json_t *mp = json_pack("{s:{s:s}}", "data", "extra", "x");
    CU_ASSERT_EQUAL(ck_rest_patch(c, &a, CK_PATCH_MERGE, mp, &r), 0);
    CU_ASSERT_STRING_EQUAL(F.last_ctype, "application/merge-patch+json");
    CU_ASSERT_STRING_EQUAL(ck_json_str(r.body, "data.extra", ""), "x");
    CU_ASSERT_STRING_EQUAL(ck_json_str(r.body, "data.k", ""), "v2");
    ck_response_clear(&r);
    CU_ASSERT_EQUAL(ck_rest_patch(c, &a, CK_PATCH_STRATEGIC, mp, &r), 0);
    CU_ASSERT_STRING_EQUAL(F.last_ctype, "application/strategic-merge-patch+json");
    ck_response_clear(&r);
    json_decref(mp);
    json_t *jp = json_pack("[{s:s,s:s,s:s}]", "op", "add", "path", "/data/y", "value", "z");
    CU_ASSERT_EQUAL(ck_rest_patch(c, &a, CK_PATCH_JSON, jp, &r), 0);
    CU_ASSERT_STRING_EQUAL(F.last_ctype, "application/json-patch+json");
    ck_response_clear(&r);
    json_decref(jp);

    /* List sees it; delete sends DeleteOptions; then 404 NotFound. */
    ck_list_opts lo = {.label_selector = "app=web"};
    CU_ASSERT_EQUAL(ck_rest_list(c, &CM, &lo, &r), 0);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(r.body, "items")), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(F.last_query, "labels=app=web"));
    ck_response_clear(&r);
    ck_delete_opts d = CK_DELETE_OPTS_INIT;
    d.propagation_policy = "Foreground";
    d.grace_period_seconds = 0;
    d.precondition_uid = "u-1";
    CU_ASSERT_EQUAL(ck_rest_delete(c, &a, &d, &r), 0);
    ck_response_clear(&r);
    CU_ASSERT_STRING_EQUAL(ck_json_str(F.last_delete, "kind", ""), "DeleteOptions");
    CU_ASSERT_STRING_EQUAL(ck_json_str(F.last_delete, "propagationPolicy", ""), "Foreground");
    CU_ASSERT_EQUAL(ck_json_int(F.last_delete, "gracePeriodSeconds", -1), 0);
    CU_ASSERT_STRING_EQUAL(ck_json_str(F.last_delete, "preconditions.uid", ""), "u-1");
    CU_ASSERT_PTR_NULL(ck_json_path(F.last_delete, "preconditions.resourceVersion"));
    CU_ASSERT_EQUAL(ck_rest_get(c, &a, &r), -1);
    CU_ASSERT_EQUAL(r.code, 404);
    CU_ASSERT_STRING_EQUAL(ck_response_reason(&r), "NotFound");
    ck_response_clear(&r);
    ck_rest_free(c);
}

static void test_rest_transport_error(void)
{
    ck_rest_config cfg;
    char err[128];
    ck_rest_config_from_url(&cfg, "http://127.0.0.1:1");
    ck_rest *c = ck_rest_new(&cfg, err, sizeof err);
    ck_rest_config_clear(&cfg);
    ck_response r;
    CU_ASSERT_EQUAL(ck_rest_get(c, &CM, &r), -1);
    CU_ASSERT_EQUAL(r.code, 0);
    CU_ASSERT(strlen(r.message) > 0);
    ck_response_clear(&r);
    ck_rest_free(c);
    CU_ASSERT_PTR_NULL(ck_rest_new(NULL, err, sizeof err));
}

/* One client, several threads: the handle pool keeps requests apart. */
static void *getter(void *arg)
{
    ck_resource_ref ref = {"", "v1", "configmaps", "threads", "t", NULL};
    long ok = 0;
    for (int i = 0; i < 25; i++) {
        ck_response r;
        if (ck_rest_get(arg, &ref, &r) == 0 && !strcmp(ck_json_str(r.body, "metadata.name", ""), "t")) ok++;
        ck_response_clear(&r);
    }
    return (void *)ok;
}

static void test_rest_threads(void)
{
    ck_rest *c = client("threads");
    ck_resource_ref coll = {"", "v1", "configmaps", "threads", NULL, NULL};
    json_t *o = json_pack("{s:{s:s}}", "metadata", "name", "t");
    ck_response r;
    CU_ASSERT_EQUAL(ck_rest_create(c, &coll, o, &r), 0);
    ck_response_clear(&r);
    json_decref(o);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, getter, c);
    for (int i = 0; i < 4; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        CU_ASSERT_EQUAL((long)ok, 25);
    }
    ck_rest_free(c);
}

/* ---- watch ------------------------------------------------------------- */

static int collect(ck_watch_type t, json_t *obj, void *ud)
{
    char *log = ud;
    char item[64];
    snprintf(item, sizeof item, "%s:%s;", ck_watch_type_name(t), ck_json_str(obj, "metadata.name", "?"));
    strcat(log, item);
    return 0;
}

static void test_watch_request(void)
{
    ck_rest *c = client("watcher");
    ck_resource_ref coll = {"", "v1", "configmaps", "w", NULL, NULL};
    pthread_mutex_lock(&F.mu);
    long from = F.rv;
    pthread_mutex_unlock(&F.mu);
    ck_response r;
    json_t *o = json_pack("{s:{s:s}}", "metadata", "name", "w1");
    ck_rest_create(c, &coll, o, &r);
    ck_response_clear(&r);
    json_decref(o);
    coll.name = "w1";
    ck_rest_delete(c, &coll, NULL, &r);
    ck_response_clear(&r);
    char rv[32], log[256] = "";
    snprintf(rv, sizeof rv, "%ld", from);
    ck_list_opts lo = {.resource_version = rv, .timeout_seconds = 1};
    int64_t t0 = ck_mono_ms();
    CU_ASSERT_EQUAL(ck_rest_watch(c, &coll, &lo, collect, log, NULL, &r), 0);
    CU_ASSERT(ck_mono_ms() - t0 < 3000);
    CU_ASSERT_EQUAL(r.code, 200);
    CU_ASSERT_STRING_EQUAL(log, "ADDED:w1;DELETED:w1;");
    CU_ASSERT_PTR_NOT_NULL(strstr(F.last_query, "watch=1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(F.last_query, "timeout=1 bookmarks=true"));
    ck_response_clear(&r);
    ck_rest_free(c);
}

/* ---- informer ---------------------------------------------------------- */

typedef struct seen { pthread_mutex_t mu; char log[2048]; int adds, updates, deletes; } seen;

static void note(seen *s, const char *what, json_t *o)
{
    pthread_mutex_lock(&s->mu);
    char item[96];
    snprintf(item, sizeof item, "%s:%s;", what, ck_json_str(o, "metadata.name", "?"));
    strncat(s->log, item, sizeof s->log - strlen(s->log) - 1);
    pthread_mutex_unlock(&s->mu);
}
static void on_add(json_t *o, void *ud) { ((seen *)ud)->adds++; note(ud, "add", o); }
static void on_update(json_t *old, json_t *o, void *ud) { ((seen *)ud)->updates++; note(ud, "update", o); }
static void on_delete(json_t *o, void *ud) { ((seen *)ud)->deletes++; note(ud, "delete", o); }

static bool is_web(const json_t *o, void *ud) { return !strcmp(ck_json_str(o, "metadata.labels.app", ""), "web"); }

typedef struct expect { seen *s; const char *needle; } expect;
static bool logged(void *ud)
{
    expect *e = ud;
    pthread_mutex_lock(&e->s->mu);
    bool ok = strstr(e->s->log, e->needle) != NULL;
    pthread_mutex_unlock(&e->s->mu);
    return ok;
}

static ck_informer *cm_informer(ck_rest *c, const char *ns, seen *s)
{
    ck_informer_opts o = {.group = "", .version = "v1", .resource = "configmaps", .namespace = ns,
                          .watch_timeout_seconds = 30, .backoff_initial_ms = 50, .backoff_max_ms = 200};
    ck_informer_handlers h = {on_add, on_update, on_delete, s};
    char err[128];
    return ck_informer_new(c, &o, &h, err, sizeof err);
}

static void test_informer_list_watch(void)
{
    ck_rest *c = client("informer");
    ck_resource_ref coll = {"", "v1", "configmaps", "inf", NULL, NULL};
    ck_response r;
    for (int i = 0; i < 2; i++) {
        json_t *o = json_pack("{s:{s:s,s:s,s:{s:s}}}", "metadata", "name", i ? "b" : "a", "namespace", "inf",
                              "labels", "app", i ? "db" : "web");
        ck_rest_create(c, &coll, o, &r);
        ck_response_clear(&r);
        json_decref(o);
    }
    static seen s = {.mu = PTHREAD_MUTEX_INITIALIZER};
    ck_informer *inf = cm_informer(c, "inf", &s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(inf);
    CU_ASSERT_FALSE(ck_informer_has_synced(inf));
    CU_ASSERT_EQUAL(ck_informer_start(inf), 0);
    CU_ASSERT_TRUE_FATAL(ck_informer_wait_synced(inf, 3000));
    CU_ASSERT_EQUAL(ck_informer_len(inf), 2);
    CU_ASSERT_EQUAL(s.adds, 2);
    json_t *a = ck_informer_get(inf, "inf/a");
    CU_ASSERT_STRING_EQUAL(ck_json_str(a, "metadata.labels.app", ""), "web");
    json_decref(a);
    CU_ASSERT_PTR_NULL(ck_informer_get(inf, "inf/zzz"));
    json_t *web = ck_informer_list(inf, is_web, NULL);
    CU_ASSERT_EQUAL(json_array_size(web), 1);
    json_decref(web);

    /* Changes made through the API arrive through the watch. */
    json_t *o = json_pack("{s:{s:s,s:s}}", "metadata", "name", "c", "namespace", "inf");
    ck_rest_create(c, &coll, o, &r);
    ck_response_clear(&r);
    json_decref(o);
    ck_resource_ref b = coll;
    b.name = "b";
    ck_rest_delete(c, &b, NULL, &r);
    ck_response_clear(&r);
    expect e = {&s, "add:c;delete:b;"};
    CU_ASSERT_TRUE(eventually(logged, &e, 3000));
    CU_ASSERT_EQUAL(ck_informer_len(inf), 2);
    CU_ASSERT_PTR_NULL(ck_informer_get(inf, "inf/b"));
    char rv[64], want[64];
    ck_informer_last_rv(inf, rv, sizeof rv);
    pthread_mutex_lock(&F.mu);
    snprintf(want, sizeof want, "%ld", F.rv);
    pthread_mutex_unlock(&F.mu);
    CU_ASSERT_STRING_EQUAL(rv, want);
    ck_informer_stop(inf);
    ck_informer_stop(inf); /* idempotent */
    ck_informer_free(inf);
    ck_rest_free(c);
}

/* The watch's RV falls out of the server's history (410 Expired): the
 * informer re-lists, and objects deleted meanwhile become on_delete calls. */
static void test_informer_relist_on_410(void)
{
    ck_rest *c = client("informer");
    ck_resource_ref coll = {"", "v1", "configmaps", "gone", NULL, NULL};
    ck_response r;
    json_t *o = json_pack("{s:{s:s,s:s}}", "metadata", "name", "x", "namespace", "gone");
    ck_rest_create(c, &coll, o, &r);
    ck_response_clear(&r);
    json_decref(o);
    static seen s = {.mu = PTHREAD_MUTEX_INITIALIZER};
    ck_informer *inf = cm_informer(c, "gone", &s);
    ck_informer_start(inf);
    CU_ASSERT_TRUE_FATAL(ck_informer_wait_synced(inf, 3000));
    pthread_mutex_lock(&F.mu);
    int lists = F.lists;
    /* Lose x without an event, compact the history, cut the watches. */
    json_object_del(F.objs, "/api/v1/namespaces/gone/configmaps/x");
    json_object_set_new(F.objs, "/api/v1/namespaces/gone/configmaps/y",
                        json_pack("{s:{s:s,s:s,s:s}}", "metadata", "name", "y", "namespace", "gone",
                                  "resourceVersion", "1"));
    F.compacted = ++F.rv + 1;
    F.generation++;
    pthread_cond_broadcast(&F.cond);
    pthread_mutex_unlock(&F.mu);
    expect e = {&s, "add:x;add:y;delete:x;"};
    CU_ASSERT_TRUE(eventually(logged, &e, 4000));
    pthread_mutex_lock(&F.mu);
    CU_ASSERT(F.lists > lists);
    F.compacted = 0;
    pthread_mutex_unlock(&F.mu);
    CU_ASSERT_EQUAL(ck_informer_len(inf), 1);
    json_t *y = ck_informer_get(inf, "gone/y");
    CU_ASSERT_PTR_NOT_NULL(y);
    json_decref(y);
    ck_informer_free(inf);
    ck_rest_free(c);
}

/* ---- leader election --------------------------------------------------- */

typedef struct elector_state { atomic_int started, stopped; char name[16]; } elector_state;
static void started(void *ud) { atomic_fetch_add(&((elector_state *)ud)->started, 1); }
static void stopped(void *ud) { atomic_fetch_add(&((elector_state *)ud)->stopped, 1); }
static bool has_started(void *ud) { return atomic_load(&((elector_state *)ud)->started) > 0; }

static ck_leader_elector *elector(ck_rest *c, elector_state *st, bool release)
{
    ck_leader_config cfg = {.lease_namespace = "kube-system", .lease_name = "ckube-test",
                            .identity = st->name, .lease_duration_ms = 2000, .renew_deadline_ms = 1500,
                            .retry_period_ms = 200, .release_on_cancel = release,
                            .on_started_leading = started, .on_stopped_leading = stopped, .ud = st};
    char err[128];
    return ck_leader_elector_new(c, &cfg, err, sizeof err);
}

static json_t *lease(ck_rest *c)
{
    ck_resource_ref ref = {"coordination.k8s.io", "v1", "leases", "kube-system", "ckube-test", NULL};
    ck_response r;
    ck_rest_get(c, &ref, &r);
    json_t *spec = json_incref(json_object_get(r.body, "spec"));
    ck_response_clear(&r);
    return spec;
}

static void test_leader_validation(void)
{
    char err[128];
    ck_leader_config bad = {.lease_namespace = "n", .lease_name = "l", .identity = "i",
                            .lease_duration_ms = 10000, .renew_deadline_ms = 10000};
    CU_ASSERT_PTR_NULL(ck_leader_elector_new(NULL, &bad, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "leaseDuration must be greater than renewDeadline");
    bad.lease_duration_ms = 0, bad.renew_deadline_ms = 0, bad.retry_period_ms = 9000;
    CU_ASSERT_PTR_NULL(ck_leader_elector_new(NULL, &bad, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "renewDeadline must be greater than retryPeriod*JitterFactor");
    bad.retry_period_ms = 0, bad.identity = "";
    CU_ASSERT_PTR_NULL(ck_leader_elector_new(NULL, &bad, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "Lock identity is empty");
}

static void test_leader_election(void)
{
    ck_rest *c = client("leader");
    static elector_state sa = {.name = "node-a"}, sb = {.name = "node-b"};
    ck_leader_elector *a = elector(c, &sa, false), *b = elector(c, &sb, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(ck_leader_elector_start(a), 0);
    CU_ASSERT_TRUE_FATAL(eventually(has_started, &sa, 2000));
    CU_ASSERT_TRUE(ck_leader_elector_is_leader(a));
    CU_ASSERT_EQUAL(ck_leader_elector_start(b), 0);

    /* a acquired (transitions 0) and keeps renewing; b waits. */
    json_t *l1 = lease(c);
    CU_ASSERT_STRING_EQUAL(ck_json_str(l1, "holderIdentity", ""), "node-a");
    CU_ASSERT_EQUAL(ck_json_int(l1, "leaseDurationSeconds", 0), 2);
    CU_ASSERT_EQUAL(ck_json_int(l1, "leaseTransitions", -1), 0);
    usleep(700 * 1000);
    json_t *l2 = lease(c);
    CU_ASSERT_STRING_EQUAL(ck_json_str(l2, "acquireTime", "1"), ck_json_str(l1, "acquireTime", "2"));
    CU_ASSERT_STRING_NOT_EQUAL(ck_json_str(l2, "renewTime", "1"), ck_json_str(l1, "renewTime", "1"));
    CU_ASSERT_EQUAL(strlen(ck_json_str(l2, "renewTime", "")), 27); /* MicroTime */
    CU_ASSERT_FALSE(ck_leader_elector_is_leader(b));
    char holder[64];
    ck_leader_elector_leader(b, holder, sizeof holder);
    CU_ASSERT_STRING_EQUAL(holder, "node-a");

    /* a dies without releasing: b takes over once the lease expires. */
    int64_t t0 = ck_mono_ms();
    ck_leader_elector_stop(a);
    CU_ASSERT_EQUAL(atomic_load(&sa.stopped), 1);
    CU_ASSERT_TRUE(eventually(has_started, &sb, 5000));
    CU_ASSERT(ck_mono_ms() - t0 >= 1000); /* not before the lease ran out */
    json_t *l3 = lease(c);
    CU_ASSERT_STRING_EQUAL(ck_json_str(l3, "holderIdentity", ""), "node-b");
    CU_ASSERT_EQUAL(ck_json_int(l3, "leaseTransitions", -1), 1);
    CU_ASSERT_STRING_NOT_EQUAL(ck_json_str(l3, "acquireTime", "1"), ck_json_str(l1, "acquireTime", "1"));

    /* b stops with release_on_cancel: the holder is cleared. */
    ck_leader_elector_stop(b);
    CU_ASSERT_EQUAL(atomic_load(&sb.stopped), 1);
    json_t *l4 = lease(c);
    CU_ASSERT_STRING_EQUAL(ck_json_str(l4, "holderIdentity", "?"), "");
    CU_ASSERT_EQUAL(ck_json_int(l4, "leaseTransitions", -1), 1);
    json_decref(l1), json_decref(l2), json_decref(l3), json_decref(l4);
    ck_leader_elector_free(a);
    ck_leader_elector_free(b);
    ck_rest_free(c);
}

int main(void)
{
    static const ck_test tests[] = {
        {"REST verbs, Status errors, DeleteOptions, patch types", test_rest_verbs},
        {"transport errors", test_rest_transport_error},
        {"one client shared by threads", test_rest_threads},
        {"watch request streams events", test_watch_request},
        {"informer: list, watch, cache, handlers", test_informer_list_watch},
        {"informer: 410 Expired -> re-list", test_informer_relist_on_410},
        {"leader election: option validation", test_leader_validation},
        {"leader election: acquire, renew, takeover, release", test_leader_election},
        {NULL, NULL},
    };
    return ck_test_main("client", tests, fake_start, fake_stop);
}
