/* logs.h: container logs in the CRI log format (one line per chunk:
 * "<RFC3339Nano> <stdout|stderr> <F|P> <message>") - written by the runtime's
 * shim as containerd's cri/io/logger.go, read back with PodLogOptions as
 * pkg/kubelet/kuberuntime/logs/logs.go ReadLogs, served by the kubelet. */
#ifndef CK_KUBELET_LOGS_H
#define CK_KUBELET_LOGS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* containerd's default max_container_log_line_size: longer lines become P chunks. */
#define CK_LOG_MAX_LINE 16384
/* "2026-11-25T14:35:33.123456789Z" (fixed width, as RFC3339NanoFixed) + NUL. */
#define CK_LOG_TIME_LEN 31
/* The room a line header ("<time> stderr P ") needs. */
#define CK_LOG_HDR_LEN 48

/* ---- the format ---------------------------------------------------------- */

/* Writes the fixed-width UTC time of ts_ns (ns since the epoch) into out
 * (>= CK_LOG_TIME_LEN); returns its length (30). Async-signal-safe: the
 * runtime's shim calls it after fork. */
size_t ck_log_time_format(char *out, int64_t ts_ns);
/* Parses RFC 3339 with an optional fraction of up to 9 digits and "Z" or
 * "+hh:mm" (time.RFC3339Nano); 0, or -1 when s[0..n) is not one. */
int ck_log_time_parse(const char *s, size_t n, int64_t *ts_ns);
/* "<time> <stdout|stderr> <F|P> " into out (>= CK_LOG_HDR_LEN); its length.
 * Async-signal-safe. */
size_t ck_log_header(char *out, int64_t ts_ns, bool is_stderr, bool partial);

typedef struct ck_log_line {
    int64_t ts_ns;
    bool is_stderr, partial;
    const char *msg;  /* points into the parsed input, not NUL-terminated */
    size_t len;       /* a full line keeps its '\n'; a partial one loses it (parseCRILog) */
} ck_log_line;
/* Parses one file line (with its '\n', if any) as parseCRILog; 0 or -1. */
int ck_log_parse(const char *line, size_t n, ck_log_line *out);

/* ---- writing (containerd's redirectLogs) -------------------------------- */

/* Turns what a container writes on stdout (stream 0) and stderr (1) into
 * CRI lines on log_fd: a line per '\n' (F), a P chunk every CK_LOG_MAX_LINE
 * bytes without one and for what is left at EOF; each line is one write()
 * (log_fd is O_APPEND). Async-signal-safe, no allocation: the shim uses a
 * static one after fork. */
typedef struct ck_log_writer {
    int log_fd;
    size_t len[2];
    char buf[2][CK_LOG_MAX_LINE];
    char line[CK_LOG_HDR_LEN + CK_LOG_MAX_LINE + 1];
} ck_log_writer;
void ck_log_writer_feed(ck_log_writer *w, int stream, const char *data, size_t n, int64_t now_ns);
/* The stream ended: what is left becomes a P line. */
void ck_log_writer_flush(ck_log_writer *w, int stream, int64_t now_ns);

/* ---- reading (ReadLogs) --------------------------------------------------- */

typedef struct ck_log_options {
    int64_t tail_lines;   /* -1: all */
    int64_t limit_bytes;  /* -1: no limit */
    int64_t since_ns;     /* 0: from the start */
    bool follow, timestamps, previous;
} ck_log_options;

/* PodLogOptions from query parameters (get returns NULL for an absent key),
 * sinceSeconds relative to now_ns, as NewLogOptions. Returns 0; -1 with a
 * message when a value does not parse (400); -2 when it parses but
 * ValidatePodLogOptions rejects it (422). */
typedef const char *(*ck_log_query_fn)(void *cls, const char *key);
int ck_log_options_parse(ck_log_query_fn get, void *cls, int64_t now_ns, ck_log_options *o, char *err,
                         size_t errlen);

/* Called at the end of the file while following: sleeps up to ~100 ms (or
 * until something happens) and returns 1 while the container runs, 0 once
 * it no longer does (the reader drains the file and ends), -1 to stop now
 * (the client went away). */
typedef int (*ck_log_wait_fn)(void *cls);

typedef struct ck_log_reader ck_log_reader;
/* Opens path for reading with o; wait is used only when o->follow. NULL on
 * error (message in err). The caller owns the reader: ck_log_reader_close. */
ck_log_reader *ck_log_reader_open(const char *path, const ck_log_options *o, ck_log_wait_fn wait, void *cls,
                                  char *err, size_t errlen);
/* Up to max bytes of output into buf: > 0 bytes, 0 at the end, -1 on a
 * read error. Blocks (through wait) while following. */
ssize_t ck_log_reader_read(ck_log_reader *r, char *buf, size_t max);
void ck_log_reader_close(ck_log_reader *r);

/* The messages of the last `lines` lines, at most `limit` bytes, into out
 * (NUL-terminated, truncated to outlen - 1): the FallbackToLogsOnError
 * termination message (kuberuntime_container.go reads 80 lines / 2048 bytes).
 * Returns the length; 0 when the file is missing. */
size_t ck_log_tail_text(const char *path, int64_t lines, int64_t limit, char *out, size_t outlen);

/* ---- serving -------------------------------------------------------------- */
struct ck_kubelet;
struct MHD_Connection;
/* GET /containerLogs/<ns>/<pod>/<container>: queues the (streamed) reply. */
int ck_logs_serve(struct ck_kubelet *k, struct MHD_Connection *c, const char *ns, const char *pod,
                  const char *ctr);
#endif
