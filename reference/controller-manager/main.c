/* main.c: kube-controller-manager: parses flags, connects to the apiserver,
 * optionally wins the kube-system/kube-controller-manager Lease, then starts
 * every enabled controller from the table and runs until SIGINT/SIGTERM. */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/leaderelection.h"
#include "controller-manager/controllers.h"
#include "controller-manager/options.h"
#include "util/log.h"
#include "util/uid.h"

static const ck_cm_controller *const CONTROLLERS[] = {
    &ck_cm_namespace_controller,
    &ck_cm_serviceaccount_controller,
    &ck_cm_rootcacertpublisher_controller,
    &ck_cm_replicaset_controller,
    &ck_cm_replicationcontroller_controller,
    &ck_cm_deployment_controller,
    &ck_cm_endpoints_controller,
    &ck_cm_garbagecollector_controller,
    &ck_cm_nodelifecycle_controller,
    &ck_cm_job_controller,
    &ck_cm_cronjob_controller,
    &ck_cm_daemonset_controller,
    &ck_cm_statefulset_controller,
    &ck_cm_resourcequota_controller,
    &ck_cm_endpointslice_controller,
    &ck_cm_endpointslicemirroring_controller,
    &ck_cm_disruption_controller,
};
#define N_CONTROLLERS (sizeof CONTROLLERS / sizeof CONTROLLERS[0])

static atomic_int g_stop;
static atomic_int g_leading;
static void on_signal(int sig) { (void)sig; atomic_store(&g_stop, 1); }
static void on_started(void *ud) { atomic_store(&g_leading, 1); }
static void on_stopped(void *ud) { if (atomic_load(&g_leading)) atomic_store(&g_stop, 2); }

static void usage(FILE *f)
{
    fprintf(f, "usage: controller-manager [--kubeconfig FILE | --master URL] [--controllers LIST]\n"
               "  [--leader-elect=true|false] [--root-ca-file FILE] [--concurrent-syncs N]\n"
               "  [--namespace-sync-period D] [--node-monitor-period D] [--node-monitor-grace-period D]\n"
               "  [--node-startup-grace-period D] [--concurrent-<controller>-syncs N] [-v N]\n"
               "controllers: '*' (all), 'name' enables, '-name' disables:");
    for (size_t i = 0; i < N_CONTROLLERS; i++) fprintf(f, " %s", CONTROLLERS[i]->name);
    fputc('\n', f);
}

/* Starts the enabled controllers; handles[i] NULL when disabled or failed. */
static int start_all(const ck_cm_options *o, const ck_cm_ctx *ctx, void **handles)
{
    for (size_t i = 0; i < N_CONTROLLERS; i++) {
        if (!ck_cm_controller_enabled(o->controllers, CONTROLLERS[i]->name)) {
            ck_info("%s controller is disabled", CONTROLLERS[i]->name);
            continue;
        }
        char err[512] = "";
        ck_cm_ctx c = *ctx;
        c.workers = ck_cm_options_workers(o, CONTROLLERS[i]->name);
        handles[i] = CONTROLLERS[i]->start(&c, err, sizeof err);
        if (!handles[i]) {
            ck_error("error starting %s controller: %s", CONTROLLERS[i]->name, err);
            return -1;
        }
        ck_info("started %s controller", CONTROLLERS[i]->name);
    }
    return 0;
}

static ck_rest *connect_rest(const ck_cm_options *o)
{
    ck_rest_config cfg;
    char err[512] = "";
    int rc = o->kubeconfig ? ck_rest_config_from_kubeconfig(&cfg, o->kubeconfig, NULL, err, sizeof err)
                           : ck_rest_config_from_url(&cfg, o->master ? o->master : "http://127.0.0.1:8080");
    if (rc < 0) {
        fprintf(stderr, "controller-manager: %s\n", err[0] ? err : "invalid configuration");
        return NULL;
    }
    if (o->kubeconfig && o->master) {
        free(cfg.server);
        cfg.server = strdup(o->master);  /* --master overrides the kubeconfig's server */
    }
    ck_rest_config_set_agent(&cfg, "kube-controller-manager");
    ck_rest *rest = ck_rest_new(&cfg, err, sizeof err);
    ck_rest_config_clear(&cfg);
    if (!rest) fprintf(stderr, "controller-manager: %s\n", err);
    return rest;
}

int main(int argc, char **argv)
{
    ck_cm_options o;
    char err[512] = "";
    int prc = ck_cm_options_parse(&o, argc, argv, err, sizeof err);
    if (prc != 0) {
        if (prc > 0) { usage(stdout); return 0; }
        fprintf(stderr, "controller-manager: %s\n", err);
        usage(stderr);
        return 2;
    }
    ck_log_level = o.verbosity;
    ck_rest *rest = connect_rest(&o);
    if (!rest) { ck_cm_options_clear(&o); return 1; }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);

    ck_leader_elector *le = NULL;
    if (o.leader_elect) {
        char host[128] = "localhost", uid[CK_UID_LEN], ident[256];
        gethostname(host, sizeof host - 1);
        snprintf(ident, sizeof ident, "%s_%s", host, ck_uid_new(uid));
        ck_leader_config lc = {.lease_namespace = "kube-system", .lease_name = "kube-controller-manager",
                               .identity = ident, .release_on_cancel = true,
                               .on_started_leading = on_started, .on_stopped_leading = on_stopped};
        le = ck_leader_elector_new(rest, &lc, err, sizeof err);
        if (!le || ck_leader_elector_start(le) < 0) {
            fprintf(stderr, "controller-manager: leader election: %s\n", err);
            ck_leader_elector_free(le);
            ck_rest_free(rest);
            ck_cm_options_clear(&o);
            return 1;
        }
        ck_info("attempting to acquire leader lease kube-system/kube-controller-manager...");
    } else {
        atomic_store(&g_leading, 1);
    }

    ck_cm_ctx ctx = {.rest = rest, .workers = o.concurrent_syncs, .root_ca_file = o.root_ca_file,
                     .node_monitor_period_ms = o.node_monitor_period_ms,
                     .node_monitor_grace_ms = o.node_monitor_grace_ms,
                     .node_startup_grace_ms = o.node_startup_grace_ms, .namespace_sync_ms = o.namespace_sync_ms};
    void *handles[N_CONTROLLERS] = {0};
    bool started = false;
    int rc = 0;
    while (!atomic_load(&g_stop)) {
        if (!started && atomic_load(&g_leading)) {
            started = true;
            if (start_all(&o, &ctx, handles) < 0) { rc = 1; break; }
        }
        usleep(100 * 1000);
    }
    if (atomic_load(&g_stop) == 2) { ck_error("leaderelection lost"); rc = 1; }
    for (size_t i = N_CONTROLLERS; i-- > 0;)
        if (handles[i]) CONTROLLERS[i]->stop(handles[i]);
    ck_leader_elector_free(le);
    ck_rest_free(rest);
    ck_cm_options_clear(&o);
    return rc;
}
