/* expectations.c: per-key add/del counters plus the set of pods whose
 * deletion is expected, in a jansson object under one mutex. */
#include <pthread.h>
#include <stdlib.h>
#include "controller-manager/expectations.h"
#include <jansson.h>

struct ck_expectations {
    pthread_mutex_t mu;
    json_t *m;  /* key -> {"add": n, "del": n, "ts": t, "pods": {podkey: true}} */
};

ck_expectations *ck_expectations_new(void)
{
    ck_expectations *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->m = json_object();
    if (!e->m) { free(e); return NULL; }
    pthread_mutex_init(&e->mu, NULL);
    return e;
}

void ck_expectations_free(ck_expectations *e)
{
    if (!e) return;
    json_decref(e->m);
    pthread_mutex_destroy(&e->mu);
    free(e);
}

bool ck_expectations_satisfied(ck_expectations *e, const char *key, time_t now)
{
    pthread_mutex_lock(&e->mu);
    json_t *r = json_object_get(e->m, key);
    bool ok = !r || (json_integer_value(json_object_get(r, "add")) <= 0 &&
                     json_integer_value(json_object_get(r, "del")) <= 0) ||
              now - (time_t)json_integer_value(json_object_get(r, "ts")) > CK_EXPECTATIONS_TIMEOUT_S;
    pthread_mutex_unlock(&e->mu);
    return ok;
}

static void set_record(ck_expectations *e, const char *key, int add, int del, json_t *pods, time_t now)
{
    pthread_mutex_lock(&e->mu);
    json_object_set_new(e->m, key, json_pack("{s:i,s:i,s:I,s:o}", "add", add, "del", del, "ts", (json_int_t)now,
                                             "pods", pods ? pods : json_object()));
    pthread_mutex_unlock(&e->mu);
}

void ck_expectations_expect_creations(ck_expectations *e, const char *key, int n, time_t now)
{
    set_record(e, key, n, 0, NULL, now);
}

void ck_expectations_expect_deletions(ck_expectations *e, const char *key, const char *const *pods, int n,
                                      time_t now)
{
    json_t *set = json_object();
    for (int i = 0; set && i < n; i++) json_object_set_new(set, pods[i], json_true());
    set_record(e, key, 0, n, set, now);
}

static void bump(ck_expectations *e, const char *key, const char *field, int by)
{
    pthread_mutex_lock(&e->mu);
    json_t *r = json_object_get(e->m, key);
    if (r) json_object_set_new(r, field, json_integer(json_integer_value(json_object_get(r, field)) + by));
    pthread_mutex_unlock(&e->mu);
}

void ck_expectations_creation_observed(ck_expectations *e, const char *key) { bump(e, key, "add", -1); }

void ck_expectations_deletion_observed(ck_expectations *e, const char *key, const char *pod)
{
    pthread_mutex_lock(&e->mu);
    json_t *r = json_object_get(e->m, key);
    json_t *pods = json_object_get(r, "pods");
    if (r && json_object_get(pods, pod)) {
        json_object_del(pods, pod);
        json_object_set_new(r, "del", json_integer(json_integer_value(json_object_get(r, "del")) - 1));
    }
    pthread_mutex_unlock(&e->mu);
}

void ck_expectations_lower(ck_expectations *e, const char *key, int add, int del)
{
    bump(e, key, "add", -add);
    bump(e, key, "del", -del);
}

void ck_expectations_delete(ck_expectations *e, const char *key)
{
    pthread_mutex_lock(&e->mu);
    json_object_del(e->m, key);
    pthread_mutex_unlock(&e->mu);
}
