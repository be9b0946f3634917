/* test_namespace_deleter.c: the namespace deleter's whole flow against a
 * small fake apiserver on libmicrohttpd: discovery, deletecollection (and
 * list + delete when a resource lacks it), status conditions, finalize,
 * the final DELETE; content that stays (a finalizer) and discovery failure. */
#define _GNU_SOURCE
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/rest.h"
#include "controller-manager/controller.h"
#include "controller-manager/namespace_deleter.h"
#include "util/ckjson.h"
#include "util/cktest.h"

static struct fake {
    struct MHD_Daemon *d;
    pthread_mutex_t mu;
    json_t *ns, *cms, *pods;   /* the namespace "x" and its content */
    json_t *status_put, *finalize_put;
    bool ns_deleted, cms_sticky, broken_group;
} F = {.mu = PTHREAD_MUTEX_INITIALIZER};
static ck_rest *rest;

static const char *RESOURCES =
    "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
    "{\"name\":\"configmaps\",\"namespaced\":true,\"kind\":\"ConfigMap\",\"verbs\":[\"delete\",\"deletecollection\",\"list\"]},"
    "{\"name\":\"pods\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"delete\",\"list\"]},"
    "{\"name\":\"namespaces\",\"namespaced\":false,\"kind\":\"Namespace\",\"verbs\":[\"delete\",\"list\"]}]}";

typedef struct body { char *s; size_t n; } body;

static json_t *list_of(json_t *items) { return json_pack("{s:s,s:O}", "kind", "List", "items", items); }

/* Routes one request; returns the status code and sets *out. Holds F.mu. */
static int route(const char *m, const char *url, json_t *in, json_t **out)
{
    if (!strcmp(url, "/api/v1")) { *out = json_loads(RESOURCES, 0, NULL); return 200; }
    if (!strcmp(url, "/apis")) {
        *out = F.broken_group ? json_loads("{\"groups\":[{\"name\":\"g\",\"preferredVersion\":{\"groupVersion\":\"g/v1\","
                                           "\"version\":\"v1\"}}]}", 0, NULL)
                              : json_pack("{s:[]}", "groups");
        return 200;
    }
    if (!strncmp(url, "/apis/g/", 8)) { *out = json_pack("{s:s}", "message", "unavailable"); return 503; }
    if (!strcmp(url, "/api/v1/namespaces/x")) {
        if (F.ns_deleted) { *out = json_object(); return 404; }
        if (!strcmp(m, "DELETE")) { F.ns_deleted = true; *out = json_object(); return 200; }
        *out = json_incref(F.ns);
        return 200;
    }
    if (!strcmp(url, "/api/v1/namespaces/x/status")) {
        json_decref(F.status_put);
        F.status_put = json_incref(in);
        *out = json_incref(in);
        return 200;
    }
    if (!strcmp(url, "/api/v1/namespaces/x/finalize")) {
        json_decref(F.finalize_put);
        F.finalize_put = json_incref(in);
        *out = json_incref(in);
        return 200;
    }
    if (!strcmp(url, "/api/v1/namespaces/x/configmaps")) {
        if (!strcmp(m, "DELETE")) {
            size_t i;
            json_t *cm;
            if (F.cms_sticky)  /* a finalizer holds them: only marked */
                json_array_foreach(F.cms, i, cm) ck_json_set(cm, "metadata.deletionTimestamp", json_string("t"));
            else json_array_clear(F.cms);
        }
        *out = list_of(F.cms);
        return 200;
    }
    if (!strcmp(url, "/api/v1/namespaces/x/pods")) { *out = list_of(F.pods); return 200; }
    if (!strncmp(url, "/api/v1/namespaces/x/pods/", 26) && !strcmp(m, "DELETE")) {
        for (size_t i = 0; i < json_array_size(F.pods); i++)
            if (!strcmp(ck_json_str(json_array_get(F.pods, i), "metadata.name", ""), url + 26)) json_array_remove(F.pods, i);
        *out = json_object();
        return 200;
    }
    *out = json_pack("{s:s,s:s,s:i}", "kind", "Status", "reason", "NotFound", "code", 404);
    return 404;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                               const char *version, const char *upload, size_t *upload_size, void **state)
{
    body *b = *state;
    if (!b) { *state = calloc(1, sizeof *b); return MHD_YES; }
    if (*upload_size) {
        b->s = realloc(b->s, b->n + *upload_size + 1);
        memcpy(b->s + b->n, upload, *upload_size);
        b->n += *upload_size;
        b->s[b->n] = 0;
        *upload_size = 0;
        return MHD_YES;
    }
    json_t *in = b->s ? json_loads(b->s, 0, NULL) : NULL, *out = NULL;
    pthread_mutex_lock(&F.mu);
    int code = route(method, url, in, &out);
    pthread_mutex_unlock(&F.mu);
    char *s = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    json_decref(in);
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)code, r);
    MHD_destroy_response(r);
    free(b->s);
    free(b);
    *state = NULL;
    return ret;
}

static void reset(bool sticky, bool broken)
{
    json_decref(F.ns), json_decref(F.cms), json_decref(F.pods);
    json_decref(F.status_put), json_decref(F.finalize_put);
    F.ns = json_loads("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\",\"uid\":\"u\","
                      "\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"},\"spec\":{\"finalizers\":[\"kubernetes\"]},"
                      "\"status\":{\"phase\":\"Terminating\"}}", 0, NULL);
    F.cms = json_loads("[{\"metadata\":{\"name\":\"a\",\"finalizers\":[\"example.com/hold\"]}},{\"metadata\":{\"name\":\"b\"}}]",
                       0, NULL);
    F.pods = json_loads("[{\"metadata\":{\"name\":\"p\"},\"spec\":{\"terminationGracePeriodSeconds\":4}}]", 0, NULL);
    F.status_put = F.finalize_put = NULL;
    F.ns_deleted = false;
    F.cms_sticky = sticky;
    F.broken_group = broken;
}

static int setup(void)
{
    F.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
                           handler, NULL, MHD_OPTION_END);
    if (!F.d) return 1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(F.d, MHD_DAEMON_INFO_BIND_PORT);
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", info->port);
    ck_rest_config cfg;
    ck_rest_config_from_url(&cfg, url);
    rest = ck_rest_new(&cfg, err, sizeof err);
    ck_rest_config_clear(&cfg);
    return rest ? 0 : 1;
}

static int teardown(void)
{
    ck_rest_free(rest);
    MHD_stop_daemon(F.d);
    reset(false, false);
    json_decref(F.ns), json_decref(F.cms), json_decref(F.pods);
    return 0;
}

static const char *cond(const char *type, const char *field)
{
    size_t i;
    json_t *c;
    json_array_foreach(ck_json_path(F.status_put, "status.conditions"), i, c)
        if (!strcmp(ck_json_str(c, "type", ""), type)) return ck_json_str(c, field, "");
    return "";
}

static void test_deletes_content_then_finalizes(void)
{
    reset(false, false);
    CU_ASSERT_EQUAL(ck_ns_delete(rest, "x"), CK_SYNC_OK);
    CU_ASSERT_EQUAL(json_array_size(F.cms), 0);   /* deletecollection */
    CU_ASSERT_EQUAL(json_array_size(F.pods), 0);  /* list + delete (no deletecollection verb) */
    CU_ASSERT_PTR_NOT_NULL_FATAL(F.finalize_put);
    CU_ASSERT_EQUAL(json_array_size(ck_json_path(F.finalize_put, "spec.finalizers")), 0);
    CU_ASSERT_TRUE(F.ns_deleted);
    CU_ASSERT_STRING_EQUAL(cond("NamespaceContentRemaining", "reason"), "ContentRemoved");
    CU_ASSERT_STRING_EQUAL(cond("NamespaceDeletionDiscoveryFailure", "status"), "False");
    /* a second pass finds nothing to do */
    CU_ASSERT_EQUAL(ck_ns_delete(rest, "x"), CK_SYNC_OK);
}

static void test_content_remaining(void)
{
    reset(true, false);
    long rc = ck_ns_delete(rest, "x");
    CU_ASSERT_TRUE(rc > 0);  /* requeue after the estimate */
    CU_ASSERT_PTR_NULL(F.finalize_put);
    CU_ASSERT_FALSE(F.ns_deleted);
    CU_ASSERT_STRING_EQUAL(cond("NamespaceContentRemaining", "reason"), "SomeResourcesRemain");
    CU_ASSERT_STRING_EQUAL(cond("NamespaceContentRemaining", "message"),
                           "Some resources are remaining: configmaps. has 2 resource instances");
    CU_ASSERT_STRING_EQUAL(cond("NamespaceFinalizersRemaining", "message"),
                           "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
}

static void test_discovery_failure(void)
{
    reset(false, true);
    CU_ASSERT_EQUAL(ck_ns_delete(rest, "x"), CK_SYNC_RETRY);
    CU_ASSERT_STRING_EQUAL(cond("NamespaceDeletionDiscoveryFailure", "status"), "True");
    CU_ASSERT_STRING_EQUAL(cond("NamespaceDeletionDiscoveryFailure", "reason"), "DiscoveryFailed");
    CU_ASSERT_PTR_NOT_NULL(strstr(cond("NamespaceDeletionDiscoveryFailure", "message"), "g/v1"));
    CU_ASSERT_PTR_NULL(F.finalize_put);
}

static void test_not_deleting(void)
{
    reset(false, false);
    json_object_del(json_object_get(F.ns, "metadata"), "deletionTimestamp");
    CU_ASSERT_EQUAL(ck_ns_delete(rest, "x"), CK_SYNC_OK);
    CU_ASSERT_EQUAL(json_array_size(F.cms), 2);
    CU_ASSERT_PTR_NULL(F.status_put);
}

int main(void)
{
    static const ck_test tests[] = {
        {"content deleted, finalized, namespace deleted", test_deletes_content_then_finalizes},
        {"remaining content and finalizers requeue", test_content_remaining},
        {"discovery failure is reported and retried", test_discovery_failure},
        {"an active namespace is left alone", test_not_deleting},
        {NULL, NULL},
    };
    return ck_test_main("namespace deleter", tests, setup, teardown);
}
