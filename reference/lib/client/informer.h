/* informer.h: a shared-informer in miniature (client-go's Reflector +
 * thread-safe Indexer + event handlers): list, then watch from the list's
 * resourceVersion, keep a local cache keyed "namespace/name", call handlers. */
#ifndef CK_CLIENT_INFORMER_H
#define CK_CLIENT_INFORMER_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "client/rest.h"

/* Handlers run on the informer's thread, one at a time, in event order.
 * Objects are borrowed and shared with the cache: never modify them;
 * json_incref to keep one (or json_deep_copy to change it). Any may be NULL.
 * A re-list reports every listed object as an add (new) or update (known)
 * and every vanished one as a delete, as client-go's DeltaFIFO.Replace. */
typedef struct ck_informer_handlers {
    void (*on_add)(json_t *obj, void *ud);
    void (*on_update)(json_t *old_obj, json_t *new_obj, void *ud);
    void (*on_delete)(json_t *obj, void *ud);
    void *ud;
} ck_informer_handlers;

typedef struct ck_informer_opts {
    const char *group, *version, *resource; /* group "" = core */
    const char *namespace;                  /* NULL/"" = all namespaces */
    const char *label_selector, *field_selector; /* NULL = everything */
    int watch_timeout_seconds;  /* 0 = reflector's 5 min * (1 + rand) */
    long page_size;             /* list limit; 0 = 500 (the reflector's pager) */
    long backoff_initial_ms;    /* 0 = 800 (reflector's backoff manager) */
    long backoff_max_ms;        /* 0 = 30000 */
} ck_informer_opts;

typedef struct ck_informer ck_informer; /* opaque */

/* Copies opts and handlers; `rest` is borrowed and must outlive the informer.
 * NULL (message in err) on bad options or OOM. */
ck_informer *ck_informer_new(ck_rest *rest, const ck_informer_opts *opts,
                             const ck_informer_handlers *h, char *err, size_t errlen);
/* Starts the list/watch thread. 0, or -1 if it could not start (or runs). */
int ck_informer_start(ck_informer *inf);
/* Cancels any open watch, stops and joins the thread. Idempotent. */
void ck_informer_stop(ck_informer *inf);
/* Stops if running, then frees the cache. */
void ck_informer_free(ck_informer *inf);

/* True once the first list has been stored and its handlers called. */
bool ck_informer_has_synced(ck_informer *inf);
/* Waits up to timeout_ms for has_synced. */
bool ck_informer_wait_synced(ck_informer *inf, long timeout_ms);

/* The cached object for "namespace/name" (or "name" when cluster-scoped):
 * a new reference the caller json_decref()s, NULL when absent. Read-only. */
json_t *ck_informer_get(ck_informer *inf, const char *key);
/* A new array of the cached objects for which filter returns true (all when
 * filter is NULL), e.g. a label selector match. Caller json_decref()s. */
json_t *ck_informer_list(ck_informer *inf, bool (*filter)(const json_t *obj, void *ud), void *ud);
size_t ck_informer_len(ck_informer *inf);
/* The resourceVersion of the last list or event seen, copied into out. */
void ck_informer_last_rv(ck_informer *inf, char *out, size_t outlen);

/* client-go's MetaNamespaceKeyFunc: "ns/name" or "name". Length or -1. */
int ck_informer_key(const json_t *obj, char *out, size_t outlen);
#endif
