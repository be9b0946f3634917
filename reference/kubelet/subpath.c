/* subpath.c: volumeMounts[].subPath / subPathExpr as the kubelet's makeMounts
 * resolves them (pkg/kubelet/kubelet_pods.go): subPathExpr expanded from the
 * container env (kubecontainer/helpers.go ExpandContainerVolumeMounts), the
 * absolute-path and '..' checks, and the subpath directory inside the volume. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kubelet/env.h"
#include "kubelet/subpath.h"
#include "util/ckjson.h"

/* The mapping of ExpandContainerVolumeMounts: a value, or "" with the name
 * recorded as missing when it is undefined or empty. */
typedef struct expand_ctx {
    char *const *env;
    json_t *missing; /* name -> true: a set, sorted when reported */
} expand_ctx;

static const char *lookup(void *ud, const char *name, size_t len)
{
    expand_ctx *x = ud;
    for (size_t i = 0; x->env && x->env[i]; i++)
        if (strncmp(x->env[i], name, len) == 0 && x->env[i][len] == '=') {
            if (x->env[i][len + 1]) return x->env[i] + len + 1;
            break;
        }
    json_object_set_new(x->missing, strndupa(name, len), json_true());
    return "";
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "missing value for A, B" with the names sorted (sets.List). */
static void missing_message(json_t *missing, char *err, size_t errlen)
{
    size_t n = json_object_size(missing), i = 0, off;
    const char **names = calloc(n ? n : 1, sizeof *names), *key;
    json_t *v;
    if (!names) {
        snprintf(err, errlen, "out of memory");
        return;
    }
    json_object_foreach(missing, key, v) names[i++] = key;
    qsort(names, n, sizeof *names, cmp_str);
    off = (size_t)snprintf(err, errlen, "missing value for ");
    for (i = 0; i < n && off < errlen; i++)
        off += (size_t)snprintf(err + off, errlen - off, "%s%s", i ? ", " : "", names[i]);
    free(names);
}

char *ck_subpath_expand(const char *expr, char *const *env, char *err, size_t errlen)
{
    expand_ctx x = {env, json_object()};
    if (!x.missing) return snprintf(err, errlen, "out of memory"), NULL;
    char *out = ck_expansion_expand(expr, lookup, &x);
    if (!out) snprintf(err, errlen, "out of memory");
    else if (json_object_size(x.missing)) {
        missing_message(x.missing, err, errlen);
        free(out);
        out = NULL;
    }
    json_decref(x.missing);
    return out;
}

int ck_subpath_validate(const char *sub, char *err, size_t errlen)
{
    if (sub[0] == '/') return snprintf(err, errlen, "error SubPath `%s` must not be an absolute path", sub), -1;
    /* ValidatePathNoBacksteps: split on "/", no element may be ".." */
    for (const char *p = sub; p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return snprintf(err, errlen, "unable to provision SubPath `%s`: must not contain '..'", sub), -1;
        p = slash ? slash + 1 : NULL;
    }
    return 0;
}

char *ck_subpath_of(const json_t *vm, char *const *env, char *err, size_t errlen)
{
    const char *expr = ck_json_str(vm, "subPathExpr", "");
    char *sub = *expr ? ck_subpath_expand(expr, env, err, errlen) : strdup(ck_json_str(vm, "subPath", ""));
    if (!sub) {
        if (!*expr) snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (*sub && ck_subpath_validate(sub, err, errlen) < 0) {
        free(sub);
        return NULL;
    }
    return sub;
}

/* doSafeMakeDir, reduced: every missing component of sub under volume is
 * made with perm (chmod'ed, as upstream, so the umask does not narrow it). */
static int make_dirs(const char *volume, const char *sub, mode_t perm)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", volume, sub);
    if (n < 0 || (size_t)n >= sizeof path) return -1;
    for (char *p = path + strlen(volume) + 1;; p++) {
        if (*p != '/' && *p) continue;
        char c = *p;
        *p = 0;
        if (mkdir(path, perm) == 0) chmod(path, perm);
        else if (errno != EEXIST) return -1;
        if (!c) break;
        *p = c;
    }
    return 0;
}

int ck_subpath_prepare(const char *volume, const char *sub, const char *mount, const char *ctr, char *out,
                       size_t outlen, char *err, size_t errlen)
{
    char path[PATH_MAX], vol_real[PATH_MAX], sub_real[PATH_MAX];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/%s", volume, sub);
    if (n < 0 || (size_t)n >= sizeof path || stat(volume, &st) < 0 ||
        (lstat(path, &(struct stat){0}) < 0 && make_dirs(volume, sub, st.st_mode & 07777) < 0))
        return snprintf(err, errlen, "failed to create subPath directory for volumeMount \"%s\" of container \"%s\"",
                        mount, ctr), -1;
    /* PrepareSafeSubpath: the path, symlinks resolved, must stay inside the volume */
    size_t vl = realpath(volume, vol_real) ? strlen(vol_real) : 0;
    if (!vl || !realpath(path, sub_real) || strncmp(sub_real, vol_real, vl) != 0 ||
        (sub_real[vl] != '/' && sub_real[vl] != 0 && strcmp(vol_real, "/") != 0) ||
        (size_t)snprintf(out, outlen, "%s", sub_real) >= outlen)
        return snprintf(err, errlen, "failed to prepare subPath for volumeMount \"%s\" of container \"%s\"", mount, ctr),
               -1;
    return 0;
}
