/* main.c: the kubelet binary: flags (upstream names), the REST client, the
 * container runtime, then ck_kubelet_start until SIGINT/SIGTERM. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kubelet/kubelet.h"
#include "util/log.h"

static volatile sig_atomic_t stop;
static void on_signal(int s) { stop = s; }

static const struct option opts[] = {
    {"node-name", 1, 0, 'n'}, {"master", 1, 0, 'm'}, {"kubeconfig", 1, 0, 'k'}, {"pod-cidr", 1, 0, 'c'},
    {"runtime", 1, 0, 'r'}, {"root-dir", 1, 0, 'd'}, {"image-dir", 1, 0, 'i'}, {"port", 1, 0, 'p'},
    {"address", 1, 0, 'a'}, {"node-ip", 1, 0, 'N'}, {"max-pods", 1, 0, 'M'}, {"cloud-provider", 1, 0, 'C'},
    {"backoff-initial", 1, 0, 'b'}, {"backoff-max", 1, 0, 'B'}, {"node-status-update-frequency", 1, 0, 'f'},
    {"capacity-cpu", 1, 0, 'u'}, {"capacity-memory", 1, 0, 'y'},
    {"cluster-dns", 1, 0, 'D'}, {"cluster-domain", 1, 0, 'O'}, {"resolv-conf", 1, 0, 'R'}, {"v", 1, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};

static long ms(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return (long)(strcmp(end, "ms") == 0 ? v : strcmp(end, "m") == 0 ? v * 60000 : v * 1000);
}

int main(int argc, char **argv)
{
    ck_kubelet_config cfg = {.runtime = "linux", .port = 10250, .max_pods = 110};
    int o;
    while ((o = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
        switch (o) {
        case 'n': cfg.node_name = optarg; break;
        case 'm': cfg.master = optarg; break;
        case 'k': cfg.kubeconfig = optarg; break;
        case 'c': cfg.pod_cidr = optarg; break;
        case 'r': cfg.runtime = optarg; break;
        case 'd': cfg.root_dir = optarg; break;
        case 'i': cfg.image_dir = optarg; break;
        case 'p': cfg.port = atoi(optarg); break;
        case 'a': cfg.address = optarg; break;
        case 'N': cfg.node_ip = optarg; break;
        case 'M': cfg.max_pods = atoi(optarg); break;
        case 'C': cfg.cloud_provider_external = strcmp(optarg, "external") == 0; break;
        case 'b': cfg.backoff_initial_ms = ms(optarg); break;
        case 'B': cfg.backoff_max_ms = ms(optarg); break;
        case 'f': cfg.status_period_ms = ms(optarg); break;
        case 'u': cfg.cpu = optarg; break;
        case 'y': cfg.memory = optarg; break;
        case 'D': cfg.cluster_dns = optarg; break;
        case 'O': cfg.cluster_domain = optarg; break;
        case 'R': cfg.resolv_conf = optarg; break;
        case 'v': ck_log_level = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: kubelet --node-name N (--master URL | --kubeconfig F) [--pod-cidr CIDR]\n"
                            "  [--runtime linux|fake] [--root-dir D] [--image-dir D] [--port 10250] [--address A]\n"
                            "  [--node-ip IP] [--max-pods 110] [--cloud-provider external] [--backoff-initial 10s]\n"
                            "  [--backoff-max 300s] [--node-status-update-frequency 10s] [--cluster-dns IP[,IP]]\n"
                            "  [--cluster-domain cluster.local] [--resolv-conf /etc/resolv.conf] [-v N]\n");
            return o == 'h' ? 0 : 2;
        }
    }
    char err[1024], root[1024];
    if (!cfg.root_dir && cfg.node_name) {
        snprintf(root, sizeof root, "/var/lib/ckube/kubelet-%s", cfg.node_name);
        cfg.root_dir = root;
    }
    ck_rest_config rc = {0};
    int r = cfg.kubeconfig ? ck_rest_config_from_kubeconfig(&rc, cfg.kubeconfig, NULL, err, sizeof err)
                           : ck_rest_config_from_url(&rc, cfg.master ? cfg.master : "http://127.0.0.1:6443");
    if (r < 0) {
        fprintf(stderr, "kubelet: %s\n", err);
        return 1;
    }
    ck_rest_config_set_agent(&rc, "kubelet");
    ck_rest *rest = ck_rest_new(&rc, err, sizeof err);
    ck_rest_config_clear(&rc);
    ck_cri_options ro = {.root_dir = cfg.root_dir, .image_dir = cfg.image_dir, .pod_cidr = cfg.pod_cidr};
    ck_cri *rt = rest ? ck_cri_new(cfg.runtime, &ro, err, sizeof err) : NULL;
    ck_kubelet *k = rt ? ck_kubelet_new(&cfg, rest, rt, err, sizeof err) : NULL;
    if (!k || ck_kubelet_start(k, err, sizeof err) < 0) {
        fprintf(stderr, "kubelet: %s\n", err);
        if (k) ck_kubelet_free(k);
        else ck_cri_free(rt);
        ck_rest_free(rest);
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    ck_info("kubelet %s serving on port %d", cfg.node_name ? cfg.node_name : "", ck_kubelet_port(k));
    /* The handler may run on any thread (the others don't block the signal),
     * so pause() here might never return: poll the flag instead. */
    while (!stop) usleep(100000);
    ck_kubelet_free(k);
    ck_rest_free(rest);
    return 0;
}
