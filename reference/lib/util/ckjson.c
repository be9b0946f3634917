/* ckjson.c: dotted-path helpers over jansson (see ckjson.h). */
#include "util/ckjson.h"
#include <stdlib.h>
#include <string.h>

json_t *ck_json_path(const json_t *root, const char *dotted)
{
    const json_t *cur = root;
    const char *p = dotted;
    char key[256];
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key || !json_is_object(cur)) return NULL;
        memcpy(key, p, n);
        key[n] = 0;
        cur = json_object_get(cur, key);
        p = dot ? dot + 1 : p + n;
    }
    return (json_t *)cur;
}

const char *ck_json_str(const json_t *root, const char *dotted, const char *dflt)
{
    json_t *v = ck_json_path(root, dotted);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

long long ck_json_int(const json_t *root, const char *dotted, long long dflt)
{
    json_t *v = ck_json_path(root, dotted);
    return json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
}

bool ck_json_bool(const json_t *root, const char *dotted, bool dflt)
{
    json_t *v = ck_json_path(root, dotted);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

json_t *ck_json_ensure_object(json_t *root, const char *dotted)
{
    json_t *cur = root;
    const char *p = dotted;
    char key[256];
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key || !json_is_object(cur)) return NULL;
        memcpy(key, p, n);
        key[n] = 0;
        json_t *next = json_object_get(cur, key);
        if (!next || json_is_null(next)) {
            next = json_object();
            if (!next || json_object_set_new(cur, key, next) != 0) return NULL;
        }
        cur = next;
        p = dot ? dot + 1 : p + n;
    }
    return json_is_object(cur) ? cur : NULL;
}

int ck_json_set(json_t *root, const char *dotted, json_t *value)
{
    const char *dot = strrchr(dotted, '.');
    json_t *parent = root;
    const char *key = dotted;
    if (dot) {
        char prefix[512];
        size_t n = (size_t)(dot - dotted);
        if (n >= sizeof prefix) { json_decref(value); return -1; }
        memcpy(prefix, dotted, n);
        prefix[n] = 0;
        parent = ck_json_ensure_object(root, prefix);
        key = dot + 1;
    }
    if (!parent || !json_is_object(parent)) { json_decref(value); return -1; }
    return json_object_set_new(parent, key, value) == 0 ? 0 : -1;
}

char *ck_json_dump(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

bool ck_json_equal(const json_t *a, const json_t *b)
{
    if (!a || !b) return a == b;
    return json_equal((json_t *)a, (json_t *)b);
}
