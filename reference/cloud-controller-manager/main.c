/* main.c: cloud-controller-manager: parses flags, opens the cloud provider
 * named by --cloud-provider, optionally wins the kube-system/cloud-controller-
 * manager Lease, starts the enabled cloud controllers and runs until
 * SIGINT/SIGTERM, then stops them and lets the provider clean up. */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/leaderelection.h"
#include "cloud-controller-manager/controllers.h"
#include "util/log.h"
#include "util/uid.h"

static const ck_ccm_controller *const CONTROLLERS[] = {
    &ck_ccm_cloud_node_controller, &ck_ccm_cloud_node_lifecycle_controller, &ck_ccm_service_controller,
    &ck_ccm_route_controller,
};
#define N_CONTROLLERS (sizeof CONTROLLERS / sizeof CONTROLLERS[0])

typedef struct options {
    const char *kubeconfig, *master, *provider, *cloud_config, *cluster_name, *cluster_cidr, *controllers, *lb_pool;
    bool leader_elect, configure_routes;
    int workers, verbosity;
    long monitor_ms, status_ms, route_ms;
} options;

static atomic_int g_stop, g_leading;
static void on_signal(int sig) { atomic_store(&g_stop, 1); }
static void on_started(void *ud) { atomic_store(&g_leading, 1); }
static void on_stopped(void *ud) { if (atomic_load(&g_leading)) atomic_store(&g_stop, 2); }

static void usage(FILE *f)
{
    char names[256];
    ck_cloud_names(names, sizeof names);
    fprintf(f, "usage: cloud-controller-manager --cloud-provider NAME [--kubeconfig FILE | --master URL]\n"
               "  [--cloud-config FILE] [--cluster-name NAME] [--cluster-cidr CIDR] [--controllers LIST]\n"
               "  [--configure-cloud-routes=true|false] [--leader-elect=true|false] [--lb-pool CIDR]\n"
               "  [--concurrent-service-syncs N] [--node-monitor-period D] [--node-status-update-frequency D]\n"
               "  [--route-reconciliation-period D] [-v N]\n"
               "providers: %s\ncontrollers: '*' or a list of", names);
    for (size_t i = 0; i < N_CONTROLLERS; i++) fprintf(f, " %s / -%s", CONTROLLERS[i]->name, CONTROLLERS[i]->name);
    fputc('\n', f);
}

/* Go durations "500ms", "5s", "2m", "1h" in ms; -1 if invalid. */
static long duration_ms(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    static const struct { const char *unit; double ms; } U[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
    for (size_t i = 0; i < sizeof U / sizeof U[0]; i++)
        if (end != s && !strcmp(end, U[i].unit) && v >= 0) return (long)(v * U[i].ms);
    return -1;
}

/* upstream IsControllerEnabled: "-name" off, "name" on, "*" the rest. */
static bool enabled(const char *list, const char *name)
{
    if (!list || !*list) return true;
    bool star = false;
    char *dup = strdup(list), *save = NULL;
    int verdict = -1;
    for (char *t = dup ? strtok_r(dup, ",", &save) : NULL; t && verdict < 0; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, name)) verdict = 1;
        else if (t[0] == '-' && !strcmp(t + 1, name)) verdict = 0;
        else if (!strcmp(t, "*")) star = true;
    }
    free(dup);
    return verdict >= 0 ? verdict == 1 : star;
}

static int parse(options *o, int argc, char **argv)
{
    *o = (options){.cluster_name = "kubernetes", .leader_elect = true, .configure_routes = true, .verbosity = 2};
    static const struct option L[] = {
        {"kubeconfig", 1, 0, 'k'}, {"master", 1, 0, 'm'}, {"cloud-provider", 1, 0, 'p'},
        {"cloud-config", 1, 0, 'c'}, {"cluster-name", 1, 0, 'n'}, {"cluster-cidr", 1, 0, 'C'},
        {"controllers", 1, 0, 'L'}, {"leader-elect", 2, 0, 'e'}, {"configure-cloud-routes", 2, 0, 'r'},
        {"concurrent-service-syncs", 1, 0, 'w'}, {"node-monitor-period", 1, 0, 'M'},
        {"node-status-update-frequency", 1, 0, 'S'}, {"route-reconciliation-period", 1, 0, 'R'},
        {"lb-pool", 1, 0, 'P'}, {"v", 1, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "v:h", L, NULL)) != -1) {
        long *dur = ch == 'M' ? &o->monitor_ms : ch == 'S' ? &o->status_ms : ch == 'R' ? &o->route_ms : NULL;
        switch (ch) {
        case 'k': o->kubeconfig = optarg; break;
        case 'm': o->master = optarg; break;
        case 'p': o->provider = optarg; break;
        case 'c': o->cloud_config = optarg; break;
        case 'n': o->cluster_name = optarg; break;
        case 'C': o->cluster_cidr = optarg; break;
        case 'L': o->controllers = optarg; break;
        case 'P': o->lb_pool = optarg; break;
        case 'e': o->leader_elect = !optarg || !strcmp(optarg, "true"); break;
        case 'r': o->configure_routes = !optarg || !strcmp(optarg, "true"); break;
        case 'w': o->workers = atoi(optarg); break;
        case 'v': o->verbosity = atoi(optarg); break;
        case 'M': case 'S': case 'R':
            if ((*dur = duration_ms(optarg)) < 0) { fprintf(stderr, "invalid duration %s\n", optarg); return -1; }
            break;
        case 'h': return 1;
        default: return -1;
        }
    }
    return optind < argc ? -1 : 0;
}

static ck_rest *connect_rest(const options *o)
{
    ck_rest_config cfg;
    char err[512] = "";
    int rc = o->kubeconfig ? ck_rest_config_from_kubeconfig(&cfg, o->kubeconfig, NULL, err, sizeof err)
                           : ck_rest_config_from_url(&cfg, o->master ? o->master : "http://127.0.0.1:8080");
    if (rc < 0) {
        fprintf(stderr, "cloud-controller-manager: %s\n", err[0] ? err : "invalid configuration");
        return NULL;
    }
    if (o->kubeconfig && o->master) {
        free(cfg.server);
        cfg.server = strdup(o->master);
    }
    ck_rest_config_set_agent(&cfg, "cloud-controller-manager");
    ck_rest *rest = ck_rest_new(&cfg, err, sizeof err);
    ck_rest_config_clear(&cfg);
    if (!rest) fprintf(stderr, "cloud-controller-manager: %s\n", err);
    return rest;
}

static int start_all(const options *o, const ck_ccm_ctx *ctx, void **handles)
{
    for (size_t i = 0; i < N_CONTROLLERS; i++) {
        const char *name = CONTROLLERS[i]->name;
        /* upstream starts the route controller only with --configure-cloud-routes */
        if (!enabled(o->controllers, name) || (!strcmp(name, "route") && !o->configure_routes)) {
            ck_info("%s controller is disabled", name);
            continue;
        }
        char err[512] = "";
        handles[i] = CONTROLLERS[i]->start(ctx, err, sizeof err);
        if (!handles[i]) ck_warn("skipping %s controller: %s", name, err);  /* upstream: "Skipping %q" */
        else ck_info("started %s controller", name);
    }
    return 0;
}

static ck_leader_elector *elect(ck_rest *rest)
{
    char host[128] = "localhost", uid[CK_UID_LEN], ident[256], err[256] = "";
    gethostname(host, sizeof host - 1);
    snprintf(ident, sizeof ident, "%s_%s", host, ck_uid_new(uid));
    ck_leader_config lc = {.lease_namespace = "kube-system", .lease_name = "cloud-controller-manager",
                           .identity = ident, .release_on_cancel = true, .on_started_leading = on_started,
                           .on_stopped_leading = on_stopped};
    ck_leader_elector *le = ck_leader_elector_new(rest, &lc, err, sizeof err);
    if (!le || ck_leader_elector_start(le) < 0) {
        fprintf(stderr, "cloud-controller-manager: leader election: %s\n", err);
        ck_leader_elector_free(le);
        return NULL;
    }
    return le;
}

int main(int argc, char **argv)
{
    options o;
    int prc = parse(&o, argc, argv);
    if (prc) {
        usage(prc > 0 ? stdout : stderr);
        return prc > 0 ? 0 : 2;
    }
    ck_log_level = o.verbosity;
    if (!o.provider || !*o.provider) {
        /* upstream refuses an empty --cloud-provider; `ckube up` passes none, so
         * on this machine the provider that models its hosts is the default */
        ck_warn("--cloud-provider not set: using \"local\"");
        o.provider = "local";
    }
    char err[512] = "";
    ck_cloud cloud;
    ck_cloud_config cc = {.cluster_name = o.cluster_name, .config_file = o.cloud_config, .lb_pool = o.lb_pool};
    if (ck_cloud_open(o.provider, &cc, &cloud, err, sizeof err) < 0) {
        fprintf(stderr, "cloud-controller-manager: %s\n", err);
        return 1;
    }
    ck_rest *rest = connect_rest(&o);
    if (!rest) {
        ck_cloud_close(&cloud);
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    ck_leader_elector *le = NULL;
    if (o.leader_elect && !(le = elect(rest))) {
        ck_rest_free(rest);
        ck_cloud_close(&cloud);
        return 1;
    }
    if (!o.leader_elect) atomic_store(&g_leading, 1);
    ck_ccm_ctx ctx = {.rest = rest, .cloud = &cloud, .cluster_name = o.cluster_name, .cluster_cidr = o.cluster_cidr,
                      .workers = o.workers, .node_monitor_period_ms = o.monitor_ms,
                      .node_status_update_ms = o.status_ms, .route_period_ms = o.route_ms};
    void *handles[N_CONTROLLERS] = {0};
    bool started = false;
    while (!atomic_load(&g_stop)) {
        if (!started && atomic_load(&g_leading)) started = start_all(&o, &ctx, handles) == 0;
        usleep(100 * 1000);
    }
    int rc = atomic_load(&g_stop) == 2 ? 1 : 0;
    if (rc) ck_error("leaderelection lost");
    for (size_t i = N_CONTROLLERS; i-- > 0;)
        if (handles[i]) CONTROLLERS[i]->stop(handles[i]);
    ck_leader_elector_free(le);
    ck_rest_free(rest);
    ck_cloud_close(&cloud);  /* the local provider removes its addresses and rules */
    return rc;
}
