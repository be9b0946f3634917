/* options.c: flag parsing for kube-controller-manager (getopt_long), Go-style
 * durations, and upstream's --controllers enable/disable rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller-manager/options.h"

long ck_cm_parse_duration(const char *s)
{
    static const struct { const char *unit; double ms; } UNITS[] = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000},
    };
    if (!s || !*s) return -1;
    if (!strcmp(s, "0")) return 0;
    double total = 0;
    while (*s) {
        char *end;
        double v = strtod(s, &end);
        if (end == s) return -1;
        size_t best = 0, bestlen = 0;
        for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
            size_t l = strlen(UNITS[i].unit);
            if (!strncmp(end, UNITS[i].unit, l) && l > bestlen) best = i, bestlen = l;
        }
        if (!bestlen) return -1;
        total += v * UNITS[best].ms;
        s = end + bestlen;
    }
    return total < 0 ? -1 : (long)total;
}

bool ck_cm_controller_enabled(const char *list, const char *name)
{
    if (!list || !*list) list = "*";
    bool star = false;
    const char *p = list;
    size_t nl = strlen(name);
    while (*p) {
        size_t l = strcspn(p, ",");
        if (l == nl + 1 && p[0] == '-' && !strncmp(p + 1, name, nl)) return false;
        if (l == nl && !strncmp(p, name, nl)) return true;
        if (l == 1 && p[0] == '*') star = true;
        p += l;
        if (*p == ',') p++;
    }
    return star;
}

static int set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = strdup(v);
    return *dst ? 0 : -1;
}

enum { O_KUBECONFIG = 256, O_MASTER, O_CONTROLLERS, O_LEADER, O_ROOTCA, O_SYNCS, O_NSSYNC, O_NMP, O_NMGP, O_NSGP, O_V,
       O_CONCURRENT = 512 };

const ck_cm_concurrency CK_CM_CONCURRENCY[] = {
    {"concurrent-namespace-syncs", "namespace"},    {"concurrent-replicaset-syncs", "replicaset"},
    {"concurrent-rc-syncs", "replicationcontroller"}, {"concurrent-deployment-syncs", "deployment"},
    {"concurrent-endpoint-syncs", "endpoint"},      {"concurrent-gc-syncs", "garbagecollector"},
};
const size_t CK_CM_N_CONCURRENCY = sizeof CK_CM_CONCURRENCY / sizeof CK_CM_CONCURRENCY[0];

int ck_cm_options_workers(const ck_cm_options *o, const char *controller)
{
    for (size_t i = 0; i < CK_CM_N_CONCURRENCY; i++)
        if (!strcmp(CK_CM_CONCURRENCY[i].controller, controller) && o->concurrent[i] > 0) return o->concurrent[i];
    return o->concurrent_syncs;
}

static int set_duration(long *dst, const char *flag, const char *v, char *err, size_t errlen)
{
    long d = ck_cm_parse_duration(v);
    if (d < 0) { snprintf(err, errlen, "invalid duration for --%s: \"%s\"", flag, v); return -1; }
    *dst = d;
    return 0;
}

int ck_cm_options_parse(ck_cm_options *o, int argc, char **argv, char *err, size_t errlen)
{
    static const struct option FIXED[] = {
        {"kubeconfig", required_argument, NULL, O_KUBECONFIG}, {"master", required_argument, NULL, O_MASTER},
        {"controllers", required_argument, NULL, O_CONTROLLERS}, {"leader-elect", optional_argument, NULL, O_LEADER},
        {"root-ca-file", required_argument, NULL, O_ROOTCA}, {"concurrent-syncs", required_argument, NULL, O_SYNCS},
        {"namespace-sync-period", required_argument, NULL, O_NSSYNC},
        {"node-monitor-period", required_argument, NULL, O_NMP},
        {"node-monitor-grace-period", required_argument, NULL, O_NMGP},
        {"node-startup-grace-period", required_argument, NULL, O_NSGP},
        {"v", required_argument, NULL, O_V}, {"help", no_argument, NULL, 'h'},
    };
    /* the fixed flags plus one per --concurrent-*-syncs row, NULL-terminated */
    struct option LONG[sizeof FIXED / sizeof FIXED[0] + sizeof CK_CM_CONCURRENCY / sizeof CK_CM_CONCURRENCY[0] + 1];
    size_t nl = 0;
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++) LONG[nl++] = FIXED[i];
    for (size_t i = 0; i < CK_CM_N_CONCURRENCY; i++)
        LONG[nl++] = (struct option){CK_CM_CONCURRENCY[i].flag, required_argument, NULL, O_CONCURRENT + (int)i};
    LONG[nl] = (struct option){NULL, 0, NULL, 0};
    memset(o, 0, sizeof *o);
    o->leader_elect = true;
    o->namespace_sync_ms = 300000;
    o->node_monitor_period_ms = 5000;
    o->node_monitor_grace_ms = 50000;
    o->node_startup_grace_ms = 60000;
    o->verbosity = 2;
    optind = 1;
    int c, rc = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, "v:h", LONG, NULL)) != -1) {
        switch (c) {
        case O_KUBECONFIG: rc = set_str(&o->kubeconfig, optarg); break;
        case O_MASTER: rc = set_str(&o->master, optarg); break;
        case O_CONTROLLERS: rc = set_str(&o->controllers, optarg); break;
        case O_ROOTCA: rc = set_str(&o->root_ca_file, optarg); break;
        case O_LEADER: o->leader_elect = !optarg || !strcmp(optarg, "true") || !strcmp(optarg, "1"); break;
        case O_SYNCS: o->concurrent_syncs = atoi(optarg); break;
        case O_NSSYNC: rc = set_duration(&o->namespace_sync_ms, "namespace-sync-period", optarg, err, errlen); break;
        case O_NMP: rc = set_duration(&o->node_monitor_period_ms, "node-monitor-period", optarg, err, errlen); break;
        case O_NMGP:
            rc = set_duration(&o->node_monitor_grace_ms, "node-monitor-grace-period", optarg, err, errlen);
            break;
        case O_NSGP:
            rc = set_duration(&o->node_startup_grace_ms, "node-startup-grace-period", optarg, err, errlen);
            break;
        case 'v': case O_V: o->verbosity = atoi(optarg); break;
        case 'h': rc = 1; break;
        default:
            if (c >= O_CONCURRENT && c < O_CONCURRENT + (int)CK_CM_N_CONCURRENCY) {
                o->concurrent[c - O_CONCURRENT] = atoi(optarg);
                break;
            }
            snprintf(err, errlen, "unknown flag");
            rc = -1;
            break;
        }
    }
    if (rc == 0 && optind < argc) { snprintf(err, errlen, "unexpected argument %s", argv[optind]); rc = -1; }
    if (rc != 0) ck_cm_options_clear(o);
    return rc;
}

void ck_cm_options_clear(ck_cm_options *o)
{
    free(o->kubeconfig);
    free(o->master);
    free(o->controllers);
    free(o->root_ca_file);
    o->kubeconfig = o->master = o->controllers = o->root_ca_file = NULL;
}
