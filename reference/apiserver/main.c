/* main.c: the kube-apiserver process: flags (upstream's names where they
 * exist), start-up (storage, watch cache, HTTP, bootstrap) and a clean stop
 * on SIGTERM/SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "apiserver/apiserver.h"
#include "apiserver/discovery.h"
#include "apiserver/registry/serviceaccount_jwt.h"
#include "util/log.h"

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig) { stop_requested = sig; }

static void usage(FILE *f)
{
    fprintf(f,
            "usage: apiserver [flags]\n"
            "  --bind-address IP                 address to listen on (127.0.0.1)\n"
            "  --port N, --secure-port N         port to listen on, 0 = any free one (6443)\n"
            "  --port-file FILE                  write the bound port here once listening\n"
            "  --etcd-servers URL                etcd client URL (http://127.0.0.1:2379)\n"
            "  --storage-backend etcd3|memory    storage backend (etcd3)\n"
            "  --service-cluster-ip-range CIDR   ClusterIP range (10.96.0.0/12)\n"
            "  --service-node-port-range A-B     NodePort range (30000-32767)\n"
            "  --advertise-address IP            address in default/kubernetes Endpoints\n"
            "  --watch-cache-size N              events kept per resource (1000)\n"
            "  --max-requests-inflight N         (400)\n"
            "  --max-mutating-requests-inflight N (200)\n"
            "  --bookmark-interval-ms N          idle time before a watch BOOKMARK (5000)\n"
            "  --audit-log-path FILE             audit.k8s.io/v1 Event JSON lines\n"
            "  --etcd-compaction-interval D      compact storage this often; continue tokens live as long\n"
            "                                    (5m; 30s, 1m30s, 0 = never)\n"
            "  --service-account-issuer URL      iss of service-account tokens (" CK_SA_DEFAULT_ISSUER ")\n"
            "  --service-account-key-file FILE   PEM key that verifies service-account tokens\n"
            "  --service-account-signing-key-file FILE  PEM private key that signs them (created when\n"
            "                                    missing, so restarts keep tokens valid; default: in memory)\n"
            "  --testing-broken-conflicts        SELF-TEST ONLY: accept stale writes (no 409)\n"
            "  -v N                              log verbosity\n");
}

static int parse_int(const char *flag, const char *v, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 0 || n > 1000000000L) {
        fprintf(stderr, "apiserver: %s: not a non-negative integer: %s\n", flag, v);
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* Go-style durations: 1h2m3s, 90s, 500ms, 0. */
static int parse_duration_ms(const char *v, int *out)
{
    long long total = 0;
    const char *p = v;
    if (strcmp(v, "0") == 0) { *out = 0; return 0; }
    while (*p) {
        char *end;
        long long n = strtoll(p, &end, 10);
        if (end == p || n < 0) return -1;
        long long unit;
        if (strncmp(end, "ms", 2) == 0) { unit = 1; end += 2; }
        else if (*end == 'h') { unit = 3600000; end++; }
        else if (*end == 'm') { unit = 60000; end++; }
        else if (*end == 's') { unit = 1000; end++; }
        else return -1;
        total += n * unit;
        if (total > 24LL * 3600000) return -1;
        p = end;
    }
    *out = (int)total;
    return 0;
}

int main(int argc, char **argv)
{
    ck_apiserver_config cfg;
    ck_apiserver_config_defaults(&cfg);
    const char *etcd = "http://127.0.0.1:2379", *backend = "etcd3", *port_file = NULL;
    const char *sa_issuer = NULL, *sa_key = NULL, *sa_signing_key = NULL;
    static const struct option opts[] = {
        {"bind-address", 1, 0, 'b'}, {"port", 1, 0, 'p'}, {"secure-port", 1, 0, 'p'},
        {"port-file", 1, 0, 'P'}, {"etcd-servers", 1, 0, 'e'}, {"storage-backend", 1, 0, 's'},
        {"service-cluster-ip-range", 1, 0, 'c'}, {"service-node-port-range", 1, 0, 'n'},
        {"advertise-address", 1, 0, 'a'}, {"watch-cache-size", 1, 0, 'w'},
        {"max-requests-inflight", 1, 0, 'i'}, {"max-mutating-requests-inflight", 1, 0, 'm'},
        {"bookmark-interval-ms", 1, 0, 'k'}, {"audit-log-path", 1, 0, 'A'},
        {"testing-broken-conflicts", 0, 0, 'X'}, {"etcd-compaction-interval", 1, 0, 'C'},
        {"service-account-issuer", 1, 0, 'I'}, {"service-account-key-file", 1, 0, 'K'},
        {"service-account-signing-key-file", 1, 0, 'S'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int c, n;
    while ((c = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': cfg.bind_address = optarg; break;
        case 'p': if (parse_int("--port", optarg, &cfg.port) < 0) return 2; break;
        case 'P': port_file = optarg; break;
        case 'e': etcd = optarg; break;
        case 's': backend = optarg; break;
        case 'c': cfg.service_cidr = optarg; break;
        case 'n':
            if (sscanf(optarg, "%d-%d", &cfg.node_port_min, &cfg.node_port_max) != 2) {
                fprintf(stderr, "apiserver: --service-node-port-range: want MIN-MAX, got %s\n", optarg);
                return 2;
            }
            break;
        case 'a': cfg.advertise_address = optarg; break;
        case 'w': if (parse_int("--watch-cache-size", optarg, &n) < 0) return 2; cfg.watch_window = (size_t)n; break;
        case 'i': if (parse_int("--max-requests-inflight", optarg, &cfg.max_inflight) < 0) return 2; break;
        case 'm': if (parse_int("--max-mutating-requests-inflight", optarg, &cfg.max_mutating_inflight) < 0) return 2; break;
        case 'k': if (parse_int("--bookmark-interval-ms", optarg, &cfg.bookmark_interval_ms) < 0) return 2; break;
        case 'A': cfg.audit_log_path = optarg; break;
        case 'X': cfg.broken_conflicts = true; break;
        case 'C':
            if (parse_duration_ms(optarg, &cfg.compaction_interval_ms) < 0) {
                fprintf(stderr, "apiserver: --etcd-compaction-interval: want a duration like 5m or 30s, got %s\n", optarg);
                return 2;
            }
            break;
        case 'I': sa_issuer = optarg; break;
        case 'K': sa_key = optarg; break;
        case 'S': sa_signing_key = optarg; break;
        case 'v': if (parse_int("-v", optarg, &ck_log_level) < 0) return 2; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "apiserver: unexpected argument: %s\n", argv[optind]);
        return 2;
    }
    char spec[512];
    if (strcmp(backend, "memory") == 0) snprintf(spec, sizeof spec, "memory");
    else if (strcmp(backend, "etcd3") == 0) snprintf(spec, sizeof spec, "etcd3:%s", etcd);
    else {
        fprintf(stderr, "apiserver: --storage-backend: want etcd3 or memory, got %s\n", backend);
        return 2;
    }
    cfg.store_spec = spec;
    char sa_err[512];
    if (ck_sa_jwt_configure(sa_issuer, sa_key, sa_signing_key, sa_err, sizeof sa_err) < 0) {
        fprintf(stderr, "apiserver: service account keys: %s\n", sa_err);
        return 1;
    }
    if (cfg.watch_window == 0) cfg.watch_window = 1000;

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    ck_apiserver s;
    char err[512] = "";
    if (ck_apiserver_init(&s, &cfg, err, sizeof err) < 0 || ck_apiserver_serve(&s, err, sizeof err) < 0 ||
        ck_bootstrap(&s, err, sizeof err) < 0) {
        fprintf(stderr, "apiserver: %s\n", err);
        ck_apiserver_free(&s);
        return 1;
    }
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (!f || fprintf(f, "%d\n", s.port) < 0 || fclose(f) != 0) {
            fprintf(stderr, "apiserver: --port-file %s: cannot write\n", port_file);
            ck_apiserver_free(&s);
            return 1;
        }
    }
    ck_info("serving on http://%s:%d (storage %s)", cfg.bind_address, s.port, s.store->ops->name);
    /* The handler may run on any thread (the others don't block the signal),
     * so pause() here might never return: poll the flag instead. */
    while (!stop_requested) usleep(100000);
    ck_info("signal %d: shutting down", (int)stop_requested);
    ck_apiserver_free(&s);
    return 0;
}
