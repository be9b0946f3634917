/* main.c: agnhost's entry point: `agnhost <subcommand> [--flags]`, or a
 * tool reached by a link to /agnhost (nc), as the upstream image's tools. */
#define _GNU_SOURCE
#include "agnhost.h"
#include "porter.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct { const char *name; int (*fn)(int, char **); const char *what; } subcommands[] = {
    {"netexec", ag_netexec_main, "Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints"},
    {"grpc-health-checking", ag_grpc_health_main, "Starts a simple grpc health checking endpoint"},
    {"pause", ag_pause_main, "Pauses the execution"},
    {"porter", ag_porter_main, "Serves requested data on ports specified in ENV variables"},
    {"nc", ag_nc_main, "netcat client (also reached as /bin/nc)"},
};
#define NSUB (sizeof subcommands / sizeof subcommands[0])

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    for (size_t i = 0; i < NSUB; i++)
        if (strcmp(self, subcommands[i].name) == 0) return subcommands[i].fn(argc, argv);
    for (size_t i = 0; argc > 1 && i < NSUB; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0) return subcommands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "%s%s%sUsage:\n  agnhost [command]\n\nAvailable Commands:\n",
            argc > 1 ? "Error: unknown command \"" : "", argc > 1 ? argv[1] : "", argc > 1 ? "\" for \"agnhost\"\n" : "");
    for (size_t i = 0; i < NSUB; i++) fprintf(stderr, "  %-22s %s\n", subcommands[i].name, subcommands[i].what);
    return argc > 1 ? 1 : 0;
}
