/* store.h: the storage interface the apiserver writes through, with two
 * backends behind one vtable: etcd3 (the real etcd, over its v3 JSON
 * gateway with libcurl) and memory (same semantics, for unit tests and
 * fuzzing). Semantics follow k8s.io/apiserver/pkg/storage/etcd3: values are
 * opaque bytes (object JSON), every write bumps one global revision, an
 * object's resourceVersion is its mod_revision, and conditional writes are
 * transactions that compare mod_revision. */
#ifndef CK_STORE_STORE_H
#define CK_STORE_STORE_H
#include <stddef.h>
#include <stdint.h>

typedef enum ck_store_rc {
    CK_STORE_OK = 0,
    CK_STORE_NOT_FOUND,   /* key absent */
    CK_STORE_EXISTS,      /* create of a present key */
    CK_STORE_CONFLICT,    /* mod_revision precondition failed */
    CK_STORE_COMPACTED,   /* watch/list at a revision older than the compaction */
    CK_STORE_UNAVAILABLE, /* backend unreachable (etcd down, timeout) */
    CK_STORE_ERROR,       /* anything else; message in err */
} ck_store_rc;

typedef struct ck_kv {
    char *key;           /* owned */
    char *value;         /* owned, NUL-terminated for convenience */
    size_t value_len;
    int64_t create_rev;
    int64_t mod_rev;
} ck_kv;

void ck_kv_free(ck_kv *kv); /* frees key and value, zeroes */
void ck_kvs_free(ck_kv *kvs, size_t n); /* frees each and the array */

typedef enum ck_store_event_type { CK_STORE_PUT = 0, CK_STORE_DELETE = 1 } ck_store_event_type;

typedef struct ck_store_event {
    ck_store_event_type type;
    ck_kv kv;        /* for DELETE: key and mod_rev (the delete's revision); value empty */
    ck_kv prev;      /* previous value when known (PUT over an existing key, DELETE) */
} ck_store_event;

/* Watch callback, called in revision order from a thread the watch owns
 * (never with a store lock held, so it may call into the store). `ev` is
 * borrowed for the call. Called once with ev == NULL and rc != OK when the
 * watch ends abnormally (CK_STORE_COMPACTED, CK_STORE_UNAVAILABLE). */
typedef void (*ck_watch_fn)(void *ctx, const ck_store_event *ev, ck_store_rc rc);

typedef struct ck_store ck_store;
typedef struct ck_store_watch ck_store_watch;

typedef struct ck_store_ops {
    const char *name; /* "etcd3", "memory" */
    ck_store_rc (*get)(ck_store *s, const char *key, ck_kv *out, char *err, size_t errlen);
    /* Every key with `prefix`, sorted by key, at one revision (*rev). */
    ck_store_rc (*list)(ck_store *s, const char *prefix, ck_kv **out, size_t *n, int64_t *rev,
                        char *err, size_t errlen);
    /* Fails with EXISTS if present. *rev = the new mod_revision. */
    ck_store_rc (*create)(ck_store *s, const char *key, const char *value, size_t len,
                          int64_t *rev, char *err, size_t errlen);
    /* expected_rev > 0: only if mod_revision == expected_rev (else CONFLICT,
     * and *cur, if non-NULL, receives the current kv). expected_rev == 0:
     * unconditional, but the key must exist (else NOT_FOUND). */
    ck_store_rc (*update)(ck_store *s, const char *key, const char *value, size_t len,
                          int64_t expected_rev, int64_t *rev, ck_kv *cur, char *err,
                          size_t errlen);
    /* expected_rev as for update. *prev (may be NULL) receives the deleted kv;
     * *rev the revision of the delete. */
    ck_store_rc (*del)(ck_store *s, const char *key, int64_t expected_rev, int64_t *rev,
                       ck_kv *prev, char *err, size_t errlen);
    /* Events for keys under prefix with mod_revision > after_rev, then live.
     * NULL with COMPACTED in *rc if after_rev is older than the compaction. */
    ck_store_watch *(*watch)(ck_store *s, const char *prefix, int64_t after_rev, ck_watch_fn fn,
                             void *ctx, ck_store_rc *rc, char *err, size_t errlen);
    /* Stops delivery; after it returns, fn is not running and won't be called. */
    void (*watch_stop)(ck_store_watch *w);
    /* Current global revision (etcd header revision). */
    ck_store_rc (*revision)(ck_store *s, int64_t *rev, char *err, size_t errlen);
    /* Discards history up to rev (etcd compaction). */
    ck_store_rc (*compact)(ck_store *s, int64_t rev, char *err, size_t errlen);
    void (*destroy)(ck_store *s);
} ck_store_ops;

/* Every backend's handle starts with its ops, so the generic calls below work. */
struct ck_store {
    const ck_store_ops *ops;
};

/* Backends. Both return NULL with a message in err on failure. Caller owns
 * the store and frees it with ck_store_destroy. */
/* endpoints: "http://127.0.0.1:2379" (first reachable of a comma list). */
ck_store *ck_store_etcd3_new(const char *endpoints, char *err, size_t errlen);
/* history: how many past events the memory backend keeps for watches
 * (older watches get COMPACTED), like etcd's history before compaction. */
ck_store *ck_store_memory_new(size_t history);
/* "etcd3:http://127.0.0.1:2379" or "memory" (or "memory:<history>"). */
ck_store *ck_store_open(const char *spec, char *err, size_t errlen);

static inline void ck_store_destroy(ck_store *s) { if (s) s->ops->destroy(s); }
const char *ck_store_rc_string(ck_store_rc rc);
#endif
