/* etcd3_internal.h: what etcd3.c (KV calls over the v3 JSON gateway) and
 * etcd3_watch.c (the streaming /v3/watch) share. Not part of the public
 * storage interface. */
#ifndef CK_STORE_ETCD3_INTERNAL_H
#define CK_STORE_ETCD3_INTERNAL_H
#include "store/store.h"
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>

#define ETCD3_POOL_MAX 16

typedef struct etcd3_watch etcd3_watch;

/* A keep-alive handle and the path its URL was last set to (a literal), so
 * back-to-back calls of one kind skip curl's URL parsing. */
typedef struct etcd3_conn {
    CURL *h;
    const char *path;
} etcd3_conn;

typedef struct ck_etcd3 {
    ck_store base;
    char *endpoint; /* the reachable one, without trailing slash; owned */
    pthread_mutex_t mu; /* guards idle and watches */
    etcd3_conn idle[ETCD3_POOL_MAX]; /* keep-alive handles not in use */
    size_t nidle;
    etcd3_watch *watches; /* running, so destroy can stop leftovers */
} ck_etcd3;

/* POSTs req (stolen) as JSON to endpoint+path; *resp (caller decrefs) is the
 * parsed body on OK. Transport failures -> UNAVAILABLE; gateway errors map
 * their gRPC code (see etcd3.c). */
ck_store_rc ck_etcd3_call(ck_etcd3 *s, const char *path, json_t *req, json_t **resp, char *err,
                          size_t errlen);
/* A fresh easy handle with the options every etcd request uses. */
CURL *ck_etcd3_easy_new(void);
/* Decodes an etcd mvccpb.KeyValue JSON object into out (owned by caller). */
ck_store_rc ck_etcd3_kv_decode(const json_t *j, ck_kv *out, char *err, size_t errlen);
/* int64 fields arrive as JSON strings ("12"); absent means 0. */
int64_t ck_etcd3_int(const json_t *obj, const char *field);
/* JSON string with base64 of n bytes; NULL when out of memory. */
json_t *ck_etcd3_b64(const char *p, size_t n);
/* JSON string with base64 of the range end for a prefix (prefix + 1, etcd's
 * clientv3.GetPrefixRangeEnd); "\0" for the empty prefix (every key). */
json_t *ck_etcd3_prefix_end(const char *prefix);

ck_store_watch *ck_etcd3_watch(ck_store *s, const char *prefix, int64_t after_rev,
                               ck_watch_fn fn, void *ctx, ck_store_rc *rc, char *err,
                               size_t errlen);
void ck_etcd3_watch_stop(ck_store_watch *w);
#endif
