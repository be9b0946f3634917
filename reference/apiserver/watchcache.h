/* watchcache.h: the apiserver's cacher (k8s.io/apiserver/pkg/storage/cacher):
 * one list + one watch of etcd's /registry/ prefix feed, per resource, an
 * in-memory copy of every object and a ring of recent events. Lists, gets
 * and watches are served from it; a watch from a resourceVersion that has
 * left the ring is answered 410 Gone (Expired), as upstream. */
#ifndef CK_APISERVER_WATCHCACHE_H
#define CK_APISERVER_WATCHCACHE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "api/status.h"
#include "store/store.h"

/* An immutable, shared snapshot of one object version: its JSON with
 * metadata.resourceVersion set, and that JSON serialised once. */
typedef struct ck_cobj {
    int refs;           /* atomic */
    int64_t rev;        /* mod_revision (or the delete's revision) */
    json_t *obj;        /* never modified after creation; readers must copy to change */
    char *json;
    size_t len;
    char key[];         /* "ns/name" or "name" */
} ck_cobj;

/* A snapshot of obj (stolen) at rev: resourceVersion stamped, serialised once. */
ck_cobj *ck_cobj_new(const char *key, json_t *obj, int64_t rev);
ck_cobj *ck_cobj_ref(ck_cobj *o);
void ck_cobj_unref(ck_cobj *o);

typedef enum ck_wtype { CK_W_ADDED, CK_W_MODIFIED, CK_W_DELETED, CK_W_BOOKMARK, CK_W_ERROR } ck_wtype;
extern const char *const ck_wtype_names[]; /* "ADDED", ... */

/* One event as a watcher receives it. cur: the object (for DELETED its last
 * state at the delete's revision); prev: the version before (NULL on ADDED). */
typedef struct ck_wevent {
    ck_wtype type;
    ck_cobj *cur;
    ck_cobj *prev;
    int64_t rev;
} ck_wevent;

typedef struct ck_cacher ck_cacher;

/* Lists /registry/ and starts watching it. window = events kept per resource.
 * NULL with a message on failure. */
ck_cacher *ck_cacher_new(ck_store *store, size_t window, char *err, size_t errlen);
void ck_cacher_free(ck_cacher *c);

/* Highest revision applied to the cache. */
int64_t ck_cacher_rev(ck_cacher *c);
/* Records that a write at `rev` happened through this apiserver. */
void ck_cacher_note_write(ck_cacher *c, int64_t rev);
/* Waits until every write noted so far (or `rev` if larger) is applied, so
 * reads served from the cache see the caller's own writes. false on timeout. */
bool ck_cacher_sync(ck_cacher *c, int64_t rev, int timeout_ms);
/* Waits until revision rev (only) is applied. false on timeout. */
bool ck_cacher_wait_rev(ck_cacher *c, int64_t rev, int timeout_ms);

/* The object at key in a storage resource ("pods", "ns/name"), referenced; NULL if absent. */
ck_cobj *ck_cacher_get(ck_cacher *c, const char *storage, const char *key);
/* Objects of a storage resource whose key starts with `key_prefix` ("" = all,
 * "ns/" = one namespace) and is > `after` (NULL = from the start), sorted by
 * key. *out is a malloc'd array of references (free with ck_cobjs_free);
 * *rev the revision of the snapshot. Returns the count. */
size_t ck_cacher_list(ck_cacher *c, const char *storage, const char *key_prefix, ck_cobj ***out,
                      int64_t *rev);
void ck_cobjs_free(ck_cobj **objs, size_t n);
/* The objects as they were at revision rev (resourceVersionMatch=Exact),
 * rebuilt by undoing the ring's later events. -1 with 410 Expired in st when
 * rev has left the window (504 when it is ahead of the cache). */
int ck_cacher_list_at(ck_cacher *c, const char *storage, const char *key_prefix, int64_t rev, ck_cobj ***out,
                      size_t *n, ck_status *st);
/* Count of objects per storage resource (metrics). */
size_t ck_cacher_count(ck_cacher *c, const char *storage);

typedef struct ck_cwatch ck_cwatch;
/* Starts a watch on a storage resource limited to keys with key_prefix.
 * from_rev < 0: start now, first delivering an ADDED event per existing
 * object (resourceVersion unset or "0"). from_rev >= 0: deliver exactly the
 * events after from_rev; 410 Expired in st if from_rev has left the window.
 * Returns NULL with st set on error. */
ck_cwatch *ck_cacher_watch(ck_cacher *c, const char *storage, const char *key_prefix,
                           int64_t from_rev, ck_status *st);
/* Next event, waiting up to timeout_ms. Returns 1 with *ev filled (release with
 * ck_wevent_release), 0 on timeout, -1 when the watch was terminated (the
 * watcher fell too far behind, or the cache stopped). */
int ck_cwatch_next(ck_cwatch *w, int timeout_ms, ck_wevent *ev);
void ck_wevent_release(ck_wevent *ev);
/* Revision the watcher has been brought up to (for bookmarks). */
int64_t ck_cwatch_rev(ck_cwatch *w);
void ck_cwatch_stop(ck_cwatch *w);
#endif
