/* main.c: the `ckube` command: `ckube up` starts a local cluster (etcd,
 * apiserver, controllers, scheduler, nodes), `ckube down` stops it. */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ckube/launcher.h"
#include "ckube/trace.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: ckube up [--dir D] [--nodes N] [--port P] [--runtime linux|fake] [--foreground] [-v N]\n"
               "       ckube down --dir D\n"
               "       ckube trace KIND/NAME [-n NS] [--dir D | --audit-log FILE] [--follow]\n");
}

static volatile sig_atomic_t stop;
static void on_signal(int s) { stop = s; }

static int parse_nonneg(const char *flag, const char *v, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 0 || n > 65535) {
        fprintf(stderr, "ckube: %s: not a number in 0..65535: %s\n", flag, v);
        return -1;
    }
    *out = (int)n;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    const char *cmd = argv[1];
    if (strcmp(cmd, "trace") == 0) return ck_trace_main(argc - 1, argv + 1);
    static char self[PATH_MAX], bindir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) { fprintf(stderr, "ckube: cannot find its own binary\n"); return 1; }
    self[n] = 0;
    snprintf(bindir, sizeof bindir, "%s", dirname(self));
    /* The components inherit this: libcurl pulls in GnuTLS, whose implicit
     * initialisation costs each process ~0.8 MB it never uses (libcurl here
     * speaks OpenSSL; libmicrohttpd initialises GnuTLS itself when needed). */
    setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
    ck_cluster_opts o = {.bin_dir = bindir, .nodes = 2, .runtime = "linux", .verbosity = 2};
    static const struct option opts[] = {{"dir", 1, 0, 'd'},     {"nodes", 1, 0, 'n'}, {"port", 1, 0, 'p'},
                                         {"runtime", 1, 0, 'r'}, {"foreground", 0, 0, 'f'},
                                         {"help", 0, 0, 'h'},    {0, 0, 0, 0}};
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.dir = optarg; break;
        case 'n': if (parse_nonneg("--nodes", optarg, &o.nodes) < 0) return 2; break;
        case 'p': if (parse_nonneg("--port", optarg, &o.apiserver_port) < 0) return 2; break;
        case 'r':
            if (strcmp(optarg, "linux") != 0 && strcmp(optarg, "fake") != 0) {
                fprintf(stderr, "ckube: --runtime: want linux or fake, got %s\n", optarg);
                return 2;
            }
            o.runtime = optarg;
            break;
        case 'f': o.foreground = true; break;
        case 'v': if (parse_nonneg("-v", optarg, &o.verbosity) < 0) return 2; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    char err[1024] = "";
    if (strcmp(cmd, "up") == 0) {
        char dirbuf[PATH_MAX];
        if (!o.dir && o.foreground) {
            snprintf(dirbuf, sizeof dirbuf, "/tmp/ckube-XXXXXX");
            if (!mkdtemp(dirbuf)) { perror("ckube: mkdtemp"); return 1; }
            o.dir = dirbuf;
        }
        if (ck_cluster_up(&o, err, sizeof err) < 0) {
            fprintf(stderr, "ckube up: %s\n", err);
            return 1;
        }
        if (!o.foreground) return 0;
        struct sigaction sa = {.sa_handler = on_signal};
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        fprintf(stderr, "ckube: cluster up; Ctrl-C stops it (kubectl --kubeconfig %s/kubeconfig get nodes)\n", o.dir);
        /* The handler may run on any thread (the others don't block the signal),
         * so pause() here might never return: poll the flag instead. */
        while (!stop) usleep(100000);
        fprintf(stderr, "ckube: stopping\n");
        if (ck_cluster_down(o.dir, err, sizeof err) < 0) { fprintf(stderr, "ckube down: %s\n", err); return 1; }
        return 0;
    }
    if (strcmp(cmd, "down") == 0) {
        if (!o.dir) { fprintf(stderr, "ckube down: --dir is required\n"); return 2; }
        if (ck_cluster_down(o.dir, err, sizeof err) < 0) { fprintf(stderr, "ckube down: %s\n", err); return 1; }
        return 0;
    }
    usage(stderr);
    return 2;
}
