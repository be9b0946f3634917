/* test_protobuf.c: Kubernetes protobuf bodies to json_t. The testdata/protobuf
 * bodies are what kubectl 1.32 really sent for `kubectl create ...`; each
 * .json beside them is `kubectl create ... --dry-run=client -o json`, the
 * JSON the same command would have sent. Small cases are built by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/decode.h"
#include "api/protobuf.h"
#include "util/cktest.h"

#define TESTDATA "reference/lib/api/tests/testdata/protobuf/"
#define PB_CT "application/vnd.kubernetes.protobuf"

/* ---- a tiny protobuf writer for hand-made bodies --------------------------- */
typedef struct buf {
    unsigned char b[4096];
    size_t n;
} buf;

static void put(buf *w, const void *p, size_t n)
{
    CU_ASSERT_FATAL(w->n + n <= sizeof w->b);
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
static void put_varint(buf *w, unsigned long long v)
{
    do {
        unsigned char c = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v) c |= 0x80;
        put(w, &c, 1);
    } while (v);
}
static void f_varint(buf *w, int tag, long long v) { put_varint(w, (unsigned)tag << 3); put_varint(w, (unsigned long long)v); }
static void f_bytes(buf *w, int tag, const void *p, size_t n)
{
    put_varint(w, (unsigned)tag << 3 | 2);
    put_varint(w, n);
    put(w, p, n);
}
static void f_str(buf *w, int tag, const char *s) { f_bytes(w, tag, s, strlen(s)); }
static void f_msg(buf *w, int tag, const buf *m) { f_bytes(w, tag, m->b, m->n); }

/* "k8s\0" + Unknown{typeMeta{apiVersion, kind}, raw}. */
static void envelope(buf *out, const char *api_version, const char *kind, const buf *raw)
{
    buf tm = {.n = 0}, unk = {.n = 0};
    f_str(&tm, 1, api_version);
    f_str(&tm, 2, kind);
    f_msg(&unk, 1, &tm);
    f_msg(&unk, 2, raw);
    out->n = 0;
    put(out, "k8s\0", 4);
    put(out, unk.b, unk.n);
}

static json_t *decode(const buf *w, ck_status *st)
{
    return ck_decode_body(PB_CT, (const char *)w->b, w->n, NULL, st);
}

static void assert_json(json_t *got, const char *want_text)
{
    json_t *want = json_loads(want_text, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(want);
    CU_ASSERT_PTR_NOT_NULL(got);
    if (got && !json_equal(got, want)) {
        char *g = json_dumps(got, JSON_SORT_KEYS), *e = json_dumps(want, JSON_SORT_KEYS);
        fprintf(stderr, "\n got: %s\nwant: %s\n", g, e);
        free(g);
        free(e);
        CU_FAIL("decoded object differs");
    }
    json_decref(want);
    json_decref(got);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = malloc(1 << 16);
    size_t n = b ? fread(b, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (b) b[n] = 0;
    *len = n;
    return b;
}

/* ---- what kubectl sent -------------------------------------------------------- */
static const char *const captured[] = {
    "namespace", "configmap", "configmap_binary", "secret", "secret_dockerregistry",
    "serviceaccount", "deployment_replicas0", "deployment_port", "service_clusterip",
    "service_nodeport", NULL};

static void test_kubectl_bodies(void)
{
    char path[256];
    for (const char *const *n = captured; *n; n++) {
        size_t pl, jl;
        snprintf(path, sizeof path, TESTDATA "%s.pb", *n);
        char *pb = slurp(path, &pl);
        snprintf(path, sizeof path, TESTDATA "%s.json", *n);
        char *js = slurp(path, &jl);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
        CU_ASSERT_PTR_NOT_NULL_FATAL(js);
        ck_status st = {0};
        json_t *got = ck_decode_body(PB_CT "; charset=utf-8", pb, pl, NULL, &st);
        if (!got) fprintf(stderr, "\n%s: %d %s\n", *n, st.code, st.message);
        assert_json(got, js);
        ck_status_clear(&st);
        free(pb);
        free(js);
    }
}

/* Every prefix of a real body either decodes or is a 400: never a crash or
 * an out-of-bounds read (run under valgrind / ASan). */
static void test_truncated_and_flipped(void)
{
    char path[256];
    for (const char *const *n = captured; *n; n++) {
        size_t len;
        snprintf(path, sizeof path, TESTDATA "%s.pb", *n);
        char *pb = slurp(path, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
        for (size_t cut = 0; cut < len; cut++) {
            char *copy = malloc(cut ? cut : 1); /* exact size: valgrind sees overreads */
            memcpy(copy, pb, cut);
            ck_status st = {0};
            json_t *v = ck_protobuf_decode(NULL, copy, cut, &st);
            CU_ASSERT(v != NULL || st.code == 400);
            json_decref(v);
            ck_status_clear(&st);
            copy[cut ? cut - 1 : 0] ^= 0x80;
            v = ck_protobuf_decode(NULL, copy, cut, &st);
            CU_ASSERT(v != NULL || st.code == 400);
            json_decref(v);
            ck_status_clear(&st);
            free(copy);
        }
        free(pb);
    }
}

/* ---- hand-made bodies ------------------------------------------------------------ */
static void test_namespace_bytes(void)
{
    /* Namespace{metadata{name:"x", creationTimestamp:{}}, spec{finalizers:["kubernetes"]}} */
    static const unsigned char body[] = {
        'k', '8', 's', 0,
        0x0a, 0x0f, 0x0a, 0x02, 'v', '1', 0x12, 0x09, 'N', 'a', 'm', 'e', 's', 'p', 'a', 'c', 'e',
        0x12, 0x15, 0x0a, 0x05, 0x0a, 0x01, 'x', 0x42, 0x00,
        0x12, 0x0c, 0x0a, 0x0a, 'k', 'u', 'b', 'e', 'r', 'n', 'e', 't', 'e', 's'};
    ck_status st = {0};
    json_t *v = ck_decode_body(PB_CT, (const char *)body, sizeof body, NULL, &st);
    assert_json(v, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\","
                   "\"creationTimestamp\":null},\"spec\":{\"finalizers\":[\"kubernetes\"]}}");
}

/* Non-pointer zero scalars are omitted (omitempty); pointer ones are kept. */
static void test_pointer_zero_values(void)
{
    buf meta = {.n = 0}, raw = {.n = 0}, body;
    f_str(&meta, 1, "c");
    f_str(&meta, 2, "");          /* generateName "" -> omitted */
    f_varint(&meta, 7, 0);        /* generation 0 -> omitted */
    f_varint(&meta, 10, 0);       /* deletionGracePeriodSeconds *int64 0 -> kept */
    f_msg(&raw, 1, &meta);
    f_varint(&raw, 4, 0);         /* ConfigMap.immutable *bool false -> kept */
    envelope(&body, "v1", "ConfigMap", &raw);
    ck_status st = {0};
    assert_json(decode(&body, &st), "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
                                    "\"deletionGracePeriodSeconds\":0},\"immutable\":false}");
}

/* Deployment: IntOrString, negative int32 as a 10-byte varint, unknown tags
 * (varint, fixed32, fixed64, group) skipped, a message given twice merged. */
static void test_deployment_special_types(void)
{
    buf ru = {.n = 0}, surge = {.n = 0}, unavail = {.n = 0}, strat = {.n = 0}, spec = {.n = 0};
    buf raw = {.n = 0}, body, meta = {.n = 0};
    f_varint(&surge, 1, 1);
    f_str(&surge, 3, "25%");
    f_varint(&unavail, 1, 0);
    f_varint(&unavail, 2, 0);
    f_msg(&ru, 1, &unavail);
    f_msg(&ru, 2, &surge);
    f_str(&strat, 1, "RollingUpdate");
    f_msg(&strat, 2, &ru);
    f_varint(&spec, 1, -1);       /* replicas: -1 */
    f_msg(&spec, 4, &strat);
    put_varint(&spec, 99 << 3 | 5); put(&spec, "abcd", 4);      /* unknown fixed32 */
    put_varint(&spec, 98 << 3 | 1); put(&spec, "abcdefgh", 8);  /* unknown fixed64 */
    put_varint(&spec, 97 << 3 | 3); f_varint(&spec, 1, 5); put_varint(&spec, 97 << 3 | 4); /* group */
    f_varint(&spec, 96, 12345);   /* unknown varint */
    f_varint(&spec, 7, 1);        /* paused: true */
    f_str(&meta, 1, "d");
    f_msg(&raw, 1, &meta);
    f_msg(&raw, 2, &spec);
    buf spec2 = {.n = 0};
    f_varint(&spec2, 5, 7);       /* minReadySeconds in a second spec occurrence: merged */
    f_msg(&raw, 2, &spec2);
    envelope(&body, "apps/v1", "Deployment", &raw);
    ck_status st = {0};
    assert_json(decode(&body, &st),
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},"
                "\"spec\":{\"replicas\":-1,\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
                "{\"maxUnavailable\":0,\"maxSurge\":\"25%\"}},\"paused\":true,\"minReadySeconds\":7}}");
}

/* Pod: Quantity maps, packed repeated int64, embedded structs (VolumeSource,
 * ProbeHandler, LocalObjectReference), Time with nanos dropped. */
static void test_pod_nested(void)
{
    buf q = {.n = 0}, ent = {.n = 0}, res = {.n = 0}, c = {.n = 0}, spec = {.n = 0}, raw = {.n = 0};
    buf body, port = {.n = 0}, get = {.n = 0}, handler = {.n = 0}, probe = {.n = 0}, ref = {.n = 0};
    buf cmv = {.n = 0}, vs = {.n = 0}, vol = {.n = 0}, psc = {.n = 0}, packed = {.n = 0}, meta = {.n = 0};
    buf ts = {.n = 0};
    f_str(&q, 1, "100m");
    f_str(&ent, 1, "cpu");
    f_msg(&ent, 2, &q);
    f_msg(&res, 1, &ent);         /* limits: {cpu: 100m} */
    f_varint(&port, 1, 0);
    f_varint(&port, 2, 8080);
    f_msg(&get, 2, &port);
    f_str(&get, 1, "/healthz");
    f_msg(&handler, 2, &get);
    f_msg(&probe, 1, &handler);   /* ProbeHandler embedded at 1 */
    f_varint(&probe, 3, 5);
    f_str(&c, 1, "app");
    f_str(&c, 2, "busybox");
    f_msg(&c, 8, &res);
    f_msg(&c, 10, &probe);
    f_str(&ref, 1, "cm1");
    f_msg(&cmv, 1, &ref);         /* LocalObjectReference embedded at 1 */
    f_varint(&cmv, 3, 0420);
    f_msg(&vs, 19, &cmv);
    f_str(&vol, 1, "v");
    f_msg(&vol, 2, &vs);          /* VolumeSource embedded at 2 */
    put_varint(&packed, 1000);
    put_varint(&packed, 2000);
    f_msg(&psc, 4, &packed);      /* supplementalGroups, packed */
    f_varint(&psc, 2, 0);         /* runAsUser *int64 0: kept */
    f_msg(&spec, 1, &vol);
    f_msg(&spec, 2, &c);
    f_msg(&spec, 14, &psc);
    f_varint(&spec, 4, 0);        /* terminationGracePeriodSeconds *int64 0: kept */
    f_varint(&ts, 1, 1795605727);
    f_varint(&ts, 2, 999);
    f_str(&meta, 1, "p");
    f_msg(&meta, 8, &ts);
    f_msg(&raw, 1, &meta);
    f_msg(&raw, 2, &spec);
    envelope(&body, "v1", "Pod", &raw);
    ck_status st = {0};
    json_t *v = decode(&body, &st);
    if (!v) fprintf(stderr, "\n%s\n", st.message);
    assert_json(v,
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
                "\"creationTimestamp\":\"2026-11-25T11:22:07Z\"},\"spec\":{"
                "\"volumes\":[{\"name\":\"v\",\"configMap\":{\"name\":\"cm1\",\"defaultMode\":272}}],"
                "\"containers\":[{\"name\":\"app\",\"image\":\"busybox\",\"resources\":{\"limits\":{\"cpu\":\"100m\"}},"
                "\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":8080},\"timeoutSeconds\":5}}],"
                "\"securityContext\":{\"supplementalGroups\":[1000,2000],\"runAsUser\":0},"
                "\"terminationGracePeriodSeconds\":0}}");
    ck_status_clear(&st);
}

/* Lease: MicroTime keeps microseconds; invalid UTF-8 becomes U+FFFD. */
static void test_lease_microtime_utf8(void)
{
    buf ts = {.n = 0}, spec = {.n = 0}, raw = {.n = 0}, meta = {.n = 0}, body;
    f_varint(&ts, 1, 1795605727);
    f_varint(&ts, 2, 123456789);
    f_bytes(&spec, 1, "h\xff", 2);
    f_varint(&spec, 2, 15);
    f_msg(&spec, 4, &ts);
    f_str(&meta, 1, "l");
    f_msg(&raw, 1, &meta);
    f_msg(&raw, 2, &spec);
    envelope(&body, "coordination.k8s.io/v1", "Lease", &raw);
    ck_status st = {0};
    assert_json(decode(&body, &st),
                "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"l\"},"
                "\"spec\":{\"holderIdentity\":\"h\\ufffd\",\"leaseDurationSeconds\":15,"
                "\"renewTime\":\"2026-11-25T11:22:07.123456Z\"}}");
}

/* Secret data is bytes: base64 in JSON; a map entry without a value is "". */
static void test_secret_bytes(void)
{
    buf e1 = {.n = 0}, e2 = {.n = 0}, raw = {.n = 0}, meta = {.n = 0}, body;
    f_str(&e1, 1, "k");
    f_bytes(&e1, 2, "\x00\x01\xfe", 3);
    f_str(&e2, 1, "empty");
    f_str(&meta, 1, "s");
    f_msg(&raw, 1, &meta);
    f_msg(&raw, 2, &e1);
    f_msg(&raw, 2, &e2);
    f_str(&raw, 3, "Opaque");
    envelope(&body, "v1", "Secret", &raw);
    ck_status st = {0};
    assert_json(decode(&body, &st),
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},"
                "\"data\":{\"k\":\"AAH+\",\"empty\":\"\"},\"type\":\"Opaque\"}");
}

static void expect_400(const void *body, size_t len, const char *why)
{
    ck_status st = {0};
    json_t *v = ck_decode_body(PB_CT, body, len, NULL, &st);
    CU_ASSERT_PTR_NULL(v);
    CU_ASSERT_EQUAL(st.code, 400);
    if (v || st.code != 400) fprintf(stderr, "\nexpected a 400 for %s\n", why);
    CU_ASSERT_STRING_EQUAL(st.reason, "BadRequest");
    json_decref(v);
    ck_status_clear(&st);
}

static void test_malformed(void)
{
    expect_400("{\"kind\":\"Namespace\"}", 20, "JSON sent as protobuf");
    expect_400("k8s", 3, "short magic");
    expect_400("k8s\0\x0a\x05\x0a", 7, "length past the end");
    expect_400("k8s\0\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 16, "varint overflow");
    expect_400("k8s\0\x00\x01", 6, "tag 0");
    expect_400("k8s\0\x0f", 5, "wire type 7");
    expect_400("k8s\0\x0c", 5, "end group without a start");

    buf raw = {.n = 0}, meta = {.n = 0}, body;
    f_varint(&meta, 1, 5); /* name as a varint: wrong wire type */
    f_msg(&raw, 1, &meta);
    envelope(&body, "v1", "ConfigMap", &raw);
    expect_400(body.b, body.n, "wrong wire type");

    raw.n = 0;
    envelope(&body, "v1", "NoSuchKind", &raw);
    expect_400(body.b, body.n, "unknown kind");

    buf ios = {.n = 0}, ru = {.n = 0}, st = {.n = 0}, spec = {.n = 0};
    f_varint(&ios, 1, 7); /* IntOrString type 7 */
    f_msg(&ru, 1, &ios);
    f_msg(&st, 2, &ru);
    f_msg(&spec, 4, &st);
    raw.n = 0;
    f_msg(&raw, 2, &spec);
    envelope(&body, "apps/v1", "Deployment", &raw);
    expect_400(body.b, body.n, "impossible IntOrString type");
}

static void test_base64(void)
{
    const char *want[] = {"", "YQ==", "YWI=", "YWJj", "YWJjZA=="};
    for (size_t n = 0; n < 5; n++) {
        json_t *v = ck_protobuf_base64((const unsigned char *)"abcd", n);
        CU_ASSERT_STRING_EQUAL(json_string_value(v), want[n]);
        json_decref(v);
    }
}

int main(void)
{
    static const ck_test tests[] = {
        {"kubectl create bodies decode to kubectl's JSON", test_kubectl_bodies},
        {"truncated and bit-flipped bodies are 400s", test_truncated_and_flipped},
        {"Namespace from literal bytes", test_namespace_bytes},
        {"pointer zero values kept, others omitted", test_pointer_zero_values},
        {"Deployment: IntOrString, negative ints, unknown tags, merge", test_deployment_special_types},
        {"Pod: quantities, packed, embedded structs, Time", test_pod_nested},
        {"Lease: MicroTime and invalid UTF-8", test_lease_microtime_utf8},
        {"Secret: bytes as base64", test_secret_bytes},
        {"malformed bodies are 400 BadRequest", test_malformed},
        {"base64", test_base64},
        {NULL, NULL}};
    return ck_test_main("protobuf", tests, NULL, NULL);
}
