/* main.c: the kube-scheduler binary: flags, REST client, leader election on
 * Lease kube-system/kube-scheduler, then informers + the scheduling loop
 * (cmd/kube-scheduler/app/server.go). */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client/leaderelection.h"
#include "scheduler/scheduler.h"
#include "util/log.h"
#include "util/uid.h"

static atomic_int g_stop, g_leading, g_lost;

static void on_signal(int sig) { atomic_store(&g_stop, 1); }
static void on_started(void *ud) { atomic_store(&g_leading, 1); }
static void on_stopped(void *ud) { if (atomic_load(&g_leading)) atomic_store(&g_lost, 1); }
static void on_new_leader(const char *id, void *ud) { ck_info("new leader elected: %s", id); }

typedef struct flags {
    const char *kubeconfig, *master, *scheduler_name;
    bool leader_elect;
    int percentage;
} flags;

static void usage(void)
{
    fprintf(stderr, "usage: scheduler [--kubeconfig FILE | --master URL] [--scheduler-name NAME]\n"
                    "                 [--leader-elect=true|false] [--percentage-of-nodes-to-score N] [-v N]\n");
}

static int parse_flags(int argc, char **argv, flags *f)
{
    static const struct option opts[] = {
        {"kubeconfig", required_argument, NULL, 'k'}, {"master", required_argument, NULL, 'm'},
        {"scheduler-name", required_argument, NULL, 'n'}, {"leader-elect", optional_argument, NULL, 'l'},
        {"percentage-of-nodes-to-score", required_argument, NULL, 'p'}, {"v", required_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    *f = (flags){NULL, NULL, "default-scheduler", true, 0};
    int c;
    while ((c = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k': f->kubeconfig = optarg; break;
        case 'm': f->master = optarg; break;
        case 'n': f->scheduler_name = optarg; break;
        case 'l': f->leader_elect = !optarg || !strcmp(optarg, "true"); break;
        case 'p': f->percentage = atoi(optarg); break;
        case 'v': ck_log_level = atoi(optarg); break;
        default: usage(); return c == 'h' ? 1 : 2;
        }
    }
    if (!f->kubeconfig && !f->master) { fprintf(stderr, "--kubeconfig or --master is required\n"); return 2; }
    return 0;
}

static ck_rest *make_client(const flags *f)
{
    ck_rest_config cfg;
    char err[512];
    int rc = f->kubeconfig ? ck_rest_config_from_kubeconfig(&cfg, f->kubeconfig, NULL, err, sizeof err)
                           : ck_rest_config_from_url(&cfg, f->master);
    if (rc < 0) { ck_error("client config: %s", f->kubeconfig ? err : "out of memory"); return NULL; }
    if (f->kubeconfig && f->master) {  /* --master overrides the kubeconfig's server */
        free(cfg.server);
        cfg.server = strdup(f->master);
    }
    ck_rest_config_set_agent(&cfg, "kube-scheduler");
    ck_rest *c = ck_rest_new(&cfg, err, sizeof err);
    if (!c) ck_error("client: %s", err);
    ck_rest_config_clear(&cfg);
    return c;
}

static ck_leader_elector *start_election(ck_rest *rest, char *identity)
{
    char host[128] = "", uid[CK_UID_LEN], err[256];
    gethostname(host, sizeof host - 1);
    snprintf(identity, 256, "%s_%s", host, ck_uid_new(uid));
    ck_leader_config lc = {.lease_namespace = "kube-system", .lease_name = "kube-scheduler",
                           .identity = identity, .release_on_cancel = true,
                           .on_started_leading = on_started, .on_stopped_leading = on_stopped,
                           .on_new_leader = on_new_leader};
    ck_leader_elector *le = ck_leader_elector_new(rest, &lc, err, sizeof err);
    if (!le || ck_leader_elector_start(le) < 0) {
        ck_error("leader election: %s", le ? "cannot start" : err);
        ck_leader_elector_free(le);
        return NULL;
    }
    return le;
}

int main(int argc, char **argv)
{
    flags f;
    int rc = parse_flags(argc, argv, &f);
    if (rc) return rc == 1 ? 0 : rc;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    ck_rest *rest = make_client(&f);
    if (!rest) return 1;
    char err[512], identity[256];
    ck_scheduler_opts so = {f.scheduler_name, f.percentage};
    ck_scheduler *s = ck_scheduler_new(rest, &so, err, sizeof err);
    ck_leader_elector *le = NULL;
    rc = 1;
    if (!s) { ck_error("scheduler: %s", err); goto out; }
    if (ck_scheduler_start_informers(s, 60000, err, sizeof err) < 0) { ck_error("%s", err); goto out; }
    if (f.leader_elect && !(le = start_election(rest, identity))) goto out;
    if (!f.leader_elect) atomic_store(&g_leading, 1);
    bool running = false;
    while (!atomic_load(&g_stop) && !atomic_load(&g_lost)) {
        if (atomic_load(&g_leading) && !running) {
            if (ck_scheduler_run(s) < 0) { ck_error("cannot start the scheduling loop"); goto out; }
            running = true;
            ck_info("scheduling as %s", f.scheduler_name);
        }
        usleep(100000);
    }
    /* Upstream exits when leadership is lost ("leaderelection lost"). */
    rc = atomic_load(&g_lost) ? 1 : 0;
    if (rc) ck_error("leaderelection lost");
out:
    ck_scheduler_free(s);
    ck_leader_elector_free(le);
    ck_rest_free(rest);
    return rc;
}
