/* store.c: the backend-independent part of the storage interface: freeing
 * kvs, naming result codes, and opening a backend from a spec string such as
 * "etcd3:http://127.0.0.1:2379" or "memory:1000" (the apiserver's
 * --etcd-servers / --storage-backend flags end up here). */
#include "store/store.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ck_kv_free(ck_kv *kv)
{
    if (!kv) return;
    free(kv->key);
    free(kv->value);
    memset(kv, 0, sizeof *kv);
}

void ck_kvs_free(ck_kv *kvs, size_t n)
{
    if (!kvs) return;
    for (size_t i = 0; i < n; i++) ck_kv_free(&kvs[i]);
    free(kvs);
}

const char *ck_store_rc_string(ck_store_rc rc)
{
    static const char *const names[] = {
        [CK_STORE_OK] = "OK",
        [CK_STORE_NOT_FOUND] = "NotFound",
        [CK_STORE_EXISTS] = "Exists",
        [CK_STORE_CONFLICT] = "Conflict",
        [CK_STORE_COMPACTED] = "Compacted",
        [CK_STORE_UNAVAILABLE] = "Unavailable",
        [CK_STORE_ERROR] = "Error",
    };
    if ((unsigned)rc < sizeof names / sizeof names[0] && names[rc]) return names[rc];
    return "Unknown";
}

/* "memory" or "memory:<history>". */
static ck_store *open_memory(const char *arg, char *err, size_t errlen)
{
    size_t history = 0; /* backend default */
    if (arg) {
        char *end;
        errno = 0;
        unsigned long long h = strtoull(arg, &end, 10);
        if (errno || end == arg || *end || h == 0) {
            snprintf(err, errlen, "store: invalid memory history \"%s\"", arg);
            return NULL;
        }
        history = (size_t)h;
    }
    ck_store *s = ck_store_memory_new(history);
    if (!s) snprintf(err, errlen, "store: out of memory");
    return s;
}

ck_store *ck_store_open(const char *spec, char *err, size_t errlen)
{
    if (!spec || !*spec) {
        snprintf(err, errlen, "store: empty backend spec");
        return NULL;
    }
    const char *colon = strchr(spec, ':');
    size_t name_len = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *arg = colon ? colon + 1 : NULL;
    if (name_len == 6 && !strncmp(spec, "memory", 6)) return open_memory(arg, err, errlen);
    if (name_len == 5 && !strncmp(spec, "etcd3", 5)) {
        if (!arg || !*arg) {
            snprintf(err, errlen, "store: etcd3 needs endpoints (etcd3:http://127.0.0.1:2379)");
            return NULL;
        }
        return ck_store_etcd3_new(arg, err, errlen);
    }
    snprintf(err, errlen, "store: unknown backend %.*s (want etcd3:<urls> or memory[:<history>])",
             (int)name_len, spec);
    return NULL;
}
