/* timeutil.h: Kubernetes' time formats (metav1.Time is RFC 3339 in UTC with
 * second precision, MicroTime with microseconds) and a monotonic clock. */
#ifndef CK_UTIL_TIMEUTIL_H
#define CK_UTIL_TIMEUTIL_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CK_TIME_LEN 32
/* "2026-11-25T11:22:07Z" into out (>= CK_TIME_LEN bytes). Returns out. */
char *ck_time_format(time_t t, char *out);
/* Now, as metav1.Time. */
char *ck_time_now(char *out);
/* Now, as metav1.MicroTime ("2026-11-25T11:22:07.123456Z"). */
char *ck_microtime_now(char *out);
/* Parses RFC 3339 (with optional fraction and Z or +hh:mm); -1 on error. */
time_t ck_time_parse(const char *s);
/* Monotonic milliseconds, for timeouts and durations. */
int64_t ck_mono_ms(void);
#endif
