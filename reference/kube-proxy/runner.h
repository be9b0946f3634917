/* runner.h: upstream's BoundedFrequencyRunner (pkg/util/async): run() asks
 * for a sync; the function runs at most once per min interval (bursts of
 * events coalesce), at least once per max interval, and again after
 * retry_ms when it reports failure. One background thread. */
#ifndef CK_PROXY_RUNNER_H
#define CK_PROXY_RUNNER_H

typedef struct ck_runner ck_runner; /* opaque; ck_runner_run is thread-safe */

/* fn returns 0 on success, -1 to be retried after retry_ms. NULL on OOM. */
ck_runner *ck_runner_new(int (*fn)(void *ud), void *ud, long min_interval_ms,
                         long max_interval_ms, long retry_ms);
/* Starts the thread (the first run happens only when requested or after
 * max_interval_ms). 0, or -1. */
int ck_runner_start(ck_runner *r);
/* Requests a run as soon as the min interval allows. */
void ck_runner_run(ck_runner *r);
/* Number of completed runs of fn (for tests and logs). */
long ck_runner_runs(ck_runner *r);
/* Stops and joins the thread (waits for a run in progress), then frees. */
void ck_runner_free(ck_runner *r);
#endif
