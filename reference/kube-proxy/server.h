/* server.h: kube-proxy's process wiring (upstream cmd/kube-proxy/app
 * server.go): options, informers -> change tracker -> bounded-frequency
 * runner -> proxier, and /healthz. main.c only parses flags. */
#ifndef CK_PROXY_SERVER_H
#define CK_PROXY_SERVER_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ck_proxy_options {
    const char *kubeconfig, *master;  /* one is required */
    const char *mode;                 /* "iptables" (default) or "userspace" */
    const char *hostname_override;    /* node name; default gethostname() */
    const char *cluster_cidr;
    const char *nodeport_addresses;   /* comma-separated CIDRs; NULL = all */
    bool masquerade_all;
    long min_sync_ms;                 /* --iptables-min-sync-period (1s upstream; ckube 100ms) */
    long sync_ms;                     /* --iptables-sync-period (30s) */
    int healthz_port;                 /* 10256; 0 = off */
} ck_proxy_options;

void ck_proxy_options_defaults(ck_proxy_options *o);
/* Go-style duration ("100ms", "1s", "1m30s") in ms, or -1. */
long ck_parse_duration_ms(const char *s);
/* The IPv4 addresses of local interfaces inside the comma-separated CIDRs,
 * as a malloc'd array of malloc'd strings (*n set); NULL with *n 0 when none. */
char **ck_node_ips_in(const char *cidrs, size_t *n);

/* Runs until *stop becomes non-zero (checked every 200 ms).
 * 0 on a clean stop, -1 with a message in err when startup failed. */
int ck_proxy_run(const ck_proxy_options *o, volatile sig_atomic_t *stop, char *err, size_t errlen);
#endif
