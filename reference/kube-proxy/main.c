/* main.c: kube-proxy's command line (upstream cmd/kube-proxy): flags ->
 * ck_proxy_options, then ck_proxy_run until SIGINT/SIGTERM. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kube-proxy/server.h"
#include "util/log.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static void usage(FILE *f)
{
    fprintf(f, "usage: kube-proxy (--kubeconfig FILE | --master URL) [flags]\n"
               "  --proxy-mode iptables|userspace     (iptables)\n"
               "  --hostname-override NAME            node name (hostname)\n"
               "  --cluster-cidr CIDR                 masquerade clusterIP traffic from outside it\n"
               "  --nodeport-addresses CIDR[,CIDR]    accept NodePorts only on these node IPs (all)\n"
               "  --masquerade-all                    SNAT all service traffic\n"
               "  --iptables-min-sync-period DUR      (100ms)\n"
               "  --iptables-sync-period DUR          (30s)\n"
               "  --healthz-port N                    /healthz port, 0 disables (10256)\n"
               "  -v N                                log verbosity\n");
}

int main(int argc, char **argv)
{
    ck_proxy_options o;
    ck_proxy_options_defaults(&o);
    static const struct option opts[] = {
        {"kubeconfig", 1, 0, 'k'}, {"master", 1, 0, 'm'}, {"proxy-mode", 1, 0, 'M'},
        {"hostname-override", 1, 0, 'H'}, {"cluster-cidr", 1, 0, 'c'},
        {"nodeport-addresses", 1, 0, 'n'}, {"masquerade-all", 0, 0, 'A'},
        {"iptables-min-sync-period", 1, 0, 's'}, {"iptables-sync-period", 1, 0, 'S'},
        {"healthz-port", 1, 0, 'z'}, {"v", 1, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k': o.kubeconfig = optarg; break;
        case 'm': o.master = optarg; break;
        case 'M': o.mode = optarg; break;
        case 'H': o.hostname_override = optarg; break;
        case 'c': o.cluster_cidr = optarg; break;
        case 'n': o.nodeport_addresses = optarg; break;
        case 'A': o.masquerade_all = true; break;
        case 's':
        case 'S': {
            long ms = ck_parse_duration_ms(optarg);
            if (ms < 0) { fprintf(stderr, "kube-proxy: bad duration: %s\n", optarg); return 2; }
            *(c == 's' ? &o.min_sync_ms : &o.sync_ms) = ms;
            break;
        }
        case 'z': o.healthz_port = atoi(optarg); break;
        case 'v': ck_log_level = atoi(optarg); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || (!o.kubeconfig && !o.master)) {
        usage(stderr);
        return 2;
    }
    if (o.sync_ms <= 0) o.sync_ms = 30000;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    char err[1024] = "";
    if (ck_proxy_run(&o, &stop, err, sizeof err) < 0) {
        fprintf(stderr, "kube-proxy: %s\n", err);
        return 1;
    }
    return 0;
}
