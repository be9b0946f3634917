/* filter.c: which tests run: --profile (a test runs when its profile is at or
 * below the chosen one), --focus and --skip (POSIX extended regexes matched,
 * like ginkgo's, against the id, the title and the upstream codename). */
#include "harness.h"
#include <regex.h>
#include <stdlib.h>
#include <string.h>

static int compile(const char *src, void **out, char *err, size_t errlen)
{
    regex_t *re = calloc(1, sizeof *re);
    if (!re) { snprintf(err, errlen, "out of memory"); return -1; }
    int rc = regcomp(re, src, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char msg[128];
        regerror(rc, re, msg, sizeof msg);
        snprintf(err, errlen, "bad regex '%s': %s", src, msg);
        free(re);
        return -1;
    }
    *out = re;
    return 0;
}

int ckc_filter_init(ckc_filter *f, ckc_profile p, const char *focus, const char *skip,
                    char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->profile = p;
    if (focus && *focus) {
        if (compile(focus, &f->focus, err, errlen)) return -1;
        f->has_focus = 1;
        snprintf(f->focus_src, sizeof f->focus_src, "%s", focus);
    }
    if (skip && *skip) {
        if (compile(skip, &f->skip, err, errlen)) { ckc_filter_free(f); return -1; }
        f->has_skip = 1;
        snprintf(f->skip_src, sizeof f->skip_src, "%s", skip);
    }
    return 0;
}

static int matches(void *re, const ckc_test *t)
{
    const char *fields[] = {t->id, t->title, t->upstream};
    for (size_t i = 0; i < 3; i++)
        if (fields[i] && regexec((regex_t *)re, fields[i], 0, NULL, 0) == 0) return 1;
    return 0;
}

int ckc_filter_match(const ckc_filter *f, const ckc_test *t)
{
    if (t->profile > f->profile) return 0;
    if (f->has_focus && !matches(f->focus, t)) return 0;
    if (f->has_skip && matches(f->skip, t)) return 0;
    return 1;
}

void ckc_filter_free(ckc_filter *f)
{
    if (f->focus) { regfree(f->focus); free(f->focus); }
    if (f->skip) { regfree(f->skip); free(f->skip); }
    f->focus = f->skip = NULL;
    f->has_focus = f->has_skip = 0;
}
