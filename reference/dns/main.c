/* main.c: the cluster DNS server's command line (ckube's CoreDNS with the
 * kubernetes plugin): flags -> apiserver client, Services/Endpoints
 * controller, UDP+TCP server, until SIGINT/SIGTERM. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/rest.h"
#include "dns/controller.h"
#include "dns/forward.h"
#include "dns/server.h"
#include "util/log.h"

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

typedef struct options {
    const char *kubeconfig, *master, *listen, *zone, *resolv_conf, *port_file;
    int port;
} options;

static void usage(FILE *f)
{
    fprintf(f, "usage: dns (--kubeconfig FILE | --master URL) [flags]\n"
               "  --listen ADDR            address for UDP and TCP (0.0.0.0)\n"
               "  --port N                 port, 0 = any free one (53)\n"
               "  --cluster-domain DOMAIN  the zone answered from the cluster (cluster.local)\n"
               "  --resolv-conf FILE       forward other names to its nameservers; \"\" refuses\n"
               "                           them instead (/etc/resolv.conf)\n"
               "  --port-file FILE         write the bound port here once listening\n"
               "  -v N                     log verbosity\n");
}

static int serve(const options *o, char *err, size_t errlen)
{
    ck_rest_config cfg;
    int rc = o->kubeconfig ? ck_rest_config_from_kubeconfig(&cfg, o->kubeconfig, NULL, err, errlen)
                           : ck_rest_config_from_url(&cfg, o->master);
    if (rc < 0) { if (!*err) snprintf(err, errlen, "bad --master"); return -1; }
    ck_rest_config_set_agent(&cfg, "coredns");
    ck_rest *rest = ck_rest_new(&cfg, err, errlen);
    ck_rest_config_clear(&cfg);
    if (!rest) return -1;
    ck_dns_upstreams up = {.n = 0};
    if (o->resolv_conf && *o->resolv_conf &&
        ck_dns_upstreams_from_resolv_conf(&up, o->resolv_conf, o->listen, o->port) < 0)
        ck_warn("dns: cannot read %s: not forwarding", o->resolv_conf);
    ck_dns_controller *c = ck_dns_controller_new(rest, o->zone, err, errlen);
    ck_dns_server *s = NULL;
    rc = -1;
    if (!c || ck_dns_controller_start(c) < 0) { if (c) snprintf(err, errlen, "cannot start informers"); goto out; }
    /* CoreDNS waits (5 s) for its informers before serving, then serves anyway. */
    if (!ck_dns_controller_wait_synced(c, 5000)) ck_warn("dns: informers not synced after 5s; serving anyway");
    ck_dns_server_opts so = {.listen = o->listen, .port = o->port, .upstreams = &up,
                             .source = {ck_dns_controller_acquire, ck_dns_controller_release, c}};
    if (!(s = ck_dns_server_new(&so, err, errlen))) goto out;
    if (o->port_file) {
        FILE *f = fopen(o->port_file, "w");
        if (!f || fprintf(f, "%d\n", ck_dns_server_port(s)) < 0) {
            snprintf(err, errlen, "--port-file %s: cannot write", o->port_file);
            if (f) fclose(f);
            goto out;
        }
        fclose(f);
    }
    rc = ck_dns_server_run(s, &stop);
    if (rc < 0) snprintf(err, errlen, "poll failed");
out:
    ck_dns_server_free(s);
    ck_dns_controller_free(c);
    ck_rest_free(rest);
    return rc;
}

int main(int argc, char **argv)
{
    options o = {.listen = "0.0.0.0", .zone = "cluster.local", .resolv_conf = "/etc/resolv.conf", .port = 53};
    static const struct option opts[] = {
        {"kubeconfig", 1, 0, 'k'}, {"master", 1, 0, 'm'}, {"listen", 1, 0, 'l'}, {"port", 1, 0, 'p'},
        {"cluster-domain", 1, 0, 'd'}, {"resolv-conf", 1, 0, 'r'}, {"port-file", 1, 0, 'P'},
        {"v", 1, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k': o.kubeconfig = optarg; break;
        case 'm': o.master = optarg; break;
        case 'l': o.listen = optarg; break;
        case 'p': {
            char *end;
            long p = strtol(optarg, &end, 10);
            if (*end || p < 0 || p > 65535) { fprintf(stderr, "dns: bad --port %s\n", optarg); return 2; }
            o.port = (int)p;
            break;
        }
        case 'd': o.zone = optarg; break;
        case 'r': o.resolv_conf = optarg; break;
        case 'P': o.port_file = optarg; break;
        case 'v': ck_log_level = atoi(optarg); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || (!o.kubeconfig && !o.master) || !*o.zone) {
        usage(stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    char err[1024] = "";
    if (serve(&o, err, sizeof err) < 0) {
        fprintf(stderr, "dns: %s\n", err);
        return 1;
    }
    return 0;
}
