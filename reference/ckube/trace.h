/* trace.h: `ckube trace KIND/NAME`: the life of one object read back from
 * the apiserver's audit log (audit.k8s.io/v1 Event JSON lines, see
 * apiserver/audit.h): every API write that touched it, and every Event that
 * names it, with time, writer (from userAgent) and what changed.
 *
 * Usage (the integrator dispatches `ckube trace ...` to ck_trace_main):
 *   ckube trace KIND/NAME [-n NS] [--dir D | --audit-log FILE] [--follow]
 *     KIND/NAME      pod/web-1, po/web-1, deployment/web, deploy/web, rs/web-x,
 *                    replicasets.apps/web-x, node/n1 ... (any kind in the kinds
 *                    table, by resource, singular, kind or short name)
 *     -n, --namespace NS  namespace of a namespaced kind (default "default")
 *     --dir D        cluster directory of `ckube up --dir D` (reads D/audit.log)
 *     --audit-log F  the audit log file itself (wins over --dir)
 *     -f, --follow   keep reading as the log grows (Ctrl-C stops)
 *     --no-events    leave out Events that mention the object
 *   Without --dir/--audit-log, $CKUBE_DIR/audit.log is read.
 *   Exit: 0 when at least one step was found, 1 when none, 2 on bad usage. */
#ifndef CK_CKUBE_TRACE_H
#define CK_CKUBE_TRACE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The object being traced, resolved against the kinds table. */
typedef struct ck_trace_target {
    char group[64];      /* "" for core, "apps" ... */
    char resource[64];   /* "pods" */
    char kind[64];       /* "Pod" */
    char ns[254];        /* "" for cluster-scoped kinds */
    char name[254];
    bool namespaced;
} ck_trace_target;

/* "pod/NAME" (or "pods.v1/NAME", "deploy/NAME", "replicasets.apps/NAME")
 * plus a namespace (NULL = "default") into t. 0, or -1 with err. */
int ck_trace_parse_target(const char *arg, const char *ns, ck_trace_target *t, char *err, size_t errlen);

typedef struct ck_trace ck_trace;

/* A timeline printer for t writing to out (borrowed; must outlive the
 * trace). with_events: include Events naming the object. NULL when out of
 * memory. Free with ck_trace_free. */
ck_trace *ck_trace_new(const ck_trace_target *t, FILE *out, bool with_events);
void ck_trace_free(ck_trace *tr);
/* Feeds one audit log line (without or with its '\n'). Returns 1 when it
 * was a step of the timeline (and was printed), 0 when unrelated, -1 when
 * the line is not an audit Event (it is skipped). */
int ck_trace_feed(ck_trace *tr, const char *line);
/* Prints the closing summary line. */
void ck_trace_finish(ck_trace *tr);
/* Steps printed so far. */
size_t ck_trace_steps(const ck_trace *tr);

/* What changed between two versions of an object, one human line per change
 * ("status.phase: Pending -> Running", "spec.nodeName: set to \"n1\"",
 * "condition PodScheduled: False -> True"), at most max lines (a final
 * "... N more changes" line counts as one). Volatile bookkeeping
 * (resourceVersion, managedFields, timestamps of conditions) is skipped.
 * before may be NULL (everything is "set"). Returns a new array of strings
 * (caller json_decref's it), NULL when out of memory. */
json_t *ck_trace_changes(const json_t *before, const json_t *after, size_t max);

/* "12ms", "1.234s", "2m03.4s" into out. Returns out. */
char *ck_trace_duration(long long us, char *out, size_t n);
/* Microseconds since the epoch of an audit MicroTime
 * ("2026-11-25T11:22:07.123456Z"), or -1. */
long long ck_trace_parse_microtime(const char *s);
/* The writer's component from a userAgent: "kube-scheduler/ckube" ->
 * "kube-scheduler", "kubectl/v1.32.4 (linux/amd64) ..." -> "kubectl". */
void ck_trace_writer(const char *user_agent, char *out, size_t n);

/* The `ckube trace` command. argv[0] is "trace" (or anything); returns the
 * process exit code. */
int ck_trace_main(int argc, char **argv);
#endif
