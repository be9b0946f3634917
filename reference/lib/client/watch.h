/* watch.h: streaming watches (client-go's watch.Interface over the JSON
 * stream of metav1.WatchEvent): an incremental decoder fed from curl's write
 * callback, and the blocking GET ...?watch=1 request that drives it. */
#ifndef CK_CLIENT_WATCH_H
#define CK_CLIENT_WATCH_H
#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>
#include "client/rest.h"

typedef enum {
    CK_WATCH_ADDED,
    CK_WATCH_MODIFIED,
    CK_WATCH_DELETED,
    CK_WATCH_BOOKMARK,
    CK_WATCH_ERROR, /* object is a metav1.Status (e.g. 410 Expired) */
} ck_watch_type;

/* "ADDED"... -> type; -1 for an unknown name. */
int ck_watch_type_parse(const char *s);
const char *ck_watch_type_name(ck_watch_type t);

/* Called once per event; `object` is borrowed (json_incref to keep it).
 * Return 0 to continue, non-zero to stop the stream. */
typedef int (*ck_watch_fn)(ck_watch_type type, json_t *object, void *ud);

/* Incremental decoder: bytes may be split anywhere; each complete
 * newline-terminated event is decoded and handed to fn. */
typedef struct ck_watch_decoder ck_watch_decoder;
/* NULL on OOM. Free with ck_watch_decoder_free(). */
ck_watch_decoder *ck_watch_decoder_new(ck_watch_fn fn, void *ud);
void ck_watch_decoder_free(ck_watch_decoder *d);
/* Feeds bytes. 0 = fine, 1 = fn asked to stop, -1 = malformed event or an
 * event over 64 MiB (message in ck_watch_decoder_error()). */
int ck_watch_decoder_feed(ck_watch_decoder *d, const char *data, size_t len);
/* 0 when no partial event is buffered; -1 (with a message) otherwise. */
int ck_watch_decoder_finish(ck_watch_decoder *d);
const char *ck_watch_decoder_error(const ck_watch_decoder *d); /* borrowed */

/* Opens GET <collection>?watch=1&allowWatchBookmarks=true&<opts> and blocks,
 * handing events to fn, until the server ends the stream (0), fn stops it (1),
 * *cancel becomes non-zero (1; checked at least once a second), or it fails (-1).
 * A non-200 answer fills resp (its Status) and returns -1; resp->code is 200
 * when the stream was opened. cancel may be NULL. */
int ck_rest_watch(ck_rest *c, const ck_resource_ref *ref, const ck_list_opts *opts,
                  ck_watch_fn fn, void *ud, const atomic_int *cancel, ck_response *resp);
#endif
