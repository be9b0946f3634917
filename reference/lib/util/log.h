/* log.h: leveled logging to stderr, klog-style ("I1125 11:22:07.123 file:line] msg").
 * The level is process-wide, set from -v/--v flags by each main(). */
#ifndef CK_UTIL_LOG_H
#define CK_UTIL_LOG_H

enum { CK_LOG_ERROR = 0, CK_LOG_WARN = 1, CK_LOG_INFO = 2, CK_LOG_DEBUG = 4 };
extern int ck_log_level;

void ck_log_at(int level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define ck_log(level, ...) \
    do { if ((level) <= ck_log_level) ck_log_at((level), __FILE__, __LINE__, __VA_ARGS__); } while (0)
#define ck_error(...) ck_log(CK_LOG_ERROR, __VA_ARGS__)
#define ck_warn(...)  ck_log(CK_LOG_WARN, __VA_ARGS__)
#define ck_info(...)  ck_log(CK_LOG_INFO, __VA_ARGS__)
#define ck_debug(...) ck_log(CK_LOG_DEBUG, __VA_ARGS__)
#endif
