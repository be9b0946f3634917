/* audit.c: audit.k8s.io/v1 Event lines. One mutex serialises lines so each
 * is whole; health probes and /metrics are not audited (upstream's default
 * policies omit them too). */
#include "apiserver/audit.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include "util/ckjson.h"
#include "util/uid.h"

struct ck_audit {
    pthread_mutex_t mu;
    FILE *f;
};

ck_audit *ck_audit_open(const char *path, char *err, size_t errlen)
{
    ck_audit *a = calloc(1, sizeof *a);
    if (!a) { snprintf(err, errlen, "out of memory"); return NULL; }
    a->f = fopen(path, "a");
    if (!a->f) {
        snprintf(err, errlen, "--audit-log-path %s: cannot open for appending", path);
        free(a);
        return NULL;
    }
    pthread_mutex_init(&a->mu, NULL);
    return a;
}

void ck_audit_close(ck_audit *a)
{
    if (!a) return;
    fclose(a->f);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

long long ck_audit_now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000LL + tv.tv_usec;
}

static json_t *microtime(long long us)
{
    time_t s = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char buf[64], base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, sizeof buf, "%s.%06lldZ", base, us % 1000000);
    return json_string(buf);
}

static bool is_write(const char *verb)
{
    return strcmp(verb, "create") == 0 || strcmp(verb, "update") == 0 || strcmp(verb, "patch") == 0 ||
           strcmp(verb, "delete") == 0 || strcmp(verb, "deletecollection") == 0;
}

void ck_audit_log(ck_audit *a, const ck_req *req, const ck_reqinfo *info, const ck_resp *resp,
                  long long received_us, long long done_us, bool streaming)
{
    if (!a) return;
    if (strncmp(req->path, "/healthz", 8) == 0 || strncmp(req->path, "/livez", 6) == 0 ||
        strncmp(req->path, "/readyz", 7) == 0 || strcmp(req->path, "/metrics") == 0)
        return;
    char uid[CK_UID_LEN];
    bool write = info && info->is_resource && is_write(info->verb);
    json_t *ev = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:[s]},s:s}", "kind", "Event", "apiVersion",
                           "audit.k8s.io/v1", "level", write ? "RequestResponse" : "Metadata", "auditID",
                           ck_uid_new(uid), "stage", streaming ? "ResponseStarted" : "ResponseComplete",
                           "requestURI", req->path, "user", "username", "system:anonymous", "groups",
                           "system:unauthenticated", "userAgent", req->user_agent ? req->user_agent : "");
    json_object_set_new(ev, "verb", json_string(info && info->is_resource ? info->verb : req->method));
    if (req->remote_addr) json_object_set_new(ev, "sourceIPs", json_pack("[s]", req->remote_addr));
    if (info && info->is_resource) {
        json_t *ref = json_pack("{s:s,s:s}", "resource", info->resource, "apiVersion", info->version);
        if (info->group[0]) json_object_set_new(ref, "apiGroup", json_string(info->group));
        if (info->ns[0]) json_object_set_new(ref, "namespace", json_string(info->ns));
        if (info->name[0]) json_object_set_new(ref, "name", json_string(info->name));
        /* a create names its object in the body, as upstream's audit fills it in */
        else if (strcmp(info->verb, "create") == 0 && resp->body && resp->code < 300) {
            json_t *o = json_loadb(resp->body, resp->len, 0, NULL);
            const char *n = ck_json_str(o, "metadata.name", NULL);
            if (n) json_object_set_new(ref, "name", json_string(n));
            const char *uid = ck_json_str(o, "metadata.uid", NULL);
            if (uid) json_object_set_new(ref, "uid", json_string(uid));
            json_decref(o);
        }
        if (info->subresource[0]) json_object_set_new(ref, "subresource", json_string(info->subresource));
        json_object_set_new(ev, "objectRef", ref);
    }
    json_object_set_new(ev, "responseStatus", json_pack("{s:i}", "code", resp->code ? resp->code : 200));
    if (write) {
        json_t *reqobj = req->body_len ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
        if (reqobj) json_object_set_new(ev, "requestObject", reqobj);
        json_t *respobj = resp->body ? json_loadb(resp->body, resp->len, 0, NULL) : NULL;
        if (respobj) json_object_set_new(ev, "responseObject", respobj);
    }
    json_object_set_new(ev, "requestReceivedTimestamp", microtime(received_us));
    json_object_set_new(ev, "stageTimestamp", microtime(done_us));
    char *line = ck_json_dump(ev);
    json_decref(ev);
    if (!line) return;
    pthread_mutex_lock(&a->mu);
    fputs(line, a->f);
    fputc('\n', a->f);
    fflush(a->f);
    pthread_mutex_unlock(&a->mu);
    free(line);
}
