/* fixture_runner.h: runs fixtures/valid and fixtures/invalid manifests
 * through a kind's pruning, defaulting and validation (header-only, for the
 * workload schema tests). A valid manifest must lose no field and validate
 * cleanly; an invalid one carries `# expect: <field>: <message>` lines, each
 * of which must be among its errors. Run from the repository root. */
#ifndef CK_TEST_FIXTURE_RUNNER_H
#define CK_TEST_FIXTURE_RUNNER_H
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/cktest.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "api/decode.h"
#pragma GCC diagnostic pop

#include "api/schemas/schemas.h"

/* schemas/pending_h3b.c holds weak placeholders for these symbols; naming
 * them here makes the linker take the real definitions first (until that
 * file is deleted). */
__attribute__((used)) static const void *const fx_link_anchor[] = {
    (const void *)ck_validate_pod_spec, (const void *)ck_defaults_pod_spec,
    &ck_schema_pod_spec, &ck_schema_pod_template_spec,
    &ck_schema_pod, ck_columns_pod, (const void *)ck_defaults_pod, (const void *)ck_validate_pod,
    &ck_schema_service, ck_columns_service, (const void *)ck_defaults_service, (const void *)ck_validate_service,
    &ck_schema_podtemplate, ck_columns_podtemplate, (const void *)ck_defaults_podtemplate,
    (const void *)ck_validate_podtemplate,
    &ck_schema_replicationcontroller, ck_columns_replicationcontroller,
    (const void *)ck_defaults_replicationcontroller, (const void *)ck_validate_replicationcontroller,
    &ck_schema_replicaset, ck_columns_replicaset, (const void *)ck_defaults_replicaset,
    (const void *)ck_validate_replicaset,
    &ck_schema_deployment, ck_columns_deployment, (const void *)ck_defaults_deployment,
    (const void *)ck_validate_deployment};

typedef struct fx_kind {
    const char *kind; /* "Pod" */
    ck_kind k;        /* root, defaults, validate filled in */
} fx_kind;

static char *fx_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    char chunk[4096];
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + r + 1 > cap) {
            cap = (n + r + 1) * 2;
            char *g = realloc(buf, cap);
            if (!g) { free(buf); fclose(f); return NULL; }
            buf = g;
        }
        memcpy(buf + n, chunk, r);
        n += r;
    }
    fclose(f);
    if (buf) buf[n] = 0;
    *len = n;
    return buf;
}

/* "field: message" strings of errs, one per line, into a new string. */
static char *fx_errs_text(const ck_errs *errs)
{
    size_t i;
    json_t *e;
    char *out = strdup("");
    json_array_foreach(errs->items, i, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        size_t n = strlen(out) + strlen(f ? f : "") + strlen(m ? m : "") + 4;
        char *g = realloc(out, n);
        if (!g) break;
        out = g;
        strcat(out, f ? f : "");
        strcat(out, ": ");
        strcat(out, m ? m : "");
        strcat(out, "\n");
    }
    return out;
}

/* Runs one manifest; returns the number of checks that failed. */
static int fx_run_one(const char *path, bool valid, const fx_kind *kinds)
{
    size_t len = 0;
    char *body = fx_read(path, &len);
    if (!body) { fprintf(stderr, "%s: unreadable\n", path); return 1; }
    ck_status st = {0};
    json_t *obj = ck_decode_body("application/yaml", body, len, NULL, &st);
    if (!obj) { fprintf(stderr, "%s: %s\n", path, st.message); ck_status_clear(&st); free(body); return 1; }
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    const fx_kind *fk = kinds;
    while (fk->kind && (!kind || strcmp(fk->kind, kind) != 0)) fk++;
    int bad = 0;
    if (!fk->kind) { fprintf(stderr, "%s: kind %s not handled\n", path, kind ? kind : "?"); bad++; goto out; }
    json_t *unknown = json_array();
    ck_prune_unknown(&fk->k, obj, unknown);
    if (valid && json_array_size(unknown)) {
        char *u = json_dumps(unknown, 0);
        fprintf(stderr, "%s: pruned %s\n", path, u);
        free(u);
        bad++;
    }
    json_decref(unknown);
    fk->k.defaults(obj);
    ck_errs errs = CK_ERRS_INIT;
    fk->k.validate(obj, NULL, &errs);
    char *text = fx_errs_text(&errs);
    if (valid && ck_errs_count(&errs)) { fprintf(stderr, "%s: unexpected errors:\n%s", path, text); bad++; }
    int expects = 0;
    for (char *line = strstr(body, "# expect: "); line; line = strstr(line + 1, "# expect: ")) {
        char *start = line + 10, *end = strchr(start, '\n');
        char want[1024];
        snprintf(want, sizeof want, "%.*s\n", (int)(end ? end - start : (long)strlen(start)), start);
        expects++;
        if (!strstr(text, want)) { fprintf(stderr, "%s: missing %sgot:\n%s", path, want, text); bad++; }
    }
    if (!valid && expects == 0) { fprintf(stderr, "%s: no # expect line\n", path); bad++; }
    free(text);
    ck_errs_free(&errs);
out:
    json_decref(obj);
    free(body);
    return bad;
}

/* Runs every fixture whose file name starts with one of `prefixes`
 * (NULL-terminated) from fixtures/valid and fixtures/invalid. Returns the
 * number of files run, or -1 when a directory is missing. */
static int fx_run_all(const char *const *prefixes, const fx_kind *kinds, int *failures)
{
    static const char *const dirs[] = {"fixtures/valid", "fixtures/invalid"};
    int files = 0;
    for (int d = 0; d < 2; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir) return -1;
        struct dirent *de;
        while ((de = readdir(dir))) {
            bool match = false;
            for (const char *const *p = prefixes; *p; p++)
                match |= strncmp(de->d_name, *p, strlen(*p)) == 0;
            if (!match || !strstr(de->d_name, ".yaml")) continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
            *failures += fx_run_one(path, d == 0, kinds);
            files++;
        }
        closedir(dir);
    }
    return files;
}

/* Whether errs holds exactly `field` with `message`. */
static bool fx_has(const ck_errs *errs, const char *field, const char *message)
{
    size_t i;
    json_t *e;
    json_array_foreach(errs->items, i, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        if (f && m && strcmp(f, field) == 0 && strcmp(m, message) == 0) return true;
    }
    return false;
}

/* Prints errs to stderr (for failed assertions). */
static void fx_dump(const char *what, const ck_errs *errs)
{
    char *t = fx_errs_text(errs);
    fprintf(stderr, "%s:\n%s", what, t ? t : "");
    free(t);
}
#endif
