/* watch.c: WATCH (handlers/watch.go + cacher's cacheWatcher): a chunked
 * stream of {"type":...,"object":...} lines from a watch-cache watcher,
 * filtered by namespace and selectors with upstream's enter/leave rule
 * (an object that starts matching is ADDED, one that stops is DELETED),
 * BOOKMARKs when allowWatchBookmarks is set, and timeoutSeconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/handlers/rest.h"
#include "apiserver/registry/convert.h"
#include "apiserver/table.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define DEFAULT_WATCH_TIMEOUT_S 1800 /* --min-request-timeout */

typedef struct watch_stream {
    ck_stream base;
    ck_cwatch *w;
    ck_selectors sel;
    const ck_kind *k;
    const ck_conversion *conv;
    bool table;               /* Accept asked for meta.k8s.io Table objects */
    bool partial;             /* ... or PartialObjectMetadata */
    char include_object[16];
    bool bookmarks;
    int bookmark_ms;
    int64_t deadline_ms;
    int64_t last_send_ms;
    char *pending;
    size_t plen, poff;
    bool ended;
} watch_stream;

static char *event_line(const char *type, const char *obj_json)
{
    if (!obj_json) return NULL;
    size_t n = strlen(type) + strlen(obj_json) + 32;
    char *line = malloc(n);
    if (line) snprintf(line, n, "{\"type\":\"%s\",\"object\":%s}\n", type, obj_json);
    return line;
}

/* The event object as the watcher asked for it: the object itself, or a
 * Table holding its row (kubectl get -w). Returns malloc'd JSON. */
static char *event_object(watch_stream *ws, const ck_cobj *o, const json_t *override)
{
    if (ws->conv) { /* served in another version than stored */
        json_t *v = ws->conv->from_storage(override ? override : o->obj);
        json_t *meta = json_object_get(v, "metadata");
        char rv[24];
        snprintf(rv, sizeof rv, "%lld", (long long)o->rev);
        if (!override && meta) json_object_set_new(meta, "resourceVersion", json_string(rv));
        const ck_conversion *conv = ws->conv;
        ws->conv = NULL;
        char *js = event_object(ws, o, v);
        ws->conv = conv;
        json_decref(v);
        return js;
    }
    const json_t *obj = override ? override : o->obj;
    if (ws->partial) {
        json_t *pm = ck_partial_metadata(obj);
        char *js = ck_json_dump(pm);
        json_decref(pm);
        return js;
    }
    if (!ws->table) return override ? ck_json_dump(override) : strdup(o->json);
    json_t *t = ck_table_convert(ws->k, obj, ws->include_object, false);
    char *js = t ? ck_json_dump(t) : NULL;
    json_decref(t);
    return js;
}

static char *typed_line(watch_stream *ws, const char *type, const ck_cobj *o, const json_t *override)
{
    char *js = event_object(ws, o, override);
    char *line = event_line(type, js);
    free(js);
    return line;
}

/* The event as this watcher sees it, or NULL when filtered out. */
static char *render(watch_stream *ws, const ck_wevent *ev)
{
    bool cur = ck_handler_selected(ws->k, &ws->sel, ev->cur->obj);
    bool prev = ev->prev ? ck_handler_selected(ws->k, &ws->sel, ev->prev->obj) : false;
    switch (ev->type) {
    case CK_W_ADDED:
        return cur ? typed_line(ws, "ADDED", ev->cur, NULL) : NULL;
    case CK_W_DELETED:
        return cur ? typed_line(ws, "DELETED", ev->cur, NULL) : NULL;
    case CK_W_MODIFIED:
        if (cur) return typed_line(ws, prev ? "MODIFIED" : "ADDED", ev->cur, NULL);
        if (!prev) return NULL;
        /* Left the selection: DELETED with the previous content at this event's revision. */
        json_t *old = json_deep_copy(ev->prev->obj);
        char rv[24];
        snprintf(rv, sizeof rv, "%lld", (long long)ev->rev);
        json_object_set_new(json_object_get(old, "metadata"), "resourceVersion", json_string(rv));
        char *line = typed_line(ws, "DELETED", ev->prev, old);
        json_decref(old);
        return line;
    default:
        return NULL;
    }
}

static char *bookmark(watch_stream *ws)
{
    char gv[96], obj[256];
    ck_kind_api_version(ws->k, gv, sizeof gv);
    snprintf(obj, sizeof obj, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{\"resourceVersion\":\"%lld\"}}",
             ws->k->kind, gv, (long long)ck_cwatch_rev(ws->w));
    return event_line("BOOKMARK", obj);
}

static ssize_t ws_read(ck_stream *base, char *buf, size_t max)
{
    watch_stream *ws = (watch_stream *)base;
    while (!ws->pending) {
        if (ws->ended) return -1;
        int64_t now = ck_mono_ms();
        if (now >= ws->deadline_ms || ck_stream_client_gone(base)) return -1;
        int wait = (int)(ws->deadline_ms - now < 1000 ? ws->deadline_ms - now : 1000);
        ck_wevent ev;
        int rc = ck_cwatch_next(ws->w, wait, &ev);
        if (rc < 0) return -1; /* terminated: the client re-lists or resumes */
        if (rc > 0) {
            ws->pending = render(ws, &ev);
            ck_wevent_release(&ev);
        } else if (ws->bookmarks && ck_mono_ms() - ws->last_send_ms >= ws->bookmark_ms) {
            ws->pending = bookmark(ws);
        }
        if (ws->pending) {
            ws->plen = strlen(ws->pending);
            ws->poff = 0;
            ws->last_send_ms = ck_mono_ms();
        }
    }
    size_t n = ws->plen - ws->poff < max ? ws->plen - ws->poff : max;
    memcpy(buf, ws->pending + ws->poff, n);
    ws->poff += n;
    if (ws->poff == ws->plen) {
        free(ws->pending);
        ws->pending = NULL;
    }
    return (ssize_t)n;
}

static void ws_free(ck_stream *base)
{
    watch_stream *ws = (watch_stream *)base;
    ck_cwatch_stop(ws->w);
    ck_selectors_free(&ws->sel);
    free(ws->pending);
    free(ws);
}

int ck_handler_watch(ck_handler *ctx, ck_stream **stream)
{
    long long timeout;
    if (ck_handler_query_int(ctx, "timeoutSeconds", DEFAULT_WATCH_TIMEOUT_S, &timeout) < 0) return -1;
    const char *rvs = ctx->req->query(ctx->req, "resourceVersion");
    int64_t from = -1;
    if (rvs && *rvs && strcmp(rvs, "0") != 0) {
        char *end;
        long long v = strtoll(rvs, &end, 10);
        if (*end || v < 0) {
            ck_status_bad_request(&ctx->st, "invalid resource version: %s", rvs);
            return -1;
        }
        from = v;
    }
    watch_stream *ws = calloc(1, sizeof *ws);
    if (!ws) { ck_status_internal(&ctx->st, "out of memory"); return -1; }
    if (ck_handler_parse_selectors(ctx, &ws->sel) < 0) { free(ws); return -1; }
    /* A watch on one object (GET .../name?watch=1) is a metadata.name selector. */
    char prefix[sizeof ctx->key] = "";
    if (ctx->ri->name[0])
        snprintf(prefix, sizeof prefix, "%s", ctx->key);
    else if (ctx->k->namespaced && ctx->ri->ns[0])
        snprintf(prefix, sizeof prefix, "%s/", ctx->ri->ns);
    ck_status st = {0};
    ws->w = ck_cacher_watch(ctx->s->cache, ctx->storage, prefix, from, &st);
    if (!ws->w) {
        ck_selectors_free(&ws->sel);
        free(ws);
        if (st.code != 410) { ctx->st = st; return -1; }
        /* Too old: HTTP 200 and one ERROR event carrying the 410 Status (cacher's errWatcher). */
        json_t *ev = json_pack("{s:s,s:o}", "type", "ERROR", "object", ck_status_to_json(&st));
        ck_status_clear(&st);
        char *line = ck_json_dump(ev);
        json_decref(ev);
        size_t n = line ? strlen(line) : 0;
        char *body = line ? realloc(line, n + 2) : NULL;
        if (!body) { free(line); ck_status_internal(&ctx->st, "out of memory"); return -1; }
        memcpy(body + n, "\n", 2);
        free(ctx->resp->body);
        ctx->resp->code = 200;
        ctx->resp->content_type = "application/json";
        ctx->resp->body = body;
        ctx->resp->len = n + 1;
        return 0;
    }
    /* A watch on one name must not match names that only share its prefix. */
    if (ctx->ri->name[0]) {
        char fs[600];
        snprintf(fs, sizeof fs, "metadata.name=%s", ctx->ri->name);
        char err[128];
        ck_field_selector *extra = ck_field_selector_parse(fs, err, sizeof err);
        if (extra) { ck_field_selector_free(ws->sel.fields); ws->sel.fields = extra; }
    }
    const char *bm = ctx->req->query(ctx->req, "allowWatchBookmarks");
    ws->bookmarks = bm && (strcmp(bm, "true") == 0 || strcmp(bm, "1") == 0);
    ws->bookmark_ms = ctx->s->cfg.bookmark_interval_ms > 0 ? ctx->s->cfg.bookmark_interval_ms : 5000;
    ws->k = ctx->k;
    ws->conv = ck_conversion_for(ctx->k);
    ws->table = ck_accept_table(ctx->req->accept);
    ws->partial = ck_accept_partial(ctx->req->accept);
    const char *inc = ctx->req->query(ctx->req, "includeObject");
    snprintf(ws->include_object, sizeof ws->include_object, "%s", inc && *inc ? inc : "Metadata");
    ws->deadline_ms = ck_mono_ms() + (timeout > 0 ? timeout : DEFAULT_WATCH_TIMEOUT_S) * 1000;
    ws->last_send_ms = ck_mono_ms();
    ws->base.read = ws_read;
    ws->base.free = ws_free;
    ws->base.client_fd = -1;
    ctx->resp->code = 200;
    *stream = &ws->base;
    return 0;
}
