/* cronjob_schedule.c: cron schedules as github.com/robfig/cron/v3's
 * ParseStandard (the parser Kubernetes' CronJob uses): fields, ranges,
 * steps, names, descriptors, and SpecSchedule.Next (dom/dow OR rule). */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "controller-manager/cronjob_logic.h"
#include "controller-manager/options.h"

typedef struct bounds { unsigned min, max; const char *const *names; } bounds;
static const char *const MONTHS[] = {"", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const DOWS[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};
static const bounds FIELDS[] = {{0, 59, NULL}, {0, 23, NULL}, {1, 31, NULL}, {1, 12, MONTHS}, {0, 6, DOWS}};

/* Descriptors as robfig's parseDescriptor (fields: minute hour dom month dow). */
static const struct { const char *name, *spec; } DESCRIPTORS[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"},
};

static int parse_uint(const char *s, unsigned *out, char *err, size_t errlen)
{
    char *end;
    if (!*s || !isdigit((unsigned char)*s)) goto bad;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > 1000000) goto bad;
    *out = (unsigned)v;
    return 0;
bad:
    snprintf(err, errlen, "failed to parse int from %s", s);
    return -1;
}

static int int_or_name(const char *s, const bounds *b, unsigned *out, char *err, size_t errlen)
{
    for (unsigned i = 0; b->names && b->names[i]; i++)
        if (*b->names[i] && !strcasecmp(s, b->names[i])) { *out = i; return 0; }
    return parse_uint(s, out, err, errlen);
}

/* getRange: one comma-separated term. */
static int get_range(char *expr, const bounds *b, uint64_t *bits, char *err, size_t errlen)
{
    char whole[64];
    snprintf(whole, sizeof whole, "%s", expr);
    char *slash = strchr(expr, '/');
    if (slash && strchr(slash + 1, '/')) { snprintf(err, errlen, "too many slashes: %s", whole); return -1; }
    if (slash) *slash = 0;
    char *dash = strchr(expr, '-');
    bool single = !dash;
    unsigned start, end, step = 1;
    uint64_t extra = 0;
    if (!strcmp(expr, "*") || !strcmp(expr, "?")) {
        start = b->min;
        end = b->max;
        extra = CK_CRON_STAR_BIT;
    } else {
        if (dash && strchr(dash + 1, '-')) { snprintf(err, errlen, "too many hyphens: %s", whole); return -1; }
        if (dash) *dash = 0;
        if (int_or_name(expr, b, &start, err, errlen) < 0) return -1;
        end = start;
        if (dash && int_or_name(dash + 1, b, &end, err, errlen) < 0) return -1;
    }
    if (slash) {
        if (parse_uint(slash + 1, &step, err, errlen) < 0) return -1;
        if (single) end = b->max;  /* "N/step" means "N-max/step" */
        if (step > 1) extra = 0;
    }
    if (start < b->min) { snprintf(err, errlen, "beginning of range (%u) below minimum (%u): %s", start, b->min, whole); return -1; }
    if (end > b->max) { snprintf(err, errlen, "end of range (%u) above maximum (%u): %s", end, b->max, whole); return -1; }
    if (start > end) { snprintf(err, errlen, "beginning of range (%u) beyond end of range (%u): %s", start, end, whole); return -1; }
    if (step == 0) { snprintf(err, errlen, "step of range should be a positive number: %s", whole); return -1; }
    for (unsigned i = start; i <= end; i += step) *bits |= UINT64_C(1) << i;
    *bits |= extra;
    return 0;
}

static int get_field(char *field, const bounds *b, uint64_t *bits, char *err, size_t errlen)
{
    *bits = 0;
    char *save = NULL;
    for (char *t = strtok_r(field, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (get_range(t, b, bits, err, errlen) < 0) return -1;
    return 0;
}

static int parse_fields(const char *spec, ck_cron *out, char *err, size_t errlen)
{
    char buf[256], *f[6];
    snprintf(buf, sizeof buf, "%s", spec);
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (n == 5) { n++; break; }
        f[n++] = t;
    }
    if (n != 5) { snprintf(err, errlen, "expected exactly 5 fields, found %d: %s", n, spec); return -1; }
    uint64_t *dst[] = {&out->minute, &out->hour, &out->dom, &out->month, &out->dow};
    for (int i = 0; i < 5; i++)
        if (get_field(f[i], &FIELDS[i], dst[i], err, errlen) < 0) return -1;
    return 0;
}

int ck_cron_parse(const char *spec, ck_cron *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    while (isspace((unsigned char)*spec)) spec++;
    if (!*spec) { snprintf(err, errlen, "empty spec string"); return -1; }
    if (!strncmp(spec, "TZ=", 3) || !strncmp(spec, "CRON_TZ=", 8)) {
        /* Kubernetes validation forbids TZ in schedules (use spec.timeZone); accept only UTC */
        const char *sp = strchr(spec, ' ');
        if (!sp || strncmp(strchr(spec, '=') + 1, "UTC ", 4)) { snprintf(err, errlen, "provided bad location: %s", spec); return -1; }
        spec = sp + 1;
    }
    if (*spec != '@') return parse_fields(spec, out, err, errlen);
    for (size_t i = 0; i < sizeof DESCRIPTORS / sizeof DESCRIPTORS[0]; i++)
        if (!strcmp(spec, DESCRIPTORS[i].name)) return parse_fields(DESCRIPTORS[i].spec, out, err, errlen);
    if (!strncmp(spec, "@every ", 7)) {
        long ms = ck_cm_parse_duration(spec + 7);
        if (ms < 0) { snprintf(err, errlen, "failed to parse duration %s: invalid duration", spec); return -1; }
        out->every_s = ms < 1000 ? 1 : ms / 1000;  /* robfig: at least one second, truncated */
        return 0;
    }
    snprintf(err, errlen, "unrecognized descriptor: %s", spec);
    return -1;
}

static bool has(uint64_t bits, int v) { return (bits >> v) & 1; }

/* dayMatches: with either field "*" both must match, otherwise either. */
static bool day_matches(const ck_cron *c, const struct tm *tm)
{
    bool dom = has(c->dom, tm->tm_mday), dow = has(c->dow, tm->tm_wday);
    if ((c->dom & CK_CRON_STAR_BIT) || (c->dow & CK_CRON_STAR_BIT)) return dom && dow;
    return dom || dow;
}

time_t ck_cron_next(const ck_cron *c, time_t t)
{
    if (c->every_s > 0) return t + c->every_s;
    t = t - (t % 60 + 60) % 60 + 60;  /* next whole minute */
    struct tm tm;
    gmtime_r(&t, &tm);
    int year_limit = tm.tm_year + 5;
    while (tm.tm_year <= year_limit) {
        if (!has(c->month, tm.tm_mon + 1)) {
            tm.tm_mon++, tm.tm_mday = 1, tm.tm_hour = 0, tm.tm_min = 0;
        } else if (!day_matches(c, &tm)) {
            tm.tm_mday++, tm.tm_hour = 0, tm.tm_min = 0;
        } else if (!has(c->hour, tm.tm_hour)) {
            tm.tm_hour++, tm.tm_min = 0;
        } else if (!has(c->minute, tm.tm_min)) {
            tm.tm_min++;
        } else {
            return timegm(&tm);
        }
        time_t n = timegm(&tm);  /* normalises overflowed fields */
        gmtime_r(&n, &tm);
    }
    return 0;
}

time_t ck_cron_most_recent(const ck_cron *c, time_t earliest, time_t now, long *missed)
{
    *missed = 0;
    time_t t1 = ck_cron_next(c, earliest);
    if (!t1 || now < t1) return 0;
    time_t last = t1, t = t1;
    long n = 1;
    /* walk activations; after many, jump by the period as upstream does, then re-align */
    while ((t = ck_cron_next(c, last)) && t <= now) {
        if (++n > 100) {
            time_t gap = t - last;
            if (gap < 1) break;
            n += (long)((now - t) / gap);
            t += ((now - t) / gap) * gap;
            time_t r = ck_cron_next(c, t - 1);
            while (r && r <= now) { t = r; r = ck_cron_next(c, t); }
            last = t;
            break;
        }
        last = t;
    }
    *missed = n;
    return last;
}
