/* nc.c: a small netcat client standing in for the netcat-openbsd that the
 * upstream agnhost image ships (e2e's DialFromNode runs
 * `echo hostName | nc -w 1 -u <ip> <port>`): nc [-u] [-w secs] [-zvN] host port.
 * Sends stdin, prints what comes back until -w seconds pass idle (or the
 * peer closes a TCP connection). */
#define _GNU_SOURCE
#include "agnhost.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: nc [-uzvN] [-w timeout] destination port\n");
    return 1;
}

int ag_nc_main(int argc, char **argv)
{
    int udp = 0, zero = 0, wait_s = -1, opt;
    while ((opt = getopt(argc, argv, "uzvNnw:q:")) != -1) {
        if (opt == 'u') udp = 1;
        else if (opt == 'z') zero = 1;
        else if (opt == 'w') wait_s = atoi(optarg);
        else if (opt == '?') return usage();
    }
    if (argc - optind != 2) return usage();
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[optind + 1]))};
    if (inet_pton(AF_INET, argv[optind], &a.sin_addr) != 1)
        return fprintf(stderr, "nc: getaddrinfo for host \"%s\" port %s: Name or service not known\n", argv[optind],
                       argv[optind + 1]), 1;
    int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
        return fprintf(stderr, "nc: connect to %s port %s (%s) failed: %s\n", argv[optind], argv[optind + 1],
                       udp ? "udp" : "tcp", strerror(errno)), 1;
    if (zero) return close(fd), 0;
    int stdin_open = 1;
    char buf[65536];
    for (;;) {
        struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
        int n = poll(p, stdin_open ? 2 : 1, stdin_open ? -1 : (wait_s < 0 ? -1 : wait_s * 1000));
        if (n == 0) break; /* -w: idle after stdin ended */
        if (n < 0) { if (errno == EINTR) continue; break; }
        if (stdin_open && (p[1].revents & (POLLIN | POLLHUP))) {
            ssize_t r = read(0, buf, sizeof buf);
            if (r <= 0) stdin_open = 0;
            else if (send(fd, buf, (size_t)r, MSG_NOSIGNAL) < 0) break;
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t r = recv(fd, buf, sizeof buf, 0);
            if (r < 0 && udp && errno == ECONNREFUSED) continue; /* ICMP port unreachable: keep waiting, as nc -u */
            if (r <= 0) break;
            fwrite(buf, 1, (size_t)r, stdout);
            fflush(stdout);
        }
    }
    close(fd);
    return 0;
}
