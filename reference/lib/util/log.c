/* log.c: klog-shaped lines on stderr; one fprintf per line so that lines
 * from several threads do not interleave. */
#include "util/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int ck_log_level = CK_LOG_INFO;

void ck_log_at(int level, const char *file, int line, const char *fmt, ...)
{
    static const char tags[] = "EWIID";
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    const char *base = strrchr(file, '/');
    fprintf(stderr, "%c%02d%02d %02d:%02d:%02d.%03ld %s:%d] %s\n",
            tags[level < 0 ? 0 : level > 4 ? 4 : level], tm.tm_mon + 1, tm.tm_mday,
            tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec / 1000,
            base ? base + 1 : file, line, msg);
}
