/* list.c: LIST (handlers/get.go ListResource) served from the watch cache,
 * with label and field selectors and limit/continue paging. Every page of
 * one paged list is cut from the same snapshot, so all pages carry the first
 * page's resourceVersion, as an etcd range at a fixed revision would; a
 * snapshot older than the compaction interval is gone and its continue
 * token answers 410 Expired, as upstream's after compaction. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/handlers/rest.h"
#include "apiserver/handlers/subresources.h"
#include "apiserver/table.h"
#include "store/base64.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define SNAP_MAX 256

typedef struct snapshot {
    unsigned long long id;
    int64_t rev;
    int64_t created_ms;
    ck_cobj **items;
    size_t n;
    bool filtered;
} snapshot;

static pthread_mutex_t snap_mu = PTHREAD_MUTEX_INITIALIZER;
/* A snapshot lives as long as etcd keeps the revision it was cut at: one
 * --etcd-compaction-interval (set by ck_list_snapshot_ttl). */
static int64_t snap_ttl_ms = 5 * 60 * 1000;

void ck_list_snapshot_ttl(int64_t ms)
{
    if (ms > 0) snap_ttl_ms = ms;
}
static snapshot snaps[SNAP_MAX];
static unsigned long long snap_next = 1;

static void snap_drop(snapshot *s)
{
    ck_cobjs_free(s->items, s->n);
    memset(s, 0, sizeof *s);
}

/* Stores items (stolen) and returns the snapshot id. */
static unsigned long long snap_put(ck_cobj **items, size_t n, int64_t rev, bool filtered)
{
    pthread_mutex_lock(&snap_mu);
    int64_t now = ck_mono_ms();
    snapshot *slot = NULL;
    for (int i = 0; i < SNAP_MAX; i++) {
        if (snaps[i].id && now - snaps[i].created_ms > snap_ttl_ms) snap_drop(&snaps[i]);
        if (!snaps[i].id && !slot) slot = &snaps[i];
    }
    if (!slot) { /* full: evict the oldest */
        slot = &snaps[0];
        for (int i = 1; i < SNAP_MAX; i++)
            if (snaps[i].created_ms < slot->created_ms) slot = &snaps[i];
        snap_drop(slot);
    }
    *slot = (snapshot){.id = snap_next++, .rev = rev, .created_ms = now, .items = items, .n = n,
                       .filtered = filtered};
    unsigned long long id = slot->id;
    pthread_mutex_unlock(&snap_mu);
    return id;
}

/* Copies the references of items[off..off+limit) out of snapshot id. */
static int snap_get(unsigned long long id, size_t off, size_t limit, ck_cobj ***out, size_t *n,
                    size_t *total, int64_t *rev, bool *filtered)
{
    int rc = -1;
    pthread_mutex_lock(&snap_mu);
    for (int i = 0; i < SNAP_MAX; i++) {
        snapshot *s = &snaps[i];
        if (s->id != id) continue;
        if (ck_mono_ms() - s->created_ms > snap_ttl_ms) { snap_drop(s); break; }
        size_t end = off + limit < s->n ? off + limit : s->n;
        size_t cnt = end > off ? end - off : 0;
        *out = calloc(cnt ? cnt : 1, sizeof **out);
        if (!*out) break;
        for (size_t j = 0; j < cnt; j++) (*out)[j] = ck_cobj_ref(s->items[off + j]);
        *n = cnt;
        *total = s->n;
        *rev = s->rev;
        *filtered = s->filtered;
        rc = 0;
        break;
    }
    pthread_mutex_unlock(&snap_mu);
    return rc;
}

/* Continue tokens: URL-safe base64 of {"v":"meta.k8s.io/v1","rv":R,"start":K,"snap":ID,"off":O}
 * (upstream's shape plus the snapshot coordinates). */
static char *token_encode(int64_t rev, const char *start, unsigned long long id, size_t off)
{
    json_t *t = json_pack("{s:s,s:I,s:s,s:I,s:I}", "v", "meta.k8s.io/v1", "rv", (json_int_t)rev,
                          "start", start, "snap", (json_int_t)id, "off", (json_int_t)off);
    char *raw = ck_json_dump(t);
    json_decref(t);
    if (!raw) return NULL;
    char *b = ck_base64_encode(raw, strlen(raw), NULL);
    free(raw);
    for (char *p = b; p && *p; p++) {
        if (*p == '+') *p = '-';
        else if (*p == '/') *p = '_';
        else if (*p == '=') { *p = 0; break; }
    }
    return b;
}

static int token_decode(const char *tok, int64_t *rev, unsigned long long *id, size_t *off, char *start,
                        size_t startlen)
{
    size_t n = 0;
    char *raw = ck_base64_decode(tok, strlen(tok), &n);
    json_t *t = raw ? json_loadb(raw, n, 0, NULL) : NULL;
    free(raw);
    int ok = json_is_object(t) && json_is_integer(json_object_get(t, "snap"));
    if (ok) {
        *rev = json_integer_value(json_object_get(t, "rv"));
        *id = (unsigned long long)json_integer_value(json_object_get(t, "snap"));
        *off = (size_t)json_integer_value(json_object_get(t, "off"));
        snprintf(start, startlen, "%s", ck_json_str(t, "start", ""));
    }
    json_decref(t);
    return ok ? 0 : -1;
}

void ck_selectors_free(ck_selectors *s)
{
    ck_label_selector_free(s->labels);
    ck_field_selector_free(s->fields);
}

int ck_handler_parse_selectors(ck_handler *ctx, ck_selectors *sel)
{
    char err[512];
    memset(sel, 0, sizeof *sel);
    sel->labels = ck_label_selector_parse(ctx->req->query(ctx->req, "labelSelector"), err, sizeof err);
    if (!sel->labels) { ck_status_bad_request(&ctx->st, "%s", err); return -1; }
    sel->fields = ck_field_selector_parse(ctx->req->query(ctx->req, "fieldSelector"), err, sizeof err);
    if (!sel->fields) { ck_status_bad_request(&ctx->st, "%s", err); ck_selectors_free(sel); return -1; }
    const char *bad = ck_field_selector_unsupported(sel->fields, ctx->k->field_selectors);
    if (bad) {
        ck_status_bad_request(&ctx->st, "field label not supported: %s", bad);
        ck_selectors_free(sel);
        return -1;
    }
    return 0;
}

/* Selectable fields that are not plain paths of the object, per kind
 * (the kinds' ToSelectableFields): core Events' "source" is
 * source.component, or reportingController when that is empty
 * (registry/core/event/strategy.go). */
static json_t *event_source(const json_t *ev)
{
    const char *s = ck_json_str(ev, "source.component", "");
    return json_string(*s ? s : ck_json_str(ev, "reportingComponent", ""));
}

static const struct computed_field {
    const char *group, *resource, *field;
    json_t *(*value)(const json_t *obj);
} computed[] = {
    {"", "events", "source", event_source},
};

bool ck_handler_selected(const ck_kind *k, const ck_selectors *sel, const json_t *obj)
{
    if (!ck_label_selector_matches(sel->labels, ck_json_path(obj, "metadata.labels"))) return false;
    if (ck_field_selector_empty(sel->fields)) return true;
    json_t *view = NULL;
    for (size_t i = 0; i < sizeof computed / sizeof computed[0]; i++) {
        if (strcmp(k->group, computed[i].group) || strcmp(k->resource, computed[i].resource)) continue;
        if (!view) view = json_copy((json_t *)obj);
        json_object_set_new(view, computed[i].field, computed[i].value(obj));
    }
    bool ok = ck_field_selector_matches(sel->fields, view ? view : obj);
    json_decref(view);
    return ok;
}

/* Waits for the cache as the list's resourceVersion asks: "" = consistent
 * read, "0" = any, "N" = not older than N. */
int ck_handler_wait_rv(ck_handler *ctx, const char *rv)
{
    long long want = 0;
    if (rv && *rv) {
        char *end;
        want = strtoll(rv, &end, 10);
        if (*end || want < 0) {
            ck_status_bad_request(&ctx->st, "invalid resource version: %s", rv);
            return -1;
        }
        if (want == 0) return 0;
    }
    if (!ck_cacher_sync(ctx->s->cache, want, 3000)) {
        ck_status_set(&ctx->st, 504, "Timeout", "Too large resource version: %lld, current: %lld", want,
                      (long long)ck_cacher_rev(ctx->s->cache));
        return -1;
    }
    return 0;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n, bool *oom)
{
    if (*oom) return;
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + n + 1) c *= 2;
        char *b = realloc(*buf, c);
        if (!b) { *oom = true; return; }
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = 0;
}

/* Writes the List: its items are the cached serialisations, spliced. */
static void respond_list(ck_handler *ctx, ck_cobj **items, size_t n, int64_t rev, const char *cont,
                         long long remaining)
{
    char gv[96], head[1024];
    ck_kind_api_version(ctx->k, gv, sizeof gv);
    if (ck_accept_table_req(ctx->req) || ck_accept_partial(ctx->req->accept)) {
        json_t *list = json_pack("{s:s,s:s,s:{s:s},s:[]}", "kind", ctx->k->list_kind, "apiVersion", gv,
                                 "metadata", "resourceVersion", "", "items");
        for (size_t i = 0; i < n; i++)
            json_array_append_new(json_object_get(list, "items"), json_deep_copy(items[i]->obj));
        char rvs[24];
        snprintf(rvs, sizeof rvs, "%lld", (long long)rev);
        json_object_set_new(json_object_get(list, "metadata"), "resourceVersion", json_string(rvs));
        if (cont) json_object_set_new(json_object_get(list, "metadata"), "continue", json_string(cont));
        ck_handler_respond(ctx, 200, list);
        return;
    }
    int hn = snprintf(head, sizeof head, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{\"resourceVersion\":\"%lld\"",
                      ctx->k->list_kind, gv, (long long)rev);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    bool oom = false;
    append(&buf, &len, &cap, head, (size_t)hn, &oom);
    if (cont) {
        append(&buf, &len, &cap, ",\"continue\":\"", 13, &oom);
        append(&buf, &len, &cap, cont, strlen(cont), &oom);
        append(&buf, &len, &cap, "\"", 1, &oom);
    }
    if (remaining >= 0) {
        hn = snprintf(head, sizeof head, ",\"remainingItemCount\":%lld", remaining);
        append(&buf, &len, &cap, head, (size_t)hn, &oom);
    }
    append(&buf, &len, &cap, "},\"items\":[", 11, &oom);
    for (size_t i = 0; i < n; i++) {
        if (i) append(&buf, &len, &cap, ",", 1, &oom);
        append(&buf, &len, &cap, items[i]->json, items[i]->len, &oom);
    }
    append(&buf, &len, &cap, "]}", 2, &oom);
    if (oom) {
        free(buf);
        ck_status_internal(&ctx->st, "out of memory");
        ck_resp_status(ctx->resp, &ctx->st);
        return;
    }
    free(ctx->resp->body);
    ctx->resp->code = 200;
    ctx->resp->content_type = "application/json";
    ctx->resp->body = buf;
    ctx->resp->len = len;
}

/* A token whose snapshot is gone: 410 Expired, carrying (as upstream does
 * after a compaction) a fresh token that continues after the same key in
 * the current state — an inconsistent but complete continuation. */
static int continue_expired(ck_handler *ctx, const ck_selectors *sel, const char *start)
{
    char prefix[300] = "";
    if (ctx->k->namespaced && ctx->ri->ns[0]) snprintf(prefix, sizeof prefix, "%s/", ctx->ri->ns);
    ck_cobj **items = NULL;
    int64_t rev = 0;
    size_t n = ck_cacher_list(ctx->s->cache, ctx->storage, prefix, &items, &rev), kept = 0;
    /* The state holds at storage's current revision too (later writes outside
     * /registry/, like compact_rev_key, change no object): answer with it. */
    int64_t now = 0;
    char err[128];
    if (ctx->s->store->ops->revision(ctx->s->store, &now, err, sizeof err) == CK_STORE_OK && now > rev &&
        ck_cacher_sync(ctx->s->cache, 0, 5000))
        rev = now > ck_cacher_rev(ctx->s->cache) ? now : ck_cacher_rev(ctx->s->cache);
    for (size_t i = 0; i < n; i++) {
        items[i] = ck_handler_view(ctx, items[i]);
        if (strcmp(items[i]->key, start) > 0 && ck_handler_selected(ctx->k, sel, items[i]->obj)) items[kept++] = items[i];
        else ck_cobj_unref(items[i]);
    }
    bool filtered = !ck_label_selector_empty(sel->labels) || !ck_field_selector_empty(sel->fields);
    unsigned long long id = snap_put(items, kept, rev, filtered);
    char *fresh = token_encode(rev, start, id, 0);
    ck_status_expired(&ctx->st,
                      "The provided continue parameter is too old to display a consistent list result. "
                      "You can start a new list without the continue parameter, or use the continue token "
                      "in this response to retrieve the remainder of the results. Continuing with the provided "
                      "token results in an inconsistent list - objects that were created, modified, or deleted "
                      "between the time the first chunk was returned and now may show up in the list.");
    json_t *status = ck_status_to_json(&ctx->st);
    if (fresh) json_object_set_new(json_object_get(status, "metadata"), "continue", json_string(fresh));
    free(fresh);
    ck_resp_json(ctx->resp, 410, status);
    return 0;
}

static int list_continue(ck_handler *ctx, const ck_selectors *sel, const char *tok, long long limit)
{
    int64_t rev;
    unsigned long long id;
    size_t off, n = 0, total = 0;
    ck_cobj **items = NULL;
    bool filtered = false;
    char start[600] = "";
    if (token_decode(tok, &rev, &id, &off, start, sizeof start) < 0) {
        ck_status_bad_request(&ctx->st, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        return -1;
    }
    if (snap_get(id, off, limit > 0 ? (size_t)limit : (size_t)-1 / 2, &items, &n, &total, &rev,
                 &filtered) < 0)
        return continue_expired(ctx, sel, start);
    size_t next = off + n;
    char *cont = next < total ? token_encode(rev, items[n - 1]->key, id, next) : NULL;
    respond_list(ctx, items, n, rev, cont, cont && !filtered ? (long long)(total - next) : -1);
    free(cont);
    ck_cobjs_free(items, n);
    return 0;
}

/* ValidateListOptions' resourceVersionMatch rules: 1 = Exact, 0 = other,
 * -1 with 422 (ListOptions.meta.k8s.io) in st. */
static int check_rv_match(ck_handler *ctx, const char *rv, const char *match)
{
    if (!match || !*match) return 0;
    ck_errs errs = CK_ERRS_INIT;
    int exact = strcmp(match, "Exact") == 0;
    if (!exact && strcmp(match, "NotOlderThan") != 0) {
        static const char *const ok[] = {"Exact", "NotOlderThan", NULL};
        ck_errs_not_supported(&errs, "resourceVersionMatch", match, ok);
    } else if (!rv || !*rv) {
        ck_errs_forbidden(&errs, "resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided");
    } else if (exact && strcmp(rv, "0") == 0) {
        ck_errs_forbidden(&errs, "resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
    } else {
        char *end;
        long long v = strtoll(rv, &end, 10);
        if (*end || v < 0) {
            ck_status_bad_request(&ctx->st, "invalid resource version: %s", rv);
            return -1;
        }
        return exact;
    }
    ck_status_invalid(&ctx->st, "meta.k8s.io", "ListOptions", "", &errs);
    ck_errs_free(&errs);
    return -1;
}

int ck_handler_list(ck_handler *ctx)
{
    long long limit;
    if (ck_handler_query_int(ctx, "limit", 0, &limit) < 0) return -1;
    ck_selectors sel;
    if (ck_handler_parse_selectors(ctx, &sel) < 0) return -1;
    const char *tok = ctx->req->query(ctx->req, "continue");
    int rc = -1;
    if (tok && *tok) {
        rc = list_continue(ctx, &sel, tok, limit);
        ck_selectors_free(&sel);
        return rc;
    }
    const char *rv = ctx->req->query(ctx->req, "resourceVersion");
    const char *match = ctx->req->query(ctx->req, "resourceVersionMatch");
    int exact = check_rv_match(ctx, rv, match);
    if (exact < 0) goto out;
    char prefix[300] = "";
    if (ctx->k->namespaced && ctx->ri->ns[0]) snprintf(prefix, sizeof prefix, "%s/", ctx->ri->ns);
    ck_cobj **items = NULL;
    int64_t rev = 0;
    size_t n = 0;
    if (exact) {
        rev = strtoll(rv, NULL, 10);
        if (ck_cacher_list_at(ctx->s->cache, ctx->storage, prefix, rev, &items, &n, &ctx->st) < 0) goto out;
    } else {
        if (ck_handler_wait_rv(ctx, rv) < 0) goto out;
        n = ck_cacher_list(ctx->s->cache, ctx->storage, prefix, &items, &rev);
    }
    for (size_t i = 0; i < n; i++) items[i] = ck_handler_view(ctx, items[i]);
    bool filtered = !ck_label_selector_empty(sel.labels) || !ck_field_selector_empty(sel.fields);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (ck_handler_selected(ctx->k, &sel, items[i]->obj)) items[kept++] = items[i];
        else ck_cobj_unref(items[i]);
    }
    n = kept;
    if (limit > 0 && (size_t)limit < n) {
        /* The first page is served from the same snapshot the later pages use. */
        unsigned long long id = snap_put(items, n, rev, filtered);
        ck_cobj **page = NULL;
        size_t pn = 0, total = 0;
        if (snap_get(id, 0, (size_t)limit, &page, &pn, &total, &rev, &filtered) < 0) {
            ck_status_internal(&ctx->st, "list snapshot vanished");
            goto out;
        }
        char *cont = token_encode(rev, page[pn - 1]->key, id, pn);
        respond_list(ctx, page, pn, rev, cont, filtered ? -1 : (long long)(total - pn));
        free(cont);
        ck_cobjs_free(page, pn);
    } else {
        respond_list(ctx, items, n, rev, NULL, -1);
        ck_cobjs_free(items, n);
    }
    rc = 0;
out:
    ck_selectors_free(&sel);
    return rc;
}
