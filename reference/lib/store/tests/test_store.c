/* test_store.c: one suite of storage semantics (etcd's, as
 * k8s.io/apiserver/pkg/storage/etcd3 relies on them) run against both
 * backends: the memory backend and a real etcd spawned for the run. */
#include "etcd_fixture.h" /* first: it sets _GNU_SOURCE */
#include <pthread.h>
#include "util/cktest.h"

static ck_store *g_store;
static ck_etcd_proc g_etcd;
static char g_err[512];
static int g_seq; /* a fresh key prefix per test, so etcd's shared state never interferes */

static const char *prefix(char *buf, size_t n)
{
    snprintf(buf, n, "/registry/t%d-%ld/", ++g_seq, (long)getpid());
    return buf;
}

static const char *key(char *buf, size_t n, const char *pfx, const char *name)
{
    snprintf(buf, n, "%s%s", pfx, name);
    return buf;
}

#define CREATE(k, v, revp) g_store->ops->create(g_store, (k), (v), strlen(v), (revp), g_err, sizeof g_err)

/* ---- an event recorder used as watch callback ---- */

typedef struct rec_ev {
    ck_store_event_type type;
    char key[128], value[128], prev[128];
    int64_t mod_rev;
} rec_ev;

typedef struct rec {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rec_ev ev[512];
    size_t n;
    int ends;
    ck_store_rc end_rc;
    int sleep_us;     /* slows the callback, to stop a watch mid-flow */
    const char *get;  /* a key to read from inside the callback */
    ck_store_rc get_rc;
} rec;

static void rec_init(rec *r)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
}

static void rec_destroy(rec *r)
{
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
}

static void rec_fn(void *ctx, const ck_store_event *ev, ck_store_rc rc)
{
    rec *r = ctx;
    if (r->get) { /* the store must not be locked while we are called */
        ck_kv kv;
        char err[128];
        r->get_rc = g_store->ops->get(g_store, r->get, &kv, err, sizeof err);
        ck_kv_free(&kv);
    }
    if (r->sleep_us) usleep(r->sleep_us);
    pthread_mutex_lock(&r->mu);
    if (!ev) {
        r->ends++;
        r->end_rc = rc;
    } else if (r->n < sizeof r->ev / sizeof r->ev[0]) {
        rec_ev *e = &r->ev[r->n++];
        e->type = ev->type;
        e->mod_rev = ev->kv.mod_rev;
        snprintf(e->key, sizeof e->key, "%s", ev->kv.key ? ev->kv.key : "");
        snprintf(e->value, sizeof e->value, "%s", ev->kv.value ? ev->kv.value : "");
        snprintf(e->prev, sizeof e->prev, "%s", ev->prev.value ? ev->prev.value : "");
    }
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* Waits until at least n events arrived (or ms passed); returns the count. */
static size_t rec_wait(rec *r, size_t n, int ms)
{
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += ms / 1000;
    dl.tv_nsec += (ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&r->mu);
    while (r->n < n && pthread_cond_timedwait(&r->cv, &r->mu, &dl) == 0) {}
    size_t got = r->n;
    pthread_mutex_unlock(&r->mu);
    return got;
}

static ck_store_watch *watch(const char *pfx, int64_t after, rec *r, ck_store_rc *rc)
{
    return g_store->ops->watch(g_store, pfx, after, rec_fn, r, rc, g_err, sizeof g_err);
}

/* ---- key-value semantics ---- */

static void test_create_get(void)
{
    char p[64], k[128];
    int64_t r1 = 0, r2 = 0, cur = 0;
    ck_kv kv;
    key(k, sizeof k, prefix(p, sizeof p), "a");
    CU_ASSERT_EQUAL_FATAL(CREATE(k, "{\"v\":1}", &r1), CK_STORE_OK);
    CU_ASSERT(r1 > 1);
    CU_ASSERT_EQUAL(g_store->ops->revision(g_store, &cur, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(cur, r1);
    CU_ASSERT_EQUAL(CREATE(k, "{\"v\":2}", &r2), CK_STORE_EXISTS);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->get(g_store, k, &kv, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_STRING_EQUAL(kv.key, k);
    CU_ASSERT_STRING_EQUAL(kv.value, "{\"v\":1}");
    CU_ASSERT_EQUAL(kv.value_len, 7);
    CU_ASSERT_EQUAL(kv.create_rev, r1);
    CU_ASSERT_EQUAL(kv.mod_rev, r1);
    ck_kv_free(&kv);
    CU_ASSERT_EQUAL(kv.key, NULL);
    /* Every write bumps the one global revision. */
    key(k, sizeof k, p, "b");
    CU_ASSERT_EQUAL(CREATE(k, "", &r2), CK_STORE_OK);
    CU_ASSERT_EQUAL(r2, r1 + 1);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->get(g_store, k, &kv, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(kv.value_len, 0);
    CU_ASSERT_STRING_EQUAL(kv.value, "");
    ck_kv_free(&kv);
}

static void test_get_not_found(void)
{
    char p[64], k[128];
    ck_kv kv;
    key(k, sizeof k, prefix(p, sizeof p), "missing");
    CU_ASSERT_EQUAL(g_store->ops->get(g_store, k, &kv, g_err, sizeof g_err), CK_STORE_NOT_FOUND);
}

static void test_binary_value(void)
{
    char p[64], k[128];
    const char v[] = {'a', '\0', '\xff', '\x80', 'z'};
    ck_kv kv;
    int64_t r;
    key(k, sizeof k, prefix(p, sizeof p), "bin");
    CU_ASSERT_EQUAL_FATAL(g_store->ops->create(g_store, k, v, sizeof v, &r, g_err, sizeof g_err),
                          CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->get(g_store, k, &kv, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(kv.value_len, sizeof v);
    CU_ASSERT(!memcmp(kv.value, v, sizeof v));
    CU_ASSERT_EQUAL(kv.value[kv.value_len], '\0');
    ck_kv_free(&kv);
}

static void test_update_preconditions(void)
{
    char p[64], k[128];
    int64_t r1, r2 = 0, r3 = 0;
    ck_kv cur = {0}, kv;
    key(k, sizeof k, prefix(p, sizeof p), "u");
    CU_ASSERT_EQUAL_FATAL(CREATE(k, "one", &r1), CK_STORE_OK);
    CU_ASSERT_EQUAL(g_store->ops->update(g_store, k, "two", 3, r1, &r2, &cur, g_err, sizeof g_err),
                    CK_STORE_OK);
    CU_ASSERT(r2 > r1);
    /* Stale resourceVersion: CONFLICT, and the current object comes back. */
    CU_ASSERT_EQUAL(g_store->ops->update(g_store, k, "three", 5, r1, &r3, &cur, g_err,
                                         sizeof g_err), CK_STORE_CONFLICT);
    CU_ASSERT_EQUAL(cur.mod_rev, r2);
    CU_ASSERT_EQUAL(cur.create_rev, r1);
    CU_ASSERT_STRING_EQUAL(cur.value ? cur.value : "", "two");
    ck_kv_free(&cur);
    /* Unconditional update of an existing key. */
    CU_ASSERT_EQUAL(g_store->ops->update(g_store, k, "four", 4, 0, &r3, NULL, g_err, sizeof g_err),
                    CK_STORE_OK);
    CU_ASSERT(r3 > r2);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->get(g_store, k, &kv, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_STRING_EQUAL(kv.value, "four");
    CU_ASSERT_EQUAL(kv.mod_rev, r3);
    CU_ASSERT_EQUAL(kv.create_rev, r1);
    ck_kv_free(&kv);
}

static void test_update_missing(void)
{
    char p[64], k[128];
    int64_t r = 0, before, after;
    ck_kv cur = {0};
    key(k, sizeof k, prefix(p, sizeof p), "nope");
    g_store->ops->revision(g_store, &before, g_err, sizeof g_err);
    CU_ASSERT_EQUAL(g_store->ops->update(g_store, k, "x", 1, 0, &r, &cur, g_err, sizeof g_err),
                    CK_STORE_NOT_FOUND);
    CU_ASSERT_EQUAL(g_store->ops->update(g_store, k, "x", 1, 7, &r, &cur, g_err, sizeof g_err),
                    CK_STORE_NOT_FOUND);
    CU_ASSERT_PTR_NULL(cur.key);
    g_store->ops->revision(g_store, &after, g_err, sizeof g_err);
    CU_ASSERT_EQUAL(after, before); /* failed writes do not bump the revision */
    CU_ASSERT_EQUAL(g_store->ops->get(g_store, k, &cur, g_err, sizeof g_err), CK_STORE_NOT_FOUND);
}

static void test_delete_preconditions(void)
{
    char p[64], k[128];
    int64_t r1, r2, rd = 0;
    ck_kv prev = {0}, kv;
    key(k, sizeof k, prefix(p, sizeof p), "d");
    CU_ASSERT_EQUAL_FATAL(CREATE(k, "v1", &r1), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->update(g_store, k, "v2", 2, r1, &r2, NULL, g_err,
                                               sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(g_store->ops->del(g_store, k, r1, &rd, &prev, g_err, sizeof g_err),
                    CK_STORE_CONFLICT);
    CU_ASSERT_EQUAL(prev.mod_rev, r2); /* the current kv, as for update */
    ck_kv_free(&prev);
    CU_ASSERT_EQUAL(g_store->ops->del(g_store, k, r2, &rd, &prev, g_err, sizeof g_err),
                    CK_STORE_OK);
    CU_ASSERT_EQUAL(rd, r2 + 1);
    CU_ASSERT_STRING_EQUAL(prev.value ? prev.value : "", "v2");
    CU_ASSERT_EQUAL(prev.mod_rev, r2);
    ck_kv_free(&prev);
    CU_ASSERT_EQUAL(g_store->ops->get(g_store, k, &kv, g_err, sizeof g_err), CK_STORE_NOT_FOUND);
    CU_ASSERT_EQUAL(g_store->ops->del(g_store, k, 0, &rd, NULL, g_err, sizeof g_err),
                    CK_STORE_NOT_FOUND);
    /* Unconditional delete of a present key, prev not wanted. */
    CU_ASSERT_EQUAL_FATAL(CREATE(k, "v3", &r1), CK_STORE_OK);
    CU_ASSERT_EQUAL(g_store->ops->del(g_store, k, 0, &rd, NULL, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(rd, r1 + 1);
}

static void test_list_prefix(void)
{
    char p[64], k[128], other[64];
    int64_t r, cur;
    ck_kv *kvs;
    size_t n;
    prefix(p, sizeof p);
    snprintf(other, sizeof other, "%.*sx/", (int)strlen(p) - 1, p); /* shares all but the '/' */
    const char *names[] = {"c", "a", "b/deep"};
    for (size_t i = 0; i < 3; i++) CU_ASSERT_EQUAL(CREATE(key(k, sizeof k, p, names[i]), names[i], &r), CK_STORE_OK);
    CU_ASSERT_EQUAL(CREATE(key(k, sizeof k, other, "z"), "z", &r), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->list(g_store, p, &kvs, &n, &cur, g_err, sizeof g_err),
                          CK_STORE_OK);
    CU_ASSERT_EQUAL(cur, r); /* the list's revision is the store's */
    CU_ASSERT_EQUAL_FATAL(n, 3);
    CU_ASSERT_STRING_EQUAL(kvs[0].key, key(k, sizeof k, p, "a"));
    CU_ASSERT_STRING_EQUAL(kvs[1].key, key(k, sizeof k, p, "b/deep"));
    CU_ASSERT_STRING_EQUAL(kvs[2].key, key(k, sizeof k, p, "c"));
    CU_ASSERT_STRING_EQUAL(kvs[2].value, "c");
    ck_kvs_free(kvs, n);
    CU_ASSERT_EQUAL(g_store->ops->list(g_store, key(k, sizeof k, p, "none/"), &kvs, &n, &cur,
                                       g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(n, 0);
    ck_kvs_free(kvs, n);
}

/* ---- watches ---- */

static void test_watch_replay_then_live(void)
{
    char p[64], k1[128], k2[128], k3[128], out[128];
    int64_t r1, r2, r3, r4, r5, ro;
    key(k1, sizeof k1, prefix(p, sizeof p), "one");
    key(k2, sizeof k2, p, "two");
    key(k3, sizeof k3, p, "three");
    snprintf(out, sizeof out, "/registry/outside-%d", g_seq);
    CU_ASSERT_EQUAL_FATAL(CREATE(k1, "a", &r1), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->update(g_store, k1, "b", 1, r1, &r2, NULL, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(CREATE(k2, "c", &r3), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(CREATE(out, "o", &ro), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->del(g_store, k1, 0, &r4, NULL, g_err, sizeof g_err), CK_STORE_OK);
    rec r;
    rec_init(&r);
    r.get = k2;
    ck_store_rc rc;
    ck_store_watch *w = watch(p, r1, &r, &rc);
    CU_ASSERT_EQUAL(rc, CK_STORE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(rec_wait(&r, 3, 5000), 3);
    CU_ASSERT_EQUAL_FATAL(CREATE(k3, "live", &r5), CK_STORE_OK);
    CU_ASSERT_EQUAL(rec_wait(&r, 4, 5000), 4);
    CU_ASSERT_EQUAL(rec_wait(&r, 5, 300), 4); /* nothing else: not r1, not the outside key */
    g_store->ops->watch_stop(w);
    CU_ASSERT_EQUAL_FATAL(r.n, 4);
    const rec_ev want[] = {
        {CK_STORE_PUT, "", "b", "a", r2},
        {CK_STORE_PUT, "", "c", "", r3},
        {CK_STORE_DELETE, "", "", "b", r4},
        {CK_STORE_PUT, "", "live", "", r5},
    };
    const char *keys[] = {k1, k2, k1, k3};
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(r.ev[i].type, want[i].type);
        CU_ASSERT_STRING_EQUAL(r.ev[i].key, keys[i]);
        CU_ASSERT_STRING_EQUAL(r.ev[i].value, want[i].value);
        CU_ASSERT_STRING_EQUAL(r.ev[i].prev, want[i].prev);
        CU_ASSERT_EQUAL(r.ev[i].mod_rev, want[i].mod_rev);
    }
    CU_ASSERT_EQUAL(r.get_rc, CK_STORE_OK); /* the callback could read the store */
    CU_ASSERT_EQUAL(r.ends, 0);
    rec_destroy(&r);
}

static void test_watch_from_now(void)
{
    char p[64], k[128];
    int64_t r1, r2;
    key(k, sizeof k, prefix(p, sizeof p), "n");
    CU_ASSERT_EQUAL_FATAL(CREATE(k, "old", &r1), CK_STORE_OK);
    rec r;
    rec_init(&r);
    ck_store_rc rc;
    ck_store_watch *w = watch(p, 0, &r, &rc); /* 0: only what happens from now on */
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->update(g_store, k, "new", 3, 0, &r2, NULL, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(rec_wait(&r, 1, 5000), 1);
    CU_ASSERT_EQUAL(rec_wait(&r, 2, 200), 1);
    CU_ASSERT_EQUAL(r.ev[0].mod_rev, r2);
    g_store->ops->watch_stop(w);
    rec_destroy(&r);
}

static void test_watch_compacted(void)
{
    char p[64], k[128];
    int64_t r1, r2, r3;
    key(k, sizeof k, prefix(p, sizeof p), "c");
    CU_ASSERT_EQUAL_FATAL(CREATE(k, "1", &r1), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->update(g_store, k, "2", 1, 0, &r2, NULL, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->update(g_store, k, "3", 1, 0, &r3, NULL, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(g_store->ops->compact(g_store, r2, g_err, sizeof g_err), CK_STORE_OK);
    rec r;
    rec_init(&r);
    ck_store_rc rc = CK_STORE_OK;
    ck_store_watch *w = watch(p, r1 - 1, &r, &rc);
    CU_ASSERT_PTR_NULL(w);
    CU_ASSERT_EQUAL(rc, CK_STORE_COMPACTED);
    if (w) g_store->ops->watch_stop(w);
    /* The compaction revision itself is kept: a watch after r2-1 = r1 sees r2 and r3. */
    w = watch(p, r1, &r, &rc);
    CU_ASSERT_EQUAL(rc, CK_STORE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(rec_wait(&r, 2, 5000), 2);
    CU_ASSERT_EQUAL(r.ev[0].mod_rev, r2);
    CU_ASSERT_EQUAL(r.ev[1].mod_rev, r3);
    g_store->ops->watch_stop(w);
    /* Compacting again below the compaction point reports COMPACTED. */
    CU_ASSERT_EQUAL(g_store->ops->compact(g_store, r1, g_err, sizeof g_err), CK_STORE_COMPACTED);
    rec_destroy(&r);
}

typedef struct writer_arg {
    const char *key;
    int n;
} writer_arg;

static void *writer(void *arg)
{
    writer_arg *a = arg;
    char err[256];
    int64_t r;
    for (int i = 0; i < a->n; i++)
        if (g_store->ops->update(g_store, a->key, "x", 1, 0, &r, NULL, err, sizeof err))
            break;
    return NULL;
}

static void test_two_watchers_same_order(void)
{
    char p[64], ka[128], kb[128];
    int64_t r, start;
    key(ka, sizeof ka, prefix(p, sizeof p), "a");
    key(kb, sizeof kb, p, "b");
    CU_ASSERT_EQUAL_FATAL(CREATE(ka, "a", &r), CK_STORE_OK);
    CU_ASSERT_EQUAL_FATAL(CREATE(kb, "b", &start), CK_STORE_OK);
    rec r1, r2;
    rec_init(&r1);
    rec_init(&r2);
    ck_store_rc rc;
    ck_store_watch *w1 = watch(p, start, &r1, &rc), *w2 = watch(p, start, &r2, &rc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w2);
    writer_arg wa = {ka, 25}, wb = {kb, 25};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, writer, &wa);
    pthread_create(&tb, NULL, writer, &wb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CU_ASSERT_EQUAL(rec_wait(&r1, 50, 10000), 50);
    CU_ASSERT_EQUAL(rec_wait(&r2, 50, 10000), 50);
    g_store->ops->watch_stop(w1);
    g_store->ops->watch_stop(w2);
    CU_ASSERT_EQUAL_FATAL(r1.n, r2.n);
    int64_t last = start;
    for (size_t i = 0; i < r1.n; i++) {
        CU_ASSERT_EQUAL(r1.ev[i].mod_rev, r2.ev[i].mod_rev);
        CU_ASSERT_STRING_EQUAL(r1.ev[i].key, r2.ev[i].key);
        CU_ASSERT(r1.ev[i].mod_rev == last + 1); /* no gaps, in order: only we write here */
        last = r1.ev[i].mod_rev;
    }
    rec_destroy(&r1);
    rec_destroy(&r2);
}

typedef struct flood_arg {
    const char *key;
    int stop; /* atomic */
} flood_arg;

static void *flood(void *arg)
{
    flood_arg *a = arg;
    char err[256];
    int64_t r;
    while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE)) {
        if (g_store->ops->update(g_store, a->key, "f", 1, 0, &r, NULL, err, sizeof err)) break;
        usleep(500);
    }
    return NULL;
}

static void test_watch_stop_while_flowing(void)
{
    char p[64], k[128];
    int64_t r;
    key(k, sizeof k, prefix(p, sizeof p), "f");
    CU_ASSERT_EQUAL_FATAL(CREATE(k, "0", &r), CK_STORE_OK);
    rec rr;
    rec_init(&rr);
    rr.sleep_us = 2000;
    ck_store_rc rc;
    ck_store_watch *w = watch(p, r, &rr, &rc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    flood_arg fa = {k, 0};
    pthread_t t;
    pthread_create(&t, NULL, flood, &fa);
    CU_ASSERT(rec_wait(&rr, 10, 10000) >= 10);
    g_store->ops->watch_stop(w); /* joins while the callback is busy and events queue up */
    size_t seen = rec_wait(&rr, 0, 0);
    usleep(100000);
    CU_ASSERT_EQUAL(rec_wait(&rr, 0, 0), seen); /* never called after watch_stop returned */
    __atomic_store_n(&fa.stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(rr.ends, 0);
    rec_destroy(&rr);
}

/* ---- backend-specific cases ---- */

static void test_memory_history_bounds_watch(void)
{
    ck_store *s = ck_store_memory_new(4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    int64_t r = 0, revs[10];
    for (int i = 0; i < 10; i++) {
        char k[32];
        snprintf(k, sizeof k, "/k/%d", i);
        CU_ASSERT_EQUAL(s->ops->create(s, k, "v", 1, &revs[i], g_err, sizeof g_err), CK_STORE_OK);
    }
    rec rr;
    rec_init(&rr);
    ck_store_rc rc;
    /* Only the last 4 events (revs[6..9]) are kept: after revs[5] is the oldest watchable. */
    ck_store_watch *w = s->ops->watch(s, "/k/", revs[4], rec_fn, &rr, &rc, g_err, sizeof g_err);
    CU_ASSERT_PTR_NULL(w);
    CU_ASSERT_EQUAL(rc, CK_STORE_COMPACTED);
    CU_ASSERT_PTR_NOT_NULL(strstr(g_err, "compacted"));
    w = s->ops->watch(s, "/k/", revs[5], rec_fn, &rr, &rc, g_err, sizeof g_err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(rec_wait(&rr, 4, 5000), 4);
    CU_ASSERT_EQUAL(rr.ev[0].mod_rev, revs[6]);
    s->ops->watch_stop(w);
    CU_ASSERT_EQUAL(s->ops->revision(s, &r, g_err, sizeof g_err), CK_STORE_OK);
    CU_ASSERT_EQUAL(r, revs[9]);
    CU_ASSERT_EQUAL(s->ops->compact(s, r + 1, g_err, sizeof g_err), CK_STORE_ERROR);
    ck_store_destroy(s);
    rec_destroy(&rr);
}

static void test_etcd_unavailable(void)
{
    char err[256] = "";
    int port = ck_etcd_free_port();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    ck_store *s = ck_store_etcd3_new(url, err, sizeof err);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, url)); /* the endpoint is named */
    ck_store_destroy(s);
    /* A comma list uses the first member that answers. */
    char list[160];
    snprintf(list, sizeof list, "%s,%s", url, g_etcd.client_url);
    s = ck_store_open(list, err, sizeof err);
    CU_ASSERT_PTR_NULL(s); /* without "etcd3:" it is not a backend spec */
    ck_store_destroy(s);
    char spec[200];
    snprintf(spec, sizeof spec, "etcd3:%s", list);
    s = ck_store_open(spec, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(s);
    CU_ASSERT_STRING_EQUAL(s ? s->ops->name : "", "etcd3");
    ck_store_destroy(s);
}

/* Last in the etcd3 suite: it kills etcd. A running watch ends with one
 * UNAVAILABLE callback; calls fail with UNAVAILABLE naming the endpoint. */
static void test_etcd_goes_away(void)
{
    char p[64], k[128];
    rec rr;
    rec_init(&rr);
    ck_store_rc rc;
    key(k, sizeof k, prefix(p, sizeof p), "gone");
    ck_store_watch *w = watch(p, 0, &rr, &rc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    kill(g_etcd.pid, SIGKILL);
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&rr.mu);
        int ends = rr.ends;
        pthread_mutex_unlock(&rr.mu);
        if (ends) break;
        usleep(50000);
    }
    CU_ASSERT_EQUAL(rr.ends, 1);
    CU_ASSERT_EQUAL(rr.end_rc, CK_STORE_UNAVAILABLE);
    g_store->ops->watch_stop(w);
    ck_kv kv;
    CU_ASSERT_EQUAL(g_store->ops->get(g_store, k, &kv, g_err, sizeof g_err), CK_STORE_UNAVAILABLE);
    CU_ASSERT_PTR_NOT_NULL(strstr(g_err, g_etcd.client_url));
    rec_destroy(&rr);
}

static void test_open_spec(void)
{
    char err[256];
    ck_store *s = ck_store_open("memory", err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(s);
    CU_ASSERT_STRING_EQUAL(s ? s->ops->name : "", "memory");
    ck_store_destroy(s);
    s = ck_store_open("memory:5", err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(s);
    ck_store_destroy(s);
    CU_ASSERT_PTR_NULL(ck_store_open("memory:x", err, sizeof err));
    CU_ASSERT_PTR_NULL(ck_store_open("sqlite:/tmp/x", err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown backend"));
    CU_ASSERT_STRING_EQUAL(ck_store_rc_string(CK_STORE_CONFLICT), "Conflict");
    CU_ASSERT_STRING_EQUAL(ck_store_rc_string((ck_store_rc)99), "Unknown");
}

/* ---- suites ---- */

static int memory_init(void)
{
    g_store = ck_store_memory_new(0);
    return g_store ? 0 : 1;
}

static int etcd_init(void)
{
    char err[512];
    g_store = ck_etcd_start(&g_etcd, err, sizeof err);
    if (!g_store) fprintf(stderr, "\netcd3 suite cannot run: %s\n", err);
    return g_store ? 0 : 1;
}

static int suite_clean(void)
{
    ck_store_destroy(g_store);
    g_store = NULL;
    ck_etcd_stop(&g_etcd);
    return 0;
}

static const ck_test semantics[] = {
    {"create, exists, get", test_create_get},
    {"get of a missing key", test_get_not_found},
    {"binary values round-trip", test_binary_value},
    {"update with current and stale revision", test_update_preconditions},
    {"update of a missing key", test_update_missing},
    {"delete with precondition", test_delete_preconditions},
    {"list a prefix at one revision", test_list_prefix},
    {"watch replays then goes live", test_watch_replay_then_live},
    {"watch from now", test_watch_from_now},
    {"watch from a compacted revision", test_watch_compacted},
    {"two watchers see the same order", test_two_watchers_same_order},
    {"watch_stop while events flow", test_watch_stop_while_flowing},
    {NULL, NULL},
};

static int add_suite(const char *name, CU_InitializeFunc init, const ck_test *a, const ck_test *b)
{
    CU_pSuite s = CU_add_suite(name, init, suite_clean);
    if (!s) return -1;
    for (const ck_test *t = a; t && t->name; t++) if (!CU_add_test(s, t->name, t->fn)) return -1;
    for (const ck_test *t = b; t && t->name; t++) if (!CU_add_test(s, t->name, t->fn)) return -1;
    return 0;
}

int main(void)
{
    static const ck_test memory_only[] = {
        {"bounded history acts as compaction", test_memory_history_bounds_watch},
        {"backend specs", test_open_spec},
        {NULL, NULL},
    };
    static const ck_test etcd_only[] = {
        {"unreachable endpoint, endpoint lists", test_etcd_unavailable},
        {"etcd goes away under a watch", test_etcd_goes_away},
        {NULL, NULL},
    };
    if (CU_initialize_registry() != CUE_SUCCESS) return 2;
    if (add_suite("store/memory", memory_init, semantics, memory_only) ||
        add_suite("store/etcd3", etcd_init, semantics, etcd_only)) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
