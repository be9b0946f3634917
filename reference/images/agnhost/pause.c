/* pause.c: `agnhost pause` (test/images/agnhost/pause): prints "Paused",
 * sleeps until SIGINT or SIGTERM, then exits 0. */
#define _GNU_SOURCE
#include "agnhost.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>

int ag_pause_main(int argc, char **argv)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("Paused\n");
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    printf("Shutting down after receiving signal: %s.\nExiting.\n", sig == SIGINT ? "interrupt" : "terminated");
    return 0;
}
