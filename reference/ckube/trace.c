/* trace.c: `ckube trace KIND/NAME`: reads the apiserver's audit log and
 * prints the timeline of one object: each write that touched it (who, when,
 * what changed) and each Event that names it. See trace.h for the flags. */
#include "ckube/trace.h"
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "api/kinds.h"
#include "util/ckjson.h"
#include "util/timeutil.h"

#define NOTE_INDENT 61 /* change lines start under the WHAT column */
#define CHANGE_LINES 24 /* per step; more are summarised as "... N more" */

struct ck_trace {
    ck_trace_target t;
    FILE *out;
    bool with_events;
    json_t *state;     /* last version of the object seen (owned), NULL before create */
    size_t steps;
    long long first_us, last_us;
};

/* ---- target ------------------------------------------------------------- */

static bool kind_matches(const ck_kind *k, const char *word, const char *group)
{
    if (group && strcmp(k->group, group) != 0) return false;
    if (strcasecmp(k->resource, word) == 0 || strcasecmp(k->singular, word) == 0 ||
        strcasecmp(k->kind, word) == 0)
        return true;
    for (const char *const *s = k->short_names; s && *s; s++)
        if (strcasecmp(*s, word) == 0) return true;
    return false;
}

int ck_trace_parse_target(const char *arg, const char *ns, ck_trace_target *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    const char *slash = strchr(arg, '/');
    if (!slash || slash == arg || !slash[1] || strchr(slash + 1, '/')) {
        snprintf(err, errlen, "want KIND/NAME (e.g. pod/web-1, deploy/web), got \"%s\"", arg);
        return -1;
    }
    char word[128] = "", *group = NULL;
    snprintf(word, sizeof word, "%.*s", (int)(slash - arg), arg);
    /* "replicasets.apps" or "deployments.v1.apps": resource[.version].group */
    char *dot = strchr(word, '.');
    if (dot) {
        *dot = 0;
        group = dot + 1;
        char *dot2 = strchr(group, '.');
        if (group[0] == 'v' && dot2) group = dot2 + 1;
        else if (group[0] == 'v' && !dot2 && group[1] >= '0' && group[1] <= '9') group = "";
    }
    const ck_kind *k = NULL;
    for (size_t i = 0; i < ck_kinds_count && !k; i++)
        if (kind_matches(&ck_kinds[i], word, group)) k = &ck_kinds[i];
    if (!k) {
        snprintf(err, errlen, "the server doesn't have a resource type \"%.*s\"", (int)(slash - arg), arg);
        return -1;
    }
    snprintf(t->group, sizeof t->group, "%s", k->group);
    snprintf(t->resource, sizeof t->resource, "%s", k->resource);
    snprintf(t->kind, sizeof t->kind, "%s", k->kind);
    snprintf(t->name, sizeof t->name, "%s", slash + 1);
    t->namespaced = k->namespaced;
    if (k->namespaced) snprintf(t->ns, sizeof t->ns, "%s", ns && *ns ? ns : "default");
    return 0;
}

/* ---- small formatters ------------------------------------------------- */

char *ck_trace_duration(long long us, char *out, size_t n)
{
    const char *sign = us < 0 ? "-" : "";
    if (us < 0) us = -us;
    if (us < 1000) snprintf(out, n, "%s%lldus", sign, us);
    else if (us < 10 * 1000) snprintf(out, n, "%s%.1fms", sign, us / 1000.0);
    else if (us < 1000 * 1000) snprintf(out, n, "%s%lldms", sign, us / 1000);
    else if (us < 60LL * 1000 * 1000) snprintf(out, n, "%s%.3fs", sign, us / 1e6);
    else snprintf(out, n, "%s%lldm%04.1fs", sign, us / 60000000LL, (us % 60000000LL) / 1e6);
    return out;
}

long long ck_trace_parse_microtime(const char *s)
{
    if (!s) return -1;
    time_t sec = ck_time_parse(s);
    if (sec < 0) return -1;
    long long us = 0;
    const char *frac = strchr(s, '.');
    if (frac) {
        int digits = 0;
        for (frac++; *frac >= '0' && *frac <= '9'; frac++)
            if (digits < 6) { us = us * 10 + (*frac - '0'); digits++; }
        for (; digits < 6; digits++) us *= 10;
    }
    return (long long)sec * 1000000LL + us;
}

void ck_trace_writer(const char *ua, char *out, size_t n)
{
    if (!ua || !*ua) { snprintf(out, n, "(no user agent)"); return; }
    size_t len = strcspn(ua, "/ ");
    snprintf(out, n, "%.*s", (int)len, ua);
}

/* ---- the timeline --------------------------------------------------- */

ck_trace *ck_trace_new(const ck_trace_target *t, FILE *out, bool with_events)
{
    ck_trace *tr = calloc(1, sizeof *tr);
    if (!tr) return NULL;
    tr->t = *t;
    tr->out = out;
    tr->with_events = with_events;
    return tr;
}

void ck_trace_free(ck_trace *tr)
{
    if (!tr) return;
    json_decref(tr->state);
    free(tr);
}

size_t ck_trace_steps(const ck_trace *tr) { return tr->steps; }

static bool is_write(const char *verb)
{
    static const char *const writes[] = {"create", "update", "patch", "delete", "deletecollection", NULL};
    for (const char *const *w = writes; *w; w++)
        if (strcmp(*w, verb) == 0) return true;
    return false;
}

/* Does this write touch our object? (create carries the name only in the
 * object; deletecollection in the list it returns.) */
static bool touches(const ck_trace *tr, const json_t *ev, const char *verb)
{
    const json_t *ref = json_object_get(ev, "objectRef");
    if (strcmp(ck_json_str(ref, "resource", ""), tr->t.resource) != 0 ||
        strcmp(ck_json_str(ref, "apiGroup", ""), tr->t.group) != 0 ||
        strcmp(ck_json_str(ref, "namespace", ""), tr->t.ns) != 0)
        return false;
    const char *name = ck_json_str(ref, "name", NULL);
    if (!name) name = ck_json_str(ev, "responseObject.metadata.name", NULL);
    if (!name && strcmp(verb, "create") == 0) name = ck_json_str(ev, "requestObject.metadata.name", NULL);
    if (name) return strcmp(name, tr->t.name) == 0;
    if (strcmp(verb, "deletecollection") != 0) return false;
    size_t i;
    json_t *item;
    json_array_foreach(ck_json_path(ev, "responseObject.items"), i, item)
        if (strcmp(ck_json_str(item, "metadata.name", ""), tr->t.name) == 0) return true;
    return false;
}

/* An Event (core/v1 involvedObject or events.k8s.io/v1 regarding) about us? */
static const json_t *event_about(const ck_trace *tr, const json_t *ev)
{
    const json_t *ref = json_object_get(ev, "objectRef");
    if (strcmp(ck_json_str(ref, "resource", ""), "events") != 0) return NULL;
    const json_t *obj = json_object_get(ev, "responseObject");
    if (!obj || strcmp(ck_json_str(obj, "kind", ""), "Status") == 0) obj = json_object_get(ev, "requestObject");
    const json_t *about = json_object_get(obj, "involvedObject");
    if (!about) about = json_object_get(obj, "regarding");
    if (!about || strcmp(ck_json_str(about, "kind", ""), tr->t.kind) != 0 ||
        strcmp(ck_json_str(about, "name", ""), tr->t.name) != 0 ||
        strcmp(ck_json_str(about, "namespace", ""), tr->t.ns) != 0)
        return NULL;
    return obj;
}

static void print_header(ck_trace *tr)
{
    fprintf(tr->out, "%s %s%s%s\n", tr->t.kind, tr->t.ns, tr->t.namespaced ? "/" : "", tr->t.name);
    fprintf(tr->out, "%-4s %-12s %-8s %-8s %-24s %s\n", "STEP", "TIME(UTC)", "+PREV", "+START", "WHO", "WHAT");
}

/* One timeline row: step, time, durations, writer, what. */
static void print_row(ck_trace *tr, long long at_us, const char *who, const char *what)
{
    if (tr->steps == 0) {
        print_header(tr);
        tr->first_us = tr->last_us = at_us;
    }
    char clock[32] = "?", prev[24], start[24];
    if (at_us >= 0) {
        time_t s = (time_t)(at_us / 1000000);
        struct tm tm;
        gmtime_r(&s, &tm);
        char hms[16];
        strftime(hms, sizeof hms, "%H:%M:%S", &tm);
        snprintf(clock, sizeof clock, "%s.%03lld", hms, (at_us % 1000000) / 1000);
    }
    if (tr->steps == 0) snprintf(prev, sizeof prev, "-");
    else ck_trace_duration(at_us - tr->last_us, prev, sizeof prev);
    ck_trace_duration(at_us - tr->first_us, start, sizeof start);
    tr->steps++;
    fprintf(tr->out, "%-4zu %-12s %-8s %-8s %-24s %s\n", tr->steps, clock, prev, start, who, what);
    tr->last_us = at_us;
}

static void print_lines(ck_trace *tr, const json_t *lines)
{
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) fprintf(tr->out, "%*s- %s\n", NOTE_INDENT, "", json_string_value(l));
}

static void print_note(ck_trace *tr, const char *text)
{
    fprintf(tr->out, "%*s- %s\n", NOTE_INDENT, "", text);
}

static void step_event(ck_trace *tr, const json_t *ev, const json_t *obj, long long at, const char *writer)
{
    const char *who = ck_json_str(obj, "source.component", NULL);
    if (!who || !*who) who = ck_json_str(obj, "reportingController", NULL);
    if (!who || !*who) who = ck_json_str(obj, "reportingComponent", writer);
    long long count = ck_json_int(obj, "count", ck_json_int(obj, "series.count", 1));
    char what[512];
    int len = snprintf(what, sizeof what, "Event %s %s", ck_json_str(obj, "type", "Normal"),
                       ck_json_str(obj, "reason", "?"));
    if (count > 1 && len > 0 && (size_t)len < sizeof what) snprintf(what + len, sizeof what - len, " (x%lld)", count);
    print_row(tr, at, who, what);
    const char *msg = ck_json_str(obj, "message", ck_json_str(obj, "note", ""));
    if (*msg) print_note(tr, msg);
}

/* What a write did to the object, as change lines; updates tr->state. */
static void step_write(ck_trace *tr, const json_t *ev, const char *verb, long long at, const char *writer)
{
    const char *sub = ck_json_str(ev, "objectRef.subresource", "");
    int code = (int)ck_json_int(ev, "responseStatus.code", 0);
    const json_t *resp = json_object_get(ev, "responseObject");
    bool resp_is_obj = resp && strcmp(ck_json_str(resp, "kind", ""), tr->t.kind) == 0;
    char what[256];
    snprintf(what, sizeof what, "%s %s%s%s (%d)", verb, tr->t.resource, *sub ? "/" : "", sub, code);
    print_row(tr, at, writer, what);
    if (code >= 300) {
        char msg[400];
        snprintf(msg, sizeof msg, "failed: %s: %s (nothing changed)", ck_json_str(resp, "reason", "?"),
                 ck_json_str(resp, "message", ""));
        print_note(tr, msg);
        return;
    }
    if (strcmp(sub, "binding") == 0) {
        /* pods/binding answers a Status; the Binding's target is the node. */
        const char *node = ck_json_str(ev, "requestObject.target.name", "?");
        char msg[300];
        snprintf(msg, sizeof msg, "spec.nodeName: set to %s (scheduled)", node);
        print_note(tr, msg);
        if (tr->state) ck_json_set(tr->state, "spec.nodeName", json_string(node));
        return;
    }
    if (strcmp(verb, "delete") == 0 || strcmp(verb, "deletecollection") == 0) {
        /* Gone unless the answer is the object still waiting out its grace
         * period or finalizers; DeleteOptions.gracePeriodSeconds=0 (the
         * kubelet's final delete) removes it now (registry/rest/delete.go). */
        const char *uri = ck_json_str(ev, "requestURI", "");
        bool now = ck_json_int(ev, "requestObject.gracePeriodSeconds", -1) == 0 ||
                   strstr(uri, "gracePeriodSeconds=0") != NULL;
        bool gone = !resp_is_obj || !ck_json_path(resp, "metadata.deletionTimestamp") ||
                    ((now || ck_json_int(resp, "metadata.deletionGracePeriodSeconds", -1) == 0) &&
                     json_array_size(ck_json_path(resp, "metadata.finalizers")) == 0);
        if (gone) {
            print_note(tr, "deleted: removed from storage");
            json_decref(tr->state);
            tr->state = NULL;
            return;
        }
        char msg[128];
        snprintf(msg, sizeof msg, "deletion requested (grace period %llds)",
                 ck_json_int(resp, "metadata.deletionGracePeriodSeconds", 0));
        print_note(tr, msg);
    }
    if (!resp_is_obj) return;
    bool create = strcmp(verb, "create") == 0;
    json_t *lines = ck_trace_changes(create ? NULL : tr->state, resp, CHANGE_LINES);
    if (!create && !tr->state) print_note(tr, "(first version seen in this log: no earlier state to compare)");
    else if (lines && json_array_size(lines) == 0) print_note(tr, "no change");
    else print_lines(tr, lines);
    json_decref(lines);
    json_decref(tr->state);
    tr->state = json_deep_copy(resp);
}

int ck_trace_feed(ck_trace *tr, const char *line)
{
    json_t *ev = json_loads(line, JSON_DECODE_ANY, NULL);
    if (!json_is_object(ev) || strcmp(ck_json_str(ev, "kind", ""), "Event") != 0 ||
        strncmp(ck_json_str(ev, "apiVersion", ""), "audit.k8s.io/", 13) != 0) {
        json_decref(ev);
        return -1;
    }
    int rc = 0;
    const char *verb = ck_json_str(ev, "verb", "");
    if (!is_write(verb) || strcmp(ck_json_str(ev, "stage", "ResponseComplete"), "ResponseComplete") != 0) goto out;
    long long at = ck_trace_parse_microtime(ck_json_str(ev, "stageTimestamp", NULL));
    if (at < 0) at = ck_trace_parse_microtime(ck_json_str(ev, "requestReceivedTimestamp", NULL));
    char writer[64];
    ck_trace_writer(ck_json_str(ev, "userAgent", ""), writer, sizeof writer);
    const json_t *about;
    if (touches(tr, ev, verb)) {
        step_write(tr, ev, verb, at, writer);
        rc = 1;
    } else if (tr->with_events && (about = event_about(tr, ev)) && ck_json_int(ev, "responseStatus.code", 0) < 300) {
        step_event(tr, ev, about, at, writer);
        rc = 1;
    }
out:
    json_decref(ev);
    return rc;
}

void ck_trace_finish(ck_trace *tr)
{
    char span[24];
    if (tr->steps == 0) {
        fprintf(tr->out, "no writes or events for %s %s%s%s in the audit log\n", tr->t.kind, tr->t.ns,
                tr->t.namespaced ? "/" : "", tr->t.name);
        return;
    }
    fprintf(tr->out, "%zu step%s over %s%s\n", tr->steps, tr->steps == 1 ? "" : "s",
            ck_trace_duration(tr->last_us - tr->first_us, span, sizeof span),
            tr->state ? "" : " (the object no longer exists)");
}

/* ---- the command ---------------------------------------------------- */

static volatile sig_atomic_t stopping;
static void on_signal(int s) { stopping = s; }

static void usage(FILE *f)
{
    fprintf(f, "usage: ckube trace KIND/NAME [-n NS] [--dir D | --audit-log FILE] [--follow] [--no-events]\n"
               "  the life of one object from the apiserver's audit log: each write (who, when,\n"
               "  what changed) and each Event that names it. KIND: pod, po, deploy, rs, node...\n");
}

/* Feeds every complete line of path; with follow, waits for more until a signal. */
static int read_log(ck_trace *tr, const char *path, bool follow)
{
    FILE *f = fopen(path, "r");
    while (!f && follow && !stopping && errno == ENOENT) {
        usleep(200 * 1000);
        f = fopen(path, "r");
    }
    if (!f) {
        fprintf(stderr, "ckube trace: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    for (;;) {
        long pos = ftell(f);
        ssize_t n = getline(&line, &cap, f);
        if (n > 0 && line[n - 1] == '\n') {
            ck_trace_feed(tr, line);
            continue;
        }
        if (!follow) {
            if (n > 0) ck_trace_feed(tr, line); /* last line without '\n' */
            break;
        }
        /* A partial line is still being written: read it again whole later. */
        fseek(f, pos, SEEK_SET);
        clearerr(f);
        fflush(tr->out);
        if (stopping) break;
        usleep(200 * 1000);
    }
    free(line);
    fclose(f);
    return 0;
}

int ck_trace_main(int argc, char **argv)
{
    static const struct option opts[] = {{"namespace", 1, 0, 'n'}, {"dir", 1, 0, 'd'},  {"audit-log", 1, 0, 'a'},
                                         {"follow", 0, 0, 'f'},    {"no-events", 0, 0, 'E'}, {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *ns = NULL, *dir = getenv("CKUBE_DIR"), *log = NULL;
    bool follow = false, events = true;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "n:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'n': ns = optarg; break;
        case 'd': dir = optarg; break;
        case 'a': log = optarg; break;
        case 'f': follow = true; break;
        case 'E': events = false; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) { usage(stderr); return 2; }
    char err[256], path[4200];
    ck_trace_target t;
    if (ck_trace_parse_target(argv[optind], ns, &t, err, sizeof err) < 0) {
        fprintf(stderr, "ckube trace: %s\n", err);
        return 2;
    }
    if (!log && !dir) {
        fprintf(stderr, "ckube trace: say where the audit log is: --dir D (of `ckube up --dir D`) or --audit-log FILE\n");
        return 2;
    }
    if (!log) {
        snprintf(path, sizeof path, "%s/audit.log", dir);
        log = path;
    }
    ck_trace *tr = ck_trace_new(&t, stdout, events);
    if (!tr) { fprintf(stderr, "ckube trace: out of memory\n"); return 1; }
    struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int rc = read_log(tr, log, follow);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc == 0) ck_trace_finish(tr);
    rc = rc < 0 ? 1 : ck_trace_steps(tr) ? 0 : 1;
    ck_trace_free(tr);
    return rc;
}
