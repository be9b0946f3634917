/* apiserver.c: assembling the server: configuration defaults, storage, the
 * watch cache, allocators rebuilt from the stored Services (upstream's
 * repair loops), and the bootstrap objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apiserver/apiserver.h"
#include "apiserver/audit.h"
#include "apiserver/registry/allocator.h"
#include "util/ckjson.h"

void ck_apiserver_config_defaults(ck_apiserver_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->bind_address = "127.0.0.1";
    cfg->port = 6443;
    cfg->store_spec = "etcd3:http://127.0.0.1:2379";
    cfg->service_cidr = "10.96.0.0/12";
    cfg->node_port_min = 30000;
    cfg->node_port_max = 32767;
    cfg->advertise_address = "127.0.0.1";
    cfg->watch_window = 1000;
    cfg->max_inflight = 400;
    cfg->max_mutating_inflight = 200;
    cfg->bookmark_interval_ms = 5000;
    cfg->compaction_interval_ms = 5 * 60 * 1000;
}

static void rebuild_allocations(ck_apiserver *s)
{
    ck_cobj **svcs = NULL;
    int64_t rev;
    size_t n = ck_cacher_list(s->cache, "services", "", &svcs, &rev);
    for (size_t i = 0; i < n; i++) {
        const char *ip = ck_json_str(svcs[i]->obj, "spec.clusterIP", "");
        if (*ip && strcmp(ip, "None") != 0) ck_ipalloc_allocate(s->cluster_ips, ip);
        size_t j;
        json_t *p;
        json_array_foreach(ck_json_path(svcs[i]->obj, "spec.ports"), j, p) {
            long long np = ck_json_int(p, "nodePort", 0);
            if (np) ck_portalloc_allocate(s->node_ports, (int)np);
        }
    }
    ck_cobjs_free(svcs, n);
}

int ck_apiserver_init(ck_apiserver *s, const ck_apiserver_config *cfg, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->cluster_ips = ck_ipalloc_new(cfg->service_cidr, err, errlen);
    if (!s->cluster_ips) return -1;
    s->node_ports = ck_portalloc_new(cfg->node_port_min, cfg->node_port_max);
    if (!s->node_ports) {
        snprintf(err, errlen, "--service-node-port-range: invalid range %d-%d", cfg->node_port_min, cfg->node_port_max);
        return -1;
    }
    s->store = ck_store_open(cfg->store_spec, err, errlen);
    if (!s->store) return -1;
    s->cache = ck_cacher_new(s->store, cfg->watch_window, err, errlen);
    if (!s->cache) return -1;
    rebuild_allocations(s);
    if (cfg->audit_log_path && !(s->audit = ck_audit_open(cfg->audit_log_path, err, errlen))) return -1;
    if (ck_compactor_start(s) < 0) {
        snprintf(err, errlen, "cannot start the compaction thread");
        return -1;
    }
    return 0;
}

void ck_apiserver_free(ck_apiserver *s)
{
    ck_apiserver_stop(s);
    ck_compactor_stop(s);
    ck_cacher_free(s->cache);
    ck_audit_close(s->audit);
    ck_store_destroy(s->store);
    ck_ipalloc_free(s->cluster_ips);
    ck_portalloc_free(s->node_ports);
    memset(s, 0, sizeof *s);
}
