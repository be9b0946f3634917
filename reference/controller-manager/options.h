/* options.h: kube-controller-manager's command-line flags (cmd/kube-
 * controller-manager/app/options) and the --controllers list semantics. */
#ifndef CK_CM_OPTIONS_H
#define CK_CM_OPTIONS_H
#include <stdbool.h>
#include <stddef.h>

typedef struct ck_cm_options {
    char *kubeconfig, *master, *controllers, *root_ca_file;  /* owned */
    bool leader_elect;                /* --leader-elect, default true */
    int concurrent_syncs;             /* --concurrent-syncs (all controllers), 0 = defaults */
    long namespace_sync_ms;           /* --namespace-sync-period, default 5m */
    long node_monitor_period_ms;      /* --node-monitor-period, default 5s */
    long node_monitor_grace_ms;       /* --node-monitor-grace-period, default 50s */
    long node_startup_grace_ms;       /* --node-startup-grace-period, default 1m */
    int verbosity;                    /* -v / --v */
    int concurrent[8];                /* --concurrent-<x>-syncs, by CK_CM_CONCURRENCY row; 0 = unset */
} ck_cm_options;

/* Upstream's per-controller worker flags: flag name -> controller name. */
typedef struct ck_cm_concurrency { const char *flag, *controller; } ck_cm_concurrency;
extern const ck_cm_concurrency CK_CM_CONCURRENCY[];
extern const size_t CK_CM_N_CONCURRENCY;
/* Workers for a controller: its --concurrent-*-syncs, else --concurrent-syncs, else 0. */
int ck_cm_options_workers(const ck_cm_options *o, const char *controller);

/* 0 ok, 1 for --help, -1 with a message in err. Clear with ck_cm_options_clear. */
int ck_cm_options_parse(ck_cm_options *o, int argc, char **argv, char *err, size_t errlen);
void ck_cm_options_clear(ck_cm_options *o);
/* Go duration subset ("300ms", "5s", "1m30s", "2h") in ms; -1 if invalid. */
long ck_cm_parse_duration(const char *s);
/* upstream IsControllerEnabled: "-name" disables, "name" enables, "*"
 * enables the rest; NULL/"" list means "*". */
bool ck_cm_controller_enabled(const char *list, const char *name);
#endif
