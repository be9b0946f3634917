/* timeutil.c: RFC 3339 formatting/parsing and a monotonic clock. */
#define _GNU_SOURCE
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

char *ck_time_format(time_t t, char *out)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, CK_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

char *ck_time_now(char *out) { return ck_time_format(time(NULL), out); }

char *ck_microtime_now(char *out)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, CK_TIME_LEN, "%s.%06ldZ", base, (long)tv.tv_usec);
    return out;
}

time_t ck_time_parse(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *rest = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!rest) return -1;
    if (*rest == '.') {
        rest++;
        while (*rest >= '0' && *rest <= '9') rest++;
    }
    long off = 0;
    if (*rest == 'Z' || *rest == 'z') {
        rest++;
    } else if (*rest == '+' || *rest == '-') {
        int hh, mm;
        if (sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2) return -1;
        off = (hh * 3600L + mm * 60L) * (*rest == '+' ? 1 : -1);
        rest += 6;
    } else {
        return -1;
    }
    if (*rest) return -1;
    return timegm(&tm) - off;
}

int64_t ck_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
