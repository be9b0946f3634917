/* flags.c: cobra/pflag-style flag parsing for the agnhost subcommands
 * (--port=5000 or --port 5000), and Go's log line format. */
#define _GNU_SOURCE
#include "agnhost.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const ag_flag *find_flag(const ag_flag *flags, const char *name, size_t n)
{
    for (const ag_flag *f = flags; f->name; f++)
        if (strlen(f->name) == n && strncmp(f->name, name, n) == 0) return f;
    return NULL;
}

static int set_flag(const ag_flag *f, char *val, char *err, size_t errlen)
{
    if (f->type == AG_FLAG_STR) {
        *(char **)f->ptr = val;
        return 0;
    }
    char *end;
    long v = strtol(val, &end, 10);
    if (!*val || *end)
        return snprintf(err, errlen, "invalid argument \"%s\" for \"--%s\" flag: strconv.ParseInt: parsing \"%s\": "
                        "invalid syntax", val, f->name, val), -1;
    *(int *)f->ptr = (int)v;
    return 0;
}

int ag_flags_parse(int argc, char **argv, const ag_flag *flags, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) return snprintf(err, errlen, "unknown command \"%s\"", a), -1;
        char *name = a + 2, *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        const ag_flag *f = find_flag(flags, name, n);
        if (!f) return snprintf(err, errlen, "unknown flag: --%.*s", (int)n, name), -1;
        char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!val) return snprintf(err, errlen, "flag needs an argument: --%s", f->name), -1;
        if (set_flag(f, val, err, errlen) < 0) return -1;
    }
    return 0;
}

void ag_log(const char *fmt, ...)
{
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(ts, sizeof ts, "%Y/%m/%d %H:%M:%S", localtime_r(&now, &tm));
    va_list ap;
    va_start(ap, fmt);
    flockfile(stderr);
    fprintf(stderr, "%s ", ts);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
    va_end(ap);
}

void ag_go_duration(double s, char *out, size_t outlen)
{
    long h = (long)(s / 3600), m = (long)((s - h * 3600) / 60);
    double sec = s - h * 3600 - m * 60;
    char secs[32];
    snprintf(secs, sizeof secs, "%.9f", sec);
    char *p = secs + strlen(secs) - 1; /* Go prints no trailing zeros */
    while (*p == '0') *p-- = 0;
    if (*p == '.') *p = 0;
    if (h) snprintf(out, outlen, "%ldh%ldm%ss", h, m, secs);
    else if (m) snprintf(out, outlen, "%ldm%ss", m, secs);
    else snprintf(out, outlen, "%ss", secs);
}
