/* test_proxy_integration.c: the real apiserver (memory storage), a Service +
 * Endpoints created over HTTP pointing at a TCP echo server run here, and the
 * real kube-proxy binary inside a network namespace made for the test (veth
 * to the host). Checks clusterIP:port (from inside the netns) and
 * nodeIP:nodePort (from the host) reach the echo server, in iptables and in
 * userspace mode. Needs root; the netns and processes go away even on failure. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "client/rest.h"
#include "util/cktest.h"
#include "util/ckjson.h"
#include "util/testserver.h"

static char bindir[PATH_MAX], ns[32], vh[16], vn[16], host_ip[32], node_ip[32];
static ck_testserver server;
static pid_t proxy = -1;
static int echo_port, echo_fd = -1;
static ck_rest *rest;
static bool ready;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static void *echo_loop(void *arg)
{
    for (;;) {
        int c = accept(echo_fd, NULL, NULL);
        if (c < 0) return NULL;
        char buf[512];
        ssize_t n;
        while ((n = read(c, buf, sizeof buf)) > 0)
            if (write(c, buf, (size_t)n) != n) break;
        close(c);
    }
}

/* Connects to ip:port (inside the test netns when in_ns), sends a line and
 * returns true when the same bytes come back. */
typedef struct probe { const char *ip; int port; bool in_ns, ok; } probe;
static void *probe_run(void *arg)
{
    probe *p = arg;
    if (p->in_ns) {
        char path[64];
        snprintf(path, sizeof path, "/var/run/netns/%s", ns);
        int fd = open(path, O_RDONLY);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) { if (fd >= 0) close(fd); return NULL; }
        close(fd);
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->port)};
    inet_pton(AF_INET, p->ip, &a.sin_addr);
    char msg[] = "hello through a service\n", got[64] = "";
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0 && write(s, msg, sizeof msg - 1) > 0) {
        shutdown(s, SHUT_WR);
        size_t have = 0;
        ssize_t n;
        while (have < sizeof got - 1 && (n = read(s, got + have, sizeof got - 1 - have)) > 0) have += (size_t)n;
        p->ok = have == sizeof msg - 1 && memcmp(got, msg, have) == 0;
    }
    close(s);
    return NULL;
}

static bool reach(const char *ip, int port, bool in_ns, int seconds)
{
    for (int i = 0; i < seconds * 4; i++) {
        probe p = {ip, port, in_ns, false};
        pthread_t t;
        pthread_create(&t, NULL, probe_run, &p);
        pthread_join(t, NULL);
        if (p.ok) return true;
        usleep(250000);
    }
    return false;
}

static int cleanup(void);
static int setup_steps(void);
/* CUnit skips the cleanup when init fails, so clean up here then. */
static int setup(void)
{
    int rc = setup_steps();
    if (rc) cleanup();
    return rc;
}

static int setup_steps(void)
{
    if (geteuid() != 0) { fprintf(stderr, "needs root (ip netns)\n"); return 0; }
    if (ck_test_bindir(bindir, sizeof bindir) < 0) return 1;
    int id = getpid() % 200 + 20;
    snprintf(ns, sizeof ns, "ckp-test-%d", getpid());
    snprintf(vh, sizeof vh, "ckph%d", getpid() % 100000);
    snprintf(vn, sizeof vn, "ckpn%d", getpid() % 100000);
    snprintf(host_ip, sizeof host_ip, "10.251.%d.1", id);
    snprintf(node_ip, sizeof node_ip, "10.251.%d.2", id);
    if (sh("ip netns add %s && ip link add %s type veth peer name %s && ip link set %s netns %s && "
           "ip addr add %s/24 dev %s && ip link set %s up && "
           "ip netns exec %s sh -c 'ip link set lo up && ip addr add %s/24 dev %s && ip link set %s up && "
           "ip route add default via %s'",
           ns, vh, vn, vn, ns, host_ip, vh, vh, ns, node_ip, vn, vn, host_ip) != 0)
        return 1;
    /* The echo server: the service's only endpoint, on the host side. */
    echo_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, host_ip, &a.sin_addr);
    socklen_t al = sizeof a;
    if (bind(echo_fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(echo_fd, 16) < 0 ||
        getsockname(echo_fd, (struct sockaddr *)&a, &al) < 0)
        return 1;
    echo_port = ntohs(a.sin_port);
    pthread_t t;
    pthread_create(&t, NULL, echo_loop, NULL);
    pthread_detach(t);
    /* The apiserver, reachable from the netns through the veth. */
    char err[256];
    if (ck_testserver_start(&server, host_ip, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    rest = ck_testserver_client(&server);
    ready = rest != NULL;
    return ready ? 0 : 1;
}

static int cleanup(void)
{
    ck_test_stop(&proxy);
    ck_testserver_stop(&server);
    if (echo_fd >= 0) shutdown(echo_fd, SHUT_RDWR), close(echo_fd);
    ck_rest_free(rest);
    if (*ns) sh("ip netns del %s 2>/dev/null; ip link del %s 2>/dev/null; true", ns, vh);
    return 0;
}

static pid_t start_proxy(const char *mode)
{
    char bin[PATH_MAX + 16];
    snprintf(bin, sizeof bin, "%s/kube-proxy", bindir);
    char *argv[] = {"ip", "netns", "exec", ns, bin, "--master", server.url, "--proxy-mode", (char *)mode,
                    "--hostname-override", "node-1", "--cluster-cidr", "10.244.0.0/16",
                    "--healthz-port", "0", "--iptables-min-sync-period", "100ms", "-v", "2", NULL};
    return ck_test_spawn(argv);
}

/* Creates a NodePort Service and its Endpoints; returns the allocations. */
static bool create_service(const char *name, char *cluster_ip, int *node_port)
{
    ck_response r = {0};
    json_t *svc = json_pack("{s:s,s:s,s:{s:s},s:{s:s,s:[{s:s,s:i,s:i,s:s}]}}", "apiVersion", "v1",
                            "kind", "Service", "metadata", "name", name, "spec", "type", "NodePort",
                            "ports", "name", "echo", "port", 8080, "targetPort", echo_port, "protocol", "TCP");
    int rc = ck_rest_create(rest, &(ck_resource_ref){"", "v1", "services", "default", NULL, NULL}, svc, &r);
    json_decref(svc);
    if (rc < 0) { fprintf(stderr, "create service: %ld %s\n", r.code, r.message); ck_response_clear(&r); return false; }
    snprintf(cluster_ip, 64, "%s", ck_json_str(r.body, "spec.clusterIP", ""));
    *node_port = (int)ck_json_int(json_array_get(ck_json_path(r.body, "spec.ports"), 0), "nodePort", 0);
    ck_response_clear(&r);
    json_t *ep = json_pack("{s:s,s:s,s:{s:s},s:[{s:[{s:s}],s:[{s:s,s:i,s:s}]}]}", "apiVersion", "v1",
                           "kind", "Endpoints", "metadata", "name", name, "subsets", "addresses", "ip",
                           host_ip, "ports", "name", "echo", "port", echo_port, "protocol", "TCP");
    rc = ck_rest_create(rest, &(ck_resource_ref){"", "v1", "endpoints", "default", NULL, NULL}, ep, &r);
    json_decref(ep);
    if (rc < 0) fprintf(stderr, "create endpoints: %ld %s\n", r.code, r.message);
    ck_response_clear(&r);
    return rc == 0 && *cluster_ip && *node_port;
}

static void run_mode(const char *mode, const char *svc_name)
{
    if (!ready) { fprintf(stderr, "skipped: %s mode (no root or setup failed)\n", mode); return; }
    char cip[64] = "";
    int np = 0;
    CU_ASSERT_TRUE_FATAL(create_service(svc_name, cip, &np));
    proxy = start_proxy(mode);
    CU_ASSERT_TRUE(proxy > 0);
    /* clusterIP from inside the node; nodePort from outside it. */
    CU_ASSERT_TRUE(reach(cip, 8080, true, 10));
    CU_ASSERT_TRUE(reach(node_ip, np, false, 5));
    /* Without ready endpoints the service stops answering (REJECT / no relay). */
    ck_response r = {0};
    ck_rest_delete(rest, &(ck_resource_ref){"", "v1", "endpoints", "default", svc_name, NULL}, NULL, &r);
    ck_response_clear(&r);
    usleep(1500000);  /* applied within 1 s */
    CU_ASSERT_FALSE(reach(cip, 8080, true, 1));
    ck_test_stop(&proxy);
}

static void test_iptables_mode(void) { run_mode("iptables", "echo-ipt"); }
static void test_userspace_mode(void) { run_mode("userspace", "echo-us"); }

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    static const ck_test tests[] = {
        {"iptables mode: clusterIP and nodePort reach the endpoint", test_iptables_mode},
        {"userspace mode: clusterIP and nodePort reach the endpoint", test_userspace_mode},
        {NULL, NULL},
    };
    return ck_test_main("kube-proxy integration", tests, setup, cleanup);
}
