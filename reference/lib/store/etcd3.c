/* etcd3.c: the etcd3 storage backend's key-value half, the C counterpart of
 * k8s.io/apiserver/pkg/storage/etcd3/store.go: get/list are ranges, create is
 * a txn on create_revision == 0, update and delete are txns on mod_revision.
 * It speaks etcd's v3 JSON gateway (grpc-gateway) over libcurl, with a small
 * pool of keep-alive easy handles shared by all threads. */
#include "store/etcd3_internal.h"
#include "store/base64.h"
#include "util/log.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OOM(err, errlen) (snprintf(err, errlen, "etcd3: out of memory"), CK_STORE_ERROR)

/* gRPC status codes the gateway reports in {"code": N} (google.golang.org/grpc/codes). */
enum { GRPC_DEADLINE_EXCEEDED = 4, GRPC_OUT_OF_RANGE = 11, GRPC_UNAVAILABLE = 14 };

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static struct curl_slist *g_headers; /* process lifetime, shared by every handle */

static void global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* An empty "Expect:" stops curl's 100-continue round trip on bodies > 1 KiB. */
    g_headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (g_headers) g_headers = curl_slist_append(g_headers, "Expect:");
}

CURL *ck_etcd3_easy_new(void)
{
    pthread_once(&g_once, global_init);
    CURL *h = curl_easy_init();
    if (!h) return NULL;
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, g_headers);
    return h;
}

static etcd3_conn pool_get(ck_etcd3 *s)
{
    etcd3_conn c = {NULL, NULL};
    pthread_mutex_lock(&s->mu);
    if (s->nidle) c = s->idle[--s->nidle];
    pthread_mutex_unlock(&s->mu);
    if (!c.h && (c.h = ck_etcd3_easy_new())) curl_easy_setopt(c.h, CURLOPT_TIMEOUT_MS, 30000L);
    return c;
}

static void pool_put(ck_etcd3 *s, etcd3_conn c)
{
    pthread_mutex_lock(&s->mu);
    if (s->nidle < ETCD3_POOL_MAX) {
        s->idle[s->nidle++] = c;
        c.h = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    if (c.h) curl_easy_cleanup(c.h);
}

typedef struct body_buf {
    char *p;
    size_t len, cap;
} body_buf;

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    body_buf *b = ud;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) return 0; /* curl reports CURLE_WRITE_ERROR */
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return n;
}

/* The gateway's error body: {"error": msg, "code": grpc code, "message": msg}. */
static ck_store_rc gateway_error(const ck_etcd3 *s, const char *path, long status, json_t *j,
                                 char *err, size_t errlen)
{
    int code = (int)json_integer_value(json_object_get(j, "code"));
    const char *msg = json_string_value(json_object_get(j, "message"));
    if (!msg) msg = json_string_value(json_object_get(j, "error"));
    snprintf(err, errlen, "etcd3 %s%s: %s (HTTP %ld, code %d)", s->endpoint, path,
             msg ? msg : "unknown error", status, code);
    if (code == GRPC_UNAVAILABLE || code == GRPC_DEADLINE_EXCEEDED) return CK_STORE_UNAVAILABLE;
    if (code == GRPC_OUT_OF_RANGE && msg && strstr(msg, "compacted")) return CK_STORE_COMPACTED;
    return CK_STORE_ERROR;
}

/* POSTs body (borrowed, len bytes) to endpoint+path; as ck_etcd3_call. */
static ck_store_rc post(ck_etcd3 *s, const char *path, const char *body, size_t len,
                        json_t **resp, char *err, size_t errlen)
{
    *resp = NULL;
    etcd3_conn c = pool_get(s);
    CURL *h = c.h;
    if (!h) return OOM(err, errlen);
    if (c.path != path) {
        char url[1024];
        if ((size_t)snprintf(url, sizeof url, "%s%s", s->endpoint, path) >= sizeof url) {
            pool_put(s, c);
            snprintf(err, errlen, "etcd3: endpoint URL too long");
            return CK_STORE_ERROR;
        }
        curl_easy_setopt(h, CURLOPT_URL, url);
        c.path = path;
    }
    body_buf b = {0};
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    pool_put(s, c);
    if (cc != CURLE_OK) {
        free(b.p);
        if (cc == CURLE_WRITE_ERROR) return OOM(err, errlen);
        snprintf(err, errlen, "etcd3 %s: %s", s->endpoint, curl_easy_strerror(cc));
        return CK_STORE_UNAVAILABLE;
    }
    json_error_t je;
    json_t *j = b.p ? json_loadb(b.p, b.len, 0, &je) : NULL;
    free(b.p);
    if (!json_is_object(j)) {
        json_decref(j);
        snprintf(err, errlen, "etcd3 %s%s: unreadable response (HTTP %ld)", s->endpoint, path,
                 status);
        return status >= 500 ? CK_STORE_UNAVAILABLE : CK_STORE_ERROR;
    }
    if (status != 200 || json_object_get(j, "error")) {
        ck_store_rc rc = gateway_error(s, path, status, j, err, errlen);
        json_decref(j);
        return rc;
    }
    *resp = j;
    return CK_STORE_OK;
}

ck_store_rc ck_etcd3_call(ck_etcd3 *s, const char *path, json_t *req, json_t **resp, char *err,
                          size_t errlen)
{
    *resp = NULL;
    char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!body) return OOM(err, errlen);
    ck_store_rc rc = post(s, path, body, strlen(body), resp, err, errlen);
    free(body);
    return rc;
}

int64_t ck_etcd3_int(const json_t *obj, const char *field)
{
    const json_t *v = json_object_get(obj, field);
    if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
    if (json_is_integer(v)) return json_integer_value(v);
    return 0;
}

json_t *ck_etcd3_b64(const char *p, size_t n)
{
    size_t len;
    char *e = ck_base64_encode(p, n, &len);
    json_t *j = e ? json_stringn_nocheck(e, len) : NULL;
    free(e);
    return j;
}

json_t *ck_etcd3_prefix_end(const char *prefix)
{
    size_t n = strlen(prefix);
    char *end = strdup(prefix);
    if (!end) return NULL;
    while (n > 0 && (unsigned char)end[n - 1] == 0xff) n--;
    json_t *j;
    if (n == 0) {
        j = ck_etcd3_b64("", 1); /* no upper bound: "\0" */
    } else {
        end[n - 1]++;
        j = ck_etcd3_b64(end, n);
    }
    free(end);
    return j;
}

/* A string-or-bytes field: base64 text -> NUL-terminated bytes. */
static int b64_field(const json_t *j, const char *field, char **out, size_t *len)
{
    const json_t *v = json_object_get(j, field);
    const char *s = v ? json_string_value(v) : "";
    *out = ck_base64_decode(s ? s : "", s ? strlen(s) : 0, len);
    return *out ? 0 : -1;
}

ck_store_rc ck_etcd3_kv_decode(const json_t *j, ck_kv *out, char *err, size_t errlen)
{
    size_t klen;
    memset(out, 0, sizeof *out);
    if (b64_field(j, "key", &out->key, &klen) || b64_field(j, "value", &out->value, &out->value_len)) {
        ck_kv_free(out);
        snprintf(err, errlen, "etcd3: undecodable key or value in response");
        return CK_STORE_ERROR;
    }
    out->create_rev = ck_etcd3_int(j, "create_revision");
    out->mod_rev = ck_etcd3_int(j, "mod_revision");
    return CK_STORE_OK;
}

static int64_t header_rev(const json_t *resp)
{
    return ck_etcd3_int(json_object_get(resp, "header"), "revision");
}

static json_t *key_json(const char *key)
{
    /* etcd treats an empty key as invalid; "\0" is the lowest real key. */
    return *key ? ck_etcd3_b64(key, strlen(key)) : ck_etcd3_b64("", 1);
}

/* ---- ranges ---- */

static ck_store_rc decode_kvs(const json_t *kvs, ck_kv **out, size_t *n, char *err, size_t errlen)
{
    size_t cnt = json_array_size(kvs);
    ck_kv *arr = calloc(cnt + 1, sizeof *arr);
    if (!arr) return OOM(err, errlen);
    for (size_t i = 0; i < cnt; i++) {
        ck_store_rc rc = ck_etcd3_kv_decode(json_array_get(kvs, i), &arr[i], err, errlen);
        if (rc != CK_STORE_OK) { ck_kvs_free(arr, i); return rc; }
    }
    *out = arr;
    *n = cnt;
    return CK_STORE_OK;
}

static ck_store_rc e_get(ck_store *st, const char *key, ck_kv *out, char *err, size_t errlen)
{
    json_t *resp;
    memset(out, 0, sizeof *out);
    ck_store_rc rc = ck_etcd3_call((ck_etcd3 *)st, "/v3/kv/range",
                                   json_pack("{s:o}", "key", key_json(key)), &resp, err, errlen);
    if (rc != CK_STORE_OK) return rc;
    const json_t *kv = json_array_get(json_object_get(resp, "kvs"), 0);
    rc = kv ? ck_etcd3_kv_decode(kv, out, err, errlen) : CK_STORE_NOT_FOUND;
    json_decref(resp);
    return rc;
}

static ck_store_rc e_list(ck_store *st, const char *prefix, ck_kv **out, size_t *n, int64_t *rev,
                          char *err, size_t errlen)
{
    json_t *resp;
    *out = NULL;
    *n = 0;
    json_t *req = json_pack("{s:o,s:o}", "key", key_json(prefix), "range_end",
                            ck_etcd3_prefix_end(prefix));
    ck_store_rc rc = ck_etcd3_call((ck_etcd3 *)st, "/v3/kv/range", req, &resp, err, errlen);
    if (rc != CK_STORE_OK) return rc;
    rc = decode_kvs(json_object_get(resp, "kvs"), out, n, err, errlen);
    if (rev) *rev = header_rev(resp);
    json_decref(resp);
    return rc;
}

static ck_store_rc e_revision(ck_store *st, int64_t *rev, char *err, size_t errlen)
{
    json_t *resp;
    json_t *req = json_pack("{s:o,s:b}", "key", key_json(""), "count_only", 1);
    ck_store_rc rc = ck_etcd3_call((ck_etcd3 *)st, "/v3/kv/range", req, &resp, err, errlen);
    if (rc != CK_STORE_OK) return rc;
    *rev = header_rev(resp);
    json_decref(resp);
    return CK_STORE_OK;
}

static ck_store_rc e_compact(ck_store *st, int64_t rev, char *err, size_t errlen)
{
    json_t *resp;
    char r[24];
    snprintf(r, sizeof r, "%lld", (long long)rev);
    ck_store_rc rc = ck_etcd3_call((ck_etcd3 *)st, "/v3/kv/compaction",
                                   json_pack("{s:s}", "revision", r), &resp, err, errlen);
    json_decref(resp);
    return rc;
}

/* ---- transactions ---- */

/* Appends to a buffer sized in advance by txn_body. */
typedef struct txt {
    char *p;
    size_t len;
} txt;

static void put_s(txt *b, const char *str)
{
    size_t n = strlen(str);
    memcpy(b->p + b->len, str, n);
    b->len += n;
}

static void put_b64(txt *b, const char *data, size_t n)
{
    b->len += ck_base64_encode_to(b->p + b->len, data, n);
}

typedef enum txn_op { TXN_CREATE, TXN_UPDATE, TXN_DELETE } txn_op;

/* The txn of every write, built as text because it is the apiserver's hot
 * path (base64 needs no JSON escaping). Like store.go: If(create_revision
 * == 0) Then(Put) for create; If(mod_revision == expected) for a
 * precondition, If(create_revision > 0) ("exists") for an unconditional
 * write; Else(Get(key)) so a CONFLICT can return the current kv. */
static char *txn_body(txn_op op, const char *key, const char *value, size_t len,
                      int64_t expected_rev, size_t *outlen)
{
    const char *k = *key ? key : ""; /* the empty key is "\0" to etcd */
    size_t klen = *key ? strlen(key) : 1;
    char cmp[96];
    if (op == TXN_CREATE)
        snprintf(cmp, sizeof cmp, "\"target\":\"CREATE\",\"result\":\"EQUAL\",\"create_revision\":\"0\"");
    else if (expected_rev > 0)
        snprintf(cmp, sizeof cmp, "\"target\":\"MOD\",\"result\":\"EQUAL\",\"mod_revision\":\"%lld\"",
                 (long long)expected_rev);
    else
        snprintf(cmp, sizeof cmp, "\"target\":\"CREATE\",\"result\":\"GREATER\",\"create_revision\":\"0\"");
    txt b = {malloc(3 * ((klen + 2) / 3 * 4) + (len + 2) / 3 * 4 + 256), 0};
    if (!b.p) return NULL;
    put_s(&b, "{\"compare\":[{\"key\":\"");
    put_b64(&b, k, klen);
    put_s(&b, "\",");
    put_s(&b, cmp);
    put_s(&b, op == TXN_DELETE ? "}],\"success\":[{\"request_delete_range\":{\"key\":\""
                               : "}],\"success\":[{\"request_put\":{\"key\":\"");
    put_b64(&b, k, klen);
    if (op == TXN_DELETE) {
        put_s(&b, "\",\"prev_kv\":true}}]");
    } else {
        put_s(&b, "\",\"value\":\"");
        put_b64(&b, value, len);
        put_s(&b, "\"}}]");
    }
    if (op != TXN_CREATE) { /* create needs no current kv */
        put_s(&b, ",\"failure\":[{\"request_range\":{\"key\":\"");
        put_b64(&b, k, klen);
        put_s(&b, "\"}}]");
    }
    put_s(&b, "}");
    b.p[b.len] = '\0';
    *outlen = b.len;
    return b.p;
}

/* Runs the txn; *succeeded says which branch ran. On failure the current kv
 * (if any) goes to *cur and *cur_found says whether there was one. */
static ck_store_rc txn(ck_etcd3 *s, txn_op op, const char *key, const char *value, size_t len,
                       int64_t expected_rev, bool *succeeded, json_t **resp, ck_kv *cur,
                       bool *cur_found, char *err, size_t errlen)
{
    size_t blen;
    *resp = NULL;
    char *body = txn_body(op, key, value, len, expected_rev, &blen);
    if (!body) return OOM(err, errlen);
    ck_store_rc rc = post(s, "/v3/kv/txn", body, blen, resp, err, errlen);
    free(body);
    if (rc != CK_STORE_OK) return rc;
    *succeeded = json_is_true(json_object_get(*resp, "succeeded"));
    *cur_found = false;
    if (*succeeded) return CK_STORE_OK;
    const json_t *rr = json_object_get(json_array_get(json_object_get(*resp, "responses"), 0),
                                       "response_range");
    const json_t *kv = json_array_get(json_object_get(rr, "kvs"), 0);
    if (!kv) return CK_STORE_OK;
    *cur_found = true;
    return cur ? ck_etcd3_kv_decode(kv, cur, err, errlen) : CK_STORE_OK;
}

static ck_store_rc e_create(ck_store *st, const char *key, const char *value, size_t len,
                            int64_t *rev, char *err, size_t errlen)
{
    json_t *resp;
    bool ok, found;
    ck_store_rc rc = txn((ck_etcd3 *)st, TXN_CREATE, key, value, len, 0, &ok, &resp, NULL, &found,
                         err, errlen);
    if (rc != CK_STORE_OK) return rc;
    if (ok && rev) *rev = header_rev(resp);
    json_decref(resp);
    return ok ? CK_STORE_OK : CK_STORE_EXISTS;
}

static ck_store_rc e_update(ck_store *st, const char *key, const char *value, size_t len,
                            int64_t expected_rev, int64_t *rev, ck_kv *cur, char *err,
                            size_t errlen)
{
    json_t *resp;
    bool ok, found;
    if (cur) memset(cur, 0, sizeof *cur);
    ck_store_rc rc = txn((ck_etcd3 *)st, TXN_UPDATE, key, value, len, expected_rev, &ok, &resp,
                         cur, &found, err, errlen);
    if (rc != CK_STORE_OK) { json_decref(resp); return rc; }
    if (ok && rev) *rev = header_rev(resp);
    json_decref(resp);
    return ok ? CK_STORE_OK : found ? CK_STORE_CONFLICT : CK_STORE_NOT_FOUND;
}

static ck_store_rc e_del(ck_store *st, const char *key, int64_t expected_rev, int64_t *rev,
                         ck_kv *prev, char *err, size_t errlen)
{
    json_t *resp;
    bool ok, found;
    if (prev) memset(prev, 0, sizeof *prev);
    ck_store_rc rc = txn((ck_etcd3 *)st, TXN_DELETE, key, NULL, 0, expected_rev, &ok, &resp,
                         prev, &found, err, errlen);
    if (rc != CK_STORE_OK) { json_decref(resp); return rc; }
    if (!ok) {
        json_decref(resp);
        return found ? CK_STORE_CONFLICT : CK_STORE_NOT_FOUND; /* on CONFLICT *prev is current */
    }
    if (rev) *rev = header_rev(resp);
    const json_t *dr = json_object_get(json_array_get(json_object_get(resp, "responses"), 0),
                                       "response_delete_range");
    const json_t *kv = json_array_get(json_object_get(dr, "prev_kvs"), 0);
    if (prev && kv) rc = ck_etcd3_kv_decode(kv, prev, err, errlen);
    json_decref(resp);
    return rc;
}

static void e_destroy(ck_store *st)
{
    ck_etcd3 *s = (ck_etcd3 *)st;
    if (s->watches) ck_error("etcd3 store destroyed with watches running; stopping them");
    while (s->watches) ck_etcd3_watch_stop((ck_store_watch *)s->watches);
    for (size_t i = 0; i < s->nidle; i++) curl_easy_cleanup(s->idle[i].h);
    pthread_mutex_destroy(&s->mu);
    free(s->endpoint);
    free(s);
}

static const ck_store_ops etcd3_ops = {
    .name = "etcd3",
    .get = e_get,
    .list = e_list,
    .create = e_create,
    .update = e_update,
    .del = e_del,
    .watch = ck_etcd3_watch,
    .watch_stop = ck_etcd3_watch_stop,
    .revision = e_revision,
    .compact = e_compact,
    .destroy = e_destroy,
};

ck_store *ck_store_etcd3_new(const char *endpoints, char *err, size_t errlen)
{
    ck_etcd3 *s = calloc(1, sizeof *s);
    char *list = strdup(endpoints ? endpoints : "");
    if (!s || !list) {
        free(s);
        free(list);
        snprintf(err, errlen, "etcd3: out of memory");
        return NULL;
    }
    s->base.ops = &etcd3_ops;
    pthread_mutex_init(&s->mu, NULL);
    char last[256] = "no endpoints given", *save = NULL;
    /* Like --etcd-servers: the first member that answers is used. */
    for (char *ep = strtok_r(list, ",", &save); ep; ep = strtok_r(NULL, ",", &save)) {
        size_t n = strlen(ep);
        while (n && ep[n - 1] == '/') ep[--n] = '\0';
        free(s->endpoint);
        if (!(s->endpoint = strdup(ep))) break;
        while (s->nidle) curl_easy_cleanup(s->idle[--s->nidle].h); /* URLs name the old one */
        int64_t rev;
        if (e_revision(&s->base, &rev, last, sizeof last) == CK_STORE_OK) {
            free(list);
            return &s->base;
        }
    }
    snprintf(err, errlen, "etcd3: no reachable endpoint in \"%s\": %s", endpoints ? endpoints : "",
             last);
    free(list);
    e_destroy(&s->base);
    return NULL;
}
