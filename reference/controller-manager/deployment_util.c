/* deployment_util.c: template hash, intstr fenceposts, revisions and
 * replica annotations, ReplicaSet lookup and ordering for the Deployment
 * controller (pkg/controller/deployment/util/deployment_util.go). */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/deployment_util.h"
#include "controller-manager/replicaset_logic.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define MAX_REV_HISTORY_CHARS 2000  /* --deployment-controller maxRevHistoryLengthInChars */

void ck_safe_encode_string(const char *in, char *out)
{
    static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789";
    size_t i = 0;
    for (; in[i]; i++) out[i] = alnum[(unsigned char)in[i] % (sizeof alnum - 1)];
    out[i] = 0;
}

uint32_t ck_fnv32a(const void *data, size_t n, uint32_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

void ck_deploy_compute_hash(const json_t *template, long collision_count, char *out)
{
    char *s = json_dumps(template, JSON_COMPACT | JSON_SORT_KEYS);
    uint32_t h = ck_fnv32a(s ? s : "", s ? strlen(s) : 0, 2166136261u);
    free(s);
    if (collision_count >= 0) {
        unsigned char b[8] = {0};
        uint32_t c = (uint32_t)collision_count;
        for (int i = 0; i < 4; i++) b[i] = (unsigned char)(c >> (8 * i));
        h = ck_fnv32a(b, sizeof b, h);
    }
    char dec[16];
    snprintf(dec, sizeof dec, "%u", h);
    ck_safe_encode_string(dec, out);
}

int ck_intstr_scaled(const json_t *v, long total, bool round_up, long *out)
{
    if (json_is_integer(v)) { *out = (long)json_integer_value(v); return 0; }
    const char *s = json_string_value(v);
    if (!s) return -1;
    char *end;
    long pct = strtol(s, &end, 10);
    if (end == s || strcmp(end, "%")) return -1;
    double x = (double)pct * (double)total / 100.0;
    *out = (long)(round_up ? ceil(x) : floor(x));
    return 0;
}

bool ck_deploy_is_rolling(const json_t *d)
{
    return !strcmp(ck_json_str(d, "spec.strategy.type", "RollingUpdate"), "RollingUpdate");
}

long ck_deploy_replicas(const json_t *d) { return (long)ck_json_int(d, "spec.replicas", 1); }

int ck_deploy_fenceposts(const json_t *d, long *surge, long *unavailable)
{
    json_t *ru = ck_json_path(d, "spec.strategy.rollingUpdate");
    json_t *dflt = json_string("25%");
    json_t *ms = json_object_get(ru, "maxSurge"), *mu = json_object_get(ru, "maxUnavailable");
    long desired = ck_deploy_replicas(d);
    int rc = ck_intstr_scaled(ms ? ms : dflt, desired, true, surge) |
             ck_intstr_scaled(mu ? mu : dflt, desired, false, unavailable);
    json_decref(dflt);
    if (rc) { *surge = 0, *unavailable = 1; return -1; }
    if (*surge == 0 && *unavailable == 0) *unavailable = 1;
    return 0;
}

long ck_deploy_max_surge(const json_t *d)
{
    long s, u;
    if (!ck_deploy_is_rolling(d)) return 0;
    ck_deploy_fenceposts(d, &s, &u);
    return s;
}

long ck_deploy_max_unavailable(const json_t *d)
{
    long s, u, r = ck_deploy_replicas(d);
    if (!ck_deploy_is_rolling(d) || r == 0) return 0;
    ck_deploy_fenceposts(d, &s, &u);
    return u > r ? r : u;
}

long ck_rss_spec_replicas(const json_t *rss)
{
    long n = 0;
    size_t i;
    json_t *rs;
    json_array_foreach(rss, i, rs) n += (long)ck_json_int(rs, "spec.replicas", 1);
    return n;
}

long ck_rss_status_field(const json_t *rss, const char *field)
{
    long n = 0;
    size_t i;
    json_t *rs;
    json_t *st;
    json_array_foreach(rss, i, rs) if ((st = json_object_get(rs, "status"))) n += (long)ck_json_int(st, field, 0);
    return n;
}

json_t *ck_rss_active(const json_t *rss)
{
    json_t *out = json_array();
    size_t i;
    json_t *rs;
    json_array_foreach(rss, i, rs) if (ck_json_int(rs, "spec.replicas", 1) > 0) json_array_append(out, rs);
    return out;
}

static time_t created(const json_t *o)
{
    time_t t = ck_time_parse(ck_json_str(o, "metadata.creationTimestamp", ""));
    return t < 0 ? 0 : t;
}

/* ReplicaSetsByCreationTimestamp.Less */
static bool older(const json_t *a, const json_t *b)
{
    if (created(a) == created(b))
        return strcmp(ck_json_str(a, "metadata.name", ""), ck_json_str(b, "metadata.name", "")) < 0;
    return created(a) < created(b);
}

static int cmp_creation(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    return older(a, b) ? -1 : older(b, a) ? 1 : 0;
}

static int cmp_revision(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    long ra = ck_rs_revision(a), rb = ck_rs_revision(b);
    if (ra == rb) return cmp_creation(x, y);
    return ra < rb ? -1 : 1;
}

/* BySizeNewer / BySizeOlder: larger first; ties newer (or older) first. */
static int cmp_size(const void *x, const void *y, void *ud)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    long sa = (long)ck_json_int(a, "spec.replicas", 1), sb = (long)ck_json_int(b, "spec.replicas", 1);
    if (sa != sb) return sa > sb ? -1 : 1;
    int c = cmp_creation(x, y);
    return *(bool *)ud ? -c : c;
}

/* Sorts the array's elements (references kept). */
static void sort_array(json_t *arr, int (*cmp)(const void *, const void *, void *), void *ud,
                       int (*cmp2)(const void *, const void *))
{
    size_t n = json_array_size(arr);
    if (n < 2) return;
    json_t **v = malloc(n * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(arr, i));
    if (cmp) qsort_r(v, n, sizeof *v, cmp, ud);
    else qsort(v, n, sizeof *v, cmp2);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, v[i]);
    free(v);
}

void ck_rss_sort_by_creation(json_t *rss) { sort_array(rss, NULL, NULL, cmp_creation); }
void ck_rss_sort_by_revision(json_t *rss) { sort_array(rss, NULL, NULL, cmp_revision); }
void ck_rss_sort_by_size(json_t *rss, bool newer_first) { sort_array(rss, cmp_size, &newer_first, NULL); }

static const char *annotation(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(ck_json_path(o, "metadata.annotations"), key));
}

long ck_rs_revision(const json_t *rs)
{
    const char *v = annotation(rs, CK_ANN_REVISION);
    return v ? strtol(v, NULL, 10) : 0;
}

long ck_rss_max_revision(const json_t *rss)
{
    long m = 0;
    size_t i;
    json_t *rs;
    json_array_foreach(rss, i, rs) if (ck_rs_revision(rs) > m) m = ck_rs_revision(rs);
    return m;
}

/* Semantic.DeepEqual treats nil and empty maps/slices alike: drop them. */
static void prune_empty(json_t *v)
{
    if (!json_is_object(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) prune_empty(e);
        return;
    }
    const char *k;
    json_t *e;
    void *tmp;
    json_object_foreach_safe(v, tmp, k, e) {
        prune_empty(e);
        if (json_is_null(e) || (json_is_object(e) && !json_object_size(e)) || (json_is_array(e) && !json_array_size(e)))
            json_object_del(v, k);
    }
}

bool ck_deploy_equal_ignore_hash(const json_t *t1, const json_t *t2)
{
    json_t *a = json_deep_copy(t1 ? t1 : json_null()), *b = json_deep_copy(t2 ? t2 : json_null());
    json_object_del(ck_json_path(a, "metadata.labels"), CK_DEPLOY_HASH_LABEL);
    json_object_del(ck_json_path(b, "metadata.labels"), CK_DEPLOY_HASH_LABEL);
    prune_empty(a);
    prune_empty(b);
    bool eq = ck_json_equal(a, b);
    json_decref(a);
    json_decref(b);
    return eq;
}

json_t *ck_deploy_find_new_rs(const json_t *d, const json_t *rss)
{
    json_t *sorted = json_copy((json_t *)rss);
    ck_rss_sort_by_creation(sorted);
    json_t *found = NULL;
    size_t i;
    json_t *rs;
    json_array_foreach(sorted, i, rs) {
        if (ck_deploy_equal_ignore_hash(ck_json_path(rs, "spec.template"), ck_json_path(d, "spec.template"))) {
            found = rs;
            break;
        }
    }
    json_decref(sorted);  /* rss still holds found */
    return found;
}

json_t *ck_deploy_old_rss(const json_t *rss, const json_t *new_rs)
{
    json_t *out = json_array();
    size_t i;
    json_t *rs;
    const char *nuid = new_rs ? ck_json_str(new_rs, "metadata.uid", "") : NULL;
    json_array_foreach(rss, i, rs)
        if (!nuid || strcmp(ck_json_str(rs, "metadata.uid", ""), nuid)) json_array_append(out, rs);
    return out;
}

static bool set_annotation(json_t *o, const char *k, const char *v)
{
    json_t *a = ck_json_ensure_object(o, "metadata.annotations");
    if (!a) return false;
    const char *old = json_string_value(json_object_get(a, k));
    if (old && !strcmp(old, v)) return false;
    json_object_set_new(a, k, json_string(v));
    return true;
}

bool ck_rs_replicas_annotations_need_update(const json_t *rs, long desired, long max)
{
    char d[24], m[24];
    snprintf(d, sizeof d, "%ld", desired);
    snprintf(m, sizeof m, "%ld", max);
    const char *a = annotation(rs, CK_ANN_DESIRED_REPLICAS), *b = annotation(rs, CK_ANN_MAX_REPLICAS);
    return !a || strcmp(a, d) || !b || strcmp(b, m);
}

bool ck_rs_set_replicas_annotations(json_t *rs, long desired, long max)
{
    char d[24], m[24];
    snprintf(d, sizeof d, "%ld", desired);
    snprintf(m, sizeof m, "%ld", max);
    bool c1 = set_annotation(rs, CK_ANN_DESIRED_REPLICAS, d);
    bool c2 = set_annotation(rs, CK_ANN_MAX_REPLICAS, m);
    return c1 || c2;
}

static bool skip_copy(const char *k)
{
    static const char *const SKIP[] = {"kubectl.kubernetes.io/last-applied-configuration", CK_ANN_REVISION,
                                       CK_ANN_REVISION_HISTORY, CK_ANN_DESIRED_REPLICAS, CK_ANN_MAX_REPLICAS,
                                       "deprecated.deployment.rollback.to"};
    for (size_t i = 0; i < sizeof SKIP / sizeof SKIP[0]; i++) if (!strcmp(k, SKIP[i])) return true;
    return false;
}

/* Appends old to the revision-history annotation, trimmed to the limit. */
static void append_history(json_t *rs, const char *old)
{
    const char *hist = annotation(rs, CK_ANN_REVISION_HISTORY);
    if (!hist || !*hist) { set_annotation(rs, CK_ANN_REVISION_HISTORY, old); return; }
    const char *start = hist;
    size_t total = strlen(hist) + strlen(old) + 1;
    while (total > MAX_REV_HISTORY_CHARS && start) {
        const char *comma = strchr(start, ',');
        total -= (comma ? (size_t)(comma - start) : strlen(start)) + 1;
        start = comma ? comma + 1 : NULL;
    }
    if (total > MAX_REV_HISTORY_CHARS) return;
    char *joined = NULL;
    if (asprintf(&joined, "%s%s%s", start ? start : "", start && *start ? "," : "", old) < 0) return;
    set_annotation(rs, CK_ANN_REVISION_HISTORY, joined);
    free(joined);
}

bool ck_deploy_set_new_rs_annotations(const json_t *d, json_t *rs, long new_revision, bool exists)
{
    bool changed = false;
    const char *k;
    json_t *v;
    json_object_foreach(ck_json_path(d, "metadata.annotations"), k, v)
        if (!skip_copy(k) && json_is_string(v)) changed |= set_annotation(rs, k, json_string_value(v));
    const char *oldp = annotation(rs, CK_ANN_REVISION);
    char old[32] = "";
    if (oldp) snprintf(old, sizeof old, "%s", oldp);
    char *end;
    long old_rev = *old ? strtol(old, &end, 10) : 0;
    if (*old && *end) return false;  /* unparsable revision: leave it, as upstream */
    if (old_rev < new_revision) {
        char nr[24];
        snprintf(nr, sizeof nr, "%ld", new_revision);
        set_annotation(rs, CK_ANN_REVISION, nr);
        changed = true;
        if (oldp) append_history(rs, old);
    }
    if (!exists && ck_rs_set_replicas_annotations(rs, ck_deploy_replicas(d),
                                                  ck_deploy_replicas(d) + ck_deploy_max_surge(d)))
        changed = true;
    return changed;
}

json_t *ck_deploy_new_rs(const json_t *d, long new_revision)
{
    const json_t *tmpl = ck_json_path(d, "spec.template");
    long cc = json_is_integer(ck_json_path(d, "status.collisionCount"))
                  ? (long)ck_json_int(d, "status.collisionCount", 0) : -1;
    char hash[16];
    ck_deploy_compute_hash(tmpl, cc, hash);
    const json_t *dsel = ck_json_path(d, "spec.selector");
    json_t *t = tmpl ? json_deep_copy(tmpl) : json_object();
    json_t *sel = dsel ? json_deep_copy(dsel) : json_object();
    if (!t || !sel || ck_json_set(t, "metadata.labels." CK_DEPLOY_HASH_LABEL, json_string(hash)) ||
        ck_json_set(sel, "matchLabels." CK_DEPLOY_HASH_LABEL, json_string(hash))) {
        json_decref(t);
        json_decref(sel);
        return NULL;
    }
    char name[512];
    snprintf(name, sizeof name, "%s-%s", ck_json_str(d, "metadata.name", ""), hash);
    json_t *rs = json_pack("{s:s,s:s,s:{s:s,s:s,s:O,s:[o]},s:{s:i,s:I,s:o,s:o}}", "apiVersion", "apps/v1", "kind",
                           "ReplicaSet", "metadata", "name", name, "namespace",
                           ck_json_str(d, "metadata.namespace", ""), "labels", ck_json_path(t, "metadata.labels"),
                           "ownerReferences", ck_new_controller_ref(d, "apps/v1", "Deployment"), "spec",
                           "replicas", 0, "minReadySeconds", (json_int_t)ck_json_int(d, "spec.minReadySeconds", 0),
                           "selector", sel, "template", t);
    if (rs) ck_deploy_set_new_rs_annotations(d, rs, new_revision, false);
    return rs;
}

long ck_deploy_new_rs_new_replicas(const json_t *d, const json_t *all_rss, const json_t *new_rs)
{
    long replicas = ck_deploy_replicas(d), cur_new = (long)ck_json_int(new_rs, "spec.replicas", 0);
    if (!ck_deploy_is_rolling(d)) return replicas;
    long surge = 0;
    json_t *ms = ck_json_path(d, "spec.strategy.rollingUpdate.maxSurge");
    json_t *dflt = json_string("25%");
    ck_intstr_scaled(ms ? ms : dflt, replicas, true, &surge);
    json_decref(dflt);
    long current = ck_rss_spec_replicas(all_rss), max_total = replicas + surge;
    if (current >= max_total) return cur_new;
    long up = max_total - current;
    if (up > replicas - cur_new) up = replicas - cur_new;
    return cur_new + up;
}

json_t *ck_deploy_find_active_or_latest(const json_t *new_rs, const json_t *old_rss)
{
    if (!new_rs && !json_array_size(old_rss)) return NULL;
    json_t *sorted = json_copy((json_t *)old_rss);
    ck_rss_sort_by_creation(sorted);
    json_t *all = json_array();
    for (size_t i = json_array_size(sorted); i-- > 0;) json_array_append(all, json_array_get(sorted, i));
    if (new_rs) json_array_append(all, (json_t *)new_rs);
    json_t *active = ck_rss_active(all);
    json_t *out = NULL;
    if (json_array_size(active) == 1) out = json_array_get(active, 0);
    else if (!json_array_size(active)) out = new_rs ? (json_t *)new_rs : json_array_get(all, 0);
    /* out is borrowed from new_rs/old_rss, which outlive these temporaries */
    json_decref(active);
    json_decref(all);
    json_decref(sorted);
    return out;
}

bool ck_deploy_is_saturated(const json_t *d, const json_t *rs)
{
    if (!rs) return false;
    const char *want = annotation(rs, CK_ANN_DESIRED_REPLICAS);
    char *end;
    long desired = want ? strtol(want, &end, 10) : 0;
    if (!want || *end) return false;
    long r = ck_deploy_replicas(d);
    return ck_json_int(rs, "spec.replicas", 1) == r && desired == r && ck_json_int(rs, "status.availableReplicas", 0) == r;
}

/* getReplicaSetFraction */
static long rs_fraction(const json_t *rs, const json_t *d)
{
    long spec = (long)ck_json_int(rs, "spec.replicas", 1);
    if (ck_deploy_replicas(d) == 0) return -spec;
    long deploy_replicas = ck_deploy_replicas(d) + ck_deploy_max_surge(d);
    const char *ann = annotation(rs, CK_ANN_MAX_REPLICAS);
    char *end = NULL;
    long annotated = ann ? strtol(ann, &end, 10) : 0;
    if (!ann || *end) annotated = (long)ck_json_int(d, "status.replicas", 0);
    if (annotated == 0) return 0;
    double size = (double)(spec * deploy_replicas) / (double)annotated;
    return (long)round(size) - spec;
}

long ck_deploy_proportion(const json_t *rs, const json_t *d, long to_add, long added)
{
    if (!rs || ck_json_int(rs, "spec.replicas", 1) == 0 || to_add == 0 || to_add == added) return 0;
    long f = rs_fraction(rs, d), allowed = to_add - added;
    if (to_add > 0) return f < allowed ? f : allowed;
    return f > allowed ? f : allowed;
}
